//! The node foundation: discovery, actor documents as Mastodon reads them, follows between
//! two real nodes, the inbox's refusals, and the import command.

use crate::common::*;
use coopdir::{
    db::entities::{follow, following, received_activity},
    federation::signatures::Signer,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};

const AS: &str = "application/activity+json";

async fn get_json(url: &str, accept: &str) -> (reqwest::StatusCode, String, Value) {
    let res = http()
        .get(url)
        .header("Accept", accept)
        .send()
        .await
        .expect("request");
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or("").to_string())
        .unwrap_or_default();
    let body = res.text().await.expect("body");
    (
        status,
        ct,
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_follows_interop_rules() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let actor_id = a.url("/actors/meetcoop_bbb");

    let wf = a.url(&format!(
        "/.well-known/webfinger?resource=acct:meetcoop_bbb@{}",
        a.domain()
    ));
    let (status, ct, body) = get_json(&wf, "application/jrd+json, application/json").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("application/jrd+json"), "{ct}");
    assert_eq!(body["subject"], format!("acct:meetcoop_bbb@{}", a.domain()));
    let links = body["links"].as_array().unwrap();
    let me = links
        .iter()
        .find(|l| l["rel"] == "self")
        .expect("self link");
    assert_eq!(me["type"], AS);
    assert_eq!(me["href"], actor_id);
    assert!(
        links
            .iter()
            .any(|l| l["rel"] == "http://webfinger.net/rel/profile-page")
    );

    // Loop-back rule: the name and host of the handle are the actor's.
    let (_, _, actor) = get_json(me["href"].as_str().unwrap(), AS).await;
    assert_eq!(actor["preferredUsername"], "meetcoop_bbb");
    assert_eq!(
        url::Url::parse(actor["id"].as_str().unwrap())
            .unwrap()
            .port(),
        Some(a.port)
    );

    // By actor URL too.
    let (status, _, body) = get_json(
        &a.url(&format!("/.well-known/webfinger?resource={actor_id}")),
        "application/jrd+json",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["subject"], format!("acct:meetcoop_bbb@{}", a.domain()));

    // Unknown and foreign resources: 404, never a redirect.
    for resource in [
        format!("acct:nobody@{}", a.domain()),
        "acct:meetcoop_bbb@mastodon.example".to_string(),
        "acct:meetcoop_bbb@localhost".to_string(),
        "https://mastodon.example/actors/meetcoop_bbb".to_string(),
    ] {
        let res = http()
            .get(a.url(&format!("/.well-known/webfinger?resource={resource}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{resource}");
    }

    // host-meta names the WebFinger template.
    let xrd = http()
        .get(a.url("/.well-known/host-meta"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        xrd.contains("lrdd") && xrd.contains("/.well-known/webfinger?resource={uri}"),
        "{xrd}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actor_documents_carry_what_mastodon_reads() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let id = a.url("/actors/meetcoop_bbb");
    let (status, ct, doc) = get_json(&id, AS).await;
    assert_eq!(status, 200);
    assert_eq!(ct, AS);
    let ctx = doc["@context"].as_array().expect("context list");
    assert_eq!(ctx[0], "https://www.w3.org/ns/activitystreams");
    assert!(
        ctx.contains(&json!("https://w3id.org/security/v1")),
        "security context missing"
    );
    let terms = ctx.iter().find(|c| c.is_object()).unwrap();
    for term in [
        "manuallyApprovesFollowers",
        "movedTo",
        "alsoKnownAs",
        "toot",
        "discoverable",
        "indexable",
        "suspended",
        "featured",
        "schema",
        "PropertyValue",
        "value",
    ] {
        assert!(terms.get(term).is_some(), "context lacks {term}");
    }
    assert_eq!(doc["id"], id);
    assert_eq!(doc["type"], "Service");
    assert_eq!(doc["preferredUsername"], "meetcoop_bbb");
    assert_eq!(doc["name"], "meet.coop BigBlueButton");
    assert!(doc["summary"].as_str().unwrap().starts_with("<p>"));
    for (k, suffix) in [
        ("inbox", "/inbox"),
        ("outbox", "/outbox"),
        ("followers", "/followers"),
        ("following", "/following"),
        ("featured", "/featured"),
    ] {
        assert_eq!(doc[k], format!("{id}{suffix}"), "{k}");
    }
    assert_eq!(doc["endpoints"]["sharedInbox"], a.url("/inbox"));
    assert_eq!(doc["publicKey"]["id"], format!("{id}#main-key"));
    assert_eq!(doc["publicKey"]["owner"], id);
    assert!(
        doc["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    assert_eq!(doc["discoverable"], true);
    assert_eq!(doc["indexable"], true);
    assert_eq!(doc["manuallyApprovesFollowers"], false);
    assert_eq!(
        url::Url::parse(doc["url"].as_str().unwrap())
            .unwrap()
            .host_str(),
        Some("localhost")
    );
    let fields = doc["attachment"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(&names[..4], ["Platform", "Status", "Price", "Languages"]);
    assert!(fields.iter().all(|f| f["type"] == "PropertyValue"));
    assert_eq!(fields[0]["value"], "BigBlueButton 2.7");
    assert_eq!(fields[2]["value"], "9.00 EUR / month (membership)");
    // coopdir terms
    assert_eq!(doc["platform"], "bigbluebutton");
    assert_eq!(doc["priceCurrency"], "EUR");
    assert_eq!(doc["coop"], a.url("/actors/meetcoop"));

    // The same URL as ld+json, and as a page for browsers.
    let (_, ct, _) = get_json(
        &id,
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    )
    .await;
    assert_eq!(ct, AS);
    let page = http()
        .get(&id)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    // One URL, two representations: caches in between must key on Accept.
    assert_eq!(page.headers()["vary"], "Accept");
    let json_res = http().get(&id).header("Accept", AS).send().await.unwrap();
    assert_eq!(json_res.headers()["vary"], "Accept");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("meet.coop BigBlueButton") && html.contains("@meetcoop_bbb@"),
        "page lacks the name or handle"
    );

    // Co-op and instance actor types; the co-op features its offerings.
    let (_, _, coop) = get_json(&a.url("/actors/meetcoop"), AS).await;
    assert_eq!(coop["type"], "Organization");
    let (_, _, featured) = get_json(&a.url("/actors/meetcoop/featured"), AS).await;
    assert_eq!(featured["totalItems"], 2);
    let (_, _, inst) = get_json(&a.url("/actors/directory"), AS).await;
    assert_eq!(inst["type"], "Application");
    let (_, _, followers) = get_json(&a.url("/actors/meetcoop_bbb/followers"), AS).await;
    assert_eq!(followers["type"], "OrderedCollection");
    assert_eq!(followers["totalItems"], 0);

    // NodeInfo 2.1 and the FEP-2677 instance actor link.
    let (_, _, links) = get_json(&a.url("/.well-known/nodeinfo"), "application/json").await;
    let links = links["links"].as_array().unwrap();
    assert!(
        links
            .iter()
            .any(|l| l["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1")
    );
    assert!(links.iter().any(
        |l| l["rel"] == "https://www.w3.org/ns/activitystreams#Application"
            && l["href"] == a.url("/actors/directory")
    ));
    let (_, _, ni) = get_json(&a.url("/nodeinfo/2.1"), "application/json").await;
    assert_eq!(ni["software"]["name"], "coopdir");
    assert_eq!(ni["protocols"], json!(["activitypub"]));
    assert_eq!(ni["metadata"]["offerings"], 2);

    assert_eq!(
        http().get(a.url("/livez")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        http().get(a.url("/readyz")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        http()
            .get(a.url("/actors/nobody"))
            .header("Accept", AS)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn follow_count(n: &TestNode) -> u64 {
    follow::Entity::find().count(&n.state.db).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_between_two_nodes_is_accepted_and_undone() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let offering_url = a.url("/actors/meetcoop_bbb");
    let target = b.resolve(&offering_url).await;
    let follower = b.instance().await;
    let txn = b.state.db.begin().await.unwrap();
    coopdir::federation::send::follow(&txn, &b.state, &follower, &target)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    b.state.queue_notify.notify_one();

    // A stores the follower; B receives and verifies the signed Accept.
    let row = eventually(15, "A stores B's follow", || async {
        follow::Entity::find().one(&a.state.db).await.unwrap()
    })
    .await;
    assert_eq!(row.follower_ap_id, follower.ap_id);
    assert_eq!(
        row.follower_shared_inbox.as_deref(),
        Some(b.url("/inbox").as_str())
    );
    eventually(15, "B records the Accept", || async {
        following::Entity::find()
            .filter(following::Column::Accepted.eq(true))
            .one(&b.state.db)
            .await
            .unwrap()
    })
    .await;
    let (_, _, followers) = get_json(&a.url("/actors/meetcoop_bbb/followers"), AS).await;
    assert_eq!(followers["totalItems"], 1);

    // Undo removes the follower.
    let txn = b.state.db.begin().await.unwrap();
    coopdir::federation::send::unfollow(&txn, &b.state, &follower, &target)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    b.state.queue_notify.notify_one();
    eventually(15, "A removes the follower", || async {
        (follow_count(&a).await == 0).then_some(())
    })
    .await;
}

/// Sign a POST to `inbox` as `actor` with `signer`, optionally sending another body than
/// the one signed.
async fn post_signed(
    inbox: &str,
    signer: &Signer,
    signed_body: &str,
    sent_body: &str,
    tweak: impl FnOnce(&mut reqwest::header::HeaderMap),
) -> reqwest::StatusCode {
    let url = url::Url::parse(inbox).unwrap();
    let mut headers = signer.sign_post(&url, signed_body.as_bytes(), AS).unwrap();
    tweak(&mut headers);
    http()
        .post(inbox)
        .headers(headers)
        .body(sent_body.to_string())
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_refuses_what_is_not_properly_signed() {
    let a = TestNode::start().await;
    let b = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let b_actor = b.instance().await;
    let inbox = a.url("/actors/meetcoop_bbb/inbox");
    let follow = |actor: &str, id: &str| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id, "type": "Follow", "actor": actor, "object": a.url("/actors/meetcoop_bbb"),
        })
        .to_string()
    };
    let body = follow(&b_actor.ap_id, &b.url("/activities/f1"));

    // Unsigned.
    let res = http()
        .post(&inbox)
        .header("content-type", AS)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let msg: Value = res.json().await.unwrap();
    assert!(
        msg["error"].as_str().unwrap().contains("signature"),
        "{msg}"
    );

    let signer = Signer::from_pem(
        b_actor.private_key_pem.as_deref().unwrap(),
        format!("{}#main-key", b_actor.ap_id),
    )
    .unwrap();
    // Body changed after signing: one byte.
    let tampered = body.replacen("Follow", "FolloW", 1);
    assert_eq!(
        post_signed(&inbox, &signer, &body, &tampered, |_| {}).await,
        401
    );
    // Stale Date.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    let stale = post_signed(&inbox, &signer, &body, &body, |h| {
        h.insert("date", httpdate::fmt_http_date(old).parse().unwrap());
    })
    .await;
    assert_eq!(stale, 401);
    // Signed for another path.
    let other = signer
        .sign_post(
            &url::Url::parse(&a.url("/inbox")).unwrap(),
            body.as_bytes(),
            AS,
        )
        .unwrap();
    let res = http()
        .post(&inbox)
        .headers(other)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // Signed by B, claiming to be an actor of node C.
    let c = TestNode::start().await;
    let c_actor = c.instance().await;
    let impostor = follow(&c_actor.ap_id, &c.url("/activities/f2"));
    assert_eq!(
        post_signed(&inbox, &signer, &impostor, &impostor, |_| {}).await,
        401
    );
    // Our own domain's ids from outside.
    let own = follow(&a.url("/actors/directory"), &a.url("/activities/f3"));
    assert_eq!(post_signed(&inbox, &signer, &own, &own, |_| {}).await, 403);

    // Nothing was written.
    assert_eq!(follow_count(&a).await, 0);
    assert_eq!(
        received_activity::Entity::find()
            .count(&a.state.db)
            .await
            .unwrap(),
        0
    );

    // The same request, properly signed, is accepted.
    assert_eq!(
        post_signed(&inbox, &signer, &body, &body, |_| {}).await,
        202
    );
    assert_eq!(follow_count(&a).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_bodies_get_413() {
    let a = TestNode::start().await;
    let big = vec![b'x'; 2 << 20];
    let res = http()
        .post(a.url("/inbox"))
        .header("content-type", AS)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_lists_and_filters_offerings() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    a.import("rheinmeet.json", RHEINMEET).await;
    let get = |q: &str| {
        let url = a.url(&format!("/api/v1/offerings{q}"));
        async move {
            let res = http().get(url).send().await.unwrap();
            (res.status(), res.json::<Value>().await.unwrap())
        }
    };
    let (s, all) = get("").await;
    assert_eq!(s, 200);
    assert_eq!(all["total"], 4);
    let item = &all["items"][0];
    for k in [
        "actor", "handle", "name", "coop", "platform", "status", "local",
    ] {
        assert!(item.get(k).is_some(), "item lacks {k}");
    }
    let (_, jitsi) = get("?platform=jitsi").await;
    assert_eq!(jitsi["total"], 1);
    assert_eq!(
        jitsi["items"][0]["handle"],
        format!("rheinmeet_jitsi@{}", a.domain())
    );
    let (_, rec) = get("?feature=recording&language=de").await;
    assert_eq!(rec["total"], 2);
    let (_, q) = get("?q=klassenzimmer").await;
    assert_eq!(q["total"], 1);
    let (s, err) = get("?platform=zoom").await;
    assert_eq!(s, 422);
    assert!(
        err["error"].as_str().unwrap().contains("bigbluebutton"),
        "{err}"
    );
    let (s, _) = get("?page=0").await;
    assert_eq!(s, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_bad_documents_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        MEETCOOP.replace("currency = \"EUR\"", "currency = \"EURO\""),
    )
    .unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, MEETCOOP).unwrap();
    let data = dir.path().join("data");
    let run = |files: Vec<&std::path::Path>| {
        let out = std::process::Command::new(bin())
            .args(["--dev", "--data-dir", data.to_str().unwrap(), "import"])
            .args(files)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    // A good file beside a bad one: nothing at all is imported.
    let (code, _, err) = run(vec![&good, &bad]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("bad.toml: line")
            && err.contains("offerings[0].price")
            && err.contains("ISO 4217"),
        "{err}"
    );
    let db = coopdir::db::connect(&format!(
        "sqlite://{}?mode=rwc",
        data.join("coopdir.db").display()
    ))
    .await
    .unwrap();
    coopdir::db::migrate(&db).await.unwrap();
    assert!(
        coopdir::directory::find_local(&db, "meetcoop")
            .await
            .unwrap()
            .is_none()
    );

    let (code, out, err) = run(vec![&good]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("3 created"), "{out}");
    let (code, out, _) = run(vec![&good]);
    assert_eq!(code, Some(0));
    assert!(out.contains("0 created, 0 updated, 3 unchanged"), "{out}");
    let changed = dir.path().join("changed.toml");
    std::fs::write(
        &changed,
        MEETCOOP.replace(
            "name = \"meet.coop BigBlueButton\"",
            "name = \"meet.coop BBB\"",
        ),
    )
    .unwrap();
    let (code, out, _) = run(vec![&changed]);
    assert_eq!(code, Some(0));
    assert!(out.contains("1 updated"), "{out}");

    // Missing file and unknown option: exit 2 with a message.
    let (code, _, err) = run(vec![std::path::Path::new("/nonexistent.toml")]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read /nonexistent.toml"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_mode_is_refused_on_a_public_domain() {
    let out = std::process::Command::new(bin())
        .args([
            "--dev",
            "--public-url",
            "https://directory.example.org",
            "migrate",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused"));
}

/// The federation crate's reqwest has no TLS; ours must. A loopback listener reads what
/// the node's real client sends: a TLS ClientHello (record type 0x16, version 3.x).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outgoing_client_speaks_tls() {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut head = [0u8; 3];
        sock.read_exact(&mut head).await.unwrap();
        head
    });
    let client = coopdir::federation::http_client(
        coopdir::federation::netguard::NetGuard::off(),
        std::time::Duration::from_secs(3),
    )
    .unwrap();
    let _ = client
        .get(format!("https://localhost:{port}/actor"))
        .send()
        .await;
    let head = server.await.unwrap();
    assert_eq!(head[0], 0x16, "a TLS handshake record");
    assert_eq!(head[1], 0x03, "TLS version 3.x");
}

/// In production the client refuses to connect to loopback and private addresses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_production_client_refuses_loopback() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let client = coopdir::federation::http_client(
        coopdir::federation::netguard::NetGuard::strict(),
        std::time::Duration::from_secs(3),
    )
    .unwrap();
    let err = client
        .get(format!("http://localhost:{port}/"))
        .send()
        .await
        .unwrap_err();
    let text = coopdir::http::error::error_chain(&err);
    assert!(text.contains("refused to connect to localhost"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renaming_the_node_renames_its_instance_actor() {
    let a = TestNode::start_with(|s| s.node_name = "Old name".into()).await;
    assert_eq!(a.instance().await.name, "Old name");
    let (db, port) = a.shut_down().await;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let a = TestNode::start_on(listener, db, |s| s.node_name = "New name".into()).await;
    assert_eq!(a.instance().await.name, "New name");
    let (_, _, doc) = get_json(&a.url("/actors/directory"), AS).await;
    assert_eq!(doc["name"], "New name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_keeps_its_public_url() {
    let a = TestNode::start().await;
    let (db, _) = a.shut_down().await;
    let out = std::process::Command::new(bin())
        .args([
            "--dev",
            "--public-url",
            "http://localhost:9",
            "--database-url",
            &db.url,
            "--data-dir",
        ])
        .arg(db.dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "migrate does not touch actors");
    let out = std::process::Command::new(bin())
        .args([
            "--dev",
            "--public-url",
            "http://localhost:9",
            "--database-url",
            &db.url,
            "--data-dir",
        ])
        .arg(db.dir.path())
        .args(["announce", "x@localhost:9", "--text", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("actor ids cannot change"), "{err}");
}
