//! Splitting a source file into front matter and body, and parsing the front
//! matter (TOML between `+++`, YAML between `---`) into one value tree.
//!
//! Both syntaxes land in [`Value`], so validation is written once. Positions
//! are lines of the *file*: the front-matter block's offset is added to every
//! parser position, and [`FrontMatter::locate`] finds the line of a key path
//! (`items[2].basis`) so that type and registry errors point at the field.

mod locate;
mod recover;
#[cfg(test)]
mod recovery_tests;
mod statements;
mod toml;
mod value;
mod yaml;

pub use self::locate::{Seg, line_col, locate_in};
pub use self::recover::{MAX_ERRORS, MORE};
pub use self::toml::parse_toml;
pub use self::value::{FrontMatter, Gaps, MAX_DEPTH, ParseError, Syntax, Table, Value};

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

/// Parses a front-matter block whose first line is file line `first_line`;
/// its first syntax error, if any.
pub fn parse(syntax: Syntax, raw: &str, first_line: usize) -> Result<FrontMatter, ParseError> {
    let (fm, errors) = parse_all(syntax, raw, first_line);
    match (fm, errors.into_iter().next()) {
        (_, Some(e)) => Err(e),
        (Some(fm), None) => Ok(fm),
        (None, None) => Err(ParseError {
            line: first_line,
            col: 1,
            message: "前置元数据无法解析".into(),
            hint: None,
        }),
    }
}

/// Parses a front-matter block (or a whole `site.toml`) whose first line
/// is file line `first_line`, going on after syntax errors (see
/// [`recover`]): every error found, and the block without the statements
/// they are in, with [`Gaps`] saying what was left out. No block when
/// recovery gave up (then the errors end with [`MORE`], or cannot go on).
pub fn parse_all(
    syntax: Syntax,
    raw: &str,
    first_line: usize,
) -> (Option<FrontMatter>, Vec<ParseError>) {
    let whole = match syntax {
        Syntax::Toml => toml::parse_once(raw, first_line),
        Syntax::Yaml => yaml::parse_yaml(raw, first_line),
    };
    let r = match whole {
        Ok(table) => recover::Recovered {
            table: Some(table),
            text: raw.to_string(),
            errors: Vec::new(),
            gaps: Gaps::default(),
        },
        Err(_) => match syntax {
            Syntax::Toml => recover::recover(&mut statements::Toml::default(), raw, first_line),
            Syntax::Yaml => recover::recover(&mut recover::Yaml, raw, first_line),
        },
    };
    let fm = r.table.map(|table| FrontMatter {
        syntax,
        table,
        raw: r.text,
        first_line,
        gaps: r.gaps,
    });
    (fm, r.errors)
}

#[cfg(test)]
mod tests {
    use super::value::strip_controls;
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

    /// C0 controls, DEL and the C1 block (U+0080–U+009F) go; tabs, line
    /// breaks and the other characters that start with byte 0xC2 (·, §)
    /// stay.
    #[test]
    fn strip_controls_keeps_text_and_drops_controls() {
        let cases = [
            ("营业执照未悬挂", "营业执照未悬挂"),
            ("张·三 §5\t第二行\n第三行\r", "张·三 §5\t第二行\n第三行\r"),
            ("a\u{0}b\u{1b}c\u{7f}d", "abcd"),
            ("中\u{85}文\u{9f}字\u{80}", "中文字"),
            ("\u{a0}不间断空格", "\u{a0}不间断空格"),
        ];
        for (given, kept) in cases {
            assert_eq!(strip_controls(given.to_string()), kept, "{given:?}");
        }
    }
}
