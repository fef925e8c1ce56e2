//! Every document type, each defined once (ripgrep's `flags/defs.rs` is the
//! model): its key and Chinese name, its template, its own front-matter
//! fields, how those are read and checked, what search finds in it beyond
//! its title and body, and the placeholder `gongshi new` writes. [`ALL`]
//! lists them; everything else that needs a list of types (the menu, the
//! feeds, `DocType::TYPED`, the `new` command's values) derives it from
//! there, and `tests.rs` checks each definition against its reader, the
//! content model (`docs/content-model.md`), the built-in theme and `check`.
//!
//! The fields every type shares ([`COMMON`]) are read in
//! `content/validate.rs`; a type reads only its own.

mod cases;
mod guidance;
mod lists;
mod page;
pub mod reports;
mod warnings;

#[cfg(test)]
mod tests;

pub use lists::{ITEM, Item};
pub use warnings::{RISK, Risk};

use super::{DocType, Typed};
use crate::config::{Config, Registry, RegistryKind};
use crate::date::Date;
use crate::source::fields::Reader;
use crate::source::frontmatter::Seg;

/// One document type, as data. Its behaviour is its [`DocKind`].
pub struct Type {
    pub doc_type: DocType,
    /// Its folder below `content/`, its key in URLs, templates and the
    /// search index (`lists`); `page` for plain pages, which live in any
    /// other folder.
    pub key: &'static str,
    /// What a reader calls it (公示清单).
    pub name: &'static str,
    /// A typed document has the official header (机构, 文号…), registered
    /// keys, and refuses unknown fields; a plain page keeps them as `extra`.
    pub typed: bool,
    /// Its page's template in the theme.
    pub template: &'static str,
    /// Its own fields, after [`COMMON`], in the order errors list them.
    pub fields: &'static [Field],
    pub kind: &'static dyn DocKind,
}

/// What a type does with its own fields.
pub trait DocKind: Sync {
    /// Reads and checks the type's own fields (the common ones are read
    /// already); every problem is reported through `r` with its place.
    fn read(&self, r: &mut Reader<'_, '_>, config: &Config) -> Typed;

    /// Whether a common field is required in this type beyond what
    /// [`Field::need`] says (a warning must name its industries).
    fn requires(&self, _field: &Field) -> bool {
        false
    }

    /// The document's own text that search finds besides its title,
    /// summary and body (a case's outcome…), in that order.
    fn search_text<'a>(&self, _typed: &'a Typed) -> Vec<&'a str> {
        Vec::new()
    }

    /// The front matter and body `gongshi new` writes: every required
    /// field, with 【请填写…】 where the clerk must write, and the useful
    /// optional ones commented out.
    fn placeholder(&self, today: Date) -> String;
}

/// Every document type, in the order the site shows them (the menu, the
/// feeds, the home page); plain pages last. In `DocType`'s order.
pub const ALL: [Type; 6] = [
    lists::TYPE,
    guidance::TYPE,
    cases::TYPE,
    warnings::TYPE,
    reports::TYPE,
    page::TYPE,
];

// `DocType::def` indexes `ALL` by the variant.
const _: () = {
    let mut i = 0;
    while i < ALL.len() {
        assert!(ALL[i].doc_type as usize == i);
        i += 1;
    }
};

/// How many of [`ALL`] are typed.
pub const TYPED_COUNT: usize = {
    let (mut i, mut n) = (0, 0);
    while i < ALL.len() {
        if ALL[i].typed {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The types of [`ALL`], in order (`DocType::ALL`).
pub const fn all() -> [DocType; ALL.len()] {
    let mut out = [DocType::Page; ALL.len()];
    let mut i = 0;
    while i < ALL.len() {
        out[i] = ALL[i].doc_type;
        i += 1;
    }
    out
}

/// The typed types of [`ALL`], in order (`DocType::TYPED`).
pub const fn typed() -> [DocType; TYPED_COUNT] {
    let mut out = [DocType::Page; TYPED_COUNT];
    let (mut i, mut n) = (0, 0);
    while i < ALL.len() {
        if ALL[i].typed {
            out[n] = ALL[i].doc_type;
            n += 1;
        }
        i += 1;
    }
    out
}

/// One front-matter field.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    /// What a clerk calls it (发布机构; for list items, the column title).
    pub name: &'static str,
    pub need: Need,
    pub value: Value,
}

impl Field {
    pub const fn new(key: &'static str, name: &'static str, need: Need, value: Value) -> Field {
        Field {
            key,
            name,
            need,
            value,
        }
    }
}

/// Whether a field must be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// Required in typed documents, optional in plain pages (`date`).
    RequiredTyped,
    /// Read only in typed documents; a plain page keeps it as `extra`.
    OnlyTyped {
        required: bool,
    },
}

/// What a field holds.
#[derive(Clone, Copy, Debug)]
pub enum Value {
    Text,
    Texts,
    Int,
    /// A non-negative whole number (a figure in a report).
    Count,
    Bool,
    Date,
    /// A `[a-z0-9-]+` name (`slug`).
    Name,
    /// A key of a registry.
    Key(RegistryKind),
    /// Keys of a registry.
    Keys(RegistryKind),
    /// An internal link (`@/lists/a.md`).
    Link,
    /// A file's path from the document's folder (`原件.pdf`).
    File,
    /// An array of tables (`[[items]]`), each with these fields.
    Tables(&'static [Field]),
    /// One table (`[figures]`) with these fields.
    Table(&'static [Field]),
}

/// The fields every type has, in the order errors list them. Plain pages
/// read those not [`Need::OnlyTyped`].
pub const COMMON: [Field; 18] = [
    Field::new("title", "标题", Need::Required, Value::Text),
    Field::new("date", "发布日期", Need::RequiredTyped, Value::Date),
    Field::new("updated", "更新日期", Need::Optional, Value::Date),
    Field::new(
        "agency",
        "发布机构",
        Need::OnlyTyped { required: true },
        Value::Key(RegistryKind::Agencies),
    ),
    Field::new("summary", "摘要", Need::Optional, Value::Text),
    Field::new(
        "districts",
        "适用区域",
        Need::OnlyTyped { required: false },
        Value::Keys(RegistryKind::Districts),
    ),
    Field::new(
        "industries",
        "行业领域",
        Need::OnlyTyped { required: false },
        Value::Keys(RegistryKind::Industries),
    ),
    Field::new("tags", "关键词", Need::Optional, Value::Texts),
    Field::new(
        "effective",
        "施行日期",
        Need::OnlyTyped { required: false },
        Value::Date,
    ),
    Field::new(
        "expires",
        "失效日期",
        Need::OnlyTyped { required: false },
        Value::Date,
    ),
    Field::new(
        "superseded_by",
        "替代文件",
        Need::OnlyTyped { required: false },
        Value::Link,
    ),
    Field::new(
        "revisions",
        "修订记录",
        Need::Optional,
        Value::Tables(&REVISION),
    ),
    Field::new(
        "attachments",
        "附件",
        Need::Optional,
        Value::Tables(&ATTACHMENT),
    ),
    Field::new(
        "doc_number",
        "文号",
        Need::OnlyTyped { required: false },
        Value::Text,
    ),
    Field::new(
        "index_number",
        "索引号",
        Need::OnlyTyped { required: false },
        Value::Text,
    ),
    Field::new("draft", "草稿", Need::Optional, Value::Bool),
    Field::new("slug", "网址名", Need::Optional, Value::Name),
    Field::new("weight", "排序权重", Need::Optional, Value::Int),
];

/// One attached file (`[[attachments]]`; a plain path is a `file` alone).
pub const ATTACHMENT: [Field; 2] = [
    Field::new("file", "附件文件", Need::Required, Value::File),
    Field::new("title", "附件名称", Need::Optional, Value::Text),
];

/// One entry of `revisions`.
pub const REVISION: [Field; 2] = [
    Field::new("date", "修订日期", Need::Required, Value::Date),
    Field::new("note", "修订说明", Need::Required, Value::Text),
];

impl Type {
    /// The fields a document of this type reads: the common ones it reads,
    /// then its own.
    pub fn all_fields(&self) -> impl Iterator<Item = &'static Field> + '_ {
        let typed = self.typed;
        COMMON
            .iter()
            .filter(move |f| typed || !matches!(f.need, Need::OnlyTyped { .. }))
            .chain(self.fields)
    }

    /// Whether `field` (one of [`Type::all_fields`]) must be written.
    pub fn requires(&self, field: &Field) -> bool {
        match field.need {
            Need::Required | Need::OnlyTyped { required: true } => true,
            Need::RequiredTyped => self.typed,
            Need::Optional | Need::OnlyTyped { required: false } => self.kind.requires(field),
        }
    }

    /// The keys an unknown-field error offers, common ones first.
    pub fn allowed(&self) -> Vec<&'static str> {
        COMMON.iter().chain(self.fields).map(|f| f.key).collect()
    }

    /// The folder `gongshi new` writes to below `content/` (empty for
    /// plain pages).
    pub fn folder(&self) -> &'static str {
        if self.typed { self.key } else { "" }
    }
}

/// The column names of an array-of-tables field, in order.
pub const fn names<const N: usize>(fields: &[Field; N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = fields[i].name;
        i += 1;
    }
    out
}

/// The names of the first `N` fields.
pub const fn names_prefix<const N: usize>(fields: &[Field]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = fields[i].name;
        i += 1;
    }
    out
}

/// The common part of every typed placeholder.
fn common_placeholder(today: Date) -> String {
    format!(
        "title = \"【请填写标题】\"\ndate = {today}\nagency = \"【请填写机构键，见 site.toml 的 [agencies]】\"\n# doc_number = \"示市监〔{}〕1号\"\n# effective = {today}\n# districts = [\"chengdong\"]\n# attachments = [{{ file = \"原件.pdf\", title = \"原件（盖章版）\" }}]  # 附件：与本文件放在同一文件夹的 PDF、OFD、DOCX、XLSX、DOC、XLS\n",
        today.year
    )
}

/// Checks a key against a registry, with the closest keys as a hint.
fn registered(
    r: &Reader<'_, '_>,
    at: Vec<Seg<'_>>,
    value: &str,
    reg: &Registry,
    kind: RegistryKind,
) -> bool {
    if reg.get(value).is_some() {
        return true;
    }
    let (what, table) = (kind.noun(), kind.key());
    // A clerk often writes the registered name (市市场监督管理局, 免罚清单):
    // names are not accepted — keys stay fixed when an agency is renamed
    // and make the URLs — but the message gives the key to write.
    let bare = |s: &str| s.trim().trim_start_matches('市').to_string();
    let short = value.trim().chars().count() >= 2;
    let named = reg
        .terms
        .iter()
        .find(|t| t.name == value || (short && bare(&t.name) == bare(value)))
        .or_else(|| {
            // A short form of one name only (免罚清单 for 轻微违法行为免罚清单).
            let mut within = reg
                .terms
                .iter()
                .filter(|t| short && t.name.contains(value.trim()));
            within.next().filter(|_| within.next().is_none())
        });
    if let Some(t) = named {
        // The guidance methods are fixed by the regulation, not in site.toml.
        let source = if kind == RegistryKind::Methods {
            "八种指导方式的键是固定的".to_string()
        } else {
            format!("{} 的键见 site.toml 的 [{table}.{}]", t.name, t.key)
        };
        r.ctx().error(
            &at,
            format!("“{value}”是{what}的名称，不是键"),
            Some(format!("写的是名称，请改为键 {}（{source}）", t.key)),
        );
        return false;
    }
    let hint = if kind == RegistryKind::Methods {
        let all: Vec<String> = reg
            .terms
            .iter()
            .map(|t| format!("{}（{}）", t.key, t.name))
            .collect();
        format!(
            "{}；指导方式只能是: {}",
            crate::diag::did_you_mean(value, reg.keys()),
            all.join(" ")
        )
    } else if reg.terms.is_empty() {
        format!("site.toml 中还没有 [{table}.…] 登记项")
    } else {
        format!(
            "{}；新的{what}须先在 site.toml 的 [{table}.{value}] 中登记",
            crate::diag::did_you_mean(value, reg.keys())
        )
    };
    r.ctx()
        .error(&at, format!("未登记的{what}“{value}”"), Some(hint));
    false
}

/// A required key of registry `kind` (empty when missing or unregistered).
pub(super) fn registered_key<'t>(
    r: &mut Reader<'t, '_>,
    key: &'t str,
    config: &Config,
    kind: RegistryKind,
) -> Option<String> {
    let reg = kind.declared(config)?;
    r.req_str(key)
        .filter(|v| registered(r, r.path(key), v, reg, kind))
}

/// Keys of registry `kind`, each checked, duplicates dropped.
pub(super) fn registered_list<'t>(
    r: &mut Reader<'t, '_>,
    key: &'t str,
    config: &Config,
    kind: RegistryKind,
) -> Vec<String> {
    let values = r.str_list(key);
    let Some(reg) = kind.declared(config) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, v) in values.into_iter().enumerate() {
        let mut at = r.path(key);
        at.push(Seg::Index(i));
        if registered(r, at, &v, reg, kind) && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}
