//! `guidance/`: administrative-guidance notices (the regulation's Article 8).

use super::{DocKind, Field, Need, Type, Value};
use crate::config::{Config, RegistryKind};
use crate::content::{DocType, Typed};
use crate::date::Date;
use crate::source::fields::Reader;

pub(super) const TYPE: Type = Type {
    doc_type: DocType::Guidance,
    key: "guidance",
    name: "行政指导",
    typed: true,
    template: "guidance.html",
    fields: &[
        Field::new(
            "method",
            "指导方式",
            Need::Required,
            Value::Key(RegistryKind::Methods),
        ),
        Field::new("audience", "指导对象", Need::Optional, Value::Text),
    ],
    kind: &Guidance,
};

struct Guidance;

impl DocKind for Guidance {
    fn read(&self, r: &mut Reader<'_, '_>, config: &Config) -> Typed {
        let method =
            super::registered_key(r, "method", config, RegistryKind::Methods).unwrap_or_default();
        Typed::Guidance {
            method,
            audience: r.str("audience").unwrap_or_default(),
        }
    }

    fn search_text<'a>(&self, typed: &'a Typed) -> Vec<&'a str> {
        match typed {
            Typed::Guidance { audience, .. } => vec![audience],
            _ => Vec::new(),
        }
    }

    fn placeholder(&self, today: Date) -> String {
        format!(
            "+++\n{}method = \"【请填写指导方式：guide 引导 demonstrate 示范 remind 提示 coach 辅导 advise 建议 dissuade 规劝 interview 约谈 revisit 回访】\"\naudience = \"【请填写对象，如 全市餐饮服务经营者】\"\n# industries = [\"catering\"]\n+++\n\n【请填写正文】\n",
            super::common_placeholder(today)
        )
    }
}
