//! The API token (`Authorization: Bearer`) and the rule of who may act on a listing.

use super::{handle_of, no_store};
use crate::{
    directory::{
        self,
        accounts::{self},
        records::{Account, Actor},
        types::{ActorKind, Moderation},
    },
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use axum::{
    extract::FromRequestParts,
    http::{HeaderValue, header, request::Parts},
    response::{IntoResponse, Response},
};

// ---------------------------------------------------------------------------------------
// Authenticated endpoints for staff automation

/// The realm of the `WWW-Authenticate` challenges.
const REALM: &str = "coopdir";

/// A 401 with its `WWW-Authenticate` challenge (RFC 6750 §3): without an error code when
/// the request carried no bearer token, with `invalid_token` when it carried a wrong one.
fn challenge(message: String, invalid_token: bool) -> Response {
    let value = if invalid_token {
        format!("Bearer realm=\"{REALM}\", error=\"invalid_token\"")
    } else {
        format!("Bearer realm=\"{REALM}\"")
    };
    let mut res = no_store(AppError::Unauthorized(message).into_response());
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    res
}

/// The account of the API token sent as `Authorization: Bearer <token>`. Only that header
/// authenticates: cookies are ignored here. Missing or not a bearer token: 401 that says
/// how to get one; an unknown (or revoked, i.e. deleted) token: 401 `invalid_token`.
/// `accounts::account_for_token` looks the token up by its SHA-256 and records its use.
pub struct Bearer(pub Account);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(challenge(crate::msg!("error-api-no-token").text(), false));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(challenge(crate::msg!("error-api-bearer").text(), false));
        };
        match accounts::account_for_token(&ctx.db, token).await {
            Ok(Some(account)) => Ok(Bearer(account)),
            Ok(None) => Err(challenge(
                crate::msg!("error-api-token-invalid").text(),
                true,
            )),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

pub(crate) fn is_offering(a: &Actor) -> bool {
    a.kind == ActorKind::Offering
}

pub(crate) fn is_listing(a: &Actor) -> bool {
    (is_offering(a) || a.kind == ActorKind::Coop) && a.moderation != Moderation::Removed
}

/// The local co-op or offering `username` that `account` may act on, by the rule of the
/// staff pages (`accounts::authorize`): 404 when this node has no such listing, 403 naming
/// the listing when the account may not act on it.
pub(crate) async fn managed(ctx: &Ctx, account: &Account, username: &str) -> AppResult<Actor> {
    let target = directory::find_local(&ctx.db, username)
        .await?
        .filter(is_listing)
        .ok_or_else(|| {
            AppError::NotFound(crate::msg!("error-api-no-listing", username = username).text())
        })?;
    accounts::authorize(account, &target).map_err(|e| {
        AppError::Forbidden(
            crate::msg!(
                "error-api-not-allowed",
                handle = handle_of(&target),
                reason = e.0.text(),
            )
            .text(),
        )
    })?;
    Ok(target)
}

/// [`managed`], for endpoints that only apply to offerings (as the staff edit form).
pub(crate) async fn managed_offering(
    ctx: &Ctx,
    account: &Account,
    username: &str,
) -> AppResult<Actor> {
    let target = managed(ctx, account, username).await?;
    if !is_offering(&target) {
        return Err(AppError::NotFound(
            crate::msg!("error-api-coop-not-offering", handle = handle_of(&target)).text(),
        ));
    }
    Ok(target)
}
