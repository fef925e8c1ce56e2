//! The open-data page: every list's downloads, the annual reports' data
//! and the catalog.

use super::*;

/// The open-data page: every list's downloads and the catalog.
pub(crate) struct DataPage;

impl PageKind for DataPage {
    fn template(&self, _model: &Model) -> &'static str {
        "data.html"
    }

    fn inputs(&self, _model: &Model, d: &mut Declared) {
        d.lists();
        d.counts();
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (shared, model) = (cx, cx.inputs.model);
        page.kind = "data";
        page.title = "开放数据".into();
        page.column = "开放数据".into();
        page.description = format!(
            "{}的清单数据下载（JSON、CSV、Excel）与文档目录",
            model.config.title
        );
        page.breadcrumbs = crumbs(model, &[("开放数据", "data/")]);
        ctx.insert("data", &data_ctx(shared));
        "data/".into()
    }
}

#[derive(Serialize)]
struct DataList<'a> {
    summary: Summary<'a>,
    item_count: usize,
    downloads: crate::render::data::Downloads,
}

/// The annual reports' data files.
#[derive(Serialize)]
struct ReportFiles {
    json: String,
    csv: String,
    /// How many reports they hold.
    count: usize,
}

#[derive(Serialize)]
struct DataCtx<'a> {
    catalog_url: String,
    schema_url: String,
    count: usize,
    lists: Vec<DataList<'a>>,
    reports: ReportFiles,
    record: Option<crate::render::record::Dataset>,
}

fn data_ctx<'a>(shared: &'a RenderContext<'_, '_>) -> DataCtx<'a> {
    let model = shared.inputs.model;
    let lists = (0..model.docs.len())
        .filter_map(|i| {
            let downloads = crate::render::data::downloads(model, i)?;
            let item_count = match &model.docs[i].typed {
                crate::content::Typed::List { items, .. } => items.len(),
                _ => 0,
            };
            Some(DataList {
                summary: model.summary(i, &shared.inputs.bodies[i].first_paragraph),
                item_count,
                downloads,
            })
        })
        .collect();
    DataCtx {
        catalog_url: model.url("data/catalog.json"),
        schema_url: model.url("data/list.schema.json"),
        count: model.docs.iter().filter(|d| d.doc_type.is_typed()).count(),
        lists,
        reports: ReportFiles {
            json: model.url(crate::render::report_data::JSON),
            csv: model.url(crate::render::report_data::CSV),
            count: model
                .docs
                .iter()
                .filter(|d| d.doc_type == crate::content::DocType::Reports)
                .count(),
        },
        record: (!model.config.agencies.terms.is_empty())
            .then(|| crate::render::record::dataset(&|p| model.url(p))),
    }
}
