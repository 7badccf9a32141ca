//! The search index: the compact in-memory index of the listed offerings (`Index`), how it
//! is built and refreshed from the `actor` table, and the `listing_search` rows it keeps in
//! repair (`reindex`, `ensure_index`).

use super::*;

/// The columns of `actor` that search reads: everything but keys, URLs and dates.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) id: i64,
    pub(super) kind: ActorKind,
    pub(super) ap_id: String,
    pub(super) username: String,
    pub(super) domain: String,
    pub(super) name: String,
    pub(super) summary: String,
    pub(super) local: bool,
    pub(super) status: Status,
    pub(super) coop_id: Option<i64>,
    pub(super) attributes: Option<String>,
    pub(super) moderation: Moderation,
}

/// The columns of `Row`, in its order.
pub(super) const ROW_SQL: &str = "id, kind, ap_id, username, domain, name, summary, local, status, coop_id, attributes, moderation";

/// Rows of `SELECT {ROW_SQL} …`, read by position, without an ORM model.
pub(super) async fn read_rows<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<DbValue>,
) -> Result<Vec<Row>, sea_orm::DbErr> {
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    rows.iter().map(row_of).collect()
}

/// The `Row` in the first columns of `r`, in the order of `ROW_SQL`.
pub(super) fn row_of(r: &sea_orm::QueryResult) -> Result<Row, sea_orm::DbErr> {
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
}

/// `?, ?, …`: `n` placeholders.
pub(super) fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl Row {
    pub(super) fn is_offering(&self) -> bool {
        self.kind == ActorKind::Offering
    }

    /// The typed attributes and status of an offering; `None` (with a log line) when they
    /// do not parse, as `to_listings` leaves such rows out.
    pub(super) fn offering(&self) -> Option<(OfferingSpec, Status)> {
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
    pub(super) fn listed(&self) -> Option<(OfferingSpec, Status)> {
        if self.is_offering() && self.moderation == Moderation::Approved {
            self.offering()
        } else {
            None
        }
    }

    /// What an item shows of a listed offering. Only those attributes are read: the index
    /// checked all of them when it read the row.
    pub(super) fn shown(&self) -> Option<(Shown, Status)> {
        if !self.is_offering() || self.moderation != Moderation::Approved {
            return None;
        }
        let shown = serde_json::from_str(self.attributes.as_deref().unwrap_or("null")).ok()?;
        Some((shown, self.status))
    }

    pub(super) fn text(&self) -> ItemText<'_> {
        ItemText {
            ap_id: &self.ap_id,
            username: &self.username,
            domain: &self.domain,
            name: &self.name,
            summary: &self.summary,
            local: self.local,
        }
    }

    pub(super) fn document(&self, spec: &OfferingSpec, coops: &HashMap<i64, CoopRef>) -> Document {
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
pub(super) fn code<T: PartialEq + Copy>(all: &[T], v: T) -> u8 {
    all.iter().position(|x| *x == v).unwrap_or(0) as u8
}

pub(super) const NO_FORM: u8 = u8::MAX;

/// The facet values of a listing, interned: 12 bytes (`Postings` are made from these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Facet {
    /// Interned (platform, price model, registration, status, co-op form): `Index::classes`.
    pub(super) class: u16,
    /// Bit `code(Feature::ALL, f)` per feature.
    pub(super) features: u16,
    /// Interned set of language items: `Index::language_sets`.
    pub(super) languages: u32,
    /// Interned set of country ids: `Index::country_sets`.
    pub(super) countries: u32,
}

/// One listed offering in the index: 40 bytes (and its actor id in `Index::ap_ids`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) id: i64,
    /// `fair_key` of the index's day.
    pub(super) fair: u64,
    pub(super) ap_id: u32,
    pub(super) ap_len: u32,
    pub(super) facet: Facet,
}

/// The small enums of a listing, in this order: platform, price model, registration,
/// status and co-op form (`NO_FORM` without one), each as its `code`.
pub(super) type Class = [u8; 5];

/// Values of one open vocabulary (language tags, countries) or of combinations (classes,
/// sets of languages or countries) as small integers.
#[derive(Debug)]
pub(super) struct Interner<K: ?Sized + Eq + std::hash::Hash, V> {
    pub(super) ids: HashMap<Box<K>, u32>,
    /// What each id stands for.
    pub(super) values: Vec<V>,
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
    pub(super) fn intern(&mut self, key: &K, value: impl FnOnce(&K) -> V) -> u32
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

    pub(super) fn get(&self, key: &K) -> Option<u32> {
        self.ids.get(key).copied()
    }

    pub(super) fn len(&self) -> usize {
        self.values.len()
    }
}

/// The listed offerings of one database as far as filtering, counting and ordering need
/// them, in the order of the day (lifecycle group, fair key, row id); shared by searches,
/// replaced (copied and updated) on changes.
#[derive(Debug, Default)]
pub(super) struct Index {
    pub(super) version: Version,
    /// The day of the entries' `fair` keys and order.
    pub(super) day: i64,
    pub(super) entries: Vec<Entry>,
    /// Who has each facet value: filters and counts are set operations on these.
    pub(super) postings: Postings,
    /// (row id, position in `entries`), sorted by id.
    pub(super) by_id: Vec<(i64, u32)>,
    pub(super) ap_ids: String,
    /// Bytes of `ap_ids` no entry refers to any more.
    pub(super) garbage: usize,
    /// Lower-case language tags and every prefix of them that ends before a `-` (what the
    /// filter `pt` matches in `pt-BR`), with their usual letter case to show.
    pub(super) languages: Interner<str, Box<str>>,
    pub(super) countries: Interner<str, Box<str>>,
    pub(super) classes: Interner<[u8], Class>,
    /// Sorted language items: interned id × 2, + 1 when the tag is listed as such and not
    /// only a prefix of a listed one.
    pub(super) language_sets: Interner<[u32], Box<[u32]>>,
    pub(super) country_sets: Interner<[u32], Box<[u32]>>,
    pub(super) coops: HashMap<i64, CoopRef>,
    /// The facets of all listings, made on first use.
    pub(super) everything: OnceLock<Facets>,
}

/// Which search rows a full build checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Documents {
    /// Those of the listed offerings, repaired where stale (a search).
    Listed,
    /// Those of every offering, and rows of other actors dropped (`ensure_index`).
    All,
}

/// Rows read per statement when building.
pub(super) const CHUNK: u64 = 1_000;

impl Index {
    /// A copy to update, for `day`.
    pub(super) fn copy(&self, day: i64) -> Index {
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

    /// Read the whole table: the co-ops and each listed offering; check the search rows of
    /// `documents` on the way. Returns the index and how many search rows it wrote or
    /// dropped.
    pub(super) async fn build<C: ConnectionTrait>(
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
            // In chunks too: a million rows read at once held several hundred MiB.
            let mut after = i64::MIN;
            loop {
                let stored = db
                    .query_all_raw(statement(
                        db.get_database_backend(),
                        &format!(
                            "SELECT actor_id FROM listing_search WHERE actor_id > ? \
                             ORDER BY actor_id LIMIT {}",
                            CHUNK * 10
                        ),
                        vec![after.into()],
                    ))
                    .await?;
                let n = stored.len() as u64;
                for r in stored {
                    let id: i64 = r.try_get("", "actor_id")?;
                    after = id;
                    if searchable.binary_search(&id).is_err() {
                        delete_document(db, id).await?;
                        changed += 1;
                    }
                }
                if n < CHUNK * 10 {
                    break;
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
    pub(super) async fn refreshed<C: ConnectionTrait>(
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
        // The changed rows' ids first: when there are more than the cap, the index is read
        // in full (in chunks) instead, and reading the rows themselves first would only
        // have held up to an eighth of the directory in memory at once for nothing (at
        // 1,000,000 listings, ~350 MiB of rows: docs/benchmarks.md, Round five).
        let ids: Vec<i64> = db
            .query_all_raw(statement(
                backend,
                &format!(
                    "SELECT id FROM actor WHERE {since} OR id > ? LIMIT {}",
                    cap + 1
                ),
                vec![
                    self.version.latest.clone().into(),
                    self.version.max_id.into(),
                ],
            ))
            .await?
            .iter()
            .map(|r| r.try_get_by_index(0))
            .collect::<Result<_, _>>()?;
        if ids.len() > cap {
            return Ok(None);
        }
        let mut changed = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK as usize) {
            changed.extend(
                read_rows(
                    db,
                    &format!(
                        "SELECT {ROW_SQL} FROM actor WHERE id IN ({})",
                        marks(chunk.len())
                    ),
                    chunk.iter().map(|id| (*id).into()).collect(),
                )
                .await?,
            );
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
    pub(super) fn entry(&mut self, r: &Row, spec: &OfferingSpec, status: Status) -> Entry {
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
    pub(super) fn replace(&mut self, touched: &[i64], upserts: Vec<Entry>) {
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
}

/// `?` placeholders in the notation of the backend.
pub(super) fn statement(backend: DbBackend, sql: &str, values: Vec<DbValue>) -> Statement {
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

pub(super) async fn write_document<C: ConnectionTrait>(
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

pub(super) async fn delete_document<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> Result<(), sea_orm::DbErr> {
    db.execute_raw(statement(
        db.get_database_backend(),
        "DELETE FROM listing_search WHERE actor_id = ?",
        vec![actor_id.into()],
    ))
    .await?;
    Ok(())
}

pub(super) async fn fingerprints<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<i64, String>, sea_orm::DbErr> {
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
pub(super) async fn sync_documents<C: ConnectionTrait>(
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
pub async fn ensure_index<C: ConnectionTrait>(db: &C, caches: &Caches) -> DomainResult<u64> {
    let (version, _) = table_version(db, &[]).await?;
    let (idx, changed) = Index::build(db, version, today(), Documents::All).await?;
    caches.keep(Arc::new(idx));
    if changed > 0 {
        tracing::info!(rows = changed, "search index refreshed");
    }
    Ok(changed)
}

/// Rewrite the rows of `listings` whose text changed since they were indexed (a change
/// made by a path that does not call `reindex`).
pub(super) async fn refresh_stale<C: ConnectionTrait>(
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
