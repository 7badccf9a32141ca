//! What this process wrote to the tables the directory's pages are read from, as seen by
//! the statements of its database connection (sea-orm's metric callback sees every
//! statement sent through it, inside transactions too).
//!
//! A page kept in memory can be served again without asking the database whether anything
//! changed when this process wrote nothing to those tables since it last asked and that
//! question is recent (`Writes::quiet_since`). What another process writes (a `coopdir`
//! command, another node on the same PostgreSQL database) is seen at the next question,
//! at most [`Writes::FRESH`] later.

use sea_orm::DatabaseConnection;
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// The tables whose rows the directory's kept pages show: listings and their owners
/// (`actor`, with `search_deletions` that a trigger bumps), and the probes' outcomes.
const WATCHED: [&str; 3] = ["actor", "listing_probe", "search_deletions"];

/// Counts this process's writes to the watched tables.
#[derive(Debug)]
pub struct Writes {
    /// Writes seen since the process started.
    count: AtomicU64,
    /// When the latest was seen, in microseconds since `epoch`.
    last_us: AtomicU64,
    epoch: Instant,
}

/// What `Writes` was at one moment: taken before a page's data is read from the database.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    count: u64,
    at: Instant,
    /// The latest write was this long before `at` (or none was seen).
    settled: bool,
}

impl Default for Writes {
    fn default() -> Self {
        Writes {
            count: AtomicU64::new(0),
            last_us: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }
}

impl Writes {
    /// How long what was read stays trusted without asking again: the longest another
    /// process's write goes unseen.
    pub const FRESH: Duration = Duration::from_secs(1);
    /// How long after this process's latest write a read is not trusted beyond its own
    /// request: the write's transaction may not have committed when it was read.
    pub const SETTLE: Duration = Duration::from_secs(1);

    /// Watch the statements of `db` (replaces any metric callback it had).
    pub fn watch(db: &mut DatabaseConnection) -> Arc<Writes> {
        let writes = Arc::new(Writes::default());
        let w = writes.clone();
        db.set_metric_callback(move |info| {
            if writes_watched(&info.statement.sql) {
                w.saw();
            }
        });
        writes
    }

    fn saw(&self) {
        let us = self.epoch.elapsed().as_micros() as u64;
        self.last_us.store(us.max(1), Ordering::Release);
        self.count.fetch_add(1, Ordering::AcqRel);
    }

    /// The moment before reading: compare it with `quiet_since` later.
    pub fn mark(&self) -> Mark {
        let count = self.count.load(Ordering::Acquire);
        let last = self.last_us.load(Ordering::Acquire);
        let at = Instant::now();
        let since = at.duration_since(self.epoch).as_micros() as u64;
        Mark {
            count,
            at,
            settled: last == 0 || since.saturating_sub(last) >= Self::SETTLE.as_micros() as u64,
        }
    }

    /// Whether what was read after `mark` is still what the database holds, as far as
    /// this process can tell without asking it: no write of this process since, none
    /// shortly before, and `mark` younger than [`Self::FRESH`].
    pub fn quiet_since(&self, mark: &Mark) -> bool {
        mark.settled
            && self.count.load(Ordering::Acquire) == mark.count
            && mark.at.elapsed() < Self::FRESH
    }
}

/// Whether a statement may change a watched table: an INSERT, UPDATE or REPLACE of one of
/// them, any DELETE (a foreign key may cascade into them), and anything else that is not
/// a read (DDL, a `WITH` that may write). Reads: `SELECT`, `PRAGMA`, `EXPLAIN`, and the
/// transaction statements themselves.
fn writes_watched(sql: &str) -> bool {
    let s = sql.trim_start();
    let word = s
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let upper = |w: &str, name: &str| w.eq_ignore_ascii_case(name);
    if [
        "SELECT",
        "PRAGMA",
        "EXPLAIN",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT",
        "RELEASE",
    ]
    .iter()
    .any(|r| upper(word, r))
    {
        return false;
    }
    let table = if upper(word, "INSERT") || upper(word, "REPLACE") {
        // INSERT [OR …] INTO <table>
        s.split_whitespace()
            .skip_while(|w| !upper(w, "INTO"))
            .nth(1)
    } else if upper(word, "UPDATE") {
        // UPDATE [OR …] <table>
        s.split_whitespace().skip(1).find(|w| {
            !upper(w, "OR")
                && !["ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE"]
                    .iter()
                    .any(|x| upper(w, x))
        })
    } else {
        return true;
    };
    let Some(table) = table else { return true };
    let name = table
        .split('(')
        .next()
        .unwrap_or("")
        .trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']');
    let name = name.rsplit('.').next().unwrap_or(name).trim_matches('"');
    WATCHED.iter().any(|t| name.eq_ignore_ascii_case(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_to_the_watched_tables_are_told_from_the_others() {
        for (sql, watched) in [
            ("SELECT * FROM actor", false),
            ("  select 1", false),
            ("PRAGMA journal_mode = WAL", false),
            ("INSERT INTO \"actor\" (\"id\") VALUES ($1)", true),
            ("INSERT INTO actor(id) VALUES (1)", true),
            (
                "insert or replace into listing_probe (actor_id) values (1)",
                true,
            ),
            (
                "INSERT INTO \"received_activity\" (\"activity_id\", \"actor_id\") VALUES ($1, $2)",
                false,
            ),
            (
                "INSERT INTO \"delivery\" (\"inbox\") SELECT inbox FROM actor",
                false,
            ),
            ("UPDATE \"actor\" SET \"name\" = $1", true),
            ("UPDATE OR IGNORE actor SET name = 'x'", true),
            ("UPDATE \"delivery\" SET \"state\" = 'done'", false),
            ("UPDATE public.\"actor\" SET name = 'x'", true),
            ("UPDATE search_deletions SET n = n + 1", true),
            ("DELETE FROM \"follow\" WHERE id = 1", true),
            ("WITH x AS (SELECT 1) UPDATE actor SET name = 'y'", true),
            ("CREATE INDEX a ON actor (id)", true),
        ] {
            assert_eq!(writes_watched(sql), watched, "{sql}");
        }
    }

    #[test]
    fn a_mark_is_trusted_until_a_write_or_until_it_is_no_longer_fresh() {
        let w = Writes::default();
        let m = w.mark();
        assert!(w.quiet_since(&m), "nothing written");
        w.saw();
        assert!(!w.quiet_since(&m), "a write after the mark");
        // Right after a write, a new mark is not trusted: its transaction may be open.
        let m = w.mark();
        assert!(!w.quiet_since(&m));
        let old = Mark {
            at: Instant::now() - Writes::FRESH,
            ..w.mark()
        };
        assert!(!w.quiet_since(&old), "older than FRESH");
    }
}
