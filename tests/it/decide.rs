//! Deciding and following from the web pages: the comparison's ✓/✗ feature matrix with
//! Follow, Sign up and Remove per column; the home page's invitation to follow the category
//! group, whose page and feed show the announcements it boosts; the follow form that
//! remembers the member's instance.

use crate::common::*;
use coopdir::directory;
use reqwest::{StatusCode, header};

async fn directory_node() -> TestNode {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    node
}

async fn body(url: &str, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let mut req = http().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compare_shows_a_feature_matrix_and_lets_members_act_per_column() {
    let node = directory_node().await;
    let bbb = node.url("/actors/meetcoop_bbb");
    let jitsi = node.url("/actors/rheinmeet_jitsi");
    let klass = node.url("/actors/rheinmeet_bbb");
    let path = format!(
        "/compare?actor={}&actor={}&actor={}",
        enc(&bbb),
        enc(&jitsi),
        enc(&klass)
    );
    let (status, html) = body(&node.url(&path), &[]).await;
    assert_eq!(status, StatusCode::OK);

    // ✓ and ✗ are shown to the eye; screen readers hear yes and no.
    assert!(html.contains("<span class=\"yes\" aria-hidden=\"true\">✓</span><span class=\"visually-hidden\">yes</span>"));
    assert!(html.contains(
        "<span class=\"no\" aria-hidden=\"true\">✗</span><span class=\"visually-hidden\">no</span>"
    ));
    // LTI is offered by the Klassenzimmer only: its row differs, ✗ ✗ ✓ in column order.
    let lti = html
        .split("<tr class=\"feature")
        .find(|r| r.contains("LTI / Moodle"))
        .expect("an LTI row");
    assert!(lti.starts_with(" differs\""), "{lti}");
    let marks: Vec<&str> = lti
        .match_indices("aria-hidden=\"true\">")
        .map(|(i, m)| &lti[i + m.len()..i + m.len() + 3])
        .collect();
    assert_eq!(marks, ["✗", "✗", "✓"], "{lti}");
    // The list of features is not repeated as a text row.
    assert!(!html.contains("<th scope=\"row\">Features"));
    // Price, languages, registration and notice are rows.
    for row in [
        "Price",
        "Interface languages",
        "Registration",
        "Notice before closing",
    ] {
        assert!(html.contains(&format!("<th scope=\"row\">{row}")), "{row}");
    }

    // Each column can be followed, and removed without losing the others.
    for actor in [&bbb, &jitsi, &klass] {
        assert!(
            html.contains(&format!("href=\"/follow?actor={}\"", enc(actor))),
            "{actor}"
        );
    }
    let remove_jitsi = format!(
        "href=\"/compare?actor={}&#38;actor={}#compare-caption\"",
        enc(&bbb),
        enc(&klass)
    );
    assert!(html.contains(&remove_jitsi), "{html}");
    assert!(html.contains("Remove<span class=\"visually-hidden\"> Rhein Meet Jitsi</span>"));

    // With two left, neither can be removed (a comparison needs two).
    let path = format!("/compare?actor={}&actor={}", enc(&bbb), enc(&jitsi));
    let (_, html) = body(&node.url(&path), &[]).await;
    assert!(!html.contains(">Remove<"));

    // In German, the marks read ja / nein.
    let (_, html) = body(&node.url(&path), &[("Accept-Language", "de")]).await;
    assert!(html.contains("<span class=\"visually-hidden\">ja</span>"));
    assert!(html.contains("Folgen<span class=\"visually-hidden\"> meet.coop BigBlueButton</span>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_offers_the_category_group_which_shows_what_it_boosts() {
    let node = directory_node().await;
    let group = node.url("/actors/videoconferencing");

    let (_, home) = body(&node.url("/"), &[]).await;
    assert!(home.contains("Follow every video-conferencing provider"));
    assert!(home.contains(&format!("href=\"/follow?actor={}\"", enc(&group))));
    assert!(home.contains("What you will receive"));
    // A search page does not repeat the invitation.
    let (_, search) = body(&node.url("/?q=jitsi"), &[]).await;
    assert!(!search.contains("Follow every video-conferencing provider"));

    // Every result can be followed, local ones too.
    let bbb = node.url("/actors/meetcoop_bbb");
    assert!(home.contains(&format!("href=\"/follow?actor={}\"", enc(&bbb))));

    // The group can be followed from the follow form.
    let (status, form) = body(&node.url(&format!("/follow?actor={}", enc(&group))), &[]).await;
    assert_eq!(status, StatusCode::OK, "{form}");

    // Its page and feed show the announcements it boosts.
    let author = node.local("meetcoop_rooms").await;
    directory::announcements::announce(
        &node.state,
        &author,
        directory::types::AnnouncementKind::Capacity,
        "Twice the rooms from Monday.",
    )
    .await
    .unwrap();
    let page = eventually(20, "the group's page shows the boost", || async {
        let (_, page) = body(&group, &[]).await;
        page.contains("Twice the rooms from Monday.")
            .then_some(page)
    })
    .await;
    assert!(!page.contains("No announcements yet."));
    let (_, feed) = body(&node.url("/actors/videoconferencing/feed.atom"), &[]).await;
    assert!(feed.contains("Twice the rooms from Monday."), "{feed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_follow_form_remembers_the_members_instance() {
    let node = directory_node().await;
    let bbb = node.url("/actors/meetcoop_bbb");
    let res = http()
        .get(node.url(&format!(
            "/follow?actor={}&instance={}",
            enc(&bbb),
            enc("@me@Social.Example")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("instance=social.example;"), "{cookie}");
    // For the whole site: the actor pages' follow forms read it too.
    assert!(cookie.contains("Path=/;"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");

    // The next follow form is filled in with it.
    let jitsi = node.url("/actors/rheinmeet_jitsi");
    let (_, form) = body(
        &node.url(&format!("/follow?actor={}", enc(&jitsi))),
        &[("Cookie", "instance=social.example")],
    )
    .await;
    assert!(form.contains("value=\"social.example\""), "{form}");
    // So is the follow form of every actor page, which varies by cookie.
    for path in ["/actors/rheinmeet_jitsi", "/actors/meetcoop"] {
        let res = http()
            .get(node.url(path))
            .header("Cookie", "instance=social.example")
            .send()
            .await
            .unwrap();
        let vary: Vec<_> = res.headers().get_all(header::VARY).iter().collect();
        assert!(vary.iter().any(|v| *v == "Cookie"), "{path}: {vary:?}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains("name=\"instance\" type=\"text\" inputmode=\"url\" autocomplete=\"off\" spellcheck=\"false\" value=\"social.example\""),
            "{path}"
        );
        let (_, page) = body(&node.url(path), &[("Cookie", "instance=\"><script>")]).await;
        assert!(
            page.contains("value=\"\""),
            "an invalid cookie prefills nothing: {path}"
        );
    }
    let (_, page) = body(&node.url("/actors/meetcoop"), &[]).await;
    assert!(page.contains("value=\"\""), "nothing without the cookie");
    // A cookie that is not a server's domain is not shown.
    let (status, form) = body(
        &node.url(&format!("/follow?actor={}", enc(&jitsi))),
        &[("Cookie", "instance=\"><script>")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!form.contains("<script>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_report_a_listing_to_the_admins() {
    let node = directory_node().await;
    let bbb = node.url("/actors/meetcoop_bbb");
    let (_, page) = body(&bbb, &[]).await;
    let form_href = format!("/report?actor={}", enc(&bbb));
    assert!(
        page.contains(&format!("href=\"{form_href}\">Report this listing")),
        "{page}"
    );
    let (status, form) = body(&node.url(&form_href), &[("Accept-Language", "es")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Denunciar meet.coop BigBlueButton"));

    let post = |comment: &str| {
        http()
            .post(node.url("/report"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, node.url(""))
            .body(format!("actor={}&comment={}", enc(&bbb), enc(comment)))
            .send()
    };
    // Refused without a comment: the summary links to the field, nothing is stored.
    let res = post("  ").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("<a href=\"#comment\">Say what is wrong with the listing.</a>"));
    assert!(
        coopdir::directory::moderation::reports(&node.state.db, true)
            .await
            .unwrap()
            .is_empty()
    );

    // Filed: post/redirect/get to the thanks, and the admins see it, as text.
    let res = post("Claims <b>e2ee</b>, has none.").await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(to, format!("{form_href}&done=1"));
    let (_, thanks) = body(&node.url(&to), &[]).await;
    assert!(thanks.contains("Thank you. The admins of this node will look at your report."));
    let open = coopdir::directory::moderation::reports(&node.state.db, false)
        .await
        .unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].target_ap_id, bbb);
    assert_eq!(open[0].reporter_ap_id, None);
    assert_eq!(open[0].comment, "Claims <b>e2ee</b>, has none.");

    // Only listings of this directory can be reported.
    let (status, _) = body(
        &node.url("/report?actor=https%3A%2F%2Fevil.example%2Fx"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_listing_reports_from_one_client_get_429() {
    let node = directory_node().await;
    let bbb = node.url("/actors/meetcoop_bbb");
    let post = |comment: String| {
        http()
            .post(node.url("/report"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, node.url(""))
            .body(format!("actor={}&comment={}", enc(&bbb), enc(&comment)))
            .send()
    };
    for i in 0..coopdir::directory::accounts::LOGIN_ATTEMPTS {
        let res = post(format!("Wrong price, report {i}.")).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "report {i}");
    }
    let res = post("One more.".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Too many reports from your address. Try again in"),
        "{html}"
    );
    assert!(html.contains("One more."), "the comment is kept");
    let open = coopdir::directory::moderation::reports(&node.state.db, false)
        .await
        .unwrap();
    assert_eq!(open.len(), coopdir::directory::accounts::LOGIN_ATTEMPTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compare_adds_an_offering_with_a_plain_link_keeping_the_others() {
    let node = directory_node().await;
    let bbb = node.url("/actors/meetcoop_bbb");
    let jitsi = node.url("/actors/rheinmeet_jitsi");
    let path = format!("/compare?actor={}&actor={}", enc(&bbb), enc(&jitsi));
    let (status, html) = body(&node.url(&path), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Add an offering to the comparison"), "{html}");
    // Links, not a script: each keeps the two compared, in order, and comes back to the table.
    let keep = format!(
        "href=\"/compare?actor={}&#38;actor={}&#38;actor=",
        enc(&bbb),
        enc(&jitsi)
    );
    let adds: Vec<String> = html
        .match_indices(&keep)
        .map(|(i, _)| {
            let rest = &html[i + "href=\"".len()..];
            rest[..rest.find('"').unwrap()].replace("&#38;", "&")
        })
        .collect();
    assert!(!adds.is_empty(), "{html}");
    for add in &adds {
        assert!(add.ends_with("#compare-caption"), "{add}");
        assert!(
            !add.contains(&format!("actor={}#", enc(&bbb))),
            "not twice: {add}"
        );
    }
    assert!(
        html.contains("Add<span class=\"visually-hidden\">"),
        "named for readers"
    );

    // Following one: three columns, the first two where they were.
    let (status, html) = body(&node.url(adds[0].trim_end_matches("#compare-caption")), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("<th scope=\"col\">").count(), 3);
    let first = html.find("meet.coop BigBlueButton").unwrap();
    let second = html.find("Rhein Meet Jitsi").unwrap();
    assert!(first < second);
    // Each column can now be removed again, back to the others.
    assert!(html.contains(">Remove<"));

    // At the maximum, nothing more is offered.
    let four: Vec<String> = [
        "/actors/meetcoop_bbb",
        "/actors/rheinmeet_jitsi",
        "/actors/rheinmeet_bbb",
        "/actors/meetcoop_rooms",
    ]
    .iter()
    .map(|p| format!("actor={}", enc(&node.url(p))))
    .collect();
    let (status, html) = body(&node.url(&format!("/compare?{}", four.join("&"))), &[]).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(!html.contains("Add an offering to the comparison"));
}
