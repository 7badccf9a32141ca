//! What the node says about itself: the usage NodeInfo publishes, and whether its
//! database answers.

use super::{DomainResult, browse::listed_count, types::ActorKind};
use crate::db::entities::{actor, announcement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, sea_query::Query,
};

/// The usage NodeInfo publishes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// Listed local co-ops.
    pub coops: u64,
    /// Listed local offerings.
    pub offerings: u64,
    /// Live announcements of this node's own actors.
    pub posts: u64,
}

/// Listed local co-ops and offerings, and the live announcements of local actors.
pub async fn usage(db: &DatabaseConnection) -> DomainResult<Usage> {
    let coops = listed_count(db, ActorKind::Coop, true).await?;
    let offerings = listed_count(db, ActorKind::Offering, true).await?;
    let posts = announcement::Entity::find()
        .filter(announcement::Column::Deleted.eq(false))
        .filter(
            announcement::Column::ActorId.in_subquery(
                Query::select()
                    .column(actor::Column::Id)
                    .from(actor::Entity)
                    .and_where(actor::Column::Local.eq(true))
                    .to_owned(),
            ),
        )
        .count(db)
        .await?;
    Ok(Usage {
        coops,
        offerings,
        posts,
    })
}

/// Whether the database answers a trivial query.
pub async fn database_answers(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}
