//! `reports/`: the annual special report on service-oriented administrative
//! enforcement (服务型行政执法工作专项报告) every agency files under the
//! regulation's Article 21 — the year it reports on, and the figures it
//! gives (工作数据), each a non-negative whole number.
//!
//! One report per agency and year is checked across the site in
//! `crate::model` (a corrected report names the one it replaces with
//! `superseded_by`).

use super::{DocKind, Field, Need, Type, Value};
use crate::config::{Config, METHODS};
use crate::content::{DocType, Typed};
use crate::date::Date;
use crate::source::fields::Reader;

/// What the regulation calls the report (the type's short name is 年度报告).
pub const FULL_NAME: &str = "服务型行政执法工作专项报告";

pub(super) const TYPE: Type = Type {
    doc_type: DocType::Reports,
    key: "reports",
    name: "年度报告",
    typed: true,
    template: "reports.html",
    fields: &[
        Field::new("year", "报告年度", Need::Required, Value::Int),
        Field::new(
            "figures",
            "工作数据",
            Need::Optional,
            Value::Table(&FIGURES),
        ),
    ],
    kind: &Reports,
};

/// The keys of `[figures]`, with what a reader calls each (and its unit).
pub const FIGURES: [Field; 6] = [
    Field::new(
        "exempted",
        "不予处罚案件数（件）",
        Need::Optional,
        Value::Count,
    ),
    Field::new(
        "mitigated",
        "从轻、减轻处罚案件数（件）",
        Need::Optional,
        Value::Count,
    ),
    Field::new(
        "no_coercion",
        "不予实施行政强制措施案件数（件）",
        Need::Optional,
        Value::Count,
    ),
    Field::new("mediations", "行政调解（件）", Need::Optional, Value::Count),
    Field::new("revisits", "执法回访（次）", Need::Optional, Value::Count),
    Field::new(
        "guidance",
        "行政指导（次）",
        Need::Optional,
        Value::Table(&GUIDANCE),
    ),
];

/// The keys of `[figures.guidance]`: the eight methods of
/// [`crate::config::METHODS`], in that order.
pub const GUIDANCE: [Field; 8] = [
    method(0),
    method(1),
    method(2),
    method(3),
    method(4),
    method(5),
    method(6),
    method(7),
];

const fn method(i: usize) -> Field {
    Field::new(METHODS[i].0, METHODS[i].1, Need::Optional, Value::Count)
}

/// What a report says it did in its year (工作数据). Every figure is
/// optional: `None` (or a method missing from `guidance`) means the report
/// does not give it, which is not the same as 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// 不予处罚案件数（件）: cases closed without a penalty (免罚).
    pub exempted: Option<u64>,
    /// 从轻、减轻处罚案件数（件）: cases given a lighter or reduced penalty.
    pub mitigated: Option<u64>,
    /// 不予实施行政强制措施案件数（件）: cases where no coercive measure
    /// was taken.
    pub no_coercion: Option<u64>,
    /// 行政调解（件）: disputes mediated.
    pub mediations: Option<u64>,
    /// 执法回访（次）: return visits after enforcement.
    pub revisits: Option<u64>,
    /// 行政指导（次）: guidance given, per method — `(key of METHODS,
    /// count)` in `METHODS` order, only the methods the report gives.
    pub guidance: Vec<(&'static str, u64)>,
}

impl Figures {
    /// The five case and visit figures with their keys, in [`FIGURES`]
    /// order (`None` where not given).
    pub fn counts(&self) -> [(&'static str, Option<u64>); 5] {
        [
            (FIGURES[0].key, self.exempted),
            (FIGURES[1].key, self.mitigated),
            (FIGURES[2].key, self.no_coercion),
            (FIGURES[3].key, self.mediations),
            (FIGURES[4].key, self.revisits),
        ]
    }

    /// The guidance given for `method` (a key of `METHODS`), if the report
    /// gives it.
    pub fn guidance_of(&self, method: &str) -> Option<u64> {
        self.guidance
            .iter()
            .find(|(k, _)| *k == method)
            .map(|&(_, n)| n)
    }

    /// The sum of the guidance figures given; `None` when none is.
    pub fn guidance_total(&self) -> Option<u64> {
        if self.guidance.is_empty() {
            return None;
        }
        Some(self.guidance.iter().map(|&(_, n)| n).sum())
    }

    /// Whether the table gives no figure at all (`[figures]` left empty).
    pub fn is_empty(&self) -> bool {
        self.counts().iter().all(|(_, n)| n.is_none()) && self.guidance.is_empty()
    }
}

/// The name a reader sees for a figure key of [`FIGURES`], without its unit.
pub fn figure_name(key: &str) -> &'static str {
    let name = FIGURES.iter().find(|f| f.key == key).map_or("", |f| f.name);
    name.split_once('（').map_or(name, |(n, _)| n)
}

/// The unit of a figure key of [`FIGURES`] (件 or 次).
pub fn figure_unit(key: &str) -> &'static str {
    let name = FIGURES.iter().find(|f| f.key == key).map_or("", |f| f.name);
    name.rsplit_once('（')
        .map_or("", |(_, u)| u.trim_end_matches('）'))
}

struct Reports;

impl Reports {
    /// `[figures]`: every key a count, unknown keys and methods refused.
    fn figures(r: &mut Reader<'_, '_>) -> Option<Figures> {
        let mut t = r.table("figures")?;
        let mut f = Figures {
            exempted: t.count("exempted"),
            mitigated: t.count("mitigated"),
            no_coercion: t.count("no_coercion"),
            mediations: t.count("mediations"),
            revisits: t.count("revisits"),
            guidance: Vec::new(),
        };
        if let Some(mut g) = t.table("guidance") {
            for (key, _) in METHODS {
                if let Some(n) = g.count(key) {
                    f.guidance.push((key, n));
                }
            }
            let methods: Vec<String> = METHODS.iter().map(|(k, n)| format!("{k}（{n}）")).collect();
            for (key, _) in g.rest() {
                g.error(
                    key,
                    format!("“{key}”不是行政指导方式"),
                    Some(format!(
                        "{}；指导方式只能是: {}",
                        crate::diag::did_you_mean(key, METHODS.iter().map(|m| m.0)),
                        methods.join(" ")
                    )),
                );
            }
        }
        t.finish(&FIGURES.map(|f| f.key), "工作数据（figures）");
        Some(f).filter(|f| !f.is_empty())
    }
}

impl DocKind for Reports {
    fn read(&self, r: &mut Reader<'_, '_>, _config: &Config) -> Typed {
        let year = match r.req_int("year") {
            Some(y) if (1949..=2100).contains(&y) => y,
            Some(y) => {
                r.error(
                    "year",
                    format!("报告年度 {y} 不合理"),
                    Some("写成四位数年份，即报告所总结的年度，例如 year = 2024".into()),
                );
                0
            }
            None => 0,
        };
        let figures = Self::figures(r);
        Typed::Report { year, figures }
    }

    fn placeholder(&self, today: Date) -> String {
        let year = today.year - 1;
        format!(
            "+++\n{}year = {year}\n## 工作数据（可选）：报告中写明的数字，均为非负整数；没有的项目不写。\n# [figures]\n# exempted = 0\n# mitigated = 0\n# no_coercion = 0\n# mediations = 0\n# revisits = 0\n# [figures.guidance]\n# remind = 0\n# interview = 0\n+++\n\n## 一、主要做法\n\n【请填写主要做法】\n\n## 二、工作成效\n\n【请填写工作成效】\n\n## 三、存在问题\n\n【请填写存在的问题】\n\n## 四、下一步打算\n\n【请填写下一步打算】\n",
            super::common_placeholder(today)
        )
    }
}
