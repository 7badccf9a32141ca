//! `/admin/reports`: the open reports, each with the form that resolves it and the button
//! that forwards a report about a remote listing to its home node.

use super::super::{
    forms::{
        Errors, FORM, Opt, Page, field, flash, pairs_of, query_pairs, refused, see_other, trimmed,
        unprocessable,
    },
    i18n::Tr,
    pages::{Base, error_page, page_href, safe_href},
};
use super::{DONE, Link, MAX_TEXT, date, moderator};
use crate::{
    directory::{
        admin_views::{self, Report},
        moderation::{self, Resolution},
    },
    federation::Ctx,
    http::error::AppError,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    body::Bytes,
    extract::{Path, RawQuery},
    http::HeaderMap,
    response::Response,
};

pub struct ReportRow {
    pub id: i64,
    pub created: String,
    pub reporter: Option<Link>,
    pub target_name: String,
    pub target: Link,
    pub target_state: String,
    pub posts: Vec<Link>,
    pub comment: String,
    pub forwardable: bool,
    pub forwarded: Option<String>,
    pub resolutions: Vec<Opt>,
    pub note: String,
    pub errors: Errors,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_reports.html")]
pub struct ReportsPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    done: Option<String>,
    reports: Vec<ReportRow>,
}

const RESOLUTIONS: [Resolution; 3] = [Resolution::Dismiss, Resolution::Hide, Resolution::Suspend];

fn resolutions(selected: &str) -> Vec<Opt> {
    RESOLUTIONS
        .iter()
        .map(|r| Opt {
            value: r.as_str().to_string(),
            label: Tr.vocab("admin-resolution", r.as_str()),
            selected: r.as_str() == selected,
        })
        .collect()
}

/// A report as posted back, when it was refused.
struct ReportForm {
    id: i64,
    resolution: String,
    note: String,
    errors: Errors,
}

impl ReportForm {
    /// The form as posted, with the errors of its own fields, and the resolution it names.
    fn posted(id: i64, pairs: &[(String, String)]) -> (Self, Option<Resolution>) {
        let tr = Tr;
        let mut form = ReportForm {
            id,
            resolution: field(pairs, "resolution").to_string(),
            note: trimmed(pairs, "note"),
            errors: Errors::default(),
        };
        let resolution = RESOLUTIONS
            .iter()
            .copied()
            .find(|r| r.as_str() == form.resolution);
        if resolution.is_none() {
            form.errors
                .add("resolution", tr.t("admin-resolution-missing"));
        }
        if form.note.chars().count() > MAX_TEXT {
            form.errors
                .add("note", tr.n("admin-text-too-long", MAX_TEXT));
        }
        let resolution = resolution.filter(|_| form.errors.is_empty());
        (form, resolution)
    }
}

fn report_row(r: &Report, target: Option<&admin_views::Actor>) -> ReportRow {
    let tr = Tr;
    let statuses: Vec<String> = serde_json::from_str(&r.status_uris).unwrap_or_default();
    ReportRow {
        id: r.id,
        created: date(r.created_at),
        reporter: r.reporter_ap_id.as_deref().map(Link::of),
        target_name: target
            .map(|a| format!("{} (@{}@{})", a.name, a.username, a.domain))
            .unwrap_or_else(|| r.target_ap_id.clone()),
        target: Link {
            text: r.target_ap_id.clone(),
            href: target
                .map(page_href)
                .filter(|h| h != "#")
                .or_else(|| safe_href(&r.target_ap_id)),
        },
        target_state: target
            .map(|a| tr.vocab("moderation", a.moderation.as_str()))
            .unwrap_or_else(|| tr.t("admin-target-gone")),
        posts: statuses.iter().map(|s| Link::of(s)).collect(),
        comment: r.comment.clone(),
        forwardable: target.is_some_and(|a| !a.local) && r.forwarded_at.is_none(),
        forwarded: r.forwarded_at.map(date),
        resolutions: resolutions(""),
        note: String::new(),
        errors: Errors::default(),
    }
}

async fn reports_page(
    ctx: &Ctx,
    base: Base,
    done: Option<String>,
    refused: Option<ReportForm>,
) -> Result<ReportsPage, AppError> {
    let open = moderation::reports(&ctx.db, false).await?;
    let ids: Vec<i64> = open.iter().filter_map(|r| r.target_actor_id).collect();
    let targets = admin_views::actors_by_id(&ctx.db, ids).await?;
    let mut rows = vec![];
    for r in &open {
        let mut row = report_row(r, r.target_actor_id.and_then(|id| targets.get(&id)));
        if let Some(f) = refused.as_ref().filter(|f| f.id == r.id) {
            row.resolutions = resolutions(&f.resolution);
            row.note = f.note.clone();
            for (k, v) in f.errors.iter() {
                row.errors.add(k, v.clone());
            }
        }
        rows.push(row);
    }
    Ok(ReportsPage {
        base,
        tr: Tr,
        section: "reports",
        done,
        reports: rows,
    })
}

/// `GET /admin/reports`: the open reports.
pub async fn reports(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    let done = flash(&query_pairs(&raw), &DONE);
    let page = reports_page(&ctx, base.clone(), done, None).await;
    Ok(super::render(base, page))
}

async fn refused_report(ctx: &Ctx, base: Base, form: ReportForm) -> Response {
    match reports_page(ctx, base.clone(), None, Some(form)).await {
        Ok(page) => unprocessable(page),
        Err(e) => error_page(base, e),
    }
}

/// The id of a stored report in the path, or the 404 page.
async fn open_report(ctx: &Ctx, base: &Base, id: &str) -> Result<i64, Response> {
    let missing = |m: String| error_page(base.clone(), AppError::NotFound(m));
    let Ok(n) = id.parse::<i64>() else {
        return Err(missing(Tr.a("admin-no-report", "id", id)));
    };
    match moderation::report_by_id(&ctx.db, n).await {
        Ok(Some(_)) => Ok(n),
        Ok(None) => Err(missing(Tr.a("admin-no-report", "id", n))),
        Err(e) => Err(error_page(base.clone(), e.into())),
    }
}

/// `POST /admin/reports/{id}/resolve`: dismiss, or hide or suspend the reported listing,
/// with a note.
pub async fn resolve(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Page {
    let (base, account) = super::admin(&ctx, &headers).await?;
    let id = open_report(&ctx, &base, &id).await?;
    let (mut form, resolution) = ReportForm::posted(id, &pairs_of(&body));
    let Some(resolution) = resolution else {
        return Err(refused_report(&ctx, base, form).await);
    };
    let by = moderator(&account);
    match moderation::resolve_report(&ctx, id, resolution, &by, &form.note).await {
        Ok(_) => Ok(see_other("/admin/reports?done=resolve")),
        Err(e) => {
            form.errors
                .add(FORM, refused(e).map_err(|e| error_page(base.clone(), e))?);
            Err(refused_report(&ctx, base, form).await)
        }
    }
}

/// `POST /admin/reports/{id}/forward`: send a report about a remote listing to its home
/// node, as a `Flag` from this node's instance actor.
pub async fn forward(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    let id = open_report(&ctx, &base, &id).await?;
    let Err(e) = moderation::forward_report(&ctx, id).await else {
        return Ok(see_other("/admin/reports?done=forward"));
    };
    let mut errors = Errors::default();
    errors.add(
        "forward",
        refused(e).map_err(|e| error_page(base.clone(), e))?,
    );
    let form = ReportForm {
        id,
        resolution: String::new(),
        note: String::new(),
        errors,
    };
    Err(refused_report(&ctx, base, form).await)
}
