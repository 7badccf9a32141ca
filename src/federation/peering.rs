//! Peering: this node follows another coopdir node's instance actor, its co-ops and their
//! offerings, so their listings appear here and stay current through `Update`, `Delete`
//! and `Move`. Discovery goes through NodeInfo (the software must be coopdir), the
//! FEP-2677 instance actor link, and `featured` collections: the instance actor features
//! the node's co-ops, each co-op features its offerings.

use super::{AppState, Ctx, actors::ApActor, fetch::domain_of, send};
use crate::db::BeginWrite;
use crate::{
    db::entities::{actor, peer},
    directory::{DomainError, DomainResult, INSTANCE_USERNAME, types::ActorKind},
};
use activitypub_federation::fetch::{fetch_object_http, object_id::ObjectId};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::OnConflict};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

/// At most this many co-ops per peer and offerings per co-op are followed.
const MAX_ITEMS: usize = 1000;

#[derive(Deserialize)]
struct NodeInfoLinks {
    links: Vec<NodeInfoLink>,
}

#[derive(Deserialize)]
struct NodeInfoLink {
    rel: String,
    href: Url,
}

#[derive(Deserialize)]
struct NodeInfo {
    software: Software,
}

#[derive(Deserialize)]
struct Software {
    name: String,
}

/// The base URL for what an operator typed: a domain (`dir.example.org`,
/// `localhost:8081`) or a URL.
fn base_url(state: &AppState, input: &str) -> DomainResult<Url> {
    let input = input.trim().trim_end_matches('/');
    let text = if input.contains("://") {
        input.to_string()
    } else if state.settings.dev {
        format!("http://{input}")
    } else {
        format!("https://{input}")
    };
    let url = Url::parse(&text).map_err(|e| {
        DomainError::Invalid(format!("'{input}' is neither a domain nor a URL ({e})"))
    })?;
    if url.host_str().is_none() || !matches!(url.scheme(), "http" | "https") {
        return Err(DomainError::Invalid(format!(
            "'{input}' is not an http(s) address"
        )));
    }
    if url.scheme() == "http" && !state.settings.dev {
        return Err(DomainError::Invalid(format!(
            "'{input}' is not https; peers are reached over https"
        )));
    }
    let mut base = url.clone();
    base.set_path("/");
    base.set_query(None);
    if domain_of(&base) == state.settings.domain {
        return Err(DomainError::Invalid(
            "a node cannot peer with itself".into(),
        ));
    }
    Ok(base)
}

async fn get_json<T: serde::de::DeserializeOwned>(state: &AppState, url: &Url) -> DomainResult<T> {
    state.guard.permits(url).map_err(DomainError::Invalid)?;
    let res = state
        .client
        .get(url.clone())
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| {
            DomainError::Invalid(format!(
                "cannot reach {url}: {}",
                crate::error::error_chain(&e)
            ))
        })?;
    if !res.status().is_success() {
        return Err(DomainError::Invalid(format!(
            "{url} answered {}",
            res.status()
        )));
    }
    let bytes = res
        .bytes()
        .await
        .map_err(|e| DomainError::Invalid(format!("reading {url}: {e}")))?;
    if bytes.len() > 1 << 20 {
        return Err(DomainError::Invalid(format!("{url} sent more than 1 MiB")));
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| DomainError::Invalid(format!("{url} sent unreadable JSON: {e}")))
}

/// Ids in a `featured` collection (items inline, as coopdir serves them).
async fn featured_ids(ctx: &Ctx, url: &Url) -> DomainResult<Vec<Url>> {
    let res = fetch_object_http::<_, Value>(url, &ctx.reset_request_count())
        .await
        .map_err(|e| DomainError::Invalid(format!("cannot read {url}: {e}")))?;
    let items = res
        .object
        .get("orderedItems")
        .or_else(|| res.object.get("items"))
        .cloned()
        .unwrap_or(Value::Null);
    let ids = match items {
        Value::Array(a) => a,
        _ => vec![],
    };
    Ok(ids
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Url::parse(&s).ok(),
            Value::Object(o) => o
                .get("id")
                .and_then(|i| i.as_str())
                .and_then(|s| Url::parse(s).ok()),
            _ => None,
        })
        .filter(|u| domain_of(u) == domain_of(url))
        .take(MAX_ITEMS)
        .collect())
}

async fn resolve(ctx: &Ctx, id: &Url) -> DomainResult<actor::Model> {
    let oid: ObjectId<ApActor> = id.clone().into();
    oid.dereference_forced(&ctx.reset_request_count())
        .await
        .map(|a| a.model)
        .map_err(|e| DomainError::Invalid(format!("cannot fetch {id}: {e}")))
}

/// What `peer add` found and followed.
#[derive(Debug, Default)]
pub struct PeerReport {
    pub domain: String,
    pub coops: usize,
    pub offerings: usize,
}

/// Peer with the node at `input`: check it is a coopdir node, then follow its instance
/// actor, co-ops and offerings. Idempotent: adding a peer again refreshes it.
pub async fn add(state: &AppState, input: &str) -> DomainResult<PeerReport> {
    let base = base_url(state, input)?;
    // A blocked domain (or one outside the allowlist) is never peered with.
    super::policy::check(&state.db, &state.settings, &base).await?;
    let wk = base
        .join("/.well-known/nodeinfo")
        .map_err(anyhow::Error::from)?;
    let links: NodeInfoLinks = get_json(state, &wk).await.map_err(|e| {
        DomainError::Invalid(format!(
            "{} does not look like a coopdir node: {e}",
            domain_of(&base)
        ))
    })?;
    let ni_link = links
        .links
        .iter()
        .find(|l| l.rel.ends_with("/schema/2.1") || l.rel.ends_with("/schema/2.0"))
        .ok_or_else(|| {
            DomainError::Invalid(format!("{} publishes no NodeInfo 2.x", domain_of(&base)))
        })?;
    if domain_of(&ni_link.href) != domain_of(&base) {
        return Err(DomainError::Invalid(
            "its NodeInfo lives on another host".into(),
        ));
    }
    let info: NodeInfo = get_json(state, &ni_link.href).await?;
    if info.software.name != "coopdir" {
        return Err(DomainError::Invalid(format!(
            "{} runs {}, not coopdir; only coopdir nodes can be peered",
            domain_of(&base),
            info.software.name
        )));
    }
    let instance_url = links
        .links
        .iter()
        .find(|l| l.rel == "https://www.w3.org/ns/activitystreams#Application")
        .map(|l| l.href.clone())
        .unwrap_or(
            base.join(&format!("/actors/{INSTANCE_USERNAME}"))
                .map_err(anyhow::Error::from)?,
        );
    if domain_of(&instance_url) != domain_of(&base) {
        return Err(DomainError::Invalid(
            "its instance actor lives on another host".into(),
        ));
    }
    // Record the peer first: only peers' actors are read as listings. If discovery fails
    // below, a peer added now is forgotten again.
    let domain = domain_of(&base);
    let known = peer::Entity::find()
        .filter(peer::Column::Domain.eq(domain.as_str()))
        .one(&state.db)
        .await?
        .is_some();
    peer::Entity::insert(peer::ActiveModel {
        domain: Set(domain.clone()),
        base_url: Set(base.to_string()),
        instance_ap_id: Set(instance_url.to_string()),
        software: Set(info.software.name.clone()),
        added_at: Set(Utc::now()),
        synced_at: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(peer::Column::Domain)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await?;
    match discover_and_follow(state, &base, &instance_url).await {
        Ok(r) => Ok(r),
        Err(e) => {
            if !known {
                let _ = peer::Entity::delete_many()
                    .filter(peer::Column::Domain.eq(domain.as_str()))
                    .exec(&state.db)
                    .await;
            }
            Err(e)
        }
    }
}

async fn discover_and_follow(
    state: &AppState,
    base: &Url,
    instance_url: &Url,
) -> DomainResult<PeerReport> {
    let config = state.federation_config().await?;
    let ctx = config.to_request_data();
    let instance = resolve(&ctx, instance_url).await?;
    let mut report = PeerReport {
        domain: domain_of(base),
        ..Default::default()
    };
    let ours = crate::directory::instance_actor(&state.db, state).await?;

    // Discover everything first; then write the follows in one transaction.
    let mut to_follow = vec![instance.clone()];
    let coops = featured_ids(
        &ctx,
        &Url::parse(&format!("{}/featured", instance.ap_id)).map_err(anyhow::Error::from)?,
    )
    .await?;
    for coop_url in coops {
        let coop = resolve(&ctx, &coop_url).await?;
        if coop.kind != ActorKind::Coop.to_string() {
            continue;
        }
        report.coops += 1;
        to_follow.push(coop.clone());
        let offerings = sync_coop(&ctx, &coop).await?;
        report.offerings += offerings.len();
        to_follow.extend(offerings);
    }
    let txn = state.db.begin_write().await?;
    for target in &to_follow {
        send::follow_once(&txn, state, &ours, target).await?;
    }
    peer::Entity::update_many()
        .col_expr(
            peer::Column::SyncedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            peer::Column::InstanceApId,
            sea_orm::sea_query::Expr::value(instance.ap_id.clone()),
        )
        .col_expr(
            peer::Column::BaseUrl,
            sea_orm::sea_query::Expr::value(base.to_string()),
        )
        .filter(peer::Column::Domain.eq(report.domain.as_str()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    state.queue_notify.notify_one();
    Ok(report)
}

/// Fetch a peer co-op's offerings (its `featured` collection) and store them as listings.
pub async fn sync_coop(ctx: &Ctx, coop: &actor::Model) -> DomainResult<Vec<actor::Model>> {
    let url = Url::parse(&format!("{}/featured", coop.ap_id)).map_err(anyhow::Error::from)?;
    let mut out = Vec::new();
    for id in featured_ids(ctx, &url).await? {
        match resolve(ctx, &id).await {
            Ok(o) if o.kind == ActorKind::Offering.to_string() => out.push(o),
            Ok(_) => {}
            Err(e) => tracing::info!(offering = %id, error = %e, "skipping an offering of a peer"),
        }
    }
    Ok(out)
}

/// When a followed peer actor changes (an `Update` arrived): a co-op may have new
/// offerings, an instance actor new co-ops. Follow what is new.
pub async fn refresh_followed(ctx: &Ctx, changed: &actor::Model) -> DomainResult<()> {
    let state = ctx.app_data();
    let ours = crate::directory::instance_actor(&state.db, state).await?;
    let follows_it = crate::db::entities::following::Entity::find()
        .filter(crate::db::entities::following::Column::ActorId.eq(ours.id))
        .filter(crate::db::entities::following::Column::TargetApId.eq(changed.ap_id.as_str()))
        .one(&state.db)
        .await?
        .is_some();
    if !follows_it {
        return Ok(());
    }
    let mut new = Vec::new();
    if changed.kind == ActorKind::Coop.to_string() {
        new = sync_coop(ctx, changed).await?;
    } else if changed.kind == ActorKind::Remote.to_string()
        || changed.kind == ActorKind::Instance.to_string()
    {
        let url =
            Url::parse(&format!("{}/featured", changed.ap_id)).map_err(anyhow::Error::from)?;
        for coop_url in featured_ids(ctx, &url).await.unwrap_or_default() {
            if let Ok(coop) = resolve(ctx, &coop_url).await
                && coop.kind == ActorKind::Coop.to_string()
            {
                new.extend(sync_coop(ctx, &coop).await?);
                new.push(coop);
            }
        }
    }
    if new.is_empty() {
        return Ok(());
    }
    let txn = state.db.begin_write().await?;
    for target in &new {
        send::follow_once(&txn, state, &ours, target).await?;
    }
    txn.commit().await?;
    state.queue_notify.notify_one();
    Ok(())
}

/// The peers of this node, for the about page and the CLI.
pub async fn list(state: &AppState) -> DomainResult<Vec<peer::Model>> {
    Ok(peer::Entity::find().all(&state.db).await?)
}
