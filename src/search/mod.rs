//! Site search, built with the site: `gongshi build` writes an index under
//! `public/search/` that the browser runtime
//! (`src/search/runtime/`, plain JavaScript in five parts published as one
//! `search.js`, no WASM) queries.
//! Nothing is served dynamically, and the runtime fetches only what a query
//! needs.
//!
//! Files (each also as a byte-for-byte reproducible `.gz` beside it, for
//! servers with `gzip_static on`):
//!
//! | file | what | fetched |
//! |---|---|---|
//! | `meta.json` | counts, shard layout, the records' types (as runs), scoring constants, facet registries, the first characters of the synonym keys, hot words, which characters are traditional, which records expired, versions of one item ([`fold`]) | first query |
//! | `t/<shard>.bin` | postings of the tokens whose hash falls there ([`index`]); of a frequent token, its head: the best-scoring postings | one per query token |
//! | `t/<shard>.<i>.bin` | the tail of the shard's `i`-th token: the rest of its postings (a token with the same postings names it instead of a copy) | when neither the heads nor the blocks fetched prove the first page, and for counts |
//! | `t/<shard>.<i>.<b>.bin` | block `b` of that tail, when it has more than one: 4,096 postings in record order (the head lists each block's first record and highest score byte) | the blocks that hold the records a first page cannot yet rule out |
//! | `r/<n>.json` | display data of records `n·K … n·K+K−1` ([`records`]; a document's parts are numbered by headline, so the same violation in many lists is one run) | for the results shown |
//! | `facets.bin` | the facets' term names; each part's document; per document its facet terms | when the filter panel opens, for filters other than type, or sorting by date |
//! | `order.bin` | per document: its place in newest-first order | sorting by date |
//! | `t2s/<n>.txt` | the traditional → simplified table, by blocks of 1,024 code points | a query with a traditional character in that block |
//! | `syn/<n>.json` | the synonyms (site and theme lexicon) whose key's first character has a code point of `n` modulo the number of these files (about 8 keys a file) | a query with such a first character, or a word of pinyin that reads as such a key |
//! | `pinyin.json` | the synonym keys by their pinyin | a query with a word of pinyin |
//! | `vocab.txt` | runs of ideographs that headlines repeat, most frequent first ([`vocab`]) | a query without a complete match |
//!
//! [`tokenize`] is the tokenizer the runtime mirrors; the shared vectors in
//! `tests/search-vectors.json` prove both agree.

mod display;
mod facets;
mod files;
mod fold;
pub mod index;
mod mediation;
pub mod records;
mod runtime;
mod synonyms;
mod t2s;
pub mod tokenize;
pub mod vocab;
mod write;

pub use files::gzip;
pub use runtime::{RUNTIME, compact_runtime};
pub use synonyms::Synonyms;
pub use write::{Stats, write};

/// Version of the index format (`meta.json` `format`). 3: parts are
/// numbered by headline, and `facets.bin` gives each part's document. 4: a
/// frequent token's postings are a head in its shard and a tail file. 5:
/// terms with the same postings share one tail file. 6: synonyms in
/// `syn/` by the first character of their key, not in `meta.json`. 7: a
/// tail is also blocks of 4,096 postings in record order, listed in the
/// head.
pub const FORMAT: u32 = 7;

/// Records per display shard (`r/<n>.json`).
pub const RECORDS_PER_SHARD: usize = 32;
