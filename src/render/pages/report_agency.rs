//! `reports/agencies/<key>/`: one agency's annual reports across the
//! years, newest first, with their figures year beside year.

use super::reports::{rows, year_links};
use super::*;
use crate::config::RegistryKind;
use crate::content::types::reports::FULL_NAME;
use crate::model::reports::agency_path;
use crate::render::reports::{ColumnCtx, ReportRow, columns};

/// One agency's reports.
pub(crate) struct ReportAgencyPage<'j> {
    pub(crate) agency: &'j str,
}

#[derive(Serialize)]
struct AgencyCtx {
    key: String,
    name: String,
    title: String,
    url: String,
    /// The agency's own page (every document it publishes).
    agency_url: String,
    index_url: String,
    columns: Vec<ColumnCtx>,
    reports: Vec<ReportRow>,
    any_figures: bool,
    years: Vec<LinkRef>,
}

impl ReportAgencyPage<'_> {
    fn members(&self, model: &Model) -> Vec<usize> {
        model
            .reports()
            .into_iter()
            .filter(|&i| model.docs[i].agency.as_deref() == Some(self.agency))
            .collect()
    }
}

impl PageKind for ReportAgencyPage<'_> {
    fn template(&self, _model: &Model) -> &'static str {
        "reports_agency.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        d.key(("reports-agency", self.agency, model.report_years()));
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
        let name = model
            .config
            .agencies
            .get(self.agency)
            .map_or_else(|| self.agency.to_string(), |t| t.name.clone());
        let base = agency_path(self.agency);
        let members = self.members(model);
        let title = format!("{name}{FULL_NAME}");
        page.kind = "reports-agency";
        page.title = title.clone();
        page.column = section.clone();
        page.breadcrumbs = crumbs(model, &[(&section, &format!("{key}/")), (&name, &base)]);
        page.description = format!(
            "{name}历年服务型行政执法工作专项报告，共 {} 份",
            members.len()
        );
        page.source = name.clone();
        page.feed_url = model.url(&format!("{key}/atom.xml"));
        let reports = rows(cx, &members);
        ctx.insert(
            "reports",
            &AgencyCtx {
                key: self.agency.to_string(),
                title,
                url: model.url(&base),
                agency_url: model.url(&format!(
                    "{}/{}/",
                    RegistryKind::Agencies.segment(),
                    self.agency
                )),
                index_url: model.url(&format!("{key}/")),
                columns: columns(),
                any_figures: reports.iter().any(|r| r.has_figures),
                reports,
                years: year_links(model),
                name,
            },
        );
        base
    }
}
