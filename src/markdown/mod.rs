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

pub use highlight::stylesheet as highlight_css;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A heading, for the table of contents and anchor validation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// An `@/` link found in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundLink {
    pub target: String,
    pub anchor: Option<String>,
    /// Byte offset in the body, for the line number.
    pub offset: usize,
}

/// A link whose scheme is not allowed (`javascript:`, `data:` …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockedLink {
    pub url: String,
    pub offset: usize,
}

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

/// What rendering one body produced.
#[derive(Debug, Default)]
pub struct RenderedBody {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Plain text of the first paragraph, for summaries.
    pub first_paragraph: String,
    pub links: Vec<FoundLink>,
    pub blocked: Vec<BlockedLink>,
    /// Raw-text elements (`<style>`, `<textarea>` …) opened and never closed.
    pub unclosed: Vec<Unclosed>,
    pub had_raw_html: bool,
}

/// Elements whose content an HTML parser reads as plain text up to their
/// own end tag: left open, they take everything after them. `script` and
/// `style` are then dropped by the sanitizer (and a browser shows neither);
/// the others turn the rest of the page into literal tags.
pub const RAW_TEXT_TAGS: [&str; 10] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// A raw-text element in raw HTML without its end tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unclosed {
    /// Lower-case name, one of [`RAW_TEXT_TAGS`].
    pub tag: &'static str,
    /// Byte offset of its `<` in the body, for the line number.
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

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
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

/// Renders a Markdown body.
pub fn render(body: &str, resolver: &dyn Resolve, trust_html: bool) -> Rendered {
    let mut out = RenderedBody::default();
    let mut used_ids: HashSet<String> = HashSet::new();
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut html_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut i = 0;
    let mut skip_link_end = false;
    let mut skip_image_end = false;
    let mut first_para: Option<String> = None;
    let mut in_first_para = false;
    let mut raw: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Gather the heading's text to derive its id.
                let mut j = i + 1;
                let mut text = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let base = id
                    .as_ref()
                    .map_or_else(|| slugify(&text), |s| s.to_string());
                // Ids the templates use get a prefix, so they never clash.
                let base = if is_reserved_id(&base) {
                    format!("h-{base}")
                } else {
                    base
                };
                let mut unique = base.clone();
                let mut n = 1;
                while !used_ids.insert(unique.clone()) {
                    unique = format!("{base}-{n}");
                    n += 1;
                }
                let lvl = heading_level(*level);
                out.headings.push(Heading {
                    level: lvl,
                    id: unique.clone(),
                    title: text.trim().to_string(),
                });
                html_events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
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
                    out.links.push(FoundLink {
                        target,
                        anchor,
                        offset: range.start,
                    });
                    html_events.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: CowStr::from(url.unwrap_or_else(|| "#".into())),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                } else if is_safe_url(&dest) {
                    html_events.push(ev.clone());
                } else {
                    out.blocked.push(BlockedLink {
                        url: dest,
                        offset: range.start,
                    });
                    skip_link_end = true;
                }
            }
            Event::End(TagEnd::Link) if skip_link_end => skip_link_end = false,
            Event::Start(Tag::Image { dest_url, .. })
                if !is_safe_url(dest_url) || dest_url.starts_with("@/") =>
            {
                out.blocked.push(BlockedLink {
                    url: dest_url.to_string(),
                    offset: range.start,
                });
                skip_image_end = true;
            }
            Event::End(TagEnd::Image) if skip_image_end => skip_image_end = false,
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
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
                html_events.push(Event::Html(CowStr::from(highlight::code_block(
                    &code, &lang,
                ))));
                i = j + 1;
                continue;
            }
            Event::Start(Tag::Table(_)) => {
                html_events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"表格\">",
                )));
                html_events.push(ev.clone());
            }
            Event::End(TagEnd::Table) => {
                html_events.push(ev.clone());
                html_events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::Start(Tag::Paragraph) if first_para.is_none() => {
                in_first_para = true;
                first_para = Some(String::new());
                html_events.push(ev.clone());
            }
            Event::End(TagEnd::Paragraph) if in_first_para => {
                in_first_para = false;
                html_events.push(ev.clone());
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                out.had_raw_html = true;
                raw.push((t, range.clone()));
                html_events.push(ev.clone());
            }
            Event::Text(t) | Event::Code(t) => {
                if in_first_para && let Some(p) = first_para.as_mut() {
                    p.push_str(t);
                }
                html_events.push(ev.clone());
            }
            Event::SoftBreak | Event::HardBreak if in_first_para => html_events.push(ev.clone()),
            _ => html_events.push(ev.clone()),
        }
        i += 1;
    }
    out.unclosed = unclosed_raw_text(body, &raw);
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
        html = sanitize(&html);
    }
    // Kept for the whole build: without the room left for growth.
    html.shrink_to_fit();
    out.html = html;
    Rendered(std::sync::Arc::new(out))
}

/// Finds a raw-text element left open in the raw HTML of a body, read as
/// the sanitizer and a browser read it: the pieces of raw HTML in order
/// (text, code spans and escaped `\<` are not markup, so never count),
/// comments skipped, a raw-text element's content skipped up to its end tag.
/// Only the first is reported: everything after it is text.
fn unclosed_raw_text(body: &str, raw: &[(&str, std::ops::Range<usize>)]) -> Vec<Unclosed> {
    if raw.is_empty() {
        return Vec::new();
    }
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(raw.len());
    for (text, _) in raw {
        starts.push(joined.len());
        joined.push_str(text);
    }
    let lower = joined.to_ascii_lowercase();
    let mut pos = 0;
    while let Some(i) = lower[pos..].find('<').map(|i| pos + i) {
        let rest = &lower[i + 1..];
        if rest.starts_with("!--") {
            match rest.find("-->") {
                Some(end) => pos = i + 1 + end + 3,
                None => break,
            }
            continue;
        }
        let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let ends_name = rest[name_len..]
            .bytes()
            .next()
            .is_none_or(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/');
        let Some(tag) = RAW_TEXT_TAGS
            .iter()
            .find(|t| ends_name && **t == &rest[..name_len])
        else {
            pos = i + 1;
            continue;
        };
        let content = rest.find('>').map_or(lower.len(), |g| i + 1 + g + 1);
        let close = format!("</{tag}");
        match lower[content..].find(&close) {
            Some(c) if *tag != "plaintext" => pos = content + c + close.len(),
            _ => {
                // Back from the joined text to the body: the piece holding
                // the tag, then the tag within the piece's source (which may
                // carry `> ` quote markers the piece lacks).
                let piece = starts.partition_point(|&s| s <= i) - 1;
                let range = &raw[piece].1;
                let within = i - starts[piece];
                let source = body.get(range.clone()).unwrap_or("").to_ascii_lowercase();
                let open = format!("<{tag}");
                let at = source
                    .match_indices(&open)
                    .map(|(k, _)| k)
                    .find(|&k| k >= within)
                    .or_else(|| source.find(&open))
                    .unwrap_or(0);
                return vec![Unclosed {
                    tag,
                    offset: range.start + at,
                }];
            }
        }
    }
    Vec::new()
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The allowlist for raw HTML: ammonia's defaults (no script, style, event
/// handlers or `style` attributes), our own ids and classes, task-list
/// checkboxes, table scroll regions; links only to safe schemes.
fn sanitize(html: &str) -> String {
    use std::sync::OnceLock;
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let cleaner = CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"])
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("div", ["tabindex", "role", "aria-label"])
            .add_tag_attributes("pre", ["data-lang"])
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"));
        b
    });
    cleaner.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_raw_text_elements_are_found_and_closed_ones_are_not() {
        let found = |s: &str| {
            md(s)
                .unclosed
                .iter()
                .map(|u| (u.tag, s[u.offset..u.offset + u.tag.len() + 1].to_string()))
                .collect::<Vec<_>>()
        };
        for tag in RAW_TEXT_TAGS {
            let body = format!("前文\n\n<{tag}>\n\n后文\n");
            assert_eq!(found(&body), [(tag, format!("<{tag}"))]);
            let inline = format!("前文 <{tag} class=\"x\"> 后文\n");
            assert_eq!(found(&inline).len(), 1, "{inline}");
        }
        assert_eq!(found("a\n\n> <STYLE>\n> x\n")[0].1, "<STYLE");
        assert_eq!(found("x\n\n<plaintext></plaintext>\n")[0].0, "plaintext");
        for quiet in [
            "<style>p { color: red }</style>\n\n后文\n",
            "<style>\np {}\n</style>\n\n后文\n",
            "前文 <textarea>x</textarea> 后文\n",
            "前文 <textarea>\n\n中间\n\n</textarea>\n",
            "代码 `<style>` 与 `<textarea>`\n",
            "```html\n<style>\n<script>\n```\n",
            "    <style>\n",
            "转义 \\<style> 与 &lt;textarea&gt;\n",
            "<!-- <style> -->\n\n后文\n",
            "<stylesheet> <titles> <scripts>\n",
            "<div>\n<script>a < b</script>\n</div>\n",
        ] {
            assert_eq!(found(quiet), [], "{quiet}");
        }
    }

    fn md(s: &str) -> Rendered {
        let mut urls = HashMap::new();
        urls.insert("lists/a.md".to_string(), "/zhifa/lists/a/".to_string());
        render(s, &urls, false)
    }

    #[test]
    fn chinese_heading_ids() {
        let r = md(
            "## 第八条 行政指导\n\n## 第八条 行政指导\n\n### Risk Points\n\n## 第十条 {#article-10}\n",
        );
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "第八条-行政指导",
                "第八条-行政指导-1",
                "risk-points",
                "article-10"
            ]
        );
        assert!(r.html.contains("<h2 id=\"第八条-行政指导\">"), "{}", r.html);
    }

    #[test]
    fn internal_links_resolve_and_are_recorded() {
        let r = md("见[清单](@/lists/a.md#item-X)和[缺失](@/lists/none.md)。");
        assert!(
            r.html.contains("href=\"/zhifa/lists/a/#item-X\""),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[1].target, "lists/none.md");
    }

    #[test]
    fn unsafe_links_and_raw_html_are_neutralized() {
        let r = md(
            "[点我](javascript:alert(1)) ![x](data:image/png;base64,AAAA)\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n",
        );
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(r.html.contains("点我"));
        assert_eq!(r.blocked.len(), 2);
    }

    #[test]
    fn trusted_html_passes() {
        let r = render("<div class=\"x\">a</div>\n", &HashMap::new(), true);
        assert!(r.html.contains("<div class=\"x\">a</div>"));
    }

    #[test]
    fn extensions_on() {
        let r =
            md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~删~~ 注[^1]\n\n[^1]: 脚注\n\n- [x] 完成\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("class=\"table-wrap\""));
        assert!(r.html.contains("<del>删</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("checkbox"));
    }

    #[test]
    fn table_alignment_uses_classes_not_inline_styles() {
        let r = md("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n");
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(
            r.html.contains("<th class=\"align-left\">a</th>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td class=\"align-center\">2</td>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td class=\"align-right\">3</td>"),
            "{}",
            r.html
        );
        let raw = md("| a |\n|--:|\n| <b>1</b> |\n");
        assert!(raw.html.contains("class=\"align-right\""), "{}", raw.html);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let r = md("```json\n{\"a\": 1}\n```\n");
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="));
    }

    #[test]
    fn safe_urls() {
        assert!(is_safe_url("https://a.cn"));
        assert!(is_safe_url("../a"));
        assert!(is_safe_url("#item-1"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JavaScript:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("vbscript:x"));
    }

    #[test]
    fn first_paragraph() {
        assert_eq!(
            md("## 标题\n\n第一段**加粗**文字。\n\n第二段").first_paragraph,
            "第一段加粗文字。"
        );
    }
}
