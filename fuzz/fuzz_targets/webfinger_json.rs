//! WebFinger answers from remote servers, as the federation crate reads them when the node
//! resolves a handle.
#![no_main]

use activitypub_federation::fetch::webfinger::Webfinger;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(wf) = serde_json::from_slice::<Webfinger>(data) {
        let _ = serde_json::to_vec(&wf);
    }
});
