//! The "did you mean" vocabulary: the runs of ideographs in headlines
//! (titles, violations, risk points) that occur at least twice, most
//! frequent first. The runtime fetches it only when a query found no record
//! with every term, and proposes the stretch of an entry that differs from
//! a query run by one character (营业执找 → 营业执照, found inside
//! 未将营业执照置于住所…). Whole runs rather than every n-gram: a phrase is
//! kept once however many fragments a typo could match, so the file stays
//! small and its order is the order of what sites actually say.

use std::collections::HashMap;

use super::records::Record;
use super::tokenize::{self, Run};

/// Characters shipped at most (about 60 KB before gzip).
pub const MAX_CHARS: usize = 20_000;

/// The vocabulary, one run a line.
pub fn build(records: &[Record<'_>]) -> String {
    // Distinct headlines first: lists repeat the same violation many times.
    let mut heads: HashMap<&str, u32> = HashMap::new();
    for r in records {
        *heads.entry(&*r.title).or_default() += 1;
    }
    let mut counts: HashMap<String, u32> = HashMap::new();
    for (head, n) in heads {
        let norm = tokenize::normalize(head);
        for run in tokenize::runs(&norm) {
            if let Run::Cjk(s) = run
                && s.chars().nth(1).is_some()
            {
                *counts.entry(s.to_string()).or_default() += n;
            }
        }
    }
    let mut v: Vec<(String, u32)> = counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    // Most frequent first; then longer first, then by code point: stable.
    v.sort_unstable_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| b.0.chars().count().cmp(&a.0.chars().count()))
            .then_with(|| a.0.cmp(&b.0))
    });
    let mut out = String::new();
    let mut chars = 0;
    for (g, _) in v {
        chars += g.chars().count();
        if chars > MAX_CHARS {
            break;
        }
        out.push_str(&g);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::records::Kind;

    fn rec(head: &str) -> Record<'_> {
        Record {
            doc: 0,
            kind: Kind::Item,
            part: 0,
            title: head.into(),
            meta: "".into(),
        }
    }

    #[test]
    fn runs_seen_twice_most_frequent_first() {
        let recs: Vec<Record<'_>> = [
            "未将营业执照置于醒目位置",
            "未将营业执照置于醒目位置",
            "未将营业执照置于醒目位置",
            "占用、堵塞消防车通道",
            "占用、堵塞消防车通道",
            "只出现一次的标题",
            "證照",
            "证照",
        ]
        .iter()
        .map(|h| rec(h))
        .collect();
        assert_eq!(
            build(&recs),
            "未将营业执照置于醒目位置\n堵塞消防车通道\n占用\n证照\n"
        );
    }
}
