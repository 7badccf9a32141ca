//! A cheap version of the `actor` table for the search index (src/directory/search.rs):
//! an index on `updated_at` (every insert and update sets it), and a counter of deleted
//! offerings and co-ops that a trigger keeps, since a delete leaves no `updated_at`
//! behind. The index checks `MAX(id)`, `MAX(updated_at)` and the counter, three index
//! lookups, instead of scanning the table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000007_search_version"
    }
}

const POSTGRES_UP: &[&str] = &[
    "CREATE INDEX IF NOT EXISTS actor_updated_at ON actor (updated_at)",
    "CREATE TABLE IF NOT EXISTS search_deletions (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
    "INSERT INTO search_deletions (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
    "CREATE OR REPLACE FUNCTION search_deletions_count() RETURNS trigger LANGUAGE plpgsql AS \
     $$ BEGIN UPDATE search_deletions SET n = n + 1 WHERE id = 1; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS search_deletions_count ON actor",
    "CREATE TRIGGER search_deletions_count AFTER DELETE ON actor FOR EACH ROW \
     WHEN (OLD.kind IN ('offering', 'coop')) EXECUTE FUNCTION search_deletions_count()",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS search_deletions_count ON actor",
    "DROP FUNCTION IF EXISTS search_deletions_count()",
    "DROP TABLE IF EXISTS search_deletions",
    "DROP INDEX IF EXISTS actor_updated_at",
];

const SQLITE_UP: &[&str] = &[
    "CREATE INDEX IF NOT EXISTS actor_updated_at ON actor (updated_at)",
    "CREATE TABLE IF NOT EXISTS search_deletions (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO search_deletions (id, n) VALUES (1, 0)",
    "CREATE TRIGGER IF NOT EXISTS search_deletions_count AFTER DELETE ON actor \
     WHEN old.kind IN ('offering', 'coop') BEGIN \
     UPDATE search_deletions SET n = n + 1 WHERE id = 1; END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS search_deletions_count",
    "DROP TABLE IF EXISTS search_deletions",
    "DROP INDEX IF EXISTS actor_updated_at",
];

async fn run(manager: &SchemaManager<'_>, postgres: &[&str], sqlite: &[&str]) -> Result<(), DbErr> {
    let statements = match manager.get_database_backend() {
        DbBackend::Postgres => postgres,
        _ => sqlite,
    };
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_UP, SQLITE_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_DOWN, SQLITE_DOWN).await
    }
}
