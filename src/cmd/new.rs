//! `gongshi new <type> PATH`: a new document whose front matter is filled
//! with placeholders (【请填写…】) that `check` reports until replaced. Each
//! type writes its own (`content::types`).

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use crate::content::DocType;
use crate::date::Date;

pub(crate) fn run(root: &Path, kind: DocType, path: &Path) -> Result<ExitCode, String> {
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "路径 {} 只能是 content 内的相对路径，不能含 .. 或以 / 开头",
            path.display()
        ));
    }
    let mut rel = PathBuf::from(path);
    if rel.extension().is_none_or(|e| e != "md") {
        rel.set_extension("md");
    }
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !crate::config::is_key(&stem) {
        return Err(format!(
            "文件名“{stem}”须由小写字母、数字和连字符组成，例如 2025-exempt"
        ));
    }
    let target = if rel.starts_with("content") {
        root.join(&rel)
    } else {
        root.join("content").join(kind.def().folder()).join(&rel)
    };
    if target.exists() {
        return Err(format!("{} 已存在，未做任何修改", target.display()));
    }
    if let Some(parent) = target.parent() {
        crate::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    crate::fs::write(
        &target,
        kind.def().kind.placeholder(Date::today()).as_bytes(),
    )
    .map_err(|e| e.to_string())?;
    eprintln!(
        "已创建 {}。请替换其中所有【请填写…】内容，然后运行 gongshi check。",
        target.display()
    );
    Ok(ExitCode::SUCCESS)
}
