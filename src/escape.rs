//! Escaping for every context a value is written into: HTML text and
//! attributes, XML (feeds, sitemap) and URLs. Templates autoescape; these are
//! for the parts written in Rust.

/// Escapes text for HTML element content and quoted attributes.
pub fn html(s: &str) -> String {
    replace_bytes(s, |bytes, i| match bytes[i] {
        b'&' => Some(("&amp;", 1)),
        b'<' => Some(("&lt;", 1)),
        b'>' => Some(("&gt;", 1)),
        b'"' => Some(("&quot;", 1)),
        b'\'' => Some(("&#39;", 1)),
        _ => None,
    })
}

/// Escapes text for XML 1.0, dropping characters XML cannot carry at all
/// (most C0 controls, U+FFFE and U+FFFF; lone surrogates cannot occur in
/// Rust strings).
pub fn xml(s: &str) -> String {
    replace_bytes(s, |bytes, i| match bytes[i] {
        b'&' => Some(("&amp;", 1)),
        b'<' => Some(("&lt;", 1)),
        b'>' => Some(("&gt;", 1)),
        b'"' => Some(("&quot;", 1)),
        b'\'' => Some(("&apos;", 1)),
        b'\t' | b'\n' | b'\r' => None,
        0..0x20 => Some(("", 1)),
        // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
        0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => Some(("", 3)),
        _ => None,
    })
}

/// `s` with the byte sequences `at` picks replaced: `at(bytes, i)` gives
/// the replacement of the sequence starting at byte `i` and its length in
/// bytes, or `None` to keep the byte. Byte by byte, not character by
/// character: every sequence replaced starts with a byte that never occurs
/// inside a longer character (ASCII, or the lead byte of a whole
/// character), so the runs kept between are whole characters.
fn replace_bytes(s: &str, at: impl Fn(&[u8], usize) -> Option<(&'static str, usize)>) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let bytes = s.as_bytes();
    let mut last = 0;
    for i in 0..bytes.len() {
        if i < last {
            continue;
        }
        if let Some((with, len)) = at(bytes, i) {
            out.push_str(&s[last..i]);
            out.push_str(with);
            last = i + len;
        }
    }
    out.push_str(&s[last..]);
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

/// Percent-encodes a query component: everything but unreserved ASCII.
pub fn query_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Serializes to JSON as `serde_json::to_vec` does, except that `<`, `>`
/// and `&` are written `\u003c`, `\u003e`, `\u0026`: no JSON file carries
/// live markup, even pasted into a page. Every JSON file gongshi writes goes
/// through here (or [`json_pretty`]). `JSON.parse` reads the escapes back.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    write_json(value, serde_json::ser::CompactFormatter)
}

/// [`json`], indented as `serde_json::to_vec_pretty` indents.
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    write_json(value, serde_json::ser::PrettyFormatter::new())
}

/// [`json_pretty`] streamed into `w` (a file too large to hold whole).
pub fn json_pretty_to<W, T>(w: W, value: &T) -> Result<(), serde_json::Error>
where
    W: std::io::Write,
    T: serde::Serialize + ?Sized,
{
    let mut ser = serde_json::Serializer::with_formatter(
        w,
        MarkupSafe(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser)
}

fn write_json<T, F>(value: &T, formatter: F) -> Result<Vec<u8>, serde_json::Error>
where
    T: serde::Serialize + ?Sized,
    F: serde_json::ser::Formatter,
{
    let mut out = Vec::with_capacity(128);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, MarkupSafe(formatter));
    value.serialize(&mut ser)?;
    Ok(out)
}

/// A formatter that lays out as `F` does and escapes `<`, `>`, `&` inside
/// strings (keys included): the only place these bytes can occur in JSON.
struct MarkupSafe<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for MarkupSafe<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        // A byte search: `<`, `>` and `&` are ASCII, never part of a longer
        // character (a `char` search decodes every character of the text).
        while let Some(i) = rest.bytes().position(|b| matches!(b, b'<' | b'>' | b'&')) {
            w.write_all(&rest.as_bytes()[..i])?;
            w.write_all(match rest.as_bytes()[i] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            })?;
            rest = &rest[i + 1..];
        }
        w.write_all(rest.as_bytes())
    }
    // Layout: whatever `F` does.
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
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

    /// The byte scans give what the rules say character by character, on
    /// text mixing Chinese, markup, controls and the two non-characters
    /// (the last bytes of U+FFFE are those of other characters too).
    #[test]
    fn byte_scans_agree_with_the_character_rules() {
        // The rules, a character at a time: HTML writes `'` as `&#39;`; XML
        // as `&apos;`, and drops the characters it cannot carry.
        let by_char = |s: &str, apos: &str, xml: bool| -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".into(),
                    '<' => "&lt;".into(),
                    '>' => "&gt;".into(),
                    '"' => "&quot;".into(),
                    '\'' => apos.into(),
                    '\t' | '\n' | '\r' => c.to_string(),
                    c if xml && ((c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}') => {
                        String::new()
                    }
                    c => c.to_string(),
                })
                .collect()
        };
        let samples = [
            "",
            "营业执照未悬挂",
            "<b>食品&药品</b> \"经营\" '许可'",
            "a\u{1}b\u{1f}c\td\ne\rf\u{7f}",
            "末尾\u{FFFE}中间\u{FFFF}\u{FFFD}\u{FFFC}\u{EFBF}\u{FEFF}",
            "\u{FFFF}",
            "全角＜＞＆ and 𠮷 (four bytes) &",
        ];
        for s in samples {
            assert_eq!(html(s), by_char(s, "&#39;", false), "{s:?}");
            assert_eq!(xml(s), by_char(s, "&apos;", true), "{s:?}");
        }
    }

    #[test]
    fn json_escapes_markup_and_nothing_else() {
        let v =
            serde_json::json!({"<k>": ["<script>&amp;</script>", "标题 \"引号\" \n", 1.5, null]});
        let compact = json(&v).unwrap();
        let text = String::from_utf8(compact.clone()).unwrap();
        assert!(!text.contains(['<', '>', '&']), "{text}");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&compact).unwrap(),
            v
        );
        assert_eq!(
            text.replace("\\u003c", "<")
                .replace("\\u003e", ">")
                .replace("\\u0026", "&"),
            serde_json::to_string(&v).unwrap()
        );
        let pretty = String::from_utf8(json_pretty(&v).unwrap()).unwrap();
        assert_eq!(
            pretty
                .replace("\\u003c", "<")
                .replace("\\u003e", ">")
                .replace("\\u0026", "&"),
            serde_json::to_string_pretty(&v).unwrap()
        );
    }
}
