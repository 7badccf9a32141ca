//! Discovery: WebFinger (RFC 7033), host-meta, NodeInfo 2.1 and 2.0 (with the FEP-2677
//! instance actor link), health.

use crate::directory::types::Moderation;
use crate::{
    directory::{self, INSTANCE_USERNAME},
    federation::{Ctx, fetch::domain_of},
    http::error::{AppError, AppResult},
};
use axum::{
    Json,
    extract::Query,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;
use url::Url;

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

/// `acct:name@domain` or an actor URL → the actor's links. Anything not ours is 404.
pub async fn webfinger(ctx: Ctx, Query(q): Query<WebfingerQuery>) -> AppResult<Response> {
    let resource = q
        .resource
        .ok_or_else(|| AppError::BadRequest("add ?resource=acct:name@domain".into()))?;
    // Answers are kept in memory while no local actor changed (federation/doc_cache.rs).
    let key = format!("webfinger:{resource}");
    if let Some((content_type, body)) = ctx.docs.get(&key) {
        return Ok(([(header::CONTENT_TYPE, content_type)], body).into_response());
    }
    let generation = ctx.docs.generation();
    let domain = &ctx.settings.domain;
    let username = if let Some(acct) = resource.strip_prefix("acct:") {
        let (name, host) = acct.rsplit_once('@').ok_or_else(|| {
            AppError::NotFound(format!("{resource} is not a handle of this node"))
        })?;
        if !host.eq_ignore_ascii_case(domain) {
            return Err(AppError::NotFound(format!(
                "{resource} is not on this node ({domain})"
            )));
        }
        name.to_string()
    } else {
        let url = Url::parse(&resource)
            .map_err(|_| AppError::NotFound(format!("{resource} is not on this node")))?;
        if domain_of(&url) != *domain {
            return Err(AppError::NotFound(format!(
                "{resource} is not on this node ({domain})"
            )));
        }
        url.path()
            .strip_prefix("/actors/")
            .unwrap_or_default()
            .to_string()
    };
    let a = directory::find_local(&ctx.db, &username)
        .await?
        .filter(|a| a.moderation != Moderation::Pending && a.moderation != Moderation::Removed)
        .ok_or_else(|| AppError::NotFound(format!("{resource} is not on this node")))?;
    let body = json!({
        "subject": format!("acct:{}@{}", a.username, domain),
        "aliases": [a.ap_id],
        "links": [
            { "rel": "self", "type": "application/activity+json", "href": a.ap_id },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": a.ap_id },
        ]
    });
    let body = bytes::Bytes::from(body.to_string());
    ctx.docs
        .put(key, generation, "application/jrd+json", body.clone());
    Ok(([(header::CONTENT_TYPE, "application/jrd+json")], body).into_response())
}

/// XRD with the WebFinger template, Mastodon's fallback when WebFinger answers 404.
pub async fn host_meta(ctx: Ctx) -> Response {
    let template = format!("{}.well-known/webfinger?resource={{uri}}", ctx.base());
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
         <Link rel=\"lrdd\" template=\"{}\"/>\n</XRD>\n",
        crate::html::escape(&template)
    );
    (
        [(header::CONTENT_TYPE, "application/xrd+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

pub async fn nodeinfo_links(ctx: Ctx) -> Json<serde_json::Value> {
    Json(json!({
        "links": [
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": ctx.url("/nodeinfo/2.1") },
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": ctx.url("/nodeinfo/2.0") },
            { "rel": "https://www.w3.org/ns/activitystreams#Application", "href": ctx.actor_url(INSTANCE_USERNAME) },
        ]
    }))
}

async fn nodeinfo(ctx: &Ctx, version: &str) -> AppResult<Response> {
    let directory::node::Usage {
        coops,
        offerings,
        posts,
    } = directory::node::usage(&ctx.db).await?;
    let mut software = json!({ "name": "coopdir", "version": env!("CARGO_PKG_VERSION") });
    if version == "2.1" {
        software["repository"] = json!("https://coopdir.org/source");
        software["homepage"] = json!("https://coopdir.org");
    }
    let body = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": ["atom1.0"] },
        "openRegistrations": false,
        "usage": { "users": { "total": coops + offerings }, "localPosts": posts },
        "metadata": {
            "nodeName": ctx.settings.node_name,
            "nodeDescription": "A directory of cooperative service providers",
            "coops": coops,
            "offerings": offerings,
            // This node is a Fediscovery provider; its FASP API is here (docs/fasp.md).
            "fasp": {
                "baseUrl": ctx.url("/fasp").as_str(),
                "capabilities": crate::fasp::CAPABILITIES
                    .iter()
                    .map(|(id, version)| json!({"id": id, "version": version}))
                    .collect::<Vec<_>>(),
            },
        }
    });
    let ct = format!(
        "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\""
    );
    Ok(([(header::CONTENT_TYPE, ct)], body.to_string()).into_response())
}

pub async fn nodeinfo_21(ctx: Ctx) -> AppResult<Response> {
    nodeinfo(&ctx, "2.1").await
}

pub async fn nodeinfo_20(ctx: Ctx) -> AppResult<Response> {
    nodeinfo(&ctx, "2.0").await
}

/// Ready when the database answers.
pub async fn readyz(ctx: Ctx) -> (StatusCode, &'static str) {
    match directory::node::database_answers(&ctx.db).await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
