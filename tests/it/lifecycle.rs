//! Sunset with notice and reminders, transfer by `Move` to a successor on the same or
//! another node, and edits and withdrawals of announcements, between real nodes.

use crate::common::*;
use chrono::{Days, Utc};
use coopdir::{
    db::entities::{activity, announcement, following},
    directory::{announcements, lifecycle, listing::ListingDocument, transfers},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

async fn latest_announcement(a: &TestNode) -> announcement::Model {
    announcement::Entity::find()
        .order_by_desc(announcement::Column::Id)
        .one(&a.state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sunset_keeps_its_promised_notice_and_reminds_followers() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    a.import("rheinmeet.json", RHEINMEET).await;
    let url = a.url("/actors/meetcoop_bbb");
    b.follow(&url).await;
    let offering = a.local("meetcoop_bbb").await;
    let today = Utc::now().date_naive();
    let sent_before = activity::Entity::find().count(&a.state.db).await.unwrap();

    // Too short a notice: refused, nothing sent.
    let err = lifecycle::sunset(&a.state, &offering, today + Days::new(30), today)
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("90 days") && msg.contains(&(today + Days::new(90)).to_string()),
        "{msg}"
    );
    assert_eq!(
        activity::Entity::find().count(&a.state.db).await.unwrap(),
        sent_before
    );

    let end = today + Days::new(100);
    lifecycle::sunset(&a.state, &offering, end, today)
        .await
        .unwrap();
    let note = latest_announcement(&a).await;
    assert_eq!(note.kind, AnnouncementKind::Sunset);
    b.wait_received(&format!("{}/activity", note.ap_id)).await;
    // The sunset names compatible alternatives as mentions.
    let n = actor_json(&note.ap_id).await;
    let mentions: Vec<&Value> = n["tag"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["type"] == "Mention")
        .collect();
    assert!(!mentions.is_empty(), "{n}");
    assert_eq!(
        mentions[0]["href"],
        a.url("/actors/meetcoop_rooms"),
        "same platform first"
    );
    assert!(mentions.iter().all(|m| m["href"] != url.as_str()));
    // The profile shows the end date.
    let doc = actor_json(&url).await;
    assert_eq!(doc["serviceStatus"], "sunsetting");
    assert_eq!(doc["sunsetEnd"], end.to_string());
    assert_eq!(
        doc["attachment"][1]["value"],
        format!("Sunsetting: last day of service {end}")
    );
    let again = lifecycle::sunset(&a.state, &a.local("meetcoop_bbb").await, end, today)
        .await
        .unwrap_err();
    assert!(again.to_string().contains("already sunsetting"), "{again}");

    // Reminders 30 and 7 days before, once each; closed on the end date.
    let r = lifecycle::tick(&a.state, today + Days::new(69))
        .await
        .unwrap();
    assert!(r.reminders.is_empty());
    let r = lifecycle::tick(&a.state, today + Days::new(70))
        .await
        .unwrap();
    assert_eq!(r.reminders.len(), 1);
    let reminder = latest_announcement(&a).await;
    assert!(
        reminder.source.contains("in 30 days"),
        "{}",
        reminder.source
    );
    b.wait_received(&format!("{}/activity", reminder.ap_id))
        .await;
    assert!(
        lifecycle::tick(&a.state, today + Days::new(71))
            .await
            .unwrap()
            .reminders
            .is_empty()
    );
    let r = lifecycle::tick(&a.state, today + Days::new(95))
        .await
        .unwrap();
    assert_eq!(r.reminders.len(), 1);
    assert!(latest_announcement(&a).await.source.contains("in 5 days"));
    // The end date is the last day of service; the offering closes the day after.
    assert!(
        lifecycle::tick(&a.state, end)
            .await
            .unwrap()
            .closed
            .is_empty()
    );
    let r = lifecycle::tick(&a.state, end + Days::new(1)).await.unwrap();
    assert_eq!(r.closed.len(), 1);
    assert_eq!(a.local("meetcoop_bbb").await.status, Status::Closed);
    let closing = latest_announcement(&a).await;
    b.wait_received(&format!("{}/activity", closing.ap_id))
        .await;
    assert!(
        lifecycle::tick(&a.state, end + Days::new(1))
            .await
            .unwrap()
            .closed
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_to_a_local_successor_moves_the_followers() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    a.import("rheinmeet.json", RHEINMEET).await;
    let old = a.url("/actors/meetcoop_bbb");
    let new = a.url("/actors/rheinmeet_bbb");
    b.follow(&old).await;

    let offering = a.local("meetcoop_bbb").await;
    // An admin acts for both co-ops of the node: the move happens at once.
    let admin = transfers::Acting::Admin("root".into());
    lifecycle::transfer(
        &a.state,
        &offering,
        lifecycle::TransferRequest {
            to: &format!("rheinmeet_bbb@{}", a.domain()),
            note: "",
            map: &[],
            preview: false,
            by: &admin,
        },
    )
    .await
    .unwrap();
    assert_eq!(actor_json(&new).await["alsoKnownAs"][0], old.as_str());
    let old_doc = actor_json(&old).await;
    assert_eq!(old_doc["movedTo"], new.as_str());
    assert_eq!(old_doc["serviceStatus"], "transferred");
    let mv = activity::Entity::find()
        .filter(activity::Column::Kind.eq("Move"))
        .one(&a.state.db)
        .await
        .unwrap()
        .unwrap();
    let payload: Value = serde_json::from_str(&mv.payload).unwrap();
    assert_eq!(payload["actor"], old.as_str());
    assert_eq!(payload["object"], old.as_str());
    assert_eq!(payload["target"], new.as_str());
    b.wait_received(&mv.ap_id).await;
    // B follows the successor by itself, and the successor accepts.
    b.wait_accepted(&new).await;
    assert!(
        following::Entity::find()
            .filter(following::Column::TargetApId.eq(old.as_str()))
            .one(&b.state.db)
            .await
            .unwrap()
            .is_none()
    );

    let again = lifecycle::transfer(
        &a.state,
        &a.local("meetcoop_bbb").await,
        lifecycle::TransferRequest {
            to: &new,
            note: "",
            map: &[],
            preview: false,
            by: &admin,
        },
    )
    .await
    .unwrap_err();
    assert!(again.to_string().contains("already transferred"), "{again}");
}

fn to<'a>(successor: &'a str, by: &'a transfers::Acting) -> lifecycle::TransferRequest<'a> {
    lifecycle::TransferRequest {
        to: successor,
        note: "",
        map: &[],
        preview: false,
        by,
    }
}

/// A successor outside coopdir (a Mastodon account) cannot answer an Offer: it must list
/// the origin in `alsoKnownAs`, and the refusal says how. A successor that already lists
/// the origin has consented: the move happens at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_outside_coopdir_needs_also_known_as() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    let c = TestNode::start().await;
    let mastodon = crate::security::Fake::start().await;
    let person = mastodon.actor("alice", "Person", serde_json::json!({}));
    a.import("meetcoop.toml", MEETCOOP).await;
    c.import("rheinmeet.json", RHEINMEET).await;
    let old = a.url("/actors/meetcoop_bbb");
    let new = c.url("/actors/rheinmeet_bbb");
    b.follow(&old).await;
    let offering = a.local("meetcoop_bbb").await;
    let sent_before = activity::Entity::find().count(&a.state.db).await.unwrap();
    let op = transfers::Acting::Operator;

    let err = lifecycle::transfer(&a.state, &offering, to(&person, &op))
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("alsoKnownAs") && msg.contains("Mastodon"),
        "{msg}"
    );
    assert_eq!(
        activity::Entity::find().count(&a.state.db).await.unwrap(),
        sent_before
    );
    assert_eq!(a.local("meetcoop_bbb").await.status, Status::Active);

    // The other co-op lists the old offering: its consent is on record, the move is at once.
    let mut doc: Value = serde_json::from_str(RHEINMEET).unwrap();
    doc["offerings"][1]["also_known_as"] = serde_json::json!([old]);
    let doc = ListingDocument::parse("rheinmeet.json", &doc.to_string()).unwrap();
    coopdir::directory::import(&c.state, &doc).await.unwrap();
    let out = lifecycle::transfer(&a.state, &offering, to(&new, &op))
        .await
        .unwrap();
    assert!(
        matches!(out, lifecycle::TransferOutcome::Moved { .. }),
        "{out:?}"
    );
    b.wait_accepted(&new).await;
    let followers = actor_json(&format!("{new}/followers")).await;
    assert_eq!(followers["totalItems"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_can_be_edited_and_withdrawn() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    b.follow(&a.url("/actors/meetcoop_bbb")).await;
    let author = a.local("meetcoop_bbb").await;
    let note = announcements::announce(
        &a.state,
        &author,
        coopdir::directory::types::AnnouncementKind::Price,
        "Prices stay.",
    )
    .await
    .unwrap();
    announcements::edit(&a.state, &note.ap_id, "Prices stay the same in 2027.")
        .await
        .unwrap();
    let n = actor_json(&note.ap_id).await;
    assert!(n["content"].as_str().unwrap().contains("in 2027"));
    assert!(n["updated"].is_string());
    let update = activity::Entity::find()
        .filter(activity::Column::Kind.eq("Update"))
        .filter(activity::Column::ObjectApId.eq(note.ap_id.as_str()))
        .one(&a.state.db)
        .await
        .unwrap()
        .unwrap();
    b.wait_received(&update.ap_id).await;
    announcements::withdraw(&a.state, &note.ap_id)
        .await
        .unwrap();
    let delete = activity::Entity::find()
        .filter(activity::Column::Kind.eq("Delete"))
        .one(&a.state.db)
        .await
        .unwrap()
        .unwrap();
    let payload: Value = serde_json::from_str(&delete.payload).unwrap();
    assert_eq!(payload["object"]["type"], "Tombstone");
    b.wait_received(&delete.ap_id).await;
    let gone = http()
        .get(&note.ap_id)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 410);
    let err = announcements::withdraw(&a.state, &note.ap_id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no announcement"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_sunset_sends_no_late_reminder() {
    let a = TestNode::start().await;
    let short = MEETCOOP.replace("notice_days = 90", "notice_days = 10");
    a.import("m.toml", &short).await;
    let offering = a.local("meetcoop_bbb").await;
    let today = Utc::now().date_naive();
    lifecycle::sunset(&a.state, &offering, today + Days::new(20), today)
        .await
        .unwrap();
    // 20 days left: the 30-day reminder is covered by the sunset announcement itself.
    assert!(
        lifecycle::tick(&a.state, today)
            .await
            .unwrap()
            .reminders
            .is_empty()
    );
    let r = lifecycle::tick(&a.state, today + Days::new(13))
        .await
        .unwrap();
    assert_eq!(r.reminders.len(), 1, "the 7-day reminder");
    assert!(r.reminders[0].contains("7 days"), "{:?}", r.reminders);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finished_deliveries_are_pruned() {
    use coopdir::{db::entities::delivery, federation::queue};
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    b.follow(&a.url("/actors/meetcoop_bbb")).await;
    assert!(delivery::Entity::find().count(&a.state.db).await.unwrap() > 0);
    assert_eq!(
        queue::prune(&a.state.db, std::time::Duration::from_secs(3600))
            .await
            .unwrap(),
        0
    );
    let n = queue::prune(&a.state.db, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert!(n > 0);
    assert_eq!(queue::stats(&a.state.db).await.unwrap().delivered, 0);
}

/// Actor documents and WebFinger answers are served from memory, yet a change made by
/// another process (`coopdir import` while `serve` runs) is served within about a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_documents_follow_a_change_made_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new().await;
    let port = free_port();
    let a = Proc::serve(port, dir.path(), &db.url).await;
    let file = dir.path().join("meetcoop.toml");
    std::fs::write(&file, MEETCOOP).unwrap();
    let out = a
        .command(&db.url, &["import", file.to_str().unwrap()])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = format!("http://localhost:{port}/actors/meetcoop_bbb");
    for _ in 0..3 {
        assert_eq!(actor_json(&url).await["name"], "meet.coop BigBlueButton");
    }
    std::fs::write(
        &file,
        MEETCOOP.replacen(
            "name = \"meet.coop BigBlueButton\"",
            "name = \"meet.coop rooms\"",
            1,
        ),
    )
    .unwrap();
    let out = a
        .command(&db.url, &["import", file.to_str().unwrap()])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let changed_at = std::time::Instant::now();
    eventually(5, "the new name is served", || async {
        (actor_json(&url).await["name"] == "meet.coop rooms").then_some(())
    })
    .await;
    assert!(
        changed_at.elapsed() < std::time::Duration::from_secs(3),
        "served {:?} after the change",
        changed_at.elapsed()
    );
}
