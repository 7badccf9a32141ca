//! The directory: co-ops, offerings and their listings, announcements, lifecycle. Web
//! pages, the JSON API, the CLI and incoming activities all call these functions, so every
//! path runs the same validation.

pub mod accounts;
pub mod admin_views;
pub mod alternatives;
pub mod announcements;
pub mod ask;
pub mod browse;
pub mod context;
pub mod effects;
pub mod follows;
pub mod interchange;
pub mod keys;
pub mod lifecycle;
pub mod listing;
pub mod liveness;
pub mod moderation;
pub mod node;
pub mod notes;
pub mod policy;
pub mod published;
pub mod query;
pub mod records;
pub mod remote;
pub mod replies;
pub mod search;
pub mod sessions;
pub mod staff_views;
pub mod transfers;
pub mod types;

use crate::db::BeginWrite;
use crate::{
    crypto::{KeyPairPem, generate_keypair},
    db::entities::{actor, follow},
};
use chrono::Utc;
pub use context::{Clock, Domain};
use effects::Effect;
use listing::{CoopSpec, ListingDocument, OfferingSpec};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use types::{ActorKind, Moderation, Status, Username};
use url::Url;

/// The message of a refusal: a Fluent id and its arguments (see [`crate::i18n::Msg`]).
pub use crate::i18n::Msg;

/// The username of the instance actor, which is also the directory actor members mention.
pub const INSTANCE_USERNAME: &str = "directory";

/// What can go wrong in the domain, each with a message a person can act on. The HTTP
/// layer maps each outcome to a status (src/http/error.rs); nothing maps back.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input is refused; the message says why.
    #[error("{0}")]
    Invalid(Msg),
    /// One field of a form or document is refused.
    #[error("{0}")]
    InvalidField(Invalid),
    #[error("{0}")]
    NotFound(Msg),
    #[error("{0}")]
    Conflict(Msg),
    /// The caller is not who it must be (e.g. a signature did not verify).
    #[error("{0}")]
    Unauthorized(Msg),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(Msg),
    /// The thing existed and was removed.
    #[error("{0}")]
    Gone(Msg),
    /// Too many requests; retry after the given seconds.
    #[error("{0}")]
    RateLimited(Msg, u64),
    /// Another server failed or answered what cannot be used.
    #[error("{0}")]
    Upstream(Msg),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Other(anyhow::Error),
}

/// A refused field: its name in the form or document, and why.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub field: String,
    pub message: Msg,
}

impl DomainError {
    /// Refused input, with no field named.
    pub fn invalid(message: impl Into<Msg>) -> Self {
        DomainError::Invalid(message.into())
    }

    /// A refused field.
    pub fn field(field: impl Into<String>, message: impl Into<Msg>) -> Self {
        DomainError::InvalidField(Invalid {
            field: field.into(),
            message: message.into(),
        })
    }

    /// The field a refusal names, if any.
    pub fn field_name(&self) -> Option<&str> {
        match self {
            DomainError::InvalidField(i) => Some(&i.field),
            _ => None,
        }
    }
}

impl From<anyhow::Error> for DomainError {
    fn from(e: anyhow::Error) -> Self {
        DomainError::Other(e)
    }
}

pub type DomainResult<T> = Result<T, DomainError>;

/// The typed attributes of a stored offering.
pub fn offering_spec(a: &actor::Model) -> DomainResult<OfferingSpec> {
    serde_json::from_str(a.attributes.as_deref().unwrap_or("null"))
        .map_err(|e| DomainError::Other(anyhow::anyhow!("offering {} attributes: {e}", a.ap_id)))
}

/// The typed attributes of a stored co-op.
pub fn coop_spec(a: &actor::Model) -> DomainResult<CoopSpec> {
    serde_json::from_str(a.attributes.as_deref().unwrap_or("null"))
        .map_err(|e| DomainError::Other(anyhow::anyhow!("co-op {} attributes: {e}", a.ap_id)))
}

/// The instance actor (`Application`), created with its key pair on first use.
pub async fn instance_actor(
    db: &DatabaseConnection,
    state: &Domain,
) -> anyhow::Result<actor::Model> {
    let summary = format!(
        "The directory of co-operative service providers at {}. Mention it with what you look for, \
         e.g. \"bigbluebutton german recording\", or \"alternatives to @name@host\".",
        state.settings.domain
    );
    system_actor(
        db,
        state,
        INSTANCE_USERNAME,
        ActorKind::Instance,
        &state.settings.node_name,
        &summary,
    )
    .await
}

/// The username of the category group of video conferencing (FEP-1b12).
pub const VIDEO_GROUP_USERNAME: &str = "videoconferencing";

/// The category group (`Group`, FEP-1b12) that boosts every announcement of the node's
/// video conferencing offerings, so one follow covers the field.
pub async fn video_group(db: &DatabaseConnection, state: &Domain) -> anyhow::Result<actor::Model> {
    let summary = format!(
        "Follow this group to get every announcement of the video conferencing providers listed at {}.",
        state.settings.domain
    );
    system_actor(
        db,
        state,
        VIDEO_GROUP_USERNAME,
        ActorKind::Group,
        "Video conferencing",
        &summary,
    )
    .await
}

/// An actor of the node itself, created with its key pair on first use.
async fn system_actor(
    db: &DatabaseConnection,
    state: &Domain,
    username: &str,
    kind: ActorKind,
    name: &str,
    summary: &str,
) -> anyhow::Result<actor::Model> {
    if let Some(a) = find_local(db, username).await? {
        if a.kind != kind {
            anyhow::bail!(
                "the handle '{username}' is reserved for the node's {}, but a {} uses it; rename that listing",
                kind.label(),
                a.kind
            );
        }
        return Ok(a);
    }
    let keys = tokio::task::spawn_blocking(generate_keypair).await??;
    let now = Utc::now();
    let ap_id = state.actor_url(username);
    let model = actor::ActiveModel {
        ap_id: Set(ap_id.to_string()),
        kind: Set(kind),
        username: Set(username.into()),
        domain: Set(state.settings.domain.clone()),
        name: Set(name.to_string()),
        summary: Set(summary.to_string()),
        inbox: Set(format!("{ap_id}/inbox")),
        shared_inbox: Set(Some(state.url("/inbox").to_string())),
        outbox: Set(Some(format!("{ap_id}/outbox"))),
        followers: Set(Some(format!("{ap_id}/followers"))),
        url: Set(Some(ap_id.to_string())),
        public_key_pem: Set(keys.public_pem),
        private_key_pem: Set(Some(keys.private_pem)),
        local: Set(true),
        coop_id: Set(None),
        attributes: Set(None),
        status: Set(Status::Active),
        sunset_end: Set(None),
        moved_to: Set(None),
        also_known_as: Set("[]".into()),
        moderation: Set(Moderation::Approved),
        fetched_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    // Two processes starting at once: the loser finds the winner's row.
    match model.insert(db).await {
        Ok(m) => Ok(m),
        Err(e) => find_local(db, username).await?.ok_or_else(|| e.into()),
    }
}

/// A local actor by username.
pub async fn find_local<C: ConnectionTrait>(
    db: &C,
    username: &str,
) -> Result<Option<actor::Model>, sea_orm::DbErr> {
    actor::Entity::find()
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Username.eq(username))
        .one(db)
        .await
}

/// A local actor by its id URL.
pub async fn local_actor_by_url<C: ConnectionTrait>(
    db: &C,
    url: &Url,
) -> Result<Option<actor::Model>, sea_orm::DbErr> {
    actor::Entity::find()
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::ApId.eq(url.as_str()))
        .one(db)
        .await
}

/// `name@domain` (with an optional leading `@` or `acct:`) of an actor on this node.
pub fn parse_local_handle(handle: &str, domain: &str) -> DomainResult<Username> {
    let h = handle
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    let (name, host) = match h.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (h, None),
    };
    if let Some(host) = host
        && !host.eq_ignore_ascii_case(domain)
    {
        return Err(DomainError::Invalid(crate::msg!(
            "error-handle-elsewhere",
            handle = handle,
            domain = domain
        )));
    }
    name.parse::<Username>().map_err(DomainError::Invalid)
}

/// A local co-op or offering by handle, with a clear error when there is none.
pub async fn local_by_handle<C: ConnectionTrait>(
    db: &C,
    handle: &str,
    domain: &str,
) -> DomainResult<actor::Model> {
    let name = parse_local_handle(handle, domain)?;
    match find_local(db, name.as_str()).await? {
        Some(a) if a.moderation == Moderation::Removed => Err(DomainError::NotFound(crate::msg!(
            "error-handle-removed",
            handle = format!("{name}@{domain}")
        ))),
        Some(a) if a.kind == ActorKind::Offering || a.kind == ActorKind::Coop => Ok(a),
        _ => Err(DomainError::NotFound(crate::msg!(
            "error-handle-unknown",
            handle = format!("{name}@{domain}")
        ))),
    }
}

/// What an import changed.
#[derive(Debug, Default, serde::Serialize)]
pub struct ImportReport {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
}

/// Import one listing document: create or update the co-op and its offerings. Idempotent;
/// a changed actor sends `Update` to its followers in the same transaction.
pub async fn import(state: &Domain, doc: &ListingDocument) -> DomainResult<ImportReport> {
    let domain = &state.settings.domain;
    // Keys are made before the transaction: RSA generation is slow and must not hold the
    // write lock. A few are made at once, in parallel; a large import stores its new actors
    // without keys, made before each is first served (keys.rs). Existing actors still
    // waiting for theirs get them now, since an Update carries the key.
    let names: Vec<&str> = std::iter::once(doc.coop.handle.as_str())
        .chain(doc.offerings.iter().map(|o| o.handle.as_str()))
        .collect();
    let existing = actor::Entity::find()
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Username.is_in(names.iter().copied()))
        .all(&state.db)
        .await?;
    for a in existing.iter().filter(|a| keys::missing(a)) {
        keys::ensure(&state.db, a).await?;
    }
    let missing = names.len().saturating_sub(existing.len());
    let mut keys = if missing <= keys::INLINE_KEYS {
        keys::generate(missing).await?
    } else {
        Vec::new()
    };

    let txn = state.db.begin_write().await?;
    let mut report = ImportReport::default();
    let coop_attrs = serde_json::to_string(&doc.coop).map_err(anyhow::Error::from)?;
    let coop = upsert_actor(
        &txn,
        state,
        Upsert {
            kind: ActorKind::Coop,
            username: &doc.coop.handle,
            name: doc.coop.name.as_str(),
            summary: doc.coop.summary.as_str(),
            attributes: coop_attrs,
            coop_id: None,
            also_known_as: vec![],
        },
        &mut keys,
        &mut report,
    )
    .await?;
    for o in &doc.offerings {
        if let Some(existing) = find_local(&txn, o.handle.as_str()).await?
            && existing.coop_id != Some(coop.id)
        {
            return Err(DomainError::Conflict(crate::msg!(
                "error-handle-other-coop",
                handle = format!("{}@{domain}", o.handle)
            )));
        }
        let attrs = serde_json::to_string(o).map_err(anyhow::Error::from)?;
        let model = upsert_actor(
            &txn,
            state,
            Upsert {
                kind: ActorKind::Offering,
                username: &o.handle,
                name: o.name.as_str(),
                summary: o.summary.as_str(),
                attributes: attrs,
                coop_id: Some(coop.id),
                also_known_as: o.also_known_as.iter().map(|u| u.0.to_string()).collect(),
            },
            &mut keys,
            &mut report,
        )
        .await?;
        // A changed listing (perhaps its service address) is probed again at once.
        let changed = report.unchanged.last() != Some(&format!("{}@{domain}", o.handle));
        liveness::confirm(
            &txn,
            model.id,
            o.service_url.is_some() && o.probe,
            changed,
            state.clock.now(),
        )
        .await?;
    }
    if !report.created.is_empty() {
        // Peers follow the instance actor and the co-op: an Update makes them read the
        // `featured` collections again and follow what is new.
        let instance = instance_actor(&state.db, state).await?;
        state
            .effects
            .record(&txn, Effect::ListingChanged(instance))
            .await?;
        if !report
            .created
            .iter()
            .any(|h| h.starts_with(&format!("{}@", doc.coop.handle)))
        {
            state
                .effects
                .record(&txn, Effect::ListingChanged(coop.clone()))
                .await?;
        }
    }
    txn.commit().await?;
    state.effects.committed();
    Ok(report)
}

struct Upsert<'a> {
    kind: ActorKind,
    username: &'a Username,
    name: &'a str,
    summary: &'a str,
    attributes: String,
    coop_id: Option<i64>,
    also_known_as: Vec<String>,
}

async fn upsert_actor(
    db: &DatabaseTransaction,
    state: &Domain,
    u: Upsert<'_>,
    keys: &mut Vec<KeyPairPem>,
    report: &mut ImportReport,
) -> DomainResult<actor::Model> {
    let now = Utc::now();
    let handle = format!("{}@{}", u.username, state.settings.domain);
    let ap_id = state.actor_url(u.username.as_str());
    // Aliases: those the document names, and local offerings transferred to this one.
    let mut aka = u.also_known_as.clone();
    for moved in actor::Entity::find()
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::MovedTo.eq(ap_id.as_str()))
        .all(db)
        .await?
    {
        if !aka.contains(&moved.ap_id) {
            aka.push(moved.ap_id);
        }
    }
    let aka = serde_json::to_string(&aka).map_err(anyhow::Error::from)?;
    match find_local(db, u.username.as_str()).await? {
        Some(existing) => {
            if existing.kind != u.kind {
                return Err(DomainError::Conflict(crate::msg!(
                    "error-handle-taken",
                    handle = &handle,
                    kind = existing.kind.as_str()
                )));
            }
            if existing.moderation == Moderation::Removed {
                return Err(DomainError::Conflict(crate::msg!(
                    "error-handle-retired",
                    handle = &handle
                )));
            }
            let unchanged = existing.name == u.name
                && existing.summary == u.summary
                && existing.attributes.as_deref() == Some(u.attributes.as_str())
                && existing.coop_id == u.coop_id
                && existing.also_known_as == aka;
            if unchanged {
                report.unchanged.push(handle);
                return Ok(existing);
            }
            let mut am: actor::ActiveModel = existing.into();
            am.name = Set(u.name.to_string());
            am.summary = Set(u.summary.to_string());
            am.attributes = Set(Some(u.attributes));
            am.coop_id = Set(u.coop_id);
            am.also_known_as = Set(aka);
            am.updated_at = Set(now);
            let model = am.update(db).await?;
            state
                .effects
                .record(db, Effect::ListingChanged(model.clone()))
                .await?;
            report.updated.push(handle);
            search::reindex(db, model.id).await?;
            Ok(model)
        }
        None => {
            // No key prepared: a large import; made before the actor is first served.
            let key = keys.pop().unwrap_or(KeyPairPem {
                private_pem: String::new(),
                public_pem: String::new(),
            });
            let private_key = (!key.private_pem.is_empty()).then_some(key.private_pem);
            let ap_id = state.actor_url(u.username.as_str());
            let model = actor::ActiveModel {
                ap_id: Set(ap_id.to_string()),
                kind: Set(u.kind),
                username: Set(u.username.to_string()),
                domain: Set(state.settings.domain.clone()),
                name: Set(u.name.to_string()),
                summary: Set(u.summary.to_string()),
                inbox: Set(format!("{ap_id}/inbox")),
                shared_inbox: Set(Some(state.url("/inbox").to_string())),
                outbox: Set(Some(format!("{ap_id}/outbox"))),
                followers: Set(Some(format!("{ap_id}/followers"))),
                url: Set(Some(ap_id.to_string())),
                public_key_pem: Set(key.public_pem),
                private_key_pem: Set(private_key),
                local: Set(true),
                coop_id: Set(u.coop_id),
                attributes: Set(Some(u.attributes)),
                status: Set(Status::Active),
                sunset_end: Set(None),
                moved_to: Set(None),
                also_known_as: Set(aka),
                moderation: Set(moderation::initial_moderation(
                    db,
                    &state.settings,
                    &ap_id,
                    true,
                    u.kind,
                )
                .await?),
                fetched_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            report.created.push(handle);
            search::reindex(db, model.id).await?;
            Ok(model)
        }
    }
}

/// The listed local co-ops, oldest first.
pub async fn local_coops<C: ConnectionTrait>(db: &C) -> Result<Vec<actor::Model>, sea_orm::DbErr> {
    actor::Entity::find()
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Kind.eq(ActorKind::Coop))
        .filter(actor::Column::Moderation.eq(Moderation::Approved))
        .order_by_asc(actor::Column::Id)
        .all(db)
        .await
}

/// Remove a local co-op or offering: followers get `Delete`, the actor's URL answers 410
/// Gone, and it leaves the directory. Its key is kept to sign the deliveries. A co-op's
/// offerings are removed with it.
pub async fn remove(state: &Domain, target: &actor::Model) -> DomainResult<Vec<String>> {
    let mut targets = vec![target.clone()];
    if target.kind == ActorKind::Coop {
        targets.extend(coop_offerings(&state.db, target.id).await?);
    }
    let txn = state.db.begin_write().await?;
    let mut removed = Vec::new();
    for t in targets.into_iter().rev() {
        if t.moderation == Moderation::Removed {
            continue;
        }
        state
            .effects
            .record(&txn, Effect::ListingRemoved(t.clone()))
            .await?;
        let mut am: actor::ActiveModel = t.clone().into();
        am.moderation = Set(Moderation::Removed);
        am.updated_at = Set(Utc::now());
        am.update(&txn).await?;
        removed.push(format!("{}@{}", t.username, t.domain));
    }
    txn.commit().await?;
    state.effects.committed();
    Ok(removed)
}

/// Number of followers of a local actor.
pub async fn follower_count<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> Result<u64, sea_orm::DbErr> {
    follow::Entity::find()
        .filter(follow::Column::ActorId.eq(actor_id))
        .count(db)
        .await
}

/// The offerings of a co-op, oldest first.
pub async fn coop_offerings<C: ConnectionTrait>(
    db: &C,
    coop_id: i64,
) -> Result<Vec<actor::Model>, sea_orm::DbErr> {
    actor::Entity::find()
        .filter(actor::Column::CoopId.eq(coop_id))
        .filter(actor::Column::Kind.eq(ActorKind::Offering))
        .order_by_asc(actor::Column::Id)
        .all(db)
        .await
}

pub use search::{OfferingItem, OfferingQuery, PAGE_SIZE, list_offerings};

/// Change the attributes of a local offering (the web interface's edit form): the same
/// checks and effects as re-importing its listing document, so followers get an `Update`
/// and the search index follows, in one transaction. The handle cannot change (it is the
/// actor id); the offering stays with its co-op.
pub async fn update_offering(
    state: &Domain,
    offering: &actor::Model,
    spec: &OfferingSpec,
) -> DomainResult<ImportReport> {
    if offering.kind != ActorKind::Offering || !offering.local {
        return Err(DomainError::Invalid(crate::msg!(
            "error-not-local-offering",
            id = &offering.ap_id
        )));
    }
    if offering.moderation == Moderation::Removed {
        return Err(DomainError::Invalid(crate::msg!(
            "error-offering-removed",
            id = &offering.ap_id
        )));
    }
    if spec.handle.as_str() != offering.username {
        return Err(DomainError::Invalid(crate::msg!(
            "error-handle-fixed",
            id = &offering.ap_id
        )));
    }
    let attributes = serde_json::to_string(spec).map_err(anyhow::Error::from)?;
    let txn = state.db.begin_write().await?;
    let mut report = ImportReport::default();
    let model = upsert_actor(
        &txn,
        state,
        Upsert {
            kind: ActorKind::Offering,
            username: &spec.handle,
            name: spec.name.as_str(),
            summary: spec.summary.as_str(),
            attributes,
            coop_id: offering.coop_id,
            also_known_as: spec.also_known_as.iter().map(|u| u.0.to_string()).collect(),
        },
        &mut Vec::new(),
        &mut report,
    )
    .await?;
    liveness::confirm(
        &txn,
        model.id,
        spec.service_url.is_some() && spec.probe,
        report.unchanged.is_empty(),
        state.clock.now(),
    )
    .await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(report)
}

/// Give the instance actor the node's new name and send its `Update` to followers.
pub async fn rename_instance(
    state: &Domain,
    instance: actor::Model,
    name: &str,
) -> DomainResult<()> {
    let txn = state.db.begin_write().await?;
    let mut am: actor::ActiveModel = instance.into();
    am.name = Set(name.to_string());
    am.updated_at = Set(Utc::now());
    let renamed = am.update(&txn).await?;
    state
        .effects
        .record(&txn, Effect::ListingChanged(renamed.clone()))
        .await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(())
}

#[cfg(test)]
mod layering {
    /// The domain sits below the protocol and the web: no file under src/directory names
    /// the federation layer, the HTTP layer or its error type, the web framework or the federation
    /// crate. (Their words in this test are split so that it does not find itself.)
    #[test]
    fn the_domain_imports_neither_federation_nor_http() {
        let forbidden = [
            ["crate::", "federation"].concat(),
            ["crate::", "http"].concat(),
            ["crate::", "error"].concat(),
            ["ax", "um"].concat(),
            ["activitypub", "_federation"].concat(),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/directory");
        let mut found = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    for word in &forbidden {
                        if line.contains(word.as_str()) {
                            found.push(format!("{}:{}: {word}", path.display(), n + 1));
                        }
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "src/directory must not depend on the layers above it:\n{}",
            found.join("\n")
        );
    }
}
