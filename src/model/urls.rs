//! URLs: each document's and folder's URL is unique and clear of the
//! generated pages'; a link to a source key with no page is explained.

use std::collections::{BTreeMap, HashMap};

use crate::content::{Document, Section};
use crate::diag::{Diagnostic, Severity};

/// URL segments that generated pages use at the top level.
pub const RESERVED_TOP: &[&str] = &[
    "agencies",
    "districts",
    "industries",
    "list-kinds",
    "risk-levels",
    "methods",
    "years",
    "search",
    "data",
    "changes",
    "mediation",
    "record",
    "page",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
];

/// Reports documents whose URL another document or a folder already has, and
/// documents and folders under a generated page's URL.
pub(super) fn check_unique(
    documents: &[std::sync::Arc<Document>],
    sections: &BTreeMap<String, Section>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut urls: HashMap<&str, &str> = HashMap::new();
    for s in sections.values().filter(|s| !s.key.is_empty()) {
        urls.insert(
            s.key.as_str(),
            if s.rel.is_empty() { "" } else { s.rel.as_str() },
        );
    }
    for d in documents {
        let url = d.url.trim_end_matches('/');
        let top = url.split('/').next().unwrap_or("");
        if RESERVED_TOP.contains(&top) {
            diags.push(
                Diagnostic::error(
                    &d.rel,
                    "slug",
                    format!("网址 {} 与系统生成的页面冲突", d.url),
                )
                .at(1, 1)
                .hint(format!("“{top}”是保留名称，请换一个目录名、文件名或 slug")),
            );
        }
        match urls.get(url) {
            Some(other) if !other.is_empty() || sections.contains_key(url) => {
                let what = if other.is_empty() {
                    format!("目录 content/{url}/")
                } else {
                    other.to_string()
                };
                diags.push(
                    Diagnostic::error(&d.rel, "slug", format!("网址 {} 与 {what} 重复", d.url))
                        .at(1, 1)
                        .hint("每个文档的网址必须唯一；请修改文件名或 slug"),
                );
            }
            _ => {
                urls.insert(url, &d.rel);
            }
        }
    }
    for s in sections.values() {
        let top = s.key.split('/').next().unwrap_or("");
        if RESERVED_TOP.contains(&top) && !s.rel.is_empty() {
            diags.push(
                Diagnostic::error(&s.rel, "路径", format!("目录名“{top}”与系统生成的页面冲突"))
                    .at(1, 1)
                    .hint("请把目录改名"),
            );
        }
    }
}

/// The problem with a link to `target`, a source key with no page: `None`
/// when the target's own errors were already reported.
pub fn missing_target(
    target: &str,
    by_key: &HashMap<String, usize>,
    unpublished: &HashMap<String, crate::content::Unpublished>,
) -> Option<(Severity, String, String)> {
    match unpublished.get(target) {
        Some(crate::content::Unpublished::Broken) => None,
        Some(crate::content::Unpublished::Future(day)) => Some((
            Severity::Warning,
            format!(
                "链接的文档 content/{target} 定于 {} 发布，在此之前这个链接打不开",
                day.zh()
            ),
            "用 --future 预览尚未到发布日期的文档".to_string(),
        )),
        Some(crate::content::Unpublished::Draft) => Some((
            Severity::Error,
            format!("链接的文档 content/{target} 是草稿（draft = true），不会发布"),
            "先发布该文档（删除 draft = true），或删除这个链接".to_string(),
        )),
        None => Some((
            Severity::Error,
            format!("链接的文档 content/{target} 不存在"),
            crate::diag::did_you_mean(target, by_key.keys().map(String::as_str)),
        )),
    }
}
