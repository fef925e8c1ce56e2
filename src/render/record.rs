//! 执法公示情况 as templates and open data see it: every agency's row of
//! [`crate::model::Record`] with the documents each count links to, and
//! the same figures as `data/record.json` and `data/record.csv` (the
//! annual reports' part in [`super::record_reports`]).

use serde::Serialize;

use super::context::DateCtx;
use super::record_reports::{
    ComparedCtx, DocRef, ReportCell, ReportRef, column_label, compared_ctx, doc_ref, report_cells,
    report_refs,
};
use crate::config::{METHODS, RegistryKind};
use crate::diag::Diagnostic;
use crate::model::{AgencyRow, Model, Record, STALE_MONTHS};
use crate::output::Output;

/// The page's folder below the base.
pub const SEGMENT: &str = "record";
/// The page's title.
pub const TITLE: &str = "执法公示情况";
pub const JSON_PATH: &str = "data/record.json";
pub const CSV_PATH: &str = "data/record.csv";

#[derive(Serialize, Clone, Debug)]
pub struct KindCount {
    pub key: String,
    pub name: String,
    pub count: usize,
}

#[derive(Serialize, Clone, Debug)]
pub struct ListRef<'a> {
    pub title: &'a str,
    pub url: String,
    pub kind: String,
    pub revised: Option<DateCtx>,
    pub stale: bool,
}

#[derive(Serialize, Clone, Debug)]
pub struct MethodCount {
    pub key: &'static str,
    pub name: &'static str,
    pub count: usize,
}

/// One agency's row, for templates.
#[derive(Serialize, Clone, Debug)]
pub struct RowCtx<'a> {
    pub key: &'a str,
    pub name: &'a str,
    /// The agency's own page.
    pub url: String,
    /// The row's anchor on the record page (`record-<key>`).
    pub anchor: String,
    /// Current lists per kind, in `site.toml`'s order of kinds.
    pub kinds: Vec<KindCount>,
    pub lists: Vec<ListRef<'a>>,
    pub stale_lists: usize,
    pub warnings: Vec<DocRef<'a>>,
    pub guidance: Vec<DocRef<'a>>,
    /// Every method, with this year's count.
    pub methods: Vec<MethodCount>,
    pub methods_used: usize,
    pub cases: Vec<DocRef<'a>>,
    pub newest: Option<DocRef<'a>>,
    /// This year's and last year's annual reports (the years before the
    /// build day's: see [`crate::model::Record::report_years`]).
    pub recent_reports: Vec<ReportCell>,
    /// How many of those two are published.
    pub reports_published: usize,
    /// All its annual reports, newest year first.
    pub reports: Vec<ReportRef<'a>>,
    /// Its newest report with figures beside the site's counts of that year.
    pub compared: Option<ComparedCtx<'a>>,
}

/// The whole city's figures.
#[derive(Serialize, Clone, Debug)]
pub struct Totals {
    pub lists: usize,
    pub warnings: usize,
    pub guidance: usize,
    pub cases: usize,
    /// How many agencies published each of the two reports.
    pub reports: Vec<usize>,
    pub newest: Option<DateCtx>,
}

/// The whole record, for templates.
#[derive(Serialize, Clone, Debug)]
pub struct RecordCtx<'a> {
    pub title: &'static str,
    pub url: String,
    pub as_of: DateCtx,
    pub year: i32,
    pub stale_months: u32,
    /// The two report columns: `{year, label}` for B−1 and B−2.
    pub report_columns: Vec<ReportColumn>,
    pub kinds: Vec<KindCount>,
    pub methods: Vec<MethodCount>,
    pub rows: Vec<RowCtx<'a>>,
    pub totals: Totals,
    pub json_url: String,
    pub csv_url: String,
}

/// A column of annual reports: the year reported on and its label.
#[derive(Serialize, Clone, Debug)]
pub struct ReportColumn {
    pub year: i64,
    pub label: String,
}

fn report_columns(record: &Record) -> Vec<ReportColumn> {
    record
        .report_years
        .iter()
        .map(|&year| ReportColumn {
            year,
            label: column_label(year),
        })
        .collect()
}

fn kind_name(model: &Model, key: &str) -> String {
    model
        .config
        .list_kinds
        .get(key)
        .map_or_else(|| key.to_string(), |t| t.name.clone())
}

/// Agency `row`'s values, `years` its report columns' years.
pub fn row_ctx<'a>(model: &'a Model, years: [i64; 2], row: &AgencyRow) -> RowCtx<'a> {
    let term = model.config.agencies.get(&row.agency);
    let (key, name) = term.map_or(("", ""), |t| (t.key.as_str(), t.name.as_str()));
    RowCtx {
        key,
        name,
        url: model.url(&format!("{}/{key}/", RegistryKind::Agencies.segment())),
        anchor: format!("{SEGMENT}-{key}"),
        kinds: model
            .config
            .list_kinds
            .terms
            .iter()
            .map(|k| KindCount {
                key: k.key.clone(),
                name: k.name.clone(),
                count: row.lists_of(&k.key),
            })
            .collect(),
        lists: row
            .lists
            .iter()
            .map(|l| ListRef {
                title: &model.docs[l.doc].title,
                url: model.url(&model.docs[l.doc].url),
                kind: kind_name(model, &l.kind),
                revised: l.revised.map(DateCtx::from),
                stale: l.stale,
            })
            .collect(),
        stale_lists: row.stale_lists(),
        warnings: row.warnings.iter().map(|&i| doc_ref(model, i)).collect(),
        guidance: row.guidance.iter().map(|&i| doc_ref(model, i)).collect(),
        methods: methods(row),
        methods_used: row.methods_used(),
        cases: row.cases.iter().map(|&i| doc_ref(model, i)).collect(),
        newest: row.newest.map(|i| doc_ref(model, i)),
        recent_reports: report_cells(model, years, row),
        reports_published: row.reports_published(),
        reports: report_refs(model, row),
        compared: row.compared.as_ref().and_then(|c| compared_ctx(model, c)),
    }
}

fn methods(row: &AgencyRow) -> Vec<MethodCount> {
    METHODS
        .iter()
        .map(|(key, name)| MethodCount {
            key,
            name,
            count: row
                .methods
                .iter()
                .find(|(k, _)| k == key)
                .map_or(0, |(_, n)| *n),
        })
        .collect()
}

/// The record's values.
pub fn record_ctx<'a>(model: &'a Model, record: &Record) -> RecordCtx<'a> {
    let rows: Vec<RowCtx<'a>> = record
        .rows
        .iter()
        .map(|r| row_ctx(model, record.report_years, r))
        .collect();
    let total = |f: &dyn Fn(&RowCtx<'_>) -> usize| rows.iter().map(f).sum::<usize>();
    let kinds = model
        .config
        .list_kinds
        .terms
        .iter()
        .enumerate()
        .map(|(n, k)| KindCount {
            key: k.key.clone(),
            name: k.name.clone(),
            count: total(&|r| r.kinds[n].count),
        })
        .collect();
    let methods = METHODS
        .iter()
        .enumerate()
        .map(|(n, (key, name))| MethodCount {
            key,
            name,
            count: total(&|r| r.methods[n].count),
        })
        .collect();
    let totals = Totals {
        lists: total(&|r| r.lists.len()),
        warnings: total(&|r| r.warnings.len()),
        guidance: total(&|r| r.guidance.len()),
        cases: total(&|r| r.cases.len()),
        reports: (0..2)
            .map(|n| total(&|r| usize::from(r.recent_reports[n].url.is_some())))
            .collect(),
        newest: record
            .rows
            .iter()
            .filter_map(|r| r.newest)
            .filter_map(|i| model.docs[i].date.or(model.first_published[i]))
            .max()
            .map(DateCtx::from),
    };
    RecordCtx {
        totals,
        title: TITLE,
        url: model.url(&format!("{SEGMENT}/")),
        as_of: record.as_of.into(),
        year: record.as_of.year,
        stale_months: STALE_MONTHS,
        report_columns: report_columns(record),
        kinds,
        methods,
        rows,
        json_url: model.url(JSON_PATH),
        csv_url: model.url(CSV_PATH),
    }
}

pub use super::opendata::{Dataset, FieldDoc};

/// `data/record.*` as the catalog and the open-data page describe it, its
/// URLs made with `link` (absolute for the catalog, site-relative for
/// pages).
pub fn dataset(link: &dyn Fn(&str) -> String) -> Dataset {
    Dataset {
        key: SEGMENT,
        title: TITLE,
        description: "各部门在本站的公示情况，按部门一行：现行清单及其最近修订日期（超过 12 个月未修订的标注 stale）、有效的风险提示、本年度行政指导（按八种方式分列）、典型案例、本年和上年应发布的年度报告是否已发布、最新发布日期。年度报告按所总结的年度计，某年度的报告在次年年初发布，所以生成日期在 B 年时，本年应发布的是 B−1 年度的报告，上年应发布的是 B−2 年度的报告。由生成网站时的内容统计，不含排名或评分。",
        page: Some(link(&format!("{SEGMENT}/"))),
        json: link(JSON_PATH),
        csv: link(CSV_PATH),
        fields: [
            ("agency", "部门键（site.toml 的 [agencies] 键）"),
            ("agency_name", "部门名称"),
            ("url", "部门网页"),
            ("lists", "现行清单：标题 title、网址 url、类别 kind、最近修订日期 revised、超过 12 个月未修订 stale"),
            ("lists_by_kind", "各类别现行清单数"),
            ("stale_lists", "超过 12 个月未修订的现行清单数"),
            ("warnings", "有效的风险提示（网址）"),
            ("guidance_this_year", "本年度（生成日期所在年份）公示的行政指导篇数"),
            ("guidance_by_method", "本年度各种指导方式的篇数：方式键 key、名称 name、篇数 count"),
            ("methods_used", "本年度使用的指导方式数（共八种）"),
            ("cases", "典型案例（网址）"),
            ("reports", "本年和上年应发布的年度报告：生成日期在 B 年时为 B−1 年度（本年初发布）和 B−2 年度（上年初发布）的报告，各为报告年度 year 和网址 url（未发布为 null）"),
            ("reports_published", "上述两份年度报告中已发布的份数（0 至 2）"),
            ("newest_date", "最新发布日期"),
            ("newest_url", "最新发布的文件"),
        ]
        .into_iter()
        .map(|(name, meaning)| FieldDoc { name, meaning })
        .collect(),
    }
}

/// What an agency's page needs of the whole record: where it is, its day.
#[derive(Serialize, Clone, Debug)]
pub struct RecordLink {
    pub title: &'static str,
    pub url: String,
    pub as_of: DateCtx,
    pub year: i32,
    pub stale_months: u32,
    pub report_columns: Vec<ReportColumn>,
}

pub fn record_link(model: &Model, record: &Record) -> RecordLink {
    RecordLink {
        title: TITLE,
        url: model.url(&format!("{SEGMENT}/")),
        as_of: record.as_of.into(),
        year: record.as_of.year,
        stale_months: STALE_MONTHS,
        report_columns: report_columns(record),
    }
}

/// One agency in `data/record.json`: counts, dates and the permalinks of
/// what is counted.
#[derive(Serialize)]
struct RowJson<'a> {
    agency: &'a str,
    agency_name: &'a str,
    url: String,
    lists: Vec<ListJson<'a>>,
    lists_by_kind: serde_json::Map<String, serde_json::Value>,
    stale_lists: usize,
    warnings: Vec<String>,
    guidance_this_year: usize,
    /// Every method in the contract's order, with this year's count.
    guidance_by_method: Vec<MethodCount>,
    methods_used: usize,
    cases: Vec<String>,
    /// This year's and last year's reports: their years and permalinks.
    reports: Vec<ReportJson>,
    reports_published: usize,
    newest_date: Option<String>,
    newest_url: Option<String>,
}

#[derive(Serialize)]
struct ReportJson {
    year: i64,
    url: Option<String>,
}

#[derive(Serialize)]
struct ListJson<'a> {
    title: &'a str,
    url: String,
    kind: &'a str,
    revised: Option<String>,
    stale: bool,
}

#[derive(Serialize)]
struct RecordJson<'a> {
    title: &'static str,
    url: String,
    as_of: String,
    year: i32,
    stale_months: u32,
    /// The years of the two reports of every row (B−1, B−2).
    report_years: [i64; 2],
    agencies: Vec<RowJson<'a>>,
}

fn row_json<'a>(model: &'a Model, years: [i64; 2], row: &'a AgencyRow) -> RowJson<'a> {
    let link = |i: usize| model.permalink(&model.docs[i].url);
    let name = model
        .config
        .agencies
        .get(&row.agency)
        .map_or("", |t| t.name.as_str());
    RowJson {
        agency: &row.agency,
        agency_name: name,
        url: model.permalink(&format!(
            "{}/{}/",
            RegistryKind::Agencies.segment(),
            row.agency
        )),
        lists: row
            .lists
            .iter()
            .map(|l| ListJson {
                title: &model.docs[l.doc].title,
                url: link(l.doc),
                kind: &l.kind,
                revised: l.revised.map(|d| d.to_string()),
                stale: l.stale,
            })
            .collect(),
        lists_by_kind: model
            .config
            .list_kinds
            .keys()
            .map(|k| (k.to_string(), row.lists_of(k).into()))
            .collect(),
        stale_lists: row.stale_lists(),
        warnings: row.warnings.iter().map(|&i| link(i)).collect(),
        guidance_this_year: row.guidance.len(),
        guidance_by_method: methods(row),
        methods_used: row.methods_used(),
        cases: row.cases.iter().map(|&i| link(i)).collect(),
        reports: years
            .iter()
            .zip(row.recent_reports)
            .map(|(&year, i)| ReportJson {
                year,
                url: i.map(link),
            })
            .collect(),
        reports_published: row.reports_published(),
        newest_date: row
            .newest
            .and_then(|i| model.docs[i].date.or(model.first_published[i]))
            .map(|d| d.to_string()),
        newest_url: row.newest.map(link),
    }
}

/// The CSV's header: fixed columns, then one per list kind and method,
/// then one per report year.
fn csv_header(model: &Model, years: [i64; 2]) -> Vec<String> {
    let mut h: Vec<String> = ["部门键", "部门", "部门网页", "现行清单数"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    h.extend(model.config.list_kinds.terms.iter().map(|k| k.name.clone()));
    h.extend(
        [
            "超过12个月未修订的清单数",
            "有效风险提示数",
            "本年度行政指导数",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    h.extend(METHODS.iter().map(|(_, n)| format!("行政指导：{n}")));
    h.extend(
        ["使用的指导方式数", "典型案例数"]
            .iter()
            .map(|s| s.to_string()),
    );
    h.extend(years.map(column_label));
    h.extend(
        ["最新发布日期", "最新发布文件"]
            .iter()
            .map(|s| s.to_string()),
    );
    h
}

/// An agency's line: a report column holds the report's permalink, or
/// 未发布.
fn csv_row(model: &Model, years: [i64; 2], row: &AgencyRow) -> Vec<String> {
    let j = row_json(model, years, row);
    let mut r = vec![
        j.agency.to_string(),
        j.agency_name.to_string(),
        j.url.clone(),
        row.lists.len().to_string(),
    ];
    r.extend(
        model
            .config
            .list_kinds
            .keys()
            .map(|k| row.lists_of(k).to_string()),
    );
    r.push(row.stale_lists().to_string());
    r.push(row.warnings.len().to_string());
    r.push(row.guidance.len().to_string());
    r.extend(row.methods.iter().map(|(_, n)| n.to_string()));
    r.push(row.methods_used().to_string());
    r.push(row.cases.len().to_string());
    r.extend(
        j.reports
            .into_iter()
            .map(|p| p.url.unwrap_or_else(|| "未发布".into())),
    );
    r.push(j.newest_date.unwrap_or_default());
    r.push(j.newest_url.unwrap_or_default());
    r
}

/// Writes `data/record.json` and `data/record.csv` (UTF-8 with a BOM, so
/// that Excel opens it in Chinese).
pub fn write_data(model: &Model, record: &Record, out: &Output) -> Result<(), Diagnostic> {
    let json = RecordJson {
        title: TITLE,
        url: model.permalink(&format!("{SEGMENT}/")),
        as_of: record.as_of.to_string(),
        year: record.as_of.year,
        stale_months: STALE_MONTHS,
        report_years: record.report_years,
        agencies: record
            .rows
            .iter()
            .map(|r| row_json(model, record.report_years, r))
            .collect(),
    };
    let err = |path: &str, e: crate::fs::FsError| {
        Diagnostic::error(path.to_string(), "输出", e.to_string())
    };
    out.write_from(JSON_PATH, &|w| {
        crate::escape::json_pretty_to(w, &json).map_err(std::io::Error::from)
    })
    .map_err(|e| err(JSON_PATH, e))?;
    let mut csv = String::from("\u{feff}");
    let mut line = |cells: &[String]| {
        for (n, c) in cells.iter().enumerate() {
            if n > 0 {
                csv.push(',');
            }
            super::opendata::push_csv_cell(&mut csv, c);
        }
        csv.push_str("\r\n");
    };
    line(&csv_header(model, record.report_years));
    for row in &record.rows {
        line(&csv_row(model, record.report_years, row));
    }
    out.write(CSV_PATH, csv.as_bytes())
        .map_err(|e| err(CSV_PATH, e))
}
