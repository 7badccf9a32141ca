//! Accessibility of every page, checked in headless Chromium: axe-core (from the npm
//! registry, `tests/browser/package.json`, installed by `npm ci` there) is injected into
//! each public, staff and admin page, refused forms and error pages included, at 1280 and
//! 390 px wide, with JavaScript on and off, and must report no violation. No page may be
//! wider than a 390 px screen. On a phone the filters come before the results; a refused
//! form puts the focus on its error summary; `Accept-Language: de` gives German pages.
//!
//! `cargo test -p coopdir-browser-tests --test a11y`.

mod common;

use chromiumoxide::{
    Page,
    cdp::browser_protocol::{
        emulation::{SetDeviceMetricsOverrideParams, SetScriptExecutionDisabledParams},
        network::{Headers, SetExtraHttpHeadersParams},
    },
};
use common::*;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

/// axe-core's script, as npm installed it.
fn axe_source() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. Install axe-core first: (cd tests/browser && npm ci); scripts/test does",
            path.display()
        )
    })
}

/// A width to check pages at.
#[derive(Clone, Copy, Debug)]
struct Screen {
    width: i64,
    height: i64,
    phone: bool,
}

const DESKTOP: Screen = Screen {
    width: 1280,
    height: 800,
    phone: false,
};
const PHONE: Screen = Screen {
    width: 390,
    height: 844,
    phone: true,
};

async fn set_screen(page: &Page, s: Screen) {
    page.execute(
        SetDeviceMetricsOverrideParams::builder()
            .width(s.width)
            .height(s.height)
            .device_scale_factor(if s.phone { 3.0 } else { 1.0 })
            .mobile(s.phone)
            .build()
            .expect("metrics"),
    )
    .await
    .expect("set screen");
}

async fn scripts(page: &Page, on: bool) {
    page.execute(SetScriptExecutionDisabledParams::new(!on))
        .await
        .expect("script execution");
}

/// How a page is reached.
#[derive(Clone, Debug)]
struct Visit {
    name: &'static str,
    path: String,
    /// A submit button to click with the mouse once the page is there: a refused form.
    submit: Option<&'static str>,
    /// Text the resulting page's HTML contains (the page to wait for).
    marker: &'static str,
}

fn visit(name: &'static str, path: impl Into<String>, marker: &'static str) -> Visit {
    Visit {
        name,
        path: path.into(),
        submit: None,
        marker,
    }
}

fn refused(name: &'static str, path: impl Into<String>, submit: &'static str) -> Visit {
    Visit {
        name,
        path: path.into(),
        submit: Some(submit),
        marker: "id=\"error-summary\"",
    }
}

/// Open the page as the visit says, with scripts `js`; then check it (scripts on for the
/// checks themselves: the page's own were never run when `js` is off). Returns the
/// problems found.
async fn check(node: &Node, page: &Page, axe: &str, v: &Visit, s: Screen, js: bool) -> Vec<String> {
    scripts(page, js).await;
    let url = node.url(&v.path);
    page.goto(&url)
        .await
        .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    let path_part = v.path.split('?').next().unwrap_or("/").to_string();
    if let Some(button) = v.submit {
        dom_wait(page, &path_part, "</html>").await;
        dom_click(page, button).await;
        // The refused form comes back at the form's action.
    }
    let wait_part = if v.submit.is_some() { "" } else { &path_part };
    dom_wait(page, wait_part, v.marker).await;
    scripts(page, true).await;
    let mut problems = vec![];
    let label = format!(
        "{} at {} px, JS {}",
        v.name,
        s.width,
        if js { "on" } else { "off" }
    );

    if v.marker.contains("error-summary") {
        let focused = eval(page, "document.activeElement && document.activeElement.id").await;
        if focused != json!("error-summary") {
            problems.push(format!(
                "{label}: focus is on {focused}, not the error summary"
            ));
        }
    }
    let widths = eval(
        page,
        "[document.documentElement.scrollWidth, window.innerWidth]",
    )
    .await;
    if let (Some(scroll), Some(inner)) = (widths[0].as_i64(), widths[1].as_i64())
        && scroll > inner
    {
        let wide = eval(
            page,
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll, .compare-scroll')).slice(0, 5).map(e => e.tagName + '.' + e.className)",
        )
        .await;
        problems.push(format!(
            "{label}: page is {scroll} px wide in a {inner} px screen: {wide}"
        ));
    }
    if !s.phone {
        // Column headers on one line each: a word broken in two ("Sta te") reads as two.
        let broken = eval(
            page,
            "(() => { const out = []; for (const th of document.querySelectorAll('thead th')) { \
               const walk = document.createTreeWalker(th, NodeFilter.SHOW_TEXT); let t; \
               while ((t = walk.nextNode())) { if (t.parentElement.getBoundingClientRect().width <= 1) continue; \
                 for (const m of t.data.matchAll(/\\S+/g)) { const r = document.createRange(); \
                   r.setStart(t, m.index); r.setEnd(t, m.index + m[0].length); \
                   if (new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1) out.push(m[0]); } } } \
               return out; })()",
        )
        .await;
        if broken.as_array().is_some_and(|b| !b.is_empty()) {
            problems.push(format!("{label}: words of column headers broken: {broken}"));
        }
    }
    eval(page, axe).await;
    let violations = eval(
        page,
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))",
    )
    .await;
    for v in violations.as_array().into_iter().flatten() {
        problems.push(format!(
            "{label}: axe {}: {} at {}",
            v["id"], v["help"], v["nodes"]
        ));
    }
    problems
}

async fn log_in(node: &Node, page: &Page, username: &str) {
    scripts(page, true).await;
    set_screen(page, DESKTOP).await;
    goto(page, &node.url("/login")).await;
    fill(page, "#username", username).await;
    fill(page, "#password", PASSWORD).await;
    click(page, "form[action='/login'] button").await;
    wait_for(
        page,
        "!location.pathname.startsWith('/login') && document.readyState === 'complete'",
        "logged in",
    )
    .await;
}

async fn log_out(node: &Node, page: &Page) {
    scripts(page, true).await;
    goto(page, &node.url("/about")).await;
    click(page, "form[action='/logout'] button").await;
    wait_for(
        page,
        "!document.querySelector(\"form[action='/logout']\")",
        "logged out",
    )
    .await;
}

#[tokio::test]
async fn every_page_passes_axe_at_both_widths_with_and_without_javascript() {
    let _serial = SERIAL.lock().await;
    let axe = axe_source();
    let node = Node::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    node.staff("alice", PASSWORD, "meetcoop").await;
    coopdir::directory::accounts::create_admin(&node.state.db, "root", PASSWORD)
        .await
        .expect("admin");
    let offering = node.local("meetcoop_bbb").await;
    let note = coopdir::directory::announcements::announce(
        &node.state,
        &offering,
        coopdir::directory::types::AnnouncementKind::News,
        "Recording is now on by default. #bbb",
    )
    .await
    .expect("announce");
    // Content for the admin pages: an open report with a long comment, a blocked domain.
    coopdir::directory::moderation::file_report(
        &node.state.db,
        coopdir::directory::moderation::NewReport {
            ap_id: None,
            reporter: None,
            target: &offering,
            status_uris: vec![format!("{}/statuses/{}", offering.ap_id, "1".repeat(80))],
            comment: &"This listing claims end-to-end encryption it does not have. ".repeat(8),
        },
    )
    .await
    .expect("report");
    coopdir::directory::moderation::block_domain(
        &node.state,
        "a-rather-long-subdomain-name.spam-cooperative.example",
        coopdir::federation::policy::Severity::Reject,
        Some("Sends thousands of fake listings every hour."),
        "root",
    )
    .await
    .expect("block");
    let note_path = url::Url::parse(&note.ap_id)
        .expect("note url")
        .path()
        .to_string();
    let bbb = node.url("/actors/meetcoop_bbb");
    let jitsi = node.url("/actors/rheinmeet_jitsi");
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();

    let public = vec![
        visit("directory", "/", "results-h"),
        visit("search", "/?q=bigbluebutton+german+recording", "results-h"),
        visit("search without results", "/?q=xyzzy+plugh", "results-h"),
        visit("filtered", "/?platform=jitsi&language=de", "results-h"),
        visit("about", "/about", "</main>"),
        visit("moderation log", "/moderation", "</main>"),
        visit("offering", "/actors/meetcoop_bbb", "</main>"),
        visit("co-op", "/actors/meetcoop", "</main>"),
        visit("category group", "/actors/videoconferencing", "</main>"),
        visit("announcement", note_path.clone(), "</main>"),
        visit(
            "compare",
            format!("/compare?actor={}&actor={}", enc(&bbb), enc(&jitsi)),
            "<h1",
        ),
        visit("compare refused", "/compare", "</main>"),
        visit("follow", format!("/follow?actor={}", enc(&bbb)), "</main>"),
        visit(
            "follow refused",
            format!("/follow?actor={}&instance=not%20a%20server!", enc(&bbb)),
            "id=\"error-summary\"",
        ),
        visit("not found", "/no/such/page", "</main>"),
        visit("report", format!("/report?actor={}", enc(&bbb)), "</main>"),
        refused(
            "report refused",
            format!("/report?actor={}", enc(&bbb)),
            "form[action='/report'] button",
        ),
        visit("login", "/login", "</main>"),
        refused("login refused", "/login", "form[action='/login'] button"),
    ];
    let staff = vec![
        visit("staff", "/staff", "</main>"),
        visit("manage", "/staff/meetcoop_bbb", "</main>"),
        refused(
            "announcement refused",
            "/staff/meetcoop_bbb",
            "form[action$='/announce'] button",
        ),
        visit("forbidden", "/admin", "</main>"),
    ];
    let admin = vec![
        visit("admin", "/admin", "</main>"),
        visit("admin queue", "/admin/queue?q=meet", "</main>"),
        visit("admin reports", "/admin/reports", "</main>"),
        visit("admin domains", "/admin/domains", "</main>"),
        visit("admin log", "/admin/log", "</main>"),
        refused(
            "block refused",
            "/admin/domains",
            "form[action='/admin/domains/block'] button",
        ),
    ];

    let chrome = Chrome::launch().await;
    let page = chrome.page().await;
    let mut problems = vec![];
    for (who, visits) in [
        (None, &public),
        (Some("alice"), &staff),
        (Some("root"), &admin),
    ] {
        if let Some(user) = who {
            log_in(&node, &page, user).await;
        }
        for s in [DESKTOP, PHONE] {
            set_screen(&page, s).await;
            for js in [true, false] {
                for v in visits {
                    problems.extend(check(&node, &page, &axe, v, s, js).await);
                }
            }
        }
        if who.is_some() {
            log_out(&node, &page).await;
        }
    }
    chrome.close().await;
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[tokio::test]
async fn on_a_phone_the_filters_come_first_and_german_browsers_get_german() {
    let _serial = SERIAL.lock().await;
    let node = Node::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    let chrome = Chrome::launch().await;
    let page = chrome.page().await;

    set_screen(&page, PHONE).await;
    for js in [true, false] {
        scripts(&page, js).await;
        page.goto(node.url("/?q=bigbluebutton&language=de"))
            .await
            .expect("goto");
        dom_wait(&page, "/", "results-h").await;
        scripts(&page, true).await;
        let layout = eval(
            &page,
            "(() => { const top = s => document.querySelector(s).getBoundingClientRect().top; \
             const d = document.querySelector('details.filters'); \
             return { search: top('form.search'), count: top('.result-count'), chips: top('.result-summary .active-filters'), \
                      filters: top('details.filters'), results: top('.listings'), open: d.open }; })()",
        )
        .await;
        let n = |k: &str| layout[k].as_f64().unwrap_or(f64::NAN);
        assert!(n("search") < n("count"), "JS {js}: {layout}");
        assert!(
            n("count") <= n("chips"),
            "JS {js}: chips under the count: {layout}"
        );
        assert!(n("chips") < n("filters"), "JS {js}: {layout}");
        assert!(
            n("filters") < n("results"),
            "JS {js}: filters before results: {layout}"
        );
        assert_eq!(layout["open"], Value::Bool(false), "collapsed on a phone");
        // The results start within the first screen.
        assert!(n("results") < 844.0, "JS {js}: {layout}");
        // Tab order is the order on screen: the filters' control before the first result.
        let order = eval(
            &page,
            "(() => { const f = document.querySelector('details.filters > summary'); const r = document.querySelector('.listings a'); \
             return !!(f.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING); })()",
        )
        .await;
        assert_eq!(order, Value::Bool(true));
        if js {
            screenshot(&page, "directory-phone").await;
        }
    }

    // A desktop shows the filters as an open sidebar, with or without JavaScript.
    set_screen(&page, DESKTOP).await;
    for js in [true, false] {
        scripts(&page, js).await;
        page.goto(node.url("/")).await.expect("goto");
        dom_wait(&page, "/", "results-h").await;
        scripts(&page, true).await;
        let visible = eval(
            &page,
            "document.querySelector('.facet a').getBoundingClientRect().height > 0",
        )
        .await;
        assert_eq!(visible, Value::Bool(true), "JS {js}: filters shown");
    }

    // A browser that asks for German gets German pages.
    let mut headers = serde_json::Map::new();
    headers.insert("Accept-Language".into(), json!("de-DE,de;q=0.9"));
    page.execute(SetExtraHttpHeadersParams::new(Headers::new(Value::Object(
        headers,
    ))))
    .await
    .expect("headers");
    set_screen(&page, PHONE).await;
    goto(&page, &node.url("/")).await;
    assert_eq!(
        eval(&page, "document.documentElement.lang").await,
        json!("de")
    );
    let t = text(&page).await;
    assert!(
        t.contains("Einen genossenschaftlichen Anbieter finden"),
        "{t}"
    );
    assert!(t.contains("Filter anzeigen"), "{t}");
    screenshot(&page, "directory-phone-de").await;
    set_screen(&page, DESKTOP).await;
    goto(&page, &node.url("/actors/meetcoop_bbb")).await;
    let t = text(&page).await;
    assert!(t.contains("Auf einen Blick"), "{t}");
    screenshot(&page, "offering-de").await;

    // The switcher changes it and the choice is remembered over the browser's.
    click(&page, "form.langs button[value='fr']").await;
    wait_for(
        &page,
        "document.documentElement.lang === 'fr'",
        "French page",
    )
    .await;
    goto(&page, &node.url("/about")).await;
    assert_eq!(
        eval(&page, "document.documentElement.lang").await,
        json!("fr")
    );
    chrome.close().await;
}
