//! Planning and encoding the term shards.

use std::collections::HashMap;

use rayon::prelude::*;

use super::super::tokenize;
use super::chunk::{BIGRAM, cjk_key};
use super::{COMMON_SHARE, Index, K1, get_varint, idf, put_varint, round_score, varint_len};

/// A base bucket (or split bucket) is split again while its encoded
/// postings exceed this many bytes (before gzip), up to [`MAX_DEPTH`] bits.
const SHARD_TARGET: usize = 4 * 1024;
const MAX_DEPTH: u32 = 8;
const MAX_BASE_BITS: u32 = 11;

/// A term with more postings than [`SPLIT_MIN`] keeps this many in its
/// shard, its head: those with the highest score bytes, the first records
/// among equal bytes. The rest, its tail, is a file of its own, fetched
/// only when the heads cannot prove the first results (see `earlyTop` in
/// the runtime).
const HEAD_MAX: usize = 2048;
const SPLIT_MIN: usize = 2 * HEAD_MAX;

/// A tail is also cut into blocks of this many postings, in record order,
/// each a file of its own beside the whole tail's: the head lists each
/// block's first record and highest score byte, so a query whose first page
/// the heads cannot prove fetches the blocks that hold its candidates, not
/// the whole tail (see `earlyTop` in the runtime). Smaller blocks make
/// more files; at 8,192 a benchmark query took twice the tail bytes.
const BLOCK: usize = 4096;

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
        let body = if p.count as usize > SPLIT_MIN {
            // About what a head takes: its ids are far apart.
            3 * HEAD_MAX
        } else {
            p.ids.len() + p.count as usize + varint_len(p.count) + 1
        };
        self.terms[t].len() + 1 + varint_len(body as u32) + body
    }

    /// The score bytes of term `t`'s postings, in record order.
    pub(super) fn impacts(&self, t: usize, out: &mut Vec<u8>) {
        let p = &self.postings[t];
        let n = self.norms.len().max(1) as f64;
        let idf = idf(n, f64::from(p.count));
        let (mut i, mut j, mut r) = (0, 0, 0u32);
        for _ in 0..p.count {
            r += get_varint(&p.ids, &mut i);
            let tf = f64::from(get_varint(&p.tfs, &mut j));
            let norm = self.norms[r as usize];
            let impact = idf * tf * (K1 + 1.0) / (tf + norm);
            out.push(round_score(impact / self.scale).clamp(1.0, 255.0) as u8);
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
    /// returned, by shard name (a shard's tails follow it). Names are
    /// `t/<shard>` for a shard and `t/<shard>.<i>` for the tail of its
    /// `i`-th term.
    ///
    /// A shard is a varint count of terms, then for each term (in byte
    /// order): its UTF-8 length and bytes, the byte length of its postings,
    /// and the postings: the head's count, its record numbers as gaps, one
    /// score byte per record, then the tail's count and, when it has one,
    /// the highest score byte of the tail, the record after which the
    /// tail's postings of that byte start, plus one (0: anywhere), and the
    /// tail's files when they are another term's (length, then
    /// `<shard>.<i>`; 0: its own), then the tail's blocks: their count and,
    /// for each, its first record (a gap from the block before's first) and
    /// its highest score byte. The tail is the file `<shard>.<i>`, and
    /// when it has more than one block, block `b` is also the file
    /// `<shard>.<i>.<b>`: each a count, the record numbers as gaps and the
    /// score bytes.
    pub fn each_shard<R: Send>(&self, f: impl Fn(String, Vec<u8>) -> R + Sync) -> Vec<R> {
        let mut by_shard: HashMap<String, Vec<usize>> = HashMap::new();
        for (t, term) in self.terms.iter().enumerate() {
            let name = shard_name(tokenize::token_hash(term), self.base_bits, &self.depths);
            by_shard.entry(name).or_default().push(t);
        }
        let mut shards: Vec<(String, Vec<usize>)> = by_shard.into_iter().collect();
        shards.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        shards.par_iter_mut().for_each(|(_, ts)| {
            ts.sort_unstable_by(|&a, &b| self.terms[a].as_bytes().cmp(self.terms[b].as_bytes()));
        });
        let shared = self.shared_tails(&shards);
        // Small pieces, so that a thread done with other outputs finds
        // shards left to take.
        shards
            .into_par_iter()
            .with_max_len(64)
            .flat_map_iter(|(name, ts)| {
                let mut out = Vec::new();
                let mut tails = Vec::new();
                put_varint(&mut out, ts.len() as u32);
                let mut body = Vec::new();
                let mut impacts = Vec::new();
                for (i, t) in ts.into_iter().enumerate() {
                    let term = self.terms[t].as_bytes();
                    put_varint(&mut out, term.len() as u32);
                    out.extend_from_slice(term);
                    let p = &self.postings[t];
                    impacts.clear();
                    self.impacts(t, &mut impacts);
                    body.clear();
                    match head_cut(&impacts) {
                        None => {
                            put_postings(&mut body, &p.ids, &impacts);
                            put_varint(&mut body, 0);
                        }
                        Some(cut) => {
                            let file = shared.get(&t);
                            let blocks = split(&p.ids, &impacts, cut, &mut body, file.is_none());
                            match file {
                                Some(file) => {
                                    put_varint(&mut body, file.len() as u32);
                                    body.extend_from_slice(file.as_bytes());
                                }
                                None => put_varint(&mut body, 0),
                            }
                            put_varint(&mut body, blocks.len() as u32);
                            let mut last = 0;
                            for block in &blocks {
                                put_varint(&mut body, block.first - last);
                                body.push(block.max);
                                last = block.first;
                            }
                            // Written when the term keeps its own tail: the
                            // whole tail, and its blocks when it has more
                            // than one (one block is the whole tail).
                            if file.is_none() {
                                tails.push(f(format!("t/{name}.{i}"), whole_tail(&blocks)));
                                if blocks.len() > 1 {
                                    for (b, block) in blocks.iter().enumerate() {
                                        tails.push(f(format!("t/{name}.{i}.{b}"), block.bytes()));
                                    }
                                }
                            }
                        }
                    }
                    put_varint(&mut out, body.len() as u32);
                    out.extend_from_slice(&body);
                }
                tails.insert(0, f(format!("t/{name}"), out));
                tails
            })
            .collect()
    }

    /// Terms with a tail whose postings are an earlier term's (in shard and
    /// byte order), to the tail file they share: `<shard>.<i>` of that
    /// term. Equal record numbers and term frequencies make equal scores,
    /// so an equal head and tail; it happens where the bigrams of one
    /// longer word always come together (保质 and 质期 of 保质期), and a
    /// query with both then fetches one tail.
    fn shared_tails(&self, shards: &[(String, Vec<usize>)]) -> HashMap<usize, String> {
        type Shape = (u32, usize, usize);
        let mut seen: HashMap<Shape, Vec<(usize, String)>> = HashMap::new();
        let mut shared = HashMap::new();
        for (name, ts) in shards {
            for (i, &t) in ts.iter().enumerate() {
                let p = &self.postings[t];
                if p.count as usize <= SPLIT_MIN {
                    continue;
                }
                let same = seen.entry((p.count, p.ids.len(), p.tfs.len())).or_default();
                let first = same.iter().find(|(u, _)| {
                    let q = &self.postings[*u];
                    q.ids == p.ids && q.tfs == p.tfs
                });
                match first {
                    Some((_, file)) => {
                        shared.insert(t, file.clone());
                    }
                    None => same.push((t, format!("{name}.{i}"))),
                }
            }
        }
        shared
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

/// Which postings make a term's head: the [`HEAD_MAX`] best by score byte,
/// and among equal bytes the first records (the runtime breaks ties by
/// record number too): the lowest byte taken and how many postings of that
/// byte. `None` keeps the term whole (it has at most [`SPLIT_MIN`]).
fn head_cut(impacts: &[u8]) -> Option<(u8, usize)> {
    if impacts.len() <= SPLIT_MIN {
        return None;
    }
    let mut hist = [0usize; 256];
    for &x in impacts {
        hist[x as usize] += 1;
    }
    let mut above = 0;
    for v in (0..256).rev() {
        if above + hist[v] >= HEAD_MAX {
            return Some((v as u8, HEAD_MAX - above));
        }
        above += hist[v];
    }
    None
}

/// A block of a tail: its first and last record, highest score byte, count,
/// and postings when kept (record numbers as gaps from 0, score bytes).
struct Block {
    first: u32,
    last: u32,
    max: u8,
    count: usize,
    ids: Vec<u8>,
    impacts: Vec<u8>,
}

impl Block {
    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.ids.len() + self.impacts.len() + 3);
        put_postings(&mut out, &self.ids, &self.impacts);
        out
    }
}

/// The whole tail of `blocks` as one file (what a query fetches when it
/// needs every posting): the count, the record numbers as gaps, the score
/// bytes.
fn whole_tail(blocks: &[Block]) -> Vec<u8> {
    let count: usize = blocks.iter().map(|b| b.impacts.len()).sum();
    let mut out = Vec::with_capacity(count * 3 + 3);
    put_varint(&mut out, count as u32);
    let mut prev = 0;
    for b in blocks {
        // A block's first gap is from 0; here it is from the record before.
        let mut i = 0;
        get_varint(&b.ids, &mut i);
        put_varint(&mut out, b.first - prev);
        out.extend_from_slice(&b.ids[i..]);
        prev = b.last;
    }
    for b in blocks {
        out.extend_from_slice(&b.impacts);
    }
    out
}

/// Splits postings (record gaps `ids`, score bytes `impacts`) at
/// [`head_cut`]: appends the head, the tail's count, its highest byte and
/// the last record of the head that has that byte (plus one; 0 for none)
/// to `body`; returns the tail in blocks of [`BLOCK`] postings, with their
/// postings when `keep` (a term whose tail another term's files hold needs
/// only the blocks' places). Both keep record order.
fn split(
    ids: &[u8],
    impacts: &[u8],
    (floor, mut equal): (u8, usize),
    body: &mut Vec<u8>,
    keep: bool,
) -> Vec<Block> {
    let (mut head_ids, mut head_imp) = (Vec::new(), Vec::new());
    let mut blocks: Vec<Block> = Vec::new();
    let (mut i, mut r, mut last_head) = (0, 0u32, 0u32);
    let (mut tail_count, mut tail_max) = (0u32, 0u8);
    let mut last_floor = None;
    for &x in impacts {
        r += get_varint(ids, &mut i);
        let take = x > floor || (x == floor && equal > 0);
        if take {
            if x == floor {
                equal -= 1;
                last_floor = Some(r);
            }
            put_varint(&mut head_ids, r - last_head);
            head_imp.push(x);
            last_head = r;
        } else {
            tail_count += 1;
            tail_max = tail_max.max(x);
            if !matches!(blocks.last(), Some(b) if b.count < BLOCK) {
                // A new block: its first gap is from 0.
                blocks.push(Block {
                    first: r,
                    last: 0,
                    max: 0,
                    count: 0,
                    ids: Vec::new(),
                    impacts: Vec::new(),
                });
            }
            if let Some(b) = blocks.last_mut() {
                if keep {
                    put_varint(&mut b.ids, r - b.last);
                    b.impacts.push(x);
                }
                b.count += 1;
                b.max = b.max.max(x);
                b.last = r;
            }
        }
    }
    put_postings(body, &head_ids, &head_imp);
    put_varint(body, tail_count);
    body.push(tail_max);
    // Tail postings of the byte the head ends with come after this record.
    let tie = match last_floor {
        Some(r) if tail_max == floor => r + 1,
        _ => 0,
    };
    put_varint(body, tie);
    blocks
}

/// Postings as the shards and tail files hold them: the count (one score
/// byte per posting), the record numbers as gaps, the score bytes.
fn put_postings(out: &mut Vec<u8>, ids: &[u8], impacts: &[u8]) {
    put_varint(out, impacts.len() as u32);
    out.extend_from_slice(ids);
    out.extend_from_slice(impacts);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(b: &[u8]) -> Vec<(u32, u8)> {
        let mut i = 0;
        let n = get_varint(b, &mut i) as usize;
        let mut r = 0;
        let ids: Vec<u32> = (0..n)
            .map(|_| {
                r += get_varint(b, &mut i);
                r
            })
            .collect();
        assert_eq!(i + n, b.len(), "count, gaps, then one byte each");
        ids.into_iter().zip(b[i..].iter().copied()).collect()
    }

    /// Around the block size: the blocks are the tail in record order,
    /// each full but the last, with its first and last record and highest
    /// byte; the whole tail file is the same postings.
    #[test]
    fn tails_split_into_blocks_and_a_whole_file() {
        for tail_len in [
            SPLIT_MIN - HEAD_MAX + 1,
            BLOCK - 1,
            BLOCK,
            BLOCK + 1,
            3 * BLOCK + 7,
        ] {
            // Records 3, 6, 9 …; byte 200 for the first HEAD_MAX (the
            // head), 1 to 150 for the others (the tail).
            let (mut ids, mut impacts, mut tail) = (Vec::new(), Vec::new(), Vec::new());
            for k in 0..(HEAD_MAX + tail_len) as u32 {
                put_varint(&mut ids, 3);
                let x = if k < HEAD_MAX as u32 {
                    200
                } else {
                    (k % 150 + 1) as u8
                };
                impacts.push(x);
                if x != 200 {
                    tail.push((3 * (k + 1), x));
                }
            }
            let cut = head_cut(&impacts).expect("a head and a tail");
            let blocks = split(&ids, &impacts, cut, &mut Vec::new(), true);
            assert_eq!(
                decode(&whole_tail(&blocks)),
                tail,
                "{tail_len}: the whole tail"
            );
            assert_eq!(blocks.len(), tail_len.div_ceil(BLOCK), "{tail_len}");
            let mut at = 0;
            for (b, block) in blocks.iter().enumerate() {
                let got = decode(&block.bytes());
                assert!(got.len() == BLOCK || b + 1 == blocks.len());
                assert_eq!(got.len(), block.count);
                assert_eq!(got, tail[at..at + got.len()], "{tail_len}: block {b}");
                assert_eq!(block.first, got[0].0);
                assert_eq!(block.last, got[got.len() - 1].0);
                assert_eq!(Some(block.max), got.iter().map(|p| p.1).max());
                at += got.len();
            }
            assert_eq!(at, tail.len());
        }
    }
}
