//! `facets.bin` and `order.bin`: what filters, facet counts and sorting by
//! date need, fetched only for them.

use rayon::prelude::*;
use serde::Serialize;

use super::{index, records};
use crate::model::Model;

/// The documents part of `facets.bin`, what filters and date sorting need
/// to find a record's document: varints, the document count, the count of
/// parts (items and risk points), then the document of each part in record
/// order, as a zigzag difference from the part before's (parts are ordered
/// by headline, see [`super::display::number`]; documents are numbered in
/// search order, as their records are).
pub(super) fn docs_section(docs: usize, part_docs: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    index::put_varint(&mut out, docs as u32);
    index::put_varint(&mut out, part_docs.len() as u32);
    let mut prev = 0i64;
    for &d in part_docs {
        let delta = i64::from(d) - prev;
        index::put_varint(&mut out, ((delta << 1) ^ (delta >> 63)) as u32);
        prev = i64::from(d);
    }
    out
}

/// `order.bin`, for sorting by date: varints, per document in search order
/// its place in the model's order (newest first).
pub(super) fn order_file(order: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    for &i in order {
        index::put_varint(&mut out, i as u32);
    }
    out
}

/// How one dimension of `facets.bin` is stored, per document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum FacetEncoding {
    /// At most one term: its index plus one (0: none).
    One,
    /// Up to 28 terms: a bit mask of term indexes.
    Mask,
    /// A count, then that many term indexes.
    List,
}

/// The term indexes of each document (in search order) in each dimension.
pub(super) fn facet_values(
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

pub(super) fn facet_encoding(values: &[Vec<u32>], terms: usize) -> FacetEncoding {
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
pub(super) fn facets_file(
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
