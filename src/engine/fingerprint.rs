//! Fingerprints of what each page reads: a page is rendered again only when
//! its fingerprint changed.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use crate::content;
use crate::hash::{Fp, fp_of};
use crate::markdown::Rendered;
use crate::model::Model;
use crate::render::pages::Input;
use crate::render::{Job, Renderer, Theme};

/// Fingerprints of what site-wide pages show.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct SiteFps {
    /// The change log.
    pub(super) changes: u64,
    /// How many documents each type and registry term has.
    pub(super) counts: u64,
    /// Every list's data.
    pub(super) lists: u64,
}

impl SiteFps {
    pub(super) fn new(model: &Model, renderer: &Renderer<'_, '_>, data_fps: &[u64]) -> SiteFps {
        let mut counts = Fp::new();
        for r in &model.registries {
            for (k, m) in &r.members {
                (k, m.len()).hash(&mut counts);
            }
        }
        for d in model.docs.iter() {
            d.doc_type.hash(&mut counts);
        }
        SiteFps {
            changes: changes_fp(renderer),
            counts: counts.finish(),
            lists: lists_fp(model, data_fps),
        }
    }
}

pub(super) fn changes_fp(renderer: &Renderer<'_, '_>) -> u64 {
    fp_of(&format!("{:?}", renderer.change_entries()))
}

pub(super) fn lists_fp(model: &Model, data_fps: &[u64]) -> u64 {
    let mut h = Fp::new();
    for (i, d) in model.docs.iter().enumerate() {
        if matches!(d.typed, content::Typed::List { .. }) {
            (&d.key, data_fps[i]).hash(&mut h);
        }
    }
    h.finish()
}

/// Each section's own inputs: title, summary, body and source.
pub(super) fn section_fps(
    model: &Model,
    section_bodies: &BTreeMap<String, Rendered>,
    src_fp: &dyn Fn(&str) -> u64,
) -> HashMap<String, u64> {
    model
        .sections
        .iter()
        .map(|(k, s)| {
            let html = section_bodies.get(k).map_or("", |r| r.html.as_str());
            (
                k.clone(),
                fp_of(&(
                    model.section_title(k),
                    &s.summary,
                    html,
                    s.rel.as_str(),
                    src_fp(s.rel.strip_prefix("content/").unwrap_or("")),
                )),
            )
        })
        .collect()
}

/// What a page fingerprint is computed from.
pub(super) struct PageInputs<'a> {
    pub(super) model: &'a Model,
    pub(super) site: &'a SiteFps,
    pub(super) data_fps: &'a [u64],
    pub(super) section_fps: &'a HashMap<String, u64>,
    pub(super) global: u64,
    pub(super) theme: &'a Theme,
}

/// The inputs a page declares (see [`crate::render::pages`]), as a
/// fingerprint; 0 for “always render”.
pub(super) fn page_fp(job: &Job, inputs: &[Input], p: &PageInputs<'_>) -> u64 {
    let model = p.model;
    let template = p
        .theme
        .fingerprints
        .get(job.template(model))
        .copied()
        .unwrap_or(0);
    let mut h = Fp::new();
    (p.global, template).hash(&mut h);
    for input in inputs {
        match input {
            Input::Doc(i) => (p.data_fps[*i], &model.docs[*i].url).hash(&mut h),
            Input::Listing { total, page, shown } => {
                (total, page, model.config.paginate_by).hash(&mut h);
                for &i in shown {
                    (&model.docs[i].key, p.data_fps[i]).hash(&mut h);
                }
            }
            Input::Sections(section) => {
                let mut key = section.as_str();
                loop {
                    p.section_fps.get(key).hash(&mut h);
                    match key.rfind('/') {
                        Some(i) => key = &key[..i],
                        None if !key.is_empty() => key = "",
                        None => break,
                    }
                }
            }
            Input::SubSections(key) => {
                for (k, _) in model
                    .sections
                    .iter()
                    .filter(|(k, _)| k.rsplit_once('/').is_some_and(|(p, _)| p == key.as_str()))
                {
                    (k, p.section_fps.get(k), model.docs_in_section(k).len()).hash(&mut h);
                }
            }
            Input::Key(k) => k.hash(&mut h),
            Input::ChangeLog => p.site.changes.hash(&mut h),
            Input::Counts => p.site.counts.hash(&mut h),
            Input::Lists => p.site.lists.hash(&mut h),
            Input::Everything => return 0,
        }
    }
    h.finish().max(1)
}

/// A document's data fingerprint: its source, its body, the documents its
/// status and links depend on, settings and history.
pub(super) fn data_fp(
    model: &Model,
    i: usize,
    src_fp: &dyn Fn(&str) -> u64,
    html_fp: u64,
    settings: (u64, u64),
) -> u64 {
    let d = &model.docs[i];
    let mut h = Fp::new();
    (settings, src_fp(&d.key), html_fp).hash(&mut h);
    if let Some(l) = &d.superseded_by {
        (&l.target, src_fp(&l.target)).hash(&mut h);
    }
    for &j in model.supersedes.get(&i).into_iter().flatten() {
        (&model.docs[j].key, src_fp(&model.docs[j].key)).hash(&mut h);
    }
    h.finish()
}

/// What places a document in the site: if an edit leaves it as it was,
/// the model's order, URLs, registries, sections and statuses stay, and
/// only the document's own data changes.
pub(super) fn signature(d: &content::Document) -> u64 {
    let mut h = Fp::new();
    (
        d.doc_type,
        d.date,
        d.weight,
        &d.url,
        &d.key,
        &d.rel,
        &d.section,
        d.draft,
        d.updated,
        d.effective,
        d.expires,
        d.year(),
    )
        .hash(&mut h);
    if let Some(l) = &d.superseded_by {
        (&l.target, l.line, l.col).hash(&mut h);
    }
    // Noted revisions move the update date and the change feeds.
    for r in &d.revisions {
        (r.date, &r.note, r.at).hash(&mut h);
    }
    if let content::Typed::Warning { valid_until, .. } = &d.typed {
        valid_until.hash(&mut h);
    }
    for r in crate::config::RegistryKind::ALL {
        crate::model::terms_of(r, d).hash(&mut h);
    }
    // Attached files are copied by the full path only.
    for a in &d.attachments {
        (&a.below, &a.name, a.fp).hash(&mut h);
    }
    h.finish()
}

/// Every attachment's output path and the fingerprint of what is copied
/// there (its file's content and place).
pub(super) fn attachments(model: &Model) -> HashMap<String, u64> {
    model
        .docs
        .iter()
        .flat_map(|d| {
            d.attachments
                .iter()
                .map(|a| (format!("{}{}", d.url, a.name), fp_of(&(&a.below, a.fp))))
        })
        .collect()
}

/// Which pages show each document, and which show the whole site: the
/// pages a quick edit of a document can change, from what they declare.
#[derive(Debug, Default)]
pub(super) struct Dependents {
    by_doc: Vec<Vec<Job>>,
    sitewide: Vec<Job>,
}

impl Dependents {
    pub(super) fn new(docs: usize) -> Dependents {
        Dependents {
            by_doc: vec![Vec::new(); docs],
            sitewide: Vec::new(),
        }
    }

    /// Notes what `job` declares.
    pub(super) fn add(&mut self, job: &Job, inputs: &[Input]) {
        for input in inputs {
            match input {
                Input::Doc(i) => self.by_doc[*i].push(job.clone()),
                Input::Listing { shown, .. } => {
                    shown.iter().for_each(|&i| self.by_doc[i].push(job.clone()))
                }
                Input::ChangeLog | Input::Counts | Input::Lists | Input::Everything => {
                    self.sitewide.push(job.clone());
                }
                Input::Sections(_) | Input::SubSections(_) | Input::Key(_) => {}
            }
        }
    }

    /// The pages that show any of `docs`, and the site-wide ones.
    pub(super) fn of(&self, docs: &[usize]) -> Vec<Job> {
        let mut jobs = self.sitewide.clone();
        for &i in docs {
            jobs.extend(self.by_doc[i].iter().cloned());
        }
        jobs
    }
}
