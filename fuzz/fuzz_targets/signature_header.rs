//! The inbox's first reading of a request: `Signature`, `Digest` and `Date` headers of any
//! shape must be refused or accepted, never crash.
#![no_main]

use coopdir::federation::signatures::{PendingSignature, digest_matches};
use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\n');
    let signature = parts.next().unwrap_or_default();
    let digest = parts.next().unwrap_or_default();
    let date = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default().as_bytes();
    let _ = digest_matches(digest, body);
    let mut headers = HeaderMap::new();
    for (name, value) in [("signature", signature), ("digest", digest), ("date", date), ("host", "node.example")] {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    }
    for method in [Method::POST, Method::GET] {
        let body = (method == Method::POST).then_some(body);
        if let Ok(sig) = PendingSignature::parse(&method, "/inbox", &headers, body, "node.example") {
            let _ = sig.key_owner();
            let _ = sig.verify("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        }
    }
});
