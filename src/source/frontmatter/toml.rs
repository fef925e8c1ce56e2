//! TOML front matter (and `site.toml`) into [`Value`]: the parser's own
//! tree converted directly, with the serde path as the fallback that words
//! the errors.

use super::locate::line_col;
use super::value::{ParseError, Table, Value, strip_controls};
use crate::date::Date;

/// Parses a whole TOML file (such as `synonyms.toml`) as a table; its
/// first syntax error, if any (see [`super::parse_all`] for every error).
pub fn parse_toml(raw: &str, first_line: usize) -> Result<Table, ParseError> {
    parse_once(raw, first_line)
}

/// One parse of TOML text whose first line is file line `first_line`.
pub(super) fn parse_once(raw: &str, first_line: usize) -> Result<Table, ParseError> {
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
            let text = raw.lines().nth(line).unwrap_or("");
            // A control character pasted in (from Word or a web page): TOML
            // refuses it, and the parser calls it a missing quote.
            if let Some((at, c)) = text
                .char_indices()
                .find(|(_, c)| c.is_control() && *c != '\t')
            {
                return Err(ParseError {
                    line: first_line + line,
                    col: text[..at].chars().count() + 1,
                    message: format!("这一行有看不见的控制字符（U+{:04X}），TOML 不允许", c as u32),
                    hint: Some("删除它（这类字符常随复制粘贴带入）：把光标放在它前后删除，或重新输入这一行".into()),
                });
            }
            if let Some((col, message, hint)) = slip(text, '=') {
                return Err(ParseError {
                    line: first_line + line,
                    col,
                    message,
                    hint: Some(hint),
                });
            }
            let message = if e.message().contains("recurs") {
                "TOML 嵌套太深：数组或表一层套一层，超过了上限".into()
            } else {
                format!(
                    "TOML 语法错误：{}（解析器原文：{}）",
                    toml_words(e.message()),
                    e.message().trim()
                )
            };
            // A multi-line string left open: its `"""` is missing, or a
            // line of it that is just `+++` ended the front matter early.
            // `[items]` written for `[[items]]`: every later entry repeats
            // its keys, and the mistake is the header, not the keys.
            let single = raw.lines().enumerate().find(|(_, l)| {
                matches!(
                    l.trim(),
                    "[items]" | "[risks]" | "[revisions]" | "[attachments]"
                )
            });
            let hint = if let (true, Some((n, l))) = (e.message().contains("duplicate key"), single)
            {
                let name = l.trim().trim_matches(['[', ']']);
                format!(
                    "第 {} 行写成了 [{name}]：每一条都要以 [[{name}]]（两层方括号）开头",
                    first_line + n
                )
            } else if raw.matches("\"\"\"").count() % 2 == 1 {
                "多行文字要以 \"\"\" 结束；文字中单独一行的 +++ 会被当作前置元数据的结束，请在这一行的 +++ 前加一个空格或改写这一行".into()
            } else {
                toml_hint(e.message())
            };
            Err(ParseError {
                line: first_line + line,
                col: col + 1,
                message,
                hint: Some(hint),
            })
        }
    }
}

/// The parser's message in Chinese words.
fn toml_words(message: &str) -> &'static str {
    let m = message;
    if m.contains("duplicate key") {
        "键重复"
    } else if m.contains("expected newline") {
        "这一行的值后面还有多余的内容"
    } else if m.contains("key with no value") {
        "键后面缺少 = 和值"
    } else if m.contains("must be quoted") {
        "文字没有加引号"
    } else if m.contains("invalid basic string") || m.contains("unterminated") {
        "文字缺少结尾的引号"
    } else if m.contains("unclosed array table") {
        "表数组的表头缺少结尾的 ]]"
    } else if m.contains("unclosed table") {
        "表头缺少结尾的 ]"
    } else if m.contains("unclosed inline table") {
        "内联表缺少结尾的 }"
    } else if m.contains("unclosed array") {
        "数组缺少结尾的 ]"
    } else if m.contains("missing comma") {
        "数组的元素之间缺少英文逗号"
    } else if m.contains("keys cannot be empty") {
        "= 前面缺少键名"
    } else if m.contains("day between") {
        "日期不存在：这个月没有这一天"
    } else if m.contains("date") || m.contains("time") {
        "日期或时间写法不对"
    } else if m.contains("table") {
        "表（[…]）的写法不对"
    } else {
        "这一行不符合 TOML 格式"
    }
}

/// The slips a clerk makes typing TOML in a Chinese input method, found on
/// the line the parser stopped at: `(column, message, hint)`.
///
/// - English double quotes inside a value (`"使用"最佳"等"`): the value
///   ends at the second quote, and the rest is left over;
/// - full-width look-alikes where TOML wants its own characters: ＝ ：
///   for `=`, “ ” for `"`, ，for `,`, ［ ］ for `[ ]`.
///
/// `sep` is what follows a key: `=` in TOML, `:` in YAML.
pub(super) fn slip(line: &str, sep: char) -> Option<(usize, String, String)> {
    let colon = if sep == ':' {
        ": (冒号后加一个空格)"
    } else {
        "="
    };
    let lookalikes: [(char, &str); 8] = [
        ('＝', "="),
        ('：', colon),
        ('“', "\""),
        ('”', "\""),
        ('，', ","),
        ('［', "["),
        ('］', "]"),
        ('＂', "\""),
    ];
    let col_of = |byte: usize| line[..byte].chars().count() + 1;
    let found = |b: usize, c: char, want: &str| {
        Some((
            col_of(b),
            format!(
                "第 {} 列的 {c} 是全角（中文）字符，这里要用英文的 {want}",
                col_of(b)
            ),
            format!(
                "切换到英文输入法重新输入 {want}；只有引号里的文字可以用中文标点，例如 title{} \"标题\"",
                if sep == ':' { ":" } else { " =" }
            ),
        ))
    };
    // In YAML an unquoted value may hold any Chinese punctuation: only the
    // key, before the first `:`, is looked at (title：标题).
    if sep == ':' {
        let key = line.split(':').next().unwrap_or(line);
        if let Some((b, c)) = key.char_indices().find(|(_, c)| matches!(c, '：' | '＝')) {
            return found(b, c, colon);
        }
        // title:标题 — no space after the colon, so no key at all.
        let bare = key.trim_start();
        let after = line[key.len()..].chars().nth(1);
        if !bare.is_empty()
            && bare
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && after.is_some_and(|c| !c.is_whitespace() && c != ':')
        {
            let col = col_of(key.len());
            return Some((
                col,
                format!("第 {col} 列的冒号后缺少空格：YAML 的键和值之间要写冒号加一个空格"),
                format!("在冒号后加一个空格，例如 {bare}: ……"),
            ));
        }
    }
    // Outside any quoted value, a full-width character where syntax goes.
    let mut quote: Option<char> = None;
    for (b, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') => break,
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if sep == '=' => {
                if let Some((_, want)) = lookalikes.iter().find(|(l, _)| *l == c) {
                    return found(b, c, want);
                }
            }
            _ => {}
        }
    }
    // key = "…"…"…": an English quote inside the value ends it early.
    let (_, value) = line.split_once(sep)?;
    let start = line.len() - value.len();
    let v = value.trim_start();
    let open = start + (value.len() - v.len());
    let end = open + early_quote(v)?;
    Some((
        col_of(end),
        format!(
            "值在第 {} 列提前结束：文字里的英文双引号 \" 被当成了值的结尾",
            col_of(end)
        ),
        if sep == ':' {
            "把文字里的引号改成中文引号“ ”；或者整个值改用单引号 '…'（例如 violation: '使用\"最佳\"等用语'）".into()
        } else {
            "把文字里的引号改成中文引号“ ”；或者整个值改用单引号 '…'（例如 violation = '使用\"最佳\"等用语'），多行时用三个双引号 \"\"\"…\"\"\"".into()
        },
    ))
}

/// Where an English quote inside a string value closes it early: the byte
/// offset in `v` (a value, or an array of strings) of the closing quote after
/// which more text and another quote follow instead of the end, a comma or
/// a `]`.
fn early_quote(v: &str) -> Option<usize> {
    let in_array = v.starts_with('[');
    let mut at = usize::from(in_array);
    loop {
        let rest = &v[at..];
        let skip = rest.len() - rest.trim_start_matches([' ', '\t', ',']).len();
        at += skip;
        let s = &v[at..];
        if !s.starts_with('"') || s.starts_with("\"\"\"") {
            return None;
        }
        let mut escaped = false;
        let mut end = None;
        for (b, c) in s.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(at + b);
                    break;
                }
                _ => escaped = false,
            }
        }
        let end = end?;
        let after = v[end + 1..].trim_start();
        let closes = after.is_empty()
            || after.starts_with('#')
            || (in_array && (after.starts_with(',') || after.starts_with(']')));
        if !closes {
            return after.contains('"').then_some(end);
        }
        if !in_array || !after.starts_with(',') {
            return None;
        }
        at = end + 1;
    }
}

fn toml_hint(message: &str) -> String {
    if message.contains("recurs") {
        "只需几层：键 = 值、数组 [ ] 和表 { }；请检查是否多写或漏写了括号".into()
    } else if message.contains("duplicate key") {
        "同一个键只能出现一次".into()
    } else if message.contains("unclosed array table") || message.contains("unclosed table") {
        "表头单独一行，写成 [agencies.scjg] 或 [[items]]".into()
    } else if message.contains("unclosed inline table") {
        "内联表写在一对 { } 里，例如 { date = 2024-06-01, note = \"……\" }".into()
    } else if message.contains("unclosed array") {
        "数组写成 tags = [\"甲\", \"乙\"]：元素之间用英文逗号，最后用 ] 结束".into()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::frontmatter::{Syntax, parse};

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
    fn a_clerk_s_slips_are_named_in_chinese() {
        let cases = [
            (
                "violation = \"使用\"最佳\"等\"\n",
                16,
                "值在第 16 列提前结束",
            ),
            (
                "title＝\"x\"\n",
                6,
                "第 6 列的 ＝ 是全角（中文）字符，这里要用英文的 =",
            ),
            ("title： \"x\"\n", 6, "的 ： 是全角"),
            ("title = “标题”\n", 9, "的 “ 是全角"),
            ("tags = [\"a\"，\"b\"]\n", 12, "的 ， 是全角"),
            ("［agencies.x］\n", 1, "的 ［ 是全角"),
            // In an array too, after an element written correctly.
            (
                "tags = [\"首违不罚\", \"使用\"最佳\"等\"]\n",
                20,
                "值在第 20 列提前结束",
            ),
        ];
        for (raw, col, says) in cases {
            let e = parse_toml(raw, 1).unwrap_err();
            assert_eq!((e.line, e.col), (1, col), "{raw}: {e:?}");
            assert!(slip(raw.trim_end(), '=').is_some());
            assert!(e.message.contains(says), "{raw}: {}", e.message);
            assert!(e.hint.is_some());
        }
        // Chinese punctuation inside a value is fine, and a value with
        // quotes written correctly parses.
        assert!(parse_toml("title = \"标题：“最佳”，等\"\n", 1).is_ok());
        assert!(parse_toml("v = '使用\"最佳\"等'\n", 1).is_ok());
        assert!(parse_toml("tags = [\"甲\", \"乙\"] # 注\n", 1).is_ok());
        // Every other error still says what is wrong in Chinese first.
        let e = parse_toml("a = 1\na = 2\n", 1).unwrap_err();
        assert!(
            e.message.starts_with("TOML 语法错误：键重复"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_control_character_is_named_not_called_a_missing_quote() {
        let e = parse(
            Syntax::Toml,
            "date = 2024-01-01\ntitle = \"控\u{1}制\"\n",
            2,
        )
        .unwrap_err();
        assert_eq!((e.line, e.col), (3, 11));
        assert!(e.message.contains("控制字符（U+0001）"), "{}", e.message);
    }

    #[test]
    fn a_multi_line_string_cut_by_a_plus_line_says_so() {
        // What is left of `violation = """占道⏎+++⏎经营"""` once the `+++`
        // line ended the front matter.
        let e = parse(Syntax::Toml, "title = \"a\"\nviolation = \"\"\"\n占道\n", 2).unwrap_err();
        let hint = e.hint.unwrap_or_default();
        assert!(hint.contains("单独一行的 +++"), "{hint}");
    }

    #[test]
    fn toml_error_lines_are_file_lines() {
        let e = parse(Syntax::Toml, "title = \"a\"\ndate = 2024-02-30\n", 2).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        let e = parse(Syntax::Toml, "title = \"a\n", 2).unwrap_err();
        assert_eq!(e.line, 2);
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
}
