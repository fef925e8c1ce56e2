//! `reports/`: the annual reports (服务型行政执法工作专项报告) by the year
//! they report on, newest first — in place of the folder's plain listing —
//! with the way to each year's and each agency's page.

use super::*;
use crate::model::reports::{agency_path, year_path};
use crate::render::reports::{ReportRow, report_row};

/// The type's own index.
pub(crate) struct ReportsPage;

/// One year's reports, in the index.
#[derive(Serialize)]
struct YearGroup {
    year: i64,
    url: String,
    reports: Vec<ReportRow>,
}

/// An agency that has published reports, with how many.
#[derive(Serialize)]
pub(super) struct AgencyLink {
    pub(super) key: String,
    pub(super) name: String,
    pub(super) url: String,
    pub(super) count: usize,
}

/// The agencies with reports, in `site.toml`'s order.
pub(super) fn agency_links(model: &Model) -> Vec<AgencyLink> {
    let all = model.reports();
    model
        .report_agencies()
        .into_iter()
        .map(|t| AgencyLink {
            key: t.key.clone(),
            name: t.name.clone(),
            url: model.url(&agency_path(&t.key)),
            count: all
                .iter()
                .filter(|&&i| model.docs[i].agency.as_deref() == Some(t.key.as_str()))
                .count(),
        })
        .collect()
}

/// Every year with reports, newest first, as links.
pub(super) fn year_links(model: &Model) -> Vec<LinkRef> {
    model
        .report_years()
        .into_iter()
        .map(|y| LinkRef {
            title: format!("{y}年度"),
            url: model.url(&year_path(y)),
        })
        .collect()
}

/// The rows of `reports`, with their listing values.
pub(super) fn rows(cx: &RenderContext<'_, '_>, reports: &[usize]) -> Vec<ReportRow> {
    let model = cx.inputs.model;
    reports
        .iter()
        .map(|&i| report_row(model, i, cx.summaries[i].clone()))
        .collect()
}

#[derive(Serialize)]
struct IndexCtx<'a> {
    title: String,
    content: &'a str,
    url: String,
    count: usize,
    years: Vec<YearGroup>,
    agencies: Vec<AgencyLink>,
}

impl PageKind for ReportsPage {
    fn template(&self, _model: &Model) -> &'static str {
        "reports_index.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        let key = DocType::Reports.key();
        d.key(key);
        d.sections(key);
        for i in model.reports() {
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
        let title = model.section_title(key);
        let all = model.reports();
        let base = format!("{key}/");
        page.kind = "reports";
        page.title = title.clone();
        page.column = title.clone();
        page.breadcrumbs = crumbs(model, &[(&title, &base)]);
        page.description = model
            .sections
            .get(key)
            .and_then(|s| s.summary.clone())
            .unwrap_or_else(|| {
                format!(
                    "各行政执法机关的服务型行政执法工作专项报告，按报告年度排列，共 {} 份",
                    all.len()
                )
            });
        page.feed_url = model.url(&format!("{key}/atom.xml"));
        let years = model
            .report_years()
            .into_iter()
            .map(|y| {
                let of_year: Vec<usize> = all
                    .iter()
                    .copied()
                    .filter(|&i| crate::model::reports::report_year(&model.docs[i]) == Some(y))
                    .collect();
                YearGroup {
                    year: y,
                    url: model.url(&year_path(y)),
                    reports: rows(cx, &of_year),
                }
            })
            .collect();
        ctx.insert(
            "reports",
            &IndexCtx {
                title,
                content: cx
                    .inputs
                    .section_bodies
                    .get(key)
                    .map_or("", |r| r.html.as_str()),
                url: model.url(&base),
                count: all.len(),
                years,
                agencies: agency_links(model),
            },
        );
        base
    }
}
