//! Questions members ask the directory actor from their fediverse account, e.g.
//! `@directory@node bigbluebutton german recording` or
//! `@directory@node alternatives to @offering@host`, and the answers: the best matches,
//! each with why it was chosen.

use super::{
    DomainResult,
    alternatives::{self, OfferingRef},
    query,
    search::{self, OfferingQuery},
};
use crate::i18n::{self, Lang};
use fluent_bundle::{FluentArgs, FluentValue};
use sea_orm::ConnectionTrait;
use std::sync::Arc;

/// How many matches an answer names.
pub const ANSWER_SIZE: usize = 5;

#[derive(Debug, Clone)]
pub enum Question {
    /// Alternatives to one offering.
    Alternatives(OfferingRef),
    /// A search, with words mapped to facets where they name one.
    Search(OfferingQuery),
}

/// One suggestion of an answer.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub actor: String,
    pub handle: String,
    pub name: String,
    pub why: String,
}

/// An answer: a sentence and the suggestions.
#[derive(Debug, Clone)]
pub struct Answer {
    pub intro: String,
    pub suggestions: Vec<Suggestion>,
}

/// Read a question from the text of a mention (mentions already removed) and the actors
/// it mentions besides the directory actor.
pub fn parse(text: &str, mentioned: &[String]) -> Question {
    let lower = text.to_lowercase();
    if lower.contains("alternative") {
        if let Some(target) = mentioned.first().and_then(|m| m.parse().ok()) {
            return Question::Alternatives(target);
        }
        if let Some(target) = lower.split_whitespace().find_map(|w| {
            w.trim_matches(|c: char| c == ',' || c == '.')
                .parse::<OfferingRef>()
                .ok()
        }) {
            return Question::Alternatives(target);
        }
    }
    // The same reading of words as the web search and the API (`query::understand`),
    // applied by `search::search`; mentions are not words of the question.
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !w.starts_with('@'))
        .collect();
    let q = OfferingQuery {
        q: (!words.is_empty()).then(|| words.join(" ")),
        status: Some("active".into()),
        ..Default::default()
    };
    Question::Search(q)
}

/// A sentence of an answer in `lang`, with one argument.
fn say(lang: Lang, id: &str, arg: &str, value: FluentValue<'_>) -> String {
    let mut args = FluentArgs::new();
    args.set(arg.to_string(), value);
    i18n::message(lang, id, Some(&args))
}

/// The label of a vocabulary value in `lang` (`platform-jitsi` → "Jitsi Meet"); an
/// unknown value as it is.
fn label(lang: Lang, kind: &str, value: &str) -> String {
    let id = format!("{kind}-{value}");
    if i18n::has(&id) {
        i18n::message(lang, &id, None)
    } else {
        value.to_string()
    }
}

/// Answer a question from the directory, in `lang` (the language it was asked in).
pub async fn answer<C: ConnectionTrait>(
    db: &C,
    caches: &search::Caches,
    question: &Question,
    lang: Lang,
) -> DomainResult<Answer> {
    match question {
        Question::Alternatives(target) => {
            let alts = alternatives::for_offering(db, caches, target, ANSWER_SIZE).await?;
            let suggestions: Vec<Suggestion> = alts
                .items
                .into_iter()
                .map(|a| Suggestion {
                    actor: a.actor,
                    handle: a.handle,
                    name: a.name,
                    why: a.summary,
                })
                .collect();
            let name = FluentValue::from(alts.offering.name.clone());
            let intro = if suggestions.is_empty() {
                say(lang, "ask-alternatives-none", "name", name)
            } else {
                say(lang, "ask-alternatives", "name", name)
            };
            Ok(Answer { intro, suggestions })
        }
        Question::Search(q) => {
            let mut results = search::search(db, caches, q).await?;
            // Words that name no facet may be chatter ("please", "hi"): when they match
            // nothing, answer with the facets alone.
            let understood = query::understand(q.q.as_deref().unwrap_or(""));
            if results.total == 0 && understood.recognised_any() && understood.text().is_some() {
                let relaxed = OfferingQuery {
                    q: None,
                    ..understood.apply(q)
                };
                results = search::search(db, caches, &relaxed).await?;
            }
            let suggestions: Vec<Suggestion> = Arc::unwrap_or_clone(results.items)
                .into_iter()
                .take(ANSWER_SIZE)
                .map(|i| {
                    // A price without an amount is its model's label, which has a
                    // translation; one with an amount is figures and a currency.
                    let price = if !i.price.chars().any(|c| c.is_ascii_digit()) {
                        label(lang, "price", &i.price_model)
                    } else {
                        i.price.clone()
                    };
                    let why = format!("{}, {price}", label(lang, "platform", &i.platform));
                    Suggestion {
                        actor: i.actor,
                        handle: i.handle,
                        name: i.name,
                        why,
                    }
                })
                .collect();
            let intro = if suggestions.is_empty() {
                i18n::message(lang, "ask-none", None)
            } else {
                say(
                    lang,
                    "ask-matches",
                    "count",
                    FluentValue::from(results.total),
                )
            };
            Ok(Answer { intro, suggestions })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_facets() {
        let Question::Search(q) = parse("BigBlueButton german recording cheap", &[]) else {
            panic!()
        };
        let q = query::understand(q.q.as_deref().unwrap_or("")).apply(&q);
        assert_eq!(q.platform.as_deref(), Some("bigbluebutton"));
        assert_eq!(q.language.as_deref(), Some("de"));
        assert_eq!(q.feature.as_deref(), Some("recording"));
        assert_eq!(q.q.as_deref(), Some("cheap"));
        assert_eq!(q.status.as_deref(), Some("active"));
        let q = parse(
            "alternatives to this one please",
            &["https://a.example/actors/x".into()],
        );
        assert!(matches!(q, Question::Alternatives(OfferingRef::Url(_))));
        let q = parse("alternatives to x@node.example", &[]);
        assert!(matches!(
            q,
            Question::Alternatives(OfferingRef::Handle { .. })
        ));
    }
}
