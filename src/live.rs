//! A live preview's builds (`gongshi serve`): the first one complete, each
//! later one from what changed.
//!
//! Every build of a preview goes through the same steps as `gongshi build`
//! (load → model → Markdown → render), but keeps what it made: parsed
//! sources, rendered bodies, listing values and a fingerprint of every
//! page's inputs. A later build re-reads only the files an edit touched,
//! re-renders only the pages whose fingerprint changed, and writes only the
//! files whose bytes changed. The search index, the slowest part, is rebuilt
//! in the background after the pages are served. Whatever the sequence of
//! edits, the folder served equals a clean `gongshi build` of the same tree
//! (tested with random edit sequences in `tests/testsuite/live.rs`).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, mpsc};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Parsed};
use crate::diag::{Diagnostic, Severity};
use crate::hash::{Fp, fp_bytes, fp_of};
use crate::history::History;
use crate::markdown::{self, Rendered};
use crate::model::Model;
use crate::output::Output;
use crate::render::{self, Job, JobKey, Renderer, Theme};
use crate::search::Synonyms;
use crate::site::BuildOptions;

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

/// What one build of the preview did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// False when the content has errors: the last good site stays served.
    pub ok: bool,
    /// Errors and warnings, sorted, as `gongshi build` reports them.
    pub diagnostics: Vec<Diagnostic>,
    /// Output paths written or removed (pages as `a/b/index.html`).
    pub changed: Vec<String>,
    /// Pages rendered (the rest were unchanged).
    pub rendered: usize,
    pub documents: usize,
    /// The quick path was taken (documents' own data changed, nothing moved).
    pub quick: bool,
    /// Facts worth telling once (no git history, a shallow clone).
    pub notices: Vec<String>,
}

/// A parsed source file and what its parse reported.
struct Source {
    fp: u64,
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

/// The folder being served and what is in it.
struct Served {
    dir: PathBuf,
    /// Pages and static files (path → content hash), written at once.
    pages: HashMap<String, u64>,
    /// The last successful build, and the build the background files match.
    generation: u64,
    slow_generation: u64,
    /// A background build that failed (reported; the previous files kept).
    slow_error: Option<Diagnostic>,
}

/// The state of a live preview.
pub struct Live {
    opts: BuildOptions,
    config: Option<Config>,
    config_fp: u64,
    synonyms: Synonyms,
    history: Option<Arc<History>>,
    history_fp: u64,
    notices: Vec<String>,
    sources: HashMap<String, Source>,
    /// The last walk of `content/` and what it reported.
    walk: Option<(content::Walked, Vec<Diagnostic>)>,
    /// Content files (not Markdown) copied, by output path.
    assets: HashSet<String>,
    theme: Option<Arc<Theme>>,
    /// A fingerprint of the theme's static files.
    statics_fp: u64,
    theme_diags: Vec<Diagnostic>,
    /// What reading `site.toml` and `synonyms.toml` reported.
    config_diags: Vec<Diagnostic>,
    versions: HashMap<String, Vec<crate::versions::Version>>,
    bodies: HashMap<String, Body>,
    summaries: HashMap<String, (u64, tera::Value)>,
    pages: HashMap<JobKey, (u64, String)>,
    /// List key → fingerprint its data files were written with.
    lists: HashMap<String, u64>,
    served: Arc<(Mutex<Served>, Condvar)>,
    slow_tx: mpsc::Sender<SlowTask>,
    /// The last successful build, for edits that only change documents'
    /// own data (see [`Live::patch`]).
    snapshot: Option<Snapshot>,
}

/// The background part of a build: feeds, sitemap, open data, content
/// files and the search index.
struct SlowTask {
    generation: u64,
    model: Arc<Model>,
    bodies: Arc<Vec<Rendered>>,
    section_bodies: Arc<std::collections::BTreeMap<String, Rendered>>,
    theme: Arc<Theme>,
    synonyms: Synonyms,
    /// Keys of the lists whose data files changed.
    lists: HashSet<String>,
    /// Content files (output paths) changed or new.
    assets: HashSet<String>,
}

impl Live {
    /// A preview of `opts.root` served from `opts.output`, which is emptied.
    /// Call [`Live::rebuild`] with `Change::Content("")` for the first build.
    pub fn new(opts: BuildOptions) -> Result<Live, String> {
        let dir = opts.output.clone();
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}：{e}", dir.display()))?;
        // The same folder a build makes, marker included.
        crate::fs::write(
            &dir.join(crate::output::MARKER),
            crate::output::MARKER_TEXT.as_bytes(),
        )
        .map_err(|e| e.to_string())?;
        let served = Arc::new((
            Mutex::new(Served {
                dir,
                pages: HashMap::new(),
                generation: 0,
                slow_generation: 0,
                slow_error: None,
            }),
            Condvar::new(),
        ));
        let (slow_tx, rx) = mpsc::channel::<SlowTask>();
        let worker = Arc::clone(&served);
        std::thread::Builder::new()
            .name("gongshi-background".into())
            .spawn(move || slow_worker(&rx, &worker))
            .map_err(|e| e.to_string())?;
        Ok(Live {
            opts,
            config: None,
            config_fp: 0,
            synonyms: Synonyms::default(),
            history: None,
            history_fp: 0,
            notices: Vec::new(),
            sources: HashMap::new(),
            walk: None,
            assets: HashSet::new(),
            theme: None,
            statics_fp: 0,
            theme_diags: Vec::new(),
            config_diags: Vec::new(),
            versions: HashMap::new(),
            bodies: HashMap::new(),
            summaries: HashMap::new(),
            pages: HashMap::new(),
            lists: HashMap::new(),
            served,
            slow_tx,
            snapshot: None,
        })
    }

    /// The folder served.
    pub fn dir(&self) -> PathBuf {
        self.opts.output.clone()
    }

    /// Blocks until the background files match the last successful build;
    /// returns their error, if their build failed.
    pub fn wait_idle(&self) -> Option<Diagnostic> {
        let (lock, cvar) = &*self.served;
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        while s.slow_generation < s.generation {
            s = cvar.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        s.slow_error.clone()
    }

    /// Puts the rendered bodies back into the cache (cloned only while the
    /// background search index still holds them).
    fn keep_bodies(&mut self, model: &Model, rendered: Arc<Vec<Rendered>>, meta: Vec<BodyMeta>) {
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

    /// Builds again after `changes`.
    pub fn rebuild(&mut self, changes: &[Change]) -> Outcome {
        if let Some(outcome) = self.patch(changes) {
            return outcome;
        }
        let outcome = self.full(changes);
        if !outcome.ok {
            self.snapshot = None;
        }
        outcome
    }

    /// The quick path for the commonest edit: documents whose text or
    /// front matter changed without moving them in the site (same date,
    /// URL, registries, supersession: see [`signature`]). The model is the
    /// last one with those documents replaced; only their pages, the
    /// listing pages that show them and the home page are rendered.
    /// `None` when the edit is anything else (the full path then runs).
    fn patch(&mut self, changes: &[Change]) -> Option<Outcome> {
        let t0 = std::time::Instant::now();
        let snap = self.snapshot.as_ref()?;
        let root = self.opts.root.clone();
        let mut keys: Vec<&str> = Vec::new();
        let mut theme_changed = false;
        for c in changes {
            match c {
                Change::Content(p) if p.ends_with(".md") && !p.ends_with("_index.md") => {
                    keys.push(p)
                }
                Change::Theme => theme_changed = true,
                _ => return None,
            }
        }
        // A template or static file edit: the theme again, then the pages
        // whose template (or the static files' URLs) changed.
        let (theme, statics_fp) = if theme_changed {
            let config = &snap.model.config;
            let mut td = Vec::new();
            let mut t = Theme::load(&root, &config.theme, config.theme_line, &mut td)?;
            if !td.is_empty() {
                return None;
            }
            crate::search::compact_runtime(&mut t.statics);
            // A static file named like a page or another file: the full
            // path reports it.
            crate::site::output_collisions(&snap.model, &t.static_origins, &mut td);
            if !td.is_empty() {
                return None;
            }
            let fp = fp_of(&t.statics);
            (Arc::new(t), fp)
        } else {
            (Arc::clone(self.theme.as_ref()?), self.statics_fp)
        };
        let mut model = (*snap.model).clone();
        let mut fresh: Vec<(usize, String, Source)> = Vec::new();
        for key in keys {
            let i = *model.by_key.get(key)?;
            let path = root.join("content").join(key);
            if !plain_file(&path) {
                return None;
            }
            let src = parse(&root, &path, key, &model.config);
            if src.diags.iter().any(|d| d.severity == Severity::Error) {
                return None;
            }
            let Some(Parsed::Doc(doc)) = &src.parsed else {
                return None;
            };
            if signature(doc) != signature(&model.docs[i]) {
                return None;
            }
            model.docs[i] = Arc::clone(doc);
            fresh.push((i, key.to_string(), src));
        }
        let trust = model.config.trust_html;
        let mut rendered = (*snap.rendered).clone();
        let mut html_fps = snap.html_fps.clone();
        let mut bodies = Vec::new();
        for (i, key, src) in &fresh {
            let r = markdown::render(&model.docs[*i].body, &snap.urls, trust);
            let links = r
                .links
                .iter()
                .map(|l| (l.target.clone(), snap.urls.get(&l.target).cloned()))
                .collect();
            let html_fp = fp_of(&(&r.html, &r.first_paragraph));
            html_fps[*i] = html_fp;
            rendered[*i] = r.clone();
            bodies.push((
                key.clone(),
                Body {
                    text_fp: fp_of(&(src.fp, trust)),
                    links,
                    rendered: r,
                    html_fp,
                },
            ));
        }
        let mut link_diags = Vec::new();
        crate::site::check_links(&model, &rendered, &snap.section_bodies, &mut link_diags);
        if link_diags.iter().any(|d| d.severity == Severity::Error) {
            return None;
        }

        // The edited documents and those whose pages show them.
        let mut affected: Vec<usize> = Vec::new();
        for (i, _, _) in &fresh {
            affected.push(*i);
            if let Some(l) = &model.docs[*i].superseded_by
                && let Some(&j) = model.by_key.get(&l.target)
            {
                affected.push(j);
            }
            affected.extend(model.supersedes.get(i).into_iter().flatten());
        }
        affected.sort_unstable();
        affected.dedup();
        // Source fingerprints, the edited files' new ones first.
        let src_fp = |key: &str| -> u64 {
            fresh.iter().find(|(_, k, _)| k == key).map_or_else(
                || self.sources.get(key).map_or(0, |s| s.fp),
                |(_, _, s)| s.fp,
            )
        };
        let settings = (self.config_fp, self.history_fp);
        let mut data_fps = snap.data_fps.clone();
        for &i in &affected {
            data_fps[i] = data_fp(&model, i, &src_fp, html_fps[i], settings);
        }
        let mut summaries = snap.summaries.clone();
        for &i in &affected {
            summaries[i] = render::summary_value(&model, &rendered, i);
        }

        let model = Arc::new(model);
        let rendered = Arc::new(rendered);
        let inputs = render::Inputs {
            model: &model,
            bodies: &rendered,
            section_bodies: &snap.section_bodies,
            theme: &theme,
        };
        let out = Output::memory();
        let renderer = Renderer::new(&inputs, &out, Some(summaries.clone())).ok()?;
        let global = fp_of(&(renderer.global_fingerprint(), self.config_fp, statics_fp));
        if global != snap.global && !theme_changed {
            return None;
        }
        let mut site_fps = snap.site_fps;
        site_fps.changes = fp_of(&format!("{:?}", renderer.change_entries()));
        site_fps.lists = {
            let mut h = Fp::new();
            for (i, d) in model.docs.iter().enumerate() {
                if matches!(d.typed, content::Typed::List { .. }) {
                    (&d.key, data_fps[i]).hash(&mut h);
                }
            }
            h.finish()
        };

        // Candidate pages: the affected documents' own, the listing pages
        // they appear on, and the site-wide pages.
        let per = model.config.paginate_by;
        let mut jobs: Vec<Job> = vec![Job::Home, Job::Data, Job::Search, Job::NotFound];
        jobs.extend((0..model.registries.len()).map(Job::Registry));
        if theme_changed {
            jobs = renderer.jobs();
        }
        if site_fps.changes != snap.site_fps.changes {
            jobs.extend(
                renderer
                    .jobs()
                    .into_iter()
                    .filter(|j| matches!(j, Job::Changes { .. })),
            );
        }
        for &i in &affected {
            let d = &model.docs[i];
            jobs.push(Job::Doc(i));
            if !model.versions[i].is_empty() {
                jobs.push(Job::Versions(i));
                jobs.extend((0..model.versions[i].len()).map(|n| Job::Version { doc: i, n }));
            }
            let mut key = d.section.as_str();
            while !key.is_empty() {
                if let Some(pos) = model.docs_in_section(key).iter().position(|&x| x == i) {
                    jobs.push(Job::Section {
                        key: key.to_string(),
                        page: pos / per + 1,
                    });
                }
                key = key.rfind('/').map_or("", |p| &key[..p]);
            }
            for (ri, r) in model.registries.iter().enumerate() {
                for term in crate::model::terms_of(r.key, d) {
                    if let Some(pos) = r
                        .members
                        .get(&term)
                        .and_then(|m| m.iter().position(|&x| x == i))
                    {
                        jobs.push(Job::Term {
                            registry: ri,
                            term,
                            page: pos / per + 1,
                        });
                    }
                }
            }
        }
        let mut todo: Vec<(JobKey, u64, Job)> = Vec::new();
        let mut seen = HashSet::new();
        for job in jobs {
            let key = job.key(&model);
            if !seen.insert(key.clone()) {
                continue;
            }
            let fp = page_fp(
                &job,
                &model,
                &site_fps,
                &data_fps,
                &snap.section_fps,
                global,
                &theme,
            );
            match self.pages.get(&key) {
                Some((f, _)) if *f == fp && fp != 0 => {}
                _ => todo.push((key, fp, job)),
            }
        }
        let todo_jobs: Vec<Job> = todo.iter().map(|(_, _, j)| j.clone()).collect();
        let paths = renderer.render(&todo_jobs, &out).ok()?;
        drop(renderer);
        let files = out.take();

        // From here on the patch is committed.
        let rendered_count = todo.len();
        if theme_changed {
            self.theme = Some(Arc::clone(&theme));
            self.theme_diags = Vec::new();
            self.statics_fp = statics_fp;
        }
        let mut dirty_lists = HashSet::new();
        for &i in &affected {
            let d = &model.docs[i];
            if matches!(d.typed, content::Typed::List { .. }) {
                let fp = fp_of(&(data_fps[i], &d.url, global));
                if self.lists.get(&d.key) != Some(&fp) {
                    dirty_lists.insert(d.key.clone());
                }
                self.lists.insert(d.key.clone(), fp);
            }
        }
        for ((key, fp, _), path) in todo.into_iter().zip(paths) {
            self.pages.insert(key, (fp, path));
        }
        for (i, key, src) in fresh {
            let _ = i;
            self.sources.insert(key, src);
        }
        for (key, body) in bodies {
            self.bodies.insert(key, body);
        }
        for &i in &affected {
            self.summaries.insert(
                model.docs[i].key.clone(),
                (data_fps[i], summaries[i].clone()),
            );
        }
        let served = Arc::clone(&self.served);
        let (lock, _) = &*served;
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        let dir = s.dir.clone();
        let expected: HashSet<String> = s
            .pages
            .keys()
            .cloned()
            .chain(files.iter().map(|(p, _)| p.clone()))
            .collect();
        let changed = match publish(&mut s.pages, &dir, files, &expected) {
            Ok(c) => c,
            Err(e) => {
                drop(s);
                self.snapshot = None;
                return Some(failed(vec![e]));
            }
        };
        s.generation += 1;
        let generation = s.generation;
        drop(s);
        let snap = self.snapshot.take()?;
        let mut diags = snap.base_diags.clone();
        diags.extend(self.sources.values().flat_map(|s| s.diags.iter().cloned()));
        diags.extend(link_diags);
        crate::site::sort(&mut diags);
        let _ = self.slow_tx.send(SlowTask {
            generation,
            model: Arc::clone(&model),
            bodies: Arc::clone(&rendered),
            section_bodies: Arc::clone(&snap.section_bodies),
            theme,
            synonyms: self.synonyms.clone(),
            lists: dirty_lists,
            assets: HashSet::new(),
        });
        let documents = model.docs.len();
        self.snapshot = Some(Snapshot {
            model,
            rendered,
            html_fps,
            data_fps,
            summaries,
            site_fps,
            global,
            ..snap
        });
        if std::env::var_os("GONGSHI_TIMINGS").is_some() {
            eprintln!("  live patch: {} ms", t0.elapsed().as_millis());
        }
        Some(Outcome {
            ok: true,
            diagnostics: diags,
            changed,
            rendered: rendered_count,
            documents,
            quick: true,
            notices: Vec::new(),
        })
    }

    /// The full path: everything read again, cached parts reused.
    fn full(&mut self, changes: &[Change]) -> Outcome {
        let t0 = std::time::Instant::now();
        let timings = std::env::var_os("GONGSHI_TIMINGS").is_some();
        let lap = |what: &str| {
            if timings {
                eprintln!("  live {what}: {} ms", t0.elapsed().as_millis());
            }
        };
        let root = self.opts.root.clone();
        let first = self.config.is_none();
        let mut diags = Vec::new();
        if first || changes.contains(&Change::Config) {
            self.config = None;
            self.sources.clear();
            self.assets.clear();
            self.bodies.clear();
            self.summaries.clear();
            self.versions.clear();
            self.theme = None;
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
            self.config_fp = fp_of(&(read("site.toml"), read("synonyms.toml")));
        }
        if first || changes.contains(&Change::History) {
            let (history, notices) = crate::history::read(&root);
            self.history_fp = history.as_ref().map_or(0, |h| {
                let mut files: Vec<_> = h.files.iter().collect();
                files.sort_by(|a, b| a.0.cmp(b.0));
                fp_of(&format!("{files:?}"))
            });
            self.history = history.map(Arc::new);
            self.notices = notices;
            self.versions.clear();
            self.summaries.clear();
        }
        if changes.contains(&Change::Theme) {
            self.theme = None;
        }
        if self.config.is_none() {
            let mut config_diags = Vec::new();
            self.config = Config::load(&root, &mut config_diags);
            self.synonyms = Synonyms::load(&root, &mut config_diags);
            self.config_diags = config_diags;
        }
        diags.extend(self.config_diags.iter().cloned());
        let Some(mut config) = self.config.clone() else {
            return failed(diags);
        };
        crate::site::apply_base_url(&mut config, &self.opts);
        if self.theme.is_none() {
            let mut td = Vec::new();
            let mut theme = Theme::load(&root, &config.theme, config.theme_line, &mut td);
            if let Some(t) = &mut theme {
                crate::search::compact_runtime(&mut t.statics);
                self.statics_fp = fp_of(&t.statics);
            }
            self.theme = theme.map(Arc::new);
            self.theme_diags = td;
        }
        diags.extend(self.theme_diags.iter().cloned());

        // Load: walk the tree, parse what changed or is new.
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
                    return failed(diags);
                };
                diags.extend(walk_diags.iter().cloned());
                self.walk = Some((w.clone(), walk_diags));
                w
            }
        };
        let assets_touched: HashSet<String> = walked
            .assets
            .iter()
            .filter(|a| touched.hit(&a.out) || !self.assets.contains(&a.out))
            .map(|a| a.out.clone())
            .collect();
        self.assets = walked.assets.iter().map(|a| a.out.clone()).collect();
        lap("walk");
        let mut seen = HashSet::new();
        let stale: Vec<&(PathBuf, String)> = walked
            .md
            .iter()
            .filter(|(_, below)| {
                seen.insert(below.clone());
                touched.hit(below) || !self.sources.contains_key(below)
            })
            .collect();
        let fresh: Vec<(String, Source)> = stale
            .par_iter()
            .map(|(path, below)| (below.clone(), parse(&root, path, below, &config)))
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
        lap("parse");
        let mut source_diags = Vec::new();
        let mut loaded =
            content::assemble(parsed, walked.assets, self.opts.drafts, &mut source_diags);
        crate::site::hold_future(&mut loaded, &self.opts);

        // Versions of lists not seen before.
        if let Some(h) = &self.history {
            let new: Vec<&content::Document> = loaded
                .documents
                .iter()
                .filter(|d| matches!(d.typed, content::Typed::List { .. }))
                .filter(|d| !self.versions.contains_key(&d.rel))
                .map(|d| &**d)
                .collect();
            if !new.is_empty() {
                let mut read = crate::versions::read(&root, h, &new, &loaded.unpublished, &config);
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
                crate::versions::check(&d.rel, v, &mut diags);
                versions.insert(d.rel.clone(), v.clone());
            }
        }
        // `[history] git = false`: only the list texts above come from git.
        let history = self.history.as_deref().filter(|_| config.history.git);
        let git_notices = config.history.git;
        let mut model = Model::new(config, loaded, history, self.opts.today, &mut diags);
        model.attach_versions(versions);
        lap("model");

        // Markdown: bodies whose text or links' targets changed.
        let urls = model.url_map();
        lap("urls");
        let trust = model.config.trust_html;
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
                Err(text_fp) => {
                    let rendered = markdown::render(&d.body, &urls, trust);
                    let links = rendered
                        .links
                        .iter()
                        .map(|l| (l.target.clone(), urls.get(&l.target).cloned()))
                        .collect();
                    Body {
                        text_fp,
                        links,
                        html_fp: fp_of(&(&rendered.html, &rendered.first_paragraph)),
                        rendered,
                    }
                }
            })
            .collect();
        lap("markdown cache");
        let section_bodies = crate::site::render_section_bodies(&model, &urls);
        let (rendered, meta): (Vec<Rendered>, Vec<BodyMeta>) = bodies
            .into_iter()
            .map(|b| (b.rendered, (b.text_fp, b.links, b.html_fp)))
            .unzip();
        lap("markdown bodies");
        let mut link_diags = Vec::new();
        crate::site::check_links(&model, &rendered, &section_bodies, &mut link_diags);
        if let Some(t) = &self.theme {
            crate::site::output_collisions(&model, &t.static_origins, &mut diags);
        }
        let base_diags = diags.clone();
        diags.extend(source_diags);
        diags.extend(link_diags);
        let html_fps: Vec<u64> = meta.iter().map(|m| m.2).collect();
        lap("markdown");
        if diags.iter().any(|d| d.severity == Severity::Error) || self.theme.is_none() {
            self.keep_bodies(&model, Arc::new(rendered), meta);
            return failed(diags);
        }

        // Fingerprints of each document's data: its source, its body, the
        // documents its status and links depend on, settings and history.
        let src_fp = |key: &str| self.sources.get(key).map_or(0, |s| s.fp);
        let settings = (self.config_fp, self.history_fp);
        let data_fps: Vec<u64> = (0..model.docs.len())
            .map(|i| data_fp(&model, i, &src_fp, html_fps[i], settings))
            .collect();
        let summaries: Vec<tera::Value> = {
            let mut old = std::mem::take(&mut self.summaries);
            let values: Vec<(u64, Option<tera::Value>)> = model
                .docs
                .iter()
                .zip(&data_fps)
                .map(|(d, &fp)| match old.remove(&d.key) {
                    Some((f, v)) if f == fp => (fp, Some(v)),
                    _ => (fp, None),
                })
                .collect();
            let values: Vec<tera::Value> = values
                .into_par_iter()
                .enumerate()
                .map(|(i, (_, v))| v.unwrap_or_else(|| render::summary_value(&model, &rendered, i)))
                .collect();
            self.summaries = model
                .docs
                .iter()
                .zip(&data_fps)
                .zip(&values)
                .map(|((d, &fp), v)| (d.key.clone(), (fp, v.clone())))
                .collect();
            values
        };

        lap("summaries");
        let model = Arc::new(model);
        let rendered = Arc::new(rendered);
        let Some(theme) = self.theme.as_ref() else {
            return failed(diags);
        };
        let inputs = render::Inputs {
            model: &model,
            bodies: &rendered,
            section_bodies: &section_bodies,
            theme,
        };
        let out = Output::memory();
        let renderer = match Renderer::new(&inputs, &out, Some(summaries.clone())) {
            Ok(r) => r,
            Err(e) => {
                diags.extend(e);
                return failed(diags);
            }
        };
        let global = fp_of(&(
            renderer.global_fingerprint(),
            self.config_fp,
            self.statics_fp,
        ));
        let changes_fp = fp_of(&format!("{:?}", renderer.change_entries()));
        let counts_fp = {
            let mut h = Fp::new();
            for r in &model.registries {
                for (k, m) in &r.members {
                    (k, m.len()).hash(&mut h);
                }
            }
            for d in model.docs.iter() {
                d.doc_type.hash(&mut h);
            }
            h.finish()
        };
        let lists_fp = {
            let mut h = Fp::new();
            for (i, d) in model.docs.iter().enumerate() {
                if matches!(d.typed, content::Typed::List { .. }) {
                    (&d.key, data_fps[i]).hash(&mut h);
                }
            }
            h.finish()
        };
        let site_fps = SiteFps {
            changes: changes_fp,
            counts: counts_fp,
            lists: lists_fp,
        };
        let section_fps: HashMap<String, u64> = model
            .sections
            .iter()
            .map(|(k, s)| {
                let html = section_bodies.get(k).map_or("", |r| r.html.as_str());
                (
                    k.clone(),
                    fp_of(&(
                        model.section_title(k),
                        &s.summary,
                        html,
                        s.rel.as_str(),
                        src_fp(s.rel.strip_prefix("content/").unwrap_or("")),
                    )),
                )
            })
            .collect();

        lap("renderer");
        // Pages: render those whose inputs changed.
        let jobs = renderer.jobs();
        let mut fresh_pages: HashMap<JobKey, (u64, String)> = HashMap::new();
        let mut todo: Vec<(JobKey, u64, Job)> = Vec::new();
        let mut old_pages = std::mem::take(&mut self.pages);
        for job in jobs {
            let key = job.key(&model);
            let fp = page_fp(
                &job,
                &model,
                &site_fps,
                &data_fps,
                &section_fps,
                global,
                theme,
            );
            match old_pages.remove(&key) {
                Some((f, path)) if f == fp && fp != 0 => {
                    fresh_pages.insert(key, (f, path));
                }
                _ => todo.push((key, fp, job)),
            }
        }
        lap("fingerprints");
        let todo_jobs: Vec<Job> = todo.iter().map(|(_, _, j)| j.clone()).collect();
        let rendered_count = todo_jobs.len();
        let paths = match renderer.render(&todo_jobs, &out) {
            Ok(p) => p,
            Err(e) => {
                self.pages = fresh_pages;
                diags.extend(e);
                drop(renderer);
                self.keep_bodies(&model, rendered, meta);
                return failed(diags);
            }
        };
        let files: Vec<(String, Vec<u8>)> = out.take();

        drop(renderer);
        lap("pages");
        // Lists whose data files must be written again.
        let mut list_fps: HashMap<String, u64> = HashMap::new();
        let mut dirty_lists = HashSet::new();
        for (i, d) in model.docs.iter().enumerate() {
            if matches!(d.typed, content::Typed::List { .. }) {
                let fp = fp_of(&(data_fps[i], &d.url, global));
                if self.lists.get(&d.key) != Some(&fp) {
                    dirty_lists.insert(d.key.clone());
                }
                list_fps.insert(d.key.clone(), fp);
            }
        }
        self.lists = list_fps;

        for ((key, fp, _), path) in todo.into_iter().zip(paths) {
            fresh_pages.insert(key, (fp, path));
        }
        let mut expected: HashSet<String> = files.iter().map(|(p, _)| p.clone()).collect();
        expected.extend(fresh_pages.values().map(|(_, p)| p.clone()));
        self.pages = fresh_pages;

        let served = Arc::clone(&self.served);
        let outcome_changed = {
            let (lock, _) = &*served;
            let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
            let dir = s.dir.clone();
            match publish(&mut s.pages, &dir, files, &expected) {
                Ok(changed) => {
                    s.generation += 1;
                    let generation = s.generation;
                    drop(s);
                    let section_bodies = Arc::new(section_bodies);
                    self.snapshot = Some(Snapshot {
                        model: Arc::clone(&model),
                        rendered: Arc::clone(&rendered),
                        html_fps,
                        data_fps,
                        summaries,
                        urls,
                        section_bodies: Arc::clone(&section_bodies),
                        section_fps,
                        global,
                        site_fps,
                        base_diags,
                    });
                    let _ = self.slow_tx.send(SlowTask {
                        generation,
                        model: Arc::clone(&model),
                        bodies: Arc::clone(&rendered),
                        section_bodies,
                        theme: Arc::clone(theme),
                        synonyms: self.synonyms.clone(),
                        lists: dirty_lists,
                        assets: assets_touched,
                    });
                    changed
                }
                Err(e) => {
                    drop(s);
                    diags.push(e);
                    self.keep_bodies(&model, rendered, meta);
                    return failed(diags);
                }
            }
        };
        lap("publish");
        let documents = model.docs.len();
        self.keep_bodies(&model, rendered, meta);
        lap("keep");
        crate::site::sort(&mut diags);
        Outcome {
            ok: true,
            diagnostics: diags,
            changed: outcome_changed,
            rendered: rendered_count,
            documents,
            quick: false,
            notices: if first && git_notices {
                self.notices.clone()
            } else {
                Vec::new()
            },
        }
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
fn plain_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// Reads and parses one source file.
fn parse(root: &Path, path: &Path, below: &str, config: &Config) -> Source {
    match content::read_source(root, path) {
        Ok(text) => {
            let rel = crate::diag::rel(root, path);
            let (parsed, diags) = content::parse_text(&text, &rel, below, config);
            Source {
                fp: fp_of(&(below, &text)),
                parsed,
                diags,
            }
        }
        Err(d) => Source {
            fp: fp_of(&(below, d.to_string())),
            parsed: None,
            diags: vec![d],
        },
    }
}

/// The inputs of one page, as a fingerprint; 0 for “always render”.
fn page_fp(
    job: &Job,
    model: &Model,
    site: &SiteFps,
    data_fps: &[u64],
    section_fps: &HashMap<String, u64>,
    global: u64,
    theme: &Theme,
) -> u64 {
    let template = theme
        .fingerprints
        .get(job.template(model))
        .copied()
        .unwrap_or(0);
    let mut h = Fp::new();
    (global, template).hash(&mut h);
    let chain = |h: &mut Fp, section: &str| {
        let mut key = section;
        loop {
            section_fps.get(key).hash(h);
            match key.rfind('/') {
                Some(i) => key = &key[..i],
                None if !key.is_empty() => key = "",
                None => break,
            }
        }
    };
    match job {
        Job::Doc(i) | Job::Versions(i) => {
            (data_fps[*i], &model.docs[*i].url).hash(&mut h);
            chain(&mut h, &model.docs[*i].section);
        }
        Job::Version { doc, n } => {
            (data_fps[*doc], &model.docs[*doc].url, n).hash(&mut h);
            chain(&mut h, &model.docs[*doc].section);
        }
        Job::Section { key, page } => {
            let all = model.docs_in_section(key);
            listing_fp(&mut h, all, *page, model, data_fps);
            chain(&mut h, key);
            for (k, _) in model
                .sections
                .iter()
                .filter(|(k, _)| k.rsplit_once('/').is_some_and(|(p, _)| p == key))
            {
                (k, section_fps.get(k), model.docs_in_section(k).len()).hash(&mut h);
            }
        }
        Job::Term {
            registry,
            term,
            page,
        } => {
            let r = &model.registries[*registry];
            let all = r.members.get(term).map_or(&[][..], Vec::as_slice);
            (term, registry).hash(&mut h);
            listing_fp(&mut h, all, *page, model, data_fps);
        }
        Job::Changes { page } => (site.changes, page).hash(&mut h),
        Job::Registry(ri) => (site.counts, ri).hash(&mut h),
        Job::Search => site.counts.hash(&mut h),
        Job::Data => (site.lists, site.counts).hash(&mut h),
        Job::NotFound => {}
        // The home page draws on the newest documents of every kind.
        Job::Home => return 0,
    }
    h.finish().max(1)
}

/// A document's data fingerprint: its source, its body, the documents its
/// status and links depend on, settings and history.
fn data_fp(
    model: &Model,
    i: usize,
    src_fp: &dyn Fn(&str) -> u64,
    html_fp: u64,
    settings: (u64, u64),
) -> u64 {
    let d = &model.docs[i];
    let mut h = Fp::new();
    (settings, src_fp(&d.key), html_fp).hash(&mut h);
    if let Some(l) = &d.superseded_by {
        (&l.target, src_fp(&l.target)).hash(&mut h);
    }
    for &j in model.supersedes.get(&i).into_iter().flatten() {
        (&model.docs[j].key, src_fp(&model.docs[j].key)).hash(&mut h);
    }
    h.finish()
}

/// What places a document in the site: if an edit leaves it as it was,
/// the model's order, URLs, registries, sections and statuses stay, and
/// only the document's own data changes.
fn signature(d: &content::Document) -> u64 {
    let mut h = Fp::new();
    (
        d.doc_type,
        d.date,
        d.weight,
        &d.url,
        &d.key,
        &d.rel,
        &d.section,
        d.draft,
        d.updated,
        d.effective,
        d.expires,
        d.year(),
    )
        .hash(&mut h);
    if let Some(l) = &d.superseded_by {
        (&l.target, l.line, l.col).hash(&mut h);
    }
    // Noted revisions move the update date and the change feeds.
    for r in &d.revisions {
        (r.date, &r.note, r.at).hash(&mut h);
    }
    if let content::Typed::Warning { valid_until, .. } = &d.typed {
        valid_until.hash(&mut h);
    }
    for r in [
        "agencies",
        "districts",
        "industries",
        "list_kinds",
        "risk_levels",
        "methods",
        "years",
    ] {
        crate::model::terms_of(r, d).hash(&mut h);
    }
    h.finish()
}

/// What the last successful build left for a patch of it.
struct Snapshot {
    model: Arc<Model>,
    rendered: Arc<Vec<Rendered>>,
    html_fps: Vec<u64>,
    data_fps: Vec<u64>,
    summaries: Vec<tera::Value>,
    urls: HashMap<String, String>,
    section_bodies: Arc<std::collections::BTreeMap<String, Rendered>>,
    section_fps: HashMap<String, u64>,
    global: u64,
    site_fps: SiteFps,
    /// Diagnostics of the build besides sources' and links' own.
    base_diags: Vec<Diagnostic>,
}

/// Fingerprints of what site-wide pages show.
#[derive(Clone, Copy)]
struct SiteFps {
    /// The change log.
    changes: u64,
    /// How many documents each type and registry term has.
    counts: u64,
    /// Every list's data.
    lists: u64,
}

/// A listing page's members: who is on the page and what they show.
fn listing_fp(h: &mut Fp, all: &[usize], page: usize, model: &Model, data_fps: &[u64]) {
    let per = model.config.paginate_by;
    (all.len(), page, per).hash(h);
    for &i in all.iter().skip((page - 1) * per).take(per) {
        (&model.docs[i].key, data_fps[i]).hash(h);
    }
}

/// Writes the files whose bytes changed, removes those of `served` no
/// longer made. Returns the paths written or removed.
fn publish(
    served: &mut HashMap<String, u64>,
    dir: &Path,
    files: Vec<(String, Vec<u8>)>,
    expected: &HashSet<String>,
) -> Result<Vec<String>, Diagnostic> {
    let mut changed = Vec::new();
    for (path, bytes) in files {
        let h = fp_bytes(&bytes);
        if served.get(&path) == Some(&h) {
            continue;
        }
        write_file(dir, &path, &bytes)?;
        served.insert(path.clone(), h);
        changed.push(path);
    }
    let gone: Vec<String> = served
        .keys()
        .filter(|p| !expected.contains(*p))
        .cloned()
        .collect();
    for path in gone {
        remove_file(dir, &path);
        served.remove(&path);
        changed.push(path);
    }
    changed.sort();
    Ok(changed)
}

/// Writes a file. A new file is written beside and renamed into place; an
/// existing one is overwritten in place and cut to length, which frees no
/// disk blocks unless it shrank: on disks that discard freed blocks
/// synchronously (virtual machines), replacing thousands of pages after a
/// template edit otherwise takes seconds. The server re-reads a file that
/// changed while it was read, so no reader gets half of one.
fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    use std::io::Write as _;
    let path = dir.join(rel);
    let err = |e: std::io::Error| Diagnostic::error(rel.to_string(), "输出", e.to_string());
    if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) {
        f.write_all(bytes).map_err(err)?;
        return f.set_len(bytes.len() as u64).map_err(err);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let tmp = path.with_file_name(format!(
        ".{}.gongshi-tmp",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    let attempt = || std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &path));
    match attempt() {
        // The folder was just removed as empty by the other lane: again.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(err)?;
            }
            attempt().map_err(err)
        }
        r => r.map_err(err),
    }
}

/// Removes a file and the folders it leaves empty.
fn remove_file(dir: &Path, rel: &str) {
    let path = dir.join(rel);
    let _ = std::fs::remove_file(&path);
    let mut parent = path.parent();
    while let Some(p) = parent {
        if p == dir || std::fs::remove_dir(p).is_err() {
            break;
        }
        parent = p.parent();
    }
}

/// Builds the background files, the newest request first; publishes them
/// only if no build succeeded since they were asked for. Lists and content
/// files asked for by skipped requests are carried over.
fn slow_worker(rx: &mpsc::Receiver<SlowTask>, served: &Arc<(Mutex<Served>, Condvar)>) {
    // One thread, so the next edit's pages never wait for the index.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "gongshi-background-pool".into())
        .build()
        .ok();
    let mut lists: HashSet<String> = HashSet::new();
    let mut assets: HashSet<String> = HashSet::new();
    // Path → content hash of the files this worker wrote.
    let mut slow: HashMap<String, u64> = HashMap::new();
    while let Ok(mut task) = rx.recv() {
        lists.extend(std::mem::take(&mut task.lists));
        assets.extend(std::mem::take(&mut task.assets));
        while let Ok(mut newer) = rx.try_recv() {
            lists.extend(std::mem::take(&mut newer.lists));
            assets.extend(std::mem::take(&mut newer.assets));
            task = newer;
        }
        let work = || slow_files(&task, &lists, &assets);
        let result = match &pool {
            Some(p) => p.install(work),
            None => work(),
        };
        // Written without holding the lock, so the next edit's pages are
        // never kept waiting; a newer build's task follows anyway.
        let (lock, cvar) = &**served;
        let (current, dir) = {
            let s = lock.lock().unwrap_or_else(|e| e.into_inner());
            (s.generation == task.generation, s.dir.clone())
        };
        let mut error = None;
        if current {
            match result {
                Ok((files, expected)) => match publish(&mut slow, &dir, files, &expected) {
                    Ok(changed) => {
                        if std::env::var_os("GONGSHI_TIMINGS").is_some() {
                            eprintln!("  live background: {} files changed", changed.len());
                        }
                        lists.clear();
                        assets.clear();
                    }
                    Err(e) => error = Some(e),
                },
                Err(e) => error = Some(e),
            }
            if let Some(e) = &error {
                eprintln!("{e}");
            }
        }
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        if current {
            s.slow_error = error;
            s.slow_generation = s.slow_generation.max(task.generation);
        }
        drop(s);
        cvar.notify_all();
    }
}

/// The background files of one build, and every path they cover (those
/// not made again because unchanged included).
fn slow_files(
    task: &SlowTask,
    lists: &HashSet<String>,
    assets: &HashSet<String>,
) -> Result<(Vec<crate::output::File>, HashSet<String>), Diagnostic> {
    let model = &task.model;
    let inputs = render::Inputs {
        model,
        bodies: &task.bodies,
        section_bodies: &task.section_bodies,
        theme: &task.theme,
    };
    let first = |e: Vec<Diagnostic>| {
        e.into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error("public", "输出", "生成失败"))
    };
    let statics = Output::memory();
    let renderer = Renderer::new(&inputs, &statics, None).map_err(first)?;
    let out = Output::memory();
    renderer
        .aggregates(&out, &|i| lists.contains(&model.docs[i].key))
        .map_err(first)?;
    renderer
        .assets_copy(&out, &|a| assets.contains(&a.out))
        .map_err(first)?;
    drop(renderer);
    crate::search::write(model, &task.bodies, &task.synonyms, &out)?;
    let files = out.take();
    let mut expected: HashSet<String> = files.iter().map(|(p, _)| p.clone()).collect();
    for (i, d) in model.docs.iter().enumerate() {
        if matches!(d.typed, content::Typed::List { .. }) {
            expected.extend(render::data::list_files(model, i));
        }
    }
    expected.extend(model.assets.iter().map(|a| a.out.clone()));
    Ok((files, expected))
}

fn failed(mut diags: Vec<Diagnostic>) -> Outcome {
    crate::site::sort(&mut diags);
    Outcome {
        diagnostics: diags,
        ..Outcome::default()
    }
}
