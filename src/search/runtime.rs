//! The browser runtime (`runtime/search.js`), built in next to the writer
//! whose files it reads, and the compaction of it and the theme's
//! `search-ui.js` before they are published.

use std::collections::BTreeMap;

/// The search runtime, published at the site root: (name, contents, source
/// path). It reads the index this module writes, so it is built in next to
/// the writer rather than in the theme, and a site or theme `static/` file
/// of the same name is an error when the theme is loaded.
pub const RUNTIME: &[(&str, &[u8], &str)] = &[(
    "search.js",
    include_bytes!("runtime/search.js"),
    "src/search/runtime/search.js",
)];

/// Strips comment lines, comment blocks and indentation from the built-in
/// `search.js` and the theme's `search-ui.js` before they are published: the source
/// stays readable, and a first query carries about 2 KB less. Only
/// whole-line comments go, so code is never touched (the runtime has no
/// multi-line strings; a unit test keeps it so).
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

    #[test]
    fn the_runtime_compacts_safely() {
        for src in [
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/search/runtime/search.js"
            )),
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/themes/default/static/search-ui.js"
            )),
        ] {
            let c = compact_js(src);
            assert!(
                c.len() < src.len() * 90 / 100,
                "{} of {}",
                c.len(),
                src.len()
            );
            // No template literals, whose lines would lose their indentation.
            assert!(!c.contains('`'), "the runtime keeps to '…' strings");
            // A line that opens a string closes it (no multi-line strings).
            for line in c.lines() {
                assert!(!line.ends_with('\\'), "line continuation: {line}");
            }
        }
        assert_eq!(
            compact_js("/* a\n b */\n  var x = 1; // y\n\n  // z\n/** w */\nf();\n"),
            "var x = 1; // y\nf();\n"
        );
    }
}
