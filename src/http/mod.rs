//! HTTP routes: thin handlers that extract, call the directory or federation code, and
//! shape the response.

pub mod activitypub;
pub mod admin;
pub mod api;
pub mod api_docs;
pub mod api_replies;
pub mod api_transfers;
pub mod assets;
pub mod client_addr;
pub mod error;
pub mod exports;
pub mod fasp;
pub mod feeds;
pub mod forms;
pub mod frame;
pub mod i18n;
pub mod liveness;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod report;
pub mod session;
pub mod staff;
pub mod well_known;

use crate::federation::AppState;
use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderMap, HeaderValue, header},
    routing::{get, post},
};
use axum::{http::StatusCode, response::IntoResponse};
use tower_http::{
    compression::CompressionLayer,
    csrf::{CsrfLayer, ProtectionError},
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

/// Largest request body accepted anywhere (inboxes included): 1 MiB, answered with 413.
pub const MAX_BODY: usize = 1 << 20;

/// Content-Security-Policy of every response: no inline script, no foreign resources.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' https: http:";

/// Refuses cross-site form posts (Sec-Fetch-Site, else Origin against Host or the public
/// URL), so that a page elsewhere cannot make a logged-in browser change anything. Server
/// to server POSTs (inboxes) carry neither header and pass; they are authenticated by
/// their HTTP signatures.
fn csrf(
    config: &FederationConfig<AppState>,
) -> CsrfLayer<impl Fn(ProtectionError) -> axum::response::Response + Clone + use<>> {
    let origin = config
        .to_request_data()
        .settings
        .public_url
        .origin()
        .ascii_serialization();
    let layer = match CsrfLayer::new().add_trusted_origin(&origin) {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(%origin, error = %e, "the public URL is not a trusted origin for forms");
            CsrfLayer::new()
        }
    };
    layer.with_rejection_response(|e: ProtectionError| {
        tracing::info!(error = %e, "cross-site form post refused");
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "This form was sent from another site and was refused. Open the page on this node and send it from there.\n",
        )
            .into_response()
    })
}

/// `Vary: Accept` for URLs that answer HTML or ActivityStreams JSON by the Accept header,
/// so that no cache in between hands one to a client that asked for the other.
fn vary_accept() -> tower_http::set_header::SetResponseHeaderLayer<header::HeaderValue> {
    tower_http::set_header::SetResponseHeaderLayer::appending(
        header::VARY,
        header::HeaderValue::from_static("Accept"),
    )
}

/// The whole application.
pub fn app(config: FederationConfig<AppState>) -> Router {
    let csrf = csrf(&config);
    // One login limiter per node (see `staff::login`); `/metrics` reads its counter.
    let logins = std::sync::Arc::new(crate::directory::accounts::LoginLimiter::new());
    // Reports of outdated information, per client (see `liveness::report_outdated`).
    let outdated = std::sync::Arc::new(liveness::ReportLimiter::default());
    // Reports of listings, per client (see `report::file`).
    let listing_reports = std::sync::Arc::new(report::ReportLimiter::default());
    let default_language = config.to_request_data().settings.default_language;
    Router::new()
        .route(
            "/",
            get(pages::index).layer(axum::Extension(std::sync::Arc::new(
                pages::RenderedPages::default(),
            ))),
        )
        .route("/language", post(i18n::choose))
        .route("/compare", get(pages::compare))
        .route("/follow", get(pages::follow))
        .route("/about", get(pages::about))
        .route(
            "/report",
            get(report::form)
                .post(report::file)
                .layer(axum::Extension(listing_reports)),
        )
        .route(
            "/login",
            get(staff::login_form)
                .post(staff::login)
                .layer(axum::Extension(logins.clone())),
        )
        .route("/logout", post(staff::logout))
        .route("/staff", get(staff::dashboard))
        .route("/staff/{username}", get(staff::manage))
        .route("/staff/{username}/edit", post(staff::edit))
        .route("/staff/{username}/announce", post(staff::announce))
        .route("/staff/{username}/answer", post(staff::answer))
        .route("/staff/{username}/replies/hide", post(staff::hide_reply))
        .route("/staff/{username}/replies/pin", post(staff::pin_reply))
        .route(
            "/staff/{username}/outdated/{id}/done",
            post(staff::outdated_done),
        )
        .route("/staff/{username}/sunset", post(staff::sunset))
        .route("/staff/{username}/transfer", post(staff::transfer))
        .route("/staff/transfers/{id}/accept", post(staff::accept_transfer))
        .route(
            "/staff/transfers/{id}/decline",
            post(staff::decline_transfer),
        )
        .route("/admin", get(admin::overview))
        .route("/admin/queue", get(admin::queue).post(admin::act))
        .route("/admin/reports", get(admin::reports))
        .route("/admin/reports/{id}/resolve", post(admin::resolve))
        .route("/admin/reports/{id}/forward", post(admin::forward))
        .route("/admin/domains", get(admin::domains))
        .route("/admin/domains/block", post(admin::block))
        .route("/admin/domains/unblock", post(admin::unblock))
        .route("/admin/domains/allow", post(admin::allow))
        .route("/admin/domains/disallow", post(admin::disallow))
        .route("/admin/log", get(admin::log))
        .route("/admin/replies", get(admin::replies))
        .route("/moderation", get(admin::public_log))
        .route("/actors/{username}", get(pages::actor).layer(vary_accept()))
        .route("/actors/{username}/inbox", post(activitypub::inbox))
        .route("/actors/{username}/outbox", get(activitypub::outbox))
        .route("/actors/{username}/followers", get(activitypub::followers))
        .route("/actors/{username}/following", get(activitypub::following))
        .route("/actors/{username}/featured", get(activitypub::featured))
        .route("/actors/{username}/feed.atom", get(feeds::actor_feed))
        .route(
            "/actors/{username}/chatonsinfos.properties",
            get(exports::chatonsinfos),
        )
        .route("/actors/{username}/librehost.json", get(exports::librehost))
        .route(
            "/actors/{username}/murmurations.json",
            get(exports::murmurations),
        )
        .route("/.well-known/chatonsinfos", get(exports::chatonsinfos_node))
        .route("/inbox", post(activitypub::inbox))
        .route(
            "/announcements/{id}",
            get(pages::announcement).layer(vary_accept()),
        )
        .route("/activities/{id}", get(activitypub::activity))
        .route(
            "/announcements/{id}/activity",
            get(activitypub::announcement_activity),
        )
        .route(
            "/announcements/{id}/replies",
            get(activitypub::announcement_replies),
        )
        .route("/announcements/{id}/feed.atom", get(feeds::thread_feed))
        .route("/announcements/{id}/report", post(pages::report_reply))
        .route("/replies/{id}", get(activitypub::reply))
        .route("/replies/{id}/activity", get(activitypub::reply_activity))
        .route("/.well-known/webfinger", get(well_known::webfinger))
        .route("/.well-known/host-meta", get(well_known::host_meta))
        .route("/.well-known/nodeinfo", get(well_known::nodeinfo_links))
        .route("/nodeinfo/2.1", get(well_known::nodeinfo_21))
        .route("/nodeinfo/2.0", get(well_known::nodeinfo_20))
        .route("/privacy", get(fasp::privacy))
        .route("/admin/fasp", get(admin::fasp_page))
        .route("/admin/fasp/{id}/revoke", post(admin::fasp_revoke))
        .route("/fasp/provider_info", get(fasp::provider_info))
        .route(
            "/fasp/capabilities/{id}/{major}/activation",
            post(fasp::activation).delete(fasp::activation),
        )
        .route("/fasp/account_search/v0/search", get(fasp::account_search))
        .route(
            "/fasp/follow_recommendation/v0/accounts",
            get(fasp::follow_recommendation),
        )
        .route("/api/v1/offerings", get(api::offerings))
        .route("/api/v1/offerings/alternatives", get(api::alternatives))
        .route("/api/v1/me", get(api::me))
        .route(
            "/api/v1/offerings/{username}",
            axum::routing::put(api::put_offering),
        )
        .route("/api/v1/offerings/{username}/spec", get(api::offering_spec))
        .route(
            "/api/v1/offerings/{username}/liveness",
            get(liveness::api_liveness),
        )
        .route(
            "/listings/{id}/outdated",
            post(liveness::report_outdated).layer(axum::Extension(outdated)),
        )
        .route(
            "/api/v1/offerings/{username}/announcements",
            post(api::post_announcement),
        )
        .route(
            "/api/v1/offerings/{username}/sunset",
            post(api::post_sunset),
        )
        .route(
            "/api/v1/offerings/{username}/transfer",
            post(api::post_transfer),
        )
        .route(
            "/api/v1/offerings/{username}/questions",
            get(api_replies::questions),
        )
        .route(
            "/api/v1/offerings/{username}/answers",
            post(api_replies::post_answer),
        )
        .route(
            "/api/v1/offerings/{username}/replies/hide",
            post(api_replies::hide_reply),
        )
        .route("/api/v1/transfers", get(api_transfers::list))
        .route("/api/v1/transfers/{id}/accept", post(api_transfers::accept))
        .route(
            "/api/v1/transfers/{id}/decline",
            post(api_transfers::decline),
        )
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/docs", get(api::docs))
        .route(
            "/metrics",
            get(metrics::metrics).layer(axum::Extension(logins)),
        )
        .route("/livez", get(|| async { "ok" }))
        .route("/readyz", get(well_known::readyz))
        .route("/static/{*path}", get(assets::serve))
        .fallback(pages::not_found)
        .layer(i18n::LangLayer::new(default_language))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(csrf)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // gzip or brotli when the client accepts it; tower-http leaves alone responses
        // under 32 bytes, images, and bodies that already have a Content-Encoding.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .br(true)
                .no_deflate()
                .no_zstd(),
        )
        // The query of a FASP request holds a member's search terms or account URI:
        // personal data that is never logged (docs/fasp.md#privacy).
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let span = tracing::debug_span!(
                    "request",
                    method = %req.method(),
                    uri = tracing::field::Empty,
                    version = ?req.version()
                );
                // Only when the span is recorded: the URI is not formatted for every
                // request of a node that logs at info.
                if !span.is_disabled() {
                    if req.uri().path().starts_with("/fasp/") {
                        span.record("uri", req.uri().path());
                    } else {
                        span.record("uri", tracing::field::display(req.uri()));
                    }
                }
                span
            }),
        )
        .layer(FederationMiddleware::new(config))
        // Every handler turned into its service with the layers above once, here: a router
        // left without state does it again for every request (axum's `MethodEndpoint::
        // BoxedHandler`), building the whole layer stack each time.
        .with_state(())
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
