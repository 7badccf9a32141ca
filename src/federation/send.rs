//! Outgoing activities, named by what is sent. Each function picks the ids, times and
//! recipients, builds the activity with the pure builders of `outgoing.rs`, and writes it
//! and its deliveries inside the caller's transaction, so the change and its federation
//! commit together; the delivery workers send them after the commit.

use super::{
    AppState,
    actors::local_actor_json,
    outgoing::{self, Answer, Asker, Tag, to_value},
    queue,
};
use crate::{
    db::entities::{actor, follow},
    http::error::AppError,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use url::Url;

fn new_activity_id(state: &AppState) -> Url {
    state.url(&format!("/activities/{}", uuid::Uuid::new_v4()))
}

/// Send a public activity of `actor` to every follower.
async fn to_followers<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    actor: &actor::Model,
    activity: &Value,
    object_id: &str,
) -> Result<(), AppError> {
    let inboxes = follower_inboxes(db, actor.id).await?;
    queue::enqueue(db, state, actor, activity, Some(object_id), inboxes).await
}

/// Send an activity of `from` to the personal inbox of `to`.
async fn to_inbox<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    from: &actor::Model,
    to: &actor::Model,
    activity: &Value,
    object_id: Option<&str>,
) -> Result<(), AppError> {
    let inbox = Url::parse(&to.inbox)
        .map_err(|e| AppError::BadRequest(format!("the inbox of {}: {e}", to.ap_id)))?;
    queue::enqueue(db, state, from, activity, object_id, vec![inbox]).await
}

/// The inboxes of an actor's followers, one per shared inbox.
pub async fn follower_inboxes<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
) -> Result<Vec<Url>, AppError> {
    let follows = follow::Entity::find()
        .filter(follow::Column::ActorId.eq(actor_id))
        .all(db)
        .await?;
    let mut inboxes: Vec<Url> = follows
        .into_iter()
        .filter_map(|f| {
            Url::parse(
                f.follower_shared_inbox
                    .as_deref()
                    .unwrap_or(&f.follower_inbox),
            )
            .ok()
        })
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// `Accept {actor: target, object: the Follow}` to the follower's inbox.
pub async fn accept_follow<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    target: &actor::Model,
    follower: &actor::Model,
    follow: &super::activities::follow::Follow,
) -> Result<(), AppError> {
    answer_follow(db, state, Answer::Accept, target, follower, follow).await
}

/// `Reject {actor: target, object: the Follow}`: the listing is suspended.
pub async fn reject_follow<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    target: &actor::Model,
    follower: &actor::Model,
    follow: &super::activities::follow::Follow,
) -> Result<(), AppError> {
    answer_follow(db, state, Answer::Reject, target, follower, follow).await
}

async fn answer_follow<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    answer: Answer,
    target: &actor::Model,
    follower: &actor::Model,
    follow: &super::activities::follow::Follow,
) -> Result<(), AppError> {
    let id = new_activity_id(state);
    let activity = to_value(&outgoing::build_follow_answer(
        answer,
        id.as_str(),
        &target.ap_id,
        &follower.ap_id,
        follow.id.as_str(),
    ))?;
    to_inbox(
        db,
        state,
        target,
        follower,
        &activity,
        Some(follow.id.as_str()),
    )
    .await
}

/// `Update {object: the whole actor}` to every follower, so their servers refresh the
/// profile fields, name and `movedTo`.
pub async fn update_actor<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    actor: &actor::Model,
) -> Result<(), AppError> {
    state.docs.invalidate();
    // Without followers nobody needs the Update, and the outbox stays readable.
    if follower_inboxes(db, actor.id).await?.is_empty() {
        return Ok(());
    }
    let object = serde_json::to_value(local_actor_json(state, actor).await?)
        .map_err(|e| AppError::Internal(e.into()))?;
    let id = new_activity_id(state);
    let activity = to_value(&outgoing::build_update_actor(
        id.as_str(),
        &actor.ap_id,
        object,
    ))?;
    to_followers(db, state, actor, &activity, &actor.ap_id).await
}

/// The `Note` of an announcement.
pub fn note_json(author: &actor::Model, a: &crate::db::entities::announcement::Model) -> Value {
    // A Note of plain strings always serializes.
    serde_json::to_value(announcement_note(author, a)).unwrap_or_default()
}

/// The typed `Note` of an announcement.
fn announcement_note(
    author: &actor::Model,
    a: &crate::db::entities::announcement::Model,
) -> outgoing::Note {
    let tags: Vec<crate::directory::announcements::Tag> =
        serde_json::from_str(&a.tags).unwrap_or_default();
    let tag = tags
        .iter()
        .map(|t| {
            if t.mention {
                Tag::mention(&t.href, &t.name)
            } else {
                Tag::hashtag(&t.href, &t.name)
            }
        })
        .collect();
    let translations = crate::directory::announcements::translations(a);
    outgoing::build_announcement_note(
        &a.ap_id,
        &author.ap_id,
        &a.content_html,
        tag,
        a.published,
        a.updated,
    )
    .with_languages(
        a.language.as_deref().unwrap_or("en"),
        translations
            .iter()
            .map(|(l, t)| (l.as_str(), t.html.as_str())),
    )
}

/// `Create {object: Note}` of an announcement to every follower.
pub async fn create_note<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    author: &actor::Model,
    a: &crate::db::entities::announcement::Model,
) -> Result<(), AppError> {
    let inboxes = follower_inboxes(db, author.id).await?;
    let note = announcement_note(author, a);
    // Mentioned actors (successors, alternatives) are told too, as Mastodon does.
    let mut inboxes = inboxes;
    for t in serde_json::from_str::<Vec<crate::directory::announcements::Tag>>(&a.tags)
        .unwrap_or_default()
    {
        if t.mention
            && let Some(m) = actor::Entity::find()
                .filter(actor::Column::ApId.eq(t.href.as_str()))
                .one(db)
                .await?
            && !m.local
            && let Ok(inbox) = Url::parse(m.shared_inbox.as_deref().unwrap_or(&m.inbox))
            && !inboxes.contains(&inbox)
        {
            inboxes.push(inbox);
        }
    }
    let activity = to_value(&outgoing::build_create(note))?;
    // Kept for the outbox even without followers.
    queue::enqueue(db, state, author, &activity, Some(&a.ap_id), inboxes).await
}

/// `Follow {actor: ours, object: target}` to the target's inbox, remembered as pending
/// until the target's `Accept` arrives.
pub async fn follow<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    follower: &actor::Model,
    target: &actor::Model,
) -> Result<(), AppError> {
    use crate::db::entities::following;
    use sea_orm::{Set, sea_query::OnConflict};
    let id = new_activity_id(state);
    let activity = to_value(&outgoing::build_follow(
        id.as_str(),
        &follower.ap_id,
        &target.ap_id,
    ))?;
    following::Entity::insert(following::ActiveModel {
        actor_id: Set(follower.id),
        target_ap_id: Set(target.ap_id.clone()),
        follow_activity_id: Set(id.to_string()),
        accepted: Set(false),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([following::Column::ActorId, following::Column::TargetApId])
            .update_columns([
                following::Column::FollowActivityId,
                following::Column::Accepted,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    to_inbox(db, state, follower, target, &activity, Some(&target.ap_id)).await
}

/// `Undo {object: our Follow}` to the target, and forget the follow.
pub async fn unfollow<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    follower: &actor::Model,
    target: &actor::Model,
) -> Result<(), AppError> {
    use crate::db::entities::following;
    let Some(row) = following::Entity::find()
        .filter(following::Column::ActorId.eq(follower.id))
        .filter(following::Column::TargetApId.eq(target.ap_id.as_str()))
        .one(db)
        .await?
    else {
        return Err(AppError::NotFound(format!(
            "{} does not follow {}",
            follower.ap_id, target.ap_id
        )));
    };
    let activity = to_value(&outgoing::build_undo_follow(
        new_activity_id(state).as_str(),
        &follower.ap_id,
        &row.follow_activity_id,
        &target.ap_id,
    ))?;
    following::Entity::delete_by_id(row.id).exec(db).await?;
    to_inbox(
        db,
        state,
        follower,
        target,
        &activity,
        Some(&row.follow_activity_id),
    )
    .await
}

/// `Move {actor: old, object: old, target: new}` to every follower of `old`: Mastodon then
/// moves each follow to `new` by itself.
pub async fn move_actor<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    old: &actor::Model,
    target: &str,
) -> Result<(), AppError> {
    state.docs.invalidate();
    let inboxes = follower_inboxes(db, old.id).await?;
    let activity = to_value(&outgoing::build_move(
        new_activity_id(state).as_str(),
        &old.ap_id,
        target,
    ))?;
    queue::enqueue(db, state, old, &activity, Some(target), inboxes).await
}

/// `Update {object: Note}` of an edited announcement to every follower.
pub async fn update_note<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    author: &actor::Model,
    a: &crate::db::entities::announcement::Model,
) -> Result<(), AppError> {
    let activity = to_value(&outgoing::build_update_note(
        new_activity_id(state).as_str(),
        &author.ap_id,
        announcement_note(author, a),
    ))?;
    to_followers(db, state, author, &activity, &a.ap_id).await
}

/// `Delete {object: Tombstone}` of a withdrawn announcement to every follower.
pub async fn delete_note<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    author: &actor::Model,
    a: &crate::db::entities::announcement::Model,
) -> Result<(), AppError> {
    let activity = to_value(&outgoing::build_delete_note(
        new_activity_id(state).as_str(),
        &author.ap_id,
        &a.ap_id,
    ))?;
    to_followers(db, state, author, &activity, &a.ap_id).await
}

/// [`follow`], unless a follow of `target` by `follower` exists already.
pub async fn follow_once<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    follower: &actor::Model,
    target: &actor::Model,
) -> Result<(), AppError> {
    use crate::db::entities::following;
    let exists = following::Entity::find()
        .filter(following::Column::ActorId.eq(follower.id))
        .filter(following::Column::TargetApId.eq(target.ap_id.as_str()))
        .one(db)
        .await?
        .is_some();
    if exists {
        Ok(())
    } else {
        follow(db, state, follower, target).await
    }
}

/// `Delete {object: the actor}` to every follower: the actor is gone.
pub async fn delete_actor<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    actor: &actor::Model,
) -> Result<(), AppError> {
    state.docs.invalidate();
    let inboxes = follower_inboxes(db, actor.id).await?;
    let activity = to_value(&outgoing::build_delete_actor(
        new_activity_id(state).as_str(),
        &actor.ap_id,
    ))?;
    queue::enqueue(db, state, actor, &activity, Some(&actor.ap_id), inboxes).await
}

/// A reply `Note` from the directory actor to a member who asked it something, naming
/// the suggestions as mentions so the member can follow one with a click.
pub async fn reply_note<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    instance: &actor::Model,
    asker: &actor::Model,
    asker_handle: &str,
    in_reply_to: &Url,
    answer: &crate::directory::ask::Answer,
) -> Result<(), AppError> {
    let id = state.url(&format!("/replies/{}", uuid::Uuid::new_v4()));
    let suggestions: Vec<outgoing::Suggestion<'_>> = answer
        .suggestions
        .iter()
        .map(|s| outgoing::Suggestion {
            actor: &s.actor,
            handle: &s.handle,
            name: &s.name,
            why: &s.why,
        })
        .collect();
    let note = outgoing::build_reply_note(
        id.as_str(),
        &instance.ap_id,
        Asker {
            ap_id: &asker.ap_id,
            handle: asker_handle,
        },
        in_reply_to.as_str(),
        &answer.intro,
        &suggestions,
        chrono::Utc::now(),
    );
    let activity = to_value(&outgoing::build_create_reply(note))?;
    to_inbox(
        db,
        state,
        instance,
        asker,
        &activity,
        Some(in_reply_to.as_str()),
    )
    .await
}

/// `Announce {actor: group, object: note}` to the group's followers: a boost in Mastodon,
/// the FEP-1b12 group relay elsewhere.
pub async fn announce<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    group: &actor::Model,
    object: &str,
) -> Result<(), AppError> {
    let activity = to_value(&outgoing::build_announce(
        new_activity_id(state).as_str(),
        &group.ap_id,
        object,
    ))?;
    to_followers(db, state, group, &activity, object).await
}

/// `Flag {actor: our instance actor, object: [target, reported posts…], content}` to the
/// target's inbox: a report about a remote actor forwarded to its home server, in the
/// shape Mastodon sends and reads (app/serializers/activitypub/flag_serializer.rb).
pub async fn flag<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    instance: &actor::Model,
    target: &actor::Model,
    status_uris: &[String],
    comment: &str,
) -> Result<(), AppError> {
    let activity = to_value(&outgoing::build_flag(
        new_activity_id(state).as_str(),
        &instance.ap_id,
        &target.ap_id,
        status_uris,
        comment,
    ))?;
    to_inbox(db, state, instance, target, &activity, Some(&target.ap_id)).await
}

/// `Offer {actor: origin, object: origin, target: successor, content: note}` to the
/// successor's inbox: the proposal of a transfer to another coopdir node, answered by
/// `Accept` or `Reject`. A co-op's hand-over names each offering's successor in
/// `coopdir:transferMap` (`[{old, new}]`). Returns the Offer's id.
pub async fn offer<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    origin: &actor::Model,
    successor: &actor::Model,
    note: &str,
    map: &[(String, String)],
) -> Result<String, AppError> {
    let id = new_activity_id(state);
    let activity = to_value(&outgoing::build_offer(
        id.as_str(),
        &origin.ap_id,
        &successor.ap_id,
        note,
        map,
    ))?;
    to_inbox(
        db,
        state,
        origin,
        successor,
        &activity,
        Some(&successor.ap_id),
    )
    .await?;
    Ok(id.to_string())
}

/// `Accept` or `Reject {actor: successor, object: the Offer's id}` to the origin's inbox;
/// a `Reject` carries the reason as `content`.
pub async fn answer_offer<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    kind: &str,
    successor: &actor::Model,
    origin: &actor::Model,
    offer_id: &str,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let answer = match kind {
        "Accept" => Answer::Accept,
        "Reject" => Answer::Reject,
        other => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "an Offer is answered by Accept or Reject, not {other}"
            )));
        }
    };
    let activity = to_value(&outgoing::build_offer_answer(
        answer,
        new_activity_id(state).as_str(),
        &successor.ap_id,
        &origin.ap_id,
        offer_id,
        reason,
    ))?;
    to_inbox(db, state, successor, origin, &activity, Some(offer_id)).await
}

/// The `Note` of a co-op's answer under one of its announcements: public, `inReplyTo` the
/// question (or the announcement), mentioning the asker with a `Mention` tag and in `cc`;
/// the answer to a private question is direct: `to` the asker alone.
pub fn answer_json(
    author: &actor::Model,
    answer: &crate::db::entities::reply::Model,
    asker: Option<&actor::Model>,
) -> Value {
    // A Note of plain strings always serializes.
    serde_json::to_value(answer_note_of(author, answer, asker)).unwrap_or_default()
}

/// The typed `Note` of a co-op's answer.
fn answer_note_of(
    author: &actor::Model,
    answer: &crate::db::entities::reply::Model,
    asker: Option<&actor::Model>,
) -> outgoing::Note {
    let handle = asker.map(crate::directory::replies::handle);
    outgoing::build_answer_note(
        &answer.ap_id,
        &author.ap_id,
        &answer.in_reply_to,
        &answer.content_html,
        answer.published,
        answer.visibility == "direct",
        asker.zip(handle.as_deref()).map(|(a, handle)| Asker {
            ap_id: &a.ap_id,
            handle,
        }),
    )
}

/// `Create {object: Note}` of a co-op's answer: to the asker's inbox and the author's
/// followers, in the caller's transaction.
pub async fn answer_note<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    author: &actor::Model,
    answer: &crate::db::entities::reply::Model,
    asker: Option<&actor::Model>,
) -> Result<(), AppError> {
    let note = answer_note_of(author, answer, asker);
    // A direct answer goes to the asker alone.
    let mut inboxes = if answer.visibility == "direct" {
        vec![]
    } else {
        follower_inboxes(db, author.id).await?
    };
    if let Some(a) = asker.filter(|a| !a.local)
        && let Ok(inbox) = Url::parse(&a.inbox)
        && !inboxes.contains(&inbox)
    {
        inboxes.push(inbox);
    }
    let activity = to_value(&outgoing::build_create(note))?;
    queue::enqueue(db, state, author, &activity, Some(&answer.ap_id), inboxes).await
}

/// The `replies` collection of an announcement, as Mastodon embeds it in a `Note`: the
/// ids of the replies shown to everyone, in its first page.
pub fn replies_collection(announcement_id: &str, ids: &[String]) -> Value {
    // A collection of plain strings always serializes.
    serde_json::to_value(outgoing::build_replies_collection(announcement_id, ids))
        .unwrap_or_default()
}
