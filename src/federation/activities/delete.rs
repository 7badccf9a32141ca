//! `Delete` of an actor by itself: forget its follows. Deletes of notes arrive with the
//! federated directory.

use super::super::{Ctx, protocol::ObjectRef};
use crate::{
    db::entities::{actor, follow},
    error::AppError,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize)]
pub struct Delete {
    pub id: Url,
    pub actor: Url,
    pub object: ObjectRef,
}

impl Delete {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), AppError> {
        let object_id = self
            .object
            .id()
            .ok_or_else(|| AppError::BadRequest("Delete needs an object with an id".into()))?;
        super::same_host(actor, &object_id)
    }

    pub async fn receive(self, ctx: &Ctx, actor: &actor::Model) -> Result<(), AppError> {
        if self
            .object
            .id()
            .is_some_and(|id| id.as_str() == actor.ap_id)
        {
            follow::Entity::delete_many()
                .filter(follow::Column::FollowerApId.eq(actor.ap_id.as_str()))
                .exec(&ctx.db)
                .await?;
        }
        Ok(())
    }
}
