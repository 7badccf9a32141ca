//! Listing documents (TOML and JSON) from co-op staff: any text is refused with a message
//! or parsed into typed values; nothing crashes.
#![no_main]

use coopdir::directory::listing::ListingDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for name in ["fuzz.toml", "fuzz.json"] {
        if let Ok(doc) = ListingDocument::parse(name, text) {
            // A parsed document survives a round trip through JSON.
            let json = serde_json::to_string(&doc).expect("serializable");
            let again = ListingDocument::parse("again.json", &json).expect("round trip");
            assert_eq!(again, doc);
        }
    }
});
