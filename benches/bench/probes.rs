//! Probes at scale: 10,000 local listings whose services are probe servers on loopback (50
//! servers, in this process), probed by a `coopdir serve` child. Measured: the time until
//! every listing has been probed once, the child's CPU and peak memory meanwhile, and the
//! read path's p99 (`GET /actors/…` as ActivityPub JSON) and the inbox's p99 (signed
//! Create activities) while the probes run, each against the same load's p99 with probes
//! off, so that probing is seen not to slow the node down.

use super::{Outcome, load, log, node};
use anyhow::{Result, anyhow};
use coopdir::{Node, db::entities::actor, directory};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

const LISTINGS: usize = 10_000;
const SERVERS: usize = 50;

/// Probe servers answering the BigBlueButton API's index call; requests counted.
async fn probe_servers(hits: Arc<AtomicUsize>) -> Result<Vec<u16>> {
    let mut ports = Vec::new();
    for _ in 0..SERVERS {
        let hits = hits.clone();
        let app = axum::Router::new().fallback(move || {
            let hits = hits.clone();
            async move {
                hits.fetch_add(1, Ordering::Relaxed);
                "<response><returncode>SUCCESS</returncode><version>2.0</version>\
                 <apiVersion>2.0</apiVersion><bbbVersion>2.7.3</bbbVersion></response>"
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        ports.push(listener.local_addr()?.port());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
    }
    Ok(ports)
}

fn document(ports: &[u16]) -> Result<directory::listing::ListingDocument> {
    let offerings: Vec<serde_json::Value> = (0..LISTINGS)
        .map(|i| {
            serde_json::json!({
                "handle": format!("probe_o{i}"),
                "name": format!("Probed offering {i}"),
                "platform": "bigbluebutton",
                "price": { "model": "free" },
                "registration": "open",
                "service_url": format!("http://localhost:{}/s{i}/", ports[i % ports.len()]),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "coop": { "handle": "probe_coop", "name": "Probed Co-op", "form": "worker" },
        "offerings": offerings,
    });
    directory::listing::ListingDocument::parse("probes.json", &doc.to_string())
        .map_err(|e| anyhow!("{e}"))
}

/// The inbox under load: `reqs` are pre-signed Create activities, each sent once.
async fn inbox_p99(port: u16, reqs: load::Requests) -> load::LoadResult {
    load::run(
        node::addr(port),
        16,
        Duration::ZERO,
        Duration::from_secs(2),
        202,
        reqs,
    )
    .await
}

/// Flags that lift the per-host inbox quota: every signed activity comes from one host.
const NO_QUOTA: [&str; 4] = [
    "--inbox-requests-per-minute",
    "4000000000",
    "--inbox-bytes-per-minute",
    "1000000000000",
];

async fn read_p99(port: u16) -> load::LoadResult {
    let req: Arc<[u8]> = load::get(
        &format!("localhost:{port}"),
        "/actors/probe_o1",
        &["Accept: application/activity+json"],
    )
    .into();
    load::run(
        node::addr(port),
        8,
        Duration::from_millis(300),
        Duration::from_secs(5),
        200,
        Arc::new(move |_| Some(req.clone())),
    )
    .await
}

pub async fn run(out: &mut Vec<Outcome>) -> Result<()> {
    let hits = Arc::new(AtomicUsize::new(0));
    let ports = probe_servers(hits.clone()).await?;
    let dir = tempfile::tempdir()?;
    let port = node::free_port();
    let db_url = node::sqlite_url(dir.path());
    let remote;
    {
        let node = Node::start(node::settings(port, dir.path(), &db_url)?).await?;
        directory::import(&node.state, &document(&ports)?)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        // One key pair for every new actor: key making is the import benchmark's subject,
        // and would take the CPU this one measures.
        let key = directory::keys::generate(1)
            .await?
            .pop()
            .ok_or_else(|| anyhow!("no key"))?;
        actor::Entity::update_many()
            .col_expr(actor::Column::PublicKeyPem, Expr::value(key.public_pem))
            .col_expr(
                actor::Column::PrivateKeyPem,
                Expr::value(Some(key.private_pem)),
            )
            .filter(actor::Column::PublicKeyPem.eq(""))
            .exec(&node.state.db)
            .await?;
        remote = super::inbox::store_remote_actors(&node.state.db, 4).await?;
    }
    log("probes: 10,000 listings imported");
    // Signed Create activities for the inbox's p99 without and with probes: the first half
    // for the quiet run, the second for the busy one (each id is accepted once).
    let inbox_url = url::Url::parse(&format!("http://localhost:{port}/inbox"))?;
    let signed = super::inbox::sign_all(&remote, &inbox_url, &format!("localhost:{port}"))?;
    let raws: Arc<Vec<Arc<[u8]>>> = Arc::new(signed.into_iter().map(|s| s.raw).collect());
    let half = raws.len() / 2;
    let slice = |from: usize| -> load::Requests {
        let raws = raws.clone();
        Arc::new(move |i: usize| {
            if i < half {
                raws.get(from + i).cloned()
            } else {
                None
            }
        })
    };

    // The read path with probes off.
    let mut flags = vec!["--probe-interval", "0"];
    flags.extend(NO_QUOTA);
    let quiet = node::serve_node(port, dir.path(), &db_url, &flags).await?;
    let base = read_p99(port).await;
    let inbox_base = inbox_p99(port, slice(0)).await;
    quiet.stop().await;
    if hits.load(Ordering::Relaxed) != 0 {
        return Err(anyhow!("probes ran with --probe-interval 0"));
    }

    // Probes on: every listing is due at once.
    let mut flags = vec!["--probe-interval", "15m"];
    flags.extend(NO_QUOTA);
    let busy = node::serve_node(port, dir.path(), &db_url, &flags).await?;
    let cpu = node::CpuSpan::start(busy.pid());
    let started = Instant::now();
    let during = read_p99(port).await;
    let probed_during_read = hits.load(Ordering::Relaxed);
    let inbox_during = inbox_p99(port, slice(half)).await;
    let probed_during_inbox = hits.load(Ordering::Relaxed) - probed_during_read;
    let deadline = Duration::from_secs(900);
    while hits.load(Ordering::Relaxed) < LISTINGS && started.elapsed() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let took = started.elapsed().as_secs_f64();
    let n = hits.load(Ordering::Relaxed);
    let cpu_note = cpu.describe(n as u64, "probe");
    let mem = busy.status();
    busy.stop().await;
    log(&format!(
        "probes: {n} probed in {took:.1} s; read p99 {:.2} ms quiet, {:.2} ms while probing ({probed_during_read} probes meanwhile)",
        base.p(0.99),
        during.p(0.99)
    ));
    out.push(Outcome::budget(
        "probes.all_10000_s",
        took,
        "s",
        900.0,
        format!(
            "Time until each of {LISTINGS} listings was probed once by one `coopdir serve` (SQLite), the services being {SERVERS} probe servers on loopback answering the BigBlueButton API; {n} probes answered. Budget: the 15-minute interval. {cpu_note}."
        ),
    ));
    out.push(Outcome::budget(
        "probes.peak_rss_mib",
        node::mib(mem.hwm_kib),
        "MiB",
        100.0,
        "VmHWM of the `coopdir serve` child after probing 10,000 listings.".into(),
    ));
    out.push(Outcome::latency(
        "probes.read_p99_while_probing_ms",
        during.p(0.99),
        base.p(0.99),
        10.0,
        format!(
            "GET /actors/probe_o1 (ActivityPub JSON), 8 connections for 5 s while the probes run ({probed_during_read} probes during it): p50 {:.2} ms, p99 {:.2} ms, {} errors; ceiling: the same route with --probe-interval 0, p99 {:.2} ms. The inbox under probes: `probes.inbox_p99_while_probing_ms`.",
            during.p(0.5),
            during.p(0.99),
            during.errors,
            base.p(0.99)
        ),
    ));
    out.push(Outcome::latency(
        "probes.inbox_p99_while_probing_ms",
        inbox_during.p(0.99),
        inbox_base.p(0.99),
        100.0,
        format!(
            "Pre-signed Create(Note) activities of 4 stored remote actors at the shared inbox, 16 connections for 2 s, right after the read run while the probes still run ({probed_during_inbox} probes during it): {} accepted, p50 {:.2} ms, p99 {:.2} ms, {} errors; ceiling: the same load with --probe-interval 0, {} accepted, p99 {:.2} ms. Goal: the inbox's own p99 goal.",
            inbox_during.ok,
            inbox_during.p(0.5),
            inbox_during.p(0.99),
            inbox_during.errors,
            inbox_base.ok,
            inbox_base.p(0.99)
        ),
    ));
    Ok(())
}
