//! Frozen payloads. Every `*.json` under `tests/fixtures/` is a payload in the shape another
//! server sends (one folder per project; `tests/fixtures/SOURCES.md` says where each shape
//! comes from). For each file this reads it as the inbox does: the envelope first (id, type,
//! actor, and the rule that the id is on the actor's host), then the wire type the inbox
//! uses for its `type` (the enum `activities::Incoming`). It runs that type's `verify` against the actor the payload names
//! (its actor fixture when there is one) and round-trips it: read, written and read again
//! gives an equal value. A file that stops parsing fails the test with its path and the
//! reason.

use super::{
    activities::{
        ACTOR_TYPES, Incoming, accept::Accept, create::Create, delete::Delete, flag::Flag,
        follow::Follow, move_::Move, offer::Offer, undo::Undo, update::Update,
    },
    fetch::domain_of,
    protocol::{ActorJson, Envelope},
};
use crate::{
    db::entities::actor,
    directory::types::{ActorKind, Moderation, Status},
    federation::error::InboxError,
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use std::{
    collections::{BTreeMap, HashMap},
    fmt::Debug,
    path::{Path, PathBuf},
};
use url::Url;

/// Fewer files than this means a folder was lost.
const MIN_FIXTURES: usize = 45;

/// The host of this node in every fixture: reports must name its objects.
const OUR_DOMAIN: &str = "coopdir.example";

/// Real shapes the inbox refuses today, with (part of) the reason it gives. When the inbox
/// learns to take one, the test fails: then drop its line here and say so in SOURCES.md.
const REFUSED: &[(&str, &str)] = &[(
    // Fedify's autoIdAssigner as first released gave id-less activities `urn:uuid:` ids.
    "fedify/follow-urn-uuid-id.json",
    "is not on the host of the actor",
)];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// What tests/fixtures holds besides ActivityPub payloads: the documents of other
/// directories that the import tests read (their sources are in their own README files).
const NOT_ACTIVITYPUB: &[&str] = &["interchange", "murmurations-organizations-schema.json"];

/// Every ActivityPub `*.json` below `dir`, sorted, as paths relative to `dir`.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path();
            let rel = path.strip_prefix(root).unwrap_or(&path);
            if NOT_ACTIVITYPUB.iter().any(|n| rel.starts_with(n)) {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|x| x == "json") {
                out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn load(dir: &Path, rel: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(dir.join(rel)).map_err(|e| format!("unreadable: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))
}

/// Read `value` as `T` (naming the field that fails), write it, read it again: the two
/// readings must be equal.
fn round_trip<T>(value: &Value) -> Result<T, String>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let type_name = std::any::type_name::<T>();
    let parsed: T = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        format!(
            "does not parse as {type_name}: at `{}`: {}",
            e.path(),
            e.inner()
        )
    })?;
    let written = serde_json::to_value(&parsed)
        .map_err(|e| format!("{type_name} cannot be written back: {e}"))?;
    let again: T = serde_path_to_error::deserialize(written.clone()).map_err(|e| {
        format!(
            "{type_name} written as {written} does not parse again: at `{}`: {}",
            e.path(),
            e.inner()
        )
    })?;
    if again != parsed {
        return Err(format!(
            "{type_name} changed in a round trip:\n  read    {parsed:?}\n  re-read {again:?}"
        ));
    }
    Ok(parsed)
}

/// The stored form of a remote actor, as far as `verify` looks at it: from its fixture when
/// there is one, else from its id alone.
fn remote_actor(id: &Url, doc: Option<&ActorJson>) -> actor::Model {
    let now = chrono::Utc::now();
    actor::Model {
        id: 1,
        ap_id: id.to_string(),
        kind: ActorKind::Remote,
        username: doc
            .and_then(|d| d.preferred_username.clone())
            .unwrap_or_default(),
        domain: domain_of(id),
        name: doc.and_then(|d| d.name.clone()).unwrap_or_default(),
        summary: String::new(),
        inbox: doc.map(|d| d.inbox.to_string()).unwrap_or_default(),
        shared_inbox: doc
            .and_then(|d| d.endpoints.as_ref())
            .and_then(|e| e.shared_inbox.as_ref())
            .map(|u| u.to_string()),
        outbox: None,
        followers: None,
        url: None,
        public_key_pem: doc
            .map(|d| d.public_key.public_key_pem.clone())
            .unwrap_or_default(),
        private_key_pem: None,
        local: false,
        coop_id: None,
        attributes: None,
        status: Status::Active,
        sunset_end: None,
        moved_to: None,
        also_known_as: "[]".into(),
        moderation: Moderation::Approved,
        fetched_at: None,
        created_at: now,
        updated_at: now,
    }
}

fn verified(r: Result<(), InboxError>, kind: &str) -> Result<(), String> {
    r.map_err(|e| format!("{kind}.verify refuses it: {e}"))
}

/// Check one payload; `Ok` names what it was read as.
fn check(value: &Value, actors: &HashMap<Url, ActorJson>) -> Result<&'static str, String> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .ok_or("no string `type`")?;
    if ACTOR_TYPES.contains(&kind) {
        let doc: ActorJson = round_trip(value)?;
        // What fetching an actor requires of its document (actors::ApActor::verify).
        if doc.public_key.owner != doc.id || domain_of(&doc.public_key.owner) != domain_of(&doc.id)
        {
            return Err(format!(
                "publicKey.owner {} is not the actor {}",
                doc.public_key.owner, doc.id
            ));
        }
        return Ok("actor (ActorJson)");
    }
    // The inbox reads the envelope before anything else, and refuses an activity whose id
    // is not on its actor's host (inbox::receive).
    let envelope: Envelope = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        format!(
            "the inbox envelope does not parse: at `{}`: {}",
            e.path(),
            e.inner()
        )
    })?;
    let actor_id = envelope.actor.url().clone();
    if domain_of(&envelope.id) != domain_of(&actor_id) {
        return Err(format!(
            "the inbox refuses it: the id {} is not on the host of the actor {actor_id}",
            envelope.id
        ));
    }
    let model = remote_actor(&actor_id, actors.get(&actor_id));
    // As the inbox reads it: through the enum of incoming activities.
    let activity: Incoming = round_trip(value).map_err(|e| explain(kind, value).unwrap_or(e))?;
    // The inbox reads it by its envelope's type, without the enum's tag lookup: the same.
    if Incoming::parse_as(&envelope.kind, value.clone())
        .ok()
        .as_ref()
        != Some(&activity)
    {
        return Err(format!(
            "`{kind}` read by its envelope's type differs from the enum's reading"
        ));
    }
    verified(activity.verify(&model, OUR_DOMAIN), kind)?;
    match activity {
        Incoming::Follow(_) => Ok("Follow"),
        Incoming::Undo(_) => Ok("Undo"),
        Incoming::Accept(_) | Incoming::Reject(_) => Ok("Accept"),
        Incoming::Offer(_) => Ok("Offer"),
        Incoming::Create(_) => Ok("Create"),
        Incoming::Update(_) => Ok("Update"),
        Incoming::Delete(_) => Ok("Delete"),
        Incoming::Move(_) => Ok("Move"),
        Incoming::Flag(_) => Ok("Flag"),
        // No handler: the inbox checks the signature, records the id and answers 202
        // without an effect (activities::handle). Hold the fixture to the fields a future
        // handler needs.
        Incoming::Unhandled if kind == "Announce" => {
            let has_object_id = match value.get("object") {
                Some(Value::String(s)) => Url::parse(s).is_ok(),
                Some(Value::Object(o)) => o
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|s| Url::parse(s).is_ok()),
                _ => false,
            };
            if !has_object_id {
                return Err("Announce needs an object given by URL or with an id".into());
            }
            round_trip::<Value>(value)?;
            Ok("Announce (no handler; accepted without effect)")
        }
        Incoming::Unhandled => Err(format!(
            "no wire type for `{kind}`: add it to activities::Incoming"
        )),
    }
}

/// Why a payload the enum refuses does not parse, naming the field: the enum reads the
/// payload whole before it picks the variant, so its own error has no path.
fn explain(kind: &str, value: &Value) -> Option<String> {
    fn named<T>(kind: &str, value: &Value) -> Option<String>
    where
        T: DeserializeOwned + Serialize + PartialEq + Debug,
    {
        round_trip::<T>(value).err().map(|e| format!("{kind}: {e}"))
    }
    match kind {
        "Follow" => named::<Follow>(kind, value),
        "Undo" => named::<Undo>(kind, value),
        "Accept" | "Reject" => named::<Accept>(kind, value),
        "Offer" => named::<Offer>(kind, value),
        "Create" => named::<Create>(kind, value),
        "Update" => named::<Update>(kind, value),
        "Delete" => named::<Delete>(kind, value),
        "Move" => named::<Move>(kind, value),
        "Flag" => named::<Flag>(kind, value),
        _ => None,
    }
}

/// A fixture's path below tests/fixtures and its JSON, or why it could not be read.
type Fixture = (PathBuf, Result<Value, String>);

/// Every fixture, read; the actor documents among them by id.
fn all_fixtures() -> (Vec<Fixture>, HashMap<Url, ActorJson>) {
    let dir = fixtures_dir();
    let files: Vec<_> = json_files(&dir)
        .into_iter()
        .map(|rel| {
            let v = load(&dir, &rel);
            (rel, v)
        })
        .collect();
    let actors = files
        .iter()
        .filter_map(|(_, v)| v.as_ref().ok())
        .filter(|v| {
            v.get("type")
                .and_then(Value::as_str)
                .is_some_and(|k| ACTOR_TYPES.contains(&k))
        })
        .filter_map(|v| serde_json::from_value::<ActorJson>(v.clone()).ok())
        .map(|a| (a.id.clone(), a))
        .collect();
    (files, actors)
}

#[test]
fn every_fixture_parses_verifies_and_round_trips() {
    let (files, actors) = all_fixtures();
    let mut failures = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (rel, value) in &files {
        let name = rel.to_string_lossy().replace('\\', "/");
        let refused = REFUSED
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, why)| *why);
        let result = value
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|v| check(v, &actors));
        match (result, refused) {
            (Ok(kind), None) => *seen.entry(kind.to_string()).or_default() += 1,
            (Err(why), None) => failures.push(format!("tests/fixtures/{name}: {why}")),
            (Err(why), Some(expected)) if why.contains(expected) => {}
            (Err(why), Some(expected)) => failures.push(format!(
                "tests/fixtures/{name}: refused for another reason than \"{expected}\": {why}"
            )),
            (Ok(kind), Some(_)) => failures.push(format!(
                "tests/fixtures/{name}: now accepted as {kind}; remove it from REFUSED"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    // Every handled type is covered by at least one real shape.
    for kind in [
        "actor (ActorJson)",
        "Follow",
        "Undo",
        "Accept",
        "Create",
        "Update",
        "Delete",
        "Move",
        "Flag",
    ] {
        assert!(
            seen.contains_key(kind),
            "no fixture is read as {kind}: {seen:?}"
        );
    }
}

#[test]
fn no_fixture_folder_is_lost() {
    let files = json_files(&fixtures_dir());
    assert!(
        files.len() >= MIN_FIXTURES,
        "only {} fixtures under tests/fixtures (at least {MIN_FIXTURES} expected): {files:?}",
        files.len()
    );
    for project in [
        "mastodon",
        "gotosocial",
        "misskey",
        "pleroma",
        "lemmy",
        "fedify",
        "bovine",
    ] {
        assert!(
            files.iter().any(|f| f.starts_with(project)),
            "no fixtures in tests/fixtures/{project}/"
        );
    }
}

/// SOURCES.md says where every shape comes from: one row per file, no row without a file.
#[test]
fn every_fixture_has_a_source() {
    let dir = fixtures_dir();
    let sources = std::fs::read_to_string(dir.join("SOURCES.md"))
        .unwrap_or_else(|e| panic!("tests/fixtures/SOURCES.md: {e}"));
    let listed: Vec<String> = sources
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    let files: Vec<String> = json_files(&dir)
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let missing: Vec<_> = files.iter().filter(|f| !listed.contains(f)).collect();
    let stale: Vec<_> = listed.iter().filter(|f| !files.contains(f)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "SOURCES.md lacks a row for {missing:?} and lists missing files {stale:?}"
    );
}

/// The check names the field that fails, so a broken fixture says what to fix.
#[test]
fn a_broken_payload_is_reported_with_the_reason() {
    let (_, actors) = all_fixtures();
    let follow = serde_json::json!({
        "id": "https://mastodon.example/users/alice#follows/1",
        "type": "Follow",
        "actor": "https://mastodon.example/users/alice",
        "object": ["https://coopdir.example/actors/meetcoop"]
    });
    let err = check(&follow, &actors).unwrap_err();
    assert!(err.contains("Follow") && err.contains("object"), "{err}");

    let foreign_id = serde_json::json!({
        "id": "urn:uuid:0b0e4c4e-2f0c-4b8e-9f5a-1c2d3e4f5a6b",
        "type": "Follow",
        "actor": "https://fedify.example/users/frank",
        "object": "https://coopdir.example/actors/meetcoop"
    });
    let err = check(&foreign_id, &actors).unwrap_err();
    assert!(err.contains("not on the host"), "{err}");

    let someone_elses_report = serde_json::json!({
        "id": "https://mastodon.example/5d1f",
        "type": "Flag",
        "actor": "https://mastodon.example/actor",
        "object": ["https://elsewhere.example/users/x"]
    });
    let err = check(&someone_elses_report, &actors).unwrap_err();
    assert!(err.contains("Flag.verify"), "{err}");
}

/// Every server's report keeps its reason: Mastodon, Misskey and Akkoma write it in
/// `content`, Lemmy in `summary`.
#[test]
fn the_reason_of_every_servers_report_is_read() {
    use super::activities::flag::Flag;
    let dir = fixtures_dir();
    for project in ["mastodon", "gotosocial", "misskey", "pleroma", "lemmy"] {
        let rel = PathBuf::from(project).join("flag.json");
        let value = load(&dir, &rel).unwrap_or_else(|e| panic!("{project}: {e}"));
        let flag: Flag = serde_json::from_value(value.clone()).expect("parses");
        let written = ["content", "summary"]
            .iter()
            .find_map(|k| value[*k].as_str().filter(|s| !s.trim().is_empty()))
            .unwrap_or_else(|| panic!("{project}'s fixture states a reason"));
        assert_eq!(flag.comment(), written, "{project}");
    }
}
