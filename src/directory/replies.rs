//! Replies under announcements: members' questions that arrive from the fediverse
//! (`Create(Note)` with `inReplyTo` one of this node's announcements, or a reply to one),
//! and the co-op's answers. Threads are one level deep: a reply to a reply is shown under
//! the top-level reply it belongs to.
//!
//! Who sees what follows the reply's addressing: `public` and `unlisted` replies are shown
//! on the announcement's page and in its `replies` collection; `followers` and `direct`
//! ones are kept for the co-op's staff only. A reply hidden by staff or an admin is shown
//! to nobody but staff, and the decision is in the moderation log.

use super::{DomainError, DomainResult, moderation};
use crate::db::entities::{actor, announcement, reply};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Query,
};
use std::collections::HashMap;

/// Replies stored from one remote host per [`WINDOW_SECS`]; more are refused with 429 so
/// the sender retries later.
pub const REPLIES_PER_WINDOW: u64 = 30;
pub const WINDOW_SECS: i64 = 60;
/// Longest answer text of the co-op, in characters (as an announcement).
pub const MAX_ANSWER: usize = super::announcements::MAX_TEXT;

/// `https://www.w3.org/ns/activitystreams#Public` and its compact forms.
const PUBLIC: [&str; 3] = [
    "https://www.w3.org/ns/activitystreams#Public",
    "as:Public",
    "Public",
];

/// Who a reply is addressed to, as Mastodon decides it from `to` and `cc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The public collection in `to`.
    Public,
    /// The public collection in `cc` only.
    Unlisted,
    /// The author's followers, without the public.
    Followers,
    /// Only the people named.
    Direct,
}

impl Visibility {
    /// From the addressing of a Note; `followers` is the author's followers collection.
    pub fn of(to: &[String], cc: &[String], followers: Option<&str>) -> Self {
        let public = |v: &[String]| v.iter().any(|u| PUBLIC.contains(&u.as_str()));
        if public(to) {
            Visibility::Public
        } else if public(cc) {
            Visibility::Unlisted
        } else if to
            .iter()
            .chain(cc)
            .any(|u| followers.is_some_and(|f| f == u) || u.ends_with("/followers"))
        {
            Visibility::Followers
        } else {
            Visibility::Direct
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Followers => "followers",
            Visibility::Direct => "direct",
        }
    }

    /// Shown to everyone (page, collection, feed).
    pub fn shown(s: &str) -> bool {
        s == "public" || s == "unlisted"
    }
}

/// Where a reply belongs: the announcement of this node, and the top-level reply it is
/// threaded under (none for a reply to the announcement itself).
#[derive(Debug, Clone)]
pub struct Target {
    pub announcement: announcement::Model,
    pub author: actor::Model,
    pub parent: Option<reply::Model>,
}

/// The thread that `in_reply_to` belongs to, when it is a live announcement of a local
/// co-op or offering, or a stored reply under one. `None` for anything else: a reply to
/// something that is not ours is not kept.
pub async fn target_of<C: ConnectionTrait>(
    db: &C,
    in_reply_to: &str,
) -> Result<Option<Target>, DbErr> {
    let (announcement_id, parent) = if let Some(a) = announcement::Entity::find()
        .filter(announcement::Column::ApId.eq(in_reply_to))
        .one(db)
        .await?
    {
        (a.id, None)
    } else if let Some(r) = reply::Entity::find()
        .filter(reply::Column::ApId.eq(in_reply_to))
        .filter(reply::Column::Deleted.eq(false))
        .one(db)
        .await?
    {
        let top = match r.parent_id {
            Some(p) => reply::Entity::find_by_id(p).one(db).await?,
            None => Some(r.clone()),
        };
        (r.announcement_id, top)
    } else {
        return Ok(None);
    };
    let Some(announcement) = announcement::Entity::find_by_id(announcement_id)
        .one(db)
        .await?
        .filter(|a| !a.deleted)
    else {
        return Ok(None);
    };
    let Some(author) = actor::Entity::find_by_id(announcement.actor_id)
        .one(db)
        .await?
        .filter(|a| a.local)
    else {
        return Ok(None);
    };
    Ok(Some(Target {
        announcement,
        author,
        parent,
    }))
}

/// `None` while `host` may send another reply; else the seconds until it may. Counts the
/// replies stored from that host's actors in the last [`WINDOW_SECS`].
pub async fn reply_budget<C: ConnectionTrait>(
    db: &C,
    host: &str,
    now: DateTime<Utc>,
) -> Result<Option<u64>, DbErr> {
    let since = now - chrono::Duration::seconds(WINDOW_SECS);
    let recent = reply::Entity::find()
        .filter(reply::Column::CreatedAt.gt(since))
        .filter(reply::Column::Local.eq(false))
        .filter(
            reply::Column::ActorId.in_subquery(
                Query::select()
                    .column(actor::Column::Id)
                    .from(actor::Entity)
                    .and_where(actor::Column::Domain.eq(host))
                    .to_owned(),
            ),
        )
        .order_by_asc(reply::Column::CreatedAt)
        .all(db)
        .await?;
    if (recent.len() as u64) < REPLIES_PER_WINDOW {
        return Ok(None);
    }
    let oldest = recent.first().map(|r| r.created_at).unwrap_or(now);
    let wait = (oldest + chrono::Duration::seconds(WINDOW_SECS) - now).num_seconds();
    Ok(Some(u64::try_from(wait).unwrap_or(1).clamp(1, 60)))
}

/// A reply received from the fediverse, its HTML already sanitized and capped.
pub struct Incoming<'a> {
    pub ap_id: &'a str,
    pub in_reply_to: &'a str,
    pub url: Option<&'a str>,
    pub content_html: &'a str,
    pub visibility: Visibility,
    pub published: DateTime<Utc>,
}

/// Keep a reply under its thread. A second delivery of the same Note changes nothing.
pub async fn store<C: ConnectionTrait>(
    db: &C,
    author: &actor::Model,
    target: &Target,
    r: Incoming<'_>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::OnConflict;
    reply::Entity::insert(reply::ActiveModel {
        ap_id: Set(r.ap_id.to_string()),
        announcement_id: Set(target.announcement.id),
        parent_id: Set(target.parent.as_ref().map(|p| p.id)),
        in_reply_to: Set(r.in_reply_to.to_string()),
        actor_id: Set(author.id),
        local: Set(false),
        content_html: Set(r.content_html.to_string()),
        url: Set(r.url.map(str::to_string)),
        visibility: Set(r.visibility.as_str().to_string()),
        published: Set(r.published),
        updated: Set(None),
        deleted: Set(false),
        hidden: Set(false),
        pinned: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(reply::Column::ApId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A stored reply of `author_id` by its id; `None` when there is none of that author.
pub async fn of_author<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
    ap_id: &str,
) -> Result<Option<reply::Model>, DbErr> {
    reply::Entity::find()
        .filter(reply::Column::ApId.eq(ap_id))
        .filter(reply::Column::ActorId.eq(author_id))
        .filter(reply::Column::Local.eq(false))
        .one(db)
        .await
}

/// The author edited the reply: new text and addressing. Returns whether one changed.
pub async fn edit<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
    ap_id: &str,
    content_html: &str,
    visibility: Visibility,
) -> Result<bool, DbErr> {
    let Some(r) = of_author(db, author_id, ap_id).await? else {
        return Ok(false);
    };
    if r.deleted {
        return Ok(false);
    }
    let mut am: reply::ActiveModel = r.into();
    am.content_html = Set(content_html.to_string());
    am.visibility = Set(visibility.as_str().to_string());
    am.updated = Set(Some(Utc::now()));
    am.update(db).await?;
    Ok(true)
}

/// The author deleted the reply: its text is forgotten and it is shown no more.
pub async fn delete<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
    ap_id: &str,
) -> Result<bool, DbErr> {
    let Some(r) = of_author(db, author_id, ap_id).await? else {
        return Ok(false);
    };
    let mut am: reply::ActiveModel = r.into();
    am.deleted = Set(true);
    am.content_html = Set(String::new());
    am.updated = Set(Some(Utc::now()));
    am.update(db).await?;
    Ok(true)
}

/// One reply with its author, as pages, feeds and the API show it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub reply: reply::Model,
    pub author: actor::Model,
    /// A reply of the co-op that answers this one exists.
    pub answered: bool,
}

/// A top-level reply and the replies threaded under it, oldest first.
#[derive(Debug, Clone)]
pub struct Thread {
    pub top: Shown,
    pub children: Vec<Shown>,
}

/// The replies of an announcement, threaded one level, oldest first. For the public
/// (`staff` false) only shown replies that are not hidden; staff also see followers-only,
/// direct and hidden ones (each marked by its row).
pub async fn thread<C: ConnectionTrait>(
    db: &C,
    announcement_id: i64,
    staff: bool,
) -> Result<Vec<Thread>, DbErr> {
    let rows = visible(db, announcement_id, staff).await?;
    let answered: Vec<String> = rows
        .iter()
        .filter(|(r, _)| r.local)
        .map(|(r, _)| r.in_reply_to.clone())
        .collect();
    let mut threads: Vec<Thread> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut orphans: Vec<Shown> = Vec::new();
    for (r, author) in rows {
        let shown = Shown {
            answered: answered.contains(&r.ap_id),
            reply: r,
            author,
        };
        match shown.reply.parent_id {
            None => {
                index.insert(shown.reply.id, threads.len());
                threads.push(Thread {
                    top: shown,
                    children: vec![],
                });
            }
            Some(p) => match index.get(&p) {
                Some(&i) => threads[i].children.push(shown),
                None => orphans.push(shown),
            },
        }
    }
    // A reply whose top-level reply is not shown (hidden, deleted, private) stands alone.
    for o in orphans {
        threads.push(Thread {
            top: o,
            children: vec![],
        });
    }
    threads.sort_by_key(|t| t.top.reply.published);
    Ok(threads)
}

/// Replies of an announcement with their authors, oldest first.
async fn visible<C: ConnectionTrait>(
    db: &C,
    announcement_id: i64,
    staff: bool,
) -> Result<Vec<(reply::Model, actor::Model)>, DbErr> {
    let mut q = reply::Entity::find()
        .filter(reply::Column::AnnouncementId.eq(announcement_id))
        .filter(reply::Column::Deleted.eq(false));
    if !staff {
        q = q
            .filter(reply::Column::Hidden.eq(false))
            .filter(reply::Column::Visibility.is_in(["public", "unlisted"]));
    }
    let rows = q
        .order_by_asc(reply::Column::Published)
        .order_by_asc(reply::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    with_authors(db, rows).await
}

async fn with_authors<C: ConnectionTrait>(
    db: &C,
    rows: Vec<reply::Model>,
) -> Result<Vec<(reply::Model, actor::Model)>, DbErr> {
    let ids: Vec<i64> = rows.iter().map(|r| r.actor_id).collect();
    let authors: HashMap<i64, actor::Model> = actor::Entity::find()
        .filter(actor::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| authors.get(&r.actor_id).cloned().map(|a| (r, a)))
        .collect())
}

/// The ids of the replies an announcement's `replies` collection lists: shown, not hidden,
/// oldest first.
pub async fn public_ids<C: ConnectionTrait>(
    db: &C,
    announcement_id: i64,
) -> Result<Vec<String>, DbErr> {
    Ok(visible(db, announcement_id, false)
        .await?
        .into_iter()
        .map(|(r, _)| r.ap_id)
        .collect())
}

/// How many replies each announcement shows to everyone.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    announcement_ids: &[i64],
) -> Result<HashMap<i64, u64>, DbErr> {
    let mut out = HashMap::new();
    for id in announcement_ids {
        let n = reply::Entity::find()
            .filter(reply::Column::AnnouncementId.eq(*id))
            .filter(reply::Column::Deleted.eq(false))
            .filter(reply::Column::Hidden.eq(false))
            .filter(reply::Column::Visibility.is_in(["public", "unlisted"]))
            .count(db)
            .await?;
        out.insert(*id, n);
    }
    Ok(out)
}

/// A question waiting for the co-op's answer, with its announcement.
#[derive(Debug, Clone)]
pub struct Question {
    pub reply: reply::Model,
    pub author: actor::Model,
    pub announcement: announcement::Model,
}

/// Replies of members under the announcements of `actor_ids` that no reply of the co-op
/// answers yet (hidden and deleted ones left out), oldest first.
pub async fn unanswered<C: ConnectionTrait>(
    db: &C,
    actor_ids: &[i64],
) -> Result<Vec<Question>, DbErr> {
    let announcements: HashMap<i64, announcement::Model> = announcement::Entity::find()
        .filter(announcement::Column::ActorId.is_in(actor_ids.to_vec()))
        .filter(announcement::Column::Deleted.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let ids: Vec<i64> = announcements.keys().copied().collect();
    let rows = reply::Entity::find()
        .filter(reply::Column::AnnouncementId.is_in(ids.clone()))
        .filter(reply::Column::Deleted.eq(false))
        .order_by_asc(reply::Column::Published)
        .all(db)
        .await?;
    let answered: Vec<String> = rows
        .iter()
        .filter(|r| r.local)
        .map(|r| r.in_reply_to.clone())
        .collect();
    let open: Vec<reply::Model> = rows
        .into_iter()
        .filter(|r| !r.local && !r.hidden && !answered.contains(&r.ap_id))
        .take(200)
        .collect();
    Ok(with_authors(db, open)
        .await?
        .into_iter()
        .filter_map(|(reply, author)| {
            announcements
                .get(&reply.announcement_id)
                .cloned()
                .map(|announcement| Question {
                    reply,
                    author,
                    announcement,
                })
        })
        .collect())
}

/// What the co-op answers: the announcement, who posts the answer (the announcement's
/// author) and the question, unless the answer goes under the announcement itself.
#[derive(Debug, Clone)]
pub struct AnswerTarget {
    pub announcement: announcement::Model,
    pub author: actor::Model,
    pub question: Option<(reply::Model, actor::Model)>,
}

/// Resolve `url` (an announcement of this node, or a reply under one) to what an answer
/// goes under.
pub async fn answer_target<C: ConnectionTrait>(db: &C, url: &str) -> DomainResult<AnswerTarget> {
    let url = url.trim();
    let not_ours = || DomainError::NotFound(crate::msg!("error-answer-target", url = url));
    let question = reply::Entity::find()
        .filter(reply::Column::ApId.eq(url))
        .filter(reply::Column::Deleted.eq(false))
        .one(db)
        .await?;
    let announcement = match &question {
        Some(q) => {
            announcement::Entity::find_by_id(q.announcement_id)
                .one(db)
                .await?
        }
        None => {
            announcement::Entity::find()
                .filter(announcement::Column::ApId.eq(url))
                .one(db)
                .await?
        }
    }
    .filter(|a| !a.deleted)
    .ok_or_else(not_ours)?;
    let author = actor::Entity::find_by_id(announcement.actor_id)
        .one(db)
        .await?
        .filter(|a| a.local)
        .ok_or_else(not_ours)?;
    let question = match question {
        Some(q) => {
            if q.hidden {
                return Err(DomainError::Conflict(crate::msg!(
                    "error-answer-hidden",
                    url = url
                )));
            }
            let asker = actor::Entity::find_by_id(q.actor_id)
                .one(db)
                .await?
                .ok_or_else(not_ours)?;
            Some((q, asker))
        }
        None => None,
    };
    Ok(AnswerTarget {
        announcement,
        author,
        question,
    })
}

/// Check an answer's text: not empty, not longer than [`MAX_ANSWER`].
pub fn check_answer(text: &str) -> DomainResult<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::Invalid(crate::msg!("error-answer-empty")));
    }
    let n = text.chars().count();
    if n > MAX_ANSWER {
        return Err(DomainError::Invalid(crate::msg!(
            "error-answer-long",
            count = n,
            max = MAX_ANSWER
        )));
    }
    Ok(text)
}

/// Store the co-op's answer (in the caller's transaction, with its delivery): public,
/// or direct when the question was not public.
pub async fn insert_answer<C: ConnectionTrait>(
    db: &C,
    target: &AnswerTarget,
    ap_id: &str,
    content_html: &str,
) -> Result<reply::Model, DbErr> {
    let (in_reply_to, parent_id) = match &target.question {
        Some((q, _)) => (q.ap_id.clone(), Some(q.parent_id.unwrap_or(q.id))),
        None => (target.announcement.ap_id.clone(), None),
    };
    // A question asked in private (followers only, direct) is answered in private: to
    // the asker only, never shown on the page.
    let visibility = match &target.question {
        Some((q, _)) if !Visibility::shown(&q.visibility) => Visibility::Direct,
        _ => Visibility::Public,
    };
    let now = Utc::now();
    reply::ActiveModel {
        ap_id: Set(ap_id.to_string()),
        announcement_id: Set(target.announcement.id),
        parent_id: Set(parent_id),
        in_reply_to: Set(in_reply_to),
        actor_id: Set(target.author.id),
        local: Set(true),
        content_html: Set(content_html.to_string()),
        url: Set(Some(ap_id.to_string())),
        visibility: Set(visibility.as_str().to_string()),
        published: Set(now),
        updated: Set(None),
        deleted: Set(false),
        hidden: Set(false),
        pinned: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A reply of this node by its id.
pub async fn by_ap_id<C: ConnectionTrait>(
    db: &C,
    ap_id: &str,
) -> DomainResult<(reply::Model, announcement::Model, actor::Model)> {
    let r = reply::Entity::find()
        .filter(reply::Column::ApId.eq(ap_id.trim()))
        .filter(reply::Column::Deleted.eq(false))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::NotFound(crate::msg!("error-reply-unknown", url = ap_id)))?;
    let a = announcement::Entity::find_by_id(r.announcement_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::NotFound(crate::msg!("error-reply-announcement-gone", url = ap_id))
        })?;
    let author = actor::Entity::find_by_id(a.actor_id)
        .one(db)
        .await?
        .filter(|x| x.local)
        .ok_or_else(|| DomainError::NotFound(crate::msg!("error-reply-not-here", url = ap_id)))?;
    Ok((r, a, author))
}

/// Pin (or unpin) an answer of the co-op into its announcement: pinned answers are shown
/// under the notice with the question they answer.
pub async fn pin<C: ConnectionTrait>(
    db: &C,
    answer: reply::Model,
    pinned: bool,
) -> DomainResult<reply::Model> {
    if !answer.local {
        return Err(DomainError::Invalid(crate::msg!(
            "error-pin-member",
            url = &answer.ap_id
        )));
    }
    let mut am: reply::ActiveModel = answer.into();
    am.pinned = Set(pinned);
    Ok(am.update(db).await?)
}

/// The pinned answers of an announcement, each with the question it answers (when that
/// question is shown to everyone).
pub async fn pinned<C: ConnectionTrait>(
    db: &C,
    announcement_id: i64,
) -> Result<Vec<(reply::Model, Option<Shown>)>, DbErr> {
    let answers = reply::Entity::find()
        .filter(reply::Column::AnnouncementId.eq(announcement_id))
        .filter(reply::Column::Pinned.eq(true))
        .filter(reply::Column::Deleted.eq(false))
        .filter(reply::Column::Hidden.eq(false))
        .order_by_asc(reply::Column::Published)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for a in answers {
        let q = reply::Entity::find()
            .filter(reply::Column::ApId.eq(a.in_reply_to.as_str()))
            .filter(reply::Column::Deleted.eq(false))
            .filter(reply::Column::Hidden.eq(false))
            .filter(reply::Column::Visibility.is_in(["public", "unlisted"]))
            .one(db)
            .await?;
        let question = match q {
            Some(q) => actor::Entity::find_by_id(q.actor_id)
                .one(db)
                .await?
                .map(|author| Shown {
                    reply: q,
                    author,
                    answered: true,
                }),
            None => None,
        };
        out.push((a, question));
    }
    Ok(out)
}

/// Hide a reply from everyone but staff; the reason goes into the moderation log. Hiding
/// a hidden reply again changes nothing and logs nothing.
pub async fn hide<C: ConnectionTrait>(
    db: &C,
    r: reply::Model,
    moderator: &str,
    reason: &str,
) -> DomainResult<reply::Model> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::Invalid(crate::msg!("error-hide-reason")));
    }
    if r.hidden {
        return Ok(r);
    }
    let ap_id = r.ap_id.clone();
    let author = r.actor_id;
    let mut am: reply::ActiveModel = r.into();
    am.hidden = Set(true);
    am.pinned = Set(false);
    let model = am.update(db).await?;
    moderation::log(
        db,
        moderation::LogEntry {
            actor_id: Some(author),
            target: &ap_id,
            action: "reply-hide",
            from_state: Some("shown"),
            to_state: Some("hidden"),
            moderator,
            reason,
            report_id: None,
        },
    )
    .await?;
    Ok(model)
}

/// The latest replies received, for the admins' replies queue: newest first.
pub async fn recent<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<(reply::Model, actor::Model)>, DbErr> {
    let rows = reply::Entity::find()
        .filter(reply::Column::Local.eq(false))
        .filter(reply::Column::Deleted.eq(false))
        .order_by_desc(reply::Column::CreatedAt)
        .order_by_desc(reply::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    with_authors(db, rows).await
}

/// The handle `user@domain` of a reply's author.
pub fn handle(a: &actor::Model) -> String {
    format!("{}@{}", a.username, a.domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn visibility_follows_mastodon_addressing() {
        let public = "https://www.w3.org/ns/activitystreams#Public";
        let f = "https://m.example/users/a/followers";
        let o = "https://node.example/actors/x";
        assert_eq!(
            Visibility::of(&v(&[public]), &v(&[f]), Some(f)),
            Visibility::Public
        );
        assert_eq!(
            Visibility::of(&v(&[f]), &v(&[public]), Some(f)),
            Visibility::Unlisted
        );
        assert_eq!(
            Visibility::of(&v(&[f]), &v(&[o]), Some(f)),
            Visibility::Followers
        );
        assert_eq!(
            Visibility::of(&v(&[o]), &v(&[]), Some(f)),
            Visibility::Direct
        );
        assert!(Visibility::shown("unlisted") && !Visibility::shown("followers"));
    }
}
