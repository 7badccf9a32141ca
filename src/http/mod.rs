//! HTTP routes: thin handlers that extract, call the directory or federation code, and
//! shape the response.

pub mod activitypub;
pub mod api;
pub mod assets;
pub mod feeds;
pub mod metrics;
pub mod pages;
pub mod well_known;

use crate::federation::AppState;
use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderMap, HeaderValue, header},
    routing::{get, post},
};
use tower_http::{set_header::SetResponseHeaderLayer, trace::TraceLayer};

/// Largest request body accepted anywhere (inboxes included): 1 MiB, answered with 413.
pub const MAX_BODY: usize = 1 << 20;

/// Content-Security-Policy of every response: no inline script, no foreign resources.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' https: http:";

/// The whole application.
pub fn app(config: FederationConfig<AppState>) -> Router {
    Router::new()
        .route("/", get(pages::index))
        .route("/actors/{username}", get(activitypub::actor))
        .route("/actors/{username}/inbox", post(activitypub::inbox))
        .route("/actors/{username}/outbox", get(activitypub::outbox))
        .route("/actors/{username}/followers", get(activitypub::followers))
        .route("/actors/{username}/following", get(activitypub::following))
        .route("/actors/{username}/featured", get(activitypub::featured))
        .route("/actors/{username}/feed.atom", get(feeds::actor_feed))
        .route("/inbox", post(activitypub::inbox))
        .route("/announcements/{id}", get(activitypub::announcement))
        .route("/activities/{id}", get(activitypub::activity))
        .route("/.well-known/webfinger", get(well_known::webfinger))
        .route("/.well-known/host-meta", get(well_known::host_meta))
        .route("/.well-known/nodeinfo", get(well_known::nodeinfo_links))
        .route("/nodeinfo/2.1", get(well_known::nodeinfo_21))
        .route("/nodeinfo/2.0", get(well_known::nodeinfo_20))
        .route("/api/v1/offerings", get(api::offerings))
        .route("/api/v1/offerings/alternatives", get(api::alternatives))
        .route("/api/openapi.json", get(api::openapi))
        .route("/metrics", get(metrics::metrics))
        .route("/livez", get(|| async { "ok" }))
        .route("/readyz", get(well_known::readyz))
        .route("/static/{*path}", get(assets::serve))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http())
        .layer(FederationMiddleware::new(config))
}

/// True when the client asks for ActivityStreams JSON rather than a page.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            a.contains("application/activity+json") || a.contains("application/ld+json")
        })
}
