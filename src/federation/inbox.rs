//! The inbox: every incoming activity passes here. Order matters and is the defence:
//! signature present, signed for this node's host → the host's quota not used up →
//! envelope readable, every id and text within its cap → hosts consistent → domain policy
//! (from the rules in memory) → key owner is the actor (its key kept in memory after it
//! verified, see [`fetch::VerifiedActors`]) → signature verifies → the host's quota
//! charged → activity read as its type and checked → activity id not seen before (a
//! `Create` records it in the same write as its effect) → handler. Nothing is written
//! before the signature has verified, and nothing oversized is written at all. One fetch
//! budget covers the whole request.

use super::{
    Ctx, activities,
    fetch::{self, KnownActor, domain_of},
    integrity, limits, policy,
    protocol::Envelope,
    rfc9421,
    signatures::{PendingSignature, SignatureError},
};
use crate::{db::entities::received_activity, federation::error::InboxError};
use bytes::Bytes;
use http::{HeaderMap, Method, Uri};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{OnConflict, Query},
};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// Receive one POST to an inbox. Answers 202 on success and for duplicates.
pub async fn receive(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<(), InboxError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let pending = Incoming::parse(ctx, method, path, headers, &body)
        .map_err(|e| InboxError::Unauthorized(e.to_string()))?;
    let owner = pending
        .key_owner()
        .map_err(|e| InboxError::Unauthorized(e.to_string()))?;
    // A host over its quota is refused before any parsing, key lookup or verification.
    let quota_host = domain_of(&owner);
    let limits = &ctx.settings.inbox;
    if let Some(wait) = ctx
        .inbox_quota
        .exhausted(&quota_host, ctx.clock.now(), limits)
    {
        return Err(limits::too_many(&quota_host, limits, wait));
    }
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| InboxError::Malformed(format!("the body is not a JSON activity: {e}")))?;
    limits::check_caps(&value)?;
    let envelope = Envelope::deserialize(&value).map_err(|e| {
        InboxError::Malformed(format!("the activity needs id, type and actor: {e}"))
    })?;
    let actor_id = envelope.actor.url().clone();
    let actor_domain = domain_of(&actor_id);
    if actor_domain == ctx.settings.domain {
        return Err(InboxError::Forbidden(
            "activities from this node's own domain are not accepted from outside".into(),
        ));
    }
    if domain_of(&envelope.id) != actor_domain {
        return Err(InboxError::Malformed(format!(
            "the activity id {} is not on the actor's host {actor_domain}",
            envelope.id
        )));
    }
    if !matches!(actor_id.scheme(), "https" | "http")
        || (actor_id.scheme() == "http" && !ctx.settings.dev)
    {
        return Err(InboxError::Malformed("actor ids must be https URLs".into()));
    }

    let key_id = pending.key_id().to_string();
    // Domain policy before any key is looked up or fetched: a blocked (or, in allowlist
    // mode, unlisted) domain gets 403 and costs no request and no row. The rules are held
    // in memory under a generation that every change of a rule moves on.
    policy::check_cached(ctx, &actor_id).await?;
    if domain_of(&owner) != actor_domain {
        policy::check_cached(ctx, &owner).await?;
    }
    // The common case: keyId is `ACTOR#main-key`, of an actor stored here (and, lately,
    // verified: then its key is at hand without a statement). Otherwise the actor's own
    // document must name that key.
    let generations = ctx.verified.generations(ctx);
    let cached = (owner == actor_id)
        .then(|| ctx.verified.get(&key_id, generations))
        .flatten()
        .filter(|m| m.ap_id == actor_id.as_str());
    let stored = match cached {
        Some(m) => Some(m),
        None if owner == actor_id => fetch::stored_actor(ctx, &actor_id).await?.map(Arc::new),
        None => None,
    };
    let known = match stored {
        Some(m) => KnownActor::Stored(m),
        None => {
            if domain_of(&owner) != actor_domain {
                return Err(InboxError::Unauthorized(format!(
                    "the request is signed with a key of {owner}, but the activity claims to be from {actor_id}"
                )));
            }
            let json = fetch::fetch_actor(ctx, &actor_id).await?;
            if json.public_key.id != key_id && owner != actor_id {
                return Err(InboxError::Unauthorized(format!(
                    "the signing key {key_id} does not belong to {actor_id}"
                )));
            }
            KnownActor::Fetched(Box::new(json))
        }
    };
    let known = if pending.verify(known.public_key_pem(), assertion_of(&known)) {
        known
    } else if matches!(known, KnownActor::Stored(_)) {
        // The actor may have rotated its key: fetch it once more, as Mastodon does.
        let json = fetch::fetch_actor(ctx, &actor_id).await?;
        if !pending.verify(&json.public_key.public_key_pem, &json.assertion_method) {
            return Err(InboxError::Unauthorized(format!(
                "the signature does not verify with the key of {actor_id}"
            )));
        }
        KnownActor::Fetched(Box::new(json))
    } else {
        return Err(InboxError::Unauthorized(format!(
            "the signature does not verify with the key of {actor_id}"
        )));
    };
    if let Some(kid) = known.key_id()
        && kid != key_id
        && owner != actor_id
    {
        return Err(InboxError::Unauthorized(
            "the signing key is not the actor's key".into(),
        ));
    }
    if let Incoming::Rfc9421(_) = &pending {
        // The host signs RFC 9421 and this node verified it: deliveries to it may be
        // signed the same way from now on.
        super::queue::remember_rfc9421(ctx.app_data(), &actor_domain).await;
    }
    // Only a verified request counts against its host's quota, so nobody can spend
    // another host's quota with requests signed in its name.
    let bytes = u64::try_from(body.len()).unwrap_or(u64::MAX);
    if let Err(wait) = ctx
        .inbox_quota
        .charge(&quota_host, bytes, ctx.clock.now(), limits)
    {
        return Err(limits::too_many(&quota_host, limits, wait));
    }
    // A FEP-8b32 proof is checked when the actor's key for it is at hand (its document
    // was fetched for this request); one that names the actor's key and does not verify
    // is refused.
    if let (Some(proof), KnownActor::Fetched(json)) = (integrity::proof_of(&value), &known)
        && let Some(key) = json
            .assertion_method
            .iter()
            .find(|k| k["id"].as_str() == Some(proof.verification_method.as_str()))
            .and_then(|k| k["publicKeyMultibase"].as_str())
            .and_then(integrity::parse_multikey)
        && !integrity::verify_proof(&value, &key)
    {
        return Err(InboxError::Unauthorized(format!(
            "the integrity proof by {} does not verify",
            proof.verification_method
        )));
    }
    let fetched = matches!(known, KnownActor::Fetched(_));
    let actor = fetch::remember(ctx, known).await?;
    if owner == actor_id {
        // A stored actor is kept under the generations read before it was read; one just
        // stored (which moved the cache's generation on) under those of now.
        let made_under = if fetched {
            ctx.verified.generations(ctx)
        } else {
            generations
        };
        ctx.verified.put(&key_id, made_under, actor.clone());
    }
    let activity = activities::Incoming::parse_as(&envelope.kind, value)?;
    activity.verify(&actor, &ctx.settings.domain)?;
    if activity.records_itself() {
        // It records its id in the same write as its effect (or alone, when it has none).
        return activity.receive(ctx, &actor).await;
    }
    // One effect per activity id, even for concurrent duplicates.
    if !record_once(&ctx.db, envelope.id.as_str(), ctx.clock.now()).await? {
        tracing::debug!(id = %envelope.id, "duplicate activity ignored");
        return Ok(());
    }
    if matches!(activity, activities::Incoming::Unhandled) {
        tracing::debug!(kind = %envelope.kind, actor = %actor.ap_id, "activity type without handler; accepted");
        return Ok(());
    }
    let result = activity.receive(ctx, &actor).await;
    if result.is_err() {
        // Let the sender retry an activity whose effect failed.
        let _ = received_activity::Entity::delete_by_id(envelope.id.to_string())
            .exec(&ctx.db)
            .await;
    }
    result
}

/// The signature of an incoming request: RFC 9421 when it has a `Signature-Input`,
/// draft-cavage otherwise. Both are checked before anything else is read.
enum Incoming {
    Cavage(PendingSignature),
    Rfc9421(rfc9421::Pending),
}

impl Incoming {
    fn parse(
        ctx: &Ctx,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Self, SignatureError> {
        if !headers.contains_key("signature-input") {
            return PendingSignature::parse(
                method,
                path,
                headers,
                Some(body),
                &ctx.settings.domain,
            )
            .map(Incoming::Cavage);
        }
        let msg = rfc9421::Message {
            method: method.as_str(),
            scheme: ctx.settings.public_url.scheme(),
            authority: &ctx.settings.domain,
            request_target: path,
            headers,
            status: None,
        };
        rfc9421::parse(&msg, Some(body), &rfc9421::INBOX_POLICY).map(Incoming::Rfc9421)
    }

    fn key_id(&self) -> &str {
        match self {
            Incoming::Cavage(p) => p.key_id(),
            Incoming::Rfc9421(p) => p.key_id.as_deref().unwrap_or_default(),
        }
    }

    /// The actor that owns the key: the key id without its fragment.
    fn key_owner(&self) -> Result<url::Url, SignatureError> {
        match self {
            Incoming::Cavage(p) => p.key_owner(),
            Incoming::Rfc9421(p) => {
                let kid = p.key_id.as_deref().unwrap_or_default();
                let mut url = url::Url::parse(kid).map_err(|_| {
                    SignatureError::Malformed(format!("keyid '{kid}' is not a URL"))
                })?;
                url.set_fragment(None);
                Ok(url)
            }
        }
    }

    /// Verify with the actor's RSA key, or, for an RFC 9421 signature whose `keyid` is
    /// an Ed25519 `Multikey` of the actor's `assertionMethod` (FEP-521a), with that key.
    fn verify(&self, public_pem: &str, assertion: &[Value]) -> bool {
        match self {
            Incoming::Cavage(p) => p.verify(public_pem),
            Incoming::Rfc9421(p) => {
                let kid = p.key_id.as_deref().unwrap_or_default();
                let multikey = assertion
                    .iter()
                    .find(|k| k["id"].as_str() == Some(kid))
                    .and_then(|k| k["publicKeyMultibase"].as_str())
                    .and_then(integrity::parse_multikey);
                match multikey {
                    Some(raw) => p.verify(&rfc9421::PublicKey::Ed25519(&raw)),
                    None => p.verify_rsa_pem(public_pem),
                }
            }
        }
    }
}

/// The `assertionMethod` keys of an actor, when its document is at hand (stored actors
/// keep only their RSA key: an Ed25519 signature makes the node fetch the document).
fn assertion_of(k: &KnownActor) -> &[Value] {
    match k {
        KnownActor::Fetched(json) => &json.assertion_method,
        KnownActor::Stored(_) => &[],
    }
}

/// Record an activity id; false when it was recorded before. One statement (`INSERT … ON
/// CONFLICT DO NOTHING RETURNING`): the id comes back only when this call inserted it, so
/// concurrent duplicates record it once. Run in the transaction of an effect, the id is
/// recorded with the effect or not at all.
pub async fn record_once<C: ConnectionTrait>(
    db: &C,
    ap_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, sea_orm::DbErr> {
    use received_activity::Column;
    let mut insert = Query::insert();
    insert
        .into_table(received_activity::Entity)
        .columns([Column::ApId, Column::ReceivedAt])
        .values([ap_id.into(), now.into()])
        .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?
        .on_conflict(OnConflict::column(Column::ApId).do_nothing().to_owned())
        .returning_col(Column::ApId);
    Ok(!db.query_all(&insert).await?.is_empty())
}

/// Forget ids of activities received longer ago than the retention period
/// (`--inbox-retention`, 30 days by default: longer than any sender retries a delivery,
/// see [`crate::config::InboxLimits::retention`]). Returns how many were pruned.
pub async fn prune_received(state: &super::AppState) -> Result<u64, sea_orm::DbErr> {
    let retention = chrono::Duration::from_std(state.settings.inbox.retention)
        .unwrap_or(chrono::Duration::days(30));
    let cutoff = state.clock.now() - retention;
    let res = received_activity::Entity::delete_many()
        .filter(received_activity::Column::ReceivedAt.lt(cutoff))
        .exec(&state.db)
        .await?;
    if res.rows_affected > 0 {
        tracing::info!(
            pruned = res.rows_affected,
            "ids of received activities past the retention period pruned"
        );
    }
    Ok(res.rows_affected)
}
