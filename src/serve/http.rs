//! What the preview answers, apart from how it is sent (that is
//! [`super::server`]): static files from the served folder and nothing
//! outside it, to requests whose `Host` is this machine. Any path that
//! decodes to `..`, a backslash, a NUL byte, a second `%` layer, or leaves
//! the root through a symlink is refused with 400 or 404. Responses carry a
//! MIME type with `charset=utf-8` for text, an `ETag` (answered with 304 on
//! `If-None-Match`), and no body for `HEAD`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

/// The live-reload script, added to HTML pages as they are sent.
pub const LIVE_JS: &str = include_str!("live.js");

/// Where the script and the event stream live (outside any site path).
pub const LIVE_PREFIX: &str = "/__gongshi/";

/// A parsed request: method, target and the headers we use.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub if_none_match: Option<String>,
}

/// The `Host` values the preview answers, so that a web page whose name
/// was re-pointed at 127.0.0.1 (DNS rebinding) cannot read the drafts:
/// `localhost`, loopback addresses, the bound address and the name given to
/// `--bind`; any IP address when bound beyond loopback (LAN access). An IP
/// address can't be rebound, so only names need refusing. Any port.
#[derive(Debug, Clone)]
pub struct Hosts {
    bound: IpAddr,
    name: Option<String>,
}

impl Hosts {
    /// The hosts for a server bound to `bound`, asked for as `bind`.
    pub fn new(bound: IpAddr, bind: &str) -> Hosts {
        let bare = bind.trim_start_matches('[').trim_end_matches(']');
        Hosts {
            bound,
            name: bare.parse::<IpAddr>().is_err().then(|| bind.to_string()),
        }
    }

    /// Whether a request whose `Host` is `host` (name, optional `:port`)
    /// may be answered.
    pub fn allow(&self, host: &str) -> bool {
        let is_port = |p: &str| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
        if let Some(rest) = host.strip_prefix('[') {
            let Some((ip, port)) = rest.split_once(']') else {
                return false;
            };
            let port_ok = port.is_empty() || port.strip_prefix(':').is_some_and(is_port);
            return port_ok && ip.parse::<Ipv6Addr>().is_ok_and(|ip| self.ip(ip.into()));
        }
        let name = match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        };
        if let Ok(ip) = name.parse::<Ipv4Addr>() {
            return self.ip(ip.into());
        }
        let name = name.strip_suffix('.').unwrap_or(name);
        !name.is_empty()
            && (name.eq_ignore_ascii_case("localhost")
                || self
                    .name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name)))
    }

    fn ip(&self, ip: IpAddr) -> bool {
        ip.is_loopback() || ip == self.bound || !self.bound.is_loopback()
    }
}

/// The answer to a request whose `Host` is not this machine.
pub fn forbidden_host() -> Response {
    Response::text(
        403,
        "403 拒绝访问：请求的主机名不是这个预览的地址（防止 DNS 重绑定）。请用 http://127.0.0.1 或 http://localhost 打开。\n\
         Forbidden: unexpected Host header (DNS rebinding protection).\n",
    )
}

/// A response ready to send.
#[derive(Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
    pub etag: Option<String>,
}

impl Response {
    /// A short plain-text response.
    pub fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
            location: None,
            etag: None,
        }
    }
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

/// Answers a `GET` or `HEAD` for `target` from the folder `root` (which
/// must be canonical). HTML gets `inject` before `</body>`.
pub fn respond(root: &Path, req: &Request, inject: &str) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return Response::text(405, "405 只支持 GET 和 HEAD");
    }
    let path = req.target.split(['?', '#']).next().unwrap_or("/");
    let Some(decoded) = percent_decode(path) else {
        return Response::text(400, "400");
    };
    if !decoded.starts_with('/')
        || decoded.starts_with("//")
        || decoded.contains('\0')
        || decoded.contains('\\')
        || decoded.contains('%')
        || decoded.split('/').any(|s| s == ".." || s == ".")
    {
        return Response::text(400, "400");
    }
    let rel = decoded.trim_start_matches('/');
    let mut file: PathBuf = root.join(rel);
    if file.is_dir() {
        if !decoded.ends_with('/') {
            return Response {
                location: Some(format!("{path}/")),
                ..Response::text(301, "")
            };
        }
        file = file.join("index.html");
    }
    let inside = std::fs::canonicalize(&file)
        .ok()
        .filter(|p| p.starts_with(root) && p.is_file());
    let (status, content_type, body) = match inside.and_then(|p| read_settled(&p).map(|b| (p, b))) {
        Some((p, body)) => (200, mime(&p), body),
        None => (
            404,
            "text/html; charset=utf-8",
            std::fs::read(root.join("404.html"))
                .unwrap_or_else(|_| "<!doctype html><title>404</title><body>404</body>".into()),
        ),
    };
    let body = if content_type.starts_with("text/html") {
        with_script(body, inject)
    } else {
        body
    };
    let etag = format!("\"{:016x}\"", crate::hash::fnv(&body));
    let matches = req.if_none_match.as_deref().is_some_and(|v| {
        v == "*"
            || v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag)
    });
    Response {
        status: if status == 200 && matches {
            304
        } else {
            status
        },
        content_type,
        body,
        location: None,
        etag: (status == 200).then_some(etag),
    }
}

/// Reads a file the live preview may be overwriting: again if its size or
/// modification time changed while it was read.
fn read_settled(path: &Path) -> Option<Vec<u8>> {
    let stamp = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| (m.len(), m.modified().ok()))
    };
    for _ in 0..5 {
        let before = stamp(path)?;
        let bytes = std::fs::read(path).ok()?;
        if stamp(path)? == before && bytes.len() as u64 == before.0 {
            return Some(bytes);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    std::fs::read(path).ok()
}

/// Adds the live-reload script before `</body>` (or at the end).
fn with_script(mut body: Vec<u8>, inject: &str) -> Vec<u8> {
    if inject.is_empty() {
        return body;
    }
    let at = body
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(body.len());
    body.splice(at..at, inject.bytes());
    body
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
        "bin" => "application/octet-stream",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        // The other types of attachments.
        ext => crate::content::attach::Kind::from_ext(ext)
            .map_or("application/octet-stream", |k| k.media_type()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(root: &Path, target: &str) -> Response {
        respond(
            root,
            &Request {
                method: "GET".into(),
                target: target.into(),
                if_none_match: None,
            },
            "",
        )
    }

    #[test]
    fn host_rule() {
        let loopback = Hosts::new("127.0.0.1".parse().unwrap(), "127.0.0.1");
        let named = Hosts::new("127.0.0.1".parse().unwrap(), "Preview.Local");
        let v6 = Hosts::new("::1".parse().unwrap(), "::1");
        let lan = Hosts::new("0.0.0.0".parse().unwrap(), "0.0.0.0");
        let one = Hosts::new("192.168.1.20".parse().unwrap(), "192.168.1.20");
        let all = [&loopback, &named, &v6, &lan, &one];
        #[rustfmt::skip]
        let table: [(&str, [bool; 5]); 24] = [
            //                          loopback named  v6     lan    one
            ("localhost",               [true,  true,  true,  true,  true]),
            ("LocalHost:1111",          [true,  true,  true,  true,  true]),
            ("localhost.:80",           [true,  true,  true,  true,  true]),
            ("127.0.0.1",               [true,  true,  true,  true,  true]),
            ("127.0.0.1:1111",          [true,  true,  true,  true,  true]),
            ("127.0.0.2:1111",          [true,  true,  true,  true,  true]),
            ("[::1]",                   [true,  true,  true,  true,  true]),
            ("[::1]:1111",              [true,  true,  true,  true,  true]),
            ("192.168.1.20:1111",       [false, false, false, true,  true]),
            ("10.0.0.5",                [false, false, false, true,  true]),
            ("[fe80::1]:1111",          [false, false, false, true,  true]),
            ("preview.local:1111",      [false, true,  false, false, false]),
            ("evil.example:1111",       [false, false, false, false, false]),
            ("evil.example",            [false, false, false, false, false]),
            ("localhost.evil.example",  [false, false, false, false, false]),
            ("127.0.0.1.evil.example",  [false, false, false, false, false]),
            ("x",                       [false, false, false, false, false]),
            ("",                        [false, false, false, false, false]),
            (":1111",                   [false, false, false, false, false]),
            ("localhost:",              [false, false, false, false, false]),
            ("localhost:abc",           [false, false, false, false, false]),
            ("::1",                     [false, false, false, false, false]),
            ("[::1",                    [false, false, false, false, false]),
            ("[::1]x",                  [false, false, false, false, false]),
        ];
        for (host, expected) in table {
            for (hosts, want) in all.iter().zip(expected) {
                assert_eq!(hosts.allow(host), want, "{host:?} for {hosts:?}");
            }
        }
    }

    #[test]
    fn refuses_traversal() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/index.html"), "a").unwrap();
        assert_eq!(get(&root, "/").status, 200);
        assert_eq!(get(&root, "/a/").body, b"a");
        assert_eq!(get(&root, "/a").status, 301);
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%252e%252e/x",
            "/a\\..\\x",
            "/a/%5c..%5cx",
            "/a/%00",
            "//etc/passwd",
            "/etc/passwd/../..",
            "x",
            "/%zz",
            "/%c0%ae%c0%ae/x",
        ] {
            let s = get(&root, bad).status;
            assert!(s == 400 || s == 404, "{bad} → {s}");
        }
        assert_eq!(get(&root, "/nope/").status, 404);
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_leading_out() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("s.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("d")).unwrap();
        assert_eq!(get(&root, "/s.txt").status, 404);
        assert_eq!(get(&root, "/d/secret.txt").status, 404);
    }

    #[test]
    fn etag_head_mime_and_injection() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(
            root.join("index.html"),
            "<html><body><p>x</p></body></html>",
        )
        .unwrap();
        std::fs::write(root.join("404.html"), "<body>没有</body>").unwrap();
        std::fs::write(root.join("a.css"), "p{}").unwrap();
        let req = |target: &str, tag: Option<String>| Request {
            method: "GET".into(),
            target: target.into(),
            if_none_match: tag,
        };
        let r = respond(&root, &req("/", None), "<script></script>");
        assert_eq!(r.content_type, "text/html; charset=utf-8");
        assert_eq!(
            r.body,
            b"<html><body><p>x</p><script></script></body></html>"
        );
        let tag = r.etag.clone().unwrap();
        let again = respond(&root, &req("/", Some(tag.clone())), "<script></script>");
        assert_eq!(again.status, 304);
        let other = respond(&root, &req("/", Some("\"0\"".into())), "<script></script>");
        assert_eq!(other.status, 200);
        assert_eq!(get(&root, "/a.css").content_type, "text/css; charset=utf-8");
        let missing = respond(&root, &req("/nope.html", None), "<script></script>");
        assert_eq!(missing.status, 404);
        assert_eq!(
            missing.body,
            "<body>没有<script></script></body>".as_bytes()
        );
        let post = respond(
            &root,
            &Request {
                method: "POST".into(),
                target: "/".into(),
                if_none_match: None,
            },
            "",
        );
        assert_eq!(post.status, 405);
    }
}
