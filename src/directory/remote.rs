//! What the domain asks of other servers, answered by the federation layer
//! (src/federation/successor.rs): the domain names what it needs, never how it is fetched.

use super::DomainResult;
use crate::db::entities::actor;

/// Lookups of actors on other servers.
#[async_trait::async_trait]
pub trait RemoteActors: Send + Sync {
    /// The actor at a handle (`user@host`, by WebFinger) or actor URL on another server,
    /// fetched and stored. Not found: [`super::DomainError::NotFound`] with the reason.
    async fn resolve(&self, to: &str) -> DomainResult<actor::Model>;

    /// Does the server of `actor_url` run coopdir, and so understand a transfer `Offer`?
    async fn is_coopdir(&self, actor_url: &str) -> bool;
}
