//! Fetching remote actors for signature checks, without storing anything until the
//! request they signed has been verified.

use super::{Ctx, actors::ApActor, protocol::ActorJson};
use crate::{db::entities::actor, http::error::AppError};
use activitypub_federation::{fetch::fetch_object_http, traits::Object};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use url::Url;

pub use crate::directory::policy::domain_of;

/// An actor as known to this node: stored, or freshly fetched (not yet stored).
pub enum KnownActor {
    Stored(Arc<actor::Model>),
    Fetched(Box<ActorJson>),
}

impl KnownActor {
    pub fn public_key_pem(&self) -> &str {
        match self {
            KnownActor::Stored(m) => &m.public_key_pem,
            KnownActor::Fetched(j) => &j.public_key.public_key_pem,
        }
    }

    pub fn key_id(&self) -> Option<&str> {
        match self {
            KnownActor::Stored(_) => None,
            KnownActor::Fetched(j) => Some(&j.public_key.id),
        }
    }
}

/// Remote actors whose stored key verified a request lately, by key id, so that the next
/// request they sign needs no statement to find the key. An entry is used while both
/// generations are the ones it was made under and for at most [`VerifiedActors::TTL`]:
/// this cache's moves on when a remote actor is stored again (`Update`, a refetch after a
/// key rotation, any refresh) or deleted, the domain policy's when a rule changes. The
/// signature itself is verified on every request.
#[derive(Default)]
pub struct VerifiedActors {
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Verified>>,
}

struct Verified {
    generation: u64,
    policy_generation: u64,
    at: Instant,
    actor: Arc<actor::Model>,
}

/// The generations an entry is made under: read both before the database.
#[derive(Clone, Copy)]
pub struct Generations {
    own: u64,
    policy: u64,
}

impl VerifiedActors {
    /// The longest an entry is used: changes made by other processes (a `coopdir`
    /// command beside the node) are seen after it.
    pub const TTL: Duration = Duration::from_secs(5);
    /// Entries kept at most; the cache is emptied when it is full.
    const MAX_ENTRIES: usize = 10_000;

    pub fn generations(&self, domain: &crate::directory::Domain) -> Generations {
        Generations {
            own: self.generation.load(Ordering::Acquire),
            policy: domain.policy.generation(),
        }
    }

    /// A remote actor was stored again or deleted: every entry is stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The actor of `key_id`, when an entry is fresh.
    pub fn get(&self, key_id: &str, now: Generations) -> Option<Arc<actor::Model>> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(key_id)?;
        (e.generation == now.own && e.policy_generation == now.policy && e.at.elapsed() < Self::TTL)
            .then(|| e.actor.clone())
    }

    pub fn put(&self, key_id: &str, made_under: Generations, actor: Arc<actor::Model>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(
                key_id.to_string(),
                Verified {
                    generation: made_under.own,
                    policy_generation: made_under.policy,
                    at: Instant::now(),
                    actor,
                },
            );
        }
    }
}

/// The stored actor with this id, if any.
pub async fn stored_actor(ctx: &Ctx, id: &Url) -> Result<Option<actor::Model>, AppError> {
    Ok(actor::Entity::find()
        .filter(actor::Column::ApId.eq(id.as_str()))
        .one(&ctx.db)
        .await?)
}

/// Fetch an actor document from its origin (signed by the instance actor), checked by
/// [`ApActor::verify`], but not stored.
pub async fn fetch_actor(ctx: &Ctx, id: &Url) -> Result<ActorJson, AppError> {
    // Also checked by the federation crate's URL verifier; here it answers 403, not 401.
    super::policy::check(&ctx.db, &ctx.settings, id).await?;
    let res = fetch_object_http::<_, ActorJson>(id, ctx)
        .await
        .map_err(|e| {
            AppError::Unauthorized(format!(
                "cannot fetch the signing actor {id}: {}",
                crate::http::error::error_chain(&e)
            ))
        })?;
    ApActor::verify(&res.object, &res.url, ctx).await?;
    Ok(res.object)
}

/// Store a fetched actor now that it has proved itself. A new actor starts in the
/// moderation state the node's policy gives it (pending approval, hidden or suspended by a
/// domain block). Two first requests of one actor at once store it once: the loser of
/// the race reads the winner's row.
pub async fn remember(ctx: &Ctx, known: KnownActor) -> Result<Arc<actor::Model>, AppError> {
    let json = match known {
        KnownActor::Stored(m) => return Ok(m),
        KnownActor::Fetched(json) => *json,
    };
    store_fetched(ctx, json).await.map(Arc::new)
}

async fn store_fetched(ctx: &Ctx, json: ActorJson) -> Result<actor::Model, AppError> {
    let id = json.id.clone();
    let existing = stored_actor(ctx, &id).await?;
    // Stored moments ago by a concurrent request with the same key: nothing to refresh.
    if let Some(m) = existing
        .as_ref()
        .filter(|m| m.public_key_pem == json.public_key.public_key_pem)
        .filter(|m| {
            m.fetched_at
                .is_some_and(|t| chrono::Utc::now() - t < chrono::Duration::seconds(30))
        })
    {
        return Ok(m.clone());
    }
    let is_new = existing.is_none();
    let stored = match super::actors::store_remote_actor(ctx.app_data(), json).await {
        Ok(m) => m,
        Err(e) => match stored_actor(ctx, &id).await? {
            Some(m) if is_new => m,
            _ => return Err(e),
        },
    };
    if !is_new {
        return Ok(stored);
    }
    let kind = stored.kind;
    let initial =
        crate::directory::moderation::initial_moderation(&ctx.db, &ctx.settings, &id, false, kind)
            .await?;
    if stored.moderation == initial {
        return Ok(stored);
    }
    let mut am: actor::ActiveModel = stored.into();
    am.moderation = sea_orm::Set(initial);
    Ok(sea_orm::ActiveModelTrait::update(am, &ctx.db).await?)
}
