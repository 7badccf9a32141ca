//! `GET /actors/{username}` for browsers: the page of an offering (`offering`), a co-op
//! (`coop`) or another local actor, with the parts they share: the head, the lifecycle
//! box of a listing that is ending, the announcements.

use super::super::{
    activitypub,
    frame::{Base, date, error_page, frame_or_error, handle_of, page_href, page_or_error},
    i18n::Tr,
    report, staff, wants_activity_json,
};
use super::{coop, offering};
use crate::{
    directory::{
        self as domain,
        records::{Account, Actor, Announcement},
        types::{ActorKind, Moderation, Status},
    },
    federation::Ctx,
    html,
    http::error::{AppError, AppResult},
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::Path,
    http::HeaderMap,
    response::{IntoResponse, Response},
};

pub struct NoteView {
    pub url: String,
    pub content: String,
    pub published: String,
    pub kind: String,
    /// Replies shown under it (counted for the listing page).
    pub replies: u64,
    /// The language of `content` when it is not the page's (`lang` on its element).
    pub lang: Option<String>,
}

pub(super) fn note_view(tr: &Tr, n: Announcement) -> NoteView {
    // The member's language when the announcement was written in it too.
    let translations = domain::announcements::translations(&n);
    let page = crate::i18n::current().code();
    let (content, lang) = domain::announcements::shown_in(&n, &translations, page);
    let lang = domain::announcements::lang_attribute(lang, page);
    let content = content.to_string();
    NoteView {
        lang,
        url: n.ap_id,
        content,
        published: date(n.published),
        kind: tr.vocab("kind", n.kind.as_str()),
        replies: 0,
    }
}

pub struct OfferingLink {
    pub name: String,
    pub href: String,
    pub status: String,
}

/// The parts of an actor page every kind shares.
pub struct ActorHead {
    /// The member's instance remembered from their last follow, prefilling the forms.
    pub instance: String,
    pub name: String,
    pub handle: String,
    pub actor: String,
    pub summary_html: String,
    pub feed_url: String,
    pub followers: u64,
    pub listed: bool,
    pub manage_href: Option<String>,
    pub follow_action: &'static str,
    /// The "report this listing" form, for listings of this directory.
    pub report_href: Option<String>,
    /// A sunset or transfer, shown before any "Follow".
    pub lifecycle: Option<LifecycleBox>,
    /// Invite to follow this actor: not once it is transferred or closed.
    pub follow: bool,
}

/// What a member must know first about a listing that is ending: the successor (with a
/// "Follow the successor"), or the last day of service and the alternatives; the staff's
/// note.
pub struct LifecycleBox {
    pub transferred: bool,
    pub closed: bool,
    pub last_day: String,
    /// Page, name and actor id of the successor.
    pub successor: Option<(String, String, String)>,
    /// Page, handle and one-line reason of each alternative.
    pub alternatives: Vec<(String, String, String)>,
    pub note: String,
}

async fn lifecycle_box(ctx: &Ctx, a: &Actor) -> AppResult<Option<LifecycleBox>> {
    let status: Status = a.status;
    if status == Status::Active {
        return Ok(None);
    }
    let successor = match a.moved_to.as_deref() {
        Some(to) => Some(match domain::browse::actor_by_ap_id(&ctx.db, to).await? {
            Some(s) => (page_href(&s), s.name, s.ap_id),
            None => (to.to_string(), to.to_string(), to.to_string()),
        }),
        None => None,
    };
    let (note, alternatives) =
        if a.kind == ActorKind::Offering && matches!(status, Status::Sunsetting | Status::Closed) {
            let (note, alts) = domain::lifecycle::suggestions(&ctx.db, &ctx.search, a).await?;
            let mut views = Vec::new();
            for s in alts {
                let href = domain::browse::actor_by_ap_id(&ctx.db, s.ap_id.as_str())
                    .await?
                    .map(|x| page_href(&x))
                    .unwrap_or(s.ap_id.clone());
                views.push((href, format!("@{}", s.handle), s.reason));
            }
            (note, views)
        } else {
            (domain::lifecycle::plan_of(&ctx.db, a).await?.0, vec![])
        };
    Ok(Some(LifecycleBox {
        transferred: status == Status::Transferred,
        closed: status == Status::Closed,
        last_day: a.sunset_end.map(|d| d.to_string()).unwrap_or_default(),
        successor,
        alternatives,
        note,
    }))
}

#[derive(Template, WebTemplate)]
#[template(path = "actor.html")]
pub struct ActorPage {
    base: Base,
    tr: Tr,
    head: ActorHead,
    kind_label: String,
    notes: Vec<NoteView>,
}

/// `GET /actors/{username}`: ActivityPub JSON for servers, the actor's page for browsers.
pub async fn actor(ctx: Ctx, Path(username): Path<String>, headers: HeaderMap) -> Response {
    if wants_activity_json(&headers) {
        return activitypub::actor(ctx, Path(username))
            .await
            .into_response();
    }
    let (base, account) = match frame_or_error(&ctx, &headers).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let instance = super::follow::remembered_instance(&headers);
    match shown(&ctx, &username).await {
        Ok(a) => page_or_error(
            base.clone(),
            render_actor(&ctx, base, account.as_ref(), a, instance).await,
        ),
        Err(e) => error_page(base, e),
    }
}

/// A local actor whose page is shown: not one that was removed or suspended.
async fn shown(ctx: &Ctx, username: &str) -> AppResult<Actor> {
    let Some(a) = domain::find_local(&ctx.db, username).await? else {
        return Err(AppError::NotFound(Tr.a("error-no-actor", "name", username)));
    };
    if a.moderation == Moderation::Removed {
        return Err(AppError::Gone(Tr.t("error-removed")));
    }
    if a.moderation == Moderation::Suspended {
        return Err(AppError::Gone(Tr.t("error-suspended")));
    }
    Ok(a)
}

async fn notes_of(ctx: &Ctx, tr: &Tr, a: &Actor) -> AppResult<Vec<NoteView>> {
    let notes = domain::announcements::shown_by(&ctx.db, a, 20).await?;
    let ids: Vec<i64> = notes.iter().map(|n| n.id).collect();
    let counts = domain::replies::counts(&ctx.db, &ids).await?;
    Ok(notes
        .into_iter()
        .map(|n| {
            let replies = counts.get(&n.id).copied().unwrap_or(0);
            NoteView {
                replies,
                ..note_view(tr, n)
            }
        })
        .collect())
}

async fn render_actor(
    ctx: &Ctx,
    base: Base,
    account: Option<&Account>,
    a: Actor,
    instance: String,
) -> AppResult<Response> {
    let tr = Tr;
    let kind: ActorKind = a.kind;
    let head = head(ctx, account, &a, kind, instance).await?;
    let notes = notes_of(ctx, &tr, &a).await?;
    match kind {
        ActorKind::Offering => offering::page(ctx, base, head, notes, a).await,
        ActorKind::Coop => coop::page(ctx, base, head, notes, a).await,
        other => Ok(ActorPage {
            base,
            tr,
            head,
            kind_label: tr.vocab("actor", other.as_str()),
            notes,
        }
        .into_response()),
    }
}

/// The head of an actor's page.
async fn head(
    ctx: &Ctx,
    account: Option<&Account>,
    a: &Actor,
    kind: ActorKind,
    instance: String,
) -> AppResult<ActorHead> {
    Ok(ActorHead {
        instance,
        name: a.name.clone(),
        handle: handle_of(a),
        actor: a.ap_id.clone(),
        summary_html: html::paragraphs(&a.summary),
        feed_url: format!("{}/feed.atom", a.ap_id),
        followers: domain::follower_count(&ctx.db, a.id).await?,
        listed: a.moderation == Moderation::Approved,
        manage_href: account
            .filter(|acc| staff::may_manage(acc, a))
            .map(|_| format!("/staff/{}", a.username)),
        follow_action: "/follow",
        report_href: (kind == ActorKind::Offering || kind == ActorKind::Coop)
            .then(|| report::link(&a.ap_id)),
        follow: !matches!(a.status, Status::Transferred | Status::Closed),
        lifecycle: lifecycle_box(ctx, a).await?,
    })
}
