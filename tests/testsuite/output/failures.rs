//! Outputs that cannot be written or swapped (a file, no permission, a
//! full disk, a size limit), links, staging folders, and commands that leave
//! the output alone.

#[cfg(unix)]
use std::path::Path;

#[cfg(unix)]
use crate::harness::Run;

use super::*;

#[cfg(unix)]
#[test]
fn output_that_is_a_file_is_left_as_it_was() {
    let site = Site::fixture("minimal").file("out.txt", "一个文件\n");
    let run = site.run(&["build", "--output", "out.txt"]).failure();
    insta::assert_snapshot!(run.stderr);
    assert_eq!(site.read("out.txt"), "一个文件\n");
    // --force does not make a file a folder.
    site.run(&["build", "--output", "out.txt", "--force"])
        .failure();
    assert_eq!(site.read("out.txt"), "一个文件\n");
    // The same through a link.
    std::os::unix::fs::symlink("out.txt", site.path("public")).unwrap();
    site.run(&["build"])
        .failure()
        .stderr_contains("输出位置 ./public（即 [ROOT]/out.txt）是一个文件");
    assert_eq!(site.read("out.txt"), "一个文件\n");
    assert!(site.path("public").is_symlink());
    assert_eq!(
        site.root_entries(),
        ["content", "out.txt", "public", "site.toml"]
    );
}

/// Whether this process is root. A test that needs it fails loudly
/// without it, unless `GONGSHI_TEST_UNPRIVILEGED=1` asks to skip it.
#[cfg(unix)]
fn root_or_skip(what: &str) -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        return true;
    }
    if std::env::var("GONGSHI_TEST_UNPRIVILEGED").is_ok_and(|v| v == "1") {
        eprintln!("SKIPPED: {what} needs root (GONGSHI_TEST_UNPRIVILEGED=1)");
        return false;
    }
    panic!(
        "{what} needs root; run the tests as root, or set GONGSHI_TEST_UNPRIVILEGED=1 to skip it"
    );
}

/// `gongshi ARGS` as user and group 65534 (nobody), when run as root, so
/// that file permissions apply; the site is opened up for that user.
#[cfg(unix)]
fn run_unprivileged(site: &Site, args: &[&str]) -> Run {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let mut cmd = site.command(args);
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        std::fs::set_permissions(site.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
        cmd.uid(65534).gid(65534).env("HOME", "/nonexistent");
    }
    site.run_command(cmd)
}

#[cfg(unix)]
#[test]
fn output_whose_folder_is_not_writable_is_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture("minimal");
    site.run(&["build", "--output", "out/site"]).success();
    let before = site.tree("out/site");
    std::fs::set_permissions(site.path("out"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let site = site.edit("content/about/site-guide.md", "## 如何查询", "## 新的标题");
    let run = run_unprivileged(&site, &["build", "--output", "out/site"]).failure();
    std::fs::set_permissions(site.path("out"), std::fs::Permissions::from_mode(0o755)).unwrap();
    insta::assert_snapshot!(run.stderr);
    assert_same_tree(&site.tree("out/site"), &before);
    assert_eq!(entries(&site, "out"), ["site"]);
}

#[cfg(unix)]
#[test]
fn output_that_cannot_be_swapped_is_left_as_it_was() {
    // A sticky shared folder (like /tmp) holding root's site: another user
    // can build beside it but may not move it.
    use std::os::unix::fs::PermissionsExt;
    if !root_or_skip("output_that_cannot_be_swapped_is_left_as_it_was") {
        return;
    }
    let site = Site::fixture("minimal");
    site.run(&["build", "--output", "out/site"]).success();
    let before = site.tree("out/site");
    std::fs::set_permissions(site.path("out"), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let site = site.edit("content/about/site-guide.md", "## 如何查询", "## 新的标题");
    let run = run_unprivileged(&site, &["build", "--output", "out/site"]).failure();
    insta::assert_snapshot!(run.stderr);
    assert_same_tree(&site.tree("out/site"), &before);
    assert_eq!(entries(&site, "out"), ["site"]);
}

#[cfg(unix)]
#[test]
fn public_never_disappears_while_a_build_replaces_it() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let site = Site::fixture("minimal");
    site.build();
    let index = site.path("public/index.html");
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
    for _ in 0..8 {
        site.build();
    }
    stop.store(true, Ordering::Relaxed);
    let (seen, missing) = watcher.join().unwrap();
    assert_eq!(
        missing, 0,
        "public/index.html was missing {missing} of {seen} times"
    );
    assert!(seen > 1000, "the watcher looked only {seen} times");
    assert_eq!(site.root_entries(), ["content", "public", "site.toml"]);
}

#[cfg(unix)]
#[test]
fn symlinked_output_is_followed_and_the_link_kept() {
    // Deployments link public/ to the folder the web server serves.
    let site = Site::fixture("minimal");
    site.run(&["build", "--output", "www/site"]).success();
    let site = site.file("www/site/stale.html", "old");
    std::os::unix::fs::symlink("www/site", site.path("public")).unwrap();
    let run = site.build();
    insta::assert_snapshot!(run.stderr);
    assert_eq!(
        std::fs::read_link(site.path("public")).unwrap(),
        Path::new("www/site")
    );
    site.file_exists("www/site/index.html")
        .file_exists("www/site/.gongshi-output")
        .file_missing("www/site/stale.html");
    assert_eq!(
        site.root_entries(),
        ["content", "public", "site.toml", "www"]
    );
    assert_eq!(entries(&site, "www"), ["site"]);
    // A link to a folder not made yet: the folder is made, the link kept.
    let site = site.remove("public");
    std::os::unix::fs::symlink("www/new/site", site.path("public")).unwrap();
    site.build();
    assert_eq!(
        std::fs::read_link(site.path("public")).unwrap(),
        Path::new("www/new/site")
    );
    site.file_exists("www/new/site/index.html");
    assert_eq!(entries(&site, "www/new"), ["site"]);
}

#[cfg(unix)]
#[test]
fn staging_folders_of_dead_builds_are_removed() {
    // A process that has ended: its PID names no running build.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let alive = std::process::id();
    let site = Site::fixture("minimal");
    site.build();
    let site = site
        .file(&format!(".public.building-{dead}/index.html"), "half")
        .file(&format!(".public.old-{dead}/index.html"), "old")
        .file(&format!(".public.building-{alive}/index.html"), "running")
        .file(".public.old-1/index.html", "running, another user")
        .file(&format!(".public.building-{dead}x/keep"), "not ours")
        .file(&format!(".public.backup-{dead}/keep"), "not ours")
        .file(&format!(".other.building-{dead}/keep"), "not ours")
        .file(".public.building-/keep", "not ours");
    let keep: BTreeMap<String, Vec<u8>> = everything(&site)
        .into_iter()
        .filter(|(k, _)| {
            k.starts_with('.')
                && !k.starts_with(&format!(".public.building-{dead}/"))
                && !k.starts_with(&format!(".public.old-{dead}/"))
        })
        .collect();
    site.build();
    let after: BTreeMap<String, Vec<u8>> = everything(&site)
        .into_iter()
        .filter(|(k, _)| k.starts_with('.'))
        .collect();
    assert_eq!(after, keep);
    assert_eq!(keep.len(), 6);
}

/// A tmpfs mounted on a folder, unmounted when dropped.
#[cfg(target_os = "linux")]
struct Tmpfs(std::ffi::CString);

#[cfg(target_os = "linux")]
impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        std::fs::create_dir_all(dir).unwrap();
        let target = CString::new(dir.as_os_str().as_bytes()).unwrap();
        let fs = CString::new("tmpfs").unwrap();
        let data = CString::new(format!("size={size},mode=0755")).unwrap();
        // SAFETY: NUL-terminated strings that outlive the call.
        let r = unsafe {
            libc::mount(
                fs.as_ptr(),
                target.as_ptr(),
                fs.as_ptr(),
                0,
                data.as_ptr().cast(),
            )
        };
        assert_eq!(
            r,
            0,
            "mount -t tmpfs on {}: {} (needs root with CAP_SYS_ADMIN; set GONGSHI_TEST_UNPRIVILEGED=1 to skip)",
            dir.display(),
            std::io::Error::last_os_error()
        );
        Tmpfs(target)
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        // SAFETY: a NUL-terminated string.
        unsafe { libc::umount2(self.0.as_ptr(), libc::MNT_DETACH) };
    }
}

/// Fills the disk under `path` with one file, then frees `room` bytes.
#[cfg(target_os = "linux")]
fn fill_leaving(path: &Path, room: u64) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let written = loop {
        if let Err(e) = f.write_all(&chunk) {
            assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "{e}");
            break f.metadata().unwrap().len();
        }
    };
    f.set_len(written.saturating_sub(room)).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn full_disk_is_one_error_and_keeps_the_output() {
    if !root_or_skip("full_disk_is_one_error_and_keeps_the_output (mounts a small tmpfs)") {
        return;
    }
    let site = Site::fixture("minimal");
    // Dropped before `site` even on a panic: a mounted folder cannot be removed.
    let disk = Tmpfs::mount(&site.path("out"), "4m");
    site.run(&["build", "--output", "out/site"]).success();
    let before = site.tree("out/site");
    fill_leaving(&site.path("out/filler"), 64 * 1024);
    std::fs::write(
        site.path("content/about/site-guide.md"),
        "+++\ntitle = \"改过\"\n+++\n\n新的正文\n",
    )
    .unwrap();
    let run = site.run(&["build", "--output", "out/site"]).failure();
    insta::assert_snapshot!(run.stderr);
    assert_same_tree(&site.tree("out/site"), &before);
    assert_eq!(entries(&site, "out"), ["filler", "site"]);
    drop(disk);
}

#[cfg(unix)]
#[test]
fn file_size_limit_is_one_error_and_keeps_the_output() {
    // `ulimit -f` (RLIMIT_FSIZE) with SIGXFSZ ignored: writes past 8 KiB
    // fail with EFBIG, the way a full disk fails with ENOSPC; needs no
    // privilege.
    use std::os::unix::process::CommandExt;
    let site = Site::fixture("minimal");
    site.build();
    let before = site.tree("public");
    let site = site.edit("content/about/site-guide.md", "## 如何查询", "## 新的标题");
    let mut cmd = site.command(&["build"]);
    // SAFETY: setrlimit and signal are async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 8192,
                rlim_max: 8192,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let run = site.run_command(cmd).failure();
    insta::assert_snapshot!(run.stderr);
    assert_same_tree(&site.tree("public"), &before);
    assert_eq!(site.root_entries(), ["content", "public", "site.toml"]);
}

#[cfg(unix)]
#[test]
fn check_and_serve_leave_the_output_folder_alone() {
    // `check` writes nothing and `serve` builds into a temporary folder:
    // neither looks at where `build` would write.
    let site = Site::fixture("minimal").file("public", "不是目录\n");
    site.check().success().stderr_contains("检查通过");
    let site = site
        .remove("public")
        .file("public/notes.txt", "不是 gongshi 生成的\n");
    site.check().success();
    let server = crate::serve::Server::start(&site, &[]);
    let (status, _, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("<html"));
    drop(server);
    assert_eq!(entries(&site, "public"), ["notes.txt"]);
    assert_eq!(site.root_entries(), ["content", "public", "site.toml"]);
}
