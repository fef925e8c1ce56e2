//! Pages about change: each list's versions (one page per version, as the
//! list stood, and a point-in-time index), and the site-wide "what changed"
//! page with its Atom feeds (site, per agency, per industry).

use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Serialize;

use super::context::{DateCtx, ItemCtx, TermRef, VersionRef, summary_words};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::escape::{url_path, xml};
use crate::markdown::Rendered;
use crate::model::Model;
use crate::output::Output;
use crate::versions::FieldChange;

/// Each list's `doc` context as a template value, made once for all its
/// version pages instead of once per page (a value's maps and arrays are
/// shared, so handing out copies costs nothing).
pub struct DocValues(Vec<OnceLock<tera::Value>>);

impl DocValues {
    pub fn new(model: &Model) -> DocValues {
        DocValues(model.docs.iter().map(|_| OnceLock::new()).collect())
    }

    /// `doc` for document `i`, as `Context::insert("doc", &doc_ctx)` makes it.
    pub fn get(&self, model: &Model, i: usize, rendered: &Rendered) -> tera::Value {
        let make = || tera::Value::from_serializable(&model.doc_ctx(i, rendered));
        match self.0.get(i) {
            Some(cell) => cell.get_or_init(make).clone(),
            None => make(),
        }
    }
}

#[derive(Serialize, Debug)]
pub struct ChangedItem<'a> {
    pub id: &'a str,
    pub anchor: String,
    pub violation: &'a str,
    pub fields: Vec<FieldCtx<'a>>,
}

/// One changed field: the whole texts, and each cut into runs that say
/// what the other side lacks (see [`super::textdiff`]).
#[derive(Serialize, Debug)]
pub struct FieldCtx<'a> {
    pub field: &'static str,
    pub before: &'a str,
    pub after: &'a str,
    pub before_runs: Vec<super::textdiff::Run>,
    pub after_runs: Vec<super::textdiff::Run>,
}

impl<'a> FieldCtx<'a> {
    fn of(f: &'a FieldChange) -> FieldCtx<'a> {
        let (before_runs, after_runs) = super::textdiff::runs(&f.before, &f.after);
        FieldCtx {
            field: f.field,
            before: &f.before,
            after: &f.after,
            before_runs,
            after_runs,
        }
    }
}

#[derive(Serialize, Debug)]
pub struct ChangesCtx<'a> {
    pub added: Vec<ItemCtx<'a>>,
    pub removed: Vec<ItemCtx<'a>>,
    pub changed: Vec<ChangedItem<'a>>,
}

/// One version, for its own page.
#[derive(Serialize, Debug)]
pub struct VersionCtx<'a> {
    #[serde(flatten)]
    pub info: VersionRef,
    pub title: &'a str,
    pub committed: DateCtx,
    pub items: Vec<ItemCtx<'a>>,
    pub changes: ChangesCtx<'a>,
    pub first: bool,
    pub prev_url: String,
    pub next_url: String,
}

impl Model {
    pub fn version_ctx(&self, i: usize, n: usize) -> VersionCtx<'_> {
        let vs = &self.versions[i];
        let v = &vs[n];
        let mut refs = self.version_refs(i);
        let info = refs.swap_remove(n);
        VersionCtx {
            info,
            title: &v.title,
            committed: v.committed.into(),
            items: super::groups::ordered(&v.items, &[])
                .into_iter()
                .map(ItemCtx::placed)
                .collect(),
            changes: ChangesCtx {
                added: v.changes.added.iter().map(ItemCtx::of).collect(),
                removed: v.changes.removed.iter().map(ItemCtx::of).collect(),
                changed: v
                    .changes
                    .changed
                    .iter()
                    .map(|(it, f)| ChangedItem {
                        id: &it.id,
                        anchor: format!("item-{}", it.id),
                        violation: &it.violation,
                        fields: f.iter().map(FieldCtx::of).collect(),
                    })
                    .collect(),
            },
            first: n == 0,
            prev_url: if n > 0 {
                self.url(&self.version_path(i, &vs[n - 1].slug))
            } else {
                String::new()
            },
            next_url: vs
                .get(n + 1)
                .map(|x| self.url(&self.version_path(i, &x.slug)))
                .unwrap_or_default(),
        }
    }
}

/// One substantive change anywhere on the site.
#[derive(Serialize, Debug, Clone)]
pub struct ChangeEntry {
    pub date: DateCtx,
    #[serde(skip)]
    pub day: Date,
    #[serde(skip)]
    pub doc: usize,
    pub title: String,
    pub url: String,
    pub type_name: &'static str,
    pub agency: Option<TermRef>,
    pub note: String,
    /// For list versions: what changed, and the version page.
    pub summary: String,
    pub version_url: String,
}

/// Every public revision of every typed document, newest first.
pub fn entries(model: &Model) -> Vec<ChangeEntry> {
    let mut out = Vec::new();
    for (i, d) in model.docs.iter().enumerate() {
        if !d.doc_type.is_typed() {
            continue;
        }
        let vs = &model.versions[i];
        for rev in &model.revisions[i] {
            // The version this revision made: by its commit, or for a
            // revision noted in the front matter, by the day and note the
            // version took from it.
            let version = match rev.commit.as_deref() {
                Some(c) => vs.iter().position(|v| v.commit == c),
                None => vs
                    .iter()
                    .position(|v| v.committed == rev.date && v.note == rev.note),
            };
            out.push(ChangeEntry {
                date: rev.date.into(),
                day: rev.date,
                doc: i,
                title: d.title.clone(),
                url: model.url(&d.url),
                type_name: d.doc_type.name(),
                agency: d
                    .agency
                    .as_deref()
                    .and_then(|a| model.term_ref(crate::config::RegistryKind::Agencies, a)),
                note: rev.note.clone(),
                summary: version
                    .map(|n| summary_words(&vs[n], n == 0))
                    .unwrap_or_default(),
                version_url: version
                    .map(|n| model.url(&model.version_path(i, &vs[n].slug)))
                    .unwrap_or_default(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.day
            .cmp(&a.day)
            .then_with(|| a.url.cmp(&b.url))
            .then_with(|| a.note.cmp(&b.note))
    });
    out
}

/// An Atom feed of changes.
pub fn atom(model: &Model, path: &str, title: &str, entries: &[&ChangeEntry]) -> String {
    let updated = entries
        .first()
        .map_or_else(|| model.site_updated(), |e| e.day)
        .rfc3339();
    let mut s = String::new();
    super::feeds::feed_head(&mut s, model, path, "changes/", title, &updated);
    for e in entries.iter().take(50) {
        let d = &model.docs[e.doc];
        let link = url_path(&model.permalink(&d.url));
        let target = if e.version_url.is_empty() {
            link.clone()
        } else {
            url_path(&format!(
                "{}{}",
                model.config.base_url,
                e.version_url.trim_start_matches(&model.config.base_path())
            ))
        };
        let id = format!(
            "{link}#{}-{}",
            e.day,
            crate::hash::fnv(e.note.as_bytes()) as u32
        );
        let text = if e.summary.is_empty() {
            e.note.clone()
        } else if e.summary.starts_with(&e.note) {
            // 首次发布（首次发布，共 12 项）says it twice.
            e.summary.clone()
        } else {
            format!("{}（{}）", e.note, e.summary)
        };
        s.push_str("  <entry>\n");
        let _ = writeln!(s, "    <title>{}：{}</title>", xml(&d.title), xml(&e.note));
        let _ = writeln!(s, "    <id>{}</id>", xml(&id));
        let _ = writeln!(
            s,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(&target)
        );
        let _ = writeln!(s, "    <updated>{}</updated>", e.day.rfc3339());
        if let Some(a) = &e.agency {
            let _ = writeln!(s, "    <author><name>{}</name></author>", xml(&a.name));
        } else {
            let _ = writeln!(
                s,
                "    <author><name>{}</name></author>",
                xml(&model.config.title)
            );
        }
        let _ = writeln!(s, "    <summary type=\"text\">{}</summary>", xml(&text));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// `changes/atom.xml`, and `changes.xml` beside each agency's and
/// industry's own feed.
pub(super) fn write_feeds(
    model: &Model,
    all: &[ChangeEntry],
    out: &Output,
) -> Result<(), Diagnostic> {
    let mut feeds: Vec<(String, String, Vec<&ChangeEntry>)> = vec![(
        "changes/atom.xml".into(),
        format!("更新动态 - {}", model.config.title),
        all.iter().collect(),
    )];
    for r in model.registries.iter().filter(|r| r.kind.has_feeds()) {
        let segment = r.segment;
        for t in &r.registry.terms {
            let members = r.members.get(&t.key).map_or(&[][..], Vec::as_slice);
            let entries = all.iter().filter(|e| members.contains(&e.doc)).collect();
            feeds.push((
                format!("{segment}/{}/changes.xml", t.key),
                format!("{} 更新动态 - {}", t.name, model.config.title),
                entries,
            ));
        }
    }
    for (path, title, entries) in feeds {
        let body = atom(model, &path, &title, &entries);
        out.write(&path, body.as_bytes())
            .map_err(|e| Diagnostic::error(path.clone(), "输出", e.to_string()))?;
    }
    Ok(())
}
