//! Serve requests in-process, for instruction counts of one route:
//!
//! ```text
//! cargo build --release --example profile_requests
//! valgrind --tool=callgrind target/release/examples/profile_requests / 200
//! ```
//!
//! Arguments: the path (default `/`), how many requests after one warm-up (default 100),
//! `json` (or `html`) for the Accept header, and a data directory to keep between runs. The node is the benchmark's: a fresh SQLite
//! database in a temporary directory with the five example listings. Subtracting a run
//! with 0 requests from a run with N gives the instructions of N requests.

use axum::body::Body;
use coopdir::{Node, config::Options};
use tower::ServiceExt;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).cloned().unwrap_or_else(|| "/".into());
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(100);
    let json = args.get(3).is_some_and(|a| a == "json");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        // A data directory given as the fourth argument is kept and used again, so that a
        // second run generates no keys (their cost varies from run to run).
        let tmp = tempfile::tempdir()?;
        let dir_path = args
            .get(4)
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| tmp.path().to_path_buf());
        let fresh = !dir_path.join("coopdir.db").exists();
        std::fs::create_dir_all(&dir_path)?;
        let mut settings = Options {
            dev: true,
            public_url: Some(url::Url::parse("http://localhost:8080")?),
            database_url: Some(format!(
                "sqlite://{}?mode=rwc",
                dir_path.join("coopdir.db").display()
            )),
            data_dir: Some(dir_path.clone()),
            ..Default::default()
        }
        .resolve()
        .map_err(|e| anyhow::anyhow!("settings: {e}"))?;
        settings.listen = "127.0.0.1:8080".parse()?;
        let node = Node::start(settings).await?;
        let examples = if fresh {
            vec![
                (
                    "meetcoop.toml",
                    include_str!("../docs/examples/meetcoop.toml"),
                ),
                (
                    "rheinmeet.json",
                    include_str!("../docs/examples/rheinmeet.json"),
                ),
            ]
        } else {
            vec![]
        };
        for (name, text) in examples {
            let doc = coopdir::directory::listing::ListingDocument::parse(name, text)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            coopdir::directory::import(&node.state, &doc)
                .await
                .map_err(|e| anyhow::anyhow!("import {name}: {e}"))?;
        }
        let app = node.router();
        let accept = if json {
            "application/activity+json"
        } else {
            "text/html"
        };
        let mut bytes = 0;
        for _ in 0..=n {
            let req = axum::http::Request::get(&path)
                .header("host", "localhost:8080")
                .header("accept", accept)
                .body(Body::empty())?;
            let res = app.clone().oneshot(req).await?;
            anyhow::ensure!(res.status().is_success(), "{path}: {}", res.status());
            bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await?
                .len();
        }
        println!("{n} requests of {path} after one warm-up; {bytes} bytes each");
        Ok(())
    })
}
