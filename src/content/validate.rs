//! Reading one document's front matter: the fields every type shares
//! ([`super::types::COMMON`]) here, then the type's own through its
//! [`super::types::DocKind`]; and a folder's `_index.md`. Cross-document rules
//! (unique URLs in `crate::model`; links and anchors in `crate::engine`)
//! need the whole tree.

use super::types::{registered_key, registered_list};
use super::{DocType, Document, Link, NotedRevision, Section};
use crate::config::{Config, RegistryKind, is_key};
use crate::date::Date;
use crate::source::fields::{Ctx, Reader};
use crate::source::frontmatter::Seg;

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
    let def = doc_type.def();
    let mut r = Reader::new(&ctx.fm.table, Vec::new(), ctx);
    let mut d = common(&mut r, config, def.typed, folder);
    d.rel = ctx.path.to_string();
    d.key = key.to_string();
    d.doc_type = doc_type;
    d.section = folder.to_string();
    let name = url_name(&mut r, stem, folder);
    d.url = if folder.is_empty() {
        format!("{name}/")
    } else {
        format!("{folder}/{name}/")
    };
    if doc_type == DocType::Lists {
        data_file_names(&r, &d.attachments, &name);
    }
    d.typed = def.kind.read(&mut r, config);
    if def.typed {
        r.finish(&def.allowed(), &format!("{}（{}）", def.name, def.key));
    }
    d.body = body.to_string();
    d.body_line = body_line;
    d.field_at = ["valid_until", "date", "expires", "year"]
        .into_iter()
        .filter(|k| ctx.fm.table.iter().any(|(key, _)| key == k))
        .map(|k| (k, ctx.fm.locate(&[Seg::Key(k)])))
        .collect();
    Some(d)
}

/// Reads the common fields ([`super::types::COMMON`]), in their order; a plain
/// page (`typed` false) reads only those every page has.
fn common(r: &mut Reader<'_, '_>, config: &Config, typed: bool, folder: &str) -> Document {
    let title = r.req_str("title").unwrap_or_default();
    let date = if typed {
        r.req_date("date")
    } else {
        r.date("date")
    };
    let updated = r.date("updated");
    let agency = if typed {
        registered_key(r, "agency", config, RegistryKind::Agencies)
    } else {
        None
    };
    let summary = r.str("summary");
    let (districts, industries) = if typed {
        (
            registered_list(r, "districts", config, RegistryKind::Districts),
            registered_list(r, "industries", config, RegistryKind::Industries),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let tags = r.str_list("tags");
    let (effective, expires) = if typed {
        (r.date("effective"), r.date("expires"))
    } else {
        (None, None)
    };
    if let (Some(e), Some(x)) = (effective, expires)
        && x < e
    {
        r.error(
            "expires",
            format!("失效日期 {x} 早于施行日期 {e}"),
            Some("请核对 effective 与 expires".into()),
        );
    }
    let superseded_by = if typed { superseded_by(r) } else { None };
    let revisions = noted_revisions(r, date);
    let attachments = super::attach::read(r, folder);
    let (doc_number, index_number) = if typed {
        (r.str("doc_number"), r.str("index_number"))
    } else {
        (None, None)
    };
    Document {
        rel: String::new(),
        key: String::new(),
        doc_type: DocType::Page,
        section: String::new(),
        url: String::new(),
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
        attachments,
        draft: r.bool("draft").unwrap_or(false),
        weight: r.int("weight").unwrap_or(0),
        typed: super::Typed::Page {
            extra: serde_json::Map::new(),
        },
        body: String::new(),
        body_line: 0,
        field_at: Vec::new(),
    }
}

/// A list publishes its open data beside its page as `<name>.json`,
/// `.csv` and `.xlsx`: an attachment may not take one of those names (the
/// list's original Excel file is the likely one).
fn data_file_names(r: &Reader<'_, '_>, attachments: &[super::Attachment], name: &str) {
    for a in attachments {
        let taken = ["json", "csv", "xlsx"]
            .iter()
            .any(|ext| a.name.eq_ignore_ascii_case(&format!("{name}.{ext}")));
        if taken {
            let mut d = crate::diag::Diagnostic::error(
                r.ctx().path,
                a.field.clone(),
                format!(
                    "附件“{}”与本清单自动生成的开放数据文件 {} 同名",
                    a.file, a.name
                ),
            )
            .at(a.at.0, a.at.1);
            d.hint = Some(format!(
                "请把附件文件改名，例如 {name}-原件.{}",
                a.kind.ext()
            ));
            r.ctx().diags.borrow_mut().push(d);
        }
    }
}

/// `superseded_by = "@/lists/…"`: an internal link, checked once the
/// whole tree is known.
fn superseded_by(r: &mut Reader<'_, '_>) -> Option<Link> {
    let ctx = r.ctx();
    let s = r.str("superseded_by")?;
    let (line, col) = ctx.fm.locate(&[Seg::Key("superseded_by")]);
    let link = Link::parse(&s, line, col, "superseded_by");
    if link.is_none() {
        r.error(
            "superseded_by",
            format!("“{s}”不是站内链接"),
            Some(
                "写成 superseded_by = \"@/lists/scjg/2024-exempt.md\"（content/ 下的源文件路径）"
                    .into(),
            ),
        );
    }
    link
}

/// The last part of the document's URL: its `slug`, else its file name.
fn url_name(r: &mut Reader<'_, '_>, stem: &str, folder: &str) -> String {
    let ctx = r.ctx();
    let name = match r.str("slug") {
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
    name
}

/// `revisions = [{ date = 2024-06-01, note = "……" }]` (or `[[revisions]]`
/// blocks): each needs a date not before the document's `date` and a note.
/// Whether a date is after the build day is checked when the model is
/// built, which knows that day.
fn noted_revisions<'t>(r: &mut Reader<'t, '_>, published: Option<Date>) -> Vec<NotedRevision> {
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
