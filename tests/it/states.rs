//! The database refuses unknown words in the state and kind columns (migration
//! `m20261207_000015_state_checks`), on SQLite and PostgreSQL alike.

use crate::common::*;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};

const ACTOR_COLUMNS: &str = "ap_id, kind, username, domain, name, summary, inbox, public_key_pem, \
     local, status, also_known_as, moderation, created_at, updated_at";

fn actor_values(n: u32, kind: &str, status: &str, moderation: &str) -> String {
    format!(
        "'https://a.example/actors/a{n}', '{kind}', 'a{n}', 'a.example', 'A', '', \
         'https://a.example/actors/a{n}/inbox', 'key', FALSE, '{status}', '[]', '{moderation}', \
         CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
    )
}

async fn run(db: &DatabaseConnection, sql: &str) -> Result<(), String> {
    db.execute_unprepared(sql)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The write fails, and the message names the column's check.
async fn refused(db: &DatabaseConnection, sql: &str, table: &str, column: &str) {
    let err = run(db, sql)
        .await
        .expect_err(&format!("the database accepted: {sql}"));
    assert!(
        err.contains(&format!("{table}_{column}_known"))
            || err.contains(&format!("unknown {table}.{column}")),
        "{sql}: {err}"
    );
}

#[tokio::test]
async fn the_database_refuses_unknown_states_and_kinds() {
    let t = TestDb::new().await;
    let db = coopdir::db::connect(&t.url).await.unwrap();
    coopdir::db::migrate(&db).await.unwrap();

    // Known words are accepted ...
    run(
        &db,
        &format!(
            "INSERT INTO actor ({ACTOR_COLUMNS}) VALUES ({})",
            actor_values(1, "offering", "active", "approved")
        ),
    )
    .await
    .unwrap();
    run(
        &db,
        "INSERT INTO activity (ap_id, actor_id, kind, payload, created_at) \
         SELECT 'https://a.example/activities/1', id, 'Create', '{}', CURRENT_TIMESTAMP FROM actor",
    )
    .await
    .unwrap();
    run(
        &db,
        "INSERT INTO delivery (activity_id, inbox, host, state, attempts, next_attempt_at, created_at) \
         SELECT id, 'https://b.example/inbox', 'b.example', 'pending', 0, CURRENT_TIMESTAMP, \
         CURRENT_TIMESTAMP FROM activity",
    )
    .await
    .unwrap();
    run(
        &db,
        "INSERT INTO announcement (ap_id, actor_id, kind, source, content_html, tags, published, deleted) \
         SELECT 'https://a.example/notes/1', id, 'news', 'Hi', '<p>Hi</p>', '[]', CURRENT_TIMESTAMP, \
         FALSE FROM actor",
    )
    .await
    .unwrap();
    run(
        &db,
        "UPDATE actor SET moderation = 'hidden', status = 'sunsetting'",
    )
    .await
    .unwrap();
    run(&db, "UPDATE delivery SET state = 'delivered'")
        .await
        .unwrap();

    // ... and any other word is refused, on insert and on update.
    for (kind, status, moderation, column) in [
        ("robot", "active", "approved", "kind"),
        ("offering", "zombie", "approved", "status"),
        ("offering", "active", "Approved", "moderation"),
    ] {
        let sql = format!(
            "INSERT INTO actor ({ACTOR_COLUMNS}) VALUES ({})",
            actor_values(2, kind, status, moderation)
        );
        refused(&db, &sql, "actor", column).await;
    }
    refused(&db, "UPDATE actor SET kind = 'robot'", "actor", "kind").await;
    refused(&db, "UPDATE actor SET status = ''", "actor", "status").await;
    refused(
        &db,
        "UPDATE actor SET moderation = 'banned'",
        "actor",
        "moderation",
    )
    .await;
    refused(
        &db,
        "UPDATE delivery SET state = 'lost'",
        "delivery",
        "state",
    )
    .await;
    refused(
        &db,
        "UPDATE announcement SET kind = 'gossip'",
        "announcement",
        "kind",
    )
    .await;
    // Nothing was changed by the refused writes.
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM actor WHERE kind = 'offering' AND moderation = 'hidden'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);

    // Without the checks (`down`) an unknown word gets in; `up` then names it instead of
    // adding a check the data breaks, and runs once the row is corrected.
    // Step back to just before the checks: migration 000015 and every later one.
    let from_checks = Migrator::migrations()
        .iter()
        .filter(|m| m.name() >= "m20261207_000015")
        .count();
    Migrator::down(&db, Some(u32::try_from(from_checks).unwrap()))
        .await
        .unwrap();
    run(&db, "UPDATE actor SET moderation = 'banned'")
        .await
        .unwrap();
    let err = Migrator::up(&db, None).await.unwrap_err().to_string();
    assert!(
        err.contains("actor.moderation") && err.contains("banned"),
        "{err}"
    );
    run(&db, "UPDATE actor SET moderation = 'suspended'")
        .await
        .unwrap();
    Migrator::up(&db, None).await.unwrap();
    refused(
        &db,
        "UPDATE actor SET moderation = 'banned'",
        "actor",
        "moderation",
    )
    .await;
}
