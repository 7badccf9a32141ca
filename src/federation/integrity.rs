//! Ed25519 keys of local actors (FEP-521a `Multikey` in `assertionMethod`) and FEP-8b32
//! object integrity proofs (`DataIntegrityProof`, cryptosuite `eddsa-jcs-2022`: RFC 8785
//! JSON canonicalization, SHA-256, Ed25519). Outgoing activities carry a proof, so that
//! whoever forwards them (a relay, a peer) can prove who wrote them; incoming proofs are
//! checked where the key is known.

use crate::db::signing::actor_ed25519_key;
use aws_lc_rs::{
    rand::SystemRandom,
    signature::{self, Ed25519KeyPair, KeyPair, UnparsedPublicKey},
};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set, sea_query::OnConflict};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The JSON-LD contexts that define `Multikey` and `DataIntegrityProof`.
pub const MULTIKEY_CONTEXT: &str = "https://w3id.org/security/multikey/v1";
pub const DATA_INTEGRITY_CONTEXT: &str = "https://w3id.org/security/data-integrity/v1";

/// The fragment of an actor's Ed25519 key id.
pub const KEY_FRAGMENT: &str = "ed25519-key";

// ---------------------------------------------------------------------------
// base58btc and multibase

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

pub fn base58_encode(data: &[u8]) -> String {
    let zeros = data.iter().take_while(|b| **b == 0).count();
    let mut digits: Vec<u8> = Vec::new();
    for &byte in &data[zeros..] {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(
        digits
            .iter()
            .rev()
            .map(|d| char::from(ALPHABET[usize::from(*d)])),
    );
    out
}

pub fn base58_decode(s: &str) -> Option<Vec<u8>> {
    let zeros = s.bytes().take_while(|b| *b == b'1').count();
    let mut bytes: Vec<u8> = Vec::new();
    for c in s.bytes().skip(zeros) {
        let mut carry = ALPHABET.iter().position(|a| *a == c)? as u32;
        for b in bytes.iter_mut() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(bytes.iter().rev());
    Some(out)
}

/// An Ed25519 public key as a FEP-521a `publicKeyMultibase`: `z` + base58btc of the
/// multicodec prefix `0xed 0x01` and the 32 bytes (`z6Mk…`).
pub fn multikey(raw: &[u8]) -> String {
    let mut b = vec![0xed, 0x01];
    b.extend_from_slice(raw);
    format!("z{}", base58_encode(&b))
}

/// The 32 bytes of an Ed25519 `publicKeyMultibase`.
pub fn parse_multikey(s: &str) -> Option<Vec<u8>> {
    let b = base58_decode(s.strip_prefix('z')?)?;
    match b.as_slice() {
        [0xed, 0x01, rest @ ..] if rest.len() == 32 => Some(rest.to_vec()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// RFC 8785 JSON Canonicalization Scheme

/// The canonical form of a JSON value (RFC 8785): members sorted by the UTF-16 code units
/// of their names, no white space, strings escaped as ECMAScript's `JSON.stringify` does,
/// numbers as ECMAScript's `Number.prototype.toString`.
pub fn jcs(v: &Value) -> String {
    let mut out = String::new();
    write_jcs(v, &mut out);
    out
}

fn write_jcs(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&jcs_number(n)),
        Value::String(s) => write_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_jcs(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                if let Some(x) = m.get(*k) {
                    write_jcs(x, out);
                }
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn jcs_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    es_number(f)
}

/// ECMAScript's Number::toString(10) of a finite double.
fn es_number(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    if f < 0.0 {
        return format!("-{}", es_number(-f));
    }
    // Shortest round-trip digits and exponent: "d.ddde±x".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let k = digits.len() as i32;
    let n = exp + 1;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (a, b) = digits.split_at(n as usize);
        format!("{a}.{b}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let e = (n - 1).abs();
        if k == 1 {
            format!("{digits}e{sign}{e}")
        } else {
            let (a, b) = digits.split_at(1);
            format!("{a}.{b}e{sign}{e}")
        }
    }
}

// ---------------------------------------------------------------------------
// Proofs

fn hash_data(doc: &Value, config: &Value) -> Vec<u8> {
    let mut unsecured = doc.clone();
    if let Value::Object(m) = &mut unsecured {
        m.remove("proof");
    }
    let mut data = Sha256::digest(jcs(config).as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(jcs(&unsecured).as_bytes()));
    data
}

fn proof_config(doc: &Value, verification_method: &str, created: &str) -> Value {
    let mut c = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
        "created": created,
    });
    if let (Some(ctx), Value::Object(m)) = (doc.get("@context"), &mut c) {
        m.insert("@context".into(), ctx.clone());
    }
    c
}

/// `doc` with a FEP-8b32 `eddsa-jcs-2022` proof by `key` (whose id is
/// `verification_method`). The data-integrity context is added to `@context` first, so
/// that JSON-LD processors know `proof`.
pub fn with_proof(
    mut doc: Value,
    key: &Ed25519KeyPair,
    verification_method: &str,
    created: DateTime<Utc>,
) -> Value {
    add_context(&mut doc, DATA_INTEGRITY_CONTEXT);
    let created = created.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let config = proof_config(&doc, verification_method, &created);
    let sig = key.sign(&hash_data(&doc, &config));
    let mut proof = config;
    if let Value::Object(m) = &mut proof {
        m.remove("@context");
        m.insert(
            "proofValue".into(),
            Value::String(format!("z{}", base58_encode(sig.as_ref()))),
        );
    }
    if let Value::Object(m) = &mut doc {
        m.insert("proof".into(), proof);
    }
    doc
}

/// Add a context URL to `@context` (a string or a list) unless it is there.
pub fn add_context(doc: &mut Value, url: &str) {
    let Value::Object(m) = doc else { return };
    let ctx = m.entry("@context").or_insert(Value::Null);
    let mut list = match ctx.take() {
        Value::Array(a) => a,
        Value::Null => vec![],
        other => vec![other],
    };
    if !list.iter().any(|c| c.as_str() == Some(url)) {
        list.push(Value::String(url.into()));
    }
    *ctx = Value::Array(list);
}

/// What a document's proof says, when it has one of the kind this node checks.
pub struct Proof {
    pub verification_method: String,
}

/// The `eddsa-jcs-2022` proof of `doc`, if any (the first such when there are several).
pub fn proof_of(doc: &Value) -> Option<Proof> {
    let p = match doc.get("proof")? {
        Value::Array(a) => a
            .iter()
            .find(|p| p["cryptosuite"] == "eddsa-jcs-2022")?
            .clone(),
        other => other.clone(),
    };
    (p["type"] == "DataIntegrityProof" && p["cryptosuite"] == "eddsa-jcs-2022")
        .then(|| {
            p["verificationMethod"].as_str().map(|v| Proof {
                verification_method: v.to_string(),
            })
        })
        .flatten()
}

/// Verify the `eddsa-jcs-2022` proof of `doc` with the raw Ed25519 key `public`.
pub fn verify_proof(doc: &Value, public: &[u8]) -> bool {
    let Some(p) = doc.get("proof") else {
        return false;
    };
    let p = match p {
        Value::Array(a) => match a.iter().find(|p| p["cryptosuite"] == "eddsa-jcs-2022") {
            Some(p) => p,
            None => return false,
        },
        other => other,
    };
    if p["proofPurpose"] != "assertionMethod" || p["type"] != "DataIntegrityProof" {
        return false;
    }
    let (Some(vm), Some(created), Some(value)) = (
        p["verificationMethod"].as_str(),
        p["created"].as_str(),
        p["proofValue"].as_str(),
    ) else {
        return false;
    };
    let Some(sig) = value.strip_prefix('z').and_then(base58_decode) else {
        return false;
    };
    // The time as ECMAScript's Temporal.Instant prints it (UTC, `Z`, no trailing zeros
    // in the fraction), which is what Fedify signs, whatever form the JSON carries.
    let created = temporal_instant(created).unwrap_or_else(|| created.to_string());
    let config = proof_config(doc, vm, &created);
    let ok = |d: &Value| {
        UnparsedPublicKey::new(&signature::ED25519, public)
            .verify(&hash_data(d, &config), &sig)
            .is_ok()
    };
    if ok(doc) {
        return true;
    }
    // Fedify adds a Linked Data Signature (`signature`, RsaSignature2017) after the
    // proof: the proof covers the activity without it.
    match doc {
        Value::Object(m) if m.contains_key("signature") => {
            let mut without = doc.clone();
            if let Value::Object(w) = &mut without {
                w.remove("signature");
            }
            ok(&without)
        }
        _ => false,
    }
}

fn temporal_instant(s: &str) -> Option<String> {
    let t = DateTime::parse_from_rfc3339(s).ok()?.with_timezone(&Utc);
    let nanos = t.timestamp_subsec_nanos();
    let mut out = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    Some(out)
}

// ---------------------------------------------------------------------------
// Keys of local actors

/// The Ed25519 key of a local actor, made and stored on first use. A concurrent maker's
/// key wins; both read the stored one.
pub async fn actor_key<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> anyhow::Result<(Ed25519KeyPair, String)> {
    if let Some(k) = actor_ed25519_key::Entity::find_by_id(actor_id)
        .one(db)
        .await?
    {
        return parse(&k);
    }
    let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
        .map_err(|_| anyhow::anyhow!("Ed25519 key generation failed"))?;
    let kp = Ed25519KeyPair::from_pkcs8(doc.as_ref())
        .map_err(|e| anyhow::anyhow!("Ed25519 key rejected: {e}"))?;
    actor_ed25519_key::Entity::insert(actor_ed25519_key::ActiveModel {
        actor_id: Set(actor_id),
        private_key: Set(B64.encode(doc.as_ref())),
        public_key: Set(multikey(kp.public_key().as_ref())),
    })
    .on_conflict(
        OnConflict::column(actor_ed25519_key::Column::ActorId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let k = actor_ed25519_key::Entity::find_by_id(actor_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the Ed25519 key of actor {actor_id} was not stored"))?;
    parse(&k)
}

fn parse(k: &actor_ed25519_key::Model) -> anyhow::Result<(Ed25519KeyPair, String)> {
    let der = B64.decode(&k.private_key)?;
    let kp = Ed25519KeyPair::from_pkcs8(&der)
        .map_err(|e| anyhow::anyhow!("stored Ed25519 key rejected: {e}"))?;
    Ok((kp, k.public_key.clone()))
}

/// The `assertionMethod` entry of an actor: its Ed25519 key as a FEP-521a `Multikey`.
pub fn assertion_method(actor_id: &str, multibase: &str) -> Value {
    json!({
        "id": format!("{actor_id}#{KEY_FRAGMENT}"),
        "type": "Multikey",
        "controller": actor_id,
        "publicKeyMultibase": multibase,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::excessive_precision)] // the RFC's own input
    fn jcs_follows_rfc_8785() {
        // RFC 8785 §3.2.2-3.2.3: sorting by UTF-16 code units, string escapes, numbers.
        // (serde_json's own float parsing is not exact; Rust's literals are.)
        let mut v: Value = serde_json::from_str(
            r#"{"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
               "literals":[null,true,false]}"#,
        )
        .unwrap();
        v["numbers"] = json!([
            333333333.33333329_f64,
            1e30_f64,
            4.50_f64,
            2e-3_f64,
            1e-27_f64
        ]);
        assert_eq!(
            jcs(&v),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        let sorted: Value = serde_json::from_str(
            r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#,
        )
        .unwrap();
        assert_eq!(
            jcs(&sorted),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
             \"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\
             \"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        );
    }

    #[test]
    fn multikey_round_trip() {
        // FEP-521a's example key starts with z6Mk.
        let raw = [7u8; 32];
        let m = multikey(&raw);
        assert!(m.starts_with("z6Mk"), "{m}");
        assert_eq!(parse_multikey(&m).unwrap(), raw);
        assert_eq!(
            base58_decode(&base58_encode(&[0, 0, 1, 2])).unwrap(),
            [0, 0, 1, 2]
        );
    }

    #[test]
    fn a_proof_verifies_and_a_changed_byte_fails() {
        let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let kp = Ed25519KeyPair::from_pkcs8(doc.as_ref()).unwrap();
        let activity = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://a.example/activities/1",
            "type": "Create",
            "actor": "https://a.example/actors/x",
            "object": {"type": "Note", "content": "Grüße"},
        });
        let signed = with_proof(
            activity,
            &kp,
            "https://a.example/actors/x#ed25519-key",
            Utc::now(),
        );
        assert_eq!(
            signed["@context"],
            json!([
                "https://www.w3.org/ns/activitystreams",
                DATA_INTEGRITY_CONTEXT
            ])
        );
        let public = kp.public_key().as_ref().to_vec();
        assert!(verify_proof(&signed, &public));
        assert_eq!(
            proof_of(&signed).unwrap().verification_method,
            "https://a.example/actors/x#ed25519-key"
        );
        let mut changed = signed.clone();
        changed["object"]["content"] = json!("Grüsse");
        assert!(!verify_proof(&changed, &public));
        let mut changed = signed.clone();
        changed["proof"]["created"] = json!("2020-01-01T00:00:00Z");
        assert!(!verify_proof(&changed, &public));
    }
}
