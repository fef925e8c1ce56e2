//! Links in a body: `@/path.md#anchor` resolved to URLs and recorded for
//! validation; which schemes are safe, and links to others dropped and reported.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag};

/// An `@/` link found in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundLink {
    pub target: String,
    pub anchor: Option<String>,
    /// Byte offset in the body, for the line number.
    pub offset: usize,
    /// Written `@lists/…` without the `/`: resolved all the same, and
    /// reported so the source follows the contract.
    pub no_slash: bool,
}

/// A link whose scheme is not allowed (`javascript:`, `data:` …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockedLink {
    pub url: String,
    pub offset: usize,
}

/// How `@/` links become URLs.
pub trait Resolve {
    /// The root-relative URL of a source path below `content/`, if it exists.
    fn url_of(&self, target: &str) -> Option<String>;
}

impl Resolve for HashMap<String, String> {
    fn url_of(&self, target: &str) -> Option<String> {
        self.get(target).cloned()
    }
}

/// Whether a link target may appear in a page: relative, a fragment, or
/// http(s), mailto, tel.
pub fn is_safe_url(url: &str) -> bool {
    let u = url.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
    let scheme_end = u.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if u[i..].starts_with(':') => {
            let scheme = u[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// What becomes of a link.
pub(super) enum Link<'a> {
    /// An `@/` link: what was found, and the tag pointing at its URL (`#`
    /// when the target has no page).
    Internal(FoundLink, Event<'a>),
    /// A link to a safe scheme, kept as written.
    Safe,
    /// A link to an unsafe scheme: dropped with its end tag.
    Blocked(BlockedLink),
    /// A relative link to a Markdown source (`lists/a.md`, `../a.md`): no
    /// `.md` file is published, so it could never open. Kept as written
    /// and reported.
    Source(BlockedLink),
}

/// Sorts the link tag `ev` at byte `offset`; `None` for another event.
pub(super) fn link<'a>(ev: &Event<'a>, offset: usize, resolver: &dyn Resolve) -> Option<Link<'a>> {
    let Event::Start(Tag::Link {
        link_type,
        dest_url,
        title,
        id,
    }) = ev
    else {
        return None;
    };
    let dest = dest_url.to_string();
    let no_slash = dest.starts_with('@') && !dest.starts_with("@/");
    if let Some(rest) = dest.strip_prefix("@/").or_else(|| dest.strip_prefix('@')) {
        let (target, anchor) = match rest.split_once('#') {
            Some((t, a)) => (t.to_string(), Some(a.to_string())),
            None => (rest.to_string(), None),
        };
        let url = resolver.url_of(&target).map(|u| match &anchor {
            Some(a) => format!("{u}#{a}"),
            None => u,
        });
        let found = FoundLink {
            target,
            anchor,
            offset,
            no_slash,
        };
        let tag = Event::Start(Tag::Link {
            link_type: *link_type,
            dest_url: CowStr::from(url.unwrap_or_else(|| "#".into())),
            title: title.clone(),
            id: id.clone(),
        });
        Some(Link::Internal(found, tag))
    } else if is_source_path(&dest) {
        Some(Link::Source(BlockedLink { url: dest, offset }))
    } else if is_safe_url(&dest) {
        Some(Link::Safe)
    } else {
        Some(Link::Blocked(BlockedLink { url: dest, offset }))
    }
}

/// A relative address (no scheme, not `//host`) whose path ends in `.md`:
/// a Markdown source, which is never published.
fn is_source_path(url: &str) -> bool {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let scheme = path.find(':').is_some_and(|i| !path[..i].contains('/'));
    !scheme && !path.starts_with("//") && path.to_ascii_lowercase().ends_with(".md")
}
