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

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rayon::prelude::*;

use super::records::Record;
use super::tokenize;

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

/// A base bucket (or split bucket) is split again while its encoded
/// postings exceed this many bytes (before gzip), up to [`MAX_DEPTH`] bits.
const SHARD_TARGET: usize = 9 * 1024;
const MAX_DEPTH: u32 = 8;
const MAX_BASE_BITS: u32 = 10;

/// FxHash (as in rustc): tokens are short and the input is the site's own,
/// so a fast multiplicative hash beats SipHash several times over here.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

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
    /// Per record: its length in tokens.
    lens: Vec<u32>,
    avglen: f64,
    /// Multiply a summed score by this to get BM25F units.
    pub scale: f64,
    pub base_bits: u32,
    /// Extra split bits of each base bucket.
    pub depths: Vec<u32>,
    pub postings_total: usize,
}

/// Per-chunk output of tokenizing: a local dictionary and postings, as two
/// parallel arrays grouped by record (six bytes a posting; only a window of
/// chunks is alive at a time).
struct Chunk {
    first: u32,
    terms: Vec<Box<str>>,
    /// Local term of each posting.
    post_terms: Vec<u32>,
    /// Weighted term frequency of each posting (saturating).
    post_tfs: Vec<u16>,
    /// Per record of the chunk: its length and its number of postings.
    recs: Vec<(u32, u32)>,
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
    let max_idf = idf(n, 1.0);
    // The highest possible contribution maps to 255.
    let max_impact = max_idf * (K1 + 1.0);
    let scale = max_impact / 255.0;
    let postings_total = postings.iter().map(|p| p.count as usize).sum();

    let mut index = Index {
        terms,
        postings,
        lens,
        avglen,
        scale,
        base_bits: 0,
        depths: Vec::new(),
        postings_total,
    };
    index.plan_shards();
    index
}

/// The index as it grows: one dictionary (chunks' local term ids remapped)
/// and each term's postings.
struct Merger {
    dict: FxMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    postings: Vec<Postings>,
    lens: Vec<u32>,
}

impl Merger {
    /// Adds chunks (in record order); each is dropped once its postings are in.
    fn merge(&mut self, chunks: Vec<Chunk>) {
        for c in chunks {
            let map: Vec<u32> = c
                .terms
                .iter()
                .map(|t| match self.dict.get(t) {
                    Some(&id) => id,
                    None => {
                        let id = self.terms.len() as u32;
                        self.terms.push(t.clone());
                        self.dict.insert(t.clone(), id);
                        self.postings.push(Postings::default());
                        id
                    }
                })
                .collect();
            let mut at = 0;
            for (k, &(len, count)) in c.recs.iter().enumerate() {
                let r = c.first + k as u32;
                self.lens[r as usize] = len;
                for i in at..at + count as usize {
                    let p = &mut self.postings[map[c.post_terms[i] as usize] as usize];
                    grow(&mut p.ids);
                    grow(&mut p.tfs);
                    put_varint(&mut p.ids, r - p.last);
                    put_varint(&mut p.tfs, u32::from(c.post_tfs[i]));
                    p.last = r;
                    p.count += 1;
                }
                at += count as usize;
            }
        }
    }
}

/// Makes room for one more varint, growing by an eighth rather than
/// doubling: postings are most of the index's memory, and doubling leaves
/// a quarter of it unused on average.
fn grow(v: &mut Vec<u8>) {
    if v.capacity() - v.len() < 5 {
        v.reserve_exact(v.len() / 8 + 16);
    }
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

/// A chunk's own dictionary.
#[derive(Default)]
struct Local {
    strings: FxMap<Box<str>, u32>,
    /// Ideographs and their bigrams (most tokens) are looked up by their
    /// code points rather than hashed and compared as strings.
    cjk: FxMap<u64, u32>,
    terms: Vec<Box<str>>,
}

impl Local {
    fn intern(&mut self, t: &str, cjk: Option<u64>) -> u32 {
        if let Some(k) = cjk {
            let terms = &mut self.terms;
            return *self.cjk.entry(k).or_insert_with(|| {
                terms.push(t.into());
                (terms.len() - 1) as u32
            });
        }
        if let Some(&id) = self.strings.get(t) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(t.into());
        self.strings.insert(t.into(), id);
        id
    }

    /// The terms of one field's text (pinyin bigrams too for a headline),
    /// appended to `out`; returns the text's length in tokens.
    fn tokens(&mut self, text: &str, field: usize, out: &mut Vec<u32>) -> u32 {
        let mut len = 0u32;
        // Single ideographs are indexed from headlines and meta only: a
        // one-character query wants what is *about* 证 or 火, and body
        // characters would be a third of all postings.
        let singles = field != BODY;
        tokenize::each_token_cjk(text, |t, cjk| match cjk {
            Some((a, Some(b))) => out.push(self.intern(t, Some(bigram_key(a, b)))),
            Some((a, None)) => {
                len += 1;
                if singles {
                    out.push(self.intern(t, Some(u64::from(a))));
                }
            }
            None => {
                len += 1;
                out.push(self.intern(t, None));
            }
        });
        if field == HEAD {
            tokenize::pinyin_tokens(text, |t| out.push(self.intern(t, None)));
        }
        len
    }
}

/// The fields of a record, as indexes into [`FIELD_WEIGHTS`].
const HEAD: usize = 0;
const BODY: usize = 2;
const FIELD_WEIGHTS: [u32; 3] = [WEIGHT_HEAD, WEIGHT_META, WEIGHT_BODY];

/// Texts already tokenized in a chunk: their term ids and length.
type SeenTexts = FxMap<Box<str>, (Vec<u32>, u32)>;

fn tokenize_chunk(
    first: u32,
    recs: &[Record<'_>],
    body: &(dyn Fn(&Record<'_>, &mut String) + Sync),
) -> Chunk {
    let mut local = Local::default();
    // The terms and length of each text seen in the chunk, per field: lists
    // repeat the same violations and item texts many times, in neighbouring
    // records. (A document's own body is not kept: it is seen once.)
    let mut seen: [SeenTexts; 3] = Default::default();
    let mut post_terms = Vec::new();
    let mut post_tfs = Vec::new();
    let mut rec_info = Vec::with_capacity(recs.len());
    let mut occ: Vec<(u32, u32)> = Vec::new();
    let mut tf: Vec<u32> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    let mut body_text = String::new();
    let mut fresh: Vec<u32> = Vec::new();
    for rec in recs {
        occ.clear();
        body_text.clear();
        body(rec, &mut body_text);
        let mut len = 0u32;
        for (field, text) in [&*rec.title, &*rec.meta, body_text.as_str()]
            .into_iter()
            .enumerate()
        {
            if text.is_empty() {
                continue;
            }
            let w = FIELD_WEIGHTS[field];
            if field == BODY && rec.is_doc() {
                fresh.clear();
                len += local.tokens(text, field, &mut fresh);
                occ.extend(fresh.iter().map(|&t| (t, w)));
                continue;
            }
            if let Some((ids, l)) = seen[field].get(text) {
                len += l;
                occ.extend(ids.iter().map(|&t| (t, w)));
                continue;
            }
            let mut ids = Vec::new();
            let l = local.tokens(text, field, &mut ids);
            len += l;
            occ.extend(ids.iter().map(|&t| (t, w)));
            seen[field].insert(text.into(), (ids, l));
        }
        // Weighted frequencies summed per term, in first-seen order (the
        // order within a record does not matter: each term gets one posting).
        tf.resize(local.terms.len(), 0);
        for &(t, w) in &occ {
            let f = &mut tf[t as usize];
            if *f == 0 {
                touched.push(t);
            }
            *f += w;
        }
        let count = touched.len() as u32;
        for t in touched.drain(..) {
            let f = std::mem::take(&mut tf[t as usize]);
            post_terms.push(t);
            post_tfs.push(f.min(u32::from(u16::MAX)) as u16);
        }
        rec_info.push((len, count));
    }
    Chunk {
        first,
        terms: local.terms,
        post_terms,
        post_tfs,
        recs: rec_info,
    }
}

/// Set in the [`cjk_key`] of a bigram.
const BIGRAM: u64 = 1 << 42;

/// A token made of one ideograph or two, as a number: its code points (and
/// [`BIGRAM`] for two). `None` for any other token.
fn cjk_key(t: &str) -> Option<u64> {
    let mut cs = t.chars();
    let a = cs.next().filter(|&a| tokenize::is_cjk(a))?;
    match (cs.next(), cs.next()) {
        (None, _) => Some(u64::from(a)),
        (Some(b), None) if tokenize::is_cjk(b) => Some(bigram_key(a, b)),
        _ => None,
    }
}

fn bigram_key(a: char, b: char) -> u64 {
    BIGRAM | u64::from(a) << 21 | u64::from(b)
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
    fn impacts(&self, t: usize, out: &mut Vec<u8>) {
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
    fn plan_shards(&mut self) {
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
        shards
            .into_par_iter()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::records::Kind;

    fn rec(head: &str, body: &str) -> (Record<'static>, String) {
        let r = Record {
            doc: 0,
            kind: Kind::Page,
            part: 0,
            title: head.to_string().into(),
            meta: "".into(),
        };
        (r, body.into())
    }

    /// Builds the index of records with the given bodies.
    fn build_of(recs: Vec<(Record<'static>, String)>) -> Index {
        let (mut recs, bodies): (Vec<Record<'_>>, Vec<String>) = recs.into_iter().unzip();
        for (i, r) in recs.iter_mut().enumerate() {
            r.doc = i;
        }
        build(&recs, &|r, out| out.push_str(&bodies[r.doc]))
    }

    fn impact(ix: &Index, term: &str, r: u32) -> Option<u8> {
        let t = ix.terms.iter().position(|x| &**x == term)?;
        let p = &ix.postings[t];
        let (mut i, mut at) = (0, 0u32);
        let mut records = Vec::new();
        for _ in 0..p.count {
            at += get_varint(&p.ids, &mut i);
            records.push(at);
        }
        let mut impacts = Vec::new();
        ix.impacts(t, &mut impacts);
        let i = records.iter().position(|&x| x == r)?;
        Some(impacts[i])
    }

    #[test]
    fn headline_outweighs_body_and_rare_outweighs_common() {
        let recs = vec![
            rec("营业执照", "其他内容其他内容"),
            rec("其他标题", "营业执照其他内容其他内容"),
            rec("其他", "其他"),
        ];
        let ix = build_of(recs);
        assert!(
            impact(&ix, "执", 0).is_some(),
            "single characters of headlines"
        );
        assert_eq!(impact(&ix, "执", 1), None, "not of bodies");
        let head = impact(&ix, "执照", 0).unwrap();
        let body = impact(&ix, "执照", 1).unwrap();
        assert!(head > body, "{head} > {body}");
        assert!(impact(&ix, "其他", 2).unwrap() < impact(&ix, "执照", 1).unwrap());
        assert_eq!(impact(&ix, "执照", 2), None);
        assert!(impact(&ix, ":yingye", 0).is_some());
        assert_eq!(impact(&ix, ":yingye", 1), None, "pinyin only for headlines");
    }

    #[test]
    fn shards_hold_every_term_once() {
        let recs: Vec<(Record<'_>, String)> = (0..300)
            .map(|i| rec(&format!("标题{i}号"), &"内容文字".repeat(i % 7 + 1)))
            .collect();
        let ix = build_of(recs);
        let shards = ix.shards();
        let mut seen = 0;
        for (_, bytes) in &shards {
            let mut r = crate::search::index::tests::Reader { b: bytes, i: 0 };
            let n = r.varint();
            for _ in 0..n {
                let l = r.varint() as usize;
                r.i += l;
                let bl = r.varint() as usize;
                r.i += bl;
                seen += 1;
            }
            assert_eq!(r.i, bytes.len());
        }
        assert_eq!(seen, ix.term_count());
    }

    struct Reader<'a> {
        b: &'a [u8],
        i: usize,
    }

    impl Reader<'_> {
        fn varint(&mut self) -> u32 {
            let mut v = 0u32;
            let mut shift = 0;
            loop {
                let x = self.b[self.i];
                self.i += 1;
                v |= u32::from(x & 0x7f) << shift;
                if x < 0x80 {
                    return v;
                }
                shift += 7;
            }
        }
    }
}
