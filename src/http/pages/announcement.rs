//! `GET /announcements/{id}` for browsers: an announcement with its replies, and the
//! forms its author's staff use to answer, pin and hide; members report a reply from here.

use super::super::{
    activitypub,
    frame::{Base, date, error_page, frame_or_error, no_store, page_href, safe_href},
    i18n::Tr,
    staff, wants_activity_json,
};
use super::actor::{NoteView, note_view};
use crate::{
    directory::{
        self as domain,
        records::{Account, Actor, Announcement},
    },
    federation::Ctx,
    http::error::{AppError, AppResult},
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::{Path, RawQuery},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use url::Url;

#[derive(Template, WebTemplate)]
#[template(path = "announcement.html")]
pub struct AnnouncementPage {
    base: Base,
    tr: Tr,
    author_name: String,
    author_url: String,
    note: NoteView,
    /// The path of the announcement, for the forms and the feed.
    path: String,
    replies: Vec<ReplyView>,
    faq: Vec<FaqView>,
    /// The username of the listing when the visitor may answer for it (staff, admins).
    staff_of: Option<String>,
    done: Option<String>,
}

/// One reply under an announcement, threaded one level (`nested`).
pub struct ReplyView {
    pub ap_id: String,
    pub anchor: String,
    pub handle: String,
    pub author_href: String,
    pub link: String,
    pub published: String,
    pub content: String,
    pub coop: bool,
    pub nested: bool,
    pub pinned: bool,
    pub answered: bool,
    pub hidden: bool,
    /// For staff: why the public does not see it (followers only, direct).
    pub private_note: Option<String>,
}

/// A pinned answer of the co-op with the question it answers.
pub struct FaqView {
    pub question: Option<ReplyView>,
    pub answer: ReplyView,
}

fn reply_view(tr: &Tr, s: &domain::replies::Shown, nested: bool) -> ReplyView {
    let r = &s.reply;
    let private_note = (!domain::replies::Visibility::shown(&r.visibility))
        .then(|| tr.vocab("reply-visibility", &r.visibility));
    ReplyView {
        ap_id: r.ap_id.clone(),
        anchor: format!("reply-{}", r.id),
        handle: format!("@{}", domain::replies::handle(&s.author)),
        author_href: page_href(&s.author),
        link: r
            .url
            .as_deref()
            .and_then(safe_href)
            .or_else(|| safe_href(&r.ap_id))
            .unwrap_or_else(|| "#".into()),
        published: date(r.published),
        content: r.content_html.clone(),
        coop: r.local,
        nested,
        pinned: r.pinned,
        answered: s.answered,
        hidden: r.hidden,
        private_note,
    }
}

/// The page of an announcement with its replies; staff of its author get the forms to
/// answer, pin and hide.
async fn thread_page(
    ctx: &Ctx,
    base: Base,
    account: Option<&Account>,
    author: Actor,
    a: Announcement,
    done: Option<String>,
) -> AppResult<Response> {
    use domain::replies;
    let staff = account.is_some_and(|acc| staff::may_manage(acc, &author));
    let threads = replies::thread(&ctx.db, a.id, staff).await?;
    let mut views = Vec::new();
    for t in &threads {
        views.push(reply_view(&Tr, &t.top, false));
        views.extend(t.children.iter().map(|c| reply_view(&Tr, c, true)));
    }
    let faq = replies::pinned(&ctx.db, a.id)
        .await?
        .into_iter()
        .map(|(answer, question)| FaqView {
            question: question.as_ref().map(|q| reply_view(&Tr, q, false)),
            answer: reply_view(
                &Tr,
                &replies::Shown {
                    reply: answer,
                    author: author.clone(),
                    answered: false,
                },
                false,
            ),
        })
        .collect();
    let path = Url::parse(&a.ap_id)
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    let page = AnnouncementPage {
        base,
        tr: Tr,
        author_name: author.name.clone(),
        author_url: page_href(&author),
        path,
        replies: views,
        faq,
        staff_of: staff.then(|| author.username.clone()),
        note: note_view(&Tr, a),
        done,
    }
    .into_response();
    Ok(if staff { no_store(page) } else { page })
}

/// A live announcement by its path id, with its author.
async fn find_announcement(ctx: &Ctx, id: &str) -> AppResult<(Announcement, Actor)> {
    let ap_id = ctx.url(&format!("/announcements/{id}"));
    let a = domain::browse::announcement_by_ap_id(&ctx.db, ap_id.as_str())
        .await?
        .ok_or_else(|| AppError::NotFound(Tr.t("error-no-announcement")))?;
    if a.deleted {
        return Err(AppError::Gone(Tr.t("error-withdrawn")));
    }
    let author = domain::browse::actor_by_id(&ctx.db, a.actor_id)
        .await?
        .ok_or_else(|| AppError::NotFound(Tr.t("error-no-announcement")))?;
    Ok((a, author))
}

/// `GET /announcements/{id}`: the Note for servers, a page for browsers.
pub async fn announcement(
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if wants_activity_json(&headers) {
        return activitypub::announcement(ctx, Path(id))
            .await
            .into_response();
    }
    let (base, account) = match frame_or_error(&ctx, &headers).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let done = done(raw.as_deref());
    let page = async {
        let (a, author) = find_announcement(&ctx, &id).await?;
        thread_page(&ctx, base.clone(), account.as_ref(), author, a, done).await
    };
    page.await.unwrap_or_else(|e| error_page(base, e))
}

/// What the last form did, said above the thread (`?done=…`).
fn done(raw: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "done")
        .and_then(|(_, v)| match v.as_ref() {
            "answer" => Some(Tr.t("done-answer")),
            "hide" => Some(Tr.t("done-reply-hidden")),
            "pin" => Some(Tr.t("done-reply-pinned")),
            "report" => Some(Tr.t("done-reply-reported")),
            _ => None,
        })
}

/// `POST /announcements/{id}/report`: a member reports a reply under the announcement;
/// it becomes a report about the reply's author, naming the reply, for the admins.
pub async fn report_reply(ctx: Ctx, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match file_report(&ctx, &id, &get("reply"), &get("comment")).await {
        Ok(()) => Redirect::to(&format!("/announcements/{id}?done=report#replies")).into_response(),
        Err(e) => error_page(Base::new(&ctx, None), e),
    }
}

/// Files the report of a reply shown under the announcement `id`, unless one is open.
async fn file_report(ctx: &Ctx, id: &str, reply: &str, comment: &str) -> AppResult<()> {
    let (a, _) = find_announcement(ctx, id).await?;
    let (r, ra, _) = domain::replies::by_ap_id(&ctx.db, reply).await?;
    if ra.id != a.id || r.local || r.hidden || !domain::replies::Visibility::shown(&r.visibility) {
        return Err(AppError::NotFound(Tr.t("error-no-reply")));
    }
    let author = domain::browse::actor_by_id(&ctx.db, r.actor_id)
        .await?
        .ok_or_else(|| AppError::NotFound(Tr.t("error-no-reply")))?;
    // One open report per reply is enough for the admins: repeated reports of the
    // same reply file nothing more.
    let open = domain::moderation::reports(&ctx.db, false).await?;
    let known = open.iter().any(|o| {
        o.target_ap_id == author.ap_id
            && serde_json::from_str::<Vec<String>>(&o.status_uris)
                .is_ok_and(|s| s.contains(&r.ap_id))
    });
    if !known {
        domain::moderation::report_here(ctx, &author, vec![r.ap_id.clone()], comment).await?;
    }
    Ok(())
}
