//! Heading ids: slugs that keep Chinese text (`## 第八条` → `#第八条`) or the
//! author's `{#article-8}`, kept clear of the ids the templates use and
//! numbered when a page repeats a heading.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, TagEnd};

/// A heading, for the table of contents and anchor validation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Ids the built-in templates use; headings never take them, so a heading
/// such as “Self check” cannot clash with the page's own checklist.
const RESERVED_IDS: &[&str] = &[
    "main",
    "search-results",
    "search-q",
    "search-form",
    "header-q",
    "home-q",
    "q",
    "toc",
    "items",
    "risks",
    "self-check",
    "checklist",
    "browse-types",
];

/// Whether the templates may use `id` (fixed names and generated families).
fn is_reserved_id(id: &str) -> bool {
    let numbered = |prefix: &str| {
        id.strip_prefix(prefix)
            .map(|rest| rest.trim_end_matches("-title"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    RESERVED_IDS.contains(&id)
        || numbered("risk-")
        || numbered("check-risk-")
        || ["item-", "browse-", "industry-", "home-"]
            .iter()
            .any(|p| id.starts_with(p))
        || id.ends_with("-title")
}

/// A heading id from its text: lower case, letters and digits of any script
/// kept, spaces to `-`, other punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c.is_whitespace() || c == '-' || c == '.' || c == '·' {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// The ids given so far on one page.
#[derive(Default)]
pub(super) struct Ids(HashSet<String>);

impl Ids {
    /// `base`, or `base-1`, `base-2`… when the page already has it; ids the
    /// templates use get an `h-` prefix first, so they never clash.
    pub(super) fn unique(&mut self, base: String) -> String {
        let base = if is_reserved_id(&base) {
            format!("h-{base}")
        } else {
            base
        };
        let mut unique = base.clone();
        let mut n = 1;
        while !self.0.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        unique
    }
}

/// The text of the heading that starts at `events[i]` (its text and code
/// spans), from which its id and title are made.
pub(super) fn heading_text(events: &[(Event<'_>, Range<usize>)], i: usize) -> String {
    let mut j = i + 1;
    let mut text = String::new();
    while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
        if let Event::Text(t) | Event::Code(t) = &events[j].0 {
            text.push_str(t);
        }
        j += 1;
    }
    text
}

pub(super) fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
