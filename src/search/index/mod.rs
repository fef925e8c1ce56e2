//! The inverted index: records → tokens → postings with precomputed scores,
//! written as term shards the runtime fetches one token at a time.
//!
//! Why this layout:
//!
//! - **Scores are computed here, not in the browser.** Each posting carries
//!   one byte, the token's BM25F contribution to that record (field weights,
//!   saturation and length normalization applied, idf included), quantized
//!   on one global scale so the runtime only adds bytes. No term
//!   frequencies, lengths or field positions travel.
//! - **Phrase adjacency comes from bigram chains.** A CJK query run is
//!   looked up through its overlapping bigrams, so a record that has all of
//!   them has the phrase (almost always), and the runtime scores the chain
//!   across two query words (`食品 过期` → 品过) as a bonus; no positions
//!   are stored.
//! - **Shards by token hash, split where the site is dense.** A token lives
//!   in the shard named by the low bits of its FNV-1a hash; a base bucket
//!   whose postings are too big is split again by the next bits (its depth
//!   is one character of `meta.json`). A query fetches one small file per
//!   token, and a frequent token's big postings never ride along with a rare
//!   one.

mod chunk;
mod shards;
#[cfg(test)]
mod tests;

use rayon::prelude::*;

use super::records::Record;
use chunk::{Chunk, FxMap, Merger, tokenize_chunk};
pub use shards::shard_name;

/// Field weights (BM25F): a token in the headline counts as this many
/// occurrences in the body.
pub const WEIGHT_HEAD: u32 = 5;
pub const WEIGHT_META: u32 = 3;
pub const WEIGHT_BODY: u32 = 1;
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;

/// Share of records above which a bigram is "common" (see
/// [`Index::common_bigrams`]).
pub const COMMON_SHARE: f64 = 0.2;

/// Postings of one token, as they are collected: the record numbers as
/// varint gaps (the bytes the shard gets), the weighted term frequencies as
/// varints. The score bytes need every token's document frequency, so they
/// are worked out when the shard is encoded; meanwhile a posting takes
/// about three bytes.
#[derive(Default)]
struct Postings {
    count: u32,
    last: u32,
    ids: Vec<u8>,
    tfs: Vec<u8>,
}

/// The built index, ready to encode.
pub struct Index {
    terms: Vec<Box<str>>,
    postings: Vec<Postings>,
    /// Per record: BM25's length normalization of its term frequencies,
    /// `K1 · (1 − B + B · length / average length)`, worked out once.
    norms: Vec<f64>,
    /// Multiply a summed score by this to get BM25F units.
    pub scale: f64,
    pub base_bits: u32,
    /// Extra split bits of each base bucket.
    pub depths: Vec<u32>,
    pub postings_total: usize,
}

/// Records per tokenizing chunk, and chunks tokenized side by side before
/// they are merged (the merge of one window overlaps the tokenizing of the
/// next).
const CHUNK: usize = 512;
const WINDOW: usize = 8;

/// Tokenizes `records` (numbered from 0 in order) and builds the postings.
/// `body` writes a record's body text (made on demand, so the bodies of all
/// records are never in memory at once).
pub fn build(records: &[Record<'_>], body: &(dyn Fn(&Record<'_>, &mut String) + Sync)) -> Index {
    let mut merger = Merger {
        dict: FxMap::default(),
        terms: Vec::new(),
        postings: Vec::new(),
        lens: vec![0u32; records.len()],
    };
    let tokenize = |w: usize, window: &[Record<'_>]| -> Vec<Chunk> {
        window
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(ci, recs)| tokenize_chunk((w * CHUNK * WINDOW + ci * CHUNK) as u32, recs, body))
            .collect()
    };
    let mut pending: Vec<Chunk> = Vec::new();
    for (w, window) in records.chunks(CHUNK * WINDOW).enumerate() {
        let (chunks, ()) = rayon::join(
            || tokenize(w, window),
            || merger.merge(std::mem::take(&mut pending)),
        );
        pending = chunks;
    }
    merger.merge(pending);
    let Merger {
        terms,
        postings,
        lens,
        ..
    } = merger;

    let n = records.len().max(1) as f64;
    let avglen = (lens.iter().map(|&l| f64::from(l)).sum::<f64>() / n).max(1.0);
    let norms = lens
        .iter()
        .map(|&l| K1 * (1.0 - B + B * f64::from(l) / avglen))
        .collect();
    let max_idf = idf(n, 1.0);
    // The highest possible contribution maps to 255.
    let max_impact = max_idf * (K1 + 1.0);
    let scale = max_impact / 255.0;
    let postings_total = postings.iter().map(|p| p.count as usize).sum();

    let mut index = Index {
        terms,
        postings,
        norms,
        scale,
        base_bits: 0,
        depths: Vec::new(),
        postings_total,
    };
    index.plan_shards();
    index
}

/// `x.round()` without a call into the C library (the baseline x86-64
/// this builds for has no rounding instruction, and the call was most of
/// the cost of a score): the same value for every `x` above 0 and below 2^52, the
/// only values a score takes; others are left to `round`.
fn round_score(x: f64) -> f64 {
    if !(x > 0.0 && x < 4_503_599_627_370_496.0) {
        return x.round();
    }
    // Truncation to i64 and back are one instruction each, and `x − t` is
    // exact in this range. No branch on the fraction: it is a coin toss.
    let t = x as i64 as f64;
    t + f64::from(u8::from(x - t >= 0.5))
}

fn idf(n: f64, df: f64) -> f64 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Reads a varint at `*i`.
fn get_varint(b: &[u8], i: &mut usize) -> u32 {
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

fn varint_len(mut v: u32) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}
