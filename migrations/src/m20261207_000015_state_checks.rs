//! The database refuses unknown words in the state and kind columns that the code reads as
//! enums (`src/db/states.rs`): `actor.kind`, `actor.status`, `actor.moderation`,
//! `delivery.state` and `announcement.kind`.
//! - PostgreSQL: a `CHECK (col IN (…))` constraint per column.
//! - SQLite: `BEFORE INSERT` and `BEFORE UPDATE OF col` triggers that `RAISE(ABORT, …)`,
//!   since SQLite adds a CHECK only by rebuilding the table.
//!
//! Before adding them, `up` counts the rows that hold another word and stops with a
//! message naming the column and the words found, so an unexpected row is reported
//! instead of being refused later by some unrelated write.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000015_state_checks"
    }
}

/// Table, column and the words it may hold. A landed migration is never edited: a new
/// word is added by a new migration that replaces the check.
pub const CHECKS: &[(&str, &str, &[&str])] = &[
    (
        "actor",
        "kind",
        &["instance", "coop", "offering", "group", "person", "remote"],
    ),
    (
        "actor",
        "status",
        &["active", "sunsetting", "closed", "transferred"],
    ),
    (
        "actor",
        "moderation",
        &["pending", "approved", "hidden", "suspended", "removed"],
    ),
    (
        "delivery",
        "state",
        &["pending", "delivered", "rejected", "failed"],
    ),
    (
        "announcement",
        "kind",
        &[
            "news",
            "maintenance",
            "price",
            "capacity",
            "sunset",
            "transfer",
        ],
    ),
];

fn word_list(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of the constraint (PostgreSQL) or the stem of the triggers' names (SQLite).
fn check_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_known")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        if !matches!(backend, DbBackend::Sqlite | DbBackend::Postgres) {
            return Ok(());
        }
        let db = manager.get_connection();
        for (table, column, words) in CHECKS {
            let list = word_list(words);
            let found = db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT DISTINCT \"{column}\" AS word FROM \"{table}\" \
                         WHERE \"{column}\" NOT IN ({list})"
                    ),
                ))
                .await?;
            if !found.is_empty() {
                let words: Vec<String> = found
                    .iter()
                    .filter_map(|r| r.try_get::<String>("", "word").ok())
                    .collect();
                return Err(DbErr::Migration(format!(
                    "{table}.{column} holds words this version does not know: {}; \
                     expected one of {list}. Correct those rows, then migrate again.",
                    words.join(", ")
                )));
            }
        }
        for (table, column, words) in CHECKS {
            let list = word_list(words);
            let name = check_name(table, column);
            let statements = match backend {
                DbBackend::Postgres => vec![format!(
                    "ALTER TABLE \"{table}\" ADD CONSTRAINT \"{name}\" \
                     CHECK (\"{column}\" IN ({list}))"
                )],
                _ => ["INSERT", &format!("UPDATE OF \"{column}\"")]
                    .iter()
                    .zip(["insert", "update"])
                    .map(|(event, suffix)| {
                        format!(
                            "CREATE TRIGGER \"{name}_{suffix}\" BEFORE {event} ON \"{table}\" \
                             WHEN NEW.\"{column}\" NOT IN ({list}) \
                             BEGIN SELECT RAISE(ABORT, 'unknown {table}.{column}'); END"
                        )
                    })
                    .collect(),
            };
            for sql in statements {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        for (table, column, _) in CHECKS {
            let name = check_name(table, column);
            let statements = match backend {
                DbBackend::Postgres => vec![format!(
                    "ALTER TABLE \"{table}\" DROP CONSTRAINT IF EXISTS \"{name}\""
                )],
                DbBackend::Sqlite => vec![
                    format!("DROP TRIGGER IF EXISTS \"{name}_insert\""),
                    format!("DROP TRIGGER IF EXISTS \"{name}_update\""),
                ],
                _ => vec![],
            };
            for sql in statements {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }
}
