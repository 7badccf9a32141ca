//! The directory's reads: listed offerings with search and facets, and the alternatives
//! of an offering. No authentication.

use super::{ErrorBody, bad_query};
use crate::{
    directory::{
        OfferingQuery,
        alternatives::{self, OfferingRef},
        search,
    },
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use axum::{
    Json,
    extract::{Query, rejection::QueryRejection},
};
use serde::Deserialize;

/// Alternatives returned when `limit` is not given.
const DEFAULT_ALTERNATIVES: usize = 10;

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
    Ok(Json(search::search(&ctx.db, &ctx.search, &q).await?))
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
    let (target, limit) = alternatives_asked(&q)?;
    Ok(Json(
        alternatives::for_offering(&ctx.db, &ctx.search, &target, limit).await?,
    ))
}

/// The offering and the number of alternatives asked for: 400 without an offering or one
/// that is neither a URL nor a handle, 422 for a limit out of range.
fn alternatives_asked(q: &AlternativesQuery) -> AppResult<(OfferingRef, usize)> {
    let actor = q
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::BadRequest(crate::msg!("error-api-actor-required").text()))?;
    let target: OfferingRef = actor
        .parse()
        .map_err(|e: crate::i18n::Msg| AppError::BadRequest(e.text()))?;
    let limit = match q.limit.as_deref() {
        None => DEFAULT_ALTERNATIVES,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=alternatives::MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                AppError::Unprocessable(
                    crate::msg!(
                        "error-api-limit",
                        value = s,
                        max = alternatives::MAX_LIMIT.to_string(),
                    )
                    .prefixed("limit")
                    .text(),
                )
            })?,
    };
    Ok((target, limit))
}
