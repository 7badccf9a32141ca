//! Peering: this node follows another coopdir node's instance actor, its co-ops and their
//! offerings, so their listings appear here and stay current through `Update`, `Delete`
//! and `Move`. Discovery goes through NodeInfo (the software must be coopdir), the
//! FEP-2677 instance actor link, and `featured` collections: the instance actor features
//! the node's co-ops, each co-op features its offerings.

use super::{AppState, Ctx, FETCH_BUDGET, actors::ApActor, fetch::domain_of, send};
use crate::db::BeginWrite;
use crate::{
    db::entities::{actor, caps, peer},
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
        DomainError::Invalid(crate::msg!(
            "error-peer-address",
            value = input,
            reason = e.to_string()
        ))
    })?;
    if url.host_str().is_none() || !matches!(url.scheme(), "http" | "https") {
        return Err(DomainError::Invalid(crate::msg!(
            "error-peer-not-http",
            value = input
        )));
    }
    if url.scheme() == "http" && !state.settings.dev {
        return Err(DomainError::Invalid(crate::msg!(
            "error-peer-not-https",
            value = input
        )));
    }
    let mut base = url.clone();
    base.set_path("/");
    base.set_query(None);
    if domain_of(&base) == state.settings.domain {
        return Err(DomainError::Invalid(crate::msg!("error-peer-itself")));
    }
    Ok(base)
}

async fn get_json<T: serde::de::DeserializeOwned>(state: &AppState, url: &Url) -> DomainResult<T> {
    state
        .guard
        .permits(url)
        .map_err(|m| DomainError::Invalid(m.into()))?;
    let res = state
        .client
        .get(url.clone())
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| {
            DomainError::Invalid(
                format!(
                    "cannot reach {url}: {}",
                    crate::http::error::error_chain(&e)
                )
                .into(),
            )
        })?;
    if !res.status().is_success() {
        return Err(DomainError::Invalid(
            format!("{url} answered {}", res.status()).into(),
        ));
    }
    // Streamed and cut at the limit: a huge or endless document never sits in memory.
    let bytes = super::read_limited(res, super::MAX_RESPONSE)
        .await
        .map_err(|e| DomainError::Invalid(format!("{url} {e}").into()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| DomainError::Invalid(format!("{url} sent unreadable JSON: {e}").into()))
}

/// Fetches made with `ctx` plus `outside` (made without the federation library, such as
/// NodeInfo) leave room for one more within [`FETCH_BUDGET`].
fn has_budget(ctx: &Ctx, outside: u32) -> bool {
    ctx.request_count().saturating_add(outside) < FETCH_BUDGET
}

fn featured_url(a: &actor::Model) -> DomainResult<Url> {
    Ok(Url::parse(&format!("{}/featured", a.ap_id)).map_err(anyhow::Error::from)?)
}

/// Ids in a `featured` collection (items inline, as coopdir serves them). One fetch of
/// the request's budget.
async fn featured_ids(ctx: &Ctx, url: &Url) -> DomainResult<Vec<Url>> {
    let res = fetch_object_http::<_, Value>(url, ctx)
        .await
        .map_err(|e| DomainError::Invalid(format!("cannot read {url}: {e}").into()))?;
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
        .filter(|u| domain_of(u) == domain_of(url) && u.as_str().len() <= caps::URL)
        .take(MAX_ITEMS)
        .collect())
}

/// Fetch and store an actor: one fetch of the request's budget (the budget is never reset
/// per item).
async fn resolve(ctx: &Ctx, id: &Url) -> DomainResult<actor::Model> {
    let oid: ObjectId<ApActor> = id.clone().into();
    oid.dereference_forced(ctx)
        .await
        .map(|a| a.model)
        .map_err(|e| DomainError::Invalid(format!("cannot fetch {id}: {e}").into()))
}

/// What `peer add` found and followed.
#[derive(Debug, Default)]
pub struct PeerReport {
    pub domain: String,
    pub coops: usize,
    pub offerings: usize,
    /// Co-ops and offerings listed beyond the fetch budget: scheduled work fetches and
    /// follows them later.
    pub later: usize,
}

/// Peer with the node at `input`: check it is a coopdir node, then follow its instance
/// actor, co-ops and offerings. Idempotent: adding a peer again refreshes its instance
/// actor and follows what is new. One fetch budget covers the whole command; what its
/// collections list beyond it is followed later by scheduled work.
pub async fn add(state: &AppState, input: &str) -> DomainResult<PeerReport> {
    let base = base_url(state, input)?;
    // A blocked domain (or one outside the allowlist) is never peered with.
    super::policy::check(&state.db, &state.settings, &base)
        .await
        .map_err(super::effects::domain_error)?;
    let wk = base
        .join("/.well-known/nodeinfo")
        .map_err(anyhow::Error::from)?;
    let links: NodeInfoLinks = get_json(state, &wk).await.map_err(|e| {
        DomainError::Invalid(crate::msg!(
            "error-peer-not-coopdir",
            domain = domain_of(&base),
            reason = e.to_string(),
        ))
    })?;
    let ni_link = links
        .links
        .iter()
        .find(|l| l.rel.ends_with("/schema/2.1") || l.rel.ends_with("/schema/2.0"))
        .ok_or_else(|| {
            DomainError::Invalid(crate::msg!(
                "error-peer-no-nodeinfo",
                domain = domain_of(&base)
            ))
        })?;
    if domain_of(&ni_link.href) != domain_of(&base) {
        return Err(DomainError::Invalid(crate::msg!(
            "error-peer-nodeinfo-elsewhere"
        )));
    }
    let info: NodeInfo = get_json(state, &ni_link.href).await.map_err(|e| {
        DomainError::Invalid(crate::msg!(
            "error-peer-not-coopdir",
            domain = domain_of(&base),
            reason = e.to_string(),
        ))
    })?;
    if info.software.name != "coopdir" {
        return Err(DomainError::Invalid(crate::msg!(
            "error-peer-software",
            domain = domain_of(&base),
            software = &info.software.name,
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
    if instance_url.as_str().len() > caps::URL {
        return Err(DomainError::Invalid(crate::msg!(
            "error-peer-instance-long",
            max = caps::URL.to_string()
        )));
    }
    if domain_of(&instance_url) != domain_of(&base) {
        return Err(DomainError::Invalid(crate::msg!(
            "error-peer-instance-elsewhere"
        )));
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

/// The two NodeInfo documents `peer add` reads before the actors.
const NODEINFO_FETCHES: u32 = 2;

async fn discover_and_follow(
    state: &AppState,
    base: &Url,
    instance_url: &Url,
) -> DomainResult<PeerReport> {
    let config = state.federation_config().await?;
    let ctx = config.to_request_data();
    let instance = resolve(&ctx, instance_url).await?;
    let ours = crate::directory::instance_actor(&state.db, state).await?;

    // Discover within the budget first; then write the follows in one transaction.
    let coops = featured_ids(&ctx, &featured_url(&instance)?).await?;
    let mut reach = Reach {
        follow: vec![instance.clone()],
        ..Default::default()
    };
    reach_actors(&ctx, NODEINFO_FETCHES, &ours, coops, &mut reach).await?;
    let report = PeerReport {
        domain: domain_of(base),
        coops: reach.coops,
        offerings: reach.offerings,
        later: reach.later.len(),
    };
    let txn = state.db.begin_write().await?;
    for target in &reach.follow {
        send::follow_once(&txn, state, &ours, target)
            .await
            .map_err(super::effects::domain_error)?;
    }
    defer(&txn, &report.domain, &reach.later).await?;
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

/// What one fetch budget reached: actors to follow, and ids left for later.
#[derive(Default)]
struct Reach {
    follow: Vec<actor::Model>,
    coops: usize,
    offerings: usize,
    later: Vec<Url>,
}

/// Fetch the co-ops and offerings `ids` of a peer, and each new co-op's offerings, while
/// the budget of `ctx` lasts; actors this node already follows cost no fetch. What the
/// budget does not reach goes to `reach.later`, for [`drain_backlog`].
async fn reach_actors(
    ctx: &Ctx,
    outside: u32,
    ours: &actor::Model,
    ids: Vec<Url>,
    reach: &mut Reach,
) -> DomainResult<()> {
    use crate::db::entities::following;
    let mut queue: std::collections::VecDeque<Url> = ids.into();
    while let Some(id) = queue.pop_front() {
        if reach.follow.iter().any(|a| a.ap_id == id.as_str())
            || reach.later.contains(&id)
            || following::Entity::find()
                .filter(following::Column::ActorId.eq(ours.id))
                .filter(following::Column::TargetApId.eq(id.as_str()))
                .one(&ctx.db)
                .await?
                .is_some()
        {
            continue;
        }
        // A co-op needs two fetches (the actor and its offerings) before it is followed.
        if !has_budget(ctx, outside) {
            reach.later.push(id);
            reach.later.extend(queue.drain(..));
            break;
        }
        let found = match resolve(ctx, &id).await {
            Ok(a) => a,
            Err(e) if !has_budget(ctx, outside) => {
                tracing::debug!(actor = %id, error = %e, "fetch budget spent; left for later");
                reach.later.push(id);
                reach.later.extend(queue.drain(..));
                break;
            }
            Err(e) => {
                tracing::info!(actor = %id, error = %e, "skipping an actor of a peer");
                continue;
            }
        };
        if found.kind == ActorKind::Offering {
            reach.offerings += 1;
            reach.follow.push(found);
        } else if found.kind == ActorKind::Coop {
            if !has_budget(ctx, outside) {
                reach.later.push(id);
                reach.later.extend(queue.drain(..));
                break;
            }
            match featured_ids(ctx, &featured_url(&found)?).await {
                // The co-op's offerings next, so that they arrive with it.
                Ok(offerings) => offerings
                    .into_iter()
                    .rev()
                    .for_each(|o| queue.push_front(o)),
                Err(e) => {
                    tracing::info!(coop = %id, error = %e, "a peer co-op's offerings are unreadable")
                }
            }
            reach.coops += 1;
            reach.follow.push(found);
        }
    }
    Ok(())
}

/// Ids a peer may have waiting in the backlog.
const MAX_BACKLOG: u64 = 5000;

/// Put `ids` of the peer `domain` in the backlog (each once, up to [`MAX_BACKLOG`]).
async fn defer<C: sea_orm::ConnectionTrait>(db: &C, domain: &str, ids: &[Url]) -> DomainResult<()> {
    use crate::db::entities::peer_backlog;
    use sea_orm::PaginatorTrait;
    if ids.is_empty() {
        return Ok(());
    }
    let waiting = peer_backlog::Entity::find()
        .filter(peer_backlog::Column::PeerDomain.eq(domain))
        .count(db)
        .await?;
    let room = usize::try_from(MAX_BACKLOG.saturating_sub(waiting)).unwrap_or(0);
    for id in ids.iter().take(room) {
        peer_backlog::Entity::insert(peer_backlog::ActiveModel {
            peer_domain: Set(domain.to_string()),
            ap_id: Set(id.to_string()),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(peer_backlog::Column::ApId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Budgets one scheduled run spends on the backlog; the rest waits for the next run.
const BUDGETS_PER_RUN: usize = 10;

/// Scheduled work: fetch and follow what peers' collections listed beyond one request's
/// budget, one fresh budget of [`FETCH_BUDGET`] fetches at a time, at most
/// [`BUDGETS_PER_RUN`] per run. Returns how many actors were followed.
pub async fn drain_backlog(state: &AppState) -> DomainResult<usize> {
    use crate::db::entities::peer_backlog;
    use sea_orm::{QueryOrder, QuerySelect};
    let mut followed = 0;
    for _ in 0..BUDGETS_PER_RUN {
        let rows = peer_backlog::Entity::find()
            .order_by_asc(peer_backlog::Column::Id)
            .limit(u64::from(FETCH_BUDGET) * 5)
            .all(&state.db)
            .await?;
        if rows.is_empty() {
            break;
        }
        let peers: Vec<String> = peer::Entity::find()
            .all(&state.db)
            .await?
            .into_iter()
            .map(|p| p.domain)
            .collect();
        // Ids of a peer since removed are dropped.
        let ids: Vec<Url> = rows
            .iter()
            .filter(|r| peers.contains(&r.peer_domain))
            .filter_map(|r| Url::parse(&r.ap_id).ok())
            .collect();
        let config = state.federation_config().await?;
        let ctx = config.to_request_data();
        let ours = crate::directory::instance_actor(&state.db, state).await?;
        let mut reach = Reach::default();
        reach_actors(&ctx, 0, &ours, ids, &mut reach).await?;
        let txn = state.db.begin_write().await?;
        peer_backlog::Entity::delete_many()
            .filter(peer_backlog::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(&txn)
            .await?;
        for target in &reach.follow {
            send::follow_once(&txn, state, &ours, target)
                .await
                .map_err(super::effects::domain_error)?;
        }
        for id in &reach.later {
            defer(&txn, &domain_of(id), std::slice::from_ref(id)).await?;
        }
        txn.commit().await?;
        state.queue_notify.notify_one();
        followed += reach.follow.len();
        if reach.follow.is_empty() && reach.later.len() >= rows.len() {
            // No progress (every fetch failed for lack of budget): try again next run.
            break;
        }
    }
    Ok(followed)
}

/// When a followed peer actor changes (an `Update` arrived): a co-op may have new
/// offerings, an instance actor new co-ops. Follow what is new, within the fetch budget
/// of the request that brought the `Update` (shared with its other fetches); what is
/// beyond it goes to the backlog for scheduled work.
pub async fn refresh_followed(ctx: &Ctx, changed: &actor::Model) -> DomainResult<()> {
    let state = ctx.app_data();
    let ours = crate::directory::instance_actor(&state.db, state).await?;
    let follows_it = crate::db::entities::following::Entity::find()
        .filter(crate::db::entities::following::Column::ActorId.eq(ours.id))
        .filter(crate::db::entities::following::Column::TargetApId.eq(changed.ap_id.as_str()))
        .one(&state.db)
        .await?
        .is_some();
    let listed = changed.kind == ActorKind::Coop
        || changed.kind == ActorKind::Remote
        || changed.kind == ActorKind::Instance;
    if !follows_it || !listed || !has_budget(ctx, 0) {
        return Ok(());
    }
    // A co-op's featured lists offerings, an instance actor's lists co-ops.
    let ids = featured_ids(ctx, &featured_url(changed)?).await?;
    let mut reach = Reach::default();
    reach_actors(ctx, 0, &ours, ids, &mut reach).await?;
    if reach.follow.is_empty() && reach.later.is_empty() {
        return Ok(());
    }
    let txn = state.db.begin_write().await?;
    for target in &reach.follow {
        send::follow_once(&txn, state, &ours, target)
            .await
            .map_err(super::effects::domain_error)?;
    }
    defer(
        &txn,
        &domain_of(&Url::parse(&changed.ap_id).map_err(anyhow::Error::from)?),
        &reach.later,
    )
    .await?;
    txn.commit().await?;
    state.queue_notify.notify_one();
    Ok(())
}

/// The peers of this node, for the about page and the CLI.
pub async fn list(state: &AppState) -> DomainResult<Vec<peer::Model>> {
    Ok(peer::Entity::find().all(&state.db).await?)
}
