//! What a domain function needs to run: the database, the node's settings, its clock, the search caches, the
//! sink for effects that the federation layer turns into activities, and the lookups of
//! actors on other servers that it answers. The node's state (above this layer) holds
//! one and dereferences to it, so handlers and workers pass `&state` where a `&Domain` is
//! asked for.

use super::{effects::Effects, remote::RemoteActors};
use crate::config::Settings;
use sea_orm::DatabaseConnection;
use std::{sync::Arc, time::Duration};
use url::Url;

/// The domain's context.
pub struct Domain {
    pub db: DatabaseConnection,
    pub settings: Settings,
    /// The delivery queue's clock.
    pub clock: Clock,
    /// Where domain functions record what happened (see [`super::effects`]).
    pub effects: Arc<dyn Effects>,
    /// Lookups of actors on other servers (see [`super::remote`]).
    pub remote: Arc<dyn RemoteActors>,
    /// What search keeps between requests: its index, listings and result pages.
    pub search: super::search::Caches,
    /// The domain rules in memory, for checks on every request (see [`super::policy`]).
    pub policy: super::policy::PolicyCache,
    /// This process's writes to the tables the kept pages show (see [`crate::db::writes`]).
    pub writes: std::sync::Arc<crate::db::writes::Writes>,
}

impl Domain {
    pub fn base(&self) -> &Url {
        &self.settings.public_url
    }

    pub fn url(&self, path: &str) -> Url {
        self.settings
            .public_url
            .join(path)
            .unwrap_or_else(|_| self.settings.public_url.clone())
    }

    pub fn actor_url(&self, username: &str) -> Url {
        self.url(&format!("/actors/{username}"))
    }
}

/// The clock of the delivery queue (when a delivery is due, its backoff, when it is given
/// up, host health): the wall clock plus an offset, which tests advance to play days of a
/// peer's downtime in seconds. The offset is zero in every running node.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: std::sync::atomic::AtomicI64,
}

impl Clock {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
            + chrono::Duration::milliseconds(
                self.offset_ms.load(std::sync::atomic::Ordering::Relaxed),
            )
    }

    /// Move this clock forward (tests only; see the type's documentation).
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(
            i64::try_from(by.as_millis()).unwrap_or(i64::MAX),
            std::sync::atomic::Ordering::Relaxed,
        );
    }
}
