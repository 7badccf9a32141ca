//! Server-rendered pages for members, one file per screen: the directory with search,
//! facets and paging (`directory`); the pages of offerings and co-ops, the actor URLs for
//! browsers (`actor`, with the attribute rows in `attrs`); an announcement with its
//! replies (`announcement`); the comparison of two to four offerings (`compare`);
//! "follow from your instance" (`follow`); the about page (`about`); the page of a path
//! no route answers (`errors`). The frame they share is `super::frame`. docs/web.md
//! describes the pages.
//!
//! Every string from a listing or a remote server is escaped by the templates; only HTML
//! this node generated (escaped text turned into paragraphs, or remote HTML sanitized with
//! ammonia when it arrived) is marked safe. Links to remote pages are kept only when they
//! are http(s). Every page works without JavaScript; `frontend/static/app.js` only adds a
//! copy button.

mod about;
mod actor;
mod announcement;
mod attrs;
mod compare;
mod coop;
mod directory;
mod errors;
mod follow;
mod offering;

use crate::directory as domain;

pub use about::about;
pub use actor::actor;
pub use announcement::{announcement, report_reply};
pub use compare::{COMPARE_MAX, COMPARE_MIN, compare};
pub use directory::{RenderedPages, index};
pub use errors::not_found;
pub use follow::{authorize_url, follow, instance_host};

// The shared frame, at the paths the other page modules have always used.
pub use super::frame::{Base, ErrorPage, error_page, frame, no_store, page_href, safe_href};

/// The name of a language tag in the page's language (CLDR), `pt-BR` as "portugais
/// (BR)"; a tag CLDR does not name, by the English table of `alternatives`.
fn language_label(tag: &str) -> String {
    let locale = crate::i18n::current().code();
    let mut parts = tag.splitn(2, '-');
    let primary = parts.next().unwrap_or("");
    match domain::query::language_name(primary, locale) {
        Some(name) => match parts.next() {
            Some(rest) => format!("{name} ({rest})"),
            None => name,
        },
        None => domain::alternatives::language_name(tag),
    }
}

/// The name of a country code in the page's language (CLDR), else the code.
fn country_label(code: &str) -> String {
    domain::query::country_name(code, crate::i18n::current().code())
        .unwrap_or_else(|| code.to_string())
}
