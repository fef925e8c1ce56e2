//! Markdown → HTML: pulldown-cmark options in one place, plus what a
//! government site needs on top of CommonMark:
//!
//! - heading ids that work for Chinese headings (`## 第八条` → `#第八条`),
//!   or the explicit `{#article-8}` the author gives;
//! - `@/path.md#anchor` internal links resolved to URLs and reported for
//!   validation;
//! - link targets limited to safe schemes, and raw HTML sanitized by an
//!   allowlist unless the site trusts it;
//! - code highlighted by syntect with CSS classes (no inline styles);
//! - wide tables wrapped in a focusable scroll region.

mod highlight;
mod ids;
mod links;
mod sanitize;
#[cfg(test)]
mod tests;

pub use highlight::stylesheet as highlight_css;
pub use ids::{Heading, slugify};
pub use links::{BlockedLink, FoundLink, Resolve, is_safe_url};
pub use sanitize::{RAW_TEXT_TAGS, Unclosed};

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use links::Link;

/// The result of rendering one body; cheap to clone (shared), so a live
/// preview keeps bodies across builds while the search index reads them.
#[derive(Clone, Debug, Default)]
pub struct Rendered(std::sync::Arc<RenderedBody>);

impl std::ops::Deref for Rendered {
    type Target = RenderedBody;

    fn deref(&self) -> &RenderedBody {
        &self.0
    }
}

/// A table row wider than its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LongRow {
    /// Byte offset of the row in the body.
    pub offset: usize,
    pub cells: usize,
    pub columns: usize,
}

/// What rendering one body produced.
#[derive(Debug, Default)]
pub struct RenderedBody {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Plain text of the first paragraph, for summaries.
    pub first_paragraph: String,
    pub links: Vec<FoundLink>,
    pub blocked: Vec<BlockedLink>,
    /// Relative links to Markdown sources (`lists/a.md`), kept as written.
    pub source_links: Vec<BlockedLink>,
    /// Table rows with more cells than the header has columns: the extra
    /// cells are not shown (GFM).
    pub long_rows: Vec<LongRow>,
    /// Raw-text elements (`<style>`, `<textarea>` …) opened and never closed.
    pub unclosed: Vec<Unclosed>,
    pub had_raw_html: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a Markdown body.
pub fn render(body: &str, resolver: &dyn Resolve, trust_html: bool) -> Rendered {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut walk = Walk::new(events.len());
    let mut i = 0;
    while i < events.len() {
        i = walk.step(&events, i, resolver);
    }
    walk.finish(body, trust_html)
}

/// One body on its way to HTML: the events to write, and what was found in
/// them (headings, links, raw HTML, the first paragraph).
struct Walk<'e, 'a> {
    out: RenderedBody,
    html: Vec<Event<'a>>,
    ids: ids::Ids,
    /// The end tag of a dropped link or image is dropped too.
    skip_link_end: bool,
    skip_image_end: bool,
    first_para: Option<String>,
    in_first_para: bool,
    /// The pieces of raw HTML and where they stand in the body.
    raw: Vec<(&'e str, Range<usize>)>,
    /// Body rows of tables and their header's number of columns.
    rows: Vec<(Range<usize>, usize)>,
    columns: usize,
}

impl<'e, 'a> Walk<'e, 'a> {
    fn new(events: usize) -> Self {
        Walk {
            out: RenderedBody::default(),
            html: Vec::with_capacity(events),
            ids: ids::Ids::default(),
            skip_link_end: false,
            skip_image_end: false,
            first_para: None,
            in_first_para: false,
            raw: Vec::new(),
            rows: Vec::new(),
            columns: 0,
        }
    }

    /// Takes the event at `i` (with those it owns, for a code block); returns
    /// the index of the next.
    fn step(
        &mut self,
        events: &'e [(Event<'a>, Range<usize>)],
        i: usize,
        resolver: &dyn Resolve,
    ) -> usize {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading { .. }) => self.heading(events, i),
            Event::Start(Tag::Link { .. }) => match links::link(ev, range.start, resolver) {
                Some(Link::Internal(found, tag)) => {
                    self.out.links.push(found);
                    self.html.push(tag);
                }
                Some(Link::Safe) | None => self.html.push(ev.clone()),
                Some(Link::Source(link)) => {
                    self.out.source_links.push(link);
                    self.html.push(ev.clone());
                }
                Some(Link::Blocked(blocked)) => {
                    self.out.blocked.push(blocked);
                    self.skip_link_end = true;
                }
            },
            Event::End(TagEnd::Link) if self.skip_link_end => self.skip_link_end = false,
            Event::Start(Tag::Image { dest_url, .. })
                if !is_safe_url(dest_url) || dest_url.starts_with("@/") =>
            {
                self.out.blocked.push(BlockedLink {
                    url: dest_url.to_string(),
                    offset: range.start,
                });
                self.skip_image_end = true;
            }
            Event::End(TagEnd::Image) if self.skip_image_end => self.skip_image_end = false,
            Event::Start(Tag::CodeBlock(kind)) => return self.code_block(events, i, kind),
            Event::Start(Tag::TableRow) => {
                self.rows.push((range.clone(), self.columns));
                self.html.push(ev.clone());
            }
            Event::Start(Tag::Table(alignments)) => {
                self.columns = alignments.len();
                self.html.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"表格\">",
                )));
                self.html.push(ev.clone());
            }
            Event::End(TagEnd::Table) => {
                self.html.push(ev.clone());
                self.html.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::Start(Tag::Paragraph) if self.first_para.is_none() => {
                self.in_first_para = true;
                self.first_para = Some(String::new());
                self.html.push(ev.clone());
            }
            Event::End(TagEnd::Paragraph) if self.in_first_para => {
                self.in_first_para = false;
                self.html.push(ev.clone());
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                self.out.had_raw_html = true;
                self.raw.push((t, range.clone()));
                self.html.push(ev.clone());
            }
            Event::Text(t) | Event::Code(t) => {
                if self.in_first_para
                    && let Some(p) = self.first_para.as_mut()
                {
                    // The summary of listings, feeds and search: without
                    // control characters (a line break or tab is a space).
                    p.extend(t.chars().filter_map(|c| match c {
                        '\t' | '\n' | '\r' => Some(' '),
                        c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => None,
                        c => Some(c),
                    }));
                }
                self.html.push(ev.clone());
            }
            _ => self.html.push(ev.clone()),
        }
        i + 1
    }

    /// The heading that starts at `events[i]`: its id from `{#id}` or its
    /// text, recorded for the table of contents and written into the tag.
    fn heading(&mut self, events: &[(Event<'a>, Range<usize>)], i: usize) {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i].0
        else {
            return;
        };
        let text = ids::heading_text(events, i);
        let base = id
            .as_ref()
            .map_or_else(|| slugify(&text), |s| s.to_string());
        let unique = self.ids.unique(base);
        self.out.headings.push(Heading {
            level: ids::heading_level(*level),
            id: unique.clone(),
            title: text.trim().to_string(),
        });
        self.html.push(Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(unique)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
    }

    /// A code block, highlighted as one piece of HTML; returns the index
    /// after its end.
    fn code_block(
        &mut self,
        events: &[(Event<'a>, Range<usize>)],
        i: usize,
        kind: &CodeBlockKind<'_>,
    ) -> usize {
        let lang = match kind {
            CodeBlockKind::Fenced(l) => l.split([' ', ',', '{']).next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        let mut j = i + 1;
        while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::CodeBlock)) {
            if let Event::Text(t) = &events[j].0 {
                code.push_str(t);
            }
            j += 1;
        }
        self.html
            .push(Event::Html(CowStr::from(highlight::code_block(
                &code, &lang,
            ))));
        j + 1
    }

    /// Writes the HTML (classes for column alignment, raw HTML sanitized
    /// unless trusted) and hands over what was found.
    fn finish(self, body: &str, trust_html: bool) -> Rendered {
        let Walk {
            mut out,
            html: html_events,
            first_para,
            raw,
            rows,
            ..
        } = self;
        out.long_rows = rows
            .into_iter()
            .filter_map(|(range, columns)| {
                let line = body.get(range.clone())?.lines().next()?;
                let cells = table_cells(line);
                (cells > columns).then_some(LongRow {
                    offset: range.start,
                    cells,
                    columns,
                })
            })
            .collect();
        out.unclosed = sanitize::unclosed_raw_text(body, &raw);
        out.first_paragraph = first_para.unwrap_or_default().trim().to_string();
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, html_events.into_iter());
        // Column alignment comes out as `style="text-align: …"`, which a strict
        // Content-Security-Policy blocks (found by fuzzing); use classes. Text is
        // escaped, so this attribute text can only occur inside a tag.
        if html.contains(" style=\"text-align: ") {
            html = html
                .replace(" style=\"text-align: left\"", " class=\"align-left\"")
                .replace(" style=\"text-align: center\"", " class=\"align-center\"")
                .replace(" style=\"text-align: right\"", " class=\"align-right\"");
        }
        if out.had_raw_html && !trust_html {
            html = sanitize::sanitize(&html);
        }
        // Kept for the whole build: without the room left for growth.
        html.shrink_to_fit();
        out.html = html;
        Rendered(std::sync::Arc::new(out))
    }
}

/// How many cells a GFM table row's source line has: `|` separated, the
/// outer pipes optional, `\|` and pipes inside code spans not counted.
fn table_cells(line: &str) -> usize {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let mut cells = 1;
    let (mut escaped, mut code) = (false, false);
    let mut last_pipe = false;
    for c in t.chars() {
        last_pipe = false;
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '`' if !escaped => code = !code,
            '|' if !escaped && !code => {
                cells += 1;
                last_pipe = true;
            }
            _ => {}
        }
        escaped = false;
    }
    if last_pipe { cells - 1 } else { cells }
}
