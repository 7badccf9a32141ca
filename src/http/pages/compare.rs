//! `GET /compare?actor=…&actor=…`: two to four offerings side by side.

use super::super::{
    frame::{Base, error_page, follow_href, frame_or_error, page_href, safe_href},
    i18n::Tr,
};
use super::attrs::{Attr, offering_attrs, successor_of};
use crate::{
    directory::{
        self as domain,
        alternatives::OfferingRef,
        search::{self, Listing},
    },
    federation::Ctx,
    http::error::AppError,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::RawQuery,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

/// Offerings a comparison takes.
pub const COMPARE_MIN: usize = 2;
pub const COMPARE_MAX: usize = 4;

pub struct CompareColumn {
    pub name: String,
    pub href: String,
    pub handle: String,
    pub local: bool,
    /// "Follow from your instance" for this offering.
    pub follow_href: String,
    /// Where to sign up, when the offering says.
    pub signup_href: Option<String>,
    /// The same comparison without this offering, while more than the minimum remain.
    pub remove_href: Option<String>,
}

/// One feature across the compared offerings: ✓ or ✗ in each column.
pub struct FeatureRow {
    pub label: String,
    pub cells: Vec<bool>,
    pub differs: bool,
}

pub struct CompareRow {
    pub label: String,
    pub cells: Vec<Attr>,
    /// The values differ between the offerings.
    pub differs: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "compare.html")]
pub struct ComparePage {
    base: Base,
    tr: Tr,
    error: Option<String>,
    columns: Vec<CompareColumn>,
    features: Vec<FeatureRow>,
    rows: Vec<CompareRow>,
}

/// `GET /compare?actor=…&actor=…`: two to four offerings side by side.
pub async fn compare(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match frame_or_error(&ctx, &headers).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let wanted = wanted(raw.as_deref());
    match compared(&ctx, &wanted).await {
        Ok(Ok(listings)) => view(base, &wanted, &listings).into_response(),
        Ok(Err(message)) => refuse(base, message),
        Err(e) => error_page(base, e),
    }
}

/// The offerings asked for, each once, in their order.
fn wanted(raw: Option<&str>) -> Vec<String> {
    let mut wanted: Vec<String> = vec![];
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v = v.trim().to_string();
        if k == "actor" && !v.is_empty() && !wanted.contains(&v) {
            wanted.push(v);
        }
    }
    wanted
}

/// The comparison refused, with the reason.
fn refuse(base: Base, message: String) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        ComparePage {
            base,
            tr: Tr,
            error: Some(message),
            columns: vec![],
            features: vec![],
            rows: vec![],
        },
    )
        .into_response()
}

/// The listing of each offering asked for, with its successor; or why the comparison is
/// refused (too few, too many, one not listed here).
async fn compared(
    ctx: &Ctx,
    wanted: &[String],
) -> Result<Result<Vec<(Listing, Option<(String, String)>)>, String>, AppError> {
    let tr = Tr;
    if wanted.len() < COMPARE_MIN || wanted.len() > COMPARE_MAX {
        return Ok(Err(tr.a2(
            "compare-count",
            "min",
            COMPARE_MIN,
            "max",
            COMPARE_MAX,
        ) + " "
            + &tr.n("compare-given", wanted.len())));
    }
    let mut listings = vec![];
    for w in wanted {
        let found = match w.parse::<OfferingRef>() {
            Ok(r) => domain::browse::listed_offering(&ctx.db, &r).await?,
            Err(_) => None,
        };
        let Some(a) = found else {
            return Ok(Err(tr.a("compare-unknown", "actor", w)));
        };
        let successor = successor_of(ctx, &a).await?;
        listings.push((search::listing_of(&ctx.db, a).await?, successor));
    }
    Ok(Ok(listings))
}

/// The comparison page of the listings found.
fn view(
    base: Base,
    wanted: &[String],
    listings: &[(Listing, Option<(String, String)>)],
) -> ComparePage {
    let tr = Tr;
    // Removing a column keeps the others, in their order, and the place on the page.
    let without = |gone: &str| {
        let mut s = url::form_urlencoded::Serializer::for_suffix(String::from("/compare?"), 9);
        for w in wanted.iter().filter(|w| w.as_str() != gone) {
            s.append_pair("actor", w);
        }
        s.finish() + "#compare-caption"
    };
    let columns = listings
        .iter()
        .zip(wanted)
        .map(|((l, _), asked)| CompareColumn {
            name: l.actor.name.clone(),
            href: page_href(&l.actor),
            handle: format!("@{}", l.handle()),
            local: l.actor.local,
            follow_href: follow_href(&l.actor.ap_id),
            signup_href: l.spec.signup.as_ref().and_then(|u| safe_href(u.0.as_str())),
            remove_href: (wanted.len() > COMPARE_MIN).then(|| without(asked)),
        })
        .collect();
    // The feature matrix: every feature at least one of them has.
    let features = domain::types::Feature::ALL
        .iter()
        .filter_map(|f| {
            let cells: Vec<bool> = listings
                .iter()
                .map(|(l, _)| l.spec.features.contains(f))
                .collect();
            cells.iter().any(|c| *c).then(|| FeatureRow {
                label: tr.vocab("feature", f.as_str()),
                differs: cells.iter().any(|c| *c != cells[0]),
                cells,
            })
        })
        .collect();
    let features_label = tr.t("attr-features");
    let mut per: Vec<Vec<Attr>> = listings
        .iter()
        .map(|(l, s)| offering_attrs(&tr, l, s.as_ref().map(|(h, n)| (h.as_str(), n.clone()))))
        .collect();
    let mut rows = vec![];
    let n = per.first().map(Vec::len).unwrap_or(0);
    for i in 0..n {
        let cells: Vec<Attr> = per
            .iter_mut()
            .map(|attrs| std::mem::replace(&mut attrs[i], Attr::text(String::new(), String::new())))
            .collect();
        let label = cells.first().map(|c| c.label.clone()).unwrap_or_default();
        if label == features_label {
            // Shown as the matrix instead.
            continue;
        }
        let differs = cells.windows(2).any(|w| w[0].text != w[1].text);
        rows.push(CompareRow {
            label,
            cells,
            differs,
        });
    }
    ComparePage {
        base,
        tr,
        error: None,
        columns,
        features,
        rows,
    }
}
