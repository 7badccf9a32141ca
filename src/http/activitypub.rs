//! ActivityPub endpoints: actors, collections, objects and the inboxes. HTML and JSON share
//! URLs; the Accept header chooses.

use crate::directory::types::Moderation;
use crate::{
    directory::{
        self,
        records::{Actor, Announcement},
        types::ActorKind,
    },
    federation::{
        Ctx,
        actors::local_actor_json,
        inbox,
        protocol::{AS_CONTENT_TYPE, OrderedCollection, context},
        send::{note_json, replies_collection},
    },
    http::error::{AppError, AppResult},
};
use axum::{
    body::Bytes,
    extract::Path,
    http::{HeaderMap, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::{Value, json};

/// Serialize with our context and the ActivityStreams content type.
pub fn activity_json<T: Serialize>(body: &T) -> Response {
    (
        [(header::CONTENT_TYPE, AS_CONTENT_TYPE)],
        activity_json_text(body),
    )
        .into_response()
}

fn activity_json_text<T: Serialize>(body: &T) -> String {
    let mut v = serde_json::to_value(body).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v
        && !map.contains_key("@context")
    {
        map.insert("@context".into(), context());
    }
    v.to_string()
}

async fn local(ctx: &Ctx, username: &str) -> AppResult<Actor> {
    let a = directory::find_local(&ctx.db, username)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no actor '{username}' on this node")))?;
    if a.moderation == Moderation::Removed {
        return Err(AppError::Gone(format!(
            "'{username}' was removed by its co-op"
        )));
    }
    Ok(a)
}

/// The actor document of a local actor (`GET /actors/{username}` when the client asks for
/// ActivityStreams JSON; browsers get `pages::actor`).
pub async fn actor(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    // The document every remote server fetches again and again: from memory while no
    // local actor changed (federation/doc_cache.rs).
    let key = format!("actor:{username}");
    if let Some((content_type, body)) = ctx.docs.get(&key) {
        return Ok(([(header::CONTENT_TYPE, content_type)], body).into_response());
    }
    let generation = ctx.docs.generation();
    let a = local(&ctx, &username).await?;
    let json = local_actor_json(ctx.app_data(), &a).await?;
    let body = Bytes::from(activity_json_text(&json));
    ctx.docs.put(key, generation, AS_CONTENT_TYPE, body.clone());
    Ok(([(header::CONTENT_TYPE, AS_CONTENT_TYPE)], body).into_response())
}

pub async fn inbox(
    ctx: Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<StatusCode> {
    inbox::receive(&ctx, &method, &uri, &headers, body).await?;
    Ok(StatusCode::ACCEPTED)
}

fn collection(id: String, total: u64, items: Option<Vec<Value>>) -> AppResult<Response> {
    let id = url::Url::parse(&id).map_err(|e| AppError::Internal(e.into()))?;
    Ok(activity_json(&OrderedCollection {
        id,
        kind: "OrderedCollection".into(),
        total_items: total,
        ordered_items: items,
    }))
}

/// The latest activities of an actor (announcements and profile changes), newest first.
pub async fn outbox(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let a = local(&ctx, &username).await?;
    let (total, rows) = directory::published::outbox(&ctx.db, a.id, 20).await?;
    let items = rows
        .into_iter()
        .filter_map(|r| serde_json::from_str::<Value>(&r.payload).ok())
        .map(|mut v| {
            if let Value::Object(m) = &mut v {
                m.remove("@context");
            }
            v
        })
        .collect();
    collection(format!("{}/outbox", a.ap_id), total, Some(items))
}

/// Followers are counted, not listed: who follows a provider is the members' business.
pub async fn followers(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let a = local(&ctx, &username).await?;
    let total = directory::follower_count(&ctx.db, a.id).await?;
    collection(format!("{}/followers", a.ap_id), total, None)
}

pub async fn following(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let a = local(&ctx, &username).await?;
    collection(format!("{}/following", a.ap_id), 0, Some(vec![]))
}

/// A co-op features its offerings; peers read them from here.
pub async fn featured(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let a = local(&ctx, &username).await?;
    let items: Vec<Value> = if a.kind == ActorKind::Coop {
        directory::coop_offerings(&ctx.db, a.id)
            .await?
            .into_iter()
            .filter(|o| o.moderation == Moderation::Approved)
            .map(|o| json!(o.ap_id))
            .collect()
    } else if a.kind == ActorKind::Instance {
        // The instance actor features the node's co-ops: peers discover them here.
        directory::local_coops(&ctx.db)
            .await?
            .into_iter()
            .map(|c| json!(c.ap_id))
            .collect()
    } else {
        vec![]
    };
    collection(
        format!("{}/featured", a.ap_id),
        items.len() as u64,
        Some(items),
    )
}

/// An announcement of this node by its path id, unless it was withdrawn.
async fn live_announcement(ctx: &Ctx, id: &str) -> AppResult<Announcement> {
    let ap_id = ctx.url(&format!("/announcements/{id}"));
    let a = directory::browse::announcement_by_ap_id(&ctx.db, ap_id.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound("no such announcement".into()))?;
    if a.deleted {
        return Err(AppError::Gone("this announcement was withdrawn".into()));
    }
    Ok(a)
}

/// The `Note` of an announcement (`GET /announcements/{id}` when the client asks for
/// ActivityStreams JSON; browsers get `pages::announcement`).
pub async fn announcement(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let a = live_announcement(&ctx, &id).await?;
    let author = directory::browse::actor_by_id(&ctx.db, a.actor_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such announcement".into()))?;
    let mut note = note_json(&author, &a);
    if author.local {
        let ids = directory::replies::public_ids(&ctx.db, a.id).await?;
        note["replies"] = replies_collection(&a.ap_id, &ids);
    }
    Ok(activity_json(&note))
}

/// `GET /announcements/{id}/replies`: the replies shown to everyone, as the `replies`
/// collection embedded in the announcement's `Note`.
pub async fn announcement_replies(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let a = live_announcement(&ctx, &id).await?;
    let ids = directory::replies::public_ids(&ctx.db, a.id).await?;
    Ok(activity_json(&replies_collection(&a.ap_id, &ids)))
}

/// An activity by its full URL: `/activities/{id}`, `/announcements/{id}/activity`,
/// `/replies/{id}/activity`.
async fn activity_by_url(ctx: &Ctx, url: &str) -> AppResult<Value> {
    let row = directory::published::activity_by_ap_id(&ctx.db, url)
        .await?
        .ok_or_else(|| AppError::NotFound("no such activity".into()))?;
    serde_json::from_str(&row.payload).map_err(|e| AppError::Internal(e.into()))
}

/// The `Create` of an announcement.
pub async fn announcement_activity(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let v = activity_by_url(
        &ctx,
        ctx.url(&format!("/announcements/{id}/activity")).as_str(),
    )
    .await?;
    Ok(activity_json(&v))
}

/// A reply of the directory actor: the `Note`.
pub async fn reply(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let v = activity_by_url(&ctx, ctx.url(&format!("/replies/{id}/activity")).as_str()).await?;
    let mut note = v.get("object").cloned().unwrap_or(Value::Null);
    if let Value::Object(m) = &mut note {
        m.remove("@context");
    }
    Ok(activity_json(&note))
}

/// A reply of the directory actor: its `Create`.
pub async fn reply_activity(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let v = activity_by_url(&ctx, ctx.url(&format!("/replies/{id}/activity")).as_str()).await?;
    Ok(activity_json(&v))
}

pub async fn activity(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let v = activity_by_url(&ctx, ctx.url(&format!("/activities/{id}")).as_str()).await?;
    Ok(activity_json(&v))
}
