//! The inbox: every incoming activity passes here. Order matters and is the defence:
//! signature present → envelope readable → hosts consistent → domain policy → key owner
//! is the actor → signature verifies → activity id not seen before → handler. Nothing is
//! written before the signature has verified.

use super::{
    Ctx, activities,
    fetch::{self, KnownActor, domain_of},
    policy,
    protocol::Envelope,
    signatures::PendingSignature,
};
use crate::{db::entities::received_activity, error::AppError};
use bytes::Bytes;
use http::{HeaderMap, Method, Uri};
use sea_orm::{EntityTrait, Set, sea_query::OnConflict};
use serde::Deserialize;
use serde_json::Value;

/// Receive one POST to an inbox. Answers 202 on success and for duplicates.
pub async fn receive(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<(), AppError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let pending = PendingSignature::parse(method, path, headers, Some(&body), &ctx.settings.domain)
        .map_err(|e| AppError::Unauthorized(e.to_string()))?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("the body is not a JSON activity: {e}")))?;
    let envelope = Envelope::deserialize(&value)
        .map_err(|e| AppError::BadRequest(format!("the activity needs id, type and actor: {e}")))?;
    let actor_id = envelope.actor.url().clone();
    let actor_domain = domain_of(&actor_id);
    if actor_domain == ctx.settings.domain {
        return Err(AppError::Forbidden(
            "activities from this node's own domain are not accepted from outside".into(),
        ));
    }
    if domain_of(&envelope.id) != actor_domain {
        return Err(AppError::BadRequest(format!(
            "the activity id {} is not on the actor's host {actor_domain}",
            envelope.id
        )));
    }
    if !matches!(actor_id.scheme(), "https" | "http")
        || (actor_id.scheme() == "http" && !ctx.settings.dev)
    {
        return Err(AppError::BadRequest("actor ids must be https URLs".into()));
    }

    let key_id = pending.key_id().to_string();
    let owner = pending
        .key_owner()
        .map_err(|e| AppError::Unauthorized(e.to_string()))?;
    // Domain policy before any key is looked up or fetched: a blocked (or, in allowlist
    // mode, unlisted) domain gets 403 and costs no request and no row.
    policy::check(&ctx.db, &ctx.settings, &actor_id).await?;
    if domain_of(&owner) != actor_domain {
        policy::check(&ctx.db, &ctx.settings, &owner).await?;
    }
    // The common case: keyId is `ACTOR#main-key`. Otherwise the actor's own document must
    // name that key.
    let known = match fetch::stored_actor(ctx, &actor_id).await? {
        Some(m) if owner == actor_id => KnownActor::Stored(Box::new(m)),
        _ => {
            if domain_of(&owner) != actor_domain {
                return Err(AppError::Unauthorized(format!(
                    "the request is signed with a key of {owner}, but the activity claims to be from {actor_id}"
                )));
            }
            let json = fetch::fetch_actor(ctx, &actor_id).await?;
            if json.public_key.id != key_id && owner != actor_id {
                return Err(AppError::Unauthorized(format!(
                    "the signing key {key_id} does not belong to {actor_id}"
                )));
            }
            KnownActor::Fetched(Box::new(json))
        }
    };
    let known = if pending.verify(known.public_key_pem()) {
        known
    } else if matches!(known, KnownActor::Stored(_)) {
        // The actor may have rotated its key: fetch it once more, as Mastodon does.
        let json = fetch::fetch_actor(ctx, &actor_id).await?;
        if !pending.verify(&json.public_key.public_key_pem) {
            return Err(AppError::Unauthorized(format!(
                "the signature does not verify with the key of {actor_id}"
            )));
        }
        KnownActor::Fetched(Box::new(json))
    } else {
        return Err(AppError::Unauthorized(format!(
            "the signature does not verify with the key of {actor_id}"
        )));
    };
    if let Some(kid) = known.key_id()
        && kid != key_id
        && owner != actor_id
    {
        return Err(AppError::Unauthorized(
            "the signing key is not the actor's key".into(),
        ));
    }
    let actor = fetch::remember(ctx, known).await?;

    // One effect per activity id, even for concurrent duplicates.
    if !record_once(ctx, envelope.id.as_str()).await? {
        tracing::debug!(id = %envelope.id, "duplicate activity ignored");
        return Ok(());
    }
    let result = activities::handle(ctx, &actor, &envelope.kind, value).await;
    if result.is_err() {
        // Let the sender retry an activity whose effect failed.
        let _ = received_activity::Entity::delete_by_id(envelope.id.to_string())
            .exec(&ctx.db)
            .await;
    }
    result
}

/// Record an activity id; false when it was recorded before. A read comes first so that
/// a storm of duplicates costs no write (SQLite has one writer at a time).
pub async fn record_once(ctx: &Ctx, ap_id: &str) -> Result<bool, AppError> {
    if received_activity::Entity::find_by_id(ap_id.to_string())
        .one(&ctx.db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let res = received_activity::Entity::insert(received_activity::ActiveModel {
        ap_id: Set(ap_id.to_string()),
        received_at: Set(chrono::Utc::now()),
    })
    .on_conflict(
        OnConflict::column(received_activity::Column::ApId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&ctx.db)
    .await?;
    Ok(res > 0)
}
