//! `warnings/`: legal-risk warning bulletins (the regulation's Article 9),
//! each risk point with its measures and a self-check list.

use super::{DocKind, Field, Need, Type, Value};
use crate::config::{Config, RegistryKind};
use crate::content::{DocType, Typed};
use crate::date::Date;
use crate::intern::{Text, intern};
use crate::source::fields::Reader;
use crate::source::frontmatter::Seg;

pub(super) const TYPE: Type = Type {
    doc_type: DocType::Warnings,
    key: "warnings",
    name: "风险提示",
    typed: true,
    template: "warnings.html",
    fields: &[
        Field::new(
            "level",
            "风险等级",
            Need::Required,
            Value::Key(RegistryKind::RiskLevels),
        ),
        Field::new("valid_until", "有效期至", Need::Optional, Value::Date),
        Field::new("risks", "风险点", Need::Optional, Value::Tables(&RISK)),
    ],
    kind: &Warnings,
};

/// The fields of one `[[risks]]` entry.
pub const RISK: [Field; 5] = [
    Field::new("point", "风险点", Need::Required, Value::Text),
    Field::new("cause", "成因", Need::Optional, Value::Text),
    Field::new("measures", "防范措施", Need::Required, Value::Text),
    Field::new("basis", "法律依据", Need::Optional, Value::Text),
    Field::new("self_check", "自查要点", Need::Optional, Value::Texts),
];

/// One risk point of a warning bulletin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Risk {
    pub point: Text,
    pub cause: Text,
    pub measures: Text,
    pub basis: Text,
    pub self_check: Vec<String>,
}

impl Risk {
    /// Reads one `[[risks]]` entry.
    fn read(row: &mut Reader<'_, '_>) -> Risk {
        Risk {
            point: intern(row.req_str("point").unwrap_or_default()),
            cause: intern(row.str("cause").unwrap_or_default()),
            measures: intern(row.req_str("measures").unwrap_or_default()),
            basis: intern(row.str("basis").unwrap_or_default()),
            self_check: row.str_list("self_check"),
        }
    }
}

struct Warnings;

impl DocKind for Warnings {
    fn read(&self, r: &mut Reader<'_, '_>, config: &Config) -> Typed {
        let level =
            super::registered_key(r, "level", config, RegistryKind::RiskLevels).unwrap_or_default();
        let ctx = r.ctx();
        match ctx.fm.table.iter().find(|(k, _)| k == "industries") {
            None => r.missing("industries", "[\"catering\"]"),
            Some((_, crate::source::frontmatter::Value::Array(a))) if a.is_empty() => {
                r.error(
                    "industries",
                    "风险提示至少要有一个适用行业",
                    Some("例如 industries = [\"catering\"]".into()),
                );
            }
            Some(_) => {}
        }
        let valid_until = r.date("valid_until");
        let mut risks = Vec::new();
        let rows = r.tables("risks");
        if rows.is_empty() && !r.lost("risks") {
            ctx.warn(
                &[Seg::Key("level")],
                "风险提示没有任何风险点",
                Some("用 [[risks]] 块逐条写出风险点和防范措施".into()),
            );
        }
        for mut row in rows {
            risks.push(Risk::read(&mut row));
            row.finish(&RISK.map(|f| f.key), "风险点");
        }
        Typed::Warning {
            level,
            valid_until,
            risks,
        }
    }

    /// A warning names the industries it is for.
    fn requires(&self, field: &Field) -> bool {
        field.key == "industries"
    }

    fn placeholder(&self, today: Date) -> String {
        format!(
            "+++\n{}level = \"【请填写风险等级键，见 [risk_levels]】\"\nindustries = [\"【请填写行业键，见 [industries]】\"]\n# valid_until = {}-12-31\n\n[[risks]]\npoint = \"【请填写风险点】\"\ncause = \"【请填写成因】\"\nmeasures = \"【请填写防范措施】\"\nbasis = \"【请填写法律依据】\"\nself_check = [\"【请填写自查要点】\"]\n+++\n\n【请填写提示说明】\n",
            super::common_placeholder(today),
            today.year
        )
    }
}
