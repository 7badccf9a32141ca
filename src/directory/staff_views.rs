//! What the staff pages read besides the domain's own operations: the deliveries of a
//! listing's activities by state, and the listings of a co-op. The records the pages show
//! are re-exported here, so that the web layer names no database entity.

use super::{DomainResult, types::DeliveryState};
use crate::db::entities::{activity, actor, delivery};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Query,
};

pub use crate::db::entities::{
    account::Model as Account, actor::Model as Actor, reply::Model as Reply,
};

/// Deliveries of the activities one actor sent, by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
    pub rejected: u64,
}

/// The deliveries of the activities `actor_id` sent, counted by state.
pub async fn delivery_counts<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> DomainResult<DeliveryCounts> {
    let count = |state: DeliveryState| {
        delivery::Entity::find()
            .filter(delivery::Column::State.eq(state))
            .filter(
                delivery::Column::ActivityId.in_subquery(
                    Query::select()
                        .column(activity::Column::Id)
                        .from(activity::Entity)
                        .and_where(activity::Column::ActorId.eq(actor_id))
                        .to_owned(),
                ),
            )
            .count(db)
    };
    Ok(DeliveryCounts {
        pending: count(DeliveryState::Pending).await?,
        delivered: count(DeliveryState::Delivered).await?,
        failed: count(DeliveryState::Failed).await?,
        rejected: count(DeliveryState::Rejected).await?,
    })
}

/// The actor URLs of co-op `coop` and of its offerings.
pub async fn coop_ap_ids<C: ConnectionTrait>(db: &C, coop: i64) -> DomainResult<Vec<String>> {
    Ok(actor::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(actor::Column::Id.eq(coop))
                .add(actor::Column::CoopId.eq(coop)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|x| x.ap_id)
        .collect())
}
