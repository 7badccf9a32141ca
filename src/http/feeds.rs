//! Atom feeds (RFC 4287) of each offering's and co-op's announcements, and of those a
//! category group boosts, for members who read feeds rather than timelines.

use crate::directory::types::Moderation;
use crate::{
    db::entities::announcement,
    directory,
    error::{AppError, AppResult},
    federation::Ctx,
};
use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Entries per feed.
const ENTRIES: u64 = 50;

pub async fn actor_feed(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let a = directory::find_local(&ctx.db, &username)
        .await?
        .filter(|a| a.moderation != Moderation::Suspended && a.moderation != Moderation::Pending)
        .ok_or_else(|| {
            AppError::NotFound(format!("no co-op or offering '{username}' on this node"))
        })?;
    let notes = directory::announcements::shown_by(&ctx.db, &a, ENTRIES).await?;
    let author = Person {
        name: a.name.clone(),
        uri: Some(a.ap_id.clone()),
        ..Default::default()
    };
    let entries: Vec<Entry> = notes
        .iter()
        .map(|n| {
            let first_line: String = n
                .source
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(80)
                .collect();
            let mut e = Entry::default();
            e.set_id(n.ap_id.clone());
            e.set_title(Text::plain(format!("{}: {first_line}", n.kind)));
            e.set_published(Some(n.published.fixed_offset()));
            e.set_updated(n.updated.unwrap_or(n.published).fixed_offset());
            e.set_authors(vec![author.clone()]);
            e.set_links(vec![Link {
                href: n.ap_id.clone(),
                rel: "alternate".into(),
                ..Default::default()
            }]);
            e.set_content(Some(Content {
                value: Some(n.content_html.clone()),
                content_type: Some("html".into()),
                ..Default::default()
            }));
            e
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(format!("{}/feed.atom", a.ap_id));
    feed.set_title(Text::plain(format!("{} — announcements", a.name)));
    feed.set_updated(
        notes
            .first()
            .map(|n| n.updated.unwrap_or(n.published))
            .unwrap_or(a.updated_at)
            .fixed_offset(),
    );
    feed.set_authors(vec![author]);
    feed.set_links(vec![
        Link {
            href: format!("{}/feed.atom", a.ap_id),
            rel: "self".into(),
            ..Default::default()
        },
        Link {
            href: a.ap_id.clone(),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        },
    ]);
    feed.set_entries(entries);
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}

/// `GET /announcements/{id}/feed.atom`: the announcement, then the replies shown under
/// it (public and unlisted, not hidden), oldest first, the co-op's answers marked in
/// their titles.
pub async fn thread_feed(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    use crate::db::entities::actor;
    let ap_id = ctx.url(&format!("/announcements/{id}"));
    let a = announcement::Entity::find()
        .filter(announcement::Column::ApId.eq(ap_id.as_str()))
        .one(&ctx.db)
        .await?
        .filter(|a| !a.deleted)
        .ok_or_else(|| AppError::NotFound("no such announcement".into()))?;
    let owner = actor::Entity::find_by_id(a.actor_id)
        .one(&ctx.db)
        .await?
        .filter(|o| o.local)
        .ok_or_else(|| AppError::NotFound("no such announcement of this node".into()))?;
    let threads = directory::replies::thread(&ctx.db, a.id, false).await?;
    let mut updated = a.updated.unwrap_or(a.published);
    // The announcement itself opens the thread.
    let mut first = Entry::default();
    first.set_id(a.ap_id.clone());
    first.set_title(Text::plain(format!("{}: {}", owner.name, a.kind)));
    first.set_published(Some(a.published.fixed_offset()));
    first.set_updated(updated.fixed_offset());
    first.set_authors(vec![Person {
        name: owner.name.clone(),
        uri: Some(owner.ap_id.clone()),
        ..Default::default()
    }]);
    first.set_links(vec![Link {
        href: a.ap_id.clone(),
        rel: "alternate".into(),
        ..Default::default()
    }]);
    first.set_content(Some(Content {
        value: Some(a.content_html.clone()),
        content_type: Some("html".into()),
        ..Default::default()
    }));
    let mut entries = vec![first];
    for s in threads
        .iter()
        .flat_map(|t| std::iter::once(&t.top).chain(t.children.iter()))
    {
        let r = &s.reply;
        let when = r.updated.unwrap_or(r.published);
        if when > updated {
            updated = when;
        }
        let handle = directory::replies::handle(&s.author);
        let title = if r.local {
            format!("{} (answer of the co-op)", s.author.name)
        } else {
            format!("@{handle}")
        };
        let mut e = Entry::default();
        e.set_id(r.ap_id.clone());
        e.set_title(Text::plain(title));
        e.set_published(Some(r.published.fixed_offset()));
        e.set_updated(when.fixed_offset());
        e.set_authors(vec![Person {
            name: if r.local {
                s.author.name.clone()
            } else {
                format!("@{handle}")
            },
            uri: Some(s.author.ap_id.clone()),
            ..Default::default()
        }]);
        e.set_links(vec![Link {
            href: r.url.clone().unwrap_or_else(|| r.ap_id.clone()),
            rel: "alternate".into(),
            ..Default::default()
        }]);
        e.set_content(Some(Content {
            value: Some(r.content_html.clone()),
            content_type: Some("html".into()),
            ..Default::default()
        }));
        entries.push(e);
    }
    let mut feed = Feed::default();
    let self_href = format!("{}/feed.atom", a.ap_id);
    feed.set_id(self_href.clone());
    feed.set_title(Text::plain(format!(
        "{} — replies to an announcement",
        owner.name
    )));
    feed.set_updated(updated.fixed_offset());
    feed.set_authors(vec![Person {
        name: owner.name.clone(),
        uri: Some(owner.ap_id.clone()),
        ..Default::default()
    }]);
    feed.set_links(vec![
        Link {
            href: self_href,
            rel: "self".into(),
            ..Default::default()
        },
        Link {
            href: a.ap_id.clone(),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        },
    ]);
    feed.set_entries(entries);
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}
