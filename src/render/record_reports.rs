//! Annual reports on 执法公示情况, as templates see them: whether this
//! year's and last year's reports are published (the years named, since a
//! report on year Y is filed in Y+1), every report of an agency, and a
//! report's figures beside what the site itself shows of the same year.
//!
//! The two never make one number: a report counts guidance given (次) and
//! cases handled (件), the site the notices and exemplar cases it publishes
//! (篇). A figure the report does not give is 未列明, never 0, and a figure
//! the site cannot see is said to be so.

use serde::Serialize;

use super::context::DateCtx;
use super::reports::number;
use crate::config::METHODS;
use crate::content::Typed;
use crate::content::types::reports::{Figures, figure_name, figure_unit};
use crate::model::{AgencyRow, Compared, Model};

/// A document a figure counts.
#[derive(Serialize, Clone, Debug)]
pub struct DocRef<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: Option<DateCtx>,
}

/// Document `i` as a figure's link.
pub(super) fn doc_ref(model: &Model, i: usize) -> DocRef<'_> {
    let d = &model.docs[i];
    DocRef {
        title: &d.title,
        url: model.url(&d.url),
        date: d.date.or(model.first_published[i]).map(DateCtx::from),
    }
}

/// One of the record's two report columns for one agency.
#[derive(Serialize, Clone, Debug)]
pub struct ReportCell {
    /// The year reported on.
    pub year: i64,
    /// `2024年度报告`.
    pub label: String,
    /// The report, when published.
    pub url: Option<String>,
}

/// The label of the column of reports on `year`.
pub fn column_label(year: i64) -> String {
    format!("{year}年度报告")
}

/// An agency's report in its row's detail.
#[derive(Serialize, Clone, Debug)]
pub struct ReportRef<'a> {
    pub year: i64,
    pub title: &'a str,
    pub url: String,
    pub date: Option<DateCtx>,
}

/// A report's figures beside the site's own counts of the same year.
#[derive(Serialize, Clone, Debug)]
pub struct ComparedCtx<'a> {
    /// The year reported on.
    pub year: i64,
    /// `2024年度报告所列数字与本站公示对照`.
    pub caption: String,
    pub report: DocRef<'a>,
    pub rows: Vec<CompareRow<'a>>,
}

/// One row of that table.
#[derive(Serialize, Clone, Debug)]
pub struct CompareRow<'a> {
    pub key: &'static str,
    /// The row's header: 行政指导：提示, 执法回访 …
    pub name: String,
    /// What the report gives: one figure, or for the cases row the two it
    /// may give, each named.
    pub reported: Vec<Reported>,
    /// What the site publishes of the same year; `None` when the site has
    /// nothing of the kind (本站不公示此项).
    pub site: Option<SiteCount<'a>>,
}

/// A figure as a report gives it.
#[derive(Serialize, Clone, Debug)]
pub struct Reported {
    /// What it counts, when a cell holds more than one figure.
    pub name: Option<&'static str>,
    /// `1,530次`; `None` when the report does not give it (未列明).
    pub text: Option<String>,
}

/// What the site counts, with the documents counted.
#[derive(Serialize, Clone, Debug)]
pub struct SiteCount<'a> {
    /// What the documents are (行政指导, 典型案例).
    pub what: &'static str,
    pub count: usize,
    pub docs: Vec<DocRef<'a>>,
}

/// Row `row`'s two report cells, for the years of `years`.
pub fn report_cells(model: &Model, years: [i64; 2], row: &AgencyRow) -> Vec<ReportCell> {
    years
        .iter()
        .zip(row.recent_reports)
        .map(|(&year, i)| ReportCell {
            year,
            label: column_label(year),
            url: i.map(|i| model.url(&model.docs[i].url)),
        })
        .collect()
}

/// Every report of row `row`, newest year first.
pub fn report_refs<'a>(model: &'a Model, row: &AgencyRow) -> Vec<ReportRef<'a>> {
    row.reports
        .iter()
        .map(|&i| {
            let d = &model.docs[i];
            ReportRef {
                year: crate::model::reports::report_year(d).unwrap_or_default(),
                title: &d.title,
                url: model.url(&d.url),
                date: d.date.or(model.first_published[i]).map(DateCtx::from),
            }
        })
        .collect()
}

fn given(name: Option<&'static str>, key: &str, value: Option<u64>) -> Reported {
    Reported {
        name,
        text: value.map(|n| format!("{}{}", number(n), figure_unit(key))),
    }
}

/// The table of `c`: the case figures beside the exemplar cases of the
/// year, the figures the site cannot see, then the guidance by method
/// beside the notices published that year.
pub fn compared_ctx<'a>(model: &'a Model, c: &Compared) -> Option<ComparedCtx<'a>> {
    let Typed::Report {
        figures: Some(f), ..
    } = &model.docs[c.report].typed
    else {
        return None;
    };
    let docs = |v: &[usize]| v.iter().map(|&i| doc_ref(model, i)).collect::<Vec<_>>();
    let unseen = |key: &'static str| CompareRow {
        key,
        name: figure_name(key).to_string(),
        reported: vec![given(None, key, figure(f, key))],
        site: None,
    };
    let mut rows = vec![
        CompareRow {
            key: "cases",
            name: "不予处罚、从轻减轻处罚案件".into(),
            reported: vec![
                given(Some("不予处罚"), "exempted", f.exempted),
                given(Some("从轻、减轻处罚"), "mitigated", f.mitigated),
            ],
            site: Some(SiteCount {
                what: "典型案例",
                count: c.cases.len(),
                docs: docs(&c.cases),
            }),
        },
        unseen("no_coercion"),
        unseen("mediations"),
        unseen("revisits"),
    ];
    rows.extend(c.guidance.iter().map(|(key, found)| {
        let key: &'static str = key;
        let name = METHODS.iter().find(|m| m.0 == key).map_or(key, |m| m.1);
        CompareRow {
            key,
            name: format!("行政指导：{name}"),
            reported: vec![Reported {
                name: None,
                text: f.guidance_of(key).map(|n| format!("{}次", number(n))),
            }],
            site: Some(SiteCount {
                what: "行政指导",
                count: found.len(),
                docs: docs(found),
            }),
        }
    }));
    Some(ComparedCtx {
        year: c.year,
        caption: format!("{}年度报告所列数字与本站公示对照", c.year),
        report: doc_ref(model, c.report),
        rows,
    })
}

/// The figure of key `key` of [`Figures::counts`].
fn figure(f: &Figures, key: &str) -> Option<u64> {
    f.counts()
        .into_iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, n)| n)
}
