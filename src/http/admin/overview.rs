//! `/admin`: what waits for the admins.

use super::super::{forms::Page, i18n::Tr, pages::Base};
use crate::{
    config::FederationMode,
    directory::moderation::{self, Counts},
    federation::Ctx,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::http::HeaderMap;

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct OverviewPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    counts: Counts,
    allowlist: bool,
}

/// `GET /admin`.
pub async fn overview(ctx: Ctx, headers: HeaderMap) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    let counts = moderation::counts(&ctx.db).await.map_err(Into::into);
    let page = counts.map(|counts| OverviewPage {
        base: base.clone(),
        tr: Tr,
        section: "overview",
        counts,
        allowlist: ctx.settings.federation_mode == FederationMode::Allowlist,
    });
    Ok(super::render(base, page))
}
