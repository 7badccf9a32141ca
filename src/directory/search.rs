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
//! (`Index`, one per database): per listing only what filtering, counting and ordering
//! need, as small integers and interned ids, kept in the order of the day, and for each
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
    sync::{Arc, LazyLock, Mutex, OnceLock},
};

/// Results per page of `GET /api/v1/offerings` and of the directory page.
pub const PAGE_SIZE: u64 = 50;

/// Longest text query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Words of a text query beyond this many are ignored.
const MAX_TERMS: usize = 12;

/// Values of one filter parameter (empty ones included) beyond this many are refused.
pub const MAX_VALUES: usize = 20;

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
    pub items: Vec<OfferingItem>,
    /// All results, on every page.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub facets: Facets,
    /// How the words of `q` were read: each recognised filter and the words left for full
    /// text, each with the query that removes it (and, when nothing matched, how many
    /// results that would give).
    pub understood: Vec<QueryPart>,
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
    /// Only listings found up by their last probe (liveness.rs).
    pub working: bool,
}

fn parse_values<T: FromStr<Err = String> + PartialEq>(
    param: &str,
    raw: Option<&str>,
) -> DomainResult<Vec<T>> {
    let given = raw.unwrap_or("").split(',').count();
    if given > MAX_VALUES {
        return Err(DomainError::Invalid(format!(
            "{param}: at most {MAX_VALUES} values are accepted; {given} were given"
        )));
    }
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
    Ok(out)
}

impl Filters {
    /// Parse every filter of `q` with the typed vocabularies; a bad value is
    /// `DomainError::Invalid` naming the parameter and the accepted values.
    pub fn parse(q: &OfferingQuery) -> DomainResult<Self> {
        let f = Filters {
            platform: parse_values("platform", q.platform.as_deref())?,
            feature: parse_values("feature", q.feature.as_deref())?,
            language: parse_values("language", q.language.as_deref())?,
            country: parse_values("country", q.country.as_deref())?,
            price: parse_values("price", q.price.as_deref())?,
            registration: parse_values("registration", q.registration.as_deref())?,
            form: parse_values("form", q.form.as_deref())?,
            status: parse_values("status", q.status.as_deref())?,
            working: match q.working.as_deref().map(str::trim) {
                None | Some("") | Some("false") => false,
                Some("true") | Some("1") | Some("yes") | Some("on") => true,
                Some(other) => {
                    return Err(DomainError::Invalid(format!(
                        "working: '{other}' is not accepted; use working=true (or leave it out)"
                    )));
                }
            },
        };
        // "Not stated" is the absence of a claim, not a claim: no filter selects it.
        if f.price.contains(&PriceModel::NotStated)
            || f.registration.contains(&Registration::NotStated)
        {
            return Err(DomainError::Invalid(
                "not-stated is not a filter value: listings whose source states no price or \
                 registration are matched by no price or registration filter; leave the filter out"
                    .into(),
            ));
        }
        Ok(f)
    }

    /// Whether a listing passes every filter (the definition the index implements).
    #[cfg(test)]
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
#[cfg(test)]
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
    /// Interface and support languages.
    #[cfg(test)]
    pub fn languages(&self) -> impl Iterator<Item = &Language> {
        self.spec
            .languages
            .0
            .iter()
            .chain(self.spec.support_languages.0.iter())
    }

    /// Jurisdiction and data locations.
    #[cfg(test)]
    pub fn countries(&self) -> impl Iterator<Item = &Country> {
        self.spec
            .jurisdiction
            .iter()
            .chain(self.spec.data_location.0.iter())
    }

    pub fn handle(&self) -> String {
        format!("{}@{}", self.actor.username, self.actor.domain)
    }

    /// The item `search` shows (here for the reference search of the tests).
    #[cfg(test)]
    pub fn item(&self) -> OfferingItem {
        let a = &self.actor;
        offering_item(
            ItemText {
                ap_id: &a.ap_id,
                username: &a.username,
                domain: &a.domain,
                name: &a.name,
                summary: &a.summary,
                local: a.local,
            },
            &Shown::from(&self.spec),
            self.status,
            self.coop.as_ref(),
        )
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

#[cfg(test)]
impl From<&OfferingSpec> for Shown {
    fn from(s: &OfferingSpec) -> Shown {
        Shown {
            platform: s.platform,
            features: s.features.clone(),
            participants_per_room: s.participants_per_room,
            price: s.price.clone(),
            languages: s.languages.clone(),
            support_languages: s.support_languages.clone(),
            jurisdiction: s.jurisdiction.clone(),
            data_location: s.data_location.clone(),
            registration: s.registration,
        }
    }
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
/// row. Snapshots are kept per database, as several nodes may share a process in tests.
pub(crate) async fn load_listings<C: ConnectionTrait>(
    db: &C,
    listed_only: bool,
) -> DomainResult<Arc<Vec<Listing>>> {
    if !listed_only {
        return Ok(Arc::new(read_listings(db, false).await?));
    }
    let (database, version) = table_version(db).await?;
    if let Some(hit) = SNAPSHOTS.lock().ok().and_then(|m| {
        m.get(&database)
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
    // Memory stays bounded: a very large directory is read per call instead (about 2–3 KiB
    // per listing would stay resident) rather than held in memory.
    if listings.len() <= SNAPSHOT_MAX
        && let Ok(mut m) = SNAPSHOTS.lock()
    {
        if m.len() > 64 {
            m.clear();
        }
        m.insert(database, (version, listings.clone()));
    }
    Ok(listings)
}

/// The largest directory whose full listings `load_listings` keeps in memory.
const SNAPSHOT_MAX: usize = 20_000;

type Snapshots = HashMap<String, (Version, Arc<Vec<Listing>>)>;
static SNAPSHOTS: LazyLock<Mutex<Snapshots>> = LazyLock::new(Default::default);

/// A version of the `actor` table: it changes with every insert (the highest id, and
/// `updated_at`), update (all of which set `updated_at`) and delete of an offering or co-op
/// (the counter `search_deletions`, which a trigger bumps; migration
/// `m20261125_000007_search_version`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Version {
    deletions: i64,
    max_id: i64,
    /// The latest `updated_at`, as the database writes it as text ('' when empty).
    latest: String,
}

/// The database (its file, or its name and oid on the server: several nodes may share a
/// process in tests) and the version of its `actor` table, in one statement of three index
/// lookups.
async fn table_version<C: ConnectionTrait>(db: &C) -> DomainResult<(String, Version)> {
    let backend = db.get_database_backend();
    let database = match backend {
        DbBackend::Postgres => {
            "(SELECT current_database() || ':' || CAST(oid AS TEXT) || ':' || \
             COALESCE(CAST(inet_server_port() AS TEXT), '') FROM pg_database \
             WHERE datname = current_database())"
        }
        _ => "(SELECT COALESCE(file, '') FROM pragma_database_list WHERE name = 'main')",
    };
    let sql = format!(
        "SELECT {database} AS db, (SELECT n FROM search_deletions WHERE id = 1) AS deletions, \
         (SELECT COALESCE(MAX(id), 0) FROM actor) AS max_id, \
         (SELECT COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM actor) AS latest"
    );
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .ok_or_else(|| DomainError::Other(anyhow::anyhow!("no row from the version query")))?;
    let database: Option<String> = row.try_get("", "db")?;
    let deletions: Option<i64> = row.try_get("", "deletions")?;
    Ok((
        format!("{backend:?}:{}", database.unwrap_or_default()),
        Version {
            deletions: deletions.unwrap_or(-1),
            max_id: row.try_get("", "max_id")?,
            latest: row.try_get("", "latest")?,
        },
    ))
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

// ---------------------------------------------------------------------------------------
// The compact index

/// The columns of `actor` that search reads: everything but keys, URLs and dates.
#[derive(Debug, Clone)]
struct Row {
    id: i64,
    kind: ActorKind,
    ap_id: String,
    username: String,
    domain: String,
    name: String,
    summary: String,
    local: bool,
    status: Status,
    coop_id: Option<i64>,
    attributes: Option<String>,
    moderation: Moderation,
}

/// The columns of `Row`, in its order.
const ROW_SQL: &str = "id, kind, ap_id, username, domain, name, summary, local, status, coop_id, attributes, moderation";

/// Rows of `SELECT {ROW_SQL} …`, read by position, without an ORM model.
async fn read_rows<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<DbValue>,
) -> Result<Vec<Row>, sea_orm::DbErr> {
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Row {
                id: r.try_get_by_index(0)?,
                kind: r.try_get_by_index(1)?,
                ap_id: r.try_get_by_index(2)?,
                username: r.try_get_by_index(3)?,
                domain: r.try_get_by_index(4)?,
                name: r.try_get_by_index(5)?,
                summary: r.try_get_by_index(6)?,
                local: r.try_get_by_index(7)?,
                status: r.try_get_by_index(8)?,
                coop_id: r.try_get_by_index(9)?,
                attributes: r.try_get_by_index(10)?,
                moderation: r.try_get_by_index(11)?,
            })
        })
        .collect()
}

/// `?, ?, …`: `n` placeholders.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl Row {
    fn is_offering(&self) -> bool {
        self.kind == ActorKind::Offering
    }

    /// The typed attributes and status of an offering; `None` (with a log line) when they
    /// do not parse, as `to_listings` leaves such rows out.
    fn offering(&self) -> Option<(OfferingSpec, Status)> {
        let spec = match serde_json::from_str::<OfferingSpec>(
            self.attributes.as_deref().unwrap_or("null"),
        ) {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(actor = %self.ap_id, error = %e, "offering left out of the directory");
                return None;
            }
        };
        let status = self.status;
        Some((spec, status))
    }

    /// An offering shown in the directory: approved by moderation, attributes that parse.
    fn listed(&self) -> Option<(OfferingSpec, Status)> {
        if self.is_offering() && self.moderation == Moderation::Approved {
            self.offering()
        } else {
            None
        }
    }

    /// What an item shows of a listed offering. Only those attributes are read: the index
    /// checked all of them when it read the row.
    fn shown(&self) -> Option<(Shown, Status)> {
        if !self.is_offering() || self.moderation != Moderation::Approved {
            return None;
        }
        let shown = serde_json::from_str(self.attributes.as_deref().unwrap_or("null")).ok()?;
        Some((shown, self.status))
    }

    fn text(&self) -> ItemText<'_> {
        ItemText {
            ap_id: &self.ap_id,
            username: &self.username,
            domain: &self.domain,
            name: &self.name,
            summary: &self.summary,
            local: self.local,
        }
    }

    fn document(&self, spec: &OfferingSpec, coops: &HashMap<i64, CoopRef>) -> Document {
        let coop = self.coop_id.and_then(|id| coops.get(&id));
        Document::new(
            &self.name,
            &self.summary,
            &self.username,
            spec,
            coop.map(|c| c.name.as_str()),
        )
    }
}

/// The position of `v` in `all` (a vocabulary's `ALL`), as a small integer.
fn code<T: PartialEq + Copy>(all: &[T], v: T) -> u8 {
    all.iter().position(|x| *x == v).unwrap_or(0) as u8
}

const NO_FORM: u8 = u8::MAX;

/// The facet values of a listing, interned: 12 bytes (`Postings` are made from these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Facet {
    /// Interned (platform, price model, registration, status, co-op form): `Index::classes`.
    class: u16,
    /// Bit `code(Feature::ALL, f)` per feature.
    features: u16,
    /// Interned set of language items: `Index::language_sets`.
    languages: u32,
    /// Interned set of country ids: `Index::country_sets`.
    countries: u32,
}

/// One listed offering in the index: 40 bytes (and its actor id in `Index::ap_ids`).
#[derive(Debug, Clone, Copy)]
struct Entry {
    id: i64,
    /// `fair_key` of the index's day.
    fair: u64,
    ap_id: u32,
    ap_len: u32,
    facet: Facet,
}

/// The small enums of a listing, in this order: platform, price model, registration,
/// status and co-op form (`NO_FORM` without one), each as its `code`.
type Class = [u8; 5];

/// Values of one open vocabulary (language tags, countries) or of combinations (classes,
/// sets of languages or countries) as small integers.
#[derive(Debug)]
struct Interner<K: ?Sized + Eq + std::hash::Hash, V> {
    ids: HashMap<Box<K>, u32>,
    /// What each id stands for.
    values: Vec<V>,
}

impl<K: ?Sized + Eq + std::hash::Hash, V: Clone> Clone for Interner<K, V>
where
    Box<K>: Clone,
{
    fn clone(&self) -> Self {
        Interner {
            ids: self.ids.clone(),
            values: self.values.clone(),
        }
    }
}

impl<K: ?Sized + Eq + std::hash::Hash, V> Default for Interner<K, V> {
    fn default() -> Self {
        Interner {
            ids: HashMap::new(),
            values: Vec::new(),
        }
    }
}

impl<K: ?Sized + Eq + std::hash::Hash, V> Interner<K, V> {
    fn intern(&mut self, key: &K, value: impl FnOnce(&K) -> V) -> u32
    where
        Box<K>: for<'a> From<&'a K>,
    {
        if let Some(id) = self.ids.get(key) {
            return *id;
        }
        let id = self.values.len() as u32;
        self.values.push(value(key));
        self.ids.insert(key.into(), id);
        id
    }

    fn get(&self, key: &K) -> Option<u32> {
        self.ids.get(key).copied()
    }

    fn len(&self) -> usize {
        self.values.len()
    }
}

/// The listed offerings of one database as far as filtering, counting and ordering need
/// them, in the order of the day (lifecycle group, fair key, row id); shared by searches,
/// replaced (copied and updated) on changes.
#[derive(Debug, Default)]
struct Index {
    version: Version,
    /// The day of the entries' `fair` keys and order.
    day: i64,
    entries: Vec<Entry>,
    /// Who has each facet value: filters and counts are set operations on these.
    postings: Postings,
    /// (row id, position in `entries`), sorted by id.
    by_id: Vec<(i64, u32)>,
    ap_ids: String,
    /// Bytes of `ap_ids` no entry refers to any more.
    garbage: usize,
    /// Lower-case language tags and every prefix of them that ends before a `-` (what the
    /// filter `pt` matches in `pt-BR`), with their usual letter case to show.
    languages: Interner<str, Box<str>>,
    countries: Interner<str, Box<str>>,
    classes: Interner<[u8], Class>,
    /// Sorted language items: interned id × 2, + 1 when the tag is listed as such and not
    /// only a prefix of a listed one.
    language_sets: Interner<[u32], Box<[u32]>>,
    country_sets: Interner<[u32], Box<[u32]>>,
    coops: HashMap<i64, CoopRef>,
    /// The facets of all listings, made on first use.
    everything: OnceLock<Facets>,
}

/// Which search rows a full build checks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Documents {
    /// Those of the listed offerings, repaired where stale (a search).
    Listed,
    /// Those of every offering, and rows of other actors dropped (`ensure_index`).
    All,
}

/// Rows read per statement when building.
const CHUNK: u64 = 1_000;

impl Index {
    /// A copy to update, for `day`.
    fn copy(&self, day: i64) -> Index {
        let mut idx = Index {
            version: self.version.clone(),
            day: self.day,
            entries: self.entries.clone(),
            postings: Postings::default(),
            by_id: Vec::new(),
            ap_ids: self.ap_ids.clone(),
            garbage: self.garbage,
            languages: self.languages.clone(),
            countries: self.countries.clone(),
            classes: self.classes.clone(),
            language_sets: self.language_sets.clone(),
            country_sets: self.country_sets.clone(),
            coops: self.coops.clone(),
            everything: OnceLock::new(),
        };
        if day != idx.day {
            idx.day = day;
            for e in &mut idx.entries {
                let ap_id = &idx.ap_ids[e.ap_id as usize..][..e.ap_len as usize];
                e.fair = fair_key(ap_id, day);
            }
        }
        idx.order();
        idx
    }

    /// The lifecycle group of a class.
    fn lifecycle(&self, class: u16) -> u8 {
        lifecycle_rank(Status::ALL[self.classes.values[class as usize][3] as usize])
    }

    /// Put the entries in the order of the day and make `postings` and `by_id` match.
    fn order(&mut self) {
        let mut keyed: Vec<(u8, u64, i64, Entry)> = self
            .entries
            .iter()
            .map(|e| (self.lifecycle(e.facet.class), e.fair, e.id, *e))
            .collect();
        keyed.sort_unstable_by_key(|k| (k.0, k.1, k.2));
        self.entries = keyed.into_iter().map(|k| k.3).collect();
        self.postings = Postings::of(self);
        self.by_id = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i as u32))
            .collect();
        self.by_id.sort_unstable();
    }

    /// Read the whole table: the co-ops and each listed offering; check the search rows of
    /// `documents` on the way. Returns the index and how many search rows it wrote or
    /// dropped.
    async fn build<C: ConnectionTrait>(
        db: &C,
        version: Version,
        day: i64,
        documents: Documents,
    ) -> DomainResult<(Index, u64)> {
        let mut idx = Index {
            version,
            day,
            ..Default::default()
        };
        idx.coops = load_coops(db).await?;
        let mut changed = 0;
        // Offerings whose search row may stay (`Documents::All`).
        let mut searchable = Vec::new();
        let mut after = i64::MIN;
        loop {
            let chunk = read_rows(
                db,
                &format!("SELECT {ROW_SQL} FROM actor WHERE id > ? ORDER BY id LIMIT {CHUNK}"),
                vec![after.into()],
            )
            .await?;
            let Some(last) = chunk.last() else { break };
            after = last.id;
            let mut docs = Vec::new();
            for r in &chunk {
                if !r.is_offering() {
                    continue;
                }
                let listed = r.moderation == Moderation::Approved;
                if !listed && documents == Documents::Listed {
                    continue;
                }
                let Some((spec, status)) = r.offering() else {
                    continue;
                };
                if listed {
                    let e = idx.entry(r, &spec, status);
                    idx.entries.push(e);
                }
                searchable.push(r.id);
                docs.push((r.id, r.document(&spec, &idx.coops)));
            }
            match sync_documents(db, &docs).await {
                Ok(n) => changed += n,
                Err(e) if documents == Documents::Listed => {
                    tracing::warn!(error = %e, "could not refresh the search index; results may be stale");
                }
                Err(e) => return Err(e.into()),
            }
            if (chunk.len() as u64) < CHUNK {
                break;
            }
        }
        if documents == Documents::All {
            let stored = db
                .query_all_raw(statement(
                    db.get_database_backend(),
                    "SELECT actor_id FROM listing_search",
                    vec![],
                ))
                .await?;
            for r in stored {
                let id: i64 = r.try_get("", "actor_id")?;
                if searchable.binary_search(&id).is_err() {
                    delete_document(db, id).await?;
                    changed += 1;
                }
            }
        }
        idx.order();
        Ok((idx, changed))
    }

    /// The index after the changes since its version, read as the rows whose `updated_at`
    /// is not older than its latest one or whose id is higher than its highest (and the
    /// offerings of changed co-ops); `None` when that is not enough: an offering or co-op
    /// was deleted, or so many rows changed that reading everything is as cheap.
    async fn refreshed<C: ConnectionTrait>(
        &self,
        db: &C,
        version: &Version,
        day: i64,
    ) -> DomainResult<Option<Index>> {
        if self.version.latest.is_empty() || version.deletions != self.version.deletions {
            return Ok(None);
        }
        let cap = (self.entries.len() / 8).max(1_000);
        let backend = db.get_database_backend();
        let since = match backend {
            DbBackend::Postgres => "updated_at >= CAST(? AS timestamptz)",
            _ => "updated_at >= ?",
        };
        let mut changed = read_rows(
            db,
            &format!(
                "SELECT {ROW_SQL} FROM actor WHERE {since} OR id > ? LIMIT {}",
                cap + 1
            ),
            vec![
                self.version.latest.clone().into(),
                self.version.max_id.into(),
            ],
        )
        .await?;
        if changed.len() > cap {
            return Ok(None);
        }
        let mut idx = self.copy(day);
        idx.version = version.clone();
        // Co-ops first: their offerings show their name and are filtered by their form.
        let mut coops_changed = Vec::new();
        for r in &changed {
            let now = (r.kind == ActorKind::Coop).then(|| CoopRef {
                ap_id: r.ap_id.clone(),
                name: r.name.clone(),
                form: coop_form(r.attributes.as_deref()),
            });
            if idx.coops.get(&r.id) != now.as_ref() {
                match now {
                    Some(c) => idx.coops.insert(r.id, c),
                    None => idx.coops.remove(&r.id),
                };
                coops_changed.push(r.id);
            }
        }
        if !coops_changed.is_empty() {
            let seen: HashSet<i64> = changed.iter().map(|r| r.id).collect();
            for coops in coops_changed.chunks(CHUNK as usize) {
                let offerings = read_rows(
                    db,
                    &format!(
                        "SELECT {ROW_SQL} FROM actor WHERE kind = 'offering' AND coop_id IN ({})",
                        marks(coops.len())
                    ),
                    coops.iter().map(|id| (*id).into()).collect(),
                )
                .await?;
                changed.extend(offerings.into_iter().filter(|r| !seen.contains(&r.id)));
            }
            if changed.len() > cap {
                return Ok(None);
            }
        }
        changed.sort_by_key(|r| r.id);
        changed.dedup_by_key(|r| r.id);
        let mut upserts = Vec::new();
        let mut docs = Vec::new();
        for r in &changed {
            if let Some((spec, status)) = r.listed() {
                upserts.push(idx.entry(r, &spec, status));
                docs.push((r.id, r.document(&spec, &idx.coops)));
            }
        }
        let touched: Vec<i64> = changed.iter().map(|r| r.id).collect();
        idx.replace(&touched, upserts);
        if let Err(e) = sync_documents(db, &docs).await {
            tracing::warn!(error = %e, "could not refresh the search index; results may be stale");
        }
        Ok(Some(idx))
    }

    /// The entry of a listed offering; its actor id is appended to `ap_ids`.
    fn entry(&mut self, r: &Row, spec: &OfferingSpec, status: Status) -> Entry {
        // Valid BCP 47 tags (the only ones `Language` accepts) have no empty subtags, so
        // the prefixes that end before a `-` are exactly those `count_facets` builds from
        // the canonical tag, lower-cased.
        let mut langs: Vec<u32> = Vec::new();
        for tag in spec
            .languages
            .0
            .iter()
            .chain(spec.support_languages.0.iter())
        {
            let lower = tag.as_str().to_ascii_lowercase();
            let ends = lower
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'-')
                .map(|(i, _)| (i, false))
                .chain(std::iter::once((lower.len(), true)));
            for (end, full) in ends {
                let id = self
                    .languages
                    .intern(&lower[..end], |k| canonical_language(k).into());
                match langs.iter_mut().find(|x| **x >> 1 == id) {
                    Some(x) => *x |= full as u32,
                    None => langs.push(id << 1 | full as u32),
                }
            }
        }
        langs.sort_unstable();
        let mut countries: Vec<u32> = Vec::new();
        for c in spec.jurisdiction.iter().chain(spec.data_location.0.iter()) {
            let id = self.countries.intern(c.as_str(), |k| k.into());
            if !countries.contains(&id) {
                countries.push(id);
            }
        }
        countries.sort_unstable();
        let form = r
            .coop_id
            .and_then(|id| self.coops.get(&id))
            .and_then(|c| c.form)
            .map_or(NO_FORM, |f| code(CoopForm::ALL, f));
        let class: Class = [
            code(Platform::ALL, spec.platform),
            code(PriceModel::ALL, spec.price.model),
            code(Registration::ALL, spec.registration),
            code(Status::ALL, status),
            form,
        ];
        let mut features = 0u16;
        for f in &spec.features {
            features |= 1 << code(Feature::ALL, *f);
        }
        let ap_id = self.ap_ids.len();
        self.ap_ids.push_str(&r.ap_id);
        Entry {
            id: r.id,
            fair: fair_key(&r.ap_id, self.day),
            ap_id: ap_id as u32,
            ap_len: r.ap_id.len() as u32,
            facet: Facet {
                class: self.classes.intern(&class[..], |_| class) as u16,
                features,
                languages: self.language_sets.intern(&langs[..], |k| k.into()),
                countries: self.country_sets.intern(&countries[..], |k| k.into()),
            },
        }
    }

    /// Drop the entries of `touched` (sorted ids), add `upserts`, and order them again.
    fn replace(&mut self, touched: &[i64], upserts: Vec<Entry>) {
        let mut garbage = 0;
        self.entries.retain(|e| {
            let gone = touched.binary_search(&e.id).is_ok();
            if gone {
                garbage += e.ap_len as usize;
            }
            !gone
        });
        self.garbage += garbage;
        self.entries.extend(upserts);
        if self.garbage > (self.ap_ids.len() - self.garbage).max(4096) {
            let mut ap_ids = String::with_capacity(self.ap_ids.len() - self.garbage);
            for e in &mut self.entries {
                let a = e.ap_id as usize;
                e.ap_id = ap_ids.len() as u32;
                ap_ids.push_str(&self.ap_ids[a..a + e.ap_len as usize]);
            }
            self.ap_ids = ap_ids;
            self.garbage = 0;
        }
        self.order();
    }

    /// The positions of the listings passing `f`, as a bitset; `None` when `f` filters
    /// nothing. A value no listing has matches nothing.
    fn select(&self, f: &Filters) -> Option<Vec<u64>> {
        let p = &self.postings;
        let words = self.entries.len().div_ceil(64);
        let mut sel: Option<Vec<u64>> = None;
        let mut keep = |group: Vec<u64>| match &mut sel {
            Some(s) => s.iter_mut().zip(&group).for_each(|(s, g)| *s &= g),
            None => sel = Some(group),
        };
        fn any<T: PartialEq + Copy>(
            all: &[T],
            values: &[T],
            members: &[Members],
            words: usize,
        ) -> Option<Vec<u64>> {
            (!values.is_empty()).then(|| {
                let mut group = vec![0u64; words];
                for v in values {
                    members[code(all, *v) as usize].add_to(&mut group);
                }
                group
            })
        }
        let groups = [
            any(Platform::ALL, &f.platform, &p.platform, words),
            any(PriceModel::ALL, &f.price, &p.price, words),
            any(Registration::ALL, &f.registration, &p.registration, words),
            any(Status::ALL, &f.status, &p.status, words),
            any(CoopForm::ALL, &f.form, &p.form, words),
            (!f.language.is_empty()).then(|| {
                let mut group = vec![0u64; words];
                for l in &f.language {
                    if let Some(id) = self.languages.get(&l.as_str().to_ascii_lowercase()) {
                        p.language[id as usize].add_to(&mut group);
                    }
                }
                group
            }),
            (!f.country.is_empty()).then(|| {
                let mut group = vec![0u64; words];
                for c in &f.country {
                    if let Some(id) = self.countries.get(c.as_str()) {
                        p.country[id as usize].add_to(&mut group);
                    }
                }
                group
            }),
        ];
        for group in groups.into_iter().flatten() {
            keep(group);
        }
        if !f.feature.is_empty() {
            let mut all = sel.unwrap_or_else(|| self.all());
            for feat in &f.feature {
                p.feature[code(Feature::ALL, *feat) as usize].keep_in(&mut all);
            }
            sel = Some(all);
        }
        sel
    }

    /// The facet counts of the listings at the positions of `set`.
    fn count(&self, set: &[u64]) -> Facets {
        let p = &self.postings;
        fn named<T: Copy>(
            all: &[T],
            members: &[Members],
            set: &[u64],
            name: impl Fn(T) -> &'static str,
        ) -> BTreeMap<String, u64> {
            all.iter()
                .zip(members)
                .map(|(v, m)| (name(*v), m.count_in(set)))
                .filter(|(_, n)| *n > 0)
                .map(|(v, n)| (v.to_string(), n))
                .collect()
        }
        Facets {
            platform: named(Platform::ALL, &p.platform, set, Platform::as_str),
            feature: named(Feature::ALL, &p.feature, set, Feature::as_str),
            language: self
                .languages
                .values
                .iter()
                .zip(p.language.iter().zip(&p.listed))
                .filter(|(_, (_, listed))| listed.count_in(set) > 0)
                .map(|(name, (m, _))| (name.to_string(), m.count_in(set)))
                .collect(),
            country: self
                .countries
                .values
                .iter()
                .zip(&p.country)
                .map(|(name, m)| (name, m.count_in(set)))
                .filter(|(_, n)| *n > 0)
                .map(|(name, n)| (name.to_string(), n))
                .collect(),
            price: named(PriceModel::ALL, &p.price, set, PriceModel::as_str),
            registration: named(
                Registration::ALL,
                &p.registration,
                set,
                Registration::as_str,
            ),
            form: named(CoopForm::ALL, &p.form, set, CoopForm::as_str),
            status: named(Status::ALL, &p.status, set, Status::as_str),
        }
    }

    /// Every position, as a bitset.
    fn all(&self) -> Vec<u64> {
        let n = self.entries.len();
        let mut all = vec![!0u64; n.div_ceil(64)];
        if !n.is_multiple_of(64)
            && let Some(last) = all.last_mut()
        {
            *last = (1 << (n % 64)) - 1;
        }
        all
    }

    /// The facets of all listings.
    fn everything(&self) -> &Facets {
        self.everything.get_or_init(|| self.count(&self.all()))
    }
}

/// The positions in `Index::entries` that have one facet value: a bitset when many do, a
/// sorted list when few do (a bitset costs `n / 8` bytes, a list 4 bytes a member).
#[derive(Debug, Clone)]
enum Members {
    Bits(Vec<u64>),
    List(Vec<u32>),
}

fn has_bit(bits: &[u64], i: u32) -> bool {
    bits[i as usize / 64] >> (i % 64) & 1 == 1
}

fn set_bit(bits: &mut [u64], i: u32) {
    bits[i as usize / 64] |= 1 << (i % 64);
}

impl Members {
    fn new(list: Vec<u32>, n: usize) -> Members {
        if list.len() * 32 < n {
            return Members::List(list);
        }
        let mut bits = vec![0u64; n.div_ceil(64)];
        for i in list {
            set_bit(&mut bits, i);
        }
        Members::Bits(bits)
    }

    /// `acc |= self`
    fn add_to(&self, acc: &mut [u64]) {
        match self {
            Members::Bits(b) => acc.iter_mut().zip(b).for_each(|(a, b)| *a |= b),
            Members::List(l) => l.iter().for_each(|i| set_bit(acc, *i)),
        }
    }

    /// `acc &= self`
    fn keep_in(&self, acc: &mut [u64]) {
        match self {
            Members::Bits(b) => acc.iter_mut().zip(b).for_each(|(a, b)| *a &= b),
            Members::List(l) => {
                let mut kept = vec![0u64; acc.len()];
                for i in l {
                    if has_bit(acc, *i) {
                        set_bit(&mut kept, *i);
                    }
                }
                acc.copy_from_slice(&kept);
            }
        }
    }

    /// How many positions of `set` have the value.
    fn count_in(&self, set: &[u64]) -> u64 {
        match self {
            Members::Bits(b) => set
                .iter()
                .zip(b)
                .map(|(s, b)| (s & b).count_ones() as u64)
                .sum(),
            Members::List(l) => l.iter().filter(|i| has_bit(set, **i)).count() as u64,
        }
    }
}

/// Who has each facet value, by the values' codes and interned ids.
#[derive(Debug, Clone, Default)]
struct Postings {
    platform: Vec<Members>,
    price: Vec<Members>,
    registration: Vec<Members>,
    status: Vec<Members>,
    form: Vec<Members>,
    feature: Vec<Members>,
    /// By language id: listings with the tag or a longer one…
    language: Vec<Members>,
    /// …and listings with exactly that tag.
    listed: Vec<Members>,
    country: Vec<Members>,
}

impl Postings {
    fn of(idx: &Index) -> Postings {
        let n = idx.entries.len();
        let lists = |k: usize| vec![Vec::<u32>::new(); k];
        let (mut platform, mut price, mut registration, mut status, mut form, mut feature) = (
            lists(16),
            lists(16),
            lists(16),
            lists(16),
            lists(16),
            lists(16),
        );
        let mut language = lists(idx.languages.len());
        let mut listed = lists(idx.languages.len());
        let mut country = lists(idx.countries.len());
        for (i, e) in idx.entries.iter().enumerate() {
            let i = i as u32;
            let c = idx.classes.values[e.facet.class as usize];
            platform[c[0] as usize].push(i);
            price[c[1] as usize].push(i);
            registration[c[2] as usize].push(i);
            status[c[3] as usize].push(i);
            if c[4] != NO_FORM {
                form[c[4] as usize].push(i);
            }
            let mut f = e.facet.features;
            while f != 0 {
                feature[f.trailing_zeros() as usize].push(i);
                f &= f - 1;
            }
            for x in idx.language_sets.values[e.facet.languages as usize].iter() {
                language[(x >> 1) as usize].push(i);
                if x & 1 == 1 {
                    listed[(x >> 1) as usize].push(i);
                }
            }
            for x in idx.country_sets.values[e.facet.countries as usize].iter() {
                country[*x as usize].push(i);
            }
        }
        let members = |v: Vec<Vec<u32>>| v.into_iter().map(|l| Members::new(l, n)).collect();
        Postings {
            platform: members(platform),
            price: members(price),
            registration: members(registration),
            status: members(status),
            form: members(form),
            feature: members(feature),
            language: members(language),
            listed: members(listed),
            country: members(country),
        }
    }
}

/// The current indexes, one per database.
static INDEXES: LazyLock<Mutex<HashMap<String, Arc<Index>>>> = LazyLock::new(Default::default);

/// Held while reading a whole table, so that searches arriving meanwhile wait for that
/// build instead of each reading the table too.
static BUILDING: LazyLock<tokio::sync::Mutex<()>> = LazyLock::new(Default::default);

fn cached(database: &str) -> Option<Arc<Index>> {
    INDEXES.lock().ok()?.get(database).cloned()
}

fn keep(database: String, idx: Arc<Index>) {
    if let Ok(mut m) = INDEXES.lock() {
        if m.len() >= 64 && !m.contains_key(&database) {
            m.clear();
        }
        m.insert(database, idx);
    }
}

/// The index of the listed offerings as the database holds them now, with the fair keys of
/// `day`.
async fn current_index<C: ConnectionTrait>(db: &C, day: i64) -> DomainResult<Arc<Index>> {
    let (database, version) = table_version(db).await?;
    if let Some(idx) = updated(db, &database, &version, day).await? {
        return Ok(idx);
    }
    let _building = BUILDING.lock().await;
    // The version again: another search may have built the index while this one waited.
    let (database, version) = table_version(db).await?;
    if let Some(idx) = updated(db, &database, &version, day).await? {
        return Ok(idx);
    }
    let (idx, _) = Index::build(db, version, day, Documents::Listed).await?;
    let idx = Arc::new(idx);
    keep(database, idx.clone());
    Ok(idx)
}

/// The kept index of `database` brought to `version` and `day` without reading the whole
/// table, when it can be.
async fn updated<C: ConnectionTrait>(
    db: &C,
    database: &str,
    version: &Version,
    day: i64,
) -> DomainResult<Option<Arc<Index>>> {
    let Some(idx) = cached(database) else {
        return Ok(None);
    };
    let new = if idx.version == *version {
        if idx.day == day {
            return Ok(Some(idx));
        }
        idx.copy(day)
    } else {
        match idx.refreshed(db, version, day).await? {
            Some(new) => new,
            None => return Ok(None),
        }
    };
    let new = Arc::new(new);
    keep(database.to_string(), new.clone());
    Ok(Some(new))
}

/// The listed offerings matching the query as a member wrote it, one page of them, with
/// facet counts. The words of `q` that name a platform, feature, language, country or
/// price model become those filters (`query::understand`: the same reading for the web
/// page, the API and the directory actor); only the other words go to full text. When
/// nothing matches, each understood part says how many results its removal would give.
pub async fn search<C: ConnectionTrait>(db: &C, q: &OfferingQuery) -> DomainResult<SearchResults> {
    query_terms(q.q.as_deref())?;
    let understood = query::understand(q.q.as_deref().unwrap_or(""));
    let mut results = search_filtered(db, &understood.apply(q)).await?;
    results.understood = understood.parts();
    if results.total == 0 {
        for part in &mut results.understood {
            let without = OfferingQuery {
                q: Some(part.without.clone()),
                page: None,
                ..q.clone()
            };
            let applied = query::understand(&part.without).apply(&without);
            part.results_without = Some(search_filtered(db, &applied).await?.total);
        }
    }
    Ok(results)
}

/// The listed offerings matching the filters and the full-text words of `q` taken as they
/// are, one page of them, with facet counts.
async fn search_filtered<C: ConnectionTrait>(
    db: &C,
    q: &OfferingQuery,
) -> DomainResult<SearchResults> {
    let filters = Filters::parse(q)?;
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(DomainError::Invalid("page: page numbers start at 1".into()));
    }
    let terms = query_terms(q.q.as_deref())?;
    let idx = current_index(db, today()).await?;
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
    let items = page_items(db, &idx, &ids).await?;
    Ok(SearchResults {
        items,
        total: total as u64,
        page,
        per_page: PAGE_SIZE,
        facets,
        understood: Vec::new(),
    })
}

/// The positions in a bitset, in order, from the `skip`-th on.
fn positions(set: &[u64], mut skip: usize) -> impl Iterator<Item = u32> + '_ {
    let mut start = 0;
    while start < set.len() && skip >= set[start].count_ones() as usize {
        skip -= set[start].count_ones() as usize;
        start += 1;
    }
    set[start..]
        .iter()
        .enumerate()
        .flat_map(move |(w, word)| {
            let base = ((start + w) * 64) as u32;
            let mut bits = *word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros();
                    bits &= bits - 1;
                    base + b
                })
            })
        })
        .skip(skip)
}

/// The items of the listings `ids`, in that order: their rows are read and parsed here. A
/// listing changed meanwhile so that it is no longer listed is left out.
async fn page_items<C: ConnectionTrait>(
    db: &C,
    idx: &Index,
    ids: &[i64],
) -> DomainResult<Vec<OfferingItem>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = read_rows(
        db,
        &format!(
            "SELECT {ROW_SQL} FROM actor WHERE id IN ({})",
            marks(ids.len())
        ),
        ids.iter().map(|id| (*id).into()).collect(),
    )
    .await?;
    let by_id: HashMap<i64, &Row> = rows.iter().map(|r| (r.id, r)).collect();
    let live = super::liveness::rows(db, ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| {
            let r = by_id.get(id)?;
            let (shown, status) = r.shown()?;
            let coop = r.coop_id.and_then(|c| idx.coops.get(&c));
            let mut item = offering_item(r.text(), &shown, status, coop);
            if let Some(l) = live.get(id).filter(|l| l.next_probe_at.is_some()) {
                item.working = l.outcome.as_deref() == Some("up");
                // Down for 3 days as of the last probe (the prober's clock).
                item.unreachable = l
                    .checked_at
                    .is_some_and(|at| super::liveness::unreachable(l.down_since, at));
            }
            Some(item)
        })
        .collect())
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

/// `search` as it was before the index (every listed offering read, parsed, filtered,
/// counted and sorted per query): the definition the index must match.
#[cfg(test)]
pub(crate) async fn search_reference<C: ConnectionTrait>(
    db: &C,
    q: &OfferingQuery,
) -> DomainResult<SearchResults> {
    let filters = Filters::parse(q)?;
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(DomainError::Invalid("page: page numbers start at 1".into()));
    }
    let terms = query_terms(q.q.as_deref())?;
    let listings = read_listings(db, true).await?;
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
        understood: Vec::new(),
    })
}

#[cfg(test)]
fn bump(map: &mut BTreeMap<String, u64>, key: impl Into<String>) {
    *map.entry(key.into()).or_default() += 1;
}

/// Facet counts over a result set (the definition `Index::count` implements).
#[cfg(test)]
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

/// Append `words(text).join(" ")` to `out`, after a space when `out` has words already:
/// the same text without a `String` per word (documents are made for every listing).
fn push_words(text: &str, out: &mut String) {
    let mut in_word = false;
    let start = |out: &mut String, in_word: &mut bool| {
        if !*in_word {
            if !out.is_empty() {
                out.push(' ');
            }
            *in_word = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            // `to_lowercase`, `is_alphanumeric` and `fold` in their ASCII cases.
            if c.is_ascii_alphanumeric() {
                start(out, &mut in_word);
                out.push(c.to_ascii_lowercase());
            } else {
                in_word = false;
            }
            continue;
        }
        for l in c.to_lowercase() {
            if l.is_alphanumeric() {
                start(out, &mut in_word);
                fold(l, out);
            } else {
                in_word = false;
            }
        }
    }
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
        Document::new(
            &l.actor.name,
            &l.actor.summary,
            &l.actor.username,
            &l.spec,
            l.coop.as_ref().map(|c| c.name.as_str()),
        )
    }

    fn new(
        name: &str,
        summary: &str,
        username: &str,
        s: &OfferingSpec,
        coop_name: Option<&str>,
    ) -> Document {
        // The words of summary, platform, features, co-op name and handle, in that order.
        let mut body = String::with_capacity(summary.len() + 128);
        push_words(summary, &mut body);
        push_words(s.platform.label(), &mut body);
        push_words(s.platform.as_str(), &mut body);
        for f in &s.features {
            push_words(f.label(), &mut body);
            push_words(f.as_str(), &mut body);
        }
        if let Some(c) = coop_name {
            push_words(c, &mut body);
        }
        push_words(username, &mut body);
        let mut folded = String::with_capacity(name.len());
        push_words(name, &mut folded);
        let name = folded;
        let mut hash = Sha256::new();
        for part in [&DOCUMENT_VERSION.to_string(), "\n", &name, "\n", &body] {
            hash.update(part.as_bytes());
        }
        let mut fingerprint = String::with_capacity(24);
        for b in &hash.finalize()[..12] {
            for nibble in [b >> 4, b & 15] {
                fingerprint.push(char::from_digit(nibble.into(), 16).unwrap_or('0'));
            }
        }
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

/// Write the search rows of `docs` whose fingerprint differs from the stored one (or that
/// have none). Returns how many it wrote.
async fn sync_documents<C: ConnectionTrait>(
    db: &C,
    docs: &[(i64, Document)],
) -> Result<u64, sea_orm::DbErr> {
    let mut written = 0;
    for chunk in docs.chunks(CHUNK as usize) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let stored = db
            .query_all_raw(statement(
                db.get_database_backend(),
                &format!(
                    "SELECT actor_id, fingerprint FROM listing_search WHERE actor_id IN ({marks})"
                ),
                chunk.iter().map(|(id, _)| (*id).into()).collect(),
            ))
            .await?;
        let mut stored: HashMap<i64, String> = stored
            .into_iter()
            .map(|r| Ok((r.try_get("", "actor_id")?, r.try_get("", "fingerprint")?)))
            .collect::<Result<_, sea_orm::DbErr>>()?;
        for (id, doc) in chunk {
            if stored.remove(id).as_deref() != Some(doc.fingerprint.as_str()) {
                write_document(db, *id, doc).await?;
                written += 1;
            }
        }
    }
    Ok(written)
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
    if a.kind == ActorKind::Coop {
        let coops = load_coops(db).await?;
        for l in to_listings(coop_offerings(db, a.id).await?, &coops) {
            write_document(db, l.actor.id, &Document::of(&l)).await?;
        }
        return Ok(());
    }
    if a.kind != ActorKind::Offering {
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
/// rows of actors that are gone or unreadable. Reads the table in chunks, so memory stays
/// small at any size, and keeps the facet index it builds on the way (the first search
/// needs no build). Call it at node start. Returns how many rows it wrote or dropped.
pub async fn ensure_index<C: ConnectionTrait>(db: &C) -> DomainResult<u64> {
    let (database, version) = table_version(db).await?;
    let (idx, changed) = Index::build(db, version, today(), Documents::All).await?;
    keep(database, Arc::new(idx));
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

/// The tsquery (PostgreSQL) or FTS5 query (SQLite) of `terms`: every term, each as a word
/// or the start of one.
fn text_query(backend: DbBackend, terms: &[String]) -> String {
    match backend {
        // Terms are letters and digits only, so they need no quoting in a tsquery.
        DbBackend::Postgres => terms
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
        // Quoted so that words such as AND or NEAR stay words; `*` matches a prefix.
        _ => terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" AND "),
    }
}

/// Offerings whose text has every term (each as a word or the start of one), with their
/// rank by relevance (1 is the best; equal scores share a rank), sorted by id. With `only`,
/// among those ids alone: computing relevance is what costs, not finding the matches.
///
/// One row comes back, the pairs `id:rank` joined by commas, rather than a row per match:
/// drivers pay per row (sqlx hands each SQLite row across threads). Ranks rather than
/// scores, since a score printed as text may round; `dense_rank` compares them exactly.
async fn text_ranks<C: ConnectionTrait>(
    db: &C,
    terms: &[String],
    only: Option<&[i64]>,
) -> DomainResult<Vec<(i64, u32)>> {
    let backend = db.get_database_backend();
    let mut values: Vec<DbValue> = vec![text_query(backend, terms).into()];
    let ids = |open: &str, close: &str| {
        let mut s = String::from(open);
        for (i, id) in only.unwrap_or_default().iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&id.to_string());
        }
        s.push_str(close);
        s
    };
    let sql = match backend {
        DbBackend::Postgres => {
            let mut inner = String::from(
                "SELECT actor_id, dense_rank() OVER \
                 (ORDER BY ts_rank('{0.1, 0.1, 0.2, 1.0}', tsv, query)::float8 DESC) AS r \
                 FROM listing_search, to_tsquery('simple', ?) query WHERE tsv @@ query",
            );
            if only.is_some() {
                // Inline (they are numbers): the planner then knows how few they are.
                inner.push_str(&format!(
                    " AND actor_id = ANY('{}'::bigint[])",
                    ids("{", "}")
                ));
            }
            format!(
                "SELECT string_agg(CAST(actor_id AS TEXT) || ':' || CAST(r AS TEXT), ',') AS hits \
                 FROM ({inner}) ranked"
            )
        }
        _ => {
            // Weights: the name column ten times the body; bm25 is lower for better matches.
            // `+rowid` keeps the id list a filter of the matches, not a lookup per id.
            let mut inner = String::from(
                "SELECT rowid AS id, dense_rank() OVER (ORDER BY bm25(listing_fts, 10.0, 1.0)) AS r \
                 FROM listing_fts WHERE listing_fts MATCH ?",
            );
            if only.is_some() {
                inner.push_str(" AND +rowid IN (SELECT value FROM json_each(?))");
                values.push(ids("[", "]").into());
            }
            format!("SELECT group_concat(id || ':' || r) AS hits FROM ({inner})")
        }
    };
    let row = db.query_one_raw(statement(backend, &sql, values)).await?;
    let hits: Option<String> = match row {
        Some(r) => r.try_get("", "hits")?,
        None => None,
    };
    let bad = |pair: &str| DomainError::Other(anyhow::anyhow!("unexpected full-text hit '{pair}'"));
    let mut out = Vec::new();
    for pair in hits
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|p| !p.is_empty())
    {
        let (id, rank) = pair.split_once(':').ok_or_else(|| bad(pair))?;
        out.push((
            id.parse::<i64>().map_err(|_| bad(pair))?,
            rank.parse::<u32>().map_err(|_| bad(pair))?,
        ));
    }
    if !out.is_sorted_by_key(|p| p.0) {
        out.sort_unstable_by_key(|p| p.0);
    }
    Ok(out)
}

/// Offerings whose text has every term, with a relevance score, higher is better (what
/// `search` used before `text_ranks`, for the tests).
#[cfg(test)]
async fn text_matches<C: ConnectionTrait>(
    db: &C,
    terms: &[String],
) -> DomainResult<HashMap<i64, f64>> {
    let backend = db.get_database_backend();
    let query = text_query(backend, terms);
    let stmt = match backend {
        DbBackend::Postgres => statement(
            backend,
            "SELECT actor_id, ts_rank('{0.1, 0.1, 0.2, 1.0}', tsv, query)::float8 AS score \
             FROM listing_search, to_tsquery('simple', ?) query WHERE tsv @@ query",
            vec![query.into()],
        ),
        _ => statement(
            backend,
            "SELECT rowid AS actor_id, -bm25(listing_fts, 10.0, 1.0) AS score \
             FROM listing_fts WHERE listing_fts MATCH ?",
            vec![query.into()],
        ),
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

    // --- The index against the reference, on a database ---------------------------------

    use sea_orm::{ActiveModelTrait, Set, sea_query::Expr};

    /// A small deterministic generator, so that a failure repeats.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
            v[self.below(v.len())]
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn actor_row(
        id: i64,
        kind: &str,
        name: &str,
        summary: &str,
        coop_id: Option<i64>,
        attributes: Option<String>,
        status: &str,
        moderation: &str,
    ) -> actor::ActiveModel {
        let now = chrono::Utc::now();
        let domain = format!("peer{}.example", id % 3);
        let ap_id = format!("https://{domain}/actors/a{id}");
        actor::ActiveModel {
            id: Set(id),
            ap_id: Set(ap_id.clone()),
            kind: Set(kind.parse().unwrap()),
            username: Set(format!("a{id}")),
            domain: Set(domain),
            name: Set(name.into()),
            summary: Set(summary.into()),
            inbox: Set(format!("{ap_id}/inbox")),
            shared_inbox: Set(None),
            outbox: Set(None),
            followers: Set(None),
            url: Set(None),
            public_key_pem: Set("key".into()),
            private_key_pem: Set(None),
            local: Set(id % 2 == 0),
            coop_id: Set(coop_id),
            attributes: Set(attributes),
            status: Set(status.parse().unwrap()),
            sunset_end: Set(None),
            moved_to: Set(None),
            also_known_as: Set("[]".into()),
            moderation: Set(moderation.parse().unwrap()),
            fetched_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
    }

    const LANGS: &[&str] = &[
        "en",
        "de",
        "de-CH",
        "pt",
        "pt-BR",
        "PT-br",
        "zh-Hant-TW",
        "sr-Latn",
        "fr",
        "es",
    ];
    const COUNTRIES: &[&str] = &["DE", "FR", "FI", "NL", "ch", "PT"];
    const WORDS: &[&str] = &[
        "video", "rooms", "aurora", "meetings", "schools", "choir", "union", "libre",
    ];

    fn offering_attrs(r: &mut Rng, i: i64) -> Option<String> {
        if r.below(40) == 0 {
            return Some("{\"not\": \"an offering\"}".into());
        }
        let platforms = Platform::ALL;
        let features: Vec<&str> = Feature::ALL
            .iter()
            .filter(|_| r.below(3) == 0)
            .map(|f| f.as_str())
            .collect();
        let mut languages: Vec<&str> = (0..r.below(3)).map(|_| r.pick(LANGS)).collect();
        languages.dedup();
        let support: Vec<&str> = (0..r.below(2)).map(|_| r.pick(LANGS)).collect();
        let data: Vec<&str> = (0..r.below(3)).map(|_| r.pick(COUNTRIES)).collect();
        let mut v = serde_json::json!({
            "handle": format!("a{i}"),
            "name": "N",
            "platform": platforms[r.below(platforms.len())].as_str(),
            "features": features,
            "price": { "model": PriceModel::ALL[r.below(4)].as_str() },
            "languages": languages,
            "support_languages": support,
            "data_location": data,
            "registration": Registration::ALL[r.below(4)].as_str(),
        });
        if r.below(3) > 0 {
            v["jurisdiction"] = r.pick(COUNTRIES).into();
        }
        Some(v.to_string())
    }

    fn queries() -> Vec<OfferingQuery> {
        let q = |f: &dyn Fn(&mut OfferingQuery)| {
            let mut o = OfferingQuery::default();
            f(&mut o);
            o
        };
        let s = |v: &str| Some(v.to_string());
        vec![
            q(&|_| {}),
            q(&|o| o.page = Some(2)),
            q(&|o| o.page = Some(9)),
            q(&|o| o.platform = s("jitsi,galene")),
            q(&|o| o.feature = s("recording,polls")),
            q(&|o| o.language = s("pt")),
            q(&|o| o.language = s("zh-hant,de")),
            q(&|o| o.language = s("ja")),
            q(&|o| o.country = s("fi,ch")),
            q(&|o| o.country = s("JP")),
            q(&|o| o.price = s("free")),
            q(&|o| o.registration = s("open,waitlist")),
            q(&|o| o.form = s("worker,consumer")),
            q(&|o| o.status = s("closed,sunsetting")),
            q(&|o| {
                o.platform = s("bigbluebutton");
                o.language = s("en");
                o.page = Some(2);
            }),
            q(&|o| o.q = s("video")),
            q(&|o| {
                o.q = s("video");
                o.page = Some(3);
            }),
            q(&|o| o.q = s("aurora rooms")),
            q(&|o| o.q = s("co op")),
            q(&|o| o.q = s("nothing")),
            q(&|o| {
                o.q = s("rooms");
                o.price = s("free");
            }),
            q(&|o| {
                o.q = s("video");
                o.platform = s("jitsi,galene,matrix,opentalk,other,nextcloud-talk");
            }),
            q(&|o| {
                o.q = s("libre");
                o.country = s("DE");
                o.status = s("active");
            }),
        ]
    }

    async fn same_as_reference(db: &sea_orm::DatabaseConnection, when: &str) {
        for q in queries() {
            let got = search_filtered(db, &q).await.unwrap();
            let want = search_reference(db, &q).await.unwrap();
            let what = format!("{when}: {q:?}");
            assert_eq!(got.total, want.total, "total, {what}");
            assert_eq!(got.facets, want.facets, "facets, {what}");
            let actors = |r: &SearchResults| -> Vec<String> {
                r.items.iter().map(|i| i.actor.clone()).collect()
            };
            assert_eq!(actors(&got), actors(&want), "order, {what}");
            assert_eq!(
                serde_json::to_value(&got.items).unwrap(),
                serde_json::to_value(&want.items).unwrap(),
                "items, {what}"
            );
        }
    }

    async fn touch(db: &sea_orm::DatabaseConnection, id: i64, col: actor::Column, value: &str) {
        actor::Entity::update_many()
            .col_expr(col, Expr::value(value))
            .col_expr(actor::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
            .filter(actor::Column::Id.eq(id))
            .exec(db)
            .await
            .unwrap();
    }

    async fn exercise(db: &sea_orm::DatabaseConnection) {
        let mut r = Rng(0x2545_F491_4F6C_DD1D);
        let forms = ["worker", "consumer", "platform", "nonsense"];
        let mut batch = Vec::new();
        for c in 0..8i64 {
            let attrs =
                (c != 7).then(|| serde_json::json!({ "form": forms[c as usize % 4] }).to_string());
            batch.push(actor_row(
                1000 + c,
                "coop",
                &format!("{} Co-op", r.pick(WORDS)),
                "",
                None,
                attrs,
                "active",
                "approved",
            ));
        }
        for i in 0..300i64 {
            let name = format!("{} {}", r.pick(WORDS), r.pick(WORDS));
            let summary: Vec<&str> = (0..r.below(6)).map(|_| r.pick(WORDS)).collect();
            let attrs = offering_attrs(&mut r, i);
            let coop = (r.below(6) > 0).then(|| 1000 + r.below(8) as i64);
            let status = [
                "active",
                "active",
                "active",
                "sunsetting",
                "closed",
                "transferred",
                // An unknown status ("odd" before) can no longer be stored: the database
                // refuses it (migration m20261207_000015_state_checks).
                "active",
            ][r.below(7)];
            let moderation = [
                "approved", "approved", "approved", "approved", "hidden", "pending",
            ][r.below(6)];
            batch.push(actor_row(
                2000 + i,
                "offering",
                &name,
                &summary.join(" "),
                coop,
                attrs,
                status,
                moderation,
            ));
        }
        batch.push(actor_row(
            5000, "remote", "Someone", "", None, None, "active", "approved",
        ));
        actor::Entity::insert_many(batch)
            .exec_without_returning(db)
            .await
            .unwrap();
        // Searches before `ensure_index` build the index (and search rows) themselves.
        same_as_reference(db, "before ensure_index").await;
        touch(db, 2001, actor::Column::Status, "sunsetting").await;
        same_as_reference(db, "a change before ensure_index").await;
        assert!(ensure_index(db).await.unwrap() > 50);
        assert_eq!(ensure_index(db).await.unwrap(), 0);
        same_as_reference(db, "as built").await;

        // Changes read as changes (the delta), each visible to the next search.
        touch(db, 2003, actor::Column::Moderation, "hidden").await;
        touch(db, 2004, actor::Column::Status, "closed").await;
        touch(db, 2005, actor::Column::Name, "Aurora Aurora Video").await;
        same_as_reference(db, "after moderation, status and name").await;
        let attrs = offering_attrs(&mut r, 6).unwrap();
        touch(db, 2006, actor::Column::Attributes, &attrs).await;
        touch(db, 1001, actor::Column::Name, "Libre Video Co-op").await;
        touch(
            db,
            1002,
            actor::Column::Attributes,
            "{\"form\": \"worker\"}",
        )
        .await;
        same_as_reference(db, "after attributes and co-ops").await;
        let attrs = offering_attrs(&mut r, 400);
        actor_row(
            2400,
            "offering",
            "video rooms",
            "",
            Some(1003),
            attrs,
            "active",
            "approved",
        )
        .insert(db)
        .await
        .unwrap();
        same_as_reference(db, "after an insert").await;
        // A delete is read as a rebuild.
        actor::Entity::delete_by_id(2400).exec(db).await.unwrap();
        same_as_reference(db, "after deleting an offering").await;
        actor::Entity::delete_by_id(1004).exec(db).await.unwrap();
        same_as_reference(db, "after deleting a co-op").await;
        // Deleting any other actor changes nothing for search.
        actor::Entity::delete_by_id(5000).exec(db).await.unwrap();
        same_as_reference(db, "after deleting a remote actor").await;
        for i in 0..40 {
            touch(db, 2010 + i, actor::Column::Status, "sunsetting").await;
        }
        same_as_reference(db, "after many changes").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_index_gives_what_reading_every_listing_gives() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/search.db?mode=rwc", dir.path().display());
        let db = crate::db::connect(&url).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        exercise(&db).await;
        let Ok(server) = std::env::var("COOPDIR_TEST_POSTGRES") else {
            return;
        };
        let admin = crate::db::connect(&server).await.unwrap();
        let name = format!("coopdir_search_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let mut url = url::Url::parse(&server).unwrap();
        url.set_path(&format!("/{name}"));
        let db = crate::db::connect(url.as_str()).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        exercise(&db).await;
        db.close().await.unwrap();
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .unwrap();
    }

    #[test]
    fn a_new_day_gives_every_entry_the_key_of_that_day() {
        let mut idx = Index {
            day: 20_000,
            ..Default::default()
        };
        let spec: OfferingSpec = serde_json::from_str(
            r#"{"handle": "a1", "name": "A", "platform": "jitsi", "price": {"model": "free"},
                "registration": "open", "languages": ["pt-BR", "pt"], "data_location": ["DE", "DE"]}"#,
        )
        .unwrap();
        for id in 1..4 {
            let row = Row {
                id,
                kind: ActorKind::Offering,
                ap_id: format!("https://n.example/actors/o{id}"),
                username: format!("o{id}"),
                domain: "n.example".into(),
                name: "A".into(),
                summary: String::new(),
                local: true,
                status: Status::Active,
                coop_id: None,
                attributes: None,
                moderation: Moderation::Approved,
            };
            let e = idx.entry(&row, &spec, Status::Active);
            idx.entries.push(e);
        }
        let e = idx.entries[0];
        // `pt` (id 0) is listed and a prefix of `pt-BR` (id 1): one item each, id × 2 + 1
        // for listed.
        assert_eq!(
            &*idx.language_sets.values[e.facet.languages as usize],
            &[1, 3]
        );
        assert_eq!(idx.country_sets.values[e.facet.countries as usize].len(), 1);
        // Three listings, one language set, one country set, one class.
        assert_eq!(
            (
                idx.language_sets.len(),
                idx.country_sets.len(),
                idx.classes.len()
            ),
            (1, 1, 1)
        );
        let next = idx.copy(20_001);
        let mut fair: Vec<u64> = next.entries.iter().map(|e| e.fair).collect();
        fair.sort_unstable();
        assert_eq!(
            next.entries.iter().map(|e| e.fair).collect::<Vec<_>>(),
            fair,
            "in the order of the day"
        );
        assert_eq!(
            next.by_id.iter().map(|p| p.0).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        for e in &next.entries {
            let ap_id = format!("https://n.example/actors/o{}", e.id);
            assert_eq!(e.fair, fair_key(&ap_id, 20_001));
        }
    }

    #[test]
    fn members_as_bits_and_as_lists_agree() {
        let n = 200;
        let list: Vec<u32> = (0..n as u32).filter(|i| i % 7 == 3).collect();
        let bits = Members::new(list.clone(), n);
        let short = Members::List(list.clone());
        assert!(matches!(bits, Members::Bits(_)));
        let mut set = vec![0u64; n.div_ceil(64)];
        for i in (0..n as u32).filter(|i| i % 3 == 0) {
            set_bit(&mut set, i);
        }
        let both = list.iter().filter(|i| *i % 3 == 0).count() as u64;
        assert_eq!((bits.count_in(&set), short.count_in(&set)), (both, both));
        let (mut a, mut b) = (set.clone(), set.clone());
        bits.keep_in(&mut a);
        short.keep_in(&mut b);
        assert_eq!(a, b);
        assert_eq!(positions(&a, 0).count() as u64, both);
        let (mut a, mut b) = (set.clone(), set.clone());
        bits.add_to(&mut a);
        short.add_to(&mut b);
        assert_eq!(a, b);
        let all: Vec<u32> = positions(&a, 0).collect();
        assert_eq!(positions(&a, 5).collect::<Vec<_>>(), all[5..].to_vec());
        assert_eq!(positions(&a, 64).collect::<Vec<_>>(), all[64..].to_vec());
        assert_eq!(positions(&a, all.len()).count(), 0);
    }

    #[test]
    fn documents_fold_text_as_words_does() {
        let texts = [
            "Galène: Straße, meet.coop_BBB e2ee",
            "  Æsir  ŒUVRE þorn -- İstanbul ǅemal ΣΊΣΥΦΟΣ 東京 ①②",
            "",
            "--",
            "a",
            "Video Rooms (Co-op) eG",
        ];
        for t in texts {
            let mut out = String::new();
            push_words(t, &mut out);
            assert_eq!(out, words(t).join(" "), "{t}");
        }
        let mut out = String::new();
        for t in texts {
            push_words(t, &mut out);
        }
        assert_eq!(out, words(&texts.join(" ")).join(" "));
        let spec: OfferingSpec = serde_json::from_str(
            r#"{"handle": "a1", "name": "Galène Rooms", "summary": "Straße ÉCOLE", "platform": "galene",
                "features": ["recording", "e2ee"], "price": {"model": "free"}, "registration": "open"}"#,
        )
        .unwrap();
        let doc = Document::new(
            "Galène Rooms",
            "Straße ÉCOLE",
            "a1",
            &spec,
            Some("Nordlicht eG"),
        );
        let body = vec![
            "Straße ÉCOLE",
            spec.platform.label(),
            spec.platform.as_str(),
            Feature::Recording.label(),
            Feature::Recording.as_str(),
            Feature::E2ee.label(),
            Feature::E2ee.as_str(),
            "Nordlicht eG",
            "a1",
        ];
        let name = words("Galène Rooms").join(" ");
        let body = words(&body.join(" ")).join(" ");
        let digest = Sha256::digest(format!("{DOCUMENT_VERSION}\n{name}\n{body}").as_bytes());
        let fingerprint: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            doc,
            Document {
                name,
                body,
                fingerprint
            }
        );
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
