//! `/metrics` in the Prometheus text format: the delivery queue and the directory's size.
//! Scraped by operators; it reveals counts only, no names.

use crate::{
    directory::accounts::LoginLimiter,
    federation::{Ctx, queue},
    http::error::AppResult,
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
    // Probes of listed services (src/probes.rs).
    let _ = writeln!(
        out,
        "# HELP coopdir_probes_total Probes of listed services run by this process since start."
    );
    let _ = writeln!(out, "# TYPE coopdir_probes_total counter");
    let _ = writeln!(
        out,
        "coopdir_probes_total {}",
        crate::probes::PROBES_RUN.load(std::sync::atomic::Ordering::Relaxed)
    );
    let _ = writeln!(
        out,
        "# HELP coopdir_probes_failed_total Probes run by this process since start that found the service down or were refused."
    );
    let _ = writeln!(out, "# TYPE coopdir_probes_failed_total counter");
    let _ = writeln!(
        out,
        "coopdir_probes_failed_total {}",
        crate::probes::PROBES_FAILED.load(std::sync::atomic::Ordering::Relaxed)
    );
    let _ = writeln!(
        out,
        "# HELP coopdir_probes_late Listings whose probe was due more than a minute ago and has not run."
    );
    let _ = writeln!(out, "# TYPE coopdir_probes_late gauge");
    let _ = writeln!(
        out,
        "coopdir_probes_late {}",
        crate::probes::late(&ctx).await?
    );
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}
