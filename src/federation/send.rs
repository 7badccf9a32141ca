//! Outgoing activities, named by what is sent. Each builder writes the activity and its
//! deliveries inside the caller's transaction, so the change and its federation commit
//! together; the delivery workers send them after the commit.

use super::{
    AppState,
    actors::local_actor_json,
    protocol::{PUBLIC, context},
    queue,
};
use crate::{
    db::entities::{actor, follow},
    http::error::AppError,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use url::Url;

fn new_activity_id(state: &AppState) -> Url {
    state.url(&format!("/activities/{}", uuid::Uuid::new_v4()))
}

fn with_context(mut v: Value) -> Value {
    if let Value::Object(map) = &mut v {
        map.insert("@context".into(), context());
    }
    v
}

/// A public activity of `actor`: to the public, cc its followers, with a fresh id and our
/// context.
fn public_activity(state: &AppState, actor: &actor::Model, kind: &str, object: Value) -> Value {
    with_context(json!({
        "id": new_activity_id(state),
        "type": kind,
        "actor": actor.ap_id,
        "object": object,
        "to": [PUBLIC],
        "cc": [format!("{}/followers", actor.ap_id)],
    }))
}

/// Send a public activity of `actor` to every follower.
async fn to_followers<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    actor: &actor::Model,
    kind: &str,
    object: Value,
    object_id: &str,
) -> Result<(), AppError> {
    let inboxes = follower_inboxes(db, actor.id).await?;
    let activity = public_activity(state, actor, kind, object);
    queue::enqueue(db, state, actor, &activity, Some(object_id), inboxes).await
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

fn follow_object(
    follow: &super::activities::follow::Follow,
    follower: &actor::Model,
    target: &actor::Model,
) -> Value {
    json!({
        "id": follow.id,
        "type": "Follow",
        "actor": follower.ap_id,
        "object": target.ap_id,
    })
}

/// `Accept {actor: target, object: the Follow}` to the follower's inbox.
pub async fn accept_follow<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    target: &actor::Model,
    follower: &actor::Model,
    follow: &super::activities::follow::Follow,
) -> Result<(), AppError> {
    answer_follow(db, state, "Accept", target, follower, follow).await
}

/// `Reject {actor: target, object: the Follow}`: the listing is suspended.
pub async fn reject_follow<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    target: &actor::Model,
    follower: &actor::Model,
    follow: &super::activities::follow::Follow,
) -> Result<(), AppError> {
    answer_follow(db, state, "Reject", target, follower, follow).await
}

async fn answer_follow<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    kind: &str,
    target: &actor::Model,
    follower: &actor::Model,
    follow: &super::activities::follow::Follow,
) -> Result<(), AppError> {
    let id = new_activity_id(state);
    let activity = with_context(json!({
        "id": id,
        "type": kind,
        "actor": target.ap_id,
        "object": follow_object(follow, follower, target),
        "to": [follower.ap_id],
    }));
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
    to_followers(db, state, actor, "Update", object, &actor.ap_id).await
}

/// The `Note` of an announcement.
pub fn note_json(author: &actor::Model, a: &crate::db::entities::announcement::Model) -> Value {
    let tags: Vec<crate::directory::announcements::Tag> =
        serde_json::from_str(&a.tags).unwrap_or_default();
    let tag: Vec<Value> = tags
        .iter()
        .map(|t| {
            if t.mention {
                json!({ "type": "Mention", "href": t.href, "name": format!("@{}", t.name) })
            } else {
                json!({ "type": "Hashtag", "href": t.href, "name": format!("#{}", t.name) })
            }
        })
        .collect();
    let mut note = json!({
        "id": a.ap_id,
        "type": "Note",
        "attributedTo": author.ap_id,
        "content": a.content_html,
        "published": a.published.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "to": [PUBLIC],
        "cc": [format!("{}/followers", author.ap_id)],
        "tag": tag,
        "url": a.ap_id,
        "sensitive": false,
    });
    if let Some(u) = a.updated {
        note["updated"] = json!(u.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    note
}

/// `Create {object: Note}` of an announcement to every follower.
pub async fn create_note<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    author: &actor::Model,
    a: &crate::db::entities::announcement::Model,
) -> Result<(), AppError> {
    let inboxes = follower_inboxes(db, author.id).await?;
    let note = note_json(author, a);
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
    let activity = with_context(json!({
        "id": format!("{}/activity", a.ap_id),
        "type": "Create",
        "actor": author.ap_id,
        "object": note,
        "published": note["published"],
        "to": [PUBLIC],
        "cc": [format!("{}/followers", author.ap_id)],
    }));
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
    let activity = with_context(json!({
        "id": id,
        "type": "Follow",
        "actor": follower.ap_id,
        "object": target.ap_id,
    }));
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
    let activity = with_context(json!({
        "id": new_activity_id(state),
        "type": "Undo",
        "actor": follower.ap_id,
        "object": { "id": row.follow_activity_id, "type": "Follow", "actor": follower.ap_id, "object": target.ap_id },
    }));
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
    let activity = with_context(json!({
        "id": new_activity_id(state),
        "type": "Move",
        "actor": old.ap_id,
        "object": old.ap_id,
        "target": target,
        "to": [format!("{}/followers", old.ap_id)],
    }));
    queue::enqueue(db, state, old, &activity, Some(target), inboxes).await
}

/// `Update {object: Note}` of an edited announcement to every follower.
pub async fn update_note<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    author: &actor::Model,
    a: &crate::db::entities::announcement::Model,
) -> Result<(), AppError> {
    to_followers(db, state, author, "Update", note_json(author, a), &a.ap_id).await
}

/// `Delete {object: Tombstone}` of a withdrawn announcement to every follower.
pub async fn delete_note<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    author: &actor::Model,
    a: &crate::db::entities::announcement::Model,
) -> Result<(), AppError> {
    let tombstone = json!({ "id": a.ap_id, "type": "Tombstone" });
    to_followers(db, state, author, "Delete", tombstone, &a.ap_id).await
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
    let activity = with_context(json!({
        "id": new_activity_id(state),
        "type": "Delete",
        "actor": actor.ap_id,
        "object": actor.ap_id,
        "to": [PUBLIC],
    }));
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
    use crate::html::escape;
    let mention = |href: &str, handle: &str| {
        format!(
            "<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
            escape(href),
            escape(handle)
        )
    };
    let mut content = format!(
        "<p>{} {}</p>",
        mention(&asker.ap_id, asker_handle),
        escape(&answer.intro)
    );
    let mut tag =
        vec![json!({ "type": "Mention", "href": asker.ap_id, "name": format!("@{asker_handle}") })];
    if !answer.suggestions.is_empty() {
        content.push_str("<ul>");
        for s in &answer.suggestions {
            content.push_str(&format!(
                "<li>{} {}: {}</li>",
                mention(&s.actor, &s.handle),
                escape(&s.name),
                escape(&s.why)
            ));
            tag.push(
                json!({ "type": "Mention", "href": s.actor, "name": format!("@{}", s.handle) }),
            );
        }
        content.push_str("</ul>");
    }
    let id = state.url(&format!("/replies/{}", uuid::Uuid::new_v4()));
    let published = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let note = json!({
        "id": id,
        "type": "Note",
        "attributedTo": instance.ap_id,
        "inReplyTo": in_reply_to,
        "content": content,
        "published": published,
        "to": [asker.ap_id],
        "cc": [],
        "tag": tag,
    });
    let activity = with_context(json!({
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": instance.ap_id,
        "object": note,
        "published": published,
        "to": [asker.ap_id],
    }));
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
    to_followers(db, state, group, "Announce", json!(object), object).await
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
    let mut object = vec![json!(target.ap_id)];
    object.extend(status_uris.iter().map(|s| json!(s)));
    let activity = with_context(json!({
        "id": new_activity_id(state),
        "type": "Flag",
        "actor": instance.ap_id,
        "object": object,
        "content": comment,
        "to": [target.ap_id],
    }));
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
    let mut activity = json!({
        "id": id,
        "type": "Offer",
        "actor": origin.ap_id,
        "object": origin.ap_id,
        "target": successor.ap_id,
        "content": note,
        "to": [successor.ap_id],
    });
    if !map.is_empty() {
        activity["coopdir:transferMap"] = json!(
            map.iter()
                .map(|(o, n)| json!({ "old": o, "new": n }))
                .collect::<Vec<_>>()
        );
    }
    let activity = with_context(activity);
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
    let mut activity = json!({
        "id": new_activity_id(state),
        "type": kind,
        "actor": successor.ap_id,
        "object": offer_id,
        "to": [origin.ap_id],
    });
    if let Some(r) = reason.filter(|r| !r.is_empty()) {
        activity["content"] = json!(r);
    }
    let activity = with_context(activity);
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
    let direct = answer.visibility == "direct";
    let mut to = vec![json!(PUBLIC)];
    let mut cc = vec![json!(format!("{}/followers", author.ap_id))];
    if direct {
        to.clear();
        cc.clear();
    }
    let mut tag = vec![];
    if let Some(a) = asker {
        if direct {
            to.push(json!(a.ap_id));
        } else {
            cc.push(json!(a.ap_id));
        }
        tag.push(json!({
            "type": "Mention",
            "href": a.ap_id,
            "name": format!("@{}", crate::directory::replies::handle(a)),
        }));
    }
    json!({
        "id": answer.ap_id,
        "type": "Note",
        "attributedTo": author.ap_id,
        "inReplyTo": answer.in_reply_to,
        "content": answer.content_html,
        "published": answer.published.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "to": to,
        "cc": cc,
        "tag": tag,
        "url": answer.ap_id,
        "sensitive": false,
    })
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
    let note = answer_json(author, answer, asker);
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
    let activity = with_context(json!({
        "id": format!("{}/activity", answer.ap_id),
        "type": "Create",
        "actor": author.ap_id,
        "object": note,
        "published": note["published"],
        "to": note["to"],
        "cc": note["cc"],
    }));
    queue::enqueue(db, state, author, &activity, Some(&answer.ap_id), inboxes).await
}

/// The `replies` collection of an announcement, as Mastodon embeds it in a `Note`: the
/// ids of the replies shown to everyone, in its first page.
pub fn replies_collection(announcement_id: &str, ids: &[String]) -> Value {
    let id = format!("{announcement_id}/replies");
    json!({
        "id": id,
        "type": "OrderedCollection",
        "totalItems": ids.len(),
        "first": {
            "id": format!("{id}?page=1"),
            "type": "OrderedCollectionPage",
            "partOf": id,
            "orderedItems": ids,
        },
    })
}
