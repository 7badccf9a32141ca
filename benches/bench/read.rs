//! The read path: actor documents, WebFinger and the directory page of a `coopdir serve`
//! child, against a bare axum JSON route (serving the same actor document) in a child of
//! this binary, same runtime settings, same load generator and concurrency.

use super::{
    Outcome,
    load::{self, Requests},
    node::{self, Proc},
};
use anyhow::Result;
use std::{sync::Arc, time::Duration};

const CONCURRENCY: usize = 8;
const WARMUP: Duration = Duration::from_millis(300);
const RUN: Duration = Duration::from_secs(3);

/// A discarded warm-up, then the measured run with the CPU the server and this process
/// used.
async fn measured(port: u16, pid: u32, req: &[u8], what: &str) -> (load::LoadResult, String) {
    let _ = load::run(
        node::addr(port),
        CONCURRENCY,
        Duration::ZERO,
        WARMUP,
        200,
        same(req.to_vec()),
    )
    .await;
    let cpu = node::CpuSpan::start(pid);
    let r = load::run(
        node::addr(port),
        CONCURRENCY,
        Duration::ZERO,
        RUN,
        200,
        same(req.to_vec()),
    )
    .await;
    let c = cpu.describe(r.ok, what);
    (r, c)
}

fn same(req: Vec<u8>) -> Requests {
    let req: Arc<[u8]> = req.into();
    Arc::new(move |_| Some(req.clone()))
}

pub async fn run(out: &mut Vec<Outcome>, port: u16, bare: &Proc, node_pid: u32) -> Result<()> {
    let host = format!("localhost:{port}");
    let bare_req = load::get("127.0.0.1", "/bare.json", &["Accept: application/json"]);
    let routes = [
        (
            "actor",
            "GET /actors/meetcoop_bbb (Accept: application/activity+json)",
            load::get(
                &host,
                "/actors/meetcoop_bbb",
                &["Accept: application/activity+json"],
            ),
            0.5,
            10.0,
        ),
        (
            "webfinger",
            "GET /.well-known/webfinger?resource=acct:meetcoop_bbb@…",
            load::get(
                &host,
                &format!("/.well-known/webfinger?resource=acct:meetcoop_bbb@localhost:{port}"),
                &["Accept: application/jrd+json"],
            ),
            0.5,
            10.0,
        ),
        (
            "index",
            "GET / (the directory page, 5 listings)",
            load::get(&host, "/", &["Accept: text/html"]),
            // Issues 15 and 19: at least 0.3 of the bare route.
            0.3,
            50.0,
        ),
    ];
    super::log("read path: bare axum JSON route");
    let (b1, b1_cpu) = measured(bare.port, bare.pid(), &bare_req, "request").await;
    let mut results = Vec::new();
    for (name, what, req, min_ratio, max_p99) in routes {
        let perf = node::Perf::start(node_pid, &format!("read-{name}"));
        let (r, cpu) = measured(port, node_pid, &req, "request").await;
        perf.stop().await;
        super::log(&format!(
            "read path: {name} {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} errors{}",
            r.rate(),
            r.p(0.5),
            r.p(0.99),
            r.errors,
            r.first_error
                .as_deref()
                .map(|e| format!(" (first: {e})"))
                .unwrap_or_default()
        ));
        results.push((name, what, r, cpu, min_ratio, max_p99));
    }
    let (b2, _) = measured(bare.port, bare.pid(), &bare_req, "request").await;
    let ceiling = (b1.rate() + b2.rate()) / 2.0;
    let ceiling_p99 = (b1.p(0.99) + b2.p(0.99)) / 2.0;
    super::log(&format!(
        "read path: bare route {:.0}/s before, {:.0}/s after (p99 {:.2} / {:.2} ms)",
        b1.rate(),
        b2.rate(),
        b1.p(0.99),
        b2.p(0.99)
    ));
    for (name, what, r, cpu, min_ratio, max_p99) in results {
        out.push(Outcome::throughput(
            &format!("read.{name}_per_s"),
            r.rate(),
            "req/s",
            ceiling,
            min_ratio,
            format!(
                "{what}: {} responses in {:.1} s, {} errors, {CONCURRENCY} keep-alive connections. {cpu}. Ceiling: bare axum JSON route serving the same actor document (a child of the bench binary, same tokio runtime settings as `coopdir serve`), {:.0}/s before and {:.0}/s after (mean used); {b1_cpu}.",
                r.ok,
                r.elapsed.as_secs_f64(),
                r.errors,
                b1.rate(),
                b2.rate()
            ),
            r.errors == 0,
        ));
        out.push(Outcome::latency(
            &format!("read.{name}_p99_ms"),
            r.p(0.99),
            ceiling_p99,
            max_p99,
            format!(
                "p50 {:.2} ms, p99 {:.2} ms; bare route p99 {ceiling_p99:.2} ms.",
                r.p(0.5),
                r.p(0.99)
            ),
        ));
    }
    Ok(())
}
