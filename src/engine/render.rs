//! The render half: every output at once for a build, or the pages whose
//! fingerprint changed for a live preview.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::fingerprint::{self, Dependents, PageInputs, SiteFps};
use super::load::Loaded;
use super::{Current, Engine, Update};
use crate::content;
use crate::diag::Diagnostic;
use crate::hash::fp_of;
use crate::output::Output;
use rayon::prelude::*;

use crate::render::outputs::{self, Only, OutputContext};
use crate::render::{self, Job, JobKey, Renderer};

/// Pages rendered: each one's identity, fingerprint and output path.
pub(super) type Rendered = Vec<(JobKey, u64, String)>;

impl Current {
    /// What rendering reads.
    pub fn inputs(&self) -> render::Inputs<'_> {
        render::Inputs {
            model: &self.model,
            bodies: &self.bodies,
            section_bodies: &self.section_bodies,
            theme: &self.theme,
        }
    }
}

impl Engine {
    /// Renders every output of the loaded site into `out`, side by side
    /// (see [`outputs::ALL`]).
    pub fn render_all(&mut self, out: &Output) -> Result<(), Vec<Diagnostic>> {
        let dry_run = self.opts.dry_run;
        let Some(cur) = self.current.as_mut() else {
            return Ok(());
        };
        let summaries = std::mem::take(&mut cur.summaries);
        let cur = &*cur;
        let inputs = cur.inputs();
        let renderer = Renderer::new(&inputs, out, Some(summaries))?;
        let cx = OutputContext {
            renderer: &renderer,
            synonyms: &cur.synonyms,
            dry_run,
            only: Only::default(),
        };
        let results: Vec<Result<(), Vec<Diagnostic>>> =
            outputs::ALL.par_iter().map(|o| o.write(&cx, out)).collect();
        if !self.keep {
            // A one-off build: the process ends soon (see `site::build`).
            std::mem::forget(renderer);
        }
        results.into_iter().collect()
    }

    /// The full path's second half: the pages whose fingerprint changed.
    pub(super) fn render_changed(&mut self, loaded: Loaded) -> Result<Update, Vec<Diagnostic>> {
        let Loaded {
            mut current,
            mut diags,
            meta,
            assets_touched,
            attached,
        } = loaded;
        let out = Output::memory();
        let inputs = current.inputs();
        let renderer = match Renderer::new(&inputs, &out, Some(current.summaries.clone())) {
            Ok(r) => r,
            Err(e) => {
                diags.extend(e);
                return Err(diags);
            }
        };
        let st = &self.settings;
        let global = fp_of(&(renderer.global_fingerprint(), st.config_fp, st.statics_fp));
        let site_fps = SiteFps::new(&current.model, &renderer, &current.data_fps);
        let page_inputs = PageInputs {
            model: &current.model,
            site: &site_fps,
            data_fps: &current.data_fps,
            section_fps: &current.section_fps,
            global,
            theme: &current.theme,
        };
        let mut old = std::mem::take(&mut self.pages);
        let mut kept: HashMap<JobKey, (u64, String)> = HashMap::new();
        let mut todo: Vec<(JobKey, u64, Job)> = Vec::new();
        let mut dependents = Dependents::new(current.model.docs.len());
        for job in renderer.jobs() {
            let key = job.key(&current.model);
            let inputs = job.inputs(&current.model);
            let fp = fingerprint::page_fp(&job, &inputs, &page_inputs);
            dependents.add(&job, &inputs);
            match old.remove(&key) {
                Some((f, path)) if f == fp && fp != 0 => {
                    kept.insert(key, (f, path));
                }
                _ => todo.push((key, fp, job)),
            }
        }
        let result = render_jobs(&renderer, todo, &out)
            .and_then(|r| foreground(&renderer, &current.synonyms, &out).map(|()| r));
        drop(renderer);
        let fresh = match result {
            Ok(r) => r,
            Err(e) => {
                self.pages = kept;
                diags.extend(e);
                self.keep_bodies(&current.model, Arc::clone(&current.bodies), meta);
                return Err(diags);
            }
        };
        let files = out.take();
        let lists = self.dirty_lists(&current, global, None);
        let rendered = fresh.len();
        kept.extend(fresh.into_iter().map(|(k, fp, path)| (k, (fp, path))));
        let pages: HashSet<String> = kept.values().map(|(_, p)| p.clone()).collect();
        self.pages = kept;
        self.attached = attached;
        current.global = global;
        current.site_fps = site_fps;
        current.dependents = Arc::new(dependents);
        let (model, bodies) = (Arc::clone(&current.model), Arc::clone(&current.bodies));
        self.current = Some(current);
        self.keep_bodies(&model, bodies, meta);
        crate::engine::sort(&mut diags);
        Ok(Update {
            files,
            pages: Some(pages),
            rendered,
            quick: false,
            diagnostics: diags,
            notices: Vec::new(),
            lists,
            assets: assets_touched,
        })
    }

    /// The lists (all, or those of `only`) whose data files must be
    /// written again; remembers their fingerprints.
    pub(super) fn dirty_lists(
        &mut self,
        cur: &Current,
        global: u64,
        only: Option<&[usize]>,
    ) -> HashSet<String> {
        let model = &cur.model;
        let all: Vec<usize> = match only {
            Some(v) => v.to_vec(),
            None => (0..model.docs.len()).collect(),
        };
        let mut fps: HashMap<String, u64> = HashMap::new();
        let mut dirty = HashSet::new();
        for i in all {
            let d = &model.docs[i];
            if matches!(d.typed, content::Typed::List { .. }) {
                let fp = fp_of(&(cur.data_fps[i], &d.url, global));
                if self.lists.get(&d.key) != Some(&fp) {
                    dirty.insert(d.key.clone());
                }
                fps.insert(d.key.clone(), fp);
            }
        }
        match only {
            Some(_) => self.lists.extend(fps),
            None => self.lists = fps,
        }
        dirty
    }
}

/// Renders `todo` into `out`; nothing is remembered unless all succeed.
pub(super) fn render_jobs(
    renderer: &Renderer<'_, '_>,
    todo: Vec<(JobKey, u64, Job)>,
    out: &Output,
) -> Result<Rendered, Vec<Diagnostic>> {
    let jobs: Vec<Job> = todo.iter().map(|(_, _, j)| j.clone()).collect();
    let paths = renderer.render(&jobs, out)?;
    Ok(todo
        .into_iter()
        .zip(paths)
        .map(|((key, fp, _), path)| (key, fp, path))
        .collect())
}

/// The outputs made with the pages but not page by page (none is, today:
/// every other output is background work).
pub(super) fn foreground(
    renderer: &Renderer<'_, '_>,
    synonyms: &crate::search::Synonyms,
    out: &Output,
) -> Result<(), Vec<Diagnostic>> {
    let cx = OutputContext {
        renderer,
        synonyms,
        dry_run: false,
        only: Only::default(),
    };
    outputs::ALL
        .iter()
        .filter(|o| !o.background() && !o.per_page())
        .try_for_each(|o| o.write(&cx, out))
}
