//! Wire structs: the JSON shapes coopdir sends and reads. Writing is strict (every field we
//! promise is there); reading is tolerant (unknown fields ignored, a malformed optional
//! field dropped instead of failing the whole document).

use activitypub_federation::protocol::helpers::{deserialize_one_or_many, deserialize_skip_error};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Value, json};
use url::Url;

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
pub const AS_CONTENT_TYPE: &str = "application/activity+json";

/// The JSON-LD context of every document we serve: ActivityStreams, the security
/// vocabulary (without it strict JSON-LD peers drop `publicKey`), Mastodon's extensions,
/// schema.org for profile fields and offering attributes, and coopdir's own terms.
/// Offering attributes are schema.org's real IRIs (`https://schema.org/price`); only
/// `PropertyValue` and `value` keep Mastodon's `schema:` prefix (`http://schema.org#`),
/// which is what Mastodon matches profile fields on.
/// docs/federation.md lists the coopdir terms.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        // FEP-8b32 proofs, and FEP-521a Multikey keys in assertionMethod (defined by
        // DID core); in the order Fedify uses, which JSON-LD's protected terms need.
        "https://w3id.org/security/data-integrity/v1",
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "movedTo": { "@id": "as:movedTo", "@type": "@id" },
            "alsoKnownAs": { "@id": "as:alsoKnownAs", "@type": "@id" },
            "Hashtag": "as:Hashtag",
            "sensitive": "as:sensitive",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "suspended": "toot:suspended",
            "featured": { "@id": "toot:featured", "@type": "@id" },
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "areaServed": "https://schema.org/areaServed",
            "availableLanguage": "https://schema.org/availableLanguage",
            "priceCurrency": "https://schema.org/priceCurrency",
            "price": "https://schema.org/price",
            "coopdir": "https://coopdir.org/ns#",
            "coop": { "@id": "coopdir:coop", "@type": "@id" },
            "platform": "coopdir:platform",
            "platformVersion": "coopdir:platformVersion",
            "features": { "@id": "coopdir:feature", "@container": "@set" },
            "participantsPerRoom": "coopdir:participantsPerRoom",
            "concurrentRooms": "coopdir:concurrentRooms",
            "priceModel": "coopdir:priceModel",
            "pricePeriod": "coopdir:pricePeriod",
            "supportLanguage": { "@id": "coopdir:supportLanguage", "@container": "@set" },
            "jurisdiction": "coopdir:jurisdiction",
            "dataLocation": { "@id": "coopdir:dataLocation", "@container": "@set" },
            "registration": "coopdir:registration",
            "coopForm": "coopdir:coopForm",
            "freeSoftware": "coopdir:freeSoftware",
            "noticePeriodDays": "coopdir:noticePeriodDays",
            "serviceStatus": "coopdir:serviceStatus",
            "sunsetEnd": "coopdir:sunsetEnd",
            "funding": { "@id": "coopdir:funding", "@type": "@id" },
            "homepage": { "@id": "coopdir:homepage", "@type": "@id" },
            "signup": { "@id": "coopdir:signup", "@type": "@id" },
            "liveness": "coopdir:liveness",
            "offerings": { "@id": "coopdir:offerings", "@type": "@id" }
        }
    ])
}

/// `{ "type": "PropertyValue", "name": …, "value": html }`: a Mastodon profile field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PropertyValue {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub value: String,
}

impl PropertyValue {
    pub fn new(name: &str, value_html: String) -> Self {
        PropertyValue {
            kind: "PropertyValue".into(),
            name: name.into(),
            value: value_html,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyJson {
    pub id: String,
    pub owner: Url,
    pub public_key_pem: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub shared_inbox: Option<Url>,
}

/// coopdir's structured offering and co-op attributes, flattened into the actor.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CoopdirTerms {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub coop: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub platform: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub platform_version: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "deserialize_skip_error"
    )]
    pub features: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub participants_per_room: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub concurrent_rooms: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub price_model: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub price: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub price_currency: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub price_period: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "deserialize_skip_error"
    )]
    pub available_language: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "deserialize_skip_error"
    )]
    pub support_language: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub jurisdiction: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "deserialize_skip_error"
    )]
    pub data_location: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub area_served: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub registration: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub coop_form: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub free_software: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub notice_period_days: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub service_status: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub sunset_end: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub funding: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub homepage: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub signup: Option<Url>,
    /// What the publishing node's probes found about the offering's service
    /// (docs/federation.md): shown by peers as that node's measurement.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub liveness: Option<crate::directory::liveness::Liveness>,
}

/// An actor document: ours when serialized, anyone's when read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ActorJson {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub preferred_username: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub outbox: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub followers: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub following: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub featured: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub endpoints: Option<Endpoints>,
    #[serde(deserialize_with = "deserialize_public_key")]
    pub public_key: PublicKeyJson,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub url: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub icon: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub manually_approves_followers: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub discoverable: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub indexable: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub suspended: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub published: Option<DateTime<Utc>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub updated: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "tolerant_url_list")]
    pub also_known_as: Vec<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub moved_to: Option<Url>,
    #[serde(default, deserialize_with = "tolerant_fields")]
    pub attachment: Vec<PropertyValue>,
    /// FEP-521a keys (`Multikey`), e.g. the Ed25519 key of FEP-8b32 proofs.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tolerant_values"
    )]
    pub assertion_method: Vec<Value>,
    #[serde(flatten)]
    pub coopdir: CoopdirTerms,
}

/// `publicKey` as one object or (rarely) a list of them: the first RSA key is used.
fn deserialize_public_key<'de, D: Deserializer<'de>>(d: D) -> Result<PublicKeyJson, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(PublicKeyJson),
        Many(Vec<PublicKeyJson>),
    }
    match OneOrMany::deserialize(d)? {
        OneOrMany::One(k) => Ok(k),
        OneOrMany::Many(v) => v
            .into_iter()
            .next()
            .ok_or_else(|| serde::de::Error::custom("empty publicKey list")),
    }
}

/// One object or a list of them; at most 20 kept.
fn tolerant_values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(a) => a.into_iter().take(20).collect(),
        Value::Null => vec![],
        other => vec![other],
    })
}

fn tolerant_url_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(deserialize_one_or_many(v).unwrap_or_default())
}

/// Profile fields: keep the `PropertyValue` items, skip anything else.
fn tolerant_fields<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PropertyValue>, D::Error> {
    let v = Value::deserialize(d)?;
    let items = match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    Ok(items
        .into_iter()
        .filter_map(|i| serde_json::from_value::<PropertyValue>(i).ok())
        .filter(|p| p.kind == "PropertyValue")
        .take(50)
        .collect())
}

/// An `OrderedCollection` with its count and, for small collections, the items.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    pub total_items: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<Value>>,
}

/// The envelope every incoming activity has, read before anything else.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: ActorRef,
}

/// `actor` as a URL or as an embedded object with an `id`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ActorRef {
    Url(Url),
    Object { id: Url },
}

impl ActorRef {
    pub fn url(&self) -> &Url {
        match self {
            ActorRef::Url(u) | ActorRef::Object { id: u } => u,
        }
    }
}

/// An object given by URL or embedded.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum ObjectRef {
    Url(Url),
    Object(Box<Value>),
}

impl ObjectRef {
    /// The object's id, when it has one.
    pub fn id(&self) -> Option<Url> {
        match self {
            ObjectRef::Url(u) => Some(u.clone()),
            ObjectRef::Object(v) => v
                .get("id")
                .and_then(|i| i.as_str())
                .and_then(|s| Url::parse(s).ok()),
        }
    }

    pub fn kind(&self) -> Option<&str> {
        match self {
            ObjectRef::Url(_) => None,
            ObjectRef::Object(v) => v.get("type").and_then(|t| t.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Mastodon actor as Mastodon 4.x serves it (trimmed), read tolerantly.
    #[test]
    fn reads_a_mastodon_actor() {
        let text = include_str!("../../tests/fixtures/mastodon-actor.json");
        let actor: ActorJson = serde_json::from_str(text).unwrap();
        assert_eq!(actor.kind, "Person");
        assert_eq!(actor.preferred_username.as_deref(), Some("alice"));
        assert_eq!(
            actor
                .endpoints
                .as_ref()
                .unwrap()
                .shared_inbox
                .as_ref()
                .unwrap()
                .as_str(),
            "https://mastodon.example/inbox"
        );
        assert!(actor.public_key.public_key_pem.contains("BEGIN PUBLIC KEY"));
        assert_eq!(actor.attachment.len(), 1);
        // round trip: what we write we read back
        let again: ActorJson =
            serde_json::from_value(serde_json::to_value(&actor).unwrap()).unwrap();
        assert_eq!(again.id, actor.id);
    }

    #[test]
    fn a_malformed_optional_field_is_dropped_not_fatal() {
        let v = json!({
            "id": "https://x.example/u/a", "type": "Person", "inbox": "https://x.example/u/a/inbox",
            "publicKey": {"id": "https://x.example/u/a#k", "owner": "https://x.example/u/a", "publicKeyPem": "pem"},
            "outbox": 42, "movedTo": ["not", "a", "url"], "alsoKnownAs": "https://y.example/u/b",
            "attachment": [{"type": "IdentityProof"}, {"type": "PropertyValue", "name": "n", "value": "v"}]
        });
        let a: ActorJson = serde_json::from_value(v).unwrap();
        assert!(a.outbox.is_none() && a.moved_to.is_none());
        assert_eq!(a.also_known_as.len(), 1);
        assert_eq!(a.attachment.len(), 1);
    }
}
