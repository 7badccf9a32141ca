//! The admin pages over HTTP: an admin approves a pending listing, resolves a report that
//! a signed `Flag` created, blocks a domain, and finds each decision in the log; the public
//! moderation page shows the decisions without the moderators' names; staff and anonymous
//! users are refused on every admin route; a cross-site post is refused.

use crate::{common::*, security::*};
use coopdir::{
    config::RequireApproval,
    db::entities::{moderation_log, report},
    directory::{self, accounts, moderation, types::AnnouncementKind},
};
use reqwest::{StatusCode, header};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";
/// A username that appears nowhere else on the pages.
const ADMIN: &str = "ada_mod7";

fn urlencoded(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
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

async fn get(node: &TestNode, cookie: Option<&str>, path: &str) -> (StatusCode, String) {
    let mut req = http().get(node.url(path));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = req.send().await.expect("get");
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

/// POST a form; the status, the `Location` (if any) and the body.
async fn post(
    node: &TestNode,
    cookie: Option<&str>,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let mut req = http()
        .post(node.url(path))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(urlencoded(form));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = req.send().await.expect("post");
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, res.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_approves_resolves_blocks_and_the_log_shows_it() {
    let a = TestNode::start_with(|s| s.require_approval = RequireApproval::All).await;
    a.import("meetcoop.toml", MEETCOOP).await;
    accounts::create_admin(&a.state.db, ADMIN, PASSWORD)
        .await
        .expect("admin account");
    let cookie = login(&a, ADMIN).await;
    let c = Some(cookie.as_str());
    let bbb = a.local("meetcoop_bbb").await;
    assert_eq!(bbb.moderation, Moderation::Pending);

    // The overview counts, and the navigation links it for admins.
    let (status, body) = get(&a, c, "/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("href=\"/admin\""), "{body}");
    assert!(body.contains("listings wait for approval"), "{body}");

    // The queue lists the pending listing.
    let (status, body) = get(&a, c, "/admin/queue").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&bbb.ap_id) && body.contains("meet.coop BigBlueButton"));

    // Suspending without a reason: 422 next to the field, nothing written.
    let (status, _, body) = post(
        &a,
        c,
        "/admin/queue",
        &[
            ("target", &bbb.ap_id),
            ("action", "suspend"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(&format!("id=\"p{}-reason-error\"", bbb.id)),
        "{body}"
    );
    assert!(body.contains("Give a reason"), "{body}");
    assert_eq!(
        a.local("meetcoop_bbb").await.moderation,
        Moderation::Pending
    );
    // An unknown action: 422 as well.
    let (status, _, _) = post(
        &a,
        c,
        "/admin/queue",
        &[
            ("target", &bbb.ap_id),
            ("action", "delete"),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Approve.
    let (status, location, _) = post(
        &a,
        c,
        "/admin/queue",
        &[
            ("target", &bbb.ap_id),
            ("action", "approve"),
            ("reason", "checked the charter"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/admin/queue?done=approve");
    assert_eq!(
        a.local("meetcoop_bbb").await.moderation,
        Moderation::Approved
    );
    // Approving twice is refused with the reason, on the page.
    let (status, _, body) = post(
        &a,
        c,
        "/admin/queue",
        &[("target", &bbb.ap_id), ("action", "approve")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("already"), "{body}");
    // Any listing can be found, in any state.
    let (status, body) = get(&a, c, "/admin/queue?q=BigBlue").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("id=\"f{}\"", bbb.id)), "{body}");

    // A report arrives as a signed Flag.
    let fake = Fake::start().await;
    let instance = fake.actor("instance", "Application", json!({}));
    let bbb = a.local("meetcoop_bbb").await;
    let post_uri = directory::announcements::announce(
        &a.state,
        &bbb,
        AnnouncementKind::News,
        "Half price for everyone",
    )
    .await
    .unwrap()
    .ap_id;
    let flag = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(), "type": "Flag", "actor": instance,
        "object": [bbb.ap_id, post_uri],
        "content": "<p>Fake <b>prices</b> &lt;script&gt;alert(1)&lt;/script&gt;</p>",
    });
    assert_eq!(fake.post(&a.url("/inbox"), &flag).await.status(), 202);
    let r = moderation::reports(&a.state.db, false)
        .await
        .unwrap()
        .pop()
        .expect("a report");
    let (status, body) = get(&a, c, "/admin/reports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("href=\"{instance}\"")), "{body}");
    assert!(body.contains(&format!("href=\"{}\"", bbb.ap_id)), "{body}");
    assert!(body.contains(&format!("href=\"{post_uri}\"")), "{body}");
    assert!(body.contains("Fake prices"), "{body}");
    // The comment is text: markup in it is shown, escaped, never run.
    assert!(!body.contains("<script>alert"), "{body}");
    assert!(body.contains("&#60;script&#62;alert(1)"), "{body}");
    let resolve = format!("/admin/reports/{}/resolve", r.id);
    // No resolution chosen: 422, the report stays open.
    let (status, _, body) = post(&a, c, &resolve, &[("note", "hmm")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(&format!("id=\"report-{}-resolution-error\"", r.id)),
        "{body}"
    );
    assert!(body.contains("hmm"), "the note is kept: {body}");
    assert_eq!(
        moderation::reports(&a.state.db, false).await.unwrap().len(),
        1
    );
    // Resolve by hiding.
    let (status, location, _) = post(
        &a,
        c,
        &resolve,
        &[("resolution", "hide"), ("note", "prices confirmed wrong")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    assert_eq!(location, "/admin/reports?done=resolve");
    assert_eq!(a.local("meetcoop_bbb").await.moderation, Moderation::Hidden);
    let resolved = report::Entity::find_by_id(r.id)
        .one(&a.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            resolved.state.as_str(),
            resolved.resolution.as_deref(),
            resolved.resolved_by.as_deref()
        ),
        (
            "resolved",
            Some("hide"),
            Some(format!("web:{ADMIN}").as_str())
        )
    );
    let (_, body) = get(&a, c, "/admin/reports").await;
    assert!(body.contains("No report is open"), "{body}");
    // Resolving it again: 422 with the reason.
    let (status, _, _) = post(&a, c, &resolve, &[("resolution", "dismiss")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // An unknown report: 404.
    let (status, _, _) = post(
        &a,
        c,
        "/admin/reports/99999/resolve",
        &[("resolution", "dismiss")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Block a domain through the form: a bad domain is refused next to the field.
    let (status, _, body) = post(
        &a,
        c,
        "/admin/domains/block",
        &[("domain", "a@evil.so/cial"), ("severity", "reject")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"block-domain-error\""), "{body}");
    assert!(body.contains("is not a domain"), "{body}");
    let (status, location, _) = post(
        &a,
        c,
        "/admin/domains/block",
        &[
            ("domain", "EVIL.example."),
            ("severity", "hide"),
            ("reason", "spam wave"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/admin/domains?done=block");
    // The state `coopdir domains` prints.
    let (blocks, _) = moderation::domain_rules(&a.state.db).await.unwrap();
    assert_eq!(blocks.len(), 1);
    let b = &blocks[0];
    assert_eq!(
        (
            b.domain.as_str(),
            b.severity.as_str(),
            b.reason.as_deref(),
            b.created_by.as_str()
        ),
        (
            "evil.example",
            "hide",
            Some("spam wave"),
            format!("web:{ADMIN}").as_str()
        )
    );
    let (status, body) = get(&a, c, "/admin/domains").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("evil.example") && body.contains("spam wave"));
    // Unblock, and unblocking what is not blocked is refused.
    let (status, _, _) = post(
        &a,
        c,
        "/admin/domains/unblock",
        &[("domain", "never.example")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The log shows every action, with the moderator.
    let log = moderation_log::Entity::find()
        .order_by_asc(moderation_log::Column::Id)
        .all(&a.state.db)
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["approve", "hide", "block"]);
    assert!(log.iter().all(|e| e.moderator == format!("web:{ADMIN}")));
    let (status, body) = get(&a, c, "/admin/log").await;
    assert_eq!(status, StatusCode::OK);
    for what in [
        "approved",
        "hidden",
        "domain block",
        "checked the charter",
        "prices confirmed wrong",
        "spam wave",
        ADMIN,
    ] {
        assert!(body.contains(what), "{what} missing from the log: {body}");
    }

    // The public page: decisions about listings, without who took them.
    let (status, body) = get(&a, None, "/moderation").await;
    assert_eq!(status, StatusCode::OK);
    for what in [
        "approved",
        "hidden",
        "checked the charter",
        "prices confirmed wrong",
        &bbb.ap_id,
    ] {
        assert!(body.contains(what), "{what} missing: {body}");
    }
    assert!(!body.contains(ADMIN), "a moderator's name: {body}");
    assert!(!body.contains("web:"), "{body}");
    // Domain rules are not listing decisions.
    assert!(!body.contains("spam wave"), "{body}");
    // Linked from the about page.
    let (_, body) = get(&a, None, "/about").await;
    assert!(body.contains("href=\"/moderation\""), "{body}");

    // The allowlist: add and remove through the forms.
    let (status, location, _) =
        post(&a, c, "/admin/domains/allow", &[("domain", "good.example")]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/admin/domains?done=allow")
    );
    let (_, body) = get(&a, c, "/admin/domains").await;
    assert!(
        body.contains("Remove good.example from the allowlist"),
        "{body}"
    );
    let (status, _, body) =
        post(&a, c, "/admin/domains/allow", &[("domain", "good.example")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"allow-domain-error\""), "{body}");
    let (status, _, _) = post(
        &a,
        c,
        "/admin/domains/disallow",
        &[("domain", "good.example")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        moderation::domain_rules(&a.state.db)
            .await
            .unwrap()
            .1
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_and_anonymous_users_are_refused_and_cross_site_posts_too() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let coop = a.local("meetcoop").await;
    accounts::create_staff(&a.state.db, "meetstaff", PASSWORD, &coop)
        .await
        .unwrap();
    accounts::create_admin(&a.state.db, ADMIN, PASSWORD)
        .await
        .unwrap();
    let bbb = a.local("meetcoop_bbb").await;
    let r = moderation::report_here(&a.state, &bbb, vec![], "spam")
        .await
        .unwrap();
    let staff = login(&a, "meetstaff").await;
    let resolve = format!("/admin/reports/{}/resolve", r.id);
    let forward = format!("/admin/reports/{}/forward", r.id);
    let gets = [
        "/admin",
        "/admin/queue",
        "/admin/queue?q=meet",
        "/admin/reports",
        "/admin/domains",
        "/admin/log",
    ];
    let posts: [(&str, &[(&str, &str)]); 7] = [
        (
            "/admin/queue",
            &[
                ("target", bbb.ap_id.as_str()),
                ("action", "suspend"),
                ("reason", "x"),
            ],
        ),
        (&resolve, &[("resolution", "suspend")]),
        (&forward, &[]),
        (
            "/admin/domains/block",
            &[("domain", "evil.example"), ("severity", "reject")],
        ),
        ("/admin/domains/unblock", &[("domain", "evil.example")]),
        ("/admin/domains/allow", &[("domain", "good.example")]),
        ("/admin/domains/disallow", &[("domain", "good.example")]),
    ];
    for path in gets {
        let (status, _) = get(&a, None, path).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "anonymous GET {path}");
        let (status, body) = get(&a, Some(&staff), path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "staff GET {path}");
        assert!(body.contains("Only admins"), "{body}");
    }
    for (path, form) in posts {
        let (status, location, _) = post(&a, None, path, form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "anonymous POST {path}");
        assert_eq!(location, "/login");
        let (status, _, _) = post(&a, Some(&staff), path, form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "staff POST {path}");
    }
    // Staff see no moderation entry in the navigation.
    let (_, body) = get(&a, Some(&staff), "/staff").await;
    assert!(!body.contains("href=\"/admin\""), "{body}");

    // An admin's browser tricked by another site.
    let admin = login(&a, ADMIN).await;
    let res = http()
        .post(a.url("/admin/domains/block"))
        .header(header::COOKIE, &admin)
        .header("sec-fetch-site", "cross-site")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(urlencoded(&[
            ("domain", "victim.example"),
            ("severity", "reject"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Nothing was written by any of them.
    let (blocks, allows) = moderation::domain_rules(&a.state.db).await.unwrap();
    assert!(blocks.is_empty() && allows.is_empty());
    assert_eq!(
        a.local("meetcoop_bbb").await.moderation,
        Moderation::Approved
    );
    assert_eq!(
        moderation::reports(&a.state.db, false).await.unwrap().len(),
        1
    );
    assert!(
        moderation::log_entries(&a.state.db, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // The admin gets every page.
    for path in gets {
        let (status, _) = get(&a, Some(&admin), path).await;
        assert_eq!(status, StatusCode::OK, "admin GET {path}");
    }
}
