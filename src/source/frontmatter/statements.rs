//! TOML cut into statements for recovery ([`super::recover`]): a table
//! header, or a key with every line its value spans (multi-line strings,
//! arrays and inline tables), found without the parser, so that broken
//! text still cuts.
//!
//! A value left open (`tags = ["a", "b"` without its `]`) would run to the
//! end of the file; an array stops instead before the next line that can
//! only be a key (`kind = …`) or a table header, since neither can stand
//! inside an array. A table header is mended rather than taken out (its
//! keys would otherwise fall into the table above it and be reported as
//! duplicates or unknown): `[[items]` becomes `[[items]]`, `［a］` `[a]`;
//! one that cannot be mended is renamed to a table of its own that is
//! dropped after parsing.

use std::collections::HashMap;

use super::recover::{Grammar, Unit};
use super::value::{Gaps, ParseError, Table};

/// The name of a table header recovery could not mend (its table is
/// dropped); no site writes it.
const DROPPED: &str = "__gongshi_recovery_";

/// The statements of `lines`.
pub(super) fn units(lines: &[String]) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if t.is_empty() || t.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        if t.starts_with(['[', '［']) {
            units.push(Unit {
                start,
                end: i,
                header: true,
                open: false,
                open_string: None,
            });
            i += 1;
            continue;
        }
        let mut scan = Scan::default();
        loop {
            scan.line(&lines[i], i);
            let Some(next) = lines.get(i + 1) else { break };
            let open = scan.string.is_some() || !scan.brackets.is_empty();
            let cut = scan.string.is_none()
                && (header_like(next) || (scan.brackets.last() == Some(&'[') && key_like(next)));
            if !open || cut {
                break;
            }
            i += 1;
        }
        units.push(Unit {
            start,
            end: i,
            header: false,
            open: scan.string.is_some() || !scan.brackets.is_empty(),
            open_string: scan.string.map(|(_, at)| at),
        });
        i += 1;
    }
    units
}

/// What is open at the end of a line: a multi-line string (its quote and
/// where it starts) and brackets.
#[derive(Default)]
struct Scan {
    string: Option<(char, (usize, usize))>,
    brackets: Vec<char>,
}

impl Scan {
    fn line(&mut self, line: &str, n: usize) {
        let chars: Vec<char> = line.chars().collect();
        let triple = |k: usize, q: char| {
            chars
                .get(k..k + 3)
                .is_some_and(|s| s.iter().all(|&c| c == q))
        };
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            if let Some((q, _)) = self.string {
                if q == '"' && c == '\\' {
                    k += 2;
                } else if c == q && triple(k, q) {
                    self.string = None;
                    k += 3;
                } else {
                    k += 1;
                }
                continue;
            }
            match c {
                '#' => break,
                '"' | '\'' if triple(k, c) => {
                    self.string = Some((c, (n, k)));
                    k += 2;
                }
                // A one-line string ends at its quote, or at the line's end
                // when it has none (the parser's error, not a reason to
                // read on).
                '"' | '\'' => {
                    k += 1;
                    while k < chars.len() && chars[k] != c {
                        k += if c == '"' && chars[k] == '\\' { 2 } else { 1 };
                    }
                }
                '[' | '［' => self.brackets.push('['),
                '{' => self.brackets.push('{'),
                ']' | '］' | '}' => {
                    self.brackets.pop();
                }
                _ => {}
            }
            k += 1;
        }
    }
}

/// A bare key (`items`, `a-b_1`), or a quoted one.
fn key_part(s: &str) -> Option<&str> {
    let s = s.trim_start();
    if let Some(q @ ('"' | '\'')) = s.chars().next() {
        let end = s[1..].find(q)?;
        return Some(&s[end + 2..]);
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(s.len());
    (end > 0).then(|| &s[end..])
}

/// `a.b."c"` and what follows it.
fn dotted_key(s: &str) -> Option<&str> {
    let mut rest = key_part(s)?;
    while let Some(r) = rest.trim_start().strip_prefix('.') {
        rest = key_part(r)?;
    }
    Some(rest.trim_start())
}

/// A line that can only be a key and its value: `kind = "x"` (or with a
/// full-width ＝ or ：).
fn key_like(line: &str) -> bool {
    dotted_key(line).is_some_and(|rest| rest.starts_with(['=', '＝', '：']))
}

/// A line that can only be a table header: `[agencies.scjg]`, `[[items]]`
/// (a nested array on a line of its own would start with a value, not a
/// bare word).
fn header_like(line: &str) -> bool {
    let t = line.trim();
    let Some(inner) = t.strip_prefix(['[', '［']) else {
        return false;
    };
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    if !inner
        .trim_start()
        .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
    {
        return false;
    }
    dotted_key(inner).is_some_and(|rest| {
        let rest = rest.trim_start_matches([']', '］']).trim();
        rest.is_empty() || rest.starts_with('#')
    })
}

/// The key path of a header line (`[[items]]` → `items`, array), as far as
/// it can be read (`[[items]` and `[[items]] 多余` are `items` too).
fn header_path(line: &str) -> Option<(bool, Vec<String>)> {
    let t = line.trim().replace('［', "[").replace('］', "]");
    let array = t.starts_with("[[");
    let inner = t.trim_start_matches('[');
    // Up to the first closing bracket: what follows it is not the path.
    let inner = inner.split(']').next().unwrap_or(inner);
    let inner = inner.split(" #").next().unwrap_or(inner).trim();
    let parts: Vec<String> = inner
        .split('.')
        .map(|p| p.trim().trim_matches(['"', '\'']).to_string())
        .collect();
    parts
        .iter()
        .all(|p| !p.is_empty())
        .then_some((array, parts))
}

/// Recovery for TOML: statements taken out, table headers mended.
#[derive(Default)]
pub(super) struct Toml {
    /// Header lines mended, with the first key of their path.
    mended: Vec<(usize, String)>,
    /// Headers renamed to a dropped table.
    dropped: usize,
}

impl Toml {
    fn drop_header(&mut self, lines: &mut [String], at: usize) {
        self.dropped += 1;
        lines[at] = format!("[{DROPPED}{}]", self.dropped);
    }
}

impl Grammar for Toml {
    fn parse(&self, text: &str, first: usize) -> Result<Table, ParseError> {
        let mut table = super::toml::parse_once(text, first)?;
        if self.dropped > 0 {
            table.retain(|(k, _)| !k.starts_with(DROPPED));
        }
        Ok(table)
    }

    fn units(&self, lines: &[String]) -> Vec<Unit> {
        units(lines)
    }

    fn take_out(&mut self, lines: &mut [String], unit: &Unit) {
        if !unit.header {
            for l in &mut lines[unit.start..=unit.end] {
                l.clear();
            }
            return;
        }
        let at = unit.start;
        let mended = header_path(&lines[at]).map(|(array, parts)| {
            let (open, close) = if array { ("[[", "]]") } else { ("[", "]") };
            (format!("{open}{}{close}", parts.join(".")), parts)
        });
        match mended {
            Some((line, parts))
                if line != lines[at].trim() && super::toml::parse_once(&line, 1).is_ok() =>
            {
                lines[at] = line;
                self.mended.push((at, parts[0].clone()));
            }
            _ => self.drop_header(lines, at),
        }
    }

    fn caused_by_recovery(&mut self, lines: &mut [String], at: usize) -> bool {
        // A mended header that now clashes with another header of the
        // same table (`[items]` mended where `[[items]]` was meant): the
        // clash is the mending's, so the header is dropped instead.
        let Some((_, parts)) = lines.get(at).and_then(|l| header_path(l)) else {
            return false;
        };
        // A header wrong on its own is wrong whatever was mended.
        if !lines[at].trim_start().starts_with('[')
            || super::toml::parse_once(&lines[at], 1).is_err()
        {
            return false;
        }
        let clashing: Vec<usize> = self
            .mended
            .iter()
            .filter(|(_, first)| *first == parts[0])
            .map(|(l, _)| *l)
            .collect();
        self.mended.retain(|(_, first)| *first != parts[0]);
        for l in &clashing {
            self.drop_header(lines, *l);
        }
        !clashing.is_empty()
    }

    fn gaps(&self, original: &[&str], lines: &[String], taken: &[Unit]) -> Gaps {
        let mut gaps = Gaps {
            unknown: self.dropped > 0,
            ..Gaps::default()
        };
        // The table each line is in, as field names write it (`items[2]`).
        let mut tables: Vec<(usize, String)> = Vec::new();
        let mut arrays: HashMap<String, usize> = HashMap::new();
        for u in units(lines).iter().filter(|u| u.header) {
            let Some((array, parts)) = header_path(&lines[u.start]) else {
                continue;
            };
            let mut name = String::new();
            let mut path = String::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    name.push('.');
                    path.push('.');
                }
                name.push_str(p);
                path.push_str(p);
                let n = if array && i + 1 == parts.len() {
                    let n = arrays.entry(name.clone()).or_insert(0);
                    *n += 1;
                    Some(*n)
                } else {
                    arrays.get(&name).copied()
                };
                if let Some(n) = n {
                    path.push_str(&format!("[{n}]"));
                }
            }
            tables.push((u.start, path));
        }
        for u in taken.iter().filter(|u| !u.header) {
            let key = original[u.start]
                .split(['=', '＝', '：'])
                .next()
                .filter(|_| key_like(original[u.start]))
                .map(|k| {
                    k.split('.')
                        .map(|p| p.trim().trim_matches(['"', '\'']))
                        .collect::<Vec<_>>()
                        .join(".")
                });
            // A statement whose key cannot be read, or one that ran on
            // over other keys' lines (a string or array left open).
            let swallowed = original[u.start + 1..=u.end]
                .iter()
                .any(|l| key_like(l) || header_like(l));
            match key {
                Some(k) if !swallowed => {
                    let table = tables.iter().rev().find(|(l, _)| *l < u.start);
                    gaps.fields.push(match table {
                        Some((_, t)) if t.starts_with(DROPPED) => continue,
                        Some((_, t)) => format!("{t}.{k}"),
                        None => k,
                    });
                }
                _ => gaps.unknown = true,
            }
        }
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::super::recover::tests::lines;
    use super::super::recover::{MAX_ERRORS, recover};
    use super::*;

    fn spans(s: &str) -> Vec<(usize, usize)> {
        units(&lines(s)).iter().map(|u| (u.start, u.end)).collect()
    }

    #[test]
    fn statements_span_their_values() {
        // Multi-line arrays, strings and inline tables; comments and blank
        // lines belong to none.
        let text = "title = \"a # b\"\n# 注释\ntags = [\n  \"a\",\n  [1, 2],\n]\n\n\
                    body = \"\"\"\nk = 1\n\"\"\"\nx = { a = 1,\n  b = 2 }\n[[items]]\nid = 'x'\n";
        assert_eq!(
            spans(text),
            [(0, 0), (2, 5), (7, 9), (10, 11), (12, 12), (13, 13)]
        );
        // An array left open stops before a key or a header; a multi-line
        // string left open runs to the end.
        assert_eq!(
            spans("tags = [\"a\", \"b\"\nkind = \"x\"\n"),
            [(0, 0), (1, 1)]
        );
        assert_eq!(spans("tags = [\n  \"a\",\n[[items]]\n"), [(0, 1), (2, 2)]);
        let u = units(&lines("a = 1\nbody = '''\nk = 1\n"));
        assert_eq!(
            (u[1].start, u[1].end, u[1].open_string),
            (1, 3, Some((1, 7)))
        );
        // An unterminated one-line string ends with its line.
        assert_eq!(spans("kind = \"x\nlevel = 1\n"), [(0, 0), (1, 1)]);
        assert!(header_like("[agencies.\"a-b\"]  # 注"));
        assert!(header_like("［agencies.scjg］"));
        assert!(!header_like("[\"a\", \"b\"],"));
        assert!(!header_like("[1]"));
        assert!(key_like("title＝\"x\""));
        assert!(!key_like("\"a\","));
    }

    #[test]
    fn three_slips_are_reported_together_and_the_rest_is_kept() {
        let raw = "title = \"清单\"\nviolation = \"使用\"最佳\"等\"\nlevel ＝ \"high\"\n\
                   tags = [\"从轻\", \"减轻\"\nkind = \"exempt\"\n";
        let r = recover(&mut Toml::default(), raw, 2);
        let at: Vec<(usize, usize)> = r.errors.iter().map(|e| (e.line, e.col)).collect();
        assert_eq!(at, [(3, 16), (4, 7), (5, 19)], "{:?}", r.errors);
        assert!(r.errors[0].message.contains("提前结束"));
        assert!(r.errors[1].message.contains("的 ＝ 是全角"));
        assert!(
            r.errors[2].message.contains("数组缺少结尾的 ]"),
            "{:?}",
            r.errors[2]
        );
        let table = r.table.expect("recovered");
        let keys: Vec<&str> = table.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["title", "kind"]);
        assert_eq!(r.gaps.fields, ["violation", "level", "tags"]);
        assert!(!r.gaps.unknown);
    }

    #[test]
    fn headers_are_mended_so_their_keys_stay_theirs() {
        let raw = "title = \"a\"\n[[items]]\nid = \"1\"\n[[items]\nid = \"2\"\n\
                   basis = \"x\n［[items]]\nid = \"3\"\n";
        let r = recover(&mut Toml::default(), raw, 1);
        // The parser may stop at a later error first; each is reported.
        let mut at: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        at.sort_unstable();
        assert_eq!(at, [4, 6, 7], "{:?}", r.errors);
        let table = r.table.expect("recovered");
        let Some((_, super::super::Value::Array(items))) = table.iter().find(|(k, _)| k == "items")
        else {
            panic!("{table:?}")
        };
        // No duplicate `id`, no item lost: the mended headers hold theirs.
        assert_eq!(items.len(), 3);
        assert_eq!(r.gaps.fields, ["items[2].basis"]);
        assert!(!r.gaps.unknown);
    }

    #[test]
    fn a_mending_that_clashes_is_dropped_not_reported() {
        // `[items` mends to `[items]`, which clashes with `[[items]]`: the
        // clash is recovery's, not the clerk's.
        let raw = "[items\nid = \"1\"\n[[items]]\nid = \"2\"\n";
        let r = recover(&mut Toml::default(), raw, 1);
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert_eq!(r.errors[0].line, 1);
        let table = r.table.expect("recovered");
        assert_eq!(table.len(), 1, "{table:?}");
        assert!(r.gaps.unknown);
        // A real duplicate is still reported.
        let r = recover(&mut Toml::default(), "a = 1\na = 2\nb = \"x\n", 1);
        let at: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        assert_eq!(at, [2, 3], "{:?}", r.errors);
    }

    #[test]
    fn a_string_left_open_takes_the_rest_and_says_where_it_starts() {
        let r = recover(&mut Toml::default(), "a = 1\nbody = \"\"\"abc\nk = 1\n", 2);
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert_eq!((r.errors[0].line, r.errors[0].col), (3, 8));
        assert!(r.gaps.unknown);
        assert_eq!(r.table.expect("recovered").len(), 1);
    }

    #[test]
    fn errors_beyond_the_cap() {
        let raw: String = (0..12).map(|i| format!("k{i} = \"a\"b\"\n")).collect();
        let r = recover(&mut Toml::default(), &raw, 1);
        assert_eq!(r.errors.len(), MAX_ERRORS + 1);
        assert!(r.table.is_none());
    }
}
