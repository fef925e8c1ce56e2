//! Registries as published: each registry's terms (the years registry made
//! from the documents' dates) and the documents that belong to each term.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::{Config, Registry, RegistryKind};
use crate::content::{Document, Typed};

/// A registry as published: its URL segment, its name and its terms.
#[derive(Clone, Debug)]
pub struct PublishedRegistry {
    pub kind: RegistryKind,
    /// Key in `site.toml` (`list_kinds`) and URL segment (`list-kinds`).
    pub key: &'static str,
    pub segment: &'static str,
    pub name: &'static str,
    /// Feeds are published for agencies and industries.
    pub has_feeds: bool,
    pub registry: Registry,
    /// Term key → indexes into `Model::docs`, newest first.
    pub members: BTreeMap<String, Vec<usize>>,
}

pub(super) fn publish_registries(
    config: &Config,
    docs: &[std::sync::Arc<Document>],
) -> Vec<PublishedRegistry> {
    let mut years: Vec<i64> = docs
        .iter()
        .filter(|d| d.doc_type.is_typed())
        .filter_map(|d| d.year())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let years_registry = Registry {
        terms: years
            .iter()
            .map(|y| crate::config::Term {
                key: y.to_string(),
                name: format!("{y}年"),
                ..Default::default()
            })
            .collect(),
    };
    let specs: Vec<(RegistryKind, Registry)> = RegistryKind::ALL
        .iter()
        .map(|&k| {
            let r = k.declared(config).cloned();
            (k, r.unwrap_or_else(|| years_registry.clone()))
        })
        .collect();
    // Each registry walks every document: side by side.
    specs
        .into_par_iter()
        .map(|(kind, registry)| {
            let mut members: BTreeMap<String, Vec<usize>> = registry
                .terms
                .iter()
                .map(|t| (t.key.clone(), Vec::new()))
                .collect();
            for (i, d) in docs.iter().enumerate() {
                each_term(kind, d, |term| {
                    if let Some(v) = members.get_mut(term) {
                        v.push(i);
                    }
                });
            }
            PublishedRegistry {
                kind,
                key: kind.key(),
                segment: kind.segment(),
                name: kind.name(),
                has_feeds: kind.has_feeds(),
                registry,
                members,
            }
        })
        .collect()
}

/// The terms of registry `kind` that document `d` belongs to.
pub fn terms_of(kind: RegistryKind, d: &Document) -> Vec<String> {
    let mut v = Vec::new();
    each_term(kind, d, |t| v.push(t.to_string()));
    v
}

/// Calls `f` with each term of registry `kind` that document `d` belongs
/// to (as [`terms_of`], without copying them).
pub fn each_term(kind: RegistryKind, d: &Document, mut f: impl FnMut(&str)) {
    match (kind, &d.typed) {
        (RegistryKind::Agencies, _) => d.agency.iter().for_each(|t| f(t)),
        (RegistryKind::Districts, _) => d.districts.iter().for_each(|t| f(t)),
        (RegistryKind::Industries, Typed::List { items, .. }) => {
            // A list belongs to its own industries and to those its items
            // name (an item may apply to a trade its list does not).
            d.industries.iter().for_each(|t| f(t));
            let mut seen: Vec<&str> = Vec::new();
            for t in items.iter().flat_map(|i| &i.industries) {
                if !d.industries.contains(t) && !seen.contains(&t.as_str()) {
                    seen.push(t);
                    f(t);
                }
            }
        }
        (RegistryKind::Industries, _) => d.industries.iter().for_each(|t| f(t)),
        (RegistryKind::ListKinds, Typed::List { kind, .. }) => f(kind),
        (RegistryKind::RiskLevels, Typed::Warning { level, .. }) => f(level),
        (RegistryKind::Methods, Typed::Guidance { method, .. }) => f(method),
        (RegistryKind::Methods, Typed::Case { methods, .. }) => {
            methods.iter().for_each(|t| f(t));
        }
        (RegistryKind::Years, _) if d.doc_type.is_typed() => {
            if let Some(y) = d.year() {
                f(&y.to_string());
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RESERVED_TOP;

    /// Every registry's pages are generated at its segment, so no content
    /// folder may take it; each registry has one facet and one key.
    #[test]
    fn registries_are_listed_once_and_reserved() {
        let mut seen = std::collections::HashSet::new();
        for k in RegistryKind::ALL {
            assert!(RESERVED_TOP.contains(&k.segment()), "{k:?}");
            for (role, name) in [k.key(), k.segment(), k.facet(), k.name()]
                .into_iter()
                .enumerate()
            {
                assert!(seen.insert((role, name)), "{k:?} {name}");
            }
        }
    }
}
