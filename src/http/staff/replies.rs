//! Replies under a listing's announcements: the questions waiting on its page, and the
//! forms that answer, hide and pin (`/staff/{username}/answer`, `…/replies/hide`,
//! `…/replies/pin`).

use super::super::{
    forms::{Page, field, pairs_of, see_other},
    i18n::Tr,
    pages::{Base, error_page},
};
use crate::{
    directory::{
        DomainError, replies,
        staff_views::{Actor, Reply},
    },
    federation::Ctx,
    http::error::AppError,
};
use axum::{body::Bytes, extract::Path, http::HeaderMap, response::Response};

/// A member's question waiting for an answer, on the staff page of its listing.
pub struct QuestionView {
    pub ap_id: String,
    pub handle: String,
    pub content: String,
    pub published: String,
    pub href: String,
    pub private_note: Option<String>,
}

pub(super) async fn question_views(ctx: &Ctx, a: &Actor) -> Result<Vec<QuestionView>, AppError> {
    Ok(replies::unanswered(&ctx.db, &[a.id])
        .await?
        .into_iter()
        .map(|q| QuestionView {
            handle: format!("@{}", replies::handle(&q.author)),
            content: q.reply.content_html.clone(),
            published: q.reply.published.format("%Y-%m-%d %H:%M UTC").to_string(),
            href: format!("{}#reply-{}", q.announcement.ap_id, q.reply.id),
            private_note: (!replies::Visibility::shown(&q.reply.visibility))
                .then(|| Tr.vocab("reply-visibility", &q.reply.visibility)),
            ap_id: q.reply.ap_id,
        })
        .collect())
}

/// Where a reply form sends the browser back: the announcement's thread; a refusal is
/// the message as a page with its status.
fn back_to_thread(base: Base, result: Result<String, DomainError>, what: &str) -> Response {
    let announcement = match result {
        Ok(a) => a,
        Err(DomainError::Invalid(m)) => return error_page(base, AppError::Unprocessable(m.text())),
        Err(other) => return error_page(base, other.into()),
    };
    let path = url::Url::parse(&announcement)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "/staff".into());
    see_other(&format!("{path}?done={what}#replies"))
}

/// `POST /staff/{username}/answer`: answer a member's reply (or add to the thread of an
/// announcement) as the listing; `pin` pins the answer into the announcement.
pub async fn answer(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let (base, _, target) = super::managed(&ctx, &headers, &username).await?;
    let pairs = pairs_of(&body);
    let result = answer_as(&ctx, &target, &pairs).await;
    Ok(back_to_thread(base, result, "answer"))
}

/// The answer the form posts, as `target`; the announcement's URL.
async fn answer_as(
    ctx: &Ctx,
    target: &Actor,
    pairs: &[(String, String)],
) -> Result<String, DomainError> {
    let t = replies::answer_target(&ctx.db, field(pairs, "url")).await?;
    if t.author.id != target.id {
        return Err(DomainError::NotFound(crate::msg!(
            "error-api-not-under",
            id = field(pairs, "url"),
            listing = &target.name
        )));
    }
    let pin = field(pairs, "pin") == "1";
    crate::federation::answers::answer(ctx, &t, field(pairs, "text"), pin).await?;
    Ok(t.announcement.ap_id)
}

/// A reply under an announcement of `target`, and that announcement's URL.
async fn reply_of(ctx: &Ctx, target: &Actor, url: &str) -> Result<(Reply, String), DomainError> {
    let (r, a, author) = replies::by_ap_id(&ctx.db, url).await?;
    if author.id != target.id {
        return Err(DomainError::NotFound(crate::msg!(
            "error-api-not-under",
            id = url,
            listing = &target.name
        )));
    }
    Ok((r, a.ap_id))
}

/// `POST /staff/{username}/replies/hide`: hide a reply from everyone but staff, with a
/// reason for the moderation log.
pub async fn hide_reply(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let (base, account, target) = super::managed(&ctx, &headers, &username).await?;
    let pairs = pairs_of(&body);
    let result = async {
        let (r, a) = reply_of(&ctx, &target, field(&pairs, "url")).await?;
        let by = format!("web:{}", account.username);
        replies::hide(&ctx.db, r, &by, field(&pairs, "reason")).await?;
        Ok(a)
    }
    .await;
    Ok(back_to_thread(base, result, "hide"))
}

/// `POST /staff/{username}/replies/pin`: pin an answer of the co-op into its announcement
/// (`pinned=1`) or unpin it.
pub async fn pin_reply(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let (base, _, target) = super::managed(&ctx, &headers, &username).await?;
    let pairs = pairs_of(&body);
    let result = async {
        let (r, a) = reply_of(&ctx, &target, field(&pairs, "url")).await?;
        replies::pin(&ctx.db, r, field(&pairs, "pinned") == "1").await?;
        Ok(a)
    }
    .await;
    Ok(back_to_thread(base, result, "pin"))
}
