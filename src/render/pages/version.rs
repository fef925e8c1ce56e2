//! One version of a list, as it stood.

use super::*;

/// One version of a list, as it stood.
pub(crate) struct VersionPage {
    pub(crate) doc: usize,
    pub(crate) n: usize,
}

impl PageKind for VersionPage {
    fn template(&self, _model: &Model) -> &'static str {
        "version.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        d.doc(self.doc);
        d.key(self.n);
        d.sections(&model.docs[self.doc].section);
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (shared, inputs, model) = (cx, cx.inputs, cx.inputs.model);
        let (doc, n) = (&self.doc, &self.n);
        let d = &model.docs[*doc];
        let version = model.version_ctx(*doc, *n);
        page.kind = "version";
        page.title = format!("{}（{} 起施行的版本）", d.title, version.info.effective.zh);
        page.column = model.section_title(DocType::Lists.key());
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
        model.version_path(*doc, &model.versions[*doc][*n].slug)
    }
}
