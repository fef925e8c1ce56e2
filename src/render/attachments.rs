//! A document's attachments (附件) as pages and open data show them, and
//! their copies beside the document's page.
//!
//! A file is published byte for byte as `<document URL><name>`, its name
//! made safe by [`crate::content::attach::safe_name`] (one path segment,
//! Chinese kept); every link to it percent-encodes that name.

use serde::Serialize;

use crate::content::attach::Kind;
use crate::content::{Attachment, Document};
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::output::Output;

/// An attachment for templates (`doc.attachments`).
#[derive(Serialize, Debug)]
pub struct AttachmentCtx<'a> {
    pub title: &'a str,
    /// Root-relative, the name percent-encoded.
    pub url: String,
    /// The file's name as published (`2025年度报告.pdf`).
    pub name: &'a str,
    /// `pdf`, `ofd`, `docx`, `xlsx`, `doc`, `xls`.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// What a reader calls the type (PDF 文件, Word 文档（DOCX）…).
    pub type_name: &'static str,
    pub media_type: &'static str,
    /// Bytes, and the same for readers (`1.2 MB`).
    pub size: u64,
    pub size_text: String,
}

/// An attachment in a document's open-data record.
#[derive(Serialize, Debug)]
pub struct AttachmentJson<'a> {
    pub title: &'a str,
    /// Absolute, the name percent-encoded.
    pub url: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    pub media_type: &'static str,
    /// Bytes.
    pub size: u64,
}

/// The output path of attachment `a` of document `d`.
pub fn out_path(d: &Document, a: &Attachment) -> String {
    format!("{}{}", d.url, a.name)
}

/// The path below the base of `a`, as it goes in a URL.
fn url_path(d: &Document, a: &Attachment) -> String {
    format!(
        "{}{}",
        d.url
            .split('/')
            .map(crate::escape::query_component)
            .collect::<Vec<_>>()
            .join("/"),
        crate::escape::query_component(&a.name)
    )
}

impl Model {
    /// Document `i`'s attachments for its page.
    pub fn attachment_ctxs(&self, i: usize) -> Vec<AttachmentCtx<'_>> {
        let d = &self.docs[i];
        d.attachments
            .iter()
            .map(|a| AttachmentCtx {
                title: &a.title,
                url: self.url(&url_path(d, a)),
                name: &a.name,
                kind: a.kind,
                type_name: a.kind.label(),
                media_type: a.kind.media_type(),
                size: a.size,
                size_text: size_text(a.size),
            })
            .collect()
    }

    /// Document `i`'s attachments for its open-data record.
    pub fn attachment_json(&self, i: usize) -> Vec<AttachmentJson<'_>> {
        let d = &self.docs[i];
        d.attachments
            .iter()
            .map(|a| AttachmentJson {
                title: &a.title,
                url: self.permalink(&url_path(d, a)),
                kind: a.kind,
                media_type: a.kind.media_type(),
                size: a.size,
            })
            .collect()
    }
}

/// A size as Chinese sites write it: `856 字节`, then KB, MB and GB (of
/// 1024) with one decimal, rounded half up (`1.2 MB`).
pub fn size_text(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} 字节");
    }
    let mut unit = 1024u64;
    for name in ["KB", "MB", "GB"] {
        // Tenths of the unit, rounded half up; 1023.96 KB is 1.0 MB.
        let tenths = (u128::from(bytes) * 10 + u128::from(unit) / 2) / u128::from(unit);
        if tenths < 10_240 || name == "GB" {
            return format!("{}.{} {name}", tenths / 10, tenths % 10);
        }
        unit *= 1024;
    }
    unreachable!("GB ends the loop")
}

/// Copies the attachments `which` accepts (by output path) beside their
/// documents' pages.
pub(super) fn copy(
    model: &Model,
    out: &Output,
    which: &dyn Fn(&str) -> bool,
) -> Result<(), Vec<Diagnostic>> {
    for d in &model.docs {
        for a in &d.attachments {
            let path = out_path(d, a);
            if !which(&path) {
                continue;
            }
            let failed = |message: String| {
                vec![Diagnostic::error(d.rel.clone(), a.field.clone(), message).at(a.at.0, a.at.1)]
            };
            let bytes = crate::fs::read_bytes(&a.src).map_err(|e| failed(e.message))?;
            out.write_mode(&path, &bytes, crate::fs::narrower_mode(&a.src))
                .map_err(|e| failed(e.to_string()))?;
        }
    }
    Ok(())
}

/// Every attachment's output path (a live preview removes the others).
pub(super) fn paths(model: &Model) -> Vec<String> {
    model
        .docs
        .iter()
        .flat_map(|d| d.attachments.iter().map(move |a| out_path(d, a)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_chinese_sites_write_them() {
        for (bytes, text) in [
            (0, "0 字节"),
            (856, "856 字节"),
            (1023, "1023 字节"),
            (1024, "1.0 KB"),
            (1_280, "1.3 KB"),
            (15_155, "14.8 KB"),
            (1_048_524, "1023.9 KB"),
            (1_048_525, "1.0 MB"),
            (1_258_291, "1.2 MB"),
            (5 * 1024 * 1024 * 1024, "5.0 GB"),
        ] {
            assert_eq!(size_text(bytes), text, "{bytes}");
        }
    }
}
