//! `Follow` of one of our actors: store the follower and answer with a signed `Accept`
//! delivered through the durable queue.

use super::super::{Ctx, send};
use crate::db::BeginWrite;
use crate::directory::types::Moderation;
use crate::{
    db::entities::actor,
    directory::{self, follows},
    federation::error::InboxError,
};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Follow {
    pub id: Url,
    pub actor: Url,
    pub object: Url,
    #[serde(skip)]
    pub raw: Value,
}

impl Follow {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), InboxError> {
        if self.actor.as_str() != actor.ap_id {
            return Err(InboxError::Malformed(
                "Follow.actor is not the signing actor".into(),
            ));
        }
        Ok(())
    }

    pub async fn receive(self, ctx: &Ctx, follower: &actor::Model) -> Result<(), InboxError> {
        let target = directory::local_actor_by_url(&ctx.db, &self.object)
            .await?
            .ok_or_else(|| {
                InboxError::NotFound(format!("{} is not an actor on this node", self.object))
            })?;
        let txn = ctx.db.begin_write().await?;
        let existing = follows::follow_of(&txn, &target, follower).await?;
        if target.moderation == Moderation::Suspended {
            send::reject_follow(&txn, ctx, &target, follower, &self).await?;
        } else {
            if existing.is_none() {
                follows::add_follower(
                    &txn,
                    &target,
                    follower,
                    self.id.as_str(),
                    chrono::Utc::now(),
                )
                .await?;
            }
            // A repeated Follow (e.g. after a lost Accept) is answered again.
            send::accept_follow(&txn, ctx, &target, follower, &self).await?;
        }
        txn.commit().await?;
        ctx.queue_notify.notify_one();
        Ok(())
    }
}
