//! `Delete` of an actor by itself (forget it and its follows, and its listing if it was a
//! peer's), of a peer's announcement (withdrawn), or of a reply under one of our
//! announcements by its author (shown no more).

use super::super::{Ctx, protocol::ObjectRef};
use crate::{db::entities::actor, federation::error::InboxError};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Delete {
    pub id: Url,
    pub actor: Url,
    pub object: ObjectRef,
}

impl Delete {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), InboxError> {
        let object_id = self
            .object
            .id()
            .ok_or_else(|| InboxError::Malformed("Delete needs an object with an id".into()))?;
        super::same_host(actor, &object_id)
    }

    pub async fn receive(self, ctx: &Ctx, actor: &actor::Model) -> Result<(), InboxError> {
        super::only_self(&ctx.db, actor, &self.object).await?;
        let Some(object_id) = self.object.id() else {
            return Ok(());
        };
        if object_id.as_str() == actor.ap_id {
            // The actor is gone: forget its follows, and its listing if it was one.
            crate::directory::follows::forget_actor(&ctx.db, actor).await?;
            // Its key verifies nothing from now on without a fresh look.
            ctx.verified.invalidate();
        } else if crate::directory::replies::delete(&ctx.db, actor.id, object_id.as_str()).await? {
            tracing::debug!(reply = %object_id, "reply deleted by its author");
        } else {
            // A withdrawn announcement of a peer.
            crate::directory::notes::withdraw(&ctx.db, actor.id, object_id.as_str()).await?;
        }
        Ok(())
    }
}
