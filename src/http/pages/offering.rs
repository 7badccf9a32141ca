//! The page of an offering: its attributes, its co-op, its announcements, what the probes
//! found, and its alternatives.

use super::super::{
    frame::{Base, page_href},
    i18n::Tr,
    liveness,
};
use super::{
    actor::{ActorHead, NoteView, OfferingLink},
    attrs::{Attr, offering_attrs, successor_of},
    compare::COMPARE_MAX,
};
use crate::{
    directory::{
        self as domain,
        interchange::schema_org,
        records::Actor,
        search::{self, Listing},
    },
    federation::Ctx,
    http::error::AppResult,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

/// Alternatives shown on an offering's page.
const ALTERNATIVES: usize = 5;

pub struct AltView {
    pub name: String,
    pub href: String,
    pub actor: String,
    pub handle: String,
    pub coop_name: Option<String>,
    pub platform: String,
    pub reasons: Vec<String>,
    pub drawbacks: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "offering.html")]
pub struct OfferingPage {
    base: Base,
    tr: Tr,
    head: ActorHead,
    coop: Option<OfferingLink>,
    attrs: Vec<Attr>,
    notes: Vec<NoteView>,
    alternatives: Vec<AltView>,
    compare_href: Option<String>,
    /// schema.org JSON-LD of the service, escaped for a script element.
    json_ld: String,
    /// What the probes found, and the outdated-information form.
    live: liveness::LivenessView,
}

/// The page of a listed offering, below the head every actor page has.
pub(super) async fn page(
    ctx: &Ctx,
    base: Base,
    head: ActorHead,
    notes: Vec<NoteView>,
    a: Actor,
) -> AppResult<Response> {
    let tr = Tr;
    let listing = search::listing_of(&ctx.db, a.clone()).await?;
    let successor = successor_of(ctx, &a).await?;
    let attrs = offering_attrs(
        &tr,
        &listing,
        successor.as_ref().map(|(h, n)| (h.as_str(), n.clone())),
    );
    let coop_actor = match a.coop_id {
        Some(id) => domain::browse::actor_by_id(&ctx.db, id).await?,
        None => None,
    };
    let coop_spec = coop_actor.as_ref().and_then(|c| domain::coop_spec(c).ok());
    let json_ld = schema_org::script_text(&schema_org::offering_page(
        &a.ap_id,
        &a.name,
        &a.summary,
        &listing.spec,
        coop_actor
            .as_ref()
            .map(|c| schema_org::Provider {
                id: &c.ap_id,
                name: &c.name,
                website: coop_spec
                    .as_ref()
                    .and_then(|s| s.website.as_ref())
                    .map(|w| w.0.as_str()),
                country: coop_spec
                    .as_ref()
                    .and_then(|s| s.country.as_ref())
                    .map(|c| c.as_str()),
            })
            .as_ref(),
    ));
    let coop = coop_actor.map(|c| OfferingLink {
        href: page_href(&c),
        name: c.name,
        status: String::new(),
    });
    let alternatives = alternatives_of(ctx, &tr, &listing).await?;
    let compare_href = (!alternatives.is_empty()).then(|| {
        let mut s = url::form_urlencoded::Serializer::for_suffix(String::from("/compare?"), 9);
        s.append_pair("actor", &a.ap_id);
        for alt in alternatives.iter().take(COMPARE_MAX - 1) {
            s.append_pair("actor", &alt.actor);
        }
        s.finish()
    });
    let live = liveness::page_view(
        ctx,
        &tr,
        &a,
        &tr.vocab("platform", listing.spec.platform.as_str()),
    )
    .await?;
    Ok(OfferingPage {
        base,
        tr,
        head,
        coop,
        attrs,
        notes,
        alternatives,
        compare_href,
        json_ld,
        live,
    }
    .into_response())
}

/// Compatible alternatives with their reasons in favour and their drawbacks apart, ranked
/// as `directory::alternatives` ranks them (never by popularity; ties in the fair order).
async fn alternatives_of(ctx: &Ctx, tr: &Tr, target: &Listing) -> AppResult<Vec<AltView>> {
    Ok(
        domain::browse::alternatives_of(&ctx.db, &ctx.search, target, ALTERNATIVES)
            .await?
            .into_iter()
            .map(|(l, a)| AltView {
                name: l.actor.name.clone(),
                href: page_href(&l.actor),
                actor: l.actor.ap_id.clone(),
                handle: format!("@{}", l.handle()),
                coop_name: l.coop.as_ref().map(|c| c.name.clone()),
                platform: tr.vocab("platform", l.spec.platform.as_str()),
                reasons: a.reasons,
                drawbacks: a.drawbacks,
            })
            .collect(),
    )
}
