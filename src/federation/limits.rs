//! Limits on what a remote host may make this node store and do: length caps on every
//! string of an incoming activity, checked before anything is written, and a per-host
//! quota of inbox requests and bytes per minute (docs/federation.md#limits).

use crate::{config::InboxLimits, db::entities::caps, federation::error::InboxError};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::{collections::HashMap, sync::Mutex};

/// Keys whose values are ids or URLs (or objects and lists of them): at most [`caps::URL`]
/// bytes each. Every other string may have up to [`caps::TEXT`] bytes.
const URL_KEYS: [&str; 31] = [
    "@context",
    "id",
    "@id",
    "actor",
    "object",
    "target",
    "origin",
    "instrument",
    "result",
    "inReplyTo",
    "attributedTo",
    "context",
    "conversation",
    "to",
    "cc",
    "bto",
    "bcc",
    "audience",
    "href",
    "url",
    "inbox",
    "outbox",
    "followers",
    "following",
    "featured",
    "sharedInbox",
    "movedTo",
    "alsoKnownAs",
    "owner",
    "replies",
    "quoteUrl",
];

/// Refuse an activity with an id, URL or text longer than the caps: 400 naming the field,
/// before the activity is verified or anything is stored.
pub fn check_caps(activity: &Value) -> Result<(), InboxError> {
    let mut path = String::new();
    walk(activity, false, &mut path)
}

fn walk(v: &Value, url: bool, path: &mut String) -> Result<(), InboxError> {
    match v {
        Value::String(s) => {
            let cap = if url { caps::URL } else { caps::TEXT };
            if s.len() > cap {
                let what = if url { "ids and URLs" } else { "texts" };
                let at = if path.is_empty() {
                    "the activity"
                } else {
                    path
                };
                return Err(InboxError::Malformed(format!(
                    "{at} is {} bytes long; {what} in an activity are limited to {cap} bytes",
                    s.len()
                )));
            }
            Ok(())
        }
        Value::Array(items) => {
            let len = path.len();
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                walk(item, url, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(map) => {
            let len = path.len();
            for (k, item) in map {
                if k.len() > caps::URL {
                    return Err(InboxError::Malformed(format!(
                        "a key of {} bytes in the activity; keys are limited to {} bytes",
                        k.len(),
                        caps::URL
                    )));
                }
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(item, URL_KEYS.contains(&k.as_str()), path)?;
                path.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Requests and bytes of one host in the current minute.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: DateTime<Utc>,
    requests: u32,
    bytes: u64,
}

/// Per-host quota of inbox requests and body bytes per minute, in this process (each node
/// process of a PostgreSQL deployment counts its own). A fixed window per host: it starts
/// with the host's first request and lasts a minute; what comes beyond the quota is
/// answered 429 with `Retry-After` (the seconds until the window ends), which senders
/// treat as "retry later", so nothing is lost.
#[derive(Debug, Default)]
pub struct HostQuota {
    windows: Mutex<HashMap<String, Window>>,
}

/// Hosts remembered before finished windows are swept.
const SWEEP_AT: usize = 10_000;

impl HostQuota {
    /// The seconds to wait when `host` has used up its quota; no charge. Cheap: run before
    /// a signature is verified.
    pub fn exhausted(&self, host: &str, now: DateTime<Utc>, limits: &InboxLimits) -> Option<u64> {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let w = windows.get(host).filter(|w| current(w, now))?;
        (w.requests >= limits.requests_per_minute || w.bytes >= limits.bytes_per_minute)
            .then(|| retry_after(w, now))
    }

    /// Count one request of `bytes` from `host`, or refuse it (with the seconds to wait)
    /// when it would go beyond the quota. Check and charge are one step, so concurrent
    /// requests cannot all slip under the limit.
    pub fn charge(
        &self,
        host: &str,
        bytes: u64,
        now: DateTime<Utc>,
        limits: &InboxLimits,
    ) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, w| current(w, now));
        }
        let w = windows.entry(host.to_string()).or_insert(Window {
            start: now,
            requests: 0,
            bytes: 0,
        });
        if !current(w, now) {
            *w = Window {
                start: now,
                requests: 0,
                bytes: 0,
            };
        }
        if w.requests >= limits.requests_per_minute
            || w.bytes.saturating_add(bytes) > limits.bytes_per_minute
        {
            return Err(retry_after(w, now));
        }
        w.requests += 1;
        w.bytes = w.bytes.saturating_add(bytes);
        Ok(())
    }
}

fn current(w: &Window, now: DateTime<Utc>) -> bool {
    now < w.start + chrono::Duration::seconds(60)
}

fn retry_after(w: &Window, now: DateTime<Utc>) -> u64 {
    let left = (w.start + chrono::Duration::seconds(60) - now).num_milliseconds();
    u64::try_from((left + 999) / 1000).unwrap_or(1).clamp(1, 60)
}

/// The 429 of an exhausted quota.
pub fn too_many(host: &str, limits: &InboxLimits, wait: u64) -> InboxError {
    InboxError::RateLimited(
        format!(
            "{host} sent more than {} inbox requests or {} bytes within a minute; retry in {wait} s",
            limits.requests_per_minute, limits.bytes_per_minute
        ),
        wait,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_ids_and_texts_are_refused_with_their_place() {
        let ok = json!({"id": "https://a.example/1", "content": "x".repeat(50_000)});
        assert!(check_caps(&ok).is_ok());
        let long_id = json!({"id": format!("https://a.example/{}", "a".repeat(3000))});
        let err = check_caps(&long_id).unwrap_err().to_string();
        assert!(err.starts_with("id is 3"), "{err}");
        let nested = json!({"object": {"tag": [{"href": "x".repeat(2049)}]}});
        let err = check_caps(&nested).unwrap_err().to_string();
        assert!(err.starts_with("object.tag[0].href is 2049"), "{err}");
        let text = json!({"object": {"content": "x".repeat(100_001)}});
        assert!(check_caps(&text).is_err());
    }

    #[test]
    fn the_quota_counts_requests_and_bytes_per_minute() {
        let limits = InboxLimits {
            requests_per_minute: 2,
            bytes_per_minute: 1000,
            ..Default::default()
        };
        let q = HostQuota::default();
        let t = Utc::now();
        assert!(q.charge("a", 10, t, &limits).is_ok());
        assert!(q.exhausted("a", t, &limits).is_none());
        assert!(q.charge("a", 10, t, &limits).is_ok());
        assert_eq!(q.charge("a", 10, t, &limits), Err(60));
        assert_eq!(q.exhausted("a", t, &limits), Some(60));
        assert!(q.charge("b", 999, t, &limits).is_ok());
        assert!(q.charge("b", 2, t, &limits).is_err());
        let later = t + chrono::Duration::seconds(61);
        assert!(q.charge("a", 10, later, &limits).is_ok());
    }
}
