//! The federated consent of a transfer between coopdir nodes.
//!
//! The origin sends `Offer {actor: origin, object: origin, target: successor, content:
//! note}`; the successor's node keeps it as an incoming proposal its co-op's staff answer.
//! Their `Accept` or `Reject` (object: the Offer's id) comes back here: on a verified
//! `Accept` the origin re-fetches the successor, checks that it lists the origin in
//! `alsoKnownAs`, and only then moves; a `Reject` keeps its reason for the origin's staff.

use super::super::{AppState, Ctx, actors::ApActor, fetch::domain_of};
use crate::db::BeginWrite;
use crate::{
    db::entities::actor,
    directory::{
        lifecycle,
        transfers::{self, PENDING},
        types::{ActorKind, Moderation, Status},
    },
    federation::error::InboxError,
};
use activitypub_federation::fetch::object_id::ObjectId;
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::super::protocol::ObjectRef;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Offer {
    pub id: Url,
    pub actor: Url,
    pub object: ObjectRef,
    pub target: ObjectRef,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default, rename = "coopdir:transferMap")]
    pub map: Option<Value>,
}

impl Offer {
    /// The origin offers itself: `object` is the signing actor.
    pub fn verify(&self, actor: &actor::Model) -> Result<(), InboxError> {
        if self.actor.as_str() != actor.ap_id
            || self.object.id().as_ref().map(Url::as_str) != Some(actor.ap_id.as_str())
        {
            return Err(InboxError::Malformed(
                "Offer must have actor == object, the signing actor (the transferred actor offers itself)"
                    .into(),
            ));
        }
        if self.target.id().is_none() {
            return Err(InboxError::Malformed(
                "Offer needs the successor as target".into(),
            ));
        }
        Ok(())
    }

    /// Keep the offer as a pending incoming proposal of the local successor. An Offer of
    /// anything else than a transfer to one of our co-ops or offerings is ignored.
    pub async fn receive(self, ctx: &Ctx, origin: &actor::Model) -> Result<(), InboxError> {
        let Some(target) = self.target.id() else {
            return Ok(());
        };
        let Some(successor) = actor::Entity::find()
            .filter(actor::Column::ApId.eq(target.as_str()))
            .filter(actor::Column::Local.eq(true))
            .one(&ctx.db)
            .await?
        else {
            tracing::debug!(target = %target, "Offer to an actor not on this node ignored");
            return Ok(());
        };
        if successor.kind != ActorKind::Offering && successor.kind != ActorKind::Coop {
            return Err(InboxError::Invalid(format!(
                "{} is not a co-op or offering; only those take over a transfer",
                successor.ap_id
            )));
        }
        if successor.moderation != Moderation::Approved
            || !matches!(successor.status, Status::Active | Status::Sunsetting)
        {
            return Err(InboxError::Invalid(format!(
                "{} cannot take over a transfer: it is not active here",
                successor.ap_id
            )));
        }
        // Each pair of a hand-over: the old offering on the origin's host, the new one ours.
        let origin_host =
            domain_of(&Url::parse(&origin.ap_id).map_err(|e| InboxError::Internal(e.into()))?);
        let mut map = Vec::new();
        for pair in self
            .map
            .as_ref()
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(old), Some(new)) = (
                pair.get("old")
                    .and_then(Value::as_str)
                    .and_then(|u| Url::parse(u).ok()),
                pair.get("new")
                    .and_then(Value::as_str)
                    .and_then(|u| Url::parse(u).ok()),
            ) else {
                continue;
            };
            if domain_of(&old) == origin_host && domain_of(&new) == ctx.settings.domain {
                map.push((old.to_string(), new.to_string()));
            }
        }
        let note = self.content.unwrap_or_default();
        let note: String = crate::html::to_text(&note).chars().take(2000).collect();
        let now = Utc::now();
        transfers::record_offered(
            &ctx.db,
            self.id.as_str(),
            origin,
            &successor,
            note,
            &map,
            now,
        )
        .await?;
        Ok(())
    }
}

/// `Accept` or `Reject` of an Offer we sent. Returns false when `object` is no Offer of
/// ours, so the caller tries the other things an Accept answers (a Follow).
pub async fn answered(
    ctx: &Ctx,
    answerer: &actor::Model,
    object: &Url,
    accepted: bool,
    reason: Option<String>,
) -> Result<bool, InboxError> {
    let Some(p) = transfers::offered_by_us(&ctx.db, object.as_str()).await? else {
        return Ok(false);
    };
    // Only the successor answers its Offer.
    if p.successor_ap_id != answerer.ap_id {
        return Err(InboxError::Forbidden(format!(
            "{} may not answer an offer made to {}",
            answerer.ap_id, p.successor_ap_id
        )));
    }
    if transfers::state_of(&p, Utc::now()) != PENDING {
        tracing::info!(offer = %object, state = %p.state, "answer to a proposal no longer pending ignored");
        return Ok(true);
    }
    let now = Utc::now();
    if !accepted {
        transfers::declined_remotely(&ctx.db, p, &answerer.ap_id, reason, now).await?;
        return Ok(true);
    }
    // Trust the successor's document, not the Accept: fetch it fresh and check the alias.
    let id: ObjectId<ApActor> = Url::parse(&p.successor_ap_id)
        .map_err(|e| InboxError::Internal(e.into()))?
        .into();
    let successor = id
        .dereference_forced(&ctx.reset_request_count())
        .await?
        .model;
    let aka: Vec<String> = serde_json::from_str(&successor.also_known_as).unwrap_or_default();
    let origin = actor::Entity::find()
        .filter(actor::Column::ApId.eq(p.origin_ap_id.as_str()))
        .filter(actor::Column::Local.eq(true))
        .one(&ctx.db)
        .await?
        .ok_or_else(|| InboxError::NotFound(format!("{} is gone", p.origin_ap_id)))?;
    if !aka.contains(&origin.ap_id) {
        // The successor's document may not show its new alias yet (a cache, a change made
        // by another process): note why, keep the proposal pending and answer 502, so the
        // successor's node sends the Accept again later. Without the alias by the expiry,
        // nothing moves.
        let why = format!(
            "{} accepted, but its actor does not list {} in alsoKnownAs yet; the move waits for it",
            successor.ap_id, origin.ap_id
        );
        transfers::note_waiting(&ctx.db, &p, &why).await?;
        return Err(InboxError::Upstream(why));
    }
    let txn = ctx.db.begin_write().await?;
    let map = transfers::map_of(&p);
    // Mapped successors are read as stored (fetched when the hand-over was proposed);
    // followers' servers check each one's alsoKnownAs when they get its Move.
    lifecycle::complete_move(&txn, ctx.app_data(), &origin, &successor, &map, &p.note)
        .await
        .map_err(InboxError::from)?;
    transfers::moved_after_accept(&txn, &p, &answerer.ap_id, now).await?;
    txn.commit().await?;
    ctx.queue_notify.notify_one();
    Ok(true)
}

/// NodeInfo of the actor's host: does it run coopdir, and so understand `Offer`?
pub async fn is_coopdir(state: &AppState, actor_url: &str) -> bool {
    #[derive(Deserialize)]
    struct Links {
        links: Vec<Link>,
    }
    #[derive(Deserialize)]
    struct Link {
        rel: String,
        href: Url,
    }
    #[derive(Deserialize)]
    struct Info {
        software: Software,
    }
    #[derive(Deserialize)]
    struct Software {
        name: String,
    }
    async fn get<T: serde::de::DeserializeOwned>(state: &AppState, url: &Url) -> Option<T> {
        state.guard.permits(url).ok()?;
        let res = state
            .client
            .get(url.clone())
            .header("Accept", "application/json")
            .send()
            .await
            .ok()?;
        if !res.status().is_success() {
            return None;
        }
        let bytes = res.bytes().await.ok()?;
        if bytes.len() > 1 << 16 {
            return None;
        }
        serde_json::from_slice(&bytes).ok()
    }
    let Ok(url) = Url::parse(actor_url) else {
        return false;
    };
    let Ok(wk) = url.join("/.well-known/nodeinfo") else {
        return false;
    };
    let Some(links) = get::<Links>(state, &wk).await else {
        return false;
    };
    let Some(link) = links
        .links
        .iter()
        .find(|l| l.rel.ends_with("/schema/2.1") || l.rel.ends_with("/schema/2.0"))
    else {
        return false;
    };
    if domain_of(&link.href) != domain_of(&url) {
        return false;
    }
    get::<Info>(state, &link.href)
        .await
        .is_some_and(|i| i.software.name == "coopdir")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: &str) -> actor::Model {
        actor::Model {
            id: 1,
            ap_id: id.into(),
            kind: ActorKind::Remote,
            username: "meetcoop_bbb".into(),
            domain: "dir.example.org".into(),
            name: "meet.coop BigBlueButton".into(),
            summary: String::new(),
            inbox: format!("{id}/inbox"),
            shared_inbox: None,
            outbox: None,
            followers: None,
            url: None,
            public_key_pem: String::new(),
            private_key_pem: None,
            local: false,
            coop_id: None,
            attributes: None,
            status: Status::Active,
            sunset_end: None,
            moved_to: None,
            also_known_as: "[]".into(),
            moderation: Moderation::Approved,
            fetched_at: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    /// The Offer as `send::offer` writes it (docs/federation.md), with a hand-over map.
    #[test]
    fn reads_the_offer_coopdir_sends() {
        let origin = "https://dir.example.org/actors/meetcoop";
        let v = serde_json::json!({
            "@context": ["https://www.w3.org/ns/activitystreams"],
            "id": "https://dir.example.org/activities/2f0b5c1e",
            "type": "Offer",
            "actor": origin,
            "object": origin,
            "target": "https://rhein.example/actors/rheinmeet",
            "content": "Accounts stay readable until June.",
            "to": ["https://rhein.example/actors/rheinmeet"],
            "coopdir:transferMap": [{"old": "https://dir.example.org/actors/meetcoop_bbb", "new": "https://rhein.example/actors/rheinmeet_bbb"}]
        });
        let offer: Offer = serde_json::from_value(v).unwrap();
        offer.verify(&actor(origin)).unwrap();
        assert_eq!(
            offer.target.id().unwrap().as_str(),
            "https://rhein.example/actors/rheinmeet"
        );
        assert_eq!(
            offer.content.as_deref(),
            Some("Accounts stay readable until June.")
        );
        assert_eq!(offer.map.unwrap().as_array().unwrap().len(), 1);
    }

    /// Only the transferred actor offers itself: an Offer of another actor, or signed by
    /// someone else, is refused.
    #[test]
    fn an_offer_of_another_actor_is_refused() {
        let v = serde_json::json!({
            "id": "https://evil.example/activities/1",
            "type": "Offer",
            "actor": "https://evil.example/users/mallory",
            "object": "https://dir.example.org/actors/meetcoop_bbb",
            "target": "https://rhein.example/actors/rheinmeet_bbb"
        });
        let offer: Offer = serde_json::from_value(v).unwrap();
        assert!(
            offer
                .verify(&actor("https://evil.example/users/mallory"))
                .is_err()
        );
        let v = serde_json::json!({
            "id": "https://evil.example/activities/2",
            "type": "Offer",
            "actor": "https://dir.example.org/actors/meetcoop_bbb",
            "object": {"id": "https://dir.example.org/actors/meetcoop_bbb", "type": "Service"},
            "target": {"id": "https://rhein.example/actors/rheinmeet_bbb", "type": "Service"}
        });
        let offer: Offer = serde_json::from_value(v).unwrap();
        assert!(
            offer
                .verify(&actor("https://evil.example/users/mallory"))
                .is_err()
        );
        // Embedded objects, as other servers send them, are read by id.
        offer
            .verify(&actor("https://dir.example.org/actors/meetcoop_bbb"))
            .unwrap();
    }
}
