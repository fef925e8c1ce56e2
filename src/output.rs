//! Writing `public/` atomically: the build goes into a fresh folder beside
//! the output and replaces it only at the end. A failed build (or a crash)
//! leaves the previous site exactly as it was.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::fs::{self, FsError};

/// A file of a memory output: its path below the root and its bytes.
pub type File = (String, Vec<u8>);

/// A build's output in progress.
pub struct Output {
    final_dir: PathBuf,
    /// `None` for `check`, which renders everything and writes nothing.
    staging: Option<PathBuf>,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
    /// Folders already made below the staging root. On the virtual disks we
    /// run on, `mkdir` and `stat` cost ~100 µs each, so each folder is made
    /// once with a single `mkdir` instead of `create_dir_all` per file.
    made: Mutex<HashSet<String>>,
    /// Files kept in memory instead of written (a live preview compares
    /// them with what it serves and writes only the changed ones).
    memory: Option<Mutex<Vec<File>>>,
}

impl Output {
    /// Starts an output that will replace `final_dir`.
    pub fn begin(final_dir: &Path) -> Result<Output, FsError> {
        let parent = match final_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = final_dir
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
        fs::remove_dir_all(&staging)?;
        fs::create_dir_all(&staging)?;
        Ok(Output {
            final_dir: final_dir.to_path_buf(),
            staging: Some(staging),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            committed: false,
            made: Mutex::new(HashSet::new()),
            memory: None,
        })
    }

    /// An output that discards everything (for `check`).
    pub fn dry() -> Output {
        Output {
            final_dir: PathBuf::new(),
            staging: None,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            committed: false,
            made: Mutex::new(HashSet::new()),
            memory: None,
        }
    }

    /// An output that keeps every file in memory; see [`Output::take`].
    pub fn memory() -> Output {
        let mut out = Output::dry();
        out.memory = Some(Mutex::new(Vec::new()));
        out
    }

    /// The files written to a memory output so far, in no particular order.
    pub fn take(&self) -> Vec<File> {
        self.memory.as_ref().map_or_else(Vec::new, |m| {
            std::mem::take(&mut *m.lock().unwrap_or_else(|e| e.into_inner()))
        })
    }

    /// Writes one file at a `/`-separated path below the output root.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), FsError> {
        self.write_mode(rel, bytes, None)
    }

    /// Writes a copy of a site file with at most the permission bits `mode`
    /// (from [`fs::narrower_mode`] of its source); `None` as [`Output::write`].
    pub fn write_mode(&self, rel: &str, bytes: &[u8], mode: Option<u32>) -> Result<(), FsError> {
        debug_assert!(!rel.split('/').any(|s| s == ".."), "{rel}");
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let Some(root) = &self.staging else {
            if let Some(m) = &self.memory {
                m.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((rel.to_string(), bytes.to_vec()));
            }
            return Ok(());
        };
        if let Some((dir, _)) = rel.rsplit_once('/') {
            self.make_dir(root, dir)?;
        }
        fs::write_mode(&root.join(rel), bytes, mode)
    }

    /// Makes `dir` (and its parents) below `root`, each at most once.
    fn make_dir(&self, root: &Path, dir: &str) -> Result<(), FsError> {
        let mut end = 0;
        while end < dir.len() {
            end = dir[end..].find('/').map_or(dir.len(), |i| end + i);
            let prefix = &dir[..end];
            end += 1;
            if self
                .made
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(prefix)
            {
                continue;
            }
            let path = root.join(prefix);
            match std::fs::create_dir(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => fs::create_dir_all(&path)?,
            }
            self.made
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(prefix.to_string());
        }
        Ok(())
    }

    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Replaces the final folder with the staged one.
    pub fn commit(mut self) -> Result<(), FsError> {
        let Some(staging) = self.staging.clone() else {
            self.committed = true;
            return Ok(());
        };
        let old = staging.with_file_name(format!(
            ".{}.old-{}",
            self.final_dir
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.final_dir.exists();
        if had_old {
            fs::remove_dir_all(&old)?;
            fs::rename(&self.final_dir, &old)?;
        }
        if let Err(e) = fs::rename(&staging, &self.final_dir) {
            if had_old {
                let _ = fs::rename(&old, &self.final_dir);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed
            && let Some(s) = &self.staging
        {
            let _ = fs::remove_dir_all(s);
        }
    }
}
