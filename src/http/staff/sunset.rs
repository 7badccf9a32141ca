//! `POST /staff/{username}/sunset`: start, postpone, preview or call off the end of a
//! listing's service.

use super::super::{
    forms::{Errors, Page, field, pairs_of, refused, trimmed},
    pages::{Base, error_page},
};
use super::manage::{Forms, manage_page, refused_page};
use crate::{
    directory::{DomainError, DomainResult, lifecycle, staff_views::Actor},
    federation::Ctx,
};
use axum::{body::Bytes, extract::Path, http::HeaderMap, response::Response};

#[derive(Default)]
pub struct SunsetForm {
    pub end: String,
    pub earliest: String,
    pub note: String,
    /// Pinned alternatives, one handle per line.
    pub alternatives: String,
    /// Postponing a running sunset rather than starting one.
    pub postpone: bool,
    /// The announcements a preview would post.
    pub preview: Vec<lifecycle::SunsetNotice>,
    pub errors: Errors,
}

impl SunsetForm {
    fn posted(pairs: &[(String, String)]) -> Self {
        SunsetForm {
            end: trimmed(pairs, "end"),
            note: trimmed(pairs, "note"),
            alternatives: trimmed(pairs, "alternatives"),
            ..Default::default()
        }
    }

    /// The pinned alternatives, one handle each.
    fn pinned(&self) -> Vec<String> {
        self.alternatives
            .split(|c: char| c == '\n' || c == ',' || c.is_whitespace())
            .filter(|h| !h.trim().is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// `POST /staff/{username}/sunset`: start (or postpone) the sunset with its last day of
/// service, a note and pinned alternatives; `preview` shows the announcements and writes
/// nothing; `cancel` calls a running sunset off.
pub async fn sunset(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let (base, _, target) = super::managed(&ctx, &headers, &username).await?;
    let pairs = pairs_of(&body);
    if !field(&pairs, "cancel").is_empty() {
        return match lifecycle::cancel_sunset(&ctx, &target).await {
            Ok(_) => Ok(super::done(&username, "cancelled")),
            Err(e) => Err(error_page(base, e.into())),
        };
    }
    let mut form = SunsetForm::posted(&pairs);
    let preview = !field(&pairs, "preview").is_empty();
    match plan(&ctx, &target, &form, preview).await {
        Ok(r) if preview => {
            form.preview = r.announcements;
            Ok(manage_page(&ctx, base, &target, sunset_forms(form)).await)
        }
        Ok(_) => Ok(super::done(&username, "sunset")),
        Err(e) => Err(refused_sunset(&ctx, base, &target, form, e).await),
    }
}

fn sunset_forms(form: SunsetForm) -> Forms {
    Forms {
        sunset: Some(form),
        ..Default::default()
    }
}

/// The sunset the form asks for, planned (and, unless a preview, started).
async fn plan(
    ctx: &Ctx,
    target: &Actor,
    form: &SunsetForm,
    preview: bool,
) -> DomainResult<lifecycle::SunsetReport> {
    let pinned = form.pinned();
    let today = chrono::Utc::now().date_naive();
    match chrono::NaiveDate::parse_from_str(&form.end, "%Y-%m-%d") {
        Ok(end) => {
            lifecycle::sunset_plan(
                ctx,
                target,
                lifecycle::SunsetRequest {
                    end,
                    today,
                    note: &form.note,
                    alternatives: &pinned,
                    preview,
                },
            )
            .await
        }
        Err(_) => Err(DomainError::Invalid(crate::msg!("sunset-date-invalid"))),
    }
}

/// The form again with the domain's message next to the date or the alternatives (422).
async fn refused_sunset(
    ctx: &Ctx,
    base: Base,
    target: &Actor,
    mut form: SunsetForm,
    e: DomainError,
) -> Response {
    let key = match &e {
        DomainError::Invalid(m) | DomainError::Conflict(m) | DomainError::NotFound(m)
            if m.id()
                .is_some_and(|id| id.starts_with("error-alternative-")) =>
        {
            "alternatives"
        }
        _ => "end",
    };
    let m = match refused(e) {
        Ok(m) => m,
        Err(e) => return error_page(base, e),
    };
    form.errors.add(key, m);
    refused_page(ctx, base, target, sunset_forms(form)).await
}
