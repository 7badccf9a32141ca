//! coopdir as a Fediverse Auxiliary Service Provider (FASP, "Fediscovery"): Mastodon
//! servers whose admins register the node ask it for account search and follow
//! recommendations. docs/fasp.md is the admin's guide; the contract is the FASP
//! specification v0.1 (general: protocol basics, registration, provider info; discovery:
//! account_search, follow_recommendation).
//!
//! - Registration is started here: [`register`] posts to the server's
//!   `BASE/registration` with a fresh Ed25519 key and a `serverId`, stores the server's
//!   answer, and the operator reads the key's fingerprint to the server's admin.
//! - Every request from a server is signed (RFC 9421, Ed25519, `keyid` = the `serverId`
//!   this node gave it, `Content-Digest`): [`verify_request`]. Every answer to a verified
//!   request is signed with this node's key for that registration: [`sign_response`].
//! - What is returned: only local, approved listings whose actor documents say
//!   `indexable` and `discoverable`. The `accountUri` of a follow recommendation is used to
//!   answer that request only: it is neither fetched, stored nor logged.

use crate::directory::types::Moderation;
use crate::{
    db::{
        entities::{actor, follow},
        signing::fasp_registration,
    },
    directory::{
        OfferingQuery,
        alternatives::{self, OfferingRef},
        search::{self, OfferingItem},
    },
    federation::{AppState, rfc9421},
};
use aws_lc_rs::{
    rand::SystemRandom,
    signature::{Ed25519KeyPair, KeyPair},
};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use chrono::Utc;
use http::{HeaderMap, HeaderValue, StatusCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::{
    collections::{HashMap, HashSet},
    sync::{LazyLock, Mutex},
    time::{Duration, Instant},
};
use url::Url;

/// The capabilities this provider offers: id and version.
pub const CAPABILITIES: [(&str, &str); 2] =
    [("account_search", "0.1"), ("follow_recommendation", "0.1")];

/// `created` of a request may be at most this old (seconds), as Mastodon's FASP kit does…
pub const MAX_AGE: i64 = 300;
/// …and at most this far ahead.
pub const MAX_AHEAD: i64 = 60;

/// Requests per registration and minute before 429.
pub const RATE_PER_MINUTE: u32 = 120;

/// `limit` of account_search: default and cap.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 80;
/// Follow recommendations per answer.
pub const MAX_RECOMMENDATIONS: usize = 40;

/// Why registering failed: a URL that cannot be used (exit 2) or a server that failed
/// (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{0}")]
    BadUrl(String),
    #[error("{0:#}")]
    Failed(anyhow::Error),
}

impl From<sea_orm::DbErr> for RegisterError {
    fn from(e: sea_orm::DbErr) -> Self {
        RegisterError::Failed(e.into())
    }
}

/// A fresh Ed25519 key: PKCS#8 in base64, and the raw public key in base64.
pub fn new_key() -> anyhow::Result<(String, String)> {
    let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
        .map_err(|_| anyhow::anyhow!("Ed25519 key generation failed"))?;
    let kp = Ed25519KeyPair::from_pkcs8(doc.as_ref())
        .map_err(|e| anyhow::anyhow!("Ed25519 key rejected: {e}"))?;
    Ok((
        B64.encode(doc.as_ref()),
        B64.encode(kp.public_key().as_ref()),
    ))
}

/// The fingerprint a server's admin compares: base64 of SHA-256 of the raw public key.
pub fn fingerprint(public_key_b64: &str) -> String {
    let raw = B64.decode(public_key_b64).unwrap_or_default();
    B64.encode(Sha256::digest(raw))
}

/// Enabled capability ids of a registration.
/// A server registered with this provider (its stored record).
pub type Registration = fasp_registration::Model;

pub fn capabilities(r: &fasp_registration::Model) -> Vec<String> {
    serde_json::from_str(&r.capabilities).unwrap_or_default()
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback() || ip.is_unspecified(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback() || ip.is_unspecified(),
        None => true,
    }
}

/// Parse the URL an operator gave: https (http and loopback hosts only with `--dev`).
pub fn server_url(state: &AppState, raw: &str) -> Result<Url, RegisterError> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        RegisterError::BadUrl(format!(
            "'{raw}' is not a URL ({e}); give the server's address, e.g. https://mastodon.example"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if state.settings.dev => {}
        "http" => {
            return Err(RegisterError::BadUrl(format!(
                "{url} is not https; a FASP registration carries keys and is only made over https"
            )));
        }
        other => {
            return Err(RegisterError::BadUrl(format!(
                "'{other}' URLs are not servers; give https://SERVER"
            )));
        }
    }
    if is_loopback(&url) && !state.settings.dev {
        return Err(RegisterError::BadUrl(format!(
            "{url} is a loopback address; give the server's public address"
        )));
    }
    state.guard.permits(&url).map_err(RegisterError::BadUrl)?;
    Ok(url)
}

/// The server's FASP base: the URL itself when it has a path; otherwise the nodeinfo's
/// `metadata.faspBaseUrl`; otherwise `URL/api/fasp` (Mastodon's).
async fn fasp_base(state: &AppState, url: &Url) -> Url {
    if url.path() != "/" && !url.path().is_empty() {
        let mut u = url.clone();
        let p = u.path().trim_end_matches('/').to_string();
        u.set_path(&p);
        u.set_query(None);
        return u;
    }
    if let Some(b) = nodeinfo_base(state, url).await {
        return b;
    }
    let mut u = url.clone();
    u.set_path("/api/fasp");
    u.set_query(None);
    u
}

async fn nodeinfo_base(state: &AppState, url: &Url) -> Option<Url> {
    let links: Value = state
        .client
        .get(url.join("/.well-known/nodeinfo").ok()?)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let href = links["links"]
        .as_array()?
        .iter()
        .filter(|l| {
            l["rel"]
                .as_str()
                .is_some_and(|r| r.starts_with("http://nodeinfo.diaspora.software/ns/schema/2."))
        })
        .filter_map(|l| l["href"].as_str())
        .next_back()?
        .to_string();
    let info: Value = state
        .client
        .get(Url::parse(&href).ok()?)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let base = Url::parse(info["metadata"]["faspBaseUrl"].as_str()?).ok()?;
    // The base must be on the server the operator named.
    (base.host_str() == url.host_str() && base.scheme() == url.scheme()).then_some(base)
}

/// Register this node with the server at `raw_url`: answers the stored registration.
pub async fn register(
    state: &AppState,
    raw_url: &str,
) -> Result<fasp_registration::Model, RegisterError> {
    let url = server_url(state, raw_url)?;
    let base = fasp_base(state, &url).await;
    let (private_key, public_key) = new_key().map_err(RegisterError::Failed)?;
    let server_id = uuid::Uuid::new_v4().simple().to_string();
    let endpoint = Url::parse(&format!(
        "{}/registration",
        base.as_str().trim_end_matches('/')
    ))
    .map_err(|e| RegisterError::BadUrl(format!("{base} cannot take a path: {e}")))?;
    let body = json!({
        "name": state.settings.node_name,
        "baseUrl": state.url("/fasp").as_str(),
        "serverId": server_id,
        "publicKey": public_key,
    })
    .to_string();
    let res = state
        .client
        .post(endpoint.clone())
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .timeout(Duration::from_secs(30))
        .body(body)
        .send()
        .await
        .map_err(|e| {
            RegisterError::Failed(anyhow::anyhow!(
                "cannot reach {endpoint}: {}",
                crate::http::error::error_chain(&e)
            ))
        })?;
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .bytes()
        .await
        .map_err(|e| RegisterError::Failed(anyhow::anyhow!("reading the answer failed: {e}")))?;
    if !status.is_success() {
        let text: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
        return Err(RegisterError::Failed(anyhow::anyhow!(
            "{endpoint} answered {status}: {text}; nothing was stored"
        )));
    }
    let answer: Value = serde_json::from_slice(&bytes).map_err(|e| {
        RegisterError::Failed(anyhow::anyhow!(
            "{endpoint} did not answer JSON ({e}); nothing was stored"
        ))
    })?;
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let (Some(fasp_id), Some(server_key), Some(completion)) = (
        text(&answer["faspId"]),
        answer["publicKey"].as_str().map(str::to_string),
        answer["registrationCompletionUri"]
            .as_str()
            .map(str::to_string),
    ) else {
        return Err(RegisterError::Failed(anyhow::anyhow!(
            "{endpoint} answered without faspId, publicKey and registrationCompletionUri: {answer}; nothing was stored"
        )));
    };
    let raw_key = B64.decode(&server_key).ok().filter(|k| k.len() == 32);
    let Some(raw_key) = raw_key else {
        return Err(RegisterError::Failed(anyhow::anyhow!(
            "the server's publicKey is not a base64 Ed25519 key; nothing was stored"
        )));
    };
    // A signed answer must verify with the key it carries.
    if headers.contains_key("signature-input")
        && !response_verifies(status, &headers, &bytes, &raw_key)
    {
        return Err(RegisterError::Failed(anyhow::anyhow!(
            "the server's answer is signed, but the signature does not verify with its publicKey; nothing was stored"
        )));
    }
    let row = fasp_registration::ActiveModel {
        server_base: Set(base.to_string()),
        server_id: Set(server_id),
        fasp_id: Set(fasp_id),
        server_public_key: Set(server_key),
        private_key: Set(Some(private_key)),
        public_key: Set(public_key),
        completion_uri: Set(completion),
        status: Set("active".into()),
        capabilities: Set("[]".into()),
        registered_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(row)
}

fn response_verifies(status: StatusCode, headers: &HeaderMap, body: &[u8], key: &[u8]) -> bool {
    let msg = rfc9421::Message {
        method: "",
        scheme: "",
        authority: "",
        request_target: "",
        headers,
        status: Some(status.as_u16()),
    };
    let policy = rfc9421::Policy {
        required: &["@status"],
        max_age: 3600,
        max_ahead: 3600,
        expires_grace: 0,
        need_key_id: false,
    };
    rfc9421::parse(&msg, Some(body), &policy)
        .is_ok_and(|p| p.verify(&rfc9421::PublicKey::Ed25519(key)))
}

/// Every registration, oldest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<fasp_registration::Model>, sea_orm::DbErr> {
    fasp_registration::Entity::find()
        .order_by_asc(fasp_registration::Column::Id)
        .all(db)
        .await
}

/// Revoke a registration: its keys are deleted and every later request under its
/// `keyid` gets 401. `None` when there is no such registration.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<fasp_registration::Model>, sea_orm::DbErr> {
    let Some(r) = fasp_registration::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let mut am: fasp_registration::ActiveModel = r.into();
    am.status = Set("revoked".into());
    am.private_key = Set(None);
    am.capabilities = Set("[]".into());
    am.revoked_at = Set(Some(Utc::now()));
    Ok(Some(am.update(db).await?))
}

/// The JSON of `coopdir fasp list --json`.
pub fn registration_json(r: &fasp_registration::Model) -> Value {
    json!({
        "id": r.id.to_string(),
        "server": r.server_base,
        "server_id": r.server_id,
        "fasp_id": r.fasp_id,
        "fingerprint": fingerprint(&r.public_key),
        "status": r.status,
        "capabilities": capabilities(r),
        "registered_at": r.registered_at.to_rfc3339(),
    })
}

/// Why a request is refused.
pub enum Refusal {
    /// 401, empty body, nothing done.
    Unauthorized,
    /// 429 with `Retry-After` seconds.
    RateLimited(u64),
}

/// Check the signature of a request to `/fasp/…` (`request_target` as received) and
/// answer the active registration it belongs to.
pub async fn verify_request(
    state: &AppState,
    method: &str,
    request_target: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<fasp_registration::Model, Refusal> {
    let msg = rfc9421::Message {
        method,
        scheme: state.settings.public_url.scheme(),
        authority: &state.settings.domain,
        request_target,
        headers,
        status: None,
    };
    let policy = rfc9421::Policy {
        required: &["@method", "@target-uri", "content-digest"],
        max_age: MAX_AGE,
        max_ahead: MAX_AHEAD,
        expires_grace: 0,
        need_key_id: true,
    };
    // The digest is checked for every request, GET included (of the empty body).
    let pending = rfc9421::parse(&msg, Some(body), &policy).map_err(|e| {
        tracing::debug!(error = %e, "FASP request refused");
        Refusal::Unauthorized
    })?;
    let key_id = pending.key_id.clone().unwrap_or_default();
    let reg = fasp_registration::Entity::find()
        .filter(fasp_registration::Column::ServerId.eq(key_id))
        .filter(fasp_registration::Column::Status.eq("active"))
        .one(&state.db)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "FASP registration lookup failed");
            Refusal::Unauthorized
        })?
        .ok_or(Refusal::Unauthorized)?;
    let key = B64.decode(&reg.server_public_key).unwrap_or_default();
    if !pending.verify(&rfc9421::PublicKey::Ed25519(&key)) {
        return Err(Refusal::Unauthorized);
    }
    if let Some(wait) = rate_limited(&reg.server_id) {
        return Err(Refusal::RateLimited(wait));
    }
    Ok(reg)
}

/// A fixed one-minute window per registration.
fn rate_limited(server_id: &str) -> Option<u64> {
    static WINDOWS: LazyLock<Mutex<HashMap<String, (Instant, u32)>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let mut map = WINDOWS.lock().ok()?;
    let now = Instant::now();
    let entry = map.entry(server_id.to_string()).or_insert((now, 0));
    let elapsed = now.duration_since(entry.0);
    if elapsed >= Duration::from_secs(60) {
        *entry = (now, 0);
    }
    entry.1 += 1;
    if entry.1 > RATE_PER_MINUTE {
        return Some(
            60u64
                .saturating_sub(now.duration_since(entry.0).as_secs())
                .max(1),
        );
    }
    None
}

/// Headers of a signed answer: `Content-Digest` of exactly `body`, and an RFC 9421
/// signature over `@status` and `content-digest` with this node's key for `reg`.
pub fn sign_response(
    reg: &fasp_registration::Model,
    status: StatusCode,
    body: &[u8],
) -> anyhow::Result<HeaderMap> {
    let pkcs8 = reg
        .private_key
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("registration {} has no key", reg.id))?;
    let der = B64.decode(pkcs8)?;
    let key = Ed25519KeyPair::from_pkcs8(&der)
        .map_err(|e| anyhow::anyhow!("the registration's key is unreadable: {e}"))?;
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-digest",
        HeaderValue::from_str(&rfc9421::content_digest(body))?,
    );
    let msg = rfc9421::Message {
        method: "",
        scheme: "",
        authority: "",
        request_target: "",
        headers: &headers,
        status: Some(status.as_u16()),
    };
    let (input, sig) = rfc9421::sign(
        &msg,
        &rfc9421::SigningKey::Ed25519(&key),
        &rfc9421::SignOptions {
            label: "sig1",
            components: &["@status", "content-digest"],
            created: Utc::now().timestamp(),
            key_id: None,
            with_alg: false,
        },
    )?;
    headers.insert("signature-input", HeaderValue::from_str(&input)?);
    headers.insert("signature", HeaderValue::from_str(&sig)?);
    Ok(headers)
}

/// `provider_info`.
pub fn provider_info(state: &AppState) -> Value {
    json!({
        "name": format!("coopdir — {}", state.settings.node_name),
        "privacyPolicy": [{"url": state.url("/privacy#fasp").as_str(), "language": "en"}],
        "capabilities": CAPABILITIES
            .iter()
            .map(|(id, version)| json!({"id": id, "version": version}))
            .collect::<Vec<_>>(),
        "fediverseAccount": format!("@directory@{}", state.settings.domain),
    })
}

/// Turn a capability on or off; `false` when coopdir has no such capability and major
/// version.
pub async fn set_capability<C: ConnectionTrait>(
    db: &C,
    reg: &fasp_registration::Model,
    id: &str,
    major: &str,
    on: bool,
) -> Result<bool, sea_orm::DbErr> {
    let known = CAPABILITIES
        .iter()
        .any(|(cid, version)| *cid == id && version.split('.').next() == Some(major));
    if !known {
        return Ok(false);
    }
    let mut caps = capabilities(reg);
    caps.retain(|c| c != id);
    if on {
        caps.push(id.to_string());
    }
    caps.sort();
    let mut am: fasp_registration::ActiveModel = reg.clone().into();
    am.capabilities = Set(serde_json::to_string(&caps).unwrap_or_else(|_| "[]".into()));
    am.update(db).await?;
    Ok(true)
}

/// The local offerings that may be named to a FASP client: approved listings of this
/// node, not suspended, whose actors say `indexable` and `discoverable`.
async fn eligible<C: ConnectionTrait>(
    db: &C,
    ids: &[String],
) -> Result<HashSet<String>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let rows = actor::Entity::find()
        .filter(actor::Column::ApId.is_in(ids.iter().cloned()))
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Moderation.eq(Moderation::Approved))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|a| a.ap_id).collect())
}

/// Search pages read for one answer at most (the directory's pages hold 50 each).
const MAX_PAGES: u64 = 10;

/// Offerings for `term` in the directory's order, local and eligible only, from `offset`:
/// up to `limit` actor URIs and whether there are more.
pub async fn account_search<C: ConnectionTrait>(
    db: &C,
    caches: &search::Caches,
    term: &str,
    limit: usize,
    offset: usize,
) -> crate::directory::DomainResult<(Vec<String>, bool)> {
    let want = offset + limit + 1;
    // Co-ops whose name holds the words of the term, in that order, come first.
    let mut found: Vec<String> = matching_coops(db, term).await?;
    for page in 1..=MAX_PAGES {
        let q = OfferingQuery {
            q: Some(term.to_string()),
            page: Some(page),
            ..Default::default()
        };
        let r = search::search(db, caches, &q).await?;
        let ids: Vec<String> = r
            .items
            .iter()
            .filter(|i| i.local)
            .map(|i| i.actor.clone())
            .collect();
        let ok = eligible(db, &ids).await?;
        found.extend(ids.into_iter().filter(|i| ok.contains(i)));
        let seen = page.saturating_mul(r.per_page);
        if found.len() >= want || seen >= r.total {
            break;
        }
    }
    let more = found.len() > offset + limit;
    Ok((found.into_iter().skip(offset).take(limit).collect(), more))
}

/// Local, approved co-ops whose folded name contains the folded term (`Rhein Meet`
/// finds "Rhein Meet eG"), in name order.
async fn matching_coops<C: ConnectionTrait>(
    db: &C,
    term: &str,
) -> Result<Vec<String>, sea_orm::DbErr> {
    let needle = crate::directory::query::fold(term);
    if needle.is_empty() {
        return Ok(vec![]);
    }
    let coops = actor::Entity::find()
        .filter(actor::Column::Kind.eq(crate::directory::types::ActorKind::Coop))
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Moderation.eq(Moderation::Approved))
        .order_by_asc(actor::Column::Name)
        .all(db)
        .await?;
    Ok(coops
        .into_iter()
        .filter(|c| {
            let name = format!(" {} ", crate::directory::query::fold(&c.name));
            name.contains(&format!(" {needle} "))
        })
        .map(|c| c.ap_id)
        .collect())
}

/// RFC 4647 basic filtering: `range` matches `tag` when equal or `tag` starts with
/// `range-` (case-insensitive); `*` matches every tag.
pub fn language_matches(range: &str, tag: &str) -> bool {
    let r = range.trim().to_ascii_lowercase();
    let t = tag.trim().to_ascii_lowercase();
    r == "*" || t == r || t.starts_with(&format!("{r}-"))
}

fn speaks(item: &OfferingItem, range: &str) -> bool {
    item.languages
        .iter()
        .chain(item.support_languages.iter())
        .any(|t| language_matches(range, t))
}

/// Every local, eligible offering in the directory's fair order of the day.
async fn local_offerings<C: ConnectionTrait>(
    db: &C,
    caches: &search::Caches,
) -> crate::directory::DomainResult<Vec<OfferingItem>> {
    let mut out = Vec::new();
    for page in 1..=MAX_PAGES {
        let q = OfferingQuery {
            page: Some(page),
            ..Default::default()
        };
        let r = search::search(db, caches, &q).await?;
        let seen = page.saturating_mul(r.per_page);
        let total = r.total;
        out.extend(r.items.iter().filter(|i| i.local).cloned());
        if seen >= total {
            break;
        }
    }
    let ids: Vec<String> = out.iter().map(|i| i.actor.clone()).collect();
    let ok = eligible(db, &ids).await?;
    out.retain(|i| ok.contains(&i.actor));
    Ok(out)
}

/// Follow recommendations for `account_uri`: when it follows offerings here, their
/// compatible alternatives it does not follow yet; otherwise the offerings in the fair
/// order of the day. Never by popularity. Filtered by `language` when given.
pub async fn follow_recommendation<C: ConnectionTrait>(
    db: &C,
    caches: &search::Caches,
    account_uri: &str,
    language: Option<&str>,
) -> crate::directory::DomainResult<Vec<String>> {
    let offerings = local_offerings(db, caches).await?;
    let by_id: HashMap<&str, &OfferingItem> =
        offerings.iter().map(|i| (i.actor.as_str(), i)).collect();
    let followed_ids: Vec<i64> = follow::Entity::find()
        .filter(follow::Column::FollowerApId.eq(account_uri))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.actor_id)
        .collect();
    let followed: HashSet<String> = if followed_ids.is_empty() {
        HashSet::new()
    } else {
        actor::Entity::find()
            .filter(actor::Column::Id.is_in(followed_ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.ap_id)
            .collect()
    };
    let keep = |id: &str| {
        by_id
            .get(id)
            .is_some_and(|i| language.is_none_or(|l| speaks(i, l)))
            && !followed.contains(id)
    };
    let mut out: Vec<String> = Vec::new();
    let followed_offerings: Vec<i64> = followed_ids;
    for id in &followed_offerings {
        let Ok(alts) = alternatives::for_offering(db, caches, &OfferingRef::Id(*id), 20).await
        else {
            continue;
        };
        for a in alts.items {
            if keep(&a.actor) && !out.contains(&a.actor) {
                out.push(a.actor);
            }
        }
    }
    if followed.is_empty() {
        out = offerings
            .iter()
            .map(|i| i.actor.clone())
            .filter(|id| keep(id))
            .collect();
    }
    out.truncate(MAX_RECOMMENDATIONS);
    Ok(out)
}
