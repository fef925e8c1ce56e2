//! The search index `gongshi build` writes to `public/search/`: its files and
//! their gzip copies, reproducibility, records for documents and their
//! parts, sharding, `synonyms.toml` and `[search]` in `site.toml`, and the
//! search page's hot words. (The runtime that reads the index is tested in
//! the browser suite: tests/browser/tests/search*.test.mjs.)

use std::collections::BTreeMap;
use std::io::Read as _;

use crate::harness::Site;

mod settings;
mod shards;

pub(crate) use shards::postings;

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
