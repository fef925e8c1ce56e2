//! Reading the repository: which commits touched `content/`, and their
//! tree diffs, from `git` run as a child process.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use super::log::{History, parse_log};

/// Reads the history of `root/content`. Returns `None` with a notice when
/// the site is not in a git repository or git is missing; the build then
/// uses front-matter dates only.
pub fn read(root: &Path) -> (Option<History>, Vec<String>) {
    let mut notices = Vec::new();
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "core.quotepath=false",
                "-c",
                "log.showSignature=false",
            ])
            .args(args)
            .env("LC_ALL", "C")
            .output()
    };
    // One process: inside a work tree? shallow? where below the top?
    let probe = match git(&[
        "rev-parse",
        "--is-inside-work-tree",
        "--is-shallow-repository",
        "--show-prefix",
    ]) {
        Ok(out) => out,
        Err(_) => {
            notices.push("未找到 git 程序：更新日期和修订记录只取自前置元数据。".to_string());
            return (None, notices);
        }
    };
    let probe_text = String::from_utf8_lossy(&probe.stdout);
    let mut probe_lines = probe_text.lines();
    if !probe.status.success() || probe_lines.next() != Some("true") {
        notices.push("站点目录不在 git 仓库中：更新日期和修订记录只取自前置元数据。".to_string());
        return (None, notices);
    }
    let shallow = probe_lines.next() == Some("true");
    let at_top = probe_lines.next().is_none_or(str::is_empty);
    let fail = |notices: &mut Vec<String>, err: &str| {
        // A repository with no commits yet has no history to read.
        if !err.contains("unknown revision") && !err.contains("does not have any commits") {
            notices.push(format!(
                "读取 git 历史失败（{}）：只使用前置元数据中的日期。",
                err.trim()
            ));
        }
    };
    // The standard output of a git command, or a notice saying why not.
    let output = |notices: &mut Vec<String>, args: &[&str]| match git(args) {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => {
            fail(notices, &String::from_utf8_lossy(&o.stderr));
            None
        }
        Err(e) => {
            notices.push(format!("无法运行 git（{e}）：只使用前置元数据中的日期。"));
            None
        }
    };
    // Every commit with its parents: a walk without diffs, so cheap.
    let Some(all) = output(&mut notices, &["rev-list", "--parents", "HEAD"]) else {
        return (None, notices);
    };
    let walk = Walk::of(&all);
    // The commits that touched content/, newest first. Without merges that
    // is every commit whose diff names a file in content/, which the diffs
    // below show anyway; with merges, git's history simplification decides
    // which side branches count, so ask it with a path-limited walk.
    let revs = if walk.merges {
        let Some(revs) = output(&mut notices, &["rev-list", "HEAD", "--", "content"]) else {
            return (None, notices);
        };
        revs
    } else {
        walk.commits.join("\n")
    };
    let out = match names_and_messages(root, &revs, at_top) {
        Ok(out) => out,
        Err(e) => {
            notices.push(format!(
                "读取 git 历史失败（{e}）：只使用前置元数据中的日期。"
            ));
            return (None, notices);
        }
    };
    let mut history = parse_log(&out);
    history.shallow = shallow;
    if shallow {
        history.boundary = walk.last_root.map(str::to_string);
        notices.push(
            "这是浅克隆（shallow clone），只有部分修订历史：最早可见提交之前的发布日期取自前置元数据。如需完整历史，请运行 git fetch --unshallow。"
                .to_string(),
        );
    }
    (Some(history), notices)
}

/// What `git rev-list --parents HEAD` says about the shape of history.
#[derive(Debug, PartialEq, Eq)]
struct Walk<'a> {
    /// Every commit, newest first.
    commits: Vec<&'a str>,
    /// Some commit has two or more parents.
    merges: bool,
    /// The last commit without parents (where a shallow clone was cut).
    last_root: Option<&'a str>,
}

impl<'a> Walk<'a> {
    fn of(text: &'a str) -> Walk<'a> {
        let mut walk = Walk {
            commits: Vec::new(),
            merges: false,
            last_root: None,
        };
        for line in text.lines() {
            let mut ids = line.split_ascii_whitespace();
            let Some(commit) = ids.next() else { continue };
            walk.commits.push(commit);
            match ids.count() {
                0 => walk.last_root = Some(commit),
                1 => {}
                _ => walk.merges = true,
            }
        }
        walk
    }
}

/// What `git log -z --name-only --format=…` prints for `revs`, computed by
/// `git diff-tree --stdin` in two processes: the per-commit tree diffs are
/// the whole cost of reading history, and they parallelize across the
/// machine's cores. The processes take alternate runs of [`RUN`] commits,
/// not the two halves: a diff costs more where trees are big or objects
/// are not yet packed (recent commits), so halves can differ threefold,
/// while runs of neighbours keep git's cache of tree objects useful.
///
/// At the top of the repository the diffs are not limited to `content`
/// (matching each path against it costs more than the few other files
/// they name; [`parse_log`] keeps only `content/`); below the top, the
/// limit keeps git out of the rest of the repository.
fn names_and_messages(root: &Path, revs: &str, at_top: bool) -> Result<String, String> {
    let commits: Vec<&str> = revs.lines().filter(|l| !l.is_empty()).collect();
    let mut inputs = [String::new(), String::new()];
    for (n, run) in commits.chunks(RUN).enumerate() {
        for c in run {
            inputs[n % 2].push_str(c);
            inputs[n % 2].push('\n');
        }
    }
    let limit: &[&str] = if at_top { &[] } else { &["--", "content"] };
    let handles: Vec<_> = inputs
        .into_iter()
        .filter(|input| !input.is_empty())
        .map(|input| {
            let root = root.to_path_buf();
            std::thread::spawn(move || -> Result<Vec<u8>, String> {
                use std::io::Write;
                let mut child = Command::new("git")
                    .arg("-C")
                    .arg(&root)
                    .args([
                        "-c",
                        "core.quotepath=false",
                        "diff-tree",
                        "--stdin",
                        "--root",
                        "-r",
                        "--no-renames",
                        "--relative",
                        "-z",
                    ])
                    .args([
                        "--name-only",
                        "--no-color",
                        "--format=%x1e%H%x1f%cI%x1f%B%x1f",
                    ])
                    .args(limit)
                    .env("LC_ALL", "C")
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .map_err(|e| e.to_string())?;
                let mut stdin = child.stdin.take();
                let writer = std::thread::spawn(move || {
                    if let Some(s) = stdin.as_mut() {
                        let _ = s.write_all(input.as_bytes());
                    }
                });
                let out = child.wait_with_output().map_err(|e| e.to_string())?;
                let _ = writer.join();
                if out.status.success() {
                    Ok(out.stdout)
                } else {
                    Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
                }
            })
        })
        .collect();
    let mut outputs = Vec::new();
    for h in handles {
        let out = h
            .join()
            .map_err(|_| "git diff-tree panicked".to_string())??;
        outputs.push(String::from_utf8_lossy(&out).into_owned());
    }
    Ok(in_order(&commits, &outputs))
}

/// The records of `outputs` in the order of `commits` (newest first).
fn in_order(commits: &[&str], outputs: &[String]) -> String {
    let position: HashMap<&str, usize> = commits.iter().enumerate().map(|(n, c)| (*c, n)).collect();
    let mut records: Vec<(usize, &str)> = outputs
        .iter()
        .flat_map(|o| o.split('\u{1e}'))
        .filter(|r| !r.trim_matches(['\0', '\n']).is_empty())
        .map(|r| {
            let hash = r.split('\u{1f}').next().unwrap_or("").trim();
            (position.get(hash).copied().unwrap_or(usize::MAX), r)
        })
        .collect();
    records.sort_by_key(|(n, _)| *n);
    records.iter().fold(String::new(), |mut all, (_, r)| {
        all.push('\u{1e}');
        all.push_str(r);
        all
    })
}

/// Commits in a row that one `git diff-tree` process takes.
const RUN: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_of_alternate_runs_come_back_in_order() {
        let rec = |h: &str| {
            format!(
                "\u{1e}{h}\u{1f}2024-01-01T09:00:00+08:00\u{1f}改{h}\n\u{1f}\0\ncontent/{h}.md\0"
            )
        };
        let outputs = [rec("c4") + &rec("c1"), rec("c3") + &rec("c2")];
        let text = in_order(&["c4", "c3", "c2", "c1"], &outputs);
        assert_eq!(text, rec("c4") + &rec("c3") + &rec("c2") + &rec("c1"));
    }

    #[test]
    fn walks_tell_merges_and_roots() {
        let linear = Walk::of("c3 c2\nc2 c1\nc1\n");
        assert_eq!(linear.commits, ["c3", "c2", "c1"]);
        assert!(!linear.merges);
        assert_eq!(linear.last_root, Some("c1"));
        let merged = Walk::of("m c2 b1\nc2 c1\nb1 c1\nc1\n");
        assert!(merged.merges);
        assert_eq!(merged.last_root, Some("c1"));
        assert_eq!(Walk::of("").last_root, None);
    }
}
