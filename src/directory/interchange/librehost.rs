//! LibreHosters `librehost.json`: the 2018 draft (possibly wrapped in `data`) and the
//! v0.0.1 schema.org-flavoured shape. Services are strings or `{name, description, url,
//! software, coopdir}`; co-op extras are in `meta.coopdir`.

use super::*;

fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => s.split([',', ';']).map(str::trim).collect(),
        _ => vec![],
    }
}

/// Read a librehost.json document.
pub fn map(name: &str, text: &str) -> Result<Imported, DocumentError> {
    let root: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        DocumentError(format!(
            "{name}: line {}, column {}: not JSON ({e}); a librehost.json is a JSON object",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(mut m) = root else {
        return Err(DocumentError(format!(
            "{name}: a librehost.json is a JSON object with `name`, `homeUrl` and `services`"
        )));
    };
    // The 2018 draft shows the keys inside `data`.
    if let Some(Value::Object(inner)) = m.get("data")
        && !m.contains_key("name")
    {
        m = inner.clone();
    }
    let mut w = Warnings::default();
    let s = |k: &str| non_empty(m.get(k).and_then(Value::as_str));
    let org_name = s("name").ok_or_else(|| {
        refuse(
            name,
            "name",
            "missing or not text; add \"name\": \"…\" with the hoster's name",
        )
    })?;
    let services = match m.get("services") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(other) => {
            return Err(refuse(
                name,
                "services",
                format!(
                    "is {}, not a list; write a JSON array of service names or objects, e.g. \
                     \"services\": [\"Jitsi Meet\", {{\"name\": \"Salles\", \"software\": \"Galène\"}}]",
                    kind_of(other)
                ),
            ));
        }
    };
    let meta = m.get("meta").and_then(Value::as_object);
    let empty = Map::new();
    let x = meta
        .and_then(|m| m.get("coopdir"))
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    if let Some(meta) = meta {
        let ignored: Vec<&str> = meta
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "coopdir")
            .collect();
        if !ignored.is_empty() {
            w.add(
                "meta",
                ignored
                    .iter()
                    .map(|k| format!("meta.{k}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                "ignored",
            );
        }
    }
    if m.get("admins").is_some_and(|a| !a.is_null()) {
        w.add("admins", "", "dropped: coopdir stores no personal data");
    }

    let coop_name = name_of(&mut w, "name", org_name)
        .ok_or_else(|| refuse(name, "name", "must be 1 to 100 characters"))?;
    let handle: Username = match ext(&mut w, "meta.coopdir.", x, "handle") {
        Some(h) => h,
        None => username(name, &slug(org_name, 30, "coop"))?,
    };
    let form = ext::<CoopForm>(&mut w, "meta.coopdir.", x, "form")
        .or_else(|| s("organizationType").and_then(form_of))
        .unwrap_or_else(|| {
            w.add(
                "organizationType",
                s("organizationType").unwrap_or(""),
                "no co-op form found: listed as other",
            );
            CoopForm::Other
        });
    let country: Option<Country> = ext(&mut w, "meta.coopdir.", x, "country");
    if country.is_none() {
        w.add(
            "meta.coopdir.country",
            "",
            "librehost.json has no country: none listed",
        );
    }
    let funding = ext(&mut w, "meta.coopdir.", x, "funding")
        .or_else(|| web_url(&mut w, "donationsUrl", s("donationsUrl")));
    let summary = s("description").or(s("tagLine"));
    let coop = CoopSpec {
        handle,
        name: coop_name,
        summary: summary_of(&mut w, "description", summary),
        form,
        country,
        website: web_url(&mut w, "homeUrl", s("homeUrl")),
        funding,
        source_url: None,
    };

    let langs = strings(m.get("languages"));
    let comm = strings(m.get("communicationLanguages"));
    let support_src = if langs.is_empty() { &comm } else { &langs };
    let mut offerings = Vec::new();
    for (i, entry) in services.iter().enumerate() {
        let field = format!("services[{i}]");
        let (sname, description, url, software, sx) = match entry {
            Value::String(n) => (n.as_str(), None, None, None, None),
            Value::Object(o) => (
                o.get("name").and_then(Value::as_str).unwrap_or(""),
                o.get("description").and_then(Value::as_str),
                o.get("url").and_then(Value::as_str),
                o.get("software").and_then(Value::as_str),
                o.get("coopdir").and_then(Value::as_object),
            ),
            other => {
                w.add(
                    &field,
                    kind_of(other),
                    "skipped: a service is a name or an object",
                );
                continue;
            }
        };
        let platform = sx
            .and_then(|x| x.get("platform"))
            .and_then(Value::as_str)
            .and_then(|p| p.parse::<Platform>().ok())
            .or_else(|| software.and_then(platform_of))
            .or_else(|| platform_of(sname))
            .or_else(|| url.and_then(platform_of));
        let Some(platform) = platform else {
            w.add(
                field,
                format!("{sname} ({})", software.unwrap_or("")),
                "skipped: not video conferencing",
            );
            continue;
        };
        let display = if sname.trim().is_empty() {
            software.unwrap_or(platform.label())
        } else {
            sname
        };
        let Some(oname) = name_of(&mut w, &format!("{field}.name"), display) else {
            continue;
        };
        let base = Base {
            handle: username(name, &offering_handle(coop.handle.as_str(), platform))?,
            name: oname,
            summary: summary_of(&mut w, &format!("{field}.description"), description),
            platform,
            platform_version: None,
            price: None,
            registration: None,
            languages: languages(&mut w, "languages", langs.iter().copied()),
            support_languages: languages(
                &mut w,
                "communicationLanguages",
                support_src.iter().copied(),
            ),
            jurisdiction: None,
            data_location: BoundedList::default(),
            homepage: web_url(&mut w, &format!("{field}.url"), url),
            free_software: true,
        };
        offerings.push(offering(&mut w, &format!("{field}.coopdir."), base, sx));
    }
    finish(name, Format::Librehost, coop, offerings, w)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draft_shape_maps_with_not_stated_price_and_registration() {
        let doc = r#"{"data": {"name": "Écran", "homeUrl": "https://e.example/", "donationsUrl": "https://e.example/don",
            "languages": ["fr", "EN"], "admins": [{"name": "A"}],
            "services": ["Jitsi Meet", {"name": "Pad", "software": "Etherpad"},
                         {"name": "Salles", "software": "Galène", "url": "https://s.example/"}],
            "meta": {"membreChatons": true}}}"#;
        let r = map("l.json", doc).unwrap();
        let d = r.doc.unwrap();
        assert_eq!(d.coop.handle.as_str(), "ecran");
        assert_eq!(d.coop.funding.unwrap().0.as_str(), "https://e.example/don");
        assert_eq!(d.offerings.len(), 2);
        let o = &d.offerings[1];
        assert_eq!(o.platform, Platform::Galene);
        assert_eq!(o.price.model, PriceModel::NotStated);
        assert_eq!(o.registration, Registration::NotStated);
        let langs: Vec<&str> = o.languages.0.iter().map(|l| l.as_str()).collect();
        assert_eq!(langs, ["fr", "en"]);
        assert_eq!(o.support_languages, o.languages);
        let fields: Vec<&str> = r.warnings.iter().map(|w| w.field.as_str()).collect();
        for f in [
            "admins",
            "meta",
            "services[1]",
            "services[0].coopdir.price",
            "meta.coopdir.country",
        ] {
            assert!(fields.contains(&f), "{f} not in {fields:?}");
        }
    }

    #[test]
    fn a_service_list_that_is_not_a_list_is_refused() {
        let e = map("x.json", r#"{"name": "K", "services": "Jitsi, BBB"}"#)
            .unwrap_err()
            .0;
        assert!(
            e.contains("x.json") && e.contains("`services`") && e.contains("a string"),
            "{e}"
        );
        let e = map("x.json", r#"{"homeUrl": "https://k.example/"}"#)
            .unwrap_err()
            .0;
        assert!(e.contains("`name`"), "{e}");
        let e = map("x.json", "{").unwrap_err().0;
        assert!(e.contains("line 1"), "{e}");
    }
}
