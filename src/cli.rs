//! The commands other than `serve`. Each reads the same configuration as `serve`, acts on
//! the same database, and leaves deliveries to the running node's workers.

use crate::{
    config::{AdminCommand, Command, FaspCommand, PeerCommand, Settings, TransfersCommand},
    db,
    directory::{self, DomainError, types::AnnouncementKind},
    federation::{AppState, queue},
};
use std::io::Read;

/// How a command failed: bad input (exit 2) or a failure (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Input(String),
    #[error("{0:#}")]
    Failure(anyhow::Error),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::Failure(_) => 1,
        }
    }
}

impl From<DomainError> for CliError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(m)
            | DomainError::NotFound(m)
            | DomainError::Conflict(m)
            | DomainError::Forbidden(m) => CliError::Input(m.to_string()),
            DomainError::InvalidField(i) => CliError::Input(i.message.to_string()),
            e @ (DomainError::Unauthorized(_)
            | DomainError::Gone(_)
            | DomainError::RateLimited(..)
            | DomainError::Upstream(_)) => CliError::Failure(anyhow::anyhow!(e.to_string())),
            DomainError::Db(e) => CliError::Failure(e.into()),
            DomainError::Other(e) => CliError::Failure(e),
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        CliError::Failure(e)
    }
}

impl From<sea_orm::DbErr> for CliError {
    fn from(e: sea_orm::DbErr) -> Self {
        CliError::Failure(e.into())
    }
}

async fn state(settings: Settings) -> Result<AppState, CliError> {
    let db = db::connect(&settings.database_url).await?;
    db::migrate(&db).await?;
    let state = AppState::new(db, settings)?;
    crate::check_identity(&state)
        .await
        .map_err(|e| CliError::Input(format!("{e:#}")))?;
    Ok(state)
}

/// Run one command and print its result on standard output.
pub async fn run(settings: Settings, command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve => crate::serve(settings).await.map_err(CliError::Failure),
        Command::Migrate => {
            let db = db::connect(&settings.database_url).await?;
            db::migrate(&db).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Import {
            sources,
            format,
            follow,
        } => import(settings, &sources, format, follow).await,
        Command::Sources => {
            let state = state(settings).await?;
            for s in crate::sources::list(&state.db).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    s.url,
                    s.coop_handle.as_deref().unwrap_or("-"),
                    s.checked_at
                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(|| "never".into()),
                    s.next_check_at.format("%Y-%m-%d %H:%M"),
                    s.last_result
                );
            }
            Ok(())
        }
        Command::Export { handle, format } => export(settings, &handle, &format).await,
        Command::Announce {
            handle,
            text,
            kind,
            text_in,
        } => {
            let kind: AnnouncementKind = kind
                .parse::<AnnouncementKind>()
                .map_err(|e| CliError::Input(e.to_string()))?;
            if matches!(kind, AnnouncementKind::Sunset | AnnouncementKind::Transfer) {
                return Err(CliError::Input(format!(
                    "announcements of kind '{kind}' are posted by `coopdir {kind}`; use news, maintenance, price or capacity"
                )));
            }
            let state = state(settings).await?;
            let author =
                directory::local_by_handle(&state.db, &handle, &state.settings.domain).await?;
            let a = directory::announcements::announce_in(&state, &author, kind, &text, &text_in)
                .await?;
            println!("{}", a.ap_id);
            Ok(())
        }
        Command::Sunset {
            handle,
            end,
            note,
            alternatives,
            preview,
            cancel,
        } => {
            let state = state(settings).await?;
            let target =
                directory::local_by_handle(&state.db, &handle, &state.settings.domain).await?;
            let today = chrono::Utc::now().date_naive();
            if cancel {
                let n = directory::lifecycle::cancel_sunset(&state, &target).await?;
                println!(
                    "the sunset of {handle} is cancelled ({n} listing(s) active again); followers are being told"
                );
                return Ok(());
            }
            let Some(end) = end else {
                return Err(CliError::Input(
                    "give the last day of service with --end YYYY-MM-DD, or --cancel".into(),
                ));
            };
            let plan = directory::lifecycle::SunsetRequest {
                end,
                today,
                note: note.as_deref().unwrap_or(""),
                alternatives: &alternatives,
                preview,
            };
            let r = directory::lifecycle::sunset_plan(&state, &target, plan).await?;
            if preview {
                println!("preview: nothing was written or sent");
                for p in &r.announcements {
                    println!("\n--- {} (last day of service {end})\n{}", p.handle, p.text);
                    for a in &p.alternatives {
                        println!("  alternative: {a}");
                    }
                }
            } else if r.postponed {
                println!(
                    "the sunset of {handle} is postponed: {end} is now its last day of service; followers are being told"
                );
            } else {
                println!(
                    "{handle} is sunsetting: {end} is its last day of service; followers are being told"
                );
            }
            Ok(())
        }
        Command::Transfer {
            handle,
            to,
            map,
            note,
            preview,
        } => {
            let state = state(settings).await?;
            let origin =
                directory::local_by_handle(&state.db, &handle, &state.settings.domain).await?;
            let by = directory::transfers::Acting::Operator;
            let outcome = directory::lifecycle::transfer(
                &state,
                &origin,
                directory::lifecycle::TransferRequest {
                    to: &to,
                    note: &note,
                    map: &map,
                    preview,
                    by: &by,
                },
            )
            .await?;
            use directory::lifecycle::TransferOutcome as O;
            match outcome {
                O::Moved { successor } => {
                    println!("{handle} is transferred to {successor}; followers are being moved")
                }
                O::Proposed {
                    id,
                    successor,
                    successor_name,
                    remote,
                } => {
                    let how = if remote {
                        "an Offer is on its way to the successor's node"
                    } else {
                        "its staff answer with `coopdir transfers accept|decline`"
                    };
                    println!(
                        "proposed transfer {id} of {handle} to {successor_name} ({successor}); nothing moves until {successor_name} accepts: {how}"
                    )
                }
                O::Preview {
                    successor,
                    needs_consent,
                    text,
                } => {
                    println!("preview: nothing was written or sent");
                    println!(
                        "successor: {successor}; {}",
                        if needs_consent {
                            "it must accept before anything moves"
                        } else {
                            "the move would happen at once"
                        }
                    );
                    println!("\n{text}");
                }
            }
            Ok(())
        }
        Command::Transfers { json, command } => {
            let state = state(settings).await?;
            let by = directory::transfers::Acting::Operator;
            match command {
                None => {
                    let now = chrono::Utc::now();
                    let all = directory::transfers::list(&state.db).await?;
                    if json {
                        let items: Vec<_> = all
                            .iter()
                            .map(|p| directory::transfers::to_json(p, now))
                            .collect();
                        println!(
                            "{}",
                            serde_json::to_string_pretty(&items).map_err(anyhow::Error::from)?
                        );
                    } else {
                        for p in &all {
                            println!(
                                "{}\t{}\t{}\t{}\t{}{}",
                                p.id,
                                p.origin_ap_id,
                                p.successor_ap_id,
                                directory::transfers::state_of(p, now),
                                p.direction,
                                p.reason
                                    .as_deref()
                                    .map(|r| format!("\treason: {r}"))
                                    .unwrap_or_default()
                            );
                        }
                    }
                }
                Some(TransfersCommand::Accept { id }) => {
                    let p = directory::transfers::accept(&state, id, &by).await?;
                    if p.state == directory::transfers::MOVED {
                        println!(
                            "accepted proposal {id}: {} is transferred to {}; followers are being moved",
                            p.origin_ap_id, p.successor_ap_id
                        );
                    } else {
                        println!(
                            "accepted proposal {id}: {} now lists {}; its node is told and moves the followers",
                            p.successor_ap_id, p.origin_ap_id
                        );
                    }
                }
                Some(TransfersCommand::Decline { id, reason }) => {
                    directory::transfers::decline(&state, id, &reason, &by).await?;
                    println!(
                        "declined proposal {id}; nothing changes, and the proposing co-op is told"
                    );
                }
            }
            Ok(())
        }
        Command::EditAnnouncement { url, text, text_in } => {
            let state = state(settings).await?;
            directory::announcements::edit_in(&state, &url, &text, &text_in).await?;
            println!("{url} edited");
            Ok(())
        }
        Command::Reply { url, text, pin } => {
            let state = state(settings).await?;
            let target = directory::replies::answer_target(&state.db, &url).await?;
            let answer = crate::federation::answers::answer(&state, &target, &text, pin).await?;
            println!("{}", answer.ap_id);
            Ok(())
        }
        Command::HideReply { url, reason } => {
            let state = state(settings).await?;
            let (r, _, _) = directory::replies::by_ap_id(&state.db, &url).await?;
            directory::replies::hide(&state.db, r, &cli_moderator(), &reason).await?;
            println!("{url} hidden");
            Ok(())
        }
        Command::WithdrawAnnouncement { url } => {
            let state = state(settings).await?;
            directory::announcements::withdraw(&state, &url).await?;
            println!("{url} withdrawn");
            Ok(())
        }
        Command::Peer {
            command: PeerCommand::Add { peer },
        } => {
            let state = state(settings).await?;
            let r = crate::federation::peering::add(&state, &peer).await?;
            println!(
                "peering with {}: following {} co-op(s) and {} offering(s); the running node delivers the follows",
                r.domain, r.coops, r.offerings
            );
            if r.later > 0 {
                println!(
                    "{} more listed beyond this command's fetch budget are followed by the running node within the hour",
                    r.later
                );
            }
            Ok(())
        }
        Command::Peer {
            command: PeerCommand::List,
        } => {
            let state = state(settings).await?;
            for p in crate::federation::peering::list(&state).await? {
                println!(
                    "{}\t{}\tadded {}",
                    p.domain,
                    p.instance_ap_id,
                    p.added_at.format("%Y-%m-%d")
                );
            }
            Ok(())
        }
        Command::Fasp { command } => fasp(settings, command).await,
        Command::Remove { handle } => {
            let state = state(settings).await?;
            let target =
                directory::local_by_handle(&state.db, &handle, &state.settings.domain).await?;
            for h in directory::remove(&state, &target).await? {
                println!("removed {h}");
            }
            Ok(())
        }
        Command::Deliveries => {
            let db = db::connect(&settings.database_url).await?;
            db::migrate(&db).await?;
            let s = queue::stats(&db)
                .await
                .map_err(|e| CliError::Failure(anyhow::anyhow!(e.to_string())))?;
            println!("pending:   {}", s.pending);
            println!("delivered: {}", s.delivered);
            println!("rejected:  {}", s.rejected);
            println!("failed:    {}", s.failed);
            if !s.unavailable_hosts.is_empty() {
                println!("unavailable hosts: {}", s.unavailable_hosts.join(", "));
            }
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { username },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| {
                    CliError::Input(format!("cannot read the password from standard input: {e}"))
                })?;
            let password = password.trim_end_matches(['\n', '\r']);
            let db = db::connect(&settings.database_url).await?;
            db::migrate(&db).await?;
            let a = directory::accounts::create_admin(&db, &username, password).await?;
            println!("admin account '{}' created", a.username);
            Ok(())
        }
        command @ (Command::Block { .. }
        | Command::Unblock { .. }
        | Command::Allow { .. }
        | Command::Disallow { .. }
        | Command::Domains
        | Command::Moderate { .. }
        | Command::ModerationLog { .. }
        | Command::Reports { .. }
        | Command::Report { .. }
        | Command::Staff { .. }
        | Command::Token { .. }) => moderation_command(settings, command).await,
    }
}

/// `coopdir import`: read and map every source first (a bad one writes nothing), then
/// import each co-op in its own transaction.
async fn import(
    settings: Settings,
    sources: &[String],
    format: Option<String>,
    follow: bool,
) -> Result<(), CliError> {
    use crate::directory::interchange::Format;
    let format = format
        .map(|f| f.parse::<Format>())
        .transpose()
        .map_err(CliError::Input)?;
    let state = state(settings).await?;
    let mut loaded = Vec::new();
    for s in sources {
        if follow
            && !matches!(
                crate::sources::Location::parse(s),
                crate::sources::Location::Url(_)
            )
        {
            return Err(CliError::Input(format!(
                "{s}: --follow needs an http(s) URL; a file is not re-read"
            )));
        }
        let l = crate::sources::load(&state, s, format)
            .await
            .map_err(|e| CliError::Input(e.0))?;
        loaded.push(l);
    }
    for l in &loaded {
        for w in &l.imported.warnings {
            eprintln!("warning: {}: {w}", l.source);
        }
        let Some(doc) = &l.imported.doc else {
            println!("{}: skipped ({})", l.source, l.imported.format);
            continue;
        };
        let r = directory::import(&state, doc).await?;
        println!(
            "{}: {} created, {} updated, {} unchanged",
            l.source,
            r.created.len(),
            r.updated.len(),
            r.unchanged.len()
        );
        for h in r.created.iter().chain(&r.updated) {
            println!("  {h}");
        }
        if let Some(url) = crate::sources::follow_named(&state, doc).await? {
            println!("  followed: {url} (its source_url), read daily by the running node");
        }
        if follow {
            crate::sources::follow(&state, l)
                .await
                .map_err(|e| CliError::Input(e.0))?;
            println!("  followed: read again daily by the running node");
        }
    }
    Ok(())
}

/// `coopdir export`: a local co-op's listing in another directory's format.
async fn export(settings: Settings, handle: &str, format: &str) -> Result<(), CliError> {
    use crate::directory::interchange::{Format, export};
    let format: Format = format.parse().map_err(CliError::Input)?;
    let state = state(settings).await?;
    let coop = directory::local_by_handle(&state.db, handle, &state.settings.domain).await?;
    let listing = export::load(&state.db, &coop).await?;
    print!("{}", export::render(&listing, format, state.clock.now())?);
    Ok(())
}

/// Who a command acts as, for the moderation log: `cli` and the operating-system user.
fn cli_moderator() -> String {
    match std::env::var("USER") {
        Ok(u) if !u.is_empty() => format!("cli:{u}"),
        _ => "cli".into(),
    }
}

fn read_password() -> Result<String, CliError> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .map_err(|e| {
            CliError::Input(format!("cannot read the password from standard input: {e}"))
        })?;
    Ok(password.trim_end_matches(['\n', '\r']).to_string())
}

/// Moderation, domain policy, reports and accounts.
async fn moderation_command(settings: Settings, command: Command) -> Result<(), CliError> {
    use crate::{
        config::{
            BlockSeverity, ModerationAction, ReportAction, ReportCommand, StaffCommand,
            TokenCommand,
        },
        directory::moderation::{self, Action, Resolution},
        federation::policy::Severity,
    };
    let by = cli_moderator();
    let state = state(settings).await?;
    match command {
        Command::Block {
            domain,
            severity,
            reason,
        } => {
            let severity = match severity {
                BlockSeverity::Reject => Severity::Reject,
                BlockSeverity::Hide => Severity::Hide,
            };
            let r =
                moderation::block_domain(&state, &domain, severity, reason.as_deref(), &by).await?;
            println!(
                "{} {} ({severity}); {} listing(s) changed",
                r.domain,
                if r.created {
                    "blocked"
                } else {
                    "block updated"
                },
                r.listings_changed
            );
        }
        Command::Unblock { domain } => {
            let r = moderation::unblock_domain(&state, &domain, &by).await?;
            println!(
                "{} unblocked; {} listing(s) restored",
                r.domain, r.listings_changed
            );
        }
        Command::Allow { domain } => {
            let d = moderation::allow_domain(&state, &domain, &by).await?;
            println!("{d} allowed");
            if state.settings.federation_mode != crate::config::FederationMode::Allowlist {
                println!("note: the allowlist applies only with --federation-mode allowlist");
            }
        }
        Command::Disallow { domain } => {
            let d = moderation::disallow_domain(&state, &domain, &by).await?;
            println!("{d} removed from the allowlist");
        }
        Command::Domains => {
            let (blocks, allows) = moderation::domain_rules(&state.db).await?;
            println!("federation mode: {:?}", state.settings.federation_mode);
            for b in blocks {
                println!(
                    "block\t{}\t{}\t{}",
                    b.domain,
                    b.severity,
                    b.reason.unwrap_or_default()
                );
            }
            for a in allows {
                println!("allow\t{}", a.domain);
            }
        }
        Command::Moderate {
            target,
            action,
            reason,
        } => {
            let a = moderation::find_target(&state.db, &state.settings, &target).await?;
            let action = match action {
                ModerationAction::Approve => Action::Approve,
                ModerationAction::Hide => Action::Hide,
                ModerationAction::Suspend => Action::Suspend,
                ModerationAction::Restore => Action::Restore,
            };
            let m = moderation::act(&state, &a, action, &by, &reason, None).await?;
            println!("{} is now {}", m.ap_id, m.moderation);
        }
        Command::ModerationLog { limit } => {
            for e in moderation::log_entries(&state.db, limit).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{} -> {}\t{}",
                    e.created_at.format("%Y-%m-%d %H:%M:%S"),
                    e.moderator,
                    e.action,
                    e.target,
                    e.from_state.unwrap_or_default(),
                    e.to_state.unwrap_or_default(),
                    e.reason
                );
            }
        }
        Command::Reports { all } => {
            for r in moderation::reports(&state.db, all).await? {
                let statuses: Vec<String> =
                    serde_json::from_str(&r.status_uris).unwrap_or_default();
                println!(
                    "#{}\t{}\t{}\tfrom {}\t{} post(s)\t{}{}",
                    r.id,
                    r.created_at.format("%Y-%m-%d %H:%M"),
                    r.target_ap_id,
                    r.reporter_ap_id.as_deref().unwrap_or("this node"),
                    statuses.len(),
                    match &r.resolution {
                        Some(res) => format!("[{res}] "),
                        None => String::new(),
                    },
                    r.comment.replace(['\n', '\t'], " ")
                );
            }
        }
        Command::Report {
            command: ReportCommand::Resolve { id, action, note },
        } => {
            let resolution = match action {
                ReportAction::Dismiss => Resolution::Dismiss,
                ReportAction::Hide => Resolution::Hide,
                ReportAction::Suspend => Resolution::Suspend,
            };
            let r = moderation::resolve_report(&state, id, resolution, &by, &note).await?;
            println!("report #{} resolved: {}", r.id, resolution.as_str());
        }
        Command::Report {
            command:
                ReportCommand::Create {
                    target,
                    comment,
                    statuses,
                    forward,
                },
        } => {
            let a = moderation::find_target(&state.db, &state.settings, &target).await?;
            if forward && a.local {
                return Err(CliError::Input(format!(
                    "{} is a listing of this node: only reports about remote actors are forwarded; \
                     file it without --forward",
                    a.ap_id
                )));
            }
            let r = moderation::report_here(&state, &a, statuses, &comment).await?;
            println!("report #{} filed about {}", r.id, a.ap_id);
            if forward {
                // The report stays filed either way; say how to retry the forwarding.
                match moderation::forward_report(&state, r.id).await {
                    Ok(_) => println!("report #{} forwarded to {}", r.id, a.domain),
                    Err(e) => {
                        return Err(CliError::Input(format!(
                            "report #{} is filed, but forwarding it failed: {e}; retry with `coopdir report forward {}`",
                            r.id, r.id
                        )));
                    }
                }
            }
        }
        Command::Report {
            command: ReportCommand::Forward { id },
        } => {
            let r = moderation::forward_report(&state, id).await?;
            println!("report #{} forwarded about {}", r.id, r.target_ap_id);
        }
        Command::Staff {
            command: StaffCommand::Create { username, coop },
        } => {
            let password = read_password()?;
            let coop = directory::local_by_handle(&state.db, &coop, &state.settings.domain).await?;
            let a =
                directory::accounts::create_staff(&state.db, &username, &password, &coop).await?;
            println!(
                "staff account '{}' of {}@{} created",
                a.username, coop.username, coop.domain
            );
        }
        Command::Token {
            command: TokenCommand::Create { username, name },
        } => {
            let account = directory::accounts::find(&state.db, &username)
                .await?
                .ok_or_else(|| CliError::Input(format!("there is no account '{username}'")))?;
            let token = directory::accounts::create_token(&state.db, &account, &name).await?;
            // The token itself on stdout, alone, so scripts can capture it; it is not
            // shown again.
            println!("{token}");
            eprintln!(
                "token '{name}' for '{username}' created; store it now, it is not shown again"
            );
        }
        Command::Token {
            command: TokenCommand::Revoke { username, name },
        } => {
            let account = directory::accounts::find(&state.db, &username)
                .await?
                .ok_or_else(|| CliError::Input(format!("there is no account '{username}'")))?;
            let n = directory::accounts::revoke_tokens(&state.db, &account, &name).await?;
            if n == 0 {
                return Err(CliError::Input(format!(
                    "'{username}' has no token named '{name}'"
                )));
            }
            println!("revoked {n} token(s) '{name}' of '{username}'");
        }
        _ => {}
    }
    Ok(())
}

async fn fasp(settings: Settings, command: FaspCommand) -> Result<(), CliError> {
    let state = state(settings).await?;
    match command {
        FaspCommand::Register { url } => {
            let r = crate::fasp::register(&state, &url)
                .await
                .map_err(|e| match e {
                    crate::fasp::RegisterError::BadUrl(m) => CliError::Input(m),
                    crate::fasp::RegisterError::Failed(e) => CliError::Failure(e),
                })?;
            println!("registration: {}", r.id);
            println!("server: {}", r.server_base);
            println!("fingerprint: {}", crate::fasp::fingerprint(&r.public_key));
            println!("finish: {}", r.completion_uri);
        }
        FaspCommand::List { json } => {
            let rows = crate::fasp::list(&state.db).await?;
            if json {
                let all: Vec<serde_json::Value> =
                    rows.iter().map(crate::fasp::registration_json).collect();
                println!("{}", serde_json::Value::Array(all));
            } else {
                for r in &rows {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        r.id,
                        r.status,
                        r.server_base,
                        crate::fasp::fingerprint(&r.public_key),
                        crate::fasp::capabilities(r).join(",")
                    );
                }
            }
        }
        FaspCommand::Revoke { id } => {
            let n: i64 = id.trim().parse().map_err(|_| {
                CliError::Input(format!(
                    "'{id}' is not a registration id; see `coopdir fasp list`"
                ))
            })?;
            match crate::fasp::revoke(&state.db, n).await? {
                Some(_) => println!("registration {n} revoked"),
                None => {
                    return Err(CliError::Input(format!(
                        "there is no registration {n}; see `coopdir fasp list`"
                    )));
                }
            }
        }
    }
    Ok(())
}
