//! Facet filters and counts: parsing the filters of a query, and the set operations on the
//! compact index that select and count listings.

use super::*;

/// The parsed filters. Within one filter, values are alternatives (any of them), except
/// features, which are all required.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub platform: Vec<Platform>,
    pub feature: Vec<Feature>,
    pub language: Vec<Language>,
    pub country: Vec<Country>,
    pub price: Vec<PriceModel>,
    pub registration: Vec<Registration>,
    pub form: Vec<CoopForm>,
    pub status: Vec<Status>,
    /// Only listings found up by their last probe (liveness.rs).
    pub working: bool,
}

pub(super) fn parse_values<T: FromStr<Err: Into<crate::i18n::Msg>> + PartialEq>(
    param: &str,
    raw: Option<&str>,
) -> DomainResult<Vec<T>> {
    let given = raw.unwrap_or("").split(',').count();
    if given > MAX_VALUES {
        return Err(DomainError::Invalid(
            crate::msg!("error-filter-many", max = MAX_VALUES, given = given).prefixed(param),
        ));
    }
    let mut out = Vec::new();
    for part in raw
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let v = part
            .parse::<T>()
            .map_err(|e| DomainError::Invalid(e.into().prefixed(param)))?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

impl Filters {
    /// Parse every filter of `q` with the typed vocabularies; a bad value is
    /// `DomainError::Invalid` naming the parameter and the accepted values.
    pub fn parse(q: &OfferingQuery) -> DomainResult<Self> {
        let f = Filters {
            platform: parse_values("platform", q.platform.as_deref())?,
            feature: parse_values("feature", q.feature.as_deref())?,
            language: parse_values("language", q.language.as_deref())?,
            country: parse_values("country", q.country.as_deref())?,
            price: parse_values("price", q.price.as_deref())?,
            registration: parse_values("registration", q.registration.as_deref())?,
            form: parse_values("form", q.form.as_deref())?,
            status: parse_values("status", q.status.as_deref())?,
            working: match q.working.as_deref().map(str::trim) {
                None | Some("") | Some("false") => false,
                Some("true") | Some("1") | Some("yes") | Some("on") => true,
                Some(other) => {
                    return Err(DomainError::Invalid(
                        crate::msg!("error-filter-working", value = other).prefixed("working"),
                    ));
                }
            },
        };
        // "Not stated" is the absence of a claim, not a claim: no filter selects it.
        if f.price.contains(&PriceModel::NotStated)
            || f.registration.contains(&Registration::NotStated)
        {
            return Err(DomainError::Invalid(crate::msg!("error-filter-not-stated")));
        }
        Ok(f)
    }
}

/// A BCP 47 tag in its usual letter case: `pt-BR`, `zh-Hant`, `de`.
pub(super) fn canonical_language(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_ascii_lowercase()
            } else if part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                part.to_ascii_uppercase()
            } else if part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                let lower = part.to_ascii_lowercase();
                let mut cs = lower.chars();
                cs.next()
                    .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                    .unwrap_or_default()
            } else {
                part.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

impl Index {
    /// The positions of the listings passing `f`, as a bitset; `None` when `f` filters
    /// nothing. A value no listing has matches nothing.
    pub(super) fn select(&self, f: &Filters) -> Option<Vec<u64>> {
        let p = &self.postings;
        let words = self.entries.len().div_ceil(64);
        let mut sel: Option<Vec<u64>> = None;
        let mut keep = |group: Vec<u64>| match &mut sel {
            Some(s) => s.iter_mut().zip(&group).for_each(|(s, g)| *s &= g),
            None => sel = Some(group),
        };
        fn any<T: PartialEq + Copy>(
            all: &[T],
            values: &[T],
            members: &[Members],
            words: usize,
        ) -> Option<Vec<u64>> {
            (!values.is_empty()).then(|| {
                let mut group = vec![0u64; words];
                for v in values {
                    members[code(all, *v) as usize].add_to(&mut group);
                }
                group
            })
        }
        let groups = [
            any(Platform::ALL, &f.platform, &p.platform, words),
            any(PriceModel::ALL, &f.price, &p.price, words),
            any(Registration::ALL, &f.registration, &p.registration, words),
            any(Status::ALL, &f.status, &p.status, words),
            any(CoopForm::ALL, &f.form, &p.form, words),
            (!f.language.is_empty()).then(|| {
                let mut group = vec![0u64; words];
                for l in &f.language {
                    if let Some(id) = self.languages.get(&l.as_str().to_ascii_lowercase()) {
                        p.language[id as usize].add_to(&mut group);
                    }
                }
                group
            }),
            (!f.country.is_empty()).then(|| {
                let mut group = vec![0u64; words];
                for c in &f.country {
                    if let Some(id) = self.countries.get(c.as_str()) {
                        p.country[id as usize].add_to(&mut group);
                    }
                }
                group
            }),
        ];
        for group in groups.into_iter().flatten() {
            keep(group);
        }
        if !f.feature.is_empty() {
            let mut all = sel.unwrap_or_else(|| self.all());
            for feat in &f.feature {
                p.feature[code(Feature::ALL, *feat) as usize].keep_in(&mut all);
            }
            sel = Some(all);
        }
        sel
    }

    /// The facet counts of the listings at the positions of `set`.
    pub(super) fn count(&self, set: &[u64]) -> Facets {
        let p = &self.postings;
        fn named<T: Copy>(
            all: &[T],
            members: &[Members],
            set: &[u64],
            name: impl Fn(T) -> &'static str,
        ) -> BTreeMap<String, u64> {
            all.iter()
                .zip(members)
                .map(|(v, m)| (name(*v), m.count_in(set)))
                .filter(|(_, n)| *n > 0)
                .map(|(v, n)| (v.to_string(), n))
                .collect()
        }
        Facets {
            platform: named(Platform::ALL, &p.platform, set, Platform::as_str),
            feature: named(Feature::ALL, &p.feature, set, Feature::as_str),
            language: self
                .languages
                .values
                .iter()
                .zip(p.language.iter().zip(&p.listed))
                .filter(|(_, (_, listed))| listed.count_in(set) > 0)
                .map(|(name, (m, _))| (name.to_string(), m.count_in(set)))
                .collect(),
            country: self
                .countries
                .values
                .iter()
                .zip(&p.country)
                .map(|(name, m)| (name, m.count_in(set)))
                .filter(|(_, n)| *n > 0)
                .map(|(name, n)| (name.to_string(), n))
                .collect(),
            price: named(PriceModel::ALL, &p.price, set, PriceModel::as_str),
            registration: named(
                Registration::ALL,
                &p.registration,
                set,
                Registration::as_str,
            ),
            form: named(CoopForm::ALL, &p.form, set, CoopForm::as_str),
            status: named(Status::ALL, &p.status, set, Status::as_str),
        }
    }

    /// Every position, as a bitset.
    pub(super) fn all(&self) -> Vec<u64> {
        let n = self.entries.len();
        let mut all = vec![!0u64; n.div_ceil(64)];
        if !n.is_multiple_of(64)
            && let Some(last) = all.last_mut()
        {
            *last = (1 << (n % 64)) - 1;
        }
        all
    }

    /// The facets of all listings.
    pub(super) fn everything(&self) -> &Facets {
        self.everything.get_or_init(|| self.count(&self.all()))
    }
}

/// The positions in `Index::entries` that have one facet value: a bitset when many do, a
/// sorted list when few do (a bitset costs `n / 8` bytes, a list 4 bytes a member).
#[derive(Debug, Clone)]
pub(super) enum Members {
    Bits(Vec<u64>),
    List(Vec<u32>),
}

pub(super) fn has_bit(bits: &[u64], i: u32) -> bool {
    bits[i as usize / 64] >> (i % 64) & 1 == 1
}

pub(super) fn set_bit(bits: &mut [u64], i: u32) {
    bits[i as usize / 64] |= 1 << (i % 64);
}

impl Members {
    pub(super) fn new(list: Vec<u32>, n: usize) -> Members {
        if list.len() * 32 < n {
            return Members::List(list);
        }
        let mut bits = vec![0u64; n.div_ceil(64)];
        for i in list {
            set_bit(&mut bits, i);
        }
        Members::Bits(bits)
    }

    /// `acc |= self`
    pub(super) fn add_to(&self, acc: &mut [u64]) {
        match self {
            Members::Bits(b) => acc.iter_mut().zip(b).for_each(|(a, b)| *a |= b),
            Members::List(l) => l.iter().for_each(|i| set_bit(acc, *i)),
        }
    }

    /// `acc &= self`
    pub(super) fn keep_in(&self, acc: &mut [u64]) {
        match self {
            Members::Bits(b) => acc.iter_mut().zip(b).for_each(|(a, b)| *a &= b),
            Members::List(l) => {
                let mut kept = vec![0u64; acc.len()];
                for i in l {
                    if has_bit(acc, *i) {
                        set_bit(&mut kept, *i);
                    }
                }
                acc.copy_from_slice(&kept);
            }
        }
    }

    /// How many positions of `set` have the value.
    pub(super) fn count_in(&self, set: &[u64]) -> u64 {
        match self {
            Members::Bits(b) => set
                .iter()
                .zip(b)
                .map(|(s, b)| (s & b).count_ones() as u64)
                .sum(),
            Members::List(l) => l.iter().filter(|i| has_bit(set, **i)).count() as u64,
        }
    }
}

/// Who has each facet value, by the values' codes and interned ids.
#[derive(Debug, Clone, Default)]
pub(super) struct Postings {
    pub(super) platform: Vec<Members>,
    pub(super) price: Vec<Members>,
    pub(super) registration: Vec<Members>,
    pub(super) status: Vec<Members>,
    pub(super) form: Vec<Members>,
    pub(super) feature: Vec<Members>,
    /// By language id: listings with the tag or a longer one…
    pub(super) language: Vec<Members>,
    /// …and listings with exactly that tag.
    pub(super) listed: Vec<Members>,
    pub(super) country: Vec<Members>,
}

impl Postings {
    pub(super) fn of(idx: &Index) -> Postings {
        let n = idx.entries.len();
        let lists = |k: usize| vec![Vec::<u32>::new(); k];
        let (mut platform, mut price, mut registration, mut status, mut form, mut feature) = (
            lists(16),
            lists(16),
            lists(16),
            lists(16),
            lists(16),
            lists(16),
        );
        let mut language = lists(idx.languages.len());
        let mut listed = lists(idx.languages.len());
        let mut country = lists(idx.countries.len());
        for (i, e) in idx.entries.iter().enumerate() {
            let i = i as u32;
            let c = idx.classes.values[e.facet.class as usize];
            platform[c[0] as usize].push(i);
            price[c[1] as usize].push(i);
            registration[c[2] as usize].push(i);
            status[c[3] as usize].push(i);
            if c[4] != NO_FORM {
                form[c[4] as usize].push(i);
            }
            let mut f = e.facet.features;
            while f != 0 {
                feature[f.trailing_zeros() as usize].push(i);
                f &= f - 1;
            }
            for x in idx.language_sets.values[e.facet.languages as usize].iter() {
                language[(x >> 1) as usize].push(i);
                if x & 1 == 1 {
                    listed[(x >> 1) as usize].push(i);
                }
            }
            for x in idx.country_sets.values[e.facet.countries as usize].iter() {
                country[*x as usize].push(i);
            }
        }
        let members = |v: Vec<Vec<u32>>| v.into_iter().map(|l| Members::new(l, n)).collect();
        Postings {
            platform: members(platform),
            price: members(price),
            registration: members(registration),
            status: members(status),
            form: members(form),
            feature: members(feature),
            language: members(language),
            listed: members(listed),
            country: members(country),
        }
    }
}
