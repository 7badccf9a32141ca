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

/// An offering that may join the comparison: a link to the same comparison with it added.
pub struct Addition {
    pub name: String,
    pub handle: String,
    /// Why it is suggested, as the alternatives rank it ("in favour; drawbacks").
    pub summary: String,
    pub add_href: String,
}

/// Offerings suggested for adding, at most.
const ADDITIONS: usize = 5;

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
    /// Offerings to add, while fewer than the maximum are compared.
    additions: Vec<Addition>,
}

/// `GET /compare?actor=…&actor=…`: two to four offerings side by side.
pub async fn compare(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match frame_or_error(&ctx, &headers).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let wanted = wanted(raw.as_deref());
    match compared(&ctx, &wanted).await {
        Ok(Ok(listings)) => {
            let additions = additions(&ctx, &wanted, &listings).await;
            let mut page = view(base, &wanted, &listings);
            page.additions = additions;
            page.into_response()
        }
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
            additions: vec![],
        },
    )
        .into_response()
}

/// The link to the comparison of `wanted`, back at the table.
fn compare_href<'a>(wanted: impl IntoIterator<Item = &'a str>) -> String {
    let mut s = url::form_urlencoded::Serializer::for_suffix(String::from("/compare?"), 9);
    for w in wanted {
        s.append_pair("actor", w);
    }
    s.finish() + "#compare-caption"
}

/// Offerings to add to the comparison: the best alternatives of the first one compared
/// that are not compared yet, each a link keeping the others in their order. None once the
/// maximum is compared; none either when the alternatives cannot be read (the comparison
/// is still shown).
async fn additions(
    ctx: &Ctx,
    wanted: &[String],
    listings: &[(Listing, Option<(String, String)>)],
) -> Vec<Addition> {
    if wanted.len() >= COMPARE_MAX {
        return vec![];
    }
    let Some(Ok(first)) = listings
        .first()
        .map(|(l, _)| l.actor.ap_id.parse::<OfferingRef>())
    else {
        return vec![];
    };
    let compared: Vec<&str> = listings
        .iter()
        .map(|(l, _)| l.actor.ap_id.as_str())
        .collect();
    let found =
        domain::alternatives::for_offering(&ctx.db, &ctx.search, &first, ADDITIONS + COMPARE_MAX)
            .await;
    let Ok(found) = found else {
        return vec![];
    };
    found
        .items
        .into_iter()
        .filter(|a| !compared.contains(&a.actor.as_str()))
        .take(ADDITIONS)
        .map(|a| Addition {
            add_href: compare_href(
                wanted
                    .iter()
                    .map(String::as_str)
                    .chain(std::iter::once(a.actor.as_str())),
            ),
            name: a.name,
            handle: format!("@{}", a.handle),
            summary: a.summary,
        })
        .collect()
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
    let without =
        |gone: &str| compare_href(wanted.iter().map(String::as_str).filter(|w| *w != gone));
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
        additions: vec![],
    }
}
