//! The threats of docs/SECURITY.md that a hostile peer poses, each against a running node:
//! duplicate and reordered deliveries, objects of other hosts, other actors' objects,
//! deeply nested JSON, stored markup, fetched documents with the wrong content type or
//! id, the fetch budget, blocked domains on every path, the allowlist, report floods.
//!
//! The hostile peer is [`Fake`]: an axum server on loopback that serves actor documents
//! with keys we hold, signs what it posts, and records what it receives and how often it
//! is asked for something.

use crate::common::*;
use activitypub_federation::fetch::object_id::ObjectId;
use coopdir::{
    db::entities::{activity, actor, delivery, follow, received_activity, report},
    directory::{self, moderation, types::AnnouncementKind},
    federation::{actors::ApActor, policy::Severity, signatures},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

pub const AS: &str = "application/activity+json";

/// A hostile (or just independent) server on loopback.
#[derive(Clone)]
pub struct Fake {
    pub port: u16,
    pub base: String,
    /// GET requests answered, by path.
    pub gets: Arc<Mutex<HashMap<String, usize>>>,
    /// Every GET, any path.
    pub get_count: Arc<AtomicUsize>,
    /// Bodies POSTed to it, in arrival order.
    pub received: Arc<Mutex<Vec<Value>>>,
    docs: Arc<Mutex<HashMap<String, (String, String)>>>,
    keys: Arc<signatures::KeyPairPem>,
}

impl Fake {
    pub async fn start() -> Fake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let keys = tokio::task::spawn_blocking(signatures::generate_keypair)
            .await
            .unwrap()
            .unwrap();
        let fake = Fake {
            port,
            base: format!("http://localhost:{port}"),
            gets: Default::default(),
            get_count: Default::default(),
            received: Default::default(),
            docs: Default::default(),
            keys: Arc::new(keys),
        };
        let f = fake.clone();
        let app = axum::Router::new().fallback(
            move |method: http::Method, uri: http::Uri, body: axum::body::Bytes| {
                let f = f.clone();
                async move {
                    use axum::response::IntoResponse;
                    let path = uri.path().to_string();
                    if method == http::Method::POST {
                        let v = serde_json::from_slice(&body).unwrap_or(Value::Null);
                        f.received.lock().unwrap().push(v);
                        return http::StatusCode::ACCEPTED.into_response();
                    }
                    f.get_count.fetch_add(1, Ordering::SeqCst);
                    *f.gets.lock().unwrap().entry(path.clone()).or_default() += 1;
                    match f.docs.lock().unwrap().get(&path).cloned() {
                        Some((ct, body)) => ([("content-type", ct)], body).into_response(),
                        None => http::StatusCode::NOT_FOUND.into_response(),
                    }
                }
            },
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    pub fn domain(&self) -> String {
        format!("localhost:{}", self.port)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn actor_url(&self, name: &str) -> String {
        self.url(&format!("/actors/{name}"))
    }

    /// Serve `body` at `path` with a content type.
    pub fn serve(&self, path: &str, content_type: &str, body: String) {
        self.docs
            .lock()
            .unwrap()
            .insert(path.to_string(), (content_type.to_string(), body));
    }

    /// Serve an actor `name` of ActivityStreams type `kind`, with our key; `extra` fields
    /// are merged into (and override) the document.
    pub fn actor(&self, name: &str, kind: &str, extra: Value) -> String {
        let id = self.actor_url(name);
        let mut doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id, "type": kind, "preferredUsername": name, "name": name,
            "inbox": format!("{id}/inbox"),
            "endpoints": {"sharedInbox": self.url("/inbox")},
            "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": self.keys.public_pem},
        });
        if let (Value::Object(d), Value::Object(e)) = (&mut doc, extra) {
            d.extend(e);
        }
        self.serve(&format!("/actors/{name}"), AS, doc.to_string());
        id
    }

    /// A coopdir offering (so that it becomes a listing of the node that stores it).
    pub fn offering(&self, name: &str, extra: Value) -> String {
        let mut fields = json!({
            "name": format!("{name} meetings"),
            "summary": "<p>Video meetings.</p>",
            "platform": "jitsi", "priceModel": "free", "registration": "open",
            "availableLanguage": ["en"],
        });
        if let (Value::Object(d), Value::Object(e)) = (&mut fields, extra) {
            d.extend(e);
        }
        self.actor(name, "Service", fields)
    }

    pub fn signer_for(&self, actor_url: &str) -> signatures::Signer {
        signatures::Signer::from_pem(&self.keys.private_pem, format!("{actor_url}#main-key"))
            .unwrap()
    }

    /// POST `activity` to `inbox`, signed as `actor_url`.
    pub async fn post_as(
        &self,
        actor_url: &str,
        inbox: &str,
        activity: &Value,
    ) -> reqwest::Response {
        post_signed(&self.signer_for(actor_url), inbox, activity.to_string()).await
    }

    /// POST `activity` signed by the actor it names.
    pub async fn post(&self, inbox: &str, activity: &Value) -> reqwest::Response {
        let actor = activity["actor"].as_str().unwrap().to_string();
        self.post_as(&actor, inbox, activity).await
    }

    pub fn new_id(&self) -> String {
        self.url(&format!("/activities/{}", uuid::Uuid::new_v4()))
    }

    /// Bodies received of type `kind`.
    pub fn received_of(&self, kind: &str) -> Vec<Value> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|v| v["type"] == kind)
            .cloned()
            .collect()
    }

    pub fn gets_of(&self, path: &str) -> usize {
        self.gets.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

pub async fn post_signed(
    signer: &signatures::Signer,
    inbox: &str,
    body: String,
) -> reqwest::Response {
    let url = url::Url::parse(inbox).unwrap();
    let headers = signer.sign_post(&url, body.as_bytes(), AS).unwrap();
    http()
        .post(inbox)
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap()
}

pub fn follow_of(fake: &Fake, actor: &str, object: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(), "type": "Follow", "actor": actor, "object": object,
    })
}

/// Make `fake` a peer of `node`, so that its coopdir actors become listings there.
pub async fn make_peer(node: &TestNode, fake: &Fake) {
    use coopdir::db::entities::peer;
    use sea_orm::Set;
    peer::Entity::insert(peer::ActiveModel {
        domain: Set(fake.domain()),
        base_url: Set(fake.url("/")),
        instance_ap_id: Set(fake.actor_url("instance")),
        software: Set("coopdir".into()),
        added_at: Set(chrono::Utc::now()),
        synced_at: Set(None),
        ..Default::default()
    })
    .exec(&node.state.db)
    .await
    .unwrap();
}

pub async fn follows(node: &TestNode) -> u64 {
    follow::Entity::find().count(&node.state.db).await.unwrap()
}

pub async fn stored(node: &TestNode, ap_id: &str) -> Option<actor::Model> {
    actor::Entity::find()
        .filter(actor::Column::ApId.eq(ap_id))
        .one(&node.state.db)
        .await
        .unwrap()
}

pub async fn api_handles(node: &TestNode) -> Vec<String> {
    let v: Value = http()
        .get(node.url("/api/v1/offerings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["handle"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_activity_posted_100_times_at_once_has_one_effect() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    let activity = follow_of(&fake, &alice, &target);
    let body = activity.to_string();
    let inbox = a.url("/actors/meetcoop_bbb/inbox");
    let signer = Arc::new(fake.signer_for(&alice));
    // 100 copies of one signed request, all at once; the actor is not known yet, so the
    // copies also race to store it.
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let (signer, inbox, body) = (signer.clone(), inbox.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            post_signed(&signer, &inbox, body).await.status()
        }));
    }
    for t in tasks {
        let status = t.await.unwrap();
        assert!(
            status.is_success(),
            "every copy is answered 2xx, got {status}"
        );
    }
    assert_eq!(follows(&a).await, 1);
    let accepts = activity::Entity::find()
        .filter(activity::Column::Kind.eq("Accept"))
        .count(&a.state.db)
        .await
        .unwrap();
    assert_eq!(accepts, 1, "exactly one Accept queued");
    assert_eq!(
        actor::Entity::find()
            .filter(actor::Column::ApId.eq(alice.as_str()))
            .count(&a.state.db)
            .await
            .unwrap(),
        1
    );
    eventually(20, "the Accept arrives", || async {
        (!fake.received_of("Accept").is_empty()).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.received_of("Accept").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_on_another_host_than_the_actor_are_refused() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let (attacker, victim) = tokio::join!(Fake::start(), Fake::start());
    let mallory = attacker.actor("mallory", "Person", json!({}));
    let victim_actor = victim.actor("vic", "Person", json!({}));
    let victim_note = victim.url("/notes/1");
    let inbox = a.url("/inbox");
    let cases = [
        json!({"type": "Create", "object": {"id": victim_note, "type": "Note", "attributedTo": victim_actor, "content": "forged"}}),
        json!({"type": "Update", "object": {"id": victim_actor, "type": "Person", "name": "forged"}}),
        json!({"type": "Update", "object": victim_actor}),
        json!({"type": "Delete", "object": victim_actor}),
        json!({"type": "Delete", "object": {"id": victim_note, "type": "Tombstone"}}),
        json!({"type": "Undo", "object": victim.url("/activities/follow-1")}),
        json!({"type": "Undo", "object": {"id": victim.url("/activities/f2"), "type": "Follow", "actor": mallory, "object": a.url("/actors/meetcoop_bbb")}}),
        json!({"type": "Flag", "object": [victim_actor], "content": "report someone else's"}),
    ];
    let mut ids = Vec::new();
    for mut c in cases {
        let id = attacker.new_id();
        c["id"] = json!(id);
        c["actor"] = json!(mallory);
        c["@context"] = json!("https://www.w3.org/ns/activitystreams");
        let res = attacker.post(&inbox, &c).await;
        assert_eq!(res.status(), 403, "{c}");
        ids.push(id);
    }
    // Verified, refused, and nothing kept: the ids may be sent again properly.
    for id in ids {
        assert!(!a.has_received(&id).await, "{id}");
    }
    assert!(stored(&a, &victim_actor).await.is_none());
    assert_eq!(report::Entity::find().count(&a.state.db).await.unwrap(), 0);
    assert_eq!(
        victim.get_count.load(Ordering::SeqCst),
        0,
        "the victim was never asked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owner_may_update_or_delete() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let mallory = fake.actor("mallory", "Person", json!({}));
    let bob_url = fake.offering("bob", json!({}));
    let bob = a.resolve(&bob_url).await;
    assert_eq!(bob.name, "bob meetings");
    let inbox = a.url("/inbox");
    let send = |kind: &str, object: Value| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": fake.new_id(), "type": kind, "actor": mallory, "object": object,
        })
    };
    // Same host, other actor: the profile is re-read from its origin, never from mallory.
    let mut forged =
        serde_json::from_str::<Value>(&reqwest::get(&bob_url).await.unwrap().text().await.unwrap())
            .unwrap();
    forged["name"] = json!("pwned");
    for act in [
        send("Update", forged.clone()),
        send("Update", json!(bob_url)),
        send("Delete", json!(bob_url)),
        send("Delete", json!({"id": bob_url, "type": "Tombstone"})),
    ] {
        let status = fake.post(&inbox, &act).await.status();
        assert_eq!(status, 403, "{status} for {act}");
    }
    let after = stored(&a, &bob_url).await.expect("bob is still listed");
    assert_eq!(after.name, "bob meetings");
    assert_eq!(after.moderation, Moderation::Approved);
    // A note attributed to another actor.
    let note = send(
        "Create",
        json!({"id": fake.url("/notes/9"), "type": "Note", "attributedTo": bob_url, "content": "x"}),
    );
    assert_eq!(fake.post(&inbox, &note).await.status(), 403);
    // Undo of someone else's Follow.
    let undo = send(
        "Undo",
        json!({"id": fake.url("/activities/bobs-follow"), "type": "Follow", "actor": bob_url, "object": a.url("/actors/meetcoop_bbb")}),
    );
    assert_eq!(fake.post(&inbox, &undo).await.status(), 403);
    // Our own domain's objects from outside.
    for act in [
        send(
            "Update",
            json!({"id": a.url("/actors/meetcoop_bbb"), "type": "Service", "name": "pwned"}),
        ),
        send("Delete", json!(a.url("/actors/meetcoop_bbb"))),
        send(
            "Delete",
            json!({"id": a.url("/announcements/1"), "type": "Tombstone"}),
        ),
    ] {
        assert_eq!(fake.post(&inbox, &act).await.status(), 403, "{act}");
    }
    let ours = a.local("meetcoop_bbb").await;
    assert_eq!(ours.name, "meet.coop BigBlueButton");
    assert_eq!(ours.moderation, Moderation::Approved);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undo_that_arrives_before_its_follow_ends_unfollowed() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    let inbox = a.url("/actors/meetcoop_bbb/inbox");
    // The Follow by URL, the Undo naming it by id only.
    let f1 = follow_of(&fake, &alice, &target);
    let undo1 = json!({"id": fake.new_id(), "type": "Undo", "actor": alice, "object": f1["id"]});
    // The Follow embedded in its Undo.
    let f2 = follow_of(&fake, &alice, &target);
    let undo2 = json!({"id": fake.new_id(), "type": "Undo", "actor": alice, "object": f2});
    for (undo, follow) in [(undo1, f1), (undo2, f2)] {
        assert_eq!(fake.post(&inbox, &undo).await.status(), 202);
        assert_eq!(fake.post(&inbox, &follow).await.status(), 202);
        assert_eq!(follows(&a).await, 0, "the late Follow has no effect");
    }
    // In order, the same pair ends unfollowed too.
    let f3 = follow_of(&fake, &alice, &target);
    assert_eq!(fake.post(&inbox, &f3).await.status(), 202);
    assert_eq!(follows(&a).await, 1);
    let undo3 = json!({"id": fake.new_id(), "type": "Undo", "actor": alice, "object": f3});
    assert_eq!(fake.post(&inbox, &undo3).await.status(), 202);
    assert_eq!(follows(&a).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_json_is_refused_with_400() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let signer = fake.signer_for(&alice);
    let depth = 100_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let inside = format!(
        r#"{{"id":"{}","type":"Follow","actor":"{alice}","object":{deep}}}"#,
        fake.new_id()
    );
    for body in [deep, inside] {
        assert!(body.len() < 1 << 20);
        let res = post_signed(&signer, &a.url("/inbox"), body).await;
        assert_eq!(res.status(), 400);
    }
    // The node is alive and well.
    assert_eq!(
        http().get(a.url("/livez")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        received_activity::Entity::find()
            .count(&a.state.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_markup_is_stored_as_text_and_escaped_where_shown() {
    let a = TestNode::start().await;
    let fake = Fake::start().await;
    make_peer(&a, &fake).await;
    let raw_name =
        r#"<script>alert(1)</script>Evil <img src=x onerror=alert(1)><svg onload=alert(1)>"#;
    let summary = r#"<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">l</a><img src=x onerror=alert(1)><svg><use href="data:x"/></svg><iframe src="https://evil.example"></iframe></p>"#;
    let url = fake.offering("evil", json!({"name": raw_name, "summary": summary}));
    let stored = a.resolve(&url).await;
    for text in [&stored.name, &stored.summary] {
        let lower = text.to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "onload",
            "onclick",
            "javascript:",
            "<svg",
            "<img",
            "<iframe",
        ] {
            assert!(!lower.contains(bad), "{bad} in {text}");
        }
    }
    assert!(stored.name.contains("Evil"), "{}", stored.name);

    // Encoded forms decode to text, which every page escapes.
    let encoded = fake.offering(
        "encoded",
        json!({"name": "&lt;script&gt;alert(2)&lt;/script&gt; Enc", "summary": "&lt;img src=x onerror=alert(3)&gt;"}),
    );
    let e = a.resolve(&encoded).await;
    assert!(e.name.contains("Enc"));
    let page = http()
        .get(a.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Enc"),
        "the remote listing is on the directory page"
    );
    for bad in [
        "<script>alert(2)",
        "<img src=x onerror",
        "<svg onload",
        "<script>alert(1)",
    ] {
        assert!(!page.contains(bad), "{bad} unescaped on the page");
    }
    let api: Value = http()
        .get(a.url("/api/v1/offerings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(api["total"].as_u64().unwrap() >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetched_documents_need_an_activitypub_type_and_their_own_id() {
    let a = TestNode::start().await;
    let fake = Fake::start().await;
    // A good actor document, served as an image.
    let png = fake.actor("png", "Person", json!({}));
    let doc = reqwest::get(&png).await.unwrap().text().await.unwrap();
    fake.serve("/actors/png", "image/png", doc.clone());
    // A document whose id names another host.
    let other = fake.url("/actors/other");
    let mut wrong = serde_json::from_str::<Value>(&doc).unwrap();
    wrong["id"] = json!("http://victim.localhost:1/actors/other");
    fake.serve("/actors/other", AS, wrong.to_string());
    // And one served as plain JSON.
    fake.serve(
        "/actors/plain",
        "application/json",
        doc.replace("/actors/png", "/actors/plain"),
    );
    let plain = fake.url("/actors/plain");
    for url in [&png, &other, &plain] {
        let id: ObjectId<ApActor> = ObjectId::parse(url).unwrap();
        let err = id
            .dereference(&a.ctx.reset_request_count())
            .await
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("Content-Type") || msg.contains("id field"),
            "{url}: {msg}"
        );
        assert!(stored(&a, url).await.is_none());
    }
    assert!(
        stored(&a, "http://victim.localhost:1/actors/other")
            .await
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_request_may_cause_at_most_20_fetches() {
    let a = TestNode::start().await;
    let fake = Fake::start().await;
    let url = fake.actor("alice", "Person", json!({}));
    // The federation middleware gives every incoming request a fresh counter; this is one.
    let data = a.ctx.reset_request_count();
    let id: ObjectId<ApActor> = ObjectId::parse(&url).unwrap();
    for i in 0..20 {
        id.dereference_forced(&data)
            .await
            .unwrap_or_else(|e| panic!("fetch {i}: {e}"));
    }
    let err = id.dereference_forced(&data).await.unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
    assert_eq!(fake.gets_of("/actors/alice"), 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_domain_is_refused_on_every_path() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    make_peer(&a, &fake).await;
    let listing = fake.offering("fbbb", json!({}));
    let instance = fake.actor("instance", "Application", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    let inbox = a.url("/actors/meetcoop_bbb/inbox");
    // Before the block: alice follows, the listing is in the directory.
    assert_eq!(
        fake.post(&inbox, &follow_of(&fake, &alice, &target))
            .await
            .status(),
        202
    );
    eventually(20, "the Accept arrives", || async {
        (!fake.received_of("Accept").is_empty()).then_some(())
    })
    .await;
    a.resolve(&listing).await;
    let fbbb = format!("fbbb@{}", fake.domain());
    assert!(api_handles(&a).await.contains(&fbbb));

    let r = moderation::block_domain(
        &a.state,
        &fake.domain(),
        Severity::Reject,
        Some("spam"),
        "test",
    )
    .await
    .unwrap();
    assert_eq!(
        r.listings_changed, 2,
        "alice and the listing are suspended here"
    );
    let gets = fake.get_count.load(Ordering::SeqCst);

    // Inbox: 403 before any key is fetched; nothing written.
    let f = follow_of(&fake, &alice, &target);
    assert_eq!(fake.post(&inbox, &f).await.status(), 403);
    let flag = json!({"id": fake.new_id(), "type": "Flag", "actor": instance, "object": [target], "content": "x"});
    assert_eq!(fake.post(&a.url("/inbox"), &flag).await.status(), 403);
    let announce =
        json!({"id": fake.new_id(), "type": "Announce", "actor": alice, "object": target});
    assert_eq!(fake.post(&a.url("/inbox"), &announce).await.status(), 403);
    // An actor never seen before, of a subdomain.
    let sub = format!("http://mx.localhost:{}/actors/x", fake.port);
    let res = fake
        .post(
            &a.url("/inbox"),
            &json!({"id": format!("http://mx.localhost:{}/a/1", fake.port), "type": "Follow", "actor": sub, "object": target}),
        )
        .await;
    assert_eq!(res.status(), 403);
    for id in [&f["id"], &flag["id"], &announce["id"]] {
        assert!(!a.has_received(id.as_str().unwrap()).await);
    }
    assert_eq!(follows(&a).await, 1);
    assert_eq!(report::Entity::find().count(&a.state.db).await.unwrap(), 0);

    // Fetches: dereferencing (the federation crate's path) and our own key fetch.
    let id: ObjectId<ApActor> = ObjectId::parse(&fake.actor_url("bob")).unwrap();
    assert!(id.dereference(&a.ctx.reset_request_count()).await.is_err());
    let stale: ObjectId<ApActor> = ObjectId::parse(&listing).unwrap();
    let _ = stale.dereference_forced(&a.ctx.reset_request_count()).await;
    let err = coopdir::federation::fetch::fetch_actor(&a.ctx, &url::Url::parse(&alice).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.status(), 403);
    assert_eq!(
        fake.get_count.load(Ordering::SeqCst),
        gets,
        "nothing was fetched"
    );

    // Deliveries: an announcement to followers is not sent to the blocked host.
    let posts_before = fake.received.lock().unwrap().len();
    let bbb = a.local("meetcoop_bbb").await;
    directory::announcements::announce(
        &a.state,
        &bbb,
        AnnouncementKind::News,
        "Maintenance tonight",
    )
    .await
    .unwrap();
    let row = eventually(10, "the delivery row", || async {
        delivery::Entity::find()
            .filter(delivery::Column::Host.eq(fake.domain()))
            .order_by_desc(delivery::Column::Id)
            .one(&a.state.db)
            .await
            .unwrap()
            .filter(|d| d.state != DeliveryState::Delivered)
    })
    .await;
    assert_eq!(row.state, DeliveryState::Rejected);
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("blocked"),
        "{row:?}"
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(fake.received.lock().unwrap().len(), posts_before);

    // Listings: out of the directory while blocked, back when unblocked.
    assert!(!api_handles(&a).await.contains(&fbbb));
    let r = moderation::unblock_domain(&a.state, &fake.domain(), "test")
        .await
        .unwrap();
    assert_eq!(r.listings_changed, 2);
    assert!(api_handles(&a).await.contains(&fbbb));
    // `hide` keeps federating but keeps the listings out.
    moderation::block_domain(&a.state, &fake.domain(), Severity::Hide, None, "test")
        .await
        .unwrap();
    assert!(!api_handles(&a).await.contains(&fbbb));
    assert_eq!(
        fake.post(&inbox, &follow_of(&fake, &alice, &target))
            .await
            .status(),
        202
    );
    assert_eq!(
        stored(&a, &listing).await.unwrap().moderation,
        Moderation::Hidden
    );
    // From hide to reject and back: the listing returns to what it was before any block.
    moderation::block_domain(&a.state, &fake.domain(), Severity::Reject, None, "test")
        .await
        .unwrap();
    assert_eq!(
        stored(&a, &listing).await.unwrap().moderation,
        Moderation::Suspended
    );
    moderation::unblock_domain(&a.state, &fake.domain(), "test")
        .await
        .unwrap();
    assert_eq!(
        stored(&a, &listing).await.unwrap().moderation,
        Moderation::Approved
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_name_hosts_as_parsed_subdomains_idn_and_trailing_dots_included() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let target = a.url("/actors/meetcoop_bbb");
    // Each block as an admin might type it, and an actor id that it must cover. None of
    // these hosts is ever contacted: the block answers before any lookup.
    for (rule, actor_host) in [
        ("EVIL.localhost.", "mx.evil.localhost"),
        ("bücher.localhost", "xn--bcher-kva.localhost"),
        ("xn--caf-dma.localhost", "shop.CAFÉ.localhost"),
        ("https://Spam.Localhost./anything", "spam.localhost."),
        ("127.0.0.9", "127.0.0.9"),
    ] {
        moderation::block_domain(&a.state, rule, Severity::Reject, None, "test")
            .await
            .unwrap_or_else(|e| panic!("{rule}: {e}"));
        // The body names the host as typed; the keyId (an HTTP header) in its ASCII form.
        let actor = format!("http://{actor_host}:{}/actors/x", fake.port);
        let key_owner = url::Url::parse(&actor).unwrap().to_string();
        let activity = json!({
            "id": format!("http://{actor_host}:{}/activities/1", fake.port),
            "type": "Follow", "actor": actor, "object": target,
        });
        let res = fake.post_as(&key_owner, &a.url("/inbox"), &activity).await;
        assert_eq!(res.status(), 403, "{rule} covers {actor_host}");
    }
    // What is not a domain is refused, and this node cannot block itself.
    for bad in ["a@evil.so/cial", "evil.so/cial", "", "evil example"] {
        assert!(
            moderation::block_domain(&a.state, bad, Severity::Reject, None, "t")
                .await
                .is_err(),
            "{bad}"
        );
    }
    assert!(
        moderation::block_domain(&a.state, &a.domain(), Severity::Reject, None, "t")
            .await
            .is_err()
    );
    assert!(
        moderation::block_domain(&a.state, "localhost", Severity::Reject, None, "t")
            .await
            .is_err()
    );
    assert_eq!(follows(&a).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allowlist_mode_federates_only_with_allowed_domains() {
    let a = TestNode::start_with(|s| {
        s.federation_mode = coopdir::config::FederationMode::Allowlist;
    })
    .await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    let inbox = a.url("/actors/meetcoop_bbb/inbox");
    assert_eq!(
        fake.post(&inbox, &follow_of(&fake, &alice, &target))
            .await
            .status(),
        403
    );
    let id: ObjectId<ApActor> = ObjectId::parse(&alice).unwrap();
    assert!(id.dereference(&a.ctx.reset_request_count()).await.is_err());
    assert_eq!(fake.get_count.load(Ordering::SeqCst), 0);

    moderation::allow_domain(&a.state, &fake.domain(), "test")
        .await
        .unwrap();
    assert_eq!(
        fake.post(&inbox, &follow_of(&fake, &alice, &target))
            .await
            .status(),
        202
    );
    assert_eq!(follows(&a).await, 1);
    // A block still wins over the allowlist.
    moderation::block_domain(&a.state, &fake.domain(), Severity::Reject, None, "test")
        .await
        .unwrap();
    assert_eq!(
        fake.post(&inbox, &follow_of(&fake, &alice, &target))
            .await
            .status(),
        403
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_flood_from_one_instance_gets_429_with_retry_after() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let (fake, other) = tokio::join!(Fake::start(), Fake::start());
    let instance = fake.actor("instance", "Application", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    let mut ok = 0;
    let mut limited = 0;
    for i in 0..100 {
        let flag = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": fake.new_id(), "type": "Flag", "actor": instance,
            "object": [target], "content": format!("report {i}"),
        });
        let res = fake.post(&a.url("/inbox"), &flag).await;
        match res.status().as_u16() {
            202 => ok += 1,
            429 => {
                let wait: u64 = res.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!((1..=60).contains(&wait), "{wait}");
                assert!(!a.has_received(flag["id"].as_str().unwrap()).await);
                limited += 1;
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!((ok, limited), (10, 90));
    assert_eq!(report::Entity::find().count(&a.state.db).await.unwrap(), 10);
    // The limit is per instance: another one is heard.
    let other_instance = other.actor("instance", "Service", json!({}));
    let flag =
        json!({"id": other.new_id(), "type": "Flag", "actor": other_instance, "object": target});
    assert_eq!(other.post(&a.url("/inbox"), &flag).await.status(), 202);
}

/// A `Create(Note)` of `actor` (on `fake`) with a fresh id, addressed to its followers.
fn note_of(fake: &Fake, actor: &str, text: &str) -> Value {
    let note = fake.url(&format!("/notes/{}", uuid::Uuid::new_v4()));
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/activity"), "type": "Create", "actor": actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": note, "type": "Note", "attributedTo": actor,
            "content": format!("<p>{text}</p>"),
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_block_applies_to_the_very_next_request_of_an_actor_verified_just_before() {
    let a = TestNode::start().await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let inbox = a.url("/inbox");
    // The first request fetches and stores alice, the next ones find her key kept in
    // memory: no statement reads her or the domain rules.
    for i in 0..3 {
        let n = note_of(&fake, &alice, &format!("note {i}"));
        assert_eq!(fake.post(&inbox, &n).await.status(), 202, "note {i}");
    }
    moderation::block_domain(&a.state, &fake.domain(), Severity::Reject, None, "test")
        .await
        .unwrap();
    let n = note_of(&fake, &alice, "after the block");
    assert_eq!(fake.post(&inbox, &n).await.status(), 403);
    assert!(!a.has_received(n["id"].as_str().unwrap()).await);
    // A `hide` block does not refuse: lifting the reject lets the very next one in.
    moderation::unblock_domain(&a.state, &fake.domain(), "test")
        .await
        .unwrap();
    let n = note_of(&fake, &alice, "after the unblock");
    assert_eq!(fake.post(&inbox, &n).await.status(), 202);
    assert!(a.has_received(n["id"].as_str().unwrap()).await);
    // In allowlist terms too: a rule removed from the allowlist refuses the next request.
    let b = TestNode::start_with(|s| {
        s.federation_mode = coopdir::config::FederationMode::Allowlist;
    })
    .await;
    moderation::allow_domain(&b.state, &fake.domain(), "test")
        .await
        .unwrap();
    for i in 0..3 {
        let n = note_of(&fake, &alice, &format!("allowed {i}"));
        assert_eq!(fake.post(&b.url("/inbox"), &n).await.status(), 202);
    }
    moderation::disallow_domain(&b.state, &fake.domain(), "test")
        .await
        .unwrap();
    let n = note_of(&fake, &alice, "no longer allowed");
    assert_eq!(fake.post(&b.url("/inbox"), &n).await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_is_honoured_and_the_old_one_refused() {
    let a = TestNode::start().await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let inbox = a.url("/inbox");
    for i in 0..3 {
        let n = note_of(&fake, &alice, &format!("note {i}"));
        assert_eq!(fake.post(&inbox, &n).await.status(), 202, "note {i}");
    }
    // Alice's server rotates her key and announces it with an Update signed by the new
    // key: her stored (and kept) key no longer verifies, so the node fetches her again.
    let new = tokio::task::spawn_blocking(signatures::generate_keypair)
        .await
        .unwrap()
        .unwrap();
    fake.actor(
        "alice",
        "Person",
        json!({"publicKey": {"id": format!("{alice}#main-key"), "owner": alice, "publicKeyPem": new.public_pem}}),
    );
    let new_signer =
        signatures::Signer::from_pem(&new.private_pem, format!("{alice}#main-key")).unwrap();
    let update = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(), "type": "Update", "actor": alice,
        "object": {"id": alice, "type": "Person"},
    });
    let res = post_signed(&new_signer, &inbox, update.to_string()).await;
    assert_eq!(res.status(), 202);
    assert_eq!(
        stored(&a, &alice).await.unwrap().public_key_pem.trim(),
        new.public_pem.trim()
    );
    for i in 0..2 {
        let n = note_of(&fake, &alice, &format!("new key {i}"));
        let res = post_signed(&new_signer, &inbox, n.to_string()).await;
        assert_eq!(res.status(), 202, "new key {i}");
    }
    // The old key verifies nothing any more, kept or not.
    let n = note_of(&fake, &alice, "old key");
    assert_eq!(fake.post(&inbox, &n).await.status(), 401);
    assert!(!a.has_received(n["id"].as_str().unwrap()).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_posted_many_times_at_once_is_accepted_each_time_and_stored_once() {
    use coopdir::db::entities::{announcement, following};
    use sea_orm::Set;
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let peer = fake.actor("coop", "Organization", json!({}));
    let stranger = fake.actor("stranger", "Person", json!({}));
    // The node follows `peer`: its notes are stored as announcements. A stranger's are
    // only recorded.
    following::Entity::insert(following::ActiveModel {
        actor_id: Set(a.instance().await.id),
        target_ap_id: Set(peer.clone()),
        follow_activity_id: Set(a.url("/follows/1").to_string()),
        accepted: Set(true),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    })
    .exec(&a.state.db)
    .await
    .unwrap();
    let inbox = a.url("/inbox");
    // Each actor is stored by a first note, so that the copies race on the record only.
    for who in [&peer, &stranger] {
        let n = note_of(&fake, who, "hello");
        assert_eq!(fake.post(&inbox, &n).await.status(), 202);
    }
    for who in [&peer, &stranger] {
        let n = note_of(&fake, who, "Maintenance tonight");
        let body = n.to_string();
        let signer = Arc::new(fake.signer_for(who));
        let mut tasks = Vec::new();
        for _ in 0..30 {
            let (signer, inbox, body) = (signer.clone(), inbox.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                post_signed(&signer, &inbox, body).await.status()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 202);
        }
        assert!(a.has_received(n["id"].as_str().unwrap()).await);
        let stored_notes = announcement::Entity::find()
            .filter(announcement::Column::ApId.eq(n["object"]["id"].as_str().unwrap()))
            .count(&a.state.db)
            .await
            .unwrap();
        assert_eq!(stored_notes, u64::from(*who == peer), "{who}");
    }
    assert_eq!(
        received_activity::Entity::find()
            .count(&a.state.db)
            .await
            .unwrap(),
        4
    );
}
