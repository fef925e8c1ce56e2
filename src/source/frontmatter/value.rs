//! The value tree both syntaxes land in, and what points into it: the
//! syntax, the parsed block with its first line, a located parse error.

use crate::date::Date;

/// A front-matter value, independent of the syntax it came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(Date),
    /// A TOML date-time whose date part is given; the time is kept for display.
    DateTime(Date, String),
    /// A TOML time without a date, or a YAML null: present but not usable.
    Other(&'static str),
    Array(Vec<Value>),
    Table(Table),
}

/// An ordered table (source order is kept: registries are declared in order).
pub type Table = Vec<(String, Value)>;

impl Value {
    /// The word a clerk would use for this value's type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "字符串",
            Value::Int(_) => "整数",
            Value::Float(_) => "小数",
            Value::Bool(_) => "布尔值",
            Value::Date(_) | Value::DateTime(..) => "日期",
            Value::Other(what) => what,
            Value::Array(_) => "数组",
            Value::Table(_) => "表",
        }
    }

    /// Converts to JSON, for `extra` keys of plain pages.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Str(s) => s.clone().into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Bool(b) => (*b).into(),
            Value::Date(d) => d.to_string().into(),
            Value::DateTime(_, s) => s.clone().into(),
            Value::Other(_) => serde_json::Value::Null,
            Value::Array(a) => a.iter().map(Value::to_json).collect(),
            Value::Table(t) => t
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// Which syntax a front-matter block uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Yaml,
}

/// A parsed front-matter block and what is needed to point into it.
#[derive(Debug)]
pub struct FrontMatter {
    pub syntax: Syntax,
    pub table: Table,
    /// The raw block, without delimiters.
    pub raw: String,
    /// 1-based file line of the block's first line.
    pub first_line: usize,
    /// What recovery from syntax errors left out (empty when the block
    /// parsed as written).
    pub gaps: Gaps,
}

/// What recovery from syntax errors took out of a block: the fields whose
/// lines were taken out, so that no check reports them missing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gaps {
    /// Field names as diagnostics write them (`kind`, `items[2].basis`).
    pub fields: Vec<String>,
    /// Something was taken out whose keys cannot be told (a table header
    /// that could not be mended, a string left open over other keys): any
    /// field may be missing because of it.
    pub unknown: bool,
}

impl Gaps {
    /// Whether field `field` may be missing only because recovery took a
    /// line out: its own, the table's holding it (`search` for
    /// `search.hot_words`), or one of its own keys' (`extra` for
    /// `extra.colour`, written as a dotted key).
    pub fn cover(&self, field: &str) -> bool {
        let within = |inner: &str, outer: &str| {
            inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        };
        self.unknown
            || self
                .fields
                .iter()
                .any(|f| within(field, f) || within(f, field))
    }
}

/// A problem found while splitting or parsing, at a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// How deep front matter may nest (a table in an array in a table…). Real
/// front matter goes three or four levels deep; TOML stops itself at 80.
/// The bound keeps every recursive walk over a [`Value`] (validation,
/// `to_json`, drop) far from the end of a thread's stack.
pub const MAX_DEPTH: usize = 64;

/// Drops control characters other than tab and line breaks: they have no
/// business in a title or a field, and HTML and XML cannot show them.
pub(super) fn strip_controls(s: String) -> String {
    // Every control character starts with a byte below 0x20, 0x7F (DEL)
    // or 0xC2 (U+0080–U+009F): text without one is kept without decoding.
    let maybe = s.bytes().any(|b| b < 0x20 || b == 0x7F || b == 0xC2);
    if maybe
        && s.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        s.chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect()
    } else {
        s
    }
}
