//! Entities of RFC 9421 signatures, Ed25519 keys and Fediscovery registrations
//! (migration `m20261207_000014_fasp_signatures`).

pub mod actor_ed25519_key {
    use sea_orm::entity::prelude::*;

    /// The Ed25519 key of a local actor: PKCS#8 v1 DER in base64, and the public key as
    /// a FEP-521a multibase (`z6Mk…`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "actor_ed25519_key")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub actor_id: i64,
        pub private_key: String,
        pub public_key: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod rfc9421_host {
    use sea_orm::entity::prelude::*;

    /// A host that signed to this node with an RFC 9421 signature that verified.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rfc9421_host")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub host: String,
        pub verified_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod fasp_registration {
    use sea_orm::entity::prelude::*;

    /// This node registered as a FASP with one Fediverse server.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fasp_registration")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// The server's FASP base, e.g. `https://mastodon.example/api/fasp`.
        pub server_base: String,
        /// The id this node gave the server; the `keyid` of its requests.
        #[sea_orm(unique)]
        pub server_id: String,
        /// The id the server gave this node.
        pub fasp_id: String,
        /// The server's Ed25519 public key, base64 of the raw 32 bytes.
        pub server_public_key: String,
        /// This node's Ed25519 key for the registration (PKCS#8 v1 DER, base64); removed
        /// on revocation.
        pub private_key: Option<String>,
        /// This node's public key, base64 of the raw 32 bytes.
        pub public_key: String,
        pub completion_uri: String,
        /// `active` or `revoked`.
        pub status: String,
        /// JSON array of enabled capability ids.
        pub capabilities: String,
        pub registered_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
