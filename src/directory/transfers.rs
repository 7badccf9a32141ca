//! Consent between co-ops: a transfer to another co-op is a proposal until that co-op
//! accepts it. Nothing one co-op does may change another co-op's actor, so the successor's
//! `alsoKnownAs` changes only when the successor's own staff (or the node's operator, or
//! the successor's node) says yes.
//!
//! A proposal is kept on both sides with its history: proposed (`created_at`), accepted
//! or declined (`answered_at`, `answered_by`, `reason`), expired (30 days without an
//! answer), moved (`moved_at`). Between two co-ops of this node it is one `out` row;
//! across nodes the origin keeps an `out` row and the successor's node an `in` row, tied
//! by the id of the federated `Offer`.

use super::{
    DomainError, DomainResult, accounts::Role, context::Domain, effects::Effect, types::ActorKind,
};
use crate::db::BeginWrite;
use crate::db::entities::{account, actor, transfer_proposal as tp};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

/// Days a proposal waits for an answer.
pub const EXPIRY_DAYS: i64 = 30;

/// The states of a proposal.
pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";
pub const DECLINED: &str = "declined";
pub const EXPIRED: &str = "expired";
pub const MOVED: &str = "moved";

/// Who asks: decides whether a transfer to another co-op of this node is a proposal.
#[derive(Debug, Clone)]
pub enum Acting {
    /// A node admin: acts for both sides of a transfer between two co-ops of this node.
    Admin(String),
    /// Staff of one co-op (the co-op's actor id).
    Staff { username: String, coop_id: i64 },
    /// The operator at the command line: proposes, and answers for any co-op of the node
    /// with `coopdir transfers accept|decline`.
    Operator,
}

impl Acting {
    pub fn of(account: &account::Model) -> Acting {
        match (Role::of(account), account.coop_id) {
            (Some(Role::Admin), _) => Acting::Admin(account.username.clone()),
            (_, Some(coop_id)) => Acting::Staff {
                username: account.username.clone(),
                coop_id,
            },
            // An account of no co-op and no role speaks for nobody.
            _ => Acting::Staff {
                username: account.username.clone(),
                coop_id: -1,
            },
        }
    }

    pub fn name(&self) -> String {
        match self {
            Acting::Admin(u) => format!("admin {u}"),
            Acting::Staff { username, .. } => format!("staff {username}"),
            Acting::Operator => "operator (command line)".into(),
        }
    }

    /// An admin consents for both co-ops of this node at once.
    pub fn for_both(&self) -> bool {
        matches!(self, Acting::Admin(_))
    }
}

/// The co-op an actor of this node belongs to (itself for a co-op).
pub fn coop_of(a: &actor::Model) -> Option<i64> {
    if a.kind == ActorKind::Coop {
        Some(a.id)
    } else {
        a.coop_id
    }
}

/// The effective state: a pending proposal past its date is expired even before the
/// scheduler marks it.
pub fn state_of(p: &tp::Model, now: DateTime<Utc>) -> &str {
    if p.state == PENDING && p.expires_at < now {
        EXPIRED
    } else {
        &p.state
    }
}

/// Every proposal, newest first.
pub async fn list<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<tp::Model>> {
    Ok(tp::Entity::find()
        .order_by_desc(tp::Column::Id)
        .all(db)
        .await?)
}

/// Proposals that concern a co-op of this node (as origin or successor, the co-op itself
/// or one of its offerings), newest first.
pub async fn for_coop<C: ConnectionTrait>(db: &C, coop_id: i64) -> DomainResult<Vec<tp::Model>> {
    let ids: Vec<String> = actor::Entity::find()
        .filter(
            Condition::any()
                .add(actor::Column::Id.eq(coop_id))
                .add(actor::Column::CoopId.eq(coop_id)),
        )
        .filter(actor::Column::Local.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.ap_id)
        .collect();
    Ok(tp::Entity::find()
        .filter(
            Condition::any()
                .add(tp::Column::OriginApId.is_in(ids.clone()))
                .add(tp::Column::SuccessorApId.is_in(ids)),
        )
        .order_by_desc(tp::Column::Id)
        .all(db)
        .await?)
}

/// A pending proposal of `origin`, if any: one transfer at a time.
pub async fn pending_of<C: ConnectionTrait>(
    db: &C,
    origin_ap_id: &str,
) -> DomainResult<Option<tp::Model>> {
    let now = Utc::now();
    Ok(tp::Entity::find()
        .filter(tp::Column::OriginApId.eq(origin_ap_id))
        .filter(tp::Column::State.eq(PENDING))
        .all(db)
        .await?
        .into_iter()
        .find(|p| p.expires_at >= now))
}

/// What a new proposal records.
pub struct NewProposal<'a> {
    pub offer_ap_id: String,
    pub direction: &'a str,
    pub origin: (&'a str, &'a str),
    pub successor: (&'a str, &'a str),
    pub note: &'a str,
    pub map: &'a [(String, String)],
    pub proposed_by: &'a str,
    pub state: &'a str,
}

/// Record a proposal (or, for a transfer that needs no consent, its history row).
pub async fn record<C: ConnectionTrait>(db: &C, p: NewProposal<'_>) -> DomainResult<tp::Model> {
    let now = Utc::now();
    let done = p.state == MOVED;
    Ok(tp::ActiveModel {
        offer_ap_id: Set(p.offer_ap_id),
        direction: Set(p.direction.into()),
        origin_ap_id: Set(p.origin.0.into()),
        origin_name: Set(p.origin.1.into()),
        successor_ap_id: Set(p.successor.0.into()),
        successor_name: Set(p.successor.1.into()),
        note: Set(p.note.into()),
        map: Set(serde_json::to_string(p.map).map_err(anyhow::Error::from)?),
        state: Set(p.state.into()),
        reason: Set(None),
        proposed_by: Set(p.proposed_by.into()),
        answered_by: Set(done.then(|| p.proposed_by.to_string())),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::days(EXPIRY_DAYS)),
        answered_at: Set(done.then_some(now)),
        moved_at: Set(done.then_some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The `[old, new]` pairs of a co-op's hand-over.
pub fn map_of(p: &tp::Model) -> Vec<(String, String)> {
    serde_json::from_str(&p.map).unwrap_or_default()
}

/// A proposal by id, with the clear refusals of `transfers accept|decline`: unknown,
/// expired, already answered, or not addressed to this node.
async fn answerable<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> DomainResult<(tp::Model, actor::Model)> {
    let p = tp::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::NotFound(crate::msg!("error-proposal-unknown", id = id)))?;
    let successor = actor::Entity::find()
        .filter(actor::Column::ApId.eq(p.successor_ap_id.as_str()))
        .filter(actor::Column::Local.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::Conflict(crate::msg!(
                "error-proposal-elsewhere",
                id = id,
                successor = &p.successor_ap_id
            ))
        })?;
    match state_of(&p, Utc::now()) {
        PENDING => Ok((p, successor)),
        EXPIRED => Err(DomainError::Conflict(crate::msg!(
            "error-proposal-expired",
            id = id,
            date = p.expires_at.date_naive().to_string()
        ))),
        other => Err(DomainError::Conflict(match p.answered_by.as_deref() {
            Some(by) => crate::msg!(
                "error-proposal-answered-by",
                id = id,
                state = other,
                by = by
            ),
            None => crate::msg!("error-proposal-answered", id = id, state = other),
        })),
    }
}

/// The successor actor a proposal is addressed to, when it is on this node: for the
/// HTTP layer's check that the account may act on it.
pub async fn addressed_to<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> DomainResult<(tp::Model, actor::Model)> {
    answerable(db, id).await
}

/// Accept a proposal addressed to a co-op of this node: the successor lists the origin in
/// `alsoKnownAs` and tells its followers (`Update`); then, for an origin of this node, the
/// move happens at once; for an origin on another node, it gets `Accept(Offer)` and sends
/// the `Move` itself after checking the successor.
pub async fn accept(state: &Domain, id: i64, by: &Acting) -> DomainResult<tp::Model> {
    let (p, successor) = answerable(&state.db, id).await?;
    check_answerer(&p, &successor, by)?;
    let map = map_of(&p);
    let txn = state.db.begin_write().await?;
    // The successor and, for a co-op's hand-over, each offering's successor list their
    // predecessor; each is read fresh, since one actor may take over several.
    let pairs =
        std::iter::once((p.origin_ap_id.clone(), successor.ap_id.clone())).chain(map.clone());
    for (old, new) in pairs {
        if let Some(n) = actor::Entity::find()
            .filter(actor::Column::ApId.eq(new.as_str()))
            .filter(actor::Column::Local.eq(true))
            .one(&txn)
            .await?
        {
            add_alias(&txn, state, &n, &old).await?;
        }
    }
    let now = Utc::now();
    let mut am: tp::ActiveModel = p.clone().into();
    am.state = Set(ACCEPTED.into());
    am.answered_by = Set(Some(by.name()));
    am.answered_at = Set(Some(now));
    let origin = actor::Entity::find()
        .filter(actor::Column::ApId.eq(p.origin_ap_id.as_str()))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            DomainError::Invalid(crate::msg!(
                "error-proposal-origin-unknown",
                id = &p.origin_ap_id
            ))
        })?;
    if origin.local {
        let successor = actor::Entity::find_by_id(successor.id)
            .one(&txn)
            .await?
            .ok_or_else(|| DomainError::NotFound(crate::msg!("error-successor-gone")))?;
        super::lifecycle::complete_move(&txn, state, &origin, &successor, &map, &p.note).await?;
        am.state = Set(MOVED.into());
        am.moved_at = Set(Some(now));
    } else {
        state
            .effects
            .record(
                &txn,
                Effect::TransferAnswered {
                    successor: successor.clone(),
                    origin,
                    offer_id: p.offer_ap_id.clone(),
                    accepted: true,
                    reason: None,
                },
            )
            .await?;
    }
    let saved = am.update(&txn).await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(saved)
}

/// Decline a proposal: nothing changes on either side; the origin is told why.
pub async fn decline(
    state: &Domain,
    id: i64,
    reason: &str,
    by: &Acting,
) -> DomainResult<tp::Model> {
    let (p, successor) = answerable(&state.db, id).await?;
    check_answerer(&p, &successor, by)?;
    let reason = reason.trim();
    let txn = state.db.begin_write().await?;
    let mut am: tp::ActiveModel = p.clone().into();
    am.state = Set(DECLINED.into());
    am.answered_by = Set(Some(by.name()));
    am.answered_at = Set(Some(Utc::now()));
    am.reason = Set((!reason.is_empty()).then(|| reason.to_string()));
    if let Some(origin) = actor::Entity::find()
        .filter(actor::Column::ApId.eq(p.origin_ap_id.as_str()))
        .filter(actor::Column::Local.eq(false))
        .one(&txn)
        .await?
    {
        state
            .effects
            .record(
                &txn,
                Effect::TransferAnswered {
                    successor: successor.clone(),
                    origin,
                    offer_id: p.offer_ap_id.clone(),
                    accepted: false,
                    reason: Some(reason.to_string()),
                },
            )
            .await?;
    }
    let saved = am.update(&txn).await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(saved)
}

/// Only the successor's side answers: its staff, an admin, or the operator. Staff of the
/// proposing co-op cannot accept their own proposal for another co-op.
fn check_answerer(p: &tp::Model, successor: &actor::Model, by: &Acting) -> DomainResult<()> {
    match by {
        Acting::Admin(_) | Acting::Operator => Ok(()),
        Acting::Staff { username, coop_id } => {
            if coop_of(successor) == Some(*coop_id) {
                Ok(())
            } else {
                Err(DomainError::Invalid(crate::msg!(
                    "error-proposal-not-yours",
                    id = p.id,
                    successor = &p.successor_name,
                    username = username.as_str()
                )))
            }
        }
    }
}

/// Add `old` to the `alsoKnownAs` of the local actor `s` and send its `Update`.
async fn add_alias(
    db: &DatabaseTransaction,
    state: &Domain,
    s: &actor::Model,
    old: &str,
) -> DomainResult<()> {
    let mut aka: Vec<String> = serde_json::from_str(&s.also_known_as).unwrap_or_default();
    if aka.iter().any(|a| a == old) {
        return Ok(());
    }
    aka.push(old.to_string());
    let mut am: actor::ActiveModel = s.clone().into();
    am.also_known_as = Set(serde_json::to_string(&aka).map_err(anyhow::Error::from)?);
    am.updated_at = Set(Utc::now());
    let s = am.update(db).await?;
    state
        .effects
        .record(db, Effect::ListingChanged(s.clone()))
        .await?;
    Ok(())
}

/// Add `old` to a local successor's `alsoKnownAs` with its `Update`, for a transfer that
/// needs no consent (same co-op, or an admin acting for both).
pub async fn alias_local(
    db: &DatabaseTransaction,
    state: &Domain,
    s: &actor::Model,
    old: &str,
) -> DomainResult<()> {
    add_alias(db, state, s, old).await
}

/// Mark pending proposals past their date as expired; returns how many.
pub async fn expire<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> DomainResult<u64> {
    let r = tp::Entity::update_many()
        .col_expr(tp::Column::State, sea_orm::sea_query::Expr::value(EXPIRED))
        .filter(tp::Column::State.eq(PENDING))
        .filter(tp::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// A proposal as `coopdir transfers --json` and the API show it.
pub fn to_json(p: &tp::Model, now: DateTime<Utc>) -> serde_json::Value {
    serde_json::json!({
        "id": p.id,
        "from": p.origin_ap_id,
        "from_name": p.origin_name,
        "to": p.successor_ap_id,
        "to_name": p.successor_name,
        "state": state_of(p, now),
        "direction": p.direction,
        "note": p.note,
        "map": map_of(p).into_iter().map(|(o, n)| serde_json::json!({"old": o, "new": n})).collect::<Vec<_>>(),
        "reason": p.reason,
        "proposed_by": p.proposed_by,
        "answered_by": p.answered_by,
        "proposed_at": p.created_at,
        "expires_at": p.expires_at,
        "answered_at": p.answered_at,
        "moved_at": p.moved_at,
    })
}

/// What changes for members if a proposal goes through: price, platform and features
/// that differ between the two listings (when both are known with their attributes).
pub async fn changes_of<C: ConnectionTrait>(db: &C, p: &tp::Model) -> DomainResult<Vec<String>> {
    let find = |id: &str| {
        actor::Entity::find()
            .filter(actor::Column::ApId.eq(id.to_string()))
            .one(db)
    };
    let (Some(a), Some(b)) = (
        find(&p.origin_ap_id).await?,
        find(&p.successor_ap_id).await?,
    ) else {
        return Ok(vec![]);
    };
    if a.kind != ActorKind::Offering
        || b.kind != ActorKind::Offering
        || a.attributes.is_none()
        || b.attributes.is_none()
    {
        return Ok(vec![]);
    }
    match (super::offering_spec(&a), super::offering_spec(&b)) {
        (Ok(x), Ok(y)) => Ok(super::lifecycle::listing_changes(&x, &y).unwrap_or_default()),
        _ => Ok(vec![]),
    }
}

/// Keep a transfer offered from another node (`Offer`) as a pending incoming proposal to
/// `successor`; an offer kept before under the same id stays as it is.
pub async fn record_offered<C: ConnectionTrait>(
    db: &C,
    offer_ap_id: &str,
    origin: &actor::Model,
    successor: &actor::Model,
    note: String,
    map: &[(String, String)],
    now: DateTime<Utc>,
) -> DomainResult<()> {
    tp::Entity::insert(tp::ActiveModel {
        offer_ap_id: Set(offer_ap_id.to_string()),
        direction: Set("in".into()),
        origin_ap_id: Set(origin.ap_id.clone()),
        origin_name: Set(origin.name.clone()),
        successor_ap_id: Set(successor.ap_id.clone()),
        successor_name: Set(successor.name.clone()),
        note: Set(note),
        map: Set(serde_json::to_string(map).map_err(anyhow::Error::from)?),
        state: Set(PENDING.into()),
        reason: Set(None),
        proposed_by: Set(origin.ap_id.clone()),
        answered_by: Set(None),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::days(EXPIRY_DAYS)),
        answered_at: Set(None),
        moved_at: Set(None),
        ..Default::default()
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(tp::Column::OfferApId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Our outgoing proposal with this `Offer` id, if there is one.
pub async fn offered_by_us<C: ConnectionTrait>(
    db: &C,
    offer_ap_id: &str,
) -> DomainResult<Option<tp::Model>> {
    Ok(tp::Entity::find()
        .filter(tp::Column::OfferApId.eq(offer_ap_id))
        .filter(tp::Column::Direction.eq("out"))
        .one(db)
        .await?)
}

/// The successor's node declined our proposal (`Reject`), with its reason if it gave one.
pub async fn declined_remotely<C: ConnectionTrait>(
    db: &C,
    p: tp::Model,
    by: &str,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let mut am: tp::ActiveModel = p.into();
    am.state = Set(DECLINED.into());
    am.answered_by = Set(Some(by.to_string()));
    am.answered_at = Set(Some(now));
    am.reason = Set(reason
        .map(|r| crate::html::to_text(&r).chars().take(2000).collect())
        .filter(|r: &String| !r.trim().is_empty()));
    am.update(db).await?;
    Ok(())
}

/// Note on a pending proposal why its move waits.
pub async fn note_waiting<C: ConnectionTrait>(
    db: &C,
    p: &tp::Model,
    why: &str,
) -> DomainResult<()> {
    let mut am: tp::ActiveModel = p.clone().into();
    am.reason = Set(Some(why.to_string()));
    am.update(db).await?;
    Ok(())
}

/// The successor's node accepted our proposal and the move is done (in `txn`, with it).
pub async fn moved_after_accept(
    txn: &DatabaseTransaction,
    p: &tp::Model,
    by: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let mut am: tp::ActiveModel = p.clone().into();
    am.answered_by = Set(Some(by.to_string()));
    am.answered_at = Set(Some(now));
    am.reason = Set(None);
    am.state = Set(MOVED.into());
    am.moved_at = Set(Some(now));
    am.update(txn).await?;
    Ok(())
}
