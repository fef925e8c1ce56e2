//! Annual reports as templates see them: a report's figures (工作数据) as
//! the rows of its table, numbers written as Chinese tables write them
//! (1,530件), and the same figures side by side on the pages of a year or
//! an agency. Only what a report gives is shown: a figure it leaves out is
//! 未列明, never 0.

use serde::Serialize;

use crate::config::METHODS;
use crate::content::Typed;
use crate::content::types::reports::{Figures, figure_name, figure_unit};
use crate::model::Model;
use crate::model::reports::{agency_path, year_path};

/// A whole number with a 千分撇 every three digits: `1530` → `1,530`.
pub fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One figure: what it counts, the number, and the two written together.
#[derive(Serialize, Clone, Debug)]
pub struct FigureCtx {
    pub key: &'static str,
    /// 不予处罚案件数, 提示 …
    pub name: &'static str,
    /// 件 or 次.
    pub unit: &'static str,
    pub value: u64,
    /// `1,530次`.
    pub text: String,
}

fn figure(key: &'static str, name: &'static str, unit: &'static str, value: u64) -> FigureCtx {
    FigureCtx {
        key,
        name,
        unit,
        value,
        text: format!("{}{unit}", number(value)),
    }
}

/// A report's figures, for its own page.
#[derive(Serialize, Clone, Debug)]
pub struct FiguresCtx {
    /// The case and visit figures the report gives, in contract order.
    pub counts: Vec<FigureCtx>,
    /// 行政指导 by method, those the report gives, in `METHODS` order.
    pub guidance: Vec<FigureCtx>,
    /// The sum of `guidance`, when it has any.
    pub guidance_total: Option<FigureCtx>,
}

impl FiguresCtx {
    pub fn of(f: &Figures) -> Self {
        FiguresCtx {
            counts: f
                .counts()
                .into_iter()
                .filter_map(|(key, n)| {
                    n.map(|n| figure(key, figure_name(key), figure_unit(key), n))
                })
                .collect(),
            guidance: f
                .guidance
                .iter()
                .map(|&(key, n)| {
                    let name = METHODS.iter().find(|m| m.0 == key).map_or(key, |m| m.1);
                    figure(key, name, "次", n)
                })
                .collect(),
            guidance_total: f
                .guidance_total()
                .map(|n| figure("guidance", figure_name("guidance"), "次", n)),
        }
    }
}

/// What a report's own page shows besides the common header.
#[derive(Serialize, Clone, Debug)]
pub struct ReportCtx {
    /// 报告年度.
    pub year: i64,
    /// The page of every report on that year.
    pub year_url: String,
    /// The page of the agency's reports across the years.
    pub agency_url: Option<String>,
    /// 工作数据, when the report gives any.
    pub figures: Option<FiguresCtx>,
}

/// Report `i`'s values (`None` when it is not a report).
pub fn report_ctx(model: &Model, i: usize) -> Option<ReportCtx> {
    let d = &model.docs[i];
    let Typed::Report { year, figures } = &d.typed else {
        return None;
    };
    Some(ReportCtx {
        year: *year,
        year_url: model.url(&year_path(*year)),
        agency_url: d.agency.as_deref().map(|a| model.url(&agency_path(a))),
        figures: figures.as_ref().map(FiguresCtx::of),
    })
}

/// A column of the tables that set reports side by side.
#[derive(Serialize, Clone, Debug)]
pub struct ColumnCtx {
    pub key: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
}

/// The columns of those tables: the five case and visit figures, then
/// 行政指导 in all (by method on each report's own page).
pub fn columns() -> Vec<ColumnCtx> {
    [
        "exempted",
        "mitigated",
        "no_coercion",
        "mediations",
        "revisits",
        "guidance",
    ]
    .into_iter()
    .map(|key| ColumnCtx {
        key,
        name: figure_name(key),
        unit: figure_unit(key),
    })
    .collect()
}

/// One cell of those tables: the figure as written, or 未列明.
#[derive(Serialize, Clone, Debug)]
pub struct CellCtx {
    pub value: Option<u64>,
    /// `1,530`, empty when the report does not give it.
    pub text: String,
}

/// Report `i` in a table beside others: its listing value, its year and
/// agency, and its figures in [`columns`]' order.
#[derive(Serialize, Clone, Debug)]
pub struct ReportRow {
    pub doc: tera::Value,
    pub year: i64,
    pub year_url: String,
    pub agency_name: String,
    pub agency_url: String,
    /// Whether the report gives any figure.
    pub has_figures: bool,
    pub cells: Vec<CellCtx>,
}

/// The row of report `i`, with `summary` its listing value.
pub fn report_row(model: &Model, i: usize, summary: tera::Value) -> ReportRow {
    let d = &model.docs[i];
    let (year, figures) = match &d.typed {
        Typed::Report { year, figures } => (*year, figures.as_ref()),
        _ => (0, None),
    };
    let agency = d.agency.as_deref().unwrap_or("");
    let cell = |value: Option<u64>| CellCtx {
        value,
        text: value.map(number).unwrap_or_default(),
    };
    let mut cells: Vec<CellCtx> = match figures {
        Some(f) => f.counts().iter().map(|&(_, n)| cell(n)).collect(),
        None => (0..5).map(|_| cell(None)).collect(),
    };
    cells.push(cell(figures.and_then(Figures::guidance_total)));
    ReportRow {
        doc: summary,
        year,
        year_url: model.url(&year_path(year)),
        agency_name: model
            .config
            .agencies
            .get(agency)
            .map_or_else(|| agency.to_string(), |t| t.name.clone()),
        agency_url: model.url(&agency_path(agency)),
        has_figures: figures.is_some(),
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        for (n, s) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (1530, "1,530"),
            (126_000, "126,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(number(n), s);
        }
    }

    #[test]
    fn figures_show_only_what_is_given() {
        let f = Figures {
            exempted: Some(126),
            revisits: Some(0),
            guidance: vec![("remind", 1530), ("interview", 12)],
            ..Figures::default()
        };
        let ctx = FiguresCtx::of(&f);
        let shown: Vec<(&str, &str)> = ctx.counts.iter().map(|c| (c.name, &*c.text)).collect();
        assert_eq!(shown, [("不予处罚案件数", "126件"), ("执法回访", "0次")]);
        let g: Vec<&str> = ctx.guidance.iter().map(|c| c.name).collect();
        assert_eq!(g, ["提示", "约谈"]);
        assert_eq!(ctx.guidance_total.map(|t| t.text), Some("1,542次".into()));
    }
}
