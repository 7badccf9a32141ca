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
    i18n::Lang,
};
use axum::{body::Bytes, extract::Path, http::HeaderMap, response::Response};
use std::str::FromStr;

pub struct AnnounceForm {
    pub kind: String,
    pub text: String,
    pub kinds: Vec<Opt>,
    /// The text in the interface's other languages (all but the node's default).
    pub translations: Vec<TranslationField>,
    /// A further language, by tag (e.g. one the listing offers), and its text.
    pub other_lang: String,
    pub other_text: String,
    pub errors: Errors,
}

/// A text box of the announcement in one more language.
pub struct TranslationField {
    /// Its language tag, also the field's name after `text_`.
    pub code: &'static str,
    /// The language's name in itself.
    pub name: &'static str,
    pub value: String,
}

impl AnnounceForm {
    pub(super) fn new(kind: &str, text: &str) -> Self {
        AnnounceForm {
            kind: kind.to_string(),
            text: text.to_string(),
            kinds: opts(&ANNOUNCE_KINDS, AnnouncementKind::as_str, "kind", |v| {
                v == kind
            }),
            translations: Vec::new(),
            other_lang: String::new(),
            other_text: String::new(),
            errors: Errors::default(),
        }
    }

    /// The boxes for the other interface languages, filled from `pairs` (`text_fr`, …) and
    /// `other_lang`/`other_text`.
    pub(super) fn with_languages(mut self, default: Lang, pairs: &[(String, String)]) -> Self {
        self.translations = Lang::ALL
            .into_iter()
            .filter(|l| *l != default)
            .map(|l| TranslationField {
                code: l.code(),
                name: l.endonym(),
                value: field(pairs, &format!("text_{}", l.code())).to_string(),
            })
            .collect();
        self.other_lang = field(pairs, "other_lang").to_string();
        self.other_text = field(pairs, "other_text").to_string();
        self
    }

    /// The texts given in other languages, `(tag, text)`; empty boxes are left out.
    fn given_translations(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .translations
            .iter()
            .filter(|t| !t.value.trim().is_empty())
            .map(|t| (t.code.to_string(), t.value.clone()))
            .collect();
        if !self.other_lang.trim().is_empty() || !self.other_text.trim().is_empty() {
            out.push((self.other_lang.clone(), self.other_text.clone()));
        }
        out
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
    let mut form = AnnounceForm::new(field(&pairs, "kind"), field(&pairs, "text"))
        .with_languages(ctx.settings.default_language, &pairs);
    let translations = form.given_translations();
    if !translations.is_empty()
        && let Err(DomainError::Invalid(m)) =
            announcements::check_translations(&ctx, &target, &translations)
    {
        form.errors.add("translations", m.text());
    }
    let result = match form.kind() {
        Some(_) if form.errors.has("translations") => {
            Err(DomainError::Invalid(String::new().into()))
        }
        Some(kind) => announcements::announce_in(&ctx, &target, kind, &form.text, &translations)
            .await
            .map(|_| ()),
        None => Err(DomainError::Invalid(String::new().into())),
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
