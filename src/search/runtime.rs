//! The browser runtime (`runtime/*.js`, published minified as `search.js`),
//! built in next to the writer whose files it reads, and the compaction of
//! the theme's `search-ui.js` before it is published.

use std::collections::BTreeMap;

/// The runtime: one function scope in five parts, concatenated in
/// file-name order (which the node tests follow too; a test keeps this
/// list and the folder the same). The build publishes its minified form,
/// [`SEARCH_MIN_JS`]; the tests read the source.
#[cfg(test)]
pub(crate) const SEARCH_JS: &str = concat!(
    include_str!("runtime/1-tokenize.js"),
    include_str!("runtime/2-load.js"),
    include_str!("runtime/3-query.js"),
    include_str!("runtime/4-early.js"),
    include_str!("runtime/5-results.js"),
);

/// [`SEARCH_JS`] minified by terser (`node tests/browser/minify-runtime.mjs`
/// writes it; its first line, a comment naming the parts' FNV-1a, is
/// dropped by [`compact_runtime`]): a first query fetches about 9.6 KB of
/// gzipped runtime instead of 11.9 KB. Built by hand and committed, as the
/// build runs no JavaScript tools; `cargo test` fails when a part changed
/// and this did not, and the browser suite checks it is terser's output.
const SEARCH_MIN_JS: &str = include_str!("runtime.min.js");

/// The search runtime, published at the site root: (name, contents, source
/// path). It reads the index this module writes, so it is built in next to
/// the writer rather than in the theme, and a site or theme `static/` file
/// of the same name is an error when the theme is loaded.
pub const RUNTIME: &[(&str, &[u8], &str)] =
    &[("search.js", SEARCH_MIN_JS.as_bytes(), "src/search/runtime/")];

/// Strips comment lines, comment blocks and indentation from the theme's
/// `search-ui.js` (and the first-line comment of the minified `search.js`)
/// before they are published: the source stays readable, and a search page
/// carries less. Only whole-line comments go, so code is never touched
/// (the script has no multi-line strings; a unit test keeps it so).
pub fn compact_runtime(statics: &mut BTreeMap<String, Vec<u8>>) {
    for name in ["search.js", "search-ui.js"] {
        if let Some(src) = statics
            .get(name)
            .and_then(|b| String::from_utf8(b.clone()).ok())
        {
            statics.insert(name.into(), compact_js(&src).into_bytes());
        }
    }
}

fn compact_js(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut in_block = false;
    for line in src.lines() {
        let t = line.trim();
        if in_block {
            in_block = !t.contains("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_block = !t.contains("*/");
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed minified runtime was made from the parts as they are
    /// now (its first line names their hash).
    #[test]
    fn the_minified_runtime_is_of_the_current_parts() {
        let digest = format!(
            "(fnv1a {:08x})",
            crate::search::tokenize::token_hash(SEARCH_JS)
        );
        let first = SEARCH_MIN_JS.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("// gongshi search runtime") && first.contains(&digest),
            "src/search/runtime.min.js is not the current runtime {digest}: \
             run node tests/browser/minify-runtime.mjs (after npm ci in tests/browser)"
        );
        let published = compact_js(SEARCH_MIN_JS);
        assert_eq!(published, SEARCH_MIN_JS.split_once('\n').unwrap().1);
    }

    #[test]
    fn the_ui_script_compacts_safely() {
        let src = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/search-ui.js"
        ));
        let c = compact_js(src);
        assert!(
            c.len() < src.len() * 90 / 100,
            "{} of {}",
            c.len(),
            src.len()
        );
        // No template literals, whose lines would lose their indentation.
        assert!(!c.contains('`'), "search-ui.js keeps to '…' strings");
        // A line that opens a string closes it (no multi-line strings).
        for line in c.lines() {
            assert!(!line.ends_with('\\'), "line continuation: {line}");
        }
        assert_eq!(
            compact_js("/* a\n b */\n  var x = 1; // y\n\n  // z\n/** w */\nf();\n"),
            "var x = 1; // y\nf();\n"
        );
    }

    const PARTS: [&str; 5] = [
        "1-tokenize.js",
        "2-load.js",
        "3-query.js",
        "4-early.js",
        "5-results.js",
    ];

    /// `PARTS` is the folder's `.js` files in name order, `SEARCH_JS` their
    /// concatenation, and each part is under 600 lines.
    #[test]
    fn the_runtime_is_its_parts_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/search/runtime");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".js"))
            .collect();
        names.sort();
        assert_eq!(names, PARTS);
        let mut all = String::new();
        for n in PARTS {
            let part = std::fs::read_to_string(dir.join(n)).unwrap();
            assert!(part.lines().count() < 600, "{n}");
            all.push_str(&part);
        }
        assert_eq!(all, SEARCH_JS);
    }
}
