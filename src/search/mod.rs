//! Site search, built with the site: the index under `public/search/` that
//! the browser runtime (`themes/default/static/search.js`) queries.
//!
//! [`tokenize`] is the tokenizer the runtime mirrors; the shared vectors in
//! `tests/search-vectors.json` prove both agree.

pub mod tokenize;
