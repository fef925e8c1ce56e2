//! The quick path for the commonest edit: documents whose text or front
//! matter changed without moving them in the site (same date, URL,
//! registries, supersession: see [`fingerprint::signature`]). The model is
//! the last one with those documents replaced; the candidates are the pages
//! that declare them (their own, the listings that show them) and the
//! site-wide pages, as the last full build recorded.

use std::collections::HashSet;
use std::sync::Arc;

use super::fingerprint::{self, PageInputs};
use super::load::{body, parse, plain_file};
use super::render::Rendered;
use super::{Body, Change, Current, Engine, Source, Update};
use crate::content::Parsed;
use crate::diag::Severity;
use crate::hash::fp_of;
use crate::model::Model;
use crate::output::Output;
use crate::render::{Job, JobKey, Renderer, Theme};

/// A theme read again for the quick path: `None` when the full path must
/// report something about it.
fn reload_theme(engine: &Engine, model: &Model) -> Option<(Arc<Theme>, u64)> {
    let config = &model.config;
    let mut td = Vec::new();
    let mut t = Theme::load(&engine.opts.root, &config.theme, config.theme_line, &mut td)?;
    if !td.is_empty() {
        return None;
    }
    crate::search::compact_runtime(&mut t.statics);
    // A static file named like a page or another file: the full path
    // reports it.
    super::checks::output_collisions(model, &t.static_origins, &mut td);
    if !td.is_empty() {
        return None;
    }
    let fp = fp_of(&t.statics);
    Some((Arc::new(t), fp))
}

impl Engine {
    /// `None` when the edit is anything else (the full path then runs).
    pub(super) fn patch(&mut self, changes: &[Change]) -> Option<Update> {
        let lap = super::load::Lap::new();
        let snap = self.current.as_ref()?;
        let (keys, theme_changed) = quick_edit(changes)?;
        // A template or static file edit: the theme again, then the pages
        // whose template (or the static files' URLs) changed.
        let (theme, statics_fp) = if theme_changed {
            reload_theme(self, &snap.model)?
        } else {
            (Arc::clone(&snap.theme), self.settings.statics_fp)
        };
        let (model, fresh) = {
            // The edited files' recurring texts are shared (`crate::intern`).
            let _texts = crate::intern::Scope::begin();
            self.reparse(snap, &keys)?
        };
        let mut cur = self.patched(snap, model, theme, &fresh);
        let mut link_diags = Vec::new();
        super::checks::check_links(
            &cur.model,
            &cur.bodies,
            &cur.section_bodies,
            &mut link_diags,
        );
        if link_diags.iter().any(|d| d.severity == Severity::Error) {
            return None;
        }
        let affected = affected(&cur.model, fresh.iter().map(|f| f.0));
        self.refresh_data(&mut cur, &affected, &fresh);

        let out = Output::memory();
        let inputs = cur.inputs();
        let renderer = Renderer::new(&inputs, &out, Some(cur.summaries.clone())).ok()?;
        let st = &self.settings;
        let global = fp_of(&(renderer.global_fingerprint(), st.config_fp, statics_fp));
        if global != snap.global && !theme_changed {
            return None;
        }
        let mut site_fps = snap.site_fps;
        site_fps.changes = fingerprint::changes_fp(&renderer);
        site_fps.lists = fingerprint::lists_fp(&cur.model, &cur.data_fps);
        // Candidates: every page after a theme edit, else those that show
        // an affected document and the site-wide ones.
        let jobs = if theme_changed {
            renderer.jobs()
        } else {
            cur.dependents.of(&affected)
        };
        let page_inputs = PageInputs {
            model: &cur.model,
            site: &site_fps,
            data_fps: &cur.data_fps,
            section_fps: &cur.section_fps,
            global,
            theme: &cur.theme,
        };
        let todo = self.stale(jobs, &page_inputs);
        let fresh_pages = super::render::render_jobs(&renderer, todo, &out).ok()?;
        super::render::foreground(&renderer, &cur.synonyms, &out).ok()?;
        drop(renderer);

        // From here on the patch is committed.
        let files = out.take();
        if theme_changed {
            self.settings.theme = Some(Arc::clone(&cur.theme));
            self.settings.theme_diags = Vec::new();
            self.settings.statics_fp = statics_fp;
        }
        let lists = self.dirty_lists(&cur, global, Some(&affected));
        let rendered = fresh_pages.len();
        self.keep(fresh_pages, fresh, &cur, &affected);
        let mut diags = cur.base_diags.clone();
        diags.extend(self.sources.values().flat_map(|s| s.diags.iter().cloned()));
        diags.extend(link_diags);
        crate::engine::sort(&mut diags);
        cur.global = global;
        cur.site_fps = site_fps;
        self.current = Some(cur);
        lap.at("live patch");
        Some(Update {
            files,
            pages: None,
            rendered,
            quick: true,
            diagnostics: diags,
            notices: Vec::new(),
            lists,
            assets: HashSet::new(),
        })
    }

    /// The candidate pages whose fingerprint differs from the one they were
    /// last rendered with (each page once).
    fn stale(&self, jobs: Vec<Job>, page_inputs: &PageInputs<'_>) -> Vec<(JobKey, u64, Job)> {
        let model = page_inputs.model;
        let mut todo = Vec::new();
        let mut seen = HashSet::new();
        for job in jobs {
            let key = job.key(model);
            if !seen.insert(key.clone()) {
                continue;
            }
            let fp = fingerprint::page_fp(&job, &job.inputs(model), page_inputs);
            match self.pages.get(&key) {
                Some((f, _)) if *f == fp && fp != 0 => {}
                _ => todo.push((key, fp, job)),
            }
        }
        todo
    }

    /// Keeps what a committed patch made: the rendered pages with their
    /// fingerprints, the edited sources and bodies, and the affected
    /// documents' listing values.
    fn keep(&mut self, pages: Rendered, fresh: Vec<Fresh>, cur: &Current, affected: &[usize]) {
        for (key, fp, path) in pages {
            self.pages.insert(key, (fp, path));
        }
        for (i, key, src, b) in fresh {
            self.sources.insert(key.clone(), src);
            let _ = i;
            self.bodies.insert(key, b);
        }
        for &i in affected {
            let d = &cur.model.docs[i];
            let value = (cur.data_fps[i], cur.summaries[i].clone());
            self.summaries.insert(d.key.clone(), value);
        }
    }

    /// The last model with the edited documents parsed again; `None` when
    /// one has errors or moved in the site.
    fn reparse(&self, snap: &Current, keys: &[&str]) -> Option<(Model, Vec<Fresh>)> {
        let root = &self.opts.root;
        let mut model = (*snap.model).clone();
        let trust = model.config.trust_html;
        let mut fresh = Vec::new();
        for &key in keys {
            let i = *model.by_key.get(key)?;
            let path = root.join("content").join(key);
            if !plain_file(&path) {
                return None;
            }
            let src = parse(root, &path, key, &model.config);
            if src.diags.iter().any(|d| d.severity == Severity::Error) {
                return None;
            }
            let Some(Parsed::Doc(doc)) = &src.parsed else {
                return None;
            };
            if fingerprint::signature(doc) != fingerprint::signature(&model.docs[i]) {
                return None;
            }
            model.docs[i] = Arc::clone(doc);
            let b = body(&doc.body, &snap.urls, trust, fp_of(&(src.fp, trust)), true);
            fresh.push((i, key.to_string(), src, b));
        }
        Some((model, fresh))
    }

    /// The last site with the new model and the fresh bodies.
    fn patched(&self, snap: &Current, model: Model, theme: Arc<Theme>, fresh: &[Fresh]) -> Current {
        let mut bodies = (*snap.bodies).clone();
        let mut html_fps = snap.html_fps.clone();
        for (i, _, _, b) in fresh {
            html_fps[*i] = b.html_fp;
            bodies[*i] = b.rendered.clone();
        }
        Current {
            model: Arc::new(model),
            bodies: Arc::new(bodies),
            section_bodies: Arc::clone(&snap.section_bodies),
            theme,
            synonyms: snap.synonyms.clone(),
            summaries: snap.summaries.clone(),
            html_fps,
            data_fps: snap.data_fps.clone(),
            urls: Arc::clone(&snap.urls),
            section_fps: snap.section_fps.clone(),
            global: snap.global,
            site_fps: snap.site_fps,
            dependents: Arc::clone(&snap.dependents),
            base_diags: snap.base_diags.clone(),
        }
    }

    /// The affected documents' data fingerprints and listing values.
    fn refresh_data(&self, cur: &mut Current, affected: &[usize], fresh: &[Fresh]) {
        // Source fingerprints, the edited files' new ones first.
        let src_fp = |key: &str| -> u64 {
            fresh
                .iter()
                .find(|f| f.1 == key)
                .map_or_else(|| self.sources.get(key).map_or(0, |s| s.fp), |f| f.2.fp)
        };
        let settings = (self.settings.config_fp, self.settings.history_fp);
        for &i in affected {
            cur.data_fps[i] =
                fingerprint::data_fp(&cur.model, i, &src_fp, cur.html_fps[i], settings);
            cur.summaries[i] = crate::render::summary_value(&cur.model, &cur.bodies, i);
        }
    }
}

/// The Markdown documents a burst of changes names, and whether it changed
/// the theme; `None` for anything else (a folder's `_index.md`, another
/// file below `content/`, settings, history), which takes the full path.
fn quick_edit(changes: &[Change]) -> Option<(Vec<&str>, bool)> {
    let mut keys: Vec<&str> = Vec::new();
    let mut theme_changed = false;
    for c in changes {
        match c {
            Change::Content(p) if p.ends_with(".md") && !p.ends_with("_index.md") => keys.push(p),
            Change::Theme => theme_changed = true,
            _ => return None,
        }
    }
    Some((keys, theme_changed))
}

/// An edited document: its index, key, source and body.
type Fresh = (usize, String, Source, Body);

/// The edited documents and those whose pages show them.
fn affected(model: &Model, edited: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut affected: Vec<usize> = Vec::new();
    for i in edited {
        affected.push(i);
        if let Some(l) = &model.docs[i].superseded_by
            && let Some(&j) = model.by_key.get(&l.target)
        {
            affected.push(j);
        }
        affected.extend(model.supersedes.get(&i).into_iter().flatten());
    }
    affected.sort_unstable();
    affected.dedup();
    affected
}
