//! Database migrations of coopdir.
//!
//! Each migration is a SeaQuery builder that runs unchanged on SQLite and PostgreSQL.
//! A migration that has landed is never edited: changes go into a new one.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_init;
mod m20261124_000002_search;
mod m20261124_000003_lifecycle;
mod m20261124_000004_moderation;
mod m20261124_000005_peering;
mod m20261124_000006_sessions;
mod m20261125_000007_search_version;
mod m20261207_000008_transfer_consent;
mod m20261207_000009_inbox_limits;
mod m20261207_000011_listing_sources;
mod m20261207_000012_probes;
mod m20261207_000013_replies;
mod m20261207_000014_fasp_signatures;
mod m20261207_000015_state_checks;
mod m20261207_000016_announcement_languages;

/// The words each state or kind column may hold, as the database checks them.
pub use m20261207_000015_state_checks::CHECKS as STATE_CHECKS;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_init::Migration),
            Box::new(m20261124_000002_search::Migration),
            Box::new(m20261124_000003_lifecycle::Migration),
            Box::new(m20261124_000004_moderation::Migration),
            Box::new(m20261124_000005_peering::Migration),
            Box::new(m20261124_000006_sessions::Migration),
            Box::new(m20261125_000007_search_version::Migration),
            Box::new(m20261207_000008_transfer_consent::Migration),
            Box::new(m20261207_000009_inbox_limits::Migration),
            Box::new(m20261207_000011_listing_sources::Migration),
            Box::new(m20261207_000012_probes::Migration),
            Box::new(m20261207_000013_replies::Migration),
            Box::new(m20261207_000014_fasp_signatures::Migration),
            Box::new(m20261207_000015_state_checks::Migration),
            Box::new(m20261207_000016_announcement_languages::Migration),
        ]
    }
}
