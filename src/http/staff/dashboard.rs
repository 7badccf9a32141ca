//! `/staff`: the listings this account manages, the transfer proposals it may answer and
//! the state of the delivery queue.

use super::super::{
    forms::Page,
    i18n::Tr,
    pages::{Base, error_page, no_store, page_href},
};
use crate::{
    directory::{
        self, accounts, replies,
        staff_views::{Account, Actor},
        transfers,
        types::ActorKind,
    },
    federation::{Ctx, queue},
    http::error::AppError,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{http::HeaderMap, response::IntoResponse};

pub struct ManagedRow {
    pub name: String,
    pub handle: String,
    pub kind: String,
    pub manage_href: String,
    pub page_href: String,
    pub status: String,
    pub moderation: String,
    pub followers: u64,
    pub offering: bool,
    /// Members' questions under its announcements waiting for an answer.
    pub questions: usize,
    /// Its service has not answered the node's probes for 3 days.
    pub unreachable: bool,
}

pub struct StatsView {
    pub pending: u64,
    pub delivered: u64,
    pub rejected: u64,
    pub failed: u64,
    pub unavailable_hosts: String,
}

impl From<queue::QueueStats> for StatsView {
    fn from(s: queue::QueueStats) -> Self {
        StatsView {
            pending: s.pending,
            delivered: s.delivered,
            rejected: s.rejected,
            failed: s.failed,
            unavailable_hosts: s.unavailable_hosts.join(", "),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff.html")]
pub struct StaffPage {
    base: Base,
    tr: Tr,
    role: String,
    rows: Vec<ManagedRow>,
    /// Pending transfer proposals this account may answer: link and text.
    awaiting: Vec<(String, String)>,
    stats: StatsView,
}

/// `GET /staff`.
pub async fn dashboard(ctx: Ctx, headers: HeaderMap) -> Page {
    let (base, account) = super::logged_in(&ctx, &headers).await?;
    let page = staff_page(&ctx, base.clone(), &account)
        .await
        .map_err(|e| error_page(base, e))?;
    Ok(no_store(page.into_response()))
}

/// One row per listing `account` manages.
async fn managed_rows(ctx: &Ctx, mine: &[Actor]) -> Result<Vec<ManagedRow>, AppError> {
    let tr = Tr;
    let ids: Vec<i64> = mine.iter().map(|a| a.id).collect();
    let live = directory::liveness::rows(&ctx.db, &ids).await?;
    let now = ctx.clock.now();
    let mut rows = vec![];
    for a in mine {
        let offering = a.kind == ActorKind::Offering;
        rows.push(ManagedRow {
            name: a.name.clone(),
            handle: format!("@{}@{}", a.username, a.domain),
            kind: tr.vocab("actor", a.kind.as_str()),
            manage_href: format!("/staff/{}", a.username),
            page_href: page_href(a),
            status: if offering {
                tr.vocab("status", a.status.as_str())
            } else {
                String::new()
            },
            moderation: tr.vocab("moderation", a.moderation.as_str()),
            followers: directory::follower_count(&ctx.db, a.id).await?,
            offering,
            questions: replies::unanswered(&ctx.db, &[a.id]).await?.len(),
            unreachable: live.get(&a.id).is_some_and(|l| {
                l.next_probe_at.is_some() && directory::liveness::unreachable(l.down_since, now)
            }),
        });
    }
    Ok(rows)
}

/// Proposals addressed to a listing this account manages, still waiting: link and text.
async fn awaiting(ctx: &Ctx, mine: &[Actor]) -> Result<Vec<(String, String)>, AppError> {
    let now = chrono::Utc::now();
    let mut awaiting = vec![];
    for p in transfers::list(&ctx.db).await? {
        if transfers::state_of(&p, now) != transfers::PENDING {
            continue;
        }
        if let Some(s) = mine.iter().find(|a| a.ap_id == p.successor_ap_id) {
            awaiting.push((
                format!("/staff/{}#proposal-{}", s.username, p.id),
                format!("{} → {}", p.origin_name, p.successor_name),
            ));
        }
    }
    Ok(awaiting)
}

async fn staff_page(ctx: &Ctx, base: Base, account: &Account) -> Result<StaffPage, AppError> {
    let mine = accounts::manageable(&ctx.db, account).await?;
    let rows = managed_rows(ctx, &mine).await?;
    let stats = queue::stats(&ctx.db).await?;
    let awaiting = awaiting(ctx, &mine).await?;
    let tr = Tr;
    Ok(StaffPage {
        base,
        tr,
        role: tr.vocab("role", &account.role),
        rows,
        awaiting,
        stats: stats.into(),
    })
}
