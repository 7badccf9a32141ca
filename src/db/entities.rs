//! sea-orm entities, one module per table. State and kind columns hold the active enums
//! of [`super::states`]; other columns hold strings and JSON text, which the `directory`
//! module turns into typed values.

/// Length caps of stored strings that come from outside. The inbox refuses an activity
/// with a longer id or URL before anything is written ([`crate::federation::limits`]);
/// remote text is cut to these lengths where it is stored.
pub mod caps {
    /// Bytes of an id or URL: activity, actor and object ids, inboxes, links. 2048 is what
    /// browsers and servers agree on in practice; no fediverse server issues longer ids.
    pub const URL: usize = 2048;
    /// Bytes of any other string inside an incoming activity (before it is cut to the caps
    /// below where it is stored). Larger than any post a fediverse server allows.
    pub const TEXT: usize = 100_000;
    /// Characters of a remote name or username.
    pub const NAME: usize = 100;
    /// Characters of a remote summary, stored as text.
    pub const SUMMARY: usize = 5000;
    /// Characters of a peer's announcement, HTML after sanitizing.
    pub const CONTENT: usize = 20_000;
    /// Bytes of a remote public key in PEM (RSA-8192 is about 1.5 kB).
    pub const PEM: usize = 10_000;
    /// `alsoKnownAs` entries kept of a remote actor.
    pub const ALIASES: usize = 20;
}

pub mod actor {
    use super::super::states::{ActorKind, Moderation, Status};
    use sea_orm::entity::prelude::*;

    /// Every actor the node knows: its own (instance, co-ops, offerings, groups) and remote
    /// ones (followers, peers' listings).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "actor")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub ap_id: String,
        pub kind: ActorKind,
        pub username: String,
        pub domain: String,
        pub name: String,
        pub summary: String,
        pub inbox: String,
        pub shared_inbox: Option<String>,
        pub outbox: Option<String>,
        pub followers: Option<String>,
        pub url: Option<String>,
        pub public_key_pem: String,
        pub private_key_pem: Option<String>,
        pub local: bool,
        pub coop_id: Option<i64>,
        pub attributes: Option<String>,
        pub status: Status,
        pub sunset_end: Option<Date>,
        pub moved_to: Option<String>,
        pub also_known_as: String,
        pub moderation: Moderation,
        pub fetched_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod follow {
    use sea_orm::entity::prelude::*;

    /// A remote actor following one of ours.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "follow")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub actor_id: i64,
        pub follower_ap_id: String,
        pub follower_inbox: String,
        pub follower_shared_inbox: Option<String>,
        pub follow_activity_id: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod following {
    use sea_orm::entity::prelude::*;

    /// One of our actors following a remote one (peering, moves).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "following")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub actor_id: i64,
        pub target_ap_id: String,
        #[sea_orm(unique)]
        pub follow_activity_id: String,
        pub accepted: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod activity {
    use sea_orm::entity::prelude::*;

    /// An activity this node sent, kept for its outbox and for its deliveries.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub ap_id: String,
        pub actor_id: i64,
        pub kind: String,
        pub object_ap_id: Option<String>,
        pub payload: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod delivery {
    use super::super::states::DeliveryState;
    use sea_orm::entity::prelude::*;

    /// One activity to one inbox: the unit of the durable delivery queue.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "delivery")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub activity_id: i64,
        pub inbox: String,
        pub host: String,
        pub state: DeliveryState,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub locked_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub delivered_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod remote_host {
    use sea_orm::entity::prelude::*;

    /// Delivery health of a remote host.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "remote_host")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub host: String,
        pub failure_count: i32,
        pub failing_since: Option<DateTimeUtc>,
        pub unavailable: bool,
        pub last_success_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod announcement {
    use super::super::states::AnnouncementKind;
    use sea_orm::entity::prelude::*;

    /// A post of an offering or co-op, published as a `Note`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "announcement")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub ap_id: String,
        pub actor_id: i64,
        pub kind: AnnouncementKind,
        pub source: String,
        pub content_html: String,
        pub tags: String,
        pub published: DateTimeUtc,
        pub updated: Option<DateTimeUtc>,
        pub deleted: bool,
        /// The language of `source` and `content_html` (the node's default language when
        /// posted); null for announcements older than translations.
        pub language: Option<String>,
        /// The texts in other languages: JSON `{tag: {"source": …, "html": …}}`.
        pub translations: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod received_activity {
    use sea_orm::entity::prelude::*;

    /// Ids of activities already received: one effect per id.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "received_activity")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub ap_id: String,
        pub received_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod account {
    use sea_orm::entity::prelude::*;

    /// A login for the web interface and API: an admin, or staff of one co-op.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub username: String,
        pub password_hash: String,
        pub role: String,
        pub coop_id: Option<i64>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod peer {
    use sea_orm::entity::prelude::*;

    /// Another coopdir node whose directory this node shows.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "peer")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub domain: String,
        pub base_url: String,
        pub instance_ap_id: String,
        pub software: String,
        pub added_at: DateTimeUtc,
        pub synced_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod peer_backlog {
    use sea_orm::entity::prelude::*;

    /// An actor of a peer (co-op or offering) still to be fetched and followed: what one
    /// request's fetch budget did not reach, paged through by scheduled work.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "peer_backlog")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub peer_domain: String,
        #[sea_orm(unique)]
        pub ap_id: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lifecycle_event {
    use sea_orm::entity::prelude::*;

    /// A lifecycle milestone acted on once: a sunset reminder or the closing.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lifecycle_event")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub actor_id: i64,
        pub milestone: String,
        pub due_on: Date,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod domain_block {
    use sea_orm::entity::prelude::*;

    /// A blocked domain (and its subdomains): `reject` refuses every exchange with it,
    /// `hide` only keeps its listings out of the directory.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "domain_block")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub domain: String,
        pub severity: String,
        pub reason: Option<String>,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod domain_allow {
    use sea_orm::entity::prelude::*;

    /// A domain (and its subdomains) this node federates with in allowlist mode.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "domain_allow")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub domain: String,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod moderation_log {
    use sea_orm::entity::prelude::*;

    /// One moderation decision: who did what to which listing or domain, and why.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "moderation_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub actor_id: Option<i64>,
        pub target: String,
        pub action: String,
        pub from_state: Option<String>,
        pub to_state: Option<String>,
        pub moderator: String,
        pub reason: String,
        pub report_id: Option<i64>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod report {
    use sea_orm::entity::prelude::*;

    /// A report about an actor: a `Flag` received from another server, or one filed here.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "report")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub ap_id: Option<String>,
        pub reporter_ap_id: Option<String>,
        pub reporter_domain: Option<String>,
        pub target_actor_id: Option<i64>,
        pub target_ap_id: String,
        /// JSON list of the reported posts' URIs (at most 20).
        pub status_uris: String,
        pub comment: String,
        pub state: String,
        pub resolution: Option<String>,
        pub resolved_by: Option<String>,
        pub resolution_note: Option<String>,
        pub resolved_at: Option<DateTimeUtc>,
        pub forwarded_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod api_token {
    use sea_orm::entity::prelude::*;

    /// An API token of an account; only the SHA-256 of the token is stored.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_token")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub account_id: i64,
        pub name: String,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        pub last_used_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    /// A login session of the web interface. Only the SHA-256 of the cookie's token is
    /// stored, so a copy of the database lets nobody log in.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "session")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub account_id: i64,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod listing_source {
    use sea_orm::entity::prelude::*;

    /// A followed source of an imported listing, re-read on a schedule.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "listing_source")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub url: String,
        pub format: Option<String>,
        pub coop_handle: Option<String>,
        pub etag: Option<String>,
        pub last_modified: Option<String>,
        pub checked_at: Option<DateTimeUtc>,
        pub next_check_at: DateTimeUtc,
        pub last_result: String,
        pub gone: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod transfer_proposal {
    use sea_orm::entity::prelude::*;

    /// A proposal to transfer a co-op or offering to a successor of another co-op, kept
    /// on both sides: `out` where the origin lives, `in` where the successor lives (a
    /// proposal between two co-ops of this node is one `out` row). `offer_ap_id` is the id
    /// of the federated `Offer` (or of the local proposal). `map` is a JSON list of
    /// `[old, new]` actor ids of a co-op's hand-over.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "transfer_proposal")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub offer_ap_id: String,
        pub direction: String,
        pub origin_ap_id: String,
        pub successor_ap_id: String,
        pub origin_name: String,
        pub successor_name: String,
        pub note: String,
        pub map: String,
        pub state: String,
        pub reason: Option<String>,
        pub proposed_by: String,
        pub answered_by: Option<String>,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub answered_at: Option<DateTimeUtc>,
        pub moved_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lifecycle_plan {
    use sea_orm::entity::prelude::*;

    /// What staff add to a sunset or transfer: a migration note for members (shown in the
    /// announcements and on the listing's page) and pinned alternatives (JSON list of
    /// actor ids, named before the ranked ones).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lifecycle_plan")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub actor_id: i64,
        pub note: String,
        pub alternatives: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod reply {
    use sea_orm::entity::prelude::*;

    /// A reply under one of this node's announcements: a member's question received from
    /// the fediverse, or the co-op's answer (`local`). `parent_id` is the top-level reply
    /// it is threaded under; `visibility` is `public`, `unlisted`, `followers` or `direct`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "reply")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub ap_id: String,
        pub announcement_id: i64,
        pub parent_id: Option<i64>,
        pub in_reply_to: String,
        pub actor_id: i64,
        pub local: bool,
        pub content_html: String,
        pub url: Option<String>,
        pub visibility: String,
        pub published: DateTimeUtc,
        pub updated: Option<DateTimeUtc>,
        pub deleted: bool,
        pub hidden: bool,
        pub pinned: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod listing_probe {
    use sea_orm::entity::prelude::*;

    /// A listing's liveness: when its co-op last confirmed its data, when its service is
    /// probed next, and what the last probe found (src/probes.rs).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "listing_probe")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub actor_id: i64,
        pub confirmed_at: Option<DateTimeUtc>,
        /// `None`: not probed (no service URL, or the co-op turned probing off).
        pub next_probe_at: Option<DateTimeUtc>,
        pub checked_at: Option<DateTimeUtc>,
        /// `up`, `down` or `refused` (by the node's SSRF guard or domain policy).
        pub outcome: Option<String>,
        pub latency_ms: Option<i64>,
        pub observed_version: Option<String>,
        pub detail: Option<String>,
        /// Since when every probe found the service down.
        pub down_since: Option<DateTimeUtc>,
        /// When the node's admins were told it stayed down (once per outage).
        pub escalated_at: Option<DateTimeUtc>,
        /// A peer's listing: the liveness its node published (JSON), never probed here.
        pub published: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod probe_result {
    use sea_orm::entity::prelude::*;

    /// One probe's outcome, kept 30 days for uptime.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "probe_result")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub actor_id: i64,
        pub checked_at: DateTimeUtc,
        pub outcome: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod outdated_report {
    use sea_orm::entity::prelude::*;

    /// A member's report that a listing's information is outdated, for its co-op's staff.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outdated_report")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub actor_id: i64,
        pub comment: String,
        /// `open` or `done`.
        pub state: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
