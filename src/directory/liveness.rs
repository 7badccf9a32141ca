//! Liveness of listings: what the node's probes found about each local offering's running
//! service, its uptime over 24 hours, 7 and 30 days, and when its co-op last confirmed the
//! listing's data. The probes themselves (network) are in src/probes.rs; this module holds
//! the rules (pure, unit-tested) and the storage.

use crate::db::entities::{listing_probe, outdated_report, probe_result};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::{Deserialize, Serialize};

/// After this long down, a listing is marked unreachable (on its page and in search) and
/// its co-op's staff see a notice.
pub const UNREACHABLE_AFTER: TimeDelta = TimeDelta::days(3);

/// After this long down, the node's admins get the listing in their moderation queue.
pub const ESCALATE_AFTER: TimeDelta = TimeDelta::days(30);

/// Results older than this are pruned: the longest uptime window.
pub const HISTORY: TimeDelta = TimeDelta::days(30);

/// What one probe found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The service answered as its platform does.
    Up,
    /// No answer, an error status, or an answer that is not the platform's.
    Down,
    /// Not probed: the node's SSRF guard or domain policy refused the address. Says
    /// nothing of the service; left out of uptime.
    Refused,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Up => "up",
            Outcome::Down => "down",
            Outcome::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "up" => Some(Outcome::Up),
            "down" => Some(Outcome::Down),
            "refused" => Some(Outcome::Refused),
            _ => None,
        }
    }
}

/// The share of probes in `window` before `now` that found the service up, refusals left
/// out; `None` when no probe in the window says anything.
pub fn uptime(
    history: &[(DateTime<Utc>, Outcome)],
    now: DateTime<Utc>,
    window: TimeDelta,
) -> Option<f64> {
    let since = now - window;
    let (mut up, mut counted) = (0u32, 0u32);
    for (at, o) in history {
        if *at <= since || *at > now {
            continue;
        }
        match o {
            Outcome::Up => {
                up += 1;
                counted += 1;
            }
            Outcome::Down => counted += 1,
            Outcome::Refused => {}
        }
    }
    (counted > 0).then(|| f64::from(up) / f64::from(counted))
}

/// Since when the service is down after a probe with `outcome` at `at`, given the start
/// of the outage before it: an outage starts with its first failed probe, ends with an
/// answer; a refusal changes nothing.
pub fn down_since(
    previous: Option<DateTime<Utc>>,
    outcome: Outcome,
    at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match outcome {
        Outcome::Up => None,
        Outcome::Down => Some(previous.unwrap_or(at)),
        Outcome::Refused => previous,
    }
}

/// Whether a service down since `since` is marked unreachable at `now`.
pub fn unreachable(since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    since.is_some_and(|s| now - s >= UNREACHABLE_AFTER)
}

/// A percentage as people read it: "99.7%", "100%".
pub fn percent(share: f64) -> String {
    let p = (share * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// A listing's liveness as pages, the API, actors and exports show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Liveness {
    /// `up`, `down` or `refused` from the last probe; absent when the service was never
    /// probed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Outcome>,
    /// Whether the node probes this listing's service.
    pub probed: bool,
    /// When the last probe ran (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_at: Option<DateTime<Utc>>,
    /// How long the last probe took, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<i64>,
    /// The platform version the service reported (BigBlueButton, Nextcloud).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_version: Option<String>,
    /// Share of probes that found the service up (0 to 1) over 24 hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime_24h: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime_7d: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime_30d: Option<f64>,
    /// Since when every probe found the service down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub down_since: Option<DateTime<Utc>>,
    /// Down for 3 days or more.
    pub unreachable: bool,
    /// When the co-op last confirmed the listing's data (import, edit or sync).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The node whose probes measured this (its domain).
    pub measured_by: String,
}

impl Liveness {
    /// Up at the last probe.
    pub fn working(&self) -> bool {
        self.state == Some(Outcome::Up)
    }
}

/// Build the liveness of a probe row with its history.
pub fn summarize(
    row: Option<&listing_probe::Model>,
    history: &[(DateTime<Utc>, Outcome)],
    now: DateTime<Utc>,
    measured_by: &str,
) -> Liveness {
    let state = row
        .and_then(|r| r.outcome.as_deref())
        .and_then(Outcome::parse);
    let down = row.and_then(|r| r.down_since);
    Liveness {
        state,
        probed: row.is_some_and(|r| r.next_probe_at.is_some()),
        checked_at: row.and_then(|r| r.checked_at),
        latency_ms: row.and_then(|r| r.latency_ms),
        observed_version: row.and_then(|r| r.observed_version.clone()),
        uptime_24h: uptime(history, now, TimeDelta::hours(24)),
        uptime_7d: uptime(history, now, TimeDelta::days(7)),
        uptime_30d: uptime(history, now, TimeDelta::days(30)),
        down_since: down,
        unreachable: unreachable(down, now),
        confirmed_at: row.and_then(|r| r.confirmed_at),
        measured_by: measured_by.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Storage

/// The co-op confirmed the listing's data now (import, edit, sync). `probe`: whether its
/// service is to be probed; a listing newly probed, or `changed`, is due at once.
pub async fn confirm<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    probe: bool,
    changed: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    match listing_probe::Entity::find_by_id(actor_id).one(db).await? {
        None => {
            listing_probe::ActiveModel {
                actor_id: Set(actor_id),
                confirmed_at: Set(Some(now)),
                next_probe_at: Set(probe.then_some(now)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        Some(row) => {
            let next = match (probe, row.next_probe_at) {
                (false, _) => None,
                (true, Some(n)) if !changed => Some(n),
                (true, _) => Some(now),
            };
            let mut am: listing_probe::ActiveModel = row.into();
            am.confirmed_at = Set(Some(now));
            am.next_probe_at = Set(next);
            am.update(db).await?;
        }
    }
    Ok(())
}

/// The co-op's followed source answered that its document is unchanged: its listings'
/// data is confirmed again as it is.
pub async fn reconfirm<C: ConnectionTrait>(
    db: &C,
    actor_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if actor_ids.is_empty() {
        return Ok(());
    }
    listing_probe::Entity::update_many()
        .col_expr(
            listing_probe::Column::ConfirmedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(listing_probe::Column::ActorId.is_in(actor_ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// What a probe found, to record.
#[derive(Debug, Clone)]
pub struct ProbeRecord {
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
    pub latency_ms: i64,
    pub observed_version: Option<String>,
    pub detail: Option<String>,
    /// When the listing is probed next (`None`: no more).
    pub next: Option<DateTime<Utc>>,
}

/// Record a probe. Returns the row as it now is.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    r: &ProbeRecord,
) -> Result<Option<listing_probe::Model>, DbErr> {
    let Some(row) = listing_probe::Entity::find_by_id(actor_id).one(db).await? else {
        return Ok(None);
    };
    let previous = row.down_since;
    let mut am: listing_probe::ActiveModel = row.into();
    am.checked_at = Set(Some(r.at));
    am.outcome = Set(Some(r.outcome.as_str().to_string()));
    am.latency_ms = Set(Some(r.latency_ms));
    if r.observed_version.is_some() || r.outcome == Outcome::Up {
        am.observed_version = Set(r.observed_version.clone());
    }
    am.detail = Set(r.detail.clone());
    let since = down_since(previous, r.outcome, r.at);
    am.down_since = Set(since);
    if since.is_none() {
        am.escalated_at = Set(None);
    }
    am.next_probe_at = Set(r.next);
    let row = am.update(db).await?;
    probe_result::ActiveModel {
        actor_id: Set(actor_id),
        checked_at: Set(r.at),
        outcome: Set(r.outcome.as_str().to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    probe_result::Entity::delete_many()
        .filter(probe_result::Column::ActorId.eq(actor_id))
        .filter(probe_result::Column::CheckedAt.lt(r.at - HISTORY))
        .exec(db)
        .await?;
    Ok(Some(row))
}

/// Note that the admins were told of a long outage.
pub async fn mark_escalated<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    listing_probe::Entity::update_many()
        .col_expr(
            listing_probe::Column::EscalatedAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(listing_probe::Column::ActorId.eq(actor_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The probe history of one listing over the last 30 days, oldest first.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, Outcome)>, DbErr> {
    Ok(probe_result::Entity::find()
        .filter(probe_result::Column::ActorId.eq(actor_id))
        .filter(probe_result::Column::CheckedAt.gt(now - HISTORY))
        .order_by_asc(probe_result::Column::CheckedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Outcome::parse(&r.outcome).map(|o| (r.checked_at, o)))
        .collect())
}

/// The liveness of one local listing.
pub async fn of<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    now: DateTime<Utc>,
    measured_by: &str,
) -> Result<Liveness, DbErr> {
    let row = listing_probe::Entity::find_by_id(actor_id).one(db).await?;
    let h = history(db, actor_id, now).await?;
    Ok(summarize(row.as_ref(), &h, now, measured_by))
}

/// Probe rows of many listings (search results), by actor id.
pub async fn rows<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, listing_probe::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(listing_probe::Entity::find()
        .filter(listing_probe::Column::ActorId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.actor_id, r))
        .collect())
}

/// Ids of local listings whose last probe found them up.
pub async fn working_ids<C: ConnectionTrait>(db: &C) -> Result<Vec<i64>, DbErr> {
    Ok(listing_probe::Entity::find()
        .filter(listing_probe::Column::Outcome.eq(Outcome::Up.as_str()))
        .filter(listing_probe::Column::NextProbeAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.actor_id)
        .collect())
}

/// Keep the liveness a peer published for its listing (or forget it when it published
/// none). Values are capped; which node measured it is taken from the listing's domain
/// when shown, never from the document.
pub async fn store_published<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    published: Option<&Liveness>,
) -> Result<(), DbErr> {
    let text = published.and_then(|l| {
        let mut l = l.clone();
        l.observed_version = l
            .observed_version
            .map(|v| v.chars().filter(|c| !c.is_control()).take(60).collect());
        l.measured_by = String::new();
        for u in [&mut l.uptime_24h, &mut l.uptime_7d, &mut l.uptime_30d] {
            *u = u.filter(|x| (0.0..=1.0).contains(x));
        }
        serde_json::to_string(&l).ok()
    });
    match listing_probe::Entity::find_by_id(actor_id).one(db).await? {
        None if text.is_none() => {}
        None => {
            listing_probe::ActiveModel {
                actor_id: Set(actor_id),
                published: Set(text),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        Some(row) => {
            let mut am: listing_probe::ActiveModel = row.into();
            am.published = Set(text);
            am.update(db).await?;
        }
    }
    Ok(())
}

/// The liveness a peer published for its listing on `domain`, labelled as its measurement.
pub async fn published<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    domain: &str,
) -> Result<Option<Liveness>, DbErr> {
    let row = listing_probe::Entity::find_by_id(actor_id).one(db).await?;
    Ok(row
        .and_then(|r| r.published)
        .and_then(|t| serde_json::from_str::<Liveness>(&t).ok())
        .map(|mut l| {
            l.measured_by = domain.to_string();
            l
        }))
}

/// A member's report that a listing is outdated, for its co-op's staff.
pub async fn report_outdated<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<outdated_report::Model, DbErr> {
    outdated_report::ActiveModel {
        actor_id: Set(actor_id),
        comment: Set(comment.to_string()),
        state: Set("open".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Mark a listing's open outdated-information report handled; false when it has none by
/// that id.
pub async fn close_outdated<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    id: i64,
) -> Result<bool, DbErr> {
    let r = outdated_report::Entity::update_many()
        .col_expr(
            outdated_report::Column::State,
            sea_orm::sea_query::Expr::value("done"),
        )
        .filter(outdated_report::Column::Id.eq(id))
        .filter(outdated_report::Column::ActorId.eq(actor_id))
        .filter(outdated_report::Column::State.eq("open"))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Open outdated-information reports of some listings, newest first.
pub async fn open_outdated<C: ConnectionTrait>(
    db: &C,
    actor_ids: &[i64],
) -> Result<Vec<outdated_report::Model>, DbErr> {
    if actor_ids.is_empty() {
        return Ok(vec![]);
    }
    outdated_report::Entity::find()
        .filter(outdated_report::Column::ActorId.is_in(actor_ids.iter().copied()))
        .filter(outdated_report::Column::State.eq("open"))
        .order_by_desc(outdated_report::Column::Id)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap() + TimeDelta::hours(h)
    }

    #[test]
    fn uptime_counts_only_the_window_and_leaves_refusals_out() {
        // Hourly probes for 10 days: down for the first 2 days, then up, with one refusal.
        let mut h = Vec::new();
        for i in 0..240 {
            let o = if i < 48 { Outcome::Down } else { Outcome::Up };
            h.push((t(i), o));
        }
        h.push((t(200), Outcome::Refused));
        let now = t(239);
        assert_eq!(uptime(&h, now, TimeDelta::hours(24)), Some(1.0));
        // 7 days = 168 probes back from hour 239: hours 72..=239, all up.
        assert_eq!(uptime(&h, now, TimeDelta::days(7)), Some(1.0));
        // 30 days covers all 240: 192 up.
        assert_eq!(uptime(&h, now, TimeDelta::days(30)), Some(192.0 / 240.0));
        assert_eq!(percent(192.0 / 240.0), "80%");
        assert_eq!(percent(0.997), "99.7%");
    }

    #[test]
    fn no_probe_in_the_window_says_nothing() {
        let h = vec![(t(0), Outcome::Up), (t(1), Outcome::Refused)];
        assert_eq!(uptime(&h, t(100), TimeDelta::hours(24)), None);
        assert_eq!(
            uptime(&[(t(99), Outcome::Refused)], t(100), TimeDelta::hours(24)),
            None
        );
    }

    #[test]
    fn an_outage_starts_at_its_first_failure_and_ends_with_an_answer() {
        let s = down_since(None, Outcome::Down, t(0));
        assert_eq!(s, Some(t(0)));
        let s = down_since(s, Outcome::Down, t(1));
        assert_eq!(s, Some(t(0)), "a second failure keeps the start");
        let s = down_since(s, Outcome::Refused, t(2));
        assert_eq!(s, Some(t(0)), "a refusal changes nothing");
        assert!(!unreachable(s, t(71)));
        assert!(unreachable(s, t(72)), "3 days down");
        assert_eq!(down_since(s, Outcome::Up, t(73)), None);
        assert!(!unreachable(None, t(1000)));
    }
}
