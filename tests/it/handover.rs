//! When a co-op folds or hands over: a transfer to another co-op is a proposal until that
//! co-op accepts it (on one node, or across nodes by `Offer` / `Accept` / `Reject`); only
//! then does the successor list the origin and the followers move. A whole co-op can fold
//! (sunset) at once, with previews that write nothing, postponing and cancelling.

use crate::common::*;
use chrono::{Days, Utc};
use coopdir::{
    db::entities::{activity, announcement, delivery, lifecycle_event, transfer_proposal},
    directory::{
        accounts,
        lifecycle::{self, SunsetRequest},
        transfers,
    },
};
use reqwest::{StatusCode, header};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

fn aka(doc: &Value) -> Vec<String> {
    doc["alsoKnownAs"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn staff_token(node: &TestNode, username: &str, coop: &str) -> String {
    let coop = node.local(coop).await;
    let account = accounts::create_staff(&node.state.db, username, PASSWORD, &coop)
        .await
        .unwrap();
    accounts::create_token(&node.state.db, &account, "automation")
        .await
        .unwrap()
}

async fn api(node: &TestNode, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let res = http()
        .post(node.url(path))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn login(node: &TestNode, username: &str) -> String {
    let res = http()
        .post(node.url("/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!(
            "username={username}&password=correct+horse+battery"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

async fn form(
    node: &TestNode,
    cookie: &str,
    path: &str,
    body: &[(&str, &str)],
) -> (StatusCode, String) {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(body)
        .finish();
    let res = http()
        .post(node.url(path))
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

async fn page(node: &TestNode, cookie: &str, path: &str) -> String {
    http()
        .get(node.url(path))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Rows of every table a lifecycle action writes to.
async fn rows(node: &TestNode) -> [u64; 5] {
    let db = &node.state.db;
    [
        activity::Entity::find().count(db).await.unwrap(),
        delivery::Entity::find().count(db).await.unwrap(),
        announcement::Entity::find().count(db).await.unwrap(),
        transfer_proposal::Entity::find().count(db).await.unwrap(),
        lifecycle_event::Entity::find().count(db).await.unwrap(),
    ]
}

async fn proposal_on(node: &TestNode) -> Option<transfer_proposal::Model> {
    transfer_proposal::Entity::find()
        .order_by_desc(transfer_proposal::Column::Id)
        .one(&node.state.db)
        .await
        .unwrap()
}

/// The `coopdir` binary against a running test node's database.
async fn cli(node: &TestNode, args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(bin())
        .args(Proc::args(node.port, node.db.dir.path(), &node.db.url))
        .args(args)
        .output()
        .await
        .unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Co-op A on node 1 proposes to hand its BigBlueButton to co-op B's on node 2. Nothing
/// moves, and B's actor is unchanged, until B's staff accept on node 2; then the follower
/// on node 3 receives `Move`, follows B's offering and is accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_to_another_node_waits_for_the_successors_acceptance() {
    let n1 = TestNode::start().await;
    let n2 = TestNode::start().await;
    let n3 = TestNode::start().await;
    n1.import("meetcoop.toml", MEETCOOP).await;
    n2.import("rheinmeet.json", RHEINMEET).await;
    let old = n1.url("/actors/meetcoop_bbb");
    let new = n2.url("/actors/rheinmeet_bbb");
    n3.follow(&old).await;
    let token_a = staff_token(&n1, "alice", "meetcoop").await;
    let token_b = staff_token(&n2, "bruno", "rheinmeet").await;

    let (status, body) = api(
        &n1,
        &token_a,
        "/api/v1/offerings/meetcoop_bbb/transfer",
        json!({ "to": format!("rheinmeet_bbb@{}", n2.domain()), "confirm": true,
                "note": "Recordings can be exported until the end of March." }),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["proposal"]["state"], "pending");
    assert_eq!(body["proposal"]["direction"], "out");

    // The Offer arrives on node 2 and waits for B's staff.
    let incoming = eventually(30, "node 2 keeps the Offer", || async {
        proposal_on(&n2).await.filter(|p| p.direction == "in")
    })
    .await;
    assert_eq!(incoming.origin_ap_id, old);
    assert_eq!(incoming.successor_ap_id, new);
    assert_eq!(
        incoming.note,
        "Recordings can be exported until the end of March."
    );
    let offer = activity::Entity::find()
        .filter(activity::Column::Kind.eq("Offer"))
        .one(&n1.state.db)
        .await
        .unwrap()
        .unwrap();
    let offer_json: Value = serde_json::from_str(&offer.payload).unwrap();
    assert_eq!(offer_json["actor"], old.as_str());
    assert_eq!(offer_json["object"], old.as_str());
    assert_eq!(offer_json["target"], new.as_str());
    assert_eq!(incoming.offer_ap_id, offer.ap_id);
    // Nothing moved: A is active without movedTo, B lists nobody, no Move was sent.
    let a_doc = actor_json(&old).await;
    assert!(a_doc["movedTo"].is_null(), "{a_doc}");
    assert_eq!(a_doc["serviceStatus"], "active");
    assert!(aka(&actor_json(&new).await).is_empty());
    assert_eq!(
        activity::Entity::find()
            .filter(activity::Column::Kind.eq("Move"))
            .count(&n1.state.db)
            .await
            .unwrap(),
        0
    );
    // Node 1 cannot answer for node 2.
    let err = transfers::accept(
        &n1.state,
        proposal_on(&n1).await.unwrap().id,
        &transfers::Acting::Operator,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("answered there"), "{err}");

    // B's staff see it on their page, with the note and what changes, and accept it.
    let cookie = login(&n2, "bruno").await;
    let dashboard = page(&n2, &cookie, "/staff").await;
    assert!(
        dashboard.contains(&format!("/staff/rheinmeet_bbb#proposal-{}", incoming.id)),
        "{dashboard}"
    );
    let html = page(&n2, &cookie, "/staff/rheinmeet").await;
    assert!(html.contains("Recordings can be exported"), "{html}");
    assert!(html.contains(&format!("/staff/transfers/{}/accept", incoming.id)));
    let (status, body) = api(
        &n2,
        &token_b,
        &format!("/api/v1/transfers/{}/accept", incoming.id),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(aka(&actor_json(&new).await).contains(&old));

    // Node 1 checks B and moves; the follower on node 3 moves to B and is accepted.
    eventually(30, "node 1 moves after the Accept", || async {
        (n1.local("meetcoop_bbb").await.status == Status::Transferred).then_some(())
    })
    .await;
    assert_eq!(actor_json(&old).await["movedTo"], new.as_str());
    let mv = activity::Entity::find()
        .filter(activity::Column::Kind.eq("Move"))
        .one(&n1.state.db)
        .await
        .unwrap()
        .unwrap();
    n3.wait_received(&mv.ap_id).await;
    n3.wait_accepted(&new).await;
    let out = proposal_on(&n1).await.unwrap();
    assert_eq!(out.state, "moved");
    assert!(out.moved_at.is_some());
    assert_eq!(proposal_on(&n2).await.unwrap().state, "accepted");
    // The notice tells members what changes: membership 9 EUR → subscription 29 EUR.
    let notice = announcement::Entity::find()
        .filter(announcement::Column::Kind.eq(AnnouncementKind::Transfer))
        .one(&n1.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        notice.source.contains("Recordings can be exported"),
        "{}",
        notice.source
    );
}

/// A declined proposal leaves both actors as they were, and A's staff read why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_offer_changes_nothing_and_says_why() {
    let n1 = TestNode::start().await;
    let n2 = TestNode::start().await;
    n1.import("meetcoop.toml", MEETCOOP).await;
    n2.import("rheinmeet.json", RHEINMEET).await;
    let old = n1.url("/actors/meetcoop_bbb");
    let new = n2.url("/actors/rheinmeet_bbb");
    staff_token(&n1, "alice", "meetcoop").await;
    let a_before = actor_json(&old).await;
    let b_before = actor_json(&new).await;
    let out = lifecycle::transfer(
        &n1.state,
        &n1.local("meetcoop_bbb").await,
        lifecycle::TransferRequest {
            to: &new,
            note: "",
            map: &[],
            preview: false,
            by: &transfers::Acting::Operator,
        },
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            lifecycle::TransferOutcome::Proposed { remote: true, .. }
        ),
        "{out:?}"
    );
    let incoming = eventually(30, "node 2 keeps the Offer", || async {
        proposal_on(&n2).await
    })
    .await;
    // Declined on node 2 with the CLI.
    let o = cli(
        &n2,
        &[
            "transfers",
            "decline",
            &incoming.id.to_string(),
            "--reason",
            "We have no room for more members this year.",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    eventually(30, "node 1 learns the answer", || async {
        proposal_on(&n1).await.filter(|p| p.state == "declined")
    })
    .await;
    let cookie = login(&n1, "alice").await;
    let html = page(&n1, &cookie, "/staff/meetcoop_bbb").await;
    assert!(
        html.contains("We have no room for more members this year."),
        "{html}"
    );
    assert!(html.contains("declined"));
    for (url, before) in [(&old, &a_before), (&new, &b_before)] {
        let now = actor_json(url).await;
        assert_eq!(now["movedTo"], before["movedTo"]);
        assert_eq!(now["alsoKnownAs"], before["alsoKnownAs"]);
        assert_eq!(now["serviceStatus"], before["serviceStatus"]);
    }
    // Answered once: a second answer is refused with exit status 2.
    let o = cli(&n2, &["transfers", "accept", &incoming.id.to_string()]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("already answered"), "{}", stderr(&o));
}

/// On one node, staff of co-op A cannot change co-op B's actor by any path until B
/// accepts: the form and the API only propose; A's token and A's session cannot accept
/// for B (403); the CLI proposes too. Bad answers are refused with a clear message and
/// exit status 2 (on the API 404 for an unknown proposal, 409 for an answered one: the
/// description of the API accepts any proposal number), and write nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_of_one_coop_cannot_change_another_coops_actor() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    let follower = TestNode::start().await;
    let old = node.url("/actors/meetcoop_bbb");
    let new = node.url("/actors/rheinmeet_bbb");
    follower.follow(&old).await;
    let token_a = staff_token(&node, "alice", "meetcoop").await;
    let token_b = staff_token(&node, "bruno", "rheinmeet").await;
    let cookie_a = login(&node, "alice").await;
    let b_before = actor_json(&new).await;

    // Preview: the notice and that consent is needed; nothing written.
    let before = rows(&node).await;
    let (status, body) = api(
        &node,
        &token_a,
        "/api/v1/offerings/meetcoop_bbb/transfer",
        json!({ "to": "rheinmeet_bbb", "preview": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["needs_consent"], true);
    let text = body["text"].as_str().unwrap();
    assert!(
        text.contains("price: membership 9.00 EUR/month → subscription 29.00 EUR/month"),
        "{text}"
    );
    assert_eq!(rows(&node).await, before);

    // The form proposes; B's actor is untouched.
    let (status, _) = form(
        &node,
        &cookie_a,
        "/staff/meetcoop_bbb/transfer",
        &[
            ("to", "rheinmeet_bbb"),
            ("confirm", "yes"),
            ("note", "Thank you, Rhein Meet."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let p = proposal_on(&node).await.unwrap();
    assert_eq!(p.state, "pending");
    assert_eq!(
        actor_json(&new).await["alsoKnownAs"],
        b_before["alsoKnownAs"]
    );
    assert_eq!(node.local("meetcoop_bbb").await.status, Status::Active);
    // A second proposal, through the API, is refused while one is pending.
    let (status, body) = api(
        &node,
        &token_a,
        "/api/v1/offerings/meetcoop_bbb/transfer",
        json!({ "to": "rheinmeet_bbb", "confirm": true }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // A's token and A's session cannot accept the proposal for B.
    let (status, body) = api(
        &node,
        &token_a,
        &format!("/api/v1/transfers/{}/accept", p.id),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = form(
        &node,
        &cookie_a,
        &format!("/staff/transfers/{}/accept", p.id),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        actor_json(&new).await["alsoKnownAs"],
        b_before["alsoKnownAs"]
    );
    assert_eq!(node.local("meetcoop_bbb").await.status, Status::Active);

    // Bad answers: unknown proposal; --map on an offering (not a co-op); nothing written.
    let before = rows(&node).await;
    let o = cli(&node, &["transfers", "accept", "9999"]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no transfer proposal 9999"),
        "{}",
        stderr(&o)
    );
    let (status, body) = api(&node, &token_b, "/api/v1/transfers/9999/accept", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let o = cli(
        &node,
        &[
            "transfer",
            "meetcoop",
            "--to",
            "rheinmeet",
            "--map",
            "meetcoop_bbb=rheinmeet_jitsi",
            "--map",
            "rheinmeet_bbb=rheinmeet_bbb",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not an offering of meet.coop"),
        "{}",
        stderr(&o)
    );
    assert_eq!(rows(&node).await, before);

    // B's staff accept: B lists A's offering, A moves, the follower follows B.
    let (status, body) = api(
        &node,
        &token_b,
        &format!("/api/v1/transfers/{}/accept", p.id),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["proposal"]["state"], "moved");
    assert!(aka(&actor_json(&new).await).contains(&old));
    assert_eq!(actor_json(&old).await["movedTo"], new.as_str());
    follower.wait_accepted(&new).await;
    // The old page shows its successor first, with "Follow the successor", and no longer
    // invites to follow the old actor.
    let html = http().get(&old).send().await.unwrap().text().await.unwrap();
    let at = html
        .find("Follow the successor")
        .expect("a follow of the successor");
    assert!(
        html[..at].contains("Rhein Meet"),
        "the successor is named first"
    );
    assert!(
        html.contains(&format!("name=\"actor\" value=\"{new}\"")),
        "{html}"
    );
    assert!(!html.contains("class=\"follow-box\""), "{html}");
    // Answered: 409 on the API and exit 2 on the CLI.
    let (status, body) = api(
        &node,
        &token_b,
        &format!("/api/v1/transfers/{}/accept", p.id),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("already answered"),
        "{body}"
    );
    let o = cli(&node, &["transfers", "--json"]).await;
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["state"], "moved");
    assert_eq!(list[0]["from"], old.as_str());
}

/// A proposal not answered in 30 days expires; answering it then is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_proposal_can_no_longer_be_accepted() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    let o = cli(
        &node,
        &[
            "transfer",
            &format!("meetcoop_rooms@{}", node.domain()),
            "--to",
            "rheinmeet_bbb",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("nothing moves until"));
    let p = proposal_on(&node).await.unwrap();
    let mut am: transfer_proposal::ActiveModel = p.clone().into();
    am.expires_at = Set(Utc::now() - chrono::Duration::days(1));
    am.update(&node.state.db).await.unwrap();
    let before = rows(&node).await;
    let o = cli(&node, &["transfers", "accept", &p.id.to_string()]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("expired"), "{}", stderr(&o));
    assert_eq!(rows(&node).await, before);
    lifecycle::tick(&node.state, Utc::now().date_naive())
        .await
        .unwrap();
    assert_eq!(proposal_on(&node).await.unwrap().state, "expired");
    assert_eq!(node.local("meetcoop_rooms").await.status, Status::Active);
}

/// `sunset meetcoop` folds the co-op: it and all its offerings sunset with one last day
/// of service no sooner than the longest notice; no notice names a meet.coop offering;
/// the preview writes nothing; postponing moves the reminders; cancelling restores every
/// status and sends `Update`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coop_folds_with_its_offerings_and_can_postpone_or_cancel() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    let follower = TestNode::start().await;
    follower.follow(&node.url("/actors/meetcoop_bbb")).await;
    let today = Utc::now().date_naive();
    let coop = node.local("meetcoop").await;

    // Shorter than the longest notice (90 days for BigBlueButton): refused, nothing written.
    let before = rows(&node).await;
    let short = (today + Days::new(70)).to_string();
    let o = cli(&node, &["sunset", "meetcoop", "--end", &short]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("90 days"), "{}", stderr(&o));
    // The preview writes nothing and queues nothing.
    let end = today + Days::new(100);
    let o = cli(
        &node,
        &[
            "sunset",
            "meetcoop",
            "--end",
            &end.to_string(),
            "--preview",
            "--note",
            "Export recordings from the Rooms page.",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("last day of service"), "{out}");
    assert!(out.contains("Export recordings"), "{out}");
    assert_eq!(rows(&node).await, before);

    let report = lifecycle::sunset_plan(
        &node.state,
        &coop,
        SunsetRequest {
            end,
            today,
            note: "Export recordings from the Rooms page.",
            alternatives: &[],
            preview: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        report.announcements.len(),
        3,
        "the co-op and its two offerings"
    );
    for name in ["meetcoop", "meetcoop_bbb", "meetcoop_rooms"] {
        let a = node.local(name).await;
        assert_eq!(a.status, Status::Sunsetting, "{name}");
        assert_eq!(a.sunset_end, Some(end));
    }
    let notices = announcement::Entity::find()
        .filter(announcement::Column::Kind.eq(AnnouncementKind::Sunset))
        .all(&node.state.db)
        .await
        .unwrap();
    assert_eq!(notices.len(), 3);
    let coop_doc = actor_json(&node.url("/actors/meetcoop")).await;
    assert_eq!(coop_doc["serviceStatus"], "sunsetting", "{coop_doc}");
    assert_eq!(coop_doc["sunsetEnd"], end.to_string());
    for n in &notices {
        assert!(
            !n.tags.contains("/actors/meetcoop_"),
            "a meet.coop offering is named: {}",
            n.tags
        );
        assert!(!n.source.contains("@meetcoop_"), "{}", n.source);
        assert!(n.source.contains("Export recordings"), "{}", n.source);
    }
    let bbb_notice = notices
        .iter()
        .find(|n| n.tags.contains("rheinmeet_bbb"))
        .expect("an alternative is named");
    assert!(
        bbb_notice.source.contains("@rheinmeet_bbb@"),
        "{}",
        bbb_notice.source
    );
    assert!(
        bbb_notice.source.contains(": "),
        "each alternative has its reason: {}",
        bbb_notice.source
    );

    // Nor does the directory suggest them to anyone while the co-op folds.
    let alts: Value = http()
        .get(node.url(&format!(
            "/api/v1/offerings/alternatives?actor={}",
            node.url("/actors/rheinmeet_bbb")
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        alts["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| !i["handle"].as_str().unwrap().starts_with("meetcoop_")),
        "{alts}"
    );

    // The page shows the last day of service, the note and the alternatives before Follow.
    let html = http()
        .get(node.url("/actors/meetcoop_bbb"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let follow_at = html.find("class=\"follow-box\"").expect("a follow box");
    let before_follow = &html[..follow_at];
    assert!(
        before_follow.contains(&format!("{end} is its last day of service")),
        "{html}"
    );
    assert!(before_follow.contains("Export recordings"), "{html}");
    assert!(before_follow.contains("@rheinmeet_bbb@"), "{html}");
    assert!(!before_follow.contains("@meetcoop_rooms@"), "{html}");

    // Postpone by 30 days: the 30-day reminder comes 30 days before the new date.
    let later = end + Days::new(30);
    let o = cli(&node, &["sunset", "meetcoop", "--end", &later.to_string()]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(node.local("meetcoop_rooms").await.sunset_end, Some(later));
    let r = lifecycle::tick(&node.state, end - Days::new(30))
        .await
        .unwrap();
    assert!(r.reminders.is_empty(), "{:?}", r.reminders);
    let r = lifecycle::tick(&node.state, later - Days::new(30))
        .await
        .unwrap();
    assert_eq!(r.reminders.len(), 3, "{:?}", r.reminders);

    // Cancel: every status is restored and the followers get the actor's Update.
    let updates_before = activity::Entity::find()
        .filter(activity::Column::Kind.eq("Update"))
        .count(&node.state.db)
        .await
        .unwrap();
    let o = cli(&node, &["sunset", "meetcoop", "--cancel"]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["meetcoop", "meetcoop_bbb", "meetcoop_rooms"] {
        let a = node.local(name).await;
        assert_eq!(a.status, Status::Active, "{name}");
        assert_eq!(a.sunset_end, None);
    }
    let update = activity::Entity::find()
        .filter(activity::Column::Kind.eq("Update"))
        .order_by_desc(activity::Column::Id)
        .one(&node.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        activity::Entity::find()
            .filter(activity::Column::Kind.eq("Update"))
            .count(&node.state.db)
            .await
            .unwrap()
            > updates_before
    );
    follower.wait_received(&update.ap_id).await;
    let doc = actor_json(&node.url("/actors/meetcoop_bbb")).await;
    assert_eq!(doc["serviceStatus"], "active");
    // No reminder after a cancel.
    assert!(
        lifecycle::tick(&node.state, later - Days::new(7))
            .await
            .unwrap()
            .reminders
            .is_empty()
    );
}

/// `transfer meetcoop --to rheinmeet --map …` hands the whole co-op over with one consent:
/// nothing moves until Rhein Meet accepts; then the co-op and each offering move, mapped
/// ones to the named offering and the others to the successor co-op, which lists them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coop_hands_over_with_one_consent() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    let follower = TestNode::start().await;
    let rooms = node.url("/actors/meetcoop_rooms");
    follower.follow(&rooms).await;
    let o = cli(
        &node,
        &[
            "transfer",
            "meetcoop",
            "--to",
            "rheinmeet",
            "--map",
            "meetcoop_bbb=rheinmeet_bbb",
            "--note",
            "Accounts stay readable until June.",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("nothing moves until"));
    for name in ["meetcoop", "meetcoop_bbb", "meetcoop_rooms"] {
        assert_eq!(node.local(name).await.status, Status::Active, "{name}");
    }
    assert!(aka(&actor_json(&node.url("/actors/rheinmeet")).await).is_empty());
    let p = proposal_on(&node).await.unwrap();
    let o = cli(&node, &["transfers", "accept", &p.id.to_string()]).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let moved = |name: &'static str| {
        let node = &node;
        async move { node.local(name).await }
    };
    assert_eq!(
        moved("meetcoop").await.moved_to,
        Some(node.url("/actors/rheinmeet"))
    );
    assert_eq!(
        moved("meetcoop_bbb").await.moved_to,
        Some(node.url("/actors/rheinmeet_bbb"))
    );
    assert_eq!(
        moved("meetcoop_rooms").await.moved_to,
        Some(node.url("/actors/rheinmeet"))
    );
    // (Read from the database: the serving process refreshes its cached documents a
    // moment after a change made by the command.)
    let stored_aka = |name: &'static str| {
        let node = &node;
        async move {
            serde_json::from_str::<Vec<String>>(&node.local(name).await.also_known_as).unwrap()
        }
    };
    let coop_aka = stored_aka("rheinmeet").await;
    assert!(
        coop_aka.contains(&node.url("/actors/meetcoop")),
        "{coop_aka:?}"
    );
    assert!(coop_aka.contains(&rooms), "{coop_aka:?}");
    assert!(
        stored_aka("rheinmeet_bbb")
            .await
            .contains(&node.url("/actors/meetcoop_bbb"))
    );
    // The follower of an unmapped offering follows the successor co-op.
    follower.wait_accepted(&node.url("/actors/rheinmeet")).await;
    assert_eq!(proposal_on(&node).await.unwrap().state, "moved");
}

/// A co-op's hand-over to a co-op on another node: one `Offer` with the map of every
/// offering; one acceptance there lists every predecessor; then each actor moves here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coop_hands_over_to_another_node_with_one_offer() {
    let n1 = TestNode::start().await;
    let n2 = TestNode::start().await;
    n1.import("meetcoop.toml", MEETCOOP).await;
    n2.import("rheinmeet.json", RHEINMEET).await;
    let map = vec![format!("meetcoop_bbb=rheinmeet_bbb@{}", n2.domain())];
    let out = lifecycle::transfer(
        &n1.state,
        &n1.local("meetcoop").await,
        lifecycle::TransferRequest {
            to: &format!("rheinmeet@{}", n2.domain()),
            note: "",
            map: &map,
            preview: false,
            by: &transfers::Acting::Operator,
        },
    )
    .await
    .unwrap();
    assert!(
        matches!(
            out,
            lifecycle::TransferOutcome::Proposed { remote: true, .. }
        ),
        "{out:?}"
    );
    let incoming = eventually(30, "node 2 keeps the Offer", || async {
        proposal_on(&n2).await
    })
    .await;
    assert_eq!(
        transfers::map_of(&incoming).len(),
        2,
        "both offerings are mapped"
    );
    for name in ["meetcoop", "meetcoop_bbb", "meetcoop_rooms"] {
        assert_eq!(n1.local(name).await.status, Status::Active, "{name}");
    }
    transfers::accept(&n2.state, incoming.id, &transfers::Acting::Operator)
        .await
        .unwrap();
    eventually(30, "node 1 hands the co-op over", || async {
        (n1.local("meetcoop").await.status == Status::Transferred).then_some(())
    })
    .await;
    assert_eq!(
        n1.local("meetcoop_bbb").await.moved_to,
        Some(n2.url("/actors/rheinmeet_bbb"))
    );
    assert_eq!(
        n1.local("meetcoop_rooms").await.moved_to,
        Some(n2.url("/actors/rheinmeet"))
    );
    let coop_aka = aka(&actor_json(&n2.url("/actors/rheinmeet")).await);
    assert!(
        coop_aka.contains(&n1.url("/actors/meetcoop")),
        "{coop_aka:?}"
    );
    assert!(
        coop_aka.contains(&n1.url("/actors/meetcoop_rooms")),
        "{coop_aka:?}"
    );
    assert!(
        aka(&actor_json(&n2.url("/actors/rheinmeet_bbb")).await)
            .contains(&n1.url("/actors/meetcoop_bbb"))
    );
}

/// The API and the CLI preview a sunset or a transfer without writing anything, and
/// refuse a co-op's last day of service sooner than its longest notice with 409: it
/// depends on the listings and the day, not on the request alone (docs/api.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_write_nothing_and_short_notice_is_refused() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    let token = staff_token(&node, "alice", "meetcoop").await;
    let today = Utc::now().date_naive();
    let before = rows(&node).await;

    let (status, body) = api(
        &node,
        &token,
        "/api/v1/offerings/meetcoop/sunset",
        json!({ "end": (today + Days::new(61)).to_string() }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("90 days"),
        "{body}"
    );
    let end = (today + Days::new(120)).to_string();
    let (status, body) = api(
        &node,
        &token,
        "/api/v1/offerings/meetcoop/sunset",
        json!({ "end": end, "preview": true, "alternatives": [format!("rheinmeet_jitsi@{}", node.domain())] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["last_day_of_service"], end.as_str());
    let notices = body["announcements"].as_array().unwrap();
    assert_eq!(notices.len(), 3, "{body}");
    for n in notices {
        let first = n["alternatives"][0].as_str().unwrap_or_default();
        if n["handle"].as_str().unwrap().starts_with("meetcoop_") {
            assert!(first.starts_with("@rheinmeet_jitsi@"), "pinned first: {n}");
        }
    }
    // A pinned alternative of the folding co-op itself is refused.
    let (status, body) = api(
        &node,
        &token,
        "/api/v1/offerings/meetcoop/sunset",
        json!({ "end": end, "alternatives": ["meetcoop_rooms"] }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let o = cli(
        &node,
        &[
            "transfer",
            "meetcoop_bbb",
            "--to",
            "rheinmeet_bbb",
            "--preview",
            "--note",
            "Thanks.",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("it must accept before anything moves"),
        "{out}"
    );
    assert!(out.contains("Thanks."), "{out}");
    assert_eq!(rows(&node).await, before);
    assert_eq!(node.local("meetcoop").await.status, Status::Active);
}
