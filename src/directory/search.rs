//! Search of the directory: full text, facet filters, facet counts, ranking and paging, for
//! local listings and listings learned from peers alike (both are rows of `actor` with the
//! same `attributes` JSON).
//!
//! Full text lives in `listing_search` (migration `m20261124_000002_search`): one row per
//! offering with its name and a body (summary, platform, features, co-op name, handle),
//! folded to lower-case words here so that SQLite (FTS5, `bm25`) and PostgreSQL
//! (`tsvector`, `ts_rank`) see the same words. `reindex` keeps a row current after a change;
//! each row carries a fingerprint of its text, so `ensure_index` at start and every text
//! search repair rows that a path forgot to reindex.
//!
//! Facets are filtered and counted here over the typed attributes: a directory holds
//! hundreds or a few thousand offerings, which one query loads in milliseconds, and the
//! typed vocabularies of `types` then apply the same rules as import does.
//!
//! Ordering: with a text query, by relevance (a word in the name weighs far more than in
//! the body). Without one, by a *fair order*: a shuffle seeded by the actor id and the UTC
//! day, never by popularity; it changes every day, so no provider is always first, and is
//! stable within the day, so paging is consistent. Every node computes the same order for
//! the same day. Before either, listings are grouped by lifecycle: active, then
//! sunsetting, then closed and transferred (kept in the directory, since they name
//! successors, but behind the ones a member can join).

use super::{
    DomainError, DomainResult, coop_offerings, listing::OfferingSpec, offering_spec, types::*,
};
use crate::db::entities::actor;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Statement,
    Value as DbValue,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    str::FromStr,
    sync::Arc,
};

/// Results per page of `GET /api/v1/offerings` and of the directory page.
pub const PAGE_SIZE: u64 = 50;

/// Longest text query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Words of a text query beyond this many are ignored.
const MAX_TERMS: usize = 12;

/// Values of one filter parameter beyond this many are refused.
const MAX_VALUES: usize = 20;

/// Bump when the indexed text changes shape, so that every row is rewritten.
const DOCUMENT_VERSION: u32 = 1;

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
    pub page: Option<u64>,
}

/// One row of the directory.
#[derive(Debug, Clone, Serialize)]
pub struct OfferingItem {
    pub actor: String,
    pub handle: String,
    pub name: String,
    pub coop: Option<String>,
    pub coop_name: Option<String>,
    pub coop_form: Option<String>,
    pub platform: String,
    pub status: String,
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
}

/// Counts per facet value over the current result set: how many results would remain if
/// that value were added to the filters. Values with no result are left out.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
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
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub items: Vec<OfferingItem>,
    /// All results, on every page.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub facets: Facets,
}

/// The parsed filters. Within one filter, values are alternatives (any of them), except
/// features, which are all required.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub platform: Vec<Platform>,
    pub feature: Vec<Feature>,
    pub language: Vec<Language>,
    pub country: Vec<Country>,
    pub price: Vec<PriceModel>,
    pub registration: Vec<Registration>,
    pub form: Vec<CoopForm>,
    pub status: Vec<Status>,
}

fn parse_values<T: FromStr<Err = String> + PartialEq>(
    param: &str,
    raw: Option<&str>,
) -> DomainResult<Vec<T>> {
    let mut out = Vec::new();
    for part in raw
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let v = part
            .parse::<T>()
            .map_err(|e| DomainError::Invalid(format!("{param}: {e}")))?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.len() > MAX_VALUES {
        return Err(DomainError::Invalid(format!(
            "{param}: at most {MAX_VALUES} values are accepted; {} were given",
            out.len()
        )));
    }
    Ok(out)
}

impl Filters {
    /// Parse every filter of `q` with the typed vocabularies; a bad value is
    /// `DomainError::Invalid` naming the parameter and the accepted values.
    pub fn parse(q: &OfferingQuery) -> DomainResult<Self> {
        Ok(Filters {
            platform: parse_values("platform", q.platform.as_deref())?,
            feature: parse_values("feature", q.feature.as_deref())?,
            language: parse_values("language", q.language.as_deref())?,
            country: parse_values("country", q.country.as_deref())?,
            price: parse_values("price", q.price.as_deref())?,
            registration: parse_values("registration", q.registration.as_deref())?,
            form: parse_values("form", q.form.as_deref())?,
            status: parse_values("status", q.status.as_deref())?,
        })
    }

    /// Whether a listing passes every filter.
    pub(crate) fn matches(&self, l: &Listing) -> bool {
        let s = &l.spec;
        (self.platform.is_empty() || self.platform.contains(&s.platform))
            && self.feature.iter().all(|f| s.features.contains(f))
            && (self.language.is_empty()
                || self.language.iter().any(|f| {
                    l.languages()
                        .any(|t| language_matches(f.as_str(), t.as_str()))
                }))
            && (self.country.is_empty() || l.countries().any(|c| self.country.contains(c)))
            && (self.price.is_empty() || self.price.contains(&s.price.model))
            && (self.registration.is_empty() || self.registration.contains(&s.registration))
            && (self.form.is_empty()
                || l.coop
                    .as_ref()
                    .and_then(|c| c.form)
                    .is_some_and(|f| self.form.contains(&f)))
            && (self.status.is_empty() || self.status.contains(&l.status))
    }
}

/// A language filter `pt` matches the tags `pt` and `pt-BR`, in any letter case.
fn language_matches(filter: &str, tag: &str) -> bool {
    tag.len() >= filter.len()
        && tag[..filter.len()].eq_ignore_ascii_case(filter)
        && (tag.len() == filter.len() || tag.as_bytes()[filter.len()] == b'-')
}

/// A BCP 47 tag in its usual letter case: `pt-BR`, `zh-Hant`, `de`.
fn canonical_language(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_ascii_lowercase()
            } else if part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                part.to_ascii_uppercase()
            } else if part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                let lower = part.to_ascii_lowercase();
                let mut cs = lower.chars();
                cs.next()
                    .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                    .unwrap_or_default()
            } else {
                part.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A co-op as far as search and alternatives need it.
#[derive(Debug, Clone)]
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
    /// Interface and support languages.
    pub fn languages(&self) -> impl Iterator<Item = &Language> {
        self.spec
            .languages
            .0
            .iter()
            .chain(self.spec.support_languages.0.iter())
    }

    /// Jurisdiction and data locations.
    pub fn countries(&self) -> impl Iterator<Item = &Country> {
        self.spec
            .jurisdiction
            .iter()
            .chain(self.spec.data_location.0.iter())
    }

    pub fn handle(&self) -> String {
        format!("{}@{}", self.actor.username, self.actor.domain)
    }

    pub fn item(&self) -> OfferingItem {
        let a = &self.actor;
        let s = &self.spec;
        OfferingItem {
            actor: a.ap_id.clone(),
            handle: self.handle(),
            name: a.name.clone(),
            coop: self.coop.as_ref().map(|c| c.ap_id.clone()),
            coop_name: self.coop.as_ref().map(|c| c.name.clone()),
            coop_form: self
                .coop
                .as_ref()
                .and_then(|c| c.form)
                .map(|f| f.to_string()),
            platform: s.platform.to_string(),
            status: self.status.to_string(),
            local: a.local,
            summary: a.summary.clone(),
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
        }
    }
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
        .filter(actor::Column::Kind.eq(ActorKind::Coop.to_string()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ap_id, name, attrs)| {
            let form = attrs
                .as_deref()
                .and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok())
                .and_then(|v| v.get("form").and_then(|f| f.as_str()).map(str::to_owned))
                .and_then(|f| f.parse::<CoopForm>().ok());
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
            let status = a.status.parse::<Status>().ok()?;
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

/// Every offering; with `listed_only`, only those approved by moderation (hidden,
/// suspended and pending ones are never shown).
///
/// The listed offerings are served from a parsed snapshot that is rebuilt only when the
/// `actor` table changed (row count or latest `updated_at`), so a query filters structs in
/// memory instead of reading and parsing every row. Snapshots are kept per node (keyed by
/// its instance actor), as several nodes may share a process in tests.
pub(crate) async fn load_listings<C: ConnectionTrait>(
    db: &C,
    listed_only: bool,
) -> DomainResult<Arc<Vec<Listing>>> {
    if !listed_only {
        return Ok(Arc::new(read_listings(db, false).await?));
    }
    let (node, version) = table_version(db).await?;
    if let Some(hit) = SNAPSHOTS.lock().ok().and_then(|m| {
        m.get(&node)
            .filter(|(v, _)| *v == version)
            .map(|(_, l)| l.clone())
    }) {
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
    // Memory stays bounded: a very large directory is read per query instead (slower, see
    // docs/benchmarks.md) rather than held in memory.
    if listings.len() <= SNAPSHOT_MAX
        && let Ok(mut m) = SNAPSHOTS.lock()
    {
        if m.len() > 64 {
            m.clear();
        }
        m.insert(node, (version, listings.clone()));
    }
    Ok(listings)
}

/// The largest directory kept as an in-memory snapshot (about 2–3 KiB per listing).
const SNAPSHOT_MAX: usize = 20_000;

type Snapshots = HashMap<String, (String, Arc<Vec<Listing>>)>;
static SNAPSHOTS: std::sync::LazyLock<std::sync::Mutex<Snapshots>> =
    std::sync::LazyLock::new(Default::default);

/// The node (its instance actor id) and a version of the `actor` table that changes with
/// every insert, update (all of which set `updated_at`) and delete.
async fn table_version<C: ConnectionTrait>(db: &C) -> DomainResult<(String, String)> {
    let sql = "SELECT COALESCE((SELECT ap_id FROM actor WHERE local = TRUE AND username = 'directory'), '') AS node, \
               COUNT(*) AS n, COALESCE(CAST(MAX(updated_at) AS TEXT), '') AS latest FROM actor";
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| DomainError::Other(anyhow::anyhow!("no row from the version query")))?;
    let node: String = row.try_get("", "node")?;
    let n: i64 = row.try_get("", "n")?;
    let latest: String = row.try_get("", "latest")?;
    Ok((node, format!("{n}|{latest}")))
}

async fn read_listings<C: ConnectionTrait>(
    db: &C,
    listed_only: bool,
) -> DomainResult<Vec<Listing>> {
    let mut select =
        actor::Entity::find().filter(actor::Column::Kind.eq(ActorKind::Offering.to_string()));
    if listed_only {
        select = select.filter(actor::Column::Moderation.eq(Moderation::Approved.to_string()));
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
    let status = a.status.parse::<Status>().map_err(DomainError::Invalid)?;
    Ok(Listing {
        actor: a,
        spec,
        status,
        coop,
    })
}

/// The UTC day number that seeds the fair order.
pub fn today() -> i64 {
    chrono::Utc::now().timestamp().div_euclid(86_400)
}

/// The position of an actor in the fair order of `day`: the first 8 bytes of
/// SHA-256(`day` + actor id). Depends on nothing a provider can buy or gather (followers,
/// age, row id), changes every day, and is the same on every node.
pub fn fair_key(ap_id: &str, day: i64) -> u64 {
    let digest = Sha256::digest(format!("{day}\n{ap_id}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(b)
}

/// Lifecycle group in the order: active, sunsetting, then the ones that ended.
fn lifecycle_rank(s: Status) -> u8 {
    match s {
        Status::Active => 0,
        Status::Sunsetting => 1,
        Status::Closed | Status::Transferred => 2,
    }
}

/// The listed offerings matching the query, one page of them, with facet counts.
pub async fn search<C: ConnectionTrait>(db: &C, q: &OfferingQuery) -> DomainResult<SearchResults> {
    let filters = Filters::parse(q)?;
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(DomainError::Invalid("page: page numbers start at 1".into()));
    }
    let terms = query_terms(q.q.as_deref())?;
    let listings = load_listings(db, true).await?;
    let relevance = if terms.is_empty() {
        None
    } else {
        Some(text_matches(db, &terms).await?)
    };
    let day = today();
    let mut hits: Vec<(u8, f64, u64, &Listing)> = listings
        .iter()
        .filter(|l| filters.matches(l))
        .filter_map(|l| {
            let score = match &relevance {
                Some(r) => *r.get(&l.actor.id)?,
                None => 0.0,
            };
            Some((
                lifecycle_rank(l.status),
                score,
                fair_key(&l.actor.ap_id, day),
                l,
            ))
        })
        .collect();
    let facets = count_facets(hits.iter().map(|h| h.3));
    hits.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.actor.id.cmp(&b.3.actor.id))
    });
    let total = hits.len() as u64;
    let skip = usize::try_from((page - 1).saturating_mul(PAGE_SIZE)).unwrap_or(usize::MAX);
    let items = hits
        .iter()
        .skip(skip)
        .take(PAGE_SIZE as usize)
        .map(|h| h.3.item())
        .collect();
    Ok(SearchResults {
        items,
        total,
        page,
        per_page: PAGE_SIZE,
        facets,
    })
}

/// The listed offerings matching the query: one page and the total. The directory page
/// and the API call this (the API through `search`, for the facets too).
pub async fn list_offerings<C: ConnectionTrait>(
    db: &C,
    q: &OfferingQuery,
) -> DomainResult<(Vec<OfferingItem>, u64)> {
    let r = search(db, q).await?;
    Ok((r.items, r.total))
}

fn bump(map: &mut BTreeMap<String, u64>, key: impl Into<String>) {
    *map.entry(key.into()).or_default() += 1;
}

/// Facet counts over a result set.
pub(crate) fn count_facets<'a>(results: impl Iterator<Item = &'a Listing>) -> Facets {
    let mut f = Facets::default();
    // Tags as listed, to keep only language keys someone actually lists.
    let mut listed_languages = BTreeSet::new();
    for l in results {
        let s = &l.spec;
        bump(&mut f.platform, s.platform.as_str());
        for feat in &s.features {
            bump(&mut f.feature, feat.as_str());
        }
        // A listing in `pt-BR` counts for `pt-BR` and for `pt`, as the filter `pt` finds it.
        let mut langs = BTreeSet::new();
        for tag in l.languages() {
            let canon = canonical_language(tag.as_str());
            listed_languages.insert(canon.clone());
            let mut prefix = String::new();
            for part in canon.split('-') {
                if !prefix.is_empty() {
                    prefix.push('-');
                }
                prefix.push_str(part);
                langs.insert(prefix.clone());
            }
        }
        for k in langs {
            bump(&mut f.language, k);
        }
        let countries: BTreeSet<&str> = l.countries().map(|c| c.as_str()).collect();
        for c in countries {
            bump(&mut f.country, c);
        }
        bump(&mut f.price, s.price.model.as_str());
        bump(&mut f.registration, s.registration.as_str());
        if let Some(form) = l.coop.as_ref().and_then(|c| c.form) {
            bump(&mut f.form, form.as_str());
        }
        bump(&mut f.status, l.status.as_str());
    }
    f.language.retain(|k, _| listed_languages.contains(k));
    f
}

// ---------------------------------------------------------------------------------------
// Full text

/// Lower-case words of `text`, diacritics folded (`Galène` → `galene`), split at anything
/// that is not a letter or a digit. Documents and queries go through the same function,
/// so both databases compare the same words.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            fold(c, &mut cur);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Push `c` without its diacritics (Latin-1 and Latin Extended-A, the letters of the
/// languages co-ops list in most).
fn fold(c: char, out: &mut String) {
    let base = match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ß' => return out.push_str("ss"),
        'æ' => return out.push_str("ae"),
        'œ' => return out.push_str("oe"),
        'þ' => return out.push_str("th"),
        other => other,
    };
    out.push(base);
}

/// The words of a text query; refused when absurdly long, cut to `MAX_TERMS` words.
fn query_terms(q: Option<&str>) -> DomainResult<Vec<String>> {
    let q = q.unwrap_or("");
    let n = q.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(DomainError::Invalid(format!(
            "q: a search may have at most {MAX_QUERY_CHARS} characters; this one has {n}"
        )));
    }
    let mut terms = words(q);
    terms.dedup();
    terms.truncate(MAX_TERMS);
    Ok(terms)
}

/// The indexed text of one offering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    pub name: String,
    pub body: String,
    pub fingerprint: String,
}

impl Document {
    pub fn of(l: &Listing) -> Document {
        let a = &l.actor;
        let s = &l.spec;
        let mut body = vec![
            a.summary.clone(),
            s.platform.label().to_string(),
            s.platform.as_str().to_string(),
        ];
        for f in &s.features {
            body.push(f.label().to_string());
            body.push(f.as_str().to_string());
        }
        if let Some(c) = &l.coop {
            body.push(c.name.clone());
        }
        body.push(a.username.clone());
        let name = words(&a.name).join(" ");
        let body = words(&body.join(" ")).join(" ");
        let digest = Sha256::digest(format!("{DOCUMENT_VERSION}\n{name}\n{body}").as_bytes());
        let fingerprint = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Document {
            name,
            body,
            fingerprint,
        }
    }
}

/// `?` placeholders in the notation of the backend.
fn statement(backend: DbBackend, sql: &str, values: Vec<DbValue>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_string()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

async fn write_document<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    doc: &Document,
) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(statement(
        db.get_database_backend(),
        "INSERT INTO listing_search (actor_id, fingerprint, name, body) VALUES (?, ?, ?, ?) \
         ON CONFLICT (actor_id) DO UPDATE SET fingerprint = excluded.fingerprint, \
         name = excluded.name, body = excluded.body",
        vec![
            actor_id.into(),
            doc.fingerprint.clone().into(),
            doc.name.clone().into(),
            doc.body.clone().into(),
        ],
    ))
    .await?;
    Ok(())
}

async fn delete_document<C: ConnectionTrait>(db: &C, actor_id: i64) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(statement(
        db.get_database_backend(),
        "DELETE FROM listing_search WHERE actor_id = ?",
        vec![actor_id.into()],
    ))
    .await?;
    Ok(())
}

async fn fingerprints<C: ConnectionTrait>(db: &C) -> Result<HashMap<i64, String>, sea_orm::DbErr> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT actor_id, fingerprint FROM listing_search",
            vec![],
        ))
        .await?;
    rows.into_iter()
        .map(|r| Ok((r.try_get("", "actor_id")?, r.try_get("", "fingerprint")?)))
        .collect()
}

/// Bring the search row of one actor up to date. Call it after any change to an actor
/// (in the same transaction, with `db` the transaction): an offering is (re)indexed, a co-op
/// reindexes its offerings (their text holds its name), and an actor that no longer exists
/// or is no offering loses its row. Local and remote actors alike.
pub async fn reindex<C: ConnectionTrait>(db: &C, actor_id: i64) -> DomainResult<()> {
    let Some(a) = actor::Entity::find_by_id(actor_id).one(db).await? else {
        delete_document(db, actor_id).await?;
        return Ok(());
    };
    if a.kind == ActorKind::Coop.to_string() {
        let coops = load_coops(db).await?;
        for l in to_listings(coop_offerings(db, a.id).await?, &coops) {
            write_document(db, l.actor.id, &Document::of(&l)).await?;
        }
        return Ok(());
    }
    if a.kind != ActorKind::Offering.to_string() {
        delete_document(db, actor_id).await?;
        return Ok(());
    }
    match listing_of(db, a).await {
        Ok(l) => write_document(db, actor_id, &Document::of(&l)).await?,
        Err(DomainError::Db(e)) => return Err(e.into()),
        Err(e) => {
            tracing::warn!(actor_id, error = %e, "offering not searchable");
            delete_document(db, actor_id).await?;
        }
    }
    Ok(())
}

/// Make the whole index match the stored offerings: rewrite stale and missing rows, drop
/// rows of actors that are gone or unreadable. Cheap when nothing changed (one read of the
/// fingerprints); call it at node start. Returns how many rows it wrote or dropped.
pub async fn ensure_index<C: ConnectionTrait>(db: &C) -> DomainResult<u64> {
    let listings = load_listings(db, false).await?;
    let mut existing = fingerprints(db).await?;
    let mut changed = 0;
    for l in listings.iter() {
        let doc = Document::of(l);
        if existing.remove(&l.actor.id).as_deref() != Some(doc.fingerprint.as_str()) {
            write_document(db, l.actor.id, &doc).await?;
            changed += 1;
        }
    }
    for id in existing.into_keys() {
        delete_document(db, id).await?;
        changed += 1;
    }
    if changed > 0 {
        tracing::info!(rows = changed, "search index refreshed");
    }
    Ok(changed)
}

/// Rewrite the rows of `listings` whose text changed since they were indexed (a change
/// made by a path that does not call `reindex`).
async fn refresh_stale<C: ConnectionTrait>(
    db: &C,
    listings: &[Listing],
) -> Result<(), sea_orm::DbErr> {
    let existing = fingerprints(db).await?;
    for l in listings {
        let doc = Document::of(l);
        if existing.get(&l.actor.id).map(String::as_str) != Some(doc.fingerprint.as_str()) {
            write_document(db, l.actor.id, &doc).await?;
        }
    }
    Ok(())
}

/// Offerings whose text has every term (each as a word or the start of one), with a
/// relevance score, higher is better.
async fn text_matches<C: ConnectionTrait>(
    db: &C,
    terms: &[String],
) -> DomainResult<HashMap<i64, f64>> {
    let backend = db.get_database_backend();
    let stmt = match backend {
        DbBackend::Postgres => {
            // Terms are letters and digits only, so they need no quoting in a tsquery.
            let query = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            // Weights {D, C, B, A}: a word in the name (A) counts five times one in the body.
            statement(
                backend,
                "SELECT actor_id, ts_rank('{0.1, 0.1, 0.2, 1.0}', tsv, query)::float8 AS score \
                 FROM listing_search, to_tsquery('simple', ?) query WHERE tsv @@ query",
                vec![query.into()],
            )
        }
        _ => {
            // Quoted so that words such as AND or NEAR stay words; `*` matches a prefix.
            let query = terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" AND ");
            // bm25 is lower for better matches; the name column weighs ten times the body.
            statement(
                backend,
                "SELECT rowid AS actor_id, -bm25(listing_fts, 10.0, 1.0) AS score \
                 FROM listing_fts WHERE listing_fts MATCH ?",
                vec![query.into()],
            )
        }
    };
    let rows = db.query_all_raw(stmt).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert(r.try_get("", "actor_id")?, r.try_get("", "score")?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_diacritics_and_punctuation() {
        assert_eq!(
            words("Galène: Straße, meet.coop_BBB e2ee"),
            vec!["galene", "strasse", "meet", "coop", "bbb", "e2ee"]
        );
        assert!(words(" -- ").is_empty());
    }

    #[test]
    fn language_filters_match_subtags() {
        assert!(language_matches("pt", "pt-BR"));
        assert!(language_matches("PT-br", "pt-BR"));
        assert!(!language_matches("pt", "ptx"));
        assert!(!language_matches("pt-BR", "pt"));
        assert_eq!(canonical_language("PT-br"), "pt-BR");
        assert_eq!(canonical_language("zh-hant-tw"), "zh-Hant-TW");
    }

    #[test]
    fn bad_filter_values_name_the_parameter_and_accepted_values() {
        let q = OfferingQuery {
            registration: Some("open,sometimes".into()),
            ..Default::default()
        };
        let Err(DomainError::Invalid(msg)) = Filters::parse(&q) else {
            panic!("accepted a bad value");
        };
        assert!(msg.starts_with("registration:"), "{msg}");
        assert!(msg.contains("members-only"), "{msg}");
        let q = OfferingQuery {
            feature: Some("recording, polls,,".into()),
            platform: Some("".into()),
            ..Default::default()
        };
        let f = Filters::parse(&q).unwrap();
        assert_eq!(f.feature, vec![Feature::Recording, Feature::Polls]);
        assert!(f.platform.is_empty());
    }

    #[test]
    fn the_fair_order_rotates_daily_and_is_stable_within_a_day() {
        let ids: Vec<String> = (0..20)
            .map(|i| format!("https://n.example/actors/o{i}"))
            .collect();
        let order = |day| {
            let mut v = ids.clone();
            v.sort_by_key(|id| fair_key(id, day));
            v
        };
        assert_eq!(order(20_000), order(20_000));
        assert_ne!(order(20_000), order(20_001));
        assert_ne!(order(20_000), ids);
        let firsts: BTreeSet<String> = (0..30).map(|d| order(20_000 + d)[0].clone()).collect();
        assert!(firsts.len() > 5, "the same few providers come first");
    }

    #[test]
    fn postgres_placeholders_are_numbered() {
        let s = statement(
            DbBackend::Postgres,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(s.sql, "a = $1 AND b = $2");
    }
}
