//! Domain blocks and the allowlist, applied to the stored actors of each domain.

#[allow(unused_imports)]
use super::*;

/// What a block changed.
#[derive(Debug, Default)]
pub struct BlockReport {
    pub domain: String,
    pub created: bool,
    pub listings_changed: usize,
}

/// Remote actors stored under `key` (its host and subdomains).
pub(super) async fn actors_of_domain<C: ConnectionTrait>(
    db: &C,
    key: &DomainKey,
) -> Result<Vec<actor::Model>, DbErr> {
    // A superset by LIKE, then the exact rule on parsed URLs.
    let rows = actor::Entity::find()
        .filter(actor::Column::Local.eq(false))
        .filter(actor::Column::Domain.contains(key.host()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|a| Url::parse(&a.ap_id).is_ok_and(|u| key.covers(&u)))
        .collect())
}

/// The latest log entry of an actor.
pub(super) async fn latest_entry<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> Result<Option<moderation_log::Model>, DbErr> {
    moderation_log::Entity::find()
        .filter(moderation_log::Column::ActorId.eq(actor_id))
        .order_by_desc(moderation_log::Column::Id)
        .one(db)
        .await
}

/// The state an actor had before any domain block touched it.
pub(super) async fn state_before_blocks<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    a: &actor::Model,
) -> Result<Moderation, DbErr> {
    let current = state_of(a).unwrap_or(Moderation::Approved);
    match latest_entry(db, a.id).await? {
        Some(e)
            if e.action == "domain-block"
                && e.to_state.as_deref() == Some(a.moderation.as_str()) =>
        {
            Ok(e.from_state
                .as_deref()
                .and_then(|s| s.parse().ok())
                .unwrap_or(Moderation::Approved))
        }
        // Stored while a block stood: never decided by anyone.
        None if matches!(current, Moderation::Hidden | Moderation::Suspended) => {
            let kind = a.kind;
            Ok(approval_state(settings, false, kind))
        }
        _ => Ok(current),
    }
}

/// Bring the stored actors of a domain in line with the blocks that now cover them.
pub(super) async fn apply_blocks<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    key: &DomainKey,
    by: &str,
    reason: &str,
) -> Result<usize, DbErr> {
    let mut changed = 0;
    for a in actors_of_domain(db, key).await? {
        let Ok(url) = Url::parse(&a.ap_id) else {
            continue;
        };
        let Some(current) = state_of(&a) else {
            continue;
        };
        if current == Moderation::Removed {
            continue;
        }
        let original = state_before_blocks(db, settings, &a).await?;
        let target = match policy::block_for(db, &url).await?.map(|b| b.0) {
            Some(Severity::Reject) if original != Moderation::Suspended => Moderation::Suspended,
            Some(Severity::Hide)
                if matches!(original, Moderation::Approved | Moderation::Pending) =>
            {
                Moderation::Hidden
            }
            _ => original,
        };
        if target == current {
            continue;
        }
        let action = if target == original {
            "domain-unblock"
        } else {
            "domain-block"
        };
        let mut am: actor::ActiveModel = a.clone().into();
        am.moderation = Set(target);
        am.updated_at = Set(Utc::now());
        am.update(db).await?;
        log(
            db,
            LogEntry {
                actor_id: Some(a.id),
                target: &a.ap_id,
                action,
                // A block records the state to come back to, not the block it replaces.
                from_state: Some(if action == "domain-block" {
                    original.as_str()
                } else {
                    current.as_str()
                }),
                to_state: Some(target.as_str()),
                moderator: by,
                reason,
                report_id: None,
            },
        )
        .await?;
        changed += 1;
    }
    Ok(changed)
}

/// Block a domain and its subdomains (or change the severity of its block).
pub async fn block_domain(
    state: &Domain,
    domain: &str,
    severity: Severity,
    reason: Option<&str>,
    by: &str,
) -> DomainResult<BlockReport> {
    let key = DomainKey::parse(domain).map_err(DomainError::Invalid)?;
    if key.covers(state.base()) {
        return Err(DomainError::Invalid(crate::msg!(
            "error-domain-own",
            domain = key.to_string()
        )));
    }
    let reason = reason.map(|r| cap(r, MAX_REASON)).filter(|r| !r.is_empty());
    let txn = state.db.begin_write().await?;
    let existing = domain_block::Entity::find()
        .filter(domain_block::Column::Domain.eq(key.as_key()))
        .one(&txn)
        .await?;
    let created = existing.is_none();
    match existing {
        Some(b) => {
            let mut am: domain_block::ActiveModel = b.into();
            am.severity = Set(severity.to_string());
            am.reason = Set(reason.clone());
            am.update(&txn).await?;
        }
        None => {
            domain_block::ActiveModel {
                domain: Set(key.as_key()),
                severity: Set(severity.to_string()),
                reason: Set(reason.clone()),
                created_by: Set(cap(by, 200)),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let why = match &reason {
        Some(r) => format!("domain block of {key} ({severity}): {r}"),
        None => format!("domain block of {key} ({severity})"),
    };
    log(
        &txn,
        LogEntry {
            actor_id: None,
            target: &key.as_key(),
            action: "block",
            from_state: None,
            to_state: Some(severity.as_str()),
            moderator: by,
            reason: &why,
            report_id: None,
        },
    )
    .await?;
    let changed = apply_blocks(&txn, &state.settings, &key, by, &why).await?;
    txn.commit().await?;
    state.policy.invalidate();
    Ok(BlockReport {
        domain: key.as_key(),
        created,
        listings_changed: changed,
    })
}

/// Lift the block of a domain: listings it hid or suspended come back (unless another
/// block still covers them, or an admin decided otherwise since).
pub async fn unblock_domain(state: &Domain, domain: &str, by: &str) -> DomainResult<BlockReport> {
    let key = DomainKey::parse(domain).map_err(DomainError::Invalid)?;
    let txn = state.db.begin_write().await?;
    let res = domain_block::Entity::delete_many()
        .filter(domain_block::Column::Domain.eq(key.as_key()))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(DomainError::NotFound(crate::msg!(
            "error-domain-not-blocked",
            domain = key.to_string()
        )));
    }
    let why = format!("domain block of {key} lifted");
    log(
        &txn,
        LogEntry {
            actor_id: None,
            target: &key.as_key(),
            action: "unblock",
            from_state: None,
            to_state: None,
            moderator: by,
            reason: &why,
            report_id: None,
        },
    )
    .await?;
    let changed = apply_blocks(&txn, &state.settings, &key, by, &why).await?;
    txn.commit().await?;
    state.policy.invalidate();
    Ok(BlockReport {
        domain: key.as_key(),
        created: false,
        listings_changed: changed,
    })
}

/// Add a domain (and its subdomains) to the allowlist.
pub async fn allow_domain(state: &Domain, domain: &str, by: &str) -> DomainResult<String> {
    let key = DomainKey::parse(domain).map_err(DomainError::Invalid)?;
    let txn = state.db.begin_write().await?;
    let exists = domain_allow::Entity::find()
        .filter(domain_allow::Column::Domain.eq(key.as_key()))
        .one(&txn)
        .await?
        .is_some();
    if exists {
        return Err(DomainError::Conflict(crate::msg!(
            "error-domain-already-allowed",
            domain = key.to_string()
        )));
    }
    domain_allow::ActiveModel {
        domain: Set(key.as_key()),
        created_by: Set(cap(by, 200)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    log(
        &txn,
        LogEntry {
            actor_id: None,
            target: &key.as_key(),
            action: "allow",
            from_state: None,
            to_state: None,
            moderator: by,
            reason: "",
            report_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    state.policy.invalidate();
    Ok(key.as_key())
}

/// Remove a domain from the allowlist.
pub async fn disallow_domain(state: &Domain, domain: &str, by: &str) -> DomainResult<String> {
    let key = DomainKey::parse(domain).map_err(DomainError::Invalid)?;
    let txn = state.db.begin_write().await?;
    let res = domain_allow::Entity::delete_many()
        .filter(domain_allow::Column::Domain.eq(key.as_key()))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(DomainError::NotFound(crate::msg!(
            "error-domain-not-allowed",
            domain = key.to_string()
        )));
    }
    log(
        &txn,
        LogEntry {
            actor_id: None,
            target: &key.as_key(),
            action: "disallow",
            from_state: None,
            to_state: None,
            moderator: by,
            reason: "",
            report_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    state.policy.invalidate();
    Ok(key.as_key())
}

/// Every block and every allowed domain, by domain.
pub async fn domain_rules<C: ConnectionTrait>(
    db: &C,
) -> Result<(Vec<domain_block::Model>, Vec<domain_allow::Model>), DbErr> {
    Ok((
        domain_block::Entity::find()
            .order_by_asc(domain_block::Column::Domain)
            .all(db)
            .await?,
        domain_allow::Entity::find()
            .order_by_asc(domain_allow::Column::Domain)
            .all(db)
            .await?,
    ))
}

// ---------------------------------------------------------------------------------------
// Reports
