//! Incoming activities, one file per type: each checks what it needs (`verify`) and then
//! acts (`receive`). The inbox has already checked the signature, the actor and the id.

pub mod accept;
pub mod create;
pub mod delete;
pub mod flag;
pub mod follow;
pub mod move_;
pub mod offer;
pub mod undo;
pub mod update;

use super::{Ctx, fetch::domain_of};
use crate::{db::entities::actor, federation::error::InboxError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// An incoming activity, read by its `type`. A type without a handler reads as
/// [`Incoming::Unhandled`]: the inbox accepts it and does nothing with it.
#[derive(Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "type")]
pub enum Incoming {
    Follow(follow::Follow),
    Undo(undo::Undo),
    Accept(accept::Accept),
    Reject(accept::Accept),
    Offer(offer::Offer),
    Create(create::Create),
    Move(move_::Move),
    Update(update::Update),
    Delete(delete::Delete),
    Flag(flag::Flag),
    /// Announce, Like, Add and every other type: accepted and recorded, without an effect.
    #[serde(other)]
    Unhandled,
}

impl Incoming {
    /// Read an activity; a payload that does not fit its type's shape is a 400.
    pub fn parse(value: Value) -> Result<Self, InboxError> {
        serde_json::from_value(value)
            .map_err(|e| InboxError::Malformed(format!("malformed activity: {e}")))
    }

    /// Read an activity as the type its envelope names, straight from the parsed body (no
    /// buffering of the whole payload to find its tag): what [`Incoming::parse`] reads.
    pub fn parse_as(kind: &str, value: Value) -> Result<Self, InboxError> {
        fn read<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, InboxError> {
            serde_json::from_value(value)
                .map_err(|e| InboxError::Malformed(format!("malformed activity: {e}")))
        }
        Ok(match kind {
            "Follow" => Incoming::Follow(read(value)?),
            "Undo" => Incoming::Undo(read(value)?),
            "Accept" => Incoming::Accept(read(value)?),
            "Reject" => Incoming::Reject(read(value)?),
            "Offer" => Incoming::Offer(read(value)?),
            "Create" => Incoming::Create(read(value)?),
            "Move" => Incoming::Move(read(value)?),
            "Update" => Incoming::Update(read(value)?),
            "Delete" => Incoming::Delete(read(value)?),
            "Flag" => Incoming::Flag(read(value)?),
            _ => Incoming::Unhandled,
        })
    }

    /// True for the activities that record their own id, in the same write as their
    /// effect (or alone when they have none): the inbox does not record it first.
    pub fn records_itself(&self) -> bool {
        matches!(self, Incoming::Create(_))
    }

    /// What the activity must satisfy before it acts, given the signing actor and the
    /// domain of this node.
    pub fn verify(&self, actor: &actor::Model, our_domain: &str) -> Result<(), InboxError> {
        match self {
            Incoming::Follow(a) => a.verify(actor),
            Incoming::Undo(a) => a.verify(actor),
            Incoming::Accept(a) | Incoming::Reject(a) => a.verify(actor),
            Incoming::Offer(a) => a.verify(actor),
            Incoming::Create(a) => a.verify(actor),
            Incoming::Move(a) => a.verify(actor),
            Incoming::Update(a) => a.verify(actor),
            Incoming::Delete(a) => a.verify(actor),
            Incoming::Flag(a) => a.verify(actor, our_domain),
            Incoming::Unhandled => Ok(()),
        }
    }

    /// Act on a verified activity.
    pub async fn receive(self, ctx: &Ctx, actor: &actor::Model) -> Result<(), InboxError> {
        match self {
            Incoming::Follow(a) => a.receive(ctx, actor).await,
            Incoming::Undo(a) => a.receive(ctx, actor).await,
            Incoming::Accept(a) => a.receive(ctx, actor, true).await,
            Incoming::Reject(a) => a.receive(ctx, actor, false).await,
            Incoming::Offer(a) => a.receive(ctx, actor).await,
            Incoming::Create(a) => a.receive(ctx, actor).await,
            Incoming::Move(a) => a.receive(ctx, actor).await,
            Incoming::Update(a) => a.receive(ctx, actor).await,
            Incoming::Delete(a) => a.receive(ctx, actor).await,
            Incoming::Flag(a) => a.receive(ctx, actor).await,
            Incoming::Unhandled => Ok(()),
        }
    }
}

/// Route an activity by its type: read it, verify it, act on it.
pub async fn handle(
    ctx: &Ctx,
    actor: &actor::Model,
    kind: &str,
    value: Value,
) -> Result<(), InboxError> {
    let activity = Incoming::parse_as(kind, value)?;
    if matches!(activity, Incoming::Unhandled) {
        tracing::debug!(kind, actor = %actor.ap_id, "activity type without handler; accepted");
        return Ok(());
    }
    activity.verify(actor, &ctx.settings.domain)?;
    activity.receive(ctx, actor).await
}

/// An object id must be on the actor's host, or it has to be fetched from its origin.
pub fn same_host(actor: &actor::Model, id: &Url) -> Result<(), InboxError> {
    let actor_url = Url::parse(&actor.ap_id).map_err(|e| InboxError::Internal(e.into()))?;
    if domain_of(&actor_url) != domain_of(id) {
        return Err(InboxError::Forbidden(format!(
            "the object {id} is not on the host of the actor {}",
            actor.ap_id
        )));
    }
    Ok(())
}

/// ActivityStreams actor types: an Update or Delete of one of these must come from the
/// actor itself.
pub const ACTOR_TYPES: [&str; 5] = ["Application", "Group", "Organization", "Person", "Service"];

/// Refuse an Update or Delete of another actor than the sender (FEP-fe34: only the owner
/// changes an object).
pub async fn only_self<C: sea_orm::ConnectionTrait>(
    db: &C,
    actor: &actor::Model,
    object: &super::protocol::ObjectRef,
) -> Result<(), InboxError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let Some(id) = object.id() else { return Ok(()) };
    if id.as_str() == actor.ap_id {
        return Ok(());
    }
    let embedded_actor = object.kind().is_some_and(|k| ACTOR_TYPES.contains(&k));
    let stored_actor = actor::Entity::find()
        .filter(actor::Column::ApId.eq(id.as_str()))
        .one(db)
        .await?
        .is_some();
    if embedded_actor || stored_actor {
        return Err(InboxError::Forbidden(format!(
            "{} may not change the actor {id}",
            actor.ap_id
        )));
    }
    Ok(())
}
