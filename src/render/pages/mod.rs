//! Page kinds: one file each, every one implementing [`PageKind`] — its
//! template, its context and output path, and the inputs it declares. A
//! live preview fingerprints a page from its declared inputs only (see
//! `crate::engine`), so a kind that reads something it does not declare
//! would leave a stale page; `tests` renders every page with everything
//! undeclared changed and asserts the page stays the same.
//!
//! Modelled on mdBook's `Renderer` trait with one `RenderContext`.

mod changes;
mod data;
mod document;
mod home;
mod mediation;
mod not_found;
mod record;
mod registry;
mod report_agency;
mod report_year;
mod reports;
mod search;
mod section;
mod term;
#[cfg(test)]
mod tests;
mod trade;
mod version;
mod versions;

use serde::Serialize;

use super::context::{LinkRef, PageCtx, Summary, TermRef};
use super::{Inputs, Job};
use crate::content::DocType;
use crate::model::Model;
pub(crate) use trade::GATHERED;

/// What every page kind renders from: the inputs and what pages share.
pub(crate) struct RenderContext<'a, 'b> {
    pub(crate) inputs: &'b Inputs<'a>,
    /// Each document's listing value, converted to a template value once
    /// (listings clone it cheaply).
    pub(crate) summaries: Vec<tera::Value>,
    /// The site-wide change log, newest first.
    pub(crate) changes: Vec<super::changes::ChangeEntry>,
    /// Lists' `doc` contexts, shared by their version pages.
    pub(crate) doc_values: super::changes::DocValues,
    /// 执法公示情况, computed once.
    pub(crate) record: crate::model::Record,
}

/// One kind of page.
pub(crate) trait PageKind {
    /// The template it renders with.
    fn template(&self, model: &Model) -> &'static str;

    /// What its context reads besides what every page shows (the site's
    /// settings, the menu, the static files' URLs and its template).
    fn inputs(&self, model: &Model, d: &mut Declared);

    /// Fills `page` and the kind's own values; returns the output path
    /// below the base (a folder ends in `/`).
    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String;

    /// What a render error names as the page.
    fn source(&self, _model: &Model, path: &str) -> String {
        path.to_string()
    }
}

/// One input a page declares.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    /// A document's data: its source, its body, and the documents its
    /// status and links depend on.
    Doc(usize),
    /// A listing page: how many members in all, and those it shows.
    Listing {
        total: usize,
        page: usize,
        shown: Vec<usize>,
    },
    /// A section's own inputs (title, summary, body) and its parents'.
    Sections(String),
    /// A section's subsections: their own inputs and sizes.
    SubSections(String),
    /// What tells the page apart from the others of its kind.
    Key(String),
    /// The site-wide change log.
    ChangeLog,
    /// How many documents each type and registry term has.
    Counts,
    /// Every list's data.
    Lists,
    /// Anything in the site: the page is rendered every time.
    Everything,
}

/// The inputs a page declares.
#[derive(Debug, Default)]
pub struct Declared(pub Vec<Input>);

impl Declared {
    fn doc(&mut self, i: usize) {
        self.0.push(Input::Doc(i));
    }

    fn listing(&mut self, model: &Model, all: &[usize], page: usize) {
        let per = model.config.paginate_by;
        self.0.push(Input::Listing {
            total: all.len(),
            page,
            shown: all
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .copied()
                .collect(),
        });
    }

    fn sections(&mut self, key: &str) {
        self.0.push(Input::Sections(key.to_string()));
    }

    fn subsections(&mut self, key: &str) {
        self.0.push(Input::SubSections(key.to_string()));
    }

    fn key(&mut self, key: impl std::fmt::Debug) {
        self.0.push(Input::Key(format!("{key:?}")));
    }

    fn change_log(&mut self) {
        self.0.push(Input::ChangeLog);
    }

    fn counts(&mut self) {
        self.0.push(Input::Counts);
    }

    fn lists(&mut self) {
        self.0.push(Input::Lists);
    }

    fn everything(&mut self) {
        self.0.push(Input::Everything);
    }
}

impl Job {
    /// The page kind that makes this page, with its parameters: the one
    /// place that lists them.
    fn with_kind<R>(&self, f: impl FnOnce(&dyn PageKind) -> R) -> R {
        match self {
            Job::Doc(i) => f(&document::DocumentPage { doc: *i }),
            Job::Home => f(&home::HomePage),
            Job::Section { key, page } => f(&section::SectionPage { key, page: *page }),
            Job::Registry(ri) => f(&registry::RegistryPage { registry: *ri }),
            Job::Term {
                registry,
                term,
                page,
            } => f(&term::TermPage {
                registry: *registry,
                term,
                page: *page,
            }),
            Job::Trade { registry, term } => f(&trade::TradePage {
                registry: *registry,
                term,
            }),
            Job::Search => f(&search::SearchPage),
            Job::Data => f(&data::DataPage),
            Job::Version { doc, n } => f(&version::VersionPage { doc: *doc, n: *n }),
            Job::Versions(doc) => f(&versions::VersionsPage { doc: *doc }),
            Job::Changes { page } => f(&changes::ChangesPage { page: *page }),
            Job::NotFound => f(&not_found::NotFoundPage),
            Job::Mediation => f(&mediation::MediationPage),
            Job::Dispute(i) => f(&mediation::DisputePage { dispute: *i }),
            Job::Reports => f(&reports::ReportsPage),
            Job::ReportYear(year) => f(&report_year::ReportYearPage { year: *year }),
            Job::ReportAgency(agency) => f(&report_agency::ReportAgencyPage { agency }),
            Job::Record => f(&record::RecordPage),
        }
    }

    /// The template a job renders with.
    pub fn template(&self, model: &Model) -> &'static str {
        self.with_kind(|k| k.template(model))
    }

    /// The inputs its page declares.
    pub fn inputs(&self, model: &Model) -> Vec<Input> {
        self.with_kind(|k| {
            let mut d = Declared::default();
            k.inputs(model, &mut d);
            d.0
        })
    }

    /// What a render error names as the page: the document's source file,
    /// or the output path of a generated page.
    pub(crate) fn source(&self, model: &Model, path: &str) -> String {
        self.with_kind(|k| k.source(model, path))
    }
}

/// Output path, template name and context of one page.
pub(crate) fn page_for(
    cx: &RenderContext<'_, '_>,
    job: &Job,
) -> (String, &'static str, tera::Context) {
    let model = cx.inputs.model;
    let mut ctx = tera::Context::new();
    let mut page = PageCtx {
        source: model.config.title.clone(),
        ..PageCtx::default()
    };
    let (path, template) =
        job.with_kind(|k| (k.context(cx, &mut page, &mut ctx), k.template(model)));
    let is_file = path.ends_with(".html");
    page.url = model.url(&path);
    page.permalink = model.permalink(&path);
    if !model.config.site_code.is_empty() {
        page.report_url = format!(
            "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={}&url={}",
            crate::escape::query_component(&model.config.site_code),
            crate::escape::query_component(&page.permalink)
        );
    }
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

/// Entries per page of the site-wide “what changed” page.
pub(crate) const CHANGES_PER_PAGE: usize = 50;

pub(crate) fn pages(n: usize, per: usize) -> usize {
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

fn listing(shared: &RenderContext<'_, '_>, all: &[usize], base: &str, page: usize) -> tera::Value {
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

#[derive(Serialize)]
pub(crate) struct TypeCount {
    key: &'static str,
    name: String,
    url: String,
    count: usize,
}

pub(crate) fn types(model: &Model) -> Vec<TypeCount> {
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
