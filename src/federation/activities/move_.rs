//! `Move {actor: old, object: old, target: new}`: as Mastodon does, check that the target
//! (fetched fresh from its origin) lists the old actor in `alsoKnownAs`, then move each of
//! our follows of the old actor to the new one.

use super::super::{Ctx, actors::ApActor, send};
use crate::db::BeginWrite;
use crate::{
    db::entities::{actor, following},
    federation::error::InboxError,
};
use activitypub_federation::fetch::object_id::ObjectId;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
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
        let follows = following::Entity::find()
            .filter(following::Column::TargetApId.eq(old.ap_id.as_str()))
            .all(&ctx.db)
            .await?;
        let txn = ctx.db.begin_write().await?;
        let mut am: actor::ActiveModel = old.clone().into();
        am.moved_to = Set(Some(target.ap_id.clone()));
        am.updated_at = Set(chrono::Utc::now());
        am.update(&txn).await?;
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
