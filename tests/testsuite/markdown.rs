//! Markdown bodies as published: raw HTML sanitized, unsafe link schemes
//! dropped with a warning, template syntax shown literally, the GFM
//! extensions on, and heading ids that work for Chinese headings.
//! The body comes from the `markdown` fixture (`content/about/markdown.md`).

use crate::harness::Site;

const PAGE: &str = "public/about/markdown/index.html";

fn built() -> Site {
    let site = Site::fixture("minimal").overlay("markdown");
    site.build();
    site
}

/// The rendered body: the part of the page between the doc-content div and
/// the end of the article.
fn body(site: &Site) -> String {
    let html = site.read(PAGE);
    let start = html
        .find("<div class=\"doc-content\">")
        .expect("doc-content");
    let end = html[start..].find("</article>").expect("article end") + start;
    html[start..end].to_string()
}

#[test]
fn raw_script_and_event_handlers_are_removed() {
    let site = built();
    let body = body(&site);
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("alert(\"脚本\")"), "{body}");
    assert!(!body.contains("onerror"), "{body}");
    // The harmless part of the raw HTML stays.
    assert!(
        body.contains("<img src=\"photo.png\" alt=\"照片\">"),
        "{body}"
    );
}

#[test]
fn javascript_links_are_dropped_with_a_warning() {
    let site = Site::fixture("minimal").overlay("markdown");
    let run = site.build();
    insta::assert_snapshot!(run.stderr);
    let body = body(&site);
    assert!(!body.contains("javascript:"), "{body}");
    // The link text stays, as plain text.
    assert!(
        body.contains("<p>危险链接 和 <a href=\"https://www.gov.cn/\""),
        "{body}"
    );
    assert!(body.contains("href=\"mailto:a@example.gov.cn\""), "{body}");
}

#[test]
fn javascript_link_without_raw_html_is_dropped_too() {
    // No raw HTML in the body, so the sanitizer does not run: the link
    // filter alone must catch it, whatever the case of the scheme.
    let site = Site::fixture("minimal").file(
        "content/about/js.md",
        "+++\ntitle = \"链接\"\n+++\n\n[甲](JavaScript:alert(1)) [乙]( javascript:alert(2)) [丙](vbscript:x) ![丁](data:image/png;base64,AAAA)\n",
    );
    let run = site.build();
    assert_eq!(
        run.stderr.matches("警告：已删除不安全的链接地址").count(),
        4,
        "{}",
        run.stderr
    );
    let html = site.read("public/about/js/index.html");
    for bad in ["avascript:", "vbscript:", "data:image"] {
        assert!(!html.contains(bad), "{bad} in:\n{html}");
    }
}

#[test]
fn template_syntax_in_content_is_literal() {
    let site = built();
    let body = body(&site);
    assert!(
        body.contains("模板语法 {{ site.title }} 与 {% if true %}求值{% endif %} 应原样显示。"),
        "{body}"
    );
    assert!(body.contains("<code>{{ page.title }}</code>"), "{body}");
    assert!(!body.contains("测试市行政执法公示"), "{body}");
}

#[test]
fn table_footnote_strikethrough_and_task_list_render() {
    let site = built();
    let body = body(&site);
    assert!(
        body.contains("<table><thead><tr><th>编号</th><th>事项</th></tr></thead>"),
        "{body}"
    );
    assert!(body.contains("<td>亮照经营</td>"), "{body}");
    assert!(body.contains("class=\"table-wrap\""), "{body}");
    assert!(body.contains("<del>已删除的文字</del>"), "{body}");
    assert!(body.contains("class=\"footnote-reference\""), "{body}");
    assert!(body.contains("脚注内容。"), "{body}");
    assert!(body.contains("type=\"checkbox\" checked"), "{body}");
    assert!(body.contains("已完成的事项"), "{body}");
}

#[test]
fn headings_get_ids_and_a_table_of_contents() {
    let site = built();
    site.file_contains(PAGE, "<h2 id=\"第八条-行政指导\">第八条 行政指导</h2>")
        .file_contains(
            PAGE,
            "<h3 id=\"risk-points-与要点\">Risk Points 与要点</h3>",
        )
        // a repeated heading gets a distinct id
        .file_contains(PAGE, "<h2 id=\"第八条-行政指导-1\">第八条 行政指导</h2>")
        .file_contains(PAGE, "<a href=\"#第八条-行政指导\">第八条 行政指导</a>");
}

#[test]
fn heading_anchor_can_be_linked() {
    let site = Site::fixture("minimal").overlay("markdown").file(
        "content/about/to-heading.md",
        "+++\ntitle = \"链接到标题\"\n+++\n\n见[第八条](@/about/markdown.md#第八条-行政指导)。\n",
    );
    site.build();
    // The fragment is percent-encoded; browsers decode it to find the id.
    site.file_contains(
        "public/about/to-heading/index.html",
        "href=\"/about/markdown/#%E7%AC%AC%E5%85%AB%E6%9D%A1-%E8%A1%8C%E6%94%BF%E6%8C%87%E5%AF%BC\"",
    );
}

#[test]
fn first_paragraph_is_the_description() {
    let site = built();
    site.file_contains(
        PAGE,
        "<meta name=\"description\" content=\"第一段文字，用作摘要。\">",
    );
}

/// The `id` values that occur more than once in an HTML text.
fn duplicate_ids(html: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for part in html.split(" id=\"").skip(1) {
        let id = part.split('"').next().unwrap_or_default();
        *seen.entry(id.to_string()).or_default() += 1;
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn ids_are_unique_on_every_page() {
    let site = built();
    for (path, bytes) in site.tree("public") {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            assert_eq!(duplicate_ids(&html), Vec::<String>::new(), "{path}");
        }
    }
}

#[test]
fn heading_ids_never_repeat_theme_ids() {
    let site = Site::fixture("minimal").edit(
        "content/warnings/2025-catering-gas.md",
        "请各经营单位对照自查清单逐项检查。",
        "请各经营单位对照自查清单逐项检查。\n\n## Self check\n\n说明。",
    );
    site.build();
    let html = site.read("public/warnings/2025-catering-gas/index.html");
    assert_eq!(duplicate_ids(&html), Vec::<String>::new());
}

#[test]
fn unclosed_style_or_textarea_warns_at_its_opening_line() {
    let page = |body: &str| format!("+++\ntitle = \"页\"\n+++\n\n{body}");
    let site = Site::fixture("minimal")
        .file(
            "content/about/style.md",
            page("第一段。\n\n<style>\np { color: red }\n\n第二段，读者看不到。\n"),
        )
        .file(
            "content/about/textarea.md",
            page("第一段 <textarea name=\"x\"> 之后的文字\n\n第二段 **粗体**\n"),
        )
        .file(
            "content/about/plaintext.md",
            page("第一段。\n\n> 引用\n> <PLAINTEXT>\n"),
        )
        // None of these swallow anything.
        .file(
            "content/about/closed.md",
            page(
                "<style>p { color: red }</style>\n\n行内 <textarea>x</textarea> 代码 `<style>`\n\n\
                 ```html\n<textarea>\n```\n\n    <script>\n\n转义 \\<title> 与 &lt;xmp&gt;\n\n<!-- <iframe> -->\n",
            ),
        );
    let run = site.build();
    let ours: Vec<&str> = run
        .stderr
        .lines()
        .skip_while(|l| !l.starts_with("content/about/"))
        .take_while(|l| l.starts_with("content/about/") || l.starts_with("  提示"))
        .collect();
    insta::assert_snapshot!(ours.join("\n"));
    site.file_lacks("public/about/style/index.html", "第二段");
}

#[test]
fn a_table_row_wider_than_its_header_is_a_warning_at_its_line() {
    let site = Site::fixture("minimal").file(
        "content/about/table.md",
        "+++\ntitle = \"表格\"\n+++\n\n| 事项 | 处理方式 |\n|---|---|\n| 未亮照 | 责令改正 |\n| 未公示 | 责令改正 | 不予处罚 | 备注 |\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("content/about/table.md:8:1: 表格: 警告：这一行有 4 格，表头只有 2 列：多出的 2 格不会显示"),
        "{}",
        run.stderr
    );
}
