//! One function per subcommand; each returns the exit code.

pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod new;

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::diag::{Format, print};
use crate::output::Refusal;
use crate::site::BuildOptions;

/// `build` and `check`: the output checked, the site built, diagnostics
/// printed; the exit code.
pub(crate) fn build(opts: &BuildOptions, format: Format) -> ExitCode {
    let started = Instant::now();
    // Where the output goes is checked before the work: a wrong --output
    // is a usage error (2), a path that cannot take a site is 1.
    let mut link = None;
    if !opts.dry_run {
        match crate::output::target(&opts.root, &opts.output, opts.force) {
            Ok(t) => link = t.link.then_some(t.real),
            Err(Refusal::Usage(m)) => {
                eprintln!("错误：{m}");
                return ExitCode::from(2);
            }
            Err(Refusal::Io(m)) => {
                eprintln!("错误：{m}");
                return ExitCode::from(1);
            }
        }
    }
    let report = crate::site::build(opts);
    if format == Format::Human {
        for n in &report.notices {
            eprintln!("说明：{n}");
        }
    }
    print(&report.diagnostics, format);
    if report.failed() {
        if let Some(f) = &report.output_failure {
            eprintln!("错误：{}。", f.message);
        }
        let kept = report.output_failure.as_ref().is_none_or(|f| f.kept);
        if !opts.dry_run && format == Format::Human && kept {
            eprintln!("生成失败，{} 保持原样。", display(&opts.output));
        }
        return ExitCode::from(1);
    }
    if format == Format::Human {
        let ms = started.elapsed().as_millis();
        if opts.dry_run {
            eprintln!(
                "检查通过：{} 篇文档，{} 个页面和文件，用时 {ms} 毫秒。",
                report.documents, report.files
            );
        } else {
            let to = match &link {
                Some(real) => format!(
                    "{}（符号链接；链接不变，新网站放在它指向的 {}）",
                    display(&opts.output),
                    real.display()
                ),
                None => display(&opts.output),
            };
            eprintln!(
                "已生成 {} 篇文档，{} 个文件（{:.1} MB）到 {to}，用时 {ms} 毫秒。",
                report.documents,
                report.files,
                report.bytes as f64 / 1_048_576.0,
            );
        }
    }
    ExitCode::SUCCESS
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

/// A command's wrong usage, said in one line: exit code 2 (as a wrong
/// argument), where a failure gives 1.
pub(crate) fn usage(message: &str) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(2)
}

/// `root` is a site: it has `site.toml`. `new` and `import` write into a
/// site; in any other folder (a mistyped `--root`) they would make one.
pub(crate) fn site_root(root: &Path) -> Result<(), String> {
    if root.join("site.toml").is_file() {
        return Ok(());
    }
    Err(format!(
        "{} 不是站点目录（找不到 site.toml），没有写入任何文件。请在站点根目录运行，或用 --root 指定站点目录；新建站点用 gongshi init 目录",
        std::path::absolute(root)
            .unwrap_or_else(|_| root.to_path_buf())
            .display()
    ))
}

/// Where a document named on the command line goes: `path` below
/// `content/<folder>/`, or below the root when it starts with `content/`;
/// `.md` added when missing; the file name must be a key. `what` and
/// `within` word the refusal (路径 … content 内, 目标 … 站点内).
pub(crate) fn document_path(
    root: &Path,
    path: &Path,
    folder: &str,
    what: &str,
    within: &str,
) -> Result<PathBuf, String> {
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "{what} {} 只能是{within}的相对路径，不能含 .. 或以 / 开头",
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
    Ok(if rel.starts_with("content") {
        root.join(&rel)
    } else {
        root.join("content").join(folder).join(&rel)
    })
}
