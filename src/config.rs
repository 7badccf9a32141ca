//! Configuration: one clap struct whose every option is also a `COOPDIR_*` environment
//! variable and a key of the optional TOML file given with `--config`.
//!
//! Precedence, highest first: command-line flag, environment variable, TOML file, built-in
//! default. The defaults make `cargo run` start a working node on SQLite in `./data`.

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;
use std::{net::SocketAddr, path::PathBuf, time::Duration};
use url::Url;

/// The command line of `coopdir`.
#[derive(Parser, Debug)]
#[command(
    name = "coopdir",
    version,
    about = "A federated directory of cooperative service providers"
)]
pub struct Cli {
    #[command(flatten)]
    pub options: Options,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Every subcommand; without one, `coopdir` behaves as `serve`.
#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Run the node: web pages, API, ActivityPub endpoints and the delivery workers.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Import listing documents, files or URLs: one co-op and its offerings each. Reads
    /// coopdir TOML/JSON, ChatonsInfos .properties (following subs.*), librehost.json and
    /// Murmurations profiles, detected unless --format says which. Re-importing a changed
    /// document updates the listing and federates an `Update`.
    Import {
        #[arg(required = true, value_name = "FILE_OR_URL")]
        sources: Vec<String>,
        /// chatons, librehost, murmurations or coopdir (default: detected).
        #[arg(long)]
        format: Option<String>,
        /// Keep the listing in sync with the URL: the running node reads it again daily.
        #[arg(long)]
        follow: bool,
    },
    /// List the followed sources of imported listings with their last result.
    Sources,
    /// Print a local co-op's listing in another directory's format (chatons, librehost,
    /// murmurations or coopdir) on standard output.
    Export {
        handle: String,
        #[arg(long)]
        format: String,
    },
    /// Post an announcement from an offering or co-op to its followers.
    Announce {
        /// `name@domain` of a local offering or co-op (a leading `@` or `acct:` is accepted).
        handle: String,
        #[arg(long)]
        text: String,
        #[arg(long, default_value = "news")]
        kind: String,
    },
    /// Start the sunset of an offering: followers are told now, reminded 30 and 7 days
    /// before the end, and the offering closes after the end date. Refused when the end date
    /// is sooner than the notice the offering promised.
    Sunset {
        handle: String,
        /// The last day of service, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        end: chrono::NaiveDate,
    },
    /// Transfer an offering to a successor (handle or actor URL, on this node or another):
    /// followers receive a `Move` and their servers follow the successor.
    Transfer {
        handle: String,
        #[arg(long, value_name = "HANDLE_OR_ACTOR_URL")]
        to: String,
    },
    /// Edit the text of an announcement; followers receive an `Update`.
    EditAnnouncement {
        url: String,
        #[arg(long)]
        text: String,
    },
    /// Withdraw an announcement; followers receive a `Delete`.
    WithdrawAnnouncement { url: String },
    /// Peering with other coopdir nodes.
    Peer {
        #[command(subcommand)]
        command: PeerCommand,
    },
    /// Remove a co-op (with its offerings) or an offering: followers get `Delete` and the
    /// listing leaves the directory.
    Remove { handle: String },
    /// Show the state of outgoing deliveries: pending, delivered, failed, per host.
    Deliveries,
    /// Accounts for the web interface and the API.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Block a domain and its subdomains. `reject` (the default) refuses every exchange
    /// with it: its activities, fetches from it, deliveries to it; `hide` keeps federating
    /// but leaves its listings out of the directory.
    Block {
        domain: String,
        #[arg(long, value_enum, default_value_t = BlockSeverity::Reject)]
        severity: BlockSeverity,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Lift the block of a domain; listings the block hid are listed again.
    Unblock { domain: String },
    /// Add a domain (and its subdomains) to the allowlist used with
    /// `--federation-mode allowlist`.
    Allow { domain: String },
    /// Remove a domain from the allowlist.
    Disallow { domain: String },
    /// List blocked and allowed domains.
    Domains,
    /// Approve, hide, suspend or restore a listing (local or remote), with a reason that
    /// goes into the moderation log.
    Moderate {
        /// `name@domain` or the actor URL.
        target: String,
        #[arg(long, value_enum)]
        action: ModerationAction,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Show the latest entries of the moderation log.
    ModerationLog {
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// List open reports (with `--all`, resolved ones too).
    Reports {
        #[arg(long)]
        all: bool,
    },
    /// Work on one report.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Staff accounts: people who publish the listings of one co-op.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// API tokens for automation; a token is shown once and only its hash is kept.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

/// How hard a domain block is.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockSeverity {
    /// Refuse every exchange with the domain; its listings leave the directory.
    Reject,
    /// Keep federating; its listings leave the directory.
    Hide,
}

/// What an admin does to a listing.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationAction {
    Approve,
    Hide,
    Suspend,
    Restore,
}

/// How an admin resolves a report.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    /// Close the report without acting on the listing.
    Dismiss,
    /// Hide the reported listing from the directory.
    Hide,
    /// Suspend the reported listing.
    Suspend,
}

#[derive(Subcommand, Debug, Clone)]
pub enum ReportCommand {
    /// Resolve a report: dismiss it, or hide or suspend the reported listing.
    Resolve {
        id: i64,
        #[arg(long, value_enum)]
        action: ReportAction,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// File a report about an actor (e.g. a remote listing), optionally forwarding it to
    /// the actor's home server as a `Flag` from this node's instance actor.
    Create {
        /// `name@domain` of a local listing, or an actor URL.
        target: String,
        #[arg(long, default_value = "")]
        comment: String,
        /// URIs of reported posts of that actor (repeatable, at most 20 are kept).
        #[arg(long = "status")]
        statuses: Vec<String>,
        #[arg(long)]
        forward: bool,
    },
    /// Forward a report about a remote actor to its home server.
    Forward { id: i64 },
}

#[derive(Subcommand, Debug, Clone)]
pub enum StaffCommand {
    /// Create a staff account of a co-op; the password is read from standard input.
    Create {
        username: String,
        /// The co-op's handle, `name@domain`.
        #[arg(long)]
        coop: String,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum TokenCommand {
    /// Create an API token for an account and print it once.
    Create {
        username: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Revoke an account's tokens of that name: requests with them get 401 from now on.
    Revoke {
        username: String,
        #[arg(long)]
        name: String,
    },
}

/// Whom the node federates with.
#[derive(clap::ValueEnum, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum FederationMode {
    /// Everyone except blocked domains.
    #[default]
    Open,
    /// Only domains added with `coopdir allow` (and never blocked ones).
    Allowlist,
}

/// Which new listings wait for an admin's approval before they are listed.
#[derive(clap::ValueEnum, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum RequireApproval {
    /// Every listing is listed at once.
    #[default]
    None,
    /// Listings learned from other nodes wait for approval.
    Remote,
    /// Local and remote listings wait for approval.
    All,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-31"))
}

#[derive(Subcommand, Debug, Clone)]
pub enum PeerCommand {
    /// Follow that node's co-ops and offerings into this directory.
    Add {
        #[arg(value_name = "DOMAIN_OR_URL")]
        peer: String,
    },
    /// List the peers.
    List,
}

#[derive(Subcommand, Debug, Clone)]
pub enum AdminCommand {
    /// Create an admin account; the password is read from standard input, never from argv.
    Create { username: String },
}

/// Options shared by every command. All are optional here so that the TOML file and the
/// built-in defaults can fill what flags and environment leave unset.
#[derive(Args, Debug, Clone, Default)]
pub struct Options {
    /// TOML file with any of the options below (keys as the long flags, with `_`).
    #[arg(long, env = "COOPDIR_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "COOPDIR_LISTEN", global = true)]
    pub listen: Option<SocketAddr>,
    /// The public URL of this node; its host and port are the node's domain in every actor
    /// id [default: http://localhost:8080].
    #[arg(long, env = "COOPDIR_PUBLIC_URL", global = true)]
    pub public_url: Option<Url>,
    /// `sqlite://…` or `postgres://…` [default: SQLite file `coopdir.db` in the data directory].
    #[arg(long, env = "COOPDIR_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Directory for the SQLite database and other state [default: ./data].
    #[arg(long, env = "COOPDIR_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Federate over http and with loopback peers, for local work and tests. Refused unless
    /// the public URL is a loopback host.
    #[arg(long, env = "COOPDIR_DEV", global = true, value_parser = clap::builder::FalseyValueParser::new())]
    pub dev: bool,
    /// First retry delay of outgoing deliveries, e.g. `30s` [default: 30s].
    #[arg(long, env = "COOPDIR_RETRY_BASE", global = true, value_parser = humantime::parse_duration)]
    pub retry_base: Option<Duration>,
    /// Longest delay between two retries of one delivery [default: 1h].
    #[arg(long, env = "COOPDIR_RETRY_MAX", global = true, value_parser = humantime::parse_duration)]
    pub retry_max: Option<Duration>,
    /// How long a delivery is retried before it is given up [default: 7d].
    #[arg(long, env = "COOPDIR_RETRY_FOR", global = true, value_parser = humantime::parse_duration)]
    pub retry_for: Option<Duration>,
    /// How long a claimed delivery stays reserved for the process that claimed it; after
    /// a crash, another process sends it once this has passed [default: 2m].
    #[arg(long, env = "COOPDIR_DELIVERY_LEASE", global = true, value_parser = humantime::parse_duration)]
    pub delivery_lease: Option<Duration>,
    /// Deliveries sent at once by this process [default: 128]. Requests wait on the
    /// network, not the CPU, so many can be under way; a few hanging inboxes then cannot
    /// hold up the rest.
    #[arg(long, env = "COOPDIR_DELIVERY_WORKERS", global = true)]
    pub delivery_workers: Option<usize>,
    /// Deliveries sent at once to one remote host [default: 4].
    #[arg(long, env = "COOPDIR_PER_HOST_CONCURRENCY", global = true)]
    pub per_host_concurrency: Option<usize>,
    /// The node's name, shown on its pages and in NodeInfo [default: the domain].
    #[arg(long, env = "COOPDIR_NODE_NAME", global = true)]
    pub node_name: Option<String>,
    /// `open`: federate with every domain not blocked; `allowlist`: only with domains
    /// added by `coopdir allow` [default: open].
    #[arg(long, env = "COOPDIR_FEDERATION_MODE", global = true, value_enum)]
    pub federation_mode: Option<FederationMode>,
    /// `none`, `remote` or `all`: which new listings wait for an admin's approval
    /// [default: none].
    #[arg(long, env = "COOPDIR_REQUIRE_APPROVAL", global = true, value_enum)]
    pub require_approval: Option<RequireApproval>,
}

/// The same options as read from the TOML file.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct FileOptions {
    listen: Option<SocketAddr>,
    public_url: Option<Url>,
    database_url: Option<String>,
    data_dir: Option<PathBuf>,
    dev: Option<bool>,
    #[serde(default, with = "humantime_serde_opt")]
    retry_base: Option<Duration>,
    #[serde(default, with = "humantime_serde_opt")]
    retry_max: Option<Duration>,
    #[serde(default, with = "humantime_serde_opt")]
    retry_for: Option<Duration>,
    #[serde(default, with = "humantime_serde_opt")]
    delivery_lease: Option<Duration>,
    delivery_workers: Option<usize>,
    per_host_concurrency: Option<usize>,
    node_name: Option<String>,
    federation_mode: Option<FederationMode>,
    require_approval: Option<RequireApproval>,
}

mod humantime_serde_opt {
    use serde::{Deserialize, Deserializer};
    use std::time::Duration;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| humantime::parse_duration(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// The resolved configuration every part of the node reads.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub public_url: Url,
    /// `host` or `host:port` of the public URL: the node's domain in actor ids.
    pub domain: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub dev: bool,
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub retry_for: Duration,
    pub delivery_lease: Duration,
    pub delivery_workers: usize,
    pub per_host_concurrency: usize,
    pub node_name: String,
    pub federation_mode: FederationMode,
    pub require_approval: RequireApproval,
    /// How outgoing connections resolve names; set only from code.
    pub network: NetworkSettings,
}

/// How the node's outgoing connections resolve names (src/federation/netguard.rs). Not
/// configurable from flags or files: tests and embedders set it to keep every connection
/// in-process.
#[derive(Debug, Clone, Default)]
pub struct NetworkSettings {
    /// A host table consulted instead of DNS: when set, names outside it do not resolve and
    /// no DNS query leaves the process.
    pub static_hosts: Option<std::collections::BTreeMap<String, Vec<std::net::IpAddr>>>,
    /// Refuse internal addresses even with `--dev` (to test the guard on loopback).
    pub guard_in_dev: bool,
    /// Names connected to whatever they resolve to, guard or not.
    pub exempt_hosts: Vec<String>,
}

/// A configuration that cannot work, with a message that says how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl Options {
    /// Merge flags and environment (already in `self`) over the TOML file and the defaults.
    pub fn resolve(&self) -> Result<Settings, ConfigError> {
        let file = match &self.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    ConfigError(format!(
                        "cannot read the configuration file {}: {e}",
                        path.display()
                    ))
                })?;
                toml::from_str::<FileOptions>(&text).map_err(|e| {
                    ConfigError(format!("configuration file {}: {e}", path.display()))
                })?
            }
            None => FileOptions::default(),
        };
        let public_url = self
            .public_url
            .clone()
            .or(file.public_url)
            .unwrap_or_else(|| Url::parse("http://localhost:8080").expect("static URL"));
        let domain = domain_of(&public_url)?;
        let data_dir = self
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = self
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| {
                format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("coopdir.db").display()
                )
            });
        let dev = self.dev || file.dev.unwrap_or(false);
        if dev && !is_loopback_host(&public_url) {
            return Err(ConfigError(format!(
                "--dev (COOPDIR_DEV) lets the node federate over http and with loopback peers; it is \
                 refused for the public URL {public_url}, which is not a loopback host. Remove --dev \
                 in production, or use a public URL such as http://localhost:8080 for local work."
            )));
        }
        if !dev && std::env::var_os("DANGER_FEDERATION_ALLOW_LOCAL_IP").is_some() {
            return Err(ConfigError(
                "DANGER_FEDERATION_ALLOW_LOCAL_IP is set: federating with local IP addresses on a \
                 public node would let remote servers reach internal services. Unset it."
                    .into(),
            ));
        }
        let node_name = self
            .node_name
            .clone()
            .or(file.node_name)
            .unwrap_or_else(|| domain.clone());
        let positive = |name: &str, v: usize| {
            if v == 0 {
                Err(ConfigError(format!("{name} must be at least 1")))
            } else {
                Ok(v)
            }
        };
        Ok(Settings {
            listen: self
                .listen
                .or(file.listen)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            public_url,
            domain,
            database_url,
            data_dir,
            dev,
            retry_base: self
                .retry_base
                .or(file.retry_base)
                .unwrap_or(Duration::from_secs(30)),
            retry_max: self
                .retry_max
                .or(file.retry_max)
                .unwrap_or(Duration::from_secs(3600)),
            retry_for: self
                .retry_for
                .or(file.retry_for)
                .unwrap_or(Duration::from_secs(7 * 24 * 3600)),
            delivery_lease: self
                .delivery_lease
                .or(file.delivery_lease)
                .unwrap_or(Duration::from_secs(120)),
            delivery_workers: positive(
                "delivery_workers",
                self.delivery_workers
                    .or(file.delivery_workers)
                    .unwrap_or(128),
            )?,
            per_host_concurrency: positive(
                "per_host_concurrency",
                self.per_host_concurrency
                    .or(file.per_host_concurrency)
                    .unwrap_or(4),
            )?,
            node_name,
            federation_mode: self
                .federation_mode
                .or(file.federation_mode)
                .unwrap_or_default(),
            require_approval: self
                .require_approval
                .or(file.require_approval)
                .unwrap_or_default(),
            network: NetworkSettings::default(),
        })
    }
}

/// `host` or `host:port`, as it appears in actor ids and WebFinger handles.
fn domain_of(url: &Url) -> Result<String, ConfigError> {
    let host = url.host_str().ok_or_else(|| {
        ConfigError(format!(
            "the public URL {url} has no host; use e.g. https://directory.example.org"
        ))
    })?;
    if url.path() != "/" || url.query().is_some() {
        return Err(ConfigError(format!(
            "the public URL {url} has a path or query; coopdir must be served at the root of its \
             domain, e.g. https://directory.example.org"
        )));
    }
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_make_a_local_node() {
        let s = Options {
            dev: true,
            ..Default::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(s.domain, "localhost:8080");
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert!(s.database_url.starts_with("sqlite://"));
    }

    #[test]
    fn dev_is_refused_on_a_public_domain() {
        let err = Options {
            dev: true,
            public_url: Some(Url::parse("https://dir.example.org").unwrap()),
            ..Default::default()
        }
        .resolve()
        .unwrap_err();
        assert!(err.0.contains("refused"), "{err}");
    }

    #[test]
    fn flags_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "node_name = \"from file\"\nretry_base = \"2s\"\ndev = true\n",
        )
        .unwrap();
        let s = Options {
            config: Some(path.clone()),
            node_name: Some("from flag".into()),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(s.node_name, "from flag");
        assert_eq!(s.retry_base, Duration::from_secs(2));
        std::fs::write(&path, "colour = 1\n").unwrap();
        let err = Options {
            config: Some(path),
            ..Default::default()
        }
        .resolve()
        .unwrap_err();
        assert!(err.0.contains("colour"), "{err}");
    }

    #[test]
    fn moderation_settings_come_from_flags_and_the_file() {
        let s = Options {
            dev: true,
            ..Default::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(s.federation_mode, FederationMode::Open);
        assert_eq!(s.require_approval, RequireApproval::None);
        let cli = Cli::try_parse_from([
            "coopdir",
            "--dev",
            "--federation-mode",
            "allowlist",
            "--require-approval",
            "remote",
            "migrate",
        ])
        .unwrap();
        let s = cli.options.resolve().unwrap();
        assert_eq!(s.federation_mode, FederationMode::Allowlist);
        assert_eq!(s.require_approval, RequireApproval::Remote);
        assert!(Cli::try_parse_from(["coopdir", "--federation-mode", "closed"]).is_err());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "dev = true\nfederation_mode = \"allowlist\"\nrequire_approval = \"all\"\n",
        )
        .unwrap();
        let s = Options {
            config: Some(path),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(s.federation_mode, FederationMode::Allowlist);
        assert_eq!(s.require_approval, RequireApproval::All);
    }

    #[test]
    fn moderation_commands_parse() {
        let cli = Cli::try_parse_from([
            "coopdir",
            "block",
            "evil.example",
            "--severity",
            "hide",
            "--reason",
            "spam",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Block {
                severity: BlockSeverity::Hide,
                ..
            })
        ));
        let cli = Cli::try_parse_from([
            "coopdir", "report", "resolve", "7", "--action", "suspend", "--note", "ok",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Report {
                command: ReportCommand::Resolve {
                    id: 7,
                    action: ReportAction::Suspend,
                    ..
                }
            })
        ));
        assert!(
            Cli::try_parse_from(["coopdir", "report", "resolve", "7", "--action", "ban"]).is_err()
        );
    }
}
