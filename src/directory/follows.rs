//! Follows in both directions, as the rows change when other servers follow, unfollow,
//! answer our follows or go away: `follow` (remote actors following local ones) and
//! `following` (local actors following remote ones).

use crate::db::entities::{actor, follow, following};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::OnConflict,
};

/// The follow of `target` by `follower`, if one is stored.
pub async fn follow_of<C: ConnectionTrait>(
    db: &C,
    target: &actor::Model,
    follower: &actor::Model,
) -> Result<Option<follow::Model>, sea_orm::DbErr> {
    follow::Entity::find()
        .filter(follow::Column::ActorId.eq(target.id))
        .filter(follow::Column::FollowerApId.eq(follower.ap_id.as_str()))
        .one(db)
        .await
}

/// Store `follower` as a follower of `target`, with the inboxes it delivers to; a follow
/// stored meanwhile is kept as it is.
pub async fn add_follower<C: ConnectionTrait>(
    db: &C,
    target: &actor::Model,
    follower: &actor::Model,
    follow_activity_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    follow::Entity::insert(follow::ActiveModel {
        actor_id: Set(target.id),
        follower_ap_id: Set(follower.ap_id.clone()),
        follower_inbox: Set(follower.inbox.clone()),
        follower_shared_inbox: Set(follower.shared_inbox.clone()),
        follow_activity_id: Set(follow_activity_id.to_string()),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([follow::Column::ActorId, follow::Column::FollowerApId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Which follows of one follower an unfollow removes.
pub enum Unfollowed<'a> {
    /// Its follow of this local actor, whatever the follow's id.
    Of(i64),
    /// The follow with this activity id.
    ById(&'a str),
}

/// Remove follows of `follower_ap_id`; returns how many were removed.
pub async fn remove_follows<C: ConnectionTrait>(
    db: &C,
    follower_ap_id: &str,
    which: Unfollowed<'_>,
) -> Result<u64, sea_orm::DbErr> {
    let delete =
        follow::Entity::delete_many().filter(follow::Column::FollowerApId.eq(follower_ap_id));
    let delete = match which {
        Unfollowed::Of(target) => delete.filter(follow::Column::ActorId.eq(target)),
        Unfollowed::ById(id) => delete.filter(follow::Column::FollowActivityId.eq(id)),
    };
    Ok(delete.exec(db).await?.rows_affected)
}

/// A remote actor deleted itself: forget its follows, and the actor (with its listing,
/// if it was a peer's) unless it is one of ours.
pub async fn forget_actor<C: ConnectionTrait>(
    db: &C,
    gone: &actor::Model,
) -> Result<(), sea_orm::DbErr> {
    follow::Entity::delete_many()
        .filter(follow::Column::FollowerApId.eq(gone.ap_id.as_str()))
        .exec(db)
        .await?;
    if !gone.local {
        actor::Entity::delete_by_id(gone.id).exec(db).await?;
    }
    Ok(())
}

/// Our follow with this activity id of `target_ap_id`, if there is one.
pub async fn our_follow<C: ConnectionTrait>(
    db: &C,
    follow_activity_id: &str,
    target_ap_id: &str,
) -> Result<Option<following::Model>, sea_orm::DbErr> {
    following::Entity::find()
        .filter(following::Column::FollowActivityId.eq(follow_activity_id))
        .filter(following::Column::TargetApId.eq(target_ap_id))
        .one(db)
        .await
}

/// The followed actor answered our follow: accepted, it is marked so; rejected, it is
/// forgotten.
pub async fn follow_answered<C: ConnectionTrait>(
    db: &C,
    row: following::Model,
    accepted: bool,
) -> Result<(), sea_orm::DbErr> {
    if accepted {
        let mut am: following::ActiveModel = row.into();
        am.accepted = Set(true);
        am.update(db).await?;
    } else {
        following::Entity::delete_by_id(row.id).exec(db).await?;
    }
    Ok(())
}

/// Our follows of the remote actor `target_ap_id`.
pub async fn our_follows_of<C: ConnectionTrait>(
    db: &C,
    target_ap_id: &str,
) -> Result<Vec<following::Model>, sea_orm::DbErr> {
    following::Entity::find()
        .filter(following::Column::TargetApId.eq(target_ap_id))
        .all(db)
        .await
}

/// A remote actor moved to `to` (its `Move`, checked by the caller): recorded on its row.
pub async fn moved<C: ConnectionTrait>(
    db: &C,
    old: &actor::Model,
    to: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let mut am: actor::ActiveModel = old.clone().into();
    am.moved_to = Set(Some(to.to_string()));
    am.updated_at = Set(now);
    am.update(db).await?;
    Ok(())
}
