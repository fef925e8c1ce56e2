//! The theme: built-in templates and static files compiled into the binary,
//! overridable one file at a time by the site (`themes/<theme>/` first, then
//! `templates/` and `static/` at the site root, which win).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, rel};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// Where a file of the theme came from, for error messages.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    /// Site-relative path of an override, or `themes/default/…` built in.
    pub origin: String,
}

/// Loaded templates and the static files to publish.
pub struct Theme {
    pub tera: tera::Tera,
    /// Output path → bytes, site overrides applied.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Static file → the file it came from (`static/site.css`, or
    /// `themes/default/static/…` when built in).
    pub static_origins: BTreeMap<String, String>,
    /// Static files whose source is readable by fewer people than
    /// `rw-r--r--`: the permission bits their copy may have at most.
    pub modes: BTreeMap<String, u32>,
    /// Template name → the file it came from (`templates/page.html`, or
    /// `themes/default/templates/page.html` when built in).
    pub origins: BTreeMap<String, String>,
    /// Template name → a fingerprint of its source and of every template it
    /// extends, includes or imports, so a live preview re-renders exactly
    /// the pages a template edit can change.
    pub fingerprints: BTreeMap<String, u64>,
}

impl Theme {
    /// Loads the built-in theme and the site's overrides. Template syntax
    /// errors name the file they are in.
    pub fn load(
        root: &Path,
        theme: &str,
        theme_line: usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Theme> {
        let mut templates: BTreeMap<String, (String, String)> = builtin::TEMPLATES
            .iter()
            .map(|(n, c)| {
                (
                    (*n).to_string(),
                    ((*c).to_string(), format!("themes/default/templates/{n}")),
                )
            })
            .collect();
        let runtime = crate::search::RUNTIME.iter().map(|(n, c, _)| (n, c));
        let mut statics: BTreeMap<String, Vec<u8>> = builtin::STATIC
            .iter()
            .map(|(n, c)| (n, c))
            .chain(runtime)
            .map(|(n, c)| ((*n).to_string(), c.to_vec()))
            .collect();

        let theme_dir = root.join("themes").join(theme);
        if theme != "default" && !theme_dir.is_dir() {
            diags.push(
                Diagnostic::error(
                    "site.toml",
                    "theme",
                    format!("找不到主题目录 themes/{theme}/"),
                )
                .at(theme_line, 1)
                .hint("删除 theme 设置以使用内置主题，或创建该目录"),
            );
        }
        let mut ok = true;
        for dir in [theme_dir.join("templates"), root.join("templates")] {
            ok &= read_overrides(
                root,
                &dir,
                diags,
                |name, bytes, origin| match String::from_utf8(bytes) {
                    Ok(text) => {
                        templates.insert(name, (text, origin));
                        Ok(())
                    }
                    Err(_) => Err("模板不是 UTF-8 编码".to_string()),
                },
            );
        }
        let mut static_origins: BTreeMap<String, String> = builtin::STATIC
            .iter()
            .map(|(n, _)| ((*n).to_string(), format!("themes/default/static/{n}")))
            .chain(
                crate::search::RUNTIME
                    .iter()
                    .map(|(n, _, src)| ((*n).to_string(), (*src).to_string())),
            )
            .collect();
        let mut modes = BTreeMap::new();
        for dir in [theme_dir.join("static"), root.join("static")] {
            ok &= read_overrides(root, &dir, diags, |name, bytes, origin| {
                if crate::search::RUNTIME.iter().any(|(n, _, _)| *n == name) {
                    return Err(format!(
                        "{name} 是内置的站内搜索程序，须与搜索索引的格式一致，不能替换；请删除该文件"
                    ));
                }
                match crate::fs::narrower_mode(&root.join(&origin)) {
                    Some(m) => modes.insert(name.clone(), m),
                    None => modes.remove(&name),
                };
                static_origins.insert(name.clone(), origin);
                statics.insert(name, bytes);
                Ok(())
            });
        }
        if !ok {
            return None;
        }

        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let list: Vec<(String, String)> = templates
            .iter()
            .map(|(n, (c, _))| (n.clone(), c.clone()))
            .collect();
        if let Err(e) = tera.add_raw_templates(list) {
            let origins = templates.into_iter().map(|(n, (_, o))| (n, o)).collect();
            diags.push(template_error(&e, &origins, None));
            return None;
        }
        let fingerprints = fingerprints(&templates);
        let origins = templates.into_iter().map(|(n, (_, o))| (n, o)).collect();
        Some(Theme {
            tera,
            statics,
            static_origins,
            modes,
            origins,
            fingerprints,
        })
    }
}

/// Each template's fingerprint: its own text and, transitively, those of
/// the templates it names in `extends`, `include` or `import`. A template
/// naming another by an expression rather than a literal depends on all.
fn fingerprints(templates: &BTreeMap<String, (String, String)>) -> BTreeMap<String, u64> {
    let own: BTreeMap<&str, u64> = templates
        .iter()
        .map(|(n, (c, _))| (n.as_str(), crate::hash::fnv(c.as_bytes())))
        .collect();
    let deps: BTreeMap<&str, Option<Vec<String>>> = templates
        .iter()
        .map(|(n, (c, _))| (n.as_str(), referenced(c)))
        .collect();
    let all: u64 = own.values().fold(0, |h, v| h.rotate_left(5) ^ v);
    templates
        .keys()
        .map(|name| {
            let mut seen = std::collections::BTreeSet::new();
            let mut stack = vec![name.clone()];
            let mut dynamic = false;
            while let Some(n) = stack.pop() {
                if !seen.insert(n.clone()) {
                    continue;
                }
                match deps.get(n.as_str()) {
                    Some(Some(names)) => stack.extend(names.iter().cloned()),
                    Some(None) => dynamic = true,
                    None => {}
                }
            }
            let fp = if dynamic {
                all
            } else {
                seen.iter()
                    .map(|n| own.get(n.as_str()).copied().unwrap_or(0))
                    .fold(crate::hash::fnv(name.as_bytes()), |h, v| {
                        h.rotate_left(7) ^ v.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    })
            };
            (name.clone(), fp)
        })
        .collect()
}

/// Template names a template refers to with a string literal; `None` when
/// one of `extends`, `include` or `import` takes an expression.
fn referenced(source: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let end = after.find("%}").unwrap_or(after.len());
        let tag = after[..end].trim_start_matches('-').trim();
        rest = &after[end..];
        let Some((word, args)) = tag.split_once(char::is_whitespace) else {
            continue;
        };
        if !matches!(word, "extends" | "include" | "import") {
            continue;
        }
        let args = args.trim();
        let quote = args.chars().next()?;
        if !matches!(quote, '"' | '\'' | '`') {
            return None;
        }
        let body = &args[1..];
        let close = body.find(quote)?;
        names.push(body[..close].to_string());
        // `include ["a", "b"]` style lists are expressions: handled above.
    }
    Some(names)
}

/// Reads the files of one override folder (links held to the rule of
/// [`crate::confine`]; names starting with `.` skipped) and hands each to
/// `put`. `false` when anything could not be read.
fn read_overrides(
    root: &Path,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
    mut put: impl FnMut(String, Vec<u8>, String) -> Result<(), String>,
) -> bool {
    let before = diags.len();
    let found = crate::confine::Confine::new(root).walk(dir, diags);
    let mut ok = diags.len() == before;
    for f in found.files {
        let origin = rel(root, &f.path);
        let result = crate::fs::read_bytes(&f.path)
            .map_err(|e| e.message)
            .and_then(|b| put(f.below, b, origin.clone()));
        if let Err(message) = result {
            diags.push(Diagnostic::error(origin, "文件", message));
            ok = false;
        }
    }
    ok
}

/// A Tera error as a diagnostic on the template file and line it concerns.
/// `page` names the page being rendered, for errors while rendering.
pub fn template_error(
    e: &tera::Error,
    origins: &BTreeMap<String, String>,
    page: Option<&str>,
) -> Diagnostic {
    let during = page.map(|p| format!("（渲染 {p} 时）")).unwrap_or_default();
    // The report (file, span, message) may sit anywhere in the cause chain.
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(te) = err.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = te.kind()
        {
            let origin = origins
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| format!("templates/{}", r.filename()));
            let span = r.span();
            return Diagnostic::error(origin, "模板", format!("模板错误{during}：{}", r.message()))
                .at(span.start_line, span.start_col + 1)
                .hint("请对照 Tera 2 模板语法检查这一处；变量可用 {% if x %} 判断是否存在");
        }
        cur = err.source();
    }
    let text = error_chain(e);
    let origin = origins
        .iter()
        .find(|(name, _)| text.contains(&format!("'{name}'")))
        .map_or_else(|| "templates".to_string(), |(_, o)| o.clone());
    Diagnostic::error(origin, "模板", format!("模板错误{during}：{text}"))
}

/// The whole cause chain of an error, one cause per line: Tera keeps the
/// useful part in `source()`.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let msg = c.to_string();
        if !s.contains(&msg) {
            s.push_str("\n  原因: ");
            s.push_str(&msg);
        }
        cur = c.source();
    }
    s
}
