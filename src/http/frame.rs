//! The frame every server-rendered page shares: the node's name and who is logged in, the
//! error page, and the small helpers that turn records into links and dates. The public
//! pages, the staff and admin pages and the ActivityPub routes build on it.

use super::{i18n::Tr, session};
use crate::{
    directory::records::{Account, Actor},
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use url::Url;

/// The frame of every page: the node's name and who is logged in.
#[derive(Clone)]
pub struct Base {
    pub node_name: String,
    pub user: Option<String>,
    pub admin: bool,
}

impl Base {
    pub fn new(ctx: &Ctx, account: Option<&Account>) -> Self {
        Base {
            node_name: ctx.settings.node_name.clone(),
            user: account.map(|a| a.username.clone()),
            admin: account.is_some_and(|a| a.role == "admin"),
        }
    }
}

/// The frame of a page and the logged-in account, from the request's cookie.
pub async fn frame(ctx: &Ctx, headers: &HeaderMap) -> AppResult<(Base, Option<Account>)> {
    let account = session::current(ctx, headers).await?;
    Ok((Base::new(ctx, account.as_ref()), account))
}

/// The frame of a page, or the error page (framed for nobody) when the session cannot be
/// read.
pub async fn frame_or_error(
    ctx: &Ctx,
    headers: &HeaderMap,
) -> Result<(Base, Option<Account>), Response> {
    frame(ctx, headers)
        .await
        .map_err(|e| error_page(Base::new(ctx, None), e))
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    base: Base,
    tr: Tr,
    title: String,
    message: String,
}

/// An error as a page (the JSON API answers errors as JSON instead). 500s are logged and
/// not echoed.
pub fn error_page(base: Base, err: AppError) -> Response {
    let status = err.status();
    let message = match &err {
        AppError::Internal(e) => {
            tracing::error!(error = ?e, "internal error");
            Tr.t("error-internal")
        }
        other => other.to_string(),
    };
    let title = match status {
        StatusCode::NOT_FOUND => Tr.t("error-not-found"),
        StatusCode::FORBIDDEN => Tr.t("error-forbidden"),
        StatusCode::GONE => Tr.t("error-gone"),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => Tr.t("error-invalid"),
        _ => Tr.t("error-title"),
    };
    (
        status,
        ErrorPage {
            base,
            tr: Tr,
            title,
            message,
        },
    )
        .into_response()
}

/// A rendered page, or the error page in the given frame.
pub fn page_or_error(base: Base, page: AppResult<Response>) -> Response {
    page.unwrap_or_else(|e| error_page(base, e))
}

/// An http(s) link to a page elsewhere, or nothing: remote servers choose these strings,
/// and `javascript:` or `data:` must never become a link.
pub fn safe_href(url: &str) -> Option<String> {
    Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .map(String::from)
}

/// Where a member reads about an actor: our page for our own actors, the remote actor's
/// profile page (`url`, else its id) for the others.
pub fn page_href(a: &Actor) -> String {
    if a.local {
        return a.ap_id.clone();
    }
    a.url
        .as_deref()
        .and_then(safe_href)
        .or_else(|| safe_href(&a.ap_id))
        .unwrap_or_else(|| "#".into())
}

/// `@username@domain`.
pub fn handle_of(a: &Actor) -> String {
    format!("@{}@{}", a.username, a.domain)
}

/// A date and time as pages show it.
pub fn date(d: chrono::DateTime<chrono::Utc>) -> String {
    d.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// "Follow from your instance" for an actor.
pub fn follow_href(actor: &str) -> String {
    let mut s = url::form_urlencoded::Serializer::for_suffix(String::from("/follow?"), 8);
    s.append_pair("actor", actor);
    s.finish()
}

/// Pages are never cached by shared caches: they show who is logged in.
pub fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_become_links() {
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href("data:text/html,x").is_none());
        assert!(safe_href(" JavaScript:alert(1)").is_none());
        assert_eq!(
            safe_href("https://a.example/x").as_deref(),
            Some("https://a.example/x")
        );
    }
}
