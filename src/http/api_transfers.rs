//! The lifecycle endpoints of the JSON API: sunsets (start, preview, postpone, cancel),
//! transfers (propose, preview) and the answers to transfer proposals. Each calls the
//! same `directory` function as the CLI and the staff pages. Who may answer a proposal is
//! the staff of the successor's co-op (or an admin): a token of the proposing co-op gets
//! 403, whatever it sends.

use super::api::{
    Bearer, ErrorBody, LifecycleState, end_date, json_body, lifecycle_state, no_store,
    successor_shape,
};
use crate::{
    directory::{
        accounts::{self, Role},
        lifecycle::{self, SunsetRequest, TransferOutcome, TransferRequest},
        records::{Account, Actor, TransferProposal},
        transfers::{self, Acting},
    },
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, rejection::PathRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

// ---------------------------------------------------------------------------------------
// The answers

/// A transfer proposal, as `GET /api/v1/transfers` lists it (and `coopdir transfers
/// --json` shows it).
#[derive(Debug, Serialize, ToSchema)]
pub struct Proposal {
    /// The proposal's number, for `/api/v1/transfers/{id}/accept` and `…/decline`.
    pub id: i64,
    /// The actor id of the co-op or offering that is handed over.
    pub from: String,
    pub from_name: String,
    /// The actor id of the successor.
    pub to: String,
    pub to_name: String,
    /// `pending` until answered; `expired` 30 days later without an answer.
    #[schema(value_type = ProposalState)]
    pub state: String,
    /// `out` where the origin lives, `in` where the successor lives.
    #[schema(value_type = ProposalDirection)]
    pub direction: String,
    /// The proposing co-op's note to its members.
    pub note: String,
    /// For a co-op's hand-over: the successor of each of its offerings.
    pub map: Vec<MapPair>,
    /// Why it was declined, when the successor said.
    pub reason: Option<String>,
    /// Who proposed it (`admin NAME`, `staff NAME`, or the operator).
    pub proposed_by: String,
    pub answered_by: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub proposed_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: DateTime<Utc>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub moved_at: Option<DateTime<Utc>>,
}

/// The states of a proposal.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProposalState {
    Pending,
    Accepted,
    Declined,
    Expired,
    Moved,
}

/// Which side of a proposal this node is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProposalDirection {
    In,
    Out,
}

/// One offering of a co-op's hand-over and its successor (actor ids).
#[derive(Debug, Serialize, ToSchema)]
pub struct MapPair {
    pub old: String,
    pub new: String,
}

impl Proposal {
    fn of(p: &TransferProposal, now: DateTime<Utc>) -> Proposal {
        Proposal {
            id: p.id,
            from: p.origin_ap_id.clone(),
            from_name: p.origin_name.clone(),
            to: p.successor_ap_id.clone(),
            to_name: p.successor_name.clone(),
            state: transfers::state_of(p, now).to_string(),
            direction: p.direction.clone(),
            note: p.note.clone(),
            map: transfers::map_of(p)
                .into_iter()
                .map(|(old, new)| MapPair { old, new })
                .collect(),
            reason: p.reason.clone(),
            proposed_by: p.proposed_by.clone(),
            answered_by: p.answered_by.clone(),
            proposed_at: p.created_at,
            expires_at: p.expires_at,
            answered_at: p.answered_at,
            moved_at: p.moved_at,
        }
    }
}

/// `true`, the only value of `preview` in a preview.
fn always_true() -> utoipa::openapi::ObjectBuilder {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::Boolean)
        .enum_values(Some([true]))
}

/// The answer naming one proposal: a transfer proposed (202), accepted or declined (200).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalAnswer {
    pub proposal: Proposal,
}

/// `GET /api/v1/transfers`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalList {
    /// Newest first.
    pub items: Vec<Proposal>,
}

/// What a sunset would post, written nowhere (`"preview": true`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SunsetPreview {
    /// Always `true`: nothing was written.
    #[schema(schema_with = always_true)]
    pub preview: bool,
    /// The last day of service the announcements name.
    #[schema(value_type = String, format = Date)]
    pub last_day_of_service: NaiveDate,
    /// One announcement for each listing that would sunset (for a co-op: the co-op and
    /// each of its active offerings).
    pub announcements: Vec<SunsetNotice>,
}

/// One announcement of a sunset.
#[derive(Debug, Serialize, ToSchema)]
pub struct SunsetNotice {
    /// The actor id of the listing that posts it.
    pub actor: String,
    pub handle: String,
    /// The exact text followers get.
    pub text: String,
    /// Each alternative named, as `@handle: reason`; the pinned ones first.
    pub alternatives: Vec<String>,
}

/// The answer of a sunset: the listing's lifecycle, or the preview.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum SunsetAnswer {
    State(LifecycleState),
    Preview(SunsetPreview),
}

/// What a transfer would announce, written nowhere (`"preview": true`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferPreview {
    /// Always `true`: nothing was written.
    #[schema(schema_with = always_true)]
    pub preview: bool,
    /// The successor's actor id.
    pub successor: String,
    /// Whether the successor's co-op must accept before anything moves.
    pub needs_consent: bool,
    /// The exact notice followers would get, with what changes for them.
    pub text: String,
}

/// The answer of a transfer made at once or previewed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum TransferAnswer {
    State(LifecycleState),
    Preview(TransferPreview),
}

/// Most alternatives a sunset pins.
pub const MAX_PINNED: usize = 10;
/// Most `OLD=NEW` pairs of a co-op's hand-over.
pub const MAX_MAP: usize = 100;
/// Most characters of a migration note (after trimming), as `lifecycle` checks it.
pub const MAX_NOTE: usize = 2000;

/// The body of `POST /api/v1/offerings/{username}/sunset` (its schema: [`sunset_schema`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SunsetBody {
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    alternatives: Vec<String>,
    #[serde(default)]
    preview: bool,
    #[serde(default)]
    cancel: bool,
}

/// A note of at most [`MAX_NOTE`] characters after trimming (422 naming the field).
fn check_note(note: &str) -> AppResult<()> {
    if note.trim().chars().count() > MAX_NOTE {
        return Err(AppError::Unprocessable(
            crate::msg!("error-api-note-long", max = MAX_NOTE.to_string())
                .prefixed("note")
                .text(),
        ));
    }
    Ok(())
}

/// Every value of the body is checked before anything happens, `end` too when cancelling,
/// so that what the description refuses is refused (422) whatever the listing's state.
/// What depends on the listing or the day is checked by `lifecycle`: a sunset sooner than
/// the promised notice or in the past, a cancel without a sunset, a pinned alternative of
/// a closing co-op (409), an unknown alternative (404).
pub async fn sunset(ctx: &Ctx, target: &Actor, body: &[u8]) -> AppResult<Response> {
    let req: SunsetBody = json_body(body)?;
    let end = req.end.as_deref().map(end_date).transpose()?;
    check_note(&req.note)?;
    if req.alternatives.len() > MAX_PINNED {
        return Err(AppError::Unprocessable(
            crate::msg!("error-api-alternatives-many", max = MAX_PINNED.to_string())
                .prefixed("alternatives")
                .text(),
        ));
    }
    if req.cancel {
        lifecycle::cancel_sunset(ctx, target).await?;
        let state = SunsetAnswer::State(lifecycle_state(ctx, target).await?);
        return Ok(no_store(Json(state).into_response()));
    }
    let end = end.ok_or_else(|| {
        AppError::Unprocessable(crate::msg!("error-api-end-required").prefixed("end").text())
    })?;
    let report = lifecycle::sunset_plan(
        ctx,
        target,
        SunsetRequest {
            end,
            today: Utc::now().date_naive(),
            note: &req.note,
            alternatives: &req.alternatives,
            preview: req.preview,
        },
    )
    .await?;
    let answer = if req.preview {
        SunsetAnswer::Preview(SunsetPreview {
            preview: true,
            last_day_of_service: report.end,
            announcements: report
                .announcements
                .into_iter()
                .map(|n| SunsetNotice {
                    actor: n.actor,
                    handle: n.handle,
                    text: n.text,
                    alternatives: n.alternatives,
                })
                .collect(),
        })
    } else {
        SunsetAnswer::State(lifecycle_state(ctx, target).await?)
    };
    Ok(no_store(Json(answer).into_response()))
}

/// The body of `POST /api/v1/offerings/{username}/transfer` (its schema:
/// [`transfer_schema`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    to: String,
    #[serde(default)]
    confirm: bool,
    #[serde(default)]
    note: String,
    #[serde(default)]
    map: Vec<String>,
    #[serde(default)]
    preview: bool,
}

pub async fn transfer(
    ctx: &Ctx,
    account: &Account,
    target: &Actor,
    body: &[u8],
) -> AppResult<Response> {
    let req: TransferBody = json_body(body)?;
    successor_shape(&req.to).map_err(|e| AppError::Unprocessable(e.prefixed("to").text()))?;
    check_note(&req.note)?;
    if req.map.len() > MAX_MAP {
        return Err(AppError::Unprocessable(
            crate::msg!("error-api-map-many", max = MAX_MAP)
                .prefixed("map")
                .text(),
        ));
    }
    if let Some(bad) = req.map.iter().find(|m| !m.contains('=')) {
        return Err(AppError::Unprocessable(
            crate::msg!("error-api-map-pair", pair = bad)
                .prefixed("map")
                .text(),
        ));
    }
    if !req.confirm && !req.preview {
        return Err(AppError::Unprocessable(
            crate::msg!("error-api-transfer-confirm")
                .prefixed("confirm")
                .text(),
        ));
    }
    let by = Acting::of(account);
    let outcome = lifecycle::transfer(
        ctx,
        target,
        TransferRequest {
            to: &req.to,
            note: &req.note,
            map: &req.map,
            preview: req.preview,
            by: &by,
        },
    )
    .await?;
    Ok(no_store(match outcome {
        TransferOutcome::Moved { .. } => {
            Json(TransferAnswer::State(lifecycle_state(ctx, target).await?)).into_response()
        }
        TransferOutcome::Proposed { id, .. } => {
            let p = proposal(ctx, id).await?;
            let proposal = Proposal::of(&p, Utc::now());
            (StatusCode::ACCEPTED, Json(ProposalAnswer { proposal })).into_response()
        }
        TransferOutcome::Preview {
            successor,
            needs_consent,
            text,
        } => Json(TransferAnswer::Preview(TransferPreview {
            preview: true,
            successor,
            needs_consent,
            text,
        }))
        .into_response(),
    }))
}

// ---------------------------------------------------------------------------------------
// The schemas of the request bodies, written by hand: each body is one of two shapes (a
// sunset needs `end` unless it cancels; a transfer needs `confirm` or `preview`), which a
// derived schema cannot say.

use utoipa::{
    PartialSchema,
    openapi::{
        ArrayBuilder, ObjectBuilder, RefOr, Schema, Type,
        schema::{AdditionalProperties, AnyOfBuilder},
    },
};

fn boolean(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .default(Some(false.into()))
        .description(Some(description))
}

fn note_schema(what: &str) -> ObjectBuilder {
    super::openapi::trimmed_text(MAX_NOTE).description(Some(what))
}

/// One shape of a body: `properties` with `required` ones, nothing else.
fn shape(properties: Vec<(&str, RefOr<Schema>)>, required: &[&str]) -> ObjectBuilder {
    let mut o = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for (name, schema) in properties {
        o = o.property(name, schema);
    }
    for r in required {
        o = o.required(*r);
    }
    o
}

fn sunset_schema() -> RefOr<Schema> {
    let props = |cancel_only: bool| {
        let end = super::openapi::end_date_schema().description(Some(
            "The last day of service, YYYY-MM-DD (years 2000 to 2999). It must be today or \
             later and no sooner than the longest notice the listing promised, which no \
             schema can say: a date that is too soon is answered 409 with the earliest \
             allowed date. Required unless `cancel`.",
        ));
        let end = if cancel_only {
            super::openapi::nullable(end)
        } else {
            end
        };
        let cancel = if cancel_only {
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .enum_values(Some([true]))
                .description(Some("Call the sunset off: the listing is active again."))
        } else {
            boolean("Call the sunset off: the listing is active again.")
        };
        vec![
            ("end", end.into()),
            (
                "note",
                note_schema(
                    "The co-op's migration note (at most 2000 characters): how to export \
                     recordings, until when accounts stay readable, whom to ask. Goes into \
                     the announcements and onto the listing's page.",
                )
                .into(),
            ),
            (
                "alternatives",
                ArrayBuilder::new()
                    .items(ObjectBuilder::new().schema_type(Type::String))
                    .max_items(Some(MAX_PINNED))
                    .description(Some(
                        "Alternatives the co-op pins (handles name@domain or actor URLs of listed \
                     offerings), named first. An unknown one is answered 404; one of a \
                     closing co-op, 409.",
                    ))
                    .into(),
            ),
            (
                "preview",
                boolean("Answer the announcements and the end date; write nothing.").into(),
            ),
            ("cancel", cancel.into()),
        ]
    };
    AnyOfBuilder::new()
        .item(shape(props(false), &["end"]))
        .item(shape(props(true), &["cancel"]))
        .description(Some(
            "Start, preview or postpone a sunset (`end`), or call it off (`\"cancel\": true`).",
        ))
        .into()
}

impl PartialSchema for SunsetBody {
    fn schema() -> RefOr<Schema> {
        sunset_schema()
    }
}
impl ToSchema for SunsetBody {}

fn transfer_schema() -> RefOr<Schema> {
    let props = |by_preview: bool| {
        let yes = |d: &str| {
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .enum_values(Some([true]))
                .description(Some(d))
        };
        let confirm = "A transfer cannot be undone: `true` confirms it.";
        let preview = "Answer the notice and whether consent is needed; write nothing.";
        vec![
            ("to", super::openapi::successor_schema().into()),
            (
                "confirm",
                if by_preview {
                    boolean(confirm)
                } else {
                    yes(confirm)
                }
                .into(),
            ),
            (
                "preview",
                if by_preview {
                    yes(preview)
                } else {
                    boolean(preview)
                }
                .into(),
            ),
            (
                "note",
                note_schema(
                    "The co-op's note to its members (at most 2000 characters), in the \
                     announcements and the proposal.",
                )
                .into(),
            ),
            (
                "map",
                ArrayBuilder::new()
                    .items(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .pattern(Some("=")),
                    )
                    .max_items(Some(MAX_MAP))
                    .description(Some(
                        "For a co-op: `OLD=NEW` pairs naming the successor offering of each of \
                     its offerings (an unmapped one moves to the successor co-op).",
                    ))
                    .into(),
            ),
        ]
    };
    AnyOfBuilder::new()
        .item(shape(props(false), &["to", "confirm"]))
        .item(shape(props(true), &["to", "preview"]))
        .description(Some(
            "Propose or make a transfer (`\"confirm\": true`), or preview it \
             (`\"preview\": true`).",
        ))
        .into()
}

impl PartialSchema for TransferBody {
    fn schema() -> RefOr<Schema> {
        transfer_schema()
    }
}
impl ToSchema for TransferBody {}

async fn proposal(ctx: &Ctx, id: i64) -> AppResult<TransferProposal> {
    crate::directory::browse::proposal_by_id(&ctx.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::msg!("error-api-proposal-gone", id = id).text()))
}

/// The `{id}` path parameter of the answers to a proposal.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProposalId {
    /// The proposal's number, as `GET /api/v1/transfers` lists it.
    #[param(minimum = 1)]
    pub id: i64,
}

/// The id of the path, or 400 naming it (JSON, as every error).
fn proposal_id(path: Result<Path<ProposalId>, PathRejection>) -> AppResult<i64> {
    path.map(|Path(p)| p.id).map_err(|e| {
        AppError::BadRequest(
            crate::msg!("error-api-proposal-id", reason = e.body_text())
                .prefixed("id")
                .text(),
        )
    })
}

/// Transfer proposals that concern the token's co-op, newest first.
///
/// Those of its co-op and offerings, proposed by it or addressed to it (all of them for an
/// admin token), with their history: proposed, accepted or declined, expired, moved.
#[utoipa::path(
    get,
    path = "/api/v1/transfers",
    operation_id = "listTransfers",
    tag = "staff",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The proposals.", body = ProposalList),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
    )
)]
pub async fn list(ctx: Ctx, Bearer(account): Bearer) -> AppResult<Response> {
    let now = Utc::now();
    let items = match (Role::of(&account), account.coop_id) {
        (Some(Role::Admin), _) => transfers::list(&ctx.db).await?,
        (_, Some(coop)) => transfers::for_coop(&ctx.db, coop).await?,
        _ => vec![],
    };
    let items = items.iter().map(|p| Proposal::of(p, now)).collect();
    Ok(no_store(Json(ProposalList { items }).into_response()))
}

/// The body of `POST /api/v1/transfers/{id}/decline`; it may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineBody {
    /// Why, for the proposing co-op's staff.
    #[serde(default)]
    #[schema(max_length = 2000)]
    reason: String,
}

/// The proposal `id`, answerable by `account`: 404 when it is unknown, 409 when it expired,
/// was answered or is addressed to another node; 403 when the account is not of the
/// successor's co-op.
async fn answerable(ctx: &Ctx, account: &Account, id: i64) -> AppResult<()> {
    let (_, successor) = transfers::addressed_to(&ctx.db, id).await?;
    accounts::authorize(account, &successor).map_err(|e| {
        AppError::Forbidden(
            crate::msg!(
                "error-api-proposal-staff",
                successor = &successor.ap_id,
                id = id.to_string(),
                reason = e.0.text(),
            )
            .text(),
        )
    })?;
    Ok(())
}

/// Accept a transfer proposal addressed to the token's co-op.
///
/// The successor lists the origin in `alsoKnownAs` and tells its followers; for an origin
/// on this node the move happens at once (`moved`), for one on another node that node is
/// told (`Accept`) and moves after checking the successor (`accepted`).
#[utoipa::path(
    post,
    path = "/api/v1/transfers/{id}/accept",
    operation_id = "acceptTransfer",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(ProposalId),
    responses(
        (status = 200, description = "Accepted (and, for an origin on this node, moved).", body = ProposalAnswer),
        (status = 400, description = "`id` is not a number.", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = NOT_YOURS, body = ErrorBody),
        (status = 404, description = UNKNOWN_PROPOSAL, body = ErrorBody),
        (status = 409, description = NOT_ANSWERABLE, body = ErrorBody),
    )
)]
pub async fn accept(
    ctx: Ctx,
    Bearer(account): Bearer,
    path: Result<Path<ProposalId>, PathRejection>,
) -> AppResult<Response> {
    let id = proposal_id(path)?;
    answerable(&ctx, &account, id).await?;
    let p = transfers::accept(&ctx, id, &Acting::of(&account)).await?;
    let proposal = Proposal::of(&p, Utc::now());
    Ok(no_store(Json(ProposalAnswer { proposal }).into_response()))
}

/// Decline a transfer proposal addressed to the token's co-op, optionally saying why.
///
/// Nothing changes on either side; the proposing co-op reads the reason (on another node,
/// it gets a `Reject`).
#[utoipa::path(
    post,
    path = "/api/v1/transfers/{id}/decline",
    operation_id = "declineTransfer",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(ProposalId),
    request_body(content = Option<DeclineBody>, description = "Optional: the reason."),
    responses(
        (status = 200, description = "Declined.", body = ProposalAnswer),
        (status = 400, description = "`id` is not a number, or the body is not JSON.", body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = NOT_YOURS, body = ErrorBody),
        (status = 404, description = UNKNOWN_PROPOSAL, body = ErrorBody),
        (status = 409, description = NOT_ANSWERABLE, body = ErrorBody),
        (status = 422, description = DECLINE_REFUSED, body = ErrorBody),
    )
)]
pub async fn decline(
    ctx: Ctx,
    Bearer(account): Bearer,
    path: Result<Path<ProposalId>, PathRejection>,
    body: Bytes,
) -> AppResult<Response> {
    let id = proposal_id(path)?;
    // No body, or `null`, is no reason.
    let empty = body.iter().all(u8::is_ascii_whitespace)
        || serde_json::from_slice::<serde_json::Value>(&body).is_ok_and(|v| v.is_null());
    let req: DeclineBody = if empty {
        DeclineBody::default()
    } else {
        json_body(&body)?
    };
    if req.reason.chars().count() > 2000 {
        return Err(AppError::Unprocessable(
            crate::msg!("error-api-reason-long", max = "2000")
                .prefixed("reason")
                .text(),
        ));
    }
    answerable(&ctx, &account, id).await?;
    let p = transfers::decline(&ctx, id, &req.reason, &Acting::of(&account)).await?;
    let proposal = Proposal::of(&p, Utc::now());
    Ok(no_store(Json(ProposalAnswer { proposal }).into_response()))
}

const UNAUTHORIZED: &str = "No token, not a bearer token, or an unknown or revoked token; \
     `WWW-Authenticate: Bearer` is set.";
const NOT_YOURS: &str = "The proposal is not addressed to the token's co-op: only the \
     successor's staff (or an admin) answer it; a token of the proposing co-op gets this.";
const UNKNOWN_PROPOSAL: &str = "There is no proposal with this number.";
const NOT_ANSWERABLE: &str = "The proposal can no longer be answered here: it expired, was \
     already answered, or is addressed to another node (answered there). Nothing was changed.";
const DECLINE_REFUSED: &str = "The body is refused: a reason longer than 2000 characters, or a \
     field other than `reason`. Nothing was changed.";
