//! Login sessions of the web interface.
//!
//! A session is 32 random bytes, sent to the browser in a cookie that is `HttpOnly`,
//! `SameSite=Lax`, and `Secure` with the `__Host-` prefix when the public URL is https.
//! The database keeps only the SHA-256 of the token (table `session`), so reading the
//! database does not let anyone log in. Sessions last [`LIFETIME`]; logging out deletes
//! the row.
//!
//! Cross-site form posts are refused before they reach a handler (`CsrfLayer` in
//! `http::app`), so a session cookie alone never authorizes a change made from another
//! site.

use crate::{
    directory::sessions::{self, Account},
    federation::{AppState, Ctx},
    http::error::{AppError, AppResult},
};
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::Utc;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long a login lasts.
pub const LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);

/// The cookie's name over http (local work and tests).
const PLAIN_COOKIE: &str = "coopdir_session";

/// The cookie's name over https: the `__Host-` prefix makes the browser refuse it unless
/// it is `Secure`, has `Path=/` and no `Domain`, so a sibling domain cannot plant one.
const HOST_COOKIE: &str = "__Host-coopdir_session";

fn secure(state: &AppState) -> bool {
    state.settings.public_url.scheme() == "https"
}

/// The name of the session cookie on this node.
pub fn cookie_name(state: &AppState) -> &'static str {
    if secure(state) {
        HOST_COOKIE
    } else {
        PLAIN_COOKIE
    }
}

/// Hex SHA-256 of a token, as stored.
fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The value of cookie `name` in the request, if any.
pub(super) fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn set_cookie(state: &AppState, value: &str, max_age: u64) -> AppResult<HeaderValue> {
    let secure = if secure(state) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(state)
    ))
    .map_err(|e| AppError::Internal(e.into()))
}

/// Start a session for `account`: store it and return the `Set-Cookie` header value.
/// Expired sessions of every account are deleted on the way.
pub async fn start(state: &AppState, account: &Account) -> AppResult<HeaderValue> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let now = Utc::now();
    let lifetime =
        chrono::Duration::from_std(LIFETIME).map_err(|e| AppError::Internal(e.into()))?;
    sessions::start(
        &state.db,
        account.id,
        token_hash(&token),
        now,
        now + lifetime,
    )
    .await?;
    set_cookie(state, &token, LIFETIME.as_secs())
}

/// The account logged in with this request's cookie, if any.
pub async fn current(ctx: &Ctx, headers: &HeaderMap) -> AppResult<Option<Account>> {
    let Some(token) = read_cookie(headers, cookie_name(ctx)) else {
        return Ok(None);
    };
    Ok(sessions::account_of(&ctx.db, &token_hash(token), Utc::now()).await?)
}

/// End the session of this request (if any) and return the `Set-Cookie` that clears the
/// cookie.
pub async fn end(ctx: &Ctx, headers: &HeaderMap) -> AppResult<HeaderValue> {
    if let Some(token) = read_cookie(headers, cookie_name(ctx)) {
        sessions::end(&ctx.db, &token_hash(token)).await?;
    }
    set_cookie(ctx, "", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("x_coopdir_session=bad; coopdir_session=abc ; other=1"),
        );
        assert_eq!(read_cookie(&h, "coopdir_session"), Some("abc"));
        assert_eq!(read_cookie(&h, "missing"), None);
        assert_eq!(token_hash("abc").len(), 64);
    }
}
