//! "Report this listing": a form for members to tell the node's admins about a listing of
//! this directory (wrong claims, abuse). A report filed here joins the admins' queue
//! (`/admin/reports`) like one received from another server, without a reporter.

use super::{
    frame::{Base, error_page, frame, no_store, page_href},
    i18n::Tr,
};
use crate::{
    directory::{self, moderation, records::Actor},
    federation::Ctx,
    http::error::AppError,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Extension, Form,
    extract::RawQuery,
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use std::{collections::BTreeMap, sync::Arc, time::Instant};

/// Longest comment, in characters.
const MAX_COMMENT: usize = 2000;

/// Reports of listings accepted per client in 15 minutes: the login limiter's window and
/// count, keyed by the client's address alone (as [`super::liveness::ReportLimiter`]).
#[derive(Debug, Default)]
pub struct ReportLimiter(pub crate::directory::accounts::LoginLimiter);

/// Open reports filed on this node about one listing beyond which more are refused: the
/// admins have been told, and a flood of anonymous reports cannot fill the database.
const MAX_OPEN_HERE: u64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct ReportPage {
    base: Base,
    tr: Tr,
    actor: String,
    name: String,
    href: String,
    comment: String,
    done: bool,
    errors: super::staff::Errors,
}

/// A listing of this directory that members may report.
async fn target(ctx: &Ctx, ap_id: &str) -> Result<Option<Actor>, AppError> {
    Ok(directory::browse::reportable(&ctx.db, ap_id).await?)
}

fn report_href(actor: &str, done: bool) -> String {
    let mut s = url::form_urlencoded::Serializer::for_suffix(String::from("/report?"), 8);
    s.append_pair("actor", actor);
    if done {
        s.append_pair("done", "1");
    }
    s.finish()
}

/// The link to the report form of an actor.
pub fn link(actor: &str) -> String {
    report_href(actor, false)
}

/// `GET /report?actor=URL`: the form (or, with `done`, the thanks).
pub async fn form(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let pairs: BTreeMap<String, String> =
        url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let actor_url = pairs.get("actor").map(|s| s.trim()).unwrap_or("");
    let a = match target(&ctx, actor_url).await {
        Ok(Some(a)) => a,
        Ok(None) => return error_page(base, AppError::NotFound(Tr.t("follow-unknown"))),
        Err(e) => return error_page(base, e),
    };
    ReportPage {
        base,
        tr: Tr,
        actor: a.ap_id.clone(),
        name: a.name.clone(),
        href: page_href(&a),
        comment: String::new(),
        done: pairs.contains_key("done"),
        errors: Default::default(),
    }
    .into_response()
}

#[derive(serde::Deserialize)]
pub struct Posted {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    comment: String,
}

/// `POST /report`: file it, then show the thanks (post/redirect/get). 429 with
/// `Retry-After` after too many reports from one client.
pub async fn file(
    ctx: Ctx,
    Extension(limiter): Extension<Arc<ReportLimiter>>,
    ext: Extensions,
    headers: HeaderMap,
    Form(p): Form<Posted>,
) -> Response {
    let (base, _) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let a = match target(&ctx, p.actor.trim()).await {
        Ok(Some(a)) => a,
        Ok(None) => return error_page(base, AppError::NotFound(Tr.t("follow-unknown"))),
        Err(e) => return error_page(base, e),
    };
    let comment = p.comment.trim().replace("\r\n", "\n");
    let mut errors = super::staff::Errors::default();
    let chars = comment.chars().count();
    if chars == 0 {
        errors.add("comment", Tr.t("report-comment-missing"));
    } else if chars > MAX_COMMENT {
        errors.add("comment", Tr.n("admin-text-too-long", MAX_COMMENT));
    } else {
        let open_here = directory::browse::open_reports_filed_here(&ctx.db, a.ap_id.as_str()).await;
        match open_here {
            Ok(n) if n >= MAX_OPEN_HERE => errors.add("form", Tr.t("report-too-many")),
            Ok(_) => {}
            Err(e) => return error_page(base, e.into()),
        }
    }
    // A valid report counts against the client's limit.
    let mut retry_after = None;
    if errors.is_empty() {
        let ip = super::liveness::client_ip(&ctx, &ext, &headers);
        if let Err(wait) = limiter.0.try_attempt(ip, "", Instant::now()) {
            let seconds = wait.as_secs().max(1);
            errors.add(
                "form",
                Tr.n("outdated-rate-limited", seconds.div_ceil(60).max(1)),
            );
            retry_after = Some(seconds);
        }
    }
    if errors.is_empty() {
        let filed = moderation::file_report(
            &ctx.db,
            moderation::NewReport {
                ap_id: None,
                reporter: None,
                target: &a,
                status_uris: vec![],
                comment: &crate::html::escape(&comment),
            },
        )
        .await;
        return match filed {
            Ok(_) => Redirect::to(&report_href(&a.ap_id, true)).into_response(),
            Err(e) => error_page(base, e.into()),
        };
    }
    let status = if retry_after.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = no_store(
        (
            status,
            ReportPage {
                base,
                tr: Tr,
                actor: a.ap_id.clone(),
                name: a.name.clone(),
                href: page_href(&a),
                comment,
                done: false,
                errors,
            },
        )
            .into_response(),
    );
    if let Some(seconds) = retry_after {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    res
}
