//! The lifecycle of an offering: `active` → `sunsetting` (with an end date no sooner than
//! the promised notice) → `closed`; or → `transferred` to a successor, with a `Move` that
//! makes Mastodon move the followers. Every transition is an announcement plus an actor
//! `Update`, written in one transaction with the change.

use super::{
    DomainError, DomainResult, alternatives,
    announcements::{self, Mention},
    context::Domain,
    effects::Effect,
    offering_spec,
    policy::domain_of,
    transfers,
    types::{ActorKind, AnnouncementKind, Moderation, Status},
};
use crate::db::BeginWrite;
use crate::db::entities::{actor, lifecycle_event};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set, sea_query::OnConflict,
};
use url::Url;

/// Days before the end date on which followers get a reminder.
pub const REMINDER_DAYS: [i64; 2] = [30, 7];

/// Alternatives named in sunset announcements.
const SUGGESTIONS: usize = 3;

fn handle(a: &actor::Model) -> String {
    format!("{}@{}", a.username, a.domain)
}

/// Start a sunset: refused when `end` is sooner than the offering's promised notice.
pub async fn sunset(
    state: &Domain,
    offering: &actor::Model,
    end: NaiveDate,
    today: NaiveDate,
) -> DomainResult<()> {
    sunset_plan(
        state,
        offering,
        SunsetRequest {
            end,
            today,
            note: "",
            alternatives: &[],
            preview: false,
        },
    )
    .await
    .map(|_| ())
}

/// What `sunset_plan` is asked to do.
pub struct SunsetRequest<'a> {
    /// The last day of service.
    pub end: NaiveDate,
    pub today: NaiveDate,
    /// The staff's migration note for members.
    pub note: &'a str,
    /// Alternatives staff pin (handles or actor URLs), named before the ranked ones.
    pub alternatives: &'a [String],
    /// Show the announcements; write nothing.
    pub preview: bool,
}

/// One announcement a sunset posts (or would post).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SunsetNotice {
    pub actor: String,
    pub handle: String,
    pub text: String,
    /// `handle: reason` of each alternative named.
    pub alternatives: Vec<String>,
}

/// What a sunset did (or, previewed, would do).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SunsetReport {
    pub end: NaiveDate,
    pub postponed: bool,
    pub announcements: Vec<SunsetNotice>,
}

/// Start the sunset of an offering, or of a co-op and every active offering of it, with
/// one last day of service; or postpone a running sunset to a later date. Each promised
/// notice is respected: the end date is at least the longest `notice_days`. Each actor
/// posts its announcement, naming pinned alternatives first and then ranked ones, never an
/// offering of a co-op that is closing, nor (for a co-op) the co-op's own offerings.
pub async fn sunset_plan(
    state: &Domain,
    target: &actor::Model,
    req: SunsetRequest<'_>,
) -> DomainResult<SunsetReport> {
    let is_coop = target.kind == ActorKind::Coop;
    if !target.local || (!is_coop && target.kind != ActorKind::Offering) {
        return Err(DomainError::Invalid(crate::msg!(
            "error-sunset-not-local",
            handle = handle(target)
        )));
    }
    let end = req.end;
    let postponed = match target.status {
        Status::Active => false,
        Status::Sunsetting => {
            let current = target.sunset_end.unwrap_or(end);
            if end <= current {
                return Err(DomainError::Conflict(crate::msg!(
                    "error-sunset-already",
                    handle = handle(target),
                    end = current.to_string()
                )));
            }
            true
        }
        _ => {
            return Err(DomainError::Conflict(crate::msg!(
                "error-sunset-not-active",
                handle = handle(target),
                status = target.status.to_string()
            )));
        }
    };
    let note = req.note.trim();
    if note.chars().count() > 2000 {
        return Err(DomainError::Invalid(crate::msg!("error-note-too-long")));
    }
    // Who sunsets: the offering, or the co-op and its offerings still running.
    let mut members = vec![target.clone()];
    if is_coop {
        let wanted = if postponed {
            Status::Sunsetting
        } else {
            Status::Active
        };
        members.extend(
            actor::Entity::find()
                .filter(actor::Column::CoopId.eq(target.id))
                .filter(actor::Column::Local.eq(true))
                .filter(actor::Column::Kind.eq(ActorKind::Offering))
                .filter(actor::Column::Status.eq(wanted))
                .all(&state.db)
                .await?,
        );
    }
    // The longest promised notice rules.
    let mut longest: Option<(i64, String)> = None;
    for m in &members {
        if m.kind != ActorKind::Offering {
            continue;
        }
        let days = i64::from(offering_spec(m)?.notice_days.0);
        if longest.as_ref().is_none_or(|(d, _)| days > *d) {
            longest = Some((days, m.name.clone()));
        }
    }
    if !postponed && let Some((notice, name)) = &longest {
        let earliest = req.today + chrono::Days::new(*notice as u64);
        if end < earliest {
            return Err(DomainError::Conflict(crate::msg!(
                "error-sunset-notice",
                name = name,
                notice = *notice,
                end = end.to_string(),
                days = (end - req.today).num_days(),
                earliest = earliest.to_string()
            )));
        }
    }
    if end < req.today {
        return Err(DomainError::Conflict(crate::msg!(
            "error-sunset-past",
            end = end.to_string()
        )));
    }
    let pinned = resolve_pinned(state, target, req.alternatives).await?;
    let folding = is_coop.then_some(target.id);
    let mut notices = Vec::new();
    for m in &members {
        let alternatives = if m.kind == ActorKind::Offering {
            alternatives_for(&state.db, &state.search, m, &pinned, folding).await?
        } else {
            pinned.clone()
        };
        let text = sunset_text(m, end, note, &alternatives, postponed);
        notices.push((m.clone(), text, alternatives));
    }
    let report = SunsetReport {
        end,
        postponed,
        announcements: notices
            .iter()
            .map(|(m, text, alts)| SunsetNotice {
                actor: m.ap_id.clone(),
                handle: handle(m),
                text: text.clone(),
                alternatives: alts.iter().map(|a| a.line()).collect(),
            })
            .collect(),
    };
    if req.preview {
        return Ok(report);
    }
    let txn = state.db.begin_write().await?;
    save_plan(&txn, target.id, note, &pinned).await?;
    for (m, text, alternatives) in &notices {
        let mut am: actor::ActiveModel = m.clone().into();
        am.status = Set(Status::Sunsetting);
        am.sunset_end = Set(Some(end));
        am.updated_at = Set(Utc::now());
        let updated = am.update(&txn).await?;
        let mentions: Vec<Mention> = alternatives.iter().map(|a| a.mention()).collect();
        announcements::insert(
            &txn,
            state,
            &updated,
            AnnouncementKind::Sunset,
            text,
            &mentions,
        )
        .await?;
        // Reminders already due are covered by this announcement: never send them late.
        for days in REMINDER_DAYS {
            if (end - req.today).num_days() <= days {
                claim(&txn, m.id, &format!("reminder-{days}"), end).await?;
            }
        }
        state
            .effects
            .record(&txn, Effect::SunsetScheduled(updated))
            .await?;
    }
    txn.commit().await?;
    state.effects.committed();
    Ok(report)
}

/// Call a sunset off: the offering (or the co-op and its sunsetting offerings) is active
/// again, each posts an announcement and sends its actor `Update`; reminders stop, since
/// they only go to sunsetting offerings. Returns how many listings are active again.
pub async fn cancel_sunset(state: &Domain, target: &actor::Model) -> DomainResult<usize> {
    if target.status != Status::Sunsetting {
        return Err(DomainError::Conflict(crate::msg!(
            "error-sunset-none",
            handle = handle(target),
            status = target.status.to_string()
        )));
    }
    let mut members = vec![target.clone()];
    if target.kind == ActorKind::Coop {
        members.extend(
            actor::Entity::find()
                .filter(actor::Column::CoopId.eq(target.id))
                .filter(actor::Column::Local.eq(true))
                .filter(actor::Column::Status.eq(Status::Sunsetting))
                .all(&state.db)
                .await?,
        );
    }
    let txn = state.db.begin_write().await?;
    for m in &members {
        let mut am: actor::ActiveModel = m.clone().into();
        am.status = Set(Status::Active);
        am.sunset_end = Set(None);
        am.updated_at = Set(Utc::now());
        let updated = am.update(&txn).await?;
        let text = format!(
            "Good news: {} is not closing. The sunset is called off and the service goes on as usual.",
            m.name
        );
        announcements::insert(&txn, state, &updated, AnnouncementKind::Sunset, &text, &[]).await?;
        state
            .effects
            .record(&txn, Effect::SunsetCancelled(updated))
            .await?;
    }
    crate::db::entities::lifecycle_plan::Entity::delete_by_id(target.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(members.len())
}

fn sunset_text(
    m: &actor::Model,
    end: NaiveDate,
    note: &str,
    alternatives: &[Suggestion],
    postponed: bool,
) -> String {
    let mut text = if postponed {
        format!(
            "{} closes later than announced: {end} is now its last day of service. Until then the service runs as usual.",
            m.name
        )
    } else if m.kind == ActorKind::Coop {
        format!(
            "{} is folding: {end} is the last day of service of the co-op and of every service it runs. \
             Until then the services run as usual. We are grateful to every member.",
            m.name
        )
    } else {
        format!(
            "{} will close: {end} is its last day of service. Until then the service runs as usual. We are grateful to every member \
             who used it.",
            m.name
        )
    };
    if !note.is_empty() {
        text.push_str(&format!("\n\n{note}"));
    }
    if !alternatives.is_empty() {
        text.push_str("\n\nCompatible alternatives you can follow and move to:");
        for a in alternatives {
            text.push_str(&format!("\n- {}", a.line()));
        }
    }
    text
}

/// An alternative named in a notice, with its one-line reason.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Suggestion {
    pub ap_id: String,
    pub handle: String,
    pub reason: String,
}

impl Suggestion {
    pub fn line(&self) -> String {
        if self.reason.is_empty() {
            format!("@{}", self.handle)
        } else {
            format!("@{}: {}", self.handle, self.reason)
        }
    }

    fn mention(&self) -> Mention {
        Mention {
            ap_id: self.ap_id.clone(),
            handle: self.handle.clone(),
        }
    }
}

/// The staff's pinned alternatives, checked: a listing this node knows, not of the
/// folding co-op, not closing.
async fn resolve_pinned(
    state: &Domain,
    target: &actor::Model,
    raw: &[String],
) -> DomainResult<Vec<Suggestion>> {
    let mut out: Vec<Suggestion> = Vec::new();
    let excluded = excluded_coops(&state.db).await?;
    for h in raw {
        let h = h.trim();
        let found = if let Ok(url) = Url::parse(h) {
            actor::Entity::find()
                .filter(actor::Column::ApId.eq(url.as_str()))
                .one(&state.db)
                .await?
        } else {
            let h = h.trim_start_matches("acct:").trim_start_matches('@');
            let (user, domain) = h.split_once('@').unwrap_or((h, &state.settings.domain));
            actor::Entity::find()
                .filter(actor::Column::Username.eq(user))
                .filter(actor::Column::Domain.eq(domain.to_ascii_lowercase()))
                .one(&state.db)
                .await?
        };
        let Some(a) = found.filter(|a| a.kind == ActorKind::Offering) else {
            return Err(DomainError::NotFound(crate::msg!(
                "error-alternative-unknown",
                handle = h
            )));
        };
        let own =
            a.id == target.id || (target.kind == ActorKind::Coop && a.coop_id == Some(target.id));
        if own {
            return Err(DomainError::Conflict(crate::msg!(
                "error-alternative-own",
                handle = h
            )));
        }
        if a.status != Status::Active
            || a.moderation != Moderation::Approved
            || a.coop_id.is_some_and(|c| excluded.contains(&c))
        {
            return Err(DomainError::Conflict(crate::msg!(
                "error-alternative-inactive",
                handle = h,
                status = a.status.as_str()
            )));
        }
        if !out.iter().any(|s| s.ap_id == a.ap_id) {
            out.push(Suggestion {
                ap_id: a.ap_id.clone(),
                handle: handle(&a),
                reason: "chosen by the co-op".into(),
            });
        }
    }
    Ok(out)
}

/// Co-ops whose offerings are never suggested: closing, sunsetting, transferred or
/// suspended ones (`alternatives::closing_coop_rows`), by row id.
async fn excluded_coops<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<i64>> {
    Ok(alternatives::closing_coop_rows(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// Pinned alternatives first, then the ranked ones, never of a closing co-op nor, when
/// the whole co-op folds, of that co-op.
async fn alternatives_for<C: ConnectionTrait>(
    db: &C,
    caches: &super::search::Caches,
    offering: &actor::Model,
    pinned: &[Suggestion],
    folding_coop: Option<i64>,
) -> DomainResult<Vec<Suggestion>> {
    let mut out: Vec<Suggestion> = pinned.to_vec();
    let mut excluded = excluded_coops(db).await?;
    excluded.extend(folding_coop);
    let ranked = super::alternatives::for_offering(
        db,
        caches,
        &super::alternatives::OfferingRef::Id(offering.id),
        SUGGESTIONS * 4 + pinned.len(),
    )
    .await?;
    let coop_ids: std::collections::HashMap<String, i64> = actor::Entity::find()
        .filter(actor::Column::Kind.eq(ActorKind::Coop))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.ap_id, c.id))
        .collect();
    for a in ranked.items {
        if out.len() >= SUGGESTIONS.max(pinned.len()) {
            break;
        }
        let coop = a.coop.as_ref().and_then(|c| coop_ids.get(c)).copied();
        if coop.is_some_and(|c| excluded.contains(&c)) || out.iter().any(|s| s.ap_id == a.actor) {
            continue;
        }
        out.push(Suggestion {
            ap_id: a.actor,
            handle: a.handle,
            reason: a.summary,
        });
    }
    Ok(out)
}

/// What a sunsetting offering's page and reminders name: the staff's note, then pinned
/// alternatives and ranked ones (never of a closing co-op, nor of its own co-op when the
/// whole co-op folds).
pub async fn suggestions<C: ConnectionTrait>(
    db: &C,
    caches: &super::search::Caches,
    offering: &actor::Model,
) -> DomainResult<(String, Vec<Suggestion>)> {
    let (note, pinned) = plan_of(db, offering).await?;
    let folding = match offering.coop_id {
        Some(c) => actor::Entity::find_by_id(c)
            .one(db)
            .await?
            .filter(|c| c.status != Status::Active)
            .map(|c| c.id),
        None => None,
    };
    let alts = alternatives_for(db, caches, offering, &pinned, folding).await?;
    Ok((note, alts))
}

/// Keep the note and pinned alternatives for the reminders and the listing's page.
async fn save_plan<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    note: &str,
    pinned: &[Suggestion],
) -> DomainResult<()> {
    use crate::db::entities::lifecycle_plan as lp;
    lp::Entity::insert(lp::ActiveModel {
        actor_id: Set(actor_id),
        note: Set(note.to_string()),
        alternatives: Set(serde_json::to_string(pinned).map_err(anyhow::Error::from)?),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(lp::Column::ActorId)
            .update_columns([
                lp::Column::Note,
                lp::Column::Alternatives,
                lp::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The note and pinned alternatives of an actor's sunset: its own plan, or its co-op's.
pub async fn plan_of<C: ConnectionTrait>(
    db: &C,
    a: &actor::Model,
) -> DomainResult<(String, Vec<Suggestion>)> {
    use crate::db::entities::lifecycle_plan as lp;
    for id in std::iter::once(a.id).chain(a.coop_id) {
        if let Some(p) = lp::Entity::find_by_id(id).one(db).await? {
            return Ok((
                p.note,
                serde_json::from_str(&p.alternatives).unwrap_or_default(),
            ));
        }
    }
    Ok((String::new(), vec![]))
}

/// What one run of the scheduler did.
#[derive(Debug, Default)]
pub struct TickReport {
    pub reminders: Vec<String>,
    pub closed: Vec<String>,
    /// Transfer proposals that went 30 days without an answer.
    pub expired: u64,
}

/// Scheduled lifecycle work for `today`: reminders 30 and 7 days before a sunset's end and
/// the closing on the end date. Each milestone is claimed in the database first, so it
/// runs once even when several processes tick.
pub async fn tick(state: &Domain, today: NaiveDate) -> DomainResult<TickReport> {
    let mut report = TickReport {
        expired: transfers::expire(&state.db, Utc::now()).await?,
        ..Default::default()
    };
    let sunsetting = actor::Entity::find()
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Status.eq(Status::Sunsetting))
        .all(&state.db)
        .await?;
    for offering in sunsetting.iter().cloned() {
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
            am.status = Set(Status::Closed);
            am.updated_at = Set(Utc::now());
            let closed = am.update(&txn).await?;
            let text = format!(
                "{} has closed today. Thank you for being with us.",
                offering.name
            );
            announcements::insert(&txn, state, &closed, AnnouncementKind::Sunset, &text, &[])
                .await?;
            state.effects.record(&txn, Effect::Closed(closed)).await?;
            report.closed.push(handle(&offering));
        } else if let Some(&days) = REMINDER_DAYS.iter().rev().find(|&&d| days_left <= d) {
            if !claim(&txn, offering.id, &format!("reminder-{days}"), end).await? {
                continue;
            }
            let (note, pinned) = plan_of(&state.db, &offering).await?;
            let folding = offering
                .coop_id
                .filter(|c| sunsetting.iter().any(|s| s.id == *c));
            let alternatives = if offering.kind == ActorKind::Offering {
                alternatives_for(&state.db, &state.search, &offering, &pinned, folding).await?
            } else {
                pinned
            };
            let mut text = format!(
                "Reminder: the last day of service of {} is {end}, in {days_left} days.",
                offering.name
            );
            if !note.is_empty() {
                text.push_str(&format!("\n\n{note}"));
            }
            if !alternatives.is_empty() {
                text.push_str("\n\nCompatible alternatives:");
                for a in &alternatives {
                    text.push_str(&format!("\n- {}", a.line()));
                }
            }
            let mentions: Vec<Mention> = alternatives.iter().map(|a| a.mention()).collect();
            announcements::insert(
                &txn,
                state,
                &offering,
                AnnouncementKind::Sunset,
                &text,
                &mentions,
            )
            .await?;
            report
                .reminders
                .push(format!("{} ({days} days)", handle(&offering)));
        } else {
            continue;
        }
        txn.commit().await?;
        state.effects.committed();
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

async fn resolve_successor(state: &Domain, to: &str) -> DomainResult<Successor> {
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
            .filter(|a| a.kind == ActorKind::Offering || a.kind == ActorKind::Coop)
            .map(Successor::Local)
            .ok_or_else(|| {
                DomainError::NotFound(crate::msg!("error-successor-not-here", successor = to))
            });
    }
    // Elsewhere: looked up by the federation layer (WebFinger or a signed fetch).
    Ok(Successor::Remote(state.remote.resolve(to).await?))
}

/// What `transfer` is asked to do.
pub struct TransferRequest<'a> {
    /// The successor: handle or actor URL, on this node or another.
    pub to: &'a str,
    /// The staff's migration note for members, sent with the proposal and the notice.
    pub note: &'a str,
    /// For a co-op's hand-over: `OLD=NEW` pairs naming the successor of each offering.
    pub map: &'a [String],
    /// Show what would happen and write nothing.
    pub preview: bool,
    pub by: &'a transfers::Acting,
}

/// What `transfer` did.
#[derive(Debug)]
pub enum TransferOutcome {
    /// Moved at once (no consent needed, or the successor already names the origin).
    Moved { successor: String },
    /// A proposal waits for the successor's answer.
    Proposed {
        id: i64,
        successor: String,
        successor_name: String,
        remote: bool,
    },
    /// Nothing written: what the transfer would announce.
    Preview {
        successor: String,
        needs_consent: bool,
        text: String,
    },
}

/// Transfer an offering (or a whole co-op) to a successor. Within one co-op, or by an
/// admin acting for both co-ops of this node, the move happens at once. To another co-op
/// of this node it becomes a proposal that co-op's staff answer; to another coopdir node,
/// a federated `Offer`; the move happens when the successor accepts. A successor that
/// already lists the origin in `alsoKnownAs` has consented: the move happens at once. A
/// non-coopdir successor (a Mastodon account) must list the origin in `alsoKnownAs`.
pub async fn transfer(
    state: &Domain,
    origin: &actor::Model,
    req: TransferRequest<'_>,
) -> DomainResult<TransferOutcome> {
    require_transferable(origin)?;
    let note = req.note.trim();
    if note.chars().count() > 2000 {
        return Err(DomainError::Invalid(crate::msg!("error-note-too-long")));
    }
    if let Some(p) = transfers::pending_of(&state.db, &origin.ap_id).await? {
        return Err(DomainError::Conflict(crate::msg!(
            "error-transfer-pending",
            handle = handle(origin),
            id = p.id,
            successor = &p.successor_name,
            expires = p.expires_at.date_naive().to_string()
        )));
    }
    let successor = resolve_successor(state, req.to).await?;
    let s = successor.model();
    if s.ap_id == origin.ap_id {
        return Err(DomainError::Conflict(crate::msg!("error-transfer-self")));
    }
    if matches!(s.status, Status::Closed | Status::Transferred) || s.moved_to.is_some() {
        return Err(DomainError::Conflict(crate::msg!(
            "error-successor-moved",
            successor = &s.ap_id
        )));
    }
    if s.moderation != Moderation::Approved {
        return Err(DomainError::Conflict(crate::msg!(
            "error-successor-unlisted",
            successor = &s.ap_id
        )));
    }
    let is_coop = origin.kind == ActorKind::Coop;
    if is_coop && s.kind != ActorKind::Coop && s.kind != ActorKind::Remote {
        return Err(DomainError::Conflict(crate::msg!(
            "error-successor-offering",
            successor = &s.ap_id
        )));
    }
    let mut map = resolve_map(state, origin, &successor, req.map).await?;
    if is_coop {
        // Every active offering of the co-op moves: unmapped ones to the successor co-op.
        // The whole plan travels with the proposal, so the successor lists each of them.
        for o in actor::Entity::find()
            .filter(actor::Column::CoopId.eq(origin.id))
            .filter(actor::Column::Local.eq(true))
            .filter(actor::Column::Status.is_in([Status::Active, Status::Sunsetting]))
            .all(&state.db)
            .await?
        {
            if !map.iter().any(|(old, _)| *old == o.ap_id) {
                map.push((o.ap_id, s.ap_id.clone()));
            }
        }
    }
    let aka: Vec<String> = serde_json::from_str(&s.also_known_as).unwrap_or_default();
    let already_named = aka.contains(&origin.ap_id);
    // Does the move need the successor's consent, and how is it asked?
    enum Route {
        Now,
        LocalProposal,
        Offer,
    }
    let route = match &successor {
        Successor::Local(l) => {
            let same = transfers::coop_of(l).is_some()
                && transfers::coop_of(l) == transfers::coop_of(origin);
            if same || req.by.for_both() || already_named {
                Route::Now
            } else {
                Route::LocalProposal
            }
        }
        Successor::Remote(r) => {
            if already_named {
                Route::Now
            } else if state.remote.is_coopdir(&r.ap_id).await {
                Route::Offer
            } else {
                return Err(DomainError::Conflict(crate::msg!(
                    "error-successor-no-alias",
                    successor = &r.ap_id,
                    origin = &origin.ap_id
                )));
            }
        }
    };
    if req.preview {
        let text = transfer_text(origin, s, note);
        return Ok(TransferOutcome::Preview {
            successor: s.ap_id.clone(),
            needs_consent: !matches!(route, Route::Now),
            text,
        });
    }
    let by = req.by.name();
    let txn = state.db.begin_write().await?;
    let outcome = match route {
        Route::Now => {
            if let Successor::Local(local) = &successor {
                transfers::alias_local(&txn, state, local, &origin.ap_id).await?;
                for (old, new) in &map {
                    if let Some(n) = actor::Entity::find()
                        .filter(actor::Column::ApId.eq(new.as_str()))
                        .filter(actor::Column::Local.eq(true))
                        .one(&txn)
                        .await?
                    {
                        transfers::alias_local(&txn, state, &n, old).await?;
                    }
                }
            }
            let s = actor::Entity::find_by_id(s.id)
                .one(&txn)
                .await?
                .ok_or_else(|| DomainError::NotFound(crate::msg!("error-successor-gone")))?;
            complete_move(&txn, state, origin, &s, &map, note).await?;
            transfers::record(
                &txn,
                transfers::NewProposal {
                    offer_ap_id: state
                        .url(&format!("/transfers/{}", uuid::Uuid::new_v4()))
                        .to_string(),
                    direction: "out",
                    origin: (&origin.ap_id, &origin.name),
                    successor: (&s.ap_id, &s.name),
                    note,
                    map: &map,
                    proposed_by: &by,
                    state: transfers::MOVED,
                },
            )
            .await?;
            TransferOutcome::Moved {
                successor: s.ap_id.clone(),
            }
        }
        Route::LocalProposal | Route::Offer => {
            let remote = matches!(route, Route::Offer);
            let offer_id = if remote {
                state
                    .effects
                    .record(
                        &txn,
                        Effect::TransferProposed {
                            origin: origin.clone(),
                            successor: s.clone(),
                            note: note.to_string(),
                            map: map.clone(),
                        },
                    )
                    .await?
                    .activity_id
                    .ok_or_else(|| {
                        DomainError::Other(anyhow::anyhow!("the Offer was written without an id"))
                    })?
            } else {
                state
                    .url(&format!("/transfers/{}", uuid::Uuid::new_v4()))
                    .to_string()
            };
            let p = transfers::record(
                &txn,
                transfers::NewProposal {
                    offer_ap_id: offer_id,
                    direction: "out",
                    origin: (&origin.ap_id, &origin.name),
                    successor: (&s.ap_id, &s.name),
                    note,
                    map: &map,
                    proposed_by: &by,
                    state: transfers::PENDING,
                },
            )
            .await?;
            TransferOutcome::Proposed {
                id: p.id,
                successor: s.ap_id.clone(),
                successor_name: s.name.clone(),
                remote,
            }
        }
    };
    txn.commit().await?;
    state.effects.committed();
    Ok(outcome)
}

fn require_transferable(a: &actor::Model) -> DomainResult<()> {
    if !a.local || (a.kind != ActorKind::Offering && a.kind != ActorKind::Coop) {
        return Err(DomainError::Invalid(crate::msg!(
            "error-transfer-not-local",
            handle = handle(a)
        )));
    }
    match a.status {
        Status::Active | Status::Sunsetting => Ok(()),
        Status::Transferred => Err(DomainError::Conflict(crate::msg!(
            "error-transfer-done",
            handle = handle(a),
            successor = a.moved_to.as_deref().unwrap_or("?")
        ))),
        _ => Err(DomainError::Conflict(crate::msg!(
            "error-transfer-closed",
            handle = handle(a)
        ))),
    }
}

/// `--map OLD=NEW` of a co-op's hand-over, as actor ids: OLD must be an offering of the
/// origin co-op, NEW an offering of the successor co-op.
async fn resolve_map(
    state: &Domain,
    origin: &actor::Model,
    successor: &Successor,
    raw: &[String],
) -> DomainResult<Vec<(String, String)>> {
    if raw.is_empty() {
        return Ok(vec![]);
    }
    if origin.kind != ActorKind::Coop {
        return Err(DomainError::Conflict(crate::msg!("error-map-not-coop")));
    }
    let s = successor.model();
    let mut out = Vec::new();
    for pair in raw {
        let Some((old, new)) = pair.split_once('=') else {
            return Err(DomainError::Invalid(crate::msg!(
                "error-map-pair",
                pair = pair,
                domain = &state.settings.domain
            )));
        };
        let old_actor = super::local_by_handle(&state.db, old, &state.settings.domain).await?;
        if old_actor.coop_id != Some(origin.id) {
            return Err(DomainError::Conflict(crate::msg!(
                "error-map-old",
                pair = pair,
                old = old,
                coop = &origin.name
            )));
        }
        let new_actor = match successor {
            Successor::Local(_) => {
                let n = super::local_by_handle(&state.db, new, &state.settings.domain).await?;
                if n.coop_id != Some(s.id) {
                    return Err(DomainError::Conflict(crate::msg!(
                        "error-map-new",
                        pair = pair,
                        new = new,
                        successor = &s.name
                    )));
                }
                n.ap_id
            }
            Successor::Remote(_) => {
                let n = match resolve_successor(state, new).await? {
                    Successor::Remote(n) | Successor::Local(n) => n,
                };
                if domain_of(&Url::parse(&n.ap_id).map_err(anyhow::Error::from)?)
                    != domain_of(&Url::parse(&s.ap_id).map_err(anyhow::Error::from)?)
                {
                    return Err(DomainError::Conflict(crate::msg!(
                        "error-map-elsewhere",
                        pair = pair,
                        new = new
                    )));
                }
                n.ap_id
            }
        };
        out.push((old_actor.ap_id, new_actor));
    }
    Ok(out)
}

/// The text of a transfer notice: where members go, what changes (price, platform,
/// features, computed from the two listings), and the staff's note.
fn transfer_text(origin: &actor::Model, s: &actor::Model, note: &str) -> String {
    let mut text = format!(
        "{} is now provided by {}. Your follow moves there automatically.",
        origin.name, s.name
    );
    let changes = match (offering_spec(origin), offering_spec(s)) {
        (Ok(a), Ok(b)) if origin.attributes.is_some() && s.attributes.is_some() => {
            listing_changes(&a, &b)
        }
        _ => None,
    };
    match changes {
        Some(c) if c.is_empty() => {
            text.push_str(" Price, platform and features stay the same.");
        }
        Some(c) => {
            text.push_str("\n\nWhat changes for you:");
            for line in c {
                text.push_str(&format!("\n- {line}"));
            }
        }
        None => {}
    }
    if !note.is_empty() {
        text.push_str(&format!("\n\n{note}"));
    }
    text
}

/// How a price reads in a notice: "pay what you can", "subscription 15 EUR/month".
pub fn price_text(p: &super::listing::Price) -> String {
    let v = serde_json::to_value(p).unwrap_or_default();
    let mut s = p.model.label().to_string();
    if let Some(a) = v.get("amount").filter(|a| !a.is_null()) {
        let a = a
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| a.to_string());
        s.push_str(&format!(" {a}"));
        if let Some(c) = v.get("currency").and_then(|c| c.as_str()) {
            s.push_str(&format!(" {c}"));
        }
        if let Some(per) = v.get("period").and_then(|c| c.as_str()) {
            s.push_str(&format!("/{per}"));
        }
    }
    s
}

/// The differences members notice between two offerings: price, platform, features.
pub fn listing_changes(
    a: &super::listing::OfferingSpec,
    b: &super::listing::OfferingSpec,
) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let (pa, pb) = (price_text(&a.price), price_text(&b.price));
    if pa != pb {
        out.push(format!("price: {pa} → {pb}"));
    }
    if a.platform != b.platform {
        out.push(format!(
            "platform: {} → {}",
            a.platform.label(),
            b.platform.label()
        ));
    }
    let lost: Vec<&str> = a
        .features
        .difference(&b.features)
        .map(|f| f.label())
        .collect();
    let gained: Vec<&str> = b
        .features
        .difference(&a.features)
        .map(|f| f.label())
        .collect();
    if !lost.is_empty() {
        out.push(format!("no longer offered: {}", lost.join(", ")));
    }
    if !gained.is_empty() {
        out.push(format!("new: {}", gained.join(", ")));
    }
    Some(out)
}

/// The move itself, inside the caller's transaction: the origin serves `movedTo`,
/// announces the transfer (with what changes and the note) and sends `Move` to its
/// followers. For a co-op, each active offering moves too: to its mapped successor, or to
/// the successor co-op. The successor must already list the origin in `alsoKnownAs`.
pub async fn complete_move(
    txn: &DatabaseTransaction,
    state: &Domain,
    origin: &actor::Model,
    s: &actor::Model,
    map: &[(String, String)],
    note: &str,
) -> DomainResult<()> {
    move_one(txn, state, origin, s, note).await?;
    if origin.kind == ActorKind::Coop {
        let offerings = actor::Entity::find()
            .filter(actor::Column::CoopId.eq(origin.id))
            .filter(actor::Column::Local.eq(true))
            .filter(actor::Column::Status.is_in([Status::Active, Status::Sunsetting]))
            .all(txn)
            .await?;
        for o in offerings {
            let target = match map.iter().find(|(old, _)| *old == o.ap_id) {
                Some((_, new)) => actor::Entity::find()
                    .filter(actor::Column::ApId.eq(new.as_str()))
                    .one(txn)
                    .await?
                    .unwrap_or_else(|| s.clone()),
                None => s.clone(),
            };
            move_one(txn, state, &o, &target, note).await?;
        }
    }
    Ok(())
}

async fn move_one(
    txn: &DatabaseTransaction,
    state: &Domain,
    origin: &actor::Model,
    s: &actor::Model,
    note: &str,
) -> DomainResult<()> {
    let mut am: actor::ActiveModel = origin.clone().into();
    am.status = Set(Status::Transferred);
    am.moved_to = Set(Some(s.ap_id.clone()));
    am.updated_at = Set(Utc::now());
    let moved = am.update(txn).await?;
    let text = transfer_text(origin, s, note);
    let mention = Mention {
        ap_id: s.ap_id.clone(),
        handle: handle(s),
    };
    announcements::insert(
        txn,
        state,
        &moved,
        AnnouncementKind::Transfer,
        &text,
        &[mention],
    )
    .await?;
    state
        .effects
        .record(
            txn,
            Effect::Moved {
                actor: moved,
                target: s.ap_id.clone(),
            },
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::listing::ListingDocument;
    use super::*;

    /// The transfer notice says what changes: the price of meet.coop's BigBlueButton
    /// (membership) against Rhein Meet's (subscription), and features one lacks.
    #[test]
    fn listing_changes_name_price_platform_and_features() {
        let a = ListingDocument::parse(
            "meetcoop.toml",
            include_str!("../../docs/examples/meetcoop.toml"),
        )
        .unwrap();
        let b = ListingDocument::parse(
            "rheinmeet.json",
            include_str!("../../docs/examples/rheinmeet.json"),
        )
        .unwrap();
        let bbb = &a.offerings[0];
        let rhein_bbb = &b.offerings[1];
        let jitsi = &b.offerings[0];
        let c = listing_changes(bbb, rhein_bbb).unwrap();
        assert!(
            c.contains(
                &"price: membership 9.00 EUR/month → subscription 29.00 EUR/month".to_string()
            ),
            "{c:?}"
        );
        assert!(!c.iter().any(|l| l.starts_with("platform")), "{c:?}");
        let c = listing_changes(bbb, jitsi).unwrap();
        assert!(
            c.contains(&"platform: BigBlueButton → Jitsi Meet".to_string()),
            "{c:?}"
        );
        assert!(listing_changes(bbb, bbb).unwrap().is_empty());
    }

    #[test]
    fn each_alternative_carries_its_reason() {
        let s = Suggestion {
            ap_id: "https://rhein.example/actors/rheinmeet_bbb".into(),
            handle: "rheinmeet_bbb@rhein.example".into(),
            reason: "same platform, recording".into(),
        };
        let text = sunset_text(
            &actor::Model {
                name: "meet.coop BigBlueButton".into(),
                kind: ActorKind::Offering,
                ..test_actor()
            },
            NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
            "Export your recordings.",
            &[s],
            false,
        );
        assert!(
            text.contains("2027-03-31 is its last day of service"),
            "{text}"
        );
        assert!(text.contains("Export your recordings."), "{text}");
        assert!(
            text.contains("- @rheinmeet_bbb@rhein.example: same platform, recording"),
            "{text}"
        );
    }

    fn test_actor() -> actor::Model {
        actor::Model {
            id: 1,
            ap_id: "https://dir.example.org/actors/x".into(),
            kind: ActorKind::Offering,
            username: "x".into(),
            domain: "dir.example.org".into(),
            name: "x".into(),
            summary: String::new(),
            inbox: String::new(),
            shared_inbox: None,
            outbox: None,
            followers: None,
            url: None,
            public_key_pem: String::new(),
            private_key_pem: None,
            local: true,
            coop_id: None,
            attributes: None,
            status: Status::Active,
            sunset_end: None,
            moved_to: None,
            also_known_as: "[]".into(),
            moderation: Moderation::Approved,
            fetched_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }
}
