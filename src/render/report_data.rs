//! Open data of the annual reports: `data/reports.json` and
//! `data/reports.csv` (UTF-8 with BOM), one record per report — its year,
//! agency, title, 文号, date and address, and every figure of the contract
//! as a column of its own, empty (JSON `null`) where the report gives none,
//! so a figure left out is never read as 0.

use std::fmt::Write as _;

use serde::Serialize;

use super::opendata::{Dataset, cell, push_csv_field};
use crate::config::METHODS;
use crate::content::Typed;
use crate::content::types::reports::{FIGURES, Figures, figure_name};
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::output::Output;

/// Paths below the base of the reports' JSON and CSV.
pub const JSON: &str = "data/reports.json";
pub const CSV: &str = "data/reports.csv";

/// The reports' data as the catalog lists it.
pub fn dataset(model: &Model) -> Dataset {
    Dataset {
        key: "reports",
        title: "年度报告工作数据",
        description: "各机关服务型行政执法工作专项报告列明的数字，每份报告一条；报告未列明的为空（null），不是 0",
        json: model.permalink(JSON),
        csv: model.permalink(CSV),
        page: (!model.reports().is_empty()).then(|| model.permalink("reports/")),
        fields: Vec::new(),
    }
}

#[derive(Serialize)]
struct AgencyJson<'a> {
    key: &'a str,
    name: &'a str,
}

/// A report's figures with every key present.
#[derive(Serialize)]
struct FiguresJson {
    exempted: Option<u64>,
    mitigated: Option<u64>,
    no_coercion: Option<u64>,
    mediations: Option<u64>,
    revisits: Option<u64>,
    /// Every method of `METHODS`, in order.
    guidance: serde_json::Map<String, serde_json::Value>,
    /// The sum of the methods given; `null` when none is.
    guidance_total: Option<u64>,
}

impl FiguresJson {
    fn of(f: &Figures) -> Self {
        FiguresJson {
            exempted: f.exempted,
            mitigated: f.mitigated,
            no_coercion: f.no_coercion,
            mediations: f.mediations,
            revisits: f.revisits,
            guidance: METHODS
                .iter()
                .map(|(k, _)| (k.to_string(), f.guidance_of(k).into()))
                .collect(),
            guidance_total: f.guidance_total(),
        }
    }
}

#[derive(Serialize)]
struct ReportJson<'a> {
    year: i64,
    agency: Option<AgencyJson<'a>>,
    title: &'a str,
    url: String,
    doc_number: &'a str,
    date: Option<String>,
    /// `null` when the report gives no figures.
    figures: Option<FiguresJson>,
}

/// A figure's column: its key in `figures` and its Chinese title.
#[derive(Serialize)]
struct ColumnJson {
    key: String,
    name: String,
}

#[derive(Serialize)]
struct ReportsJson<'a> {
    title: &'static str,
    url: String,
    as_of: String,
    count: usize,
    /// The figures' keys (`guidance.remind` for a method) and names.
    columns: Vec<ColumnJson>,
    reports: Vec<ReportJson<'a>>,
}

/// The figure columns: key and Chinese name, in the CSV's order.
fn figure_columns() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = FIGURES[..5]
        .iter()
        .map(|f| (f.key.to_string(), f.name.to_string()))
        .collect();
    for (k, n) in METHODS {
        v.push((format!("guidance.{k}"), format!("行政指导·{n}（次）")));
    }
    v.push((
        "guidance_total".into(),
        format!("{}合计（次）", figure_name("guidance")),
    ));
    v
}

/// One report's figures in [`figure_columns`] order.
fn figure_cells(f: Option<&Figures>) -> Vec<Option<u64>> {
    let Some(f) = f else {
        return vec![None; 5 + METHODS.len() + 1];
    };
    let mut v: Vec<Option<u64>> = f.counts().iter().map(|&(_, n)| n).collect();
    v.extend(METHODS.iter().map(|(k, _)| f.guidance_of(k)));
    v.push(f.guidance_total());
    v
}

/// Writes `data/reports.json` and `data/reports.csv`.
pub(super) fn write(model: &Model, out: &Output) -> Result<(), Diagnostic> {
    let err = |path: &str, e: crate::fs::FsError| {
        Diagnostic::error(path.to_string(), "输出", e.to_string())
    };
    let reports = model.reports();
    let columns = figure_columns();
    let mut records = Vec::with_capacity(reports.len());
    let mut csv = String::from("\u{feff}报告年度,机构键,发布机构,标题,文号,发布日期,网页地址");
    for (_, name) in &columns {
        csv.push(',');
        push_csv_field(&mut csv, name);
    }
    csv.push_str("\r\n");
    for &i in &reports {
        let d = &model.docs[i];
        let Typed::Report { year, figures } = &d.typed else {
            continue;
        };
        let agency = d
            .agency
            .as_deref()
            .and_then(|a| model.config.agencies.get(a));
        let url = model.permalink(&d.url);
        let date = d.date.map(|x| x.to_string());
        let doc_number = d.doc_number.as_deref().unwrap_or("");
        let _ = write!(csv, "{year},");
        for s in [
            agency.map_or("", |a| a.key.as_str()),
            agency.map_or("", |a| a.name.as_str()),
            &d.title,
            doc_number,
            date.as_deref().unwrap_or(""),
            &url,
        ] {
            push_csv_field(&mut csv, &cell(s));
            csv.push(',');
        }
        let cells: Vec<String> = figure_cells(figures.as_ref())
            .into_iter()
            .map(|n| n.map(|n| n.to_string()).unwrap_or_default())
            .collect();
        csv.push_str(&cells.join(","));
        csv.push_str("\r\n");
        records.push(ReportJson {
            year: *year,
            agency: agency.map(|a| AgencyJson {
                key: &a.key,
                name: &a.name,
            }),
            title: &d.title,
            url,
            doc_number,
            date,
            figures: figures.as_ref().map(FiguresJson::of),
        });
    }
    let json = ReportsJson {
        title: "服务型行政执法工作专项报告",
        url: model.permalink(&format!("{}/", crate::content::DocType::Reports.key())),
        as_of: model.today.to_string(),
        count: records.len(),
        columns: columns
            .into_iter()
            .map(|(key, name)| ColumnJson { key, name })
            .collect(),
        reports: records,
    };
    let body = crate::escape::json_pretty(&json)
        .map_err(|e| Diagnostic::error(JSON, "输出", e.to_string()))?;
    out.write(JSON, &body).map_err(|e| err(JSON, e))?;
    out.write(CSV, csv.as_bytes()).map_err(|e| err(CSV, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_has_a_column_and_a_cell() {
        let cols = figure_columns();
        assert_eq!(cols.len(), figure_cells(None).len());
        let f = Figures {
            mitigated: Some(3),
            guidance: vec![("interview", 2), ("revisit", 5)],
            ..Figures::default()
        };
        let cells = figure_cells(Some(&f));
        let at = |key: &str| cells[cols.iter().position(|(k, _)| k == key).expect(key)];
        assert_eq!(at("mitigated"), Some(3));
        assert_eq!(at("exempted"), None);
        assert_eq!(at("guidance.interview"), Some(2));
        assert_eq!(at("guidance.remind"), None);
        assert_eq!(at("guidance_total"), Some(7));
        assert_eq!(cols[0].1, "不予处罚案件数（件）");
        assert_eq!(cols[5].1, "行政指导·引导（次）");
    }
}
