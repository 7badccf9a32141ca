//! schema.org JSON-LD for search engines: an offering is a `Service` whose `provider` is
//! the co-op's `Organization`, with `areaServed`, `availableLanguage` and `offers` (a
//! price specification). Only what the listing states is said: a price that is not stated
//! gives no `offers`.

use super::*;
use serde_json::json;

/// Who provides a service: the co-op's actor URL, name and web site.
pub struct Provider<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub website: Option<&'a str>,
    pub country: Option<&'a str>,
}

fn organization(p: &Provider<'_>) -> Value {
    let mut o = json!({
        "@type": "Organization",
        "@id": p.id,
        "name": p.name,
        "url": p.website.unwrap_or(p.id),
    });
    if let (Some(c), Some(m)) = (p.country, o.as_object_mut()) {
        m.insert("areaServed".into(), country(c));
    }
    o
}

fn country(code: &str) -> Value {
    json!({ "@type": "Country", "name": code })
}

/// The `Offer` of a price, or `None` when the price is not stated.
fn offer(p: &Price, registration: Registration) -> Option<Value> {
    if p.model == PriceModel::NotStated {
        return None;
    }
    let mut spec = Map::new();
    spec.insert("@type".into(), json!("UnitPriceSpecification"));
    spec.insert("name".into(), json!(p.model.label()));
    match (&p.amount, &p.currency) {
        (Some(a), Some(c)) => {
            spec.insert("price".into(), json!(a));
            spec.insert("priceCurrency".into(), json!(c));
        }
        _ if p.model == PriceModel::Free => {
            spec.insert("price".into(), json!("0"));
        }
        _ => {}
    }
    if let Some(period) = p.period {
        spec.insert(
            "unitText".into(),
            json!(match period {
                PricePeriod::Month => "MONTH",
                PricePeriod::Year => "ANN",
                PricePeriod::Once => "once",
                PricePeriod::Event => "event",
            }),
        );
    }
    let mut o = json!({ "@type": "Offer", "priceSpecification": Value::Object(spec.clone()) });
    if let Some(m) = o.as_object_mut() {
        for k in ["price", "priceCurrency"] {
            if let Some(v) = spec.get(k) {
                m.insert(k.into(), v.clone());
            }
        }
        let availability = match registration {
            Registration::Open | Registration::MembersOnly => Some("https://schema.org/InStock"),
            Registration::Waitlist => Some("https://schema.org/BackOrder"),
            Registration::Closed => Some("https://schema.org/SoldOut"),
            Registration::NotStated => None,
        };
        if let Some(a) = availability {
            m.insert("availability".into(), json!(a));
        }
        if registration == Registration::MembersOnly {
            m.insert("eligibleCustomerType".into(), json!("members"));
        }
    }
    Some(o)
}

/// The `Service` of an offering (without `@context`).
pub fn service(
    id: &str,
    name: &str,
    summary: &str,
    s: &OfferingSpec,
    provider: Option<&Provider<'_>>,
) -> Value {
    let mut m = Map::new();
    m.insert("@type".into(), json!("Service"));
    m.insert("@id".into(), json!(id));
    m.insert("name".into(), json!(name));
    if !summary.is_empty() {
        m.insert("description".into(), json!(summary));
    }
    m.insert(
        "url".into(),
        json!(s.homepage.as_ref().map_or(id, |h| h.0.as_str())),
    );
    m.insert("serviceType".into(), json!("Video conferencing"));
    m.insert("category".into(), json!(s.platform.label()));
    if let Some(p) = provider {
        m.insert("provider".into(), organization(p));
    }
    let mut areas: Vec<&str> = Vec::new();
    for c in s.jurisdiction.iter().chain(s.data_location.0.iter()) {
        if !areas.contains(&c.as_str()) {
            areas.push(c.as_str());
        }
    }
    if areas.is_empty() {
        areas.extend(provider.and_then(|p| p.country));
    }
    if !areas.is_empty() {
        m.insert(
            "areaServed".into(),
            Value::Array(areas.into_iter().map(country).collect()),
        );
    }
    if !s.languages.0.is_empty() {
        m.insert("availableLanguage".into(), json!(s.languages.0));
    }
    if let Some(o) = offer(&s.price, s.registration) {
        m.insert("offers".into(), o);
    }
    Value::Object(m)
}

/// The JSON-LD of an offering's page.
pub fn offering_page(
    id: &str,
    name: &str,
    summary: &str,
    s: &OfferingSpec,
    provider: Option<&Provider<'_>>,
) -> Value {
    let mut v = service(id, name, summary, s, provider);
    if let Some(m) = v.as_object_mut() {
        m.insert("@context".into(), json!("https://schema.org"));
    }
    v
}

/// The JSON-LD of a co-op's page: its `Organization` and each offering's `Service`.
pub fn coop_page(
    provider: &Provider<'_>,
    summary: &str,
    offerings: &[(String, String, String, OfferingSpec)],
) -> Value {
    let mut org = organization(provider);
    if let Some(m) = org.as_object_mut()
        && !summary.is_empty()
    {
        m.insert("description".into(), json!(summary));
    }
    let mut graph = vec![org];
    for (id, name, summary, spec) in offerings {
        let mut s = service(id, name, summary, spec, None);
        if let Some(m) = s.as_object_mut() {
            m.insert("provider".into(), json!({ "@id": provider.id }));
        }
        graph.push(s);
    }
    json!({ "@context": "https://schema.org", "@graph": graph })
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` escaped,
/// so no text of a listing can end the element.
pub fn script_text(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_says_what_the_listing_states() {
        let l = super::super::export::tests::sample();
        let p = Provider {
            id: "https://dir.example/actors/nordcoop",
            name: "Nord </script> Coop",
            website: Some("https://nord.example/"),
            country: Some("DE"),
        };
        let bbb = offering_page(
            "https://dir.example/actors/nord_bbb",
            "Nord BBB",
            "",
            &l.offerings[0].spec,
            Some(&p),
        );
        assert_eq!(bbb["@type"], "Service");
        assert_eq!(bbb["provider"]["@type"], "Organization");
        assert_eq!(bbb["availableLanguage"], json!(["de", "da"]));
        assert_eq!(bbb["areaServed"][1]["name"], "DK");
        assert_eq!(bbb["offers"]["priceSpecification"]["price"], "12.50");
        assert_eq!(bbb["offers"]["priceSpecification"]["priceCurrency"], "EUR");
        assert_eq!(
            bbb["offers"]["availability"],
            "https://schema.org/BackOrder"
        );
        let jitsi = offering_page(
            "https://dir.example/actors/nord_jitsi",
            "Nord Jitsi",
            "",
            &l.offerings[1].spec,
            Some(&p),
        );
        assert!(
            jitsi.get("offers").is_none(),
            "a price not stated is not offered: {jitsi}"
        );
        assert!(!script_text(&bbb).contains("</script"));
    }
}
