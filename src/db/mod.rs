//! Database connection and entities. SQLite is the embedded default; PostgreSQL is chosen
//! by URL. Both run the same migrations from `migrations/`.

pub mod entities;
pub mod signing;
pub mod states;
pub mod writes;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
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
        // Set on every connection of the pool as it opens (a PRAGMA sent through the pool
        // reaches one connection only). WAL lets readers run beside the writer and, with
        // `synchronous = NORMAL`, a commit does not wait for fsync (a crash may lose the
        // latest commits, never corrupt the file); busy_timeout makes a command run beside
        // a serving node wait for the lock instead of failing.
        opts.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        opts.max_connections(16);
    }
    let db = Database::connect(opts)
        .await
        .with_context(|| format!("cannot connect to the database {}", redact(url)))?;
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

#[cfg(test)]
mod pragma_tests {
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

    /// Each connection of the pool has the settings, not only the first one: four
    /// transactions at once hold four connections.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_sqlite_connection_of_the_pool_has_the_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/p.db?mode=rwc", dir.path().display());
        let db = super::connect(&url).await.unwrap();
        let mut txs = Vec::new();
        for _ in 0..4 {
            txs.push(db.begin().await.unwrap());
        }
        for tx in &txs {
            let mut got = Vec::new();
            for p in [
                "journal_mode",
                "synchronous",
                "busy_timeout",
                "foreign_keys",
            ] {
                let row = tx
                    .query_one_raw(Statement::from_string(
                        tx.get_database_backend(),
                        format!("PRAGMA {p}"),
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                let v = row
                    .try_get_by_index::<String>(0)
                    .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                    .unwrap();
                got.push(v.to_lowercase());
            }
            // synchronous 1 = NORMAL.
            assert_eq!(got, ["wal", "1", "10000", "1"]);
        }
    }
}
