//! Markdown rendering with sanitizing: never panics, and no script, event
//! handler or dangerous URL scheme survives into the HTML.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut urls = HashMap::new();
    urls.insert("lists/a.md".to_string(), "/lists/a/".to_string());
    let r = gongshi::markdown::render(text, &urls, false);
    let lower = r.html.to_ascii_lowercase();
    for bad in ["<script", "javascript:", "vbscript:", "<iframe", "<object", "<embed", " onerror=", " onload=", " onclick="] {
        assert!(!lower.contains(bad), "{bad} in {}", r.html);
    }
    assert!(!lower.contains("href=\"data:") && !lower.contains("src=\"data:"), "{}", r.html);
});
