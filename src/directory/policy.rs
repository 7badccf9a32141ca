//! Domain policy: which hosts this node exchanges with. A `reject` block refuses every
//! exchange with a domain and its subdomains (inbox, fetches, deliveries); a `hide` block
//! keeps federating but keeps the domain's listings out of the directory; in allowlist mode
//! only allowed domains (and their subdomains) federate at all.
//!
//! Hosts are compared as the `url` crate parses them (IDNA to punycode, lower case, IPv6 in
//! brackets) with a trailing dot dropped, never as edited strings: `EVIL.example.`,
//! `evil.example` and `mx.evil.example` are one blocked domain, and `evil.example.org` is
//! not `evil.example` (Mastodon CVE-2023-42451 is the cautionary tale).
//!
//! [`refusal`] reads the database on every call (fetches, deliveries). The inbox, which asks
//! on every request, asks [`PolicyCache`] instead: the rules held in memory under a
//! generation that moves on when this process changes a rule (so a block made through the
//! node applies to the very next request), and read again at most [`PolicyCache::RELOAD`]
//! after they were last read (so a `coopdir block` run beside a serving node applies within
//! that time).

use crate::i18n::Msg;
use crate::{
    config::{FederationMode, Settings},
    db::entities::{domain_allow, domain_block},
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::{
    collections::HashMap,
    fmt,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use url::{Host, Url};

/// `host` or `host:port` of a URL, compared as parsed hosts, never as edited strings.
pub fn domain_of(url: &Url) -> String {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

/// A domain as an admin names it in a block or allow rule: a host, and optionally a port
/// (so that one loopback node among several can be blocked in tests and local work).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainKey {
    host: String,
    port: Option<u16>,
    is_domain: bool,
}

impl fmt::Display for DomainKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(p) => write!(f, "{}:{p}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// The normalized host of a URL: punycode, lower case, no trailing dot; IPv6 in brackets.
pub fn url_host(url: &Url) -> Option<String> {
    Some(match url.host()? {
        Host::Domain(d) => d.trim_end_matches('.').to_ascii_lowercase(),
        Host::Ipv4(a) => a.to_string(),
        Host::Ipv6(a) => format!("[{a}]"),
    })
}

fn host_string(host: Host<String>) -> Result<(String, bool), Msg> {
    Ok(match host {
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            if d.is_empty() || d.starts_with('.') || d.contains("..") {
                return Err(crate::msg!("error-domain-name", value = d));
            }
            (d, true)
        }
        Host::Ipv4(a) => (a.to_string(), false),
        Host::Ipv6(a) => (format!("[{a}]"), false),
    })
}

impl DomainKey {
    /// Parse what an admin typed: `evil.example`, `EVIL.example.`, `bücher.example`,
    /// `*.evil.example`, `evil.example:8443`, `https://evil.example/anything`, an IP
    /// address. Anything with user info, a path without a scheme, or spaces is refused,
    /// so `a@evil.so/cial` cannot be mistaken for a domain.
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let raw = input.trim();
        let bad = || crate::msg!("error-domain-invalid", value = input);
        if raw.is_empty() {
            return Err(bad());
        }
        if raw.contains("://") {
            let url = Url::parse(raw).map_err(|_| bad())?;
            if !matches!(url.scheme(), "http" | "https")
                || !url.username().is_empty()
                || url.password().is_some()
            {
                return Err(bad());
            }
            let host = url.host().ok_or_else(bad)?.to_owned();
            let (host, is_domain) = host_string(host)?;
            return Ok(DomainKey {
                host,
                port: url.port(),
                is_domain,
            });
        }
        let raw = raw.strip_prefix("*.").unwrap_or(raw);
        if raw
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '@' | '/' | '?' | '#' | '\\' | '*'))
        {
            return Err(bad());
        }
        // Split a port off, minding IPv6 literals in brackets.
        let (host_part, port) = if let Some(rest) = raw.strip_prefix('[') {
            let (inside, after) = rest.split_once(']').ok_or_else(bad)?;
            let port = match after {
                "" => None,
                p => Some(
                    p.strip_prefix(':')
                        .and_then(|p| p.parse::<u16>().ok())
                        .ok_or_else(bad)?,
                ),
            };
            (format!("[{inside}]"), port)
        } else {
            match raw.rsplit_once(':') {
                Some((h, p)) if !h.contains(':') => {
                    (h.to_string(), Some(p.parse::<u16>().map_err(|_| bad())?))
                }
                Some(_) => (format!("[{raw}]"), None),
                None => (raw.to_string(), None),
            }
        };
        let host = Host::parse(&host_part).map_err(|_| bad())?;
        let (host, is_domain) = host_string(host)?;
        Ok(DomainKey {
            host,
            port,
            is_domain,
        })
    }

    /// The rule as stored: `host` or `host:port`.
    pub fn as_key(&self) -> String {
        self.to_string()
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// True when `url` is on this domain or one of its subdomains (and on its port, when the
    /// rule names one).
    pub fn covers(&self, url: &Url) -> bool {
        let Some(host) = url_host(url) else {
            return false;
        };
        let host_ok =
            host == self.host || (self.is_domain && host.ends_with(&format!(".{}", self.host)));
        let port_ok = self.port.is_none() || self.port == url.port_or_known_default();
        host_ok && port_ok
    }
}

/// The rule keys that could cover `url`: its host and every parent domain, each alone and
/// with the URL's port. One indexed `IN` query finds every rule that applies.
pub fn candidate_keys(url: &Url) -> Vec<String> {
    let Some(host) = url_host(url) else {
        return vec![];
    };
    let port = url.port_or_known_default();
    let mut hosts = vec![host.clone()];
    if matches!(url.host(), Some(Host::Domain(_))) {
        let labels: Vec<&str> = host.split('.').collect();
        for i in 1..labels.len().min(64) {
            hosts.push(labels[i..].join("."));
        }
    }
    let mut keys = Vec::with_capacity(hosts.len() * 2);
    for h in hosts {
        if let Some(p) = port {
            keys.push(format!("{h}:{p}"));
        }
        keys.push(h);
    }
    keys
}

/// How hard a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Hide,
    Reject,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hide => "hide",
            Severity::Reject => "reject",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "hide" => Some(Severity::Hide),
            "reject" => Some(Severity::Reject),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The strongest block covering `url`, with the rule that matched.
pub async fn block_for<C: ConnectionTrait>(
    db: &C,
    url: &Url,
) -> Result<Option<(Severity, domain_block::Model)>, DbErr> {
    let keys = candidate_keys(url);
    if keys.is_empty() {
        return Ok(None);
    }
    let rules = domain_block::Entity::find()
        .filter(domain_block::Column::Domain.is_in(keys))
        .all(db)
        .await?;
    Ok(rules
        .into_iter()
        .filter(|r| DomainKey::parse(&r.domain).is_ok_and(|k| k.covers(url)))
        .filter_map(|r| Severity::parse(&r.severity).map(|s| (s, r)))
        .max_by_key(|(s, _)| *s))
}

async fn allowed<C: ConnectionTrait>(db: &C, url: &Url) -> Result<bool, DbErr> {
    let keys = candidate_keys(url);
    if keys.is_empty() {
        return Ok(false);
    }
    let rules = domain_allow::Entity::find()
        .filter(domain_allow::Column::Domain.is_in(keys))
        .all(db)
        .await?;
    Ok(rules
        .iter()
        .any(|r| DomainKey::parse(&r.domain).is_ok_and(|k| k.covers(url))))
}

fn is_own(settings: &Settings, url: &Url) -> bool {
    domain_of(url) == settings.domain
}

/// Why this node refuses to exchange anything with the host of `url`, or `None` when it
/// federates with it. Our own domain is never refused.
pub async fn refusal<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    url: &Url,
) -> Result<Option<String>, DbErr> {
    if is_own(settings, url) {
        return Ok(None);
    }
    if let Some((Severity::Reject, rule)) = block_for(db, url).await? {
        return Ok(Some(blocked(url, &rule.domain)));
    }
    if settings.federation_mode == FederationMode::Allowlist && !allowed(db, url).await? {
        return Ok(Some(not_allowed(url)));
    }
    Ok(None)
}

/// The refusal of a host that a `reject` rule covers.
fn blocked(url: &Url, rule: &str) -> String {
    format!("{} is blocked by this node (rule {rule})", domain_of(url))
}

/// The refusal of a host that no allow rule covers, in allowlist mode.
fn not_allowed(url: &Url) -> String {
    format!(
        "this node federates only with allowed domains, and {} is not one of them",
        domain_of(url)
    )
}

/// The domain rules held in memory for the inbox's check on every request (see the module
/// documentation). Answers exactly as [`refusal`] does, from the rules as last read.
#[derive(Default)]
pub struct PolicyCache {
    generation: AtomicU64,
    rules: Mutex<Option<Snapshot>>,
}

/// Every block and allow rule, by the key it is stored under.
#[derive(PartialEq)]
struct Rules {
    blocks: HashMap<String, (DomainKey, Severity)>,
    allows: HashMap<String, DomainKey>,
}

struct Snapshot {
    generation: u64,
    read_at: Instant,
    rules: Arc<Rules>,
}

impl PolicyCache {
    /// The longest the rules are used before they are read again, for changes made by
    /// other processes (`coopdir block`, other `serve` processes on one database).
    pub const RELOAD: Duration = Duration::from_secs(1);

    /// The generation: it moves on with every change of a rule this process makes or
    /// notices. What is kept under an older one (verified actors) is stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A rule changed: the next check reads the rules again.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn fresh(&self) -> Option<Arc<Rules>> {
        let snap = self.rules.lock().ok()?;
        let s = snap.as_ref()?;
        (s.generation == self.generation() && s.read_at.elapsed() < Self::RELOAD)
            .then(|| s.rules.clone())
    }

    async fn current<C: ConnectionTrait>(&self, db: &C) -> Result<Arc<Rules>, DbErr> {
        if let Some(r) = self.fresh() {
            return Ok(r);
        }
        // The generation is read before the rules: a change that lands meanwhile leaves
        // what is read here stale at once.
        let generation = self.generation();
        let blocks = domain_block::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|r| {
                let key = DomainKey::parse(&r.domain).ok()?;
                let severity = Severity::parse(&r.severity)?;
                Some((r.domain, (key, severity)))
            })
            .collect();
        let allows = domain_allow::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.domain.clone(), DomainKey::parse(&r.domain).ok()?)))
            .collect();
        let rules = Arc::new(Rules { blocks, allows });
        let mut snap = self
            .rules
            .lock()
            .map_err(|_| DbErr::Custom("policy cache lock poisoned".into()))?;
        // Rules changed by another process move the generation on, as a change made here
        // does.
        let changed = snap.as_ref().is_some_and(|s| *s.rules != *rules);
        let generation = if changed
            && self
                .generation
                .compare_exchange(
                    generation,
                    generation + 1,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                )
                .is_ok()
        {
            generation + 1
        } else {
            generation
        };
        *snap = Some(Snapshot {
            generation,
            read_at: Instant::now(),
            rules: rules.clone(),
        });
        Ok(rules)
    }

    /// [`refusal`], answered from the rules in memory.
    pub async fn refusal<C: ConnectionTrait>(
        &self,
        db: &C,
        settings: &Settings,
        url: &Url,
    ) -> Result<Option<String>, DbErr> {
        if is_own(settings, url) {
            return Ok(None);
        }
        let rules = self.current(db).await?;
        let keys = candidate_keys(url);
        let block = keys
            .iter()
            .filter_map(|k| rules.blocks.get_key_value(k))
            .filter(|(_, (key, _))| key.covers(url))
            .max_by_key(|(_, (_, s))| *s);
        if let Some((domain, (_, Severity::Reject))) = block {
            return Ok(Some(blocked(url, domain)));
        }
        if settings.federation_mode == FederationMode::Allowlist
            && !keys
                .iter()
                .filter_map(|k| rules.allows.get(k))
                .any(|key| key.covers(url))
        {
            return Ok(Some(not_allowed(url)));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn domains_are_parsed_not_edited() {
        for (input, key) in [
            ("evil.example", "evil.example"),
            ("EVIL.Example.", "evil.example"),
            ("  evil.example  ", "evil.example"),
            ("*.evil.example", "evil.example"),
            ("https://Evil.Example./users/x", "evil.example"),
            ("https://evil.example:8443/", "evil.example:8443"),
            ("localhost:8081", "localhost:8081"),
            ("bücher.example", "xn--bcher-kva.example"),
            ("BÜCHER.example.", "xn--bcher-kva.example"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("127.0.0.1", "127.0.0.1"),
            ("[::1]:8080", "[::1]:8080"),
            ("::1", "[::1]"),
        ] {
            assert_eq!(
                DomainKey::parse(input).map(|k| k.as_key()),
                Ok(key.to_string()),
                "{input}"
            );
        }
        for bad in [
            "",
            "a@evil.so/cial",
            "evil.so/cial",
            "a@evil.example",
            "evil example",
            "https://a@evil.example/",
            "ftp://evil.example/",
            "evil.example:http",
            ".",
            "evil..example",
        ] {
            assert!(DomainKey::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a_rule_covers_its_subdomains_and_nothing_else() {
        let k = DomainKey::parse("evil.example").unwrap();
        assert!(k.covers(&u("https://evil.example/a")));
        assert!(k.covers(&u("https://EVIL.example./a")));
        assert!(k.covers(&u("https://mx.evil.example/a")));
        assert!(k.covers(&u("https://a.b.evil.example:8443/a")));
        assert!(!k.covers(&u("https://notevil.example/a")));
        assert!(!k.covers(&u("https://evil.example.org/a")));
        assert!(!k.covers(&u("https://example/a")));
        // user info never changes the host
        assert!(!k.covers(&u("https://evil.example@good.example/a")));
        assert!(k.covers(&u("https://good.example@evil.example/a")));

        let idn = DomainKey::parse("bücher.example").unwrap();
        assert!(idn.covers(&u("https://BÜCHER.example/x")));
        assert!(idn.covers(&u("https://xn--bcher-kva.example/x")));
        assert!(idn.covers(&u("https://shop.bücher.example/x")));

        let port = DomainKey::parse("localhost:8081").unwrap();
        assert!(port.covers(&u("http://localhost:8081/x")));
        assert!(port.covers(&u("http://a.localhost:8081/x")));
        assert!(!port.covers(&u("http://localhost:8082/x")));
        let default = DomainKey::parse("evil.example:443").unwrap();
        assert!(default.covers(&u("https://evil.example/x")));

        let ip = DomainKey::parse("127.0.0.1").unwrap();
        assert!(ip.covers(&u("http://127.0.0.1:9/x")));
        assert!(!ip.covers(&u("http://1127.0.0.1.example/x")));
    }

    /// The rules in memory answer as the database does, for blocks of both severities, the
    /// allowlist and hosts written every which way; a rule written with a generation bump
    /// applies at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_rules_in_memory_answer_as_the_database_does() {
        use sea_orm::{ActiveModelTrait, Set};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/policy.db?mode=rwc", dir.path().display());
        let db = crate::db::connect(&url).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        let mut settings = crate::config::Options {
            dev: true,
            ..Default::default()
        }
        .resolve()
        .unwrap();
        let block = |domain: &str, severity: &str| domain_block::ActiveModel {
            domain: Set(domain.into()),
            severity: Set(severity.into()),
            reason: Set(None),
            created_by: Set("test".into()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        };
        let cache = PolicyCache::default();
        let urls = [
            "https://evil.example/a",
            "https://MX.Evil.Example./a",
            "https://evil.example.org/a",
            "https://hidden.example/a",
            "https://shop.xn--bcher-kva.example/a",
            "http://localhost:8081/a",
            "http://localhost:8082/a",
            "https://good.example/a",
        ];
        let check = async |cache: &PolicyCache, settings: &Settings| {
            for s in urls {
                let x = u(s);
                assert_eq!(
                    cache.refusal(&db, settings, &x).await.unwrap(),
                    refusal(&db, settings, &x).await.unwrap(),
                    "{s}"
                );
            }
        };
        check(&cache, &settings).await;
        block("evil.example", "reject").insert(&db).await.unwrap();
        let evil = u("https://evil.example/a");
        let before = cache.generation();
        cache.invalidate();
        assert!(cache.generation() > before);
        assert!(
            cache
                .refusal(&db, &settings, &evil)
                .await
                .unwrap()
                .is_some()
        );
        block("hidden.example", "hide").insert(&db).await.unwrap();
        block("bücher.example", "reject").insert(&db).await.unwrap();
        block("xn--bcher-kva.example", "reject")
            .insert(&db)
            .await
            .unwrap();
        block("localhost:8081", "reject").insert(&db).await.unwrap();
        cache.invalidate();
        check(&cache, &settings).await;
        settings.federation_mode = FederationMode::Allowlist;
        domain_allow::ActiveModel {
            domain: Set("good.example".into()),
            created_by: Set("test".into()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        cache.invalidate();
        check(&cache, &settings).await;
    }

    #[test]
    fn candidate_keys_name_every_parent() {
        let keys = candidate_keys(&u("https://a.b.evil.example./x"));
        for k in [
            "a.b.evil.example",
            "b.evil.example",
            "evil.example",
            "evil.example:443",
            "example",
        ] {
            assert!(keys.contains(&k.to_string()), "{k} in {keys:?}");
        }
        let keys = candidate_keys(&u("http://127.0.0.1:8080/x"));
        assert_eq!(keys, vec!["127.0.0.1:8080", "127.0.0.1"]);
    }
}
