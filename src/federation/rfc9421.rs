//! RFC 9421 HTTP Message Signatures and RFC 9530 `Content-Digest`, beside the
//! draft-cavage signatures of [`super::signatures`]. Newer fediverse servers (Fedify,
//! Mastodon 4.5 and later) sign with it, and the Fediscovery (FASP) API speaks nothing
//! else. Keys: RSA (`rsa-v1_5-sha256`) and Ed25519 (`ed25519`), both from aws-lc-rs.
//!
//! Only what this node needs of RFC 8941 structured fields is parsed here: the
//! dictionaries of `Signature-Input`, `Signature` and `Content-Digest`. Covered components
//! are the derived components `@method`, `@target-uri`, `@authority`, `@scheme`,
//! `@request-target`, `@path`, `@query` and `@status`, and plain header fields; a
//! component with parameters (`;sf`, `;key`, `;req`, …) is refused, so a sender that uses
//! one falls back to draft-cavage on the 401.

use super::signatures::SignatureError;
use aws_lc_rs::{
    rand::SystemRandom,
    signature::{self, Ed25519KeyPair, UnparsedPublicKey},
};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use http::HeaderMap;
use sha2::{Digest, Sha256, Sha512};

/// RFC 8941 structured fields: the subset of the grammar this module reads and writes.
pub mod sf {
    use super::B64;
    use base64::Engine;

    /// A bare item.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Bare {
        Int(i64),
        /// A decimal, kept as written.
        Dec(String),
        Str(String),
        Token(String),
        Bytes(Vec<u8>),
        Bool(bool),
    }

    pub type Params = Vec<(String, Bare)>;

    #[derive(Debug, Clone, PartialEq)]
    pub struct Item {
        pub bare: Bare,
        pub params: Params,
    }

    #[derive(Debug, Clone, PartialEq)]
    pub enum Member {
        Item(Item),
        InnerList(Vec<Item>, Params),
    }

    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<u8> {
            self.s.get(self.i).copied()
        }
        fn sp(&mut self) {
            while self.peek() == Some(b' ') {
                self.i += 1;
            }
        }
        fn ows(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t')) {
                self.i += 1;
            }
        }
        fn key(&mut self) -> Result<String, String> {
            let start = self.i;
            match self.peek() {
                Some(c) if c.is_ascii_lowercase() || c == b'*' => self.i += 1,
                _ => return Err(format!("a key is expected at offset {}", self.i)),
            }
            while let Some(c) = self.peek() {
                if c.is_ascii_lowercase() || c.is_ascii_digit() || b"_-.*".contains(&c) {
                    self.i += 1;
                } else {
                    break;
                }
            }
            Ok(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
        }
        fn bare(&mut self) -> Result<Bare, String> {
            match self.peek() {
                Some(b'-' | b'0'..=b'9') => self.number(),
                Some(b'"') => self.string(),
                Some(b':') => self.bytes(),
                Some(b'?') => {
                    self.i += 1;
                    let b = match self.peek() {
                        Some(b'1') => true,
                        Some(b'0') => false,
                        _ => return Err("a boolean is ?0 or ?1".into()),
                    };
                    self.i += 1;
                    Ok(Bare::Bool(b))
                }
                Some(c) if c.is_ascii_alphabetic() || c == b'*' => {
                    let start = self.i;
                    self.i += 1;
                    while let Some(c) = self.peek() {
                        if c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(&c) {
                            self.i += 1;
                        } else {
                            break;
                        }
                    }
                    Ok(Bare::Token(
                        String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
                    ))
                }
                _ => Err(format!("an item is expected at offset {}", self.i)),
            }
        }
        fn number(&mut self) -> Result<Bare, String> {
            let start = self.i;
            if self.peek() == Some(b'-') {
                self.i += 1;
            }
            let mut dot = false;
            while let Some(c) = self.peek() {
                if c.is_ascii_digit() {
                    self.i += 1;
                } else if c == b'.' && !dot {
                    dot = true;
                    self.i += 1;
                } else {
                    break;
                }
            }
            let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
            let digits = text.trim_start_matches('-');
            if digits.is_empty() || digits.starts_with('.') || digits.ends_with('.') {
                return Err(format!("'{text}' is not a number"));
            }
            if dot {
                if digits.len() > 16 {
                    return Err("decimal too long".into());
                }
                Ok(Bare::Dec(text))
            } else {
                if digits.len() > 15 {
                    return Err("integer too long".into());
                }
                text.parse()
                    .map(Bare::Int)
                    .map_err(|_| format!("'{text}' is not an integer"))
            }
        }
        fn string(&mut self) -> Result<Bare, String> {
            self.i += 1;
            let mut out = String::new();
            loop {
                match self.peek() {
                    None => return Err("unterminated string".into()),
                    Some(b'\\') => {
                        self.i += 1;
                        match self.peek() {
                            Some(c @ (b'"' | b'\\')) => out.push(char::from(c)),
                            _ => return Err("bad escape in a string".into()),
                        }
                        self.i += 1;
                    }
                    Some(b'"') => {
                        self.i += 1;
                        return Ok(Bare::Str(out));
                    }
                    Some(c) if (0x20..=0x7e).contains(&c) => {
                        out.push(char::from(c));
                        self.i += 1;
                    }
                    Some(_) => return Err("a string holds printable ASCII only".into()),
                }
            }
        }
        fn bytes(&mut self) -> Result<Bare, String> {
            self.i += 1;
            let start = self.i;
            while let Some(c) = self.peek() {
                if c == b':' {
                    let b = B64
                        .decode(&self.s[start..self.i])
                        .map_err(|_| "a byte sequence is not base64".to_string())?;
                    self.i += 1;
                    return Ok(Bare::Bytes(b));
                }
                if !(c.is_ascii_alphanumeric() || b"+/=".contains(&c)) {
                    return Err("a byte sequence is not base64".into());
                }
                self.i += 1;
            }
            Err("unterminated byte sequence".into())
        }
        fn params(&mut self) -> Result<Params, String> {
            let mut out: Params = Vec::new();
            while self.peek() == Some(b';') {
                self.i += 1;
                self.sp();
                let k = self.key()?;
                let v = if self.peek() == Some(b'=') {
                    self.i += 1;
                    self.bare()?
                } else {
                    Bare::Bool(true)
                };
                match out.iter_mut().find(|(kk, _)| *kk == k) {
                    Some(slot) => slot.1 = v,
                    None => out.push((k, v)),
                }
            }
            Ok(out)
        }
        fn item(&mut self) -> Result<Item, String> {
            let bare = self.bare()?;
            let params = self.params()?;
            Ok(Item { bare, params })
        }
        fn member(&mut self) -> Result<Member, String> {
            if self.peek() != Some(b'(') {
                return Ok(Member::Item(self.item()?));
            }
            self.i += 1;
            let mut items = Vec::new();
            loop {
                self.sp();
                if self.peek() == Some(b')') {
                    self.i += 1;
                    let params = self.params()?;
                    return Ok(Member::InnerList(items, params));
                }
                items.push(self.item()?);
                if !matches!(self.peek(), Some(b' ' | b')')) {
                    return Err("an inner list item must be followed by a space or ')'".into());
                }
            }
        }
    }

    /// Parse a dictionary (RFC 8941 §4.2.2), members in order; a repeated key keeps its
    /// first place and its last value.
    pub fn parse_dictionary(input: &str) -> Result<Vec<(String, Member)>, String> {
        let mut p = Parser {
            s: input.as_bytes(),
            i: 0,
        };
        let mut out: Vec<(String, Member)> = Vec::new();
        p.sp();
        if p.peek().is_none() {
            return Ok(out);
        }
        loop {
            let k = p.key()?;
            let m = if p.peek() == Some(b'=') {
                p.i += 1;
                p.member()?
            } else {
                Member::Item(Item {
                    bare: Bare::Bool(true),
                    params: p.params()?,
                })
            };
            match out.iter_mut().find(|(kk, _)| *kk == k) {
                Some(slot) => slot.1 = m,
                None => out.push((k, m)),
            }
            p.ows();
            match p.peek() {
                None => return Ok(out),
                Some(b',') => {
                    p.i += 1;
                    p.ows();
                    if p.peek().is_none() {
                        return Err("a dictionary ends with a comma".into());
                    }
                }
                Some(_) => return Err(format!("unexpected character at offset {}", p.i)),
            }
        }
    }

    pub fn serialize_bare(b: &Bare) -> String {
        match b {
            Bare::Int(i) => i.to_string(),
            Bare::Dec(d) => d.clone(),
            Bare::Str(s) => {
                let mut out = String::with_capacity(s.len() + 2);
                out.push('"');
                for c in s.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
                out
            }
            Bare::Token(t) => t.clone(),
            Bare::Bytes(b) => format!(":{}:", B64.encode(b)),
            Bare::Bool(true) => "?1".into(),
            Bare::Bool(false) => "?0".into(),
        }
    }

    pub fn serialize_params(params: &Params) -> String {
        let mut out = String::new();
        for (k, v) in params {
            out.push(';');
            out.push_str(k);
            if *v != Bare::Bool(true) {
                out.push('=');
                out.push_str(&serialize_bare(v));
            }
        }
        out
    }

    pub fn serialize_item(item: &Item) -> String {
        format!(
            "{}{}",
            serialize_bare(&item.bare),
            serialize_params(&item.params)
        )
    }

    pub fn serialize_inner_list(items: &[Item], params: &Params) -> String {
        let inner: Vec<String> = items.iter().map(serialize_item).collect();
        format!("({}){}", inner.join(" "), serialize_params(params))
    }
}

/// `sha-256=:base64:` of a body, the one member this node sends.
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", B64.encode(Sha256::digest(body)))
}

/// True when a `Content-Digest` names `sha-256` or `sha-512` and every such member matches
/// the body. Other algorithms are ignored; at least one known one must be present.
pub fn content_digest_matches(header: &str, body: &[u8]) -> bool {
    let Ok(dict) = sf::parse_dictionary(header) else {
        return false;
    };
    let mut known = 0;
    for (alg, member) in &dict {
        let sf::Member::Item(sf::Item {
            bare: sf::Bare::Bytes(value),
            ..
        }) = member
        else {
            continue;
        };
        let ok = match alg.as_str() {
            "sha-256" => Sha256::digest(body).as_slice() == value.as_slice(),
            "sha-512" => Sha512::digest(body).as_slice() == value.as_slice(),
            _ => continue,
        };
        if !ok {
            return false;
        }
        known += 1;
    }
    known > 0
}

/// What a signature base is built from: a request as this node received or sends it, or
/// a response (`status`).
pub struct Message<'a> {
    pub method: &'a str,
    /// `http` or `https`.
    pub scheme: &'a str,
    /// `host[:port]`, lowercase, without the scheme's default port.
    pub authority: &'a str,
    /// The request target as received: path and query, never re-encoded.
    pub request_target: &'a str,
    pub headers: &'a HeaderMap,
    /// For a response: its status (`@status`).
    pub status: Option<u16>,
}

impl Message<'_> {
    pub fn target_uri(&self) -> String {
        format!(
            "{}://{}{}",
            self.scheme, self.authority, self.request_target
        )
    }

    fn component(&self, name: &str) -> Result<String, String> {
        let (path, query) = match self.request_target.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (self.request_target, None),
        };
        Ok(match name {
            "@method" => self.method.to_ascii_uppercase(),
            "@target-uri" => self.target_uri(),
            "@authority" => self.authority.to_ascii_lowercase(),
            "@scheme" => self.scheme.to_ascii_lowercase(),
            "@request-target" => self.request_target.to_string(),
            "@path" => {
                if path.is_empty() {
                    "/".to_string()
                } else {
                    path.to_string()
                }
            }
            "@query" => format!("?{}", query.unwrap_or_default()),
            "@status" => match self.status {
                Some(s) => s.to_string(),
                None => return Err("@status is only for responses".into()),
            },
            n if n.starts_with('@') => return Err(format!("the component {n} is not supported")),
            n => {
                if n.bytes().any(|b| b.is_ascii_uppercase()) {
                    return Err(format!("the component name '{n}' must be lowercase"));
                }
                let values: Vec<String> = self
                    .headers
                    .get_all(n)
                    .iter()
                    .map(|v| {
                        v.to_str()
                            .map(|s| s.trim().to_string())
                            .map_err(|_| format!("the header {n} is not text"))
                    })
                    .collect::<Result<_, _>>()?;
                if values.is_empty() {
                    if n == "host" {
                        // HTTP/2 carries the host as :authority.
                        return Ok(self.authority.to_string());
                    }
                    return Err(format!("the signed header {n} is missing"));
                }
                values.join(", ")
            }
        })
    }
}

/// The signature base (RFC 9421 §2.5) of `components` with the serialized signature
/// parameters `params` (what follows the inner list in `Signature-Input`).
pub fn signature_base(
    msg: &Message,
    components: &[sf::Item],
    params: &str,
) -> Result<String, String> {
    let mut out = String::new();
    for c in components {
        let sf::Bare::Str(name) = &c.bare else {
            return Err("a covered component is a string".into());
        };
        if !c.params.is_empty() {
            return Err(format!(
                "the component parameters of \"{name}\" are not supported"
            ));
        }
        let value = msg.component(name)?;
        if value.contains('\n') || value.contains('\r') {
            return Err(format!("the value of {name} holds a line break"));
        }
        out.push_str(&sf::serialize_item(c));
        out.push_str(": ");
        out.push_str(&value);
        out.push('\n');
    }
    let inner: Vec<String> = components.iter().map(sf::serialize_item).collect();
    out.push_str(&format!(
        "\"@signature-params\": ({}){params}",
        inner.join(" ")
    ));
    Ok(out)
}

/// A key to verify with.
pub enum PublicKey<'a> {
    /// SPKI or PKCS#1 DER.
    Rsa(&'a [u8]),
    /// The raw 32 bytes.
    Ed25519(&'a [u8]),
}

/// A key to sign with.
pub enum SigningKey<'a> {
    Rsa(&'a aws_lc_rs::rsa::KeyPair),
    Ed25519(&'a Ed25519KeyPair),
}

impl SigningKey<'_> {
    pub fn alg(&self) -> &'static str {
        match self {
            SigningKey::Rsa(_) => "rsa-v1_5-sha256",
            SigningKey::Ed25519(_) => "ed25519",
        }
    }

    fn sign(&self, data: &[u8]) -> anyhow::Result<Vec<u8>> {
        match self {
            SigningKey::Rsa(k) => {
                let mut sig = vec![0u8; k.public_modulus_len()];
                k.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    data,
                    &mut sig,
                )
                .map_err(|_| anyhow::anyhow!("RSA signing failed"))?;
                Ok(sig)
            }
            SigningKey::Ed25519(k) => Ok(k.sign(data).as_ref().to_vec()),
        }
    }
}

/// How a signature is signed: which components, which parameters.
pub struct SignOptions<'a> {
    pub label: &'a str,
    pub components: &'a [&'a str],
    pub created: i64,
    pub key_id: Option<&'a str>,
    /// Write `alg` into the parameters.
    pub with_alg: bool,
}

/// `Signature-Input` and `Signature` header values for `msg`.
pub fn sign(
    msg: &Message,
    key: &SigningKey,
    opts: &SignOptions,
) -> anyhow::Result<(String, String)> {
    let components: Vec<sf::Item> = opts
        .components
        .iter()
        .map(|c| sf::Item {
            bare: sf::Bare::Str((*c).to_string()),
            params: Vec::new(),
        })
        .collect();
    let mut params: sf::Params = vec![("created".into(), sf::Bare::Int(opts.created))];
    if let Some(k) = opts.key_id {
        params.push(("keyid".into(), sf::Bare::Str(k.to_string())));
    }
    if opts.with_alg {
        params.push(("alg".into(), sf::Bare::Str(key.alg().into())));
    }
    let params_text = sf::serialize_params(&params);
    let base = signature_base(msg, &components, &params_text).map_err(|e| anyhow::anyhow!(e))?;
    let sig = key.sign(base.as_bytes())?;
    Ok((
        format!(
            "{}={}",
            opts.label,
            sf::serialize_inner_list(&components, &params)
        ),
        format!("{}=:{}:", opts.label, B64.encode(sig)),
    ))
}

/// What a verified signature must satisfy.
pub struct Policy<'a> {
    /// Components that must be covered.
    pub required: &'a [&'a str],
    /// `created` may be at most this old (seconds)…
    pub max_age: i64,
    /// …and at most this far ahead.
    pub max_ahead: i64,
    /// An `expires` this far in the past (seconds) is refused.
    pub expires_grace: i64,
    /// `keyid` must be present.
    pub need_key_id: bool,
}

/// Inboxes: Mastodon's and Fedify's rules (an hour each way).
pub const INBOX_POLICY: Policy<'static> = Policy {
    required: &["@method", "@target-uri"],
    max_age: 3600,
    max_ahead: 3600,
    expires_grace: 3600,
    need_key_id: true,
};

/// A parsed, checked signature whose key still has to be found.
#[derive(Debug)]
pub struct Pending {
    pub label: String,
    pub key_id: Option<String>,
    pub alg: Option<String>,
    pub created: i64,
    pub components: Vec<String>,
    base: String,
    signature: Vec<u8>,
}

fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Read and check the RFC 9421 signature of a message: a `Content-Digest` (when `body` is
/// given) that matches the body and is covered, one signature whose parameters are fresh
/// and whose covered components include `policy.required`. Of several signatures, the
/// first that passes these checks is taken.
pub fn parse(
    msg: &Message,
    body: Option<&[u8]>,
    policy: &Policy,
) -> Result<Pending, SignatureError> {
    parse_at(msg, body, policy, now_unix())
}

pub fn parse_at(
    msg: &Message,
    body: Option<&[u8]>,
    policy: &Policy,
    now: i64,
) -> Result<Pending, SignatureError> {
    let input = header_text(msg.headers, "signature-input").ok_or(SignatureError::Missing)?;
    let sigs = header_text(msg.headers, "signature").ok_or_else(|| {
        SignatureError::Malformed("Signature-Input without a Signature header".into())
    })?;
    if let Some(body) = body {
        let ok = header_text(msg.headers, "content-digest")
            .is_some_and(|d| content_digest_matches(&d, body));
        if !ok {
            return Err(SignatureError::ContentDigest);
        }
    }
    let inputs = sf::parse_dictionary(&input)
        .map_err(|e| SignatureError::Malformed(format!("Signature-Input: {e}")))?;
    let sigs = sf::parse_dictionary(&sigs)
        .map_err(|e| SignatureError::Malformed(format!("Signature: {e}")))?;
    let mut first_err = None;
    for (label, member) in &inputs {
        match check_one(msg, body.is_some(), policy, now, label, member, &sigs) {
            Ok(p) => return Ok(p),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or_else(|| SignatureError::Malformed("Signature-Input is empty".into())))
}

fn check_one(
    msg: &Message,
    has_body: bool,
    policy: &Policy,
    now: i64,
    label: &str,
    member: &sf::Member,
    sigs: &[(String, sf::Member)],
) -> Result<Pending, SignatureError> {
    let sf::Member::InnerList(items, params) = member else {
        return Err(SignatureError::Malformed(format!(
            "Signature-Input {label} is not an inner list"
        )));
    };
    let signature = sigs
        .iter()
        .find(|(l, _)| l == label)
        .and_then(|(_, m)| match m {
            sf::Member::Item(sf::Item {
                bare: sf::Bare::Bytes(b),
                ..
            }) => Some(b.clone()),
            _ => None,
        })
        .ok_or_else(|| SignatureError::Malformed(format!("no Signature for label {label}")))?;
    let mut components = Vec::new();
    for it in items {
        match &it.bare {
            sf::Bare::Str(s) => components.push(s.clone()),
            _ => {
                return Err(SignatureError::Malformed(
                    "a covered component is not a string".into(),
                ));
            }
        }
    }
    let param = |k: &str| params.iter().find(|(kk, _)| kk == k).map(|(_, v)| v);
    let created = match param("created") {
        Some(sf::Bare::Int(c)) => *c,
        _ => {
            return Err(SignatureError::Malformed(
                "the signature has no 'created' parameter".into(),
            ));
        }
    };
    if created < now - policy.max_age || created > now + policy.max_ahead {
        return Err(SignatureError::StaleCreated);
    }
    match param("expires") {
        None => {}
        Some(sf::Bare::Int(e)) if *e + policy.expires_grace >= now => {}
        Some(_) => return Err(SignatureError::StaleCreated),
    }
    let key_id = match param("keyid") {
        Some(sf::Bare::Str(k)) => Some(k.clone()),
        None => None,
        Some(_) => return Err(SignatureError::Malformed("keyid is not a string".into())),
    };
    if policy.need_key_id && key_id.is_none() {
        return Err(SignatureError::Malformed(
            "the signature has no 'keyid' parameter".into(),
        ));
    }
    let alg = match param("alg") {
        Some(sf::Bare::Str(a)) => {
            if a != "rsa-v1_5-sha256" && a != "ed25519" {
                return Err(SignatureError::Algorithm(a.clone()));
            }
            Some(a.clone())
        }
        None => None,
        Some(_) => return Err(SignatureError::Malformed("alg is not a string".into())),
    };
    let mut required: Vec<&str> = policy.required.to_vec();
    if has_body {
        required.push("content-digest");
    }
    for r in required {
        if !components.iter().any(|c| c == r) {
            return Err(SignatureError::Malformed(format!(
                "the signature must cover \"{r}\""
            )));
        }
    }
    let params_text = sf::serialize_params(params);
    let base = signature_base(msg, items, &params_text).map_err(SignatureError::Malformed)?;
    Ok(Pending {
        label: label.to_string(),
        key_id,
        alg,
        created,
        components,
        base,
        signature,
    })
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

impl Pending {
    /// The signature base that was (or should have been) signed.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Verify with `key`; an `alg` that does not fit the key fails.
    pub fn verify(&self, key: &PublicKey) -> bool {
        match key {
            PublicKey::Rsa(der) => {
                if self.alg.as_deref().is_some_and(|a| a != "rsa-v1_5-sha256") {
                    return false;
                }
                UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, der)
                    .verify(self.base.as_bytes(), &self.signature)
                    .is_ok()
            }
            PublicKey::Ed25519(raw) => {
                if self.alg.as_deref().is_some_and(|a| a != "ed25519") {
                    return false;
                }
                UnparsedPublicKey::new(&signature::ED25519, raw)
                    .verify(self.base.as_bytes(), &self.signature)
                    .is_ok()
            }
        }
    }

    /// Verify with an RSA public key in PEM.
    pub fn verify_rsa_pem(&self, pem: &str) -> bool {
        super::signatures::pem_decode(pem).is_some_and(|der| self.verify(&PublicKey::Rsa(&der)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    /// RFC 9421 Appendix B.1.4, test-key-ed25519 (PKCS#8 and SPKI).
    const ED_PRIVATE: &str = "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF";
    const ED_PUBLIC: &str = "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=";

    /// The test-request of RFC 9421 Appendix B.2.
    fn test_request_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_static("example.com"));
        h.insert(
            "date",
            HeaderValue::from_static("Tue, 20 Apr 2021 02:07:55 GMT"),
        );
        h.insert("content-type", HeaderValue::from_static("application/json"));
        h.insert(
            "content-digest",
            HeaderValue::from_static(
                "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
            ),
        );
        h.insert("content-length", HeaderValue::from_static("18"));
        h
    }

    fn test_request(headers: &HeaderMap) -> Message<'_> {
        Message {
            method: "POST",
            scheme: "https",
            authority: "example.com",
            request_target: "/foo?param=Value&Pet=dog",
            headers,
            status: None,
        }
    }

    fn ed_key() -> Ed25519KeyPair {
        Ed25519KeyPair::from_pkcs8(&B64.decode(ED_PRIVATE).unwrap()).unwrap()
    }

    fn ed_public_raw() -> Vec<u8> {
        B64.decode(ED_PUBLIC).unwrap()[12..].to_vec()
    }

    const B26_SIGNATURE: &str =
        "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==";

    #[test]
    fn b_2_6_ed25519_signature_base_and_signature_match_the_rfc() {
        let headers = test_request_headers();
        let msg = test_request(&headers);
        let (input, sig) = sign(
            &msg,
            &SigningKey::Ed25519(&ed_key()),
            &SignOptions {
                label: "sig-b26",
                components: &[
                    "date",
                    "@method",
                    "@path",
                    "@authority",
                    "content-type",
                    "content-length",
                ],
                created: 1618884473,
                key_id: Some("test-key-ed25519"),
                with_alg: false,
            },
        )
        .unwrap();
        assert_eq!(
            input,
            r#"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#
        );
        assert_eq!(sig, format!("sig-b26=:{B26_SIGNATURE}:"));
    }

    #[test]
    fn b_2_6_is_verified_from_its_headers_and_a_changed_byte_fails() {
        let mut headers = test_request_headers();
        headers.insert(
            "signature-input",
            HeaderValue::from_static(
                r#"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#,
            ),
        );
        headers.insert(
            "signature",
            HeaderValue::from_str(&format!("sig-b26=:{B26_SIGNATURE}:")).unwrap(),
        );
        let policy = Policy {
            required: &["@method", "@authority"],
            max_age: 3600,
            max_ahead: 3600,
            expires_grace: 3600,
            need_key_id: true,
        };
        let msg = test_request(&headers);
        let pending = parse_at(&msg, None, &policy, 1618884473 + 10).unwrap();
        assert_eq!(
            pending.base(),
            "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@method\": POST\n\"@path\": /foo\n\
             \"@authority\": example.com\n\"content-type\": application/json\n\
             \"content-length\": 18\n\"@signature-params\": (\"date\" \"@method\" \"@path\" \
             \"@authority\" \"content-type\" \"content-length\");created=1618884473\
             ;keyid=\"test-key-ed25519\""
        );
        assert_eq!(pending.key_id.as_deref(), Some("test-key-ed25519"));
        let raw = ed_public_raw();
        assert!(pending.verify(&PublicKey::Ed25519(&raw)));
        // An RSA key never verifies an Ed25519 signature.
        let rsa = super::super::signatures::generate_keypair().unwrap();
        assert!(!pending.verify_rsa_pem(&rsa.public_pem));

        // One byte of a covered header changed.
        headers.insert("content-length", HeaderValue::from_static("19"));
        let msg = test_request(&headers);
        let pending = parse_at(&msg, None, &policy, 1618884473 + 10).unwrap();
        assert!(!pending.verify(&PublicKey::Ed25519(&raw)));
        // Two hours later the same signature is stale.
        let err = parse_at(&msg, None, &policy, 1618884473 + 7200).unwrap_err();
        assert!(matches!(err, SignatureError::StaleCreated), "{err:?}");
    }

    #[test]
    fn rfc_9530_content_digest() {
        // RFC 9530 §2: the body {"hello": "world"} of RFC 9421's test request.
        let body = br#"{"hello": "world"}"#;
        assert_eq!(
            content_digest(body),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
        );
        let headers = test_request_headers();
        let sha512 = headers["content-digest"].to_str().unwrap();
        assert!(content_digest_matches(sha512, body));
        assert!(content_digest_matches(
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, md5=:AAAA:",
            body
        ));
        assert!(!content_digest_matches(sha512, br#"{"hello": "World"}"#));
        assert!(!content_digest_matches("md5=:AAAA:", body));
        assert!(!content_digest_matches(
            "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
            body
        ));
    }

    #[test]
    fn rsa_round_trip_with_content_digest_and_what_must_be_covered() {
        let kp = super::super::signatures::generate_keypair().unwrap();
        let der = super::super::signatures::pem_decode(&kp.private_pem).unwrap();
        let rsa = aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).unwrap();
        let body = br#"{"type":"Follow"}"#;
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-digest",
            HeaderValue::from_str(&content_digest(body)).unwrap(),
        );
        let now = now_unix();
        let sign_with = |headers: &mut HeaderMap, components: &[&str]| {
            let msg = Message {
                method: "POST",
                scheme: "https",
                authority: "dir.example",
                request_target: "/inbox?a=b+c",
                headers,
                status: None,
            };
            let (i, s) = sign(
                &msg,
                &SigningKey::Rsa(&rsa),
                &SignOptions {
                    label: "sig1",
                    components,
                    created: now,
                    key_id: Some("https://a.example/actors/x#main-key"),
                    with_alg: true,
                },
            )
            .unwrap();
            headers.insert("signature-input", HeaderValue::from_str(&i).unwrap());
            headers.insert("signature", HeaderValue::from_str(&s).unwrap());
        };
        sign_with(&mut headers, &["@method", "@target-uri", "content-digest"]);
        fn msg<'a>(h: &'a HeaderMap, authority: &'static str) -> Message<'a> {
            Message {
                method: "POST",
                scheme: "https",
                authority,
                request_target: "/inbox?a=b+c",
                headers: h,
                status: None,
            }
        }
        let p = parse(&msg(&headers, "dir.example"), Some(body), &INBOX_POLICY).unwrap();
        assert!(p.verify_rsa_pem(&kp.public_pem));
        assert_eq!(p.alg.as_deref(), Some("rsa-v1_5-sha256"));
        // Received by another host: the target URI differs.
        let p = parse(&msg(&headers, "other.example"), Some(body), &INBOX_POLICY).unwrap();
        assert!(!p.verify_rsa_pem(&kp.public_pem));
        // Another body: refused before any key is needed.
        let err = parse(&msg(&headers, "dir.example"), Some(b"{}"), &INBOX_POLICY).unwrap_err();
        assert!(matches!(err, SignatureError::ContentDigest), "{err:?}");
        // A signature that does not cover the digest is refused.
        sign_with(&mut headers, &["@method", "@target-uri"]);
        let err = parse(&msg(&headers, "dir.example"), Some(body), &INBOX_POLICY).unwrap_err();
        assert!(matches!(err, SignatureError::Malformed(_)), "{err:?}");
        // Nor one without the target.
        sign_with(&mut headers, &["@method", "content-digest"]);
        let err = parse(&msg(&headers, "dir.example"), Some(body), &INBOX_POLICY).unwrap_err();
        assert!(matches!(err, SignatureError::Malformed(_)), "{err:?}");
    }

    #[test]
    fn structured_fields_parse_and_serialize() {
        let d = sf::parse_dictionary(
            r#"sig1=("@method" "@target-uri");created=1;keyid="a\"b";alg="ed25519", x=?0, y=:AQID:, z"#,
        )
        .unwrap();
        assert_eq!(d.len(), 4);
        let sf::Member::InnerList(items, params) = &d[0].1 else {
            panic!()
        };
        assert_eq!(
            sf::serialize_inner_list(items, params),
            r#"("@method" "@target-uri");created=1;keyid="a\"b";alg="ed25519""#
        );
        assert_eq!(
            d[2].1,
            sf::Member::Item(sf::Item {
                bare: sf::Bare::Bytes(vec![1, 2, 3]),
                params: vec![]
            })
        );
        assert!(sf::parse_dictionary("a=1,").is_err());
        assert!(sf::parse_dictionary("A=1").is_err());
        assert!(sf::parse_dictionary(r#"a=("x""y")"#).is_err());
    }
}
