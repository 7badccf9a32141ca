//! Database connection and entities. SQLite is the embedded default; PostgreSQL is chosen
//! by URL. Both run the same migrations from `migrations/`.

pub mod entities;
pub mod signing;
pub mod states;
pub mod writes;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use std::time::Duration;

/// Connect to `url`, creating the SQLite file and its directory when needed.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        }
    }
    let mut opts = ConnectOptions::new(url.to_string());
    opts.connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // One writer at a time on SQLite; a small pool avoids lock contention.
        opts.max_connections(4).min_connections(1);
    } else {
        opts.max_connections(16);
    }
    let db = Database::connect(opts)
        .await
        .with_context(|| format!("cannot connect to the database {}", redact(url)))?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers run beside the writer; busy_timeout makes a CLI command run beside
        // a serving node wait for the lock instead of failing.
        db.execute_unprepared(
            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
             PRAGMA synchronous = NORMAL;",
        )
        .await?;
    }
    Ok(db)
}

/// Write transactions: `BEGIN IMMEDIATE` on SQLite, so that a transaction which reads
/// before it writes takes the write lock up front and waits for it (busy_timeout) instead
/// of failing with "database is locked" when another writer got there first. Plain `BEGIN`
/// elsewhere.
#[async_trait::async_trait]
pub trait BeginWrite {
    async fn begin_write(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr>;
}

#[async_trait::async_trait]
impl BeginWrite for DatabaseConnection {
    async fn begin_write(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        self.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
    }
}

/// Apply pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("database migration failed")?;
    Ok(())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}
