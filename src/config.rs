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
        /// The text in the node's default language.
        #[arg(long)]
        text: String,
        #[arg(long, default_value = "news")]
        kind: String,
        /// The text in another language, as `LANG=TEXT` (a BCP 47 tag: en, fr, de, es or
        /// a language the listing offers); repeat it for each language.
        #[arg(long = "text-in", value_name = "LANG=TEXT", value_parser = parse_translation)]
        text_in: Vec<(String, String)>,
    },
    /// Start the sunset of an offering, or of a co-op with all its offerings: followers are
    /// told now, reminded 30 and 7 days before the end, and the offering closes after its
    /// last day of service. Refused when the last day of service is sooner than the
    /// notice promised.
    /// `--cancel` calls a sunset off; a later `--end` on a sunsetting offering postpones it.
    Sunset {
        handle: String,
        /// The last day of service, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date, required_unless_present = "cancel")]
        end: Option<chrono::NaiveDate>,
        /// A migration note for members (how to export, until when accounts stay readable,
        /// whom to ask): in the announcements and on the listing's page.
        #[arg(long)]
        note: Option<String>,
        /// An alternative to name first (repeatable): a handle or actor URL.
        #[arg(long = "alternative", value_name = "HANDLE")]
        alternatives: Vec<String>,
        /// Print the announcements, the alternatives and the last day of service; write
        /// nothing.
        #[arg(long)]
        preview: bool,
        /// Cancel the sunset: back to active, with an announcement and an actor `Update`.
        #[arg(long, conflicts_with_all = ["end", "note", "alternatives", "preview"])]
        cancel: bool,
    },
    /// Propose the transfer of an offering, or of a whole co-op, to a successor (handle or
    /// actor URL, on this node or another). Within one co-op it moves at once; another
    /// co-op must accept first (`coopdir transfers accept`, or its node's answer to an
    /// `Offer`); then followers receive a `Move` and their servers follow the successor.
    Transfer {
        handle: String,
        #[arg(long, value_name = "HANDLE_OR_ACTOR_URL")]
        to: String,
        /// For a co-op: the successor of one offering, OLD=NEW (repeatable); unmapped
        /// offerings move to the successor co-op.
        #[arg(long = "map", value_name = "OLD=NEW")]
        map: Vec<String>,
        /// A note for the other co-op and for members.
        #[arg(long, default_value = "")]
        note: String,
        /// Print the notice and whether consent is needed; write nothing.
        #[arg(long)]
        preview: bool,
    },
    /// Transfer proposals in and out (id, from, to, state, direction); `accept ID` or
    /// `decline ID [--reason TEXT]` answers one addressed to a co-op of this node.
    Transfers {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        command: Option<TransfersCommand>,
    },
    /// Edit the text of an announcement; followers receive an `Update`. Its texts in
    /// other languages are kept unless given again.
    EditAnnouncement {
        url: String,
        #[arg(long)]
        text: String,
        /// The text in another language, as `LANG=TEXT`: added, or replacing that
        /// language's earlier text; repeat it for each language.
        #[arg(long = "text-in", value_name = "LANG=TEXT", value_parser = parse_translation)]
        text_in: Vec<(String, String)>,
    },
    /// Withdraw an announcement; followers receive a `Delete`.
    WithdrawAnnouncement { url: String },
    /// Answer a member's reply under an announcement (or add to the announcement's
    /// thread), as the announcement's co-op or offering: the asker and the followers
    /// receive the answer.
    Reply {
        /// The URL of the reply (as shown on the announcement's page) or of the
        /// announcement.
        url: String,
        #[arg(long)]
        text: String,
        /// Pin the answer into the announcement (shown under the notice).
        #[arg(long)]
        pin: bool,
    },
    /// Hide a reply under an announcement from everyone but staff; the reason goes into
    /// the moderation log.
    HideReply {
        url: String,
        #[arg(long)]
        reason: String,
    },
    /// Peering with other coopdir nodes.
    Peer {
        #[command(subcommand)]
        command: PeerCommand,
    },
    /// This node as a Fediscovery provider (FASP) of Fediverse servers (docs/fasp.md).
    Fasp {
        #[command(subcommand)]
        command: FaspCommand,
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
pub enum TransfersCommand {
    /// Accept a proposal: the successor lists the origin in `alsoKnownAs` and the move
    /// happens (or, for an origin on another node, that node is told and moves).
    Accept { id: i64 },
    /// Decline a proposal: nothing changes; the proposing co-op is told the reason.
    Decline {
        id: i64,
        #[arg(long, default_value = "")]
        reason: String,
    },
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

/// `LANG=TEXT` of `announce --text-in`.
fn parse_translation(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((lang, text)) if !lang.trim().is_empty() => {
            Ok((lang.trim().to_string(), text.to_string()))
        }
        _ => Err(format!(
            "'{s}' is not LANG=TEXT; write e.g. --text-in fr=\"Maintenance samedi\""
        )),
    }
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
pub enum FaspCommand {
    /// Register with a server (e.g. https://mastodon.example, or its FASP base URL) and
    /// print the key fingerprint its admin compares.
    Register {
        #[arg(value_name = "URL")]
        url: String,
    },
    /// List the registrations.
    List {
        /// One JSON array instead of tab-separated lines.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a registration: its keys are deleted, its requests get 401.
    Revoke { id: String },
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
    /// The language of pages for browsers that ask for none of the interface's (en, fr,
    /// de, es) and have not chosen one, and of the directory actor's answers to questions
    /// that do not say their language [default: en].
    #[arg(long, env = "COOPDIR_DEFAULT_LANGUAGE", global = true)]
    pub default_language: Option<String>,
    /// `open`: federate with every domain not blocked; `allowlist`: only with domains
    /// added by `coopdir allow` [default: open].
    #[arg(long, env = "COOPDIR_FEDERATION_MODE", global = true, value_enum)]
    pub federation_mode: Option<FederationMode>,
    /// `none`, `remote` or `all`: which new listings wait for an admin's approval
    /// [default: none].
    #[arg(long, env = "COOPDIR_REQUIRE_APPROVAL", global = true, value_enum)]
    pub require_approval: Option<RequireApproval>,
    // --- HTTP serving: client addresses behind a proxy, connection limits ---------------
    /// A reverse proxy (an address or CIDR, repeatable; comma-separated in the
    /// environment) whose `X-Forwarded-For` / `Forwarded` names the client's address.
    /// Requests from other addresses have those headers ignored [default: none].
    #[arg(long = "trusted-proxy", env = "COOPDIR_TRUSTED_PROXY", global = true,
          value_name = "CIDR", value_delimiter = ',', value_parser = parse_cidr)]
    pub trusted_proxy: Vec<ipnet::IpNet>,
    /// Longest wait for a complete request head, from when a connection is ready for one
    /// (just accepted, or kept alive after a response) [default: 10s].
    #[arg(long, env = "COOPDIR_HEADER_TIMEOUT", global = true, value_parser = humantime::parse_duration)]
    pub header_timeout: Option<Duration>,
    /// A connection that sends and receives nothing for this long while no request of it
    /// is being handled is closed [default: 60s].
    #[arg(long, env = "COOPDIR_IDLE_TIMEOUT", global = true, value_parser = humantime::parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// Client connections served at once; beyond it new ones get a short 503 with
    /// `Retry-After` [default: 512].
    #[arg(long, env = "COOPDIR_MAX_CONNECTIONS", global = true)]
    pub max_connections: Option<usize>,
    // Inbox limits (docs/configuration.md#inbox-limits).
    /// How long ids of received activities are kept to refuse duplicates; longer than any
    /// sender retries a delivery [default: 30d].
    #[arg(long, env = "COOPDIR_INBOX_RETENTION", global = true, value_parser = humantime::parse_duration)]
    pub inbox_retention: Option<Duration>,
    /// Inbox requests accepted from one remote host per minute; more get 429 with
    /// Retry-After [default: 600].
    #[arg(long, env = "COOPDIR_INBOX_REQUESTS_PER_MINUTE", global = true)]
    pub inbox_requests_per_minute: Option<u32>,
    /// Inbox body bytes accepted from one remote host per minute; more get 429 with
    /// Retry-After [default: 16777216, 16 MiB].
    #[arg(long, env = "COOPDIR_INBOX_BYTES_PER_MINUTE", global = true)]
    pub inbox_bytes_per_minute: Option<u64>,
    // Probes of listed services (docs/operations.md#probes).
    /// How often each local listing's service is probed, with jitter; `0` turns probing
    /// off [default: 15m].
    #[arg(long, env = "COOPDIR_PROBE_INTERVAL", global = true, value_parser = humantime::parse_duration)]
    pub probe_interval: Option<Duration>,
    /// How long one probe may take before the service counts as down [default: 10s].
    #[arg(long, env = "COOPDIR_PROBE_TIMEOUT", global = true, value_parser = humantime::parse_duration)]
    pub probe_timeout: Option<Duration>,
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
    default_language: Option<String>,
    federation_mode: Option<FederationMode>,
    require_approval: Option<RequireApproval>,
    // HTTP serving
    #[serde(default)]
    trusted_proxy: Vec<String>,
    #[serde(default, with = "humantime_serde_opt")]
    header_timeout: Option<Duration>,
    #[serde(default, with = "humantime_serde_opt")]
    idle_timeout: Option<Duration>,
    max_connections: Option<usize>,
    // Inbox limits.
    #[serde(default, with = "humantime_serde_opt")]
    inbox_retention: Option<Duration>,
    inbox_requests_per_minute: Option<u32>,
    inbox_bytes_per_minute: Option<u64>,
    // Probes.
    #[serde(default, with = "humantime_serde_opt")]
    probe_interval: Option<Duration>,
    #[serde(default, with = "humantime_serde_opt")]
    probe_timeout: Option<Duration>,
}

/// An address range: `192.0.2.0/24`, `2001:db8::/32`, or one address (`127.0.0.1`, `::1`).
pub fn parse_cidr(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .map(|n| n.trunc())
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| {
            format!(
                "'{s}' is not an address or CIDR range; write e.g. 127.0.0.1, 10.0.0.0/8 or ::1/128"
            )
        })
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
    /// The interface language when a request or a question names none it speaks.
    pub default_language: crate::i18n::Lang,
    pub federation_mode: FederationMode,
    pub require_approval: RequireApproval,
    /// Client addresses and connection limits of the HTTP server.
    pub http: HttpSettings,
    /// Inbox limits: the retention of received activity ids and the per-host quota.
    pub inbox: InboxLimits,
    /// How outgoing connections resolve names; set only from code.
    pub network: NetworkSettings,
    /// Probes of the listed services.
    pub probes: ProbeSettings,
}

/// Probes of local listings' services (src/probes.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeSettings {
    /// How often each listing is probed; zero: never.
    pub interval: Duration,
    /// Longest wait for one probe's answer.
    pub timeout: Duration,
}

impl Default for ProbeSettings {
    fn default() -> Self {
        ProbeSettings {
            interval: Duration::from_secs(15 * 60),
            timeout: Duration::from_secs(10),
        }
    }
}

/// The HTTP server's view of clients (src/server.rs, src/http/client_addr.rs).
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Peers whose `X-Forwarded-For` / `Forwarded` headers name the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Longest wait for a complete request head (HTTP/1), counted from when the connection
    /// is ready for one: just accepted, or kept alive after its last response.
    pub header_timeout: Duration,
    /// A connection with no bytes in either direction for this long, and no request being
    /// handled, is closed.
    pub idle_timeout: Duration,
    /// Client connections served at once.
    pub max_connections: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            trusted_proxies: Vec::new(),
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
        }
    }
}

/// Limits of the inbox (docs/configuration.md#inbox-limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxLimits {
    /// Ids of received activities are kept this long, then pruned. A sender that retries a
    /// delivery after this would have its activity take effect twice, so it is longer than
    /// any sender's retry window: Mastodon retries a delivery 16 times over about 2 to 3
    /// days (`ActivityPub::DeliveryWorker`) and stops delivering to a host after failures on
    /// 7 days (`DeliveryFailureTracker`); Sidekiq's default is 25 retries over about 20
    /// days; coopdir itself retries for 7 days (`--retry-for`).
    pub retention: Duration,
    /// Inbox requests accepted from one host per minute.
    pub requests_per_minute: u32,
    /// Inbox body bytes accepted from one host per minute.
    pub bytes_per_minute: u64,
}

impl Default for InboxLimits {
    fn default() -> Self {
        InboxLimits {
            retention: Duration::from_secs(30 * 24 * 3600),
            requests_per_minute: 600,
            bytes_per_minute: 16 << 20,
        }
    }
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
        let http = self.http_settings(&file)?;
        let public_url = match self.public_url.clone().or(file.public_url) {
            Some(url) => url,
            None => Url::parse("http://localhost:8080")
                .map_err(|e| ConfigError(format!("the default public URL: {e}")))?,
        };
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
        let default_language = match self.default_language.clone().or(file.default_language) {
            Some(l) => l
                .parse()
                .map_err(|e| ConfigError(format!("default_language: {e}")))?,
            None => crate::i18n::Lang::default(),
        };
        let positive = |name: &str, v: usize| {
            if v == 0 {
                Err(ConfigError(format!("{name} must be at least 1")))
            } else {
                Ok(v)
            }
        };
        let inbox = {
            let d = InboxLimits::default();
            let limits = InboxLimits {
                retention: self
                    .inbox_retention
                    .or(file.inbox_retention)
                    .unwrap_or(d.retention),
                requests_per_minute: self
                    .inbox_requests_per_minute
                    .or(file.inbox_requests_per_minute)
                    .unwrap_or(d.requests_per_minute),
                bytes_per_minute: self
                    .inbox_bytes_per_minute
                    .or(file.inbox_bytes_per_minute)
                    .unwrap_or(d.bytes_per_minute),
            };
            if limits.retention < Duration::from_secs(24 * 3600) {
                return Err(ConfigError(
                    "inbox_retention must be at least 1d: senders retry deliveries for days, and \
                     a retry after the id was pruned would take effect twice (default: 30d)"
                        .into(),
                ));
            }
            positive(
                "inbox_requests_per_minute",
                limits.requests_per_minute as usize,
            )?;
            if limits.bytes_per_minute < 1 << 20 {
                return Err(ConfigError(
                    "inbox_bytes_per_minute must be at least 1048576 (1 MiB), the largest inbox \
                     body, or no activity of that size could ever be delivered"
                        .into(),
                ));
            }
            limits
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
            default_language,
            federation_mode: self
                .federation_mode
                .or(file.federation_mode)
                .unwrap_or_default(),
            require_approval: self
                .require_approval
                .or(file.require_approval)
                .unwrap_or_default(),
            http,
            inbox,
            network: NetworkSettings::default(),
            probes: ProbeSettings {
                interval: self
                    .probe_interval
                    .or(file.probe_interval)
                    .unwrap_or(ProbeSettings::default().interval),
                timeout: match self
                    .probe_timeout
                    .or(file.probe_timeout)
                    .unwrap_or(ProbeSettings::default().timeout)
                {
                    d if d.is_zero() => {
                        return Err(ConfigError(
                            "probe_timeout must be longer than 0, e.g. 10s".into(),
                        ));
                    }
                    d => d,
                },
            },
        })
    }

    /// The HTTP server's settings: flags and environment over the file over the defaults.
    fn http_settings(&self, file: &FileOptions) -> Result<HttpSettings, ConfigError> {
        let defaults = HttpSettings::default();
        let trusted_proxies = if self.trusted_proxy.is_empty() {
            file.trusted_proxy
                .iter()
                .map(|s| parse_cidr(s).map_err(|e| ConfigError(format!("trusted_proxy: {e}"))))
                .collect::<Result<Vec<_>, _>>()?
        } else {
            self.trusted_proxy.clone()
        };
        let nonzero = |name: &str, d: Duration| {
            if d.is_zero() {
                Err(ConfigError(format!(
                    "{name} must be longer than 0, e.g. 10s"
                )))
            } else {
                Ok(d)
            }
        };
        let max_connections = self
            .max_connections
            .or(file.max_connections)
            .unwrap_or(defaults.max_connections);
        if !(1..=1_000_000).contains(&max_connections) {
            return Err(ConfigError(format!(
                "max_connections must be between 1 and 1000000, not {max_connections}; \
                 keep it under the process's file limit (ulimit -n)"
            )));
        }
        Ok(HttpSettings {
            trusted_proxies,
            header_timeout: nonzero(
                "header_timeout",
                self.header_timeout
                    .or(file.header_timeout)
                    .unwrap_or(defaults.header_timeout),
            )?,
            idle_timeout: nonzero(
                "idle_timeout",
                self.idle_timeout
                    .or(file.idle_timeout)
                    .unwrap_or(defaults.idle_timeout),
            )?,
            max_connections,
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
    fn trusted_proxies_and_connection_limits_come_from_flags_env_and_the_file() {
        let cli = Cli::try_parse_from([
            "coopdir",
            "--dev",
            "--trusted-proxy",
            "127.0.0.1",
            "--trusted-proxy",
            "10.1.2.3/8,::1",
            "--header-timeout",
            "2s",
            "migrate",
        ])
        .unwrap();
        let s = cli.options.resolve().unwrap();
        let nets: Vec<String> = s
            .http
            .trusted_proxies
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(nets, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        assert_eq!(s.http.header_timeout, Duration::from_secs(2));
        assert_eq!(s.http.idle_timeout, HttpSettings::default().idle_timeout);
        let err = Cli::try_parse_from(["coopdir", "--trusted-proxy", "localhost", "migrate"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an address or CIDR"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "dev = true\ntrusted_proxy = [\"192.0.2.0/24\"]\nmax_connections = 64\nidle_timeout = \"5s\"\n",
        )
        .unwrap();
        let s = Options {
            config: Some(path.clone()),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(s.http.trusted_proxies[0].to_string(), "192.0.2.0/24");
        assert_eq!(s.http.max_connections, 64);
        assert_eq!(s.http.idle_timeout, Duration::from_secs(5));
        std::fs::write(&path, "dev = true\nmax_connections = 0\n").unwrap();
        let err = Options {
            config: Some(path),
            ..Default::default()
        }
        .resolve()
        .unwrap_err();
        assert!(err.0.contains("max_connections must be between"), "{err}");
    }

    #[test]
    fn inbox_limits_come_from_flags_env_and_the_file() {
        let s = Options {
            dev: true,
            ..Default::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(s.inbox, InboxLimits::default());
        assert_eq!(s.inbox.retention, Duration::from_secs(30 * 24 * 3600));
        let cli = Cli::try_parse_from([
            "coopdir",
            "--dev",
            "--inbox-retention",
            "45d",
            "--inbox-requests-per-minute",
            "100",
            "migrate",
        ])
        .unwrap();
        let s = cli.options.resolve().unwrap();
        assert_eq!(s.inbox.retention, Duration::from_secs(45 * 24 * 3600));
        assert_eq!(s.inbox.requests_per_minute, 100);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "dev = true\ninbox_bytes_per_minute = 2097152\n").unwrap();
        let s = Options {
            config: Some(path),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(s.inbox.bytes_per_minute, 2 << 20);
        let short = Options {
            dev: true,
            inbox_retention: Some(Duration::from_secs(3600)),
            ..Default::default()
        }
        .resolve()
        .unwrap_err();
        assert!(short.0.contains("at least 1d"), "{short}");
        let tiny = Options {
            dev: true,
            inbox_bytes_per_minute: Some(1000),
            ..Default::default()
        }
        .resolve()
        .unwrap_err();
        assert!(tiny.0.contains("1048576"), "{tiny}");
    }

    #[test]
    fn probe_interval_zero_turns_probes_off_and_a_zero_timeout_is_refused() {
        let mut o = Options {
            dev: true,
            ..Default::default()
        };
        assert_eq!(
            o.resolve().unwrap().probes,
            ProbeSettings {
                interval: Duration::from_secs(900),
                timeout: Duration::from_secs(10)
            }
        );
        o.probe_interval = Some(humantime::parse_duration("0").unwrap());
        assert!(o.resolve().unwrap().probes.interval.is_zero());
        o.probe_timeout = Some(Duration::ZERO);
        assert!(o.resolve().unwrap_err().0.contains("probe_timeout"));
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
