//! A lean HTTP/1.1 keep-alive load generator: each connection writes a pre-built request
//! and reads the response (Content-Length or chunked). Far cheaper per request than a full
//! client, so on two shared cores the server gets most of the CPU, for the node and for the
//! bare ceilings alike.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// One keep-alive connection.
pub struct Conn {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    pub fn new(addr: SocketAddr) -> Self {
        Conn {
            addr,
            stream: None,
            buf: Vec::with_capacity(16 * 1024),
        }
    }

    /// Send `req` and read the whole response; returns the status code.
    pub async fn request(&mut self, req: &[u8]) -> std::io::Result<u16> {
        if self.stream.is_none() {
            let s = TcpStream::connect(self.addr).await?;
            s.set_nodelay(true)?;
            self.stream = Some(s);
            self.buf.clear();
        }
        let res = self.exchange(req).await;
        if res.is_err() {
            self.stream = None;
        }
        res
    }

    async fn exchange(&mut self, req: &[u8]) -> std::io::Result<u16> {
        let stream = self.stream.as_mut().expect("connected");
        stream.write_all(req).await?;
        self.buf.clear();
        // Headers.
        let head_end = loop {
            if let Some(p) = find(&self.buf, b"\r\n\r\n") {
                break p + 4;
            }
            read_more(stream, &mut self.buf).await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end]).map_err(invalid)?;
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid("no status"))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        for line in head.split("\r\n").skip(1) {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let v = v.trim();
            if k.eq_ignore_ascii_case("content-length") {
                length = v.parse::<usize>().ok();
            } else if k.eq_ignore_ascii_case("transfer-encoding") {
                chunked = v.eq_ignore_ascii_case("chunked");
            } else if k.eq_ignore_ascii_case("connection") {
                close = v.eq_ignore_ascii_case("close");
            }
        }
        if chunked {
            let mut pos = head_end;
            loop {
                let line_end = loop {
                    if let Some(p) = find(&self.buf[pos..], b"\r\n") {
                        break pos + p;
                    }
                    read_more(stream, &mut self.buf).await?;
                };
                let size_str = std::str::from_utf8(&self.buf[pos..line_end]).map_err(invalid)?;
                let size =
                    usize::from_str_radix(size_str.split(';').next().unwrap_or("").trim(), 16)
                        .map_err(invalid)?;
                let need = line_end + 2 + size + 2;
                while self.buf.len() < need {
                    read_more(stream, &mut self.buf).await?;
                }
                pos = need;
                if size == 0 {
                    break;
                }
            }
        } else if let Some(len) = length {
            while self.buf.len() < head_end + len {
                read_more(stream, &mut self.buf).await?;
            }
        } else if status != 204 && status != 304 {
            // No length: the body ends with the connection.
            loop {
                let n = stream.read_buf(&mut self.buf).await?;
                if n == 0 {
                    break;
                }
            }
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok(status)
    }
}

fn invalid<E: std::fmt::Display>(e: E) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<()> {
    buf.reserve(8 * 1024);
    let n = stream.read_buf(buf).await?;
    if n == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed mid-response",
        ));
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A GET request with the given headers (each `Name: value`).
pub fn get(host: &str, path: &str, headers: &[&str]) -> Vec<u8> {
    let mut s = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: coopdir-bench\r\n");
    for h in headers {
        s.push_str(h);
        s.push_str("\r\n");
    }
    s.push_str("\r\n");
    s.into_bytes()
}

/// What a load run measured.
#[derive(Debug, Default, Clone)]
pub struct LoadResult {
    /// Responses with the expected status.
    pub ok: u64,
    /// Other statuses and I/O errors.
    pub errors: u64,
    pub first_error: Option<String>,
    /// Latencies of the expected responses, in microseconds.
    pub latencies_us: Vec<u32>,
    pub elapsed: Duration,
}

impl LoadResult {
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    pub fn p(&self, q: f64) -> f64 {
        percentile_us(&self.latencies_us, q) / 1000.0
    }
}

/// The `q` quantile (0..=1) of latencies in microseconds, nearest rank.
pub fn percentile_us(v: &[u32], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_unstable();
    let idx = ((q * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1;
    s[idx] as f64
}

/// Requests to send: the request number → its bytes, or `None` when there are no more.
pub type Requests = Arc<dyn Fn(usize) -> Option<Arc<[u8]>> + Send + Sync>;

/// Drive `concurrency` keep-alive connections for `warmup` (not counted) then `duration`,
/// or until the requests run out. `expect` is the status that counts as success.
pub async fn run(
    addr: SocketAddr,
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
    expect: u16,
    requests: Requests,
) -> LoadResult {
    let next = Arc::new(AtomicUsize::new(0));
    let measuring = Arc::new(AtomicBool::new(warmup.is_zero()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let next = next.clone();
        let measuring = measuring.clone();
        let stop = stop.clone();
        let requests = requests.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::new(addr);
            let mut r = LoadResult::default();
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(req) = requests(i) else { break };
                let t = Instant::now();
                let res = conn.request(&req).await;
                let us = t.elapsed().as_micros().min(u32::MAX as u128) as u32;
                if !measuring.load(Ordering::Relaxed) {
                    continue;
                }
                match res {
                    Ok(s) if s == expect => {
                        r.ok += 1;
                        r.latencies_us.push(us);
                    }
                    Ok(s) => {
                        r.errors += 1;
                        r.first_error.get_or_insert_with(|| format!("HTTP {s}"));
                    }
                    Err(e) => {
                        r.errors += 1;
                        r.first_error.get_or_insert_with(|| e.to_string());
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }
            }
            r
        }));
    }
    if !warmup.is_zero() {
        tokio::time::sleep(warmup).await;
        measuring.store(true, Ordering::Relaxed);
    }
    let start = Instant::now();
    // Stop at the deadline, or earlier when every task ran out of requests.
    let deadline = tokio::time::sleep(duration);
    tokio::pin!(deadline);
    let all = futures::future::join_all(tasks);
    tokio::pin!(all);
    let (results, elapsed) = tokio::select! {
        r = &mut all => (r, start.elapsed()),
        _ = &mut deadline => {
            stop.store(true, Ordering::Relaxed);
            let elapsed = start.elapsed();
            // Requests in flight finish (bounded by the server; give up after 15 s).
            match tokio::time::timeout(Duration::from_secs(15), &mut all).await {
                Ok(r) => (r, elapsed),
                Err(_) => (vec![], elapsed),
            }
        }
    };
    let mut total = LoadResult {
        elapsed,
        ..Default::default()
    };
    for r in results.into_iter().flatten() {
        total.ok += r.ok;
        total.errors += r.errors;
        if total.first_error.is_none() {
            total.first_error = r.first_error;
        }
        total.latencies_us.extend(r.latencies_us);
    }
    total
}
