//! The preview's HTTP/1.1 server, on hyper and tokio: what it answers is
//! [`super::http`]; this is how connections, pages and event streams share
//! the machine.
//!
//! - Connections are async tasks (at most [`MAX_CONNECTIONS`] at once;
//!   more wait in the listen queue). Keep-alive and pipelining are
//!   hyper's: requests sent together on one connection are all answered,
//!   in order. A connection idle for [`IDLE_TIMEOUT`] is closed.
//! - Files are read on tokio's blocking pool (at most [`FILE_READERS`]
//!   threads), because the "settled read" of a file being rewritten may
//!   wait.
//! - Event streams (`/__gongshi/events`) hold no thread: each is a task
//!   waiting on its channel, with a comment every [`HEARTBEAT`] so a
//!   browser that went away is noticed. At most [`MAX_EVENT_STREAMS`] at
//!   once; beyond that the answer is 503 with `Retry-After`, and the
//!   injected script waits before trying again. A page request never waits
//!   for a stream.
//! - A client that closes its sending side is gone (hyper's default, no
//!   half-close): that is how a closed tab's stream is freed at once rather
//!   than at the next heartbeat, which matters because every save reloads
//!   the page. A script piping a request into `nc -N` gets no answer.

use std::convert::Infallible;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use super::Hub;
use super::http::{self, Hosts};

/// Connections handled at once; more wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 1024;
/// Event streams open at once: a browser tab holds one. Beyond this the
/// preview answers 503, so that forgotten tabs (or a runaway script) cannot
/// take every connection.
pub const MAX_EVENT_STREAMS: usize = 64;
/// Seconds a refused event stream is asked to wait (`Retry-After`).
const RETRY_AFTER: &str = "5";
/// Threads reading files at once (tokio's blocking pool).
pub const FILE_READERS: usize = 16;
/// How often an event stream with nothing to say sends a comment.
pub const HEARTBEAT: Duration = Duration::from_secs(15);
/// A connection that sends no (complete) request head for this long is
/// closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// What every connection shares.
pub(crate) struct State {
    /// The served folder, canonical.
    pub(crate) root: PathBuf,
    pub(crate) hub: Arc<Hub>,
    pub(crate) hosts: Hosts,
    streams: Arc<Semaphore>,
}

impl State {
    pub(crate) fn new(root: PathBuf, hub: Arc<Hub>, hosts: Hosts) -> State {
        State {
            root,
            hub,
            hosts,
            streams: Arc::new(Semaphore::new(MAX_EVENT_STREAMS)),
        }
    }
}

/// The runtime the server runs on: two workers for the sockets, a small
/// blocking pool for the files.
pub(crate) fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(FILE_READERS)
        .thread_name("gongshi-http")
        .enable_io()
        .enable_time()
        .build()
}

/// Accepts connections until the process ends.
pub(crate) async fn serve(listener: TcpListener, state: Arc<State>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(IDLE_TIMEOUT)
        .pipeline_flush(true);
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, usually: let some close.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        let service = hyper::service::service_fn(move |req| answer(req, Arc::clone(&state)));
        let conn = http.serve_connection(TokioIo::new(stream), service);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
}

type Response = hyper::Response<Body>;

async fn answer(req: hyper::Request<Incoming>, state: Arc<State>) -> Result<Response, Infallible> {
    let head = req.method() == Method::HEAD;
    // The target's authority (absolute form) wins over `Host`. Without
    // either (HTTP/1.0) the request is answered: browsers always send
    // `Host`, and a program on this machine can reach the files anyway.
    let host = match req.uri().authority() {
        Some(a) => Some(Ok(a.as_str().rsplit('@').next().unwrap_or(""))),
        None => req.headers().get(header::HOST).map(|v| v.to_str()),
    };
    if let Some(host) = host
        && !host.is_ok_and(|h| state.hosts.allow(h))
    {
        return Ok(send(http::forbidden_host(), head));
    }
    let path = req.uri().path();
    if let Some(name) = path.strip_prefix(http::LIVE_PREFIX) {
        return Ok(match (name, req.method()) {
            ("events", &Method::GET) => events(&state),
            ("events", _) => {
                let mut r = send(http::Response::text(405, "405 只支持 GET"), head);
                r.headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("GET"));
                r
            }
            ("live.js", &Method::GET | &Method::HEAD) => send(
                http::Response {
                    status: 200,
                    content_type: "text/javascript; charset=utf-8",
                    body: http::LIVE_JS.as_bytes().to_vec(),
                    location: None,
                    etag: None,
                },
                head,
            ),
            ("live.js", _) => send(http::Response::text(405, "405 只支持 GET 和 HEAD"), head),
            _ => send(http::Response::text(404, "404"), head),
        });
    }
    let request = http::Request {
        method: req.method().as_str().to_string(),
        target: req
            .uri()
            .path_and_query()
            .map_or_else(|| path.to_string(), |p| p.as_str().to_string()),
        if_none_match: req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    let root = state.root.clone();
    let resp = tokio::task::spawn_blocking(move || {
        let script = format!(
            "<script src=\"{}live.js\" defer></script>",
            http::LIVE_PREFIX
        );
        http::respond(&root, &request, &script)
    })
    .await
    .unwrap_or_else(|_| http::Response::text(500, "500"));
    Ok(send(resp, head))
}

/// A Server-Sent Events stream of builds, or 503 when there are too many.
fn events(state: &State) -> Response {
    let Ok(slot) = Arc::clone(&state.streams).try_acquire_owned() else {
        let mut r = send(
            http::Response::text(
                503,
                "503 实时更新的连接太多，请稍后再试。Too many live-reload streams.\n",
            ),
            false,
        );
        let h = r.headers_mut();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
        h.insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    };
    let (rx, failure) = state.hub.subscribe();
    let mut first = String::from("retry: 500\n\n");
    if let Some(f) = failure {
        first.push_str(&f);
    }
    let mut heartbeat =
        tokio::time::interval_at(tokio::time::Instant::now() + HEARTBEAT, HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let body = Body::Events(Box::new(Events {
        first: Some(Bytes::from(first)),
        rx,
        heartbeat,
        _slot: slot,
    }));
    let mut r = hyper::Response::new(body);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Turns an answer into hyper's response; `HEAD` gets the headers only.
fn send(resp: http::Response, head: bool) -> Response {
    let status = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let len = resp.body.len();
    let body = if head || status == StatusCode::NOT_MODIFIED {
        Body::Bytes(None)
    } else {
        Body::Bytes(Some(Bytes::from(resp.body)))
    };
    let mut r = hyper::Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(resp.content_type),
    );
    if status != StatusCode::NOT_MODIFIED {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(v) = resp.location.and_then(|l| HeaderValue::try_from(l).ok()) {
        h.insert(header::LOCATION, v);
    }
    if let Some(v) = resp.etag.and_then(|e| HeaderValue::try_from(e).ok()) {
        h.insert(header::ETAG, v);
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        h.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    r
}

/// A response body: bytes, or an endless event stream.
pub(crate) enum Body {
    Bytes(Option<Bytes>),
    Events(Box<Events>),
}

/// An open event stream: what it sends first, then builds and heartbeats.
/// Dropped (and its slot freed) when the connection ends.
pub(crate) struct Events {
    first: Option<Bytes>,
    rx: mpsc::UnboundedReceiver<Arc<str>>,
    heartbeat: tokio::time::Interval,
    _slot: OwnedSemaphorePermit,
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let data = |b: Bytes| Poll::Ready(Some(Ok(Frame::data(b))));
        match self.get_mut() {
            Body::Bytes(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(e) => {
                if let Some(first) = e.first.take() {
                    return data(first);
                }
                match e.rx.poll_recv(cx) {
                    Poll::Ready(Some(event)) => return data(Bytes::from(event.to_string())),
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Pending => {}
                }
                match e.heartbeat.poll_tick(cx) {
                    Poll::Ready(_) => data(Bytes::from_static(b": \n\n")),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Bytes(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Bytes(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}
