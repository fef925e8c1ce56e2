//! Writing `public/`: the same tree gives the same bytes, and `public/` is
//! replaced only by a build that succeeded: a failed build leaves the
//! previous site exactly as it was, with no staging folder beside it.

use crate::harness::{Site, assert_same_tree};

#[test]
fn builds_are_reproducible() {
    let site = Site::fixture("minimal").overlay("markdown");
    site.run(&["build", "--output", "one"]).success();
    site.run(&["build", "--output", "elsewhere/two"]).success();
    assert_same_tree(&site.tree("one"), &site.tree("elsewhere/two"));
}

#[test]
fn builds_are_reproducible_across_copies_of_the_tree() {
    // A different folder and file-creation order must not leak into the output.
    let a = Site::fixture("minimal");
    let b = Site::fixture("minimal");
    a.build();
    b.run(&["build", "--root", b.root().to_str().unwrap()])
        .success();
    assert_same_tree(&a.tree("public"), &b.tree("public"));
}

#[test]
fn failed_build_leaves_public_untouched() {
    let site = Site::fixture("minimal");
    site.build();
    let before = site.tree("public");
    assert!(before.contains_key("lists/scjg/2024-exempt/index.html"));
    // Break one file and change another: nothing of either may reach public/.
    let site = site
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "agency = \"scjg\"",
            "agency = \"nope\"",
        )
        .edit("content/about/site-guide.md", "## 如何查询", "## 新的标题");
    let run = site.run(&["build"]).failure();
    assert!(
        run.stderr.ends_with("生成失败，./public 保持原样。\n"),
        "{}",
        run.stderr
    );
    assert_same_tree(&site.tree("public"), &before);
    assert_eq!(site.root_entries(), ["content", "public", "site.toml"]);
}

#[test]
fn failed_build_into_output_flag_leaves_it_untouched() {
    let site = Site::fixture("minimal");
    site.run(&["build", "--output", "out/site"]).success();
    let before = site.tree("out/site");
    let site = site.file("content/cases/broken.md", "");
    site.run(&["build", "--output", "out/site"])
        .failure()
        .stderr_contains("生成失败，out/site 保持原样。");
    assert_same_tree(&site.tree("out/site"), &before);
    let mut out: Vec<String> = std::fs::read_dir(site.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    assert_eq!(out, ["site"], "staging folders left beside the output");
}

#[test]
fn failed_template_render_leaves_public_untouched() {
    // This error is found only while rendering, after staging began.
    let site = Site::fixture("minimal");
    site.build();
    let before = site.tree("public");
    let site = site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ doc.no_such_field.x }}{% endblock main %}\n",
    );
    site.run(&["build"]).failure();
    assert_same_tree(&site.tree("public"), &before);
    assert_eq!(
        site.root_entries(),
        ["content", "public", "site.toml", "templates"]
    );
}

#[test]
fn successful_build_replaces_public_entirely() {
    let site = Site::fixture("minimal");
    site.build();
    // A stale file from an earlier build, and a removed document.
    let site = site
        .file("public/stale.html", "old")
        .remove("content/warnings/2025-spring-food.md");
    site.build();
    site.file_missing("public/stale.html")
        .file_missing("public/warnings/2025-spring-food/index.html")
        .file_exists("public/warnings/2025-catering-gas/index.html");
    assert_eq!(site.root_entries(), ["content", "public", "site.toml"]);
}

#[test]
fn build_summary_line() {
    let run = Site::fixture("minimal").build();
    insta::assert_snapshot!(run.stderr, @r"
    说明：站点目录不在 git 仓库中：更新日期和修订记录只取自前置元数据。
    已生成 8 篇文档，137 个文件（[N] MB）到 ./public，用时 [N] 毫秒。
    ");
}

#[test]
fn static_files_are_published_with_hashed_urls() {
    let site = Site::fixture("minimal").file("static/files/notice.txt", "通知");
    site.build();
    site.file_contains("public/files/notice.txt", "通知")
        .file_exists("public/gongshi.css")
        .file_exists("public/favicon.svg");
    let html = site.read("public/index.html");
    assert!(html.contains("href=\"/gongshi.css?v="), "{html}");
    // Changing the stylesheet changes its URL, so browsers fetch it again.
    let css_url = |html: &str| {
        html.split("href=\"/gongshi.css?v=")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    let first = css_url(&html);
    let site = site.file("static/gongshi.css", "body { color: black; }");
    site.build();
    assert_ne!(css_url(&site.read("public/index.html")), first);
    site.file_contains("public/gongshi.css", "body { color: black; }");
}
