//! What a reader sees of a document's history: its public entries, from
//! the front matter's `revisions` and the substantive commits.

use super::log::History;
use crate::date::Date;

/// The note of a revision whose author wrote none for the public.
pub const NEUTRAL_NOTE: &str = "内容修订";
/// The note of the first publication.
pub const FIRST_NOTE: &str = "首次发布";

/// One line of a document's public 修订记录.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub date: Date,
    pub note: String,
    /// The commit it stands for, when git has one (to find the list
    /// version it made); never shown.
    pub commit: Option<String>,
    /// The first publication (the last entry).
    pub first: bool,
}

/// What readers see of one document's history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Public {
    /// 首次发布: the front matter's `date`; git's first commit only for a
    /// document without one. A commit before `date` (drafting, or a site
    /// that went online after the document was issued) is never shown as
    /// the publication.
    pub published: Option<Date>,
    /// The newest revision after the publication, if any.
    pub updated: Option<Date>,
    /// Newest first; the last is the publication when there is any entry.
    pub entries: Vec<Entry>,
}

/// A document's public history: the revisions its front matter notes
/// (`revisions`), and the substantive commits of `rel` when `history` is
/// read. A commit on a day the front matter notes a revision is that
/// revision (the note written in the file wins over 内容修订); when the
/// front matter notes revisions, other commits show only if they carry a
/// `修订说明:` trailer; commits before the publication are not shown.
/// Without either source there are no entries (and no 修订记录), unless
/// `front_matter_only` (`[history] git = false`: the front matter is the
/// whole record, so every dated document has its publication entry, as
/// every committed one has with git).
pub fn public(
    rel: &str,
    date: Option<Date>,
    noted: &[crate::content::NotedRevision],
    history: Option<&History>,
    front_matter_only: bool,
) -> Public {
    let git_first = history.and_then(|h| h.first_published(rel));
    let published = date.or(git_first);
    let mut entries: Vec<Entry> = noted
        .iter()
        .map(|n| Entry {
            date: n.date,
            note: n.note.clone(),
            commit: None,
            first: false,
        })
        .collect();
    // The commit that created the file, when history reaches back to it.
    let creation = history
        .filter(|_| git_first.is_some())
        .and_then(|h| h.revisions(rel).last());
    if let Some(h) = history {
        for rev in h.public_revisions(rel) {
            if creation.is_some_and(|c| c.commit == rev.commit)
                || published.is_some_and(|p| rev.date < p)
            {
                continue;
            }
            match entries
                .iter_mut()
                .find(|e| e.date == rev.date && e.commit.is_none())
            {
                Some(e) => e.commit = Some(rev.commit.clone()),
                // The front matter keeps this document's record: a commit
                // with nothing for the public adds no line to it.
                None if rev.note.is_none() && !noted.is_empty() => {}
                None => entries.push(Entry {
                    date: rev.date,
                    note: rev.note.clone().unwrap_or_else(|| NEUTRAL_NOTE.to_string()),
                    commit: Some(rev.commit.clone()),
                    first: false,
                }),
            }
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.date));
    let updated = entries.first().map(|e| e.date);
    if let Some(published) = published
        && (creation.is_some() || !entries.is_empty() || front_matter_only)
    {
        entries.push(Entry {
            date: published,
            note: creation
                .and_then(|c| c.note.clone())
                .unwrap_or_else(|| FIRST_NOTE.to_string()),
            commit: creation.map(|c| c.commit.clone()),
            first: true,
        });
    }
    Public {
        published,
        updated,
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::log::parse_log;

    fn day(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn parses_log_records() {
        let log = "\u{1e}abc\u{1f}2024-03-01T09:00:00+08:00\u{1f}add item 13\n\n修订说明: 新增第13项\n\u{1f}\0\ncontent/a.md\0content/b.md\0\u{1e}def\u{1f}2024-01-01T09:00:00+08:00\u{1f}first commit\n\u{1f}\0\ncontent/a.md\0";
        let h = parse_log(log);
        assert_eq!(h.revisions("content/a.md").len(), 2);
        assert_eq!(
            h.revisions("content/b.md")[0].note.as_deref(),
            Some("新增第13项")
        );
        assert_eq!(h.revisions("content/a.md")[1].note, None);
        assert_eq!(h.first_published("content/a.md"), Some(day("2024-01-01")));
        let a = public("content/a.md", None, &[], Some(&h), false);
        assert_eq!(a.published, Some(day("2024-01-01")));
        assert_eq!(a.updated, Some(day("2024-03-01")));
        let notes: Vec<&str> = a.entries.iter().map(|e| e.note.as_str()).collect();
        assert_eq!(notes, ["新增第13项", "首次发布"]);
        let b = public("content/b.md", None, &[], Some(&h), false);
        assert_eq!(b.updated, None);
        assert_eq!(b.entries.len(), 1);
    }

    #[test]
    fn publication_is_the_front_matter_date() {
        let log = "\u{1e}c3\u{1f}2024-06-01T09:00:00+08:00\u{1f}tweak\n\u{1f}\0\ncontent/a.md\0\u{1e}c2\u{1f}2024-02-01T09:00:00+08:00\u{1f}draft 2\n\u{1f}\0\ncontent/a.md\0\u{1e}c1\u{1f}2024-01-01T09:00:00+08:00\u{1f}draft\n\u{1f}\0\ncontent/a.md\0";
        let h = parse_log(log);
        let noted = [crate::content::NotedRevision {
            date: day("2024-06-01"),
            note: "根据新规定修订第3项".into(),
            index: 0,
            at: (1, 1),
        }];
        let p = public(
            "content/a.md",
            Some(day("2024-03-01")),
            &noted,
            Some(&h),
            false,
        );
        assert_eq!(p.published, Some(day("2024-03-01")));
        assert_eq!(p.updated, Some(day("2024-06-01")));
        let shown: Vec<(String, &str, bool)> = p
            .entries
            .iter()
            .map(|e| (e.date.to_string(), e.note.as_str(), e.commit.is_some()))
            .collect();
        // The commit of 2024-06-01 is the noted revision; the draft of
        // 2024-02-01, before publication, is not shown.
        assert_eq!(
            shown,
            [
                ("2024-06-01".into(), "根据新规定修订第3项", true),
                ("2024-03-01".into(), "首次发布", true),
            ]
        );
        // Without git: the noted revision and the publication.
        let p = public("content/a.md", Some(day("2024-03-01")), &noted, None, false);
        assert_eq!(p.entries.len(), 2);
        assert!(p.entries.iter().all(|e| e.commit.is_none()));
        // Neither source: no history at all, unless the front matter is
        // the whole record.
        let day1 = Some(day("2024-03-01"));
        assert_eq!(public("content/a.md", day1, &[], None, false).entries, []);
        assert_eq!(
            public("content/a.md", day1, &[], None, true).entries.len(),
            1
        );
    }
}
