//! The replies endpoints of the JSON API: the members' questions waiting under a
//! listing's announcements, the co-op's answers, and hiding a reply. Each calls the same
//! functions as `coopdir reply` and the staff pages (`directory::replies`,
//! `federation::answers`), with the rule of the staff pages on who may act.

use super::api::{
    Bearer, ErrorBody, FORBIDDEN, Listing, NOT_FOUND, NOT_JSON, REFUSED, UNAUTHORIZED, json_body,
    managed, no_store,
};
use crate::{
    directory::{DomainError, replies},
    federation::{Ctx, answers},
    http::error::{AppError, AppResult},
};
use axum::{
    Json,
    body::Bytes,
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A member's reply waiting for the co-op's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Question {
    /// The reply's ActivityPub id: `in_reply_to` of the answer.
    pub id: String,
    /// Its page on the author's server.
    pub url: Option<String>,
    /// The author's handle, `user@domain`.
    pub author: String,
    pub author_id: String,
    /// The announcement it is under.
    pub announcement: String,
    /// Sanitized HTML.
    pub content: String,
    /// `public`, `unlisted`, `followers` or `direct` (the last two are shown to staff only).
    pub visibility: String,
    #[schema(value_type = String, format = DateTime)]
    pub published: DateTime<Utc>,
}

/// The questions under the announcements of a co-op or offering that no answer of the
/// co-op answers yet, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/offerings/{username}/questions",
    operation_id = "listQuestions",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    responses(
        (status = 200, description = "The questions waiting for an answer.", body = Vec<Question>),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
    )
)]
pub async fn questions(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    let items: Vec<Question> = replies::unanswered(&ctx.db, &[target.id])
        .await?
        .into_iter()
        .map(|q| Question {
            author: replies::handle(&q.author),
            author_id: q.author.ap_id.clone(),
            announcement: q.announcement.ap_id.clone(),
            content: q.reply.content_html.clone(),
            visibility: q.reply.visibility.clone(),
            published: q.reply.published,
            url: q.reply.url.clone(),
            id: q.reply.ap_id,
        })
        .collect();
    Ok(no_store(Json(items).into_response()))
}

/// The body of `POST /api/v1/offerings/{username}/answers`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAnswer {
    /// The id of the member's reply to answer, or of the announcement to add to its thread.
    in_reply_to: String,
    /// The answer, plain text (at most 5000 characters); the asker is mentioned before it.
    #[schema(min_length = 1, max_length = 5000)]
    text: String,
    /// Pin the answer into the announcement (shown under the notice).
    #[serde(default)]
    pinned: bool,
}

/// An answer as posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostedAnswer {
    /// The ActivityPub id of the answer's Note.
    pub id: String,
    pub in_reply_to: String,
    pub announcement: String,
    pub pinned: bool,
    #[schema(value_type = String, format = DateTime)]
    pub published: DateTime<Utc>,
}

/// Answer a member's reply under one of the listing's announcements, or add to the thread.
///
/// The answer is a public `Note` of the listing, `inReplyTo` the question, mentioning the
/// asker; it is delivered to the asker's inbox and the listing's followers, queued with
/// the stored answer (as `coopdir reply` and the staff pages do).
#[utoipa::path(
    post,
    path = "/api/v1/offerings/{username}/answers",
    operation_id = "postAnswer",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    request_body = NewAnswer,
    responses(
        (status = 201, description = "Posted; `Location` is its id.", body = PostedAnswer,
            headers(("Location" = String, description = "The answer's id."))),
        (status = 400, description = NOT_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = "No such listing, or `in_reply_to` is no reply under (nor an announcement of) this listing.", body = ErrorBody),
        (status = 409, description = "The reply is hidden by moderation.", body = ErrorBody),
        (status = 422, description = REFUSED, body = ErrorBody),
    )
)]
pub async fn post_answer(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    let new: NewAnswer = json_body(&body)?;
    replies::check_answer(&new.text).map_err(|e| match AppError::from(e) {
        AppError::Unprocessable(m) => AppError::Unprocessable(format!("text: {m}")),
        other => other,
    })?;
    let t = replies::answer_target(&ctx.db, &new.in_reply_to).await?;
    if t.author.id != target.id {
        return Err(DomainError::NotFound(
            crate::msg!(
                "error-api-not-under",
                id = &new.in_reply_to,
                listing = &target.ap_id,
            )
            .prefixed("in_reply_to"),
        )
        .into());
    }
    let posted = answers::answer(&ctx, &t, &new.text, new.pinned).await?;
    let mut res = (
        StatusCode::CREATED,
        Json(PostedAnswer {
            id: posted.ap_id.clone(),
            in_reply_to: posted.in_reply_to.clone(),
            announcement: t.announcement.ap_id.clone(),
            pinned: posted.pinned,
            published: posted.published,
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&posted.ap_id) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(no_store(res))
}

/// The body of `POST /api/v1/offerings/{username}/replies/hide`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideReply {
    /// The id of the reply.
    reply: String,
    /// Why; kept in the moderation log.
    #[schema(min_length = 1)]
    reason: String,
}

/// A reply after moderation.
#[derive(Debug, Serialize, ToSchema)]
pub struct HiddenReply {
    pub id: String,
    pub hidden: bool,
}

/// Hide a reply under one of the listing's announcements from everyone but staff.
///
/// It leaves the page, the `replies` collection and the feed; the reason goes into the
/// moderation log. Hiding a hidden reply again changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/offerings/{username}/replies/hide",
    operation_id = "hideReply",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    request_body = HideReply,
    responses(
        (status = 200, description = "Hidden.", body = HiddenReply),
        (status = 400, description = NOT_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = "No such listing, or no such reply under its announcements.", body = ErrorBody),
        (status = 422, description = REFUSED, body = ErrorBody),
    )
)]
pub async fn hide_reply(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    let req: HideReply = json_body(&body)?;
    let (r, _, owner) = replies::by_ap_id(&ctx.db, &req.reply).await?;
    if owner.id != target.id {
        return Err(AppError::NotFound(
            crate::msg!(
                "error-api-not-under",
                id = &req.reply,
                listing = &target.ap_id
            )
            .prefixed("reply")
            .text(),
        ));
    }
    let by = format!("api:{}", account.username);
    let hidden =
        replies::hide(&ctx.db, r, &by, &req.reason)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Unprocessable(m) => AppError::Unprocessable(format!("reason: {m}")),
                other => other,
            })?;
    Ok(no_store(
        Json(HiddenReply {
            id: hidden.ap_id,
            hidden: hidden.hidden,
        })
        .into_response(),
    ))
}
