use super::*;

#[test]
fn words_fold_case_diacritics_and_punctuation() {
    assert_eq!(
        words("Galène: Straße, meet.coop_BBB e2ee"),
        vec!["galene", "strasse", "meet", "coop", "bbb", "e2ee"]
    );
    assert!(words(" -- ").is_empty());
}

#[test]
fn language_filters_match_subtags() {
    assert!(language_matches("pt", "pt-BR"));
    assert!(language_matches("PT-br", "pt-BR"));
    assert!(!language_matches("pt", "ptx"));
    assert!(!language_matches("pt-BR", "pt"));
    assert_eq!(canonical_language("PT-br"), "pt-BR");
    assert_eq!(canonical_language("zh-hant-tw"), "zh-Hant-TW");
}

#[test]
fn bad_filter_values_name_the_parameter_and_accepted_values() {
    let q = OfferingQuery {
        registration: Some("open,sometimes".into()),
        ..Default::default()
    };
    let Err(DomainError::Invalid(msg)) = Filters::parse(&q) else {
        panic!("accepted a bad value");
    };
    assert!(msg.starts_with("registration:"), "{msg}");
    assert!(msg.contains("members-only"), "{msg}");
    let q = OfferingQuery {
        feature: Some("recording, polls,,".into()),
        platform: Some("".into()),
        ..Default::default()
    };
    let f = Filters::parse(&q).unwrap();
    assert_eq!(f.feature, vec![Feature::Recording, Feature::Polls]);
    assert!(f.platform.is_empty());
}

#[test]
fn the_fair_order_rotates_daily_and_is_stable_within_a_day() {
    let ids: Vec<String> = (0..20)
        .map(|i| format!("https://n.example/actors/o{i}"))
        .collect();
    let order = |day| {
        let mut v = ids.clone();
        v.sort_by_key(|id| fair_key(id, day));
        v
    };
    assert_eq!(order(20_000), order(20_000));
    assert_ne!(order(20_000), order(20_001));
    assert_ne!(order(20_000), ids);
    let firsts: BTreeSet<String> = (0..30).map(|d| order(20_000 + d)[0].clone()).collect();
    assert!(firsts.len() > 5, "the same few providers come first");
}

// --- The index against the reference, on a database ---------------------------------

use sea_orm::{ActiveModelTrait, Set, sea_query::Expr};

/// A small deterministic generator, so that a failure repeats.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

#[allow(clippy::too_many_arguments)]
fn actor_row(
    id: i64,
    kind: &str,
    name: &str,
    summary: &str,
    coop_id: Option<i64>,
    attributes: Option<String>,
    status: &str,
    moderation: &str,
) -> actor::ActiveModel {
    let now = chrono::Utc::now();
    let domain = format!("peer{}.example", id % 3);
    let ap_id = format!("https://{domain}/actors/a{id}");
    actor::ActiveModel {
        id: Set(id),
        ap_id: Set(ap_id.clone()),
        kind: Set(kind.parse().unwrap()),
        username: Set(format!("a{id}")),
        domain: Set(domain),
        name: Set(name.into()),
        summary: Set(summary.into()),
        inbox: Set(format!("{ap_id}/inbox")),
        shared_inbox: Set(None),
        outbox: Set(None),
        followers: Set(None),
        url: Set(None),
        public_key_pem: Set("key".into()),
        private_key_pem: Set(None),
        local: Set(id % 2 == 0),
        coop_id: Set(coop_id),
        attributes: Set(attributes),
        status: Set(status.parse().unwrap()),
        sunset_end: Set(None),
        moved_to: Set(None),
        also_known_as: Set("[]".into()),
        moderation: Set(moderation.parse().unwrap()),
        fetched_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

const LANGS: &[&str] = &[
    "en",
    "de",
    "de-CH",
    "pt",
    "pt-BR",
    "PT-br",
    "zh-Hant-TW",
    "sr-Latn",
    "fr",
    "es",
];
const COUNTRIES: &[&str] = &["DE", "FR", "FI", "NL", "ch", "PT"];
const WORDS: &[&str] = &[
    "video", "rooms", "aurora", "meetings", "schools", "choir", "union", "libre",
];

fn offering_attrs(r: &mut Rng, i: i64) -> Option<String> {
    if r.below(40) == 0 {
        return Some("{\"not\": \"an offering\"}".into());
    }
    let platforms = Platform::ALL;
    let features: Vec<&str> = Feature::ALL
        .iter()
        .filter(|_| r.below(3) == 0)
        .map(|f| f.as_str())
        .collect();
    let mut languages: Vec<&str> = (0..r.below(3)).map(|_| r.pick(LANGS)).collect();
    languages.dedup();
    let support: Vec<&str> = (0..r.below(2)).map(|_| r.pick(LANGS)).collect();
    let data: Vec<&str> = (0..r.below(3)).map(|_| r.pick(COUNTRIES)).collect();
    let mut v = serde_json::json!({
        "handle": format!("a{i}"),
        "name": "N",
        "platform": platforms[r.below(platforms.len())].as_str(),
        "features": features,
        "price": { "model": PriceModel::ALL[r.below(4)].as_str() },
        "languages": languages,
        "support_languages": support,
        "data_location": data,
        "registration": Registration::ALL[r.below(4)].as_str(),
    });
    if r.below(3) > 0 {
        v["jurisdiction"] = r.pick(COUNTRIES).into();
    }
    Some(v.to_string())
}

fn queries() -> Vec<OfferingQuery> {
    let q = |f: &dyn Fn(&mut OfferingQuery)| {
        let mut o = OfferingQuery::default();
        f(&mut o);
        o
    };
    let s = |v: &str| Some(v.to_string());
    vec![
        q(&|_| {}),
        q(&|o| o.page = Some(2)),
        q(&|o| o.page = Some(9)),
        q(&|o| o.platform = s("jitsi,galene")),
        q(&|o| o.feature = s("recording,polls")),
        q(&|o| o.language = s("pt")),
        q(&|o| o.language = s("zh-hant,de")),
        q(&|o| o.language = s("ja")),
        q(&|o| o.country = s("fi,ch")),
        q(&|o| o.country = s("JP")),
        q(&|o| o.price = s("free")),
        q(&|o| o.registration = s("open,waitlist")),
        q(&|o| o.form = s("worker,consumer")),
        q(&|o| o.status = s("closed,sunsetting")),
        q(&|o| {
            o.platform = s("bigbluebutton");
            o.language = s("en");
            o.page = Some(2);
        }),
        q(&|o| o.q = s("video")),
        q(&|o| {
            o.q = s("video");
            o.page = Some(3);
        }),
        q(&|o| o.q = s("aurora rooms")),
        q(&|o| o.q = s("co op")),
        q(&|o| o.q = s("nothing")),
        q(&|o| {
            o.q = s("rooms");
            o.price = s("free");
        }),
        q(&|o| {
            o.q = s("video");
            o.platform = s("jitsi,galene,matrix,opentalk,other,nextcloud-talk");
        }),
        q(&|o| {
            o.q = s("libre");
            o.country = s("DE");
            o.status = s("active");
        }),
    ]
}

async fn same_as_reference(db: &sea_orm::DatabaseConnection, caches: &Caches, when: &str) {
    for q in queries() {
        let got = search_filtered(db, caches, &q).await.unwrap();
        if q.q.is_none() {
            // Through `search` (nothing to understand), and asked again: the same (the
            // second time a kept page).
            for _ in 0..2 {
                let kept = search(db, caches, &q).await.unwrap();
                assert_eq!(
                    serde_json::to_value(&got).unwrap(),
                    serde_json::to_value(&kept).unwrap(),
                    "through search, {when}: {q:?}"
                );
            }
        }
        let want = search_reference(db, &q).await.unwrap();
        let what = format!("{when}: {q:?}");
        assert_eq!(got.total, want.total, "total, {what}");
        assert_eq!(got.facets, want.facets, "facets, {what}");
        let actors = |r: &SearchResults| -> Vec<String> {
            r.items.iter().map(|i| i.actor.clone()).collect()
        };
        assert_eq!(actors(&got), actors(&want), "order, {what}");
        assert_eq!(
            serde_json::to_value(&got.items).unwrap(),
            serde_json::to_value(&want.items).unwrap(),
            "items, {what}"
        );
    }
}

async fn touch(db: &sea_orm::DatabaseConnection, id: i64, col: actor::Column, value: &str) {
    actor::Entity::update_many()
        .col_expr(col, Expr::value(value))
        .col_expr(actor::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .filter(actor::Column::Id.eq(id))
        .exec(db)
        .await
        .unwrap();
}

async fn exercise(db: &sea_orm::DatabaseConnection) {
    let caches = Caches::default();
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let forms = ["worker", "consumer", "platform", "nonsense"];
    let mut batch = Vec::new();
    for c in 0..8i64 {
        let attrs =
            (c != 7).then(|| serde_json::json!({ "form": forms[c as usize % 4] }).to_string());
        batch.push(actor_row(
            1000 + c,
            "coop",
            &format!("{} Co-op", r.pick(WORDS)),
            "",
            None,
            attrs,
            "active",
            "approved",
        ));
    }
    for i in 0..300i64 {
        let name = format!("{} {}", r.pick(WORDS), r.pick(WORDS));
        let summary: Vec<&str> = (0..r.below(6)).map(|_| r.pick(WORDS)).collect();
        let attrs = offering_attrs(&mut r, i);
        let coop = (r.below(6) > 0).then(|| 1000 + r.below(8) as i64);
        let status = [
            "active",
            "active",
            "active",
            "sunsetting",
            "closed",
            "transferred",
            // An unknown status ("odd" before) can no longer be stored: the database
            // refuses it (migration m20261207_000015_state_checks).
            "active",
        ][r.below(7)];
        let moderation = [
            "approved", "approved", "approved", "approved", "hidden", "pending",
        ][r.below(6)];
        batch.push(actor_row(
            2000 + i,
            "offering",
            &name,
            &summary.join(" "),
            coop,
            attrs,
            status,
            moderation,
        ));
    }
    batch.push(actor_row(
        5000, "remote", "Someone", "", None, None, "active", "approved",
    ));
    actor::Entity::insert_many(batch)
        .exec_without_returning(db)
        .await
        .unwrap();
    // Searches before `ensure_index` build the index (and search rows) themselves.
    same_as_reference(db, &caches, "before ensure_index").await;
    touch(db, 2001, actor::Column::Status, "sunsetting").await;
    same_as_reference(db, &caches, "a change before ensure_index").await;
    assert!(ensure_index(db, &caches).await.unwrap() > 50);
    assert_eq!(ensure_index(db, &caches).await.unwrap(), 0);
    same_as_reference(db, &caches, "as built").await;
    // A search row whose actor is no longer an offering is dropped by the next start.
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(
        backend,
        "INSERT INTO listing_search (actor_id, fingerprint, name, body) \
         VALUES (5000, 'x', 'Someone', 'someone')",
    ))
    .await
    .unwrap();
    assert_eq!(ensure_index(db, &caches).await.unwrap(), 1);
    let left = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT actor_id FROM listing_search WHERE actor_id = 5000",
        ))
        .await
        .unwrap();
    assert!(left.is_empty());

    // Changes read as changes (the delta), each visible to the next search.
    touch(db, 2003, actor::Column::Moderation, "hidden").await;
    touch(db, 2004, actor::Column::Status, "closed").await;
    touch(db, 2005, actor::Column::Name, "Aurora Aurora Video").await;
    same_as_reference(db, &caches, "after moderation, status and name").await;
    let attrs = offering_attrs(&mut r, 6).unwrap();
    touch(db, 2006, actor::Column::Attributes, &attrs).await;
    touch(db, 1001, actor::Column::Name, "Libre Video Co-op").await;
    touch(
        db,
        1002,
        actor::Column::Attributes,
        "{\"form\": \"worker\"}",
    )
    .await;
    same_as_reference(db, &caches, "after attributes and co-ops").await;
    let attrs = offering_attrs(&mut r, 400);
    actor_row(
        2400,
        "offering",
        "video rooms",
        "",
        Some(1003),
        attrs,
        "active",
        "approved",
    )
    .insert(db)
    .await
    .unwrap();
    same_as_reference(db, &caches, "after an insert").await;
    // A delete is read as a rebuild.
    actor::Entity::delete_by_id(2400).exec(db).await.unwrap();
    same_as_reference(db, &caches, "after deleting an offering").await;
    actor::Entity::delete_by_id(1004).exec(db).await.unwrap();
    same_as_reference(db, &caches, "after deleting a co-op").await;
    // Deleting any other actor changes nothing for search.
    actor::Entity::delete_by_id(5000).exec(db).await.unwrap();
    same_as_reference(db, &caches, "after deleting a remote actor").await;
    for i in 0..40 {
        touch(db, 2010 + i, actor::Column::Status, "sunsetting").await;
    }
    same_as_reference(db, &caches, "after many changes").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_gives_what_reading_every_listing_gives() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/search.db?mode=rwc", dir.path().display());
    let db = crate::db::connect(&url).await.unwrap();
    crate::db::migrate(&db).await.unwrap();
    exercise(&db).await;
    let Ok(server) = std::env::var("COOPDIR_TEST_POSTGRES") else {
        return;
    };
    let admin = crate::db::connect(&server).await.unwrap();
    let name = format!("coopdir_search_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path(&format!("/{name}"));
    let db = crate::db::connect(url.as_str()).await.unwrap();
    crate::db::migrate(&db).await.unwrap();
    exercise(&db).await;
    db.close().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
}

#[test]
fn a_new_day_gives_every_entry_the_key_of_that_day() {
    let mut idx = Index {
        day: 20_000,
        ..Default::default()
    };
    let spec: OfferingSpec = serde_json::from_str(
        r#"{"handle": "a1", "name": "A", "platform": "jitsi", "price": {"model": "free"},
            "registration": "open", "languages": ["pt-BR", "pt"], "data_location": ["DE", "DE"]}"#,
    )
    .unwrap();
    for id in 1..4 {
        let row = Row {
            id,
            kind: ActorKind::Offering,
            ap_id: format!("https://n.example/actors/o{id}"),
            username: format!("o{id}"),
            domain: "n.example".into(),
            name: "A".into(),
            summary: String::new(),
            local: true,
            status: Status::Active,
            coop_id: None,
            attributes: None,
            moderation: Moderation::Approved,
        };
        let e = idx.entry(&row, &spec, Status::Active);
        idx.entries.push(e);
    }
    let e = idx.entries[0];
    // `pt` (id 0) is listed and a prefix of `pt-BR` (id 1): one item each, id × 2 + 1
    // for listed.
    assert_eq!(
        &*idx.language_sets.values[e.facet.languages as usize],
        &[1, 3]
    );
    assert_eq!(idx.country_sets.values[e.facet.countries as usize].len(), 1);
    // Three listings, one language set, one country set, one class.
    assert_eq!(
        (
            idx.language_sets.len(),
            idx.country_sets.len(),
            idx.classes.len()
        ),
        (1, 1, 1)
    );
    let next = idx.copy(20_001);
    let mut fair: Vec<u64> = next.entries.iter().map(|e| e.fair).collect();
    fair.sort_unstable();
    assert_eq!(
        next.entries.iter().map(|e| e.fair).collect::<Vec<_>>(),
        fair,
        "in the order of the day"
    );
    assert_eq!(
        next.by_id.iter().map(|p| p.0).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    for e in &next.entries {
        let ap_id = format!("https://n.example/actors/o{}", e.id);
        assert_eq!(e.fair, fair_key(&ap_id, 20_001));
    }
}

#[test]
fn members_as_bits_and_as_lists_agree() {
    let n = 200;
    let list: Vec<u32> = (0..n as u32).filter(|i| i % 7 == 3).collect();
    let bits = Members::new(list.clone(), n);
    let short = Members::List(list.clone());
    assert!(matches!(bits, Members::Bits(_)));
    let mut set = vec![0u64; n.div_ceil(64)];
    for i in (0..n as u32).filter(|i| i % 3 == 0) {
        set_bit(&mut set, i);
    }
    let both = list.iter().filter(|i| *i % 3 == 0).count() as u64;
    assert_eq!((bits.count_in(&set), short.count_in(&set)), (both, both));
    let (mut a, mut b) = (set.clone(), set.clone());
    bits.keep_in(&mut a);
    short.keep_in(&mut b);
    assert_eq!(a, b);
    assert_eq!(positions(&a, 0).count() as u64, both);
    let (mut a, mut b) = (set.clone(), set.clone());
    bits.add_to(&mut a);
    short.add_to(&mut b);
    assert_eq!(a, b);
    let all: Vec<u32> = positions(&a, 0).collect();
    assert_eq!(positions(&a, 5).collect::<Vec<_>>(), all[5..].to_vec());
    assert_eq!(positions(&a, 64).collect::<Vec<_>>(), all[64..].to_vec());
    assert_eq!(positions(&a, all.len()).count(), 0);
}

#[test]
fn documents_fold_text_as_words_does() {
    let texts = [
        "Galène: Straße, meet.coop_BBB e2ee",
        "  Æsir  ŒUVRE þorn -- İstanbul ǅemal ΣΊΣΥΦΟΣ 東京 ①②",
        "",
        "--",
        "a",
        "Video Rooms (Co-op) eG",
    ];
    for t in texts {
        let mut out = String::new();
        push_words(t, &mut out);
        assert_eq!(out, words(t).join(" "), "{t}");
    }
    let mut out = String::new();
    for t in texts {
        push_words(t, &mut out);
    }
    assert_eq!(out, words(&texts.join(" ")).join(" "));
    let spec: OfferingSpec = serde_json::from_str(
        r#"{"handle": "a1", "name": "Galène Rooms", "summary": "Straße ÉCOLE", "platform": "galene",
            "features": ["recording", "e2ee"], "price": {"model": "free"}, "registration": "open"}"#,
    )
    .unwrap();
    let doc = Document::new(
        "Galène Rooms",
        "Straße ÉCOLE",
        "a1",
        &spec,
        Some("Nordlicht eG"),
    );
    let body = vec![
        "Straße ÉCOLE",
        spec.platform.label(),
        spec.platform.as_str(),
        Feature::Recording.label(),
        Feature::Recording.as_str(),
        Feature::E2ee.label(),
        Feature::E2ee.as_str(),
        "Nordlicht eG",
        "a1",
    ];
    let name = words("Galène Rooms").join(" ");
    let body = words(&body.join(" ")).join(" ");
    let digest = Sha256::digest(format!("{DOCUMENT_VERSION}\n{name}\n{body}").as_bytes());
    let fingerprint: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        doc,
        Document {
            name,
            body,
            fingerprint
        }
    );
}

#[test]
fn postgres_placeholders_are_numbered() {
    let s = statement(
        DbBackend::Postgres,
        "a = ? AND b = ?",
        vec![1.into(), 2.into()],
    );
    assert_eq!(s.sql, "a = $1 AND b = $2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_page_costs_one_statement_and_shows_current_liveness() {
    use crate::db::entities::listing_probe;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/kept.db?mode=rwc", dir.path().display());
    let mut db = crate::db::connect(&url).await.unwrap();
    crate::db::migrate(&db).await.unwrap();
    let rows: Vec<actor::ActiveModel> = (0..5)
        .map(|i| {
            let attrs = serde_json::json!({
                "handle": format!("a{}", 2000 + i), "name": "N", "platform": "jitsi",
                "price": {"model": "free"}, "registration": "open",
            });
            actor_row(
                2000 + i,
                "offering",
                "video rooms",
                "",
                None,
                Some(attrs.to_string()),
                "active",
                "approved",
            )
        })
        .collect();
    actor::Entity::insert_many(rows)
        .exec_without_returning(&db)
        .await
        .unwrap();
    let statements = Arc::new(AtomicUsize::new(0));
    let counted = statements.clone();
    db.set_metric_callback(move |_| {
        counted.fetch_add(1, Ordering::Relaxed);
    });
    let caches = Caches::default();
    let q = OfferingQuery::default();
    let first = search(&db, &caches, &q).await.unwrap();
    assert_eq!(first.total, 5);
    assert!(first.items.iter().all(|i| !i.working));
    statements.store(0, Ordering::Relaxed);
    let again = search(&db, &caches, &q).await.unwrap();
    assert_eq!(
        statements.load(Ordering::Relaxed),
        1,
        "a kept page: one statement"
    );
    assert_eq!(
        serde_json::to_value(&first).unwrap(),
        serde_json::to_value(&again).unwrap()
    );
    // A query whose words all became filters is kept under its words, understood parts
    // included; one with words left for full text is not kept.
    let jitsi = OfferingQuery {
        q: Some("Jitsi".into()),
        ..Default::default()
    };
    let first_jitsi = search(&db, &caches, &jitsi).await.unwrap();
    assert_eq!(first_jitsi.total, 5);
    assert_eq!(first_jitsi.understood.len(), 1);
    assert_eq!(first_jitsi.understood[0].kind, "platform");
    statements.store(0, Ordering::Relaxed);
    let again_jitsi = search(&db, &caches, &jitsi).await.unwrap();
    assert_eq!(statements.load(Ordering::Relaxed), 1);
    assert_eq!(
        serde_json::to_value(&first_jitsi).unwrap(),
        serde_json::to_value(&again_jitsi).unwrap()
    );
    let text = OfferingQuery {
        q: Some("rooms".into()),
        ..Default::default()
    };
    assert_eq!(search(&db, &caches, &text).await.unwrap().total, 5);
    statements.store(0, Ordering::Relaxed);
    assert_eq!(search(&db, &caches, &text).await.unwrap().total, 5);
    assert!(
        statements.load(Ordering::Relaxed) > 1,
        "full text is not kept"
    );
    // A probe changes no actor row: the kept page is served with the new liveness.
    let now = chrono::Utc::now();
    listing_probe::ActiveModel {
        actor_id: Set(2003),
        next_probe_at: Set(Some(now)),
        checked_at: Set(Some(now)),
        outcome: Set(Some("up".into())),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    statements.store(0, Ordering::Relaxed);
    let probed = search(&db, &caches, &q).await.unwrap();
    assert_eq!(statements.load(Ordering::Relaxed), 1);
    let working: Vec<&str> = probed
        .items
        .iter()
        .filter(|i| i.working)
        .map(|i| i.handle.as_str())
        .collect();
    assert_eq!(working, vec!["a2003@peer2.example"]);
    // Kept so, and changed back when the probe says otherwise.
    let again = search(&db, &caches, &q).await.unwrap();
    assert_eq!(again.items.iter().filter(|i| i.working).count(), 1);
    let outcome = |o: &'static str| {
        listing_probe::Entity::update_many()
            .col_expr(listing_probe::Column::Outcome, o.into())
            .filter(listing_probe::Column::ActorId.eq(2003))
            .exec(&db)
    };
    outcome("down").await.unwrap();
    let down = search(&db, &caches, &q).await.unwrap();
    assert!(down.items.iter().all(|i| !i.working), "{down:?}");
    outcome("up").await.unwrap();
    // A changed listing is a new version: the page is made again.
    touch(&db, 2001, actor::Column::Status, "closed").await;
    let changed = search(&db, &caches, &q).await.unwrap();
    assert_eq!(
        changed.items.last().map(|i| i.status.as_str()),
        Some("closed")
    );
    assert_eq!(changed.facets.status.get("closed"), Some(&1));
}
