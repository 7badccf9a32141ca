//! Announcements of peers' co-ops and offerings, as they arrive from the peers: stored
//! (already sanitized) so the directory shows them, and withdrawn when deleted.

use crate::db::entities::announcement;
use crate::directory::{announcements::Tag, types::AnnouncementKind};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::OnConflict};

/// A peer's announcement: its id, author, sanitized HTML, the same as plain text, its
/// hashtags and when it was published.
pub struct PeerNote<'a> {
    pub ap_id: &'a str,
    pub actor_id: i64,
    pub content_html: String,
    pub source: String,
    pub hashtags: Vec<Tag>,
    pub published: DateTime<Utc>,
}

/// Store a peer's announcement; one stored before under the same id is kept.
pub async fn store_peer<C: ConnectionTrait>(
    db: &C,
    note: PeerNote<'_>,
) -> Result<(), sea_orm::DbErr> {
    announcement::Entity::insert(announcement::ActiveModel {
        ap_id: Set(note.ap_id.to_string()),
        actor_id: Set(note.actor_id),
        kind: Set(AnnouncementKind::News),
        source: Set(note.source),
        content_html: Set(note.content_html),
        tags: Set(serde_json::to_string(&note.hashtags).unwrap_or_else(|_| "[]".into())),
        published: Set(note.published),
        updated: Set(None),
        deleted: Set(false),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(announcement::Column::ApId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A peer deleted its announcement `ap_id`: marked withdrawn (only when `actor_id` is its
/// author).
pub async fn withdraw<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    ap_id: &str,
) -> Result<(), sea_orm::DbErr> {
    announcement::Entity::update_many()
        .col_expr(
            announcement::Column::Deleted,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(announcement::Column::ApId.eq(ap_id))
        .filter(announcement::Column::ActorId.eq(actor_id))
        .exec(db)
        .await?;
    Ok(())
}
