//! Accounts for the web interface and the API. Passwords are hashed with Argon2id.

use super::{DomainError, DomainResult};
use crate::db::entities::account;
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
    let username: super::types::Username = username.parse().map_err(DomainError::Invalid)?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(DomainError::Invalid(format!(
            "the password must have at least {MIN_PASSWORD} characters; a few random words make a good one"
        )));
    }
    if account::Entity::find()
        .filter(account::Column::Username.eq(username.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(DomainError::Conflict(format!(
            "an account '{username}' already exists"
        )));
    }
    let hash = hash_password(password)?;
    Ok(account::ActiveModel {
        username: Set(username.to_string()),
        password_hash: Set(hash),
        role: Set("admin".into()),
        coop_id: Set(None),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
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
    #[test]
    fn hashes_verify() {
        let h = super::hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify_password("correct horse battery", &h));
        assert!(!super::verify_password("wrong horse battery", &h));
    }
}
