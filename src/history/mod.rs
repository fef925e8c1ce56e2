//! Git as a data source: each source file's revisions (date, public note,
//! whether it is minor), read from the repository once per build with a
//! walk of the commits and their tree diffs (see [`read`]); and what a
//! reader sees of a document's history ([`public()`]), from git and from the
//! front matter's `revisions`.
//!
//! A commit message is written for colleagues, so what it says is private
//! unless its author wrote a line for the public: a `修订说明: …` trailer
//! (`Change-Note: …`). The subject, author, e-mail and file paths are never
//! kept, so nothing downstream can publish them; a revision without such a
//! line is shown as 内容修订 with its date.
//!
//! Clerks mark a revision as minor (a typo, formatting) so it does not show
//! in the public change history or move the "last updated" date: a commit
//! subject starting with `[minor]`, `[小改]` or `小改：`, or a trailer line
//! `Change-Type: minor` / `修订类型: 小改` in the commit message. (The
//! subject is read for that mark, never published.)

use std::collections::HashMap;

use crate::date::Date;

mod git;
mod log;
mod public;

pub use self::git::read;
pub use self::log::beijing_day;
pub use self::public::{Entry, Public, public};

/// One commit that touched a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub commit: String,
    /// The commit date, as a day in Beijing time.
    pub date: Date,
    /// The `修订说明:` trailer, the only part of the message meant for the
    /// public; `None` without one.
    pub note: Option<String>,
    pub minor: bool,
}

/// The note of a revision whose author wrote none for the public.
pub const NEUTRAL_NOTE: &str = "内容修订";
/// The note of the first publication.
pub const FIRST_NOTE: &str = "首次发布";

/// What the repository says about the site's files.
#[derive(Debug, Default)]
pub struct History {
    /// Site-relative path (`content/lists/a.md`) → revisions, newest first.
    pub files: HashMap<String, Vec<Revision>>,
    /// The clone is shallow: the oldest revision seen may not be the first.
    pub shallow: bool,
    /// The oldest commit in a shallow clone (its files' "first" revision is
    /// only where the history was cut).
    pub boundary: Option<String>,
}

impl History {
    pub fn revisions(&self, rel: &str) -> &[Revision] {
        self.files.get(rel).map_or(&[], Vec::as_slice)
    }

    /// Revisions readers see: substantive ones, newest first, without the
    /// commit where a shallow clone's history was cut (its note describes
    /// some other change).
    pub fn public_revisions(&self, rel: &str) -> Vec<Revision> {
        self.revisions(rel)
            .iter()
            .filter(|r| !r.minor && self.boundary.as_deref() != Some(r.commit.as_str()))
            .cloned()
            .collect()
    }

    /// The day a file was first published, when history shows it.
    pub fn first_published(&self, rel: &str) -> Option<Date> {
        let oldest = self.revisions(rel).last()?;
        (self.boundary.as_deref() != Some(oldest.commit.as_str())).then_some(oldest.date)
    }
}
