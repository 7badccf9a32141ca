//! Transfers of a listing to a successor: `POST /staff/{username}/transfer` proposes (or,
//! within a co-op, moves at once); the successor's staff accept or decline on
//! `/staff/transfers/{id}/…`.

use super::super::{
    forms::{Errors, Page, field, pairs_of, refused, trimmed, with_status},
    i18n::Tr,
    pages::{Base, error_page},
};
use super::manage::{Forms, manage_page, refused_page};
use crate::{
    directory::{
        DomainError, accounts, lifecycle,
        staff_views::{self, Account, Actor},
        transfers,
    },
    federation::Ctx,
    http::error::AppError,
};
use axum::{
    body::Bytes,
    extract::Path,
    http::{HeaderMap, StatusCode},
    response::Response,
};

#[derive(Default)]
pub struct TransferForm {
    pub to: String,
    pub note: String,
    /// The notice a preview would post, and whether the successor must accept first.
    pub preview: Option<(String, bool)>,
    pub errors: Errors,
}

impl TransferForm {
    /// The form as posted, with the errors of its own fields.
    fn posted(pairs: &[(String, String)], preview: bool) -> Self {
        let mut form = TransferForm {
            to: trimmed(pairs, "to"),
            note: trimmed(pairs, "note"),
            ..Default::default()
        };
        if form.to.is_empty() {
            form.errors.add("to", Tr.t("transfer-to-missing"));
        }
        if !preview && field(pairs, "confirm").is_empty() {
            form.errors.add("confirm", Tr.t("transfer-confirm-missing"));
        }
        form
    }
}

/// A transfer proposal as the staff page shows it.
pub struct ProposalView {
    pub id: i64,
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    pub state: String,
    pub note: String,
    pub reason: String,
    pub changes: Vec<String>,
    /// Addressed to this co-op and still pending: the page offers Accept and Decline.
    pub answerable: bool,
    pub expires: String,
}

fn transfer_forms(form: TransferForm) -> Forms {
    Forms {
        transfer: Some(form),
        ..Default::default()
    }
}

/// `POST /staff/{username}/transfer`: propose the transfer to a successor; it moves at
/// once only within the co-op (or by an admin for both co-ops). `preview` shows the
/// notice and writes nothing.
pub async fn transfer(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let (base, account, target) = super::managed(&ctx, &headers, &username).await?;
    let pairs = pairs_of(&body);
    let preview = !field(&pairs, "preview").is_empty();
    let mut form = TransferForm::posted(&pairs, preview);
    match run(&ctx, &account, &target, &form, preview).await {
        Ok(lifecycle::TransferOutcome::Moved { .. }) => Ok(super::done(&username, "transfer")),
        Ok(lifecycle::TransferOutcome::Proposed { .. }) => Ok(super::done(&username, "proposed")),
        Ok(lifecycle::TransferOutcome::Preview {
            text,
            needs_consent,
            ..
        }) => {
            form.preview = Some((text, needs_consent));
            Ok(manage_page(&ctx, base, &target, transfer_forms(form)).await)
        }
        Err(e) => Err(refused_transfer(&ctx, base, &target, form, e).await),
    }
}

/// The transfer the form asks for, when its own fields are valid.
async fn run(
    ctx: &Ctx,
    account: &Account,
    target: &Actor,
    form: &TransferForm,
    preview: bool,
) -> Result<lifecycle::TransferOutcome, DomainError> {
    if !form.errors.is_empty() {
        return Err(DomainError::Invalid(String::new().into()));
    }
    let by = transfers::Acting::of(account);
    lifecycle::transfer(
        ctx,
        target,
        lifecycle::TransferRequest {
            to: &form.to,
            note: &form.note,
            map: &[],
            preview,
            by: &by,
        },
    )
    .await
}

/// The form again with the domain's message next to the successor (422).
async fn refused_transfer(
    ctx: &Ctx,
    base: Base,
    target: &Actor,
    mut form: TransferForm,
    e: DomainError,
) -> Response {
    let m = match refused(e) {
        Ok(m) => m,
        Err(e) => return error_page(base, e),
    };
    if !m.is_empty() {
        form.errors.add("to", m);
    }
    refused_page(ctx, base, target, transfer_forms(form)).await
}

/// The proposals that concern the co-op of `a` (as origin or successor).
pub(super) async fn proposal_views(ctx: &Ctx, a: &Actor) -> Result<Vec<ProposalView>, AppError> {
    let Some(coop) = transfers::coop_of(a) else {
        return Ok(vec![]);
    };
    let now = chrono::Utc::now();
    let ours = staff_views::coop_ap_ids(&ctx.db, coop).await?;
    let mut out = Vec::new();
    for p in transfers::for_coop(&ctx.db, coop).await? {
        let state = transfers::state_of(&p, now).to_string();
        out.push(ProposalView {
            id: p.id,
            answerable: state == transfers::PENDING && ours.contains(&p.successor_ap_id),
            changes: transfers::changes_of(&ctx.db, &p).await?,
            from: p.origin_ap_id,
            from_name: p.origin_name,
            to: p.successor_ap_id,
            to_name: p.successor_name,
            state,
            note: p.note,
            reason: p.reason.unwrap_or_default(),
            expires: p.expires_at.date_naive().to_string(),
        });
    }
    Ok(out)
}

/// The proposal `id` and its successor, when the session's account may answer it.
async fn answering(
    ctx: &Ctx,
    headers: &HeaderMap,
    id: i64,
) -> Result<(Base, Account, Actor), Response> {
    let (base, account) = super::logged_in(ctx, headers).await?;
    let successor = match transfers::addressed_to(&ctx.db, id).await {
        Ok((_, s)) => s,
        Err(e) => {
            return Err(with_status(
                error_page(base, e.into()),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if let Err(e) = accounts::authorize(&account, &successor) {
        return Err(error_page(base, e.into()));
    }
    Ok((base, account, successor))
}

/// `POST /staff/transfers/{id}/accept`: the successor's staff accept a proposal.
pub async fn accept_transfer(ctx: Ctx, Path(id): Path<i64>, headers: HeaderMap) -> Page {
    let (base, account, successor) = answering(&ctx, &headers, id).await?;
    transfers::accept(&ctx, id, &transfers::Acting::of(&account))
        .await
        .map_err(|e| error_page(base, e.into()))?;
    Ok(super::done(&successor.username, "accepted"))
}

/// `POST /staff/transfers/{id}/decline`: the successor's staff decline, with a reason
/// the proposing co-op reads.
pub async fn decline_transfer(
    ctx: Ctx,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let (base, account, successor) = answering(&ctx, &headers, id).await?;
    let reason = field(&pairs_of(&body), "reason").trim().to_string();
    transfers::decline(&ctx, id, &reason, &transfers::Acting::of(&account))
        .await
        .map_err(|e| error_page(base, e.into()))?;
    Ok(super::done(&successor.username, "declined"))
}
