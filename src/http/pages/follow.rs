//! "Follow from your instance": the form that asks for the member's instance, and the
//! redirect to that instance's own follow page.

use super::super::{
    frame::{Base, error_page, frame_or_error, handle_of},
    i18n::Tr,
    session,
};
use crate::{
    directory::{self as domain, records::Actor},
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::RawQuery,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use url::Url;

/// The cookie that remembers the member's instance for the next follow (only its host).
const INSTANCE_COOKIE: &str = "instance";

#[derive(Template, WebTemplate)]
#[template(path = "follow.html")]
pub struct FollowPage {
    base: Base,
    tr: Tr,
    actor: String,
    name: String,
    handle: String,
    instance: String,
    error: Option<String>,
}

/// The host of a member's instance from what they typed: `example.social`,
/// `@me@example.social` or `https://example.social/`. Only a DNS name (with an optional
/// port) is accepted, never an IP address, a path or credentials; the redirect is then
/// built from the parsed host, so the form can never send anyone to an arbitrary URL.
pub fn instance_host(input: &str) -> Result<(String, Option<u16>), String> {
    let mut s = input.trim();
    for prefix in ["https://", "http://"] {
        if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
            s = &s[prefix.len()..];
        }
    }
    let s = s.trim_end_matches('/');
    // A handle: the instance is what follows the last `@`.
    let s = match s.rsplit_once('@') {
        Some((user, host)) if !user.contains(['/', '?', '#', '\\', ':']) => host,
        Some(_) => return Err("not a domain".into()),
        None => s,
    };
    if s.is_empty()
        || s.len() > 253
        || !s
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
    {
        return Err("not a domain".into());
    }
    let url = Url::parse(&format!("https://{s}/")).map_err(|e| e.to_string())?;
    if url.path() != "/" || url.username() != "" || url.password().is_some() {
        return Err("not a domain".into());
    }
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let labels: Vec<&str> = d.split('.').collect();
            let tld_ok = labels
                .last()
                .is_some_and(|t| !t.is_empty() && !t.chars().all(|c| c.is_ascii_digit()));
            if (labels.len() < 2 && d != "localhost")
                || !tld_ok
                || labels.iter().any(|l| l.is_empty())
            {
                return Err("not a domain".into());
            }
            Ok((d.to_string(), url.port()))
        }
        _ => Err("an IP address".into()),
    }
}

/// `https://HOST[:PORT]/authorize_interaction?uri=ACTOR`: Mastodon's (and most servers')
/// remote-follow page.
pub fn authorize_url(host: &str, port: Option<u16>, actor: &str) -> AppResult<Url> {
    let mut u = Url::parse("https://instance.invalid/authorize_interaction")
        .map_err(|e| AppError::Internal(e.into()))?;
    u.set_host(Some(host))
        .map_err(|e| AppError::Internal(e.into()))?;
    u.set_port(port)
        .map_err(|_| AppError::Internal(anyhow::anyhow!("cannot set port")))?;
    u.query_pairs_mut().append_pair("uri", actor);
    Ok(u)
}

/// `GET /follow?actor=URL[&instance=DOMAIN]`: without an instance, the form; with one, a
/// redirect to the member's own server, which asks them to confirm the follow there.
pub async fn follow(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let (base, _) = match frame_or_error(&ctx, &headers).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (actor_url, instance) = asked(raw.as_deref());
    // Only actors this directory lists can be followed from here.
    let target = match actor_url.is_empty() {
        true => Ok(None),
        false => domain::browse::followable(&ctx.db, &actor_url).await,
    };
    match target {
        Ok(Some(target)) => answer(base, &headers, raw.as_deref(), target, instance),
        Ok(None) => error_page(base, AppError::NotFound(Tr.t("follow-unknown"))),
        Err(e) => error_page(base, e.into()),
    }
}

/// The actor and the instance from the query string, trimmed.
fn asked(raw: Option<&str>) -> (String, String) {
    let mut actor_url = String::new();
    let mut instance = String::new();
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "actor" => actor_url = v.trim().to_string(),
            "instance" => instance = v.trim().to_string(),
            _ => {}
        }
    }
    (actor_url, instance)
}

/// The form (empty, remembered or refused), or the redirect to the member's instance.
fn answer(
    base: Base,
    headers: &HeaderMap,
    raw: Option<&str>,
    target: Actor,
    instance: String,
) -> Response {
    let page = |base, instance: String, error: Option<String>| FollowPage {
        base,
        tr: Tr,
        actor: target.ap_id.clone(),
        name: target.name.clone(),
        handle: handle_of(&target),
        instance,
        error,
    };
    if instance.is_empty() {
        if raw.unwrap_or("").contains("instance=") {
            let message = Tr.t("follow-instance-missing");
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(base, instance, Some(message)),
            )
                .into_response();
        }
        return page(base, remembered_instance(headers), None).into_response();
    }
    match instance_host(&instance) {
        Ok((host, port)) => match authorize_url(&host, port, &target.ap_id) {
            Ok(u) => redirect(&u, &host, port),
            Err(e) => error_page(base, e),
        },
        Err(_) => {
            let message = Tr.a("follow-instance-invalid", "input", &instance);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(base, instance, Some(message)),
            )
                .into_response()
        }
    }
}

/// The instance this browser followed from last time, if it is still a valid one; empty
/// otherwise. Prefills the follow forms (this one and those of the actor pages).
pub(crate) fn remembered_instance(headers: &HeaderMap) -> String {
    session::read_cookie(headers, INSTANCE_COOKIE)
        .filter(|v| instance_host(v).is_ok())
        .unwrap_or_default()
        .to_string()
}

/// The redirect to the member's instance, remembering the instance in a cookie (for the
/// whole site, so that the actor pages' follow forms are prefilled too).
fn redirect(u: &Url, host: &str, port: Option<u16>) -> Response {
    let remember = match port {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    let cookie = format!(
        "{INSTANCE_COOKIE}={remember}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        365 * 24 * 3600
    );
    let mut res = Redirect::to(u.as_str()).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_hosts_are_parsed_strictly() {
        assert_eq!(
            instance_host("mastodon.social").unwrap(),
            ("mastodon.social".to_string(), None)
        );
        assert_eq!(
            instance_host(" @me@Example.Social ").unwrap().0,
            "example.social"
        );
        assert_eq!(
            instance_host("https://example.social/").unwrap().0,
            "example.social"
        );
        assert_eq!(
            instance_host("social.example:8443").unwrap(),
            ("social.example".to_string(), Some(8443))
        );
        for bad in [
            "",
            "evil.example/path",
            "evil.example?x=1",
            "evil.example#x",
            "user:pass@evil.example",
            "127.0.0.1",
            "[::1]",
            "javascript:alert(1)",
            "nodot",
            "a..b",
            "evil.example\\@good.example",
            "https://evil.example/authorize_interaction?uri=x",
            "//evil.example",
            "exa mple.org",
        ] {
            assert!(instance_host(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn the_redirect_is_built_from_the_host() {
        let u = authorize_url("example.social", None, "http://localhost:1/actors/a?b&c").unwrap();
        assert_eq!(
            u.as_str(),
            "https://example.social/authorize_interaction?uri=http%3A%2F%2Flocalhost%3A1%2Factors%2Fa%3Fb%26c"
        );
    }
}
