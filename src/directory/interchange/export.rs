//! Listings written in the other directories' formats, each carrying coopdir's extension
//! so that importing an export restores handles and every attribute.

use super::murmurations::ORGANIZATIONS_SCHEMA;
use super::*;
use crate::db::entities::actor;
use crate::directory::liveness::{Liveness, Outcome};
use crate::directory::{DomainError, DomainResult, coop_offerings, coop_spec, offering_spec};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use url::Url;

/// A local co-op with its listed offerings, as the exports show them.
#[derive(Debug, Clone)]
pub struct CoopListing {
    pub coop: CoopSpec,
    /// The co-op's actor URL.
    pub actor: Url,
    pub offerings: Vec<OfferingListing>,
}

#[derive(Debug, Clone)]
pub struct OfferingListing {
    pub spec: OfferingSpec,
    pub actor: Url,
    pub status: Status,
    pub sunset_end: Option<NaiveDate>,
}

fn listed(a: &actor::Model) -> bool {
    a.local
        && a.moderation == Moderation::Approved
        && a.status != Status::Closed
        && a.status != Status::Transferred
}

fn actor_url(a: &actor::Model) -> DomainResult<Url> {
    Url::parse(&a.ap_id).map_err(|e| DomainError::Other(anyhow::anyhow!("{}: {e}", a.ap_id)))
}

/// The listing of a local, listed co-op; `NotFound` for anything else.
pub async fn load<C: ConnectionTrait>(db: &C, coop: &actor::Model) -> DomainResult<CoopListing> {
    if coop.kind != ActorKind::Coop || !listed(coop) {
        return Err(DomainError::NotFound(crate::msg!(
            "error-export-not-coop",
            handle = format!("{}@{}", coop.username, coop.domain)
        )));
    }
    let spec = coop_spec(coop)?;
    let mut offerings = Vec::new();
    for o in coop_offerings(db, coop.id).await? {
        if !listed(&o) {
            continue;
        }
        offerings.push(OfferingListing {
            spec: offering_spec(&o)?,
            actor: actor_url(&o)?,
            status: o.status,
            sunset_end: o.sunset_end,
        });
    }
    Ok(CoopListing {
        coop: spec,
        actor: actor_url(coop)?,
        offerings,
    })
}

/// The document of `format`, as text.
pub fn render(l: &CoopListing, format: Format, now: DateTime<Utc>) -> DomainResult<String> {
    let pretty = |v: &Value| {
        serde_json::to_string_pretty(v)
            .map(|s| s + "\n")
            .map_err(|e| DomainError::Other(e.into()))
    };
    match format {
        Format::Chatons => Ok(chatons_organization(l, now)),
        Format::Librehost => pretty(&librehost(l)),
        Format::Murmurations => pretty(&murmurations(l)),
        Format::Coopdir => {
            let doc = ListingDocument {
                coop: l.coop.clone(),
                offerings: l.offerings.iter().map(|o| o.spec.clone()).collect(),
            };
            serde_json::to_string_pretty(&doc)
                .map(|s| s + "\n")
                .map_err(|e| DomainError::Other(e.into()))
        }
    }
}

/// A properties value on one line: `\` and line breaks escaped.
fn pv(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

fn file_header(out: &mut String, class: &str, now: DateTime<Utc>) {
    out.push_str("# [File]\n");
    out.push_str(&format!("file.class = {class}\n"));
    out.push_str("file.protocol = ChatonsInfos-0.5\n");
    out.push_str(&format!(
        "file.datetime = {}\n",
        now.format("%Y-%m-%dT%H:%M:%S")
    ));
    out.push_str("file.generator = coopdir\n\n");
}

fn line(out: &mut String, key: &str, value: impl AsRef<str>) {
    let v = value.as_ref();
    if !v.trim().is_empty() {
        out.push_str(&format!("{key} = {}\n", pv(v)));
    }
}

fn join<T: fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(";")
}

/// The `.properties` URL of an actor.
pub fn chatons_url(actor: &Url) -> String {
    format!(
        "{}/chatonsinfos.properties",
        actor.as_str().trim_end_matches('/')
    )
}

/// `file.class = organization` with `subs.<handle>` for each offering.
pub fn chatons_organization(l: &CoopListing, now: DateTime<Utc>) -> String {
    let c = &l.coop;
    let mut out = String::new();
    file_header(&mut out, "organization", now);
    out.push_str("# [Organisation]\n");
    line(&mut out, "organization.name", c.name.as_str());
    line(&mut out, "organization.description", c.summary.as_str());
    if let Some(w) = &c.website {
        line(&mut out, "organization.website", w.0.as_str());
    }
    line(&mut out, "organization.type", "COOPERATIVE");
    line(&mut out, "organization.status.level", "ACTIVE");
    if let Some(cc) = &c.country {
        line(&mut out, "organization.country.code", cc.as_str());
    }
    if let Some(f) = &c.funding {
        line(&mut out, "organization.funding.custom", f.0.as_str());
    }
    out.push_str("\n# [coopdir] attributes without a ChatonsInfos key\n");
    line(&mut out, "coopdir.handle", c.handle.as_str());
    line(&mut out, "coopdir.form", c.form.as_str());
    out.push_str("\n# [Subs]\n");
    for o in &l.offerings {
        line(
            &mut out,
            &format!("subs.{}", o.spec.handle),
            chatons_url(&o.actor),
        );
    }
    out
}

/// `file.class = service` for one offering, with `service.status.level` from what this
/// node's probes found when it probes the service (see [`chatons_status`]).
pub fn chatons_service(o: &OfferingListing, now: DateTime<Utc>) -> String {
    chatons_service_with(o, now, None)
}

/// ChatonsInfos' `service.status.level` (OK, WARNING, ALERT, ERROR, OVER, VOID) and a
/// description, from the node's probes: up → OK; down → ALERT, and ERROR once it is
/// unreachable (3 days); a refusal or no probe says nothing (OK, as the co-op lists it).
pub fn chatons_status(l: Option<&Liveness>) -> (&'static str, Option<String>) {
    let Some(l) = l else { return ("OK", None) };
    let when = l
        .checked_at
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default();
    match l.state {
        Some(Outcome::Up) => (
            "OK",
            Some(format!("up at the check of {when} by {}", l.measured_by)),
        ),
        Some(Outcome::Down) if l.unreachable => (
            "ERROR",
            Some(format!(
                "unreachable: no answer since {} (checked by {})",
                l.down_since
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                l.measured_by
            )),
        ),
        Some(Outcome::Down) => (
            "ALERT",
            Some(format!("down at the check of {when} by {}", l.measured_by)),
        ),
        _ => ("OK", None),
    }
}

/// [`chatons_service`] with the listing's liveness.
pub fn chatons_service_with(
    o: &OfferingListing,
    now: DateTime<Utc>,
    live: Option<&Liveness>,
) -> String {
    let s = &o.spec;
    let mut out = String::new();
    file_header(&mut out, "service", now);
    out.push_str("# [Service]\n");
    line(&mut out, "service.name", s.name.as_str());
    line(&mut out, "service.description", s.summary.as_str());
    if let Some(h) = &s.homepage {
        line(&mut out, "service.website", h.0.as_str());
    }
    if let Some(end) = o.sunset_end {
        line(
            &mut out,
            "service.enddate",
            end.format("%Y-%m-%d").to_string(),
        );
    }
    let (level, description) = chatons_status(live);
    line(&mut out, "service.status.level", level);
    if let Some(d) = description {
        line(&mut out, "service.status.description", d);
    }
    let registration = match (s.registration, s.price.model) {
        (Registration::NotStated, _) => None,
        (Registration::MembersOnly, _) => Some("Member"),
        (_, PriceModel::Free) => Some("Free"),
        (_, PriceModel::NotStated) => None,
        _ => Some("Client"),
    };
    if let Some(r) = registration {
        line(&mut out, "service.registration", r);
    }
    match s.registration {
        Registration::Waitlist | Registration::Closed => {
            line(&mut out, "service.registration.load", "FULL")
        }
        Registration::Open | Registration::MembersOnly => {
            line(&mut out, "service.registration.load", "OPEN")
        }
        Registration::NotStated => {}
    }
    out.push_str("\n# [Software]\n");
    line(&mut out, "software.name", s.platform.label());
    if let Some(v) = &s.platform_version {
        line(&mut out, "software.version", v.as_str());
    }
    if let Some(cc) = s.data_location.0.first() {
        out.push_str("\n# [Host]\n");
        line(&mut out, "host.country.code", cc.as_str());
    }
    out.push_str("\n# [coopdir] attributes without a ChatonsInfos key; lists use ;\n");
    line(&mut out, "coopdir.handle", s.handle.as_str());
    line(&mut out, "coopdir.platform", s.platform.as_str());
    line(&mut out, "coopdir.features", join(&s.features));
    if let Some(n) = s.participants_per_room {
        line(&mut out, "coopdir.participants_per_room", n.0.to_string());
    }
    if let Some(n) = s.concurrent_rooms {
        line(&mut out, "coopdir.concurrent_rooms", n.0.to_string());
    }
    line(&mut out, "coopdir.price.model", s.price.model.as_str());
    if let Some(a) = &s.price.amount {
        line(&mut out, "coopdir.price.amount", a.as_str());
    }
    if let Some(c) = &s.price.currency {
        line(&mut out, "coopdir.price.currency", c.as_str());
    }
    if let Some(p) = s.price.period {
        line(&mut out, "coopdir.price.period", p.as_str());
    }
    line(&mut out, "coopdir.languages", join(&s.languages.0));
    line(
        &mut out,
        "coopdir.support_languages",
        join(&s.support_languages.0),
    );
    if let Some(j) = &s.jurisdiction {
        line(&mut out, "coopdir.jurisdiction", j.as_str());
    }
    line(&mut out, "coopdir.data_location", join(&s.data_location.0));
    line(&mut out, "coopdir.registration", s.registration.as_str());
    line(
        &mut out,
        "coopdir.free_software",
        s.free_software.to_string(),
    );
    line(&mut out, "coopdir.notice_days", s.notice_days.0.to_string());
    if let Some(u) = &s.signup {
        line(&mut out, "coopdir.signup", u.0.as_str());
    }
    if let Some(u) = &s.service_url {
        line(&mut out, "coopdir.service_url", u.0.as_str());
    }
    if !s.probe {
        line(&mut out, "coopdir.probe", "false");
    }
    if let Some(u) = &s.funding {
        line(&mut out, "coopdir.funding", u.0.as_str());
    }
    line(
        &mut out,
        "coopdir.also_known_as",
        join(s.also_known_as.iter().map(|u| u.0.as_str())),
    );
    out
}

/// `file.class = federation`: the node, one `subs.<coop>` per listed co-op.
pub fn chatons_federation(
    node_name: &str,
    website: &Url,
    coops: &[(String, Url)],
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    file_header(&mut out, "federation", now);
    out.push_str("# [Federation]\n");
    line(&mut out, "federation.name", node_name);
    line(&mut out, "federation.website", website.as_str());
    out.push_str("\n# [Subs]\n");
    for (handle, actor) in coops {
        line(&mut out, &format!("subs.{handle}"), chatons_url(actor));
    }
    out
}

fn offering_json(s: &OfferingSpec) -> Value {
    serde_json::to_value(s).unwrap_or(Value::Null)
}

fn coop_extension(c: &CoopSpec) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("handle".into(), json!(c.handle));
    m.insert("form".into(), json!(c.form));
    if let Some(cc) = &c.country {
        m.insert("country".into(), json!(cc));
    }
    if let Some(f) = &c.funding {
        m.insert("funding".into(), json!(f));
    }
    m
}

fn union_languages<'a>(lists: impl Iterator<Item = &'a BoundedList<Language>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lists.flat_map(|l| l.0.iter()) {
        if !out.iter().any(|x| x == l.as_str()) {
            out.push(l.to_string());
        }
    }
    out
}

/// librehost.json (v0.0.1 keys that have values, `donationsUrl`, `services`, `meta.coopdir`).
pub fn librehost(l: &CoopListing) -> Value {
    let c = &l.coop;
    let mut m = Map::new();
    m.insert("@context".into(), json!("http://schema.org"));
    m.insert("@type".into(), json!("Organization"));
    m.insert("version".into(), json!("0.0.1"));
    m.insert("organizationType".into(), json!(c.form.label()));
    m.insert("name".into(), json!(c.name));
    if !c.summary.as_str().is_empty() {
        m.insert("description".into(), json!(c.summary));
    }
    m.insert(
        "homeUrl".into(),
        json!(
            c.website
                .as_ref()
                .map_or(l.actor.as_str(), |w| w.0.as_str())
        ),
    );
    let comm = union_languages(l.offerings.iter().map(|o| &o.spec.support_languages));
    if !comm.is_empty() {
        m.insert("communicationLanguages".into(), json!(comm));
    }
    m.insert("isServiceProvider".into(), json!(true));
    if let Some(f) = &c.funding {
        m.insert("donationsUrl".into(), json!(f));
    }
    let services: Vec<Value> = l
        .offerings
        .iter()
        .map(|o| {
            let s = &o.spec;
            let mut v = json!({
                "name": s.name,
                "description": s.summary,
                "software": s.platform.label(),
                "coopdir": offering_json(s),
            });
            if let (Some(h), Some(m)) = (&s.homepage, v.as_object_mut()) {
                m.insert("url".into(), json!(h));
            }
            v
        })
        .collect();
    m.insert("services".into(), Value::Array(services));
    m.insert("meta".into(), json!({ "coopdir": coop_extension(c) }));
    Value::Object(m)
}

/// A Murmurations organization profile (organizations_schema-v1.0.0).
pub fn murmurations(l: &CoopListing) -> Value {
    let c = &l.coop;
    let mut m = Map::new();
    m.insert("linked_schemas".into(), json!([ORGANIZATIONS_SCHEMA]));
    let name: String = c.name.as_str().chars().take(200).collect();
    m.insert("name".into(), json!(name));
    m.insert(
        "primary_url".into(),
        json!(
            c.website
                .as_ref()
                .map_or(l.actor.as_str(), |w| w.0.as_str())
        ),
    );
    if !c.summary.as_str().is_empty() {
        m.insert("description".into(), json!(c.summary));
    }
    let mut tags: Vec<String> = vec![c.form.label().to_string(), "video conferencing".into()];
    for o in &l.offerings {
        let t = o.spec.platform.label().to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    m.insert("tags".into(), json!(tags));
    let mut urls: Vec<Value> = l
        .offerings
        .iter()
        .map(|o| {
            json!({
                "name": o.spec.name,
                "url": o.spec.homepage.as_ref().map_or(o.actor.as_str(), |h| h.0.as_str()),
            })
        })
        .collect();
    if let Some(f) = &c.funding {
        urls.push(json!({ "name": "Membership and funding", "url": f }));
    }
    if !urls.is_empty() {
        m.insert("urls".into(), Value::Array(urls));
    }
    if let Some(cc) = &c.country {
        m.insert("country_iso_3166".into(), json!(cc));
    }
    m.insert("status".into(), json!("active"));
    let langs = union_languages(l.offerings.iter().map(|o| &o.spec.languages));
    if !langs.is_empty() {
        m.insert("knows_language".into(), json!(langs));
    }
    let mut x = coop_extension(c);
    x.remove("country");
    x.insert(
        "offerings".into(),
        Value::Array(l.offerings.iter().map(|o| offering_json(&o.spec)).collect()),
    );
    m.insert("coopdir".into(), Value::Object(x));
    Value::Object(m)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::directory::listing::ListingDocument;

    pub(crate) fn sample() -> CoopListing {
        let doc = ListingDocument::parse(
            "t.toml",
            r#"
[coop]
handle = "nordcoop"
name = "Nord Coop"
summary = "Two lines\nof text"
form = "consumer"
country = "DE"
website = "https://nord.example/"
funding = "https://nord.example/join"

[[offerings]]
handle = "nord_bbb"
name = "Nord BBB"
platform = "bigbluebutton"
platform_version = "3.0"
features = ["recording", "polls"]
participants_per_room = 50
price = { model = "subscription", amount = "12.50", currency = "EUR", period = "month" }
languages = ["de", "da"]
support_languages = ["de"]
jurisdiction = "DE"
data_location = ["DE", "DK"]
registration = "waitlist"
homepage = "https://nord.example/bbb"
service_url = "https://bbb.nord.example/"

[[offerings]]
handle = "nord_jitsi"
name = "Nord Jitsi"
platform = "jitsi"
price = { model = "not-stated" }
registration = "not-stated"
service_url = "https://meet.nord.example/"
probe = false
"#,
        )
        .unwrap();
        CoopListing {
            coop: doc.coop,
            actor: Url::parse("https://dir.example/actors/nordcoop").unwrap(),
            offerings: doc
                .offerings
                .into_iter()
                .map(|spec| OfferingListing {
                    actor: Url::parse(&format!("https://dir.example/actors/{}", spec.handle))
                        .unwrap(),
                    spec,
                    status: Status::Active,
                    sunset_end: None,
                })
                .collect(),
        }
    }

    fn same(a: &ListingDocument, l: &CoopListing) {
        assert_eq!(a.coop, l.coop);
        let specs: Vec<&OfferingSpec> = l.offerings.iter().map(|o| &o.spec).collect();
        assert_eq!(a.offerings.iter().collect::<Vec<_>>(), specs);
    }

    #[test]
    fn chatons_export_reads_back_the_same_listing() {
        let l = sample();
        let now = Utc::now();
        let org = chatons_organization(&l, now);
        assert!(
            org.contains(
                "subs.nord_bbb = https://dir.example/actors/nord_bbb/chatonsinfos.properties"
            ),
            "{org}"
        );
        let org = chatons::parse_organization("org", &org).unwrap();
        let services: Vec<(String, chatons::Properties)> = l
            .offerings
            .iter()
            .map(|o| {
                let text = chatons_service(o, now);
                (
                    o.spec.handle.to_string(),
                    chatons::parse_service("s", &text).unwrap(),
                )
            })
            .collect();
        let back = chatons::map(&org, &services, now.date_naive()).unwrap();
        same(&back.doc.unwrap(), &l);
        let bbb = chatons_service(&l.offerings[0], now);
        assert!(
            bbb.contains("service.registration = Client")
                && bbb.contains("service.registration.load = FULL"),
            "{bbb}"
        );
        assert!(bbb.contains("software.name = BigBlueButton"), "{bbb}");
        assert!(bbb.contains("service.status.level = OK"), "{bbb}");
    }

    #[test]
    fn chatons_status_follows_the_probes() {
        use crate::directory::liveness::{Liveness, Outcome};
        let at = Utc::now();
        let mut l = Liveness {
            state: Some(Outcome::Down),
            probed: true,
            checked_at: Some(at),
            latency_ms: Some(3),
            observed_version: None,
            uptime_24h: None,
            uptime_7d: None,
            uptime_30d: None,
            down_since: Some(at),
            unreachable: false,
            confirmed_at: None,
            measured_by: "dir.example".into(),
        };
        assert_eq!(chatons_status(Some(&l)).0, "ALERT");
        l.unreachable = true;
        assert_eq!(chatons_status(Some(&l)).0, "ERROR");
        l.state = Some(Outcome::Refused);
        assert_eq!(chatons_status(Some(&l)).0, "OK", "a refusal says nothing");
        l.state = Some(Outcome::Up);
        let (level, description) = chatons_status(Some(&l));
        assert_eq!(level, "OK");
        assert!(description.unwrap().contains("dir.example"));
        assert_eq!(chatons_status(None), ("OK", None));
    }

    #[test]
    fn librehost_and_murmurations_exports_read_back_the_same_listing() {
        let l = sample();
        let lh = librehost(&l).to_string();
        same(&librehost::map("l.json", &lh).unwrap().doc.unwrap(), &l);
        let mm = murmurations(&l).to_string();
        same(&murmurations::map("m.json", &mm).unwrap().doc.unwrap(), &l);
        let coopdir = render(&l, Format::Coopdir, Utc::now()).unwrap();
        same(&ListingDocument::parse("c.json", &coopdir).unwrap(), &l);
    }
}
