//! Domain policy at the protocol's edge: [`check`] answers a refused host with 403
//! ([`check_cached`] from the rules in memory, for the inbox), and
//! [`UrlPolicy`] keeps the federation crate's fetches away from refused hosts. The rules
//! themselves (blocks, allowlist, host comparison) are the domain's: src/directory/policy.rs.

use super::AppState;
pub use crate::directory::policy::*;
use crate::{config::Settings, http::error::AppError};
use activitypub_federation::config::UrlVerifier;
use sea_orm::ConnectionTrait;
use url::Url;

/// [`refusal`] as the HTTP boundary answers it: 403.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    url: &Url,
) -> Result<(), AppError> {
    match refusal(db, settings, url).await? {
        Some(why) => Err(AppError::Forbidden(why)),
        None => Ok(()),
    }
}

/// [`check`] from the rules in memory ([`PolicyCache`]): the inbox's check on every request.
pub async fn check_cached(domain: &crate::directory::Domain, url: &Url) -> Result<(), AppError> {
    match domain
        .policy
        .refusal(&domain.db, &domain.settings, url)
        .await?
    {
        Some(why) => Err(AppError::Forbidden(why)),
        None => Ok(()),
    }
}

/// The federation crate's URL check, run before each of its fetches (object dereference,
/// WebFinger, collections) and again for a redirect's target: refused hosts are never
/// contacted.
#[derive(Clone)]
pub struct UrlPolicy(pub AppState);

#[async_trait::async_trait]
impl UrlVerifier for UrlPolicy {
    async fn verify(&self, url: &Url) -> Result<(), activitypub_federation::error::Error> {
        use activitypub_federation::error::Error;
        match refusal(&self.0.db, &self.0.settings, url).await {
            Ok(None) => Ok(()),
            Ok(Some(why)) => {
                tracing::info!(%url, reason = %why, "fetch refused by domain policy");
                Err(Error::UrlVerificationError(
                    "the domain is blocked, or not allowed, by this node's domain policy",
                ))
            }
            Err(e) => Err(Error::Other(format!("domain policy lookup failed: {e}"))),
        }
    }
}
