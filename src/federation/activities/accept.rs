//! `Accept` or `Reject` of a `Follow` we sent: mark it accepted, or forget it; or of an
//! `Offer` of a transfer we sent (see `offer.rs`).

use super::super::{Ctx, protocol::ObjectRef};
use crate::{db::entities::actor, directory::follows, federation::error::InboxError};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Accept {
    pub id: Url,
    pub actor: Url,
    pub object: ObjectRef,
    /// A `Reject` of an Offer carries its reason here.
    #[serde(default)]
    pub content: Option<String>,
}

impl Accept {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), InboxError> {
        if self.actor.as_str() != actor.ap_id {
            return Err(InboxError::Malformed(
                "Accept.actor is not the signing actor".into(),
            ));
        }
        Ok(())
    }

    pub async fn receive(
        self,
        ctx: &Ctx,
        actor: &actor::Model,
        accepted: bool,
    ) -> Result<(), InboxError> {
        let Some(follow_id) = self.object.id() else {
            return Err(InboxError::Malformed(
                "Accept needs the Follow or its id as object".into(),
            ));
        };
        if super::offer::answered(ctx, actor, &follow_id, accepted, self.content.clone()).await? {
            return Ok(());
        }
        // Only the followed actor may answer our Follow.
        let row = follows::our_follow(&ctx.db, follow_id.as_str(), &actor.ap_id).await?;
        let Some(row) = row else {
            tracing::debug!(follow = %follow_id, "Accept/Reject of an unknown follow ignored");
            return Ok(());
        };
        follows::follow_answered(&ctx.db, row, accepted).await?;
        Ok(())
    }
}
