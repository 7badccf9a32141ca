//! Incoming JSON: the activity envelope, actor documents and the activities the inbox
//! handles are read tolerantly; no input may crash the reader.
#![no_main]

use coopdir::federation::{
    activities::{accept::Accept, create::Create, delete::Delete, follow::Follow, move_::Move, undo::Undo, update::Update},
    protocol::{ActorJson, Envelope},
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<Envelope>(data);
    if let Ok(actor) = serde_json::from_slice::<ActorJson>(data) {
        // What we read we can write again.
        let _ = serde_json::to_vec(&actor);
    }
    let _ = serde_json::from_slice::<Follow>(data);
    let _ = serde_json::from_slice::<Undo>(data);
    let _ = serde_json::from_slice::<Accept>(data);
    let _ = serde_json::from_slice::<Create>(data);
    let _ = serde_json::from_slice::<Update>(data);
    let _ = serde_json::from_slice::<Delete>(data);
    let _ = serde_json::from_slice::<Move>(data);
});
