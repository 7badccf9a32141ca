//! `GET /api/v1/me`: the token's account and the listings it may manage.

use super::{Bearer, ErrorBody, handle_of, no_store};
use crate::{
    directory::{
        self,
        accounts::{self, Role},
        records::{Account, Actor},
    },
    federation::Ctx,
    http::error::AppResult,
};
use axum::{
    Json,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// One listing an account may manage, in `GET /api/v1/me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedListing {
    /// The `{username}` of the endpoints that act on it.
    pub username: String,
    pub handle: String,
    /// `coop` or `offering`.
    #[schema(schema_with = listing_kind_schema)]
    pub kind: String,
    pub name: String,
    pub actor: String,
    #[schema(value_type = directory::types::Status)]
    pub status: String,
    pub moderation: String,
}

fn role_schema() -> utoipa::openapi::ObjectBuilder {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(["admin", "staff"]))
}

fn listing_kind_schema() -> utoipa::openapi::ObjectBuilder {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(["coop", "offering"]))
}

/// The answer of `GET /api/v1/me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    #[schema(schema_with = role_schema)]
    pub role: String,
    /// Handle of the co-op of a staff account; null for admins.
    pub coop: Option<String>,
    pub listings: Vec<ManagedListing>,
}

/// The token's account and the listings it may manage.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "me",
    tag = "staff",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The account.", body = Me),
        (status = 401, description = "No token, not a bearer token, or an unknown or revoked token; `WWW-Authenticate: Bearer` is set.", body = ErrorBody),
    )
)]
pub async fn me(ctx: Ctx, Bearer(account): Bearer) -> AppResult<Response> {
    let coop = match (Role::of(&account), account.coop_id) {
        (Some(Role::Staff), Some(id)) => directory::browse::actor_by_id(&ctx.db, id)
            .await?
            .map(|c| handle_of(&c)),
        _ => None,
    };
    let mine = accounts::manageable(&ctx.db, &account).await?;
    Ok(no_store(Json(me_of(account, coop, mine)).into_response()))
}

/// The answer of `GET /api/v1/me`.
fn me_of(account: Account, coop: Option<String>, mine: Vec<Actor>) -> Me {
    let listings: Vec<ManagedListing> = mine
        .into_iter()
        .map(|a| ManagedListing {
            handle: handle_of(&a),
            username: a.username,
            kind: a.kind.to_string(),
            name: a.name,
            actor: a.ap_id,
            status: a.status.to_string(),
            moderation: a.moderation.to_string(),
        })
        .collect();
    Me {
        username: account.username,
        role: account.role,
        coop,
        listings,
    }
}
