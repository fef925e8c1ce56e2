//! The pages made from `site.toml` that search finds too: 行政调解
//! (`mediation/`) and each kind of dispute (`mediation/<key>/`), so that
//! 劳动纠纷找谁 finds 劳动争议 and who mediates it.
//!
//! They are search documents numbered after the model's documents
//! (`model.docs.len()` is 行政调解, the disputes follow in `site.toml`'s
//! order), each one record of kind `Mediation` with no parts, never
//! expired and never a version of anything. A kind's text is what its page
//! shows: name, description, the agencies that mediate, how to apply, the
//! contact and the legal basis; 行政调解's is the names of the kinds.

use std::borrow::Cow;

use crate::config::{Dispute, MEDIATION_SEGMENT, MEDIATION_TITLE, RegistryKind};
use crate::model::Model;

/// One of these pages.
pub(super) enum Page<'a> {
    /// 行政调解: every kind of dispute.
    Mediation,
    Dispute(&'a Dispute),
}

/// How many there are: none when the site declares no disputes (then
/// the pages are not made either).
pub(super) fn count(model: &Model) -> usize {
    let n = model.config.disputes.len();
    if n == 0 { 0 } else { n + 1 }
}

/// The page behind search document `doc`; `None` for a document of the
/// model.
pub(super) fn page(model: &Model, doc: usize) -> Option<Page<'_>> {
    let j = doc.checked_sub(model.docs.len())?;
    match j {
        0 if count(model) > 0 => Some(Page::Mediation),
        _ => model.config.disputes.get(j - 1).map(Page::Dispute),
    }
}

/// Their search documents and titles (each one record), in order.
pub(super) fn titles(model: &Model) -> Vec<(usize, Cow<'_, str>)> {
    (0..count(model))
        .filter_map(|j| {
            let doc = model.docs.len() + j;
            let title = match page(model, doc)? {
                Page::Mediation => Cow::Borrowed(MEDIATION_TITLE),
                Page::Dispute(d) => Cow::Borrowed(d.name.as_str()),
            };
            Some((doc, title))
        })
        .collect()
}

/// The page's path below the base.
pub(super) fn url(page: &Page<'_>) -> String {
    match page {
        Page::Mediation => format!("{MEDIATION_SEGMENT}/"),
        Page::Dispute(d) => format!("{MEDIATION_SEGMENT}/{}/", d.key),
    }
}

/// The agencies that mediate (keys, in the order given); for 行政调解
/// every agency any dispute names, once.
pub(super) fn agencies<'a>(model: &'a Model, page: &Page<'a>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = Vec::new();
    let disputes: &[Dispute] = match page {
        Page::Mediation => &model.config.disputes,
        Page::Dispute(d) => std::slice::from_ref(*d),
    };
    for k in disputes.iter().flat_map(|d| &d.agencies) {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    keys
}

/// The term keys of the page in facet dimension `dim`: its agencies; it
/// has no status, district, industry or year.
pub(super) fn each_term(model: &Model, page: &Page<'_>, dim: &str, mut f: impl FnMut(&str)) {
    if dim == RegistryKind::Agencies.facet() {
        agencies(model, page).into_iter().for_each(&mut f);
    }
}

/// Appends the searchable text besides the headline.
pub(super) fn body(model: &Model, page: &Page<'_>, out: &mut String) {
    let mut line = |s: &str| {
        if !s.is_empty() {
            out.push_str(s);
            out.push('\n');
        }
    };
    match page {
        // Only the names: each kind's own page is the answer to its
        // words, and a page holding every description would match any
        // mix of them.
        Page::Mediation => {
            line("行政机关可以调解的民事纠纷");
            for d in &model.config.disputes {
                line(&d.name);
            }
        }
        Page::Dispute(d) => {
            line(&d.description);
            for a in agencies(model, page) {
                if let Some(t) = model.config.agencies.get(a) {
                    line(&t.name);
                }
            }
            line(&d.apply);
            line(&d.contact);
            line(&d.basis);
        }
    }
}

/// What its result shows under the title (before the cut to length).
pub(super) fn excerpt(model: &Model, page: &Page<'_>) -> String {
    let names = |keys: Vec<&str>| -> Vec<&str> {
        keys.into_iter()
            .filter_map(|k| model.config.agencies.get(k).map(|t| t.name.as_str()))
            .collect()
    };
    match page {
        Page::Mediation => {
            let kinds: Vec<&str> = model
                .config
                .disputes
                .iter()
                .map(|d| d.name.as_str())
                .collect();
            format!("可以申请行政机关调解的纠纷：{}", kinds.join("、"))
        }
        Page::Dispute(d) => {
            let who = names(agencies(model, page));
            let who = if who.is_empty() {
                String::new()
            } else {
                format!("调解机关：{}；", who.join("、"))
            };
            format!("{who}{}", d.description)
        }
    }
}
