//! The lifecycle endpoints of the JSON API: sunsets (start, preview, postpone, cancel),
//! transfers (propose, preview) and the answers to transfer proposals. Each calls the
//! same `directory` function as the CLI and the staff pages. Who may answer a proposal is
//! the staff of the successor's co-op (or an admin): a token of the proposing co-op gets
//! 403, whatever it sends.

use super::api::{Bearer, json_body, lifecycle_state, no_store};
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SunsetBody {
    /// The last day of service, YYYY-MM-DD.
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    alternatives: Vec<String>,
    #[serde(default)]
    preview: bool,
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
    let raw = req.end.as_deref().unwrap_or("").trim().to_string();
    let end = chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d").map_err(|_| {
        AppError::Unprocessable(format!(
            "end: '{raw}' is not a date; give the last day of service as YYYY-MM-DD"
        ))
    })?;
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    to: String,
    #[serde(default)]
    confirm: bool,
    #[serde(default)]
    note: String,
    /// For a co-op: `OLD=NEW` pairs, or `{"OLD": "NEW"}`.
    #[serde(default)]
    map: Vec<String>,
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
    if req.to.trim().is_empty() {
        return Err(AppError::Unprocessable(
            "to: name the successor: its handle name@domain or its actor URL".into(),
        ));
    }
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
