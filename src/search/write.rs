//! Writing the index: the records numbered, the term shards, display
//! shards, facets, vocabulary and `t2s/` blocks made and written (each with
//! its reproducible `.gz`), then `meta.json`, whose id digests them all.

use std::collections::BTreeMap;
use std::hash::Hasher as _;

use rayon::prelude::*;
use serde::Serialize;

use super::display::{display_shards, number};
use super::facets::{
    FacetEncoding, docs_section, facet_encoding, facet_values, facets_file, order_file,
};
use super::files::{Written, write_pair};
use super::records::{self, Kind, Record};
use super::t2s::{T2S_FROM, t2s_bits, t2s_files};
use super::{FORMAT, RECORDS_PER_SHARD, Synonyms, fold, index, tokenize, vocab};
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Model;
use crate::output::Output;

/// What the index writer reports (with `GONGSHI_TIMINGS`).
#[derive(Debug, Default)]
pub struct Stats {
    pub records: usize,
    pub terms: usize,
    pub postings: usize,
    pub term_shards: usize,
    pub files: usize,
    pub bytes: usize,
    pub gz_bytes: usize,
}

#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    tokenizer: u32,
    /// Changes whenever any index file changes: the runtime adds it to
    /// every URL it fetches, so a new build never mixes with cached shards.
    id: String,
    records: usize,
    docs: usize,
    base_bits: u32,
    /// One base-36 digit per base bucket: its extra split bits.
    depths: String,
    records_per_shard: usize,
    /// The type of every record, as runs in record order: [index into
    /// `types`, count]. Each type's documents come first, then their
    /// parts; type tabs count and the type filter filters with this alone.
    ranges: Vec<(usize, usize)>,
    scoring: Scoring,
    types: Vec<TermMeta>,
    /// The facet dimensions; their terms are in `facets.bin`.
    facets: Vec<FacetMeta>,
    /// What results show: agency and status names (`r/` shards give indexes).
    agencies: Vec<TermMeta>,
    statuses: Vec<TermMeta>,
    /// The first characters of the synonym keys, in order, and how many
    /// files hold them: a query fetches `syn/<code point mod that>.json`
    /// for each of its characters in here, not the whole lexicon.
    synonym_starts: String,
    synonym_files: u32,
    /// Records expired on the build day ([`fold::expired`]): left out of
    /// default results.
    expired: String,
    /// Versions of one item or document ([`fold::encode`]): one result each.
    versions: String,
    hot_words: &'a [String],
    /// Traditional characters: a bitset from U+4E00 (base64); a query
    /// with one of them needs `t2s/<(c − t2s_from) >> 10>.txt`.
    t2s_from: u32,
    t2s_bits: String,
    vocab: usize,
    /// Bigrams in more than a fifth of the records: a query run skips them
    /// where its other bigrams cover every character.
    common: Vec<&'a str>,
}

#[derive(Serialize)]
struct Scoring {
    k1: f64,
    b: f64,
    weight_head: u32,
    weight_meta: u32,
    weight_body: u32,
    /// One unit of a posting's score byte, in BM25F.
    scale: f64,
}

#[derive(Serialize)]
struct TermMeta {
    key: String,
    name: String,
}

#[derive(Serialize)]
struct FacetMeta {
    key: &'static str,
    name: &'static str,
    enc: FacetEncoding,
}

/// Builds the index and writes it below `search/`.
pub fn write(
    model: &Model,
    bodies: &[Rendered],
    synonyms: &Synonyms,
    out: &Output,
) -> Result<Stats, Diagnostic> {
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        if std::env::var_os("GONGSHI_TIMINGS").is_some() {
            eprintln!("    search {what}: {} ms", t0.elapsed().as_millis());
        }
    };
    let mut per_doc = records::all(model);
    let doc_count = per_doc.len();
    let order = records::search_order(model, &per_doc);
    let numbered = number(model, &order, &mut per_doc);
    drop(per_doc);
    let recs = numbered.recs;

    // Each file is written (with its .gz) as soon as it is made, and
    // dropped; meta.json comes last, with a digest of all the others as its
    // id. (name, digest, bytes, gzipped bytes) of each:
    let mut written: Vec<Written> = Vec::new();
    let body = |r: &Record<'_>, out: &mut String| records::body(model, bodies, r, out);
    let (ix, (display, vocab)) = rayon::join(
        || index::build(&recs, &body),
        || {
            rayon::join(
                || display_shards(model, bodies, &recs, out),
                || vocab::build(&recs),
            )
        },
    );
    written.extend(display?);
    lap("records, index, display, vocab");

    let records = recs.len();
    let expired = fold::expired(model, &recs);
    let versions = fold::encode(&fold::groups(model, &recs));
    drop(recs);
    let terms = Terms::of(&ix, records);
    let shards = ix.each_shard(|name, bytes| {
        let name = format!("search/{name}.bin");
        write_pair(out, &name, &bytes).map(|(h, gz)| (name, h, bytes.len(), gz))
    });
    drop(ix);
    let term_shards = shards.len();
    for s in shards {
        written.push(s?);
    }

    let facet_terms = records::facet_terms(model);
    let (facets, encodings) = facets(model, &order, &facet_terms, doc_count, &numbered.part_docs);
    let vocab_entries = vocab.lines().count();
    let files = small_files(facets, &order, synonyms, vocab);
    lap("encoded");

    let rest: Vec<Written> = files
        .into_par_iter()
        .map(|(name, bytes)| {
            write_pair(out, &name, &bytes).map(|(h, gz)| (name, h, bytes.len(), gz))
        })
        .collect::<Result<_, _>>()?;
    written.extend(rest);
    let meta = Meta {
        format: FORMAT,
        tokenizer: tokenize::VERSION,
        id: index_id(&written),
        records,
        docs: doc_count,
        base_bits: terms.base_bits,
        depths: terms.depths,
        records_per_shard: RECORDS_PER_SHARD,
        ranges: numbered.ranges,
        scoring: Scoring {
            k1: index::K1,
            b: index::B,
            weight_head: index::WEIGHT_HEAD,
            weight_meta: index::WEIGHT_META,
            weight_body: index::WEIGHT_BODY,
            scale: terms.scale,
        },
        types: Kind::ALL
            .iter()
            .map(|k| TermMeta {
                key: k.key().into(),
                name: k.name().into(),
            })
            .collect(),
        facets: records::DIMENSIONS
            .iter()
            .zip(&encodings)
            .map(|((key, name), &enc)| FacetMeta { key, name, enc })
            .collect(),
        agencies: term_metas(&facet_terms[0]),
        statuses: term_metas(&facet_terms[1]),
        synonym_starts: synonym_starts(synonyms),
        synonym_files: synonym_buckets(synonyms),
        expired,
        versions,
        hot_words: &model.config.search.hot_words,
        t2s_from: T2S_FROM,
        t2s_bits: t2s_bits(),
        vocab: vocab_entries,
        common: terms.common.iter().map(String::as_str).collect(),
    };
    let meta = crate::escape::json(&meta)
        .map_err(|e| Diagnostic::error("search/meta.json", "输出", e.to_string()))?;
    let (_, meta_gz) = write_pair(out, "search/meta.json", &meta)?;
    lap("gzip and write");
    Ok(Stats {
        records,
        terms: terms.count,
        postings: terms.postings,
        term_shards,
        files: (written.len() + 1) * 2,
        bytes: written.iter().map(|w| w.2).sum::<usize>() + meta.len(),
        gz_bytes: written.iter().map(|w| w.3).sum::<usize>() + meta_gz,
    })
}

/// `facets.bin` and how each dimension is encoded in it.
fn facets(
    model: &Model,
    order: &[usize],
    facet_terms: &[Vec<(String, String)>],
    doc_count: usize,
    part_docs: &[u32],
) -> (Vec<u8>, Vec<FacetEncoding>) {
    let values = facet_values(model, order, facet_terms);
    let encodings: Vec<FacetEncoding> = values
        .iter()
        .zip(facet_terms)
        .map(|(v, t)| facet_encoding(v, t.len()))
        .collect();
    let names: Vec<Vec<TermMeta>> = facet_terms.iter().map(|t| term_metas(t)).collect();
    let file = facets_file(
        &crate::escape::json(&names).unwrap_or_default(),
        &docs_section(doc_count, part_docs),
        &values,
        &encodings,
    );
    (file, encodings)
}

/// What `meta.json` says of the terms, taken from the index before its
/// shards are written (and it is dropped).
struct Terms {
    base_bits: u32,
    depths: String,
    scale: f64,
    common: Vec<String>,
    count: usize,
    postings: usize,
}

impl Terms {
    fn of(ix: &index::Index, records: usize) -> Terms {
        Terms {
            base_bits: ix.base_bits,
            depths: ix
                .depths
                .iter()
                .map(|&d| char::from_digit(d, 36).unwrap_or('0'))
                .collect(),
            scale: ix.scale,
            common: ix
                .common_bigrams(records)
                .into_iter()
                .map(String::from)
                .collect(),
            count: ix.term_count(),
            postings: ix.postings_total,
        }
    }
}

/// The index files other than shards and `meta.json`: facets, the date
/// order, pinyin keys, `t2s/` blocks and the vocabulary, by name.
fn small_files(
    facets: Vec<u8>,
    order: &[usize],
    synonyms: &Synonyms,
    vocab: String,
) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("search/facets.bin".into(), facets),
        ("search/order.bin".into(), order_file(order)),
        // Ideograph synonym keys by their toneless pinyin (`weihuapin` →
        // 危化品): only a query with a word of pinyin fetches it.
        (
            "search/pinyin.json".into(),
            crate::escape::json(&synonyms.pinyin()).unwrap_or_default(),
        ),
    ];
    for (n, bytes) in t2s_files() {
        files.push((format!("search/t2s/{n}.txt"), bytes));
    }
    for (n, keys) in synonym_files(synonyms) {
        let json = crate::escape::json(&keys).unwrap_or_default();
        files.push((format!("search/syn/{n}.json"), json));
    }
    files.push(("search/vocab.txt".into(), vocab.into_bytes()));
    files
}

/// Keys per synonym file, about: a query fetches one file per character
/// that starts a key, so a file holds the keys of a few such characters.
const SYNONYM_KEYS_PER_FILE: usize = 8;

/// How many files the synonyms are split into: a power of two.
fn synonym_buckets(synonyms: &Synonyms) -> u32 {
    synonyms
        .map
        .len()
        .div_ceil(SYNONYM_KEYS_PER_FILE)
        .clamp(1, 256)
        .next_power_of_two() as u32
}

/// The first characters of the synonym keys, each once, in order.
fn synonym_starts(synonyms: &Synonyms) -> String {
    let mut starts: Vec<char> = synonyms
        .map
        .keys()
        .filter_map(|k| k.chars().next())
        .collect();
    starts.dedup();
    starts.into_iter().collect()
}

/// The synonyms by file: a key goes to the code point of its first
/// character modulo [`synonym_buckets`]; files in number order.
fn synonym_files(synonyms: &Synonyms) -> BTreeMap<u32, BTreeMap<&str, &Vec<String>>> {
    let n = synonym_buckets(synonyms);
    let mut files: BTreeMap<u32, BTreeMap<&str, &Vec<String>>> = BTreeMap::new();
    for (k, v) in &synonyms.map {
        if let Some(c) = k.chars().next() {
            files.entry(u32::from(c) % n).or_default().insert(k, v);
        }
    }
    files
}

/// The index's id: a digest of every file's name and digest, in name
/// order (8 hex digits).
fn index_id(written: &[Written]) -> String {
    let mut digest: Vec<(&str, u64)> = written
        .iter()
        .map(|(n, h, _, _)| (n.as_str(), *h))
        .collect();
    digest.sort_unstable();
    let mut fp = crate::hash::Fp::new();
    for (name, h) in digest {
        fp.write(name.as_bytes());
        fp.write(&h.to_le_bytes());
    }
    let id = fp.finish();
    format!("{:08x}", (id ^ (id >> 32)) as u32)
}

fn term_metas(terms: &[(String, String)]) -> Vec<TermMeta> {
    terms
        .iter()
        .map(|(k, n)| TermMeta {
            key: k.clone(),
            name: n.clone(),
        })
        .collect()
}
