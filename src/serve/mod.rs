//! `gongshi serve`: build, serve on loopback, watch the site, rebuild what
//! an edit changed (see [`crate::live`]) and reload the browser.
//!
//! Threads: the HTTP server (a tokio runtime: two workers for the sockets
//! and a small pool reading files, see [`server`]), the watcher's build
//! loop, and the live preview's background search indexer. Browsers follow
//! builds through a Server-Sent Events stream at `/__gongshi/events`; the
//! script that listens to it is added to HTML pages as they are served,
//! never written into the site.

pub mod http;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::date::Date;
use crate::diag::Severity;
use crate::diag::{Format, print as print_diagnostics};
use crate::live::{Change, Live, Outcome};
use crate::site::BuildOptions;

/// The preview's output folder in the temporary folder, followed by the
/// process id.
pub const SERVE_DIR_PREFIX: &str = "gongshi-serve-";

/// Quiet time that ends a burst of file events (editors save in steps).
const DEBOUNCE: Duration = Duration::from_millis(15);
/// A burst is cut after this long even if events keep coming.
const DEBOUNCE_MAX: Duration = Duration::from_millis(200);

/// What `gongshi serve` was asked for.
pub struct ServeOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub future: bool,
    pub bind: String,
    pub port: u16,
    pub open: bool,
}

pub(crate) fn run(o: &ServeOptions) -> Result<ExitCode, String> {
    if !o.root.join("site.toml").is_file() {
        let d = crate::diag::Diagnostic::error("site.toml", "site.toml", "站点根目录中没有 site.toml")
            .hint("在站点根目录运行 gongshi serve，或用 --root 指定；用 gongshi init 目录 生成一个示例站点");
        print_diagnostics(&[d], Format::Human);
        return Ok(ExitCode::from(1));
    }
    let runtime = server::runtime().map_err(|e| format!("无法启动预览服务器：{e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind((o.bind.as_str(), o.port)))
        .map_err(|e| format!("无法监听 {}:{}：{e}", o.bind, o.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "警告：正在监听 {addr}，同一网络中的其他计算机也能访问这个预览（包括草稿）。只在确有需要时使用 --bind。"
        );
    }
    let base_url = preview_url(addr);
    // Previews killed before they could clean up left their folders.
    crate::output::remove_dead(&std::env::temp_dir(), SERVE_DIR_PREFIX);
    let out = std::env::temp_dir().join(format!("{SERVE_DIR_PREFIX}{}", std::process::id()));
    let root = std::fs::canonicalize(&o.root).unwrap_or_else(|_| o.root.clone());
    let opts = BuildOptions {
        root: root.clone(),
        output: out.clone(),
        base_url: Some(base_url.clone()),
        drafts: o.drafts,
        future: o.future,
        dry_run: false,
        force: false,
        freshness: false,
        today: Date::today(),
    };
    let mut live = Live::new(opts)?;
    let hub = Arc::new(Hub::default());
    let started = Instant::now();
    let first = live.rebuild(&[Change::Content(String::new())]);
    for n in &first.notices {
        eprintln!("注意：{n}");
    }
    // The first build is served complete: feeds and search index included.
    if let Some(e) = live.wait_idle() {
        eprintln!("{e}");
    }
    report(&first, &hub, started, false);
    let site_root = std::fs::canonicalize(live.dir()).map_err(|e| e.to_string())?;

    let (tx, rx) = mpsc::channel();
    let watcher = Watcher::start(&root, tx).map_err(|e| format!("无法监视站点目录：{e}"))?;
    let builder_hub = Arc::clone(&hub);
    let served = first.ok;
    std::thread::Builder::new()
        .name("gongshi-watch".into())
        .spawn(move || build_loop(&rx, watcher, &mut live, &builder_hub, served))
        .map_err(|e| e.to_string())?;

    eprintln!("预览地址：{base_url}（修改文件后自动更新；按 Ctrl+C 停止）");
    if o.open {
        open_browser(&base_url);
    }
    let hosts = http::Hosts::new(addr.ip(), &o.bind);
    let state = server::State::new(site_root, hub, hosts);
    runtime.block_on(server::serve(listener, Arc::new(state)));
    Ok(ExitCode::SUCCESS)
}

/// Prints a build's outcome and tells the browsers. `served` says whether
/// a good build is being served.
fn report(outcome: &Outcome, hub: &Hub, started: Instant, served: bool) {
    let ms = started.elapsed().as_millis();
    if outcome.ok {
        let warnings: Vec<_> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .cloned()
            .collect();
        print_diagnostics(&warnings, Format::Human);
        eprintln!(
            "已更新：{} 篇文档，渲染 {} 页，写入 {} 个文件，用时 {ms} 毫秒。",
            outcome.documents,
            outcome.rendered,
            outcome.changed.len()
        );
        hub.built(&outcome.changed);
    } else {
        print_diagnostics(&outcome.diagnostics, Format::Human);
        if served {
            eprintln!("预览仍显示上一次成功生成的网站；修正后会自动更新。");
        } else {
            eprintln!("网站还不能生成；修正后会自动生成并显示。");
        }
        hub.failed(&outcome.diagnostics);
    }
}

/// The browsers following the preview, and the last failure (sent to a
/// browser that connects while the content is broken).
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<UnboundedSender<Arc<str>>>>,
    failure: Mutex<Option<Arc<str>>>,
}

impl Hub {
    fn built(&self, changed: &[String]) {
        *self.failure.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let data = serde_json::to_string(changed).unwrap_or_else(|_| "[]".into());
        self.send(format!("event: built\ndata: {data}\n\n").into());
    }

    fn failed(&self, diags: &[crate::diag::Diagnostic]) {
        let data = serde_json::to_string(diags).unwrap_or_else(|_| "[]".into());
        let event: Arc<str> = format!("event: failed\ndata: {data}\n\n").into();
        *self.failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&event));
        self.send(event);
    }

    fn send(&self, event: Arc<str>) {
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|c| c.send(Arc::clone(&event)).is_ok());
    }

    /// A channel of the events to come (unbounded: one per build, and a
    /// closed stream's sender is dropped at the next send), and the last
    /// failure if the content is broken now.
    fn subscribe(&self) -> (UnboundedReceiver<Arc<str>>, Option<Arc<str>>) {
        let (tx, rx) = unbounded_channel();
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        let failure = self
            .failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        (rx, failure)
    }
}

/// Watches the site's sources: `content/`, `templates/`, `static/`,
/// `themes/`, `site.toml`, `synonyms.toml`, and git's refs.
struct Watcher {
    inner: notify::RecommendedWatcher,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

impl Watcher {
    fn start(root: &Path, tx: mpsc::Sender<notify::Result<notify::Event>>) -> notify::Result<Self> {
        let inner = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        let mut w = Watcher {
            inner,
            root: root.to_path_buf(),
            watched: Vec::new(),
        };
        use notify::Watcher as _;
        w.inner.watch(root, notify::RecursiveMode::NonRecursive)?;
        w.refresh();
        Ok(w)
    }

    /// Watches the source folders that exist now (they may appear later).
    fn refresh(&mut self) {
        use notify::Watcher as _;
        for (dir, mode) in [
            ("content", notify::RecursiveMode::Recursive),
            ("templates", notify::RecursiveMode::Recursive),
            ("static", notify::RecursiveMode::Recursive),
            ("themes", notify::RecursiveMode::Recursive),
            (".git", notify::RecursiveMode::NonRecursive),
            (".git/refs", notify::RecursiveMode::Recursive),
        ] {
            let path = self.root.join(dir);
            if path.is_dir() && !self.watched.contains(&path) {
                if let Err(e) = self.inner.watch(&path, mode) {
                    eprintln!("警告：无法监视 {dir}/：{e}");
                }
                self.watched.push(path);
            }
        }
        self.watched.retain(|p| p.is_dir());
    }

    /// What a changed path means for the build, if anything.
    fn classify(&self, path: &Path) -> Option<Change> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        let first = rel.split('/').next().unwrap_or("");
        match first {
            "content" => Some(Change::Content(
                rel.strip_prefix("content")
                    .unwrap_or("")
                    .trim_start_matches('/')
                    .to_string(),
            )),
            "templates" | "static" | "themes" => Some(Change::Theme),
            "site.toml" | "synonyms.toml" => Some(Change::Config),
            ".git"
                if rel == ".git/HEAD"
                    || rel == ".git/packed-refs"
                    || rel.starts_with(".git/refs/") =>
            {
                Some(Change::History)
            }
            _ => None,
        }
    }
}

/// Waits for file events, coalesces each burst, rebuilds, tells browsers.
fn build_loop(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    mut watcher: Watcher,
    live: &mut Live,
    hub: &Hub,
    mut served: bool,
) {
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let mut events = vec![first];
        loop {
            let left = DEBOUNCE_MAX.saturating_sub(started.elapsed());
            match rx.recv_timeout(DEBOUNCE.min(left)) {
                Ok(e) => events.push(e),
                Err(_) => break,
            }
            if left.is_zero() {
                break;
            }
        }
        let mut changes: Vec<Change> = Vec::new();
        for e in events.into_iter().flatten() {
            if matches!(e.kind, notify::EventKind::Access(_)) {
                continue;
            }
            for p in &e.paths {
                if let Some(c) = watcher.classify(p) {
                    changes.push(c);
                }
            }
        }
        changes.sort();
        changes.dedup();
        if changes.is_empty() {
            continue;
        }
        watcher.refresh();
        let outcome = live.rebuild(&changes);
        report(&outcome, hub, started, served);
        served |= outcome.ok;
    }
}

fn open_browser(url: &str) {
    let result = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = result {
        eprintln!("无法打开浏览器（{e}）；请手动访问 {url}");
    }
}

/// The address pages of the preview link to: the bound loopback address
/// (IPv6 in brackets, `http://[::1]:1111/`), or 127.0.0.1 when bound to a
/// wildcard or an outside address.
fn preview_url(addr: std::net::SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() || !ip.is_loopback() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("http://{host}:{}/", addr.port())
}

#[cfg(test)]
mod tests {
    #[test]
    fn preview_urls_are_valid_base_urls() {
        for (bound, url) in [
            ("127.0.0.1:1111", "http://127.0.0.1:1111/"),
            ("[::1]:1111", "http://[::1]:1111/"),
            ("0.0.0.0:8080", "http://127.0.0.1:8080/"),
            ("[::]:8080", "http://127.0.0.1:8080/"),
            ("192.168.1.5:1111", "http://127.0.0.1:1111/"),
        ] {
            let got = super::preview_url(bound.parse().expect("address"));
            assert_eq!(got, url);
            assert_eq!(crate::config::check_base_url(&got), Ok(()), "{got}");
        }
    }
}
