//! `GET /about`: who runs this node, its charter, and the nodes it peers with.

use super::super::{
    frame::{Base, date, frame_or_error, page_or_error, safe_href},
    i18n::Tr,
};
use crate::{
    directory::{self as domain, browse::Counts},
    federation::{Ctx, peering},
    html,
    http::error::AppResult,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    http::HeaderMap,
    response::{IntoResponse, Response},
};

/// Largest charter file read, in bytes.
const MAX_CHARTER: u64 = 64 * 1024;

pub struct PeerView {
    pub domain: String,
    pub href: Option<String>,
    pub synced: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "about.html")]
pub struct AboutPage {
    base: Base,
    tr: Tr,
    domain: String,
    charter_html: Option<String>,
    peers: Vec<PeerView>,
    coops: u64,
    offerings: u64,
    remote_offerings: u64,
    directory_handle: String,
}

/// `GET /about`: who runs this node, its charter, and the nodes it peers with.
pub async fn about(ctx: Ctx, headers: HeaderMap) -> Response {
    let (base, _) = match frame_or_error(&ctx, &headers).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    page_or_error(base.clone(), view(&ctx, base).await)
}

async fn view(ctx: &Ctx, base: Base) -> AppResult<Response> {
    let peers = peering::list(ctx)
        .await?
        .into_iter()
        .map(|p| PeerView {
            href: safe_href(&p.base_url),
            synced: p.synced_at.map(date).unwrap_or_else(|| "—".into()),
            domain: p.domain,
        })
        .collect::<Vec<_>>();
    let Counts {
        coops,
        offerings,
        remote_offerings,
    } = domain::browse::counts(&ctx.db).await?;
    Ok(AboutPage {
        base,
        tr: Tr,
        domain: ctx.settings.domain.clone(),
        charter_html: charter(ctx).await,
        peers,
        coops,
        offerings,
        remote_offerings,
        directory_handle: format!("@{}@{}", domain::INSTANCE_USERNAME, ctx.settings.domain),
    }
    .into_response())
}

/// The node's charter: `charter.txt` in the data directory, plain text (blank lines
/// separate paragraphs), read on each request so that an edit shows at once.
async fn charter(ctx: &Ctx) -> Option<String> {
    let path = ctx.settings.data_dir.join("charter.txt");
    let meta = tokio::fs::metadata(&path).await.ok()?;
    if meta.len() > MAX_CHARTER {
        tracing::warn!(path = %path.display(), "the charter is larger than 64 KiB; not shown");
        return None;
    }
    let text = tokio::fs::read_to_string(&path).await.ok()?;
    let html = html::paragraphs(&text);
    (!html.is_empty()).then_some(html)
}
