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

use crate::{
    db::entities::{account, actor},
    directory::{
        self, OfferingQuery,
        accounts::{self, Role},
        alternatives::{self, OfferingRef},
        announcements,
        listing::OfferingSpec,
        search,
        types::{ActorKind, AnnouncementKind, Moderation},
    },
    error::{AppError, AppResult},
    federation::Ctx,
};
use axum::{
    Json,
    body::Bytes,
    extract::{FromRequestParts, Path, Query, rejection::QueryRejection},
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;
use utoipa::ToSchema;

// How an endpoint gets into `/api/openapi.json` (docs/api.md, "Adding an endpoint"): its
// handler carries `#[utoipa::path(...)]` with the method, the path (the same string as its
// route), `params`, `request_body` and every status it answers, each with `ErrorBody` for
// errors and `security(("bearerAuth" = []))` when it takes a token; request and response
// types derive `ToSchema` (with `schema_with` from `super::openapi` where a field's rule is
// more than its type); and the handler is named in `paths(...)` of `super::openapi::ApiDoc`.
// The test `openapi::every_api_route_is_described` fails for a route under /api/v1 that is
// not described.

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// What was wrong and how to fix it; for a refused field it starts with the field name.
    pub error: String,
}

/// Alternatives returned when `limit` is not given.
const DEFAULT_ALTERNATIVES: usize = 10;

fn bad_query(e: QueryRejection) -> AppError {
    AppError::BadRequest(format!("bad query: {}", e.body_text()))
}

/// The directory: listed offerings, filtered and paged, with facet counts.
///
/// Offerings of this node and learned from peers. With `q`, ordered by relevance; without,
/// in a fair order that rotates daily (never by popularity). Active listings come first,
/// then sunsetting, then closed and transferred ones.
#[utoipa::path(
    get,
    path = "/api/v1/offerings",
    operation_id = "listOfferings",
    tag = "directory",
    params(OfferingQuery),
    responses(
        (status = 200, description = "One page of results.", body = search::SearchResults),
        (status = 400, description = "Malformed query, e.g. a page that is not a number.", body = ErrorBody),
        (status = 422, description = "A filter value that is not accepted; the message lists the accepted values.", body = ErrorBody),
    )
)]
pub async fn offerings(
    ctx: Ctx,
    query: Result<Query<OfferingQuery>, QueryRejection>,
) -> AppResult<Json<search::SearchResults>> {
    let Query(q) = query.map_err(bad_query)?;
    Ok(Json(search::search(&ctx.db, &q).await?))
}

/// The query of `GET /api/v1/offerings/alternatives` (its parameters are described in
/// `super::openapi`).
#[derive(Debug, Deserialize)]
pub struct AlternativesQuery {
    actor: Option<String>,
    limit: Option<String>,
}

/// Compatible alternatives to an offering, best first, each with a score and its reasons.
///
/// Never suggests the offering itself, nor closed, transferred, hidden, suspended or
/// pending listings. Never depends on popularity; equal scores rotate daily.
#[utoipa::path(
    get,
    path = "/api/v1/offerings/alternatives",
    operation_id = "offeringAlternatives",
    tag = "directory",
    params(AlternativesQuery),
    responses(
        (status = 200, description = "The offering and its alternatives.", body = alternatives::Alternatives),
        (status = 400, description = "`actor` is missing or neither a URL nor a handle.", body = ErrorBody),
        (status = 404, description = "This directory knows no such offering.", body = ErrorBody),
        (status = 422, description = "`limit` is not a number from 1 to 50.", body = ErrorBody),
    )
)]
pub async fn alternatives(
    ctx: Ctx,
    query: Result<Query<AlternativesQuery>, QueryRejection>,
) -> AppResult<Json<alternatives::Alternatives>> {
    let Query(q) = query.map_err(bad_query)?;
    let actor = q
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            AppError::BadRequest(
                "the query parameter `actor` is required: give the actor URL of an offering, \
                 e.g. /api/v1/offerings/alternatives?actor=https://node.example/actors/name"
                    .into(),
            )
        })?;
    let target: OfferingRef = actor.parse().map_err(AppError::BadRequest)?;
    let limit = match q.limit.as_deref() {
        None => DEFAULT_ALTERNATIVES,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=alternatives::MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                AppError::Unprocessable(format!(
                    "limit: '{s}' is not a number from 1 to {}",
                    alternatives::MAX_LIMIT
                ))
            })?,
    };
    Ok(Json(
        alternatives::for_offering(&ctx.db, &target, limit).await?,
    ))
}

// ---------------------------------------------------------------------------------------
// Authenticated endpoints for staff automation

/// The realm of the `WWW-Authenticate` challenges.
const REALM: &str = "coopdir";

/// How to get a token, for the messages of 401 answers.
const HOW_TO_GET_A_TOKEN: &str = "an admin of this node creates one with \
     `coopdir token create USERNAME --name NAME` (see docs/api.md)";

/// A 401 with its `WWW-Authenticate` challenge (RFC 6750 §3): without an error code when
/// the request carried no bearer token, with `invalid_token` when it carried a wrong one.
fn challenge(message: String, invalid_token: bool) -> Response {
    let value = if invalid_token {
        format!("Bearer realm=\"{REALM}\", error=\"invalid_token\"")
    } else {
        format!("Bearer realm=\"{REALM}\"")
    };
    let mut res = no_store(AppError::Unauthorized(message).into_response());
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    res
}

/// Answers about accounts and their listings are for the token holder only.
pub(crate) fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The account of the API token sent as `Authorization: Bearer <token>`. Only that header
/// authenticates: cookies are ignored here. Missing or not a bearer token: 401 that says
/// how to get one; an unknown (or revoked, i.e. deleted) token: 401 `invalid_token`.
/// `accounts::account_for_token` looks the token up by its SHA-256 and records its use.
pub struct Bearer(pub account::Model);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(challenge(
                format!(
                    "this endpoint needs an API token: send `Authorization: Bearer <token>`; \
                     {HOW_TO_GET_A_TOKEN}"
                ),
                false,
            ));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(challenge(
                format!(
                    "the Authorization header must be `Bearer <token>` with an API token; \
                     {HOW_TO_GET_A_TOKEN}"
                ),
                false,
            ));
        };
        match accounts::account_for_token(&ctx.db, token).await {
            Ok(Some(account)) => Ok(Bearer(account)),
            Ok(None) => Err(challenge(
                format!(
                    "this API token is not valid: unknown, revoked, or mistyped; {HOW_TO_GET_A_TOKEN}"
                ),
                true,
            )),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

fn is_offering(a: &actor::Model) -> bool {
    a.kind == ActorKind::Offering
}

fn is_listing(a: &actor::Model) -> bool {
    (is_offering(a) || a.kind == ActorKind::Coop) && a.moderation != Moderation::Removed
}

fn handle_of(a: &actor::Model) -> String {
    format!("{}@{}", a.username, a.domain)
}

/// The local co-op or offering `username` that `account` may act on, by the rule of the
/// staff pages (`accounts::authorize`): 404 when this node has no such listing, 403 naming
/// the listing when the account may not act on it.
pub(crate) async fn managed(
    ctx: &Ctx,
    account: &account::Model,
    username: &str,
) -> AppResult<actor::Model> {
    let target = directory::find_local(&ctx.db, username)
        .await?
        .filter(is_listing)
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "this node has no co-op or offering '{username}'; GET /api/v1/me lists the \
                 listings this token may manage"
            ))
        })?;
    accounts::authorize(account, &target).map_err(|e| {
        AppError::Forbidden(format!(
            "the token's account may not act on the listing {}: {e}",
            handle_of(&target)
        ))
    })?;
    Ok(target)
}

/// [`managed`], for endpoints that only apply to offerings (as the staff edit form).
async fn managed_offering(
    ctx: &Ctx,
    account: &account::Model,
    username: &str,
) -> AppResult<actor::Model> {
    let target = managed(ctx, account, username).await?;
    if !is_offering(&target) {
        return Err(AppError::NotFound(format!(
            "{} is a co-op, not an offering; this endpoint applies to offerings",
            handle_of(&target)
        )));
    }
    Ok(target)
}

/// A JSON request body as `T`: 400 when it is not JSON at all, 422 naming the field when a
/// value is not accepted (the path comes from `serde_path_to_error`).
pub(crate) fn json_body<T: DeserializeOwned>(body: &[u8]) -> AppResult<T> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        AppError::BadRequest(format!(
            "the request body is not JSON ({e}); send a JSON object with \
             `Content-Type: application/json`"
        ))
    })?;
    from_value(value)
}

fn from_value<T: DeserializeOwned>(value: Value) -> AppResult<T> {
    if !value.is_object() {
        return Err(AppError::Unprocessable(
            "the request body must be a JSON object".into(),
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

/// One listing an account may manage, in `GET /api/v1/me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedListing {
    /// The `{username}` of the endpoints that act on it.
    pub username: String,
    pub handle: String,
    /// `coop` or `offering`.
    #[schema(schema_with = listing_kind_schema)]
    pub kind: String,
    pub name: String,
    pub actor: String,
    #[schema(value_type = directory::types::Status)]
    pub status: String,
    pub moderation: String,
}

fn role_schema() -> utoipa::openapi::ObjectBuilder {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(["admin", "staff"]))
}

fn listing_kind_schema() -> utoipa::openapi::ObjectBuilder {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(["coop", "offering"]))
}

/// The answer of `GET /api/v1/me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    #[schema(schema_with = role_schema)]
    pub role: String,
    /// Handle of the co-op of a staff account; null for admins.
    pub coop: Option<String>,
    pub listings: Vec<ManagedListing>,
}

/// The token's account and the listings it may manage.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "me",
    tag = "staff",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The account.", body = Me),
        (status = 401, description = "No token, not a bearer token, or an unknown or revoked token; `WWW-Authenticate: Bearer` is set.", body = ErrorBody),
    )
)]
pub async fn me(ctx: Ctx, Bearer(account): Bearer) -> AppResult<Response> {
    let coop = match (Role::of(&account), account.coop_id) {
        (Some(Role::Staff), Some(id)) => actor::Entity::find_by_id(id)
            .one(&ctx.db)
            .await?
            .map(|c| handle_of(&c)),
        _ => None,
    };
    let mine = accounts::manageable(&ctx.db, &account).await?;
    let listings: Vec<ManagedListing> = mine
        .into_iter()
        .map(|a| ManagedListing {
            handle: handle_of(&a),
            username: a.username,
            kind: a.kind.to_string(),
            name: a.name,
            actor: a.ap_id,
            status: a.status.to_string(),
            moderation: a.moderation.to_string(),
        })
        .collect();
    Ok(no_store(
        Json(Me {
            username: account.username,
            role: account.role,
            coop,
            listings,
        })
        .into_response(),
    ))
}

/// The editable facts of a local offering, in the shape PUT takes.
///
/// An offering of a listing document (docs/listing-format.md).
#[utoipa::path(
    get,
    path = "/api/v1/offerings/{username}/spec",
    operation_id = "getOfferingSpec",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    responses(
        (status = 200, description = "The offering's facts.", body = OfferingSpec),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
    )
)]
pub async fn offering_spec(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
) -> AppResult<Response> {
    let target = managed_offering(&ctx, &account, &username).await?;
    let spec = directory::offering_spec(&target)?;
    Ok(no_store(Json(spec).into_response()))
}

/// The offering a `PUT` body describes. `handle` may be left out (it is the one in the
/// path and cannot change); `also_known_as` is kept as it is when left out, and is not
/// edited here (a transfer to this offering sets it), as in the staff edit form.
fn put_spec(body: &[u8], target: &actor::Model, current: &OfferingSpec) -> AppResult<OfferingSpec> {
    let mut value: Value = json_body(body)?;
    let Some(map) = value.as_object_mut() else {
        return Err(AppError::Unprocessable(
            "the request body must be a JSON object".into(),
        ));
    };
    map.entry("handle")
        .or_insert_with(|| Value::String(target.username.clone()));
    let aka_given = map.contains_key("also_known_as");
    let mut spec: OfferingSpec = from_value(value)?;
    if !aka_given {
        spec.also_known_as = current.also_known_as.clone();
    } else if spec.also_known_as != current.also_known_as {
        return Err(AppError::Unprocessable(
            "also_known_as: earlier actors of an offering are set by a transfer to it, not \
             edited; leave the field out or send it unchanged"
                .into(),
        ));
    }
    Ok(spec)
}

/// Replace the editable facts of a local offering; its followers get an actor Update.
///
/// The same checks as the staff edit form and `coopdir import`
/// (`directory::update_offering`, one transaction). Fields left out take their defaults (as
/// in a listing document), except `handle` and `also_known_as`, which are kept. Answers
/// with the facts now stored.
#[utoipa::path(
    put,
    path = "/api/v1/offerings/{username}",
    operation_id = "putOffering",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    request_body = OfferingSpec,
    responses(
        (status = 200, description = "The facts now stored.", body = OfferingSpec),
        (status = 400, description = NOT_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 422, description = REFUSED, body = ErrorBody),
    )
)]
pub async fn put_offering(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed_offering(&ctx, &account, &username).await?;
    let current = directory::offering_spec(&target)?;
    let spec = put_spec(&body, &target, &current)?;
    directory::update_offering(&ctx, &target, &spec).await?;
    let updated = directory::find_local(&ctx.db, &target.username)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{} is gone", target.ap_id)))?;
    Ok(no_store(
        Json(directory::offering_spec(&updated)?).into_response(),
    ))
}

/// The body of `POST /api/v1/offerings/{username}/announcements`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAnnouncement {
    #[schema(schema_with = super::openapi::announcement_text_schema)]
    text: String,
    /// `news` when left out or null; `sunset` and `transfer` announcements are written by
    /// those actions.
    #[serde(default)]
    #[schema(schema_with = announce_kind_schema)]
    kind: Option<String>,
}

fn announce_kind_schema() -> utoipa::openapi::ObjectBuilder {
    let mut kinds: Vec<Value> = ANNOUNCE_KINDS.iter().map(|k| k.as_str().into()).collect();
    kinds.push(Value::Null);
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::String,
            utoipa::openapi::Type::Null,
        ]))
        .enum_values(Some(kinds))
        .default(Some("news".into()))
}

/// An announcement as posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostedAnnouncement {
    /// The ActivityPub id of the Note; also its web page.
    pub id: String,
    pub url: String,
    pub actor: String,
    pub kind: String,
    pub text: String,
    #[schema(value_type = String, format = DateTime)]
    pub published: chrono::DateTime<chrono::Utc>,
}

/// Kinds staff choose, as in the staff announce form; `sunset` and `transfer`
/// announcements are written by those actions.
use super::staff::ANNOUNCE_KINDS;

fn announce_kind(kind: Option<&str>) -> AppResult<AnnouncementKind> {
    let Some(kind) = kind else {
        return Ok(AnnouncementKind::News);
    };
    let accepted = || {
        ANNOUNCE_KINDS
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match kind.parse::<AnnouncementKind>() {
        Ok(k) if ANNOUNCE_KINDS.contains(&k) => Ok(k),
        Ok(k) => Err(AppError::Unprocessable(format!(
            "kind: '{k}' announcements are written by the {k} action; choose one of: {}",
            accepted()
        ))),
        Err(_) => Err(AppError::Unprocessable(format!(
            "kind: unknown announcement kind '{kind}'; expected one of: {}",
            accepted()
        ))),
    }
}

/// Post an announcement of a co-op or offering to its followers and the public.
///
/// As the staff announce form does (`announcements::announce`). 201 with its id (also its
/// web page) in `Location`.
#[utoipa::path(
    post,
    path = "/api/v1/offerings/{username}/announcements",
    operation_id = "postAnnouncement",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    request_body = NewAnnouncement,
    responses(
        (status = 201, description = "Posted; `Location` is its id.", body = PostedAnnouncement,
            headers(("Location" = String, description = "The announcement's id, also its web page."))),
        (status = 400, description = NOT_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 422, description = REFUSED, body = ErrorBody),
    )
)]
pub async fn post_announcement(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    let new: NewAnnouncement = json_body(&body)?;
    let kind = announce_kind(new.kind.as_deref())?;
    announcements::check_text(&new.text).map_err(|e| match AppError::from(e) {
        AppError::Unprocessable(m) => AppError::Unprocessable(format!("text: {m}")),
        other => other,
    })?;
    let posted = announcements::announce(&ctx, &target, kind, &new.text).await?;
    let mut res = (
        StatusCode::CREATED,
        Json(PostedAnnouncement {
            id: posted.ap_id.clone(),
            url: posted.ap_id.clone(),
            actor: target.ap_id.clone(),
            kind: posted.kind.to_string(),
            text: posted.source.clone(),
            published: posted.published,
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&posted.ap_id) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(no_store(res))
}

/// What `end` of a sunset must look like: a date in the years 2000 to 2999.
pub const END_DATE_PATTERN: &str = "^2[0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$";

/// The end date of a sunset: exactly `YYYY-MM-DD`, a real day, in the years 2000 to 2999.
pub(crate) fn end_date(s: &str) -> AppResult<chrono::NaiveDate> {
    use chrono::Datelike;
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| s.len() == 10 && (2000..=2999).contains(&d.year()))
        .ok_or_else(|| {
            AppError::Unprocessable(format!(
                "end: '{s}' is not a date from 2000-01-01 to 2999-12-31; give the last day \
                 of service as YYYY-MM-DD"
            ))
        })
}

/// Start, preview, postpone or cancel the sunset of an offering or a whole co-op.
///
/// An end date (the last day of service), an announcement naming alternatives (the
/// co-op's pinned ones first), reminders, as the staff sunset form does
/// (`super::api_transfers`, `lifecycle::sunset_plan`). `preview` writes nothing and answers
/// the texts; `cancel` calls a running sunset off. A well-formed end date that is in the
/// past or sooner than the notice the listing promised is answered 409 with the earliest
/// date: it depends on the listing and the day, which no schema can say (docs/api.md).
#[utoipa::path(
    post,
    path = "/api/v1/offerings/{username}/sunset",
    operation_id = "sunsetOffering",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    request_body = super::api_transfers::SunsetBody,
    responses(
        (status = 200, description = "Sunsetting (or postponed, or cancelled: active again); with `preview`, what it would post.", body = super::api_transfers::SunsetAnswer),
        (status = 400, description = NOT_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = "This node has no such co-op or offering, or a pinned alternative is not listed here.", body = ErrorBody),
        (status = 409, description = SUNSET_CONFLICT, body = ErrorBody),
        (status = 422, description = REFUSED, body = ErrorBody),
    )
)]
pub async fn post_sunset(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    super::api_transfers::sunset(&ctx, &target, &body).await
}

/// Propose (or, when no consent is needed, make) the transfer of an offering or a whole
/// co-op to a successor.
///
/// To an offering of the same co-op the move is immediate: `movedTo`, an announcement and
/// a `Move` of its followers. To another co-op it is a proposal that co-op's staff accept
/// (`/api/v1/transfers`); to another coopdir node, an `Offer` (`super::api_transfers`,
/// `lifecycle::transfer`). It cannot be undone, so the body must say `"confirm": true`
/// (or `"preview": true` to see it first).
#[utoipa::path(
    post,
    path = "/api/v1/offerings/{username}/transfer",
    operation_id = "transferOffering",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    request_body = super::api_transfers::TransferBody,
    responses(
        (status = 200, description = "Transferred at once (same co-op, an admin acting for both, or a successor that already names it); with `preview`, what it would announce.", body = super::api_transfers::TransferAnswer),
        (status = 202, description = "Proposed: nothing moves until the successor's co-op accepts it (`/api/v1/transfers`).", body = super::api_transfers::ProposalAnswer),
        (status = 400, description = NOT_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = "No such co-op or offering here, or no successor could be found at `to`.", body = ErrorBody),
        (status = 409, description = TRANSFER_CONFLICT, body = ErrorBody),
        (status = 422, description = REFUSED, body = ErrorBody),
    )
)]
pub async fn post_transfer(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    super::api_transfers::transfer(&ctx, &account, &target, &body).await
}

/// The shape of a successor, before it is looked up: an http(s) URL, a handle
/// `name@domain` (with an optional leading `@` or `acct:`), or the name of a listing of this
/// node; no whitespace inside. The pattern of `super::openapi::successor_schema` says the
/// same.
pub(crate) fn successor_shape(to: &str) -> Result<(), String> {
    let to = to.trim();
    let hint = "name the successor: its handle name@domain or its actor URL";
    if to.is_empty() {
        return Err(hint.into());
    }
    if to.starts_with("http://") || to.starts_with("https://") {
        return url::Url::parse(to)
            .map(|_| ())
            .map_err(|e| format!("'{to}' is not a URL ({e}); {hint}"));
    }
    let h = to.trim_start_matches("acct:").trim_start_matches('@');
    let ok = match h.split_once('@') {
        None => !h.is_empty(),
        Some((name, domain)) => {
            !name.is_empty() && !domain.is_empty() && !domain.contains(['@', '/'])
        }
    };
    if ok && !h.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(format!(
            "'{to}' is neither an actor URL nor a handle; {hint}"
        ))
    }
}

/// The lifecycle of an offering after a sunset or transfer.
#[derive(Debug, Serialize, ToSchema)]
pub struct LifecycleState {
    pub actor: String,
    pub handle: String,
    #[schema(value_type = directory::types::Status)]
    pub status: String,
    /// The last day of service of a sunsetting offering.
    #[schema(value_type = Option<String>, format = Date)]
    pub sunset_end: Option<chrono::NaiveDate>,
    /// The same day, by its meaning: the last day the service runs.
    #[schema(value_type = Option<String>, format = Date)]
    pub last_day_of_service: Option<chrono::NaiveDate>,
    /// The successor's actor id after a transfer.
    pub moved_to: Option<String>,
}

/// The lifecycle of an offering after a sunset or transfer.
pub(crate) async fn lifecycle_state(ctx: &Ctx, target: &actor::Model) -> AppResult<LifecycleState> {
    let a = directory::find_local(&ctx.db, &target.username)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{} is gone", target.ap_id)))?;
    Ok(LifecycleState {
        handle: handle_of(&a),
        actor: a.ap_id,
        status: a.status.to_string(),
        sunset_end: a.sunset_end,
        last_day_of_service: a.sunset_end,
        moved_to: a.moved_to,
    })
}

/// The `{username}` path parameter of the endpoints that act on one listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct Listing {
    /// The listing's username: its handle without @domain (`GET /api/v1/me` lists them).
    #[param(schema_with = super::openapi::username_schema)]
    pub username: String,
}

/// Descriptions of the answers the authenticated endpoints share (docs/api.md).
pub(crate) const UNAUTHORIZED: &str = "No token, not a bearer token, or an unknown or revoked token; \
     `WWW-Authenticate: Bearer` is set.";
pub(crate) const FORBIDDEN: &str = "The token's account may not act on this listing (staff act only on their own co-op's listings).";
pub(crate) const NOT_FOUND: &str = "This node has no such co-op or offering (or the endpoint applies to \
     offerings and it is a co-op).";
pub(crate) const NOT_JSON: &str = "The body is not JSON.";
const SUNSET_CONFLICT: &str = "Not possible in the listing's state or on this day; nothing \
     was changed: the end date is in the past or sooner than the notice the listing promised \
     (the message names the earliest date); the listing is closed or transferred, or already \
     sunsetting until that day or later (a sunset is only postponed); `cancel` without a \
     running sunset; a pinned alternative that is one of the closing listings, not active, \
     or of a closing co-op.";
const TRANSFER_CONFLICT: &str = "Not possible in the state of the listing or the successor; \
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
    let mut res = super::api_docs::page(ctx.base().as_str()).into_response();
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(super::api_docs::CSP),
    );
    res
}

/// `GET /api/openapi.json`: the OpenAPI 3.1 description of `/api/v1`, generated from the
/// annotations here (see `super::openapi`), with this node as its server.
pub async fn openapi(ctx: Ctx) -> Json<Value> {
    Json(super::openapi::document(ctx.base().as_str()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_bodies_name_the_refused_field() {
        use crate::error::AppError;
        let e = super::json_body::<super::NewAnnouncement>(b"{\"text\": ").unwrap_err();
        assert!(matches!(e, AppError::BadRequest(_)), "{e:?}");
        let e = super::json_body::<super::NewAnnouncement>(b"[1]").unwrap_err();
        assert!(matches!(e, AppError::Unprocessable(_)), "{e:?}");
        let e = super::json_body::<super::NewAnnouncement>(b"{\"text\": 5}").unwrap_err();
        assert!(e.to_string().starts_with("text: "), "{e}");
        let e = super::json_body::<super::NewAnnouncement>(b"{\"text\": \"x\", \"colour\": 1}")
            .unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        let e = super::json_body::<crate::directory::listing::OfferingSpec>(
            br#"{"handle": "a", "name": "A", "platform": "zoom", "price": {"model": "free"}, "registration": "open"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("platform: "), "{e}");
        assert!(matches!(
            super::announce_kind(None),
            Ok(super::AnnouncementKind::News)
        ));
        let e = super::announce_kind(Some("sunset")).unwrap_err();
        assert!(e.to_string().starts_with("kind: "), "{e}");
        assert!(super::announce_kind(Some("party")).is_err());
    }
}
