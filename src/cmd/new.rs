//! `gongshi new <type> PATH`: a new document whose front matter is filled
//! with placeholders (【请填写…】) that `check` reports until replaced. Each
//! type writes its own (`content::types`).

use std::path::Path;
use std::process::ExitCode;

use crate::content::DocType;
use crate::date::Date;

pub(crate) fn run(root: &Path, kind: DocType, path: &Path) -> Result<ExitCode, String> {
    let target = match super::site_root(root)
        .and_then(|()| super::document_path(root, path, kind.def().folder(), "路径", " content 内"))
    {
        Ok(t) => t,
        Err(message) => return Ok(super::usage(&message)),
    };
    if target.exists() {
        return Err(format!("{} 已存在，未做任何修改", target.display()));
    }
    // `about.md` beside the folder `about/`: both want the URL about/.
    let folder = target.with_extension("");
    if folder.is_dir() {
        let name = path.with_extension("");
        return Ok(super::usage(&format!(
            "{} 是一个栏目目录，{} 会与它的网址冲突，未做任何修改。新页面请放进这个目录，例如 gongshi new {} {}/new-page",
            folder.display(),
            target.display(),
            kind.key(),
            name.display()
        )));
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
