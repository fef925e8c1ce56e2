//! `gongshi import`: a list drafted as a table — an Excel workbook, a CSV
//! file or the tables of a Word document — becomes a list document with
//! `[[items]]`, or revises one.
//!
//! Along the pipeline: [`read`] turns the file into grids of text (merged
//! cells spread out), [`table`] finds the header and reads rows as items,
//! [`merge`] keeps the ids of a revised list's items, [`front`] writes the
//! front matter and the file. Nothing is written unless every row was
//! placed and the result passes the same validation as `gongshi check`;
//! the target is replaced in one step (a temporary file renamed over it).

mod front;
mod merge;
mod read;
mod table;

use std::fmt;
use std::path::{Path, PathBuf};

pub use front::Meta;

/// A sheet or table as rows of cell texts (row 0 is the sheet's row 1).
#[derive(Clone, Debug)]
pub(crate) struct Grid {
    /// The sheet's name; 表格N for a Word table; empty for a CSV file.
    pub(crate) name: String,
    pub(crate) rows: Vec<Vec<String>>,
    /// The paragraph just above a Word table, a title if the table has no
    /// title row.
    pub(crate) caption: Option<String>,
}

/// Where in the source a row or cell is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub sheet: String,
    /// 1-based; 0 for the whole sheet.
    pub row: usize,
    /// 1-based column.
    pub col: Option<usize>,
    /// A Word table (rows are counted within it).
    pub docx: bool,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if !self.sheet.is_empty() {
            if self.docx {
                write!(f, " {}", self.sheet)?;
            } else {
                write!(f, " 工作表“{}”", self.sheet)?;
            }
        }
        if self.row > 0 {
            write!(f, " 第 {} 行", self.row)?;
        }
        if let Some(c) = self.col {
            if self.docx {
                write!(f, "第 {c} 列")?;
            } else {
                write!(f, " {} 列", table::column(c - 1))?;
            }
        }
        Ok(())
    }
}

/// One row read as an item, before ids are given.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) place: Place,
    pub(crate) no: String,
    pub(crate) id: String,
    pub(crate) category: String,
    pub(crate) violation: String,
    pub(crate) basis: String,
    pub(crate) penalty_basis: String,
    pub(crate) conditions: String,
    pub(crate) handling: String,
    pub(crate) note: String,
}

/// A problem, where it is, and what to do.
#[derive(Clone, Debug)]
pub struct ImportError {
    pub place: Option<Box<Place>>,
    pub message: String,
    pub hint: Option<String>,
}

impl ImportError {
    pub(crate) fn at(place: Place, message: String, hint: Option<String>) -> Self {
        ImportError {
            place: Some(Box::new(place)),
            message,
            hint,
        }
    }

    pub(crate) fn plain(message: String, hint: Option<String>) -> Self {
        ImportError {
            place: None,
            message,
            hint,
        }
    }

    /// An error about the file as a whole.
    pub(crate) fn file(path: &Path) -> impl Fn(String, Option<String>) -> ImportError + '_ {
        move |message, hint| {
            ImportError::at(
                Place {
                    file: path.display().to_string(),
                    sheet: String::new(),
                    row: 0,
                    col: None,
                    docx: false,
                },
                message,
                hint,
            )
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(p) => write!(f, "{p}：{}", self.message)?,
            None => write!(f, "{}", self.message)?,
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  提示：{h}")?;
        }
        Ok(())
    }
}

/// What `gongshi import` was asked.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub source: PathBuf,
    /// The list document, as resolved (below `content/lists/`).
    pub target: PathBuf,
    pub meta: Meta,
    /// Ids of new items: this prefix and a number (`SJ-MF-` → SJ-MF-001).
    pub id_prefix: Option<String>,
    pub today: crate::date::Date,
}

/// What an import did, line by line, for the clerk.
#[derive(Debug, Default)]
pub struct Summary {
    pub created: bool,
    pub lines: Vec<String>,
    pub notes: Vec<String>,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// Runs one import: reads, places, merges, validates, writes. On any error
/// nothing is written and every problem found is returned.
pub fn run(opts: &Options) -> Result<Summary, Vec<ImportError>> {
    let mut diags = Vec::new();
    let Ok(config) = crate::config::Config::load(&opts.root, &mut diags) else {
        return Err(diags
            .iter()
            .map(|d| ImportError::plain(d.to_string(), None))
            .collect());
    };
    let existing = front::Existing::read(&opts.root, &opts.target, &config).map_err(|e| vec![e])?;
    let meta = front::resolve(&opts.meta, existing.as_ref(), &config).map_err(|e| vec![e])?;

    if !opts.source.is_file() {
        return Err(vec![ImportError::file(&opts.source)(
            "文件不存在或不是普通文件".into(),
            Some("请检查要导入的文件路径".into()),
        )]);
    }
    let grids = read::grids(&opts.source).map_err(|e| vec![e])?;
    let file = opts.source.display().to_string();
    let table = table::read(&file, &grids).map_err(|e| vec![e])?;
    if !table.problems.is_empty() {
        return Err(table.problems);
    }
    if table.rows.is_empty() {
        return Err(vec![ImportError::file(&opts.source)(
            "表头下没有任何清单事项".into(),
            Some("请确认表格中填写了事项".into()),
        )]);
    }
    let mut summary = Summary::default();
    for s in &table.skipped {
        summary.notes.push(format!("已跳过 {s}"));
    }
    for c in &table.ignored {
        summary.notes.push(format!(
            "未识别的列 {c} 未导入；如需保留，请把列名改为“备注”"
        ));
    }
    if let Some(e) = &existing
        && !e.comments.is_empty()
    {
        let lines: Vec<String> = e
            .comments
            .iter()
            .map(|(n, c)| format!("  第 {n} 行：{c}"))
            .collect();
        summary.notes.push(format!(
            "修订后的前置元数据是重新写出的，原有的 {} 行注释没有保留，需要的请重新加上（修订前的文件在 git 中可以找到）：\n{}",
            lines.len(),
            lines.join("\n")
        ));
    }
    let old_items = existing
        .as_ref()
        .map(|e| e.items.clone())
        .unwrap_or_default();
    let prefix = opts.id_prefix.clone();
    let items = merge::merge(
        &old_items,
        table.rows,
        prefix.as_deref(),
        &meta.agency,
        &mut summary,
    )
    .map_err(|e| vec![e])?;
    let title = meta.title.clone().or(table.title.clone()).ok_or_else(|| {
        vec![ImportError::plain(
            "缺少清单标题：表格上方没有标题行，也没有给出 --title".into(),
            Some("例如 --title \"市场监管领域轻微违法行为免罚清单\"".into()),
        )]
    })?;
    let text = front::document(&meta, &title, existing.as_ref(), &items, opts.today);
    front::write_checked(&opts.root, &opts.target, &text, &config).map_err(|e| vec![e])?;
    summary.created = existing.is_none();
    Ok(summary)
}
