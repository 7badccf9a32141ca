//! Imports at scale: one listing document of 1,000 and one of 10,000 offerings, read and
//! imported as `coopdir import` does (SQLite, one transaction), against the same run's
//! key-generation ceiling: what making one RSA key pair per new actor would cost on every
//! core, the floor of an import that made its keys inline.

use super::{Outcome, log, node};
use anyhow::{Result, anyhow};
use coopdir::{Node, directory, sources};
use std::time::Instant;

fn document(n: usize) -> serde_json::Value {
    let platforms = [
        "bigbluebutton",
        "jitsi",
        "galene",
        "nextcloud-talk",
        "opentalk",
    ];
    let offerings: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "handle": format!("bench_o{i}"),
                "name": format!("Bench offering {i}"),
                "summary": "Video conferencing rooms for associations, schools and local groups.",
                "platform": platforms[i % platforms.len()],
                "features": ["recording", "breakout-rooms", "chat"],
                "participants_per_room": 50 + (i % 100),
                "price": { "model": "membership", "amount": "9.00", "currency": "EUR", "period": "month" },
                "languages": ["en", "de", "fr"],
                "support_languages": ["en"],
                "jurisdiction": "DE",
                "data_location": ["DE"],
                "registration": "open",
                "homepage": format!("https://bench.example/o{i}"),
            })
        })
        .collect();
    serde_json::json!({
        "coop": { "handle": "bench_coop", "name": "Bench Co-op", "form": "worker" },
        "offerings": offerings,
    })
}

pub async fn run(out: &mut Vec<Outcome>) -> Result<()> {
    // The ceiling: key pairs on every core, as an inline import would make them.
    let sample = 32;
    let t = Instant::now();
    directory::keys::generate(sample).await?;
    let per_key_ms = t.elapsed().as_secs_f64() * 1000.0 / sample as f64;
    log(&format!(
        "import: {per_key_ms:.1} ms per key pair on all cores ({sample} keys)"
    ));
    for (n, goal_s) in [(1_000usize, 20.0), (10_000, 180.0)] {
        let dir = tempfile::tempdir()?;
        let port = node::free_port();
        let settings = node::settings(port, dir.path(), &node::sqlite_url(dir.path()))?;
        let node = Node::start(settings).await?;
        let file = dir.path().join("listing.json");
        std::fs::write(&file, serde_json::to_vec(&document(n))?)?;
        let t = Instant::now();
        let loaded = sources::load(&node.state, &file.display().to_string(), None)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let doc = loaded.imported.doc.ok_or_else(|| anyhow!("skipped"))?;
        let r = directory::import(&node.state, &doc)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if r.created.len() != n + 1 {
            return Err(anyhow!("{} created, expected {}", r.created.len(), n + 1));
        }
        log(&format!("import: {n} offerings in {:.1} s", ms / 1000.0));
        let ceiling_ms = per_key_ms * (n + 1) as f64;
        out.push(Outcome::latency(
            &format!("import.offerings_{n}_ms"),
            ms,
            ceiling_ms,
            goal_s * 1000.0,
            format!(
                "Read and import of one coopdir JSON document of {n} offerings into SQLite (one transaction), as `coopdir import` does; ceiling: {n}+1 RSA-2048 key pairs made on every core ({per_key_ms:.1} ms each, measured in this run), the floor of an import that makes its keys inline. The keys are made afterwards, before each actor is first served or by the running node's worker (one per core, about the ceiling's time). Goal: under {goal_s:.0} s."
            ),
        ));
    }
    Ok(())
}
