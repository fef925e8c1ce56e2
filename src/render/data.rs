//! Open data: each published list as JSON, CSV (UTF-8 with BOM, so Excel
//! opens it in Chinese) and XLSX beside its page; `data/catalog.json` of
//! every document; `data/list.schema.json` describing the list format.
//! Every file is derived from the model only, so it is reproducible.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use super::Inputs;
use super::opendata::{Dataset, cell, push_csv_field};
use crate::content::{DocType, Item, Typed};
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::output::Output;

/// The columns of a list's CSV and XLSX: 序号 and 分类, then the item's
/// own ([`Item::COLUMNS`]).
const COLUMNS: [&str; 9] = [
    "序号",
    "分类",
    Item::COLUMNS[0],
    Item::COLUMNS[1],
    Item::COLUMNS[2],
    Item::COLUMNS[3],
    Item::COLUMNS[4],
    Item::COLUMNS[5],
    Item::COLUMNS[6],
];
const WIDTHS: [u32; 9] = [6, 18, 14, 40, 30, 30, 36, 36, 24];

#[derive(Serialize)]
struct TermJson<'a> {
    key: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    no: String,
    category: &'a str,
    id: &'a str,
    url: String,
    violation: &'a str,
    basis: &'a str,
    penalty_basis: &'a str,
    conditions: &'a str,
    handling: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
struct ListJson<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    title: &'a str,
    url: String,
    agency: Option<TermJson<'a>>,
    kind: Option<TermJson<'a>>,
    doc_number: &'a str,
    date: Option<String>,
    effective: Option<String>,
    expires: Option<String>,
    updated: Option<String>,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
    status_as_of: String,
    superseded_by: Option<String>,
    categories: Vec<&'a str>,
    items: Vec<ItemJson<'a>>,
    attachments: Vec<super::attachments::AttachmentJson<'a>>,
}

fn term<'a>(reg: &'a crate::config::Registry, key: &str) -> Option<TermJson<'a>> {
    reg.get(key).map(|t| TermJson {
        key: &t.key,
        name: &t.name,
    })
}

/// Download links of one list, for its page and the data page.
#[derive(Serialize, Clone, Debug)]
pub struct Downloads {
    pub json: String,
    pub csv: String,
    pub xlsx: String,
}

/// The file stem of a list's data files: its URL's last segment.
fn stem(url: &str) -> &str {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("list")
}

/// Root-relative URLs of document `i`'s data files (lists only).
pub fn downloads(model: &Model, i: usize) -> Option<Downloads> {
    let d = &model.docs[i];
    if d.doc_type != DocType::Lists {
        return None;
    }
    let base = format!("{}{}", d.url, stem(&d.url));
    Some(Downloads {
        json: model.url(&format!("{base}.json")),
        csv: model.url(&format!("{base}.csv")),
        xlsx: model.url(&format!("{base}.xlsx")),
    })
}

/// The open-data files of list `i` (JSON, CSV, XLSX), as output paths.
pub fn list_files(model: &Model, i: usize) -> Vec<String> {
    let d = &model.docs[i];
    if !matches!(d.typed, Typed::List { .. }) {
        return Vec::new();
    }
    let base = format!("{}{}", d.url, stem(&d.url));
    ["json", "csv", "xlsx"]
        .iter()
        .map(|ext| format!("{base}.{ext}"))
        .collect()
}

/// Each list's JSON, CSV and XLSX (for the lists `lists` accepts).
pub(super) fn write_lists(
    inputs: &Inputs<'_>,
    out: &Output,
    lists: &(dyn Fn(usize) -> bool + Sync),
) -> Result<(), Diagnostic> {
    let model = inputs.model;
    let err = |path: &str, e: crate::fs::FsError| {
        Diagnostic::error(path.to_string(), "输出", e.to_string())
    };
    let schema_url = model.permalink("data/list.schema.json");
    let chosen: Vec<usize> = (0..model.docs.len())
        .filter(|&i| matches!(model.docs[i].typed, Typed::List { .. }) && lists(i))
        .collect();
    chosen
        .par_iter()
        .with_max_len(super::SPLIT / 4)
        .try_for_each(|&i| {
            let d = &model.docs[i];
            let Typed::List {
                kind,
                items,
                categories,
            } = &d.typed
            else {
                return Ok(());
            };
            let placed = super::groups::ordered(items, categories);
            let base = format!("{}{}", d.url, stem(&d.url));
            let json = list_json(model, i, kind, &placed, &schema_url);
            let path = format!("{base}.json");
            let body = crate::escape::json_pretty(&json).unwrap_or_default();
            out.write(&path, &body).map_err(|e| err(&path, e))?;

            // The rows as written, for the XLSX (inline strings are text: no
            // formula can run); the CSV neutralizes formulas cell by cell.
            let rows: Vec<Vec<Cow<'_, str>>> = placed
                .iter()
                .map(|p| {
                    let mut r = Vec::with_capacity(COLUMNS.len());
                    r.push(Cow::Owned(p.no()));
                    r.push(Cow::Borrowed(p.item.category.as_str()));
                    r.extend(p.item.cells().map(Cow::Borrowed));
                    r
                })
                .collect();
            let path = format!("{base}.csv");
            out.write(&path, list_csv(&rows, items.len()).as_bytes())
                .map_err(|e| err(&path, e))?;

            let path = format!("{base}.xlsx");
            let info = about(model, i, kind);
            let xlsx = super::xlsx::workbook(&[
                super::xlsx::Sheet {
                    name: "清单信息",
                    header: &["项目", "内容"],
                    widths: &[14, 80],
                    rows: &info,
                },
                super::xlsx::Sheet {
                    name: "清单事项",
                    header: &COLUMNS,
                    widths: &WIDTHS,
                    rows: &rows,
                },
            ]);
            out.write(&path, &xlsx).map_err(|e| err(&path, e))
        })
}

/// List `i` (of kind `kind`, its items `placed`) as its JSON file says it.
fn list_json<'a>(
    model: &'a Model,
    i: usize,
    kind: &'a str,
    placed: &[super::groups::Placed<'a>],
    schema_url: &str,
) -> ListJson<'a> {
    let d = &model.docs[i];
    let status = model.statuses[i];
    let mut names: Vec<&str> = Vec::new();
    for p in placed {
        if !p.item.category.is_empty() && !names.contains(&p.item.category.as_str()) {
            names.push(&p.item.category);
        }
    }
    ListJson {
        schema: schema_url.to_string(),
        title: &d.title,
        url: model.permalink(&d.url),
        agency: d
            .agency
            .as_deref()
            .and_then(|a| term(&model.config.agencies, a)),
        kind: term(&model.config.list_kinds, kind),
        doc_number: d.doc_number.as_deref().unwrap_or(""),
        date: d.date.map(|x| x.to_string()),
        effective: d.effective.map(|x| x.to_string()),
        expires: d.expires.map(|x| x.to_string()),
        updated: model.updated[i].map(|x| x.to_string()),
        status: status.map(crate::model::Status::key),
        status_label: status.map(crate::model::Status::label),
        status_as_of: model.today.to_string(),
        superseded_by: d
            .superseded_by
            .as_ref()
            .and_then(|l| model.by_key.get(&l.target))
            .map(|&j| model.permalink(&model.docs[j].url)),
        categories: names,
        items: placed
            .iter()
            .map(|p| {
                let it = p.item;
                ItemJson {
                    no: p.no(),
                    category: &it.category,
                    id: &it.id,
                    url: format!("{}#item-{}", model.permalink(&d.url), it.id),
                    violation: &it.violation,
                    basis: &it.basis,
                    penalty_basis: &it.penalty_basis,
                    conditions: &it.conditions,
                    handling: &it.handling,
                    note: &it.note,
                }
            })
            .collect(),
        attachments: model.attachment_json(i),
    }
}

/// A list's rows as CSV: a BOM (so Excel reads UTF-8), the header, CRLF
/// line ends, each cell neutralized against formulas.
fn list_csv(rows: &[Vec<Cow<'_, str>>], items: usize) -> String {
    let mut csv = String::with_capacity(64 + items * 512);
    csv.push('\u{feff}');
    csv.push_str(&COLUMNS.join(","));
    csv.push_str("\r\n");
    for r in rows {
        for (n, s) in r.iter().enumerate() {
            if n > 0 {
                csv.push(',');
            }
            push_csv_field(&mut csv, &cell(s));
        }
        csv.push_str("\r\n");
    }
    csv
}

/// The first sheet of list `i`'s XLSX, 清单信息: what the file is, so that
/// a copy passed around offline still says it — title, 文号, 索引号,
/// agency, kind, dates, status as of the build, version, source address.
fn about(model: &Model, i: usize, kind: &str) -> Vec<Vec<Cow<'static, str>>> {
    let d = &model.docs[i];
    let date = |x: Option<crate::date::Date>| x.map_or_else(|| "—".to_string(), |x| x.to_string());
    let name = |reg: &crate::config::Registry, key: &str| {
        reg.get(key)
            .map_or_else(|| key.to_string(), |t| t.name.clone())
    };
    let status = model.statuses[i].map_or_else(
        || "—".to_string(),
        |s| format!("{}（截至 {}）", s.label(), model.today),
    );
    let versions = &model.versions[i];
    let version = match versions.last() {
        Some(v) => format!(
            "第 {} 版，自 {} 起施行（历次版本：{}）",
            versions.len(),
            v.effective,
            model.permalink(&format!("{}versions/", d.url))
        ),
        None => "—".to_string(),
    };
    let rows: Vec<(&str, String)> = vec![
        ("标题", d.title.clone()),
        ("文号", d.doc_number.clone().unwrap_or_else(|| "—".into())),
        (
            "索引号",
            d.index_number
                .clone()
                .unwrap_or_else(|| crate::model::derived_index_number(d)),
        ),
        (
            "发布机构",
            d.agency
                .as_deref()
                .map_or_else(|| "—".to_string(), |a| name(&model.config.agencies, a)),
        ),
        ("清单类别", name(&model.config.list_kinds, kind)),
        ("发布日期", date(d.date)),
        ("施行日期", date(d.effective)),
        ("失效日期", date(d.expires)),
        ("有效性", status),
        ("版本", version),
        ("最后修订", date(model.updated[i])),
        ("网页地址", model.permalink(&d.url)),
        (
            "事项数",
            match &d.typed {
                Typed::List { items, .. } => items.len().to_string(),
                _ => "0".into(),
            },
        ),
    ];
    rows.into_iter()
        .map(|(k, v)| vec![Cow::Borrowed(k), Cow::Owned(v)])
        .collect()
}

/// The catalog of every document, with the site-wide `datasets` besides the
/// lists' data, and the lists' JSON schema.
pub(super) fn write_catalog(
    model: &Model,
    datasets: &[Dataset],
    out: &Output,
) -> Result<(), Diagnostic> {
    let err = |path: &str, e: crate::fs::FsError| {
        Diagnostic::error(path.to_string(), "输出", e.to_string())
    };
    let schema_url = model.permalink("data/list.schema.json");
    let catalog = catalog(model, datasets);
    let path = "data/catalog.json";
    out.write_from(path, &|w| {
        crate::escape::json_pretty_to(w, &catalog).map_err(std::io::Error::from)
    })
    .map_err(|e| err(path, e))?;
    let path = "data/list.schema.json";
    out.write(path, schema(&schema_url).as_bytes())
        .map_err(|e| err(path, e))
}

#[derive(Serialize)]
struct CatalogEntry<'a> {
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: DocType,
    url: String,
    agency: Option<&'a str>,
    date: Option<String>,
    updated: Option<String>,
    effective: Option<String>,
    expires: Option<String>,
    status: Option<crate::model::Status>,
    doc_number: Option<&'a str>,
    index_number: String,
    districts: &'a [String],
    industries: &'a [String],
    tags: &'a [String],
    attachments: Vec<super::attachments::AttachmentJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Downloads>,
}

#[derive(Serialize)]
struct Catalog<'a> {
    title: &'a str,
    url: String,
    as_of: String,
    count: usize,
    datasets: &'a [Dataset],
    documents: CatalogDocs<'a>,
}

/// The catalog's documents, made one at a time as they are written.
struct CatalogDocs<'a>(&'a Model);

impl Serialize for CatalogDocs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let model = self.0;
        s.collect_seq(
            model
                .docs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.doc_type.is_typed())
                .map(|(i, _)| catalog_entry(model, i)),
        )
    }
}

fn catalog<'a>(model: &'a Model, datasets: &'a [Dataset]) -> Catalog<'a> {
    Catalog {
        title: &model.config.title,
        url: model.permalink(""),
        as_of: model.today.to_string(),
        count: model.docs.iter().filter(|d| d.doc_type.is_typed()).count(),
        datasets,
        documents: CatalogDocs(model),
    }
}

/// Document `i`'s entry in the catalog.
fn catalog_entry(model: &Model, i: usize) -> CatalogEntry<'_> {
    let absolute = |d: Downloads| Downloads {
        json: format!(
            "{}{}",
            model.config.base_url,
            d.json.trim_start_matches(&model.config.base_path())
        ),
        csv: format!(
            "{}{}",
            model.config.base_url,
            d.csv.trim_start_matches(&model.config.base_path())
        ),
        xlsx: format!(
            "{}{}",
            model.config.base_url,
            d.xlsx.trim_start_matches(&model.config.base_path())
        ),
    };
    let d = &model.docs[i];
    CatalogEntry {
        title: &d.title,
        doc_type: d.doc_type,
        url: model.permalink(&d.url),
        agency: d.agency.as_deref(),
        date: d.date.map(|x| x.to_string()),
        updated: model.updated[i].map(|x| x.to_string()),
        effective: d.effective.map(|x| x.to_string()),
        expires: d.expires.map(|x| x.to_string()),
        status: model.statuses[i],
        doc_number: d.doc_number.as_deref(),
        index_number: d
            .index_number
            .clone()
            .unwrap_or_else(|| crate::model::derived_index_number(d)),
        districts: &d.districts,
        industries: &d.industries,
        tags: &d.tags,
        attachments: model.attachment_json(i),
        data: downloads(model, i).map(absolute),
    }
}

/// JSON Schema (2020-12) of the per-list JSON files.
fn schema(id: &str) -> String {
    let text = |d: &str| serde_json::json!({"type": "string", "description": d});
    let date = |d: &str| serde_json::json!({"type": ["string", "null"], "format": "date", "description": d});
    let term = |d: &str| {
        serde_json::json!({"type": ["object", "null"], "description": d, "required": ["key", "name"],
            "properties": {"key": {"type": "string"}, "name": {"type": "string"}}, "additionalProperties": false})
    };
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": id,
        "title": "公示清单（轻微违法行为免罚清单等）",
        "description": "gongshi 生成的清单开放数据格式：清单的基本信息与逐条事项。",
        "type": "object",
        "required": ["title", "url", "items", "status_as_of"],
        "properties": {
            "$schema": {"type": "string"},
            "title": text("清单标题"),
            "url": text("清单网页地址"),
            "agency": term("发布机构"),
            "kind": term("清单类别"),
            "doc_number": text("文号，无则为空字符串"),
            "date": date("发布日期"),
            "effective": date("施行日期"),
            "expires": date("失效日期"),
            "updated": date("最后实质性修订日期"),
            "status": {"enum": ["pending", "current", "expired", null], "description": "有效性：尚未施行、现行有效、已失效"},
            "status_label": {"type": ["string", "null"], "description": "有效性的中文名称"},
            "status_as_of": {"type": "string", "format": "date", "description": "有效性据以判断的日期（生成日期）"},
            "superseded_by": {"type": ["string", "null"], "description": "替代本清单的文件地址"},
            "categories": {"type": "array", "items": {"type": "string"}, "description": "事项的分类，按显示顺序"},
            "items": {
                "type": "array",
                "description": "清单事项",
                "items": {
                    "type": "object",
                    "required": ["no", "id", "url", "violation", "basis", "conditions", "handling"],
                    "additionalProperties": false,
                    "properties": {
                        "no": text("序号：清单自带的序号，否则为本项在清单中的位置（1 起）"),
                        "category": text("分类，无则为空字符串"),
                        "id": text("编号，在清单内唯一，修订时保持不变"),
                        "url": text("本项的网页地址（#item-编号）"),
                        "violation": text("违法行为"),
                        "basis": text("违反的法律依据"),
                        "penalty_basis": text("处罚依据"),
                        "conditions": text("适用条件"),
                        "handling": text("处理方式"),
                        "note": text("备注")
                    }
                }
            },
            "attachments": {
                "type": "array",
                "description": "附件：与清单一同发布的原件",
                "items": {
                    "type": "object",
                    "required": ["title", "url", "type", "media_type", "size"],
                    "additionalProperties": false,
                    "properties": {
                        "title": text("附件名称"),
                        "url": text("附件的下载地址"),
                        "type": {"enum": ["pdf", "ofd", "docx", "xlsx", "doc", "xls"], "description": "文件类型"},
                        "media_type": text("文件的媒体类型（MIME），如 application/pdf"),
                        "size": {"type": "integer", "minimum": 0, "description": "文件大小（字节）"}
                    }
                }
            }
        },
        "additionalProperties": false
    });
    String::from_utf8(crate::escape::json_pretty(&schema).unwrap_or_default()).unwrap_or_default()
}
