//! The address of the client that sent a request.
//!
//! Without trusted proxies it is the TCP peer. Behind a reverse proxy every peer is the
//! proxy, so the login limiter would key every client the same; with `--trusted-proxy`,
//! a request whose peer is in one of those ranges may name the client in
//! `X-Forwarded-For` (or, when that header is absent, `Forwarded`). The list is read from
//! the right: each proxy appends the address it received the request from, so the first
//! address from the right that is not a trusted proxy is the client as the nearest proxy
//! saw it. Addresses further left were written by the client and are never believed.
//! Requests from any other peer have both headers ignored.

use axum::http::{HeaderMap, header};
use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address: `peer` unless `peer` is a trusted proxy that names one.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = forwarded_hops(headers);
    // `current` is the nearest hop known to be a trusted proxy.
    let mut current = peer;
    for hop in hops.iter().rev() {
        match hop {
            // An obfuscated or unreadable hop: the trusted proxy to its right is the
            // nearest address known.
            None => return current,
            Some(ip) if is_trusted(ip) => current = *ip,
            Some(ip) => return *ip,
        }
    }
    current
}

/// The hops named by `X-Forwarded-For` (every occurrence, in order), or by `Forwarded`'s
/// `for=` parameters when there is no `X-Forwarded-For`; `None` for a hop that is not an
/// IP address (`unknown`, `_hidden`, garbage).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .collect();
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|v| v.split(','))
            .map(|h| parse_hop(h.trim()))
            .collect();
    }
    headers
        .get_all(header::FORWARDED)
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| parse_hop(v.trim().trim_matches('"')))
        })
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn parse_hop(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = s.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse::<IpAddr>().ok().map(|ip| ip.to_canonical());
    }
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_trusted_peers_may_name_the_client_and_only_from_the_right() {
        let trusted = [
            "127.0.0.1/32".parse::<IpNet>().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        let loopback = ip("127.0.0.1");
        // no trusted proxies: headers are ignored
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(client_addr(loopback, &h, &[]), loopback);
        // an untrusted peer: headers are ignored
        assert_eq!(client_addr(ip("192.0.2.7"), &h, &trusted), ip("192.0.2.7"));
        // a trusted peer names the client
        assert_eq!(client_addr(loopback, &h, &trusted), ip("203.0.113.9"));
        // an address the client wrote on the left is not believed
        let h = headers(&[("x-forwarded-for", "198.51.100.7, 203.0.113.9")]);
        assert_eq!(client_addr(loopback, &h, &trusted), ip("203.0.113.9"));
        // chains of trusted proxies are skipped; repeated headers are one list
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.7"),
            ("x-forwarded-for", "203.0.113.9, 10.1.1.1"),
        ]);
        assert_eq!(client_addr(loopback, &h, &trusted), ip("203.0.113.9"));
        // every hop trusted: the leftmost
        let h = headers(&[("x-forwarded-for", "10.2.2.2, 10.1.1.1")]);
        assert_eq!(client_addr(loopback, &h, &trusted), ip("10.2.2.2"));
        // an unreadable hop stops at the nearest trusted proxy
        let h = headers(&[("x-forwarded-for", "203.0.113.9, unknown, 10.1.1.1")]);
        assert_eq!(client_addr(loopback, &h, &trusted), ip("10.1.1.1"));
        // no header from a trusted proxy: the proxy itself
        assert_eq!(client_addr(loopback, &HeaderMap::new(), &trusted), loopback);
        // IPv4-mapped peers count as IPv4
        assert_eq!(
            client_addr(
                ip("::ffff:127.0.0.1"),
                &headers(&[("x-forwarded-for", "203.0.113.9")]),
                &trusted
            ),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn forwarded_is_read_when_x_forwarded_for_is_absent() {
        let trusted = ["127.0.0.1/32".parse::<IpNet>().unwrap()];
        let loopback = ip("127.0.0.1");
        let h = headers(&[(
            "forwarded",
            "for=198.51.100.7;proto=https, for=\"[2001:db8::5]:4711\";by=_proxy",
        )]);
        assert_eq!(client_addr(loopback, &h, &trusted), ip("2001:db8::5"));
        let h = headers(&[("forwarded", "For=\"192.0.2.60:8080\";proto=http")]);
        assert_eq!(client_addr(loopback, &h, &trusted), ip("192.0.2.60"));
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(client_addr(loopback, &h, &trusted), loopback);
        // X-Forwarded-For wins: the documented proxies set it, so a Forwarded header the
        // client added is not believed
        let h = headers(&[
            ("forwarded", "for=198.51.100.7"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(client_addr(loopback, &h, &trusted), ip("203.0.113.9"));
    }
}
