//! The search page's context: the hot words as links (they work without
//! JavaScript) and where the runtime and the index are. The index itself is
//! written by [`crate::search`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::Model;

/// What `search.html` gets as `search`: the hot words as links (they work
/// without JavaScript) and where the runtime and the index are.
#[derive(Serialize, Debug)]
pub(crate) struct PageContext {
    pub(crate) hot_words: Vec<HotWord>,
    /// `…/search/`: the folder of `meta.json`.
    pub index_url: String,
    /// The runtime (its API, then the page's interface) and its stylesheet,
    /// with a content hash in the query string (empty when a theme leaves
    /// them out).
    pub script_url: String,
    pub ui_script_url: String,
    pub style_url: String,
}

#[derive(Serialize, Debug)]
pub(crate) struct HotWord {
    pub word: String,
    pub url: String,
}

pub(crate) fn page_context(model: &Model, statics: &BTreeMap<String, Vec<u8>>) -> PageContext {
    let index_url = model.url("search/");
    PageContext {
        hot_words: model
            .config
            .search
            .hot_words
            .iter()
            .map(|w| HotWord {
                word: w.clone(),
                url: format!("{index_url}?q={}", encode_query(w)),
            })
            .collect(),
        script_url: hashed(model, statics, "search.js"),
        ui_script_url: hashed(model, statics, "search-ui.js"),
        style_url: hashed(model, statics, "search.css"),
        index_url,
    }
}

fn hashed(model: &Model, statics: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    match statics.get(name) {
        Some(b) => format!("{}?v={:08x}", model.url(name), crate::hash::fnv(b) as u32),
        None => String::new(),
    }
}

/// Percent-encoding for a query-string value.
fn encode_query(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode_query("营业 执照&a"),
            "%E8%90%A5%E4%B8%9A%20%E6%89%A7%E7%85%A7%26a"
        );
    }
}
