//! Versions of one thing, folded into one result, and expired material,
//! left out of default results: what `meta.json` `expired` and `versions`
//! say (each a base64 string of varints, small enough for every query).
//!
//! A document's *family* is the documents linked to it by `superseded_by`,
//! in either direction, transitively. The versions of a list item are the
//! items with its id in the lists of one family (`SJ-MF-001` of the 2023
//! and of the 2024 list); the versions of a document are its family. The
//! runtime shows one result per group — its first member that the reader
//! may see — with the group's best score, so the current version always
//! outranks the versions it replaced, and says how many others there are.

use std::collections::BTreeMap;

use super::index::put_varint;
use super::records::{Kind, Record, is_expired};
use super::t2s::base64;
use crate::content::Typed;
use crate::model::{Model, Status};

/// `meta.json` `expired`: runs of records whose document is expired on the
/// build day, as varint pairs (gap since the end of the last run, length).
pub(super) fn expired(model: &Model, recs: &[Record<'_>]) -> String {
    let mut out = Vec::new();
    let (mut end, mut i) = (0usize, 0usize);
    while i < recs.len() {
        if !is_expired(model, recs[i].doc) {
            i += 1;
            continue;
        }
        let from = i;
        while i < recs.len() && is_expired(model, recs[i].doc) {
            i += 1;
        }
        put_varint(&mut out, (from - end) as u32);
        put_varint(&mut out, (i - from) as u32);
        end = i;
    }
    base64(&out)
}

/// The groups of two or more versions, each in the order the runtime
/// prefers them: current, then pending, then expired (and undated), newest
/// first within each.
pub(super) fn groups(model: &Model, recs: &[Record<'_>]) -> Vec<Vec<u32>> {
    let family = families(model);
    if family.iter().enumerate().all(|(i, &f)| f == i) {
        return Vec::new();
    }
    let mut by_key: BTreeMap<(usize, &str), Vec<u32>> = BTreeMap::new();
    for (n, r) in recs.iter().enumerate() {
        let Some(&f) = family.get(r.doc) else {
            continue;
        };
        let key = match (r.kind, &model.docs[r.doc].typed) {
            (Kind::Item, Typed::List { items, .. }) => match items.get(r.part) {
                Some(it) => it.id.as_str(),
                None => continue,
            },
            (Kind::Risk, _) => continue,
            _ => "",
        };
        by_key.entry((f, key)).or_default().push(n as u32);
    }
    let rank = |n: u32| {
        let d = recs[n as usize].doc;
        let s = match model.statuses[d] {
            Some(Status::Current) => 0,
            Some(Status::Pending) => 1,
            _ => 2,
        };
        (s, d)
    };
    let mut groups: Vec<Vec<u32>> = by_key
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_by_key(|&n| rank(n));
            g
        })
        .collect();
    groups.sort_unstable();
    groups
}

/// `meta.json` `versions`: the group count, then per group its size and
/// its members, each as a zigzag difference from the member before (the
/// first from the first member of the group before).
pub(super) fn encode(groups: &[Vec<u32>]) -> String {
    let mut out = Vec::new();
    put_varint(&mut out, groups.len() as u32);
    let mut prev_first = 0i64;
    for g in groups {
        put_varint(&mut out, g.len() as u32);
        let mut prev = prev_first;
        for (k, &m) in g.iter().enumerate() {
            let d = i64::from(m) - prev;
            put_varint(&mut out, ((d << 1) ^ (d >> 63)) as u32);
            prev = i64::from(m);
            if k == 0 {
                prev_first = prev;
            }
        }
    }
    base64(&out)
}

/// Each document's family: the smallest index linked to it by
/// `superseded_by`, either way.
fn families(model: &Model) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..model.docs.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut links: Vec<(usize, usize)> = model
        .supersedes
        .iter()
        .flat_map(|(&j, olds)| olds.iter().map(move |&i| (j, i)))
        .collect();
    links.sort_unstable();
    for (a, b) in links {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    (0..parent.len()).map(|i| root(&mut parent, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_encode_as_zigzag_differences() {
        // Two groups: [5, 2] and [9, 12, 7].
        let s = encode(&[vec![5, 2], vec![9, 12, 7]]);
        let mut bytes = Vec::new();
        for v in [2u32, 2, 10, 5, 3, 8, 6, 9] {
            put_varint(&mut bytes, v);
        }
        assert_eq!(s, base64(&bytes));
        assert_eq!(encode(&[]), base64(&[0]));
    }
}
