//! Whole-site steps between loading and rendering: settings applied to
//! what was loaded, and the checks that need every document (links and
//! their anchors, output paths that collide, freshness).

use std::collections::{BTreeMap, HashSet};

use super::BuildOptions;
use crate::config::Config;
use crate::content::{self, Typed};
use crate::diag::Diagnostic;
use crate::markdown::{self, Rendered};
use crate::model::Model;

/// `--base-url` (or the preview's address) replaces `site.toml`'s.
pub(super) fn apply_base_url(config: &mut Config, opts: &BuildOptions) {
    if let Some(url) = &opts.base_url {
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
}

/// When `site.toml` has syntax errors, its registries are not known for
/// sure: every document's syntax is still checked (every broken file in
/// one run), and the clerk told that the fields were not.
pub(super) fn syntax_only(root: &std::path::Path, diags: &mut Vec<Diagnostic>) {
    content::check_syntax(root, diags);
    diags.push(
        Diagnostic::warning(
            "site.toml",
            "site.toml",
            "site.toml 有语法错误：content/ 中的文档这次只检查了前置元数据的语法",
        )
        .hint(
            "改正 site.toml 后再检查一次，才会检查文档的各个字段和登记项（发布机构、区域、行业等）",
        ),
    );
}

/// Scheduled documents wait for the first build on their date (unless
/// `--future`).
pub(super) fn hold_future(loaded: &mut content::Loaded, opts: &BuildOptions) {
    if opts.future {
        return;
    }
    let (later, now): (Vec<_>, Vec<_>) = std::mem::take(&mut loaded.documents)
        .into_iter()
        .partition(|d| d.date.is_some_and(|x| x > opts.today));
    loaded.documents = now;
    for d in later {
        let day = d.date.unwrap_or(opts.today);
        loaded
            .unpublished
            .insert(d.key.clone(), content::Unpublished::Future(day));
    }
}

/// The freshness rules government-website inspections apply, as warnings:
/// a risk warning past its `valid_until`, and a typed section with nothing
/// new for six months (栏目长期未更新).
pub(super) fn freshness(model: &Model, diags: &mut Vec<Diagnostic>) {
    for d in &model.docs {
        if let crate::content::Typed::Warning {
            valid_until: Some(v),
            ..
        } = &d.typed
            && *v < model.today
            && d.superseded_by.is_none()
        {
            diags.push(
                Diagnostic::warning(
                    &d.rel,
                    "valid_until",
                    format!("风险提示已于 {} 过期，网站上显示为已失效", v.zh()),
                )
                .at(d.at("valid_until").0, d.at("valid_until").1)
                .hint("如风险仍然存在，请发布新的风险提示，并在旧提示中用 superseded_by 指向它"),
            );
        }
    }
    for t in crate::content::DocType::TYPED {
        let newest = model
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.doc_type == t)
            .filter_map(|(i, _)| model.last_modified(i))
            .max();
        let Some(newest) = newest else { continue };
        // Annual reports come once a year: their section is stale only
        // without a new one for over a year and a month.
        let (days, span) = if t == crate::content::DocType::Reports {
            (396, "一年")
        } else {
            (183, "六个月")
        };
        if model.today.to_days() - newest.to_days() > days {
            let section = model
                .sections
                .get(t.key())
                .map(|s| s.rel.clone())
                .filter(|r| !r.is_empty());
            diags.push(
                Diagnostic::warning(
                    section.unwrap_or_else(|| format!("content/{}", t.key())),
                    "栏目",
                    format!(
                        "栏目“{}”自 {} 以来超过{span}没有新内容",
                        model.section_title(t.key()),
                        newest.zh()
                    ),
                )
                .hint("政府网站检查要求栏目及时更新；请发布新的内容或说明情况"),
            );
        }
    }
}

/// Output files of two sources whose paths differ only by case
/// (`lists/Dup/index.html`, `lists/dup/index.html`): on the case-insensitive
/// disks of Windows and macOS one overwrites the other. Also a content file
/// and a static file (or page) at the very same path. One pass over every
/// output path a source makes, keyed by its lowercase form; an error on the
/// later source names the other.
pub(super) fn output_collisions(
    model: &Model,
    statics: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) {
    // (output path, source, whether from a page: page/page clashes at the
    // same path are the model's duplicate-URL error already, and the field
    // and place that make it, for an attachment).
    let folder = |key: &str| {
        if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        }
    };
    let sections = model.sections.values().map(|s| {
        let src = if s.rel.is_empty() {
            format!("content/{}/", s.key)
        } else {
            s.rel.clone()
        };
        (folder(&s.key), src, true, None)
    });
    let docs = model
        .docs
        .iter()
        .map(|d| (format!("{}index.html", d.url), d.rel.clone(), true, None));
    let assets = model
        .assets
        .iter()
        .map(|a| (a.out.clone(), format!("content/{}", a.out), false, None));
    let attachments = model.docs.iter().flat_map(|d| {
        d.attachments.iter().map(move |a| {
            let place = Some((a.field.as_str(), a.at));
            (format!("{}{}", d.url, a.name), d.rel.clone(), false, place)
        })
    });
    // Built-in files first, so the error lands on the site's own file.
    let builtin = |o: &str| o.starts_with("themes/default/static/");
    let statics = statics
        .iter()
        .filter(|(_, o)| builtin(o))
        .chain(statics.iter().filter(|(_, o)| !builtin(o)))
        .map(|(name, origin)| (name.clone(), origin.clone(), false, None));
    generated_clashes(model, diags);
    let mut seen: std::collections::HashMap<String, (String, String, bool)> =
        std::collections::HashMap::new();
    for (out, src, page, place) in sections
        .chain(docs)
        .chain(assets)
        .chain(attachments)
        .chain(statics)
    {
        match seen.entry(out.to_lowercase()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((out, src, page));
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let (other_out, other_src, other_page) = o.get();
                let (message, hint) = if *other_out != out {
                    (
                        format!("生成的 {out} 与 {other_src} 生成的 {other_out} 只有大小写不同"),
                        "在不区分大小写的磁盘（Windows、macOS）上两者是同一个文件，一个会覆盖另一个；请把其中一个改名",
                    )
                } else if page && *other_page {
                    continue;
                } else {
                    (
                        format!("生成的 {out} 与 {other_src} 生成的文件路径相同"),
                        "两个文件会写到同一个位置，一个会覆盖另一个；请把其中一个改名或删除",
                    )
                };
                let (field, (line, col)) = place.unwrap_or(("路径", (1, 1)));
                diags.push(
                    Diagnostic::error(src, field, message)
                        .at(line, col)
                        .hint(hint),
                );
            }
        }
    }
}

/// Files below `content/` at a path the site generates itself: the
/// reserved top-level names (`robots.txt`, `sitemap.xml`, `404.html`,
/// `atom.xml`, `search/`, `agencies/`, `data/` …), a type's feed
/// (`lists/atom.xml`), a list's data files and its `versions/`. The
/// generated file would replace the clerk's without a word.
fn generated_clashes(model: &Model, diags: &mut Vec<Diagnostic>) {
    let lists: HashSet<String> = (0..model.docs.len())
        .flat_map(|i| crate::render::data::list_files(model, i))
        .collect();
    // The URLs of lists (`lists/scjg/2024-exempt/`), whose `versions/` is theirs.
    let list_urls: HashSet<&str> = model
        .docs
        .iter()
        .filter(|d| matches!(d.typed, Typed::List { .. }))
        .map(|d| d.url.as_str())
        .collect();
    for a in &model.assets {
        let out = a.out.as_str();
        let (top, rest) = out.split_once('/').unwrap_or((out, ""));
        let what = if crate::model::RESERVED_TOP.contains(&top) {
            Some(if rest.is_empty() {
                format!("{top} 由系统生成，会覆盖这个文件")
            } else {
                format!("{top}/ 目录由系统生成，其中不能放自己的文件")
            })
        } else if rest == "atom.xml" && content::DocType::ALL.iter().any(|t| t.key() == top) {
            Some(format!(
                "{out} 是系统生成的栏目订阅（Atom），会覆盖这个文件"
            ))
        } else if lists.contains(out) {
            Some(format!("{out} 是系统由清单生成的数据文件，会覆盖这个文件"))
        } else {
            out.match_indices("versions/")
                .map(|(at, _)| &out[..at])
                .find(|list| list_urls.contains(list))
                .map(|list| {
                    format!("清单的历次版本目录 {list}versions/ 由系统生成，其中不能放自己的文件")
                })
        };
        if let Some(what) = what {
            diags.push(
                Diagnostic::error(format!("content/{out}"), "路径", what)
                    .hint("请把文件改名或移到别的目录；要改系统生成的内容，请改 site.toml 或模板"),
            );
        }
    }
}

/// The key below `content/` that a relative link `path` written in the
/// source `rel` (`content/lists/a.md`) names: from the source's folder, or
/// from `content/` when it starts with `/`. `None` when it leaves `content/`.
fn source_target(rel: &str, path: &str) -> Option<String> {
    let folder = rel
        .strip_prefix("content/")?
        .rsplit_once('/')
        .map_or("", |(f, _)| f);
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Renders the sections' `_index.md` bodies.
pub(super) fn render_section_bodies(
    model: &Model,
    urls: &std::collections::HashMap<String, String>,
) -> BTreeMap<String, Rendered> {
    model
        .sections
        .iter()
        .filter(|(_, s)| !s.body.trim().is_empty())
        .map(|(k, s)| {
            (
                k.clone(),
                markdown::render(&s.body, urls, model.config.trust_html),
            )
        })
        .collect()
}

/// Checks `@/` links and their anchors against the whole site, and
/// reports the rest of each body's problems ([`body_problems`]).
pub(super) fn check_links(
    model: &Model,
    bodies: &[Rendered],
    section_bodies: &BTreeMap<String, Rendered>,
    diags: &mut Vec<Diagnostic>,
) {
    // Anchors each linked document offers: headings, list items, risk
    // points (made only for documents some link points into).
    let anchors_of = |j: usize| -> HashSet<String> {
        let mut set: HashSet<String> = bodies[j].headings.iter().map(|h| h.id.clone()).collect();
        match &model.docs[j].typed {
            Typed::List { items, .. } => set.extend(items.iter().map(|i| format!("item-{}", i.id))),
            Typed::Warning { risks, .. } => {
                set.extend((1..=risks.len()).map(|n| format!("risk-{n}")))
            }
            _ => {}
        }
        set
    };
    let mut anchors: std::collections::HashMap<usize, HashSet<String>> =
        std::collections::HashMap::new();
    let mut check = |rel: &str, body: &str, body_line: usize, r: &Rendered| {
        for l in &r.links {
            let (line, col) = crate::source::frontmatter::line_col(body, l.offset);
            let (line, col) = (body_line + line, col + 1);
            if l.no_slash {
                diags.push(
                    Diagnostic::warning(
                        rel,
                        "链接",
                        format!("站内链接 @{} 少了 @ 后面的 /", l.target),
                    )
                    .at(line, col)
                    .hint(format!("请写成 @/{}", l.target)),
                );
            }
            match model.by_key.get(&l.target) {
                None if model.section_of_index(&l.target).is_some() => {}
                None => {
                    if let Some((severity, message, hint)) =
                        crate::model::missing_target(&l.target, &model.by_key, &model.unpublished)
                    {
                        diags.push(Diagnostic {
                            severity,
                            ..Diagnostic::error(rel, "链接", message)
                                .at(line, col)
                                .hint(hint)
                        });
                    }
                }
                Some(&j) => {
                    let Some(a) = &l.anchor else { continue };
                    let offered = anchors.entry(j).or_insert_with(|| anchors_of(j));
                    if !offered.contains(a) {
                        let mut options: Vec<&str> = offered.iter().map(String::as_str).collect();
                        options.sort_unstable();
                        diags.push(
                            Diagnostic::error(
                                rel,
                                "链接",
                                format!("content/{} 中没有锚点 #{a}", l.target),
                            )
                            .at(line, col)
                            .hint(crate::diag::did_you_mean(a, options)),
                        );
                    }
                }
            }
        }
        body_problems(model, rel, body, body_line, r, diags);
    };
    for (d, r) in model.docs.iter().zip(bodies) {
        check(&d.rel, &d.body, d.body_line, r);
    }
    for (k, r) in section_bodies {
        if let Some(s) = model.sections.get(k) {
            check(&s.rel, &s.body, s.body_line, r);
        }
    }
}
/// What else a body's Markdown holds that a clerk should hear of: relative
/// links to `.md` sources (an error, with the `@/` form), table rows wider
/// than their header, unsafe link addresses that were dropped, and raw-text
/// elements (`<style>`, `<textarea>` …) left open.
fn body_problems(
    model: &Model,
    rel: &str,
    body: &str,
    body_line: usize,
    r: &Rendered,
    diags: &mut Vec<Diagnostic>,
) {
    // The file line and column of a byte offset in the body.
    let at = |offset: usize| {
        let (line, col) = crate::source::frontmatter::line_col(body, offset);
        (body_line + line, col + 1)
    };
    for s in &r.source_links {
        let (line, col) = at(s.offset);
        let (path, anchor) = s
            .url
            .split_once('#')
            .map_or((s.url.as_str(), ""), |(p, a)| (p, a));
        let resolved = source_target(rel, path)
            .filter(|t| model.by_key.contains_key(t) || model.section_of_index(t).is_some());
        let hint = match resolved {
            Some(t) if anchor.is_empty() => format!("请写成 @/{t}"),
            Some(t) => format!("请写成 @/{t}#{anchor}"),
            None => {
                "站内文档请写成 @/ 加 content 下的路径，例如 @/lists/scjg/2024-exempt.md".into()
            }
        };
        diags.push(
            Diagnostic::error(
                rel,
                "链接",
                format!(
                    "链接 {} 指向 Markdown 源文件，发布后打不开",
                    crate::escape::truncate_chars(&s.url, 60)
                ),
            )
            .at(line, col)
            .hint(hint),
        );
    }
    for row in &r.long_rows {
        let (line, col) = at(row.offset);
        diags.push(
            Diagnostic::warning(
                rel,
                "表格",
                format!(
                    "这一行有 {} 格，表头只有 {} 列：多出的 {} 格不会显示",
                    row.cells,
                    row.columns,
                    row.cells - row.columns
                ),
            )
            .at(line, col)
            .hint("在表头补上列名（分隔行 |---| 也要补上），或把多出的内容并入前面的格子"),
        );
    }
    for b in &r.blocked {
        let (line, col) = at(b.offset);
        diags.push(
            Diagnostic::warning(
                rel,
                "链接",
                format!(
                    "已删除不安全的链接地址“{}”",
                    crate::escape::truncate_chars(&b.url, 40)
                ),
            )
            .at(line, col)
            .hint("链接只能使用 http、https、mailto、tel 或站内地址"),
        );
    }
    for u in &r.unclosed {
        let (line, col) = at(u.offset);
        let tag = u.tag;
        let (message, fix) = match tag {
            // Nothing ends it.
            "plaintext" => (
                "<plaintext> 之后的正文不再排版，连同 HTML 标签原样显示".to_string(),
                "删除 <plaintext>（它没有结束标签）".to_string(),
            ),
            "script" | "style" => (
                format!("<{tag}> 没有结束标签 </{tag}>，其后的正文全部不会显示"),
                format!("在应结束处补上 </{tag}>"),
            ),
            _ => (
                format!(
                    "<{tag}> 没有结束标签 </{tag}>，其后的正文不再排版，连同 HTML 标签原样显示"
                ),
                format!("在应结束处补上 </{tag}>"),
            ),
        };
        diags.push(
            Diagnostic::warning(rel, "HTML", message)
                .at(line, col)
                .hint(format!(
                    "{fix}；如果只是想显示“<{tag}>”这几个字，写成 \\<{tag}> 或放进反引号 `<{tag}>`"
                )),
        );
    }
}
