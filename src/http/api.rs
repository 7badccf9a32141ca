//! The JSON API, `/api/v1`. docs/api.md describes it; `/api/openapi.json` is its OpenAPI
//! description.
//!
//! Status codes: 400 when the request itself is malformed (a missing parameter, a number
//! that is not a number), 422 when a value is well-formed but not accepted (an unknown
//! platform, page 0), 404 when the named offering is unknown. Every error is
//! `{"error": "message"}`.

use crate::{
    directory::{
        OfferingQuery,
        alternatives::{self, OfferingRef},
        search,
    },
    error::{AppError, AppResult},
    federation::Ctx,
};
use axum::{Json, extract::Query, extract::rejection::QueryRejection};
use serde::Deserialize;
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
    json!({
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
        "components": { "schemas": schemas() }
    })
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
        let text = doc.to_string();
        for r in text.split("\"#/components/schemas/").skip(1) {
            let name = &r[..r.find('"').unwrap()];
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "dangling $ref {name}"
            );
        }
    }
}
