//! Announcements: posts of an offering or co-op to its followers, as `Note`s. Text is
//! written by co-op staff; it becomes HTML here, with hashtags as links and tags.

use super::{
    DomainError, DomainResult,
    context::Domain,
    effects::Effect,
    offering_spec,
    types::{ActorKind, AnnouncementKind, Moderation},
};
use crate::db::BeginWrite;
use crate::{
    db::entities::{actor, announcement},
    html,
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, Set};
use std::collections::BTreeMap;

/// Longest announcement text, as Mastodon's default post limit allows with room for tags.
pub const MAX_TEXT: usize = 5000;

/// A hashtag or mention of an announcement. For a hashtag `name` is the tag without `#`;
/// for a mention it is the handle `user@domain` without `@`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    pub name: String,
    pub href: String,
    #[serde(default)]
    pub mention: bool,
}

/// Post an announcement from a local offering or co-op; `Create(Note)` goes to every
/// follower in the same transaction.
pub async fn announce(
    state: &Domain,
    author: &actor::Model,
    kind: AnnouncementKind,
    text: &str,
) -> DomainResult<announcement::Model> {
    announce_in(state, author, kind, text, &[]).await
}

/// As [`announce`], with the text in other languages too (`(tag, text)`, checked with
/// [`check_translations`]); the Note carries them all as `contentMap`.
pub async fn announce_in(
    state: &Domain,
    author: &actor::Model,
    kind: AnnouncementKind,
    text: &str,
    translations: &[(String, String)],
) -> DomainResult<announcement::Model> {
    let text = check_text(text)?;
    if author.kind != ActorKind::Offering && author.kind != ActorKind::Coop {
        return Err(DomainError::Invalid(crate::msg!("error-announce-author")));
    }
    let translations = check_translations(state, author, translations)?;
    let txn = state.db.begin_write().await?;
    let model = insert_in(&txn, state, author, kind, text, &[], &translations).await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(model)
}

/// The text of an announcement in another language than the node's default, as stored in
/// `announcement.translations` (by language tag).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Translation {
    pub source: String,
    pub html: String,
}

/// The translations of an announcement by language tag; none when the column is empty or
/// unreadable.
pub fn translations(a: &announcement::Model) -> BTreeMap<String, Translation> {
    serde_json::from_str(&a.translations).unwrap_or_default()
}

/// The HTML of an announcement in `lang` (a language tag): its translation when it has one
/// whose primary language matches, else its own content.
pub fn html_in<'a>(
    a: &'a announcement::Model,
    t: &'a BTreeMap<String, Translation>,
    lang: &str,
) -> &'a str {
    shown_in(a, t, lang).0
}

/// As [`html_in`], with the language of the text chosen: the translation's tag, else the
/// announcement's own language (`None` when it is not known, as for some remote posts).
pub fn shown_in<'a>(
    a: &'a announcement::Model,
    t: &'a BTreeMap<String, Translation>,
    lang: &str,
) -> (&'a str, Option<&'a str>) {
    let primary = |tag: &str| tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    let want = primary(lang);
    let own = (a.content_html.as_str(), a.language.as_deref());
    if a.language.as_deref().map(primary).as_deref() == Some(want.as_str()) {
        return own;
    }
    t.iter()
        .find(|(tag, _)| tag.eq_ignore_ascii_case(lang))
        .or_else(|| t.iter().find(|(tag, _)| primary(tag) == want))
        .map_or(own, |(tag, tr)| (tr.html.as_str(), Some(tag.as_str())))
}

/// The `lang` attribute an element showing text in `text_lang` needs on a page in
/// `page_lang`: the text's tag when its primary language differs from the page's, else
/// none (the element inherits the page's).
pub fn lang_attribute(text_lang: Option<&str>, page_lang: &str) -> Option<String> {
    let primary = |tag: &str| tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    text_lang
        .filter(|t| !t.is_empty() && primary(t) != primary(page_lang))
        .map(str::to_string)
}

/// Check the texts of an announcement in other languages: each tag well-formed (BCP 47),
/// one of the interface's languages or of the listing's, not the node's default language
/// (that text is the main one) and given once; each text as [`check_text`] wants it.
/// Returns `(tag, trimmed text)`.
pub fn check_translations(
    state: &Domain,
    author: &actor::Model,
    translations: &[(String, String)],
) -> DomainResult<Vec<(String, String)>> {
    use std::str::FromStr;
    let default = state.settings.default_language.code();
    let mut offered: Vec<String> = crate::i18n::Lang::ALL
        .iter()
        .map(|l| l.code().to_string())
        .collect();
    if author.kind == ActorKind::Offering
        && let Ok(spec) = offering_spec(author)
    {
        offered.extend(spec.languages.0.iter().map(|l| l.as_str().to_string()));
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for (tag, text) in translations {
        let tag = super::types::Language::from_str(tag.trim()).map_err(DomainError::Invalid)?;
        let tag = tag.as_str().to_string();
        if tag.eq_ignore_ascii_case(default) {
            return Err(DomainError::Invalid(crate::msg!(
                "error-translation-default",
                tag = &tag
            )));
        }
        if !offered.iter().any(|o| o.eq_ignore_ascii_case(&tag)) {
            return Err(DomainError::Invalid(crate::msg!(
                "error-translation-unoffered",
                tag = &tag,
                offered = offered.join(", ")
            )));
        }
        if out.iter().any(|(t, _)| t.eq_ignore_ascii_case(&tag)) {
            return Err(DomainError::Invalid(crate::msg!(
                "error-translation-twice",
                tag = &tag
            )));
        }
        let text = check_text(text).map_err(|e| match e {
            DomainError::Invalid(m) => DomainError::Invalid(m.prefixed(&tag)),
            other => other,
        })?;
        out.push((tag, text.to_string()));
    }
    Ok(out)
}

/// Check announcement text: not empty, not longer than [`MAX_TEXT`].
pub fn check_text(text: &str) -> DomainResult<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::Invalid(crate::msg!("error-announce-empty")));
    }
    let n = text.chars().count();
    if n > MAX_TEXT {
        return Err(DomainError::Invalid(crate::msg!(
            "error-announce-too-long",
            count = n,
            max = MAX_TEXT
        )));
    }
    Ok(text)
}

/// A mention to add to an announcement: the actor's id and handle `user@domain`.
pub struct Mention {
    pub ap_id: String,
    pub handle: String,
}

/// Write an announcement and its `Create(Note)` inside the caller's transaction. Mentions
/// are appended as links and `Mention` tags; offerings tag their platform.
pub async fn insert(
    db: &DatabaseTransaction,
    state: &Domain,
    author: &actor::Model,
    kind: AnnouncementKind,
    text: &str,
    mentions: &[Mention],
) -> DomainResult<announcement::Model> {
    insert_in(db, state, author, kind, text, mentions, &[]).await
}

/// As [`insert`], with checked translations `(tag, text)`.
async fn insert_in(
    db: &DatabaseTransaction,
    state: &Domain,
    author: &actor::Model,
    kind: AnnouncementKind,
    text: &str,
    mentions: &[Mention],
    translated: &[(String, String)],
) -> DomainResult<announcement::Model> {
    let (content, mut tags) = compose(state, author, text, mentions);
    let mut translations = BTreeMap::new();
    for (lang, source) in translated {
        let (html, more) = compose(state, author, source, mentions);
        for t in more {
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        translations.insert(
            lang.clone(),
            Translation {
                source: source.clone(),
                html,
            },
        );
    }
    let id = state.url(&format!("/announcements/{}", uuid::Uuid::new_v4()));
    let model = announcement::ActiveModel {
        ap_id: Set(id.to_string()),
        actor_id: Set(author.id),
        kind: Set(kind),
        source: Set(text.to_string()),
        content_html: Set(content),
        tags: Set(serde_json::to_string(&tags).map_err(anyhow::Error::from)?),
        published: Set(Utc::now()),
        updated: Set(None),
        deleted: Set(false),
        language: Set(Some(state.settings.default_language.code().to_string())),
        translations: Set(serde_json::to_string(&translations).map_err(anyhow::Error::from)?),
        ..Default::default()
    }
    .insert(db)
    .await?;
    state
        .effects
        .record(
            db,
            Effect::Announced {
                author: author.clone(),
                announcement: model.clone(),
            },
        )
        .await?;
    // Every platform listed today is video conferencing: its category group boosts the
    // offerings' announcements (FEP-1b12).
    if author.kind == ActorKind::Offering
        && author.moderation == Moderation::Approved
        && let Some(group) = super::find_local(db, super::VIDEO_GROUP_USERNAME).await?
    {
        state
            .effects
            .record(
                db,
                Effect::Relayed {
                    group,
                    object: model.ap_id.clone(),
                },
            )
            .await?;
    }
    Ok(model)
}

/// The HTML and tags of an announcement: the text with its hashtags linked, then the
/// mentions, then (for offerings) the platform as a hashtag, each also as a link in the
/// content, as Mastodon expects tags to appear.
fn compose(
    state: &Domain,
    author: &actor::Model,
    text: &str,
    mentions: &[Mention],
) -> (String, Vec<Tag>) {
    let (mut content, mut tags) = render(state, text);
    if !mentions.is_empty() {
        let links: Vec<String> = mentions
            .iter()
            .map(|m| {
                format!(
                    "<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                    html::escape(&m.ap_id),
                    html::escape(&m.handle)
                )
            })
            .collect();
        content.push_str(&format!("<p>{}</p>", links.join(" ")));
        tags.extend(mentions.iter().map(|m| Tag {
            name: m.handle.clone(),
            href: m.ap_id.clone(),
            mention: true,
        }));
    }
    if author.kind == ActorKind::Offering
        && let Ok(spec) = offering_spec(author)
    {
        let name: String = spec
            .platform
            .label()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if !tags
            .iter()
            .any(|t| !t.mention && t.name.eq_ignore_ascii_case(&name))
        {
            let t = tag(state, &name);
            content.push_str(&format!(
                "<p><a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a></p>",
                html::escape(&t.href),
                html::escape(&name)
            ));
            tags.push(t);
        }
    }
    (content, tags)
}

fn tag(state: &Domain, name: &str) -> Tag {
    Tag {
        name: name.to_string(),
        href: state.url(&format!("/?q={name}")).to_string(),
        mention: false,
    }
}

/// Text to HTML paragraphs with `#hashtags` linked; returns the tags found.
pub fn render(state: &Domain, text: &str) -> (String, Vec<Tag>) {
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

/// Find a live announcement of this node by its URL.
pub async fn find(state: &Domain, url: &str) -> DomainResult<(announcement::Model, actor::Model)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let a = announcement::Entity::find()
        .filter(announcement::Column::ApId.eq(url.trim()))
        .one(&state.db)
        .await?
        .filter(|a| !a.deleted)
        .ok_or_else(|| {
            DomainError::NotFound(crate::msg!("error-announcement-unknown", url = url))
        })?;
    let author = actor::Entity::find_by_id(a.actor_id)
        .one(&state.db)
        .await?
        .filter(|author| author.local)
        .ok_or_else(|| {
            DomainError::NotFound(crate::msg!("error-announcement-not-local", url = url))
        })?;
    Ok((a, author))
}

/// Edit an announcement's text; followers get `Update(Note)`. Its texts in other
/// languages are kept.
pub async fn edit(state: &Domain, url: &str, text: &str) -> DomainResult<announcement::Model> {
    edit_in(state, url, text, &[]).await
}

/// As [`edit`], with texts in other languages (`(tag, text)`, checked with
/// [`check_translations`]): each given language is added or replaces its earlier text;
/// the languages not given keep theirs. The `Update(Note)` carries them all.
pub async fn edit_in(
    state: &Domain,
    url: &str,
    text: &str,
    translations: &[(String, String)],
) -> DomainResult<announcement::Model> {
    let text = check_text(text)?;
    let (a, author) = find(state, url).await?;
    let translated = check_translations(state, &author, translations)?;
    let old_tags: Vec<Tag> = serde_json::from_str(&a.tags).unwrap_or_default();
    let mentions: Vec<Mention> = old_tags
        .into_iter()
        .filter(|t| t.mention)
        .map(|t| Mention {
            ap_id: t.href,
            handle: t.name,
        })
        .collect();
    let (content, mut all) = compose(state, &author, text, &mentions);
    let mut stored = self::translations(&a);
    for (lang, source) in &translated {
        let (html, more) = compose(state, &author, source, &mentions);
        for t in more {
            if !all.contains(&t) {
                all.push(t);
            }
        }
        stored.retain(|tag, _| !tag.eq_ignore_ascii_case(lang));
        stored.insert(
            lang.clone(),
            Translation {
                source: source.clone(),
                html,
            },
        );
    }
    let txn = state.db.begin_write().await?;
    let mut am: announcement::ActiveModel = a.into();
    am.source = Set(text.to_string());
    am.content_html = Set(content);
    am.tags = Set(serde_json::to_string(&all).map_err(anyhow::Error::from)?);
    am.translations = Set(serde_json::to_string(&stored).map_err(anyhow::Error::from)?);
    am.updated = Set(Some(Utc::now()));
    let model = am.update(&txn).await?;
    state
        .effects
        .record(
            &txn,
            Effect::AnnouncementEdited {
                author,
                announcement: model.clone(),
            },
        )
        .await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(model)
}

/// Withdraw an announcement; followers get `Delete` with a `Tombstone` and the URL answers
/// 410 Gone.
pub async fn withdraw(state: &Domain, url: &str) -> DomainResult<()> {
    let (a, author) = find(state, url).await?;
    let txn = state.db.begin_write().await?;
    let mut am: announcement::ActiveModel = a.clone().into();
    am.deleted = Set(true);
    am.updated = Set(Some(Utc::now()));
    am.update(&txn).await?;
    state
        .effects
        .record(
            &txn,
            Effect::AnnouncementWithdrawn {
                author,
                announcement: a,
            },
        )
        .await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(())
}

/// The announcements an actor's page and feed show, newest first, at most `limit`: its
/// own; for a category group, those it boosted (its `Announce`s), which is what its
/// followers receive.
pub async fn shown_by<C: ConnectionTrait>(
    db: &C,
    a: &actor::Model,
    limit: u64,
) -> Result<Vec<announcement::Model>, sea_orm::DbErr> {
    use crate::db::entities::activity;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let notes = announcement::Entity::find().filter(announcement::Column::Deleted.eq(false));
    let notes = if a.kind == ActorKind::Group {
        let boosted: Vec<String> = activity::Entity::find()
            .filter(activity::Column::ActorId.eq(a.id))
            .filter(activity::Column::Kind.eq("Announce"))
            .order_by_desc(activity::Column::CreatedAt)
            .limit(limit)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|b| b.object_ap_id)
            .collect();
        notes.filter(announcement::Column::ApId.is_in(boosted))
    } else {
        notes.filter(announcement::Column::ActorId.eq(a.id))
    };
    notes
        .order_by_desc(announcement::Column::Published)
        .limit(limit)
        .all(db)
        .await
}
