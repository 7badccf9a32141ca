//! Pages for admins: the overview, the approval queue with a search for any listing, the
//! reports, the domain rules, the moderation log, the replies; and the public page of
//! moderation decisions (`/moderation`).
//!
//! One file per screen: `overview` (`/admin`), `listings` (the queue and its actions),
//! `reports`, `domains`, `log` (the admins' log and the public one), `replies` and `fasp`
//! (the registrations of FASP clients). The form
//! helpers are the staff pages' too (`http::forms`).
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

mod domains;
mod fasp;
mod listings;
mod log;
mod overview;
mod replies;
mod reports;

pub use domains::{allow, block, disallow, domains, unblock};
pub use fasp::{fasp_page, fasp_revoke};
pub use listings::{act, queue};
pub use log::{log, public_log};
pub use overview::overview;
pub use replies::replies;
pub use reports::{forward, reports, resolve};

use super::{
    forms::{field, see_other},
    i18n::Tr,
    pages::{Base, error_page, frame, no_store, safe_href},
};
use crate::{
    directory::{accounts::Role, staff_views::Account},
    federation::Ctx,
    http::error::AppError,
};
use axum::{
    http::HeaderMap,
    response::{IntoResponse, Response},
};

/// Listings shown in the queue and in search results.
const QUEUE_LIMIT: u64 = 200;
/// Entries per page of the logs.
const LOG_PAGE: u64 = 100;
/// Longest reason or note accepted from a form, in characters.
const MAX_TEXT: usize = 2000;

/// The confirmations after each admin form (`?done=`).
const DONE: [(&str, &str); 10] = [
    ("approve", "admin-done-approve"),
    ("hide", "admin-done-hide"),
    ("suspend", "admin-done-suspend"),
    ("restore", "admin-done-restore"),
    ("resolve", "admin-done-resolve"),
    ("forward", "admin-done-forward"),
    ("block", "admin-done-block"),
    ("unblock", "admin-done-unblock"),
    ("allow", "admin-done-allow"),
    ("disallow", "admin-done-disallow"),
];

fn date(d: chrono::DateTime<chrono::Utc>) -> String {
    d.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The moderator of decisions taken on these pages.
fn moderator(a: &Account) -> String {
    format!("web:{}", a.username)
}

/// The one gate of every admin page and form. Not logged in: 303 to `/login`; logged in
/// without the admin role: 403.
pub(crate) async fn admin(ctx: &Ctx, headers: &HeaderMap) -> Result<(Base, Account), Response> {
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

/// A page built from the node's data: no-store, or the error page.
fn render<T: IntoResponse>(base: Base, page: Result<T, AppError>) -> Response {
    match page {
        Ok(page) => no_store(page.into_response()),
        Err(e) => error_page(base, e),
    }
}

/// A link to a URL given by others: a link only when it is a safe http(s) URL.
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
