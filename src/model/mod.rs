//! The whole site as one indexed model: documents in reading order, their
//! URLs, sections, registry memberships, what supersedes what, and each
//! document's status on the build date. Cross-document rules are checked
//! here: unique URLs, `superseded_by` targets and one annual report per
//! agency and year.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Config;
use crate::content::{DocType, Document, Loaded, Section};
use crate::date::Date;
use crate::diag::Diagnostic;

mod record;
mod registries;
pub mod reports;
mod revisions;
mod status;
mod urls;

pub use self::record::{AgencyRow, Compared, ListEntry, Record, STALE_MONTHS, months_before};
pub use self::registries::{PublishedRegistry, each_term, terms_of};
pub use self::status::{Status, Timeline, of_period as status_of_period, status_on, timeline};
pub use self::urls::{RESERVED_TOP, missing_target};

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
    /// The agencies (keys) that have published an annual report. Kept so
    /// that each page of an agency need not look through every document
    /// (which made the agency pages grow with the square of the site).
    pub reporting: HashSet<String>,
}

impl Model {
    /// Indexes the loaded site on the build day `today`, reporting what no
    /// single document can check: clashing URLs, broken supersession and
    /// revisions dated after `today`.
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
        sort_in_reading_order(&mut documents);
        add_type_sections(&mut sections);
        urls::check_unique(&documents, &sections, diags);
        reports::check(&documents, &sections, diags);
        let by_key: HashMap<String, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.key.clone(), i))
            .collect();
        let supersedes = status::supersedes(&documents, &by_key, &unpublished, diags);
        status::supersession_cycles(&documents, &by_key, diags);
        let timelines: Vec<Option<Timeline>> = documents
            .iter()
            .map(|d| timeline(d, &documents, &by_key))
            .collect();
        let statuses = timelines
            .iter()
            .map(|t| t.as_deref().map(|t| status_on(t, today)))
            .collect();
        let registries = registries::publish_registries(&config, &documents);
        let section_docs = section_docs(&documents);
        let histories = revisions::histories(&config, &documents, history);
        revisions::check_future_revisions(&documents, today, diags);
        let versions = vec![Vec::new(); documents.len()];
        let reporting = reports::reporting(&documents);
        Model {
            versions,
            reporting,
            timelines,
            updated: histories.updated,
            first_published: histories.first_published,
            revisions: histories.revisions,
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

    /// Attaches list versions read from git (by site-relative path). A
    /// version's day and note become those of its entry in the public
    /// history, so that no page says more about a commit than the 修订记录
    /// does (the rules are in `model/revisions.rs`).
    pub fn attach_versions(&mut self, mut by_rel: HashMap<String, Vec<crate::versions::Version>>) {
        for (i, d) in self.docs.iter().enumerate() {
            let Some(mut vs) = by_rel.remove(&d.rel) else {
                continue;
            };
            revisions::match_versions(&mut vs, &self.revisions[i], self.first_published[i]);
            let restarted = vs
                .first()
                .zip(self.timelines[i].as_ref())
                .and_then(|(first, steps)| status::in_force_since(steps, first.effective));
            if let Some(steps) = restarted {
                self.statuses[i] = Some(status_on(&steps, self.today));
                self.timelines[i] = Some(steps);
            }
            self.versions[i] = vs;
        }
        // What such a list superseded ended when its first version took
        // effect, not on its newest `effective`.
        for (&j, olds) in &self.supersedes {
            let Some(first) = self.versions[j].first().map(|v| v.effective) else {
                continue;
            };
            for &i in olds {
                let ended = self.timelines[i]
                    .as_ref()
                    .and_then(|steps| status::ended_by(steps, first));
                if let Some(steps) = ended {
                    self.statuses[i] = Some(status_on(&steps, self.today));
                    self.timelines[i] = Some(steps);
                }
            }
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

    /// The newest day anything on the site was published or updated, else
    /// the build day: the `<updated>` of a feed with no entries (Atom
    /// requires one), so that it neither claims 1970 nor changes daily.
    pub fn site_updated(&self) -> Date {
        (0..self.docs.len())
            .filter_map(|i| self.last_modified(i))
            .max()
            .unwrap_or(self.today)
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

    /// Source key → root-relative URL, for resolving `@/` links: each
    /// document's key, and each section's `_index.md` (`lists/_index.md`,
    /// `_index.md` for the home page).
    pub fn url_map(&self) -> HashMap<String, String> {
        self.docs
            .iter()
            .map(|d| (d.key.clone(), self.url(&d.url)))
            .chain(self.sections.keys().map(|k| {
                if k.is_empty() {
                    ("_index.md".to_string(), self.url(""))
                } else {
                    (format!("{k}/_index.md"), self.url(&format!("{k}/")))
                }
            }))
            .collect()
    }

    /// The section whose `_index.md` an `@/` link names, if it has a page.
    pub fn section_of_index<'a>(&self, target: &'a str) -> Option<&'a str> {
        let key = if target == "_index.md" {
            ""
        } else {
            target.strip_suffix("/_index.md")?
        };
        self.sections.contains_key(key).then_some(key)
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

/// Newest first (date, then weight, then URL); plain pages last.
fn sort_in_reading_order(documents: &mut [std::sync::Arc<Document>]) {
    documents.sort_by(|a, b| {
        (a.doc_type == DocType::Page)
            .cmp(&(b.doc_type == DocType::Page))
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.weight.cmp(&b.weight))
            .then_with(|| a.url.cmp(&b.url))
    });
}

/// A section for every document type, whether or not its folder exists.
fn add_type_sections(sections: &mut BTreeMap<String, Section>) {
    for t in DocType::TYPED {
        sections
            .entry(t.key().to_string())
            .or_insert_with(|| Section {
                key: t.key().into(),
                ..Section::default()
            });
    }
}

/// Section key → its documents and those of the folders below it, in
/// reading order (a folder of plain pages only by weight, then URL).
fn section_docs(documents: &[std::sync::Arc<Document>]) -> HashMap<String, Vec<usize>> {
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
    section_docs
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
