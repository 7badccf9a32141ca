//! Compatible alternatives to an offering: what a member of a sunsetting or closed service
//! could move to. Every listed offering gets a score over the attributes members compare
//! on, relative to the offering they leave, and each point is explained in words ("same
//! platform (BigBlueButton), recording, German support; higher price").
//!
//! The score never looks at popularity (followers, age, size of the co-op), so a small
//! new co-op competes on equal terms; ties are broken by the same daily rotation as the
//! directory's fair order (`search::fair_key`), so no provider is always first. Closed,
//! transferred, hidden, suspended and pending listings are never suggested.
//!
//! `assess` and `rank` are pure functions over typed attributes; `for_offering` loads
//! them from the database, for local and remote listings alike.

use super::{
    DomainError, DomainResult,
    listing::{OfferingSpec, Price},
    search::{self, Listing},
    types::*,
};
use crate::db::entities::actor;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::{cmp::Ordering, str::FromStr};
use url::Url;

/// Most alternatives one request returns.
pub const MAX_LIMIT: usize = 50;

/// How the attributes that matter for a comparison look for one offering.
#[derive(Debug, Clone, Copy)]
pub struct Profile<'a> {
    pub spec: &'a OfferingSpec,
    pub coop_form: Option<CoopForm>,
    pub status: Status,
}

/// A listing that could be suggested.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The actor id URL: the key of the fair tie-break.
    pub ap_id: &'a str,
    pub profile: Profile<'a>,
    /// The offering being left names this one as its successor (`movedTo`).
    pub successor: bool,
}

/// The score of a candidate and why: `reasons` in favour, then `drawbacks`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    pub score: i32,
    pub reasons: Vec<String>,
    pub drawbacks: Vec<String>,
}

impl Assessment {
    fn plus(&mut self, points: i32, why: impl Into<String>) {
        self.score += points;
        self.reasons.push(why.into());
    }

    fn minus(&mut self, points: i32, why: impl Into<String>) {
        self.score -= points;
        self.drawbacks.push(why.into());
    }

    /// "same platform (BigBlueButton), recording; higher price".
    pub fn summary(&self) -> String {
        match (self.reasons.is_empty(), self.drawbacks.is_empty()) {
            (_, true) => self.reasons.join(", "),
            (true, false) => self.drawbacks.join(", "),
            (false, false) => format!("{}; {}", self.reasons.join(", "), self.drawbacks.join(", ")),
        }
    }
}

/// English name of a language tag, for reasons: `de` → German, `pt-BR` → Portuguese (BR).
pub fn language_name(tag: &str) -> String {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    let name = match primary.as_str() {
        "ar" => "Arabic",
        "bg" => "Bulgarian",
        "ca" => "Catalan",
        "cs" => "Czech",
        "cy" => "Welsh",
        "da" => "Danish",
        "de" => "German",
        "el" => "Greek",
        "en" => "English",
        "eo" => "Esperanto",
        "es" => "Spanish",
        "et" => "Estonian",
        "eu" => "Basque",
        "fa" => "Persian",
        "fi" => "Finnish",
        "fr" => "French",
        "ga" => "Irish",
        "gl" => "Galician",
        "he" => "Hebrew",
        "hi" => "Hindi",
        "hr" => "Croatian",
        "hu" => "Hungarian",
        "id" => "Indonesian",
        "it" => "Italian",
        "ja" => "Japanese",
        "ko" => "Korean",
        "lt" => "Lithuanian",
        "lv" => "Latvian",
        "nb" | "nn" | "no" => "Norwegian",
        "nl" => "Dutch",
        "pl" => "Polish",
        "pt" => "Portuguese",
        "ro" => "Romanian",
        "ru" => "Russian",
        "sk" => "Slovak",
        "sl" => "Slovenian",
        "sr" => "Serbian",
        "sv" => "Swedish",
        "sw" => "Swahili",
        "tr" => "Turkish",
        "uk" => "Ukrainian",
        "vi" => "Vietnamese",
        "zh" => "Chinese",
        _ => return tag.to_string(),
    };
    match parts.find(|p| p.len() == 2) {
        Some(region) => format!("{name} ({})", region.to_ascii_uppercase()),
        None => name.to_string(),
    }
}

/// Two tags name the same language when their primary subtags agree (`de`, `de-AT`).
fn same_language(a: &Language, b: &Language) -> bool {
    let primary = |l: &Language| {
        l.as_str()
            .split('-')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    primary(a) == primary(b)
}

/// Language names in the order of `of`, each once, that `other` shares.
fn shared_languages(of: &[Language], other: &[Language]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in of {
        let name = language_name(l.as_str());
        if other.iter().any(|m| same_language(l, m)) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// "German", "English and German", "English, German and French".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn language_names(of: &[Language]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in of {
        let name = language_name(l.as_str());
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The monthly price in hundredths, when it can be compared: free and pay-what-you-can
/// without a suggested amount cost 0; a yearly amount counts a twelfth per month; one-off
/// and per-event prices, and paid models without an amount, are not compared.
fn monthly_cents(p: &Price) -> Option<(u64, Option<&Currency>)> {
    if p.model == PriceModel::Free {
        return Some((0, None));
    }
    match (&p.amount, &p.currency, p.period) {
        (Some(a), Some(c), Some(PricePeriod::Month)) => Some((a.cents(), Some(c))),
        (Some(a), Some(c), Some(PricePeriod::Year)) => Some((a.cents() / 12, Some(c))),
        (None, _, _) if p.model == PriceModel::PayWhatYouCan => Some((0, None)),
        _ => None,
    }
}

/// Compare two prices: `Some(Less)` when `b` costs less than `a`.
fn compare_prices(a: &Price, b: &Price) -> Option<Ordering> {
    let (ac, acur) = monthly_cents(a)?;
    let (bc, bcur) = monthly_cents(b)?;
    // Amounts in different currencies are not compared; nothing costs less than zero.
    let comparable = ac == 0 || bc == 0 || acur == bcur;
    comparable.then(|| bc.cmp(&ac))
}

/// Score `c` as a replacement for `target`, with reasons. Points (documented in
/// docs/api.md): successor 100; same platform 30, or 10 for covering every feature on
/// another platform; 4 per shared feature, −5 per missing one; 6 per shared support
/// language (−8 when none is shared); 2 per shared interface language (−6 when none);
/// same jurisdiction 6; shared data location 6 (−3 when elsewhere); enough capacity 5
/// (−6 per smaller dimension); lower price 6, same price 3, same price model 3, higher
/// price −6; same co-op form 3; open registration 6, waitlist −3, closed −15; not free
/// software −5; longer notice 2; sunsetting −25.
pub fn assess(target: &Profile, c: &Candidate) -> Assessment {
    let t = target.spec;
    let o = c.profile.spec;
    let mut a = Assessment::default();

    if c.successor {
        a.plus(100, "named as its successor");
    }

    // Platform and features.
    let missing: Vec<Feature> = t.features.difference(&o.features).copied().collect();
    if t.platform == o.platform {
        a.plus(30, format!("same platform ({})", t.platform.label()));
    } else if !t.features.is_empty() && missing.is_empty() {
        a.plus(10, "covers all its features");
    }
    for f in t.features.intersection(&o.features) {
        a.plus(4, f.label());
    }

    // Support languages: what a member needs when something goes wrong.
    let support = shared_languages(&t.support_languages.0, &o.support_languages.0);
    for name in &support {
        a.plus(6, format!("{name} support"));
    }

    // Interface languages.
    let interface = shared_languages(&t.languages.0, &o.languages.0);
    if !interface.is_empty() {
        a.plus(
            2 * interface.len() as i32,
            format!("interface in {}", and_list(&interface)),
        );
    }

    // Law and data.
    if let Some(j) = &t.jurisdiction
        && o.jurisdiction.as_ref() == Some(j)
    {
        a.plus(6, format!("same jurisdiction ({j})"));
    }
    let shared_data: Vec<String> = t
        .data_location
        .0
        .iter()
        .filter(|c| o.data_location.0.contains(c))
        .map(|c| c.to_string())
        .collect();
    if !shared_data.is_empty() {
        a.plus(6, format!("data stored in {}", and_list(&shared_data)));
    }

    // Capacity: every dimension both give must be at least the target's.
    let mut enough = 0;
    let mut short = Vec::new();
    if let (Some(tp), Some(op)) = (t.participants_per_room, o.participants_per_room) {
        if op >= tp {
            enough += 1;
        } else {
            short.push(format!("smaller rooms ({} vs {} participants)", op.0, tp.0));
        }
    }
    if let (Some(tr), Some(or)) = (t.concurrent_rooms, o.concurrent_rooms) {
        if or >= tr {
            enough += 1;
        } else {
            short.push(format!("fewer concurrent rooms ({} vs {})", or.0, tr.0));
        }
    }
    if enough > 0 && short.is_empty() {
        a.plus(5, "enough capacity");
    }

    // Price.
    let price = compare_prices(&t.price, &o.price);
    match price {
        Some(Ordering::Less) => a.plus(6, "lower price"),
        Some(Ordering::Equal) => a.plus(3, "same price"),
        Some(Ordering::Greater) => {}
        None if t.price.model == o.price.model => {
            a.plus(3, format!("same price model ({})", o.price.model.label()))
        }
        None => {}
    }

    // Co-op form.
    if let (Some(tf), Some(of)) = (target.coop_form, c.profile.coop_form)
        && tf == of
    {
        a.plus(3, format!("also a {}", of.label()));
    }

    // Registration.
    if o.registration == Registration::Open {
        a.plus(6, "open registration");
    }

    // Notice promised before closing.
    if o.notice_days.0 > t.notice_days.0 {
        a.plus(2, format!("longer notice ({} days)", o.notice_days.0));
    }

    // Drawbacks, in the same order.
    for f in &missing {
        a.minus(5, format!("no {}", f.label()));
    }
    if !t.support_languages.0.is_empty() && support.is_empty() {
        a.minus(
            8,
            format!(
                "no support in {}",
                language_names(&t.support_languages.0).join(" or ")
            ),
        );
    }
    if !t.languages.0.is_empty() && interface.is_empty() {
        a.minus(
            6,
            format!(
                "interface not in {}",
                language_names(&t.languages.0).join(" or ")
            ),
        );
    }
    if !t.data_location.0.is_empty() && !o.data_location.0.is_empty() && shared_data.is_empty() {
        let theirs: Vec<String> = o.data_location.0.iter().map(|c| c.to_string()).collect();
        a.minus(3, format!("data stored in {}", and_list(&theirs)));
    }
    for s in short {
        a.minus(6, s);
    }
    if price == Some(Ordering::Greater) {
        a.minus(6, "higher price");
    }
    match o.registration {
        Registration::Waitlist => a.minus(3, "waitlist"),
        Registration::Closed => a.minus(15, "registration closed"),
        Registration::Open | Registration::MembersOnly | Registration::NotStated => {}
    }
    if !o.free_software {
        a.minus(5, "not free software");
    }
    if c.profile.status == Status::Sunsetting {
        a.minus(25, "is sunsetting");
    }
    a
}

/// Whether a listing may be suggested at all, by lifecycle.
fn suggestible(s: Status) -> bool {
    matches!(s, Status::Active | Status::Sunsetting)
}

/// Candidates with a positive score, best first; equal scores in the fair order of `day`.
pub fn rank<'a>(
    target: &Profile,
    candidates: impl IntoIterator<Item = Candidate<'a>>,
    day: i64,
) -> Vec<(Candidate<'a>, Assessment)> {
    let mut out: Vec<(u64, Candidate<'a>, Assessment)> = candidates
        .into_iter()
        .filter(|c| suggestible(c.profile.status))
        .map(|c| (search::fair_key(c.ap_id, day), c, assess(target, &c)))
        .filter(|(_, _, a)| a.score > 0)
        .collect();
    out.sort_by(|x, y| {
        y.2.score
            .cmp(&x.2.score)
            .then(x.0.cmp(&y.0))
            .then(x.1.ap_id.cmp(y.1.ap_id))
    });
    out.into_iter().map(|(_, c, a)| (c, a)).collect()
}

/// Co-ops that are going away (sunsetting, closed, transferred) or suspended: none of
/// their offerings is a help to members who must move.
pub async fn closing_coop_rows<C: ConnectionTrait>(db: &C) -> DomainResult<Vec<actor::Model>> {
    Ok(actor::Entity::find()
        .filter(actor::Column::Kind.eq(ActorKind::Coop))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| {
            c.status != Status::Active
                || c.moderation == Moderation::Suspended
                || c.moved_to.is_some()
        })
        .collect())
}

/// The actor ids of the co-ops of `closing_coop_rows`.
pub async fn closing_coops<C: ConnectionTrait>(
    db: &C,
) -> DomainResult<std::collections::HashSet<String>> {
    Ok(closing_coop_rows(db)
        .await?
        .into_iter()
        .map(|c| c.ap_id)
        .collect())
}

/// True when `l` may be suggested: its co-op is not going away.
pub(crate) fn not_of_a_going_coop(
    l: &Listing,
    closing: &std::collections::HashSet<String>,
) -> bool {
    l.coop.as_ref().is_none_or(|c| !closing.contains(&c.ap_id))
}

/// Which offering to find alternatives for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferingRef {
    /// A row id, for callers inside the node.
    Id(i64),
    /// The actor id (or profile URL) of a local or remote offering.
    Url(Url),
    /// `name@domain`.
    Handle { username: String, domain: String },
}

impl FromStr for OfferingRef {
    type Err = crate::i18n::Msg;

    /// An `http(s)` actor URL, or a handle `name@domain` (with an optional leading `@` or
    /// `acct:`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.starts_with("http://") || s.starts_with("https://") {
            let url = Url::parse(s).map_err(|e| {
                crate::msg!("error-offering-ref-url", value = s, reason = e.to_string())
            })?;
            return Ok(OfferingRef::Url(url));
        }
        let h = s.trim_start_matches("acct:").trim_start_matches('@');
        match h.split_once('@') {
            Some((name, domain))
                if !name.is_empty()
                    && !domain.is_empty()
                    && !h.contains(char::is_whitespace)
                    && !domain.contains(['@', '/']) =>
            {
                Ok(OfferingRef::Handle {
                    username: name.to_string(),
                    domain: domain.to_ascii_lowercase(),
                })
            }
            _ => Err(crate::msg!("error-offering-ref", value = s)),
        }
    }
}

impl From<i64> for OfferingRef {
    fn from(id: i64) -> Self {
        OfferingRef::Id(id)
    }
}

impl std::fmt::Display for OfferingRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OfferingRef::Id(id) => write!(f, "#{id}"),
            OfferingRef::Url(u) => write!(f, "{u}"),
            OfferingRef::Handle { username, domain } => write!(f, "{username}@{domain}"),
        }
    }
}

/// One suggested alternative.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Alternative {
    pub actor: String,
    pub handle: String,
    pub name: String,
    pub coop: Option<String>,
    pub coop_name: Option<String>,
    pub platform: String,
    pub status: String,
    pub local: bool,
    pub score: i32,
    /// Reasons in favour, then drawbacks, each a short phrase.
    pub reasons: Vec<String>,
    /// The reasons as one line: "in favour; drawbacks".
    pub summary: String,
}

/// The offering alternatives were asked for, and the alternatives, best first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Alternatives {
    pub offering: Alternative,
    pub items: Vec<Alternative>,
}

fn alternative(l: &Listing, a: &Assessment) -> Alternative {
    Alternative {
        actor: l.actor.ap_id.clone(),
        handle: l.handle(),
        name: l.actor.name.clone(),
        coop: l.coop.as_ref().map(|c| c.ap_id.clone()),
        coop_name: l.coop.as_ref().map(|c| c.name.clone()),
        platform: l.spec.platform.to_string(),
        status: l.status.to_string(),
        local: l.actor.local,
        score: a.score,
        reasons: a.reasons.iter().chain(&a.drawbacks).cloned().collect(),
        summary: a.summary(),
    }
}

fn profile(l: &Listing) -> Profile<'_> {
    Profile {
        spec: &l.spec,
        coop_form: l.coop.as_ref().and_then(|c| c.form),
        status: l.status,
    }
}

/// Find the offering `target` names, whatever its moderation state or lifecycle.
async fn find_target<C: ConnectionTrait>(
    db: &C,
    target: &OfferingRef,
) -> DomainResult<actor::Model> {
    let found = match target {
        OfferingRef::Id(id) => actor::Entity::find_by_id(*id).one(db).await?,
        OfferingRef::Url(u) => {
            actor::Entity::find()
                .filter(
                    Condition::any()
                        .add(actor::Column::ApId.eq(u.as_str()))
                        .add(actor::Column::Url.eq(u.as_str())),
                )
                .filter(actor::Column::Kind.eq(ActorKind::Offering))
                .one(db)
                .await?
        }
        OfferingRef::Handle { username, domain } => {
            actor::Entity::find()
                .filter(actor::Column::Username.eq(username.as_str()))
                .filter(actor::Column::Domain.eq(domain.as_str()))
                .filter(actor::Column::Kind.eq(ActorKind::Offering))
                .one(db)
                .await?
        }
    };
    match found {
        Some(a) if a.kind == ActorKind::Offering => Ok(a),
        _ => Err(DomainError::NotFound(crate::msg!(
            "error-alternatives-unknown",
            target = target.to_string()
        ))),
    }
}

/// Up to `limit` (at most `MAX_LIMIT`) compatible alternatives to an offering, best first.
/// `NotFound` when the directory knows no such offering.
pub async fn for_offering<C: ConnectionTrait>(
    db: &C,
    caches: &search::Caches,
    target: &OfferingRef,
    limit: usize,
) -> DomainResult<Alternatives> {
    let model = find_target(db, target).await?;
    let target = search::listing_of(db, model).await?;
    let listings = search::load_listings(db, caches, true).await?;
    let successor = target.actor.moved_to.as_deref();
    let closing = closing_coops(db).await?;
    let candidates = listings
        .iter()
        .filter(|l| l.actor.id != target.actor.id)
        .filter(|l| not_of_a_going_coop(l, &closing))
        .map(|l| Candidate {
            ap_id: &l.actor.ap_id,
            profile: profile(l),
            successor: successor == Some(l.actor.ap_id.as_str()),
        });
    let by_id: std::collections::HashMap<&str, &Listing> = listings
        .iter()
        .map(|l| (l.actor.ap_id.as_str(), l))
        .collect();
    let items = rank(&profile(&target), candidates, search::today())
        .into_iter()
        .take(limit.min(MAX_LIMIT))
        .filter_map(|(c, a)| by_id.get(c.ap_id).map(|l| alternative(l, &a)))
        .collect();
    Ok(Alternatives {
        offering: alternative(&target, &Assessment::default()),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::listing::ListingDocument;

    /// Offerings of one document, by handle.
    fn specs() -> Vec<OfferingSpec> {
        let doc = r#"
[coop]
handle = "c"
name = "C"
form = "worker"

[[offerings]]
handle = "target"
name = "Target BBB"
platform = "bigbluebutton"
features = ["recording", "breakout-rooms", "shared-notes"]
participants_per_room = 100
price = { model = "membership", amount = "9.00", currency = "EUR", period = "month" }
languages = ["en", "de"]
support_languages = ["de"]
jurisdiction = "DE"
data_location = ["DE"]
registration = "members-only"

[[offerings]]
handle = "twin"
name = "Twin BBB"
platform = "bigbluebutton"
features = ["recording", "breakout-rooms", "shared-notes", "polls"]
participants_per_room = 150
price = { model = "subscription", amount = "15.00", currency = "EUR", period = "month" }
languages = ["de"]
support_languages = ["de", "en"]
jurisdiction = "DE"
data_location = ["DE"]
registration = "open"

[[offerings]]
handle = "cheap"
name = "Cheap BBB"
platform = "bigbluebutton"
features = ["recording"]
participants_per_room = 50
price = { model = "pay-what-you-can" }
languages = ["en"]
support_languages = ["en"]
data_location = ["FR"]
registration = "waitlist"

[[offerings]]
handle = "jitsi"
name = "Jitsi"
platform = "jitsi"
features = ["recording", "breakout-rooms", "shared-notes", "e2ee"]
price = { model = "membership", amount = "108", currency = "EUR", period = "year" }
languages = ["de"]
support_languages = ["de"]
jurisdiction = "DE"
data_location = ["DE"]
registration = "members-only"
notice_days = 180

[[offerings]]
handle = "far"
name = "Far away"
platform = "galene"
price = { model = "subscription", amount = "20", currency = "USD", period = "month" }
languages = ["ja"]
support_languages = ["ja"]
data_location = ["JP"]
registration = "closed"
free_software = false
"#;
        ListingDocument::parse("t.toml", doc).unwrap().offerings
    }

    fn prof(spec: &OfferingSpec, form: Option<CoopForm>, status: Status) -> Profile<'_> {
        Profile {
            spec,
            coop_form: form,
            status,
        }
    }

    #[test]
    fn reasons_explain_every_point() {
        let s = specs();
        let target = prof(&s[0], Some(CoopForm::Worker), Status::Active);
        let twin = Candidate {
            ap_id: "https://n/actors/twin",
            profile: prof(&s[1], Some(CoopForm::Worker), Status::Active),
            successor: false,
        };
        let a = assess(&target, &twin);
        assert_eq!(
            a.reasons,
            vec![
                "same platform (BigBlueButton)",
                "recording",
                "breakout rooms",
                "shared notes",
                "German support",
                "interface in German",
                "same jurisdiction (DE)",
                "data stored in DE",
                "enough capacity",
                "also a worker co-op",
                "open registration",
            ]
        );
        assert_eq!(a.drawbacks, vec!["higher price"]);
        assert_eq!(a.score, 30 + 12 + 6 + 2 + 6 + 6 + 5 + 3 + 6 - 6);
        assert!(
            a.summary()
                .starts_with("same platform (BigBlueButton), recording, breakout rooms")
        );
        assert!(a.summary().ends_with("open registration; higher price"));

        // Another platform that covers every feature, at the same monthly price (yearly).
        let jitsi = Candidate {
            ap_id: "https://n/actors/jitsi",
            profile: prof(&s[3], None, Status::Active),
            successor: false,
        };
        let a = assess(&target, &jitsi);
        assert_eq!(
            a.reasons,
            vec![
                "covers all its features",
                "recording",
                "breakout rooms",
                "shared notes",
                "German support",
                "interface in German",
                "same jurisdiction (DE)",
                "data stored in DE",
                "same price",
                "longer notice (180 days)",
            ]
        );
        assert!(a.drawbacks.is_empty(), "{:?}", a.drawbacks);

        let cheap = Candidate {
            ap_id: "https://n/actors/cheap",
            profile: prof(&s[2], None, Status::Sunsetting),
            successor: false,
        };
        let a = assess(&target, &cheap);
        assert_eq!(
            a.reasons,
            vec![
                "same platform (BigBlueButton)",
                "recording",
                "interface in English",
                "lower price"
            ]
        );
        assert_eq!(
            a.drawbacks,
            vec![
                "no breakout rooms",
                "no shared notes",
                "no support in German",
                "data stored in FR",
                "smaller rooms (50 vs 100 participants)",
                "waitlist",
                "is sunsetting",
            ]
        );
    }

    #[test]
    fn rank_orders_by_score_and_leaves_out_what_cannot_be_joined() {
        let s = specs();
        let target = prof(&s[0], Some(CoopForm::Worker), Status::Active);
        let cand = |ap_id, i: usize, status| Candidate {
            ap_id,
            profile: prof(&s[i], None, status),
            successor: false,
        };
        let ranked = rank(
            &target,
            vec![
                cand("https://n/actors/far", 4, Status::Active),
                cand("https://n/actors/cheap", 2, Status::Active),
                cand("https://n/actors/jitsi", 3, Status::Active),
                cand("https://n/actors/twin", 1, Status::Active),
                cand("https://n/actors/twin_closed", 1, Status::Closed),
                cand("https://n/actors/twin_moved", 1, Status::Transferred),
            ],
            20_000,
        );
        let order: Vec<&str> = ranked.iter().map(|(c, _)| c.ap_id).collect();
        // "far" shares nothing and scores below zero: not compatible.
        assert_eq!(
            order,
            vec![
                "https://n/actors/twin",
                "https://n/actors/jitsi",
                "https://n/actors/cheap"
            ]
        );

        // A named successor comes first whatever else it offers.
        let mut succ = cand("https://n/actors/cheap", 2, Status::Active);
        succ.successor = true;
        let ranked = rank(
            &target,
            vec![cand("https://n/actors/twin", 1, Status::Active), succ],
            20_000,
        );
        assert_eq!(ranked[0].0.ap_id, "https://n/actors/cheap");
        assert_eq!(ranked[0].1.reasons[0], "named as its successor");
    }

    #[test]
    fn ties_rotate_fairly() {
        let s = specs();
        let target = prof(&s[0], None, Status::Active);
        let ids: Vec<String> = (0..8)
            .map(|i| format!("https://n{i}/actors/twin"))
            .collect();
        let firsts: std::collections::BTreeSet<&str> = (0..40)
            .map(|day| {
                let ranked = rank(
                    &target,
                    ids.iter().map(|id| Candidate {
                        ap_id: id,
                        profile: prof(&s[1], None, Status::Active),
                        successor: false,
                    }),
                    20_000 + day,
                );
                assert_eq!(ranked.len(), 8);
                ranked[0].0.ap_id
            })
            .collect();
        assert!(firsts.len() >= 4, "always the same first: {firsts:?}");
    }

    #[test]
    fn offering_refs_parse() {
        assert_eq!(
            "https://n.example/actors/x".parse::<OfferingRef>().unwrap(),
            OfferingRef::Url(Url::parse("https://n.example/actors/x").unwrap())
        );
        assert_eq!(
            "@x@N.example".parse::<OfferingRef>().unwrap(),
            OfferingRef::Handle {
                username: "x".into(),
                domain: "n.example".into()
            }
        );
        assert!("not an actor".parse::<OfferingRef>().is_err());
        assert!("x".parse::<OfferingRef>().is_err());
        assert!("https://".parse::<OfferingRef>().is_err());
        assert_eq!(language_name("pt-BR"), "Portuguese (BR)");
        assert_eq!(language_name("qaa"), "qaa");
    }
}
