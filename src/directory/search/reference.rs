//! The reference implementation the tests compare the index against: every listed offering
//! read, parsed, filtered, counted and sorted per query, as search did before the index.

use super::*;

impl Filters {
    /// Whether a listing passes every filter (the definition the index implements).
    #[cfg(test)]
    pub(crate) fn matches(&self, l: &Listing) -> bool {
        let s = &l.spec;
        (self.platform.is_empty() || self.platform.contains(&s.platform))
            && self.feature.iter().all(|f| s.features.contains(f))
            && (self.language.is_empty()
                || self.language.iter().any(|f| {
                    l.languages()
                        .any(|t| language_matches(f.as_str(), t.as_str()))
                }))
            && (self.country.is_empty() || l.countries().any(|c| self.country.contains(c)))
            && (self.price.is_empty() || self.price.contains(&s.price.model))
            && (self.registration.is_empty() || self.registration.contains(&s.registration))
            && (self.form.is_empty()
                || l.coop
                    .as_ref()
                    .and_then(|c| c.form)
                    .is_some_and(|f| self.form.contains(&f)))
            && (self.status.is_empty() || self.status.contains(&l.status))
    }
}

/// A language filter `pt` matches the tags `pt` and `pt-BR`, in any letter case.
#[cfg(test)]
pub(super) fn language_matches(filter: &str, tag: &str) -> bool {
    tag.len() >= filter.len()
        && tag[..filter.len()].eq_ignore_ascii_case(filter)
        && (tag.len() == filter.len() || tag.as_bytes()[filter.len()] == b'-')
}

impl Listing {
    /// Interface and support languages.
    #[cfg(test)]
    pub fn languages(&self) -> impl Iterator<Item = &Language> {
        self.spec
            .languages
            .0
            .iter()
            .chain(self.spec.support_languages.0.iter())
    }

    /// Jurisdiction and data locations.
    #[cfg(test)]
    pub fn countries(&self) -> impl Iterator<Item = &Country> {
        self.spec
            .jurisdiction
            .iter()
            .chain(self.spec.data_location.0.iter())
    }

    /// The item `search` shows (here for the reference search of the tests).
    #[cfg(test)]
    pub fn item(&self) -> OfferingItem {
        let a = &self.actor;
        offering_item(
            ItemText {
                ap_id: &a.ap_id,
                username: &a.username,
                domain: &a.domain,
                name: &a.name,
                summary: &a.summary,
                local: a.local,
            },
            &Shown::from(&self.spec),
            self.status,
            self.coop.as_ref(),
        )
    }
}

#[cfg(test)]
impl From<&OfferingSpec> for Shown {
    fn from(s: &OfferingSpec) -> Shown {
        Shown {
            platform: s.platform,
            features: s.features.clone(),
            participants_per_room: s.participants_per_room,
            price: s.price.clone(),
            languages: s.languages.clone(),
            support_languages: s.support_languages.clone(),
            jurisdiction: s.jurisdiction.clone(),
            data_location: s.data_location.clone(),
            registration: s.registration,
        }
    }
}

/// `search` as it was before the index (every listed offering read, parsed, filtered,
/// counted and sorted per query): the definition the index must match.
#[cfg(test)]
pub(crate) async fn search_reference<C: ConnectionTrait>(
    db: &C,
    q: &OfferingQuery,
) -> DomainResult<SearchResults> {
    let filters = Filters::parse(q)?;
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(DomainError::Invalid(
            crate::msg!("error-page-zero").prefixed("page"),
        ));
    }
    let terms = query_terms(q.q.as_deref())?;
    let listings = read_listings(db, true).await?;
    let relevance = if terms.is_empty() {
        None
    } else {
        Some(text_matches(db, &terms).await?)
    };
    let day = today();
    let mut hits: Vec<(u8, f64, u64, &Listing)> = listings
        .iter()
        .filter(|l| filters.matches(l))
        .filter_map(|l| {
            let score = match &relevance {
                Some(r) => *r.get(&l.actor.id)?,
                None => 0.0,
            };
            Some((
                lifecycle_rank(l.status),
                score,
                fair_key(&l.actor.ap_id, day),
                l,
            ))
        })
        .collect();
    let facets = count_facets(hits.iter().map(|h| h.3));
    hits.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.actor.id.cmp(&b.3.actor.id))
    });
    let total = hits.len() as u64;
    let skip = usize::try_from((page - 1).saturating_mul(PAGE_SIZE)).unwrap_or(usize::MAX);
    let items = hits
        .iter()
        .skip(skip)
        .take(PAGE_SIZE as usize)
        .map(|h| h.3.item())
        .collect();
    Ok(SearchResults {
        items: Arc::new(items),
        total,
        page,
        per_page: PAGE_SIZE,
        facets: Arc::new(facets),
        understood: Vec::new(),
    })
}

#[cfg(test)]
pub(super) fn bump(map: &mut BTreeMap<String, u64>, key: impl Into<String>) {
    *map.entry(key.into()).or_default() += 1;
}

/// Facet counts over a result set (the definition `Index::count` implements).
#[cfg(test)]
pub(crate) fn count_facets<'a>(results: impl Iterator<Item = &'a Listing>) -> Facets {
    let mut f = Facets::default();
    // Tags as listed, to keep only language keys someone actually lists.
    let mut listed_languages = BTreeSet::new();
    for l in results {
        let s = &l.spec;
        bump(&mut f.platform, s.platform.as_str());
        for feat in &s.features {
            bump(&mut f.feature, feat.as_str());
        }
        // A listing in `pt-BR` counts for `pt-BR` and for `pt`, as the filter `pt` finds it.
        let mut langs = BTreeSet::new();
        for tag in l.languages() {
            let canon = canonical_language(tag.as_str());
            listed_languages.insert(canon.clone());
            let mut prefix = String::new();
            for part in canon.split('-') {
                if !prefix.is_empty() {
                    prefix.push('-');
                }
                prefix.push_str(part);
                langs.insert(prefix.clone());
            }
        }
        for k in langs {
            bump(&mut f.language, k);
        }
        let countries: BTreeSet<&str> = l.countries().map(|c| c.as_str()).collect();
        for c in countries {
            bump(&mut f.country, c);
        }
        bump(&mut f.price, s.price.model.as_str());
        bump(&mut f.registration, s.registration.as_str());
        if let Some(form) = l.coop.as_ref().and_then(|c| c.form) {
            bump(&mut f.form, form.as_str());
        }
        bump(&mut f.status, l.status.as_str());
    }
    f.language.retain(|k, _| listed_languages.contains(k));
    f
}

/// Offerings whose text has every term, with a relevance score, higher is better (what
/// `search` used before `text_ranks`, for the tests).
#[cfg(test)]
pub(super) async fn text_matches<C: ConnectionTrait>(
    db: &C,
    terms: &[String],
) -> DomainResult<HashMap<i64, f64>> {
    let backend = db.get_database_backend();
    let query = text_query(backend, terms);
    let stmt = match backend {
        DbBackend::Postgres => statement(
            backend,
            "SELECT actor_id, ts_rank('{0.1, 0.1, 0.2, 1.0}', tsv, query)::float8 AS score \
             FROM listing_search, to_tsquery('simple', ?) query WHERE tsv @@ query",
            vec![query.into()],
        ),
        _ => statement(
            backend,
            "SELECT rowid AS actor_id, -bm25(listing_fts, 10.0, 1.0) AS score \
             FROM listing_fts WHERE listing_fts MATCH ?",
            vec![query.into()],
        ),
    };
    let rows = db.query_all_raw(stmt).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert(r.try_get("", "actor_id")?, r.try_get("", "score")?);
    }
    Ok(out)
}
