//! `/admin/domains`: blocked domains and the allowlist, with the forms that change them.

use super::super::{
    forms::{
        Errors, Opt, Page, field, flash, pairs_of, query_pairs, refused, see_other, trimmed,
        unprocessable,
    },
    i18n::Tr,
    pages::{Base, error_page},
};
use super::{DONE, MAX_TEXT, date, moderator};
use crate::{
    config::FederationMode,
    directory::{DomainError, moderation},
    federation::{Ctx, policy::Severity},
    http::error::AppError,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::{body::Bytes, extract::RawQuery, http::HeaderMap, response::Response};

pub struct BlockRow {
    pub domain: String,
    pub severity: String,
    pub reason: String,
    pub by: String,
    pub since: String,
}

pub struct AllowRow {
    pub domain: String,
    pub by: String,
    pub since: String,
}

#[derive(Default)]
pub struct DomainForm {
    pub domain: String,
    pub severity: String,
    pub reason: String,
    pub errors: Errors,
}

impl DomainForm {
    /// The block form as posted, with the errors of its own fields, and the severity.
    fn posted(pairs: &[(String, String)]) -> (Self, Option<Severity>) {
        let tr = Tr;
        let mut form = DomainForm {
            domain: trimmed(pairs, "domain"),
            severity: field(pairs, "severity").to_string(),
            reason: trimmed(pairs, "reason"),
            errors: Errors::default(),
        };
        if form.domain.is_empty() {
            form.errors.add("domain", tr.t("admin-domain-missing"));
        }
        let severity = Severity::parse(&form.severity);
        if severity.is_none() {
            form.errors.add("severity", tr.t("admin-severity-invalid"));
        }
        if form.reason.chars().count() > MAX_TEXT {
            form.errors
                .add("reason", tr.n("admin-text-too-long", MAX_TEXT));
        }
        let severity = severity.filter(|_| form.errors.is_empty());
        (form, severity)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_domains.html")]
pub struct DomainsPage {
    base: Base,
    tr: Tr,
    section: &'static str,
    done: Option<String>,
    allowlist: bool,
    blocks: Vec<BlockRow>,
    allows: Vec<AllowRow>,
    block: DomainForm,
    severities: Vec<Opt>,
    allow: DomainForm,
    /// A refused removal: the message, above the tables.
    remove_error: Option<String>,
}

#[derive(Default)]
struct DomainForms {
    block: Option<DomainForm>,
    allow: Option<DomainForm>,
    remove_error: Option<String>,
}

fn severities(selected: &str) -> Vec<Opt> {
    [Severity::Reject, Severity::Hide]
        .iter()
        .map(|s| Opt {
            value: s.as_str().into(),
            label: Tr.vocab("admin-severity", s.as_str()),
            selected: s.as_str() == selected,
        })
        .collect()
}

async fn domains_page(
    ctx: &Ctx,
    base: Base,
    done: Option<String>,
    forms: DomainForms,
) -> Result<DomainsPage, AppError> {
    let (blocks, allows) = moderation::domain_rules(&ctx.db).await?;
    let tr = Tr;
    let block = forms.block.unwrap_or_else(|| DomainForm {
        severity: Severity::Reject.as_str().into(),
        ..Default::default()
    });
    let blocks = blocks
        .into_iter()
        .map(|b| BlockRow {
            severity: tr.vocab("admin-severity", &b.severity),
            reason: b.reason.unwrap_or_default(),
            by: b.created_by,
            since: date(b.created_at),
            domain: b.domain,
        })
        .collect();
    let allows = allows
        .into_iter()
        .map(|a| AllowRow {
            by: a.created_by,
            since: date(a.created_at),
            domain: a.domain,
        })
        .collect();
    Ok(DomainsPage {
        base,
        tr,
        section: "domains",
        done,
        allowlist: ctx.settings.federation_mode == FederationMode::Allowlist,
        blocks,
        allows,
        severities: severities(&block.severity),
        block,
        allow: forms.allow.unwrap_or_default(),
        remove_error: forms.remove_error,
    })
}

/// `GET /admin/domains`: blocked domains, and the allowlist.
pub async fn domains(ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> Page {
    let (base, _) = super::admin(&ctx, &headers).await?;
    let done = flash(&query_pairs(&raw), &DONE);
    let page = domains_page(&ctx, base.clone(), done, DomainForms::default()).await;
    Ok(super::render(base, page))
}

async fn refused_domains(ctx: &Ctx, base: Base, forms: DomainForms) -> Response {
    match domains_page(ctx, base.clone(), None, forms).await {
        Ok(page) => unprocessable(page),
        Err(e) => error_page(base, e),
    }
}

fn block_forms(form: DomainForm) -> DomainForms {
    DomainForms {
        block: Some(form),
        ..Default::default()
    }
}

/// `POST /admin/domains/block`: block a domain and its subdomains (or change its block).
pub async fn block(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Page {
    let (base, account) = super::admin(&ctx, &headers).await?;
    let (mut form, severity) = DomainForm::posted(&pairs_of(&body));
    let Some(severity) = severity else {
        return Err(refused_domains(&ctx, base, block_forms(form)).await);
    };
    let reason = Some(form.reason.as_str()).filter(|r| !r.is_empty());
    let by = moderator(&account);
    let Err(e) = moderation::block_domain(&ctx, &form.domain, severity, reason, &by).await else {
        return Ok(see_other("/admin/domains?done=block"));
    };
    form.errors.add(
        "domain",
        refused(e).map_err(|e| error_page(base.clone(), e))?,
    );
    Err(refused_domains(&ctx, base, block_forms(form)).await)
}

/// Which rule a removal or an allow form changes.
#[derive(Clone, Copy)]
enum Rule {
    Unblock,
    Allow,
    Disallow,
}

impl Rule {
    /// Apply the rule to `domain`; the name of the confirmation.
    async fn apply(self, ctx: &Ctx, domain: &str, by: &str) -> Result<&'static str, DomainError> {
        if domain.is_empty() {
            return Err(DomainError::Invalid(Tr.t("admin-domain-missing").into()));
        }
        match self {
            Rule::Unblock => moderation::unblock_domain(ctx, domain, by)
                .await
                .map(|_| "unblock"),
            Rule::Allow => moderation::allow_domain(ctx, domain, by)
                .await
                .map(|_| "allow"),
            Rule::Disallow => moderation::disallow_domain(ctx, domain, by)
                .await
                .map(|_| "disallow"),
        }
    }

    /// Where a refusal of this rule is shown: next to the allow form's field, or above
    /// the tables.
    fn refused(self, domain: String, message: String) -> DomainForms {
        match self {
            Rule::Allow => {
                let mut errors = Errors::default();
                errors.add("domain", message);
                DomainForms {
                    allow: Some(DomainForm {
                        domain,
                        errors,
                        ..Default::default()
                    }),
                    ..Default::default()
                }
            }
            Rule::Unblock | Rule::Disallow => DomainForms {
                remove_error: Some(message),
                ..Default::default()
            },
        }
    }
}

async fn domain_rule(ctx: Ctx, headers: HeaderMap, body: Bytes, rule: Rule) -> Page {
    let (base, account) = super::admin(&ctx, &headers).await?;
    let domain = field(&pairs_of(&body), "domain").trim().to_string();
    match rule.apply(&ctx, &domain, &moderator(&account)).await {
        Ok(done) => Ok(see_other(&format!("/admin/domains?done={done}"))),
        Err(e) => {
            let m = refused(e).map_err(|e| error_page(base.clone(), e))?;
            Err(refused_domains(&ctx, base, rule.refused(domain, m)).await)
        }
    }
}

/// `POST /admin/domains/unblock`: lift a block.
pub async fn unblock(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Page {
    domain_rule(ctx, headers, body, Rule::Unblock).await
}

/// `POST /admin/domains/allow`: add a domain to the allowlist.
pub async fn allow(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Page {
    domain_rule(ctx, headers, body, Rule::Allow).await
}

/// `POST /admin/domains/disallow`: remove a domain from the allowlist.
pub async fn disallow(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Page {
    domain_rule(ctx, headers, body, Rule::Disallow).await
}
