//! The sanitizer of remote HTML and the text helpers: whatever comes in, no script tag,
//! event handler attribute or `javascript:` URL comes out.
#![no_main]

use coopdir::html;
use libfuzzer_sys::fuzz_target;

/// The tags of an HTML string, lower-cased: the text between each `<` and `>`.
fn tags(html: &str) -> Vec<String> {
    html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or_default().to_ascii_lowercase()).collect()
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let clean = html::sanitize(&input);
    for tag in tags(&clean) {
        assert!(!tag.starts_with("script"), "script survived: {clean}");
        assert!(!tag.contains("javascript:"), "javascript: URL survived: {clean}");
        let handler = tag.split_whitespace().skip(1).any(|attr| attr.starts_with("on"));
        assert!(!handler, "event handler survived: {clean}");
    }
    let text = html::to_text(&input);
    assert!(!text.chars().any(char::is_control));
    for tag in tags(&html::paragraphs(&input)) {
        assert!(tag == "p" || tag == "/p" || tag == "br", "paragraphs made a tag <{tag}>");
    }
});
