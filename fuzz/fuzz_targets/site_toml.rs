//! `site.toml` parsing and validation never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut diags = Vec::new();
    let _ = gongshi::config::Config::parse(text, &mut diags);
    for d in diags {
        let _ = d.to_string();
    }
});
