//! Going on after a syntax error, so that a clerk sees every slip of a file
//! in one run rather than one per run.
//!
//! The parsers stop at their first error. Recovery cuts the text into units
//! of whole lines — a TOML statement (a table header, or a key with every
//! line its value spans, see [`super::statements`]) or a YAML top-level key
//! with its indented block ([`yaml_units`]) — reports the error, takes the
//! unit it belongs to out (its lines left empty, so every other line keeps
//! its number and column) and parses again, up to [`MAX_ERRORS`] errors.
//!
//! The unit an error belongs to is the earliest one, up to the unit the
//! parser stopped in, that is wrong on its own: an array left open two
//! lines up makes the parser stop at the next key, which is fine by itself.
//! What recovery took out is kept as [`Gaps`], so that no field check
//! reports a key as missing only because its line was taken out.

use super::value::{Gaps, ParseError, Table};

/// At most this many syntax errors are reported for one file; then one
/// more says there are more.
pub const MAX_ERRORS: usize = 10;

/// The last message when a file has more than [`MAX_ERRORS`] errors.
pub const MORE: &str = "还有更多错误，请先改正以上错误";

/// Whole lines of the text (0-based, `end` included) that parse, or fail,
/// on their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Unit {
    pub(super) start: usize,
    pub(super) end: usize,
    /// A TOML table header (`[agencies.scjg]`, `[[items]]`).
    pub(super) header: bool,
    /// A bracket or string is still open where the unit ends: read in
    /// context, the parser went on into the next units.
    pub(super) open: bool,
    /// Where a multi-line string left open starts (line, 0-based column):
    /// its error belongs there, not at the end of the file.
    pub(super) open_string: Option<(usize, usize)>,
}

/// What recovery needs to know of a syntax.
pub(super) trait Grammar {
    /// Parses a text whose first line is file line `first`.
    fn parse(&self, text: &str, first: usize) -> Result<Table, ParseError>;
    /// The units of `lines`; empty and comment lines belong to none.
    fn units(&self, lines: &[String]) -> Vec<Unit>;
    /// Takes `unit` out of `lines`.
    fn take_out(&mut self, lines: &mut [String], unit: &Unit);
    /// Whether an error at line `at` came from an earlier take-out rather
    /// than from the text; if so, that take-out is changed (so the error
    /// goes away) and `true` returned.
    fn caused_by_recovery(&mut self, lines: &mut [String], at: usize) -> bool;
    /// What was taken out: `original` lines, `taken` units.
    fn gaps(&self, original: &[&str], lines: &[String], taken: &[Unit]) -> Gaps;
}

/// A text parsed as far as recovery goes.
#[derive(Debug)]
pub(super) struct Recovered {
    /// `None` when recovery gave up (more than [`MAX_ERRORS`] errors, or
    /// an error outside any unit).
    pub(super) table: Option<Table>,
    /// The text with the broken units taken out, line for line.
    pub(super) text: String,
    pub(super) errors: Vec<ParseError>,
    pub(super) gaps: Gaps,
}

/// Parses `raw` (first line: file line `first`), going on after errors.
pub(super) fn recover(g: &mut impl Grammar, raw: &str, first: usize) -> Recovered {
    let original: Vec<&str> = raw.split('\n').collect();
    let mut lines: Vec<String> = original.iter().map(|l| (*l).to_string()).collect();
    let mut errors: Vec<ParseError> = Vec::new();
    let mut taken: Vec<Unit> = Vec::new();
    let mut text = raw.to_string();
    // Each turn takes out a unit that has text, or changes a take-out
    // once; the bound only guards against a mistake in that reasoning.
    for _ in 0..=2 * lines.len() + MAX_ERRORS {
        let e = match g.parse(&text, first) {
            Ok(table) => {
                let gaps = g.gaps(&original, &lines, &taken);
                return Recovered {
                    table: Some(table),
                    text,
                    errors,
                    gaps,
                };
            }
            Err(e) => e,
        };
        let at = e.line.saturating_sub(first);
        if g.caused_by_recovery(&mut lines, at) {
            text = lines.join("\n");
            continue;
        }
        if errors.len() == MAX_ERRORS {
            errors.push(ParseError {
                message: MORE.into(),
                hint: Some("每次改正前面的错误后再检查一次".into()),
                ..e
            });
            break;
        }
        let units = g.units(&lines);
        let Some(stop) = units.iter().rposition(|u| u.start <= at) else {
            errors.push(e);
            break;
        };
        // Only a unit left open can be wrong on its own and still have
        // let the parser read on past it.
        let (unit, error) = units[..=stop]
            .iter()
            .enumerate()
            .filter(|(i, u)| u.open || *i == stop)
            .find_map(|(i, u)| {
                let alone = g.parse(&unit_text(&lines, u), first + u.start).err()?;
                Some((i, if i == stop { e.clone() } else { alone }))
            })
            .unwrap_or((stop, e));
        let unit = &units[unit];
        errors.push(within(error, unit, &lines, first));
        g.take_out(&mut lines, unit);
        taken.push(unit.clone());
        text = lines.join("\n");
    }
    Recovered {
        table: None,
        text,
        errors,
        gaps: Gaps::default(),
    }
}

fn unit_text(lines: &[String], u: &Unit) -> String {
    lines[u.start..=u.end].join("\n")
}

/// An error moved inside its unit: a parser reading the unit alone stops
/// at its end, past the last line; the place is where the unit stops, or
/// where its multi-line string left open starts (the parser stops at the
/// end of the file).
fn within(mut e: ParseError, u: &Unit, lines: &[String], first: usize) -> ParseError {
    if u.open_string.is_none() && e.line <= first + u.end {
        return e;
    }
    let (line, col) = u.open_string.unwrap_or_else(|| {
        let last = (u.start..=u.end)
            .rev()
            .find(|&l| !lines[l].trim().is_empty())
            .unwrap_or(u.end);
        (last, lines[last].trim_end().chars().count())
    });
    e.line = first + line;
    e.col = col + 1;
    e
}

/// YAML's units: each key at the left margin with the lines indented
/// below it. A line at the margin that is no `key:` still belongs to the
/// key above while a `[` or `{` of its value is open.
pub(super) fn yaml_units(lines: &[String]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut open = 0i64;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let margin = !line.starts_with([' ', '\t']);
        match units.last_mut() {
            Some(u) if !margin || (open > 0 && yaml_key(line).is_none()) => u.end = i,
            _ => {
                units.push(Unit {
                    start: i,
                    end: i,
                    header: false,
                    open: false,
                    open_string: None,
                });
                open = 0;
            }
        }
        open += flow_depth(line);
        if let Some(u) = units.last_mut() {
            // A line at the margin that is no key (`title:标题`,
            // `title：标题`) is read as a value that may run on into the
            // next key.
            u.open = open > 0 || !yaml_key_and_colon(&lines[u.start]).is_some_and(|(_, c)| c);
        }
    }
    units
}

/// The key a YAML line at the margin starts (`title:`, or `title：` typed
/// with a Chinese input method).
pub(super) fn yaml_key(line: &str) -> Option<&str> {
    yaml_key_and_colon(line).map(|(k, _)| k)
}

/// The key a line at the margin starts, and whether it is followed by a
/// colon YAML reads as one (not a full-width ：).
fn yaml_key_and_colon(line: &str) -> Option<(&str, bool)> {
    if line.starts_with(['-', '#', '[', '{', ' ', '\t']) {
        return None;
    }
    let (end, c) = line.char_indices().find(|&(i, c)| {
        c == '：' || (c == ':' && line[i + 1..].chars().next().is_none_or(char::is_whitespace))
    })?;
    let key = line[..end].trim().trim_matches(['"', '\'']);
    (!key.is_empty()).then_some((key, c == ':'))
}

/// How many `[` and `{` a YAML line leaves open (quoted text and comments
/// left aside).
fn flow_depth(line: &str) -> i64 {
    let mut depth = 0;
    let mut quote = None;
    let mut prev = ' ';
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if prev.is_whitespace() => break,
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            _ => {}
        }
        prev = c;
    }
    depth
}

/// Recovery for YAML: a broken top-level key is taken out whole.
pub(super) struct Yaml;

impl Grammar for Yaml {
    fn parse(&self, text: &str, first: usize) -> Result<Table, ParseError> {
        super::yaml::parse_yaml(text, first)
    }

    fn units(&self, lines: &[String]) -> Vec<Unit> {
        yaml_units(lines)
    }

    fn take_out(&mut self, lines: &mut [String], unit: &Unit) {
        for l in &mut lines[unit.start..=unit.end] {
            l.clear();
        }
    }

    fn caused_by_recovery(&mut self, _: &mut [String], _: usize) -> bool {
        // Emptying whole top-level keys leaves every other key as it was.
        false
    }

    fn gaps(&self, original: &[&str], _: &[String], taken: &[Unit]) -> Gaps {
        let mut gaps = Gaps::default();
        for u in taken {
            // `title:标题` (no space) names its key too.
            let bare = original[u.start]
                .trim_start()
                .split(':')
                .next()
                .filter(|k| {
                    !k.is_empty()
                        && k.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                });
            match yaml_key(original[u.start]).or(bare) {
                Some(k) => gaps.fields.push(k.to_string()),
                None => gaps.unknown = true,
            }
            // A key indented by a Tab is read as part of the unit above it
            // (`\tagency: scjg` under `date:`): taken out with it, it is
            // not missing either.
            for line in original.iter().take(u.end + 1).skip(u.start + 1) {
                if line.starts_with('\t')
                    && let Some(k) = yaml_key(line.trim_start())
                {
                    gaps.fields.push(k.to_string());
                }
            }
        }
        gaps
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A text as recovery holds it, line by line.
    pub(in super::super) fn lines(s: &str) -> Vec<String> {
        s.split('\n').map(String::from).collect()
    }

    #[test]
    fn yaml_units_are_top_level_keys_with_their_blocks() {
        let ls = lines(
            "title: a\n# 注释\nitems:\n  - id: x\n    basis: y\n\ntags: [a,\nb]\nkind: [x\nlevel: high\n",
        );
        let spans: Vec<(usize, usize)> = yaml_units(&ls).iter().map(|u| (u.start, u.end)).collect();
        // `b]` closes the array above; `level:` starts a key even with `[x` open.
        assert_eq!(spans, [(0, 0), (2, 4), (6, 7), (8, 8), (9, 9)]);
        assert_eq!(yaml_key("title：标题"), Some("title"));
        assert_eq!(yaml_key("\"a b\": 1"), Some("a b"));
        assert_eq!(yaml_key("url: http://x"), Some("url"));
        assert_eq!(yaml_key("- a"), None);
        assert_eq!(yaml_key("just text"), None);
    }

    #[test]
    fn yaml_recovers_key_by_key() {
        let raw = "title：标题\ndate: 2025-05-01\nsummary: \"使用\"最佳\"等\"\nagency: scjg\n\
                   tags: [a, b\nkind: x\nitems:\n  - id: a\n    basis: \"x\n  - id: b\n";
        let r = recover(&mut Yaml, raw, 2);
        let at: Vec<(usize, usize)> = r.errors.iter().map(|e| (e.line, e.col)).collect();
        assert_eq!(at, [(2, 6), (4, 13), (6, 12), (10, 12)], "{:?}", r.errors);
        assert!(
            r.errors[0].message.contains("的 ： 是全角"),
            "{:?}",
            r.errors[0]
        );
        assert!(
            r.errors[1].message.contains("提前结束"),
            "{:?}",
            r.errors[1]
        );
        assert!(
            r.errors[2].message.contains("数组缺少英文逗号或 ]"),
            "{:?}",
            r.errors[2]
        );
        let table = r.table.expect("recovered");
        let keys: Vec<&str> = table.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["date", "agency", "kind"]);
        assert_eq!(r.gaps.fields, ["title", "summary", "tags", "items"]);
        assert!(!r.gaps.unknown);
        // Line for line: the kept keys are where they were.
        assert_eq!(r.text.lines().nth(5), Some("kind: x"));
    }

    #[test]
    fn yaml_errors_that_need_two_keys_belong_to_the_second() {
        // A duplicate and an alias are wrong only beside another key: the
        // later key is taken out, the earlier kept.
        let r = recover(&mut Yaml, "a: &x [1]\nb: 2\na: 3\nc: *x\n", 1);
        let at: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        assert_eq!(at, [3, 4], "{:?}", r.errors);
        let table = r.table.expect("recovered");
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn more_than_the_cap_says_so_and_gives_up() {
        let raw: String = (0..15).map(|i| format!("k{i}: \"a\"b\"\n")).collect();
        let r = recover(&mut Yaml, &raw, 1);
        assert_eq!(r.errors.len(), MAX_ERRORS + 1);
        assert_eq!(r.errors[MAX_ERRORS].message, MORE);
        assert_eq!(r.errors[MAX_ERRORS].line, 11);
        assert!(r.table.is_none());
    }
}
