//! A live preview (`gongshi serve`): the build [`Engine`] kept alive and
//! fed changes, and the folder it serves.
//!
//! Each edit is one [`Engine::update`]: the pages whose inputs changed are
//! written at once (only the files whose bytes changed), and the slow
//! outputs (those [`crate::render::outputs`] marks as background work:
//! feeds, sitemap, open data, content files, the search index) are made
//! again after the pages are served. Whatever the sequence of edits, the
//! folder served equals a clean `gongshi build` of the same tree (tested
//! with random edit sequences in `tests/testsuite/live/`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, mpsc};

use crate::diag::Diagnostic;
use crate::engine::BuildOptions;
pub use crate::engine::Change;
use crate::engine::{Engine, Update};
use crate::hash::fp_bytes;
use crate::markdown::Rendered;
use crate::model::Model;
use crate::output::Output;
use crate::render::outputs::{self, Only, OutputContext};
use crate::render::{self, Renderer, Theme};
use crate::search::Synonyms;

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
    engine: Engine,
    served: Arc<(Mutex<Served>, Condvar)>,
    slow_tx: mpsc::Sender<SlowTask>,
}

/// The background part of a build: the outputs that say they are
/// background work.
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
            engine: Engine::new(opts),
            served,
            slow_tx,
        })
    }

    /// The folder served.
    pub fn dir(&self) -> PathBuf {
        self.engine.opts().output.clone()
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

    /// Builds again after `changes`.
    pub fn rebuild(&mut self, changes: &[Change]) -> Outcome {
        match self.engine.update(changes) {
            Ok(update) => self.publish(update),
            Err(diags) => failed(diags),
        }
    }

    /// Writes an update's pages, then asks for its background outputs.
    fn publish(&mut self, update: Update) -> Outcome {
        let Update {
            files,
            pages,
            rendered,
            quick,
            mut diagnostics,
            notices,
            lists,
            assets,
        } = update;
        let (lock, _) = &*self.served;
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        let dir = s.dir.clone();
        let mut expected: HashSet<String> = files.iter().map(|(p, _)| p.clone()).collect();
        match pages {
            Some(pages) => expected.extend(pages),
            // Nothing went: every file served stays.
            None => expected.extend(s.pages.keys().cloned()),
        }
        let changed = match publish(&mut s.pages, &dir, files, &expected) {
            Ok(c) => c,
            Err(e) => {
                drop(s);
                self.engine.forget();
                if quick {
                    diagnostics.clear();
                }
                diagnostics.push(e);
                return failed(diagnostics);
            }
        };
        s.generation += 1;
        let generation = s.generation;
        drop(s);
        let Some(cur) = self.engine.current() else {
            return failed(diagnostics);
        };
        let _ = self.slow_tx.send(SlowTask {
            generation,
            model: Arc::clone(&cur.model),
            bodies: Arc::clone(&cur.bodies),
            section_bodies: Arc::clone(&cur.section_bodies),
            theme: Arc::clone(&cur.theme),
            synonyms: cur.synonyms.clone(),
            lists,
            assets,
        });
        Outcome {
            ok: true,
            diagnostics,
            changed,
            rendered,
            documents: cur.model.docs.len(),
            quick,
            notices,
        }
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
    let cx = OutputContext {
        renderer: &renderer,
        synonyms: &task.synonyms,
        dry_run: false,
        only: Only {
            lists: Some(lists),
            assets: Some(assets),
        },
    };
    let out = Output::memory();
    let mut kept = Vec::new();
    for o in outputs::ALL.iter().filter(|o| o.background()) {
        o.write(&cx, &out).map_err(first)?;
        kept.extend(o.kept(model));
    }
    drop(renderer);
    let files = out.take();
    let mut expected: HashSet<String> = files.iter().map(|(p, _)| p.clone()).collect();
    expected.extend(kept);
    Ok((files, expected))
}

fn failed(mut diags: Vec<Diagnostic>) -> Outcome {
    crate::engine::sort(&mut diags);
    Outcome {
        diagnostics: diags,
        ..Outcome::default()
    }
}
