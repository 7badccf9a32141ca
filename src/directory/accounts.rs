//! Accounts for the web interface and the API. Passwords are hashed with Argon2id.

use super::types::ActorKind;
use super::{DomainError, DomainResult};
use crate::db::entities::{account, actor, api_token};
use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Minimum password length; long passphrases beat complexity rules.
pub const MIN_PASSWORD: usize = 12;

/// Create an admin account. The username follows handle rules; the password must have at
/// least [`MIN_PASSWORD`] characters.
pub async fn create_admin<C: ConnectionTrait>(
    db: &C,
    username: &str,
    password: &str,
) -> DomainResult<account::Model> {
    create(db, username, password, Role::Admin, None).await
}

/// A staff account of one co-op: it may act on that co-op and its offerings only (see
/// [`authorize`]). The co-op must be a local one.
pub async fn create_staff<C: ConnectionTrait>(
    db: &C,
    username: &str,
    password: &str,
    coop: &actor::Model,
) -> DomainResult<account::Model> {
    if !coop.local || coop.kind != ActorKind::Coop {
        return Err(DomainError::Invalid(crate::msg!(
            "error-staff-not-coop",
            id = &coop.ap_id
        )));
    }
    create(db, username, password, Role::Staff, Some(coop.id)).await
}

/// The role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Runs the node: moderation, domain policy, every listing.
    Admin,
    /// Publishes the listings of one co-op.
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
        }
    }

    pub fn of(a: &account::Model) -> Option<Role> {
        match a.role.as_str() {
            "admin" => Some(Role::Admin),
            "staff" => Some(Role::Staff),
            _ => None,
        }
    }
}

async fn create<C: ConnectionTrait>(
    db: &C,
    username: &str,
    password: &str,
    role: Role,
    coop_id: Option<i64>,
) -> DomainResult<account::Model> {
    let username: super::types::Username = username.parse().map_err(DomainError::Invalid)?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(DomainError::Invalid(crate::msg!(
            "error-password-short",
            min = MIN_PASSWORD
        )));
    }
    if find(db, username.as_str()).await?.is_some() {
        return Err(DomainError::Conflict(crate::msg!(
            "error-account-exists",
            username = username.as_str()
        )));
    }
    let hash = hash_password(password)?;
    Ok(account::ActiveModel {
        username: Set(username.to_string()),
        password_hash: Set(hash),
        role: Set(role.as_str().into()),
        coop_id: Set(coop_id),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// An account by username.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    username: &str,
) -> Result<Option<account::Model>, sea_orm::DbErr> {
    account::Entity::find()
        .filter(account::Column::Username.eq(username.trim()))
        .one(db)
        .await
}

/// The account whose password this is, or `None`. An unknown username costs the same
/// Argon2 work as a wrong password, so timing does not tell which usernames exist.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    username: &str,
    password: &str,
) -> Result<Option<account::Model>, sea_orm::DbErr> {
    static DUMMY: std::sync::LazyLock<Option<String>> =
        std::sync::LazyLock::new(|| hash_password("not a password of anyone").ok());
    let account = find(db, username).await?;
    let Some(hash) = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .or_else(|| DUMMY.clone())
    else {
        return Ok(None);
    };
    // Argon2 takes tens of milliseconds of CPU: off the async workers.
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    Ok(account.filter(|_| ok))
}

/// Why an account may not act on a listing (HTTP 403), said in the reader's language
/// where it is shown.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotAllowed(pub crate::i18n::Msg);

impl From<NotAllowed> for super::DomainError {
    fn from(e: NotAllowed) -> Self {
        super::DomainError::Forbidden(e.0)
    }
}

/// May `account` act on `target` (edit it, announce, sunset, transfer)? Admins may act on
/// every local listing; staff only on their own co-op and its offerings. Nobody here acts
/// on another node's listings: those belong to their own node.
pub fn authorize(account: &account::Model, target: &actor::Model) -> Result<(), NotAllowed> {
    if !target.local {
        return Err(NotAllowed(crate::msg!(
            "error-not-allowed-remote",
            listing = &target.ap_id
        )));
    }
    match Role::of(account) {
        Some(Role::Admin) => Ok(()),
        Some(Role::Staff) => {
            let Some(coop) = account.coop_id else {
                return Err(NotAllowed(crate::msg!(
                    "error-not-allowed-no-coop",
                    username = &account.username
                )));
            };
            let is_coop = target.id == coop && target.kind == ActorKind::Coop;
            let is_offering = target.coop_id == Some(coop) && target.kind == ActorKind::Offering;
            if is_coop || is_offering {
                Ok(())
            } else {
                Err(NotAllowed(crate::msg!(
                    "error-not-allowed-other-coop",
                    username = &account.username,
                    listing = &target.ap_id
                )))
            }
        }
        None => Err(NotAllowed(crate::msg!(
            "error-not-allowed-role",
            username = &account.username
        ))),
    }
}

/// Prefix of API tokens, so that a leaked one is recognisable (secret scanners, logs).
pub const TOKEN_PREFIX: &str = "coopdir_";

/// Hex SHA-256 of an API token: all the database keeps of it.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Create an API token for an account. The token is returned once; only its hash is
/// stored.
pub async fn create_token<C: ConnectionTrait>(
    db: &C,
    account: &account::Model,
    name: &str,
) -> DomainResult<String> {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let name: String = name.trim().chars().take(100).collect();
    api_token::ActiveModel {
        account_id: Set(account.id),
        name: Set(if name.is_empty() {
            "token".into()
        } else {
            name
        }),
        token_hash: Set(token_hash(&token)),
        created_at: Set(chrono::Utc::now()),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The local co-ops and offerings (not removed) an account may act on, co-ops first, each
/// followed by its offerings: the staff dashboard and `GET /api/v1/me` list these.
pub async fn manageable<C: ConnectionTrait>(
    db: &C,
    account: &account::Model,
) -> Result<Vec<actor::Model>, sea_orm::DbErr> {
    use super::types::Moderation;
    let mut mine: Vec<actor::Model> = actor::Entity::find()
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Kind.is_in([ActorKind::Coop, ActorKind::Offering]))
        .filter(actor::Column::Moderation.ne(Moderation::Removed))
        .all(db)
        .await?
        .into_iter()
        .filter(|a| authorize(account, a).is_ok())
        .collect();
    mine.sort_by_key(|a| (a.coop_id.unwrap_or(a.id), a.coop_id.is_some(), a.id));
    Ok(mine)
}

/// Delete an account's tokens named `name`; returns how many there were.
pub async fn revoke_tokens<C: ConnectionTrait>(
    db: &C,
    account: &account::Model,
    name: &str,
) -> Result<u64, sea_orm::DbErr> {
    let res = api_token::Entity::delete_many()
        .filter(api_token::Column::AccountId.eq(account.id))
        .filter(api_token::Column::Name.eq(name.trim()))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// The account an API token belongs to, or `None`; records when it was last used.
pub async fn account_for_token<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<Option<account::Model>, sea_orm::DbErr> {
    if !token.trim().starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let account_id = t.account_id;
    let mut am: api_token::ActiveModel = t.into();
    am.last_used_at = Set(Some(chrono::Utc::now()));
    am.update(db).await?;
    account::Entity::find_by_id(account_id).one(db).await
}

/// Login attempts allowed per client address and username in [`LoginLimiter::WINDOW`].
pub const LOGIN_ATTEMPTS: usize = 10;

type LoginKey = (std::net::IpAddr, String);

/// A rate limiter for logins: at most [`LOGIN_ATTEMPTS`] attempts per (client address,
/// username) in a sliding window of 15 minutes; a success clears the key.
///
/// An attempt is checked and charged in one step, under one lock, before the password is
/// verified ([`LoginLimiter::try_attempt`]): however many requests arrive at once, at most
/// [`LOGIN_ATTEMPTS`] of them reach Argon2. The key is the client's address (behind a
/// trusted proxy, the one it names; see `http::client_addr`), so an attacker at one address
/// cannot lock out the same user at another. IPv6 addresses count by their /64, which one
/// host can fill with addresses of its own. In memory, per node: enough to make guessing
/// slow (1,000 attempts take 25 hours), and no login state in the database to lock or to
/// leak.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    attempts: std::sync::Mutex<std::collections::HashMap<LoginKey, Vec<std::time::Instant>>>,
    /// Passwords verified (Argon2 run) since the node started: `/metrics` shows it.
    checks: std::sync::atomic::AtomicU64,
}

impl LoginLimiter {
    pub const WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

    pub fn new() -> Self {
        Self::default()
    }

    fn key(ip: std::net::IpAddr, username: &str) -> LoginKey {
        let ip = match ip.to_canonical() {
            std::net::IpAddr::V6(v6) => {
                let s = v6.segments();
                std::net::IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
            v4 => v4,
        };
        (ip, username.trim().to_lowercase())
    }

    fn map(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<LoginKey, Vec<std::time::Instant>>>
    {
        // A panic elsewhere while holding the lock leaves consistent data (a list of
        // instants), so the limiter keeps working rather than opening up.
        self.attempts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Check and charge one attempt at once: `Ok` when it may be made now (it is counted
    /// already, and [`LoginLimiter::succeeded`] clears the key if the password is right);
    /// else how long to wait.
    pub fn try_attempt(
        &self,
        ip: std::net::IpAddr,
        username: &str,
        now: std::time::Instant,
    ) -> Result<(), std::time::Duration> {
        let mut map = self.map();
        if map.len() > 100_000 {
            map.retain(|_, v| {
                v.last()
                    .is_some_and(|t| now.saturating_duration_since(*t) < Self::WINDOW)
            });
        }
        let times = map.entry(Self::key(ip, username)).or_default();
        times.retain(|t| now.saturating_duration_since(*t) < Self::WINDOW);
        if times.len() >= LOGIN_ATTEMPTS {
            let oldest = times[times.len() - LOGIN_ATTEMPTS];
            return Err(Self::WINDOW.saturating_sub(now.saturating_duration_since(oldest)));
        }
        times.push(now);
        Ok(())
    }

    /// A successful login clears the key.
    pub fn succeeded(&self, ip: std::net::IpAddr, username: &str) {
        self.map().remove(&Self::key(ip, username));
    }

    /// Count one password verification (one Argon2 run).
    pub fn count_check(&self) {
        self.checks
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Passwords verified since the node started.
    pub fn checks(&self) -> u64 {
        self.checks.load(std::sync::atomic::Ordering::Relaxed)
    }
}

pub fn hash_password(password: &str) -> DomainResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Other(anyhow::anyhow!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    use crate::directory::types::{Moderation, Status};

    fn model(role: &str, coop_id: Option<i64>) -> account::Model {
        account::Model {
            id: 1,
            username: "sam".into(),
            password_hash: String::new(),
            role: role.into(),
            coop_id,
            created_at: chrono::Utc::now(),
        }
    }

    fn actor(id: i64, kind: ActorKind, coop_id: Option<i64>, local: bool) -> actor::Model {
        let now = chrono::Utc::now();
        actor::Model {
            id,
            ap_id: format!("https://dir.example/actors/a{id}"),
            kind,
            username: format!("a{id}"),
            domain: "dir.example".into(),
            name: String::new(),
            summary: String::new(),
            inbox: String::new(),
            shared_inbox: None,
            outbox: None,
            followers: None,
            url: None,
            public_key_pem: String::new(),
            private_key_pem: None,
            local,
            coop_id,
            attributes: None,
            status: Status::Active,
            sunset_end: None,
            moved_to: None,
            also_known_as: "[]".into(),
            moderation: Moderation::Approved,
            fetched_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn staff_act_only_on_their_own_coop() {
        let coop = actor(10, ActorKind::Coop, None, true);
        let offering = actor(11, ActorKind::Offering, Some(10), true);
        let other_coop = actor(20, ActorKind::Coop, None, true);
        let other_offering = actor(21, ActorKind::Offering, Some(20), true);
        let remote = actor(30, ActorKind::Offering, Some(10), false);
        let instance = actor(1, ActorKind::Instance, None, true);
        let staff = model("staff", Some(10));
        assert!(authorize(&staff, &coop).is_ok());
        assert!(authorize(&staff, &offering).is_ok());
        for t in [&other_coop, &other_offering, &remote, &instance] {
            assert!(authorize(&staff, t).is_err(), "{}", t.ap_id);
        }
        // an offering whose id equals the staff's co-op id is still not the co-op
        let tricky = actor(10, ActorKind::Offering, Some(20), true);
        assert!(authorize(&staff, &tricky).is_err());
        let admin = model("admin", None);
        for t in [&coop, &offering, &other_coop, &other_offering, &instance] {
            assert!(authorize(&admin, t).is_ok());
        }
        assert!(authorize(&admin, &remote).is_err());
        assert!(authorize(&model("staff", None), &coop).is_err());
        assert!(authorize(&model("guest", Some(10)), &coop).is_err());
    }

    /// Why an account may not act is a message for the reader: English in the CLI and
    /// the logs, said in another language where a page or the API shows it.
    #[test]
    fn a_refusal_to_act_is_said_in_the_readers_language() {
        use crate::i18n::Lang;
        let staff = model("staff", Some(10));
        let other_coop = actor(20, ActorKind::Coop, None, true);
        let e = authorize(&staff, &other_coop).unwrap_err();
        assert_eq!(e.0.id(), Some("error-not-allowed-other-coop"));
        assert_eq!(
            e.to_string(),
            "'sam' is staff of another co-op and may not act on https://dir.example/actors/a20"
        );
        assert_eq!(
            e.0.in_lang(Lang::De),
            "„sam“ gehört zum Team einer anderen Genossenschaft und darf nicht für \
             https://dir.example/actors/a20 handeln"
        );
        let remote = actor(30, ActorKind::Offering, Some(10), false);
        let e = authorize(&model("admin", None), &remote).unwrap_err();
        assert!(
            e.0.in_lang(Lang::Fr)
                .contains("est une fiche d'un autre nœud"),
            "{}",
            e.0.in_lang(Lang::Fr)
        );
        let e = authorize(&model("guest", Some(10)), &other_coop).unwrap_err();
        assert_eq!(
            e.0.in_lang(Lang::Es),
            "la cuenta «sam» no tiene ningún rol que lo permita"
        );
        // The domain's 403 carries the same message, not a copy in English.
        match DomainError::from(e) {
            DomainError::Forbidden(m) => assert_eq!(m.id(), Some("error-not-allowed-role")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn login_attempts_are_limited_per_ip_and_username() {
        let l = LoginLimiter::new();
        let ip: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        let other_ip: std::net::IpAddr = "192.0.2.2".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..LOGIN_ATTEMPTS {
            let t = t0 + Duration::from_secs(i as u64);
            assert!(l.try_attempt(ip, "admin", t).is_ok(), "attempt {i}");
        }
        let now = t0 + Duration::from_secs(60);
        let wait = l.try_attempt(ip, "Admin ", now).unwrap_err();
        assert!(
            wait > Duration::from_secs(13 * 60) && wait <= LoginLimiter::WINDOW,
            "{wait:?}"
        );
        // a refused attempt is not charged: the wait does not grow
        assert_eq!(l.try_attempt(ip, "admin", now).unwrap_err(), wait);
        // other keys are not affected
        assert!(l.try_attempt(other_ip, "admin", now).is_ok());
        assert!(l.try_attempt(ip, "someone", now).is_ok());
        // the window slides: the first attempt expires after 15 minutes
        assert!(
            l.try_attempt(
                ip,
                "admin",
                t0 + LoginLimiter::WINDOW + Duration::from_secs(1)
            )
            .is_ok()
        );
        // 1,000 attempts: at most 10 get through per window
        let l = LoginLimiter::new();
        let allowed = (0..1000u64)
            .filter(|i| {
                l.try_attempt(ip, "admin", t0 + Duration::from_millis(i * 100))
                    .is_ok()
            })
            .count();
        assert_eq!(allowed, LOGIN_ATTEMPTS);
        // a success clears the key
        l.succeeded(ip, "admin");
        assert!(
            l.try_attempt(ip, "admin", t0 + Duration::from_secs(100))
                .is_ok()
        );
    }

    #[test]
    fn concurrent_attempts_are_charged_before_any_is_evaluated() {
        let l = std::sync::Arc::new(LoginLimiter::new());
        let ip: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        let now = Instant::now();
        let allowed: usize = (0..8)
            .map(|_| {
                let l = l.clone();
                std::thread::spawn(move || {
                    (0..25)
                        .filter(|_| l.try_attempt(ip, "admin", now).is_ok())
                        .count()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .sum();
        assert_eq!(allowed, LOGIN_ATTEMPTS);
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let l = LoginLimiter::new();
        let now = Instant::now();
        for i in 0..LOGIN_ATTEMPTS {
            let ip: std::net::IpAddr = format!("2001:db8:1:2::{:x}", i + 1).parse().unwrap();
            assert!(l.try_attempt(ip, "admin", now).is_ok());
        }
        let same64: std::net::IpAddr = "2001:db8:1:2:ffff::1".parse().unwrap();
        assert!(l.try_attempt(same64, "admin", now).is_err());
        let other64: std::net::IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(l.try_attempt(other64, "admin", now).is_ok());
    }

    #[test]
    fn tokens_are_stored_as_hashes() {
        let h = token_hash("coopdir_abc");
        assert_eq!(h.len(), 64);
        assert_eq!(h, token_hash(" coopdir_abc\n"));
        assert_ne!(h, token_hash("coopdir_abd"));
    }

    #[test]
    fn hashes_verify() {
        let h = super::hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify_password("correct horse battery", &h));
        assert!(!super::verify_password("wrong horse battery", &h));
    }
}
