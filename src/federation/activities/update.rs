//! `Update` of an actor by itself: refresh the stored profile from the actor's origin.
//! `Update` of a `Note` that is a reply under one of our announcements: its new text and
//! addressing are kept. Other updates are accepted without effect.

use super::super::{Ctx, actors::store_remote_actor, fetch::fetch_actor, protocol::ObjectRef};
use crate::{db::entities::actor, federation::error::InboxError};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Update {
    pub id: Url,
    pub actor: Url,
    pub object: ObjectRef,
}

impl Update {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), InboxError> {
        let object_id = self
            .object
            .id()
            .ok_or_else(|| InboxError::Malformed("Update needs an object with an id".into()))?;
        // Only the owner may update: the object lives on the actor's host.
        super::same_host(actor, &object_id)
    }

    pub async fn receive(self, ctx: &Ctx, actor: &actor::Model) -> Result<(), InboxError> {
        super::only_self(&ctx.db, actor, &self.object).await?;
        if let ObjectRef::Object(object) = &self.object
            && let Some(note) = super::create::as_note(object)
        {
            if !super::create::edit_reply(ctx, actor, &note).await? {
                tracing::debug!(note = %object.get("id").unwrap_or(&serde_json::Value::Null), "Update of a Note that is no reply kept here; ignored");
            }
            return Ok(());
        }
        let Some(object_id) = self.object.id() else {
            return Ok(());
        };
        if object_id.as_str() == actor.ap_id {
            // Never trust the embedded copy: fetch the profile from its origin.
            let json = fetch_actor(ctx, &object_id).await?;
            let stored = store_remote_actor(ctx.app_data(), json).await?;
            // A peer's co-op or instance actor may feature new listings.
            if let Err(e) = super::super::peering::refresh_followed(ctx, &stored).await {
                tracing::info!(actor = %stored.ap_id, error = %e, "refreshing a peer's listings failed");
            }
        }
        Ok(())
    }
}
