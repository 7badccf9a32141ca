//! coopdir benchmarks: every one measures its own ceiling in the same run, because this
//! kind of machine (2 shared cores) is noisy. Run by `scripts/bench` as
//! `cargo bench --bench bench -- [filters]`; prints one JSON object per result
//! (`name`, `value`, `unit`, `ceiling`, `ratio`, plus `goal` and `met`) and, on a full run,
//! rewrites the generated part of docs/benchmarks.md.
//!
//! Groups (a filter selects every group whose name contains it): `inbox`, `inbox-peer`, `read`,
//! `memory`, `fanout`, `fanout-peer`, `fanout-retry-memory`, `search-sqlite`, `search-postgres`,
//! `import`, `probes`, `scale` (search and the directory page at 1k–100k listings), `scale-fanout`.
//!
//! Nodes run as real `coopdir serve` child processes; load generators, inbox sinks and the
//! ceilings run in this process (or, for the bare axum server and the retry-memory run, in a
//! child of this binary).

#[path = "bench/fanout.rs"]
mod fanout;
#[path = "bench/import.rs"]
mod import;
#[path = "bench/inbox.rs"]
mod inbox;
#[path = "bench/load.rs"]
mod load;
#[path = "bench/node.rs"]
mod node;
#[path = "bench/peer_fanout.rs"]
mod peer_fanout;
#[path = "bench/peer_inbox.rs"]
mod peer_inbox;
#[path = "bench/probes.rs"]
mod probes;
#[path = "bench/read.rs"]
mod read;
#[path = "bench/scale.rs"]
mod scale;
#[path = "bench/search.rs"]
mod search;
#[path = "bench/search_proto.rs"]
mod search_proto;

use std::{
    sync::OnceLock,
    time::{Duration, Instant},
};

static START: OnceLock<Instant> = OnceLock::new();

/// Progress on stderr, with seconds since the start.
pub fn log(msg: &str) {
    let t = START.get_or_init(Instant::now).elapsed().as_secs_f64();
    eprintln!("[{t:6.1}s] {msg}");
}

/// One result line.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub ceiling: Option<f64>,
    pub ratio: Option<f64>,
    pub goal: String,
    pub met: Option<bool>,
    pub note: String,
}

impl Outcome {
    /// A rate against the ceiling's rate: ratio = value / ceiling, goal ratio ≥ `min`.
    /// `check_ok` is false when a correctness check of the run failed.
    pub fn throughput(
        name: &str,
        value: f64,
        unit: &str,
        ceiling: f64,
        min: f64,
        note: String,
        check_ok: bool,
    ) -> Self {
        let ratio = value / ceiling;
        Outcome {
            name: name.into(),
            value,
            unit: unit.into(),
            ceiling: Some(ceiling),
            ratio: Some(ratio),
            goal: if check_ok {
                format!("ratio ≥ {min}")
            } else {
                format!("ratio ≥ {min}; correctness check FAILED")
            },
            met: Some(ratio >= min && check_ok),
            note,
        }
    }

    /// A latency in ms against the ceiling's latency: ratio = ceiling / value (1 = as fast
    /// as the ceiling), goal value < `max_ms`.
    pub fn latency(name: &str, value: f64, ceiling: f64, max_ms: f64, note: String) -> Self {
        Outcome {
            name: name.into(),
            value,
            unit: "ms".into(),
            ceiling: Some(ceiling),
            ratio: Some(ceiling / value),
            goal: format!("< {max_ms} ms"),
            met: Some(value < max_ms),
            note,
        }
    }

    /// A latency against raw SQL: ratio = raw / value, goal within 1.5× of raw (ratio ≥
    /// 0.67) and, when given, below `max_ms`.
    pub fn relative_latency(
        name: &str,
        value: f64,
        raw: f64,
        max_ms: Option<f64>,
        note: String,
    ) -> Self {
        let ratio = raw / value;
        let within = value <= 1.5 * raw;
        let (goal, met) = match max_ms {
            Some(m) => (format!("< {m} ms and ≤ 1.5× raw"), within && value < m),
            None => ("≤ 1.5× raw".to_string(), within),
        };
        Outcome {
            name: name.into(),
            value,
            unit: "ms".into(),
            ceiling: Some(raw),
            ratio: Some(ratio),
            goal,
            met: Some(met),
            note,
        }
    }

    /// A resource use against a budget: ceiling = budget, ratio = value / budget, goal ≤ 1.
    pub fn budget(name: &str, value: f64, unit: &str, budget: f64, note: String) -> Self {
        Outcome {
            name: name.into(),
            value,
            unit: unit.into(),
            ceiling: Some(budget),
            ratio: Some(value / budget),
            goal: format!("≤ {budget} {unit} (ratio ≤ 1)"),
            met: Some(value <= budget),
            note,
        }
    }

    pub fn skipped(name: &str, unit: &str, note: String) -> Self {
        Outcome {
            name: name.into(),
            value: f64::NAN,
            unit: unit.into(),
            ceiling: None,
            ratio: None,
            goal: "skipped".into(),
            met: None,
            note,
        }
    }

    fn json(&self) -> serde_json::Value {
        let num = |v: f64| {
            if v.is_finite() {
                serde_json::json!((v * 1000.0).round() / 1000.0)
            } else {
                serde_json::Value::Null
            }
        };
        serde_json::json!({
            "name": self.name,
            "value": num(self.value),
            "unit": self.unit,
            "ceiling": self.ceiling.map(num).unwrap_or(serde_json::Value::Null),
            "ratio": self.ratio.map(num).unwrap_or(serde_json::Value::Null),
            "goal": self.goal,
            "met": self.met,
        })
    }
}

const GROUPS: &[&str] = &[
    "inbox",
    "inbox-peer",
    "read",
    "memory",
    "fanout",
    "fanout-peer",
    "fanout-retry-memory",
    "search-sqlite",
    "search-postgres",
    "import",
    "probes",
    "scale",
    "scale-fanout",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--serve-bare") => {
            let port = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(0);
            let file = args.get(2).cloned().unwrap_or_default();
            if let Err(e) = node::bare_server_main(port, &file) {
                eprintln!("bare server: {e:#}");
                std::process::exit(1);
            }
            return;
        }
        Some("--search-memory") => {
            let url = args.get(1).cloned().unwrap_or_default();
            if let Err(e) = search::search_memory_main(&url) {
                eprintln!("search memory: {e:#}");
                std::process::exit(1);
            }
            return;
        }
        Some("--peer-inbox") => {
            let url = args.get(1).cloned().unwrap_or_default();
            let port = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(0);
            if let Err(e) = peer_inbox::peer_inbox_main(&url, port) {
                eprintln!("inbox peer: {e:#}");
                std::process::exit(1);
            }
            return;
        }
        Some("--peer-fanout") => {
            let file = args.get(1).cloned().unwrap_or_default();
            if let Err(e) = peer_fanout::peer_fanout_main(&file) {
                eprintln!("fan-out peer: {e:#}");
                std::process::exit(1);
            }
            return;
        }
        Some("--retry-memory") => {
            if let Err(e) = fanout::retry_memory_main() {
                eprintln!("retry memory: {e:#}");
                std::process::exit(1);
            }
            return;
        }
        _ => {}
    }
    // `cargo bench` passes `--bench`; everything else not starting with `-` is a filter.
    let filters: Vec<String> = args.into_iter().filter(|a| !a.starts_with('-')).collect();
    let selected: Vec<&str> = GROUPS
        .iter()
        .copied()
        .filter(|g| filters.is_empty() || filters.iter().any(|f| g.contains(f.as_str())))
        .collect();
    if selected.is_empty() {
        eprintln!(
            "no benchmark matches {filters:?}; groups are: {}",
            GROUPS.join(", ")
        );
        std::process::exit(2);
    }
    START.get_or_init(Instant::now);
    let machine_before = Machine::read();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (outcomes, failures) = rt.block_on(run(&selected));
    let elapsed = START.get().map(|s| s.elapsed()).unwrap_or_default();
    let machine_after = Machine::read();
    log(&format!("done in {:.0} s", elapsed.as_secs_f64()));
    let full = filters.is_empty();
    if full || std::env::var_os("COOPDIR_BENCH_WRITE_DOCS").is_some() {
        match write_docs(
            &outcomes,
            &failures,
            &machine_before,
            &machine_after,
            elapsed,
            &selected,
        ) {
            Ok(p) => log(&format!("wrote {p}")),
            Err(e) => log(&format!("could not write docs/benchmarks.md: {e:#}")),
        }
    } else {
        log("filtered run: docs/benchmarks.md is left as it is (a full run rewrites it)");
    }
    rt.shutdown_timeout(Duration::from_secs(2));
    if !failures.is_empty() {
        std::process::exit(1);
    }
}

fn emit(o: &Outcome) {
    println!("{}", o.json());
}

async fn run(selected: &[&str]) -> (Vec<Outcome>, Vec<String>) {
    let mut out: Vec<Outcome> = Vec::new();
    let mut failures = Vec::new();
    let mut peaks: Vec<(String, f64)> = Vec::new();
    let mut idle = None;
    let has = |g: &str| selected.contains(&g);
    let mut printed = 0;
    macro_rules! flush {
        () => {
            for o in &out[printed..] {
                log(&format!("{}: {}", o.name, o.note));
                emit(o);
            }
            printed = out.len();
        };
    }

    if has("inbox") || has("inbox-peer") || has("read") || has("memory") {
        let (inbox, peer, read) = (
            has("inbox") || has("inbox-peer"),
            has("inbox-peer"),
            has("read"),
        );
        if let Err(e) = inbox::run(&mut out, &mut peaks, &mut idle, inbox, read, peer).await {
            log(&format!("inbox/read: FAILED: {e:#}"));
            failures.push(format!("inbox/read: {e:#}"));
        }
        flush!();
    }
    if has("fanout") || has("fanout-peer") {
        if let Err(e) = fanout::run(&mut out, &mut peaks, has("fanout"), has("fanout-peer")).await {
            log(&format!("fan-out: FAILED: {e:#}"));
            failures.push(format!("fan-out: {e:#}"));
        }
        flush!();
    }
    if has("fanout-retry-memory") {
        if let Err(e) = fanout::retry_memory(&mut out).await {
            log(&format!("retry memory: FAILED: {e:#}"));
            failures.push(format!("retry memory: {e:#}"));
        }
        flush!();
    }
    if has("memory") {
        if let Some(idle) = idle {
            out.push(Outcome::budget(
                "memory.idle_rss_mib",
                idle,
                "MiB",
                30.0,
                "VmRSS of a `coopdir serve` child process (SQLite, the two example co-ops imported, delivery workers running) 2 s after it answered /readyz.".into(),
            ));
        }
        if let Some((who, peak)) = peaks.iter().max_by(|a, b| a.1.total_cmp(&b.1)).cloned() {
            let all: Vec<String> = peaks
                .iter()
                .map(|(w, p)| format!("{w} {p:.1} MiB"))
                .collect();
            out.push(Outcome::budget(
                "memory.peak_rss_mib",
                peak,
                "MiB",
                100.0,
                format!(
                    "VmHWM (peak resident set) of the `coopdir serve` child processes at the end of their benchmarks: {}; highest: {who}.",
                    all.join(", ")
                ),
            ));
        }
        flush!();
    }
    let sqlite = has("search-sqlite");
    let postgres = has("search-postgres");
    if sqlite || postgres {
        if let Err(e) = search::run(&mut out, sqlite, postgres).await {
            log(&format!("search: FAILED: {e:#}"));
            failures.push(format!("search: {e:#}"));
        }
        flush!();
    }
    if has("import") {
        if let Err(e) = import::run(&mut out).await {
            log(&format!("import: FAILED: {e:#}"));
            failures.push(format!("import: {e:#}"));
        }
        flush!();
    }
    if has("probes") {
        if let Err(e) = probes::run(&mut out).await {
            log(&format!("probes: FAILED: {e:#}"));
            failures.push(format!("probes: {e:#}"));
        }
        flush!();
    }
    if has("scale") {
        if let Err(e) = scale::run(&mut out).await {
            log(&format!("scale: FAILED: {e:#}"));
            failures.push(format!("scale: {e:#}"));
        }
        flush!();
    }
    if has("scale-fanout") {
        if let Err(e) = fanout::scale(&mut out).await {
            log(&format!("scale fan-out: FAILED: {e:#}"));
            failures.push(format!("scale fan-out: {e:#}"));
        }
        flush!();
    }
    let _ = printed;
    (out, failures)
}

/// What the machine was, and how busy, for docs/benchmarks.md.
struct Machine {
    cores: usize,
    mem_total_mib: u64,
    cpu_model: String,
    kernel: String,
    loadavg: String,
    date: String,
}

impl Machine {
    fn read() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_total_mib = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024;
        Machine {
            cores: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(0),
            mem_total_mib,
            cpu_model,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .unwrap_or_default()
                .trim()
                .to_string(),
            loadavg: std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

/// The commit measured, and whether src/ or migrations/ had uncommitted changes.
fn code_state() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(head) = git(&["log", "-1", "--format=%h %s"]) else {
        return "unknown (not a git checkout)".into();
    };
    let dirty = git(&[
        "status",
        "--porcelain",
        "--",
        "src",
        "migrations",
        "Cargo.toml",
    ])
    .map(|s| s.lines().count())
    .unwrap_or(0);
    if dirty == 0 {
        format!("commit {head}")
    } else {
        format!(
            "commit {head}, plus uncommitted changes to {dirty} files under src/, migrations/ or Cargo.toml"
        )
    }
}

const BEGIN: &str = "<!-- bench:begin (generated by scripts/bench; edits here are overwritten) -->";
const END: &str = "<!-- bench:end -->";

fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn write_docs(
    outcomes: &[Outcome],
    failures: &[String],
    before: &Machine,
    after: &Machine,
    elapsed: Duration,
    selected: &[&str],
) -> anyhow::Result<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/benchmarks.md");
    let mut g = String::new();
    g.push_str(BEGIN);
    g.push_str("\n\n## Last run\n\n");
    g.push_str(&format!(
        "- **When**: {} (benchmarks took {:.0} s, release build not included)\n",
        before.date,
        elapsed.as_secs_f64()
    ));
    g.push_str(&format!(
        "- **Machine**: {} cores ({}), {} MiB memory, Linux {}\n",
        before.cores, before.cpu_model, before.mem_total_mib, before.kernel
    ));
    g.push_str(&format!(
        "- **Load average** (1, 5, 15 min) at the start: {}; at the end: {} (the benchmarks themselves load both cores)\n",
        before.loadavg, after.loadavg
    ));
    g.push_str(&format!("- **Code measured**: {}\n", code_state()));
    g.push_str(&format!("- **Groups run**: {}\n", selected.join(", ")));
    if !failures.is_empty() {
        g.push_str(&format!(
            "- **Failed groups**: {}\n",
            failures
                .iter()
                .map(|f| f.lines().next().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    g.push_str(
        "\n| benchmark | value | unit | ceiling | ratio | goal | met |\n| --- | ---: | --- | ---: | ---: | --- | --- |\n",
    );
    for o in outcomes {
        g.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            o.name,
            fmt_num(o.value),
            o.unit,
            o.ceiling.map(fmt_num).unwrap_or_else(|| "–".into()),
            o.ratio.map(fmt_num).unwrap_or_else(|| "–".into()),
            o.goal,
            match o.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "–",
            }
        ));
    }
    g.push_str("\n### What each line measured\n\n");
    for o in outcomes {
        g.push_str(&format!("- `{}`: {}\n", o.name, o.note));
    }
    g.push('\n');
    g.push_str(END);
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let text = match (existing.find(BEGIN), existing.find(END)) {
        (Some(b), Some(e)) if e > b => {
            format!("{}{}{}", &existing[..b], g, &existing[e + END.len()..])
        }
        _ => format!(
            "# Benchmarks\n\nRun `scripts/bench` (see the script's header). The section between the markers below is rewritten by every full run; the analysis after it is written by hand.\n\n{g}\n\n## Analysis\n\n(Not written yet.)\n"
        ),
    };
    std::fs::write(&path, text)?;
    Ok(path.display().to_string())
}
