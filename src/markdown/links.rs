//! Links in a body: `@/path.md#anchor` resolved to URLs and recorded for
//! validation; links and images to unsafe schemes dropped and reported.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::{BlockedLink, FoundLink, Resolve, Walk};

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

impl<'a> Walk<'_, 'a> {
    /// A link: an `@/` target resolved (`#` when it has no page), a safe
    /// one kept, an unsafe one dropped with its end tag.
    pub(super) fn link(&mut self, ev: &Event<'a>, range: &Range<usize>, resolver: &dyn Resolve) {
        let Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) = ev
        else {
            return;
        };
        let dest = dest_url.to_string();
        if let Some(rest) = dest.strip_prefix("@/") {
            let (target, anchor) = match rest.split_once('#') {
                Some((t, a)) => (t.to_string(), Some(a.to_string())),
                None => (rest.to_string(), None),
            };
            let url = resolver.url_of(&target).map(|u| match &anchor {
                Some(a) => format!("{u}#{a}"),
                None => u,
            });
            self.out.links.push(FoundLink {
                target,
                anchor,
                offset: range.start,
            });
            self.html.push(Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: CowStr::from(url.unwrap_or_else(|| "#".into())),
                title: title.clone(),
                id: id.clone(),
            }));
        } else if is_safe_url(&dest) {
            self.html.push(ev.clone());
        } else {
            self.out.blocked.push(BlockedLink {
                url: dest,
                offset: range.start,
            });
            self.skip_link_end = true;
        }
    }

    /// An image with an unsafe or `@/` source: dropped with its end tag.
    pub(super) fn block_image(&mut self, dest_url: &str, range: &Range<usize>) {
        self.out.blocked.push(BlockedLink {
            url: dest_url.to_string(),
            offset: range.start,
        });
        self.skip_image_end = true;
    }
}
