//! SSRF (SECURITY.md): a remote server or a typed handle must not make the node connect to
//! an internal address. Each test runs a node whose names resolve through an in-process
//! host table (`Settings::network`), with the guard on although the node federates over
//! loopback; no name leaves the process and nothing is sent to a non-loopback address.
//! A "tripwire" listener on loopback counts connections: names that resolve to loopback
//! forms point at it, so a guard that let them through would show up as a hit.

use crate::common::*;
use crate::security::post_signed;
use coopdir::{
    db::entities::{actor, received_activity},
    directory::{self, lifecycle},
    federation::{netguard::INTERNAL_EXAMPLES, peering, signatures},
};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use std::{
    collections::BTreeMap,
    net::IpAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

/// A loopback port that counts the connections it accepts.
struct Tripwire {
    port: u16,
    hits: Arc<AtomicUsize>,
}

impl Tripwire {
    async fn start() -> Tripwire {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                drop(sock);
            }
        });
        Tripwire { port, hits }
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// One name per internal range: `r0.test` … resolving to INTERNAL_EXAMPLES[i].
fn range_names() -> Vec<(String, IpAddr)> {
    INTERNAL_EXAMPLES
        .iter()
        .enumerate()
        .map(|(i, ip)| (format!("r{i}.test"), ip.parse().unwrap()))
        .collect()
}

async fn guarded_node(extra: &[(&str, IpAddr)], exempt: &[&str]) -> TestNode {
    let mut table: BTreeMap<String, Vec<IpAddr>> = range_names()
        .into_iter()
        .map(|(name, ip)| (name, vec![ip]))
        .collect();
    for (name, ip) in extra {
        table.insert(name.to_string(), vec![*ip]);
    }
    let exempt: Vec<String> = exempt.iter().map(|s| s.to_string()).collect();
    TestNode::start_with(move |s| {
        s.network.static_hosts = Some(table);
        s.network.guard_in_dev = true;
        s.network.exempt_hosts = exempt;
    })
    .await
}

fn follow_from(actor: &str, node: &TestNode) -> serde_json::Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/{}", uuid::Uuid::new_v4()),
        "type": "Follow",
        "actor": actor,
        "object": node.url("/actors/meetcoop_bbb"),
    })
}

/// POST a Follow of the node's offering to its shared inbox, signed with a key that names
/// `actor` as its owner: the node must fetch `actor` to check it.
async fn follow_signed_by(
    node: &TestNode,
    keys: &signatures::KeyPairPem,
    actor: &str,
) -> (reqwest::StatusCode, String) {
    let signer =
        signatures::Signer::from_pem(&keys.private_pem, format!("{actor}#main-key")).unwrap();
    let res = post_signed(
        &signer,
        &node.url("/inbox"),
        follow_from(actor, node).to_string(),
    )
    .await;
    (res.status(), res.text().await.unwrap())
}

async fn nothing_stored_from_outside(node: &TestNode) {
    let received = received_activity::Entity::find()
        .count(&node.state.db)
        .await
        .unwrap();
    assert_eq!(received, 0, "no activity was accepted");
    let actors: Vec<actor::Model> = actor::Entity::find().all(&node.state.db).await.unwrap();
    assert!(
        actors.iter().all(|a| a.local),
        "no remote actor was stored: {:?}",
        actors.iter().map(|a| &a.ap_id).collect::<Vec<_>>()
    );
}

/// A signed POST whose key lives on a name of each internal range: the node refuses to
/// connect for the key, answers 401 saying why, and stores nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signature_keys_on_internal_addresses_are_never_fetched() {
    let trip = Tripwire::start().await;
    let node = guarded_node(&[], &[]).await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let keys = signatures::generate_keypair().unwrap();
    for (name, ip) in range_names() {
        let actor = format!("http://{name}:{}/actor", trip.port);
        let (status, body) = follow_signed_by(&node, &keys, &actor).await;
        assert_eq!(status, 401, "{name} ({ip}): {body}");
        assert!(
            body.contains("refused to connect") && body.contains(&ip.to_string()),
            "{name} ({ip}): the answer says the address was refused: {body}"
        );
    }
    assert_eq!(trip.hits(), 0, "no connection reached loopback");
    nothing_stored_from_outside(&node).await;
}

/// Handles and URLs an operator types (a successor for a transfer, a peer) are refused
/// the same way when they resolve to an internal address, and so are IP literals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handles_and_urls_of_internal_addresses_are_refused() {
    let trip = Tripwire::start().await;
    let node = guarded_node(&[], &[]).await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let offering = node.local("meetcoop_bbb").await;
    for (name, ip) in range_names() {
        let handle = format!("alice@{name}:{}", trip.port);
        let err = lifecycle::transfer(
            &node.state,
            &offering,
            coopdir::directory::lifecycle::TransferRequest {
                to: &handle,
                note: "",
                map: &[],
                preview: false,
                by: &coopdir::directory::transfers::Acting::Operator,
            },
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("refused to connect") && err.contains(&ip.to_string()),
            "transfer to {handle} ({ip}): {err}"
        );
        let url = format!("http://{name}:{}/", trip.port);
        let err = peering::add(&node.state, &url)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("refused to connect") && err.contains(&ip.to_string()),
            "peer add {url} ({ip}): {err}"
        );
    }
    for literal in ["127.0.0.1", "[::1]", "10.0.0.1"] {
        let url = format!("http://{literal}:{}/", trip.port);
        let err = peering::add(&node.state, &url)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("names an IP address"), "peer add {url}: {err}");
    }
    assert_eq!(trip.hits(), 0, "no connection reached loopback");
    assert_eq!(
        directory::find_local(&node.state.db, "meetcoop_bbb")
            .await
            .unwrap()
            .unwrap()
            .status,
        offering.status,
        "the offering is unchanged"
    );
}

/// A permitted server that redirects the key fetch to an internal address: the redirect
/// is followed only as far as the guard, which refuses the new connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_an_internal_address_is_refused() {
    use axum::{
        http::{StatusCode, header},
        response::IntoResponse,
    };
    let trip = Tripwire::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hop_port = listener.local_addr().unwrap().port();
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let target = format!("http://inside.test:{}/actor", trip.port);
    let app = axum::Router::new().fallback(move || {
        let target = target.clone();
        counter.fetch_add(1, Ordering::SeqCst);
        async move { (StatusCode::FOUND, [(header::LOCATION, target)]).into_response() }
    });
    tokio::spawn(async move { axum::serve(listener, app).await });

    let loopback: IpAddr = "127.0.0.1".parse().unwrap();
    let node = guarded_node(
        &[("hop.test", loopback), ("inside.test", loopback)],
        &["hop.test"],
    )
    .await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let actor = format!("http://hop.test:{hop_port}/actor");
    let keys = signatures::generate_keypair().unwrap();
    let (status, body) = follow_signed_by(&node, &keys, &actor).await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body.contains("refused to connect to inside.test"),
        "the redirect target was refused: {body}"
    );
    assert!(
        asked.load(Ordering::SeqCst) >= 1,
        "the permitted server was asked"
    );
    assert_eq!(trip.hits(), 0, "the redirect target was never connected to");
    nothing_stored_from_outside(&node).await;
}
