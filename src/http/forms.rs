//! The form helpers of the staff and admin pages (and the report form): reading an
//! `application/x-www-form-urlencoded` body or query string, the errors of a refused
//! form with their summary, the answers of post/redirect/get, and the confirmation
//! (flash) named by `?done=` after a redirect.
//!
//! Cross-site posts are refused before any handler runs (`CsrfLayer` in `http::app`), so a
//! handler that reads a form here never checks its origin again.
//!
//! What every refused form shows above everything else: an error summary (the GOV.UK
//! pattern, <https://design-system.service.gov.uk/components/error-summary/>) that takes
//! the focus when the page loads, with one link per message to the field it is about.
//! The macro in `frontend/templates/forms.html` renders it.

use super::{i18n::Tr, pages::no_store};
use crate::{directory::DomainError, http::error::AppError};
use axum::{
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use std::collections::BTreeMap;

/// The field-level key of messages about the whole form rather than one field.
pub const FORM: &str = "form";

/// What a page or form handler answers: the page, or a redirect or error page that ended
/// it early (so that gates can be left with `?`).
pub type Page<T = Response> = Result<T, Response>;

/// Field → message of a refused form.
#[derive(Debug, Default)]
pub struct Errors(BTreeMap<&'static str, String>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The lines of the error summary above the form.
    pub fn summary(&self) -> Vec<SummaryItem> {
        summary(&self.0)
    }

    /// Record a message for `field`; the first message of a field is kept.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    /// Take the message of `field` out.
    pub fn take(&mut self, field: &str) -> Option<String> {
        self.0.remove(field)
    }

    /// Every field and message, in field order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &String)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }
}

/// A choice of a `<select>`, a radio group or a checkbox.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The pairs of an `application/x-www-form-urlencoded` body (or a query string), with
/// `\r\n` in values read as `\n`.
pub fn pairs_of(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.replace("\r\n", "\n")))
        .collect()
}

/// The pairs of a raw query string (none when there is no query).
pub fn query_pairs(raw: &Option<String>) -> Vec<(String, String)> {
    pairs_of(raw.as_deref().unwrap_or("").as_bytes())
}

/// The first value of `name`, or "".
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The first value of `name`, trimmed and owned.
pub fn trimmed(pairs: &[(String, String)], name: &str) -> String {
    field(pairs, name).trim().to_string()
}

/// A value for a query string.
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Post/redirect/get: the 303 after a form succeeded.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A refused form shown again: 422, not stored by caches.
pub fn unprocessable(page: impl IntoResponse) -> Response {
    no_store((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Set the status of a page unless it is already an error page.
pub fn with_status(mut r: Response, status: StatusCode) -> Response {
    if r.status().is_success() {
        *r.status_mut() = status;
    }
    r
}

/// A refusal by the domain: its message in the page's language, to show next to the form;
/// failures of the node itself are a 500 page.
pub fn refused(e: DomainError) -> Result<String, AppError> {
    match e {
        DomainError::Invalid(m) | DomainError::Conflict(m) | DomainError::NotFound(m) => {
            Ok(m.text())
        }
        other => Err(other.into()),
    }
}

/// The confirmation (flash) named by `?done=` after a form succeeded: `table` maps each
/// known value to its message id; an unknown value shows nothing.
pub fn flash(pairs: &[(String, String)], table: &[(&str, &str)]) -> Option<String> {
    let done = field(pairs, "done");
    table
        .iter()
        .find(|(value, _)| *value == done)
        .map(|(_, id)| Tr.t(id))
}

/// One line of an error summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryItem {
    /// The field's name, which is its element id after the form's prefix; empty for a
    /// message about the whole form (no link).
    pub field: &'static str,
    pub message: String,
}

/// The lines of a summary: messages about the whole form first, then one per field.
pub fn summary(errors: &BTreeMap<&'static str, String>) -> Vec<SummaryItem> {
    let whole = errors.get(FORM).map(|m| SummaryItem {
        field: "",
        message: m.clone(),
    });
    whole
        .into_iter()
        .chain(
            errors
                .iter()
                .filter(|(k, _)| **k != FORM)
                .map(|(k, m)| SummaryItem {
                    field: k,
                    message: m.clone(),
                }),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_form_comes_first_and_fields_link() {
        let mut e = BTreeMap::new();
        e.insert("name", "Give a name.".to_string());
        e.insert(FORM, "Wrong username or password.".to_string());
        e.insert("amount", "Write a whole number.".to_string());
        let s = summary(&e);
        assert_eq!(s[0].field, "");
        assert_eq!(s[0].message, "Wrong username or password.");
        assert_eq!(
            s[1..].iter().map(|i| i.field).collect::<Vec<_>>(),
            ["amount", "name"]
        );
    }

    #[test]
    fn forms_are_read_with_crlf_as_lf_and_the_first_value_wins() {
        let pairs = pairs_of(b"note=a%0D%0Ab&note=second&empty=");
        assert_eq!(field(&pairs, "note"), "a\nb");
        assert_eq!(field(&pairs, "missing"), "");
        assert_eq!(trimmed(&pairs_of(b"q=+x+"), "q"), "x");
        assert!(query_pairs(&None).is_empty());
        assert_eq!(enc("a b&c"), "a+b%26c");
    }

    #[test]
    fn the_first_message_of_a_field_is_kept() {
        let mut e = Errors::default();
        e.add("domain", "first");
        e.add("domain", "second");
        assert_eq!(e.get("domain").map(String::as_str), Some("first"));
        assert_eq!(e.take("domain").as_deref(), Some("first"));
        assert!(e.is_empty());
    }

    #[test]
    fn an_unknown_confirmation_shows_nothing() {
        let pairs = pairs_of(b"done=nothing-known");
        assert_eq!(flash(&pairs, &[("edit", "done-edit")]), None);
        assert_eq!(flash(&[], &[("edit", "done-edit")]), None);
    }
}
