//! A list's versions: the point-in-time index.

use super::*;

/// A list's versions: the point-in-time index.
pub(crate) struct VersionsPage {
    pub(crate) doc: usize,
}

impl PageKind for VersionsPage {
    fn template(&self, _model: &Model) -> &'static str {
        "versions.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        d.doc(self.doc);
        d.sections(&model.docs[self.doc].section);
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (shared, inputs, model) = (cx, cx.inputs, cx.inputs.model);
        let doc = &self.doc;
        let d = &model.docs[*doc];
        page.kind = "versions";
        page.title = format!("{}：历次版本", d.title);
        page.column = model.section_title(DocType::Lists.key());
        page.description = format!("《{}》的历次版本、施行期间和修改内容", d.title);
        page.breadcrumbs = crumbs_for_doc(model, d);
        page.breadcrumbs.push(LinkRef {
            title: "历次版本".into(),
            url: String::new(),
        });
        let doc_value = shared.doc_values.get(model, *doc, &inputs.bodies[*doc]);
        ctx.insert_value("doc", doc_value);
        format!("{}versions/", d.url)
    }
}
