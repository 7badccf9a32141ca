//! The page of a co-op: its attributes, its listed offerings, its announcements.

use super::super::{
    frame::{Base, page_href},
    i18n::Tr,
};
use super::{
    actor::{ActorHead, NoteView, OfferingLink},
    attrs::Attr,
};
use crate::{
    directory::{
        self as domain, interchange::schema_org, listing::CoopSpec, records::Actor,
        types::Moderation,
    },
    federation::Ctx,
    http::error::AppResult,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

#[derive(Template, WebTemplate)]
#[template(path = "coop.html")]
pub struct CoopPage {
    base: Base,
    tr: Tr,
    head: ActorHead,
    attrs: Vec<Attr>,
    offerings: Vec<OfferingLink>,
    notes: Vec<NoteView>,
    /// schema.org JSON-LD of the co-op and its services, escaped for a script element.
    json_ld: String,
}

/// The page of a co-op, below the head every actor page has.
pub(super) async fn page(
    ctx: &Ctx,
    base: Base,
    head: ActorHead,
    notes: Vec<NoteView>,
    a: Actor,
) -> AppResult<Response> {
    let tr = Tr;
    let spec: CoopSpec = domain::coop_spec(&a)?;
    let none = "—";
    let attrs = vec![
        Attr::text(tr.t("attr-form"), tr.vocab("form", spec.form.as_str())),
        Attr::text(
            tr.t("attr-country"),
            spec.country
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_else(|| none.into()),
        ),
        Attr::link(
            tr.t("attr-website"),
            spec.website.as_ref().map(|u| &u.0),
            none,
        ),
        Attr::link(
            tr.t("attr-funding"),
            spec.funding.as_ref().map(|u| &u.0),
            none,
        ),
    ];
    let listed: Vec<Actor> = domain::coop_offerings(&ctx.db, a.id)
        .await?
        .into_iter()
        .filter(|o| o.moderation == Moderation::Approved)
        .collect();
    let services: Vec<_> = listed
        .iter()
        .filter_map(|o| {
            let spec = domain::offering_spec(o).ok()?;
            Some((o.ap_id.clone(), o.name.clone(), o.summary.clone(), spec))
        })
        .collect();
    let json_ld = schema_org::script_text(&schema_org::coop_page(
        &schema_org::Provider {
            id: &a.ap_id,
            name: &a.name,
            website: spec.website.as_ref().map(|w| w.0.as_str()),
            country: spec.country.as_ref().map(|c| c.as_str()),
        },
        &a.summary,
        &services,
    ));
    let offerings = listed
        .into_iter()
        .map(|o| OfferingLink {
            href: page_href(&o),
            status: tr.vocab("status", o.status.as_str()),
            name: o.name,
        })
        .collect();
    Ok(CoopPage {
        base,
        tr,
        head,
        attrs,
        offerings,
        notes,
        json_ld,
    }
    .into_response())
}
