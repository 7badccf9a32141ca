//! The page of a path no route answers.

use super::super::{
    frame::{Base, error_page, frame},
    i18n::Tr,
    wants_activity_json,
};
use crate::{federation::Ctx, http::error::AppError};
use axum::{
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};

/// Any path no route answers: a page for browsers, JSON under `/api/` and for clients
/// that ask for JSON (ActivityPub included).
pub async fn not_found(ctx: Ctx, uri: axum::http::Uri, headers: HeaderMap) -> Response {
    let err = AppError::NotFound(Tr.t("error-no-page"));
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("json") && !a.contains("text/html"));
    if uri.path().starts_with("/api/") || json || wants_activity_json(&headers) {
        return err.into_response();
    }
    let base = match frame(&ctx, &headers).await {
        Ok((base, _)) => base,
        Err(_) => Base::new(&ctx, None),
    };
    error_page(base, err)
}
