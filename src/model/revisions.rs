//! Each document's public history in the model: its 修订记录, publication
//! and update days (from the front matter and git), revisions dated after
//! the build day reported, and list versions matched to those entries.

use crate::config::Config;
use crate::content::Document;
use crate::date::Date;
use crate::diag::Diagnostic;

/// Per document, what its public history says (see [`crate::history::public`]).
pub(super) struct Histories {
    pub(super) updated: Vec<Option<Date>>,
    pub(super) first_published: Vec<Option<Date>>,
    pub(super) revisions: Vec<Vec<crate::history::Entry>>,
}

/// The public history of every document, from its front matter and, when
/// read, git.
pub(super) fn histories(
    config: &Config,
    documents: &[std::sync::Arc<Document>],
    history: Option<&crate::history::History>,
) -> Histories {
    let public: Vec<crate::history::Public> = documents
        .iter()
        .map(|d| {
            let front_matter_only = !config.history.git;
            crate::history::public(&d.rel, d.date, &d.revisions, history, front_matter_only)
        })
        .collect();
    let updated = documents
        .iter()
        .zip(&public)
        .map(|(d, p)| d.updated.or(p.updated))
        .collect();
    let first_published = public.iter().map(|p| p.published).collect();
    let revisions = public.into_iter().map(|p| p.entries).collect();
    Histories {
        updated,
        first_published,
        revisions,
    }
}

/// Reports revisions dated after the build day `today`.
pub(super) fn check_future_revisions(
    documents: &[std::sync::Arc<Document>],
    today: Date,
    diags: &mut Vec<Diagnostic>,
) {
    for d in documents {
        // A document dated after the build day is previewed (--future)
        // with its revisions.
        if d.date.is_some_and(|x| x > today) {
            continue;
        }
        for r in d.revisions.iter().filter(|r| r.date > today) {
            diags.push(
                Diagnostic::error(
                    d.rel.clone(),
                    format!("revisions[{}].date", r.index + 1),
                    format!("修订日期 {} 晚于生成日期 {today}", r.date),
                )
                .at(r.at.0, r.at.1)
                .hint("修订记录只记已经发生的修订；请核对日期"),
            );
        }
    }
}

/// Gives each version of one list the day and note of its entry in the
/// public history `entries`, so that no page says more about a commit than
/// the 修订记录 does: the entry of its commit; else, for the first version,
/// the publication; else the newest noted revision not yet taken on or
/// before the day it took effect (a site without git dates, `[history] git
/// = false`); else 内容修订, on the day it was committed but never before
/// the publication.
pub(super) fn match_versions(
    vs: &mut [crate::versions::Version],
    entries: &[crate::history::Entry],
    first_published: Option<Date>,
) {
    use crate::history::{FIRST_NOTE, NEUTRAL_NOTE};
    let by_commit = |v: &crate::versions::Version| {
        entries
            .iter()
            .position(|e| !v.commit.is_empty() && e.commit.as_deref() == Some(v.commit.as_str()))
    };
    let mut used: Vec<usize> = vs.iter().filter_map(by_commit).collect();
    for (n, v) in vs.iter_mut().enumerate() {
        let found = by_commit(v).or_else(|| {
            let k = (0..entries.len()).find(|k| {
                let e = &entries[*k];
                !used.contains(k)
                    && if n == 0 {
                        e.first
                    } else {
                        !e.first && e.commit.is_none() && e.date <= v.effective
                    }
            })?;
            used.push(k);
            Some(k)
        });
        match found.map(|k| &entries[k]) {
            Some(e) => {
                v.committed = e.date;
                v.note = e.note.clone();
            }
            None => {
                if let Some(p) = first_published {
                    v.committed = v.committed.max(p);
                }
                if v.note.is_empty() {
                    let note = if n == 0 { FIRST_NOTE } else { NEUTRAL_NOTE };
                    v.note = note.to_string();
                }
            }
        }
    }
}
