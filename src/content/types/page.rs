//! Plain pages: any other folder (about, the regulation's text…). They
//! read the common fields a page can use and keep the rest as `extra`
//! for templates.

use super::{DocKind, Type};
use crate::config::Config;
use crate::content::{DocType, Typed};
use crate::date::Date;
use crate::source::fields::Reader;

pub(super) const TYPE: Type = Type {
    doc_type: DocType::Page,
    key: "page",
    name: "页面",
    typed: false,
    template: "page.html",
    fields: &[],
    kind: &Page,
};

struct Page;

impl DocKind for Page {
    fn read(&self, r: &mut Reader<'_, '_>, _config: &Config) -> Typed {
        let extra = r
            .rest()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_json()))
            .collect();
        Typed::Page { extra }
    }

    fn placeholder(&self, _today: Date) -> String {
        "+++\ntitle = \"【请填写标题】\"\n+++\n\n【请填写正文】\n".to_string()
    }
}
