//! `gongshi serve`: build into a private folder and serve it over HTTP on
//! loopback. The server answers only inside the built site: any path that
//! decodes to `..`, a backslash, a NUL byte or leaves the root through a
//! symlink is refused.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::cli::{Format, print_diagnostics};
use crate::date::Date;
use crate::site::{BuildOptions, build};

pub(crate) fn run(
    root: &Path,
    drafts: bool,
    future: bool,
    bind: &str,
    port: u16,
) -> Result<ExitCode, String> {
    let listener =
        TcpListener::bind((bind, port)).map_err(|e| format!("无法监听 {bind}:{port}：{e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let is_loopback = addr.ip().is_loopback();
    if !is_loopback {
        eprintln!("警告：正在监听 {addr}，局域网内的其他计算机也能访问这个预览。");
    }
    let out = std::env::temp_dir().join(format!("gongshi-serve-{}", std::process::id()));
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let base_url = format!("http://{host}:{}/", addr.port());
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: out.clone(),
        base_url: Some(base_url.clone()),
        drafts,
        future,
        dry_run: false,
        freshness: false,
        today: Date::today(),
    };
    let report = build(&opts);
    print_diagnostics(&report.diagnostics, Format::Human);
    if report.failed() {
        return Ok(ExitCode::from(1));
    }
    eprintln!("预览地址：{base_url}（按 Ctrl+C 停止）");
    let site_root = std::fs::canonicalize(&out).map_err(|e| e.to_string())?;
    for stream in listener.incoming().flatten() {
        let root = site_root.clone();
        std::thread::spawn(move || {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = handle(stream, &root);
        });
    }
    Ok(ExitCode::SUCCESS)
}

/// A response ready to send.
#[derive(Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
}

fn handle(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain headers.
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let resp = if method == "GET" || method == "HEAD" {
        respond(root, target)
    } else {
        Response {
            status: 405,
            content_type: "text/plain; charset=utf-8",
            body: b"405".to_vec(),
            location: None,
        }
    };
    let reason = match resp.status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        resp.status,
        resp.content_type,
        resp.body.len()
    );
    if let Some(loc) = &resp.location {
        head.push_str(&format!("Location: {loc}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&resp.body)?;
    }
    stream.flush()
}

/// Decodes `%XX` escapes; `None` on malformed escapes or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps a request target to a file inside `root`.
pub fn respond(root: &Path, target: &str) -> Response {
    let bad = || Response {
        status: 400,
        content_type: "text/plain; charset=utf-8",
        body: b"400".to_vec(),
        location: None,
    };
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some(decoded) = percent_decode(path) else {
        return bad();
    };
    if !decoded.starts_with('/')
        || decoded.contains('\0')
        || decoded.contains('\\')
        || decoded.contains('%')
        || decoded.split('/').any(|s| s == ".." || s == ".")
    {
        return bad();
    }
    let rel = decoded.trim_start_matches('/');
    let mut file: PathBuf = root.join(rel);
    if file.is_dir() {
        if !decoded.ends_with('/') {
            return Response {
                status: 301,
                content_type: "text/plain; charset=utf-8",
                body: Vec::new(),
                location: Some(format!("{path}/")),
            };
        }
        file = file.join("index.html");
    }
    let inside = std::fs::canonicalize(&file)
        .ok()
        .filter(|p| p.starts_with(root));
    match inside.and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
        Some((p, body)) => Response {
            status: 200,
            content_type: mime(&p),
            body,
            location: None,
        },
        None => Response {
            status: 404,
            content_type: "text/html; charset=utf-8",
            body: std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"404".to_vec()),
            location: None,
        },
    }
}

/// The MIME type of a file by extension, with `charset=utf-8` for text.
pub fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "gz" => "application/gzip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_traversal() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/index.html"), "a").unwrap();
        assert_eq!(respond(&root, "/").status, 200);
        assert_eq!(respond(&root, "/a/").body, b"a");
        assert_eq!(respond(&root, "/a").status, 301);
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%252e%252e/x",
            "/a\\..\\x",
            "/a/%00",
            "//etc/passwd/..",
            "x",
        ] {
            let s = respond(&root, bad).status;
            assert!(s == 400 || s == 404, "{bad} → {s}");
        }
        assert_eq!(respond(&root, "/nope/").status, 404);
    }
}
