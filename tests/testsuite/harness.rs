//! The test harness: a fixture site copied to a temporary folder, edited,
//! then run through the real `gongshi` binary.
//!
//! Every run gets `SOURCE_DATE_EPOCH` = [`EPOCH`] (the build date decides
//! statuses such as 现行有效), runs with the site root as its working
//! directory, and has the temporary path replaced by `[ROOT]` in its output,
//! so error messages can be snapshotted.
//!
//! ```ignore
//! let site = Site::fixture("minimal").edit("site.toml", "a", "b");
//! site.build().success();
//! site.file_contains("public/lists/index.html", "公示清单");
//! ```
//!
//! Setup methods (`file`, `edit`, `remove`, `overlay`, `env`) take and
//! return the site by value, so a test can rebind it between runs
//! (`let site = site.edit(…)`); assertions take `&self` and chain.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2025-11-28 00:00 UTC: the build date is 2025年11月28日 in Beijing.
pub(crate) const EPOCH: &str = "1764288000";

/// Where fixture sites live: `tests/fixtures/<name>/`.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A site in a temporary folder.
pub(crate) struct Site {
    tmp: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Site {
    /// An empty folder (for `init`, or a site without `site.toml`).
    pub(crate) fn empty() -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("gongshi-test-")
            .tempdir()
            .expect("create temp dir");
        Site {
            tmp,
            env: vec![("SOURCE_DATE_EPOCH".into(), EPOCH.into())],
        }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub(crate) fn fixture(name: &str) -> Site {
        Site::empty().overlay(name)
    }

    /// Copies `tests/fixtures/<name>/` over the site (files replace files).
    pub(crate) fn overlay(self, name: &str) -> Site {
        let from = fixtures().join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        copy_tree(&from, self.root());
        self
    }

    /// Writes a file (creating folders).
    pub(crate) fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Site {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        self
    }

    /// Replaces the one occurrence of `from` in a text file by `to`.
    #[track_caller]
    pub(crate) fn edit(self, rel: &str, from: &str, to: &str) -> Site {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} should contain {from:?} exactly once:\n{text}"
        );
        let text = text.replacen(from, to, 1);
        self.file(rel, text)
    }

    /// Removes a file or folder.
    pub(crate) fn remove(self, rel: &str) -> Site {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        }
        .unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        self
    }

    /// Sets an environment variable for every later run.
    pub(crate) fn env(mut self, key: &str, value: &str) -> Site {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    pub(crate) fn root(&self) -> &Path {
        self.tmp.path()
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Runs `gongshi ARGS` in the site root.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_command(self.command(args))
    }

    /// The command [`Site::run`] runs, to adjust (user, limits) before
    /// [`Site::run_command`].
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        self.prepare(Command::new(env!("CARGO_BIN_EXE_gongshi")), args)
    }

    /// Runs `gongshi ARGS` with at most `mb` megabytes of address space and
    /// 60 s of CPU, so that a regression into unbounded growth fails this
    /// test (the allocation fails, the process aborts) instead of taking the
    /// machine down with it.
    #[cfg(unix)]
    pub(crate) fn run_limited(&self, mb: u64, args: &[&str]) -> Run {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "ulimit -v {} && ulimit -t 60 && exec \"$0\" \"$@\"",
                mb * 1024
            ))
            .arg(env!("CARGO_BIN_EXE_gongshi"));
        self.run_command(self.prepare(cmd, args))
    }

    /// `cmd` with `args`, run in the site root with the site's environment.
    fn prepare(&self, mut cmd: Command, args: &[&str]) -> Command {
        cmd.args(args)
            .current_dir(self.root())
            .env_remove("GONGSHI_TIMINGS")
            .env_remove("SOURCE_DATE_EPOCH");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs a command made by [`Site::command`].
    pub(crate) fn run_command(&self, mut cmd: Command) -> Run {
        let out = cmd.output().expect("run gongshi");
        Run {
            args: cmd
                .get_args()
                .map(|s| s.to_string_lossy().into_owned())
                .collect(),
            code: out.status.code().unwrap_or_else(|| {
                panic!(
                    "gongshi {:?} was killed by a signal ({:?})\n--- stderr\n{}",
                    cmd.get_args().collect::<Vec<_>>(),
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                )
            }),
            stdout: self.normalize(&String::from_utf8_lossy(&out.stdout)),
            stderr: self.normalize(&String::from_utf8_lossy(&out.stderr)),
        }
    }

    /// `gongshi build`, which must succeed.
    #[track_caller]
    pub(crate) fn build(&self) -> Run {
        self.run(&["build"]).success()
    }

    /// `gongshi check`.
    pub(crate) fn check(&self) -> Run {
        self.run(&["check"])
    }

    /// Output with the temporary path as `[ROOT]` and timings as `[N]`.
    fn normalize(&self, text: &str) -> String {
        let mut s = text.to_string();
        let root = self.root();
        if let Ok(canonical) = root.canonicalize() {
            s = s.replace(canonical.to_str().expect("utf-8 temp path"), "[ROOT]");
        }
        s = s.replace(root.to_str().expect("utf-8 temp path"), "[ROOT]");
        normalize_timings(&s)
    }

    /// A text file's contents.
    #[track_caller]
    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    #[track_caller]
    pub(crate) fn file_contains(&self, rel: &str, needle: &str) -> &Self {
        let text = self.read(rel);
        assert!(
            text.contains(needle),
            "{rel} should contain {needle:?}:\n{text}"
        );
        self
    }

    #[track_caller]
    pub(crate) fn file_lacks(&self, rel: &str, needle: &str) -> &Self {
        let text = self.read(rel);
        assert!(
            !text.contains(needle),
            "{rel} should not contain {needle:?}:\n{text}"
        );
        self
    }

    #[track_caller]
    pub(crate) fn file_exists(&self, rel: &str) -> &Self {
        assert!(self.path(rel).is_file(), "{rel} should exist");
        self
    }

    #[track_caller]
    pub(crate) fn file_missing(&self, rel: &str) -> &Self {
        assert!(!self.path(rel).exists(), "{rel} should not exist");
        self
    }

    /// Every file below `rel`, by `/`-separated relative path.
    pub(crate) fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(rel))
    }

    /// Names of the entries directly in the site root, sorted.
    pub(crate) fn root_entries(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.root())
            .expect("read root")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

/// The result of one run.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) args: Vec<String>,
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "gongshi {:?} exited with {} (expected {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.args, self.code, self.stdout, self.stderr
        );
        self
    }

    /// Exit code 0.
    #[track_caller]
    pub(crate) fn success(self) -> Run {
        self.code(0)
    }

    /// Exit code 1: content errors.
    #[track_caller]
    pub(crate) fn failure(self) -> Run {
        self.code(1)
    }

    #[track_caller]
    pub(crate) fn stderr_contains(self, needle: &str) -> Run {
        assert!(
            self.stderr.contains(needle),
            "stderr should contain {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_lacks(self, needle: &str) -> Run {
        assert!(
            !self.stderr.contains(needle),
            "stderr should not contain {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// `用时 12 毫秒` → `用时 [N] 毫秒`, `（0.3 MB）` → `（[N] MB）`.
fn normalize_timings(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        let mut line = line.to_string();
        for (before, after) in [("用时 ", " 毫秒"), ("（", " MB）")] {
            if let Some(i) = line.find(before) {
                let start = i + before.len();
                if let Some(j) = line[start..].find(after) {
                    let n = &line[start..start + j];
                    if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.') {
                        line.replace_range(start..start + j, "[N]");
                    }
                }
            }
        }
        out.push_str(&line);
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Every file below `dir`, by relative path; empty if `dir` is missing. A
/// symbolic link below it is recorded as `-> target`, not followed.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.expect("entry");
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let kind = entry.file_type().expect("file type");
            if kind.is_symlink() {
                // A link is its target, not followed.
                let to = std::fs::read_link(entry.path()).expect("read link");
                out.insert(name, format!("-> {}", to.display()).into_bytes());
            } else if kind.is_dir() {
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.insert(name, std::fs::read(entry.path()).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// Asserts two trees are identical, naming the files that differ.
#[track_caller]
pub(crate) fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let differ: Vec<&String> = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        only_a.is_empty() && only_b.is_empty() && differ.is_empty(),
        "trees differ\nonly in first: {only_a:?}\nonly in second: {only_b:?}\ndifferent bytes: {differ:?}"
    );
    assert!(!a.is_empty(), "the trees are empty");
}

/// Every `href`, `src` and `action` attribute value in an HTML text.
pub(crate) fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let end = after.find('"').expect("unterminated attribute");
            out.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timings_are_normalized() {
        assert_eq!(
            normalize_timings("检查通过：8 篇文档，60 个页面和文件，用时 23 毫秒。\n"),
            "检查通过：8 篇文档，60 个页面和文件，用时 [N] 毫秒。\n"
        );
        assert_eq!(
            normalize_timings("已生成 8 篇文档，60 个文件（0.3 MB）到 ./public，用时 5 毫秒。"),
            "已生成 8 篇文档，60 个文件（[N] MB）到 ./public，用时 [N] 毫秒。"
        );
        assert_eq!(normalize_timings("（见 MB）"), "（见 MB）");
    }

    #[test]
    fn finds_links() {
        assert_eq!(
            links(r#"<a href="/a/">x</a><img src="b.png"><form action="/s/">"#),
            ["/a/", "b.png", "/s/"]
        );
    }
}
