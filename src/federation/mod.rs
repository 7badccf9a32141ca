//! ActivityPub: wire structs, actors, the inbox, outgoing activities and their durable
//! delivery queue. Built on activitypub_federation for request data, signed fetches,
//! WebFinger and object dereferencing; signatures and delivery are the node's own (see
//! docs/architecture.md for why).

pub mod activities;
pub mod actors;
pub mod answers;
pub mod doc_cache;
pub mod effects;
pub mod error;
pub mod fetch;
#[cfg(test)]
mod fixtures_tests;
pub mod inbox;
pub mod integrity;
pub mod limits;
pub mod netguard;
pub mod outgoing;
pub mod peering;
pub mod policy;
pub mod protocol;
pub mod queue;
pub mod rfc9421;
pub mod send;
pub mod signatures;
pub mod successor;

pub use crate::directory::context::{Clock, Domain};
use crate::{config::Settings, db::entities::actor, directory};
use activitypub_federation::config::{Data, FederationConfig};
use sea_orm::DatabaseConnection;
use std::{collections::HashMap, sync::Arc, time::Duration};
use tokio::sync::{Mutex, Notify};

/// What every request handler and worker shares.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    /// The domain's context: database, settings, clock and effects (derefs to it).
    pub domain: Domain,
    /// Wakes the delivery workers when this process queued something.
    pub queue_notify: Notify,
    /// The HTTP client for deliveries and fetches: rustls, no redirects followed, and (in
    /// production) a resolver that refuses private and loopback addresses.
    pub client: reqwest::Client,
    /// The resolver of `client`, for checks of URLs that carry an IP address.
    pub guard: netguard::NetGuard,
    /// Serialized actor documents and WebFinger answers.
    pub docs: doc_cache::DocCache,
    /// Inbox requests and bytes per remote host in the current minute.
    pub inbox_quota: limits::HostQuota,
    /// Remote actors whose key verified a request lately, by key id.
    pub verified: fetch::VerifiedActors,
    signers: Mutex<HashMap<i64, Arc<signatures::Signer>>>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl std::ops::Deref for Inner {
    type Target = Domain;
    fn deref(&self) -> &Domain {
        &self.domain
    }
}

pub type Ctx = Data<AppState>;

/// Fetches one incoming request may cause, across all its items (and one `peer add`):
/// what is beyond it waits for scheduled work ([`peering::drain_backlog`]).
pub const FETCH_BUDGET: u32 = 20;

/// Largest response body read from another server: 1 MiB, as the federation library's own
/// limit on fetched objects.
pub const MAX_RESPONSE: usize = 1 << 20;

/// A response body that was longer than the limit; reading stopped there.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("sent more than {0} bytes; reading stopped there")]
    TooLarge(usize),
    #[error("the body could not be read: {0}")]
    Read(#[from] reqwest::Error),
}

/// Read at most `limit` bytes of a response, chunk by chunk: a declared Content-Length over
/// the limit is refused before reading, and reading stops as soon as the limit is passed,
/// so an endless or huge body never sits in memory.
pub async fn read_limited(res: reqwest::Response, limit: usize) -> Result<bytes::Bytes, BodyError> {
    use futures::StreamExt;
    if res
        .content_length()
        .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
    {
        return Err(BodyError::TooLarge(limit));
    }
    let mut out = bytes::BytesMut::new();
    let mut stream = res.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if out.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge(limit));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

/// The first `limit` bytes of a response body (such as an error page), reading no more.
pub async fn read_prefix(res: reqwest::Response, limit: usize) -> bytes::Bytes {
    use futures::StreamExt;
    let mut out = bytes::BytesMut::new();
    let mut stream = res.bytes_stream();
    while out.len() < limit {
        match stream.next().await {
            Some(Ok(chunk)) => out.extend_from_slice(&chunk[..chunk.len().min(limit - out.len())]),
            _ => break,
        }
    }
    out.freeze()
}

/// The federation layer's scheduled work, run by the node's scheduler: prune ids of
/// received activities past the retention period, and fetch what a peer's collections
/// listed beyond one request's fetch budget.
pub async fn scheduled(state: &AppState) {
    if let Err(e) = inbox::prune_received(state).await {
        tracing::warn!(error = %e, "pruning received activity ids failed");
    }
    if let Err(e) = peering::drain_backlog(state).await {
        tracing::warn!(error = %e, "fetching peers' remaining listings failed");
    }
}

/// The user agent sent with every request.
pub fn user_agent() -> String {
    format!(
        "coopdir/{} (+https://coopdir.org)",
        env!("CARGO_PKG_VERSION")
    )
}

/// The outgoing HTTP client. TLS comes from rustls (the federation crate's own reqwest has
/// none); names resolve through `guard`, which in production refuses internal address
/// ranges when connecting. Redirects are not followed by the client: the federation crate
/// follows one itself, verifying the new URL, and its connection passes the guard again.
pub fn http_client(
    guard: netguard::NetGuard,
    timeout: Duration,
) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .user_agent(user_agent())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        // Idle connections are dropped before most servers drop them (nginx after 75 s),
        // so that few requests meet a connection closed under them.
        .pool_idle_timeout(Duration::from_secs(30))
        .dns_resolver(guard)
        .build()?)
}

impl AppState {
    pub fn new(mut db: DatabaseConnection, settings: Settings) -> anyhow::Result<Self> {
        let writes = crate::db::writes::Writes::watch(&mut db);
        let guard = netguard::NetGuard::from_settings(&settings);
        let client = http_client(guard.clone(), Duration::from_secs(10))?;
        // The effects sink and the lookups hold the state weakly: the state owns them.
        Ok(AppState(Arc::new_cyclic(|weak| Inner {
            domain: Domain {
                db,
                settings,
                clock: Clock::default(),
                effects: Arc::new(effects::FederationEffects::new(weak.clone())),
                remote: Arc::new(successor::FederationLookups::new(weak.clone())),
                search: Default::default(),
                policy: Default::default(),
                writes,
            },
            queue_notify: Notify::new(),
            client,
            guard,
            docs: doc_cache::DocCache::default(),
            inbox_quota: limits::HostQuota::default(),
            verified: fetch::VerifiedActors::default(),
            signers: Mutex::new(HashMap::new()),
        })))
    }

    /// A signer for a local actor, parsed once and kept.
    pub async fn signer(&self, actor: &actor::Model) -> anyhow::Result<Arc<signatures::Signer>> {
        // An actor of a large import may still wait for its key pair: make it now.
        let keyed;
        let actor = if directory::keys::missing(actor) {
            keyed = directory::keys::ensure(&self.db, actor).await?;
            &keyed
        } else {
            actor
        };
        let mut map = self.signers.lock().await;
        if let Some(s) = map.get(&actor.id) {
            return Ok(s.clone());
        }
        let pem = actor
            .private_key_pem
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("actor {} has no private key", actor.ap_id))?;
        let signer = Arc::new(signatures::Signer::from_pem(
            pem,
            format!("{}#main-key", actor.ap_id),
        )?);
        map.insert(actor.id, signer.clone());
        Ok(signer)
    }

    /// The federation crate's configuration: domain, our client, signed fetches by the
    /// instance actor, debug mode only with `--dev`.
    pub async fn federation_config(&self) -> anyhow::Result<FederationConfig<AppState>> {
        let instance = directory::instance_actor(&self.db, self).await?;
        let client = http_client(self.guard.clone(), Duration::from_secs(10))?;
        let config = FederationConfig::builder()
            .domain(self.settings.domain.clone())
            .app_data(self.clone())
            .client(client.into())
            .debug(self.settings.dev)
            .http_signature_compat(true)
            .http_fetch_limit(FETCH_BUDGET)
            .url_verifier(Box::new(policy::UrlPolicy(self.clone())))
            .signed_fetch_actor(&actors::ApActor::new(instance)?)
            .build()
            .await?;
        Ok(config)
    }
}
