//! Re-importing a revised list (ids kept), malformed inputs with located
//! errors, registry names and categories.

use super::*;

const EXEMPT: &str = "content/lists/scjg/2024-exempt.md";

#[test]
fn a_revision_keeps_ids_through_reordering_edits_additions_and_removals() {
    // The fixture list has SJ-MF-001 (营业执照) and SJ-MF-002 (健康证明).
    // The new table: a new item first, 002 with its text edited a little
    // and its handling changed, 001 exactly (spaces aside) but moved, and
    // nothing for an item the table drops (added first, then dropped).
    let v1 = "违法行为,违反的法律依据,处罚依据,适用条件,处理方式,备注\n\
              未将营业执照置于住所或者主要经营场所的醒目位置,《市场主体登记管理条例》第三十六条,《市场主体登记管理条例》第四十八条,首次被发现，且在责令改正期限内改正的,不予行政处罚，责令改正,个体工商户适用本项。\n\
              从业人员未取得健康证明上岗,《食品安全法》第四十五条,,首次被发现，立即停止该人员上岗的,不予行政处罚，责令改正,\n\
              未按规定标注生产日期的,《食品安全法》第六十七条,,首次的,不予行政处罚,\n";
    let site = Site::fixture("minimal").file("v1.csv", v1);
    let run = import(&site, "v1.csv", "scjg/2024-exempt", &[]).success();
    assert_eq!(run.stdout, "新增 SJ-MF-003：未按规定标注生产日期的\n");
    let v2 = "序号,违法行为,违反的法律依据,处罚依据,适用条件,处理方式,备注\n\
              1,销售超过保质期不足一日的食品的,《食品安全法》第三十四条,,首次的,不予行政处罚,\n\
              2,从业人员未取得 健康证明上岗的,《食品安全法》第四十五条,,首次被发现，立即停止该人员上岗的,不予行政处罚，责令改正并培训,\n\
              3,未将营业执照置于住所或者主要经营场所的醒目位置。,《市场主体登记管理条例》第三十六条,《市场主体登记管理条例》第四十八条,首次被发现，且在责令改正期限内改正的,不予行政处罚，责令改正,个体工商户适用本项。\n";
    // What the clerk wrote by hand, which no spreadsheet carries, stays.
    let site = site.file("v2.csv", v2).edit(
        EXEMPT,
        "id = \"SJ-MF-002\"\n",
        "id = \"SJ-MF-002\"\nsummary = \"员工没办健康证就上岗，第一次且立即停岗的不罚款。\"\nindustries = [\"catering\", \"hazchem\"]\n",
    );
    let before = site.read(EXEMPT);
    let run = import(
        &site,
        "v2.csv",
        "scjg/2024-exempt",
        &["--effective", "2025-03-01"],
    )
    .success();
    insta::assert_snapshot!(format!("{}\n---\n{}", run.stdout, run.stderr));
    let got = items(&site, EXEMPT);
    let ids: Vec<&str> = got.iter().map(|i| field(i, "id")).collect();
    assert_eq!(ids, ["SJ-MF-004", "SJ-MF-002", "SJ-MF-001"]);
    assert_eq!(field(&got[1], "handling"), "不予行政处罚，责令改正并培训");
    let after = site.read(EXEMPT);
    assert!(
        after.contains("summary = \"员工没办健康证就上岗，第一次且立即停岗的不罚款。\"\nindustries = [\"catering\", \"hazchem\"]\n"),
        "{after}"
    );
    // The other keys and the body are kept; the flag replaced `effective`.
    for kept in [
        "doc_number = \"测市监〔2024〕12号\"",
        "districts = [\"chengdong\"]",
        "tags = [\"首违不罚\"]",
        "对清单所列轻微违法行为，依法不予行政处罚",
        "effective = 2025-03-01",
    ] {
        assert!(after.contains(kept), "{kept} lost:\n{after}");
    }
    assert!(before.contains("effective = 2024-03-01"));
    site.check().success();
}

/// Runs an import that must fail: exit 1, the target untouched (absent or
/// as it was), no temporary file left; returns stderr.
#[track_caller]
fn import_fails(site: &Site, source: &str, target: &str, extra: &[&str]) -> String {
    let rel = format!("content/lists/{target}.md");
    let before = std::fs::read(site.path(&rel)).ok();
    let run = import(site, source, target, extra).code(1);
    assert_eq!(std::fs::read(site.path(&rel)).ok(), before, "{rel} changed");
    let dir = std::fs::read_dir(site.path("content/lists/scjg")).expect("dir");
    for e in dir {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "left behind: {name}");
    }
    assert!(run.stderr.ends_with("未写入任何文件。\n"), "{}", run.stderr);
    run.stderr
}

#[test]
fn malformed_inputs_are_located_and_write_nothing() {
    let empty_sheet = xlsx(&[("空表", &[], &[])]);
    let garbage = b"PK\x03\x04 not really a workbook".to_vec();
    let rows: &[&[&str]] = &[
        &["序号", "违法行为", "法律依据", "适用条件", "处理方式"],
        &["1", "未亮照经营的", "《条例》第三十六条", "首次的", ""],
        &["2", "", "《条例》第三十七条", "首次的", "不予处罚"],
        &["一、登记注册类", "", "", "", ""],
        &[
            "3",
            "未按规定公示年报的",
            "《条例》第四十条",
            "首次的",
            "不予处罚",
        ],
    ];
    let site = Site::fixture("minimal")
        .file("空.xlsx", empty_sheet)
        .file("坏.xlsx", garbage)
        .file("坏.docx", "这不是 Word 文件")
        .file("无表头.csv", "甲,乙,丙\n1,2,3\n")
        .file(
            "缺列.csv",
            "序号,违法行为,法律依据,适用条件,备注\n1,甲,乙,丙,丁\n",
        )
        .file(
            "清单.csv",
            "违法行为,法律依据,适用条件,处理方式\n甲,乙,丙,丁\n",
        )
        .file("清单.pdf", "%PDF-1.4")
        .file("空行.xlsx", xlsx(&[("清单", rows, &[])]));
    let mut out = String::new();
    for (source, target, extra) in [
        ("空.xlsx", "scjg/2025-imported", &FLAGS[..]),
        ("坏.xlsx", "scjg/2025-imported", &FLAGS[..]),
        ("坏.docx", "scjg/2025-imported", &FLAGS[..]),
        ("不存在.xlsx", "scjg/2025-imported", &FLAGS[..]),
        ("清单.pdf", "scjg/2025-imported", &FLAGS[..]),
        ("无表头.csv", "scjg/2025-imported", &FLAGS[..]),
        ("缺列.csv", "scjg/2025-imported", &FLAGS[..]),
        ("空行.xlsx", "scjg/2025-imported", &FLAGS[..]),
        (
            "清单.csv",
            "scjg/2025-imported",
            &["--agency", "市场监管局", "--kind", "exempt"][..],
        ),
        (
            "清单.csv",
            "scjg/2025-imported",
            &[
                "--agency",
                "scjg",
                "--kind",
                "exempt",
                "--effective",
                "2025-13-01",
            ][..],
        ),
        ("清单.csv", "scjg/2025-imported", &["--kind", "exempt"][..]),
        (
            "清单.csv",
            "scjg/2025-imported",
            &["--agency", "scjg", "--kind", "exempt"][..],
        ),
    ] {
        out.push_str(&format!(
            "$ gongshi import {source} {target} {}\n",
            extra.join(" ")
        ));
        out.push_str(&import_fails(&site, source, target, extra));
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

#[test]
fn a_registered_name_is_accepted_for_agency_and_kind() {
    // Names are what a clerk knows; they are written as keys.
    let site = Site::fixture("minimal").file(
        "清单.csv",
        "违法行为,法律依据,适用条件,处理方式\n甲行为,乙依据,丙条件,丁方式\n",
    );
    import(
        &site,
        "清单.csv",
        "scjg/2025-imported",
        &[
            "--agency",
            "市市场监督管理局",
            "--kind",
            "轻微违法行为免罚清单",
            "--title",
            "名称",
        ],
    )
    .success();
    let text = site.read(NEW);
    assert!(
        text.contains("agency = \"scjg\"\nkind = \"exempt\""),
        "{text}"
    );
    site.check().success();
}

#[test]
fn an_item_category_outside_the_declared_categories_is_located() {
    let site = Site::fixture("minimal").file(
        NEW,
        r#"+++
title = "分类清单"
date = 2025-01-02
agency = "scjg"
kind = "exempt"
categories = ["一、登记注册类", "一、登记注册类", ""]

[[items]]
id = "A-1"
category = "二、广告类"
violation = "甲"
basis = "乙"
conditions = "丙"
handling = "丁"
+++
"#,
    );
    let run = site.check().failure();
    // This file's diagnostics with their hints (the fixture's freshness
    // warnings depend on the day).
    let mut mine = Vec::new();
    let mut keep = false;
    for line in run.stderr.lines() {
        if !line.starts_with("  ") {
            keep = line.starts_with(NEW);
        }
        if keep {
            mine.push(line);
        }
    }
    insta::assert_snapshot!(mine.join("\n"));
}

#[test]
fn revising_says_which_comments_it_did_not_keep_and_where_the_front_matter_is_broken() {
    let csv = "违法行为,违反的法律依据,适用条件,处理方式\n\
               未将营业执照置于住所或者主要经营场所的醒目位置,《市场主体登记管理条例》第三十六条,首次被发现的,不予行政处罚\n";
    let site = Site::fixture("minimal").file("v.csv", csv).edit(
        EXEMPT,
        "agency = \"scjg\"\n",
        "agency = \"scjg\"\n# 内部备注：第5项待法规处复核\n",
    );
    let run = import(&site, "v.csv", "scjg/2024-exempt", &[]).success();
    assert!(
        run.stderr.contains("原有的 1 行注释没有保留")
            && run.stderr.contains("# 内部备注：第5项待法规处复核"),
        "{}",
        run.stderr
    );
    // A revision onto a list whose front matter is broken names its line,
    // in Chinese, and writes nothing.
    let site = Site::fixture("minimal").file("v.csv", csv).edit(
        EXEMPT,
        "agency = \"scjg\"\n",
        "agency = \"scjg\n",
    );
    let stderr = import_fails(&site, "v.csv", "scjg/2024-exempt", &[]);
    // As `check` words it: the line, then the parser's own words only beside
    // the Chinese.
    assert!(
        stderr.contains("2024-exempt.md：第 5 行：TOML 语法错误：文字缺少结尾的引号"),
        "{stderr}"
    );
}

#[test]
fn the_sites_own_spreadsheet_reimported_changes_nothing() {
    // A clerk downloads the published CSV, edits nothing, imports it back:
    // the 序号 column is the site's own numbering, not a change.
    let site = Site::fixture("minimal");
    site.build();
    let csv = site.read("public/lists/scjg/2024-exempt/2024-exempt.csv");
    let before = site.read(EXEMPT);
    let site = site.file("downloaded.csv", csv);
    let run = import(&site, "downloaded.csv", "scjg/2024-exempt", &[]).success();
    assert_eq!(run.stdout, "", "{}", run.stderr);
    assert!(
        run.stderr.contains("新增 0 项，修改 0 项，删除 0 项"),
        "{}",
        run.stderr
    );
    let after = site.read(EXEMPT);
    assert!(!after.contains("\nno = "), "{after}");
    assert_eq!(
        items(&site, EXEMPT).len(),
        before.matches("[[items]]").count()
    );
}
