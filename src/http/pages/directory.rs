//! `GET /`: the directory, with search, facets and paging.

use super::super::{
    frame::{
        Base, error_page, follow_href, frame_or_error, handle_of, page_href, page_or_error,
        safe_href,
    },
    i18n::Tr,
};
use super::{country_label, language_label};
use crate::{
    directory::{
        self as domain, OfferingQuery, PAGE_SIZE,
        search::{self},
        types::Status,
    },
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::RawQuery,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use std::collections::BTreeMap;

/// The filters of the directory, in the order the page shows them: query parameter and the
/// message id of its heading.
const FACETS: [(&str, &str); 8] = [
    ("platform", "facet-platform"),
    ("feature", "facet-feature"),
    ("language", "facet-language"),
    ("country", "facet-country"),
    ("price", "facet-price"),
    ("registration", "facet-registration"),
    ("form", "facet-form"),
    ("status", "facet-status"),
];

pub struct FacetValue {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub selected: bool,
}

pub struct FacetGroup {
    pub title_id: &'static str,
    pub values: Vec<FacetValue>,
}

pub struct ActiveFilter {
    pub label: String,
    pub href: String,
}

pub struct ResultView {
    pub actor: String,
    pub href: String,
    pub name: String,
    pub handle: String,
    pub local: bool,
    pub coop_name: Option<String>,
    pub coop_href: Option<String>,
    pub platform: String,
    pub status: String,
    pub ended: bool,
    pub summary: String,
    pub price: String,
    pub languages: String,
    pub features: String,
    pub follow_href: String,
    pub working: bool,
    pub unreachable: bool,
    /// A peer's listing: what its node's probes found, labelled as its measurement.
    pub peer_live: Option<String>,
}

pub struct PageLink {
    pub number: u64,
    pub href: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "index.html")]
pub struct IndexPage {
    base: Base,
    tr: Tr,
    q: String,
    /// The filters, carried by the search form so that a new text keeps them.
    hidden: Vec<(&'static str, String)>,
    error: Option<String>,
    active: Vec<ActiveFilter>,
    /// How the search words were read, each part removable.
    understood: Vec<UnderstoodPart>,
    clear_href: String,
    /// "Working now": the link that turns the filter on, when it is off.
    working_href: Option<String>,
    facets: Vec<FacetGroup>,
    items: Vec<ResultView>,
    total: u64,
    pages: Vec<PageLink>,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// On the home page: the category group, one follow for every provider of the field.
    group: Option<GroupInvite>,
}

/// The invitation to follow a category group.
pub struct GroupInvite {
    pub name: String,
    pub handle: String,
    pub href: String,
    pub follow_href: String,
}

/// One part of the search words as understood ("BigBlueButton", "German"), with the link
/// that searches without it and, when nothing matched, how many results that gives.
pub struct UnderstoodPart {
    label: String,
    href: String,
    results_without: Option<u64>,
}

/// The directory's query as ordered parameters, to build links that change one of them.
#[derive(Debug, Clone, Default)]
struct Params {
    q: String,
    filters: BTreeMap<&'static str, Vec<String>>,
}

impl Params {
    fn of(q: &OfferingQuery) -> Self {
        let mut filters = BTreeMap::new();
        for (name, _) in FACETS {
            let raw = match name {
                "platform" => &q.platform,
                "feature" => &q.feature,
                "language" => &q.language,
                "country" => &q.country,
                "price" => &q.price,
                "registration" => &q.registration,
                "form" => &q.form,
                _ => &q.status,
            };
            let values: Vec<String> = raw
                .as_deref()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            if !values.is_empty() {
                filters.insert(name, values);
            }
        }
        if matches!(
            q.working.as_deref().map(str::trim),
            Some("true" | "1" | "yes" | "on")
        ) {
            filters.insert("working", vec!["true".to_string()]);
        }
        Params {
            q: q.q.clone().unwrap_or_default().trim().to_string(),
            filters,
        }
    }

    fn has(&self, name: &str, value: &str) -> bool {
        self.filters
            .get(name)
            .is_some_and(|vs| vs.iter().any(|v| v.eq_ignore_ascii_case(value)))
    }

    /// `/?…` for these parameters and `page`.
    fn href(&self, page: u64) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        for name in FACETS.iter().map(|(n, _)| *n).chain(["working"]) {
            if let Some(vs) = self.filters.get(name) {
                s.append_pair(name, &vs.join(","));
            }
        }
        if page > 1 {
            s.append_pair("page", &page.to_string());
        }
        let query = s.finish();
        if query.is_empty() {
            "/".into()
        } else {
            format!("/?{query}")
        }
    }

    /// Choosing a value narrows the results: features add up (all of them are required);
    /// in the other filters the value replaces the current choice.
    fn with(&self, name: &'static str, value: &str) -> Self {
        let mut p = self.clone();
        if name == "feature" {
            p.filters.entry(name).or_default().push(value.to_string());
        } else {
            p.filters.insert(name, vec![value.to_string()]);
        }
        p
    }

    fn without(&self, name: &str, value: &str) -> Self {
        let mut p = self.clone();
        if let Some(vs) = p.filters.get_mut(name) {
            vs.retain(|v| !v.eq_ignore_ascii_case(value));
            if vs.is_empty() {
                p.filters.remove(name);
            }
        }
        p
    }
}

/// The label of a facet value.
fn facet_label(tr: &Tr, facet: &str, value: &str) -> String {
    match facet {
        // CLDR's names in the page's language; a value it does not name shows as it is.
        "language" => language_label(value),
        "country" => country_label(value),
        "price" => tr.vocab("price", value),
        "working" => tr.t("filter-working-now"),
        other => tr.vocab(other, value),
    }
}

fn facet_counts<'a>(f: &'a search::Facets, name: &str) -> &'a BTreeMap<String, u64> {
    match name {
        "platform" => &f.platform,
        "feature" => &f.feature,
        "language" => &f.language,
        "country" => &f.country,
        "price" => &f.price,
        "registration" => &f.registration,
        "form" => &f.form,
        _ => &f.status,
    }
}

/// `GET /`: the directory. Every state of the page is its URL, so results can be
/// bookmarked and shared; it works without JavaScript.
pub async fn index(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match frame_or_error(&ctx, &headers).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let q: OfferingQuery = match serde_urlencoded_query(raw.as_deref()) {
        Ok(q) => q,
        Err(e) => return error_page(base, e),
    };
    page_or_error(base.clone(), view(&ctx, base, &q).await)
}

/// The directory's page for a query: the results, or the search refused with the reason.
async fn view(ctx: &Ctx, base: Base, q: &OfferingQuery) -> AppResult<Response> {
    let tr = Tr;
    let params = Params::of(q);
    let chars = q.q.as_deref().map_or(0, |q| q.chars().count());
    let searched = if chars > search::MAX_QUERY_CHARS {
        // Said in the page's language, before the search refuses it in the API's words.
        Err(domain::DomainError::Invalid(
            tr.a2(
                "search-too-long",
                "max",
                search::MAX_QUERY_CHARS,
                "count",
                chars,
            )
            .into(),
        ))
    } else {
        search::search(&ctx.db, &ctx.search, q).await
    };
    let (results, error) = match searched {
        Ok(r) => (Some(r), None),
        Err(domain::DomainError::Invalid(m)) => (None, Some(m.text())),
        Err(e) => return Err(e.into()),
    };
    let mut active = vec![];
    for (name, vs) in &params.filters {
        for v in vs {
            active.push(ActiveFilter {
                label: facet_label(&tr, name, v),
                href: params.without(name, v).href(1),
            });
        }
    }
    let hidden = params
        .filters
        .iter()
        .map(|(k, vs)| (*k, vs.join(",")))
        .collect();
    let clear = Params {
        q: params.q.clone(),
        ..Default::default()
    };
    let Some(results) = results else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            IndexPage {
                base,
                tr,
                q: params.q.clone(),
                hidden,
                error,
                active,
                understood: vec![],
                clear_href: clear.href(1),
                working_href: None,
                facets: vec![],
                items: vec![],
                total: 0,
                pages: vec![],
                prev_href: None,
                next_href: None,
                group: None,
            },
        )
            .into_response());
    };
    // The home page, before any search or filter, offers the category group.
    let group = if params.q.is_empty() && params.filters.is_empty() && results.page == 1 {
        (ctx.search)
            .local_actor_after_search(&ctx.db, domain::VIDEO_GROUP_USERNAME)
            .await?
            .map(|g| GroupInvite {
                name: g.name.clone(),
                handle: handle_of(&g),
                href: g.ap_id.clone(),
                follow_href: follow_href(&g.ap_id),
            })
    } else {
        None
    };
    let facets = FACETS
        .iter()
        .map(|&(name, title_id)| {
            let mut values: Vec<FacetValue> = facet_counts(&results.facets, name)
                .iter()
                .map(|(v, n)| {
                    let selected = params.has(name, v);
                    FacetValue {
                        label: facet_label(&tr, name, v),
                        count: *n,
                        href: if selected {
                            params.without(name, v).href(1)
                        } else {
                            params.with(name, v).href(1)
                        },
                        selected,
                    }
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
            FacetGroup { title_id, values }
        })
        .filter(|g| !g.values.is_empty())
        .collect();
    let items = result_views(ctx, &tr, &results.items).await?;
    let page = results.page;
    let last = results.total.div_ceil(PAGE_SIZE).max(1);
    let pages = if last > 1 {
        (1..=last)
            .map(|n| PageLink {
                number: n,
                href: params.href(n),
                current: n == page,
            })
            .collect()
    } else {
        vec![]
    };
    let understood = results
        .understood
        .iter()
        .map(|part| UnderstoodPart {
            // In the page's language; the words searched as text as they were typed.
            label: match part.kind {
                "text" => part.label.clone(),
                kind => facet_label(&tr, kind, &part.value),
            },
            href: Params {
                q: part.without.clone(),
                ..params.clone()
            }
            .href(1),
            results_without: part.results_without,
        })
        .collect();
    Ok(IndexPage {
        base,
        tr,
        q: params.q.clone(),
        hidden,
        error,
        active,
        understood,
        clear_href: clear.href(1),
        working_href: (!params.filters.contains_key("working")).then(|| {
            let mut p = params.clone();
            p.filters.insert("working", vec!["true".to_string()]);
            p.href(1)
        }),
        facets,
        items,
        total: results.total,
        pages,
        prev_href: (page > 1).then(|| params.href(page - 1)),
        next_href: (page < last).then(|| params.href(page + 1)),
        group,
    }
    .into_response())
}

/// The directory's query from the raw query string: a page number that is not a number is
/// a 400 with a message, as in the API.
fn serde_urlencoded_query(raw: Option<&str>) -> AppResult<OfferingQuery> {
    let mut q = OfferingQuery::default();
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v = v.into_owned();
        match k.as_ref() {
            "q" => q.q = Some(v),
            "platform" => q.platform = Some(v),
            "language" => q.language = Some(v),
            "country" => q.country = Some(v),
            "feature" => q.feature = Some(v),
            "status" => q.status = Some(v),
            "price" => q.price = Some(v),
            "registration" => q.registration = Some(v),
            "form" => q.form = Some(v),
            "working" => q.working = Some(v),
            "page" if !v.trim().is_empty() => {
                q.page = Some(v.trim().parse().map_err(|_| {
                    AppError::BadRequest(format!("page: '{v}' is not a page number"))
                })?)
            }
            _ => {}
        }
    }
    Ok(q)
}

async fn result_views(
    ctx: &Ctx,
    tr: &Tr,
    items: &[domain::OfferingItem],
) -> AppResult<Vec<ResultView>> {
    // Remote listings link to their own pages: read their `url`s in one query.
    let remote: Vec<&str> = items
        .iter()
        .filter(|i| !i.local)
        .map(|i| i.actor.as_str())
        .collect();
    let mut remote_pages: BTreeMap<String, String> = BTreeMap::new();
    // Peers' listings: the liveness their node published, as its measurement.
    let mut peer_live: BTreeMap<String, String> = BTreeMap::new();
    if !remote.is_empty() {
        let found = domain::browse::remote_with_liveness(&ctx.db, &remote).await?;
        let now = ctx.clock.now();
        for (a, published) in found {
            if let Some(mut l) = published {
                l.measured_by = a.domain.clone();
                let platform = domain::offering_spec(&a)
                    .map(|s| tr.vocab("platform", s.platform.as_str()))
                    .unwrap_or_default();
                let v = super::super::liveness::view(
                    tr,
                    &l,
                    now,
                    &platform,
                    &ctx.settings.domain,
                    String::new(),
                );
                if !v.line.is_empty() {
                    peer_live.insert(a.ap_id.clone(), format!("{} ({})", v.line, v.measured_by));
                }
            }
            remote_pages.insert(a.ap_id.clone(), page_href(&a));
        }
    }
    Ok(items
        .iter()
        .map(|i| {
            let href = if i.local {
                i.actor.clone()
            } else {
                remote_pages
                    .get(&i.actor)
                    .cloned()
                    .or_else(|| safe_href(&i.actor))
                    .unwrap_or_else(|| "#".into())
            };
            let status: Status = i.status.parse().unwrap_or(Status::Active);
            ResultView {
                actor: i.actor.clone(),
                href,
                name: i.name.clone(),
                handle: format!("@{}", i.handle),
                local: i.local,
                coop_name: i.coop_name.clone(),
                coop_href: i.coop.as_deref().and_then(safe_href),
                platform: tr.vocab("platform", &i.platform),
                status: tr.vocab("status", &i.status),
                ended: matches!(status, Status::Closed | Status::Transferred),
                summary: first_paragraph(&i.summary),
                price: i.price.clone(),
                languages: i
                    .languages
                    .iter()
                    .map(|l| language_label(l))
                    .collect::<Vec<_>>()
                    .join(", "),
                features: i
                    .features
                    .iter()
                    .map(|f| tr.vocab("feature", f))
                    .collect::<Vec<_>>()
                    .join(", "),
                follow_href: follow_href(&i.actor),
                working: i.working,
                unreachable: i.unreachable,
                peer_live: peer_live.get(&i.actor).cloned(),
            }
        })
        .collect())
}

fn first_paragraph(s: &str) -> String {
    let p = s.split("\n\n").next().unwrap_or("").trim();
    if p.chars().count() > 300 {
        let cut: String = p.chars().take(300).collect();
        format!("{cut}…")
    } else {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_links_keep_every_filter() {
        let p = Params::of(&OfferingQuery {
            q: Some("bbb rooms".into()),
            feature: Some("recording".into()),
            platform: Some("jitsi".into()),
            ..Default::default()
        });
        assert_eq!(
            p.href(2),
            "/?q=bbb+rooms&platform=jitsi&feature=recording&page=2"
        );
        assert_eq!(
            p.with("feature", "polls").href(1),
            "/?q=bbb+rooms&platform=jitsi&feature=recording%2Cpolls"
        );
        assert_eq!(
            p.with("platform", "galene")
                .without("feature", "recording")
                .href(1),
            "/?q=bbb+rooms&platform=galene"
        );
    }
}
