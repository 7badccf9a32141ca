//! ChatonsInfos (CHATONS, StatoolInfos): `.properties` files, an organization file whose
//! `subs.*` name its service files. Values map as ../shared/interchange/README.md's table
//! says; `coopdir.*` keys carry what ChatonsInfos has no key for.

use super::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The keys of one `.properties` file: lower-cased key → (value, line).
#[derive(Debug, Clone, Default)]
pub struct Properties {
    pub name: String,
    map: BTreeMap<String, (String, usize)>,
}

impl Properties {
    /// Parse UTF-8 properties: `key = value`, `#` and `!` comments, `\` escapes and line
    /// continuations, values in single or double quotes. Lines without `=` are errors.
    pub fn parse(name: &str, text: &str) -> Result<Self, DocumentError> {
        let mut map = BTreeMap::new();
        let mut pending: Option<(String, usize)> = None;
        for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line_no = i + 1;
            let (mut line, start) = match pending.take() {
                Some((acc, start)) => (acc + raw.trim_start(), start),
                None => (raw.to_string(), line_no),
            };
            // A line ending in an odd number of backslashes continues on the next.
            let trailing = line.chars().rev().take_while(|c| *c == '\\').count();
            if trailing % 2 == 1 {
                line.pop();
                pending = Some((line, start));
                continue;
            }
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') || t.starts_with('!') {
                continue;
            }
            let Some((k, v)) = t.split_once('=') else {
                return Err(DocumentError(format!(
                    "{name}: line {start}: '{}' is not a `key = value` line; write e.g. \
                     `service.name = Visio`, or start a comment with #",
                    t.chars().take(60).collect::<String>()
                )));
            };
            map.insert(k.trim().to_ascii_lowercase(), (unquote(v.trim()), start));
        }
        Ok(Properties {
            name: name.into(),
            map,
        })
    }

    /// A non-empty value.
    pub fn get(&self, key: &str) -> Option<&str> {
        non_empty(self.map.get(key).map(|(v, _)| v.as_str()))
    }

    pub fn line(&self, key: &str) -> Option<usize> {
        self.map.get(key).map(|(_, l)| *l)
    }

    /// The keys under `prefix.` with their non-empty values, in key order.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let p = format!("{prefix}.");
        self.map
            .iter()
            .filter(move |(k, (v, _))| k.starts_with(&p) && !v.trim().is_empty())
            .map(move |(k, (v, _))| (&k[prefix.len() + 1..], v.trim()))
    }

    /// `file.class`, checked: missing or different from `want` is an error naming it.
    fn class(&self, want: &str, what: &str) -> Result<(), DocumentError> {
        match self.get("file.class") {
            None => Err(refuse(
                &self.name,
                "file.class",
                format!(
                    "missing; a ChatonsInfos {what} file says `file.class = {want}` \
                     (check that this is a ChatonsInfos file, or force another format with --format)"
                ),
            )),
            Some(c) if c.eq_ignore_ascii_case(want) => Ok(()),
            Some(c) => Err(DocumentError(format!(
                "{}: line {}, field `file.class`: '{c}' where a {what} file was expected \
                 (`file.class = {want}`){}",
                self.name,
                self.line("file.class").unwrap_or(0),
                if c.eq_ignore_ascii_case("federation") {
                    "; import the organization files that its subs.* name"
                } else if want == "service" {
                    "; an organization's subs.* must name service files"
                } else {
                    ""
                }
            ))),
        }
    }
}

/// Strip quotes and resolve `\` escapes.
fn unquote(v: &str) -> String {
    let v = if v.len() >= 2
        && ((v.starts_with('\'') && v.ends_with('\'')) || (v.starts_with('"') && v.ends_with('"')))
    {
        &v[1..v.len() - 1]
    } else {
        v
    };
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// An organization file, with its `subs.*` (id, target) in file order of ids.
#[derive(Debug, Clone)]
pub struct Organization {
    pub props: Properties,
    pub subs: Vec<(String, String)>,
}

/// Parse and check an organization file.
pub fn parse_organization(name: &str, text: &str) -> Result<Organization, DocumentError> {
    let props = Properties::parse(name, text)?;
    props.class("organization", "organization")?;
    if props.get("organization.name").is_none() {
        return Err(refuse(
            name,
            "organization.name",
            "missing; add `organization.name = …` with the organization's name",
        ));
    }
    let subs = props
        .under("subs")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Ok(Organization { props, subs })
}

/// Parse and check a service file named by `subs.<id>`.
pub fn parse_service(name: &str, text: &str) -> Result<Properties, DocumentError> {
    let props = Properties::parse(name, text)?;
    props.class("service", "service")?;
    Ok(props)
}

/// The `coopdir.*` keys as an extension object (lists split on `;`, numbers and
/// booleans typed, `coopdir.price.*` as a price object).
pub fn extension(p: &Properties) -> Map<String, Value> {
    const LISTS: &[&str] = &[
        "features",
        "languages",
        "support_languages",
        "data_location",
        "also_known_as",
    ];
    const NUMBERS: &[&str] = &["participants_per_room", "concurrent_rooms", "notice_days"];
    let mut m = Map::new();
    let mut price = Map::new();
    for (k, v) in p.under("coopdir") {
        if let Some(pk) = k.strip_prefix("price.") {
            price.insert(pk.into(), Value::String(v.into()));
        } else if LISTS.contains(&k) {
            let items = v
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.into()))
                .collect();
            m.insert(k.into(), Value::Array(items));
        } else if NUMBERS.contains(&k) {
            m.insert(
                k.into(),
                v.parse::<i64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::String(v.into())),
            );
        } else if k == "free_software" || k == "probe" {
            m.insert(
                k.into(),
                v.parse::<bool>()
                    .map(Value::Bool)
                    .unwrap_or_else(|_| Value::String(v.into())),
            );
        } else {
            m.insert(k.into(), Value::String(v.into()));
        }
    }
    if !price.is_empty() {
        m.insert("price".into(), Value::Object(price));
    }
    m
}

/// A date as ChatonsInfos files write it: ISO `yyyy-MM-dd` or `dd/MM/yyyy`.
fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// Licence names that are not free software (the rest is trusted).
fn non_libre(licence: &str) -> bool {
    let l = fold(licence);
    [
        "proprietary",
        "proprietaire",
        "closed",
        "commercial",
        "freeware",
        "shareware",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// The listing of an organization and its services (each `(sub id, properties)`).
pub fn map(
    org: &Organization,
    services: &[(String, Properties)],
    today: NaiveDate,
) -> Result<Imported, DocumentError> {
    let p = &org.props;
    let name = p.name.as_str();
    let mut w = Warnings::default();
    let x = extension(p);

    if p.get("organization.status.level")
        .is_some_and(|s| s.eq_ignore_ascii_case("away"))
    {
        w.add(
            "organization.status.level",
            "AWAY",
            "the organization is away: not imported",
        );
        return Ok(Imported {
            format: Format::Chatons,
            doc: None,
            warnings: w.0,
        });
    }

    let org_name = p.get("organization.name").unwrap_or_default();
    let coop_name = name_of(&mut w, "organization.name", org_name)
        .ok_or_else(|| refuse(name, "organization.name", "must be 1 to 100 characters"))?;
    let handle: Username = match ext(&mut w, "coopdir.", &x, "handle") {
        Some(h) => h,
        None => username(name, &slug(org_name, 30, "coop"))?,
    };
    let form = ext::<CoopForm>(&mut w, "coopdir.", &x, "form").unwrap_or_else(|| {
        let t = p.get("organization.type").unwrap_or("");
        w.add(
            "organization.type",
            t,
            "ChatonsInfos does not say which form of co-op: listed as other",
        );
        CoopForm::Other
    });
    let country: Option<Country> = ext(&mut w, "coopdir.", &x, "country").or_else(|| {
        typed(
            &mut w,
            "organization.country.code",
            p.get("organization.country.code"),
        )
    });
    let funding = ext(&mut w, "coopdir.", &x, "funding").or_else(|| {
        ["liberapay", "helloasso", "paypal", "tipee", "custom"]
            .iter()
            .find_map(|k| {
                let key = format!("organization.funding.{k}");
                web_url(&mut w, &key, p.get(&key))
            })
    });
    let coop = CoopSpec {
        handle,
        name: coop_name,
        summary: summary_of(
            &mut w,
            "organization.description",
            p.get("organization.description"),
        ),
        form,
        country: country.clone(),
        website: web_url(
            &mut w,
            "organization.website",
            p.get("organization.website"),
        ),
        funding,
        source_url: None,
    };

    let mut offerings = Vec::new();
    for (id, s) in services {
        let field = format!("subs.{id}");
        let sx = extension(s);
        let service_name = s.get("service.name").unwrap_or(id);
        let software = s.get("software.name").unwrap_or("");
        let platform = sx
            .get("platform")
            .and_then(Value::as_str)
            .and_then(|v| v.parse::<Platform>().ok())
            .or_else(|| platform_of(software))
            .or_else(|| platform_of(service_name));
        let Some(platform) = platform else {
            w.add(
                field,
                format!("{service_name} ({software})"),
                "skipped: not video conferencing",
            );
            continue;
        };
        if let Some(end) = s.get("service.enddate").and_then(date)
            && end < today
        {
            w.add(
                format!("{field}: service.enddate"),
                end.to_string(),
                "skipped: the service has ended",
            );
            continue;
        }
        let mut sw = Warnings::default();
        let reg_text = s.get("service.registration");
        let (mut registration, price_model) = match reg_text.map(|r| r.to_ascii_lowercase()) {
            None => (None, None),
            Some(r) => match r.as_str() {
                "none" | "free" => (Some(Registration::Open), Some(PriceModel::Free)),
                "client" => (Some(Registration::Open), Some(PriceModel::Subscription)),
                "member" => (
                    Some(Registration::MembersOnly),
                    Some(PriceModel::Membership),
                ),
                _ => {
                    sw.add(
                        format!("{field}: service.registration"),
                        reg_text.unwrap_or_default(),
                        "unknown value (None, Free, Member or Client): registration and price not stated",
                    );
                    (None, None)
                }
            },
        };
        if s.get("service.registration.load")
            .is_some_and(|l| l.eq_ignore_ascii_case("full"))
        {
            registration = Some(Registration::Waitlist);
        }
        let licence = s.get("software.license.name").unwrap_or("");
        if !licence.is_empty() && non_libre(licence) && !sx.contains_key("free_software") {
            sw.add(
                format!("{field}: software.license.name"),
                licence,
                "not a free licence as far as coopdir can tell; listed as free software anyway: \
                 set coopdir.free_software = false if it is not",
            );
        }
        let Some(oname) = name_of(&mut sw, &format!("{field}: service.name"), service_name) else {
            continue;
        };
        let base = Base {
            handle: username(name, &offering_handle(coop.handle.as_str(), platform))?,
            name: oname,
            summary: summary_of(&mut sw, "service.description", s.get("service.description")),
            platform,
            platform_version: s.get("software.version").and_then(|v| v.parse().ok()),
            price: price_model.map(|model| Price {
                model,
                amount: None,
                currency: None,
                period: None,
            }),
            registration,
            languages: BoundedList::default(),
            support_languages: BoundedList::default(),
            // A record exported by coopdir (it names its handle) says all it means: no
            // derivation from the organization.
            jurisdiction: if sx.contains_key("handle") {
                None
            } else {
                country.clone()
            },
            data_location: countries(
                &mut sw,
                &format!("{field}: host.country.code"),
                s.get("host.country.code"),
            ),
            homepage: web_url(
                &mut sw,
                &format!("{field}: service.website"),
                s.get("service.website"),
            ),
            free_software: true,
        };
        let o = offering(&mut sw, &format!("{field}: coopdir."), base, Some(&sx));
        if o.languages.0.is_empty() {
            sw.add(
                format!("{field}: languages"),
                "",
                "ChatonsInfos has no key for interface languages: none listed (add coopdir.languages)",
            );
        }
        w.0.extend(sw.0);
        offerings.push(o);
    }
    finish(name, Format::Chatons, coop, offerings, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    const ORG: &str = "# c\nfile.class = Organization\norganization.name = 'L\\'Écran'\n\
        organization.type = COOPERATIVE\norganization.country.code = fr\n\
        organization.funding.paypal =\norganization.funding.custom = https://e.example/don\n\
        subs.visio = 'visio.properties'\nsubs.pad = pad.properties\n";
    const VISIO: &str = "file.class = service\nservice.name = Visio\nservice.registration = Client\n\
        software.name = Jitsi Meet\nsoftware.version = 2.0\nhost.country.code = DE\n";
    const PAD: &str = "file.class = service\nservice.name = Pad\nsoftware.name = Etherpad\n";

    #[test]
    fn an_organization_and_its_services_map_to_a_listing() {
        let org = parse_organization("org.properties", ORG).unwrap();
        assert_eq!(org.subs.len(), 2);
        let services = vec![
            ("visio".to_string(), parse_service("visio", VISIO).unwrap()),
            ("pad".to_string(), parse_service("pad", PAD).unwrap()),
        ];
        let r = map(&org, &services, today()).unwrap();
        let doc = r.doc.unwrap();
        assert_eq!(doc.coop.name.as_str(), "L'Écran");
        assert_eq!(doc.coop.handle.as_str(), "l_ecran");
        assert_eq!(doc.coop.form, CoopForm::Other);
        assert_eq!(doc.coop.country.as_ref().unwrap().as_str(), "FR");
        assert_eq!(
            doc.coop.funding.as_ref().unwrap().0.as_str(),
            "https://e.example/don"
        );
        assert_eq!(doc.offerings.len(), 1, "Etherpad is skipped");
        let o = &doc.offerings[0];
        assert_eq!(o.platform, Platform::Jitsi);
        assert_eq!(o.registration, Registration::Open);
        assert_eq!(o.price.model, PriceModel::Subscription);
        assert_eq!(o.jurisdiction.as_ref().unwrap().as_str(), "FR");
        assert_eq!(o.data_location.0[0].as_str(), "DE");
        assert_eq!(o.handle.as_str(), "l_ecran_jitsi");
        let text: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            text.iter()
                .any(|w| w.contains("subs.pad") && w.contains("Etherpad") && w.contains("skipped")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|w| w.contains("organization.type")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|w| w.contains("interface languages")),
            "{text:?}"
        );
    }

    #[test]
    fn no_registration_is_not_stated_and_a_full_service_is_a_waitlist() {
        let org =
            parse_organization("o", "file.class=organization\norganization.name=A\n").unwrap();
        let quiet = parse_service("s", "file.class=service\nservice.name=BBB\n").unwrap();
        let full = parse_service(
            "f",
            "file.class=service\nservice.name=Salle\nsoftware.name=Galène\nservice.registration=Free\nservice.registration.load=FULL\n",
        )
        .unwrap();
        let ended = parse_service(
            "e",
            "file.class=service\nservice.name=Old Jitsi\nservice.enddate=31/01/2020\n",
        )
        .unwrap();
        let r = map(
            &org,
            &[("a".into(), quiet), ("b".into(), full), ("c".into(), ended)],
            today(),
        )
        .unwrap();
        let doc = r.doc.unwrap();
        assert_eq!(doc.offerings.len(), 2, "the ended service is skipped");
        assert_eq!(doc.offerings[0].registration, Registration::NotStated);
        assert_eq!(doc.offerings[0].price.model, PriceModel::NotStated);
        assert_eq!(doc.offerings[1].registration, Registration::Waitlist);
        assert_eq!(doc.offerings[1].price.model, PriceModel::Free);
    }

    #[test]
    fn the_extension_wins_and_bad_values_are_warned() {
        let org = parse_organization("o", "file.class=organization\norganization.name=A\ncoopdir.handle=acoop\ncoopdir.form=worker\n").unwrap();
        let s = parse_service(
            "s",
            "file.class=service\nservice.name=X\nsoftware.name=BigBlueButton\nservice.registration=Free\n\
             coopdir.handle=a_bbb\ncoopdir.languages=de;EN;nl-be;not a tag!\ncoopdir.price.model=membership\n\
             coopdir.price.amount=5\ncoopdir.price.currency=EUR\ncoopdir.price.period=month\ncoopdir.participants_per_room=lots\n",
        )
        .unwrap();
        let r = map(&org, &[("x".into(), s)], today()).unwrap();
        let doc = r.doc.unwrap();
        assert_eq!(doc.coop.handle.as_str(), "acoop");
        assert_eq!(doc.coop.form, CoopForm::Worker);
        let o = &doc.offerings[0];
        assert_eq!(o.handle.as_str(), "a_bbb");
        assert_eq!(o.price.describe(), "5 EUR / month (membership)");
        assert_eq!(o.participants_per_room, None);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.field.contains("participants_per_room")),
            "{:?}",
            r.warnings
        );
        let langs: Vec<&str> = o.languages.0.iter().map(|l| l.as_str()).collect();
        assert_eq!(langs, ["de", "en", "nl-BE"]);
        assert!(
            r.warnings.iter().any(|w| w.value == "not a tag!"),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn errors_name_the_key_and_line() {
        let e = parse_organization("x.properties", "organization.name = A\n")
            .unwrap_err()
            .0;
        assert!(
            e.contains("x.properties") && e.contains("file.class"),
            "{e}"
        );
        let e = parse_organization("x", "file.class = federation\n")
            .unwrap_err()
            .0;
        assert!(e.contains("line 1") && e.contains("federation"), "{e}");
        let e = parse_organization("x", "file.class = organization\n")
            .unwrap_err()
            .0;
        assert!(e.contains("organization.name"), "{e}");
        let e = parse_service("s.properties", "file.class = organization\n")
            .unwrap_err()
            .0;
        assert!(e.contains("service"), "{e}");
        let e = Properties::parse("p", "a = b\njust words\n").unwrap_err().0;
        assert!(e.contains("line 2"), "{e}");
    }
}
