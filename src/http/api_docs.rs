//! `GET /api/docs`: the node's own page for people over its OpenAPI description, rendered
//! here from the generated `utoipa::openapi::OpenApi` value (`super::openapi::ApiDoc`) with
//! the template `api_docs.html`: each operation with its method, path, summary,
//! description, parameters, request body fields with their constraints, and responses.
//! No script, nothing from elsewhere: the stylesheet of every page, and the node's
//! Content-Security-Policy.
//!
//! The operations, parameters and responses are read from the typed value; schemas are
//! read from their JSON form, where `$ref`, `anyOf` and the constraints are plain keys.

use askama::Template;
use askama_web::WebTemplate;
use serde_json::Value;
use utoipa::{
    OpenApi,
    openapi::{
        self, HttpMethod, RefOr,
        path::{Operation, ParameterIn},
    },
};

/// The Content-Security-Policy of the page: its stylesheet from this node, and nothing
/// else (no script, no image, no frame, no form).
pub const CSP: &str = "default-src 'none'; style-src 'self'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'none'";

/// The docs page.
#[derive(Template, WebTemplate)]
#[template(path = "api_docs.html")]
pub struct ApiDocsPage {
    pub title: String,
    pub version: String,
    pub description: Vec<String>,
    pub server: String,
    pub operations: Vec<OperationView>,
}

pub struct OperationView {
    /// The operation id, also the anchor of its section.
    pub id: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: Vec<String>,
    pub tag: String,
    /// Whether it takes an API token.
    pub token: bool,
    pub parameters: Vec<FieldView>,
    pub body: Option<BodyView>,
    pub responses: Vec<ResponseView>,
}

/// A parameter or a field of a body.
pub struct FieldView {
    pub name: String,
    /// Where a parameter goes (`path`, `query`); empty for a body field.
    pub location: String,
    pub required: bool,
    pub kind: String,
    pub description: String,
    /// Enumerations, lengths, ranges, formats, defaults.
    pub constraints: Vec<String>,
    pub pattern: Option<String>,
}

pub struct BodyView {
    pub required: bool,
    pub description: String,
    /// One shape, or each of the shapes (`anyOf`/`oneOf`) the body may take.
    pub shapes: Vec<ShapeView>,
}

pub struct ShapeView {
    pub title: String,
    pub fields: Vec<FieldView>,
    /// Whether fields other than these are refused.
    pub closed: bool,
}

pub struct ResponseView {
    pub status: String,
    pub description: String,
    pub body: String,
}

/// Paragraphs of a description (blank lines separate them).
fn paragraphs(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The page, from the description with `base` as its server.
pub fn page(base: &str) -> ApiDocsPage {
    let api = super::openapi::ApiDoc::openapi();
    let components = serde_json::to_value(&api.components).unwrap_or(Value::Null);
    let schemas = &components["schemas"];
    let mut operations = Vec::new();
    for (path, item) in &api.paths.paths {
        let methods = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Delete, &item.delete),
            (HttpMethod::Patch, &item.patch),
        ];
        for (method, op) in methods {
            if let Some(op) = op {
                operations.push(operation(path, method, op, schemas));
            }
        }
    }
    ApiDocsPage {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: paragraphs(api.info.description.as_deref()),
        server: base.trim_end_matches('/').to_string(),
        operations,
    }
}

fn method_name(m: &HttpMethod) -> &'static str {
    match m {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Head => "HEAD",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Trace => "TRACE",
    }
}

fn operation(path: &str, method: HttpMethod, op: &Operation, schemas: &Value) -> OperationView {
    let method = method_name(&method);
    let parameters = op
        .parameters
        .iter()
        .flatten()
        .filter_map(inline)
        .map(|p| {
            let schema = p
                .schema
                .as_ref()
                .and_then(|s| serde_json::to_value(s).ok())
                .unwrap_or(Value::Null);
            let mut f = field(
                &p.name,
                matches!(p.required, openapi::Required::True),
                &schema,
                schemas,
            );
            f.location = match p.parameter_in {
                ParameterIn::Path => "path",
                ParameterIn::Query | ParameterIn::QueryString => "query",
                ParameterIn::Header => "header",
                ParameterIn::Cookie => "cookie",
            }
            .to_string();
            if let Some(d) = &p.description {
                f.description = d.clone();
            }
            f
        })
        .collect();
    let body = op.request_body.as_ref().and_then(inline).map(|b| {
        let schema = b
            .content
            .get("application/json")
            .and_then(inline)
            .and_then(|c| c.schema.as_ref())
            .and_then(|s| serde_json::to_value(s).ok())
            .unwrap_or(Value::Null);
        body_view(
            matches!(b.required, Some(openapi::Required::True)),
            b.description.clone().unwrap_or_default(),
            &schema,
            schemas,
        )
    });
    let responses = op
        .responses
        .responses
        .iter()
        .map(|(status, r)| match r {
            RefOr::T(r) => {
                let schema = r
                    .content
                    .get("application/json")
                    .and_then(inline)
                    .and_then(|c| c.schema.as_ref())
                    .and_then(|s| serde_json::to_value(s).ok())
                    .unwrap_or(Value::Null);
                ResponseView {
                    status: status.clone(),
                    description: r.description.clone(),
                    body: kind(&schema, schemas),
                }
            }
            RefOr::Ref(r) => ResponseView {
                status: status.clone(),
                description: r.ref_location.clone(),
                body: String::new(),
            },
        })
        .collect();
    OperationView {
        id: op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {path}")),
        method: method.to_string(),
        path: path.to_string(),
        summary: op.summary.clone().unwrap_or_default(),
        description: paragraphs(op.description.as_deref()),
        tag: op.tags.iter().flatten().next().cloned().unwrap_or_default(),
        token: op.security.as_ref().is_some_and(|s| !s.is_empty()),
        parameters,
        body,
        responses,
    }
}

/// A part written in place (the description has no references but to schemas).
fn inline<T>(r: &RefOr<T>) -> Option<&T> {
    match r {
        RefOr::T(t) => Some(t),
        RefOr::Ref(_) => None,
    }
}

/// The schema a `$ref` names (or the schema itself), and the name.
fn resolve<'a>(schema: &'a Value, schemas: &'a Value) -> (&'a Value, Option<&'a str>) {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            (&schemas[name], Some(name))
        }
        None => (schema, None),
    }
}

/// A short name of what a schema is: its component's name, its type, or its options.
fn kind(schema: &Value, schemas: &Value) -> String {
    if schema.is_null() {
        return String::new();
    }
    let (resolved, name) = resolve(schema, schemas);
    if let Some(name) = name {
        return name.to_string();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = resolved[key].as_array() {
            let names: Vec<String> = options.iter().map(|o| kind(o, schemas)).collect();
            return if key == "allOf" {
                names.join(" and ")
            } else {
                names.join(" or ")
            };
        }
    }
    let types: Vec<&str> = match &resolved["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let types: Vec<String> = types
        .into_iter()
        .map(|t| {
            if t == "array" {
                format!("array of {}", kind(&resolved["items"], schemas))
            } else {
                t.to_string()
            }
        })
        .collect();
    if types.is_empty() {
        "any".into()
    } else {
        types.join(" or ")
    }
}

/// The constraints a schema states, in words.
fn constraints(
    schema: &Value,
    schemas: &Value,
    out: &mut Vec<String>,
    pattern: &mut Option<String>,
) {
    let (s, _) = resolve(schema, schemas);
    // A property that is a `$ref` with a description of its own comes as `allOf: [ref]`;
    // a nullable one as `anyOf: [ref, null]`: their constraints are those of the ref.
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(options) = s[key].as_array() {
            let refs: Vec<&Value> = options.iter().filter(|o| o["type"] != "null").collect();
            if refs.len() == 1 {
                constraints(refs[0], schemas, out, pattern);
            }
        }
    }
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(values) = s["enum"].as_array() {
        let values: Vec<String> = values.iter().map(text).collect();
        out.push(format!("one of: {}", values.join(", ")));
    }
    for (key, words) in [
        ("format", "format"),
        ("minLength", "at least (characters)"),
        ("maxLength", "at most (characters)"),
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("minItems", "at least (items)"),
        ("maxItems", "at most (items)"),
        ("default", "default"),
    ] {
        if let Some(v) = s.get(key).filter(|v| !v.is_null()) {
            out.push(format!("{words}: {}", text(v)));
        }
    }
    if s["readOnly"] == true {
        out.push("read-only".into());
    }
    if let Some(p) = s["pattern"].as_str() {
        *pattern = Some(p.to_string());
    }
    if s["type"] == "array" && !s["items"].is_null() {
        let mut inner = Vec::new();
        let mut inner_pattern = None;
        constraints(&s["items"], schemas, &mut inner, &mut inner_pattern);
        for c in inner {
            out.push(format!("each: {c}"));
        }
        if pattern.is_none() {
            *pattern = inner_pattern;
        }
    }
}

/// The description of a schema: its own, or its component's.
fn description_of(schema: &Value, schemas: &Value) -> String {
    if let Some(d) = schema["description"].as_str() {
        return d.to_string();
    }
    let (s, _) = resolve(schema, schemas);
    if let Some(d) = s["description"].as_str() {
        return d.to_string();
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(first) = s[key].as_array().and_then(|o| o.first()) {
            let d = description_of(first, schemas);
            if !d.is_empty() {
                return d;
            }
        }
    }
    String::new()
}

fn field(name: &str, required: bool, schema: &Value, schemas: &Value) -> FieldView {
    let mut list = Vec::new();
    let mut pattern = None;
    constraints(schema, schemas, &mut list, &mut pattern);
    FieldView {
        name: name.to_string(),
        location: String::new(),
        required,
        kind: kind(schema, schemas),
        description: description_of(schema, schemas),
        constraints: list,
        pattern,
    }
}

fn shape(title: String, schema: &Value, schemas: &Value) -> ShapeView {
    let (s, _) = resolve(schema, schemas);
    let required: Vec<&str> = s["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let fields = s["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, p)| field(name, required.contains(&name.as_str()), p, schemas))
        .collect();
    ShapeView {
        title,
        fields,
        closed: s["additionalProperties"] == false,
    }
}

fn body_view(required: bool, description: String, schema: &Value, schemas: &Value) -> BodyView {
    let (s, name) = resolve(schema, schemas);
    let description = if description.is_empty() {
        description_of(schema, schemas)
    } else {
        description
    };
    // The shapes the body may take; `null` (an optional body sent as `null`) is no shape.
    let options: Vec<&Value> = s["anyOf"]
        .as_array()
        .or(s["oneOf"].as_array())
        .map(|o| o.iter().filter(|o| o["type"] != "null").collect())
        .unwrap_or_else(|| vec![schema]);
    let shapes = match options.as_slice() {
        [one] => {
            let (_, inner) = resolve(one, schemas);
            vec![shape(
                inner.or(name).unwrap_or("body").to_string(),
                one,
                schemas,
            )]
        }
        many => many
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let title = format!("{}, shape {}", name.unwrap_or("body"), i + 1);
                shape(title, o, schemas)
            })
            .collect(),
    };
    BodyView {
        required,
        description,
        shapes,
    }
}

#[cfg(test)]
mod tests {
    use askama::Template;

    /// Every operation of the description is on the page, and the page has no script.
    #[test]
    fn the_page_shows_every_operation_without_a_script() {
        let page = super::page("http://localhost:8080");
        let html = page.render().unwrap_or_default();
        assert!(!html.contains("<script"), "{html}");
        assert!(page.operations.len() >= 11);
        for op in &page.operations {
            assert!(html.contains(&format!("id=\"{}\"", op.id)), "{}", op.id);
        }
    }
}
