//! The FASP API under `/fasp` (see [`crate::fasp`] and docs/fasp.md). Every request must
//! carry a valid RFC 9421 signature of an active registration: otherwise 401 with an
//! empty body and no effect. Every answer to a verified request is signed.

use crate::{
    fasp::{self, Refusal},
    federation::{AppState, Ctx},
    http::error::AppError,
};
use axum::{
    body::Bytes,
    extract::Path,
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};
use std::collections::HashMap;

/// One request: verify, run `answer`, sign what it answers.
async fn serve<F, Fut>(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    answer: F,
) -> Response
where
    F: FnOnce(crate::fasp::Registration) -> Fut,
    Fut: std::future::Future<Output = Result<(StatusCode, Option<Value>, HeaderMap), AppError>>,
{
    let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let reg =
        match fasp::verify_request(ctx.app_data(), method.as_str(), target, headers, body).await {
            Ok(r) => r,
            Err(Refusal::Unauthorized) => return StatusCode::UNAUTHORIZED.into_response(),
            Err(Refusal::RateLimited(wait)) => {
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, wait.to_string())],
                )
                    .into_response();
            }
        };
    let (status, value, extra) = match answer(reg.clone()).await {
        Ok(r) => r,
        Err(e) => {
            let status = e.status();
            if status.is_server_error() {
                tracing::error!(error = %crate::http::error::error_chain(&e), "FASP request failed");
            }
            let msg = if status.is_server_error() {
                "internal error".to_string()
            } else {
                e.to_string()
            };
            (status, Some(json!({"error": msg})), HeaderMap::new())
        }
    };
    let bytes = value
        .map(|v| v.to_string())
        .unwrap_or_default()
        .into_bytes();
    let mut headers = match fasp::sign_response(&reg, status, &bytes) {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = %e, "cannot sign a FASP answer");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    headers.extend(extra);
    if !bytes.is_empty() {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    // The digest covers these bytes exactly: no compression on the way out.
    headers.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static("identity"),
    );
    (status, headers, bytes).into_response()
}

fn query_map(uri: &Uri) -> HashMap<String, String> {
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

pub async fn provider_info(
    ctx: Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let info = fasp::provider_info(ctx.app_data());
    serve(&ctx, &method, &uri, &headers, &body, |_| async move {
        Ok((StatusCode::OK, Some(info), HeaderMap::new()))
    })
    .await
}

pub async fn activation(
    ctx: Ctx,
    Path((id, major)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let on = method == Method::POST;
    let db = ctx.db.clone();
    serve(&ctx, &method, &uri, &headers, &body, |reg| async move {
        if fasp::set_capability(&db, &reg, &id, &major, on).await? {
            Ok((StatusCode::NO_CONTENT, None, HeaderMap::new()))
        } else {
            Err(AppError::NotFound(format!(
                "this provider has no capability {id} version {major}"
            )))
        }
    })
    .await
}

pub async fn account_search(
    ctx: Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let q = query_map(&uri);
    let db = ctx.db.clone();
    let state = AppState::clone(&ctx);
    let base = ctx.url("/fasp/account_search/v0/search");
    serve(&ctx, &method, &uri, &headers, &body, |_| async move {
        let Some(term) = q.get("term").filter(|t| !t.trim().is_empty()) else {
            return Err(AppError::Unprocessable("term is required".into()));
        };
        let limit = match q.get("limit") {
            None => fasp::DEFAULT_LIMIT,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if n > 0 => n.min(fasp::MAX_LIMIT),
                _ => {
                    return Err(AppError::Unprocessable(
                        "limit must be a positive integer".into(),
                    ));
                }
            },
        };
        let offset = match q.get("cursor") {
            None => 0,
            Some(c) => c.parse::<usize>().map_err(|_| {
                AppError::Unprocessable("cursor is not one of this provider's".into())
            })?,
        };
        let (uris, more) = fasp::account_search(&db, &state.search, term, limit, offset)
            .await
            .map_err(|e| match e {
                crate::directory::DomainError::Invalid(m) => AppError::Unprocessable(m.text()),
                other => AppError::Internal(anyhow::anyhow!(other)),
            })?;
        let mut extra = HeaderMap::new();
        if more {
            let mut next = base.clone();
            next.query_pairs_mut()
                .append_pair("term", term)
                .append_pair("limit", &limit.to_string())
                .append_pair("cursor", &(offset + limit).to_string());
            if let Ok(v) = HeaderValue::from_str(&format!("<{next}>; rel=\"next\"")) {
                extra.insert(header::LINK, v);
            }
        }
        Ok((StatusCode::OK, Some(json!(uris)), extra))
    })
    .await
}

pub async fn follow_recommendation(
    ctx: Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let q = query_map(&uri);
    let db = ctx.db.clone();
    let state = AppState::clone(&ctx);
    serve(&ctx, &method, &uri, &headers, &body, |_| async move {
        // accountUri is personal data: used for this answer only, never stored or logged.
        let Some(account) = q.get("accountUri").filter(|t| !t.trim().is_empty()) else {
            return Err(AppError::Unprocessable("accountUri is required".into()));
        };
        let uris = fasp::follow_recommendation(
            &db,
            &state.search,
            account,
            q.get("language").map(String::as_str),
        )
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
        Ok((StatusCode::OK, Some(json!(uris)), HeaderMap::new()))
    })
    .await
}

// ---------------------------------------------------------------------------
// Pages: the privacy notice the provider_info links to. The admins' list of
// registrations is an admin page (`http::admin::fasp`).

use super::{
    i18n::Tr,
    pages::{Base, error_page, frame, no_store},
};
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "privacy.html")]
pub struct PrivacyPage {
    base: Base,
    tr: Tr,
}

/// `GET /privacy`: what the node keeps; `#fasp` is the part FASP clients link to.
pub async fn privacy(ctx: Ctx, headers: HeaderMap) -> Response {
    match frame(&ctx, &headers).await {
        Ok((base, _)) => no_store(PrivacyPage { base, tr: Tr }.into_response()),
        Err(e) => error_page(Base::new(&ctx, None), e),
    }
}
