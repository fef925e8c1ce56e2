//! File-system access that always names the path in its errors. Nothing else
//! in the crate calls `std::fs` directly for site files.

use std::path::{Path, PathBuf};

/// An I/O failure on one path, in words for a clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsError {
    pub path: PathBuf,
    pub message: String,
    /// 1-based line the problem is on, 0 when it concerns the whole file.
    pub line: usize,
    /// What the operating system said, when it said something.
    pub kind: Option<std::io::ErrorKind>,
}

impl FsError {
    /// The disk took no more bytes: full, over quota, or over the file-size
    /// limit (`ulimit -f`). One such error makes every later write fail.
    pub fn is_exhausted(&self) -> bool {
        use std::io::ErrorKind as K;
        matches!(
            self.kind,
            Some(K::StorageFull | K::QuotaExceeded | K::FileTooLarge)
        )
    }
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for FsError {}

fn err(path: &Path, what: &str, e: &std::io::Error) -> FsError {
    use std::io::ErrorKind as K;
    let reason = match e.kind() {
        K::NotFound => "不存在".to_string(),
        K::PermissionDenied => "没有权限".to_string(),
        K::StorageFull => "磁盘空间不足".to_string(),
        K::QuotaExceeded => "磁盘配额已用完".to_string(),
        K::FileTooLarge => "文件超出系统允许的大小（ulimit -f）".to_string(),
        K::ReadOnlyFilesystem => "文件系统是只读的".to_string(),
        K::NotADirectory => "路径中有一段不是目录".to_string(),
        K::ResourceBusy => "正被占用".to_string(),
        _ => e.to_string(),
    };
    FsError {
        path: path.to_path_buf(),
        message: format!("无法{what}：{reason}"),
        line: 0,
        kind: Some(e.kind()),
    }
}

/// Reads a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String, FsError> {
    let bytes = std::fs::read(path).map_err(|e| err(path, "读取文件", &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = &e.as_bytes()[..at];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        FsError {
            path: path.to_path_buf(),
            message: format!(
                "第 {line} 行含有非 UTF-8 编码的字节（第 {} 字节处）；请把文件另存为 UTF-8 编码",
                at + 1
            ),
            line,
            kind: None,
        }
    })
}

pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FsError> {
    std::fs::read(path).map_err(|e| err(path, "读取文件", &e))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    std::fs::write(path, bytes).map_err(|e| err(path, "写入文件", &e))
}

/// Writes a file from `fill`, through a buffer, so a big file need not be
/// in memory at once; returns the number of bytes written.
pub fn write_from(
    path: &Path,
    fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<u64, FsError> {
    use std::io::Write as _;
    struct Counting<W> {
        inner: W,
        n: u64,
    }
    impl<W: std::io::Write> std::io::Write for Counting<W> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = self.inner.write(buf)?;
            self.n += n as u64;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.inner.flush()
        }
    }
    let f = std::fs::File::create(path).map_err(|e| err(path, "写入文件", &e))?;
    let mut w = Counting {
        inner: std::io::BufWriter::with_capacity(256 * 1024, f),
        n: 0,
    };
    fill(&mut w)
        .and_then(|()| w.flush())
        .map_err(|e| err(path, "写入文件", &e))?;
    Ok(w.n)
}

/// The permission bits a copy of `path` may have at most: those of the
/// source within `rw-r--r--`, so a copy is never readable by more people
/// than its source. `None` when the source allows all of them (or the
/// system has no such bits): the copy is written like any other file.
pub fn narrower_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o644;
        (mode != 0o644).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Writes a file created with at most the permission bits `mode` (see
/// [`narrower_mode`]); `None` writes like [`write`].
pub fn write_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<(), FsError> {
    let Some(mode) = mode else {
        return write(path, bytes);
    };
    #[cfg(unix)]
    {
        use std::io::Write as _;
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        let _ = std::fs::remove_file(path);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(path)
            .map_err(|e| err(path, "写入文件", &e))?;
        // The mode given at creation is cut by the umask only: set it again
        // in case the umask is looser than the source.
        f.set_permissions(std::fs::Permissions::from_mode(mode))
            .and_then(|()| f.write_all(bytes))
            .map_err(|e| err(path, "写入文件", &e))
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        write(path, bytes)
    }
}

pub fn create_dir_all(path: &Path) -> Result<(), FsError> {
    std::fs::create_dir_all(path).map_err(|e| err(path, "创建目录", &e))
}

pub fn remove_dir_all(path: &Path) -> Result<(), FsError> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(err(path, "删除目录", &e)),
        _ => Ok(()),
    }
}

/// Makes one folder; its parent must exist.
pub fn create_dir(path: &Path) -> Result<(), FsError> {
    std::fs::create_dir(path).map_err(|e| err(path, "创建目录", &e))
}

pub fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    std::fs::rename(from, to).map_err(|e| err(from, &format!("重命名为 {}", to.display()), &e))
}

/// The real location of `path`: absolute, with every symbolic link
/// followed and every `..` applied, as far as the path exists; the part that
/// does not exist yet is appended as written (its `..` dropping the name
/// before it). Unlike `canonicalize`, a link to a place that does not exist
/// yet resolves to that place, so a caller never mistakes the link for the
/// folder it names.
pub fn real_path(path: &Path) -> Result<PathBuf, FsError> {
    use std::path::Component;
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| err(Path::new("."), "读取当前目录", &e))?
            .join(path)
    };
    // Components still to walk, last first; a link pushes its target's.
    let mut todo: Vec<PathBuf> = abs
        .components()
        .rev()
        .map(|c| PathBuf::from(c.as_os_str()))
        .collect();
    let mut out = PathBuf::new();
    let mut exists = true;
    let mut links = 0;
    while let Some(part) = todo.pop() {
        match part.components().next() {
            Some(Component::Normal(name)) => {
                let next = out.join(name);
                if !exists {
                    out = next;
                    continue;
                }
                match std::fs::symlink_metadata(&next) {
                    Ok(m) if m.file_type().is_symlink() => {
                        links += 1;
                        if links > 40 {
                            return Err(FsError {
                                path: path.to_path_buf(),
                                message: "符号链接太多或互相循环".into(),
                                line: 0,
                                kind: None,
                            });
                        }
                        let target = std::fs::read_link(&next)
                            .map_err(|e| err(&next, "读取符号链接", &e))?;
                        if target.is_absolute() {
                            out = PathBuf::new();
                        }
                        todo.extend(
                            target
                                .components()
                                .rev()
                                .map(|c| PathBuf::from(c.as_os_str())),
                        );
                    }
                    Ok(_) => out = next,
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                        ) =>
                    {
                        exists = false;
                        out = next;
                    }
                    Err(e) => return Err(err(&next, "读取", &e)),
                }
            }
            Some(Component::ParentDir) => {
                out.pop();
                // Back from the missing part: what follows may be a link.
                exists = exists || std::fs::symlink_metadata(&out).is_ok();
            }
            Some(Component::CurDir) | None => {}
            Some(Component::Prefix(_) | Component::RootDir) => out.push(&part),
        }
    }
    Ok(out)
}
