//! The list document an import writes: its front matter from the existing
//! file (every key kept, the managed ones replaced) or from the command's
//! flags, each checked against `site.toml`'s registries; the items; the
//! existing body. Written only if it passes `check`'s own validation, and
//! through a temporary file renamed over the target.

use std::path::Path;

use toml::{Table, Value};

use super::ImportError;
use crate::config::{Config, Registry};
use crate::content::{Item, Parsed, Typed};
use crate::date::Date;

/// Front matter given on the command line; each replaces the file's own.
#[derive(Clone, Debug, Default)]
pub struct Meta {
    pub title: Option<String>,
    pub agency: Option<String>,
    pub kind: Option<String>,
    pub date: Option<String>,
    pub effective: Option<String>,
    pub expires: Option<String>,
    pub doc_number: Option<String>,
    pub index_number: Option<String>,
}

/// The front matter as it will be written, checked.
#[derive(Clone, Debug)]
pub(super) struct Resolved {
    pub(super) title: Option<String>,
    pub(super) agency: String,
    pub(super) kind: String,
    pub(super) dates: Vec<(&'static str, Date)>,
    pub(super) texts: Vec<(&'static str, String)>,
}

/// The list being revised.
pub(super) struct Existing {
    pub(super) table: Table,
    pub(super) body: String,
    pub(super) items: Vec<Item>,
    /// Comment lines of its front matter (`# …`): the revision is written
    /// anew, without them, and the clerk is told which.
    pub(super) comments: Vec<(usize, String)>,
}

fn target_error(target: &Path, message: String, hint: Option<String>) -> ImportError {
    ImportError::file(target)(message, hint)
}

impl Existing {
    /// The target's front matter, items and body; `None` if there is no
    /// target yet.
    pub(super) fn read(
        root: &Path,
        target: &Path,
        config: &Config,
    ) -> Result<Option<Existing>, ImportError> {
        if !target.exists() {
            return Ok(None);
        }
        let raw =
            crate::fs::read_text(target).map_err(|e| ImportError::plain(e.to_string(), None))?;
        let text = crate::source::frontmatter::normalize(&raw);
        let split = crate::source::frontmatter::split(&text).map_err(|e| {
            target_error(target, format!("第 {} 行：{}", e.line, e.message), e.hint)
        })?;
        if split.syntax != crate::source::frontmatter::Syntax::Toml {
            return Err(target_error(
                target,
                "这份清单的前置元数据是 YAML（---）；导入只能修订 TOML（+++）格式的清单".into(),
                Some("请先把前置元数据改写为 TOML，或导入到一个新文件".into()),
            ));
        }
        let table: Table = toml::from_str(split.front).map_err(|_| {
            // The error in the words and lines `check` uses.
            let (line, message) =
                match crate::source::frontmatter::parse_toml(split.front, split.front_line) {
                    Err(e) => (e.line, e.message),
                    Ok(_) => (split.front_line, "前置元数据无法解析".into()),
                };
            target_error(
                target,
                format!("第 {line} 行：{message}"),
                Some("请先改正它（gongshi check 会列出这份文件的全部问题），再导入修订".into()),
            )
        })?;
        let (rel, below) = paths(root, target)?;
        let (parsed, _) = crate::content::parse_text(&raw, &rel, &below, config);
        let items = match parsed {
            Some(Parsed::Doc(d)) => match &d.typed {
                Typed::List { items, .. } => items.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let comments = split
            .front
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with('#'))
            .map(|(n, l)| (split.front_line + n, l.trim().to_string()))
            .collect();
        Ok(Some(Existing {
            table,
            body: split.body.to_string(),
            items,
            comments,
        }))
    }
}

/// `target`'s path from the root and below `content/`; it must be a list.
fn paths(root: &Path, target: &Path) -> Result<(String, String), ImportError> {
    let rel = crate::diag::rel(root, target);
    match rel.strip_prefix("content/") {
        Some(below) if below.starts_with("lists/") && below.ends_with(".md") => {
            Ok((rel.clone(), below.to_string()))
        }
        _ => Err(target_error(
            target,
            "目标文件须在站点的 content/lists/ 目录中，并以 .md 结尾".into(),
            Some("例如 gongshi import 清单.xlsx scjg/2025-exempt（即 content/lists/scjg/2025-exempt.md）".into()),
        )),
    }
}

/// A registry value given as its key or its name; the key.
fn term(
    value: &str,
    reg: &Registry,
    flag: &str,
    what: &str,
    table: &str,
) -> Result<String, ImportError> {
    let v = value.trim();
    if let Some(t) = reg.terms.iter().find(|t| t.key == v || t.name == v) {
        return Ok(t.key.clone());
    }
    let known: Vec<String> = reg
        .terms
        .iter()
        .map(|t| format!("{}（{}）", t.key, t.name))
        .collect();
    Err(ImportError::plain(
        format!("{flag} “{v}” 不是 site.toml 中登记的{what}"),
        Some(if known.is_empty() {
            format!("site.toml 中还没有 [{table}]，请先登记")
        } else {
            format!("可用的{what}：{}", known.join("、"))
        }),
    ))
}

/// The front matter: flags over the file's values, checked.
pub(super) fn resolve(
    meta: &Meta,
    existing: Option<&Existing>,
    config: &Config,
) -> Result<Resolved, ImportError> {
    let old = |key: &str| {
        existing
            .and_then(|e| e.table.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let agency = match (&meta.agency, old("agency")) {
        (Some(a), _) => term(a, &config.agencies, "--agency", "发布机构", "agencies")?,
        (None, Some(a)) => a,
        (None, None) => {
            return Err(ImportError::plain(
                "缺少发布机构：新建清单须给出 --agency".into(),
                Some(format!(
                    "可用的发布机构：{}",
                    config
                        .agencies
                        .terms
                        .iter()
                        .map(|t| format!("{}（{}）", t.key, t.name))
                        .collect::<Vec<_>>()
                        .join("、")
                )),
            ));
        }
    };
    let kind = match (&meta.kind, old("kind")) {
        (Some(k), _) => term(k, &config.list_kinds, "--kind", "清单类别", "list_kinds")?,
        (None, Some(k)) => k,
        (None, None) => {
            return Err(ImportError::plain(
                "缺少清单类别：新建清单须给出 --kind".into(),
                Some(format!(
                    "可用的清单类别：{}",
                    config
                        .list_kinds
                        .terms
                        .iter()
                        .map(|t| format!("{}（{}）", t.key, t.name))
                        .collect::<Vec<_>>()
                        .join("、")
                )),
            ));
        }
    };
    let mut dates = Vec::new();
    for (flag, key, value) in [
        ("--date", "date", &meta.date),
        ("--effective", "effective", &meta.effective),
        ("--expires", "expires", &meta.expires),
    ] {
        if let Some(v) = value {
            let d = Date::parse(v).map_err(|why| {
                ImportError::plain(
                    format!("{flag} {why}"),
                    Some(format!("例如 {flag} 2025-03-01")),
                )
            })?;
            dates.push((key, d));
        }
    }
    let mut texts = Vec::new();
    for (key, value) in [
        ("doc_number", &meta.doc_number),
        ("index_number", &meta.index_number),
    ] {
        if let Some(v) = value.as_ref().filter(|v| !v.trim().is_empty()) {
            texts.push((key, v.trim().to_string()));
        }
    }
    Ok(Resolved {
        title: meta
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .or_else(|| old("title")),
        agency,
        kind,
        dates,
        texts,
    })
}

fn toml_date(d: Date) -> Value {
    d.to_string()
        .parse::<toml::value::Datetime>()
        .map_or_else(|_| Value::String(d.to_string()), Value::Datetime)
}

/// The whole document's text.
pub(super) fn document(
    meta: &Resolved,
    title: &str,
    existing: Option<&Existing>,
    items: &[Item],
    today: Date,
) -> String {
    let mut table = Table::new();
    // The managed keys first, in the order `gongshi new` writes them, then
    // every other key of the existing file in its order.
    table.insert("title".into(), Value::String(title.to_string()));
    let old = existing.map(|e| &e.table);
    let date = meta
        .dates
        .iter()
        .find(|(k, _)| *k == "date")
        .map(|&(_, d)| toml_date(d))
        .or_else(|| old.and_then(|t| t.get("date")).cloned())
        .unwrap_or_else(|| toml_date(today));
    table.insert("date".into(), date);
    table.insert("agency".into(), Value::String(meta.agency.clone()));
    table.insert("kind".into(), Value::String(meta.kind.clone()));
    for (k, v) in &meta.texts {
        table.insert((*k).into(), Value::String(v.clone()));
    }
    for (k, d) in &meta.dates {
        if *k != "date" {
            table.insert((*k).into(), toml_date(*d));
        }
    }
    if let Some(old) = old {
        for (k, v) in old {
            if !table.contains_key(k) && k != "items" && k != "categories" {
                table.insert(k.clone(), v.clone());
            }
        }
    }
    let mut categories: Vec<&str> = Vec::new();
    for it in items {
        if !it.category.is_empty() && !categories.contains(&it.category.as_str()) {
            categories.push(&it.category);
        }
    }
    if !categories.is_empty() {
        table.insert(
            "categories".into(),
            Value::Array(
                categories
                    .iter()
                    .map(|c| Value::String((*c).into()))
                    .collect(),
            ),
        );
    }
    let front = toml::to_string(&table).unwrap_or_default();
    let mut out = String::with_capacity(front.len() + items.len() * 600);
    out.push_str("+++\n");
    out.push_str(&front);
    for it in items {
        out.push_str("\n[[items]]\n");
        for (key, value) in [
            ("id", it.id.as_str()),
            ("no", &it.no),
            ("category", &it.category),
            ("violation", &it.violation),
            ("basis", &it.basis),
            ("penalty_basis", &it.penalty_basis),
            ("conditions", &it.conditions),
            ("handling", &it.handling),
            ("note", &it.note),
            ("summary", &it.summary),
        ] {
            if value.is_empty()
                && !matches!(
                    key,
                    "id" | "violation" | "basis" | "conditions" | "handling"
                )
            {
                continue;
            }
            out.push_str(key);
            out.push_str(" = ");
            out.push_str(&string(value));
            out.push('\n');
        }
        if !it.industries.is_empty() {
            let keys: Vec<String> = it.industries.iter().map(|k| string(k)).collect();
            out.push_str(&format!("industries = [{}]\n", keys.join(", ")));
        }
    }
    out.push_str("+++\n");
    match existing {
        Some(e) => out.push_str(&e.body),
        None => out.push('\n'),
    }
    out
}

/// A TOML string: basic on one line, or a multi-line basic string for text
/// with line breaks (so the file reads like the table's cell). A line of
/// the cell starting with `+++` gets its first `+` escaped (`\u002B`): as
/// written it would end the front matter.
pub(super) fn string(s: &str) -> String {
    let escape = |c: char, out: &mut String, multiline: bool| match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\n' if multiline => out.push('\n'),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
        c => out.push(c),
    };
    let mut out = String::with_capacity(s.len() + 8);
    if s.contains('\n') {
        out.push_str("\"\"\"\n");
        for (n, line) in s.split('\n').enumerate() {
            if n > 0 {
                out.push('\n');
            }
            let line = match line.strip_prefix('+') {
                Some(rest) if line.starts_with("+++") => {
                    out.push_str("\\u002B");
                    rest
                }
                _ => line,
            };
            for c in line.chars() {
                escape(c, &mut out, true);
            }
        }
        out.push_str("\"\"\"");
    } else {
        out.push('"');
        for c in s.chars() {
            escape(c, &mut out, false);
        }
        out.push('"');
    }
    out
}

/// Validates `text` as `check` would, then writes it over `target` in one
/// step; nothing is written if it does not pass.
pub(super) fn write_checked(
    root: &Path,
    target: &Path,
    text: &str,
    config: &Config,
) -> Result<(), ImportError> {
    let (rel, below) = paths(root, target)?;
    let (_, diags) = crate::content::parse_text(text, &rel, &below, config);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() {
        return Err(ImportError::plain(
            format!(
                "导入结果没有通过检查，未写入任何文件：\n{}",
                errors.join("\n")
            ),
            None,
        ));
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    crate::fs::create_dir_all(dir).map_err(|e| ImportError::plain(e.to_string(), None))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.import-{}", std::process::id()));
    crate::fs::write(&temp, text.as_bytes()).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        ImportError::plain(e.to_string(), None)
    })?;
    crate::fs::rename(&temp, target).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        ImportError::plain(e.to_string(), None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_through_toml() {
        for s in [
            "普通",
            "说\"明\"",
            "多\n行\n\"\"\"",
            "a\\b\tc",
            "尾\n",
            "占道\n+++\n经营",
            "+++\n++++ 加号",
        ] {
            let doc = format!("v = {}", string(s));
            let t: Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
            // A multi-line string's first line break is not part of it.
            assert_eq!(t["v"].as_str(), Some(s), "{doc}");
        }
    }

    #[test]
    fn a_cell_line_of_plus_signs_cannot_end_the_front_matter() {
        let doc = format!("+++\nv = {}\n+++\n正文\n", string("占道\n+++\n经营"));
        let split = crate::source::frontmatter::split(&doc).expect("split");
        let t: Table = toml::from_str(split.front).expect("toml");
        assert_eq!(t["v"].as_str(), Some("占道\n+++\n经营"));
        assert_eq!(split.body, "正文\n");
    }
}
