//! Writing `public/`: the same tree gives the same bytes, and `public/` is
//! replaced only by a build that succeeded: a failed build leaves the
//! previous site exactly as it was, with no staging folder beside it. The
//! output may not be or hold the site's sources, a folder of foreign files
//! needs `--force`, the swap never leaves `public/` missing, a link is
//! followed and kept, and a full disk is one error.

#[cfg(unix)]
use std::collections::BTreeMap;

#[cfg(unix)]
use crate::harness::tree;
use crate::harness::{Site, assert_same_tree};

mod failures;

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
    已生成 8 篇文档，280 个文件（[N] MB）到 ./public，用时 [N] 毫秒。
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

// ---------------------------------------------------------------------
// Where `--output` may point (issue #11, "Data loss"): a build replaces its
// output folder as a whole, so it must never be, hold or lie in the site's
// sources, and replaces a folder with files only if gongshi wrote them.

/// Every file below the site root, to compare before and after a refusal.
#[cfg(unix)]
fn everything(site: &Site) -> BTreeMap<String, Vec<u8>> {
    tree(site.root())
}

/// Entries of a folder below the site root, sorted.
#[cfg(unix)]
fn entries(site: &Site, rel: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(site.path(rel))
        .unwrap_or_else(|e| panic!("read {rel}: {e}"))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The minimal site with a git folder and an unrelated file, so a refusal
/// can be seen to keep them.
#[cfg(unix)]
fn site_with_extras() -> Site {
    Site::fixture("minimal")
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("notes.txt", "与网站无关的笔记\n")
        .file("templates/page.html", "{% extends \"base.html\" %}\n")
        .file("static/files/notice.txt", "通知")
}

#[cfg(unix)]
#[test]
fn output_that_is_the_site_root_is_refused() {
    let site = site_with_extras();
    let before = everything(&site);
    let root = site.root().to_str().unwrap().to_string();
    let mut messages = Vec::new();
    for output in [".", "./", "content/..", &root, &format!("{root}/")] {
        let run = site.run(&["build", "--output", output]).code(2);
        assert_eq!(
            everything(&site),
            before,
            "--output {output} changed the site"
        );
        messages.push(run.stderr);
    }
    insta::assert_snapshot!(messages[0]);
    assert!(
        messages
            .iter()
            .all(|m| m.contains("就是站点根目录 [ROOT]：")),
        "{messages:#?}"
    );
}

#[cfg(unix)]
#[test]
fn output_that_contains_the_site_root_is_refused() {
    // The site in `site/`, beside an unrelated file: `.` holds the site.
    let mut site = Site::empty().file("notes.txt", "与网站无关的笔记\n");
    for (rel, bytes) in tree(&crate::harness::fixtures().join("minimal")) {
        site = site.file(&format!("site/{rel}"), bytes);
    }
    let before = everything(&site);
    let run = site
        .run(&["build", "--root", "site", "--output", "."])
        .code(2);
    insta::assert_snapshot!(run.stderr);
    site.run(&["build", "--root", "site", "--output", "site/content/../.."])
        .code(2)
        .stderr_contains("包含站点根目录 [ROOT]/site：");
    assert_eq!(everything(&site), before);
}

#[cfg(unix)]
#[test]
fn output_inside_a_source_folder_is_refused() {
    let site = site_with_extras();
    std::os::unix::fs::symlink("content/lists", site.path("lists-link")).unwrap();
    let before = everything(&site);
    let mut messages = String::new();
    for output in [
        "content",
        "content/out/",
        "public/../content/lists",
        "lists-link/new",
        "templates",
        "static/site",
        "themes/gov",
        ".git",
        ".git/objects/x",
    ] {
        let run = site.run(&["build", "--output", output]).code(2);
        assert_eq!(
            everything(&site),
            before,
            "--output {output} changed the site"
        );
        messages.push_str(&format!("--output {output}\n{}\n", run.stderr));
    }
    insta::assert_snapshot!(messages);
}

#[cfg(unix)]
#[test]
fn output_holding_a_linked_source_folder_is_refused() {
    // content/ is a link to a folder outside the root: an output holding
    // that folder would delete the sources too.
    let site = Site::fixture("minimal");
    std::fs::create_dir(site.path("elsewhere")).unwrap();
    std::fs::rename(site.path("content"), site.path("elsewhere/content")).unwrap();
    std::os::unix::fs::symlink("elsewhere/content", site.path("content")).unwrap();
    let before = everything(&site);
    site.build();
    site.run(&["build", "--output", "elsewhere"])
        .code(2)
        .stderr_contains("包含站点的 content/ 目录（[ROOT]/elsewhere/content）");
    assert_eq!(
        tree(&site.path("elsewhere")),
        before_under(&before, "elsewhere/")
    );
}

/// The entries of a tree below `prefix`, relative to it.
#[cfg(unix)]
fn before_under(all: &BTreeMap<String, Vec<u8>>, prefix: &str) -> BTreeMap<String, Vec<u8>> {
    all.iter()
        .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?.to_string(), v.clone())))
        .collect()
}

#[cfg(unix)]
#[test]
fn public_linked_to_the_site_root_is_refused() {
    let site = site_with_extras();
    std::os::unix::fs::symlink(".", site.path("public")).unwrap();
    let before = everything(&site);
    let run = site.run(&["build"]).code(2);
    insta::assert_snapshot!(run.stderr);
    assert!(site.path("public").is_symlink());
    assert_eq!(everything(&site), before);
}

#[cfg(unix)]
#[test]
fn folder_with_foreign_files_needs_force() {
    let site = Site::fixture("minimal")
        .file("www/index.php", "<?php phpinfo();\n")
        .file("www/uploads/a.pdf", "%PDF");
    let run = site.run(&["build", "--output", "www"]).code(2);
    insta::assert_snapshot!(run.stderr);
    assert_eq!(entries(&site, "www"), ["index.php", "uploads"]);
    site.file_contains("www/index.php", "phpinfo");
    // --force: replaced, and marked as gongshi's from now on.
    site.run(&["build", "--output", "www", "--force"]).success();
    site.file_missing("www/index.php")
        .file_missing("www/uploads/a.pdf")
        .file_exists("www/index.html")
        .file_exists("www/.gongshi-output");
    site.run(&["build", "--output", "www"]).success();
    // An empty folder needs no --force.
    std::fs::create_dir(site.path("empty")).unwrap();
    site.run(&["build", "--output", "empty"]).success();
    site.file_exists("empty/index.html");
    assert_eq!(
        site.root_entries(),
        ["content", "empty", "site.toml", "www"]
    );
}

#[cfg(unix)]
#[test]
fn old_output_without_the_marker_needs_force_once() {
    // `public/` of a gongshi from before the marker.
    let site = Site::fixture("minimal");
    site.build();
    let site = site.remove("public/.gongshi-output");
    let before = site.tree("public");
    let run = site.run(&["build"]).code(2);
    insta::assert_snapshot!(run.stderr);
    assert_same_tree(&site.tree("public"), &before);
    site.run(&["build", "--force"]).success();
    site.file_exists("public/.gongshi-output");
    site.build();
}

#[cfg(unix)]
#[test]
fn marker_is_the_only_addition_and_the_same_every_build() {
    let site = Site::fixture("minimal");
    site.build();
    insta::assert_snapshot!(site.read("public/.gongshi-output"), @r"
    本目录由 gongshi build 生成，每次生成都会整体替换；请不要在这里存放其他文件。
    This folder is generated by gongshi build and replaced as a whole by every build.
    ");
    // No path, time or user in it: another folder, another day, same bytes.
    let other = Site::fixture("minimal").env("SOURCE_DATE_EPOCH", "1800000000");
    other.run(&["build", "--output", "x/y"]).success();
    assert_eq!(
        std::fs::read(site.path("public/.gongshi-output")).unwrap(),
        std::fs::read(other.path("x/y/.gongshi-output")).unwrap()
    );
    // It is not one of the site's files (the summary still says 280).
    assert_eq!(site.tree("public").len(), 281);
}
