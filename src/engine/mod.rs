//! The build engine: one object that owns the loaded sources, the model,
//! the rendered bodies and the fingerprints of every page's inputs, and
//! runs load → model → Markdown → render over them.
//!
//! It has two drivers. `gongshi build` ([`crate::site::build`]) runs it once
//! from nothing: [`Engine::load`], then [`Engine::render_all`] into the
//! output, which the driver commits. `gongshi serve` ([`crate::live`])
//! keeps it alive and feeds it changes through [`Engine::update`], which
//! re-reads only the files an edit touched, makes the model again (or,
//! for edits of documents' own data, patches the last one) and renders
//! only the pages whose fingerprint changed; the driver publishes them and
//! builds the background outputs from [`Engine::current`]. Whatever the
//! sequence of edits, the pages equal a clean build's (tested with random
//! edit sequences in `tests/testsuite/live/`).

mod checks;
mod fingerprint;
mod load;
mod patch;
mod render;

pub(crate) use load::Lap;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::{self, Parsed};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::history::History;
use crate::markdown::Rendered;
use crate::model::Model;
use crate::render::{JobKey, Theme};
use crate::search::Synonyms;
use fingerprint::SiteFps;

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

/// Diagnostics in the order they are reported: by file, line and column.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, &a.field, &a.message)
            .cmp(&(&b.path, b.line, b.col, &b.field, &b.message))
    });
    diags.dedup();
}

/// What an edit touched, sorted by where it happened.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// A file or folder below `content/` (its path below it; `""` for all).
    Content(String),
    /// Templates or static files of the theme or the site.
    Theme,
    /// `site.toml` or `synonyms.toml`: everything is read again.
    Config,
    /// New commits: the history is read again.
    History,
}

/// The site as the engine last made it: what every output is rendered from.
pub struct Current {
    pub model: Arc<Model>,
    /// Rendered bodies, aligned with `model.docs`.
    pub bodies: Arc<Vec<Rendered>>,
    pub section_bodies: Arc<BTreeMap<String, Rendered>>,
    pub theme: Arc<Theme>,
    pub synonyms: Synonyms,
    /// Each document's listing value (see [`crate::render::summary_value`]).
    summaries: Vec<tera::Value>,
    html_fps: Vec<u64>,
    data_fps: Vec<u64>,
    urls: Arc<HashMap<String, String>>,
    section_fps: HashMap<String, u64>,
    global: u64,
    site_fps: SiteFps,
    /// The pages that show each document (made by the full path).
    dependents: Arc<fingerprint::Dependents>,
    /// Diagnostics besides sources' and links' own.
    base_diags: Vec<Diagnostic>,
}

/// What one [`Engine::update`] made: the pages whose inputs changed, and
/// what the background outputs must make again.
#[derive(Debug, Default)]
pub struct Update {
    /// Pages and static files rendered (path, bytes).
    pub files: Vec<crate::output::File>,
    /// Every page the site has now, when pages may have gone (the full
    /// path); `None` when none did.
    pub pages: Option<HashSet<String>>,
    /// Pages rendered (the rest were unchanged).
    pub rendered: usize,
    /// The quick path was taken (documents' own data changed, nothing moved).
    pub quick: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Facts worth telling once (no git history, a shallow clone).
    pub notices: Vec<String>,
    /// Keys of the lists whose data files changed.
    pub lists: HashSet<String>,
    /// Content files (output paths) changed or new.
    pub assets: HashSet<String>,
}

/// A parsed source file and what its parse reported.
struct Source {
    fp: u64,
    /// The files it attaches, below `content/`.
    attached: Vec<String>,
    parsed: Option<Parsed>,
    diags: Vec<Diagnostic>,
}

/// A rendered body, valid while its text and its links' targets stay.
struct Body {
    text_fp: u64,
    links: Vec<(String, Option<String>)>,
    rendered: Rendered,
    html_fp: u64,
}

/// A cached body's fingerprints and links, beside its rendering.
type BodyMeta = (u64, Vec<(String, Option<String>)>, u64);

/// Settings read once and again only when they change.
#[derive(Default)]
struct Settings {
    config: Option<Config>,
    /// `site.toml` has syntax errors (then `config` is `None`, and only
    /// the documents' syntax is checked).
    config_syntax: bool,
    config_fp: u64,
    synonyms: Synonyms,
    /// What reading `site.toml` and `synonyms.toml` reported.
    config_diags: Vec<Diagnostic>,
    history: Option<Arc<History>>,
    history_fp: u64,
    notices: Vec<String>,
    theme: Option<Arc<Theme>>,
    /// A fingerprint of the theme's static files.
    statics_fp: u64,
    theme_diags: Vec<Diagnostic>,
}

/// The build engine (see the module's documentation).
pub struct Engine {
    opts: BuildOptions,
    /// Later updates will follow: keep fingerprints and caches. A one-off
    /// build skips them.
    keep: bool,
    settings: Settings,
    sources: HashMap<String, Source>,
    /// The last walk of `content/` and what it reported.
    walk: Option<(content::Walked, Vec<Diagnostic>)>,
    /// Content files (not Markdown) copied, by output path.
    assets: HashSet<String>,
    /// Attachments published by the last successful update: output path →
    /// fingerprint of the file's content and place. One that differs (or is
    /// new) is copied again.
    attached: HashMap<String, u64>,
    versions: HashMap<String, Vec<crate::versions::Version>>,
    bodies: HashMap<String, Body>,
    summaries: HashMap<String, (u64, tera::Value)>,
    /// Each page's input fingerprint and output path, as last rendered.
    pages: HashMap<JobKey, (u64, String)>,
    /// List key → fingerprint its data files were written with.
    lists: HashMap<String, u64>,
    /// The last successful build.
    current: Option<Current>,
}

impl Engine {
    /// An engine for `opts.root` that will be fed changes (a live preview).
    /// The first [`Engine::update`] builds everything.
    pub fn new(opts: BuildOptions) -> Engine {
        Engine {
            opts,
            keep: true,
            settings: Settings::default(),
            sources: HashMap::new(),
            walk: None,
            assets: HashSet::new(),
            attached: HashMap::new(),
            versions: HashMap::new(),
            bodies: HashMap::new(),
            summaries: HashMap::new(),
            pages: HashMap::new(),
            lists: HashMap::new(),
            current: None,
        }
    }

    /// Loads the whole site once, for one build: the model, bodies and
    /// every check. `Err` holds the diagnostics when there are errors.
    pub fn load(opts: BuildOptions) -> (Engine, Result<Vec<Diagnostic>, Vec<Diagnostic>>) {
        let mut engine = Engine {
            keep: false,
            ..Engine::new(opts)
        };
        let loaded = engine.full_load(&[Change::Content(String::new())]);
        let result = match loaded {
            Ok(l) => {
                let diags = l.diags;
                engine.current = Some(l.current);
                Ok(diags)
            }
            Err(diags) => Err(diags),
        };
        (engine, result)
    }

    /// The options the engine was made with.
    pub fn opts(&self) -> &BuildOptions {
        &self.opts
    }

    /// The site as last built successfully.
    pub fn current(&self) -> Option<&Current> {
        self.current.as_ref()
    }

    /// Facts about the history worth telling once (none when the history
    /// is not this site's publication history).
    pub fn notices(&self) -> Vec<String> {
        if self.current_git() {
            self.settings.notices.clone()
        } else {
            Vec::new()
        }
    }

    /// Builds again after `changes`: the quick path when only documents'
    /// own data changed, else the full one with cached parts reused. `Err`
    /// holds the diagnostics when the content has errors; the last good
    /// site stays [`Engine::current`] then, but the next update takes the
    /// full path.
    pub fn update(&mut self, changes: &[Change]) -> Result<Update, Vec<Diagnostic>> {
        if let Some(update) = self.patch(changes) {
            return Ok(update);
        }
        let first = self.settings.config.is_none();
        let result = self.full_load(changes).and_then(|l| self.render_changed(l));
        match result {
            Ok(mut u) => {
                if first {
                    u.notices = self.notices();
                }
                Ok(u)
            }
            Err(mut diags) => {
                self.current = None;
                sort(&mut diags);
                Err(diags)
            }
        }
    }

    /// The last build failed to be published: the next update takes the
    /// full path.
    pub fn forget(&mut self) {
        self.current = None;
    }

    /// Whether the history is this site's publication history.
    fn current_git(&self) -> bool {
        self.settings.config.as_ref().is_some_and(|c| c.history.git)
    }

    /// Puts the rendered bodies back into the cache (cloned only while the
    /// background outputs still hold them).
    fn keep_bodies(&mut self, model: &Model, rendered: Arc<Vec<Rendered>>, meta: Vec<BodyMeta>) {
        if !self.keep {
            return;
        }
        let rendered = Arc::try_unwrap(rendered).unwrap_or_else(|a| (*a).clone());
        self.bodies = model
            .docs
            .iter()
            .zip(rendered.into_iter().zip(meta))
            .map(|(d, (rendered, (text_fp, links, html_fp)))| {
                (
                    d.key.clone(),
                    Body {
                        text_fp,
                        links,
                        rendered,
                        html_fp,
                    },
                )
            })
            .collect();
    }
}
