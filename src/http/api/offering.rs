//! The facts of one offering: read them (`GET …/spec`) and replace them (`PUT`).

use super::{
    Bearer, ErrorBody, FORBIDDEN, Listing, NOT_FOUND, NOT_JSON, REFUSED, UNAUTHORIZED, from_value,
    json_body, managed_offering, no_store,
};
use crate::{
    directory::{self, listing::OfferingSpec, records::Actor},
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use axum::{
    Json,
    body::Bytes,
    extract::Path,
    response::{IntoResponse, Response},
};
use serde_json::Value;

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
fn put_spec(body: &[u8], target: &Actor, current: &OfferingSpec) -> AppResult<OfferingSpec> {
    let mut value: Value = json_body(body)?;
    let Some(map) = value.as_object_mut() else {
        return Err(AppError::Unprocessable(
            crate::msg!("error-api-not-object").text(),
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
            crate::msg!("error-api-aka-fixed")
                .prefixed("also_known_as")
                .text(),
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
        .ok_or_else(|| {
            AppError::NotFound(crate::msg!("error-actor-gone", id = &target.ap_id).text())
        })?;
    Ok(no_store(
        Json(directory::offering_spec(&updated)?).into_response(),
    ))
}
