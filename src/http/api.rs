//! The JSON API, `/api/v1`. docs/api.md describes it; `/api/openapi.json` is its OpenAPI
//! description.
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
use serde_json::{Value, json};

/// Alternatives returned when `limit` is not given.
const DEFAULT_ALTERNATIVES: usize = 10;

fn bad_query(e: QueryRejection) -> AppError {
    AppError::BadRequest(format!("bad query: {}", e.body_text()))
}

/// `GET /api/v1/offerings`: the directory, filtered, ranked and paged, with facet counts.
pub async fn offerings(
    ctx: Ctx,
    query: Result<Query<OfferingQuery>, QueryRejection>,
) -> AppResult<Json<search::SearchResults>> {
    let Query(q) = query.map_err(bad_query)?;
    Ok(Json(search::search(&ctx.db, &q).await?))
}

#[derive(Debug, Deserialize)]
pub struct AlternativesQuery {
    actor: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v1/offerings/alternatives?actor=URL`: compatible alternatives, best first.
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
    let limit = match q.limit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
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
    a.kind == ActorKind::Offering.to_string()
}

fn is_listing(a: &actor::Model) -> bool {
    (is_offering(a) || a.kind == ActorKind::Coop.to_string())
        && a.moderation != Moderation::Removed.to_string()
}

fn handle_of(a: &actor::Model) -> String {
    format!("{}@{}", a.username, a.domain)
}

/// The local co-op or offering `username` that `account` may act on, by the rule of the
/// staff pages (`accounts::authorize`): 404 when this node has no such listing, 403 naming
/// the listing when the account may not act on it.
async fn managed(ctx: &Ctx, account: &account::Model, username: &str) -> AppResult<actor::Model> {
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
#[derive(Debug, Serialize)]
pub struct ManagedListing {
    pub username: String,
    pub handle: String,
    /// `coop` or `offering`.
    pub kind: String,
    pub name: String,
    pub actor: String,
    pub status: String,
    pub moderation: String,
}

/// `GET /api/v1/me`: the token's account and the listings it may manage.
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
            kind: a.kind,
            name: a.name,
            actor: a.ap_id,
            status: a.status,
            moderation: a.moderation,
        })
        .collect();
    Ok(no_store(
        Json(json!({
            "username": account.username,
            "role": account.role,
            "coop": coop,
            "listings": listings,
        }))
        .into_response(),
    ))
}

/// `GET /api/v1/offerings/{username}/spec`: the editable facts of a local offering, in the
/// shape `PUT /api/v1/offerings/{username}` takes (an offering of a listing document).
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

/// `PUT /api/v1/offerings/{username}`: replace the editable facts of an offering, as the
/// staff edit form does (`directory::update_offering`: the same checks, one transaction,
/// an actor `Update` to its followers). Answers with the facts now stored.
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAnnouncement {
    text: String,
    #[serde(default)]
    kind: Option<String>,
}

/// Kinds staff choose, as in the staff announce form; `sunset` and `transfer`
/// announcements are written by those actions.
use super::staff::ANNOUNCE_KINDS;

fn announce_kind(kind: Option<&str>) -> AppResult<AnnouncementKind> {
    let Some(kind) = kind.map(str::trim).filter(|k| !k.is_empty()) else {
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

/// `POST /api/v1/offerings/{username}/announcements`: post an announcement of a co-op or
/// offering to its followers, as the staff announce form does
/// (`announcements::announce`). 201 with its id (also its web page) in `Location`.
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
        Json(json!({
            "id": posted.ap_id,
            "url": posted.ap_id,
            "actor": target.ap_id,
            "kind": posted.kind,
            "text": posted.source,
            "published": posted.published,
        })),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&posted.ap_id) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(no_store(res))
}

/// `POST /api/v1/offerings/{username}/sunset`: start, preview, postpone or cancel the
/// sunset of an offering or a whole co-op (`super::api_transfers`).
pub async fn post_sunset(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    super::api_transfers::sunset(&ctx, &target, &body).await
}

/// `POST /api/v1/offerings/{username}/transfer`: propose (or, without consent needed,
/// make) the transfer of an offering or a whole co-op (`super::api_transfers`).
pub async fn post_transfer(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    super::api_transfers::transfer(&ctx, &account, &target, &body).await
}

/// The lifecycle of an offering after a sunset or transfer.
pub(crate) async fn lifecycle_state(ctx: &Ctx, target: &actor::Model) -> AppResult<Value> {
    let a = directory::find_local(&ctx.db, &target.username)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{} is gone", target.ap_id)))?;
    Ok(json!({
        "actor": a.ap_id,
        "handle": handle_of(&a),
        "status": a.status,
        "sunset_end": a.sunset_end,
        "last_day_of_service": a.sunset_end,
        "moved_to": a.moved_to,
    }))
}

/// `GET /api/openapi.json`: the OpenAPI 3.1 description of `/api/v1`.
pub async fn openapi(ctx: Ctx) -> Json<Value> {
    Json(openapi_document(ctx.base().as_str()))
}

fn string_param(name: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": "query",
        "required": false,
        "description": description,
        "schema": { "type": "string" }
    })
}

fn vocabulary(values: impl IntoIterator<Item = &'static str>) -> String {
    values.into_iter().collect::<Vec<_>>().join(", ")
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

fn counts() -> Value {
    json!({ "type": "object", "additionalProperties": { "type": "integer", "minimum": 1 } })
}

fn schemas() -> Value {
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let nullable = json!({ "type": ["string", "null"] });
    let offering_item = json!({
        "type": "object",
        "required": ["actor", "handle", "name", "coop", "platform", "status", "local"],
        "properties": {
            "actor": { "type": "string", "format": "uri", "description": "The ActivityPub actor id; also its web page." },
            "handle": { "type": "string", "description": "name@domain, to search and follow from Mastodon." },
            "name": { "type": "string" },
            "coop": { "type": ["string", "null"], "format": "uri", "description": "Actor id of the co-op." },
            "coop_name": nullable,
            "coop_form": nullable,
            "platform": { "type": "string" },
            "status": { "type": "string", "enum": ["active", "sunsetting", "closed", "transferred"] },
            "local": { "type": "boolean", "description": "Published by this node (false: learned from a peer)." },
            "summary": { "type": "string" },
            "features": strings,
            "languages": strings,
            "support_languages": strings,
            "jurisdiction": nullable,
            "data_location": strings,
            "participants_per_room": { "type": ["integer", "null"] },
            "price": { "type": "string", "description": "For people, e.g. \"9.00 EUR / month (membership)\"." },
            "price_model": { "type": "string" },
            "registration": { "type": "string" }
        }
    });
    let facets = json!({
        "type": "object",
        "description": "Per facet, the number of results that would remain with that value added to the filters.",
        "properties": {
            "platform": counts(), "feature": counts(), "language": counts(), "country": counts(),
            "price": counts(), "registration": counts(), "form": counts(), "status": counts()
        }
    });
    let alternative = json!({
        "type": "object",
        "required": ["actor", "handle", "name", "score", "reasons"],
        "properties": {
            "actor": { "type": "string", "format": "uri" },
            "handle": { "type": "string" },
            "name": { "type": "string" },
            "coop": { "type": ["string", "null"] },
            "coop_name": nullable,
            "platform": { "type": "string" },
            "status": { "type": "string" },
            "local": { "type": "boolean" },
            "score": { "type": "integer", "description": "Points; only the order is meaningful." },
            "reasons": { "type": "array", "items": { "type": "string" }, "description": "Short phrases: reasons in favour first, then drawbacks." },
            "summary": { "type": "string", "description": "The reasons as one line: \"in favour; drawbacks\"." }
        }
    });
    json!({
        "OfferingItem": offering_item,
        "Facets": facets,
        "OfferingPage": {
            "type": "object",
            "required": ["items", "total", "page", "per_page", "facets"],
            "properties": {
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/OfferingItem" } },
                "total": { "type": "integer", "description": "Results on all pages." },
                "page": { "type": "integer" },
                "per_page": { "type": "integer" },
                "facets": { "$ref": "#/components/schemas/Facets" }
            }
        },
        "Alternative": alternative,
        "Alternatives": {
            "type": "object",
            "required": ["offering", "items"],
            "properties": {
                "offering": { "$ref": "#/components/schemas/Alternative" },
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/Alternative" } }
            }
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": { "error": { "type": "string" } }
        }
    })
}

fn enum_of(values: impl IntoIterator<Item = &'static str>) -> Value {
    json!({ "type": "string", "enum": values.into_iter().collect::<Vec<_>>() })
}

/// Schemas of the authenticated endpoints.
fn staff_schemas() -> Value {
    use crate::directory::types::*;
    let url = json!({ "type": "string", "format": "uri", "description": "An http(s) URL." });
    let languages = json!({ "type": "array", "maxItems": 50, "items": { "type": "string", "description": "BCP 47 tag, e.g. de or pt-BR." } });
    let countries = json!({ "type": "array", "maxItems": 50, "items": { "type": "string", "description": "ISO 3166-1 alpha-2 code, e.g. DE." } });
    let spec = json!({
        "type": "object",
        "description": "The editable facts of an offering: an offering of a listing document (docs/listing-format.md). Unknown fields are refused.",
        "additionalProperties": false,
        "required": ["name", "platform", "price", "registration"],
        "properties": {
            "handle": { "type": "string", "description": "The offering's handle; cannot change. May be left out in a PUT." },
            "name": { "type": "string", "minLength": 1, "maxLength": 100 },
            "summary": { "type": "string", "maxLength": 5000, "description": "Plain text; blank lines separate paragraphs." },
            "platform": enum_of(Platform::ALL.iter().map(|v| v.as_str())),
            "platform_version": { "type": "string", "minLength": 1, "maxLength": 100 },
            "features": { "type": "array", "uniqueItems": true, "items": enum_of(Feature::ALL.iter().map(|v| v.as_str())) },
            "participants_per_room": { "type": "integer", "minimum": 1, "maximum": 1_000_000 },
            "concurrent_rooms": { "type": "integer", "minimum": 1, "maximum": 1_000_000 },
            "price": {
                "type": "object",
                "required": ["model"],
                "description": "A paid model needs an amount and a currency; a free one has no amount.",
                "properties": {
                    "model": enum_of(PriceModel::ALL.iter().map(|v| v.as_str())),
                    "amount": { "type": "string", "pattern": "^[0-9]{1,9}(\\.[0-9]{1,2})?$", "description": "Decimal text, e.g. \"9.00\"." },
                    "currency": { "type": "string", "description": "ISO 4217, e.g. EUR." },
                    "period": enum_of(PricePeriod::ALL.iter().map(|v| v.as_str()))
                }
            },
            "languages": languages.clone(),
            "support_languages": languages,
            "jurisdiction": { "type": "string", "description": "ISO 3166-1 alpha-2." },
            "data_location": countries,
            "registration": enum_of(Registration::ALL.iter().map(|v| v.as_str())),
            "free_software": { "type": "boolean", "default": true },
            "notice_days": { "type": "integer", "minimum": 0, "maximum": 3650, "default": 90, "description": "Days of notice promised before closing." },
            "homepage": url.clone(),
            "signup": url.clone(),
            "funding": url.clone(),
            "also_known_as": { "type": "array", "items": url, "description": "Earlier actors of this offering, set by a transfer to it. Read-only: leave it out or send it unchanged." }
        }
    });
    let listing = json!({
        "type": "object",
        "required": ["username", "handle", "kind", "name", "actor", "status", "moderation"],
        "properties": {
            "username": { "type": "string", "description": "The `{username}` of the endpoints below." },
            "handle": { "type": "string" },
            "kind": { "type": "string", "enum": ["coop", "offering"] },
            "name": { "type": "string" },
            "actor": { "type": "string", "format": "uri" },
            "status": { "type": "string" },
            "moderation": { "type": "string" }
        }
    });
    json!({
        "OfferingSpec": spec,
        "ManagedListing": listing,
        "Me": {
            "type": "object",
            "required": ["username", "role", "coop", "listings"],
            "properties": {
                "username": { "type": "string" },
                "role": { "type": "string", "enum": ["admin", "staff"] },
                "coop": { "type": ["string", "null"], "description": "Handle of the co-op of a staff account; null for admins." },
                "listings": { "type": "array", "items": { "$ref": "#/components/schemas/ManagedListing" } }
            }
        },
        "NewAnnouncement": {
            "type": "object",
            "additionalProperties": false,
            "required": ["text"],
            "properties": {
                "text": { "type": "string", "minLength": 1, "maxLength": announcements::MAX_TEXT, "description": "Plain text; links and @name@domain mentions are recognised." },
                "kind": { "type": "string", "enum": ANNOUNCE_KINDS.iter().map(|k| k.as_str()).collect::<Vec<_>>(), "default": "news" }
            }
        },
        "Announcement": {
            "type": "object",
            "required": ["id", "url", "actor", "kind", "text", "published"],
            "properties": {
                "id": { "type": "string", "format": "uri", "description": "The ActivityPub id of the Note; also its web page." },
                "url": { "type": "string", "format": "uri" },
                "actor": { "type": "string", "format": "uri" },
                "kind": { "type": "string" },
                "text": { "type": "string" },
                "published": { "type": "string", "format": "date-time" }
            }
        },
        "SunsetRequest": {
            "type": "object",
            "additionalProperties": false,
            "required": ["end"],
            "properties": { "end": { "type": "string", "format": "date", "description": "The last day of service; no sooner than the promised notice period from today." } }
        },
        "TransferRequest": {
            "type": "object",
            "additionalProperties": false,
            "required": ["to", "confirm"],
            "properties": {
                "to": { "type": "string", "description": "The successor: a handle name@domain or an actor URL." },
                "confirm": { "type": "boolean", "const": true, "description": "A transfer cannot be undone." }
            }
        },
        "Lifecycle": {
            "type": "object",
            "required": ["actor", "handle", "status"],
            "properties": {
                "actor": { "type": "string", "format": "uri" },
                "handle": { "type": "string" },
                "status": { "type": "string", "enum": ["active", "sunsetting", "closed", "transferred"] },
                "sunset_end": { "type": ["string", "null"], "format": "date" },
                "moved_to": { "type": ["string", "null"], "format": "uri" }
            }
        }
    })
}

fn json_content(schema: &str) -> Value {
    json!({ "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } })
}

/// The paths of the authenticated endpoints: each needs the bearer token, and answers
/// 401, 403 and 404 as described in docs/api.md.
fn staff_paths() -> Value {
    let username = json!({
        "name": "username", "in": "path", "required": true,
        "description": "The listing's username: its handle without @domain (GET /api/v1/me lists them).",
        "schema": { "type": "string" }
    });
    let security = json!([{ "bearerAuth": [] }]);
    let auth = |ok: (&str, Value), extra: &[(&str, &str)]| {
        let mut r = json!({
            "401": error_response("No token, not a bearer token, or an unknown or revoked token; the `WWW-Authenticate: Bearer` header is set."),
            "403": error_response("The token's account may not act on this listing (staff act only on their own co-op's listings)."),
            "404": error_response("This node has no such co-op or offering (or the endpoint applies to offerings and it is a co-op).")
        });
        r[ok.0] = ok.1;
        for (code, text) in extra {
            r[*code] = error_response(text);
        }
        r
    };
    let body = |schema: &str| json!({ "required": true, "content": json_content(schema) });
    let bad_body = [
        ("400", "The body is not JSON."),
        (
            "422",
            "A value is not accepted; the message starts with the field's name. Nothing was changed.",
        ),
    ];
    let with_conflict = [
        bad_body[0],
        bad_body[1],
        (
            "409",
            "The offering is not in a state that allows this (e.g. already sunsetting).",
        ),
    ];
    json!({
        "/api/v1/me": {
            "get": {
                "operationId": "me",
                "summary": "The token's account and the listings it may manage.",
                "security": security,
                "responses": {
                    "200": { "description": "The account.", "content": json_content("Me") },
                    "401": error_response("No token, or an unknown or revoked one.")
                }
            }
        },
        "/api/v1/offerings/{username}/spec": {
            "get": {
                "operationId": "getOfferingSpec",
                "summary": "The editable facts of a local offering, in the shape PUT takes.",
                "security": security,
                "parameters": [username.clone()],
                "responses": auth(("200", json!({ "description": "The offering's facts.", "content": json_content("OfferingSpec") })), &[])
            }
        },
        "/api/v1/offerings/{username}": {
            "put": {
                "operationId": "putOffering",
                "summary": "Replace the editable facts of a local offering; its followers get an actor Update.",
                "description": "The same checks as the staff edit form and `coopdir import`. Fields left out take their defaults (as in a listing document), except `handle` and `also_known_as`, which are kept.",
                "security": security,
                "parameters": [username.clone()],
                "requestBody": body("OfferingSpec"),
                "responses": auth(("200", json!({ "description": "The facts now stored.", "content": json_content("OfferingSpec") })), &with_conflict)
            }
        },
        "/api/v1/offerings/{username}/announcements": {
            "post": {
                "operationId": "postAnnouncement",
                "summary": "Post an announcement of a co-op or offering to its followers and the public.",
                "security": security,
                "parameters": [username.clone()],
                "requestBody": body("NewAnnouncement"),
                "responses": auth(("201", json!({
                    "description": "Posted; `Location` is its id.",
                    "headers": { "Location": { "schema": { "type": "string", "format": "uri" } } },
                    "content": json_content("Announcement")
                })), &bad_body)
            }
        },
        "/api/v1/offerings/{username}/sunset": {
            "post": {
                "operationId": "sunsetOffering",
                "summary": "Start the sunset of an offering: an end date, an announcement with alternatives, reminders.",
                "security": security,
                "parameters": [username.clone()],
                "requestBody": body("SunsetRequest"),
                "responses": auth(("200", json!({ "description": "Sunsetting.", "content": json_content("Lifecycle") })), &with_conflict)
            }
        },
        "/api/v1/offerings/{username}/transfer": {
            "post": {
                "operationId": "transferOffering",
                "summary": "Transfer an offering to a successor: movedTo, an announcement, and a Move of its followers.",
                "security": security,
                "parameters": [username],
                "requestBody": body("TransferRequest"),
                "responses": auth(("200", json!({ "description": "Transferred.", "content": json_content("Lifecycle") })), &with_conflict)
            }
        }
    })
}

/// The document itself, with `base` as the server.
pub fn openapi_document(base: &str) -> Value {
    use crate::directory::types::*;
    let list = " One value or several separated by commas (any of them).";
    let offerings_params = json!([
        string_param("q", "Words to find in name, summary, platform, features and co-op name; each word also matches the start of a longer one. At most 200 characters."),
        string_param("platform", &format!("Platform: {}.{list}", vocabulary(Platform::ALL.iter().map(|v| v.as_str())))),
        string_param("feature", &format!("Feature: {}. Several separated by commas: all of them.", vocabulary(Feature::ALL.iter().map(|v| v.as_str())))),
        string_param("language", &format!("Interface or support language, BCP 47 (`pt` also finds `pt-BR`).{list}")),
        string_param("country", &format!("Jurisdiction or data location, ISO 3166-1 alpha-2.{list}")),
        string_param("price", &format!("Price model: {}.{list}", vocabulary(PriceModel::ALL.iter().map(|v| v.as_str())))),
        string_param("registration", &format!("Registration: {}.{list}", vocabulary(Registration::ALL.iter().map(|v| v.as_str())))),
        string_param("form", &format!("Co-op form: {}.{list}", vocabulary(CoopForm::ALL.iter().map(|v| v.as_str())))),
        string_param("status", &format!("Lifecycle: {}. Default: all.{list}", vocabulary(Status::ALL.iter().map(|v| v.as_str())))),
        { "name": "page", "in": "query", "required": false, "description": "Page number from 1; 50 results a page.", "schema": { "type": "integer", "minimum": 1, "default": 1 } }
    ]);
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "coopdir API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The federated directory of co-operative service providers on this node. See docs/api.md.",
            "license": { "name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later" }
        },
        "servers": [{ "url": base.trim_end_matches('/') }],
        "paths": {
            "/api/v1/offerings": {
                "get": {
                    "operationId": "listOfferings",
                    "summary": "The directory: listed offerings, local and from peers, filtered and paged, with facet counts.",
                    "description": "With `q`, ordered by relevance; without, in a fair order that rotates daily (never by popularity). Active listings come first, then sunsetting, then closed and transferred ones.",
                    "parameters": offerings_params,
                    "responses": {
                        "200": { "description": "One page of results.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OfferingPage" } } } },
                        "400": error_response("Malformed query, e.g. a page that is not a number."),
                        "422": error_response("A filter value that is not accepted; the message lists the accepted values.")
                    }
                }
            },
            "/api/v1/offerings/alternatives": {
                "get": {
                    "operationId": "offeringAlternatives",
                    "summary": "Compatible alternatives to an offering, best first, each with a score and its reasons.",
                    "description": "Never suggests the offering itself, nor closed, transferred, hidden, suspended or pending listings. Never depends on popularity; equal scores rotate daily.",
                    "parameters": [
                        { "name": "actor", "in": "query", "required": true, "description": "Actor URL of the offering (or its handle name@domain).", "schema": { "type": "string" } },
                        { "name": "limit", "in": "query", "required": false, "description": "Most alternatives to return, 1 to 50.", "schema": { "type": "integer", "minimum": 1, "maximum": 50, "default": 10 } }
                    ],
                    "responses": {
                        "200": { "description": "The offering and its alternatives.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Alternatives" } } } },
                        "400": error_response("`actor` is missing or neither a URL nor a handle."),
                        "404": error_response("This directory knows no such offering."),
                        "422": error_response("`limit` out of range.")
                    }
                }
            }
        },
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token of an admin or staff account: `coopdir token create USERNAME --name NAME` prints one (docs/api.md). Staff tokens act only on their own co-op's listings."
                }
            }
        }
    });
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), staff_paths()) {
        paths.extend(more);
    }
    if let (Some(schemas), Value::Object(more)) = (
        doc["components"]["schemas"].as_object_mut(),
        staff_schemas(),
    ) {
        schemas.extend(more);
    }
    doc
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_is_3_1_and_names_both_endpoints() {
        let doc = super::openapi_document("http://localhost:8080/");
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["servers"][0]["url"], "http://localhost:8080");
        assert!(doc["paths"]["/api/v1/offerings"]["get"].is_object());
        assert!(doc["paths"]["/api/v1/offerings/alternatives"]["get"].is_object());
        // The read endpoints need no token.
        assert!(doc["paths"]["/api/v1/offerings"]["get"]["security"].is_null());
        let text = doc.to_string();
        for r in text.split("\"#/components/schemas/").skip(1) {
            let name = &r[..r.find('"').unwrap()];
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "dangling $ref {name}"
            );
        }
    }

    #[test]
    fn the_openapi_document_describes_the_token_endpoints() {
        let doc = super::openapi_document("http://localhost:8080");
        let scheme = &doc["components"]["securitySchemes"]["bearerAuth"];
        assert_eq!(scheme["type"], "http");
        assert_eq!(scheme["scheme"], "bearer");
        for (path, method) in [
            ("/api/v1/me", "get"),
            ("/api/v1/offerings/{username}/spec", "get"),
            ("/api/v1/offerings/{username}", "put"),
            ("/api/v1/offerings/{username}/announcements", "post"),
            ("/api/v1/offerings/{username}/sunset", "post"),
            ("/api/v1/offerings/{username}/transfer", "post"),
        ] {
            let op = &doc["paths"][path][method];
            assert!(op.is_object(), "{method} {path}");
            assert_eq!(op["security"][0]["bearerAuth"], serde_json::json!([]));
            assert!(op["responses"]["401"].is_object(), "{method} {path}");
            if path != "/api/v1/me" {
                for code in ["403", "404"] {
                    assert!(
                        op["responses"][code].is_object(),
                        "{code} of {method} {path}"
                    );
                }
            }
            if method != "get" {
                assert!(op["responses"]["422"].is_object(), "{method} {path}");
                assert!(op["requestBody"]["content"]["application/json"].is_object());
            }
        }
        assert_eq!(
            doc["paths"]["/api/v1/offerings/{username}/announcements"]["post"]["responses"]["201"]
                ["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Announcement"
        );
        // Every field of an offering is described, with the accepted platforms.
        let spec = &doc["components"]["schemas"]["OfferingSpec"]["properties"];
        for field in [
            "name",
            "platform",
            "features",
            "price",
            "notice_days",
            "also_known_as",
        ] {
            assert!(spec[field].is_object(), "{field}");
        }
        assert!(
            spec["platform"]["enum"]
                .as_array()
                .is_some_and(|a| a.iter().any(|p| p == "bigbluebutton"))
        );
    }

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
