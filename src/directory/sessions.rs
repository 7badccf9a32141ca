//! The stored side of login sessions (table `session`): only the SHA-256 of a session's
//! token is kept, so reading the database does not let anyone log in. The cookie that
//! carries the token is the web layer's (`http::session`).

use super::DomainResult;
use crate::db::entities::{account, session};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub use crate::db::entities::account::Model as Account;

/// Store a session of `account_id` by its token's hash until `expires_at`; expired
/// sessions of every account are deleted on the way.
pub async fn start<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> DomainResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    session::ActiveModel {
        token_hash: Set(token_hash),
        account_id: Set(account_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The account of the unexpired session with this token hash, if any.
pub async fn account_of<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    now: DateTime<Utc>,
) -> DomainResult<Option<Account>> {
    let Some(s) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(account::Entity::find_by_id(s.account_id).one(db).await?)
}

/// Delete the session with this token hash.
pub async fn end<C: ConnectionTrait>(db: &C, token_hash: &str) -> DomainResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}
