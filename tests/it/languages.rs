//! The languages of the interface: pages in the language of `Accept-Language` or of the
//! switcher's cookie, with `<html lang>`; a bad cookie or an absurd query answered, never
//! a 500; a real 404; the directory actor answering in the language of the question.

use crate::common::*;
use coopdir::{
    db::entities::{activity, received_activity},
    federation::queue,
    i18n::Lang,
};
use reqwest::{StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};

async fn directory() -> TestNode {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    node
}

/// A page fetched with extra headers: status, `Content-Language` and body.
async fn page(
    node: &TestNode,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let mut req = http().get(node.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let (status, lang) = status_and_language(&res);
    (status, lang, res.text().await.unwrap())
}

/// An answer's status and `Content-Language` ("" without one).
fn status_and_language(res: &reqwest::Response) -> (StatusCode, String) {
    let lang = res
        .headers()
        .get(header::CONTENT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (res.status(), lang)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_language_chooses_the_language_of_every_page() {
    let node = directory().await;
    let cases = [
        (
            "de-DE,de;q=0.9,en;q=0.5",
            "de",
            "Einen genossenschaftlichen Anbieter finden",
        ),
        ("fr-CH, fr;q=0.9", "fr", "Trouver un fournisseur coopératif"),
        ("es", "es", "Encontrar un proveedor cooperativo"),
        ("it, nl;q=0.5", "en", "Find a co-operative provider"),
    ];
    for (accept, lang, heading) in cases {
        let (status, content_language, body) =
            page(&node, "/", &[("Accept-Language", accept)]).await;
        assert_eq!(status, StatusCode::OK, "{accept}");
        assert_eq!(content_language, lang, "{accept}");
        assert!(
            body.contains(&format!("<html lang=\"{lang}\">")),
            "{accept}"
        );
        assert!(body.contains(heading), "{accept}: {heading}");
    }
    // Every public page of the frame speaks German, the vocabularies included.
    for path in [
        "/about",
        "/login",
        "/moderation",
        "/actors/meetcoop_bbb",
        "/compare",
    ] {
        let (_, lang, body) = page(&node, path, &[("Accept-Language", "de")]).await;
        assert_eq!(lang, "de", "{path}");
        assert!(body.contains("<html lang=\"de\">"), "{path}");
        assert!(body.contains("Zum Inhalt springen"), "{path}");
    }
    let (_, _, body) = page(&node, "/actors/meetcoop_bbb", &[("Accept-Language", "de")]).await;
    assert!(body.contains("Aufzeichnung"), "features in German");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_switcher_remembers_the_language_in_a_cookie() {
    let node = directory().await;
    // The switcher is on every page, naming each language in itself.
    let (_, _, body) = page(&node, "/about", &[]).await;
    assert!(body.contains("action=\"/language\""));
    for l in Lang::ALL {
        assert!(body.contains(&format!("value=\"{}\" lang=\"{}\"", l.code(), l.code())));
        assert!(body.contains(l.endonym()));
    }

    let res = http()
        .post(node.url("/language"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::REFERER, node.url("/about?x=1"))
        .header(header::ORIGIN, node.url(""))
        .body("lang=es")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[header::LOCATION],
        "/about?x=1",
        "back to the page"
    );
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("lang=es;"), "{cookie}");
    assert!(cookie.contains("Max-Age="), "remembered: {cookie}");

    // The cookie wins over the browser's languages.
    let (_, lang, body) = page(
        &node,
        "/about",
        &[("Cookie", "lang=es"), ("Accept-Language", "de")],
    )
    .await;
    assert_eq!(lang, "es");
    assert!(body.contains("<html lang=\"es\">"));
    assert!(body.contains("aria-current=\"true\">Español"));

    // A referer elsewhere is not followed.
    let res = http()
        .post(node.url("/language"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::REFERER, "https://elsewhere.example/phish")
        .header(header::ORIGIN, node.url(""))
        .body("lang=fr")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[header::LOCATION], "/");

    // A language the interface does not speak is refused with a page that says which.
    let res = http()
        .post(node.url("/language"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, node.url(""))
        .header("Accept-Language", "fr")
        .body("lang=tlh")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    let body = res.text().await.unwrap();
    assert!(body.contains("Cet annuaire parle anglais, français, allemand et espagnol"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_clear_answer_and_never_a_500() {
    let node = directory().await;
    // A cookie naming no interface language is ignored: the browser's language applies.
    for cookie in ["lang=tlh", "lang=", "lang=de%00", "lang=../../etc"] {
        let (status, lang, _) =
            page(&node, "/", &[("Cookie", cookie), ("Accept-Language", "fr")]).await;
        assert_eq!(status, StatusCode::OK, "{cookie}");
        assert_eq!(lang, "fr", "{cookie}");
    }
    // A huge Accept-Language is read, not choked on.
    let long = vec!["xx;q=0.1"; 2000].join(",") + ",de";
    let (status, _, _) = page(&node, "/", &[("Accept-Language", &long)]).await;
    assert_eq!(status, StatusCode::OK);

    // A query of 1,000 words: an answer, in the page's language.
    let words = vec!["videokonferenz"; 1000].join(" ");
    let encoded: String = url::form_urlencoded::byte_serialize(words.as_bytes()).collect();
    let path = format!("/?q={encoded}");
    let (status, _, body) = page(&node, &path, &[("Accept-Language", "de")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("<html lang=\"de\">"));
    assert!(
        body.contains("Eine Suche darf höchstens 200 Zeichen haben; diese hat 14999."),
        "the refusal says why, in German"
    );
    let res = http()
        .get(node.url(&format!("/api/v1/offerings?q={encoded}")))
        .send()
        .await
        .unwrap();
    assert!(!res.status().is_server_error(), "{}", res.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_path_is_a_real_404_page_or_json() {
    let node = directory().await;
    let (status, lang, body) = page(&node, "/no/such/page", &[("Accept-Language", "es")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(lang, "es");
    assert!(body.contains("<h1>No encontrado</h1>"), "{body}");
    assert!(body.contains("No hay ninguna página en esta dirección"));
    assert!(body.contains("href=\"/\""), "a way back");

    for (path, accept) in [
        ("/api/v1/nothing", "*/*"),
        ("/no/such/page", "application/json"),
        ("/no/such/page", "application/activity+json"),
    ] {
        let res = http()
            .get(node.url(path))
            .header(header::ACCEPT, accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path} {accept}");
        let body: Value = res.json().await.unwrap();
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_actor_answers_in_the_language_of_the_question() {
    let (a, b) = tokio::join!(
        TestNode::start_with(|s| s.default_language = Lang::Fr),
        TestNode::start()
    );
    a.import("meetcoop.toml", MEETCOOP).await;
    a.import("rheinmeet.json", RHEINMEET).await;
    let directory_url = a.url("/actors/directory");
    let directory_actor = b.resolve(&directory_url).await;
    let asker = b.instance().await;

    let ask = |object: Value| {
        let a = &a;
        let b = &b;
        let directory_actor = directory_actor.clone();
        let asker = asker.clone();
        let directory_url = directory_url.clone();
        async move {
            let note_id = b.url(&format!("/notes/{}", uuid::Uuid::new_v4()));
            let mut note = json!({
                "id": note_id, "type": "Note", "attributedTo": asker.ap_id,
                "to": [directory_url],
                "tag": [{"type": "Mention", "href": directory_url,
                         "name": format!("@directory@{}", a.domain())}],
            });
            note.as_object_mut()
                .unwrap()
                .extend(object.as_object().unwrap().clone());
            let activity = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{note_id}/activity"), "type": "Create", "actor": asker.ap_id,
                "object": note,
            });
            let txn = b.state.db.begin().await.unwrap();
            let inbox = url::Url::parse(&directory_actor.inbox).unwrap();
            queue::enqueue(&txn, &b.state, &asker, &activity, None, vec![inbox])
                .await
                .unwrap();
            txn.commit().await.unwrap();
            b.state.queue_notify.notify_one();
            let reply = eventually(20, "A answers", || async {
                activity::Entity::find()
                    .filter(activity::Column::ObjectApId.eq(note_id.as_str()))
                    .one(&a.state.db)
                    .await
                    .unwrap()
            })
            .await;
            eventually(20, "B receives the answer", || async {
                received_activity::Entity::find_by_id(reply.ap_id.clone())
                    .one(&b.state.db)
                    .await
                    .unwrap()
            })
            .await;
            let payload: Value = serde_json::from_str(&reply.payload).unwrap();
            payload["object"]["content"].as_str().unwrap().to_string()
        }
    };

    // Mastodon sends the language of a post as the key of `contentMap`.
    let text = "<p>@directory jitsi deutsch</p>";
    let german = ask(json!({"content": text, "contentMap": {"de": text}})).await;
    assert!(german.contains("Treffer"), "{german}");
    assert!(german.contains("rheinmeet_jitsi"), "{german}");
    assert!(!german.contains("match"), "{german}");

    let text = "<p>@directory kein passendes wort xyzzy</p>";
    let german = ask(json!({"content": text, "contentMap": {"de-AT": text}})).await;
    assert!(
        german.contains("Dafür habe ich kein eingetragenes Angebot gefunden"),
        "{german}"
    );

    let text = "<p>@directory jitsi</p>";
    let spanish = ask(json!({"contentMap": {"es": text}})).await;
    assert!(spanish.contains("resultado"), "contentMap alone: {spanish}");

    // A question that does not say its language is answered in the node's (French here).
    let french = ask(json!({"content": "<p>@directory jitsi</p>"})).await;
    assert!(french.contains("résultat"), "{french}");
}

/// A staff account of meet.coop and an API token for it.
async fn meetcoop_token(node: &TestNode) -> String {
    use coopdir::directory::accounts;
    let coop = node.local("meetcoop").await;
    let account =
        accounts::create_staff(&node.state.db, "meetstaff", "correct horse battery", &coop)
            .await
            .expect("staff account");
    accounts::create_token(&node.state.db, &account, "automation")
        .await
        .expect("token")
}

async fn post_announcement(node: &TestNode, token: &str, body: Value) -> (StatusCode, Value) {
    let res = http()
        .post(node.url("/api/v1/offerings/meetcoop_bbb/announcements"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn announcements_stored(node: &TestNode) -> u64 {
    use coopdir::db::entities::announcement;
    use sea_orm::PaginatorTrait;
    announcement::Entity::find()
        .count(&node.state.db)
        .await
        .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_language_announcement_reaches_a_follower_with_content_map() {
    use crate::security::{Fake, follow_of};
    let node = directory().await;
    let token = meetcoop_token(&node).await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice", "Person", json!({}));
    let bbb = node.url("/actors/meetcoop_bbb");
    let follow = follow_of(&fake, &alice, &bbb);
    assert_eq!(
        fake.post(&node.url("/actors/meetcoop_bbb/inbox"), &follow)
            .await
            .status(),
        202
    );
    eventually(20, "the Accept arrives", || async {
        (!fake.received_of("Accept").is_empty()).then_some(())
    })
    .await;

    let (status, posted) = post_announcement(
        &node,
        &token,
        json!({
            "text": "Maintenance on Sunday from 10:00 UTC.",
            "kind": "maintenance",
            "translations": {"fr": "Maintenance dimanche dès 10 h UTC."},
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{posted}");
    assert_eq!(
        posted["translations"]["fr"], "Maintenance dimanche dès 10 h UTC.",
        "{posted}"
    );
    let id = posted["id"].as_str().expect("id").to_string();

    let create = eventually(20, "the Create arrives at the follower", || async {
        fake.received_of("Create")
            .into_iter()
            .find(|c| c["object"]["id"] == id.as_str())
    })
    .await;
    let note = &create["object"];
    let content = note["content"].as_str().unwrap_or_default();
    assert!(content.contains("Maintenance on Sunday"), "{note}");
    let map = &note["contentMap"];
    assert!(
        map["en"].as_str().is_some_and(|h| h == content),
        "the default language is in the map: {note}"
    );
    assert!(
        map["fr"]
            .as_str()
            .is_some_and(|h| h.contains("Maintenance dimanche dès 10 h UTC.")),
        "{note}"
    );

    // The page speaks the member's language when the announcement does.
    let path = url::Url::parse(&id).expect("url").path().to_string();
    let (status, _, body) = page(&node, &path, &[("Accept-Language", "fr")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Maintenance dimanche dès 10 h UTC."),
        "{body}"
    );
    assert!(!body.contains("Maintenance on Sunday"), "{body}");
    let (_, _, body) = page(&node, &path, &[("Accept-Language", "de")]).await;
    assert!(
        body.contains("Maintenance on Sunday"),
        "no German: the default"
    );
    // Servers get the Note with its contentMap too.
    let note: Value = http()
        .get(&id)
        .header(header::ACCEPT, crate::security::AS)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(note["contentMap"]["fr"].is_string(), "{note}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_language_tag_gets_422_and_nothing_is_stored() {
    let node = directory().await;
    let token = meetcoop_token(&node).await;
    for (translations, words) in [
        (json!({"not a tag!": "x"}), "BCP 47"),
        (
            json!({"tlh": "Qapla'"}),
            "neither a language of the interface",
        ),
        (json!({"en": "twice"}), "default language"),
        (json!({"fr": "   "}), "fr: "),
    ] {
        let (status, body) = post_announcement(
            &node,
            &token,
            json!({"text": "Maintenance on Sunday.", "translations": translations}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{translations}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(error.starts_with("translations: "), "{error}");
        assert!(error.contains(words), "{translations}: {error}");
    }
    assert_eq!(announcements_stored(&node).await, 0);

    // The staff form refuses it the same way, next to the texts in other languages.
    let res = http()
        .post(node.url("/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("username=meetstaff&password=correct+horse+battery")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/announce"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("kind=news&text=Maintenance+on+Sunday.&text_fr=Maintenance+dimanche.&other_lang=x+y&other_text=z")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("id=\"translations-error\""), "{body}");
    assert!(body.contains("BCP 47"), "{body}");
    assert!(body.contains("href=\"#translations\""), "{body}");
    assert!(
        body.contains("Maintenance dimanche."),
        "the texts are kept: {body}"
    );
    assert_eq!(announcements_stored(&node).await, 0);

    // Given well, the form posts both languages.
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/announce"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("kind=news&text=Maintenance+on+Sunday.&text_fr=Maintenance+dimanche.")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(announcements_stored(&node).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coopdir_announce_takes_texts_in_other_languages() {
    use coopdir::db::entities::announcement;
    let node = directory().await;
    let run = |extra: &[&str]| {
        let mut all = Proc::args(node.port, node.db.dir.path(), &node.db.url);
        all.extend(
            [
                "announce",
                "meetcoop_bbb",
                "--text",
                "Maintenance on Sunday.",
            ]
            .iter()
            .chain(extra)
            .map(|s| s.to_string()),
        );
        async move {
            tokio::process::Command::new(bin())
                .args(all)
                .output()
                .await
                .expect("run coopdir")
        }
    };
    let out = run(&["--text-in", "xx yy=Hallo"]).await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BCP 47"), "{err}");
    let out = run(&["--text-in", "fr"]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("LANG=TEXT"));
    assert_eq!(announcements_stored(&node).await, 0);

    let out = run(&[
        "--text-in",
        "fr=Maintenance dimanche.",
        "--text-in",
        "de=Wartung am Sonntag.",
    ])
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let stored = announcement::Entity::find()
        .filter(announcement::Column::ApId.eq(id.as_str()))
        .one(&node.state.db)
        .await
        .expect("db")
        .expect("stored");
    let texts = coopdir::directory::announcements::translations(&stored);
    assert_eq!(texts["fr"].source, "Maintenance dimanche.");
    assert_eq!(texts["de"].source, "Wartung am Sonntag.");
    assert_eq!(stored.language.as_deref(), Some("en"));
}

/// The session cookie of meet.coop's staff account (made by `meetcoop_token`).
async fn meetstaff_cookie(node: &TestNode) -> String {
    let res = http()
        .post(node.url("/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("username=meetstaff&password=correct+horse+battery")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// A staff form posted with extra headers: status and page.
async fn post_form(
    node: &TestNode,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, String) {
    let mut req = http()
        .post(node.url(path))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.to_string());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The error summary of a refused form (the part of the page above the forms).
fn error_summary(page: &str) -> &str {
    let start = page.find("id=\"error-summary\"").expect("an error summary");
    let end = page[start..]
        .find("</div>")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_staff_forms_say_why_in_the_members_language() {
    let node = directory().await;
    meetcoop_token(&node).await;
    let cookie = meetstaff_cookie(&node).await;
    // The listing's fields, refused by the domain's own checks, in French.
    let edit = "name=Meet&platform=zoom&price_model=free&price_currency=EURO&registration=open\
                &notice_days=90&languages=en";
    let (status, page) = post_form(
        &node,
        "/staff/meetcoop_bbb/edit",
        &[("Cookie", &cookie), ("Accept-Language", "fr-FR, fr;q=0.9")],
        edit,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let summary = error_summary(&page);
    assert!(
        summary.contains("plateforme inconnue : « zoom »"),
        "{summary}"
    );
    assert!(
        summary.contains("« EURO » n&#39;est pas un code de devise ISO 4217"),
        "{summary}"
    );
    assert!(!summary.contains("unknown platform"), "{summary}");

    // The language chosen with the switcher (cookie) wins over the browser's.
    let both = format!("{cookie}; lang=de");
    let (status, page) = post_form(
        &node,
        "/staff/meetcoop_bbb/announce",
        &[("Cookie", &both), ("Accept-Language", "fr")],
        "kind=news&text=Wartung.&other_lang=tlh&other_text=Qapla",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = error_summary(&page);
    assert!(
        summary.contains("„tlh“ ist weder eine Sprache der Oberfläche"),
        "{summary}"
    );

    // A language the interface does not speak: English.
    let (status, page) = post_form(
        &node,
        "/staff/meetcoop_bbb/edit",
        &[("Cookie", &cookie), ("Accept-Language", "it")],
        edit,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = error_summary(&page);
    assert!(
        summary.contains("unknown platform &#39;zoom&#39;"),
        "{summary}"
    );
    assert_eq!(announcements_stored(&node).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_refuses_in_the_language_asked_for_and_else_in_english() {
    let node = directory().await;
    let token = meetcoop_token(&node).await;
    let post = |lang: Option<&'static str>| {
        let mut req = http()
            .post(node.url("/api/v1/offerings/meetcoop_bbb/announcements"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(json!({"text": "Wartung.", "translations": {"tlh": "Qapla'"}}).to_string());
        if let Some(l) = lang {
            req = req.header(header::ACCEPT_LANGUAGE, l);
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            let lang = res
                .headers()
                .get(header::CONTENT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let body: Value = res.json().await.unwrap();
            (
                status,
                lang,
                body["error"].as_str().unwrap_or("").to_string(),
            )
        }
    };
    let (status, lang, error) = post(Some("de-CH, de;q=0.9")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(lang, "de");
    assert!(
        error.starts_with("translations: „tlh“ ist weder eine Sprache der Oberfläche"),
        "{error}"
    );
    for asked in [None, Some("it, nl;q=0.5")] {
        let (status, lang, error) = post(asked).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(lang, "en", "{asked:?}");
        assert!(
            error.starts_with("translations: 'tlh' is neither a language of the interface"),
            "{asked:?}: {error}"
        );
    }
    assert_eq!(announcements_stored(&node).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_in_another_language_than_the_page_says_which() {
    let node = directory().await;
    let token = meetcoop_token(&node).await;
    let (status, posted) = post_announcement(
        &node,
        &token,
        json!({
            "text": "Maintenance on Sunday.",
            "translations": {"fr": "Maintenance dimanche."},
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{posted}");
    let id = posted["id"].as_str().expect("id").to_string();
    let note = url::Url::parse(&id).expect("url").path().to_string();
    for path in [note.as_str(), "/actors/meetcoop_bbb"] {
        // A German page shows the English text, marked as English.
        let (_, _, body) = page(&node, path, &[("Accept-Language", "de")]).await;
        assert!(
            body.contains("<div class=\"content\" lang=\"en\"><p>Maintenance on Sunday."),
            "{path}: {body}"
        );
        // A French page shows the French text, in the page's language.
        let (_, _, body) = page(&node, path, &[("Accept-Language", "fr")]).await;
        assert!(
            body.contains("<div class=\"content\"><p>Maintenance dimanche."),
            "{path}: {body}"
        );
        // An English page shows the English text, unmarked.
        let (_, _, body) = page(&node, path, &[]).await;
        assert!(
            body.contains("<div class=\"content\"><p>Maintenance on Sunday."),
            "{path}: {body}"
        );
    }
    // The feed marks the language of each entry's content.
    let (_, _, feed) = page(&node, "/actors/meetcoop_bbb/feed.atom", &[]).await;
    assert!(feed.contains("xml:lang=\"en\""), "{feed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coopdir_edit_announcement_keeps_and_changes_its_other_languages() {
    use coopdir::db::entities::announcement;
    let node = directory().await;
    let token = meetcoop_token(&node).await;
    let (status, posted) = post_announcement(
        &node,
        &token,
        json!({
            "text": "Maintenance on Sunday.",
            "translations": {"fr": "Maintenance dimanche.", "de": "Wartung am Sonntag."},
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{posted}");
    let id = posted["id"].as_str().expect("id").to_string();
    let run = |extra: &[&str]| {
        let mut all = Proc::args(node.port, node.db.dir.path(), &node.db.url);
        all.extend(
            ["edit-announcement", id.as_str()]
                .iter()
                .chain(extra)
                .map(|s| s.to_string()),
        );
        async move {
            tokio::process::Command::new(bin())
                .args(all)
                .output()
                .await
                .expect("run coopdir")
        }
    };
    let stored = || async {
        announcement::Entity::find()
            .filter(announcement::Column::ApId.eq(id.as_str()))
            .one(&node.state.db)
            .await
            .expect("db")
            .expect("stored")
    };
    // Without --text-in, the other languages stay as they were.
    let out = run(&["--text", "Maintenance on Saturday."]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = stored().await;
    assert_eq!(a.source, "Maintenance on Saturday.");
    let texts = coopdir::directory::announcements::translations(&a);
    assert_eq!(texts["fr"].source, "Maintenance dimanche.");
    assert_eq!(texts["de"].source, "Wartung am Sonntag.");

    // With it, the languages given change and the others stay.
    let out = run(&[
        "--text",
        "Maintenance on Saturday.",
        "--text-in",
        "fr=Maintenance samedi.",
        "--text-in",
        "es=Mantenimiento el sábado.",
    ])
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let texts = coopdir::directory::announcements::translations(&stored().await);
    assert_eq!(texts["fr"].source, "Maintenance samedi.");
    assert!(texts["fr"].html.contains("Maintenance samedi."));
    assert_eq!(texts["es"].source, "Mantenimiento el sábado.");
    assert_eq!(texts["de"].source, "Wartung am Sonntag.");

    // A refused language changes nothing.
    let out = run(&["--text", "Changed.", "--text-in", "tlh=Qapla'"]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither a language of the interface"));
    assert_eq!(stored().await.source, "Maintenance on Saturday.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_admin_actions_say_why_in_the_admins_language() {
    let node = directory().await;
    coopdir::directory::accounts::create_admin(&node.state.db, "ada_lang", "correct horse battery")
        .await
        .unwrap();
    let res = http()
        .post(node.url("/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("username=ada_lang&password=correct+horse+battery")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();

    // Blocking what is not a domain: refused next to the field, in French.
    let (status, html) = post_form(
        &node,
        "/admin/domains/block",
        &[("Cookie", &cookie), ("Accept-Language", "fr")],
        "domain=a%40evil.so%2Fcial&severity=reject",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("id=\"block-domain-error\""), "{html}");
    assert!(
        html.contains("n&#39;est pas un domaine ; donnez un domaine comme evil.example"),
        "{html}"
    );
    assert!(!html.contains("is not a domain"), "{html}");

    // Lifting a block that does not exist, in German; the same refusal in English without
    // a language asked for.
    let (status, html) = post_form(
        &node,
        "/admin/domains/unblock",
        &[("Cookie", &cookie), ("Accept-Language", "de")],
        "domain=calm.example",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("calm.example ist nicht gesperrt"), "{html}");
    let (_, html) = post_form(
        &node,
        "/admin/domains/unblock",
        &[("Cookie", &cookie)],
        "domain=calm.example",
    )
    .await;
    assert!(html.contains("calm.example is not blocked"), "{html}");

    // A refusal the API builds itself (no token), in Spanish.
    let (status, lang, body) = page(&node, "/api/v1/me", &[("Accept-Language", "es")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(lang, "es");
    assert!(
        body.contains("este punto de acceso necesita un token de API"),
        "{body}"
    );
}

/// An API request with a token and a language: status, `Content-Language` and the error.
async fn api_refusal(
    node: &TestNode,
    token: &str,
    path: &str,
    body: Option<Value>,
    lang: Option<&str>,
) -> (StatusCode, String, String) {
    let mut req = match &body {
        Some(b) => http()
            .post(node.url(path))
            .header(header::CONTENT_TYPE, "application/json")
            .body(b.to_string()),
        None => http().get(node.url(path)),
    }
    .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(l) = lang {
        req = req.header(header::ACCEPT_LANGUAGE, l);
    }
    let res = req.send().await.unwrap();
    let (status, lang) = status_and_language(&res);
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (
        status,
        lang,
        body["error"].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_of_access_search_and_transfers_are_in_the_request_language() {
    let node = directory().await;
    let token = meetcoop_token(&node).await;

    // The staff of meet.coop may not act on Rhein Meet's offering: why, in German.
    let announce = json!({"text": "Wartung."});
    let path = "/api/v1/offerings/rheinmeet_bbb/announcements";
    let (status, lang, error) =
        api_refusal(&node, &token, path, Some(announce.clone()), Some("de")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert_eq!(lang, "de");
    assert!(
        error.starts_with("das Konto des Tokens darf nicht für den Eintrag"),
        "{error}"
    );
    assert!(
        error.contains(
            "„meetstaff“ gehört zum Team einer anderen Genossenschaft und darf nicht für"
        ),
        "{error}"
    );
    assert!(!error.contains("is staff of another co-op"), "{error}");
    let (status, lang, error) = api_refusal(&node, &token, path, Some(announce), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert_eq!(lang, "en");
    assert!(
        error.contains("'meetstaff' is staff of another co-op and may not act on"),
        "{error}"
    );
    assert_eq!(announcements_stored(&node).await, 0);

    // A search query that is too long: the domain's refusal, in French for the API and in
    // German on the directory page.
    let long = vec!["recording"; 30].join("+");
    let path = format!("/api/v1/offerings?q={long}");
    let (status, lang, error) = api_refusal(&node, &token, &path, None, Some("fr")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(lang, "fr");
    assert_eq!(
        error,
        "Une recherche peut compter au plus 200 caractères ; celle-ci en a 299. Utilisez \
         moins de mots, ou les filtres."
    );
    let (status, _, error) = api_refusal(&node, &token, &path, None, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert!(
        error.starts_with("A search may have at most 200 characters; this one has 299."),
        "{error}"
    );
    let (status, lang, html) =
        page(&node, &format!("/?q={long}"), &[("Accept-Language", "de")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(lang, "de");
    assert!(
        html.contains("Eine Suche darf höchstens 200 Zeichen haben; diese hat 299."),
        "{html}"
    );
    // A page number that is not one, on the directory page: a 400 in German.
    let (status, lang, html) = page(&node, "/?page=zwei", &[("Accept-Language", "de")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(lang, "de");
    assert!(html.contains("page: „zwei“ ist keine Seitenzahl"), "{html}");

    // The API's own parameters: an `actor` of alternatives that names no offering, in
    // German; a page 0, in Spanish, after the parameter's name.
    let (status, lang, error) = api_refusal(
        &node,
        &token,
        "/api/v1/offerings/alternatives?actor=two+words",
        None,
        Some("de"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert_eq!(lang, "de");
    assert!(
        error.starts_with("„two words“ ist weder die URL eines Akteurs noch ein Handle"),
        "{error}"
    );
    let (status, _, error) =
        api_refusal(&node, &token, "/api/v1/offerings?page=0", None, Some("es")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error, "page: los números de página empiezan en 1");

    // A successor that is neither a URL nor a handle, in Spanish; the field name stays.
    let path = "/api/v1/offerings/meetcoop_bbb/transfer";
    let (status, lang, error) = api_refusal(
        &node,
        &token,
        path,
        Some(json!({"to": "two words", "preview": true})),
        Some("es"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(lang, "es");
    assert!(
        error.starts_with("to: «two words» no es ni la URL de un actor ni un identificador"),
        "{error}"
    );

    // A co-op's hand-over map naming an offering the successor does not have, in French.
    let (status, lang, error) = api_refusal(
        &node,
        &token,
        "/api/v1/offerings/meetcoop/transfer",
        Some(json!({
            "to": "rheinmeet",
            "map": ["meetcoop_bbb=meetcoop_bbb"],
            "preview": true,
        })),
        Some("fr"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert_eq!(lang, "fr");
    assert!(
        error.starts_with(
            "--map meetcoop_bbb=meetcoop_bbb : meetcoop_bbb n'est pas une offre du successeur"
        ),
        "{error}"
    );
    assert!(
        error.ends_with("; associez à ses propres offres"),
        "{error}"
    );
}
