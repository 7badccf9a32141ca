//! The state of each listing: approve, hide, suspend, restore; the listings an admin
//! reviews.

#[allow(unused_imports)]
use super::*;

/// The actions an admin takes on a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Hide,
    Suspend,
    Restore,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Hide => "hide",
            Action::Suspend => "suspend",
            Action::Restore => "restore",
        }
    }

    fn to_state(self) -> Moderation {
        match self {
            Action::Approve | Action::Restore => Moderation::Approved,
            Action::Hide => Moderation::Hidden,
            Action::Suspend => Moderation::Suspended,
        }
    }

    fn allowed_from(self) -> &'static [Moderation] {
        match self {
            Action::Approve => &[Moderation::Pending, Moderation::Hidden],
            Action::Hide => &[Moderation::Pending, Moderation::Approved],
            Action::Suspend => &[
                Moderation::Pending,
                Moderation::Approved,
                Moderation::Hidden,
            ],
            Action::Restore => &[Moderation::Hidden, Moderation::Suspended],
        }
    }
}

/// Approve a pending listing: it is listed.
pub async fn approve(
    state: &Domain,
    a: &actor::Model,
    by: &str,
    reason: &str,
) -> DomainResult<actor::Model> {
    act(state, a, Action::Approve, by, reason, None).await
}

/// Hide a listing from the directory; it keeps federating.
pub async fn hide(
    state: &Domain,
    a: &actor::Model,
    by: &str,
    reason: &str,
) -> DomainResult<actor::Model> {
    act(state, a, Action::Hide, by, reason, None).await
}

/// Suspend a listing. A local one announces it to its followers' servers with an `Update`
/// (`suspended: true`) and then stops federating.
pub async fn suspend(
    state: &Domain,
    a: &actor::Model,
    by: &str,
    reason: &str,
) -> DomainResult<actor::Model> {
    act(state, a, Action::Suspend, by, reason, None).await
}

/// Lift a hide or a suspension: the listing is approved again.
pub async fn restore(
    state: &Domain,
    a: &actor::Model,
    by: &str,
    reason: &str,
) -> DomainResult<actor::Model> {
    act(state, a, Action::Restore, by, reason, None).await
}

/// Apply `action` to a listing and log it, in one transaction.
pub async fn act(
    state: &Domain,
    a: &actor::Model,
    action: Action,
    by: &str,
    reason: &str,
    report_id: Option<i64>,
) -> DomainResult<actor::Model> {
    let txn = state.db.begin_write().await?;
    // Read again inside the transaction: the decision applies to the current state.
    let current = actor::Entity::find_by_id(a.id)
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::NotFound(crate::msg!("error-actor-gone", id = &a.ap_id)))?;
    if current.kind == ActorKind::Instance {
        return Err(DomainError::Invalid(crate::msg!("error-moderate-instance")));
    }
    let from = state_of(&current).ok_or_else(|| {
        DomainError::Invalid(crate::msg!(
            "error-moderation-state",
            id = &current.ap_id,
            state = current.moderation.to_string(),
        ))
    })?;
    let to = action.to_state();
    if from == to {
        return Err(DomainError::Conflict(crate::msg!(
            "error-moderation-already",
            id = &current.ap_id,
            state = to.as_str()
        )));
    }
    if !action.allowed_from().contains(&from) {
        return Err(DomainError::Invalid(crate::msg!(
            "error-moderation-from",
            id = &current.ap_id,
            state = from.as_str(),
            action = action.as_str(),
            allowed = action
                .allowed_from()
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join("-"),
        )));
    }
    let mut am: actor::ActiveModel = current.clone().into();
    am.moderation = Set(to);
    am.updated_at = Set(Utc::now());
    let model = am.update(&txn).await?;
    log(
        &txn,
        LogEntry {
            actor_id: Some(model.id),
            target: &model.ap_id,
            action: action.as_str(),
            from_state: Some(from.as_str()),
            to_state: Some(to.as_str()),
            moderator: by,
            reason,
            report_id,
        },
    )
    .await?;
    // A local actor tells its followers' servers when it is suspended or comes back, as
    // Mastodon does for a (reversible) suspension.
    let federates = model.local && (from == Moderation::Suspended || to == Moderation::Suspended);
    if federates {
        state
            .effects
            .record(&txn, Effect::ModerationChanged(model.clone()))
            .await?;
    }
    txn.commit().await?;
    state.effects.documents_changed();
    if federates {
        state.effects.committed();
    }
    Ok(model)
}

// ---------------------------------------------------------------------------------------
// Domain policy

/// The actions an admin may take on a listing in `state` (empty for `removed`).
pub fn actions_for(state: Moderation) -> Vec<Action> {
    [
        Action::Approve,
        Action::Hide,
        Action::Suspend,
        Action::Restore,
    ]
    .into_iter()
    .filter(|a| a.allowed_from().contains(&state))
    .collect()
}

pub(super) fn listing_kinds() -> [ActorKind; 2] {
    [ActorKind::Coop, ActorKind::Offering]
}

/// Listings (co-ops and offerings, local and remote) waiting for approval, oldest first.
pub async fn pending_listings<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<actor::Model>, DbErr> {
    actor::Entity::find()
        .filter(actor::Column::Moderation.eq(Moderation::Pending))
        .filter(actor::Column::Kind.is_in(listing_kinds()))
        .order_by_asc(actor::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Listings in any state whose name, username, domain or actor URL contains `text`.
pub async fn search_listings<C: ConnectionTrait>(
    db: &C,
    text: &str,
    limit: u64,
) -> Result<Vec<actor::Model>, DbErr> {
    use sea_orm::Condition;
    let t = text.trim().trim_start_matches('@');
    if t.is_empty() {
        return Ok(vec![]);
    }
    let (name, host) = t.split_once('@').unwrap_or((t, ""));
    let mut any = Condition::any()
        .add(actor::Column::Name.contains(t))
        .add(actor::Column::Username.contains(t))
        .add(actor::Column::ApId.contains(t))
        .add(actor::Column::Domain.contains(t));
    if !host.is_empty() {
        any = any.add(
            Condition::all()
                .add(actor::Column::Username.eq(name))
                .add(actor::Column::Domain.eq(host)),
        );
    }
    actor::Entity::find()
        .filter(actor::Column::Kind.is_in(listing_kinds()))
        .filter(any)
        .order_by_asc(actor::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_are_closed() {
        assert!(
            Action::Restore
                .allowed_from()
                .contains(&Moderation::Suspended)
        );
        assert!(
            !Action::Approve
                .allowed_from()
                .contains(&Moderation::Suspended)
        );
        assert!(!Action::Hide.allowed_from().contains(&Moderation::Suspended));
        for a in [
            Action::Approve,
            Action::Hide,
            Action::Suspend,
            Action::Restore,
        ] {
            assert!(!a.allowed_from().contains(&Moderation::Removed));
        }
    }
}
