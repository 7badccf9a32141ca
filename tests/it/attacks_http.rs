//! Attacks on the HTTP layer that used to work, each now failing (issue 14, findings 2, 3,
//! 4 and 10): locking a user out from behind the reverse proxy, racing the login limiter,
//! holding connections with partial headers, and no compression. docs/security.md lists
//! them beside the other threats.

use crate::common::*;
use coopdir::{config::parse_cidr, directory::accounts};
use reqwest::{StatusCode, header};
use std::{io::Read, time::Duration};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const PASSWORD: &str = "correct horse battery";
const WRONG: &str = "wrong password, really";

async fn with_admin(node: &TestNode, username: &str) {
    accounts::create_admin(&node.state.db, username, PASSWORD)
        .await
        .expect("admin account");
}

/// `POST /login` with the given extra header (as a reverse proxy would add it).
async fn login_from(
    node: &TestNode,
    forwarded: Option<(&str, &str)>,
    username: &str,
    password: &str,
) -> StatusCode {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("username", username), ("password", password)])
        .finish();
    let mut req = http()
        .post(node.url("/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body);
    if let Some((name, value)) = forwarded {
        req = req.header(name, value);
    }
    req.send().await.expect("login").status()
}

/// The node's count of password verifications, from `/metrics`.
async fn password_checks(node: &TestNode) -> u64 {
    let text = http()
        .get(node.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    text.lines()
        .find_map(|l| l.strip_prefix("coopdir_login_password_checks_total "))
        .expect("the metric is exposed")
        .trim()
        .parse()
        .expect("a number")
}

/// Behind a reverse proxy on loopback, an attacker failing 20 logins from one address
/// (and writing the victim's address into `X-Forwarded-For` itself) is limited, while the
/// admin logging in from another address gets in. From a peer that is not a trusted proxy,
/// the same headers are ignored, so they cannot be used to dodge the limit either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_logins_from_one_forwarded_address_do_not_lock_out_another() {
    let node = TestNode::start_with(|s| {
        s.http.trusted_proxies = vec![parse_cidr("127.0.0.1").unwrap()];
    })
    .await;
    with_admin(&node, "root").await;
    // The attacker sends `X-Forwarded-For: 198.51.100.7`; the proxy appends the address it
    // saw, 203.0.113.9.
    let attacker = Some(("x-forwarded-for", "198.51.100.7, 203.0.113.9"));
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(login_from(&node, attacker, "root", WRONG).await);
    }
    let unauthorized = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (unauthorized, limited),
        (accounts::LOGIN_ATTEMPTS, 20 - accounts::LOGIN_ATTEMPTS),
        "{statuses:?}"
    );
    // The attacker's address stays limited, even with the right password.
    assert_eq!(
        login_from(&node, attacker, "root", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The admin, at the address the attacker wrote on the left, logs in.
    assert_eq!(
        login_from(
            &node,
            Some(("x-forwarded-for", "198.51.100.7")),
            "root",
            PASSWORD
        )
        .await,
        StatusCode::SEE_OTHER
    );
    // So does someone behind a proxy that sends `Forwarded`.
    assert_eq!(
        login_from(
            &node,
            Some(("forwarded", "for=\"[2001:db8::7]:4711\";proto=https")),
            "root",
            PASSWORD
        )
        .await,
        StatusCode::SEE_OTHER
    );

    // A node whose trusted proxies do not include the peer ignores the headers: changing
    // them at each attempt does not reset the limit.
    let strict = TestNode::start_with(|s| {
        s.http.trusted_proxies = vec![parse_cidr("10.0.0.0/8").unwrap()];
    })
    .await;
    with_admin(&strict, "root").await;
    for i in 0..accounts::LOGIN_ATTEMPTS {
        let forged = format!("192.0.2.{}", i + 1);
        assert_eq!(
            login_from(&strict, Some(("x-forwarded-for", &forged)), "root", WRONG).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_from(
            &strict,
            Some(("x-forwarded-for", "192.0.2.200")),
            "root",
            PASSWORD
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// 100 wrong logins released at once: the limiter is charged before the password is
/// verified, so exactly 10 reach Argon2 (the node's own count says so) and 90 get 429.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_wrong_logins_verify_at_most_ten_passwords() {
    let node = TestNode::start().await;
    with_admin(&node, "root").await;
    assert_eq!(password_checks(&node).await, 0);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(100));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let url = node.url("/login");
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let body = format!("username=root&password={}", WRONG.replace(' ', "+"));
                let req = reqwest::Client::new()
                    .post(url)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(body);
                barrier.wait().await;
                req.send().await.expect("login").status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    let count = |s: StatusCode| statuses.iter().filter(|x| **x == s).count();
    assert_eq!(count(StatusCode::UNAUTHORIZED), accounts::LOGIN_ATTEMPTS);
    assert_eq!(
        count(StatusCode::TOO_MANY_REQUESTS),
        100 - accounts::LOGIN_ATTEMPTS
    );
    assert_eq!(
        password_checks(&node).await,
        accounts::LOGIN_ATTEMPTS as u64
    );
    // Locked now: the right password is refused without being verified.
    assert_eq!(
        login_from(&node, None, "root", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        password_checks(&node).await,
        accounts::LOGIN_ATTEMPTS as u64
    );
}

/// Open a connection and send the start of a request head, never its end.
async fn slow_connection(port: u16) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .expect("partial head");
    s
}

/// Read until the node closes the connection; `false` if it is still open after `limit`.
async fn closed_within(mut s: TcpStream, limit: Duration) -> bool {
    let mut buf = Vec::new();
    tokio::time::timeout(limit, s.read_to_end(&mut buf))
        .await
        .is_ok()
}

/// Slowloris: 200 connections that send part of a request head and stall. `/livez` answers
/// while they are held, and the node closes every one of them when the header timeout
/// ends (1 s here; the idle timeout is set far beyond the test's limit, so it is the
/// header timeout that closes them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_slow_connections_are_closed_by_the_header_timeout() {
    let node = TestNode::start_with(|s| {
        s.http.header_timeout = Duration::from_secs(1);
        s.http.idle_timeout = Duration::from_secs(600);
    })
    .await;
    let mut slow = Vec::new();
    for _ in 0..200 {
        slow.push(slow_connection(node.port).await);
    }
    let res = http().get(node.url("/livez")).send().await.expect("livez");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.expect("body"), "ok");
    let closed = futures::future::join_all(
        slow.into_iter()
            .map(|s| closed_within(s, Duration::from_secs(30))),
    )
    .await;
    assert_eq!(closed.iter().filter(|c| **c).count(), 200);
    // The node serves as before.
    let res = http().get(node.url("/livez")).send().await.expect("livez");
    assert_eq!(res.status(), StatusCode::OK);
}

/// A connection that starts an HTTP/2 preface and stalls is not covered by the HTTP/1
/// header timeout; the idle timeout closes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_http2_preface_is_closed_by_the_idle_timeout() {
    let node = TestNode::start_with(|s| {
        s.http.header_timeout = Duration::from_secs(600);
        s.http.idle_timeout = Duration::from_secs(1);
    })
    .await;
    let mut s = TcpStream::connect(("127.0.0.1", node.port))
        .await
        .expect("connect");
    s.write_all(b"PRI * HTTP/2.0\r\n").await.expect("preface");
    assert!(closed_within(s, Duration::from_secs(30)).await);
}

/// Connections over the cap get an immediate 503 with `Retry-After` instead of waiting;
/// once the held connections end, the node answers again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_refused_with_503_and_retry_after() {
    let node = TestNode::start_with(|s| {
        s.http.max_connections = 4;
        s.http.header_timeout = Duration::from_secs(600);
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(slow_connection(node.port).await);
    }
    let mut s = TcpStream::connect(("127.0.0.1", node.port))
        .await
        .expect("connect");
    s.write_all(b"GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("request");
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(30), s.read_to_string(&mut answer))
        .await
        .expect("answered")
        .expect("read");
    assert!(
        answer.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{answer}"
    );
    assert!(answer.contains("retry-after: 5\r\n"), "{answer}");
    drop(held);
    eventually(30, "the node answers once connections are free", || async {
        let res = http().get(node.url("/livez")).send().await.ok()?;
        (res.status() == StatusCode::OK).then_some(())
    })
    .await;
}

/// GET `path` with `Accept` and, when given, `Accept-Encoding`: the `Content-Encoding`
/// answered and the raw body.
async fn fetch(
    node: &TestNode,
    path: &str,
    accept: &str,
    encoding: Option<&str>,
) -> (Option<String>, String, Vec<u8>) {
    let mut req = http().get(node.url(path)).header(header::ACCEPT, accept);
    if let Some(e) = encoding {
        req = req.header(header::ACCEPT_ENCODING, e);
    }
    let res = req.send().await.expect("get");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let enc = res
        .headers()
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().expect("ascii").to_string());
    let vary = res
        .headers()
        .get_all(header::VARY)
        .iter()
        .map(|v| v.to_str().expect("ascii").to_lowercase())
        .collect::<Vec<_>>()
        .join(",");
    (enc, vary, res.bytes().await.expect("body").to_vec())
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

fn unbrotli(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(b, 4096)
        .read_to_end(&mut out)
        .expect("valid brotli");
    out
}

/// Pages, JSON and Atom go out gzip- or brotli-compressed when the client accepts it, and
/// as they are when it does not; tiny bodies are left alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_json_and_atom_are_compressed_only_when_asked() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    for (path, accept) in [
        ("/", "text/html"),
        ("/api/v1/offerings", "application/json"),
        ("/actors/meetcoop_bbb/feed.atom", "application/atom+xml"),
        ("/actors/meetcoop_bbb", "application/activity+json"),
    ] {
        let (enc, _, plain) = fetch(&node, path, accept, None).await;
        assert_eq!(enc, None, "{path} is not compressed unless asked");
        let (enc, _, plain_identity) = fetch(&node, path, accept, Some("identity")).await;
        assert_eq!(enc, None, "{path} with identity");
        assert!(plain.len() > 200 && plain_identity.len() > 200, "{path}");
        for (encoding, decode) in [("gzip", gunzip as fn(&[u8]) -> Vec<u8>), ("br", unbrotli)] {
            let (enc, vary, body) = fetch(&node, path, accept, Some(encoding)).await;
            assert_eq!(enc.as_deref(), Some(encoding), "{path}");
            assert!(vary.contains("accept-encoding"), "{path}: Vary {vary}");
            assert!(
                body.len() < plain.len(),
                "{path} with {encoding} is smaller"
            );
            let decoded = decode(&body);
            if path == "/" {
                // The page is rendered for each request; its shape is the same.
                assert!(
                    String::from_utf8(decoded)
                        .expect("utf-8")
                        .contains("</html>")
                );
            } else {
                assert_eq!(
                    decoded, plain,
                    "{path} with {encoding} decodes to the same body"
                );
            }
        }
        // A client that prefers brotli gets it; one that accepts both equally too.
        let (enc, _, _) = fetch(&node, path, accept, Some("gzip;q=0.5, br")).await;
        assert_eq!(enc.as_deref(), Some("br"), "{path}");
    }
    // `/livez` is two bytes: not worth compressing.
    let (enc, _, body) = fetch(&node, "/livez", "*/*", Some("gzip, br")).await;
    assert_eq!(enc, None);
    assert_eq!(body, b"ok");
}
