//! The lifecycle endpoints of the JSON API: sunsets (start, preview, postpone, cancel),
//! transfers (propose, preview) and the answers to transfer proposals. Each calls the
//! same `directory` function as the CLI and the staff pages. Who may answer a proposal is
//! the staff of the successor's co-op (or an admin): a token of the proposing co-op gets
//! 403, whatever it sends.

use super::api::{Bearer, end_date, json_body, lifecycle_state, no_store, successor_shape};
use crate::{
    db::entities::{account, actor},
    directory::{
        accounts::{self, Role},
        lifecycle::{self, SunsetRequest, TransferOutcome, TransferRequest},
        transfers::{self, Acting},
    },
    error::{AppError, AppResult},
    federation::Ctx,
};
use axum::{
    Json,
    body::Bytes,
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;

/// The body of `POST /api/v1/offerings/{username}/sunset`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SunsetBody {
    /// The last day of service, `YYYY-MM-DD` (years 2000 to 2999); no sooner than the
    /// longest notice promised (409 otherwise). Required unless `cancel`.
    #[serde(default)]
    #[schema(schema_with = super::openapi::end_date_schema)]
    end: Option<String>,
    /// The co-op's migration note: how to export recordings, until when accounts stay
    /// readable, whom to ask. Goes into the announcements and onto the listing's page.
    #[serde(default)]
    #[schema(max_length = 5000)]
    note: String,
    /// Alternatives the co-op pins (handles or actor URLs), named first.
    #[serde(default)]
    #[schema(max_items = 10)]
    alternatives: Vec<String>,
    /// Show the announcements and the end date; write nothing.
    #[serde(default)]
    preview: bool,
    /// Cancel the sunset: the listing is active again.
    #[serde(default)]
    cancel: bool,
}

pub async fn sunset(ctx: &Ctx, target: &actor::Model, body: &[u8]) -> AppResult<Response> {
    let req: SunsetBody = json_body(body)?;
    if req.cancel {
        lifecycle::cancel_sunset(ctx, target).await?;
        return Ok(no_store(
            Json(lifecycle_state(ctx, target).await?).into_response(),
        ));
    }
    let end = end_date(req.end.as_deref().unwrap_or(""))?;
    let report = lifecycle::sunset_plan(
        ctx,
        target,
        SunsetRequest {
            end,
            today: chrono::Utc::now().date_naive(),
            note: &req.note,
            alternatives: &req.alternatives,
            preview: req.preview,
        },
    )
    .await?;
    if req.preview {
        return Ok(no_store(
            Json(json!({ "preview": true, "last_day_of_service": report.end, "announcements": report.announcements }))
                .into_response(),
        ));
    }
    Ok(no_store(
        Json(lifecycle_state(ctx, target).await?).into_response(),
    ))
}

/// The body of `POST /api/v1/offerings/{username}/transfer`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    /// The successor: a handle `name@domain`, an actor URL, or a listing of this node.
    #[schema(schema_with = super::openapi::successor_schema)]
    to: String,
    /// A transfer cannot be undone: `true` confirms it (not needed with `preview`).
    #[serde(default)]
    confirm: bool,
    /// The co-op's note to its members, in the announcements.
    #[serde(default)]
    #[schema(max_length = 5000)]
    note: String,
    /// For a co-op: `OLD=NEW` pairs mapping each offering to its successor offering.
    #[serde(default)]
    #[schema(max_items = 100)]
    map: Vec<String>,
    /// Show the announcements and what changes for members; write nothing.
    #[serde(default)]
    preview: bool,
}

pub async fn transfer(
    ctx: &Ctx,
    account: &account::Model,
    target: &actor::Model,
    body: &[u8],
) -> AppResult<Response> {
    let req: TransferBody = json_body(body)?;
    successor_shape(&req.to).map_err(|e| AppError::Unprocessable(format!("to: {e}")))?;
    if !req.confirm && !req.preview {
        return Err(AppError::Unprocessable(
            "confirm: a transfer moves every follower and cannot be undone; send \
             \"confirm\": true (or \"preview\": true to see it first)"
                .into(),
        ));
    }
    let by = Acting::of(account);
    let outcome = lifecycle::transfer(
        ctx,
        target,
        TransferRequest {
            to: &req.to,
            note: &req.note,
            map: &req.map,
            preview: req.preview,
            by: &by,
        },
    )
    .await?;
    Ok(no_store(match outcome {
        TransferOutcome::Moved { .. } => Json(lifecycle_state(ctx, target).await?).into_response(),
        TransferOutcome::Proposed { id, .. } => {
            let p = proposal(ctx, id).await?;
            (
                StatusCode::ACCEPTED,
                Json(json!({ "proposal": transfers::to_json(&p, chrono::Utc::now()) })),
            )
                .into_response()
        }
        TransferOutcome::Preview {
            successor,
            needs_consent,
            text,
        } => Json(json!({
            "preview": true,
            "successor": successor,
            "needs_consent": needs_consent,
            "text": text,
        }))
        .into_response(),
    }))
}

async fn proposal(ctx: &Ctx, id: i64) -> AppResult<crate::db::entities::transfer_proposal::Model> {
    use sea_orm::EntityTrait;
    crate::db::entities::transfer_proposal::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("proposal {id} is gone")))
}

/// `GET /api/v1/transfers`: the proposals that concern the token's co-op (all of them for
/// an admin), newest first.
pub async fn list(ctx: Ctx, Bearer(account): Bearer) -> AppResult<Response> {
    let now = chrono::Utc::now();
    let items = match (Role::of(&account), account.coop_id) {
        (Some(Role::Admin), _) => transfers::list(&ctx.db).await?,
        (_, Some(coop)) => transfers::for_coop(&ctx.db, coop).await?,
        _ => vec![],
    };
    let items: Vec<_> = items.iter().map(|p| transfers::to_json(p, now)).collect();
    Ok(no_store(Json(json!({ "items": items })).into_response()))
}

/// The body of `POST /api/v1/transfers/{id}/decline`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclineBody {
    #[serde(default)]
    reason: String,
}

/// The proposal `id`, answerable by `account`: 422 when it is unknown, expired, answered
/// or addressed to another node; 403 when the account is not of the successor's co-op.
async fn answerable(ctx: &Ctx, account: &account::Model, id: i64) -> AppResult<()> {
    let (_, successor) = transfers::addressed_to(&ctx.db, id).await?;
    accounts::authorize(account, &successor).map_err(|e| {
        AppError::Forbidden(format!(
            "only the staff of the co-op of {} answer proposal {id}: {e}",
            successor.ap_id
        ))
    })?;
    Ok(())
}

/// `POST /api/v1/transfers/{id}/accept`.
pub async fn accept(ctx: Ctx, Bearer(account): Bearer, Path(id): Path<i64>) -> AppResult<Response> {
    answerable(&ctx, &account, id).await?;
    let p = transfers::accept(&ctx, id, &Acting::of(&account)).await?;
    Ok(no_store(
        Json(json!({ "proposal": transfers::to_json(&p, chrono::Utc::now()) })).into_response(),
    ))
}

/// `POST /api/v1/transfers/{id}/decline` with an optional `{"reason": "…"}`.
pub async fn decline(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let req: DeclineBody = if body.iter().all(u8::is_ascii_whitespace) {
        DeclineBody::default()
    } else {
        json_body(&body)?
    };
    answerable(&ctx, &account, id).await?;
    let p = transfers::decline(&ctx, id, &req.reason, &Acting::of(&account)).await?;
    Ok(no_store(
        Json(json!({ "proposal": transfers::to_json(&p, chrono::Utc::now()) })).into_response(),
    ))
}
