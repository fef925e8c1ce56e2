//! The content model and its loading: what a site's `content/` folder means.
//!
//! A document's type is its top-level folder (`lists/`, `guidance/`,
//! `cases/`, `warnings/`, anything else is a plain page). [`load`] walks the
//! tree, parses and validates every file in parallel and returns the model
//! plus every problem found; nothing here renders or writes.

mod load;
mod validate;

pub use load::{
    Asset, Loaded, Parsed, Unpublished, Walked, assemble, load, parse_file, parse_text,
    read_source, walk,
};

use crate::date::Date;

/// The four typed folders and plain pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocType {
    Lists,
    Guidance,
    Cases,
    Warnings,
    Page,
}

impl DocType {
    pub const TYPED: [DocType; 4] = [
        DocType::Lists,
        DocType::Guidance,
        DocType::Cases,
        DocType::Warnings,
    ];

    pub fn from_folder(folder: &str) -> DocType {
        match folder {
            "lists" => DocType::Lists,
            "guidance" => DocType::Guidance,
            "cases" => DocType::Cases,
            "warnings" => DocType::Warnings,
            _ => DocType::Page,
        }
    }

    /// The folder name, also the type's key in URLs and templates.
    pub fn key(self) -> &'static str {
        match self {
            DocType::Lists => "lists",
            DocType::Guidance => "guidance",
            DocType::Cases => "cases",
            DocType::Warnings => "warnings",
            DocType::Page => "page",
        }
    }

    /// What a reader calls this type.
    pub fn name(self) -> &'static str {
        match self {
            DocType::Lists => "公示清单",
            DocType::Guidance => "行政指导",
            DocType::Cases => "典型案例",
            DocType::Warnings => "风险提示",
            DocType::Page => "页面",
        }
    }

    pub fn is_typed(self) -> bool {
        self != DocType::Page
    }
}

/// One item of a published list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub violation: String,
    pub basis: String,
    pub penalty_basis: String,
    pub conditions: String,
    pub handling: String,
    pub note: String,
    /// 分类: the section of the list the item belongs to (一、登记注册类);
    /// empty when the list is not divided.
    pub category: String,
    /// 序号 as the agency numbered it (`"3"`, `"（一）1"`); empty: the
    /// item's place in the list is shown instead.
    pub no: String,
}

impl Item {
    /// The columns of a list, as the site's tables, the CSV and Excel files
    /// and the version diffs name them; [`Item::cells`] gives them in order.
    pub const COLUMNS: [&'static str; 7] = [
        "编号",
        "违法行为",
        "违反的法律依据",
        "处罚依据",
        "适用条件",
        "处理方式",
        "备注",
    ];

    /// The item's values, in the order of [`Item::COLUMNS`].
    pub fn cells(&self) -> [&str; 7] {
        [
            &self.id,
            &self.violation,
            &self.basis,
            &self.penalty_basis,
            &self.conditions,
            &self.handling,
            &self.note,
        ]
    }
}

/// One risk point of a warning bulletin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Risk {
    pub point: String,
    pub cause: String,
    pub measures: String,
    pub basis: String,
    pub self_check: Vec<String>,
}

/// The fields particular to each type.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    List {
        kind: String,
        items: Vec<Item>,
        /// The declared order of the items' categories (`categories =
        /// [...]`); empty: the order in which they first appear.
        categories: Vec<String>,
    },
    Guidance {
        method: String,
        audience: String,
    },
    Case {
        year: i64,
        methods: Vec<String>,
        outcome: String,
        honor: String,
    },
    Warning {
        level: String,
        valid_until: Option<Date>,
        risks: Vec<Risk>,
    },
    Page {
        extra: serde_json::Map<String, serde_json::Value>,
    },
}

/// A link to another document by its source path: `@/lists/a.md#item-1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The target's source path below `content/` (`lists/a.md`).
    pub target: String,
    pub anchor: Option<String>,
    /// Where the link is written, for diagnostics.
    pub line: usize,
    pub col: usize,
    pub field: String,
}

impl Link {
    /// Parses `@/path.md#anchor`; `None` if `s` is not an internal link.
    pub fn parse(s: &str, line: usize, col: usize, field: &str) -> Option<Link> {
        let rest = s.strip_prefix("@/")?;
        let (target, anchor) = match rest.split_once('#') {
            Some((t, a)) => (t, Some(a.to_string())),
            None => (rest, None),
        };
        Some(Link {
            target: target.to_string(),
            anchor,
            line,
            col,
            field: field.to_string(),
        })
    }
}

/// A revision its author described for the public in the front matter
/// (`revisions = [{ date = 2024-06-01, note = "……" }]`): shown in the
/// document's 修订记录 whether or not the site reads git history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotedRevision {
    pub date: Date,
    pub note: String,
    /// Its place in `revisions` (0-based) and where its `date` is written
    /// (line, column), for diagnostics raised after loading (a date after
    /// the build day).
    pub index: usize,
    pub at: (usize, usize),
}

/// A page of content: a typed document or a plain page.
#[derive(Clone, Debug)]
pub struct Document {
    /// Source path relative to the site root (`content/lists/a.md`).
    pub rel: String,
    /// Source path relative to `content/` (`lists/a.md`): what `@/` links name.
    pub key: String,
    pub doc_type: DocType,
    /// The folder below `content/` (`lists/scjg`; empty at the top).
    pub section: String,
    /// URL below the base path, ending in `/` (`lists/a/`).
    pub url: String,
    pub title: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub agency: Option<String>,
    pub summary: Option<String>,
    pub districts: Vec<String>,
    pub industries: Vec<String>,
    pub tags: Vec<String>,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    pub superseded_by: Option<Link>,
    /// Revisions noted in the front matter, as written (validated: a date
    /// not before `date`, a note not empty).
    pub revisions: Vec<NotedRevision>,
    pub doc_number: Option<String>,
    pub index_number: Option<String>,
    pub draft: bool,
    pub weight: i64,
    pub typed: Typed,
    pub body: String,
    /// File line of the body's first line.
    pub body_line: usize,
    /// Where some fields are written (`valid_until` …), for diagnostics
    /// raised after loading; (line, column).
    pub field_at: Vec<(&'static str, (usize, usize))>,
}

impl Document {
    /// The position of field `key` in the file, or the file's first line.
    pub fn at(&self, key: &str) -> (usize, usize) {
        self.field_at
            .iter()
            .find(|(k, _)| *k == key)
            .map_or((1, 1), |(_, p)| *p)
    }
}

impl Document {
    /// The year a document is filed under on `years/<yyyy>/`: a case's own
    /// `year`, otherwise its publication year.
    pub fn year(&self) -> Option<i64> {
        match self.typed {
            Typed::Case { year, .. } => Some(year),
            _ => self.date.map(|d| i64::from(d.year)),
        }
    }
}

/// A folder's `_index.md` (or a folder without one).
#[derive(Clone, Debug, Default)]
pub struct Section {
    /// `content/lists/_index.md`, or empty when the folder has none.
    pub rel: String,
    /// The folder below `content/` (`lists/scjg`; empty for the home page).
    pub key: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub weight: i64,
    pub body: String,
    pub body_line: usize,
    pub extra: serde_json::Map<String, serde_json::Value>,
}
