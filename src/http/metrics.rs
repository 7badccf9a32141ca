//! `/metrics` in the Prometheus text format: the delivery queue and the directory's size.
//! Scraped by operators; it reveals counts only, no names.

use crate::{
    directory::accounts::LoginLimiter,
    error::AppResult,
    federation::{Ctx, queue},
};
use axum::{
    Extension,
    http::header,
    response::{IntoResponse, Response},
};
use std::{fmt::Write, sync::Arc};

pub async fn metrics(
    ctx: Ctx,
    Extension(logins): Extension<Arc<LoginLimiter>>,
) -> AppResult<Response> {
    let s = queue::stats(&ctx.db).await?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP coopdir_deliveries Outgoing deliveries by state."
    );
    let _ = writeln!(out, "# TYPE coopdir_deliveries gauge");
    for (state, n) in [
        ("pending", s.pending),
        ("delivered", s.delivered),
        ("rejected", s.rejected),
        ("failed", s.failed),
    ] {
        let _ = writeln!(out, "coopdir_deliveries{{state=\"{state}\"}} {n}");
    }
    let _ = writeln!(
        out,
        "# HELP coopdir_unavailable_hosts Remote hosts marked unavailable after a run of failures."
    );
    let _ = writeln!(out, "# TYPE coopdir_unavailable_hosts gauge");
    let _ = writeln!(
        out,
        "coopdir_unavailable_hosts {}",
        s.unavailable_hosts.len()
    );
    let _ = writeln!(
        out,
        "# HELP coopdir_login_password_checks_total Passwords verified (Argon2 runs) by the login form since start; attempts refused by the login limiter are not verified."
    );
    let _ = writeln!(out, "# TYPE coopdir_login_password_checks_total counter");
    let _ = writeln!(
        out,
        "coopdir_login_password_checks_total {}",
        logins.checks()
    );
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}
