//! The co-op's answers to members' replies under its announcements: the answer is kept
//! with the thread and its `Create(Note)` is queued in the same transaction, to the
//! asker's inbox and the author's followers (see `directory::replies`).

use super::{AppState, send};
use crate::{
    db::BeginWrite,
    db::entities::reply,
    directory::{DomainResult, replies},
    html,
};

/// The HTML of an answer: the mention of the asker, then the text as paragraphs.
fn compose(target: &replies::AnswerTarget, text: &str) -> String {
    let body = html::paragraphs(text);
    match &target.question {
        Some((_, asker)) => {
            let href = asker.url.as_deref().unwrap_or(&asker.ap_id);
            let mention = format!(
                "<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                html::escape(href),
                html::escape(&asker.username)
            );
            body.replacen("<p>", &format!("<p>{mention} "), 1)
        }
        None => body,
    }
}

/// Post the co-op's answer under `target` (a member's reply, or the announcement itself),
/// optionally pinned into the announcement.
pub async fn answer(
    state: &AppState,
    target: &replies::AnswerTarget,
    text: &str,
    pin: bool,
) -> DomainResult<reply::Model> {
    let text = replies::check_answer(text)?;
    let content = compose(target, text);
    let id = state.url(&format!("/replies/{}", uuid::Uuid::new_v4()));
    let txn = state.db.begin_write().await?;
    let mut model = replies::insert_answer(&txn, target, id.as_str(), &content).await?;
    if pin {
        model = replies::pin(&txn, model, true).await?;
    }
    send::answer_note(
        &txn,
        state,
        &target.author,
        &model,
        target.question.as_ref().map(|(_, a)| a),
    )
    .await
    .map_err(super::effects::domain_error)?;
    txn.commit().await?;
    state.queue_notify.notify_one();
    Ok(model)
}
