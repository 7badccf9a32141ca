//! The federation side of the domain's effects: each [`Effect`] becomes the activities
//! and deliveries that [`super::send`] writes inside the domain's transaction. Like
//! Lemmy's `SendActivityData`, the domain names what happened and this module decides
//! what is sent.

use super::{AppState, Inner, send};
use crate::{
    directory::{
        DomainError, DomainResult,
        effects::{Effect, Effects, Recorded},
    },
    http::error::AppError,
};
use sea_orm::DatabaseTransaction;
use std::sync::Weak;

/// The node's effects sink. It holds the node's state weakly: the state owns it.
pub struct FederationEffects {
    state: Weak<Inner>,
}

impl FederationEffects {
    pub fn new(state: Weak<Inner>) -> Self {
        FederationEffects { state }
    }

    fn state(&self) -> DomainResult<AppState> {
        self.state
            .upgrade()
            .map(AppState)
            .ok_or_else(|| DomainError::Other(anyhow::anyhow!("the node is shutting down")))
    }
}

/// An error of the protocol layer (a delivery that could not be written, a refused host)
/// as the domain reports it.
pub fn domain_error(e: AppError) -> DomainError {
    match e {
        // A host refused by the domain policy is refused input of the command that named
        // it (422 on the API, as before); the other outcomes keep their own kind.
        AppError::BadRequest(m) | AppError::Unprocessable(m) | AppError::Forbidden(m) => {
            DomainError::invalid(m)
        }
        AppError::Unauthorized(m) => DomainError::Unauthorized(m.into()),
        AppError::NotFound(m) => DomainError::NotFound(m.into()),
        AppError::Conflict(m) => DomainError::Conflict(m.into()),
        AppError::Gone(m) => DomainError::Gone(m.into()),
        AppError::BadGateway(m) => DomainError::Upstream(m.into()),
        AppError::TooManyRequests(m, secs) => DomainError::RateLimited(m.into(), secs),
        AppError::Internal(e) => DomainError::Other(e),
    }
}

#[async_trait::async_trait]
impl Effects for FederationEffects {
    async fn record(&self, txn: &DatabaseTransaction, effect: Effect) -> DomainResult<Recorded> {
        let state = self.state()?;
        let state = &state;
        let mut recorded = Recorded::default();
        let result = match effect {
            Effect::Announced {
                author,
                announcement,
            } => send::create_note(txn, state, &author, &announcement).await,
            Effect::Relayed { group, object } => send::announce(txn, state, &group, &object).await,
            Effect::AnnouncementEdited {
                author,
                announcement,
            } => send::update_note(txn, state, &author, &announcement).await,
            Effect::AnnouncementWithdrawn {
                author,
                announcement,
            } => send::delete_note(txn, state, &author, &announcement).await,
            Effect::ListingChanged(a)
            | Effect::ModerationChanged(a)
            | Effect::SunsetScheduled(a)
            | Effect::SunsetCancelled(a)
            | Effect::Closed(a) => send::update_actor(txn, state, &a).await,
            Effect::ListingRemoved(a) => send::delete_actor(txn, state, &a).await,
            Effect::Moved { actor, target } => match send::update_actor(txn, state, &actor).await {
                Ok(()) => send::move_actor(txn, state, &actor, &target).await,
                Err(e) => Err(e),
            },
            Effect::ReportForwarded {
                instance,
                target,
                statuses,
                comment,
            } => send::flag(txn, state, &instance, &target, &statuses, &comment).await,
            Effect::TransferProposed {
                origin,
                successor,
                note,
                map,
            } => send::offer(txn, state, &origin, &successor, &note, &map)
                .await
                .map(|id| recorded.activity_id = Some(id)),
            Effect::TransferAnswered {
                successor,
                origin,
                offer_id,
                accepted,
                reason,
            } => {
                send::answer_offer(
                    txn,
                    state,
                    if accepted { "Accept" } else { "Reject" },
                    &successor,
                    &origin,
                    &offer_id,
                    reason.as_deref(),
                )
                .await
            }
        };
        result.map_err(domain_error)?;
        Ok(recorded)
    }

    fn committed(&self) {
        if let Some(state) = self.state.upgrade() {
            state.queue_notify.notify_one();
        }
    }

    fn documents_changed(&self) {
        if let Some(state) = self.state.upgrade() {
            state.docs.invalidate();
        }
    }
}
