//! Live probes of listed services (issue 17): probe servers on loopback answer in each
//! platform's documented format (BigBlueButton's API answer is a real server's shape), and
//! `serve`'s scheduler probes them under the node's test clock. What the probes find shows
//! in the API, on the page, in the actor's profile fields, in the ChatonsInfos export and
//! in search; a service down 3 days is marked unreachable and, at 30 days, reaches the
//! admins; the SSRF guard's refusals are recorded as such; two `serve` processes on one
//! database probe each listing once per interval.

use crate::common::*;
use coopdir::{
    Node,
    db::entities::{listing_probe, probe_result, report},
    directory::{self, listing::ListingDocument},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

/// What the probe server answers.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// As the platform does.
    Up,
    /// 500 Internal Server Error.
    Error,
    /// 200 with a body that is not the platform's.
    WrongBody,
    /// Accepts and never answers.
    Hang,
}

/// The answer of a BigBlueButton 2.7 server to `GET /bigbluebutton/api` (the API's
/// "index" call, which needs no checksum).
const BBB_API: &str = "<response>\n<returncode>SUCCESS</returncode>\n<version>2.0</version>\n\
<apiVersion>2.0</apiVersion>\n<bbbVersion>2.7.3</bbbVersion>\n</response>";

/// Nextcloud's `status.php`.
const NEXTCLOUD_STATUS: &str = r#"{"installed":true,"maintenance":false,"needsDbUpgrade":false,"version":"28.0.1.1","versionstring":"28.0.1","edition":"","productname":"Nextcloud","extendedSupport":false}"#;

/// A probe server: one mode for all paths, requests counted per path.
struct ProbeServer {
    port: u16,
    mode: Arc<Mutex<Mode>>,
    hits: Arc<Mutex<HashMap<String, u32>>>,
    task: tokio::task::JoinHandle<()>,
}

impl ProbeServer {
    async fn start() -> ProbeServer {
        let mode = Arc::new(Mutex::new(Mode::Up));
        let hits: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
        let (m, h) = (mode.clone(), hits.clone());
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let (m, h) = (m.clone(), h.clone());
            async move {
                use axum::response::IntoResponse;
                let path = uri.path().to_string();
                *h.lock().unwrap().entry(path.clone()).or_default() += 1;
                let mode = *m.lock().unwrap();
                match mode {
                    Mode::Hang => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        "".into_response()
                    }
                    Mode::Error => {
                        (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response()
                    }
                    Mode::WrongBody => "<html><body>Parked domain</body></html>".into_response(),
                    Mode::Up => {
                        let body = if path.ends_with("/bigbluebutton/api") {
                            BBB_API.to_string()
                        } else if path.ends_with("/public-groups.json") {
                            r#"[{"name":"public","displayName":"Public room"}]"#.into()
                        } else if path.ends_with("/status.php") {
                            NEXTCLOUD_STATUS.into()
                        } else if path.ends_with("/config.js") {
                            "var config = { hosts: { domain: 'meet.example' } };".into()
                        } else {
                            "<html><body>Welcome</body></html>".into()
                        };
                        body.into_response()
                    }
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ProbeServer {
            port,
            mode,
            hits,
            task,
        }
    }

    fn set(&self, m: Mode) {
        *self.mode.lock().unwrap() = m;
    }

    fn hits(&self, path: &str) -> u32 {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn total(&self) -> u32 {
        self.hits.lock().unwrap().values().sum()
    }

    /// Stop listening: the port refuses connections from now on.
    async fn stop(&self) {
        self.task.abort();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A listing document of one co-op with the given offerings (handle, platform, service
/// URL and extra TOML lines).
fn document(offerings: &[(&str, &str, Option<String>, &str)]) -> String {
    let mut doc =
        String::from("[coop]\nhandle = \"checked\"\nname = \"Checked Co-op\"\nform = \"worker\"\n");
    for (handle, platform, url, extra) in offerings {
        doc.push_str(&format!(
            "\n[[offerings]]\nhandle = \"{handle}\"\nname = \"{handle} service\"\n\
             platform = \"{platform}\"\nprice = {{ model = \"free\" }}\nregistration = \"open\"\n"
        ));
        if let Some(u) = url {
            doc.push_str(&format!("service_url = \"{u}\"\n"));
        }
        doc.push_str(extra);
        doc.push('\n');
    }
    doc
}

/// A node whose probes time out after a second, so that a hanging service costs little.
async fn node() -> TestNode {
    TestNode::start_with(|s| s.probes.timeout = Duration::from_secs(1)).await
}

async fn results_of(node: &TestNode, username: &str) -> u64 {
    let a = node.local(username).await;
    probe_result::Entity::find()
        .filter(probe_result::Column::ActorId.eq(a.id))
        .count(&node.state.db)
        .await
        .unwrap()
}

/// Wait until the listing has `n` recorded probes.
async fn probed(node: &TestNode, username: &str, n: u64) {
    eventually(30, &format!("{username} is probed {n} times"), || async {
        (results_of(node, username).await >= n).then_some(())
    })
    .await;
    assert_eq!(
        results_of(node, username).await,
        n,
        "one probe per interval"
    );
}

/// When the listing was last probed.
async fn checked_at(node: &TestNode, username: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let a = node.local(username).await;
    listing_probe::Entity::find_by_id(a.id)
        .one(&node.state.db)
        .await
        .unwrap()
        .and_then(|r| r.checked_at)
}

/// Move the node's clock forward by `by` and wait for the probe that is then due.
async fn advance_and_probe(node: &TestNode, username: &str, by: Duration) {
    let before = checked_at(node, username).await;
    node.state.clock.advance(by);
    eventually(30, &format!("{username} is probed again"), || async {
        (checked_at(node, username).await > before).then_some(())
    })
    .await;
}

/// Move the node's clock past the next probe (15 minutes ±10%) and wait for it.
async fn next_probe(node: &TestNode, username: &str) {
    advance_and_probe(node, username, Duration::from_secs(17 * 60)).await;
}

async fn liveness(node: &TestNode, username: &str) -> Value {
    let res = http()
        .get(node.url(&format!("/api/v1/offerings/{username}/liveness")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn page(node: &TestNode, username: &str) -> String {
    http()
        .get(node.url(&format!("/actors/{username}")))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A staff account of the co-op "checked", logged in: its session cookie.
async fn staff_cookie(node: &TestNode) -> String {
    let coop = node.local("checked").await;
    directory::accounts::create_staff(&node.state.db, "checker", "a long password 1", &coop)
        .await
        .unwrap();
    let login = http()
        .post(node.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=checker&password=a+long+password+1")
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

async fn get_text(url: &str) -> String {
    http().get(url).send().await.unwrap().text().await.unwrap()
}

async fn search(node: &TestNode, query: &str) -> Value {
    http()
        .get(node.url(&format!("/api/v1/offerings?{query}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn handles(results: &Value) -> Vec<String> {
    results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["handle"]
                .as_str()
                .unwrap()
                .split('@')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bigbluebutton_up_down_recovery_and_uptime_under_the_test_clock() {
    let server = ProbeServer::start().await;
    let node = node().await;
    let base = format!("http://localhost:{}/b", server.port);
    node.import(
        "checked.toml",
        &document(&[(
            "checked_bbb",
            "bigbluebutton",
            Some(base),
            "platform_version = \"2.7\"",
        )]),
    )
    .await;

    // First probe: at once, up, with the version the server reports.
    probed(&node, "checked_bbb", 1).await;
    assert_eq!(server.hits("/b/bigbluebutton/api"), 1);
    let l = liveness(&node, "checked_bbb").await;
    assert_eq!(l["state"], "up", "{l}");
    assert_eq!(l["probed"], true);
    assert_eq!(l["observed_version"], "2.7.3");
    assert_eq!(l["uptime_30d"], 1.0);
    assert_eq!(l["unreachable"], false);
    assert_eq!(l["measured_by"], node.domain());
    assert!(
        l["confirmed_at"].is_string(),
        "the import confirmed it: {l}"
    );
    assert!(l["latency_ms"].is_number());

    // Shown on the page, in the actor's profile fields and the ChatonsInfos export.
    let html = page(&node, "checked_bbb").await;
    assert!(html.contains("Up · checked"), "{html}");
    assert!(html.contains("100% over 30 days"), "{html}");
    assert!(html.contains("BigBlueButton 2.7.3"), "{html}");
    assert!(html.contains("Last confirmed by the co-op on"), "{html}");
    assert!(html.contains("measured by this node"), "{html}");
    eventually(10, "the actor document shows the liveness", || async {
        let actor = actor_json(&node.url("/actors/checked_bbb")).await;
        let working = actor["attachment"]
            .as_array()?
            .iter()
            .find(|f| f["name"] == "Working")?
            .clone();
        let v = working["value"].as_str()?;
        (v.starts_with("Up")
            && v.contains("100% over 30 days")
            && actor["liveness"]["state"] == "up")
            .then_some(())
    })
    .await;
    let chatons = get_text(&node.url("/actors/checked_bbb/chatonsinfos.properties")).await;
    assert!(chatons.contains("service.status.level = OK"), "{chatons}");

    // Down: a 500, a body that is not the BBB API's, an answer past the timeout.
    server.set(Mode::Error);
    next_probe(&node, "checked_bbb").await;
    let l = liveness(&node, "checked_bbb").await;
    assert_eq!(l["state"], "down", "{l}");
    assert!(l["down_since"].is_string());
    let chatons = get_text(&node.url("/actors/checked_bbb/chatonsinfos.properties")).await;
    assert!(
        chatons.contains("service.status.level = ALERT"),
        "{chatons}"
    );
    server.set(Mode::WrongBody);
    next_probe(&node, "checked_bbb").await;
    assert_eq!(liveness(&node, "checked_bbb").await["state"], "down");
    server.set(Mode::Hang);
    next_probe(&node, "checked_bbb").await;
    assert_eq!(liveness(&node, "checked_bbb").await["state"], "down");

    // Recovery: up again, the outage over.
    server.set(Mode::Up);
    next_probe(&node, "checked_bbb").await;
    let l = liveness(&node, "checked_bbb").await;
    assert_eq!(l["state"], "up", "{l}");
    assert!(l.get("down_since").is_none(), "{l}");

    // Connection refused: the server is gone.
    server.stop().await;
    next_probe(&node, "checked_bbb").await;
    let l = liveness(&node, "checked_bbb").await;
    assert_eq!(l["state"], "down", "{l}");

    // The scripted history: up, down ×3, up, down → 2 of 6 over 24 hours.
    let u = l["uptime_24h"].as_f64().unwrap();
    assert!((u - 2.0 / 6.0).abs() < 1e-9, "{l}");
    let html = page(&node, "checked_bbb").await;
    assert!(html.contains("Down · checked"), "{html}");
    assert!(html.contains("33.3% over 30 days"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_platform_is_probed_in_its_own_format() {
    let server = ProbeServer::start().await;
    let node = node().await;
    let at = |p: &str| Some(format!("http://localhost:{}/{p}/", server.port));
    node.import(
        "checked.toml",
        &document(&[
            ("checked_galene", "galene", at("galene"), ""),
            ("checked_jitsi", "jitsi", at("jitsi"), ""),
            ("checked_talk", "nextcloud-talk", at("cloud"), ""),
            ("checked_other", "opentalk", at("opentalk"), ""),
            ("checked_off", "jitsi", at("off"), "probe = false"),
            ("checked_none", "jitsi", None, ""),
        ]),
    )
    .await;
    for h in [
        "checked_galene",
        "checked_jitsi",
        "checked_talk",
        "checked_other",
    ] {
        probed(&node, h, 1).await;
        assert_eq!(liveness(&node, h).await["state"], "up", "{h}");
    }
    assert_eq!(server.hits("/galene/public-groups.json"), 1);
    assert_eq!(server.hits("/jitsi/"), 1);
    assert_eq!(server.hits("/jitsi/config.js"), 1);
    assert_eq!(server.hits("/cloud/status.php"), 1);
    assert_eq!(server.hits("/opentalk/"), 1);
    assert_eq!(
        liveness(&node, "checked_talk").await["observed_version"],
        "28.0.1"
    );
    // Turned off by the co-op, or no service URL: never probed, and said so.
    assert_eq!(server.hits("/off/"), 0);
    for h in ["checked_off", "checked_none"] {
        let l = liveness(&node, h).await;
        assert_eq!(l["probed"], false, "{h}: {l}");
        assert!(l.get("state").is_none(), "{h}: {l}");
        assert!(
            page(&node, h)
                .await
                .contains("Not checked: the co-op gave no service address"),
            "{h}"
        );
    }

    // A wrong body for each platform is down.
    server.set(Mode::WrongBody);
    for h in ["checked_galene", "checked_talk"] {
        next_probe(&node, h).await;
        assert_eq!(liveness(&node, h).await["state"], "down", "{h}");
    }

    // The clock moved for every listing: Jitsi's config.js is no longer Jitsi's; any 2xx
    // is enough for a platform without a known probe.
    assert_eq!(liveness(&node, "checked_jitsi").await["state"], "down");
    assert_eq!(liveness(&node, "checked_other").await["state"], "up");

    // "Working now": only listings whose last probe found them up.
    let working = handles(&search(&node, "working=true").await);
    assert_eq!(working, vec!["checked_other".to_string()]);
    for h in [
        "checked_galene",
        "checked_talk",
        "checked_off",
        "checked_none",
    ] {
        assert!(!working.contains(&h.to_string()), "{h} in {working:?}");
    }
    let all = handles(&search(&node, "").await);
    assert!(
        all.contains(&"checked_galene".to_string()),
        "down is not hidden"
    );
    let item = search(&node, "").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["handle"].as_str().unwrap().starts_with("checked_other@"))
        .cloned()
        .unwrap();
    assert_eq!(item["working"], true);
    let html = get_text(&node.url("/?working=true")).await;
    assert!(html.contains("checked_other service"), "{html}");
    assert!(!html.contains("checked_galene service"), "{html}");
    assert!(
        html.contains("Working now"),
        "the filter is shown as active"
    );
    let res = http()
        .get(node.url("/api/v1/offerings?working=perhaps"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // A new service address is probed at once, without waiting for the interval.
    server.set(Mode::Up);
    node.import(
        "checked.toml",
        &document(&[
            ("checked_galene", "galene", at("galene2"), ""),
            ("checked_jitsi", "jitsi", at("jitsi"), ""),
            ("checked_talk", "nextcloud-talk", at("cloud"), ""),
            ("checked_other", "opentalk", at("opentalk"), ""),
            ("checked_off", "jitsi", at("off"), "probe = false"),
            ("checked_none", "jitsi", None, ""),
        ]),
    )
    .await;
    eventually(20, "the new address is probed", || async {
        (server.hits("/galene2/public-groups.json") == 1).then_some(())
    })
    .await;
    eventually(20, "and found up", || async {
        (liveness(&node, "checked_galene").await["state"] == "up").then_some(())
    })
    .await;
    assert_eq!(
        server.hits("/cloud/status.php"),
        3,
        "unchanged listings wait"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_days_down_marks_unreachable_thirty_reach_the_admins_and_recovery_clears() {
    let server = ProbeServer::start().await;
    let node = node().await;
    let url = format!("http://localhost:{}/", server.port);
    node.import(
        "checked.toml",
        &document(&[("checked_meet", "jitsi", Some(url), "")]),
    )
    .await;
    probed(&node, "checked_meet", 1).await;
    server.set(Mode::Error);
    next_probe(&node, "checked_meet").await;
    assert_eq!(liveness(&node, "checked_meet").await["unreachable"], false);
    // Two days later: still only down.
    let step =
        |days: u64| advance_and_probe(&node, "checked_meet", Duration::from_secs(days * 86_400));
    step(2).await;
    assert_eq!(liveness(&node, "checked_meet").await["unreachable"], false);
    // The directory page as kept for visitors: the liveness of its items is read anew.
    for _ in 0..3 {
        assert!(!get_text(&node.url("/")).await.contains("Unreachable"));
    }
    step(1).await;
    let l = liveness(&node, "checked_meet").await;
    assert_eq!(l["unreachable"], true, "{l}");
    let html = page(&node, "checked_meet").await;
    assert!(html.contains("Unreachable"), "{html}");
    let found = search(&node, "").await;
    let item = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["handle"].as_str().unwrap().starts_with("checked_meet@"))
        .cloned()
        .expect("marked, not hidden");
    assert_eq!(item["unreachable"], true);
    assert!(get_text(&node.url("/")).await.contains("Unreachable"));
    let reports = || async {
        let a = node.local("checked_meet").await;
        report::Entity::find()
            .filter(report::Column::TargetActorId.eq(a.id))
            .all(&node.state.db)
            .await
            .unwrap()
    };
    assert!(
        reports().await.is_empty(),
        "admins are told at 30 days, not 3"
    );

    // 30 days down: once in the admins' queue.
    step(28).await;
    // Filed right after the probe is recorded.
    let r = eventually(10, "the admins get the listing", || async {
        let r = reports().await;
        (!r.is_empty()).then_some(r)
    })
    .await;
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(
        r[0].comment.contains("has not answered"),
        "{}",
        r[0].comment
    );
    next_probe(&node, "checked_meet").await;
    assert_eq!(reports().await.len(), 1, "once per outage");

    // Recovery clears the mark.
    server.set(Mode::Up);
    next_probe(&node, "checked_meet").await;
    let l = liveness(&node, "checked_meet").await;
    assert_eq!(
        (l["state"].as_str(), l["unreachable"].as_bool()),
        (Some("up"), Some(false))
    );
    assert!(!page(&node, "checked_meet").await.contains("Unreachable"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loopback_service_outside_dev_is_refused_and_recorded_as_a_refusal() {
    let server = ProbeServer::start().await;
    // The SSRF guard on, as in production (the node itself federates over loopback).
    let node = TestNode::start_with(|s| s.network.guard_in_dev = true).await;
    node.import(
        "checked.toml",
        &document(&[
            (
                "checked_name",
                "bigbluebutton",
                Some(format!("http://localhost:{}/", server.port)),
                "",
            ),
            (
                "checked_ip",
                "jitsi",
                Some(format!("http://127.0.0.1:{}/", server.port)),
                "",
            ),
        ]),
    )
    .await;
    for h in ["checked_name", "checked_ip"] {
        probed(&node, h, 1).await;
        let l = liveness(&node, h).await;
        assert_eq!(l["state"], "refused", "{h}: {l}");
        assert!(
            l.get("uptime_24h").is_none(),
            "a refusal is not downtime: {l}"
        );
        assert!(l.get("down_since").is_none(), "{l}");
        assert!(
            page(&node, h)
                .await
                .contains("this node refuses to connect"),
            "{h}"
        );
    }
    assert_eq!(server.total(), 0, "no request reached the loopback service");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outdated_information_reaches_staff_and_admins_with_a_limit_per_client() {
    let node = node().await;
    node.import(
        "checked.toml",
        &document(&[("checked_x", "jitsi", None, "")]),
    )
    .await;
    let a = node.local("checked_x").await;
    let html = page(&node, "checked_x").await;
    let action = format!("/listings/{}/outdated", a.id);
    assert!(html.contains(&action), "the form is on the page");
    let post = |comment: &str| {
        http()
            .post(node.url(&action))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("comment={comment}"))
            .send()
    };
    let res = post("The+price+changed+last+year").await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Thank you"));
    // The admins' queue and the co-op's staff.
    let r = report::Entity::find()
        .filter(report::Column::TargetActorId.eq(a.id))
        .all(&node.state.db)
        .await
        .unwrap();
    assert_eq!(r.len(), 1);
    assert!(r[0].comment.contains("The price changed last year"));
    let cookie = staff_cookie(&node).await;
    let staff_page = || async {
        http()
            .get(node.url("/staff/checked_x"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let html = staff_page().await;
    assert!(html.contains("The price changed last year"), "{html}");
    let open = directory::liveness::open_outdated(&node.state.db, &[a.id])
        .await
        .unwrap();
    assert_eq!(open.len(), 1);
    let handled = http()
        .post(node.url(&format!("/staff/checked_x/outdated/{}/done", open[0].id)))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(handled.status(), 303);
    assert!(!staff_page().await.contains("The price changed last year"));
    assert_eq!(post("").await.unwrap().status(), 422);
    // 10 per client in 15 minutes.
    for _ in 1..10 {
        assert_eq!(post("again").await.unwrap().status(), 200);
    }
    assert_eq!(post("once+more").await.unwrap().status(), 429);
}

/// Two `coopdir serve` processes of one node on one database (SQLite file, or the
/// PostgreSQL server of `COOPDIR_TEST_POSTGRES`): every listing is probed by one of them,
/// once per interval.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_probe_each_listing_once_per_interval() {
    let server = ProbeServer::start().await;
    let db = TestDb::new().await;
    let public = free_port();
    let data = tempfile::tempdir().unwrap();
    let mut s = settings(public, &db);
    s.data_dir = data.path().to_path_buf();
    s.probes.interval = Duration::ZERO;
    let node = Node::start(s).await.unwrap();
    let offerings: Vec<(String, Option<String>)> = (0..20)
        .map(|i| {
            (
                format!("checked_{i}"),
                Some(format!("http://localhost:{}/o{i}/", server.port)),
            )
        })
        .collect();
    let specs: Vec<(&str, &str, Option<String>, &str)> = offerings
        .iter()
        .map(|(h, u)| (h.as_str(), "other", u.clone(), ""))
        .collect();
    let doc = ListingDocument::parse("checked.toml", &document(&specs)).unwrap();
    directory::import(&node.state, &doc).await.unwrap();

    let extra = ["--probe-interval", "1h"];
    let p1 = Proc::serve_with(free_port(), public, data.path(), &db.url, &extra).await;
    let p2 = Proc::serve_with(free_port(), public, data.path(), &db.url, &extra).await;
    eventually(60, "every listing is probed", || async {
        (0..20)
            .all(|i| server.hits(&format!("/o{i}/")) >= 1)
            .then_some(())
    })
    .await;
    // Several scheduler rounds of both processes later, still once each.
    tokio::time::sleep(Duration::from_secs(4)).await;
    for i in 0..20 {
        assert_eq!(server.hits(&format!("/o{i}/")), 1, "listing {i}");
    }
    assert_eq!(server.total(), 20);
    drop(p1);
    drop(p2);
}

/// A peer's listing carries the liveness its own node published, labelled as that node's
/// measurement; this node never probes it, and "working now" leaves it out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peers_listing_shows_the_liveness_its_node_published() {
    let server = ProbeServer::start().await;
    let (a, c) = tokio::join!(node(), node());
    a.import(
        "checked.toml",
        &document(&[(
            "checked_bbb",
            "bigbluebutton",
            Some(format!("http://localhost:{}/", server.port)),
            "",
        )]),
    )
    .await;
    probed(&a, "checked_bbb", 1).await;
    coopdir::federation::peering::add(&c.state, &a.domain())
        .await
        .unwrap();
    let copy = eventually(20, "C lists A's offering", || async {
        coopdir::db::entities::actor::Entity::find()
            .filter(coopdir::db::entities::actor::Column::ApId.eq(a.url("/actors/checked_bbb")))
            .one(&c.state.db)
            .await
            .unwrap()
            .filter(|r| r.kind == ActorKind::Offering)
    })
    .await;
    let l = directory::liveness::published(&c.state.db, copy.id, &copy.domain)
        .await
        .unwrap()
        .expect("the peer's liveness is kept");
    assert_eq!(l.state, Some(directory::liveness::Outcome::Up));
    assert_eq!(l.measured_by, a.domain());
    let html = get_text(&c.url("/")).await;
    assert!(
        html.contains(&format!("(measured by {}, not by this node)", a.domain())),
        "{html}"
    );
    assert!(handles(&search(&c, "working=true").await).is_empty());
    // Only A probed it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(server.hits("/bigbluebutton/api"), 1);
}

/// Staff see that their service is unreachable or runs another version than listed;
/// /metrics counts the probes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_the_unreachable_notice_and_a_version_mismatch() {
    let server = ProbeServer::start().await;
    let node = node().await;
    node.import(
        "checked.toml",
        &document(&[(
            "checked_bbb",
            "bigbluebutton",
            Some(format!("http://localhost:{}/", server.port)),
            "platform_version = \"3.0\"",
        )]),
    )
    .await;
    probed(&node, "checked_bbb", 1).await;
    let cookie = staff_cookie(&node).await;
    let staff_page = || async {
        http()
            .get(node.url("/staff/checked_bbb"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let html = staff_page().await;
    assert!(
        html.contains("The listing gives version 3.0, but the service reports 2.7.3"),
        "{html}"
    );
    assert!(!html.contains("has not answered"));
    server.set(Mode::Error);
    next_probe(&node, "checked_bbb").await;
    advance_and_probe(&node, "checked_bbb", Duration::from_secs(3 * 86_400)).await;
    let html = staff_page().await;
    assert!(
        html.contains("has not answered this node&#39;s checks since"),
        "{html}"
    );
    let dashboard = http()
        .get(node.url("/staff"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("Unreachable"), "{dashboard}");

    let metrics = get_text(&node.url("/metrics")).await;
    let value = |name: &str| -> u64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {metrics}"))
    };
    // Counters are per process, and tests share this one: at least ours.
    assert!(value("coopdir_probes_total") >= 3);
    assert!(value("coopdir_probes_failed_total") >= 2);
    assert_eq!(value("coopdir_probes_late"), 0);
}
