//! HTTP signatures (draft-cavage, the form Mastodon speaks) with RSA from aws-lc-rs:
//! constant-time and several times faster than the `rsa` crate the federation library
//! uses internally (RUSTSEC-2023-0071). `http-signature-normalization` builds and parses
//! the signing strings; this module only signs, verifies and checks the Digest and Date.

use aws_lc_rs::{
    rand::SystemRandom,
    rsa::KeyPair,
    signature::{self, UnparsedPublicKey},
};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use http::{HeaderMap, HeaderValue};
use http_signature_normalization::Config;
use sha2::{Digest, Sha256};
use std::{
    collections::BTreeMap,
    sync::LazyLock,
    time::{Duration, SystemTime},
};
use url::Url;

/// Signatures older or newer than this are refused (Mastodon allows about an hour of skew).
pub const MAX_SKEW: Duration = Duration::from_secs(3600);

pub use crate::crypto::{KeyPairPem, generate_keypair};

/// The DER inside a PEM block (any label: SPKI, PKCS#1 and PKCS#8 are all accepted by
/// aws-lc-rs where they fit).
pub fn pem_decode(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && !l.is_empty())
        .collect();
    B64.decode(body).ok()
}

/// A parsed private key with its `keyId`, ready to sign many requests.
pub struct Signer {
    key: KeyPair,
    key_id: String,
}

static SIGN_CONFIG: LazyLock<Config> = LazyLock::new(|| Config::new().mastodon_compat());

impl Signer {
    pub fn from_pem(private_pem: &str, key_id: String) -> anyhow::Result<Self> {
        let der =
            pem_decode(private_pem).ok_or_else(|| anyhow::anyhow!("private key is not PEM"))?;
        let key =
            KeyPair::from_pkcs8(&der).map_err(|e| anyhow::anyhow!("private key rejected: {e}"))?;
        Ok(Signer { key, key_id })
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    fn sign_string(&self, s: &str) -> anyhow::Result<String> {
        let mut sig = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                s.as_bytes(),
                &mut sig,
            )
            .map_err(|_| anyhow::anyhow!("RSA signing failed"))?;
        Ok(B64.encode(sig))
    }

    /// Headers for a signed POST of `body` to `url`: Host, Date, Digest, Content-Type and
    /// Signature over `(request-target) host date digest content-type`.
    pub fn sign_post(
        &self,
        url: &Url,
        body: &[u8],
        content_type: &str,
    ) -> anyhow::Result<HeaderMap> {
        self.sign_post_digest(url, &digest_header(body), content_type)
    }

    /// [`Self::sign_post`] with the body's `Digest` header already computed
    /// ([`digest_header`]): a fan-out sends one body to many inboxes and hashes it once.
    pub fn sign_post_digest(
        &self,
        url: &Url,
        digest: &str,
        content_type: &str,
    ) -> anyhow::Result<HeaderMap> {
        let mut fields = BTreeMap::new();
        fields.insert("host".to_string(), host_header(url));
        fields.insert(
            "date".to_string(),
            httpdate::fmt_http_date(SystemTime::now()),
        );
        fields.insert("digest".to_string(), digest.to_string());
        fields.insert("content-type".to_string(), content_type.to_string());
        self.sign(http::Method::POST, url, fields)
    }

    /// Headers for a POST of `body` to `url` signed with an RFC 9421 HTTP Message
    /// Signature (`rsa-v1_5-sha256`, this actor's RSA key): Date, Content-Type,
    /// Content-Digest, Signature-Input and Signature over `@method`, `@target-uri`,
    /// `@authority`, `content-type` and `content-digest`.
    pub fn sign_post_rfc9421(
        &self,
        url: &Url,
        body: &[u8],
        content_type: &str,
    ) -> anyhow::Result<HeaderMap> {
        self.sign_post_rfc9421_at(url, body, content_type, chrono::Utc::now().timestamp())
    }

    /// [`Self::sign_post_rfc9421`] with a given `created` (Unix seconds).
    pub fn sign_post_rfc9421_at(
        &self,
        url: &Url,
        body: &[u8],
        content_type: &str,
        created: i64,
    ) -> anyhow::Result<HeaderMap> {
        let mut headers = HeaderMap::new();
        headers.insert(
            "date",
            HeaderValue::from_str(&httpdate::fmt_http_date(SystemTime::now()))?,
        );
        headers.insert("content-type", HeaderValue::from_str(content_type)?);
        headers.insert(
            "content-digest",
            HeaderValue::from_str(&super::rfc9421::content_digest(body))?,
        );
        let authority = host_header(url);
        let target = path_and_query(url);
        let msg = super::rfc9421::Message {
            method: "POST",
            scheme: url.scheme(),
            authority: &authority,
            request_target: &target,
            headers: &headers,
            status: None,
        };
        let (input, sig) = super::rfc9421::sign(
            &msg,
            &super::rfc9421::SigningKey::Rsa(&self.key),
            &super::rfc9421::SignOptions {
                label: "sig1",
                components: &[
                    "@method",
                    "@target-uri",
                    "@authority",
                    "content-type",
                    "content-digest",
                ],
                created,
                key_id: Some(&self.key_id),
                with_alg: true,
            },
        )?;
        headers.insert("signature-input", HeaderValue::from_str(&input)?);
        headers.insert("signature", HeaderValue::from_str(&sig)?);
        Ok(headers)
    }

    /// Headers for a signed GET of `url` (authorized fetch).
    pub fn sign_get(&self, url: &Url) -> anyhow::Result<HeaderMap> {
        let mut fields = BTreeMap::new();
        fields.insert("host".to_string(), host_header(url));
        fields.insert(
            "date".to_string(),
            httpdate::fmt_http_date(SystemTime::now()),
        );
        self.sign(http::Method::GET, url, fields)
    }

    fn sign(
        &self,
        method: http::Method,
        url: &Url,
        fields: BTreeMap<String, String>,
    ) -> anyhow::Result<HeaderMap> {
        let path = path_and_query(url);
        let unsigned = SIGN_CONFIG
            .begin_sign(method.as_str(), &path, fields.clone())
            .map_err(|e| anyhow::anyhow!("cannot build signing string: {e}"))?;
        let signed = unsigned.sign(self.key_id.clone(), |s| self.sign_string(s))?;
        let mut headers = HeaderMap::new();
        for (k, v) in fields {
            if k == "host" {
                // reqwest sets Host from the URL; the signed value is the same string.
                continue;
            }
            headers.insert(
                http::HeaderName::from_bytes(k.as_bytes())?,
                HeaderValue::from_str(&v)?,
            );
        }
        headers.insert(
            "signature",
            HeaderValue::from_str(&signed.signature_header())?,
        );
        Ok(headers)
    }
}

pub fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// `SHA-256=base64(sha256(body))`.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", B64.encode(Sha256::digest(body)))
}

/// True when a `Digest` header names SHA-256 and matches the body. Other algorithms in
/// the list are ignored; SHA-256 must be present.
pub fn digest_matches(header: &str, body: &[u8]) -> bool {
    let expected = B64.encode(Sha256::digest(body));
    header.split(',').any(|part| {
        let mut kv = part.trim().splitn(2, '=');
        let alg = kv.next().unwrap_or_default();
        let value = kv.next().unwrap_or_default();
        alg.eq_ignore_ascii_case("sha-256") && value == expected
    })
}

/// Why a signature was refused; each maps to 401.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    #[error("the request carries no HTTP signature; sign it (draft-cavage, rsa-sha256)")]
    Missing,
    #[error("the HTTP signature cannot be read: {0}")]
    Malformed(String),
    #[error("the Digest header is missing or does not match the body")]
    Digest,
    #[error(
        "the Content-Digest header is missing, unreadable or does not match the body; send sha-256=:base64: of the body"
    )]
    ContentDigest,
    #[error(
        "the signature's 'created' is missing or more than an hour away from now, or it has expired; sign again with a fresh 'created'"
    )]
    StaleCreated,
    #[error(
        "the request's Date is missing or more than an hour away from now; sign a fresh Date header"
    )]
    Stale,
    #[error(
        "the signature algorithm '{0}' is not supported; use rsa-sha256 or hs2019 with an RSA key"
    )]
    Algorithm(String),
    #[error("the signature does not verify with the key of {0}")]
    Invalid(String),
    #[error(
        "the request is signed for the host '{signed}', but this node is '{ours}'; a request \
         signed for another server is not accepted here: sign this node's Host header"
    )]
    WrongHost { signed: String, ours: String },
}

/// A parsed, time-checked signature whose key still has to be found.
pub struct PendingSignature {
    unverified: http_signature_normalization::verify::Unverified,
}

/// What a signature must cover: the request target (method and path), the host and the
/// date, and for a POST the digest of the body, so that it can be replayed neither
/// elsewhere, nor later, nor with another body.
static VERIFY_POST: LazyLock<Config> = LazyLock::new(|| {
    Config::new()
        .set_expiration(MAX_SKEW)
        .require_digest()
        .require_header("(request-target)")
        .require_header("host")
        .require_header("date")
});
static VERIFY_GET: LazyLock<Config> = LazyLock::new(|| {
    Config::new()
        .set_expiration(MAX_SKEW)
        .require_header("(request-target)")
        .require_header("host")
        .require_header("date")
});

impl PendingSignature {
    /// Parse the `Signature` header of a request and check that the signed headers are
    /// present, the Digest (for POST) matches `body`, the Date is within [`MAX_SKEW`] and
    /// the Host is `host`, this node's own (`host[:port]` of its public URL): a request
    /// signed for another server cannot be replayed here within the Date window. `host`
    /// also stands in for a Host header that is absent (HTTP/2 carries `:authority`).
    pub fn parse(
        method: &http::Method,
        path_and_query: &str,
        headers: &HeaderMap,
        body: Option<&[u8]>,
        host: &str,
    ) -> Result<Self, SignatureError> {
        if !headers.contains_key("signature") {
            return Err(SignatureError::Missing);
        }
        if let Some(body) = body {
            let ok = headers
                .get("digest")
                .and_then(|d| d.to_str().ok())
                .is_some_and(|d| digest_matches(d, body));
            if !ok {
                return Err(SignatureError::Digest);
            }
        }
        let date_ok = headers
            .get("date")
            .and_then(|d| d.to_str().ok())
            .is_some_and(|d| httpdate::parse_http_date(d).is_ok_and(within_skew));
        if !date_ok {
            return Err(SignatureError::Stale);
        }
        let mut map = BTreeMap::new();
        for (name, value) in headers {
            if let Ok(v) = value.to_str() {
                map.insert(name.as_str().to_string(), v.to_string());
            }
        }
        let signed_host = map
            .entry("host".to_string())
            .or_insert_with(|| host.to_string());
        if !same_host(signed_host, host) {
            return Err(SignatureError::WrongHost {
                signed: signed_host.chars().take(200).collect(),
                ours: host.to_string(),
            });
        }
        let config = if body.is_some() {
            &*VERIFY_POST
        } else {
            &*VERIFY_GET
        };
        let unverified = config
            .begin_verify(method.as_str(), path_and_query, map)
            .map_err(|e| match e {
                http_signature_normalization::PrepareVerifyError::Validate(_) => {
                    SignatureError::Stale
                }
                other => SignatureError::Malformed(other.to_string()),
            })?;
        if let Some(alg) = unverified.algorithm() {
            use http_signature_normalization::verify::{Algorithm, DeprecatedAlgorithm};
            match alg {
                Algorithm::Hs2019 | Algorithm::Deprecated(DeprecatedAlgorithm::RsaSha256) => {}
                other => return Err(SignatureError::Algorithm(format!("{other:?}"))),
            }
        }
        Ok(PendingSignature { unverified })
    }

    pub fn key_id(&self) -> &str {
        self.unverified.key_id()
    }

    /// The actor that owns the key: the key id without its fragment.
    pub fn key_owner(&self) -> Result<Url, SignatureError> {
        let mut url = Url::parse(self.key_id()).map_err(|_| {
            SignatureError::Malformed(format!("keyId '{}' is not a URL", self.key_id()))
        })?;
        url.set_fragment(None);
        Ok(url)
    }

    /// Verify against an RSA public key in PEM (SPKI or PKCS#1).
    pub fn verify(&self, public_pem: &str) -> bool {
        let Some(der) = pem_decode(public_pem) else {
            return false;
        };
        self.unverified.verify(|sig, signing_string| {
            let Ok(sig) = B64.decode(sig) else {
                return false;
            };
            UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &der)
                .verify(signing_string.as_bytes(), &sig)
                .is_ok()
        })
    }
}

/// True when a Host header names `ours` (`host[:port]`, as in the node's domain): compared
/// without case, without a trailing dot, and with the scheme's default port allowed.
pub fn same_host(header: &str, ours: &str) -> bool {
    let norm = |h: &str| {
        let h = h.trim().to_ascii_lowercase();
        let (name, port) = match h.rsplit_once(':') {
            Some((n, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                (n.to_string(), Some(p.to_string()))
            }
            _ => (h.clone(), None),
        };
        let name = name.trim_end_matches('.').to_string();
        let port = port.filter(|p| p != "443" && p != "80");
        (name, port)
    };
    norm(header) == norm(ours)
}

fn within_skew(t: SystemTime) -> bool {
    let now = SystemTime::now();
    let diff = now
        .duration_since(t)
        .or_else(|_| t.duration_since(now))
        .unwrap_or_default();
    diff <= MAX_SKEW
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_then_verify_and_detect_tampering() {
        let kp = generate_keypair().unwrap();
        let signer =
            Signer::from_pem(&kp.private_pem, "http://a.example/actors/x#main-key".into()).unwrap();
        let url = Url::parse("http://b.example:8080/inbox?x=1").unwrap();
        let body = br#"{"type":"Follow"}"#;
        let mut headers = signer
            .sign_post(&url, body, "application/activity+json")
            .unwrap();
        headers.insert("host", HeaderValue::from_static("b.example:8080"));
        let sig = PendingSignature::parse(
            &http::Method::POST,
            "/inbox?x=1",
            &headers,
            Some(body),
            "b.example:8080",
        )
        .unwrap();
        assert_eq!(
            sig.key_owner().unwrap().as_str(),
            "http://a.example/actors/x"
        );
        assert!(sig.verify(&kp.public_pem));
        let other = generate_keypair().unwrap();
        assert!(!sig.verify(&other.public_pem));

        // One byte changed in the body: the Digest no longer matches.
        let err = PendingSignature::parse(
            &http::Method::POST,
            "/inbox?x=1",
            &headers,
            Some(b"{\"type\":\"FolloW\"}"),
            "b",
        )
        .err()
        .unwrap();
        assert!(matches!(err, SignatureError::Digest));
        // Another path: the signature no longer verifies.
        let sig = PendingSignature::parse(
            &http::Method::POST,
            "/other",
            &headers,
            Some(body),
            "b.example:8080",
        )
        .unwrap();
        assert!(!sig.verify(&kp.public_pem));
    }

    #[test]
    fn a_signature_must_cover_target_host_date_and_digest() {
        let kp = generate_keypair().unwrap();
        let signer = Signer::from_pem(&kp.private_pem, "http://a.example/x#k".into()).unwrap();
        let body = b"{}";
        let digest = digest_header(body);
        // A valid signature over host and digest only: no Date, no request target.
        let signing_string = format!("host: b.example\ndigest: {digest}");
        let sig = signer.sign_string(&signing_string).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("digest", HeaderValue::from_str(&digest).unwrap());
        headers.insert("host", HeaderValue::from_static("b.example"));
        let header = format!(
            r#"keyId="http://a.example/x#k",algorithm="rsa-sha256",headers="host digest",signature="{sig}""#
        );
        headers.insert("signature", HeaderValue::from_str(&header).unwrap());
        let err = PendingSignature::parse(
            &http::Method::POST,
            "/inbox",
            &headers,
            Some(body),
            "b.example",
        )
        .err();
        assert!(matches!(err, Some(SignatureError::Stale)), "{err:?}");
        // With a fresh Date that is not signed, the request target is still missing.
        headers.insert(
            "date",
            HeaderValue::from_str(&httpdate::fmt_http_date(SystemTime::now())).unwrap(),
        );
        let err = PendingSignature::parse(
            &http::Method::POST,
            "/inbox",
            &headers,
            Some(body),
            "b.example",
        )
        .err();
        assert!(matches!(err, Some(SignatureError::Malformed(_))), "{err:?}");
    }

    #[test]
    fn the_signed_host_must_be_ours() {
        assert!(same_host("Dir.Example.org.", "dir.example.org"));
        assert!(same_host("dir.example.org:443", "dir.example.org"));
        assert!(same_host("localhost:8080", "localhost:8080"));
        assert!(same_host("[::1]:8080", "[::1]:8080"));
        assert!(!same_host("localhost:8081", "localhost:8080"));
        assert!(!same_host("other.example", "dir.example.org"));
        let kp = generate_keypair().unwrap();
        let signer = Signer::from_pem(&kp.private_pem, "http://a.example/x#k".into()).unwrap();
        let url = Url::parse("http://other.example/inbox").unwrap();
        let mut headers = signer
            .sign_post(&url, b"{}", "application/activity+json")
            .unwrap();
        headers.insert("host", HeaderValue::from_static("other.example"));
        let err = PendingSignature::parse(
            &http::Method::POST,
            "/inbox",
            &headers,
            Some(b"{}"),
            "b.example",
        )
        .err();
        assert!(
            matches!(err, Some(SignatureError::WrongHost { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn stale_dates_are_refused() {
        let kp = generate_keypair().unwrap();
        let signer = Signer::from_pem(&kp.private_pem, "http://a.example/x#k".into()).unwrap();
        let url = Url::parse("http://b.example/inbox").unwrap();
        let mut headers = signer
            .sign_post(&url, b"{}", "application/activity+json")
            .unwrap();
        let old = SystemTime::now() - Duration::from_secs(7200);
        headers.insert(
            "date",
            HeaderValue::from_str(&httpdate::fmt_http_date(old)).unwrap(),
        );
        let err = PendingSignature::parse(
            &http::Method::POST,
            "/inbox",
            &headers,
            Some(b"{}"),
            "b.example",
        )
        .err()
        .unwrap();
        assert!(matches!(err, SignatureError::Stale));
    }
}
