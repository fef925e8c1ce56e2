//! The display shards (`r/<n>.json`): what a result shows, for
//! [`RECORDS_PER_SHARD`] records at a time, and the numbering of records
//! they follow.

use rayon::prelude::*;
use serde::Serialize;

use super::RECORDS_PER_SHARD;
use super::files::{Written, write_pair};
use super::records::{self, Kind, Record};
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Model;
use crate::output::Output;

#[derive(Serialize)]
struct DisplayShard<'a> {
    /// Documents: [title, url below the base, type, agency (index into the
    /// agency facet's terms, −1 for none), status (likewise), date].
    d: Vec<(&'a str, &'a str, usize, i64, i64, String)>,
    /// Records: [document (index into `d`), type, anchor, title (empty for
    /// the document itself), excerpt].
    r: Vec<(usize, usize, String, &'a str, String)>,
}

pub(super) fn kind_index(k: Kind) -> usize {
    Kind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}

/// Writes the display shards (`r/<n>.json`): JSON, one per
/// [`RECORDS_PER_SHARD`] records.
pub(super) fn display_shards(
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
pub(super) fn number<'a>(
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
