//! Injected markup in every output, failing builds that leave `public/`
//! byte-identical, invalid UTF-8, and a theme name that leads out.

use super::*;

const HOSTILE: &str = r#"+++
title = "标题</script><script>alert(1)</script>&amp; ]]> <b>粗</b>"
date = 2025-01-01
agency = "scjg"
kind = "exempt"
summary = "摘要 </script><img src=x onerror=alert(1)> {{ 7*7 }} \u0001"
tags = ["<script>alert(1)</script>"]

[[items]]
id = "X-1"
violation = "<script>alert('item')</script>"
basis = "javascript:alert(1)"
conditions = "{% if true %}模板{% endif %}"
handling = "<img src=x onerror=alert(1)>"
+++

正文 <script>alert(1)</script> <img src=x onerror="alert(1)"> <iframe src="https://evil.example"></iframe>

[点我](javascript:alert(1)) [数据](data:text/html,<script>alert(1)</script>) [大写](JaVaScRiPt:alert(1))
![图](data:image/svg+xml,<svg onload=alert(1)>)

<a href="javascript:alert(1)">原始链接</a> <a href="vbscript:x">v</a> <form action="https://evil.example"><input name=q></form>

{{ 7*7 }} {% raw %}{% endraw %}
"#;

/// Every string in a JSON value, keys included.
fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            json_strings(x, out);
        }),
        _ => {}
    }
}

#[test]
fn json_files_carry_no_live_markup() {
    let site = Site::fixture("minimal").file("content/lists/scjg/hostile.md", HOSTILE);
    site.build();
    let title = "标题</script><script>alert(1)</script>&amp; ]]> <b>粗</b>";
    let mut seen: Vec<String> = Vec::new();
    for (path, bytes) in tree(&site.path("public")) {
        let json = if path.ends_with(".json") {
            bytes
        } else if path.ends_with(".json.gz") {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            out
        } else {
            continue;
        };
        for b in [b'<', b'>', b'&'] {
            assert!(
                !json.contains(&b),
                "{path} has a raw {}:\n{}",
                b as char,
                String::from_utf8_lossy(&json)
            );
        }
        let value: serde_json::Value =
            serde_json::from_slice(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut strings = Vec::new();
        json_strings(&value, &mut strings);
        if strings.iter().any(|s| s == title) {
            seen.push(path.clone());
        }
        if path.starts_with("data/") && path.ends_with("hostile.json") {
            assert!(
                strings
                    .iter()
                    .any(|s| s == "<script>alert('item')</script>")
            );
        }
    }
    // The list data, the catalog and a search display shard, each also gzipped.
    let kinds = |p: &str| seen.iter().filter(|s| s.contains(p)).count();
    assert!(kinds("hostile.json") >= 1, "{seen:?}");
    assert!(kinds("catalog.json") >= 1, "{seen:?}");
    assert!(kinds("search/r/") >= 2, "{seen:?}");
}

#[test]
fn injected_markup_never_reaches_a_reader() {
    let site = Site::fixture("minimal").file("content/lists/scjg/hostile.md", HOSTILE);
    let run = site.build();
    assert!(
        run.stderr.contains("已删除不安全的链接地址"),
        "{}",
        run.stderr
    );
    let files = tree(&site.path("public"));
    for (path, bytes) in &files {
        let text_file = [".html", ".xml", ".json", ".txt", ".js", ".css"]
            .iter()
            .any(|e| path.ends_with(e));
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if !text_file {
            continue;
        }
        assert!(!text.contains('\u{1}'), "control character reached {path}");
        if path.ends_with(".xml") {
            roxmltree::Document::parse(text)
                .unwrap_or_else(|e| panic!("{path} is not well-formed XML: {e}"));
        }
        if path.ends_with(".html") {
            for tag in tags(text) {
                let lower = tag.to_ascii_lowercase();
                let name = lower
                    .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
                    .next()
                    .unwrap_or("");
                let own = (name == "script" && lower.contains(" src=\"/"))
                    || (name == "form" && lower.contains(" action=\"/"));
                assert!(
                    own || !["script", "iframe", "object", "embed", "form"].contains(&name),
                    "<{tag}> in {path}"
                );
                for (attr, value) in attributes(&lower) {
                    assert!(
                        !attr.starts_with("on"),
                        "event handler {attr} in <{tag}> in {path}"
                    );
                    if [
                        "href",
                        "src",
                        "action",
                        "formaction",
                        "srcset",
                        "xlink:href",
                    ]
                    .contains(&attr.as_str())
                    {
                        let v = value.trim_start();
                        for bad in ["javascript:", "vbscript:", "data:"] {
                            assert!(!v.starts_with(bad), "{attr}={value} in <{tag}> in {path}");
                        }
                    }
                }
            }
        }
    }
    let page = site.read("public/lists/scjg/hostile/index.html");
    assert!(page.contains("标题&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp; ]]&gt; &lt;b&gt;粗&lt;/b&gt;"), "{page}");
    assert!(
        page.contains("{{ 7*7 }}") && !page.contains(">49<"),
        "template syntax in content must stay literal"
    );
    assert!(page.contains("{% if true %}模板{% endif %}"));
    let feed = site.read("public/lists/atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed parses");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles.contains(&"标题</script><script>alert(1)</script>&amp; ]]> <b>粗</b>"),
        "{titles:?}"
    );
}

/// A tag's attributes as (name, value), quoted values skipped over properly.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let b = tag.as_bytes();
    let mut i = b
        .iter()
        .position(|c| c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let mut out = Vec::new();
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = tag[start..i].to_string();
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                i = vs + b[vs..].iter().position(|&c| c == q).unwrap_or(b.len() - vs);
                value = tag[vs..i].to_string();
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = tag[vs..i].to_string();
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// The insides of every tag (`a href="…"`) in an HTML text, comments skipped.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |j| &after[j + 3..]);
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

#[test]
fn json_diagnostics_escape_hostile_values() {
    let site = Site::fixture("minimal").file(
        "content/guidance/x.md",
        "+++\ntitle = \"t\"\ndate = 2025-01-01\nagency = \"</script><script>alert(1)</script>\"\nmethod = \"remind\"\n+++\n",
    );
    let run = site.run(&["check", "--format", "json"]).failure();
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let message = parsed
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .find(|m| m.contains("</script>"))
        .expect("the agency message");
    assert!(
        message.contains("</script><script>alert(1)</script>"),
        "{message}"
    );
}

#[test]
fn every_failing_build_leaves_public_byte_identical() {
    let cases: &[(&str, &str)] = &[
        ("content/a.md", "+++\ntitle = \"a\"\nx = [\n+++\n"),
        ("content/a.md", "---\ntitle: [a\n---\n"),
        ("content/a.md", ""),
        ("content/a.md", "+++\ntitle = 3\n+++\n"),
        (
            "content/guidance/a.md",
            "+++\ntitle = \"a\"\ndate = 2024-02-30\nagency = \"scjg\"\nmethod = \"remind\"\n+++\n",
        ),
        (
            "content/guidance/a.md",
            "+++\ntitle = \"a\"\ndate = 2024-02-01\nagency = \"scjg\"\nmethod = \"remind\"\nbogus = 1\n+++\n",
        ),
        (
            "content/a.md",
            "+++\ntitle = \"a\"\n+++\n[x](@/missing.md)\n",
        ),
        ("site.toml", "title = \"x\"\nbase_url = 3\n"),
    ];
    for (rel, text) in cases {
        let site = Site::fixture("minimal");
        site.build();
        let before = tree(&site.path("public"));
        let site = site.file(rel, text);
        let run = site.run(&["build"]).code(1);
        assert!(run.stderr.contains("生成失败"), "{rel}: {}", run.stderr);
        assert_eq!(before, tree(&site.path("public")), "{rel} changed public/");
        let leftovers: Vec<String> = site
            .root_entries()
            .into_iter()
            .filter(|e| e.starts_with(".public"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

#[test]
fn invalid_utf8_anywhere_is_named() {
    let site = Site::fixture("minimal").file(
        "content/about/gbk.md",
        b"+++\ntitle = \"\xb2\xe2\xca\xd4\"\n+++\n".as_slice(),
    );
    site.build_fails_keeping_public()
        .stderr_contains("content/about/gbk.md:2:1: 文件: 第 2 行含有非 UTF-8 编码的字节");
}

#[test]
fn only_front_matter_builds_and_an_empty_file_is_named() {
    // No body, not even a newline after the closing `+++`: a valid document.
    let site = Site::fixture("minimal").file(
        "content/guidance/bare.md",
        "+++\ntitle = \"只有前置元数据\"\ndate = 2025-01-01\nagency = \"scjg\"\nmethod = \"remind\"\n+++",
    );
    site.build();
    site.file_contains("public/guidance/bare/index.html", "只有前置元数据");
    let site = site.file("content/guidance/empty.md", "");
    site.build_fails_keeping_public()
        .stderr_contains("content/guidance/empty.md:1:1: 前置元数据: 缺少前置元数据");
}

/// `theme` names a folder below `themes/`, never a path out of the site.
#[cfg(unix)]
#[test]
fn a_theme_name_cannot_lead_out_of_the_site() {
    let (outside, out) = outside_with_secret();
    std::fs::create_dir_all(outside.path().join("templates")).expect("mkdir");
    std::fs::write(
        outside.path().join("templates/page.html"),
        "TOP-SECRET-口令",
    )
    .expect("write");
    for theme in [
        out.clone(),
        format!("../../{}", out.trim_start_matches('/')),
    ] {
        let site = Site::fixture("minimal").edit(
            "site.toml",
            "language = ",
            &format!("theme = \"{theme}\"\nlanguage = "),
        );
        let run = site.build_fails_keeping_public();
        let stderr = hide_outside(&run.stderr, outside.path());
        assert!(
            stderr.contains("site.toml:3:1: theme: 主题名“")
                && stderr.contains("”不是 themes/ 下的目录名"),
            "{stderr}"
        );
        assert!(!stderr.contains("TOP-SECRET"), "{stderr}");
    }
}
