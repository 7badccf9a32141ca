//! What can go wrong with an incoming activity, in the inbox's terms. The inbox and the
//! activity handlers answer `InboxError`; the inbox's HTTP handler turns it into the
//! HTTP answer (`From<InboxError> for AppError` in src/http/error.rs), with the statuses,
//! messages and `Retry-After` header senders see.

use crate::directory::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// The body, the envelope or the activity's shape is not acceptable (400).
    #[error("{0}")]
    Malformed(String),
    /// The signature is missing, malformed or does not verify, or the key is not the
    /// actor's (401).
    #[error("{0}")]
    Unauthorized(String),
    /// The sender may not do this: a refused domain, an object on another host, an actor
    /// changed by someone else (403).
    #[error("{0}")]
    Forbidden(String),
    /// The activity names something this node does not have (404).
    #[error("{0}")]
    NotFound(String),
    /// The activity conflicts with what is stored (409).
    #[error("{0}")]
    Conflict(String),
    /// The object is gone (410).
    #[error("{0}")]
    Gone(String),
    /// The activity is well formed but its content is refused (422).
    #[error("{0}")]
    Invalid(String),
    /// A server asked on the way (the actor's, a successor's) failed (502).
    #[error("{0}")]
    Upstream(String),
    /// The sender's host is over a limit; it may retry after that many seconds (429).
    #[error("{0}")]
    RateLimited(String, u64),
    /// Anything else: logged, answered without its cause (500).
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type InboxResult<T> = Result<T, InboxError>;

impl From<sea_orm::DbErr> for InboxError {
    fn from(e: sea_orm::DbErr) -> Self {
        InboxError::Internal(e.into())
    }
}

/// The domain's outcomes, as the inbox answers them.
impl From<DomainError> for InboxError {
    fn from(e: DomainError) -> Self {
        use DomainError as D;
        match e {
            D::Invalid(m) => InboxError::Invalid(m.to_string()),
            D::InvalidField(i) => InboxError::Invalid(i.message.to_string()),
            D::NotFound(m) => InboxError::NotFound(m.to_string()),
            D::Conflict(m) => InboxError::Conflict(m.to_string()),
            D::Unauthorized(m) => InboxError::Unauthorized(m.to_string()),
            D::Forbidden(m) => InboxError::Forbidden(m.to_string()),
            D::Gone(m) => InboxError::Gone(m.to_string()),
            D::RateLimited(m, secs) => InboxError::RateLimited(m.to_string(), secs),
            D::Upstream(m) => InboxError::Upstream(m.to_string()),
            D::Db(e) => InboxError::Internal(e.into()),
            D::Other(e) => InboxError::Internal(e),
        }
    }
}

/// The protocol helpers the inbox calls (fetching actors, the domain policy, the
/// length caps, queuing answers) still answer with the HTTP error type; each of its
/// outcomes has its own variant here, so nothing is lost on the way.
impl From<crate::http::error::AppError> for InboxError {
    fn from(e: crate::http::error::AppError) -> Self {
        use crate::http::error::AppError as A;
        match e {
            A::BadRequest(m) => InboxError::Malformed(m),
            A::Unauthorized(m) => InboxError::Unauthorized(m),
            A::Forbidden(m) => InboxError::Forbidden(m),
            A::NotFound(m) => InboxError::NotFound(m),
            A::Conflict(m) => InboxError::Conflict(m),
            A::Gone(m) => InboxError::Gone(m),
            A::Unprocessable(m) => InboxError::Invalid(m),
            A::BadGateway(m) => InboxError::Upstream(m),
            A::TooManyRequests(m, secs) => InboxError::RateLimited(m, secs),
            A::Internal(e) => InboxError::Internal(e),
        }
    }
}
