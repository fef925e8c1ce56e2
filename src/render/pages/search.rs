//! The search page: hot words, where the runtime and the index are, and
//! what to browse without JavaScript. The index itself is written by
//! [`crate::search`].

use std::collections::BTreeMap;

use super::registry::{RegistryCtx, registry_ctx};
use super::*;

/// The search page: hot words, where the runtime and the index are, and
pub(crate) struct SearchPage;

impl PageKind for SearchPage {
    fn template(&self, _model: &Model) -> &'static str {
        "search.html"
    }

    fn inputs(&self, _model: &Model, d: &mut Declared) {
        d.counts();
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (inputs, model) = (cx.inputs, cx.inputs.model);
        page.kind = "search";
        page.title = "站内搜索".into();
        page.column = "站内搜索".into();
        page.description = format!("在{}中搜索清单、指导、案例和风险提示", model.config.title);
        page.breadcrumbs = crumbs(model, &[("站内搜索", "search/")]);
        page.noindex = true;
        ctx.insert("search", &page_context(model, &inputs.theme.statics));
        ctx.insert(
            "browse",
            &Browse {
                types: types(model),
                registries: (0..model.registries.len())
                    .map(|ri| registry_ctx(model, ri))
                    .collect(),
            },
        );
        "search/".into()
    }
}

#[derive(Serialize)]
struct Browse {
    types: Vec<TypeCount>,
    registries: Vec<RegistryCtx>,
}

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
