//! `lists/`: published lists (the regulation's Article 10), each item a
//! violation with its basis, conditions and handling.

use std::collections::HashMap;

use super::{DocKind, Field, Need, Type, Value};
use crate::config::{Config, RegistryKind};
use crate::content::{DocType, Typed};
use crate::date::Date;
use crate::intern::{Text, intern};
use crate::source::fields::Reader;
use crate::source::frontmatter::Seg;

pub(super) const TYPE: Type = Type {
    doc_type: DocType::Lists,
    key: "lists",
    name: "公示清单",
    typed: true,
    template: "lists.html",
    fields: &[
        Field::new(
            "kind",
            "清单类别",
            Need::Required,
            Value::Key(RegistryKind::ListKinds),
        ),
        Field::new("items", "清单条目", Need::Optional, Value::Tables(&ITEM)),
        Field::new("categories", "分类顺序", Need::Optional, Value::Texts),
    ],
    kind: &Lists,
};

/// The fields of one `[[items]]` entry; the names of the first seven are
/// the columns of the site's tables, the CSV and Excel files and the
/// version diffs ([`Item::COLUMNS`]); 分类 and 序号 order and number them.
pub const ITEM: [Field; 11] = [
    Field::new("id", "编号", Need::Required, Value::Text),
    Field::new("violation", "违法行为", Need::Required, Value::Text),
    Field::new("basis", "违反的法律依据", Need::Required, Value::Text),
    Field::new("penalty_basis", "处罚依据", Need::Optional, Value::Text),
    Field::new("conditions", "适用条件", Need::Required, Value::Text),
    Field::new("handling", "处理方式", Need::Required, Value::Text),
    Field::new("note", "备注", Need::Optional, Value::Text),
    Field::new("category", "分类", Need::Optional, Value::Text),
    Field::new("no", "序号", Need::Optional, Value::Text),
    Field::new("summary", "一句话说明", Need::Optional, Value::Text),
    Field::new(
        "industries",
        "适用行业",
        Need::Optional,
        Value::Keys(RegistryKind::Industries),
    ),
];

/// One item of a published list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub violation: Text,
    pub basis: Text,
    pub penalty_basis: Text,
    pub conditions: Text,
    pub handling: Text,
    pub note: String,
    /// 分类: the section of the list the item belongs to (一、登记注册类);
    /// empty when the list is not divided.
    pub category: String,
    /// 序号 as the agency numbered it (`"3"`, `"（一）1"`); empty: the
    /// item's place in the list is shown instead.
    pub no: String,
    /// 一句话说明: what the item means in plain words; empty: the
    /// violation stands for it.
    pub summary: String,
    /// The industries the item applies to (keys of `[industries]`); empty:
    /// those of its list.
    pub industries: Vec<String>,
}

impl Item {
    /// The columns of a list, as the site's tables, the CSV and Excel files
    /// and the version diffs name them; [`Item::cells`] gives them in order.
    pub const COLUMNS: [&'static str; 7] = super::names_prefix(&ITEM);

    /// The item's values, in the order of [`Item::COLUMNS`].
    pub fn cells(&self) -> [&str; 7] {
        [
            &self.id,
            &self.violation,
            &self.basis,
            &self.penalty_basis,
            &self.conditions,
            &self.handling,
            &self.note,
        ]
    }

    /// Reads one `[[items]]` entry.
    fn read(row: &mut Reader<'_, '_>) -> Item {
        Item {
            id: row.req_str("id").unwrap_or_default(),
            violation: intern(row.req_str("violation").unwrap_or_default()),
            basis: intern(row.req_str("basis").unwrap_or_default()),
            penalty_basis: intern(row.str("penalty_basis").unwrap_or_default()),
            conditions: intern(row.req_str("conditions").unwrap_or_default()),
            handling: intern(row.req_str("handling").unwrap_or_default()),
            note: row.str("note").unwrap_or_default(),
            category: row.str("category").unwrap_or_default(),
            no: row.str("no").unwrap_or_default(),
            summary: row.str("summary").unwrap_or_default(),
            industries: Vec::new(),
        }
    }
}

struct Lists;

/// What is wrong with an item's `id`, if anything: the id is a link's
/// anchor and a key in the data files, so two ids that look the same must
/// be the same. Refused: spaces and `# / ? "` (they break the anchor),
/// characters that are not seen (zero-width spaces, soft hyphens, control
/// characters: pasted from Word or a web page), and full-width letters and
/// digits (`SJ-MF-0０4`, typed with a Chinese input method).
fn id_problem(id: &str) -> Option<(String, String)> {
    const HINT: &str = "编号用字母、数字和连字符，例如 SJ-MF-001";
    let shown = |c: char| format!("U+{:04X}", c as u32);
    for c in id.chars() {
        let invisible = c.is_control()
            || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
        if invisible {
            return Some((
                format!("编号“{id}”含有看不见的字符（{}）", shown(c)),
                format!("这类字符常随复制粘贴带入；请删除编号后重新输入。{HINT}"),
            ));
        }
        if c.is_whitespace() || matches!(c, '#' | '/' | '?' | '"') {
            return Some((format!("编号“{id}”含有空格或 # / ? \" 等字符"), HINT.into()));
        }
        if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
            let half = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            return Some((
                format!("编号“{id}”含有全角字符“{c}”"),
                format!("请改为半角的“{half}”（切换到英文输入法再输入）。{HINT}"),
            ));
        }
    }
    None
}

/// A list's `categories = [...]`: the order of its items' categories,
/// each named once and not empty.
fn list_categories(r: &mut Reader<'_, '_>) -> Vec<String> {
    let declared = r.str_list("categories");
    let mut out: Vec<String> = Vec::with_capacity(declared.len());
    for (i, c) in declared.into_iter().enumerate() {
        let mut at = r.path("categories");
        at.push(Seg::Index(i));
        if c.trim().is_empty() {
            r.ctx().error(
                &at,
                "分类名称不能为空",
                Some("例如 categories = [\"一、登记注册类\", \"二、广告类\"]".into()),
            );
        } else if out.contains(&c) {
            r.ctx().error(
                &at,
                format!("分类“{c}”重复"),
                Some("每个分类在 categories 中只写一次".into()),
            );
        } else {
            out.push(c);
        }
    }
    out
}

impl DocKind for Lists {
    fn read(&self, r: &mut Reader<'_, '_>, config: &Config) -> Typed {
        let kind =
            super::registered_key(r, "kind", config, RegistryKind::ListKinds).unwrap_or_default();
        let categories = list_categories(r);
        let mut items: Vec<Item> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let rows = r.tables("items");
        if rows.is_empty() && !r.has("items") && !r.lost("items") {
            r.ctx().warn(
                &[Seg::Key("kind")],
                "清单没有任何条目",
                Some("用 [[items]] 块逐条列出违法行为".into()),
            );
        }
        for (i, mut row) in rows.into_iter().enumerate() {
            let mut item = Item::read(&mut row);
            item.industries =
                super::registered_list(&mut row, "industries", config, RegistryKind::Industries);
            if !categories.is_empty()
                && !item.category.is_empty()
                && !categories.contains(&item.category)
            {
                row.error(
                    "category",
                    format!("分类“{}”不在本清单的 categories 中", item.category),
                    Some(format!(
                        "categories 声明的分类：{}；请改为其中之一，或把它加进 categories",
                        categories.join("、")
                    )),
                );
            }
            if let Some((message, hint)) = id_problem(&item.id) {
                row.error("id", message, Some(hint));
            } else if !item.id.is_empty() {
                if let Some(first) = seen.get(&item.id) {
                    row.error(
                        "id",
                        format!("编号“{}”重复：第 {} 条已使用", item.id, first + 1),
                        Some("同一清单内每条的 id 必须唯一，且修订时保持不变".into()),
                    );
                } else {
                    seen.insert(item.id.clone(), i);
                }
            }
            row.finish(&ITEM.map(|f| f.key), "清单条目");
            items.push(item);
        }
        Typed::List {
            kind,
            items,
            categories,
        }
    }

    fn placeholder(&self, today: Date) -> String {
        format!(
            "+++\n{}kind = \"【请填写清单类别键，见 [list_kinds]】\"\n\n[[items]]\nid = \"【请填写编号，如 SJ-MF-001】\"\nviolation = \"【请填写违法行为】\"\nbasis = \"【请填写违反的法律依据】\"\npenalty_basis = \"【请填写处罚依据】\"\nconditions = \"【请填写适用条件】\"\nhandling = \"【请填写处理方式】\"\n+++\n\n【请填写清单说明】\n",
            super::common_placeholder(today)
        )
    }
}
