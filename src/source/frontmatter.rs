//! Splitting a source file into front matter and body, and parsing the front
//! matter (TOML between `+++`, YAML between `---`) into one value tree.
//!
//! Both syntaxes land in [`Value`], so validation is written once. Positions
//! are lines of the *file*: the front-matter block's offset is added to every
//! parser position, and [`FrontMatter::locate`] finds the line of a key path
//! (`items[2].basis`) so that type and registry errors point at the field.

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
        Syntax::Yaml => parse_yaml(raw, first_line)?,
    };
    Ok(FrontMatter {
        syntax,
        table,
        raw: raw.to_string(),
        first_line,
    })
}

/// Parses a whole TOML file (such as `site.toml`) as a table.
pub fn parse_toml(raw: &str, first_line: usize) -> Result<Table, ParseError> {
    // The parser's own tree, converted directly (about a fifth less work
    // than going through serde); anything it cannot convert, and every error, takes
    // the serde path, which words the errors.
    if let Ok(t) = toml::de::DeTable::parse(raw)
        && let Some(t) = from_de_table(t.into_inner())
    {
        return Ok(t);
    }
    match raw.parse::<toml::Table>() {
        Ok(t) => Ok(from_toml_table(t)),
        Err(e) => {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(raw, s.start));
            // The parser stops at 80 levels of `[`, `{` or dotted keys.
            let message = if e.message().contains("recurs") {
                "TOML 嵌套太深：数组或表一层套一层，超过了上限".into()
            } else {
                format!("TOML 语法错误：{}", e.message().trim())
            };
            Err(ParseError {
                line: first_line + line,
                col: col + 1,
                message,
                hint: Some(toml_hint(e.message())),
            })
        }
    }
}

fn toml_hint(message: &str) -> String {
    if message.contains("recurs") {
        "只需几层：键 = 值、数组 [ ] 和表 { }；请检查是否多写或漏写了括号".into()
    } else if message.contains("duplicate key") {
        "同一个键只能出现一次".into()
    } else if message.contains("invalid string") || message.contains("string") {
        "文字要写在英文双引号里，例如 title = \"标题\"".into()
    } else if message.contains("date") || message.contains("time") {
        "日期写成 2024-03-01（不加引号）".into()
    } else {
        "请对照 TOML 格式检查这一行：键 = 值，文字加英文双引号，数组用 [ ]".into()
    }
}

fn from_de_table(t: toml::de::DeTable<'_>) -> Option<Table> {
    t.into_iter()
        .map(|(k, v)| Some((k.into_inner().into_owned(), from_de(v.into_inner())?)))
        .collect()
}

fn from_de(v: toml::de::DeValue<'_>) -> Option<Value> {
    use toml::de::DeValue;
    Some(match v {
        DeValue::String(s) => Value::Str(strip_controls(s.into_owned())),
        DeValue::Integer(i) => Value::Int(i64::from_str_radix(i.as_str(), i.radix()).ok()?),
        DeValue::Float(f) => {
            let x: f64 = f.as_str().parse().ok()?;
            if x.is_infinite() && !f.as_str().contains("inf") {
                return None;
            }
            Value::Float(x)
        }
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(dt) => from_toml(toml::Value::Datetime(dt)),
        DeValue::Array(a) => Value::Array(
            a.into_iter()
                .map(|v| from_de(v.into_inner()))
                .collect::<Option<_>>()?,
        ),
        DeValue::Table(t) => Value::Table(from_de_table(t)?),
    })
}

fn from_toml_table(t: toml::Table) -> Table {
    t.into_iter().map(|(k, v)| (k, from_toml(v))).collect()
}

fn from_toml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::Str(strip_controls(s)),
        toml::Value::Integer(i) => Value::Int(i),
        toml::Value::Float(f) => Value::Float(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(dt) => match dt.date {
            Some(d) => match Date::new(i32::from(d.year), d.month, d.day) {
                Some(date) if dt.time.is_none() => Value::Date(date),
                Some(date) => Value::DateTime(date, dt.to_string()),
                None => Value::Other("不存在的日期"),
            },
            None => Value::Other("时间（缺少日期）"),
        },
        toml::Value::Array(a) => Value::Array(a.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => Value::Table(from_toml_table(t)),
    }
}

/// How deep front matter may nest (a table in an array in a table…). Real
/// front matter goes three or four levels deep; TOML stops itself at 80.
/// The bound keeps every recursive walk over a [`Value`] (validation,
/// `to_json`, drop) far from the end of a thread's stack.
pub const MAX_DEPTH: usize = 64;

const ALIAS: &str = "不支持 YAML 别名（*名称）和锚点（&名称）";
const ALIAS_HINT: &str = "请把值直接写出来，不要用 & 定义、用 * 引用；\
    文字本身以 * 开头时请加英文引号，例如 title: \"*重要*\"";

/// One open YAML collection while reading the event stream.
enum Open {
    Seq(Vec<Value>),
    /// The table so far, its keys (for duplicates), and the key waiting for
    /// its value, with where it stands.
    Map(
        Table,
        std::collections::HashSet<String>,
        Option<(String, yaml_rust2::scanner::Marker)>,
    ),
}

/// Reads YAML front matter by pulling the parser's events one at a time.
///
/// Not `YamlLoader`: it copies a node at every use of an alias, so nine
/// nested aliases in 369 bytes ("billion laughs") expand to gigabytes, and
/// its `Parser::load` recurses once per nesting level, so 100,000 `- `
/// overflow the stack. Here an alias is an error at its own position (clerks
/// have no need for `&anchor`/`*alias`; writing the value out is clearer),
/// and nesting stops at [`MAX_DEPTH`], before anything grows.
fn parse_yaml(raw: &str, first_line: usize) -> Result<Table, ParseError> {
    use yaml_rust2::parser::{Event, Parser};
    let at = |mark: yaml_rust2::scanner::Marker, message: String, hint: &str| ParseError {
        line: first_line + mark.line().saturating_sub(1),
        col: mark.col() + 1,
        message,
        hint: Some(hint.into()),
    };
    let mut parser = Parser::new_from_str(raw);
    let mut stack: Vec<Open> = Vec::new();
    // The first document's root; later documents are read (for their
    // errors) but not kept, as before.
    let mut root: Option<Value> = None;
    let mut documents = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            // `*重要*` is an alias of an anchor never defined, to YAML.
            if e.info().contains("unknown anchor") {
                at(*e.marker(), ALIAS.into(), ALIAS_HINT)
            } else {
                at(
                    *e.marker(),
                    format!("YAML 语法错误：{}", e.info()),
                    "请检查缩进（用空格，不用 Tab）和冒号后的空格，例如 title: 标题",
                )
            }
        })?;
        let node = match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                continue;
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => continue,
            Event::Alias(_) => {
                return Err(at(mark, ALIAS.into(), ALIAS_HINT));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(at(
                        mark,
                        format!("YAML 嵌套太深：数组或映射一层套一层，超过了 {MAX_DEPTH} 层"),
                        "前置元数据只需几层：键: 值、数组和数组中的映射；请检查缩进和括号",
                    ));
                }
                if let Some(Open::Map(_, _, None)) = stack.last() {
                    return Err(at(
                        mark,
                        "YAML 的键必须是文字".into(),
                        "每行写一个键，例如 title: 标题",
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(Vec::new())
                } else {
                    Open::Map(Vec::new(), Default::default(), None)
                });
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(items)) => Value::Array(items),
                _ => continue,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(table, ..)) => Value::Table(table),
                _ => continue,
            },
            Event::Scalar(text, style, _, tag) => {
                let scalar = yaml_scalar(text, style, tag);
                if let Some(Open::Map(_, _, key @ None)) = stack.last_mut() {
                    let text = yaml_key_text(scalar).ok_or_else(|| {
                        at(
                            mark,
                            "YAML 的键必须是文字".into(),
                            "每行写一个键，例如 title: 标题",
                        )
                    })?;
                    *key = Some((text, mark));
                    continue;
                }
                from_yaml_scalar(scalar)
            }
        };
        match stack.last_mut() {
            None if documents <= 1 => root = Some(node),
            None => {}
            Some(Open::Seq(items)) => items.push(node),
            Some(Open::Map(table, keys, key)) => {
                let (key, key_mark) = key.take().unwrap_or((String::new(), mark));
                if !keys.insert(key.clone()) {
                    return Err(at(
                        key_mark,
                        format!("YAML 语法错误：键“{key}”重复"),
                        "同一个键只能出现一次",
                    ));
                }
                table.push((key, node));
            }
        }
    }
    match root {
        None => Ok(Vec::new()),
        Some(Value::Table(t)) => Ok(t),
        Some(other) => Err(ParseError {
            line: first_line,
            col: 1,
            message: format!("前置元数据应为“键: 值”的映射，而不是{}", other.type_name()),
            hint: Some("每行写一个键，例如 title: 标题".into()),
        }),
    }
}

/// A scalar typed as `YamlLoader` types it: quoted is text; plain is read
/// by its `!!tag` or, without one, by its look (`12`, `true`, `~`).
fn yaml_scalar(
    text: String,
    style: yaml_rust2::scanner::TScalarStyle,
    tag: Option<yaml_rust2::parser::Tag>,
) -> yaml_rust2::Yaml {
    use yaml_rust2::Yaml;
    if style != yaml_rust2::scanner::TScalarStyle::Plain {
        return Yaml::String(text);
    }
    let Some(tag) = tag else {
        return Yaml::from_str(&text);
    };
    if tag.handle != "tag:yaml.org,2002:" {
        return Yaml::String(text);
    }
    match tag.suffix.as_str() {
        "bool" => match text.as_str() {
            "true" | "True" | "TRUE" => Yaml::Boolean(true),
            "false" | "False" | "FALSE" => Yaml::Boolean(false),
            _ => Yaml::BadValue,
        },
        "int" => text.parse().map_or(Yaml::BadValue, Yaml::Integer),
        "float" => {
            let special = [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf"]
                .iter()
                .chain(&["-.Inf", "-.INF", ".nan", ".NaN", ".NAN"])
                .any(|s| *s == text);
            let number = text.bytes().any(|b| b.is_ascii_digit()) && text.parse::<f64>().is_ok();
            if special || number {
                Yaml::Real(text)
            } else {
                Yaml::BadValue
            }
        }
        "null" => match text.as_str() {
            "~" | "null" => Yaml::Null,
            _ => Yaml::BadValue,
        },
        _ => Yaml::String(text),
    }
}

/// A mapping key as text; `None` for a key that is no text (`~`, `!!int x`).
fn yaml_key_text(k: yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    match k {
        Yaml::String(s) | Yaml::Real(s) => Some(s),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn from_yaml_scalar(v: yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match v {
        Yaml::String(s) => Value::Str(strip_controls(s)),
        Yaml::Integer(i) => Value::Int(i),
        Yaml::Real(r) => r.parse::<f64>().map(Value::Float).unwrap_or(Value::Str(r)),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Null => Value::Other("空值"),
        _ => Value::Other("无法识别的值"),
    }
}

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
    fn toml_read_directly_equals_toml_through_serde() {
        let raw = "title = \"标题\\t\\u0007\"\nn = 1_000\nhex = 0xff\nneg = -3\nf = 2.5e3\n\
                   inf = inf\nok = true\nd = 2024-03-01\ndt = 2024-03-01T08:00:00\nt = 08:00:00\n\
                   tags = [\"a\", [1, 2]]\n[items]\nid = \"SJ-1\"\n\
                   [[risks]]\nx = { y = 1 }\n";
        let direct = from_de_table(toml::de::DeTable::parse(raw).unwrap().into_inner()).unwrap();
        let serde = from_toml_table(raw.parse::<toml::Table>().unwrap());
        assert_eq!(format!("{direct:?}"), format!("{serde:?}"));
        assert_eq!(parse_toml(raw, 1).unwrap().len(), direct.len());
        // What the direct reading cannot hold goes the serde way, which
        // words the error.
        let big = "n = 99999999999999999999\n";
        assert!(from_de_table(toml::de::DeTable::parse(big).unwrap().into_inner()).is_none());
        let e = parse_toml(big, 3).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("TOML 语法错误"), "{}", e.message);
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

    #[test]
    fn toml_error_lines_are_file_lines() {
        let e = parse(Syntax::Toml, "title = \"a\"\ndate = 2024-02-30\n", 2).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        let e = parse(Syntax::Toml, "title = \"a\n", 2).unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn yaml_values() {
        let fm = parse(
            Syntax::Yaml,
            "title: 标题\ndate: 2024-03-01\ntags: [a, b]\n",
            2,
        )
        .unwrap();
        assert_eq!(fm.table[0], ("title".into(), Value::Str("标题".into())));
        assert_eq!(fm.table[1].1, Value::Str("2024-03-01".into()));
        let e = parse(Syntax::Yaml, "title: [a\n", 2).unwrap_err();
        assert!(e.line >= 2);
    }

    #[test]
    fn yaml_scalars_are_typed_as_the_yaml_loader_types_them() {
        let raw = "a: 12\nb: 0x1f\nc: 2.5\nd: true\ne: ~\nf: '12'\ng: !!str 12\n\
                   h: !!float 3\ni: !!int x\nj: .inf\nk: [1, {x: y}]\n12: n\n";
        let mine = parse(Syntax::Yaml, raw, 2).unwrap().table;
        let theirs = yaml_rust2::YamlLoader::load_from_str(raw).unwrap();
        let yaml_rust2::Yaml::Hash(h) = &theirs[0] else {
            panic!()
        };
        assert_eq!(mine.len(), h.len());
        for ((k, v), (yk, yv)) in mine.iter().zip(h) {
            assert_eq!(Some(k.clone()), yaml_key_text(yk.clone()));
            if let yaml_rust2::Yaml::Array(_) = yv {
                continue;
            }
            assert_eq!(
                format!("{v:?}"),
                format!("{:?}", from_yaml_scalar(yv.clone()))
            );
        }
        assert_eq!(
            mine[10].1,
            Value::Array(vec![
                Value::Int(1),
                Value::Table(vec![("x".into(), Value::Str("y".into()))])
            ])
        );
    }

    #[test]
    fn yaml_aliases_depth_and_duplicates_are_located_errors() {
        let e = parse(Syntax::Yaml, "a: &a [x, x]\nb: [*a, *a]\n", 2).unwrap_err();
        assert_eq!((e.line, e.col), (3, 5), "{e:?}");
        assert!(e.message.contains("别名"), "{e:?}");
        // Markdown-style emphasis is an alias to YAML: said so, with the fix.
        let e = parse(Syntax::Yaml, "title: *重要*\n", 2).unwrap_err();
        assert_eq!((e.line, e.col), (2, 8), "{e:?}");
        assert!(
            e.hint.as_deref().unwrap_or("").contains("加英文引号"),
            "{e:?}"
        );
        // An anchor alone expands nothing.
        assert!(parse(Syntax::Yaml, "a: &a x\n", 2).is_ok());
        let deep = format!("x:\n  {}1\n", "- ".repeat(100_000));
        let e = parse(Syntax::Yaml, &deep, 2).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.contains("嵌套太深"), "{e:?}");
        let ok = format!(
            "x: {}1{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(parse(Syntax::Yaml, &ok, 2).is_ok());
        let e = parse(Syntax::Yaml, "a: 1\nb: 2\na:\n  - x\n", 2).unwrap_err();
        assert!(e.message.contains("键“a”重复"), "{e:?}");
        assert_eq!((e.line, e.col), (4, 1), "{e:?}");
        let e = parse(Syntax::Yaml, "a: 1\n? [x]\n: 2\n", 2).unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "YAML 的键必须是文字"));
        let e = parse(Syntax::Yaml, "- a\n", 2).unwrap_err();
        assert!(e.message.contains("而不是数组"), "{e:?}");
        assert!(parse(Syntax::Yaml, "", 2).unwrap().table.is_empty());
        assert!(parse(Syntax::Yaml, "# 注释\n", 2).unwrap().table.is_empty());
    }

    #[test]
    fn deep_toml_is_a_located_error() {
        for raw in [
            format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
            format!("x = {}1{}\n", "{a=".repeat(100_000), "}".repeat(100_000)),
            format!("{}b = 1\n", "a.".repeat(100_000)),
            format!("[{}b]\n", "a.".repeat(100_000)),
        ] {
            let e = parse(Syntax::Toml, &raw, 2).unwrap_err();
            assert_eq!(e.line, 2, "{e:?}");
            assert!(e.message.starts_with("TOML 嵌套太深"), "{e:?}");
        }
    }

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
