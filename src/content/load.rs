//! Walking `content/` and turning each file into a [`Document`], a
//! [`Section`] or an asset to copy, in parallel.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{DocType, Document, Section};
use crate::config::Config;
use crate::diag::{Diagnostic, rel};
use crate::source::fields::is_segment;
use crate::source::frontmatter;

/// A non-Markdown file under `content/`, published at the same path.
#[derive(Clone, Debug)]
pub struct Asset {
    pub src: PathBuf,
    /// Output path below the base path (`lists/scjg/附件.pdf`).
    pub out: String,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<std::sync::Arc<Document>>,
    /// By folder key (`""`, `lists`, `lists/scjg`).
    pub sections: BTreeMap<String, Section>,
    pub assets: Vec<Asset>,
    /// Source keys (`lists/a.md`) of files that exist but are not published:
    /// drafts, and files whose own errors were already reported. Links to
    /// them get a precise message, or none.
    pub unpublished: std::collections::HashMap<String, Unpublished>,
}

/// Why an existing source file has no page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unpublished {
    Draft,
    Broken,
    /// Dated after the build day: published by the first build on that day.
    Future(crate::date::Date),
}

/// Reads every file under `root/content`. Drafts are kept only with `drafts`.
pub fn load(root: &Path, config: &Config, drafts: bool, diags: &mut Vec<Diagnostic>) -> Loaded {
    let Some(walked) = walk(root, diags) else {
        return Loaded::default();
    };
    let parsed: Vec<(String, Option<Parsed>, Vec<Diagnostic>)> = walked
        .md
        .into_par_iter()
        .with_max_len(64)
        .map(|(path, below)| {
            let (p, ds) = parse_file(root, &path, &below, config);
            (below, p, ds)
        })
        .collect();
    assemble(parsed, walked.assets, drafts, diags)
}

/// The files found under `content/`.
#[derive(Clone, Debug, Default)]
pub struct Walked {
    /// Markdown sources: path, and path below `content/` (`lists/a.md`).
    pub md: Vec<(PathBuf, String)>,
    pub assets: Vec<Asset>,
}

/// Lists the files under `root/content` in name order. Links are held to
/// the rule of [`crate::confine`]; files and folders whose name starts with
/// `.` are not published, and each is reported (a warning) so a clerk who
/// named a document `.draft.md` learns why it is missing. `None` when there
/// is no `content/` folder (or it is a link the rule refuses).
pub fn walk(root: &Path, diags: &mut Vec<Diagnostic>) -> Option<Walked> {
    let content = root.join("content");
    let confine = crate::confine::Confine::new(root);
    if !confine.input(&content, diags) {
        return None;
    }
    if !content.is_dir() {
        diags.push(
            Diagnostic::error("content", "content", "找不到 content 目录")
                .hint("站点的文档放在站点根目录下的 content/ 中"),
        );
        return None;
    }
    let mut walked = Walked::default();
    let found = confine.walk(&content, diags);
    for (path, is_dir) in found.hidden {
        let what = if is_dir {
            "名称以 . 开头的目录不会发布，其中的文件都已跳过"
        } else {
            "名称以 . 开头的文件不会发布，已跳过"
        };
        diags.push(
            Diagnostic::warning(rel(root, &path), "文件", what)
                .hint("以 . 开头的是隐藏文件（如 .DS_Store、.gitkeep），可以删除；要发布它，请去掉名称开头的点"),
        );
    }
    for f in found.files {
        if f.below.ends_with(".md") {
            walked.md.push((f.path, f.below));
        } else if let Some((stem, ext)) = markdown_like(&f.below) {
            // Copied as a file it would publish its source, front matter
            // and drafts included.
            diags.push(
                Diagnostic::error(
                    rel(root, &f.path),
                    "文件",
                    format!("扩展名 .{ext} 不是 .md：这个文件既不会作为文档发布，也不能作为附件原样公开（会公开其中的前置元数据和草稿）"),
                )
                .hint(format!("文档的扩展名必须是小写的 .md，请把文件改名为 {stem}.md")),
            );
        } else {
            walked.assets.push(Asset {
                src: f.path,
                out: f.below,
            });
        }
    }
    Some(walked)
}

/// The name (stem, extension as written) of a file named like Markdown but
/// not `.md` (`.MD`, `.markdown`, `.Md`…).
fn markdown_like(below: &str) -> Option<(&str, &str)> {
    let name = below.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    let lower = ext.to_ascii_lowercase();
    let markdown = matches!(
        lower.as_str(),
        "md" | "markdown" | "mdown" | "mkd" | "mkdn" | "mdwn" | "mdtext" | "mdtxt"
    );
    (markdown && !stem.is_empty()).then_some((stem, ext))
}

/// Puts parsed sources (in name order, each with its own diagnostics)
/// together: documents, sections (every folder holding documents is one)
/// and what is not published. A file some document attaches (a draft
/// included) is not a content file: it is published beside its document
/// only, or, while the document is not, not at all.
pub fn assemble(
    parsed: Vec<(String, Option<Parsed>, Vec<Diagnostic>)>,
    assets: Vec<Asset>,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Loaded {
    let attached: std::collections::HashSet<&str> = parsed
        .iter()
        .filter_map(|(_, p, _)| match p {
            Some(Parsed::Doc(d)) => Some(d.attachments.iter().map(|a| a.below.as_str())),
            _ => None,
        })
        .flatten()
        .collect();
    let assets = assets
        .into_iter()
        .filter(|a| !attached.contains(a.out.as_str()))
        .collect();
    let mut loaded = Loaded {
        assets,
        ..Loaded::default()
    };
    for (below, p, ds) in parsed {
        let below = &below;
        let broken = ds
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error);
        diags.extend(ds);
        if broken {
            loaded
                .unpublished
                .insert(below.clone(), Unpublished::Broken);
        }
        match p {
            Some(Parsed::Doc(d)) if d.draft && !drafts => {
                loaded
                    .unpublished
                    .entry(below.clone())
                    .or_insert(Unpublished::Draft);
            }
            Some(Parsed::Doc(d)) => loaded.documents.push(d),
            Some(Parsed::Section(s)) => {
                loaded.sections.insert(s.key.clone(), s);
            }
            None => {
                loaded
                    .unpublished
                    .insert(below.clone(), Unpublished::Broken);
            }
        }
    }
    // Every folder holding documents is a section, with or without `_index.md`.
    let folders: Vec<String> = loaded.documents.iter().map(|d| d.section.clone()).collect();
    for folder in folders {
        let mut key = folder.as_str();
        loop {
            loaded
                .sections
                .entry(key.to_string())
                .or_insert_with(|| Section {
                    key: key.to_string(),
                    ..Section::default()
                });
            match key.rfind('/') {
                Some(i) => key = &key[..i],
                None if !key.is_empty() => key = "",
                None => break,
            }
        }
    }
    loaded.sections.entry(String::new()).or_default();
    loaded
}

pub fn parse_file(
    root: &Path,
    path: &Path,
    below: &str,
    config: &Config,
) -> (Option<Parsed>, Vec<Diagnostic>) {
    match read_source(root, path) {
        Ok(text) => {
            let rel_path = rel(root, path);
            let (mut parsed, mut diags) = parse_text(&text, &rel_path, below, config);
            diags.extend(check_attachments(root, &rel_path, &mut parsed, false));
            (parsed, diags)
        }
        Err(d) => (None, vec![d]),
    }
}

/// Checks the files a parsed document attaches ([`super::attach::check_files`]),
/// with their content's fingerprints when `hash` (a live preview).
pub fn check_attachments(
    root: &Path,
    rel_path: &str,
    parsed: &mut Option<Parsed>,
    hash: bool,
) -> Vec<Diagnostic> {
    match parsed {
        Some(Parsed::Doc(d)) if !d.attachments.is_empty() => {
            let d = std::sync::Arc::make_mut(d);
            super::attach::check_files(root, rel_path, &mut d.attachments, hash)
        }
        _ => Vec::new(),
    }
}

/// A source file's text, or the error naming it (and the line of invalid
/// UTF-8).
pub fn read_source(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    crate::fs::read_text(path)
        .map_err(|e| Diagnostic::error(rel(root, path), "文件", e.message).at(e.line, 1))
}

/// A parsed source file: a document or a folder's `_index.md`.
#[derive(Clone, Debug)]
pub enum Parsed {
    Doc(std::sync::Arc<Document>),
    Section(Section),
}

/// Parses and validates one source file's text. `rel_path` names it in
/// diagnostics; `below` is its path below `content/`, which decides its type
/// and URL. Never panics, whatever the text (fuzzed in `fuzz/`).
pub fn parse_text(
    text: &str,
    rel_path: &str,
    below: &str,
    config: &Config,
) -> (Option<Parsed>, Vec<Diagnostic>) {
    let rel_path = rel_path.to_string();
    let mut diags = Vec::new();
    let text = frontmatter::normalize(text);
    let Some((split, fm, broken)) = front_matter(&text, &rel_path, &mut diags) else {
        return (None, diags);
    };

    let (folder, file) = below.rsplit_once('/').unwrap_or(("", below));
    let top = below.split('/').next().unwrap_or("");
    let doc_type = if folder.is_empty() {
        DocType::Page
    } else {
        DocType::from_folder(top)
    };
    for seg in folder.split('/').filter(|s| !s.is_empty()) {
        if !is_segment(seg) {
            diags.push(
                Diagnostic::error(&rel_path, "路径", format!("目录名“{seg}”不能用作网址"))
                    .at(1, 1)
                    .hint("目录名只用小写字母、数字和连字符，例如 lists/scjg/"),
            );
        }
    }
    let ctx = crate::source::fields::Ctx::new(&rel_path, &fm);
    let parsed = if file == "_index.md" {
        let s = super::validate::section(
            &ctx,
            doc_type,
            folder,
            &rel_path,
            split.body,
            split.body_line,
        );
        Some(Parsed::Section(s))
    } else {
        let stem = file.trim_end_matches(".md");
        super::validate::document(
            &ctx,
            config,
            doc_type,
            folder,
            stem,
            below,
            split.body,
            split.body_line,
        )
        .map(|d| Parsed::Doc(std::sync::Arc::new(d)))
    };
    diags.extend(ctx.into_diags());
    // A document with syntax errors is checked, not published.
    let parsed = parsed.filter(|_| !broken);
    if let Some(at) = split.body.find(crate::source::fields::PLACEHOLDER) {
        let (line, col) = frontmatter::line_col(split.body, at);
        diags.push(
            Diagnostic::error(&rel_path, "正文", "正文中还有未替换的占位内容")
                .at(split.body_line + line, col + 1)
                .hint("请把【请填写…】替换为实际内容"),
        );
    }
    (parsed, diags)
}

/// A normalized source's front matter, split and parsed as far as its
/// syntax allows; its syntax errors go to `diags`. `None` when nothing can
/// be checked; else the split, the parsed block, and whether it had errors.
fn front_matter<'a>(
    text: &'a str,
    rel_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(frontmatter::Split<'a>, frontmatter::FrontMatter, bool)> {
    let located = |e: frontmatter::ParseError| {
        let mut d = Diagnostic::error(rel_path, "前置元数据", e.message).at(e.line, e.col);
        d.hint = e.hint;
        d
    };
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            diags.push(located(e));
            return None;
        }
    };
    let (fm, errors) = frontmatter::parse_all(split.syntax, split.front, split.front_line);
    let broken = !errors.is_empty();
    diags.extend(errors.into_iter().map(located));
    Some((split, fm?, broken))
}

/// Checks the syntax of every source's front matter, and nothing else: for
/// a site whose `site.toml` has syntax errors, so that its registries (and
/// so the documents' fields) cannot be checked, but a clerk still sees
/// every broken file in one run.
pub fn check_syntax(root: &Path, diags: &mut Vec<Diagnostic>) {
    let Some(walked) = walk(root, diags) else {
        return;
    };
    let found: Vec<Vec<Diagnostic>> = walked
        .md
        .into_par_iter()
        .map(|(path, _)| {
            let mut ds = Vec::new();
            match read_source(root, &path) {
                Ok(text) => {
                    let text = frontmatter::normalize(&text);
                    front_matter(&text, &rel(root, &path), &mut ds);
                }
                Err(d) => ds.push(d),
            }
            ds
        })
        .collect();
    diags.extend(found.into_iter().flatten());
}
