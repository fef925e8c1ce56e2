//! The home page: the newest documents of every kind.

use super::*;

/// The home page: the newest documents of every kind.
pub(crate) struct HomePage;

impl PageKind for HomePage {
    fn template(&self, _model: &Model) -> &'static str {
        "index.html"
    }

    fn inputs(&self, _model: &Model, d: &mut Declared) {
        // It draws on the newest documents of every kind.
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
        ctx.insert("home", &home_ctx(inputs));
        String::new()
    }
}

#[derive(Serialize)]
struct IndustryWarnings<'a> {
    industry: TermRef,
    warnings: Vec<Summary<'a>>,
}

#[derive(Serialize)]
struct HomeCtx<'a> {
    content: &'a str,
    latest: Vec<Summary<'a>>,
    lists_in_force: Vec<Summary<'a>>,
    warnings_by_industry: Vec<IndustryWarnings<'a>>,
    types: Vec<TypeCount>,
}

fn home_ctx<'a>(inputs: &'a Inputs<'_>) -> HomeCtx<'a> {
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
                industry: model.term_ref(crate::config::RegistryKind::Industries, &t.key)?,
                warnings,
            })
        })
        .collect();
    HomeCtx {
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
