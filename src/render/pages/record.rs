//! 执法公示情况 (`record/`): one row per agency, computed from the content
//! on the build day (see [`crate::model::Record`]), then each agency's
//! counted documents.

use super::*;
use crate::render::record::{SEGMENT, TITLE, record_ctx};

/// `record/`.
pub(crate) struct RecordPage;

/// Every document an agency's row may count: the row reads their type,
/// dates and status, all of which a document's input covers. That takes in
/// its annual reports (their years, figures and URLs: the report columns,
/// the list of reports and the figures table) and the guidance and cases
/// of any year (the figures table counts those of the report's year, not
/// the build year's). The build day picks the report years (B−1, B−2).
pub(super) fn declare_agency_docs(model: &Model, agency: Option<&str>, d: &mut Declared) {
    d.key(("record", model.today));
    for (i, doc) in model.docs.iter().enumerate() {
        if doc.agency.is_some() && (agency.is_none() || doc.agency.as_deref() == agency) {
            d.doc(i);
        }
    }
}

impl PageKind for RecordPage {
    fn template(&self, _model: &Model) -> &'static str {
        "record.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        d.key(SEGMENT);
        declare_agency_docs(model, None, d);
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let model = cx.inputs.model;
        page.kind = "record";
        page.title = TITLE.into();
        page.column = TITLE.into();
        page.description = format!(
            "各部门服务型行政执法公示情况：现行清单及修订日期、有效风险提示、本年度行政指导、典型案例、年度报告和最新发布，截至{}",
            model.today.zh()
        );
        let base = format!("{SEGMENT}/");
        page.breadcrumbs = crumbs(model, &[(TITLE, &base)]);
        ctx.insert("record", &record_ctx(model, &cx.record));
        base
    }
}
