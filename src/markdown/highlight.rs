//! Code highlighting with syntect, emitting CSS classes (`hl-…`) so pages
//! carry no inline styles and work under a strict Content-Security-Policy.
//! The syntax set loads on first use: most sites never show code.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn escape(s: &str) -> String {
    crate::escape::html(s)
}

/// A `<pre>` block for `code` in language `lang` (plain when unknown).
pub(super) fn code_block(code: &str, lang: &str) -> String {
    let lang_attr = escape(lang);
    if !lang.is_empty() {
        let ss = syntaxes();
        if let Some(syntax) = ss.find_syntax_by_token(lang) {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                return format!(
                    "<pre class=\"code\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
                    generator.finalize()
                );
            }
        }
    }
    let data = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{lang_attr}\"")
    };
    format!(
        "<pre class=\"code\"{data}><code>{}</code></pre>\n",
        escape(code)
    )
}

/// The stylesheet for the highlight classes (a light theme with dark text).
pub fn stylesheet() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default()
}
