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

mod git;
mod log;
mod public;

pub use self::git::read;
pub use self::log::{History, Revision, beijing_day};
pub use self::public::{Entry, FIRST_NOTE, NEUTRAL_NOTE, Public, public};
