//! Writing `public/` safely. Before anything is built, the output path is
//! checked ([`target`]): it may not be or hold the site's sources, and a
//! folder with files in it is replaced only if gongshi wrote it (its
//! [`MARKER`] file) or `--force` says so. The build then goes into a fresh
//! folder beside the output, and replaces it only at the end, in one atomic
//! step where the system allows it. A failed build (or a crash) leaves the
//! previous site exactly as it was, and the next build removes what a killed
//! one left behind.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::fs::{self, FsError};

mod refuse;
mod swap;

pub use self::refuse::{MARKER, MARKER_TEXT, Refusal, Target, target};
pub use self::swap::{CommitError, remove_dead};

/// A write or rename of the output that failed, in words for a clerk:
/// a full disk is said as such (once), anything else names its path.
pub fn failure_message(e: &FsError, shown: &str) -> String {
    use std::io::ErrorKind as K;
    match e.kind {
        Some(K::StorageFull) => format!(
            "磁盘空间不足：{shown} 所在的磁盘放不下新生成的网站，已写入的部分已删除。请腾出磁盘空间后重新生成"
        ),
        Some(K::QuotaExceeded) => format!(
            "磁盘配额已用完：{shown} 所在磁盘上的配额放不下新生成的网站，已写入的部分已删除。请腾出空间或请管理员增加配额后重新生成"
        ),
        Some(K::FileTooLarge) => "文件超出系统允许的大小：新网站中有文件超过了系统对单个文件大小的限制（ulimit -f），已写入的部分已删除。请放宽限制后重新生成".to_string(),
        _ => e.to_string(),
    }
}

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
    /// The first write the disk refused for lack of room; every later write
    /// fails at once with it, so a full disk is one error, not one per file.
    exhausted: OnceLock<FsError>,
}

impl Output {
    /// Starts an output that will replace the folder `real` (a [`Target`]'s
    /// real path). Removes what killed builds left beside it.
    pub fn begin(real: &Path) -> Result<Output, FsError> {
        let staging = swap::staging_folder(real)?;
        // From here on, dropping `out` removes the staging folder.
        let mut out = Output::dry();
        out.final_dir = real.to_path_buf();
        out.staging = Some(staging.clone());
        fs::write(&staging.join(MARKER), MARKER_TEXT.as_bytes())?;
        Ok(out)
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
            exhausted: OnceLock::new(),
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
        self.staged(root, rel, |path| fs::write_mode(path, bytes, mode))
    }

    /// Writes one file whose bytes `fill` writes, without holding them all
    /// (a catalog of every document is tens of megabytes).
    pub fn write_from(
        &self,
        rel: &str,
        fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), FsError> {
        let Some(root) = &self.staging else {
            let mut bytes = Vec::new();
            // A memory writer cannot fail.
            let _ = fill(&mut bytes);
            return self.write(rel, &bytes);
        };
        debug_assert!(!rel.split('/').any(|s| s == ".."), "{rel}");
        self.files.fetch_add(1, Ordering::Relaxed);
        let n = self.staged(root, rel, |path| fs::write_from(path, fill))?;
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    /// Writes `rel` below the staging folder `root` with `write`, its folder
    /// made first. After the disk ran out of room every write fails at once
    /// with that first error, so a full disk is one message.
    fn staged<T>(
        &self,
        root: &Path,
        rel: &str,
        write: impl FnOnce(&Path) -> Result<T, FsError>,
    ) -> Result<T, FsError> {
        if let Some(e) = self.exhausted.get() {
            return Err(e.clone());
        }
        let result = match rel.rsplit_once('/') {
            Some((dir, _)) => self.make_dir(root, dir),
            None => Ok(()),
        }
        .and_then(|()| write(&root.join(rel)));
        result.inspect_err(|e| {
            if e.is_exhausted() {
                let _ = self.exhausted.set(e.clone());
            }
        })
    }

    /// The disk ran out of room (or quota, or file-size limit) during the
    /// build: the first such error.
    pub fn exhausted(&self) -> Option<&FsError> {
        self.exhausted.get()
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

    /// Replaces the final folder with the staged one. On Linux the two
    /// trade places in one step, so the output path never goes missing;
    /// elsewhere (or on a file system without the exchange) the old folder is
    /// moved aside first. `Ok(Some(e))`: the new site is in place but the old
    /// one could not be removed (the next build tries again).
    pub fn commit(mut self) -> Result<Option<FsError>, CommitError> {
        let Some(staging) = self.staging.clone() else {
            self.committed = true;
            return Ok(None);
        };
        let result = swap::replace(staging, &self.final_dir);
        self.committed = result.is_ok();
        result
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
