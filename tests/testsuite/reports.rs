//! Annual reports (服务型行政执法工作专项报告, `reports/`): the report page
//! and its figures table, the pages by year and by agency, the feed, the
//! sitemap, search and open data; the located errors of bad figures, a
//! second report of an agency for one year, a year after publication and a
//! folder where the generated pages are.
//!
//! The fixture `reports` (over `minimal`): 市场监管 2023 and 2024 with
//! figures, 应急管理 2024 without any.

use crate::harness::Site;

fn site() -> Site {
    Site::fixture("minimal").overlay("reports")
}

const REPORT: &str = "public/reports/scjg/2024/index.html";

#[test]
fn a_report_page_shows_its_year_doc_number_and_figures_as_a_table() {
    let site = site();
    site.build().success();
    site.file_contains(REPORT, "<p class=\"doc-type\">年度报告</p>")
        .file_contains(REPORT, "<td>测市监〔2025〕9号</td>")
        .file_contains(
            REPORT,
            "<dt>报告年度</dt><dd><a href=\"/reports/years/2024/\">2024年度</a></dd>",
        )
        .file_contains(
            REPORT,
            "<a href=\"/reports/agencies/scjg/\">市市场监督管理局历年报告</a>",
        )
        .file_contains(
            REPORT,
            "<caption>2024年度服务型行政执法工作数据</caption>",
        )
        .file_contains(
            REPORT,
            "<tr><th scope=\"col\">项目</th><th scope=\"col\" class=\"num\">数量</th></tr>",
        )
        .file_contains(
            REPORT,
            "<tr><th scope=\"row\">不予处罚案件数</th><td class=\"num\"><data value=\"126\">126件</data></td></tr>",
        )
        .file_contains(
            REPORT,
            "<tr><th scope=\"row\">执法回访</th><td class=\"num\"><data value=\"210\">210次</data></td></tr>",
        )
        // Chinese number writing, and the guidance by method with its sum.
        .file_contains(
            REPORT,
            "<th scope=\"row\">行政指导：提示</th><td class=\"num\"><data value=\"1530\">1,530次</data></td>",
        )
        .file_contains(
            REPORT,
            "<th scope=\"row\">行政指导合计</th><td class=\"num\"><data value=\"1542\">1,542次</data></td>",
        )
        // Methods the report does not give are not shown as 0.
        .file_lacks(REPORT, "行政指导：引导");
    // A report without figures has no table.
    site.file_lacks("public/reports/yjgl/2024/index.html", "figures-table")
        .file_contains("public/reports/yjgl/2024/index.html", "2024年度</a>");
    // Without figures of a kind, the 2023 report shows only what it gives.
    site.file_lacks(
        "public/reports/scjg/2023/index.html",
        "从轻、减轻处罚案件数",
    );
}

/// The position of `needle` in `hay`, which must contain it.
#[track_caller]
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} missing in:\n{hay}"))
}

#[test]
fn the_index_groups_reports_by_year_newest_first() {
    let site = site();
    site.build().success();
    let index = site.read("public/reports/index.html");
    let y2024 = at(&index, "<h2 id=\"report-year-2024\">2024年度");
    let y2023 = at(&index, "<h2 id=\"report-year-2023\">2023年度");
    assert!(y2024 < y2023, "newest year first");
    // Within a year, agencies in site.toml's order (scjg, then yjgl).
    let scjg = at(&index, "市市场监督管理局2024年度服务型行政执法工作专项报告");
    let yjgl = at(&index, "市应急管理局2024年度服务型行政执法工作情况报告");
    assert!(y2024 < scjg && scjg < yjgl && yjgl < y2023);
    site.file_contains("public/reports/index.html", "（2 份）")
        .file_contains(
            "public/reports/index.html",
            "<a href=\"/reports/agencies/yjgl/\">市应急管理局</a>",
        )
        .file_contains("public/reports/index.html", "href=\"/reports/years/2023/\"")
        // The folder's index is the reports by year, not a paginated listing.
        .file_lacks("public/reports/index.html", "文件列表");
}

#[test]
fn year_and_agency_pages_set_the_figures_side_by_side() {
    let site = site();
    site.build().success();
    let year = "public/reports/years/2024/index.html";
    site.file_contains(year, "<h1>2024年度服务型行政执法工作专项报告</h1>")
        .file_contains(
            year,
            "<caption id=\"report-table-caption\">2024年度各机关报告中的工作数据</caption>",
        )
        .file_contains(
            year,
            "<th scope=\"col\" class=\"num\">不予处罚案件数<span class=\"unit\">（件）</span></th>",
        )
        .file_contains(
            year,
            "<td class=\"num\"><data value=\"1542\">1,542</data></td>",
        )
        // 应急管理 gives no figures: 未列明, never 0.
        .file_contains(year, "<span class=\"not-given\">未列明</span>")
        .file_lacks(year, "<data value=\"0\">")
        .file_contains(year, "不作排名");
    let text = site.read(year);
    assert!(at(&text, ">市市场监督管理局<span") < at(&text, ">市应急管理局<span"));
    site.file_lacks(year, "2023年度服务型行政执法工作专项报告</a>");

    let agency = "public/reports/agencies/scjg/index.html";
    site.file_contains(
        agency,
        "<caption id=\"report-table-caption\">市市场监督管理局历年报告中的工作数据</caption>",
    )
    .file_contains(agency, "<th scope=\"col\">报告年度</th>")
    .file_contains(agency, "href=\"/agencies/scjg/\"");
    let text = site.read(agency);
    assert!(at(&text, ">2024年度<span") < at(&text, ">2023年度<span"));
    // An agency without reports has no such page; one with reports is
    // linked from its own page.
    site.file_missing("public/reports/agencies/xfjy")
        .file_contains(
            "public/agencies/scjg/index.html",
            "<a href=\"/reports/agencies/scjg/\">市市场监督管理局历年服务型行政执法工作专项报告</a>",
        )
        // and its reports are among its documents.
        .file_contains(
            "public/agencies/yjgl/index.html",
            "市应急管理局2024年度服务型行政执法工作情况报告",
        );
    // A report is filed under the year it reports on, not its publication's.
    site.file_contains(
        "public/years/2023/index.html",
        "市市场监督管理局2023年度服务型行政执法工作专项报告",
    );
}

#[test]
fn reports_are_in_the_menu_feeds_sitemap_and_search() {
    let site = site();
    site.build().success();
    site.file_contains("public/index.html", "<a href=\"/reports/\"")
        .file_contains(
            "public/reports/atom.xml",
            "<title>市市场监督管理局2024年度服务型行政执法工作专项报告</title>",
        )
        .file_contains(
            "public/reports/atom.xml",
            "<category term=\"reports\" label=\"年度报告\"/>",
        )
        .file_contains(
            "public/agencies/scjg/atom.xml",
            "市市场监督管理局2023年度服务型行政执法工作专项报告",
        );
    for url in [
        "reports/",
        "reports/years/2024/",
        "reports/years/2023/",
        "reports/agencies/scjg/",
        "reports/agencies/yjgl/",
        "reports/scjg/2024/",
    ] {
        site.file_contains(
            "public/sitemap.xml",
            &format!("<loc>https://example.gov.cn/{url}</loc>"),
        );
    }
    let meta: serde_json::Value =
        serde_json::from_str(&site.read("public/search/meta.json")).expect("meta.json");
    let types = meta["types"].as_array().expect("types");
    let kind = types
        .iter()
        .position(|t| t["key"] == "reports")
        .expect("a reports kind");
    assert_eq!(types[kind]["name"], "年度报告");
    let count: u64 = meta["ranges"]
        .as_array()
        .expect("ranges")
        .iter()
        .filter(|r| r[0] == kind)
        .map(|r| r[1].as_u64().expect("count"))
        .sum();
    assert_eq!(count, 3, "one search record per report");
}

#[test]
fn open_data_has_a_row_per_report_with_figures_as_columns() {
    let site = site();
    site.build().success();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/data/reports.json")).expect("reports.json");
    assert_eq!(json["count"], 3);
    let reports = json["reports"].as_array().expect("reports");
    let first = &reports[0];
    assert_eq!(first["year"], 2024);
    assert_eq!(first["agency"]["key"], "scjg");
    assert_eq!(first["doc_number"], "测市监〔2025〕9号");
    assert_eq!(first["url"], "https://example.gov.cn/reports/scjg/2024/");
    assert_eq!(first["figures"]["exempted"], 126);
    assert_eq!(first["figures"]["guidance"]["remind"], 1530);
    assert!(first["figures"]["guidance"]["guide"].is_null());
    assert_eq!(first["figures"]["guidance_total"], 1542);
    assert_eq!(reports[1]["agency"]["key"], "yjgl");
    assert!(reports[1]["figures"].is_null(), "no figures: null, not 0");
    assert_eq!(reports[2]["year"], 2023);
    assert!(reports[2]["figures"]["mitigated"].is_null());

    let csv = site.read("public/data/reports.csv");
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "\u{feff}报告年度,机构键,发布机构,标题,文号,发布日期,网页地址,不予处罚案件数（件）,从轻、减轻处罚案件数（件）,不予实施行政强制措施案件数（件）,行政调解（件）,执法回访（次）,行政指导·引导（次）,行政指导·示范（次）,行政指导·提示（次）,行政指导·辅导（次）,行政指导·建议（次）,行政指导·规劝（次）,行政指导·约谈（次）,行政指导·回访（次）,行政指导合计（次）"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "2024,scjg,市市场监督管理局,市市场监督管理局2024年度服务型行政执法工作专项报告,测市监〔2025〕9号,2025-02-18,https://example.gov.cn/reports/scjg/2024/,126,48,5,37,210,,,1530,,,,12,,1542"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "2024,yjgl,市应急管理局,市应急管理局2024年度服务型行政执法工作情况报告,测应急〔2025〕3号,2025-01-22,https://example.gov.cn/reports/yjgl/2024/,,,,,,,,,,,,,,"
        )
    );

    let catalog: serde_json::Value =
        serde_json::from_str(&site.read("public/data/catalog.json")).expect("catalog");
    assert_eq!(catalog["datasets"][0]["key"], "reports");
    assert_eq!(
        catalog["datasets"][0]["csv"],
        "https://example.gov.cn/data/reports.csv"
    );
    let typed: Vec<&serde_json::Value> = catalog["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .filter(|d| d["type"] == "reports")
        .collect();
    assert_eq!(typed.len(), 3);
    site.file_contains("public/data/index.html", "年度报告工作数据")
        .file_contains("public/data/index.html", "href=\"/data/reports.csv\"");
}

/// Runs a build that must fail, checks nothing was written, returns stderr.
#[track_caller]
fn build_fails(site: &Site) -> String {
    let run = site.run(&["build"]).failure();
    site.file_missing("public");
    run.stderr
}

#[test]
fn bad_figures_are_located_by_their_key_path() {
    let site = site().file(
        "content/reports/scjg/2022.md",
        r#"+++
title = "市市场监督管理局2022年度服务型行政执法工作专项报告"
date = 2023-02-01
agency = "scjg"
year = 2022

[figures]
exempted = -3
mitigated = 12.5
no_coercion = "5"
mediation = 37
revisits = 7.0

[figures.guidance]
remind = "1,530"
visit = 12
interview = -1
+++

正文。
"#,
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn a_second_report_of_an_agency_for_a_year_names_both_files() {
    let site = site()
        .file(
            "content/reports/2024-scjg-again.md",
            "+++\ntitle = \"市市场监督管理局2024年度工作报告（重复）\"\ndate = 2025-03-01\nagency = \"scjg\"\nyear = 2024\n+++\n\n正文。\n",
        )
        .file(
            "content/reports/yjgl/2025.md",
            "+++\ntitle = \"市应急管理局2025年度服务型行政执法工作专项报告\"\ndate = 2025-11-01\nagency = \"yjgl\"\nyear = 2026\n+++\n\n正文。\n",
        )
        .file(
            "content/reports/years/2024.md",
            "+++\ntitle = \"放错目录的报告\"\ndate = 2025-03-01\nagency = \"yjgl\"\nyear = 2023\n+++\n\n正文。\n",
        );
    insta::assert_snapshot!(build_fails(&site));
}
