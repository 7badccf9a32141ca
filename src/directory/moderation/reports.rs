//! Reports: filed here or received as `Flag`, resolved, or forwarded to the reported
//! actor's server.

#[allow(unused_imports)]
use super::*;

/// How an admin resolves a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Dismiss,
    Hide,
    Suspend,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Dismiss => "dismiss",
            Resolution::Hide => "hide",
            Resolution::Suspend => "suspend",
        }
    }
}

/// A report to file.
pub struct NewReport<'a> {
    /// The `Flag`'s id, for a report received from another server.
    pub ap_id: Option<&'a str>,
    /// Who reported: a remote (instance) actor, or none for a report filed here.
    pub reporter: Option<&'a actor::Model>,
    pub target: &'a actor::Model,
    /// URIs of reported posts; at most [`MAX_STATUSES`] are kept.
    pub status_uris: Vec<String>,
    /// The reporter's comment, HTML or text; stored as capped plain text.
    pub comment: &'a str,
}

/// Store a report.
pub async fn file_report<C: ConnectionTrait>(
    db: &C,
    r: NewReport<'_>,
) -> DomainResult<report::Model> {
    let mut statuses: Vec<String> = Vec::new();
    for s in r.status_uris {
        if statuses.len() >= MAX_STATUSES {
            break;
        }
        if Url::parse(&s).is_ok() && !statuses.contains(&s) && s.len() <= 2000 {
            statuses.push(s);
        }
    }
    let comment = cap(
        &html::to_text(&r.comment.replace("</p>", "</p> ").replace("<br>", " ")),
        MAX_COMMENT,
    );
    let reporter_domain = r
        .reporter
        .and_then(|a| Url::parse(&a.ap_id).ok())
        .map(|u| domain_of(&u));
    Ok(report::ActiveModel {
        ap_id: Set(r.ap_id.map(str::to_string)),
        reporter_ap_id: Set(r.reporter.map(|a| a.ap_id.clone())),
        reporter_domain: Set(reporter_domain),
        target_actor_id: Set(Some(r.target.id)),
        target_ap_id: Set(r.target.ap_id.clone()),
        status_uris: Set(serde_json::to_string(&statuses).map_err(anyhow::Error::from)?),
        comment: Set(comment),
        state: Set("open".into()),
        resolution: Set(None),
        resolved_by: Set(None),
        resolution_note: Set(None),
        resolved_at: Set(None),
        forwarded_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// `None` while `reporter_domain` may send another `Flag`; else the seconds until it may.
/// Counts the distinct `Flag`s stored from that host in the last minute.
pub async fn flag_budget<C: ConnectionTrait>(
    db: &C,
    reporter_domain: &str,
    now: DateTime<Utc>,
) -> Result<Option<u64>, DbErr> {
    let since = now - chrono::Duration::seconds(FLAG_WINDOW_SECS);
    let recent = report::Entity::find()
        .filter(report::Column::ReporterDomain.eq(reporter_domain))
        .filter(report::Column::CreatedAt.gt(since))
        .order_by_asc(report::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?;
    let mut flags: Vec<(&str, DateTime<Utc>)> = Vec::new();
    for r in &recent {
        let id = r.ap_id.as_deref().unwrap_or("");
        if !flags.iter().any(|(f, _)| *f == id) {
            flags.push((id, r.created_at));
        }
    }
    if flags.len() < FLAGS_PER_WINDOW {
        return Ok(None);
    }
    // The window frees a slot when the oldest counted Flag leaves it.
    let oldest = flags[flags.len() - FLAGS_PER_WINDOW].1;
    let wait = (oldest + chrono::Duration::seconds(FLAG_WINDOW_SECS) - now).num_seconds();
    Ok(Some(wait.clamp(1, FLAG_WINDOW_SECS) as u64))
}

/// Reports, newest first: the open ones, or all.
pub async fn reports<C: ConnectionTrait>(db: &C, all: bool) -> Result<Vec<report::Model>, DbErr> {
    let mut q = report::Entity::find().order_by_desc(report::Column::Id);
    if !all {
        q = q.filter(report::Column::State.eq("open"));
    }
    q.limit(500).all(db).await
}

pub(super) async fn find_report<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> DomainResult<report::Model> {
    report::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::NotFound(crate::msg!("error-report-unknown", id = id.to_string()))
        })
}

/// Resolve a report: dismiss it, or hide or suspend the reported listing; the note goes into
/// the report and the moderation log.
pub async fn resolve_report(
    state: &Domain,
    id: i64,
    resolution: Resolution,
    by: &str,
    note: &str,
) -> DomainResult<report::Model> {
    let r = find_report(&state.db, id).await?;
    if r.state != "open" {
        return Err(DomainError::Conflict(crate::msg!(
            "error-report-resolved",
            id = id.to_string(),
            resolution = r.resolution.as_deref().unwrap_or("?"),
        )));
    }
    let target = match r.target_actor_id {
        Some(tid) => actor::Entity::find_by_id(tid).one(&state.db).await?,
        None => None,
    };
    let reason = if note.trim().is_empty() {
        format!("report {id}")
    } else {
        format!("report {id}: {}", note.trim())
    };
    match (resolution, &target) {
        (Resolution::Dismiss, _) => {
            log(
                &state.db,
                LogEntry {
                    actor_id: r.target_actor_id,
                    target: &r.target_ap_id,
                    action: "report-dismiss",
                    from_state: None,
                    to_state: None,
                    moderator: by,
                    reason: &reason,
                    report_id: Some(id),
                },
            )
            .await?;
        }
        (_, None) => {
            return Err(DomainError::NotFound(crate::msg!(
                "error-report-actor-gone",
                id = id.to_string(),
                actor = &r.target_ap_id,
            )));
        }
        (Resolution::Hide | Resolution::Suspend, Some(t)) => {
            let action = if resolution == Resolution::Hide {
                Action::Hide
            } else {
                Action::Suspend
            };
            match act(state, t, action, by, &reason, Some(id)).await {
                Ok(_) | Err(DomainError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    let mut am: report::ActiveModel = r.into();
    am.state = Set("resolved".into());
    am.resolution = Set(Some(resolution.as_str().into()));
    am.resolved_by = Set(Some(cap(by, 200)));
    am.resolution_note = Set(Some(cap(note, MAX_REASON)));
    am.resolved_at = Set(Some(Utc::now()));
    Ok(am.update(&state.db).await?)
}

/// Forward a report about a remote actor to its home server: a `Flag` from our instance
/// actor, through the durable queue.
pub async fn forward_report(state: &Domain, id: i64) -> DomainResult<report::Model> {
    let r = find_report(&state.db, id).await?;
    if r.forwarded_at.is_some() {
        return Err(DomainError::Conflict(crate::msg!(
            "error-report-forwarded",
            id = id.to_string()
        )));
    }
    let target = match r.target_actor_id {
        Some(tid) => actor::Entity::find_by_id(tid).one(&state.db).await?,
        None => None,
    }
    .ok_or_else(|| {
        DomainError::NotFound(crate::msg!(
            "error-report-forward-gone",
            id = id.to_string()
        ))
    })?;
    if target.local {
        return Err(DomainError::Invalid(crate::msg!(
            "error-report-local",
            id = id.to_string(),
            actor = &target.ap_id,
        )));
    }
    let url = Url::parse(&target.ap_id).map_err(anyhow::Error::from)?;
    if let Some(why) = policy::refusal(&state.db, &state.settings, &url).await? {
        return Err(DomainError::Invalid(crate::msg!(
            "error-report-forward-refused",
            id = id.to_string(),
            reason = why.to_string()
        )));
    }
    let statuses: Vec<String> = serde_json::from_str(&r.status_uris).unwrap_or_default();
    let instance = super::super::instance_actor(&state.db, state).await?;
    let txn = state.db.begin_write().await?;
    state
        .effects
        .record(
            &txn,
            Effect::ReportForwarded {
                instance,
                target,
                statuses,
                comment: r.comment.clone(),
            },
        )
        .await?;
    let mut am: report::ActiveModel = r.into();
    am.forwarded_at = Set(Some(Utc::now()));
    let model = am.update(&txn).await?;
    txn.commit().await?;
    state.effects.committed();
    Ok(model)
}

/// A report filed on this node (by an admin, or later by a member through the web pages).
pub async fn report_here(
    state: &Domain,
    target: &actor::Model,
    status_uris: Vec<String>,
    comment: &str,
) -> DomainResult<report::Model> {
    file_report(
        &state.db,
        NewReport {
            ap_id: None,
            reporter: None,
            target,
            status_uris,
            comment,
        },
    )
    .await
}

/// The author of a local announcement, for a report that names the post only.
pub async fn local_post_author<C: ConnectionTrait>(
    db: &C,
    uri: &str,
) -> Result<Option<actor::Model>, DbErr> {
    let Some(a) = announcement::Entity::find()
        .filter(announcement::Column::ApId.eq(uri))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(actor::Entity::find_by_id(a.actor_id)
        .one(db)
        .await?
        .filter(|author| author.local))
}

// ---------------------------------------------------------------------------------------
// Queries of the admin pages

/// One report by id.
pub async fn report_by_id<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<report::Model>, DbErr> {
    report::Entity::find_by_id(id).one(db).await
}
