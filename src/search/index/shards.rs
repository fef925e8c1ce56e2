//! Planning and encoding the term shards.

use std::collections::HashMap;

use rayon::prelude::*;

use super::super::tokenize;
use super::chunk::{BIGRAM, cjk_key};
use super::{B, COMMON_SHARE, Index, K1, get_varint, idf, put_varint, varint_len};

/// A base bucket (or split bucket) is split again while its encoded
/// postings exceed this many bytes (before gzip), up to [`MAX_DEPTH`] bits.
const SHARD_TARGET: usize = 4 * 1024;
const MAX_DEPTH: u32 = 8;
const MAX_BASE_BITS: u32 = 11;

/// Shard name of a hash, given the base bits and the depths.
pub fn shard_name(h: u32, base_bits: u32, depths: &[u32]) -> String {
    let bucket = h & ((1u32 << base_bits) - 1);
    let e = depths[bucket as usize];
    if e == 0 {
        format!("{bucket:x}")
    } else {
        let sub = (h >> base_bits) & ((1u32 << e) - 1);
        format!("{bucket:x}-{sub:x}")
    }
}

impl Index {
    fn encoded_len(&self, t: usize) -> usize {
        let p = &self.postings[t];
        let body = p.ids.len() + p.count as usize + varint_len(p.count);
        self.terms[t].len() + 1 + varint_len(body as u32) + body
    }

    /// The score bytes of term `t`'s postings, in record order.
    pub(super) fn impacts(&self, t: usize, out: &mut Vec<u8>) {
        let p = &self.postings[t];
        let n = self.lens.len().max(1) as f64;
        let idf = idf(n, f64::from(p.count));
        let (mut i, mut j, mut r) = (0, 0, 0u32);
        for _ in 0..p.count {
            r += get_varint(&p.ids, &mut i);
            let tf = f64::from(get_varint(&p.tfs, &mut j));
            let norm = K1 * (1.0 - B + B * f64::from(self.lens[r as usize]) / self.avglen);
            let impact = idf * tf * (K1 + 1.0) / (tf + norm);
            out.push((impact / self.scale).round().clamp(1.0, 255.0) as u8);
        }
    }

    /// Chooses the base bits and each bucket's depth.
    pub(super) fn plan_shards(&mut self) {
        let sizes: Vec<usize> = (0..self.terms.len()).map(|t| self.encoded_len(t)).collect();
        let hashes: Vec<u32> = self.terms.iter().map(|t| tokenize::token_hash(t)).collect();
        let total: usize = sizes.iter().sum();
        let mut bits = 0;
        while bits < MAX_BASE_BITS && (total >> bits) > SHARD_TARGET {
            bits += 1;
        }
        let mask = (1u32 << bits) - 1;
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); 1 << bits];
        for (t, h) in hashes.iter().enumerate() {
            members[(h & mask) as usize].push(t);
        }
        let depths = members
            .iter()
            .map(|ts| {
                let mut e = 0;
                loop {
                    if e >= MAX_DEPTH {
                        return e;
                    }
                    let mut sub: HashMap<u32, (usize, usize)> = HashMap::new();
                    for &t in ts {
                        let s = (hashes[t] >> bits) & ((1u32 << e) - 1);
                        let x = sub.entry(s).or_default();
                        x.0 += sizes[t];
                        x.1 += 1;
                    }
                    if sub
                        .values()
                        .all(|&(size, count)| size <= SHARD_TARGET || count == 1)
                    {
                        return e;
                    }
                    e += 1;
                }
            })
            .collect();
        self.base_bits = bits;
        self.depths = depths;
    }

    /// The shard files: name (without extension) → bytes, sorted by name.
    pub fn shards(&self) -> Vec<(String, Vec<u8>)> {
        self.each_shard(|name, bytes| (name, bytes))
    }

    /// Encodes the shard files in parallel and hands each to `f` as soon as
    /// it is made (so they need not all be in memory); returns what `f`
    /// returned, sorted by shard name.
    ///
    /// A shard is a varint count of terms, then for each term (in byte
    /// order): its UTF-8 length and bytes, the byte length of its postings,
    /// and the postings: the count, the record numbers as gaps, then one
    /// score byte per record.
    pub fn each_shard<R: Send>(&self, f: impl Fn(String, Vec<u8>) -> R + Sync) -> Vec<R> {
        let mut by_shard: HashMap<String, Vec<usize>> = HashMap::new();
        for (t, term) in self.terms.iter().enumerate() {
            let name = shard_name(tokenize::token_hash(term), self.base_bits, &self.depths);
            by_shard.entry(name).or_default().push(t);
        }
        let mut shards: Vec<(String, Vec<usize>)> = by_shard.into_iter().collect();
        shards.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Small pieces, so that a thread done with other outputs finds
        // shards left to take.
        shards
            .into_par_iter()
            .with_max_len(64)
            .map(|(name, mut ts)| {
                ts.sort_unstable_by(|&a, &b| {
                    self.terms[a].as_bytes().cmp(self.terms[b].as_bytes())
                });
                let mut out = Vec::new();
                put_varint(&mut out, ts.len() as u32);
                let mut body = Vec::new();
                for t in ts {
                    let term = self.terms[t].as_bytes();
                    put_varint(&mut out, term.len() as u32);
                    out.extend_from_slice(term);
                    let p = &self.postings[t];
                    body.clear();
                    put_varint(&mut body, p.count);
                    body.extend_from_slice(&p.ids);
                    self.impacts(t, &mut body);
                    put_varint(&mut out, body.len() as u32);
                    out.extend_from_slice(&body);
                }
                f(name, out)
            })
            .collect()
    }

    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// CJK bigrams found in more than [`COMMON_SHARE`] of the records, in
    /// byte order. A query skips them inside a longer run when the run's
    /// other bigrams still cover every character: `经营` adds nothing to
    /// `食品经营许可证` but a big shard.
    pub fn common_bigrams(&self, records: usize) -> Vec<&str> {
        let limit = (records as f64 * COMMON_SHARE) as usize;
        let mut v: Vec<&str> = self
            .terms
            .iter()
            .zip(&self.postings)
            .filter(|(t, p)| {
                p.count as usize > limit && cjk_key(t).is_some_and(|k| k & BIGRAM != 0)
            })
            .map(|(t, _)| &**t)
            .collect();
        v.sort_unstable();
        v
    }
}
