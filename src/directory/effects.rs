//! What a domain change causes beyond its own rows. A domain function records each
//! [`Effect`] inside its own transaction, before the commit, so the change and the
//! deliveries it causes commit together; the federation layer (src/federation/effects.rs)
//! turns each effect into activities and their deliveries. After the commit the function
//! calls [`Effects::committed`], which wakes the delivery workers.

use super::DomainResult;
use crate::db::entities::{actor, announcement};
use sea_orm::DatabaseTransaction;

/// Something that happened in the directory that other servers hear about.
#[derive(Debug, Clone)]
pub enum Effect {
    /// A new announcement: `Create(Note)` to the author's followers and mentioned actors.
    Announced {
        author: actor::Model,
        announcement: announcement::Model,
    },
    /// A category group relays an announcement: `Announce` to the group's followers.
    Relayed { group: actor::Model, object: String },
    /// An announcement's text changed: `Update(Note)`.
    AnnouncementEdited {
        author: actor::Model,
        announcement: announcement::Model,
    },
    /// An announcement was withdrawn: `Delete(Tombstone)`.
    AnnouncementWithdrawn {
        author: actor::Model,
        announcement: announcement::Model,
    },
    /// A local actor's profile changed (name, attributes, aliases, a rename): `Update` of
    /// the actor.
    ListingChanged(actor::Model),
    /// A local actor was removed: `Delete` of the actor.
    ListingRemoved(actor::Model),
    /// A listing's moderation changed (approved, hidden, suspended or back): `Update`.
    ModerationChanged(actor::Model),
    /// An offering or co-op started its sunset: `Update` with the new status.
    SunsetScheduled(actor::Model),
    /// A sunset was cancelled: `Update` back to active.
    SunsetCancelled(actor::Model),
    /// A sunset reached its end date: `Update` with the closed status.
    Closed(actor::Model),
    /// An actor moved to its successor: `Update` (with `movedTo`) then `Move`.
    Moved { actor: actor::Model, target: String },
    /// A report about a remote actor is forwarded to its server: `Flag`.
    ReportForwarded {
        instance: actor::Model,
        target: actor::Model,
        statuses: Vec<String>,
        comment: String,
    },
    /// A transfer to a successor on another coopdir node is proposed: `Offer`. The
    /// recorded activity's id is returned.
    TransferProposed {
        origin: actor::Model,
        successor: actor::Model,
        note: String,
        map: Vec<(String, String)>,
    },
    /// A proposed transfer was answered: `Accept` or `Reject` (with the reason).
    TransferAnswered {
        successor: actor::Model,
        origin: actor::Model,
        offer_id: String,
        accepted: bool,
        reason: Option<String>,
    },
}

/// What recording an effect gave back.
#[derive(Debug, Default, Clone)]
pub struct Recorded {
    /// The id of the activity written for the effect, where the domain keeps it (the
    /// `Offer` of a proposed transfer).
    pub activity_id: Option<String>,
}

/// The sink for effects; the federation layer implements it.
#[async_trait::async_trait]
pub trait Effects: Send + Sync {
    /// Write what `effect` causes inside `txn`, before the caller commits.
    async fn record(&self, txn: &DatabaseTransaction, effect: Effect) -> DomainResult<Recorded>;

    /// The transaction that recorded effects committed: deliveries may start.
    fn committed(&self);

    /// Local actors changed in a way their served documents show (e.g. a domain block
    /// that hides listings): drop cached documents.
    fn documents_changed(&self);
}
