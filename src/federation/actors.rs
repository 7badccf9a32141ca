//! Actors as ActivityPub sees them: the newtype that carries the federation crate's
//! traits over the `actor` entity, the JSON of our own actors, and the tolerant reading of
//! remote ones.

use super::{
    AppState,
    protocol::{ActorJson, CoopdirTerms, Endpoints, PropertyValue, PublicKeyJson},
};
use crate::directory::types::Moderation;
use crate::{
    db::entities::actor,
    directory::{
        self,
        listing::{CoopSpec, OfferingSpec},
        types::{ActorKind, Status},
    },
    html,
    http::error::AppError,
};
use activitypub_federation::{
    config::Data,
    protocol::verification::verify_domains_match,
    traits::{Actor, Object},
};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use url::Url;

/// Caps on what a remote actor may put in our database.
use crate::db::entities::caps::{
    ALIASES as MAX_ALIASES, NAME as MAX_NAME, PEM as MAX_PEM, SUMMARY as MAX_SUMMARY,
    URL as MAX_URL,
};

/// An actor row with its parsed id, as the federation crate's traits need it.
#[derive(Debug, Clone)]
pub struct ApActor {
    pub id: Url,
    pub model: actor::Model,
}

impl ApActor {
    pub fn new(model: actor::Model) -> Result<Self, AppError> {
        let id = Url::parse(&model.ap_id).map_err(|e| AppError::Internal(e.into()))?;
        Ok(ApActor { id, model })
    }
}

/// `instance`, `coop`, `offering` → the ActivityStreams actor type.
pub fn as_type(kind: &str) -> &'static str {
    match kind.parse::<ActorKind>() {
        Ok(ActorKind::Instance) => "Application",
        Ok(ActorKind::Coop) => "Organization",
        Ok(ActorKind::Offering) => "Service",
        Ok(ActorKind::Group) => "Group",
        _ => "Person",
    }
}

/// The JSON document of one of our actors.
pub async fn local_actor_json(state: &AppState, a: &actor::Model) -> Result<ActorJson, AppError> {
    let id = Url::parse(&a.ap_id).map_err(|e| AppError::Internal(e.into()))?;
    // A large import leaves keys for later: the key is made before the actor is served.
    let public_key_pem = if directory::keys::missing(a) {
        directory::keys::ensure(&state.db, a)
            .await
            .map_err(AppError::Internal)?
            .public_key_pem
    } else {
        a.public_key_pem.clone()
    };
    let path = |p: &str| Url::parse(&format!("{}/{p}", a.ap_id)).ok();
    let suspended = a.moderation == Moderation::Suspended;
    let kind: ActorKind = a.kind;
    let mut attachment = Vec::new();
    let mut terms = CoopdirTerms::default();
    let mut summary = html::paragraphs(&a.summary);
    match kind {
        ActorKind::Offering => {
            let spec: OfferingSpec = directory::offering_spec(a)?;
            let coop = match a.coop_id {
                Some(cid) => actor::Entity::find_by_id(cid).one(&state.db).await?,
                None => None,
            };
            attachment = offering_fields(state, a, &spec, coop.as_ref());
            terms = offering_terms(a, &spec, coop.as_ref());
            let live =
                directory::liveness::of(&state.db, a.id, state.clock.now(), &state.settings.domain)
                    .await?;
            attachment.extend(liveness_fields(&live, &spec));
            if live.probed || live.state.is_some() {
                terms.liveness = Some(live);
            }
            if let Some(c) = &coop {
                summary.push_str(&format!(
                    "<p>Offered by <a href=\"{}\">@{}@{}</a>.</p>",
                    html::escape(&c.ap_id),
                    html::escape(&c.username),
                    html::escape(&c.domain)
                ));
            }
        }
        ActorKind::Coop => {
            let spec: CoopSpec = directory::coop_spec(a)?;
            attachment = coop_fields(&spec);
            terms.coop_form = Some(spec.form.to_string());
            terms.area_served = spec.country.map(|c| c.to_string());
            terms.homepage = spec.website.map(|w| w.0);
            terms.funding = spec.funding.map(|w| w.0);
            // A co-op that folds or hands over says so, with its last day of service.
            if a.status != crate::directory::types::Status::Active {
                terms.service_status = Some(a.status.to_string());
                terms.sunset_end = a.sunset_end.map(|d| d.to_string());
            }
        }
        _ => {}
    }
    let also_known_as: Vec<Url> = serde_json::from_str::<Vec<String>>(&a.also_known_as)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| Url::parse(s).ok())
        .collect();
    let (name, summary, attachment, terms) = if suspended {
        (
            Some(String::new()),
            Some(String::new()),
            vec![],
            CoopdirTerms::default(),
        )
    } else {
        (Some(a.name.clone()), Some(summary), attachment, terms)
    };
    // The Ed25519 key of FEP-8b32 proofs, made on first use like the RSA key.
    let (_, multibase) = super::integrity::actor_key(&state.db, a.id)
        .await
        .map_err(AppError::Internal)?;
    let assertion_method = vec![super::integrity::assertion_method(&a.ap_id, &multibase)];
    Ok(ActorJson {
        id: id.clone(),
        kind: as_type(a.kind.as_str()).to_string(),
        preferred_username: Some(a.username.clone()),
        name,
        summary,
        inbox: path("inbox").unwrap_or(id.clone()),
        outbox: path("outbox"),
        followers: path("followers"),
        following: path("following"),
        featured: path("featured"),
        endpoints: Some(Endpoints {
            shared_inbox: Some(state.url("/inbox")),
        }),
        public_key: PublicKeyJson {
            id: format!("{}#main-key", a.ap_id),
            owner: id.clone(),
            public_key_pem,
        },
        url: Some(id.clone()),
        icon: None,
        manually_approves_followers: Some(false),
        discoverable: Some(!suspended && kind != ActorKind::Instance),
        indexable: Some(!suspended && kind != ActorKind::Instance),
        suspended: suspended.then_some(true),
        published: Some(a.created_at),
        updated: Some(a.updated_at),
        also_known_as,
        moved_to: a.moved_to.as_deref().and_then(|m| Url::parse(m).ok()),
        attachment,
        assertion_method,
        coopdir: terms,
    })
}

fn status_html(state: &AppState, a: &actor::Model) -> String {
    match a.status {
        Status::Sunsetting => match a.sunset_end {
            Some(end) => format!("Sunsetting: last day of service {end}"),
            None => "Sunsetting".into(),
        },
        Status::Transferred => match &a.moved_to {
            Some(to) => format!("Transferred to <a href=\"{0}\">{0}</a>", html::escape(to)),
            None => "Transferred".into(),
        },
        s => {
            let _ = state;
            let label = s.label();
            let mut c = label.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

/// Profile fields of an offering. Mastodon keeps the first four, so they are the facts a
/// member decides on: platform, status, price, languages.
fn offering_fields(
    state: &AppState,
    a: &actor::Model,
    s: &OfferingSpec,
    coop: Option<&actor::Model>,
) -> Vec<PropertyValue> {
    let mut platform = s.platform.label().to_string();
    if let Some(v) = &s.platform_version {
        platform.push(' ');
        platform.push_str(v.as_str());
    }
    let langs = |l: &[crate::directory::types::Language]| {
        l.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut fields = vec![
        PropertyValue::new("Platform", html::escape(&platform)),
        PropertyValue::new("Status", status_html(state, a)),
        PropertyValue::new("Price", html::escape(&s.price.describe())),
        PropertyValue::new("Languages", html::escape(&langs(&s.languages.0))),
    ];
    if !s.features.is_empty() {
        let f: Vec<_> = s.features.iter().map(|f| f.label()).collect();
        fields.push(PropertyValue::new("Features", html::escape(&f.join(", "))));
    }
    if let Some(p) = s.participants_per_room {
        fields.push(PropertyValue::new("Participants per room", p.0.to_string()));
    }
    if !s.data_location.0.is_empty() {
        let d: Vec<_> = s.data_location.0.iter().map(|c| c.to_string()).collect();
        fields.push(PropertyValue::new("Data location", d.join(", ")));
    }
    fields.push(PropertyValue::new(
        "Registration",
        s.registration.label().to_string(),
    ));
    fields.push(PropertyValue::new(
        "Notice before closing",
        format!("{} days", s.notice_days.0),
    ));
    if let Some(c) = coop {
        fields.push(PropertyValue::new(
            "Co-op",
            format!(
                "<a href=\"{}\">@{}@{}</a>",
                html::escape(&c.ap_id),
                html::escape(&c.username),
                html::escape(&c.domain)
            ),
        ));
    }
    if let Some(h) = &s.homepage {
        fields.push(PropertyValue::new("Website", html::link(h.0.as_str())));
    }
    fields
}

/// Profile fields of what the node's probes found: "Working" (the last probe, uptime over
/// 30 days and the version seen) and "Confirmed" (when the co-op last confirmed the data).
fn liveness_fields(
    l: &crate::directory::liveness::Liveness,
    s: &OfferingSpec,
) -> Vec<PropertyValue> {
    use crate::directory::liveness::{Outcome, percent};
    let mut fields = Vec::new();
    if let Some(state) = l.state {
        let mut parts = vec![match state {
            Outcome::Up => "Up".to_string(),
            Outcome::Down if l.unreachable => "Unreachable".to_string(),
            Outcome::Down => "Down".to_string(),
            Outcome::Refused => "Not checked (address refused)".to_string(),
        }];
        if let Some(at) = l.checked_at {
            parts.push(format!("checked {}", at.format("%Y-%m-%d %H:%M UTC")));
        }
        if let Some(u) = l.uptime_30d {
            parts.push(format!("{} over 30 days", percent(u)));
        }
        if let Some(v) = &l.observed_version {
            parts.push(format!("{} {v}", s.platform.label()));
        }
        parts.push(format!("measured by {}", l.measured_by));
        fields.push(PropertyValue::new(
            "Working",
            html::escape(&parts.join(" · ")),
        ));
    }
    if let Some(at) = l.confirmed_at {
        fields.push(PropertyValue::new(
            "Confirmed by the co-op",
            at.format("%Y-%m-%d").to_string(),
        ));
    }
    fields
}

fn coop_fields(s: &CoopSpec) -> Vec<PropertyValue> {
    let mut fields = vec![PropertyValue::new("Co-op form", s.form.label().to_string())];
    if let Some(w) = &s.website {
        fields.push(PropertyValue::new("Website", html::link(w.0.as_str())));
    }
    if let Some(f) = &s.funding {
        fields.push(PropertyValue::new(
            "Membership and funding",
            html::link(f.0.as_str()),
        ));
    }
    if let Some(c) = &s.country {
        fields.push(PropertyValue::new("Country", c.to_string()));
    }
    fields
}

fn offering_terms(a: &actor::Model, s: &OfferingSpec, coop: Option<&actor::Model>) -> CoopdirTerms {
    CoopdirTerms {
        coop: coop.and_then(|c| Url::parse(&c.ap_id).ok()),
        platform: Some(s.platform.to_string()),
        platform_version: s.platform_version.as_ref().map(|v| v.to_string()),
        features: s.features.iter().map(|f| f.to_string()).collect(),
        participants_per_room: s.participants_per_room.map(|c| i64::from(c.0)),
        concurrent_rooms: s.concurrent_rooms.map(|c| i64::from(c.0)),
        price_model: Some(s.price.model.to_string()),
        price: s.price.amount.as_ref().map(|a| a.to_string()),
        price_currency: s.price.currency.as_ref().map(|c| c.to_string()),
        price_period: s.price.period.map(|p| p.to_string()),
        available_language: s.languages.0.iter().map(|l| l.to_string()).collect(),
        support_language: s
            .support_languages
            .0
            .iter()
            .map(|l| l.to_string())
            .collect(),
        jurisdiction: s.jurisdiction.as_ref().map(|c| c.to_string()),
        data_location: s.data_location.0.iter().map(|c| c.to_string()).collect(),
        area_served: None,
        registration: Some(s.registration.to_string()),
        coop_form: None,
        free_software: Some(s.free_software),
        notice_period_days: Some(i64::from(s.notice_days.0)),
        service_status: Some(a.status.to_string()),
        sunset_end: a.sunset_end.map(|d| d.to_string()),
        funding: s.funding.as_ref().map(|f| f.0.clone()),
        homepage: s.homepage.as_ref().map(|f| f.0.clone()),
        signup: s.signup.as_ref().map(|f| f.0.clone()),
        liveness: None,
    }
}

#[async_trait::async_trait]
impl Object for ApActor {
    type DataType = AppState;
    type Kind = ActorJson;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        if self.model.local {
            None
        } else {
            self.model.fetched_at.or(Some(self.model.updated_at))
        }
    }

    async fn read_from_id(object_id: Url, data: &Data<AppState>) -> Result<Option<Self>, AppError> {
        let found = actor::Entity::find()
            .filter(actor::Column::ApId.eq(object_id.as_str()))
            .one(&data.db)
            .await?;
        found.map(ApActor::new).transpose()
    }

    async fn into_json(self, data: &Data<AppState>) -> Result<ActorJson, AppError> {
        local_actor_json(data.app_data(), &self.model).await
    }

    async fn verify(
        json: &ActorJson,
        expected_domain: &Url,
        _data: &Data<AppState>,
    ) -> Result<(), AppError> {
        verify_domains_match(&json.id, expected_domain)?;
        verify_domains_match(&json.id, &json.public_key.owner)?;
        if json.public_key.owner != json.id {
            return Err(AppError::BadRequest(
                "the actor's publicKey.owner is not the actor".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(json: ActorJson, data: &Data<AppState>) -> Result<Self, AppError> {
        let model = store_remote_actor(data.app_data(), json).await?;
        ApActor::new(model)
    }
}

impl Actor for ApActor {
    fn public_key_pem(&self) -> &str {
        &self.model.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.model.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.model.inbox).unwrap_or_else(|_| self.id.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.model
            .shared_inbox
            .as_deref()
            .and_then(|s| Url::parse(s).ok())
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Insert or refresh a remote actor from its (verified, fetched-from-origin) document.
/// Names become plain text, summaries are sanitized, every length is capped.
pub async fn store_remote_actor(
    state: &AppState,
    json: ActorJson,
) -> Result<actor::Model, AppError> {
    if state.settings.domain == super::fetch::domain_of(&json.id) {
        return Err(AppError::BadRequest(
            "a remote document claims an id on this node's domain".into(),
        ));
    }
    if json.id.as_str().len() > MAX_URL || json.inbox.as_str().len() > MAX_URL {
        return Err(AppError::BadRequest(format!(
            "the actor's id or inbox is longer than {MAX_URL} bytes"
        )));
    }
    // Optional links longer than the cap are dropped, never stored.
    let short = |u: Option<Url>| u.filter(|u| u.as_str().len() <= MAX_URL);
    let now = Utc::now();
    let name = truncate(
        &html::to_text(
            json.name
                .as_deref()
                .or(json.preferred_username.as_deref())
                .unwrap_or(""),
        ),
        MAX_NAME,
    );
    // Stored as plain text, like local summaries: rendered with escaping everywhere.
    let summary = truncate(
        &html::to_text(
            &html::sanitize(json.summary.as_deref().unwrap_or("")).replace("</p>", "\n\n"),
        ),
        MAX_SUMMARY,
    );
    let username = truncate(json.preferred_username.as_deref().unwrap_or(""), MAX_NAME);
    let aka: Vec<String> = json
        .also_known_as
        .iter()
        .filter(|u| u.as_str().len() <= MAX_URL)
        .take(MAX_ALIASES)
        .map(|u| u.to_string())
        .collect();
    let existing = actor::Entity::find()
        .filter(actor::Column::ApId.eq(json.id.as_str()))
        .one(&state.db)
        .await?;
    // Deliveries go to the inbox: it must be on the actor's own host, so that a document
    // can never point this node's requests at a third party or an internal address.
    let actor_host = super::fetch::domain_of(&json.id);
    if super::fetch::domain_of(&json.inbox) != actor_host
        || !matches!(json.inbox.scheme(), "https" | "http")
    {
        return Err(AppError::BadRequest(format!(
            "the inbox {} of {} is not on the actor's host",
            json.inbox, json.id
        )));
    }
    let shared = json
        .endpoints
        .as_ref()
        .and_then(|e| short(e.shared_inbox.clone()))
        .filter(|u| {
            super::fetch::domain_of(u) == actor_host && matches!(u.scheme(), "https" | "http")
        })
        .map(|u| u.to_string());
    let is_new = existing.is_none();
    let mut am: actor::ActiveModel = match existing {
        Some(e) if e.local => {
            return Err(AppError::Forbidden(
                "a remote document cannot replace a local actor".into(),
            ));
        }
        Some(e) => e.into(),
        None => actor::ActiveModel {
            ap_id: Set(json.id.to_string()),
            kind: Set(ActorKind::Remote),
            local: Set(false),
            private_key_pem: Set(None),
            coop_id: Set(None),
            attributes: Set(None),
            status: Set(Status::Active),
            sunset_end: Set(None),
            moderation: Set(Moderation::Approved),
            created_at: Set(now),
            ..Default::default()
        },
    };
    let listing = remote_listing(&state.db, &json, &name, &summary).await?;
    if is_new {
        am.moderation = Set(crate::directory::moderation::initial_moderation(
            &state.db,
            &state.settings,
            &json.id,
            false,
            listing.kind,
        )
        .await?);
    }
    am.username = Set(username);
    am.domain = Set(super::fetch::domain_of(&json.id));
    am.name = Set(name);
    am.summary = Set(summary);
    am.inbox = Set(json.inbox.to_string());
    am.shared_inbox = Set(shared);
    am.outbox = Set(short(json.outbox).map(|u| u.to_string()));
    am.followers = Set(short(json.followers).map(|u| u.to_string()));
    am.url = Set(short(json.url).map(|u| u.to_string()));
    am.public_key_pem = Set(truncate(&json.public_key.public_key_pem, MAX_PEM));
    am.kind = Set(listing.kind);
    am.attributes = Set(listing.attributes);
    am.coop_id = Set(listing.coop_id);
    am.status = Set(listing.status);
    am.sunset_end = Set(listing.sunset_end);
    am.moved_to = Set(short(json.moved_to).map(|u| u.to_string()));
    am.also_known_as = Set(serde_json::to_string(&aka).unwrap_or_else(|_| "[]".into()));
    am.fetched_at = Set(Some(now));
    am.updated_at = Set(now);
    let saved = if is_new {
        am.insert(&state.db).await?
    } else {
        am.update(&state.db).await?
    };
    // Its key or inbox may have changed: the inbox reads it again.
    state.verified.invalidate();
    crate::directory::search::reindex(&state.db, saved.id)
        .await
        .map_err(AppError::from)?;
    if listing.kind == ActorKind::Offering {
        crate::directory::liveness::store_published(
            &state.db,
            saved.id,
            json.coopdir.liveness.as_ref(),
        )
        .await?;
    }
    Ok(saved)
}

/// What a remote actor is to the directory: a co-op or offering of a peer (with typed
/// attributes read from coopdir's terms), or just an actor.
struct RemoteListing {
    kind: ActorKind,
    attributes: Option<String>,
    coop_id: Option<i64>,
    status: Status,
    sunset_end: Option<chrono::NaiveDate>,
}

async fn remote_listing(
    db: &sea_orm::DatabaseConnection,
    json: &ActorJson,
    name: &str,
    summary: &str,
) -> Result<RemoteListing, AppError> {
    let plain = RemoteListing {
        kind: ActorKind::Remote,
        attributes: None,
        coop_id: None,
        status: Status::Active,
        sunset_end: None,
    };
    // Only peers' actors become listings: an actor of any other server stays a plain
    // actor, whatever terms it claims, so nobody can list themselves by following us.
    let domain = super::fetch::domain_of(&json.id);
    let is_peer = crate::db::entities::peer::Entity::find()
        .filter(crate::db::entities::peer::Column::Domain.eq(domain.as_str()))
        .one(db)
        .await?
        .is_some();
    if !is_peer {
        return Ok(plain);
    }
    let t = &json.coopdir;
    let spec_json = match json.kind.as_str() {
        "Service" if t.platform.is_some() => {
            offering_from_terms(json, name, summary).map(|s| serde_json::to_string(&s))
        }
        "Organization" if t.coop_form.is_some() => {
            coop_from_terms(json, name, summary).map(|s| serde_json::to_string(&s))
        }
        _ => None,
    };
    let Some(Ok(attributes)) = spec_json else {
        return Ok(plain);
    };
    let kind = if json.kind == "Service" {
        ActorKind::Offering
    } else {
        ActorKind::Coop
    };
    let coop_id = match (&t.coop, kind) {
        (Some(coop), ActorKind::Offering)
            if super::fetch::domain_of(coop) == super::fetch::domain_of(&json.id) =>
        {
            actor::Entity::find()
                .filter(actor::Column::ApId.eq(coop.as_str()))
                .one(db)
                .await?
                .map(|c| c.id)
        }
        _ => None,
    };
    let status = t
        .service_status
        .as_deref()
        .and_then(|s| s.parse::<Status>().ok())
        .unwrap_or(Status::Active);
    let status = if json.moved_to.is_some() {
        Status::Transferred
    } else {
        status
    };
    let sunset_end = t
        .sunset_end
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    Ok(RemoteListing {
        kind,
        attributes: Some(attributes),
        coop_id,
        status,
        sunset_end,
    })
}

/// An offering's attributes from a peer's actor, read as tolerantly as a listing document
/// is read strictly: an unreadable optional value is dropped, absurd values are refused
/// (never shown raw), lists are capped; a missing platform, price model or registration
/// means the actor is not listed.
fn offering_from_terms(json: &ActorJson, name: &str, summary: &str) -> Option<OfferingSpec> {
    use crate::directory::{listing::*, types::*};
    let t = &json.coopdir;
    let parse_list = |v: &[String]| -> Vec<Language> {
        v.iter()
            .filter_map(|x| x.parse().ok())
            .take(MAX_LIST)
            .collect()
    };
    let countries: Vec<Country> = t
        .data_location
        .iter()
        .filter_map(|x| x.parse().ok())
        .take(MAX_LIST)
        .collect();
    let web = |u: &Option<Url>| {
        u.as_ref()
            .and_then(|u| WebUrl::try_from(u.to_string()).ok())
    };
    let amount: Option<Amount> = t.price.as_deref().and_then(|a| a.parse().ok());
    let currency: Option<Currency> = t.price_currency.as_deref().and_then(|c| c.parse().ok());
    let (amount, currency) = match (amount, currency) {
        (Some(a), Some(c)) => (Some(a), Some(c)),
        _ => (None, None),
    };
    Some(OfferingSpec {
        handle: json.preferred_username.as_deref()?.parse().ok()?,
        name: name.parse().ok()?,
        summary: summary.parse().ok()?,
        platform: t.platform.as_deref()?.parse().unwrap_or(Platform::Other),
        platform_version: t.platform_version.as_deref().and_then(|v| v.parse().ok()),
        features: t.features.iter().filter_map(|f| f.parse().ok()).collect(),
        participants_per_room: t
            .participants_per_room
            .and_then(|n| Count::try_from(n).ok()),
        concurrent_rooms: t.concurrent_rooms.and_then(|n| Count::try_from(n).ok()),
        price: Price {
            model: t.price_model.as_deref()?.parse().ok()?,
            amount,
            currency,
            period: t.price_period.as_deref().and_then(|p| p.parse().ok()),
        },
        languages: BoundedList(parse_list(&t.available_language)),
        support_languages: BoundedList(parse_list(&t.support_language)),
        jurisdiction: t.jurisdiction.as_deref().and_then(|c| c.parse().ok()),
        data_location: BoundedList(countries),
        registration: t.registration.as_deref()?.parse().ok()?,
        free_software: t.free_software.unwrap_or(false),
        notice_days: t
            .notice_period_days
            .and_then(|d| NoticeDays::try_from(d).ok())
            .unwrap_or(NoticeDays(0)),
        homepage: web(&t.homepage),
        signup: web(&t.signup),
        // Peers' services are checked by their own node, never from here.
        service_url: None,
        probe: false,
        funding: web(&t.funding),
        also_known_as: json
            .also_known_as
            .iter()
            .take(20)
            .filter_map(|u| WebUrl::try_from(u.to_string()).ok())
            .collect(),
    })
}

fn coop_from_terms(json: &ActorJson, name: &str, summary: &str) -> Option<CoopSpec> {
    let t = &json.coopdir;
    let web = |u: &Option<Url>| {
        u.as_ref()
            .and_then(|u| crate::directory::listing::WebUrl::try_from(u.to_string()).ok())
    };
    Some(CoopSpec {
        handle: json.preferred_username.as_deref()?.parse().ok()?,
        name: name.parse().ok()?,
        summary: summary.parse().ok()?,
        form: t.coop_form.as_deref()?.parse().ok()?,
        country: t.area_served.as_deref().and_then(|c| c.parse().ok()),
        website: web(&t.homepage),
        funding: web(&t.funding),
        source_url: None,
    })
}
