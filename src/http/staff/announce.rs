//! `POST /staff/{username}/announce`: an announcement to the listing's followers.

use super::super::{
    forms::{Errors, Opt, Page, field, pairs_of, refused},
    i18n::Tr,
    pages::{Base, error_page},
};
use super::manage::{Forms, opts, refused_page};
use crate::{
    directory::{DomainError, announcements, staff_views::Actor, types::AnnouncementKind},
    federation::Ctx,
};
use axum::{body::Bytes, extract::Path, http::HeaderMap, response::Response};
use std::str::FromStr;

pub struct AnnounceForm {
    pub kind: String,
    pub text: String,
    pub kinds: Vec<Opt>,
    pub errors: Errors,
}

impl AnnounceForm {
    pub(super) fn new(kind: &str, text: &str) -> Self {
        AnnounceForm {
            kind: kind.to_string(),
            text: text.to_string(),
            kinds: opts(&ANNOUNCE_KINDS, AnnouncementKind::as_str, "kind", |v| {
                v == kind
            }),
            errors: Errors::default(),
        }
    }

    /// The kind chosen, when staff may choose it (else its error is recorded).
    fn kind(&mut self) -> Option<AnnouncementKind> {
        match AnnouncementKind::from_str(&self.kind) {
            Ok(k) if ANNOUNCE_KINDS.contains(&k) => Some(k),
            _ => {
                self.errors.add("kind", Tr.t("announce-kind-invalid"));
                None
            }
        }
    }
}

/// Kinds staff choose; `sunset` and `transfer` are written by those actions.
pub(crate) const ANNOUNCE_KINDS: [AnnouncementKind; 4] = [
    AnnouncementKind::News,
    AnnouncementKind::Maintenance,
    AnnouncementKind::Price,
    AnnouncementKind::Capacity,
];

/// `POST /staff/{username}/announce`: post an announcement to the followers.
pub async fn announce(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Page {
    let (base, _, target) = super::managed(&ctx, &headers, &username).await?;
    let pairs = pairs_of(&body);
    let mut form = AnnounceForm::new(field(&pairs, "kind"), field(&pairs, "text"));
    let result = match form.kind() {
        Some(kind) => announcements::announce(&ctx, &target, kind, &form.text)
            .await
            .map(|_| ()),
        None => Err(DomainError::Invalid(String::new())),
    };
    match result {
        Ok(()) => Ok(super::done(&username, "announce")),
        Err(e) => Err(refused_announce(&ctx, base, &target, form, e).await),
    }
}

/// The form again with the domain's message next to the text (422).
async fn refused_announce(
    ctx: &Ctx,
    base: Base,
    target: &Actor,
    mut form: AnnounceForm,
    e: DomainError,
) -> Response {
    let m = match refused(e) {
        Ok(m) => m,
        Err(e) => return error_page(base, e),
    };
    if !m.is_empty() {
        form.errors.add("text", m);
    }
    let forms = Forms {
        announce: Some(form),
        ..Default::default()
    };
    refused_page(ctx, base, target, forms).await
}
