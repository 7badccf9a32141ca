//! Attacks on the inbox and on outgoing fetches, each of which once worked against a node
//! (issue 14) and now fails: disk filling with huge ids, one host's flood, a signature
//! made for another server, one request fanning out into dozens of fetches, a huge
//! NodeInfo read into memory, and concurrent Flags slipping past the report limit.

use crate::{
    common::*,
    security::{AS, Fake, make_peer, post_signed, stored},
};
use coopdir::{
    db::entities::{following, peer_backlog, received_activity, report},
    federation::{self, peering},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use std::{sync::atomic::Ordering, time::Duration};

async fn received_count(node: &TestNode) -> u64 {
    received_activity::Entity::find()
        .count(&node.state.db)
        .await
        .unwrap()
}

fn like(fake: &Fake, actor: &str, object: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(), "type": "Like", "actor": actor, "object": object,
    })
}

/// Finding 1: 50 validly signed activities with 1 MB ids filled the disk. Now an id over
/// the cap is refused before the signature is even checked, and no row is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_activity_with_a_1_mb_id_is_refused_and_nothing_is_written() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let mut activity = like(&fake, &alice, &a.url("/actors/meetcoop_bbb"));
    let huge_id = format!("{}/activities/{}", fake.base, "a".repeat(1_000_000));
    activity["id"] = json!(huge_id);
    let res = fake.post(&a.url("/inbox"), &activity).await;
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert!(status == 400 || status == 413, "{status}: {text}");
    assert!(text.contains("2048"), "{text}");
    assert_eq!(received_count(&a).await, 0);
    assert!(stored(&a, &alice).await.is_none(), "no actor row either");
    // An id within the cap is received as before.
    let ok = like(&fake, &alice, &a.url("/actors/meetcoop_bbb"));
    assert_eq!(fake.post(&a.url("/inbox"), &ok).await.status(), 202);
    assert_eq!(received_count(&a).await, 1);
}

/// Finding 1: `received_activity` grew forever. Ids older than the retention period are
/// pruned by the scheduled work (the test plays the month on the node's clock).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn received_activity_ids_are_pruned_after_the_retention_period() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    // The default outlasts every sender's retry window (Mastodon: 2 to 3 days of
    // retries, 7 days before a host is given up; coopdir: --retry-for 7d).
    assert_eq!(
        a.state.settings.inbox.retention,
        Duration::from_secs(30 * 24 * 3600)
    );
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    let old = like(&fake, &alice, &target);
    assert_eq!(fake.post(&a.url("/inbox"), &old).await.status(), 202);
    a.state.clock.advance(Duration::from_secs(29 * 24 * 3600));
    let recent = like(&fake, &alice, &target);
    assert_eq!(fake.post(&a.url("/inbox"), &recent).await.status(), 202);
    // 29 days on: both are kept.
    federation::scheduled(&a.state).await;
    assert_eq!(received_count(&a).await, 2);
    // 31 days after the first, 2 after the second: only the first is gone.
    a.state.clock.advance(Duration::from_secs(2 * 24 * 3600));
    federation::scheduled(&a.state).await;
    assert!(!a.has_received(old["id"].as_str().unwrap()).await);
    assert!(a.has_received(recent["id"].as_str().unwrap()).await);
}

/// Finding 1: nothing limited a host's volume. Beyond its quota of requests or bytes per
/// minute a host gets 429 with Retry-After, and nothing of the refused request is kept;
/// other hosts are not affected, and the next minute the host is heard again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_over_its_inbox_quota_gets_429_with_retry_after() {
    let a = TestNode::start_with(|s| {
        s.inbox.requests_per_minute = 5;
        s.inbox.bytes_per_minute = 1 << 20;
    })
    .await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let (fake, other) = tokio::join!(Fake::start(), Fake::start());
    let alice = fake.actor("alice", "Person", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    for _ in 0..5 {
        let res = fake
            .post(&a.url("/inbox"), &like(&fake, &alice, &target))
            .await;
        assert_eq!(res.status(), 202);
    }
    let sixth = like(&fake, &alice, &target);
    let res = fake.post(&a.url("/inbox"), &sixth).await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(!a.has_received(sixth["id"].as_str().unwrap()).await);
    // Another host has its own quota.
    let bob = other.actor("bob", "Person", json!({}));
    let res = other
        .post(&a.url("/inbox"), &like(&other, &bob, &target))
        .await;
    assert_eq!(res.status(), 202);
    // A minute later the first host is heard again.
    a.state.clock.advance(Duration::from_secs(61));
    assert_eq!(fake.post(&a.url("/inbox"), &sixth).await.status(), 202);

    // Bytes: about 380 kB a request, 1 MiB a minute.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let mut big = like(&other, &bob, &target);
        for k in ["summary", "content", "name", "padding"] {
            big[k] = json!("x".repeat(95_000));
        }
        let res = other.post(&a.url("/inbox"), &big).await;
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
            assert!(!a.has_received(big["id"].as_str().unwrap()).await);
        }
    }
    assert_eq!(
        statuses,
        [202, 202, 429, 429],
        "1 small + 2 large fit in 1 MiB"
    );
}

/// Finding 5: a delivery signed for `Host: other.example` was accepted, so a request
/// signed for another server could be replayed here. Now it is refused with 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_signed_for_another_host_is_refused_with_401() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let activity = like(&fake, &alice, &a.url("/actors/meetcoop_bbb"));
    let body = activity.to_string();
    // Signed for the inbox of other.example, as that server would have received it.
    let elsewhere = url::Url::parse("http://other.example/inbox").unwrap();
    let headers = fake
        .signer_for(&alice)
        .sign_post(&elsewhere, body.as_bytes(), AS)
        .unwrap();
    let res = http()
        .post(a.url("/inbox"))
        .headers(headers)
        .header("host", "other.example")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("other.example") && text.contains(&a.domain()),
        "{text}"
    );
    assert_eq!(received_count(&a).await, 0);
    assert!(stored(&a, &alice).await.is_none());
    // The same activity signed for this node is accepted.
    let res = post_signed(
        &fake.signer_for(&alice),
        &a.url("/inbox"),
        activity.to_string(),
    )
    .await;
    assert_eq!(res.status(), 202);
}

/// Finding 6: one signed Update from a peer listing 60 offerings made the node fetch 64
/// documents within that request. Now the whole request shares one budget of 20 fetches;
/// the rest is fetched later by scheduled work, in budgets of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_listing_60_offerings_causes_at_most_20_fetches_in_its_request() {
    let a = TestNode::start().await;
    let fake = Fake::start().await;
    make_peer(&a, &fake).await;
    let coop = fake.actor(
        "fcoop",
        "Organization",
        json!({"name": "F co-op", "summary": "<p>A co-op.</p>", "coopForm": "worker"}),
    );
    let offerings: Vec<String> = (0..60)
        .map(|i| fake.offering(&format!("offer{i}"), json!({})))
        .collect();
    fake.serve(
        "/actors/fcoop/featured",
        AS,
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{coop}/featured"), "type": "OrderedCollection",
            "totalItems": 60, "orderedItems": offerings,
        })
        .to_string(),
    );
    // The node follows the co-op, as after `peer add`.
    let stored_coop = a.resolve(&coop).await;
    assert_eq!(stored_coop.kind, ActorKind::Coop);
    following::Entity::insert(following::ActiveModel {
        actor_id: Set(a.instance().await.id),
        target_ap_id: Set(coop.clone()),
        follow_activity_id: Set(format!("{}/follows/1", a.base)),
        accepted: Set(true),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    })
    .exec(&a.state.db)
    .await
    .unwrap();

    let before = fake.get_count.load(Ordering::SeqCst);
    let update = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(), "type": "Update", "actor": coop,
        "object": {"id": coop, "type": "Organization"},
    });
    assert_eq!(fake.post(&a.url("/inbox"), &update).await.status(), 202);
    let fetches = fake.get_count.load(Ordering::SeqCst) - before;
    assert!(fetches <= 20, "{fetches} fetches within one request");
    let followed_offerings = || async {
        following::Entity::find()
            .filter(following::Column::TargetApId.is_in(offerings.clone()))
            .count(&a.state.db)
            .await
            .unwrap()
    };
    let now = followed_offerings().await;
    assert!(now > 0, "the request still follows what its budget reached");
    let waiting = peer_backlog::Entity::find()
        .count(&a.state.db)
        .await
        .unwrap();
    assert_eq!(now + waiting, 60, "the rest waits in the backlog");

    // Scheduled work pages through the rest, one budget of 20 at a time.
    let before = fake.get_count.load(Ordering::SeqCst);
    peering::drain_backlog(&a.state).await.unwrap();
    assert_eq!(followed_offerings().await, 60);
    assert_eq!(
        fake.get_count.load(Ordering::SeqCst) - before,
        waiting as usize
    );
    assert_eq!(
        peer_backlog::Entity::find()
            .count(&a.state.db)
            .await
            .unwrap(),
        0
    );
}

/// `VmRSS` or `VmHWM` of this process, in kB.
fn proc_status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap()
}

/// Finding 7: `peer add` read a 1 GiB NodeInfo into memory before refusing it. Now every
/// outgoing fetch stops reading at its limit. The server streams 50 MB without a
/// Content-Length, so only the reader's own limit can stop it; the node runs in this
/// process, so the measure is the rise of this process's peak resident set (VmHWM, reset
/// through /proc/self/clear_refs just before) over its resident set before `peer add`.
/// Reading the body first would raise it by at least 50 MB. (Other tests running at the
/// same time in this process can only make the rise look larger, never smaller.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_add_refuses_a_50_mb_nodeinfo_and_its_memory_stays_under_100_mb() {
    use axum::{body::Body, routing::get};
    use futures::StreamExt;
    const SIZE: usize = 50 << 20;
    let c = TestNode::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = sent.clone();
    let app = axum::Router::new()
        .route(
            "/.well-known/nodeinfo",
            get(move || async move {
                axum::Json(json!({"links": [{
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                    "href": format!("http://localhost:{port}/nodeinfo/2.1"),
                }]}))
            }),
        )
        .route(
            "/nodeinfo/2.1",
            get(move || {
                let counter = counter.clone();
                async move {
                    // 50 MB of JSON in 64 kB chunks, made as they are sent.
                    let head =
                        bytes::Bytes::from_static(br#"{"software":{"name":"coopdir"},"pad":""#);
                    let chunks =
                        (0..SIZE / (64 << 10)).map(|_| bytes::Bytes::from(vec![b'x'; 64 << 10]));
                    let body = futures::stream::iter(
                        std::iter::once(head)
                            .chain(chunks)
                            .chain(std::iter::once(bytes::Bytes::from_static(b"\"}"))),
                    )
                    .map(move |c| {
                        counter.fetch_add(c.len(), Ordering::SeqCst);
                        Ok::<_, std::io::Error>(c)
                    });
                    (
                        [("content-type", "application/json")],
                        Body::from_stream(body),
                    )
                }
            }),
        );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
    let rss_before = proc_status_kb("VmRSS:");
    let err = peering::add(&c.state, &format!("localhost:{port}"))
        .await
        .unwrap_err()
        .to_string();
    let peak = proc_status_kb("VmHWM:");
    let rise_mb = peak.saturating_sub(rss_before) / 1024;
    eprintln!(
        "peer add against a 50 MB NodeInfo: RSS before {} MB, peak {} MB (rise {rise_mb} MB); \
         the server sent {} MB",
        rss_before / 1024,
        peak / 1024,
        sent.load(Ordering::SeqCst) >> 20
    );
    assert!(
        err.contains("does not look like a coopdir node")
            && err.contains("more than 1048576 bytes"),
        "{err}"
    );
    assert!(rise_mb < 20, "peer add raised the peak RSS by {rise_mb} MB");
    assert_eq!(
        coopdir::db::entities::peer::Entity::find()
            .count(&c.state.db)
            .await
            .unwrap(),
        0
    );
}

/// Finding 8: of 100 concurrent Flags from one host, 12 were accepted against a limit of
/// 10. The limit is now checked and charged in one locked write transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_flags_from_one_host_file_exactly_ten_reports() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let instance = fake.actor("instance", "Application", json!({}));
    a.resolve(&instance).await;
    let target = a.url("/actors/meetcoop_bbb");
    let inbox = a.url("/inbox");
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let fake = fake.clone();
            let inbox = inbox.clone();
            let flag = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": fake.new_id(), "type": "Flag", "actor": instance,
                "object": [target], "content": format!("report {i}"),
            });
            tokio::spawn(async move { fake.post(&inbox, &flag).await.status().as_u16() })
        })
        .collect();
    let mut accepted = 0;
    let mut limited = 0;
    for t in tasks {
        match t.await.unwrap() {
            202 => accepted += 1,
            429 => limited += 1,
            s => panic!("unexpected status {s}"),
        }
    }
    assert_eq!((accepted, limited), (10, 90));
    assert_eq!(report::Entity::find().count(&a.state.db).await.unwrap(), 10);
}
