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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::harness::{EPOCH, Site};

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

/// Reads Server-Sent Events until one named `name` arrives; returns its data.
fn next_event(reader: &mut BufReader<TcpStream>, name: &str) -> String {
    let mut event = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).expect("read event stream");
        assert!(n > 0, "event stream closed");
        let l = line.trim_end();
        if let Some(e) = l.strip_prefix("event: ") {
            event = e.to_string();
        } else if let Some(d) = l.strip_prefix("data: ")
            && event == name
        {
            return d.to_string();
        }
    }
}

#[test]
fn edits_reach_the_browser_and_errors_show_with_file_line_and_field() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site, &[]);
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    events
        .write_all(b"GET /__gongshi/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("subscribe");
    let mut reader = BufReader::new(events);
    let mut head = String::new();
    reader.read_line(&mut head).expect("status line");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    std::thread::sleep(Duration::from_millis(200));

    let rel = "content/guidance/2025-license-remind.md";
    let text = site.read(rel);
    let site = site.file(rel, format!("{text}\n实时预览标记一。\n"));
    let data = next_event(&mut reader, "built");
    let changed: Vec<String> = serde_json::from_str(&data).expect("json");
    assert!(
        changed.contains(&"guidance/2025-license-remind/index.html".to_string()),
        "{changed:?}"
    );
    server.wait_for("/guidance/2025-license-remind/", "实时预览标记一");

    // A broken edit: the overlay's data names the file, line and field, and
    // the last good page stays served.
    let site = site.edit(rel, "\nmethod: ", "\nmethod: 42\nold_method: ");
    let data = next_event(&mut reader, "failed");
    let diags: serde_json::Value = serde_json::from_str(&data).expect("json");
    let first = &diags[0];
    assert_eq!(first["path"], rel, "{diags}");
    assert_eq!(first["severity"], "error");
    assert!(first["line"].as_u64().unwrap_or(0) > 1, "{diags}");
    assert!(first["field"].as_str().is_some_and(|f| !f.is_empty()));
    server.wait_for("/guidance/2025-license-remind/", "实时预览标记一");
    // A browser that connects now is told about the failure at once.
    let mut late = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    late.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    late.write_all(b"GET /__gongshi/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("subscribe");
    let mut late = BufReader::new(late);
    assert!(next_event(&mut late, "failed").contains(rel));

    // Fixed: built again, the overlay's event is `built`.
    let _site = site.file(rel, format!("{text}\n实时预览标记二。\n"));
    next_event(&mut reader, "built");
    server.wait_for("/guidance/2025-license-remind/", "实时预览标记二");
}

#[test]
fn two_hundred_connections_for_ten_seconds_lose_nothing_while_edits_are_served() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site, &[]);
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(Mutex::new(Vec::<String>::new()));
    let paths = [
        "/",
        "/lists/",
        "/gongshi.css",
        "/guidance/2025-license-remind/",
        "/search/",
        "/nope/",
    ];
    let workers: Vec<_> = (0..200)
        .map(|n| {
            let (stop, ok, failed) = (Arc::clone(&stop), Arc::clone(&ok), Arc::clone(&failed));
            std::thread::spawn(move || {
                let mut k = n;
                while !stop.load(Ordering::Relaxed) {
                    let path = paths[k % paths.len()];
                    k += 1;
                    let result = (|| -> std::io::Result<u16> {
                        let mut s = TcpStream::connect(("127.0.0.1", port))?;
                        s.set_read_timeout(Some(Duration::from_secs(30)))?;
                        s.write_all(
                            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                                .as_bytes(),
                        )?;
                        let mut bytes = Vec::new();
                        s.read_to_end(&mut bytes)?;
                        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(20)]);
                        Ok(head
                            .split_whitespace()
                            .nth(1)
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(0))
                    })();
                    let expected = if path == "/nope/" { 404 } else { 200 };
                    match result {
                        Ok(s) if s == expected => {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        other => failed
                            .lock()
                            .expect("failures")
                            .push(format!("{path}: {other:?}")),
                    }
                }
            })
        })
        .collect();
    // Keep editing while the load runs: every edit must be served.
    let rel = "content/guidance/2025-license-remind.md";
    let text = site.read(rel);
    let start = Instant::now();
    let mut edits = 0;
    let mut site = site;
    while start.elapsed() < Duration::from_secs(10) {
        let marker = format!("负载下的第{edits}次编辑");
        site = site.file(rel, format!("{text}\n{marker}。\n"));
        server.wait_for("/guidance/2025-license-remind/", &marker);
        edits += 1;
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("worker");
    }
    let failed = failed.lock().expect("failures");
    assert!(
        failed.is_empty(),
        "{} failed: {:?}",
        failed.len(),
        &failed[..failed.len().min(10)]
    );
    assert!(
        ok.load(Ordering::Relaxed) > 1000,
        "only {} requests",
        ok.load(Ordering::Relaxed)
    );
    assert!(edits >= 3, "only {edits} edits served in 10 s under load");
}

/// Reads a response head (through the blank line) from a stream that stays
/// open; returns its status and head.
fn read_head(s: &mut TcpStream) -> std::io::Result<(u16, String)> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, head))
}

#[test]
fn six_hundred_event_streams_neither_starve_pages_nor_pass_the_cap() {
    const STREAMS: usize = 600;
    const CAP: usize = 64; // gongshi::serve::server::MAX_EVENT_STREAMS
    assert_eq!(CAP, gongshi::serve::server::MAX_EVENT_STREAMS);
    let site = Site::fixture("minimal");
    let server = Server::start(&site, &[]);
    let subscribe = |port: u16| -> TcpStream {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        s.write_all(b"GET /__gongshi/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("subscribe");
        s
    };
    let mut streams: Vec<TcpStream> = (0..STREAMS).map(|_| subscribe(server.port)).collect();
    // With every stream asked for, a page still answers at once (5 s is
    // generous: this is about starvation, not speed).
    for path in ["/", "/gongshi.css", "/lists/"] {
        let started = Instant::now();
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .expect("send");
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).expect("page answered within 5 s");
        assert!(
            bytes.starts_with(b"HTTP/1.1 200"),
            "{path}: {:?}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{path} took {:?}",
            started.elapsed()
        );
    }
    // Exactly the cap gets a stream; the rest get 503 with Retry-After.
    let mut open = Vec::new();
    let mut refused = 0;
    for (i, mut s) in streams.drain(..).enumerate() {
        let (status, head) = read_head(&mut s).expect("an answer to every stream");
        match status {
            200 => {
                assert_eq!(
                    header(&head, "content-type"),
                    Some("text/event-stream; charset=utf-8")
                );
                open.push(s);
            }
            503 => {
                assert!(
                    header(&head, "retry-after").is_some_and(|v| v.parse::<u32>().is_ok()),
                    "{head}"
                );
                refused += 1;
            }
            other => panic!("stream {i}: {other}\n{head}"),
        }
    }
    assert_eq!(open.len(), CAP);
    assert_eq!(refused, STREAMS - CAP);
    // The open ones carry builds.
    let rel = "content/guidance/2025-license-remind.md";
    let text = site.read(rel);
    let _site = site.file(rel, format!("{text}\n六百个连接之后。\n"));
    let mut first = BufReader::new(open.pop().expect("a stream"));
    next_event(&mut first, "built");
    // Streams whose browser went away free their place.
    drop(open);
    let started = Instant::now();
    loop {
        let mut s = subscribe(server.port);
        let (status, _) = read_head(&mut s).expect("answer");
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "closed streams never freed their slots"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_outside_a_site_says_so_and_exits_1() {
    let site = Site::empty();
    site.run(&["serve", "--port", "0"])
        .failure()
        .stderr_contains("site.toml:1:1: site.toml: 站点根目录中没有 site.toml")
        .stderr_contains("提示:");
    site.run(&["serve", "--root", "no-such-folder", "--port", "0"])
        .failure()
        .stderr_contains("站点目录 no-such-folder 不存在");
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let rel = "content/guidance/2025-license-remind.md";
    let site = Site::fixture("minimal");
    let text = site.read(rel);
    let site = site.file(
        rel,
        text.replacen("\nmethod: ", "\nmethod: 42\nold_method: ", 1),
    );
    let server = Server::start(&site, &[]);
    assert!(
        server
            .log
            .lock()
            .expect("log")
            .contains("网站还不能生成；修正后会自动生成并显示")
    );
    let (status, _, _) = server.get("/");
    assert_eq!(status, 404);
    let _site = site.file(rel, format!("{text}\n修正之后。\n"));
    server.wait_for("/guidance/2025-license-remind/", "修正之后");
}

#[cfg(unix)]
#[test]
fn a_static_folder_linked_outside_the_site_is_never_served() {
    let outside = tempfile::Builder::new()
        .prefix("gongshi-outside-")
        .tempdir()
        .expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET-口令").expect("write");
    let site = Site::fixture("minimal");
    std::os::unix::fs::symlink(outside.path(), site.path("static")).expect("symlink");
    let server = Server::start(&site, &[]);
    for path in ["/secret.txt", "/static/secret.txt"] {
        let (status, _, body) = server.get(path);
        assert_ne!(status, 200, "{path} was served");
        assert!(!String::from_utf8_lossy(&body).contains("TOP-SECRET"));
    }
    let log = server.log.lock().expect("log").clone();
    assert!(
        log.contains("static:1:1: 符号链接: 符号链接指向站点目录之外"),
        "{log}"
    );
}

/// A preview killed before it could clean up leaves its folder in the
/// temporary folder; the next preview removes it (and only the folders of
/// previews that are gone).
#[cfg(unix)]
#[test]
fn a_killed_previews_folder_is_removed_by_the_next_preview() {
    let site = Site::fixture("minimal");
    let tmp = site.path("tmp");
    let dead = {
        let mut c = Command::new("true").spawn().expect("spawn true");
        let pid = c.id();
        c.wait().expect("wait");
        pid
    };
    for name in [
        format!("gongshi-serve-{dead}"),
        "gongshi-serve-1".to_string(),
        "gongshi-serve-x".to_string(),
        "other-123".to_string(),
    ] {
        std::fs::create_dir_all(tmp.join(&name)).expect("mkdir");
        std::fs::write(tmp.join(&name).join("index.html"), "旧").expect("write");
    }
    let mut first = Server::start_with(&site, &[], &[("TMPDIR", &tmp)]);
    assert!(!tmp.join(format!("gongshi-serve-{dead}")).exists());
    for kept in ["gongshi-serve-1", "gongshi-serve-x", "other-123"] {
        assert!(tmp.join(kept).join("index.html").is_file(), "{kept}");
    }
    let own = tmp.join(format!("gongshi-serve-{}", first.child.id()));
    assert!(own.join("index.html").is_file());
    let _ = first.child.kill();
    let _ = first.child.wait();
    assert!(own.is_dir(), "a killed preview cannot clean up");
    let second = Server::start_with(&site, &[], &[("TMPDIR", &tmp)]);
    assert!(!own.exists(), "the next preview removes it");
    assert!(
        tmp.join(format!("gongshi-serve-{}", second.child.id()))
            .join("index.html")
            .is_file()
    );
}
