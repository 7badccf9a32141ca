//! A prototype of the search design proposed in docs/benchmarks.md, measured beside the
//! real `directory::search::search` (informational, not product code): a compact in-memory
//! facet index (one small struct per approved offering: enums as small integers, features,
//! languages and countries as bitsets, the day's fair key precomputed), filtered and counted
//! in memory; text through the same full-text statement as today; then only the page's 50
//! rows read from the database and their attributes parsed.

use anyhow::Result;
use coopdir::{
    db::entities::actor,
    directory::{
        listing::OfferingSpec,
        search::{OfferingQuery, PAGE_SIZE, fair_key, today, words},
    },
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement,
};
use std::collections::HashMap;

#[derive(Clone, Copy)]
struct Entry {
    id: i64,
    fair: u64,
    langs: u64,
    countries: u64,
    features: u16,
    platform: u8,
    price: u8,
    registration: u8,
    form: u8,
    status: u8,
}

/// Interned values of one facet: value → bit (or small integer).
#[derive(Default)]
struct Vocab(HashMap<String, u8>);

impl Vocab {
    fn id(&mut self, v: &str) -> u8 {
        let n = self.0.len() as u8;
        *self.0.entry(v.to_string()).or_insert(n)
    }
    fn get(&self, v: &str) -> Option<u8> {
        self.0.get(v).copied()
    }
}

#[derive(Default)]
pub struct Index {
    entries: Vec<Entry>,
    platform: Vocab,
    feature: Vocab,
    lang: Vocab,
    country: Vocab,
    price: Vocab,
    registration: Vocab,
    form: Vocab,
    status: Vocab,
}

fn status_rank(s: &str) -> u8 {
    match s {
        "active" => 0,
        "sunsetting" => 1,
        _ => 2,
    }
}

impl Index {
    /// Build from the database: one scan of id, ap_id, status, co-op and attributes (what a
    /// node would do at start and keep current from `reindex`).
    pub async fn build(db: &DatabaseConnection) -> Result<Index> {
        let backend = db.get_database_backend();
        let coops = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, attributes FROM actor WHERE kind = 'coop'",
            ))
            .await?;
        let mut idx = Index::default();
        let mut coop_form: HashMap<i64, u8> = HashMap::new();
        for r in coops {
            let id: i64 = r.try_get("", "id")?;
            let a: Option<String> = r.try_get("", "attributes")?;
            if let Some(f) = a
                .and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
                .and_then(|v| v["form"].as_str().map(str::to_owned))
            {
                coop_form.insert(id, idx.form.id(&f));
            }
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, ap_id, status, coop_id, attributes FROM actor \
                 WHERE kind = 'offering' AND moderation = 'approved'",
            ))
            .await?;
        let day = today();
        for r in rows {
            let id: i64 = r.try_get("", "id")?;
            let ap_id: String = r.try_get("", "ap_id")?;
            let status: String = r.try_get("", "status")?;
            let coop: Option<i64> = r.try_get("", "coop_id")?;
            let attrs: Option<String> = r.try_get("", "attributes")?;
            let Some(spec) = attrs.and_then(|a| serde_json::from_str::<OfferingSpec>(&a).ok())
            else {
                continue;
            };
            let mut features = 0u16;
            for f in &spec.features {
                features |= 1 << idx.feature.id(f.as_str());
            }
            let mut langs = 0u64;
            for tag in spec
                .languages
                .0
                .iter()
                .chain(spec.support_languages.0.iter())
            {
                // A tag counts for itself and its prefixes (`pt-BR` → `pt`), lower-cased.
                let t = tag.as_str().to_ascii_lowercase();
                let mut prefix = String::new();
                for part in t.split('-') {
                    if !prefix.is_empty() {
                        prefix.push('-');
                    }
                    prefix.push_str(part);
                    langs |= 1 << (idx.lang.id(&prefix) % 64);
                }
            }
            let mut countries = 0u64;
            for c in spec.jurisdiction.iter().chain(spec.data_location.0.iter()) {
                countries |= 1 << (idx.country.id(c.as_str()) % 64);
            }
            let platform = idx.platform.id(spec.platform.as_str());
            let price = idx.price.id(spec.price.model.as_str());
            let registration = idx.registration.id(spec.registration.as_str());
            let st = idx.status.id(&status);
            idx.entries.push(Entry {
                id,
                fair: fair_key(&ap_id, day),
                langs,
                countries,
                features,
                platform,
                price,
                registration,
                form: coop
                    .and_then(|c| coop_form.get(&c).copied())
                    .unwrap_or(u8::MAX),
                status: st,
            });
        }
        Ok(idx)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// One page and the facet counts for `q`; returns (total, facet values counted, page
    /// items parsed).
    pub async fn search(
        &self,
        db: &DatabaseConnection,
        q: &OfferingQuery,
    ) -> Result<(u64, usize, usize)> {
        let list = |v: &Option<String>| -> Vec<String> {
            v.as_deref()
                .unwrap_or("")
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        // Unknown values match nothing (the real code refuses them with a message).
        let any = |vocab: &Vocab, vals: Vec<String>| -> Option<u64> {
            if vals.is_empty() {
                return None;
            }
            Some(
                vals.iter()
                    .filter_map(|v| vocab.get(v))
                    .fold(0u64, |m, b| m | 1 << (b % 64)),
            )
        };
        let platform = any(&self.platform, list(&q.platform));
        let price = any(&self.price, list(&q.price));
        let status = any(&self.status, list(&q.status));
        let langs = any(
            &self.lang,
            list(&q.language)
                .iter()
                .map(|l| l.to_ascii_lowercase())
                .collect(),
        );
        let countries = any(
            &self.country,
            list(&q.country)
                .iter()
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        let feats: Vec<String> = list(&q.feature);
        let mut features = 0u16;
        for f in &feats {
            match self.feature.get(f) {
                Some(b) => features |= 1 << b,
                None => return Ok((0, 0, 0)),
            }
        }
        // Text: the same full-text statement as `search` today.
        let mut terms = words(q.q.as_deref().unwrap_or(""));
        terms.dedup();
        terms.truncate(12);
        let scores: Option<HashMap<i64, f64>> = if terms.is_empty() {
            None
        } else {
            Some(fts(db, &terms).await?)
        };
        let mut hits: Vec<(u8, f64, u64, i64)> = Vec::new();
        let mut c_platform = [0u32; 64];
        let mut c_feature = [0u32; 16];
        let mut c_lang = [0u32; 64];
        let mut c_country = [0u32; 64];
        let mut c_small = [[0u32; 16]; 4];
        for e in &self.entries {
            if platform.is_some_and(|m| m & (1 << e.platform) == 0)
                || price.is_some_and(|m| m & (1 << e.price) == 0)
                || status.is_some_and(|m| m & (1 << e.status) == 0)
                || langs.is_some_and(|m| m & e.langs == 0)
                || countries.is_some_and(|m| m & e.countries == 0)
                || e.features & features != features
            {
                continue;
            }
            let score = match &scores {
                Some(s) => match s.get(&e.id) {
                    Some(v) => *v,
                    None => continue,
                },
                None => 0.0,
            };
            c_platform[e.platform as usize % 64] += 1;
            let mut f = e.features;
            while f != 0 {
                c_feature[f.trailing_zeros() as usize] += 1;
                f &= f - 1;
            }
            let mut l = e.langs;
            while l != 0 {
                c_lang[l.trailing_zeros() as usize] += 1;
                l &= l - 1;
            }
            let mut c = e.countries;
            while c != 0 {
                c_country[c.trailing_zeros() as usize] += 1;
                c &= c - 1;
            }
            c_small[0][e.price as usize % 16] += 1;
            c_small[1][e.registration as usize % 16] += 1;
            c_small[2][(e.form as usize).min(15)] += 1;
            c_small[3][e.status as usize % 16] += 1;
            hits.push((status_rank_of(self, e.status), -score, e.fair, e.id));
        }
        let facet_values = c_platform.iter().filter(|&&n| n > 0).count()
            + c_feature.iter().filter(|&&n| n > 0).count()
            + c_lang.iter().filter(|&&n| n > 0).count()
            + c_country.iter().filter(|&&n| n > 0).count()
            + c_small.iter().flatten().filter(|&&n| n > 0).count();
        let total = hits.len() as u64;
        // The page: partial selection, then a sort of the page only.
        let page = q.page.unwrap_or(1).max(1);
        let skip = ((page - 1) * PAGE_SIZE) as usize;
        let end = (skip + PAGE_SIZE as usize).min(hits.len());
        let cmp = |a: &(u8, f64, u64, i64), b: &(u8, f64, u64, i64)| {
            a.0.cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        };
        let ids: Vec<i64> = if skip < hits.len() {
            if end < hits.len() {
                hits.select_nth_unstable_by(end, cmp);
            }
            let head = &mut hits[..end];
            head.sort_unstable_by(cmp);
            head[skip..].iter().map(|h| h.3).collect()
        } else {
            vec![]
        };
        // Only the page's rows come from the database; their attributes are parsed for
        // the items.
        let rows = actor::Entity::find()
            .filter(actor::Column::Id.is_in(ids))
            .all(db)
            .await?;
        let parsed = rows
            .iter()
            .filter(|a| {
                a.attributes
                    .as_deref()
                    .is_some_and(|s| serde_json::from_str::<OfferingSpec>(s).is_ok())
            })
            .count();
        Ok((total, facet_values, parsed))
    }
}

fn status_rank_of(idx: &Index, status: u8) -> u8 {
    idx.status
        .0
        .iter()
        .find(|(_, v)| **v == status)
        .map(|(k, _)| status_rank(k))
        .unwrap_or(2)
}

async fn fts(db: &DatabaseConnection, terms: &[String]) -> Result<HashMap<i64, f64>> {
    let backend = db.get_database_backend();
    let stmt = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            "SELECT actor_id, ts_rank('{0.1, 0.1, 0.2, 1.0}', tsv, query)::float8 AS score \
             FROM listing_search, to_tsquery('simple', $1) query WHERE tsv @@ query",
            [terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ")
                .into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "SELECT rowid AS actor_id, -bm25(listing_fts, 10.0, 1.0) AS score \
             FROM listing_fts WHERE listing_fts MATCH ?",
            [terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" AND ")
                .into()],
        ),
    };
    let mut out = HashMap::new();
    for r in db.query_all_raw(stmt).await? {
        out.insert(r.try_get("", "actor_id")?, r.try_get("", "score")?);
    }
    Ok(out)
}
