//! A revision keeps ids. Each imported row takes the id of the existing
//! item whose violation text matches it:
//!
//! 1. exactly, after normalizing — NFKC (full-width letters, digits and
//!    punctuation folded), case folded, every space and punctuation mark
//!    dropped — so re-typed spacing or a 。 more or less still matches;
//! 2. else closely: the Dice coefficient of the two texts' character
//!    bigrams is at least [`CLOSE`] (0.8: a few characters edited in a
//!    sentence of twenty), the best-scoring pairs taken first.
//!
//! A row that names its own id (an 编号 column of ids) keeps it. Rows left
//! over are new items, numbered after the highest id of the list's own
//! pattern (SJ-MF-012 → SJ-MF-013); items nothing matched are removed.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

use super::{ImportError, Row, Summary};
use crate::content::Item;

/// How close two violation texts must be to be the same item.
pub(super) const CLOSE: f64 = 0.8;

/// The text compared: see the module comment.
pub(super) fn normalize(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Dice coefficient of character bigrams (a text of one character is its
/// own bigram).
pub(super) fn similarity(a: &str, b: &str) -> f64 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        if c.len() == 1 {
            return vec![(c[0], c[0])];
        }
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (x, mut y) = (grams(a), grams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let total = x.len() + y.len();
    let mut common = 0;
    for g in &x {
        if let Some(i) = y.iter().position(|h| h == g) {
            y.swap_remove(i);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
}

/// How new ids are made: a prefix, then a number of `width` digits.
struct Pattern {
    prefix: String,
    width: usize,
    next: u64,
}

impl Pattern {
    /// The list's own pattern: the commonest prefix among its ids (the
    /// part before the trailing digits), numbered after its highest.
    fn of(ids: &[&str], fallback: &str) -> Pattern {
        let split = |id: &str| -> Option<(String, String)> {
            let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            (digits > 0).then(|| {
                (
                    id[..id.len() - digits].to_string(),
                    id[id.len() - digits..].to_string(),
                )
            })
        };
        let parts: Vec<(String, String)> = ids.iter().filter_map(|id| split(id)).collect();
        let mut best: Option<(&str, usize)> = None;
        for (p, _) in &parts {
            let n = parts.iter().filter(|(q, _)| q == p).count();
            if best.is_none_or(|(_, m)| n >= m) {
                best = Some((p, n));
            }
        }
        match best {
            Some((prefix, _)) => {
                let mine = parts.iter().filter(|(p, _)| p == prefix);
                let width = mine.clone().map(|(_, d)| d.len()).max().unwrap_or(3);
                let next = mine
                    .filter_map(|(_, d)| d.parse::<u64>().ok())
                    .max()
                    .unwrap_or(0)
                    + 1;
                Pattern {
                    prefix: prefix.to_string(),
                    width,
                    next,
                }
            }
            None => Pattern {
                prefix: fallback.to_string(),
                width: 3,
                next: 1,
            },
        }
    }

    fn take(&mut self, used: &HashSet<String>) -> String {
        loop {
            let id = format!("{}{:0w$}", self.prefix, self.next, w = self.width);
            self.next += 1;
            if !used.contains(&id) {
                return id;
            }
        }
    }
}

/// Whether the site shows the rows in their own order: each category one
/// run, in order of appearance (as import declares them), and no row
/// without a category after one with (those are shown first).
fn shown_in_row_order(rows: &[Row]) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for r in rows {
        let c = r.category.as_str();
        match seen.last() {
            Some(last) if *last == c => {}
            _ if seen.contains(&c) => return false,
            Some(_) if c.is_empty() => return false,
            _ => seen.push(c),
        }
    }
    true
}

/// The imported rows as items with ids, and the summary of what changed.
pub(super) fn merge(
    old: &[Item],
    rows: Vec<Row>,
    prefix: Option<&str>,
    agency: &str,
    summary: &mut Summary,
) -> Result<Vec<Item>, ImportError> {
    let named = named_ids(&rows)?;
    let ids = match_ids(old, &rows, &named);
    // New ids in the list's pattern.
    let fallback = prefix.map_or_else(|| format!("{}-", agency.to_uppercase()), str::to_string);
    let mut pattern = match prefix {
        Some(p) => Pattern::of(
            &old.iter()
                .map(|i| i.id.as_str())
                .filter(|i| i.starts_with(p))
                .collect::<Vec<_>>(),
            p,
        ),
        None => Pattern::of(
            &old.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            &fallback,
        ),
    };
    let mut used: HashSet<String> = old.iter().map(|i| i.id.clone()).collect();
    used.extend(ids.iter().flatten().cloned());
    // 序号 1, 2, 3 … in row order onto a list that numbers itself (a
    // revision; a new list keeps the column as given): the numbers the
    // site shows (its own CSV or Excel, downloaded and re-imported), not
    // the clerk's; written out, every item would look changed and stop
    // following the order.
    let derived_no = !old.is_empty()
        && old.iter().all(|o| o.no.is_empty())
        && rows
            .iter()
            .enumerate()
            .all(|(i, r)| r.no.trim() == (i + 1).to_string())
        && shown_in_row_order(&rows);
    let mut items = Vec::with_capacity(rows.len());
    for (row, id) in rows.into_iter().zip(ids) {
        let id = id.unwrap_or_else(|| pattern.take(&used));
        used.insert(id.clone());
        let item = Item {
            id,
            violation: row.violation.into(),
            basis: row.basis.into(),
            penalty_basis: row.penalty_basis.into(),
            conditions: row.conditions.into(),
            handling: row.handling.into(),
            note: row.note,
            category: row.category,
            no: if derived_no { String::new() } else { row.no },
            // What no spreadsheet column carries stays as the clerk wrote it.
            summary: String::new(),
            industries: Vec::new(),
        };
        let prev = old.iter().find(|o| o.id == item.id);
        let item = match prev {
            Some(prev) => Item {
                summary: prev.summary.clone(),
                industries: prev.industries.clone(),
                ..item
            },
            None => item,
        };
        tell(prev, &item, summary);
        items.push(item);
    }
    for o in old.iter().filter(|o| !items.iter().any(|i| i.id == o.id)) {
        summary.removed += 1;
        summary
            .lines
            .push(format!("删除 {}：{}", o.id, short(&o.violation)));
    }
    Ok(items)
}

/// The ids the rows name themselves, which must be usable and unique.
fn named_ids(rows: &[Row]) -> Result<HashSet<String>, ImportError> {
    let mut named: HashSet<String> = HashSet::new();
    for r in rows {
        if r.id.is_empty() {
            continue;
        }
        if r.id
            .chars()
            .any(|c| c.is_whitespace() || "#/?\"".contains(c))
        {
            return Err(ImportError::at(
                r.place.clone(),
                format!("编号“{}”含有空格或 # / ? \" 等字符", r.id),
                Some("编号用字母、数字和连字符，例如 SJ-MF-001".into()),
            ));
        }
        if !named.insert(r.id.clone()) {
            return Err(ImportError::at(
                r.place.clone(),
                format!("编号“{}”重复", r.id),
                Some("同一清单内每项的编号必须唯一".into()),
            ));
        }
    }
    Ok(named)
}

/// Each row's id: its own, or an old item's that it matches (exactly, in
/// order, then closely, best pairs first); `None` for a new item.
fn match_ids(old: &[Item], rows: &[Row], named: &HashSet<String>) -> Vec<Option<String>> {
    let mut taken: Vec<bool> = old.iter().map(|i| named.contains(&i.id)).collect();
    let mut ids: Vec<Option<String>> = rows
        .iter()
        .map(|r| (!r.id.is_empty()).then(|| r.id.clone()))
        .collect();
    let keys_old: Vec<String> = old.iter().map(|i| normalize(&i.violation)).collect();
    let keys_new: Vec<String> = rows.iter().map(|r| normalize(&r.violation)).collect();
    // 1. Exact, in order.
    for (n, key) in keys_new.iter().enumerate() {
        if ids[n].is_some() {
            continue;
        }
        if let Some(o) = (0..old.len()).find(|&o| !taken[o] && keys_old[o] == *key) {
            taken[o] = true;
            ids[n] = Some(old[o].id.clone());
        }
    }
    // 2. Close, best pairs first.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (n, key) in keys_new.iter().enumerate() {
        if ids[n].is_some() {
            continue;
        }
        for o in (0..old.len()).filter(|&o| !taken[o]) {
            let s = similarity(key, &keys_old[o]);
            if s >= CLOSE {
                pairs.push((s, n, o));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, n, o) in pairs {
        if ids[n].is_none() && !taken[o] {
            taken[o] = true;
            ids[n] = Some(old[o].id.clone());
        }
    }
    ids
}

/// Counts `item` in the summary as added, changed (with the fields that
/// changed) or unchanged against `prev`, the item of its id before.
fn tell(prev: Option<&Item>, item: &Item, summary: &mut Summary) {
    let Some(prev) = prev else {
        summary.added += 1;
        summary
            .lines
            .push(format!("新增 {}：{}", item.id, short(&item.violation)));
        return;
    };
    let mut fields: Vec<&str> = Item::COLUMNS[1..]
        .iter()
        .zip(prev.cells()[1..].iter().zip(item.cells()[1..].iter()))
        .filter(|(_, (a, b))| a != b)
        .map(|(f, _)| *f)
        .collect();
    if prev.category != item.category {
        fields.push("分类");
    }
    if prev.no != item.no {
        fields.push("序号");
    }
    if fields.is_empty() {
        summary.unchanged += 1;
    } else {
        summary.changed += 1;
        summary.lines.push(format!(
            "修改 {}：{}（{}）",
            item.id,
            short(&item.violation),
            fields.join("、")
        ));
    }
}

/// A violation for a summary line: its first line, at most 40 characters.
fn short(s: &str) -> String {
    let first = s.lines().next().unwrap_or("");
    if first.chars().count() > 40 {
        format!("{}…", first.chars().take(40).collect::<String>())
    } else {
        first.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_texts_match_exactly() {
        assert_eq!(
            normalize("未按规定 公示营业执照的。"),
            normalize("未按规定公示营业执照的")
        );
        assert_eq!(normalize("ＡＢＣ１"), "abc1");
    }

    #[test]
    fn close_texts() {
        let a = normalize("未按规定在经营场所醒目位置悬挂营业执照的");
        let b = normalize("未按照规定在经营场所醒目位置悬挂营业执照的");
        assert!(similarity(&a, &b) >= CLOSE, "{}", similarity(&a, &b));
        let c = normalize("发布虚假广告的");
        assert!(similarity(&a, &c) < CLOSE);
    }

    #[test]
    fn new_ids_follow_the_lists_pattern() {
        let mut p = Pattern::of(&["SJ-MF-001", "SJ-MF-012", "X-1"], "SCJG-");
        let used = HashSet::new();
        assert_eq!(p.take(&used), "SJ-MF-013");
        let mut q = Pattern::of(&[], "SCJG-");
        assert_eq!(q.take(&used), "SCJG-001");
    }
}
