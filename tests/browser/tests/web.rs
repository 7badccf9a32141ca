//! The web interface in a real browser (headless Chromium): members search, filter, open
//! offerings and compare them, with JavaScript and without; staff log in, post an
//! announcement and edit an offering; hostile listings and announcements render as text
//! and run no script.
//!
//! `cargo test -p coopdir-browser-tests`; `COOPDIR_SCREENSHOTS=1` refreshes
//! docs/screenshots/*.png.

mod common;

use chromiumoxide::cdp::browser_protocol::{
    emulation::SetScriptExecutionDisabledParams, page::EventJavascriptDialogOpening,
};
use common::*;
use coopdir::db::entities::actor;
use coopdir::directory::types::{ActorKind, Moderation, Status};
use futures::StreamExt;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::Value;
use std::time::Duration;

async fn serial() -> tokio::sync::MutexGuard<'static, ()> {
    SERIAL.lock().await
}

async fn directory_node() -> Node {
    let node = Node::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    node
}

/// Search, filter with a facet link, page back, open an offering, compare two. The same
/// flow runs with JavaScript on and off: the pages need none.
async fn search_filter_open_compare(node: &Node, page: &chromiumoxide::Page, shots: bool) {
    goto(page, &node.url("/")).await;
    let t = text(page).await;
    assert!(t.contains("4 offerings"), "{t}");
    if shots {
        screenshot(page, "directory").await;
    }

    // A text search, by typing and pressing Enter: the URL carries it.
    fill(page, "#q", "bigbluebutton").await;
    page.find_element("#q")
        .await
        .expect("search box")
        .press_key("Enter")
        .await
        .expect("enter");
    wait_for_url(page, "q=bigbluebutton").await;
    let t = text(page).await;
    assert!(t.contains("3 offerings"), "{t}");
    assert!(!t.contains("Rhein Meet Jitsi\n"), "{t}");

    // A facet with its count, as a link; the filter joins the text search.
    let facet = eval(
        page,
        "[...document.querySelectorAll('.facet a')].find(a => a.textContent.trim() === 'LTI / Moodle').parentElement.querySelector('.count').textContent",
    )
    .await;
    assert_eq!(facet, Value::String("1".into()));
    click_link(page, ".facet", "LTI / Moodle").await;
    wait_for_url(page, "feature=lti").await;
    let url = page.url().await.expect("url").unwrap_or_default();
    assert!(url.contains("q=bigbluebutton"), "{url}");
    let t = text(page).await;
    assert!(t.contains("1 offering"), "{t}");
    assert!(t.contains("Rhein Meet Klassenzimmer"), "{t}");

    // The URL is the state: opening it again gives the same result (bookmarkable).
    goto(page, &url).await;
    assert!(text(page).await.contains("1 offering"));

    // Removing the filter again.
    click(page, ".active-filters a.chip").await;
    wait_for(
        page,
        "!location.href.includes('feature=') && document.readyState === 'complete'",
        "the filter removed",
    )
    .await;
    assert!(text(page).await.contains("3 offerings"));

    // Open an offering from the results.
    click_link(page, ".listings", "Rhein Meet Klassenzimmer").await;
    wait_for_url(page, "/actors/rheinmeet_bbb").await;
    let t = text(page).await;
    assert!(t.contains("Compatible alternatives"), "{t}");
    assert!(t.contains("In favour:"), "{t}");
    assert!(
        t.contains(&format!("@rheinmeet_bbb@localhost:{}", node.port)),
        "{t}"
    );
    assert!(t.contains("LTI / Moodle"), "{t}");
    if shots {
        screenshot(page, "offering").await;
    }

    // Compare two offerings chosen with the check boxes of the directory.
    goto(page, &node.url("/?q=bigbluebutton")).await;
    click(page, "#cmp-1").await;
    click(page, "#cmp-2").await;
    click(page, ".compare-submit button").await;
    wait_for_url(page, "/compare?").await;
    let cols = eval(
        page,
        "document.querySelectorAll('table.compare thead th').length",
    )
    .await;
    assert_eq!(cols, Value::from(2));
    let t = text(page).await;
    assert!(t.contains("Participants per room"), "{t}");
    assert!(t.contains("Compare offerings"), "{t}");
}

#[tokio::test]
async fn members_search_filter_open_and_compare() {
    let _serial = serial().await;
    let node = directory_node().await;
    let chrome = Chrome::launch().await;
    let page = chrome.page().await;
    search_filter_open_compare(&node, &page, true).await;

    // With JavaScript the copy button appears (it is the only script of the pages).
    goto(&page, &node.url("/actors/meetcoop_bbb")).await;
    wait_for(
        &page,
        "document.querySelector('button.copy') && !document.querySelector('button.copy').hidden",
        "the copy button",
    )
    .await;

    // Compare three from an offering's alternatives, and look at the table.
    click_link(&page, ".alternatives", "Compare side by side").await;
    wait_for_url(&page, "/compare?").await;
    let cols = eval(
        &page,
        "document.querySelectorAll('table.compare thead th').length",
    )
    .await;
    assert!(cols.as_u64().unwrap_or(0) >= 3, "{cols}");
    screenshot(&page, "compare").await;
    chrome.close().await;
}

#[tokio::test]
async fn the_directory_works_without_javascript() {
    let _serial = serial().await;
    let node = directory_node().await;
    let chrome = Chrome::launch().await;
    let page = chrome.page().await;
    page.execute(SetScriptExecutionDisabledParams::new(true))
        .await
        .expect("disable scripts");
    // Only the DevTools DOM and Input domains from here on: no JavaScript runs at all.
    page.goto(node.url("/actors/meetcoop_bbb"))
        .await
        .expect("goto");
    let html = dom_wait(&page, "/actors/meetcoop_bbb", "Compatible alternatives").await;
    assert!(
        html.contains("data-done=\"Copied\" hidden=\"\""),
        "app.js ran although scripts are disabled"
    );

    // Search: type and press Enter.
    page.goto(node.url("/")).await.expect("goto");
    dom_wait(&page, "/", "4 offerings").await;
    dom_click(&page, "#q").await;
    page.find_element("#q")
        .await
        .expect("search box")
        .type_str("bigbluebutton")
        .await
        .expect("type")
        .press_key("Enter")
        .await
        .expect("enter");
    let html = dom_wait(&page, "q=bigbluebutton", "3 offerings").await;
    assert!(html.contains("LTI / Moodle"), "facet missing");

    // Filter with a facet link.
    dom_click(&page, ".facet a[href*='feature=lti']").await;
    let html = dom_wait(&page, "feature=lti", "1 offering<").await;
    assert!(html.contains("Rhein Meet Klassenzimmer"));
    let url = page.url().await.expect("url").unwrap_or_default();
    assert!(url.contains("q=bigbluebutton"), "{url}");

    // Remove it again.
    dom_click(&page, ".active-filters a.chip").await;
    dom_wait(&page, "q=bigbluebutton", "3 offerings").await;

    // Open an offering.
    dom_click(&page, ".listings a[href$='/actors/rheinmeet_bbb']").await;
    let html = dom_wait(&page, "/actors/rheinmeet_bbb", "Compatible alternatives").await;
    assert!(html.contains("In favour:"));

    // Compare two with the check boxes and the submit button.
    page.goto(node.url("/?q=bigbluebutton"))
        .await
        .expect("goto");
    dom_wait(&page, "q=bigbluebutton", "3 offerings").await;
    dom_click(&page, "#cmp-1").await;
    dom_click(&page, "#cmp-2").await;
    dom_click(&page, ".compare-submit button").await;
    let html = dom_wait(&page, "/compare?", "Participants per room").await;
    assert_eq!(html.matches("<th scope=\"col\">").count(), 2, "{html}");

    // Follow from your instance: a plain GET form, answered with the redirect.
    page.goto(node.url("/actors/meetcoop_bbb"))
        .await
        .expect("goto");
    dom_wait(&page, "/actors/meetcoop_bbb", "Your instance").await;
    chrome.close().await;
}

#[tokio::test]
async fn staff_log_in_announce_and_edit() {
    let _serial = serial().await;
    let node = directory_node().await;
    node.staff("meetstaff", "correct horse battery", "meetcoop")
        .await;
    let chrome = Chrome::launch().await;
    let page = chrome.page().await;

    goto(&page, &node.url("/login")).await;
    fill(&page, "#username", "meetstaff").await;
    fill(&page, "#password", "correct horse battery").await;
    click(&page, "form.stacked button[type=submit]").await;
    wait_for_url(&page, "/staff").await;
    let t = text(&page).await;
    assert!(t.contains("meet.coop BigBlueButton"), "{t}");
    assert!(
        !t.contains("Rhein Meet"),
        "staff of meet.coop sees another co-op's listings: {t}"
    );

    click_link(&page, "table.managed", "meet.coop BigBlueButton").await;
    wait_for_url(&page, "/staff/meetcoop_bbb").await;

    // An announcement, posted from the form, shows on the public page.
    fill(
        &page,
        "#text",
        "Maintenance on Saturday from 8:00 to 10:00 UTC. #maintenance",
    )
    .await;
    page.find_element("#kind")
        .await
        .expect("kind")
        .click()
        .await
        .expect("focus kind");
    eval(
        &page,
        "document.querySelector('#kind').value = 'maintenance'",
    )
    .await;
    click(&page, "form[action$='/announce'] button").await;
    wait_for_url(&page, "done=announce").await;
    goto(&page, &node.url("/actors/meetcoop_bbb")).await;
    let t = text(&page).await;
    assert!(
        t.contains("Maintenance on Saturday from 8:00 to 10:00 UTC."),
        "{t}"
    );
    assert!(t.contains("maintenance ·"), "{t}");

    // A refused edit: the message is next to the field, status 422, nothing written.
    goto(&page, &node.url("/staff/meetcoop_bbb")).await;
    fill(&page, "#participants_per_room", "lots").await;
    click(&page, "form[action$='/edit'] button[type=submit]").await;
    wait_for(
        &page,
        "!!document.querySelector('#participants_per_room-error')",
        "the field's error",
    )
    .await;
    let err = eval(
        &page,
        "document.querySelector('#participants_per_room-error').textContent",
    )
    .await;
    assert!(err.as_str().unwrap_or("").contains("whole number"), "{err}");
    assert_eq!(
        eval(
            &page,
            "document.querySelector('#participants_per_room').getAttribute('aria-invalid')"
        )
        .await,
        Value::String("true".into())
    );
    assert_eq!(
        node.local("meetcoop_bbb").await.name,
        "meet.coop BigBlueButton"
    );

    // A good edit changes the page and the actor document.
    fill(&page, "#participants_per_room", "200").await;
    fill(&page, "#name", "meet.coop Rooms for Assemblies").await;
    click(&page, "form[action$='/edit'] button[type=submit]").await;
    wait_for_url(&page, "done=edit").await;
    goto(&page, &node.url("/actors/meetcoop_bbb")).await;
    let t = text(&page).await;
    assert!(t.contains("meet.coop Rooms for Assemblies"), "{t}");
    assert!(t.contains("200"), "{t}");
    let json: Value = reqwest::Client::new()
        .get(node.url("/actors/meetcoop_bbb"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("actor")
        .json()
        .await
        .expect("json");
    assert_eq!(json["name"], "meet.coop Rooms for Assemblies");
    assert!(json.to_string().contains("200"), "{json}");

    // Logging out ends the session.
    click(&page, "header form[action='/logout'] button").await;
    wait_for(
        &page,
        "document.readyState === 'complete' && !!document.querySelector(\"a[href='/login']\")",
        "logged out",
    )
    .await;
    page.goto(node.url("/staff/meetcoop_bbb"))
        .await
        .expect("goto");
    wait_for_url(&page, "/login").await;
    chrome.close().await;
}

/// Listings and announcements carrying script, event-handler and `javascript:` payloads
/// render as text, and no script of theirs runs on any page.
#[tokio::test]
async fn hostile_listings_render_as_text() {
    let _serial = serial().await;
    let node = Node::start().await;
    let hostile = r#"
[coop]
handle = "xsscoop"
name = "<img src=x onerror=\"window.__xss=1;alert(1)\">Co-op"
summary = "<script>window.__xss=2;alert(2)</script> and <svg onload=\"window.__xss=3\"></svg>"
form = "worker"

[[offerings]]
handle = "xss_offering"
name = "<script>window.__xss=4</script>Meet"
summary = "<a href=\"javascript:window.__xss=5\">click</a> <iframe src=\"javascript:alert(5)\"></iframe>"
platform = "jitsi"
features = ["recording"]
price = { model = "free" }
languages = ["en"]
registration = "open"

[[offerings]]
handle = "plain"
name = "Plain Jitsi"
platform = "jitsi"
price = { model = "free" }
languages = ["en"]
registration = "open"
"#;
    node.import("hostile.toml", hostile).await;
    let offering = node.local("xss_offering").await;
    coopdir::directory::announcements::announce(
        &node.state,
        &offering,
        coopdir::directory::types::AnnouncementKind::News,
        "<script>window.__xss=6;alert(6)</script> <img src=x onerror=alert(7)> javascript:alert(8)",
    )
    .await
    .expect("announce");
    // A listing learned from a peer whose profile URL is a `javascript:` URL.
    let now = chrono::Utc::now();
    actor::ActiveModel {
        ap_id: Set("https://peer.example/actors/remote_xss".into()),
        kind: Set(ActorKind::Offering),
        username: Set("remote_xss".into()),
        domain: Set("peer.example".into()),
        name: Set("Remote \"><script>window.__xss=9</script>".into()),
        summary: Set("<b onmouseover=alert(10)>remote</b>".into()),
        inbox: Set("https://peer.example/actors/remote_xss/inbox".into()),
        url: Set(Some("javascript:window.__xss=11".into())),
        public_key_pem: Set(String::new()),
        local: Set(false),
        attributes: Set(offering.attributes.clone()),
        status: Set(Status::Active),
        also_known_as: Set("[]".into()),
        moderation: Set(Moderation::Approved),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&node.state.db)
    .await
    .expect("remote listing");

    let chrome = Chrome::launch().await;
    let page = chrome.page().await;
    let mut dialogs = page
        .event_listener::<EventJavascriptDialogOpening>()
        .await
        .expect("dialog events");
    let compare = format!(
        "/compare?actor={}&actor=https://peer.example/actors/remote_xss",
        offering.ap_id
    );
    for path in [
        "/",
        "/?q=script",
        "/actors/xss_offering",
        "/actors/xsscoop",
        compare.as_str(),
        "/about",
    ] {
        goto(&page, &node.url(path)).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            eval(&page, "typeof window.__xss").await,
            Value::String("undefined".into()),
            "a payload ran on {path}"
        );
        assert_eq!(
            eval(
                &page,
                "document.querySelectorAll('script:not([src=\"/static/app.js\"]):not([type=\"application/ld+json\"]), iframe, svg, img[onerror], [onload], [onmouseover]').length"
            )
            .await,
            Value::from(0),
            "a payload became markup on {path}"
        );
        // The schema.org data of a page is one JSON text each, whatever a listing says.
        assert_eq!(
            eval(
                &page,
                "[...document.querySelectorAll('script[type=\"application/ld+json\"]')].filter(s => { try { JSON.parse(s.textContent); return false } catch (e) { return true } }).length"
            )
            .await,
            Value::from(0),
            "schema.org data that is not one JSON text on {path}"
        );
        assert_eq!(
            eval(&page, "[...document.querySelectorAll('a[href]')].filter(a => !/^(https?:|\\/|#)/.test(a.getAttribute('href'))).map(a => a.getAttribute('href'))").await,
            Value::Array(vec![]),
            "a link that is not http(s) on {path}"
        );
    }
    // The payloads are shown as the text they are.
    goto(&page, &node.url("/actors/xss_offering")).await;
    let t = text(&page).await;
    assert!(t.contains("<script>window.__xss=4</script>Meet"), "{t}");
    let data = eval(
        &page,
        "JSON.stringify(JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent))",
    )
    .await;
    assert!(
        data.as_str()
            .is_some_and(|d| d.contains("<script>window.__xss=4</script>Meet")),
        "the schema.org data names the offering as the text it is: {data}"
    );
    assert!(
        t.contains("<script>window.__xss=6;alert(6)</script>"),
        "{t}"
    );
    goto(&page, &node.url("/")).await;
    let t = text(&page).await;
    assert!(
        t.contains("Remote \"><script>window.__xss=9</script>"),
        "{t}"
    );
    // The remote listing's link falls back to its actor id, never `javascript:`.
    let href = eval(
        &page,
        "[...document.querySelectorAll('.listings h3 a')].find(a => a.textContent.startsWith('Remote')).getAttribute('href')",
    )
    .await;
    assert_eq!(
        href,
        Value::String("https://peer.example/actors/remote_xss".into())
    );
    // No alert, confirm or prompt opened on any page.
    let opened = tokio::time::timeout(Duration::from_millis(300), dialogs.next()).await;
    assert!(opened.is_err(), "a dialog opened: {opened:?}");
    chrome.close().await;
}

/// A member's reply carrying script, event handlers and `javascript:` links, received
/// through the same handler as the inbox, renders inert under the announcement: no
/// script of it runs, no markup of it survives but text and http(s) links.
#[tokio::test]
async fn a_hostile_reply_is_inert_under_its_announcement() {
    let _serial = serial().await;
    let node = Node::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let offering = node.local("meetcoop_bbb").await;
    let a = coopdir::directory::announcements::announce(
        &node.state,
        &offering,
        coopdir::directory::types::AnnouncementKind::News,
        "meet.coop will close. Questions welcome.",
    )
    .await
    .expect("announce");
    let now = chrono::Utc::now();
    let member = actor::ActiveModel {
        ap_id: Set("https://peer.example/users/mallory".into()),
        kind: Set(ActorKind::Person),
        username: Set("mallory\"><script>window.__xss=20</script>".into()),
        domain: Set("peer.example".into()),
        name: Set("Mallory".into()),
        summary: Set(String::new()),
        inbox: Set("https://peer.example/users/mallory/inbox".into()),
        url: Set(Some("javascript:window.__xss=21".into())),
        public_key_pem: Set(String::new()),
        local: Set(false),
        status: Set(Status::Active),
        also_known_as: Set("[]".into()),
        moderation: Set(Moderation::Approved),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&node.state.db)
    .await
    .expect("remote member");
    let create = serde_json::json!({
        "id": "https://peer.example/creates/1",
        "type": "Create",
        "actor": member.ap_id,
        "object": {
            "id": "https://peer.example/notes/1",
            "type": "Note",
            "attributedTo": member.ap_id,
            "inReplyTo": a.ap_id,
            "url": "javascript:window.__xss=22",
            "content": "<p>Question<script>window.__xss=23;alert(23)</script><img src=x onerror=\"window.__xss=24\"> <a href=\"javascript:window.__xss=25\">click</a> <svg onload=\"window.__xss=26\"></svg><iframe src=\"javascript:alert(27)\"></iframe><b onmouseover=\"alert(28)\">bold</b></p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    coopdir::federation::activities::handle(&node.ctx, &member, "Create", create)
        .await
        .expect("the reply is received");

    let chrome = Chrome::launch().await;
    let page = chrome.page().await;
    let mut dialogs = page
        .event_listener::<EventJavascriptDialogOpening>()
        .await
        .expect("dialog events");
    for path in [
        url::Url::parse(&a.ap_id).expect("url").path().to_string(),
        "/actors/meetcoop_bbb".to_string(),
    ] {
        goto(&page, &node.url(&path)).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            eval(&page, "typeof window.__xss").await,
            Value::String("undefined".into()),
            "a payload ran on {path}"
        );
        assert_eq!(
            eval(
                &page,
                "document.querySelectorAll('script:not([src=\"/static/app.js\"]):not([type=\"application/ld+json\"]), iframe, svg, img, [onload], [onerror], [onmouseover]').length"
            )
            .await,
            Value::from(0),
            "a payload became markup on {path}"
        );
        assert_eq!(
            eval(&page, "[...document.querySelectorAll('a[href]')].filter(a => !/^(https?:|\\/|#)/.test(a.getAttribute('href'))).map(a => a.getAttribute('href'))").await,
            Value::Array(vec![]),
            "a link that is not http(s) on {path}"
        );
    }
    goto(&page, &a.ap_id).await;
    let t = text(&page).await;
    assert!(
        t.contains("Question") && t.contains("bold"),
        "the reply is shown: {t}"
    );
    assert!(
        t.contains("@mallory\"><script>window.__xss=20</script>@peer.example"),
        "the handle is shown as the text it is: {t}"
    );
    let opened = tokio::time::timeout(Duration::from_millis(300), dialogs.next()).await;
    assert!(opened.is_err(), "a dialog opened: {opened:?}");
    chrome.close().await;
}
