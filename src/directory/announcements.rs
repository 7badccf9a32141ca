//! Announcements: posts of an offering or co-op to its followers, as `Note`s. Text is
//! written by co-op staff; it becomes HTML here, with hashtags as links and tags.

use super::{
    DomainError, DomainResult, offering_spec,
    types::{ActorKind, AnnouncementKind},
};
use crate::{
    db::entities::{actor, announcement},
    federation::{AppState, send},
    html,
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, Set, TransactionTrait};

/// Longest announcement text, as Mastodon's default post limit allows with room for tags.
pub const MAX_TEXT: usize = 5000;

/// A hashtag found in, or added to, an announcement.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    pub name: String,
    pub href: String,
}

/// Post an announcement from a local offering or co-op; `Create(Note)` goes to every
/// follower in the same transaction.
pub async fn announce(
    state: &AppState,
    author: &actor::Model,
    kind: AnnouncementKind,
    text: &str,
) -> DomainResult<announcement::Model> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::Invalid(
            "the announcement text is empty; write what members should know".into(),
        ));
    }
    let n = text.chars().count();
    if n > MAX_TEXT {
        return Err(DomainError::Invalid(format!(
            "the announcement has {n} characters; at most {MAX_TEXT} are allowed"
        )));
    }
    if author.kind != ActorKind::Offering.to_string() && author.kind != ActorKind::Coop.to_string()
    {
        return Err(DomainError::Invalid(
            "only co-ops and offerings post announcements".into(),
        ));
    }
    let (content, mut tags) = render(state, text);
    if author.kind == ActorKind::Offering.to_string()
        && let Ok(spec) = offering_spec(author)
    {
        let name: String = spec
            .platform
            .label()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if !tags.iter().any(|t| t.name.eq_ignore_ascii_case(&name)) {
            tags.push(tag(state, &name));
        }
    }
    let id = state.url(&format!("/announcements/{}", uuid::Uuid::new_v4()));
    let txn = state.db.begin().await?;
    let model = announcement::ActiveModel {
        ap_id: Set(id.to_string()),
        actor_id: Set(author.id),
        kind: Set(kind.to_string()),
        source: Set(text.to_string()),
        content_html: Set(content),
        tags: Set(serde_json::to_string(&tags).map_err(anyhow::Error::from)?),
        published: Set(Utc::now()),
        updated: Set(None),
        deleted: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    send::create_note(&txn, state, author, &model).await?;
    txn.commit().await?;
    state.queue_notify.notify_one();
    Ok(model)
}

fn tag(state: &AppState, name: &str) -> Tag {
    Tag {
        name: name.to_string(),
        href: state.url(&format!("/?q={name}")).to_string(),
    }
}

/// Text to HTML paragraphs with `#hashtags` linked; returns the tags found.
pub fn render(state: &AppState, text: &str) -> (String, Vec<Tag>) {
    let mut tags: Vec<Tag> = Vec::new();
    let html = html::paragraphs(text);
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(i) = rest.find('#') {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let name: String = after[1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let starts_word = before.is_empty() || before.ends_with([' ', '>', '(']);
        if name.is_empty() || !starts_word || name.chars().all(|c| c.is_ascii_digit()) {
            out.push('#');
            rest = &after[1..];
            continue;
        }
        let t = tag(state, &name);
        out.push_str(&format!(
            "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a>",
            html::escape(&t.href),
            html::escape(&name)
        ));
        if !tags.iter().any(|x| x.name.eq_ignore_ascii_case(&name)) {
            tags.push(t);
        }
        rest = &after[1 + name.len()..];
    }
    out.push_str(rest);
    (out, tags)
}
