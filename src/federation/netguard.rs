//! Where the node's outgoing requests may connect (SECURITY.md, "SSRF").
//!
//! Every outgoing request of the node (deliveries, signed fetches, WebFinger, NodeInfo)
//! goes through one `reqwest` client whose DNS resolver is a [`NetGuard`]. The guard
//! resolves the name and refuses it when any of its addresses is internal: loopback,
//! private, link-local, shared (CGNAT), benchmarking, documentation, reserved, multicast,
//! unspecified, unique-local, and the IPv4-mapped, NAT64 and 6to4 forms of those. Because
//! the check runs inside the connection attempt, on the very addresses the client then
//! connects to, a name that changes its answer between a check and the connection (DNS
//! rebinding) cannot slip through; a redirect is a new connection and is checked again.
//! URLs with a literal IP address never reach a resolver, so they are refused by
//! [`NetGuard::permits`] wherever a URL comes from outside.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::{
    collections::BTreeMap,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};
use url::{Host, Url};

/// Why an address is not one the node connects to, or `None` for a public address.
pub fn internal_range(ip: IpAddr) -> Option<String> {
    match ip {
        IpAddr::V4(v4) => v4_range(v4).map(str::to_string),
        IpAddr::V6(v6) => v6_range(v6),
    }
}

fn v4_range(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => "\"this network\" (0.0.0.0/8), which Linux connects to loopback",
        (10, _, _) => "private (10.0.0.0/8)",
        (100, 64..=127, _) => "shared address space / CGNAT (100.64.0.0/10)",
        (127, _, _) => "loopback (127.0.0.0/8)",
        (169, 254, _) => "link-local (169.254.0.0/16)",
        (172, 16..=31, _) => "private (172.16.0.0/12)",
        (192, 0, 0) => "IETF protocol assignments (192.0.0.0/24)",
        (192, 0, 2) => "documentation (192.0.2.0/24)",
        (192, 88, 99) => "6to4 relay anycast (192.88.99.0/24)",
        (192, 168, _) => "private (192.168.0.0/16)",
        (198, 18..=19, _) => "benchmarking (198.18.0.0/15)",
        (198, 51, 100) => "documentation (198.51.100.0/24)",
        (203, 0, 113) => "documentation (203.0.113.0/24)",
        (224..=239, _, _) => "multicast (224.0.0.0/4)",
        (240..=255, _, _) => "reserved (240.0.0.0/4, broadcast included)",
        _ => return None,
    })
}

fn v6_range(ip: Ipv6Addr) -> Option<String> {
    let s = ip.segments();
    let embedded = |what: &str, v4: Ipv4Addr| {
        v4_range(v4).map(|range| format!("the {what} form of {v4}, {range}"))
    };
    let v4_at = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    let fixed = |range: &str| Some(range.to_string());
    match s {
        [0, 0, 0, 0, 0, 0, 0, 0] => fixed("unspecified (::)"),
        [0, 0, 0, 0, 0, 0, 0, 1] => fixed("loopback (::1)"),
        [0, 0, 0, 0, 0, 0xffff, hi, lo] => embedded("IPv4-mapped", v4_at(hi, lo)),
        [0, 0, 0, 0, 0, 0, _, _] => fixed("IPv4-compatible (::/96, deprecated)"),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => embedded("NAT64", v4_at(hi, lo)),
        [0x64, 0xff9b, 1, ..] => fixed("local-use NAT64 (64:ff9b:1::/48)"),
        [0x2002, hi, lo, ..] => embedded("6to4", v4_at(hi, lo)),
        [0x100, 0, 0, 0, ..] => fixed("discard-only (100::/64)"),
        [0x2001, 0..=0x1ff, ..] => fixed("IETF protocol assignments and Teredo (2001::/23)"),
        [0x2001, 0xdb8, ..] => fixed("documentation (2001:db8::/32)"),
        [0x3fff, 0..=0x0fff, ..] => fixed("documentation (3fff::/20)"),
        [first, ..] if first & 0xfe00 == 0xfc00 => fixed("unique local (fc00::/7)"),
        [first, ..] if first & 0xffc0 == 0xfe80 => fixed("link-local (fe80::/10)"),
        [first, ..] if first & 0xffc0 == 0xfec0 => fixed("site-local (fec0::/10, deprecated)"),
        [first, ..] if first & 0xff00 == 0xff00 => fixed("multicast (ff00::/8)"),
        _ => None,
    }
}

/// One address of every range SECURITY.md names, and the forms that embed them.
pub const INTERNAL_EXAMPLES: &[&str] = &[
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.254",
    "192.0.0.8",
    "192.0.2.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.19.255.254",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:10.1.2.3",
    "::7f00:1",
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::1",
    "2002:7f00:1::1",
    "2002:c0a8:101::1",
    "2002:a00:1::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",
    "2001::1",
    "100::1",
];

/// An address the guard refused, with the range it falls in.
#[derive(Debug, thiserror::Error)]
#[error(
    "refused to connect to {host}: it resolves to {ip}, {range}; the node connects only to \
     public addresses"
)]
pub struct Refused {
    pub host: String,
    pub ip: IpAddr,
    pub range: String,
}

/// How names become addresses.
#[derive(Clone)]
enum Lookup {
    /// The operating system's resolver.
    System,
    /// A fixed table, consulted instead of DNS: no name outside it resolves.
    Static(Arc<BTreeMap<String, Vec<IpAddr>>>),
}

/// The resolver of the node's HTTP client: resolves a name, then refuses it if any of its
/// addresses is internal (unless the guard is off, as it is with `--dev`).
#[derive(Clone)]
pub struct NetGuard {
    lookup: Lookup,
    refuse_internal: bool,
    /// Names connected to whatever they resolve to (a loopback test peer).
    exempt: Arc<Vec<String>>,
}

impl NetGuard {
    /// The production guard: system DNS, internal addresses refused.
    pub fn strict() -> Self {
        NetGuard {
            lookup: Lookup::System,
            refuse_internal: true,
            exempt: Arc::new(vec![]),
        }
    }

    /// No guard: `--dev`, where peers are on loopback.
    pub fn off() -> Self {
        NetGuard {
            refuse_internal: false,
            ..Self::strict()
        }
    }

    /// The guard the settings ask for.
    pub fn from_settings(s: &crate::config::Settings) -> Self {
        let n = &s.network;
        NetGuard {
            lookup: match &n.static_hosts {
                Some(table) => Lookup::Static(Arc::new(
                    table
                        .iter()
                        .map(|(k, v)| (normalize(k), v.clone()))
                        .collect(),
                )),
                None => Lookup::System,
            },
            refuse_internal: !s.dev || n.guard_in_dev,
            exempt: Arc::new(n.exempt_hosts.iter().map(|h| normalize(h)).collect()),
        }
    }

    /// Resolve `host` to the addresses to connect to, or refuse it.
    pub async fn resolve_host(
        &self,
        host: &str,
    ) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let host = normalize(host);
        let ips: Vec<IpAddr> = if let Ok(ip) = host.parse::<IpAddr>() {
            vec![ip]
        } else {
            match &self.lookup {
                Lookup::System => tokio::net::lookup_host((host.as_str(), 0))
                    .await?
                    .map(|a| a.ip())
                    .collect(),
                Lookup::Static(table) => table.get(&host).cloned().ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("{host} is not in the node's host table"),
                    )
                })?,
            }
        };
        if self.refuse_internal && !self.exempt.contains(&host) {
            for ip in &ips {
                if let Some(range) = internal_range(*ip) {
                    return Err(Box::new(Refused {
                        host,
                        ip: *ip,
                        range,
                    }));
                }
            }
        }
        Ok(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)).collect())
    }

    /// Whether a URL from outside may be requested at all. Names are checked when
    /// connecting; a literal IP address never reaches the resolver, so it is refused here
    /// whenever the guard is on.
    pub fn permits(&self, url: &Url) -> Result<(), String> {
        match url.host() {
            Some(Host::Domain(_)) => Ok(()),
            Some(_) if !self.refuse_internal => Ok(()),
            Some(_) => Err(format!(
                "{url} names an IP address; the node only connects to host names, which it \
                 checks against internal address ranges when connecting"
            )),
            None => Err(format!("{url} has no host")),
        }
    }
}

impl Resolve for NetGuard {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs = guard.resolve_host(&host).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

fn normalize(host: &str) -> String {
    host.trim_end_matches('.')
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_internal_range_is_named() {
        for ip in INTERNAL_EXAMPLES {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(internal_range(ip).is_some(), "{ip} must be refused");
        }
    }

    #[test]
    fn public_addresses_pass_including_their_embedded_forms() {
        for ip in [
            "1.1.1.1",
            "93.184.216.34",
            "100.128.0.1",
            "172.32.0.1",
            "198.20.0.1",
            "223.255.255.254",
            "2606:4700::1",
            "2a01:4f8::1",
            "::ffff:93.184.216.34",
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(internal_range(ip), None, "{ip} is public");
        }
    }

    fn table(entries: &[(&str, &str)]) -> NetGuard {
        let mut s = crate::config::Options {
            dev: true,
            ..Default::default()
        }
        .resolve()
        .unwrap();
        s.network.guard_in_dev = true;
        s.network.static_hosts = Some(
            entries
                .iter()
                .map(|(h, ip)| (h.to_string(), vec![ip.parse().unwrap()]))
                .collect(),
        );
        NetGuard::from_settings(&s)
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_of_every_internal_range() {
        let names: Vec<(String, &str)> = INTERNAL_EXAMPLES
            .iter()
            .enumerate()
            .map(|(i, ip)| (format!("r{i}.test"), *ip))
            .collect();
        let entries: Vec<(&str, &str)> = names.iter().map(|(h, ip)| (h.as_str(), *ip)).collect();
        let guard = table(&entries);
        for (host, ip) in &names {
            let err = guard.resolve_host(host).await.unwrap_err();
            let refused = err.downcast_ref::<Refused>().expect("a refusal");
            assert_eq!(refused.ip, ip.parse::<IpAddr>().unwrap(), "{host}");
        }
    }

    #[tokio::test]
    async fn one_internal_address_among_public_ones_refuses_the_name() {
        let mut s = crate::config::Options::default().resolve().unwrap();
        s.network.static_hosts = Some(BTreeMap::from([(
            "mixed.test".to_string(),
            vec![
                "93.184.216.34".parse().unwrap(),
                "10.0.0.1".parse().unwrap(),
            ],
        )]));
        let guard = NetGuard::from_settings(&s);
        assert!(guard.resolve_host("MIXED.test.").await.is_err());
    }

    #[tokio::test]
    async fn off_and_exempt_names_resolve_as_they_are() {
        let mut s = crate::config::Options {
            dev: true,
            ..Default::default()
        }
        .resolve()
        .unwrap();
        s.network.static_hosts = Some(BTreeMap::from([(
            "peer.test".to_string(),
            vec!["127.0.0.1".parse().unwrap()],
        )]));
        assert_eq!(
            NetGuard::from_settings(&s)
                .resolve_host("peer.test")
                .await
                .unwrap()[0]
                .ip(),
            "127.0.0.1".parse::<IpAddr>().unwrap()
        );
        s.network.guard_in_dev = true;
        assert!(
            NetGuard::from_settings(&s)
                .resolve_host("peer.test")
                .await
                .is_err()
        );
        s.network.exempt_hosts = vec!["peer.test".into()];
        assert!(
            NetGuard::from_settings(&s)
                .resolve_host("peer.test")
                .await
                .is_ok()
        );
        assert!(
            NetGuard::from_settings(&s)
                .resolve_host("other.test")
                .await
                .is_err(),
            "names outside the table never fall back to DNS"
        );
    }

    #[test]
    fn ip_literal_urls_are_refused_when_the_guard_is_on() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(
            NetGuard::strict()
                .permits(&u("https://[::1]/inbox"))
                .is_err()
        );
        assert!(
            NetGuard::strict()
                .permits(&u("https://93.184.216.34/inbox"))
                .is_err()
        );
        assert!(
            NetGuard::strict()
                .permits(&u("https://example.org/inbox"))
                .is_ok()
        );
        assert!(
            NetGuard::off()
                .permits(&u("http://127.0.0.1:9/inbox"))
                .is_ok()
        );
    }
}
