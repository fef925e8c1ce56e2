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
    content/cases:1:1: 栏目: 警告：栏目“典型案例”自 2025年3月5日 以来超过六个月没有新内容
      提示: 政府网站检查要求栏目及时更新；请发布新的内容或说明情况
    content/guidance:1:1: 栏目: 警告：栏目“行政指导”自 2025年2月10日 以来超过六个月没有新内容
      提示: 政府网站检查要求栏目及时更新；请发布新的内容或说明情况
    content/warnings:1:1: 栏目: 警告：栏目“风险提示”自 2025年4月1日 以来超过六个月没有新内容
      提示: 政府网站检查要求栏目及时更新；请发布新的内容或说明情况
    content/warnings/2025-spring-food.md:7:1: valid_until: 警告：风险提示已于 2025年6月30日 过期，网站上显示为已失效
      提示: 如风险仍然存在，请发布新的风险提示，并在旧提示中用 superseded_by 指向它
    共 0 个错误，4 个警告。
    检查通过：8 篇文档，90 个页面和文件，用时 [N] 毫秒。
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
    // Everything build reports, check reports too; check adds the freshness
    // warnings of site inspections (stale sections, expired bulletins).
    for line in build_diags.lines().filter(|l| !l.starts_with("共 ")) {
        assert!(
            check.stderr.contains(line),
            "check lacks {line:?}:\n{}",
            check.stderr
        );
    }
    assert!(check.stderr.contains("栏目: 警告："), "{}", check.stderr);
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
    let errors: Vec<&serde_json::Value> = parsed
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "content/lists/scjg/2024-exempt.md");
    assert_eq!(errors[0]["line"], 5);
    assert_eq!(errors[0]["field"], "agency");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn check_format_json_when_clean() {
    // No errors: exit 0, only warnings (here the freshness ones) in the array.
    let run = Site::fixture("minimal")
        .run(&["check", "--format", "json"])
        .success();
    let parsed: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let all = parsed.as_array().expect("array");
    assert!(
        all.iter().all(|d| d["severity"] == "warning"),
        "{}",
        run.stdout
    );
    assert!(all.iter().any(|d| d["field"] == "栏目"), "{}", run.stdout);
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
        .code(2)
        .stderr_contains("no-such-site");
}

#[test]
fn dot_files_in_content_are_reported_as_skipped() {
    let page = "+++\ntitle = \"隐藏的草稿\"\n+++\n\n正文\n";
    let site = Site::fixture("minimal")
        .file("content/about/.draft.md", page)
        .file("content/.DS_Store", "\0\0\0\x01Bud1")
        .file("content/lists/.gitkeep", "")
        .file("content/.hidden/a.md", page)
        .file("content/.hidden/b.pdf", "%PDF");
    let check = site.check().success();
    let skipped: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| (l.contains("以 . 开头") && !l.starts_with("  提示")) || l.starts_with("共 "))
        .collect();
    insta::assert_snapshot!(skipped.join("\n"), @r"
    content/.DS_Store:1:1: 文件: 警告：名称以 . 开头的文件不会发布，已跳过
    content/.hidden:1:1: 文件: 警告：名称以 . 开头的目录不会发布，其中的文件都已跳过
    content/about/.draft.md:1:1: 文件: 警告：名称以 . 开头的文件不会发布，已跳过
    content/lists/.gitkeep:1:1: 文件: 警告：名称以 . 开头的文件不会发布，已跳过
    共 0 个错误，8 个警告。
    ");
    assert!(check.stderr.contains("提示: 以 . 开头的是隐藏文件（如 .DS_Store、.gitkeep），可以删除；要发布它，请去掉名称开头的点"));
    let build = site.build();
    assert!(
        build.stderr.contains(
            "content/about/.draft.md:1:1: 文件: 警告：名称以 . 开头的文件不会发布，已跳过"
        ),
        "{}",
        build.stderr
    );
    let public = site.tree("public");
    assert!(
        public
            .keys()
            .filter(|p| *p != ".gongshi-output") // the output's own marker
            .all(|p| !p.split('/').any(|s| s.starts_with('.'))),
        "{:?}",
        public.keys().collect::<Vec<_>>()
    );
    assert!(
        public
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains("隐藏的草稿"))
    );
}
