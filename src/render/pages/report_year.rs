//! `reports/years/<yyyy>/`: every agency's report on one year, their
//! figures side by side (as each report gives them: no ranking, no sum
//! across agencies), and the way to the other years.

use super::reports::{AgencyLink, agency_links, rows, year_links};
use super::*;
use crate::content::types::reports::FULL_NAME;
use crate::model::reports::{report_year, year_path};
use crate::render::reports::{ColumnCtx, ReportRow, columns};

/// The reports on one year.
pub(crate) struct ReportYearPage {
    pub(crate) year: i64,
}

#[derive(Serialize)]
struct YearCtx {
    year: i64,
    title: String,
    url: String,
    index_url: String,
    columns: Vec<ColumnCtx>,
    reports: Vec<ReportRow>,
    /// Whether any of them gives figures.
    any_figures: bool,
    years: Vec<LinkRef>,
    agencies: Vec<AgencyLink>,
}

impl ReportYearPage {
    fn members(&self, model: &Model) -> Vec<usize> {
        model
            .reports()
            .into_iter()
            .filter(|&i| report_year(&model.docs[i]) == Some(self.year))
            .collect()
    }
}

impl PageKind for ReportYearPage {
    fn template(&self, _model: &Model) -> &'static str {
        "reports_year.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        let agencies: Vec<String> = agency_links(model)
            .into_iter()
            .map(|a| format!("{}:{}", a.key, a.count))
            .collect();
        d.key(("reports-year", self.year, model.report_years(), agencies));
        d.sections(DocType::Reports.key());
        for i in self.members(model) {
            d.doc(i);
        }
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let model = cx.inputs.model;
        let key = DocType::Reports.key();
        let section = model.section_title(key);
        let base = year_path(self.year);
        let members = self.members(model);
        let title = format!("{}年度{FULL_NAME}", self.year);
        page.kind = "reports-year";
        page.title = title.clone();
        page.column = section.clone();
        page.breadcrumbs = crumbs(
            model,
            &[
                (&section, &format!("{key}/")),
                (&format!("{}年度", self.year), &base),
            ],
        );
        page.description = format!(
            "{}个行政执法机关的{}年度服务型行政执法工作专项报告及其工作数据",
            members.len(),
            self.year
        );
        page.feed_url = model.url(&format!("{key}/atom.xml"));
        let reports = rows(cx, &members);
        ctx.insert(
            "reports",
            &YearCtx {
                year: self.year,
                title,
                url: model.url(&base),
                index_url: model.url(&format!("{key}/")),
                columns: columns(),
                any_figures: reports.iter().any(|r| r.has_figures),
                reports,
                years: year_links(model),
                agencies: agency_links(model),
            },
        );
        base
    }
}
