//! The fan-out peer: the same inboxes and payloads sent by the federation crate's own
//! sending path (`SendActivityTask`: its key handling, its signer, its HTTP client
//! wrapper), driven from an in-memory queue in a child of this binary; and what each of
//! the crate's child and a `coopdir serve` loses when killed with SIGKILL mid-fan-out.
//!
//! Why not the crate's `queue_activity`: outside debug mode its URL check refuses any
//! inbox URL with an explicit port ("Explicit port is not allowed"), and every sink here
//! is a loopback port; in debug mode it sends synchronously, one request at a time. So
//! the child builds the tasks with `SendActivityTask::prepare` (debug config, so the
//! ports pass) and runs them the way the crate's `ActivityQueue` does: an unbounded
//! in-memory channel, one spawned task per delivery, at most `COOPDIR_BENCH_PEER_WORKERS`
//! at once (default 0 = unlimited, the crate's default `queue_worker_count`).

use super::{Outcome, fanout::Sinks, node};
use activitypub_federation::{
    activity_sending::SendActivityTask,
    config::{Data, FederationConfig},
    traits::{Activity, Actor, Object},
};
use anyhow::{Context, Result, anyhow};
use coopdir::{
    db::entities::{activity, actor},
    directory::{announcements::announce, types::AnnouncementKind},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::{
    path::Path,
    process::Stdio,
    sync::{Arc, atomic::Ordering},
    time::{Duration, Instant},
};
use url::Url;

/// What the parent hands the child: the sender, the payloads (each with its own id) and
/// the inboxes.
#[derive(Serialize, Deserialize)]
pub struct Job {
    pub actor_id: String,
    pub private_key_pem: String,
    pub public_key_pem: String,
    pub payloads: Vec<String>,
    pub inboxes: Vec<String>,
}

/// Give every payload a new id (`<id>?<tag>`), so that a sink counts the peer's
/// deliveries apart from coopdir's. Returns the new payloads and their ids.
pub fn retag(payloads: &[String], tag: &str) -> Result<(Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let mut ids = Vec::new();
    for p in payloads {
        let mut v: Value = serde_json::from_str(p)?;
        let id = v["id"]
            .as_str()
            .ok_or_else(|| anyhow!("payload without id"))?;
        let new = format!("{id}?{tag}");
        v["id"] = Value::String(new.clone());
        out.push(v.to_string());
        ids.push(new);
    }
    Ok((out, ids))
}

/// Start the child (`--peer-fanout <job file>`); it sends at once.
pub async fn spawn(dir: &Path, job: &Job, label: &str) -> Result<tokio::process::Child> {
    let file = dir.join(format!("peer-{label}.json"));
    std::fs::write(&file, serde_json::to_vec(job)?)?;
    let log = std::fs::File::create(dir.join(format!("peer-{label}.log")))?;
    tokio::process::Command::new(std::env::current_exe()?)
        .arg("--peer-fanout")
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .context("spawn the fan-out peer")
}

#[derive(Debug, Clone)]
struct PeerActor {
    id: Url,
    private_key_pem: String,
    public_key_pem: String,
}

#[async_trait::async_trait]
impl Object for PeerActor {
    type DataType = ();
    type Kind = Value;
    type Error = anyhow::Error;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(_id: Url, _data: &Data<()>) -> Result<Option<Self>> {
        Ok(None)
    }

    async fn into_json(self, _data: &Data<()>) -> Result<Value> {
        Ok(serde_json::json!({ "id": self.id }))
    }

    async fn verify(_json: &Value, _expected: &Url, _data: &Data<()>) -> Result<()> {
        Ok(())
    }

    async fn from_json(_json: Value, _data: &Data<()>) -> Result<Self> {
        Err(anyhow!("the peer never reads actors"))
    }
}

impl Actor for PeerActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        Some(self.private_key_pem.clone())
    }

    fn inbox(&self) -> Url {
        self.id.clone()
    }
}

/// An activity as stored: sent exactly as the payload reads.
#[derive(Debug)]
struct PeerActivity {
    id: Url,
    actor: Url,
    json: Value,
}

impl Serialize for PeerActivity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(s)
    }
}

#[async_trait::async_trait]
impl Activity for PeerActivity {
    type DataType = ();
    type Error = anyhow::Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<()>) -> Result<()> {
        Ok(())
    }

    async fn receive(self, _data: &Data<()>) -> Result<()> {
        Ok(())
    }
}

/// Child side: `--peer-fanout <job file>`.
pub fn peer_fanout_main(file: &str) -> Result<()> {
    let job: Job = serde_json::from_slice(&std::fs::read(file)?)?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        // A plain client: the crate's default one refuses loopback addresses in release
        // builds. Same timeout as coopdir's.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        let config = FederationConfig::builder()
            .domain("peer.invalid")
            .app_data(())
            .client(client.into())
            .debug(true)
            .http_signature_compat(true)
            .build()
            .await?;
        let data = config.to_request_data();
        let actor = PeerActor {
            id: Url::parse(&job.actor_id)?,
            private_key_pem: job.private_key_pem.clone(),
            public_key_pem: job.public_key_pem.clone(),
        };
        let inboxes: Vec<Url> = job
            .inboxes
            .iter()
            .map(|i| Url::parse(i))
            .collect::<Result<_, _>>()?;
        let limit: usize = std::env::var("COOPDIR_BENCH_PEER_WORKERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<SendActivityTask>();
        // The queue's worker: one task per delivery, bounded like the crate's
        // `queue_worker_count` when a limit is set.
        let data2 = data.clone();
        let worker = tokio::spawn(async move {
            let mut set = tokio::task::JoinSet::new();
            let data = Arc::new(data2);
            while let Some(task) = rx.recv().await {
                if limit > 0 {
                    while set.len() >= limit {
                        set.join_next().await;
                    }
                }
                let data = data.clone();
                set.spawn(async move {
                    if let Err(e) = task.sign_and_send(&data).await {
                        eprintln!("peer: {e}");
                    }
                });
            }
            while set.join_next().await.is_some() {}
        });
        for p in &job.payloads {
            let json: Value = serde_json::from_str(p)?;
            let activity = PeerActivity {
                id: Url::parse(json["id"].as_str().unwrap_or_default())?,
                actor: actor.id.clone(),
                json,
            };
            let tasks = SendActivityTask::prepare(&activity, &actor, inboxes.clone(), &data)
                .await
                .map_err(|e| anyhow!("prepare: {e}"))?;
            for t in tasks {
                tx.send(t).map_err(|_| anyhow!("queue closed"))?;
            }
        }
        drop(tx);
        worker.await?;
        Ok(())
    })
}

/// Deliveries so far to the sinks, counted over every sink.
fn hits(sinks: &Sinks) -> u64 {
    sinks.ok_hits.load(Ordering::Relaxed)
}

/// Rate of the crate's sender over the same window as coopdir's plain fan-out: from
/// 0.5 s after its first delivery, for 6 s or until 95% are done.
async fn peer_rate(
    dir: &Path,
    sinks: &Sinks,
    job: &Job,
    ids: &[String],
) -> Result<(f64, String, bool)> {
    let base = hits(sinks);
    let h = || hits(sinks) - base;
    let total = (job.payloads.len() * job.inboxes.len()) as u64;
    let mut child = spawn(dir, job, "rate").await?;
    let pid = child.id().unwrap_or(0);
    let t_start = Instant::now();
    while h() == 0 {
        if t_start.elapsed() > Duration::from_secs(60) {
            return Err(anyhow!("the fan-out peer delivered nothing within 60 s"));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let startup = t_start.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (t0, h0) = (Instant::now(), h());
    let cpu = node::CpuSpan::start(pid);
    while h() * 100 < total * 95 && t0.elapsed() < Duration::from_secs(6) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (t1, h1) = (Instant::now(), h());
    let rate = (h1 - h0) as f64 / (t1 - t0).as_secs_f64();
    let cpu = cpu.describe(h1 - h0, "delivery");
    let hwm = node::mem_of(&format!("/proc/{pid}/status")).hwm_kib;
    let _ = tokio::time::timeout(Duration::from_secs(120), child.wait()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (missing, dup) = sinks.check(ids, |_| true);
    let _ = child.start_kill();
    let note = format!(
        "The federation crate's sender on the same {} inboxes and the same {} payloads (ids retagged so the sinks count them apart), in a child of this binary: `SendActivityTask::prepare` then `sign_and_send` (the crate's RSA signer, draft-cavage compat mode as coopdir), from an unbounded in-memory channel with one spawned task per delivery, as the crate's `ActivityQueue` does (its `queue_activity` itself refuses URLs with a port outside debug mode, and sends one by one in debug mode). Rate over {:.1} s after a 0.5 s warm-up (first delivery {:.2} s after the start, key parsing and task building included). {cpu}. Peak RSS {:.1} MiB. Exactly-once check: {missing} missing, {dup} duplicated.",
        job.inboxes.len(),
        job.payloads.len(),
        (t1 - t0).as_secs_f64(),
        startup.as_secs_f64(),
        node::mib(hwm),
    );
    Ok((rate, note, missing == 0 && dup == 0))
}

/// Wait until `frac` of `total` new deliveries arrived (or `limit` passed).
async fn wait_for(sinks: &Sinks, base: u64, total: u64, frac: f64, limit: Duration) -> u64 {
    let t = Instant::now();
    loop {
        let h = hits(sinks) - base;
        if h as f64 >= total as f64 * frac || t.elapsed() > limit {
            return h;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The peer rows: the crate's rate side by side, and the SIGKILL loss of each sender.
#[allow(clippy::too_many_arguments)]
pub async fn rows(
    out: &mut Vec<Outcome>,
    dir: &Path,
    port: u16,
    state: &coopdir::federation::AppState,
    author: &actor::Model,
    sinks: &Sinks,
    plain_ids: &[String],
    coopdir_rate: f64,
    k: usize,
) -> Result<()> {
    for s in &sinks.sinks {
        s.set_ok();
    }
    let payloads: Vec<String> = activity::Entity::find()
        .filter(activity::Column::ApId.is_in(plain_ids.iter().cloned()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| a.payload)
        .collect();
    if payloads.len() != plain_ids.len() {
        return Err(anyhow!(
            "found {} of the {} fan-out activities",
            payloads.len(),
            plain_ids.len()
        ));
    }
    let inboxes: Vec<String> = sinks
        .ports
        .iter()
        .map(|p| format!("http://localhost:{p}/inbox"))
        .collect();
    let job = |payloads: Vec<String>| Job {
        actor_id: author.ap_id.clone(),
        private_key_pem: author.private_key_pem.clone().unwrap_or_default(),
        public_key_pem: author.public_key_pem.clone(),
        payloads,
        inboxes: inboxes.clone(),
    };

    // 1. The rate, side by side.
    super::log(&format!(
        "fan-out peer: the federation crate's sender, {} payloads × {} inboxes",
        payloads.len(),
        inboxes.len()
    ));
    let (p, ids) = retag(&payloads, "peer")?;
    let (peer, note, ok) = peer_rate(dir, sinks, &job(p), &ids).await?;
    super::log(&format!(
        "fan-out peer: {peer:.0} deliveries/s; coopdir {coopdir_rate:.0}/s"
    ));
    out.push(Outcome {
        name: "peer.fanout_vs_crate".into(),
        value: coopdir_rate,
        unit: "deliveries/s".into(),
        ceiling: Some(peer),
        ratio: Some(coopdir_rate / peer),
        goal: if ok {
            "reported (coopdir ÷ crate)".into()
        } else {
            "reported; the crate's exactly-once check FAILED".into()
        },
        met: None,
        note: format!(
            "Value: `fanout.deliveries_per_s` (coopdir, durable queue). Ceiling: the crate's rate. {note}"
        ),
    });

    // 2. SIGKILL of the crate's sender at 30% of its deliveries: its queue is memory.
    let (p, ids) = retag(&payloads, "peer-kill")?;
    let total = (p.len() * inboxes.len()) as u64;
    let base = hits(sinks);
    let mut child = spawn(dir, &job(p), "kill").await?;
    let at_kill = wait_for(sinks, base, total, 0.3, Duration::from_secs(60)).await;
    let _ = child.start_kill();
    let _ = child.wait().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (lost, dup) = sinks.check(&ids, |_| true);
    super::log(&format!(
        "fan-out peer killed: {at_kill} of {total} delivered at the kill, {lost} never delivered"
    ));
    out.push(Outcome {
        name: "peer.fanout_kill9_lost".into(),
        value: lost as f64,
        unit: "deliveries".into(),
        ceiling: Some(total as f64),
        ratio: Some(lost as f64 / total as f64),
        goal: "reported (lost of expected)".into(),
        met: None,
        note: format!(
            "The crate's sender (as in `peer.fanout_vs_crate`) with {total} deliveries queued in memory, killed with SIGKILL once {at_kill} had arrived (30%); nothing can restart it, so every delivery still in its channel or in flight is gone: {lost} of {total} never arrived ({dup} duplicated). Ceiling = deliveries expected; ratio = the share lost."
        ),
    });

    // 3. SIGKILL of `coopdir serve` at 30%, then a new `coopdir serve` on the same database.
    super::log(&format!(
        "fan-out kill: queuing {k} announcements for coopdir"
    ));
    let mut ids = Vec::new();
    for i in 0..k {
        let n = announce(
            state,
            author,
            AnnouncementKind::News,
            &format!("Benchmark announcement, killed mid-fan-out {i}."),
        )
        .await
        .map_err(|e| anyhow!("announce: {e}"))?;
        ids.push(format!("{}/activity", n.ap_id));
    }
    let total = (k * inboxes.len()) as u64;
    let base = hits(sinks);
    // A short lease, so the rows claimed by the killed process are sent again soon.
    let extra = ["--delivery-lease", "3s"];
    let db_url = node::sqlite_url(dir);
    let child = node::serve_node(port, dir, &db_url, &extra).await?;
    let at_kill = wait_for(sinks, base, total, 0.3, Duration::from_secs(60)).await;
    // `Proc::stop` sends SIGKILL.
    child.stop().await;
    let t = Instant::now();
    let child = node::serve_node(port, dir, &db_url, &extra).await?;
    while sinks.check(&ids, |_| true).0 > 0 && t.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (lost, dup) = sinks.check(&ids, |_| true);
    child.stop().await;
    super::log(&format!(
        "coopdir killed: {at_kill} of {total} delivered at the kill; after a restart {lost} missing, {dup} sent twice"
    ));
    out.push(Outcome {
        name: "fanout.kill9_lost".into(),
        value: lost as f64,
        unit: "deliveries".into(),
        ceiling: Some(total as f64),
        ratio: Some(lost as f64 / total as f64),
        goal: "0 lost".into(),
        met: Some(lost == 0),
        note: format!(
            "{k} announcements × {} inboxes queued, a `coopdir serve` child (`--delivery-lease 3s`) killed with SIGKILL once {at_kill} of {total} had arrived (30%), then a new `coopdir serve` on the same database, waited up to 120 s for every delivery: {lost} never arrived, {dup} arrived twice (at-least-once: a delivery sent but not yet recorded at the kill is sent again after its lease). Ceiling = deliveries expected; ratio = the share lost.",
            inboxes.len()
        ),
    });
    Ok(())
}
