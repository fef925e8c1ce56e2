//! What search finds: every document, and every part of one a reader may
//! be looking for — each list item (`#item-<id>`) and each risk point
//! (`#risk-<n>`) — as a record with its own text, excerpt and facets; and
//! the pages of 行政调解 ([`super::mediation`]).
//!
//! Documents are numbered in [`search_order`]: documents of one type and
//! industry together, those in force before those expired, lists that
//! share items next to each other, newest
//! first within that, the pages of 行政调解 last. Records follow: per type,
//! its documents, then all their parts, those in force first and by
//! headline ([`super::display::number`]), so a record's type is where its
//! number falls (meta.json `ranges`: no file per record is needed to count
//! types). The ten results a query shows are mostly neighbours then (the
//! same violation in several lists), so they come from one or two display
//! shards. Score ties go to the lower number; sorting by date uses
//! `order.bin` (each document's place in the model's newest-first order),
//! which only that sort fetches.

use std::borrow::Cow;

use super::mediation;
use crate::config::RegistryKind;
use crate::content::{DocType, Document, Typed};
use crate::escape::truncate_chars;
use crate::markdown::Rendered;
use crate::model::{Model, Status};

/// Excerpts are cut to this many characters.
const EXCERPT_CHARS: usize = 80;

/// The kind of a record, which is also the `type` facet and how results
/// are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Item,
    Risk,
    Lists,
    Guidance,
    Cases,
    Warnings,
    Reports,
    /// 行政调解 and each kind of dispute ([`super::mediation`]).
    Mediation,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Item,
        Kind::Risk,
        Kind::Lists,
        Kind::Guidance,
        Kind::Cases,
        Kind::Warnings,
        Kind::Reports,
        Kind::Mediation,
        Kind::Page,
    ];

    pub fn of_doc(t: DocType) -> Kind {
        match t {
            DocType::Lists => Kind::Lists,
            DocType::Guidance => Kind::Guidance,
            DocType::Cases => Kind::Cases,
            DocType::Warnings => Kind::Warnings,
            DocType::Reports => Kind::Reports,
            DocType::Page => Kind::Page,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Kind::Item => "item",
            Kind::Risk => "risk",
            Kind::Lists => "lists",
            Kind::Guidance => "guidance",
            Kind::Cases => "cases",
            Kind::Warnings => "warnings",
            Kind::Reports => "reports",
            Kind::Mediation => "mediation",
            Kind::Page => "page",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Item => "清单事项",
            Kind::Risk => "风险点",
            Kind::Lists => "公示清单",
            Kind::Guidance => "行政指导",
            Kind::Cases => "典型案例",
            Kind::Warnings => "风险提示",
            Kind::Reports => "年度报告",
            Kind::Mediation => "行政调解",
            Kind::Page => "其他页面",
        }
    }
}

/// One record as the index writer needs it. Its headline (weighted
/// highest, the only field that gets pinyin tokens) is its `title`. The
/// rest of its text is made when it is needed ([`body`], [`excerpt_of`],
/// [`anchor`]), so a record is small and borrows from the model.
#[derive(Debug)]
pub struct Record<'a> {
    /// Index into `Model::docs`.
    pub doc: usize,
    pub kind: Kind,
    /// Which item or risk of the document (0 for the document itself).
    pub part: usize,
    /// Title, violation or risk point: shown as the result's title (the
    /// document's title for documents) and searched as its headline.
    pub title: Cow<'a, str>,
    /// 文号, tags, item id: short identifying text.
    pub meta: Cow<'a, str>,
}

impl Record<'_> {
    /// The document itself, not one of its parts.
    pub fn is_doc(&self) -> bool {
        !matches!(self.kind, Kind::Item | Kind::Risk)
    }
}

/// The records of document `i`: the document, then its items or risks.
pub fn of_doc(model: &Model, i: usize) -> Vec<Record<'_>> {
    let d = &model.docs[i];
    let mut meta = String::new();
    for s in d.doc_number.iter().chain(d.tags.iter()) {
        meta.push_str(s);
        meta.push('\n');
    }
    let mut out = vec![Record {
        doc: i,
        kind: Kind::of_doc(d.doc_type),
        part: 0,
        title: Cow::Borrowed(&d.title),
        meta: Cow::Owned(meta),
    }];
    match &d.typed {
        Typed::List { items, .. } => {
            out.extend(items.iter().enumerate().map(|(n, it)| Record {
                doc: i,
                kind: Kind::Item,
                part: n,
                title: Cow::Borrowed(&it.violation),
                meta: Cow::Borrowed(&it.id),
            }));
        }
        Typed::Warning { risks, .. } => {
            out.extend(risks.iter().enumerate().map(|(n, r)| Record {
                doc: i,
                kind: Kind::Risk,
                part: n,
                title: Cow::Borrowed(&r.point),
                meta: Cow::Borrowed(""),
            }));
        }
        _ => {}
    }
    out
}

/// A part's anchor (`item-<id>`, `risk-<n>`); empty for a document.
pub fn anchor(model: &Model, rec: &Record<'_>) -> String {
    let Some(d) = model.docs.get(rec.doc) else {
        return String::new();
    };
    match (rec.kind, &d.typed) {
        (Kind::Item, Typed::List { items, .. }) => items
            .get(rec.part)
            .map_or_else(String::new, |it| format!("item-{}", it.id)),
        (Kind::Risk, _) => format!("risk-{}", rec.part + 1),
        _ => String::new(),
    }
}

/// What a result shows under its title (`bodies`: the documents' rendered
/// bodies).
pub fn excerpt_of(model: &Model, bodies: &[Rendered], rec: &Record<'_>) -> String {
    if let Some(page) = mediation::page(model, rec.doc) {
        return excerpt(&mediation::excerpt(model, &page));
    }
    let d = &model.docs[rec.doc];
    let rendered = &bodies[rec.doc];
    match (rec.kind, &d.typed) {
        (Kind::Item, Typed::List { items, .. }) => {
            items.get(rec.part).map_or_else(String::new, |it| {
                excerpt(&labelled(&[
                    ("适用条件", &it.conditions),
                    ("处理方式", &it.handling),
                ]))
            })
        }
        (Kind::Risk, Typed::Warning { risks, .. }) => {
            risks.get(rec.part).map_or_else(String::new, |r| {
                excerpt(&labelled(&[("防范措施", &r.measures), ("成因", &r.cause)]))
            })
        }
        _ => excerpt(d.summary.as_deref().unwrap_or(&rendered.first_paragraph)),
    }
}

/// Appends the body text of a record of document `rec.doc` (`bodies`: the
/// documents' rendered bodies): for a document its summary, the text of its
/// body, some typed fields, its parts' headlines and its attachments'
/// titles; for an item or a risk its other fields; for
/// a page of 行政调解 what it shows ([`mediation::body`]).
pub fn body(model: &Model, bodies: &[Rendered], rec: &Record<'_>, out: &mut String) {
    if let Some(page) = mediation::page(model, rec.doc) {
        return mediation::body(model, &page, out);
    }
    let d = &model.docs[rec.doc];
    let rendered = &bodies[rec.doc];
    match (rec.kind, &d.typed) {
        (Kind::Item, Typed::List { items, .. }) => {
            if let Some(it) = items.get(rec.part) {
                for s in [
                    &*it.conditions,
                    &it.handling,
                    &it.basis,
                    &it.penalty_basis,
                    &it.note,
                ] {
                    push_line(out, s);
                }
            }
        }
        (Kind::Risk, Typed::Warning { risks, .. }) => {
            if let Some(r) = risks.get(rec.part) {
                for s in [&r.cause, &r.measures, &r.basis] {
                    push_line(out, s);
                }
                for s in &r.self_check {
                    push_line(out, s);
                }
            }
        }
        _ => {
            if let Some(s) = &d.summary {
                out.push_str(s);
                out.push('\n');
            }
            html_text(&rendered.html, out);
            for s in d.doc_type.def().kind.search_text(&d.typed) {
                push_line(out, s);
            }
            // The headlines of its parts, as its page shows them: a query
            // whose words fall on the document and one of its parts
            // (道路运输 in a bulletin's title, 驾驶员 in a risk point) finds
            // the document, not only a part that has them all.
            match &d.typed {
                Typed::List { items, .. } => {
                    items.iter().for_each(|it| push_line(out, &it.violation))
                }
                Typed::Warning { risks, .. } => risks.iter().for_each(|r| push_line(out, &r.point)),
                _ => {}
            }
            // Its 附件 by their titles, as its page lists them: 盖章版
            // finds the notice whose stamped original is attached.
            for a in &d.attachments {
                push_line(out, &a.title);
            }
        }
    }
}

/// The kind of search document `i`: a document's type, or a page of
/// 行政调解.
pub fn doc_kind(model: &Model, i: usize) -> Kind {
    model
        .docs
        .get(i)
        .map_or(Kind::Mediation, |d| Kind::of_doc(d.doc_type))
}

/// The records of every search document: the model's documents, then the
/// pages of 行政调解 ([`mediation::titles`]), one record each.
pub fn all(model: &Model) -> Vec<Vec<Record<'_>>> {
    use rayon::prelude::*;
    let mut per_doc: Vec<Vec<Record<'_>>> = (0..model.docs.len())
        .into_par_iter()
        .map(|i| of_doc(model, i))
        .collect();
    per_doc.extend(mediation::titles(model).into_iter().map(|(doc, title)| {
        vec![Record {
            doc,
            kind: Kind::Mediation,
            part: 0,
            title,
            meta: Cow::Borrowed(""),
        }]
    }));
    per_doc
}

/// Whether search document `doc` has expired on the build day (the pages
/// of 行政调解 have no status).
pub(super) fn is_expired(model: &Model, doc: usize) -> bool {
    model.statuses.get(doc).copied().flatten() == Some(Status::Expired)
}

/// The order in which search documents (with their parts) are numbered:
/// by type, then what is in force before what expired on the build day
/// (so a tie between a current rule and an expired one goes to the current
/// one, and `meta.json` names the expired records in one run per type),
/// then industries, then the headlines of their parts (lists with the same
/// items side by side), then the model's order (newest first); the pages of
/// 行政调解 last, in their own order.
pub fn search_order(model: &Model, per_doc: &[Vec<Record<'_>>]) -> Vec<usize> {
    type Key<'a> = (Kind, bool, Vec<String>, Vec<&'a str>, usize);
    let mut keyed: Vec<Key<'_>> = per_doc[..model.docs.len()]
        .iter()
        .enumerate()
        .map(|(i, recs)| {
            let mut heads: Vec<&str> = recs.iter().skip(1).map(|r| &*r.title).collect();
            heads.sort_unstable();
            heads.dedup();
            (
                Kind::of_doc(model.docs[i].doc_type),
                is_expired(model, i),
                doc_terms(model, i, RegistryKind::Industries.facet()),
                heads,
                i,
            )
        })
        .collect();
    keyed.sort_unstable();
    keyed
        .into_iter()
        .map(|k| k.4)
        .chain(model.docs.len()..per_doc.len())
        .collect()
}

fn push_line(out: &mut String, s: &str) {
    if !s.is_empty() {
        out.push_str(s);
        out.push('\n');
    }
}

fn labelled(parts: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (label, text) in parts {
        if !text.is_empty() {
            if !s.is_empty() {
                s.push('；');
            }
            s.push_str(label);
            s.push('：');
            s.push_str(text.trim().trim_end_matches(['。', '；', ';']));
        }
    }
    s
}

fn excerpt(s: &str) -> String {
    // Whitespace runs as one space; only the start matters.
    let mut flat = String::new();
    let mut chars = 0;
    for w in s.split_whitespace() {
        if chars > EXCERPT_CHARS {
            break;
        }
        if !flat.is_empty() {
            flat.push(' ');
            chars += 1;
        }
        flat.push_str(w);
        chars += w.chars().count();
    }
    truncate_chars(&flat, EXCERPT_CHARS)
}

/// Elements that do not break a word: text on both sides stays one run,
/// so `营业<strong>执照</strong>` still gives the bigram 业执.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// Appends the text of sanitized, rendered HTML: tags dropped (block tags
/// as a line break), entities decoded.
pub fn html_text(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        decode_entities(&rest[..lt], out);
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[..gt].trim_start_matches('/');
        let name = &tag[..tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len())];
        if !INLINE.iter().any(|i| i.eq_ignore_ascii_case(name)) && !out.ends_with('\n') {
            out.push('\n');
        }
        rest = &after[gt + 1..];
    }
    decode_entities(rest, out);
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

fn decode_entities(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse().ok(),
                    }?;
                    char::from_u32(code)
                }
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// The facet dimensions, in the order the runtime shows them, after `type`
/// (which is the record [`Kind`]).
pub const DIMENSIONS: [(&str, &str); 8] = [
    ("agency", "发布机构"),
    ("status", "有效性"),
    ("district", "适用区域"),
    ("industry", "行业领域"),
    ("list_kind", "清单类别"),
    ("risk_level", "风险等级"),
    ("method", "指导方式"),
    ("year", "年度"),
];

/// Registry behind each dimension (`None`: status, built in).
fn registry_of(dim: &str) -> Option<RegistryKind> {
    RegistryKind::ALL.into_iter().find(|k| k.facet() == dim)
}

/// Key of the district term for documents that name no district.
pub const WHOLE_CITY: &str = "_all";

/// The terms (key, name) of each dimension.
pub fn facet_terms(model: &Model) -> Vec<Vec<(String, String)>> {
    DIMENSIONS
        .iter()
        .map(|(dim, _)| {
            let mut terms: Vec<(String, String)> = match registry_of(dim) {
                Some(reg) => model
                    .registries
                    .iter()
                    .find(|r| r.kind == reg)
                    .map(|r| {
                        r.registry
                            .terms
                            .iter()
                            .map(|t| (t.key.clone(), t.name.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                None => [Status::Current, Status::Pending, Status::Expired]
                    .iter()
                    .map(|s| (s.key().to_string(), s.label().to_string()))
                    .collect(),
            };
            if *dim == RegistryKind::Districts.facet() {
                terms.push((WHOLE_CITY.into(), "全市".into()));
            }
            terms
        })
        .collect()
}

/// The term keys of document `i` in dimension `dim`.
pub fn doc_terms(model: &Model, i: usize, dim: &str) -> Vec<String> {
    let mut v = Vec::new();
    each_doc_term(model, i, dim, |t| v.push(t.to_string()));
    v
}

/// Calls `f` with each term key of document `i` in dimension `dim` (as
/// [`doc_terms`], without copying them).
pub fn each_doc_term(model: &Model, i: usize, dim: &str, mut f: impl FnMut(&str)) {
    const DISTRICTS: &str = RegistryKind::Districts.facet();
    if let Some(page) = mediation::page(model, i) {
        return mediation::each_term(model, &page, dim, f);
    }
    let d: &Document = &model.docs[i];
    match dim {
        "status" => {
            if let Some(s) = model.statuses[i] {
                f(s.key());
            }
        }
        DISTRICTS if d.doc_type.is_typed() && d.districts.is_empty() => f(WHOLE_CITY),
        _ => {
            if let Some(reg) = registry_of(dim) {
                crate::model::each_term(reg, d, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every registry is a facet dimension, named as the registry is.
    #[test]
    fn every_registry_is_a_dimension() {
        for k in RegistryKind::ALL {
            assert!(
                DIMENSIONS
                    .iter()
                    .any(|(d, n)| *d == k.facet() && *n == k.name()),
                "{k:?}"
            );
            assert_eq!(registry_of(k.facet()), Some(k));
        }
    }

    #[test]
    fn html_to_text() {
        let mut s = String::new();
        html_text(
            "<h2 id=\"a\">一、要求</h2>\n<p>营业<strong>执照</strong>&amp;许可证&#x4e00;&#19968;</p><ul><li>甲</li><li>乙</li></ul>",
            &mut s,
        );
        assert_eq!(s, "\n一、要求\n\n营业执照&许可证一一\n甲\n乙\n");
        let mut s = String::new();
        html_text("a & b &unknown; &#xZZ; <", &mut s);
        assert_eq!(s, "a & b &unknown; &#xZZ; \n");
    }

    #[test]
    fn excerpts_are_flat_and_short() {
        assert_eq!(excerpt("甲\n  乙"), "甲 乙");
        let long = "字".repeat(100);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
    }
}
