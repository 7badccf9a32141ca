//! The inbox, then the read path, against one `coopdir serve` child. Pre-signed
//! `Create(Note)` activities of remote actors the node already stores, each with its own
//! id, replayed at the shared inbox with 16 keep-alive connections; the ceiling is the
//! lowest of three rates measured in the same run: signature verification, the database's
//! commit rate for the same single-row insert the inbox makes, and a bare axum handler that
//! accepts the same requests.

use super::{
    Outcome,
    load::{self, Requests},
    node::{self, mib},
};
use anyhow::{Result, anyhow};
use coopdir::directory::types::{ActorKind, Moderation, Status};
use coopdir::{
    db::entities::{actor, received_activity},
    federation::signatures::{PendingSignature, Signer, generate_keypair},
};
use http::{HeaderMap, HeaderValue, Method};
use sea_orm::{EntityTrait, PaginatorTrait, Set, sea_query::OnConflict};
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use url::Url;

/// Pre-signed activities; more than the node accepts in the run's 5 s on this machine.
const SIGNED: usize = 16_000;
const REMOTE_ACTORS: usize = 4;
const CONCURRENCY: usize = 16;
const RUN: Duration = Duration::from_secs(5);
const AS: &str = "application/activity+json";

pub(super) struct Signed {
    pub(super) raw: Arc<[u8]>,
    headers: HeaderMap,
    body: Vec<u8>,
    actor: usize,
}

pub async fn run(
    out: &mut Vec<Outcome>,
    peaks: &mut Vec<(String, f64)>,
    idle: &mut Option<f64>,
    do_inbox: bool,
    do_read: bool,
    do_peer: bool,
) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let port = node::free_port();
    super::log("inbox: preparing the node's database and remote actors");
    let n = node::prepare(port, dir.path()).await?;
    let db = n.state.db.clone();
    let keys = store_remote_actors(&db, REMOTE_ACTORS).await?;

    // The inbox peer's database: a copy of this one as it is now (remote actors stored,
    // nothing received yet).
    let peer_db = dir.path().join("peer.db");
    if do_peer {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared(&format!("VACUUM INTO '{}'", peer_db.display()))
            .await?;
    }

    // The per-host inbox quota is lifted: this measures throughput, and all the signed
    // activities come from one host.
    let child = node::serve_node(
        port,
        dir.path(),
        &node::sqlite_url(dir.path()),
        &[
            "--inbox-requests-per-minute",
            "4000000000",
            "--inbox-bytes-per-minute",
            "1000000000000",
        ],
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_mem = child.status();
    *idle = Some(mib(idle_mem.rss_kib));
    super::log(&format!(
        "memory: idle node VmRSS {:.1} MiB",
        mib(idle_mem.rss_kib)
    ));

    // The actor document, served by the bare route as the read path's ceiling.
    let host = format!("localhost:{port}");
    let actor_doc = fetch_body(
        port,
        &load::get(
            &host,
            "/actors/meetcoop_bbb",
            &["Accept: application/activity+json"],
        ),
    )
    .await?;
    let json_file = dir.path().join("actor.json");
    std::fs::write(&json_file, &actor_doc)?;
    let bare = node::serve_bare(dir.path(), &json_file).await?;

    if do_inbox {
        super::log(&format!("inbox: signing {SIGNED} activities on 2 threads"));
        let url = Url::parse(&format!("http://localhost:{port}/inbox"))?;
        let signed = sign_all(&keys, &url, &host)?;
        let bodies_total: usize = signed.iter().map(|s| s.body.len()).sum();
        let raws: Arc<Vec<Arc<[u8]>>> = Arc::new(signed.iter().map(|s| s.raw.clone()).collect());
        let reqs = {
            let raws = raws.clone();
            Arc::new(move |i: usize| raws.get(i).cloned()) as Requests
        };
        let before = received_activity::Entity::find().count(&db).await?;
        let perf = node::Perf::start(child.pid(), "inbox");
        let cpu = node::CpuSpan::start(child.pid());
        let r = load::run(
            node::addr(port),
            CONCURRENCY,
            Duration::ZERO,
            RUN,
            202,
            reqs,
        )
        .await;
        let cpu = cpu.describe(r.ok, "accepted activity");
        perf.stop().await;
        let after = received_activity::Entity::find().count(&db).await?;
        super::log(&format!(
            "inbox: {:.0} accepted/s, p50 {:.2} ms, p99 {:.2} ms, {} errors{}",
            r.rate(),
            r.p(0.5),
            r.p(0.99),
            r.errors,
            r.first_error
                .as_deref()
                .map(|e| format!(" (first: {e})"))
                .unwrap_or_default()
        ));

        // Ceiling 1: verification of the same signatures, both cores.
        let pendings: Vec<(PendingSignature, usize)> = signed
            .iter()
            .take(1000)
            .map(|s| {
                PendingSignature::parse(&Method::POST, "/inbox", &s.headers, Some(&s.body), &host)
                    .map(|p| (p, s.actor))
                    .map_err(|e| anyhow!("parse: {e}"))
            })
            .collect::<Result<_>>()?;
        let pems: Vec<String> = keys.iter().map(|k| k.1.clone()).collect();
        let verify_rate = verify_rate(&pendings, &pems, Duration::from_secs(2));
        // Ceiling 2: the database's commit rate of the inbox's own single-row insert, same
        // pool settings, same concurrency, on a fresh SQLite file.
        let insert_rate = insert_rate(CONCURRENCY, Duration::from_secs(2)).await?;
        // Ceiling 3: a bare axum handler that accepts the same requests.
        let reqs = {
            let raws = raws.clone();
            Arc::new(move |i: usize| Some(raws[i % raws.len()].clone())) as Requests
        };
        let b = load::run(
            node::addr(bare.port),
            CONCURRENCY,
            Duration::from_millis(300),
            Duration::from_secs(2),
            202,
            reqs,
        )
        .await;
        let ceiling = verify_rate.min(insert_rate).min(b.rate());
        super::log(&format!(
            "inbox ceilings: verify {verify_rate:.0}/s, single-row insert {insert_rate:.0}/s, bare axum {:.0}/s (p99 {:.2} ms)",
            b.rate(),
            b.p(0.99)
        ));
        let limiter = if ceiling == verify_rate {
            "signature verification"
        } else if ceiling == insert_rate {
            "the single-row insert"
        } else {
            "the bare handler"
        };
        out.push(Outcome::throughput(
            "inbox.accepted_per_s",
            r.rate(),
            "activities/s",
            ceiling,
            0.5,
            format!(
                "{} accepted (202) in {:.1} s, {} errors; {} new rows in received_activity. Create(Note) of {REMOTE_ACTORS} stored remote actors, unique ids, ~{} B bodies, {CONCURRENCY} keep-alive connections. {cpu}. Ceiling = lowest of: `PendingSignature::verify` on 2 threads {verify_rate:.0}/s; the same `received_activity` insert (ON CONFLICT DO NOTHING, autocommit, pool of 4, {CONCURRENCY} tasks) {insert_rate:.0}/s; bare axum POST handler {:.0}/s — here {limiter}.",
                r.ok,
                r.elapsed.as_secs_f64(),
                r.errors,
                after - before,
                bodies_total / signed.len().max(1),
                b.rate()
            ),
            r.errors == 0 && after - before == r.ok,
        ));
        if do_peer {
            peer(out, dir.path(), &peer_db, &raws, r.rate(), r.p(0.99)).await?;
        }
        out.push(Outcome::latency(
            "inbox.p99_ms",
            r.p(0.99),
            b.p(0.99),
            100.0,
            format!(
                "p50 {:.2} ms, p99 {:.2} ms at {CONCURRENCY} connections; bare handler p99 {:.2} ms.",
                r.p(0.5),
                r.p(0.99),
                b.p(0.99)
            ),
        ));
    }

    if do_read {
        super::read::run(out, port, &bare, child.pid()).await?;
    }

    let mem = child.status();
    peaks.push(("inbox + read node".into(), mib(mem.hwm_kib)));
    bare.stop().await;
    child.stop().await;
    drop(n);
    Ok(())
}

/// Remote actors stored as the node stores a verified actor, with their signers. Nobody
/// listens on their port: a fetch would fail, so every accepted activity was verified with
/// the stored key.
pub(super) async fn store_remote_actors(
    db: &sea_orm::DatabaseConnection,
    count: usize,
) -> Result<Vec<(Signer, String, String)>> {
    let remote = node::free_port();
    let mut keys = Vec::new();
    for i in 0..count {
        let kp = tokio::task::spawn_blocking(generate_keypair).await??;
        let ap_id = format!("http://localhost:{remote}/users/a{i}");
        let now = chrono::Utc::now();
        actor::Entity::insert(actor::ActiveModel {
            ap_id: Set(ap_id.clone()),
            kind: Set(ActorKind::Remote),
            username: Set(format!("a{i}")),
            domain: Set(format!("localhost:{remote}")),
            name: Set(format!("Remote member {i}")),
            summary: Set(String::new()),
            inbox: Set(format!("{ap_id}/inbox")),
            shared_inbox: Set(Some(format!("http://localhost:{remote}/inbox"))),
            outbox: Set(Some(format!("{ap_id}/outbox"))),
            followers: Set(Some(format!("{ap_id}/followers"))),
            url: Set(Some(ap_id.clone())),
            public_key_pem: Set(kp.public_pem.clone()),
            private_key_pem: Set(None),
            local: Set(false),
            coop_id: Set(None),
            attributes: Set(None),
            status: Set(Status::Active),
            sunset_end: Set(None),
            moved_to: Set(None),
            also_known_as: Set("[]".into()),
            moderation: Set(Moderation::Approved),
            fetched_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await?;
        keys.push((
            Signer::from_pem(&kp.private_pem, format!("{ap_id}#main-key"))?,
            kp.public_pem,
            ap_id,
        ));
    }

    Ok(keys)
}

async fn fetch_body(port: u16, req: &[u8]) -> Result<Vec<u8>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(node::addr(port)).await?;
    let mut r = req.to_vec();
    // Ask the server to close so the body ends with the connection.
    let pos = r.len() - 2;
    r.splice(pos..pos, b"Connection: close\r\n".iter().copied());
    s.write_all(&r).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    let p = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| anyhow!("no response"))?;
    let head = String::from_utf8_lossy(&buf[..p]).to_string();
    if !head.starts_with("HTTP/1.1 200") {
        return Err(anyhow!("unexpected response: {head}"));
    }
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err(anyhow!("chunked actor document"));
    }
    Ok(buf[p + 4..].to_vec())
}

pub(super) fn sign_all(
    keys: &[(Signer, String, String)],
    url: &Url,
    host: &str,
) -> Result<Vec<Signed>> {
    let published = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let sign_one = |i: usize| -> Result<Signed> {
        let a = i % keys.len();
        let (signer, _, actor) = &keys[a];
        let note = format!("{actor}/statuses/{i}");
        let body = serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{note}/activity"),
            "type": "Create",
            "actor": actor,
            "published": published,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{actor}/followers")],
            "object": {
                "id": note,
                "type": "Note",
                "attributedTo": actor,
                "content": format!("<p>Does any co-op run BigBlueButton with German support and recording? Asking for our association ({i}).</p>"),
                "published": published,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [format!("{actor}/followers")],
                "tag": [],
            },
        })
        .to_string()
        .into_bytes();
        let mut headers = signer.sign_post(url, &body, AS)?;
        headers.insert("host", HeaderValue::from_str(host)?);
        let mut raw = format!("POST {} HTTP/1.1\r\n", url.path()).into_bytes();
        for (k, v) in &headers {
            raw.extend_from_slice(k.as_str().as_bytes());
            raw.extend_from_slice(b": ");
            raw.extend_from_slice(v.as_bytes());
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
        raw.extend_from_slice(&body);
        Ok(Signed {
            raw: raw.into(),
            headers,
            body,
            actor: a,
        })
    };
    let halves: Vec<Result<Vec<Signed>>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..2)
            .map(|t| {
                let sign_one = &sign_one;
                s.spawn(move || {
                    (0..SIGNED)
                        .filter(|i| i % 2 == t)
                        .map(sign_one)
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("signing thread panicked")))
            })
            .collect()
    });
    // Interleave so the order of ids is the order of sending.
    let mut a = halves.into_iter();
    let even = a.next().ok_or_else(|| anyhow!("no signatures"))??;
    let odd = a.next().ok_or_else(|| anyhow!("no signatures"))??;
    let mut all = Vec::with_capacity(SIGNED);
    let mut odd = odd.into_iter();
    for e in even {
        all.push(e);
        if let Some(o) = odd.next() {
            all.push(o);
        }
    }
    Ok(all)
}

fn verify_rate(pendings: &[(PendingSignature, usize)], pems: &[String], dur: Duration) -> f64 {
    let start = Instant::now();
    let total: u64 = std::thread::scope(|s| {
        let hs: Vec<_> = (0..2)
            .map(|t| {
                s.spawn(move || {
                    let mut n = 0u64;
                    let mut i = t;
                    while start.elapsed() < dur {
                        let (p, a) = &pendings[i % pendings.len()];
                        assert!(p.verify(&pems[*a]), "a signature did not verify");
                        n += 1;
                        i += 2;
                    }
                    n
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    total as f64 / start.elapsed().as_secs_f64()
}

async fn insert_rate(concurrency: usize, dur: Duration) -> Result<f64> {
    let dir = tempfile::tempdir()?;
    let db = coopdir::db::connect(&node::sqlite_url(dir.path())).await?;
    coopdir::db::migrate(&db).await?;
    let n = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..concurrency {
        let db = db.clone();
        let n = n.clone();
        tasks.push(tokio::spawn(async move {
            let mut i = 0u64;
            while start.elapsed() < dur {
                received_activity::Entity::insert(received_activity::ActiveModel {
                    ap_id: Set(format!(
                        "http://localhost:1/users/a{t}/statuses/{i}/activity"
                    )),
                    received_at: Set(chrono::Utc::now()),
                })
                .on_conflict(
                    OnConflict::column(received_activity::Column::ApId)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&db)
                .await?;
                n.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
            Ok::<_, sea_orm::DbErr>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(n.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64())
}

/// The federation crate's inbox (`receive_activity`) over the same signed requests, in a
/// child of this binary on a copy of the node's database: `peer.inbox_vs_crate`.
async fn peer(
    out: &mut Vec<Outcome>,
    dir: &std::path::Path,
    peer_db: &std::path::Path,
    raws: &Arc<Vec<Arc<[u8]>>>,
    coopdir_rate: f64,
    coopdir_p99: f64,
) -> Result<()> {
    super::log("inbox peer: the federation crate's receive_activity");
    let url = format!("sqlite://{}?mode=rwc", peer_db.display());
    let port = node::free_port();
    let log = dir.join("peer-inbox.log");
    let child = tokio::process::Command::new(std::env::current_exe()?)
        .arg("--peer-inbox")
        .arg(&url)
        .arg(port.to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log)?)
        .kill_on_drop(true)
        .spawn()?;
    let p = node::Proc { child, port, log };
    node::wait_ready(&p, "/livez").await?;
    let reqs = {
        let raws = raws.clone();
        Arc::new(move |i: usize| raws.get(i).cloned()) as Requests
    };
    let cpu = node::CpuSpan::start(p.pid());
    let r = load::run(
        node::addr(port),
        CONCURRENCY,
        Duration::ZERO,
        RUN,
        202,
        reqs,
    )
    .await;
    let cpu = cpu.describe(r.ok, "accepted activity");
    let hwm = mib(p.status().hwm_kib);
    p.stop().await;
    let db = coopdir::db::connect(&url).await?;
    let rows = received_activity::Entity::find().count(&db).await?;
    db.close().await?;
    super::log(&format!(
        "inbox peer: {:.0} accepted/s, p99 {:.2} ms, {} errors{}; coopdir {coopdir_rate:.0}/s",
        r.rate(),
        r.p(0.99),
        r.errors,
        r.first_error
            .as_deref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    ));
    let ok = r.errors == 0 && rows == r.ok;
    out.push(Outcome {
        name: "peer.inbox_vs_crate".into(),
        value: coopdir_rate,
        unit: "activities/s".into(),
        ceiling: Some(r.rate()),
        ratio: Some(coopdir_rate / r.rate()),
        goal: if ok {
            "reported (coopdir ÷ crate)".into()
        } else {
            "reported; the crate's run had errors or lost rows".into()
        },
        met: None,
        note: format!(
            "Value: `inbox.accepted_per_s` (coopdir, p99 {coopdir_p99:.2} ms). Ceiling: the federation crate's `receive_activity` behind its axum middleware, in a child of this binary (benches/bench/peer_inbox.rs), on a copy of the node's database taken before the coopdir run, over the same signed requests with the same {CONCURRENCY} connections for {:.1} s: {} accepted, {} errors, {rows} rows written to `received_activity`, p50 {:.2} ms, p99 {:.2} ms; VmHWM {hwm:.1} MiB. {cpu}. Per request the crate checks the digest, parses, reads the stored actor (one SELECT), verifies the signature and runs `receive` (the same insert, ON CONFLICT DO NOTHING); no domain policy, no handler work. Debug mode (its URL check refuses explicit ports otherwise).",
            r.elapsed.as_secs_f64(),
            r.ok,
            r.errors,
            r.p(0.5),
            r.p(0.99),
        ),
    });
    Ok(())
}
