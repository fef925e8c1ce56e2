//! `cases/`: exemplar enforcement cases (the regulation's Article 19).

use super::{DocKind, Field, Need, Type, Value};
use crate::config::{Config, RegistryKind};
use crate::content::{DocType, Typed};
use crate::date::Date;
use crate::source::fields::Reader;

pub(super) const TYPE: Type = Type {
    doc_type: DocType::Cases,
    key: "cases",
    name: "典型案例",
    typed: true,
    template: "cases.html",
    fields: &[
        Field::new("year", "年度", Need::Required, Value::Int),
        Field::new(
            "methods",
            "指导方式",
            Need::Optional,
            Value::Keys(RegistryKind::Methods),
        ),
        Field::new("outcome", "处理结果", Need::Optional, Value::Text),
        Field::new("honor", "所获荣誉", Need::Optional, Value::Text),
    ],
    kind: &Cases,
};

struct Cases;

impl DocKind for Cases {
    fn read(&self, r: &mut Reader<'_, '_>, config: &Config) -> Typed {
        let year = match r.req_int("year") {
            Some(y) if (1949..=2100).contains(&y) => y,
            Some(y) => {
                r.error(
                    "year",
                    format!("年份 {y} 不合理"),
                    Some("写成四位数年份，例如 year = 2024".into()),
                );
                0
            }
            None => 0,
        };
        let methods = super::registered_list(r, "methods", config, RegistryKind::Methods);
        Typed::Case {
            year,
            methods,
            outcome: r.str("outcome").unwrap_or_default(),
            honor: r.str("honor").unwrap_or_default(),
        }
    }

    fn search_text<'a>(&self, typed: &'a Typed) -> Vec<&'a str> {
        match typed {
            Typed::Case { outcome, honor, .. } => vec![outcome, honor],
            _ => Vec::new(),
        }
    }

    fn placeholder(&self, today: Date) -> String {
        format!(
            "+++\n{}year = {}\nmethods = [\"remind\"]\noutcome = \"【请填写处理结果】\"\n# honor = \"市级服务型行政执法优秀案例\"\n+++\n\n## 案情简介\n\n【请填写案情】\n\n## 处理过程\n\n【请填写处理过程】\n\n## 典型意义\n\n【请填写典型意义】\n",
            super::common_placeholder(today),
            today.year
        )
    }
}
