//! Moderation: the state of each listing on this node, domain blocks and the allowlist,
//! reports, and the moderation log that records who decided what and why.
//!
//! # Listing states (`actor.moderation`)
//!
//! | state | directory, search, API | actor document | WebFinger | federation |
//! | --- | --- | --- | --- | --- |
//! | `pending` | not listed | served | 404 | as usual |
//! | `approved` | listed | served | served | as usual |
//! | `hidden` | not listed | served | served | as usual |
//! | `suspended` | not listed | `suspended: true`, empty name and summary (as Mastodon serves a suspended account) | served, so that servers can learn of the suspension | follows answered with `Reject`; nothing delivered but the `Update` that announces the suspension |
//!
//! A hidden listing is only left out of this node's directory: it keeps working for its
//! followers, so WebFinger still finds it (Mastodon resolves a limited account too). A
//! pending listing has never been shown, so WebFinger does not reveal it yet.
//!
//! # Domain blocks
//!
//! As Mastodon does for domain suspensions and silences, a block is applied to the stored
//! remote actors of the domain: `reject` suspends them, `hide` hides them, each change in
//! the log under the action `domain-block`. Lifting the block restores exactly the actors
//! whose last moderation entry is that block (an admin's later decision wins), and actors
//! first stored while the block stood. Listing queries therefore need no extra filter:
//! they list `approved` rows only. New actors of a blocked domain get their state from
//! [`initial_moderation`].
//!
//! # Reports
//!
//! A `Flag` from another server (Mastodon forwards reports from its instance actor) or a
//! report filed here becomes a `report` row per reported actor. Admins dismiss it, or hide
//! or suspend the listing; a report about a remote actor can be forwarded to its home
//! server as a `Flag` from our instance actor.

use super::{DomainError, DomainResult, types::ActorKind, types::Moderation};
use crate::{
    config::{RequireApproval, Settings},
    db::BeginWrite,
    db::entities::{actor, announcement, domain_allow, domain_block, moderation_log, report},
    federation::{
        AppState,
        fetch::domain_of,
        policy::{self, DomainKey, Severity},
        send,
    },
    html,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use url::Url;

/// Reported posts kept per report.
pub const MAX_STATUSES: usize = 20;
/// Longest report comment kept, in characters (Mastodon's limit).
pub const MAX_COMMENT: usize = 1000;
/// `Flag`s accepted from one remote host per [`FLAG_WINDOW_SECS`].
pub const FLAGS_PER_WINDOW: usize = 10;
pub const FLAG_WINDOW_SECS: i64 = 60;
/// Longest reason or note kept in the log.
const MAX_REASON: usize = 2000;

fn cap(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

fn state_of(a: &actor::Model) -> Option<Moderation> {
    Some(a.moderation)
}

/// The state a new listing starts in: `pending` when the node requires approval for it,
/// `suspended` or `hidden` when its domain is blocked, else `approved`. Only co-ops and
/// offerings wait for approval; other actors (followers, instance actors) are not listings.
pub async fn initial_moderation<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    ap_id: &Url,
    local: bool,
    kind: ActorKind,
) -> Result<Moderation, DbErr> {
    if !local {
        match policy::block_for(db, ap_id).await? {
            Some((Severity::Reject, _)) => return Ok(Moderation::Suspended),
            Some((Severity::Hide, _)) => return Ok(Moderation::Hidden),
            None => {}
        }
    }
    Ok(approval_state(settings, local, kind))
}

fn approval_state(settings: &Settings, local: bool, kind: ActorKind) -> Moderation {
    let listing = matches!(kind, ActorKind::Offering | ActorKind::Coop);
    let wait = match settings.require_approval {
        RequireApproval::None => false,
        RequireApproval::Remote => !local,
        RequireApproval::All => true,
    };
    if listing && wait {
        Moderation::Pending
    } else {
        Moderation::Approved
    }
}

/// One entry of the moderation log.
pub struct LogEntry<'a> {
    pub actor_id: Option<i64>,
    pub target: &'a str,
    pub action: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub moderator: &'a str,
    pub reason: &'a str,
    pub report_id: Option<i64>,
}

/// Write one entry of the moderation log (in the caller's transaction).
pub async fn log<C: ConnectionTrait>(
    db: &C,
    e: LogEntry<'_>,
) -> Result<moderation_log::Model, DbErr> {
    moderation_log::ActiveModel {
        actor_id: Set(e.actor_id),
        target: Set(cap(e.target, 1000)),
        action: Set(e.action.to_string()),
        from_state: Set(e.from_state.map(str::to_string)),
        to_state: Set(e.to_state.map(str::to_string)),
        moderator: Set(cap(e.moderator, 200)),
        reason: Set(cap(e.reason, MAX_REASON)),
        report_id: Set(e.report_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The latest entries of the moderation log, newest first.
pub async fn log_entries<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<moderation_log::Model>, DbErr> {
    moderation_log::Entity::find()
        .order_by_desc(moderation_log::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The log of one actor, oldest first.
pub async fn actor_log<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> Result<Vec<moderation_log::Model>, DbErr> {
    moderation_log::Entity::find()
        .filter(moderation_log::Column::ActorId.eq(actor_id))
        .order_by_asc(moderation_log::Column::Id)
        .all(db)
        .await
}

/// A listing by handle (`name@domain`, local or stored remote) or actor URL.
pub async fn find_target<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    target: &str,
) -> DomainResult<actor::Model> {
    let t = target.trim();
    let not_found = || {
        DomainError::NotFound(format!(
            "no actor '{t}' is known here; give name@domain or the actor's URL"
        ))
    };
    if t.starts_with("http://") || t.starts_with("https://") {
        let url = Url::parse(t).map_err(|e| DomainError::Invalid(format!("'{t}': {e}")))?;
        return actor::Entity::find()
            .filter(actor::Column::ApId.eq(url.as_str()))
            .one(db)
            .await?
            .ok_or_else(not_found);
    }
    let h = t.trim_start_matches("acct:").trim_start_matches('@');
    match h.split_once('@') {
        Some((_, host)) if !host.eq_ignore_ascii_case(&settings.domain) => {
            let key = DomainKey::parse(host).map_err(DomainError::Invalid)?;
            let name = h.split('@').next().unwrap_or_default();
            actor::Entity::find()
                .filter(actor::Column::Local.eq(false))
                .filter(actor::Column::Username.eq(name))
                .filter(actor::Column::Domain.eq(key.as_key()))
                .one(db)
                .await?
                .ok_or_else(not_found)
        }
        _ => super::local_by_handle(db, h, &settings.domain).await,
    }
}

/// The actions an admin takes on a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Hide,
    Suspend,
    Restore,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Hide => "hide",
            Action::Suspend => "suspend",
            Action::Restore => "restore",
        }
    }

    fn to_state(self) -> Moderation {
        match self {
            Action::Approve | Action::Restore => Moderation::Approved,
            Action::Hide => Moderation::Hidden,
            Action::Suspend => Moderation::Suspended,
        }
    }

    fn allowed_from(self) -> &'static [Moderation] {
        match self {
            Action::Approve => &[Moderation::Pending, Moderation::Hidden],
            Action::Hide => &[Moderation::Pending, Moderation::Approved],
            Action::Suspend => &[
                Moderation::Pending,
                Moderation::Approved,
                Moderation::Hidden,
            ],
            Action::Restore => &[Moderation::Hidden, Moderation::Suspended],
        }
    }
}

/// Approve a pending listing: it is listed.
pub async fn approve(
    state: &AppState,
    a: &actor::Model,
    by: &str,
    reason: &str,
) -> DomainResult<actor::Model> {
    act(state, a, Action::Approve, by, reason, None).await
}

/// Hide a listing from the directory; it keeps federating.
pub async fn hide(
    state: &AppState,
    a: &actor::Model,
    by: &str,
    reason: &str,
) -> DomainResult<actor::Model> {
    act(state, a, Action::Hide, by, reason, None).await
}

/// Suspend a listing. A local one announces it to its followers' servers with an `Update`
/// (`suspended: true`) and then stops federating.
pub async fn suspend(
    state: &AppState,
    a: &actor::Model,
    by: &str,
    reason: &str,
) -> DomainResult<actor::Model> {
    act(state, a, Action::Suspend, by, reason, None).await
}

/// Lift a hide or a suspension: the listing is approved again.
pub async fn restore(
    state: &AppState,
    a: &actor::Model,
    by: &str,
    reason: &str,
) -> DomainResult<actor::Model> {
    act(state, a, Action::Restore, by, reason, None).await
}

/// Apply `action` to a listing and log it, in one transaction.
pub async fn act(
    state: &AppState,
    a: &actor::Model,
    action: Action,
    by: &str,
    reason: &str,
    report_id: Option<i64>,
) -> DomainResult<actor::Model> {
    let txn = state.db.begin_write().await?;
    // Read again inside the transaction: the decision applies to the current state.
    let current = actor::Entity::find_by_id(a.id)
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("{} no longer exists", a.ap_id)))?;
    if current.kind == ActorKind::Instance {
        return Err(DomainError::Invalid(
            "the instance actor is not a listing and cannot be moderated".into(),
        ));
    }
    let from = state_of(&current).ok_or_else(|| {
        DomainError::Invalid(format!(
            "{} is in the state '{}', which moderation does not change",
            current.ap_id, current.moderation
        ))
    })?;
    let to = action.to_state();
    if from == to {
        return Err(DomainError::Conflict(format!(
            "{} is already {}",
            current.ap_id,
            to.label()
        )));
    }
    if !action.allowed_from().contains(&from) {
        return Err(DomainError::Invalid(format!(
            "{} is {}; '{}' applies only to listings that are {}",
            current.ap_id,
            from.label(),
            action.as_str(),
            action
                .allowed_from()
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    let mut am: actor::ActiveModel = current.clone().into();
    am.moderation = Set(to);
    am.updated_at = Set(Utc::now());
    let model = am.update(&txn).await?;
    log(
        &txn,
        LogEntry {
            actor_id: Some(model.id),
            target: &model.ap_id,
            action: action.as_str(),
            from_state: Some(from.as_str()),
            to_state: Some(to.as_str()),
            moderator: by,
            reason,
            report_id,
        },
    )
    .await?;
    // A local actor tells its followers' servers when it is suspended or comes back, as
    // Mastodon does for a (reversible) suspension.
    let federates = model.local && (from == Moderation::Suspended || to == Moderation::Suspended);
    if federates {
        send::update_actor(&txn, state, &model).await?;
    }
    txn.commit().await?;
    state.docs.invalidate();
    if federates {
        state.queue_notify.notify_one();
    }
    Ok(model)
}

// ---------------------------------------------------------------------------------------
// Domain policy

/// What a block changed.
#[derive(Debug, Default)]
pub struct BlockReport {
    pub domain: String,
    pub created: bool,
    pub listings_changed: usize,
}

/// Remote actors stored under `key` (its host and subdomains).
async fn actors_of_domain<C: ConnectionTrait>(
    db: &C,
    key: &DomainKey,
) -> Result<Vec<actor::Model>, DbErr> {
    // A superset by LIKE, then the exact rule on parsed URLs.
    let rows = actor::Entity::find()
        .filter(actor::Column::Local.eq(false))
        .filter(actor::Column::Domain.contains(key.host()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|a| Url::parse(&a.ap_id).is_ok_and(|u| key.covers(&u)))
        .collect())
}

/// The latest log entry of an actor.
async fn latest_entry<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> Result<Option<moderation_log::Model>, DbErr> {
    moderation_log::Entity::find()
        .filter(moderation_log::Column::ActorId.eq(actor_id))
        .order_by_desc(moderation_log::Column::Id)
        .one(db)
        .await
}

/// The state an actor had before any domain block touched it.
async fn state_before_blocks<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    a: &actor::Model,
) -> Result<Moderation, DbErr> {
    let current = state_of(a).unwrap_or(Moderation::Approved);
    match latest_entry(db, a.id).await? {
        Some(e)
            if e.action == "domain-block"
                && e.to_state.as_deref() == Some(a.moderation.as_str()) =>
        {
            Ok(e.from_state
                .as_deref()
                .and_then(|s| s.parse().ok())
                .unwrap_or(Moderation::Approved))
        }
        // Stored while a block stood: never decided by anyone.
        None if matches!(current, Moderation::Hidden | Moderation::Suspended) => {
            let kind = a.kind;
            Ok(approval_state(settings, false, kind))
        }
        _ => Ok(current),
    }
}

/// Bring the stored actors of a domain in line with the blocks that now cover them.
async fn apply_blocks<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    key: &DomainKey,
    by: &str,
    reason: &str,
) -> Result<usize, DbErr> {
    let mut changed = 0;
    for a in actors_of_domain(db, key).await? {
        let Ok(url) = Url::parse(&a.ap_id) else {
            continue;
        };
        let Some(current) = state_of(&a) else {
            continue;
        };
        if current == Moderation::Removed {
            continue;
        }
        let original = state_before_blocks(db, settings, &a).await?;
        let target = match policy::block_for(db, &url).await?.map(|b| b.0) {
            Some(Severity::Reject) if original != Moderation::Suspended => Moderation::Suspended,
            Some(Severity::Hide)
                if matches!(original, Moderation::Approved | Moderation::Pending) =>
            {
                Moderation::Hidden
            }
            _ => original,
        };
        if target == current {
            continue;
        }
        let action = if target == original {
            "domain-unblock"
        } else {
            "domain-block"
        };
        let mut am: actor::ActiveModel = a.clone().into();
        am.moderation = Set(target);
        am.updated_at = Set(Utc::now());
        am.update(db).await?;
        log(
            db,
            LogEntry {
                actor_id: Some(a.id),
                target: &a.ap_id,
                action,
                // A block records the state to come back to, not the block it replaces.
                from_state: Some(if action == "domain-block" {
                    original.as_str()
                } else {
                    current.as_str()
                }),
                to_state: Some(target.as_str()),
                moderator: by,
                reason,
                report_id: None,
            },
        )
        .await?;
        changed += 1;
    }
    Ok(changed)
}

/// Block a domain and its subdomains (or change the severity of its block).
pub async fn block_domain(
    state: &AppState,
    domain: &str,
    severity: Severity,
    reason: Option<&str>,
    by: &str,
) -> DomainResult<BlockReport> {
    let key = DomainKey::parse(domain).map_err(DomainError::Invalid)?;
    if key.covers(state.base()) {
        return Err(DomainError::Invalid(format!(
            "{key} is this node's own domain (or a parent of it); it cannot be blocked"
        )));
    }
    let reason = reason.map(|r| cap(r, MAX_REASON)).filter(|r| !r.is_empty());
    let txn = state.db.begin_write().await?;
    let existing = domain_block::Entity::find()
        .filter(domain_block::Column::Domain.eq(key.as_key()))
        .one(&txn)
        .await?;
    let created = existing.is_none();
    match existing {
        Some(b) => {
            let mut am: domain_block::ActiveModel = b.into();
            am.severity = Set(severity.to_string());
            am.reason = Set(reason.clone());
            am.update(&txn).await?;
        }
        None => {
            domain_block::ActiveModel {
                domain: Set(key.as_key()),
                severity: Set(severity.to_string()),
                reason: Set(reason.clone()),
                created_by: Set(cap(by, 200)),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let why = match &reason {
        Some(r) => format!("domain block of {key} ({severity}): {r}"),
        None => format!("domain block of {key} ({severity})"),
    };
    log(
        &txn,
        LogEntry {
            actor_id: None,
            target: &key.as_key(),
            action: "block",
            from_state: None,
            to_state: Some(severity.as_str()),
            moderator: by,
            reason: &why,
            report_id: None,
        },
    )
    .await?;
    let changed = apply_blocks(&txn, &state.settings, &key, by, &why).await?;
    txn.commit().await?;
    Ok(BlockReport {
        domain: key.as_key(),
        created,
        listings_changed: changed,
    })
}

/// Lift the block of a domain: listings it hid or suspended come back (unless another
/// block still covers them, or an admin decided otherwise since).
pub async fn unblock_domain(state: &AppState, domain: &str, by: &str) -> DomainResult<BlockReport> {
    let key = DomainKey::parse(domain).map_err(DomainError::Invalid)?;
    let txn = state.db.begin_write().await?;
    let res = domain_block::Entity::delete_many()
        .filter(domain_block::Column::Domain.eq(key.as_key()))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(DomainError::NotFound(format!(
            "{key} is not blocked; `coopdir domains` lists the blocks"
        )));
    }
    let why = format!("domain block of {key} lifted");
    log(
        &txn,
        LogEntry {
            actor_id: None,
            target: &key.as_key(),
            action: "unblock",
            from_state: None,
            to_state: None,
            moderator: by,
            reason: &why,
            report_id: None,
        },
    )
    .await?;
    let changed = apply_blocks(&txn, &state.settings, &key, by, &why).await?;
    txn.commit().await?;
    Ok(BlockReport {
        domain: key.as_key(),
        created: false,
        listings_changed: changed,
    })
}

/// Add a domain (and its subdomains) to the allowlist.
pub async fn allow_domain(
    db: &sea_orm::DatabaseConnection,
    domain: &str,
    by: &str,
) -> DomainResult<String> {
    let key = DomainKey::parse(domain).map_err(DomainError::Invalid)?;
    let txn = db.begin_write().await?;
    let exists = domain_allow::Entity::find()
        .filter(domain_allow::Column::Domain.eq(key.as_key()))
        .one(&txn)
        .await?
        .is_some();
    if exists {
        return Err(DomainError::Conflict(format!("{key} is already allowed")));
    }
    domain_allow::ActiveModel {
        domain: Set(key.as_key()),
        created_by: Set(cap(by, 200)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    log(
        &txn,
        LogEntry {
            actor_id: None,
            target: &key.as_key(),
            action: "allow",
            from_state: None,
            to_state: None,
            moderator: by,
            reason: "",
            report_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(key.as_key())
}

/// Remove a domain from the allowlist.
pub async fn disallow_domain(
    db: &sea_orm::DatabaseConnection,
    domain: &str,
    by: &str,
) -> DomainResult<String> {
    let key = DomainKey::parse(domain).map_err(DomainError::Invalid)?;
    let txn = db.begin_write().await?;
    let res = domain_allow::Entity::delete_many()
        .filter(domain_allow::Column::Domain.eq(key.as_key()))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(DomainError::NotFound(format!(
            "{key} is not on the allowlist"
        )));
    }
    log(
        &txn,
        LogEntry {
            actor_id: None,
            target: &key.as_key(),
            action: "disallow",
            from_state: None,
            to_state: None,
            moderator: by,
            reason: "",
            report_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(key.as_key())
}

/// Every block and every allowed domain, by domain.
pub async fn domain_rules<C: ConnectionTrait>(
    db: &C,
) -> Result<(Vec<domain_block::Model>, Vec<domain_allow::Model>), DbErr> {
    Ok((
        domain_block::Entity::find()
            .order_by_asc(domain_block::Column::Domain)
            .all(db)
            .await?,
        domain_allow::Entity::find()
            .order_by_asc(domain_allow::Column::Domain)
            .all(db)
            .await?,
    ))
}

// ---------------------------------------------------------------------------------------
// Reports

/// How an admin resolves a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Dismiss,
    Hide,
    Suspend,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Dismiss => "dismiss",
            Resolution::Hide => "hide",
            Resolution::Suspend => "suspend",
        }
    }
}

/// A report to file.
pub struct NewReport<'a> {
    /// The `Flag`'s id, for a report received from another server.
    pub ap_id: Option<&'a str>,
    /// Who reported: a remote (instance) actor, or none for a report filed here.
    pub reporter: Option<&'a actor::Model>,
    pub target: &'a actor::Model,
    /// URIs of reported posts; at most [`MAX_STATUSES`] are kept.
    pub status_uris: Vec<String>,
    /// The reporter's comment, HTML or text; stored as capped plain text.
    pub comment: &'a str,
}

/// Store a report.
pub async fn file_report<C: ConnectionTrait>(
    db: &C,
    r: NewReport<'_>,
) -> DomainResult<report::Model> {
    let mut statuses: Vec<String> = Vec::new();
    for s in r.status_uris {
        if statuses.len() >= MAX_STATUSES {
            break;
        }
        if Url::parse(&s).is_ok() && !statuses.contains(&s) && s.len() <= 2000 {
            statuses.push(s);
        }
    }
    let comment = cap(
        &html::to_text(&r.comment.replace("</p>", "</p> ").replace("<br>", " ")),
        MAX_COMMENT,
    );
    let reporter_domain = r
        .reporter
        .and_then(|a| Url::parse(&a.ap_id).ok())
        .map(|u| domain_of(&u));
    Ok(report::ActiveModel {
        ap_id: Set(r.ap_id.map(str::to_string)),
        reporter_ap_id: Set(r.reporter.map(|a| a.ap_id.clone())),
        reporter_domain: Set(reporter_domain),
        target_actor_id: Set(Some(r.target.id)),
        target_ap_id: Set(r.target.ap_id.clone()),
        status_uris: Set(serde_json::to_string(&statuses).map_err(anyhow::Error::from)?),
        comment: Set(comment),
        state: Set("open".into()),
        resolution: Set(None),
        resolved_by: Set(None),
        resolution_note: Set(None),
        resolved_at: Set(None),
        forwarded_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// `None` while `reporter_domain` may send another `Flag`; else the seconds until it may.
/// Counts the distinct `Flag`s stored from that host in the last minute.
pub async fn flag_budget<C: ConnectionTrait>(
    db: &C,
    reporter_domain: &str,
    now: DateTime<Utc>,
) -> Result<Option<u64>, DbErr> {
    let since = now - chrono::Duration::seconds(FLAG_WINDOW_SECS);
    let recent = report::Entity::find()
        .filter(report::Column::ReporterDomain.eq(reporter_domain))
        .filter(report::Column::CreatedAt.gt(since))
        .order_by_asc(report::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?;
    let mut flags: Vec<(&str, DateTime<Utc>)> = Vec::new();
    for r in &recent {
        let id = r.ap_id.as_deref().unwrap_or("");
        if !flags.iter().any(|(f, _)| *f == id) {
            flags.push((id, r.created_at));
        }
    }
    if flags.len() < FLAGS_PER_WINDOW {
        return Ok(None);
    }
    // The window frees a slot when the oldest counted Flag leaves it.
    let oldest = flags[flags.len() - FLAGS_PER_WINDOW].1;
    let wait = (oldest + chrono::Duration::seconds(FLAG_WINDOW_SECS) - now).num_seconds();
    Ok(Some(wait.clamp(1, FLAG_WINDOW_SECS) as u64))
}

/// Reports, newest first: the open ones, or all.
pub async fn reports<C: ConnectionTrait>(db: &C, all: bool) -> Result<Vec<report::Model>, DbErr> {
    let mut q = report::Entity::find().order_by_desc(report::Column::Id);
    if !all {
        q = q.filter(report::Column::State.eq("open"));
    }
    q.limit(500).all(db).await
}

async fn find_report<C: ConnectionTrait>(db: &C, id: i64) -> DomainResult<report::Model> {
    report::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::NotFound(format!(
                "there is no report {id}; `coopdir reports` lists them"
            ))
        })
}

/// Resolve a report: dismiss it, or hide or suspend the reported listing; the note goes into
/// the report and the moderation log.
pub async fn resolve_report(
    state: &AppState,
    id: i64,
    resolution: Resolution,
    by: &str,
    note: &str,
) -> DomainResult<report::Model> {
    let r = find_report(&state.db, id).await?;
    if r.state != "open" {
        return Err(DomainError::Conflict(format!(
            "report {id} was already resolved ({})",
            r.resolution.as_deref().unwrap_or("?")
        )));
    }
    let target = match r.target_actor_id {
        Some(tid) => actor::Entity::find_by_id(tid).one(&state.db).await?,
        None => None,
    };
    let reason = if note.trim().is_empty() {
        format!("report {id}")
    } else {
        format!("report {id}: {}", note.trim())
    };
    match (resolution, &target) {
        (Resolution::Dismiss, _) => {
            log(
                &state.db,
                LogEntry {
                    actor_id: r.target_actor_id,
                    target: &r.target_ap_id,
                    action: "report-dismiss",
                    from_state: None,
                    to_state: None,
                    moderator: by,
                    reason: &reason,
                    report_id: Some(id),
                },
            )
            .await?;
        }
        (_, None) => {
            return Err(DomainError::NotFound(format!(
                "the actor of report {id} ({}) is no longer stored; dismiss the report",
                r.target_ap_id
            )));
        }
        (Resolution::Hide | Resolution::Suspend, Some(t)) => {
            let action = if resolution == Resolution::Hide {
                Action::Hide
            } else {
                Action::Suspend
            };
            match act(state, t, action, by, &reason, Some(id)).await {
                Ok(_) | Err(DomainError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    let mut am: report::ActiveModel = r.into();
    am.state = Set("resolved".into());
    am.resolution = Set(Some(resolution.as_str().into()));
    am.resolved_by = Set(Some(cap(by, 200)));
    am.resolution_note = Set(Some(cap(note, MAX_REASON)));
    am.resolved_at = Set(Some(Utc::now()));
    Ok(am.update(&state.db).await?)
}

/// Forward a report about a remote actor to its home server: a `Flag` from our instance
/// actor, through the durable queue.
pub async fn forward_report(state: &AppState, id: i64) -> DomainResult<report::Model> {
    let r = find_report(&state.db, id).await?;
    if r.forwarded_at.is_some() {
        return Err(DomainError::Conflict(format!(
            "report {id} was already forwarded"
        )));
    }
    let target = match r.target_actor_id {
        Some(tid) => actor::Entity::find_by_id(tid).one(&state.db).await?,
        None => None,
    }
    .ok_or_else(|| {
        DomainError::NotFound(format!("the actor of report {id} is no longer stored"))
    })?;
    if target.local {
        return Err(DomainError::Invalid(format!(
            "report {id} is about {}, a listing of this node; only reports about remote actors are forwarded",
            target.ap_id
        )));
    }
    let url = Url::parse(&target.ap_id).map_err(anyhow::Error::from)?;
    if let Some(why) = policy::refusal(&state.db, &state.settings, &url).await? {
        return Err(DomainError::Invalid(format!(
            "cannot forward report {id}: {why}"
        )));
    }
    let statuses: Vec<String> = serde_json::from_str(&r.status_uris).unwrap_or_default();
    let instance = super::instance_actor(&state.db, state).await?;
    let txn = state.db.begin_write().await?;
    send::flag(&txn, state, &instance, &target, &statuses, &r.comment).await?;
    let mut am: report::ActiveModel = r.into();
    am.forwarded_at = Set(Some(Utc::now()));
    let model = am.update(&txn).await?;
    txn.commit().await?;
    state.queue_notify.notify_one();
    Ok(model)
}

/// A report filed on this node (by an admin, or later by a member through the web pages).
pub async fn report_here(
    state: &AppState,
    target: &actor::Model,
    status_uris: Vec<String>,
    comment: &str,
) -> DomainResult<report::Model> {
    file_report(
        &state.db,
        NewReport {
            ap_id: None,
            reporter: None,
            target,
            status_uris,
            comment,
        },
    )
    .await
}

/// The author of a local announcement, for a report that names the post only.
pub async fn local_post_author<C: ConnectionTrait>(
    db: &C,
    uri: &str,
) -> Result<Option<actor::Model>, DbErr> {
    let Some(a) = announcement::Entity::find()
        .filter(announcement::Column::ApId.eq(uri))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(actor::Entity::find_by_id(a.actor_id)
        .one(db)
        .await?
        .filter(|author| author.local))
}

// ---------------------------------------------------------------------------------------
// Queries of the admin pages

/// The actions an admin may take on a listing in `state` (empty for `removed`).
pub fn actions_for(state: Moderation) -> Vec<Action> {
    [
        Action::Approve,
        Action::Hide,
        Action::Suspend,
        Action::Restore,
    ]
    .into_iter()
    .filter(|a| a.allowed_from().contains(&state))
    .collect()
}

fn listing_kinds() -> [ActorKind; 2] {
    [ActorKind::Coop, ActorKind::Offering]
}

/// Listings (co-ops and offerings, local and remote) waiting for approval, oldest first.
pub async fn pending_listings<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<actor::Model>, DbErr> {
    actor::Entity::find()
        .filter(actor::Column::Moderation.eq(Moderation::Pending))
        .filter(actor::Column::Kind.is_in(listing_kinds()))
        .order_by_asc(actor::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Listings in any state whose name, username, domain or actor URL contains `text`.
pub async fn search_listings<C: ConnectionTrait>(
    db: &C,
    text: &str,
    limit: u64,
) -> Result<Vec<actor::Model>, DbErr> {
    use sea_orm::Condition;
    let t = text.trim().trim_start_matches('@');
    if t.is_empty() {
        return Ok(vec![]);
    }
    let (name, host) = t.split_once('@').unwrap_or((t, ""));
    let mut any = Condition::any()
        .add(actor::Column::Name.contains(t))
        .add(actor::Column::Username.contains(t))
        .add(actor::Column::ApId.contains(t))
        .add(actor::Column::Domain.contains(t));
    if !host.is_empty() {
        any = any.add(
            Condition::all()
                .add(actor::Column::Username.eq(name))
                .add(actor::Column::Domain.eq(host)),
        );
    }
    actor::Entity::find()
        .filter(actor::Column::Kind.is_in(listing_kinds()))
        .filter(any)
        .order_by_asc(actor::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// What the admin overview counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pending: u64,
    pub open_reports: u64,
    pub blocked_domains: u64,
    pub allowed_domains: u64,
}

/// Listings waiting for approval, open reports, blocked and allowed domains.
pub async fn counts<C: ConnectionTrait>(db: &C) -> Result<Counts, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(Counts {
        pending: actor::Entity::find()
            .filter(actor::Column::Moderation.eq(Moderation::Pending))
            .filter(actor::Column::Kind.is_in(listing_kinds()))
            .count(db)
            .await?,
        open_reports: report::Entity::find()
            .filter(report::Column::State.eq("open"))
            .count(db)
            .await?,
        blocked_domains: domain_block::Entity::find().count(db).await?,
        allowed_domains: domain_allow::Entity::find().count(db).await?,
    })
}

/// One page of the moderation log, newest first, and the number of entries in all.
pub async fn log_page<C: ConnectionTrait>(
    db: &C,
    offset: u64,
    limit: u64,
) -> Result<(Vec<moderation_log::Model>, u64), DbErr> {
    use sea_orm::PaginatorTrait;
    let total = moderation_log::Entity::find().count(db).await?;
    let rows = moderation_log::Entity::find()
        .order_by_desc(moderation_log::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Log actions that decide the state of a listing, as the public moderation page shows
/// them (domain rules, dismissed reports and forwarded reports are not listing decisions).
pub const LISTING_DECISIONS: [&str; 6] = [
    "approve",
    "hide",
    "suspend",
    "restore",
    "domain-block",
    "domain-unblock",
];

/// One page of the decisions about listings (co-ops and offerings), newest first, and
/// the number of them in all.
pub async fn public_log<C: ConnectionTrait>(
    db: &C,
    offset: u64,
    limit: u64,
) -> Result<(Vec<moderation_log::Model>, u64), DbErr> {
    use sea_orm::{PaginatorTrait, sea_query::Query};
    let q = moderation_log::Entity::find()
        .filter(moderation_log::Column::Action.is_in(LISTING_DECISIONS))
        .filter(
            moderation_log::Column::ActorId.in_subquery(
                Query::select()
                    .column(actor::Column::Id)
                    .from(actor::Entity)
                    .and_where(actor::Column::Kind.is_in(listing_kinds()))
                    .to_owned(),
            ),
        );
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(moderation_log::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// One report by id.
pub async fn report_by_id<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<report::Model>, DbErr> {
    report::Entity::find_by_id(id).one(db).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Options;

    fn settings(r: RequireApproval) -> Settings {
        let mut s = Options {
            dev: true,
            ..Default::default()
        }
        .resolve()
        .unwrap();
        s.require_approval = r;
        s
    }

    #[test]
    fn approval_applies_to_listings_only() {
        let none = settings(RequireApproval::None);
        let remote = settings(RequireApproval::Remote);
        let all = settings(RequireApproval::All);
        assert_eq!(
            approval_state(&none, false, ActorKind::Offering),
            Moderation::Approved
        );
        assert_eq!(
            approval_state(&remote, false, ActorKind::Offering),
            Moderation::Pending
        );
        assert_eq!(
            approval_state(&remote, true, ActorKind::Offering),
            Moderation::Approved
        );
        assert_eq!(
            approval_state(&all, true, ActorKind::Coop),
            Moderation::Pending
        );
        assert_eq!(
            approval_state(&all, false, ActorKind::Remote),
            Moderation::Approved
        );
        assert_eq!(
            approval_state(&all, true, ActorKind::Instance),
            Moderation::Approved
        );
    }

    #[test]
    fn transitions_are_closed() {
        assert!(
            Action::Restore
                .allowed_from()
                .contains(&Moderation::Suspended)
        );
        assert!(
            !Action::Approve
                .allowed_from()
                .contains(&Moderation::Suspended)
        );
        assert!(!Action::Hide.allowed_from().contains(&Moderation::Suspended));
        for a in [
            Action::Approve,
            Action::Hide,
            Action::Suspend,
            Action::Restore,
        ] {
            assert!(!a.allowed_from().contains(&Moderation::Removed));
        }
    }
}
