//! Full text: the words of documents and queries (folded the same way for both databases),
//! the indexed text of an offering, and the ranked full-text statement.

use super::*;

/// Bump when the indexed text changes shape, so that every row is rewritten.
pub(super) const DOCUMENT_VERSION: u32 = 1;

/// Lower-case words of `text`, diacritics folded (`Galène` → `galene`), split at anything
/// that is not a letter or a digit. Documents and queries go through the same function,
/// so both databases compare the same words.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            fold(c, &mut cur);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Append `words(text).join(" ")` to `out`, after a space when `out` has words already:
/// the same text without a `String` per word (documents are made for every listing).
pub(super) fn push_words(text: &str, out: &mut String) {
    let mut in_word = false;
    let start = |out: &mut String, in_word: &mut bool| {
        if !*in_word {
            if !out.is_empty() {
                out.push(' ');
            }
            *in_word = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            // `to_lowercase`, `is_alphanumeric` and `fold` in their ASCII cases.
            if c.is_ascii_alphanumeric() {
                start(out, &mut in_word);
                out.push(c.to_ascii_lowercase());
            } else {
                in_word = false;
            }
            continue;
        }
        for l in c.to_lowercase() {
            if l.is_alphanumeric() {
                start(out, &mut in_word);
                fold(l, out);
            } else {
                in_word = false;
            }
        }
    }
}

/// Push `c` without its diacritics (Latin-1 and Latin Extended-A, the letters of the
/// languages co-ops list in most).
pub(super) fn fold(c: char, out: &mut String) {
    let base = match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ß' => return out.push_str("ss"),
        'æ' => return out.push_str("ae"),
        'œ' => return out.push_str("oe"),
        'þ' => return out.push_str("th"),
        other => other,
    };
    out.push(base);
}

/// Refuse a text query that is absurdly long, in words for the reader (the directory page
/// shows the refusal under its search box; the API answers it in the request's language).
pub(super) fn check_query_length(q: Option<&str>) -> DomainResult<()> {
    let n = q.unwrap_or("").chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(DomainError::Invalid(crate::msg!(
            "search-too-long",
            max = MAX_QUERY_CHARS,
            count = n
        )));
    }
    Ok(())
}

/// The words of a text query; refused when absurdly long, cut to `MAX_TERMS` words.
pub(super) fn query_terms(q: Option<&str>) -> DomainResult<Vec<String>> {
    check_query_length(q)?;
    let mut terms = words(q.unwrap_or(""));
    terms.dedup();
    terms.truncate(MAX_TERMS);
    Ok(terms)
}

/// The indexed text of one offering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    pub name: String,
    pub body: String,
    pub fingerprint: String,
}

impl Document {
    pub fn of(l: &Listing) -> Document {
        Document::new(
            &l.actor.name,
            &l.actor.summary,
            &l.actor.username,
            &l.spec,
            l.coop.as_ref().map(|c| c.name.as_str()),
        )
    }

    pub(super) fn new(
        name: &str,
        summary: &str,
        username: &str,
        s: &OfferingSpec,
        coop_name: Option<&str>,
    ) -> Document {
        // The words of summary, platform, features, co-op name and handle, in that order.
        let mut body = String::with_capacity(summary.len() + 128);
        push_words(summary, &mut body);
        push_words(s.platform.label(), &mut body);
        push_words(s.platform.as_str(), &mut body);
        for f in &s.features {
            push_words(f.label(), &mut body);
            push_words(f.as_str(), &mut body);
        }
        if let Some(c) = coop_name {
            push_words(c, &mut body);
        }
        push_words(username, &mut body);
        let mut folded = String::with_capacity(name.len());
        push_words(name, &mut folded);
        let name = folded;
        let mut hash = Sha256::new();
        for part in [&DOCUMENT_VERSION.to_string(), "\n", &name, "\n", &body] {
            hash.update(part.as_bytes());
        }
        let mut fingerprint = String::with_capacity(24);
        for b in &hash.finalize()[..12] {
            for nibble in [b >> 4, b & 15] {
                fingerprint.push(char::from_digit(nibble.into(), 16).unwrap_or('0'));
            }
        }
        Document {
            name,
            body,
            fingerprint,
        }
    }
}

/// The tsquery (PostgreSQL) or FTS5 query (SQLite) of `terms`: every term, each as a word
/// or the start of one.
pub(super) fn text_query(backend: DbBackend, terms: &[String]) -> String {
    match backend {
        // Terms are letters and digits only, so they need no quoting in a tsquery.
        DbBackend::Postgres => terms
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
        // Quoted so that words such as AND or NEAR stay words; `*` matches a prefix.
        _ => terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" AND "),
    }
}

/// Offerings whose text has every term (each as a word or the start of one), with their
/// rank by relevance (1 is the best; equal scores share a rank), sorted by id. With `only`,
/// among those ids alone: computing relevance is what costs, not finding the matches.
///
/// One row comes back, the pairs `id:rank` joined by commas, rather than a row per match:
/// drivers pay per row (sqlx hands each SQLite row across threads). Ranks rather than
/// scores, since a score printed as text may round; `dense_rank` compares them exactly.
pub(super) async fn text_ranks<C: ConnectionTrait>(
    db: &C,
    terms: &[String],
    only: Option<&[i64]>,
) -> DomainResult<Vec<(i64, u32)>> {
    let backend = db.get_database_backend();
    let mut values: Vec<DbValue> = vec![text_query(backend, terms).into()];
    let ids = |open: &str, close: &str| {
        let mut s = String::from(open);
        for (i, id) in only.unwrap_or_default().iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&id.to_string());
        }
        s.push_str(close);
        s
    };
    let sql = match backend {
        DbBackend::Postgres => {
            let mut inner = String::from(
                "SELECT actor_id, dense_rank() OVER \
                 (ORDER BY ts_rank('{0.1, 0.1, 0.2, 1.0}', tsv, query)::float8 DESC) AS r \
                 FROM listing_search, to_tsquery('simple', ?) query WHERE tsv @@ query",
            );
            if only.is_some() {
                // Inline (they are numbers): the planner then knows how few they are.
                inner.push_str(&format!(
                    " AND actor_id = ANY('{}'::bigint[])",
                    ids("{", "}")
                ));
            }
            format!(
                "SELECT string_agg(CAST(actor_id AS TEXT) || ':' || CAST(r AS TEXT), ',') AS hits \
                 FROM ({inner}) ranked"
            )
        }
        _ => {
            // Weights: the name column ten times the body; bm25 is lower for better matches.
            // `+rowid` keeps the id list a filter of the matches, not a lookup per id.
            let mut inner = String::from(
                "SELECT rowid AS id, dense_rank() OVER (ORDER BY bm25(listing_fts, 10.0, 1.0)) AS r \
                 FROM listing_fts WHERE listing_fts MATCH ?",
            );
            if only.is_some() {
                inner.push_str(" AND +rowid IN (SELECT value FROM json_each(?))");
                values.push(ids("[", "]").into());
            }
            format!("SELECT group_concat(id || ':' || r) AS hits FROM ({inner})")
        }
    };
    let row = db.query_one_raw(statement(backend, &sql, values)).await?;
    let hits: Option<String> = match row {
        Some(r) => r.try_get("", "hits")?,
        None => None,
    };
    let bad = |pair: &str| DomainError::Other(anyhow::anyhow!("unexpected full-text hit '{pair}'"));
    let mut out = Vec::new();
    for pair in hits
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|p| !p.is_empty())
    {
        let (id, rank) = pair.split_once(':').ok_or_else(|| bad(pair))?;
        out.push((
            id.parse::<i64>().map_err(|_| bad(pair))?,
            rank.parse::<u32>().map_err(|_| bad(pair))?,
        ));
    }
    if !out.is_sorted_by_key(|p| p.0) {
        out.sort_unstable_by_key(|p| p.0);
    }
    Ok(out)
}
