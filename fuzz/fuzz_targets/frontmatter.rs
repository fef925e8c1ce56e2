//! A whole source file through splitting, TOML/YAML parsing, field
//! validation and error location, as every typed folder and a plain page.
#![no_main]

use std::sync::OnceLock;

use gongshi::config::Config;
use gongshi::content::parse_text;
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| {
        let text = "title = \"t\"\nbase_url = \"https://x.cn/\"\n[agencies.scjg]\nname = \"局\"\n[industries.catering]\nname = \"餐饮\"\n[list_kinds.exempt]\nname = \"免罚\"\n[risk_levels.high]\nname = \"高\"\n";
        Config::parse(text, &mut Vec::new()).expect("fixed config parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Lines as a clerk's editor shows them: CRLF, LF and lone CR all end one.
    let lines = gongshi::source::frontmatter::normalize(text).split('\n').count();
    for below in ["lists/a/x.md", "guidance/x.md", "cases/x.md", "warnings/x.md", "about/x.md", "lists/_index.md"] {
        let (_, diags) = parse_text(text, "content/x.md", below, config());
        for d in diags {
            // Every diagnostic renders and points at a real line.
            let _ = d.to_string();
            assert!(d.line <= lines + 1, "{d:?} ({lines} lines)");
        }
    }
});
