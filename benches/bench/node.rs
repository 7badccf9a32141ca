//! Processes: `coopdir serve` children, the bare-axum child (this binary in server mode),
//! resident memory from /proc, and databases prepared through the library.

use anyhow::{Context, Result, anyhow};
use coopdir::{
    Node,
    config::{Options, Settings},
};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};
use url::Url;

/// A free loopback port (bound and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Settings of a node on `port` with its data in `dir` and the database at `db_url`.
pub fn settings(port: u16, dir: &Path, db_url: &str) -> Result<Settings> {
    let mut s = Options {
        dev: true,
        public_url: Some(Url::parse(&format!("http://localhost:{port}"))?),
        database_url: Some(db_url.to_string()),
        data_dir: Some(dir.to_path_buf()),
        ..Default::default()
    }
    .resolve()
    .map_err(|e| anyhow!("settings: {e}"))?;
    s.listen = addr(port);
    Ok(s)
}

pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("coopdir.db").display())
}

/// Prepare a node's database in this process (migrations, instance actor, the example
/// listings), returning the node's state for later writes.
pub async fn prepare(port: u16, dir: &Path) -> Result<Node> {
    let s = settings(port, dir, &sqlite_url(dir))?;
    let node = Node::start(s).await?;
    for (name, text) in [
        (
            "meetcoop.toml",
            include_str!("../../docs/examples/meetcoop.toml"),
        ),
        (
            "rheinmeet.json",
            include_str!("../../docs/examples/rheinmeet.json"),
        ),
    ] {
        let doc = coopdir::directory::listing::ListingDocument::parse(name, text)
            .map_err(|e| anyhow!("{name}: {e}"))?;
        coopdir::directory::import(&node.state, &doc)
            .await
            .map_err(|e| anyhow!("import {name}: {e}"))?;
    }
    Ok(node)
}

/// A child process killed when dropped.
pub struct Proc {
    pub child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Proc {
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    pub fn status(&self) -> Mem {
        mem_of(&format!("/proc/{}/status", self.pid()))
    }

    /// The last lines of the child's log, for error messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await;
    }
}

/// Start `coopdir serve` of the built binary on `port` against `db_url`.
pub async fn serve_node(port: u16, dir: &Path, db_url: &str, extra: &[&str]) -> Result<Proc> {
    let log = dir.join("serve.log");
    let logfile = std::fs::File::create(&log)?;
    // `COOPDIR_BENCH_CHILD_WRAP="heaptrack -o /tmp/serve-{n}"` runs the child under a
    // profiler (a diagnostic run: the child's pid is then the wrapper's, so its CPU and
    // memory rows do not describe the node).
    // `{n}` in it becomes the child's number in this run, so that each child's profile
    // has a file of its own.
    static CHILDREN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CHILDREN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let wrap = std::env::var("COOPDIR_BENCH_CHILD_WRAP")
        .unwrap_or_default()
        .replace("{n}", &n.to_string());
    let mut wrap = wrap.split_whitespace();
    let mut command = match wrap.next() {
        Some(program) => {
            let mut c = Command::new(program);
            c.args(wrap).arg(env!("CARGO_BIN_EXE_coopdir"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_coopdir")),
    };
    let child = command
        .args([
            "--dev",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--public-url",
            &format!("http://localhost:{port}"),
            "--data-dir",
            &dir.display().to_string(),
            "--database-url",
            db_url,
        ])
        .args(extra)
        .arg("serve")
        .env(
            "COOPDIR_LOG",
            std::env::var("COOPDIR_BENCH_CHILD_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(logfile)
        .kill_on_drop(true)
        .spawn()
        .context("spawn coopdir serve")?;
    let p = Proc { child, port, log };
    wait_ready(&p, "/readyz").await?;
    Ok(p)
}

/// Start this binary as the bare axum server, serving `json_file` at `GET /bare.json` and
/// answering 202 to `POST /inbox`.
pub async fn serve_bare(dir: &Path, json_file: &Path) -> Result<Proc> {
    let port = free_port();
    let log = dir.join(format!("bare-{port}.log"));
    let logfile = std::fs::File::create(&log)?;
    let exe = std::env::current_exe()?;
    let child = Command::new(exe)
        .args([
            "--serve-bare",
            &port.to_string(),
            &json_file.display().to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(logfile)
        .kill_on_drop(true)
        .spawn()
        .context("spawn the bare server")?;
    let p = Proc { child, port, log };
    wait_ready(&p, "/livez").await?;
    Ok(p)
}

pub async fn wait_ready(p: &Proc, path: &str) -> Result<()> {
    // A child under a profiler (`COOPDIR_BENCH_CHILD_WRAP`) starts many times slower.
    let wait = if std::env::var_os("COOPDIR_BENCH_CHILD_WRAP").is_some() {
        1800
    } else {
        60
    };
    let deadline = Instant::now() + Duration::from_secs(wait);
    let req = super::load::get(&format!("127.0.0.1:{}", p.port), path, &[]);
    loop {
        let mut c = super::load::Conn::new(addr(p.port));
        if let Ok(200) = c.request(&req).await {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(anyhow!(
                "the child on port {} did not become ready; its log:\n{}",
                p.port,
                p.log_tail()
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Resident memory from a /proc status file, in KiB.
#[derive(Debug, Default, Clone, Copy)]
pub struct Mem {
    pub rss_kib: u64,
    pub hwm_kib: u64,
}

pub fn mem_of(path: &str) -> Mem {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Mem {
        rss_kib: field("VmRSS:"),
        hwm_kib: field("VmHWM:"),
    }
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The bare server mode of this binary: `--serve-bare PORT JSON_FILE`.
pub fn bare_server_main(port: u16, json_file: &str) -> Result<()> {
    let text = std::fs::read_to_string(json_file)?;
    let value: &'static serde_json::Value = Box::leak(Box::new(serde_json::from_str(&text)?));
    // The same runtime as `coopdir serve` (src/main.rs): multi-threaded, one worker per core.
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        use axum::{
            Json, Router,
            body::Bytes,
            http::StatusCode,
            routing::{get, post},
        };
        let app = Router::new()
            .route("/bare.json", get(move || async move { Json(value) }))
            .route(
                "/inbox",
                post(|_body: Bytes| async { StatusCode::ACCEPTED }),
            )
            .route("/livez", get(|| async { "ok" }));
        let listener = tokio::net::TcpListener::bind(addr(port)).await?;
        axum::serve(listener, app).await?;
        Ok::<_, anyhow::Error>(())
    })
}

/// Read one line of JSON that a child prints on stdout.
pub async fn child_json(mut cmd: Command, timeout: Duration) -> Result<serde_json::Value> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(timeout, async {
        while let Some(l) = lines.next_line().await? {
            if l.starts_with('{') {
                return Ok::<_, anyhow::Error>(l);
            }
        }
        Err(anyhow!("the child exited without a result"))
    })
    .await
    .map_err(|_| anyhow!("the child took longer than {timeout:?}"))??;
    let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
    Ok(serde_json::from_str(&line)?)
}

/// With `COOPDIR_BENCH_PERF=1`, a `perf record` of process `pid` into
/// target/bench-perf/NAME.data until [`Perf::stop`]; otherwise nothing.
pub struct Perf(Option<Child>);

impl Perf {
    pub fn start(pid: u32, name: &str) -> Perf {
        if std::env::var_os("COOPDIR_BENCH_PERF").is_none() {
            return Perf(None);
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-perf");
        let _ = std::fs::create_dir_all(&dir);
        let child = Command::new("perf")
            .args(["record", "-F", "1999", "-g", "-p", &pid.to_string(), "-o"])
            .arg(dir.join(format!("{name}.data")))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
        Perf(child)
    }

    pub async fn stop(self) {
        if let Some(mut c) = self.0 {
            if let Some(id) = c.id() {
                let _ = Command::new("kill")
                    .args(["-INT", &id.to_string()])
                    .status()
                    .await;
            }
            let _ = tokio::time::timeout(Duration::from_secs(20), c.wait()).await;
        }
    }
}

/// CPU time (user + system, all threads) of process `pid` ("self" for this one), in
/// seconds, from /proc/PID/stat (clock ticks of 1/100 s on Linux).
pub fn cpu_secs(pid: &str) -> f64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = text.rsplit_once(')').map(|(_, a)| a).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// CPU used by a child and by this process over a span of wall time.
pub struct CpuSpan {
    child: String,
    child0: f64,
    me0: f64,
    t0: std::time::Instant,
}

impl CpuSpan {
    pub fn start(child_pid: u32) -> Self {
        let child = child_pid.to_string();
        CpuSpan {
            child0: cpu_secs(&child),
            child,
            me0: cpu_secs("self"),
            t0: std::time::Instant::now(),
        }
    }

    /// "node 1.62 of 2 cores (µs per item), bench process 0.31 cores".
    pub fn describe(&self, items: u64, what: &str) -> String {
        let wall = self.t0.elapsed().as_secs_f64().max(1e-3);
        let child = cpu_secs(&self.child) - self.child0;
        let me = cpu_secs("self") - self.me0;
        format!(
            "CPU during the run: node {:.2} cores ({:.0} µs of node CPU per {what}), load generator and sinks (this process) {:.2} cores",
            child / wall,
            child * 1e6 / items.max(1) as f64,
            me / wall
        )
    }
}
