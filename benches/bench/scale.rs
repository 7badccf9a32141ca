//! The scale curve of the read side: search and the directory page at 1,000, 10,000 and
//! 100,000 listings (and 1,000,000 with `COOPDIR_BENCH_SCALE_1M=1`), on SQLite and on
//! PostgreSQL. At each size a fresh database is generated; `search` runs the search
//! benchmark's query mix in this process against its replayed statements (raw SQL), and a
//! `coopdir serve` child on the same database serves the directory page (`GET /`) against
//! the bare axum route, measured with the same load generator as the read path.
//!
//! `COOPDIR_BENCH_SCALE_SIZES=1000,10000` replaces the sizes (a smoke run);
//! `COOPDIR_BENCH_SCALE_SECS` is the time spent per size on search (default 8 s; the page
//! gets half of it).

use super::{
    Outcome,
    load::{self, percentile_us},
    node,
    search::{Recorder, generate_n, mix, replay},
};
use anyhow::{Result, anyhow};
use coopdir::directory::search;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

const CONCURRENCY: usize = 4;

fn sizes() -> Vec<usize> {
    if let Ok(v) = std::env::var("COOPDIR_BENCH_SCALE_SIZES") {
        let s: Vec<usize> = v.split(',').filter_map(|x| x.trim().parse().ok()).collect();
        if !s.is_empty() {
            return s;
        }
    }
    let mut s = vec![1_000, 10_000, 100_000];
    if std::env::var_os("COOPDIR_BENCH_SCALE_1M").is_some() {
        s.push(1_000_000);
    }
    s
}

fn secs() -> Duration {
    Duration::from_secs_f64(
        std::env::var("COOPDIR_BENCH_SCALE_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(8.0),
    )
}

fn label(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}m", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// The bare route's p50 and p99 (ms), the page's ceiling.
struct Bare {
    p50: f64,
    p99: f64,
    /// Responses per second with the same load.
    rate: f64,
}

async fn bare(dir: &std::path::Path) -> Result<(node::Proc, Bare)> {
    let json = dir.join("bare.json");
    std::fs::write(
        &json,
        include_str!("../../docs/examples/rheinmeet.json").as_bytes(),
    )?;
    let p = node::serve_bare(dir, &json).await?;
    let req = load::get("127.0.0.1", "/bare.json", &["Accept: application/json"]);
    let r = page_load(p.port, &req, Duration::from_secs(2)).await;
    let b = Bare {
        p50: r.p(0.5),
        p99: r.p(0.99),
        rate: r.rate(),
    };
    Ok((p, b))
}

async fn page_load(port: u16, req: &[u8], dur: Duration) -> load::LoadResult {
    let req: Arc<[u8]> = req.to_vec().into();
    load::run(
        node::addr(port),
        CONCURRENCY,
        Duration::from_millis(300),
        dur,
        200,
        Arc::new(move |_| Some(req.clone())),
    )
    .await
}

/// Search rounds of the mix for `dur`: (search µs, raw µs) samples.
async fn search_samples(
    db: &DatabaseConnection,
    rec: &Recorder,
    dur: Duration,
) -> Result<(Vec<u32>, Vec<u32>)> {
    let queries = mix();
    let caches = search::Caches::default();
    search::search(db, &caches, &queries[0].1)
        .await
        .map_err(|e| anyhow!("search: {e}"))?;
    let (mut s_us, mut r_us) = (Vec::new(), Vec::new());
    let start = Instant::now();
    while start.elapsed() < dur {
        for (_, q) in &queries {
            rec.start();
            let t = Instant::now();
            search::search(db, &caches, q)
                .await
                .map_err(|e| anyhow!("search: {e}"))?;
            s_us.push(t.elapsed().as_micros() as u32);
            let stmts = rec.stop();
            let t = Instant::now();
            std::hint::black_box(replay(db, &stmts).await?);
            r_us.push(t.elapsed().as_micros() as u32);
        }
    }
    Ok((s_us, r_us))
}

/// One size on one database: generate, search, then the page through a serve child.
async fn point(
    out: &mut Vec<Outcome>,
    db_label: &str,
    db_url: &str,
    dir: &std::path::Path,
    n: usize,
    bare: &Bare,
) -> Result<()> {
    let mut db = coopdir::db::connect(db_url).await?;
    let rec = Arc::new(Recorder::default());
    rec.attach(&mut db);
    coopdir::db::migrate(&db).await?;
    super::log(&format!("scale ({db_label}): generating {n} listings"));
    let (ins, idx) = generate_n(&db, n).await?;
    let (s_us, r_us) = search_samples(&db, &rec, secs()).await?;
    let ms = |v: &[u32], q: f64| percentile_us(v, q) / 1000.0;
    let l = label(n);
    let note = format!(
        "{n} generated offerings (bulk insert {ins:.1} s, index {idx:.1} s), a fresh {db_label} database; the search benchmark's query mix for {:.0} s in this process ({} samples), each `search::search` call's statements replayed raw right after (ceiling). Search p50 {:.2} ms / p99 {:.2} ms; raw p50 {:.2} ms / p99 {:.2} ms.",
        secs().as_secs_f64(),
        s_us.len(),
        ms(&s_us, 0.5),
        ms(&s_us, 0.99),
        ms(&r_us, 0.5),
        ms(&r_us, 0.99),
    );
    out.push(Outcome::relative_latency(
        &format!("scale.search.{db_label}.{l}.p50_ms"),
        ms(&s_us, 0.5),
        ms(&r_us, 0.5),
        None,
        note.clone(),
    ));
    out.push(Outcome::relative_latency(
        &format!("scale.search.{db_label}.{l}.p99_ms"),
        ms(&s_us, 0.99),
        ms(&r_us, 0.99),
        Some(100.0),
        note,
    ));
    db.close().await?;

    // The directory page, served by a `coopdir serve` child on the same database.
    let port = node::free_port();
    let child = node::serve_node(port, dir, db_url, &[]).await?;
    let req = load::get(&format!("localhost:{port}"), "/", &["Accept: text/html"]);
    // The first page alone, however long it takes (up to 10 minutes): what a visitor
    // right after a start waits.
    let t = Instant::now();
    let mut conn = load::Conn::new(node::addr(port));
    let first = tokio::time::timeout(Duration::from_secs(600), conn.request(&req)).await;
    let first_s = t.elapsed().as_secs_f64();
    match first {
        Ok(Ok(200)) => {}
        other => {
            let tail = child.log_tail();
            child.stop().await;
            return Err(anyhow!(
                "the first directory page at {n} listings after {first_s:.1} s: {other:?}; the child's log:\n{tail}"
            ));
        }
    }
    drop(conn);
    if first_s > 1.0 {
        super::log(&format!(
            "scale ({db_label}, {n}): the first page took {first_s:.1} s; the child's log:\n{}",
            child.log_tail()
        ));
    }
    let r = page_load(port, &req, secs() / 2).await;
    let rss = node::mib(child.status().rss_kib);
    let hwm = node::mib(child.status().hwm_kib);
    child.stop().await;
    if r.errors > 0 || r.ok == 0 {
        return Err(anyhow!(
            "the directory page at {n} listings: {} ok, {} errors (first: {:?})",
            r.ok,
            r.errors,
            r.first_error
        ));
    }
    let note = format!(
        "GET / (the directory page) of a `coopdir serve` child on the {n}-listing {db_label} database (the first page {first_s:.2} s after the child answered /readyz), {CONCURRENCY} keep-alive connections for {:.1} s after a 0.3 s warm-up: {} responses, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms. Ceiling: the bare axum route (a child of this binary) with the same load, p50 {:.2} ms, p99 {:.2} ms. The child's VmRSS at the end {rss:.1} MiB, VmHWM {hwm:.1} MiB.",
        r.elapsed.as_secs_f64(),
        r.ok,
        r.rate(),
        r.p(0.5),
        r.p(0.99),
        bare.p50,
        bare.p99,
    );
    out.push(Outcome::throughput(
        &format!("scale.page.{db_label}.{l}.per_s"),
        r.rate(),
        "req/s",
        bare.rate,
        // Issues 15 and 19: the directory page at least 0.3 of the bare route.
        0.3,
        format!(
            "{note} Ceiling: the bare route's rate with the same load, {:.0}/s.",
            bare.rate
        ),
        true,
    ));
    out.push(Outcome::latency(
        &format!("scale.page.{db_label}.{l}.p50_ms"),
        r.p(0.5),
        bare.p50,
        50.0,
        note.clone(),
    ));
    out.push(Outcome::latency(
        &format!("scale.page.{db_label}.{l}.p99_ms"),
        r.p(0.99),
        bare.p99,
        100.0,
        note,
    ));
    super::log(&format!(
        "scale ({db_label}, {n}): search p50 {:.2} ms, page p50 {:.2} ms / p99 {:.2} ms, node VmHWM {hwm:.1} MiB",
        ms(&s_us, 0.5),
        r.p(0.5),
        r.p(0.99)
    ));
    Ok(())
}

pub async fn run(out: &mut Vec<Outcome>) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let (bare_proc, b) = bare(tmp.path()).await?;
    super::log(&format!(
        "scale: bare route p50 {:.2} ms, p99 {:.2} ms",
        b.p50, b.p99
    ));
    for n in sizes() {
        let dir = tempfile::tempdir()?;
        point(
            out,
            "sqlite",
            &node::sqlite_url(dir.path()),
            dir.path(),
            n,
            &b,
        )
        .await?;
    }
    let server = std::env::var("COOPDIR_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    match coopdir::db::connect(&server).await {
        Err(e) => {
            out.push(Outcome::skipped(
                "scale.search.postgresql",
                "ms",
                format!("PostgreSQL at {server} unreachable: {e}"),
            ));
        }
        Ok(admin) => {
            for n in sizes() {
                let name = format!("coopdir_scale_{}", uuid::Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
                let mut url = url::Url::parse(&server)?;
                url.set_path(&format!("/{name}"));
                let dir = tempfile::tempdir()?;
                let r = point(out, "postgresql", url.as_str(), dir.path(), n, &b).await;
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
                r?;
            }
        }
    }
    bare_proc.stop().await;
    Ok(())
}
