//! Splitting a source file into front matter and body, and parsing the front
//! matter (TOML between `+++`, YAML between `---`) into one value tree.
//!
//! Both syntaxes land in [`Value`], so validation is written once. Positions
//! are lines of the *file*: the front-matter block's offset is added to every
//! parser position, and [`FrontMatter::locate`] finds the line of a key path
//! (`items[2].basis`) so that type and registry errors point at the field.

use crate::date::Date;

mod locate;
mod toml;
mod yaml;

pub use self::locate::{Seg, line_col, locate_in};
pub use self::toml::parse_toml;

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
}

/// A source file cut in two.
#[derive(Debug)]
pub struct Split<'a> {
    pub syntax: Syntax,
    pub front: &'a str,
    /// 1-based file line of `front`'s first line.
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based file line of `body`'s first line.
    pub body_line: usize,
}

/// A problem found while splitting or parsing, at a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Removes a BOM and turns CRLF (and lone CR) line ends into LF.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Cuts a normalized file into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, ParseError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end();
    let (syntax, delim) = match first {
        "+++" => (Syntax::Toml, "+++"),
        "---" => (Syntax::Yaml, "---"),
        _ => {
            let hint = if text.trim().is_empty() {
                "文件是空的。请以 +++ 开头写前置元数据，例如：\n  +++\n  title = \"标题\"\n  +++"
            } else {
                "文件第一行应为 +++（TOML）或 ---（YAML），前置元数据写在两行分隔符之间"
            };
            return Err(ParseError {
                line: 1,
                col: 1,
                message: "缺少前置元数据".into(),
                hint: Some(hint.into()),
            });
        }
    };
    let front_start = (first_end + 1).min(text.len());
    let mut pos = front_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == delim {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                syntax,
                front: &text[front_start..pos],
                front_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(ParseError {
        line: 1,
        col: 1,
        message: format!("前置元数据没有结束：找不到第二个 {delim}"),
        hint: Some(format!("在前置元数据之后单独写一行 {delim}")),
    })
}

/// Parses a front-matter block whose first line is file line `first_line`.
pub fn parse(syntax: Syntax, raw: &str, first_line: usize) -> Result<FrontMatter, ParseError> {
    let table = match syntax {
        Syntax::Toml => parse_toml(raw, first_line)?,
        Syntax::Yaml => yaml::parse_yaml(raw, first_line)?,
    };
    Ok(FrontMatter {
        syntax,
        table,
        raw: raw.to_string(),
        first_line,
    })
}

/// How deep front matter may nest (a table in an array in a table…). Real
/// front matter goes three or four levels deep; TOML stops itself at 80.
/// The bound keeps every recursive walk over a [`Value`] (validation,
/// `to_json`, drop) far from the end of a thread's stack.
pub const MAX_DEPTH: usize = 64;

/// Drops control characters other than tab and line breaks: they have no
/// business in a title or a field, and HTML and XML cannot show them.
fn strip_controls(s: String) -> String {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        s.chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!(
            (s.syntax, s.front, s.body, s.body_line),
            (Syntax::Toml, "title = \"a\"\n", "body\n", 4)
        );
        let s = split("---\ntitle: a\n---\n").unwrap();
        assert_eq!(
            (s.syntax, s.front, s.body),
            (Syntax::Yaml, "title: a\n", "")
        );
        let s = split("+++\n+++").unwrap();
        assert_eq!((s.front, s.body), ("", ""));
    }

    #[test]
    fn split_errors() {
        assert_eq!(split("").unwrap_err().message, "缺少前置元数据");
        assert_eq!(split("# 标题\n").unwrap_err().message, "缺少前置元数据");
        assert!(
            split("+++\ntitle = 1\n")
                .unwrap_err()
                .message
                .contains("没有结束")
        );
    }

    #[test]
    fn normalizes_bom_and_crlf() {
        assert_eq!(normalize("\u{feff}+++\r\na\r\n"), "+++\na\n");
    }
}
