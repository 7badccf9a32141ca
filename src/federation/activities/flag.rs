//! `Flag`: a report from another server. Mastodon forwards a report as
//! `Flag {actor: its instance actor, object: [reported actor, post URIs…], content: comment}`
//! (app/lib/activitypub/activity/flag.rb); the actor may be an `Application`, a `Service` or
//! a `Person`. Every object must be ours: a report about someone else's content is not
//! this node's to handle. Reports are rate-limited per remote host.

use super::super::{Ctx, fetch::domain_of};
use crate::db::BeginWrite;
use crate::{
    db::entities::actor,
    directory::{
        self,
        moderation::{self, NewReport},
    },
    federation::error::InboxError,
};

use serde::Deserialize;
use serde_json::Value;
use url::Url;

/// Objects read from one `Flag`; more is not a report but a flood.
const MAX_OBJECTS: usize = 100;

#[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
pub struct Flag {
    pub id: Url,
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub object: Vec<Value>,
    #[serde(default)]
    pub content: Option<Value>,
    /// Lemmy writes the reason of a report here, not in `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Value>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(a) => a,
        other => vec![other],
    })
}

fn object_id(v: &Value) -> Option<Url> {
    let s = match v {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("id")?.as_str()?,
        _ => return None,
    };
    Url::parse(s).ok()
}

impl Flag {
    /// The reporter's comment: `content` (Mastodon, Misskey, Akkoma…), else `summary`
    /// (Lemmy).
    pub fn comment(&self) -> String {
        [&self.content, &self.summary]
            .into_iter()
            .find_map(|v| match v {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    pub fn verify(&self, actor: &actor::Model, our_domain: &str) -> Result<(), InboxError> {
        if self.actor.as_str() != actor.ap_id {
            return Err(InboxError::Malformed(
                "Flag.actor is not the signing actor".into(),
            ));
        }
        if self.object.is_empty() || self.object.len() > MAX_OBJECTS {
            return Err(InboxError::Malformed(format!(
                "a Flag names 1 to {MAX_OBJECTS} objects"
            )));
        }
        for o in &self.object {
            let id = object_id(o).ok_or_else(|| {
                InboxError::Malformed("every object of a Flag needs an id".into())
            })?;
            if domain_of(&id) != our_domain {
                return Err(InboxError::Forbidden(format!(
                    "{id} is not on this node; report it to its own server"
                )));
            }
        }
        Ok(())
    }

    pub async fn receive(self, ctx: &Ctx, reporter: &actor::Model) -> Result<(), InboxError> {
        // Cheap early refusal of a host already over its limit; the binding check is below.
        let host =
            domain_of(&Url::parse(&reporter.ap_id).map_err(|e| InboxError::Internal(e.into()))?);
        if let Some(wait) = moderation::flag_budget(&ctx.db, &host, chrono::Utc::now()).await? {
            return Err(too_many(&host, wait));
        }
        // Reported actors and, per actor, the reported posts.
        let mut targets: Vec<(actor::Model, Vec<String>)> = Vec::new();
        let mut posts: Vec<Url> = Vec::new();
        for id in self.object.iter().filter_map(object_id) {
            match directory::local_actor_by_url(&ctx.db, &id).await? {
                Some(a) => {
                    if !targets.iter().any(|(t, _)| t.id == a.id) {
                        targets.push((a, vec![]));
                    }
                }
                None => posts.push(id),
            }
        }
        for post in posts {
            let Some(author) = moderation::local_post_author(&ctx.db, post.as_str()).await? else {
                tracing::debug!(%post, "Flag names an unknown object of this node; ignored");
                continue;
            };
            match targets.iter_mut().find(|(t, _)| t.id == author.id) {
                Some((_, p)) => p.push(post.to_string()),
                None => targets.push((author, vec![post.to_string()])),
            }
        }
        if targets.is_empty() {
            return Err(InboxError::NotFound(
                "the Flag names no actor or post of this node".into(),
            ));
        }
        let comment = self.comment();
        // The limit is checked and the reports written in one write transaction that holds
        // the host's lock, so concurrent Flags cannot all count the same free slots.
        let txn = ctx.db.begin_write().await?;
        lock_host(&txn, &host).await?;
        if let Some(wait) = moderation::flag_budget(&txn, &host, chrono::Utc::now()).await? {
            return Err(too_many(&host, wait));
        }
        for (target, statuses) in targets {
            let r = moderation::file_report(
                &txn,
                NewReport {
                    ap_id: Some(self.id.as_str()),
                    reporter: Some(reporter),
                    target: &target,
                    status_uris: statuses,
                    comment: &comment,
                },
            )
            .await?;
            tracing::info!(report = r.id, target = %target.ap_id, reporter = %reporter.ap_id, "report received");
        }
        txn.commit().await?;
        Ok(())
    }
}

fn too_many(host: &str, wait: u64) -> InboxError {
    InboxError::RateLimited(
        format!(
            "{host} sent more than {} reports in {} s; try again later",
            moderation::FLAGS_PER_WINDOW,
            moderation::FLAG_WINDOW_SECS
        ),
        wait,
    )
}

/// Serialize the report writes of one host until `txn` ends. SQLite needs nothing more:
/// a write transaction there (`BEGIN IMMEDIATE`) already excludes every other writer. On
/// PostgreSQL, a transaction-scoped advisory lock keyed by the host does it.
async fn lock_host(txn: &sea_orm::DatabaseTransaction, host: &str) -> Result<(), InboxError> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    use sha2::Digest;
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let digest = sha2::Sha256::digest(format!("coopdir-flag:{host}").as_bytes());
    let mut key = [0u8; 8];
    key.copy_from_slice(&digest[..8]);
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [i64::from_be_bytes(key).into()],
    ))
    .await?;
    Ok(())
}
