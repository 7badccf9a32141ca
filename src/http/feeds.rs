//! Atom feeds (RFC 4287) of each offering's and co-op's announcements, and of those a
//! category group boosts, for members who read feeds rather than timelines.

use crate::{
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

/// Entries per feed.
const ENTRIES: u64 = 50;

pub async fn actor_feed(ctx: Ctx, Path(username): Path<String>) -> AppResult<Response> {
    let a = directory::find_local(&ctx.db, &username)
        .await?
        .filter(|a| a.moderation != "suspended" && a.moderation != "pending")
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
