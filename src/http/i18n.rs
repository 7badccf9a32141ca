//! The words of the web interface in the language of the request. The messages live in
//! Fluent files under `frontend/locales/` (see [`crate::i18n`]); this module chooses the
//! language of each request ([`negotiate`], applied to every route by [`LangLayer`]) and gives
//! templates a [`Tr`] to ask for every string they show: `{{ tr.t("nav-about") }}`.
//! What it returns is text; the template escapes it like any other value.
//!
//! The language is, in this order: the `lang` cookie the switcher on every page sets (a
//! value that names no interface language is ignored), the browser's `Accept-Language`,
//! the node's `default_language`.

use crate::i18n::{self, Lang};
use axum::{
    Form,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use fluent_bundle::{FluentArgs, FluentValue};

/// The cookie that remembers the language chosen with the switcher.
pub const COOKIE: &str = "lang";

/// How long the choice is remembered: a year.
const COOKIE_MAX_AGE: u64 = 365 * 24 * 3600;

/// The language of a request: the `lang` cookie, else `Accept-Language`, else `default`.
pub fn negotiate(headers: &HeaderMap, default: Lang) -> Lang {
    super::session::read_cookie(headers, COOKIE)
        .and_then(|v| v.parse::<Lang>().ok())
        .or_else(|| {
            headers
                .get_all(header::ACCEPT_LANGUAGE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(Lang::from_accept_language)
        })
        .unwrap_or(default)
}

/// Whether a path is of the JSON API, whose clients are programs: what they are told
/// is in English unless they ask for another language.
fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Handles each request in its language ([`negotiate`]), and says so: `Content-Language`
/// on pages and on the API's error answers, and `Vary` so that no cache hands an answer
/// in one language to a client asking for another. The API falls back to English, not to
/// the node's default language. A tower layer rather than `axum::middleware::from_fn`, which boxes a clone
/// of the whole router and a future for every request: this costs the negotiation and a
/// task-local scope.
#[derive(Debug, Clone, Copy)]
pub struct LangLayer {
    default: Lang,
}

impl LangLayer {
    /// Requests that name no interface language (cookie, `Accept-Language`) get `default`.
    pub fn new(default: Lang) -> Self {
        LangLayer { default }
    }
}

impl<S> tower::Layer<S> for LangLayer {
    type Service = LangService<S>;

    fn layer(&self, inner: S) -> LangService<S> {
        LangService {
            inner,
            default: self.default,
        }
    }
}

/// The service of [`LangLayer`].
#[derive(Debug, Clone)]
pub struct LangService<S> {
    inner: S,
    default: Lang,
}

/// What the response of a request handled in its language becomes.
type Said<E> = fn(Result<Response, E>) -> Result<Response, E>;

impl<S, B> tower::Service<axum::http::Request<B>> for LangService<S>
where
    S: tower::Service<axum::http::Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = tokio::task::futures::TaskLocalFuture<
        Lang,
        futures::future::Map<S::Future, Said<S::Error>>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: axum::http::Request<B>) -> Self::Future {
        use futures::FutureExt as _;
        let api = is_api(req.uri().path());
        let lang = negotiate(req.headers(), if api { Lang::En } else { self.default });
        let said: Said<S::Error> = if api {
            |r| r.map(|res| say_language(res, true))
        } else {
            |r| r.map(|res| say_language(res, false))
        };
        i18n::scoped(lang, self.inner.call(req).map(said))
    }
}

/// `Content-Language` and `Vary` on a page or an API error answer, in the scope of its
/// request's language.
fn say_language(mut res: Response, api: bool) -> Response {
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html || (api && res.status().is_client_error()) {
        let lang = i18n::current();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        );
        h.append(header::VARY, HeaderValue::from_static("Accept-Language"));
        h.append(header::VARY, HeaderValue::from_static("Cookie"));
    }
    res
}

/// The switcher's form: the language chosen, and the page to return to.
#[derive(serde::Deserialize)]
pub struct Choice {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// A path on this node to return to: `/…` but not `//…` (another host), from the form's
/// `back` field, else the `Referer` when it is a page of this node's host.
fn return_path(back: &str, headers: &HeaderMap, host: &str) -> String {
    let local = |p: &str| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\');
    if local(back) {
        return back.to_string();
    }
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| {
            let authority = match (u.host_str(), u.port()) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.to_string(),
                _ => String::new(),
            };
            authority == host
        })
        .map(|u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        })
        .filter(|p| local(p))
        .unwrap_or_else(|| "/".into())
}

/// `POST /language`: remember the language chosen in the switcher and go back to the page
/// it was chosen on, now in that language.
pub async fn choose(
    data: activitypub_federation::config::Data<crate::federation::AppState>,
    headers: HeaderMap,
    Form(choice): Form<Choice>,
) -> Response {
    let Ok(lang) = choice.lang.parse::<Lang>() else {
        let (base, _) = match super::pages::frame(&data, &headers).await {
            Ok(f) => f,
            Err(e) => return e.into_response(),
        };
        return super::pages::error_page(
            base,
            crate::http::error::AppError::BadRequest(Tr.t("lang-unknown")),
        );
    };
    let secure = if data.settings.public_url.scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!("{COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age={COOKIE_MAX_AGE}{secure}");
    let back = return_path(&choice.back, &headers, &data.settings.domain);
    match HeaderValue::from_str(&cookie) {
        Ok(v) => ([(header::SET_COOKIE, v)], Redirect::to(&back)).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn format(id: &str, args: Option<&FluentArgs>) -> String {
    i18n::message(i18n::current(), id, args)
}

/// Whether a message exists: labels of vocabularies fall back to the domain's own.
pub fn has(id: &str) -> bool {
    i18n::has(id)
}

/// One entry of the language switcher.
pub struct LangChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub current: bool,
}

/// A number a message can choose its plural form by.
pub trait Number {
    fn value(&self) -> f64;
}

macro_rules! number {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn value(&self) -> f64 { *self as f64 }
        }
        impl Number for &$t {
            fn value(&self) -> f64 { **self as f64 }
        }
    )*};
}
number!(u64, u32, usize, i64, i32);

/// The translator templates hold: it speaks the language of the request being handled.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr;

impl Tr {
    /// The language of the page, for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        i18n::current().code()
    }

    /// The languages of the switcher, the current one marked.
    pub fn languages(&self) -> Vec<LangChoice> {
        let current = i18n::current();
        Lang::ALL
            .into_iter()
            .map(|l| LangChoice {
                code: l.code(),
                name: l.endonym(),
                current: l == current,
            })
            .collect()
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        format(id, None)
    }

    /// A message with `$count`, which chooses the plural form.
    pub fn n(&self, id: &str, count: impl Number) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count.value()));
        format(id, Some(&args))
    }

    /// A message with one text argument `$name`.
    pub fn a(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        format(id, Some(&args))
    }

    /// A message with two text arguments.
    pub fn a2(
        &self,
        id: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(n1.to_string(), FluentValue::from(v1.to_string()));
        args.set(n2.to_string(), FluentValue::from(v2.to_string()));
        format(id, Some(&args))
    }

    /// The label of a vocabulary value, e.g. `vocab("feature", "breakout-rooms")` reads
    /// `feature-breakout-rooms`; an unknown value (from a newer peer) shows as it is.
    pub fn vocab(&self, kind: &str, value: &str) -> String {
        let id = format!("{kind}-{value}");
        if has(&id) {
            format(&id, None)
        } else {
            value.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::types::*;

    #[test]
    fn the_english_messages_parse() {
        assert_eq!(Tr.n("offerings-count", 1u64), "1 offering");
        assert_eq!(Tr.n("offerings-count", 3u64), "3 offerings");
    }

    /// Every message a template asks for exists, so no page ever shows a message id.
    #[test]
    fn every_message_the_templates_use_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("frontend/templates");
        let mut missing = vec![];
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for call in ["tr.t(\"", "tr.n(\"", "tr.a(\"", "tr.a2(\""] {
                for part in text.split(call).skip(1) {
                    let id = &part[..part.find('"').unwrap()];
                    seen += 1;
                    if !has(id) {
                        missing.push(format!("{}: {id}", path.display()));
                    }
                }
            }
        }
        assert!(seen > 50, "found only {seen} messages in the templates");
        assert!(
            missing.is_empty(),
            "messages missing from en.ftl: {missing:#?}"
        );
    }

    #[test]
    fn every_vocabulary_value_has_a_label() {
        let mut ids: Vec<String> = vec![];
        ids.extend(Platform::ALL.iter().map(|v| format!("platform-{v}")));
        ids.extend(Feature::ALL.iter().map(|v| format!("feature-{v}")));
        ids.extend(PriceModel::ALL.iter().map(|v| format!("price-{v}")));
        ids.extend(PricePeriod::ALL.iter().map(|v| format!("period-{v}")));
        ids.extend(
            Registration::ALL
                .iter()
                .map(|v| format!("registration-{v}")),
        );
        ids.extend(CoopForm::ALL.iter().map(|v| format!("form-{v}")));
        ids.extend(Status::ALL.iter().map(|v| format!("status-{v}")));
        ids.extend(AnnouncementKind::ALL.iter().map(|v| format!("kind-{v}")));
        let missing: Vec<_> = ids.into_iter().filter(|id| !has(id)).collect();
        assert!(
            missing.is_empty(),
            "labels missing from en.ftl: {missing:?}"
        );
    }
}
