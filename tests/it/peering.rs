//! The federated directory between real nodes: peering, remote listings kept current by
//! Update, Delete and Move, questions to the directory actor, and refusals.

use crate::common::*;
use coopdir::{
    db::entities::{activity, actor, announcement, following, peer, received_activity},
    directory::{self, lifecycle, listing::ListingDocument},
    federation::{peering, queue},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};

async fn api(node: &TestNode, query: &str) -> Value {
    http()
        .get(node.url(&format!("/api/v1/offerings{query}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn remote(node: &TestNode, ap_id: &str) -> Option<actor::Model> {
    actor::Entity::find()
        .filter(actor::Column::ApId.eq(ap_id))
        .one(&node.state.db)
        .await
        .unwrap()
}

async fn all_follows_accepted(c: &TestNode) {
    eventually(30, "C's follows are all accepted", || async {
        let pending = following::Entity::find()
            .filter(following::Column::Accepted.eq(false))
            .count(&c.state.db)
            .await
            .unwrap();
        let total = following::Entity::find().count(&c.state.db).await.unwrap();
        (total > 0 && pending == 0).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_shows_its_peers_listings_and_keeps_them_current() {
    let (a, b, c) = tokio::join!(TestNode::start(), TestNode::start(), TestNode::start());
    a.import("meetcoop.toml", MEETCOOP).await;
    b.import("rheinmeet.json", RHEINMEET).await;

    let ra = peering::add(&c.state, &a.domain()).await.unwrap();
    assert_eq!((ra.coops, ra.offerings), (1, 2));
    let rb = peering::add(&c.state, &b.url("/")).await.unwrap();
    assert_eq!((rb.coops, rb.offerings), (1, 2));
    // Idempotent: adding again changes nothing.
    peering::add(&c.state, &a.domain()).await.unwrap();
    assert_eq!(peer::Entity::find().count(&c.state.db).await.unwrap(), 2);
    all_follows_accepted(&c).await;
    // 2 instance actors + 2 co-ops + 4 offerings.
    assert_eq!(
        following::Entity::find().count(&c.state.db).await.unwrap(),
        8
    );

    let list = api(&c, "").await;
    assert_eq!(list["total"], 4, "{list}");
    let jitsi = api(&c, "?platform=jitsi").await;
    assert_eq!(
        jitsi["items"][0]["handle"],
        format!("rheinmeet_jitsi@{}", b.domain())
    );
    assert_eq!(jitsi["items"][0]["local"], false);
    assert_eq!(jitsi["items"][0]["coop"], b.url("/actors/rheinmeet"));

    // An edit on A shows on C.
    let changed = MEETCOOP.replace("amount = \"9.00\"", "amount = \"11.00\"");
    directory::import(
        &a.state,
        &ListingDocument::parse("m.toml", &changed).unwrap(),
    )
    .await
    .unwrap();
    eventually(20, "C sees the new price", || async {
        let copy = remote(&c, &a.url("/actors/meetcoop_bbb")).await?;
        copy.attributes.as_deref()?.contains("11.00").then_some(())
    })
    .await;

    // A new offering on A appears on C by itself.
    let more = format!(
        "{MEETCOOP}\n[[offerings]]\nhandle = \"meetcoop_galene\"\nname = \"meet.coop Galène\"\nplatform = \"galene\"\n\
         price = {{ model = \"free\" }}\nregistration = \"open\"\n"
    );
    directory::import(&a.state, &ListingDocument::parse("m.toml", &more).unwrap())
        .await
        .unwrap();
    eventually(20, "C lists A's new offering", || async {
        remote(&c, &a.url("/actors/meetcoop_galene"))
            .await
            .filter(|r| r.kind == ActorKind::Offering)
    })
    .await;

    // An offering removed on B disappears from C.
    let gone = b.local("rheinmeet_jitsi").await;
    directory::remove(&b.state, &gone).await.unwrap();
    eventually(20, "C forgets B's removed offering", || async {
        remote(&c, &gone.ap_id).await.is_none().then_some(())
    })
    .await;
    assert_eq!(api(&c, "?platform=jitsi").await["total"], 0);
    let res = http()
        .get(&gone.ap_id)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);

    // A transfer on A shows on C as transferred, with its successor.
    let old = a.local("meetcoop_bbb").await;
    lifecycle::transfer(
        &a.state,
        &old,
        coopdir::directory::lifecycle::TransferRequest {
            to: &a.url("/actors/meetcoop_rooms"),
            note: "",
            map: &[],
            preview: false,
            by: &coopdir::directory::transfers::Acting::Operator,
        },
    )
    .await
    .unwrap();
    eventually(20, "C shows the transfer", || async {
        let copy = remote(&c, &old.ap_id).await?;
        (copy.status == Status::Transferred
            && copy.moved_to.as_deref() == Some(a.url("/actors/meetcoop_rooms").as_str()))
        .then_some(())
    })
    .await;

    // Peers' announcements are stored and shown.
    let author = a.local("meetcoop_rooms").await;
    let note = directory::announcements::announce(
        &a.state,
        &author,
        directory::types::AnnouncementKind::News,
        "New rooms for <script>alert(1)</script> groups",
    )
    .await
    .unwrap();
    let stored = eventually(20, "C stores A's announcement", || async {
        announcement::Entity::find()
            .filter(announcement::Column::ApId.eq(note.ap_id.as_str()))
            .one(&c.state.db)
            .await
            .unwrap()
    })
    .await;
    assert!(
        !stored.content_html.contains("<script>"),
        "{}",
        stored.content_html
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_add_refuses_what_is_not_a_reachable_coopdir_node() {
    let c = TestNode::start().await;
    // Something that speaks NodeInfo but is not coopdir.
    let other = axum::Router::new()
        .route(
            "/.well-known/nodeinfo",
            axum::routing::get(|| async {
                axum::Json(json!({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": "http://localhost:1/nodeinfo/2.1"}]}))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, other).await.unwrap() });
    let err = peering::add(&c.state, &format!("localhost:{port}"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("another host") || err.contains("not"), "{err}");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum::Router::new()
        .route(
            "/.well-known/nodeinfo",
            axum::routing::get(move || async move {
                axum::Json(json!({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": format!("http://localhost:{port}/nodeinfo/2.0")}]}))
            }),
        )
        .route("/nodeinfo/2.0", axum::routing::get(|| async { axum::Json(json!({"software": {"name": "mastodon", "version": "4.3.0"}})) }));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let err = peering::add(&c.state, &format!("localhost:{port}"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("runs mastodon, not coopdir"), "{err}");

    // Unreachable.
    let err = peering::add(&c.state, &format!("localhost:{}", free_port()))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot reach"), "{err}");
    // Itself.
    let err = peering::add(&c.state, &c.domain())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("itself"), "{err}");

    // Nothing was stored.
    assert_eq!(peer::Entity::find().count(&c.state.db).await.unwrap(), 0);
    assert_eq!(
        following::Entity::find().count(&c.state.db).await.unwrap(),
        0
    );
    assert_eq!(queue::stats(&c.state.db).await.unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurd_remote_values_are_refused_or_capped() {
    // A peer actor claiming 10^9 participants, 10k languages and a 200 kB description,
    // served by a loopback server, as a hostile node would.
    let c = TestNode::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let id = format!("http://localhost:{port}/actors/huge");
    let key = coopdir::federation::signatures::generate_keypair()
        .unwrap()
        .public_pem;
    let doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams"],
        "id": id, "type": "Service", "preferredUsername": "huge",
        "name": "Huge <b>meetings</b>", "summary": "x".repeat(200_000),
        "inbox": format!("{id}/inbox"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": key},
        "platform": "bigbluebutton", "priceModel": "free", "registration": "open",
        "participantsPerRoom": 1_000_000_000i64,
        "availableLanguage": vec!["en"; 10_000],
    });
    let body = doc.to_string();
    let mut bigger = doc.clone();
    bigger["id"] = json!(format!("http://localhost:{port}/actors/bigger"));
    bigger["summary"] = json!("x".repeat(2_000_000));
    let bigger = bigger.to_string();
    let app = axum::Router::new()
        .route(
            "/actors/huge",
            axum::routing::get(move || {
                let body = body.clone();
                async move { ([("content-type", "application/activity+json")], body) }
            }),
        )
        .route(
            "/actors/bigger",
            axum::routing::get(move || {
                let body = bigger.clone();
                async move { ([("content-type", "application/activity+json")], body) }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    // From a server that is not a peer, the actor is no listing, whatever it claims.
    let a = c.resolve(&id).await;
    assert_eq!(a.kind, ActorKind::Remote);
    assert_eq!(api(&c, "").await["total"], 0);
    // Once its host is a peer, it is read as a listing, with absurd values refused.
    peer::Entity::insert(peer::ActiveModel {
        domain: sea_orm::Set(format!("localhost:{port}")),
        base_url: sea_orm::Set(format!("http://localhost:{port}/")),
        instance_ap_id: sea_orm::Set(id.clone()),
        software: sea_orm::Set("coopdir".into()),
        added_at: sea_orm::Set(chrono::Utc::now()),
        synced_at: sea_orm::Set(None),
        ..Default::default()
    })
    .exec(&c.state.db)
    .await
    .unwrap();
    let oid: activitypub_federation::fetch::object_id::ObjectId<
        coopdir::federation::actors::ApActor,
    > = activitypub_federation::fetch::object_id::ObjectId::parse(&id).unwrap();
    let a = oid
        .dereference_forced(&c.ctx.reset_request_count())
        .await
        .unwrap()
        .model;
    assert_eq!(a.kind, ActorKind::Offering);
    // A document over 1 MiB is refused by the fetch itself; nothing is stored.
    let big_id = format!("http://localhost:{port}/actors/bigger");
    let oid: activitypub_federation::fetch::object_id::ObjectId<
        coopdir::federation::actors::ApActor,
    > = activitypub_federation::fetch::object_id::ObjectId::parse(&big_id).unwrap();
    assert!(oid.dereference(&c.ctx.reset_request_count()).await.is_err());
    assert!(remote(&c, &big_id).await.is_none());
    assert_eq!(a.name, "Huge meetings");
    assert!(a.summary.chars().count() <= 5000);
    let spec: Value = serde_json::from_str(a.attributes.as_deref().unwrap()).unwrap();
    assert!(
        spec.get("participants_per_room").is_none(),
        "absurd capacity dropped: {spec}"
    );
    assert!(spec["languages"].as_array().unwrap().len() <= 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_actor_answers_questions_with_a_reply() {
    let (a, b) = tokio::join!(TestNode::start(), TestNode::start());
    a.import("meetcoop.toml", MEETCOOP).await;
    a.import("rheinmeet.json", RHEINMEET).await;
    let directory_url = a.url("/actors/directory");
    let directory_actor = b.resolve(&directory_url).await;
    let asker = b.instance().await;

    let ask = |text: String, tags: Vec<Value>| {
        let note_id = b.url(&format!("/notes/{}", uuid::Uuid::new_v4()));
        let mut tag = vec![
            json!({"type": "Mention", "href": directory_url, "name": format!("@directory@{}", a.domain())}),
        ];
        tag.extend(tags);
        let activity = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{note_id}/activity"), "type": "Create", "actor": asker.ap_id,
            "object": {"id": note_id, "type": "Note", "attributedTo": asker.ap_id, "content": text,
                       "to": [directory_url], "tag": tag},
        });
        (note_id, activity)
    };
    let send = |activity: Value| {
        let b = &b;
        let target = directory_actor.clone();
        let asker = asker.clone();
        async move {
            let txn = b.state.db.begin().await.unwrap();
            let inbox = url::Url::parse(&target.inbox).unwrap();
            queue::enqueue(&txn, &b.state, &asker, &activity, None, vec![inbox])
                .await
                .unwrap();
            txn.commit().await.unwrap();
            b.state.queue_notify.notify_one();
        }
    };
    let reply_to = |note_id: String| {
        let a = &a;
        let b = &b;
        async move {
            let reply = eventually(20, "A answers", || async {
                activity::Entity::find()
                    .filter(activity::Column::ObjectApId.eq(note_id.as_str()))
                    .one(&a.state.db)
                    .await
                    .unwrap()
            })
            .await;
            eventually(20, "B receives the answer", || async {
                received_activity::Entity::find_by_id(reply.ap_id.clone())
                    .one(&b.state.db)
                    .await
                    .unwrap()
            })
            .await;
            let payload: Value = serde_json::from_str(&reply.payload).unwrap();
            payload["object"].clone()
        }
    };

    let (note_id, act) = ask("<p>@directory jitsi german</p>".to_string(), vec![]);
    send(act).await;
    let answer = reply_to(note_id.clone()).await;
    assert_eq!(answer["inReplyTo"], note_id);
    assert_eq!(answer["to"][0], asker.ap_id);
    let hrefs: Vec<&str> = answer["tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["href"].as_str().unwrap())
        .collect();
    assert!(hrefs.contains(&asker.ap_id.as_str()));
    assert!(
        hrefs.contains(&a.url("/actors/rheinmeet_jitsi").as_str()),
        "{answer}"
    );
    assert!(
        !hrefs.contains(&a.url("/actors/meetcoop_bbb").as_str()),
        "{answer}"
    );

    let target = a.url("/actors/meetcoop_bbb");
    let (note_id, act) = ask(
        "<p>@directory alternatives to @meetcoop_bbb</p>".to_string(),
        vec![json!({"type": "Mention", "href": target, "name": "@meetcoop_bbb"})],
    );
    send(act).await;
    let answer = reply_to(note_id).await;
    let content = answer["content"].as_str().unwrap();
    assert!(
        content.contains("Compatible alternatives to meet.coop BigBlueButton"),
        "{content}"
    );
    assert!(
        content.contains("rheinmeet_bbb") || content.contains("meetcoop_rooms"),
        "{content}"
    );
    assert!(
        !content.contains("@<span>meetcoop_bbb@"),
        "never itself: {content}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_category_group_boosts_every_announcement_of_its_field() {
    let (a, b) = tokio::join!(TestNode::start(), TestNode::start());
    a.import("meetcoop.toml", MEETCOOP).await;
    let group_url = a.url("/actors/videoconferencing");
    let doc: Value = http()
        .get(&group_url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["type"], "Group");
    b.follow(&group_url).await;
    let author = a.local("meetcoop_rooms").await;
    let note = directory::announcements::announce(
        &a.state,
        &author,
        directory::types::AnnouncementKind::Capacity,
        "Twice the rooms.",
    )
    .await
    .unwrap();
    let boost = eventually(20, "the group announces the note", || async {
        activity::Entity::find()
            .filter(activity::Column::Kind.eq("Announce"))
            .filter(activity::Column::ObjectApId.eq(note.ap_id.as_str()))
            .one(&a.state.db)
            .await
            .unwrap()
    })
    .await;
    let payload: Value = serde_json::from_str(&boost.payload).unwrap();
    assert_eq!(payload["actor"], group_url);
    assert_eq!(payload["object"], note.ap_id);
    eventually(20, "B receives the Announce", || async {
        received_activity::Entity::find_by_id(boost.ap_id.clone())
            .one(&b.state.db)
            .await
            .unwrap()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_announcements_are_neither_counted_nor_editable_here() {
    let (a, c) = tokio::join!(TestNode::start(), TestNode::start());
    a.import("meetcoop.toml", MEETCOOP).await;
    peering::add(&c.state, &a.domain()).await.unwrap();
    eventually(30, "C's follows are accepted", || async {
        (following::Entity::find()
            .filter(following::Column::Accepted.eq(false))
            .count(&c.state.db)
            .await
            .unwrap()
            == 0)
            .then_some(())
    })
    .await;
    let author = a.local("meetcoop_bbb").await;
    let note = directory::announcements::announce(
        &a.state,
        &author,
        directory::types::AnnouncementKind::News,
        "Hello peers",
    )
    .await
    .unwrap();
    eventually(20, "C stores A's announcement", || async {
        announcement::Entity::find()
            .filter(announcement::Column::ApId.eq(note.ap_id.as_str()))
            .one(&c.state.db)
            .await
            .unwrap()
    })
    .await;
    let err = directory::announcements::edit(&c.state, &note.ap_id, "forged")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("not an announcement of this node"),
        "{err}"
    );
    assert!(
        directory::announcements::withdraw(&c.state, &note.ap_id)
            .await
            .is_err()
    );
    let ni: Value = http()
        .get(c.url("/nodeinfo/2.1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ni["usage"]["localPosts"], 0);
    let ni: Value = http()
        .get(a.url("/nodeinfo/2.1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ni["usage"]["localPosts"], 1);

    // A removed offering can no longer post.
    directory::remove(&a.state, &author).await.unwrap();
    let err = directory::local_by_handle(
        &a.state.db,
        &format!("meetcoop_bbb@{}", a.domain()),
        &a.domain(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("was removed"), "{err}");
}
