//! The contract's rules for each type of document, applied to one parsed
//! front-matter table. Cross-document rules (unique URLs, links, anchors)
//! live in `crate::site`, which sees the whole tree.

use super::{DocType, Document, Item, Link, NotedRevision, Risk, Section, Typed};
use crate::config::{Config, Registry, RegistryKind, is_key};
use crate::source::fields::{Ctx, Reader};
use crate::source::frontmatter::Seg;

const COMMON: &[&str] = &[
    "title",
    "date",
    "updated",
    "agency",
    "summary",
    "districts",
    "industries",
    "tags",
    "effective",
    "expires",
    "superseded_by",
    "revisions",
    "doc_number",
    "index_number",
    "draft",
    "slug",
    "weight",
];

fn allowed(doc_type: DocType) -> Vec<&'static str> {
    let own: &[&str] = match doc_type {
        DocType::Lists => &["kind", "items", "categories"],
        DocType::Guidance => &["method", "audience"],
        DocType::Cases => &["year", "methods", "outcome", "honor"],
        DocType::Warnings => &["level", "valid_until", "risks"],
        DocType::Page => &[],
    };
    COMMON.iter().chain(own).copied().collect()
}

/// A list's `categories = [...]`: the order of its items' categories,
/// each named once and not empty.
fn list_categories(r: &mut Reader<'_, '_>) -> Vec<String> {
    let declared = r.str_list("categories");
    let mut out: Vec<String> = Vec::with_capacity(declared.len());
    for (i, c) in declared.into_iter().enumerate() {
        let at = {
            let mut p = r.path("categories");
            p.push(Seg::Index(i));
            p
        };
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

fn registered_list<'t>(
    r: &mut Reader<'t, '_>,
    key: &'t str,
    reg: &Registry,
    kind: RegistryKind,
) -> Vec<String> {
    let values = r.str_list(key);
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

fn methods_registry() -> Registry {
    Registry {
        terms: crate::config::METHODS
            .iter()
            .map(|(k, n)| crate::config::Term {
                key: (*k).into(),
                name: (*n).into(),
                description: String::new(),
            })
            .collect(),
    }
}

/// Reads a document's front matter. Returns `None` only when the file cannot
/// be placed at all; field errors are reported and defaults used, so every
/// problem in a file shows up in one run.
#[allow(clippy::too_many_arguments)]
pub(super) fn document(
    ctx: &Ctx<'_>,
    config: &Config,
    doc_type: DocType,
    folder: &str,
    stem: &str,
    key: &str,
    body: &str,
    body_line: usize,
) -> Option<Document> {
    let mut r = Reader::new(&ctx.fm.table, Vec::new(), ctx);
    let typed_doc = doc_type.is_typed();
    let title = r.req_str("title").unwrap_or_default();
    let date = if typed_doc {
        r.req_date("date")
    } else {
        r.date("date")
    };
    let updated = r.date("updated");
    let agency = if typed_doc {
        r.req_str("agency").filter(|a| {
            registered(
                &r,
                r.path("agency"),
                a,
                &config.agencies,
                RegistryKind::Agencies,
            )
        })
    } else {
        None
    };
    let summary = r.str("summary");
    let districts = if typed_doc {
        registered_list(
            &mut r,
            "districts",
            &config.districts,
            RegistryKind::Districts,
        )
    } else {
        Vec::new()
    };
    let industries = if typed_doc {
        registered_list(
            &mut r,
            "industries",
            &config.industries,
            RegistryKind::Industries,
        )
    } else {
        Vec::new()
    };
    let tags = r.str_list("tags");
    let effective = if typed_doc { r.date("effective") } else { None };
    let expires = if typed_doc { r.date("expires") } else { None };
    if let (Some(e), Some(x)) = (effective, expires)
        && x < e
    {
        r.error(
            "expires",
            format!("失效日期 {x} 早于施行日期 {e}"),
            Some("请核对 effective 与 expires".into()),
        );
    }
    let superseded_by = if typed_doc {
        r.str("superseded_by").and_then(|s| {
            let (line, col) = ctx.fm.locate(&[Seg::Key("superseded_by")]);
            let link = Link::parse(&s, line, col, "superseded_by");
            if link.is_none() {
                r.error(
                    "superseded_by",
                    format!("“{s}”不是站内链接"),
                    Some("写成 superseded_by = \"@/lists/scjg/2024-exempt.md\"（content/ 下的源文件路径）".into()),
                );
            }
            link
        })
    } else {
        None
    };
    let revisions = noted_revisions(&mut r, date);
    let doc_number = if typed_doc { r.str("doc_number") } else { None };
    let index_number = if typed_doc {
        r.str("index_number")
    } else {
        None
    };
    let draft = r.bool("draft").unwrap_or(false);
    let weight = r.int("weight").unwrap_or(0);
    let slug = r.str("slug");
    let name = match slug {
        Some(s) if is_key(&s) => s,
        Some(s) => {
            r.error(
                "slug",
                format!("slug“{s}”只能使用小写字母、数字和连字符"),
                Some("例如 slug = \"2024-exempt\"".into()),
            );
            stem.to_string()
        }
        None if crate::source::fields::is_segment(stem) => stem.to_string(),
        None => {
            // About the file's name, so it points at the file's first line.
            ctx.diags.borrow_mut().push(
                crate::diag::Diagnostic::error(ctx.path, "slug", format!("文件名“{stem}”不能用作网址"))
                    .at(1, 1)
                    .hint("请把文件改名为小写字母、数字和连字符组成的名字，或在前置元数据中加 slug = \"…\""),
            );
            stem.to_string()
        }
    };
    if name == "page" && !folder.is_empty() {
        r.error(
            "slug",
            "“page”是分页网址的保留名",
            Some("请换一个文件名或 slug".into()),
        );
    }

    let typed = match doc_type {
        DocType::Lists => {
            let kind = r
                .req_str("kind")
                .filter(|k| {
                    registered(
                        &r,
                        r.path("kind"),
                        k,
                        &config.list_kinds,
                        RegistryKind::ListKinds,
                    )
                })
                .unwrap_or_default();
            let categories = list_categories(&mut r);
            let mut items: Vec<Item> = Vec::new();
            let mut seen: std::collections::HashMap<String, usize> =
                std::collections::HashMap::new();
            let rows = r.tables("items");
            if rows.is_empty() && !r.has("items") {
                ctx.warn(
                    &[Seg::Key("kind")],
                    "清单没有任何条目",
                    Some("用 [[items]] 块逐条列出违法行为".into()),
                );
            }
            for (i, mut row) in rows.into_iter().enumerate() {
                let item = Item {
                    id: row.req_str("id").unwrap_or_default(),
                    violation: row.req_str("violation").unwrap_or_default(),
                    basis: row.req_str("basis").unwrap_or_default(),
                    penalty_basis: row.str("penalty_basis").unwrap_or_default(),
                    conditions: row.req_str("conditions").unwrap_or_default(),
                    handling: row.req_str("handling").unwrap_or_default(),
                    note: row.str("note").unwrap_or_default(),
                    category: row.str("category").unwrap_or_default(),
                    no: row.str("no").unwrap_or_default(),
                };
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
                if item
                    .id
                    .chars()
                    .any(|c| c.is_whitespace() || c == '#' || c == '/' || c == '?' || c == '"')
                {
                    row.error(
                        "id",
                        format!("编号“{}”含有空格或 # / ? \" 等字符", item.id),
                        Some("编号用字母、数字和连字符，例如 SJ-MF-001".into()),
                    );
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
                row.finish(
                    &[
                        "id",
                        "violation",
                        "basis",
                        "penalty_basis",
                        "conditions",
                        "handling",
                        "note",
                        "category",
                        "no",
                    ],
                    "清单条目",
                );
                items.push(item);
            }
            Typed::List {
                kind,
                items,
                categories,
            }
        }
        DocType::Guidance => {
            let methods = methods_registry();
            let method = r
                .req_str("method")
                .filter(|m| registered(&r, r.path("method"), m, &methods, RegistryKind::Methods))
                .unwrap_or_default();
            Typed::Guidance {
                method,
                audience: r.str("audience").unwrap_or_default(),
            }
        }
        DocType::Cases => {
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
            let methods = registered_list(
                &mut r,
                "methods",
                &methods_registry(),
                RegistryKind::Methods,
            );
            Typed::Case {
                year,
                methods,
                outcome: r.str("outcome").unwrap_or_default(),
                honor: r.str("honor").unwrap_or_default(),
            }
        }
        DocType::Warnings => {
            let level = r
                .req_str("level")
                .filter(|l| {
                    registered(
                        &r,
                        r.path("level"),
                        l,
                        &config.risk_levels,
                        RegistryKind::RiskLevels,
                    )
                })
                .unwrap_or_default();
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
            if rows.is_empty() {
                ctx.warn(
                    &[Seg::Key("level")],
                    "风险提示没有任何风险点",
                    Some("用 [[risks]] 块逐条写出风险点和防范措施".into()),
                );
            }
            for mut row in rows {
                let risk = Risk {
                    point: row.req_str("point").unwrap_or_default(),
                    cause: row.str("cause").unwrap_or_default(),
                    measures: row.req_str("measures").unwrap_or_default(),
                    basis: row.str("basis").unwrap_or_default(),
                    self_check: row.str_list("self_check"),
                };
                row.finish(
                    &["point", "cause", "measures", "basis", "self_check"],
                    "风险点",
                );
                risks.push(risk);
            }
            Typed::Warning {
                level,
                valid_until,
                risks,
            }
        }
        DocType::Page => {
            let extra = r
                .rest()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_json()))
                .collect();
            Typed::Page { extra }
        }
    };
    if typed_doc {
        r.finish(
            &allowed(doc_type),
            &format!("{}（{}）", doc_type.name(), doc_type.key()),
        );
    }

    let url = if folder.is_empty() {
        format!("{name}/")
    } else {
        format!("{folder}/{name}/")
    };
    Some(Document {
        rel: ctx.path.to_string(),
        key: key.to_string(),
        doc_type,
        section: folder.to_string(),
        url,
        title,
        date,
        updated,
        agency,
        summary,
        districts,
        industries,
        tags,
        effective,
        expires,
        superseded_by,
        revisions,
        doc_number,
        index_number,
        draft,
        weight,
        typed,
        body: body.to_string(),
        body_line,
        field_at: ["valid_until", "date", "expires"]
            .into_iter()
            .filter(|k| ctx.fm.table.iter().any(|(key, _)| key == k))
            .map(|k| (k, ctx.fm.locate(&[Seg::Key(k)])))
            .collect(),
    })
}

/// `revisions = [{ date = 2024-06-01, note = "……" }]` (or `[[revisions]]`
/// blocks): each needs a date not before the document's `date` and a note.
/// Whether a date is after the build day is checked when the model is
/// built, which knows that day.
fn noted_revisions<'t>(
    r: &mut Reader<'t, '_>,
    published: Option<crate::date::Date>,
) -> Vec<NotedRevision> {
    let mut out = Vec::new();
    let rows = r.tables("revisions");
    for (index, mut row) in rows.into_iter().enumerate() {
        let at = row.ctx().fm.locate(&row.path("date"));
        let date = row.req_date("date");
        let note = row.req_str("note");
        if let (Some(d), Some(p)) = (date, published)
            && d < p
        {
            row.error(
                "date",
                format!("修订日期 {d} 早于发布日期 {p}"),
                Some("修订记录只记发布以后的修订；发布前的修改不必列出".into()),
            );
            row.finish(&["date", "note"], "修订记录");
            continue;
        }
        row.finish(&["date", "note"], "修订记录");
        if let (Some(date), Some(note)) = (date, note) {
            out.push(NotedRevision {
                date,
                note: note.trim().to_string(),
                index,
                at,
            });
        }
    }
    out
}

/// Reads a folder's `_index.md`.
pub(super) fn section(
    ctx: &Ctx<'_>,
    doc_type: DocType,
    folder: &str,
    rel: &str,
    body: &str,
    body_line: usize,
) -> Section {
    let mut r = Reader::new(&ctx.fm.table, Vec::new(), ctx);
    let title = r.str("title");
    let summary = r.str("summary");
    let weight = r.int("weight").unwrap_or(0);
    let mut extra = serde_json::Map::new();
    if doc_type.is_typed() {
        r.finish(&["title", "summary", "weight"], "栏目页（_index.md）");
    } else {
        extra = r
            .rest()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_json()))
            .collect();
    }
    Section {
        rel: rel.to_string(),
        key: folder.to_string(),
        title,
        summary,
        weight,
        body: body.to_string(),
        body_line,
        extra,
    }
}
