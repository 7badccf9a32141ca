//! Questions members ask the directory actor from their fediverse account, e.g.
//! `@directory@node bigbluebutton german recording` or
//! `@directory@node alternatives to @offering@host`, and the answers: the best matches,
//! each with why it was chosen.

use super::{
    DomainResult,
    alternatives::{self, OfferingRef, language_name},
    search::{self, OfferingQuery},
    types::{Feature, Platform},
};
use sea_orm::ConnectionTrait;

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

fn language_code(word: &str) -> Option<String> {
    let native = match word {
        "deutsch" => Some("de"),
        "français" | "francais" => Some("fr"),
        "español" | "espanol" | "castellano" => Some("es"),
        "italiano" => Some("it"),
        "português" | "portugues" => Some("pt"),
        "nederlands" => Some("nl"),
        "català" | "catala" => Some("ca"),
        _ => None,
    };
    if let Some(code) = native {
        return Some(code.to_string());
    }
    for a in b'a'..=b'z' {
        for b in b'a'..=b'z' {
            let code = String::from_utf8(vec![a, b]).unwrap_or_default();
            let name = language_name(&code);
            if name != code && name.eq_ignore_ascii_case(word) {
                return Some(code);
            }
        }
    }
    None
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
    let mut q = OfferingQuery::default();
    let (mut platforms, mut features, mut languages, mut words) = (vec![], vec![], vec![], vec![]);
    for raw in lower.split_whitespace() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if w.is_empty()
            || w.starts_with('@')
            || matches!(
                w,
                "a" | "an" | "the" | "with" | "and" | "in" | "for" | "support"
            )
        {
            continue;
        }
        if let Ok(p) = w.parse::<Platform>().or_else(|_| {
            Platform::ALL
                .iter()
                .copied()
                .find(|p| p.label().eq_ignore_ascii_case(w))
                .ok_or(())
        }) {
            platforms.push(p.as_str().to_string());
        } else if let Ok(f) = w.parse::<Feature>() {
            features.push(f.as_str().to_string());
        } else if let Some(code) = language_code(w) {
            languages.push(code);
        } else {
            words.push(w.to_string());
        }
    }
    let join = |v: Vec<String>| (!v.is_empty()).then(|| v.join(","));
    q.platform = join(platforms);
    q.feature = join(features);
    q.language = join(languages);
    q.q = (!words.is_empty()).then(|| words.join(" "));
    q.status = Some("active".into());
    Question::Search(q)
}

/// Answer a question from the directory.
pub async fn answer<C: ConnectionTrait>(db: &C, question: &Question) -> DomainResult<Answer> {
    match question {
        Question::Alternatives(target) => {
            let alts = alternatives::for_offering(db, target, ANSWER_SIZE).await?;
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
            let intro = if suggestions.is_empty() {
                format!(
                    "I know no compatible alternative to {} yet.",
                    alts.offering.name
                )
            } else {
                format!(
                    "Compatible alternatives to {}, best first:",
                    alts.offering.name
                )
            };
            Ok(Answer { intro, suggestions })
        }
        Question::Search(q) => {
            let mut results = search::search(db, q).await?;
            // Words that name no facet may be chatter ("please", "hi"): when they match
            // nothing, answer with the facets alone.
            if results.total == 0
                && q.q.is_some()
                && (q.platform.is_some() || q.feature.is_some() || q.language.is_some())
            {
                let relaxed = OfferingQuery {
                    q: None,
                    ..q.clone()
                };
                results = search::search(db, &relaxed).await?;
            }
            let suggestions: Vec<Suggestion> = results
                .items
                .into_iter()
                .take(ANSWER_SIZE)
                .map(|i| {
                    let why = format!("{}, {}", i.platform, i.price);
                    Suggestion {
                        actor: i.actor,
                        handle: i.handle,
                        name: i.name,
                        why,
                    }
                })
                .collect();
            let intro = if suggestions.is_empty() {
                "I found no listed offering for that. Try fewer words, or a platform such as bigbluebutton or jitsi.".to_string()
            } else {
                format!("{} match(es); here are the first:", results.total)
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
        assert_eq!(q.platform.as_deref(), Some("bigbluebutton"));
        assert_eq!(q.language.as_deref(), Some("de"));
        assert_eq!(q.feature.as_deref(), Some("recording"));
        assert_eq!(q.q.as_deref(), Some("cheap"));
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
