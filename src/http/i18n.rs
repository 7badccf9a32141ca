//! The words of the web interface, in Fluent (<https://projectfluent.org>) files under
//! `frontend/locales/`, embedded in the binary. English only for now: a translation is one
//! more `.ftl` file beside `en.ftl` and a way to choose it (e.g. `Accept-Language`).
//!
//! Templates hold a [`Tr`] and ask it for every string they show: `{{ tr.t("nav-about") }}`.
//! What it returns is text; the template escapes it like any other value.

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

/// The English messages.
pub const EN: &str = include_str!("../../frontend/locales/en.ftl");

static BUNDLE: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle("en", EN));

/// A bundle of one language. Syntax errors are logged and the messages that did parse are
/// kept; a unit test keeps `en.ftl` free of them.
fn bundle(lang: &str, source: &str) -> FluentBundle<FluentResource> {
    let lang: LanguageIdentifier = lang.parse().unwrap_or_default();
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((r, errors)) => {
            tracing::error!(?errors, "syntax errors in the {lang} messages");
            r
        }
    };
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks around arguments: English text only, and the marks would
    // show up in tests and copied text.
    b.set_use_isolating(false);
    if let Err(errors) = b.add_resource(resource) {
        tracing::error!(?errors, "duplicate messages");
    }
    b
}

fn format(id: &str, args: Option<&FluentArgs>) -> String {
    let b = &*BUNDLE;
    let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
        tracing::warn!(id, "no such message in en.ftl");
        return id.to_string();
    };
    let mut errors = vec![];
    let out = b.format_pattern(pattern, args, &mut errors).into_owned();
    if !errors.is_empty() {
        tracing::warn!(id, ?errors, "message formatted with errors");
    }
    out
}

/// Whether a message exists: labels of vocabularies fall back to the domain's own.
pub fn has(id: &str) -> bool {
    BUNDLE.has_message(id)
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

/// The translator templates hold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr;

impl Tr {
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
        if let Err((_, errors)) = FluentResource::try_new(EN.to_string()) {
            panic!("en.ftl has syntax errors: {errors:?}");
        }
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
