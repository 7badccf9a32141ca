//! The HTTP server: accepts connections and serves the router on them, with limits that
//! keep slow or idle clients from holding the node (docs/configuration.md, "HTTP server").
//!
//! - **Header timeout** (`--header-timeout`): hyper's HTTP/1 header read timeout. It runs
//!   from when a connection is ready for a request head (just accepted, or kept alive after
//!   its last response) until the head is complete; a client that sends part of a head and
//!   stalls (slowloris), or keeps a connection open without sending the next request, is
//!   disconnected when it ends.
//! - **Idle timeout** (`--idle-timeout`): a connection on which no byte moves in either
//!   direction for that long, while none of its requests is being handled, is shut down
//!   gracefully and dropped a second later if it has not closed. This covers what the header
//!   timeout does not: HTTP/2 connections, a client that stops reading a response.
//! - **Connection cap** (`--max-connections`): connections beyond it are answered at once
//!   with `503 Service Unavailable` and `Retry-After`, then closed, instead of waiting in
//!   the kernel's queue; file descriptors stay available for `/livez`, the database and
//!   outgoing deliveries.
//!
//! On shutdown the node stops accepting, lets requests under way finish (connections are
//! shut down gracefully), and drops whatever is still open after [`SHUTDOWN_GRACE`].

use crate::config::HttpSettings;
use axum::{Router, extract::ConnectInfo};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto,
};
use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{Semaphore, watch},
};
use tower::ServiceExt;

/// How long connections may take to finish once the node is shutting down.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Shortest time between two warnings about refused connections.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// Refusals (503 to connections over the cap) being written at once; beyond it, further
/// connections are closed without an answer.
const MAX_REFUSALS: usize = 64;

/// The answer to a connection over the cap.
const REFUSAL_BODY: &str =
    "This node is serving as many connections as it can; retry in a few seconds.\n";

fn refusal() -> String {
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
         retry-after: 5\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{REFUSAL_BODY}",
        REFUSAL_BODY.len()
    )
}

/// Serve `app` on `listener` until `shutdown` turns true (or its sender is dropped).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &HttpSettings,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let max = limits.max_connections;
    let permits = Arc::new(Semaphore::new(max));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let idle = limits.idle_timeout;
    // Warnings about refused connections, at most one per `WARN_EVERY`, so that a flood
    // does not flood the log too.
    let mut warned: Option<Instant> = None;
    let mut should_warn = move || {
        let now = Instant::now();
        let due = warned.is_none_or(|w| now.duration_since(w) >= WARN_EVERY);
        if due {
            warned = Some(now);
        }
        due
    };
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.wait_for(|stop| *stop) => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                // Out of file descriptors, most likely: wait a little rather than spin.
                if should_warn() {
                    tracing::warn!(error = %e, "cannot accept connections");
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            if should_warn() {
                tracing::warn!(%peer, max, "connection limit reached; answering 503 to new connections");
            }
            refuse(stream, &refusals);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let builder = builder.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            connection(stream, peer, app, &builder, idle, shutdown).await;
            drop(permit);
        });
    }
    // Every connection holds a permit until it ends.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    if tokio::time::timeout(SHUTDOWN_GRACE, permits.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period were dropped");
    }
    Ok(())
}

/// Errors of one connection that does not concern the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Answer 503 to a connection over the cap, in the background and briefly.
fn refuse(mut stream: TcpStream, refusals: &Arc<Semaphore>) {
    let Ok(permit) = refusals.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let _permit = permit;
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            // Read the request (some of it) first: closing a socket with unread data would
            // reset the connection before the client reads the answer.
            let mut buf = [0u8; 4096];
            let _ = tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await;
            stream.write_all(refusal().as_bytes()).await?;
            stream.shutdown().await
        })
        .await;
    });
}

/// Serve one connection until it ends, is idle too long, or the node shuts down.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    builder: &auto::Builder<TokioExecutor>,
    idle: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Tracked {
        inner: stream,
        activity: activity.clone(),
    });
    let handling = activity.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let mut req = req.map(axum::body::Body::new);
        req.extensions_mut().insert(ConnectInfo(peer));
        let busy = Busy::new(handling.clone());
        let app = app.clone();
        async move {
            let res = app.oneshot(req).await;
            drop(busy);
            res
        }
    });
    let conn = builder.serve_connection_with_upgrades(io, service);
    tokio::pin!(conn);
    let mut tick =
        tokio::time::interval((idle / 4).clamp(Duration::from_millis(50), Duration::from_secs(1)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // When the connection was asked to close, and how long it then has.
    let mut closing: Option<(Instant, Duration)> = None;
    loop {
        tokio::select! {
            r = conn.as_mut() => {
                if let Err(e) = r {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                return;
            }
            _ = shutdown.wait_for(|stop| *stop), if closing.is_none() => {
                conn.as_mut().graceful_shutdown();
                closing = Some((Instant::now(), SHUTDOWN_GRACE));
            }
            _ = tick.tick() => {
                if let Some((since, grace)) = closing {
                    if since.elapsed() >= grace {
                        tracing::debug!(%peer, "connection dropped: it did not close in time");
                        return;
                    }
                } else if activity.busy() == 0 && activity.quiet_for() >= idle {
                    tracing::debug!(%peer, "closing an idle connection");
                    conn.as_mut().graceful_shutdown();
                    closing = Some((Instant::now(), Duration::from_secs(1)));
                }
            }
        }
    }
}

/// What the idle timeout looks at: when a byte last moved, and how many requests of the
/// connection are being handled.
struct Activity {
    start: Instant,
    /// Milliseconds after `start` of the last read or write that moved bytes.
    last: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    fn quiet_for(&self) -> Duration {
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }

    fn busy(&self) -> usize {
        self.busy.load(Ordering::Relaxed)
    }
}

/// A request being handled; counted until dropped (also when the handler is cancelled).
struct Busy(Arc<Activity>);

impl Busy {
    fn new(a: Arc<Activity>) -> Self {
        a.busy.fetch_add(1, Ordering::Relaxed);
        Busy(a)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A TCP stream that notes when bytes move.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
