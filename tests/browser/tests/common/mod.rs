//! Harness of the browser tests: a coopdir node in this process (a small copy of
//! tests/it/common.rs, SQLite only) and a headless Chromium driven over the DevTools
//! protocol with chromiumoxide.

#![allow(dead_code)]

use chromiumoxide::{Browser, BrowserConfig, Page, handler::viewport::Viewport};
use coopdir::{
    Node as CoopNode,
    config::Options,
    db::entities::actor,
    directory::{self, listing::ListingDocument},
    federation::{AppState, Ctx},
};
use futures::StreamExt;
use std::{path::PathBuf, time::Duration};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};
use url::Url;

pub const MEETCOOP: &str = include_str!("../../../../docs/examples/meetcoop.toml");
pub const RHEINMEET: &str = include_str!("../../../../docs/examples/rheinmeet.json");

/// Debian's Chromium; `scripts/test` installs it. Never downloaded by the tests.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// One browser at a time: the machine has two cores.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A running node.
pub struct Node {
    pub state: AppState,
    /// A request context, to hand activities to the handlers as the inbox does.
    pub ctx: Ctx,
    pub port: u16,
    pub base: String,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    pub dir: tempfile::TempDir,
}

impl Node {
    pub async fn start() -> Node {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Options {
            dev: true,
            public_url: Some(Url::parse(&format!("http://localhost:{port}")).expect("url")),
            database_url: Some(format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("coopdir.db").display()
            )),
            data_dir: Some(dir.path().to_path_buf()),
            node_name: Some("Co-op Directory (test)".into()),
            ..Default::default()
        }
        .resolve()
        .expect("settings");
        settings.listen = ([127, 0, 0, 1], port).into();
        settings.retry_base = Duration::from_millis(200);
        let node = CoopNode::start(settings).await.expect("node starts");
        let state = node.state.clone();
        let ctx = node.config.to_request_data();
        let (stop, rx) = watch::channel(false);
        let task = tokio::spawn(async move {
            node.serve(listener, rx).await.expect("serve");
        });
        Node {
            state,
            ctx,
            port,
            base: format!("http://localhost:{port}"),
            stop,
            task,
            dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn import(&self, name: &str, text: &str) {
        let doc = ListingDocument::parse(name, text).expect("valid document");
        directory::import(&self.state, &doc).await.expect("import");
    }

    pub async fn local(&self, username: &str) -> actor::Model {
        directory::find_local(&self.state.db, username)
            .await
            .expect("db")
            .expect("local actor")
    }

    /// A staff account of the local co-op `coop`.
    pub async fn staff(&self, username: &str, password: &str, coop: &str) {
        let coop = self.local(coop).await;
        directory::accounts::create_staff(&self.state.db, username, password, &coop)
            .await
            .expect("staff account");
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        self.task.abort();
    }
}

/// A headless Chromium with a fresh profile, closed when dropped.
pub struct Chrome {
    pub browser: Browser,
    handler: JoinHandle<()>,
    _profile: tempfile::TempDir,
}

impl Chrome {
    pub async fn launch() -> Chrome {
        assert!(
            std::path::Path::new(CHROMIUM).exists(),
            "{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); scripts/test does"
        );
        let profile = tempfile::tempdir().expect("profile dir");
        let config = BrowserConfig::builder()
            .chrome_executable(CHROMIUM)
            .disable_default_args()
            // chromiumoxide adds the leading `--`.
            .args([
                "headless",
                "no-sandbox",
                "disable-gpu",
                "disable-quic",
                "no-first-run",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
                "hide-scrollbars",
                "mute-audio",
                // Nodes on loopback are named localhost:PORT; they listen on IPv4.
                "host-resolver-rules=MAP localhost 127.0.0.1",
            ])
            .user_data_dir(profile.path())
            .window_size(1280, 800)
            .viewport(Viewport {
                width: 1280,
                height: 800,
                device_scale_factor: Some(1.0),
                emulating_mobile: false,
                is_landscape: true,
                has_touch: false,
            })
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(30))
            .build()
            .expect("browser config");
        let (browser, mut handler) = Browser::launch(config).await.expect("launch chromium");
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Chrome {
            browser,
            handler,
            _profile: profile,
        }
    }

    pub async fn page(&self) -> Page {
        self.browser
            .new_page("about:blank")
            .await
            .expect("new page")
    }

    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
    }
}

/// Evaluate `js` and read the result as JSON.
pub async fn eval(page: &Page, js: &str) -> serde_json::Value {
    page.evaluate(js)
        .await
        .unwrap_or_else(|e| panic!("evaluate {js}: {e}"))
        .value()
        .cloned()
        .unwrap_or(serde_json::Value::Null)
}

/// Poll `js` until it is true, or fail after 15 s naming `what`.
pub async fn wait_for(page: &Page, js: &str, what: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(r) = page.evaluate(js).await
            && r.value() == Some(&serde_json::Value::Bool(true))
        {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            let url = page.url().await.ok().flatten().unwrap_or_default();
            panic!("timed out waiting for {what} ({js}); at {url}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Wait until the page has loaded a document whose URL contains `part`.
pub async fn wait_for_url(page: &Page, part: &str) {
    let js = format!(
        "location.href.includes({}) && document.readyState === 'complete'",
        serde_json::Value::String(part.into())
    );
    wait_for(page, &js, &format!("a page at {part}")).await;
}

pub async fn goto(page: &Page, url: &str) {
    page.goto(url)
        .await
        .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    wait_for_url(page, url).await;
}

/// The visible text of the page.
pub async fn text(page: &Page) -> String {
    eval(page, "document.body.innerText")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Click the element matching `selector`.
pub async fn click(page: &Page, selector: &str) {
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("no element {selector}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {selector}: {e}"));
}

/// Click (with the mouse, as a person would) the link whose text is exactly `text`
/// inside `scope`, a CSS selector.
pub async fn click_link(page: &Page, scope: &str, text: &str) {
    let js = format!(
        "(() => {{ document.querySelectorAll('[data-test-target]').forEach(e => e.removeAttribute('data-test-target')); const a = [...document.querySelectorAll({} + ' a')].find(a => a.textContent.trim() === {}); if (!a) return false; a.setAttribute('data-test-target', ''); return true; }})()",
        serde_json::Value::String(scope.into()),
        serde_json::Value::String(text.into())
    );
    assert_eq!(
        eval(page, &js).await,
        serde_json::Value::Bool(true),
        "no link '{text}' in {scope}"
    );
    dom_click(page, "[data-test-target]").await;
}

/// Replace the value of a form field and type `value` into it.
pub async fn fill(page: &Page, selector: &str, value: &str) {
    let js = format!(
        "(() => {{ const e = document.querySelector({}); if (!e) return false; e.value = ''; return true; }})()",
        serde_json::Value::String(selector.into())
    );
    assert_eq!(
        eval(page, &js).await,
        serde_json::Value::Bool(true),
        "no field {selector}"
    );
    page.find_element(selector)
        .await
        .expect("field")
        .click()
        .await
        .expect("focus")
        .type_str(value)
        .await
        .expect("type");
}

/// Where screenshots go: docs/screenshots when `COOPDIR_SCREENSHOTS=1` (to refresh the
/// committed ones), else a temporary directory, so that a test run leaves the tree as it
/// was.
pub fn screenshot_dir() -> PathBuf {
    if std::env::var("COOPDIR_SCREENSHOTS").is_ok_and(|v| v == "1") {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
    } else {
        std::env::temp_dir().join("coopdir-screenshots")
    }
}

pub async fn screenshot(page: &Page, name: &str) -> PathBuf {
    use chromiumoxide::page::ScreenshotParams;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    page.save_screenshot(ScreenshotParams::builder().build(), &path)
        .await
        .expect("screenshot");
    let meta = std::fs::metadata(&path).expect("screenshot written");
    assert!(
        meta.len() > 10_000,
        "screenshot {name} is suspiciously small"
    );
    path
}

// ---------------------------------------------------------------------------------------
// Without JavaScript: the DevTools DOM and Input domains only, never Runtime, so these
// work when `Emulation.setScriptExecutionDisabled` is on.

use chromiumoxide::cdp::browser_protocol::dom::{
    GetContentQuadsParams, GetDocumentParams, GetOuterHtmlParams, NodeId, QuerySelectorParams,
    ScrollIntoViewIfNeededParams,
};

async fn dom_node(page: &Page, selector: &str) -> Option<NodeId> {
    let root = page
        .execute(GetDocumentParams::default())
        .await
        .ok()?
        .result
        .root
        .node_id;
    let node = page
        .execute(QuerySelectorParams::new(root, selector))
        .await
        .ok()?
        .result
        .node_id;
    // querySelector answers node id 0 when nothing matches.
    (*node.inner() != 0).then_some(node)
}

/// The serialized DOM of the page; empty while a navigation replaces the document.
pub async fn dom_html(page: &Page) -> String {
    let Ok(doc) = page.execute(GetDocumentParams::default()).await else {
        return String::new();
    };
    page.execute(GetOuterHtmlParams {
        node_id: Some(doc.result.root.node_id),
        ..Default::default()
    })
    .await
    .map(|r| r.result.outer_html.clone())
    .unwrap_or_default()
}

/// Click the element matching `selector` with the mouse, at its centre.
pub async fn dom_click(page: &Page, selector: &str) {
    let node = dom_node(page, selector)
        .await
        .unwrap_or_else(|| panic!("no element {selector}"));
    // Scroll so that 200 px below the element's top are on screen: a sticky bar at the
    // bottom of the window (the directory's "Compare selected") never covers it.
    page.execute(ScrollIntoViewIfNeededParams {
        node_id: Some(node),
        rect: Some(chromiumoxide::cdp::browser_protocol::dom::Rect {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 200.0,
        }),
        ..Default::default()
    })
    .await
    .expect("scroll into view");
    // Aim once the element stays put: a page still applying its stylesheet moves things.
    let quad = || async {
        page.execute(GetContentQuadsParams {
            node_id: Some(node),
            ..Default::default()
        })
        .await
        .expect("content quads")
        .result
        .quads
        .first()
        .map(|q| q.inner().clone())
    };
    let mut last = quad().await;
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = quad().await;
        if now == last {
            break;
        }
        last = now;
    }
    let q = last.unwrap_or_else(|| panic!("{selector} is not visible"));
    let x = (q[0] + q[2] + q[4] + q[6]) / 4.0;
    let y = (q[1] + q[3] + q[5] + q[7]) / 4.0;
    page.click(chromiumoxide::layout::Point { x, y })
        .await
        .expect("click");
}

/// Wait until the page's URL contains `part` and its DOM contains `marker`.
pub async fn dom_wait(page: &Page, part: &str, marker: &str) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let url = page.url().await.ok().flatten().unwrap_or_default();
        if url.contains(part) {
            let html = dom_html(page).await;
            if html.contains(marker) {
                return html;
            }
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for {marker:?} at a URL with {part:?}; at {url}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
