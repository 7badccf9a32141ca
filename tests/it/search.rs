//! Search and alternatives against real nodes: facet filters and counts on a generated
//! corpus, text ranking, the fair order, compatible alternatives with their reasons, and
//! the API's refusals. Runs on SQLite and, with `COOPDIR_TEST_POSTGRES`, on PostgreSQL.

use crate::common::*;
use coopdir::{
    db::entities::actor,
    directory::search::{self, fair_key, today},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

async fn get(node: &TestNode, path_and_query: &str) -> (u16, Value) {
    let res = http()
        .get(node.url(path_and_query))
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    let body = res.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// Set a column of the actors `usernames` directly, as moderation or the lifecycle would
/// (they also set `updated_at`, which tells the directory's snapshot to refresh).
async fn set(node: &TestNode, column: actor::Column, value: &str, usernames: &[&str]) {
    let n = actor::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .col_expr(actor::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .filter(actor::Column::Local.eq(true))
        .filter(actor::Column::Username.is_in(usernames.iter().copied()))
        .exec(&node.state.db)
        .await
        .expect("update")
        .rows_affected;
    assert_eq!(n, usernames.len() as u64);
}

fn handles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            let h = i["handle"].as_str().expect("handle");
            h.split('@').next().unwrap_or(h).to_string()
        })
        .collect()
}

// --- The corpus -----------------------------------------------------------------------

const PLATFORMS: [&str; 4] = ["bigbluebutton", "jitsi", "galene", "nextcloud-talk"];
const FEATURES: [&str; 6] = [
    "recording",
    "breakout-rooms",
    "shared-notes",
    "whiteboard",
    "polls",
    "dial-in",
];
const FORMS: [&str; 6] = [
    "worker",
    "consumer",
    "multi-stakeholder",
    "federation-member",
    "platform",
    "worker",
];
const JURISDICTIONS: [&str; 4] = ["DE", "FR", "GB", "NL"];
const PRICES: [&str; 3] = ["free", "pay-what-you-can", "membership"];
const REGISTRATIONS: [&str; 3] = ["open", "members-only", "waitlist"];
const CLOSED: [usize; 3] = [7, 19, 33];
const SUNSETTING: usize = 41;
const HIDDEN: usize = 50;

/// What the test knows of offering `i`, independent of the node's code.
#[derive(Debug, Clone)]
struct Known {
    i: usize,
    platform: &'static str,
    features: Vec<&'static str>,
    languages: Vec<&'static str>,
    countries: BTreeSet<&'static str>,
    price: &'static str,
    registration: &'static str,
    form: &'static str,
    status: &'static str,
}

fn known(i: usize) -> Known {
    let mut features: Vec<&str> = (0..6)
        .filter(|j| (i >> j) & 1 == 1)
        .map(|j| FEATURES[j])
        .collect();
    features.push("chat");
    let mut languages = match i % 3 {
        0 => vec!["en"],
        1 => vec!["de", "en"],
        _ => vec!["fr"],
    };
    if i.is_multiple_of(5) {
        languages.push("pt-BR");
    }
    let data = if i.is_multiple_of(2) { "DE" } else { "FI" };
    Known {
        i,
        platform: PLATFORMS[i % 4],
        features,
        languages,
        countries: [JURISDICTIONS[i % 4], data].into_iter().collect(),
        price: PRICES[i % 3],
        registration: REGISTRATIONS[(i / 2) % 3],
        form: FORMS[i / 10],
        status: if CLOSED.contains(&i) {
            "closed"
        } else if i == SUNSETTING {
            "sunsetting"
        } else {
            "active"
        },
    }
}

fn handle(i: usize) -> String {
    format!("corpus_{i:02}")
}

/// Six co-ops of ten offerings each.
fn corpus_documents() -> Vec<String> {
    (0..6)
        .map(|c| {
            let offerings: Vec<Value> = (c * 10..c * 10 + 10)
                .map(|i| {
                    let k = known(i);
                    let price = match k.price {
                        "membership" => json!({"model": "membership", "amount": "5.00", "currency": "EUR", "period": "month"}),
                        m => json!({ "model": m }),
                    };
                    let (ui, support): (Vec<&str>, Vec<&str>) =
                        k.languages.iter().partition(|l| **l != "pt-BR");
                    json!({
                        "handle": handle(i),
                        "name": format!("Corpus Offering {i:02}"),
                        "summary": format!("Video rooms, number {i}."),
                        "platform": k.platform,
                        "features": k.features,
                        "participants_per_room": 10 + i,
                        "price": price,
                        "languages": ui,
                        "support_languages": support,
                        "jurisdiction": JURISDICTIONS[i % 4],
                        "data_location": [if i.is_multiple_of(2) { "DE" } else { "FI" }],
                        "registration": k.registration,
                    })
                })
                .collect();
            json!({
                "coop": {
                    "handle": format!("corpuscoop_{c}"),
                    "name": format!("Corpus Co-op {c}"),
                    "form": FORMS[c * 10 / 10],
                    "country": "DE",
                },
                "offerings": offerings,
            })
            .to_string()
        })
        .collect()
}

/// Which known offerings a query should find.
type Keep = Box<dyn Fn(&Known) -> bool>;

/// The facets the node should report for the listed offerings that pass `keep`.
fn expected(keep: impl Fn(&Known) -> bool) -> (u64, Value) {
    let mut facets: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    for name in [
        "platform",
        "feature",
        "language",
        "country",
        "price",
        "registration",
        "form",
        "status",
    ] {
        facets.insert(name, BTreeMap::new());
    }
    let mut total = 0;
    for k in (0..60)
        .filter(|i| *i != HIDDEN)
        .map(known)
        .filter(|k| keep(k))
    {
        total += 1;
        let mut bump = |facet: &str, v: &str| {
            *facets
                .get_mut(facet)
                .unwrap()
                .entry(v.to_string())
                .or_default() += 1
        };
        bump("platform", k.platform);
        for f in &k.features {
            bump("feature", f);
        }
        for l in &k.languages {
            bump("language", l);
        }
        for c in &k.countries {
            bump("country", c);
        }
        bump("price", k.price);
        bump("registration", k.registration);
        bump("form", k.form);
        bump("status", k.status);
    }
    (total, serde_json::to_value(facets).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facet_filters_counts_paging_and_the_fair_order() {
    let node = TestNode::start().await;
    for (n, doc) in corpus_documents().iter().enumerate() {
        node.import(&format!("corpus{n}.json"), doc).await;
    }
    let closed: Vec<String> = CLOSED.iter().map(|i| handle(*i)).collect();
    let closed: Vec<&str> = closed.iter().map(String::as_str).collect();
    set(&node, actor::Column::Status, "closed", &closed).await;
    set(
        &node,
        actor::Column::Status,
        "sunsetting",
        &[&handle(SUNSETTING)],
    )
    .await;
    set(
        &node,
        actor::Column::Moderation,
        "hidden",
        &[&handle(HIDDEN)],
    )
    .await;

    let cases: Vec<(&str, Keep)> = vec![
        ("", Box::new(|_| true)),
        ("platform=jitsi", Box::new(|k| k.platform == "jitsi")),
        (
            "feature=recording,polls",
            Box::new(|k| k.features.contains(&"recording") && k.features.contains(&"polls")),
        ),
        ("language=de", Box::new(|k| k.languages.contains(&"de"))),
        ("language=pt", Box::new(|k| k.languages.contains(&"pt-BR"))),
        ("country=fi", Box::new(|k| k.countries.contains("FI"))),
        (
            "price=free&registration=open",
            Box::new(|k| k.price == "free" && k.registration == "open"),
        ),
        ("form=worker", Box::new(|k| k.form == "worker")),
        ("status=closed", Box::new(|k| k.status == "closed")),
        (
            "status=active,sunsetting",
            Box::new(|k| k.status != "closed"),
        ),
        (
            "platform=bigbluebutton,galene&feature=whiteboard&language=en",
            Box::new(|k| {
                ["bigbluebutton", "galene"].contains(&k.platform)
                    && k.features.contains(&"whiteboard")
                    && k.languages.contains(&"en")
            }),
        ),
        (
            "country=NL&form=consumer&platform=",
            Box::new(|k| k.countries.contains("NL") && k.form == "consumer"),
        ),
    ];
    for (query, keep) in &cases {
        let (status, body) = get(&node, &format!("/api/v1/offerings?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        let (total, facets) = expected(keep);
        assert_eq!(body["total"], total, "total of {query}");
        assert_eq!(body["facets"], facets, "facets of {query}");
        assert_eq!(
            body["items"].as_array().unwrap().len() as u64,
            total.min(50),
            "{query}"
        );
    }

    // Paging: 59 listed (one is hidden), 50 then 9, each exactly once.
    let (_, p1) = get(&node, "/api/v1/offerings").await;
    let (_, p2) = get(&node, "/api/v1/offerings?page=2").await;
    let (_, p3) = get(&node, "/api/v1/offerings?page=3").await;
    assert_eq!(
        (p1["page"].clone(), p2["page"].clone()),
        (json!(1), json!(2))
    );
    assert_eq!(p2["items"].as_array().unwrap().len(), 9);
    assert_eq!(p3["items"].as_array().unwrap().len(), 0);
    assert_eq!(p3["total"], 59);
    let all: Vec<String> = handles(&p1).into_iter().chain(handles(&p2)).collect();
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), 59);
    assert!(!unique.contains(&handle(HIDDEN)));

    // Lifecycle first: the 55 active, then the sunsetting one, then the 3 closed.
    assert_eq!(all[55], handle(SUNSETTING));
    let tail: BTreeSet<&str> = all[56..].iter().map(String::as_str).collect();
    assert_eq!(tail, closed.iter().copied().collect());

    // The fair order: not the order of creation, stable between calls, and exactly the
    // documented daily rotation.
    let created: Vec<String> = (0..60)
        .filter(|i| *i != HIDDEN && !CLOSED.contains(i) && *i != SUNSETTING)
        .map(handle)
        .collect();
    assert_ne!(all[..55].to_vec(), created);
    let (_, again) = get(&node, "/api/v1/offerings").await;
    assert_eq!(handles(&again), handles(&p1));
    let mut rotated = created.clone();
    let day = today();
    rotated.sort_by_key(|h| fair_key(&node.url(&format!("/actors/{h}")), day));
    assert_eq!(all[..55].to_vec(), rotated);

    // Items carry what INTERFACE.md promises.
    let item = &p1["items"][0];
    for k in [
        "actor", "handle", "name", "coop", "platform", "status", "local",
    ] {
        assert!(item.get(k).is_some(), "item lacks {k}: {item}");
    }
    assert_eq!(item["local"], true);
    assert!(
        item["coop"]
            .as_str()
            .unwrap()
            .contains("/actors/corpuscoop_")
    );

    // A text query over the corpus combines with filters.
    let (_, q) = get(&node, "/api/v1/offerings?q=corpus+offering+17").await;
    assert_eq!(handles(&q), vec![handle(17)]);
    let (_, q) = get(&node, "/api/v1/offerings?q=corpus+co+op+2&platform=jitsi").await;
    let (total, _) = expected(|k| k.i / 10 == 2 && k.platform == "jitsi");
    assert_eq!(q["total"], total);
    // Imports index what they write (the hidden offering too, so that moderation needs no
    // reindex): `ensure_index` at start has nothing left to do.
    assert_eq!(
        search::ensure_index(&node.state.db, &node.state.search)
            .await
            .unwrap(),
        0
    );
}

// --- Text ranking -----------------------------------------------------------------------

const NORDLICHT: &str = r#"
[coop]
handle = "nordlicht"
name = "Nordlicht eG"
form = "consumer"

[[offerings]]
handle = "northern"
name = "Northern Video"
summary = "Rooms lit like an aurora at night, for associations."
platform = "jitsi"
price = { model = "free" }
registration = "open"

[[offerings]]
handle = "plain"
name = "Plain Calls"
summary = "Nothing more to say."
platform = "galene"
price = { model = "free" }
registration = "open"

[[offerings]]
handle = "aurora_rooms"
name = "Aurora Rooms"
summary = "Meetings for small teams."
platform = "bigbluebutton"
features = ["recording"]
price = { model = "free" }
registration = "open"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_match_ranks_above_a_mention_in_the_summary() {
    let node = TestNode::start().await;
    node.import("nordlicht.toml", NORDLICHT).await;
    node.import("meetcoop.toml", MEETCOOP).await;
    for q in ["aurora", "AURORA", "auro", "aurora+rooms"] {
        let (s, body) = get(&node, &format!("/api/v1/offerings?q={q}")).await;
        assert_eq!(s, 200);
        assert_eq!(
            handles(&body),
            vec!["aurora_rooms", "northern"],
            "q={q}: {body}"
        );
        assert_eq!(body["total"], 2);
        assert_eq!(
            body["facets"]["platform"],
            json!({"bigbluebutton": 1, "jitsi": 1})
        );
    }
    // Co-op name, platform label and feature labels are searched; diacritics are folded.
    let (_, body) = get(&node, "/api/v1/offerings?q=nordlicht").await;
    assert_eq!(body["total"], 3);
    let (_, body) = get(&node, "/api/v1/offerings?q=gal%C3%A8ne").await;
    assert_eq!(handles(&body), vec!["plain"]);
    let (_, body) = get(&node, "/api/v1/offerings?q=galene").await;
    assert_eq!(handles(&body), vec!["plain"]);
    let (_, body) = get(&node, "/api/v1/offerings?q=breakout&platform=bigbluebutton").await;
    assert_eq!(body["total"], 2, "{body}");
    let (_, body) = get(&node, "/api/v1/offerings?q=aurora+nothing").await;
    assert_eq!(body["total"], 0);
    // Words that are operators in FTS5 or tsquery syntax are only words.
    for q in [
        "AND",
        "%22aurora",
        "aurora%27)+OR+(1",
        "NEAR(a+b)",
        "a:*+%26+!b",
        "%2A",
    ] {
        let (s, _) = get(&node, &format!("/api/v1/offerings?q={q}")).await;
        assert_eq!(s, 200, "q={q}");
    }

    // A change that bypassed `reindex` is found anyway: searches repair stale rows.
    set(&node, actor::Column::Name, "Borealis Hub", &["plain"]).await;
    let (_, body) = get(&node, "/api/v1/offerings?q=borealis").await;
    assert_eq!(handles(&body), vec!["plain"]);
    // And `reindex` of a co-op rewrites its offerings' text.
    set(&node, actor::Column::Name, "Polarstern eG", &["nordlicht"]).await;
    let coop = node.local("nordlicht").await;
    search::reindex(&node.state.db, coop.id).await.unwrap();
    assert_eq!(
        search::ensure_index(&node.state.db, &node.state.search)
            .await
            .unwrap(),
        0
    );
    let (_, body) = get(&node, "/api/v1/offerings?q=polarstern").await;
    assert_eq!(body["total"], 3);

    // The HTML directory runs the same search.
    let res = http().get(node.url("/?q=aurora")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let first = html.find("Aurora Rooms").expect("name match listed");
    let second = html.find("Northern Video").expect("summary match listed");
    assert!(first < second);
}

// --- Alternatives -------------------------------------------------------------------------

const OLDCOOP: &str = r#"
[coop]
handle = "oldcoop"
name = "Old Co-op"
form = "multi-stakeholder"

[[offerings]]
handle = "old_bbb"
name = "Old BBB"
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
handle = "old_rooms"
name = "Old Rooms"
platform = "galene"
price = { model = "free" }
languages = ["de"]
support_languages = ["de"]
jurisdiction = "DE"
data_location = ["DE"]
registration = "closed"
free_software = false
"#;

const TWINCOOP: &str = r#"
[coop]
handle = "twincoop"
name = "Twin Co-op"
form = "worker"

[[offerings]]
handle = "twin_bbb"
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
handle = "closed_bbb"
name = "Closed BBB"
platform = "bigbluebutton"
features = ["recording", "breakout-rooms", "shared-notes", "polls"]
participants_per_room = 150
price = { model = "free" }
languages = ["de"]
support_languages = ["de", "en"]
jurisdiction = "DE"
data_location = ["DE"]
registration = "open"

[[offerings]]
handle = "moved_bbb"
name = "Moved BBB"
platform = "bigbluebutton"
features = ["recording", "breakout-rooms", "shared-notes", "polls"]
participants_per_room = 150
price = { model = "free" }
languages = ["de"]
support_languages = ["de", "en"]
jurisdiction = "DE"
data_location = ["DE"]
registration = "open"

[[offerings]]
handle = "hidden_bbb"
name = "Hidden BBB"
platform = "bigbluebutton"
features = ["recording", "breakout-rooms", "shared-notes", "polls"]
participants_per_room = 150
price = { model = "free" }
languages = ["de"]
support_languages = ["de", "en"]
jurisdiction = "DE"
data_location = ["DE"]
registration = "open"
"#;

const JITSICOOP: &str = r#"
[coop]
handle = "jitsicoop"
name = "Jitsi Co-op"
form = "multi-stakeholder"

[[offerings]]
handle = "jitsi_de"
name = "Jitsi DE"
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
handle = "sunset_bbb"
name = "Sunset BBB"
platform = "bigbluebutton"
features = ["recording"]
participants_per_room = 50
price = { model = "pay-what-you-can" }
languages = ["fr"]
support_languages = ["de"]
data_location = ["DE"]
registration = "open"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alternatives_are_ranked_and_explained_and_never_closed() {
    let node = TestNode::start().await;
    node.import("oldcoop.toml", OLDCOOP).await;
    node.import("twincoop.toml", TWINCOOP).await;
    node.import("jitsicoop.toml", JITSICOOP).await;
    set(&node, actor::Column::Status, "closed", &["closed_bbb"]).await;
    set(&node, actor::Column::Status, "transferred", &["moved_bbb"]).await;
    set(&node, actor::Column::Moderation, "hidden", &["hidden_bbb"]).await;
    set(&node, actor::Column::Status, "sunsetting", &["sunset_bbb"]).await;
    // The target itself may be sunsetting or closed: that is when members ask.
    set(&node, actor::Column::Status, "sunsetting", &["old_bbb"]).await;

    let old = node.url("/actors/old_bbb");
    let path = format!("/api/v1/offerings/alternatives?actor={old}");
    let (s, body) = get(&node, &path).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        body["offering"]["handle"],
        format!("old_bbb@{}", node.domain())
    );
    assert_eq!(
        handles(&body),
        vec!["twin_bbb", "jitsi_de", "sunset_bbb"],
        "{body:#}"
    );
    let twin = &body["items"][0];
    assert_eq!(twin["actor"], node.url("/actors/twin_bbb"));
    assert_eq!(twin["score"], 67);
    assert_eq!(
        twin["reasons"],
        json!([
            "same platform (BigBlueButton)",
            "recording",
            "breakout rooms",
            "shared notes",
            "German support",
            "interface in German",
            "same jurisdiction (DE)",
            "data stored in DE",
            "enough capacity",
            "open registration",
            "higher price"
        ])
    );
    assert_eq!(
        twin["summary"],
        "same platform (BigBlueButton), recording, breakout rooms, shared notes, German support, \
         interface in German, same jurisdiction (DE), data stored in DE, enough capacity, \
         open registration; higher price"
    );
    let jitsi = &body["items"][1];
    assert_eq!(jitsi["score"], 50);
    assert_eq!(
        jitsi["reasons"],
        json!([
            "covers all its features",
            "recording",
            "breakout rooms",
            "shared notes",
            "German support",
            "interface in German",
            "same jurisdiction (DE)",
            "data stored in DE",
            "same price",
            "also a multi-stakeholder co-op",
            "longer notice (180 days)"
        ])
    );
    let sunset = &body["items"][2];
    assert_eq!(sunset["score"], 14);
    assert_eq!(
        sunset["reasons"],
        json!([
            "same platform (BigBlueButton)",
            "recording",
            "German support",
            "data stored in DE",
            "lower price",
            "also a multi-stakeholder co-op",
            "open registration",
            "no breakout rooms",
            "no shared notes",
            "interface not in English or German",
            "smaller rooms (50 vs 100 participants)",
            "is sunsetting"
        ])
    );

    // By handle, and with a limit.
    let (s, body) = get(
        &node,
        &format!(
            "/api/v1/offerings/alternatives?actor=@old_bbb@{}&limit=1",
            node.domain()
        ),
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(handles(&body), vec!["twin_bbb"]);

    // Closing the best one removes it; nothing closed ever comes back.
    set(&node, actor::Column::Status, "closed", &["twin_bbb"]).await;
    let (_, body) = get(&node, &path).await;
    assert_eq!(handles(&body), vec!["jitsi_de", "sunset_bbb"]);
    for h in [
        "twin_bbb",
        "closed_bbb",
        "moved_bbb",
        "hidden_bbb",
        "old_bbb",
    ] {
        let (_, b) = get(
            &node,
            &format!(
                "/api/v1/offerings/alternatives?actor={}",
                node.url(&format!("/actors/{h}"))
            ),
        )
        .await;
        let hs = handles(&b);
        for never in ["twin_bbb", "closed_bbb", "moved_bbb", "hidden_bbb"] {
            assert!(
                !hs.contains(&never.to_string()),
                "{never} suggested for {h}"
            );
        }
        assert!(!hs.contains(&h.to_string()), "{h} suggested for itself");
    }

    // Errors.
    let (s, body) = get(&node, "/api/v1/offerings/alternatives").await;
    assert_eq!(s, 400);
    assert!(body["error"].as_str().unwrap().contains("actor"), "{body}");
    let (s, _) = get(&node, "/api/v1/offerings/alternatives?actor=").await;
    assert_eq!(s, 400);
    let (s, body) = get(&node, "/api/v1/offerings/alternatives?actor=not+an+actor").await;
    assert_eq!(s, 400);
    assert!(
        body["error"].as_str().unwrap().contains("actor URL"),
        "{body}"
    );
    let (s, body) = get(
        &node,
        &format!(
            "/api/v1/offerings/alternatives?actor={}",
            node.url("/actors/nobody")
        ),
    )
    .await;
    assert_eq!(s, 404);
    assert!(
        body["error"].as_str().unwrap().contains("no offering"),
        "{body}"
    );
    // A co-op is not an offering.
    let (s, _) = get(
        &node,
        &format!(
            "/api/v1/offerings/alternatives?actor={}",
            node.url("/actors/oldcoop")
        ),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = get(&node, &format!("{path}&limit=0")).await;
    assert_eq!(s, 422);
    let (s, _) = get(&node, &format!("{path}&limit=many")).await;
    assert_eq!(s, 422);
}

// --- Refusals and the description ------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_filter_values_are_422_with_the_accepted_values() {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    for (query, hint) in [
        ("platform=zoom", "bigbluebutton"),
        ("platform=jitsi,zoom", "nextcloud-talk"),
        ("feature=teleport", "breakout-rooms"),
        ("language=not+a+tag!", "BCP 47"),
        ("country=DEU", "ISO 3166"),
        ("price=cheap", "pay-what-you-can"),
        ("registration=maybe", "members-only"),
        ("form=company", "multi-stakeholder"),
        ("status=gone", "sunsetting"),
        ("page=0", "start at 1"),
    ] {
        let (s, body) = get(&node, &format!("/api/v1/offerings?{query}")).await;
        assert_eq!(s, 422, "{query}: {body}");
        let err = body["error"].as_str().unwrap();
        let param = query.split('=').next().unwrap();
        assert!(err.starts_with(&format!("{param}:")), "{query}: {err}");
        assert!(err.contains(hint), "{query}: {err}");
    }
    let long = "a".repeat(201);
    let (s, _) = get(&node, &format!("/api/v1/offerings?q={long}")).await;
    assert_eq!(s, 422);
    let (s, _) = get(&node, "/api/v1/offerings?page=two").await;
    assert_eq!(s, 400);

    let (s, doc) = get(&node, "/api/openapi.json").await;
    assert_eq!(s, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], node.base);
    assert!(doc["paths"]["/api/v1/offerings"]["get"]["parameters"].is_array());
    assert!(doc["paths"]["/api/v1/offerings/alternatives"]["get"].is_object());
}

/// The search box's own example, in four languages: the words that name a platform, a
/// language and a feature are read as those filters, so each query finds exactly what the
/// three filter clicks find; the page says how it read them, and a query that finds
/// nothing offers to drop each part, with the count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn words_in_four_languages_find_what_the_filters_find() {
    let node = TestNode::start().await;
    for (n, doc) in corpus_documents().iter().enumerate() {
        node.import(&format!("corpus{n}.json"), doc).await;
    }
    set(
        &node,
        actor::Column::Moderation,
        "hidden",
        &[&handle(HIDDEN)],
    )
    .await;
    let (status, by_filters) = get(
        &node,
        "/api/v1/offerings?platform=jitsi&language=de&feature=recording",
    )
    .await;
    assert_eq!(status, 200);
    let (want_total, _) = expected(|k| {
        k.platform == "jitsi" && k.languages.contains(&"de") && k.features.contains(&"recording")
    });
    assert!(want_total > 0, "the corpus has such offerings");
    assert_eq!(by_filters["total"], want_total);
    let mut want = handles(&by_filters);
    want.sort();
    for q in [
        "jitsi german recording",
        "Jitsi allemand enregistrement",
        "jitsi meet Deutsch Aufzeichnung",
        "jitsi alemán grabación",
    ] {
        let path = format!(
            "/api/v1/offerings?q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        let (status, body) = get(&node, &path).await;
        assert_eq!(status, 200, "{q}: {body}");
        assert_eq!(body["total"], want_total, "{q}");
        let mut got = handles(&body);
        got.sort();
        assert_eq!(got, want, "{q}");
        let kinds: Vec<&str> = body["understood"]
            .as_array()
            .expect("understood")
            .iter()
            .map(|p| p["kind"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(kinds, ["platform", "language", "feature"], "{q}");
        assert_eq!(body["understood"][1]["label"], "German", "{q}");
    }

    // The web page says how it read the words, each part a link that drops it.
    let page = http()
        .get(node.url("/?q=jitsi+german+recording"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(page.contains("Searched as:"), "{page}");
    assert!(page.contains("href=\"/?q=german+recording\""), "{page}");
    assert!(page.contains(&format!("{want_total} offering")), "{page}");

    // Nothing matches galene with polls in Catalan: each part says what dropping it gives.
    let (status, body) = get(&node, "/api/v1/offerings?q=galene+catal%C3%A0+polls").await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 0);
    let without_catalan = body["understood"]
        .as_array()
        .expect("understood")
        .iter()
        .find(|p| p["kind"] == "language")
        .expect("the language part")
        .clone();
    let (galene_polls, _) = expected(|k| k.platform == "galene" && k.features.contains(&"polls"));
    assert!(galene_polls > 0);
    assert_eq!(without_catalan["results_without"], galene_polls);
    assert_eq!(without_catalan["without"], "galene polls");
    let page = http()
        .get(node.url("/?q=galene+catal%C3%A0+polls"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(page.contains("Without Catalan"), "{page}");

    // A query of 1,000 words is a clear refusal, never a 500.
    let long = vec!["recording"; 1000].join(" ");
    let (status, body) = get(
        &node,
        &format!("/api/v1/offerings?q={}", long.replace(' ', "+")),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.to_string().contains("at most 200 characters"),
        "{body}"
    );
}
