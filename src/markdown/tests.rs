//! Unit tests of Markdown rendering: ids, links, raw HTML, extensions.

use std::collections::HashMap;

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
    let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~删~~ 注[^1]\n\n[^1]: 脚注\n\n- [x] 完成\n");
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

#[test]
fn first_paragraph_has_no_control_characters() {
    assert_eq!(
        md("第一段\u{0b}含有\u{01}控制\u{7f}字符。\n\n第二段").first_paragraph,
        "第一段含有控制字符。"
    );
}

#[test]
fn table_rows_wider_than_their_header_are_found() {
    let r = md("| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n| 1 | 2 | 3 | 4 |\n| a \\| b | `x|y` |\n");
    assert_eq!(r.long_rows.len(), 1, "{:?}", r.long_rows);
    assert_eq!((r.long_rows[0].cells, r.long_rows[0].columns), (4, 2));
    assert_eq!(super::table_cells("1 | 2 | 3"), 3);
    assert_eq!(super::table_cells("| 1 | 2 |"), 2);
}
