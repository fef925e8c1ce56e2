//! Every class of content error, with the exact message a clerk sees.
//!
//! A message is `path:line:col: field: message`, then `  提示: hint`; the
//! build exits with 1, writes no `public/`, and reports every problem of
//! every file in one run. Lines are lines of the file (the front matter's
//! `+++` is line 1), checked with [`points_at`] where it matters.

use crate::harness::Site;

mod files;

/// Runs a build that must fail, checks nothing was written, returns stderr.
#[track_caller]
fn build_fails(site: &Site) -> String {
    let run = site.run(&["build"]).failure();
    site.file_missing("public");
    assert!(
        run.stderr.ends_with("生成失败，./public 保持原样。\n"),
        "{}",
        run.stderr
    );
    run.stderr
}

/// The source line the diagnostic for `path` and `field` points at.
#[track_caller]
fn points_at(site: &Site, stderr: &str, path: &str, field: &str) -> String {
    let diag = stderr
        .lines()
        .find(|l| l.starts_with(&format!("{path}:")) && l.contains(&format!(": {field}: ")))
        .unwrap_or_else(|| panic!("no diagnostic for {path} {field} in:\n{stderr}"));
    let mut parts = diag[path.len() + 1..].splitn(3, ':');
    let line: usize = parts.next().unwrap().parse().expect("line number");
    let _col: usize = parts.next().unwrap().parse().expect("column");
    let bytes = std::fs::read(site.path(path)).expect("read source");
    let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
    text.lines()
        .nth(line - 1)
        .unwrap_or_else(|| panic!("{diag}: line {line} is past the end of {path}"))
        .to_string()
}

const EXTRA_LIST: &str = "content/lists/scjg/2025-extra.md";

#[test]
fn missing_required_keys() {
    let site = Site::fixture("minimal").file(
        EXTRA_LIST,
        r#"+++
title = "缺少字段的清单"
date = 2025-05-01
agency = "scjg"

[[items]]
id = "X-1"
violation = "甲"
basis = "乙"
handling = "丁"
+++
"#,
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    // A missing item field points at its [[items]] block.
    assert_eq!(
        points_at(&site, &stderr, EXTRA_LIST, "items[1].conditions"),
        "[[items]]"
    );
}

#[test]
fn wrong_types() {
    let site = Site::fixture("minimal").file(
        "content/cases/2025-types.md",
        r#"+++
title = "类型错误的案例"
date = "2025-05-01"
agency = "scjg"
year = "2025"
methods = "remind"
tags = 3
draft = "否"
+++
"#,
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(&site, &stderr, "content/cases/2025-types.md", "tags"),
        "tags = 3"
    );
}

#[test]
fn unknown_key_in_typed_folder() {
    let site = Site::fixture("minimal").file(
        EXTRA_LIST,
        r#"+++
title = "有未知字段的清单"
date = 2025-05-01
agency = "scjg"
kind = "exempt"
colour = "red"

[[items]]
id = "X-1"
violation = "甲"
basis = "乙"
conditions = "丙"
handling = "丁"
notes = "备注写错了字段名"
+++
"#,
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(&site, &stderr, EXTRA_LIST, "items[1].notes"),
        "notes = \"备注写错了字段名\""
    );
}

#[test]
fn unknown_key_allowed_in_plain_page() {
    let site = Site::fixture("minimal").file(
        "content/about/extra.md",
        "+++\ntitle = \"带自定义字段的页面\"\ncolour = \"red\"\n[banner]\nimage = \"a.png\"\n+++\n\n正文。\n",
    );
    site.build().stderr_lacks("colour");
    site.file_exists("public/about/extra/index.html");
}

#[test]
fn bad_guidance_method() {
    let site = Site::fixture("minimal").edit(
        "content/guidance/2025-license-remind.md",
        "method: remind",
        "method: remindd",
    );
    let stderr = build_fails(&site);
    assert!(
        stderr.starts_with(
            "content/guidance/2025-license-remind.md:5:1: method: 未登记的指导方式“remindd”\n  提示: 可用的值中最接近的是: remind, "
        ),
        "{stderr}"
    );
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/guidance/2025-license-remind.md",
            "method"
        ),
        "method: remindd"
    );
}

/// The eight methods are fixed by the contract (`site.toml` rejects a
/// `[methods]` table), so the hint must not tell the clerk to register one.
#[test]
fn bad_guidance_method_hint_does_not_suggest_site_toml() {
    let site = Site::fixture("minimal").edit(
        "content/guidance/2025-license-remind.md",
        "method: remind",
        "method: remindd",
    );
    let stderr = build_fails(&site);
    assert!(!stderr.contains("[methods."), "{stderr}");
    assert!(stderr.contains("remind"), "{stderr}");
}

#[test]
fn unknown_registry_key_names_the_closest_keys() {
    let site = Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "agency = \"scjg\"",
            "agency = \"scj\"",
        )
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "industries = [\"catering\"]",
            "industries = [\"catering\", \"hazchen\"]",
        )
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "kind = \"exempt\"",
            "kind = \"exmpt\"",
        )
        .edit(
            "content/warnings/2025-catering-gas.md",
            "level = \"high\"",
            "level = \"severe\"",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
}

/// The registered name written where the key belongs (the commonest slip
/// of a new clerk) is named as such, with the key to write instead.
#[test]
fn a_registered_name_in_place_of_its_key_gives_the_key() {
    let site = Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "agency = \"scjg\"",
            "agency = \"市市场监督管理局\"",
        )
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "kind = \"exempt\"",
            "kind = \"免罚清单\"",
        )
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "industries = [\"catering\"]",
            "industries = [\"餐饮服务\"]",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
}

/// A guidance method's name: its key is built in, so the hint points at
/// no site.toml table.
#[test]
fn a_method_name_in_place_of_its_key_gives_the_key_not_a_table() {
    let site = Site::fixture("minimal").edit(
        "content/guidance/2025-license-remind.md",
        "method: remind",
        "method: 提示",
    );
    let stderr = build_fails(&site);
    assert!(
        stderr.contains("写的是名称，请改为键 remind（八种指导方式的键是固定的）"),
        "{stderr}"
    );
    assert!(!stderr.contains("[methods."), "{stderr}");
}

/// What a Chinese input method does to TOML: English quotes inside a value,
/// full-width ＝ and ， where TOML wants its own; each file's slip is named
/// with its column, in Chinese, and every file is reported in one run.
#[test]
fn slips_of_a_chinese_input_method_are_named() {
    let site = Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "violation = \"从业人员未取得健康证明上岗\"",
            "violation = \"从业人员未取得\"健康证明\"上岗\"",
        )
        .edit(
            "content/warnings/2025-catering-gas.md",
            "level = \"high\"",
            "level ＝ \"high\"",
        )
        .edit(
            "content/lists/scjg/2026-mitigated.md",
            "kind = \"mitigated\"",
            "kind = \"mitigated\"\ntags = [\"从轻\"，\"减轻\"]",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
}

/// Three slips in one TOML front matter (an English quote inside a value,
/// a full-width ＝, an array without its `]`) are reported together, each
/// at its own line and column; the fields the file still holds are checked
/// in the same run (the unregistered agency), and no field on a broken
/// line is reported missing.
#[test]
fn several_syntax_errors_of_one_front_matter_are_reported_together() {
    let path = "content/lists/scjg/2024-exempt.md";
    let site = Site::fixture("minimal")
        .edit(path, "agency = \"scjg\"", "agency = \"sjcg\"")
        .edit(path, "kind = \"exempt\"", "kind ＝ \"exempt\"")
        .edit(
            path,
            "tags = [\"首违不罚\"]",
            "tags = [\"首违不罚\", \"教育提示\"",
        )
        .edit(
            path,
            "violation = \"从业人员未取得健康证明上岗\"",
            "violation = \"从业人员未取得\"健康证明\"上岗\"",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    let lines: Vec<String> = stderr
        .lines()
        .filter(|l| l.starts_with(&format!("{path}:")))
        .map(|l| {
            let line: usize = l[path.len() + 1..]
                .split(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            line.to_string()
        })
        .collect();
    assert_eq!(lines, ["5", "6", "11", "24"], "{stderr}");
    assert_eq!(
        points_at(&site, &stderr, path, "agency"),
        "agency = \"sjcg\""
    );
    assert!(!stderr.contains("缺少必填字段"), "{stderr}");
}

/// YAML goes on key by key: a full-width ：, an English quote inside a
/// value and a `[` without its `]`, each its own key, are reported
/// together, and the keys left are checked (the unknown method).
#[test]
fn several_syntax_errors_of_one_yaml_front_matter_are_reported_together() {
    let path = "content/guidance/2025-license-remind.md";
    let site = Site::fixture("minimal")
        .edit(path, "title: ", "title：")
        .edit(path, "method: remind", "method: remindd")
        .edit(
            path,
            "audience: 全市餐饮服务经营者",
            "audience: \"全市\"餐饮服务\"经营者\"",
        )
        .edit(path, "tags: [亮照经营]", "tags: [亮照经营, 首违不罚");
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    for (field, line) in [
        ("前置元数据", "title：关于餐饮经营者亮照经营的提示"),
        ("method", "method: remindd"),
    ] {
        assert_eq!(points_at(&site, &stderr, path, field), line);
    }
    for at in [
        "6:14: 前置元数据: 值在第 14 列提前结束",
        "9:18: 前置元数据: YAML 语法错误：数组缺少英文逗号或 ]",
    ] {
        assert!(stderr.contains(&format!("{path}:{at}")), "{stderr}");
    }
    assert!(!stderr.contains("缺少必填字段"), "{stderr}");
}

/// Two files broken at once, one TOML and one YAML: `check` lists both
/// (a syntax error in one file never stops the checking of the others),
/// and the other documents' field errors too.
#[test]
fn syntax_errors_in_two_files_are_both_reported() {
    let site = Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2026-mitigated.md",
            "kind = \"mitigated\"",
            "kind = \"mitigated",
        )
        .edit(
            "content/guidance/2025-license-remind.md",
            "audience: 全市餐饮服务经营者",
            "audience: \"全市餐饮服务经营者",
        )
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "agency = \"scjg\"",
            "agency = \"sjcg\"",
        );
    let run = site.run(&["check"]).failure();
    insta::assert_snapshot!(run.stderr);
    for path in [
        "content/lists/scjg/2026-mitigated.md",
        "content/guidance/2025-license-remind.md",
    ] {
        assert_eq!(
            run.stderr.matches(&format!("{path}:")).count(),
            1,
            "{path}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("content/lists/scjg/2024-exempt.md:5:1: agency: 未登记的发布机构“sjcg”"),
        "{}",
        run.stderr
    );
}

/// `site.toml` with two syntax errors, and a document with one: all three
/// are reported in one run. The registries of a broken `site.toml` are not
/// known for sure, so documents are checked for their syntax only (an
/// unregistered agency is not reported), and the clerk is told so.
#[test]
fn site_toml_with_two_syntax_errors_and_a_broken_document() {
    let site = Site::fixture("minimal")
        .edit(
            "site.toml",
            "organizer = \"测试市司法局\"",
            "organizer = 测试市司法局",
        )
        .edit("site.toml", "[agencies.yjgl]", "[agencies.yjgl")
        .edit(
            "content/lists/scjg/2026-mitigated.md",
            "kind = \"mitigated\"",
            "kind ＝ \"mitigated\"",
        )
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "agency = \"scjg\"",
            "agency = \"sjcg\"",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    for at in [
        "site.toml:5:13: site.toml: TOML 语法错误：文字没有加引号",
        "site.toml:12:15: site.toml: TOML 语法错误：表头缺少结尾的 ]",
        "content/lists/scjg/2026-mitigated.md:6:6: 前置元数据: 第 6 列的 ＝ 是全角",
    ] {
        assert!(stderr.contains(at), "{stderr}");
    }
    assert!(!stderr.contains("sjcg"), "{stderr}");
}

#[test]
fn duplicate_item_ids() {
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2024-exempt.md",
        "id = \"SJ-MF-002\"",
        "id = \"SJ-MF-001\"",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/lists/scjg/2024-exempt.md",
            "items[2].id"
        ),
        "id = \"SJ-MF-001\""
    );
}

#[test]
fn a_tab_in_yaml_is_named_at_its_line_and_its_key_is_not_missing() {
    // A Tab before `agency:` (pasted from a Word table): the parser blames
    // the line above, and without the line agency looked missing.
    let site = Site::fixture("minimal").edit(
        "content/guidance/2025-license-remind.md",
        "\nagency: scjg",
        "\n\tagency: scjg",
    );
    let stderr = build_fails(&site);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/guidance/2025-license-remind.md",
            "前置元数据"
        ),
        "\tagency: scjg"
    );
    assert!(
        stderr.contains("这一行开头是 Tab：YAML 只能用空格缩进"),
        "{stderr}"
    );
    assert!(!stderr.contains("缺少必填字段 agency"), "{stderr}");
}

#[test]
fn a_single_bracket_items_header_is_named_as_the_mistake() {
    // `[items]` for `[[items]]`: the later entries repeat its keys; the
    // hints name the header line, on one line each.
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2024-exempt.md",
        "[[items]]\nid = \"SJ-MF-001\"",
        "[items]\nid = \"SJ-MF-001\"",
    );
    let stderr = build_fails(&site);
    let header = points_at(&site, &stderr, "content/lists/scjg/2024-exempt.md", "items");
    assert_eq!(header, "[items]");
    assert!(
        stderr.contains("写成了 [items]：每一条都要以单独一行的 [[items]]（两层方括号）开头"),
        "{stderr}"
    );
    assert!(
        stderr.contains("行写成了 [items]：每一条都要以 [[items]]（两层方括号）开头"),
        "{stderr}"
    );
    for line in stderr.lines() {
        assert!(!line.trim_end().ends_with('='), "a hint cut off: {line}");
    }
}

#[test]
fn item_ids_that_only_look_right() {
    // A zero-width space pasted after the id, and a full-width 0 typed
    // with a Chinese input method: both would publish an id that looks
    // like another one.
    let site = Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "id = \"SJ-MF-001\"",
            "id = \"SJ-MF-001\u{200b}\"",
        )
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "id = \"SJ-MF-002\"",
            "id = \"SJ-MF-0０2\"",
        );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert!(
        points_at(
            &site,
            &stderr,
            "content/lists/scjg/2024-exempt.md",
            "items[2].id"
        )
        .contains('０')
    );
}

#[test]
fn impossible_date_in_toml() {
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2026-mitigated.md",
        "date = 2025-11-01",
        "date = 2024-02-30",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/lists/scjg/2026-mitigated.md",
            "前置元数据"
        ),
        "date = 2024-02-30"
    );
}

#[test]
fn impossible_date_in_yaml() {
    let site = Site::fixture("minimal").edit(
        "content/guidance/2025-license-remind.md",
        "date: 2025-02-10",
        "date: 2025-02-30",
    );
    let stderr = build_fails(&site);
    assert!(
        stderr.starts_with(
            "content/guidance/2025-license-remind.md:3:1: date: 日期 2025-02-30 不存在\n"
        ),
        "{stderr}"
    );
}

#[test]
fn toml_syntax_error() {
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2026-mitigated.md",
        "kind = \"mitigated\"",
        "kind = \"mitigated",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/lists/scjg/2026-mitigated.md",
            "前置元数据"
        ),
        "kind = \"mitigated"
    );
}

#[test]
fn yaml_syntax_error() {
    let site = Site::fixture("minimal").file(
        "content/guidance/2025-yaml.md",
        "---\ntitle: 语法错误\ndate: 2025-05-01\nagency: \"scjg\ntags: [a, b]\n---\n",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/guidance/2025-yaml.md",
            "前置元数据"
        ),
        "agency: \"scjg"
    );
}

#[test]
fn yaml_value_starting_with_a_star_is_named_as_an_alias() {
    // Markdown habit: `*重要*` is, to YAML, an alias of an undefined anchor.
    let site = Site::fixture("minimal").file(
        "content/guidance/2025-yaml.md",
        "---\ntitle: *重要*通知\ndate: 2025-05-01\n---\n",
    );
    let stderr = build_fails(&site);
    insta::assert_snapshot!(stderr);
    assert_eq!(
        points_at(
            &site,
            &stderr,
            "content/guidance/2025-yaml.md",
            "前置元数据"
        ),
        "title: *重要*通知"
    );
}
