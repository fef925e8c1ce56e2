//! One function per subcommand; each returns the exit code.

mod init;
mod new;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{Command, Format, print_diagnostics};
use crate::date::Date;
use crate::site::{BuildOptions, build};

pub(crate) fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Build {
            site,
            output,
            base_url,
        } => {
            let output = output.unwrap_or_else(|| site.root.join("public"));
            let opts = BuildOptions {
                root: site.root,
                output,
                base_url,
                drafts: site.drafts,
                future: site.future,
                dry_run: false,
                freshness: false,
                today: Date::today(),
            };
            Ok(run_build(&opts, Format::Human))
        }
        Command::Check { site, format } => {
            let opts = BuildOptions {
                root: site.root.clone(),
                output: site.root.join("public"),
                base_url: None,
                drafts: site.drafts,
                future: site.future,
                dry_run: true,
                freshness: true,
                today: Date::today(),
            };
            Ok(run_build(&opts, format))
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => crate::serve::run(&crate::serve::ServeOptions {
            root: site.root.clone(),
            drafts: site.drafts,
            future: site.future,
            bind,
            port,
            open,
        }),
        Command::Init { dir } => init::run(&dir),
        Command::New { kind, path, root } => new::run(&root, kind, &path),
    }
}

fn run_build(opts: &BuildOptions, format: Format) -> ExitCode {
    let started = Instant::now();
    if !opts.root.join("site.toml").is_file() && !opts.root.is_dir() {
        eprintln!("错误：站点目录 {} 不存在", opts.root.display());
        return ExitCode::from(1);
    }
    let report = build(opts);
    if format == Format::Human {
        for n in &report.notices {
            eprintln!("说明：{n}");
        }
    }
    print_diagnostics(&report.diagnostics, format);
    if report.failed() {
        if !opts.dry_run && format == Format::Human {
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
            eprintln!(
                "已生成 {} 篇文档，{} 个文件（{:.1} MB）到 {}，用时 {ms} 毫秒。",
                report.documents,
                report.files,
                report.bytes as f64 / 1_048_576.0,
                display(&opts.output)
            );
        }
    }
    ExitCode::SUCCESS
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
