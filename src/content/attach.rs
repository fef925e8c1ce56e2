//! Attachments (附件): the originals a document publishes beside its page —
//! the stamped PDF, an OFD, the Word or Excel file.
//!
//! Two steps. [`read`] takes the front matter's `attachments` apart and is
//! pure, like the rest of a source's parse (it is fuzzed): which files,
//! what they are called, and the rules a path alone breaks. [`check_files`]
//! then looks at the files themselves — there, readable, a file and not a
//! folder, of the type their name says — and is run by whoever knows the
//! site's root. Every problem is an error at the field that names the file.
//!
//! Where a file may be: below `content/`, named from the document's folder,
//! never through a hidden name (`.git`), and links on the way obey the one
//! rule of [`crate::confine`]. Outside `content/` a path could name
//! `site.toml` or the last build, and the live preview watches `content/`
//! for edits of the files it copies.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, rel};
use crate::source::fields::{Entry, PLACEHOLDER, Reader, field_name};

/// The file types an attachment may have. WPS Office's own `.wps` and
/// `.et` are refused with a hint to save as PDF: most readers' computers
/// and phones cannot open them, while DOC and XLS open everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Pdf,
    Ofd,
    Docx,
    Xlsx,
    Doc,
    Xls,
}

/// The start of a ZIP container (DOCX, XLSX and OFD are ZIP files).
const ZIP: &[u8] = b"PK\x03\x04";
/// The start of an OLE compound file (DOC, XLS, and WPS's own formats).
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The types accepted, as a clerk reads them in a hint.
pub const ACCEPTED: &str = "PDF、OFD、DOCX、XLSX、DOC、XLS";

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Pdf,
        Kind::Ofd,
        Kind::Docx,
        Kind::Xlsx,
        Kind::Doc,
        Kind::Xls,
    ];

    /// The extension, lower case, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Ofd => "ofd",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Doc => "doc",
            Kind::Xls => "xls",
        }
    }

    /// What a reader calls it (PDF 文件, Word 文档（DOCX）…).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF 文件",
            Kind::Ofd => "OFD 文件",
            Kind::Docx => "Word 文档（DOCX）",
            Kind::Xlsx => "Excel 表格（XLSX）",
            Kind::Doc => "Word 文档（DOC）",
            Kind::Xls => "Excel 表格（XLS）",
        }
    }

    /// Its media type, for the link's `type` and the open data.
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Ofd => "application/ofd",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Doc => "application/msword",
            Kind::Xls => "application/vnd.ms-excel",
        }
    }

    /// The type of a lower-case extension.
    pub fn from_ext(ext: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.ext() == ext)
    }

    /// The bytes a file of this type starts with, and how a hint names them.
    fn magic(self) -> (&'static [u8], &'static str) {
        match self {
            Kind::Pdf => (b"%PDF-", "%PDF-"),
            Kind::Ofd | Kind::Docx | Kind::Xlsx => (ZIP, "ZIP 文件头 PK"),
            Kind::Doc | Kind::Xls => (OLE, "OLE 复合文件头 D0 CF 11 E0"),
        }
    }
}

/// One attached file of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The path as written in the front matter, for messages.
    pub file: String,
    /// The file below `content/`, `/`-separated (`lists/scjg/原件.pdf`).
    pub below: String,
    /// 附件名称: `title`, else the file's name without its extension.
    pub title: String,
    pub kind: Kind,
    /// Its name in the document's output folder (see [`safe_name`]).
    pub name: String,
    /// Size in bytes, the content's fingerprint (0 unless asked for) and
    /// the file's path: set by [`check_files`].
    pub size: u64,
    pub fp: u64,
    pub src: PathBuf,
    /// The field that names it (`attachments[1].file`) and where (line,
    /// column), for the errors [`check_files`] finds.
    pub field: String,
    pub at: (usize, usize),
}

/// How the field is written, for hints.
const EXAMPLE: &str = "[\"2025-report.pdf\"]";

/// Reads `attachments` (a list of paths, or `[[attachments]]` blocks of
/// `file` and `title`) of a document in the folder `folder` below
/// `content/`. Entries with errors are reported and left out.
pub(super) fn read(r: &mut Reader<'_, '_>, folder: &str) -> Vec<Attachment> {
    let ctx = r.ctx();
    let mut out: Vec<Attachment> = Vec::new();
    for entry in r.texts_or_tables("attachments", EXAMPLE) {
        let (file, title, at) = match entry {
            Entry::Text(file, at) => (Some(file), None, at),
            Entry::Table(mut row) => {
                let file = row.req_str("file");
                let title = row.str("title");
                if title.as_deref().is_some_and(|t| t.trim().is_empty()) {
                    row.error(
                        "title",
                        "附件名称 title 不能为空",
                        Some("删去 title 这一行，则以文件名（不含扩展名）作附件名称".into()),
                    );
                }
                let at = row.path("file");
                row.finish(&["file", "title"], "附件");
                (file, title, at)
            }
        };
        let Some(file) = file else {
            continue;
        };
        if file.contains(PLACEHOLDER) {
            ctx.error(
                &at,
                format!("尚未填写：{file}"),
                Some("请把【请填写…】替换为实际内容".into()),
            );
            continue;
        }
        let fail = |(message, hint): (String, String)| ctx.error(&at, message, Some(hint));
        let below = match resolve(&file, folder) {
            Ok(b) => b,
            Err(e) => {
                fail(e);
                continue;
            }
        };
        let leaf = below.rsplit('/').next().unwrap_or(&below);
        let kind = match kind_of(file.trim(), leaf) {
            Ok(k) => k,
            Err(e) => {
                fail(e);
                continue;
            }
        };
        let name = safe_name(leaf, kind);
        let field = field_name(&at);
        if let Some(prev) = out.iter().find(|a| a.below == below) {
            fail((
                format!("附件重复：与 {} 是同一个文件", prev.field),
                "同一个文件只需附一次；请删除这一项".into(),
            ));
            continue;
        }
        if let Some(prev) = out
            .iter()
            .find(|a| a.name.to_lowercase() == name.to_lowercase())
        {
            fail((
                format!(
                    "附件“{}”与 {}（“{}”）发布后的文件名都是“{name}”，会互相覆盖",
                    file.trim(),
                    prev.field,
                    prev.file
                ),
                "请把其中一个文件改名".into(),
            ));
            continue;
        }
        let stem = leaf.rsplit_once('.').map_or(leaf, |(s, _)| s);
        out.push(Attachment {
            title: title
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| stem.to_string()),
            file: file.trim().to_string(),
            below,
            kind,
            name,
            size: 0,
            fp: 0,
            src: PathBuf::new(),
            at: ctx.fm.locate(&at),
            field,
        });
    }
    out
}

/// The place of `file` below `content/`, read from the folder `folder`
/// (`lists/scjg`); or the message and hint saying why it may not be used.
fn resolve(file: &str, folder: &str) -> Result<String, (String, String)> {
    let written = file.trim();
    let place = if folder.is_empty() {
        "content/".to_string()
    } else {
        format!("content/{folder}/")
    };
    if written.is_empty() {
        return Err((
            "附件文件路径不能为空".into(),
            format!("写成 file = \"2025-report.pdf\"，文件放在 {place} 中"),
        ));
    }
    if written.contains("://") || written.starts_with("mailto:") {
        return Err((
            format!("附件“{written}”是网址，不是站点中的文件"),
            "附件是随网站一起发布的文件；其他网站上的文件请在正文中写成链接：[名称](https://…)"
                .into(),
        ));
    }
    let path = written.replace('\\', "/");
    let leaf = path.rsplit('/').next().unwrap_or(&path);
    let b = path.as_bytes();
    if path.starts_with('/') || (b.len() > 1 && b[1] == b':' && b[0].is_ascii_alphabetic()) {
        return Err((
            format!("附件路径“{written}”是绝对路径"),
            format!(
                "附件须放在站点的 content/ 目录中，路径从本文件所在的文件夹（{place}）算起；例如把文件放在本文件旁边，写 file = \"{leaf}\""
            ),
        ));
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.pop().is_some() => {}
            ".." => {
                return Err((
                    format!("附件路径“{written}”超出了 content/ 目录"),
                    format!(
                        "附件须放在站点的 content/ 目录中；路径从本文件所在的文件夹（{place}）算起，每个 ../ 向上一层"
                    ),
                ));
            }
            s if s.starts_with('.') => {
                return Err((
                    format!("附件路径“{written}”中的“{s}”以 . 开头"),
                    "名称以 . 开头的文件和目录（如 .git）不会发布；请改名后再附上".into(),
                ));
            }
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

/// The type named by the extension of `leaf`, the file's name.
fn kind_of(written: &str, leaf: &str) -> Result<Kind, (String, String)> {
    let ext = leaf
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty());
    let Some(ext) = ext else {
        return Err((
            format!("附件“{written}”没有扩展名，无法判断文件类型"),
            format!("附件须是 {ACCEPTED} 文件，文件名带扩展名，例如 2025-report.pdf"),
        ));
    };
    if let Some(k) = Kind::from_ext(&ext) {
        return Ok(k);
    }
    let (message, hint) = match ext.as_str() {
        "wps" | "et" | "dps" => (
            format!("不支持 WPS 专有格式（.{ext}）的附件"),
            format!(
                "许多读者的电脑和手机打不开 .{ext} 文件；请在 WPS 中“另存为” PDF（或 DOCX、XLSX）后附上"
            ),
        ),
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "svg" | "bmp" => (
            format!("图片（.{ext}）不作为附件"),
            format!("图片请写在正文中：![图片说明]({leaf})；要发布盖章原件，请附 PDF"),
        ),
        "zip" | "rar" | "7z" => (
            format!("不支持压缩包（.{ext}）作附件"),
            format!("请把其中的文件逐个附上（{ACCEPTED}）"),
        ),
        _ => (
            format!("不支持的附件类型 .{ext}"),
            format!("附件可以是 {ACCEPTED} 文件"),
        ),
    };
    Err((message, hint))
}

/// The name a file is published under in its document's folder: its own
/// name, Chinese kept as it is, with what a file system or a URL may
/// trip on (separators, `:*?"<>|#%`, controls, spaces) made `_`, a
/// Windows device name (`CON`, `NUL`…) prefixed with `_`, and the
/// extension in lower case. It is one path segment, so it cannot leave
/// the folder.
pub fn safe_name(leaf: &str, kind: Kind) -> String {
    let stem = leaf.rsplit_once('.').map_or(leaf, |(s, _)| s);
    let mut s: String = stem
        .chars()
        .map(|c| {
            if c.is_control() || c.is_whitespace() || "/\\:*?\"<>|#%".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let device = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&device.as_str())
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.as_bytes()[3].is_ascii_digit());
    if reserved || s.is_empty() {
        s.insert(0, '_');
    }
    format!("{s}.{}", kind.ext())
}

/// Checks the files the attachments of the document `rel_path` name,
/// below `root/content/`, and sets their size and path; with `hash`, also
/// their content's fingerprint (for a live preview, which copies a file
/// again when it changes). Reports each problem at the field naming it.
pub fn check_files(
    root: &Path,
    rel_path: &str,
    list: &mut [Attachment],
    hash: bool,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if list.is_empty() {
        return diags;
    }
    let confine = crate::confine::Confine::new(root);
    let content = root.join("content");
    for a in list {
        let path = content.join(&a.below);
        let error = |message: String, hint: String| {
            Diagnostic::error(rel_path, a.field.clone(), message)
                .at(a.at.0, a.at.1)
                .hint(hint)
        };
        let mut links = Vec::new();
        if !confine.input(&path, &mut links) {
            for l in links {
                let what = l.message.strip_prefix("符号链接").unwrap_or(&l.message);
                diags.push(error(
                    format!("附件“{}”不能发布：{} 是符号链接，{what}", a.file, l.path),
                    l.hint.unwrap_or_default(),
                ));
            }
            continue;
        }
        let shown = rel(root, &path);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                diags.push(error(
                    format!("找不到附件文件 {shown}"),
                    missing_hint(root, &path, a),
                ));
                continue;
            }
            Err(e) => {
                diags.push(error(
                    format!("无法读取附件文件 {shown}：{e}"),
                    "请检查文件的读取权限".into(),
                ));
                continue;
            }
        };
        if meta.is_dir() {
            diags.push(error(
                format!("附件“{}”是一个文件夹，不是文件", a.file),
                "请写出文件夹中要附上的那个文件的路径".into(),
            ));
            continue;
        }
        let bytes = if hash {
            std::fs::read(&path)
        } else {
            std::fs::File::open(&path).and_then(|f| {
                let mut head = Vec::with_capacity(512);
                f.take(512).read_to_end(&mut head).map(|_| head)
            })
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                diags.push(error(
                    format!("无法读取附件文件 {shown}：{e}"),
                    "请检查文件的读取权限".into(),
                ));
                continue;
            }
        };
        let (magic, magic_name) = a.kind.magic();
        if bytes.is_empty() {
            diags.push(error(
                format!("附件文件 {shown} 是空文件（0 字节）"),
                "请重新导出或复制原件".into(),
            ));
            continue;
        }
        if !bytes.starts_with(magic) {
            diags.push(error(
                format!(
                    "附件“{}”的扩展名是 .{}，但文件内容是{}",
                    a.file,
                    a.kind.ext(),
                    looks_like(&bytes)
                ),
                format!(
                    "请确认附上的是原件：文件可能损坏、没有导出完整，或扩展名写错了（{} 文件以 {magic_name} 开头）",
                    a.kind.ext().to_uppercase()
                ),
            ));
            continue;
        }
        a.size = if hash { bytes.len() as u64 } else { meta.len() };
        a.fp = if hash {
            crate::hash::fp_bytes(&bytes)
        } else {
            0
        };
        a.src = path;
    }
    diags
}

/// Where a missing attachment was looked for, and the closest names there.
fn missing_hint(root: &Path, path: &Path, a: &Attachment) -> String {
    let Some(dir) = path.parent() else {
        return String::new();
    };
    let shown = format!("{}/", rel(root, dir));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return format!("文件夹 {shown} 不存在；路径从本文件所在的文件夹算起");
    };
    let names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.ends_with(".md"))
        .collect();
    let leaf = a.below.rsplit('/').next().unwrap_or(&a.below);
    let near = crate::diag::closest(leaf, names.iter().map(String::as_str), 3);
    if near.is_empty() {
        format!("请把文件放到 {shown} 中，或改正路径（路径从本文件所在的文件夹算起）")
    } else {
        format!("{shown} 中名称最接近的是：{}", near.join("、"))
    }
}

/// What a file's first bytes say it is, for a message.
fn looks_like(head: &[u8]) -> &'static str {
    let start = String::from_utf8_lossy(&head[..head.len().min(512)]).to_lowercase();
    if head.starts_with(b"%PDF-") {
        " PDF 文件"
    } else if head.starts_with(ZIP) {
        " ZIP 格式的文件（DOCX、XLSX、OFD 都是这种格式）"
    } else if head.starts_with(OLE) {
        "旧版 Office 格式的文件（DOC、XLS，或 WPS 的 .wps、.et）"
    } else if head.starts_with(b"{\\rtf") {
        " RTF 文档"
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        " JPEG 图片"
    } else if head.starts_with(b"\x89PNG") {
        " PNG 图片"
    } else if start.contains("<html") || start.contains("<!doctype") {
        "网页（HTML），可能是下载失败时保存下来的网页"
    } else if !head.contains(&0) && std::str::from_utf8(head).is_ok() {
        "纯文本"
    } else {
        "无法识别的内容"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_from_the_document_folder_and_stay_in_content() {
        let ok = |f: &str, dir: &str| resolve(f, dir).map_err(|e| e.0);
        assert_eq!(ok("a.pdf", "lists/scjg"), Ok("lists/scjg/a.pdf".into()));
        assert_eq!(
            ok("./附件/原件.pdf", "lists"),
            Ok("lists/附件/原件.pdf".into())
        );
        assert_eq!(
            ok("..\\files\\a.pdf", "lists/scjg"),
            Ok("lists/files/a.pdf".into())
        );
        assert_eq!(ok("../../a.pdf", "lists/scjg"), Ok("a.pdf".into()));
        assert_eq!(ok("a.pdf", ""), Ok("a.pdf".into()));
        for (f, dir, says) in [
            ("../../../a.pdf", "lists/scjg", "超出了 content/ 目录"),
            ("../a.pdf", "", "超出了 content/ 目录"),
            ("/etc/a.pdf", "lists", "绝对路径"),
            ("C:\\文件\\a.pdf", "lists", "绝对路径"),
            ("https://example.gov.cn/a.pdf", "lists", "是网址"),
            ("../.git/a.pdf", "lists/scjg", "以 . 开头"),
            ("  ", "lists", "不能为空"),
        ] {
            let e = ok(f, dir).expect_err(f);
            assert!(e.contains(says), "{f}: {e}");
        }
    }

    #[test]
    fn the_extension_names_the_type_and_unsupported_ones_say_what_to_do() {
        assert_eq!(kind_of("a.PDF", "a.PDF"), Ok(Kind::Pdf));
        assert_eq!(kind_of("表.xls", "表.xls"), Ok(Kind::Xls));
        assert_eq!(kind_of("x.ofd", "x.ofd"), Ok(Kind::Ofd));
        for (leaf, says) in [
            ("报告.wps", "另存为"),
            ("照片.jpg", "正文"),
            ("全部.zip", "逐个"),
            ("说明.txt", "PDF、OFD"),
            ("说明", "PDF、OFD"),
            ("说明.", "PDF、OFD"),
        ] {
            let (_, hint) = kind_of(leaf, leaf).expect_err(leaf);
            assert!(hint.contains(says), "{leaf}: {hint}");
        }
    }

    #[test]
    fn safe_names_keep_chinese_and_stay_one_segment() {
        assert_eq!(
            safe_name("2025年度报告（盖章版）.PDF", Kind::Pdf),
            "2025年度报告（盖章版）.pdf"
        );
        assert_eq!(safe_name("a b#1%?.pdf", Kind::Pdf), "a_b_1__.pdf");
        assert_eq!(safe_name("con.docx", Kind::Docx), "_con.docx");
        assert_eq!(safe_name("LPT1.xls", Kind::Xls), "_LPT1.xls");
        assert_eq!(safe_name("COMMENTS.xls", Kind::Xls), "COMMENTS.xls");
        assert_eq!(safe_name("a:\u{7}b.pdf", Kind::Pdf), "a__b.pdf");
    }

    #[test]
    fn first_bytes_name_what_a_file_really_is() {
        assert!(looks_like(b"PK\x03\x04rest").contains("ZIP"));
        assert!(looks_like(b"<!DOCTYPE html><html>").contains("网页"));
        assert!(looks_like(b"just words").contains("纯文本"));
        assert!(
            looks_like(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]).contains("Office")
        );
        assert!(looks_like(&[0, 1, 2, 0xFE]).contains("无法识别"));
    }
}
