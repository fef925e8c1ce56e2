//! The whole site as one indexed model: documents in reading order, their
//! URLs, sections, registry memberships, what supersedes what, and each
//! document's status on the build date. Cross-document rules are checked
//! here: unique URLs and `superseded_by` targets.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::config::{Config, Registry, RegistryKind};
use crate::content::{DocType, Document, Loaded, Section, Typed};
use crate::date::Date;
use crate::diag::{Diagnostic, Severity};

/// Where a document stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Current,
    Expired,
}

impl Status {
    /// The key templates and data files use.
    pub fn key(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Current => "current",
            Status::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "尚未施行",
            Status::Current => "现行有效",
            Status::Expired => "已失效",
        }
    }
}

/// A registry as published: its URL segment, its name and its terms.
#[derive(Clone, Debug)]
pub struct PublishedRegistry {
    pub kind: RegistryKind,
    /// Key in `site.toml` (`list_kinds`) and URL segment (`list-kinds`).
    pub key: &'static str,
    pub segment: &'static str,
    pub name: &'static str,
    /// Feeds are published for agencies and industries.
    pub has_feeds: bool,
    pub registry: Registry,
    /// Term key → indexes into `Model::docs`, newest first.
    pub members: BTreeMap<String, Vec<usize>>,
}

/// The indexed site.
#[derive(Clone)]
pub struct Model {
    pub config: Config,
    pub today: Date,
    /// Newest first (date, then weight, then URL); plain pages last.
    pub docs: Vec<std::sync::Arc<Document>>,
    pub sections: BTreeMap<String, Section>,
    pub assets: Vec<crate::content::Asset>,
    /// Source key (`lists/a.md`) → index in `docs`.
    pub by_key: HashMap<String, usize>,
    /// Index → indexes of the documents it supersedes.
    pub supersedes: HashMap<usize, Vec<usize>>,
    pub statuses: Vec<Option<Status>>,
    /// Per document: how its status changes with the date (typed only).
    pub timelines: Vec<Option<Timeline>>,
    pub registries: Vec<PublishedRegistry>,
    /// Section key → its documents and those of the folders below it.
    section_docs: HashMap<String, Vec<usize>>,
    /// Source files that exist but have no page (drafts, broken files).
    pub unpublished: HashMap<String, crate::content::Unpublished>,
    /// Per document: front matter `updated`, else its newest public
    /// revision (front matter `revisions` or git).
    pub updated: Vec<Option<Date>>,
    /// Per document: its front-matter `date`, else the day git first saw it.
    pub first_published: Vec<Option<Date>>,
    /// Per document: its public 修订记录, newest first, ending with the
    /// publication (see [`crate::history::public`]).
    pub revisions: Vec<Vec<crate::history::Entry>>,
    /// Per list: its versions from git, oldest first (empty without history).
    pub versions: Vec<Vec<crate::versions::Version>>,
}

/// URL segments that generated pages use at the top level.
pub const RESERVED_TOP: &[&str] = &[
    "agencies",
    "districts",
    "industries",
    "list-kinds",
    "risk-levels",
    "methods",
    "years",
    "search",
    "data",
    "changes",
    "mediation",
    "page",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
];

impl Model {
    pub fn new(
        config: Config,
        loaded: Loaded,
        history: Option<&crate::history::History>,
        today: Date,
        diags: &mut Vec<Diagnostic>,
    ) -> Model {
        let Loaded {
            mut documents,
            mut sections,
            assets,
            unpublished,
        } = loaded;
        documents.sort_by(|a, b| {
            (a.doc_type == DocType::Page)
                .cmp(&(b.doc_type == DocType::Page))
                .then_with(|| b.date.cmp(&a.date))
                .then_with(|| a.weight.cmp(&b.weight))
                .then_with(|| a.url.cmp(&b.url))
        });
        for t in DocType::TYPED {
            sections
                .entry(t.key().to_string())
                .or_insert_with(|| Section {
                    key: t.key().into(),
                    ..Section::default()
                });
        }

        // Unique URLs, and none under a generated page's URL.
        let mut urls: HashMap<&str, &str> = HashMap::new();
        for s in sections.values().filter(|s| !s.key.is_empty()) {
            urls.insert(
                s.key.as_str(),
                if s.rel.is_empty() { "" } else { s.rel.as_str() },
            );
        }
        for d in &documents {
            let url = d.url.trim_end_matches('/');
            let top = url.split('/').next().unwrap_or("");
            if RESERVED_TOP.contains(&top) {
                diags.push(
                    Diagnostic::error(
                        &d.rel,
                        "slug",
                        format!("网址 {} 与系统生成的页面冲突", d.url),
                    )
                    .at(1, 1)
                    .hint(format!("“{top}”是保留名称，请换一个目录名、文件名或 slug")),
                );
            }
            match urls.get(url) {
                Some(other) if !other.is_empty() || sections.contains_key(url) => {
                    let what = if other.is_empty() {
                        format!("目录 content/{url}/")
                    } else {
                        other.to_string()
                    };
                    diags.push(
                        Diagnostic::error(&d.rel, "slug", format!("网址 {} 与 {what} 重复", d.url))
                            .at(1, 1)
                            .hint("每个文档的网址必须唯一；请修改文件名或 slug"),
                    );
                }
                _ => {
                    urls.insert(url, &d.rel);
                }
            }
        }
        for s in sections.values() {
            let top = s.key.split('/').next().unwrap_or("");
            if RESERVED_TOP.contains(&top) && !s.rel.is_empty() {
                diags.push(
                    Diagnostic::error(&s.rel, "路径", format!("目录名“{top}”与系统生成的页面冲突"))
                        .at(1, 1)
                        .hint("请把目录改名"),
                );
            }
        }

        let by_key: HashMap<String, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.key.clone(), i))
            .collect();
        let mut supersedes: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, d) in documents.iter().enumerate() {
            let Some(link) = &d.superseded_by else {
                continue;
            };
            match by_key.get(&link.target) {
                Some(&j) if j == i => diags.push(
                    Diagnostic::error(&d.rel, "superseded_by", "文档不能替代自身")
                        .at(link.line, link.col),
                ),
                Some(&j) => supersedes.entry(j).or_default().push(i),
                None => {
                    if let Some((severity, message, hint)) =
                        missing_target(&link.target, &by_key, &unpublished)
                    {
                        diags.push(Diagnostic {
                            severity,
                            ..Diagnostic::error(&d.rel, "superseded_by", message)
                                .at(link.line, link.col)
                                .hint(hint)
                        });
                    }
                }
            }
        }
        supersession_cycles(&documents, &by_key, diags);
        let timelines: Vec<Option<Timeline>> = documents
            .iter()
            .map(|d| timeline(d, &documents, &by_key))
            .collect();
        let statuses = timelines
            .iter()
            .map(|t| t.as_deref().map(|t| status_on(t, today)))
            .collect();
        let registries = publish_registries(&config, &documents);
        let mut section_docs: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in documents.iter().enumerate() {
            let mut key = d.section.as_str();
            while !key.is_empty() {
                section_docs.entry(key.to_string()).or_default().push(i);
                key = key.rfind('/').map_or("", |p| &key[..p]);
            }
        }
        for v in section_docs.values_mut() {
            if v.iter().all(|&i| documents[i].doc_type == DocType::Page) {
                v.sort_by(|&a, &b| {
                    let (x, y) = (&documents[a], &documents[b]);
                    x.weight.cmp(&y.weight).then_with(|| x.url.cmp(&y.url))
                });
            }
        }
        let public: Vec<crate::history::Public> = documents
            .iter()
            .map(|d| {
                let front_matter_only = !config.history.git;
                crate::history::public(&d.rel, d.date, &d.revisions, history, front_matter_only)
            })
            .collect();
        for d in &documents {
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
        let updated = documents
            .iter()
            .zip(&public)
            .map(|(d, p)| d.updated.or(p.updated))
            .collect();
        let first_published = public.iter().map(|p| p.published).collect();
        let revisions = public.into_iter().map(|p| p.entries).collect();
        let versions = vec![Vec::new(); documents.len()];
        Model {
            versions,
            timelines,
            updated,
            first_published,
            revisions,
            section_docs,
            unpublished,
            config,
            today,
            docs: documents,
            sections,
            assets,
            by_key,
            supersedes,
            statuses,
            registries,
        }
    }

    /// Attaches list versions read from git (by site-relative path). A version's day and note become those
    /// of its entry in the public history, so that no page says more about
    /// a commit than the 修订记录 does: the entry of its commit; else, for
    /// the first version, the publication; else the newest noted revision
    /// not yet taken on or before the day it took effect (a site without
    /// git dates, `[history] git = false`); else 内容修订, on the day it
    /// was committed but never before the publication.
    pub fn attach_versions(&mut self, mut by_rel: HashMap<String, Vec<crate::versions::Version>>) {
        use crate::history::{FIRST_NOTE, NEUTRAL_NOTE};
        for (i, d) in self.docs.iter().enumerate() {
            let Some(mut vs) = by_rel.remove(&d.rel) else {
                continue;
            };
            let entries = &self.revisions[i];
            let by_commit = |v: &crate::versions::Version| {
                entries.iter().position(|e| {
                    !v.commit.is_empty() && e.commit.as_deref() == Some(v.commit.as_str())
                })
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
                        if let Some(p) = self.first_published[i] {
                            v.committed = v.committed.max(p);
                        }
                        if v.note.is_empty() {
                            let note = if n == 0 { FIRST_NOTE } else { NEUTRAL_NOTE };
                            v.note = note.to_string();
                        }
                    }
                }
            }
            self.versions[i] = vs;
        }
    }

    /// Frees the documents' Markdown sources, once their bodies are
    /// rendered and their links checked: a full build reads them no more.
    /// A document shared with someone else (a live preview's snapshot)
    /// keeps its own.
    pub fn drop_sources(&mut self) {
        for d in &mut self.docs {
            if let Some(d) = std::sync::Arc::get_mut(d) {
                d.body = String::new();
            }
        }
    }

    /// The newest of a document's publication and update days.
    pub fn last_modified(&self, i: usize) -> Option<Date> {
        self.updated[i].max(self.docs[i].date)
    }

    /// Root-relative URL (`/zhifa/lists/a/`) of a path below the base.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_path())
    }

    /// Absolute URL of a path below the base.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    /// Source key → root-relative URL, for resolving `@/` links.
    pub fn url_map(&self) -> HashMap<String, String> {
        self.docs
            .iter()
            .map(|d| (d.key.clone(), self.url(&d.url)))
            .collect()
    }

    /// Documents in a folder and the folders below it, in reading order
    /// (plain pages by weight).
    pub fn docs_in_section(&self, key: &str) -> &[usize] {
        self.section_docs.get(key).map_or(&[], Vec::as_slice)
    }

    /// A section's display title: its `_index.md` title, else a registry name
    /// for agency folders, else the type name, else the folder name.
    pub fn section_title(&self, key: &str) -> String {
        if let Some(t) = self.sections.get(key).and_then(|s| s.title.clone()) {
            return t;
        }
        if key.is_empty() {
            return self.config.title.clone();
        }
        let last = key.rsplit('/').next().unwrap_or(key);
        if !key.contains('/') {
            let t = DocType::from_folder(key);
            if t.is_typed() {
                return t.name().into();
            }
        }
        if let Some(a) = self.config.agencies.get(last) {
            return a.name.clone();
        }
        last.to_string()
    }
}

/// The problem with a link to `target`, a source key with no page: `None`
/// when the target's own errors were already reported.
pub fn missing_target(
    target: &str,
    by_key: &HashMap<String, usize>,
    unpublished: &HashMap<String, crate::content::Unpublished>,
) -> Option<(Severity, String, String)> {
    match unpublished.get(target) {
        Some(crate::content::Unpublished::Broken) => None,
        Some(crate::content::Unpublished::Future(day)) => Some((
            Severity::Warning,
            format!(
                "链接的文档 content/{target} 定于 {} 发布，在此之前这个链接打不开",
                day.zh()
            ),
            "用 --future 预览尚未到发布日期的文档".to_string(),
        )),
        Some(crate::content::Unpublished::Draft) => Some((
            Severity::Error,
            format!("链接的文档 content/{target} 是草稿（draft = true），不会发布"),
            "先发布该文档（删除 draft = true），或删除这个链接".to_string(),
        )),
        None => Some((
            Severity::Error,
            format!("链接的文档 content/{target} 不存在"),
            crate::diag::did_you_mean(target, by_key.keys().map(String::as_str)),
        )),
    }
}

/// A status timeline: the status before any date, then `(day, status)`
/// for each change (see [`timeline`]).
pub type Timeline = Vec<(Option<Date>, Status)>;

/// How a document's status changes over time: the status before any date,
/// then each day it changes (pending → current on `effective`, → expired
/// the day after `expires` or `valid_until`, or when the document that
/// supersedes it takes effect). `None` for plain pages.
pub fn timeline(
    d: &Document,
    docs: &[std::sync::Arc<Document>],
    by_key: &HashMap<String, usize>,
) -> Option<Timeline> {
    if !d.doc_type.is_typed() {
        return None;
    }
    let next_day = |x: Date| Date::from_days(x.to_days() + 1);
    let mut ends: Vec<Option<Date>> = Vec::new();
    if let Some(link) = &d.superseded_by
        && let Some(&j) = by_key.get(&link.target)
    {
        // A replacement without dates replaced it from the start.
        ends.push(docs[j].effective.or(docs[j].date));
        if ends[0].is_none() {
            return Some(vec![(None, Status::Expired)]);
        }
    }
    ends.extend(d.expires.map(|x| Some(next_day(x))));
    if let Typed::Warning {
        valid_until: Some(v),
        ..
    } = &d.typed
    {
        ends.push(Some(next_day(*v)));
    }
    let end = ends.into_iter().flatten().min();
    let mut steps = match d.effective {
        Some(e) => vec![(None, Status::Pending), (Some(e), Status::Current)],
        None => vec![(None, Status::Current)],
    };
    if let Some(x) = end {
        steps.retain(|(from, _)| from.is_none_or(|f| f < x));
        steps.push((Some(x), Status::Expired));
    }
    Some(steps)
}

/// Reports every `superseded_by` cycle (A → B → A, or longer) on each of
/// its members, at its `superseded_by` line, naming the whole cycle from
/// that member. Each document names at most one successor, so following
/// successors once from every document finds all cycles in linear time.
fn supersession_cycles(
    docs: &[std::sync::Arc<Document>],
    by_key: &HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    let next = |i: usize| {
        let j = *by_key.get(&docs[i].superseded_by.as_ref()?.target)?;
        (j != i).then_some(j)
    };
    // 0: not seen; 1: on the path being followed; 2: done.
    let mut state = vec![0u8; docs.len()];
    let mut path = Vec::new();
    for start in 0..docs.len() {
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| state[i] == 0) {
            state[i] = 1;
            path.push(i);
            at = next(i);
        }
        if let Some(i) = at.filter(|&i| state[i] == 1) {
            let from = path.iter().position(|&p| p == i).unwrap_or(0);
            let cycle = &path[from..];
            for (n, &member) in cycle.iter().enumerate() {
                let names: Vec<&str> = cycle[n..]
                    .iter()
                    .chain(&cycle[..=n])
                    .map(|&m| docs[m].key.as_str())
                    .collect();
                let Some(link) = &docs[member].superseded_by else {
                    continue;
                };
                diags.push(
                    Diagnostic::error(
                        &docs[member].rel,
                        "superseded_by",
                        format!("superseded_by 形成循环：{}", names.join(" → ")),
                    )
                    .at(link.line, link.col)
                    .hint("替代关系只能指向更新的文档；请删除循环中较新文档的 superseded_by"),
                );
            }
        }
        for &i in &path {
            state[i] = 2;
        }
        path.clear();
    }
}

/// The status on `today`, from the timeline.
pub fn status_on(steps: &[(Option<Date>, Status)], today: Date) -> Status {
    steps
        .iter()
        .rev()
        .find(|(from, _)| from.is_none_or(|f| f <= today))
        .map_or(Status::Current, |(_, s)| *s)
}

fn publish_registries(
    config: &Config,
    docs: &[std::sync::Arc<Document>],
) -> Vec<PublishedRegistry> {
    let mut years: Vec<i64> = docs
        .iter()
        .filter(|d| d.doc_type.is_typed())
        .filter_map(|d| d.year())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let years_registry = Registry {
        terms: years
            .iter()
            .map(|y| crate::config::Term {
                key: y.to_string(),
                name: format!("{y}年"),
                ..Default::default()
            })
            .collect(),
    };
    let specs: Vec<(RegistryKind, Registry)> = RegistryKind::ALL
        .iter()
        .map(|&k| {
            let r = k.declared(config).cloned();
            (k, r.unwrap_or_else(|| years_registry.clone()))
        })
        .collect();
    // Each registry walks every document: side by side.
    specs
        .into_par_iter()
        .map(|(kind, registry)| {
            let mut members: BTreeMap<String, Vec<usize>> = registry
                .terms
                .iter()
                .map(|t| (t.key.clone(), Vec::new()))
                .collect();
            for (i, d) in docs.iter().enumerate() {
                each_term(kind, d, |term| {
                    if let Some(v) = members.get_mut(term) {
                        v.push(i);
                    }
                });
            }
            PublishedRegistry {
                kind,
                key: kind.key(),
                segment: kind.segment(),
                name: kind.name(),
                has_feeds: kind.has_feeds(),
                registry,
                members,
            }
        })
        .collect()
}

/// The terms of registry `kind` that document `d` belongs to.
pub fn terms_of(kind: RegistryKind, d: &Document) -> Vec<String> {
    let mut v = Vec::new();
    each_term(kind, d, |t| v.push(t.to_string()));
    v
}

/// Calls `f` with each term of registry `kind` that document `d` belongs
/// to (as [`terms_of`], without copying them).
pub fn each_term(kind: RegistryKind, d: &Document, mut f: impl FnMut(&str)) {
    match (kind, &d.typed) {
        (RegistryKind::Agencies, _) => d.agency.iter().for_each(|t| f(t)),
        (RegistryKind::Districts, _) => d.districts.iter().for_each(|t| f(t)),
        (RegistryKind::Industries, Typed::List { items, .. }) => {
            // A list belongs to its own industries and to those its items
            // name (an item may apply to a trade its list does not).
            d.industries.iter().for_each(|t| f(t));
            let mut seen: Vec<&str> = Vec::new();
            for t in items.iter().flat_map(|i| &i.industries) {
                if !d.industries.contains(t) && !seen.contains(&t.as_str()) {
                    seen.push(t);
                    f(t);
                }
            }
        }
        (RegistryKind::Industries, _) => d.industries.iter().for_each(|t| f(t)),
        (RegistryKind::ListKinds, Typed::List { kind, .. }) => f(kind),
        (RegistryKind::RiskLevels, Typed::Warning { level, .. }) => f(level),
        (RegistryKind::Methods, Typed::Guidance { method, .. }) => f(method),
        (RegistryKind::Methods, Typed::Case { methods, .. }) => {
            methods.iter().for_each(|t| f(t));
        }
        (RegistryKind::Years, _) if d.doc_type.is_typed() => {
            if let Some(y) = d.year() {
                f(&y.to_string());
            }
        }
        _ => {}
    }
}

/// A stable 索引号 for documents that give none: agency, year and a hash of
/// the source path (so adding documents never renumbers others).
pub fn derived_index_number(d: &Document) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in d.key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let agency = d.agency.as_deref().unwrap_or("site").to_ascii_uppercase();
    let year = d.date.map_or(0, |x| x.year);
    format!("{agency}/{year}-{h:08X}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every registry's pages are generated at its segment, so no content
    /// folder may take it; each registry has one facet and one key.
    #[test]
    fn registries_are_listed_once_and_reserved() {
        let mut seen = std::collections::HashSet::new();
        for k in RegistryKind::ALL {
            assert!(RESERVED_TOP.contains(&k.segment()), "{k:?}");
            for (role, name) in [k.key(), k.segment(), k.facet(), k.name()]
                .into_iter()
                .enumerate()
            {
                assert!(seen.insert((role, name)), "{k:?} {name}");
            }
        }
    }

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn timelines_give_the_status_of_any_day() {
        let steps = vec![
            (None, Status::Pending),
            (Some(d("2024-03-01")), Status::Current),
            (Some(d("2025-01-01")), Status::Expired),
        ];
        assert_eq!(status_on(&steps, d("2024-02-29")), Status::Pending);
        assert_eq!(status_on(&steps, d("2024-03-01")), Status::Current);
        assert_eq!(status_on(&steps, d("2024-12-31")), Status::Current);
        assert_eq!(status_on(&steps, d("2025-01-01")), Status::Expired);
        assert_eq!(
            status_on(&[(None, Status::Current)], d("1999-01-01")),
            Status::Current
        );
    }
}
