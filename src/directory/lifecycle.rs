//! The lifecycle of an offering: `active` → `sunsetting` (with an end date no sooner than
//! the promised notice) → `closed`; or → `transferred` to a successor, with a `Move` that
//! makes Mastodon move the followers. Every transition is an announcement plus an actor
//! `Update`, written in one transaction with the change.

use super::{
    DomainError, DomainResult,
    announcements::{self, Mention},
    offering_spec,
    types::{ActorKind, AnnouncementKind, Moderation, Status},
};
use crate::db::BeginWrite;
use crate::{
    db::entities::{actor, lifecycle_event},
    federation::{AppState, actors::ApActor, fetch::domain_of, send},
};
use activitypub_federation::{
    fetch::object_id::ObjectId, fetch::webfinger::webfinger_resolve_actor,
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::OnConflict,
};
use url::Url;

/// Days before the end date on which followers get a reminder.
pub const REMINDER_DAYS: [i64; 2] = [30, 7];

/// Alternatives named in sunset announcements.
const SUGGESTIONS: usize = 3;

fn require_offering(a: &actor::Model) -> DomainResult<()> {
    if a.kind != ActorKind::Offering.to_string() || !a.local {
        return Err(DomainError::Invalid(format!(
            "@{}@{} is not an offering of this node; sunsets and transfers apply to offerings",
            a.username, a.domain
        )));
    }
    Ok(())
}

fn handle(a: &actor::Model) -> String {
    format!("{}@{}", a.username, a.domain)
}

/// Start a sunset: refused when `end` is sooner than the offering's promised notice.
pub async fn sunset(
    state: &AppState,
    offering: &actor::Model,
    end: NaiveDate,
    today: NaiveDate,
) -> DomainResult<()> {
    require_offering(offering)?;
    match offering.status.parse::<Status>() {
        Ok(Status::Active) => {}
        Ok(Status::Sunsetting) => {
            return Err(DomainError::Conflict(format!(
                "@{} is already sunsetting until {}",
                handle(offering),
                offering
                    .sunset_end
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            )));
        }
        _ => {
            return Err(DomainError::Conflict(format!(
                "@{} is {}; only an active offering can start a sunset",
                handle(offering),
                offering.status
            )));
        }
    }
    let spec = offering_spec(offering)?;
    let notice = i64::from(spec.notice_days.0);
    let earliest = today + chrono::Days::new(notice as u64);
    if end < earliest {
        return Err(DomainError::Invalid(format!(
            "{} promised {notice} days of notice before closing; the end date {end} is {} days away. \
             Choose {earliest} or later.",
            offering.name,
            (end - today).num_days()
        )));
    }
    let alternatives = suggested_alternatives(state, offering).await?;
    let mut text = format!(
        "{} will close: {end} is its last day of service. Until then the service runs as usual. We are grateful to every member \
         who used it.",
        offering.name
    );
    if !alternatives.is_empty() {
        text.push_str("\n\nCompatible alternatives you can follow and move to:");
    }
    let txn = state.db.begin_write().await?;
    let mut am: actor::ActiveModel = offering.clone().into();
    am.status = Set(Status::Sunsetting.to_string());
    am.sunset_end = Set(Some(end));
    am.updated_at = Set(Utc::now());
    let updated = am.update(&txn).await?;
    announcements::insert(
        &txn,
        state,
        &updated,
        AnnouncementKind::Sunset,
        &text,
        &alternatives,
    )
    .await?;
    // Reminders already due are covered by this announcement: never send them late.
    for days in REMINDER_DAYS {
        if (end - today).num_days() <= days {
            claim(&txn, offering.id, &format!("reminder-{days}"), end).await?;
        }
    }
    send::update_actor(&txn, state, &updated).await?;
    txn.commit().await?;
    state.queue_notify.notify_one();
    Ok(())
}

/// The best compatible alternatives, from the directory's ranking.
async fn suggested_alternatives(
    state: &AppState,
    offering: &actor::Model,
) -> DomainResult<Vec<Mention>> {
    let ranked = super::alternatives::for_offering(
        &state.db,
        &super::alternatives::OfferingRef::Id(offering.id),
        SUGGESTIONS,
    )
    .await?;
    Ok(ranked
        .items
        .into_iter()
        .map(|a| Mention {
            ap_id: a.actor,
            handle: a.handle,
        })
        .collect())
}

/// What one run of the scheduler did.
#[derive(Debug, Default)]
pub struct TickReport {
    pub reminders: Vec<String>,
    pub closed: Vec<String>,
}

/// Scheduled lifecycle work for `today`: reminders 30 and 7 days before a sunset's end and
/// the closing on the end date. Each milestone is claimed in the database first, so it
/// runs once even when several processes tick.
pub async fn tick(state: &AppState, today: NaiveDate) -> DomainResult<TickReport> {
    let mut report = TickReport::default();
    let sunsetting = actor::Entity::find()
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Status.eq(Status::Sunsetting.to_string()))
        .all(&state.db)
        .await?;
    for offering in sunsetting {
        let Some(end) = offering.sunset_end else {
            continue;
        };
        let days_left = (end - today).num_days();
        let txn = state.db.begin_write().await?;
        if days_left < 0 {
            if !claim(&txn, offering.id, "closed", end).await? {
                continue;
            }
            let mut am: actor::ActiveModel = offering.clone().into();
            am.status = Set(Status::Closed.to_string());
            am.updated_at = Set(Utc::now());
            let closed = am.update(&txn).await?;
            let text = format!(
                "{} has closed today. Thank you for being with us.",
                offering.name
            );
            announcements::insert(&txn, state, &closed, AnnouncementKind::Sunset, &text, &[])
                .await?;
            send::update_actor(&txn, state, &closed).await?;
            report.closed.push(handle(&offering));
        } else if let Some(&days) = REMINDER_DAYS.iter().rev().find(|&&d| days_left <= d) {
            if !claim(&txn, offering.id, &format!("reminder-{days}"), end).await? {
                continue;
            }
            let alternatives = suggested_alternatives(state, &offering).await?;
            let mut text = format!(
                "Reminder: the last day of service of {} is {end}, in {days_left} days.",
                offering.name
            );
            if !alternatives.is_empty() {
                text.push_str("\n\nCompatible alternatives:");
            }
            announcements::insert(
                &txn,
                state,
                &offering,
                AnnouncementKind::Sunset,
                &text,
                &alternatives,
            )
            .await?;
            report
                .reminders
                .push(format!("{} ({days} days)", handle(&offering)));
        } else {
            continue;
        }
        txn.commit().await?;
        state.queue_notify.notify_one();
    }
    Ok(report)
}

/// Claim a milestone; false when another run already did.
async fn claim<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    milestone: &str,
    due: NaiveDate,
) -> DomainResult<bool> {
    let n = lifecycle_event::Entity::insert(lifecycle_event::ActiveModel {
        actor_id: Set(actor_id),
        milestone: Set(milestone.to_string()),
        due_on: Set(due),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            lifecycle_event::Column::ActorId,
            lifecycle_event::Column::Milestone,
            lifecycle_event::Column::DueOn,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(n > 0)
}

/// Run [`tick`] at start and then every hour until `shutdown`.
pub async fn run_scheduler(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    loop {
        if let Err(e) = tick(&state, Utc::now().date_naive()).await {
            tracing::warn!(error = %e, "lifecycle tick failed");
        }
        // Finished deliveries are kept a week, for `coopdir deliveries` and debugging.
        if let Err(e) = crate::federation::queue::prune(
            &state.db,
            std::time::Duration::from_secs(7 * 24 * 3600),
        )
        .await
        {
            tracing::warn!(error = %e, "pruning old deliveries failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
}

/// The successor of a transfer, local or remote.
enum Successor {
    Local(actor::Model),
    Remote(actor::Model),
}

impl Successor {
    fn model(&self) -> &actor::Model {
        match self {
            Successor::Local(m) | Successor::Remote(m) => m,
        }
    }
}

async fn resolve_successor(state: &AppState, to: &str) -> DomainResult<Successor> {
    let to = to.trim();
    let domain = &state.settings.domain;
    // A URL or handle of this node.
    let local = if let Some(url) = Url::parse(to)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
    {
        if domain_of(&url) == *domain {
            Some(super::local_actor_by_url(&state.db, &url).await?)
        } else {
            None
        }
    } else {
        let h = to.trim_start_matches("acct:").trim_start_matches('@');
        match h.split_once('@') {
            Some((_, host)) if !host.eq_ignore_ascii_case(domain) => None,
            _ => Some(super::find_local(&state.db, h.split('@').next().unwrap_or(h)).await?),
        }
    };
    if let Some(found) = local {
        return found
            .filter(|a| {
                a.kind == ActorKind::Offering.to_string() || a.kind == ActorKind::Coop.to_string()
            })
            .map(Successor::Local)
            .ok_or_else(|| {
                DomainError::NotFound(format!("there is no co-op or offering {to} on this node"))
            });
    }
    let config = state.federation_config().await?;
    let ctx = config.to_request_data();
    let fetched = if to.starts_with("http://") || to.starts_with("https://") {
        let id: ObjectId<ApActor> = ObjectId::parse(to)
            .map_err(|e| DomainError::Invalid(format!("'{to}' is not a URL: {e}")))?;
        id.dereference_forced(&ctx).await
    } else {
        let h = to.trim_start_matches("acct:").trim_start_matches('@');
        webfinger_resolve_actor::<_, ApActor>(h, &ctx).await
    };
    // Nothing could be found at that address: 404, as for an unknown local successor.
    let successor = fetched.map_err(|e| {
        DomainError::NotFound(format!(
            "cannot resolve the successor {to}: {}; check the handle or URL",
            crate::error::error_chain(&e)
        ))
    })?;
    Ok(Successor::Remote(successor.model))
}

/// Transfer an offering to a successor on this node or another. The successor must list
/// the offering in `alsoKnownAs` (set here for a local successor); then the offering serves
/// `movedTo`, announces the transfer, and sends `Move` to every follower.
pub async fn transfer(state: &AppState, offering: &actor::Model, to: &str) -> DomainResult<String> {
    require_offering(offering)?;
    match offering.status.parse::<Status>() {
        Ok(Status::Active | Status::Sunsetting) => {}
        Ok(Status::Transferred) => {
            return Err(DomainError::Conflict(format!(
                "@{} was already transferred to {}; an offering is transferred once",
                handle(offering),
                offering.moved_to.as_deref().unwrap_or("its successor")
            )));
        }
        _ => {
            return Err(DomainError::Conflict(format!(
                "@{} is closed and cannot be transferred",
                handle(offering)
            )));
        }
    }
    let successor = resolve_successor(state, to).await?;
    let s = successor.model();
    if s.ap_id == offering.ap_id {
        return Err(DomainError::Invalid(
            "an offering cannot be transferred to itself".into(),
        ));
    }
    if matches!(
        s.status.parse::<Status>(),
        Ok(Status::Closed | Status::Transferred)
    ) || s.moved_to.is_some()
    {
        return Err(DomainError::Invalid(format!(
            "the successor {} has itself closed or moved",
            s.ap_id
        )));
    }
    if s.moderation != Moderation::Approved.to_string() {
        return Err(DomainError::Invalid(format!(
            "the successor {} is not listed on this node",
            s.ap_id
        )));
    }
    if let Successor::Remote(r) = &successor {
        let aka: Vec<String> = serde_json::from_str(&r.also_known_as).unwrap_or_default();
        if !aka.contains(&offering.ap_id) {
            return Err(DomainError::Invalid(format!(
                "the successor {} does not list {} in alsoKnownAs, so followers' servers would refuse the \
                 move. Ask the other co-op to add it: on a coopdir node, add `also_known_as = [\"{}\"]` to \
                 the offering in its listing document and import it again; on Mastodon, add an account \
                 alias under Preferences › Account › Moving from a different account. Then run this \
                 command again.",
                r.ap_id, offering.ap_id, offering.ap_id
            )));
        }
    }
    let txn = state.db.begin_write().await?;
    if let Successor::Local(local) = &successor {
        let mut aka: Vec<String> = serde_json::from_str(&local.also_known_as).unwrap_or_default();
        if !aka.contains(&offering.ap_id) {
            aka.push(offering.ap_id.clone());
        }
        let mut am: actor::ActiveModel = local.clone().into();
        am.also_known_as = Set(serde_json::to_string(&aka).map_err(anyhow::Error::from)?);
        am.updated_at = Set(Utc::now());
        let local = am.update(&txn).await?;
        send::update_actor(&txn, state, &local).await?;
    }
    let mut am: actor::ActiveModel = offering.clone().into();
    am.status = Set(Status::Transferred.to_string());
    am.moved_to = Set(Some(s.ap_id.clone()));
    am.updated_at = Set(Utc::now());
    let moved = am.update(&txn).await?;
    let text = format!(
        "{} is now provided by a new home. Your follow moves there automatically; nothing changes \
         for you otherwise.",
        offering.name
    );
    let mention = Mention {
        ap_id: s.ap_id.clone(),
        handle: handle(s),
    };
    announcements::insert(
        &txn,
        state,
        &moved,
        AnnouncementKind::Transfer,
        &text,
        &[mention],
    )
    .await?;
    send::update_actor(&txn, state, &moved).await?;
    send::move_actor(&txn, state, &moved, &s.ap_id).await?;
    txn.commit().await?;
    state.queue_notify.notify_one();
    Ok(s.ap_id.clone())
}
