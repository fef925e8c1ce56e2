//! Rendering the model into files: every page through Tera, feeds, sitemap,
//! robots.txt and static files, in parallel, written through
//! [`crate::output::Output`].

pub mod changes;
pub mod context;
pub mod data;
mod feeds;
mod search_page;
pub mod theme;
mod xlsx;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::DocType;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Model;
use crate::output::Output;
use context::{Assets, LinkRef, NavItem, PageCtx, SiteCtx, Summary, TermRef};
pub use theme::Theme;

/// Everything rendering needs besides the model.
pub struct Inputs<'a> {
    pub model: &'a Model,
    /// Rendered bodies, aligned with `model.docs`.
    pub bodies: &'a [Rendered],
    /// Rendered `_index.md` bodies by section key.
    pub section_bodies: &'a BTreeMap<String, Rendered>,
    pub theme: &'a Theme,
}

/// What page rendering shares: the inputs and each document's summary,
/// converted to a template value once (listings clone it cheaply).
struct Shared<'a, 'b> {
    inputs: &'b Inputs<'a>,
    summaries: Vec<tera::Value>,
    /// The site-wide change log, newest first.
    changes: Vec<changes::ChangeEntry>,
    /// Lists' `doc` contexts, shared by their version pages.
    doc_values: changes::DocValues,
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
}

/// Renders and writes the whole site. Template errors are returned as
/// diagnostics; nothing is committed by this function.
pub fn site(inputs: &Inputs<'_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
    let r = Renderer::new(inputs, out, None)?;
    let jobs = r.jobs();
    // Feeds and open data are written while the pages render.
    let (pages, rest) = rayon::join(
        || r.render(&jobs, out),
        || {
            r.aggregates(out, &|_| true)?;
            r.assets_copy(out, &|_| true)
        },
    );
    pages?;
    rest
}

/// The theme with the site's globals set, and what every page shares. A full
/// build renders every job; a live preview renders only those whose inputs
/// changed.
pub struct Renderer<'a, 'b> {
    shared: Shared<'a, 'b>,
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
        let summaries = summaries.unwrap_or_else(|| {
            (0..model.docs.len())
                .into_par_iter()
                .map(|i| summary_value(model, inputs.bodies, i))
                .collect()
        });
        Ok(Renderer {
            shared: Shared {
                inputs,
                summaries,
                changes: changes::entries(model),
                doc_values: changes::DocValues::new(model),
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
        for page in 1..=pages(self.shared.changes.len(), CHANGES_PER_PAGE) {
            jobs.push(Job::Changes { page });
        }
        jobs.push(Job::NotFound);
        let per = model.config.paginate_by;
        for key in model.sections.keys().filter(|k| !k.is_empty()) {
            let n = model.docs_in_section(key).len();
            for page in 1..=pages(n, per) {
                jobs.push(Job::Section {
                    key: key.clone(),
                    page,
                });
            }
        }
        for (ri, r) in model.registries.iter().enumerate() {
            jobs.push(Job::Registry(ri));
            for (term, members) in &r.members {
                for page in 1..=pages(members.len(), per) {
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
        let results: Vec<Result<String, Diagnostic>> = jobs
            .par_iter()
            .map(|job| {
                let (path, template, ctx) = page_for(&self.shared, job);
                let mut html = Vec::with_capacity(16 * 1024);
                let result = self
                    .tera
                    .render_to(template, &ctx, &mut html)
                    .map(|()| html)
                    .map_err(|e| {
                        theme::template_error(
                            &e,
                            &inputs.theme.origins,
                            Some(&page_source(inputs, job, &path)),
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

    /// Feeds, sitemap, open data (for the lists `lists` accepts; the
    /// catalog and schema always) and change feeds.
    pub fn aggregates(
        &self,
        out: &Output,
        lists: &(dyn Fn(usize) -> bool + Sync),
    ) -> Result<(), Vec<Diagnostic>> {
        let inputs = self.shared.inputs;
        let model = inputs.model;
        feeds::write_all(inputs, out).map_err(|e| vec![e])?;
        data::write_all(inputs, out, lists).map_err(|e| vec![e])?;
        write_change_feeds(model, &self.shared.changes, out).map_err(|e| vec![e])
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

/// A document's value in listings (cached by a live preview).
pub fn summary_value(model: &Model, bodies: &[Rendered], i: usize) -> tera::Value {
    tera::Value::from_serializable(&model.summary(i, &bodies[i].first_paragraph))
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
            Job::Registry(ri) => JobKey::Registry(*ri),
            Job::Changes { page } => JobKey::Changes(*page),
            Job::Home => JobKey::Other("home"),
            Job::Search => JobKey::Other("search"),
            Job::Data => JobKey::Other("data"),
            Job::NotFound => JobKey::Other("404"),
        }
    }

    /// The template a job renders with.
    pub fn template(&self, model: &Model) -> &'static str {
        match self {
            Job::Doc(i) => match model.docs[*i].doc_type {
                DocType::Lists => "lists.html",
                DocType::Guidance => "guidance.html",
                DocType::Cases => "cases.html",
                DocType::Warnings => "warnings.html",
                DocType::Page => "page.html",
            },
            Job::Home => "index.html",
            Job::Section { .. } => "section.html",
            Job::Registry(_) => "registry.html",
            Job::Term { .. } => "term.html",
            Job::Search => "search.html",
            Job::Data => "data.html",
            Job::Version { .. } => "version.html",
            Job::Versions(_) => "versions.html",
            Job::Changes { .. } => "changes.html",
            Job::NotFound => "404.html",
        }
    }
}

/// What a render error names as the page: the document's source file, or
/// the output path of a generated page.
fn page_source(inputs: &Inputs<'_>, job: &Job, path: &str) -> String {
    match job {
        Job::Doc(i) => inputs.model.docs[*i].rel.clone(),
        _ => path.to_string(),
    }
}

/// Entries per page of the site-wide “what changed” page.
const CHANGES_PER_PAGE: usize = 50;

/// `changes/atom.xml`, and `changes.xml` beside each agency's and
/// industry's own feed.
fn write_change_feeds(
    model: &Model,
    all: &[changes::ChangeEntry],
    out: &Output,
) -> Result<(), Diagnostic> {
    let mut feeds: Vec<(String, String, Vec<&changes::ChangeEntry>)> = vec![(
        "changes/atom.xml".into(),
        format!("更新动态 - {}", model.config.title),
        all.iter().collect(),
    )];
    for (registry, segment) in [("agencies", "agencies"), ("industries", "industries")] {
        let Some(r) = model.registries.iter().find(|r| r.key == registry) else {
            continue;
        };
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
        let body = changes::atom(model, &path, &title, &entries);
        out.write(&path, body.as_bytes())
            .map_err(|e| Diagnostic::error(path.clone(), "输出", e.to_string()))?;
    }
    Ok(())
}

fn pages(n: usize, per: usize) -> usize {
    n.div_ceil(per).max(1)
}

/// Path below the base of page `page` of a listing at `base`.
fn page_path(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Pager {
    current: usize,
    total_pages: usize,
    prev_url: String,
    next_url: String,
    pages: Vec<PagerLink>,
}

/// A template value for a map with fixed keys.
fn object(pairs: Vec<(&'static str, tera::Value)>) -> tera::Value {
    let map: tera::Map = pairs
        .into_iter()
        .map(|(k, v)| (tera::value::Key::from(k), v))
        .collect();
    tera::Value::from(map)
}

fn listing(shared: &Shared<'_, '_>, all: &[usize], base: &str, page: usize) -> tera::Value {
    let model = shared.inputs.model;
    let per = model.config.paginate_by;
    let total_pages = pages(all.len(), per);
    let start = (page - 1) * per;
    let items: Vec<tera::Value> = all
        .iter()
        .skip(start)
        .take(per)
        .map(|&i| shared.summaries[i].clone())
        .collect();
    let url = |n: usize| model.url(&page_path(base, n));
    let window: Vec<usize> = (1..=total_pages)
        .filter(|&n| n == 1 || n == total_pages || n.abs_diff(page) <= 2)
        .collect();
    let pager = Pager {
        current: page,
        total_pages,
        prev_url: if page > 1 {
            url(page - 1)
        } else {
            String::new()
        },
        next_url: if page < total_pages {
            url(page + 1)
        } else {
            String::new()
        },
        pages: window
            .into_iter()
            .map(|n| PagerLink {
                number: n,
                url: url(n),
                current: n == page,
            })
            .collect(),
    };
    object(vec![
        ("items", tera::Value::from(items)),
        ("total", tera::Value::from(all.len())),
        ("pager", tera::Value::from_serializable(&pager)),
    ])
}

/// Breadcrumbs: the home page, then each `(title, path below the base)`.
fn crumbs(model: &Model, steps: &[(&str, &str)]) -> Vec<LinkRef> {
    std::iter::once(("首页", ""))
        .chain(steps.iter().copied())
        .map(|(title, path)| LinkRef {
            title: title.into(),
            url: model.url(path),
        })
        .collect()
}

fn crumbs_for_section(model: &Model, key: &str) -> Vec<LinkRef> {
    let mut v = crumbs(model, &[]);
    let mut acc = String::new();
    for seg in key.split('/').filter(|s| !s.is_empty()) {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(seg);
        v.push(LinkRef {
            title: model.section_title(&acc),
            url: model.url(&format!("{acc}/")),
        });
    }
    v
}

/// Breadcrumbs down to a document (its own page, or a page about it).
fn crumbs_for_doc(model: &Model, d: &crate::content::Document) -> Vec<LinkRef> {
    let mut v = crumbs_for_section(model, &d.section);
    v.push(LinkRef {
        title: d.title.clone(),
        url: model.url(&d.url),
    });
    v
}

fn with_page_title(mut title: String, page: usize) -> String {
    if page > 1 {
        title.push_str(&format!("（第{page}页）"));
    }
    title
}

/// Output path, template name and context of one page.
fn page_for(shared: &Shared<'_, '_>, job: &Job) -> (String, &'static str, tera::Context) {
    let inputs = shared.inputs;
    let model = inputs.model;
    let mut ctx = tera::Context::new();
    let mut page = PageCtx {
        source: model.config.title.clone(),
        ..PageCtx::default()
    };
    let (path, template) = match job {
        Job::Doc(i) => {
            let d = &model.docs[*i];
            let r = &inputs.bodies[*i];
            let doc = model.doc_ctx(*i, r);
            page.kind = "document";
            page.title = d.title.clone();
            page.description = doc.description.clone();
            page.column = model.section_title(d.section.split('/').next().unwrap_or(""));
            if d.section.is_empty() {
                page.column = d.title.clone();
            }
            page.breadcrumbs = crumbs_for_doc(model, d);
            page.pub_date = d.date.map(|x| x.to_string()).unwrap_or_default();
            if let Some(a) = doc.agency.as_ref() {
                page.source = a.name.clone();
            }
            if d.doc_type.is_typed() {
                page.feed_url = model.url(&format!("{}/atom.xml", d.doc_type.key()));
            }
            ctx.insert("doc", &doc);
            (d.url.clone(), job.template(model))
        }
        Job::Home => {
            page.kind = "home";
            page.title = model.config.title.clone();
            page.description = model.config.description.clone();
            page.column = "首页".into();
            page.breadcrumbs = crumbs(model, &[]);
            page.feed_url = model.url("atom.xml");
            ctx.insert("home", &home(inputs));
            (String::new(), "index.html")
        }
        Job::Section { key, page: n } => {
            let title = model.section_title(key);
            let all = model.docs_in_section(key);
            let base = format!("{key}/");
            page.kind = "section";
            page.title = with_page_title(title.clone(), *n);
            page.column = model.section_title(key.split('/').next().unwrap_or(""));
            page.breadcrumbs = crumbs_for_section(model, key);
            let s = model.sections.get(key);
            page.description = s
                .and_then(|s| s.summary.clone())
                .unwrap_or_else(|| format!("{title}：共 {} 篇", all.len()));
            if !key.contains('/') && DocType::from_folder(key).is_typed() {
                page.feed_url = model.url(&format!("{key}/atom.xml"));
            }
            let subsections: Vec<SubSection> = model
                .sections
                .keys()
                .filter(|k| k.rsplit_once('/').is_some_and(|(p, _)| p == key))
                .map(|k| SubSection {
                    title: model.section_title(k),
                    url: model.url(&format!("{k}/")),
                    count: model.docs_in_section(k).len(),
                })
                .collect();
            let content = if *n == 1 {
                inputs
                    .section_bodies
                    .get(key)
                    .map_or("", |r| r.html.as_str())
            } else {
                ""
            };
            ctx.insert(
                "section",
                &SectionCtx {
                    title: &title,
                    content,
                    url: model.url(&base),
                    subsections,
                },
            );
            ctx.insert_value("listing", listing(shared, all, &base, *n));
            (page_path(&base, *n), "section.html")
        }
        Job::Registry(ri) => {
            let r = &model.registries[*ri];
            page.kind = "registry";
            page.title = format!("按{}浏览", r.name);
            page.column = r.name.into();
            page.description = format!("{}：{} 项", r.name, r.registry.terms.len());
            page.breadcrumbs = crumbs(model, &[(r.name, &format!("{}/", r.segment))]);
            ctx.insert("registry", &registry_ctx(model, *ri));
            (format!("{}/", r.segment), "registry.html")
        }
        Job::Term {
            registry,
            term,
            page: n,
        } => {
            let r = &model.registries[*registry];
            let t = r.registry.get(term).cloned().unwrap_or_default();
            let base = format!("{}/{}/", r.segment, t.key);
            let all: &[usize] = r.members.get(term).map_or(&[], Vec::as_slice);
            page.kind = "term";
            page.title = with_page_title(t.name.clone(), *n);
            page.column = r.name.into();
            page.description = if t.description.is_empty() {
                format!("{}：{}，共 {} 篇", r.name, t.name, all.len())
            } else {
                t.description.clone()
            };
            page.breadcrumbs = crumbs(
                model,
                &[(r.name, &format!("{}/", r.segment)), (&t.name, &base)],
            );
            if r.has_feeds {
                page.feed_url = model.url(&format!("{base}atom.xml"));
            }
            ctx.insert(
                "term",
                &TermCtx {
                    registry_key: r.key,
                    registry_name: r.name,
                    registry_url: model.url(&format!("{}/", r.segment)),
                    key: &t.key,
                    name: &t.name,
                    description: &t.description,
                    url: model.url(&base),
                },
            );
            ctx.insert_value("listing", listing(shared, all, &base, *n));
            (page_path(&base, *n), "term.html")
        }
        Job::Search => {
            page.kind = "search";
            page.title = "站内搜索".into();
            page.column = "站内搜索".into();
            page.description = format!("在{}中搜索清单、指导、案例和风险提示", model.config.title);
            page.breadcrumbs = crumbs(model, &[("站内搜索", "search/")]);
            page.noindex = true;
            ctx.insert(
                "search",
                &search_page::page_context(model, &inputs.theme.statics),
            );
            ctx.insert(
                "browse",
                &Browse {
                    types: types(model),
                    registries: (0..model.registries.len())
                        .map(|ri| registry_ctx(model, ri))
                        .collect(),
                },
            );
            ("search/".into(), "search.html")
        }
        Job::Data => {
            page.kind = "data";
            page.title = "开放数据".into();
            page.column = "开放数据".into();
            page.description = format!(
                "{}的清单数据下载（JSON、CSV、Excel）与文档目录",
                model.config.title
            );
            page.breadcrumbs = crumbs(model, &[("开放数据", "data/")]);
            ctx.insert("data", &data_page(shared));
            ("data/".into(), "data.html")
        }
        Job::Version { doc, n } => {
            let d = &model.docs[*doc];
            let version = model.version_ctx(*doc, *n);
            page.kind = "version";
            page.title = format!("{}（{} 起施行的版本）", d.title, version.info.effective.zh);
            page.column = model.section_title("lists");
            page.description = format!(
                "《{}》{} 起施行的版本：{}",
                d.title, version.info.effective.zh, version.info.summary
            );
            page.breadcrumbs = crumbs_for_doc(model, d);
            page.breadcrumbs.push(LinkRef {
                title: "历次版本".into(),
                url: model.url(&format!("{}versions/", d.url)),
            });
            page.breadcrumbs.push(LinkRef {
                title: version.info.effective.zh.clone(),
                url: String::new(),
            });
            page.pub_date = d.date.map(|x| x.to_string()).unwrap_or_default();
            let doc_value = shared.doc_values.get(model, *doc, &inputs.bodies[*doc]);
            ctx.insert_value("doc", doc_value);
            ctx.insert("version", &version);
            (
                model.version_path(*doc, &model.versions[*doc][*n].slug),
                "version.html",
            )
        }
        Job::Versions(doc) => {
            let d = &model.docs[*doc];
            page.kind = "versions";
            page.title = format!("{}：历次版本", d.title);
            page.column = model.section_title("lists");
            page.description = format!("《{}》的历次版本、施行期间和修改内容", d.title);
            page.breadcrumbs = crumbs_for_doc(model, d);
            page.breadcrumbs.push(LinkRef {
                title: "历次版本".into(),
                url: String::new(),
            });
            let doc_value = shared.doc_values.get(model, *doc, &inputs.bodies[*doc]);
            ctx.insert_value("doc", doc_value);
            (format!("{}versions/", d.url), "versions.html")
        }
        Job::Changes { page: n } => {
            let all = &shared.changes;
            page.kind = "changes";
            page.title = with_page_title("更新动态".into(), *n);
            page.column = "更新动态".into();
            page.description = format!("{}各类文件的实质性修订记录", model.config.title);
            page.breadcrumbs = crumbs(model, &[("更新动态", "changes/")]);
            page.feed_url = model.url("changes/atom.xml");
            let total_pages = pages(all.len(), CHANGES_PER_PAGE);
            let url = |k: usize| model.url(&page_path("changes/", k));
            let entries: Vec<&changes::ChangeEntry> = all
                .iter()
                .skip((n - 1) * CHANGES_PER_PAGE)
                .take(CHANGES_PER_PAGE)
                .collect();
            ctx.insert("changes", &entries);
            let pager = tera::Value::from_serializable(&Pager {
                current: *n,
                total_pages,
                prev_url: if *n > 1 { url(n - 1) } else { String::new() },
                next_url: if *n < total_pages {
                    url(n + 1)
                } else {
                    String::new()
                },
                pages: (1..=total_pages)
                    .filter(|&k| k == 1 || k == total_pages || k.abs_diff(*n) <= 2)
                    .map(|k| PagerLink {
                        number: k,
                        url: url(k),
                        current: k == *n,
                    })
                    .collect(),
            });
            ctx.insert_value(
                "listing",
                object(vec![
                    ("pager", pager),
                    ("total", tera::Value::from(all.len())),
                ]),
            );
            (page_path("changes/", *n), "changes.html")
        }
        Job::NotFound => {
            page.kind = "404";
            page.title = "页面未找到".into();
            page.column = "页面未找到".into();
            page.noindex = true;
            page.breadcrumbs = crumbs(model, &[]);
            ("404.html".into(), "404.html")
        }
    };
    let is_file = path.ends_with(".html");
    page.url = model.url(&path);
    page.permalink = model.permalink(&path);
    if let Some(last) = page.breadcrumbs.last_mut() {
        last.url = page.url.clone();
    }
    ctx.insert("page", &page);
    let file = if is_file {
        path
    } else {
        format!("{path}index.html")
    };
    (file, template, ctx)
}

#[derive(Serialize)]
struct DataList<'a> {
    summary: Summary<'a>,
    item_count: usize,
    downloads: data::Downloads,
}

#[derive(Serialize)]
struct DataPage<'a> {
    catalog_url: String,
    schema_url: String,
    count: usize,
    lists: Vec<DataList<'a>>,
}

fn data_page<'a>(shared: &'a Shared<'_, '_>) -> DataPage<'a> {
    let model = shared.inputs.model;
    let lists = (0..model.docs.len())
        .filter_map(|i| {
            let downloads = data::downloads(model, i)?;
            let item_count = match &model.docs[i].typed {
                crate::content::Typed::List { items, .. } => items.len(),
                _ => 0,
            };
            Some(DataList {
                summary: model.summary(i, &shared.inputs.bodies[i].first_paragraph),
                item_count,
                downloads,
            })
        })
        .collect();
    DataPage {
        catalog_url: model.url("data/catalog.json"),
        schema_url: model.url("data/list.schema.json"),
        count: model.docs.iter().filter(|d| d.doc_type.is_typed()).count(),
        lists,
    }
}

#[derive(Serialize)]
struct SubSection {
    title: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct SectionCtx<'a> {
    title: &'a str,
    content: &'a str,
    url: String,
    subsections: Vec<SubSection>,
}

#[derive(Serialize)]
struct TermCtx<'a> {
    registry_key: &'a str,
    registry_name: &'a str,
    registry_url: String,
    key: &'a str,
    name: &'a str,
    description: &'a str,
    url: String,
}

#[derive(Serialize)]
struct TermCount {
    key: String,
    name: String,
    url: String,
    count: usize,
    description: String,
}

#[derive(Serialize)]
struct RegistryCtx {
    key: &'static str,
    name: &'static str,
    url: String,
    terms: Vec<TermCount>,
}

fn registry_ctx(model: &Model, ri: usize) -> RegistryCtx {
    let r = &model.registries[ri];
    RegistryCtx {
        key: r.key,
        name: r.name,
        url: model.url(&format!("{}/", r.segment)),
        terms: r
            .registry
            .terms
            .iter()
            .map(|t| TermCount {
                key: t.key.clone(),
                name: t.name.clone(),
                url: model.url(&format!("{}/{}/", r.segment, t.key)),
                count: r.members.get(&t.key).map_or(0, Vec::len),
                description: t.description.clone(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct TypeCount {
    key: &'static str,
    name: String,
    url: String,
    count: usize,
}

fn types(model: &Model) -> Vec<TypeCount> {
    DocType::TYPED
        .iter()
        .map(|t| TypeCount {
            key: t.key(),
            name: model.section_title(t.key()),
            url: model.url(&format!("{}/", t.key())),
            count: model.docs.iter().filter(|d| d.doc_type == *t).count(),
        })
        .collect()
}

#[derive(Serialize)]
struct Browse {
    types: Vec<TypeCount>,
    registries: Vec<RegistryCtx>,
}

#[derive(Serialize)]
struct IndustryWarnings<'a> {
    industry: TermRef,
    warnings: Vec<Summary<'a>>,
}

#[derive(Serialize)]
struct Home<'a> {
    content: &'a str,
    latest: Vec<Summary<'a>>,
    lists_in_force: Vec<Summary<'a>>,
    warnings_by_industry: Vec<IndustryWarnings<'a>>,
    types: Vec<TypeCount>,
}

fn home<'a>(inputs: &'a Inputs<'_>) -> Home<'a> {
    let model = inputs.model;
    let sum = |i: usize| model.summary(i, &inputs.bodies[i].first_paragraph);
    let current = |i: usize| model.statuses[i] == Some(crate::model::Status::Current);
    let typed: Vec<usize> = (0..model.docs.len())
        .filter(|&i| model.docs[i].doc_type.is_typed())
        .collect();
    let latest = typed.iter().take(10).map(|&i| sum(i)).collect();
    let lists_in_force = typed
        .iter()
        .filter(|&&i| model.docs[i].doc_type == DocType::Lists && current(i))
        .take(10)
        .map(|&i| sum(i))
        .collect();
    let warnings_by_industry = model
        .config
        .industries
        .terms
        .iter()
        .filter_map(|t| {
            let warnings: Vec<Summary<'a>> = typed
                .iter()
                .filter(|&&i| {
                    let d = &model.docs[i];
                    d.doc_type == DocType::Warnings && current(i) && d.industries.contains(&t.key)
                })
                .take(5)
                .map(|&i| sum(i))
                .collect();
            if warnings.is_empty() {
                return None;
            }
            Some(IndustryWarnings {
                industry: model.term_ref("industries", &t.key)?,
                warnings,
            })
        })
        .collect();
    Home {
        content: inputs
            .section_bodies
            .get("")
            .map_or("", |r| r.html.as_str()),
        latest,
        lists_in_force,
        warnings_by_industry,
        types: types(model),
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
