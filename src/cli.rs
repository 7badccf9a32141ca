//! The commands other than `serve`. Each reads the same configuration as `serve`, acts on
//! the same database, and leaves deliveries to the running node's workers.

use crate::{
    config::{AdminCommand, Command, PeerCommand, Settings},
    db,
    directory::{self, DomainError, listing::ListingDocument, types::AnnouncementKind},
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
            DomainError::Invalid(m) | DomainError::NotFound(m) | DomainError::Conflict(m) => {
                CliError::Input(m)
            }
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
    directory::instance_actor(&state.db, &state).await?;
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
        Command::Import { files } => {
            // Read and check every file before writing anything.
            let mut docs = Vec::new();
            for f in &files {
                let text = std::fs::read_to_string(f)
                    .map_err(|e| CliError::Input(format!("cannot read {}: {e}", f.display())))?;
                let doc = ListingDocument::parse(&f.display().to_string(), &text)
                    .map_err(|e| CliError::Input(e.0))?;
                docs.push(doc);
            }
            let state = state(settings).await?;
            for (f, doc) in files.iter().zip(&docs) {
                let r = directory::import(&state, doc).await?;
                println!(
                    "{}: {} created, {} updated, {} unchanged",
                    f.display(),
                    r.created.len(),
                    r.updated.len(),
                    r.unchanged.len()
                );
                for h in r.created.iter().chain(&r.updated) {
                    println!("  {h}");
                }
            }
            Ok(())
        }
        Command::Announce { handle, text, kind } => {
            let kind: AnnouncementKind = kind.parse().map_err(CliError::Input)?;
            if matches!(kind, AnnouncementKind::Sunset | AnnouncementKind::Transfer) {
                return Err(CliError::Input(format!(
                    "announcements of kind '{kind}' are posted by `coopdir {kind}`; use news, maintenance, price or capacity"
                )));
            }
            let state = state(settings).await?;
            let author =
                directory::local_by_handle(&state.db, &handle, &state.settings.domain).await?;
            let a = directory::announcements::announce(&state, &author, kind, &text).await?;
            println!("{}", a.ap_id);
            Ok(())
        }
        Command::Sunset { handle, end } => {
            let state = state(settings).await?;
            let offering =
                directory::local_by_handle(&state.db, &handle, &state.settings.domain).await?;
            directory::lifecycle::sunset(&state, &offering, end, chrono::Utc::now().date_naive())
                .await?;
            println!("{handle} is sunsetting until {end}; followers are being told");
            Ok(())
        }
        Command::Transfer { handle, to } => {
            let state = state(settings).await?;
            let offering =
                directory::local_by_handle(&state.db, &handle, &state.settings.domain).await?;
            let successor = directory::lifecycle::transfer(&state, &offering, &to).await?;
            println!("{handle} is transferred to {successor}; followers are being moved");
            Ok(())
        }
        Command::EditAnnouncement { url, text } => {
            let state = state(settings).await?;
            directory::announcements::edit(&state, &url, &text).await?;
            println!("{url} edited");
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
    }
}
