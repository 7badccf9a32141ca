//! Murmurations organization profiles (`organizations_schema-v1.0.0`, checked with the
//! rules of `default-v2.0.0`). Offerings come from the `coopdir` extension, else from
//! `urls[]` entries and tags that name a platform.

use super::*;

/// The schema a profile must link.
pub const ORGANIZATIONS_SCHEMA: &str = "organizations_schema-v1.0.0";

fn schema_name_ok(s: &str) -> bool {
    // ^[a-z][a-z0-9_]{7,97}-v\d+\.\d+\.\d+$
    let Some((head, version)) = s.rsplit_once("-v") else {
        return false;
    };
    let mut cs = head.chars();
    let first_ok = cs.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest: Vec<char> = cs.collect();
    let parts: Vec<&str> = version.split('.').collect();
    first_ok
        && (7..=97).contains(&rest.len())
        && rest
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
        && parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn key_ok(k: &str) -> bool {
    // ^[a-z][a-z0-9_]{0,97}[a-z0-9]$
    let cs: Vec<char> = k.chars().collect();
    cs.len() >= 2
        && cs.len() <= 99
        && cs[0].is_ascii_lowercase()
        && cs[cs.len() - 1].is_ascii_lowercase() | cs[cs.len() - 1].is_ascii_digit()
        && cs
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
}

/// The checks of the two schemas that matter to what coopdir reads; each error names the
/// key and says what the schema wants.
fn validate(name: &str, m: &Map<String, Value>) -> Result<(), DocumentError> {
    for k in m.keys() {
        if !key_ok(k) {
            return Err(refuse(
                name,
                k,
                "top-level keys of a Murmurations profile are lower-case letters, digits and _ \
                 (default-v2.0.0)",
            ));
        }
    }
    let schemas = match m.get("linked_schemas") {
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(refuse(
                name,
                "linked_schemas",
                format!("must be a list of schema names such as [\"{ORGANIZATIONS_SCHEMA}\"]"),
            ));
        }
        None => {
            return Err(refuse(
                name,
                "linked_schemas",
                format!("missing; add \"linked_schemas\": [\"{ORGANIZATIONS_SCHEMA}\"]"),
            ));
        }
    };
    if schemas.is_empty() {
        return Err(refuse(
            name,
            "linked_schemas",
            format!("is empty; it needs at least one schema: [\"{ORGANIZATIONS_SCHEMA}\"]"),
        ));
    }
    let mut seen = Vec::new();
    for (i, v) in schemas.iter().enumerate() {
        match v.as_str() {
            Some(s) if schema_name_ok(s) && !seen.contains(&s) => seen.push(s),
            _ => {
                return Err(refuse(
                    name,
                    &format!("linked_schemas[{i}]"),
                    "not a unique schema name such as organizations_schema-v1.0.0",
                ));
            }
        }
    }
    if !seen.contains(&ORGANIZATIONS_SCHEMA) {
        return Err(refuse(
            name,
            "linked_schemas",
            format!(
                "does not list {ORGANIZATIONS_SCHEMA}; coopdir reads organization profiles only"
            ),
        ));
    }
    match m.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= 200 => {}
        _ => {
            return Err(refuse(
                name,
                "name",
                "missing, empty or longer than 200 characters; add the organization's name",
            ));
        }
    }
    if let Some(v) = m.get("primary_url") {
        let ok = v
            .as_str()
            .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"));
        if !ok {
            return Err(refuse(
                name,
                "primary_url",
                "must start with http:// or https://, e.g. https://example.coop",
            ));
        }
    }
    if let Some(v) = m.get("country_iso_3166") {
        let ok = v
            .as_str()
            .is_some_and(|s| s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase()));
        if !ok {
            return Err(refuse(
                name,
                "country_iso_3166",
                format!(
                    "{v} is not an upper-case ISO 3166-1 code; write two letters such as \"FR\""
                ),
            ));
        }
    }
    if let Some(v) = m.get("status") {
        let ok = v.as_str().is_some_and(|s| {
            ["active", "completed", "cancelled", "on_hold", "in_planning"].contains(&s)
        });
        if !ok {
            return Err(refuse(
                name,
                "status",
                "must be one of active, completed, cancelled, on_hold, in_planning",
            ));
        }
    }
    if let Some(v) = m.get("tags") {
        let ok = v.as_array().is_some_and(|a| {
            !a.is_empty()
                && a.len() <= 100
                && a.iter().all(Value::is_string)
                && a.iter().enumerate().all(|(i, x)| !a[..i].contains(x))
        });
        if !ok {
            return Err(refuse(
                name,
                "tags",
                "must be a list of 1 to 100 different texts",
            ));
        }
    }
    if let Some(v) = m.get("urls") {
        let Some(a) = v.as_array() else {
            return Err(refuse(
                name,
                "urls",
                "must be a list of {\"name\", \"url\"} objects",
            ));
        };
        for (i, u) in a.iter().enumerate() {
            if !u.get("url").is_some_and(Value::is_string) {
                return Err(refuse(
                    name,
                    &format!("urls[{i}].url"),
                    "missing; every entry of urls needs a url",
                ));
            }
        }
    }
    Ok(())
}

/// Funding and membership links among `urls[]`, by name.
fn is_funding(label: &str) -> bool {
    let f = fold(label);
    [
        "fund", "donat", "member", "join", "soutenir", "adherer", "mitglied", "spende",
    ]
    .iter()
    .any(|w| f.contains(w))
}

/// Read a Murmurations organization profile.
pub fn map(name: &str, text: &str) -> Result<Imported, DocumentError> {
    let root: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        DocumentError(format!(
            "{name}: line {}, column {}: not JSON ({e})",
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(m) = root else {
        return Err(DocumentError(format!(
            "{name}: a Murmurations profile is a JSON object with linked_schemas and name"
        )));
    };
    validate(name, &m)?;
    let mut w = Warnings::default();
    let s = |k: &str| non_empty(m.get(k).and_then(Value::as_str));
    if let Some(st) = s("status")
        && (st == "completed" || st == "cancelled")
    {
        w.add(
            "status",
            st,
            "the organization is no longer active: not imported",
        );
        return Ok(Imported {
            format: Format::Murmurations,
            doc: None,
            warnings: w.0,
        });
    }
    let empty = Map::new();
    let x = m
        .get("coopdir")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let org_name = s("name").unwrap_or_default();
    let coop_name = name_of(&mut w, "name", org_name)
        .ok_or_else(|| refuse(name, "name", "must be 1 to 100 characters for coopdir"))?;
    let handle: Username = match ext(&mut w, "coopdir.", x, "handle") {
        Some(h) => h,
        None => username(name, &slug(org_name, 30, "coop"))?,
    };
    let tags: Vec<&str> = m
        .get("tags")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let form = ext::<CoopForm>(&mut w, "coopdir.", x, "form")
        .or_else(|| form_of(&tags.join(" ; ")))
        .unwrap_or_else(|| {
            w.add(
                "tags",
                tags.join(", "),
                "no co-op form found: listed as other",
            );
            CoopForm::Other
        });
    let country: Option<Country> = typed(&mut w, "country_iso_3166", s("country_iso_3166"));
    let urls: Vec<(&str, &str)> = m
        .get("urls")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|u| {
                    Some((
                        u.get("name").and_then(Value::as_str).unwrap_or(""),
                        u.get("url").and_then(Value::as_str)?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let funding = ext(&mut w, "coopdir.", x, "funding").or_else(|| {
        urls.iter()
            .filter(|(n, _)| is_funding(n))
            .find_map(|(_, u)| web_url(&mut w, "urls[].url", Some(u)))
    });
    let coop = CoopSpec {
        handle,
        name: coop_name,
        summary: summary_of(&mut w, "description", s("description").or(s("mission"))),
        form,
        country: country.clone(),
        website: web_url(&mut w, "primary_url", s("primary_url")),
        funding,
        source_url: None,
    };
    let knows: Vec<&str> = m
        .get("knows_language")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let langs = languages(&mut w, "knows_language", knows);
    let base = |w: &mut Warnings,
                label: &str,
                platform: Platform,
                homepage: Option<&str>|
     -> Result<Option<Base>, DocumentError> {
        let Some(oname) = name_of(w, "urls[].name", label) else {
            return Ok(None);
        };
        Ok(Some(Base {
            handle: username(name, &offering_handle(coop.handle.as_str(), platform))?,
            name: oname,
            summary: empty_summary(),
            platform,
            platform_version: None,
            price: None,
            registration: None,
            languages: langs.clone(),
            support_languages: BoundedList::default(),
            jurisdiction: country.clone(),
            data_location: BoundedList::default(),
            homepage: homepage.and_then(|u| web_url(w, "urls[].url", Some(u))),
            free_software: true,
        }))
    };

    let mut offerings = Vec::new();
    match x.get("offerings") {
        Some(Value::Array(list)) => {
            for (i, o) in list.iter().enumerate() {
                let field = format!("coopdir.offerings[{i}]");
                let Some(ox) = o.as_object() else {
                    w.add(field, "", "skipped: an offering is an object");
                    continue;
                };
                let oname = ox.get("name").and_then(Value::as_str).unwrap_or("");
                let Some(platform) = ox
                    .get("platform")
                    .and_then(Value::as_str)
                    .and_then(|p| p.parse::<Platform>().ok())
                    .or_else(|| platform_of(oname))
                else {
                    w.add(field, oname, "skipped: no video conferencing platform");
                    continue;
                };
                let label = if oname.trim().is_empty() {
                    platform.label()
                } else {
                    oname
                };
                if let Some(mut b) = base(&mut w, label, platform, None)? {
                    // Listing-format offerings say all they mean: nothing is derived.
                    b.jurisdiction = None;
                    b.languages = BoundedList::default();
                    offerings.push(offering(&mut w, &format!("{field}."), b, Some(ox)));
                }
            }
        }
        Some(_) => w.add("coopdir.offerings", "", "not a list: ignored"),
        None => {
            for (i, (label, url)) in urls.iter().enumerate() {
                let Some(platform) = platform_of(label).or_else(|| platform_of(url)) else {
                    continue;
                };
                let _ = i;
                if let Some(b) = base(&mut w, label, platform, Some(url))? {
                    offerings.push(offering(&mut w, &format!("urls[{i}]: "), b, None));
                }
            }
            if offerings.is_empty() {
                for t in &tags {
                    if let Some(platform) = platform_of(t) {
                        let label = format!("{} {}", coop.name, platform.label());
                        if let Some(b) = base(&mut w, &label, platform, None)? {
                            offerings.push(offering(&mut w, &format!("tags: {t}: "), b, None));
                        }
                    }
                }
            }
            if offerings.is_empty() {
                w.add(
                    "urls",
                    "",
                    "no entry of urls or tags names a video conferencing platform: the co-op is listed without offerings",
                );
            }
        }
    }
    finish(name, Format::Murmurations, coop, offerings, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_maps_offerings_from_urls_and_funding_by_name() {
        let doc = r#"{"linked_schemas": ["organizations_schema-v1.0.0"], "name": "Écran SCIC",
            "primary_url": "https://e.example", "tags": ["SCIC", "Jitsi Meet"], "country_iso_3166": "FR",
            "urls": [{"name": "Visio (Jitsi Meet)", "url": "https://v.example/"},
                     {"name": "Adhérer", "url": "https://e.example/adherer"},
                     {"name": "Mastodon", "url": "https://m.example/@e"}],
            "knows_language": ["fr", "oc"]}"#;
        let r = map("m.json", doc).unwrap();
        let d = r.doc.unwrap();
        assert_eq!(d.coop.form, CoopForm::MultiStakeholder);
        assert_eq!(
            d.coop.funding.unwrap().0.as_str(),
            "https://e.example/adherer"
        );
        assert_eq!(d.offerings.len(), 1);
        let o = &d.offerings[0];
        assert_eq!(o.platform, Platform::Jitsi);
        assert_eq!(o.jurisdiction.as_ref().unwrap().as_str(), "FR");
        assert_eq!(o.languages.0.len(), 2);
        assert_eq!(o.price.model, PriceModel::NotStated);
        assert_eq!(o.registration, Registration::NotStated);
    }

    #[test]
    fn schema_violations_name_the_key() {
        for (doc, key) in [
            (r#"{"linked_schemas": [], "name": "A"}"#, "linked_schemas"),
            (r#"{"name": "A"}"#, "linked_schemas"),
            (
                r#"{"linked_schemas": ["karte_schema-v1.0.0"], "name": "A"}"#,
                "linked_schemas",
            ),
            (
                r#"{"linked_schemas": ["organizations_schema-v1.0.0"]}"#,
                "name",
            ),
            (
                r#"{"linked_schemas": ["organizations_schema-v1.0.0"], "name": "A", "country_iso_3166": "France"}"#,
                "country_iso_3166",
            ),
            (
                r#"{"linked_schemas": ["organizations_schema-v1.0.0"], "name": "A", "primary_url": "a.example"}"#,
                "primary_url",
            ),
            (
                r#"{"linked_schemas": ["organizations_schema-v1.0.0"], "name": "A", "Bad": 1}"#,
                "Bad",
            ),
        ] {
            let e = map("m.json", doc).unwrap_err().0;
            assert!(e.contains(&format!("`{key}`")), "{doc}: {e}");
        }
    }

    #[test]
    fn a_completed_project_is_skipped() {
        let r = map(
            "m.json",
            r#"{"linked_schemas": ["organizations_schema-v1.0.0"], "name": "A", "status": "completed"}"#,
        )
        .unwrap();
        assert!(r.doc.is_none());
        assert_eq!(r.warnings[0].field, "status");
    }
}
