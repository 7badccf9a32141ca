//! Understanding a member's search words, in English, French, German or Spanish: one
//! reading used by the web search, `GET /api/v1/offerings?q=` and the directory actor.
//!
//! A word or phrase that names a platform ("bbb", "jitsi meet"), a feature ("recording",
//! "aufzeichnung", "enregistrement"), a language ("german", "deutsch", "allemand",
//! "alemán"), a country ("Deutschland", "Espagne") or a price model ("free", "gratuit",
//! "kostenlos") becomes that filter; filler words ("with", "avec", "mit", "con") are
//! dropped; only the remaining words go to full text. Matching ignores letter case and
//! accents, and prefers the longest phrase ("nextcloud talk" is the platform, "nextcloud"
//! alone the integration).
//!
//! Language and country names come from Unicode CLDR (ICU4X's display names with its
//! compiled data): every ISO 639-1 language and ISO 3166-1 region, named in English,
//! French, German and Spanish, and each language also by its own name (its endonym).
//! Platforms, features and price models are coopdir's own vocabularies, so their synonyms
//! are listed here.

use super::{
    search::OfferingQuery,
    types::{Country, Feature, Platform, PriceModel},
};
use icu_experimental::displaynames::{
    DisplayNamesOptions,
    multi::{LanguageDisplayNames, RegionDisplayNames},
};
use icu_locale_core::{
    Locale,
    subtags::{Language as LanguageSubtag, Region},
};
use serde::Serialize;
use std::{collections::HashMap, sync::LazyLock};
use unicode_normalization::UnicodeNormalization;

/// The languages of the interface whose words the search understands.
pub const LOCALES: [&str; 4] = ["en", "fr", "de", "es"];

/// What a recognised word or phrase filters on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facet {
    Platform(Platform),
    Feature(Feature),
    /// An ISO 639-1 code, e.g. `de`.
    Language(String),
    Country(Country),
    Price(PriceModel),
}

impl Facet {
    /// The query parameter this facet fills.
    pub fn param(&self) -> &'static str {
        match self {
            Facet::Platform(_) => "platform",
            Facet::Feature(_) => "feature",
            Facet::Language(_) => "language",
            Facet::Country(_) => "country",
            Facet::Price(_) => "price",
        }
    }

    /// The value of that parameter.
    pub fn value(&self) -> String {
        match self {
            Facet::Platform(p) => p.as_str().to_string(),
            Facet::Feature(f) => f.as_str().to_string(),
            Facet::Language(code) => code.clone(),
            Facet::Country(c) => c.as_str().to_string(),
            Facet::Price(p) => p.as_str().to_string(),
        }
    }

    /// A name for people, in English.
    pub fn label(&self) -> String {
        match self {
            Facet::Platform(p) => p.label().to_string(),
            Facet::Feature(f) => f.label().to_string(),
            Facet::Language(code) => language_name(code, "en").unwrap_or_else(|| code.clone()),
            Facet::Country(c) => country_name(c.as_str(), "en").unwrap_or_else(|| c.to_string()),
            Facet::Price(p) => p.label().to_string(),
        }
    }
}

/// One understood part of a query, as the page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QueryPart {
    /// The filter it became: `platform`, `feature`, `language`, `country` or `price`; or
    /// `text` for the words searched in full text.
    #[schema(value_type = String, pattern = "^(platform|feature|language|country|price|text)$")]
    pub kind: &'static str,
    /// The filter's value (`bigbluebutton`, `de`, …), or the words for `text`.
    pub value: String,
    /// For people: "BigBlueButton", "German", "recording".
    pub label: String,
    /// The words of the query that said it, as typed.
    pub words: String,
    /// The query without this part, to remove it.
    pub without: String,
    /// When the query found nothing: how many results it finds without this part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results_without: Option<u64>,
}

/// A query as understood: the recognised parts and the words left for full text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Understood {
    /// Each recognised facet with the positions of the words that named it.
    pub facets: Vec<(Facet, Vec<usize>)>,
    /// Positions of the words left for full text.
    pub rest: Vec<usize>,
    /// The words of the query as typed.
    words: Vec<String>,
}

/// Read a query. Never fails: what names nothing known is left for full text.
pub fn understand(text: &str) -> Understood {
    let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    // Each typed word may give several tokens ("dial-in", "d'écran"); a phrase is a run of
    // tokens, and a recognised run owns the words its tokens came from.
    let mut tokens: Vec<(String, usize)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for t in fold(w).split(' ').filter(|t| !t.is_empty()) {
            tokens.push((t.to_string(), i));
        }
    }
    let dict = &*DICTIONARY;
    let mut facets: Vec<(Facet, Vec<usize>)> = Vec::new();
    let mut used = vec![false; words.len()];
    let mut rest: Vec<usize> = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let longest = (1..=dict.longest.min(tokens.len() - at))
            .rev()
            .find_map(|n| {
                let phrase = tokens[at..at + n]
                    .iter()
                    .map(|(t, _)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                dict.phrases.get(&phrase).map(|f| (n, f))
            });
        match longest {
            Some((n, facet)) => {
                let mut owned: Vec<usize> = tokens[at..at + n].iter().map(|(_, w)| *w).collect();
                owned.dedup();
                for w in &owned {
                    used[*w] = true;
                }
                match facets.iter_mut().find(|(f, _)| f == facet) {
                    Some((_, positions)) => positions.extend(owned),
                    None => facets.push((facet.clone(), owned)),
                }
                at += n;
            }
            None => {
                let (token, w) = &tokens[at];
                if !STOP_WORDS.contains(&token.as_str()) && !rest.contains(w) {
                    rest.push(*w);
                }
                at += 1;
            }
        }
    }
    // A word partly recognised ("dial-in" read as a feature) is not also full text.
    rest.retain(|w| !used[*w]);
    Understood {
        facets,
        rest,
        words,
    }
}

impl Understood {
    /// The words left for full text, as typed, or `None`.
    pub fn text(&self) -> Option<String> {
        (!self.rest.is_empty()).then(|| self.join(&self.rest))
    }

    fn join(&self, positions: &[usize]) -> String {
        positions
            .iter()
            .filter_map(|i| self.words.get(*i))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The query typed without the words at `positions`.
    fn without(&self, positions: &[usize]) -> String {
        let keep: Vec<usize> = (0..self.words.len())
            .filter(|i| !positions.contains(i))
            .collect();
        self.join(&keep)
    }

    /// The filters of `q` with the recognised facets added (as more accepted values of the
    /// same parameter) and only the remaining words as its text.
    pub fn apply(&self, q: &OfferingQuery) -> OfferingQuery {
        let mut out = q.clone();
        out.q = self.text();
        for (facet, _) in &self.facets {
            let slot = match facet {
                Facet::Platform(_) => &mut out.platform,
                Facet::Feature(_) => &mut out.feature,
                Facet::Language(_) => &mut out.language,
                Facet::Country(_) => &mut out.country,
                Facet::Price(_) => &mut out.price,
            };
            let value = facet.value();
            *slot = Some(match slot.take().filter(|s| !s.trim().is_empty()) {
                Some(existing) => format!("{existing},{value}"),
                None => value,
            });
        }
        out
    }

    /// The parts for people: each facet, then the full-text words, each with the query
    /// that removes it.
    pub fn parts(&self) -> Vec<QueryPart> {
        let mut out: Vec<QueryPart> = self
            .facets
            .iter()
            .map(|(facet, positions)| QueryPart {
                kind: facet.param(),
                value: facet.value(),
                label: facet.label(),
                words: self.join(positions),
                without: self.without(positions),
                results_without: None,
            })
            .collect();
        if let Some(text) = self.text() {
            out.push(QueryPart {
                kind: "text",
                value: text.clone(),
                label: format!("“{text}”"),
                words: text,
                without: self.without(&self.rest),
                results_without: None,
            });
        }
        out
    }

    /// Whether anything was recognised as a filter.
    pub fn recognised_any(&self) -> bool {
        !self.facets.is_empty()
    }
}

/// Lower case, accents removed (NFD without combining marks), `ß` as `ss`, and every
/// other character that is not a letter or digit turned into a space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                'ß' => out.push_str("ss"),
                l if l.is_alphanumeric() => out.push(l),
                _ => out.push(' '),
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name of an ISO 639-1 language in one of `LOCALES`.
pub fn language_name(code: &str, locale: &str) -> Option<String> {
    NAMES
        .languages
        .get(&(locale, code.to_ascii_lowercase()))
        .cloned()
}

/// The name of an ISO 3166-1 region in one of `LOCALES`.
pub fn country_name(code: &str, locale: &str) -> Option<String> {
    NAMES
        .regions
        .get(&(locale, code.to_ascii_uppercase()))
        .cloned()
}

/// Every two-letter language CLDR names in `locale` (one of `LOCALES`), as
/// `(code, name)` sorted by name: the choices of a language picker.
pub fn language_names(locale: &str) -> Vec<(String, String)> {
    sorted_names(NAMES.languages.iter(), locale)
}

/// Every two-letter region CLDR names in `locale` (one of `LOCALES`), as `(code, name)`
/// sorted by name: the choices of a country picker.
pub fn country_names(locale: &str) -> Vec<(String, String)> {
    sorted_names(NAMES.regions.iter(), locale)
}

fn sorted_names<'a>(
    all: impl Iterator<Item = (&'a (&'static str, String), &'a String)>,
    locale: &str,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = all
        .filter(|((l, _), _)| *l == locale)
        .map(|((_, code), name)| (code.clone(), name.clone()))
        .collect();
    out.sort_by_cached_key(|(code, name)| (fold(name), code.clone()));
    out
}

/// CLDR's names of every two-letter language and region in the interface languages, and
/// each language's name for itself.
struct Names {
    languages: HashMap<(&'static str, String), String>,
    regions: HashMap<(&'static str, String), String>,
    endonyms: HashMap<String, String>,
}

/// Every two-letter code, `aa` to `zz`.
fn two_letter_codes() -> impl Iterator<Item = String> {
    (b'a'..=b'z')
        .flat_map(|a| (b'a'..=b'z').map(move |b| String::from_utf8_lossy(&[a, b]).into_owned()))
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let mut names = Names {
        languages: HashMap::new(),
        regions: HashMap::new(),
        endonyms: HashMap::new(),
    };
    for locale in LOCALES {
        let Some((languages, regions)) = load_names(locale) else {
            continue;
        };
        for code in two_letter_codes() {
            if let Some(name) = code
                .parse::<LanguageSubtag>()
                .ok()
                .and_then(|l| languages.of(l))
            {
                names
                    .languages
                    .insert((locale, code.clone()), name.to_string());
            }
            let upper = code.to_ascii_uppercase();
            if let Some(name) = upper.parse::<Region>().ok().and_then(|r| regions.of(r)) {
                names.regions.insert((locale, upper), name.to_string());
            }
        }
    }
    let known: Vec<String> = names
        .languages
        .keys()
        .filter(|(l, _)| *l == "en")
        .map(|(_, c)| c.clone())
        .collect();
    for code in known {
        let endonym = load_names(&code).and_then(|(languages, _)| {
            languages
                .of(code.parse::<LanguageSubtag>().ok()?)
                .map(str::to_string)
        });
        if let Some(name) = endonym {
            names.endonyms.insert(code, name);
        }
    }
    names
});

fn load_names(locale: &str) -> Option<(LanguageDisplayNames, RegionDisplayNames)> {
    let locale: Locale = locale.parse().ok()?;
    let languages =
        LanguageDisplayNames::try_new(locale.clone().into(), DisplayNamesOptions::default())
            .ok()?;
    let regions =
        RegionDisplayNames::try_new(locale.into(), DisplayNamesOptions::default()).ok()?;
    Some((languages, regions))
}

/// Words that carry no filter and would only narrow full text to nothing: articles,
/// prepositions and the words every offering here is about, in the four languages.
const STOP_WORDS: &[&str] = &[
    // English
    "a",
    "an",
    "the",
    "with",
    "and",
    "or",
    "in",
    "for",
    "of",
    "to",
    "that",
    "which",
    "who",
    "i",
    "we",
    "need",
    "want",
    "looking",
    "provider",
    "providers",
    "hosting",
    "hoster",
    "service",
    "services",
    "video",
    "conferencing",
    "conference",
    "speaking",
    "support",
    "please",
    // French
    "un",
    "une",
    "le",
    "la",
    "les",
    "des",
    "du",
    "de",
    "d",
    "l",
    "avec",
    "et",
    "ou",
    "en",
    "pour",
    "qui",
    "fournisseur",
    "hebergeur",
    "hebergement",
    "visio",
    "visioconference",
    "parlant",
    // German
    "ein",
    "eine",
    "einen",
    "der",
    "die",
    "das",
    "mit",
    "und",
    "oder",
    "fur",
    "anbieter",
    "videokonferenz",
    "videokonferenzen",
    "sprachig",
    // Spanish
    "una",
    "el",
    "los",
    "las",
    "del",
    "con",
    "y",
    "o",
    "para",
    "proveedor",
    "videoconferencia",
    "que",
    "habla",
];

/// Synonyms of coopdir's own vocabularies, in English, French, German and Spanish.
fn vocabulary_phrases() -> Vec<(&'static str, Facet)> {
    use Facet::{Feature as F, Platform as P, Price as M};
    use Feature::*;
    use Platform::*;
    use PriceModel::*;
    vec![
        ("bigbluebutton", P(BigBlueButton)),
        ("big blue button", P(BigBlueButton)),
        ("bbb", P(BigBlueButton)),
        ("jitsi", P(Jitsi)),
        ("jitsi meet", P(Jitsi)),
        ("galene", P(Galene)),
        ("nextcloud talk", P(NextcloudTalk)),
        ("matrix", P(Matrix)),
        ("element call", P(Matrix)),
        ("opentalk", P(OpenTalk)),
        ("open talk", P(OpenTalk)),
        // Features
        ("recording", F(Recording)),
        ("recordings", F(Recording)),
        ("record", F(Recording)),
        ("enregistrement", F(Recording)),
        ("enregistrements", F(Recording)),
        ("aufzeichnung", F(Recording)),
        ("aufzeichnungen", F(Recording)),
        ("aufnahme", F(Recording)),
        ("grabacion", F(Recording)),
        ("grabaciones", F(Recording)),
        ("breakout rooms", F(BreakoutRooms)),
        ("breakout room", F(BreakoutRooms)),
        ("breakout", F(BreakoutRooms)),
        ("salles de groupe", F(BreakoutRooms)),
        ("sous groupes", F(BreakoutRooms)),
        ("gruppenraume", F(BreakoutRooms)),
        ("breakout raume", F(BreakoutRooms)),
        ("salas de grupos", F(BreakoutRooms)),
        ("grupos reducidos", F(BreakoutRooms)),
        ("shared notes", F(SharedNotes)),
        ("notes partagees", F(SharedNotes)),
        ("geteilte notizen", F(SharedNotes)),
        ("gemeinsame notizen", F(SharedNotes)),
        ("notas compartidas", F(SharedNotes)),
        ("whiteboard", F(Whiteboard)),
        ("tableau blanc", F(Whiteboard)),
        ("pizarra", F(Whiteboard)),
        ("pizarra blanca", F(Whiteboard)),
        ("polls", F(Polls)),
        ("poll", F(Polls)),
        ("sondages", F(Polls)),
        ("sondage", F(Polls)),
        ("umfragen", F(Polls)),
        ("umfrage", F(Polls)),
        ("encuestas", F(Polls)),
        ("encuesta", F(Polls)),
        ("dial in", F(DialIn)),
        ("phone", F(DialIn)),
        ("telephone", F(DialIn)),
        ("telefon", F(DialIn)),
        ("einwahl", F(DialIn)),
        ("telefonische einwahl", F(DialIn)),
        ("telefono", F(DialIn)),
        ("streaming", F(Streaming)),
        ("live streaming", F(Streaming)),
        ("livestream", F(Streaming)),
        ("diffusion en direct", F(Streaming)),
        ("transmision en directo", F(Streaming)),
        ("e2ee", F(E2ee)),
        ("end to end encryption", F(E2ee)),
        ("encryption", F(E2ee)),
        ("encrypted", F(E2ee)),
        ("chiffrement de bout en bout", F(E2ee)),
        ("chiffrement", F(E2ee)),
        ("ende zu ende verschlusselung", F(E2ee)),
        ("verschlusselung", F(E2ee)),
        ("cifrado de extremo a extremo", F(E2ee)),
        ("cifrado", F(E2ee)),
        ("captions", F(Captions)),
        ("subtitles", F(Captions)),
        ("sous titres", F(Captions)),
        ("untertitel", F(Captions)),
        ("subtitulos", F(Captions)),
        ("lti", F(Lti)),
        ("moodle", F(Lti)),
        ("nextcloud", F(Nextcloud)),
        ("screen sharing", F(ScreenSharing)),
        ("screensharing", F(ScreenSharing)),
        ("partage d ecran", F(ScreenSharing)),
        ("partage ecran", F(ScreenSharing)),
        ("bildschirmfreigabe", F(ScreenSharing)),
        ("compartir pantalla", F(ScreenSharing)),
        ("chat", F(Chat)),
        ("tchat", F(Chat)),
        // Price models
        ("free", M(Free)),
        ("gratuit", M(Free)),
        ("gratuite", M(Free)),
        ("kostenlos", M(Free)),
        ("gratis", M(Free)),
        ("gratuito", M(Free)),
        ("pay what you can", M(PayWhatYouCan)),
        ("prix libre", M(PayWhatYouCan)),
        ("participation libre", M(PayWhatYouCan)),
        ("zahl was du kannst", M(PayWhatYouCan)),
        ("zahl was du willst", M(PayWhatYouCan)),
        ("paga lo que puedas", M(PayWhatYouCan)),
        ("precio libre", M(PayWhatYouCan)),
        ("membership", M(Membership)),
        ("adhesion", M(Membership)),
        ("mitgliedschaft", M(Membership)),
        ("membresia", M(Membership)),
        ("subscription", M(Subscription)),
        ("abonnement", M(Subscription)),
        ("abo", M(Subscription)),
        ("suscripcion", M(Subscription)),
        // Language names CLDR does not give as a language's name
        ("castellano", Facet::Language("es".into())),
    ]
}

struct Dictionary {
    phrases: HashMap<String, Facet>,
    /// Tokens in the longest phrase.
    longest: usize,
}

/// Every phrase the search understands, folded. The first meaning of a phrase wins:
/// coopdir's vocabularies, then languages, then countries.
static DICTIONARY: LazyLock<Dictionary> = LazyLock::new(|| {
    let mut phrases: HashMap<String, Facet> = HashMap::new();
    let mut add = |phrase: &str, facet: Facet| {
        let folded = fold(phrase);
        if !folded.is_empty() && !STOP_WORDS.contains(&folded.as_str()) {
            phrases.entry(folded).or_insert(facet);
        }
    };
    for (phrase, facet) in vocabulary_phrases() {
        add(phrase, facet);
    }
    for p in Platform::ALL {
        add(p.as_str(), Facet::Platform(*p));
        add(p.label(), Facet::Platform(*p));
    }
    for f in Feature::ALL {
        add(f.as_str(), Facet::Feature(*f));
        add(f.label(), Facet::Feature(*f));
    }
    // In a fixed order (English names first, then by code), so that a name two codes share
    // always means the same one.
    let names = &*NAMES;
    let sorted = |map: &HashMap<(&'static str, String), String>| {
        let mut v: Vec<(usize, String, String)> = map
            .iter()
            .map(|((l, c), n)| {
                (
                    LOCALES.iter().position(|x| x == l).unwrap_or(LOCALES.len()),
                    c.clone(),
                    n.clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    for (_, code, name) in sorted(&names.languages) {
        add(&name, Facet::Language(code));
    }
    let mut endonyms: Vec<(&String, &String)> = names.endonyms.iter().collect();
    endonyms.sort();
    for (code, name) in endonyms {
        add(name, Facet::Language(code.clone()));
    }
    for (_, code, name) in sorted(&names.regions) {
        if let Ok(country) = code.parse::<Country>() {
            add(&name, Facet::Country(country));
        }
    }
    let longest = phrases
        .keys()
        .map(|p| p.split(' ').count())
        .max()
        .unwrap_or(1)
        .min(6);
    Dictionary { phrases, longest }
});

#[cfg(test)]
mod tests {
    use super::*;

    /// (query, expected filters as `param=value` in order, expected full-text words)
    const CASES: &[(&str, &[&str], Option<&str>)] = &[
        // English
        (
            "bigbluebutton german recording",
            &["platform=bigbluebutton", "language=de", "feature=recording"],
            None,
        ),
        ("german", &["language=de"], None),
        ("German", &["language=de"], None),
        ("jitsi german", &["platform=jitsi", "language=de"], None),
        ("bbb", &["platform=bigbluebutton"], None),
        ("Big Blue Button", &["platform=bigbluebutton"], None),
        ("jitsi meet", &["platform=jitsi"], None),
        ("galene", &["platform=galene"], None),
        ("Galène", &["platform=galene"], None),
        ("nextcloud talk", &["platform=nextcloud-talk"], None),
        ("nextcloud", &["feature=nextcloud"], None),
        ("free jitsi", &["price=free", "platform=jitsi"], None),
        ("pay what you can", &["price=pay-what-you-can"], None),
        (
            "bbb with breakout rooms and shared notes",
            &[
                "platform=bigbluebutton",
                "feature=breakout-rooms",
                "feature=shared-notes",
            ],
            None,
        ),
        ("end-to-end encryption", &["feature=e2ee"], None),
        ("dial-in", &["feature=dial-in"], None),
        ("French speaking provider", &["language=fr"], None),
        ("spanish", &["language=es"], None),
        ("Germany", &["country=DE"], None),
        ("united kingdom", &["country=GB"], None),
        ("meet.coop", &[], Some("meet.coop")),
        ("community rooms", &[], Some("community rooms")),
        (
            "bbb community rooms",
            &["platform=bigbluebutton"],
            Some("community rooms"),
        ),
        ("a provider with moodle", &["feature=lti"], None),
        ("captions", &["feature=captions"], None),
        // French
        (
            "bigbluebutton allemand enregistrement",
            &["platform=bigbluebutton", "language=de", "feature=recording"],
            None,
        ),
        ("allemand", &["language=de"], None),
        ("français", &["language=fr"], None),
        ("francais", &["language=fr"], None),
        ("espagnol", &["language=es"], None),
        ("gratuit", &["price=free"], None),
        ("prix libre", &["price=pay-what-you-can"], None),
        ("tableau blanc", &["feature=whiteboard"], None),
        ("sondages", &["feature=polls"], None),
        ("partage d'écran", &["feature=screen-sharing"], None),
        ("sous-titres", &["feature=captions"], None),
        ("chiffrement de bout en bout", &["feature=e2ee"], None),
        ("Allemagne", &["country=DE"], None),
        (
            "hébergeur jitsi en France",
            &["platform=jitsi", "country=FR"],
            None,
        ),
        ("visio avec enregistrement", &["feature=recording"], None),
        // German
        (
            "bigbluebutton deutsch aufzeichnung",
            &["platform=bigbluebutton", "language=de", "feature=recording"],
            None,
        ),
        ("deutsch", &["language=de"], None),
        ("Deutsch", &["language=de"], None),
        ("französisch", &["language=fr"], None),
        ("kostenlos", &["price=free"], None),
        ("Umfragen", &["feature=polls"], None),
        ("Untertitel", &["feature=captions"], None),
        ("Deutschland", &["country=DE"], None),
        ("Österreich", &["country=AT"], None),
        (
            "jitsi mit aufnahme",
            &["platform=jitsi", "feature=recording"],
            None,
        ),
        ("Ende-zu-Ende-Verschlüsselung", &["feature=e2ee"], None),
        ("Mitgliedschaft", &["price=membership"], None),
        // Spanish
        (
            "bigbluebutton alemán grabación",
            &["platform=bigbluebutton", "language=de", "feature=recording"],
            None,
        ),
        ("alemán", &["language=de"], None),
        ("aleman", &["language=de"], None),
        ("español", &["language=es"], None),
        ("castellano", &["language=es"], None),
        ("gratis", &["price=free"], None),
        ("encuestas", &["feature=polls"], None),
        ("pizarra", &["feature=whiteboard"], None),
        ("España", &["country=ES"], None),
        (
            "jitsi con grabación",
            &["platform=jitsi", "feature=recording"],
            None,
        ),
        ("subtítulos", &["feature=captions"], None),
        ("suscripción", &["price=subscription"], None),
        // Endonyms of other languages
        ("italiano", &["language=it"], None),
        ("català", &["language=ca"], None),
        ("nederlands", &["language=nl"], None),
        ("português", &["language=pt"], None),
        // Nothing to understand
        ("", &[], None),
        ("the with and", &[], None),
    ];

    fn filters(u: &Understood) -> Vec<String> {
        u.facets
            .iter()
            .map(|(f, _)| format!("{}={}", f.param(), f.value()))
            .collect()
    }

    #[test]
    fn a_table_of_queries_in_four_languages() {
        assert!(CASES.len() >= 60, "the table holds {} queries", CASES.len());
        let mut failures = Vec::new();
        for (query, expected, text) in CASES {
            let u = understand(query);
            let got = filters(&u);
            let want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            if got != want || u.text().as_deref() != *text {
                failures.push(format!(
                    "{query:?}: got {got:?} + text {:?}, expected {want:?} + text {text:?}",
                    u.text()
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn applying_merges_with_explicit_filters_and_keeps_only_other_words() {
        let q = OfferingQuery {
            q: Some("bbb german community".into()),
            language: Some("fr".into()),
            ..Default::default()
        };
        let applied = understand(q.q.as_deref().unwrap_or("")).apply(&q);
        assert_eq!(applied.platform.as_deref(), Some("bigbluebutton"));
        assert_eq!(applied.language.as_deref(), Some("fr,de"));
        assert_eq!(applied.q.as_deref(), Some("community"));
    }

    #[test]
    fn each_part_says_how_to_remove_it() {
        let parts = understand("BigBlueButton German recording rooms").parts();
        let summary: Vec<(&str, &str, &str)> = parts
            .iter()
            .map(|p| (p.kind, p.label.as_str(), p.without.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("platform", "BigBlueButton", "German recording rooms"),
                ("language", "German", "BigBlueButton recording rooms"),
                ("feature", "recording", "BigBlueButton German rooms"),
                ("text", "“rooms”", "BigBlueButton German recording"),
            ]
        );
    }

    #[test]
    fn names_come_from_cldr_in_each_interface_language() {
        assert_eq!(language_name("de", "fr").as_deref(), Some("allemand"));
        assert_eq!(language_name("de", "es").as_deref(), Some("alemán"));
        assert_eq!(country_name("DE", "de").as_deref(), Some("Deutschland"));
        assert_eq!(country_name("gb", "en").as_deref(), Some("United Kingdom"));
    }

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Alemán"), "aleman");
        assert_eq!(
            fold("Ende-zu-Ende-Verschlüsselung"),
            "ende zu ende verschlusselung"
        );
        assert_eq!(fold("partage d'écran"), "partage d ecran");
        assert_eq!(fold("Straße"), "strasse");
    }
}
