//! What this node published, as it stored it: the activities of its actors (their
//! outboxes, each activity at its URL).

use super::{DomainResult, records::Activity};
use crate::db::entities::activity;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// The activity kinds an outbox shows: announcements and profile changes.
pub const OUTBOX_KINDS: [&str; 5] = ["Create", "Update", "Move", "Delete", "Announce"];

/// How many activities an actor's outbox holds, and the latest `limit` of them, newest
/// first.
pub async fn outbox(
    db: &DatabaseConnection,
    actor_id: i64,
    limit: u64,
) -> DomainResult<(u64, Vec<Activity>)> {
    let base = activity::Entity::find()
        .filter(activity::Column::ActorId.eq(actor_id))
        .filter(activity::Column::Kind.is_in(OUTBOX_KINDS));
    let total = base.clone().count(db).await?;
    let rows = base
        .order_by_desc(activity::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok((total, rows))
}

/// A stored activity by its URL.
pub async fn activity_by_ap_id(
    db: &DatabaseConnection,
    ap_id: &str,
) -> DomainResult<Option<Activity>> {
    Ok(activity::Entity::find()
        .filter(activity::Column::ApId.eq(ap_id))
        .one(db)
        .await?)
}
