//! What the admin pages read besides the domain's own operations: the listings named by
//! log entries and reports, and the thread and owner of each recent reply. The records the
//! pages show are re-exported here, so that the web layer names no database entity.

use super::{DomainResult, replies};
use crate::db::entities::{actor, announcement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

pub use crate::db::entities::{
    actor::Model as Actor, announcement::Model as Announcement, moderation_log::Model as LogEntry,
    reply::Model as Reply, report::Model as Report,
};

/// The stored actors among `ids`, by id.
pub async fn actors_by_id<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> DomainResult<HashMap<i64, Actor>> {
    Ok(actor::Entity::find()
        .filter(actor::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// A received reply with its author, the announcement it answers and that
/// announcement's actor (either may be gone).
pub struct ReplyInThread {
    pub reply: Reply,
    pub author: Actor,
    pub announcement: Option<Announcement>,
    pub owner: Option<Actor>,
}

/// The latest `limit` replies received under announcements, newest first.
pub async fn recent_replies<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> DomainResult<Vec<ReplyInThread>> {
    let mut out = vec![];
    for (reply, author) in replies::recent(db, limit).await? {
        let announcement = announcement::Entity::find_by_id(reply.announcement_id)
            .one(db)
            .await?;
        let owner = match &announcement {
            Some(a) => actor::Entity::find_by_id(a.actor_id).one(db).await?,
            None => None,
        };
        out.push(ReplyInThread {
            reply,
            author,
            announcement,
            owner,
        });
    }
    Ok(out)
}
