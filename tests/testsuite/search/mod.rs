//! The search index `gongshi build` writes to `public/search/`: its files and
//! their gzip copies, reproducibility, records for documents and their
//! parts, sharding, `synonyms.toml` and `[search]` in `site.toml`, and the
//! search page's hot words. (The runtime that reads the index is tested in
//! the browser suite: tests/browser/tests/search*.test.mjs.)

use std::collections::BTreeMap;
use std::io::Read as _;

use crate::harness::Site;

mod settings;

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

pub(crate) fn meta(site: &Site) -> serde_json::Value {
    serde_json::from_str(&site.read("public/search/meta.json")).expect("meta.json is JSON")
}

/// The record types' keys, in meta.json's order.
pub(crate) fn type_keys(m: &serde_json::Value) -> Vec<&str> {
    m["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect()
}

fn varint(b: &[u8], i: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let x = b[*i];
        *i += 1;
        v |= u32::from(x & 0x7f) << shift;
        if x < 0x80 {
            return v;
        }
        shift += 7;
    }
}

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

/// Display data of record `id`: (record entry, document entry).
pub(crate) fn display(site: &Site, id: u32) -> (serde_json::Value, serde_json::Value) {
    let k = meta(site)["records_per_shard"].as_u64().unwrap() as u32;
    let shard: serde_json::Value =
        serde_json::from_str(&site.read(&format!("public/search/r/{}.json", id / k))).unwrap();
    let r = shard["r"][(id % k) as usize].clone();
    let d = shard["d"][r[0].as_u64().unwrap() as usize].clone();
    (r, d)
}

#[test]
fn index_files_have_identical_gzip_copies() {
    let site = Site::fixture("minimal");
    site.build();
    let files = site.tree("public/search");
    let plain: Vec<&String> = files
        .keys()
        .filter(|k| !k.ends_with(".gz") && *k != "index.html")
        .collect();
    for name in [
        "meta.json",
        "facets.bin",
        "order.bin",
        "t2s/0.txt",
        "vocab.txt",
    ] {
        assert!(files.contains_key(name), "search/{name} is written");
    }
    assert!(plain.iter().any(|k| k.starts_with("t/")), "term shards");
    assert!(plain.iter().any(|k| k.starts_with("r/")), "display shards");
    for name in plain {
        let gz = files
            .get(&format!("{name}.gz"))
            .unwrap_or_else(|| panic!("search/{name}.gz is written"));
        assert_eq!(
            &gunzip(gz),
            &files[name],
            "search/{name}.gz holds search/{name}"
        );
        // RFC 1952 header: no modification time, no file name, OS unknown.
        assert_eq!(&gz[4..8], &[0, 0, 0, 0], "{name}.gz has no mtime");
        assert_eq!(gz[3] & 0x08, 0, "{name}.gz has no file name");
        assert_eq!(gz[9], 255, "{name}.gz names no OS");
    }
    assert!(
        !files.contains_key("index.html.gz"),
        "only index files get copies"
    );
}

#[test]
fn the_index_is_reproducible() {
    let site = Site::fixture("minimal");
    site.build();
    let first = site.tree("public/search");
    let site = site.remove("public");
    site.build();
    assert_eq!(site.tree("public/search"), first);
    // Another output folder, another working directory: the same bytes.
    site.run(&["build", "--output", "elsewhere"]).success();
    assert_eq!(site.tree("elsewhere/search"), first);
}

#[test]
fn records_are_documents_items_and_risk_points() {
    let site = Site::fixture("minimal");
    site.build();
    let m = meta(&site);
    // 8 documents, 4 list items, 3 risk points.
    assert_eq!(m["docs"], 8);
    assert_eq!(m["records"], 15);
    assert_eq!(m["format"], 7);
    assert_eq!(m["tokenizer"], 1);
    let types = type_keys(&m);
    assert_eq!(
        types,
        [
            "item",
            "risk",
            "lists",
            "guidance",
            "cases",
            "warnings",
            "reports",
            "mediation",
            "page"
        ]
    );
    let facets: Vec<&str> = m["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        facets,
        [
            "agency",
            "status",
            "district",
            "industry",
            "list_kind",
            "risk_level",
            "method",
            "year"
        ]
    );

    // 健康证明 is an item's violation: that record links to the item's anchor
    // and names its list.
    let (ids, scores) = postings(&site, "健康").expect("健康 is indexed");
    let mut anchors = Vec::new();
    for (&id, &score) in ids.iter().zip(&scores) {
        assert!(score > 0);
        let (r, d) = display(&site, id);
        anchors.push((
            r[2].as_str().unwrap().to_string(),
            d[1].as_str().unwrap().to_string(),
        ));
    }
    assert!(
        anchors
            .iter()
            .any(|(a, url)| a.starts_with("item-") && url.starts_with("lists/scjg/")),
        "{anchors:?}"
    );
    // A risk point is a record of its own, with its anchor.
    let (ids, _) = postings(&site, "燃气").expect("燃气 is indexed");
    let risk = ids
        .iter()
        .map(|&id| display(&site, id))
        .find(|(r, _)| r[2].as_str().unwrap().starts_with("risk-"))
        .expect("a risk point mentions 燃气");
    assert_eq!(risk.0[1], 1, "type 1 is risk");
    assert!(
        risk.0[3].as_str().unwrap().contains("燃气"),
        "its title is the risk point"
    );
}

#[test]
fn headlines_outrank_bodies_and_get_pinyin() {
    let site = Site::fixture("minimal");
    site.build();
    let (ids, scores) = postings(&site, "执照").expect("执照");
    let mut by_kind: BTreeMap<bool, u8> = BTreeMap::new();
    for (&id, &s) in ids.iter().zip(&scores) {
        let (r, _) = display(&site, id);
        let is_item = r[2].as_str().unwrap().starts_with("item-");
        let e = by_kind.entry(is_item).or_default();
        *e = (*e).max(s);
    }
    assert!(
        by_kind[&true] > *by_kind.get(&false).unwrap_or(&0),
        "an item whose violation names 执照 scores above documents that mention it: {by_kind:?}"
    );
    let (py, _) = postings(&site, ":yingye").expect("full pinyin of 营业");
    let (ini, _) = postings(&site, "!yy").expect("initials of 营业");
    assert!(!py.is_empty() && ini.len() >= py.len());
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

/// 220 lists of 20 items each, built: 4,620 records, several tokens in
/// most of them.
fn bigger_site() -> Site {
    let mut site = Site::fixture("minimal");
    let violations = [
        "未将营业执照置于住所或者主要经营场所的醒目位置",
        "食品经营者安排未取得健康证明的人员从事接触直接入口食品的工作",
        "占用、堵塞、封闭消防车通道",
        "经营者未按规定实行明码标价",
    ];
    // 330 lists of 20 items: a token of every item has a tail of more than
    // one block.
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
    let m = meta(&site);
    let token = "轻微";
    let path = shard_of(&m, token);
    let bytes = std::fs::read(site.path(&path)).unwrap();
    let e = parse_shard(shard_name(&path), &bytes)
        .remove(token)
        .expect(token);
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
    let m = meta(&site);
    let token = "轻微";
    let path = shard_of(&m, token);
    let bytes = std::fs::read(site.path(&path)).unwrap();
    let e = parse_shard(shard_name(&path), &bytes)
        .remove(token)
        .expect(token);
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
    let m = meta(&site);
    let tail_of = |token: &str| {
        let path = shard_of(&m, token);
        let bytes = std::fs::read(site.path(&path)).unwrap();
        let e = parse_shard(shard_name(&path), &bytes)
            .remove(token)
            .expect(token);
        (
            e.tail.expect("a frequent token has a tail").0,
            shard_name(&path).to_string(),
        )
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

/// The type of every record from meta.json `ranges` alone is the type its
/// display shard gives, and each type's documents come before their parts.
#[test]
fn record_types_are_ranges_in_meta() {
    let site = Site::fixture("minimal");
    site.build();
    let m = meta(&site);
    let types = type_keys(&m);
    let mut of_record = Vec::new();
    for run in m["ranges"].as_array().unwrap() {
        let (kind, n) = (run[0].as_u64().unwrap(), run[1].as_u64().unwrap());
        assert!(n > 0, "no empty runs: {run}");
        of_record.extend(std::iter::repeat_n(kind, n as usize));
    }
    assert_eq!(of_record.len(), m["records"].as_u64().unwrap() as usize);
    let mut docs = 0;
    for (id, &kind) in of_record.iter().enumerate() {
        let (r, d) = display(&site, id as u32);
        assert_eq!(r[1].as_u64().unwrap(), kind, "record {id}");
        let is_doc = r[2].as_str().unwrap().is_empty();
        docs += usize::from(is_doc);
        assert_eq!(
            is_doc,
            !["item", "risk"].contains(&types[kind as usize]),
            "record {id} of {d}"
        );
    }
    assert_eq!(docs, m["docs"].as_u64().unwrap() as usize);
    // Lists, then their items; warnings, then their risk points.
    let kinds: Vec<&str> = m["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| types[r[0].as_u64().unwrap() as usize])
        .collect();
    let at = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
    assert_eq!(at("item"), at("lists") + 1, "{kinds:?}");
    assert_eq!(at("risk"), at("warnings") + 1, "{kinds:?}");
}

#[test]
fn facets_and_order_cover_every_document_once() {
    let site = Site::fixture("minimal");
    site.build();
    let m = meta(&site);
    let docs = m["docs"].as_u64().unwrap() as usize;
    let b = std::fs::read(site.path("public/search/facets.bin")).unwrap();
    let mut i = 0;
    let names_len = varint(&b, &mut i) as usize;
    let names: serde_json::Value = serde_json::from_slice(&b[i..i + names_len]).unwrap();
    i += names_len;
    assert_eq!(
        names.as_array().unwrap().len(),
        m["facets"].as_array().unwrap().len(),
        "term names for every dimension"
    );
    assert_eq!(varint(&b, &mut i) as usize, docs);
    // Then each part's document, as zigzag differences: every one a
    // document, and the parts with the documents make every record.
    let parts = varint(&b, &mut i) as usize;
    assert_eq!(docs + parts, m["records"].as_u64().unwrap() as usize);
    let mut doc = 0i64;
    for _ in 0..parts {
        let z = i64::from(varint(&b, &mut i));
        doc += if z % 2 == 1 { -(z + 1) / 2 } else { z / 2 };
        assert!((0..docs as i64).contains(&doc), "part of document {doc}");
    }
    // order.bin: a permutation of the documents.
    let b = std::fs::read(site.path("public/search/order.bin")).unwrap();
    let mut i = 0;
    let mut seen: Vec<u32> = (0..docs).map(|_| varint(&b, &mut i)).collect();
    assert_eq!(i, b.len());
    seen.sort_unstable();
    assert_eq!(seen, (0..docs as u32).collect::<Vec<_>>());
}
