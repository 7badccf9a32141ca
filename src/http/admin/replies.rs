//! `/admin/replies`: the latest replies received under the node's announcements, hidden
//! ones marked, each with the staff form that hides it.

use super::super::{
    forms::Page,
    i18n::Tr,
    pages::{Base, page_href},
};
use super::QUEUE_LIMIT;
use crate::{
    directory::{
        admin_views::{self, ReplyInThread},
        replies as domain_replies,
    },
    federation::Ctx,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::http::HeaderMap;

/// One reply in the admins' replies queue.
pub struct ReplyRow {
    pub when: String,
    pub handle: String,
    pub author_href: String,
    pub thread_href: String,
    pub visibility: String,
    pub hidden: bool,
    pub content: String,
    pub ap_id: String,
    /// The listing whose staff form hides it.
    pub hide_action: Option<String>,
}

impl ReplyRow {
    fn of(t: ReplyInThread) -> Self {
        let r = t.reply;
        ReplyRow {
            when: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            handle: format!("@{}", domain_replies::handle(&t.author)),
            author_href: page_href(&t.author),
            thread_href: t
                .announcement
                .as_ref()
                .map(|a| format!("{}#reply-{}", a.ap_id, r.id))
                .unwrap_or_default(),
            visibility: Tr.vocab("reply-visibility", &r.visibility),
            hidden: r.hidden,
            content: r.content_html.clone(),
            hide_action: t
                .owner
                .filter(|o| o.local && !r.hidden)
                .map(|o| format!("/staff/{}/replies/hide", o.username)),
            ap_id: r.ap_id,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_replies.html")]
pub struct RepliesPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    rows: Vec<ReplyRow>,
}

/// `GET /admin/replies`: the latest replies received under the node's announcements,
/// hidden ones marked, each with a form to hide it.
pub async fn replies(ctx: Ctx, headers: HeaderMap) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    let rows = admin_views::recent_replies(&ctx.db, QUEUE_LIMIT).await;
    let page = rows.map_err(Into::into).map(|rows| RepliesPage {
        base: base.clone(),
        tr: Tr,
        section: "replies",
        rows: rows.into_iter().map(ReplyRow::of).collect(),
    });
    Ok(super::render(base, page))
}
