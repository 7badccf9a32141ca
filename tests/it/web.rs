//! The web interface over HTTP (the browser suite in tests/browser drives the same pages in
//! Chromium): forms refuse bad input with 422 and the message next to the field, and write
//! nothing; cross-site form posts are refused while server-to-server inbox posts pass;
//! logins are rate limited; staff of one co-op cannot act on another's listings through any
//! page; the follow form redirects only to a parsed instance host; the directory pages.

use crate::common::*;
use coopdir::directory::{accounts, search::PAGE_SIZE};
use reqwest::{StatusCode, header};

const PASSWORD: &str = "correct horse battery";

/// An `application/x-www-form-urlencoded` body, as a browser sends a form.
trait Urlencoded {
    fn urlencoded(self, pairs: &[(&str, &str)]) -> Self;
}

impl Urlencoded for reqwest::RequestBuilder {
    fn urlencoded(self, pairs: &[(&str, &str)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
    }
}

async fn directory() -> TestNode {
    let node = TestNode::start().await;
    node.import("meetcoop.toml", MEETCOOP).await;
    node.import("rheinmeet.json", RHEINMEET).await;
    node
}

async fn staff(node: &TestNode, username: &str, coop: &str) {
    let coop = node.local(coop).await;
    accounts::create_staff(&node.state.db, username, PASSWORD, &coop)
        .await
        .expect("staff account");
}

/// Log in and return the session cookie (`name=value`).
async fn login(node: &TestNode, username: &str) -> String {
    let res = http()
        .post(node.url("/login"))
        .urlencoded(&[("username", username), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/staff");
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    // The public URL is http in tests: no `Secure` (the browser would drop the cookie).
    assert!(!cookie.contains("Secure"), "{cookie}");
    cookie.split(';').next().expect("pair").to_string()
}

async fn post_form(
    node: &TestNode,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let res = http()
        .post(node.url(path))
        .header(header::COOKIE, cookie)
        .urlencoded(form)
        .send()
        .await
        .expect("post");
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

async fn get_page(node: &TestNode, cookie: Option<&str>, path: &str) -> (StatusCode, String) {
    let mut req = http().get(node.url(path));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = req.send().await.expect("get");
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

/// The complete edit form of an offering with one field changed.
fn edit_form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "meet.coop BigBlueButton"),
        ("summary", "Video conferencing."),
        ("platform", "bigbluebutton"),
        ("platform_version", "2.7"),
        ("features", "recording"),
        ("features", "breakout-rooms"),
        ("participants_per_room", "150"),
        ("concurrent_rooms", "40"),
        ("price_model", "membership"),
        ("price_amount", "9.00"),
        ("price_currency", "EUR"),
        ("price_period", "month"),
        ("languages", "en, de"),
        ("support_languages", "en"),
        ("jurisdiction", "GB"),
        ("data_location", "DE"),
        ("registration", "members-only"),
        ("free_software", "yes"),
        ("notice_days", "90"),
        ("homepage", "https://www.meet.coop/"),
        ("signup", ""),
        ("funding", ""),
    ];
    for (k, v) in overrides {
        if let Some(slot) = form.iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        }
    }
    form
}

#[tokio::test]
async fn forms_refuse_bad_input_with_422_next_to_the_field_and_write_nothing() {
    let node = directory().await;
    staff(&node, "meetstaff", "meetcoop").await;
    let cookie = login(&node, "meetstaff").await;
    let before = node.local("meetcoop_bbb").await;

    // Edit: a bad currency and a bad participant count; both named, nothing changes.
    let (status, body) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/edit",
        &edit_form(&[
            ("name", "Renamed"),
            ("price_currency", "EURO"),
            ("participants_per_room", "lots"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"price_currency-error\""), "{body}");
    assert!(body.contains("ISO 4217"), "{body}");
    assert!(
        body.contains("id=\"participants_per_room-error\""),
        "{body}"
    );
    assert!(body.contains("aria-invalid=\"true\""), "{body}");
    // The form keeps what was typed.
    assert!(body.contains("value=\"Renamed\""), "{body}");
    let after = node.local("meetcoop_bbb").await;
    assert_eq!(after, before, "a refused edit changed the listing");

    // A rule across fields (an amount without a currency) is refused the same way.
    let (status, body) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/edit",
        &edit_form(&[("price_currency", "")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("needs a currency"), "{body}");

    // Announcement: empty text.
    let (status, body) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/announce",
        &[("kind", "news"), ("text", "   ")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"text-error\""), "{body}");
    assert!(body.contains("empty"), "{body}");
    // A kind staff do not choose (sunsets are written by the sunset itself).
    let (status, body) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/announce",
        &[("kind", "sunset"), ("text", "We close.")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"kind-error\""), "{body}");

    // Sunset: sooner than the promised 90 days of notice.
    let soon = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    let (status, body) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/sunset",
        &[("end", soon.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"end-error\""), "{body}");
    assert!(body.contains("90 days of notice"), "{body}");
    let (status, body) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/sunset",
        &[("end", "soon")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("YYYY-MM-DD"), "{body}");

    // Transfer: unconfirmed, and to nobody known.
    let (status, body) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/transfer",
        &[("to", "meetcoop_rooms")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"confirm-error\""), "{body}");
    let (status, body) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/transfer",
        &[("to", "nobody_here"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"to-error\""), "{body}");

    let after = node.local("meetcoop_bbb").await;
    assert_eq!(after, before, "a refused form changed the listing");
    assert!(
        !get_page(&node, None, "/actors/meetcoop_bbb")
            .await
            .1
            .contains("We close."),
        "a refused announcement was published"
    );

    // Login: empty fields are 422 with the message next to each.
    let res = http()
        .post(node.url("/login"))
        .urlencoded(&[("username", ""), ("password", "")])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("body");
    assert!(body.contains("id=\"username-error\""), "{body}");
    assert!(body.contains("id=\"password-error\""), "{body}");

    // And a good edit goes through the domain: the actor document changes.
    let (status, _) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/edit",
        &edit_form(&[
            ("name", "meet.coop Assemblies"),
            ("participants_per_room", "300"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let json: serde_json::Value = http()
        .get(node.url("/actors/meetcoop_bbb"))
        .header(header::ACCEPT, "application/activity+json")
        .send()
        .await
        .expect("actor")
        .json()
        .await
        .expect("json");
    assert_eq!(json["name"], "meet.coop Assemblies");
    assert!(json.to_string().contains("300"), "{json}");
}

#[tokio::test]
async fn cross_site_form_posts_are_refused_and_inbox_posts_pass() {
    let node = directory().await;
    staff(&node, "meetstaff", "meetcoop").await;
    let cookie = login(&node, "meetstaff").await;
    let form = [("kind", "news"), ("text", "Forged by another site")];

    // A browser on another site: Sec-Fetch-Site says so.
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/announce"))
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .header(header::ORIGIN, "https://evil.example")
        .urlencoded(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // An older browser without Sec-Fetch-Site: the Origin does not match.
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/announce"))
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, "https://evil.example")
        .urlencoded(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Logging someone in or out from elsewhere is refused too.
    let res = http()
        .post(node.url("/login"))
        .header("sec-fetch-site", "cross-site")
        .urlencoded(&[("username", "meetstaff"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    let (_, page) = get_page(&node, None, "/actors/meetcoop_bbb").await;
    assert!(
        !page.contains("Forged by another site"),
        "a forged post went through"
    );

    // The same form from the node's own pages passes.
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/announce"))
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, node.base.as_str())
        .urlencoded(&[("kind", "news"), ("text", "From our own page")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = get_page(&node, None, "/actors/meetcoop_bbb").await;
    assert!(page.contains("From our own page"));

    // Server-to-server: an inbox POST carries no Origin and is judged by its signature
    // (401 for none), not refused as a cross-site form (403).
    for path in ["/inbox", "/actors/meetcoop_bbb/inbox"] {
        let res = http()
            .post(node.url(path))
            .header(header::CONTENT_TYPE, "application/activity+json")
            .body(r#"{"type":"Follow","actor":"https://remote.example/users/a","object":"x"}"#)
            .send()
            .await
            .expect("inbox post");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    // And a real signed delivery between two nodes still arrives: a peer follows.
    let other = TestNode::start().await;
    let target = node.local("meetcoop_bbb").await;
    let remote = other.resolve(&target.ap_id).await;
    let follower = other.instance().await;
    coopdir::federation::send::follow_once(&other.state.db, &other.state, &follower, &remote)
        .await
        .expect("queue follow");
    other.state.queue_notify.notify_one();
    eventually(30, "the follow to arrive through the inbox", || async {
        (coopdir::directory::follower_count(&node.state.db, target.id)
            .await
            .ok()?
            > 0)
        .then_some(())
    })
    .await;
}

#[tokio::test]
async fn logins_are_rate_limited() {
    let node = directory().await;
    staff(&node, "limited", "meetcoop").await;
    for _ in 0..accounts::LOGIN_ATTEMPTS {
        let res = http()
            .post(node.url("/login"))
            .urlencoded(&[
                ("username", "limited"),
                ("password", "wrong password, really"),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(
            res.text()
                .await
                .expect("body")
                .contains("Wrong username or password")
        );
    }
    // Now even the right password waits.
    let res = http()
        .post(node.url("/login"))
        .urlencoded(&[("username", "limited"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers()[header::RETRY_AFTER]
        .to_str()
        .expect("retry-after")
        .parse()
        .expect("seconds");
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("Too many failed attempts")
    );
}

#[tokio::test]
async fn staff_of_one_coop_cannot_act_on_another_coops_listings() {
    let node = directory().await;
    staff(&node, "meetstaff", "meetcoop").await;
    staff(&node, "rheinstaff", "rheinmeet").await;
    let meet = login(&node, "meetstaff").await;
    let before = node.local("rheinmeet_bbb").await;

    // Every page and form of another co-op's listing (and of that co-op): 403.
    for target in ["rheinmeet_bbb", "rheinmeet"] {
        let (status, _) = get_page(&node, Some(&meet), &format!("/staff/{target}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "GET /staff/{target}");
        for (action, form) in [
            ("edit", edit_form(&[("name", "Taken over")])),
            ("announce", vec![("kind", "news"), ("text", "Taken over")]),
            ("sunset", vec![("end", "2099-01-01")]),
            ("transfer", vec![("to", "meetcoop_bbb"), ("confirm", "yes")]),
        ] {
            let (status, _) =
                post_form(&node, &meet, &format!("/staff/{target}/{action}"), &form).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "POST /staff/{target}/{action}"
            );
        }
    }
    assert_eq!(
        node.local("rheinmeet_bbb").await,
        before,
        "another co-op's listing changed"
    );
    let (_, page) = get_page(&node, None, "/actors/rheinmeet_bbb").await;
    assert!(!page.contains("Taken over"));

    // The staff page lists only their own co-op; the actor page offers no manage link.
    let (_, page) = get_page(&node, Some(&meet), "/staff").await;
    assert!(page.contains("/staff/meetcoop_bbb"));
    assert!(!page.contains("/staff/rheinmeet"), "{page}");
    let (_, page) = get_page(&node, Some(&meet), "/actors/rheinmeet_bbb").await;
    assert!(!page.contains("/staff/rheinmeet_bbb"));
    let (_, page) = get_page(&node, Some(&meet), "/actors/meetcoop_bbb").await;
    assert!(page.contains("/staff/meetcoop_bbb"));

    // Their own listing: allowed. Without a session: sent to the login page.
    let (status, _) = get_page(&node, Some(&meet), "/staff/meetcoop_bbb").await;
    assert_eq!(status, StatusCode::OK);
    let res = http()
        .post(node.url("/staff/meetcoop_bbb/announce"))
        .urlencoded(&[("kind", "news"), ("text", "anonymous")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/login");

    // A session ends with logout: the cookie no longer opens anything.
    let res = http()
        .post(node.url("/logout"))
        .header(header::COOKIE, &meet)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = http()
        .get(node.url("/staff/meetcoop_bbb"))
        .header(header::COOKIE, &meet)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn follow_redirects_only_to_a_parsed_instance_host() {
    let node = directory().await;
    let actor = node.local("meetcoop_bbb").await.ap_id;
    let follow = |instance: &str| {
        let mut u = url::Url::parse(&node.url("/follow")).expect("url");
        u.query_pairs_mut()
            .append_pair("actor", &actor)
            .append_pair("instance", instance);
        u.to_string()
    };
    for good in [
        "mastodon.example",
        "@me@Mastodon.Example",
        "https://mastodon.example/",
    ] {
        let res = http().get(follow(good)).send().await.expect("follow");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{good}");
        let location = res.headers()[header::LOCATION].to_str().expect("location");
        let expected = format!(
            "https://mastodon.example/authorize_interaction?uri={}",
            url::form_urlencoded::byte_serialize(actor.as_bytes()).collect::<String>()
        );
        assert_eq!(location, expected, "{good}");
    }
    for bad in [
        "evil.example/phish?",
        "https://evil.example/x#",
        "user:pass@evil.example",
        "127.0.0.1",
        "javascript:alert(1)",
        "//evil.example",
        "evil.example\\@good.example",
    ] {
        let res = http().get(follow(bad)).send().await.expect("follow");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(res.headers().get(header::LOCATION).is_none(), "{bad}");
        let body = res.text().await.expect("body");
        assert!(body.contains("id=\"instance-error\""), "{body}");
    }
    // Only actors of this directory: no redirect for an unknown one.
    let res = http()
        .get(node.url("/follow?actor=https%3A%2F%2Fevil.example%2Fx&instance=mastodon.example"))
        .send()
        .await
        .expect("follow");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.headers().get(header::LOCATION).is_none());
}

#[tokio::test]
async fn the_directory_pages_filter_page_and_compare() {
    let node = directory().await;
    // More offerings than fit on one page.
    let mut doc =
        String::from("[coop]\nhandle = \"bulk\"\nname = \"Bulk Co-op\"\nform = \"worker\"\n");
    let extra = PAGE_SIZE as usize + 2;
    for i in 0..extra {
        doc.push_str(&format!(
            "\n[[offerings]]\nhandle = \"bulk_{i}\"\nname = \"Bulk Galene {i}\"\nplatform = \"galene\"\nprice = {{ model = \"free\" }}\nregistration = \"open\"\n"
        ));
    }
    node.import("bulk.toml", &doc).await;

    let (status, page) = get_page(&node, None, "/?platform=galene").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("{extra} offerings")), "{page}");
    assert!(page.contains("rel=\"next\""), "no link to page 2");
    assert!(
        page.contains("href=\"/?platform=galene&#38;page=2\""),
        "{page}"
    );
    let (_, page2) = get_page(&node, None, "/?platform=galene&page=2").await;
    assert_eq!(page2.matches("<li class=\"listing").count(), 2, "{page2}");
    assert!(page2.contains("rel=\"prev\""));

    // Facets are links with counts that keep the other filters.
    let (_, page) = get_page(&node, None, "/?q=meet").await;
    assert!(
        page.contains("href=\"/?q=meet&#38;platform=jitsi\""),
        "{page}"
    );
    assert!(page.contains("<span class=\"count\">3</span>"), "{page}");

    // A bad filter is a 422 page that says which and why; a bad page number a 400.
    let (status, page) = get_page(&node, None, "/?registration=sometimes").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("registration:"), "{page}");
    let (status, _) = get_page(&node, None, "/?page=two").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Compare: two to four offerings, by actor URL or handle.
    let a = node.local("meetcoop_bbb").await.ap_id;
    let b = format!("rheinmeet_jitsi@{}", node.domain());
    let (status, page) = get_page(
        &node,
        None,
        &format!(
            "/compare?actor={a}&actor={}",
            url::form_urlencoded::byte_serialize(b.as_bytes()).collect::<String>()
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("<th scope=\"col\">").count(), 2, "{page}");
    let (status, page) = get_page(&node, None, &format!("/compare?actor={a}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("at least 2"), "{page}");
    let (status, _) = get_page(
        &node,
        None,
        &format!("/compare?actor={a}&actor=https%3A%2F%2Fnowhere.example%2Fa"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Pages for browsers, JSON for servers on the same URL; feeds are linked.
    let (status, page) = get_page(&node, None, "/actors/meetcoop_bbb").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("application/atom+xml"));
    assert!(page.contains("Compatible alternatives"));
    let (status, page) = get_page(&node, None, "/actors/meetcoop").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("meet.coop BigBlueButton"),
        "the co-op page lists its offerings"
    );

    // The about page shows the charter from the data directory.
    std::fs::write(
        node.db.dir.path().join("charter.txt"),
        "We list co-operatives only.\n\nNo <b>ads</b>, ever.",
    )
    .expect("charter");
    let (status, page) = get_page(&node, None, "/about").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<p>We list co-operatives only.</p>"),
        "{page}"
    );
    assert!(page.contains("No &lt;b&gt;ads&lt;/b&gt;, ever."), "{page}");
}

/// The directory page is rendered once for visitors without a session and kept: what one
/// visitor sees never carries another's session (the staff links and the logout button of a
/// logged-in member, in either direction), each language gets its own, and an edit or a
/// new listing shows on the next request.
#[tokio::test]
async fn the_kept_directory_page_shows_no_session_and_follows_every_change() {
    let node = directory().await;
    staff(&node, "meetstaff", "meetcoop").await;
    let cookie = login(&node, "meetstaff").await;
    let anonymous = |page: &str| {
        assert!(page.contains("href=\"/login\""), "{page}");
        assert!(!page.contains("action=\"/logout\""), "{page}");
        assert!(!page.contains("meetstaff"), "{page}");
        assert!(!page.contains("href=\"/staff\""), "{page}");
    };
    // Several times: the first requests build the search's kept page and the rendered one.
    let mut first = String::new();
    for _ in 0..3 {
        let (status, page) = get_page(&node, None, "/").await;
        assert_eq!(status, StatusCode::OK);
        anonymous(&page);
        if first.is_empty() {
            first = page;
        } else {
            assert_eq!(page, first, "the same page for every visitor");
        }
    }
    // A logged-in member gets their own frame, not the kept page.
    for _ in 0..2 {
        let (status, page) = get_page(&node, Some(&cookie), "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("action=\"/logout\""), "{page}");
        assert!(page.contains("Log out (meetstaff)"), "{page}");
        assert!(page.contains("href=\"/staff\""), "{page}");
        assert!(!page.contains("href=\"/login\""), "{page}");
    }
    // And visitors after them still get a page without a session.
    let (_, page) = get_page(&node, None, "/").await;
    anonymous(&page);
    // Compressed as each browser accepts, the same page.
    for (accept, encoding) in [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br", "br"),
    ] {
        let res = http()
            .get(node.url("/"))
            .header(header::ACCEPT_ENCODING, accept)
            .send()
            .await
            .expect("get");
        assert_eq!(
            res.headers()[header::CONTENT_ENCODING],
            encoding,
            "{accept}"
        );
        let bytes = res.bytes().await.expect("body");
        let mut text = String::new();
        use std::io::Read as _;
        if encoding == "br" {
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_string(&mut text)
                .expect("brotli");
        } else {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .expect("gzip");
        }
        assert_eq!(text, first, "{accept}");
    }

    // One kept page per language.
    for (lang, heading) in [
        ("de", "Einen genossenschaftlichen Anbieter finden"),
        ("en", "Find a co-operative provider"),
        ("de", "Einen genossenschaftlichen Anbieter finden"),
    ] {
        let res = http()
            .get(node.url("/"))
            .header(header::ACCEPT_LANGUAGE, lang)
            .send()
            .await
            .expect("get");
        assert_eq!(res.headers()[header::CONTENT_LANGUAGE], lang);
        let page = res.text().await.expect("body");
        assert!(page.contains(heading), "{lang}: {page}");
        anonymous(&page);
    }

    // An edit shows on the next request, as does a new listing.
    let (status, _) = post_form(
        &node,
        &cookie,
        "/staff/meetcoop_bbb/edit",
        &edit_form(&[("name", "meet.coop Assemblies")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = get_page(&node, None, "/").await;
    assert!(page.contains("meet.coop Assemblies"), "{page}");
    anonymous(&page);
    node.import(
        "late.toml",
        "[coop]\nhandle = \"late\"\nname = \"Late Co-op\"\nform = \"worker\"\n\n[[offerings]]\nhandle = \"late_galene\"\nname = \"Late Galene\"\nplatform = \"galene\"\nprice = { model = \"free\" }\nregistration = \"open\"\n",
    )
    .await;
    let (_, page) = get_page(&node, None, "/").await;
    assert!(page.contains("Late Galene"), "{page}");
    let (_, page) = get_page(&node, None, "/?platform=galene").await;
    assert!(page.contains("Late Galene"), "{page}");
}

/// The kept directory page is served without asking the database while this process wrote
/// nothing it shows; what another process writes to the same database (a `coopdir` command,
/// another node on the same PostgreSQL) shows within about a second
/// (`db::writes::Writes::FRESH`).
#[tokio::test]
async fn a_listing_changed_by_another_process_shows_on_the_kept_page() {
    use coopdir::db::entities::actor;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    let node = directory().await;
    for _ in 0..3 {
        let (status, page) = get_page(&node, None, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("meet.coop BigBlueButton"), "{page}");
    }
    // Another connection, as another process has: its writes are not this node's.
    let other = coopdir::db::connect(&node.db.url).await.expect("connect");
    let bbb = actor::Entity::find()
        .filter(actor::Column::Username.eq("meetcoop_bbb"))
        .filter(actor::Column::Local.eq(true))
        .one(&other)
        .await
        .expect("db")
        .expect("listing");
    let mut edit: actor::ActiveModel = bbb.into();
    edit.name = Set("Renamed Elsewhere".into());
    edit.updated_at = Set(chrono::Utc::now());
    edit.update(&other).await.expect("update");
    eventually(5, "the other process's edit on the kept page", || async {
        let (_, page) = get_page(&node, None, "/").await;
        page.contains("Renamed Elsewhere").then_some(())
    })
    .await;
}
