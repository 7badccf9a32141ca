//! Pages for co-op staff and admins: log in and out, the list of listings an account
//! manages, and per listing the forms that edit an offering, post an announcement, start a
//! sunset or transfer it, with its followers and the state of its deliveries.
//!
//! Who may act on what is decided in one place, [`managed`], with
//! `directory::accounts::authorize`: admins act on every local listing, staff on their own
//! co-op and its offerings. Every form calls the same `directory` function as the CLI and
//! the API; a refused form is shown again with the message next to its field and status
//! 422, and nothing is written (each domain function runs in one transaction).

use super::{
    i18n::Tr,
    pages::{Base, error_page, frame, no_store, page_href},
    session,
};
use crate::{
    db::entities::{account, activity, actor, delivery},
    directory::{
        self, DomainError,
        accounts::{self, LoginLimiter},
        announcements, lifecycle,
        listing::{Count, NoticeDays, OfferingSpec, Price, WebUrl},
        query, replies, transfers,
        types::*,
    },
    error::AppError,
    federation::{Ctx, queue},
    i18n,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Extension,
    body::Bytes,
    extract::{ConnectInfo, Path, RawQuery},
    http::{Extensions, HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Query};
use std::{
    collections::{BTreeMap, BTreeSet},
    net::{IpAddr, Ipv4Addr, SocketAddr},
    str::FromStr,
    sync::Arc,
    time::Instant,
};

/// Field → message of a refused form.
#[derive(Debug, Default)]
pub struct Errors(BTreeMap<&'static str, String>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The lines of the error summary above the form.
    pub fn summary(&self) -> Vec<super::forms::SummaryItem> {
        super::forms::summary(&self.0)
    }

    pub(super) fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }
}

/// The pairs of an `application/x-www-form-urlencoded` body.
fn form_pairs(body: &Bytes) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.replace("\r\n", "\n")))
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn unprocessable(page: impl IntoResponse) -> Response {
    no_store((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

// ---------------------------------------------------------------------------------------
// Login and logout

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    base: Base,
    tr: Tr,
    username: String,
    errors: Errors,
}

/// `GET /login`.
pub async fn login_form(ctx: Ctx, headers: HeaderMap) -> Response {
    match frame(&ctx, &headers).await {
        Ok((_, Some(_))) => see_other("/staff"),
        Ok((base, None)) => no_store(
            LoginPage {
                base,
                tr: Tr,
                username: String::new(),
                errors: Errors::default(),
            }
            .into_response(),
        ),
        Err(e) => error_page(Base::new(&ctx, None), e),
    }
}

/// The client's address: the TCP peer (`ConnectInfo`), or the client a trusted proxy
/// names (`--trusted-proxy`, see `http::client_addr`). Without `ConnectInfo` every client
/// shares one key per username.
fn client_ip(ctx: &Ctx, ext: &Extensions, headers: &HeaderMap) -> IpAddr {
    ext.get::<ConnectInfo<SocketAddr>>()
        .map(|c| {
            super::client_addr::client_addr(c.0.ip(), headers, &ctx.settings.http.trusted_proxies)
        })
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// `POST /login`: 303 to `/staff` with a session cookie; 422 when a field is empty, 401
/// for a wrong username or password, 429 with `Retry-After` after too many attempts.
/// The attempt is charged to (client address, username) before the password is verified,
/// so concurrent requests cannot overrun the limit.
pub async fn login(
    ctx: Ctx,
    Extension(logins): Extension<Arc<LoginLimiter>>,
    ext: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let base = Base::new(&ctx, None);
    let pairs = form_pairs(&body);
    let username = field(&pairs, "username").trim().to_string();
    let password = field(&pairs, "password");
    let tr = Tr;
    let mut errors = Errors::default();
    if username.is_empty() {
        errors.add("username", tr.t("login-username-missing"));
    }
    if password.is_empty() {
        errors.add("password", tr.t("login-password-missing"));
    }
    if !errors.is_empty() {
        return unprocessable(LoginPage {
            base,
            tr,
            username,
            errors,
        });
    }
    let ip = client_ip(&ctx, &ext, &headers);
    if let Err(wait) = logins.try_attempt(ip, &username, Instant::now()) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        errors.add("form", tr.n("login-rate-limited", minutes));
        let mut r = no_store(
            (
                StatusCode::TOO_MANY_REQUESTS,
                LoginPage {
                    base,
                    tr,
                    username,
                    errors,
                },
            )
                .into_response(),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, wait.as_secs().max(1).into());
        return r;
    }
    logins.count_check();
    let account = match accounts::authenticate(&ctx.db, &username, password).await {
        Ok(a) => a,
        Err(e) => return error_page(base, e.into()),
    };
    let Some(account) = account else {
        errors.add("form", tr.t("login-failed"));
        return no_store(
            (
                StatusCode::UNAUTHORIZED,
                LoginPage {
                    base,
                    tr,
                    username,
                    errors,
                },
            )
                .into_response(),
        );
    };
    logins.succeeded(ip, &username);
    match session::start(&ctx, &account).await {
        Ok(cookie) => {
            let mut r = see_other("/staff");
            r.headers_mut().insert(header::SET_COOKIE, cookie);
            r
        }
        Err(e) => error_page(base, e),
    }
}

/// `POST /logout`: the session ends and its cookie is cleared.
pub async fn logout(ctx: Ctx, headers: HeaderMap) -> Response {
    match session::end(&ctx, &headers).await {
        Ok(cookie) => {
            let mut r = see_other("/");
            r.headers_mut().insert(header::SET_COOKIE, cookie);
            r
        }
        Err(e) => error_page(Base::new(&ctx, None), e),
    }
}

// ---------------------------------------------------------------------------------------
// Who may act on what

/// Whether `account` may act on `target`: `directory::accounts::authorize`.
pub fn may_manage(account: &account::Model, target: &actor::Model) -> bool {
    accounts::authorize(account, target).is_ok()
}

/// The one gate of every staff page and form: the logged-in account and the local co-op
/// or offering `username` it may act on. Not logged in: 303 to `/login`; not allowed: 403.
async fn managed(
    ctx: &Ctx,
    headers: &HeaderMap,
    username: &str,
) -> Result<(Base, account::Model, actor::Model), Response> {
    let (base, account) = frame(ctx, headers)
        .await
        .map_err(|e| error_page(Base::new(ctx, None), e))?;
    let Some(account) = account else {
        return Err(see_other("/login"));
    };
    let target = directory::find_local(&ctx.db, username)
        .await
        .map_err(|e| error_page(Base::new(ctx, Some(&account)), e.into()))?
        .filter(|a| {
            (a.kind == ActorKind::Offering || a.kind == ActorKind::Coop)
                && a.moderation != Moderation::Removed
        });
    let Some(target) = target else {
        return Err(error_page(
            base,
            AppError::NotFound(Tr.a("error-no-actor", "name", username)),
        ));
    };
    if let Err(e) = accounts::authorize(&account, &target) {
        return Err(error_page(base, e.into()));
    }
    Ok((base, account, target))
}

// ---------------------------------------------------------------------------------------
// The staff page: what this account manages

pub struct ManagedRow {
    pub name: String,
    pub handle: String,
    pub kind: String,
    pub manage_href: String,
    pub page_href: String,
    pub status: String,
    pub moderation: String,
    pub followers: u64,
    pub offering: bool,
    /// Members' questions under its announcements waiting for an answer.
    pub questions: usize,
    /// Its service has not answered the node's probes for 3 days.
    pub unreachable: bool,
}

pub struct StatsView {
    pub pending: u64,
    pub delivered: u64,
    pub rejected: u64,
    pub failed: u64,
    pub unavailable_hosts: String,
}

impl From<queue::QueueStats> for StatsView {
    fn from(s: queue::QueueStats) -> Self {
        StatsView {
            pending: s.pending,
            delivered: s.delivered,
            rejected: s.rejected,
            failed: s.failed,
            unavailable_hosts: s.unavailable_hosts.join(", "),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff.html")]
pub struct StaffPage {
    base: Base,
    tr: Tr,
    role: String,
    rows: Vec<ManagedRow>,
    /// Pending transfer proposals this account may answer: link and text.
    awaiting: Vec<(String, String)>,
    stats: StatsView,
}

/// `GET /staff`.
pub async fn dashboard(ctx: Ctx, headers: HeaderMap) -> Response {
    let (base, account) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let Some(account) = account else {
        return see_other("/login");
    };
    let tr = Tr;
    let data = async {
        let mine = accounts::manageable(&ctx.db, &account).await?;
        let ids: Vec<i64> = mine.iter().map(|a| a.id).collect();
        let live = directory::liveness::rows(&ctx.db, &ids).await?;
        let now = ctx.clock.now();
        let mut rows = vec![];
        for a in &mine {
            let offering = a.kind == ActorKind::Offering;
            rows.push(ManagedRow {
                name: a.name.clone(),
                handle: format!("@{}@{}", a.username, a.domain),
                kind: tr.vocab("actor", a.kind.as_str()),
                manage_href: format!("/staff/{}", a.username),
                page_href: page_href(a),
                status: if offering {
                    tr.vocab("status", a.status.as_str())
                } else {
                    String::new()
                },
                moderation: tr.vocab("moderation", a.moderation.as_str()),
                followers: directory::follower_count(&ctx.db, a.id).await?,
                offering,
                questions: replies::unanswered(&ctx.db, &[a.id]).await?.len(),
                unreachable: live.get(&a.id).is_some_and(|l| {
                    l.next_probe_at.is_some() && directory::liveness::unreachable(l.down_since, now)
                }),
            });
        }
        let stats = queue::stats(&ctx.db).await?;
        // Proposals addressed to a listing this account manages, still waiting.
        let now = chrono::Utc::now();
        let mut awaiting = vec![];
        for p in transfers::list(&ctx.db).await? {
            if transfers::state_of(&p, now) != transfers::PENDING {
                continue;
            }
            if let Some(s) = mine.iter().find(|a| a.ap_id == p.successor_ap_id) {
                awaiting.push((
                    format!("/staff/{}#proposal-{}", s.username, p.id),
                    format!("{} → {}", p.origin_name, p.successor_name),
                ));
            }
        }
        Ok::<_, AppError>((rows, awaiting, stats))
    }
    .await;
    match data {
        Ok((rows, awaiting, stats)) => no_store(
            StaffPage {
                base,
                tr,
                role: tr.vocab("role", &account.role),
                rows,
                awaiting,
                stats: stats.into(),
            }
            .into_response(),
        ),
        Err(e) => error_page(base, e),
    }
}

// ---------------------------------------------------------------------------------------
// One listing: the forms

/// A choice of a `<select>` or a checkbox.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opts<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    kind: &str,
    selected: impl Fn(&str) -> bool,
) -> Vec<Opt> {
    all.iter()
        .map(|v| {
            let value = value(*v);
            Opt {
                value: value.to_string(),
                label: Tr.vocab(kind, value),
                selected: selected(value),
            }
        })
        .collect()
}

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
    fn of(s: &OfferingSpec) -> Self {
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
        let f = |n: &str| field(pairs, n).trim().to_string();
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
            summary: field(pairs, "summary").trim().to_string(),
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
                .map_err(|_| Tr.t("edit-not-a-number"))
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

fn check<T>(e: &mut Errors, name: &'static str, r: Result<T, String>) -> Option<T> {
    r.map_err(|m| e.add(name, m)).ok()
}

/// An optional field: empty is `None`. Returns `None` on an error (recorded), so that
/// `?` in `validate` stops there.
fn optional<T>(
    e: &mut Errors,
    name: &'static str,
    value: &str,
    parse: impl Fn(&str) -> Result<T, String>,
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
    parse: impl Fn(&str) -> Result<T, String>,
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

fn count(s: &str) -> Result<Count, String> {
    s.parse::<i64>()
        .map_err(|_| Tr.t("edit-not-a-number"))
        .and_then(Count::try_from)
}

fn web_url(s: &str) -> Result<WebUrl, String> {
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
    let mut v = serde_json::json!({ "model": model.as_str() });
    if let Some(a) = amount {
        v["amount"] = a.as_str().into();
    }
    if let Some(c) = currency {
        v["currency"] = c.as_str().into();
    }
    if let Some(p) = period {
        v["period"] = p.as_str().into();
    }
    check(
        e,
        "price_amount",
        serde_json::from_value::<Price>(v).map_err(|err| err.to_string()),
    )
}

pub struct AnnounceForm {
    pub kind: String,
    pub text: String,
    pub kinds: Vec<Opt>,
    pub errors: Errors,
}

impl AnnounceForm {
    fn new(kind: &str, text: &str) -> Self {
        AnnounceForm {
            kind: kind.to_string(),
            text: text.to_string(),
            kinds: opts(&ANNOUNCE_KINDS, AnnouncementKind::as_str, "kind", |v| {
                v == kind
            }),
            errors: Errors::default(),
        }
    }
}

/// Kinds staff choose; `sunset` and `transfer` are written by those actions.
pub(crate) const ANNOUNCE_KINDS: [AnnouncementKind; 4] = [
    AnnouncementKind::News,
    AnnouncementKind::Maintenance,
    AnnouncementKind::Price,
    AnnouncementKind::Capacity,
];

#[derive(Default)]
pub struct SunsetForm {
    pub end: String,
    pub earliest: String,
    pub note: String,
    /// Pinned alternatives, one handle per line.
    pub alternatives: String,
    /// Postponing a running sunset rather than starting one.
    pub postpone: bool,
    /// The announcements a preview would post.
    pub preview: Vec<lifecycle::SunsetNotice>,
    pub errors: Errors,
}

#[derive(Default)]
pub struct TransferForm {
    pub to: String,
    pub note: String,
    /// The notice a preview would post, and whether the successor must accept first.
    pub preview: Option<(String, bool)>,
    pub errors: Errors,
}

/// A transfer proposal as the staff page shows it.
pub struct ProposalView {
    pub id: i64,
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    pub state: String,
    pub note: String,
    pub reason: String,
    pub changes: Vec<String>,
    /// Addressed to this co-op and still pending: the page offers Accept and Decline.
    pub answerable: bool,
    pub expires: String,
}

pub struct DeliveryView {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
    pub rejected: u64,
}

#[derive(Template, WebTemplate)]
#[template(path = "manage.html")]
pub struct ManagePage {
    base: Base,
    tr: Tr,
    name: String,
    handle: String,
    username: String,
    page_href: String,
    offering: bool,
    status: String,
    moderation: String,
    followers: u64,
    done: Option<String>,
    edit: Option<EditForm>,
    platforms: Vec<Opt>,
    features: Vec<Opt>,
    price_models: Vec<Opt>,
    periods: Vec<Opt>,
    registrations: Vec<Opt>,
    announce: AnnounceForm,
    sunset: Option<SunsetForm>,
    transfer: Option<TransferForm>,
    proposals: Vec<ProposalView>,
    questions: Vec<QuestionView>,
    deliveries: DeliveryView,
    stats: StatsView,
    /// Notices of the service's checks, and members' reports of outdated information.
    checks: super::liveness::StaffView,
}

/// Which forms to show and with what in them.
#[derive(Default)]
struct Forms {
    edit: Option<EditForm>,
    announce: Option<AnnounceForm>,
    sunset: Option<SunsetForm>,
    transfer: Option<TransferForm>,
    done: Option<String>,
}

/// Deliveries of the activities this actor sent, by state.
async fn deliveries_of(ctx: &Ctx, actor_id: i64) -> Result<DeliveryView, AppError> {
    let count = |state: DeliveryState| {
        delivery::Entity::find()
            .filter(delivery::Column::State.eq(state))
            .filter(
                delivery::Column::ActivityId.in_subquery(
                    Query::select()
                        .column(activity::Column::Id)
                        .from(activity::Entity)
                        .and_where(activity::Column::ActorId.eq(actor_id))
                        .to_owned(),
                ),
            )
            .count(&ctx.db)
    };
    Ok(DeliveryView {
        pending: count(DeliveryState::Pending).await?,
        delivered: count(DeliveryState::Delivered).await?,
        failed: count(DeliveryState::Failed).await?,
        rejected: count(DeliveryState::Rejected).await?,
    })
}

async fn manage_page(ctx: &Ctx, base: Base, a: &actor::Model, forms: Forms) -> Response {
    let tr = Tr;
    let offering = a.kind == ActorKind::Offering;
    let status: Status = a.status;
    let data = async {
        let spec = if offering {
            Some(directory::offering_spec(a)?)
        } else {
            None
        };
        let followers = directory::follower_count(&ctx.db, a.id).await?;
        let deliveries = deliveries_of(ctx, a.id).await?;
        let stats = queue::stats(&ctx.db).await?;
        let proposals = proposal_views(ctx, a).await?;
        let questions = question_views(ctx, a).await?;
        let checks = super::liveness::staff_view(ctx, &tr, a, spec.as_ref()).await?;
        Ok::<_, AppError>((
            spec, followers, deliveries, stats, proposals, questions, checks,
        ))
    }
    .await;
    let (spec, followers, deliveries, stats, proposals, questions, checks) = match data {
        Ok(d) => d,
        Err(e) => return error_page(base, e),
    };
    let edit = match (&spec, forms.edit) {
        (Some(_), Some(f)) => Some(f),
        (Some(s), None) => Some(EditForm::of(s)),
        _ => None,
    };
    let e = edit.as_ref();
    let sel = |get: fn(&EditForm) -> &String| {
        let v = e.map(get).cloned().unwrap_or_default();
        move |x: &str| x == v
    };
    let platforms = opts(
        Platform::ALL,
        Platform::as_str,
        "platform",
        sel(|f| &f.platform),
    );
    let features = opts(Feature::ALL, Feature::as_str, "feature", |v| {
        e.is_some_and(|f| f.features.contains(v))
    });
    let price_models = opts(
        PriceModel::ALL,
        PriceModel::as_str,
        "price",
        sel(|f| &f.price_model),
    );
    let periods = opts(
        PricePeriod::ALL,
        PricePeriod::as_str,
        "period",
        sel(|f| &f.period),
    );
    let registrations = opts(
        Registration::ALL,
        Registration::as_str,
        "registration",
        sel(|f| &f.registration),
    );
    let today = chrono::Utc::now().date_naive();
    let sunset = matches!(status, Status::Active | Status::Sunsetting).then(|| {
        let mut f = forms.sunset.unwrap_or_default();
        f.postpone = status == Status::Sunsetting;
        if let Some(s) = &spec {
            f.earliest = (today + chrono::Days::new(u64::from(s.notice_days.0))).to_string();
        } else {
            f.earliest = today.to_string();
        }
        if let (true, Some(end)) = (f.postpone, a.sunset_end) {
            f.earliest = (end + chrono::Days::new(1)).to_string();
        }
        f
    });
    let transfer = matches!(status, Status::Active | Status::Sunsetting)
        .then(|| forms.transfer.unwrap_or_default());
    let status_text = match (status, a.sunset_end) {
        (Status::Sunsetting, Some(end)) => tr.a("status-sunsetting-until", "date", end),
        _ => tr.vocab("status", status.as_str()),
    };
    no_store(
        ManagePage {
            base,
            tr,
            name: a.name.clone(),
            handle: format!("@{}@{}", a.username, a.domain),
            username: a.username.clone(),
            page_href: page_href(a),
            offering,
            status: status_text,
            moderation: tr.vocab("moderation", a.moderation.as_str()),
            followers,
            done: forms.done,
            edit,
            platforms,
            features,
            price_models,
            periods,
            registrations,
            announce: forms
                .announce
                .unwrap_or_else(|| AnnounceForm::new("news", "")),
            sunset,
            transfer,
            proposals,
            questions,
            deliveries,
            stats: stats.into(),
            checks,
        }
        .into_response(),
    )
}

/// `GET /staff/{username}`.
pub async fn manage(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let (base, _, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let done = url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "done")
        .and_then(|(_, v)| match v.as_ref() {
            "edit" => Some(Tr.t("done-edit")),
            "announce" => Some(Tr.t("done-announce")),
            "sunset" => Some(Tr.t("done-sunset")),
            "transfer" => Some(Tr.t("done-transfer")),
            "proposed" => Some(Tr.t("done-transfer-proposed")),
            "accepted" => Some(Tr.t("done-transfer-accepted")),
            "declined" => Some(Tr.t("done-transfer-declined")),
            "cancelled" => Some(Tr.t("done-sunset-cancelled")),
            "outdated" => Some(Tr.t("done-outdated")),
            _ => None,
        });
    manage_page(
        &ctx,
        base,
        &target,
        Forms {
            done,
            ..Default::default()
        },
    )
    .await
}

/// A refusal by the domain: the message goes next to `field`; failures of the node itself
/// are a 500 page.
fn refused(e: DomainError) -> Result<String, AppError> {
    match e {
        DomainError::Invalid(m) | DomainError::Conflict(m) | DomainError::NotFound(m) => Ok(m),
        other => Err(other.into()),
    }
}

/// `POST /staff/{username}/outdated/{id}/done`: a member's report of outdated information
/// about this listing is handled; it leaves the staff page.
pub async fn outdated_done(
    ctx: Ctx,
    Path((username, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    let (base, _, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    match directory::liveness::close_outdated(&ctx.db, target.id, id).await {
        Ok(true) => done(&username, "outdated"),
        Ok(false) => error_page(
            base,
            AppError::NotFound(format!("{username} has no open report {id}")),
        ),
        Err(e) => error_page(base, e.into()),
    }
}

fn done(username: &str, what: &str) -> Response {
    see_other(&format!("/staff/{username}?done={what}"))
}

/// `POST /staff/{username}/edit`: change the offering's attributes.
pub async fn edit(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, _, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    if target.kind != ActorKind::Offering {
        return error_page(base, AppError::NotFound(Tr.t("error-not-offering")));
    }
    let current = match directory::offering_spec(&target) {
        Ok(s) => s,
        Err(e) => return error_page(base, e),
    };
    let mut form = EditForm::posted(&form_pairs(&body));
    let Some(spec) = form.validate(&current) else {
        let page = manage_page(
            &ctx,
            base,
            &target,
            Forms {
                edit: Some(form),
                ..Default::default()
            },
        )
        .await;
        return with_status(page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match directory::update_offering(&ctx, &target, &spec).await {
        Ok(_) => done(&username, "edit"),
        Err(e) => match refused(e) {
            Ok(m) => {
                form.errors.add("form", m);
                let page = manage_page(
                    &ctx,
                    base,
                    &target,
                    Forms {
                        edit: Some(form),
                        ..Default::default()
                    },
                )
                .await;
                with_status(page, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(e) => error_page(base, e),
        },
    }
}

/// Set the status of a page unless it is already an error page.
fn with_status(mut r: Response, status: StatusCode) -> Response {
    if r.status().is_success() {
        *r.status_mut() = status;
    }
    r
}

/// `POST /staff/{username}/announce`: post an announcement to the followers.
pub async fn announce(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, _, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let pairs = form_pairs(&body);
    let mut form = AnnounceForm::new(field(&pairs, "kind"), field(&pairs, "text"));
    let kind = match AnnouncementKind::from_str(&form.kind) {
        Ok(k) if ANNOUNCE_KINDS.contains(&k) => Some(k),
        _ => {
            form.errors.add("kind", Tr.t("announce-kind-invalid"));
            None
        }
    };
    let result = match kind {
        Some(kind) => announcements::announce(&ctx, &target, kind, &form.text)
            .await
            .map(|_| ()),
        None => Err(DomainError::Invalid(String::new())),
    };
    match result {
        Ok(()) => done(&username, "announce"),
        Err(e) => match refused(e) {
            Ok(m) => {
                if !m.is_empty() {
                    form.errors.add("text", m);
                }
                let page = manage_page(
                    &ctx,
                    base,
                    &target,
                    Forms {
                        announce: Some(form),
                        ..Default::default()
                    },
                )
                .await;
                with_status(page, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(e) => error_page(base, e),
        },
    }
}

/// `POST /staff/{username}/sunset`: start (or postpone) the sunset with its last day of
/// service, a note and pinned alternatives; `preview` shows the announcements and writes
/// nothing; `cancel` calls a running sunset off.
pub async fn sunset(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, _, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let pairs = form_pairs(&body);
    if !field(&pairs, "cancel").is_empty() {
        return match lifecycle::cancel_sunset(&ctx, &target).await {
            Ok(_) => done(&username, "cancelled"),
            Err(e) => error_page(base, e.into()),
        };
    }
    let mut form = SunsetForm {
        end: field(&pairs, "end").trim().to_string(),
        note: field(&pairs, "note").trim().to_string(),
        alternatives: field(&pairs, "alternatives").trim().to_string(),
        ..Default::default()
    };
    let preview = !field(&pairs, "preview").is_empty();
    let pinned: Vec<String> = form
        .alternatives
        .split(|c: char| c == '\n' || c == ',' || c.is_whitespace())
        .filter(|h| !h.trim().is_empty())
        .map(str::to_string)
        .collect();
    let today = chrono::Utc::now().date_naive();
    let result = match chrono::NaiveDate::parse_from_str(&form.end, "%Y-%m-%d") {
        Ok(end) => {
            lifecycle::sunset_plan(
                &ctx,
                &target,
                lifecycle::SunsetRequest {
                    end,
                    today,
                    note: &form.note,
                    alternatives: &pinned,
                    preview,
                },
            )
            .await
        }
        Err(_) => Err(DomainError::Invalid(Tr.t("sunset-date-invalid"))),
    };
    match result {
        Ok(r) if preview => {
            form.preview = r.announcements;
            manage_page(
                &ctx,
                base,
                &target,
                Forms {
                    sunset: Some(form),
                    ..Default::default()
                },
            )
            .await
        }
        Ok(_) => done(&username, "sunset"),
        Err(e) => match refused(e) {
            Ok(m) => {
                let key = if m.starts_with("--alternative") {
                    "alternatives"
                } else {
                    "end"
                };
                form.errors.add(key, m);
                let page = manage_page(
                    &ctx,
                    base,
                    &target,
                    Forms {
                        sunset: Some(form),
                        ..Default::default()
                    },
                )
                .await;
                with_status(page, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(e) => error_page(base, e),
        },
    }
}

/// `POST /staff/{username}/transfer`: propose the transfer to a successor; it moves at
/// once only within the co-op (or by an admin for both co-ops). `preview` shows the
/// notice and writes nothing.
pub async fn transfer(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, account, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let pairs = form_pairs(&body);
    let mut form = TransferForm {
        to: field(&pairs, "to").trim().to_string(),
        note: field(&pairs, "note").trim().to_string(),
        ..Default::default()
    };
    let preview = !field(&pairs, "preview").is_empty();
    if form.to.is_empty() {
        form.errors.add("to", Tr.t("transfer-to-missing"));
    }
    if !preview && field(&pairs, "confirm").is_empty() {
        form.errors.add("confirm", Tr.t("transfer-confirm-missing"));
    }
    let by = transfers::Acting::of(&account);
    let result = if form.errors.is_empty() {
        lifecycle::transfer(
            &ctx,
            &target,
            lifecycle::TransferRequest {
                to: &form.to,
                note: &form.note,
                map: &[],
                preview,
                by: &by,
            },
        )
        .await
    } else {
        Err(DomainError::Invalid(String::new()))
    };
    match result {
        Ok(lifecycle::TransferOutcome::Moved { .. }) => done(&username, "transfer"),
        Ok(lifecycle::TransferOutcome::Proposed { .. }) => done(&username, "proposed"),
        Ok(lifecycle::TransferOutcome::Preview {
            text,
            needs_consent,
            ..
        }) => {
            form.preview = Some((text, needs_consent));
            manage_page(
                &ctx,
                base,
                &target,
                Forms {
                    transfer: Some(form),
                    ..Default::default()
                },
            )
            .await
        }
        Err(e) => match refused(e) {
            Ok(m) => {
                if !m.is_empty() {
                    form.errors.add("to", m);
                }
                let page = manage_page(
                    &ctx,
                    base,
                    &target,
                    Forms {
                        transfer: Some(form),
                        ..Default::default()
                    },
                )
                .await;
                with_status(page, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(e) => error_page(base, e),
        },
    }
}

/// The proposals that concern the co-op of `a` (as origin or successor).
async fn proposal_views(ctx: &Ctx, a: &actor::Model) -> Result<Vec<ProposalView>, AppError> {
    let Some(coop) = transfers::coop_of(a) else {
        return Ok(vec![]);
    };
    let now = chrono::Utc::now();
    let ours: Vec<String> = actor::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(actor::Column::Id.eq(coop))
                .add(actor::Column::CoopId.eq(coop)),
        )
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|x| x.ap_id)
        .collect();
    let mut out = Vec::new();
    for p in transfers::for_coop(&ctx.db, coop).await? {
        let state = transfers::state_of(&p, now).to_string();
        out.push(ProposalView {
            id: p.id,
            answerable: state == transfers::PENDING && ours.contains(&p.successor_ap_id),
            changes: transfers::changes_of(&ctx.db, &p).await?,
            from: p.origin_ap_id,
            from_name: p.origin_name,
            to: p.successor_ap_id,
            to_name: p.successor_name,
            state,
            note: p.note,
            reason: p.reason.unwrap_or_default(),
            expires: p.expires_at.date_naive().to_string(),
        });
    }
    Ok(out)
}

/// The proposal `id` and its successor, when the session's account may answer it.
async fn answering(
    ctx: &Ctx,
    headers: &HeaderMap,
    id: i64,
) -> Result<(Base, account::Model, actor::Model), Response> {
    let (base, account) = frame(ctx, headers)
        .await
        .map_err(|e| error_page(Base::new(ctx, None), e))?;
    let Some(account) = account else {
        return Err(see_other("/login"));
    };
    let successor = match transfers::addressed_to(&ctx.db, id).await {
        Ok((_, s)) => s,
        Err(e) => {
            return Err(with_status(
                error_page(base, e.into()),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if let Err(e) = accounts::authorize(&account, &successor) {
        return Err(error_page(base, e.into()));
    }
    Ok((base, account, successor))
}

/// `POST /staff/transfers/{id}/accept`: the successor's staff accept a proposal.
pub async fn accept_transfer(ctx: Ctx, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    let (base, account, successor) = match answering(&ctx, &headers, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match transfers::accept(&ctx, id, &transfers::Acting::of(&account)).await {
        Ok(_) => done(&successor.username, "accepted"),
        Err(e) => error_page(base, e.into()),
    }
}

/// `POST /staff/transfers/{id}/decline`: the successor's staff decline, with a reason
/// the proposing co-op reads.
pub async fn decline_transfer(
    ctx: Ctx,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, account, successor) = match answering(&ctx, &headers, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let pairs = form_pairs(&body);
    let reason = field(&pairs, "reason").trim().to_string();
    match transfers::decline(&ctx, id, &reason, &transfers::Acting::of(&account)).await {
        Ok(_) => done(&successor.username, "declined"),
        Err(e) => error_page(base, e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// Replies under announcements: answer, hide, pin

/// A member's question waiting for an answer, on the staff page of its listing.
pub struct QuestionView {
    pub ap_id: String,
    pub handle: String,
    pub content: String,
    pub published: String,
    pub href: String,
    pub private_note: Option<String>,
}

async fn question_views(ctx: &Ctx, a: &actor::Model) -> Result<Vec<QuestionView>, AppError> {
    Ok(replies::unanswered(&ctx.db, &[a.id])
        .await?
        .into_iter()
        .map(|q| QuestionView {
            handle: format!("@{}", replies::handle(&q.author)),
            content: q.reply.content_html.clone(),
            published: q.reply.published.format("%Y-%m-%d %H:%M UTC").to_string(),
            href: format!("{}#reply-{}", q.announcement.ap_id, q.reply.id),
            private_note: (!replies::Visibility::shown(&q.reply.visibility))
                .then(|| Tr.vocab("reply-visibility", &q.reply.visibility)),
            ap_id: q.reply.ap_id,
        })
        .collect())
}

/// Where a reply form sends the browser back: the announcement's thread.
fn back_to_thread(announcement: &str, what: &str) -> Response {
    let path = url::Url::parse(announcement)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "/staff".into());
    see_other(&format!("{path}?done={what}#replies"))
}

/// A refusal of a reply form: the message as a page with its status.
fn reply_refused(base: Base, e: DomainError) -> Response {
    match e {
        DomainError::Invalid(m) => error_page(base, AppError::Unprocessable(m)),
        other => error_page(base, other.into()),
    }
}

/// `POST /staff/{username}/answer`: answer a member's reply (or add to the thread of an
/// announcement) as the listing; `pin` pins the answer into the announcement.
pub async fn answer(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, _, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let pairs = form_pairs(&body);
    let result = async {
        let t = replies::answer_target(&ctx.db, field(&pairs, "url")).await?;
        if t.author.id != target.id {
            return Err(DomainError::NotFound(format!(
                "{} is not under an announcement of {}",
                field(&pairs, "url"),
                target.name
            )));
        }
        let pin = field(&pairs, "pin") == "1";
        crate::federation::answers::answer(&ctx, &t, field(&pairs, "text"), pin).await?;
        Ok(t.announcement.ap_id)
    }
    .await;
    match result {
        Ok(a) => back_to_thread(&a, "answer"),
        Err(e) => reply_refused(base, e),
    }
}

/// A reply under an announcement of `target`.
async fn reply_of(
    ctx: &Ctx,
    target: &actor::Model,
    url: &str,
) -> Result<(crate::db::entities::reply::Model, String), DomainError> {
    let (r, a, author) = replies::by_ap_id(&ctx.db, url).await?;
    if author.id != target.id {
        return Err(DomainError::NotFound(format!(
            "{url} is not under an announcement of {}",
            target.name
        )));
    }
    Ok((r, a.ap_id))
}

/// `POST /staff/{username}/replies/hide`: hide a reply from everyone but staff, with a
/// reason for the moderation log.
pub async fn hide_reply(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, account, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let pairs = form_pairs(&body);
    let result = async {
        let (r, a) = reply_of(&ctx, &target, field(&pairs, "url")).await?;
        let by = format!("web:{}", account.username);
        replies::hide(&ctx.db, r, &by, field(&pairs, "reason")).await?;
        Ok(a)
    }
    .await;
    match result {
        Ok(a) => back_to_thread(&a, "hide"),
        Err(e) => reply_refused(base, e),
    }
}

/// `POST /staff/{username}/replies/pin`: pin an answer of the co-op into its announcement
/// (`pinned=1`) or unpin it.
pub async fn pin_reply(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, _, target) = match managed(&ctx, &headers, &username).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let pairs = form_pairs(&body);
    let result = async {
        let (r, a) = reply_of(&ctx, &target, field(&pairs, "url")).await?;
        replies::pin(&ctx.db, r, field(&pairs, "pinned") == "1").await?;
        Ok(a)
    }
    .await;
    match result {
        Ok(a) => back_to_thread(&a, "pin"),
        Err(e) => reply_refused(base, e),
    }
}
