//! One error type for the HTTP boundary. Client errors carry a message a person can act
//! on; server errors are logged with their cause and answered without it.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    BadGateway(String),
    /// 429 with `Retry-After` (seconds): a rate limit, e.g. reports from one instance.
    #[error("{0}")]
    TooManyRequests(String, u64),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            AppError::TooManyRequests(..) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::Internal(e.into())
    }
}

/// The one place where the domain's outcomes become statuses. The domain's messages are
/// said here in the language of the request (`crate::i18n::current`, set for every route
/// by `http::i18n::LangLayer`).
impl From<crate::directory::DomainError> for AppError {
    fn from(e: crate::directory::DomainError) -> Self {
        use crate::directory::DomainError as D;
        match e {
            D::Invalid(m) => AppError::Unprocessable(m.text()),
            D::InvalidField(i) => AppError::Unprocessable(i.message.text()),
            D::NotFound(m) => AppError::NotFound(m.text()),
            D::Conflict(m) => AppError::Conflict(m.text()),
            D::Unauthorized(m) => AppError::Unauthorized(m.text()),
            D::Forbidden(m) => AppError::Forbidden(m.text()),
            D::Gone(m) => AppError::Gone(m.text()),
            D::RateLimited(m, secs) => AppError::TooManyRequests(m.text(), secs),
            D::Upstream(m) => AppError::BadGateway(m.text()),
            D::Db(e) => AppError::Internal(e.into()),
            D::Other(e) => AppError::Internal(e),
        }
    }
}

/// A refusal of an account on a listing: 403, in the language of the request.
impl From<crate::directory::accounts::NotAllowed> for AppError {
    fn from(e: crate::directory::accounts::NotAllowed) -> Self {
        AppError::Forbidden(e.0.text())
    }
}

/// An error and its causes in one line ("error sending request: dns error: refused to
/// connect to …"), each cause once: HTTP client errors keep the reason in their sources.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let part = cause.to_string();
        if !part.is_empty() && !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = cause.source();
    }
    text
}

impl From<activitypub_federation::error::Error> for AppError {
    fn from(e: activitypub_federation::error::Error) -> Self {
        use activitypub_federation::error::Error as F;
        match e {
            F::NotFound => AppError::NotFound("not found".into()),
            F::ActivityBodyDigestInvalid | F::ActivitySignatureInvalid => {
                AppError::Unauthorized(e.to_string())
            }
            F::UrlVerificationError(_) | F::ParseReceivedActivity { .. } => {
                AppError::BadRequest(e.to_string())
            }
            F::ObjectDeleted(_) => AppError::Gone(e.to_string()),
            F::RequestLimit
            | F::ResponseBodyLimit
            | F::DomainResolveError(_)
            | F::ResolveInternalIpError(..)
            | F::WebfingerResolveFailed(_)
            | F::ParseFetchedObject(..)
            | F::ReqwestMiddleware(_)
            | F::Reqwest(_)
            | F::FetchInvalidContentType(_)
            | F::FetchWrongId(_) => AppError::BadGateway(error_chain(&e)),
            other => AppError::Internal(other.into()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "internal error; the node's log has the details".to_string()
            }
            other => other.to_string(),
        };
        let mut res = (status, Json(json!({ "error": message }))).into_response();
        if let AppError::TooManyRequests(_, secs) = &self {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, (*secs).into());
        }
        res
    }
}

/// The inbox's outcomes, answered at its HTTP handler.
impl From<crate::federation::error::InboxError> for AppError {
    fn from(e: crate::federation::error::InboxError) -> Self {
        use crate::federation::error::InboxError as I;
        match e {
            I::Malformed(m) => AppError::BadRequest(m),
            I::Unauthorized(m) => AppError::Unauthorized(m),
            I::Forbidden(m) => AppError::Forbidden(m),
            I::NotFound(m) => AppError::NotFound(m),
            I::Conflict(m) => AppError::Conflict(m),
            I::Gone(m) => AppError::Gone(m),
            I::Invalid(m) => AppError::Unprocessable(m),
            I::Upstream(m) => AppError::BadGateway(m),
            I::RateLimited(m, secs) => AppError::TooManyRequests(m, secs),
            I::Internal(e) => AppError::Internal(e),
        }
    }
}
