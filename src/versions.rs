//! List versions ("dynamic management"): every revision of a list in git
//! becomes a version with its effective date (a site that does not read
//! git, `[history] git = false`, has none); items are matched across
//! versions by `id`, and each version records what changed — items added,
//! removed, and changed field by field.
//!
//! Old contents come from one `git cat-file --batch` process fed every
//! `<commit>:<path>` at once; a text is parsed once however many revisions
//! have it, and not at all when it is the file as loaded. A revision whose items did not change (a
//! title fix, a new preamble) is not a new version of the list.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::config::Config;
use crate::content::{Document, Item, Parsed, Typed, Unpublished, parse_text};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::history::{History, Revision};

/// One field of an item that changed between two versions.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    /// The field's name as readers see it (违法行为 …).
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// What one version changed relative to the one before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    /// (item after the change, the fields that changed)
    pub changed: Vec<(Item, Vec<FieldChange>)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// A list as it stood from `effective` on.
#[derive(Clone, Debug)]
pub struct Version {
    /// URL segment below `versions/` (the effective date, `-2` … when two
    /// versions share a day).
    pub slug: String,
    pub effective: Date,
    /// The commit that made this version (never shown).
    pub commit: String,
    /// The day it was published and its public note: the commit's day and
    /// `修订说明:` trailer as read here, replaced by its entry in the
    /// document's public history when the model is built
    /// ([`crate::model::Model::attach_versions`]).
    pub committed: Date,
    pub note: String,
    pub title: String,
    pub items: Vec<Item>,
    /// Against the previous version; the first version has none.
    pub changes: Changes,
}

/// Items of `after` compared with `before`, by id.
pub fn diff(before: &[Item], after: &[Item]) -> Changes {
    let old: HashMap<&str, &Item> = before.iter().map(|i| (i.id.as_str(), i)).collect();
    let new: HashMap<&str, &Item> = after.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut c = Changes::default();
    for item in after {
        match old.get(item.id.as_str()) {
            None => c.added.push(item.clone()),
            Some(prev) => {
                // Every column but the id, which matched the items.
                let diffs: Vec<FieldChange> = Item::COLUMNS[1..]
                    .iter()
                    .zip(prev.cells()[1..].iter().zip(item.cells()[1..].iter()))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(f, (a, b))| FieldChange {
                        field: f,
                        before: (*a).to_string(),
                        after: (*b).to_string(),
                    })
                    .collect();
                if !diffs.is_empty() {
                    c.changed.push((item.clone(), diffs));
                }
            }
        }
    }
    c.removed = before
        .iter()
        .filter(|i| !new.contains_key(i.id.as_str()))
        .cloned()
        .collect();
    c
}

/// A revision's text, with the id of its blob.
struct Blob {
    id: String,
    text: String,
}

/// Reads the texts of every list's revisions through one `git cat-file`
/// and sends each list's (newest first; `None` where git has no such file)
/// as soon as they are read, so that parsing overlaps reading.
fn send_blobs(
    root: &Path,
    history: &History,
    lists: &[&Document],
    tx: &std::sync::mpsc::Sender<(usize, Vec<Option<Blob>>)>,
) {
    let requests: String = lists
        .iter()
        .flat_map(|doc| {
            history
                .revisions(&doc.rel)
                .iter()
                .map(move |r| format!("{}:{}\n", r.commit, doc.rel))
        })
        .collect();
    if requests.is_empty() {
        return;
    }
    let Ok(mut child) = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return;
    };
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(requests.as_bytes());
        }
        drop(stdin);
    });
    if let Some(stdout) = child.stdout.take() {
        let mut reader = BufReader::with_capacity(1 << 16, stdout);
        'lists: for (i, doc) in lists.iter().enumerate() {
            let revs = history.revisions(&doc.rel);
            if revs.is_empty() {
                continue;
            }
            let mut texts = Vec::with_capacity(revs.len());
            let mut ended = false;
            for _ in revs {
                match next_blob(&mut reader) {
                    Some(blob) => texts.push(blob),
                    None => {
                        ended = true;
                        break;
                    }
                }
            }
            texts.resize_with(revs.len(), || None);
            if tx.send((i, texts)).is_err() || ended {
                break 'lists;
            }
        }
    }
    let _ = writer.join();
    let _ = child.wait();
}

/// The next answer of `git cat-file --batch`: `Some(None)` for a missing
/// object or a text that is not UTF-8, `None` at the end of the output.
fn next_blob(reader: &mut impl BufRead) -> Option<Option<Blob>> {
    let mut header = String::new();
    if reader.read_line(&mut header).unwrap_or(0) == 0 {
        return None;
    }
    // "<sha> blob <size>" or "<name> missing"
    let mut parts = header.split_whitespace();
    let (id, kind, size) = (parts.next(), parts.next(), parts.next());
    let (Some(id), Some(size)) = (
        id,
        size.and_then(|s| s.parse::<usize>().ok())
            .filter(|_| kind == Some("blob")),
    ) else {
        return Some(None);
    };
    let mut buf = vec![0; size + 1];
    reader.read_exact(&mut buf).ok()?;
    buf.pop();
    Some(String::from_utf8(buf).ok().map(|text| Blob {
        id: id.to_string(),
        text,
    }))
}

/// What versions need of one revision's text: `None` when it does not
/// parse as a list (it was an error in its day).
#[derive(Clone)]
struct ListText {
    title: String,
    items: Vec<Item>,
    /// `effective`, else `date`, from the front matter.
    effective: Option<Date>,
}

impl ListText {
    fn of(doc: &Document) -> Option<ListText> {
        let Typed::List { items, .. } = &doc.typed else {
            return None;
        };
        Some(ListText {
            title: doc.title.clone(),
            items: items.clone(),
            effective: doc.effective.or(doc.date),
        })
    }

    fn parse(text: &str, doc: &Document, config: &Config) -> Option<ListText> {
        let (parsed, diags) = parse_text(text, &doc.rel, &doc.key, config);
        if diags
            .iter()
            .any(|d: &Diagnostic| d.severity == crate::diag::Severity::Error)
        {
            return None;
        }
        let Some(Parsed::Doc(doc)) = parsed else {
            return None;
        };
        let doc = std::sync::Arc::unwrap_or_clone(doc);
        let Typed::List { items, .. } = doc.typed else {
            return None;
        };
        Some(ListText {
            title: doc.title,
            items,
            effective: doc.effective.or(doc.date),
        })
    }
}

/// Every list's versions, oldest first, by site-relative path. Revisions
/// that no longer parse are skipped (they were errors in their day).
///
/// `lists` are the lists as loaded; `unpublished` says which of them had
/// errors. A revision whose text is the file's text now is the loaded
/// document (parsing it again gives the same), and a revision whose blob
/// an older revision of the same list already had is parsed once: most
/// lists have one revision or two, and the newest is usually the file as
/// it stands.
pub fn read(
    root: &Path,
    history: &History,
    lists: &[&Document],
    unpublished: &HashMap<String, Unpublished>,
    config: &Config,
) -> HashMap<String, Vec<Version>> {
    use rayon::prelude::*;
    // Each list's versions are independent: parse them in parallel, as
    // their texts arrive.
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        s.spawn(move || send_blobs(root, history, lists, &tx));
        rx.into_iter()
            .par_bridge()
            .filter_map(|(i, texts)| {
                let doc: &Document = lists.get(i)?;
                let clean = !matches!(unpublished.get(&doc.key), Some(Unpublished::Broken));
                let versions = versions_of(root, doc, clean, history, texts, config);
                (!versions.is_empty()).then(|| (doc.rel.clone(), versions))
            })
            .collect()
    })
}

/// One list's versions, oldest first, from the texts of its revisions
/// (newest first, as [`History::revisions`]). `clean`: the build loaded
/// the file without errors.
fn versions_of(
    root: &Path,
    doc: &Document,
    clean: bool,
    history: &History,
    texts: Vec<Option<Blob>>,
    config: &Config,
) -> Vec<Version> {
    // Oldest first; the shallow boundary is a real state of the file.
    let blobs: Vec<(&Revision, Blob)> = history
        .revisions(&doc.rel)
        .iter()
        .zip(texts)
        .filter_map(|(rev, blob)| Some((rev, blob?)))
        .rev()
        .collect();
    if blobs.is_empty() {
        return Vec::new();
    }
    // The file's text now, when the build loaded it without errors.
    let current = clean
        .then(|| crate::fs::read_text(&root.join(&doc.rel)).ok())
        .flatten();
    let read = |blob: &Blob| {
        if current.as_deref() == Some(blob.text.as_str()) {
            ListText::of(doc)
        } else {
            ListText::parse(&blob.text, doc, config)
        }
    };
    // Texts that come back (a revision undone) are parsed once.
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for (_, blob) in &blobs {
        *uses.entry(blob.id.as_str()).or_default() += 1;
    }
    let mut parsed: HashMap<&str, Option<ListText>> = HashMap::new();
    let mut versions: Vec<Version> = Vec::new();
    for (rev, blob) in &blobs {
        let list = if uses.get(blob.id.as_str()).is_some_and(|&n| n > 1) {
            parsed
                .entry(blob.id.as_str())
                .or_insert_with(|| read(blob))
                .clone()
        } else {
            read(blob)
        };
        let Some(ListText {
            title,
            items,
            effective,
        }) = list
        else {
            continue;
        };
        let effective = effective.unwrap_or(rev.date);
        let changes = versions
            .last()
            .map(|v| diff(&v.items, &items))
            .unwrap_or_default();
        if !versions.is_empty() && changes.is_empty() {
            // Same items: the newer title is kept, no new version.
            if let Some(v) = versions.last_mut() {
                v.title = title;
            }
            continue;
        }
        versions.push(Version {
            slug: effective.to_string(),
            effective,
            commit: rev.commit.clone(),
            committed: rev.date,
            note: rev.note.clone().unwrap_or_default(),
            title,
            items,
            changes,
        });
    }
    // Unique slugs: a second version effective the same day gets `-2`.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for v in &mut versions {
        let n = seen.entry(v.slug.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            v.slug = format!("{}-{n}", v.slug);
        }
    }
    versions
}

/// For a site whose commits are not its publication history
/// (`[history] git = false`): versions keep the texts and their effective
/// dates, and lose their commits' days and notes, which
/// [`crate::model::Model::attach_versions`] then takes from the front
/// matter's `revisions`.
pub fn forget_commits(versions: &mut HashMap<String, Vec<Version>>) {
    for v in versions.values_mut().flatten() {
        v.commit.clear();
        v.committed = v.effective;
        v.note.clear();
    }
}

/// `check`'s rules across versions: an id reused for a different violation,
/// and an item removed and re-added under a new id with identical text.
pub fn check(rel: &str, versions: &[Version], diags: &mut Vec<Diagnostic>) {
    let mut first_violation: HashMap<&str, (&str, &str)> = HashMap::new();
    for v in versions {
        for item in &v.items {
            match first_violation.get(item.id.as_str()) {
                Some((violation, when)) if *violation != &*item.violation => {
                    diags.push(
                        Diagnostic::warning(
                            rel,
                            "items.id",
                            format!(
                                "编号 {} 在 {} 版中是“{}”，在 {} 版中变成了“{}”",
                                item.id, when, violation, v.slug, item.violation
                            ),
                        )
                        .hint("编号一旦公布就代表同一违法行为；新的违法行为请用新编号"),
                    );
                }
                Some(_) => {}
                None => {
                    first_violation.insert(&item.id, (&item.violation, &v.slug));
                }
            }
        }
        for added in &v.changes.added {
            if let Some(old) = v
                .changes
                .removed
                .iter()
                .find(|r| r.cells()[1..] == added.cells()[1..])
            {
                diags.push(
                    Diagnostic::warning(
                        rel,
                        "items.id",
                        format!(
                            "{} 版删除了 {}，又以新编号 {} 加入了内容完全相同的一项",
                            v.slug, old.id, added.id
                        ),
                    )
                    .hint("可能是误改了编号；如是同一事项，请恢复原编号"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, violation: &str, handling: &str) -> Item {
        Item {
            id: id.into(),
            violation: violation.into(),
            handling: handling.into(),
            ..Item::default()
        }
    }

    #[test]
    fn diffs_by_id_and_field() {
        let before = vec![
            item("A", "甲", "责令改正"),
            item("B", "乙", "x"),
            item("C", "丙", "y"),
        ];
        let after = vec![
            item("A", "甲", "责令限期改正"),
            item("C", "丙", "y"),
            item("D", "丁", "z"),
        ];
        let c = diff(&before, &after);
        assert_eq!(
            c.added.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["D"]
        );
        assert_eq!(
            c.removed.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["B"]
        );
        assert_eq!(c.changed.len(), 1);
        assert_eq!(
            c.changed[0].1,
            vec![FieldChange {
                field: "处理方式",
                before: "责令改正".into(),
                after: "责令限期改正".into()
            }]
        );
        assert!(diff(&after, &after).is_empty());
    }

    #[test]
    fn checks_reused_and_renumbered_ids() {
        let v1 = Version {
            slug: "2024-01-01".into(),
            effective: Date::new(2024, 1, 1).expect("date"),
            commit: String::new(),
            committed: Date::new(2024, 1, 1).expect("date"),
            note: String::new(),
            title: String::new(),
            items: vec![item("A", "甲", "x"), item("B", "乙", "y")],
            changes: Changes::default(),
        };
        let items2 = vec![item("A", "另一个行为", "x"), item("B2", "乙", "y")];
        let v2 = Version {
            slug: "2025-01-01".into(),
            changes: diff(&v1.items, &items2),
            items: items2,
            ..v1.clone()
        };
        let mut diags = Vec::new();
        check("content/lists/a.md", &[v1, v2], &mut diags);
        let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert!(
            text[0].contains("编号 A 在 2024-01-01 版中是“甲”"),
            "{text:?}"
        );
        assert!(text[1].contains("删除了 B，又以新编号 B2"), "{text:?}");
    }
}
