//! Fan-out: one co-op offering with 10,000 followers behind 1,000 shared inboxes, each
//! shared inbox a sink on its own loopback port, delivered by a real `coopdir serve`.
//! Then the same with 10% of the inboxes answering 500 and 5% hanging. And, in a child of
//! this binary, the memory cost of 100,000 pending deliveries to a dead host.

use super::{
    Outcome,
    node::{self, mem_of, mib},
};
use anyhow::{Result, anyhow};
use axum::{Router, body::Bytes, extract::State, http::StatusCode, routing::post};
use coopdir::{
    db::entities::{activity, actor, follow},
    directory::{announcements::announce, find_local, types::AnnouncementKind},
    federation::signatures::Signer,
};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionTrait};
use serde::Deserialize;
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU8, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use url::Url;

pub const INBOXES: usize = 1_000;
pub const FOLLOWERS_PER_INBOX: usize = 10;

const OK: u8 = 0;
const FAIL: u8 = 1;
const HANG: u8 = 2;

/// One shared inbox: counts every activity id it accepted.
pub struct Sink {
    mode: AtomicU8,
    counts: Mutex<HashMap<String, u32>>,
    ok_hits: Arc<AtomicU64>,
    fails: Arc<AtomicU64>,
    hangs: Arc<AtomicU64>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

async fn sink_handler(State(s): State<Arc<Sink>>, body: Bytes) -> StatusCode {
    match s.mode.load(Ordering::Relaxed) {
        OK => {
            let id = serde_json::from_slice::<IdOnly>(&body)
                .map(|v| v.id)
                .unwrap_or_default();
            *s.counts.lock().unwrap().entry(id).or_default() += 1;
            s.ok_hits.fetch_add(1, Ordering::Relaxed);
            StatusCode::ACCEPTED
        }
        FAIL => {
            s.fails.fetch_add(1, Ordering::Relaxed);
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => {
            s.hangs.fetch_add(1, Ordering::Relaxed);
            // Never answer; the sender's timeout ends it (dropped with the connection).
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::ACCEPTED
        }
    }
}

impl Sink {
    /// Answer 202 and count, as in the plain fan-out.
    pub fn set_ok(&self) {
        self.mode.store(OK, Ordering::Relaxed);
    }
}

/// How long a sink keeps an idle keep-alive connection open (hyper's HTTP/1 header read
/// timeout, which runs while a connection waits for its next request, as in the node's own
/// server). Each sink is a listening socket of this process, and each open connection to it
/// another file descriptor: at 10,000 inboxes, keeping every connection the node opened
/// would need more descriptors than the machine allows a process (20,000), and the
/// connections over it were left unaccepted in the kernel's queue. Within a fan-out a busy
/// inbox gets its next delivery well within this. `COOPDIR_BENCH_SINK_IDLE_MS` replaces it
/// (0: never close, as before).
fn sink_idle() -> Option<Duration> {
    let ms: u64 = std::env::var("COOPDIR_BENCH_SINK_IDLE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    (ms > 0).then(|| Duration::from_millis(ms))
}

pub struct Sinks {
    pub ports: Vec<u16>,
    pub sinks: Vec<Arc<Sink>>,
    pub ok_hits: Arc<AtomicU64>,
    pub fails: Arc<AtomicU64>,
    pub hangs: Arc<AtomicU64>,
    /// Connections a sink could not accept (out of file descriptors, most likely): each is
    /// a delivery the node sees time out, through no fault of its own.
    pub accept_errors: Arc<AtomicU64>,
    servers: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Sinks {
    /// Close the listeners (and their connections), so that the next scale point starts
    /// with the descriptors of its own sinks only.
    fn drop(&mut self) {
        for s in &self.servers {
            s.abort();
        }
    }
}

/// Serve one sink: accept, count what cannot be accepted, and serve HTTP/1 with an idle
/// limit of [`sink_idle`].
async fn serve_sink(listener: tokio::net::TcpListener, app: Router, accept_errors: Arc<AtomicU64>) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(sink_idle())
        .keep_alive(true);
    let mut conns = tokio::task::JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(_) => {
                accept_errors.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let conn = builder.serve_connection(
            TokioIo::new(stream),
            hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                app.clone().oneshot(req.map(axum::body::Body::new))
            }),
        );
        conns.spawn(async move {
            let _ = conn.await;
        });
        // Reap finished connections as they go, so the set stays small.
        while conns.try_join_next().is_some() {}
    }
}

impl Sinks {
    pub async fn start(n: usize) -> Result<Sinks> {
        let ok_hits = Arc::new(AtomicU64::new(0));
        let fails = Arc::new(AtomicU64::new(0));
        let hangs = Arc::new(AtomicU64::new(0));
        let accept_errors = Arc::new(AtomicU64::new(0));
        let mut ports = Vec::with_capacity(n);
        let mut sinks = Vec::with_capacity(n);
        let mut servers = Vec::with_capacity(n);
        for _ in 0..n {
            let sink = Arc::new(Sink {
                mode: AtomicU8::new(OK),
                counts: Mutex::new(HashMap::new()),
                ok_hits: ok_hits.clone(),
                fails: fails.clone(),
                hangs: hangs.clone(),
            });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            ports.push(listener.local_addr()?.port());
            let app = Router::new()
                .route("/inbox", post(sink_handler))
                .with_state(sink.clone());
            servers.push(tokio::spawn(serve_sink(
                listener,
                app,
                accept_errors.clone(),
            )));
            sinks.push(sink);
        }
        Ok(Sinks {
            ports,
            sinks,
            ok_hits,
            fails,
            hangs,
            accept_errors,
            servers,
        })
    }

    /// (missing, duplicated) deliveries of `ids` over the sinks selected by `which`.
    pub fn check(&self, ids: &[String], which: impl Fn(usize) -> bool) -> (u64, u64) {
        let mut missing = 0;
        let mut dup = 0;
        for (i, s) in self.sinks.iter().enumerate() {
            if !which(i) {
                continue;
            }
            let c = s.counts.lock().unwrap();
            for id in ids {
                match c.get(id).copied().unwrap_or(0) {
                    0 => missing += 1,
                    1 => {}
                    n => dup += (n - 1) as u64,
                }
            }
        }
        (missing, dup)
    }
}

/// File descriptors open in this process.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// This process's soft limit of open files.
fn fd_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Signed POSTs per second of `Signer::sign_post` on `threads` threads for `dur`.
pub fn sign_rate(signer: &Signer, url: &Url, body: &[u8], threads: usize, dur: Duration) -> f64 {
    let start = Instant::now();
    let total: u64 = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0u64;
                    while start.elapsed() < dur {
                        let h = signer
                            .sign_post(url, body, "application/activity+json")
                            .expect("sign");
                        std::hint::black_box(h);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    total as f64 / start.elapsed().as_secs_f64()
}

/// Which sinks fail in the failure scenario: 10% answer 500, 5% hang, spread evenly.
fn failure_mode(i: usize) -> u8 {
    match i % 20 {
        0 | 1 => FAIL,
        2 => HANG,
        _ => OK,
    }
}

/// A node's database with the author and its 10,000 followers behind the sinks.
async fn setup(sinks: &Sinks) -> Result<(tempfile::TempDir, u16, coopdir::Node, actor::Model)> {
    let dir = tempfile::tempdir()?;
    let port = node::free_port();
    let node = node::prepare(port, dir.path()).await?;
    let state = node.state.clone();
    let author = find_local(&state.db, "meetcoop_bbb")
        .await?
        .ok_or_else(|| anyhow!("no meetcoop_bbb"))?;
    let now = chrono::Utc::now();
    let mut rows = Vec::with_capacity(INBOXES * FOLLOWERS_PER_INBOX);
    for &p in &sinks.ports {
        for j in 0..FOLLOWERS_PER_INBOX {
            let user = format!("http://localhost:{p}/users/u{j}");
            rows.push(follow::ActiveModel {
                actor_id: Set(author.id),
                follower_ap_id: Set(user.clone()),
                follower_inbox: Set(format!("{user}/inbox")),
                follower_shared_inbox: Set(Some(format!("http://localhost:{p}/inbox"))),
                follow_activity_id: Set(format!("{user}/follow")),
                created_at: Set(now),
                ..Default::default()
            });
        }
    }
    let txn = state.db.begin().await?;
    for chunk in rows.chunks(1000) {
        follow::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok((dir, port, node, author))
}

/// What one run with failing inboxes measured.
struct FailureRun {
    rate: f64,
    secs: f64,
    got: u64,
    total: u64,
    missing: u64,
    dup: u64,
    stall: f64,
    fails: u64,
    hangs: u64,
    n_healthy: u64,
    cpu: String,
}

/// With the sinks in failure mode, queue `k` announcements while no node runs, start a
/// `coopdir serve` child on the same database, and measure the healthy inboxes' delivery
/// rate for up to 12 s from the first one. Returns the child, still running.
#[allow(clippy::too_many_arguments)]
async fn failure_run(
    dir: &std::path::Path,
    port: u16,
    state: &coopdir::federation::AppState,
    author: &actor::Model,
    sinks: &Sinks,
    k: usize,
    extra: &[&str],
    label: &str,
) -> Result<(FailureRun, node::Proc)> {
    for (i, s) in sinks.sinks.iter().enumerate() {
        s.mode.store(failure_mode(i), Ordering::Relaxed);
    }
    let n_healthy = (0..INBOXES).filter(|&i| failure_mode(i) == OK).count() as u64;
    super::log(&format!(
        "fan-out with failures ({label}): queuing {k} announcements; 100 inboxes answer 500, 50 hang"
    ));
    let mut ids = Vec::new();
    for i in 0..k {
        let n = announce(
            state,
            author,
            AnnouncementKind::News,
            &format!("Benchmark announcement with failures {i}."),
        )
        .await
        .map_err(|e| anyhow!("announce: {e}"))?;
        ids.push(format!("{}/activity", n.ap_id));
    }
    let hits = || sinks.ok_hits.load(Ordering::Relaxed);
    let base = hits();
    let (fails0, hangs0) = (
        sinks.fails.load(Ordering::Relaxed),
        sinks.hangs.load(Ordering::Relaxed),
    );
    let child = node::serve_node(port, dir, &node::sqlite_url(dir), extra).await?;
    let perf = node::Perf::start(child.pid(), "fanout-failures");
    let t_start = Instant::now();
    let mut first_hit: Option<Instant> = None;
    let mut samples = Vec::new();
    let total = k as u64 * n_healthy;
    // The same window as the plain fan-out's: from 0.5 s after the first healthy delivery
    // (connections being opened) for 6 s, or until 95% of the healthy deliveries are done
    // (the tail, where few inboxes are left, says nothing of the rate).
    let (warm_up, window) = (Duration::from_millis(500), Duration::from_secs(6));
    let mut measured: Option<(Instant, u64)> = None;
    let mut cpu = None;
    loop {
        let h = hits() - base;
        if first_hit.is_none() && h > 0 {
            first_hit = Some(Instant::now());
        }
        if let Some(f) = first_hit
            && measured.is_none()
            && f.elapsed() >= warm_up
        {
            measured = Some((Instant::now(), h));
            cpu = Some(node::CpuSpan::start(child.pid()));
        }
        samples.push((Instant::now(), h));
        if h * 100 >= total * 95 {
            break;
        }
        if let Some((t0, _)) = measured
            && t0.elapsed() >= window
        {
            break;
        }
        if t_start.elapsed() > Duration::from_secs(40) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let end = Instant::now();
    let (start, h0) = measured.unwrap_or((first_hit.unwrap_or(end), 0));
    let got = hits() - base - h0;
    let cpu = cpu
        .map(|c| c.describe(got, "healthy delivery"))
        .unwrap_or_default();
    perf.stop().await;
    let secs = (end - start).as_secs_f64().max(1e-3);
    // The longest stretch without a single healthy delivery.
    let mut stall = Duration::ZERO;
    let mut last_change = start;
    let mut last = 0;
    for (t, h) in &samples {
        if *t < start {
            continue;
        }
        if *h != last {
            last = *h;
            last_change = *t;
        } else {
            stall = stall.max(*t - last_change);
        }
    }
    // Let the healthy inboxes get everything, then check each got each announcement once.
    let drain = Instant::now();
    while sinks.check(&ids, |i| failure_mode(i) == OK).0 > 0
        && drain.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (missing, dup) = sinks.check(&ids, |i| failure_mode(i) == OK);
    let r = FailureRun {
        rate: got as f64 / secs,
        secs,
        got,
        total,
        missing,
        dup,
        stall: stall.as_secs_f64(),
        fails: sinks.fails.load(Ordering::Relaxed) - fails0,
        hangs: sinks.hangs.load(Ordering::Relaxed) - hangs0,
        n_healthy,
        cpu,
    };
    super::log(&format!(
        "fan-out with failures ({label}): {:.0} healthy deliveries/s over {:.1} s; {} in the window of {}; longest stall {:.1} s; 500s answered {}, hangs {}; duplicates {}",
        r.rate, r.secs, r.got, r.total, r.stall, r.fails, r.hangs, r.dup
    ));
    Ok((r, child))
}

impl FailureRun {
    fn note(&self, k: usize, setup: &str) -> String {
        format!(
            "{setup}; {k} announcements queued before it started, with 100 of the 1,000 inboxes answering 500 and 50 never answering (the node's HTTP client times out after 10 s). Healthy = the other {} inboxes; rate over {:.1} s after a 0.5 s warm-up, as for the plain fan-out, ending at 6 s or at 95% of the healthy deliveries ({} healthy deliveries in the window, {} in all; {} missing once drained, {} duplicated). Longest stretch without any healthy delivery: {:.1} s. The sinks answered {} requests with 500 and held {} requests open. {}.",
            self.n_healthy,
            self.secs,
            self.got,
            self.total,
            self.missing,
            self.dup,
            self.stall,
            self.fails,
            self.hangs,
            self.cpu
        )
    }
}

/// What a plain fan-out measured.
struct PlainRun {
    rate: f64,
    note: String,
    ok: bool,
    /// The announcements' activity ids.
    ids: Vec<String>,
}

/// Queue `k` announcements, start a `coopdir serve` child with `extra` flags, and measure
/// how fast it drains them; then wait for every delivery and check each inbox got each
/// announcement exactly once. Returns the child, still running.
#[allow(clippy::too_many_arguments)]
async fn plain_run(
    dir: &std::path::Path,
    port: u16,
    state: &coopdir::federation::AppState,
    author: &actor::Model,
    sinks: &Sinks,
    k: usize,
    extra: &[&str],
    label: &str,
    perf_name: &str,
) -> Result<(PlainRun, node::Proc)> {
    for s in &sinks.sinks {
        s.mode.store(OK, Ordering::Relaxed);
    }
    super::log(&format!(
        "fan-out ({label}): queuing {k} announcements ({} deliveries)",
        k * sinks.ports.len()
    ));
    let mut ids = Vec::new();
    let t_announce = Instant::now();
    for i in 0..k {
        let n = announce(
            state,
            author,
            AnnouncementKind::News,
            &format!("Benchmark announcement {i}: maintenance window tonight."),
        )
        .await
        .map_err(|e| anyhow!("announce: {e}"))?;
        ids.push(format!("{}/activity", n.ap_id));
    }
    let announce_ms = t_announce.elapsed().as_secs_f64() * 1000.0 / k as f64;
    let base = sinks.ok_hits.load(Ordering::Relaxed);
    let hits = || sinks.ok_hits.load(Ordering::Relaxed) - base;
    let accept_base = sinks.accept_errors.load(Ordering::Relaxed);
    let mut fds_max = open_fds();
    // Read now: a process out of descriptors cannot open /proc/self/limits.
    let limit = fd_limit().map_or("?".to_string(), |l| l.to_string());
    let child = node::serve_node(port, dir, &node::sqlite_url(dir), extra).await?;
    let total = (k * sinks.ports.len()) as u64;
    let perf = node::Perf::start(child.pid(), perf_name);
    let t_start = Instant::now();
    while hits() == 0 {
        if t_start.elapsed() > Duration::from_secs(30) {
            return Err(anyhow!(
                "no delivery within 30 s; node log:\n{}",
                child.log_tail()
            ));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let t_first = Instant::now();
    let startup = t_first - t_start;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (t0, h0) = (Instant::now(), hits());
    let cpu = node::CpuSpan::start(child.pid());
    while hits() * 100 < total * 95 && t0.elapsed() < Duration::from_secs(6) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        fds_max = fds_max.max(open_fds());
    }
    let (t1, h1) = (Instant::now(), hits());
    // A fan-out small enough to be done within the warm-up (small scale points, smoke
    // runs) is measured from its first delivery instead, and the note says so.
    let short = h1 == h0 || (t1 - t0) < Duration::from_millis(200);
    let rate = if short {
        h1 as f64 / (t1 - t_first).as_secs_f64().max(1e-3)
    } else {
        (h1 - h0) as f64 / (t1 - t0).as_secs_f64()
    };
    let cpu = cpu.describe(h1 - h0, "delivery");
    perf.stop().await;
    // Let everything arrive, then check each inbox got each announcement exactly once.
    let drain = Instant::now();
    while sinks.check(&ids, |_| true).0 > 0 && drain.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        fds_max = fds_max.max(open_fds());
    }
    // Late duplicates would arrive now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (missing, dup) = sinks.check(&ids, |_| true);
    let all_done = t_first.elapsed();
    let accept_errors = sinks.accept_errors.load(Ordering::Relaxed) - accept_base;
    let fds = format!(
        "Sinks (this process): at most {fds_max} file descriptors open of {limit} allowed, {accept_errors} failed accepts"
    );
    super::log(&format!(
        "fan-out ({label}): {rate:.0} deliveries/s; all {total} in {:.1} s; missing {missing}, duplicated {dup}; {fds}",
        all_done.as_secs_f64()
    ));
    let note = format!(
        "{k} announcements × {} shared inboxes ({} followers) on as many loopback ports, queued before the node started (`announce` took {announce_ms:.0} ms each in the bench process), drained by a `coopdir serve` child ({label}); rate over {:.1} s after a 0.5 s warm-up{} (first delivery {:.2} s after the node answered /readyz, all {total} in {:.1} s). {cpu}. Exactly-once check: {missing} missing, {dup} duplicated. {fds}.",
        sinks.ports.len(),
        sinks.ports.len() * FOLLOWERS_PER_INBOX,
        (t1 - t0).as_secs_f64(),
        if short {
            " (done within the warm-up: the rate is taken from the first delivery instead)"
        } else {
            ""
        },
        startup.as_secs_f64(),
        all_done.as_secs_f64(),
    );
    Ok((
        PlainRun {
            rate,
            note,
            ok: missing == 0 && dup == 0,
            ids,
        },
        child,
    ))
}

/// `failures`: also the run with failing inboxes (group `fanout`); `peers`: also the
/// federation crate's sender side by side and the SIGKILL loss rows (group `fanout-peer`).
pub async fn run(
    out: &mut Vec<Outcome>,
    peaks: &mut Vec<(String, f64)>,
    failures: bool,
    peers: bool,
) -> Result<()> {
    super::log("fan-out: preparing the node's database and 1,000 sinks");
    let sinks = Sinks::start(INBOXES).await?;
    let (dir, port, node, author) = setup(&sinks).await?;
    let state = node.state.clone();
    let defaults = node::settings(port, dir.path(), &node::sqlite_url(dir.path()))?;
    let label = format!(
        "default settings: {} delivery workers, {} per host",
        defaults.delivery_workers, defaults.per_host_concurrency
    );

    // The ceiling: a bare signing loop with the author's key, on both cores, over the
    // payload of a real announcement.
    let signer = Signer::from_pem(
        author.private_key_pem.as_deref().unwrap_or_default(),
        format!("{}#main-key", author.ap_id),
    )?;
    let inbox_url = Url::parse(&format!("http://localhost:{}/inbox", sinks.ports[0]))?;
    announce(&state, &author, AnnouncementKind::News, "Probe.")
        .await
        .map_err(|e| anyhow!("announce: {e}"))?;
    let payload = activity::Entity::find()
        .order_by_desc(activity::Column::Id)
        .one(&state.db)
        .await?
        .map(|a| a.payload)
        .unwrap_or_default();
    let ceiling_before = sign_rate(
        &signer,
        &inbox_url,
        payload.as_bytes(),
        2,
        Duration::from_secs(2),
    );
    // Enough announcements for about 4 s at the ceiling (the probe is delivered too).
    // COOPDIR_BENCH_FANOUT_K overrides it (a smoke run of the new rows).
    let k = std::env::var("COOPDIR_BENCH_FANOUT_K")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| ((ceiling_before * 4.0 / INBOXES as f64).ceil() as usize).clamp(6, 40));
    let (plain, child) = plain_run(
        dir.path(),
        port,
        &state,
        &author,
        &sinks,
        k,
        &[],
        &label,
        "fanout",
    )
    .await?;
    peaks.push(("fan-out node".into(), mib(child.status().hwm_kib)));
    child.stop().await;
    let ceiling_after = sign_rate(
        &signer,
        &inbox_url,
        payload.as_bytes(),
        2,
        Duration::from_secs(2),
    );
    let ceiling = (ceiling_before + ceiling_after) / 2.0;
    super::log(&format!(
        "fan-out: sign_post ceiling {ceiling_before:.0}/s before, {ceiling_after:.0}/s after"
    ));
    out.push(Outcome::throughput(
        "fanout.deliveries_per_s",
        plain.rate,
        "deliveries/s",
        ceiling,
        0.7,
        format!(
            "{} Ceiling: `Signer::sign_post` loop over the same payload on 2 threads, {ceiling_before:.0}/s before and {ceiling_after:.0}/s after (mean used).",
            plain.note
        ),
        plain.ok,
    ));

    if peers {
        super::peer_fanout::rows(
            out,
            dir.path(),
            port,
            &state,
            &author,
            &sinks,
            &plain.ids,
            plain.rate,
            k,
        )
        .await?;
    }
    if !failures {
        drop(node);
        return Ok(());
    }

    // With failures: 10% of the inboxes answer 500, 5% never answer; the same database,
    // restarted with the new backlog like the plain run.
    let (f, child) = failure_run(dir.path(), port, &state, &author, &sinks, k, &[], &label).await?;
    out.push(Outcome::throughput(
        "fanout_failures.healthy_per_s",
        f.rate,
        "deliveries/s",
        plain.rate,
        0.9,
        f.note(
            k,
            &format!("The plain fan-out's database and followers, a `coopdir serve` child started again ({label})"),
        ),
        f.dup == 0,
    ));
    peaks.push((
        "fan-out node with failures".into(),
        mib(child.status().hwm_kib),
    ));
    child.stop().await;
    drop(node);
    Ok(())
}

/// Parent side of the retry-memory benchmark: run this binary with `--retry-memory`.
pub async fn retry_memory(out: &mut Vec<Outcome>) -> Result<()> {
    super::log("retry memory: child process enqueues 100,000 deliveries to a dead host");
    let mut cmd = tokio::process::Command::new(std::env::current_exe()?);
    cmd.arg("--retry-memory");
    let v = node::child_json(cmd, Duration::from_secs(180)).await?;
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let growth = f("max_kib") - f("before_kib");
    let growth_mib = growth / 1024.0;
    out.push(Outcome::budget(
        "fanout_failures.retry_rss_mib",
        growth_mib,
        "MiB",
        50.0,
        format!(
            "A fresh process of this binary runs a node in-process (`Node::serve`: HTTP and delivery workers) and reads /proc/self/status. VmRSS {:.1} MiB before, {:.1} MiB right after `queue::enqueue` of 100,000 deliveries to 100,000 inboxes of one dead host (connection refused; enqueue took {:.1} s), at most {:.1} MiB while the workers ran for {:.0} s ({:.0} attempts failed and were rescheduled; {:.0} still pending); VmHWM {:.1} MiB. Value = highest sampled VmRSS − VmRSS before.",
            f("before_kib") / 1024.0,
            f("after_enqueue_kib") / 1024.0,
            f("enqueue_s"),
            f("max_kib") / 1024.0,
            f("run_s"),
            f("attempted"),
            f("pending"),
            f("hwm_kib") / 1024.0,
        ),
    ));
    Ok(())
}

/// Child side: `--retry-memory`.
pub fn retry_memory_main() -> Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        use coopdir::federation::queue;
        let dir = tempfile::tempdir()?;
        let port = node::free_port();
        let dead = node::free_port();
        let n = node::prepare(port, dir.path()).await?;
        let state = n.state.clone();
        let author = find_local(&state.db, "meetcoop_bbb")
            .await?
            .ok_or_else(|| anyhow!("no meetcoop_bbb"))?;
        let listener = tokio::net::TcpListener::bind(node::addr(port)).await?;
        let (tx, rx) = tokio::sync::watch::channel(false);
        let server = tokio::spawn(n.serve(listener, rx));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let before = mem_of("/proc/self/status");
        let t = Instant::now();
        let inboxes: Vec<Url> = (0..100_000)
            .map(|i| Url::parse(&format!("http://localhost:{dead}/users/u{i}/inbox")))
            .collect::<Result<_, _>>()?;
        let id = state.url("/activities/bench-retry");
        let activity = serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id,
            "type": "Create",
            "actor": author.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": state.url("/announcements/bench-retry"),
                "type": "Note",
                "attributedTo": author.ap_id,
                "content": "<p>Maintenance tonight from 22:00 to 23:00 UTC.</p>",
            },
        });
        let txn = state.db.begin().await?;
        queue::enqueue(&txn, &state, &author, &activity, None, inboxes)
            .await
            .map_err(|e| anyhow!("enqueue: {e}"))?;
        txn.commit().await?;
        state.queue_notify.notify_one();
        let enqueue_s = t.elapsed().as_secs_f64();
        let after_enqueue = mem_of("/proc/self/status");
        let mut max = after_enqueue.rss_kib.max(before.rss_kib);
        let run = Instant::now();
        while run.elapsed() < Duration::from_secs(8) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            max = max.max(mem_of("/proc/self/status").rss_kib);
        }
        let run_s = run.elapsed().as_secs_f64();
        let end = mem_of("/proc/self/status");
        let count = |sql: &str| {
            let db = state.db.clone();
            let sql = sql.to_string();
            async move {
                let row = db
                    .query_one_raw(sea_orm::Statement::from_string(
                        db.get_database_backend(),
                        sql,
                    ))
                    .await?
                    .ok_or_else(|| anyhow!("no row"))?;
                Ok::<i64, anyhow::Error>(row.try_get_by_index::<i64>(0)?)
            }
        };
        let attempted = count("SELECT COUNT(*) FROM delivery WHERE attempts > 0").await?;
        let pending = count("SELECT COUNT(*) FROM delivery WHERE state = 'pending'").await?;
        let _ = tx.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
        println!(
            "{}",
            serde_json::json!({
                "before_kib": before.rss_kib,
                "after_enqueue_kib": after_enqueue.rss_kib,
                "max_kib": max,
                "end_kib": end.rss_kib,
                "hwm_kib": end.hwm_kib,
                "enqueue_s": enqueue_s,
                "run_s": run_s,
                "attempted": attempted,
                "pending": pending,
            })
        );
        Ok(())
    })
}

/// The fan-out's scale curve: the plain fan-out's rate at 100, 1,000 and 10,000 inboxes
/// (`COOPDIR_BENCH_SCALE_INBOXES=100,1000` replaces them), each with a fresh node, its
/// own sinks and about 20,000 deliveries (`COOPDIR_BENCH_SCALE_DELIVERIES`), against the
/// signing ceiling measured around them.
pub async fn scale(out: &mut Vec<Outcome>) -> Result<()> {
    let sizes: Vec<usize> = std::env::var("COOPDIR_BENCH_SCALE_INBOXES")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![100, 1_000, 10_000]);
    let deliveries: usize = std::env::var("COOPDIR_BENCH_SCALE_DELIVERIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut ceiling: Option<f64> = None;
    for n in sizes {
        super::log(&format!("scale fan-out: {n} inboxes"));
        let sinks = Sinks::start(n).await?;
        let (dir, port, node, author) = setup(&sinks).await?;
        let state = node.state.clone();
        let signer = Signer::from_pem(
            author.private_key_pem.as_deref().unwrap_or_default(),
            format!("{}#main-key", author.ap_id),
        )?;
        let inbox_url = Url::parse(&format!("http://localhost:{}/inbox", sinks.ports[0]))?;
        let payload = r#"{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","content":"Benchmark announcement: maintenance window tonight."}"#;
        let c = *ceiling.get_or_insert_with(|| {
            sign_rate(
                &signer,
                &inbox_url,
                payload.as_bytes(),
                2,
                Duration::from_secs(2),
            )
        });
        let k = deliveries.div_ceil(n).clamp(1, 200);
        let (plain, child) = plain_run(
            dir.path(),
            port,
            &state,
            &author,
            &sinks,
            k,
            &[],
            &format!("{n} inboxes, default settings"),
            &format!("scale-fanout-{n}"),
        )
        .await?;
        let hwm = mib(child.status().hwm_kib);
        child.stop().await;
        out.push(Outcome::throughput(
            &format!("scale.fanout.{n}_inboxes_per_s"),
            plain.rate,
            "deliveries/s",
            c,
            0.7,
            format!(
                "{} The node's VmHWM {hwm:.1} MiB. Ceiling: `Signer::sign_post` on 2 threads, {c:.0}/s, measured once before the first size.",
                plain.note
            ),
            plain.ok,
        ));
        drop(node);
        drop(dir);
    }
    Ok(())
}
