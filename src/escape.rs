//! Escaping for every context a value is written into: HTML text and
//! attributes, XML (feeds, sitemap) and URLs. Templates autoescape; these are
//! for the parts written in Rust.

/// Escapes text for HTML element content and quoted attributes.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for XML 1.0, dropping characters XML cannot carry at all
/// (most C0 controls, lone surrogates cannot occur in Rust strings).
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL path, leaving `/` and unreserved characters alone.
/// Used for sitemap `<loc>` values, which must be ASCII-safe.
pub fn url_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:#?=&%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// At most `n` characters, with an ellipsis when cut (descriptions and
/// summaries written into pages, feeds and the search index).
pub fn truncate_chars(s: &str, n: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(xml("a\u{1}b<]]>"), "ab&lt;]]&gt;");
        assert_eq!(url_path("/zhifa/清单/"), "/zhifa/%E6%B8%85%E5%8D%95/");
    }
}
