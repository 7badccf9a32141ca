//! The OpenAPI description that a node serves at `/api/openapi.json` (and shows at
//! `/api/docs`, its own page rendered on the server, without a script): it parses as an
//! OpenAPI 3.1 document, every `$ref` resolves, it describes every `/api/v1` route the
//! router serves (a route added without an annotation fails here), and its patterns
//! refuse what the server refuses, for the inputs an attack found accepted by the old
//! hand-written description: an unknown platform, an empty `actor` or `to`, control
//! characters in a name, a sunset in the year 0303.

use crate::common::*;
use coopdir::directory::accounts;
use regex::Regex;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn description(node: &TestNode) -> Value {
    let res = http()
        .get(node.url("/api/openapi.json"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("JSON")
}

/// The schema `$ref` points to, or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Whether `value` matches the `pattern` of `schema` (after resolving a `$ref`).
fn matches(doc: &Value, schema: &Value, value: &str) -> bool {
    let schema = resolve(doc, schema);
    let pattern = schema["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("no pattern in {schema}"));
    Regex::new(pattern)
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
        .is_match(value)
}

fn query_param<'a>(doc: &'a Value, path: &str, name: &str) -> &'a Value {
    doc["paths"][path]["get"]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .map(|p| &p["schema"])
        .unwrap_or_else(|| panic!("no parameter {name} of {path}"))
}

/// A property of a request body (of its first shape, when it has several).
fn body_property<'a>(doc: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    let body = &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    let body = resolve(doc, body);
    let body = if body["anyOf"].is_array() {
        &body["anyOf"][0]
    } else {
        body
    };
    &body["properties"][name]
}

#[tokio::test]
async fn the_served_description_is_openapi_3_1_and_every_reference_resolves() {
    let node = TestNode::start().await;
    let doc = description(&node).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], node.base);
    // It is an OpenAPI document, not just JSON.
    let parsed: utoipa::openapi::OpenApi =
        serde_json::from_value(doc.clone()).expect("an OpenAPI document");
    assert!(parsed.paths.paths.contains_key("/api/v1/offerings"));
    let text = doc.to_string();
    for r in text.split("\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').expect("end of the reference")];
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
    let scheme = &doc["components"]["securitySchemes"]["bearerAuth"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    // Reading needs no token; the staff endpoints name the bearer scheme and their 401.
    assert!(doc["paths"]["/api/v1/offerings"]["get"]["security"].is_null());
    assert_eq!(
        doc["paths"]["/api/v1/me"]["get"]["security"][0]["bearerAuth"],
        json!([])
    );
    assert!(doc["paths"]["/api/v1/me"]["get"]["responses"]["401"].is_object());
}

/// The `/api/v1` routes of the router, with their methods, read from the source of the
/// HTTP layer: every `.route("/api/v1…", …)` call.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let method = Regex::new(r"\b(get|post|put|patch|delete)\(").expect("regex");
    let mut routes = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("src/http") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        for call in text.split(".route(").skip(1) {
            let call = call.trim_start();
            let Some(rest) = call.strip_prefix("\"/api/v1") else {
                continue;
            };
            let route = format!("/api/v1{}", &rest[..rest.find('"').expect("end of path")]);
            // The methods of this call: up to the next `.route(` or `.layer(`.
            let end = call.find(".layer(").unwrap_or(call.len());
            for m in method.captures_iter(&call[..end]) {
                routes.insert((route.clone(), m[1].to_string()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_api_route_is_described() {
    let node = TestNode::start().await;
    let doc = description(&node).await;
    let described: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("path item")
                .keys()
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .map(move |m| (path.clone(), m.clone()))
        })
        .collect();
    let served = routes_in_source();
    assert!(served.len() >= 8, "routes found in src/http: {served:?}");
    let undescribed: Vec<_> = served.difference(&described).collect();
    assert!(
        undescribed.is_empty(),
        "routes without an OpenAPI description (annotate the handler with #[utoipa::path] \
         and list it in http::openapi::ApiDoc; docs/api.md): {undescribed:?}"
    );
    // And every described operation is served: its handler answers with a JSON object (a
    // 404 of the router itself has no JSON body; a 405 means the method is not routed).
    for (path, method) in &described {
        let url = node.url(&path.replace("{username}", "nobody"));
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let res = http()
            .request(method.clone(), url)
            .header(header::CONTENT_TYPE, "application/json")
            .body("{}")
            .send()
            .await
            .expect("request");
        let status = res.status();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert!(
            body.is_object(),
            "{method} {path}: not answered by its handler ({status})"
        );
    }
}

async fn admin_token(node: &TestNode) -> String {
    let account = accounts::create_admin(&node.state.db, "checker", "correct horse battery")
        .await
        .expect("admin account");
    accounts::create_token(&node.state.db, &account, "openapi")
        .await
        .expect("token")
}

async fn send(node: &TestNode, token: &str, method: Method, path: &str, body: Value) -> u16 {
    http()
        .request(method, node.url(path))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .json(&body)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

async fn get(node: &TestNode, path: &str) -> u16 {
    http()
        .get(node.url(path))
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_description_refuses_what_the_server_refuses() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    let token = admin_token(&node).await;
    let doc = description(&node).await;
    let offerings = "/api/v1/offerings";
    let alternatives = "/api/v1/offerings/alternatives";

    // An unknown platform, and more than 20 values of a filter.
    let platform = query_param(&doc, offerings, "platform");
    assert!(!matches(&doc, platform, "zoom"));
    assert_eq!(get(&node, "/api/v1/offerings?platform=zoom").await, 422);
    let many = vec!["jitsi"; 21].join(",");
    assert!(!matches(&doc, platform, &many));
    assert_eq!(
        get(&node, &format!("/api/v1/offerings?platform={many}")).await,
        422
    );
    // What the server reads, the description accepts: any case, `_` for `-`, lists,
    // empty values.
    for ok in [
        "BigBlueButton, jitsi",
        "nextcloud_talk",
        "",
        ",",
        " galene ",
    ] {
        assert!(matches(&doc, platform, ok), "{ok:?}");
        let q = ok.replace(' ', "%20");
        assert_eq!(
            get(&node, &format!("/api/v1/offerings?platform={q}")).await,
            200
        );
    }
    let language = query_param(&doc, offerings, "language");
    for (tag, ok) in [
        ("pt-BR", true),
        ("i-klingon", true),
        ("de-a", false),
        ("e", false),
    ] {
        assert_eq!(matches(&doc, language, tag), ok, "{tag}");
        let status = get(&node, &format!("/api/v1/offerings?language={tag}")).await;
        assert_eq!(status, if ok { 200 } else { 422 }, "{tag}");
    }

    // An empty actor.
    let actor = query_param(&doc, alternatives, "actor");
    assert!(!matches(&doc, actor, ""));
    assert!(!matches(&doc, actor, "  "));
    assert_eq!(
        get(&node, "/api/v1/offerings/alternatives?actor=").await,
        400
    );
    assert!(matches(&doc, actor, "meetcoop_bbb@example.org"));

    // Control characters in a name; a name is refused past 100 characters, after trimming.
    let put = "/api/v1/offerings/{username}";
    let name = body_property(&doc, put, "put", "name");
    let spec = |name: &str| json!({"name": name, "platform": "jitsi", "price": {"model": "free"}, "registration": "open"});
    let path = "/api/v1/offerings/meetcoop_bbb";
    for bad in ["Bad\u{7}name", "Bad\nname", "", "   ", &"n".repeat(101)] {
        assert!(!matches(&doc, name, bad), "{bad:?}");
        assert_eq!(
            send(&node, &token, Method::PUT, path, spec(bad)).await,
            422,
            "{bad:?}"
        );
    }
    for good in ["Good name", " Trimmed\n", &"n".repeat(100)] {
        assert!(matches(&doc, name, good), "{good:?}");
        assert_eq!(
            send(&node, &token, Method::PUT, path, spec(good)).await,
            200,
            "{good:?}"
        );
    }

    // A sunset in the year 0303, or not a day.
    let end = body_property(&doc, "/api/v1/offerings/{username}/sunset", "post", "end");
    let sunset = "/api/v1/offerings/meetcoop_bbb/sunset";
    for bad in ["0303-01-01", "2030-1-1", " 2030-01-01", "3000-01-01"] {
        assert!(!matches(&doc, end, bad), "{bad}");
        let status = send(&node, &token, Method::POST, sunset, json!({ "end": bad })).await;
        assert_eq!(status, 422, "{bad}");
    }
    // A real date sooner than the promised notice is well-formed: 409, not 422.
    assert!(matches(&doc, end, "2001-01-01"));
    let status = send(
        &node,
        &token,
        Method::POST,
        sunset,
        json!({"end": "2001-01-01"}),
    )
    .await;
    assert_eq!(status, 409);

    // An empty successor.
    let to = body_property(&doc, "/api/v1/offerings/{username}/transfer", "post", "to");
    let transfer = "/api/v1/offerings/meetcoop_bbb/transfer";
    for bad in ["", " ", "two words", "a@b@c"] {
        assert!(!matches(&doc, to, bad), "{bad:?}");
        let body = json!({ "to": bad, "confirm": true });
        assert_eq!(
            send(&node, &token, Method::POST, transfer, body).await,
            422,
            "{bad:?}"
        );
    }
    assert!(matches(&doc, to, "nobody"));
    let body = json!({ "to": "nobody", "confirm": true });
    assert_eq!(send(&node, &token, Method::POST, transfer, body).await, 404);
}

/// The docs page is the node's own, rendered on the server: no script, and nothing that
/// the browser would load from elsewhere (the node's Content-Security-Policy allows only
/// itself, and every resource the page names is on this node).
#[tokio::test]
async fn the_docs_page_loads_nothing_from_elsewhere() {
    let node = TestNode::start().await;
    let res = http()
        .get(node.url("/api/docs"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("CSP")
        .to_string();
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/html"))
    );
    let page = res.text().await.expect("page");
    // The browser may load only from this node: no other origin, scheme, wildcard, nor
    // inline script or style.
    for directive in csp.split(';') {
        for source in directive.split_whitespace().skip(1) {
            assert!(
                ["'self'", "'none'", "data:"].contains(&source),
                "{directive}"
            );
        }
    }
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("style-src 'self'"), "{csp}");
    assert!(!csp.contains("script-src"), "{csp}");
    assert!(!page.contains("<script"), "the page has no script");
    assert!(!page.contains(" style="), "no inline style");
    // Every resource the page names is on this node (or an anchor in it), and the
    // stylesheet is served.
    let attrs = Regex::new(r#"(?:src|href)="([^"]*)""#).expect("regex");
    let linked: Vec<&str> = attrs
        .captures_iter(&page)
        .map(|c| c.get(1).map_or("", |m| m.as_str()))
        .collect();
    assert!(linked.contains(&"/static/style.css"), "{linked:?}");
    for url in &linked {
        assert!(
            (url.starts_with('/') && !url.starts_with("//")) || url.starts_with('#'),
            "{url}"
        );
    }
    let style = http()
        .get(node.url("/static/style.css"))
        .send()
        .await
        .expect("request");
    assert_eq!(style.status(), StatusCode::OK);
    // The vendored bundle of another project is gone.
    let gone = http()
        .get(node.url("/static/scalar/standalone.js"))
        .send()
        .await
        .expect("request");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

/// Every operation of the served description is on the docs page, with its method, path,
/// summary, parameters, request body fields and statuses.
#[tokio::test]
async fn every_operation_of_the_description_is_on_the_docs_page() {
    let node = TestNode::start().await;
    let doc = description(&node).await;
    let page = http()
        .get(node.url("/api/docs"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("page");
    // The page escapes text as HTML; compare with the same escaping.
    let html = |s: &str| {
        s.replace('&', "&#38;")
            .replace('<', "&#60;")
            .replace('>', "&#62;")
            .replace('"', "&#34;")
            .replace('\'', "&#39;")
    };
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            operations += 1;
            let id = op["operationId"].as_str().expect("operation id");
            let at = page
                .find(&format!("<section class=\"panel\" id=\"{id}\""))
                .unwrap_or_else(|| panic!("{method} {path} ({id}) is not on the page"));
            let section = &page[at..];
            let section = &section[..section.find("</section>").expect("end of section")];
            let heading = format!("<code>{} {}</code>", method.to_uppercase(), html(path));
            assert!(section.contains(&heading), "{heading}");
            if let Some(summary) = op["summary"].as_str() {
                assert!(section.contains(&html(summary)), "{id}: {summary}");
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().expect("name");
                assert!(
                    section.contains(&format!("<code>{name}</code>")),
                    "{id}: {name}"
                );
            }
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if !body.is_null() {
                let body = resolve(&doc, body);
                let shapes: Vec<&Value> =
                    match body["anyOf"].as_array().or(body["oneOf"].as_array()) {
                        Some(shapes) => shapes.iter().filter(|s| s["type"] != "null").collect(),
                        None => vec![body],
                    };
                for shape in shapes {
                    for name in resolve(&doc, shape)["properties"]
                        .as_object()
                        .expect("properties")
                        .keys()
                    {
                        assert!(
                            section.contains(&format!("<code>{name}</code>")),
                            "{id}: field {name}"
                        );
                    }
                }
            }
            for status in op["responses"].as_object().expect("responses").keys() {
                assert!(section.contains(&format!("<dt>{status}")), "{id}: {status}");
            }
        }
    }
    assert!(operations >= 11, "{operations}");
}

/// Whether `value` fits `schema` as far as the shapes go: `$ref`, `oneOf`/`anyOf`, types,
/// `enum`, `pattern`, `maxLength`, `maxItems`, required and described properties (no others where `additionalProperties` is
/// false, none undescribed in an answer), array items. Returns why not.
fn fits(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let fitting = options
                .iter()
                .filter(|s| fits(doc, s, value, at).is_ok())
                .count();
            let ok = if key == "oneOf" {
                fitting == 1
            } else {
                fitting >= 1
            };
            return if ok {
                Ok(())
            } else {
                Err(format!("{at}: {fitting} of the {key} fit {value}"))
            };
        }
    }
    let type_of = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() && !types.contains(&type_of(value)) {
        return Err(format!("{at}: {value} is not of type {types:?}"));
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {values:?}"));
    }
    if let (Value::String(text), Some(pattern)) = (value, schema["pattern"].as_str())
        && !Regex::new(pattern).expect("pattern").is_match(text)
    {
        return Err(format!("{at}: {text:?} does not match {pattern}"));
    }
    if let (Value::String(text), Some(max)) = (value, schema["maxLength"].as_u64())
        && text.chars().count() as u64 > max
    {
        return Err(format!("{at}: longer than {max}"));
    }
    if let (Value::Array(items), Some(max)) = (value, schema["maxItems"].as_u64())
        && items.len() as u64 > max
    {
        return Err(format!("{at}: more than {max} items"));
    }
    if let Value::Object(map) = value {
        for r in schema["required"].as_array().into_iter().flatten() {
            let r = r.as_str().unwrap_or_default();
            if !map.contains_key(r) {
                return Err(format!("{at}: required {r} is missing from {value}"));
            }
        }
        for (k, v) in map {
            match schema["properties"].get(k) {
                Some(p) => fits(doc, p, v, &format!("{at}.{k}"))?,
                None if schema["properties"].is_object() => {
                    return Err(format!("{at}: {k} is not described"));
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            fits(doc, item, v, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The answer of `method path` described for `status`, checked against `body`.
fn answer_fits(doc: &Value, path: &str, method: &str, status: u16, body: &Value) {
    let schema = &doc["paths"][path][method]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"];
    assert!(schema.is_object(), "{method} {path}: no {status} described");
    if let Err(e) = fits(doc, schema, body, "answer") {
        panic!("{method} {path} {status}: {e}");
    }
}

/// The request body schema of `method path`, checked against `body`.
fn request_fits(doc: &Value, path: &str, method: &str, body: &Value) -> bool {
    let schema =
        &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    fits(doc, schema, body, "body").is_ok()
}

async fn call(node: &TestNode, token: &str, path: &str, body: Value) -> (u16, Value) {
    let res = http()
        .post(node.url(path))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn staff_token(node: &TestNode, username: &str, coop: &str) -> String {
    let coop = node.local(coop).await;
    let account = accounts::create_staff(&node.state.db, username, "correct horse battery", &coop)
        .await
        .expect("staff account");
    accounts::create_token(&node.state.db, &account, "openapi")
        .await
        .expect("token")
}

/// The lifecycle endpoints answer what their description says: the sunset and transfer
/// previews, the 202 proposal, the list of proposals, accept and decline, each against the
/// schema of its status; and the statuses of refusals follow one rule (docs/api.md): 422
/// only for what the description refuses, 404 for something unknown, 409 for what the
/// state of a listing, a proposal or the day does not allow, 403 for another co-op's token.
#[tokio::test]
async fn the_lifecycle_answers_are_what_the_description_says() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    let doc = description(&node).await;
    let token_a = staff_token(&node, "alice", "meetcoop").await;
    let token_b = staff_token(&node, "bruno", "rheinmeet").await;
    let sunset_path = "/api/v1/offerings/{username}/sunset";
    let transfer_path = "/api/v1/offerings/{username}/transfer";
    let sunset = "/api/v1/offerings/meetcoop_bbb/sunset";
    let transfer = "/api/v1/offerings/meetcoop_bbb/transfer";
    let today = chrono::Utc::now().date_naive();
    let later = (today + chrono::Days::new(400)).to_string();

    // A sunset preview.
    let body = json!({ "end": later, "preview": true, "note": "Export your recordings." });
    assert!(request_fits(&doc, sunset_path, "post", &body));
    let (status, answer) = call(&node, &token_a, sunset, body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["preview"], true);
    answer_fits(&doc, sunset_path, "post", 200, &answer);
    // Too soon for the promised notice, or in the past: well-formed, so the description
    // accepts it, and the node answers 409 with the earliest date.
    for end in [today + chrono::Days::new(5), today - chrono::Days::new(1)] {
        let body = json!({ "end": end.to_string() });
        assert!(request_fits(&doc, sunset_path, "post", &body));
        let (status, answer) = call(&node, &token_a, sunset, body).await;
        assert_eq!(status, 409, "{end}: {answer}");
        answer_fits(&doc, sunset_path, "post", 409, &answer);
    }
    // Cancelling a sunset that is not running: a conflict too.
    let (status, answer) = call(&node, &token_a, sunset, json!({ "cancel": true })).await;
    assert_eq!(status, 409, "{answer}");
    // An unknown pinned alternative: 404.
    let body = json!({ "end": later, "alternatives": ["nobody_here"] });
    assert!(request_fits(&doc, sunset_path, "post", &body));
    assert_eq!(call(&node, &token_a, sunset, body).await.0, 404);
    // What the description refuses, the node refuses with 422, whatever the state: no end
    // and no cancel; a note past 2000 characters; more than 10 alternatives; a malformed
    // end even when cancelling.
    for bad in [
        json!({}),
        json!({ "end": later, "note": "n".repeat(2001) }),
        json!({ "end": later, "alternatives": vec!["x"; 11] }),
        json!({ "cancel": true, "end": "soon" }),
    ] {
        assert!(!request_fits(&doc, sunset_path, "post", &bad), "{bad}");
        let (status, answer) = call(&node, &token_a, sunset, bad.clone()).await;
        assert_eq!(status, 422, "{bad}: {answer}");
    }
    // A note of 2000 characters with whitespace around is accepted by both.
    let padded = format!("  {}  ", "n".repeat(2000));
    let body = json!({ "end": later, "preview": true, "note": padded });
    assert!(request_fits(&doc, sunset_path, "post", &body));
    assert_eq!(call(&node, &token_a, sunset, body).await.0, 200);

    // A transfer preview, then the proposal (202).
    let body = json!({ "to": "rheinmeet_bbb", "preview": true });
    assert!(request_fits(&doc, transfer_path, "post", &body));
    let (status, answer) = call(&node, &token_a, transfer, body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["needs_consent"], true);
    answer_fits(&doc, transfer_path, "post", 200, &answer);
    // Neither confirmed nor previewed: the description refuses it, as the node does.
    let bad = json!({ "to": "rheinmeet_bbb" });
    assert!(!request_fits(&doc, transfer_path, "post", &bad));
    assert_eq!(call(&node, &token_a, transfer, bad).await.0, 422);
    let body = json!({ "to": "rheinmeet_bbb", "confirm": true, "note": "Thank you." });
    assert!(request_fits(&doc, transfer_path, "post", &body));
    let (status, answer) = call(&node, &token_a, transfer, body.clone()).await;
    assert_eq!(status, 202, "{answer}");
    answer_fits(&doc, transfer_path, "post", 202, &answer);
    let id = answer["proposal"]["id"].as_i64().expect("proposal id");
    assert_eq!(answer["proposal"]["state"], "pending");
    // A second proposal while one is pending: 409.
    let (status, answer) = call(&node, &token_a, transfer, body).await;
    assert_eq!(status, 409, "{answer}");

    // The list, as each co-op's token sees it.
    for token in [&token_a, &token_b] {
        let res = http()
            .get(node.url("/api/v1/transfers"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK);
        let list: Value = res.json().await.expect("JSON");
        answer_fits(&doc, "/api/v1/transfers", "get", 200, &list);
        assert_eq!(list["items"][0]["id"], id);
    }

    // Answers: the proposing co-op's token 403; an unknown number 404; B declines with a
    // reason (200); answering again 409.
    let accept = "/api/v1/transfers/{id}/accept";
    let decline = "/api/v1/transfers/{id}/decline";
    let (status, answer) = call(
        &node,
        &token_a,
        &format!("/api/v1/transfers/{id}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "{answer}");
    answer_fits(&doc, accept, "post", 403, &answer);
    let (status, answer) = call(&node, &token_b, "/api/v1/transfers/9999/accept", json!({})).await;
    assert_eq!(status, 404, "{answer}");
    answer_fits(&doc, accept, "post", 404, &answer);
    let long = json!({ "reason": "r".repeat(2001) });
    assert!(!request_fits(&doc, decline, "post", &long));
    let (status, _) = call(
        &node,
        &token_b,
        &format!("/api/v1/transfers/{id}/decline"),
        long,
    )
    .await;
    assert_eq!(status, 422);
    let (status, answer) = call(
        &node,
        &token_b,
        &format!("/api/v1/transfers/{id}/decline"),
        json!({ "reason": "We are full." }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    answer_fits(&doc, decline, "post", 200, &answer);
    assert_eq!(answer["proposal"]["state"], "declined");
    assert_eq!(answer["proposal"]["reason"], "We are full.");
    let (status, answer) = call(
        &node,
        &token_b,
        &format!("/api/v1/transfers/{id}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    answer_fits(&doc, accept, "post", 409, &answer);
    // A proposal number that is not a number: 400, as JSON.
    let (status, answer) = call(&node, &token_b, "/api/v1/transfers/abc/accept", json!({})).await;
    assert_eq!(status, 400);
    answer_fits(&doc, accept, "post", 400, &answer);
}
