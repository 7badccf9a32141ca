//! The fair order of the directory (a daily shuffle, grouped by lifecycle) and paging over
//! bitsets of positions.

use super::*;

/// The UTC day number that seeds the fair order.
pub fn today() -> i64 {
    chrono::Utc::now().timestamp().div_euclid(86_400)
}

/// The position of an actor in the fair order of `day`: the first 8 bytes of
/// SHA-256(`day` + actor id). Depends on nothing a provider can buy or gather (followers,
/// age, row id), changes every day, and is the same on every node.
pub fn fair_key(ap_id: &str, day: i64) -> u64 {
    let digest = Sha256::digest(format!("{day}\n{ap_id}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(b)
}

/// Lifecycle group in the order: active, sunsetting, then the ones that ended.
pub(super) fn lifecycle_rank(s: Status) -> u8 {
    match s {
        Status::Active => 0,
        Status::Sunsetting => 1,
        Status::Closed | Status::Transferred => 2,
    }
}

impl Index {
    /// The lifecycle group of a class.
    pub(super) fn lifecycle(&self, class: u16) -> u8 {
        lifecycle_rank(Status::ALL[self.classes.values[class as usize][3] as usize])
    }

    /// Put the entries in the order of the day and make `postings` and `by_id` match.
    pub(super) fn order(&mut self) {
        let mut keyed: Vec<(u8, u64, i64, Entry)> = self
            .entries
            .iter()
            .map(|e| (self.lifecycle(e.facet.class), e.fair, e.id, *e))
            .collect();
        keyed.sort_unstable_by_key(|k| (k.0, k.1, k.2));
        self.entries = keyed.into_iter().map(|k| k.3).collect();
        // The collect above reuses the sort's buffer, sized for the keyed tuples (64 bytes
        // each, against 40 for an entry): at 1,000,000 listings that kept ~24 MiB of spare
        // capacity for the life of the index (heap profile, docs/benchmarks.md, Round five).
        self.entries.shrink_to_fit();
        self.postings = Postings::of(self);
        self.by_id = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i as u32))
            .collect();
        self.by_id.sort_unstable();
    }
}

/// The positions in a bitset, in order, from the `skip`-th on.
pub(super) fn positions(set: &[u64], mut skip: usize) -> impl Iterator<Item = u32> + '_ {
    let mut start = 0;
    while start < set.len() && skip >= set[start].count_ones() as usize {
        skip -= set[start].count_ones() as usize;
        start += 1;
    }
    set[start..]
        .iter()
        .enumerate()
        .flat_map(move |(w, word)| {
            let base = ((start + w) * 64) as u32;
            let mut bits = *word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros();
                    bits &= bits - 1;
                    base + b
                })
            })
        })
        .skip(skip)
}
