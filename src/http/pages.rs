//! Server-rendered pages for members: the directory with search, facets and paging; the
//! pages of offerings and co-ops (the actor URLs, for browsers); the comparison of two to
//! four offerings; "follow from your instance"; the about page. docs/web.md describes them.
//!
//! Every string from a listing or a remote server is escaped by the templates; only HTML
//! this node generated (escaped text turned into paragraphs, or remote HTML sanitized with
//! ammonia when it arrived) is marked safe. Links to remote pages are kept only when they
//! are http(s). Every page works without JavaScript; `frontend/static/app.js` only adds a
//! copy button.

use super::{activitypub, i18n::Tr, session, wants_activity_json};
use crate::{
    db::entities::{account, actor, announcement},
    directory::{
        self, OfferingQuery, PAGE_SIZE,
        alternatives::{self, Candidate, OfferingRef, Profile},
        interchange::schema_org,
        listing::{CoopSpec, OfferingSpec},
        search::{self, Listing},
        types::{ActorKind, Moderation, Status},
    },
    error::{AppError, AppResult},
    federation::{Ctx, peering},
    html,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::{Path, RawQuery},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::BTreeMap;
use url::Url;

/// Alternatives shown on an offering's page.
const ALTERNATIVES: usize = 5;

/// Offerings a comparison takes.
pub const COMPARE_MIN: usize = 2;
pub const COMPARE_MAX: usize = 4;

/// Largest charter file read, in bytes.
const MAX_CHARTER: u64 = 64 * 1024;

// ---------------------------------------------------------------------------------------
// What every page has

/// The frame of every page: the node's name and who is logged in.
#[derive(Clone)]
pub struct Base {
    pub node_name: String,
    pub user: Option<String>,
    pub admin: bool,
}

impl Base {
    pub fn new(ctx: &Ctx, account: Option<&account::Model>) -> Self {
        Base {
            node_name: ctx.settings.node_name.clone(),
            user: account.map(|a| a.username.clone()),
            admin: account.is_some_and(|a| a.role == "admin"),
        }
    }
}

/// The frame of a page and the logged-in account, from the request's cookie.
pub async fn frame(ctx: &Ctx, headers: &HeaderMap) -> AppResult<(Base, Option<account::Model>)> {
    let account = session::current(ctx, headers).await?;
    Ok((Base::new(ctx, account.as_ref()), account))
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    base: Base,
    tr: Tr,
    title: String,
    message: String,
}

/// An error as a page (the JSON API answers errors as JSON instead). 500s are logged and
/// not echoed.
pub fn error_page(base: Base, err: AppError) -> Response {
    let status = err.status();
    let message = match &err {
        AppError::Internal(e) => {
            tracing::error!(error = ?e, "internal error");
            Tr.t("error-internal")
        }
        other => other.to_string(),
    };
    let title = match status {
        StatusCode::NOT_FOUND => Tr.t("error-not-found"),
        StatusCode::FORBIDDEN => Tr.t("error-forbidden"),
        StatusCode::GONE => Tr.t("error-gone"),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => Tr.t("error-invalid"),
        _ => Tr.t("error-title"),
    };
    (
        status,
        ErrorPage {
            base,
            tr: Tr,
            title,
            message,
        },
    )
        .into_response()
}

/// Any path no route answers: a page for browsers, JSON under `/api/` and for clients
/// that ask for JSON (ActivityPub included).
pub async fn not_found(ctx: Ctx, uri: axum::http::Uri, headers: HeaderMap) -> Response {
    let err = AppError::NotFound(Tr.t("error-no-page"));
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("json") && !a.contains("text/html"));
    if uri.path().starts_with("/api/") || json || wants_activity_json(&headers) {
        return err.into_response();
    }
    let base = match frame(&ctx, &headers).await {
        Ok((base, _)) => base,
        Err(_) => Base::new(&ctx, None),
    };
    error_page(base, err)
}

/// An http(s) link to a page elsewhere, or nothing: remote servers choose these strings,
/// and `javascript:` or `data:` must never become a link.
pub fn safe_href(url: &str) -> Option<String> {
    Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .map(String::from)
}

/// Where a member reads about an actor: our page for our own actors, the remote actor's
/// profile page (`url`, else its id) for the others.
pub fn page_href(a: &actor::Model) -> String {
    if a.local {
        return a.ap_id.clone();
    }
    a.url
        .as_deref()
        .and_then(safe_href)
        .or_else(|| safe_href(&a.ap_id))
        .unwrap_or_else(|| "#".into())
}

fn handle_of(a: &actor::Model) -> String {
    format!("@{}@{}", a.username, a.domain)
}

fn date(d: chrono::DateTime<chrono::Utc>) -> String {
    d.format("%Y-%m-%d %H:%M UTC").to_string()
}

// ---------------------------------------------------------------------------------------
// The directory

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

/// The name of a language tag in the page's language (CLDR), `pt-BR` as "portugais
/// (BR)"; a tag CLDR does not name, by the English table of `alternatives`.
fn language_label(tag: &str) -> String {
    let locale = crate::i18n::current().code();
    let mut parts = tag.splitn(2, '-');
    let primary = parts.next().unwrap_or("");
    match directory::query::language_name(primary, locale) {
        Some(name) => match parts.next() {
            Some(rest) => format!("{name} ({rest})"),
            None => name,
        },
        None => alternatives::language_name(tag),
    }
}

/// The name of a country code in the page's language (CLDR), else the code.
fn country_label(code: &str) -> String {
    directory::query::country_name(code, crate::i18n::current().code())
        .unwrap_or_else(|| code.to_string())
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
    let (base, _) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let q: OfferingQuery = match serde_urlencoded_query(raw.as_deref()) {
        Ok(q) => q,
        Err(e) => return error_page(base, e),
    };
    let tr = Tr;
    let params = Params::of(&q);
    let chars = q.q.as_deref().map_or(0, |q| q.chars().count());
    let searched = if chars > search::MAX_QUERY_CHARS {
        // Said in the page's language, before the search refuses it in the API's words.
        Err(directory::DomainError::Invalid(tr.a2(
            "search-too-long",
            "max",
            search::MAX_QUERY_CHARS,
            "count",
            chars,
        )))
    } else {
        search::search(&ctx.db, &q).await
    };
    let (results, error) = match searched {
        Ok(r) => (Some(r), None),
        Err(directory::DomainError::Invalid(m)) => (None, Some(m)),
        Err(e) => return error_page(base, e.into()),
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
        return (
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
            .into_response();
    };
    // The home page, before any search or filter, offers the category group.
    let group = if params.q.is_empty() && params.filters.is_empty() && results.page == 1 {
        match directory::find_local(&ctx.db, directory::VIDEO_GROUP_USERNAME).await {
            Ok(g) => g.map(|g| GroupInvite {
                name: g.name.clone(),
                handle: handle_of(&g),
                href: g.ap_id.clone(),
                follow_href: follow_href(&g.ap_id),
            }),
            Err(e) => return error_page(base, e.into()),
        }
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
    let items = match result_views(&ctx, &tr, &results.items).await {
        Ok(i) => i,
        Err(e) => return error_page(base, e),
    };
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
    IndexPage {
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
    .into_response()
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
    items: &[directory::OfferingItem],
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
        let found = actor::Entity::find()
            .filter(actor::Column::ApId.is_in(remote))
            .all(&ctx.db)
            .await?;
        let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
        let rows = directory::liveness::rows(&ctx.db, &ids).await?;
        let now = ctx.clock.now();
        for a in found {
            let published = rows
                .get(&a.id)
                .and_then(|r| r.published.as_deref())
                .and_then(|t| serde_json::from_str::<directory::liveness::Liveness>(t).ok());
            if let Some(mut l) = published {
                l.measured_by = a.domain.clone();
                let platform = directory::offering_spec(&a)
                    .map(|s| tr.vocab("platform", s.platform.as_str()))
                    .unwrap_or_default();
                let v = super::liveness::view(
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

fn follow_href(actor: &str) -> String {
    let mut s = url::form_urlencoded::Serializer::for_suffix(String::from("/follow?"), 8);
    s.append_pair("actor", actor);
    s.finish()
}

// ---------------------------------------------------------------------------------------
// Attributes of an offering, for its page and for comparisons

/// One attribute row: a label, the value as text, and a link when the value is a page.
pub struct Attr {
    pub label: String,
    pub text: String,
    pub href: Option<String>,
}

impl Attr {
    fn text(label: String, text: String) -> Self {
        Attr {
            label,
            text,
            href: None,
        }
    }

    fn link(label: String, url: Option<&Url>, none: &str) -> Self {
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

fn languages(list: &[directory::types::Language], none: &str) -> String {
    if list.is_empty() {
        return none.to_string();
    }
    list.iter()
        .map(|l| language_label(l.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The price as a member reads it: "9.00 EUR / month (membership)".
fn price_text(tr: &Tr, p: &directory::listing::Price) -> String {
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
fn offering_attrs(tr: &Tr, l: &Listing, successor: Option<(&str, String)>) -> Vec<Attr> {
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
    let count = |c: Option<directory::listing::Count>| {
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
async fn successor_of(ctx: &Ctx, a: &actor::Model) -> AppResult<Option<(String, String)>> {
    let Some(to) = a.moved_to.as_deref() else {
        return Ok(None);
    };
    let found = actor::Entity::find()
        .filter(actor::Column::ApId.eq(to))
        .one(&ctx.db)
        .await?;
    Ok(Some(match found {
        Some(s) => (page_href(&s), s.name),
        None => (to.to_string(), to.to_string()),
    }))
}

// ---------------------------------------------------------------------------------------
// Offering and co-op pages

pub struct NoteView {
    pub url: String,
    pub content: String,
    pub published: String,
    pub kind: String,
    /// Replies shown under it (counted for the listing page).
    pub replies: u64,
}

fn note_view(tr: &Tr, n: announcement::Model) -> NoteView {
    NoteView {
        url: n.ap_id,
        content: n.content_html,
        published: date(n.published),
        kind: tr.vocab("kind", n.kind.as_str()),
        replies: 0,
    }
}

pub struct AltView {
    pub name: String,
    pub href: String,
    pub actor: String,
    pub handle: String,
    pub coop_name: Option<String>,
    pub platform: String,
    pub reasons: Vec<String>,
    pub drawbacks: Vec<String>,
}

pub struct OfferingLink {
    pub name: String,
    pub href: String,
    pub status: String,
}

/// The parts of an actor page every kind shares.
pub struct ActorHead {
    pub name: String,
    pub handle: String,
    pub actor: String,
    pub summary_html: String,
    pub feed_url: String,
    pub followers: u64,
    pub listed: bool,
    pub manage_href: Option<String>,
    pub follow_action: &'static str,
    /// The "report this listing" form, for listings of this directory.
    pub report_href: Option<String>,
    /// A sunset or transfer, shown before any "Follow".
    pub lifecycle: Option<LifecycleBox>,
    /// Invite to follow this actor: not once it is transferred or closed.
    pub follow: bool,
}

/// What a member must know first about a listing that is ending: the successor (with a
/// "Follow the successor"), or the last day of service and the alternatives; the staff's
/// note.
pub struct LifecycleBox {
    pub transferred: bool,
    pub closed: bool,
    pub last_day: String,
    /// Page, name and actor id of the successor.
    pub successor: Option<(String, String, String)>,
    /// Page, handle and one-line reason of each alternative.
    pub alternatives: Vec<(String, String, String)>,
    pub note: String,
}

async fn lifecycle_box(ctx: &Ctx, a: &actor::Model) -> AppResult<Option<LifecycleBox>> {
    let status: Status = a.status;
    if status == Status::Active {
        return Ok(None);
    }
    let successor = match a.moved_to.as_deref() {
        Some(to) => Some(
            match actor::Entity::find()
                .filter(actor::Column::ApId.eq(to))
                .one(&ctx.db)
                .await?
            {
                Some(s) => (page_href(&s), s.name, s.ap_id),
                None => (to.to_string(), to.to_string(), to.to_string()),
            },
        ),
        None => None,
    };
    let (note, alternatives) =
        if a.kind == ActorKind::Offering && matches!(status, Status::Sunsetting | Status::Closed) {
            let (note, alts) = directory::lifecycle::suggestions(&ctx.db, a).await?;
            let mut views = Vec::new();
            for s in alts {
                let href = actor::Entity::find()
                    .filter(actor::Column::ApId.eq(s.ap_id.as_str()))
                    .one(&ctx.db)
                    .await?
                    .map(|x| page_href(&x))
                    .unwrap_or(s.ap_id.clone());
                views.push((href, format!("@{}", s.handle), s.reason));
            }
            (note, views)
        } else {
            (directory::lifecycle::plan_of(&ctx.db, a).await?.0, vec![])
        };
    Ok(Some(LifecycleBox {
        transferred: status == Status::Transferred,
        closed: status == Status::Closed,
        last_day: a.sunset_end.map(|d| d.to_string()).unwrap_or_default(),
        successor,
        alternatives,
        note,
    }))
}

#[derive(Template, WebTemplate)]
#[template(path = "offering.html")]
pub struct OfferingPage {
    base: Base,
    tr: Tr,
    head: ActorHead,
    coop: Option<OfferingLink>,
    attrs: Vec<Attr>,
    notes: Vec<NoteView>,
    alternatives: Vec<AltView>,
    compare_href: Option<String>,
    /// schema.org JSON-LD of the service, escaped for a script element.
    json_ld: String,
    /// What the probes found, and the outdated-information form.
    live: super::liveness::LivenessView,
}

#[derive(Template, WebTemplate)]
#[template(path = "coop.html")]
pub struct CoopPage {
    base: Base,
    tr: Tr,
    head: ActorHead,
    attrs: Vec<Attr>,
    offerings: Vec<OfferingLink>,
    notes: Vec<NoteView>,
    /// schema.org JSON-LD of the co-op and its services, escaped for a script element.
    json_ld: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "actor.html")]
pub struct ActorPage {
    base: Base,
    tr: Tr,
    head: ActorHead,
    kind_label: String,
    notes: Vec<NoteView>,
}

/// `GET /actors/{username}`: ActivityPub JSON for servers, the actor's page for browsers.
pub async fn actor(ctx: Ctx, Path(username): Path<String>, headers: HeaderMap) -> Response {
    if wants_activity_json(&headers) {
        return activitypub::actor(ctx, Path(username), headers)
            .await
            .into_response();
    }
    let (base, account) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let found = match directory::find_local(&ctx.db, &username).await {
        Ok(a) => a,
        Err(e) => return error_page(base, e.into()),
    };
    let Some(a) = found else {
        return error_page(
            base,
            AppError::NotFound(Tr.a("error-no-actor", "name", &username)),
        );
    };
    if a.moderation == Moderation::Removed {
        return error_page(base, AppError::Gone(Tr.t("error-removed")));
    }
    if a.moderation == Moderation::Suspended {
        return error_page(base, AppError::Gone(Tr.t("error-suspended")));
    }
    match render_actor(&ctx, base, account.as_ref(), a).await {
        Ok(r) => r,
        Err(e) => error_page(Base::new(&ctx, account.as_ref()), e),
    }
}

async fn notes_of(ctx: &Ctx, tr: &Tr, a: &actor::Model) -> AppResult<Vec<NoteView>> {
    let notes = directory::announcements::shown_by(&ctx.db, a, 20).await?;
    let ids: Vec<i64> = notes.iter().map(|n| n.id).collect();
    let counts = directory::replies::counts(&ctx.db, &ids).await?;
    Ok(notes
        .into_iter()
        .map(|n| {
            let replies = counts.get(&n.id).copied().unwrap_or(0);
            NoteView {
                replies,
                ..note_view(tr, n)
            }
        })
        .collect())
}

/// The page of a local actor for a visitor who is not logged in (for callers without the
/// request's headers).
pub async fn actor_page(ctx: &Ctx, a: actor::Model) -> AppResult<Response> {
    render_actor(ctx, Base::new(ctx, None), None, a).await
}

async fn render_actor(
    ctx: &Ctx,
    base: Base,
    account: Option<&account::Model>,
    a: actor::Model,
) -> AppResult<Response> {
    let tr = Tr;
    let kind: ActorKind = a.kind;
    let head = ActorHead {
        name: a.name.clone(),
        handle: handle_of(&a),
        actor: a.ap_id.clone(),
        summary_html: html::paragraphs(&a.summary),
        feed_url: format!("{}/feed.atom", a.ap_id),
        followers: directory::follower_count(&ctx.db, a.id).await?,
        listed: a.moderation == Moderation::Approved,
        manage_href: account
            .filter(|acc| super::staff::may_manage(acc, &a))
            .map(|_| format!("/staff/{}", a.username)),
        follow_action: "/follow",
        report_href: (kind == ActorKind::Offering || kind == ActorKind::Coop)
            .then(|| super::report::link(&a.ap_id)),
        follow: !matches!(a.status, Status::Transferred | Status::Closed),
        lifecycle: lifecycle_box(ctx, &a).await?,
    };
    let notes = notes_of(ctx, &tr, &a).await?;
    match kind {
        ActorKind::Offering => {
            let listing = search::listing_of(&ctx.db, a.clone()).await?;
            let successor = successor_of(ctx, &a).await?;
            let attrs = offering_attrs(
                &tr,
                &listing,
                successor.as_ref().map(|(h, n)| (h.as_str(), n.clone())),
            );
            let coop_actor = match a.coop_id {
                Some(id) => actor::Entity::find_by_id(id).one(&ctx.db).await?,
                None => None,
            };
            let coop_spec = coop_actor
                .as_ref()
                .and_then(|c| directory::coop_spec(c).ok());
            let json_ld = schema_org::script_text(&schema_org::offering_page(
                &a.ap_id,
                &a.name,
                &a.summary,
                &listing.spec,
                coop_actor
                    .as_ref()
                    .map(|c| schema_org::Provider {
                        id: &c.ap_id,
                        name: &c.name,
                        website: coop_spec
                            .as_ref()
                            .and_then(|s| s.website.as_ref())
                            .map(|w| w.0.as_str()),
                        country: coop_spec
                            .as_ref()
                            .and_then(|s| s.country.as_ref())
                            .map(|c| c.as_str()),
                    })
                    .as_ref(),
            ));
            let coop = coop_actor.map(|c| OfferingLink {
                href: page_href(&c),
                name: c.name,
                status: String::new(),
            });
            let alternatives = alternatives_of(&ctx.db, &tr, &listing).await?;
            let compare_href = (!alternatives.is_empty()).then(|| {
                let mut s =
                    url::form_urlencoded::Serializer::for_suffix(String::from("/compare?"), 9);
                s.append_pair("actor", &a.ap_id);
                for alt in alternatives.iter().take(COMPARE_MAX - 1) {
                    s.append_pair("actor", &alt.actor);
                }
                s.finish()
            });
            let live = super::liveness::page_view(
                ctx,
                &tr,
                &a,
                &tr.vocab("platform", listing.spec.platform.as_str()),
            )
            .await?;
            Ok(OfferingPage {
                base,
                tr,
                head,
                coop,
                attrs,
                notes,
                alternatives,
                compare_href,
                json_ld,
                live,
            }
            .into_response())
        }
        ActorKind::Coop => {
            let spec: CoopSpec = directory::coop_spec(&a)?;
            let none = "—";
            let attrs = vec![
                Attr::text(tr.t("attr-form"), tr.vocab("form", spec.form.as_str())),
                Attr::text(
                    tr.t("attr-country"),
                    spec.country
                        .as_ref()
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| none.into()),
                ),
                Attr::link(
                    tr.t("attr-website"),
                    spec.website.as_ref().map(|u| &u.0),
                    none,
                ),
                Attr::link(
                    tr.t("attr-funding"),
                    spec.funding.as_ref().map(|u| &u.0),
                    none,
                ),
            ];
            let listed: Vec<actor::Model> = directory::coop_offerings(&ctx.db, a.id)
                .await?
                .into_iter()
                .filter(|o| o.moderation == Moderation::Approved)
                .collect();
            let services: Vec<_> = listed
                .iter()
                .filter_map(|o| {
                    let spec = directory::offering_spec(o).ok()?;
                    Some((o.ap_id.clone(), o.name.clone(), o.summary.clone(), spec))
                })
                .collect();
            let json_ld = schema_org::script_text(&schema_org::coop_page(
                &schema_org::Provider {
                    id: &a.ap_id,
                    name: &a.name,
                    website: spec.website.as_ref().map(|w| w.0.as_str()),
                    country: spec.country.as_ref().map(|c| c.as_str()),
                },
                &a.summary,
                &services,
            ));
            let offerings = listed
                .into_iter()
                .map(|o| OfferingLink {
                    href: page_href(&o),
                    status: tr.vocab("status", o.status.as_str()),
                    name: o.name,
                })
                .collect();
            Ok(CoopPage {
                base,
                tr,
                head,
                attrs,
                offerings,
                notes,
                json_ld,
            }
            .into_response())
        }
        other => Ok(ActorPage {
            base,
            tr,
            head,
            kind_label: tr.vocab("actor", other.as_str()),
            notes,
        }
        .into_response()),
    }
}

/// Compatible alternatives with their reasons in favour and their drawbacks apart, ranked
/// as `directory::alternatives` ranks them (never by popularity; ties in the fair order).
async fn alternatives_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    tr: &Tr,
    target: &Listing,
) -> AppResult<Vec<AltView>> {
    fn profile(l: &Listing) -> Profile<'_> {
        Profile {
            spec: &l.spec,
            coop_form: l.coop.as_ref().and_then(|c| c.form),
            status: l.status,
        }
    }
    let listings = search::load_listings(db, true).await?;
    let successor = target.actor.moved_to.as_deref();
    let closing = alternatives::closing_coops(db).await?;
    let candidates = listings
        .iter()
        .filter(|l| l.actor.id != target.actor.id)
        .filter(|l| alternatives::not_of_a_going_coop(l, &closing))
        .map(|l| Candidate {
            ap_id: &l.actor.ap_id,
            profile: profile(l),
            successor: successor == Some(l.actor.ap_id.as_str()),
        });
    let by_id: BTreeMap<&str, &Listing> = listings
        .iter()
        .map(|l| (l.actor.ap_id.as_str(), l))
        .collect();
    Ok(
        alternatives::rank(&profile(target), candidates, search::today())
            .into_iter()
            .take(ALTERNATIVES)
            .filter_map(|(c, a)| {
                let l = by_id.get(c.ap_id)?;
                Some(AltView {
                    name: l.actor.name.clone(),
                    href: page_href(&l.actor),
                    actor: l.actor.ap_id.clone(),
                    handle: format!("@{}", l.handle()),
                    coop_name: l.coop.as_ref().map(|c| c.name.clone()),
                    platform: tr.vocab("platform", l.spec.platform.as_str()),
                    reasons: a.reasons,
                    drawbacks: a.drawbacks,
                })
            })
            .collect(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "announcement.html")]
pub struct AnnouncementPage {
    base: Base,
    tr: Tr,
    author_name: String,
    author_url: String,
    note: NoteView,
    /// The path of the announcement, for the forms and the feed.
    path: String,
    replies: Vec<ReplyView>,
    faq: Vec<FaqView>,
    /// The username of the listing when the visitor may answer for it (staff, admins).
    staff_of: Option<String>,
    done: Option<String>,
}

/// One reply under an announcement, threaded one level (`nested`).
pub struct ReplyView {
    pub ap_id: String,
    pub anchor: String,
    pub handle: String,
    pub author_href: String,
    pub link: String,
    pub published: String,
    pub content: String,
    pub coop: bool,
    pub nested: bool,
    pub pinned: bool,
    pub answered: bool,
    pub hidden: bool,
    /// For staff: why the public does not see it (followers only, direct).
    pub private_note: Option<String>,
}

/// A pinned answer of the co-op with the question it answers.
pub struct FaqView {
    pub question: Option<ReplyView>,
    pub answer: ReplyView,
}

fn reply_view(tr: &Tr, s: &directory::replies::Shown, nested: bool) -> ReplyView {
    let r = &s.reply;
    let private_note = (!directory::replies::Visibility::shown(&r.visibility))
        .then(|| tr.vocab("reply-visibility", &r.visibility));
    ReplyView {
        ap_id: r.ap_id.clone(),
        anchor: format!("reply-{}", r.id),
        handle: format!("@{}", directory::replies::handle(&s.author)),
        author_href: page_href(&s.author),
        link: r
            .url
            .as_deref()
            .and_then(safe_href)
            .or_else(|| safe_href(&r.ap_id))
            .unwrap_or_else(|| "#".into()),
        published: date(r.published),
        content: r.content_html.clone(),
        coop: r.local,
        nested,
        pinned: r.pinned,
        answered: s.answered,
        hidden: r.hidden,
        private_note,
    }
}

/// The page of an announcement with its replies; staff of its author get the forms to
/// answer, pin and hide.
async fn thread_page(
    ctx: &Ctx,
    base: Base,
    account: Option<&account::Model>,
    author: actor::Model,
    a: announcement::Model,
    done: Option<String>,
) -> AppResult<Response> {
    use directory::replies;
    let staff = account.is_some_and(|acc| super::staff::may_manage(acc, &author));
    let threads = replies::thread(&ctx.db, a.id, staff).await?;
    let mut views = Vec::new();
    for t in &threads {
        views.push(reply_view(&Tr, &t.top, false));
        views.extend(t.children.iter().map(|c| reply_view(&Tr, c, true)));
    }
    let faq = replies::pinned(&ctx.db, a.id)
        .await?
        .into_iter()
        .map(|(answer, question)| FaqView {
            question: question.as_ref().map(|q| reply_view(&Tr, q, false)),
            answer: reply_view(
                &Tr,
                &replies::Shown {
                    reply: answer,
                    author: author.clone(),
                    answered: false,
                },
                false,
            ),
        })
        .collect();
    let path = Url::parse(&a.ap_id)
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    let page = AnnouncementPage {
        base,
        tr: Tr,
        author_name: author.name.clone(),
        author_url: page_href(&author),
        path,
        replies: views,
        faq,
        staff_of: staff.then(|| author.username.clone()),
        note: note_view(&Tr, a),
        done,
    }
    .into_response();
    Ok(if staff { no_store(page) } else { page })
}

/// A live announcement by its path id, with its author.
async fn find_announcement(ctx: &Ctx, id: &str) -> AppResult<(announcement::Model, actor::Model)> {
    let ap_id = ctx.url(&format!("/announcements/{id}"));
    let a = announcement::Entity::find()
        .filter(announcement::Column::ApId.eq(ap_id.as_str()))
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::NotFound(Tr.t("error-no-announcement")))?;
    if a.deleted {
        return Err(AppError::Gone(Tr.t("error-withdrawn")));
    }
    let author = actor::Entity::find_by_id(a.actor_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::NotFound(Tr.t("error-no-announcement")))?;
    Ok((a, author))
}

/// `GET /announcements/{id}`: the Note for servers, a page for browsers.
pub async fn announcement(
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if wants_activity_json(&headers) {
        return activitypub::announcement(ctx, Path(id), headers)
            .await
            .into_response();
    }
    let (base, account) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let done = url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "done")
        .and_then(|(_, v)| match v.as_ref() {
            "answer" => Some(Tr.t("done-answer")),
            "hide" => Some(Tr.t("done-reply-hidden")),
            "pin" => Some(Tr.t("done-reply-pinned")),
            "report" => Some(Tr.t("done-reply-reported")),
            _ => None,
        });
    let page = async {
        let (a, author) = find_announcement(&ctx, &id).await?;
        thread_page(&ctx, base.clone(), account.as_ref(), author, a, done).await
    }
    .await;
    match page {
        Ok(r) => r,
        Err(e) => error_page(base, e),
    }
}

/// The page of an announcement for a visitor who is not logged in.
pub async fn announcement_page(
    ctx: &Ctx,
    author: actor::Model,
    a: announcement::Model,
) -> AppResult<Response> {
    thread_page(ctx, Base::new(ctx, None), None, author, a, None).await
}

/// `POST /announcements/{id}/report`: a member reports a reply under the announcement;
/// it becomes a report about the reply's author, naming the reply, for the admins.
pub async fn report_reply(ctx: Ctx, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    let base = Base::new(&ctx, None);
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let result = async {
        let (a, _) = find_announcement(&ctx, &id).await?;
        let (r, ra, _) = directory::replies::by_ap_id(&ctx.db, &get("reply")).await?;
        if ra.id != a.id
            || r.local
            || r.hidden
            || !directory::replies::Visibility::shown(&r.visibility)
        {
            return Err(AppError::NotFound(Tr.t("error-no-reply")));
        }
        let author = actor::Entity::find_by_id(r.actor_id)
            .one(&ctx.db)
            .await?
            .ok_or_else(|| AppError::NotFound(Tr.t("error-no-reply")))?;
        // One open report per reply is enough for the admins: repeated reports of the
        // same reply file nothing more.
        let open = directory::moderation::reports(&ctx.db, false).await?;
        let known = open.iter().any(|o| {
            o.target_ap_id == author.ap_id
                && serde_json::from_str::<Vec<String>>(&o.status_uris)
                    .is_ok_and(|s| s.contains(&r.ap_id))
        });
        if !known {
            directory::moderation::report_here(
                &ctx,
                &author,
                vec![r.ap_id.clone()],
                &get("comment"),
            )
            .await?;
        }
        Ok::<_, AppError>(format!("/announcements/{id}?done=report#replies"))
    }
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => error_page(base, e),
    }
}

// ---------------------------------------------------------------------------------------
// Compare

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

/// Find a listed offering by actor URL, profile URL or handle.
async fn listed_offering(ctx: &Ctx, r: &OfferingRef) -> AppResult<Option<actor::Model>> {
    let select = actor::Entity::find()
        .filter(actor::Column::Kind.eq(ActorKind::Offering))
        .filter(actor::Column::Moderation.eq(Moderation::Approved));
    Ok(match r {
        OfferingRef::Id(id) => {
            select
                .filter(actor::Column::Id.eq(*id))
                .one(&ctx.db)
                .await?
        }
        OfferingRef::Url(u) => {
            select
                .filter(
                    Condition::any()
                        .add(actor::Column::ApId.eq(u.as_str()))
                        .add(actor::Column::Url.eq(u.as_str())),
                )
                .one(&ctx.db)
                .await?
        }
        OfferingRef::Handle { username, domain } => {
            select
                .filter(actor::Column::Username.eq(username.as_str()))
                .filter(actor::Column::Domain.eq(domain.as_str()))
                .one(&ctx.db)
                .await?
        }
    })
}

/// `GET /compare?actor=…&actor=…`: two to four offerings side by side.
pub async fn compare(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let tr = Tr;
    let mut wanted: Vec<String> = vec![];
    for (k, v) in url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes()) {
        let v = v.trim().to_string();
        if k == "actor" && !v.is_empty() && !wanted.contains(&v) {
            wanted.push(v);
        }
    }
    let refuse = |base: Base, message: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ComparePage {
                base,
                tr,
                error: Some(message),
                columns: vec![],
                features: vec![],
                rows: vec![],
            },
        )
            .into_response()
    };
    if wanted.len() < COMPARE_MIN || wanted.len() > COMPARE_MAX {
        return refuse(
            base,
            tr.a2("compare-count", "min", COMPARE_MIN, "max", COMPARE_MAX)
                + " "
                + &tr.n("compare-given", wanted.len()),
        );
    }
    let mut listings = vec![];
    for w in &wanted {
        let found = match w.parse::<OfferingRef>() {
            Ok(r) => listed_offering(&ctx, &r).await,
            Err(_) => Ok(None),
        };
        let a = match found {
            Ok(Some(a)) => a,
            Ok(None) => return refuse(base, tr.a("compare-unknown", "actor", w)),
            Err(e) => return error_page(base, e),
        };
        let successor = match successor_of(&ctx, &a).await {
            Ok(s) => s,
            Err(e) => return error_page(base, e),
        };
        match search::listing_of(&ctx.db, a).await {
            Ok(l) => listings.push((l, successor)),
            Err(e) => return error_page(base, e.into()),
        }
    }
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
        .zip(&wanted)
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
    let features = directory::types::Feature::ALL
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
    .into_response()
}

// ---------------------------------------------------------------------------------------
// Follow from your instance

/// The cookie that remembers the member's instance for the next follow (only its host).
const INSTANCE_COOKIE: &str = "instance";

#[derive(Template, WebTemplate)]
#[template(path = "follow.html")]
pub struct FollowPage {
    base: Base,
    tr: Tr,
    actor: String,
    name: String,
    handle: String,
    instance: String,
    error: Option<String>,
}

/// The host of a member's instance from what they typed: `example.social`,
/// `@me@example.social` or `https://example.social/`. Only a DNS name (with an optional
/// port) is accepted, never an IP address, a path or credentials; the redirect is then
/// built from the parsed host, so the form can never send anyone to an arbitrary URL.
pub fn instance_host(input: &str) -> Result<(String, Option<u16>), String> {
    let mut s = input.trim();
    for prefix in ["https://", "http://"] {
        if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
            s = &s[prefix.len()..];
        }
    }
    let s = s.trim_end_matches('/');
    // A handle: the instance is what follows the last `@`.
    let s = match s.rsplit_once('@') {
        Some((user, host)) if !user.contains(['/', '?', '#', '\\', ':']) => host,
        Some(_) => return Err("not a domain".into()),
        None => s,
    };
    if s.is_empty()
        || s.len() > 253
        || !s
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
    {
        return Err("not a domain".into());
    }
    let url = Url::parse(&format!("https://{s}/")).map_err(|e| e.to_string())?;
    if url.path() != "/" || url.username() != "" || url.password().is_some() {
        return Err("not a domain".into());
    }
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let labels: Vec<&str> = d.split('.').collect();
            let tld_ok = labels
                .last()
                .is_some_and(|t| !t.is_empty() && !t.chars().all(|c| c.is_ascii_digit()));
            if (labels.len() < 2 && d != "localhost")
                || !tld_ok
                || labels.iter().any(|l| l.is_empty())
            {
                return Err("not a domain".into());
            }
            Ok((d.to_string(), url.port()))
        }
        _ => Err("an IP address".into()),
    }
}

/// `https://HOST[:PORT]/authorize_interaction?uri=ACTOR`: Mastodon's (and most servers')
/// remote-follow page.
pub fn authorize_url(host: &str, port: Option<u16>, actor: &str) -> AppResult<Url> {
    let mut u = Url::parse("https://instance.invalid/authorize_interaction")
        .map_err(|e| AppError::Internal(e.into()))?;
    u.set_host(Some(host))
        .map_err(|e| AppError::Internal(e.into()))?;
    u.set_port(port)
        .map_err(|_| AppError::Internal(anyhow::anyhow!("cannot set port")))?;
    u.query_pairs_mut().append_pair("uri", actor);
    Ok(u)
}

/// `GET /follow?actor=URL[&instance=DOMAIN]`: without an instance, the form; with one, a
/// redirect to the member's own server, which asks them to confirm the follow there.
pub async fn follow(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let mut actor_url = String::new();
    let mut instance = String::new();
    for (k, v) in url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "actor" => actor_url = v.trim().to_string(),
            "instance" => instance = v.trim().to_string(),
            _ => {}
        }
    }
    // Only actors this directory lists can be followed from here.
    let target = if actor_url.is_empty() {
        None
    } else {
        match actor::Entity::find()
            .filter(actor::Column::ApId.eq(actor_url.as_str()))
            .filter(actor::Column::Kind.is_in([
                ActorKind::Offering,
                ActorKind::Coop,
                ActorKind::Group,
            ]))
            .filter(actor::Column::Moderation.eq(Moderation::Approved))
            .one(&ctx.db)
            .await
        {
            Ok(a) => a,
            Err(e) => return error_page(base, e.into()),
        }
    };
    let Some(target) = target else {
        return error_page(base, AppError::NotFound(Tr.t("follow-unknown")));
    };
    let page = |base, instance: String, error: Option<String>| FollowPage {
        base,
        tr: Tr,
        actor: target.ap_id.clone(),
        name: target.name.clone(),
        handle: handle_of(&target),
        instance,
        error,
    };
    if instance.is_empty() {
        if raw.as_deref().unwrap_or("").contains("instance=") {
            let message = Tr.t("follow-instance-missing");
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(base, instance, Some(message)),
            )
                .into_response();
        }
        // The instance this browser followed from last time, if it is still a valid one.
        let remembered = super::session::read_cookie(&headers, INSTANCE_COOKIE)
            .filter(|v| instance_host(v).is_ok())
            .unwrap_or_default()
            .to_string();
        return page(base, remembered, None).into_response();
    }
    match instance_host(&instance) {
        Ok((host, port)) => match authorize_url(&host, port, &target.ap_id) {
            Ok(u) => {
                let remember = match port {
                    Some(p) => format!("{host}:{p}"),
                    None => host.clone(),
                };
                let cookie = format!(
                    "{INSTANCE_COOKIE}={remember}; Path=/follow; HttpOnly; SameSite=Lax; Max-Age={}",
                    365 * 24 * 3600
                );
                let mut res = Redirect::to(u.as_str()).into_response();
                if let Ok(v) = header::HeaderValue::from_str(&cookie) {
                    res.headers_mut().insert(header::SET_COOKIE, v);
                }
                res
            }
            Err(e) => error_page(base, e),
        },
        Err(_) => {
            let message = Tr.a("follow-instance-invalid", "input", &instance);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(base, instance, Some(message)),
            )
                .into_response()
        }
    }
}

// ---------------------------------------------------------------------------------------
// About

pub struct PeerView {
    pub domain: String,
    pub href: Option<String>,
    pub synced: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "about.html")]
pub struct AboutPage {
    base: Base,
    tr: Tr,
    domain: String,
    charter_html: Option<String>,
    peers: Vec<PeerView>,
    coops: u64,
    offerings: u64,
    remote_offerings: u64,
    directory_handle: String,
}

/// The node's charter: `charter.txt` in the data directory, plain text (blank lines
/// separate paragraphs), read on each request so that an edit shows at once.
async fn charter(ctx: &Ctx) -> Option<String> {
    let path = ctx.settings.data_dir.join("charter.txt");
    let meta = tokio::fs::metadata(&path).await.ok()?;
    if meta.len() > MAX_CHARTER {
        tracing::warn!(path = %path.display(), "the charter is larger than 64 KiB; not shown");
        return None;
    }
    let text = tokio::fs::read_to_string(&path).await.ok()?;
    let html = html::paragraphs(&text);
    (!html.is_empty()).then_some(html)
}

/// `GET /about`: who runs this node, its charter, and the nodes it peers with.
pub async fn about(ctx: Ctx, headers: HeaderMap) -> Response {
    let (base, _) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let data = async {
        let peers = peering::list(&ctx)
            .await?
            .into_iter()
            .map(|p| PeerView {
                href: safe_href(&p.base_url),
                synced: p.synced_at.map(date).unwrap_or_else(|| "—".into()),
                domain: p.domain,
            })
            .collect::<Vec<_>>();
        let listed = |kind: ActorKind, local: bool| {
            actor::Entity::find()
                .filter(actor::Column::Kind.eq(kind))
                .filter(actor::Column::Local.eq(local))
                .filter(actor::Column::Moderation.eq(Moderation::Approved))
                .count(&ctx.db)
        };
        let coops = listed(ActorKind::Coop, true).await?;
        let offerings = listed(ActorKind::Offering, true).await?;
        let remote_offerings = listed(ActorKind::Offering, false).await?;
        Ok::<_, AppError>((peers, coops, offerings, remote_offerings))
    }
    .await;
    let (peers, coops, offerings, remote_offerings) = match data {
        Ok(d) => d,
        Err(e) => return error_page(base, e),
    };
    AboutPage {
        base,
        tr: Tr,
        domain: ctx.settings.domain.clone(),
        charter_html: charter(&ctx).await,
        peers,
        coops,
        offerings,
        remote_offerings,
        directory_handle: format!("@{}@{}", directory::INSTANCE_USERNAME, ctx.settings.domain),
    }
    .into_response()
}

/// Pages are never cached by shared caches: they show who is logged in.
pub fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_hosts_are_parsed_strictly() {
        assert_eq!(
            instance_host("mastodon.social").unwrap(),
            ("mastodon.social".to_string(), None)
        );
        assert_eq!(
            instance_host(" @me@Example.Social ").unwrap().0,
            "example.social"
        );
        assert_eq!(
            instance_host("https://example.social/").unwrap().0,
            "example.social"
        );
        assert_eq!(
            instance_host("social.example:8443").unwrap(),
            ("social.example".to_string(), Some(8443))
        );
        for bad in [
            "",
            "evil.example/path",
            "evil.example?x=1",
            "evil.example#x",
            "user:pass@evil.example",
            "127.0.0.1",
            "[::1]",
            "javascript:alert(1)",
            "nodot",
            "a..b",
            "evil.example\\@good.example",
            "https://evil.example/authorize_interaction?uri=x",
            "//evil.example",
            "exa mple.org",
        ] {
            assert!(instance_host(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn the_redirect_is_built_from_the_host() {
        let u = authorize_url("example.social", None, "http://localhost:1/actors/a?b&c").unwrap();
        assert_eq!(
            u.as_str(),
            "https://example.social/authorize_interaction?uri=http%3A%2F%2Flocalhost%3A1%2Factors%2Fa%3Fb%26c"
        );
    }

    #[test]
    fn only_web_links_become_links() {
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("data:text/html,x").is_none());
        assert!(safe_href(" JavaScript:alert(1)").is_none());
        assert_eq!(
            safe_href("https://a.example/x").as_deref(),
            Some("https://a.example/x")
        );
    }

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
