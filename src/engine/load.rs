//! The full path's first half: settings, sources, versions, the model and
//! the Markdown bodies, each part read again only if an edit touched it.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::fingerprint;
use super::{Body, BodyMeta, Change, Current, Engine, Source};
use crate::config::Config;
use crate::content::{self, Parsed};
use crate::diag::{Diagnostic, Severity};
use crate::hash::fp_of;
use crate::markdown::{self, Rendered};
use crate::model::Model;
use crate::render::Theme;
use crate::search::Synonyms;

/// What the full path loaded, before its pages are rendered.
pub(super) struct Loaded {
    pub(super) current: Current,
    /// Every diagnostic of the build.
    pub(super) diags: Vec<Diagnostic>,
    pub(super) meta: Vec<BodyMeta>,
    /// Content files and attachments (output paths) changed or new.
    pub(super) assets_touched: HashSet<String>,
    /// Each attachment's output path and content fingerprint, remembered
    /// once the build is published (see [`Engine::attached`]).
    pub(super) attached: HashMap<String, u64>,
}

impl Engine {
    /// Load, model and Markdown, cached parts reused. `Err` holds the
    /// diagnostics when there are errors.
    pub(super) fn full_load(&mut self, changes: &[Change]) -> Result<Loaded, Vec<Diagnostic>> {
        let lap = Lap::new();
        // Texts recurring across the sources and versions parsed below are
        // shared (see `crate::intern`); the pool goes when the load ends.
        let _texts = crate::intern::Scope::begin();
        let root = self.opts.root.clone();
        let first = self.settings.config.is_none();
        let reread_history = first || changes.contains(&Change::History);
        let mut diags = Vec::new();
        // Git history is read by one `git log` while the files are parsed.
        let (history, sources) = std::thread::scope(|s| {
            let git = reread_history.then(|| s.spawn(|| crate::history::read(&root)));
            let sources = self
                .settings(changes, &mut diags)
                .map(|config| (self.sources(changes, &config, &mut diags), config));
            let history = git.map(|g| g.join().unwrap_or_else(|_| (None, Vec::new())));
            (history, sources)
        });
        if let Some((history, notices)) = history {
            self.set_history(history, notices);
        }
        let Some((Some((loaded, source_diags, mut assets_touched)), config)) = sources else {
            if self.settings.config_syntax {
                super::checks::syntax_only(&root, &mut diags);
            }
            return Err(diags);
        };
        lap.at("load");
        let versions = self.versions(&loaded, &config, &mut diags);
        lap.at("versions");
        // `[history] git = false`: only the list texts above come from git.
        let history = self
            .settings
            .history
            .as_deref()
            .filter(|_| config.history.git);
        let mut model = Model::new(config, loaded, history, self.opts.today, &mut diags);
        model.attach_versions(versions);
        if self.opts.freshness {
            super::checks::freshness(&model, &mut diags);
        }
        let attached = if self.keep {
            let attached = fingerprint::attachments(&model);
            assets_touched.extend(
                attached
                    .iter()
                    .filter(|(out, fp)| self.attached.get(*out) != Some(fp))
                    .map(|(out, _)| out.clone()),
            );
            attached
        } else {
            HashMap::new()
        };
        lap.at("model");
        let urls = model.url_map();
        let (rendered, meta) = self.bodies(&model, &urls);
        let section_bodies = super::checks::render_section_bodies(&model, &urls);
        let mut link_diags = Vec::new();
        super::checks::check_links(&model, &rendered, &section_bodies, &mut link_diags);
        if !self.keep {
            // A one-off build needs no Markdown source past this point.
            model.drop_sources();
        }
        if let Some(t) = &self.settings.theme {
            super::checks::output_collisions(&model, &t.static_origins, &mut diags);
        }
        let base_diags = diags.clone();
        diags.extend(source_diags);
        diags.extend(link_diags);
        lap.at("markdown");
        let theme = match &self.settings.theme {
            Some(t) if !diags.iter().any(|d| d.severity == Severity::Error) => Arc::clone(t),
            _ => {
                self.keep_bodies(&model, Arc::new(rendered), meta);
                return Err(diags);
            }
        };
        let html_fps: Vec<u64> = meta.iter().map(|m| m.2).collect();
        let src_fp = |key: &str| self.sources.get(key).map_or(0, |s| s.fp);
        let settings = (self.settings.config_fp, self.settings.history_fp);
        let data_fps: Vec<u64> = (0..model.docs.len())
            .map(|i| fingerprint::data_fp(&model, i, &src_fp, html_fps[i], settings))
            .collect();
        let section_fps = fingerprint::section_fps(&model, &section_bodies, &src_fp);
        let summaries = self.summaries(&model, &rendered, &data_fps);
        lap.at("summaries");
        Ok(Loaded {
            current: Current {
                model: Arc::new(model),
                bodies: Arc::new(rendered),
                section_bodies: Arc::new(section_bodies),
                theme,
                synonyms: self.settings.synonyms.clone(),
                summaries,
                html_fps,
                data_fps,
                // Only a patch needs them (a one-off build's peak memory).
                urls: Arc::new(if self.keep { urls } else { HashMap::new() }),
                section_fps,
                global: 0,
                site_fps: fingerprint::SiteFps::default(),
                dependents: Arc::default(),
                base_diags,
            },
            diags,
            meta,
            assets_touched,
            attached,
        })
    }

    /// `site.toml`, `synonyms.toml` and the theme, read again if changed.
    /// The configuration with the base URL applied; `None` when it has
    /// errors.
    fn settings(&mut self, changes: &[Change], diags: &mut Vec<Diagnostic>) -> Option<Config> {
        let root = self.opts.root.clone();
        let st = &mut self.settings;
        if st.config.is_none() || changes.contains(&Change::Config) {
            st.config = None;
            st.theme = None;
            self.sources.clear();
            self.assets.clear();
            self.attached.clear();
            self.bodies.clear();
            self.summaries.clear();
            self.versions.clear();
            // Read for their fingerprint only if the link rule lets them
            // be read at all (`Config::load` reports it).
            let confine = crate::confine::Confine::new(&root);
            let read = |name: &str| {
                let path = root.join(name);
                if confine.input(&path, &mut Vec::new()) {
                    std::fs::read(path).unwrap_or_default()
                } else {
                    Vec::new()
                }
            };
            st.config_fp = fp_of(&(read("site.toml"), read("synonyms.toml")));
            let mut config_diags = Vec::new();
            let config = Config::load(&root, &mut config_diags);
            st.config_syntax = matches!(config, Err(crate::config::NoConfig::Syntax));
            st.config = config.ok();
            st.synonyms = Synonyms::load(&root, &mut config_diags);
            st.config_diags = config_diags;
        }
        if changes.contains(&Change::Theme) {
            st.theme = None;
        }
        diags.extend(st.config_diags.iter().cloned());
        let mut config = st.config.clone()?;
        super::checks::apply_base_url(&mut config, &self.opts);
        if st.theme.is_none() {
            let mut td = Vec::new();
            let mut theme = Theme::load(&root, &config.theme, config.theme_line, &mut td);
            if let Some(t) = &mut theme {
                crate::search::compact_runtime(&mut t.statics);
                st.statics_fp = fp_of(&t.statics);
            }
            st.theme = theme.map(Arc::new);
            st.theme_diags = td;
        }
        diags.extend(st.theme_diags.iter().cloned());
        Some(config)
    }

    fn set_history(&mut self, history: Option<crate::history::History>, notices: Vec<String>) {
        let st = &mut self.settings;
        st.history_fp = history.as_ref().map_or(0, |h| {
            let mut files: Vec<_> = h.files.iter().collect();
            files.sort_by(|a, b| a.0.cmp(b.0));
            fp_of(&format!("{files:?}"))
        });
        st.history = history.map(Arc::new);
        st.notices = notices;
        self.versions.clear();
        self.summaries.clear();
    }

    /// Walks the tree and parses what changed or is new. `None` when there
    /// is no `content/` folder.
    fn sources(
        &mut self,
        changes: &[Change],
        config: &Config,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(content::Loaded, Vec<Diagnostic>, HashSet<String>)> {
        let root = self.opts.root.clone();
        if !self.keep {
            // Nothing is kept for later: the same walk, parse and assembly
            // without the cache.
            let mut loaded = content::load(&root, config, self.opts.drafts, diags);
            super::checks::hold_future(&mut loaded, &self.opts);
            return Some((loaded, Vec::new(), HashSet::new()));
        }
        let touched = Touched::new(changes);
        // Edits of files already known leave the tree's shape as it was.
        let same_shape = !touched.all
            && self.walk.is_some()
            && touched
                .paths
                .iter()
                .all(|p| self.sources.contains_key(p) && plain_file(&root.join("content").join(p)));
        let walked = match (&self.walk, same_shape) {
            (Some((w, d)), true) => {
                diags.extend(d.iter().cloned());
                w.clone()
            }
            _ => {
                let mut walk_diags = Vec::new();
                let Some(w) = content::walk(&root, &mut walk_diags) else {
                    self.walk = None;
                    diags.extend(walk_diags);
                    return None;
                };
                diags.extend(walk_diags.iter().cloned());
                self.walk = Some((w.clone(), walk_diags));
                w
            }
        };
        let mut seen = HashSet::new();
        let stale: Vec<&(PathBuf, String)> = walked
            .md
            .iter()
            .filter(|(_, below)| {
                seen.insert(below.clone());
                // A source is read again when it or a file it attaches changed.
                self.sources
                    .get(below)
                    .is_none_or(|s| touched.hit(below) || s.attached.iter().any(|a| touched.hit(a)))
            })
            .collect();
        let fresh: Vec<(String, Source)> = stale
            .par_iter()
            .map(|(path, below)| (below.clone(), parse(&root, path, below, config)))
            .collect();
        self.sources.extend(fresh);
        self.sources.retain(|k, _| seen.contains(k));
        let parsed: Vec<(String, Option<Parsed>, Vec<Diagnostic>)> = walked
            .md
            .iter()
            .filter_map(|(_, below)| {
                let s = self.sources.get(below)?;
                Some((below.clone(), s.parsed.clone(), s.diags.clone()))
            })
            .collect();
        let mut source_diags = Vec::new();
        let mut loaded =
            content::assemble(parsed, walked.assets, self.opts.drafts, &mut source_diags);
        // Content files as published (attached files are not): one no
        // longer attached is copied again like a new one.
        let assets_touched: HashSet<String> = loaded
            .assets
            .iter()
            .filter(|a| touched.hit(&a.out) || !self.assets.contains(&a.out))
            .map(|a| a.out.clone())
            .collect();
        self.assets = loaded.assets.iter().map(|a| a.out.clone()).collect();
        super::checks::hold_future(&mut loaded, &self.opts);
        Some((loaded, source_diags, assets_touched))
    }

    /// The versions of every list from git, read for lists not seen before.
    fn versions(
        &mut self,
        loaded: &content::Loaded,
        config: &Config,
        diags: &mut Vec<Diagnostic>,
    ) -> HashMap<String, Vec<crate::versions::Version>> {
        if let Some(h) = &self.settings.history {
            let new: Vec<&content::Document> = loaded
                .documents
                .iter()
                .filter(|d| matches!(d.typed, content::Typed::List { .. }))
                .filter(|d| !self.versions.contains_key(&d.rel))
                .map(|d| &**d)
                .collect();
            if !new.is_empty() {
                let root = &self.opts.root;
                let mut read = crate::versions::read(root, h, &new, &loaded.unpublished, config);
                if !config.history.git {
                    crate::versions::forget_commits(&mut read);
                }
                for d in &new {
                    self.versions.insert(d.rel.clone(), Vec::new());
                }
                self.versions.extend(read);
            }
        }
        let mut versions = HashMap::new();
        for d in &loaded.documents {
            if let Some(v) = self.versions.get(&d.rel).filter(|v| !v.is_empty()) {
                crate::versions::check(&d.rel, v, diags);
                versions.insert(d.rel.clone(), v.clone());
            }
        }
        versions
    }

    /// Markdown: bodies whose text or links' targets changed.
    fn bodies(
        &mut self,
        model: &Model,
        urls: &HashMap<String, String>,
    ) -> (Vec<Rendered>, Vec<BodyMeta>) {
        let trust = model.config.trust_html;
        let keep = self.keep;
        let mut cache = std::mem::take(&mut self.bodies);
        let sources = &self.sources;
        let bodies: Vec<Body> = model
            .docs
            .iter()
            .map(|d| {
                let text_fp = fp_of(&(sources.get(&d.key).map_or(0, |s| s.fp), trust));
                match cache.remove(&d.key) {
                    Some(b)
                        if b.text_fp == text_fp
                            && b.links.iter().all(|(t, u)| urls.get(t) == u.as_ref()) =>
                    {
                        Ok(b)
                    }
                    _ => Err(text_fp),
                }
            })
            .collect::<Vec<_>>()
            .into_par_iter()
            .zip(model.docs.par_iter())
            .map(|(cached, d)| match cached {
                Ok(b) => b,
                Err(text_fp) => body(&d.body, urls, trust, text_fp, keep),
            })
            .collect();
        bodies
            .into_iter()
            .map(|b| (b.rendered, (b.text_fp, b.links, b.html_fp)))
            .unzip()
    }

    /// Listing values, those whose document's data is unchanged from the
    /// cache.
    fn summaries(
        &mut self,
        model: &Model,
        rendered: &[Rendered],
        data_fps: &[u64],
    ) -> Vec<tera::Value> {
        let mut old = std::mem::take(&mut self.summaries);
        let cached: Vec<Option<tera::Value>> = model
            .docs
            .iter()
            .zip(data_fps)
            .map(|(d, &fp)| match old.remove(&d.key) {
                Some((f, v)) if f == fp => Some(v),
                _ => None,
            })
            .collect();
        let values = crate::render::summary_values(model, rendered, cached);
        if self.keep {
            self.summaries = model
                .docs
                .iter()
                .zip(data_fps)
                .zip(&values)
                .map(|((d, &fp), v)| (d.key.clone(), (fp, v.clone())))
                .collect();
        }
        values
    }
}

/// Renders one body; its fingerprints only when kept for later builds.
pub(super) fn body(
    text: &str,
    urls: &HashMap<String, String>,
    trust: bool,
    text_fp: u64,
    keep: bool,
) -> Body {
    let rendered = markdown::render(text, urls, trust);
    let links = if keep {
        rendered
            .links
            .iter()
            .map(|l| (l.target.clone(), urls.get(&l.target).cloned()))
            .collect()
    } else {
        Vec::new()
    };
    Body {
        text_fp,
        links,
        html_fp: if keep {
            fp_of(&(&rendered.html, &rendered.first_paragraph))
        } else {
            0
        },
        rendered,
    }
}

/// Paths below `content/` an edit touched (a folder stands for everything
/// below it).
struct Touched {
    all: bool,
    paths: Vec<String>,
}

impl Touched {
    fn new(changes: &[Change]) -> Touched {
        let mut t = Touched {
            all: false,
            paths: Vec::new(),
        };
        for c in changes {
            match c {
                Change::Content(p) if p.is_empty() => t.all = true,
                Change::Content(p) => t.paths.push(p.clone()),
                _ => {}
            }
        }
        t
    }

    fn hit(&self, below: &str) -> bool {
        self.all
            || self.paths.iter().any(|p| {
                below == p
                    || (below.len() > p.len()
                        && below.starts_with(p.as_str())
                        && below.as_bytes()[p.len()] == b'/')
            })
    }
}

/// A file that is not a link: one a quick rebuild may read again without
/// walking. An edit that made it a link takes the full path, whose walk
/// holds links to the rule of [`crate::confine`].
pub(super) fn plain_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// Reads and parses one source file, and checks the files it attaches:
/// their contents are part of its fingerprint (the page shows their
/// sizes), and an edit of one of them reads the source again.
pub(super) fn parse(root: &Path, path: &Path, below: &str, config: &Config) -> Source {
    match content::read_source(root, path) {
        Ok(text) => {
            let rel = crate::diag::rel(root, path);
            let (mut parsed, mut diags) = content::parse_text(&text, &rel, below, config);
            diags.extend(content::check_attachments(root, &rel, &mut parsed, true));
            let attachments = match &parsed {
                Some(Parsed::Doc(d)) => d.attachments.as_slice(),
                _ => &[],
            };
            let files: Vec<(&str, u64)> = attachments
                .iter()
                .map(|a| (a.below.as_str(), a.fp))
                .collect();
            Source {
                fp: fp_of(&(below, &text, &files)),
                attached: files.iter().map(|(b, _)| b.to_string()).collect(),
                parsed,
                diags,
            }
        }
        Err(d) => Source {
            fp: fp_of(&(below, d.to_string())),
            attached: Vec::new(),
            parsed: None,
            diags: vec![d],
        },
    }
}

/// Phase timings on stderr when `GONGSHI_TIMINGS` is set (for profiling):
/// each phase's own wall and CPU time, as `  name: N ms (cpu M ms)` (the
/// form `bench/history.py` reads), then the resident memory at its end and
/// the peak so far (`, rss R MB, peak P MB`). The build's driver times its
/// phases with the same laps.
pub(crate) struct Lap {
    last: Option<(Cell<Instant>, Cell<u64>)>,
}

impl Lap {
    pub(crate) fn new() -> Lap {
        Lap {
            last: std::env::var_os("GONGSHI_TIMINGS")
                .map(|_| (Cell::new(Instant::now()), Cell::new(cpu_ms()))),
        }
    }

    pub(crate) fn at(&self, what: &str) {
        if let Some((last, last_cpu)) = &self.last {
            let (now, cpu) = (Instant::now(), cpu_ms());
            let (rss, peak) = rss_mb();
            eprintln!(
                "  {what}: {} ms (cpu {} ms), rss {rss} MB, peak {peak} MB",
                now.duration_since(last.get()).as_millis(),
                cpu.saturating_sub(last_cpu.get())
            );
            last.set(now);
            last_cpu.set(cpu);
        }
    }
}

/// The process's resident memory now and at its peak, in MB (Linux; 0
/// elsewhere).
fn rss_mb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
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
