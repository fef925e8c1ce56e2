//! The whole build, as a story: load → check → render → write.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Typed};
use crate::date::Date;
use crate::diag::{Diagnostic, Severity};
use crate::markdown::{self, Rendered};
use crate::model::Model;
use crate::output::{self, Output};
use crate::render::{self, Theme};

/// Resolved options for one build: CLI flags and `site.toml` merged.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Also build documents dated after `today` (a preview).
    pub future: bool,
    /// Add the freshness warnings of site inspections (`gongshi check`).
    pub freshness: bool,
    /// Render everything but write nothing (`gongshi check`).
    pub dry_run: bool,
    /// Replace an output folder that holds files gongshi did not write
    /// (`build --force`).
    pub force: bool,
    pub today: Date,
}

/// What a finished build reports.
#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    pub files: usize,
    pub bytes: u64,
    /// Warnings (and, on failure, errors), sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Facts about the build worth telling (no git history, a shallow clone).
    pub notices: Vec<String>,
    /// The output could not be written or put in place.
    pub output_failure: Option<OutputFailure>,
}

/// Why a build whose content was fine did not replace the output.
#[derive(Debug)]
pub struct OutputFailure {
    /// One message for the whole failure (a full disk is one, not one per file).
    pub message: String,
    /// The previous output is exactly as it was.
    pub kept: bool,
}

impl Report {
    pub fn failed(&self) -> bool {
        self.output_failure.is_some()
            || self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
    }
}

/// Builds the site. On any error nothing is written and the report lists
/// every problem found.
pub fn build(opts: &BuildOptions) -> Report {
    let timer = Timer::new();
    let mut diags = Vec::new();
    let config = Config::load(&opts.root, &mut diags);
    let Some(mut config) = config else {
        return fail(diags);
    };
    apply_base_url(&mut config, opts);
    // Git history is read by one `git log` while the files are parsed.
    let ((history, notices), loaded) = std::thread::scope(|s| {
        let git = s.spawn(|| crate::history::read(&opts.root));
        let loaded = content::load(&opts.root, &config, opts.drafts, &mut diags);
        (git.join().unwrap_or_else(|_| (None, Vec::new())), loaded)
    });
    let synonyms = crate::search::Synonyms::load(&opts.root, &mut diags);
    let mut loaded = loaded;
    hold_future(&mut loaded, opts);
    timer.lap("load");
    let theme = Theme::load(&opts.root, &config.theme, config.theme_line, &mut diags);
    let versions = match &history {
        Some(h) => {
            let lists: Vec<&content::Document> = loaded
                .documents
                .iter()
                .filter(|d| matches!(d.typed, crate::content::Typed::List { .. }))
                .map(|d| &**d)
                .collect();
            let mut v = crate::versions::read(&opts.root, h, &lists, &loaded.unpublished, &config);
            if !config.history.git {
                crate::versions::forget_commits(&mut v);
            }
            for (rel, vs) in &v {
                crate::versions::check(rel, vs, &mut diags);
            }
            v
        }
        None => Default::default(),
    };
    timer.lap("versions");
    // `[history] git = false`: commits' dates and notes are not this site's
    // publication history; only the list texts they hold are used.
    let (history, mut notices) = if config.history.git {
        (history, notices)
    } else {
        (None, Vec::new())
    };
    let mut model = Model::new(config, loaded, history.as_ref(), opts.today, &mut diags);
    model.attach_versions(versions);
    if let Some(t) = &theme {
        output_collisions(&model, &t.static_origins, &mut diags);
    }
    if opts.freshness {
        freshness(&model, &mut diags);
    }
    timer.lap("model");
    let (bodies, section_bodies) = render_bodies(&model, &mut diags);
    model.drop_sources();
    timer.lap("markdown");
    let Some(mut theme) = theme else {
        return fail(diags);
    };
    crate::search::compact_runtime(&mut theme.statics);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return fail(diags);
    }

    let shown = opts.output.display().to_string();
    let out = if opts.dry_run {
        Output::dry()
    } else {
        // `gongshi build` checked the output already; this is for library
        // callers, and for a folder changed since.
        let begun = match output::target(&opts.root, &opts.output, opts.force) {
            Ok(t) => Output::begin(&t.real).map_err(|e| output::failure_message(&e, &shown)),
            Err(output::Refusal::Usage(m) | output::Refusal::Io(m)) => Err(m),
        };
        match begun {
            Ok(o) => o,
            Err(message) => return fail_output(diags, message, true),
        }
    };
    let inputs = render::Inputs {
        model: &model,
        bodies: &bodies,
        section_bodies: &section_bodies,
        theme: &theme,
    };
    // The pages and the search index are built side by side: each has
    // stretches that keep only one core busy.
    let (pages, search) = rayon::join(
        || render::site(&inputs, &out),
        || (!opts.dry_run).then(|| crate::search::write(&model, &bodies, &synonyms, &out)),
    );
    if let Some(e) = out.exhausted() {
        // Every write after the first refused one failed the same way.
        let message = output::failure_message(e, &shown);
        diags.retain(|d| d.field != "输出");
        return fail_output(diags, message, true);
    }
    if let Err(errs) = pages {
        diags.extend(errs);
        return fail(diags);
    }
    match search {
        Some(Ok(stats)) if timer.on => eprintln!("  search index: {stats:?}"),
        Some(Err(e)) => {
            diags.push(e);
            return fail(diags);
        }
        _ => {}
    }
    timer.lap("render and search");
    let (files, bytes) = (out.files(), out.bytes());
    match out.commit() {
        Ok(None) => {}
        Ok(Some(e)) => notices.push(format!(
            "新网站已生成，但旧的输出没能删除（{e}）；下次生成时会再删除。"
        )),
        Err(c) => {
            let mut message = output::failure_message(&c.error, &shown);
            if let Some(old) = &c.moved_to {
                message.push_str(&format!(
                    "。原来的网站已移到 {}，请把它改名回 {shown}",
                    old.display()
                ));
            }
            return fail_output(diags, message, c.moved_to.is_none());
        }
    }
    timer.lap("commit");
    sort(&mut diags);
    Report {
        notices,
        output_failure: None,
        documents: model.docs.len(),
        files,
        bytes,
        diagnostics: diags,
    }
}

/// `--base-url` (or the preview's address) replaces `site.toml`'s.
pub(crate) fn apply_base_url(config: &mut Config, opts: &BuildOptions) {
    if let Some(url) = &opts.base_url {
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
}

/// Scheduled documents wait for the first build on their date (unless
/// `--future`).
pub(crate) fn hold_future(loaded: &mut content::Loaded, opts: &BuildOptions) {
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

pub(crate) fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, &a.field, &a.message)
            .cmp(&(&b.path, b.line, b.col, &b.field, &b.message))
    });
    diags.dedup();
}

fn fail_output(diags: Vec<Diagnostic>, message: String, kept: bool) -> Report {
    Report {
        output_failure: Some(OutputFailure { message, kept }),
        ..fail(diags)
    }
}

fn fail(mut diags: Vec<Diagnostic>) -> Report {
    sort(&mut diags);
    Report {
        diagnostics: diags,
        ..Report::default()
    }
}

/// The freshness rules government-website inspections apply, as warnings:
/// a risk warning past its `valid_until`, and a typed section with nothing
/// new for six months (栏目长期未更新).
fn freshness(model: &Model, diags: &mut Vec<Diagnostic>) {
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
        if model.today.to_days() - newest.to_days() > 183 {
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
                        "栏目“{}”自 {} 以来超过六个月没有新内容",
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
pub(crate) fn output_collisions(
    model: &Model,
    statics: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) {
    // (output path, source, whether from a page: page/page clashes at the
    // same path are the model's duplicate-URL error already).
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
        (folder(&s.key), src, true)
    });
    let docs = model
        .docs
        .iter()
        .map(|d| (format!("{}index.html", d.url), d.rel.clone(), true));
    let assets = model
        .assets
        .iter()
        .map(|a| (a.out.clone(), format!("content/{}", a.out), false));
    // Built-in files first, so the error lands on the site's own file.
    let builtin = |o: &str| o.starts_with("themes/default/static/");
    let statics = statics
        .iter()
        .filter(|(_, o)| builtin(o))
        .chain(statics.iter().filter(|(_, o)| !builtin(o)))
        .map(|(name, origin)| (name.clone(), origin.clone(), false));
    let mut seen: std::collections::HashMap<String, (String, String, bool)> =
        std::collections::HashMap::new();
    for (out, src, page) in sections.chain(docs).chain(assets).chain(statics) {
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
                diags.push(Diagnostic::error(src, "路径", message).at(1, 1).hint(hint));
            }
        }
    }
}

/// Renders every Markdown body in parallel, then checks `@/` links and their
/// anchors against the whole site.
fn render_bodies(
    model: &Model,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Rendered>, BTreeMap<String, Rendered>) {
    let urls = model.url_map();
    let trust = model.config.trust_html;
    let bodies: Vec<Rendered> = model
        .docs
        .par_iter()
        .map(|d| markdown::render(&d.body, &urls, trust))
        .collect();
    let section_bodies = render_section_bodies(model, &urls);
    check_links(model, &bodies, &section_bodies, diags);
    (bodies, section_bodies)
}

/// Renders the sections' `_index.md` bodies.
pub(crate) fn render_section_bodies(
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

/// Checks `@/` links and their anchors against the whole site; reports
/// unsafe link addresses that were dropped.
pub(crate) fn check_links(
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
            let (line, col) = content::frontmatter::line_col(body, l.offset);
            let (line, col) = (body_line + line, col + 1);
            match model.by_key.get(&l.target) {
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
        for b in &r.blocked {
            let (line, col) = content::frontmatter::line_col(body, b.offset);
            diags.push(
                Diagnostic::warning(
                    rel,
                    "链接",
                    format!(
                        "已删除不安全的链接地址“{}”",
                        crate::render::context::truncate_chars(&b.url, 40)
                    ),
                )
                .at(body_line + line, col + 1)
                .hint("链接只能使用 http、https、mailto、tel 或站内地址"),
            );
        }
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

/// Phase timings on stderr when `GONGSHI_TIMINGS` is set (for profiling).
struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
    cpu: std::cell::Cell<u64>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("GONGSHI_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
            cpu: std::cell::Cell::new(0),
        }
    }

    fn lap(&self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let cpu = cpu_ms();
            eprintln!(
                "  {what}: {} ms (cpu {} ms)",
                now.duration_since(self.last.get()).as_millis(),
                cpu.saturating_sub(self.cpu.get())
            );
            self.last.set(now);
            self.cpu.set(cpu);
        }
    }
}

/// The process's user + system time so far, in ms (Linux; 0 elsewhere).
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<u64>() * 10
}
