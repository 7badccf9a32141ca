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

use super::{
    DomainError, DomainResult,
    context::Domain,
    effects::Effect,
    policy::{self, DomainKey, Severity, domain_of},
    types::ActorKind,
    types::Moderation,
};
use crate::{
    config::{RequireApproval, Settings},
    db::BeginWrite,
    db::entities::{actor, announcement, domain_allow, domain_block, moderation_log, report},
    html,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use url::Url;

mod domains;
mod listings;
mod log;
mod reports;

pub use self::{domains::*, listings::*, log::*, reports::*};

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

/// A listing by handle (`name@domain`, local or stored remote) or actor URL.
pub async fn find_target<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    target: &str,
) -> DomainResult<actor::Model> {
    let t = target.trim();
    let not_found = || DomainError::NotFound(crate::msg!("error-actor-unknown", target = t));
    if t.starts_with("http://") || t.starts_with("https://") {
        let url = Url::parse(t).map_err(|e| {
            DomainError::Invalid(crate::msg!(
                "error-actor-url",
                target = t,
                reason = e.to_string()
            ))
        })?;
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
}
