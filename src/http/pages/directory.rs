//! `GET /`: the directory, with search, facets and paging.

use super::super::{
    frame::{Base, error_page, follow_href, frame_or_error, handle_of, page_or_error, safe_href},
    i18n::Tr,
};
use super::{country_label, language_label};
use crate::db::writes::{Mark, Writes};
use crate::i18n::Lang;
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
    Extension,
    body::Bytes,
    extract::RawQuery,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, OnceLock},
};

/// Directory pages rendered for visitors without a session, kept per node (an extension of
/// the router) so that the same page is not rendered again for every visitor.
///
/// Only pages without text query or `working` filter are kept: their results are the
/// search's kept page (`search::Caches::pages_generation` tells whether a search was
/// answered from it), so a rendered page is used again only while that number is the same,
/// that is while the `actor` table's version and the day are, for the same query and
/// interface language, and when what may change without a new version is the same too:
/// each item's liveness, and for peers' listings their links and published liveness.
/// Nothing of a session is in these pages (the frame of a visitor without one), so none can
/// reach another visitor; pages for a logged-in member are rendered each time.
/// A kept page is also kept compressed, once per encoding a browser asked for, instead of
/// being compressed again for every request (`CompressionLayer` leaves alone a response
/// that has a `Content-Encoding`).
#[derive(Default)]
pub struct RenderedPages(Mutex<HashMap<(String, Lang), Arc<Rendered>>>);

/// Rendered pages kept at most (query and language); beyond, all are dropped.
const RENDERED_MAX: usize = 128;

struct Rendered {
    generation: u64,
    volatile: Vec<Volatile>,
    body: Bytes,
    gzip: OnceLock<Option<Bytes>>,
    br: OnceLock<Option<Bytes>>,
    /// When the database last confirmed this page (before its search), and the day then.
    confirmed: Mutex<(Mark, i64)>,
}

impl Rendered {
    fn new(generation: u64, volatile: Vec<Volatile>, body: Bytes, confirmed: (Mark, i64)) -> Self {
        Rendered {
            generation,
            volatile,
            body,
            gzip: OnceLock::new(),
            br: OnceLock::new(),
            confirmed: Mutex::new(confirmed),
        }
    }

    /// Whether the page is still what the database holds without asking it: confirmed on
    /// the same day, and this process wrote nothing it shows since (`Writes::quiet_since`).
    fn unchanged(&self, writes: &Writes, day: i64) -> bool {
        self.confirmed
            .lock()
            .is_ok_and(|c| c.1 == day && writes.quiet_since(&c.0))
    }

    fn confirm(&self, at: (Mark, i64)) {
        if let Ok(mut c) = self.confirmed.lock() {
            *c = at;
        }
    }

    /// The page as a response, compressed as the request accepts (brotli, else gzip).
    fn response(&self, headers: &HeaderMap) -> Response {
        let (encoding, body) = match Encoding::accepted(headers) {
            Encoding::Br => ("br", self.br.get_or_init(|| brotli(&self.body))),
            Encoding::Gzip => ("gzip", self.gzip.get_or_init(|| gzip(&self.body))),
            Encoding::Identity => return html(self.body.clone()),
        };
        let Some(body) = body else {
            return html(self.body.clone());
        };
        let mut res = html(body.clone());
        let h = res.headers_mut();
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        h.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        res
    }
}

/// The encodings a kept page is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

impl Encoding {
    /// Brotli when `Accept-Encoding` accepts it, else gzip, else none (a `q=0` refuses).
    fn accepted(headers: &HeaderMap) -> Encoding {
        let mut br = false;
        let mut gzip = false;
        for v in headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            for part in v.split(',') {
                let mut pieces = part.split(';');
                let name = pieces.next().unwrap_or("").trim();
                let refused = pieces.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                if name.eq_ignore_ascii_case("br") {
                    br = true;
                } else if name.eq_ignore_ascii_case("gzip") {
                    gzip = true;
                }
            }
        }
        if br {
            Encoding::Br
        } else if gzip {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write as _;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(body).ok()?;
    e.finish().ok().map(Bytes::from)
}

fn brotli(body: &[u8]) -> Option<Bytes> {
    use std::io::Write as _;
    // Quality 6 (tower-http uses 4 per request): a kept page is compressed once.
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 6, 22);
        w.write_all(body).ok()?;
        w.flush().ok()?;
    }
    Some(Bytes::from(out))
}

impl RenderedPages {
    /// The page of `key` when nothing it shows can have changed since the database last
    /// confirmed it, without asking the database.
    fn unchanged(&self, key: &(String, Lang), writes: &Writes, day: i64) -> Option<Arc<Rendered>> {
        let m = self.0.lock().ok()?;
        m.get(key).filter(|r| r.unchanged(writes, day)).cloned()
    }

    fn get(
        &self,
        key: &(String, Lang),
        generation: u64,
        volatile: &[Volatile],
    ) -> Option<Arc<Rendered>> {
        let m = self.0.lock().ok()?;
        m.get(key)
            .filter(|r| r.generation == generation && r.volatile == volatile)
            .cloned()
    }

    fn keep(&self, key: (String, Lang), rendered: Rendered) {
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= RENDERED_MAX {
                m.clear();
            }
            m.insert(key, Arc::new(rendered));
        }
    }
}

/// What a result shows that can change while the search's kept page stays the same.
#[derive(Debug, Clone, PartialEq)]
struct Volatile {
    href: String,
    working: bool,
    unreachable: bool,
    peer_live: Option<String>,
}

/// A rendered page as a response, as `askama_web` answers it.
fn html(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

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
pub async fn index(
    ctx: Ctx,
    Extension(rendered): Extension<Arc<RenderedPages>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let (base, account) = match frame_or_error(&ctx, &headers).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let q: OfferingQuery = match serde_urlencoded_query(raw.as_deref()) {
        Ok(q) => q,
        Err(e) => return error_page(base, e),
    };
    let kept = account.is_none().then_some(&*rendered);
    page_or_error(base.clone(), view(&ctx, base, &q, kept, &headers).await)
}

/// The directory's page for a query: the results, or the search refused with the reason.
/// `rendered`: where pages for visitors without a session are kept (`RenderedPages`).
async fn view(
    ctx: &Ctx,
    base: Base,
    q: &OfferingQuery,
    rendered: Option<&RenderedPages>,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let tr = Tr;
    let params = Params::of(q);
    let rendered =
        rendered.filter(|_| params.q.is_empty() && q.working.is_none() && base.user.is_none());
    let key = (format!("{q:?}"), crate::i18n::current());
    // Taken before anything is read: what is read after it is confirmed as of then.
    let confirmed = (ctx.writes.mark(), search::today());
    if let Some(page) = rendered.and_then(|k| k.unchanged(&key, &ctx.writes, confirmed.1)) {
        return Ok(page.response(headers));
    }
    let before = rendered.map(|_| ctx.search.pages_generation());
    let searched = search::search(&ctx.db, &ctx.search, q).await;
    // Answered from the search's kept page, unchanged meanwhile.
    let generation = before.filter(|g| *g != 0 && *g == ctx.search.pages_generation());
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
    let volatile = volatile(ctx, &tr, &results.items).await?;
    if let (Some(kept), Some(g)) = (rendered, generation)
        && let Some(page) = kept.get(&key, g, &volatile)
    {
        page.confirm(confirmed);
        return Ok(page.response(headers));
    }
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
    let items = result_views(&tr, &results.items, &volatile);
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
    let page = IndexPage {
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
    };
    let body = Bytes::from(page.render().map_err(|e| AppError::Internal(e.into()))?);
    if let (Some(kept), Some(generation)) = (rendered, generation) {
        kept.keep(
            key,
            Rendered::new(generation, volatile, body.clone(), confirmed),
        );
    }
    Ok(html(body))
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
                    AppError::BadRequest(
                        crate::msg!("error-page-not-number", value = v.clone())
                            .prefixed("page")
                            .text(),
                    )
                })?)
            }
            _ => {}
        }
    }
    Ok(q)
}

/// What the results show that is read for every request: the liveness of each, and for
/// peers' listings their own pages and the liveness their node published (one statement).
async fn volatile(ctx: &Ctx, tr: &Tr, items: &[domain::OfferingItem]) -> AppResult<Vec<Volatile>> {
    let remote: Vec<&str> = items
        .iter()
        .filter(|i| !i.local)
        .map(|i| i.actor.as_str())
        .collect();
    let mut remote_pages: HashMap<String, String> = HashMap::new();
    let mut peer_live: HashMap<String, String> = HashMap::new();
    if !remote.is_empty() {
        let found = domain::browse::remote_links(&ctx.db, &remote).await?;
        let now = ctx.clock.now();
        let platforms: HashMap<&str, &str> = items
            .iter()
            .map(|i| (i.actor.as_str(), i.platform.as_str()))
            .collect();
        for a in found {
            if let Some(mut l) = a.published {
                l.measured_by = a.domain.clone();
                let platform = platforms
                    .get(a.ap_id.as_str())
                    .map(|p| tr.vocab("platform", p))
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
            let href = a
                .url
                .as_deref()
                .and_then(safe_href)
                .or_else(|| safe_href(&a.ap_id))
                .unwrap_or_else(|| "#".into());
            remote_pages.insert(a.ap_id, href);
        }
    }
    Ok(items
        .iter()
        .map(|i| Volatile {
            href: if i.local {
                i.actor.clone()
            } else {
                remote_pages
                    .get(&i.actor)
                    .cloned()
                    .or_else(|| safe_href(&i.actor))
                    .unwrap_or_else(|| "#".into())
            },
            working: i.working,
            unreachable: i.unreachable,
            peer_live: peer_live.get(&i.actor).cloned(),
        })
        .collect())
}

fn result_views(tr: &Tr, items: &[domain::OfferingItem], volatile: &[Volatile]) -> Vec<ResultView> {
    items
        .iter()
        .zip(volatile)
        .map(|(i, v)| {
            let status: Status = i.status.parse().unwrap_or(Status::Active);
            ResultView {
                actor: i.actor.clone(),
                href: v.href.clone(),
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
                working: v.working,
                unreachable: v.unreachable,
                peer_live: v.peer_live.clone(),
            }
        })
        .collect()
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
