//! Several `coopdir serve` processes of one node on one database share the delivery
//! queue: no inbox gets an activity twice from two processes, and none is lost when one
//! process is killed. Runs on SQLite and on PostgreSQL (`FOR UPDATE SKIP LOCKED`).

use crate::common::*;
use coopdir::{
    Node,
    db::entities::{actor, follow},
    directory::{announcements::announce, types::AnnouncementKind},
    federation::AppState,
};
use sea_orm::{EntityTrait, Set};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

/// Inbox sinks: count every POSTed activity id per inbox, answering 202 after a short
/// delay so that a fan-out takes long enough to be interrupted.
type Counts = Arc<Mutex<HashMap<(String, String), u32>>>;

async fn sink(counts: Counts) -> u16 {
    let app = axum::Router::new().route(
        "/{user}/inbox",
        axum::routing::post(
            move |axum::extract::Path(user): axum::extract::Path<String>, body: String| {
                let counts = counts.clone();
                async move {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                    let id = v["id"].as_str().unwrap_or_default().to_string();
                    *counts.lock().unwrap().entry((user, id)).or_default() += 1;
                    axum::http::StatusCode::ACCEPTED
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

fn received(counts: &Counts, inboxes: &[String], ids: &[String]) -> (usize, usize) {
    let c = counts.lock().unwrap();
    let mut missing = 0;
    let mut duplicates = 0;
    for inbox in inboxes {
        for id in ids {
            match c.get(&(inbox.clone(), id.clone())).copied().unwrap_or(0) {
                0 => missing += 1,
                1 => {}
                n => duplicates += (n - 1) as usize,
            }
        }
    }
    (missing, duplicates)
}

/// A follower `user` of `author` whose inbox is on the loopback port `port`.
fn follower(author: &actor::Model, port: u16, user: &str) -> follow::ActiveModel {
    follow::ActiveModel {
        actor_id: Set(author.id),
        follower_ap_id: Set(format!("http://localhost:{port}/{user}")),
        follower_inbox: Set(format!("http://localhost:{port}/{user}/inbox")),
        follower_shared_inbox: Set(None),
        follow_activity_id: Set(format!("http://localhost:{port}/{user}/follow")),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
}

/// `hosts` sinks with `per_host` followers of `author` each; returns the inbox users.
async fn sink_followers(
    state: &AppState,
    author: &actor::Model,
    counts: &Counts,
    hosts: usize,
    per_host: usize,
) -> Vec<String> {
    let mut inboxes = Vec::new();
    for _ in 0..hosts {
        let port = sink(counts.clone()).await;
        let users: Vec<String> = (0..per_host).map(|u| format!("u{port}_{u}")).collect();
        follow::Entity::insert_many(users.iter().map(|u| follower(author, port, u)))
            .exec(&state.db)
            .await
            .unwrap();
        inboxes.extend(users);
    }
    inboxes
}

/// A node's database with the example co-op imported, written through a node in this
/// process that serves nothing: `coopdir serve` child processes deliver what it queues.
struct Shared {
    db: TestDb,
    public: u16,
    data: tempfile::TempDir,
    state: AppState,
    author: actor::Model,
}

impl Shared {
    async fn new() -> Shared {
        let db = TestDb::new().await;
        let public = free_port();
        let data = tempfile::tempdir().unwrap();
        let mut settings = settings(public, &db);
        settings.data_dir = data.path().to_path_buf();
        let node = Node::start(settings).await.unwrap();
        let state = node.state.clone();
        let doc = coopdir::directory::listing::ListingDocument::parse("m.toml", MEETCOOP).unwrap();
        coopdir::directory::import(&state, &doc).await.unwrap();
        let author = coopdir::directory::find_local(&state.db, "meetcoop_bbb")
            .await
            .unwrap()
            .unwrap();
        Shared {
            db,
            public,
            data,
            state,
            author,
        }
    }

    async fn serve(&self, extra: &[&str]) -> Proc {
        Proc::serve_with(
            free_port(),
            self.public,
            self.data.path(),
            &self.db.url,
            extra,
        )
        .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_the_queue_without_loss_or_duplicates() {
    // The node's state in this process writes the announcements; two serve processes of
    // the same node deliver them.
    let shared = Shared::new().await;
    let (state, author) = (&shared.state, &shared.author);
    // 5 hosts × 4 inboxes, each a follower.
    let counts: Counts = Arc::default();
    let inboxes = sink_followers(state, author, &counts, 5, 4).await;
    let extra = ["--delivery-lease", "3s", "--delivery-workers", "8"];
    let p1 = shared.serve(&extra).await;
    let p2 = shared.serve(&extra).await;

    // 100 announcements with both processes up: each inbox gets each exactly once.
    let mut ids = Vec::new();
    for i in 0..100 {
        let n = announce(
            state,
            author,
            AnnouncementKind::News,
            &format!("update {i}"),
        )
        .await
        .unwrap();
        ids.push(format!("{}/activity", n.ap_id));
    }
    eventually(
        120,
        "every inbox has the first 100 announcements",
        || async { (received(&counts, &inboxes, &ids).0 == 0).then_some(()) },
    )
    .await;
    assert_eq!(
        received(&counts, &inboxes, &ids),
        (0, 0),
        "exactly once with two processes"
    );

    // 100 more; one process is killed with SIGKILL midway through the fan-out.
    let mut more = Vec::new();
    for i in 100..200 {
        let n = announce(
            state,
            author,
            AnnouncementKind::News,
            &format!("update {i}"),
        )
        .await
        .unwrap();
        more.push(format!("{}/activity", n.ap_id));
    }
    eventually(60, "the second fan-out is under way", || async {
        let (missing, _) = received(&counts, &inboxes, &more);
        (missing < more.len() * inboxes.len() * 3 / 4).then_some(())
    })
    .await;
    p1.kill9().await;
    eventually(
        180,
        "every inbox has all 200 announcements after the kill",
        || async { (received(&counts, &inboxes, &more).0 == 0).then_some(()) },
    )
    .await;
    let (missing, duplicates) = received(&counts, &inboxes, &more);
    assert_eq!(missing, 0);
    // At-least-once: only requests in flight at the moment of the kill may repeat.
    assert!(
        duplicates <= 8 * 4,
        "{duplicates} duplicates after the kill"
    );
    println!("scale-out: 4000 deliveries by two processes, {duplicates} repeated after SIGKILL");
    drop(p2);
}

/// SECURITY.md "node killed mid fan-out": one announcement to 1,000 inboxes on 50 hosts;
/// the only `serve` process is killed with SIGKILL at a random point of the fan-out and
/// started again. Every inbox gets the announcement; only requests in flight at the kill
/// may repeat.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_a_random_point_of_a_1000_inbox_fan_out_loses_nothing() {
    let shared = Shared::new().await;
    let (state, author) = (&shared.state, &shared.author);
    let counts: Counts = Arc::default();
    let inboxes = sink_followers(state, author, &counts, 50, 20).await;
    assert_eq!(inboxes.len(), 1000);
    // A kill point between 5% and 95% of the fan-out, different on every run.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as usize;
    let kill_after = 50 + nanos % 900;

    let workers = 32;
    let extra = [
        "--delivery-lease",
        "3s",
        "--delivery-workers",
        &workers.to_string(),
    ];
    let p = shared.serve(&extra).await;
    let n = announce(state, author, AnnouncementKind::News, "one to a thousand")
        .await
        .unwrap();
    let ids = vec![format!("{}/activity", n.ap_id)];
    eventually(120, "the fan-out reaches the kill point", || async {
        let (missing, _) = received(&counts, &inboxes, &ids);
        (1000 - missing >= kill_after).then_some(())
    })
    .await;
    p.kill9().await;
    let at_kill = 1000 - received(&counts, &inboxes, &ids).0;
    let p = shared.serve(&extra).await;
    eventually(
        180,
        "every one of 1,000 inboxes has the announcement",
        || async { (received(&counts, &inboxes, &ids).0 == 0).then_some(()) },
    )
    .await;
    let (missing, duplicates) = received(&counts, &inboxes, &ids);
    assert_eq!(missing, 0);
    // At-least-once: what may repeat is what was in flight at the kill, and successes
    // whose batch was being written (about as many again).
    assert!(
        duplicates <= 2 * workers,
        "{duplicates} duplicates; only requests in flight or being recorded may repeat"
    );
    println!(
        "fan-out of 1,000: SIGKILL after {at_kill} deliveries, none lost, {duplicates} repeated"
    );
    drop(p);
}

/// SECURITY.md "one hanging inbox": one announcement to 1,000 inboxes, one of them on a
/// server that accepts the connection and never answers. The other 999 have it within
/// 60 seconds (here: within a few), and the hanging one is left to its timeout and retry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_hanging_inbox_of_1000_does_not_hold_up_the_other_999() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let author = node.local("meetcoop_bbb").await;
    // A fault no real peer shows on demand: a bare socket that never answers.
    let hang = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hang_port = hang.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = hang.accept().await {
            held.push(sock);
        }
    });
    follow::Entity::insert(follower(&author, hang_port, "stuck"))
        .exec(&node.state.db)
        .await
        .unwrap();
    let counts: Counts = Arc::default();
    // 37 hosts × 27 inboxes = 999.
    let inboxes = sink_followers(&node.state, &author, &counts, 37, 27).await;
    assert_eq!(inboxes.len(), 999);
    let started = std::time::Instant::now();
    let n = announce(&node.state, &author, AnnouncementKind::News, "to 1,000")
        .await
        .unwrap();
    let ids = vec![format!("{}/activity", n.ap_id)];
    eventually(
        60,
        "the 999 answering inboxes have the announcement",
        || async { (received(&counts, &inboxes, &ids).0 == 0).then_some(()) },
    )
    .await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "{took:?}");
    assert_eq!(received(&counts, &inboxes, &ids), (0, 0));
    println!("1 hanging inbox of 1,000: the other 999 delivered in {took:?}");
}
