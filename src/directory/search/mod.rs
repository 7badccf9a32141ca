//! Search of the directory: full text, facet filters, facet counts, ranking and paging, for
//! local listings and listings learned from peers alike (both are rows of `actor` with the
//! same `attributes` JSON).
//!
//! Full text lives in `listing_search` (migration `m20261124_000002_search`): one row per
//! offering with its name and a body (summary, platform, features, co-op name, handle),
//! folded to lower-case words here so that SQLite (FTS5, `bm25`) and PostgreSQL
//! (`tsvector`, `ts_rank`) see the same words. `reindex` keeps a row current after a change;
//! each row carries a fingerprint of its text, so `ensure_index` at start and every refresh
//! of the facet index repair rows that a path forgot to reindex.
//!
//! Facets are filtered and counted over a compact in-memory index of the listed offerings
//! (`Index`, one per node, in its `Caches`): per listing only what filtering, counting and
//! ordering need, as small integers and interned ids, kept in the order of the day, and for each
//! facet value the set of listings that have it (a bitset, or a list when few do); about
//! 100 bytes a listing, 10 MB at 100,000. It is built from the typed attributes, so the
//! vocabularies of `types` apply the same rules as import does. A version check of three
//! index lookups (latest `updated_at`, highest id, and a counter of deleted offerings and
//! co-ops that a trigger keeps) tells when the database changed; the index then reads only
//! the rows changed since (after such a delete, everything again). A search filters and
//! counts with set operations, runs the full-text statement only when there is a text
//! query (one row of ids and ranks back, not a row per match), and reads and parses only
//! the rows of the page it returns.
//!
//! Ordering: with a text query, by relevance (a word in the name weighs far more than in
//! the body). Without one, by a *fair order*: a shuffle seeded by the actor id and the UTC
//! day, never by popularity; it changes every day, so no provider is always first, and is
//! stable within the day, so paging is consistent. Every node computes the same order for
//! the same day. Before either, listings are grouped by lifecycle: active, then
//! sunsetting, then closed and transferred (kept in the directory, since they name
//! successors, but behind the ones a member can join).
//!
//! The parts: `facets` (filters, counts), `fulltext` (words, documents, the ranked text
//! statement), `index` (the compact index and the repair of `listing_search`), `order` (fair
//! order, paging), `cache` (what is kept between requests, owned by the node's state as
//! `Caches`) and, for the tests, `reference` (the definition the index must match).

mod cache;
mod facets;
mod fulltext;
mod index;
mod order;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;

pub use cache::Caches;
pub use facets::Filters;
pub use fulltext::words;
pub use index::{ensure_index, reindex};
pub use order::{fair_key, today};

use cache::*;
use facets::*;
use fulltext::*;
use index::*;
use order::*;
#[cfg(test)]
use reference::*;

use super::{
    DomainError, DomainResult, coop_offerings,
    listing::{Count, CountryList, LanguageList, OfferingSpec, Price},
    offering_spec,
    query::{self, QueryPart},
    types::*,
};
use crate::db::entities::actor;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Statement,
    Value as DbValue,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::{
    collections::{BTreeMap, BTreeSet, HashMap, HashSet},
    str::FromStr,
    sync::{Arc, Mutex, OnceLock},
};

/// Results per page of `GET /api/v1/offerings` and of the directory page.
pub const PAGE_SIZE: u64 = 50;

/// Longest text query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Words of a text query beyond this many are ignored.
const MAX_TERMS: usize = 12;

/// Values of one filter parameter (empty ones included) beyond this many are refused.
pub const MAX_VALUES: usize = 20;

/// Filters of `GET /api/v1/offerings` and of the directory page. Every filter takes one
/// value or several separated by commas; empty values are ignored (HTML forms send them).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct OfferingQuery {
    /// Words to find in name, summary, platform, features, co-op name.
    pub q: Option<String>,
    pub platform: Option<String>,
    /// Interface or support language (BCP 47); `pt` also finds `pt-BR`.
    pub language: Option<String>,
    /// Jurisdiction or data location (ISO 3166-1).
    pub country: Option<String>,
    /// Features, all of which must be offered.
    pub feature: Option<String>,
    pub status: Option<String>,
    /// Price model.
    pub price: Option<String>,
    pub registration: Option<String>,
    /// Co-op form.
    pub form: Option<String>,
    /// `true`: only listings whose service answered its last probe ("working now").
    pub working: Option<String>,
    pub page: Option<u64>,
}

/// One row of the directory.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferingItem {
    pub actor: String,
    pub handle: String,
    pub name: String,
    pub coop: Option<String>,
    pub coop_name: Option<String>,
    pub coop_form: Option<String>,
    pub platform: String,
    #[schema(value_type = Status)]
    pub status: String,
    /// Published by this node (false: learned from a peer).
    pub local: bool,
    pub summary: String,
    pub features: Vec<String>,
    pub languages: Vec<String>,
    pub support_languages: Vec<String>,
    pub jurisdiction: Option<String>,
    pub data_location: Vec<String>,
    pub participants_per_room: Option<u32>,
    pub price: String,
    pub price_model: String,
    pub registration: String,
    /// This node's last probe found the service up (local listings only).
    pub working: bool,
    /// This node's probes found the service down for 3 days or more: marked, not hidden.
    pub unreachable: bool,
}

/// Counts per facet value over the current result set: how many results would remain if
/// that value were added to the filters. Values with no result are left out.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Facets {
    pub platform: BTreeMap<String, u64>,
    pub feature: BTreeMap<String, u64>,
    pub language: BTreeMap<String, u64>,
    pub country: BTreeMap<String, u64>,
    pub price: BTreeMap<String, u64>,
    pub registration: BTreeMap<String, u64>,
    pub form: BTreeMap<String, u64>,
    pub status: BTreeMap<String, u64>,
}

/// One page of results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// Shared with the kept page it was answered from (`Arc::make_mut` to change it).
    #[schema(value_type = Vec<OfferingItem>)]
    pub items: Arc<Vec<OfferingItem>>,
    /// All results, on every page.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    #[schema(value_type = Facets)]
    pub facets: Arc<Facets>,
    /// How the words of `q` were read: each recognised filter and the words left for full
    /// text, each with the query that removes it (and, when nothing matched, how many
    /// results that would give).
    pub understood: Vec<QueryPart>,
}

/// A co-op as far as search and alternatives need it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CoopRef {
    pub ap_id: String,
    pub name: String,
    pub form: Option<CoopForm>,
}

/// A stored offering with its typed attributes.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    pub actor: actor::Model,
    pub spec: OfferingSpec,
    pub status: Status,
    pub coop: Option<CoopRef>,
}

impl Listing {
    pub fn handle(&self) -> String {
        format!("{}@{}", self.actor.username, self.actor.domain)
    }
}

/// The columns of an offering that an item shows besides its typed attributes.
struct ItemText<'a> {
    ap_id: &'a str,
    username: &'a str,
    domain: &'a str,
    name: &'a str,
    summary: &'a str,
    local: bool,
}

/// The attributes of an offering that its item shows.
#[derive(Debug, Clone, Deserialize)]
struct Shown {
    platform: Platform,
    #[serde(default)]
    features: BTreeSet<Feature>,
    #[serde(default)]
    participants_per_room: Option<Count>,
    price: Price,
    #[serde(default)]
    languages: LanguageList,
    #[serde(default)]
    support_languages: LanguageList,
    #[serde(default)]
    jurisdiction: Option<Country>,
    #[serde(default)]
    data_location: CountryList,
    registration: Registration,
}

fn offering_item(
    a: ItemText<'_>,
    s: &Shown,
    status: Status,
    coop: Option<&CoopRef>,
) -> OfferingItem {
    OfferingItem {
        actor: a.ap_id.to_string(),
        handle: format!("{}@{}", a.username, a.domain),
        name: a.name.to_string(),
        coop: coop.map(|c| c.ap_id.clone()),
        coop_name: coop.map(|c| c.name.clone()),
        coop_form: coop.and_then(|c| c.form).map(|f| f.to_string()),
        platform: s.platform.to_string(),
        status: status.to_string(),
        local: a.local,
        summary: a.summary.to_string(),
        features: s.features.iter().map(|f| f.to_string()).collect(),
        languages: s.languages.0.iter().map(|l| l.to_string()).collect(),
        support_languages: s
            .support_languages
            .0
            .iter()
            .map(|l| l.to_string())
            .collect(),
        jurisdiction: s.jurisdiction.as_ref().map(|c| c.to_string()),
        data_location: s.data_location.0.iter().map(|c| c.to_string()).collect(),
        participants_per_room: s.participants_per_room.map(|c| c.0),
        price: s.price.describe(),
        price_model: s.price.model.to_string(),
        registration: s.registration.to_string(),
        working: false,
        unreachable: false,
    }
}

/// The form named in a co-op's attributes, if any and known.
fn coop_form(attributes: Option<&str>) -> Option<CoopForm> {
    attributes
        .and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok())
        .and_then(|v| v.get("form").and_then(|f| f.as_str()).map(str::to_owned))
        .and_then(|f| f.parse::<CoopForm>().ok())
}

/// Every co-op, by row id.
async fn load_coops<C: ConnectionTrait>(db: &C) -> DomainResult<HashMap<i64, CoopRef>> {
    let rows: Vec<(i64, String, String, Option<String>)> = actor::Entity::find()
        .select_only()
        .columns([
            actor::Column::Id,
            actor::Column::ApId,
            actor::Column::Name,
            actor::Column::Attributes,
        ])
        .filter(actor::Column::Kind.eq(ActorKind::Coop))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ap_id, name, attrs)| {
            let form = coop_form(attrs.as_deref());
            (id, CoopRef { ap_id, name, form })
        })
        .collect())
}

/// Turn stored offerings into listings; rows whose attributes do not parse (a remote
/// listing written by a newer peer, say) are left out with a log line.
fn to_listings(rows: Vec<actor::Model>, coops: &HashMap<i64, CoopRef>) -> Vec<Listing> {
    rows.into_iter()
        .filter_map(|a| {
            let spec = match offering_spec(&a) {
                Ok(s) => s,
                Err(e) => {
                    tracing::debug!(actor = %a.ap_id, error = %e, "offering left out of the directory");
                    return None;
                }
            };
            let status = a.status;
            let coop = a.coop_id.and_then(|id| coops.get(&id)).cloned();
            Some(Listing {
                actor: a,
                spec,
                status,
                coop,
            })
        })
        .collect()
}

/// Every offering with its typed attributes; with `listed_only`, only those approved by
/// moderation (hidden, suspended and pending ones are never shown). For the alternatives,
/// which compare every attribute; search uses the compact `Index` instead.
///
/// The listed offerings of a directory of at most `SNAPSHOT_MAX` listings are served from a
/// parsed snapshot that is rebuilt only when the `actor` table changed (the version check
/// of the index), so a call filters structs in memory instead of reading and parsing every
/// row. The snapshot is kept in the node's `Caches`.
pub(crate) async fn load_listings<C: ConnectionTrait>(
    db: &C,
    caches: &Caches,
    listed_only: bool,
) -> DomainResult<Arc<Vec<Listing>>> {
    if !listed_only {
        return Ok(Arc::new(read_listings(db, false).await?));
    }
    let (version, _) = table_version(db, &[]).await?;
    if let Some(hit) = caches.snapshot(&version) {
        return Ok(hit);
    }
    let mut listings = read_listings(db, true).await?;
    // A changed table may hold text that no `reindex` call covered.
    if let Err(e) = refresh_stale(db, &listings).await {
        tracing::warn!(error = %e, "could not refresh the search index; results may be stale");
    }
    // Keys and the raw attribute text are not needed once parsed: keep the snapshot small.
    for l in &mut listings {
        l.actor.public_key_pem = String::new();
        l.actor.private_key_pem = None;
        l.actor.attributes = None;
    }
    let listings = Arc::new(listings);
    // Memory stays bounded: a very large directory is read per call instead (about 2–3 KiB
    // per listing would stay resident) rather than held in memory.
    if listings.len() <= SNAPSHOT_MAX {
        caches.keep_snapshot(version, listings.clone());
    }
    Ok(listings)
}

async fn read_listings<C: ConnectionTrait>(
    db: &C,
    listed_only: bool,
) -> DomainResult<Vec<Listing>> {
    let mut select = actor::Entity::find().filter(actor::Column::Kind.eq(ActorKind::Offering));
    if listed_only {
        select = select.filter(actor::Column::Moderation.eq(Moderation::Approved));
    }
    let rows = select.all(db).await?;
    let coops = load_coops(db).await?;
    Ok(to_listings(rows, &coops))
}

/// One offering as a listing, whatever its moderation state.
pub(crate) async fn listing_of<C: ConnectionTrait>(
    db: &C,
    a: actor::Model,
) -> DomainResult<Listing> {
    let coop = match a.coop_id {
        Some(id) => load_coops(db).await?.remove(&id),
        None => None,
    };
    let spec = offering_spec(&a)?;
    let status = a.status;
    Ok(Listing {
        actor: a,
        spec,
        status,
        coop,
    })
}

/// The listed offerings matching the query as a member wrote it, one page of them, with
/// facet counts. The words of `q` that name a platform, feature, language, country or
/// price model become those filters (`query::understand`: the same reading for the web
/// page, the API and the directory actor); only the other words go to full text. When
/// nothing matches, each understood part says how many results its removal would give.
///
/// A page whose understood query has no full-text words and no `working` filter depends
/// only on the `actor` table and the day, besides the liveness its items show: it is kept
/// in `caches` under the query as written and served again while the table's version is
/// the same, with the liveness of its items read in the version's statement. Such a search
/// costs one statement and no understanding, filtering or counting.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    caches: &Caches,
    q: &OfferingQuery,
) -> DomainResult<SearchResults> {
    check_query_length(q.q.as_deref())?;
    let key = page_key(q);
    let kept = caches.page(&key);
    let (version, live) = table_version(db, kept.as_ref().map_or(&[], |k| &k.ids[..])).await?;
    caches.saw(&version);
    let day = today();
    if let Some(kept) = kept
        && kept.version == version
        && kept.day == day
    {
        let mut results = SearchResults::clone(&kept.results);
        // The items are the kept page's own, shared, unless their liveness changed: then
        // they are copied, and kept so for the requests after this one.
        let changed = results
            .items
            .iter()
            .zip(kept.ids.iter())
            .any(|(item, id)| !Probe::shows(live.get(id), item));
        if changed {
            for (item, id) in Arc::make_mut(&mut results.items)
                .iter_mut()
                .zip(kept.ids.iter())
            {
                Probe::show(live.get(id), item);
            }
            caches.keep_page(
                key,
                Kept {
                    results: Arc::new(results.clone()),
                    ..kept
                },
            );
        }
        return Ok(results);
    }
    let understood = query::understand(q.q.as_deref().unwrap_or(""));
    let applied = understood.apply(q);
    let page = search_at(db, caches, &applied, version.clone(), day).await?;
    let mut results = page.results;
    results.understood = understood.parts();
    if results.total == 0 {
        for part in &mut results.understood {
            let without = OfferingQuery {
                q: Some(part.without.clone()),
                page: None,
                ..q.clone()
            };
            let applied = query::understand(&part.without).apply(&without);
            let total = search_at(db, caches, &applied, version.clone(), day)
                .await?
                .results
                .total;
            part.results_without = Some(total);
        }
    }
    if page.keep {
        let mut shown = results.clone();
        for item in Arc::make_mut(&mut shown.items) {
            Probe::show(None, item);
        }
        caches.keep_page(
            key,
            Kept {
                version: page.version,
                day,
                results: Arc::new(shown),
                ids: page.ids.into(),
            },
        );
    }
    Ok(results)
}

/// The key of a query in the kept pages: every parameter as written, each with its length,
/// so that no two queries share one.
fn page_key(q: &OfferingQuery) -> String {
    use std::fmt::Write;
    let mut key = String::with_capacity(64);
    for v in [
        &q.q,
        &q.platform,
        &q.language,
        &q.country,
        &q.feature,
        &q.status,
        &q.price,
        &q.registration,
        &q.form,
        &q.working,
    ] {
        match v {
            Some(v) => {
                let _ = write!(key, "{}:{v}", v.len());
            }
            None => key.push('-'),
        }
    }
    if let Some(page) = q.page {
        let _ = write!(key, "{page}");
    }
    key
}

/// The listed offerings matching the filters and the full-text words of `q` taken as they
/// are, one page of them, with facet counts.
#[cfg(test)]
async fn search_filtered<C: ConnectionTrait>(
    db: &C,
    caches: &Caches,
    q: &OfferingQuery,
) -> DomainResult<SearchResults> {
    let (version, _) = table_version(db, &[]).await?;
    Ok(search_at(db, caches, q, version, today()).await?.results)
}

/// A page as `search_at` made it.
struct Page {
    results: SearchResults,
    /// The row ids of its items, in their order.
    ids: Vec<i64>,
    /// The version of the index it was made from.
    version: Version,
    /// Whether it may be kept: no full-text words, no `working` filter.
    keep: bool,
}

/// `search_filtered` with the version of the `actor` table read already (at least
/// `version`) and the day of the fair order.
async fn search_at<C: ConnectionTrait>(
    db: &C,
    caches: &Caches,
    q: &OfferingQuery,
    version: Version,
    day: i64,
) -> DomainResult<Page> {
    let filters = Filters::parse(q)?;
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(DomainError::Invalid(
            crate::msg!("error-page-zero").prefixed("page"),
        ));
    }
    let terms = query_terms(q.q.as_deref())?;
    let keep = terms.is_empty() && !filters.working;
    let idx = current_index(db, caches, version, day).await?;
    let skip = usize::try_from((page - 1).saturating_mul(PAGE_SIZE)).unwrap_or(usize::MAX);
    let per_page = PAGE_SIZE as usize;
    let mut selected = idx.select(&filters);
    if filters.working {
        // Liveness changes with every probe: applied over the day's index.
        let mut set = vec![0u64; idx.entries.len().div_ceil(64)];
        for id in super::liveness::working_ids(db).await? {
            if let Ok(k) = idx.by_id.binary_search_by_key(&id, |(e, _)| *e) {
                set_bit(&mut set, idx.by_id[k].1);
            }
        }
        if let Some(sel) = &selected {
            for (w, s) in set.iter_mut().zip(sel) {
                *w &= s;
            }
        }
        selected = Some(set);
    }
    let (total, facets, ids): (usize, Facets, Vec<i64>) = if terms.is_empty() {
        // The entries are in the order of the day: the page is the selected ones from
        // `skip` on.
        match &selected {
            None => {
                let ids = idx
                    .entries
                    .iter()
                    .skip(skip)
                    .take(per_page)
                    .map(|e| e.id)
                    .collect();
                (idx.entries.len(), idx.everything().clone(), ids)
            }
            Some(set) => {
                let total = set.iter().map(|w| w.count_ones() as usize).sum();
                let ids = positions(set, skip)
                    .take(per_page)
                    .map(|i| idx.entries[i as usize].id)
                    .collect();
                (total, idx.count(set), ids)
            }
        }
    } else {
        // Relevance is what the text statement spends its time on: when the filters leave
        // few listings, it ranks those alone.
        let only: Option<Vec<i64>> = selected.as_ref().and_then(|set| {
            let mut ids: Vec<i64> = positions(set, 0)
                .map(|i| idx.entries[i as usize].id)
                .collect();
            ids.sort_unstable();
            (ids.len() * 2 < idx.entries.len()).then_some(ids)
        });
        let ranks = match &only {
            Some(ids) if ids.is_empty() => Vec::new(),
            only => text_ranks(db, &terms, only.as_deref()).await?,
        };
        // Order: lifecycle group, rank, then position (the fair order), in one integer.
        let mut hits: Vec<u64> = Vec::new();
        let mut found = vec![0u64; idx.entries.len().div_ceil(64)];
        let mut by_id = idx.by_id.iter().peekable();
        for (id, rank) in &ranks {
            while by_id.next_if(|(e, _)| e < id).is_some() {}
            if let Some((e, i)) = by_id.peek()
                && e == id
                && selected.as_ref().is_none_or(|set| has_bit(set, *i))
            {
                set_bit(&mut found, *i);
                let group = idx.lifecycle(idx.entries[*i as usize].facet.class) as u64;
                hits.push(group << 62 | (*rank as u64).min((1 << 30) - 1) << 32 | *i as u64);
            }
        }
        let total = hits.len();
        let ids = if skip < total {
            let end = skip.saturating_add(per_page).min(total);
            if end < total {
                hits.select_nth_unstable(end);
            }
            let head = &mut hits[..end];
            head.sort_unstable();
            head[skip..]
                .iter()
                .map(|h| idx.entries[(*h & 0xffff_ffff) as usize].id)
                .collect()
        } else {
            Vec::new()
        };
        (total, idx.count(&found), ids)
    };
    let (ids, items): (Vec<i64>, Vec<OfferingItem>) =
        page_items(db, &idx, &ids).await?.into_iter().unzip();
    Ok(Page {
        results: SearchResults {
            items: Arc::new(items),
            total: total as u64,
            page,
            per_page: PAGE_SIZE,
            facets: Arc::new(facets),
            understood: Vec::new(),
        },
        ids,
        version: idx.version.clone(),
        keep,
    })
}

/// The items of the listings `ids`, in that order: their rows are read and parsed here,
/// with the liveness of each in the same statement. A listing changed meanwhile so that it
/// is no longer listed is left out.
async fn page_items<C: ConnectionTrait>(
    db: &C,
    idx: &Index,
    ids: &[i64],
) -> DomainResult<Vec<(i64, OfferingItem)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &format!(
                "SELECT a.id, a.kind, a.ap_id, a.username, a.domain, a.name, a.summary, a.local, \
                 a.status, a.coop_id, a.attributes, a.moderation, \
                 CASE WHEN p.next_probe_at IS NULL THEN 0 ELSE 1 END, p.outcome, p.checked_at, \
                 p.down_since FROM actor a LEFT JOIN listing_probe p ON p.actor_id = a.id \
                 WHERE a.id IN ({})",
                marks(ids.len())
            ),
            ids.iter().map(|id| (*id).into()).collect(),
        ))
        .await?;
    let mut by_id: HashMap<i64, (Row, Option<Probe>)> = HashMap::with_capacity(rows.len());
    for r in &rows {
        let row = row_of(r)?;
        let probed: i32 = r.try_get_by_index(12)?;
        let outcome: Option<String> = r.try_get_by_index(13)?;
        let probe = Probe::of(
            probed != 0,
            outcome.as_deref(),
            r.try_get_by_index(14)?,
            r.try_get_by_index(15)?,
        );
        by_id.insert(row.id, (row, probe));
    }
    Ok(ids
        .iter()
        .filter_map(|id| {
            let (r, probe) = by_id.get(id)?;
            let (shown, status) = r.shown()?;
            let coop = r.coop_id.and_then(|c| idx.coops.get(&c));
            let mut item = offering_item(r.text(), &shown, status, coop);
            Probe::show(probe.as_ref(), &mut item);
            Some((*id, item))
        })
        .collect())
}

/// The listed offerings matching the query: one page and the total. The directory page
/// and the API call this (the API through `search`, for the facets too).
pub async fn list_offerings<C: ConnectionTrait>(
    db: &C,
    caches: &Caches,
    q: &OfferingQuery,
) -> DomainResult<(Vec<OfferingItem>, u64)> {
    let r = search(db, caches, q).await?;
    Ok((Arc::unwrap_or_clone(r.items), r.total))
}
