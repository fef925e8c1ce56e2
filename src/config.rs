//! `site.toml` → [`Config`]: site settings and the registries that front
//! matter refers to by key.
//!
//! Unknown keys are errors (a typo must not silently drop a setting), and
//! every problem carries the line in `site.toml`, like content errors.

use std::path::Path;

mod contact;
mod disputes;
mod feedback;

pub use contact::Contact;
use contact::contact;
pub use feedback::{ANSWERS, Feedback};

pub use disputes::{DISPUTE_KINDS, Dispute, MEDIATION_SEGMENT, MEDIATION_TITLE};

use crate::diag::Diagnostic;
use crate::source::fields::{Ctx, Reader};
use crate::source::frontmatter::{self, FrontMatter, Syntax};

/// One registered term (`[agencies.scjg]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Term {
    pub key: String,
    pub name: String,
    pub description: String,
    /// How to reach the agency (agencies only; empty elsewhere).
    pub contact: Contact,
}

/// A registry: terms in the order `site.toml` declares them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    pub terms: Vec<Term>,
}

impl Registry {
    pub fn get(&self, key: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.key == key)
    }

    pub fn position(&self, key: &str) -> Option<usize> {
        self.terms.iter().position(|t| t.key == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.key.as_str())
    }
}

/// The eight forms of administrative guidance (the regulation's Article 8).
/// Fixed by the contract, so not a `site.toml` registry.
pub const METHODS: [(&str, &str); 8] = [
    ("guide", "引导"),
    ("demonstrate", "示范"),
    ("remind", "提示"),
    ("coach", "辅导"),
    ("advise", "建议"),
    ("dissuade", "规劝"),
    ("interview", "约谈"),
    ("revisit", "回访"),
];

/// `[search]`: settings of site search.
#[derive(Clone, Debug, Default)]
pub struct SearchConfig {
    /// 热门搜索: shown under the search box, in this order.
    pub hot_words: Vec<String>,
}

/// `[history]`: what the build reads from git.
#[derive(Clone, Debug)]
pub struct HistoryConfig {
    /// Take revision dates and `修订说明:` trailers from the commits (the
    /// default). Off for a site whose git history is not its publication
    /// history (the demo site in this repository has the tool's own):
    /// dates and 修订记录 then come from front matter only, and list
    /// versions keep only the texts committed, dated by the front matter.
    pub git: bool,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig { git: true }
    }
}

/// The site's configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub theme: String,
    /// Line of `theme = …` in site.toml (1 when absent), for theme errors.
    pub theme_line: usize,
    pub organizer: String,
    pub icp: String,
    pub psb: String,
    pub site_code: String,
    pub contact: String,
    pub paginate_by: usize,
    pub trust_html: bool,
    pub agencies: Registry,
    pub districts: Registry,
    pub industries: Registry,
    pub list_kinds: Registry,
    pub risk_levels: Registry,
    pub methods: Registry,
    /// 行政调解: the kinds of dispute agencies mediate (Articles 11–13).
    pub disputes: Vec<Dispute>,
    pub search: SearchConfig,
    pub history: HistoryConfig,
    /// `[feedback]`: where readers' answers go; none: no feedback block.
    pub feedback: Option<Feedback>,
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "theme",
    "description",
    "organizer",
    "icp",
    "psb",
    "site_code",
    "contact",
    "paginate_by",
    "trust_html",
    RegistryKind::Agencies.key(),
    RegistryKind::Districts.key(),
    RegistryKind::Industries.key(),
    RegistryKind::ListKinds.key(),
    RegistryKind::RiskLevels.key(),
    "disputes",
    "search",
    "history",
    "feedback",
];

/// Why there is no configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoConfig {
    /// `site.toml` is missing, unreadable or refused.
    Unreadable,
    /// `site.toml` has syntax errors: its registries are not known for
    /// sure, so documents can be checked for their syntax only.
    Syntax,
}

impl Config {
    /// Reads `root/site.toml`. Problems go to `diags`; a config is returned
    /// whenever the file has no syntax error (wrong fields do not stop it),
    /// so content can still be checked.
    pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Result<Config, NoConfig> {
        let path = root.join("site.toml");
        if !crate::confine::Confine::new(root).input(&path, diags) {
            return Err(NoConfig::Unreadable);
        }
        let text = match crate::fs::read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                // There but unreadable as text (saved as GB18030 by an
                // editor): say how to save it, not that it is missing.
                let d = Diagnostic::error("site.toml", "site.toml", e.message);
                diags.push(if path.is_file() && e.line > 0 {
                    d.at(e.line, 1)
                        .hint("用记事本或 WPS 打开 site.toml，“另存为”时把编码选为 UTF-8")
                } else {
                    d.hint("站点根目录必须有 site.toml；用 gongshi init 目录 生成一个示例站点")
                });
                return Err(NoConfig::Unreadable);
            }
        };
        Config::parse(&frontmatter::normalize(&text), diags)
    }

    /// Parses the text of a `site.toml`. After syntax errors, the settings
    /// that could still be read are checked too (every problem in one
    /// run), but no configuration is returned.
    pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> Result<Config, NoConfig> {
        let (fm, errors) = frontmatter::parse_all(Syntax::Toml, text, 1);
        let broken = !errors.is_empty();
        for e in errors {
            let mut d = Diagnostic::error("site.toml", "site.toml", e.message).at(e.line, e.col);
            d.hint = e.hint;
            diags.push(d);
        }
        let config = fm.map(|fm| Config::read(&fm, diags));
        match config {
            Some(config) if !broken => Ok(config),
            _ => Err(NoConfig::Syntax),
        }
    }

    /// Reads the settings and registries of a parsed `site.toml`.
    fn read(fm: &FrontMatter, diags: &mut Vec<Diagnostic>) -> Config {
        let ctx = Ctx::new("site.toml", fm);
        let config = {
            let mut r = Reader::new(&fm.table, Vec::new(), &ctx);
            let title = r.req_str("title").unwrap_or_default();
            let mut base_url = r.req_str("base_url").unwrap_or_else(|| "/".into());
            if let Err(why) = check_base_url(&base_url) {
                r.error(
                    "base_url",
                    format!("base_url“{base_url}”不能用：{why}"),
                    Some(BASE_URL_HINT.into()),
                );
                base_url = "/".into();
            }
            if !base_url.ends_with('/') {
                base_url.push('/');
            }
            let language = r.str("language").unwrap_or_else(|| "zh-CN".into());
            let mut theme = r.str("theme").unwrap_or_else(|| "default".into());
            // A folder name below themes/, never a path: `theme = "/etc"`
            // or `"../x"` would read templates and static files from
            // outside the site.
            if theme.is_empty() || theme.starts_with('.') || theme.contains(['/', '\\', ':']) {
                r.error(
                    "theme",
                    format!("主题名“{theme}”不是 themes/ 下的目录名"),
                    Some("主题名只写 themes/ 下的一个目录名，例如 theme = \"gov\"；不能含 /、\\ 或以 . 开头".into()),
                );
                theme = "default".into();
            }
            let theme_line = fm
                .locate(&[crate::source::frontmatter::Seg::Key("theme")])
                .0;
            let paginate_by = match r.int("paginate_by") {
                None => 20,
                Some(n) if (1..=1000).contains(&n) => n as usize,
                Some(n) => {
                    r.error(
                        "paginate_by",
                        format!("每页条数 {n} 超出范围"),
                        Some("取 1 到 1000 之间的整数".into()),
                    );
                    20
                }
            };
            let mut config = Config {
                title,
                description: r.str("description").unwrap_or_default(),
                base_url,
                language,
                theme,
                theme_line,
                organizer: r.str("organizer").unwrap_or_default(),
                icp: r.str("icp").unwrap_or_default(),
                psb: r.str("psb").unwrap_or_default(),
                site_code: r.str("site_code").unwrap_or_default(),
                contact: r.str("contact").unwrap_or_default(),
                paginate_by,
                trust_html: r.bool("trust_html").unwrap_or(false),
                ..Config::default()
            };
            config.agencies = registry(&mut r, RegistryKind::Agencies.key());
            config.districts = registry(&mut r, RegistryKind::Districts.key());
            config.industries = registry(&mut r, RegistryKind::Industries.key());
            config.list_kinds = registry(&mut r, RegistryKind::ListKinds.key());
            config.risk_levels = registry(&mut r, RegistryKind::RiskLevels.key());
            config.disputes = disputes::read(&mut r, &config.agencies);
            config.methods = Registry {
                terms: METHODS
                    .iter()
                    .map(|(k, n)| Term {
                        key: (*k).into(),
                        name: (*n).into(),
                        ..Term::default()
                    })
                    .collect(),
            };
            if let Some(mut s) = r.table("search") {
                config.search.hot_words = s.str_list("hot_words");
                s.finish(&["hot_words"], "[search] ");
            }
            config.feedback = feedback::read(&mut r);
            if let Some(mut h) = r.table("history") {
                config.history.git = h.bool("git").unwrap_or(true);
                h.finish(&["git"], "[history] ");
            }
            r.finish(KEYS, "site.toml ");
            config
        };
        diags.extend(ctx.into_diags());
        config
    }

    /// The path part of `base_url`: `/zhifa/` for `https://x.gov.cn/zhifa/`.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }
}

/// What a valid base URL looks like, for errors about one.
pub const BASE_URL_HINT: &str = "写成以 https:// 或 http:// 开头的完整网址，例如 \"https://example.gov.cn/zhifa/\"；\
     或以单个 / 开头的路径，例如 \"/zhifa/\"";

/// The one check of a base URL, for `site.toml` and `--base-url` alike.
///
/// Every page loads its script and styles from below the base URL and puts
/// it into `href`s, so only two shapes pass: an absolute `http(s)://` URL
/// with a host (no `user@`), or a path on the same host starting with one
/// `/`. Anything else (`//evil.example/`, `javascript:`, `/\evil`, which
/// browsers read as another host) is refused, as is every character that
/// could end an attribute or a URL early. `Err` says why, in Chinese.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if let Some(c) = url.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '\\' | '"' | '\'' | '`' | '<' | '>')
    }) {
        let what = match c {
            c if c.is_whitespace() => "空白".to_string(),
            c if c.is_control() => "控制字符".to_string(),
            c => format!("“{c}”"),
        };
        return Err(format!("网址中不能有{what}"));
    }
    if url.contains(['?', '#']) {
        return Err("网址中不能有 ? 或 #：它是每个页面地址的开头".into());
    }
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else if url.starts_with("//") {
        return Err("以 // 开头的地址指向另一个网站".into());
    } else if url.starts_with('/') {
        return Ok(());
    } else {
        return Err("应以 https:// 或 http:// 开头，或是以 / 开头的路径".into());
    };
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        return Err("网址中不能有用户名（@ 之前的部分）".into());
    }
    let host = match authority.strip_prefix('[') {
        // [::1]:8080
        Some(v6) => v6.split_once(']').map_or("", |(h, _)| h),
        None => authority.rsplit_once(':').map_or(authority, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                ""
            }
        }),
    };
    if host.is_empty() || host.starts_with('.') || host.contains("..") {
        return Err("网址中缺少主机名，例如 https://example.gov.cn/".into());
    }
    Ok(())
}

/// The path part of a base URL, always starting and ending with `/`.
pub fn base_path_of(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = if base_url.contains("://") {
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    } else {
        after_scheme
    };
    let mut p = path.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

fn registry<'t>(r: &mut Reader<'t, '_>, key: &'t str) -> Registry {
    let mut terms = Vec::new();
    for (name, mut entry) in r.named_tables(key) {
        if !is_key(name) {
            r.ctx().error(
                &entry_path(key, name),
                format!("键“{name}”只能使用小写字母、数字和连字符"),
                Some("例如 [industries.food-retail]".into()),
            );
        }
        let term = Term {
            key: name.to_string(),
            name: entry.req_str("name").unwrap_or_else(|| name.to_string()),
            description: entry.str("description").unwrap_or_default(),
            contact: if key == "agencies" {
                contact(&mut entry)
            } else {
                Contact::default()
            },
        };
        let allowed: &[&str] = if key == "agencies" {
            &["name", "description", "phone", "address", "hours"]
        } else {
            &["name", "description"]
        };
        entry.finish(allowed, "登记项");
        terms.push(term);
    }
    Registry { terms }
}

fn entry_path<'a>(key: &'a str, name: &'a str) -> Vec<crate::source::frontmatter::Seg<'a>> {
    use crate::source::frontmatter::Seg;
    vec![Seg::Key(key), Seg::Key(name)]
}

/// The registries, listed once: what a document is filed under. Six are
/// declared in `site.toml`; 年度 (years) is made from the documents' dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegistryKind {
    Agencies,
    Districts,
    Industries,
    ListKinds,
    RiskLevels,
    Methods,
    Years,
}

impl RegistryKind {
    /// In the order the site shows them.
    pub const ALL: [RegistryKind; 7] = [
        RegistryKind::Agencies,
        RegistryKind::Districts,
        RegistryKind::Industries,
        RegistryKind::ListKinds,
        RegistryKind::RiskLevels,
        RegistryKind::Methods,
        RegistryKind::Years,
    ];

    /// Its table in `site.toml` and its key in templates (`list_kinds`).
    pub const fn key(self) -> &'static str {
        match self {
            RegistryKind::Agencies => "agencies",
            RegistryKind::Districts => "districts",
            RegistryKind::Industries => "industries",
            RegistryKind::ListKinds => "list_kinds",
            RegistryKind::RiskLevels => "risk_levels",
            RegistryKind::Methods => "methods",
            RegistryKind::Years => "years",
        }
    }

    /// Its URL segment (`list-kinds`).
    pub fn segment(self) -> &'static str {
        match self {
            RegistryKind::ListKinds => "list-kinds",
            RegistryKind::RiskLevels => "risk-levels",
            k => k.key(),
        }
    }

    /// What a reader calls it.
    pub fn name(self) -> &'static str {
        match self {
            RegistryKind::Agencies => "发布机构",
            RegistryKind::Districts => "适用区域",
            RegistryKind::Industries => "行业领域",
            RegistryKind::ListKinds => "清单类别",
            RegistryKind::RiskLevels => "风险等级",
            RegistryKind::Methods => "指导方式",
            RegistryKind::Years => "年度",
        }
    }

    /// The noun in a clerk's error message (未登记的行业“…”).
    pub fn noun(self) -> &'static str {
        match self {
            RegistryKind::Districts => "区域",
            RegistryKind::Industries => "行业",
            k => k.name(),
        }
    }

    /// Whether each term has its own feeds (agencies and industries).
    pub fn has_feeds(self) -> bool {
        matches!(self, RegistryKind::Agencies | RegistryKind::Industries)
    }

    /// Its facet in the search index (`list_kind`).
    pub const fn facet(self) -> &'static str {
        match self {
            RegistryKind::Agencies => "agency",
            RegistryKind::Districts => "district",
            RegistryKind::Industries => "industry",
            RegistryKind::ListKinds => "list_kind",
            RegistryKind::RiskLevels => "risk_level",
            RegistryKind::Methods => "method",
            RegistryKind::Years => "year",
        }
    }

    /// The registry declared in `site.toml` (`None` for years).
    pub fn declared(self, config: &Config) -> Option<&Registry> {
        match self {
            RegistryKind::Agencies => Some(&config.agencies),
            RegistryKind::Districts => Some(&config.districts),
            RegistryKind::Industries => Some(&config.industries),
            RegistryKind::ListKinds => Some(&config.list_kinds),
            RegistryKind::RiskLevels => Some(&config.risk_levels),
            RegistryKind::Methods => Some(&config.methods),
            RegistryKind::Years => None,
        }
    }
}

/// `[a-z0-9-]+`, the shape of registry keys and slugs.
pub fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        for ok in [
            "https://example.gov.cn/zhifa/",
            "http://127.0.0.1:1111/",
            "HTTPS://Example.gov.cn",
            "https://[::1]:8080/a",
            "https://政府.cn/",
            "/",
            "/zhifa/",
        ] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("//evil.example/", "另一个网站"),
            ("javascript:alert(1)//", "应以 https://"),
            ("http:///x", "缺少主机名"),
            ("https://a b/", "空白"),
            ("/\\evil", "“\\”"),
            ("https://user@evil.example/", "用户名"),
            ("https://x.cn/\"><script>", "“\"”"),
            ("https://x.cn/\u{7}", "控制字符"),
            ("https://:80/", "缺少主机名"),
            ("https://x.cn:8o/", "缺少主机名"),
            ("https://x.cn/?a", "?"),
            ("", "应以 https://"),
            ("zhifa/", "应以 https://"),
        ] {
            let e = check_base_url(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path_of("https://example.gov.cn/zhifa/"), "/zhifa/");
        assert_eq!(base_path_of("https://example.gov.cn"), "/");
        assert_eq!(base_path_of("http://127.0.0.1:1111/"), "/");
        assert_eq!(base_path_of("/a/b"), "/a/b/");
    }

    #[test]
    fn registries_keep_order_and_report_lines() {
        let text = "title = \"t\"\nbase_url = \"https://x.cn/\"\n\n[risk_levels.high]\nname = \"高\"\n[risk_levels.low]\nname = \"低\"\n[agencies.scjg]\nnmae = \"x\"\n";
        let mut diags = Vec::new();
        let c = Config::parse(text, &mut diags).unwrap();
        assert_eq!(c.risk_levels.keys().collect::<Vec<_>>(), ["high", "low"]);
        let msgs: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("site.toml:9:1: agencies.scjg.nmae: 未知字段 nmae")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("site.toml:8:1: agencies.scjg.name: 缺少必填字段 name")),
            "{msgs:?}"
        );
    }
}
