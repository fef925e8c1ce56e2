//! The command line: clap definitions with Chinese help, and the one place
//! that prints diagnostics and decides the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::content::DocType;
use crate::diag;

const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法: {usage}\n\n{all-args}{after-help}";

/// 公示：把执法机关的 Markdown 公示材料生成可检索的公开网站。
#[derive(Parser, Debug)]
#[command(
    name = "gongshi",
    version,
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    override_usage = "gongshi <命令> [选项]",
    next_help_heading = "选项",
    after_help = "退出码：0 成功，1 内容有错误，2 命令用法错误。\n示例：gongshi build --root 站点目录"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

/// Options shared by commands that read a site.
#[derive(clap::Args, Debug, Clone)]
#[command(next_help_heading = "选项")]
pub struct SiteArgs {
    /// 站点根目录（含 site.toml 和 content/），默认为当前目录
    #[arg(
        long,
        value_name = "目录",
        default_value = ".",
        hide_default_value = true
    )]
    pub root: PathBuf,
    /// 包括草稿（draft = true 的文档）：build、serve 生成它们，check 检查它们
    #[arg(long)]
    pub drafts: bool,
    /// 包括发布日期（date）在今天之后的文档，用于预览
    #[arg(long)]
    pub future: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 生成站点到输出目录（默认 public/）
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gongshi build [--root 目录] [--output 目录] [--force] [--base-url 网址] [--drafts] [--future]"
    )]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// 输出目录（默认为站点根目录下的 public/）；每次生成会整个替换它，因此不能是站点根目录或其中的源文件目录
        #[arg(long, value_name = "目录")]
        output: Option<PathBuf>,
        /// 输出目录里有不是 gongshi 生成的文件时，仍然用新网站替换其中的全部内容
        #[arg(long)]
        force: bool,
        /// 覆盖 site.toml 中的 base_url，例如 https://example.gov.cn/zhifa/
        #[arg(long, value_name = "网址", value_parser = base_url_arg)]
        base_url: Option<String>,
    },
    /// 检查全部内容，不写任何文件
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gongshi check [--root 目录] [--format human|json|github] [--drafts] [--future]"
    )]
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// 输出格式：human 便于阅读（默认），json 数组，github 为 GitHub Actions 注释
        #[arg(
            long,
            value_enum,
            default_value = "human",
            value_name = "格式",
            hide_default_value = true,
            hide_possible_values = true
        )]
        format: Format,
    },
    /// 生成站点并在本机 127.0.0.1 上预览
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gongshi serve [--root 目录] [--port 端口] [--bind 地址] [--open] [--drafts] [--future]"
    )]
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// 端口，默认 1111
        #[arg(
            long,
            default_value_t = 1111,
            value_name = "端口",
            hide_default_value = true
        )]
        port: u16,
        /// 监听地址，默认 127.0.0.1（只在本机可访问）；其他地址会显示警告
        #[arg(
            long,
            default_value = "127.0.0.1",
            value_name = "地址",
            hide_default_value = true
        )]
        bind: String,
        /// 启动后在浏览器中打开预览
        #[arg(long)]
        open: bool,
    },
    /// 在新目录中生成一个可运行的示例站点
    #[command(help_template = HELP_TEMPLATE, override_usage = "gongshi init <目录>")]
    Init {
        /// 新站点目录（必须不存在或为空）
        #[arg(value_name = "目录", help_heading = "参数")]
        dir: PathBuf,
    },
    /// 新建一篇文档，前置元数据按类型预先填好占位内容
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gongshi new <类型> <路径> [--root 目录]"
    )]
    New {
        /// 文档类型：lists 公示清单、guidance 行政指导、cases 典型案例、warnings 风险提示、reports 年度报告、page 普通页面
        #[arg(
            value_enum,
            value_name = "类型",
            help_heading = "参数",
            hide_possible_values = true
        )]
        kind: DocType,
        /// 路径：相对于 content/<类型>/（page 相对于 content/），例如 scjg/2025-exempt
        #[arg(value_name = "路径", help_heading = "参数")]
        path: PathBuf,
        /// 站点根目录，默认为当前目录
        #[arg(
            long,
            value_name = "目录",
            default_value = ".",
            hide_default_value = true
        )]
        root: PathBuf,
    },
    /// 从 Excel（.xlsx）、CSV 或 Word（.docx）表格导入清单，或据此修订已有清单
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "gongshi import <来源文件> <目标> [--root 目录] [--agency 机构] [--kind 类别] [--title 标题] …",
        after_help = "目标已存在时为修订：违法行为相同或相近的事项保留原编号，新增事项按清单原有编号规则续编，删除的事项逐条列出。\n任何一行无法识别时不写入任何文件。\n示例：gongshi import 免罚清单.xlsx scjg/2025-exempt --agency scjg --kind exempt"
    )]
    Import(Box<ImportArgs>),
}

/// `gongshi import`'s arguments.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// 要导入的文件：.xlsx、.csv（UTF-8 或 GB18030 编码）或 .docx
    #[arg(value_name = "来源文件", help_heading = "参数")]
    source: PathBuf,
    /// 清单文件：相对于 content/lists/，例如 scjg/2025-exempt；以 content/ 开头时相对于站点根目录
    #[arg(value_name = "目标", help_heading = "参数")]
    target: PathBuf,
    /// 站点根目录，默认为当前目录
    #[arg(
        long,
        value_name = "目录",
        default_value = ".",
        hide_default_value = true
    )]
    root: PathBuf,
    /// 发布机构：site.toml [agencies] 中的键或名称（新建清单时必填）
    #[arg(long, value_name = "机构")]
    agency: Option<String>,
    /// 清单类别：site.toml [list_kinds] 中的键或名称（新建清单时必填）
    #[arg(long, value_name = "类别")]
    kind: Option<String>,
    /// 标题；不给出时沿用原清单的标题，或表格上方的标题行
    #[arg(long, value_name = "标题")]
    title: Option<String>,
    /// 发布日期 YYYY-MM-DD；新建清单默认为今天
    #[arg(long, value_name = "日期")]
    date: Option<String>,
    /// 施行日期 YYYY-MM-DD
    #[arg(long, value_name = "日期")]
    effective: Option<String>,
    /// 失效日期 YYYY-MM-DD
    #[arg(long, value_name = "日期")]
    expires: Option<String>,
    /// 文号，例如 示市监〔2025〕3号
    #[arg(long, value_name = "文号")]
    doc_number: Option<String>,
    /// 索引号
    #[arg(long, value_name = "索引号")]
    index_number: Option<String>,
    /// 新事项编号的前缀，例如 SJ-MF-（默认沿用清单原有编号，新清单为机构键的大写加连字符）
    #[arg(long, value_name = "前缀")]
    id_prefix: Option<String>,
}

/// `--base-url`: checked as `site.toml`'s `base_url` is.
fn base_url_arg(url: &str) -> Result<String, String> {
    crate::config::check_base_url(url)
        .map(|()| url.to_string())
        .map_err(|why| format!("{why}。{}", crate::config::BASE_URL_HINT))
}

/// `check --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// 便于阅读的文字
    Human,
    /// JSON 数组
    Json,
    /// GitHub Actions 注释（::error file=…）
    Github,
}

impl From<Format> for diag::Format {
    fn from(f: Format) -> diag::Format {
        match f {
            Format::Human => diag::Format::Human,
            Format::Json => diag::Format::Json,
            Format::Github => diag::Format::Github,
        }
    }
}

/// `new`'s values are the document types' keys, from `content::types::ALL`.
impl ValueEnum for DocType {
    fn value_variants<'a>() -> &'a [Self] {
        &DocType::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.key()).help(self.name()))
    }
}

/// Parses arguments and runs; the process entry point.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(help_as_flag(std::env::args_os().collect())) {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("错误：{message}");
            ExitCode::from(1)
        }
    }
}

/// `gongshi help [命令]` as `gongshi [命令] --help`, the way git and cargo
/// take it (clap's own help subcommand is off: its text is English).
fn help_as_flag(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.truncate(2);
        args.push("--help".into());
    }
    args
}

/// Runs one parsed command.
fn run(command: Command) -> Result<ExitCode, String> {
    // A --root that is no folder at all is a wrong argument (exit 2), not
    // a site with errors: checked here, for build, check and serve alike.
    let root = match &command {
        Command::Build { site, .. } | Command::Check { site, .. } | Command::Serve { site, .. } => {
            Some(&site.root)
        }
        _ => None,
    };
    if let Some(root) = root
        && !root.is_dir()
    {
        return Ok(cmd::usage(&format!(
            "站点目录 {} 不存在（或不是目录）；请检查 --root，或在站点根目录运行",
            root.display()
        )));
    }
    match command {
        Command::Build {
            site,
            output,
            force,
            base_url,
        } => {
            let output = output.unwrap_or_else(|| site.root.join("public"));
            let opts = crate::site::BuildOptions {
                root: site.root,
                output,
                base_url,
                drafts: site.drafts,
                future: site.future,
                dry_run: false,
                force,
                freshness: false,
                today: crate::date::Date::today(),
            };
            Ok(cmd::build(&opts, diag::Format::Human))
        }
        Command::Check { site, format } => {
            let opts = crate::site::BuildOptions {
                root: site.root.clone(),
                output: site.root.join("public"),
                base_url: None,
                drafts: site.drafts,
                future: site.future,
                dry_run: true,
                force: false,
                freshness: true,
                today: crate::date::Date::today(),
            };
            Ok(cmd::build(&opts, format.into()))
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
        Command::Init { dir } => cmd::init::run(&dir),
        Command::New { kind, path, root } => cmd::new::run(&root, kind, &path),
        Command::Import(args) => {
            let ImportArgs {
                source,
                target,
                root,
                agency,
                kind,
                title,
                date,
                effective,
                expires,
                doc_number,
                index_number,
                id_prefix,
            } = *args;
            cmd::import::run(
                &root,
                &source,
                &target,
                crate::import::Meta {
                    title,
                    agency,
                    kind,
                    date,
                    effective,
                    expires,
                    doc_number,
                    index_number,
                },
                id_prefix,
            )
        }
    }
}

fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        kind => {
            let what = match kind {
                ErrorKind::InvalidSubcommand => "没有这个命令",
                ErrorKind::UnknownArgument => "不认识的参数",
                ErrorKind::InvalidValue => "参数值无效",
                ErrorKind::MissingRequiredArgument => "缺少必需的参数",
                ErrorKind::MissingSubcommand => "缺少命令",
                ErrorKind::ValueValidation => "参数值无效",
                ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => "参数个数不对",
                ErrorKind::ArgumentConflict => "参数互相冲突",
                _ => "命令用法错误",
            };
            // The offending argument(s) as clap names them (`<路径>`, `--port <端口>`).
            use clap::error::{ContextKind, ContextValue};
            let detail = match e
                .get(ContextKind::InvalidArg)
                .or_else(|| e.get(ContextKind::InvalidSubcommand))
            {
                Some(ContextValue::Strings(v)) => v.join("、"),
                Some(ContextValue::String(v)) => v.clone(),
                _ => {
                    let text = e.render().to_string();
                    text.lines()
                        .next()
                        .unwrap_or("")
                        .trim_start_matches("error: ")
                        .to_string()
                }
            };
            let detail = match e.get(ContextKind::InvalidValue) {
                Some(ContextValue::String(v)) if !v.is_empty() => format!("{detail} = {v}"),
                _ => detail,
            };
            // Why a value was refused, when a value parser said so.
            let why = match (kind, std::error::Error::source(&e)) {
                (ErrorKind::ValueValidation, Some(why)) => format!("：{why}"),
                _ => String::new(),
            };
            eprintln!("用法错误：{what}（{detail}）{why}\n运行 gongshi --help 查看用法。");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    /// `new`'s help names every type its values allow (from `types::ALL`).
    #[test]
    fn new_help_names_every_type() {
        use clap::CommandFactory;
        let cmd = Cli::command();
        let new = cmd.find_subcommand("new").expect("new");
        let arg = new
            .get_arguments()
            .find(|a| a.get_id() == "kind")
            .expect("kind");
        let help = arg.get_help().expect("help").to_string();
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        let keys: Vec<&str> = DocType::ALL.iter().map(|t| t.key()).collect();
        assert_eq!(values, keys);
        for t in DocType::ALL {
            let named = if t.is_typed() {
                format!("{} {}", t.key(), t.name())
            } else {
                format!("{} ", t.key())
            };
            assert!(help.contains(&named), "{named} missing: {help}");
        }
    }
}
