//! More rows of SECURITY.md: out-of-order Updates, endless bodies, slow responders, and
//! documents that point the node's requests at another host.

use crate::{
    common::*,
    security::{AS, Fake},
};
use coopdir::db::entities::actor;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use std::time::{Duration, Instant};

async fn stored(node: &TestNode, id: &str) -> Option<actor::Model> {
    actor::Entity::find()
        .filter(actor::Column::ApId.eq(id))
        .one(&node.state.db)
        .await
        .unwrap()
}

/// An Update never writes its embedded copy: the node refetches the actor from its
/// origin, so an old Update arriving late cannot undo a newer profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_update_arriving_late_changes_nothing() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let bob = fake.actor("bob", "Person", json!({"name": "Bob (current)"}));
    assert_eq!(a.resolve(&bob).await.name, "Bob (current)");
    let old_update = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(), "type": "Update", "actor": bob,
        "object": {"id": bob, "type": "Person", "name": "Bob (last year)", "inbox": format!("{bob}/inbox")},
        "published": "2025-01-01T00:00:00Z",
    });
    let status = fake.post(&a.url("/inbox"), &old_update).await.status();
    assert_eq!(status, 202);
    assert_eq!(stored(&a, &bob).await.unwrap().name, "Bob (current)");
}

/// A chunked body with no Content-Length that never stops is cut at 1 MiB with 413.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_chunked_body_is_cut_with_413() {
    let a = TestNode::start().await;
    let chunks = futures::stream::iter(
        (0..4096).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b' '; 1024]))),
    );
    let res = http()
        .post(a.url("/inbox"))
        .header("content-type", AS)
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await;
    match res {
        Ok(r) => assert_eq!(r.status(), 413),
        // The node may close the connection before the client finished sending.
        Err(e) => assert!(e.is_request() || e.is_body(), "{e:?}"),
    }
    assert_eq!(
        http().get(a.url("/livez")).send().await.unwrap().status(),
        200
    );
}

/// A remote server that answers one byte per second does not hold a fetch beyond the
/// 10-second timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_responder_is_cut_by_the_fetch_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let a = TestNode::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = sock.read(&mut buf).await;
                let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/activity+json\r\n\r\n{";
                let _ = sock.write_all(head).await;
                for _ in 0..60 {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    if sock.write_all(b" ").await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    let url = format!("http://localhost:{port}/actors/slow");
    let id: activitypub_federation::fetch::object_id::ObjectId<
        coopdir::federation::actors::ApActor,
    > = activitypub_federation::fetch::object_id::ObjectId::parse(&url).unwrap();
    let started = Instant::now();
    assert!(id.dereference(&a.ctx.reset_request_count()).await.is_err());
    let took = started.elapsed();
    assert!(took < Duration::from_secs(15), "the fetch took {took:?}");
    assert!(stored(&a, &url).await.is_none());
}

/// An actor whose inbox is on another host (a third party, an internal address) is
/// refused: deliveries only ever go to the actor's own host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inbox_on_another_host_is_refused() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let eve = fake.actor(
        "eve",
        "Person",
        json!({"inbox": "http://localhost:1/internal/admin", "endpoints": {"sharedInbox": "http://127.0.0.1:2/x"}}),
    );
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(), "type": "Follow", "actor": eve, "object": a.url("/actors/meetcoop_bbb"),
    });
    let status = fake.post(&a.url("/inbox"), &follow).await.status();
    assert!(status.is_client_error(), "{status}");
    assert!(stored(&a, &eve).await.is_none());
    assert_eq!(
        coopdir::federation::queue::stats(&a.state.db)
            .await
            .unwrap()
            .pending,
        0
    );
}
