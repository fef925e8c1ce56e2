//! A registry's page: its terms and how many documents each has.

use super::*;

/// A registry's page: its terms and how many documents each has.
pub(crate) struct RegistryPage {
    pub(crate) registry: usize,
}

impl PageKind for RegistryPage {
    fn template(&self, _model: &Model) -> &'static str {
        "registry.html"
    }

    fn inputs(&self, _model: &Model, d: &mut Declared) {
        d.key(self.registry);
        d.counts();
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let model = cx.inputs.model;
        let ri = &self.registry;
        let r = &model.registries[*ri];
        page.kind = "registry";
        page.title = format!("按{}浏览", r.name);
        page.column = r.name.into();
        page.description = format!("{}：{} 项", r.name, r.registry.terms.len());
        page.breadcrumbs = crumbs(model, &[(r.name, &format!("{}/", r.segment))]);
        ctx.insert("registry", &registry_ctx(model, *ri));
        format!("{}/", r.segment)
    }
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
pub(super) struct RegistryCtx {
    key: &'static str,
    name: &'static str,
    url: String,
    terms: Vec<TermCount>,
}

pub(super) fn registry_ctx(model: &Model, ri: usize) -> RegistryCtx {
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
