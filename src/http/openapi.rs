//! The OpenAPI description of `/api/v1`, generated with utoipa: the operations from the
//! `#[utoipa::path]` annotations of the handlers (api.rs), the bodies from the request and
//! response types (`ToSchema` derives), and here the schemas of the typed values of
//! `directory::types` and `directory::listing`, written from the same rules as their
//! parsers, so that the description refuses what the server refuses. docs/api.md says how
//! to add an endpoint.
//!
//! The parsers trim surrounding whitespace (Unicode `White_Space`, as `str::trim`) and read
//! vocabularies without regard to case, with `_` or a space for `-`; the patterns below say
//! the same, so a value the schema accepts is one the server accepts, and the reverse. The
//! one deliberate difference: in request bodies a vocabulary is an `enum` of its canonical
//! spellings (what clients should send and what answers contain), although the parser also
//! reads the other spellings. The query of `GET /api/v1/offerings` and of the alternatives
//! are described here by hand (`IntoParams`), because their patterns are built from the
//! vocabularies at run time.

use crate::directory::{
    listing::{BoundedList, Count, MAX_LIST, NoticeDays, Price, WebUrl},
    search::{MAX_QUERY_CHARS, MAX_VALUES, OfferingQuery},
    types::*,
};
use std::{borrow::Cow, sync::LazyLock};
use utoipa::{
    IntoParams, Modify, OpenApi, PartialSchema, ToSchema,
    openapi::{
        KnownFormat, ObjectBuilder, RefOr, Required, Schema, SchemaFormat, Type,
        path::{Parameter, ParameterBuilder, ParameterIn},
        schema::{AdditionalProperties, AnyOfBuilder, ArrayBuilder},
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

/// The description, with the server left out: [`document`] adds the node's URL.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "coopdir API",
        description = "The federated directory of co-operative service providers on this node. \
                       See docs/api.md. Reading needs no authentication; the write endpoints \
                       take an API token (`bearerAuth`).",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    paths(
        super::api::offerings,
        super::api::alternatives,
        super::api::me,
        super::api::offering_spec,
        super::api::put_offering,
        super::liveness::api_liveness,
        super::api::post_announcement,
        super::api::post_sunset,
        super::api::post_transfer,
        super::api_transfers::list,
        super::api_transfers::accept,
        super::api_transfers::decline,
        super::api_replies::questions,
        super::api_replies::post_answer,
        super::api_replies::hide_reply,
    ),
    components(schemas(super::api::ErrorBody)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The `bearerAuth` security scheme that authenticated operations name with
/// `security(("bearerAuth" = []))`.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token of an admin or staff account: `coopdir token create \
                         USERNAME --name NAME` prints one (docs/api.md). Staff tokens act only \
                         on their own co-op's listings.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The description as JSON, built once.
static DOCUMENT: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::to_value(ApiDoc::openapi()).unwrap_or_default());

/// The description with `base` (the node's public URL) as its server.
pub fn document(base: &str) -> serde_json::Value {
    let mut doc = DOCUMENT.clone();
    doc["servers"] = serde_json::json!([{ "url": base.trim_end_matches('/') }]);
    doc
}

// ---------------------------------------------------------------------------------------
// Patterns

/// One character that `str::trim` removes (Unicode `White_Space`).
const WS: &str = r"[\t\n\x0B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// One character that is neither whitespace nor a control character.
const VISIBLE: &str =
    r"[^\x00-\x20\x7F-\x9F\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// One character that is not a control character.
const NOT_CONTROL: &str = r"[^\x00-\x1F\x7F-\x9F]";
/// One character that is not whitespace.
const NOT_WS: &str =
    r"[^\t\n\x0B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// ASCII whitespace, around URLs (whose pattern is ASCII, so that `maxLength` counts bytes).
const ASCII_WS: &str = r"[\t\n\x0B\f\r ]";

/// `inner` with any whitespace around it, as a whole-value pattern.
fn trimmed(inner: &str) -> String {
    format!("^{WS}*(?:{inner}){WS}*$")
}

/// Text of 1 to `max` characters after trimming, any characters but control characters
/// inside (`controls` false) or any characters at all.
fn text_core(max: usize, controls: bool) -> String {
    let inner = if controls { r"[\s\S]" } else { NOT_CONTROL };
    let edge = if controls { NOT_WS } else { VISIBLE };
    match max {
        0 => String::new(),
        1 => edge.to_string(),
        n => format!("{edge}(?:{inner}{{0,{}}}{edge})?", n - 2),
    }
}

/// A vocabulary word as its parser reads it: any letter case, `_` or a space for `-`.
fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'a'..='z' => format!("[{}{c}]", c.to_ascii_uppercase()),
            '-' => "[-_ ]".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            c => format!("\\{c}"),
        })
        .collect()
}

fn alternatives_of(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| any_case(w))
        .collect::<Vec<_>>()
        .join("|")
}

/// A BCP 47 language tag, well-formed as oxilangtag checks it (RFC 5646 §2.1, with its
/// grandfathered tags).
fn language_tag() -> String {
    let a = "[A-Za-z]";
    let n = "[A-Za-z0-9]";
    let language = format!("{a}{{2,3}}(?:-{a}{{3}}){{0,3}}|{a}{{4,8}}");
    let variant = format!("{a}{n}{{4,7}}|[0-9]{n}{{3,7}}");
    let singleton = "[0-9A-WYZa-wyz]";
    let langtag = format!(
        "(?:{language})(?:-{a}{{4}})?(?:-(?:{a}{{2}}|[0-9]{{3}}))?(?:-(?:{variant}))*\
         (?:-{singleton}(?:-{n}{{2,8}})+)*(?:-[Xx](?:-{n}{{1,8}})+)?"
    );
    let irregular = [
        "en-gb-oed",
        "i-ami",
        "i-bnn",
        "i-default",
        "i-enochian",
        "i-hak",
        "i-klingon",
        "i-lux",
        "i-mingo",
        "i-navajo",
        "i-pwn",
        "i-tao",
        "i-tay",
        "i-tsu",
        "sgn-be-fr",
        "sgn-be-nl",
        "sgn-ch-de",
    ]
    .iter()
    .map(|t| {
        t.chars()
            .map(|c| match c {
                'a'..='z' => format!("[{}{c}]", c.to_ascii_uppercase()),
                c => c.to_string(),
            })
            .collect::<String>()
    })
    .collect::<Vec<_>>()
    .join("|");
    format!("{irregular}|[Xx](?:-{n}{{1,8}})+|{langtag}")
}

/// The value of a filter parameter: at most [`MAX_VALUES`] items separated by commas,
/// each empty or one `item`, with whitespace around.
fn list_of(item: &str) -> String {
    let one = format!("{WS}*(?:(?:{item}){WS}*)?");
    format!("^{one}(?:,{one}){{0,{}}}$", MAX_VALUES - 1)
}

fn string(pattern: String) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
}

// ---------------------------------------------------------------------------------------
// Schemas of the typed values

/// Vocabularies in bodies: their canonical values (the server also reads other letter
/// cases, and `_` or a space for `-`).
macro_rules! vocabulary_schema {
    ($($ty:ident: $description:literal,)+) => {$(
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some($ty::ALL.iter().map(|v| v.as_str())))
                    .description(Some($description))
                    .into()
            }
        }
        impl ToSchema for $ty {}
    )+};
}

vocabulary_schema!(
    Platform: "The software an offering runs; `other` for platforms not listed yet.",
    Feature: "A feature members compare offerings on.",
    PriceModel: "How an offering is paid for.",
    PricePeriod: "The period a price is charged for.",
    Registration: "Who may sign up.",
    CoopForm: "The form of the co-operative.",
    Status: "Lifecycle: active, sunsetting (until its end date), closed, transferred.",
);

macro_rules! string_schema {
    ($($ty:ident => $schema:expr;)+) => {$(
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                let schema: ObjectBuilder = $schema;
                schema.into()
            }
        }
        impl ToSchema for $ty {}
    )+};
}

string_schema!(
    Username => string(trimmed("[a-z0-9_]{1,30}")).description(Some(
        "The name part of a handle: 1 to 30 lower-case letters, digits or `_`."
    ));
    Name => string(trimmed(&text_core(100, false))).description(Some(
        "1 to 100 characters on one line (no control characters); plain text, never HTML."
    ));
    Summary => string(format!("^{WS}*(?:{})?{WS}*$", text_core(5000, true))).description(Some(
        "Plain text of at most 5000 characters; blank lines separate paragraphs."
    ));
    Country => string(trimmed("[A-Za-z]{2}")).description(Some(
        "ISO 3166-1 alpha-2 country code, e.g. DE."
    ));
    Currency => string(trimmed("[A-Za-z]{3}")).description(Some(
        "ISO 4217 currency code, e.g. EUR."
    ));
    Language => string(trimmed(&language_tag())).description(Some(
        "BCP 47 language tag, e.g. de or pt-BR."
    ));
    Amount => string(trimmed(r"[0-9]{1,9}(?:\.[0-9]{0,2})?")).description(Some(
        "A decimal with at most two decimals, as text: \"9.00\"."
    ));
    WebUrl => string(web_url()).max_length(Some(2000)).description(Some(
        "An http(s) URL of a web page, at most 2000 characters."
    ));
);

/// An `http(s)` URL as `WebUrl` accepts it, with ASCII whitespace around.
fn web_url() -> String {
    format!(
        "^{ASCII_WS}*[Hh][Tt][Tt][Pp][Ss]?://{}{ASCII_WS}*$",
        url_rest()
    )
}

/// What follows `http://` in a URL that the url crate parses: a host name whose last
/// label starts with a letter (an all-digit one would be read as an IPv4 address, and
/// `xn--` labels as punycode), a port, a path, a query, a fragment.
fn url_rest() -> String {
    let label = "[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*";
    let last = "[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*";
    let port = "[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]";
    let path = r"[A-Za-z0-9._~!$&'()*+,;=:@%/-]";
    let query = r"[A-Za-z0-9._~!$&'()*+,;=:@%/?-]";
    format!("(?:{label}\\.)*{last}(?::(?:{port}))?(?:/{path}*)?(?:\\?{query}*)?(?:#{query}*)?")
}

pub use crate::directory::listing::also_known_as_schema;

impl PartialSchema for Count {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(Count::MAX))
            .into()
    }
}
impl ToSchema for Count {}

impl PartialSchema for NoticeDays {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(3650))
            .description(Some("Days of notice promised before closing."))
            .into()
    }
}
impl ToSchema for NoticeDays {}

impl<T: ToSchema> PartialSchema for BoundedList<T> {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .items(T::schema())
            .max_items(Some(MAX_LIST))
            .description(Some("At most 50 entries; repeated ones count once."))
            .into()
    }
}
impl<T: ToSchema> ToSchema for BoundedList<T> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}List", T::name()))
    }
}

/// A price: without an amount (and then without a currency), or with both; a free one
/// only with a zero amount.
impl PartialSchema for Price {
    fn schema() -> RefOr<Schema> {
        let zero = string(trimmed(r"0{1,9}(?:\.0{0,2})?"));
        let shape = |model: RefOr<Schema>, amount: Option<ObjectBuilder>| {
            let mut o = ObjectBuilder::new()
                .schema_type(Type::Object)
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
                .property("model", model)
                .required("model")
                .property("period", nullable_ref(PricePeriod::schema()));
            if let Some(amount) = amount {
                o = o
                    .property("amount", amount)
                    .required("amount")
                    .property("currency", Currency::schema())
                    .required("currency");
            } else {
                let null = || ObjectBuilder::new().schema_type(Type::Null);
                o = o.property("amount", null()).property("currency", null());
            }
            o
        };
        let paid: Vec<&str> = PriceModel::ALL
            .iter()
            .filter(|m| **m != PriceModel::Free)
            .map(|m| m.as_str())
            .collect();
        let models = |values: Vec<&str>| -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(values))
                .into()
        };
        AnyOfBuilder::new()
            .item(shape(PriceModel::schema(), None))
            .item(shape(
                models(paid),
                Some(ObjectBuilder::from(match Amount::schema() {
                    RefOr::T(Schema::Object(o)) => o,
                    _ => ObjectBuilder::new().build(),
                })),
            ))
            .item(shape(models(vec!["free"]), Some(zero)))
            .description(Some(
                "A paid model has an amount and a currency; a free one has none (or zero).",
            ))
            .into()
    }
}
impl ToSchema for Price {}

/// `schema` or null.
fn nullable_ref(schema: RefOr<Schema>) -> RefOr<Schema> {
    AnyOfBuilder::new()
        .item(schema)
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

// ---------------------------------------------------------------------------------------
// The query of `GET /api/v1/offerings`

impl IntoParams for OfferingQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let vocabulary = |name: &str, what: &str, words: Vec<&'static str>, all: bool| {
            let how = if all {
                "Several separated by commas: all of them."
            } else {
                "One value or several separated by commas: any of them."
            };
            filter(
                name,
                &format!("{what}: {}. {how}", words.join(", ")),
                list_of(&alternatives_of(&words)),
            )
        };
        vec![
            query_param(
                "q",
                &format!(
                    "Words in English, French, German or Spanish. Words naming a platform, \
                     feature, language, country or price model become those filters (the \
                     answer's `understood` says how); the others are found in name, summary, \
                     platform, features and co-op name, each also as the start of a longer \
                     word. At most {MAX_QUERY_CHARS} characters."
                ),
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(MAX_QUERY_CHARS))
                    .into(),
            ),
            vocabulary(
                "platform",
                "Platform",
                Platform::ALL.iter().map(|v| v.as_str()).collect(),
                false,
            ),
            vocabulary(
                "feature",
                "Feature",
                Feature::ALL.iter().map(|v| v.as_str()).collect(),
                true,
            ),
            filter(
                "language",
                "Interface or support language, BCP 47 (`pt` also finds `pt-BR`). One value \
                 or several separated by commas: any of them.",
                list_of(&language_tag()),
            ),
            filter(
                "country",
                "Jurisdiction or data location, ISO 3166-1 alpha-2. One value or several \
                 separated by commas: any of them.",
                list_of("[A-Za-z]{2}"),
            ),
            vocabulary(
                "price",
                "Price model. `not-stated` is no filter value: a listing whose source states no \
                 price is matched by no price filter.",
                PriceModel::ALL
                    .iter()
                    .filter(|v| **v != PriceModel::NotStated)
                    .map(|v| v.as_str())
                    .collect(),
                false,
            ),
            vocabulary(
                "registration",
                "Registration. `not-stated` is no filter value: a listing whose source states \
                 no registration is matched by no registration filter.",
                Registration::ALL
                    .iter()
                    .filter(|v| **v != Registration::NotStated)
                    .map(|v| v.as_str())
                    .collect(),
                false,
            ),
            vocabulary(
                "form",
                "Co-op form",
                CoopForm::ALL.iter().map(|v| v.as_str()).collect(),
                false,
            ),
            vocabulary(
                "status",
                "Lifecycle (default: all)",
                Status::ALL.iter().map(|v| v.as_str()).collect(),
                false,
            ),
            query_param(
                "working",
                "`true`: only listings whose service answered the node's last probe \
                 (\"working now\"); peers' listings, which this node does not probe, are left \
                 out.",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["true", "false"]))
                    .into(),
            ),
            query_param(
                "page",
                "Page number from 1; 50 results a page.",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .maximum(Some(u64::MAX as usize))
                    .default(Some(1.into()))
                    .into(),
            ),
        ]
    }
}

fn query_param(name: &str, description: &str, schema: RefOr<Schema>) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn filter(name: &str, description: &str, pattern: String) -> Parameter {
    query_param(
        name,
        &format!("{description} Empty values are ignored; letter case does not matter."),
        string(pattern).into(),
    )
}

// ---------------------------------------------------------------------------------------
// Schemas for the api.rs annotations

/// A `{username}` path parameter's schema.
pub fn username_schema() -> ObjectBuilder {
    string("^[a-z0-9_]{1,30}$".into())
}

/// The `actor` of the alternatives query: an http(s) URL (the scheme in lower case), or a
/// handle `name@domain` (optionally with leading `@` or `acct:`), without whitespace.
pub fn offering_ref_schema() -> ObjectBuilder {
    string(format!(
        "^{WS}*(?:https?://{}|(?:acct:)*@*{NAME}+@{DOMAIN}+){WS}*$",
        url_rest()
    ))
}

/// A character of the name of a handle, and of its domain.
const NAME: &str =
    r"[^\t\n\x0B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000@]";
const DOMAIN: &str =
    r"[^\t\n\x0B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000@/]";

/// The `limit` of the alternatives query.
pub fn limit_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(crate::directory::alternatives::MAX_LIMIT))
        .default(Some(10.into()))
}

/// Text of at most `max` characters after trimming, empty allowed (a note).
pub fn trimmed_text(max: usize) -> ObjectBuilder {
    string(format!("^{WS}*(?:{})?{WS}*$", text_core(max, true)))
}

/// `schema` that may also be null (the same as leaving the field out).
pub fn nullable(schema: ObjectBuilder) -> ObjectBuilder {
    schema.schema_type(utoipa::openapi::schema::SchemaType::from_iter([
        Type::String,
        Type::Null,
    ]))
}

/// Announcement text: 1 to `MAX_TEXT` characters after trimming.
pub fn announcement_text_schema() -> ObjectBuilder {
    string(trimmed(&text_core(
        crate::directory::announcements::MAX_TEXT,
        true,
    )))
    .description(Some(
        "Plain text, 1 to 5000 characters; links and @name@domain mentions are recognised.",
    ))
}

/// An announcement's texts in other languages: an object of language tag → text.
pub fn announcement_translations_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::Object,
            utoipa::openapi::Type::Null,
        ]))
        // The keys every node with the default language English accepts; the server also
        // takes a language the listing offers, which a static description cannot list.
        .property_names(Some(
            ObjectBuilder::new()
                .schema_type(utoipa::openapi::Type::String)
                .enum_values(Some(["fr", "de", "es"])),
        ))
        .additional_properties(Some(announcement_text_schema()))
        .description(Some(
            "The text in other languages than the node's default, by BCP 47 tag. Described \
             here: fr, de, es (the interface's languages besides English, the default); the \
             server also accepts en on a node whose default is another language, and any \
             language the listing offers, e.g. {\"fr\": \"Maintenance samedi\"}. \
             Followers receive them all as the Note's contentMap.",
        ))
}

/// A sunset's end date: `YYYY-MM-DD`, in the years 2000 to 2999.
pub fn end_date_schema() -> ObjectBuilder {
    string(super::api::END_DATE_PATTERN.into())
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

/// A successor: an http(s) actor URL, a handle `name@domain` (optionally with leading `@`
/// or `acct:`), or the name of a listing of this node (`api::successor_shape`).
pub fn successor_schema() -> ObjectBuilder {
    string(format!(
        "^{WS}*(?:https?://{}|(?:acct:)*@*{NAME}+(?:@{DOMAIN}+)?){WS}*$",
        url_rest()
    ))
    .description(Some(
        "The successor: a handle name@domain, an actor URL, or the name of a listing of this \
         node.",
    ))
}

impl IntoParams for super::api::AlternativesQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut actor = query_param(
            "actor",
            "Actor URL of the offering (or its handle name@domain).",
            offering_ref_schema().into(),
        );
        actor.required = Required::True;
        vec![
            actor,
            query_param(
                "limit",
                "Most alternatives to return, 1 to 50.",
                limit_schema().into(),
            ),
        ]
    }
}
