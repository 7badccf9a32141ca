//! `/login` and `/logout`.

use super::super::{
    client_addr,
    forms::{Errors, FORM, Page, field, pairs_of, see_other, trimmed, unprocessable},
    i18n::Tr,
    pages::{Base, error_page, frame, no_store},
    session,
};
use crate::{
    directory::{
        accounts::{self, LoginLimiter},
        staff_views::Account,
    },
    federation::Ctx,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Extension,
    body::Bytes,
    extract::ConnectInfo,
    http::{Extensions, HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Instant,
};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    base: Base,
    tr: Tr,
    username: String,
    errors: Errors,
}

impl LoginPage {
    /// The form again with its errors, answered with `status`.
    fn refused(base: Base, username: String, errors: Errors, status: StatusCode) -> Response {
        let page = LoginPage {
            base,
            tr: Tr,
            username,
            errors,
        };
        no_store((status, page).into_response())
    }
}

/// `GET /login`.
pub async fn login_form(ctx: Ctx, headers: HeaderMap) -> Response {
    match frame(&ctx, &headers).await {
        Ok((_, Some(_))) => see_other("/staff"),
        Ok((base, None)) => {
            LoginPage::refused(base, String::new(), Errors::default(), StatusCode::OK)
        }
        Err(e) => error_page(Base::new(&ctx, None), e),
    }
}

/// The client's address: the TCP peer (`ConnectInfo`), or the client a trusted proxy
/// names (`--trusted-proxy`, see `http::client_addr`). Without `ConnectInfo` every client
/// shares one key per username.
fn client_ip(ctx: &Ctx, ext: &Extensions, headers: &HeaderMap) -> IpAddr {
    ext.get::<ConnectInfo<SocketAddr>>()
        .map(|c| client_addr::client_addr(c.0.ip(), headers, &ctx.settings.http.trusted_proxies))
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// The username and password posted, or the username and the errors when one is empty.
fn credentials(body: &Bytes) -> Result<(String, String), (String, Errors)> {
    let pairs = pairs_of(body);
    let username = trimmed(&pairs, "username");
    let password = field(&pairs, "password").to_string();
    let mut errors = Errors::default();
    if username.is_empty() {
        errors.add("username", Tr.t("login-username-missing"));
    }
    if password.is_empty() {
        errors.add("password", Tr.t("login-password-missing"));
    }
    if errors.is_empty() {
        Ok((username, password))
    } else {
        Err((username, errors))
    }
}

/// `POST /login`: 303 to `/staff` with a session cookie; 422 when a field is empty, 401
/// for a wrong username or password, 429 with `Retry-After` after too many attempts.
/// The attempt is charged to (client address, username) before the password is verified,
/// so concurrent requests cannot overrun the limit.
pub async fn login(
    ctx: Ctx,
    Extension(logins): Extension<Arc<LoginLimiter>>,
    ext: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let base = Base::new(&ctx, None);
    let (username, password) = credentials(&body).map_err(|(username, errors)| {
        let tr = Tr;
        unprocessable(LoginPage {
            base: base.clone(),
            tr,
            username,
            errors,
        })
    })?;
    let ip = client_ip(&ctx, &ext, &headers);
    limit(&logins, ip, &username, &base)?;
    logins.count_check();
    let account = verify(&ctx, base.clone(), &username, &password).await?;
    logins.succeeded(ip, &username);
    let cookie = session::start(&ctx, &account)
        .await
        .map_err(|e| error_page(base, e))?;
    let mut r = see_other("/staff");
    r.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(r)
}

/// The account of this username and password; a wrong one is the form again with 401.
async fn verify(ctx: &Ctx, base: Base, username: &str, password: &str) -> Page<Account> {
    match accounts::authenticate(&ctx.db, username, password).await {
        Ok(Some(a)) => Ok(a),
        Ok(None) => {
            let mut errors = Errors::default();
            errors.add(FORM, Tr.t("login-failed"));
            let status = StatusCode::UNAUTHORIZED;
            Err(LoginPage::refused(
                base,
                username.to_string(),
                errors,
                status,
            ))
        }
        Err(e) => Err(error_page(base, e.into())),
    }
}

/// Charge one attempt of `username` from `ip`; past the limit, the form again with 429
/// and `Retry-After`.
#[allow(clippy::result_large_err)] // a response either way, as the handler answers
fn limit(logins: &LoginLimiter, ip: IpAddr, username: &str, base: &Base) -> Result<(), Response> {
    let Err(wait) = logins.try_attempt(ip, username, Instant::now()) else {
        return Ok(());
    };
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let mut errors = Errors::default();
    errors.add(FORM, Tr.n("login-rate-limited", minutes));
    let mut r = LoginPage::refused(
        base.clone(),
        username.to_string(),
        errors,
        StatusCode::TOO_MANY_REQUESTS,
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, wait.as_secs().max(1).into());
    Err(r)
}

/// `POST /logout`: the session ends and its cookie is cleared.
pub async fn logout(ctx: Ctx, headers: HeaderMap) -> Page {
    let cookie = session::end(&ctx, &headers)
        .await
        .map_err(|e| error_page(Base::new(&ctx, None), e))?;
    let mut r = see_other("/");
    r.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(r)
}
