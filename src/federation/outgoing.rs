//! The shapes of the activities this node sends, as typed structs, and the pure functions
//! that build them from plain values (ids, URLs, texts, times). Nothing here reads the
//! database or the clock: `send.rs` picks the ids, the times and the recipients, builds
//! the activity here and queues it. The fields are declared in the order they are written
//! on the wire; docs/federation.md describes each shape.

use super::protocol::{PUBLIC, context};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;

/// The `type` of an activity we send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActivityType {
    Accept,
    Announce,
    Create,
    Delete,
    Flag,
    Follow,
    Move,
    Offer,
    Reject,
    Undo,
    Update,
}

/// The `type` of an object inside an activity we send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ObjectType {
    Follow,
    Hashtag,
    Mention,
    Note,
    OrderedCollection,
    OrderedCollectionPage,
    Tombstone,
}

/// A time as it is written in `published` and `updated`: RFC 3339 to the second, in UTC.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The followers collection of an actor, as `cc` names it.
pub fn followers_of(actor: &str) -> String {
    format!("{actor}/followers")
}

/// `{id, type: Follow, actor, object}`: a Follow as an object of an Accept, Reject or Undo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowObject {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ObjectType,
    pub actor: String,
    pub object: String,
}

pub fn follow_object(id: &str, follower: &str, target: &str) -> FollowObject {
    FollowObject {
        id: id.into(),
        kind: ObjectType::Follow,
        actor: follower.into(),
        object: target.into(),
    }
}

/// `Follow {actor: follower, object: target}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Follow {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: String,
    #[serde(rename = "@context")]
    pub context: Value,
}

pub fn build_follow(id: &str, follower: &str, target: &str) -> Follow {
    Follow {
        id: id.into(),
        kind: ActivityType::Follow,
        actor: follower.into(),
        object: target.into(),
        context: context(),
    }
}

/// Whether a Follow or an Offer is accepted or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Reject,
}

impl Answer {
    fn kind(self) -> ActivityType {
        match self {
            Answer::Accept => ActivityType::Accept,
            Answer::Reject => ActivityType::Reject,
        }
    }
}

/// `Accept` or `Reject {actor: target, object: the Follow}`, to the follower.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowAnswer {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: FollowObject,
    pub to: Vec<String>,
    #[serde(rename = "@context")]
    pub context: Value,
}

/// The answer of `target` to the Follow `follow_id` of `follower`.
pub fn build_follow_answer(
    answer: Answer,
    id: &str,
    target: &str,
    follower: &str,
    follow_id: &str,
) -> FollowAnswer {
    FollowAnswer {
        id: id.into(),
        kind: answer.kind(),
        actor: target.into(),
        object: follow_object(follow_id, follower, target),
        to: vec![follower.into()],
        context: context(),
    }
}

/// `Undo {object: our Follow}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Undo {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: FollowObject,
    #[serde(rename = "@context")]
    pub context: Value,
}

/// `follower` takes back its Follow `follow_id` of `target`.
pub fn build_undo_follow(id: &str, follower: &str, follow_id: &str, target: &str) -> Undo {
    Undo {
        id: id.into(),
        kind: ActivityType::Undo,
        actor: follower.into(),
        object: follow_object(follow_id, follower, target),
        context: context(),
    }
}

/// A public activity of an actor: to the public, cc its followers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Public<O> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: O,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    #[serde(rename = "@context")]
    pub context: Value,
}

fn public<O>(kind: ActivityType, id: &str, actor: &str, object: O) -> Public<O> {
    Public {
        id: id.into(),
        kind,
        actor: actor.into(),
        object,
        to: vec![PUBLIC.into()],
        cc: vec![followers_of(actor)],
        context: context(),
    }
}

/// `Update {object: the whole actor document}` to the actor's followers.
pub fn build_update_actor(id: &str, actor: &str, document: Value) -> Public<Value> {
    public(ActivityType::Update, id, actor, document)
}

/// `Update {object: Note}` of an edited announcement.
pub fn build_update_note(id: &str, author: &str, note: Note) -> Public<Note> {
    public(ActivityType::Update, id, author, note)
}

/// `{id, type: Tombstone}`: what is left of a withdrawn announcement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tombstone {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ObjectType,
}

/// `Delete {object: Tombstone}` of a withdrawn announcement.
pub fn build_delete_note(id: &str, author: &str, note_id: &str) -> Public<Tombstone> {
    let tombstone = Tombstone {
        id: note_id.into(),
        kind: ObjectType::Tombstone,
    };
    public(ActivityType::Delete, id, author, tombstone)
}

/// `Announce {actor: group, object: the note's id}`: a boost, or a FEP-1b12 group relay.
pub fn build_announce(id: &str, group: &str, object: &str) -> Public<String> {
    public(ActivityType::Announce, id, group, object.to_string())
}

/// A `Mention` or `Hashtag` in a Note's `tag`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    #[serde(rename = "type")]
    pub kind: ObjectType,
    pub href: String,
    pub name: String,
}

impl Tag {
    /// A mention of `@handle`.
    pub fn mention(href: &str, handle: &str) -> Self {
        Tag {
            kind: ObjectType::Mention,
            href: href.into(),
            name: format!("@{handle}"),
        }
    }

    /// A hashtag `#name`.
    pub fn hashtag(href: &str, name: &str) -> Self {
        Tag {
            kind: ObjectType::Hashtag,
            href: href.into(),
            name: format!("#{name}"),
        }
    }
}

/// A `Note`: an announcement, a co-op's answer under one, or the directory actor's reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ObjectType,
    pub attributed_to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    pub content: String,
    /// The content by language tag, when the Note is written in several languages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_map: Option<std::collections::BTreeMap<String, String>>,
    pub published: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub tag: Vec<Tag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}

/// The `Note` of an announcement: public, cc the author's followers, its own `url`.
pub fn build_announcement_note(
    id: &str,
    author: &str,
    content_html: &str,
    tag: Vec<Tag>,
    published: DateTime<Utc>,
    updated: Option<DateTime<Utc>>,
) -> Note {
    Note {
        id: id.into(),
        kind: ObjectType::Note,
        attributed_to: author.into(),
        in_reply_to: None,
        content: content_html.into(),
        content_map: None,
        published: timestamp(published),
        to: vec![PUBLIC.into()],
        cc: vec![followers_of(author)],
        tag,
        url: Some(id.into()),
        sensitive: Some(false),
        updated: updated.map(timestamp),
    }
}

impl Note {
    /// The Note with its content in several languages (`contentMap`): `content` is the
    /// text in `language`, `translations` the others as `(tag, html)`. Without
    /// translations the Note stays as it was, with no `contentMap`.
    pub fn with_languages<'a>(
        mut self,
        language: &str,
        translations: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Note {
        let mut map: std::collections::BTreeMap<String, String> = translations
            .into_iter()
            .map(|(l, h)| (l.to_string(), h.to_string()))
            .collect();
        if !map.is_empty() {
            map.insert(language.to_string(), self.content.clone());
            self.content_map = Some(map);
        }
        self
    }
}

/// Who asked a co-op the question it answers: the asker's id and handle.
#[derive(Debug, Clone, Copy)]
pub struct Asker<'a> {
    pub ap_id: &'a str,
    pub handle: &'a str,
}

/// The `Note` of a co-op's answer under one of its announcements: public, `inReplyTo` the
/// question (or the announcement), mentioning the asker with a `Mention` tag and in `cc`;
/// a direct answer goes `to` the asker alone.
pub fn build_answer_note(
    id: &str,
    author: &str,
    in_reply_to: &str,
    content_html: &str,
    published: DateTime<Utc>,
    direct: bool,
    asker: Option<Asker<'_>>,
) -> Note {
    let (mut to, mut cc) = if direct {
        (vec![], vec![])
    } else {
        (vec![PUBLIC.to_string()], vec![followers_of(author)])
    };
    let mut tag = vec![];
    if let Some(a) = asker {
        if direct {
            to.push(a.ap_id.into());
        } else {
            cc.push(a.ap_id.into());
        }
        tag.push(Tag::mention(a.ap_id, a.handle));
    }
    Note {
        id: id.into(),
        kind: ObjectType::Note,
        attributed_to: author.into(),
        in_reply_to: Some(in_reply_to.into()),
        content: content_html.into(),
        content_map: None,
        published: timestamp(published),
        to,
        cc,
        tag,
        url: Some(id.into()),
        sensitive: Some(false),
        updated: None,
    }
}

/// One suggestion in the directory actor's reply.
#[derive(Debug, Clone, Copy)]
pub struct Suggestion<'a> {
    pub actor: &'a str,
    pub handle: &'a str,
    pub name: &'a str,
    pub why: &'a str,
}

fn mention_html(href: &str, handle: &str) -> String {
    use crate::html::escape;
    format!(
        "<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
        escape(href),
        escape(handle)
    )
}

/// The directory actor's reply `Note` to a member who asked it something: the intro, then
/// the suggestions as a list, each named as a mention so the member can follow it with a
/// click. Direct: `to` the asker, no `cc`.
pub fn build_reply_note(
    id: &str,
    instance: &str,
    asker: Asker<'_>,
    in_reply_to: &str,
    intro: &str,
    suggestions: &[Suggestion<'_>],
    published: DateTime<Utc>,
) -> Note {
    use crate::html::escape;
    let mut content = format!(
        "<p>{} {}</p>",
        mention_html(asker.ap_id, asker.handle),
        escape(intro)
    );
    let mut tag = vec![Tag::mention(asker.ap_id, asker.handle)];
    if !suggestions.is_empty() {
        content.push_str("<ul>");
        for s in suggestions {
            content.push_str(&format!(
                "<li>{} {}: {}</li>",
                mention_html(s.actor, s.handle),
                escape(s.name),
                escape(s.why)
            ));
            tag.push(Tag::mention(s.actor, s.handle));
        }
        content.push_str("</ul>");
    }
    Note {
        id: id.into(),
        kind: ObjectType::Note,
        attributed_to: instance.into(),
        in_reply_to: Some(in_reply_to.into()),
        content,
        content_map: None,
        published: timestamp(published),
        to: vec![asker.ap_id.into()],
        cc: vec![],
        tag,
        url: None,
        sensitive: None,
        updated: None,
    }
}

/// `Create {object: Note}`, with the note's id + `/activity` as its id, its author as
/// actor, and its `published` and addressing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Create {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: Note,
    pub published: String,
    pub to: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<Vec<String>>,
    #[serde(rename = "@context")]
    pub context: Value,
}

/// The `Create` of a note, addressed as the note is.
pub fn build_create(note: Note) -> Create {
    let cc = Some(note.cc.clone());
    create(note, cc)
}

/// The `Create` of the directory actor's reply: `to` the asker, without `cc`.
pub fn build_create_reply(note: Note) -> Create {
    create(note, None)
}

fn create(note: Note, cc: Option<Vec<String>>) -> Create {
    Create {
        id: format!("{}/activity", note.id),
        kind: ActivityType::Create,
        actor: note.attributed_to.clone(),
        published: note.published.clone(),
        to: note.to.clone(),
        cc,
        object: note,
        context: context(),
    }
}

/// `Move {actor: old, object: old, target: new}` to the followers of `old`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: String,
    pub target: String,
    pub to: Vec<String>,
    #[serde(rename = "@context")]
    pub context: Value,
}

pub fn build_move(id: &str, old: &str, target: &str) -> Move {
    Move {
        id: id.into(),
        kind: ActivityType::Move,
        actor: old.into(),
        object: old.into(),
        target: target.into(),
        to: vec![followers_of(old)],
        context: context(),
    }
}

/// `Delete {object: the actor}`: the actor is gone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeleteActor {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: String,
    pub to: Vec<String>,
    #[serde(rename = "@context")]
    pub context: Value,
}

pub fn build_delete_actor(id: &str, actor: &str) -> DeleteActor {
    DeleteActor {
        id: id.into(),
        kind: ActivityType::Delete,
        actor: actor.into(),
        object: actor.into(),
        to: vec![PUBLIC.into()],
        context: context(),
    }
}

/// `Flag {actor: our instance actor, object: [target, reported posts…], content}` to the
/// target's server, in the shape Mastodon sends and reads
/// (app/serializers/activitypub/flag_serializer.rb).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: Vec<String>,
    pub content: String,
    pub to: Vec<String>,
    #[serde(rename = "@context")]
    pub context: Value,
}

pub fn build_flag(
    id: &str,
    instance: &str,
    target: &str,
    status_uris: &[String],
    comment: &str,
) -> Flag {
    let mut object = vec![target.to_string()];
    object.extend(status_uris.iter().cloned());
    Flag {
        id: id.into(),
        kind: ActivityType::Flag,
        actor: instance.into(),
        object,
        content: comment.into(),
        to: vec![target.into()],
        context: context(),
    }
}

/// One pair of a hand-over: an offering of the origin and its successor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransferPair {
    pub old: String,
    pub new: String,
}

/// `Offer {actor: origin, object: origin, target: successor, content: note}`: the proposal
/// of a transfer to another coopdir node, with the hand-over's pairs in
/// `coopdir:transferMap` when there are any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: String,
    pub target: String,
    pub content: String,
    pub to: Vec<String>,
    #[serde(
        rename = "coopdir:transferMap",
        skip_serializing_if = "Option::is_none"
    )]
    pub map: Option<Vec<TransferPair>>,
    #[serde(rename = "@context")]
    pub context: Value,
}

pub fn build_offer(
    id: &str,
    origin: &str,
    successor: &str,
    note: &str,
    map: &[(String, String)],
) -> Offer {
    let map = (!map.is_empty()).then(|| {
        map.iter()
            .map(|(old, new)| TransferPair {
                old: old.clone(),
                new: new.clone(),
            })
            .collect()
    });
    Offer {
        id: id.into(),
        kind: ActivityType::Offer,
        actor: origin.into(),
        object: origin.into(),
        target: successor.into(),
        content: note.into(),
        to: vec![successor.into()],
        map,
        context: context(),
    }
}

/// `Accept` or `Reject {actor: successor, object: the Offer's id}` to the origin; a
/// `Reject` may carry its reason as `content`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferAnswer {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    pub object: String,
    pub to: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(rename = "@context")]
    pub context: Value,
}

pub fn build_offer_answer(
    answer: Answer,
    id: &str,
    successor: &str,
    origin: &str,
    offer_id: &str,
    reason: Option<&str>,
) -> OfferAnswer {
    OfferAnswer {
        id: id.into(),
        kind: answer.kind(),
        actor: successor.into(),
        object: offer_id.into(),
        to: vec![origin.into()],
        content: reason.filter(|r| !r.is_empty()).map(str::to_string),
        context: context(),
    }
}

/// The first page of a `replies` collection.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionPage {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ObjectType,
    pub part_of: String,
    pub ordered_items: Vec<String>,
}

/// The `replies` collection of an announcement, as Mastodon embeds it in a `Note`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ObjectType,
    pub total_items: usize,
    pub first: CollectionPage,
}

/// The ids of the replies shown to everyone, in the collection's first page.
pub fn build_replies_collection(announcement_id: &str, ids: &[String]) -> Collection {
    let id = format!("{announcement_id}/replies");
    Collection {
        first: CollectionPage {
            id: format!("{id}?page=1"),
            kind: ObjectType::OrderedCollectionPage,
            part_of: id.clone(),
            ordered_items: ids.to_vec(),
        },
        id,
        kind: ObjectType::OrderedCollection,
        total_items: ids.len(),
    }
}

/// An activity as the queue takes it: a JSON value with the fields in their wire order.
pub fn to_value<T: Serialize>(activity: &T) -> Result<Value, crate::http::error::AppError> {
    serde_json::to_value(activity).map_err(|e| crate::http::error::AppError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    //! One snapshot per outgoing shape, built from fixed inputs (no database, no clock);
    //! the snapshots under `snapshots/` are the bytes' shape as sent, fields in wire order.
    //! Each activity is also read back by the inbox's enum, so what we send we can read.
    use super::*;
    use crate::federation::activities::Incoming;
    use chrono::TimeZone;

    const NODE: &str = "https://coopdir.example";
    const MEETCOOP: &str = "https://coopdir.example/actors/meetcoop";
    const BBB: &str = "https://coopdir.example/actors/meetcoop_bbb";
    const ALICE: &str = "https://mastodon.example/users/alice";
    const RHEIN: &str = "https://rhein.example/actors/rheinmeet";
    const NOTE: &str = "https://coopdir.example/announcements/7f3c";

    fn id(n: u32) -> String {
        format!("{NODE}/activities/00000000-0000-4000-8000-{n:012}")
    }

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, day, 9, 30, 0)
            .single()
            .unwrap()
    }

    /// The inbox reads `activity` as the variant `want`.
    fn reads_as<T: Serialize>(activity: &T, want: &str) {
        let value = serde_json::to_value(activity).unwrap();
        let read = Incoming::parse(value.clone()).unwrap();
        let got = serde_json::to_value(&read).unwrap();
        assert_eq!(got["type"], want, "{value}");
    }

    fn announcement() -> Note {
        build_announcement_note(
            NOTE,
            BBB,
            "<p>Rooms for 300 people from June. #video</p>",
            vec![
                Tag::hashtag("https://coopdir.example/tags/video", "video"),
                Tag::mention(RHEIN, "rheinmeet@rhein.example"),
            ],
            t(4),
            Some(t(5)),
        )
    }

    #[test]
    fn follow() {
        let a = build_follow(&id(1), MEETCOOP, RHEIN);
        reads_as(&a, "Follow");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn accept_follow() {
        let a = build_follow_answer(
            Answer::Accept,
            &id(2),
            BBB,
            ALICE,
            &format!("{ALICE}#follows/1"),
        );
        reads_as(&a, "Accept");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn reject_follow() {
        let a = build_follow_answer(
            Answer::Reject,
            &id(3),
            BBB,
            ALICE,
            &format!("{ALICE}#follows/1"),
        );
        reads_as(&a, "Reject");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn undo_follow() {
        let a = build_undo_follow(&id(4), MEETCOOP, &id(1), RHEIN);
        reads_as(&a, "Undo");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn update_actor() {
        let document = serde_json::json!({
            "id": BBB,
            "type": "Service",
            "preferredUsername": "meetcoop_bbb",
            "name": "meet.coop BigBlueButton",
        });
        let a = build_update_actor(&id(5), BBB, document);
        reads_as(&a, "Update");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn create_note() {
        let a = build_create(announcement());
        reads_as(&a, "Create");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn create_note_in_two_languages() {
        let note = announcement().with_languages(
            "en",
            [("fr", "<p>Salles pour 300 personnes dès juin. #video</p>")],
        );
        let a = build_create(note);
        reads_as(&a, "Create");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn update_note() {
        let a = build_update_note(&id(6), BBB, announcement());
        reads_as(&a, "Update");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn delete_note() {
        let a = build_delete_note(&id(7), BBB, NOTE);
        reads_as(&a, "Delete");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn announce() {
        let a = build_announce(&id(8), MEETCOOP, &format!("{ALICE}/statuses/1"));
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn create_answer_public() {
        let asker = Asker {
            ap_id: ALICE,
            handle: "alice@mastodon.example",
        };
        let note = build_answer_note(
            "https://coopdir.example/replies/5e1a",
            BBB,
            &format!("{ALICE}/statuses/2"),
            "<p>Yes, from June.</p>",
            t(6),
            false,
            Some(asker),
        );
        let a = build_create(note);
        reads_as(&a, "Create");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn create_answer_direct() {
        let asker = Asker {
            ap_id: ALICE,
            handle: "alice@mastodon.example",
        };
        let note = build_answer_note(
            "https://coopdir.example/replies/5e1b",
            BBB,
            &format!("{ALICE}/statuses/3"),
            "<p>We wrote to you.</p>",
            t(6),
            true,
            Some(asker),
        );
        let a = build_create(note);
        reads_as(&a, "Create");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn create_reply_of_the_directory() {
        let note = build_reply_note(
            "https://coopdir.example/replies/9d2c",
            &format!("{NODE}/actor"),
            Asker {
                ap_id: ALICE,
                handle: "alice@mastodon.example",
            },
            &format!("{ALICE}/statuses/4"),
            "Two co-ops host video calls <for you>:",
            &[Suggestion {
                actor: BBB,
                handle: "meetcoop_bbb@coopdir.example",
                name: "meet.coop BigBlueButton",
                why: "video calls & rooms",
            }],
            t(7),
        );
        let a = build_create_reply(note);
        reads_as(&a, "Create");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn move_actor() {
        let a = build_move(&id(9), BBB, "https://rhein.example/actors/rheinmeet_bbb");
        reads_as(&a, "Move");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn delete_actor() {
        let a = build_delete_actor(&id(10), BBB);
        reads_as(&a, "Delete");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn flag() {
        let a = build_flag(
            &id(11),
            &format!("{NODE}/actor"),
            ALICE,
            &[format!("{ALICE}/statuses/5")],
            "Spam in replies to our announcements",
        );
        reads_as(&a, "Flag");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn offer() {
        let map = [(
            BBB.to_string(),
            "https://rhein.example/actors/rheinmeet_bbb".to_string(),
        )];
        let a = build_offer(
            &id(12),
            MEETCOOP,
            RHEIN,
            "Accounts stay readable until June.",
            &map,
        );
        reads_as(&a, "Offer");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn offer_without_a_map() {
        let a = build_offer(
            &id(13),
            BBB,
            "https://rhein.example/actors/rheinmeet_bbb",
            "",
            &[],
        );
        assert!(
            serde_json::to_value(&a)
                .unwrap()
                .get("coopdir:transferMap")
                .is_none()
        );
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn accept_offer() {
        let a = build_offer_answer(Answer::Accept, &id(14), RHEIN, MEETCOOP, &id(12), Some(""));
        reads_as(&a, "Accept");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn reject_offer() {
        let a = build_offer_answer(
            Answer::Reject,
            &id(15),
            RHEIN,
            MEETCOOP,
            &id(12),
            Some("We host no BigBlueButton."),
        );
        reads_as(&a, "Reject");
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn replies_collection() {
        let a = build_replies_collection(
            NOTE,
            &[
                "https://coopdir.example/replies/5e1a".to_string(),
                format!("{ALICE}/statuses/2"),
            ],
        );
        insta::assert_json_snapshot!(a);
    }
}
