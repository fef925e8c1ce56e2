//! Rendering the model into files: every page through Tera, feeds, sitemap,
//! robots.txt and static files, in parallel, written through
//! [`crate::output::Output`].

pub mod attachments;
pub mod changes;
mod conditions;
pub mod context;
pub mod data;
mod feeds;
pub mod groups;
pub mod opendata;
pub mod outputs;
pub mod pages;
pub mod record;
pub mod record_reports;
pub mod report_data;
pub mod reports;
mod summaries;
mod textdiff;
pub mod theme;
mod xlsx;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::content::DocType;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Model;
use crate::output::Output;
use context::{Assets, NavItem, SiteCtx};
pub use summaries::{summary_value, summary_values};
pub use theme::Theme;

/// The most pages, lists or feeds one thread takes at a time (see
/// [`Renderer::render`]).
pub(crate) const SPLIT: usize = 32;

/// Everything rendering needs besides the model.
pub struct Inputs<'a> {
    pub model: &'a Model,
    /// Rendered bodies, aligned with `model.docs`.
    pub bodies: &'a [Rendered],
    /// Rendered `_index.md` bodies by section key.
    pub section_bodies: &'a BTreeMap<String, Rendered>,
    pub theme: &'a Theme,
}

/// One page to render.
#[derive(Clone, Debug)]
pub enum Job {
    Doc(usize),
    Home,
    Section {
        key: String,
        page: usize,
    },
    Registry(usize),
    Term {
        registry: usize,
        term: String,
        page: usize,
    },
    /// Page 1 of an industry's or a district's term: what applies there.
    Trade {
        registry: usize,
        term: String,
    },
    Search,
    Data,
    NotFound,
    Version {
        doc: usize,
        n: usize,
    },
    Versions(usize),
    Changes {
        page: usize,
    },
    /// 行政调解: every kind of dispute agencies mediate.
    Mediation,
    /// One kind of dispute (`site.toml` `[disputes.…]`, by position).
    Dispute(usize),
    /// `reports/`: the annual reports by year (instead of the folder's
    /// listing).
    Reports,
    /// `reports/years/<yyyy>/`: the reports on one year.
    ReportYear(i64),
    /// `reports/agencies/<key>/`: one agency's reports.
    ReportAgency(String),
    /// 执法公示情况: every agency's record.
    Record,
}

/// The theme with the site's globals set, and what every page shares. A full
/// build renders every job; a live preview renders only those whose inputs
/// changed.
pub struct Renderer<'a, 'b> {
    shared: pages::RenderContext<'a, 'b>,
    tera: tera::Tera,
    assets: Assets,
}

/// A page's identity across rebuilds of a live preview.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobKey {
    Doc(String),
    Version(String, usize),
    Versions(String),
    Section(String, usize),
    Term(usize, String, usize),
    Registry(usize),
    Changes(usize),
    Dispute(String),
    /// A page of annual reports, by its path below the base.
    Reports(String),
    Other(&'static str),
}

impl<'a, 'b> Renderer<'a, 'b> {
    /// Writes the static files and prepares the theme. `summaries` are the
    /// documents' listing values when the caller kept them from an earlier
    /// build (see [`summary_value`]); otherwise they are computed here.
    pub fn new(
        inputs: &'b Inputs<'a>,
        out: &Output,
        summaries: Option<Vec<tera::Value>>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let model = inputs.model;
        let mut tera = inputs.theme.tera.clone();
        let assets = write_statics(inputs, out).map_err(|e| vec![e])?;
        let g = tera.global_context();
        g.insert("site", &site_ctx(model));
        g.insert("nav", &nav(model));
        g.insert("assets", &assets);
        let summaries = summaries
            .unwrap_or_else(|| summary_values(model, inputs.bodies, vec![None; model.docs.len()]));
        Ok(Renderer {
            shared: pages::RenderContext {
                inputs,
                summaries,
                changes: changes::entries(model),
                doc_values: changes::DocValues::new(model),
                record: model.record(),
            },
            tera,
            assets,
        })
    }

    /// A fingerprint of what every page shows besides its own content: the
    /// site's settings, the menu and the static files' URLs.
    pub fn global_fingerprint(&self) -> u64 {
        let model = self.shared.inputs.model;
        let text =
            serde_json::to_string(&(site_ctx(model), nav(model), &self.assets)).unwrap_or_default();
        crate::hash::fnv(text.as_bytes())
    }

    /// Every page of the site, in no particular order.
    pub fn jobs(&self) -> Vec<Job> {
        let model = self.shared.inputs.model;
        let mut jobs: Vec<Job> = (0..model.docs.len()).map(Job::Doc).collect();
        jobs.push(Job::Home);
        jobs.push(Job::Search);
        jobs.push(Job::Data);
        for (i, vs) in model.versions.iter().enumerate() {
            if !vs.is_empty() {
                jobs.push(Job::Versions(i));
                jobs.extend((0..vs.len()).map(|n| Job::Version { doc: i, n }));
            }
        }
        for page in 1..=pages::pages(self.shared.changes.len(), pages::CHANGES_PER_PAGE) {
            jobs.push(Job::Changes { page });
        }
        jobs.push(Job::NotFound);
        if !model.config.agencies.terms.is_empty() {
            jobs.push(Job::Record);
        }
        if !model.config.disputes.is_empty() {
            jobs.push(Job::Mediation);
            jobs.extend((0..model.config.disputes.len()).map(Job::Dispute));
        }
        jobs.push(Job::Reports);
        jobs.extend(model.report_years().into_iter().map(Job::ReportYear));
        jobs.extend(
            model
                .report_agencies()
                .into_iter()
                .map(|t| Job::ReportAgency(t.key.clone())),
        );
        let per = model.config.paginate_by;
        // `reports/` is the reports by year (`Job::Reports`), not a listing.
        let reports = DocType::Reports.key();
        for key in model
            .sections
            .keys()
            .filter(|k| !k.is_empty() && *k != reports)
        {
            let n = model.docs_in_section(key).len();
            for page in 1..=pages::pages(n, per) {
                jobs.push(Job::Section {
                    key: key.clone(),
                    page,
                });
            }
        }
        for (ri, r) in model.registries.iter().enumerate() {
            jobs.push(Job::Registry(ri));
            let gathered = pages::GATHERED.contains(&r.kind);
            for (term, members) in &r.members {
                if gathered {
                    jobs.push(Job::Trade {
                        registry: ri,
                        term: term.clone(),
                    });
                }
                let first = if gathered { 2 } else { 1 };
                for page in first..=pages::pages(members.len(), per) {
                    jobs.push(Job::Term {
                        registry: ri,
                        term: term.clone(),
                        page,
                    });
                }
            }
        }
        jobs
    }

    /// Renders and writes `jobs`; returns the file each was written to.
    pub fn render(&self, jobs: &[Job], out: &Output) -> Result<Vec<String>, Vec<Diagnostic>> {
        let inputs = self.shared.inputs;
        // At most SPLIT pages a piece: the other outputs finish at their own
        // time, and a thread that is free then must find pages left to take
        // (rayon splits a piece only when a thread takes it, so a few big
        // pieces left one core rendering alone for the last tenth of a build).
        let results: Vec<Result<String, Diagnostic>> = jobs
            .par_iter()
            .with_max_len(SPLIT)
            .map(|job| {
                let (path, template, ctx) = pages::page_for(&self.shared, job);
                let mut html = Vec::with_capacity(16 * 1024);
                let result = self
                    .tera
                    .render_to(template, &ctx, &mut html)
                    .map(|()| html)
                    .map_err(|e| {
                        theme::template_error(
                            &e,
                            &inputs.theme.origins,
                            Some(&job.source(inputs.model, &path)),
                        )
                    })
                    .and_then(|html| {
                        out.write(&path, &html)
                            .map_err(|e| Diagnostic::error(path.clone(), "输出", e.to_string()))
                    });
                result.map(|()| path)
            })
            .collect();
        let mut paths = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.push(p),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(paths)
        } else {
            Err(errors)
        }
    }

    /// Copies the content folder's own files (those `which` accepts).
    pub fn assets_copy(
        &self,
        out: &Output,
        which: &dyn Fn(&crate::content::Asset) -> bool,
    ) -> Result<(), Vec<Diagnostic>> {
        for a in self.shared.inputs.model.assets.iter().filter(|a| which(a)) {
            let bytes = crate::fs::read_bytes(&a.src)
                .map_err(|e| vec![Diagnostic::error(a.out.clone(), "输出", e.message)])?;
            out.write_mode(&a.out, &bytes, crate::fs::narrower_mode(&a.src))
                .map_err(|e| vec![Diagnostic::error(a.out.clone(), "输出", e.to_string())])?;
        }
        Ok(())
    }

    /// The site-wide change log's entries (for fingerprints).
    pub fn change_entries(&self) -> &[changes::ChangeEntry] {
        &self.shared.changes
    }
}

impl Job {
    /// Its identity across rebuilds, and the template it renders with.
    pub fn key(&self, model: &Model) -> JobKey {
        match self {
            Job::Doc(i) => JobKey::Doc(model.docs[*i].key.clone()),
            Job::Version { doc, n } => JobKey::Version(model.docs[*doc].key.clone(), *n),
            Job::Versions(i) => JobKey::Versions(model.docs[*i].key.clone()),
            Job::Section { key, page } => JobKey::Section(key.clone(), *page),
            Job::Term {
                registry,
                term,
                page,
            } => JobKey::Term(*registry, term.clone(), *page),
            Job::Trade { registry, term } => JobKey::Term(*registry, term.clone(), 1),
            Job::Registry(ri) => JobKey::Registry(*ri),
            Job::Changes { page } => JobKey::Changes(*page),
            Job::Home => JobKey::Other("home"),
            Job::Search => JobKey::Other("search"),
            Job::Data => JobKey::Other("data"),
            Job::NotFound => JobKey::Other("404"),
            Job::Mediation => JobKey::Other("mediation"),
            Job::Record => JobKey::Other("record"),
            Job::Dispute(i) => JobKey::Dispute(model.config.disputes[*i].key.clone()),
            Job::Reports => JobKey::Reports(format!("{}/", DocType::Reports.key())),
            Job::ReportYear(y) => JobKey::Reports(crate::model::reports::year_path(*y)),
            Job::ReportAgency(a) => JobKey::Reports(crate::model::reports::agency_path(a)),
        }
    }
}

fn site_ctx(model: &Model) -> SiteCtx {
    let c = &model.config;
    SiteCtx {
        title: c.title.clone(),
        description: c.description.clone(),
        base_url: c.base_url.clone(),
        base_path: c.base_path(),
        language: c.language.clone(),
        organizer: c.organizer.clone(),
        icp: c.icp.clone(),
        psb: c.psb.clone(),
        site_code: c.site_code.clone(),
        contact: c.contact.clone(),
        build_date: model.today.zh(),
        build_date_iso: model.today.to_string(),
        record_url: if c.agencies.terms.is_empty() {
            String::new()
        } else {
            model.url(&format!("{}/", record::SEGMENT))
        },
    }
}

/// The main menu: the four types, then top-level plain sections and pages
/// by weight.
fn nav(model: &Model) -> Vec<NavItem> {
    let mut v: Vec<NavItem> = DocType::TYPED
        .iter()
        .map(|t| NavItem {
            key: t.key().into(),
            title: model.section_title(t.key()),
            url: model.url(&format!("{}/", t.key())),
        })
        .collect();
    if !model.config.disputes.is_empty() {
        v.push(NavItem {
            key: crate::config::MEDIATION_SEGMENT.into(),
            title: crate::config::MEDIATION_TITLE.into(),
            url: model.url(&format!("{}/", crate::config::MEDIATION_SEGMENT)),
        });
    }
    let mut plain: Vec<(i64, String, NavItem)> = Vec::new();
    for (key, s) in &model.sections {
        if !key.is_empty() && !key.contains('/') && !DocType::from_folder(key).is_typed() {
            plain.push((
                s.weight,
                key.clone(),
                NavItem {
                    key: key.clone(),
                    title: model.section_title(key),
                    url: model.url(&format!("{key}/")),
                },
            ));
        }
    }
    for d in model.docs.iter().filter(|d| d.section.is_empty()) {
        plain.push((
            d.weight,
            d.url.clone(),
            NavItem {
                key: d.url.trim_end_matches('/').into(),
                title: d.title.clone(),
                url: model.url(&d.url),
            },
        ));
    }
    plain.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    v.extend(plain.into_iter().map(|(_, _, n)| n));
    v
}

/// Writes theme and site static files; returns their URLs with a content
/// hash, so browsers never keep a stale stylesheet.
fn write_statics(inputs: &Inputs<'_>, out: &Output) -> Result<Assets, Diagnostic> {
    let model = inputs.model;
    let mut hashes = BTreeMap::new();
    for (name, bytes) in &inputs.theme.statics {
        let mut bytes = bytes.clone();
        if name == "gongshi.css" {
            // Highlighting first, so the theme's own rules (which raise its
            // faint colours to 4.5:1 contrast) win without `!important`.
            let mut css = b"/* Code highlighting (syntect, InspiredGitHub) */\n".to_vec();
            css.extend_from_slice(crate::markdown::highlight_css().as_bytes());
            css.extend_from_slice(b"\n");
            css.extend_from_slice(&bytes);
            bytes = css;
        }
        hashes.insert(
            name.clone(),
            format!("{:08x}", crate::hash::fnv(&bytes) as u32),
        );
        out.write_mode(name, &bytes, inputs.theme.modes.get(name).copied())
            .map_err(|e| Diagnostic::error(name.clone(), "输出", e.to_string()))?;
    }
    let url = |name: &str| match hashes.get(name) {
        Some(h) => format!("{}?v={h}", model.url(name)),
        None => String::new(),
    };
    Ok(Assets {
        css: url("gongshi.css"),
        print_css: url("print.css"),
        js: url("gongshi.js"),
    })
}
