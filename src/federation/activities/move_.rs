//! `Move {actor: old, object: old, target: new}`: as Mastodon does, check that the target
//! (fetched fresh from its origin) lists the old actor in `alsoKnownAs`, then move each of
//! our follows of the old actor to the new one.

use super::super::{Ctx, actors::ApActor, send};
use crate::db::BeginWrite;
use crate::{db::entities::actor, directory::follows, federation::error::InboxError};
use activitypub_federation::fetch::object_id::ObjectId;
use sea_orm::EntityTrait;
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Move {
    pub id: Url,
    pub actor: Url,
    pub object: Url,
    pub target: Url,
}

impl Move {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), InboxError> {
        if self.actor.as_str() != actor.ap_id || self.object != self.actor {
            return Err(InboxError::Malformed(
                "Move must have object == actor, the signing actor".into(),
            ));
        }
        if self.target == self.actor {
            return Err(InboxError::Malformed(
                "Move target is the actor itself".into(),
            ));
        }
        Ok(())
    }

    pub async fn receive(self, ctx: &Ctx, old: &actor::Model) -> Result<(), InboxError> {
        let target_id: ObjectId<ApActor> = self.target.clone().into();
        // Within the request's fetch budget, never a fresh one.
        let target = target_id.dereference_forced(ctx).await?.model;
        let aka: Vec<String> = serde_json::from_str(&target.also_known_as).unwrap_or_default();
        if !aka.contains(&old.ap_id) {
            return Err(InboxError::Forbidden(format!(
                "the Move target {} does not list {} in alsoKnownAs",
                target.ap_id, old.ap_id
            )));
        }
        let follows = follows::our_follows_of(&ctx.db, &old.ap_id).await?;
        let txn = ctx.db.begin_write().await?;
        follows::moved(&txn, old, &target.ap_id, chrono::Utc::now()).await?;
        for f in follows {
            let Some(follower) = actor::Entity::find_by_id(f.actor_id).one(&txn).await? else {
                continue;
            };
            send::unfollow(&txn, ctx.app_data(), &follower, old).await?;
            send::follow(&txn, ctx.app_data(), &follower, &target).await?;
        }
        txn.commit().await?;
        ctx.queue_notify.notify_one();
        Ok(())
    }
}
