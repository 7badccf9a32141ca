//! The moderation log: `/admin/log` for admins (with who decided) and the public
//! `/moderation` (without, see the module's documentation).

use super::super::{
    forms::{Page, query_pairs},
    i18n::Tr,
    pages::{Base, error_page, frame},
};
use super::{LOG_PAGE, Link, Paging, date, page_number};
use crate::{
    directory::{
        admin_views::{self, LogEntry},
        moderation,
    },
    federation::{Ctx, policy::Severity},
    http::error::AppError,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{extract::RawQuery, http::HeaderMap};

pub struct LogRow {
    pub when: String,
    pub moderator: String,
    pub action: String,
    pub target: Link,
    pub target_name: String,
    pub change: String,
    pub reason: String,
    pub report: Option<i64>,
}

/// A state named in the log: a moderation state or a block's severity.
fn state_text(s: &Option<String>) -> String {
    let tr = Tr;
    s.as_deref()
        .map(|s| {
            if Severity::parse(s).is_some() {
                tr.vocab("admin-severity", s)
            } else {
                tr.vocab("moderation", s)
            }
        })
        .unwrap_or_default()
}

/// Log entries as rows; listings still stored are named.
async fn log_rows(ctx: &Ctx, entries: Vec<LogEntry>) -> Result<Vec<LogRow>, AppError> {
    let ids: Vec<i64> = entries.iter().filter_map(|e| e.actor_id).collect();
    let actors = admin_views::actors_by_id(&ctx.db, ids).await?;
    let tr = Tr;
    Ok(entries
        .into_iter()
        .map(|e| {
            let named = e.actor_id.and_then(|id| actors.get(&id));
            let change = match (&e.from_state, &e.to_state) {
                (Some(_), Some(_)) => {
                    format!(
                        "{} → {}",
                        state_text(&e.from_state),
                        state_text(&e.to_state)
                    )
                }
                (None, Some(_)) => state_text(&e.to_state),
                _ => String::new(),
            };
            LogRow {
                when: date(e.created_at),
                action: tr.vocab("admin-log-action", &e.action),
                target: Link::of(&e.target),
                target_name: named
                    .filter(|a| !a.name.is_empty())
                    .map(|a| format!("{} (@{}@{})", a.name, a.username, a.domain))
                    .unwrap_or_default(),
                change,
                reason: e.reason,
                report: e.report_id,
                moderator: e.moderator,
            }
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_log.html")]
pub struct LogPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    rows: Vec<LogRow>,
    total: u64,
    paging: Paging,
}

/// One page of a log: its rows (with moderators unless `public`), the number of entries
/// and the page's number.
async fn rows_page(
    ctx: &Ctx,
    raw: &Option<String>,
    public: bool,
) -> Result<(Vec<LogRow>, u64, u64), AppError> {
    let page = page_number(&query_pairs(raw))?;
    let (offset, limit) = ((page - 1) * LOG_PAGE, LOG_PAGE);
    let (entries, total) = if public {
        moderation::public_log(&ctx.db, offset, limit).await?
    } else {
        moderation::log_page(&ctx.db, offset, limit).await?
    };
    let mut rows = log_rows(ctx, entries).await?;
    if public {
        for r in &mut rows {
            r.moderator.clear();
        }
    }
    Ok((rows, total, page))
}

/// `GET /admin/log?page=N`: the whole moderation log, newest first.
pub async fn log(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    let page = rows_page(&ctx, &raw, false)
        .await
        .map(|(rows, total, page)| LogPage {
            base: base.clone(),
            tr: Tr,
            section: "log",
            rows,
            total,
            paging: Paging::new("/admin/log", page, total),
        });
    Ok(super::render(base, page))
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation.html")]
pub struct PublicLogPage {
    base: Base,
    tr: Tr,
    rows: Vec<LogRow>,
    total: u64,
    paging: Paging,
}

/// `GET /moderation?page=N`: public. What was decided about which listing, when and why;
/// not who decided (see the module's documentation).
pub async fn public_log(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Page {
    let (base, _) = frame(&ctx, &headers)
        .await
        .map_err(|e| error_page(Base::new(&ctx, None), e))?;
    let page = rows_page(&ctx, &raw, true)
        .await
        .map(|(rows, total, page)| PublicLogPage {
            base: base.clone(),
            tr: Tr,
            rows,
            total,
            paging: Paging::new("/moderation", page, total),
        });
    Ok(super::render(base, page))
}
