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
use crate::{db::entities::actor, http::error::AppError};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

/// Route an activity by its type.
pub async fn handle(
    ctx: &Ctx,
    actor: &actor::Model,
    kind: &str,
    value: Value,
) -> Result<(), AppError> {
    match kind {
        "Follow" => {
            let a: follow::Follow = parse(value)?;
            a.verify(actor)?;
            a.receive(ctx, actor).await
        }
        "Undo" => {
            let a: undo::Undo = parse(value)?;
            a.verify(actor)?;
            a.receive(ctx, actor).await
        }
        "Accept" | "Reject" => {
            let a: accept::Accept = parse(value)?;
            a.verify(actor)?;
            a.receive(ctx, actor, kind == "Accept").await
        }
        "Offer" => {
            let a: offer::Offer = parse(value)?;
            a.verify(actor)?;
            a.receive(ctx, actor).await
        }
        "Create" => {
            let a: create::Create = parse(value)?;
            a.verify(actor)?;
            a.receive(ctx, actor).await
        }
        "Move" => {
            let a: move_::Move = parse(value)?;
            a.verify(actor)?;
            a.receive(ctx, actor).await
        }
        "Update" => {
            let a: update::Update = parse(value)?;
            a.verify(actor)?;
            a.receive(ctx, actor).await
        }
        "Delete" => {
            let a: delete::Delete = parse(value)?;
            a.verify(actor)?;
            a.receive(ctx, actor).await
        }
        "Flag" => {
            let a: flag::Flag = parse(value)?;
            a.verify(actor, &ctx.settings.domain)?;
            a.receive(ctx, actor).await
        }
        // Accepted and recorded, without an effect yet: Create, Announce and Flag
        // arrive with later features.
        other => {
            tracing::debug!(kind = other, actor = %actor.ap_id, "activity type without handler; accepted");
            Ok(())
        }
    }
}

fn parse<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    serde_json::from_value(value)
        .map_err(|e| AppError::BadRequest(format!("malformed activity: {e}")))
}

/// An object id must be on the actor's host, or it has to be fetched from its origin.
pub fn same_host(actor: &actor::Model, id: &Url) -> Result<(), AppError> {
    let actor_url = Url::parse(&actor.ap_id).map_err(|e| AppError::Internal(e.into()))?;
    if domain_of(&actor_url) != domain_of(id) {
        return Err(AppError::Forbidden(format!(
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
) -> Result<(), AppError> {
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
        return Err(AppError::Forbidden(format!(
            "{} may not change the actor {id}",
            actor.ap_id
        )));
    }
    Ok(())
}
