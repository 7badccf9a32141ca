//! `Undo` of a `Follow`: remove the follower. An Undo that arrives before its Follow
//! records the Follow's id as seen, so the late Follow has no effect.

use super::super::{Ctx, inbox::record_once, protocol::ObjectRef};
use crate::{
    db::entities::actor,
    directory::follows::{self, Unfollowed},
    federation::error::InboxError,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Undo {
    pub id: Url,
    pub actor: Url,
    pub object: ObjectRef,
}

impl Undo {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), InboxError> {
        if self.actor.as_str() != actor.ap_id {
            return Err(InboxError::Malformed(
                "Undo.actor is not the signing actor".into(),
            ));
        }
        if let ObjectRef::Object(inner) = &self.object
            && let Some(inner_actor) = inner.get("actor").and_then(|a| a.as_str())
            && inner_actor != actor.ap_id
        {
            return Err(InboxError::Forbidden(
                "an actor can only undo its own activities".into(),
            ));
        }
        if let Some(id) = self.object.id() {
            super::same_host(actor, &id)?;
        }
        Ok(())
    }

    pub async fn receive(self, ctx: &Ctx, actor: &actor::Model) -> Result<(), InboxError> {
        match self.object.kind() {
            Some("Follow") | None => {}
            Some(other) => {
                tracing::debug!(kind = other, "Undo of an activity type without effect here");
                return Ok(());
            }
        }
        let follow_id = self.object.id();
        let which = match (&self.object, &follow_id) {
            // An embedded Follow names its target: remove that follow, whatever its id.
            (ObjectRef::Object(inner), _)
                if inner.get("object").and_then(|o| o.as_str()).is_some() =>
            {
                let target = inner
                    .get("object")
                    .and_then(|o| o.as_str())
                    .unwrap_or_default();
                let target_row = actor::Entity::find()
                    .filter(actor::Column::ApId.eq(target))
                    .one(&ctx.db)
                    .await?;
                match target_row {
                    Some(t) => Unfollowed::Of(t.id),
                    None => return Ok(()),
                }
            }
            (_, Some(id)) => Unfollowed::ById(id.as_str()),
            _ => {
                return Err(InboxError::Malformed(
                    "Undo needs the Follow or its id as object".into(),
                ));
            }
        };
        let removed = follows::remove_follows(&ctx.db, &actor.ap_id, which).await?;
        if removed == 0
            && let Some(id) = follow_id
        {
            // Out of order: the Follow has not arrived yet. Mark it seen so it never takes effect.
            record_once(&ctx.db, id.as_str(), ctx.clock.now()).await?;
        }
        Ok(())
    }
}
