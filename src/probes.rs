//! Probes of local listings' running services, run by `serve`: each listing whose offering
//! has a `service_url` (and no `probe = false`) is checked every `--probe-interval`
//! (15 minutes by default, with ±10% jitter) with a request its platform answers in a known
//! way (docs/operations.md, "Probes"). Every request goes through the node's outgoing client:
//! the SSRF guard, the domain policy, a timeout (`--probe-timeout`, 10 s), a 1 MiB limit on
//! what is read, and at most one probe at a time per host. What the guard or the policy
//! refuses is recorded as `refused`, never as `down`.
//!
//! With several processes on one database, a listing is claimed by one of them in one
//! statement (as the delivery queue claims deliveries): the claim moves its next probe past
//! a lease, and the probe's result sets the next one.

use crate::{
    db::entities::{actor, listing_probe},
    directory::{
        self,
        liveness::{self, Outcome, ProbeRecord},
        types::{ActorKind, Moderation, Platform, Status},
    },
    federation::{AppState, MAX_RESPONSE, netguard, policy, read_limited},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Statement,
};
use std::{
    collections::HashMap,
    sync::{
        Arc, LazyLock, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use url::Url;

/// Redirects a probe follows, each checked again by the guard and the policy.
const MAX_REDIRECTS: usize = 3;

/// Listings claimed by one process at a time, and probes it runs at once.
const BATCH: usize = 64;
const CONCURRENCY: usize = 32;

/// How often the scheduler looks for due listings.
const TICK: Duration = Duration::from_secs(1);

/// A listing due this long ago and not yet claimed counts as running late.
pub const LATE_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// Probes run and failed by this process since it started (`/metrics`).
pub static PROBES_RUN: AtomicU64 = AtomicU64::new(0);
pub static PROBES_FAILED: AtomicU64 = AtomicU64::new(0);

/// The User-Agent of every probe: the node's own, marked as a probe.
pub fn user_agent() -> String {
    format!("{} liveness-probe", crate::federation::user_agent())
}

/// The path a platform's probe requests, relative to the service URL (documented).
pub fn probe_paths(p: Platform) -> &'static [&'static str] {
    match p {
        Platform::BigBlueButton => &["bigbluebutton/api"],
        Platform::Galene => &["public-groups.json"],
        Platform::Jitsi => &["", "config.js"],
        Platform::NextcloudTalk => &["status.php"],
        _ => &[""],
    }
}

/// What one probe found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub outcome: Outcome,
    pub version: Option<String>,
    /// Why it is down or refused.
    pub detail: Option<String>,
}

impl Found {
    fn up(version: Option<String>) -> Found {
        Found {
            outcome: Outcome::Up,
            version,
            detail: None,
        }
    }
    fn down(why: impl Into<String>) -> Found {
        Found {
            outcome: Outcome::Down,
            version: None,
            detail: Some(why.into()),
        }
    }
    fn refused(why: impl Into<String>) -> Found {
        Found {
            outcome: Outcome::Refused,
            version: None,
            detail: Some(why.into()),
        }
    }
}

/// One probe per host at a time, across this process.
static HOSTS: LazyLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> =
    LazyLock::new(Default::default);

fn host_lock(host: &str) -> Arc<tokio::sync::Mutex<()>> {
    let mut map = HOSTS.lock().unwrap_or_else(|e| e.into_inner());
    // Forget hosts nobody probes now, so that the map stays small.
    if map.len() > 10_000 {
        map.retain(|_, l| Arc::strong_count(l) > 1);
    }
    map.entry(host.to_string()).or_default().clone()
}

/// `path` below the service URL (which may or may not end with `/`).
fn below(base: &Url, path: &str) -> Result<Url, String> {
    let mut b = base.clone();
    if !b.path().ends_with('/') {
        let p = format!("{}/", b.path());
        b.set_path(&p);
    }
    b.set_query(None);
    b.set_fragment(None);
    b.join(path)
        .map_err(|e| format!("{path} below {base}: {e}"))
}

/// A failed request: refused by the node, or no good answer.
enum Fail {
    Refused(String),
    Down(String),
}

/// Whether a request error is the guard's refusal.
fn is_refusal(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<netguard::Refused>().is_some() {
            return true;
        }
        cur = err.source();
    }
    crate::http::error::error_chain(e).contains("refused to connect to")
}

/// GET `start` through the guarded client, following a few redirects: the status and at
/// most [`MAX_RESPONSE`] bytes of the body.
async fn get(state: &AppState, start: &Url) -> Result<(u16, bytes::Bytes), Fail> {
    let mut url = start.clone();
    for _ in 0..=MAX_REDIRECTS {
        state.guard.permits(&url).map_err(Fail::Refused)?;
        match policy::refusal(&state.db, &state.settings, &url).await {
            Ok(Some(why)) => return Err(Fail::Refused(why)),
            Ok(None) => {}
            Err(e) => return Err(Fail::Down(format!("checking the domain policy: {e}"))),
        }
        let res = state
            .client
            .get(url.clone())
            .header(reqwest::header::USER_AGENT, user_agent())
            .timeout(state.settings.probes.timeout)
            .send()
            .await
            .map_err(|e| {
                if is_refusal(&e) {
                    Fail::Refused(crate::http::error::error_chain(&e))
                } else if e.is_timeout() {
                    Fail::Down(format!(
                        "{url}: no answer within {}",
                        humantime::format_duration(state.settings.probes.timeout)
                    ))
                } else {
                    Fail::Down(format!("{url}: {}", crate::http::error::error_chain(&e)))
                }
            })?;
        let status = res.status();
        if status.is_redirection() {
            let next = res
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok())
                .ok_or_else(|| Fail::Down(format!("{url} answered {status} without a Location")))?;
            url = next;
            continue;
        }
        let body = read_limited(res, MAX_RESPONSE)
            .await
            .map_err(|e| Fail::Down(format!("{url}: {e}")))?;
        return Ok((status.as_u16(), body));
    }
    Err(Fail::Down(format!(
        "{start} redirects more than {MAX_REDIRECTS} times"
    )))
}

/// The text of the first `<tag>…</tag>` of an XML answer.
fn xml_tag<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&close)? + start;
    let v = xml[start..end].trim();
    let v = v
        .strip_prefix("<![CDATA[")
        .and_then(|v| v.strip_suffix("]]>"))
        .unwrap_or(v)
        .trim();
    (!v.is_empty()).then_some(v)
}

/// A version as reported, kept short and printable.
fn clean_version(v: &str) -> Option<String> {
    let v: String = v
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect::<String>()
        .trim()
        .to_string();
    (!v.is_empty()).then_some(v)
}

/// Judge a platform's answer to its probe request.
pub fn judge(platform: Platform, path: &str, status: u16, body: &[u8]) -> Found {
    if !(200..300).contains(&status) {
        return Found::down(format!("{path:?} answered HTTP {status}"));
    }
    let text = String::from_utf8_lossy(body);
    match (platform, path) {
        (Platform::BigBlueButton, _) => match xml_tag(&text, "returncode") {
            Some("SUCCESS") => Found::up(xml_tag(&text, "bbbVersion").and_then(clean_version)),
            Some(other) => Found::down(format!("the BigBlueButton API answered {other}")),
            None => Found::down("the answer is not the BigBlueButton API's (no <returncode>)"),
        },
        (Platform::Galene, _) => match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(serde_json::Value::Array(_)) => Found::up(None),
            _ => Found::down("public-groups.json is not a JSON list of groups"),
        },
        (Platform::NextcloudTalk, _) => match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(v) if v["installed"] == serde_json::Value::Bool(true) => {
                if v["maintenance"] == serde_json::Value::Bool(true) {
                    Found::down("Nextcloud is in maintenance mode")
                } else {
                    Found::up(
                        v["versionstring"]
                            .as_str()
                            .or(v["version"].as_str())
                            .and_then(clean_version),
                    )
                }
            }
            Ok(_) => Found::down("status.php does not say installed: true"),
            Err(_) => Found::down("status.php is not JSON"),
        },
        (Platform::Jitsi, "config.js") => {
            if text.contains("config") {
                Found::up(None)
            } else {
                Found::down("config.js is not Jitsi Meet's configuration")
            }
        }
        _ => Found::up(None),
    }
}

/// Probe a service now: the platform's requests in turn, at most one probe per host at a
/// time. Returns what was found and how long it took.
pub async fn probe(state: &AppState, platform: Platform, service: &Url) -> (Found, Duration) {
    let host = service.host_str().unwrap_or_default().to_ascii_lowercase();
    let lock = host_lock(&host);
    let _one = lock.lock().await;
    let started = Instant::now();
    let mut found = Found::up(None);
    for path in probe_paths(platform) {
        let url = match below(service, path) {
            Ok(u) => u,
            Err(e) => return (Found::down(e), started.elapsed()),
        };
        // The whole request, body included, within the timeout.
        let limit = state.settings.probes.timeout + Duration::from_millis(100);
        let answer = match tokio::time::timeout(limit, get(state, &url)).await {
            Ok(a) => a,
            Err(_) => Err(Fail::Down(format!(
                "{url}: no complete answer within {}",
                humantime::format_duration(state.settings.probes.timeout)
            ))),
        };
        found = match answer {
            Err(Fail::Refused(why)) => Found::refused(why),
            Err(Fail::Down(why)) => Found::down(why),
            Ok((status, body)) => judge(platform, path, status, &body),
        };
        if found.outcome != Outcome::Up {
            break;
        }
    }
    (found, started.elapsed())
}

/// When a listing probed now is probed next: the interval ±10%.
fn next_after(
    state: &AppState,
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    let interval = state.settings.probes.interval.as_secs_f64();
    let jitter = (rand::random::<f64>() - 0.5) * 0.2 * interval;
    now + chrono::TimeDelta::milliseconds(((interval + jitter) * 1000.0) as i64)
}

/// The service to probe for a listing, if it is one: a local offering, listed, not closed,
/// with a service URL and probing not turned off.
fn target(a: &actor::Model) -> Option<(Platform, Url)> {
    if !a.local
        || a.kind != ActorKind::Offering
        || a.moderation == Moderation::Removed
        || a.status == Status::Closed
        || a.status == Status::Transferred
    {
        return None;
    }
    let spec = directory::offering_spec(a).ok()?;
    if !spec.probe {
        return None;
    }
    Some((spec.platform, spec.service_url?.0))
}

/// Probe one listing now and record the result; a listing that is no longer to be probed
/// is taken off the schedule. Returns the outcome, if it was probed.
pub async fn probe_listing(state: &AppState, actor_id: i64) -> anyhow::Result<Option<Outcome>> {
    let Some(a) = actor::Entity::find_by_id(actor_id).one(&state.db).await? else {
        listing_probe::Entity::delete_by_id(actor_id)
            .exec(&state.db)
            .await?;
        return Ok(None);
    };
    let Some((platform, url)) = target(&a) else {
        listing_probe::Entity::update_many()
            .col_expr(
                listing_probe::Column::NextProbeAt,
                sea_orm::sea_query::Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .filter(listing_probe::Column::ActorId.eq(actor_id))
            .exec(&state.db)
            .await?;
        return Ok(None);
    };
    let (found, took) = probe(state, platform, &url).await;
    PROBES_RUN.fetch_add(1, Ordering::Relaxed);
    if found.outcome != Outcome::Up {
        PROBES_FAILED.fetch_add(1, Ordering::Relaxed);
    }
    let now = state.clock.now();
    let next = (!state.settings.probes.interval.is_zero()).then(|| next_after(state, now));
    let row = liveness::record(
        &state.db,
        actor_id,
        &ProbeRecord {
            outcome: found.outcome,
            at: now,
            latency_ms: i64::try_from(took.as_millis()).unwrap_or(i64::MAX),
            observed_version: found.version.clone(),
            detail: found.detail.clone(),
            next,
        },
    )
    .await?;
    tracing::debug!(%url, outcome = found.outcome.as_str(), detail = ?found.detail, "probe");
    if let Some(row) = row
        && let Some(since) = row.down_since
        && row.escalated_at.is_none()
        && now - since >= liveness::ESCALATE_AFTER
    {
        let comment = format!(
            "The service of this listing, {url}, has not answered the node's probes since {} \
             (last: {}). Ask the co-op whether it moved or closed; hide or remove the listing \
             if it has closed.",
            since.format("%Y-%m-%d"),
            found.detail.as_deref().unwrap_or("down")
        );
        directory::moderation::report_here(state, &a, vec![], &comment)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        liveness::mark_escalated(&state.db, actor_id, now).await?;
    }
    Ok(Some(found.outcome))
}

/// Claim up to `limit` due listings for this process: one statement moves their next probe
/// past a lease, so no other process claims them until this one records a result (or, if
/// it dies, until the lease has passed).
async fn claim(state: &AppState, limit: usize) -> anyhow::Result<Vec<i64>> {
    let now = state.clock.now();
    // A read first: the claim writes, and most seconds nothing is due.
    let due = listing_probe::Entity::find()
        .filter(listing_probe::Column::NextProbeAt.lte(now))
        .count(&state.db)
        .await?;
    if due == 0 {
        return Ok(Vec::new());
    }
    // Long enough for the whole batch even when its listings share one hanging host (one
    // probe per host at a time, each up to the timeout).
    let lease = (state.settings.probes.timeout * (BATCH as u32 + 1)).max(Duration::from_secs(60));
    let until = now + chrono::Duration::from_std(lease).unwrap_or_default();
    let backend = state.db.get_database_backend();
    let (sql, values): (&str, Vec<sea_orm::Value>) = match backend {
        DbBackend::Postgres => (
            "UPDATE listing_probe SET next_probe_at = $1 WHERE actor_id IN (\
               SELECT actor_id FROM listing_probe WHERE next_probe_at <= $2 \
               ORDER BY next_probe_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING actor_id",
            vec![until.into(), now.into(), (limit as i64).into()],
        ),
        _ => (
            "UPDATE listing_probe SET next_probe_at = ?1 WHERE actor_id IN (\
               SELECT actor_id FROM listing_probe WHERE next_probe_at <= ?2 \
               ORDER BY next_probe_at LIMIT ?3) \
             RETURNING actor_id",
            vec![until.into(), now.into(), (limit as i64).into()],
        ),
    };
    let rows = state
        .db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.try_get::<i64>("", "actor_id").ok())
        .collect())
}

/// Probe every due listing (claimed batch by batch). Returns how many were probed.
pub async fn probe_due(state: &AppState) -> anyhow::Result<usize> {
    use futures::StreamExt;
    let mut n = 0;
    loop {
        let ids = claim(state, BATCH).await?;
        if ids.is_empty() {
            return Ok(n);
        }
        n += ids.len();
        futures::stream::iter(ids)
            .for_each_concurrent(CONCURRENCY, |id| async move {
                if let Err(e) = probe_listing(state, id).await {
                    tracing::warn!(actor_id = id, error = %e, "probing a listing");
                }
            })
            .await;
    }
}

/// Listings due more than [`LATE_AFTER`] ago and not probed yet.
pub async fn late(state: &AppState) -> Result<u64, sea_orm::DbErr> {
    listing_probe::Entity::find()
        .filter(listing_probe::Column::NextProbeAt.lt(state.clock.now() - LATE_AFTER))
        .count(&state.db)
        .await
}

/// The running node's prober: due listings are probed every second's check; off with
/// `--probe-interval 0`.
pub async fn run(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    if state.settings.probes.interval.is_zero() {
        tracing::info!("probes of listed services are off (--probe-interval 0)");
        return;
    }
    loop {
        tokio::select! {
            r = probe_due(&state) => if let Err(e) = r {
                tracing::warn!(error = %e, "probes");
            },
            _ = shutdown.wait_for(|v| *v) => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.wait_for(|v| *v) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer of a BigBlueButton 2.7 server to `GET /bigbluebutton/api`.
    const BBB: &str = "<response>\n<returncode>SUCCESS</returncode>\n<version>2.0</version>\n\
        <apiVersion>2.0</apiVersion>\n<bbbVersion>2.7.3</bbbVersion>\n</response>";

    #[test]
    fn bigbluebutton_answers_are_read_for_success_and_version() {
        let f = judge(
            Platform::BigBlueButton,
            "bigbluebutton/api",
            200,
            BBB.as_bytes(),
        );
        assert_eq!(f.outcome, Outcome::Up);
        assert_eq!(f.version.as_deref(), Some("2.7.3"));
        // Servers before 2.6 have no bbbVersion: up, version unknown.
        let old = "<response><returncode>SUCCESS</returncode><version>2.0</version></response>";
        let f = judge(
            Platform::BigBlueButton,
            "bigbluebutton/api",
            200,
            old.as_bytes(),
        );
        assert_eq!((f.outcome, f.version), (Outcome::Up, None));
        let f = judge(
            Platform::BigBlueButton,
            "bigbluebutton/api",
            200,
            b"<html>hi</html>",
        );
        assert_eq!(f.outcome, Outcome::Down);
        let f = judge(
            Platform::BigBlueButton,
            "bigbluebutton/api",
            502,
            BBB.as_bytes(),
        );
        assert_eq!(f.outcome, Outcome::Down);
    }

    #[test]
    fn nextcloud_status_must_say_installed() {
        let ok = br#"{"installed":true,"maintenance":false,"needsDbUpgrade":false,"version":"28.0.1.1","versionstring":"28.0.1","edition":"","productname":"Nextcloud","extendedSupport":false}"#;
        let f = judge(Platform::NextcloudTalk, "status.php", 200, ok);
        assert_eq!(
            (f.outcome, f.version.as_deref()),
            (Outcome::Up, Some("28.0.1"))
        );
        let f = judge(
            Platform::NextcloudTalk,
            "status.php",
            200,
            br#"{"installed":true,"maintenance":true}"#,
        );
        assert_eq!(f.outcome, Outcome::Down);
        let f = judge(
            Platform::NextcloudTalk,
            "status.php",
            200,
            br#"{"installed":false}"#,
        );
        assert_eq!(f.outcome, Outcome::Down);
    }

    #[test]
    fn paths_are_joined_below_the_service_url() {
        let u = Url::parse("https://bbb.example.coop/b").unwrap();
        assert_eq!(
            below(&u, "bigbluebutton/api").unwrap().as_str(),
            "https://bbb.example.coop/b/bigbluebutton/api"
        );
        let u = Url::parse("https://meet.example.coop/").unwrap();
        assert_eq!(
            below(&u, "").unwrap().as_str(),
            "https://meet.example.coop/"
        );
        assert_eq!(
            below(&u, "config.js").unwrap().as_str(),
            "https://meet.example.coop/config.js"
        );
    }
}
