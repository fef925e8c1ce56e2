//! Raw HTML in a body: sanitized by an allowlist unless the site trusts it,
//! and a raw-text element left open (`<style>`, `<textarea>` …) found so
//! that it can be reported at its line.

/// Elements whose content an HTML parser reads as plain text up to their
/// own end tag: left open, they take everything after them. `script` and
/// `style` are then dropped by the sanitizer (and a browser shows neither);
/// the others turn the rest of the page into literal tags.
pub const RAW_TEXT_TAGS: [&str; 10] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// A raw-text element in raw HTML without its end tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unclosed {
    /// Lower-case name, one of [`RAW_TEXT_TAGS`].
    pub tag: &'static str,
    /// Byte offset of its `<` in the body, for the line number.
    pub offset: usize,
}

/// Finds a raw-text element left open in the raw HTML of a body, read as
/// the sanitizer and a browser read it: the pieces of raw HTML in order
/// (text, code spans and escaped `\<` are not markup, so never count),
/// comments skipped, a raw-text element's content skipped up to its end tag.
/// Only the first is reported: everything after it is text.
pub(super) fn unclosed_raw_text(
    body: &str,
    raw: &[(&str, std::ops::Range<usize>)],
) -> Vec<Unclosed> {
    if raw.is_empty() {
        return Vec::new();
    }
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(raw.len());
    for (text, _) in raw {
        starts.push(joined.len());
        joined.push_str(text);
    }
    let lower = joined.to_ascii_lowercase();
    let mut pos = 0;
    while let Some(i) = lower[pos..].find('<').map(|i| pos + i) {
        let rest = &lower[i + 1..];
        if rest.starts_with("!--") {
            match rest.find("-->") {
                Some(end) => pos = i + 1 + end + 3,
                None => break,
            }
            continue;
        }
        let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let ends_name = rest[name_len..]
            .bytes()
            .next()
            .is_none_or(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/');
        let Some(tag) = RAW_TEXT_TAGS
            .iter()
            .find(|t| ends_name && **t == &rest[..name_len])
        else {
            pos = i + 1;
            continue;
        };
        let content = rest.find('>').map_or(lower.len(), |g| i + 1 + g + 1);
        let close = format!("</{tag}");
        match lower[content..].find(&close) {
            Some(c) if *tag != "plaintext" => pos = content + c + close.len(),
            _ => {
                // Back from the joined text to the body: the piece holding
                // the tag, then the tag within the piece's source (which may
                // carry `> ` quote markers the piece lacks).
                let piece = starts.partition_point(|&s| s <= i) - 1;
                let range = &raw[piece].1;
                let within = i - starts[piece];
                let source = body.get(range.clone()).unwrap_or("").to_ascii_lowercase();
                let open = format!("<{tag}");
                let at = source
                    .match_indices(&open)
                    .map(|(k, _)| k)
                    .find(|&k| k >= within)
                    .or_else(|| source.find(&open))
                    .unwrap_or(0);
                return vec![Unclosed {
                    tag,
                    offset: range.start + at,
                }];
            }
        }
    }
    Vec::new()
}

/// The allowlist for raw HTML: ammonia's defaults (no script, style, event
/// handlers or `style` attributes), our own ids and classes, task-list
/// checkboxes, table scroll regions; links only to safe schemes.
pub(super) fn sanitize(html: &str) -> String {
    use std::sync::OnceLock;
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let cleaner = CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"])
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("div", ["tabindex", "role", "aria-label"])
            .add_tag_attributes("pre", ["data-lang"])
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"));
        b
    });
    cleaner.clean(html).to_string()
}
