//! The moderation log: who decided what about which listing, and why.

#[allow(unused_imports)]
use super::*;

/// One entry of the moderation log.
pub struct LogEntry<'a> {
    pub actor_id: Option<i64>,
    pub target: &'a str,
    pub action: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub moderator: &'a str,
    pub reason: &'a str,
    pub report_id: Option<i64>,
}

/// Write one entry of the moderation log (in the caller's transaction).
pub async fn log<C: ConnectionTrait>(
    db: &C,
    e: LogEntry<'_>,
) -> Result<moderation_log::Model, DbErr> {
    moderation_log::ActiveModel {
        actor_id: Set(e.actor_id),
        target: Set(cap(e.target, 1000)),
        action: Set(e.action.to_string()),
        from_state: Set(e.from_state.map(str::to_string)),
        to_state: Set(e.to_state.map(str::to_string)),
        moderator: Set(cap(e.moderator, 200)),
        reason: Set(cap(e.reason, MAX_REASON)),
        report_id: Set(e.report_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The latest entries of the moderation log, newest first.
pub async fn log_entries<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<moderation_log::Model>, DbErr> {
    moderation_log::Entity::find()
        .order_by_desc(moderation_log::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The log of one actor, oldest first.
pub async fn actor_log<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> Result<Vec<moderation_log::Model>, DbErr> {
    moderation_log::Entity::find()
        .filter(moderation_log::Column::ActorId.eq(actor_id))
        .order_by_asc(moderation_log::Column::Id)
        .all(db)
        .await
}

/// One page of the moderation log, newest first, and the number of entries in all.
pub async fn log_page<C: ConnectionTrait>(
    db: &C,
    offset: u64,
    limit: u64,
) -> Result<(Vec<moderation_log::Model>, u64), DbErr> {
    use sea_orm::PaginatorTrait;
    let total = moderation_log::Entity::find().count(db).await?;
    let rows = moderation_log::Entity::find()
        .order_by_desc(moderation_log::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Log actions that decide the state of a listing, as the public moderation page shows
/// them (domain rules, dismissed reports and forwarded reports are not listing decisions).
pub const LISTING_DECISIONS: [&str; 6] = [
    "approve",
    "hide",
    "suspend",
    "restore",
    "domain-block",
    "domain-unblock",
];

/// One page of the decisions about listings (co-ops and offerings), newest first, and
/// the number of them in all.
pub async fn public_log<C: ConnectionTrait>(
    db: &C,
    offset: u64,
    limit: u64,
) -> Result<(Vec<moderation_log::Model>, u64), DbErr> {
    use sea_orm::{PaginatorTrait, sea_query::Query};
    let q = moderation_log::Entity::find()
        .filter(moderation_log::Column::Action.is_in(LISTING_DECISIONS))
        .filter(
            moderation_log::Column::ActorId.in_subquery(
                Query::select()
                    .column(actor::Column::Id)
                    .from(actor::Entity)
                    .and_where(actor::Column::Kind.is_in(listing_kinds()))
                    .to_owned(),
            ),
        );
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(moderation_log::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}
