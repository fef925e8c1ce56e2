//! Site search, built with the site: `gongshi build` writes an index under
//! `public/search/` that the browser runtime
//! (`src/search/runtime/search.js`, plain JavaScript, no WASM) queries.
//! Nothing is served dynamically, and the runtime fetches only what a query
//! needs.
//!
//! Files (each also as a byte-for-byte reproducible `.gz` beside it, for
//! servers with `gzip_static on`):
//!
//! | file | what | fetched |
//! |---|---|---|
//! | `meta.json` | counts, shard layout, the records' types (as runs), scoring constants, facet registries, synonyms, hot words, which characters are traditional | first query |
//! | `t/<shard>.bin` | postings of the tokens whose hash falls there ([`index`]) | one per query token |
//! | `r/<n>.json` | display data of records `n·K … n·K+K−1` ([`records`]) | for the results shown |
//! | `facets.bin` | the facets' term names; per document: its number of parts and its facet terms | when the filter panel opens, for filters other than type, or sorting by date |
//! | `order.bin` | per document: its place in newest-first order | sorting by date |
//! | `t2s/<n>.txt` | the traditional → simplified table, by blocks of 1,024 code points | a query with a traditional character in that block |
//! | `vocab.txt` | runs of ideographs that headlines repeat, most frequent first ([`vocab`]) | a query without a complete match |
//!
//! [`tokenize`] is the tokenizer the runtime mirrors; the shared vectors in
//! `tests/search-vectors.json` prove both agree.

pub mod index;
pub mod records;
pub mod tokenize;
pub mod vocab;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Model;
use crate::output::Output;
use crate::source::fields::{Ctx, Reader};
use crate::source::frontmatter::{self, FrontMatter, Seg, Syntax, Value};
use records::{Kind, Record};

/// Version of the index format (`meta.json` `format`).
pub const FORMAT: u32 = 1;

/// Records per display shard (`r/<n>.json`).
pub const RECORDS_PER_SHARD: usize = 64;

/// gzip level of the `.gz` copies: fixed, so output is reproducible.
const GZIP_LEVEL: u32 = 4;

/// The site's `synonyms.toml`: what citizens say → what documents say.
#[derive(Clone, Debug, Default)]
pub struct Synonyms {
    /// Normalized term → normalized replacements, sorted.
    pub map: BTreeMap<String, Vec<String>>,
}

impl Synonyms {
    /// Reads `root/synonyms.toml` if it exists. Each key is a word citizens
    /// use; its value the wording of the documents (a string or a list):
    ///
    /// ```toml
    /// "执照" = ["营业执照"]
    /// "电动车" = "电动自行车"
    /// ```
    pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Synonyms {
        let path = root.join("synonyms.toml");
        if !crate::confine::Confine::new(root).input(&path, diags) || !path.is_file() {
            return Synonyms::default();
        }
        match crate::fs::read_text(&path) {
            Ok(text) => Synonyms::parse(&frontmatter::normalize(&text), diags),
            Err(e) => {
                diags.push(Diagnostic::error(
                    "synonyms.toml",
                    "synonyms.toml",
                    e.message,
                ));
                Synonyms::default()
            }
        }
    }

    pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> Synonyms {
        const FILE: &str = "synonyms.toml";
        let table = match frontmatter::parse_toml(text, 1) {
            Ok(t) => t,
            Err(e) => {
                let mut d = Diagnostic::error(FILE, FILE, e.message).at(e.line, e.col);
                d.hint = e.hint;
                diags.push(d);
                return Synonyms::default();
            }
        };
        let fm = FrontMatter {
            syntax: Syntax::Toml,
            table,
            raw: text.to_string(),
            first_line: 1,
        };
        let ctx = Ctx::new(FILE, &fm);
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        {
            let mut r = Reader::new(&fm.table, Vec::new(), &ctx);
            for (key, value) in r.rest() {
                let at = [Seg::Key(key)];
                let values: Vec<&str> = match value {
                    Value::Str(s) => vec![s.as_str()],
                    Value::Array(a) if a.iter().all(|v| matches!(v, Value::Str(_))) => a
                        .iter()
                        .filter_map(|v| match v {
                            Value::Str(s) => Some(s.as_str()),
                            _ => None,
                        })
                        .collect(),
                    other => {
                        ctx.error(
                            &at,
                            format!("应为文字或文字数组，实际是{}", other.type_name()),
                            Some(format!("例如 \"{key}\" = [\"规范用语\"]")),
                        );
                        continue;
                    }
                };
                let k = tokenize::normalize(key.trim());
                if tokenize::runs(&k).is_empty() {
                    ctx.error(&at, "同义词不能为空，也不能只有标点", None);
                    continue;
                }
                let mut vs: Vec<String> = Vec::new();
                for v in values {
                    let v = tokenize::normalize(v.trim());
                    if tokenize::runs(&v).is_empty() {
                        ctx.error(&at, "替换词不能为空，也不能只有标点", None);
                    } else if v != k && !vs.contains(&v) {
                        vs.push(v);
                    }
                }
                if !vs.is_empty() {
                    map.entry(k).or_default().extend(vs);
                }
            }
        }
        diags.extend(ctx.into_diags());
        Synonyms { map }
    }
}

/// The search runtime, published at the site root: (name, contents, source
/// path). It reads the index this module writes, so it is built in next to
/// the writer rather than in the theme, and a site or theme `static/` file
/// of the same name is an error when the theme is loaded.
pub const RUNTIME: &[(&str, &[u8], &str)] = &[(
    "search.js",
    include_bytes!("runtime/search.js"),
    "src/search/runtime/search.js",
)];

/// Strips comment lines, comment blocks and indentation from the built-in
/// `search.js` and the theme's `search-ui.js` before they are published: the source
/// stays readable, and a first query carries about 2 KB less. Only
/// whole-line comments go, so code is never touched (the runtime has no
/// multi-line strings; a unit test keeps it so).
pub fn compact_runtime(statics: &mut BTreeMap<String, Vec<u8>>) {
    for name in ["search.js", "search-ui.js"] {
        if let Some(src) = statics
            .get(name)
            .and_then(|b| String::from_utf8(b.clone()).ok())
        {
            statics.insert(name.into(), compact_js(&src).into_bytes());
        }
    }
}

fn compact_js(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut in_block = false;
    for line in src.lines() {
        let t = line.trim();
        if in_block {
            in_block = !t.contains("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_block = !t.contains("*/");
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

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
    synonyms: &'a BTreeMap<String, Vec<String>>,
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
    let mut per_doc: Vec<Vec<Record<'_>>> = (0..model.docs.len())
        .into_par_iter()
        .map(|i| records::of_doc(model, i))
        .collect();
    let order = records::search_order(model, &per_doc);
    let parts: Vec<usize> = order.iter().map(|&i| per_doc[i].len() - 1).collect();
    let (recs, ranges) = number(model, &order, &mut per_doc);
    drop(per_doc);

    // Each file is written (with its .gz) as soon as it is made, and
    // dropped; meta.json comes last, with a digest of all the others as its
    // id. (name, digest, bytes, gzipped bytes) of each:
    let mut written: Vec<Written> = Vec::new();
    let body = |r: &Record<'_>, out: &mut String| records::body(model, &bodies[r.doc], r, out);
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
    let record_count = recs.len();
    drop(recs);
    let base_bits = ix.base_bits;
    let depths: String = ix
        .depths
        .iter()
        .map(|&d| char::from_digit(d, 36).unwrap_or('0'))
        .collect();
    let scale = ix.scale;
    let common: Vec<String> = ix
        .common_bigrams(record_count)
        .into_iter()
        .map(String::from)
        .collect();
    let (terms, postings) = (ix.term_count(), ix.postings_total);
    let shards = ix.each_shard(|name, bytes| {
        let name = format!("search/t/{name}.bin");
        write_pair(out, &name, &bytes).map(|(h, gz)| (name, h, bytes.len(), gz))
    });
    drop(ix);
    let term_shards = shards.len();
    for s in shards {
        written.push(s?);
    }

    let facet_terms = records::facet_terms(model);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let values = facet_values(model, &order, &facet_terms);
    let encodings: Vec<FacetEncoding> = values
        .iter()
        .zip(&facet_terms)
        .map(|(v, t)| facet_encoding(v, t.len()))
        .collect();
    let facet_names: Vec<Vec<TermMeta>> = facet_terms.iter().map(|t| term_metas(t)).collect();
    files.push((
        "search/facets.bin".into(),
        facets_file(
            &crate::escape::json(&facet_names).unwrap_or_default(),
            &docs_section(&parts),
            &values,
            &encodings,
        ),
    ));
    files.push(("search/order.bin".into(), order_file(&order)));
    for (n, bytes) in t2s_files() {
        files.push((format!("search/t2s/{n}.txt"), bytes));
    }
    let vocab_entries = vocab.lines().count();
    files.push(("search/vocab.txt".into(), vocab.into_bytes()));
    lap("encoded");

    let rest: Vec<Written> = files
        .into_par_iter()
        .map(|(name, bytes)| {
            write_pair(out, &name, &bytes).map(|(h, gz)| (name, h, bytes.len(), gz))
        })
        .collect::<Result<_, _>>()?;
    written.extend(rest);
    let file_count = written.len() + 1;
    let mut digest: Vec<(&str, u64)> = written
        .iter()
        .map(|(n, h, _, _)| (n.as_str(), *h))
        .collect();
    digest.sort_unstable();
    let mut id: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, h) in digest {
        for b in name.bytes().chain(h.to_le_bytes()) {
            id ^= u64::from(b);
            id = id.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let meta = Meta {
        format: FORMAT,
        tokenizer: tokenize::VERSION,
        id: format!("{:08x}", (id ^ (id >> 32)) as u32),
        records: record_count,
        docs: model.docs.len(),
        base_bits,
        depths,
        records_per_shard: RECORDS_PER_SHARD,
        ranges,
        scoring: Scoring {
            k1: index::K1,
            b: index::B,
            weight_head: index::WEIGHT_HEAD,
            weight_meta: index::WEIGHT_META,
            weight_body: index::WEIGHT_BODY,
            scale,
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
        synonyms: &synonyms.map,
        hot_words: &model.config.search.hot_words,
        t2s_from: T2S_FROM,
        t2s_bits: t2s_bits(),
        vocab: vocab_entries,
        common: common.iter().map(String::as_str).collect(),
    };
    let meta = crate::escape::json(&meta)
        .map_err(|e| Diagnostic::error("search/meta.json", "输出", e.to_string()))?;
    let (_, meta_gz) = write_pair(out, "search/meta.json", &meta)?;
    lap("gzip and write");
    Ok(Stats {
        records: record_count,
        terms,
        postings,
        term_shards,
        files: file_count * 2,
        bytes: written.iter().map(|w| w.2).sum::<usize>() + meta.len(),
        gz_bytes: written.iter().map(|w| w.3).sum::<usize>() + meta_gz,
    })
}

/// Writes a file and its `.gz`; returns a digest of the bytes and the
/// compressed size.
fn write_pair(out: &Output, name: &str, bytes: &[u8]) -> Result<(u64, usize), Diagnostic> {
    let gz = gzip(bytes);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    out.write(name, bytes)
        .and_then(|()| out.write(&format!("{name}.gz"), &gz))
        .map(|()| (h, gz.len()))
        .map_err(|e| Diagnostic::error(name.to_string(), "输出", e.to_string()))
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

/// gzip with a fixed level and header (no name, no time, OS "unknown"):
/// the same bytes in, the same bytes out.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    crate::deflate::gzip(GZIP_LEVEL, bytes)
}

#[derive(Serialize)]
struct DisplayShard<'a> {
    /// Documents: [title, url below the base, type, agency (index into the
    /// agency facet's terms, −1 for none), status (likewise), date].
    d: Vec<(&'a str, &'a str, usize, i64, i64, String)>,
    /// Records: [document (index into `d`), type, anchor, title (empty for
    /// the document itself), excerpt].
    r: Vec<(usize, usize, String, &'a str, String)>,
}

fn kind_index(k: Kind) -> usize {
    Kind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}

/// A file written: its name, digest, size and gzipped size.
type Written = (String, u64, usize, usize);

/// Writes the display shards (`r/<n>.json`): JSON, one per
/// [`RECORDS_PER_SHARD`] records.
fn display_shards(
    model: &Model,
    bodies: &[Rendered],
    recs: &[Record<'_>],
    out: &Output,
) -> Result<Vec<Written>, Diagnostic> {
    let agencies: Vec<&str> = model.config.agencies.keys().collect();
    let statuses = [
        crate::model::Status::Current,
        crate::model::Status::Pending,
        crate::model::Status::Expired,
    ];
    recs.par_chunks(RECORDS_PER_SHARD)
        .enumerate()
        .map(|(n, chunk)| {
            let mut shard = DisplayShard {
                d: Vec::new(),
                r: Vec::new(),
            };
            let mut last_doc = usize::MAX;
            for rec in chunk {
                if rec.doc != last_doc {
                    let d = &model.docs[rec.doc];
                    let agency = d
                        .agency
                        .as_deref()
                        .and_then(|a| agencies.iter().position(|x| *x == a))
                        .map_or(-1, |p| p as i64);
                    let status = model.statuses[rec.doc]
                        .and_then(|s| statuses.iter().position(|x| *x == s))
                        .map_or(-1, |p| p as i64);
                    shard.d.push((
                        &d.title,
                        &d.url,
                        kind_index(Kind::of_doc(d.doc_type)),
                        agency,
                        status,
                        d.date.map(|x| x.to_string()).unwrap_or_default(),
                    ));
                    last_doc = rec.doc;
                }
                shard.r.push((
                    shard.d.len() - 1,
                    kind_index(rec.kind),
                    records::anchor(model, rec),
                    if rec.is_doc() { "" } else { &rec.title },
                    records::excerpt_of(model, &bodies[rec.doc], rec),
                ));
            }
            let bytes = crate::escape::json(&shard).unwrap_or_default();
            let name = format!("search/r/{n}.json");
            write_pair(out, &name, &bytes).map(|(h, gz)| (name, h, bytes.len(), gz))
        })
        .collect()
}

/// Numbers the records: per run of documents of one type (in search
/// order), the documents, then their parts (a document's parts together,
/// in the documents' order). Returns the records and their types as runs
/// (meta.json `ranges`): the type of a record is where its number falls.
fn number<'a>(
    model: &Model,
    order: &[usize],
    per_doc: &mut [Vec<Record<'a>>],
) -> (Vec<Record<'a>>, Vec<(usize, usize)>) {
    let mut recs: Vec<Record<'a>> = Vec::with_capacity(per_doc.iter().map(Vec::len).sum());
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut push = |recs: &mut Vec<Record<'a>>, r: Record<'a>| {
        let k = kind_index(r.kind);
        match ranges.last_mut() {
            Some((kind, n)) if *kind == k => *n += 1,
            _ => ranges.push((k, 1)),
        }
        recs.push(r);
    };
    for run in order.chunk_by(|&a, &b| model.docs[a].doc_type == model.docs[b].doc_type) {
        let mut rest: Vec<std::vec::IntoIter<Record<'a>>> = Vec::with_capacity(run.len());
        for &i in run {
            let mut it = std::mem::take(&mut per_doc[i]).into_iter();
            if let Some(doc) = it.next() {
                push(&mut recs, doc);
            }
            rest.push(it);
        }
        for it in rest {
            for r in it {
                push(&mut recs, r);
            }
        }
    }
    (recs, ranges)
}

/// The documents part of `facets.bin`, what filters and date sorting need
/// to find a record's document: varints, the document count, then per
/// document (in search order) its number of parts (items or risks).
fn docs_section(parts: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    index::put_varint(&mut out, parts.len() as u32);
    for &p in parts {
        index::put_varint(&mut out, p as u32);
    }
    out
}

/// `order.bin`, for sorting by date: varints, per document in search order
/// its place in the model's order (newest first).
fn order_file(order: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    for &i in order {
        index::put_varint(&mut out, i as u32);
    }
    out
}

/// How one dimension of `facets.bin` is stored, per document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum FacetEncoding {
    /// At most one term: its index plus one (0: none).
    One,
    /// Up to 28 terms: a bit mask of term indexes.
    Mask,
    /// A count, then that many term indexes.
    List,
}

/// The term indexes of each document (in search order) in each dimension.
fn facet_values(
    model: &Model,
    order: &[usize],
    terms: &[Vec<(String, String)>],
) -> Vec<Vec<Vec<u32>>> {
    records::DIMENSIONS
        .par_iter()
        .zip(terms)
        .map(|((dim, _), dim_terms)| {
            let mut at: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
            for (p, (t, _)) in dim_terms.iter().enumerate() {
                at.entry(t.as_str()).or_insert(p as u32);
            }
            order
                .iter()
                .map(|&i| {
                    let mut v = Vec::new();
                    records::each_doc_term(model, i, dim, |k| v.extend(at.get(k)));
                    v
                })
                .collect()
        })
        .collect()
}

fn facet_encoding(values: &[Vec<u32>], terms: usize) -> FacetEncoding {
    if values.iter().all(|v| v.len() <= 1) {
        FacetEncoding::One
    } else if terms <= 28 {
        FacetEncoding::Mask
    } else {
        FacetEncoding::List
    }
}

/// `facets.bin`, for facet counts, filters and date sorting, in one request:
/// the byte length of the facets' term names (JSON, one array per
/// dimension of `meta.facets`) and the names; the documents
/// ([`docs_section`]); then varints, per dimension, per document, the terms
/// as that dimension's `enc` says ([`FacetEncoding`]). One column per
/// dimension: documents are grouped by type and industry, so runs compress
/// to nearly nothing.
fn facets_file(
    names: &[u8],
    docs: &[u8],
    values: &[Vec<Vec<u32>>],
    encodings: &[FacetEncoding],
) -> Vec<u8> {
    let mut out = Vec::new();
    index::put_varint(&mut out, names.len() as u32);
    out.extend_from_slice(names);
    out.extend_from_slice(docs);
    for (docs, enc) in values.iter().zip(encodings) {
        for v in docs {
            match enc {
                FacetEncoding::One => index::put_varint(&mut out, v.first().map_or(0, |x| x + 1)),
                FacetEncoding::Mask => {
                    index::put_varint(&mut out, v.iter().fold(0, |m, x| m | (1 << x)))
                }
                FacetEncoding::List => {
                    index::put_varint(&mut out, v.len() as u32);
                    for &x in v {
                        index::put_varint(&mut out, x);
                    }
                }
            }
        }
    }
    out
}

/// First code point of the traditional-character bitset.
const T2S_FROM: u32 = 0x4E00;
const T2S_TO: u32 = 0xA000;

/// Code points per `t2s/<n>.txt` block.
const T2S_BLOCK: u32 = 1024;

/// The `t2s/<n>.txt` blocks: for the traditional characters in
/// `T2S_FROM + n·1024 …`, comma-separated pairs of integers in code-point
/// order: the traditional character minus the previous one (the first minus
/// the block's start), then the simplified minus the traditional.
fn t2s_files() -> Vec<(u32, Vec<u8>)> {
    let mut blocks: BTreeMap<u32, (String, i64)> = BTreeMap::new();
    for (t, simp) in tokenize::t2s_pairs() {
        let (t, simp) = (u32::from(*t), u32::from(*simp));
        let n = (t - T2S_FROM) / T2S_BLOCK;
        let (text, prev) = blocks
            .entry(n)
            .or_insert_with(|| (String::new(), i64::from(T2S_FROM + n * T2S_BLOCK)));
        if !text.is_empty() {
            text.push(',');
        }
        text.push_str(&format!(
            "{},{}",
            i64::from(t) - *prev,
            i64::from(simp) - i64::from(t)
        ));
        *prev = i64::from(t);
    }
    blocks
        .into_iter()
        .map(|(n, (mut text, _))| {
            text.push('\n');
            (n, text.into_bytes())
        })
        .collect()
}

fn t2s_bits() -> String {
    let mut bits = vec![0u8; ((T2S_TO - T2S_FROM) / 8) as usize];
    for (t, _) in tokenize::t2s_pairs() {
        let c = u32::from(*t);
        if (T2S_FROM..T2S_TO).contains(&c) {
            let o = (c - T2S_FROM) as usize;
            bits[o / 8] |= 1 << (o % 8);
        }
    }
    base64(&bits)
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let v = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn gzip_is_reproducible_and_anonymous() {
        let a = gzip(b"hello hello hello");
        assert_eq!(a, gzip(b"hello hello hello"));
        // No mtime, no file name, OS unknown.
        assert_eq!(&a[4..8], &[0, 0, 0, 0]);
        assert_eq!(a[3] & 0x08, 0);
        assert_eq!(a[9], 255);
    }

    #[test]
    fn synonyms_are_normalized_and_checked() {
        let mut diags = Vec::new();
        let s = Synonyms::parse(
            "\"執照\" = [\"营业执照\"]\n\"电动车\" = \"电动自行车\"\n\"x\" = 3\n\"，\" = \"甲\"\n",
            &mut diags,
        );
        assert_eq!(s.map.get("执照").unwrap(), &["营业执照"]);
        assert_eq!(s.map.get("电动车").unwrap(), &["电动自行车"]);
        let msgs: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("synonyms.toml:3:2: x: 应为文字或文字数组"),
            "{msgs:?}"
        );
        assert!(msgs[1].starts_with("synonyms.toml:4:2:"), "{msgs:?}");
    }

    #[test]
    fn the_runtime_compacts_safely() {
        for src in [
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/search/runtime/search.js"
            )),
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/themes/default/static/search-ui.js"
            )),
        ] {
            let c = compact_js(src);
            assert!(
                c.len() < src.len() * 90 / 100,
                "{} of {}",
                c.len(),
                src.len()
            );
            // No template literals, whose lines would lose their indentation.
            assert!(!c.contains('`'), "the runtime keeps to '…' strings");
            // A line that opens a string closes it (no multi-line strings).
            for line in c.lines() {
                assert!(!line.ends_with('\\'), "line continuation: {line}");
            }
        }
        assert_eq!(
            compact_js("/* a\n b */\n  var x = 1; // y\n\n  // z\n/** w */\nf();\n"),
            "var x = 1; // y\nf();\n"
        );
    }
}
