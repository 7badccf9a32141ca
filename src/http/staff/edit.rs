//! `POST /staff/{username}/edit`: the form that changes an offering's attributes, read
//! and checked field by field so that each message stands next to its field.

use super::super::{
    forms::{Errors, FORM, Opt, Page, field, pairs_of, refused, trimmed},
    i18n::Tr,
    pages::{Base, error_page},
};
use super::manage::{Forms, refused_page};
use crate::{
    directory::{
        self,
        listing::{Count, NoticeDays, OfferingSpec, Price, WebUrl},
        query,
        types::*,
    },
    federation::Ctx,
    http::error::AppError,
    i18n::{self, Msg},
};
use axum::{body::Bytes, extract::Path, http::HeaderMap};
use std::{collections::BTreeSet, str::FromStr};

/// The edit form of an offering, as shown: the stored values or the ones just posted.
#[derive(Default)]
pub struct EditForm {
    pub name: String,
    pub summary: String,
    pub platform: String,
    pub platform_version: String,
    pub features: BTreeSet<String>,
    pub participants: String,
    pub rooms: String,
    pub price_model: String,
    pub amount: String,
    pub currency: String,
    pub period: String,
    pub languages: String,
    pub support_languages: String,
    pub jurisdiction: String,
    pub data_location: String,
    pub registration: String,
    pub free_software: bool,
    pub notice_days: String,
    pub homepage: String,
    pub signup: String,
    pub service_url: String,
    pub probe: bool,
    pub funding: String,
    pub errors: Errors,
}

impl EditForm {
    pub(super) fn of(s: &OfferingSpec) -> Self {
        let join = |v: Vec<String>| v.join(", ");
        EditForm {
            name: s.name.to_string(),
            summary: s.summary.to_string(),
            platform: s.platform.to_string(),
            platform_version: s
                .platform_version
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            features: s.features.iter().map(|f| f.to_string()).collect(),
            participants: s
                .participants_per_room
                .map(|c| c.0.to_string())
                .unwrap_or_default(),
            rooms: s
                .concurrent_rooms
                .map(|c| c.0.to_string())
                .unwrap_or_default(),
            price_model: s.price.model.to_string(),
            amount: s
                .price
                .amount
                .as_ref()
                .map(|a| a.to_string())
                .unwrap_or_default(),
            currency: s
                .price
                .currency
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
            period: s.price.period.map(|p| p.to_string()).unwrap_or_default(),
            languages: join(s.languages.0.iter().map(|l| l.to_string()).collect()),
            support_languages: join(
                s.support_languages
                    .0
                    .iter()
                    .map(|l| l.to_string())
                    .collect(),
            ),
            jurisdiction: s
                .jurisdiction
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
            data_location: join(s.data_location.0.iter().map(|c| c.to_string()).collect()),
            registration: s.registration.to_string(),
            free_software: s.free_software,
            notice_days: s.notice_days.0.to_string(),
            homepage: url_text(&s.homepage),
            signup: url_text(&s.signup),
            service_url: url_text(&s.service_url),
            probe: s.probe,
            funding: url_text(&s.funding),
            errors: Errors::default(),
        }
    }

    fn posted(pairs: &[(String, String)]) -> Self {
        let f = |n: &str| trimmed(pairs, n);
        // The pickers send one pair per chosen value; a client of the older text field
        // sends one list. Both read as one list.
        let all = |n: &str| {
            pairs
                .iter()
                .filter(|(k, _)| k == n)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        };
        EditForm {
            name: f("name"),
            summary: trimmed(pairs, "summary"),
            platform: f("platform"),
            platform_version: f("platform_version"),
            features: pairs
                .iter()
                .filter(|(k, _)| k == "features")
                .map(|(_, v)| v.trim().to_string())
                .collect(),
            participants: f("participants_per_room"),
            rooms: f("concurrent_rooms"),
            price_model: f("price_model"),
            amount: f("price_amount"),
            currency: f("price_currency"),
            period: f("price_period"),
            languages: all("languages"),
            support_languages: all("support_languages"),
            jurisdiction: f("jurisdiction"),
            data_location: all("data_location"),
            registration: f("registration"),
            free_software: !field(pairs, "free_software").is_empty(),
            notice_days: f("notice_days"),
            homepage: f("homepage"),
            signup: f("signup"),
            service_url: f("service_url"),
            probe: !field(pairs, "probe").is_empty(),
            funding: f("funding"),
            errors: Errors::default(),
        }
    }

    /// The offering this form describes, or the errors next to their fields. `current`
    /// gives what the form does not edit: the handle and the earlier actors.
    fn validate(&mut self, current: &OfferingSpec) -> Option<OfferingSpec> {
        let e = &mut self.errors;
        let name = check(e, "name", Name::from_str(&self.name));
        let summary = check(e, "summary", Summary::from_str(&self.summary));
        let platform = check(e, "platform", Platform::from_str(&self.platform));
        let platform_version = optional(e, "platform_version", &self.platform_version, |s| {
            Name::from_str(s)
        });
        let mut features = BTreeSet::new();
        for f in &self.features {
            if let Some(f) = check(e, "features", Feature::from_str(f)) {
                features.insert(f);
            }
        }
        let participants = optional(e, "participants_per_room", &self.participants, count);
        let rooms = optional(e, "concurrent_rooms", &self.rooms, count);
        let price = price(
            e,
            &self.price_model,
            &self.amount,
            &self.currency,
            &self.period,
        );
        let languages = list(e, "languages", &self.languages, Language::from_str);
        let support_languages = list(e, "support_languages", &self.support_languages, |s| {
            Language::from_str(s)
        });
        let jurisdiction = optional(e, "jurisdiction", &self.jurisdiction, |s| {
            Country::from_str(s)
        });
        let data_location = list(e, "data_location", &self.data_location, |s| {
            Country::from_str(s)
        });
        let registration = check(
            e,
            "registration",
            Registration::from_str(&self.registration),
        );
        let notice_days = check(
            e,
            "notice_days",
            self.notice_days
                .parse::<i64>()
                .map_err(|_| crate::msg!("edit-not-a-number"))
                .and_then(NoticeDays::try_from),
        );
        let homepage = optional(e, "homepage", &self.homepage, web_url);
        let signup = optional(e, "signup", &self.signup, web_url);
        let service_url = optional(e, "service_url", &self.service_url, web_url);
        let funding = optional(e, "funding", &self.funding, web_url);
        if !e.is_empty() {
            return None;
        }
        Some(OfferingSpec {
            handle: current.handle.clone(),
            name: name?,
            summary: summary?,
            platform: platform?,
            platform_version: platform_version?,
            features,
            participants_per_room: participants?,
            concurrent_rooms: rooms?,
            price: price?,
            languages: directory::listing::BoundedList(languages?),
            support_languages: directory::listing::BoundedList(support_languages?),
            jurisdiction: jurisdiction?,
            data_location: directory::listing::BoundedList(data_location?),
            registration: registration?,
            free_software: self.free_software,
            notice_days: notice_days?,
            homepage: homepage?,
            signup: signup?,
            service_url: service_url?,
            probe: self.probe,
            funding: funding?,
            also_known_as: current.also_known_as.clone(),
        })
    }
}

/// Region codes CLDR names that are not countries.
const NOT_COUNTRIES: [&str; 7] = ["EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"];

impl EditForm {
    /// The language picker of the interface languages: every language by its name in the
    /// page's language, never a code to type.
    pub fn language_opts(&self) -> Vec<Opt> {
        name_opts(
            query::language_names(i18n::current().code()),
            &self.languages,
        )
    }

    /// The language picker of the support languages.
    pub fn support_language_opts(&self) -> Vec<Opt> {
        name_opts(
            query::language_names(i18n::current().code()),
            &self.support_languages,
        )
    }

    /// The country picker of the jurisdiction.
    pub fn jurisdiction_opts(&self) -> Vec<Opt> {
        name_opts(countries(), &self.jurisdiction)
    }

    /// The country picker of where data is stored.
    pub fn data_location_opts(&self) -> Vec<Opt> {
        name_opts(countries(), &self.data_location)
    }
}

fn countries() -> Vec<(String, String)> {
    let mut all = query::country_names(i18n::current().code());
    all.retain(|(code, _)| !NOT_COUNTRIES.contains(&code.as_str()));
    all
}

/// The choices of a picker, those in `chosen` ("de, en") selected. A chosen value CLDR
/// has no name for (such as `pt-BR`) comes first, under its code, so that saving the form
/// unchanged keeps it.
fn name_opts(names: Vec<(String, String)>, chosen: &str) -> Vec<Opt> {
    let chosen: Vec<&str> = chosen
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let is_chosen = |code: &str| chosen.iter().any(|c| c.eq_ignore_ascii_case(code));
    let mut out: Vec<Opt> = chosen
        .iter()
        .filter(|c| !names.iter().any(|(code, _)| code.eq_ignore_ascii_case(c)))
        .map(|c| Opt {
            value: c.to_string(),
            label: c.to_string(),
            selected: true,
        })
        .collect();
    out.extend(names.into_iter().map(|(code, name)| Opt {
        selected: is_chosen(&code),
        value: code,
        label: name,
    }));
    out
}

fn url_text(u: &Option<WebUrl>) -> String {
    u.as_ref().map(|u| u.0.to_string()).unwrap_or_default()
}

/// A field's value, or its refusal recorded in the page's language.
fn check<T>(e: &mut Errors, name: &'static str, r: Result<T, Msg>) -> Option<T> {
    r.map_err(|m| e.add(name, m.text())).ok()
}

/// An optional field: empty is `None`. Returns `None` on an error (recorded), so that
/// `?` in `validate` stops there.
fn optional<T>(
    e: &mut Errors,
    name: &'static str,
    value: &str,
    parse: impl Fn(&str) -> Result<T, Msg>,
) -> Option<Option<T>> {
    if value.trim().is_empty() {
        return Some(None);
    }
    check(e, name, parse(value.trim())).map(Some)
}

/// A list typed as "en, de" (commas or spaces), each value parsed, at most 50.
fn list<T: PartialEq>(
    e: &mut Errors,
    name: &'static str,
    value: &str,
    parse: impl Fn(&str) -> Result<T, Msg>,
) -> Option<Vec<T>> {
    let mut out = vec![];
    for part in value
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let v = check(e, name, parse(part))?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.len() > directory::listing::MAX_LIST {
        e.add(
            name,
            Tr.n("edit-too-many", directory::listing::MAX_LIST as u64),
        );
        return None;
    }
    Some(out)
}

fn count(s: &str) -> Result<Count, Msg> {
    s.parse::<i64>()
        .map_err(|_| crate::msg!("edit-not-a-number"))
        .and_then(Count::try_from)
}

fn web_url(s: &str) -> Result<WebUrl, Msg> {
    WebUrl::try_from(s.to_string())
}

/// The price fields, with the rules that span them (an amount needs a currency, a free
/// offering has no amount) checked by the same parser as listing documents.
fn price(e: &mut Errors, model: &str, amount: &str, currency: &str, period: &str) -> Option<Price> {
    let model = check(e, "price_model", PriceModel::from_str(model));
    let amount = optional(e, "price_amount", amount, Amount::from_str);
    let currency = optional(e, "price_currency", currency, Currency::from_str);
    let period = optional(e, "price_period", period, PricePeriod::from_str);
    let (model, amount, currency, period) = (model?, amount?, currency?, period?);
    check(
        e,
        "price_amount",
        Price::checked(model, amount, currency, period),
    )
}

/// `POST /staff/{username}/edit`: change the offering's attributes.
pub async fn edit(ctx: Ctx, Path(username): Path<String>, headers: HeaderMap, body: Bytes) -> Page {
    let (base, _, target) = super::managed(&ctx, &headers, &username).await?;
    let current = offering_of(&base, &target)?;
    let mut form = EditForm::posted(&pairs_of(&body));
    let Some(spec) = form.validate(&current) else {
        return Err(refused_edit(&ctx, base, &target, form).await);
    };
    match directory::update_offering(&ctx, &target, &spec).await {
        Ok(_) => Ok(super::done(&username, "edit")),
        Err(e) => {
            form.errors
                .add(FORM, refused(e).map_err(|e| error_page(base.clone(), e))?);
            Err(refused_edit(&ctx, base, &target, form).await)
        }
    }
}

/// The stored attributes of offering `target`; a co-op has none to edit (404).
#[allow(clippy::result_large_err)] // a response either way, as the handler answers
fn offering_of(
    base: &Base,
    target: &directory::staff_views::Actor,
) -> Result<OfferingSpec, axum::response::Response> {
    if target.kind != ActorKind::Offering {
        return Err(error_page(
            base.clone(),
            AppError::NotFound(Tr.t("error-not-offering")),
        ));
    }
    directory::offering_spec(target).map_err(|e| error_page(base.clone(), e.into()))
}

async fn refused_edit(
    ctx: &Ctx,
    base: Base,
    target: &directory::staff_views::Actor,
    form: EditForm,
) -> axum::response::Response {
    let forms = Forms {
        edit: Some(form),
        ..Default::default()
    };
    refused_page(ctx, base, target, forms).await
}
