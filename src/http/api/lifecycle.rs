//! Sunsets and transfers of a listing (`POST …/sunset`, `POST …/transfer`), and the
//! shapes of their values.

use super::{
    Bearer, ErrorBody, FORBIDDEN, Listing, NOT_JSON, REFUSED, SUNSET_CONFLICT, TRANSFER_CONFLICT,
    UNAUTHORIZED, handle_of, managed,
};
use crate::{
    directory::{self, records::Actor},
    federation::Ctx,
    http::error::{AppError, AppResult},
    i18n::Msg,
};
use axum::{body::Bytes, extract::Path, response::Response};
use serde::Serialize;
use utoipa::ToSchema;

/// What `end` of a sunset must look like: a date in the years 2000 to 2999.
pub const END_DATE_PATTERN: &str = "^2[0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$";

/// The end date of a sunset: exactly `YYYY-MM-DD`, a real day, in the years 2000 to 2999.
pub(crate) fn end_date(s: &str) -> AppResult<chrono::NaiveDate> {
    use chrono::Datelike;
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| s.len() == 10 && (2000..=2999).contains(&d.year()))
        .ok_or_else(|| {
            AppError::Unprocessable(
                crate::msg!("error-api-end-date", value = s)
                    .prefixed("end")
                    .text(),
            )
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
    request_body = crate::http::api_transfers::SunsetBody,
    responses(
        (status = 200, description = "Sunsetting (or postponed, or cancelled: active again); with `preview`, what it would post.", body = crate::http::api_transfers::SunsetAnswer),
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
    crate::http::api_transfers::sunset(&ctx, &target, &body).await
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
    request_body = crate::http::api_transfers::TransferBody,
    responses(
        (status = 200, description = "Transferred at once (same co-op, an admin acting for both, or a successor that already names it); with `preview`, what it would announce.", body = crate::http::api_transfers::TransferAnswer),
        (status = 202, description = "Proposed: nothing moves until the successor's co-op accepts it (`/api/v1/transfers`).", body = crate::http::api_transfers::ProposalAnswer),
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
    crate::http::api_transfers::transfer(&ctx, &account, &target, &body).await
}

/// The shape of a successor, before it is looked up: an http(s) URL, a handle
/// `name@domain` (with an optional leading `@` or `acct:`), or the name of a listing of this
/// node; no whitespace inside. The pattern of `crate::http::openapi::successor_schema` says the
/// same.
pub(crate) fn successor_shape(to: &str) -> Result<(), Msg> {
    let to = to.trim();
    if to.is_empty() {
        return Err(crate::msg!("error-successor-empty"));
    }
    if to.starts_with("http://") || to.starts_with("https://") {
        return url::Url::parse(to).map(|_| ()).map_err(|e| {
            crate::msg!(
                "error-successor-not-url",
                value = to,
                reason = e.to_string()
            )
        });
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
        Err(crate::msg!("error-successor-shape", value = to))
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
pub(crate) async fn lifecycle_state(ctx: &Ctx, target: &Actor) -> AppResult<LifecycleState> {
    let a = directory::find_local(&ctx.db, &target.username)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(crate::msg!("error-actor-gone", id = &target.ap_id).text())
        })?;
    Ok(LifecycleState {
        handle: handle_of(&a),
        actor: a.ap_id,
        status: a.status.to_string(),
        sunset_end: a.sunset_end,
        last_day_of_service: a.sunset_end,
        moved_to: a.moved_to,
    })
}
