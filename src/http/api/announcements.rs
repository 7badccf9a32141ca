//! `POST /api/v1/offerings/{username}/announcements`: staff post an announcement.

use super::{
    Bearer, ErrorBody, FORBIDDEN, Listing, NOT_FOUND, NOT_JSON, REFUSED, UNAUTHORIZED, json_body,
    managed, no_store,
};
use crate::{
    directory::{announcements, types::AnnouncementKind},
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use axum::{
    Json,
    body::Bytes,
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The body of `POST /api/v1/offerings/{username}/announcements`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAnnouncement {
    #[schema(schema_with = crate::http::openapi::announcement_text_schema)]
    text: String,
    /// `news` when left out or null; `sunset` and `transfer` announcements are written by
    /// those actions.
    #[serde(default)]
    #[schema(schema_with = announce_kind_schema)]
    kind: Option<String>,
    /// The text in other languages, by language tag.
    #[serde(default)]
    #[schema(schema_with = crate::http::openapi::announcement_translations_schema)]
    translations: Option<BTreeMap<String, String>>,
}

fn announce_kind_schema() -> utoipa::openapi::ObjectBuilder {
    let mut kinds: Vec<Value> = ANNOUNCE_KINDS.iter().map(|k| k.as_str().into()).collect();
    kinds.push(Value::Null);
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::String,
            utoipa::openapi::Type::Null,
        ]))
        .enum_values(Some(kinds))
        .default(Some("news".into()))
}

/// An announcement as posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostedAnnouncement {
    /// The ActivityPub id of the Note; also its web page.
    pub id: String,
    pub url: String,
    pub actor: String,
    pub kind: String,
    pub text: String,
    /// The text in other languages, by language tag; left out when there are none.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
    #[schema(value_type = String, format = DateTime)]
    pub published: chrono::DateTime<chrono::Utc>,
}

/// Kinds staff choose, as in the staff announce form; `sunset` and `transfer`
/// announcements are written by those actions.
use crate::http::staff::ANNOUNCE_KINDS;

fn announce_kind(kind: Option<&str>) -> AppResult<AnnouncementKind> {
    let Some(kind) = kind else {
        return Ok(AnnouncementKind::News);
    };
    let accepted = || {
        ANNOUNCE_KINDS
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match kind.parse::<AnnouncementKind>() {
        Ok(k) if ANNOUNCE_KINDS.contains(&k) => Ok(k),
        Ok(k) => Err(AppError::Unprocessable(
            crate::msg!(
                "error-api-kind-action",
                kind = k.to_string(),
                accepted = accepted(),
            )
            .prefixed("kind")
            .text(),
        )),
        Err(_) => Err(AppError::Unprocessable(
            crate::msg!("error-api-kind-unknown", kind = kind, accepted = accepted())
                .prefixed("kind")
                .text(),
        )),
    }
}

/// Post an announcement of a co-op or offering to its followers and the public.
///
/// As the staff announce form does (`announcements::announce`). 201 with its id (also its
/// web page) in `Location`.
#[utoipa::path(
    post,
    path = "/api/v1/offerings/{username}/announcements",
    operation_id = "postAnnouncement",
    tag = "staff",
    security(("bearerAuth" = [])),
    params(Listing),
    request_body = NewAnnouncement,
    responses(
        (status = 201, description = "Posted; `Location` is its id.", body = PostedAnnouncement,
            headers(("Location" = String, description = "The announcement's id, also its web page."))),
        (status = 400, description = NOT_JSON, body = ErrorBody),
        (status = 401, description = UNAUTHORIZED, body = ErrorBody),
        (status = 403, description = FORBIDDEN, body = ErrorBody),
        (status = 404, description = NOT_FOUND, body = ErrorBody),
        (status = 422, description = REFUSED, body = ErrorBody),
    )
)]
pub async fn post_announcement(
    ctx: Ctx,
    Bearer(account): Bearer,
    Path(username): Path<String>,
    body: Bytes,
) -> AppResult<Response> {
    let target = managed(&ctx, &account, &username).await?;
    let new: NewAnnouncement = json_body(&body)?;
    let kind = announce_kind(new.kind.as_deref())?;
    announcements::check_text(&new.text).map_err(|e| match AppError::from(e) {
        AppError::Unprocessable(m) => AppError::Unprocessable(format!("text: {m}")),
        other => other,
    })?;
    let translations: Vec<(String, String)> =
        new.translations.unwrap_or_default().into_iter().collect();
    announcements::check_translations(&ctx, &target, &translations).map_err(|e| {
        match AppError::from(e) {
            AppError::Unprocessable(m) => AppError::Unprocessable(format!("translations: {m}")),
            other => other,
        }
    })?;
    let posted = announcements::announce_in(&ctx, &target, kind, &new.text, &translations).await?;
    let mut res = (
        StatusCode::CREATED,
        Json(PostedAnnouncement {
            id: posted.ap_id.clone(),
            url: posted.ap_id.clone(),
            actor: target.ap_id.clone(),
            kind: posted.kind.to_string(),
            text: posted.source.clone(),
            translations: announcements::translations(&posted)
                .into_iter()
                .map(|(l, t)| (l, t.source))
                .collect(),
            published: posted.published,
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&posted.ap_id) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(no_store(res))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_name_the_refused_field() {
        use crate::http::error::AppError;
        let e = json_body::<NewAnnouncement>(b"{\"text\": ").unwrap_err();
        assert!(matches!(e, AppError::BadRequest(_)), "{e:?}");
        let e = json_body::<NewAnnouncement>(b"[1]").unwrap_err();
        assert!(matches!(e, AppError::Unprocessable(_)), "{e:?}");
        let e = json_body::<NewAnnouncement>(b"{\"text\": 5}").unwrap_err();
        assert!(e.to_string().starts_with("text: "), "{e}");
        let e = json_body::<NewAnnouncement>(b"{\"text\": \"x\", \"colour\": 1}").unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        let e = json_body::<crate::directory::listing::OfferingSpec>(
            br#"{"handle": "a", "name": "A", "platform": "zoom", "price": {"model": "free"}, "registration": "open"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("platform: "), "{e}");
        assert!(matches!(announce_kind(None), Ok(AnnouncementKind::News)));
        let e = announce_kind(Some("sunset")).unwrap_err();
        assert!(e.to_string().starts_with("kind: "), "{e}");
        assert!(announce_kind(Some("party")).is_err());
    }
}
