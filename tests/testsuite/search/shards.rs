//! Term shards: every term once, small shards, a frequent token's head in
//! its shard and its tail in a file of its own and in blocks, tails shared
//! by tokens with the same postings.

use std::collections::BTreeMap;

use super::{meta, varint};
use crate::harness::Site;

/// One term's postings in a shard: its head (record numbers, score bytes)
/// and, for a frequent term, its tail's place: the term's index in the
/// shard, the tail's highest score byte and the record its ties follow.
struct Entry {
    ids: Vec<u32>,
    scores: Vec<u8>,
    /// The tail file (`<shard>.<i>`, its own or a term's it shares), its
    /// highest byte, the record its ties follow.
    tail: Option<(String, u8, Option<u32>)>,
    /// The tail's blocks: first record and highest byte of each.
    blocks: Vec<(u32, u8)>,
}

/// A count, record numbers as gaps, score bytes (a head or a tail file).
fn read_postings(b: &[u8], i: &mut usize) -> (Vec<u32>, Vec<u8>) {
    let count = varint(b, i) as usize;
    let mut ids = Vec::new();
    let mut prev = 0;
    for _ in 0..count {
        prev += varint(b, i);
        ids.push(prev);
    }
    let scores = b[*i..*i + count].to_vec();
    *i += count;
    (ids, scores)
}

/// A term shard (`shard`: its name, `9d-19`): token → its entry.
fn parse_shard(shard: &str, b: &[u8]) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    let mut i = 0;
    let n = varint(b, &mut i);
    for t in 0..n as usize {
        let len = varint(b, &mut i) as usize;
        let term = String::from_utf8(b[i..i + len].to_vec()).expect("UTF-8 token");
        i += len;
        let blen = varint(b, &mut i) as usize;
        let end = i + blen;
        let (ids, scores) = read_postings(b, &mut i);
        let rest = varint(b, &mut i);
        let mut blocks = Vec::new();
        let tail = (rest > 0).then(|| {
            let max = b[i];
            i += 1;
            let tie = varint(b, &mut i).checked_sub(1);
            let shared = varint(b, &mut i) as usize;
            let file = if shared == 0 {
                format!("{shard}.{t}")
            } else {
                i += shared;
                String::from_utf8(b[i - shared..i].to_vec()).expect("ASCII file name")
            };
            let mut first = 0;
            for _ in 0..varint(b, &mut i) {
                first += varint(b, &mut i);
                blocks.push((first, b[i]));
                i += 1;
            }
            (file, max, tie)
        });
        assert_eq!(i, end, "postings of {term} fill their block");
        out.insert(
            term,
            Entry {
                ids,
                scores,
                tail,
                blocks,
            },
        );
    }
    assert_eq!(i, b.len(), "nothing after the last term");
    out
}

fn fnv(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `9d-19` of `public/search/t/9d-19.bin`.
fn shard_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap().trim_end_matches(".bin")
}

/// The shard file a token is in, as the runtime computes it.
fn shard_of(meta: &serde_json::Value, token: &str) -> String {
    let bits = meta["base_bits"].as_u64().unwrap() as u32;
    let depths = meta["depths"].as_str().unwrap();
    let h = fnv(token);
    let bucket = h & ((1u32 << bits) - 1);
    let e = depths
        .chars()
        .nth(bucket as usize)
        .and_then(|c| c.to_digit(36))
        .unwrap();
    if e == 0 {
        format!("public/search/t/{bucket:x}.bin")
    } else {
        format!(
            "public/search/t/{bucket:x}-{:x}.bin",
            (h >> bits) & ((1 << e) - 1)
        )
    }
}

/// A token's entry in its shard, and the shard's name.
fn entry(site: &Site, token: &str) -> (Entry, String) {
    let path = shard_of(&meta(site), token);
    let bytes = std::fs::read(site.path(&path)).unwrap();
    let name = shard_name(&path).to_string();
    let e = parse_shard(&name, &bytes).remove(token).expect(token);
    (e, name)
}

/// A token's postings, head and tail together, in record order.
pub(crate) fn postings(site: &Site, token: &str) -> Option<(Vec<u32>, Vec<u8>)> {
    let m = meta(site);
    let path = shard_of(&m, token);
    let bytes = std::fs::read(site.path(&path)).ok()?;
    let e = parse_shard(shard_name(&path), &bytes).remove(token)?;
    let mut all: Vec<(u32, u8)> = e.ids.into_iter().zip(e.scores).collect();
    if let Some((file, _, _)) = e.tail {
        let tail = site.path(&format!("public/search/t/{file}.bin"));
        let b = std::fs::read(tail).expect("the tail file");
        let mut i = 0;
        let (ids, scores) = read_postings(&b, &mut i);
        assert_eq!(i, b.len());
        all.extend(ids.into_iter().zip(scores));
    }
    all.sort_unstable();
    Some(all.into_iter().unzip())
}

#[test]
fn shards_stay_small_on_a_bigger_site() {
    let site = bigger_site();
    let m = meta(&site);
    assert!(m["records"].as_u64().unwrap() > 2500);
    assert!(
        m["base_bits"].as_u64().unwrap() >= 1,
        "more than one base bucket"
    );
    let files = site.tree("public/search/t");
    let mut big = Vec::new();
    for (name, bytes) in &files {
        // Skip the .gz twins and the tails (`<shard>.<i>.bin`).
        if name.ends_with(".gz") || name.matches('.').count() > 1 {
            continue;
        }
        let terms = parse_shard(name.trim_end_matches(".bin"), bytes);
        // A shard is small, or holds one frequent token on its own.
        if bytes.len() > 16 * 1024 && terms.len() > 1 {
            big.push((name.clone(), bytes.len(), terms.len()));
        }
    }
    assert!(big.is_empty(), "oversized shards: {big:?}");
    // Display shards hold a fixed number of records.
    let k = m["records_per_shard"].as_u64().unwrap() as usize;
    let shard: serde_json::Value =
        serde_json::from_str(&site.read("public/search/r/0.json")).unwrap();
    assert_eq!(shard["r"].as_array().unwrap().len(), k);
}

/// 330 lists of 20 items each, built: 6,930 records, several tokens in
/// most of them (a token of every item has a tail of two blocks).
fn bigger_site() -> Site {
    let mut site = Site::fixture("minimal");
    let violations = [
        "未将营业执照置于住所或者主要经营场所的醒目位置",
        "食品经营者安排未取得健康证明的人员从事接触直接入口食品的工作",
        "占用、堵塞、封闭消防车通道",
        "经营者未按规定实行明码标价",
    ];
    for n in 0..330 {
        let mut text = format!(
            "+++\ntitle = \"第{n}号清单\"\ndate = 2024-01-{:02}\nagency = \"scjg\"\nkind = \"exempt\"\n",
            n % 28 + 1
        );
        for k in 0..20 {
            text.push_str(&format!(
                "\n[[items]]\nid = \"T-{n}-{k}\"\nviolation = \"{}（第{k}项）\"\nbasis = \"《条例》第{k}条\"\nconditions = \"初次违法且危害后果轻微\"\nhandling = \"不予行政处罚\"\n",
                violations[(n + k) % violations.len()]
            ));
        }
        text.push_str("+++\n\n为优化营商环境，现公布本清单。\n");
        site = site.file(&format!("content/lists/scjg/gen-{n:03}.md"), text);
    }
    site.build();
    site
}

/// A frequent token's shard holds its head, the best-scoring postings (the
/// first records among equal scores); the rest is a tail file, and the
/// shard says how far the tail can reach: its highest byte, and the record
/// that byte's tail postings follow.
#[test]
fn frequent_terms_split_into_head_and_tail() {
    let site = bigger_site();
    let token = "轻微";
    let (e, _) = entry(&site, token);
    let (_, tail_max, tie) = e.tail.expect("a tail for a token in every record");
    let (all_ids, all_scores) = postings(&site, token).unwrap();
    assert!(all_ids.len() > 4400, "{}", all_ids.len());
    assert!(
        e.ids.len() * 2 < all_ids.len(),
        "the head is the smaller part"
    );
    assert!(e.ids.windows(2).all(|w| w[0] < w[1]), "record order");
    let head: BTreeMap<u32, u8> = e
        .ids
        .iter()
        .copied()
        .zip(e.scores.iter().copied())
        .collect();
    let floor = *e.scores.iter().min().unwrap();
    let mut tail_seen = 0;
    for (&r, &x) in all_ids.iter().zip(&all_scores) {
        match head.get(&r) {
            Some(&h) => assert_eq!(h, x),
            None => {
                tail_seen += 1;
                assert!(
                    x <= tail_max && tail_max <= floor,
                    "{x} ≤ {tail_max} ≤ {floor}"
                );
                if x == floor {
                    let tie = tie.expect("ties split: the record they follow");
                    assert!(r > tie, "tail ties come after the head's: {r} > {tie}");
                    assert!(head.contains_key(&tie) && head[&tie] == floor);
                }
            }
        }
    }
    assert_eq!(
        tail_seen + head.len(),
        all_ids.len(),
        "head and tail are the postings"
    );
    assert_eq!(
        tail_max,
        all_scores
            .iter()
            .zip(&all_ids)
            .filter(|(_, r)| !head.contains_key(r))
            .map(|(x, _)| *x)
            .max()
            .unwrap()
    );
}

/// A tail is also cut into blocks of 4,096 postings in record order, each
/// a file (`<shard>.<i>.<b>`) the head lists with its first record and
/// highest byte, so a query fetches the blocks its candidates fall in;
/// together they are the whole tail.
#[test]
fn tails_come_in_blocks_the_head_lists() {
    let site = bigger_site();
    let token = "轻微";
    let (e, _) = entry(&site, token);
    let (file, tail_max, _) = e.tail.expect("a tail");
    assert!(e.blocks.len() >= 2, "blocks: {:?}", e.blocks);
    let whole = std::fs::read(site.path(&format!("public/search/t/{file}.bin"))).unwrap();
    let mut i = 0;
    let (tail_ids, tail_scores) = read_postings(&whole, &mut i);
    let mut at = 0;
    for (b, &(first, max)) in e.blocks.iter().enumerate() {
        let block = site.path(&format!("public/search/t/{file}.{b}.bin"));
        let bytes = std::fs::read(&block).expect("a file for each block");
        let mut i = 0;
        let (ids, scores) = read_postings(&bytes, &mut i);
        assert_eq!(i, bytes.len());
        let last = b + 1 == e.blocks.len();
        assert!(ids.len() == 4096 || last, "block {b}: {}", ids.len());
        assert_eq!(ids[0], first, "block {b} starts where the head says");
        assert_eq!(scores.iter().max(), Some(&max), "block {b}'s highest byte");
        assert_eq!(
            ids,
            tail_ids[at..at + ids.len()],
            "block {b} is its part of the tail"
        );
        assert_eq!(scores, tail_scores[at..at + ids.len()]);
        at += ids.len();
    }
    assert_eq!(at, tail_ids.len(), "the blocks are the whole tail");
    assert_eq!(e.blocks.iter().map(|b| b.1).max(), Some(tail_max));
    assert!(
        e.ids.iter().all(|r| !tail_ids.contains(r)),
        "no record in both"
    );
}

/// Tokens that always come together (the bigrams of 危害后果 in every
/// item) have the same postings, and the later one's shard names the
/// earlier one's tail file instead of a copy of it: a query with both
/// fetches one tail. Their postings read through either are the same.
#[test]
fn tokens_with_the_same_postings_share_one_tail() {
    let site = bigger_site();
    let tail_of = |token: &str| {
        let (e, shard) = entry(&site, token);
        (e.tail.expect("a frequent token has a tail").0, shard)
    };
    let tokens = ["危害", "害后", "后果"];
    let tails: Vec<(String, String)> = tokens.iter().map(|t| tail_of(t)).collect();
    assert!(
        tails.iter().all(|t| t.0 == tails[0].0),
        "one file for all three: {tails:?}"
    );
    let own = tails
        .iter()
        .filter(|(file, shard)| file.starts_with(&format!("{shard}.")))
        .count();
    assert_eq!(own, 1, "one of them holds it: {tails:?}");
    let files = site.tree("public/search/t");
    // The tail files are exactly the ones the shards name, fewer than the
    // tokens with a tail.
    let (mut named, mut tailed) = (std::collections::BTreeSet::new(), 0);
    for (name, bytes) in &files {
        if name.ends_with(".bin") && name.matches('.').count() == 1 {
            for e in parse_shard(name.trim_end_matches(".bin"), bytes).into_values() {
                if let Some((file, _, _)) = e.tail {
                    named.insert(format!("{file}.bin"));
                    tailed += 1;
                }
            }
        }
    }
    let written: std::collections::BTreeSet<String> = files
        .keys()
        .filter(|name| name.ends_with(".bin") && name.matches('.').count() == 2)
        .cloned()
        .collect();
    assert_eq!(written, named);
    assert!(
        named.len() < tailed,
        "{} files for {tailed} tails",
        named.len()
    );
    let all: Vec<_> = tokens.iter().map(|t| postings(&site, t).unwrap()).collect();
    assert!(all[0].0.len() > 4400);
    assert!(all.iter().all(|p| *p == all[0]), "the same postings");
}
