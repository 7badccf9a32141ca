//! `Update` of an actor by itself: refresh the stored profile from the actor's origin.
//! Other updates (notes of peers) arrive with the federated directory.

use super::super::{Ctx, actors::store_remote_actor, fetch::fetch_actor, protocol::ObjectRef};
use crate::{db::entities::actor, error::AppError};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Update {
    pub id: Url,
    pub actor: Url,
    pub object: ObjectRef,
}

impl Update {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), AppError> {
        let object_id = self
            .object
            .id()
            .ok_or_else(|| AppError::BadRequest("Update needs an object with an id".into()))?;
        // Only the owner may update: the object lives on the actor's host.
        super::same_host(actor, &object_id)
    }

    pub async fn receive(self, ctx: &Ctx, actor: &actor::Model) -> Result<(), AppError> {
        super::only_self(&ctx.db, actor, &self.object).await?;
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
