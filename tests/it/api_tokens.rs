//! The JSON API for staff automation, over HTTP: a staff token of one co-op edits its
//! offerings and announces to their followers; the same token is refused (403) on every
//! write endpoint for another co-op's listings, which stay unchanged; requests without a
//! token, with a wrong one, or with only a session cookie get 401 with a `Bearer`
//! challenge; invalid bodies are refused naming the field, and change nothing; an admin
//! token acts on every listing.

use crate::{common::*, security::*};
use coopdir::{
    db::entities::{activity, actor, announcement, api_token},
    directory::{self, accounts},
};
use reqwest::{Method, StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

/// A node with two co-ops: meet.coop (X) and Rhein Meet (Y).
async fn two_coops() -> TestNode {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    node
}

/// A staff account of `coop` and an API token for it.
async fn staff_token(node: &TestNode, username: &str, coop: &str) -> String {
    let coop = node.local(coop).await;
    let account = accounts::create_staff(&node.state.db, username, PASSWORD, &coop)
        .await
        .expect("staff account");
    accounts::create_token(&node.state.db, &account, "automation")
        .await
        .expect("token")
}

async fn admin_token(node: &TestNode, username: &str) -> String {
    let account = accounts::create_admin(&node.state.db, username, PASSWORD)
        .await
        .expect("admin account");
    accounts::create_token(&node.state.db, &account, "automation")
        .await
        .expect("token")
}

/// An answer: status, headers and the body as JSON (`Null` when it is not JSON).
struct Answer {
    status: StatusCode,
    headers: header::HeaderMap,
    json: Value,
}

impl Answer {
    fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or_default()
    }
}

/// Send `body` (raw text, as a client would) with an optional `Authorization` value and
/// cookie.
async fn send(
    node: &TestNode,
    method: Method,
    path: &str,
    authorization: Option<&str>,
    cookie: Option<&str>,
    body: Option<String>,
) -> Answer {
    let mut req = http().request(method, node.url(path));
    if let Some(a) = authorization {
        req = req.header(header::AUTHORIZATION, a);
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    if let Some(b) = body {
        req = req.header(header::CONTENT_TYPE, "application/json").body(b);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap_or_default();
    Answer {
        status,
        headers,
        json: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

async fn call(
    node: &TestNode,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Answer {
    send(
        node,
        method,
        path,
        Some(&format!("Bearer {token}")),
        None,
        body.map(|b| b.to_string()),
    )
    .await
}

/// Log in through the login form and return the session cookie (`name=value`).
async fn login(node: &TestNode, username: &str) -> String {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("username", username), ("password", PASSWORD)])
        .finish();
    let res = http()
        .post(node.url("/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string()
}

async fn actor_doc(node: &TestNode, username: &str) -> Value {
    http()
        .get(node.url(&format!("/actors/{username}")))
        .header(header::ACCEPT, AS)
        .send()
        .await
        .expect("actor")
        .json()
        .await
        .expect("actor json")
}

/// Actor URLs of the offerings the public directory lists with captions.
async fn with_captions(node: &TestNode) -> Vec<String> {
    let listed: Value = http()
        .get(node.url("/api/v1/offerings?feature=captions"))
        .send()
        .await
        .expect("directory")
        .json()
        .await
        .expect("directory json");
    listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["actor"].as_str().map(String::from))
        .collect()
}

async fn announcements_of(node: &TestNode, a: &actor::Model) -> Vec<announcement::Model> {
    announcement::Entity::find()
        .filter(announcement::Column::ActorId.eq(a.id))
        .all(&node.state.db)
        .await
        .expect("db")
}

async fn activities_of(node: &TestNode, a: &actor::Model) -> u64 {
    activity::Entity::find()
        .filter(activity::Column::ActorId.eq(a.id))
        .count(&node.state.db)
        .await
        .expect("db")
}

/// What must not change on a refused request: the stored actor, its announcements and
/// the activities it sent.
async fn snapshot(node: &TestNode, username: &str) -> (actor::Model, usize, u64) {
    let a = node.local(username).await;
    let n = announcements_of(node, &a).await.len();
    let sent = activities_of(node, &a).await;
    (a, n, sent)
}

/// Every write endpoint of the API for `username`, each with a body it would accept.
fn writes(username: &str, spec: &Value) -> Vec<(Method, String, Value)> {
    let far = (chrono::Utc::now().date_naive() + chrono::Days::new(400)).to_string();
    vec![
        (
            Method::PUT,
            format!("/api/v1/offerings/{username}"),
            spec.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/offerings/{username}/announcements"),
            json!({"text": "Hello from someone else", "kind": "news"}),
        ),
        (
            Method::POST,
            format!("/api/v1/offerings/{username}/sunset"),
            json!({"end": far}),
        ),
        (
            Method::POST,
            format!("/api/v1/offerings/{username}/transfer"),
            json!({"to": "meetcoop_bbb", "confirm": true}),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_token_edits_and_announces_for_its_coop_and_is_refused_for_another() {
    let a = two_coops().await;
    let token = staff_token(&a, "meetstaff", "meetcoop").await;
    let domain = a.domain();

    // A follower of X's offering, on another server.
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let bbb_url = a.url("/actors/meetcoop_bbb");
    let follow = follow_of(&fake, &alice, &bbb_url);
    assert_eq!(
        fake.post(&a.url("/actors/meetcoop_bbb/inbox"), &follow)
            .await
            .status(),
        202
    );
    eventually(20, "the Accept arrives", || async {
        (!fake.received_of("Accept").is_empty()).then_some(())
    })
    .await;

    // Who am I: the staff account, its co-op, and only that co-op's listings.
    let me = call(&a, &token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.json);
    assert_eq!(me.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(me.json["username"], "meetstaff");
    assert_eq!(me.json["role"], "staff");
    assert_eq!(me.json["coop"], format!("meetcoop@{domain}"));
    let mut names: Vec<&str> = me.json["listings"]
        .as_array()
        .expect("listings")
        .iter()
        .map(|l| l["username"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["meetcoop", "meetcoop_bbb", "meetcoop_rooms"]);

    assert!(!with_captions(&a).await.contains(&bbb_url));

    // The current facts, in the shape PUT takes.
    let got = call(
        &a,
        &token,
        Method::GET,
        "/api/v1/offerings/meetcoop_bbb/spec",
        None,
    )
    .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.json);
    let mut spec = got.json;
    assert_eq!(spec["handle"], "meetcoop_bbb");
    assert_eq!(spec["participants_per_room"], 150);
    assert_eq!(spec["platform"], "bigbluebutton");

    // Replace them (the handle may be left out).
    spec.as_object_mut().unwrap().remove("handle");
    spec["participants_per_room"] = json!(200);
    spec["platform_version"] = json!("3.0");
    spec["features"]
        .as_array_mut()
        .unwrap()
        .push(json!("captions"));
    let put = call(
        &a,
        &token,
        Method::PUT,
        "/api/v1/offerings/meetcoop_bbb",
        Some(spec),
    )
    .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.json);
    assert_eq!(put.json["participants_per_room"], 200);
    assert_eq!(put.json["handle"], "meetcoop_bbb");
    // Stored, in the actor document and the public directory…
    let stored = directory::offering_spec(&a.local("meetcoop_bbb").await).unwrap();
    assert_eq!(stored.participants_per_room.map(|c| c.0), Some(200));
    assert_eq!(
        stored.platform_version.as_ref().map(|v| v.to_string()),
        Some("3.0".into())
    );
    let doc = actor_doc(&a, "meetcoop_bbb").await;
    assert_eq!(doc["participantsPerRoom"], 200, "{doc}");
    assert_eq!(doc["platformVersion"], "3.0", "{doc}");
    assert!(
        with_captions(&a).await.contains(&bbb_url),
        "listed with captions"
    );
    // …and the follower's server gets the actor Update.
    let update = eventually(20, "the Update arrives at the follower", || async {
        fake.received_of("Update")
            .into_iter()
            .find(|u| u["object"]["id"] == bbb_url.as_str())
    })
    .await;
    assert_eq!(update["object"]["participantsPerRoom"], 200);

    // Announce.
    let posted = call(
        &a,
        &token,
        Method::POST,
        "/api/v1/offerings/meetcoop_bbb/announcements",
        Some(json!({"text": "Maintenance on Sunday from 10:00 UTC.", "kind": "maintenance"})),
    )
    .await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.json);
    let id = posted.json["id"].as_str().expect("id").to_string();
    assert_eq!(posted.headers[header::LOCATION], id.as_str());
    assert_eq!(posted.json["kind"], "maintenance");
    assert_eq!(posted.json["actor"], bbb_url);
    let bbb = a.local("meetcoop_bbb").await;
    let stored = announcements_of(&a, &bbb).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].ap_id, id);
    assert_eq!(stored[0].kind, AnnouncementKind::Maintenance);
    let outbox: Value = http()
        .get(a.url("/actors/meetcoop_bbb/outbox"))
        .header(header::ACCEPT, AS)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        outbox["orderedItems"].as_array().is_some_and(|items| items
            .iter()
            .any(|i| i["type"] == "Create" && i["object"]["id"] == id.as_str())),
        "{outbox}"
    );
    let create = eventually(20, "the Create arrives at the follower", || async {
        fake.received_of("Create")
            .into_iter()
            .find(|c| c["object"]["id"] == id.as_str())
    })
    .await;
    assert!(
        create["object"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Maintenance on Sunday")),
        "{create}"
    );

    // The same token on Y's listings: 403 on every endpoint, naming the listing, and
    // nothing changes.
    let before_offering = snapshot(&a, "rheinmeet_bbb").await;
    let before_coop = snapshot(&a, "rheinmeet").await;
    let mut y_spec = serde_json::to_value(
        directory::offering_spec(&before_offering.0).expect("spec of Y's offering"),
    )
    .unwrap();
    y_spec["name"] = json!("Taken over");
    let refused = call(
        &a,
        &token,
        Method::GET,
        "/api/v1/offerings/rheinmeet_bbb/spec",
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.json);
    for (method, path, body) in writes("rheinmeet_bbb", &y_spec) {
        let r = call(&a, &token, method.clone(), &path, Some(body)).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{method} {path}: {}",
            r.json
        );
        assert!(
            r.error().contains(&format!("rheinmeet_bbb@{domain}")),
            "{method} {path}: {}",
            r.json
        );
    }
    // Invalid bodies do not turn a 403 into a 422 (nothing is said about the listing).
    let r = call(
        &a,
        &token,
        Method::PUT,
        "/api/v1/offerings/rheinmeet_bbb",
        Some(json!({"platform": "zoom"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.json);
    // Y's co-op itself.
    let r = call(
        &a,
        &token,
        Method::POST,
        "/api/v1/offerings/rheinmeet/announcements",
        Some(json!({"text": "We are closing"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.json);
    assert!(
        r.error().contains(&format!("rheinmeet@{domain}")),
        "{}",
        r.json
    );
    let after_offering = snapshot(&a, "rheinmeet_bbb").await;
    let after_coop = snapshot(&a, "rheinmeet").await;
    assert_eq!(after_offering, before_offering);
    assert_eq!(after_coop, before_coop);
    assert_eq!(after_offering.0.status, Status::Active);
    assert_ne!(actor_doc(&a, "rheinmeet_bbb").await["name"], "Taken over");
    // X's offering did not move to Y (the transfer attempt named it as successor).
    assert_eq!(
        a.local("meetcoop_bbb").await.also_known_as,
        bbb.also_known_as
    );

    // An unknown listing: 404.
    let r = call(
        &a,
        &token,
        Method::PUT,
        "/api/v1/offerings/nobody_here",
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.json);
    // A co-op has no offering facts: 404 for spec and PUT, though it may announce.
    let r = call(
        &a,
        &token,
        Method::GET,
        "/api/v1/offerings/meetcoop/spec",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.json);
    let r = call(
        &a,
        &token,
        Method::POST,
        "/api/v1/offerings/meetcoop/announcements",
        Some(json!({"text": "Our assembly is on Friday."})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["kind"], "news");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_a_valid_token_get_401_even_with_a_session() {
    let a = two_coops().await;
    let token = staff_token(&a, "meetstaff", "meetcoop").await;
    let before = snapshot(&a, "meetcoop_bbb").await;
    let spec = serde_json::to_value(directory::offering_spec(&before.0).unwrap()).unwrap();
    let mut endpoints = writes("meetcoop_bbb", &spec);
    endpoints.push((Method::GET, "/api/v1/me".into(), Value::Null));
    endpoints.push((
        Method::GET,
        "/api/v1/offerings/meetcoop_bbb/spec".into(),
        Value::Null,
    ));
    let body = |b: &Value| (!b.is_null()).then(|| b.to_string());

    // A valid session of the same staff account: the staff pages accept it…
    let cookie = login(&a, "meetstaff").await;
    let page = http()
        .get(a.url("/staff/meetcoop_bbb"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);

    for (method, path, b) in &endpoints {
        // No token.
        let r = send(&a, method.clone(), path, None, None, body(b)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        let challenge = r.headers[header::WWW_AUTHENTICATE].to_str().unwrap();
        assert!(challenge.starts_with("Bearer "), "{challenge}");
        assert!(r.error().contains("coopdir token create"), "{}", r.json);
        // …but not the API: a cookie alone is not a token.
        let r = send(&a, method.clone(), path, None, Some(&cookie), body(b)).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} with a session"
        );
        assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
        // A garbage token, one without the prefix, another scheme, an empty bearer.
        for auth in [
            "Bearer coopdir_thisisnotatokenofthisnodeatall0000000000000",
            "Bearer hunter2",
            "Basic bWVldHN0YWZmOmNvcnJlY3QgaG9yc2UgYmF0dGVyeQ==",
            "Bearer ",
            token.as_str(),
        ] {
            let r = send(&a, method.clone(), path, Some(auth), Some(&cookie), body(b)).await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {auth}"
            );
            assert!(
                r.headers[header::WWW_AUTHENTICATE]
                    .to_str()
                    .unwrap()
                    .starts_with("Bearer "),
                "{auth}"
            );
        }
        let r = send(
            &a,
            method.clone(),
            path,
            Some("Bearer coopdir_garbage"),
            None,
            body(b),
        )
        .await;
        assert!(
            r.headers[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .contains("error=\"invalid_token\""),
            "{method} {path}"
        );
    }
    assert_eq!(snapshot(&a, "meetcoop_bbb").await, before);

    // The token works, and its use is recorded; once revoked (`coopdir token revoke`) it is refused.
    let me = call(&a, &token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(me.status, StatusCode::OK);
    let row = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(accounts::token_hash(&token)))
        .one(&a.state.db)
        .await
        .unwrap()
        .expect("token row");
    assert!(row.last_used_at.is_some());
    let account = accounts::find(&a.state.db, "meetstaff")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        accounts::revoke_tokens(&a.state.db, &account, "automation")
            .await
            .unwrap(),
        1
    );
    let r = call(&a, &token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_bodies_are_refused_naming_the_field_and_change_nothing() {
    let a = two_coops().await;
    let token = staff_token(&a, "meetstaff", "meetcoop").await;
    let before = snapshot(&a, "meetcoop_bbb").await;
    let spec = serde_json::to_value(directory::offering_spec(&before.0).unwrap()).unwrap();
    let with = |field: &str, v: Value| {
        let mut s = spec.clone();
        s[field] = v;
        s
    };
    let put = "/api/v1/offerings/meetcoop_bbb";
    let announce = "/api/v1/offerings/meetcoop_bbb/announcements";
    let sunset = "/api/v1/offerings/meetcoop_bbb/sunset";
    let transfer = "/api/v1/offerings/meetcoop_bbb/transfer";
    let soon = (chrono::Utc::now().date_naive() + chrono::Days::new(5)).to_string();
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        (
            put,
            with("platform", json!("zoom")).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "platform",
        ),
        (
            put,
            with("features", json!(["recording", "teleport"])).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "features",
        ),
        (
            put,
            with("participants_per_room", json!(0)).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "participants_per_room",
        ),
        (
            put,
            with("languages", json!(["not a language"])).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "languages",
        ),
        (
            put,
            with("homepage", json!("javascript:alert(1)")).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "homepage",
        ),
        (
            put,
            with("price", json!({"model": "membership", "amount": "9.00"})).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "price",
        ),
        (
            put,
            with("name", json!("")).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "name",
        ),
        (
            put,
            with("colour", json!("red")).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "colour",
        ),
        (
            put,
            with("handle", json!("meetcoop_rooms")).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "handle",
        ),
        (
            put,
            with(
                "also_known_as",
                json!(["https://elsewhere.example/actors/x"]),
            )
            .to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "also_known_as",
        ),
        (
            put,
            json!({"name": "Only a name"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "platform",
        ),
        (
            put,
            "{\"name\": \"meet.coop\",".into(),
            StatusCode::BAD_REQUEST,
            "JSON",
        ),
        (put, "[]".into(), StatusCode::UNPROCESSABLE_ENTITY, "object"),
        (put, String::new(), StatusCode::BAD_REQUEST, "JSON"),
        (
            announce,
            json!({"text": "   "}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "text",
        ),
        (
            announce,
            json!({"text": "x".repeat(5001)}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "text",
        ),
        (
            announce,
            json!({}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "text",
        ),
        (
            announce,
            json!({"text": "Hi", "kind": "party"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "kind",
        ),
        (
            announce,
            json!({"text": "Bye", "kind": "sunset"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "kind",
        ),
        (
            announce,
            json!({"text": "Hi", "pinned": true}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "pinned",
        ),
        (
            announce,
            "{text: 'Hi'}".into(),
            StatusCode::BAD_REQUEST,
            "JSON",
        ),
        (
            sunset,
            json!({"end": "next year"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "end",
        ),
        // A well-formed date sooner than this offering's promised notice: a conflict with
        // the offering, not a malformed value.
        (
            sunset,
            json!({"end": soon}).to_string(),
            StatusCode::CONFLICT,
            "notice",
        ),
        (
            transfer,
            json!({"to": "rheinmeet_bbb"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "confirm",
        ),
        (
            transfer,
            json!({"to": "", "confirm": true}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "to",
        ),
    ];
    for (path, body, status, field) in cases {
        let r = send(
            &a,
            if path == put {
                Method::PUT
            } else {
                Method::POST
            },
            path,
            Some(&format!("Bearer {token}")),
            None,
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, status, "{path} {body}: {}", r.json);
        assert!(
            r.error().contains(field),
            "{path} {body}: the message should name `{field}`: {}",
            r.json
        );
    }
    // Nothing was written, announced or sent.
    assert_eq!(snapshot(&a, "meetcoop_bbb").await, before);
    assert_eq!(
        serde_json::to_value(directory::offering_spec(&a.local("meetcoop_bbb").await).unwrap())
            .unwrap(),
        spec
    );
    assert_eq!(a.local("rheinmeet_bbb").await.also_known_as, "[]");
    // And the unchanged facts sent back are accepted (a no-op edit).
    let r = call(&a, &token, Method::PUT, put, Some(spec.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json, spec);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_token_acts_on_every_listing() {
    let a = two_coops().await;
    let token = admin_token(&a, "ada_ops").await;

    let me = call(&a, &token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.json);
    assert_eq!(me.json["role"], "admin");
    assert_eq!(me.json["coop"], Value::Null);
    let names: Vec<&str> = me.json["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["username"].as_str().unwrap())
        .collect();
    for n in [
        "meetcoop",
        "meetcoop_bbb",
        "rheinmeet",
        "rheinmeet_bbb",
        "rheinmeet_jitsi",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    assert!(!names.contains(&directory::INSTANCE_USERNAME));

    // Edit Y's offering.
    let mut spec = call(
        &a,
        &token,
        Method::GET,
        "/api/v1/offerings/rheinmeet_bbb/spec",
        None,
    )
    .await
    .json;
    spec["registration"] = json!("waitlist");
    let r = call(
        &a,
        &token,
        Method::PUT,
        "/api/v1/offerings/rheinmeet_bbb",
        Some(spec),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let stored = directory::offering_spec(&a.local("rheinmeet_bbb").await).unwrap();
    assert_eq!(stored.registration.as_str(), "waitlist");

    // Announce for X's co-op.
    let r = call(
        &a,
        &token,
        Method::POST,
        "/api/v1/offerings/meetcoop/announcements",
        Some(json!({"text": "Prices change in March.", "kind": "price"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let coop = a.local("meetcoop").await;
    assert_eq!(announcements_of(&a, &coop).await.len(), 1);

    // Sunset Y's Jitsi with its promised notice.
    let jitsi = a.local("rheinmeet_jitsi").await;
    let notice = directory::offering_spec(&jitsi).unwrap().notice_days.0;
    let end = chrono::Utc::now().date_naive() + chrono::Days::new(u64::from(notice) + 1);
    let r = call(
        &a,
        &token,
        Method::POST,
        "/api/v1/offerings/rheinmeet_jitsi/sunset",
        Some(json!({"end": end.to_string()})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["status"], "sunsetting");
    let jitsi = a.local("rheinmeet_jitsi").await;
    assert_eq!(jitsi.status, Status::Sunsetting);
    assert_eq!(jitsi.sunset_end, Some(end));
    // Twice: a conflict.
    let r = call(
        &a,
        &token,
        Method::POST,
        "/api/v1/offerings/rheinmeet_jitsi/sunset",
        Some(json!({"end": end.to_string()})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.json);

    // Transfer X's community rooms to Y's BigBlueButton.
    let r = call(
        &a,
        &token,
        Method::POST,
        "/api/v1/offerings/meetcoop_rooms/transfer",
        Some(json!({"to": "rheinmeet_bbb", "confirm": true})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["status"], "transferred");
    let rooms = a.local("meetcoop_rooms").await;
    assert_eq!(
        rooms.moved_to.as_deref(),
        Some(a.url("/actors/rheinmeet_bbb").as_str())
    );
    assert!(
        a.local("rheinmeet_bbb")
            .await
            .also_known_as
            .contains(&rooms.ap_id)
    );
}
