//! Server-rendered pages. Every string from a listing or a remote server is escaped by the
//! templates; only HTML this node generated (and sanitized) is marked safe.

use crate::{
    db::entities::{actor, announcement},
    directory::{self, OfferingItem, OfferingQuery, types::ActorKind},
    error::{AppError, AppResult},
    federation::{Ctx, actors::local_actor_json, protocol::PropertyValue},
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::Query,
    response::{IntoResponse, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

#[derive(Template, WebTemplate)]
#[template(path = "index.html")]
pub struct IndexPage {
    node_name: String,
    q: String,
    platform: String,
    platforms: Vec<(&'static str, &'static str)>,
    items: Vec<OfferingItem>,
    total: u64,
}

pub async fn index(ctx: Ctx, Query(q): Query<OfferingQuery>) -> AppResult<Response> {
    let (items, total) = directory::list_offerings(&ctx.db, &q).await?;
    Ok(IndexPage {
        node_name: ctx.settings.node_name.clone(),
        q: q.q.clone().unwrap_or_default(),
        platform: q.platform.clone().unwrap_or_default(),
        platforms: directory::types::Platform::ALL
            .iter()
            .map(|p| (p.as_str(), p.label()))
            .collect(),
        items,
        total,
    }
    .into_response())
}

pub struct NoteView {
    url: String,
    content: String,
    published: String,
    kind: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "actor.html")]
pub struct ActorPage {
    node_name: String,
    name: String,
    handle: String,
    kind_label: String,
    summary_html: String,
    fields: Vec<PropertyValue>,
    notes: Vec<NoteView>,
    offerings: Vec<(String, String)>,
    followers: u64,
    feed_url: String,
}

pub async fn actor_page(ctx: &Ctx, a: actor::Model) -> AppResult<Response> {
    if a.moderation == "suspended" {
        return Err(AppError::Gone("this listing is suspended".into()));
    }
    let json = local_actor_json(ctx.app_data(), &a).await?;
    let notes = announcement::Entity::find()
        .filter(announcement::Column::ActorId.eq(a.id))
        .filter(announcement::Column::Deleted.eq(false))
        .order_by_desc(announcement::Column::Published)
        .limit(20)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|n| NoteView {
            url: n.ap_id,
            content: n.content_html,
            published: n.published.format("%Y-%m-%d %H:%M UTC").to_string(),
            kind: n.kind,
        })
        .collect();
    let offerings = if a.kind == ActorKind::Coop.to_string() {
        directory::coop_offerings(&ctx.db, a.id)
            .await?
            .into_iter()
            .map(|o| (o.ap_id, o.name))
            .collect()
    } else {
        vec![]
    };
    Ok(ActorPage {
        node_name: ctx.settings.node_name.clone(),
        name: a.name.clone(),
        handle: format!("@{}@{}", a.username, a.domain),
        kind_label: a
            .kind
            .parse::<ActorKind>()
            .map(|k| k.label())
            .unwrap_or("actor")
            .to_string(),
        summary_html: json.summary.unwrap_or_default(),
        fields: json.attachment,
        notes,
        offerings,
        followers: directory::follower_count(&ctx.db, a.id).await?,
        feed_url: format!("{}/feed.atom", a.ap_id),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "announcement.html")]
pub struct AnnouncementPage {
    node_name: String,
    author_name: String,
    author_url: String,
    note: NoteView,
}

pub async fn announcement_page(
    ctx: &Ctx,
    author: actor::Model,
    a: announcement::Model,
) -> AppResult<Response> {
    Ok(AnnouncementPage {
        node_name: ctx.settings.node_name.clone(),
        author_name: author.name,
        author_url: author.ap_id,
        note: NoteView {
            url: a.ap_id,
            content: a.content_html,
            published: a.published.format("%Y-%m-%d %H:%M UTC").to_string(),
            kind: a.kind,
        },
    }
    .into_response())
}
