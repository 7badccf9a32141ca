//! Liveness on pages and in the API: the line on an offering's page ("Up · checked 4 min
//! ago · 99.7% over 30 days · BigBlueButton 3.0.4"), `GET /api/v1/offerings/{username}/liveness`,
//! and the "Report outdated information" form, which reaches the co-op's staff and the
//! node's admins, rate limited per client.

use super::{
    api::{ErrorBody, Listing},
    frame::{Base, error_page, page_href},
    i18n::Tr,
};
use crate::{
    directory::{
        self,
        accounts::LoginLimiter,
        liveness::{self, Liveness, Outcome, percent},
        types::{ActorKind, Moderation},
    },
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Extension, Json,
    body::Bytes,
    extract::{ConnectInfo, Path},
    http::{Extensions, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Instant,
};

/// Longest comment of an outdated-information report.
pub const MAX_COMMENT: usize = 2000;

/// Reports of outdated information accepted per client in 15 minutes: the login limiter's
/// window and count, keyed by the client's address alone.
#[derive(Debug, Default)]
pub struct ReportLimiter(pub LoginLimiter);

/// What an offering's page shows of its liveness.
#[derive(Debug, Clone, Default)]
pub struct LivenessView {
    /// `up`, `down`, `refused` or empty (never probed): a CSS class.
    pub class: String,
    /// "Up · checked 4 min ago · 99.7% over 30 days · BigBlueButton 3.0.4"; empty when the
    /// service is not probed.
    pub line: String,
    /// "Unreachable: no answer since …" after 3 days down.
    pub unreachable: Option<String>,
    /// "Measured by this node" or "Measured by peer.example".
    pub measured_by: String,
    /// "Last confirmed by the co-op on 2026-12-07".
    pub confirmed: String,
    /// Where the outdated-information form posts.
    pub report_action: String,
}

/// "4 min ago", "3 h ago", "2 days ago".
fn ago(tr: &Tr, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - at).num_seconds().max(0);
    if secs < 3600 {
        tr.n("liveness-ago-minutes", secs / 60)
    } else if secs < 48 * 3600 {
        tr.n("liveness-ago-hours", secs / 3600)
    } else {
        tr.n("liveness-ago-days", secs / 86400)
    }
}

/// The page's view of a listing's liveness.
pub fn view(
    tr: &Tr,
    l: &Liveness,
    now: DateTime<Utc>,
    platform: &str,
    own_domain: &str,
    report_action: String,
) -> LivenessView {
    let mut parts = Vec::new();
    match l.state {
        Some(Outcome::Up) => parts.push(tr.t("liveness-up")),
        Some(Outcome::Down) => parts.push(tr.t("liveness-down")),
        Some(Outcome::Refused) => parts.push(tr.t("liveness-refused")),
        None if l.probed => parts.push(tr.t("liveness-not-yet")),
        None => {}
    }
    if let Some(at) = l.checked_at {
        parts.push(tr.a("liveness-checked", "ago", ago(tr, at, now)));
    }
    if let Some(u) = l.uptime_30d {
        parts.push(tr.a("liveness-uptime-30d", "percent", percent(u)));
    }
    if let Some(v) = &l.observed_version {
        parts.push(format!("{platform} {v}"));
    }
    LivenessView {
        class: l.state.map(|s| s.as_str().to_string()).unwrap_or_default(),
        line: parts.join(" · "),
        unreachable: l
            .unreachable
            .then(|| {
                l.down_since
                    .map(|d| tr.a("liveness-unreachable-since", "date", d.format("%Y-%m-%d")))
            })
            .flatten(),
        measured_by: if l.measured_by == own_domain {
            tr.t("liveness-measured-here")
        } else {
            tr.a("liveness-measured-by", "node", &l.measured_by)
        },
        confirmed: match l.confirmed_at {
            Some(at) => tr.a("liveness-confirmed", "date", at.format("%Y-%m-%d")),
            None => tr.t("liveness-not-confirmed"),
        },
        report_action,
    }
}

/// The liveness of a listing: this node's probes for its own, what the peer published for
/// a peer's (never probed here); `None` for a peer's listing that published none.
pub async fn of_listing(ctx: &Ctx, a: &directory::records::Actor) -> AppResult<Option<Liveness>> {
    let now = ctx.clock.now();
    if a.local {
        Ok(Some(
            liveness::of(&ctx.db, a.id, now, &ctx.settings.domain).await?,
        ))
    } else {
        Ok(liveness::published(&ctx.db, a.id, &a.domain).await?)
    }
}

/// The page's view of a listing's liveness (see [`of_listing`]).
pub async fn page_view(
    ctx: &Ctx,
    tr: &Tr,
    a: &directory::records::Actor,
    platform: &str,
) -> AppResult<LivenessView> {
    let action = format!("/listings/{}/outdated", a.id);
    Ok(match of_listing(ctx, a).await? {
        Some(l) => view(
            tr,
            &l,
            ctx.clock.now(),
            platform,
            &ctx.settings.domain,
            action,
        ),
        None => LivenessView {
            report_action: action,
            ..Default::default()
        },
    })
}

/// What a local offering's service answers this node's probes.
///
/// The last probe (time, latency, observed version, outcome), uptime over 24 hours, 7 and
/// 30 days, and when the co-op last confirmed the listing's data. `probed` is false when
/// the offering has no `service_url` or its co-op set `probe = false`.
#[utoipa::path(
    get,
    path = "/api/v1/offerings/{username}/liveness",
    operation_id = "getOfferingLiveness",
    tag = "directory",
    params(Listing),
    responses(
        (status = 200, description = "The offering's liveness.", body = Liveness),
        (status = 404, description = "This node lists no offering of that username.", body = ErrorBody),
    )
)]
pub async fn api_liveness(ctx: Ctx, Path(username): Path<String>) -> AppResult<Json<Liveness>> {
    let a = directory::find_local(&ctx.db, &username)
        .await?
        .filter(|a| a.kind == ActorKind::Offering && a.moderation == Moderation::Approved)
        .ok_or_else(|| {
            AppError::NotFound(crate::msg!("error-api-no-offering", username = &username).text())
        })?;
    Ok(Json(
        liveness::of(&ctx.db, a.id, ctx.clock.now(), &ctx.settings.domain).await?,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "outdated_sent.html")]
pub struct SentPage {
    base: Base,
    tr: Tr,
    name: String,
    back: String,
    message: String,
}

pub(super) fn client_ip(ctx: &Ctx, ext: &Extensions, headers: &HeaderMap) -> IpAddr {
    ext.get::<ConnectInfo<SocketAddr>>()
        .map(|c| {
            super::client_addr::client_addr(c.0.ip(), headers, &ctx.settings.http.trusted_proxies)
        })
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// `POST /listings/{id}/outdated` (form field `comment`): a member reports that a listed
/// offering's information is outdated. It reaches the co-op's staff (their listing's page)
/// and the node's admins (the reports queue). 429 after too many reports from one client.
pub async fn report_outdated(
    ctx: Ctx,
    Extension(limiter): Extension<Arc<ReportLimiter>>,
    ext: Extensions,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let Some(a) = reportable_offering(&ctx, id).await else {
        return error_page(
            Base::new(&ctx, None),
            AppError::NotFound(crate::msg!("error-no-such-offering").text()),
        );
    };
    let comment: String = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "comment")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let ip = client_ip(&ctx, &ext, &headers);
    match outdated_refused(&comment, &limiter, ip) {
        Some((status, message)) => sent(&ctx, &a, status, message),
        None => match file_outdated(&ctx, &a, &comment).await {
            Ok(()) => sent(&ctx, &a, StatusCode::OK, Tr.t("outdated-thanks")),
            Err(e) => error_page(Base::new(&ctx, None), e),
        },
    }
}

/// A listed offering of this directory, by its row id.
async fn reportable_offering(ctx: &Ctx, id: i64) -> Option<directory::records::Actor> {
    directory::browse::actor_by_id(&ctx.db, id)
        .await
        .ok()
        .flatten()
        .filter(|a| a.kind == ActorKind::Offering && a.moderation == Moderation::Approved)
}

/// Why a report of outdated information is refused: no comment, too long, or too many
/// from this client (which counts as an attempt).
fn outdated_refused(
    comment: &str,
    limiter: &ReportLimiter,
    ip: IpAddr,
) -> Option<(StatusCode, String)> {
    let tr = Tr;
    if comment.is_empty() {
        return Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            tr.t("outdated-comment-missing"),
        ));
    }
    if comment.chars().count() > MAX_COMMENT {
        return Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            tr.n("outdated-comment-too-long", MAX_COMMENT as u64),
        ));
    }
    if let Err(wait) = limiter.0.try_attempt(ip, "", Instant::now()) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return Some((
            StatusCode::TOO_MANY_REQUESTS,
            tr.n("outdated-rate-limited", minutes),
        ));
    }
    None
}

/// Files the report: for the co-op's staff (a local listing) and for the admins.
async fn file_outdated(ctx: &Ctx, a: &directory::records::Actor, comment: &str) -> AppResult<()> {
    let now = ctx.clock.now();
    if a.local {
        liveness::report_outdated(&ctx.db, a.id, comment, now).await?;
    }
    directory::moderation::report_here(
        ctx,
        a,
        vec![],
        &format!("Outdated information reported by a member: {comment}"),
    )
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(())
}

/// The page that says what became of the report, with the way back to the listing.
fn sent(ctx: &Ctx, a: &directory::records::Actor, status: StatusCode, message: String) -> Response {
    (
        status,
        SentPage {
            base: Base::new(ctx, None),
            tr: Tr,
            name: a.name.clone(),
            back: page_href(a),
            message,
        },
    )
        .into_response()
}

/// What a listing's staff see about its checks: notices (unreachable, a version that
/// differs from the listed one) and members' open reports of outdated information.
#[derive(Debug, Clone, Default)]
pub struct StaffView {
    pub notices: Vec<String>,
    /// Open reports: the text, and where "handled" posts.
    pub outdated: Vec<(String, String)>,
}

/// The staff's view of a local offering's checks and reports.
pub async fn staff_view(
    ctx: &Ctx,
    tr: &Tr,
    a: &directory::records::Actor,
    spec: Option<&directory::listing::OfferingSpec>,
) -> AppResult<StaffView> {
    let mut v = StaffView::default();
    if a.kind != ActorKind::Offering {
        return Ok(v);
    }
    let l = liveness::of(&ctx.db, a.id, ctx.clock.now(), &ctx.settings.domain).await?;
    if l.unreachable
        && let Some(since) = l.down_since
    {
        v.notices.push(tr.a2(
            "staff-unreachable",
            "name",
            &a.name,
            "date",
            since.format("%Y-%m-%d"),
        ));
    }
    if let (Some(observed), Some(listed)) = (
        &l.observed_version,
        spec.and_then(|s| s.platform_version.as_ref()),
    ) && version_differs(listed.as_str(), observed)
    {
        v.notices.push(tr.a2(
            "staff-version-mismatch",
            "listed",
            listed.as_str(),
            "observed",
            observed,
        ));
    }
    for r in liveness::open_outdated(&ctx.db, &[a.id]).await? {
        v.outdated.push((
            tr.a2(
                "staff-outdated-item",
                "date",
                r.created_at.format("%Y-%m-%d"),
                "comment",
                &r.comment,
            ),
            format!("/staff/{}/outdated/{}/done", a.username, r.id),
        ));
    }
    Ok(v)
}

/// Whether an observed version differs from the listed one: "3.0" is met by "3.0.4", but
/// not by "2.7.3".
pub fn version_differs(listed: &str, observed: &str) -> bool {
    let norm = |s: &str| s.trim().trim_start_matches(['v', 'V']).to_ascii_lowercase();
    let (l, o) = (norm(listed), norm(observed));
    !(o == l || o.starts_with(&format!("{l}.")) || o.starts_with(&format!("{l}-")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_version_is_met_by_its_patch_releases() {
        assert!(!version_differs("3.0", "3.0.4"));
        assert!(!version_differs("v2.7.3", "2.7.3"));
        assert!(version_differs("3.0", "2.7.3"));
        assert!(version_differs("3", "30.1"));
    }
}
