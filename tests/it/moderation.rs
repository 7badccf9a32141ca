//! Moderation against running nodes: suspended and hidden listings, the approval queue,
//! reports received as `Flag`s and resolved from the command line, reports forwarded to a
//! remote listing's home node, the moderation log, staff accounts and API tokens.

use crate::{common::*, security::*};
use coopdir::{
    config::RequireApproval,
    db::entities::{account, api_token, delivery, moderation_log, report},
    directory::{self, accounts, moderation, types::AnnouncementKind},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::time::Duration;

async fn actor_doc(node: &TestNode, username: &str) -> Value {
    http()
        .get(node.url(&format!("/actors/{username}")))
        .header("Accept", AS)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn webfinger_status(node: &TestNode, username: &str) -> u16 {
    http()
        .get(node.url(&format!(
            "/.well-known/webfinger?resource=acct:{username}@{}",
            node.domain()
        )))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Run `coopdir ARGS` against the node's database, with `stdin`.
async fn cli(node: &TestNode, args: &[&str], stdin: &str) -> (i32, String, String) {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new(bin())
        .args(Proc::args(node.port, node.db.dir.path(), &node.db.url))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    let out = child.wait_with_output().await.unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_listing_is_served_as_mastodon_does_and_stops_federating() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    let inbox = a.url("/actors/meetcoop_bbb/inbox");
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

    let bbb = a.local("meetcoop_bbb").await;
    moderation::suspend(&a.state, &bbb, "admin:ada", "fake prices")
        .await
        .unwrap();

    // Served as Mastodon serves a suspended account.
    let doc = actor_doc(&a, "meetcoop_bbb").await;
    assert_eq!(doc["suspended"], true);
    assert_eq!(doc["name"], "");
    assert_eq!(doc["summary"], "");
    assert!(doc["attachment"].as_array().is_none_or(|a| a.is_empty()));
    assert_eq!(webfinger_status(&a, "meetcoop_bbb").await, 200);
    // Followers' servers learn of it from an Update.
    let update = eventually(20, "the suspension Update arrives", || async {
        fake.received_of("Update").into_iter().next()
    })
    .await;
    assert_eq!(update["object"]["suspended"], true);
    assert_eq!(update["object"]["id"], target);
    // Out of the directory.
    let handle = format!("meetcoop_bbb@{}", a.domain());
    assert!(!api_handles(&a).await.contains(&handle));
    // A new follow is rejected.
    let f = follow_of(&fake, &alice, &target);
    assert_eq!(fake.post(&inbox, &f).await.status(), 202);
    let reject = eventually(20, "the Reject arrives", || async {
        fake.received_of("Reject").into_iter().next()
    })
    .await;
    assert_eq!(reject["object"]["id"], f["id"]);
    // Nothing else leaves the node from it.
    directory::announcements::announce(&a.state, &bbb, AnnouncementKind::News, "still here")
        .await
        .unwrap();
    let withheld = eventually(20, "the announcement is withheld", || async {
        delivery::Entity::find()
            .filter(delivery::Column::LastError.contains("suspended"))
            .one(&a.state.db)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(withheld.state, DeliveryState::Rejected);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(fake.received_of("Create").is_empty());

    // The log says who and why.
    let log = moderation::actor_log(&a.state.db, bbb.id).await.unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        (
            last.action.as_str(),
            last.moderator.as_str(),
            last.reason.as_str()
        ),
        ("suspend", "admin:ada", "fake prices")
    );
    assert_eq!(last.from_state.as_deref(), Some("approved"));

    // Restored: listed again, and followers' servers are told.
    let bbb = a.local("meetcoop_bbb").await;
    moderation::restore(&a.state, &bbb, "admin:ada", "appeal granted")
        .await
        .unwrap();
    eventually(20, "the restoring Update arrives", || async {
        fake.received_of("Update")
            .into_iter()
            .find(|u| u["object"]["suspended"].is_null() && u["object"]["name"] != "")
    })
    .await;
    assert!(api_handles(&a).await.contains(&handle));
    assert_eq!(
        actor_doc(&a, "meetcoop_bbb").await["name"],
        "meet.coop BigBlueButton"
    );
    // Suspending twice is a conflict, not a second entry.
    let bbb = a.local("meetcoop_bbb").await;
    assert!(moderation::restore(&a.state, &bbb, "x", "y").await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_listing_leaves_the_directory_and_keeps_working() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let handle = format!("meetcoop_bbb@{}", a.domain());
    let bbb = a.local("meetcoop_bbb").await;
    moderation::hide(&a.state, &bbb, "admin", "duplicate")
        .await
        .unwrap();
    assert!(!api_handles(&a).await.contains(&handle));
    let doc = actor_doc(&a, "meetcoop_bbb").await;
    assert_eq!(doc["name"], "meet.coop BigBlueButton");
    assert!(doc.get("suspended").is_none() || doc["suspended"] == false);
    assert_eq!(webfinger_status(&a, "meetcoop_bbb").await, 200);
    // Approve lists it again.
    let bbb = a.local("meetcoop_bbb").await;
    moderation::approve(&a.state, &bbb, "admin", "fixed")
        .await
        .unwrap();
    assert!(api_handles(&a).await.contains(&handle));
    // The instance actor is not a listing.
    let inst = a.instance().await;
    assert!(
        moderation::suspend(&a.state, &inst, "admin", "x")
            .await
            .is_err()
    );
    let entries = moderation::log_entries(&a.state.db, 10).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["approve", "hide"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_listings_wait_for_approval_when_the_node_requires_it() {
    let a = TestNode::start_with(|s| s.require_approval = RequireApproval::Remote).await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let fake = Fake::start().await;
    make_peer(&a, &fake).await;
    let listing = fake.offering("fjitsi", json!({}));
    let handle = format!("fjitsi@{}", fake.domain());
    // The listing meets this node through its inbox.
    let f = follow_of(&fake, &listing, &a.url("/actors/meetcoop_bbb"));
    assert_eq!(
        fake.post(&a.url("/actors/meetcoop_bbb/inbox"), &f)
            .await
            .status(),
        202
    );
    let row = stored(&a, &listing).await.unwrap();
    assert_eq!(row.kind, ActorKind::Offering);
    assert_eq!(row.moderation, Moderation::Pending);
    assert!(!api_handles(&a).await.contains(&handle));
    // Local listings are not held back with `remote`.
    assert!(
        api_handles(&a)
            .await
            .contains(&format!("meetcoop_bbb@{}", a.domain()))
    );
    moderation::approve(&a.state, &row, "admin", "looks fine")
        .await
        .unwrap();
    assert!(api_handles(&a).await.contains(&handle));
}

/// With `all`, imported listings start pending. Needs `directory::import` to take the
/// state of a new listing from `moderation::initial_moderation` (see the report).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_listings_wait_for_approval_with_require_approval_all() {
    let a = TestNode::start_with(|s| s.require_approval = RequireApproval::All).await;
    a.import("meetcoop.toml", MEETCOOP).await;
    assert_eq!(
        a.local("meetcoop_bbb").await.moderation,
        Moderation::Pending
    );
    assert!(api_handles(&a).await.is_empty());
    assert_eq!(webfinger_status(&a, "meetcoop_bbb").await, 404);
    let bbb = a.local("meetcoop_bbb").await;
    moderation::approve(&a.state, &bbb, "admin", "ok")
        .await
        .unwrap();
    assert_eq!(api_handles(&a).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_from_remote_instances_are_filed_and_resolved_from_the_cli() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    let bbb = a.local("meetcoop_bbb").await;
    let mut posts = Vec::new();
    for i in 0..25 {
        let n = directory::announcements::announce(
            &a.state,
            &bbb,
            AnnouncementKind::News,
            &format!("news {i}"),
        )
        .await
        .unwrap();
        posts.push(n.ap_id);
    }
    let fake = Fake::start().await;
    // Mastodon forwards reports from its instance actor, an Application.
    let instance = fake.actor("actor", "Application", json!({}));
    let target = a.url("/actors/meetcoop_bbb");
    let mut object = vec![json!(target)];
    object.extend(posts.iter().map(|p| json!(p)));
    object.push(json!(a.url("/announcements/does-not-exist")));
    let comment = format!(
        "<p>Fake <script>alert(1)</script><b>prices</b> <a href=\"javascript:x\">here</a></p>{}",
        "x".repeat(5000)
    );
    let flag = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": fake.new_id(), "type": "Flag", "actor": instance,
        "object": object, "content": comment,
    });
    assert_eq!(fake.post(&a.url("/inbox"), &flag).await.status(), 202);
    // The same Flag again: one report.
    assert_eq!(fake.post(&a.url("/inbox"), &flag).await.status(), 202);
    let reports = moderation::reports(&a.state.db, false).await.unwrap();
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(r.target_ap_id, target);
    assert_eq!(r.reporter_ap_id.as_deref(), Some(instance.as_str()));
    assert_eq!(r.reporter_domain.as_deref(), Some(fake.domain().as_str()));
    let statuses: Vec<String> = serde_json::from_str(&r.status_uris).unwrap();
    assert_eq!(statuses.len(), moderation::MAX_STATUSES);
    assert!(statuses.iter().all(|s| posts.contains(s)));
    assert!(r.comment.starts_with("Fake prices here"), "{}", r.comment);
    assert!(!r.comment.contains('<') && !r.comment.contains("alert"));
    assert!(r.comment.chars().count() <= moderation::MAX_COMMENT);

    // A report naming only a post finds the post's author; a Flag naming nothing of
    // ours is refused.
    let by_post =
        json!({"id": fake.new_id(), "type": "Flag", "actor": instance, "object": posts[0]});
    assert_eq!(fake.post(&a.url("/inbox"), &by_post).await.status(), 202);
    let nothing = json!({"id": fake.new_id(), "type": "Flag", "actor": instance, "object": a.url("/actors/nobody")});
    assert_eq!(fake.post(&a.url("/inbox"), &nothing).await.status(), 404);
    assert_eq!(
        moderation::reports(&a.state.db, false).await.unwrap().len(),
        2
    );

    // Admins work from the command line.
    let (code, out, err) = cli(&a, &["reports"], "").await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("#{}", r.id)) && out.contains(&target),
        "{out}"
    );
    let id = r.id.to_string();
    let (code, out, err) = cli(
        &a,
        &[
            "report",
            "resolve",
            &id,
            "--action",
            "suspend",
            "--note",
            "confirmed",
        ],
        "",
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("resolved"), "{out}");
    assert_eq!(
        a.local("meetcoop_bbb").await.moderation,
        Moderation::Suspended
    );
    let entry = moderation_log::Entity::find()
        .filter(moderation_log::Column::ReportId.eq(r.id))
        .one(&a.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.action, "suspend");
    assert!(entry.moderator.starts_with("cli"));
    assert!(entry.reason.contains("confirmed"));
    let resolved = report::Entity::find_by_id(r.id)
        .one(&a.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (resolved.state.as_str(), resolved.resolution.as_deref()),
        ("resolved", Some("suspend"))
    );
    // Resolving twice, or an unknown report: exit 2 with a message.
    let (code, _, err) = cli(&a, &["report", "resolve", &id, "--action", "dismiss"], "").await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already resolved"), "{err}");
    let (code, _, err) = cli(
        &a,
        &["report", "resolve", "9999", "--action", "dismiss"],
        "",
    )
    .await;
    assert_eq!(code, 2);
    assert!(err.contains("no report 9999"), "{err}");
    // Dismiss leaves the listing alone.
    let other = moderation::reports(&a.state.db, false).await.unwrap();
    let (code, _, err) = cli(
        &a,
        &[
            "report",
            "resolve",
            &other[0].id.to_string(),
            "--action",
            "dismiss",
            "--note",
            "dup",
        ],
        "",
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        moderation::reports(&a.state.db, false)
            .await
            .unwrap()
            .is_empty()
    );
    let (_, out, _) = cli(&a, &["moderation-log"], "").await;
    assert!(
        out.contains("report-dismiss") && out.contains("suspend"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_about_a_remote_listing_is_forwarded_to_its_home_node() {
    let (a, b) = tokio::join!(TestNode::start(), TestNode::start());
    b.import("rheinmeet.json", RHEINMEET).await;
    let remote_url = b.url("/actors/rheinmeet_jitsi");
    let remote = a.resolve(&remote_url).await;
    let r = moderation::report_here(&a.state, &remote, vec![], "misleading capacity")
        .await
        .unwrap();
    // Reports about this node's own listings stay here.
    a.import("meetcoop.toml", MEETCOOP).await;
    let ours = a.local("meetcoop_bbb").await;
    let own = moderation::report_here(&a.state, &ours, vec![], "x")
        .await
        .unwrap();
    assert!(moderation::forward_report(&a.state, own.id).await.is_err());

    moderation::forward_report(&a.state, r.id).await.unwrap();
    assert!(
        moderation::forward_report(&a.state, r.id).await.is_err(),
        "forwarded once"
    );
    let received = eventually(20, "B files the forwarded report", || async {
        report::Entity::find().one(&b.state.db).await.unwrap()
    })
    .await;
    let a_instance = a.instance().await;
    assert_eq!(
        received.reporter_ap_id.as_deref(),
        Some(a_instance.ap_id.as_str())
    );
    assert_eq!(received.target_ap_id, remote_url);
    assert_eq!(received.comment, "misleading capacity");
    // B's admin resolves it there.
    moderation::resolve_report(
        &b.state,
        received.id,
        moderation::Resolution::Hide,
        "admin",
        "checked",
    )
    .await
    .unwrap();
    assert_eq!(
        b.local("rheinmeet_jitsi").await.moderation,
        Moderation::Hidden
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_accounts_act_on_their_coop_only_and_tokens_are_stored_hashed() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    a.import("rheinmeet.json", RHEINMEET).await;
    let coop = format!("meetcoop@{}", a.domain());
    let (code, out, err) = cli(
        &a,
        &["staff", "create", "sam", "--coop", &coop],
        "a long passphrase here\n",
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("staff account 'sam'"), "{out}");
    // Bad input: short password, unknown co-op, an offering as co-op, a taken name.
    for (args, stdin) in [
        (
            vec!["staff", "create", "kim", "--coop", coop.as_str()],
            "short\n",
        ),
        (
            vec!["staff", "create", "kim", "--coop", "nobody"],
            "a long passphrase here\n",
        ),
        (
            vec!["staff", "create", "kim", "--coop", "meetcoop_bbb"],
            "a long passphrase here\n",
        ),
        (
            vec!["staff", "create", "sam", "--coop", coop.as_str()],
            "a long passphrase here\n",
        ),
    ] {
        let (code, _, err) = cli(&a, &args, stdin).await;
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    let sam = accounts::find(&a.state.db, "sam").await.unwrap().unwrap();
    assert_eq!(sam.role, "staff");
    assert!(sam.password_hash.starts_with("$argon2id$"));
    assert!(
        accounts::authenticate(&a.state.db, "sam", "a long passphrase here")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        accounts::authenticate(&a.state.db, "sam", "wrong passphrase!!")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        accounts::authenticate(&a.state.db, "nobody", "a long passphrase here")
            .await
            .unwrap()
            .is_none()
    );

    let mine = a.local("meetcoop_bbb").await;
    let theirs = a.local("rheinmeet_jitsi").await;
    assert!(accounts::authorize(&sam, &mine).is_ok());
    assert!(accounts::authorize(&sam, &a.local("meetcoop").await).is_ok());
    let err = accounts::authorize(&sam, &theirs).unwrap_err();
    assert_eq!(coopdir::http::error::AppError::from(err).status(), 403);

    let (code, out, err) = cli(&a, &["token", "create", "sam", "--name", "ci"], "").await;
    assert_eq!(code, 0, "{err}");
    let token = out.trim();
    assert!(
        token.starts_with(accounts::TOKEN_PREFIX) && token.len() > 40,
        "{token}"
    );
    let rows = api_token::Entity::find().all(&a.state.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].token_hash, accounts::token_hash(token));
    assert!(!rows[0].token_hash.contains(token));
    let found = accounts::account_for_token(&a.state.db, token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.username, "sam");
    assert!(
        accounts::account_for_token(&a.state.db, "coopdir_nope")
            .await
            .unwrap()
            .is_none()
    );
    let (code, _, _) = cli(&a, &["token", "create", "nobody"], "").await;
    assert_eq!(code, 2);
    assert_eq!(
        account::Entity::find()
            .filter(account::Column::Role.eq("staff"))
            .count(&a.state.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_blocks_from_the_command_line() {
    let a = TestNode::start().await;
    let fake = Fake::start().await;
    make_peer(&a, &fake).await;
    let listing = fake.offering("fbbb", json!({}));
    a.resolve(&listing).await;
    let (code, out, err) = cli(
        &a,
        &[
            "block",
            &format!("LOCALHOST.:{}", fake.port),
            "--severity",
            "hide",
            "--reason",
            "spam wave",
        ],
        "",
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "localhost:{} blocked (hide); 1 listing(s) changed",
            fake.port
        )),
        "{out}"
    );
    assert_eq!(
        stored(&a, &listing).await.unwrap().moderation,
        Moderation::Hidden
    );
    let (_, out, _) = cli(&a, &["domains"], "").await;
    assert!(out.contains("hide") && out.contains("spam wave"), "{out}");
    for bad in ["a@evil.so/cial", "evil.so/cial"] {
        let (code, _, err) = cli(&a, &["block", bad], "").await;
        assert_eq!(code, 2, "{bad}");
        assert!(err.contains("is not a domain"), "{err}");
    }
    let (code, out, err) = cli(&a, &["unblock", &format!("localhost:{}", fake.port)], "").await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 listing(s) restored"), "{out}");
    assert_eq!(
        stored(&a, &listing).await.unwrap().moderation,
        Moderation::Approved
    );
    let (code, _, err) = cli(&a, &["unblock", "never.example"], "").await;
    assert_eq!(code, 2);
    assert!(err.contains("not blocked"), "{err}");
    // Moderation by handle or URL from the command line.
    let (code, out, err) = cli(
        &a,
        &[
            "moderate", &listing, "--action", "suspend", "--reason", "scam",
        ],
        "",
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("suspended"), "{out}");
    let (code, _, _) = cli(
        &a,
        &[
            "moderate",
            &format!("fbbb@{}", fake.domain()),
            "--action",
            "restore",
        ],
        "",
    )
    .await;
    assert_eq!(code, 0);
    let log = moderation_log::Entity::find()
        .order_by_asc(moderation_log::Column::Id)
        .all(&a.state.db)
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "block",
            "domain-block",
            "unblock",
            "domain-unblock",
            "suspend",
            "restore"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_create_with_forward_refuses_a_local_target_before_filing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.toml");
    std::fs::write(&file, crate::common::MEETCOOP).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(crate::common::bin())
            .args(["--dev", "--data-dir", dir.path().to_str().unwrap()])
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&["import", file.to_str().unwrap()]).status.success());
    let out = run(&[
        "report",
        "create",
        "meetcoop_bbb@localhost:8080",
        "--comment",
        "spam",
        "--forward",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("without --forward"), "{err}");
    let reports = String::from_utf8_lossy(&run(&["reports"]).stdout).to_string();
    assert!(!reports.contains("spam"), "nothing was filed: {reports}");
}
