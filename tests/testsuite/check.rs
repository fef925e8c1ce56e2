//! `gongshi check` runs every check `build` runs, writes nothing, and can
//! speak JSON or GitHub Actions annotations for CI.

use crate::harness::{Site, tree};

/// A site with one error and one warning.
fn site_with_problems() -> Site {
    Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "agency = \"scjg\"",
            "agency = \"scj\"",
        )
        .file(
            "content/about/unsafe.md",
            "+++\ntitle = \"不安全的链接\"\n+++\n\n[点我](javascript:alert(1))\n",
        )
}

#[test]
fn check_passes_and_writes_nothing() {
    let site = Site::fixture("minimal");
    let before = tree(site.root());
    let run = site.check().success();
    insta::assert_snapshot!(run.stderr, @r"
    说明：站点目录不在 git 仓库中：更新日期和修订记录只取自前置元数据。
    检查通过：8 篇文档，80 个页面和文件，用时 [N] 毫秒。
    ");
    assert_eq!(run.stdout, "");
    assert_eq!(tree(site.root()), before, "check changed the site folder");
}

#[test]
fn check_reports_what_build_reports() {
    let site = site_with_problems();
    let check = site.check().failure();
    site.file_missing("public");
    let build = site.run(&["build"]).failure();
    let build_diags = build
        .stderr
        .strip_suffix("生成失败，./public 保持原样。\n")
        .expect("build's closing line");
    assert_eq!(check.stderr, build_diags);
    insta::assert_snapshot!(check.stderr);
}

#[test]
fn check_finds_template_errors() {
    let site = Site::fixture("minimal").file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ doc.no_such_field.x }}{% endblock main %}\n",
    );
    site.check()
        .failure()
        .stderr_contains("templates/page.html:2:")
        .stderr_contains("（渲染 content/about/site-guide.md 时）");
}

#[test]
fn check_does_not_touch_an_existing_public() {
    let site = Site::fixture("minimal");
    site.build();
    let before = tree(site.root());
    site.check().success();
    assert_eq!(tree(site.root()), before);
}

#[test]
fn check_format_json() {
    let site = site_with_problems();
    let run = site.run(&["check", "--format", "json"]).failure();
    assert_eq!(run.stderr, "", "json goes to stdout only");
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(parsed.as_array().map(Vec::len), Some(2));
    assert_eq!(parsed[1]["severity"], "error");
    assert_eq!(parsed[1]["path"], "content/lists/scjg/2024-exempt.md");
    assert_eq!(parsed[1]["line"], 5);
    assert_eq!(parsed[1]["field"], "agency");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn check_format_json_when_clean() {
    let run = Site::fixture("minimal")
        .run(&["check", "--format", "json"])
        .success();
    assert_eq!(run.stdout.trim(), "[]");
    assert_eq!(run.stderr, "");
}

#[test]
fn check_format_github() {
    let site = site_with_problems();
    let run = site.run(&["check", "--format", "github"]).failure();
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn check_root_flag() {
    let site = site_with_problems();
    let other = Site::empty();
    let run = other
        .run(&["check", "--root", site.root().to_str().unwrap()])
        .failure();
    // Paths in messages stay relative to the site root.
    assert!(
        run.stderr
            .starts_with("content/about/unsafe.md:5:1: 链接: 警告："),
        "{}",
        run.stderr
    );
}

#[test]
fn check_missing_root() {
    let site = Site::empty();
    site.run(&["check", "--root", "no-such-site"])
        .failure()
        .stderr_contains("no-such-site");
}
