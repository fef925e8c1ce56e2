//! The home page: the ways in (by industry, district, agency and guidance
//! method, every term with its count), what changed lately, and the newest
//! documents of every kind.

use super::*;
use crate::config::RegistryKind;

/// How many of the newest public revisions the home page shows (更新动态).
const HOME_CHANGES: usize = 5;

/// The ways in, in the order the home page shows them: the registry and
/// the heading of its block.
const WAYS: [(RegistryKind, &str); 4] = [
    (RegistryKind::Industries, "按行业"),
    (RegistryKind::Districts, "按区域"),
    (RegistryKind::Agencies, "按部门"),
    (RegistryKind::Methods, "行政指导方式"),
];

/// The home page: the ways in, what changed, the newest documents.
pub(crate) struct HomePage;

impl PageKind for HomePage {
    fn template(&self, _model: &Model) -> &'static str {
        "index.html"
    }

    fn inputs(&self, _model: &Model, d: &mut Declared) {
        // It draws on the newest documents of every kind, every registry's
        // counts and the change log: in effect, the whole site.
        d.everything();
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (inputs, model) = (cx.inputs, cx.inputs.model);
        page.kind = "home";
        page.title = model.config.title.clone();
        page.description = model.config.description.clone();
        page.column = "首页".into();
        page.breadcrumbs = crumbs(model, &[]);
        page.feed_url = model.url("atom.xml");
        ctx.insert("home", &home_ctx(inputs, &cx.changes));
        String::new()
    }
}

#[derive(Serialize)]
struct IndustryWarnings<'a> {
    industry: TermRef,
    warnings: Vec<Summary<'a>>,
}

/// One term of a way in: its page, and how many documents it has (a term
/// with none is still listed, marked 暂无, not linked).
#[derive(Serialize)]
struct WayTerm {
    key: String,
    name: String,
    url: String,
    count: usize,
}

/// One way in: a registry's terms, in `site.toml` order.
#[derive(Serialize)]
struct Way {
    /// The registry's key (`industries`, `districts`, `agencies`, `methods`).
    key: &'static str,
    /// The block's heading (按行业 …).
    title: &'static str,
    /// The registry's name (行业领域 …) and its index page.
    name: &'static str,
    url: String,
    terms: Vec<WayTerm>,
}

fn ways(model: &Model) -> Vec<Way> {
    WAYS.iter()
        .filter_map(|&(kind, title)| {
            let r = model.registries.iter().find(|r| r.kind == kind)?;
            Some(Way {
                key: r.key,
                title,
                name: r.name,
                url: model.url(&format!("{}/", r.segment)),
                terms: r
                    .registry
                    .terms
                    .iter()
                    .map(|t| WayTerm {
                        key: t.key.clone(),
                        name: t.name.clone(),
                        url: model.url(&format!("{}/{}/", r.segment, t.key)),
                        count: r.members.get(&t.key).map_or(0, Vec::len),
                    })
                    .collect(),
            })
        })
        .collect()
}

#[derive(Serialize)]
struct HomeCtx<'a> {
    content: &'a str,
    ways: Vec<Way>,
    changes: &'a [crate::render::changes::ChangeEntry],
    changes_url: String,
    latest: Vec<Summary<'a>>,
    lists_in_force: Vec<Summary<'a>>,
    warnings_by_industry: Vec<IndustryWarnings<'a>>,
    types: Vec<TypeCount>,
}

fn home_ctx<'a>(
    inputs: &'a Inputs<'_>,
    changes: &'a [crate::render::changes::ChangeEntry],
) -> HomeCtx<'a> {
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
                industry: model.term_ref(RegistryKind::Industries, &t.key)?,
                warnings,
            })
        })
        .collect();
    HomeCtx {
        content: inputs
            .section_bodies
            .get("")
            .map_or("", |r| r.html.as_str()),
        ways: ways(model),
        changes: &changes[..changes.len().min(HOME_CHANGES)],
        changes_url: model.url("changes/"),
        latest,
        lists_in_force,
        warnings_by_industry,
        types: types(model),
    }
}
