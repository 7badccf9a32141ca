//! The node's recurring work that spans both layers: the lifecycle tick of the domain and
//! the federation layer's housekeeping (old deliveries, received ids, peers' backlogs),
//! and the worker that makes key pairs for actors imported without one.

use crate::{
    directory::{keys, lifecycle},
    federation::{self, AppState},
};
use chrono::Utc;
use std::time::Duration;
use tokio::sync::watch;

/// Run [`lifecycle::tick`] at start and then every hour until `shutdown`, with the
/// federation layer's scheduled work.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(e) = lifecycle::tick(&state, Utc::now().date_naive()).await {
            tracing::warn!(error = %e, "lifecycle tick failed");
        }
        // Finished deliveries are kept a week, for `coopdir deliveries` and debugging.
        if let Err(e) =
            federation::queue::prune(&state.db, Duration::from_secs(7 * 24 * 3600)).await
        {
            tracing::warn!(error = %e, "pruning old deliveries failed");
        }
        federation::scheduled(&state).await;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
}

/// The running node's key worker: keys for actors imported without one, soon after the
/// import (also one run by another process), checked every few seconds.
pub async fn keys(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        match keys::fill(&state.db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(keys = n, "key pairs made for imported actors"),
            Err(e) => tracing::warn!(error = %e, "making key pairs of imported actors"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(3)) => {}
            _ = shutdown.wait_for(|v| *v) => return,
        }
    }
}
