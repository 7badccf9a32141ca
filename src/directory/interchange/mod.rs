//! Other directories' formats: ChatonsInfos `.properties` (CHATONS), `librehost.json`
//! (LibreHosters) and Murmurations organization profiles, read into listing documents and
//! written from listings. docs/listing-format.md#other-directories describes the mapping.
//!
//! These are pure functions of text: reading files and URLs (following ChatonsInfos
//! `subs.*`) is the caller's, so that this module knows nothing of the network.

pub mod chatons;
pub mod export;
pub mod librehost;
pub mod murmurations;
pub mod schema_org;

use super::listing::{
    BoundedList, CoopSpec, DocumentError, ListingDocument, NoticeDays, OfferingSpec, Price, WebUrl,
};
use super::types::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::{collections::BTreeSet, fmt, str::FromStr};
use unicode_normalization::UnicodeNormalization;

/// The formats `coopdir import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Coopdir,
    Chatons,
    Librehost,
    Murmurations,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Chatons,
        Format::Librehost,
        Format::Murmurations,
        Format::Coopdir,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Coopdir => "coopdir",
            Format::Chatons => "chatons",
            Format::Librehost => "librehost",
            Format::Murmurations => "murmurations",
        }
    }

    /// The format of a document, from its name and a look at its text: `.properties` or
    /// `key = value` lines are ChatonsInfos; JSON with `linked_schemas` is Murmurations,
    /// with `coop` coopdir's own, with LibreHosters keys (`homeUrl`, `tagLine`, `services`,
    /// a `data` wrapper) librehost.json; anything else is a coopdir TOML or JSON document.
    pub fn detect(name: &str, text: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or("");
        if path.ends_with(".properties") || path.ends_with("/.well-known/chatonsinfos") {
            return Format::Chatons;
        }
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with('{') {
            if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(trimmed) {
                if m.contains_key("coop") {
                    return Format::Coopdir;
                }
                if m.contains_key("linked_schemas") {
                    return Format::Murmurations;
                }
                let lh = ["homeUrl", "tagLine", "services", "data", "donationsUrl"];
                if lh.iter().any(|k| m.contains_key(*k)) || path.ends_with("librehost.json") {
                    return Format::Librehost;
                }
            }
            return Format::Coopdir;
        }
        // TOML documents have `[coop]`; ChatonsInfos files have dotted keys at the top.
        let first_key = trimmed
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        if first_key.starts_with("file.") || first_key.starts_with("organization.") {
            return Format::Chatons;
        }
        Format::Coopdir
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "coopdir" | "toml" | "json" => Ok(Format::Coopdir),
            "chatons" | "chatonsinfos" => Ok(Format::Chatons),
            "librehost" | "librehosters" => Ok(Format::Librehost),
            "murmurations" => Ok(Format::Murmurations),
            _ => Err(format!(
                "unknown format '{s}'; use one of chatons, librehost, murmurations, coopdir"
            )),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something of the source that did not map as it stands: the field, its value, and what
/// was done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub field: String,
    pub value: String,
    pub why: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.why)
        } else {
            write!(f, "{} = {:?}: {}", self.field, self.value, self.why)
        }
    }
}

/// A source read into coopdir's terms. `doc` is `None` when the whole co-op was skipped
/// (an organization marked AWAY, a completed project): the warnings say why.
#[derive(Debug, Clone)]
pub struct Imported {
    pub format: Format,
    pub doc: Option<ListingDocument>,
    pub warnings: Vec<Warning>,
}

/// Collects warnings while mapping.
#[derive(Debug, Default)]
pub(crate) struct Warnings(pub Vec<Warning>);

impl Warnings {
    pub fn add(
        &mut self,
        field: impl Into<String>,
        value: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.0.push(Warning {
            field: field.into(),
            value: value.into(),
            why: why.into(),
        });
    }
}

/// An error of a source document, naming the document and the key.
pub(crate) fn refuse(name: &str, key: &str, msg: impl fmt::Display) -> DocumentError {
    DocumentError(format!("{name}: field `{key}`: {msg}"))
}

/// Lower-case, accents folded, `-`/`_` read as spaces, runs of spaces collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().nfkd() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            '-' | '_' => out.push(' '),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A deterministic handle from a name: accents folded, `[a-z0-9_]`, at most `max`
/// characters; `fallback` when nothing is left.
pub fn slug(name: &str, max: usize, fallback: &str) -> String {
    let mut s = String::new();
    for c in fold(name).chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            s.push(c);
        } else if !s.ends_with('_') && !s.is_empty() {
            s.push('_');
        }
    }
    let mut s: String = s.trim_matches('_').chars().take(max).collect();
    while s.ends_with('_') {
        s.pop();
    }
    if s.is_empty() { fallback.into() } else { s }
}

/// The video conferencing platform a software or service name stands for, if any
/// (the README's table: bigbluebutton, bbb, greenlight; jitsi; galene; nextcloud talk,
/// spreed; element call; opentalk).
pub fn platform_of(text: &str) -> Option<Platform> {
    let t = fold(text);
    let words: Vec<&str> = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let joined = words.join(" ");
    if has("bigbluebutton") || has("bbb") || has("greenlight") || joined.contains("big blue button")
    {
        Some(Platform::BigBlueButton)
    } else if words.iter().any(|w| w.starts_with("jitsi")) {
        Some(Platform::Jitsi)
    } else if has("galene") {
        Some(Platform::Galene)
    } else if joined.contains("nextcloud talk") || has("spreed") {
        Some(Platform::NextcloudTalk)
    } else if joined.contains("element call") {
        Some(Platform::Matrix)
    } else if has("opentalk") {
        Some(Platform::OpenTalk)
    } else {
        None
    }
}

/// A co-op form from free text (an organization type, tags): SCIC, multi-stakeholder,
/// solidarity; SCOP, worker; consumer, user, Verbraucher; platform co-op.
pub fn form_of(text: &str) -> Option<CoopForm> {
    let t = fold(text);
    let any = |ws: &[&str]| ws.iter().any(|w| t.contains(w));
    if any(&[
        "scic",
        "multi stakeholder",
        "multistakeholder",
        "solidarity",
    ]) {
        Some(CoopForm::MultiStakeholder)
    } else if any(&["scop", "worker"]) {
        Some(CoopForm::Worker)
    } else if any(&["consumer", "user", "verbraucher"]) {
        Some(CoopForm::Consumer)
    } else if any(&["platform co", "platform coop"]) {
        Some(CoopForm::Platform)
    } else {
        None
    }
}

/// Trim; `None` for an empty value.
pub(crate) fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// A typed value from source text, or a warning and `None`.
pub(crate) fn typed<T: FromStr<Err: std::fmt::Display>>(
    w: &mut Warnings,
    field: &str,
    value: Option<&str>,
) -> Option<T> {
    let v = non_empty(value)?;
    match v.parse::<T>() {
        Ok(t) => Some(t),
        Err(e) => {
            w.add(field, v, format!("dropped: {e}"));
            None
        }
    }
}

/// A web address from source text, or a warning and `None`.
pub(crate) fn web_url(w: &mut Warnings, field: &str, value: Option<&str>) -> Option<WebUrl> {
    let v = non_empty(value)?;
    match WebUrl::try_from(v.to_string()) {
        Ok(u) => Some(u),
        Err(e) => {
            w.add(field, v, format!("dropped: {e}"));
            None
        }
    }
}

/// A name cut to what coopdir accepts (100 characters, one line).
pub(crate) fn name_of(w: &mut Warnings, field: &str, value: &str) -> Option<Name> {
    let one_line: String = value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    if one_line.chars().count() > 100 {
        w.add(field, value, "shortened to 100 characters");
    }
    let cut: String = one_line.chars().take(100).collect();
    cut.parse().ok()
}

/// A summary cut to 5,000 characters.
pub(crate) fn summary_of(w: &mut Warnings, field: &str, value: Option<&str>) -> Summary {
    let v = non_empty(value).unwrap_or("");
    if v.chars().count() > 5000 {
        w.add(field, "…", "shortened to 5000 characters");
    }
    let cut: String = v.chars().take(5000).collect();
    cut.parse().unwrap_or_else(|_| empty_summary())
}

pub(crate) fn empty_summary() -> Summary {
    super::listing::empty_summary()
}

/// A handle from a slug (always valid: `slug` keeps `[a-z0-9_]`, 1 to 30 characters).
pub(crate) fn username(name: &str, s: &str) -> Result<Username, DocumentError> {
    s.parse()
        .map_err(|e| DocumentError(format!("{name}: cannot derive a handle: {e}")))
}

/// Language tags from a list, normalised (BCP 47 case), invalid ones warned and dropped.
pub(crate) fn languages<'a>(
    w: &mut Warnings,
    field: &str,
    values: impl IntoIterator<Item = &'a str>,
) -> BoundedList<Language> {
    let mut out = Vec::new();
    for v in values {
        let Some(v) = non_empty(Some(v)) else {
            continue;
        };
        match bcp47_case(v).parse::<Language>() {
            Ok(l) if !out.contains(&l) && out.len() < super::listing::MAX_LIST => out.push(l),
            Ok(_) => {}
            Err(e) => w.add(field, v, format!("dropped: {e}")),
        }
    }
    BoundedList(out)
}

/// `nl-be` → `nl-BE`, `zh-hant-tw` → `zh-Hant-TW`.
pub fn bcp47_case(tag: &str) -> String {
    tag.trim()
        .replace('_', "-")
        .split('-')
        .enumerate()
        .map(|(i, p)| {
            if i == 0 {
                p.to_ascii_lowercase()
            } else if p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()) {
                p.to_ascii_uppercase()
            } else if p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()) {
                let l = p.to_ascii_lowercase();
                let mut cs = l.chars();
                cs.next()
                    .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                    .unwrap_or_default()
            } else {
                p.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Country codes, invalid ones warned and dropped.
pub(crate) fn countries<'a>(
    w: &mut Warnings,
    field: &str,
    values: impl IntoIterator<Item = &'a str>,
) -> BoundedList<Country> {
    let mut out = Vec::new();
    for v in values {
        if let Some(c) = typed::<Country>(w, field, Some(v))
            && !out.contains(&c)
            && out.len() < super::listing::MAX_LIST
        {
            out.push(c);
        }
    }
    BoundedList(out)
}

/// An offering before the extension is applied: what the source's standard keys say.
#[derive(Debug, Clone)]
pub(crate) struct Base {
    pub handle: Username,
    pub name: Name,
    pub summary: Summary,
    pub platform: Platform,
    pub platform_version: Option<Name>,
    pub price: Option<Price>,
    pub registration: Option<Registration>,
    pub languages: BoundedList<Language>,
    pub support_languages: BoundedList<Language>,
    pub jurisdiction: Option<Country>,
    pub data_location: BoundedList<Country>,
    pub homepage: Option<WebUrl>,
    pub free_software: bool,
}

/// One attribute of the coopdir extension (`coopdir.*`, `services[].coopdir`,
/// `coopdir.offerings[]`), typed, or a warning and `None`.
pub(crate) fn ext<T: DeserializeOwned>(
    w: &mut Warnings,
    prefix: &str,
    map: &Map<String, Value>,
    key: &str,
) -> Option<T> {
    let v = map.get(key)?;
    if v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()) {
        return None;
    }
    match serde_json::from_value::<T>(v.clone()) {
        Ok(t) => Some(t),
        Err(e) => {
            let shown = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            w.add(format!("{prefix}{key}"), shown, format!("dropped: {e}"));
            None
        }
    }
}

/// The offering: the extension's attributes over the source's, and "not stated" (with a
/// warning) for a price or registration that neither gives.
pub(crate) fn offering(
    w: &mut Warnings,
    prefix: &str,
    base: Base,
    extension: Option<&Map<String, Value>>,
) -> OfferingSpec {
    let empty = Map::new();
    let x = extension.unwrap_or(&empty);
    const KNOWN: &[&str] = &[
        "handle",
        "name",
        "summary",
        "platform",
        "platform_version",
        "features",
        "participants_per_room",
        "concurrent_rooms",
        "price",
        "languages",
        "support_languages",
        "jurisdiction",
        "data_location",
        "registration",
        "free_software",
        "notice_days",
        "homepage",
        "signup",
        "service_url",
        "probe",
        "funding",
        "also_known_as",
    ];
    for k in x.keys() {
        if !KNOWN.contains(&k.as_str()) {
            w.add(
                format!("{prefix}{k}"),
                "",
                "not a listing attribute: ignored",
            );
        }
    }
    let handle: Username = ext(w, prefix, x, "handle").unwrap_or(base.handle);
    let price = ext::<Price>(w, prefix, x, "price").or(base.price);
    let price = price.unwrap_or_else(|| {
        w.add(
            format!("{prefix}price"),
            "",
            "no price in the source: listed as not stated",
        );
        Price {
            model: PriceModel::NotStated,
            amount: None,
            currency: None,
            period: None,
        }
    });
    let registration = ext::<Registration>(w, prefix, x, "registration").or(base.registration);
    let registration = registration.unwrap_or_else(|| {
        w.add(
            format!("{prefix}registration"),
            "",
            "no registration in the source: listed as not stated",
        );
        Registration::NotStated
    });
    let languages = ext_languages(w, prefix, x, "languages").unwrap_or(base.languages);
    let support_languages =
        ext_languages(w, prefix, x, "support_languages").unwrap_or(base.support_languages);
    let data_location = match x.get("data_location") {
        Some(Value::Array(a)) => countries(
            w,
            &format!("{prefix}data_location"),
            a.iter().filter_map(Value::as_str),
        ),
        Some(_) => ext(w, prefix, x, "data_location").unwrap_or(base.data_location),
        None => base.data_location,
    };
    OfferingSpec {
        handle,
        name: ext(w, prefix, x, "name").unwrap_or(base.name),
        summary: ext(w, prefix, x, "summary").unwrap_or(base.summary),
        platform: ext(w, prefix, x, "platform").unwrap_or(base.platform),
        platform_version: ext(w, prefix, x, "platform_version").or(base.platform_version),
        features: ext::<BTreeSet<Feature>>(w, prefix, x, "features").unwrap_or_default(),
        participants_per_room: ext(w, prefix, x, "participants_per_room"),
        concurrent_rooms: ext(w, prefix, x, "concurrent_rooms"),
        price,
        languages,
        support_languages,
        jurisdiction: ext(w, prefix, x, "jurisdiction").or(base.jurisdiction),
        data_location,
        registration,
        free_software: ext(w, prefix, x, "free_software").unwrap_or(base.free_software),
        notice_days: ext(w, prefix, x, "notice_days").unwrap_or(NoticeDays(90)),
        homepage: ext(w, prefix, x, "homepage").or(base.homepage),
        signup: ext(w, prefix, x, "signup"),
        service_url: ext(w, prefix, x, "service_url"),
        probe: ext(w, prefix, x, "probe").unwrap_or(true),
        funding: ext(w, prefix, x, "funding"),
        also_known_as: ext(w, prefix, x, "also_known_as").unwrap_or_default(),
    }
}

/// A list of language tags of the extension, each checked on its own.
fn ext_languages(
    w: &mut Warnings,
    prefix: &str,
    x: &Map<String, Value>,
    key: &str,
) -> Option<BoundedList<Language>> {
    match x.get(key)? {
        Value::Array(a) => Some(languages(
            w,
            &format!("{prefix}{key}"),
            a.iter().filter_map(Value::as_str),
        )),
        _ => ext(w, prefix, x, key),
    }
}

/// Offering handles made unique within the document and different from the co-op's.
pub(crate) fn unique_handles(coop: &CoopSpec, offerings: &mut [OfferingSpec]) {
    let mut seen: Vec<String> = vec![coop.handle.to_string()];
    for o in offerings.iter_mut() {
        let base = o.handle.to_string();
        let mut candidate = base.clone();
        let mut n = 2;
        while seen.contains(&candidate) {
            let suffix = format!("_{n}");
            let keep = 30usize.saturating_sub(suffix.len());
            candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
            n += 1;
        }
        if let Ok(h) = candidate.parse() {
            o.handle = h;
        }
        seen.push(candidate);
    }
}

/// The handle of an offering without one in the source: the co-op's handle, `_`, and the
/// platform (`ecran_partage_scic_jitsi`), at most 30 characters. The same service read
/// from any of the formats gets the same handle, so a co-op listed in several directories
/// stays one record; a second offering of the same platform gets `_2`, and so on.
pub(crate) fn offering_handle(coop: &str, platform: Platform) -> String {
    let tail = platform.as_str().replace('-', "_");
    let keep = 30usize.saturating_sub(tail.len() + 1);
    let head: String = coop.chars().take(keep).collect();
    slug(
        &format!("{}_{tail}", head.trim_end_matches('_')),
        30,
        "service",
    )
}

/// The document, checked by the same rules as a coopdir document.
pub(crate) fn finish(
    name: &str,
    format: Format,
    coop: CoopSpec,
    mut offerings: Vec<OfferingSpec>,
    w: Warnings,
) -> Result<Imported, DocumentError> {
    unique_handles(&coop, &mut offerings);
    let doc = ListingDocument { coop, offerings };
    // Round-trip through the coopdir parser: whatever passes here imports like a file.
    let json = serde_json::to_string(&doc).map_err(|e| DocumentError(format!("{name}: {e}")))?;
    let doc = ListingDocument::parse(&format!("{name} (as a listing)"), &json)?;
    Ok(Imported {
        format,
        doc: Some(doc),
        warnings: w.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_name_and_content() {
        assert_eq!(
            Format::detect("x.properties", "file.class = organization"),
            Format::Chatons
        );
        assert_eq!(
            Format::detect("https://h/.well-known/chatonsinfos", ""),
            Format::Chatons
        );
        assert_eq!(
            Format::detect("x", "# c\nfile.class = organization"),
            Format::Chatons
        );
        assert_eq!(
            Format::detect("x.json", r#"{"linked_schemas": []}"#),
            Format::Murmurations
        );
        assert_eq!(
            Format::detect("x.json", r#"{"name": "A", "homeUrl": "https://a/"}"#),
            Format::Librehost
        );
        assert_eq!(Format::detect("x.json", r#"{"coop": {}}"#), Format::Coopdir);
        assert_eq!(
            Format::detect("x.toml", "[coop]\nhandle = \"a\""),
            Format::Coopdir
        );
    }

    #[test]
    fn platforms_and_forms_are_read_from_free_text() {
        assert_eq!(platform_of("Jitsi Meet"), Some(Platform::Jitsi));
        assert_eq!(platform_of("Galène"), Some(Platform::Galene));
        assert_eq!(platform_of(" BBB "), Some(Platform::BigBlueButton));
        assert_eq!(platform_of("Greenlight"), Some(Platform::BigBlueButton));
        assert_eq!(platform_of("nextcloud_talk"), Some(Platform::NextcloudTalk));
        assert_eq!(platform_of("Spreed"), Some(Platform::NextcloudTalk));
        assert_eq!(platform_of("Element Call"), Some(Platform::Matrix));
        assert_eq!(platform_of("Nextcloud"), None);
        assert_eq!(platform_of("Etherpad"), None);
        assert_eq!(form_of("SCIC SAS"), Some(CoopForm::MultiStakeholder));
        assert_eq!(
            form_of("Verbrauchergenossenschaft"),
            Some(CoopForm::Consumer)
        );
        assert_eq!(form_of("SCOP"), Some(CoopForm::Worker));
        assert_eq!(form_of("Association"), None);
    }

    #[test]
    fn handles_are_deterministic_and_valid() {
        assert_eq!(slug("Écran Partagé SCIC", 30, "x"), "ecran_partage_scic");
        assert_eq!(slug("Hörsaal Nord eG", 30, "x"), "horsaal_nord_eg");
        assert_eq!(slug("Straße", 30, "x"), "strasse");
        assert_eq!(slug("!!!", 30, "x"), "x");
        assert_eq!(
            offering_handle("ecran_partage_scic", Platform::Jitsi),
            "ecran_partage_scic_jitsi"
        );
        let h = offering_handle("a_very_long_cooperative_handle", Platform::NextcloudTalk);
        assert!(h.len() <= 30 && h.parse::<Username>().is_ok(), "{h}");
        assert!(h.ends_with("_nextcloud_talk"), "{h}");
        assert_eq!(bcp47_case("nl-be"), "nl-BE");
        assert_eq!(bcp47_case("ZH_hant_tw"), "zh-Hant-TW");
    }
}
