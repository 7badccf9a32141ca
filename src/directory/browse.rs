//! What the public pages read: actors and announcements by their URLs, the offerings a
//! comparison names, the actors a member may follow from here, the counts of the about
//! page, and the alternatives of an offering. Plain reads; nothing here changes a row.

use super::{
    DomainResult,
    alternatives::{self, Assessment, Candidate, OfferingRef, Profile},
    liveness::Liveness,
    records::{Actor, Announcement},
    search::{self, Listing},
    types::{ActorKind, Moderation},
};
use crate::db::entities::{actor, announcement, listing_probe};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QuerySelect,
};
use std::collections::BTreeMap;

/// An actor by its row id.
pub async fn actor_by_id(db: &DatabaseConnection, id: i64) -> DomainResult<Option<Actor>> {
    Ok(actor::Entity::find_by_id(id).one(db).await?)
}

/// An actor (local or remote) by its id URL.
pub async fn actor_by_ap_id(db: &DatabaseConnection, ap_id: &str) -> DomainResult<Option<Actor>> {
    Ok(actor::Entity::find()
        .filter(actor::Column::ApId.eq(ap_id))
        .one(db)
        .await?)
}

/// A remote actor as a list of results links it: where a member reads about it and the
/// liveness its own node published for it (peers' listings: their node's measurement).
#[derive(Debug, Clone)]
pub struct RemoteLink {
    pub ap_id: String,
    /// Its profile page, as the actor document gave it.
    pub url: Option<String>,
    pub domain: String,
    pub published: Option<Liveness>,
}

/// [`RemoteLink`]s of remote actors by their id URLs, in one statement that reads only
/// those columns (the directory page links up to a page of them on every request).
pub async fn remote_links<C: ConnectionTrait>(
    db: &C,
    ap_ids: &[&str],
) -> DomainResult<Vec<RemoteLink>> {
    if ap_ids.is_empty() {
        return Ok(vec![]);
    }
    let probe = listing_probe::Entity::belongs_to(actor::Entity)
        .from(listing_probe::Column::ActorId)
        .to(actor::Column::Id)
        .into();
    let rows: Vec<(String, Option<String>, String, Option<String>)> = actor::Entity::find()
        .select_only()
        .column(actor::Column::ApId)
        .column(actor::Column::Url)
        .column(actor::Column::Domain)
        .column(listing_probe::Column::Published)
        .join_rev(JoinType::LeftJoin, probe)
        .filter(actor::Column::ApId.is_in(ap_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(ap_id, url, domain, published)| RemoteLink {
            ap_id,
            url,
            domain,
            published: published
                .as_deref()
                .and_then(|t| serde_json::from_str::<Liveness>(t).ok()),
        })
        .collect())
}

/// An announcement by its id URL.
pub async fn announcement_by_ap_id(
    db: &DatabaseConnection,
    ap_id: &str,
) -> DomainResult<Option<Announcement>> {
    Ok(announcement::Entity::find()
        .filter(announcement::Column::ApId.eq(ap_id))
        .one(db)
        .await?)
}

/// A listed offering by actor URL, profile URL, handle or row id.
pub async fn listed_offering(
    db: &DatabaseConnection,
    r: &OfferingRef,
) -> DomainResult<Option<Actor>> {
    let select = actor::Entity::find()
        .filter(actor::Column::Kind.eq(ActorKind::Offering))
        .filter(actor::Column::Moderation.eq(Moderation::Approved));
    Ok(match r {
        OfferingRef::Id(id) => select.filter(actor::Column::Id.eq(*id)).one(db).await?,
        OfferingRef::Url(u) => {
            select
                .filter(
                    Condition::any()
                        .add(actor::Column::ApId.eq(u.as_str()))
                        .add(actor::Column::Url.eq(u.as_str())),
                )
                .one(db)
                .await?
        }
        OfferingRef::Handle { username, domain } => {
            select
                .filter(actor::Column::Username.eq(username.as_str()))
                .filter(actor::Column::Domain.eq(domain.as_str()))
                .one(db)
                .await?
        }
    })
}

/// An actor this directory lists that members may follow from here: an approved offering,
/// co-op or group, by its id URL.
pub async fn followable(db: &DatabaseConnection, ap_id: &str) -> DomainResult<Option<Actor>> {
    Ok(actor::Entity::find()
        .filter(actor::Column::ApId.eq(ap_id))
        .filter(actor::Column::Kind.is_in([
            ActorKind::Offering.to_string(),
            ActorKind::Coop.to_string(),
            ActorKind::Group.to_string(),
        ]))
        .filter(actor::Column::Moderation.eq(Moderation::Approved))
        .one(db)
        .await?)
}

/// How many approved actors of a kind are listed, local or remote.
pub async fn listed_count(
    db: &DatabaseConnection,
    kind: ActorKind,
    local: bool,
) -> DomainResult<u64> {
    Ok(actor::Entity::find()
        .filter(actor::Column::Kind.eq(kind.to_string()))
        .filter(actor::Column::Local.eq(local))
        .filter(actor::Column::Moderation.eq(Moderation::Approved))
        .count(db)
        .await?)
}

/// The counts of the about page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub coops: u64,
    pub offerings: u64,
    pub remote_offerings: u64,
}

/// Listed local co-ops, local offerings and remote offerings.
pub async fn counts(db: &DatabaseConnection) -> DomainResult<Counts> {
    Ok(Counts {
        coops: listed_count(db, ActorKind::Coop, true).await?,
        offerings: listed_count(db, ActorKind::Offering, true).await?,
        remote_offerings: listed_count(db, ActorKind::Offering, false).await?,
    })
}

/// Up to `limit` compatible alternatives of an offering with the assessment of each,
/// ranked as `alternatives::rank` ranks them (never by popularity; ties in the fair order
/// of the day).
pub(crate) async fn alternatives_of<C: ConnectionTrait>(
    db: &C,
    caches: &search::Caches,
    target: &Listing,
    limit: usize,
) -> DomainResult<Vec<(Listing, Assessment)>> {
    fn profile(l: &Listing) -> Profile<'_> {
        Profile {
            spec: &l.spec,
            coop_form: l.coop.as_ref().and_then(|c| c.form),
            status: l.status,
        }
    }
    let listings = search::load_listings(db, caches, true).await?;
    let successor = target.actor.moved_to.as_deref();
    let closing = alternatives::closing_coops(db).await?;
    let candidates = listings
        .iter()
        .filter(|l| l.actor.id != target.actor.id)
        .filter(|l| alternatives::not_of_a_going_coop(l, &closing))
        .map(|l| Candidate {
            ap_id: &l.actor.ap_id,
            profile: profile(l),
            successor: successor == Some(l.actor.ap_id.as_str()),
        });
    let by_id: BTreeMap<&str, &Listing> = listings
        .iter()
        .map(|l| (l.actor.ap_id.as_str(), l))
        .collect();
    Ok(
        alternatives::rank(&profile(target), candidates, search::today())
            .into_iter()
            .take(limit)
            .filter_map(|(c, a)| Some(((*by_id.get(c.ap_id)?).clone(), a)))
            .collect(),
    )
}

/// A listing of this directory that members may report: an approved offering or co-op,
/// by its id URL.
pub async fn reportable(db: &DatabaseConnection, ap_id: &str) -> DomainResult<Option<Actor>> {
    Ok(actor::Entity::find()
        .filter(actor::Column::ApId.eq(ap_id))
        .filter(
            actor::Column::Kind
                .is_in([ActorKind::Offering.to_string(), ActorKind::Coop.to_string()]),
        )
        .filter(actor::Column::Moderation.eq(Moderation::Approved))
        .one(db)
        .await?)
}

/// Open reports about a listing that were filed on this node (without a reporter).
pub async fn open_reports_filed_here(
    db: &DatabaseConnection,
    target_ap_id: &str,
) -> DomainResult<u64> {
    use crate::db::entities::report;
    Ok(report::Entity::find()
        .filter(report::Column::TargetApId.eq(target_ap_id))
        .filter(report::Column::State.eq("open"))
        .filter(report::Column::ReporterApId.is_null())
        .count(db)
        .await?)
}

/// A transfer proposal by its number.
pub async fn proposal_by_id(
    db: &DatabaseConnection,
    id: i64,
) -> DomainResult<Option<super::records::TransferProposal>> {
    use crate::db::entities::transfer_proposal;
    Ok(transfer_proposal::Entity::find_by_id(id).one(db).await?)
}
