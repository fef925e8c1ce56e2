//! Git as a data source: each source file's revisions (date, public note,
//! whether it is minor), read from the repository once per build with a
//! walk of the commits and their tree diffs (see [`read`]); and what a
//! reader sees of a document's history ([`public`]), from git and from the
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
use std::path::Path;
use std::process::Command;

use crate::date::Date;

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

/// Reads the history of `root/content`. Returns `None` with a notice when
/// the site is not in a git repository or git is missing; the build then
/// uses front-matter dates only.
pub fn read(root: &Path) -> (Option<History>, Vec<String>) {
    let mut notices = Vec::new();
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "core.quotepath=false",
                "-c",
                "log.showSignature=false",
            ])
            .args(args)
            .env("LC_ALL", "C")
            .output()
    };
    // One process: inside a work tree? shallow? where below the top?
    let probe = match git(&[
        "rev-parse",
        "--is-inside-work-tree",
        "--is-shallow-repository",
        "--show-prefix",
    ]) {
        Ok(out) => out,
        Err(_) => {
            notices.push("未找到 git 程序：更新日期和修订记录只取自前置元数据。".to_string());
            return (None, notices);
        }
    };
    let probe_text = String::from_utf8_lossy(&probe.stdout);
    let mut probe_lines = probe_text.lines();
    if !probe.status.success() || probe_lines.next() != Some("true") {
        notices.push("站点目录不在 git 仓库中：更新日期和修订记录只取自前置元数据。".to_string());
        return (None, notices);
    }
    let shallow = probe_lines.next() == Some("true");
    let at_top = probe_lines.next().is_none_or(str::is_empty);
    let fail = |notices: &mut Vec<String>, err: &str| {
        // A repository with no commits yet has no history to read.
        if !err.contains("unknown revision") && !err.contains("does not have any commits") {
            notices.push(format!(
                "读取 git 历史失败（{}）：只使用前置元数据中的日期。",
                err.trim()
            ));
        }
    };
    // The standard output of a git command, or a notice saying why not.
    let output = |notices: &mut Vec<String>, args: &[&str]| match git(args) {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => {
            fail(notices, &String::from_utf8_lossy(&o.stderr));
            None
        }
        Err(e) => {
            notices.push(format!("无法运行 git（{e}）：只使用前置元数据中的日期。"));
            None
        }
    };
    // Every commit with its parents: a walk without diffs, so cheap.
    let Some(all) = output(&mut notices, &["rev-list", "--parents", "HEAD"]) else {
        return (None, notices);
    };
    let walk = Walk::of(&all);
    // The commits that touched content/, newest first. Without merges that
    // is every commit whose diff names a file in content/, which the diffs
    // below show anyway; with merges, git's history simplification decides
    // which side branches count, so ask it with a path-limited walk.
    let revs = if walk.merges {
        let Some(revs) = output(&mut notices, &["rev-list", "HEAD", "--", "content"]) else {
            return (None, notices);
        };
        revs
    } else {
        walk.commits.join("\n")
    };
    let out = match names_and_messages(root, &revs, at_top) {
        Ok(out) => out,
        Err(e) => {
            notices.push(format!(
                "读取 git 历史失败（{e}）：只使用前置元数据中的日期。"
            ));
            return (None, notices);
        }
    };
    let mut history = parse_log(&out);
    history.shallow = shallow;
    if shallow {
        history.boundary = walk.last_root.map(str::to_string);
        notices.push(
            "这是浅克隆（shallow clone），只有部分修订历史：最早可见提交之前的发布日期取自前置元数据。如需完整历史，请运行 git fetch --unshallow。"
                .to_string(),
        );
    }
    (Some(history), notices)
}

/// What `git rev-list --parents HEAD` says about the shape of history.
#[derive(Debug, PartialEq, Eq)]
struct Walk<'a> {
    /// Every commit, newest first.
    commits: Vec<&'a str>,
    /// Some commit has two or more parents.
    merges: bool,
    /// The last commit without parents (where a shallow clone was cut).
    last_root: Option<&'a str>,
}

impl<'a> Walk<'a> {
    fn of(text: &'a str) -> Walk<'a> {
        let mut walk = Walk {
            commits: Vec::new(),
            merges: false,
            last_root: None,
        };
        for line in text.lines() {
            let mut ids = line.split_ascii_whitespace();
            let Some(commit) = ids.next() else { continue };
            walk.commits.push(commit);
            match ids.count() {
                0 => walk.last_root = Some(commit),
                1 => {}
                _ => walk.merges = true,
            }
        }
        walk
    }
}

/// What `git log -z --name-only --format=…` prints for `revs`, computed by
/// `git diff-tree --stdin` in two processes: the per-commit tree diffs are
/// the whole cost of reading history, and they parallelize across the
/// machine's cores. The processes take alternate runs of [`RUN`] commits,
/// not the two halves: a diff costs more where trees are big or objects
/// are not yet packed (recent commits), so halves can differ threefold,
/// while runs of neighbours keep git's cache of tree objects useful.
///
/// At the top of the repository the diffs are not limited to `content`
/// (matching each path against it costs more than the few other files
/// they name; [`parse_log`] keeps only `content/`); below the top, the
/// limit keeps git out of the rest of the repository.
fn names_and_messages(root: &Path, revs: &str, at_top: bool) -> Result<String, String> {
    let commits: Vec<&str> = revs.lines().filter(|l| !l.is_empty()).collect();
    let mut inputs = [String::new(), String::new()];
    for (n, run) in commits.chunks(RUN).enumerate() {
        for c in run {
            inputs[n % 2].push_str(c);
            inputs[n % 2].push('\n');
        }
    }
    let limit: &[&str] = if at_top { &[] } else { &["--", "content"] };
    let handles: Vec<_> = inputs
        .into_iter()
        .filter(|input| !input.is_empty())
        .map(|input| {
            let root = root.to_path_buf();
            std::thread::spawn(move || -> Result<Vec<u8>, String> {
                use std::io::Write;
                let mut child = Command::new("git")
                    .arg("-C")
                    .arg(&root)
                    .args([
                        "-c",
                        "core.quotepath=false",
                        "diff-tree",
                        "--stdin",
                        "--root",
                        "-r",
                        "--no-renames",
                        "--relative",
                        "-z",
                    ])
                    .args([
                        "--name-only",
                        "--no-color",
                        "--format=%x1e%H%x1f%cI%x1f%B%x1f",
                    ])
                    .args(limit)
                    .env("LC_ALL", "C")
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .map_err(|e| e.to_string())?;
                let mut stdin = child.stdin.take();
                let writer = std::thread::spawn(move || {
                    if let Some(s) = stdin.as_mut() {
                        let _ = s.write_all(input.as_bytes());
                    }
                });
                let out = child.wait_with_output().map_err(|e| e.to_string())?;
                let _ = writer.join();
                if out.status.success() {
                    Ok(out.stdout)
                } else {
                    Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
                }
            })
        })
        .collect();
    let mut outputs = Vec::new();
    for h in handles {
        let out = h
            .join()
            .map_err(|_| "git diff-tree panicked".to_string())??;
        outputs.push(String::from_utf8_lossy(&out).into_owned());
    }
    Ok(in_order(&commits, &outputs))
}

/// The records of `outputs` in the order of `commits` (newest first).
fn in_order(commits: &[&str], outputs: &[String]) -> String {
    let position: HashMap<&str, usize> = commits.iter().enumerate().map(|(n, c)| (*c, n)).collect();
    let mut records: Vec<(usize, &str)> = outputs
        .iter()
        .flat_map(|o| o.split('\u{1e}'))
        .filter(|r| !r.trim_matches(['\0', '\n']).is_empty())
        .map(|r| {
            let hash = r.split('\u{1f}').next().unwrap_or("").trim();
            (position.get(hash).copied().unwrap_or(usize::MAX), r)
        })
        .collect();
    records.sort_by_key(|(n, _)| *n);
    records.iter().fold(String::new(), |mut all, (_, r)| {
        all.push('\u{1e}');
        all.push_str(r);
        all
    })
}

/// Commits in a row that one `git diff-tree` process takes.
const RUN: usize = 64;

/// Parses `git log -z --name-only --format=%x1e%H%x1f%cI%x1f%B%x1f`,
/// keeping the files in `content/`.
fn parse_log(text: &str) -> History {
    let mut history = History::default();
    for record in text
        .split('\u{1e}')
        .filter(|r| !r.trim_matches(['\0', '\n']).is_empty())
    {
        let mut fields = record.splitn(4, '\u{1f}');
        let (Some(hash), Some(date), Some(body), Some(names)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let mut names = names
            .split('\0')
            .map(|n| n.trim_matches('\n'))
            .filter(|n| n.starts_with("content/"))
            .peekable();
        if names.peek().is_none() {
            continue;
        }
        let Some(date) = beijing_day(date.trim()) else {
            continue;
        };
        let (note, minor) = note_of(body);
        let rev = Revision {
            commit: hash.trim().to_string(),
            date,
            note,
            minor,
        };
        for name in names {
            history
                .files
                .entry(name.to_string())
                .or_default()
                .push(rev.clone());
        }
    }
    history
}

/// The public note of a commit message (its `修订说明:` trailer, if any)
/// and whether it is minor. The subject is read only for the minor mark.
fn note_of(message: &str) -> (Option<String>, bool) {
    let mut lines = message.lines();
    let subject = lines.next().unwrap_or("").trim();
    let mut minor = ["[minor]", "[小改]", "小改：", "小改:"]
        .iter()
        .any(|prefix| subject.starts_with(prefix));
    let mut note = None;
    for line in lines {
        let Some((key, value)) = line.split_once(':').or_else(|| line.split_once('：')) else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key.to_ascii_lowercase().as_str() {
            "change-type" | "修订类型"
                if matches!(value.to_ascii_lowercase().as_str(), "minor" | "小改") =>
            {
                minor = true
            }
            "change-note" | "修订说明" if !value.is_empty() => note = Some(value.to_string()),
            _ => {}
        }
    }
    (note, minor)
}

/// The Beijing day of an ISO 8601 / RFC 3339 timestamp (`2024-03-01T09:00:00+08:00`).
pub fn beijing_day(ts: &str) -> Option<Date> {
    let date = Date::parse(ts.get(..10)?).ok()?;
    let time = ts.get(11..19)?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let zone = ts.get(19..).unwrap_or("Z");
    let zone = zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = if zone.is_empty() || zone.eq_ignore_ascii_case("z") {
        0
    } else {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        let oh: i64 = digits.get(..2)?.parse().ok()?;
        let om: i64 = digits.get(2..4).unwrap_or("00").parse().ok()?;
        sign * (oh * 3600 + om * 60)
    };
    let utc = date.to_days() * 86_400 + h * 3600 + m * 60 + s - offset;
    Some(Date::from_days((utc + 8 * 3600).div_euclid(86_400)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_beijing_days() {
        let d = |s| beijing_day(s).map(|d| d.to_string());
        assert_eq!(
            d("2024-03-01T09:00:00+08:00").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(d("2024-02-29T16:30:00Z").as_deref(), Some("2024-03-01"));
        assert_eq!(
            d("2024-03-01T01:00:00-05:00").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(
            d("2024-03-01T00:30:00+09:00").as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(d("nonsense"), None);
    }

    #[test]
    fn only_trailers_are_public_notes() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(note_of("调整第5项适用条件\n\n详细说明"), (None, false));
        assert_eq!(note_of("content: cases — fix typo"), (None, false));
        assert_eq!(note_of("[minor] 修正错别字"), (None, true));
        assert_eq!(note_of("小改：格式"), (None, true));
        assert_eq!(note_of("更新\n\nChange-Type: minor"), (None, true));
        assert_eq!(
            note_of("更新 lists/a.md\n\n修订说明: 新增第13项\n修订类型: 重要"),
            (some("新增第13项"), false)
        );
        assert_eq!(
            note_of("lists: item 13\n\nChange-Note: 新增第13项"),
            (some("新增第13项"), false)
        );
    }

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

    #[test]
    fn keeps_only_content_files() {
        let log = "\u{1e}abc\u{1f}2024-03-01T09:00:00+08:00\u{1f}改配置\n\u{1f}\0\nsite.toml\0contentious.md\0\u{1e}def\u{1f}2024-01-01T09:00:00+08:00\u{1f}首次发布\n\u{1f}\0\ncontent/a.md\0site.toml\0";
        let h = parse_log(log);
        assert_eq!(h.files.keys().collect::<Vec<_>>(), ["content/a.md"]);
        assert_eq!(h.revisions("content/a.md")[0].commit, "def");
    }

    #[test]
    fn records_of_alternate_runs_come_back_in_order() {
        let rec = |h: &str| {
            format!(
                "\u{1e}{h}\u{1f}2024-01-01T09:00:00+08:00\u{1f}改{h}\n\u{1f}\0\ncontent/{h}.md\0"
            )
        };
        let outputs = [rec("c4") + &rec("c1"), rec("c3") + &rec("c2")];
        let text = in_order(&["c4", "c3", "c2", "c1"], &outputs);
        assert_eq!(text, rec("c4") + &rec("c3") + &rec("c2") + &rec("c1"));
    }

    #[test]
    fn walks_tell_merges_and_roots() {
        let linear = Walk::of("c3 c2\nc2 c1\nc1\n");
        assert_eq!(linear.commits, ["c3", "c2", "c1"]);
        assert!(!linear.merges);
        assert_eq!(linear.last_root, Some("c1"));
        let merged = Walk::of("m c2 b1\nc2 c1\nb1 c1\nc1\n");
        assert!(merged.merges);
        assert_eq!(merged.last_root, Some("c1"));
        assert_eq!(Walk::of("").last_root, None);
    }
}
