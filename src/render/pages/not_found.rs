//! The page served for a missing address.

use super::*;

/// The page served for a missing address.
pub(crate) struct NotFoundPage;

impl PageKind for NotFoundPage {
    fn template(&self, _model: &Model) -> &'static str {
        "404.html"
    }

    fn inputs(&self, _model: &Model, d: &mut Declared) {
        let _ = d;
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        _ctx: &mut tera::Context,
    ) -> String {
        let model = cx.inputs.model;
        page.kind = "404";
        page.title = "页面未找到".into();
        page.column = "页面未找到".into();
        page.noindex = true;
        // 首页 links home; the page itself is the current step.
        page.breadcrumbs = crumbs(model, &[("页面未找到", "404.html")]);
        "404.html".into()
    }
}
