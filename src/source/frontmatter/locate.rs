//! Positions in front matter: byte offsets to lines and columns, and a key
//! path (`items[2].basis`) to the line and column where the text writes it,
//! for TOML and YAML alike.

use super::value::{FrontMatter, Syntax};

/// 0-based line and 0-based character column of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count())
}

/// One step of a key path: a key, or an index into an array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl FrontMatter {
    /// The file line and column of a key path, as near as the text allows:
    /// the key's own line when it can be found, else its parent's, else the
    /// block's first line.
    pub fn locate(&self, path: &[Seg<'_>]) -> (usize, usize) {
        (1..=path.len())
            .rev()
            .find_map(|n| locate_in(&self.raw, self.syntax, &path[..n]))
            .map_or((self.first_line, 1), |(l, c)| (self.first_line + l, c + 1))
    }
}

/// Finds a key path in raw TOML or YAML text; 0-based (line, column).
pub fn locate_in(raw: &str, syntax: Syntax, path: &[Seg<'_>]) -> Option<(usize, usize)> {
    let lines: Vec<&str> = raw.split('\n').collect();
    match syntax {
        Syntax::Toml => locate_toml(&lines, path),
        Syntax::Yaml => locate_yaml(&lines, path),
    }
}

fn key_of_toml_line(line: &str) -> Option<&str> {
    let t = line.trim_start();
    if t.starts_with('[') || t.starts_with('#') {
        return None;
    }
    let eq = t.find('=')?;
    Some(t[..eq].trim().trim_matches('"').trim_matches('\''))
}

fn table_header(line: &str) -> Option<(bool, String)> {
    let t = line.trim();
    if let Some(inner) = t.strip_prefix("[[") {
        let end = inner.find("]]")?;
        return Some((true, normalize_header(&inner[..end])));
    }
    let inner = t.strip_prefix('[')?;
    let end = inner.find(']')?;
    Some((false, normalize_header(&inner[..end])))
}

fn normalize_header(h: &str) -> String {
    h.split('.')
        .map(|p| p.trim().trim_matches('"').trim_matches('\''))
        .collect::<Vec<_>>()
        .join(".")
}

fn col_of(line: &str, needle: &str) -> usize {
    line.find(needle).map_or(0, |i| line[..i].chars().count())
}

fn locate_toml(lines: &[&str], path: &[Seg<'_>]) -> Option<(usize, usize)> {
    locate_toml_as(lines, path, false).or_else(|| locate_toml_as(lines, path, true))
}

/// With `all_header`, every key of `path` names the table header
/// (`[agencies.scjg]`); otherwise the last key is a field inside it.
fn locate_toml_as(lines: &[&str], path: &[Seg<'_>], all_header: bool) -> Option<(usize, usize)> {
    let Some(Seg::Key(first)) = path.first() else {
        return None;
    };
    // The top-level key itself, before any table header.
    let mut header: Option<(bool, String)> = None;
    let mut parent_line = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(h) = table_header(line) {
            header = Some(h);
            continue;
        }
        if header.is_none() && key_of_toml_line(line) == Some(first) {
            parent_line = Some((i, col_of(line, first)));
            break;
        }
    }
    // `[[items]]` arrays of tables, `[agencies.scjg]` tables: walk headers.
    let mut want_header = String::from(*first);
    let mut index = None;
    let mut rest = &path[1..];
    if let Some(Seg::Index(n)) = rest.first() {
        index = Some(*n);
        rest = &rest[1..];
    }
    while let Some(Seg::Key(k)) = rest.first() {
        if rest.len() == 1 && !all_header {
            break;
        }
        want_header.push('.');
        want_header.push_str(k);
        rest = &rest[1..];
    }
    let mut seen = 0usize;
    for (i, line) in lines.iter().enumerate() {
        let Some((is_array, h)) = table_header(line) else {
            continue;
        };
        if h != want_header {
            continue;
        }
        if is_array && index.is_some_and(|n| n != seen) {
            seen += 1;
            continue;
        }
        let here = (i, col_of(line, "["));
        let Some(Seg::Key(field)) = rest.first() else {
            return Some(here);
        };
        for (j, l) in lines.iter().enumerate().skip(i + 1) {
            if table_header(l).is_some() {
                break;
            }
            if key_of_toml_line(l) == Some(field) {
                return Some((j, col_of(l, field)));
            }
        }
        return Some(here);
    }
    if all_header {
        return None;
    }
    // An element of an inline array (`revisions = [{ date = … }, …]`),
    // which may span lines.
    if let (Some((line, col)), Some(n)) = (parent_line, index) {
        let field = match rest.first() {
            Some(Seg::Key(k)) => Some(*k),
            _ => None,
        };
        if let Some(at) = locate_inline(lines, line, col, n, field) {
            return Some(at);
        }
    }
    parent_line
}

/// Element `n` of the inline array whose key is at (`line`, `col`), or the
/// key `field` of that element when it is an inline table; 0-based.
fn locate_inline(
    lines: &[&str],
    line: usize,
    col: usize,
    n: usize,
    field: Option<&str>,
) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut seen = 0usize;
    // Inside the wanted element, and where it starts.
    let mut element: Option<(usize, usize)> = None;
    // At depth 1 (array) or 2 (the element's table): a new element or key may start.
    let mut expect = false;
    let mut started = false;
    for (i, l) in lines.iter().enumerate().skip(line) {
        let chars: Vec<char> = l.chars().collect();
        let mut c = if i == line { col } else { 0 };
        if i == line {
            // Past `key =`.
            c = chars
                .iter()
                .skip(c)
                .position(|&ch| ch == '=')
                .map(|p| c + p + 1)?;
        }
        while c < chars.len() {
            let ch = chars[c];
            match ch {
                '#' => break,
                ' ' | '\t' | '\r' => {}
                '"' | '\'' => {
                    if depth == 1 && expect {
                        if seen == n {
                            return Some((i, c));
                        }
                        seen += 1;
                        expect = false;
                    }
                    // Skip the string (basic strings may escape quotes).
                    let mut k = c + 1;
                    while k < chars.len() && chars[k] != ch {
                        if ch == '"' && chars[k] == '\\' {
                            k += 1;
                        }
                        k += 1;
                    }
                    c = k;
                }
                '[' | '{' => {
                    if depth == 1 && expect {
                        if seen == n {
                            if ch == '[' || field.is_none() {
                                return Some((i, c));
                            }
                            element = Some((i, c));
                        }
                        seen += 1;
                        expect = false;
                    }
                    if !started && ch == '[' {
                        started = true;
                        expect = true;
                    } else if element.is_some() && depth == 1 {
                        expect = true;
                    }
                    depth += 1;
                }
                ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 1 && element.is_some() {
                        return element;
                    }
                    if depth == 0 {
                        return None;
                    }
                }
                ',' => expect = depth == 1 || (depth == 2 && element.is_some()),
                _ => {
                    if depth == 2 && expect {
                        if let (Some(_), Some(f)) = (element, field) {
                            let rest: String = chars[c..].iter().collect();
                            let key = rest.split('=').next().unwrap_or("").trim();
                            if key.trim_matches('"') == f {
                                return Some((i, c));
                            }
                        }
                        expect = false;
                    } else if depth == 1 && expect {
                        if seen == n {
                            return Some((i, c));
                        }
                        seen += 1;
                        expect = false;
                    }
                }
            }
            c += 1;
        }
        if !started {
            return None;
        }
    }
    element
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn yaml_key(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    if t.starts_with('#') {
        return None;
    }
    let colon = t.find(':')?;
    let rest = &t[colon + 1..];
    (rest.is_empty() || rest.starts_with(' '))
        .then(|| t[..colon].trim().trim_matches('"').trim_matches('\''))
}

fn locate_yaml(lines: &[&str], path: &[Seg<'_>]) -> Option<(usize, usize)> {
    // Walk down: find each key at a deeper indentation than its parent.
    let mut from = 0usize;
    let mut min_indent = 0usize;
    let mut found: Option<(usize, usize)> = None;
    for seg in path {
        match seg {
            Seg::Key(k) => {
                let mut hit = None;
                for (i, line) in lines.iter().enumerate().skip(from) {
                    if line.trim().is_empty() {
                        continue;
                    }
                    if found.is_some() && i > from && indent(line) < min_indent {
                        break;
                    }
                    if yaml_key(line) == Some(k) {
                        hit = Some(i);
                        break;
                    }
                }
                let i = hit?;
                found = Some((i, col_of(lines[i], k)));
                min_indent = indent(lines[i]) + 1;
                from = i + 1;
            }
            Seg::Index(n) => {
                let mut seen = 0usize;
                let mut dash_indent = None;
                let mut hit = None;
                for (i, line) in lines.iter().enumerate().skip(from) {
                    let t = line.trim_start();
                    if t.is_empty() {
                        continue;
                    }
                    if t.starts_with("- ") || t == "-" {
                        let d = indent(line);
                        if *dash_indent.get_or_insert(d) == d {
                            if seen == *n {
                                hit = Some(i);
                                break;
                            }
                            seen += 1;
                        }
                    } else if dash_indent.is_some_and(|d| indent(line) < d)
                        && indent(line) < min_indent
                    {
                        break;
                    }
                }
                let i = hit?;
                found = Some((i, col_of(lines[i], "-")));
                // Keys of this item sit on the dash line or below it.
                from = i;
                min_indent = indent(lines[i]);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::frontmatter::parse;

    #[test]
    fn locates_keys() {
        let toml = "title = \"t\"\nkind = \"exempt\"\n\n[[items]]\nid = \"A\"\n\n[[items]]\nid = \"B\"\nbasis = \"x\"\n";
        let fm = parse(Syntax::Toml, toml, 2).unwrap();
        assert_eq!(fm.locate(&[Seg::Key("kind")]), (3, 1));
        assert_eq!(
            fm.locate(&[Seg::Key("items"), Seg::Index(1), Seg::Key("basis")]),
            (10, 1)
        );
        assert_eq!(fm.locate(&[Seg::Key("items"), Seg::Index(1)]), (8, 1));
        assert_eq!(fm.locate(&[Seg::Key("missing")]), (2, 1));
        let yaml = "title: t\nitems:\n  - id: A\n    basis: x\n  - id: B\n    basis: y\n";
        let fm = parse(Syntax::Yaml, yaml, 2).unwrap();
        assert_eq!(
            fm.locate(&[Seg::Key("items"), Seg::Index(1), Seg::Key("basis")]),
            (7, 5)
        );
        assert_eq!(
            fm.locate(&[Seg::Key("items"), Seg::Index(0), Seg::Key("id")]),
            (4, 5)
        );
        let site = "[agencies.scjg]\nname = \"x\"\n[agencies.\"a-b\"]\nnam = \"y\"\n";
        assert_eq!(
            locate_in(
                site,
                Syntax::Toml,
                &[Seg::Key("agencies"), Seg::Key("a-b"), Seg::Key("nam")]
            ),
            Some((3, 0))
        );
        assert_eq!(
            locate_in(site, Syntax::Toml, &[Seg::Key("agencies"), Seg::Key("a-b")]),
            Some((2, 0))
        );
    }

    #[test]
    fn locates_elements_of_inline_arrays() {
        let toml = "tags = [\"a, b\", \"c\"]\nrevisions = [\n  { date = 2024-06-01, note = \"x\" },\n  { date = 2024-07-01, tags = [\"y\", \"z\"], note = \"\" }, # 注\n  \"s\",\n]\n";
        let at = |path: &[Seg<'_>]| locate_in(toml, Syntax::Toml, path);
        let rev = |n, k| [Seg::Key("revisions"), Seg::Index(n), Seg::Key(k)];
        assert_eq!(at(&[Seg::Key("tags"), Seg::Index(1)]), Some((0, 16)));
        assert_eq!(at(&rev(0, "note")), Some((2, 23)));
        assert_eq!(at(&rev(1, "note")), Some((3, 42)));
        assert_eq!(at(&rev(1, "date")), Some((3, 4)));
        assert_eq!(at(&[Seg::Key("revisions"), Seg::Index(2)]), Some((4, 2)));
        // No such element: the key itself.
        assert_eq!(at(&[Seg::Key("revisions"), Seg::Index(5)]), Some((1, 0)));
    }
}
