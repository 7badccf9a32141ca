//! `/staff/{username}`: the page of one listing with all its forms, which every form of
//! this module shows again, with its errors, when the domain refuses it.

use super::super::{
    forms::{Opt, Page, flash, query_pairs, with_status},
    i18n::Tr,
    pages::{Base, error_page, no_store, page_href},
};
use super::{
    announce::AnnounceForm,
    dashboard::StatsView,
    edit::EditForm,
    replies::{QuestionView, question_views},
    sunset::SunsetForm,
    transfers::{ProposalView, TransferForm, proposal_views},
};
use crate::{
    directory::{
        self,
        listing::OfferingSpec,
        staff_views::{self, Actor, DeliveryCounts},
        types::*,
    },
    federation::{Ctx, queue},
    http::error::AppError,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::{Path, RawQuery},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

/// The choices of a `<select>` or a group of checkboxes, labelled in the page's language.
pub(super) fn opts<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    kind: &str,
    selected: impl Fn(&str) -> bool,
) -> Vec<Opt> {
    all.iter()
        .map(|v| {
            let value = value(*v);
            Opt {
                value: value.to_string(),
                label: Tr.vocab(kind, value),
                selected: selected(value),
            }
        })
        .collect()
}

/// Deliveries of the activities this actor sent, by state.
pub type DeliveryView = DeliveryCounts;

#[derive(Template, WebTemplate)]
#[template(path = "manage.html")]
pub struct ManagePage {
    base: Base,
    tr: Tr,
    name: String,
    handle: String,
    username: String,
    page_href: String,
    offering: bool,
    status: String,
    moderation: String,
    followers: u64,
    done: Option<String>,
    edit: Option<EditForm>,
    platforms: Vec<Opt>,
    features: Vec<Opt>,
    price_models: Vec<Opt>,
    periods: Vec<Opt>,
    registrations: Vec<Opt>,
    announce: AnnounceForm,
    sunset: Option<SunsetForm>,
    transfer: Option<TransferForm>,
    proposals: Vec<ProposalView>,
    questions: Vec<QuestionView>,
    deliveries: DeliveryView,
    stats: StatsView,
    /// Notices of the service's checks, and members' reports of outdated information.
    checks: super::super::liveness::StaffView,
}

/// Which forms to show and with what in them.
#[derive(Default)]
pub(super) struct Forms {
    pub edit: Option<EditForm>,
    pub announce: Option<AnnounceForm>,
    pub sunset: Option<SunsetForm>,
    pub transfer: Option<TransferForm>,
    pub done: Option<String>,
}

/// What the page shows besides its forms.
struct Facts {
    spec: Option<OfferingSpec>,
    followers: u64,
    deliveries: DeliveryView,
    stats: queue::QueueStats,
    proposals: Vec<ProposalView>,
    questions: Vec<QuestionView>,
    checks: super::super::liveness::StaffView,
}

async fn facts(ctx: &Ctx, a: &Actor, offering: bool) -> Result<Facts, AppError> {
    let spec = if offering {
        Some(directory::offering_spec(a)?)
    } else {
        None
    };
    let followers = directory::follower_count(&ctx.db, a.id).await?;
    let deliveries = staff_views::delivery_counts(&ctx.db, a.id).await?;
    let stats = queue::stats(&ctx.db).await?;
    let proposals = proposal_views(ctx, a).await?;
    let questions = question_views(ctx, a).await?;
    let checks = super::super::liveness::staff_view(ctx, &Tr, a, spec.as_ref()).await?;
    Ok(Facts {
        spec,
        followers,
        deliveries,
        stats,
        proposals,
        questions,
        checks,
    })
}

/// The pickers of the edit form, with the values of `e` selected.
struct Pickers {
    platforms: Vec<Opt>,
    features: Vec<Opt>,
    price_models: Vec<Opt>,
    periods: Vec<Opt>,
    registrations: Vec<Opt>,
}

fn pickers(e: Option<&EditForm>) -> Pickers {
    let sel = |get: fn(&EditForm) -> &String| {
        let v = e.map(get).cloned().unwrap_or_default();
        move |x: &str| x == v
    };
    Pickers {
        platforms: opts(
            Platform::ALL,
            Platform::as_str,
            "platform",
            sel(|f| &f.platform),
        ),
        features: opts(Feature::ALL, Feature::as_str, "feature", |v| {
            e.is_some_and(|f| f.features.contains(v))
        }),
        price_models: opts(
            PriceModel::ALL,
            PriceModel::as_str,
            "price",
            sel(|f| &f.price_model),
        ),
        periods: opts(
            PricePeriod::ALL,
            PricePeriod::as_str,
            "period",
            sel(|f| &f.period),
        ),
        registrations: opts(
            Registration::ALL,
            Registration::as_str,
            "registration",
            sel(|f| &f.registration),
        ),
    }
}

/// The sunset form of a listing in `status`, when it may (still) be sunset.
fn sunset_form(
    status: Status,
    a: &Actor,
    spec: Option<&OfferingSpec>,
    posted: Option<SunsetForm>,
) -> Option<SunsetForm> {
    let today = chrono::Utc::now().date_naive();
    matches!(status, Status::Active | Status::Sunsetting).then(|| {
        let mut f = posted.unwrap_or_default();
        f.postpone = status == Status::Sunsetting;
        if let Some(s) = spec {
            f.earliest = (today + chrono::Days::new(u64::from(s.notice_days.0))).to_string();
        } else {
            f.earliest = today.to_string();
        }
        if let (true, Some(end)) = (f.postpone, a.sunset_end) {
            f.earliest = (end + chrono::Days::new(1)).to_string();
        }
        f
    })
}

/// The page of listing `a` with `forms` in it; a failure of the node is the error page.
pub(super) async fn manage_page(ctx: &Ctx, base: Base, a: &Actor, forms: Forms) -> Response {
    let tr = Tr;
    let offering = a.kind == ActorKind::Offering;
    let status: Status = a.status;
    let f = match facts(ctx, a, offering).await {
        Ok(f) => f,
        Err(e) => return error_page(base, e),
    };
    let edit = match (&f.spec, forms.edit) {
        (Some(_), Some(posted)) => Some(posted),
        (Some(s), None) => Some(EditForm::of(s)),
        _ => None,
    };
    let p = pickers(edit.as_ref());
    let sunset = sunset_form(status, a, f.spec.as_ref(), forms.sunset);
    let transfer = matches!(status, Status::Active | Status::Sunsetting)
        .then(|| forms.transfer.unwrap_or_default());
    let status_text = match (status, a.sunset_end) {
        (Status::Sunsetting, Some(end)) => tr.a("status-sunsetting-until", "date", end),
        _ => tr.vocab("status", status.as_str()),
    };
    no_store(
        ManagePage {
            base,
            tr,
            name: a.name.clone(),
            handle: format!("@{}@{}", a.username, a.domain),
            username: a.username.clone(),
            page_href: page_href(a),
            offering,
            status: status_text,
            moderation: tr.vocab("moderation", a.moderation.as_str()),
            followers: f.followers,
            done: forms.done,
            edit,
            platforms: p.platforms,
            features: p.features,
            price_models: p.price_models,
            periods: p.periods,
            registrations: p.registrations,
            announce: forms.announce.unwrap_or_else(|| {
                AnnounceForm::new("news", "").with_languages(ctx.settings.default_language, &[])
            }),
            sunset,
            transfer,
            proposals: f.proposals,
            questions: f.questions,
            deliveries: f.deliveries,
            stats: f.stats.into(),
            checks: f.checks,
        }
        .into_response(),
    )
}

/// The page of `a` again with a refused form in it: 422.
pub(super) async fn refused_page(ctx: &Ctx, base: Base, a: &Actor, forms: Forms) -> Response {
    let page = manage_page(ctx, base, a, forms).await;
    with_status(page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// The confirmations after each form of this page (`?done=`).
const DONE: [(&str, &str); 9] = [
    ("edit", "done-edit"),
    ("announce", "done-announce"),
    ("sunset", "done-sunset"),
    ("transfer", "done-transfer"),
    ("proposed", "done-transfer-proposed"),
    ("accepted", "done-transfer-accepted"),
    ("declined", "done-transfer-declined"),
    ("cancelled", "done-sunset-cancelled"),
    ("outdated", "done-outdated"),
];

/// `GET /staff/{username}`.
pub async fn manage(
    ctx: Ctx,
    Path(username): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Page {
    let (base, _, target) = super::managed(&ctx, &headers, &username).await?;
    let done = flash(&query_pairs(&raw), &DONE);
    let forms = Forms {
        done,
        ..Default::default()
    };
    Ok(manage_page(&ctx, base, &target, forms).await)
}

/// `POST /staff/{username}/outdated/{id}/done`: a member's report of outdated information
/// about this listing is handled; it leaves the staff page.
pub async fn outdated_done(
    ctx: Ctx,
    Path((username, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Page {
    let (base, _, target) = super::managed(&ctx, &headers, &username).await?;
    match directory::liveness::close_outdated(&ctx.db, target.id, id).await {
        Ok(true) => Ok(super::done(&username, "outdated")),
        Ok(false) => Err(error_page(
            base,
            AppError::NotFound(
                crate::msg!("error-report-not-open", username = &username, id = id).text(),
            ),
        )),
        Err(e) => Err(error_page(base, e.into())),
    }
}
