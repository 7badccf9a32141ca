//! What search keeps in memory between requests, owned by the node's state (`Caches`):
//! the compact index, the parsed listings of `load_listings`, and the version of the
//! `actor` table that tells when they are stale.

use super::*;

/// The largest directory whose full listings `load_listings` keeps in memory.
pub(super) const SNAPSHOT_MAX: usize = 20_000;

/// Result pages kept at most (each about 50 items).
const PAGES_MAX: usize = 64;

/// What search keeps between requests for one node (one database): created with the node's
/// state and passed to every search function that uses it. Everything in it is stale as
/// soon as the version of the `actor` table (`Version`) or the day changes, and is then
/// brought up to date or dropped.
#[derive(Debug, Default)]
pub struct Caches {
    /// The compact index of the listed offerings.
    index: Mutex<Option<Arc<Index>>>,
    /// Held while reading a whole table, so that searches arriving meanwhile wait for that
    /// build instead of each reading the table too.
    building: tokio::sync::Mutex<()>,
    /// The parsed listed offerings of `load_listings`, for one version.
    snapshot: Mutex<Option<(Version, Arc<Vec<Listing>>)>>,
    /// Recent result pages of queries without text or `working` filter, for one version and
    /// day (`Page`).
    pages: Mutex<Pages>,
    /// The latest version of the `actor` table a search read.
    seen: Mutex<Version>,
    /// Local actors by username, as of one version (`local_actor_after_search`).
    locals: Mutex<(Version, HashMap<String, Option<actor::Model>>)>,
    /// Bumped whenever a result page is kept (`pages_generation`).
    generation: std::sync::atomic::AtomicU64,
}

/// Result pages of one version and day, by query.
#[derive(Debug, Default)]
pub(super) struct Pages {
    version: Version,
    day: i64,
    by_query: HashMap<String, (Arc<SearchResults>, Arc<[i64]>)>,
}

impl Caches {
    /// The local actor `username` (`directory::find_local`), read again only when the
    /// version of the `actor` table that the latest search of this node read has changed.
    /// For a page that shows an actor beside search results: called right after `search`,
    /// it costs no statement while the table is unchanged.
    pub async fn local_actor_after_search<C: ConnectionTrait>(
        &self,
        db: &C,
        username: &str,
    ) -> Result<Option<actor::Model>, sea_orm::DbErr> {
        let seen = self.seen.lock().map(|v| v.clone()).unwrap_or_default();
        let known = seen != Version::default();
        if known
            && let Ok(m) = self.locals.lock()
            && m.0 == seen
            && let Some(hit) = m.1.get(username)
        {
            return Ok(hit.clone());
        }
        let found = super::super::find_local(db, username).await?;
        if known && let Ok(mut m) = self.locals.lock() {
            if m.0 != seen || m.1.len() >= 64 {
                *m = (seen, HashMap::new());
            }
            m.1.insert(username.to_string(), found.clone());
        }
        Ok(found)
    }

    /// A number that changes whenever a result page is kept, and only then. When it is the
    /// same before and after a `search` without text or `working` filter, that search was
    /// answered from a kept page, and every such search with the same number until it
    /// changes is answered from the same kept page (the items' liveness aside): pages built
    /// from those results can be kept beside it. 0 before any page was kept.
    pub fn pages_generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Note a version a search read; kept unless older than the one noted.
    pub(super) fn saw(&self, version: &Version) {
        if let Ok(mut v) = self.seen.lock()
            && !(v.deletions >= version.deletions
                && v.max_id >= version.max_id
                && v.latest >= version.latest)
        {
            *v = version.clone();
        }
    }

    pub(super) fn index(&self) -> Option<Arc<Index>> {
        self.index.lock().ok()?.clone()
    }

    pub(super) fn keep(&self, idx: Arc<Index>) {
        if let Ok(mut m) = self.index.lock() {
            *m = Some(idx);
        }
    }

    pub(super) fn snapshot(&self, version: &Version) -> Option<Arc<Vec<Listing>>> {
        let m = self.snapshot.lock().ok()?;
        m.as_ref()
            .filter(|(v, _)| v == version)
            .map(|(_, l)| l.clone())
    }

    pub(super) fn keep_snapshot(&self, version: Version, listings: Arc<Vec<Listing>>) {
        if let Ok(mut m) = self.snapshot.lock() {
            *m = Some((version, listings));
        }
    }

    /// The kept page of `query`, whatever its version.
    pub(super) fn page(&self, query: &str) -> Option<Kept> {
        let m = self.pages.lock().ok()?;
        let (results, ids) = m.by_query.get(query)?;
        Some(Kept {
            version: m.version.clone(),
            day: m.day,
            results: results.clone(),
            ids: ids.clone(),
        })
    }

    /// Keep the page of `query` as of `version` and `day`: its results without liveness,
    /// and the row ids of its items in their order.
    pub(super) fn keep_page(&self, query: String, kept: Kept) {
        if let Ok(mut m) = self.pages.lock() {
            if m.version != kept.version || m.day != kept.day {
                m.by_query.clear();
                m.version = kept.version;
                m.day = kept.day;
            }
            if m.by_query.len() >= PAGES_MAX {
                m.by_query.clear();
            }
            m.by_query.insert(query, (kept.results, kept.ids));
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
    }
}

/// A kept result page.
#[derive(Debug, Clone)]
pub(super) struct Kept {
    pub(super) version: Version,
    pub(super) day: i64,
    pub(super) results: Arc<SearchResults>,
    pub(super) ids: Arc<[i64]>,
}

/// A version of the `actor` table: it changes with every insert (the highest id, and
/// `updated_at`), update (all of which set `updated_at`) and delete of an offering or co-op
/// (the counter `search_deletions`, which a trigger bumps; migration
/// `m20261125_000007_search_version`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Version {
    pub(super) deletions: i64,
    pub(super) max_id: i64,
    /// The latest `updated_at`, as the database writes it as text ('' when empty).
    pub(super) latest: String,
}

/// What the last probe of a local listing found, as its item shows it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Probe {
    pub(super) working: bool,
    pub(super) unreachable: bool,
}

impl Probe {
    /// The liveness an item shows: none when the listing is not probed (`next_probe_at`
    /// unset), else whether the last probe found it up and whether it has been down for 3
    /// days as of the last probe (the prober's clock).
    pub(super) fn of(
        probed: bool,
        outcome: Option<&str>,
        checked_at: Option<chrono::DateTime<chrono::Utc>>,
        down_since: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Option<Probe> {
        probed.then(|| Probe {
            working: outcome == Some("up"),
            unreachable: checked_at
                .is_some_and(|at| super::super::liveness::unreachable(down_since, at)),
        })
    }

    /// Whether `item` shows what `probe` says (`show` would leave it as it is).
    pub(super) fn shows(probe: Option<&Probe>, item: &OfferingItem) -> bool {
        let p = probe.copied().unwrap_or_default();
        item.working == p.working && item.unreachable == p.unreachable
    }

    pub(super) fn show(probe: Option<&Probe>, item: &mut OfferingItem) {
        let p = probe.copied().unwrap_or_default();
        item.working = p.working;
        item.unreachable = p.unreachable;
    }
}

/// The statement of `table_version` up to the condition on the probes.
const VERSION_SQL: &str = "SELECT v.deletions, v.max_id, v.latest, p.actor_id, p.outcome, \
     CASE WHEN p.next_probe_at IS NULL THEN 0 ELSE 1 END AS probed, \
     p.checked_at, p.down_since FROM (SELECT \
     (SELECT n FROM search_deletions WHERE id = 1) AS deletions, \
     (SELECT COALESCE(MAX(id), 0) FROM actor) AS max_id, \
     (SELECT COALESCE(CAST(MAX(updated_at) AS TEXT), '') FROM actor) AS latest) v \
     LEFT JOIN listing_probe p ON ";

/// The version of the `actor` table, and in the same statement the liveness of the listings
/// `probes` (the ids of a kept page): three index lookups and at most a page of
/// `listing_probe` rows, so that a kept page costs one statement.
pub(super) async fn table_version<C: ConnectionTrait>(
    db: &C,
    probes: &[i64],
) -> DomainResult<(Version, HashMap<i64, Probe>)> {
    let backend = db.get_database_backend();
    use std::fmt::Write;
    let mut sql = String::with_capacity(VERSION_SQL.len() + 24 + probes.len() * 9);
    sql.push_str(VERSION_SQL);
    if probes.is_empty() {
        sql.push_str("1 = 0");
    } else {
        sql.push_str("p.actor_id IN (");
        for (i, id) in probes.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "{id}");
        }
        sql.push(')');
    }
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let first = rows
        .first()
        .ok_or_else(|| DomainError::Other(anyhow::anyhow!("no row from the version query")))?;
    let deletions: Option<i64> = first.try_get("", "deletions")?;
    let version = Version {
        deletions: deletions.unwrap_or(-1),
        max_id: first.try_get("", "max_id")?,
        latest: first.try_get("", "latest")?,
    };
    let mut live = HashMap::new();
    for r in &rows {
        let Some(id) = r.try_get::<Option<i64>>("", "actor_id")? else {
            continue;
        };
        let probed: i32 = r.try_get("", "probed")?;
        let outcome: Option<String> = r.try_get("", "outcome")?;
        if let Some(p) = Probe::of(
            probed != 0,
            outcome.as_deref(),
            r.try_get("", "checked_at")?,
            r.try_get("", "down_since")?,
        ) {
            live.insert(id, p);
        }
    }
    Ok((version, live))
}

/// The index of the listed offerings as the database holds them at `version` or later, with
/// the fair keys of `day`.
pub(super) async fn current_index<C: ConnectionTrait>(
    db: &C,
    caches: &Caches,
    version: Version,
    day: i64,
) -> DomainResult<Arc<Index>> {
    if let Some(idx) = updated(db, caches, &version, day).await? {
        return Ok(idx);
    }
    let _building = caches.building.lock().await;
    // The version again: another search may have built the index while this one waited.
    let (version, _) = table_version(db, &[]).await?;
    if let Some(idx) = updated(db, caches, &version, day).await? {
        return Ok(idx);
    }
    let kept = caches.index().map(|i| (i.version.clone(), i.day));
    let started = std::time::Instant::now();
    let (idx, _) = Index::build(db, version, day, Documents::Listed).await?;
    // Slow on a large directory (seconds per 100,000 listings): say when and why.
    tracing::info!(
        listings = idx.entries.len(),
        ms = started.elapsed().as_millis() as u64,
        kept = ?kept,
        now = ?(&idx.version, day),
        "search index read in full"
    );
    let idx = Arc::new(idx);
    caches.keep(idx.clone());
    Ok(idx)
}

/// The kept index brought to `version` and `day` without reading the whole table, when it
/// can be.
pub(super) async fn updated<C: ConnectionTrait>(
    db: &C,
    caches: &Caches,
    version: &Version,
    day: i64,
) -> DomainResult<Option<Arc<Index>>> {
    let Some(idx) = caches.index() else {
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
    caches.keep(new.clone());
    Ok(Some(new))
}
