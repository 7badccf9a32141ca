//! `/admin/fasp`: the registrations of FASP clients (docs/fasp.md), with a revoke button
//! each.

use super::super::{
    forms::{Page, flash, query_pairs, see_other},
    i18n::Tr,
    pages::{Base, error_page, no_store},
};
use crate::{fasp, federation::Ctx, http::error::AppError};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::{Path, RawQuery},
    http::HeaderMap,
    response::IntoResponse,
};

pub struct RegistrationRow {
    id: String,
    server: String,
    status: String,
    fingerprint: String,
    capabilities: String,
    registered: String,
    active: bool,
}

impl RegistrationRow {
    fn of(r: &fasp::Registration) -> Self {
        RegistrationRow {
            id: r.id.to_string(),
            server: r.server_base.clone(),
            status: r.status.clone(),
            fingerprint: fasp::fingerprint(&r.public_key),
            capabilities: fasp::capabilities(r).join(", "),
            registered: r.registered_at.format("%Y-%m-%d %H:%M").to_string(),
            active: r.status == "active",
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_fasp.html")]
pub struct AdminFaspPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    done: Option<String>,
    rows: Vec<RegistrationRow>,
}

/// `GET /admin/fasp`: the registrations, with a revoke button each.
pub async fn fasp_page(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    let done = flash(&query_pairs(&raw), &[("revoked", "fasp-revoked")]);
    let registrations = fasp::list(&ctx.db)
        .await
        .map_err(|e| error_page(base.clone(), e.into()))?;
    let rows = registrations.iter().map(RegistrationRow::of).collect();
    let page = AdminFaspPage {
        base,
        tr: Tr,
        section: "fasp",
        done,
        rows,
    };
    Ok(no_store(page.into_response()))
}

/// `POST /admin/fasp/{id}/revoke`.
pub async fn fasp_revoke(ctx: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    match fasp::revoke(&ctx.db, id).await {
        Ok(Some(_)) => Ok(see_other("/admin/fasp?done=revoked")),
        Ok(None) => Err(error_page(base, AppError::NotFound(Tr.t("fasp-unknown")))),
        Err(e) => Err(error_page(base, e.into())),
    }
}
