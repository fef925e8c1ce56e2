//! The "did you mean" vocabulary: frequent runs of two to eight ideographs
//! from headlines (titles, violations, risk points), most frequent first.
//! The runtime fetches it only when a query found no record with every
//! term, and proposes the entry that differs from a query run by one
//! character (营业执找 → 营业执照).

use std::collections::{HashMap, HashSet};

use super::records::Record;
use super::tokenize::{self, Run};

/// Entries shipped at most.
pub const MAX_ENTRIES: usize = 3000;
const MIN_LEN: usize = 2;
const MAX_LEN: usize = 8;

/// The vocabulary, one entry a line.
pub fn build(records: &[Record]) -> String {
    // Distinct headlines first: lists repeat the same violation many times.
    let mut heads: HashMap<&str, u32> = HashMap::new();
    for r in records {
        *heads.entry(r.fields.head.as_str()).or_default() += 1;
    }
    let mut counts: HashMap<String, u32> = HashMap::new();
    for (head, n) in heads {
        let norm = tokenize::normalize(head);
        let mut seen: HashSet<&str> = HashSet::new();
        for run in tokenize::runs(&norm) {
            let Run::Cjk(s) = run else { continue };
            let idx: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let chars = idx.len() - 1;
            for a in 0..chars {
                for len in MIN_LEN..=MAX_LEN.min(chars - a) {
                    seen.insert(&s[idx[a]..idx[a + len]]);
                }
            }
        }
        for g in &seen {
            *counts.entry((*g).to_string()).or_default() += n;
        }
    }
    let mut v: Vec<(String, u32)> = counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    // Most frequent first; among equals, longer first (a whole phrase beats
    // its fragments), then by code point for a stable order.
    v.sort_unstable_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| b.0.chars().count().cmp(&a.0.chars().count()))
            .then_with(|| a.0.cmp(&b.0))
    });
    v.truncate(MAX_ENTRIES);
    let mut out = String::new();
    for (g, _) in v {
        out.push_str(&g);
        out.push('\n');
    }
    out
}
