//! The folder refusals: before anything is built, an output path that is
//! or holds the sources, or holds files gongshi did not write, is refused.

use std::path::{Path, PathBuf};

use super::{MARKER, fs_reason};
use crate::fs::{self, FsError};

/// Folders of the site root that hold sources: the output may be none of
/// them, nor lie inside one.
const SOURCES: &[&str] = &["content", "templates", "static", "themes", ".git"];

/// Why an output path was refused before anything was built. Either way,
/// nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The path is the wrong place for an output (exit code 2): it is or
    /// holds the site's sources, or holds files gongshi did not write.
    Usage(String),
    /// The path cannot take an output (exit code 1): a file, or unreadable.
    Io(String),
}

/// Where an output really goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The real folder that will be replaced: absolute, links followed.
    pub real: PathBuf,
    /// The output path given is itself a symbolic link (to `real`); the link
    /// stays as it is and the folder it points to is replaced.
    pub link: bool,
}

/// Checks that `output` may be replaced by a build of the site at `root`,
/// and finds where it really is.
pub fn target(root: &Path, output: &Path, force: bool) -> Result<Target, Refusal> {
    // `public/` and `public` are the same path; the trailing slash would
    // make the link checks below follow a link.
    let output: PathBuf = output.components().collect();
    let shown = output.display().to_string();
    let io = |e: FsError| Refusal::Io(format!("{e}；{shown} 保持原样。"));
    let root = fs::real_path(root).map_err(io)?;
    let real = fs::real_path(&output).map_err(io)?;
    // The path as given, with where it really is when that differs; ends
    // ready for the next word.
    let named = if output == real {
        format!("{shown} ")
    } else {
        format!("{shown}（即 {}）", real.display())
    };
    let tail = "没有生成，也没有改动任何文件。请用 --output 指定站点源文件之外的目录（默认为站点根目录下的 public/）。";
    if real == root {
        return Err(Refusal::Usage(format!(
            "输出目录 {named}就是站点根目录 {}：生成会整个替换输出目录，删掉 site.toml、content/ 等全部源文件。{tail}",
            root.display()
        )));
    }
    if root.starts_with(&real) {
        return Err(Refusal::Usage(format!(
            "输出目录 {named}包含站点根目录 {}：生成会整个替换输出目录，连同其中站点的全部源文件。{tail}",
            root.display()
        )));
    }
    for sub in SOURCES {
        let source = fs::real_path(&root.join(sub)).map_err(io)?;
        if real.starts_with(&source) {
            let place = if real == source { "就是" } else { "在" };
            let inside = if real == source { "" } else { "里" };
            return Err(Refusal::Usage(format!(
                "输出目录 {named}{place}站点的 {sub}/ 目录（{}）{inside}：生成会替换其中的源文件，生成的文件也会混进站点源文件。{tail}",
                source.display()
            )));
        }
        if source.starts_with(&real) {
            return Err(Refusal::Usage(format!(
                "输出目录 {named}包含站点的 {sub}/ 目录（{}）：生成会整个替换输出目录，连同其中的源文件。{tail}",
                source.display()
            )));
        }
    }
    let link = std::fs::symlink_metadata(&output).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::metadata(&real) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(Refusal::Io(format!(
                "无法读取输出目录 {}：{}；{shown} 保持原样。",
                named.trim_end(),
                fs_reason(&e)
            )));
        }
        Ok(m) if !m.is_dir() => {
            let what = if m.is_file() {
                "一个文件"
            } else {
                "一个特殊文件"
            };
            return Err(Refusal::Io(format!(
                "输出位置 {named}是{what}，不是目录，不能在这里生成网站。{shown} 保持原样；请用 --output 指定一个目录。"
            )));
        }
        Ok(_) => {
            if !force && !replaceable(&real).map_err(io)? {
                let message = if looks_like_old_output(&real) {
                    format!(
                        "输出目录 {named}看起来是旧版 gongshi 生成的网站（有 index.html 和 gongshi.css），但没有新版写入的标记文件 {MARKER}，无法确认其中只有生成的文件。生成会整个替换这个目录，所以没有生成，也没有改动任何文件。确认其中没有需要保留的文件后，加 --force 生成一次；之后会自动识别这个目录。"
                    )
                } else {
                    format!(
                        "输出目录 {named}里已有文件，但不是 gongshi 生成的目录（没有标记文件 {MARKER}）。生成会整个替换这个目录、删掉其中的全部文件，所以没有生成，也没有改动任何文件。请用 --output 指定一个空目录或新目录；如果确实要用生成的网站替换其中的全部内容，加 --force。"
                    )
                };
                return Err(Refusal::Usage(message));
            }
        }
    }
    Ok(Target { real, link })
}

/// An empty folder, or one with gongshi's marker.
fn replaceable(dir: &Path) -> Result<bool, FsError> {
    if std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return Ok(true);
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| FsError {
        path: dir.to_path_buf(),
        message: format!("无法读取目录：{}", fs_reason(&e)),
        line: 0,
        kind: Some(e.kind()),
    })?;
    Ok(entries.next().is_none())
}

/// What builds before the marker existed always wrote.
fn looks_like_old_output(dir: &Path) -> bool {
    ["index.html", "gongshi.css"]
        .iter()
        .all(|f| std::fs::symlink_metadata(dir.join(f)).is_ok_and(|m| m.is_file()))
}
