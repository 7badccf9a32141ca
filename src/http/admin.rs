//! Pages for admins: the overview, the approval queue with a search for any listing, the
//! reports, the domain rules, the moderation log; and the public page of moderation
//! decisions (`/moderation`).
//!
//! Every admin page and form passes one gate, [`admin`]: not logged in → 303 to `/login`,
//! logged in without the admin role → 403. Every form calls the same
//! `directory::moderation` function as the command line (`coopdir moderate`, `report
//! resolve`, `block`, …), so the effects, the checks and the log entries are the same; the
//! moderator is written as `web:USERNAME`. A refused form is shown again with the message
//! next to its field and status 422, and nothing is written; success answers 303 back to
//! the page with a confirmation. Cross-site posts are refused before any handler runs
//! (`CsrfLayer` in `http::app`).
//!
//! The public page shows what was decided about which listing, when and why, but not who
//! decided it: moderators are volunteers of a co-op, and naming them invites harassment
//! over decisions the node takes as a whole. Admins see the names on `/admin/log`.

use super::{
    i18n::Tr,
    pages::{Base, error_page, frame, no_store, page_href, safe_href},
};
use crate::{
    config::FederationMode,
    db::entities::{account, actor, moderation_log, report},
    directory::{
        DomainError,
        accounts::Role,
        moderation::{self, Action, Counts, Resolution},
        types::ActorKind,
    },
    error::AppError,
    federation::{Ctx, policy::Severity},
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    body::Bytes,
    extract::{Path, RawQuery},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap};

/// Listings shown in the queue and in search results.
const QUEUE_LIMIT: u64 = 200;
/// Entries per page of the logs.
const LOG_PAGE: u64 = 100;
/// Longest reason or note accepted from a form, in characters.
const MAX_TEXT: usize = 2000;

// ---------------------------------------------------------------------------------------
// Shared

/// Field → message of a refused form.
#[derive(Debug, Default)]
pub struct Errors(BTreeMap<&'static str, String>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The lines of the error summary above the form.
    pub fn summary(&self) -> Vec<super::forms::SummaryItem> {
        super::forms::summary(&self.0)
    }

    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }
}

/// The pairs of an `application/x-www-form-urlencoded` body (or a query string).
fn pairs_of(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.replace("\r\n", "\n")))
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn query(raw: &Option<String>) -> Vec<(String, String)> {
    pairs_of(raw.as_deref().unwrap_or("").as_bytes())
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn unprocessable(page: impl IntoResponse) -> Response {
    no_store((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn date(d: chrono::DateTime<chrono::Utc>) -> String {
    d.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A refusal by the domain: its message, to show next to the form; failures of the node
/// itself are a 500 page.
fn refused(e: DomainError) -> Result<String, AppError> {
    match e {
        DomainError::Invalid(m) | DomainError::Conflict(m) | DomainError::NotFound(m) => Ok(m),
        other => Err(other.into()),
    }
}

/// The moderator of decisions taken on these pages.
fn moderator(a: &account::Model) -> String {
    format!("web:{}", a.username)
}

/// The one gate of every admin page and form. Not logged in: 303 to `/login`; logged in
/// without the admin role: 403.
pub(crate) async fn admin(
    ctx: &Ctx,
    headers: &HeaderMap,
) -> Result<(Base, account::Model), Response> {
    let (base, account) = frame(ctx, headers)
        .await
        .map_err(|e| error_page(Base::new(ctx, None), e))?;
    let Some(account) = account else {
        return Err(see_other("/login"));
    };
    if Role::of(&account) != Some(Role::Admin) {
        return Err(no_store(error_page(
            base,
            AppError::Forbidden(Tr.t("admin-forbidden")),
        )));
    }
    Ok((base, account))
}

/// The confirmation named by `?done=` after a form succeeded.
fn done_message(pairs: &[(String, String)]) -> Option<String> {
    let id = match field(pairs, "done") {
        "approve" => "admin-done-approve",
        "hide" => "admin-done-hide",
        "suspend" => "admin-done-suspend",
        "restore" => "admin-done-restore",
        "resolve" => "admin-done-resolve",
        "forward" => "admin-done-forward",
        "block" => "admin-done-block",
        "unblock" => "admin-done-unblock",
        "allow" => "admin-done-allow",
        "disallow" => "admin-done-disallow",
        _ => return None,
    };
    Some(Tr.t(id))
}

/// A choice of a `<select>` or radio group.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Paging of a log.
pub struct Paging {
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Paging {
    fn new(path: &str, page: u64, total: u64) -> Self {
        let pages = total.div_ceil(LOG_PAGE).max(1);
        let href = |p: u64| format!("{path}?page={p}");
        Paging {
            page,
            pages,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
        }
    }
}

fn page_number(pairs: &[(String, String)]) -> Result<u64, AppError> {
    match field(pairs, "page") {
        "" => Ok(1),
        p => p
            .parse::<u64>()
            .ok()
            .filter(|p| *p >= 1 && *p <= 1_000_000)
            .ok_or_else(|| AppError::BadRequest(Tr.t("admin-page-invalid"))),
    }
}

// ---------------------------------------------------------------------------------------
// Overview

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
pub async fn overview(ctx: Ctx, headers: HeaderMap) -> Response {
    let (base, _) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    match moderation::counts(&ctx.db).await {
        Ok(counts) => no_store(
            OverviewPage {
                base,
                tr: Tr,
                section: "overview",
                counts,
                allowlist: ctx.settings.federation_mode == FederationMode::Allowlist,
            }
            .into_response(),
        ),
        Err(e) => error_page(base, e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// The queue and the search for any listing

/// A listing with the form of the actions it allows.
pub struct ListingRow {
    /// Keeps the ids of the fields unique when a listing is both pending and found.
    pub prefix: &'static str,
    pub id: i64,
    pub ap_id: String,
    pub name: String,
    pub handle: String,
    pub href: String,
    pub kind: String,
    pub local: bool,
    pub state: String,
    pub since: String,
    pub actions: Vec<Opt>,
    pub reason: String,
    pub errors: Errors,
}

impl ListingRow {
    fn of(a: &actor::Model) -> Self {
        let tr = Tr;
        let actions = moderation::actions_for(a.moderation)
            .into_iter()
            .map(|act| Opt {
                value: act.as_str().to_string(),
                label: tr.vocab("admin-action", act.as_str()),
                selected: false,
            })
            .collect();
        ListingRow {
            prefix: "",
            id: a.id,
            ap_id: a.ap_id.clone(),
            name: if a.name.is_empty() {
                a.username.clone()
            } else {
                a.name.clone()
            },
            handle: format!("@{}@{}", a.username, a.domain),
            href: page_href(a),
            kind: tr.vocab("actor", a.kind.as_str()),
            local: a.local,
            state: tr.vocab("moderation", a.moderation.as_str()),
            since: date(a.created_at),
            actions,
            reason: String::new(),
            errors: Errors::default(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_queue.html")]
pub struct QueuePage {
    base: Base,
    tr: Tr,
    section: &'static str,
    done: Option<String>,
    form_error: Option<String>,
    pending: Vec<ListingRow>,
    q: String,
    found: Vec<ListingRow>,
    searched: bool,
}

/// The action form as posted, when it was refused.
struct Refused {
    target: String,
    action: String,
    reason: String,
    errors: Errors,
}

async fn queue_page(
    ctx: &Ctx,
    base: Base,
    q: &str,
    done: Option<String>,
    refused: Option<(Refused, Option<actor::Model>)>,
) -> Result<QueuePage, AppError> {
    let pending = moderation::pending_listings(&ctx.db, QUEUE_LIMIT).await?;
    let found = if q.trim().is_empty() {
        vec![]
    } else {
        let mut rows = moderation::search_listings(&ctx.db, q, QUEUE_LIMIT).await?;
        // A handle or URL of an exact listing is found even when the text search is not.
        if let Ok(a) = moderation::find_target(&ctx.db, &ctx.settings, q).await
            && !rows.iter().any(|r| r.id == a.id)
        {
            rows.insert(0, a);
        }
        rows
    };
    let rows = |list: &[actor::Model], prefix: &'static str| -> Vec<ListingRow> {
        list.iter()
            .map(|a| {
                let mut row = ListingRow::of(a);
                row.prefix = prefix;
                row
            })
            .collect()
    };
    let mut pending = rows(&pending, "p");
    let mut found = rows(&found, "f");
    let mut form_error = None;
    if let Some((mut r, target)) = refused {
        // The refused form is shown again where it was, or first among the results.
        let ap_id = target.as_ref().map(|t| t.ap_id.clone()).unwrap_or_default();
        let shown = |list: &[ListingRow]| list.iter().any(|row| row.ap_id == ap_id);
        if let Some(t) = &target
            && !shown(&pending)
            && !shown(&found)
        {
            let mut row = ListingRow::of(t);
            row.prefix = "f";
            found.insert(0, row);
        }
        match pending
            .iter_mut()
            .chain(found.iter_mut())
            .find(|row| !ap_id.is_empty() && row.ap_id == ap_id)
        {
            Some(row) => {
                row.reason = r.reason;
                row.errors = r.errors;
                for o in &mut row.actions {
                    o.selected = o.value == r.action;
                }
            }
            None => form_error = r.errors.0.remove("form"),
        }
    }
    Ok(QueuePage {
        base,
        tr: Tr,
        section: "queue",
        done,
        form_error,
        pending,
        q: q.to_string(),
        searched: !q.trim().is_empty(),
        found,
    })
}

/// `GET /admin/queue?q=…`: listings waiting for approval, and any listing by name, handle
/// or URL.
pub async fn queue(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let pairs = query(&raw);
    let q = field(&pairs, "q").trim().to_string();
    let done = done_message(&pairs);
    match queue_page(&ctx, Base::new(&ctx, None), &q, done, None).await {
        Ok(mut page) => {
            page.base = base;
            no_store(page.into_response())
        }
        Err(e) => error_page(base, e),
    }
}

/// `POST /admin/queue`: approve, hide, suspend or restore one listing (`target`, its actor
/// URL) with a reason.
pub async fn act(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let (base, account) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let pairs = pairs_of(&body);
    let q = field(&pairs, "q").trim().to_string();
    let mut form = Refused {
        target: field(&pairs, "target").trim().to_string(),
        action: field(&pairs, "action").to_string(),
        reason: field(&pairs, "reason").trim().to_string(),
        errors: Errors::default(),
    };
    let tr = Tr;
    let action = match form.action.as_str() {
        "approve" => Some(Action::Approve),
        "hide" => Some(Action::Hide),
        "suspend" => Some(Action::Suspend),
        "restore" => Some(Action::Restore),
        _ => {
            form.errors.add("action", tr.t("admin-action-invalid"));
            None
        }
    };
    if form.reason.is_empty() && action != Some(Action::Approve) {
        form.errors.add("reason", tr.t("admin-reason-missing"));
    }
    if form.reason.chars().count() > MAX_TEXT {
        form.errors
            .add("reason", tr.n("admin-text-too-long", MAX_TEXT));
    }
    let target = if form.target.is_empty() {
        None
    } else {
        match moderation::find_target(&ctx.db, &ctx.settings, &form.target).await {
            Ok(a) => Some(a),
            Err(e) => match refused(e) {
                Ok(m) => {
                    form.errors.add("form", m);
                    None
                }
                Err(e) => return error_page(base, e),
            },
        }
    };
    let Some(target) = target else {
        form.errors.add("form", tr.t("admin-target-missing"));
        return refused_queue(&ctx, base, &q, form, None).await;
    };
    if target.kind != ActorKind::Offering && target.kind != ActorKind::Coop {
        form.errors.add("form", tr.t("admin-not-listing"));
    }
    let (Some(action), true) = (action, form.errors.is_empty()) else {
        return refused_queue(&ctx, base, &q, form, Some(target)).await;
    };
    match moderation::act(
        &ctx,
        &target,
        action,
        &moderator(&account),
        &form.reason,
        None,
    )
    .await
    {
        Ok(_) => {
            let mut to = format!("/admin/queue?done={}", action.as_str());
            if !q.is_empty() {
                to.push_str(&format!("&q={}", enc(&q)));
            }
            see_other(&to)
        }
        Err(e) => match refused(e) {
            Ok(m) => {
                form.errors.add("form", m);
                refused_queue(&ctx, base, &q, form, Some(target)).await
            }
            Err(e) => error_page(base, e),
        },
    }
}

async fn refused_queue(
    ctx: &Ctx,
    base: Base,
    q: &str,
    form: Refused,
    target: Option<actor::Model>,
) -> Response {
    match queue_page(ctx, Base::new(ctx, None), q, None, Some((form, target))).await {
        Ok(mut page) => {
            page.base = base;
            unprocessable(page)
        }
        Err(e) => error_page(base, e),
    }
}

// ---------------------------------------------------------------------------------------
// Reports

pub struct Link {
    pub text: String,
    pub href: Option<String>,
}

impl Link {
    fn of(url: &str) -> Self {
        Link {
            text: url.to_string(),
            href: safe_href(url),
        }
    }
}

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

async fn reports_page(
    ctx: &Ctx,
    base: Base,
    done: Option<String>,
    refused: Option<ReportForm>,
) -> Result<ReportsPage, AppError> {
    let open = moderation::reports(&ctx.db, false).await?;
    let ids: Vec<i64> = open.iter().filter_map(|r| r.target_actor_id).collect();
    let targets: HashMap<i64, actor::Model> = actor::Entity::find()
        .filter(actor::Column::Id.is_in(ids))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let tr = Tr;
    let mut rows = vec![];
    for r in &open {
        let target = r.target_actor_id.and_then(|id| targets.get(&id));
        let statuses: Vec<String> = serde_json::from_str(&r.status_uris).unwrap_or_default();
        let mut row = ReportRow {
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
        };
        if let Some(f) = refused.as_ref().filter(|f| f.id == r.id) {
            row.resolutions = resolutions(&f.resolution);
            row.note = f.note.clone();
            for (k, v) in &f.errors.0 {
                row.errors.add(k, v.clone());
            }
        }
        rows.push(row);
    }
    Ok(ReportsPage {
        base,
        tr,
        section: "reports",
        done,
        reports: rows,
    })
}

/// `GET /admin/reports`: the open reports.
pub async fn reports(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let done = done_message(&query(&raw));
    match reports_page(&ctx, Base::new(&ctx, None), done, None).await {
        Ok(mut page) => {
            page.base = base;
            no_store(page.into_response())
        }
        Err(e) => error_page(base, e),
    }
}

async fn refused_report(ctx: &Ctx, base: Base, form: ReportForm) -> Response {
    match reports_page(ctx, Base::new(ctx, None), None, Some(form)).await {
        Ok(mut page) => {
            page.base = base;
            unprocessable(page)
        }
        Err(e) => error_page(base, e),
    }
}

/// A report by the id in the path, or the 404 page.
async fn open_report(
    ctx: &Ctx,
    base: Base,
    id: &str,
) -> Result<(Base, i64, report::Model), Response> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(error_page(
            base,
            AppError::NotFound(Tr.a("admin-no-report", "id", id)),
        ));
    };
    match moderation::report_by_id(&ctx.db, id).await {
        Ok(Some(r)) => Ok((base, id, r)),
        Ok(None) => Err(error_page(
            base,
            AppError::NotFound(Tr.a("admin-no-report", "id", id)),
        )),
        Err(e) => Err(error_page(base, e.into())),
    }
}

/// `POST /admin/reports/{id}/resolve`: dismiss, or hide or suspend the reported listing,
/// with a note.
pub async fn resolve(
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (base, account) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let (base, id, _) = match open_report(&ctx, base, &id).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let pairs = pairs_of(&body);
    let tr = Tr;
    let mut form = ReportForm {
        id,
        resolution: field(&pairs, "resolution").to_string(),
        note: field(&pairs, "note").trim().to_string(),
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
    let Some(resolution) = resolution.filter(|_| form.errors.is_empty()) else {
        return refused_report(&ctx, base, form).await;
    };
    match moderation::resolve_report(&ctx, id, resolution, &moderator(&account), &form.note).await {
        Ok(_) => see_other("/admin/reports?done=resolve"),
        Err(e) => match refused(e) {
            Ok(m) => {
                form.errors.add("form", m);
                refused_report(&ctx, base, form).await
            }
            Err(e) => error_page(base, e),
        },
    }
}

/// `POST /admin/reports/{id}/forward`: send a report about a remote listing to its home
/// node, as a `Flag` from this node's instance actor.
pub async fn forward(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let (base, _) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let (base, id, _) = match open_report(&ctx, base, &id).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    match moderation::forward_report(&ctx, id).await {
        Ok(_) => see_other("/admin/reports?done=forward"),
        Err(e) => match refused(e) {
            Ok(m) => {
                let mut errors = Errors::default();
                errors.add("forward", m);
                refused_report(
                    &ctx,
                    base,
                    ReportForm {
                        id,
                        resolution: String::new(),
                        note: String::new(),
                        errors,
                    },
                )
                .await
            }
            Err(e) => error_page(base, e),
        },
    }
}

// ---------------------------------------------------------------------------------------
// Domains

pub struct BlockRow {
    pub domain: String,
    pub severity: String,
    pub reason: String,
    pub by: String,
    pub since: String,
}

pub struct AllowRow {
    pub domain: String,
    pub by: String,
    pub since: String,
}

#[derive(Default)]
pub struct DomainForm {
    pub domain: String,
    pub severity: String,
    pub reason: String,
    pub errors: Errors,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_domains.html")]
pub struct DomainsPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    done: Option<String>,
    allowlist: bool,
    blocks: Vec<BlockRow>,
    allows: Vec<AllowRow>,
    block: DomainForm,
    severities: Vec<Opt>,
    allow: DomainForm,
    /// A refused removal: the message, above the tables.
    remove_error: Option<String>,
}

#[derive(Default)]
struct DomainForms {
    block: Option<DomainForm>,
    allow: Option<DomainForm>,
    remove_error: Option<String>,
}

async fn domains_page(
    ctx: &Ctx,
    base: Base,
    done: Option<String>,
    forms: DomainForms,
) -> Result<DomainsPage, AppError> {
    let (blocks, allows) = moderation::domain_rules(&ctx.db).await?;
    let tr = Tr;
    let block = forms.block.unwrap_or_else(|| DomainForm {
        severity: Severity::Reject.as_str().into(),
        ..Default::default()
    });
    let severities = [Severity::Reject, Severity::Hide]
        .iter()
        .map(|s| Opt {
            value: s.as_str().into(),
            label: tr.vocab("admin-severity", s.as_str()),
            selected: s.as_str() == block.severity,
        })
        .collect();
    Ok(DomainsPage {
        base,
        tr,
        section: "domains",
        done,
        allowlist: ctx.settings.federation_mode == FederationMode::Allowlist,
        blocks: blocks
            .into_iter()
            .map(|b| BlockRow {
                severity: tr.vocab("admin-severity", &b.severity),
                reason: b.reason.unwrap_or_default(),
                by: b.created_by,
                since: date(b.created_at),
                domain: b.domain,
            })
            .collect(),
        allows: allows
            .into_iter()
            .map(|a| AllowRow {
                by: a.created_by,
                since: date(a.created_at),
                domain: a.domain,
            })
            .collect(),
        block,
        severities,
        allow: forms.allow.unwrap_or_default(),
        remove_error: forms.remove_error,
    })
}

/// `GET /admin/domains`: blocked domains, and the allowlist.
pub async fn domains(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let done = done_message(&query(&raw));
    match domains_page(&ctx, Base::new(&ctx, None), done, DomainForms::default()).await {
        Ok(mut page) => {
            page.base = base;
            no_store(page.into_response())
        }
        Err(e) => error_page(base, e),
    }
}

async fn refused_domains(ctx: &Ctx, base: Base, forms: DomainForms) -> Response {
    match domains_page(ctx, Base::new(ctx, None), None, forms).await {
        Ok(mut page) => {
            page.base = base;
            unprocessable(page)
        }
        Err(e) => error_page(base, e),
    }
}

/// `POST /admin/domains/block`: block a domain and its subdomains (or change its block).
pub async fn block(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let (base, account) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let pairs = pairs_of(&body);
    let tr = Tr;
    let mut form = DomainForm {
        domain: field(&pairs, "domain").trim().to_string(),
        severity: field(&pairs, "severity").to_string(),
        reason: field(&pairs, "reason").trim().to_string(),
        errors: Errors::default(),
    };
    if form.domain.is_empty() {
        form.errors.add("domain", tr.t("admin-domain-missing"));
    }
    let severity = Severity::parse(&form.severity);
    if severity.is_none() {
        form.errors.add("severity", tr.t("admin-severity-invalid"));
    }
    if form.reason.chars().count() > MAX_TEXT {
        form.errors
            .add("reason", tr.n("admin-text-too-long", MAX_TEXT));
    }
    let Some(severity) = severity.filter(|_| form.errors.is_empty()) else {
        return refused_domains(
            &ctx,
            base,
            DomainForms {
                block: Some(form),
                ..Default::default()
            },
        )
        .await;
    };
    let reason = Some(form.reason.as_str()).filter(|r| !r.is_empty());
    match moderation::block_domain(&ctx, &form.domain, severity, reason, &moderator(&account)).await
    {
        Ok(_) => see_other("/admin/domains?done=block"),
        Err(e) => match refused(e) {
            Ok(m) => {
                form.errors.add("domain", m);
                refused_domains(
                    &ctx,
                    base,
                    DomainForms {
                        block: Some(form),
                        ..Default::default()
                    },
                )
                .await
            }
            Err(e) => error_page(base, e),
        },
    }
}

/// Which rule a removal or an allow form changes.
#[derive(Clone, Copy)]
enum Rule {
    Unblock,
    Allow,
    Disallow,
}

async fn domain_rule(ctx: Ctx, headers: HeaderMap, body: Bytes, rule: Rule) -> Response {
    let (base, account) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let pairs = pairs_of(&body);
    let domain = field(&pairs, "domain").trim().to_string();
    let by = moderator(&account);
    let result = if domain.is_empty() {
        Err(DomainError::Invalid(Tr.t("admin-domain-missing")))
    } else {
        match rule {
            Rule::Unblock => moderation::unblock_domain(&ctx, &domain, &by)
                .await
                .map(|_| "unblock"),
            Rule::Allow => moderation::allow_domain(&ctx.db, &domain, &by)
                .await
                .map(|_| "allow"),
            Rule::Disallow => moderation::disallow_domain(&ctx.db, &domain, &by)
                .await
                .map(|_| "disallow"),
        }
    };
    match result {
        Ok(done) => see_other(&format!("/admin/domains?done={done}")),
        Err(e) => match refused(e) {
            Ok(m) => {
                let forms = match rule {
                    Rule::Allow => {
                        let mut errors = Errors::default();
                        errors.add("domain", m);
                        DomainForms {
                            allow: Some(DomainForm {
                                domain,
                                errors,
                                ..Default::default()
                            }),
                            ..Default::default()
                        }
                    }
                    Rule::Unblock | Rule::Disallow => DomainForms {
                        remove_error: Some(m),
                        ..Default::default()
                    },
                };
                refused_domains(&ctx, base, forms).await
            }
            Err(e) => error_page(base, e),
        },
    }
}

/// `POST /admin/domains/unblock`: lift a block.
pub async fn unblock(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    domain_rule(ctx, headers, body, Rule::Unblock).await
}

/// `POST /admin/domains/allow`: add a domain to the allowlist.
pub async fn allow(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    domain_rule(ctx, headers, body, Rule::Allow).await
}

/// `POST /admin/domains/disallow`: remove a domain from the allowlist.
pub async fn disallow(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    domain_rule(ctx, headers, body, Rule::Disallow).await
}

// ---------------------------------------------------------------------------------------
// The logs

pub struct LogRow {
    pub when: String,
    pub moderator: String,
    pub action: String,
    pub target: Link,
    pub target_name: String,
    pub change: String,
    pub reason: String,
    pub report: Option<i64>,
}

/// Log entries as rows; listings still stored are named.
async fn log_rows(ctx: &Ctx, entries: Vec<moderation_log::Model>) -> Result<Vec<LogRow>, AppError> {
    let ids: Vec<i64> = entries.iter().filter_map(|e| e.actor_id).collect();
    let actors: HashMap<i64, actor::Model> = actor::Entity::find()
        .filter(actor::Column::Id.is_in(ids))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let tr = Tr;
    let state = |s: &Option<String>| {
        s.as_deref()
            .map(|s| {
                if Severity::parse(s).is_some() {
                    tr.vocab("admin-severity", s)
                } else {
                    tr.vocab("moderation", s)
                }
            })
            .unwrap_or_default()
    };
    Ok(entries
        .into_iter()
        .map(|e| {
            let named = e.actor_id.and_then(|id| actors.get(&id));
            let change = match (&e.from_state, &e.to_state) {
                (Some(_), Some(_)) => format!("{} → {}", state(&e.from_state), state(&e.to_state)),
                (None, Some(_)) => state(&e.to_state),
                _ => String::new(),
            };
            LogRow {
                when: date(e.created_at),
                action: tr.vocab("admin-log-action", &e.action),
                target: Link::of(&e.target),
                target_name: named
                    .filter(|a| !a.name.is_empty())
                    .map(|a| format!("{} (@{}@{})", a.name, a.username, a.domain))
                    .unwrap_or_default(),
                change,
                reason: e.reason,
                report: e.report_id,
                moderator: e.moderator,
            }
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_log.html")]
pub struct LogPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    rows: Vec<LogRow>,
    total: u64,
    paging: Paging,
}

/// `GET /admin/log?page=N`: the whole moderation log, newest first.
pub async fn log(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let data = async {
        let page = page_number(&query(&raw))?;
        let (entries, total) =
            moderation::log_page(&ctx.db, (page - 1) * LOG_PAGE, LOG_PAGE).await?;
        Ok::<_, AppError>((log_rows(&ctx, entries).await?, total, page))
    }
    .await;
    match data {
        Ok((rows, total, page)) => no_store(
            LogPage {
                base,
                tr: Tr,
                section: "log",
                rows,
                total,
                paging: Paging::new("/admin/log", page, total),
            }
            .into_response(),
        ),
        Err(e) => error_page(base, e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation.html")]
pub struct PublicLogPage {
    base: Base,
    tr: Tr,
    rows: Vec<LogRow>,
    total: u64,
    paging: Paging,
}

/// `GET /moderation?page=N`: public. What was decided about which listing, when and why;
/// not who decided (see the module's documentation).
pub async fn public_log(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match frame(&ctx, &headers).await {
        Ok(f) => f,
        Err(e) => return error_page(Base::new(&ctx, None), e),
    };
    let data = async {
        let page = page_number(&query(&raw))?;
        let (entries, total) =
            moderation::public_log(&ctx.db, (page - 1) * LOG_PAGE, LOG_PAGE).await?;
        let mut rows = log_rows(&ctx, entries).await?;
        for r in &mut rows {
            r.moderator.clear();
        }
        Ok::<_, AppError>((rows, total, page))
    }
    .await;
    match data {
        Ok((rows, total, page)) => no_store(
            PublicLogPage {
                base,
                tr: Tr,
                rows,
                total,
                paging: Paging::new("/moderation", page, total),
            }
            .into_response(),
        ),
        Err(e) => error_page(base, e),
    }
}

// ---------------------------------------------------------------------------------------
// Replies under announcements

/// One reply in the admins' replies queue.
pub struct ReplyRow {
    pub when: String,
    pub handle: String,
    pub author_href: String,
    pub thread_href: String,
    pub visibility: String,
    pub hidden: bool,
    pub content: String,
    pub ap_id: String,
    /// The listing whose staff form hides it.
    pub hide_action: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_replies.html")]
pub struct RepliesPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    rows: Vec<ReplyRow>,
}

/// `GET /admin/replies`: the latest replies received under the node's announcements,
/// hidden ones marked, each with a form to hide it.
pub async fn replies(ctx: Ctx, headers: HeaderMap) -> Response {
    use crate::db::entities::announcement;
    use crate::directory::replies;
    let (base, _) = match admin(&ctx, &headers).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let data = async {
        let mut rows = vec![];
        for (r, author) in replies::recent(&ctx.db, QUEUE_LIMIT).await? {
            let a = announcement::Entity::find_by_id(r.announcement_id)
                .one(&ctx.db)
                .await?;
            let owner = match &a {
                Some(a) => actor::Entity::find_by_id(a.actor_id).one(&ctx.db).await?,
                None => None,
            };
            rows.push(ReplyRow {
                when: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                handle: format!("@{}", replies::handle(&author)),
                author_href: page_href(&author),
                thread_href: a
                    .as_ref()
                    .map(|a| format!("{}#reply-{}", a.ap_id, r.id))
                    .unwrap_or_default(),
                visibility: Tr.vocab("reply-visibility", &r.visibility),
                hidden: r.hidden,
                content: r.content_html.clone(),
                hide_action: owner
                    .filter(|o| o.local && !r.hidden)
                    .map(|o| format!("/staff/{}/replies/hide", o.username)),
                ap_id: r.ap_id,
            });
        }
        Ok::<_, AppError>(rows)
    }
    .await;
    match data {
        Ok(rows) => no_store(
            RepliesPage {
                base,
                tr: Tr,
                section: "replies",
                rows,
            }
            .into_response(),
        ),
        Err(e) => error_page(base, e),
    }
}
