//! `gongshi serve` through real sockets: a safe static server (traversal,
//! HEAD, ETag, MIME, the site's 404 page), pipelined requests, the `Host`
//! check against DNS rebinding, live reload events and the error overlay's
//! data, a warning for `--bind`, 200 concurrent connections for 10 seconds
//! without a lost request while edits keep being served, and 600 event
//! streams that neither starve pages nor go past the cap.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::harness::{EPOCH, Site};

mod load;

/// A running `gongshi serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub(crate) fn start(site: &Site, extra: &[&str]) -> Server {
        Server::start_with(site, extra, &[])
    }

    /// [`Server::start`] with more environment variables.
    pub(crate) fn start_with(site: &Site, extra: &[&str], envs: &[(&str, &Path)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(site.root())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .envs(envs.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gongshi serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("127.0.0.1:").nth(1) {
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    let _ = tx.send(port.parse::<u16>().unwrap_or(0));
                }
                let mut l = sink.lock().expect("log");
                l.push_str(&line);
                l.push('\n');
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("gongshi serve printed its address");
        Server { child, port, log }
    }

    /// Sends a raw request; returns status, headers and body.
    fn raw(&self, request: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        s.write_all(request.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).expect("read response");
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("header end");
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        (status, head, bytes[split + 4..].to_vec())
    }

    pub(crate) fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ))
    }

    /// Polls `path` until its body contains `needle`.
    #[track_caller]
    fn wait_for(&self, path: &str, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            let (_, _, body) = self.get(path);
            if String::from_utf8_lossy(&body).contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{path} never contained {needle:?}\n{}",
            self.log.lock().expect("log")
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn serves_only_the_site_with_the_right_headers() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site, &[]);
    let (status, head, body) = server.get("/");
    assert_eq!(status, 200);
    assert_eq!(
        header(&head, "content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains("/__gongshi/live.js"),
        "live script added when served"
    );
    // HEAD: the same headers, no body.
    let (status, head_only, body) =
        server.raw("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert_eq!(
        header(&head_only, "content-length"),
        header(&head, "content-length")
    );
    // ETag and If-None-Match.
    let etag = header(&head, "etag").expect("etag").to_string();
    let (status, _, body) = server.raw(&format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 304);
    assert!(body.is_empty());
    // MIME types.
    for (path, mime) in [
        ("/gongshi.css", "text/css; charset=utf-8"),
        ("/gongshi.js", "text/javascript; charset=utf-8"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__gongshi/live.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, head, _) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&head, "content-type"), Some(mime), "{path}");
    }
    // Nothing else below the preview's own prefix.
    assert_eq!(server.get("/__gongshi/nothing").0, 404);
    // The site's own 404 page.
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("页面未找到"));
    // Traversal in every spelling, NUL bytes, backslashes, absolute paths.
    for target in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/..%5c..%5cetc%5cpasswd",
        "/lists/..\\..\\..\\etc\\passwd",
        "/index.html%00.css",
        "//etc/passwd",
        "http://127.0.0.1/../etc/passwd",
        "/./index.html",
    ] {
        let (status, _, body) = server.raw(&format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ));
        assert!(status == 400 || status == 404, "{target} → {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("root:"),
            "{target}"
        );
    }
    let (status, head, _) =
        server.raw("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 405);
    assert_eq!(header(&head, "allow"), Some("GET, HEAD"));
    // `gongshi build` output has no live-reload script.
    site.build();
    for (path, bytes) in site.tree("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__gongshi"),
            "{path} carries the preview's script"
        );
    }
}

#[test]
fn binding_beyond_loopback_needs_the_flag_and_warns() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    let (status, _, _) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        server
            .log
            .lock()
            .expect("log")
            .contains("警告：正在监听 0.0.0.0:")
    );
    // Reachable from the LAN: any IP address as `Host`, still no names.
    let lan = format!(
        "GET / HTTP/1.1\r\nHost: 192.168.1.20:{}\r\nConnection: close\r\n\r\n",
        server.port
    );
    assert_eq!(server.raw(&lan).0, 200);
    assert_eq!(
        server.raw(&lan.replace("192.168.1.20", "evil.example")).0,
        403
    );
    let quiet = Server::start(&site, &[]);
    assert!(!quiet.log.lock().expect("log").contains("警告"));
    assert_eq!(
        quiet.raw(&lan).0,
        403,
        "a LAN address while bound to loopback"
    );
}

#[test]
fn a_host_name_other_than_this_machine_is_refused() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site, &[]);
    let port = server.port;
    let with_host = |path: &str, host: &str| {
        server.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    // A page whose name was re-pointed at 127.0.0.1 (DNS rebinding) reads
    // nothing: not the pages, not the drafts, not the event stream.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
    ] {
        for path in [
            "/",
            "/gongshi.css",
            "/__gongshi/events",
            "/__gongshi/live.js",
        ] {
            let (status, head, body) = with_host(path, &host);
            assert_eq!(status, 403, "{host} {path}");
            assert_eq!(
                header(&head, "content-type"),
                Some("text/plain; charset=utf-8")
            );
            let body = String::from_utf8_lossy(&body);
            assert!(
                body.contains("DNS 重绑定") && body.contains("DNS rebinding"),
                "{body}"
            );
        }
    }
    // The absolute form's authority counts, not a `Host` beside it.
    let (status, _, _) = server.raw(&format!(
        "GET http://evil.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status, 403);
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "LOCALHOST".to_string(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(with_host("/", &host).0, 200, "{host}");
    }
    // HTTP/1.0 without `Host` is answered: browsers always send one.
    let (status, _, body) = server.raw("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("/__gongshi/live.js"));
}

/// Splits the responses read from one connection: (status, head, body).
/// `heads` says which requests were `HEAD` (no body whatever the length).
fn split_responses(mut bytes: &[u8], heads: &[bool]) -> Vec<(u16, String, Vec<u8>)> {
    let mut out = Vec::new();
    for &head_only in heads {
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
            break;
        };
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let len: usize = header(&head, "content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let len = if head_only || status == 304 { 0 } else { len };
        let body = bytes[end + 4..end + 4 + len].to_vec();
        bytes = &bytes[end + 4 + len..];
        out.push((status, head, body));
    }
    assert!(
        bytes.is_empty(),
        "{} bytes after the last response",
        bytes.len()
    );
    out
}

#[test]
fn pipelined_requests_on_one_connection_are_all_answered_in_order() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site, &[]);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    // Three requests in one write, the last one closing the connection.
    s.write_all(
        b"GET /gongshi.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\
          HEAD /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\
          GET /no/such/page/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\
          GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .expect("send");
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read responses");
    let answers = split_responses(&bytes, &[false, true, false, false]);
    let summary: Vec<_> = answers
        .iter()
        .map(|(status, head, _)| {
            (
                *status,
                header(head, "content-type").unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (200, "text/css; charset=utf-8".to_string()),
            (200, "text/plain; charset=utf-8".to_string()),
            (404, "text/html; charset=utf-8".to_string()),
            (200, "text/html; charset=utf-8".to_string()),
        ]
    );
    assert_eq!(answers[0].2, server.get("/gongshi.css").2);
    assert!(String::from_utf8_lossy(&answers[2].2).contains("页面未找到"));
    assert!(String::from_utf8_lossy(&answers[3].2).contains("/__gongshi/live.js"));
}
