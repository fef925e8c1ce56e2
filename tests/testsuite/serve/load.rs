//! Live reload events, edits under load, many connections and event
//! streams, and a preview that starts broken or outside a site.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::*;

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
fn serve_outside_a_site_says_so_and_exits_1_or_2_without_a_folder() {
    let site = Site::empty();
    site.run(&["serve", "--port", "0"])
        .failure()
        .stderr_contains("site.toml:1:1: site.toml: 站点根目录中没有 site.toml")
        .stderr_contains("提示:");
    // No such folder: a wrong argument.
    site.run(&["serve", "--root", "no-such-folder", "--port", "0"])
        .code(2)
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
