//! The promise of recovery ([`super::parse_all`]), line by line: in a
//! valid block, lines broken in a clerk's ways give one error each, in
//! the statement or key they are in, and everything else stays as it was;
//! a broken key is named in the gaps (no error, and no missing field,
//! caused by recovery).

use super::{Syntax, Value, parse, parse_all};

const TOML: &str = "title = \"清单\"\ndate = 2024-02-20\nagency = \"scjg\"\n\
    tags = [\"首违不罚\", \"教育\"]\nrevisions = [\n  { date = 2024-06-01, note = \"修订\" },\n]\n\
    extra.colour = \"red\"\n\n[[items]]\nid = \"A-1\"\nviolation = \"未亮照\"\n\n\
    [[items]]\nid = \"A-2\"\nbasis = \"第三十六条\"\n[agencies.scjg]\nname = \"市市场监督管理局\"\n";

const YAML: &str = "title: 清单\ndate: 2024-02-20\nagency: scjg\ntags: [首违不罚, 教育]\n\
    industries:\n  - catering\nsummary: \"说明\"\nitems:\n  - id: A-1\n    basis: 第三十六条\n";

/// Ways a line gets broken.
const BREAKS: [fn(&str) -> String; 7] = [
    |l| l.replacen('=', "＝", 1).replacen(": ", "：", 1),
    |l| l.replacen('"', "\"\"x", 1),
    |l| l.trim_end_matches([']', ',']).to_string(),
    |l| l.replacen(['[', ']'], "［", 1),
    |l| format!("{l} \"多余\""),
    |l| l.replacen(' ', "", 1).replacen('"', "", 1),
    |l| l.replacen('"', "", 1),
];

/// The lines a statement or key starting at line `n` spans (0-based).
fn span(lines: &[&str], n: usize) -> std::ops::RangeInclusive<usize> {
    let below = lines[n + 1..]
        .iter()
        .take_while(|l| l.starts_with(' ') || l.starts_with(']'))
        .count();
    n..=n + below
}

/// Lines where a statement or key starts.
fn starts(raw: &str) -> Vec<usize> {
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with([' ', ']']))
        .map(|(n, _)| n)
        .collect()
}

/// `raw` with the lines in `broken` replaced; `None` when that is valid.
fn broken(syntax: Syntax, raw: &str, broken: &[(usize, String)]) -> Option<String> {
    let mut lines: Vec<&str> = raw.lines().collect();
    for (n, b) in broken {
        lines[*n] = b;
    }
    let text = lines.join("\n") + "\n";
    parse(syntax, &text, 2).is_err().then_some(text)
}

/// Checks recovery of `text`, broken at the lines starting `at`: one
/// error in each span, every unbroken top-level key kept as it was.
fn check(syntax: Syntax, raw: &str, text: &str, at: &[usize]) {
    let lines: Vec<&str> = raw.lines().collect();
    let whole = parse(syntax, raw, 2).unwrap().table;
    let (fm, errors) = parse_all(syntax, text, 2);
    let mut lines_hit: Vec<usize> = errors.iter().map(|e| e.line - 2).collect();
    lines_hit.sort_unstable();
    assert_eq!(lines_hit.len(), at.len(), "{text}{errors:#?}");
    for (hit, n) in lines_hit.iter().zip(at) {
        assert!(span(&lines, *n).contains(hit), "{text}{errors:#?}");
    }
    let fm = fm.expect("recovered");
    assert!(!fm.gaps.unknown, "{text}{:?}", fm.gaps);
    let broken_keys: Vec<String> = at
        .iter()
        .map(|&n| {
            let l = lines[n];
            let k = l
                .split(['=', ':', '.', '[', ']'])
                .find(|k| !k.trim().is_empty());
            k.unwrap_or("").trim().to_string()
        })
        .collect();
    for (k, v) in &whole {
        let kept = fm.table.iter().find(|(key, _)| key == k).map(|(_, v)| v);
        if broken_keys.contains(k) || matches!(v, Value::Array(_) | Value::Table(_)) {
            // A broken key, or a table a broken line is in: either kept
            // or said to be lost.
            assert!(
                kept.is_some() || fm.gaps.cover(k),
                "{k}: {text}{:?}",
                fm.gaps
            );
        } else {
            assert_eq!(kept, Some(v), "{k}: {text}{:?}", fm.table);
        }
    }
}

#[test]
fn one_broken_line_is_one_error_and_nothing_else_is_lost() {
    for (syntax, raw) in [(Syntax::Toml, TOML), (Syntax::Yaml, YAML)] {
        let lines: Vec<&str> = raw.lines().collect();
        for n in starts(raw) {
            for b in BREAKS {
                if let Some(text) = broken(syntax, raw, &[(n, b(lines[n]))]) {
                    check(syntax, raw, &text, &[n]);
                }
            }
        }
    }
}

#[test]
fn two_broken_lines_are_two_errors() {
    for (syntax, raw) in [(Syntax::Toml, TOML), (Syntax::Yaml, YAML)] {
        let lines: Vec<&str> = raw.lines().collect();
        let starts = starts(raw);
        for (i, &a) in starts.iter().enumerate() {
            for &b in &starts[i + 1..] {
                // A few of the 49 pairs of breaks (all pass; these keep
                // the test quick): the same slip twice, and mixed ones.
                for (x, y) in [(0, 0), (0, 1), (2, 4), (3, 6), (1, 2), (5, 0), (6, 5)] {
                    let (ba, bb) = (BREAKS[x](lines[a]), BREAKS[y](lines[b]));
                    // Only pairs each broken on its own.
                    if broken(syntax, raw, &[(a, ba.clone())]).is_none()
                        || broken(syntax, raw, &[(b, bb.clone())]).is_none()
                    {
                        continue;
                    }
                    let text = broken(syntax, raw, &[(a, ba), (b, bb)]).expect("broken");
                    check(syntax, raw, &text, &[a, b]);
                }
            }
        }
    }
}
