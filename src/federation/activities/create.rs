//! `Create {object: Note}`: a reply under one of this node's announcements (kept as a
//! reply, see `directory::replies`), a question to the directory actor (answered with a
//! reply `Note`), or an announcement of a peer's co-op or offering that this node follows
//! (stored and shown). Anything else is accepted and dropped.

use super::super::{Ctx, fetch::domain_of, inbox::record_once, policy, protocol::ObjectRef, send};
use crate::db::BeginWrite;
use crate::directory::types::Moderation;
use crate::{
    db::entities::{actor, following},
    directory::{self, ask, replies},
    federation::error::InboxError,
    html,
};
use activitypub_federation::protocol::helpers::deserialize_one_or_many;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

/// Longest stored peer announcement (HTML, after sanitizing).
const MAX_CONTENT: usize = crate::db::entities::caps::CONTENT;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Create {
    pub id: Url,
    pub actor: Url,
    pub object: ObjectRef,
}

/// The parts of a Note we read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Note {
    id: Url,
    #[serde(rename = "type")]
    kind: String,
    attributed_to: Option<Value>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    published: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "tolerant_urls")]
    to: Vec<Url>,
    #[serde(default, deserialize_with = "tolerant_urls")]
    cc: Vec<Url>,
    #[serde(default)]
    tag: Value,
    #[serde(default)]
    in_reply_to: Option<Value>,
    #[serde(default)]
    url: Option<Value>,
    /// The content by language (`{"de": "<p>…</p>"}`), as Mastodon sends it.
    #[serde(default)]
    content_map: Option<serde_json::Map<String, Value>>,
}

impl Note {
    /// The language the Note says it is written in: the first `contentMap` key that
    /// names an interface language.
    fn language(&self) -> Option<crate::i18n::Lang> {
        self.content_map
            .as_ref()?
            .keys()
            .find_map(|k| crate::i18n::Lang::from_tag(k))
    }

    /// Its text as HTML: `content`, else the first string of `contentMap`.
    fn html(&self) -> &str {
        self.content
            .as_deref()
            .or_else(|| {
                self.content_map
                    .as_ref()
                    .and_then(|m| m.values().find_map(Value::as_str))
            })
            .unwrap_or("")
    }
}

impl Note {
    /// The id of the object this Note replies to.
    fn in_reply_to(&self) -> Option<String> {
        self.in_reply_to
            .as_ref()
            .and_then(|r| r.as_str().or_else(|| r.get("id").and_then(|i| i.as_str())))
            .map(str::to_string)
    }

    /// The Note's web page, when it names one on the author's host; else its id.
    fn page(&self) -> String {
        let named = match &self.url {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(a)) => a.iter().find_map(|u| {
                u.as_str()
                    .map(str::to_string)
                    .or_else(|| u.get("href").and_then(|h| h.as_str()).map(str::to_string))
            }),
            Some(Value::Object(o)) => o.get("href").and_then(|h| h.as_str()).map(str::to_string),
            _ => None,
        };
        named
            .and_then(|u| Url::parse(&u).ok())
            .filter(|u| {
                matches!(u.scheme(), "http" | "https") && domain_of(u) == domain_of(&self.id)
            })
            .map(|u| u.to_string())
            .unwrap_or_else(|| self.id.to_string())
    }

    /// Its sanitized HTML, cut to the stored length.
    fn clean_content(&self) -> String {
        html::sanitize(self.html())
            .chars()
            .take(MAX_CONTENT)
            .collect()
    }

    fn visibility(&self, author: &actor::Model) -> replies::Visibility {
        let strings = |v: &[Url]| v.iter().map(|u| u.to_string()).collect::<Vec<_>>();
        replies::Visibility::of(
            &strings(&self.to),
            &strings(&self.cc),
            author.followers.as_deref(),
        )
    }
}

/// Read an embedded object as a Note; `None` for other types or unreadable ones.
pub(crate) fn as_note(object: &Value) -> Option<Note> {
    serde_json::from_value::<Note>(object.clone())
        .ok()
        .filter(|n| n.kind == "Note")
}

/// The author edited a reply under one of our announcements: store the new text and
/// addressing. Returns whether a reply of this author changed.
pub(crate) async fn edit_reply(
    ctx: &Ctx,
    author: &actor::Model,
    note: &Note,
) -> Result<bool, InboxError> {
    Ok(replies::edit(
        &ctx.db,
        author.id,
        note.id.as_str(),
        &note.clean_content(),
        note.visibility(author),
    )
    .await?)
}

fn tolerant_urls<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(deserialize_one_or_many(v).unwrap_or_default())
}

/// `(type, href, name)` of each tag, at most 50.
fn tags(v: &Value) -> Vec<(String, String, String)> {
    let items = match v {
        Value::Array(a) => a.clone(),
        Value::Object(_) => vec![v.clone()],
        _ => vec![],
    };
    items
        .iter()
        .take(50)
        .filter_map(|t| {
            Some((
                t.get("type")?.as_str()?.to_string(),
                t.get("href")
                    .and_then(|h| h.as_str())
                    .unwrap_or_default()
                    .to_string(),
                t.get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or_default()
                    .to_string(),
            ))
        })
        .collect()
}

impl Create {
    pub fn verify(&self, actor: &actor::Model) -> Result<(), InboxError> {
        if self.actor.as_str() != actor.ap_id {
            return Err(InboxError::Malformed(
                "Create.actor is not the signing actor".into(),
            ));
        }
        let id = self
            .object
            .id()
            .ok_or_else(|| InboxError::Malformed("Create needs an object with an id".into()))?;
        // An embedded object of another host is never trusted.
        super::same_host(actor, &id)
    }

    /// Act on the Create and record its id in the same write as the effect (alone when
    /// there is none): a duplicate finds the id recorded and changes nothing.
    pub async fn receive(self, ctx: &Ctx, author: &actor::Model) -> Result<(), InboxError> {
        let Create { id, object, .. } = self;
        let ObjectRef::Object(object) = object else {
            tracing::debug!("Create of an object given by URL only; ignored");
            return record_alone(ctx, &id).await;
        };
        let Some(note) = serde_json::from_value::<Note>(*object)
            .ok()
            .filter(|n| n.kind == "Note")
        else {
            return record_alone(ctx, &id).await;
        };
        let attributed = note.attributed_to.as_ref().and_then(|a| match a {
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => o.get("id").and_then(|i| i.as_str()),
            _ => None,
        });
        if attributed.is_some_and(|a| a != author.ap_id) {
            return Err(InboxError::Forbidden(
                "the Note is attributed to another actor".into(),
            ));
        }
        if let Some(parent) = note.in_reply_to()
            && let Some(target) = replies::target_of(&ctx.db, &parent).await?
        {
            return keep_reply(ctx, &id, author, &note, &parent, target).await;
        }
        // The directory actor's id is the node's URL for its username: no statement to
        // know whether it is mentioned.
        let instance_id = ctx.actor_url(directory::INSTANCE_USERNAME);
        let tags = tags(&note.tag);
        let mentions_us = tags
            .iter()
            .any(|(t, href, _)| t == "Mention" && href == instance_id.as_str())
            || note.to.iter().chain(&note.cc).any(|u| *u == instance_id);
        // Replies to this node's own notes are not questions: two directories must never
        // answer each other's answers.
        let replies_to_us = note
            .in_reply_to()
            .and_then(|r| Url::parse(&r).ok())
            .is_some_and(|r| domain_of(&r) == ctx.settings.domain);
        if mentions_us && !replies_to_us {
            let instance = directory::instance_actor(&ctx.db, ctx.app_data()).await?;
            return answer(ctx, &id, &instance, author, &note, &tags).await;
        }
        let follows = following::Entity::find()
            .filter(following::Column::TargetApId.eq(author.ap_id.as_str()))
            .one(&ctx.db)
            .await?
            .is_some();
        if follows {
            store(ctx, &id, author, &note, &tags).await
        } else {
            record_alone(ctx, &id).await
        }
    }
}

/// Record the id of a Create that has no effect here: the only write.
async fn record_alone(ctx: &Ctx, id: &Url) -> Result<(), InboxError> {
    if !record_once(&ctx.db, id.as_str(), ctx.clock.now()).await? {
        tracing::debug!(%id, "duplicate activity ignored");
    }
    Ok(())
}

/// Begin the transaction of an effect with the record of the activity's id: `None` when
/// the id was recorded before (a duplicate: nothing to do).
async fn record_with_effect(
    ctx: &Ctx,
    id: &Url,
) -> Result<Option<sea_orm::DatabaseTransaction>, InboxError> {
    let txn = ctx.db.begin_write().await?;
    if record_once(&txn, id.as_str(), ctx.clock.now()).await? {
        Ok(Some(txn))
    } else {
        tracing::debug!(%id, "duplicate activity ignored");
        Ok(None)
    }
}

/// Keep a reply under one of our announcements: dropped when its author or domain is
/// blocked, refused with 429 when its host sent too many replies within a minute.
async fn keep_reply(
    ctx: &Ctx,
    id: &Url,
    author: &actor::Model,
    note: &Note,
    parent: &str,
    target: replies::Target,
) -> Result<(), InboxError> {
    let author_url = Url::parse(&author.ap_id).map_err(|e| InboxError::Internal(e.into()))?;
    let blocked = policy::block_for(&ctx.db, &author_url).await?.is_some();
    // The author's moderation as stored now: the inbox may have found the author in its
    // cache of verified actors, which a moderation decision does not touch.
    let moderation = actor::Entity::find_by_id(author.id)
        .one(&ctx.db)
        .await?
        .map_or(author.moderation, |a| a.moderation);
    if blocked || moderation == Moderation::Suspended || moderation == Moderation::Hidden {
        tracing::info!(author = %author.ap_id, reply = %note.id, "reply of a blocked domain or actor dropped");
        return record_alone(ctx, id).await;
    }
    let host = domain_of(&author_url);
    let Some(txn) = record_with_effect(ctx, id).await? else {
        return Ok(());
    };
    if let Some(wait) = replies::reply_budget(&txn, &host, ctx.clock.now()).await? {
        return Err(InboxError::RateLimited(
            format!(
                "{host} sent more than {} replies within {} s; retry in {wait} s",
                replies::REPLIES_PER_WINDOW,
                replies::WINDOW_SECS
            ),
            wait,
        ));
    }
    let content = note.clean_content();
    let page = note.page();
    replies::store(
        &txn,
        author,
        &target,
        replies::Incoming {
            ap_id: note.id.as_str(),
            in_reply_to: parent,
            url: Some(&page),
            content_html: &content,
            visibility: note.visibility(author),
            published: note.published.unwrap_or_else(Utc::now),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Store a peer's announcement, sanitized, so the directory shows it.
async fn store(
    ctx: &Ctx,
    id: &Url,
    author: &actor::Model,
    note: &Note,
    tags: &[(String, String, String)],
) -> Result<(), InboxError> {
    let content: String = html::sanitize(note.content.as_deref().unwrap_or(""))
        .chars()
        .take(MAX_CONTENT)
        .collect();
    let hashtags: Vec<directory::announcements::Tag> = tags
        .iter()
        .filter(|(t, href, _)| t == "Hashtag" && Url::parse(href).is_ok())
        .map(|(_, href, name)| directory::announcements::Tag {
            name: html::to_text(name.trim_start_matches('#'))
                .chars()
                .take(100)
                .collect(),
            href: href.clone(),
            mention: false,
        })
        .collect();
    let Some(txn) = record_with_effect(ctx, id).await? else {
        return Ok(());
    };
    directory::notes::store_peer(
        &txn,
        directory::notes::PeerNote {
            ap_id: note.id.as_str(),
            actor_id: author.id,
            source: html::to_text(&content),
            content_html: content,
            hashtags,
            published: note.published.unwrap_or_else(Utc::now),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Answer a question put to the directory actor with a reply Note to the asker.
async fn answer(
    ctx: &Ctx,
    id: &Url,
    instance: &actor::Model,
    asker: &actor::Model,
    note: &Note,
    tags: &[(String, String, String)],
) -> Result<(), InboxError> {
    let text = html::to_text(&note.html().replace("</p>", " "));
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !w.starts_with('@'))
        .collect();
    let mentioned: Vec<String> = tags
        .iter()
        .filter(|(t, href, _)| t == "Mention" && *href != instance.ap_id && *href != asker.ap_id)
        .map(|(_, href, _)| href.clone())
        .collect();
    let question = ask::parse(&words.join(" "), &mentioned);
    // Answered in the language the question is written in, else the node's.
    let lang = note.language().unwrap_or(ctx.settings.default_language);
    let reply = match ask::answer(&ctx.db, &ctx.search, &question, lang).await {
        Ok(a) => a,
        Err(directory::DomainError::NotFound(m) | directory::DomainError::Invalid(m)) => {
            ask::Answer {
                intro: m.in_lang(lang),
                suggestions: vec![],
            }
        }
        Err(e) => return Err(e.into()),
    };
    let asker_handle = format!(
        "{}@{}",
        asker.username,
        domain_of(&Url::parse(&asker.ap_id).map_err(|e| InboxError::Internal(e.into()))?)
    );
    let Some(txn) = record_with_effect(ctx, id).await? else {
        return Ok(());
    };
    send::reply_note(
        &txn,
        ctx.app_data(),
        instance,
        asker,
        &asker_handle,
        &note.id,
        &reply,
    )
    .await?;
    txn.commit().await?;
    ctx.queue_notify.notify_one();
    Ok(())
}
