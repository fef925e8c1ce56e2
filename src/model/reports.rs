//! Annual reports (服务型行政执法工作专项报告, Article 21) across the site:
//! one per agency and year, the year not after the report's publication,
//! and where their generated pages are — one per year reported on
//! (`reports/years/<yyyy>/`) and one per agency (`reports/agencies/<key>/`),
//! beside the type's own index (`reports/`).

use std::collections::{HashMap, HashSet};

use super::Model;
use crate::content::{DocType, Document, Section, Typed};
use crate::diag::Diagnostic;

/// The folder below `reports/` that holds the year pages.
pub const YEARS: &str = "years";
/// The folder below `reports/` that holds the agency pages.
pub const AGENCIES: &str = "agencies";

/// Path below the base of the reports of year `year`.
pub fn year_path(year: i64) -> String {
    format!("{}/{YEARS}/{year}/", DocType::Reports.key())
}

/// Path below the base of agency `key`'s reports.
pub fn agency_path(key: &str) -> String {
    format!("{}/{AGENCIES}/{key}/", DocType::Reports.key())
}

/// The year a report reports on (`None` for any other document).
pub fn report_year(d: &Document) -> Option<i64> {
    match d.typed {
        Typed::Report { year, .. } => Some(year),
        _ => None,
    }
}

/// Reports a second report of an agency for a year (naming both files), a
/// year after the report's own publication, and documents or folders
/// where the generated report pages are.
pub(super) fn check(
    documents: &[std::sync::Arc<Document>],
    sections: &std::collections::BTreeMap<String, Section>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<(&str, i64), &Document> = HashMap::new();
    // The first published is the agency's report for the year; the later
    // one is the error (then by path, the same in every run).
    let mut reports: Vec<&Document> = documents
        .iter()
        .map(|d| &**d)
        .filter(|d| d.doc_type == DocType::Reports)
        .collect();
    reports.sort_by(|a, b| (a.date, &a.rel).cmp(&(b.date, &b.rel)));
    for d in reports {
        let (Some(year), Some(agency)) = (report_year(d), d.agency.as_deref()) else {
            continue;
        };
        let (line, col) = d.at("year");
        if let Some(date) = d.date
            && year > i64::from(date.year)
        {
            diags.push(
                Diagnostic::error(
                    &d.rel,
                    "year",
                    format!("报告年度 {year} 晚于发布日期 {}", date.zh()),
                )
                .at(line, col)
                .hint(
                    "year 是报告所总结的年度（通常是发布日期的上一年），不是发布年份".to_string(),
                ),
            );
        }
        match seen.get(&(agency, year)) {
            Some(first) => diags.push(
                Diagnostic::error(
                    &d.rel,
                    "year",
                    format!(
                        "同一机关同一年度只能有一份年度报告：{} 已是 {agency} 的 {year} 年度报告",
                        first.rel
                    ),
                )
                .at(line, col)
                .hint(format!(
                    "更正报告请直接修改 {}，并在 revisions 中写明修订说明；若本文件是另一年度的报告，请改正 year",
                    first.rel
                )),
            ),
            None => {
                seen.insert((agency, year), d);
            }
        }
    }
    let reserved = |key: &str| {
        let mut segs = key.split('/');
        segs.next() == Some(DocType::Reports.key())
            && segs.next().is_some_and(|s| s == YEARS || s == AGENCIES)
            && segs.next().is_some_and(|s| !s.is_empty())
    };
    for d in documents {
        if reserved(d.url.trim_end_matches('/')) {
            diags.push(
                Diagnostic::error(&d.rel, "slug", format!("网址 {} 与年度报告的汇总页冲突", d.url))
                    .at(1, 1)
                    .hint(format!(
                        "reports/{YEARS}/ 和 reports/{AGENCIES}/ 留给按年度、按机关汇总的页面，请换一个目录名"
                    )),
            );
        }
    }
    for s in sections.values().filter(|s| !s.rel.is_empty()) {
        let mut segs = s.key.split('/');
        if segs.next() == Some(DocType::Reports.key())
            && segs.next().is_some_and(|x| x == YEARS || x == AGENCIES)
        {
            diags.push(
                Diagnostic::error(&s.rel, "路径", format!("目录 content/{}/ 与年度报告的汇总页冲突", s.key))
                    .at(1, 1)
                    .hint(format!(
                        "reports/{YEARS}/ 和 reports/{AGENCIES}/ 留给按年度、按机关汇总的页面，请换一个目录名"
                    )),
            );
        }
    }
}

/// The agencies (keys) of the annual reports among `docs`.
pub(super) fn reporting(docs: &[std::sync::Arc<Document>]) -> HashSet<String> {
    docs.iter()
        .filter(|d| d.doc_type == DocType::Reports)
        .filter_map(|d| d.agency.clone())
        .collect()
}

impl Model {
    /// Every annual report, by year reported on (newest first), then by
    /// agency in `site.toml`'s order.
    pub fn reports(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.docs.len())
            .filter(|&i| self.docs[i].doc_type == DocType::Reports)
            .collect();
        let agency_order = |i: usize| {
            self.docs[i]
                .agency
                .as_deref()
                .and_then(|a| self.config.agencies.position(a))
                .unwrap_or(usize::MAX)
        };
        v.sort_by_key(|&i| {
            (
                std::cmp::Reverse(report_year(&self.docs[i])),
                agency_order(i),
                i,
            )
        });
        v
    }

    /// The years reports are published for, newest first.
    pub fn report_years(&self) -> Vec<i64> {
        let mut years: Vec<i64> = self.docs.iter().filter_map(|d| report_year(d)).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years
    }

    /// The agencies that have published a report, in `site.toml`'s order.
    pub fn report_agencies(&self) -> Vec<&crate::config::Term> {
        self.config
            .agencies
            .terms
            .iter()
            .filter(|t| self.reporting.contains(&t.key))
            .collect()
    }

    /// Agency `agency`'s report on year `year`, if published (there is at
    /// most one: see [`check`]).
    pub fn report_for(&self, agency: &str, year: i64) -> Option<usize> {
        (0..self.docs.len()).find(|&i| {
            let d = &self.docs[i];
            report_year(d) == Some(year) && d.agency.as_deref() == Some(agency)
        })
    }
}
