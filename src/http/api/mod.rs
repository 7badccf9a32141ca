//! The JSON API, `/api/v1`. docs/api.md describes it; `/api/openapi.json` is its OpenAPI
//! description, generated from the annotations here (`super::openapi`), and `/api/docs`
//! shows it (`super::api_docs`).
//!
//! Status codes: 400 when the request itself is malformed (a missing parameter, a number
//! that is not a number, a body that is not JSON), 422 when a value is well-formed but not
//! accepted (an unknown platform, page 0), 404 when the named offering is unknown. Every
//! error is `{"error": "message"}`.
//!
//! Reading needs no authentication. The write endpoints for staff automation (and
//! `/api/v1/me`) need an API token, `Authorization: Bearer <token>` (RFC 6750), and nothing
//! else: a session cookie is an ambient credential that a browser attaches by itself, so it
//! never authorizes them, and they need no CSRF token. Who may act on what is the rule of
//! the staff pages, `directory::accounts::authorize`, and every write calls the same
//! `directory` function as its staff form, so the API runs the same validation.
//!
//! One file per group of endpoints: the directory's reads (`offerings`), the token's
//! account (`me`), an offering's facts (`offering`), announcements (`announcements`),
//! sunsets and transfers (`lifecycle`); `auth` is the bearer token and the rule of who may
//! act on a listing. The replies and transfer-proposal endpoints are `super::api_replies`
//! and `super::api_transfers`.

mod announcements;
mod auth;
mod lifecycle;
mod me;
mod offering;
mod offerings;

pub use announcements::*;
pub use auth::*;
pub use lifecycle::*;
pub use me::*;
pub use offering::*;
pub use offerings::*;

use crate::{
    directory::records::Actor,
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use axum::{
    Json,
    extract::rejection::QueryRejection,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;
use utoipa::ToSchema;

// How an endpoint gets into `/api/openapi.json` (docs/api.md, "Adding an endpoint"): its
// handler carries `#[utoipa::path(...)]` with the method, the path (the same string as its
// route), `params`, `request_body` and every status it answers, each with `ErrorBody` for
// errors and `security(("bearerAuth" = []))` when it takes a token; request and response
// types derive `ToSchema` (with `schema_with` from `super::openapi` where a field's rule is
// more than its type); and the handler is named in `paths(...)` of `crate::http::openapi::ApiDoc`.
// The test `openapi::every_api_route_is_described` fails for a route under /api/v1 that is
// not described.

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// What was wrong and how to fix it; for a refused field it starts with the field name.
    pub error: String,
}

pub(crate) fn bad_query(e: QueryRejection) -> AppError {
    AppError::BadRequest(crate::msg!("error-api-bad-query", reason = e.body_text()).text())
}

/// Answers about accounts and their listings are for the token holder only.
pub(crate) fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

pub(crate) fn handle_of(a: &Actor) -> String {
    format!("{}@{}", a.username, a.domain)
}

/// A JSON request body as `T`: 400 when it is not JSON at all, 422 naming the field when a
/// value is not accepted (the path comes from `serde_path_to_error`).
pub(crate) fn json_body<T: DeserializeOwned>(body: &[u8]) -> AppResult<T> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        AppError::BadRequest(crate::msg!("error-api-not-json", reason = e.to_string()).text())
    })?;
    from_value(value)
}

pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> AppResult<T> {
    if !value.is_object() {
        return Err(AppError::Unprocessable(
            crate::msg!("error-api-not-object").text(),
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        AppError::Unprocessable(if path.is_empty() || path == "." {
            inner.to_string()
        } else {
            format!("{path}: {inner}")
        })
    })
}

/// The `{username}` path parameter of the endpoints that act on one listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct Listing {
    /// The listing's username: its handle without @domain (`GET /api/v1/me` lists them).
    #[param(schema_with = crate::http::openapi::username_schema)]
    pub username: String,
}

/// Descriptions of the answers the authenticated endpoints share (docs/api.md).
pub(crate) const UNAUTHORIZED: &str = "No token, not a bearer token, or an unknown or revoked token; \
     `WWW-Authenticate: Bearer` is set.";
pub(crate) const FORBIDDEN: &str = "The token's account may not act on this listing (staff act only on their own co-op's listings).";
pub(crate) const NOT_FOUND: &str = "This node has no such co-op or offering (or the endpoint applies to \
     offerings and it is a co-op).";
pub(crate) const NOT_JSON: &str = "The body is not JSON.";
pub(crate) const SUNSET_CONFLICT: &str = "Not possible in the listing's state or on this day; nothing \
     was changed: the end date is in the past or sooner than the notice the listing promised \
     (the message names the earliest date); the listing is closed or transferred, or already \
     sunsetting until that day or later (a sunset is only postponed); `cancel` without a \
     running sunset; a pinned alternative that is one of the closing listings, not active, \
     or of a closing co-op.";
pub(crate) const TRANSFER_CONFLICT: &str = "Not possible in the state of the listing or the successor; \
     nothing was changed: the listing is closed or already transferred, or has a pending \
     proposal; the successor is the listing itself, has closed or moved, is not listed, is an \
     offering where a co-op is handed over, or (not a coopdir actor) does not list the \
     listing in `alsoKnownAs`; a `map` pair names an offering of neither co-op, or `map` is \
     given for an offering.";
pub(crate) const REFUSED: &str =
    "A value is not accepted; the message starts with the field's name. Nothing was changed.";

/// `GET /api/docs`: a page for people that shows the description, rendered by this node
/// (`super::api_docs`): no script, nothing from elsewhere.
pub async fn docs(ctx: Ctx) -> Response {
    let mut res = crate::http::api_docs::page(ctx.base().as_str()).into_response();
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::http::api_docs::CSP),
    );
    res
}

/// `GET /api/openapi.json`: the OpenAPI 3.1 description of `/api/v1`, generated from the
/// annotations here (see `super::openapi`), with this node as its server.
pub async fn openapi(ctx: Ctx) -> Json<Value> {
    Json(crate::http::openapi::document(ctx.base().as_str()))
}
