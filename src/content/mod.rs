//! The content model and its loading: what a site's `content/` folder means.
//!
//! A document's type is its top-level folder (`lists/`, `guidance/`,
//! `cases/`, `warnings/`, `reports/`, anything else is a plain page).
//! [`load`] walks the tree, parses and validates every file in parallel and
//! returns the model plus every problem found; nothing here renders or
//! writes.

pub mod attach;
mod load;
pub mod types;
mod validate;

pub use load::{
    Asset, Loaded, Parsed, Unpublished, Walked, assemble, check_attachments, check_syntax, load,
    parse_file, parse_text, read_source, walk,
};

pub use attach::Attachment;
pub use types::{Item, Risk};

use crate::date::Date;

/// A document's type: the small enum the rest of the code matches on. Each
/// is defined once, as data, in [`types`] ([`types::ALL`], in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocType {
    Lists,
    Guidance,
    Cases,
    Warnings,
    Reports,
    Page,
}

impl DocType {
    /// Every type, in the order of [`types::ALL`].
    pub const ALL: [DocType; types::ALL.len()] = types::all();

    /// The typed ones (every type but plain pages), in the order the site
    /// shows them.
    pub const TYPED: [DocType; types::TYPED_COUNT] = types::typed();

    /// Its definition.
    pub fn def(self) -> &'static types::Type {
        &types::ALL[self as usize]
    }

    /// The type of a document in top-level folder `folder`.
    pub fn from_folder(folder: &str) -> DocType {
        types::ALL
            .iter()
            .find(|t| t.typed && t.key == folder)
            .map_or(DocType::Page, |t| t.doc_type)
    }

    /// The folder name, also the type's key in URLs and templates.
    pub fn key(self) -> &'static str {
        self.def().key
    }

    /// What a reader calls this type.
    pub fn name(self) -> &'static str {
        self.def().name
    }

    pub fn is_typed(self) -> bool {
        self.def().typed
    }
}

/// Templates and data files see a type as its key (`"lists"`).
impl serde::Serialize for DocType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
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
    /// An annual report (服务型行政执法工作专项报告).
    Report {
        /// 报告年度: the year reported on, not the publication year.
        year: i64,
        /// 工作数据, when the report gives any.
        figures: Option<types::reports::Figures>,
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
    /// 附件: files published beside the page, in the order written
    /// (checked against the files by [`attach::check_files`]).
    pub attachments: Vec<Attachment>,
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
    /// The year a document is filed under on `years/<yyyy>/`: a case's or
    /// a report's own `year`, otherwise its publication year.
    pub fn year(&self) -> Option<i64> {
        match self.typed {
            Typed::Case { year, .. } | Typed::Report { year, .. } => Some(year),
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
