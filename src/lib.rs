//! coopdir: a federated directory of cooperative service providers.
//!
//! Each node publishes its co-ops and their offerings as ActivityPub actors that members
//! find and follow from Mastodon; co-ops announce service changes to their followers;
//! nodes peer so each shows the whole federated directory. See docs/architecture.md.

#![recursion_limit = "256"]
// No panics on bad input: errors are values (DESIGN.md, Style 2); tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod config;
pub mod crypto;
pub mod db;
pub mod directory;
pub mod fasp;
pub mod federation;
pub mod html;
pub mod http;
pub mod i18n;
pub mod probes;
pub mod scheduler;
pub mod server;
pub mod sources;

use config::Settings;
use federation::AppState;
use tokio::{net::TcpListener, sync::watch};

/// A node ready to serve: its state and the federation configuration.
pub struct Node {
    pub state: AppState,
    pub config: activitypub_federation::config::FederationConfig<AppState>,
}

impl Node {
    /// Connect, migrate, and make sure the instance actor exists.
    pub async fn start(settings: Settings) -> anyhow::Result<Self> {
        let db = db::connect(&settings.database_url).await?;
        db::migrate(&db).await?;
        let state = AppState::new(db, settings)?;
        directory::search::ensure_index(&state.db, &state.search).await?;
        check_identity(&state).await?;
        let instance = directory::instance_actor(&state.db, &state).await?;
        if instance.name != state.settings.node_name {
            // The node was renamed: its instance actor follows, and its followers are told.
            // Only `serve` does this, so a command run without --node-name renames nothing.
            directory::rename_instance(&state, instance, &state.settings.node_name).await?;
        }
        let config = state.federation_config().await?;
        Ok(Node { state, config })
    }

    /// The router of this node.
    pub fn router(&self) -> axum::Router {
        http::app(self.config.clone())
    }

    /// Serve on `listener` with the delivery workers until `shutdown` turns true.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        let workers = tokio::spawn(federation::queue::run(self.state.clone(), shutdown.clone()));
        let scheduler = tokio::spawn(scheduler::run(self.state.clone(), shutdown.clone()));
        let watch = tokio::spawn(federation::doc_cache::DocCache::run_watch(
            self.state.clone(),
            shutdown.clone(),
        ));
        let keys = tokio::spawn(scheduler::keys(self.state.clone(), shutdown.clone()));
        let followed = tokio::spawn(sources::run(self.state.clone(), shutdown.clone()));
        let probes = tokio::spawn(probes::run(self.state.clone(), shutdown.clone()));
        let app = self.router();
        // Connection limits and timeouts: src/server.rs.
        server::serve(listener, app, &self.state.settings.http, shutdown).await?;
        let _ = workers.await;
        let _ = scheduler.await;
        let _ = watch.await;
        let _ = keys.await;
        let _ = followed.await;
        let _ = probes.await;
        Ok(())
    }
}

/// Make sure the database belongs to this node (its actor ids are on the configured public
/// URL) and that the node's own actors exist. Every command runs this before acting.
pub async fn check_identity(state: &AppState) -> anyhow::Result<()> {
    let instance = directory::instance_actor(&state.db, state).await?;
    let expected = state.actor_url(directory::INSTANCE_USERNAME);
    if instance.ap_id != expected.as_str() {
        anyhow::bail!(
            "this database belongs to the node whose instance actor is {}, but the public URL is now {}; \
             actor ids cannot change, so use --public-url {} with this database",
            instance.ap_id,
            state.base(),
            instance
                .ap_id
                .trim_end_matches(&format!("actors/{}", directory::INSTANCE_USERNAME))
        );
    }
    directory::video_group(&state.db, state).await?;
    Ok(())
}

/// Run `serve`: bind the configured address and serve until SIGINT or SIGTERM.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let listen = settings.listen;
    let public = settings.public_url.clone();
    let node = Node::start(settings).await?;
    let listener = TcpListener::bind(listen).await.map_err(|e| {
        anyhow::anyhow!("cannot listen on {listen}: {e}; choose another address with --listen")
    })?;
    tracing::info!(%listen, %public, "coopdir is serving");
    if public.scheme() != "https" {
        tracing::warn!(
            %public,
            "the public URL is not https: pages and the API work, but fediverse servers federate only over \
             https; put the node behind a TLS reverse proxy (docs/deployment.md)"
        );
    }
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        let _ = tx.send(true);
    });
    node.serve(listener, rx).await
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
