//! Text and HTML: escaping our own strings, sanitizing remote HTML with ammonia, and
//! turning remote HTML into plain text where only text belongs (names).

use std::sync::LazyLock;

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Plain text to HTML paragraphs: blank lines separate paragraphs, single newlines become
/// `<br>`.
pub fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

/// A link to a URL, showing the URL without its scheme, as Mastodon renders profile links.
pub fn link(url: &str) -> String {
    let shown = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    format!(
        "<a href=\"{}\" rel=\"nofollow noopener me\" target=\"_blank\">{}</a>",
        escape(url),
        escape(shown)
    )
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.tags(
        [
            "p",
            "br",
            "a",
            "span",
            "strong",
            "em",
            "b",
            "i",
            "ul",
            "ol",
            "li",
            "blockquote",
            "code",
            "pre",
        ]
        .into(),
    )
    .url_schemes(["http", "https"].into())
    .link_rel(Some("nofollow noopener noreferrer"))
    .add_tag_attributes("a", ["href", "class"])
    .add_tag_attributes("span", ["class"]);
    b
});

/// Sanitize remote HTML: a small allowlist of tags, http(s) links only, no scripts, no
/// event handlers, no styles.
pub fn sanitize(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Remote HTML or text to plain text (for names): tags dropped, entities decoded, control
/// characters removed.
pub fn to_text(html: &str) -> String {
    let stripped = ammonia::Builder::empty().clean(html).to_string();
    let decoded = stripped
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let dirty = r#"<p onclick="x()">hi<script>alert(1)</script><a href="javascript:alert(1)">l</a><img src=x onerror=alert(1)><svg onload=alert(1)></svg></p>"#;
        let clean = sanitize(dirty);
        assert!(
            !clean.contains("script")
                && !clean.contains("onerror")
                && !clean.contains("javascript")
                && !clean.contains("svg")
                && !clean.contains("onclick"),
            "{clean}"
        );
        assert!(clean.contains("hi"));
    }

    #[test]
    fn names_become_text() {
        assert_eq!(
            to_text("<b>Co</b>-op &amp; <script>x</script>friends"),
            "Co-op & friends"
        );
        assert_eq!(escape("<script>"), "&lt;script&gt;");
        assert_eq!(paragraphs("a\nb\n\n<c>"), "<p>a<br>b</p><p>&lt;c&gt;</p>");
    }
}
