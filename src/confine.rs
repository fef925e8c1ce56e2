//! The one rule for symbolic links among a site's inputs, whatever the
//! input (`content/`, `static/`, `templates/`, `themes/…`, `site.toml`,
//! `synonyms.toml`): a link is followed only when, every link in its chain
//! resolved, it leads to a place inside the site's root that is not hidden
//! (no name on the way starting with `.`). Anything else — a link out of
//! the site, to a missing place, into `.git/` — is an error on the link
//! itself, and nothing behind it is read, so nothing behind it can be
//! published or served.
//!
//! Only links are checked (a walk knows them for free): a plain folder
//! below a checked one is inside it, so a build of ten thousand files pays
//! for its links, not for its files.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, rel};

/// The site root an input must stay inside.
#[derive(Clone, Debug)]
pub struct Confine {
    root: PathBuf,
    canonical: PathBuf,
}

/// A file found below an input folder.
#[derive(Clone, Debug)]
pub struct Found {
    pub path: PathBuf,
    /// Path below the input folder, `/`-separated (`css/site.css`).
    pub below: String,
}

/// What a walk of an input folder found.
#[derive(Clone, Debug, Default)]
pub struct Walk {
    /// Files in name order, links followed.
    pub files: Vec<Found>,
    /// Entries whose name starts with `.`, not read (a hidden folder once,
    /// not its files): path and whether it is a folder.
    pub hidden: Vec<(PathBuf, bool)>,
}

impl Confine {
    pub fn new(root: &Path) -> Confine {
        Confine {
            root: root.to_path_buf(),
            canonical: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// Checks an input folder or file given by its path below the root:
    /// each name on the way that is a link must obey the rule. `false`
    /// (with the error) when one does not; a missing path is fine (inputs
    /// are optional) unless a link leads to it.
    pub fn input(&self, path: &Path, diags: &mut Vec<Diagnostic>) -> bool {
        let Ok(below) = path.strip_prefix(&self.root) else {
            return true;
        };
        let mut at = self.root.clone();
        for part in below.components() {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    if let Err(d) = self.link(&at) {
                        diags.push(d);
                        return false;
                    }
                }
                Ok(_) => {}
                Err(_) => return true,
            }
        }
        true
    }

    /// Checks one link: the error names the link, where it points and
    /// what to do.
    pub fn link(&self, link: &Path) -> Result<(), Diagnostic> {
        let at = rel(&self.root, link);
        let raw =
            std::fs::read_link(link).map_or_else(|_| "?".to_string(), |t| t.display().to_string());
        let target = match std::fs::canonicalize(link) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::error(
                    at,
                    "符号链接",
                    format!("符号链接指向的位置不存在：{raw}"),
                )
                .hint("删除或修正这个符号链接"));
            }
            Err(_) => {
                return Err(Diagnostic::error(
                    at,
                    "符号链接",
                    format!("符号链接无法解析（可能形成循环）：{raw}"),
                )
                .hint("删除或修正这个符号链接"));
            }
        };
        let Ok(inside) = target.strip_prefix(&self.canonical) else {
            let shown = if Path::new(&raw) == target {
                raw
            } else {
                format!("{raw}（实际位置 {}）", target.display())
            };
            return Err(Diagnostic::error(
                at,
                "符号链接",
                format!("符号链接指向站点目录之外：{shown}"),
            )
            .hint(
                "gongshi 只读取站点目录内的文件；请删除这个链接，把要发布的文件复制到站点目录中",
            ));
        };
        if inside
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return Err(Diagnostic::error(
                at,
                "符号链接",
                format!(
                    "符号链接指向隐藏的文件或目录：{}",
                    inside.to_string_lossy().replace('\\', "/")
                ),
            )
            .hint("名称以 . 开头的文件和目录（如 .git）不会发布；请删除这个链接"));
        }
        // A link into a generated site (public/ or any --output below the
        // root) would copy the last build into the next one, growing it
        // with every build.
        if let Some(out) = target
            .ancestors()
            .take_while(|a| a.starts_with(&self.canonical))
            .find(|a| a.join(crate::output::MARKER).is_file())
        {
            return Err(Diagnostic::error(
                at,
                "符号链接",
                format!(
                    "符号链接指向生成的网站：{}",
                    rel(&self.canonical, out)
                ),
            )
            .hint("生成的网站每次生成都会整体替换，不能作为输入；请删除这个链接，把要发布的文件复制到 static/ 中"));
        }
        Ok(())
    }

    /// Lists the files below the input folder `dir` in name order,
    /// following the links that obey the rule. Errors (refused links,
    /// loops, unreadable entries) go to `diags`; the walk goes on past
    /// them. An absent folder has no files.
    pub fn walk(&self, dir: &Path, diags: &mut Vec<Diagnostic>) -> Walk {
        let mut walk = Walk::default();
        if !self.input(dir, diags) || !dir.is_dir() {
            return walk;
        }
        let mut it = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = it.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                    let is_link =
                        std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                    if e.loop_ancestor().is_none()
                        && is_link
                        && let Err(d) = self.link(&path)
                    {
                        diags.push(d);
                        continue;
                    }
                    let msg = if e.loop_ancestor().is_some() {
                        "符号链接形成循环，已跳过".to_string()
                    } else {
                        format!(
                            "无法读取：{}",
                            e.io_error()
                                .map_or_else(|| e.to_string(), ToString::to_string)
                        )
                    };
                    diags.push(
                        Diagnostic::error(rel(&self.root, &path), "文件", msg)
                            .hint("删除或修正这个符号链接"),
                    );
                    continue;
                }
            };
            let is_dir = entry.file_type().is_dir();
            if entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.') {
                walk.hidden.push((entry.path().to_path_buf(), is_dir));
                if is_dir {
                    it.skip_current_dir();
                }
                continue;
            }
            if entry.depth() > 0
                && entry.path_is_symlink()
                && let Err(d) = self.link(entry.path())
            {
                diags.push(d);
                if is_dir {
                    it.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(below) = entry.path().strip_prefix(dir) else {
                continue;
            };
            walk.files.push(Found {
                path: entry.path().to_path_buf(),
                below: below.to_string_lossy().replace('\\', "/"),
            });
        }
        walk
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_the_root_pass_and_others_are_named() {
        let site = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let root = site.path();
        std::fs::create_dir_all(root.join("assets/css")).expect("mkdir");
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::write(root.join("assets/css/a.css"), "a").expect("write");
        std::fs::write(root.join(".git/config"), "token").expect("write");
        std::fs::write(outside.path().join("secret"), "s").expect("write");
        std::fs::create_dir_all(root.join("static")).expect("mkdir");
        symlink("../assets/css", root.join("static/css")).expect("symlink");
        symlink(outside.path(), root.join("static/out")).expect("symlink");
        symlink("../.git/config", root.join("static/config")).expect("symlink");
        symlink("nowhere", root.join("static/gone")).expect("symlink");
        symlink("out", root.join("static/chain")).expect("symlink");
        let c = Confine::new(root);
        let mut diags = Vec::new();
        let w = c.walk(&root.join("static"), &mut diags);
        let names: Vec<&str> = w.files.iter().map(|f| f.below.as_str()).collect();
        assert_eq!(names, ["css/a.css"]);
        let at: Vec<(&str, &str)> = diags
            .iter()
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(at.len(), 4, "{at:?}");
        assert!(at[0].0 == "static/chain" && at[0].1.contains("站点目录之外"));
        assert!(at[1].0 == "static/config" && at[1].1.contains(".git/config"));
        assert!(at[2].0 == "static/gone" && at[2].1.contains("不存在"));
        assert!(at[3].0 == "static/out" && at[3].1.contains("站点目录之外"));

        std::fs::remove_dir_all(root.join("static")).expect("rm");
        symlink(outside.path(), root.join("static")).expect("symlink");
        let mut diags = Vec::new();
        assert!(c.walk(&root.join("static"), &mut diags).files.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path, "static");
    }
}
