//! `/admin/queue`: listings waiting for approval, the search for any listing, and the
//! form that approves, hides, suspends or restores one.

use super::super::{
    forms::{
        Errors, FORM, Opt, Page, enc, field, pairs_of, query_pairs, refused, see_other, trimmed,
        unprocessable,
    },
    i18n::Tr,
    pages::{Base, error_page, page_href},
};
use super::{MAX_TEXT, QUEUE_LIMIT, date, moderator};
use crate::{
    directory::{
        moderation::{self, Action},
        staff_views::{Account, Actor},
        types::ActorKind,
    },
    federation::Ctx,
    http::error::AppError,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{body::Bytes, extract::RawQuery, http::HeaderMap, response::Response};

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
    fn of(a: &Actor, prefix: &'static str) -> Self {
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
            prefix,
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

/// The action form as posted.
struct ActForm {
    target: String,
    action: String,
    reason: String,
    errors: Errors,
}

impl ActForm {
    /// The form as posted, with the errors of its own fields, and the action it names.
    fn posted(pairs: &[(String, String)]) -> (Self, Option<Action>) {
        let mut form = ActForm {
            target: trimmed(pairs, "target"),
            action: field(pairs, "action").to_string(),
            reason: trimmed(pairs, "reason"),
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
        (form, action)
    }
}

/// The listings found by `q`: by text, and a handle or URL of an exact listing even when
/// the text search does not find it.
async fn search(ctx: &Ctx, q: &str) -> Result<Vec<Actor>, AppError> {
    if q.trim().is_empty() {
        return Ok(vec![]);
    }
    let mut rows = moderation::search_listings(&ctx.db, q, QUEUE_LIMIT).await?;
    if let Ok(a) = moderation::find_target(&ctx.db, &ctx.settings, q).await
        && !rows.iter().any(|r| r.id == a.id)
    {
        rows.insert(0, a);
    }
    Ok(rows)
}

async fn queue_page(
    ctx: &Ctx,
    base: Base,
    q: &str,
    done: Option<String>,
    refused: Option<(ActForm, Option<Actor>)>,
) -> Result<QueuePage, AppError> {
    let pending = moderation::pending_listings(&ctx.db, QUEUE_LIMIT).await?;
    let found = search(ctx, q).await?;
    let rows = |list: &[Actor], prefix: &'static str| -> Vec<ListingRow> {
        list.iter().map(|a| ListingRow::of(a, prefix)).collect()
    };
    let mut page = QueuePage {
        base,
        tr: Tr,
        section: "queue",
        done,
        form_error: None,
        pending: rows(&pending, "p"),
        q: q.to_string(),
        searched: !q.trim().is_empty(),
        found: rows(&found, "f"),
    };
    if let Some((form, target)) = refused {
        show_refused(&mut page, form, target);
    }
    Ok(page)
}

/// The refused form is shown again where it was, or first among the results.
fn show_refused(page: &mut QueuePage, mut form: ActForm, target: Option<Actor>) {
    let ap_id = target.as_ref().map(|t| t.ap_id.clone()).unwrap_or_default();
    let shown = |list: &[ListingRow]| list.iter().any(|row| row.ap_id == ap_id);
    if let Some(t) = &target
        && !shown(&page.pending)
        && !shown(&page.found)
    {
        page.found.insert(0, ListingRow::of(t, "f"));
    }
    match page
        .pending
        .iter_mut()
        .chain(page.found.iter_mut())
        .find(|row| !ap_id.is_empty() && row.ap_id == ap_id)
    {
        Some(row) => {
            row.reason = form.reason;
            row.errors = form.errors;
            for o in &mut row.actions {
                o.selected = o.value == form.action;
            }
        }
        None => page.form_error = form.errors.take(FORM),
    }
}

/// `GET /admin/queue?q=…`: listings waiting for approval, and any listing by name, handle
/// or URL.
pub async fn queue(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    let pairs = query_pairs(&raw);
    let q = trimmed(&pairs, "q");
    let done = super::super::forms::flash(&pairs, &super::DONE);
    let page = queue_page(&ctx, base.clone(), &q, done, None).await;
    Ok(super::render(base, page))
}

/// `POST /admin/queue`: approve, hide, suspend or restore one listing (`target`, its actor
/// URL) with a reason.
pub async fn act(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Page {
    let (base, account) = super::admin(&ctx, &headers).await?;
    let pairs = pairs_of(&body);
    let q = trimmed(&pairs, "q");
    let (mut form, action) = ActForm::posted(&pairs);
    let target = target(&ctx, &base, &mut form).await?;
    let (Some(target), Some(action), true) = (&target, action, form.errors.is_empty()) else {
        return Err(refused_queue(&ctx, base, &q, form, target).await);
    };
    match apply(&ctx, &account, target, action, &form.reason).await {
        Ok(()) => Ok(see_other(&done_href(action, &q))),
        Err(e) => {
            form.errors
                .add(FORM, refused(e).map_err(|e| error_page(base.clone(), e))?);
            Err(refused_queue(&ctx, base, &q, form, Some(target.clone())).await)
        }
    }
}

/// The listing the form names, with the form's errors about it: none named, not found,
/// not a listing.
async fn target(ctx: &Ctx, base: &Base, form: &mut ActForm) -> Result<Option<Actor>, Response> {
    let tr = Tr;
    let target = if form.target.is_empty() {
        None
    } else {
        match moderation::find_target(&ctx.db, &ctx.settings, &form.target).await {
            Ok(a) => Some(a),
            Err(e) => {
                let m = refused(e).map_err(|e| error_page(base.clone(), e))?;
                form.errors.add(FORM, m);
                None
            }
        }
    };
    match &target {
        None => form.errors.add(FORM, tr.t("admin-target-missing")),
        Some(t) if t.kind != ActorKind::Offering && t.kind != ActorKind::Coop => {
            form.errors.add(FORM, tr.t("admin-not-listing"))
        }
        Some(_) => {}
    }
    Ok(target)
}

async fn apply(
    ctx: &Ctx,
    account: &Account,
    target: &Actor,
    action: Action,
    reason: &str,
) -> Result<(), crate::directory::DomainError> {
    moderation::act(ctx, target, action, &moderator(account), reason, None)
        .await
        .map(|_| ())
}

/// Back to the queue (and the search) with the confirmation.
fn done_href(action: Action, q: &str) -> String {
    let mut to = format!("/admin/queue?done={}", action.as_str());
    if !q.is_empty() {
        to.push_str(&format!("&q={}", enc(q)));
    }
    to
}

async fn refused_queue(
    ctx: &Ctx,
    base: Base,
    q: &str,
    form: ActForm,
    target: Option<Actor>,
) -> Response {
    match queue_page(ctx, base.clone(), q, None, Some((form, target))).await {
        Ok(page) => unprocessable(page),
        Err(e) => error_page(base, e),
    }
}
