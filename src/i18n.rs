//! The languages of the interface: English, French, German and Spanish. Each is a Fluent
//! (<https://projectfluent.org>) file under `frontend/locales/`, embedded in the binary,
//! with the same message ids and arguments as `en.ftl` (a unit test keeps them so).
//!
//! The language of a web request is chosen once, by `src/http/i18n.rs` (cookie, else
//! `Accept-Language`, else the node's default), and the request is handled inside
//! [`scoped`]: whatever it formats, pages, error messages and notices alike, is in that
//! language. Work outside a request (the directory actor's answers, the CLI) passes a
//! [`Lang`] to [`message`] explicitly.

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use std::{fmt, str::FromStr, sync::LazyLock};
use unic_langid::LanguageIdentifier;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    De,
    Es,
}

impl Lang {
    /// Every interface language, in the order the switcher shows them.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Fr, Lang::De, Lang::Es];

    /// Its BCP 47 tag, as in `<html lang>` and the `lang` cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Es => "es",
        }
    }

    /// Its name in itself, as the switcher shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
            Lang::Es => "Español",
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Fr => 1,
            Lang::De => 2,
            Lang::Es => 3,
        }
    }

    /// The interface language of a language tag, by its primary subtag: `de-CH` → German.
    /// `None` for a language the interface does not speak, or a malformed tag.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The interface language a browser prefers most, from its `Accept-Language` header
    /// (`de-CH, fr;q=0.8, *;q=0.1`): the tags in the order of their `q` weights, the first
    /// that the interface speaks. Tags with `q=0` are refused, not chosen.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut tags: Vec<(f32, usize, &str)> = header
            .split(',')
            .take(32)
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (q > 0.0 && !tag.is_empty()).then_some((q, i, tag))
            })
            .collect();
        // Highest weight first; equal weights keep the order the browser sent.
        tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        tags.into_iter().find_map(|(_, _, tag)| Lang::from_tag(tag))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A tag that names no interface language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "“{}” is not a language of the interface; use en, fr, de or es",
            self.0
        )
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Exactly a code of [`Lang::ALL`] (any case): cookies and settings, not browsers.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownLang(s.chars().take(40).collect()))
    }
}

/// The sources of the messages, in the order of [`Lang::ALL`].
pub const SOURCES: [(Lang, &str); 4] = [
    (Lang::En, include_str!("../frontend/locales/en.ftl")),
    (Lang::Fr, include_str!("../frontend/locales/fr.ftl")),
    (Lang::De, include_str!("../frontend/locales/de.ftl")),
    (Lang::Es, include_str!("../frontend/locales/es.ftl")),
];

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> =
    LazyLock::new(|| SOURCES.iter().map(|(l, s)| bundle(*l, s)).collect());

/// A bundle of one language. Syntax errors are logged and the messages that did parse are
/// kept; a unit test keeps every file free of them.
fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(r) => r,
        Err((r, errors)) => {
            tracing::error!(?errors, "syntax errors in the {lang} messages");
            r
        }
    };
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: the interface languages are all
    // written left to right, and the marks would show up in tests and copied text.
    b.set_use_isolating(false);
    if let Err(errors) = b.add_resource(resource) {
        tracing::error!(?errors, "duplicate messages in the {lang} messages");
    }
    b
}

fn bundle_of(lang: Lang) -> Option<&'static FluentBundle<FluentResource>> {
    BUNDLES.get(lang.index())
}

/// Message `id` in `lang`, with its arguments. A message missing from a translation falls
/// back to English; one missing from English too shows its id (and is logged).
pub fn message(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    for l in [lang, Lang::En] {
        let Some(b) = bundle_of(l) else { continue };
        let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = vec![];
        let out = b.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(id, %l, ?errors, "message formatted with errors");
        }
        return out;
    }
    tracing::warn!(id, "no such message in en.ftl");
    id.to_string()
}

/// Whether a message exists (in English, which every translation mirrors): labels of
/// vocabularies fall back to the domain's own.
pub fn has(id: &str) -> bool {
    bundle_of(Lang::En).is_some_and(|b| b.has_message(id))
}

/// A value given to a message: text, or a number (which chooses plural forms).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(u64, u32, usize, i64, i32);

/// A message for a person, kept as its Fluent id and arguments so that it can be said in
/// the reader's language where it is shown (the web pages and the API, in the language of
/// the request: [`Msg::text`]). Its `Display` (logs, the CLI, other servers) and `Deref`
/// are the English text, formatted when the message is made.
///
/// A message built from a `String` has no id: it is that text in every language (what
/// is not translated yet, or comes from elsewhere, such as another server's answer).
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    id: Option<&'static str>,
    args: Vec<(&'static str, Arg)>,
    prefix: Option<String>,
    english: String,
}

impl Msg {
    /// Message `id` of the Fluent files, with its arguments.
    pub fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        let mut m = Msg {
            id: Some(id),
            args,
            prefix: None,
            english: String::new(),
        };
        m.english = m.in_lang(Lang::En);
        m
    }

    /// Its Fluent id; `None` for a text that is not translated.
    pub fn id(&self) -> Option<&'static str> {
        self.id
    }

    /// The message in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        let Some(id) = self.id else {
            return self.english.clone();
        };
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            match value {
                Arg::Text(t) => args.set(*name, FluentValue::from(t.clone())),
                Arg::Number(n) => args.set(*name, FluentValue::from(*n)),
            }
        }
        let text = message(lang, id, Some(&args));
        match &self.prefix {
            Some(p) => format!("{p}: {text}"),
            None => text,
        }
    }

    /// The message in the language of the request being handled (English outside one).
    pub fn text(&self) -> String {
        self.in_lang(current())
    }

    /// The message after `prefix` and a colon, in every language: what a language tag or
    /// a field name says it is about.
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.english = format!("{prefix}: {}", self.english);
        self.prefix = Some(match self.prefix.take() {
            Some(p) => format!("{prefix}: {p}"),
            None => prefix.to_string(),
        });
        self
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl std::ops::Deref for Msg {
    type Target = str;
    fn deref(&self) -> &str {
        &self.english
    }
}

impl From<String> for Msg {
    fn from(s: String) -> Self {
        Msg {
            id: None,
            args: vec![],
            prefix: None,
            english: s,
        }
    }
}

impl From<&str> for Msg {
    fn from(s: &str) -> Self {
        Msg::from(s.to_string())
    }
}

impl From<Msg> for String {
    /// The English text (as `Display`).
    fn from(m: Msg) -> String {
        m.english
    }
}

/// A [`Msg`]: `msg!("error-currency", value = s)`.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Msg::new($id, vec![$((stringify!($name), $crate::i18n::Arg::from($value))),*])
    };
}

tokio::task_local! {
    static CURRENT: Lang;
}

/// `fut` with `lang` as the language of everything it formats without naming one, as a
/// future of a type that can be named (for a tower service's response future).
pub fn scoped<F: Future>(lang: Lang, fut: F) -> tokio::task::futures::TaskLocalFuture<Lang, F> {
    CURRENT.scope(lang, fut)
}

/// The language of the request being handled; English outside of one.
pub fn current() -> Lang {
    CURRENT.try_with(|l| *l).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};
    use std::collections::{BTreeMap, BTreeSet};

    /// The arguments (`$name`) a pattern uses, variants and nested placeables included.
    fn variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for e in &p.elements {
            if let PatternElement::Placeable { expression } = e {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables(e: &Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
            Expression::Inline(i) => inline_variables(i, out),
        }
    }

    fn inline_variables(i: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            InlineExpression::Placeable { expression } => expression_variables(expression, out),
            _ => {}
        }
    }

    /// Message id → the arguments it uses.
    fn messages(lang: Lang, source: &str) -> BTreeMap<String, BTreeSet<String>> {
        let res = match fluent_syntax::parser::parse(source) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{lang}.ftl has syntax errors: {errors:?}"),
        };
        let mut out = BTreeMap::new();
        for entry in res.body {
            if let Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(v) = &m.value {
                    variables(v, &mut vars);
                }
                assert!(
                    out.insert(m.id.name.to_string(), vars).is_none(),
                    "{lang}.ftl defines {} twice",
                    m.id.name
                );
            }
        }
        out
    }

    /// Every translation has exactly the messages of en.ftl, each with the same arguments,
    /// so no page shows a mix of languages or an argument that was never given.
    #[test]
    fn every_translation_has_every_message_with_the_same_arguments() {
        let en = messages(Lang::En, SOURCES[0].1);
        assert!(en.len() > 300, "en.ftl has only {} messages", en.len());
        for (lang, source) in &SOURCES[1..] {
            let other = messages(*lang, source);
            let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang}.ftl lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang}.ftl has messages en.ftl lacks: {extra:?}"
            );
            let differ: Vec<_> = en
                .iter()
                .filter(|(k, vars)| other.get(*k) != Some(vars))
                .map(|(k, vars)| (k, vars, other.get(k)))
                .collect();
            assert!(
                differ.is_empty(),
                "{lang}.ftl uses other arguments than en.ftl: {differ:?}"
            );
        }
    }

    /// The ids of the `msg!` calls in the source files under `dir`, with where they are.
    fn made_ids(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                made_ids(&path, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Split so that this line is not a call itself.
            for part in text.split(concat!("msg", "!(")).skip(1) {
                let Some(rest) = part.trim_start().strip_prefix('"') else {
                    continue;
                };
                let id = &rest[..rest.find('"').unwrap()];
                out.push((path.display().to_string(), id.to_string()));
            }
        }
    }

    /// Every refusal and notice the code makes with `msg!` names a message that every
    /// language has: none shows its id, or English, to a reader of another language.
    #[test]
    fn every_message_the_code_makes_exists_in_every_language() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut made = vec![];
        made_ids(&src, &mut made);
        assert!(made.len() > 100, "found only {} msg! calls", made.len());
        let ids: BTreeSet<&str> = made.iter().map(|(_, id)| id.as_str()).collect();
        for new in [
            "error-not-allowed-other-coop",
            "error-successor-shape",
            "error-map-old",
            "search-too-long",
        ] {
            assert!(ids.contains(new), "no msg!(\"{new}\") in src");
        }
        for lang in Lang::ALL {
            let bundle = bundle_of(lang).unwrap();
            let missing: Vec<_> = made
                .iter()
                .filter(|(_, id)| !bundle.has_message(id))
                .collect();
            assert!(missing.is_empty(), "missing from {lang}.ftl: {missing:#?}");
        }
    }

    #[test]
    fn each_language_formats_its_own_words_and_plurals() {
        let mut args = FluentArgs::new();
        args.set("count", 1);
        assert_eq!(
            message(Lang::En, "offerings-count", Some(&args)),
            "1 offering"
        );
        assert_eq!(
            message(Lang::De, "offerings-count", Some(&args)),
            "1 Angebot"
        );
        args.set("count", 3);
        assert_eq!(
            message(Lang::Fr, "offerings-count", Some(&args)),
            "3 offres"
        );
        assert_eq!(
            message(Lang::Es, "offerings-count", Some(&args)),
            "3 ofertas"
        );
        // French counts 0 as singular, English does not.
        args.set("count", 0);
        assert_eq!(message(Lang::Fr, "offerings-count", Some(&args)), "0 offre");
        assert_eq!(
            message(Lang::En, "offerings-count", Some(&args)),
            "0 offerings"
        );
        assert_eq!(message(Lang::De, "nav-about", None), "Über");
        assert_eq!(
            message(Lang::Es, "no-such-message", None),
            "no-such-message"
        );
    }

    #[test]
    fn browsers_preferences_choose_a_language() {
        let cases = [
            ("de", Some(Lang::De)),
            ("de-CH,de;q=0.9,en;q=0.8", Some(Lang::De)),
            ("fr-FR, fr;q=0.9, en-US;q=0.8, en;q=0.7", Some(Lang::Fr)),
            ("en;q=0.5, es;q=0.9", Some(Lang::Es)),
            ("pt-BR, es;q=0.4, en;q=0.3", Some(Lang::Es)),
            ("it, nl", None),
            ("*", None),
            ("de;q=0, fr", Some(Lang::Fr)),
            ("de;q=abc, es", Some(Lang::Es)),
            ("", None),
            (";;;,,,q=", None),
            ("ES_mx", Some(Lang::Es)),
        ];
        for (header, want) in cases {
            assert_eq!(Lang::from_accept_language(header), want, "{header:?}");
        }
        assert_eq!("FR".parse::<Lang>(), Ok(Lang::Fr));
        assert!("klingon".parse::<Lang>().is_err());
        assert!("fr-CA".parse::<Lang>().is_err(), "cookies hold exact codes");
    }

    #[test]
    fn a_message_is_english_until_said_in_a_language() {
        let m = crate::msg!(
            "error-announce-too-long",
            count = 5001usize,
            max = 5000usize
        );
        assert_eq!(
            m.to_string(),
            "the announcement has 5001 characters; at most 5000 are allowed"
        );
        assert_eq!(m.id(), Some("error-announce-too-long"));
        assert_eq!(
            m.in_lang(Lang::De),
            "die Mitteilung hat 5001 Zeichen; höchstens 5000 sind erlaubt"
        );
        let tagged = crate::msg!("error-announce-empty").prefixed("fr");
        assert!(tagged.starts_with("fr: the announcement text is empty"));
        assert!(
            tagged
                .in_lang(Lang::Es)
                .starts_with("fr: el texto del anuncio está vacío")
        );
        // A text without an id is the same in every language.
        let plain = Msg::from("cannot read https://x.example/");
        assert_eq!(plain.id(), None);
        assert_eq!(plain.in_lang(Lang::Fr), "cannot read https://x.example/");
        // Selections by a value: the kind of vocabulary.
        let v: Result<crate::directory::types::Platform, Msg> = "zoom".parse();
        let e = v.expect_err("zoom is not a platform");
        assert!(e.starts_with("unknown platform 'zoom'; expected one of: bigbluebutton"));
        assert!(
            e.in_lang(Lang::Fr)
                .starts_with("plateforme inconnue : « zoom »")
        );
    }

    #[tokio::test]
    async fn a_message_is_said_in_the_language_of_the_request() {
        let m = crate::msg!("error-transfer-self");
        let said = scoped(Lang::Fr, async { m.text() }).await;
        assert_eq!(said, "une offre ne peut pas être transférée à elle-même");
        assert_eq!(m.text(), "an offering cannot be transferred to itself");
    }

    #[tokio::test]
    async fn the_scope_sets_the_language_of_what_it_formats() {
        assert_eq!(current(), Lang::En);
        let inside = scoped(Lang::Es, async { current() }).await;
        assert_eq!(inside, Lang::Es);
        assert_eq!(current(), Lang::En);
    }
}
