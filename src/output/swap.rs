//! Staging and the atomic swap: a build writes into a fresh folder beside
//! the output, which replaces the output in one step at the end; what killed
//! builds left behind is removed by the next.

use std::path::{Path, PathBuf};

use super::refuse::fs_reason;
use crate::fs::{self, FsError};

/// Why the new site did not replace the output.
#[derive(Debug)]
pub struct CommitError {
    pub error: FsError,
    /// Where the previous output is, when it is no longer at its place (only
    /// on systems without an atomic exchange, if moving it back failed).
    pub moved_to: Option<PathBuf>,
}

/// Makes a fresh staging folder beside the folder `real` that the build
/// will replace, after removing what killed builds left there.
pub(super) fn staging_folder(real: &Path) -> Result<PathBuf, FsError> {
    let (parent, name) = match (real.parent(), real.file_name()) {
        (Some(p), Some(n)) if !p.as_os_str().is_empty() => {
            (p.to_path_buf(), n.to_string_lossy().into_owned())
        }
        _ => {
            return Err(FsError {
                path: real.to_path_buf(),
                message: "不能用作输出目录".into(),
                line: 0,
                kind: None,
            });
        }
    };
    fs::create_dir_all(&parent)?;
    remove_stale(&parent, &name);
    let staging = parent.join(staging_name(&name, "building", std::process::id()));
    fs::remove_dir_all(&staging)?;
    // Named by the folder it goes in: the staging name carries a PID.
    fs::create_dir(&staging).map_err(|e| FsError {
        path: parent.clone(),
        message: e
            .message
            .replacen("无法创建目录", "无法在此创建生成用的临时目录", 1),
        ..e
    })?;
    Ok(staging)
}

/// Replaces the folder `final_dir` with `staging` for [`Output::commit`](super::Output::commit):
/// exchanged in one step where the system allows it, else by two renames.
pub(super) fn replace(staging: PathBuf, final_dir: &Path) -> Result<Option<FsError>, CommitError> {
    let fail = |error| CommitError {
        error,
        moved_to: None,
    };
    let name = final_dir
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let old = staging.with_file_name(staging_name(&name, "old", std::process::id()));
    match std::fs::symlink_metadata(final_dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::rename(&staging, final_dir).map_err(fail)?;
            return Ok(None);
        }
        Ok(m) if m.is_dir() => {}
        // Checked by `target`; something changed it since.
        _ => {
            return Err(fail(FsError {
                path: final_dir.to_path_buf(),
                message: "不再是一个目录".into(),
                line: 0,
                kind: None,
            }));
        }
    }
    fs::remove_dir_all(&old).map_err(fail)?;
    match exchange(&staging, final_dir) {
        Ok(()) => {
            // The old site is now at the staging name; rename it so a
            // kill during the removal leaves an `.old-` folder.
            let gone = match std::fs::rename(&staging, &old) {
                Ok(()) => old,
                Err(_) => staging,
            };
            return Ok(fs::remove_dir_all(&gone).err());
        }
        Err(e) if !exchange_unsupported(&e) => {
            return Err(fail(FsError {
                path: final_dir.to_path_buf(),
                message: format!("无法用新网站替换：{}", fs_reason(&e)),
                line: 0,
                kind: Some(e.kind()),
            }));
        }
        Err(_) => {}
    }
    // Two renames: the output is missing for the moment between them.
    fs::rename(final_dir, &old).map_err(fail)?;
    if let Err(e) = fs::rename(&staging, final_dir) {
        let moved_to = match std::fs::rename(&old, final_dir) {
            Ok(()) => None,
            Err(_) => Some(old),
        };
        return Err(CommitError { error: e, moved_to });
    }
    Ok(fs::remove_dir_all(&old).err())
}

/// `.public.building-123`: a staging name of build 123 for `public`.
fn staging_name(name: &str, kind: &str, pid: u32) -> String {
    format!(".{name}.{kind}-{pid}")
}

/// Removes the staging folders of `name` that builds no longer running
/// left in `parent` (a killed build cannot clean up). Only gongshi's own
/// names, only folders, only of processes that are gone; failures are left
/// for the next build.
fn remove_stale(parent: &Path, name: &str) {
    for kind in ["building", "old"] {
        remove_dead(parent, &format!(".{name}.{kind}-"));
    }
}

/// Removes the folders in `parent` named `prefix` followed by the process
/// id of a process that is gone (`gongshi-serve-123` of a killed preview,
/// `.public.building-123` of a killed build). Other names, files and the
/// folders of running processes are left alone.
pub fn remove_dead(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(digits) = file.to_str().and_then(|f| f.strip_prefix(prefix)) else {
            continue;
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(pid) = digits.parse::<u32>() else {
            continue;
        };
        if pid == me || process_alive(pid) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(&entry.path());
        }
    }
}

/// Whether process `pid` may still be running (when in doubt, yes).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 sends nothing; it only asks whether `pid` exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

/// Swaps two paths in one step (`renameat2` with `RENAME_EXCHANGE`, Linux
/// 3.15+). The libc crate gives the syscall number and flag; it was already
/// in the build through other crates. The raw syscall, not glibc's wrapper,
/// so that an old glibc links and an old kernel answers ENOSYS.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both arguments are NUL-terminated strings that outlive the
    // call; the kernel only reads them.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The system or file system has no atomic exchange: use two renames.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn build_into(public: &Path, text: &str) {
        let out = Output::begin(public).unwrap();
        out.write("index.html", text.as_bytes()).unwrap();
        out.write("a/b/c.html", text.as_bytes()).unwrap();
        assert!(out.commit().unwrap().is_none());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_temp_file_system_exchanges_atomically() {
        // Otherwise the test below would only test the fallback.
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::write(b.clone(), "b").unwrap();
        exchange(&a, &b).unwrap();
        assert!(a.is_file() && b.is_dir());
    }

    #[test]
    fn the_output_is_never_missing_while_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        build_into(&public, "0");
        let index = public.join("index.html");
        let stop = Arc::new(AtomicBool::new(false));
        let watching = Arc::clone(&stop);
        let watcher = std::thread::spawn(move || {
            let (mut seen, mut missing) = (0u64, 0u64);
            while !watching.load(Ordering::Relaxed) {
                match std::fs::metadata(&index) {
                    Ok(_) => seen += 1,
                    Err(_) => missing += 1,
                }
            }
            (seen, missing)
        });
        for i in 1..=300 {
            build_into(&public, &i.to_string());
        }
        stop.store(true, Ordering::Relaxed);
        let (seen, missing) = watcher.join().unwrap();
        assert_eq!(missing, 0, "missing {missing} of {} times", seen + missing);
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "300"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "staging folders left: {left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn only_dead_builds_staging_folders_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        for name in [
            ".public.building-4194305",
            ".public.old-1",
            ".public.old-12x",
        ] {
            std::fs::create_dir(tmp.path().join(name)).unwrap();
        }
        std::fs::write(tmp.path().join(".public.old-4194306"), "a file").unwrap();
        remove_stale(tmp.path(), "public");
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // 4194305 is above Linux's largest PID: no such process.
        assert_eq!(
            left,
            [".public.old-1", ".public.old-12x", ".public.old-4194306"]
        );
    }
}
