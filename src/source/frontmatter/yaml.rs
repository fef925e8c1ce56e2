//! YAML front matter into [`Value`], read event by event so that aliases
//! and deep nesting are located errors rather than unbounded work.

use super::value::{MAX_DEPTH, ParseError, Table, Value, strip_controls};

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
/// A Chinese input method's slip (see `toml::slip`) on the line the parser
/// stopped at (1-based) or the one before it, where a full-width ： leaves
/// the parser to notice only on the next line: `(line, slip)`.
fn yaml_slip(raw: &str, line: usize) -> Option<(usize, (usize, String, String))> {
    let lines: Vec<&str> = raw.lines().collect();
    [line, line.saturating_sub(1)]
        .into_iter()
        .filter(|&l| l >= 1 && l <= lines.len())
        .find_map(|l| super::toml::slip(lines[l - 1], ':').map(|s| (l, s)))
}

/// The first line (from 0) whose indentation holds a Tab.
fn tab_line(raw: &str) -> Option<usize> {
    raw.lines().position(|l| {
        let indent = &l[..l.len() - l.trim_start().len()];
        indent.contains('\t')
    })
}

/// The parser's message in Chinese words.
fn yaml_words(info: &str) -> &'static str {
    if info.contains("mapping values are not allowed") {
        "这一行多了一个冒号（值里有“: ”时请给整个值加引号）"
    } else if info.contains("expect ':'") || info.contains("expected key") {
        "找不到键后面的冒号，或者缩进不对"
    } else if info.contains("tabs") {
        "缩进里有 Tab，YAML 只能用空格缩进"
    } else if info.contains("quoted scalar") {
        "引号没有配对：文字缺少结尾的引号"
    } else if info.contains("trailing content") {
        "引号里的文字结束后，这一行还有多余的内容"
    } else if info.contains("cannot start any token") {
        "这里的字符不能作为值的开头（如 @、`、%），请给整个值加引号"
    } else if info.contains("',' or ']'") || info.contains("flow sequence") {
        "数组缺少英文逗号或 ]"
    } else {
        "这一行不符合 YAML 格式"
    }
}

/// A syntax error at `mark`, a line of a block that starts at `first_line`.
fn yaml_at(
    first_line: usize,
    mark: yaml_rust2::scanner::Marker,
    message: String,
    hint: &str,
) -> ParseError {
    ParseError {
        line: first_line + mark.line().saturating_sub(1),
        col: mark.col() + 1,
        message,
        hint: Some(hint.into()),
    }
}

/// What the scanner could not read, told in a clerk's words.
fn scan_error(raw: &str, first_line: usize, e: &yaml_rust2::scanner::ScanError) -> ParseError {
    // `*重要*` is an alias of an anchor never defined, to YAML.
    if e.info().contains("unknown anchor") {
        yaml_at(first_line, *e.marker(), ALIAS.into(), ALIAS_HINT)
    } else if let Some(n) = e.info().contains("tab").then(|| tab_line(raw)).flatten() {
        // The scanner names where the value it was reading began, often
        // the line above; the Tab is at the start of line `n`.
        ParseError {
            line: first_line + n,
            col: 1,
            message: "这一行开头是 Tab：YAML 只能用空格缩进".into(),
            hint: Some("把行首的 Tab 删掉；顶层的键顶格写，列表项用两个空格缩进".into()),
        }
    } else if let Some((line, (col, message, hint))) = yaml_slip(raw, e.marker().line()) {
        ParseError {
            line: first_line + line - 1,
            col,
            message,
            hint: Some(hint),
        }
    } else {
        yaml_at(
            first_line,
            *e.marker(),
            format!(
                "YAML 语法错误：{}（解析器原文：{}）",
                yaml_words(e.info()),
                e.info()
            ),
            "请检查缩进（用空格，不用 Tab）和冒号后的空格，例如 title: 标题",
        )
    }
}

pub(super) fn parse_yaml(raw: &str, first_line: usize) -> Result<Table, ParseError> {
    use yaml_rust2::parser::{Event, Parser};
    let at = |mark, message, hint: &str| yaml_at(first_line, mark, message, hint);
    let mut parser = Parser::new_from_str(raw);
    let mut stack: Vec<Open> = Vec::new();
    // The first document's root; later documents are read (for their
    // errors) but not kept, as before.
    let mut root: Option<Value> = None;
    let mut documents = 0usize;
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| scan_error(raw, first_line, &e))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::frontmatter::{Syntax, parse};

    #[test]
    fn a_clerk_s_slips_are_named_in_chinese() {
        for (raw, line, col, says) in [
            (
                "violation: \"使用\"最佳\"等\"\n",
                1,
                15,
                "值在第 15 列提前结束",
            ),
            (
                "title：标题\nkind: x\n",
                1,
                6,
                "第 6 列的 ： 是全角（中文）字符",
            ),
            ("a: 1\ntitle：标题\n", 2, 6, "的 ： 是全角"),
            ("title:标题\nkind: x\n", 1, 6, "第 6 列的冒号后缺少空格"),
            (
                "tags: [\"首违不罚\", \"使用\"最佳\"等\"]\n",
                1,
                19,
                "值在第 19 列提前结束",
            ),
        ] {
            let e = parse_yaml(raw, 1).unwrap_err();
            assert_eq!((e.line, e.col), (line, col), "{raw}: {e:?}");
            assert!(e.message.contains(says), "{raw}: {}", e.message);
        }
        // Chinese punctuation in a plain value is fine.
        assert!(parse_yaml("summary: 注意：首次，且改正\n", 1).is_ok());
        // Other errors lead with Chinese words.
        let e = parse_yaml("a: b: c\n", 1).unwrap_err();
        assert!(
            e.message.starts_with("YAML 语法错误：这一行多了一个冒号"),
            "{}",
            e.message
        );
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
}
