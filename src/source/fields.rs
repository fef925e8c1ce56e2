//! Reading typed fields out of a front-matter table, with a located error
//! for every missing key, wrong type, bad date or unknown key.
//!
//! A [`Reader`] wraps one table (the document's top level, one `[[items]]`
//! entry, one registry entry…). Each accessor marks its key as used and
//! reports problems into the shared [`Ctx`]; `finish` reports the keys nobody
//! asked for, with the closest allowed names as a hint.

use std::cell::RefCell;

use super::frontmatter::{FrontMatter, Seg, Table, Value};
use crate::date::Date;
use crate::diag::{Diagnostic, closest};

/// Marks text a clerk must still replace (written by `gongshi new`).
pub const PLACEHOLDER: &str = "【请填写";

/// Where diagnostics for one file go.
pub struct Ctx<'a> {
    pub path: &'a str,
    pub fm: &'a FrontMatter,
    pub diags: RefCell<Vec<Diagnostic>>,
}

impl<'a> Ctx<'a> {
    pub fn new(path: &'a str, fm: &'a FrontMatter) -> Self {
        Ctx {
            path,
            fm,
            diags: RefCell::new(Vec::new()),
        }
    }

    /// Reports an error at a key path.
    pub fn error(&self, at: &[Seg<'_>], message: impl Into<String>, hint: Option<String>) {
        let (line, col) = self.fm.locate(at);
        let mut d = Diagnostic::error(self.path, field_name(at), message).at(line, col);
        d.hint = hint;
        self.diags.borrow_mut().push(d);
    }

    /// Reports a warning at a key path.
    pub fn warn(&self, at: &[Seg<'_>], message: impl Into<String>, hint: Option<String>) {
        let (line, col) = self.fm.locate(at);
        let mut d = Diagnostic::warning(self.path, field_name(at), message).at(line, col);
        d.hint = hint;
        self.diags.borrow_mut().push(d);
    }

    pub fn into_diags(self) -> Vec<Diagnostic> {
        self.diags.into_inner()
    }
}

/// `items[3].basis`: keys joined by dots, array positions counted from 1
/// (the third `[[items]]` block is `items[3]`).
pub fn field_name(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{}]", i + 1)),
        }
    }
    if s.is_empty() {
        "前置元数据".into()
    } else {
        s
    }
}

/// One entry of [`Reader::texts_or_tables`].
pub enum Entry<'t, 'c> {
    /// A string, and its key path.
    Text(String, Vec<Seg<'t>>),
    Table(Reader<'t, 'c>),
}

/// Typed access to one table.
pub struct Reader<'t, 'c> {
    table: &'t Table,
    prefix: Vec<Seg<'t>>,
    used: Vec<bool>,
    ctx: &'c Ctx<'c>,
}

impl<'t, 'c> Reader<'t, 'c> {
    pub fn new(table: &'t Table, prefix: Vec<Seg<'t>>, ctx: &'c Ctx<'c>) -> Self {
        Reader {
            used: vec![false; table.len()],
            table,
            prefix,
            ctx,
        }
    }

    pub fn ctx(&self) -> &'c Ctx<'c> {
        self.ctx
    }

    /// The key path of `key` in this table.
    pub fn path(&self, key: &'t str) -> Vec<Seg<'t>> {
        let mut p = self.prefix.clone();
        p.push(Seg::Key(key));
        p
    }

    pub fn error(&self, key: &'t str, message: impl Into<String>, hint: Option<String>) {
        self.ctx.error(&self.path(key), message, hint);
    }

    fn take(&mut self, key: &str) -> Option<&'t Value> {
        let i = self.table.iter().position(|(k, _)| k == key)?;
        self.used[i] = true;
        Some(&self.table[i].1)
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.iter().any(|(k, _)| k == key)
    }

    fn type_error(&self, key: &'t str, want: &str, got: &Value, example: &str) {
        self.error(
            key,
            format!("应为{want}，实际是{}", got.type_name()),
            Some(format!("例如 {key} = {example}")),
        );
    }

    /// Whether `key` may be absent only because recovery from a syntax
    /// error took its line out (then nothing is reported about its absence).
    pub fn lost(&self, key: &'t str) -> bool {
        self.ctx.fm.gaps.cover(&field_name(&self.path(key)))
    }

    /// Reports `key` as a missing required field (unless its line was
    /// taken out by recovery from a syntax error, already reported).
    pub fn missing(&self, key: &'t str, example: &str) {
        if self.lost(key) {
            return;
        }
        let mut at = self.prefix.clone();
        if at.is_empty() {
            at.push(Seg::Key(key));
        }
        let (line, col) = self.ctx.fm.locate(&at);
        let d = Diagnostic::error(
            self.ctx.path,
            field_name(&self.path(key)),
            format!("缺少必填字段 {key}"),
        )
        .at(line, col)
        .hint(format!("请添加一行：{key} = {example}"));
        self.ctx.diags.borrow_mut().push(d);
    }

    /// An optional string; `None` if absent or wrong.
    pub fn str(&mut self, key: &'t str) -> Option<String> {
        match self.take(key)? {
            Value::Str(s) if s.contains(PLACEHOLDER) => {
                self.error(
                    key,
                    format!("尚未填写：{s}"),
                    Some("请把【请填写…】替换为实际内容".into()),
                );
                None
            }
            Value::Str(s) => Some(s.clone()),
            other => {
                self.type_error(key, "文字（字符串）", other, "\"……\"");
                None
            }
        }
    }

    /// A required, non-empty string.
    pub fn req_str(&mut self, key: &'t str) -> Option<String> {
        if !self.has(key) {
            self.missing(key, "\"……\"");
            return None;
        }
        let s = self.str(key)?;
        if s.trim().is_empty() {
            self.error(key, format!("{key} 不能为空"), Some("请填写内容".into()));
            return None;
        }
        Some(s)
    }

    pub fn bool(&mut self, key: &'t str) -> Option<bool> {
        match self.take(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.type_error(key, "布尔值 true 或 false", other, "true");
                None
            }
        }
    }

    pub fn int(&mut self, key: &'t str) -> Option<i64> {
        match self.take(key)? {
            Value::Int(i) => Some(*i),
            Value::Str(s) if s.trim().parse::<i64>().is_ok() => {
                self.error(
                    key,
                    "应为整数，不要加引号",
                    Some(format!("例如 {key} = {}", s.trim())),
                );
                None
            }
            other => {
                self.type_error(key, "整数", other, "2024");
                None
            }
        }
    }

    /// An optional count: a non-negative whole number (a figure in a
    /// report). A negative number, a decimal or a quoted number is an
    /// error at the key, saying which.
    pub fn count(&mut self, key: &'t str) -> Option<u64> {
        match self.take(key)? {
            Value::Int(i) if *i >= 0 => Some(i.unsigned_abs()),
            Value::Int(i) => {
                self.error(
                    key,
                    format!("数量不能为负数，实际是 {i}"),
                    Some(format!("写成 0 或正整数，例如 {key} = 0")),
                );
                None
            }
            Value::Float(f) => {
                let hint = if f.fract() == 0.0 && *f >= 0.0 && *f < 1e15 {
                    format!("写成整数，不带小数点：{key} = {}", *f as u64)
                } else {
                    format!("数量按件、次计，写成整数，例如 {key} = 12")
                };
                self.error(key, format!("数量应为整数，实际是小数 {f:?}"), Some(hint));
                None
            }
            Value::Str(s) => {
                let digits = s.trim().replace([',', '，'], "");
                let hint = match digits.parse::<u64>() {
                    Ok(n) => format!("不要加引号和千分位：{key} = {n}"),
                    Err(_) => format!("只写数字，例如 {key} = 12"),
                };
                self.error(key, format!("数量应为整数，实际是文字“{s}”"), Some(hint));
                None
            }
            other => {
                self.type_error(key, "整数", other, "12");
                None
            }
        }
    }

    pub fn req_int(&mut self, key: &'t str) -> Option<i64> {
        if !self.has(key) {
            self.missing(key, "2024");
            return None;
        }
        self.int(key)
    }

    /// An optional date: a TOML date (or date-time), or a YAML string.
    pub fn date(&mut self, key: &'t str) -> Option<Date> {
        match self.take(key)? {
            Value::Date(d) | Value::DateTime(d, _) => Some(*d),
            Value::Str(s) => match Date::parse(s) {
                Ok(d) if self.ctx.fm.syntax == super::frontmatter::Syntax::Yaml => Some(d),
                Ok(_) => {
                    self.error(
                        key,
                        "TOML 中的日期不要加引号",
                        Some(format!("写成 {key} = {}", s.trim())),
                    );
                    None
                }
                Err(e) => {
                    self.error(key, e, Some(format!("日期写成 {key} = 2024-03-01")));
                    None
                }
            },
            other => {
                self.type_error(key, "日期", other, "2024-03-01");
                None
            }
        }
    }

    pub fn req_date(&mut self, key: &'t str) -> Option<Date> {
        if !self.has(key) {
            self.missing(key, "2024-03-01");
            return None;
        }
        self.date(key)
    }

    /// An optional list of strings (a lone string is accepted as a list of one).
    pub fn str_list(&mut self, key: &'t str) -> Vec<String> {
        match self.take(key) {
            None => Vec::new(),
            Some(Value::Str(s)) => vec![s.clone()],
            Some(Value::Array(a)) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, v) in a.iter().enumerate() {
                    match v {
                        Value::Str(s) if s.contains(PLACEHOLDER) => {
                            let mut at = self.path(key);
                            at.push(Seg::Index(i));
                            self.ctx.error(
                                &at,
                                format!("尚未填写：{s}"),
                                Some("请把【请填写…】替换为实际内容".into()),
                            );
                        }
                        Value::Str(s) => out.push(s.clone()),
                        other => {
                            let mut at = self.path(key);
                            at.push(Seg::Index(i));
                            self.ctx.error(
                                &at,
                                format!("应为文字（字符串），实际是{}", other.type_name()),
                                Some(format!("例如 {key} = [\"甲\", \"乙\"]")),
                            );
                        }
                    }
                }
                out
            }
            Some(other) => {
                self.type_error(key, "文字数组", other, "[\"甲\", \"乙\"]");
                Vec::new()
            }
        }
    }

    /// An array of tables (`[[items]]`), each as its own reader.
    pub fn tables(&mut self, key: &'t str) -> Vec<Reader<'t, 'c>> {
        match self.take(key) {
            None => Vec::new(),
            Some(Value::Array(a)) => {
                let mut out = Vec::new();
                for (i, v) in a.iter().enumerate() {
                    let mut at = self.path(key);
                    at.push(Seg::Index(i));
                    match v {
                        Value::Table(t) => out.push(Reader::new(t, at, self.ctx)),
                        other => self.ctx.error(
                            &at,
                            format!("应为表（[[{key}]] 块），实际是{}", other.type_name()),
                            None,
                        ),
                    }
                }
                out
            }
            Some(other) => {
                // The example is a header line, not `key = value`: said on
                // one line, as the terminal shows hints.
                let single = matches!(other, Value::Table(_));
                self.error(
                    key,
                    format!("应为 [[{key}]] 表数组，实际是{}", other.type_name()),
                    Some(if single {
                        format!(
                            "写成了 [{key}]：每一条都要以单独一行的 [[{key}]]（两层方括号）开头"
                        )
                    } else {
                        format!("每一条写成一个块，以单独一行的 [[{key}]] 开头，下面逐行写它的字段")
                    }),
                );
                Vec::new()
            }
        }
    }

    /// An array whose entries are each a string or a table (`attachments
    /// = ["a.pdf"]` or `[[attachments]]` blocks, mixed if need be); a lone
    /// string is a list of one. Any other entry is reported with `example`.
    pub fn texts_or_tables(&mut self, key: &'t str, example: &str) -> Vec<Entry<'t, 'c>> {
        let entry = |this: &Self, i: Option<usize>, v: &'t Value| {
            let mut at = this.path(key);
            if let Some(i) = i {
                at.push(Seg::Index(i));
            }
            match v {
                Value::Str(s) => Some(Entry::Text(s.clone(), at)),
                Value::Table(t) => Some(Entry::Table(Reader::new(t, at, this.ctx))),
                other => {
                    this.ctx.error(
                        &at,
                        format!("应为文字（字符串）或表，实际是{}", other.type_name()),
                        Some(format!("例如 {key} = {example}")),
                    );
                    None
                }
            }
        };
        match self.take(key) {
            None => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .filter_map(|(i, v)| entry(self, Some(i), v))
                .collect(),
            Some(v @ Value::Str(_)) => entry(self, None, v).into_iter().collect(),
            Some(other) => {
                self.type_error(key, "数组", other, example);
                Vec::new()
            }
        }
    }

    /// An optional plain table (`[search]`), as its own reader.
    pub fn table(&mut self, key: &'t str) -> Option<Reader<'t, 'c>> {
        match self.take(key)? {
            Value::Table(t) => Some(Reader::new(t, self.path(key), self.ctx)),
            other => {
                self.type_error(key, "表", other, &format!("\n[{key}]\n…"));
                None
            }
        }
    }

    /// A table of named tables (`[agencies.scjg]`), in source order.
    pub fn named_tables(&mut self, key: &'t str) -> Vec<(&'t str, Reader<'t, 'c>)> {
        match self.take(key) {
            None => Vec::new(),
            Some(Value::Table(t)) => {
                let mut out = Vec::new();
                for (name, v) in t {
                    let mut at = self.path(key);
                    at.push(Seg::Key(name));
                    match v {
                        Value::Table(inner) => {
                            out.push((name.as_str(), Reader::new(inner, at, self.ctx)))
                        }
                        other => self.ctx.error(
                            &at,
                            format!("应为表，实际是{}", other.type_name()),
                            Some(format!("写成 [{key}.{name}] 再换行写 name = \"名称\"")),
                        ),
                    }
                }
                out
            }
            Some(other) => {
                self.type_error(
                    key,
                    "表",
                    other,
                    &format!("\n[{key}.键名]\nname = \"名称\""),
                );
                Vec::new()
            }
        }
    }

    /// Keys not read so far (and not in `allow`), for plain pages' `extra`.
    pub fn rest(&mut self) -> Vec<(&'t str, &'t Value)> {
        let mut out = Vec::new();
        for (i, (k, v)) in self.table.iter().enumerate() {
            if !self.used[i] {
                self.used[i] = true;
                out.push((k.as_str(), v));
            }
        }
        out
    }

    /// Reports every key that was not read as unknown.
    pub fn finish(self, allowed: &[&str], what: &str) {
        for (i, (k, _)) in self.table.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let near = closest(k, allowed.iter().copied(), 1);
            let hint = match near.first() {
                Some(n) if crate::diag::edit_distance(k, n) <= 2 => {
                    format!("是不是 {n}？{what}可用的字段: {}", allowed.join(", "))
                }
                _ => format!("{what}可用的字段: {}", allowed.join(", ")),
            };
            self.error(k, format!("未知字段 {k}"), Some(hint));
        }
    }
}

/// A URL path segment a folder or file name may become.
pub fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && !s.contains("..")
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}
