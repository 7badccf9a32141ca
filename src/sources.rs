//! Reading listing sources for `coopdir import`: files and URLs in any format that
//! [`directory::interchange`] reads, ChatonsInfos `subs.*` followed beside the
//! organization file or by URL. URLs go through the node's outgoing client (its resolver
//! refuses internal addresses), with a size limit and the client's timeout.

use crate::{
    directory::{
        interchange::{self, Format, Imported, chatons},
        listing::{DocumentError, ListingDocument},
    },
    federation::AppState,
};
use futures::StreamExt;
use std::path::{Path, PathBuf};
use url::Url;

/// The largest document read from a URL or a file.
pub const MAX_DOCUMENT: usize = 8 << 20;

/// Redirects followed, each checked again by the guard.
const MAX_REDIRECTS: usize = 3;

/// Where a document is.
#[derive(Debug, Clone)]
pub enum Location {
    File(PathBuf),
    Url(Url),
}

impl Location {
    /// A URL when the text is an `http(s)` URL, a file otherwise.
    pub fn parse(source: &str) -> Location {
        match Url::parse(source) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Location::Url(u),
            _ => Location::File(PathBuf::from(source)),
        }
    }

    /// `target` (a `subs.*` value) relative to this document: a URL as it is, a path
    /// beside a file or a URL joined to this one.
    pub fn join(&self, target: &str) -> Result<Location, String> {
        if let Ok(u) = Url::parse(target) {
            return match u.scheme() {
                "http" | "https" => Ok(Location::Url(u)),
                s => Err(format!(
                    "{target}: {s}: URLs are not read; use http(s) URLs"
                )),
            };
        }
        match self {
            Location::File(p) => Ok(Location::File(
                p.parent().unwrap_or(Path::new(".")).join(target),
            )),
            Location::Url(u) => u
                .join(target)
                .map(Location::Url)
                .map_err(|e| format!("{target}: not a URL relative to {u}: {e}")),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Url(u) => write!(f, "{u}"),
        }
    }
}

/// A document read from a source, with what HTTP said about its version.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub text: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Read a file or GET a URL (through the guarded client, at most [`MAX_DOCUMENT`] bytes).
pub async fn read(state: &AppState, at: &Location) -> Result<Fetched, String> {
    match at {
        Location::File(p) => {
            let meta = tokio::fs::metadata(p)
                .await
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            if meta.len() > MAX_DOCUMENT as u64 {
                return Err(format!(
                    "{} is larger than {} MiB; split it into one document per co-op",
                    p.display(),
                    MAX_DOCUMENT >> 20
                ));
            }
            let text = tokio::fs::read_to_string(p)
                .await
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Ok(Fetched {
                text,
                etag: None,
                last_modified: None,
            })
        }
        Location::Url(u) => get(state, u).await,
    }
}

async fn get(state: &AppState, start: &Url) -> Result<Fetched, String> {
    match get_with(state, start, None, None).await? {
        Reading::Document(f) => Ok(f),
        Reading::NotModified => Err(format!("{start} answered 304 Not Modified")),
        Reading::Gone(status) => Err(format!(
            "{start} answered {status}; check the address (the document must be public)"
        )),
    }
}

/// What a (conditional) GET gave.
#[derive(Debug)]
pub enum Reading {
    Document(Fetched),
    NotModified,
    /// 404 or 410: the document is no longer there.
    Gone(reqwest::StatusCode),
}

/// GET through the guarded client, conditional on an ETag and a Last-Modified date.
pub async fn get_with(
    state: &AppState,
    start: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<Reading, String> {
    let mut url = start.clone();
    for _ in 0..=MAX_REDIRECTS {
        state.guard.permits(&url)?;
        let mut req = state.client.get(url.clone()).header(
            reqwest::header::ACCEPT,
            "application/json, text/plain;q=0.9, */*;q=0.5",
        );
        if let Some(e) = etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, e);
        }
        if let Some(l) = last_modified {
            req = req.header(reqwest::header::IF_MODIFIED_SINCE, l);
        }
        let res = req.send().await.map_err(|e| {
            format!(
                "cannot fetch {url}: {}; check the address and that the server answers",
                crate::http::error::error_chain(&e)
            )
        })?;
        let status = res.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Reading::NotModified);
        }
        if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
            return Ok(Reading::Gone(status));
        }
        if status.is_redirection() {
            let next = res
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok())
                .ok_or_else(|| format!("{url} answered {status} without a usable Location"))?;
            url = next;
            continue;
        }
        if !status.is_success() {
            return Err(format!(
                "{url} answered {status}; check the address (the document must be public)"
            ));
        }
        let header = |h: reqwest::header::HeaderName| {
            res.headers()
                .get(h)
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        };
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        if res
            .content_length()
            .is_some_and(|n| n > MAX_DOCUMENT as u64)
        {
            return Err(too_large(&url));
        }
        let mut body = Vec::new();
        let mut stream = res.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| format!("reading {url}: {e}"))?;
            if body.len() + chunk.len() > MAX_DOCUMENT {
                return Err(too_large(&url));
            }
            body.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(body)
            .map_err(|_| format!("{url} is not UTF-8 text; listing documents are UTF-8"))?;
        return Ok(Reading::Document(Fetched {
            text,
            etag,
            last_modified,
        }));
    }
    Err(format!(
        "{start} redirects more than {MAX_REDIRECTS} times; give the final address"
    ))
}

fn too_large(url: &Url) -> String {
    format!(
        "{url} is larger than {} MiB; coopdir reads one co-op's document at a time",
        MAX_DOCUMENT >> 20
    )
}

/// A source read and mapped: one co-op, or a skipped one with the reasons.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub source: String,
    pub imported: Imported,
    /// What HTTP said of the document's version (URLs only), for a followed source.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Read a source in `format` (detected when `None`) into a listing document. Errors name
/// the source, the key or line, and the fix; nothing is written.
pub async fn load(
    state: &AppState,
    source: &str,
    format: Option<Format>,
) -> Result<Loaded, DocumentError> {
    let at = Location::parse(source);
    let fetched = read(state, &at).await.map_err(DocumentError)?;
    let imported = parse(state, &at, &fetched.text, format).await?;
    Ok(Loaded {
        source: source.to_string(),
        imported,
        etag: fetched.etag,
        last_modified: fetched.last_modified,
    })
}

/// Map a document already read from `at`; ChatonsInfos subs are read from beside it.
pub async fn parse(
    state: &AppState,
    at: &Location,
    text: &str,
    format: Option<Format>,
) -> Result<Imported, DocumentError> {
    let name = at.to_string();
    let format = format.unwrap_or_else(|| Format::detect(&name, text));
    match format {
        Format::Coopdir => Ok(Imported {
            format,
            doc: Some(ListingDocument::parse(&name, text)?),
            warnings: vec![],
        }),
        Format::Librehost => interchange::librehost::map(&name, text),
        Format::Murmurations => interchange::murmurations::map(&name, text),
        Format::Chatons => {
            let org = chatons::parse_organization(&name, text)?;
            let mut services = Vec::new();
            for (id, target) in &org.subs {
                let field = format!("subs.{id}");
                let sub = at
                    .join(target)
                    .map_err(|e| DocumentError(format!("{name}: field `{field}`: {e}")))?;
                let f = read(state, &sub).await.map_err(|e| {
                    DocumentError(format!(
                        "{name}: field `{field}`: {e}; fix or remove the sub"
                    ))
                })?;
                let props = chatons::parse_service(&sub.to_string(), &f.text).map_err(|e| {
                    DocumentError(format!("{} (named by {name}, field `{field}`)", e.0))
                })?;
                services.push((id.clone(), props));
            }
            chatons::map(&org, &services, state.clock.now().date_naive())
        }
    }
}

// ---------------------------------------------------------------------------
// Followed sources

/// How often a followed source is read again.
pub const SYNC_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// Follow a source that was just imported: it is read again every [`SYNC_INTERVAL`].
pub async fn follow(state: &AppState, loaded: &Loaded) -> Result<(), DocumentError> {
    use crate::db::entities::listing_source as ls;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let Location::Url(url) = Location::parse(&loaded.source) else {
        return Err(DocumentError(format!(
            "{}: --follow needs an http(s) URL; a file is not re-read",
            loaded.source
        )));
    };
    let now = state.clock.now();
    let db_err = |e: sea_orm::DbErr| DocumentError(format!("recording the source: {e}"));
    let existing = ls::Entity::find()
        .filter(ls::Column::Url.eq(url.as_str()))
        .one(&state.db)
        .await
        .map_err(db_err)?;
    let mut am: ls::ActiveModel = match existing {
        Some(m) => m.into(),
        None => ls::ActiveModel {
            url: Set(url.to_string()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    am.format = Set(Some(loaded.imported.format.as_str().to_string()));
    am.coop_handle = Set(loaded
        .imported
        .doc
        .as_ref()
        .map(|d| d.coop.handle.to_string()));
    am.etag = Set(loaded.etag.clone());
    am.last_modified = Set(loaded.last_modified.clone());
    am.checked_at = Set(Some(now));
    am.next_check_at = Set(now + SYNC_INTERVAL);
    am.last_result = Set("imported".into());
    am.gone = Set(false);
    am.save(&state.db).await.map_err(db_err)?;
    Ok(())
}

/// Follow the `source_url` a listing document names (once; a source already followed is
/// left as it is). It is read for the first time at the node's next check.
pub async fn follow_named(
    state: &AppState,
    doc: &ListingDocument,
) -> Result<Option<String>, sea_orm::DbErr> {
    use crate::db::entities::listing_source as ls;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let Some(url) = &doc.coop.source_url else {
        return Ok(None);
    };
    let url = url.0.to_string();
    if ls::Entity::find()
        .filter(ls::Column::Url.eq(url.as_str()))
        .one(&state.db)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let now = state.clock.now();
    ls::ActiveModel {
        url: Set(url.clone()),
        format: Set(None),
        coop_handle: Set(Some(doc.coop.handle.to_string())),
        next_check_at: Set(now),
        last_result: Set("named by the listing; not read yet".into()),
        gone: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(Some(url))
}

/// The followed sources, in the order they were added.
pub async fn list(
    db: &sea_orm::DatabaseConnection,
) -> Result<Vec<crate::db::entities::listing_source::Model>, sea_orm::DbErr> {
    use crate::db::entities::listing_source as ls;
    use sea_orm::{EntityTrait, QueryOrder};
    ls::Entity::find()
        .order_by_asc(ls::Column::Id)
        .all(db)
        .await
}

/// Read one followed source again and apply what changed (the import federates the
/// `Update`s). A source that answers 404 or 410 is reported to the node's moderators once
/// and its listing is kept. Returns the result recorded.
pub async fn sync_one(
    state: &AppState,
    src: crate::db::entities::listing_source::Model,
) -> anyhow::Result<String> {
    use crate::db::entities::listing_source as ls;
    use sea_orm::{ActiveModelTrait, Set};
    let now = state.clock.now();
    let url = Url::parse(&src.url)?;
    let format = src.format.as_deref().and_then(|f| f.parse::<Format>().ok());
    let mut am: ls::ActiveModel = src.clone().into();
    am.checked_at = Set(Some(now));
    am.next_check_at = Set(now + SYNC_INTERVAL);
    let result = match get_with(
        state,
        &url,
        src.etag.as_deref(),
        src.last_modified.as_deref(),
    )
    .await
    {
        Err(e) => format!("error: {e}"),
        Ok(Reading::NotModified) => {
            reconfirm(state, &src).await?;
            "unchanged (304 Not Modified)".to_string()
        }
        Ok(Reading::Gone(status)) => {
            if !src.gone {
                report_gone(state, &src, status).await?;
            }
            am.gone = Set(true);
            format!("gone ({status}); the listing is kept, the moderators were told")
        }
        Ok(Reading::Document(f)) => {
            am.gone = Set(false);
            match parse(state, &Location::Url(url.clone()), &f.text, format).await {
                Err(e) => format!("error: {}", e.0),
                Ok(imported) => match &imported.doc {
                    None => "skipped by the source's own status".to_string(),
                    Some(doc) => match crate::directory::import(state, doc).await {
                        Err(e) => format!("error: {e}"),
                        Ok(r) => {
                            am.etag = Set(f.etag.clone());
                            am.last_modified = Set(f.last_modified.clone());
                            am.coop_handle = Set(Some(doc.coop.handle.to_string()));
                            format!(
                                "{} created, {} updated, {} unchanged",
                                r.created.len(),
                                r.updated.len(),
                                r.unchanged.len()
                            )
                        }
                    },
                },
            }
        }
    };
    am.last_result = Set(result.clone());
    am.update(&state.db).await?;
    Ok(result)
}

/// An unchanged source confirms its co-op's listings as they are.
async fn reconfirm(
    state: &AppState,
    src: &crate::db::entities::listing_source::Model,
) -> anyhow::Result<()> {
    let Some(handle) = &src.coop_handle else {
        return Ok(());
    };
    let Some(coop) = crate::directory::find_local(&state.db, handle).await? else {
        return Ok(());
    };
    let ids: Vec<i64> = crate::directory::coop_offerings(&state.db, coop.id)
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    crate::directory::liveness::reconfirm(&state.db, &ids, state.clock.now()).await?;
    Ok(())
}

async fn report_gone(
    state: &AppState,
    src: &crate::db::entities::listing_source::Model,
    status: reqwest::StatusCode,
) -> anyhow::Result<()> {
    let Some(handle) = &src.coop_handle else {
        return Ok(());
    };
    let Some(coop) = crate::directory::find_local(&state.db, handle).await? else {
        return Ok(());
    };
    let comment = format!(
        "The followed source of this listing, {}, answered {status}. The listing is kept as it \
         is; ask the co-op whether it moved or closed, and remove it with `coopdir remove` if \
         it has closed.",
        src.url
    );
    crate::directory::moderation::report_here(state, &coop, vec![], &comment)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Read every source that is due.
pub async fn sync_due(state: &AppState) -> anyhow::Result<usize> {
    use crate::db::entities::listing_source as ls;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let due = ls::Entity::find()
        .filter(ls::Column::NextCheckAt.lte(state.clock.now()))
        .all(&state.db)
        .await?;
    let n = due.len();
    for src in due {
        let url = src.url.clone();
        match sync_one(state, src).await {
            Ok(r) => tracing::info!(%url, result = %r, "followed source read"),
            Err(e) => tracing::warn!(%url, error = %e, "reading a followed source"),
        }
    }
    Ok(n)
}

/// The running node's worker of followed sources: due ones are read every few seconds'
/// check (each source itself once a day).
pub async fn run(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    loop {
        if let Err(e) = sync_due(&state).await {
            tracing::warn!(error = %e, "followed sources");
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
            _ = shutdown.wait_for(|v| *v) => return,
        }
    }
}
