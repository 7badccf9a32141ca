//! Serialized documents of local actors (actor JSON, WebFinger answers), kept in memory so
//! that the requests every remote server makes over and over (Mastodon fetches an actor
//! on each mention, follow and signature check) are answered without the database.
//!
//! An entry is served only while the cache's generation is the one it was made under, and
//! for at most [`TTL`]. The generation moves on:
//! - in this process, right after a change to a local actor is written (profile updates,
//!   moderation, transfers, deletions: the paths that also federate the change);
//! - for changes made by other processes (`coopdir` commands, other `serve` processes on
//!   one database), when [`DocCache::watch`] sees the local actors' row count or latest
//!   `updated_at` move: it looks once per [`WATCH_EVERY`].
//!
//! So a change made in this process is served at once, one made elsewhere within about a
//! second, and nothing is served older than [`TTL`]. Before a worker sends an `Update`,
//! `Move` or `Delete` it moves the generation on too, so the server that receives one and
//! refetches the actor gets the new document from the process that sent it.

use bytes::Bytes;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// The longest an entry is served, whatever the generation says.
pub const TTL: Duration = Duration::from_secs(5);
/// How often [`DocCache::watch`] looks for changes made by other processes.
pub const WATCH_EVERY: Duration = Duration::from_secs(1);
/// Entries kept at most; the cache is emptied when it is full.
const MAX_ENTRIES: usize = 4096;

struct Entry {
    generation: u64,
    at: Instant,
    content_type: &'static str,
    body: Bytes,
}

#[derive(Default)]
pub struct DocCache {
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
    /// What the watch saw last: local actors' count and latest update.
    seen: Mutex<Option<String>>,
}

impl DocCache {
    /// The generation to make a new entry under: read it before reading the database, so a
    /// change that lands meanwhile makes the entry stale at once.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A fresh entry: its content type and body.
    pub fn get(&self, key: &str) -> Option<(&'static str, Bytes)> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(key)?;
        (e.generation == self.generation() && e.at.elapsed() < TTL)
            .then(|| (e.content_type, e.body.clone()))
    }

    pub fn put(&self, key: String, generation: u64, content_type: &'static str, body: Bytes) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(
                key,
                Entry {
                    generation,
                    at: Instant::now(),
                    content_type,
                    body,
                },
            );
        }
    }

    /// Forget every entry: a local actor changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Look once for changes to local actors made by other processes.
    pub async fn watch(&self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let backend = db.get_database_backend();
        let row = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT COUNT(*) AS n, CAST(MAX(updated_at) AS TEXT) AS latest FROM actor \
                 WHERE local = TRUE",
            ))
            .await?;
        let now = row.map(|r| {
            let n: i64 = r.try_get("", "n").unwrap_or_default();
            let latest: Option<String> = r.try_get("", "latest").unwrap_or_default();
            format!("{n} {}", latest.unwrap_or_default())
        });
        let mut seen = self
            .seen
            .lock()
            .map_err(|_| sea_orm::DbErr::Custom("doc cache lock poisoned".into()))?;
        if *seen != now {
            if seen.is_some() {
                self.invalidate();
            }
            *seen = now;
        }
        Ok(())
    }

    /// Run [`DocCache::watch`] until shutdown.
    pub async fn run_watch(
        state: super::AppState,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if let Err(e) = state.docs.watch(&state.db).await {
                tracing::warn!(error = %e, "cannot check local actors for changes");
                state.docs.invalidate();
            }
            tokio::select! {
                _ = tokio::time::sleep(WATCH_EVERY) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_served_until_the_generation_moves() {
        let c = DocCache::default();
        let g = c.generation();
        c.put("a".into(), g, "x/y", Bytes::from_static(b"one"));
        assert_eq!(c.get("a").unwrap().1, Bytes::from_static(b"one"));
        c.invalidate();
        assert!(c.get("a").is_none());
        // An entry made from a read that started before the change is stale at once.
        c.put("b".into(), g, "x/y", Bytes::from_static(b"old"));
        assert!(c.get("b").is_none());
    }
}
