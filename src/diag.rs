//! Problems found in a site's sources, reported the way a clerk can act on
//! them: `path:line:col: field: message`, then a hint.
//!
//! Loading and validation never stop at the first problem: every broken
//! document is collected here, printed once, sorted by file and line, and the
//! exit code is decided at the end (ripgrep's `messages.rs` habit).

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub col: usize,
    /// The front-matter key (`items[2].id`) or a short label (`front matter`).
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(
        path: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, field, message)
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, col) = (self.line.max(1), self.col.max(1));
        let label = match self.severity {
            Severity::Error => "",
            Severity::Warning => "警告：",
        };
        write!(
            f,
            "{}:{line}:{col}: {}: {label}{}",
            self.path, self.field, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  提示: {hint}")?;
        }
        Ok(())
    }
}

/// A site path for messages: relative to `root`, `/`-separated.
pub fn rel(root: &Path, path: &Path) -> String {
    let p: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    p.to_string_lossy().replace('\\', "/")
}

/// The `n` closest candidates to `wanted`, for "did you mean" hints.
pub fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .collect();
    scored.sort();
    let limit = wanted.chars().count().max(3);
    let near: Vec<&str> = scored
        .iter()
        .filter(|(d, _)| *d <= limit)
        .map(|(_, c)| *c)
        .take(n)
        .collect();
    if near.is_empty() {
        scored.into_iter().map(|(_, c)| c).take(n).collect()
    } else {
        near
    }
}

/// A hint naming the closest existing keys.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let near = closest(wanted, candidates, 3);
    if near.is_empty() {
        "没有可用的值，请先在 site.toml 中登记".to_string()
    } else {
        format!("可用的值中最接近的是: {}", near.join(", "))
    }
}

pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How diagnostics are printed (`check --format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Text for a person, on stderr.
    Human,
    /// One JSON array, on stdout.
    Json,
    /// GitHub Actions annotations (`::error file=…`), on stdout.
    Github,
}

/// Prints diagnostics to stderr in the chosen format.
pub fn print(diags: &[Diagnostic], format: Format) {
    match format {
        Format::Human => {
            for d in diags {
                eprintln!("{d}");
            }
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let warnings = diags.len() - errors;
            if errors > 0 || warnings > 0 {
                eprintln!("共 {errors} 个错误，{warnings} 个警告。");
            }
        }
        Format::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".into())
            );
        }
        Format::Github => {
            for d in diags {
                let level = if d.severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                };
                let msg = match &d.hint {
                    Some(h) => format!("{}: {} 提示: {h}", d.field, d.message),
                    None => format!("{}: {}", d.field, d.message),
                };
                println!(
                    "::{level} file={},line={},col={},title={}::{}",
                    gh_escape_prop(&d.path),
                    d.line.max(1),
                    d.col.max(1),
                    gh_escape_prop(&d.field),
                    gh_escape_data(&msg)
                );
            }
        }
    }
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_keys_come_first() {
        assert_eq!(
            closest("scj", ["sthj", "scjg", "yjgl"], 2),
            vec!["scjg", "sthj"]
        );
        assert_eq!(edit_distance("营业执找", "营业执照"), 1);
    }

    #[test]
    fn formats_with_hint() {
        let d = Diagnostic::error("content/a.md", "agency", "未登记的机构“scj”")
            .at(3, 10)
            .hint("可用的值中最接近的是: scjg");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:10: agency: 未登记的机构“scj”\n  提示: 可用的值中最接近的是: scjg"
        );
    }
}
