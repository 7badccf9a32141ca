//! The listing document: one co-op and its offerings, in TOML or JSON, as `coopdir import`
//! reads it. The same structs hold the attributes of stored listings, so a document and a
//! listing can never disagree on what a field means. docs/listing-format.md describes it.

use super::types::*;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::{collections::BTreeSet, path::Path};
use url::Url;

/// A whole listing document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListingDocument {
    pub coop: CoopSpec,
    #[serde(default)]
    pub offerings: Vec<OfferingSpec>,
}

/// A co-op as it is listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoopSpec {
    /// The name part of the co-op's handle `name@node`.
    pub handle: Username,
    pub name: Name,
    #[serde(default = "empty_summary")]
    pub summary: Summary,
    pub form: CoopForm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<WebUrl>,
    /// A funding or membership page, such as an Open Collective page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<WebUrl>,
    /// Where the listing is kept (a coopdir, ChatonsInfos, librehost.json or Murmurations
    /// document): the running node reads it again daily and applies what changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<WebUrl>,
}

/// An offering as it is listed: every attribute a member compares on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingSpec {
    /// The offering's handle; it cannot change (in a PUT, leave it out).
    #[schema(read_only)]
    pub handle: Username,
    pub name: Name,
    #[serde(default = "empty_summary")]
    pub summary: Summary,
    pub platform: Platform,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<Name>,
    /// Repeated features count once.
    #[serde(default)]
    #[schema(value_type = Vec<Feature>)]
    pub features: BTreeSet<Feature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants_per_room: Option<Count>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_rooms: Option<Count>,
    pub price: Price,
    /// Languages of the user interface (BCP 47).
    #[serde(default)]
    pub languages: LanguageList,
    /// Languages in which support is given (BCP 47).
    #[serde(default)]
    pub support_languages: LanguageList,
    /// The country whose law governs the service (ISO 3166-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<Country>,
    /// Countries where the data is stored (ISO 3166-1).
    #[serde(default)]
    pub data_location: CountryList,
    pub registration: Registration,
    #[serde(default = "yes")]
    pub free_software: bool,
    /// Days of notice the co-op promises before closing the service.
    #[serde(default = "default_notice_days")]
    pub notice_days: NoticeDays,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<WebUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup: Option<WebUrl>,
    /// The base URL of the running service (distinct from its homepage and sign-up
    /// page): the node checks it is up (docs/operations.md, "Probes").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_url: Option<WebUrl>,
    /// `false`: the co-op does not want its service checked, although it has a
    /// `service_url`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub probe: bool,
    /// A funding or membership page for this offering, if not the co-op's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<WebUrl>,
    /// Earlier actors of this offering (e.g. an offering of another co-op that is being
    /// transferred here): published as `alsoKnownAs`, which a `Move` to this offering
    /// requires.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(schema_with = also_known_as_schema)]
    pub also_known_as: Vec<WebUrl>,
}

/// `also_known_as` of an offering: read-only (set by a transfer to it), so a client leaves
/// it out of a PUT (or sends it unchanged).
pub fn also_known_as_schema() -> utoipa::openapi::schema::OneOfBuilder {
    utoipa::openapi::schema::OneOfBuilder::new()
        .item(
            utoipa::openapi::schema::ArrayBuilder::new()
                .items(<WebUrl as utoipa::PartialSchema>::schema()),
        )
        .read_only(true)
        .description(Some(
            "Earlier actors of this offering, published as `alsoKnownAs`; set by a transfer \
             to it. Read-only: leave it out of a PUT or send it unchanged.",
        ))
}

fn is_true(b: &bool) -> bool {
    *b
}

/// A price: model, and for paid models an amount in a currency per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPrice")]
pub struct Price {
    pub model: PriceModel,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<PricePeriod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrice {
    model: PriceModel,
    amount: Option<Amount>,
    currency: Option<Currency>,
    period: Option<PricePeriod>,
}

impl TryFrom<RawPrice> for Price {
    type Error = Msg;
    fn try_from(r: RawPrice) -> Result<Self, Msg> {
        Price::checked(r.model, r.amount, r.currency, r.period)
    }
}

impl Price {
    /// A price, with the rules that span its fields (an amount needs a currency, a free
    /// offering has no amount).
    pub fn checked(
        model: PriceModel,
        amount: Option<Amount>,
        currency: Option<Currency>,
        period: Option<PricePeriod>,
    ) -> Result<Self, Msg> {
        let r = RawPrice {
            model,
            amount,
            currency,
            period,
        };
        match (&r.amount, &r.currency) {
            (Some(_), None) => return Err(crate::msg!("error-price-no-currency")),
            (None, Some(_)) => return Err(crate::msg!("error-price-no-amount")),
            _ => {}
        }
        if r.model == PriceModel::Free && r.amount.as_ref().is_some_and(|a| a.cents() > 0) {
            return Err(crate::msg!("error-price-free"));
        }
        Ok(Price {
            model: r.model,
            amount: r.amount,
            currency: r.currency,
            period: r.period,
        })
    }
}

impl Price {
    /// "9.00 EUR / month (membership)" or "free".
    pub fn describe(&self) -> String {
        match (&self.amount, &self.currency) {
            (Some(a), Some(c)) => {
                let per = self
                    .period
                    .map(|p| format!(" / {}", p.label()))
                    .unwrap_or_default();
                format!("{a} {c}{per} ({})", self.model.label())
            }
            _ => self.model.label().to_string(),
        }
    }
}

/// An `http(s)` URL of a web page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebUrl(pub Url);

impl TryFrom<String> for WebUrl {
    type Error = Msg;
    fn try_from(s: String) -> Result<Self, Msg> {
        let url = Url::parse(s.trim())
            .map_err(|e| crate::msg!("error-url", value = &s, reason = e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || s.len() > 2000 {
            return Err(crate::msg!("error-web-url", value = s));
        }
        Ok(WebUrl(url))
    }
}

impl From<WebUrl> for String {
    fn from(u: WebUrl) -> String {
        u.0.into()
    }
}

/// A whole number as a document writes it: `90`, or `90.0` (JSON Schema counts both as
/// integers, so the API description and the parser agree); `90.5` is refused.
#[derive(Debug, Clone, Copy)]
pub struct Whole(pub i64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Whole;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Whole, E> {
                Ok(Whole(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Whole, E> {
                i64::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Whole, E> {
                // Below 2^63 in magnitude, so that the conversion is exact.
                if v.fract() == 0.0 && v.abs() < 9.2e18 {
                    Ok(Whole(v as i64))
                } else {
                    Err(E::custom(format!("{v} is not a whole number in range")))
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A positive count with an upper bound that keeps absurd values out of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Whole", into = "u32")]
pub struct Count(pub u32);

impl Count {
    pub const MAX: u32 = 1_000_000;
}

impl TryFrom<Whole> for Count {
    type Error = Msg;
    fn try_from(Whole(v): Whole) -> Result<Self, Msg> {
        Self::try_from(v)
    }
}

impl TryFrom<i64> for Count {
    type Error = Msg;
    fn try_from(v: i64) -> Result<Self, Msg> {
        if (1..=i64::from(Count::MAX)).contains(&v) {
            Ok(Count(v as u32))
        } else {
            // Written out, not as numbers: Fluent would group the digits.
            Err(crate::msg!(
                "error-count-range",
                value = v.to_string(),
                max = Count::MAX.to_string()
            ))
        }
    }
}

impl From<Count> for u32 {
    fn from(c: Count) -> u32 {
        c.0
    }
}

/// Days of notice before closing: 0 to 3650.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Whole", into = "u32")]
pub struct NoticeDays(pub u32);

impl TryFrom<Whole> for NoticeDays {
    type Error = Msg;
    fn try_from(Whole(v): Whole) -> Result<Self, Msg> {
        Self::try_from(v)
    }
}

impl TryFrom<i64> for NoticeDays {
    type Error = Msg;
    fn try_from(v: i64) -> Result<Self, Msg> {
        if (0..=3650).contains(&v) {
            Ok(NoticeDays(v as u32))
        } else {
            Err(crate::msg!("error-notice-range", value = v.to_string()))
        }
    }
}

impl From<NoticeDays> for u32 {
    fn from(c: NoticeDays) -> u32 {
        c.0
    }
}

/// A list of at most 50 distinct items: no listing serves 10,000 languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedList<T>(pub Vec<T>);

impl<T> Default for BoundedList<T> {
    fn default() -> Self {
        BoundedList(Vec::new())
    }
}

pub const MAX_LIST: usize = 50;

impl<T: Serialize> Serialize for BoundedList<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de> + PartialEq> Deserialize<'de> for BoundedList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<T>::deserialize(d)?;
        if v.len() > MAX_LIST {
            return Err(serde::de::Error::custom(format!(
                "at most {MAX_LIST} entries are allowed; {} were given",
                v.len()
            )));
        }
        let mut out: Vec<T> = Vec::with_capacity(v.len());
        for x in v {
            if !out.contains(&x) {
                out.push(x);
            }
        }
        Ok(BoundedList(out))
    }
}

pub type LanguageList = BoundedList<Language>;
pub type CountryList = BoundedList<Country>;

pub(crate) fn empty_summary() -> Summary {
    Summary::default()
}

fn yes() -> bool {
    true
}

fn default_notice_days() -> NoticeDays {
    NoticeDays(90)
}

/// A document that could not be read, with where and how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DocumentError(pub String);

impl ListingDocument {
    /// Parse a document; TOML unless the file name ends in `.json` (or the text starts with
    /// `{`). Errors name the file, line, field and the fix.
    pub fn parse(name: &str, text: &str) -> Result<Self, DocumentError> {
        let is_json = Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        let doc = if is_json {
            Self::parse_json(name, text)?
        } else {
            Self::parse_toml(name, text)?
        };
        doc.check(name)?;
        Ok(doc)
    }

    fn parse_toml(name: &str, text: &str) -> Result<Self, DocumentError> {
        let de = toml::Deserializer::parse(text).map_err(|e| toml_error(name, text, "", &e))?;
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            toml_error(name, text, &path, e.inner())
        })
    }

    fn parse_json(name: &str, text: &str) -> Result<Self, DocumentError> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let msg = strip_json_position(&inner.to_string());
            DocumentError(format!(
                "{name}: line {}, column {}{}: {msg}",
                inner.line(),
                inner.column(),
                field_suffix(&path)
            ))
        })
    }

    /// Rules that span several fields.
    fn check(&self, name: &str) -> Result<(), DocumentError> {
        let mut handles = std::collections::HashSet::new();
        handles.insert(self.coop.handle.as_str());
        for (i, o) in self.offerings.iter().enumerate() {
            if !handles.insert(o.handle.as_str()) {
                return Err(DocumentError(format!(
                    "{name}: field `offerings[{i}].handle`: the handle '{}' is used twice in this \
                     document; every co-op and offering needs its own handle",
                    o.handle
                )));
            }
        }
        Ok(())
    }
}

fn field_suffix(path: &str) -> String {
    if path.is_empty() || path == "." {
        String::new()
    } else {
        format!(", field `{path}`")
    }
}

fn toml_error(name: &str, text: &str, path: &str, e: &toml::de::Error) -> DocumentError {
    let line = e
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
        .map(|l| format!(": line {l}"))
        .unwrap_or_default();
    DocumentError(format!(
        "{name}{line}{}: {}",
        field_suffix(path),
        e.message().trim()
    ))
}

fn strip_json_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[coop]
handle = "testcoop"
name = "Test Co-op"
form = "worker"

[[offerings]]
handle = "test_bbb"
name = "Test BBB"
platform = "bigbluebutton"
features = ["recording", "breakout-rooms"]
price = { model = "membership", amount = "9.50", currency = "EUR", period = "month" }
languages = ["en", "de"]
registration = "open"
"#;

    #[test]
    fn a_good_document_parses() {
        let doc = ListingDocument::parse("good.toml", GOOD).unwrap();
        assert_eq!(doc.offerings[0].notice_days.0, 90);
        assert_eq!(
            doc.offerings[0].price.describe(),
            "9.50 EUR / month (membership)"
        );
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(ListingDocument::parse("good.json", &json).unwrap(), doc);
    }

    #[test]
    fn errors_name_line_field_and_fix() {
        let bad = GOOD.replace("\"EUR\"", "\"EURO\"");
        let err = ListingDocument::parse("bad.toml", &bad).unwrap_err().0;
        assert!(err.contains("bad.toml: line 12"), "{err}");
        assert!(err.contains("offerings[0].price"), "{err}");
        assert!(err.contains("ISO 4217"), "{err}");

        let bad = GOOD.replace(
            "registration = \"open\"",
            "registration = \"open\"\ncolour = \"red\"",
        );
        let err = ListingDocument::parse("bad.toml", &bad).unwrap_err().0;
        assert!(err.contains("colour"), "{err}");

        let bad = GOOD.replace("handle = \"test_bbb\"", "handle = \"testcoop\"");
        let err = ListingDocument::parse("bad.toml", &bad).unwrap_err().0;
        assert!(err.contains("used twice"), "{err}");

        let err = ListingDocument::parse("bad.json", "{\"coop\": {\"handle\": \"Bad Name\"}}")
            .unwrap_err()
            .0;
        assert!(
            err.contains("bad.json: line 1") && err.contains("coop.handle"),
            "{err}"
        );
    }

    #[test]
    fn whole_numbers_may_be_written_as_decimals_as_json_schema_allows() {
        let n: NoticeDays = serde_json::from_str("1070.0").unwrap();
        assert_eq!(n.0, 1070);
        let c: Count = serde_json::from_str("12").unwrap();
        assert_eq!(c.0, 12);
        assert!(serde_json::from_str::<Count>("12.5").is_err());
        assert!(serde_json::from_str::<Count>("1e300").is_err());
        assert!(serde_json::from_str::<NoticeDays>("\"90\"").is_err());
    }

    #[test]
    fn absurd_values_are_refused() {
        let bad = GOOD.replace(
            "registration = \"open\"",
            "registration = \"open\"\nparticipants_per_room = 1000000000",
        );
        let err = ListingDocument::parse("bad.toml", &bad).unwrap_err().0;
        assert!(err.contains("out of range"), "{err}");
    }
}
