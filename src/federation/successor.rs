//! The federation side of [`RemoteActors`]: WebFinger and signed fetches of actors named
//! as successors of a transfer, and NodeInfo to see whether their server runs coopdir.

use super::{AppState, Inner, actors::ApActor};
use crate::{
    db::entities::actor,
    directory::{DomainError, DomainResult, remote::RemoteActors},
};
use activitypub_federation::{
    fetch::object_id::ObjectId, fetch::webfinger::webfinger_resolve_actor,
};
use std::sync::Weak;

/// The node's remote lookups. It holds the node's state weakly: the state owns it.
pub struct FederationLookups {
    state: Weak<Inner>,
}

impl FederationLookups {
    pub fn new(state: Weak<Inner>) -> Self {
        FederationLookups { state }
    }

    fn state(&self) -> DomainResult<AppState> {
        self.state
            .upgrade()
            .map(AppState)
            .ok_or_else(|| DomainError::Other(anyhow::anyhow!("the node is shutting down")))
    }
}

#[async_trait::async_trait]
impl RemoteActors for FederationLookups {
    async fn resolve(&self, to: &str) -> DomainResult<actor::Model> {
        let state = self.state()?;
        let config = state.federation_config().await?;
        let ctx = config.to_request_data();
        let fetched = if to.starts_with("http://") || to.starts_with("https://") {
            let id: ObjectId<ApActor> = ObjectId::parse(to).map_err(|e| {
                DomainError::Invalid(crate::msg!(
                    "error-successor-url",
                    value = to,
                    reason = e.to_string()
                ))
            })?;
            id.dereference_forced(&ctx).await
        } else {
            let h = to.trim_start_matches("acct:").trim_start_matches('@');
            webfinger_resolve_actor::<_, ApActor>(h, &ctx).await
        };
        // Nothing could be found at that address: 404, as for an unknown local successor.
        let successor = fetched.map_err(|e| {
            DomainError::NotFound(crate::msg!(
                "error-successor-unresolved",
                successor = to,
                reason = crate::http::error::error_chain(&e),
            ))
        })?;
        Ok(successor.model)
    }

    async fn is_coopdir(&self, actor_url: &str) -> bool {
        match self.state.upgrade().map(AppState) {
            Some(state) => super::activities::offer::is_coopdir(&state, actor_url).await,
            None => false,
        }
    }
}
