//! Atom feeds (RFC 4287) of each offering's and co-op's announcements, and of those a
//! category group boosts, for members who read feeds rather than timelines.

use crate::directory::types::Moderation;
use crate::{
    directory::{
        self,
        records::{Actor, Announcement},
    },
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};

/// Entries per feed.
const ENTRIES: u64 = 50;

pub async fn actor_feed(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let a = directory::find_local(&ctx.db, &username)
        .await?
        .filter(|a| a.moderation != Moderation::Suspended && a.moderation != Moderation::Pending)
        .ok_or_else(|| {
            AppError::NotFound(crate::msg!("error-no-listing-here", username = &username).text())
        })?;
    let notes = directory::announcements::shown_by(&ctx.db, &a, ENTRIES).await?;
    Ok(atom(actor_feed_of(&a, &notes)))
}

/// `GET /announcements/{id}/feed.atom`: the announcement, then the replies shown under
/// it (public and unlisted, not hidden), oldest first, the co-op's answers marked in
/// their titles.
pub async fn thread_feed(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let ap_id = ctx.url(&format!("/announcements/{id}"));
    let a = directory::browse::announcement_by_ap_id(&ctx.db, ap_id.as_str())
        .await?
        .filter(|a| !a.deleted)
        .ok_or_else(|| AppError::NotFound(crate::msg!("error-no-such-announcement").text()))?;
    let owner = directory::browse::actor_by_id(&ctx.db, a.actor_id)
        .await?
        .filter(|o| o.local)
        .ok_or_else(|| AppError::NotFound(crate::msg!("error-no-such-announcement").text()))?;
    let threads = directory::replies::thread(&ctx.db, a.id, false).await?;
    Ok(atom(thread_feed_of(&owner, &a, &threads)))
}

/// A feed as the answer.
fn atom(feed: Feed) -> Response {
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response()
}

/// One entry: an HTML text at a page.
struct EntryParts<'a> {
    id: &'a str,
    title: String,
    published: DateTime<Utc>,
    updated: DateTime<Utc>,
    author: Person,
    href: String,
    html: &'a str,
    /// The language of `html` when known (`xml:lang` of the content).
    lang: Option<&'a str>,
}

fn entry(p: EntryParts) -> Entry {
    let mut e = Entry::default();
    e.set_id(p.id.to_string());
    e.set_title(Text::plain(p.title));
    e.set_published(Some(p.published.fixed_offset()));
    e.set_updated(p.updated.fixed_offset());
    e.set_authors(vec![p.author]);
    e.set_links(vec![Link {
        href: p.href,
        rel: "alternate".into(),
        ..Default::default()
    }]);
    e.set_content(Some(Content {
        value: Some(p.html.to_string()),
        content_type: Some("html".into()),
        lang: p.lang.map(str::to_string),
        ..Default::default()
    }));
    e
}

/// A feed of `entries` about the page `page` (its own URL is `{page}/feed.atom`).
fn feed(
    page: &str,
    title: String,
    updated: DateTime<Utc>,
    author: Person,
    entries: Vec<Entry>,
) -> Feed {
    let self_href = format!("{page}/feed.atom");
    let mut feed = Feed::default();
    feed.set_id(self_href.clone());
    feed.set_title(Text::plain(title));
    feed.set_updated(updated.fixed_offset());
    feed.set_authors(vec![author]);
    feed.set_links(vec![
        Link {
            href: self_href,
            rel: "self".into(),
            ..Default::default()
        },
        Link {
            href: page.to_string(),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        },
    ]);
    feed.set_entries(entries);
    feed
}

fn person(a: &Actor) -> Person {
    Person {
        name: a.name.clone(),
        uri: Some(a.ap_id.clone()),
        ..Default::default()
    }
}

/// The announcements of an actor, newest first.
fn actor_feed_of(a: &Actor, notes: &[Announcement]) -> Feed {
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
            entry(EntryParts {
                id: &n.ap_id,
                title: format!("{}: {first_line}", n.kind),
                published: n.published,
                updated: n.updated.unwrap_or(n.published),
                author: person(a),
                href: n.ap_id.clone(),
                html: &n.content_html,
                lang: n.language.as_deref(),
            })
        })
        .collect();
    let updated = notes
        .first()
        .map(|n| n.updated.unwrap_or(n.published))
        .unwrap_or(a.updated_at);
    feed(
        &a.ap_id,
        format!("{} — announcements", a.name),
        updated,
        person(a),
        entries,
    )
}

/// An announcement, then the replies shown under it.
fn thread_feed_of(owner: &Actor, a: &Announcement, threads: &[directory::replies::Thread]) -> Feed {
    let mut updated = a.updated.unwrap_or(a.published);
    // The announcement itself opens the thread.
    let mut entries = vec![entry(EntryParts {
        id: &a.ap_id,
        title: format!("{}: {}", owner.name, a.kind),
        published: a.published,
        updated,
        author: person(owner),
        href: a.ap_id.clone(),
        html: &a.content_html,
        lang: a.language.as_deref(),
    })];
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
        entries.push(entry(EntryParts {
            id: &r.ap_id,
            title,
            published: r.published,
            updated: when,
            author: Person {
                name: if r.local {
                    s.author.name.clone()
                } else {
                    format!("@{handle}")
                },
                uri: Some(s.author.ap_id.clone()),
                ..Default::default()
            },
            href: r.url.clone().unwrap_or_else(|| r.ap_id.clone()),
            html: &r.content_html,
            lang: None,
        }));
    }
    feed(
        &a.ap_id,
        format!("{} — replies to an announcement", owner.name),
        updated,
        person(owner),
        entries,
    )
}
