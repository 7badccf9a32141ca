//! Members' replies under announcements (issue 18): a reply from the fediverse appears on
//! the announcement's page, in its `replies` collection, its count and its feed; staff
//! answer it and the answer reaches the asker signed, with `inReplyTo` and the mention;
//! followers-only replies stay with staff; edits and deletions by the author are
//! honoured; blocked domains, hidden replies and replies to other servers' posts are
//! kept out.
//!
//! The remote members are [`Fake`] actors that sign what they post (see security.rs), and
//! the Fedify peer (interop.rs) for the answer that must verify on a real implementation.

use crate::common::*;
use crate::security::{AS, Fake};
use coopdir::{
    db::entities::{moderation_log, reply},
    directory::{
        accounts, announcements,
        replies::{self, answer_target},
        types::AnnouncementKind,
    },
    federation::{answers, policy::Severity},
};
use reqwest::{StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
const PASSWORD: &str = "correct horse battery";

/// A node with meet.coop and one announcement of its BigBlueButton offering.
async fn announced() -> (TestNode, String) {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let bbb = node.local("meetcoop_bbb").await;
    let a = announcements::announce(
        &node.state,
        &bbb,
        AnnouncementKind::News,
        "meet.coop will close. Please post any questions you have.",
    )
    .await
    .expect("announce");
    (node, a.ap_id)
}

/// A remote member `name` on `fake`, with a followers collection.
fn member(fake: &Fake, name: &str) -> String {
    let id = fake.actor_url(name);
    fake.actor(
        name,
        "Person",
        json!({"followers": format!("{id}/followers"), "url": fake.url(&format!("/@{name}"))}),
    )
}

/// A Note of `author` replying to `in_reply_to`, addressed `to` and `cc`.
fn note(
    fake: &Fake,
    author: &str,
    in_reply_to: &str,
    content: &str,
    to: Value,
    cc: Value,
) -> Value {
    json!({
        "id": fake.url(&format!("/notes/{}", uuid::Uuid::new_v4())),
        "type": "Note",
        "attributedTo": author,
        "inReplyTo": in_reply_to,
        "content": content,
        "published": "2026-12-07T10:00:00Z",
        "to": to,
        "cc": cc,
    })
}

fn public(fake: &Fake, author: &str, in_reply_to: &str, content: &str) -> Value {
    note(
        fake,
        author,
        in_reply_to,
        content,
        json!([PUBLIC]),
        json!([format!("{author}/followers")]),
    )
}

/// Wrap `object` in an activity of `kind` by its author and POST it signed to the
/// node's shared inbox.
async fn send(node: &TestNode, fake: &Fake, kind: &str, object: &Value) -> StatusCode {
    let actor = object["attributedTo"]
        .as_str()
        .or_else(|| object["actor"].as_str())
        .expect("author")
        .to_string();
    let activity = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(),
        "type": kind,
        "actor": actor,
        "object": object,
        "to": object.get("to").cloned().unwrap_or(json!([PUBLIC])),
    });
    fake.post(&node.url("/inbox"), &activity).await.status()
}

async fn page(url: &str) -> String {
    let res = http().get(url).send().await.expect("page");
    assert_eq!(res.status(), StatusCode::OK, "{url}");
    res.text().await.expect("text")
}

/// The ids in the `replies` collection embedded in the announcement's Note.
async fn collection(announcement: &str) -> Vec<String> {
    let note: Value = http()
        .get(announcement)
        .header(header::ACCEPT, AS)
        .send()
        .await
        .expect("note")
        .json()
        .await
        .expect("json");
    let replies = &note["replies"];
    assert_eq!(replies["id"], format!("{announcement}/replies"), "{note}");
    let items: Vec<String> = replies["first"]["orderedItems"]
        .as_array()
        .expect("orderedItems")
        .iter()
        .map(|v| v.as_str().expect("id").to_string())
        .collect();
    assert_eq!(replies["totalItems"], items.len(), "{note}");
    // The collection's own URL answers the same.
    let own: Value = http()
        .get(format!("{announcement}/replies"))
        .send()
        .await
        .expect("collection")
        .json()
        .await
        .expect("json");
    assert_eq!(
        own["first"]["orderedItems"],
        replies["first"]["orderedItems"]
    );
    items
}

async fn stored(node: &TestNode) -> u64 {
    reply::Entity::find()
        .count(&node.state.db)
        .await
        .expect("db")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_appears_on_the_page_in_the_collection_the_count_and_the_feed() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    let bob = member(&fake, "bob");
    let question = public(
        &fake,
        &alice,
        &announcement,
        "<p>What caused it? Should the fees have been higher?</p>",
    );
    assert_eq!(
        send(&node, &fake, "Create", &question).await,
        StatusCode::ACCEPTED
    );
    let qid = question["id"].as_str().unwrap().to_string();
    // A reply to the reply is threaded under it.
    let follow_up = public(&fake, &bob, &qid, "<p>I wondered the same.</p>");
    assert_eq!(
        send(&node, &fake, "Create", &follow_up).await,
        StatusCode::ACCEPTED
    );

    let html = page(&announcement).await;
    assert!(html.contains("Should the fees have been higher?"), "{html}");
    assert!(
        html.contains(&format!("@alice@{}", fake.domain())),
        "{html}"
    );
    assert!(
        html.contains(&fake.url("/@alice")),
        "the link to alice's page"
    );
    let nested = html.find("reply nested").expect("a nested reply");
    assert!(
        html.find("I wondered the same.").unwrap() > nested,
        "bob's reply is threaded under alice's"
    );
    assert_eq!(
        collection(&announcement).await,
        vec![qid.clone(), follow_up["id"].as_str().unwrap().to_string()]
    );
    let listing = page(&node.url("/actors/meetcoop_bbb")).await;
    assert!(
        listing.contains("2 replies"),
        "the count on the listing page"
    );
    let feed = page(&format!("{announcement}/feed.atom")).await;
    assert!(
        feed.contains(&qid) && feed.contains("I wondered the same."),
        "{feed}"
    );
    assert!(
        feed.find("meet.coop will close").unwrap() < feed.find("I wondered the same.").unwrap(),
        "the announcement opens the thread's feed: {feed}"
    );
    // The same Note delivered again (in a new activity) keeps one reply.
    assert_eq!(
        send(&node, &fake, "Create", &question).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(stored(&node).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_only_and_direct_replies_are_kept_for_staff_only() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    let bbb = node.local("meetcoop_bbb").await;
    let private = note(
        &fake,
        &alice,
        &announcement,
        "<p>Only for my followers</p>",
        json!([format!("{alice}/followers")]),
        json!([bbb.ap_id]),
    );
    let direct = note(
        &fake,
        &alice,
        &announcement,
        "<p>Just between us</p>",
        json!([bbb.ap_id]),
        json!([]),
    );
    assert_eq!(
        send(&node, &fake, "Create", &private).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        send(&node, &fake, "Create", &direct).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(stored(&node).await, 2, "both are kept");

    let html = page(&announcement).await;
    assert!(!html.contains("Only for my followers") && !html.contains("Just between us"));
    assert!(collection(&announcement).await.is_empty());
    assert!(
        page(&node.url("/actors/meetcoop_bbb"))
            .await
            .contains("0 replies")
    );

    // Staff of meet.coop see both on the thread and among the questions, marked.
    let coop = node.local("meetcoop").await;
    accounts::create_staff(&node.state.db, "mira", PASSWORD, &coop)
        .await
        .expect("staff");
    let cookie = login(&node, "mira").await;
    let staff_view = get_with(&node, &announcement, &cookie).await;
    assert!(staff_view.contains("Only for my followers"), "{staff_view}");
    assert!(staff_view.contains("Followers only: shown to staff only"));
    assert!(staff_view.contains("Direct: shown to staff only"));
    let manage = get_with(&node, &node.url("/staff/meetcoop_bbb"), &cookie).await;
    assert!(manage.contains("Just between us"), "{manage}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_reply_changes_and_a_deleted_one_disappears() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    let mallory = member(&fake, "mallory");
    let mut question = public(&fake, &alice, &announcement, "<p>First version</p>");
    assert_eq!(
        send(&node, &fake, "Create", &question).await,
        StatusCode::ACCEPTED
    );
    assert!(page(&announcement).await.contains("First version"));

    question["content"] = json!("<p>Edited version</p>");
    assert_eq!(
        send(&node, &fake, "Update", &question).await,
        StatusCode::ACCEPTED
    );
    let html = page(&announcement).await;
    assert!(html.contains("Edited version") && !html.contains("First version"));

    // Another actor of the same host may not edit alice's reply.
    let mut forged = question.clone();
    forged["attributedTo"] = json!(mallory);
    forged["content"] = json!("<p>Forged</p>");
    send(&node, &fake, "Update", &forged).await;
    assert!(!page(&announcement).await.contains("Forged"));

    let qid = question["id"].as_str().unwrap().to_string();
    let tombstone = json!({"id": qid, "type": "Tombstone", "actor": alice});
    assert_eq!(
        send(&node, &fake, "Delete", &tombstone).await,
        StatusCode::ACCEPTED
    );
    let html = page(&announcement).await;
    assert!(!html.contains("Edited version"), "{html}");
    assert!(collection(&announcement).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_from_blocked_domains_are_refused_and_dropped() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    coopdir::directory::moderation::block_domain(
        &node.state,
        &fake.domain(),
        Severity::Reject,
        Some("spam"),
        "test",
    )
    .await
    .expect("block");
    let q = public(&fake, &alice, &announcement, "<p>Buy now</p>");
    assert_eq!(
        send(&node, &fake, "Create", &q).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(stored(&node).await, 0);

    // A silenced (hidden) domain may still deliver, but its replies are dropped.
    coopdir::directory::moderation::block_domain(
        &node.state,
        &fake.domain(),
        Severity::Hide,
        Some("spam"),
        "test",
    )
    .await
    .expect("block");
    let q = public(&fake, &alice, &announcement, "<p>Buy now</p>");
    assert_eq!(send(&node, &fake, "Create", &q).await, StatusCode::ACCEPTED);
    assert_eq!(stored(&node).await, 0);
    assert!(!page(&announcement).await.contains("Buy now"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_reply_is_gone_from_page_and_collection_and_logged() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    let q = public(&fake, &alice, &announcement, "<p>Rude words</p>");
    assert_eq!(send(&node, &fake, "Create", &q).await, StatusCode::ACCEPTED);
    let qid = q["id"].as_str().unwrap().to_string();
    assert_eq!(collection(&announcement).await, vec![qid.clone()]);

    // Staff of meet.coop hide it through the API.
    let coop = node.local("meetcoop").await;
    let account = accounts::create_staff(&node.state.db, "mira", PASSWORD, &coop)
        .await
        .expect("staff");
    let token = accounts::create_token(&node.state.db, &account, "replies")
        .await
        .expect("token");
    let res = http()
        .post(node.url("/api/v1/offerings/meetcoop_bbb/replies/hide"))
        .bearer_auth(&token)
        .json(&json!({"reply": qid, "reason": "insults other members"}))
        .send()
        .await
        .expect("hide");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!page(&announcement).await.contains("Rude words"));
    assert!(collection(&announcement).await.is_empty());
    let log = moderation_log::Entity::find()
        .filter(moderation_log::Column::Target.eq(qid.as_str()))
        .one(&node.state.db)
        .await
        .expect("db")
        .expect("a log entry");
    assert_eq!(log.action, "reply-hide");
    assert_eq!(log.reason, "insults other members");
    assert_eq!(log.moderator, "api:mira");

    // Staff of another co-op may not hide replies under meet.coop's announcements.
    node.import("rheinmeet.json", RHEINMEET).await;
    let other = node.local("rheinmeet").await;
    let stranger = accounts::create_staff(&node.state.db, "rolf", PASSWORD, &other)
        .await
        .expect("staff");
    let token = accounts::create_token(&node.state.db, &stranger, "replies")
        .await
        .expect("token");
    let res = http()
        .post(node.url("/api/v1/offerings/meetcoop_bbb/replies/hide"))
        .bearer_auth(&token)
        .json(&json!({"reply": qid, "reason": "x"}))
        .send()
        .await
        .expect("hide");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_to_something_not_ours_is_ignored_with_nothing_stored() {
    let (node, _) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    for target in [
        fake.url("/notes/elsewhere"),
        "https://other.example/announcements/1".to_string(),
        node.url("/announcements/00000000-0000-0000-0000-000000000000"),
    ] {
        let q = public(&fake, &alice, &target, "<p>Not for you</p>");
        assert_eq!(send(&node, &fake, "Create", &q).await, StatusCode::ACCEPTED);
    }
    assert_eq!(stored(&node).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_sending_too_many_replies_is_told_to_retry_later() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    for i in 0..replies::REPLIES_PER_WINDOW {
        let q = public(&fake, &alice, &announcement, &format!("<p>reply {i}</p>"));
        assert_eq!(send(&node, &fake, "Create", &q).await, StatusCode::ACCEPTED);
    }
    let q = public(&fake, &alice, &announcement, "<p>one too many</p>");
    assert_eq!(
        send(&node, &fake, "Create", &q).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(stored(&node).await, replies::REPLIES_PER_WINDOW);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_answer_from_the_page_and_the_api_and_pin_an_answer() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    let bob = member(&fake, "bob");
    let qa = public(&fake, &alice, &announcement, "<p>What caused it?</p>");
    let qb = public(&fake, &bob, &announcement, "<p>Where do we go now?</p>");
    send(&node, &fake, "Create", &qa).await;
    send(&node, &fake, "Create", &qb).await;
    let (qa_id, qb_id) = (
        qa["id"].as_str().unwrap().to_string(),
        qb["id"].as_str().unwrap().to_string(),
    );
    let coop = node.local("meetcoop").await;
    let account = accounts::create_staff(&node.state.db, "mira", PASSWORD, &coop)
        .await
        .expect("staff");
    let cookie = login(&node, "mira").await;
    let manage = get_with(&node, &node.url("/staff/meetcoop_bbb"), &cookie).await;
    assert!(manage.contains("What caused it?") && manage.contains("Where do we go now?"));

    // From the staff page, pinned.
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/answer"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(urlencoded(&[
            ("url", qa_id.as_str()),
            ("text", "Too few paying members."),
            ("pin", "1"),
        ]))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Through the API.
    let token = accounts::create_token(&node.state.db, &account, "replies")
        .await
        .expect("token");
    let questions: Value = http()
        .get(node.url("/api/v1/offerings/meetcoop_bbb/questions"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("questions")
        .json()
        .await
        .expect("json");
    assert_eq!(questions.as_array().map(Vec::len), Some(1), "{questions}");
    assert_eq!(questions[0]["id"], qb_id);
    let res = http()
        .post(node.url("/api/v1/offerings/meetcoop_bbb/answers"))
        .bearer_auth(&token)
        .json(&json!({"in_reply_to": qb_id, "text": "See the alternatives on our page."}))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), StatusCode::CREATED);
    let posted: Value = res.json().await.expect("json");
    assert_eq!(posted["in_reply_to"], qb_id);
    let empty = http()
        .post(node.url("/api/v1/offerings/meetcoop_bbb/answers"))
        .bearer_auth(&token)
        .json(&json!({"in_reply_to": qb_id, "text": "   "}))
        .send()
        .await
        .expect("answer");
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Both answers are on the page, marked as the co-op's; the pinned one is in the FAQ.
    let html = page(&announcement).await;
    assert_eq!(html.matches("Answer of the co-op").count(), 2, "{html}");
    let faq = html
        .find("Answered questions")
        .expect("the FAQ under the notice");
    assert!(html[faq..].contains("Too few paying members."));
    assert!(html.find("Too few paying members.").unwrap() > faq);
    // Unpinned from the thread, the answer leaves the FAQ but stays in the thread.
    let pinned = reply::Entity::find()
        .filter(reply::Column::Pinned.eq(true))
        .one(&node.state.db)
        .await
        .expect("db")
        .expect("the pinned answer");
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/replies/pin"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(urlencoded(&[("url", &pinned.ap_id), ("pinned", "0")]))
        .send()
        .await
        .expect("unpin");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = page(&announcement).await;
    assert!(!html.contains("Answered questions") && html.contains("Too few paying members."));
    // Staff of another co-op may neither answer nor pin here.
    node.import("rheinmeet.json", RHEINMEET).await;
    let other = node.local("rheinmeet").await;
    accounts::create_staff(&node.state.db, "rolf", PASSWORD, &other)
        .await
        .expect("staff");
    let stranger = login(&node, "rolf").await;
    for (path, form) in [
        (
            "/staff/meetcoop_bbb/answer",
            vec![("url", qa_id.as_str()), ("text", "hijack")],
        ),
        (
            "/staff/meetcoop_bbb/replies/pin",
            vec![("url", pinned.ap_id.as_str()), ("pinned", "1")],
        ),
        (
            "/staff/rheinmeet/answer",
            vec![("url", qa_id.as_str()), ("text", "hijack")],
        ),
    ] {
        let res = http()
            .post(node.url(path))
            .header(header::COOKIE, &stranger)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(urlencoded(&form))
            .send()
            .await
            .expect("post");
        assert!(
            matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{path}: {}",
            res.status()
        );
    }
    assert!(!page(&announcement).await.contains("hijack"));
    // Each answer went to its asker's inbox and is in the thread's collection.
    eventually(20, "two answers delivered", || async {
        (fake.received_of("Create").len() >= 2).then_some(())
    })
    .await;
    let items = collection(&announcement).await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(
        http()
            .get(node.url("/api/v1/offerings/meetcoop_bbb/questions"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("questions")
            .json::<Value>()
            .await
            .expect("json")
            .as_array()
            .is_some_and(Vec::is_empty),
        "nothing waits any more"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_reaches_the_fedify_askers_inbox_signed_with_in_reply_to_and_the_mention() {
    use crate::interop::Peer;
    let (node, announcement) = announced().await;
    let peer = Peer::start_with(&[]).await;
    let offering = node.url("/actors/meetcoop_bbb");
    let asked = peer
        .control(
            "mention",
            json!({
                "target": offering,
                "content": "what caused it?",
                "inReplyTo": announcement,
                "public": true,
            }),
        )
        .await;
    let qid = asked["id"].as_str().expect("note id").to_string();
    eventually(20, "the peer's reply is kept", || async {
        reply::Entity::find()
            .filter(reply::Column::ApId.eq(qid.as_str()))
            .one(&node.state.db)
            .await
            .expect("db")
    })
    .await;
    assert!(page(&announcement).await.contains("what caused it?"));
    assert_eq!(collection(&announcement).await, vec![qid.clone()]);

    let target = answer_target(&node.state.db, &qid).await.expect("target");
    answers::answer(&node.state, &target, "Too few paying members.", false)
        .await
        .expect("answer");
    let got = peer
        .wait_for(20, "inbox", "the answer in alice's inbox", |a| {
            a["type"] == "Create" && a["actor"] == offering.as_str()
        })
        .await;
    assert_eq!(got["verified"], true, "signed: {got}");
    let note = &got["raw"]["object"];
    assert_eq!(note["inReplyTo"], qid, "{got}");
    let alice = peer.alice();
    assert!(
        note["tag"].as_array().is_some_and(|t| t
            .iter()
            .any(|m| m["type"] == "Mention" && m["href"] == alice.as_str())),
        "{got}"
    );
    assert!(
        note["cc"]
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x == alice.as_str())),
        "{got}"
    );
    assert!(
        note["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Too few paying members.")
    );
}

/// Log in and return the session cookie (`name=value`).
async fn login(node: &TestNode, username: &str) -> String {
    let res = http()
        .post(node.url("/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(urlencoded(&[
            ("username", username),
            ("password", PASSWORD),
        ]))
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

async fn get_with(_node: &TestNode, url: &str, cookie: &str) -> String {
    let res = http()
        .get(url)
        .header(header::COOKIE, cookie)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK, "{url}");
    res.text().await.expect("text")
}

fn urlencoded(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_report_a_reply_and_admins_see_the_replies_queue() {
    use coopdir::db::entities::report;
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    let q = public(&fake, &alice, &announcement, "<p>Spam spam spam</p>");
    send(&node, &fake, "Create", &q).await;
    let qid = q["id"].as_str().unwrap().to_string();
    let path = url::Url::parse(&announcement).unwrap().path().to_string();
    for _ in 0..2 {
        let res = http()
            .post(node.url(&format!("{path}/report")))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(urlencoded(&[("reply", &qid), ("comment", "advertising")]))
            .send()
            .await
            .expect("report");
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let reports = report::Entity::find()
        .all(&node.state.db)
        .await
        .expect("db");
    assert_eq!(reports.len(), 1, "a repeated report files nothing more");
    assert_eq!(reports[0].target_ap_id, alice);
    assert!(reports[0].status_uris.contains(&qid));
    assert_eq!(reports[0].comment, "advertising");
    // Only replies shown on that page can be reported.
    let res = http()
        .post(node.url(&format!("{path}/report")))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(urlencoded(&[
            ("reply", &fake.url("/notes/unknown")),
            ("comment", "x"),
        ]))
        .send()
        .await
        .expect("report");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    accounts::create_admin(&node.state.db, "ada", PASSWORD)
        .await
        .expect("admin");
    let cookie = login(&node, "ada").await;
    let queue = get_with(&node, &node.url("/admin/replies"), &cookie).await;
    assert!(queue.contains("Spam spam spam"), "{queue}");
    assert!(
        queue.contains("/staff/meetcoop_bbb/replies/hide"),
        "{queue}"
    );
    let reports_page = get_with(&node, &node.url("/admin/reports"), &cookie).await;
    assert!(reports_page.contains(&qid), "the report names the reply");
    // The admin hides it from the queue's form.
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/replies/hide"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(urlencoded(&[("url", &qid), ("reason", "advertising")]))
        .send()
        .await
        .expect("hide");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(!page(&announcement).await.contains("Spam spam spam"));
    let log = moderation_log::Entity::find()
        .filter(moderation_log::Column::Action.eq("reply-hide"))
        .one(&node.state.db)
        .await
        .expect("db")
        .expect("logged");
    assert_eq!(log.moderator, "web:ada");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_question_is_answered_privately() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    let bbb = node.local("meetcoop_bbb").await;
    let direct = note(
        &fake,
        &alice,
        &announcement,
        "<p>Can I get my money back?</p>",
        json!([bbb.ap_id]),
        json!([]),
    );
    send(&node, &fake, "Create", &direct).await;
    let target = answer_target(&node.state.db, direct["id"].as_str().unwrap())
        .await
        .expect("target");
    let answer = answers::answer(&node.state, &target, "Yes, write to us.", false)
        .await
        .expect("answer");
    assert_eq!(answer.visibility, "direct");
    let got = eventually(20, "the answer reaches alice", || async {
        fake.received_of("Create").into_iter().next()
    })
    .await;
    assert_eq!(got["object"]["to"], json!([alice]), "{got}");
    assert_eq!(got["object"]["cc"], json!([]), "{got}");
    assert!(!page(&announcement).await.contains("Yes, write to us."));
    assert!(collection(&announcement).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coopdir_reply_answers_from_the_command_line() {
    let (node, announcement) = announced().await;
    let fake = Fake::start().await;
    let alice = member(&fake, "alice");
    let q = public(&fake, &alice, &announcement, "<p>When does it close?</p>");
    send(&node, &fake, "Create", &q).await;
    let qid = q["id"].as_str().unwrap().to_string();
    let run = |args: Vec<String>| {
        let mut all = Proc::args(node.port, node.db.dir.path(), &node.db.url);
        all.extend(args);
        async move {
            tokio::process::Command::new(bin())
                .args(all)
                .output()
                .await
                .expect("run coopdir")
        }
    };
    let out = run(vec![
        "reply".into(),
        qid.clone(),
        "--text".into(),
        "On 30 June.".into(),
        "--pin".into(),
    ])
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let stored = reply::Entity::find()
        .filter(reply::Column::ApId.eq(id.as_str()))
        .one(&node.state.db)
        .await
        .expect("db")
        .expect("the answer is stored");
    assert!(stored.local && stored.pinned);
    assert_eq!(stored.in_reply_to, qid);
    let got = eventually(30, "the answer reaches alice", || async {
        fake.received_of("Create").into_iter().next()
    })
    .await;
    assert_eq!(got["object"]["id"], id.as_str());

    for (args, what) in [
        (
            vec![
                "reply".to_string(),
                fake.url("/notes/other"),
                "--text".into(),
                "x".into(),
            ],
            "not ours",
        ),
        (
            vec![
                "reply".to_string(),
                qid.clone(),
                "--text".into(),
                "  ".into(),
            ],
            "empty",
        ),
    ] {
        let out = run(args).await;
        assert_eq!(
            out.status.code(),
            Some(2),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error:"));
    }
    let out = run(vec![
        "hide-reply".into(),
        qid.clone(),
        "--reason".into(),
        "off topic".into(),
    ])
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!page(&announcement).await.contains("When does it close?"));
}
