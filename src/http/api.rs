//! The JSON API, `/api/v1`. docs/api.md describes it.

use crate::{
    directory::{self, OfferingQuery},
    error::{AppError, AppResult},
    federation::Ctx,
};
use axum::{Json, extract::Query};
use serde_json::{Value, json};

/// `GET /api/v1/offerings`: the directory, filtered and paged.
pub async fn offerings(
    ctx: Ctx,
    query: Result<Query<OfferingQuery>, axum::extract::rejection::QueryRejection>,
) -> AppResult<Json<Value>> {
    let Query(q) =
        query.map_err(|e| AppError::BadRequest(format!("bad query: {}", e.body_text())))?;
    let (items, total) = directory::list_offerings(&ctx.db, &q).await?;
    Ok(Json(
        json!({ "items": items, "total": total, "page": q.page.unwrap_or(1), "per_page": directory::PAGE_SIZE }),
    ))
}
