//! The display shards (`r/<n>.json`): what a result shows, for
//! [`RECORDS_PER_SHARD`] records at a time, and the numbering of records
//! they follow.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use super::RECORDS_PER_SHARD;
use super::files::{Written, write_pair};
use super::mediation::{self, Page};
use super::records::{self, Kind, Record};
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Model;
use crate::output::Output;

#[derive(Serialize)]
struct DisplayShard<'a> {
    /// Documents: [title, url below the base, type, agency (index into the
    /// agency facet's terms, −1 for none), status (likewise), date].
    d: Vec<DocEntry<'a>>,
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
                    let at = |key: &str| agencies.iter().position(|x| *x == key);
                    let entry = match mediation::page(model, rec.doc) {
                        Some(page) => doc_entry_of_page(model, &page, &at),
                        None => {
                            let d = &model.docs[rec.doc];
                            let agency = d.agency.as_deref().and_then(at).map_or(-1, |p| p as i64);
                            let status = model.statuses[rec.doc]
                                .and_then(|s| statuses.iter().position(|x| *x == s))
                                .map_or(-1, |p| p as i64);
                            (
                                d.title.as_str(),
                                Cow::Borrowed(d.url.as_str()),
                                kind_index(Kind::of_doc(d.doc_type)),
                                agency,
                                status,
                                d.date.map(|x| x.to_string()).unwrap_or_default(),
                            )
                        }
                    };
                    shard.d.push(entry);
                    last_doc = rec.doc;
                }
                shard.r.push((
                    shard.d.len() - 1,
                    kind_index(rec.kind),
                    records::anchor(model, rec),
                    if rec.is_doc() { "" } else { &rec.title },
                    records::excerpt_of(model, bodies, rec),
                ));
            }
            let bytes = crate::escape::json(&shard).unwrap_or_default();
            let name = format!("search/r/{n}.json");
            write_pair(out, &name, &bytes).map(|(h, gz)| (name, h, bytes.len(), gz))
        })
        .collect()
}

type DocEntry<'a> = (&'a str, Cow<'a, str>, usize, i64, i64, String);

/// The display entry of a page of 行政调解: the first agency that mediates
/// its kind of dispute, no status, no date. The overview of every kind
/// names none: no one agency stands for it.
fn doc_entry_of_page<'a>(
    model: &'a Model,
    page: &Page<'a>,
    at: &dyn Fn(&str) -> Option<usize>,
) -> DocEntry<'a> {
    let title = match page {
        Page::Mediation => crate::config::MEDIATION_TITLE,
        Page::Dispute(d) => d.name.as_str(),
    };
    let agency = match page {
        Page::Mediation => None,
        Page::Dispute(_) => mediation::agencies(model, page).first().and_then(|k| at(k)),
    }
    .map_or(-1, |p| p as i64);
    (
        title,
        Cow::Owned(mediation::url(page)),
        kind_index(Kind::Mediation),
        agency,
        -1,
        String::new(),
    )
}

/// The records numbered, their types as runs (meta.json `ranges`: the
/// type of a record is where its number falls) and, for each part (item or
/// risk point) in record order, the number of its document in search order.
pub(super) struct Numbered<'a> {
    pub(super) recs: Vec<Record<'a>>,
    pub(super) ranges: Vec<(usize, usize)>,
    pub(super) part_docs: Vec<u32>,
}

/// Numbers the records: per run of documents of one type (in search
/// order), the documents, then all their parts ordered by what is in force
/// first (expired ones last), then by headline, then by document. So the
/// same violation in many lists is a run of neighbours, and the ten
/// results of a query come from one or two display shards; the expired
/// parts are one run, which keeps `meta.json` `expired` short.
pub(super) fn number<'a>(
    model: &Model,
    order: &[usize],
    per_doc: &mut [Vec<Record<'a>>],
) -> Numbered<'a> {
    let mut recs: Vec<Record<'a>> = Vec::with_capacity(per_doc.iter().map(Vec::len).sum());
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut part_docs: Vec<u32> = Vec::new();
    let mut push = |recs: &mut Vec<Record<'a>>, r: Record<'a>| {
        let k = kind_index(r.kind);
        match ranges.last_mut() {
            Some((kind, n)) if *kind == k => *n += 1,
            _ => ranges.push((k, 1)),
        }
        recs.push(r);
    };
    let kind = |i: usize| records::doc_kind(model, i);
    let mut first = 0usize;
    for run in order.chunk_by(|&a, &b| kind(a) == kind(b)) {
        let mut parts: Vec<(bool, u32, Record<'a>)> = Vec::new();
        for (n, &i) in run.iter().enumerate() {
            let mut it = std::mem::take(&mut per_doc[i]).into_iter();
            if let Some(doc) = it.next() {
                push(&mut recs, doc);
            }
            let expired = records::is_expired(model, i);
            parts.extend(it.map(|r| (expired, (first + n) as u32, r)));
        }
        // Stable: a document's parts keep their order among equal headlines.
        parts.sort_by(|a, b| (a.0, &a.2.title, a.1).cmp(&(b.0, &b.2.title, b.1)));
        for (_, doc, r) in parts {
            part_docs.push(doc);
            push(&mut recs, r);
        }
        first += run.len();
    }
    Numbered {
        recs,
        ranges,
        part_docs,
    }
}
