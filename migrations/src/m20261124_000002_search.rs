//! Full-text search of listings: one `listing_search` row per offering (written by
//! `coopdir::directory::search::reindex`), indexed by FTS5 on SQLite and by a generated
//! `tsvector` column with a GIN index on PostgreSQL.
//!
//! The table itself is a SeaQuery builder like every other one; the index is necessarily
//! specific to each database, so it is created with the SQL of that database. Both indexes
//! rank a match in `name` well above a match in `body` (FTS5 `bm25` column weights, and
//! `tsvector` weight A against B).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000002_search"
    }
}

#[derive(Iden)]
enum Actor {
    Table,
    Id,
}

#[derive(Iden)]
enum ListingSearch {
    Table,
    ActorId,
    Fingerprint,
    Name,
    Body,
}

/// SQLite: an external-content FTS5 table over `listing_search`, kept in step by triggers
/// (the pattern of <https://sqlite.org/fts5.html#external_content_tables>). `rowid` is the
/// actor id. The text is already folded to lower-case words by the application, so the
/// plain `unicode61` tokenizer sees the same words PostgreSQL does.
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE listing_fts USING fts5(name, body, content='listing_search', \
     content_rowid='actor_id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER listing_search_ai AFTER INSERT ON listing_search BEGIN \
     INSERT INTO listing_fts(rowid, name, body) VALUES (new.actor_id, new.name, new.body); END",
    "CREATE TRIGGER listing_search_ad AFTER DELETE ON listing_search BEGIN \
     INSERT INTO listing_fts(listing_fts, rowid, name, body) \
     VALUES ('delete', old.actor_id, old.name, old.body); END",
    "CREATE TRIGGER listing_search_au AFTER UPDATE ON listing_search BEGIN \
     INSERT INTO listing_fts(listing_fts, rowid, name, body) \
     VALUES ('delete', old.actor_id, old.name, old.body); \
     INSERT INTO listing_fts(rowid, name, body) VALUES (new.actor_id, new.name, new.body); END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS listing_search_au",
    "DROP TRIGGER IF EXISTS listing_search_ad",
    "DROP TRIGGER IF EXISTS listing_search_ai",
    "DROP TABLE IF EXISTS listing_fts",
];

/// PostgreSQL: a stored generated `tsvector` (the `simple` configuration: no stemming and
/// no stop words, since listings are written in many languages) and a GIN index on it.
const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE listing_search ADD COLUMN tsv tsvector GENERATED ALWAYS AS \
     (setweight(to_tsvector('simple'::regconfig, name), 'A') || \
      setweight(to_tsvector('simple'::regconfig, body), 'B')) STORED",
    "CREATE INDEX listing_search_tsv ON listing_search USING GIN (tsv)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ListingSearch::Table)
                    .col(
                        ColumnDef::new(ListingSearch::ActorId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ListingSearch::Fingerprint)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ListingSearch::Name).text().not_null())
                    .col(ColumnDef::new(ListingSearch::Body).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListingSearch::Table, ListingSearch::ActorId)
                            .to(Actor::Table, Actor::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DbBackend::Sqlite => SQLITE_UP,
            DbBackend::Postgres => POSTGRES_UP,
            _ => &[],
        };
        let db = manager.get_connection();
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            let db = manager.get_connection();
            for sql in SQLITE_DOWN {
                db.execute_unprepared(sql).await?;
            }
        }
        manager
            .drop_table(Table::drop().table(ListingSearch::Table).to_owned())
            .await
    }
}
