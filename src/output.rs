//! Writing `public/` atomically: the build goes into a fresh folder beside
//! the output and replaces it only at the end. A failed build (or a crash)
//! leaves the previous site exactly as it was.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::fs::{self, FsError};

/// A build's output in progress.
pub struct Output {
    final_dir: PathBuf,
    /// `None` for `check`, which renders everything and writes nothing.
    staging: Option<PathBuf>,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
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
        }
    }

    /// Writes one file at a `/`-separated path below the output root.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), FsError> {
        debug_assert!(!rel.split('/').any(|s| s == ".."), "{rel}");
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let Some(root) = &self.staging else {
            return Ok(());
        };
        let path = root.join(rel);
        if let Some(parent) = path.parent()
            && !parent.is_dir()
        {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)
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
