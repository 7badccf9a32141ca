//! Pages for co-op staff and admins: log in and out, the list of listings an account
//! manages, and per listing the forms that edit an offering, post an announcement, start a
//! sunset or transfer it, with its followers and the state of its deliveries.
//!
//! One file per screen: `login` (log in and out), `dashboard` (`/staff`), `manage` (the
//! page of one listing, which every form below shows again when it refuses), `edit`,
//! `announce`, `sunset`, `transfers` (propose, accept, decline) and `replies` (answer,
//! hide, pin). The form helpers are the admin pages' too (`http::forms`).
//!
//! Who may act on what is decided in one place, [`managed`], with
//! `directory::accounts::authorize`: admins act on every local listing, staff on their own
//! co-op and its offerings. Every form calls the same `directory` function as the CLI and
//! the API; a refused form is shown again with the message next to its field and status
//! 422, and nothing is written (each domain function runs in one transaction).

mod announce;
mod dashboard;
mod edit;
mod login;
mod manage;
mod replies;
mod sunset;
mod transfers;

pub(crate) use announce::ANNOUNCE_KINDS;
pub use announce::announce;
pub use dashboard::dashboard;
pub use edit::edit;
pub use login::{login, login_form, logout};
pub use manage::{manage, outdated_done};
pub use replies::{answer, hide_reply, pin_reply};
pub use sunset::sunset;
pub use transfers::{accept_transfer, decline_transfer, transfer};

/// The errors of a refused form (the report form uses them too).
pub use super::forms::Errors;

use super::{
    forms::see_other,
    i18n::Tr,
    pages::{Base, error_page, frame},
};
use crate::{
    directory::{
        self, accounts,
        staff_views::{Account, Actor},
        types::{ActorKind, Moderation},
    },
    federation::Ctx,
    http::error::AppError,
};
use axum::{http::HeaderMap, response::Response};

/// Whether `account` may act on `target`: `directory::accounts::authorize`.
pub fn may_manage(account: &Account, target: &Actor) -> bool {
    accounts::authorize(account, target).is_ok()
}

/// The logged-in account, or the answer that ends the request: 303 to `/login` when no
/// one is logged in.
async fn logged_in(ctx: &Ctx, headers: &HeaderMap) -> Result<(Base, Account), Response> {
    let (base, account) = frame(ctx, headers)
        .await
        .map_err(|e| error_page(Base::new(ctx, None), e))?;
    match account {
        Some(account) => Ok((base, account)),
        None => Err(see_other("/login")),
    }
}

/// The one gate of every staff page and form: the logged-in account and the local co-op
/// or offering `username` it may act on. Not logged in: 303 to `/login`; not allowed: 403.
async fn managed(
    ctx: &Ctx,
    headers: &HeaderMap,
    username: &str,
) -> Result<(Base, Account, Actor), Response> {
    let (base, account) = logged_in(ctx, headers).await?;
    let target = directory::find_local(&ctx.db, username)
        .await
        .map_err(|e| error_page(Base::new(ctx, Some(&account)), e.into()))?
        .filter(|a| {
            (a.kind == ActorKind::Offering || a.kind == ActorKind::Coop)
                && a.moderation != Moderation::Removed
        });
    let Some(target) = target else {
        return Err(error_page(
            base,
            AppError::NotFound(Tr.a("error-no-actor", "name", username)),
        ));
    };
    if let Err(e) = accounts::authorize(&account, &target) {
        return Err(error_page(base, e.into()));
    }
    Ok((base, account, target))
}

/// Post/redirect/get: back to the listing's page with the confirmation `what`.
fn done(username: &str, what: &str) -> Response {
    see_other(&format!("/staff/{username}?done={what}"))
}
