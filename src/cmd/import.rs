//! `gongshi import SOURCE TARGET`: see [`crate::import`]. Resolves the
//! target like `gongshi new` does, runs the import, prints what changed
//! per id or every problem found.

use std::path::Path;
use std::process::ExitCode;

use crate::import::{Meta, Options};

pub(crate) fn run(
    root: &Path,
    source: &Path,
    target: &Path,
    meta: Meta,
    id_prefix: Option<String>,
) -> Result<ExitCode, String> {
    let target = match super::site_root(root)
        .and_then(|()| super::document_path(root, target, "lists", "目标", "站点内"))
    {
        Ok(t) => t,
        Err(message) => return Ok(super::usage(&message)),
    };
    let opts = Options {
        root: root.to_path_buf(),
        source: source.to_path_buf(),
        target: target.clone(),
        meta,
        id_prefix,
        today: crate::date::Date::today(),
    };
    match crate::import::run(&opts) {
        Ok(s) => {
            for n in &s.notes {
                eprintln!("说明：{n}");
            }
            for l in &s.lines {
                println!("{l}");
            }
            let total = s.added + s.changed + s.unchanged;
            if s.created {
                eprintln!("已创建 {}：共 {total} 项。", target.display());
            } else {
                eprintln!(
                    "已修订 {}：共 {total} 项，新增 {} 项，修改 {} 项，删除 {} 项，未变 {} 项。",
                    target.display(),
                    s.added,
                    s.changed,
                    s.removed,
                    s.unchanged
                );
            }
            eprintln!("请运行 gongshi check 检查整个站点。");
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("错误：{e}");
            }
            eprintln!("导入失败：共 {} 个问题，未写入任何文件。", errors.len());
            Ok(ExitCode::from(1))
        }
    }
}
