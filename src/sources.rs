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
    let mut url = start.clone();
    for _ in 0..=MAX_REDIRECTS {
        state.guard.permits(&url)?;
        let res = state
            .client
            .get(url.clone())
            .header(
                reqwest::header::ACCEPT,
                "application/json, text/plain;q=0.9, */*;q=0.5",
            )
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot fetch {url}: {}; check the address and that the server answers",
                    crate::error::error_chain(&e)
                )
            })?;
        let status = res.status();
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
        return Ok(Fetched {
            text,
            etag,
            last_modified,
        });
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
