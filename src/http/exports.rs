//! Listings in other directories' formats: ChatonsInfos `.properties` (a co-op as an
//! organization with `subs.*`, an offering as a service, the node as a federation),
//! `librehost.json` and a Murmurations organization profile.

use crate::{
    directory::{
        self,
        interchange::export::{self, CoopListing},
        types::{ActorKind, Moderation},
    },
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
};

const PROPERTIES: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";

fn not_found(username: &str) -> AppError {
    AppError::NotFound(crate::msg!("error-not-listed-here", username = username).text())
}

async fn listed(ctx: &Ctx, username: &str) -> AppResult<directory::records::Actor> {
    directory::find_local(&ctx.db, username)
        .await?
        .filter(|a| a.moderation == Moderation::Approved)
        .ok_or_else(|| not_found(username))
}

async fn coop_listing(ctx: &Ctx, username: &str) -> AppResult<CoopListing> {
    let a = listed(ctx, username).await?;
    if a.kind != ActorKind::Coop {
        return Err(not_found(username));
    }
    Ok(export::load(&ctx.db, &a).await?)
}

fn answer(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// `GET /actors/{name}/chatonsinfos.properties`: an organization file for a co-op, a
/// service file for an offering.
pub async fn chatonsinfos(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let a = listed(&ctx, &username).await?;
    let now = ctx.clock.now();
    if a.kind == ActorKind::Coop {
        let l = export::load(&ctx.db, &a).await?;
        return Ok(answer(PROPERTIES, export::chatons_organization(&l, now)));
    }
    if a.kind != ActorKind::Offering {
        return Err(not_found(&username));
    }
    let coop_id = a.coop_id.ok_or_else(|| not_found(&username))?;
    let coop = directory::browse::actor_by_id(&ctx.db, coop_id)
        .await?
        .ok_or_else(|| not_found(&username))?;
    let l = export::load(&ctx.db, &coop).await?;
    let o = l
        .offerings
        .iter()
        .find(|o| o.actor.as_str() == a.ap_id)
        .ok_or_else(|| not_found(&username))?;
    let live = crate::directory::liveness::of(&ctx.db, a.id, now, &ctx.settings.domain).await?;
    Ok(answer(
        PROPERTIES,
        export::chatons_service_with(o, now, Some(&live)),
    ))
}

/// `GET /.well-known/chatonsinfos`: the node as a federation of its listed co-ops.
pub async fn chatonsinfos_node(ctx: Ctx) -> AppResult<Response> {
    let mut coops = Vec::new();
    for c in directory::local_coops(&ctx.db).await? {
        if let Ok(url) = url::Url::parse(&c.ap_id) {
            coops.push((c.username, url));
        }
    }
    Ok(answer(
        PROPERTIES,
        export::chatons_federation(&ctx.settings.node_name, ctx.base(), &coops, ctx.clock.now()),
    ))
}

/// `GET /actors/{coop}/librehost.json`.
pub async fn librehost(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let l = coop_listing(&ctx, &username).await?;
    Ok(answer(JSON, export::librehost(&l).to_string()))
}

/// `GET /actors/{coop}/murmurations.json`.
pub async fn murmurations(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let l = coop_listing(&ctx, &username).await?;
    Ok(answer(JSON, export::murmurations(&l).to_string()))
}
