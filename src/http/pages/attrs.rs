//! The attributes of an offering as rows, for its page and for comparisons.

use super::super::{
    frame::{page_href, safe_href},
    i18n::Tr,
};
use super::{country_label, language_label};
use crate::{
    directory::{
        self as domain, listing::OfferingSpec, records::Actor, search::Listing, types::Status,
    },
    federation::Ctx,
    http::error::AppResult,
};
use url::Url;

/// One attribute row: a label, the value as text, and a link when the value is a page.
pub struct Attr {
    pub label: String,
    pub text: String,
    pub href: Option<String>,
}

impl Attr {
    pub(super) fn text(label: String, text: String) -> Self {
        Attr {
            label,
            text,
            href: None,
        }
    }

    pub(super) fn link(label: String, url: Option<&Url>, none: &str) -> Self {
        match url.and_then(|u| safe_href(u.as_str())) {
            Some(h) => Attr {
                label,
                text: h
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_string(),
                href: Some(h),
            },
            None => Attr::text(label, none.to_string()),
        }
    }
}

fn languages(list: &[domain::types::Language], none: &str) -> String {
    if list.is_empty() {
        return none.to_string();
    }
    list.iter()
        .map(|l| language_label(l.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The price as a member reads it: "9.00 EUR / month (membership)".
fn price_text(tr: &Tr, p: &domain::listing::Price) -> String {
    let model = tr.vocab("price", p.model.as_str());
    match (&p.amount, &p.currency) {
        (Some(a), Some(c)) => {
            let per = p
                .period
                .map(|x| format!(" / {}", tr.vocab("period", x.as_str())))
                .unwrap_or_default();
            format!("{a} {c}{per} ({model})")
        }
        _ => model,
    }
}

/// Every attribute of an offering, always the same rows in the same order (so that
/// comparisons line up); missing values read "—".
pub(super) fn offering_attrs(tr: &Tr, l: &Listing, successor: Option<(&str, String)>) -> Vec<Attr> {
    let s: &OfferingSpec = &l.spec;
    let none = "—";
    let mut platform = tr.vocab("platform", s.platform.as_str());
    if let Some(v) = &s.platform_version {
        platform.push(' ');
        platform.push_str(v.as_str());
    }
    let features = if s.features.is_empty() {
        none.to_string()
    } else {
        s.features
            .iter()
            .map(|f| tr.vocab("feature", f.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let count = |c: Option<domain::listing::Count>| {
        c.map(|c| c.0.to_string()).unwrap_or_else(|| none.into())
    };
    let status = match l.status {
        Status::Sunsetting => match l.actor.sunset_end {
            Some(end) => tr.a("status-sunsetting-until", "date", end),
            None => tr.vocab("status", "sunsetting"),
        },
        other => tr.vocab("status", other.as_str()),
    };
    let mut rows = vec![
        Attr::text(tr.t("attr-platform"), platform),
        Attr::text(tr.t("attr-features"), features),
        Attr::text(tr.t("attr-participants"), count(s.participants_per_room)),
        Attr::text(tr.t("attr-rooms"), count(s.concurrent_rooms)),
        Attr::text(tr.t("attr-price"), price_text(tr, &s.price)),
        Attr::text(tr.t("attr-languages"), languages(&s.languages.0, none)),
        Attr::text(
            tr.t("attr-support-languages"),
            languages(&s.support_languages.0, none),
        ),
        Attr::text(
            tr.t("attr-jurisdiction"),
            s.jurisdiction
                .as_ref()
                .map(|c| country_label(c.as_str()))
                .unwrap_or_else(|| none.into()),
        ),
        Attr::text(
            tr.t("attr-data-location"),
            if s.data_location.0.is_empty() {
                none.into()
            } else {
                s.data_location
                    .0
                    .iter()
                    .map(|c| country_label(c.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        Attr::text(
            tr.t("attr-registration"),
            tr.vocab("registration", s.registration.as_str()),
        ),
        Attr::text(
            tr.t("attr-coop"),
            match &l.coop {
                Some(c) => match c.form {
                    Some(f) => format!("{} ({})", c.name, tr.vocab("form", f.as_str())),
                    None => c.name.clone(),
                },
                None => none.into(),
            },
        ),
        Attr::text(
            tr.t("attr-free-software"),
            tr.t(if s.free_software { "yes" } else { "no" }),
        ),
        Attr::text(
            tr.t("attr-notice"),
            tr.n("days", u64::from(s.notice_days.0)),
        ),
        Attr::text(tr.t("attr-status"), status),
    ];
    rows.push(match successor {
        Some((href, name)) => Attr {
            label: tr.t("attr-successor"),
            text: name,
            href: safe_href(href),
        },
        None => Attr::text(tr.t("attr-successor"), none.into()),
    });
    rows.push(Attr::link(
        tr.t("attr-homepage"),
        s.homepage.as_ref().map(|u| &u.0),
        none,
    ));
    rows.push(Attr::link(
        tr.t("attr-signup"),
        s.signup.as_ref().map(|u| &u.0),
        none,
    ));
    rows.push(Attr::link(
        tr.t("attr-funding"),
        s.funding.as_ref().map(|u| &u.0),
        none,
    ));
    rows
}

/// The successor of a transferred offering: where to read about it and its name.
pub(super) async fn successor_of(ctx: &Ctx, a: &Actor) -> AppResult<Option<(String, String)>> {
    let Some(to) = a.moved_to.as_deref() else {
        return Ok(None);
    };
    Ok(Some(
        match domain::browse::actor_by_ap_id(&ctx.db, to).await? {
            Some(s) => (page_href(&s), s.name),
            None => (to.to_string(), to.to_string()),
        },
    ))
}
