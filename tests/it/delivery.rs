//! Service changes reach followers through the durable queue: announcements and profile
//! updates, across a follower's downtime and a SIGKILL of the sender, in order, and past a
//! hanging inbox.

use crate::common::*;
use coopdir::{
    db::entities::{actor, follow, received_activity},
    directory::{announcements::announce, listing::ListingDocument, types::AnnouncementKind},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

/// Wait until `b` has received every activity of `ids`; their ids in order of arrival.
async fn arrival_order(b: &TestNode, ids: &[String]) -> Vec<String> {
    for id in ids {
        b.wait_received(id).await;
    }
    received_activity::Entity::find()
        .filter(received_activity::Column::ApId.is_in(ids.to_vec()))
        .order_by_asc(received_activity::Column::ReceivedAt)
        .all(&b.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.ap_id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_and_profile_updates_reach_a_follower() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    b.follow(&a.url("/actors/meetcoop_bbb")).await;

    let author = a.local("meetcoop_bbb").await;
    let note = announce(
        &a.state,
        &author,
        AnnouncementKind::Maintenance,
        "Servers move on Sunday. #maintenance",
    )
    .await
    .unwrap();
    let create_id = format!("{}/activity", note.ap_id);
    b.wait_received(&create_id).await;

    // The Note as followers' servers fetch it.
    let res = http()
        .get(&note.ap_id)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    let n: Value = res.json().await.unwrap();
    assert_eq!(n["type"], "Note");
    assert_eq!(n["attributedTo"], author.ap_id);
    assert!(
        n["to"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "https://www.w3.org/ns/activitystreams#Public")
    );
    assert_eq!(n["cc"][0], format!("{}/followers", author.ap_id));
    let tags = n["tag"].as_array().unwrap();
    assert!(
        tags.iter()
            .any(|t| t["type"] == "Hashtag" && t["name"] == "#maintenance")
    );
    assert!(
        tags.iter().any(|t| t["name"] == "#BigBlueButton"),
        "the platform is tagged: {tags:?}"
    );
    assert!(n["content"].as_str().unwrap().contains("rel=\"tag\""));
    // Kept in the outbox.
    let outbox: Value = http()
        .get(a.url("/actors/meetcoop_bbb/outbox"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(outbox["totalItems"], 1);
    assert_eq!(outbox["orderedItems"][0]["id"], create_id);

    // A changed listing sends Update; B refreshes its copy of the profile.
    let changed = MEETCOOP.replace(
        "name = \"meet.coop BigBlueButton\"",
        "name = \"meet.coop BBB (new servers)\"",
    );
    let doc = ListingDocument::parse("meetcoop.toml", &changed).unwrap();
    let report = coopdir::directory::import(&a.state, &doc).await.unwrap();
    assert_eq!(report.updated.len(), 1);
    eventually(15, "B's copy of the offering has the new name", || async {
        let copy = actor::Entity::find()
            .filter(actor::Column::ApId.eq(author.ap_id.as_str()))
            .one(&b.state.db)
            .await
            .unwrap()
            .unwrap();
        (copy.name == "meet.coop BBB (new servers)").then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_survive_downtime_and_sigkill_in_order() {
    let b = TestNode::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a_db = TestDb::new().await;
    let port = free_port();
    // A delivery claimed when the process is killed is sent again once its lease ends
    // (120 s by default): a short lease keeps the wait below the test's.
    let lease = ["--delivery-lease", "3s"];
    let a = Proc::serve_with(port, port, dir.path(), &a_db.url, &lease).await;
    let file = dir.path().join("meetcoop.toml");
    std::fs::write(&file, MEETCOOP).unwrap();
    let out = a
        .command(&a_db.url, &["import", file.to_str().unwrap()])
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let offering = format!("http://localhost:{port}/actors/meetcoop_bbb");
    b.follow(&offering).await;

    // The follower goes down; three announcements are made meanwhile.
    let (b_db, b_port) = b.shut_down().await;
    let handle = format!("meetcoop_bbb@localhost:{port}");
    let mut ids = Vec::new();
    for i in 1..=3 {
        let out = a
            .command(
                &a_db.url,
                &[
                    "announce",
                    &handle,
                    "--text",
                    &format!("notice {i}"),
                    "--kind",
                    "news",
                ],
            )
            .await;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        ids.push(format!(
            "{}/activity",
            String::from_utf8_lossy(&out.stdout).trim()
        ));
    }
    // Let the sender fail a few times, then kill it without warning and start it again.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    a.kill9().await;
    let a = Proc::serve_with(port, port, dir.path(), &a_db.url, &lease).await;

    // The follower comes back on the same address.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", b_port))
        .await
        .unwrap();
    let b = TestNode::start_on(listener, b_db, |_| {}).await;
    assert_eq!(
        arrival_order(&b, &ids).await,
        ids,
        "announcements arrive in the order they were made"
    );

    // `coopdir deliveries` shows nothing left pending for B.
    let out = a.command(&a_db.url, &["deliveries"]).await;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("pending:   0"), "{text}");
    drop(a);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_inbox_does_not_delay_the_others() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let target = b.follow(&a.url("/actors/meetcoop_bbb")).await;
    let _ = target;

    // A peer that accepts connections and never answers: a fault no real peer shows on
    // demand, so it is simulated with a bare socket.
    let hang = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hang_port = hang.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = hang.accept().await {
            held.push(sock);
        }
    });
    let author = a.local("meetcoop_bbb").await;
    for i in 0..5 {
        follow::Entity::insert(follow::ActiveModel {
            actor_id: Set(author.id),
            follower_ap_id: Set(format!("http://localhost:{hang_port}/users/h{i}")),
            follower_inbox: Set(format!("http://localhost:{hang_port}/users/h{i}/inbox")),
            follower_shared_inbox: Set(None),
            follow_activity_id: Set(format!("http://localhost:{hang_port}/follows/{i}")),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        })
        .exec(&a.state.db)
        .await
        .unwrap();
    }
    let started = std::time::Instant::now();
    let note = announce(&a.state, &author, AnnouncementKind::News, "hello")
        .await
        .unwrap();
    let id = format!("{}/activity", note.ap_id);
    b.wait_received(&id).await;
    // The hanging requests time out only after 10 s; B was served long before.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "B waited {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announce_refuses_bad_input_and_sends_nothing() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let author = a.local("meetcoop_bbb").await;
    let err = announce(&a.state, &author, AnnouncementKind::News, "   ")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    let long = "x".repeat(6000);
    let err = announce(&a.state, &author, AnnouncementKind::News, &long)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at most"), "{err}");
    let err = coopdir::directory::local_by_handle(&a.state.db, "nobody@localhost:1", &a.domain())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not on this node"), "{err}");
    let err = coopdir::directory::local_by_handle(&a.state.db, "@nobody", &a.domain())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("import"), "{err}");
    assert!(
        coopdir::db::entities::activity::Entity::find()
            .one(&a.state.db)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_and_metrics_show_announcements_and_deliveries() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let author = a.local("meetcoop_bbb").await;
    let note = announce(
        &a.state,
        &author,
        AnnouncementKind::News,
        "Welcome <b>new</b> members!",
    )
    .await
    .unwrap();
    let res = http()
        .get(a.url("/actors/meetcoop_bbb/feed.atom"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed: atom_syndication::Feed = res.text().await.unwrap().parse().expect("valid Atom");
    assert_eq!(feed.entries().len(), 1);
    let entry = &feed.entries()[0];
    assert_eq!(entry.id(), note.ap_id);
    let html = entry.content().unwrap().value().unwrap();
    assert!(
        html.contains("&lt;b&gt;new&lt;/b&gt;"),
        "staff text is escaped: {html}"
    );
    assert_eq!(
        http()
            .get(a.url("/actors/nobody/feed.atom"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let metrics = http()
        .get(a.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("coopdir_deliveries{state=\"pending\"} 0"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_down_for_long_is_marked_unavailable_and_cleared_by_its_next_success() {
    use coopdir::db::entities::remote_host;
    let a = TestNode::start_with(|s| {
        s.retry_base = std::time::Duration::from_millis(10);
        s.retry_max = std::time::Duration::from_millis(40);
    })
    .await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    b.follow(&a.url("/actors/meetcoop_bbb")).await;
    let (b_db, b_port) = b.shut_down().await;
    let author = a.local("meetcoop_bbb").await;
    let note = announce(
        &a.state,
        &author,
        AnnouncementKind::News,
        "while you were away",
    )
    .await
    .unwrap();
    let host = format!("localhost:{b_port}");
    eventually(30, "B's host is marked unavailable", || async {
        remote_host::Entity::find_by_id(host.clone())
            .one(&a.state.db)
            .await
            .unwrap()
            .filter(|h| h.unavailable)
    })
    .await;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", b_port))
        .await
        .unwrap();
    let b = TestNode::start_on(listener, b_db, |_| {}).await;
    let id = format!("{}/activity", note.ap_id);
    b.wait_received(&id).await;
    let h = eventually(10, "the mark is cleared", || async {
        remote_host::Entity::find_by_id(host.clone())
            .one(&a.state.db)
            .await
            .unwrap()
            .filter(|h| !h.unavailable)
    })
    .await;
    assert_eq!(h.failure_count, 0);
    assert!(h.last_success_at.is_some());
}

/// SECURITY.md "remote down for days": a follower's server is down for 48 hours of the
/// queue's clock (played in seconds by advancing the node's `Clock`), with the production
/// retry settings. Nothing is given up, backoff never waits more than an hour, the host is
/// marked unavailable; when the server is back, every announcement arrives in order within
/// an hour of the queue's clock, and the mark is cleared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_down_48_hours_gets_everything_in_order_within_an_hour_of_return() {
    use coopdir::db::entities::{delivery, remote_host};
    let defaults = coopdir::config::Options {
        dev: true,
        ..Default::default()
    }
    .resolve()
    .unwrap();
    let a = TestNode::start_with(|s| {
        s.retry_base = defaults.retry_base;
        s.retry_max = defaults.retry_max;
        s.retry_for = defaults.retry_for;
    })
    .await;
    let hour = chrono::Duration::hours(1);
    assert_eq!(
        a.state.settings.retry_max,
        std::time::Duration::from_secs(3600)
    );
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    b.follow(&a.url("/actors/meetcoop_bbb")).await;
    let (b_db, b_port) = b.shut_down().await;
    let host = format!("localhost:{b_port}");
    let author = a.local("meetcoop_bbb").await;
    // Deliveries to B made from here on (the Accept of B's follow went before).
    let earlier = delivery::Entity::find()
        .all(&a.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .max()
        .unwrap_or(0);
    let to_b = || async {
        delivery::Entity::find()
            .filter(delivery::Column::Host.eq(host.clone()))
            .filter(delivery::Column::Id.gt(earlier))
            .order_by_asc(delivery::Column::Id)
            .all(&a.state.db)
            .await
            .unwrap()
    };
    let mut ids = Vec::new();
    let say = |text: &'static str| {
        let state = a.state.clone();
        let author = author.clone();
        async move {
            let n = announce(&state, &author, AnnouncementKind::News, text)
                .await
                .unwrap();
            format!("{}/activity", n.ap_id)
        }
    };
    ids.push(say("going down for maintenance").await);
    ids.push(say("still working on it").await);

    // 48 hours of the queue's clock: jump to each next attempt and let it fail.
    let start = a.state.clock.now();
    let mut attempts = 0;
    let mut said_at_day_one = false;
    loop {
        let rows = to_b().await;
        let head = rows
            .iter()
            .find(|d| d.state == DeliveryState::Pending)
            .expect("pending");
        assert!(
            rows.iter().all(|d| d.state == DeliveryState::Pending),
            "nothing delivered or given up while B is down"
        );
        let now = a.state.clock.now();
        let wait = head.next_attempt_at - now;
        assert!(wait <= hour, "backoff waits at most an hour, not {wait}");
        if now + wait - start > chrono::Duration::hours(48) {
            break;
        }
        if wait > chrono::Duration::zero() {
            a.state
                .clock
                .advance((wait + chrono::Duration::milliseconds(1)).to_std().unwrap());
        }
        if !said_at_day_one && a.state.clock.now() - start > chrono::Duration::hours(24) {
            ids.push(say("a day later: new prices from next month").await);
            said_at_day_one = true;
        }
        let before = head.attempts;
        let head_id = head.id;
        a.state.queue_notify.notify_one();
        eventually(20, "the next attempt is made and fails", || async {
            to_b()
                .await
                .into_iter()
                .find(|d| d.id == head_id)
                .filter(|d| d.attempts > before)
        })
        .await;
        attempts += 1;
    }
    assert!(said_at_day_one);
    assert!(attempts >= 48, "hourly attempts at least: {attempts}");
    let h = remote_host::Entity::find_by_id(host.clone())
        .one(&a.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(h.unavailable, "B's host is marked unavailable");

    // B is back. Its next attempt is due within the hour.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", b_port))
        .await
        .unwrap();
    let b = TestNode::start_on(listener, b_db, |_| {}).await;
    let head = to_b()
        .await
        .into_iter()
        .find(|d| d.state == DeliveryState::Pending)
        .unwrap();
    let wait = head.next_attempt_at - a.state.clock.now();
    assert!(wait <= hour, "due within an hour of B's return, not {wait}");
    if wait > chrono::Duration::zero() {
        a.state
            .clock
            .advance((wait + chrono::Duration::milliseconds(1)).to_std().unwrap());
    }
    a.state.queue_notify.notify_one();
    assert_eq!(
        arrival_order(&b, &ids).await,
        ids,
        "in the order they were made"
    );
    eventually(
        10,
        "every delivery to B is recorded as delivered",
        || async {
            to_b()
                .await
                .iter()
                .all(|d| d.state == DeliveryState::Delivered)
                .then_some(())
        },
    )
    .await;
    eventually(10, "the unavailable mark is cleared", || async {
        remote_host::Entity::find_by_id(host.clone())
            .one(&a.state.db)
            .await
            .unwrap()
            .filter(|h| !h.unavailable)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_hung_on_the_network_does_not_hold_a_delivery_worker() {
    // One delivery worker: before a request is answered, it must be free for the next
    // delivery, while the request waits on an in-flight permit of its own.
    let a = TestNode::start_with(|s| s.delivery_workers = 1).await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    b.follow(&a.url("/actors/meetcoop_bbb")).await;
    b.wait_accepted(&a.url("/actors/meetcoop_bbb")).await;
    let author = a.local("meetcoop_bbb").await;

    // An inbox that accepts the connection and never answers.
    let hang = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hang_port = hang.local_addr().unwrap().port();
    let held = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let held2 = held.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = hang.accept().await {
            held2.lock().await.push(sock);
        }
    });
    let hung_activity = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url("/activities/to-a-hung-inbox"),
        "type": "Create",
        "actor": author.ap_id,
        "object": {
            "id": a.url("/announcements/to-a-hung-inbox"),
            "type": "Note",
            "attributedTo": author.ap_id,
            "content": "<p>hello</p>",
        },
    });
    let hung_inbox = url::Url::parse(&format!("http://localhost:{hang_port}/inbox")).unwrap();
    coopdir::federation::queue::enqueue(
        &a.state.db,
        &a.state,
        &author,
        &hung_activity,
        None,
        vec![hung_inbox],
    )
    .await
    .unwrap();
    a.state.queue_notify.notify_one();
    // The hung request is under way: its bytes reached the inbox.
    eventually(30, "the hung inbox receives a request", || {
        let held = held.clone();
        async move {
            let socks = held.lock().await;
            let sock = socks.first()?;
            let mut buf = [0u8; 4096];
            match sock.try_read(&mut buf) {
                Ok(n) if n > 0 => Some(()),
                _ => None,
            }
        }
    })
    .await;

    // Now an announcement for B: the only worker is not held by the hung request.
    let note = announce(&a.state, &author, AnnouncementKind::News, "hello")
        .await
        .unwrap();
    b.wait_received(&format!("{}/activity", note.ap_id)).await;

    // And B was served while that request was still open: the sender has not given up
    // on it (it would have closed the connection).
    let socks = held.lock().await;
    let sock = socks.first().unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match sock.try_read(&mut buf) {
            Ok(0) => panic!("the hung request was closed before B was served"),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("reading the hung socket: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announcement_reaches_every_one_of_many_hosts_once() {
    // 300 follower hosts, each a shared inbox on a port of its own (a host of its own for
    // the node: `localhost:PORT`), each counting the activities it receives.
    const HOSTS: usize = 300;
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let author = a.local("meetcoop_bbb").await;
    let sinks = follower_hosts(&a, &author, HOSTS).await;
    let ids = announce_n(&a, &author, 2, "to many hosts").await;
    let missing = || {
        sinks
            .iter()
            .map(|c| {
                let c = c.lock().unwrap();
                ids.iter().filter(|id| !c.contains(*id)).count()
            })
            .sum::<usize>()
    };
    eventually(120, "every host receives both announcements", || {
        let m = missing();
        async move { (m == 0).then_some(()) }
    })
    .await;
    // The queue records every one as delivered (outcomes are written in batches, just
    // after the requests), and nothing was sent twice.
    eventually(30, "every delivery is recorded as delivered", || {
        let db = a.state.db.clone();
        async move {
            let s = coopdir::federation::queue::stats(&db).await.ok()?;
            (s.pending == 0 && s.delivered == 2 * HOSTS as u64).then_some(())
        }
    })
    .await;
    for c in &sinks {
        let mut got = c.lock().unwrap().clone();
        got.sort();
        let mut want = ids.clone();
        want.sort();
        assert_eq!(
            got, want,
            "each announcement arrived once at every host, and only they"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_announcements_reaches_each_host_in_order_once() {
    // Many activities waiting for each inbox: after the first, each inbox's next one is
    // claimed as its predecessor is recorded, and must still arrive in order, once.
    const HOSTS: usize = 20;
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let author = a.local("meetcoop_bbb").await;
    let sinks = follower_hosts(&a, &author, HOSTS).await;
    let ids = announce_n(&a, &author, 15, "burst").await;
    eventually(120, "every host receives every announcement", || {
        let done = sinks.iter().all(|c| c.lock().unwrap().len() >= ids.len());
        async move { done.then_some(()) }
    })
    .await;
    let expected = (ids.len() * HOSTS) as u64;
    eventually(30, "every delivery is recorded as delivered", || {
        let db = a.state.db.clone();
        async move {
            let s = coopdir::federation::queue::stats(&db).await.ok()?;
            (s.pending == 0 && s.delivered == expected).then_some(())
        }
    })
    .await;
    for c in &sinks {
        assert_eq!(
            *c.lock().unwrap(),
            ids,
            "each host got every announcement once, in the order they were made"
        );
    }
}

/// The ids of the activities an inbox received, in order of arrival.
type Arrivals = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// `hosts` follower hosts of `author`, each a shared inbox on a loopback port of its own
/// (a host of its own for the node: `localhost:PORT`) with two followers behind it, so
/// one delivery per host; each records what arrives.
async fn follower_hosts(a: &TestNode, author: &actor::Model, hosts: usize) -> Vec<Arrivals> {
    let mut sinks = Vec::new();
    let mut follows = Vec::new();
    for h in 0..hosts {
        let arrivals: Arrivals = Default::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let app = axum::Router::new().route(
            "/inbox",
            axum::routing::post({
                let arrivals = arrivals.clone();
                move |body: axum::body::Bytes| async move {
                    let v: Value = serde_json::from_slice(&body).unwrap_or_default();
                    let id = v["id"].as_str().unwrap_or_default().to_string();
                    arrivals.lock().unwrap().push(id);
                    axum::http::StatusCode::ACCEPTED
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        sinks.push(arrivals);
        for j in 0..2 {
            let user = format!("http://localhost:{port}/users/u{h}x{j}");
            follows.push(follow::ActiveModel {
                actor_id: Set(author.id),
                follower_ap_id: Set(user.clone()),
                follower_inbox: Set(format!("{user}/inbox")),
                follower_shared_inbox: Set(Some(format!("http://localhost:{port}/inbox"))),
                follow_activity_id: Set(format!("{user}/follow")),
                created_at: Set(chrono::Utc::now()),
                ..Default::default()
            });
        }
    }
    follow::Entity::insert_many(follows)
        .exec_without_returning(&a.state.db)
        .await
        .unwrap();
    sinks
}

/// Announce `n` news items by `author`; their activities' ids, in order.
async fn announce_n(a: &TestNode, author: &actor::Model, n: usize, text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let note = announce(
            &a.state,
            author,
            AnnouncementKind::News,
            &format!("{text} {i}"),
        )
        .await
        .unwrap();
        ids.push(format!("{}/activity", note.ap_id));
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_closed_before_any_answer_is_tried_again_at_once() {
    // An inbox whose first connection is closed after the request arrives, with no
    // answer: what a node meets when a server closes a kept-alive connection just as a
    // request is sent on it. The delivery is sent once more at once on a new connection,
    // within the same attempt (not left to its retry back-off).
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let author = a.local("meetcoop_bbb").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = requests.clone();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut sock, _)) = listener.accept().await {
            let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                // Read the whole request: headers, then Content-Length bytes of body.
                let mut req = Vec::new();
                let mut buf = [0u8; 8192];
                loop {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(k) => req.extend_from_slice(&buf[..k]),
                    }
                    let text = String::from_utf8_lossy(&req).to_ascii_lowercase();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if req.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                if n > 0 {
                    let _ = sock
                        .write_all(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .await;
                }
                // The first connection is dropped here without a word.
            });
        }
    });
    let inbox = url::Url::parse(&format!("http://localhost:{port}/inbox")).unwrap();
    let activity = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url("/activities/closed-once"),
        "type": "Create",
        "actor": author.ap_id,
        "object": {
            "id": a.url("/announcements/closed-once"),
            "type": "Note",
            "attributedTo": author.ap_id,
            "content": "<p>hello</p>",
        },
    });
    coopdir::federation::queue::enqueue(
        &a.state.db,
        &a.state,
        &author,
        &activity,
        None,
        vec![inbox.clone()],
    )
    .await
    .unwrap();
    a.state.queue_notify.notify_one();
    let row = eventually(60, "the delivery leaves the pending state", || {
        let db = a.state.db.clone();
        let inbox = inbox.to_string();
        async move {
            let row = coopdir::db::entities::delivery::Entity::find()
                .filter(coopdir::db::entities::delivery::Column::Inbox.eq(inbox))
                .one(&db)
                .await
                .ok()??;
            (row.state != coopdir::directory::types::DeliveryState::Pending || row.attempts > 0)
                .then_some(row)
        }
    })
    .await;
    assert_eq!(
        row.state,
        coopdir::directory::types::DeliveryState::Delivered,
        "delivered by the second request (last error: {:?})",
        row.last_error
    );
    assert_eq!(
        row.attempts, 1,
        "one attempt, not a failed one and a retry: {row:?}"
    );
    assert_eq!(
        requests.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "two connections: the closed one and the resend"
    );
}
