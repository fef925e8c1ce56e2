//! Tokenizing records in chunks, side by side, and merging each chunk's
//! local dictionary and postings into the index as it grows.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::super::records::Record;
use super::super::tokenize;
use super::{Postings, WEIGHT_BODY, WEIGHT_HEAD, WEIGHT_META, put_varint};

/// FxHash (as in rustc): tokens are short and the input is the site's own,
/// so a fast multiplicative hash beats SipHash several times over here.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

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

pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Per-chunk output of tokenizing: a local dictionary and postings, as two
/// parallel arrays grouped by record (six bytes a posting; only a window of
/// chunks is alive at a time).
pub(super) struct Chunk {
    first: u32,
    terms: Vec<Box<str>>,
    /// Local term of each posting.
    post_terms: Vec<u32>,
    /// Weighted term frequency of each posting (saturating).
    post_tfs: Vec<u16>,
    /// Per record of the chunk: its length and its number of postings.
    recs: Vec<(u32, u32)>,
}

/// The index as it grows: one dictionary (chunks' local term ids remapped)
/// and each term's postings.
pub(super) struct Merger {
    pub(super) dict: FxMap<Box<str>, u32>,
    pub(super) terms: Vec<Box<str>>,
    pub(super) postings: Vec<Postings>,
    pub(super) lens: Vec<u32>,
}

impl Merger {
    /// Adds chunks (in record order); each is dropped once its postings are in.
    pub(super) fn merge(&mut self, chunks: Vec<Chunk>) {
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

pub(super) fn tokenize_chunk(
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
pub(super) const BIGRAM: u64 = 1 << 42;

/// A token made of one ideograph or two, as a number: its code points (and
/// [`BIGRAM`] for two). `None` for any other token.
pub(super) fn cjk_key(t: &str) -> Option<u64> {
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
