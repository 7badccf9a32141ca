//! Search at 100,000 listings: generated offering rows (of 2,000 co-ops on 200 peer
//! domains) inserted in bulk, indexed with `ensure_index`, then a fixed mix of text and
//! facet queries through `directory::search::search`, interleaved with the same SQL
//! statements that `search` sends, run with `query_all_raw` and read without the ORM.

use super::{Outcome, load::percentile_us};
use anyhow::{Result, anyhow};
use coopdir::{
    db::entities::actor,
    directory::search::{self, OfferingQuery},
    federation::signatures::generate_keypair,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, Set,
    Statement, TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

pub const LISTINGS: usize = 100_000;
const COOPS: usize = 2_000;
const DOMAINS: usize = 200;
/// Time for the query mix on each database.
const BUDGET: Duration = Duration::from_secs(40);
const MAX_ROUNDS: usize = 60;

/// A small deterministic generator (xorshift64*), so every run indexes the same data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const PLATFORMS: &[&str] = &[
    "bigbluebutton",
    "bigbluebutton",
    "jitsi",
    "jitsi",
    "galene",
    "nextcloud-talk",
    "matrix",
    "opentalk",
    "other",
];
const FEATURES: &[&str] = &[
    "recording",
    "breakout-rooms",
    "shared-notes",
    "whiteboard",
    "polls",
    "dial-in",
    "streaming",
    "e2ee",
    "captions",
    "lti",
    "nextcloud",
    "screen-sharing",
    "chat",
];
const LANGUAGES: &[&str] = &[
    "en", "en", "de", "de", "fr", "es", "it", "pt", "pt-BR", "nl", "ca", "eu", "pl", "sv", "da",
    "fi", "el", "cs",
];
const COUNTRIES: &[&str] = &[
    "DE", "DE", "FR", "GB", "ES", "IT", "NL", "BE", "AT", "CH", "PT", "SE", "DK", "FI", "PL", "CZ",
    "CA", "US", "BR",
];
const REGISTRATION: &[&str] = &["open", "open", "members-only", "waitlist", "closed"];
const FORMS: &[&str] = &[
    "worker",
    "consumer",
    "multi-stakeholder",
    "federation-member",
    "platform",
    "other",
];
const NAME_WORDS: &[&str] = &[
    "Rhein",
    "Alpen",
    "Nord",
    "Libre",
    "Ouvert",
    "Commons",
    "Solidar",
    "Kollektiv",
    "Tandem",
    "Colibri",
    "Hirondelle",
    "Eiche",
    "Linde",
    "Mar",
    "Sol",
    "Luna",
    "Faro",
    "Aurora",
    "Delta",
    "Quercus",
    "Brücke",
    "Galène",
    "Hafen",
    "Molino",
    "Tilia",
    "Cedro",
    "Ágora",
    "Forum",
];
const SUMMARY_WORDS: &[&str] = &[
    "video",
    "meetings",
    "classes",
    "assemblies",
    "schools",
    "associations",
    "privacy",
    "community",
    "cooperative",
    "hosting",
    "secure",
    "teaching",
    "webinars",
    "events",
    "union",
    "choir",
    "activists",
    "members",
    "calls",
    "rooms",
    "free",
    "software",
    "servers",
    "europe",
    "support",
    "friendly",
    "accessible",
    "training",
    "workshops",
    "councils",
    "tenants",
    "neighbourhood",
    "libraries",
    "students",
    "teachers",
    "nonprofits",
    "festivals",
    "radio",
    "farmers",
    "clinics",
    "therapy",
    "language",
    "courses",
    "board",
    "votes",
    "elections",
    "quick",
    "reliable",
    "green",
    "energy",
    "renewable",
    "datacentre",
    "local",
    "regional",
    "open",
    "standards",
    "federated",
    "encrypted",
    "moderated",
    "bilingual",
];

fn offering_attrs(r: &mut Rng, i: usize, name: &str, summary: &str) -> serde_json::Value {
    let platform = r.pick(PLATFORMS);
    let features: Vec<&str> = FEATURES.iter().copied().filter(|_| r.chance(40)).collect();
    let mut languages = vec![r.pick(LANGUAGES)];
    for _ in 0..r.below(3) {
        let l = r.pick(LANGUAGES);
        if !languages.contains(&l) {
            languages.push(l);
        }
    }
    let support = vec![languages[0]];
    let price = match r.below(4) {
        0 => json!({ "model": "free" }),
        1 => json!({ "model": "pay-what-you-can" }),
        2 => {
            json!({ "model": "membership", "amount": format!("{}.00", 3 + r.below(20)), "currency": "EUR", "period": "month" })
        }
        _ => {
            json!({ "model": "subscription", "amount": format!("{}.50", 5 + r.below(40)), "currency": "EUR", "period": "month" })
        }
    };
    json!({
        "handle": format!("o{i}"),
        "name": name,
        "summary": summary,
        "platform": platform,
        "features": features,
        "participants_per_room": 10 + r.below(300),
        "price": price,
        "languages": languages,
        "support_languages": support,
        "jurisdiction": r.pick(COUNTRIES),
        "data_location": [r.pick(COUNTRIES)],
        "registration": r.pick(REGISTRATION),
        "free_software": true,
        "notice_days": 30 + r.below(150),
    })
}

/// Insert 2,000 co-ops and 100,000 offerings (remote listings of 200 peer domains) in bulk,
/// sharing one public key, then build the search index. Returns (insert, index) seconds.
async fn generate(db: &DatabaseConnection) -> Result<(f64, f64)> {
    generate_n(db, LISTINGS).await
}

/// `listings` offerings of up to 2,000 co-ops (fewer below 20,000 listings, ten offerings
/// each), bulk-inserted and indexed; (insert seconds, index seconds).
pub async fn generate_n(db: &DatabaseConnection, listings: usize) -> Result<(f64, f64)> {
    let coops = COOPS.min(listings.div_ceil(10)).max(1);
    let pem = tokio::task::spawn_blocking(generate_keypair)
        .await??
        .public_pem;
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let now = chrono::Utc::now();
    let t = Instant::now();
    let txn = db.begin().await?;
    let row = |id: i64,
               kind: &str,
               username: String,
               domain: String,
               name: String,
               summary: String,
               coop_id: Option<i64>,
               attributes: String,
               status: &str,
               moderation: &str| {
        let ap_id = format!("https://{domain}/actors/{username}");
        actor::ActiveModel {
            id: Set(id),
            ap_id: Set(ap_id.clone()),
            kind: Set(kind.parse().unwrap()),
            username: Set(username),
            domain: Set(domain.clone()),
            name: Set(name),
            summary: Set(summary),
            inbox: Set(format!("{ap_id}/inbox")),
            shared_inbox: Set(Some(format!("https://{domain}/inbox"))),
            outbox: Set(Some(format!("{ap_id}/outbox"))),
            followers: Set(Some(format!("{ap_id}/followers"))),
            url: Set(Some(ap_id)),
            public_key_pem: Set(pem.clone()),
            private_key_pem: Set(None),
            local: Set(false),
            coop_id: Set(coop_id),
            attributes: Set(Some(attributes)),
            status: Set(status.parse().unwrap()),
            sunset_end: Set(None),
            moved_to: Set(None),
            also_known_as: Set("[]".into()),
            moderation: Set(moderation.parse().unwrap()),
            fetched_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
        }
    };
    // Ids far above the node's own rows.
    let coop_base = 1_000_000i64;
    let offering_base = 2_000_000i64;
    let mut batch = Vec::with_capacity(1000);
    for c in 0..coops {
        let domain = format!("peer{}.example", c % DOMAINS);
        let name = format!("{} {} eG", r.pick(NAME_WORDS), r.pick(NAME_WORDS));
        let summary = format!(
            "A {} co-operative for {} and {}.",
            r.pick(FORMS),
            r.pick(SUMMARY_WORDS),
            r.pick(SUMMARY_WORDS)
        );
        let attrs = json!({
            "handle": format!("c{c}"),
            "name": name,
            "summary": summary,
            "form": r.pick(FORMS),
            "country": r.pick(COUNTRIES),
        });
        batch.push(row(
            coop_base + c as i64,
            "coop",
            format!("c{c}"),
            domain,
            name,
            summary,
            None,
            attrs.to_string(),
            "active",
            "approved",
        ));
        if batch.len() == 1000 {
            actor::Entity::insert_many(std::mem::take(&mut batch))
                .exec_without_returning(&txn)
                .await?;
        }
    }
    for i in 0..listings {
        let c = i % coops;
        let domain = format!("peer{}.example", c % DOMAINS);
        let name = format!(
            "{} {} {}",
            r.pick(NAME_WORDS),
            r.pick(NAME_WORDS),
            match r.below(3) {
                0 => "Meet",
                1 => "Rooms",
                _ => "Video",
            }
        );
        let words: Vec<&str> = (0..12 + r.below(10))
            .map(|_| r.pick(SUMMARY_WORDS))
            .collect();
        let summary = format!("{}.", words.join(" "));
        let attrs = offering_attrs(&mut r, i, &name, &summary);
        let status = match r.below(100) {
            0..=93 => "active",
            94..=96 => "sunsetting",
            _ => "closed",
        };
        let moderation = match r.below(100) {
            0 => "pending",
            1 => "hidden",
            _ => "approved",
        };
        batch.push(row(
            offering_base + i as i64,
            "offering",
            format!("o{i}"),
            domain,
            name,
            summary,
            Some(coop_base + c as i64),
            attrs.to_string(),
            status,
            moderation,
        ));
        if batch.len() == 1000 {
            actor::Entity::insert_many(std::mem::take(&mut batch))
                .exec_without_returning(&txn)
                .await?;
        }
    }
    if !batch.is_empty() {
        actor::Entity::insert_many(batch)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    let insert_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let txn = db.begin().await?;
    // The node's caches are not measured here: the searches below keep their own.
    let n = search::ensure_index(&txn, &search::Caches::default())
        .await
        .map_err(|e| anyhow!("ensure_index: {e}"))?;
    txn.commit().await?;
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    let index_s = t.elapsed().as_secs_f64();
    if n < listings as u64 * 9 / 10 {
        return Err(anyhow!("ensure_index wrote only {n} rows"));
    }
    Ok((insert_s, index_s))
}

pub fn mix() -> Vec<(&'static str, OfferingQuery)> {
    let q = |s: &str| Some(s.to_string());
    vec![
        ("all (page 1)", OfferingQuery::default()),
        (
            "all, page 40",
            OfferingQuery {
                page: Some(40),
                ..Default::default()
            },
        ),
        (
            "q=bigbluebutton",
            OfferingQuery {
                q: q("bigbluebutton"),
                ..Default::default()
            },
        ),
        (
            "q=community assemblies",
            OfferingQuery {
                q: q("community assemblies"),
                ..Default::default()
            },
        ),
        (
            "platform=jitsi",
            OfferingQuery {
                platform: q("jitsi"),
                ..Default::default()
            },
        ),
        (
            "language=de&feature=recording,breakout-rooms",
            OfferingQuery {
                language: q("de"),
                feature: q("recording,breakout-rooms"),
                ..Default::default()
            },
        ),
        (
            "q=video&country=DE&price=free",
            OfferingQuery {
                q: q("video"),
                country: q("DE"),
                price: q("free"),
                ..Default::default()
            },
        ),
    ]
}

/// Records the statements a connection runs (sea-orm's metric callback), so each
/// `search` call's SQL can be replayed without the ORM right after it.
#[derive(Default)]
pub struct Recorder {
    on: AtomicBool,
    stmts: Mutex<Vec<(Statement, Duration)>>,
}

impl Recorder {
    pub fn attach(self: &Arc<Self>, db: &mut DatabaseConnection) {
        let rec = self.clone();
        db.set_metric_callback(move |info| {
            if rec.on.load(Ordering::Relaxed)
                && let Ok(mut v) = rec.stmts.lock()
            {
                v.push((info.statement.clone(), info.elapsed));
            }
        });
    }

    pub fn start(&self) {
        if let Ok(mut v) = self.stmts.lock() {
            v.clear();
        }
        self.on.store(true, Ordering::Relaxed);
    }

    pub fn stop(&self) -> Vec<(Statement, Duration)> {
        self.on.store(false, Ordering::Relaxed);
        self.stmts
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

/// How to read one column without knowing its entity: found on the first row that
/// decodes, then reused.
#[derive(Clone, Copy, PartialEq)]
enum Col {
    Unknown,
    Text,
    I64,
    I32,
    F64,
    Bool,
    Time,
    NaiveTime,
    Date,
    Bytes,
}

fn read_cell(r: &sea_orm::QueryResult, i: usize, hint: &mut Col) -> usize {
    macro_rules! attempt {
        ($t:ty, $col:expr, $len:expr) => {
            if *hint == Col::Unknown || *hint == $col {
                if let Ok(v) = r.try_get_by_index::<Option<$t>>(i) {
                    *hint = $col;
                    #[allow(clippy::redundant_closure_call)]
                    return v.map($len).unwrap_or(0);
                }
            }
        };
    }
    attempt!(String, Col::Text, |v: String| v.len());
    attempt!(i64, Col::I64, |v: i64| (v & 1) as usize);
    attempt!(i32, Col::I32, |v: i32| (v & 1) as usize);
    attempt!(f64, Col::F64, |v: f64| (v > 0.0) as usize);
    attempt!(bool, Col::Bool, |v: bool| v as usize);
    attempt!(
        chrono::DateTime<chrono::Utc>,
        Col::Time,
        |v: chrono::DateTime<chrono::Utc>| v.timestamp() as usize & 1
    );
    attempt!(
        chrono::NaiveDateTime,
        Col::NaiveTime,
        |v: chrono::NaiveDateTime| v.and_utc().timestamp() as usize & 1
    );
    attempt!(chrono::NaiveDate, Col::Date, |v: chrono::NaiveDate| v
        .to_string()
        .len());
    attempt!(Vec<u8>, Col::Bytes, |v: Vec<u8>| v.len());
    // A value of another type than the column's first one: try them all once.
    if *hint != Col::Unknown {
        let mut h = Col::Unknown;
        return read_cell(r, i, &mut h);
    }
    0
}

/// Replay recorded statements through `query_all_raw` and read every value of every row.
/// Returns a checksum and the time of the full-text statement, if there was one.
pub async fn replay(
    db: &DatabaseConnection,
    stmts: &[(Statement, Duration)],
) -> Result<(usize, Option<u32>)> {
    let mut touched = 0usize;
    let mut fts = None;
    for (s, _) in stmts {
        let t = Instant::now();
        let rows = db.query_all_raw(s.clone()).await?;
        if let Some(first) = rows.first() {
            let mut hints = vec![Col::Unknown; first.column_names().len()];
            for r in &rows {
                for (i, h) in hints.iter_mut().enumerate() {
                    touched = touched.wrapping_add(read_cell(r, i, h));
                }
            }
        }
        if s.sql.contains("listing_fts MATCH") || s.sql.contains("@@") {
            fts = Some(t.elapsed().as_micros() as u32);
        }
    }
    Ok((touched, fts))
}

struct PerQuery {
    name: &'static str,
    total: u64,
    search_us: Vec<u32>,
    raw_us: Vec<u32>,
    fts_us: Vec<u32>,
    proto_us: Vec<u32>,
    proto_total: u64,
    /// Time in statements as sea-orm timed them inside `search`.
    db_us: Vec<u32>,
    statements: usize,
}

/// What `measure` found.
struct Measured {
    per: Vec<PerQuery>,
    rounds: usize,
    secs: f64,
    /// Seconds the prototype's index took to build, and its size.
    proto_build_s: f64,
    proto_len: usize,
    /// The directory's first page right after a change to one listing (microseconds); the
    /// first right after the bulk insert.
    after_change_us: Vec<u32>,
}

async fn measure(db: &DatabaseConnection, rec: &Recorder, label: &str) -> Result<Measured> {
    let queries = mix();
    let mut per: Vec<PerQuery> = queries
        .iter()
        .map(|(n, _)| PerQuery {
            name: n,
            total: 0,
            search_us: vec![],
            raw_us: vec![],
            fts_us: vec![],
            proto_us: vec![],
            proto_total: 0,
            db_us: vec![],
            statements: 0,
        })
        .collect();
    // What a node keeps between searches (`AppState::search`).
    let caches = search::Caches::default();
    // A short warm-up (page cache, prepared statements): one search of the first query.
    search::search(db, &caches, &queries[0].1)
        .await
        .map_err(|e| anyhow!("search: {e}"))?;
    let t = Instant::now();
    let proto = super::search_proto::Index::build(db).await?;
    let build_s = t.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut rounds = 0;
    while rounds < MAX_ROUNDS && start.elapsed() < BUDGET {
        for (i, (_, q)) in queries.iter().enumerate() {
            rec.start();
            let t = Instant::now();
            let r = search::search(db, &caches, q)
                .await
                .map_err(|e| anyhow!("search: {e}"))?;
            per[i].search_us.push(t.elapsed().as_micros() as u32);
            let stmts = rec.stop();
            per[i].total = r.total;
            per[i].statements = stmts.len();
            per[i]
                .db_us
                .push(stmts.iter().map(|(_, d)| d.as_micros() as u32).sum());
            let t = Instant::now();
            let (touched, fts) = replay(db, &stmts).await?;
            std::hint::black_box(touched);
            per[i].raw_us.push(t.elapsed().as_micros() as u32);
            per[i].fts_us.extend(fts);
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    super::log(&format!(
        "search ({label}): {rounds} rounds of {} queries in {secs:.1} s",
        queries.len(),
    ));
    // The prototype, as many rounds, apart: its full-text statement for a broad `q` reads
    // tens of thousands of rows, which slowed whatever ran next when it was interleaved.
    for _ in 0..rounds {
        for (i, (_, q)) in queries.iter().enumerate() {
            let t = Instant::now();
            let (total, _, _) = proto.search(db, q).await?;
            per[i].proto_us.push(t.elapsed().as_micros() as u32);
            per[i].proto_total = total;
        }
    }
    // What a node pays after each update of a listing (a peer's `Update`, an edit): one
    // listing's status changes, then the directory's first page is searched.
    // The first change reads every row again: the bulk insert gave all rows one
    // `updated_at`, so "changed since the latest" is all of them. Reported apart.
    let mut after_change_us = Vec::new();
    for i in 0..11i64 {
        actor::Entity::update_many()
            .col_expr(
                actor::Column::Status,
                Expr::value(if i % 2 == 0 { "sunsetting" } else { "active" }),
            )
            .col_expr(actor::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
            .filter(actor::Column::Id.eq(2_000_000 + i))
            .exec(db)
            .await?;
        let t = Instant::now();
        search::search(db, &caches, &queries[0].1)
            .await
            .map_err(|e| anyhow!("search: {e}"))?;
        after_change_us.push(t.elapsed().as_micros() as u32);
    }
    Ok(Measured {
        per,
        rounds,
        secs,
        proto_build_s: build_s,
        proto_len: proto.len(),
        after_change_us,
    })
}

fn report(out: &mut Vec<Outcome>, label: &str, m: &Measured, generated: (f64, f64)) {
    let (per, rounds, secs) = (&m.per, m.rounds, m.secs);
    let proto = (m.proto_build_s, m.proto_len);
    let all_search: Vec<u32> = per.iter().flat_map(|p| p.search_us.clone()).collect();
    let all_raw: Vec<u32> = per.iter().flat_map(|p| p.raw_us.clone()).collect();
    let ms = |v: &[u32], q: f64| percentile_us(v, q) / 1000.0;
    let breakdown: Vec<String> = per
        .iter()
        .map(|p| {
            let fts = if p.fts_us.is_empty() {
                String::new()
            } else {
                format!(
                    " (of which the full-text statement {:.1} ms)",
                    ms(&p.fts_us, 0.5)
                )
            };
            format!(
                "`{}` ({} hits): search p50 {:.1} ms, of which {} statements {:.1} ms / replayed raw p50 {:.1} ms{fts}",
                p.name,
                p.total,
                ms(&p.search_us, 0.5),
                p.statements,
                ms(&p.db_us, 0.5),
                ms(&p.raw_us, 0.5)
            )
        })
        .collect();
    let note = format!(
        "{LISTINGS} offerings of {COOPS} co-ops (bulk insert {:.1} s, `ensure_index` {:.1} s); `search` called in this process. {rounds} rounds of a {}-query mix ({} samples, {secs:.0} s), each `search::search` call recorded (sea-orm's metric callback) and its statements replayed right after through `query_all_raw`, every value of every row read, no ORM models. Per query: {}.",
        generated.0,
        generated.1,
        per.len(),
        all_search.len(),
        breakdown.join("; ")
    );
    out.push(Outcome::relative_latency(
        &format!("search.{label}.p50_ms"),
        ms(&all_search, 0.5),
        ms(&all_raw, 0.5),
        None,
        note.clone(),
    ));
    let all_proto: Vec<u32> = per.iter().flat_map(|p| p.proto_us.clone()).collect();
    let mismatched: Vec<String> = per
        .iter()
        .filter(|p| p.proto_total != p.total)
        .map(|p| format!("`{}` {} vs {}", p.name, p.proto_total, p.total))
        .collect();
    let proto_breakdown: Vec<String> = per
        .iter()
        .map(|p| format!("`{}` {:.1} ms", p.name, ms(&p.proto_us, 0.5)))
        .collect();
    let search_p99 = ms(&all_search, 0.99);
    let proto_p99 = ms(&all_proto, 0.99);
    out.push(Outcome::relative_latency(
        &format!("search.{label}.p99_ms"),
        ms(&all_search, 0.99),
        ms(&all_raw, 0.99),
        Some(100.0),
        format!(
            "p99 over all {} samples (with this few samples, close to the maximum); raw p99 {:.0} ms. After a change to one listing (its status and `updated_at`), the next search of the directory's first page took p50 {:.1} ms, at most {:.1} ms (10 changes); after the first change following the bulk insert, which gave every row the same `updated_at`, {:.0} ms.",
            all_search.len(),
            ms(&all_raw, 0.99),
            ms(&m.after_change_us[1..], 0.5),
            ms(&m.after_change_us[1..], 1.0),
            ms(&m.after_change_us[..1], 1.0),
        ),
    ));
    out.push(Outcome {
        name: format!("search.{label}.prototype_p99_ms"),
        value: proto_p99,
        unit: "ms".into(),
        ceiling: Some(search_p99),
        ratio: Some(search_p99 / proto_p99),
        goal: "< 100 ms (informational: prototype of the design; ceiling = `search` p99, ratio = speed-up)".into(),
        met: Some(proto_p99 < 100.0),
        note: format!(
            "Not product code: benches/bench/search_proto.rs, the prototype of the design that `search` now implements (kept for comparison). A compact in-memory facet index of the {} approved offerings (built in {:.1} s from one scan; ~40 bytes each), filtered and counted in memory, the full-text statement of `search` before the index (every match ranked, a row each) for `q`, then only the page's 50 rows read and parsed. Measured after the rounds of `search`, as many rounds of the same queries: p50 {:.1} ms, p99 {proto_p99:.1} ms over {} queries; per query p50: {}. Totals {}.",
            proto.1,
            proto.0,
            ms(&all_proto, 0.5),
            all_proto.len(),
            proto_breakdown.join(", "),
            if mismatched.is_empty() {
                "equal to `search` for every query".to_string()
            } else {
                format!("differ from `search`: {}", mismatched.join(", "))
            }
        ),
    });
}

pub async fn run(out: &mut Vec<Outcome>, sqlite: bool, postgres: bool) -> Result<()> {
    if sqlite {
        let dir = tempfile::tempdir()?;
        let mut db = coopdir::db::connect(&super::node::sqlite_url(dir.path())).await?;
        let rec = Arc::new(Recorder::default());
        rec.attach(&mut db);
        coopdir::db::migrate(&db).await?;
        super::log("search (SQLite): generating 100,000 listings");
        let g = generate(&db).await?;
        super::log(&format!(
            "search (SQLite): inserted in {:.1} s, indexed in {:.1} s",
            g.0, g.1
        ));
        let m = measure(&db, &rec, "SQLite").await?;
        report(out, "sqlite", &m, g);
        // What a node holds after serving one search of 100,000 listings.
        let mut cmd = tokio::process::Command::new(std::env::current_exe()?);
        cmd.arg("--search-memory")
            .arg(super::node::sqlite_url(dir.path()));
        match super::node::child_json(cmd, Duration::from_secs(120)).await {
            Ok(v) => {
                let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN) / 1024.0;
                out.push(Outcome::budget(
                    "search.sqlite.rss_after_search_mib",
                    f("after_kib"),
                    "MiB",
                    100.0,
                    format!(
                        "Informational, against the node's 100 MiB peak budget: a fresh process of this binary opens the 100,000-listing SQLite database ({:.1} MiB VmRSS), runs `search::search` for the directory's first page once ({:.1} MiB after, {:.0} ms) and again ({:.1} MiB, {:.0} ms); VmHWM {:.1} MiB. This is what a node serving the directory at 100,000 listings keeps resident.",
                        f("before_kib"),
                        f("after_kib"),
                        v["first_ms"].as_f64().unwrap_or(f64::NAN),
                        f("again_kib"),
                        v["again_ms"].as_f64().unwrap_or(f64::NAN),
                        f("hwm_kib"),
                    ),
                ));
            }
            Err(e) => super::log(&format!("search memory: FAILED: {e:#}")),
        }
        db.close().await?;
    }
    if postgres {
        let server = std::env::var("COOPDIR_BENCH_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = format!("coopdir_bench_{}", uuid::Uuid::new_v4().simple());
        let admin = match coopdir::db::connect(&server).await {
            Ok(a) => a,
            Err(e) => {
                super::log(&format!(
                    "search (PostgreSQL): skipped, cannot connect to {server}: {e:#}"
                ));
                out.push(Outcome::skipped(
                    "search.postgresql.p99_ms",
                    "ms",
                    format!("PostgreSQL at {server} unreachable: {e}"),
                ));
                return Ok(());
            }
        };
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        let mut url = url::Url::parse(&server)?;
        url.set_path(&format!("/{name}"));
        let result = async {
            let mut db = coopdir::db::connect(url.as_str()).await?;
            let rec = Arc::new(Recorder::default());
            rec.attach(&mut db);
            coopdir::db::migrate(&db).await?;
            super::log("search (PostgreSQL): generating 100,000 listings");
            let g = generate(&db).await?;
            super::log(&format!(
                "search (PostgreSQL): inserted in {:.1} s, indexed in {:.1} s",
                g.0, g.1
            ));
            let m = measure(&db, &rec, "PostgreSQL").await?;
            report(out, "postgresql", &m, g);
            db.close().await?;
            Ok::<_, anyhow::Error>(())
        }
        .await;
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        result?;
    }
    Ok(())
}

/// Child side: `--search-memory SQLITE_URL`: resident memory around two searches.
pub fn search_memory_main(url: &str) -> Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let db = coopdir::db::connect(url).await?;
        let me = "/proc/self/status";
        let before = super::node::mem_of(me);
        let q = OfferingQuery::default();
        let caches = search::Caches::default();
        let t = Instant::now();
        search::search(&db, &caches, &q)
            .await
            .map_err(|e| anyhow!("search: {e}"))?;
        let first_ms = t.elapsed().as_secs_f64() * 1000.0;
        let after = super::node::mem_of(me);
        let t = Instant::now();
        search::search(&db, &caches, &q)
            .await
            .map_err(|e| anyhow!("search: {e}"))?;
        let again_ms = t.elapsed().as_secs_f64() * 1000.0;
        let again = super::node::mem_of(me);
        println!(
            "{}",
            json!({
                "before_kib": before.rss_kib,
                "after_kib": after.rss_kib,
                "again_kib": again.rss_kib,
                "hwm_kib": again.hwm_kib,
                "first_ms": first_ms,
                "again_ms": again_ms,
            })
        );
        Ok(())
    })
}
