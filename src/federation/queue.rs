//! The durable delivery queue. An activity and one row per inbox are written in the
//! transaction that caused them; workers in `serve` claim due rows with a lease, sign and
//! POST them, and record the outcome. At-least-once: a process killed mid-send leaves its
//! lease to expire and the row is sent again.
//!
//! - Per-inbox order: only the oldest pending delivery of an inbox is claimable, so one
//!   inbox receives its activities in the order they were made.
//! - Per-host concurrency: at most `per_host_concurrency` requests to one host at once in
//!   this process, so one slow host cannot take every worker.
//! - Two limits: `delivery_workers` deliveries claimed, prepared and signed at once, and
//!   `IN_FLIGHT_PER_WORKER` times as many HTTP requests under way. A delivery gives its
//!   worker permit back when its request starts, so hung inboxes cannot starve the rest.
//!   Rows are claimed once a quarter of the worker permits are free, in one statement;
//!   the next delivery of an inbox whose delivery succeeded is claimed by key when the
//!   success is recorded, without a search of the queue.
//! - Retries: exponential backoff from `retry_base`, capped at `retry_max`, given up after
//!   `retry_for`. A 4xx other than 408/429 is final.
//! - Host health: after a run of failures the host is marked unavailable; its next success
//!   clears the mark.
//! - Several processes on one PostgreSQL share the queue: claims use
//!   `FOR UPDATE SKIP LOCKED`, so no row is claimed twice.

use super::{AppState, fetch::domain_of, protocol::AS_CONTENT_TYPE};
use crate::directory::types::{DeliveryState, Moderation};
use crate::{
    db::{
        entities::{activity, actor, delivery, remote_host},
        signing::rfc9421_host,
    },
    http::error::AppError,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set, Statement,
    sea_query::OnConflict,
};
use serde_json::Value;
use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::{Semaphore, watch};
use url::Url;

/// Consecutive failures after which a host is marked unavailable.
const UNAVAILABLE_AFTER: i32 = 10;

/// Write an activity and its deliveries. Inboxes on this node are skipped; duplicates are
/// delivered once.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    actor: &actor::Model,
    activity_json: &Value,
    object_ap_id: Option<&str>,
    inboxes: Vec<Url>,
) -> Result<(), AppError> {
    let ap_id = activity_json
        .get("id")
        .and_then(|v| v.as_str())
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("activity without id")))?;
    let kind = activity_json
        .get("type")
        .and_then(|v| v.as_str())
        .unwrap_or("Activity");
    let now = state.clock.now();
    // A FEP-8b32 proof by the actor's Ed25519 key, so that the activity can be forwarded
    // with provable authorship.
    let (key, _) = super::integrity::actor_key(db, actor.id)
        .await
        .map_err(AppError::Internal)?;
    let payload = super::integrity::with_proof(
        activity_json.clone(),
        &key,
        &format!("{}#{}", actor.ap_id, super::integrity::KEY_FRAGMENT),
        now,
    );
    let row = activity::Entity::insert(activity::ActiveModel {
        ap_id: Set(ap_id.to_string()),
        actor_id: Set(actor.id),
        kind: Set(kind.to_string()),
        object_ap_id: Set(object_ap_id.map(str::to_string)),
        payload: Set(payload.to_string()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    // Never deliver to an IP literal while the guard is on: names are checked by the
    // resolver when connecting, addresses would bypass it.
    let inboxes: Vec<Url> = inboxes
        .into_iter()
        .filter(|i| state.guard.permits(i).is_ok())
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<delivery::ActiveModel> = Vec::new();
    // One policy lookup per host, however many inboxes it has. A fan-out to more than a
    // few inboxes reads the domain rules once, through `db` (so the caller's transaction
    // sees its own changes), instead of one statement per host; a delivery to one or two
    // inboxes looks its hosts up by key rather than reading every rule.
    let mut verdicts: HashMap<String, Option<String>> = HashMap::new();
    let rules = (inboxes.len() > 8).then(crate::directory::policy::PolicyCache::default);
    for inbox in inboxes
        .into_iter()
        .filter(|i| domain_of(i) != state.settings.domain)
        .filter(|i| seen.insert(i.to_string()))
    {
        // Never to a blocked (or, in allowlist mode, unlisted) host: the row is kept as
        // rejected, so `coopdir deliveries` shows what the policy withheld.
        let host = format!("{}://{}", inbox.scheme(), domain_of(&inbox));
        let refused = match verdicts.get(&host) {
            Some(v) => v.clone(),
            None => {
                let v = match &rules {
                    Some(rules) => rules.refusal(db, &state.settings, &inbox).await?,
                    None => super::policy::refusal(db, &state.settings, &inbox).await?,
                };
                verdicts.insert(host, v.clone());
                v
            }
        };
        rows.push(delivery::ActiveModel {
            activity_id: Set(row.last_insert_id),
            host: Set(domain_of(&inbox)),
            inbox: Set(inbox.to_string()),
            state: Set(if refused.is_some() {
                DeliveryState::Rejected
            } else {
                DeliveryState::Pending
            }),
            attempts: Set(0),
            next_attempt_at: Set(now),
            locked_until: Set(None),
            last_error: Set(refused.map(|why| format!("not sent: {why}"))),
            created_at: Set(now),
            delivered_at: Set(None),
            ..Default::default()
        });
    }
    for chunk in rows.chunks(500) {
        delivery::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// A delivery that succeeded, for the recorder.
struct Success {
    id: i64,
    at: DateTime<Utc>,
    /// Its inbox, whose next delivery the recorder claims once this one is written.
    inbox: String,
    /// Its host when the host's health is to be written too (its first success in this
    /// process, or its first after a failure).
    host: Option<String>,
}

/// A claimed delivery.
#[derive(Debug, Clone)]
struct Claimed {
    id: i64,
    activity_id: i64,
    inbox: String,
    host: String,
    attempts: i32,
    created_at: DateTime<Utc>,
}

/// Claim up to `limit` due deliveries, each the oldest pending one of its inbox.
async fn claim(state: &AppState, limit: usize) -> Result<Vec<Claimed>, AppError> {
    let now = state.clock.now();
    let until = now + chrono::Duration::from_std(state.settings.delivery_lease).unwrap_or_default();
    let backend = state.db.get_database_backend();
    let inner = "SELECT d.id FROM delivery d \
        WHERE d.state = 'pending' AND d.next_attempt_at <= {now} \
          AND (d.locked_until IS NULL OR d.locked_until < {now}) \
          AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.inbox = d.inbox AND e.state = 'pending' AND e.id < d.id) \
        ORDER BY d.next_attempt_at, d.id LIMIT {limit}";
    let (sql, values): (String, Vec<sea_orm::Value>) = match backend {
        DbBackend::Postgres => (
            format!(
                "UPDATE delivery SET locked_until = $1 WHERE id IN ({} FOR UPDATE SKIP LOCKED) \
                 RETURNING id, activity_id, inbox, host, attempts, created_at",
                inner.replace("{now}", "$2").replace("{limit}", "$3")
            ),
            vec![until.into(), now.into(), (limit as i64).into()],
        ),
        _ => (
            format!(
                "UPDATE delivery SET locked_until = ?1 WHERE id IN ({}) \
                 RETURNING id, activity_id, inbox, host, attempts, created_at",
                inner.replace("{now}", "?2").replace("{limit}", "?3")
            ),
            vec![until.into(), now.into(), (limit as i64).into()],
        ),
    };
    let rows = state
        .db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    claimed_rows(rows)
}

/// The rows a claim's `RETURNING` gave.
fn claimed_rows(rows: Vec<sea_orm::QueryResult>) -> Result<Vec<Claimed>, AppError> {
    rows.into_iter()
        .map(|r| {
            Ok(Claimed {
                id: r.try_get("", "id")?,
                activity_id: r.try_get("", "activity_id")?,
                inbox: r.try_get("", "inbox")?,
                host: r.try_get("", "host")?,
                attempts: r.try_get("", "attempts")?,
                created_at: r.try_get("", "created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// Outcome of one attempt.
enum Outcome {
    Delivered,
    /// Refused for good (4xx other than 408/429).
    Rejected(String),
    Retry(String),
    /// Not sent: the host is blocked, or the sender is suspended. Says nothing of the
    /// host's health.
    Withheld(String),
}

/// What a suspended actor may still send: the `Update` (or `Delete`) of itself that tells
/// servers of the suspension, `Reject` of follows, and `Undo` of its own follows.
fn sent_while_suspended(act: &activity::Model, actor: &actor::Model) -> bool {
    match act.kind.as_str() {
        "Reject" | "Undo" => true,
        "Update" | "Delete" => act.object_ap_id.as_deref() == Some(actor.ap_id.as_str()),
        _ => false,
    }
}

/// What workers need to send one activity: kept a few seconds, so that a fan-out of one
/// activity to many inboxes reads the activity and its actor once instead of once per
/// delivery.
struct Prepared {
    activity: activity::Model,
    payload: bytes::Bytes,
    /// The payload's `Digest` header, hashed once for every inbox.
    digest: String,
    actor: actor::Model,
    signer: Arc<super::signatures::Signer>,
}

const CACHE_TTL: Duration = Duration::from_secs(5);
const CACHE_MAX: usize = 10_000;
/// Healthy hosts remembered (a name each): a fan-out to more hosts than this writes each
/// host's health again on its next success.
const HEALTHY_MAX: usize = 200_000;

#[derive(Default)]
struct Caches {
    prepared: std::sync::Mutex<HashMap<i64, (Instant, Arc<Prepared>)>>,
    /// Hosts whose last delivery from this process succeeded: their success needs no write.
    healthy: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Whether a host is known to accept RFC 9421 signatures.
    rfc9421: std::sync::Mutex<HashMap<String, (Instant, bool)>>,
}

fn fresh<K: std::hash::Hash + Eq + Clone, V: Clone>(
    map: &std::sync::Mutex<HashMap<K, (Instant, V)>>,
    key: &K,
) -> Option<V> {
    let map = map.lock().ok()?;
    map.get(key)
        .filter(|(at, _)| at.elapsed() < CACHE_TTL)
        .map(|(_, v)| v.clone())
}

fn remember<K: std::hash::Hash + Eq, V>(
    map: &std::sync::Mutex<HashMap<K, (Instant, V)>>,
    key: K,
    value: V,
) {
    if let Ok(mut map) = map.lock() {
        if map.len() >= CACHE_MAX {
            map.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
        }
        map.insert(key, (Instant::now(), value));
    }
}

async fn prepare(
    state: &AppState,
    caches: &Caches,
    activity_id: i64,
) -> Result<Option<Arc<Prepared>>, AppError> {
    if let Some(p) = fresh(&caches.prepared, &activity_id) {
        return Ok(Some(p));
    }
    let Some(act) = activity::Entity::find_by_id(activity_id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let Some(actor) = actor::Entity::find_by_id(act.actor_id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let signer = state.signer(&actor).await?;
    // Whoever receives a change of an actor may refetch it at once: it must not get a
    // cached document from before the change (doc_cache.rs).
    if matches!(act.kind.as_str(), "Update" | "Move" | "Delete") {
        state.docs.invalidate();
    }
    let prepared = Arc::new(Prepared {
        digest: super::signatures::digest_header(act.payload.as_bytes()),
        payload: bytes::Bytes::from(act.payload.clone()),
        activity: act,
        actor,
        signer,
    });
    remember(&caches.prepared, activity_id, prepared.clone());
    Ok(Some(prepared))
}

async fn attempt(
    state: &AppState,
    caches: &Caches,
    c: &Claimed,
    gate: Gate,
) -> Result<Outcome, AppError> {
    let Some(p) = prepare(state, caches, c.activity_id).await? else {
        return Ok(Outcome::Rejected(
            "the activity or its actor no longer exists".into(),
        ));
    };
    let (act, actor, signer) = (&p.activity, &p.actor, &p.signer);
    if actor.moderation == Moderation::Suspended && !sent_while_suspended(act, actor) {
        return Ok(Outcome::Withheld(format!(
            "not sent: {} is suspended",
            actor.ap_id
        )));
    }
    let inbox = Url::parse(&c.inbox).map_err(|e| AppError::Internal(e.into()))?;
    // The policy may have changed since the delivery was queued. The rules in memory
    // answer as the database does: a rule changed through this node applies to the very
    // next delivery, one changed by another process within a second (`PolicyCache`), and
    // a fan-out to many hosts reads nothing per host.
    if let Some(why) = state
        .policy
        .refusal(&state.db, &state.settings, &inbox)
        .await?
    {
        return Ok(Outcome::Withheld(format!("not sent: {why}")));
    }
    let rfc9421 = match fresh(&caches.rfc9421, &c.host) {
        Some(known) => known,
        None => {
            let known = rfc9421_host::Entity::find_by_id(c.host.clone())
                .one(&state.db)
                .await?
                .is_some();
            remember(&caches.rfc9421, c.host.clone(), known);
            known
        }
    };
    // Waiting on the network: a worker permit is given back for an in-flight one.
    let _in_flight = gate.enter_flight().await;
    let mut res = None;
    if rfc9421 {
        let headers = signer.sign_post_rfc9421(&inbox, &p.payload, AS_CONTENT_TYPE)?;
        let r = post(&state.client, &inbox, headers, &p.payload).await;
        match r {
            // Refused: the host may no longer accept RFC 9421. Knock again with
            // draft-cavage at once, and sign draft-cavage for it until it signs RFC 9421
            // to this node again.
            Ok(r) if matches!(r.status().as_u16(), 400 | 401 | 403) => {
                tracing::info!(host = %c.host, status = %r.status(), "RFC 9421 delivery refused; falling back to draft-cavage");
                forget_rfc9421(state, &c.host).await?;
                remember(&caches.rfc9421, c.host.clone(), false);
            }
            other => res = Some(other),
        }
    }
    let res = match res {
        Some(r) => r,
        None => {
            let headers = signer.sign_post_digest(&inbox, &p.digest, AS_CONTENT_TYPE)?;
            post(&state.client, &inbox, headers, &p.payload).await
        }
    };
    Ok(match res {
        Ok(r) if r.status().is_success() => Outcome::Delivered,
        Ok(r) => {
            let status = r.status();
            // Only the start of an error body is kept, and only that much is read.
            let body: String = String::from_utf8_lossy(&super::read_prefix(r, 1200).await)
                .chars()
                .take(300)
                .collect();
            let msg = format!("HTTP {status}: {body}");
            if status.is_client_error() && status != 408 && status != 429 {
                Outcome::Rejected(msg)
            } else {
                Outcome::Retry(msg)
            }
        }
        Err(e) => Outcome::Retry(format!("{e}")),
    })
}

/// One signed POST, sent again at once (once) when it failed before any answer came and
/// neither connecting nor the timeout was the cause: the connection taken from the pool
/// was closed by the other side while it sat idle, a race every keep-alive client meets
/// (servers close idle connections after a few seconds to a few minutes). Without this,
/// such a delivery would wait out its first back-off. Resending is harmless: an inbox
/// drops an activity id it has already seen, and the queue is at-least-once anyway.
async fn post(
    client: &reqwest::Client,
    inbox: &Url,
    headers: http::HeaderMap,
    body: &bytes::Bytes,
) -> reqwest::Result<reqwest::Response> {
    let send = |headers| {
        client
            .post(inbox.clone())
            .headers(headers)
            .body(body.clone())
            .send()
    };
    match send(headers.clone()).await {
        Err(e) if e.is_request() && !e.is_connect() && !e.is_timeout() => {
            tracing::debug!(%inbox, error = %e, "delivery failed before any answer; sending once more");
            send(headers).await
        }
        other => other,
    }
}

/// The delay before retry number `attempts` (1-based).
pub fn backoff(base: Duration, max: Duration, attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 30) as u32 - 1;
    base.saturating_mul(2u32.saturating_pow(exp)).min(max)
}

async fn record(
    state: &AppState,
    caches: &Caches,
    recorder: &tokio::sync::mpsc::UnboundedSender<Success>,
    c: &Claimed,
    outcome: Outcome,
) -> Result<(), AppError> {
    let now = state.clock.now();
    if matches!(outcome, Outcome::Delivered) {
        // The common case is written in batches by `record_delivered`, with the host's
        // health when it changes; if that task is gone (shutdown), write it here.
        let success = Success {
            id: c.id,
            at: now,
            inbox: c.inbox.clone(),
            host: newly_healthy(caches, &c.host).then(|| c.host.clone()),
        };
        if let Err(e) = recorder.send(success) {
            write_delivered(state, &[e.0]).await?;
            state.queue_notify.notify_one();
        }
        return Ok(());
    }
    let mut row = delivery::ActiveModel {
        id: Set(c.id),
        locked_until: Set(None),
        ..Default::default()
    };
    match &outcome {
        // Handed to the recorder above.
        Outcome::Delivered => return Ok(()),
        Outcome::Rejected(e) => {
            tracing::info!(inbox = %c.inbox, error = %e, "delivery refused by the remote; not retried");
            row.state = Set(DeliveryState::Rejected);
            row.attempts = Set(c.attempts + 1);
            row.last_error = Set(Some(e.clone()));
        }
        Outcome::Withheld(e) => {
            tracing::info!(inbox = %c.inbox, reason = %e, "delivery withheld");
            row.state = Set(DeliveryState::Rejected);
            row.last_error = Set(Some(e.clone()));
        }
        Outcome::Retry(e) => {
            let attempts = c.attempts + 1;
            let s = &state.settings;
            let give_up =
                now - c.created_at > chrono::Duration::from_std(s.retry_for).unwrap_or_default();
            tracing::debug!(inbox = %c.inbox, attempts, error = %e, "delivery failed");
            row.attempts = Set(attempts);
            row.last_error = Set(Some(e.clone()));
            if give_up {
                row.state = Set(DeliveryState::Failed);
            } else {
                let delay = backoff(s.retry_base, s.retry_max, attempts);
                row.next_attempt_at =
                    Set(now + chrono::Duration::from_std(delay).unwrap_or_default());
            }
        }
    }
    delivery::Entity::update(row).exec(&state.db).await?;
    if matches!(outcome, Outcome::Withheld(_)) {
        return Ok(());
    }
    let success = matches!(outcome, Outcome::Delivered | Outcome::Rejected(_));
    note_host(state, caches, &c.host, success).await
}

/// Note a success of `host` in the cache of healthy hosts; true when it was not known
/// healthy, so that its health row is to be written.
fn newly_healthy(caches: &Caches, host: &str) -> bool {
    let Ok(mut h) = caches.healthy.lock() else {
        return true;
    };
    if h.contains(host) {
        return false;
    }
    if h.len() >= HEALTHY_MAX {
        h.clear();
    }
    h.insert(host.to_string());
    true
}

/// Record a host's answer in its health, unless nothing changes: a success of a host
/// whose last answer to this process was a success needs no write.
async fn note_host(
    state: &AppState,
    caches: &Caches,
    host: &str,
    success: bool,
) -> Result<(), AppError> {
    let known_healthy = caches
        .healthy
        .lock()
        .map(|h| h.contains(host))
        .unwrap_or(false);
    if success && known_healthy {
        return Ok(());
    }
    update_host(state, host, success).await?;
    if let Ok(mut h) = caches.healthy.lock() {
        if success {
            if h.len() >= HEALTHY_MAX {
                h.clear();
            }
            h.insert(host.to_string());
        } else {
            h.remove(host);
        }
    }
    Ok(())
}

/// Most attempts succeed: their rows are marked delivered together, in one statement per
/// batch. A batch is whatever arrived while the previous one was written (group commit),
/// so nothing waits for a timer; at most 500 rows a statement. A process killed before a
/// batch is written sends those deliveries again after their lease (at-least-once).
///
/// Each written row frees its inbox's next delivery, and the recorder claims those at once,
/// in one statement by key (`claim_successors`), and hands them to the claim loop: the
/// queue is not searched again for what a success made claimable, and an inbox with many
/// activities waiting gets its next one without a round of the claim loop.
async fn record_delivered(
    state: AppState,
    mut rx: tokio::sync::mpsc::UnboundedReceiver<Success>,
    successors: tokio::sync::mpsc::UnboundedSender<Vec<Claimed>>,
) {
    let mut batch = Vec::with_capacity(500);
    while rx.recv_many(&mut batch, 500).await > 0 {
        if let Err(e) = write_delivered(&state, &batch).await {
            tracing::warn!(error = %e, rows = batch.len(), "recording deliveries failed; they will be sent again after their lease");
        } else {
            let inboxes: Vec<&str> = batch.iter().map(|s| s.inbox.as_str()).collect();
            match claim_successors(&state, &inboxes).await {
                // Sent even when empty: workers have been freed, which the claim loop
                // may be waiting for. If the loop is gone (shutdown), the leases run out.
                Ok(next) => {
                    let _ = successors.send(next);
                }
                // The claim loop searches the queue instead.
                Err(e) => {
                    tracing::warn!(error = %e, "claiming the next deliveries of recorded inboxes failed");
                    state.queue_notify.notify_one();
                }
            }
        }
        batch.clear();
    }
}

/// Claim, by key, the next delivery of each of `inboxes` (whose previous one was just
/// recorded): the oldest pending row of the inbox, if it is due and not leased. The same
/// rule as `claim`, found with one index seek per inbox instead of a search of the queue.
async fn claim_successors(state: &AppState, inboxes: &[&str]) -> Result<Vec<Claimed>, AppError> {
    let mut inboxes = inboxes.to_vec();
    inboxes.sort_unstable();
    inboxes.dedup();
    if inboxes.is_empty() {
        return Ok(vec![]);
    }
    let now = state.clock.now();
    let until = now + chrono::Duration::from_std(state.settings.delivery_lease).unwrap_or_default();
    let list = serde_json::to_string(&inboxes).map_err(|e| AppError::Internal(e.into()))?;
    let backend = state.db.get_database_backend();
    let sql = successors_sql(backend);
    let values: Vec<sea_orm::Value> = vec![until.into(), now.into(), list.into()];
    let rows = state
        .db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let mut claimed = claimed_rows(rows)?;
    claimed.sort_unstable_by_key(|c| c.id);
    Ok(claimed)
}

/// The statement of `claim_successors`: `?1`/`$1` the lease's end, `?2`/`$2` now, `?3`/`$3`
/// the inboxes as a JSON array.
fn successors_sql(backend: DbBackend) -> String {
    let heads = |inboxes: &str| {
        format!(
            "SELECT (SELECT MIN(e.id) FROM delivery e WHERE e.inbox = x.value AND e.state = 'pending') FROM {inboxes}"
        )
    };
    // Each written so that the rows are found by key from the heads, never by a search of
    // the due rows tested for membership (which both planners otherwise prefer: the
    // conditions below match an index): `= ANY (ARRAY(…))` on PostgreSQL, and `+` on
    // SQLite, which keeps a term from choosing an index.
    match backend {
        DbBackend::Postgres => format!(
            "UPDATE delivery SET locked_until = $1 WHERE id IN (\
               SELECT d.id FROM delivery d WHERE d.id = ANY (ARRAY({})) \
                 AND d.state = 'pending' AND d.next_attempt_at <= $2 \
                 AND (d.locked_until IS NULL OR d.locked_until < $2) \
               FOR UPDATE SKIP LOCKED) \
             RETURNING id, activity_id, inbox, host, attempts, created_at",
            heads("jsonb_array_elements_text($3::jsonb) AS x(value)")
        ),
        _ => format!(
            "UPDATE delivery SET locked_until = ?1 WHERE id IN ({}) \
               AND +state = 'pending' AND +next_attempt_at <= ?2 \
               AND (locked_until IS NULL OR locked_until < ?2) \
             RETURNING id, activity_id, inbox, host, attempts, created_at",
            heads("json_each(?3) AS x")
        ),
    }
}

async fn write_delivered(state: &AppState, rows: &[Success]) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    let Some(now) = rows.iter().map(|s| s.at).max() else {
        return Ok(());
    };
    delivery::Entity::update_many()
        .col_expr(
            delivery::Column::State,
            Expr::value(DeliveryState::Delivered),
        )
        .col_expr(delivery::Column::DeliveredAt, Expr::value(now))
        .col_expr(
            delivery::Column::Attempts,
            sea_orm::sea_query::ExprTrait::add(Expr::col(delivery::Column::Attempts), 1),
        )
        .col_expr(
            delivery::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            delivery::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(delivery::Column::Id.is_in(rows.iter().map(|s| s.id)))
        .exec(&state.db)
        .await?;
    // The hosts whose health changed to good, in one statement: a success sets the same
    // values whatever the row held, so nothing is read first.
    let mut hosts: Vec<&str> = rows.iter().filter_map(|s| s.host.as_deref()).collect();
    hosts.sort_unstable();
    hosts.dedup();
    if !hosts.is_empty() {
        let models = hosts.into_iter().map(|host| remote_host::ActiveModel {
            host: Set(host.to_string()),
            failure_count: Set(0),
            failing_since: Set(None),
            unavailable: Set(false),
            last_success_at: Set(Some(now)),
        });
        let res = remote_host::Entity::insert_many(models)
            .on_conflict(host_health_upsert())
            .exec_without_returning(&state.db)
            .await;
        if let Err(e) = res {
            tracing::warn!(error = %e, "recording the health of hosts that answered failed");
        }
    }
    Ok(())
}

/// Look up, in one statement, whether the hosts of a claimed batch that are not cached
/// sign RFC 9421, instead of one lookup per host in `attempt`: a fan-out to many hosts
/// meets most of them for the first time.
async fn prefetch_rfc9421(state: &AppState, caches: &Caches, claimed: &[Claimed]) {
    let mut hosts: Vec<String> = claimed
        .iter()
        .filter(|c| fresh(&caches.rfc9421, &c.host).is_none())
        .map(|c| c.host.clone())
        .collect();
    hosts.sort_unstable();
    hosts.dedup();
    if hosts.is_empty() {
        return;
    }
    match rfc9421_host::Entity::find()
        .filter(rfc9421_host::Column::Host.is_in(hosts.iter().cloned()))
        .all(&state.db)
        .await
    {
        Ok(known) => {
            let known: std::collections::HashSet<String> =
                known.into_iter().map(|h| h.host).collect();
            for host in hosts {
                let signs = known.contains(&host);
                remember(&caches.rfc9421, host, signs);
            }
        }
        // `attempt` looks each host up itself.
        Err(e) => tracing::debug!(error = %e, "looking up RFC 9421 hosts failed"),
    }
}

/// Note that `host` signed to this node with an RFC 9421 signature that verified, so that
/// deliveries to it are signed RFC 9421 from now on. A failure to write is only logged:
/// draft-cavage keeps working.
pub async fn remember_rfc9421(state: &AppState, host: &str) {
    let now = state.clock.now();
    let known = rfc9421_host::Entity::find_by_id(host.to_string())
        .one(&state.db)
        .await;
    // One write per host and day at most.
    if let Ok(Some(h)) = &known
        && now - h.verified_at < chrono::Duration::days(1)
    {
        return;
    }
    let res = rfc9421_host::Entity::insert(rfc9421_host::ActiveModel {
        host: Set(host.to_string()),
        verified_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(rfc9421_host::Column::Host)
            .update_column(rfc9421_host::Column::VerifiedAt)
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await;
    if let Err(e) = res {
        tracing::warn!(host, error = %e, "cannot note that the host signs RFC 9421");
    }
}

async fn forget_rfc9421(state: &AppState, host: &str) -> Result<(), AppError> {
    rfc9421_host::Entity::delete_by_id(host.to_string())
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Whether deliveries to `host` are signed RFC 9421.
pub async fn signs_rfc9421(state: &AppState, host: &str) -> Result<bool, AppError> {
    Ok(rfc9421_host::Entity::find_by_id(host.to_string())
        .one(&state.db)
        .await?
        .is_some())
}

/// A host's health row written whole: inserted, or its health columns replaced.
fn host_health_upsert() -> OnConflict {
    OnConflict::column(remote_host::Column::Host)
        .update_columns([
            remote_host::Column::FailureCount,
            remote_host::Column::FailingSince,
            remote_host::Column::Unavailable,
            remote_host::Column::LastSuccessAt,
        ])
        .to_owned()
}

/// Track host health: a success clears it; a long run of failures marks it unavailable.
async fn update_host(state: &AppState, host: &str, success: bool) -> Result<(), AppError> {
    let now = state.clock.now();
    let current = remote_host::Entity::find_by_id(host.to_string())
        .one(&state.db)
        .await?;
    let (count, since) = match (&current, success) {
        (_, true) => (0, None),
        (Some(h), false) => (h.failure_count + 1, h.failing_since.or(Some(now))),
        (None, false) => (1, Some(now)),
    };
    let model = remote_host::ActiveModel {
        host: Set(host.to_string()),
        failure_count: Set(count),
        failing_since: Set(since),
        unavailable: Set(count >= UNAVAILABLE_AFTER),
        last_success_at: Set(if success {
            Some(now)
        } else {
            current.and_then(|h| h.last_success_at)
        }),
    };
    remote_host::Entity::insert(model)
        .on_conflict(host_health_upsert())
        .exec_without_returning(&state.db)
        .await?;
    Ok(())
}

/// Requests under way at once, per worker: a delivery holds a worker permit while it is
/// claimed, prepared and signed, and trades it for one of these for its HTTP request, so
/// hung inboxes hold in-flight permits (plentiful) and not workers (the CPU side).
pub const IN_FLIGHT_PER_WORKER: usize = 8;

/// The two limits of one delivery: its worker permit, held until its request starts, and
/// the in-flight semaphore it then takes a permit of.
struct Gate {
    worker: tokio::sync::OwnedSemaphorePermit,
    in_flight: Arc<Semaphore>,
}

impl Gate {
    /// Take an in-flight permit, then give the worker permit back. `None` once the
    /// semaphore is closed (never, in practice): the request then goes ahead unlimited.
    async fn enter_flight(self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let permit = self.in_flight.acquire_owned().await.ok();
        drop(self.worker);
        permit
    }
}

/// Run the delivery workers until `shutdown` turns true.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let workers = state.settings.delivery_workers;
    let global = Arc::new(Semaphore::new(workers));
    let in_flight = Arc::new(Semaphore::new(workers.saturating_mul(IN_FLIGHT_PER_WORKER)));
    let batch = (workers / 4).max(1);
    let mut per_host: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let caches = Arc::new(Caches::default());
    let (recorder, delivered) = tokio::sync::mpsc::unbounded_channel();
    let (successor_tx, mut successors) = tokio::sync::mpsc::unbounded_channel::<Vec<Claimed>>();
    tokio::spawn(record_delivered(state.clone(), delivered, successor_tx));
    // Whether the queue is to be searched for claimable rows: at the start, when something
    // other than a recorded success may have made rows claimable (a new activity, a retry
    // or refusal, a lease or back-off run out: the notification and the tick), and for as
    // long as a search fills every free worker. What a recorded success frees, the
    // recorder has claimed already (`ready`).
    let mut search = true;
    let mut ready: Vec<Claimed> = Vec::new();
    loop {
        if *shutdown.borrow() {
            break;
        }
        while let Ok(more) = successors.try_recv() {
            ready.extend(more);
        }
        let free = global.available_permits().saturating_sub(ready.len());
        let mut claimed = std::mem::take(&mut ready);
        // Claim in batches: once a quarter of the workers are free (or all of them, with
        // fewer than four), so one statement serves many deliveries.
        if search && free >= batch {
            match claim(&state, free).await {
                // Fewer rows than asked for: nothing else is claimable until a delivery is
                // recorded, a retry falls due or a lease runs out, so searching again at
                // once would only scan the queue for nothing.
                Ok(c) => {
                    search = c.len() >= free;
                    claimed.extend(c);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "claiming deliveries failed");
                    search = false;
                }
            }
        }
        prefetch_rfc9421(&state, &caches, &claimed).await;
        for c in claimed {
            let Ok(global_permit) = global.clone().acquire_owned().await else {
                return;
            };
            let host_sem = per_host
                .entry(c.host.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(state.settings.per_host_concurrency)))
                .clone();
            let state = state.clone();
            let caches = caches.clone();
            let recorder = recorder.clone();
            let in_flight = in_flight.clone();
            tokio::spawn(async move {
                let Ok(_h) = host_sem.acquire_owned().await else {
                    return;
                };
                let gate = Gate {
                    worker: global_permit,
                    in_flight,
                };
                let outcome = match attempt(&state, &caches, &c, gate).await {
                    Ok(o) => o,
                    Err(e) => Outcome::Retry(e.to_string()),
                };
                let delivered = matches!(outcome, Outcome::Delivered);
                if let Err(e) = record(&state, &caches, &recorder, &c, outcome).await {
                    tracing::warn!(error = %e, delivery = c.id, "recording a delivery outcome failed");
                }
                // A retry, refusal or withheld delivery may free its inbox's next one; a
                // success's next one is claimed by the recorder once it is written.
                if !delivered {
                    state.queue_notify.notify_one();
                }
            });
        }
        if per_host.len() > 10_000 {
            per_host.retain(|_, s| Arc::strong_count(s) > 1);
        }
        if (!search || global.available_permits() < batch) && successors.is_empty() {
            tokio::select! {
                _ = state.queue_notify.notified() => search = true,
                Some(more) = successors.recv() => ready.extend(more),
                _ = tokio::time::sleep(Duration::from_millis(500)) => search = true,
                _ = shutdown.changed() => {}
            }
        }
    }
}

/// Forget delivered and refused deliveries older than `age` (their activities stay in the
/// outbox); failed ones are kept for operators to inspect.
pub async fn prune<C: ConnectionTrait>(db: &C, age: Duration) -> Result<u64, AppError> {
    let before = Utc::now() - chrono::Duration::from_std(age).unwrap_or_default();
    let res = delivery::Entity::delete_many()
        .filter(delivery::Column::State.is_in([DeliveryState::Delivered, DeliveryState::Rejected]))
        .filter(delivery::Column::CreatedAt.lt(before))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Counts for `coopdir deliveries` and the metrics.
#[derive(Debug, Default, serde::Serialize)]
pub struct QueueStats {
    pub pending: u64,
    pub delivered: u64,
    pub rejected: u64,
    pub failed: u64,
    pub unavailable_hosts: Vec<String>,
}

pub async fn stats<C: ConnectionTrait>(db: &C) -> Result<QueueStats, AppError> {
    use sea_orm::PaginatorTrait;
    let count = |s: DeliveryState| {
        delivery::Entity::find()
            .filter(delivery::Column::State.eq(s))
            .count(db)
    };
    Ok(QueueStats {
        pending: count(DeliveryState::Pending).await?,
        delivered: count(DeliveryState::Delivered).await?,
        rejected: count(DeliveryState::Rejected).await?,
        failed: count(DeliveryState::Failed).await?,
        unavailable_hosts: remote_host::Entity::find()
            .filter(remote_host::Column::Unavailable.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|h| h.host)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The successors' claim must find its rows from the inboxes' heads by key: SQLite's
    /// planner otherwise walks `delivery_due` over every due row (the `+` prevents it).
    #[tokio::test]
    async fn the_successors_claim_finds_its_rows_by_key_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/queue.db?mode=rwc", dir.path().display());
        let db = crate::db::connect(&url).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        let sql = format!("EXPLAIN QUERY PLAN {}", successors_sql(DbBackend::Sqlite));
        let values: Vec<sea_orm::Value> = vec![Utc::now().into(), Utc::now().into(), "[]".into()];
        let plan: Vec<String> = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                sql,
                values,
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String>("", "detail").unwrap())
            .collect();
        assert!(
            plan.iter().any(|d| d.contains("PRIMARY KEY"))
                && !plan.iter().any(|d| d.contains("delivery_due")),
            "{plan:?}"
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Duration::from_secs(30);
        let m = Duration::from_secs(3600);
        assert_eq!(backoff(b, m, 1), Duration::from_secs(30));
        assert_eq!(backoff(b, m, 3), Duration::from_secs(120));
        assert_eq!(backoff(b, m, 20), m);
    }
}
