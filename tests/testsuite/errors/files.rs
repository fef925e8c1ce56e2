//! Content errors of whole files, links, URLs and slugs, superseded chains,
//! site.toml, and every problem of a run reported together.

use super::*;

#[test]
fn missing_front_matter_and_empty_file() {
    let site = Site::fixture("minimal")
        .file("content/cases/empty.md", "")
        .file("content/cases/no-front-matter.md", "# 标题\n\n正文。\n")
        .file(
            "content/cases/unclosed.md",
            "+++\ntitle = \"没有结束\"\n\n正文。\n",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
}

#[test]
fn invalid_utf8() {
    // "测试" in GBK on line 2.
    let site = Site::fixture("minimal").file(
        "content/about/gbk.md",
        b"+++\ntitle = \"\xb2\xe2\xca\xd4\"\n+++\n".as_slice(),
    );
    let stderr = build_fails(&site);
    assert!(stderr.starts_with("content/about/gbk.md:"), "{stderr}");
    assert!(
        stderr.contains(
            "文件: 第 2 行含有非 UTF-8 编码的字节（第 14 字节处）；请把文件另存为 UTF-8 编码"
        ),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_points_at_its_line() {
    let site = Site::fixture("minimal").file(
        "content/about/gbk.md",
        b"+++\ntitle = \"\xb2\xe2\xca\xd4\"\n+++\n".as_slice(),
    );
    let stderr = build_fails(&site);
    assert!(stderr.starts_with("content/about/gbk.md:2:"), "{stderr}");
}

#[test]
fn broken_internal_link() {
    let site = Site::fixture("minimal").file(
        "content/about/links.md",
        "+++\ntitle = \"链接\"\n+++\n\n第一段。\n\n见[新清单](@/lists/scjg/2025-exempt.md)。\n",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    // The line is the file's line, past the front matter.
    assert_eq!(
        points_at(&site, &stderr, "content/about/links.md", "链接"),
        "见[新清单](@/lists/scjg/2025-exempt.md)。"
    );
}

#[test]
fn broken_anchor() {
    let site = Site::fixture("minimal").edit(
        "content/guidance/2025-license-remind.md",
        "#item-SJ-MF-001",
        "#item-SJ-MF-003",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert!(
        points_at(
            &site,
            &stderr,
            "content/guidance/2025-license-remind.md",
            "链接"
        )
        .contains("#item-SJ-MF-003")
    );
}

#[test]
fn anchors_to_headings_and_risks_are_valid() {
    let site = Site::fixture("minimal").file(
        "content/about/links.md",
        "+++\ntitle = \"链接\"\n+++\n\n见[案情](@/cases/2025-bakery.md#案情简介)和[风险点](@/warnings/2025-catering-gas.md#risk-2)。\n",
    );
    site.build();
    site.file_contains(
        "public/about/links/index.html",
        "href=\"/warnings/2025-catering-gas/#risk-2\"",
    );
}

#[test]
fn broken_link_in_a_file_with_bom_and_crlf() {
    let site = Site::fixture("minimal").edit(
        "content/cases/2025-bakery.md",
        "执法人员当场提示，当事人立即改正。",
        "执法人员当场提示，见[清单](@/lists/none.md)。",
    );
    let stderr = build_fails(&site);
    assert!(
        stderr.starts_with(
            "content/cases/2025-bakery.md:17:11: 链接: 链接的文档 content/lists/none.md 不存在\n"
        ),
        "{stderr}"
    );
}

#[test]
fn duplicate_urls_from_slug() {
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2026-mitigated.md",
        "kind = \"mitigated\"",
        "kind = \"mitigated\"\nslug = \"2024-exempt\"",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
}

#[test]
fn urls_colliding_with_folders_and_generated_pages() {
    let site = Site::fixture("minimal")
        .file("content/search.md", "+++\ntitle = \"搜索\"\n+++\n")
        .file("content/about.md", "+++\ntitle = \"关于\"\n+++\n");
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
}

#[test]
fn bad_slug_and_file_name() {
    let site = Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2026-mitigated.md",
            "kind = \"mitigated\"",
            "kind = \"mitigated\"\nslug = \"2026 Mitigated\"",
        )
        .file("content/about/使用 说明.md", "+++\ntitle = \"说明\"\n+++\n");
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/lists/scjg/2026-mitigated.md",
            "slug"
        ),
        "slug = \"2026 Mitigated\""
    );
}

#[test]
fn superseded_by_a_missing_document() {
    let site = Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2023-exempt.md",
            "@/lists/scjg/2024-exempt.md",
            "@/lists/scjg/2024-exmpt.md",
        )
        .edit(
            "content/warnings/2025-spring-food.md",
            "level = \"low\"",
            "level = \"low\"\nsuperseded_by = \"warnings/2025-catering-gas.md\"",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/lists/scjg/2023-exempt.md",
            "superseded_by"
        ),
        "superseded_by = \"@/lists/scjg/2024-exmpt.md\""
    );
}

#[test]
fn superseded_by_cycles_name_the_whole_cycle() {
    let site = Site::fixture("minimal")
        // 2023 → 2024 is in the fixture; 2024 → 2026 → 2023 closes a cycle.
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "kind = \"exempt\"",
            "kind = \"exempt\"\nsuperseded_by = \"@/lists/scjg/2026-mitigated.md\"",
        )
        .edit(
            "content/lists/scjg/2026-mitigated.md",
            "kind = \"mitigated\"",
            "kind = \"mitigated\"\nsuperseded_by = \"@/lists/scjg/2023-exempt.md\"",
        )
        // And a cycle of two.
        .edit(
            "content/warnings/2025-spring-food.md",
            "level = \"low\"",
            "level = \"low\"\nsuperseded_by = \"@/warnings/2025-catering-gas.md\"",
        )
        .edit(
            "content/warnings/2025-catering-gas.md",
            "level = \"high\"",
            "level = \"high\"\nsuperseded_by = \"@/warnings/2025-spring-food.md\"",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    for (path, line) in [
        (
            "content/lists/scjg/2023-exempt.md",
            "superseded_by = \"@/lists/scjg/2024-exempt.md\"",
        ),
        (
            "content/lists/scjg/2024-exempt.md",
            "superseded_by = \"@/lists/scjg/2026-mitigated.md\"",
        ),
        (
            "content/warnings/2025-catering-gas.md",
            "superseded_by = \"@/warnings/2025-spring-food.md\"",
        ),
    ] {
        assert_eq!(points_at(&site, &stderr, path, "superseded_by"), line);
    }
    let check = site.run(&["check"]).failure();
    assert!(
        check.stderr.contains(
            "content/lists/scjg/2026-mitigated.md:7:1: superseded_by: superseded_by 形成循环：lists/scjg/2026-mitigated.md → lists/scjg/2023-exempt.md → lists/scjg/2024-exempt.md → lists/scjg/2026-mitigated.md"
        ),
        "{}",
        check.stderr
    );
}

#[test]
fn output_paths_differing_only_by_case_name_both_sources() {
    let page = "+++\ntitle = \"重复\"\n+++\n";
    let site = Site::fixture("minimal")
        .file("content/about/Dup.md", page)
        .file("content/about/dup.md", page)
        .file("content/about/附件/A.pdf", "%PDF a")
        .file("content/about/附件/a.pdf", "%PDF b")
        .file("content/about/附件/说明.pdf", "%PDF 中文名只有一个")
        .file("content/Logo.png", "png")
        .file("static/logo.png", "png")
        .file("static/Gongshi.css", "body {}")
        .file("static/附件.pdf", "中文名与 content 中的不同路径")
        .file("content/rules.txt", "a")
        .file("static/rules.txt", "b");
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    let check = site.run(&["check"]).failure();
    assert!(
        check.stderr.contains("content/about/dup.md:1:1: 路径: 生成的 about/dup/index.html 与 content/about/Dup.md 生成的 about/Dup/index.html 只有大小写不同"),
        "{}",
        check.stderr
    );
}

#[test]
fn unknown_site_toml_key() {
    let site = Site::fixture("minimal")
        .edit("site.toml", "organizer = ", "organiser = ")
        .edit(
            "site.toml",
            "name = \"城东区\"",
            "name = \"城东区\"\nnmae = \"城东\"",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
}

#[test]
fn site_toml_syntax_error_and_missing_site_toml() {
    let site = Site::fixture("minimal").edit(
        "site.toml",
        "organizer = \"测试市司法局\"",
        "organizer = 测试市司法局",
    );
    insta::assert_snapshot!("site_toml_syntax_error", build_fails(&site));
    let site = site.remove("site.toml");
    insta::assert_snapshot!("missing_site_toml", build_fails(&site));
}

#[test]
fn site_toml_saved_as_gb18030_is_named_as_such_not_missing() {
    // `organizer = "测试"` with 测试 in GB18030, on line 2.
    let site = Site::fixture("minimal").file(
        "site.toml",
        b"title = \"x\"\norganizer = \"\xb2\xe2\xca\xd4\"\n".as_slice(),
    );
    let stderr = build_fails(&site);
    assert!(
        stderr.starts_with("site.toml:2:1: site.toml: 第 2 行含有非 UTF-8 编码的字节"),
        "{stderr}"
    );
    assert!(stderr.contains("另存为”时把编码选为 UTF-8"), "{stderr}");
    assert!(!stderr.contains("必须有 site.toml"), "{stderr}");
}

#[test]
fn every_broken_file_is_reported_in_one_run() {
    let site = Site::fixture("minimal").overlay("broken");
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    for path in [
        "content/about/broken-link.md",
        "content/cases/2025-broken.md",
        "content/guidance/2025-broken.md",
        "content/lists/scjg/2025-broken.md",
        "content/warnings/2025-broken.md",
    ] {
        assert!(
            stderr.contains(&format!("\n{path}:")) || stderr.starts_with(&format!("{path}:")),
            "{path} missing from:\n{stderr}"
        );
    }
    // Both problems of one file, not just the first.
    assert!(
        stderr.contains("content/lists/scjg/2025-broken.md:4:1: agency:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/lists/scjg/2025-broken.md:15:1: items[2].id:"),
        "{stderr}"
    );
}

#[test]
fn warnings_do_not_fail_the_build() {
    let site = Site::fixture("minimal").file(
        EXTRA_LIST,
        "+++\ntitle = \"没有条目的清单\"\ndate = 2025-05-01\nagency = \"scjg\"\nkind = \"exempt\"\n+++\n",
    );
    let run = site.build();
    insta::assert_snapshot!(run.stderr);
    site.file_exists("public/lists/scjg/2025-extra/index.html");
}

#[test]
fn self_check_item_error_points_at_its_line() {
    let site = Site::fixture("minimal").edit(
        "content/warnings/2025-spring-food.md",
        "self_check = [\"进货查验记录是否逐批填写\"]",
        "self_check = [\"进货查验记录是否逐批填写\", 2]",
    );
    let stderr = build_fails(&site);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/warnings/2025-spring-food.md",
            "risks[1].self_check[2]"
        ),
        "self_check = [\"进货查验记录是否逐批填写\", 2]"
    );
}

/// A document that fails to parse still exists: links to it must not be
/// reported as links to a missing file (one typo, one message).
#[test]
fn unparsable_document_is_not_reported_as_missing() {
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2024-exempt.md",
        "kind = \"exempt\"",
        "kind = \"exempt",
    );
    let stderr = build_fails(&site);
    assert!(!stderr.contains("不存在"), "{stderr}");
    assert!(stderr.contains("共 1 个错误"), "{stderr}");
}

#[test]
fn markdown_not_named_md_is_refused_not_published_raw() {
    // Saved on Windows as .MD, a draft: copied as a file it would publish
    // its source, the draft's text and front matter included.
    let draft = "+++\ntitle = \"内部草稿：拟处罚名单\"\ndate = 2024-04-08\nagency = \"scjg\"\nmethod = \"remind\"\ndraft = true\n+++\n尚未公开的内容。\n";
    let site = Site::fixture("minimal")
        .file("content/guidance/draft-notice.MD", draft)
        .file(
            "content/about/说明.markdown",
            "+++\ntitle = \"说明\"\n+++\n正文。\n",
        )
        .file("content/about/readme.md.txt", "附件，不是文档。\n");
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    let check = site.run(&["check"]).failure();
    assert!(
        check.stderr.contains("content/guidance/draft-notice.MD"),
        "{}",
        check.stderr
    );
}

#[test]
fn content_files_at_generated_paths_are_refused() {
    // A clerk's own robots.txt, feed or list spreadsheet would be replaced
    // by the generated one without a word.
    let site = Site::fixture("minimal")
        .file(
            "content/robots.txt",
            "User-agent: *\nDisallow: /internal/\n",
        )
        .file("content/lists/atom.xml", "<feed/>")
        .file("content/search/index.html", "<p>旧的搜索页</p>")
        .file(
            "content/lists/scjg/2024-exempt/2024-exempt.csv",
            "编号,违法行为\n",
        )
        .file("content/lists/scjg/2024-exempt/versions/a.txt", "旧版本\n")
        .file(
            "content/lists/scjg/2024-exempt/photo.png",
            b"\x89PNG\r\n\x1a\n".as_slice(),
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    // A file of its own beside a list is fine.
    assert!(!stderr.contains("photo.png"), "{stderr}");
}

#[test]
fn links_written_as_file_paths_are_named_with_their_fix() {
    let site = Site::fixture("minimal").file(
        "content/about/links.md",
        "+++\ntitle = \"链接\"\n+++\n\n见[免罚清单](../lists/scjg/2024-exempt.md#item-SJ-MF-001)和[说明](guide.md)。\n\n见[清单栏目](@/lists/_index.md)和[少了斜杠](@lists/scjg/2024-exempt.md)。\n",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    // A section's _index.md is a target; a link without the slash still
    // resolves (a warning only).
    let site = Site::fixture("minimal").file(
        "content/about/links.md",
        "+++\ntitle = \"链接\"\n+++\n\n见[清单栏目](@/lists/_index.md)和[少了斜杠](@lists/scjg/2024-exempt.md)。\n",
    );
    let run = site.build();
    assert!(run.stderr.contains("少了 @ 后面的 /"), "{}", run.stderr);
    site.file_contains(
        "public/about/links/index.html",
        "<a href=\"/lists/\">清单栏目</a>",
    )
    .file_contains(
        "public/about/links/index.html",
        "<a href=\"/lists/scjg/2024-exempt/\">少了斜杠</a>",
    );
}
