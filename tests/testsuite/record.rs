//! 执法公示情况 (Articles 4 and 10): one row per agency computed from the
//! content on the build day (2025-11-28, see the harness), on its page, on
//! each agency's page and in `data/record.json`/`.csv`. The fixture is
//! the minimal site plus the files below, so every number is known:
//!
//! - scjg: lists 2023 (superseded), 2024 (current, last revised
//!   2024-02-20: over 12 months), 2026 (not yet in force); a warning
//!   expired on 2025-06-30; guidance 2025 提示; one case; newest
//!   publication 2025-11-01 (the 2026 list, published early).
//! - yjgl: three current lists — revised 2025-01-10 (`updated`), published
//!   2024-11-28 (exactly 12 months: not marked) and 2024-11-27 (marked);
//!   a warning valid until 2026-03-31; two 约谈 notices of 2025 and a 引导
//!   notice of 2024 (not this year's); newest 2025-10-20.
//!
//! With the `reports` overlay (the tests at the end): this year's report
//! is the one on 2024, last year's the one on 2023. scjg has both, the
//! 2024 one with every figure but five guidance methods, the 2023 one with
//! two; yjgl has the 2024 one without figures. A 2024 提示 notice and a
//! case of 2024 of scjg are added, so the site's counts of 2024 are known.

use crate::harness::Site;

fn list(title: &str, date: &str, extra: &str, kind: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\neffective = {date}\nagency = \"yjgl\"\nkind = \"{kind}\"\n{extra}\n[[items]]\nid = \"1\"\nviolation = \"未按规定组织安全生产教育和培训\"\nbasis = \"《中华人民共和国安全生产法》第二十八条\"\nconditions = \"首次发现，及时改正\"\nhandling = \"不予行政处罚，责令改正\"\n+++\n\n本清单自施行之日起执行。\n"
    )
}

fn guidance(title: &str, date: &str, method: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\nagency = \"yjgl\"\nmethod = \"{method}\"\naudience = \"全市危险化学品经营单位\"\n+++\n\n请各单位对照整改。\n"
    )
}

fn site() -> Site {
    Site::fixture("minimal")
        .file(
            "content/lists/yjgl/2024-updated.md",
            list(
                "应急管理领域从轻减轻处罚清单",
                "2024-06-01",
                "updated = 2025-01-10\n",
                "mitigated",
            ),
        )
        .file(
            "content/lists/yjgl/2024-boundary.md",
            list("应急管理领域免罚清单（危化品）", "2024-11-28", "", "exempt"),
        )
        .file(
            "content/lists/yjgl/2024-stale.md",
            list("应急管理领域免罚清单（工贸）", "2024-11-27", "", "exempt"),
        )
        .file(
            "content/guidance/2025-hazchem-interview-1.md",
            guidance("危化品储存问题约谈纪要（一）", "2025-09-01", "interview"),
        )
        .file(
            "content/guidance/2025-hazchem-interview-2.md",
            guidance("危化品储存问题约谈纪要（二）", "2025-10-20", "interview"),
        )
        .file(
            "content/guidance/2024-hazchem-guide.md",
            guidance("危化品经营许可办理指引", "2024-05-06", "guide"),
        )
}

fn record(site: &Site) -> serde_json::Value {
    serde_json::from_str(&site.read("public/data/record.json")).expect("record.json")
}

fn row<'a>(record: &'a serde_json::Value, agency: &str) -> &'a serde_json::Value {
    record["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .find(|r| r["agency"] == agency)
        .expect("agency row")
}

#[test]
fn every_figure_is_counted_from_the_content_on_the_build_day() {
    let site = site();
    site.build();
    let record = record(&site);
    assert_eq!(record["as_of"], "2025-11-28");
    assert_eq!(record["year"], 2025);
    assert_eq!(record["stale_months"], 12);
    let order: Vec<&str> = record["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["agency"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["scjg", "yjgl"], "site.toml's order");

    let scjg = row(&record, "scjg");
    let lists = scjg["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 1, "only the current list: {lists:?}");
    assert_eq!(
        lists[0]["url"],
        "https://example.gov.cn/lists/scjg/2024-exempt/"
    );
    assert_eq!(lists[0]["revised"], "2024-02-20");
    assert_eq!(lists[0]["stale"], true);
    assert_eq!(scjg["lists_by_kind"]["exempt"], 1);
    assert_eq!(
        scjg["lists_by_kind"]["mitigated"], 0,
        "2026 list not in force"
    );
    assert_eq!(scjg["stale_lists"], 1);
    assert_eq!(scjg["warnings"].as_array().unwrap().len(), 0, "expired");
    assert_eq!(scjg["guidance_this_year"], 1);
    assert_eq!(scjg["methods_used"], 1);
    let remind = &scjg["guidance_by_method"][2];
    assert_eq!(
        (&remind["key"], &remind["count"]),
        (&"remind".into(), &1.into())
    );
    assert_eq!(
        scjg["cases"],
        serde_json::json!(["https://example.gov.cn/cases/2025-bakery/"])
    );
    assert_eq!(scjg["newest_date"], "2025-11-01");
    assert_eq!(
        scjg["newest_url"],
        "https://example.gov.cn/lists/scjg/2026-mitigated/"
    );

    let yjgl = row(&record, "yjgl");
    let stale: Vec<(&str, &str, bool)> = yjgl["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["url"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("https://example.gov.cn/lists/yjgl/"),
                l["revised"].as_str().unwrap(),
                l["stale"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        stale,
        [
            ("2024-boundary/", "2024-11-28", false),
            ("2024-stale/", "2024-11-27", true),
            ("2024-updated/", "2025-01-10", false),
        ],
        "newest first; 12 months to the day is not over 12 months"
    );
    assert_eq!(yjgl["lists_by_kind"]["exempt"], 2);
    assert_eq!(yjgl["lists_by_kind"]["mitigated"], 1);
    assert_eq!(yjgl["stale_lists"], 1);
    assert_eq!(
        yjgl["warnings"],
        serde_json::json!(["https://example.gov.cn/warnings/2025-catering-gas/"])
    );
    assert_eq!(
        yjgl["guidance_this_year"], 2,
        "the 2024 notice is not this year's"
    );
    assert_eq!(yjgl["methods_used"], 1);
    let counts: Vec<u64> = yjgl["guidance_by_method"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["count"].as_u64().unwrap())
        .collect();
    assert_eq!(
        counts,
        [0, 0, 0, 0, 0, 0, 2, 0],
        "guide … interview, revisit"
    );
    assert_eq!(yjgl["cases"], serde_json::json!([]));
    assert_eq!(yjgl["newest_date"], "2025-10-20");
}

#[test]
fn the_csv_opens_in_excel_with_one_row_per_agency() {
    let site = site();
    site.build();
    let csv = site.read("public/data/record.csv");
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines[0],
        "部门键,部门,部门网页,现行清单数,轻微违法行为免罚清单,一般违法行为从轻减轻处罚清单,超过12个月未修订的清单数,有效风险提示数,本年度行政指导数,行政指导：引导,行政指导：示范,行政指导：提示,行政指导：辅导,行政指导：建议,行政指导：规劝,行政指导：约谈,行政指导：回访,使用的指导方式数,典型案例数,2024年度报告,2023年度报告,最新发布日期,最新发布文件"
    );
    assert_eq!(
        lines[1],
        "scjg,市市场监督管理局,https://example.gov.cn/agencies/scjg/,1,1,0,1,0,1,0,0,1,0,0,0,0,0,1,1,未发布,未发布,2025-11-01,https://example.gov.cn/lists/scjg/2026-mitigated/"
    );
    assert_eq!(
        lines[2],
        "yjgl,市应急管理局,https://example.gov.cn/agencies/yjgl/,3,2,1,1,1,2,0,0,0,0,0,0,2,0,1,0,未发布,未发布,2025-10-20,https://example.gov.cn/guidance/2025-hazchem-interview-2/"
    );
    assert_eq!(lines[3], "", "ends with a line break");
    assert_eq!(lines.len(), 4);
}

#[test]
fn the_page_is_a_table_with_links_to_what_each_count_counts() {
    let site = site();
    site.build();
    let page = site.read("public/record/index.html");
    for needle in [
        "<h1>执法公示情况</h1>",
        "<table class=\"record-table\" data-sortable>",
        "<caption>各部门执法公示情况（截至 2025年11月28日）</caption>",
        "<th scope=\"col\" data-sort-type=\"number\">2025年行政指导</th>",
        "<th scope=\"row\" data-label=\"部门\"><a href=\"#record-yjgl\">市应急管理局</a></th>",
        "<a href=\"#record-yjgl-lists\">3 份</a>",
        "1 份超过 12 个月未修订",
        "<a href=\"#record-yjgl-guidance\">2 篇</a>",
        "<span class=\"record-sub\">约谈 2</span>",
        // Nothing to count: a number, no link.
        "<td data-label=\"典型案例\" data-sort=\"0\">0 篇</td>",
        "<section class=\"record-agency\" id=\"record-yjgl\"",
        "<h3 id=\"record-yjgl-lists\">现行清单<span class=\"count\">（3 份）</span></h3>",
        "<a href=\"/lists/yjgl/2024-stale/\">应急管理领域免罚清单（工贸）</a>",
        "最近修订 <time datetime=\"2024-11-27\">2024年11月27日</time>",
        "<li>约谈 2</li>",
        "<li class=\"unused\">引导 0</li>",
        "<a href=\"/guidance/2025-hazchem-interview-2/\">危化品储存问题约谈纪要（二）</a>",
        "<a href=\"/data/record.csv\">CSV",
        // No ranking of our invention.
        "不作排名或评分",
    ] {
        assert!(page.contains(needle), "{needle} in\n{page}");
    }
    // Outside the table, no count reads as a score.
    assert!(!page.contains("得分") && !page.contains("排名第"));
    // The 2024 guidance notice is not this year's.
    assert!(!page.contains("危化品经营许可办理指引"));
}

#[test]
fn each_agency_page_carries_its_own_row() {
    let site = site();
    site.build();
    let page = site.read("public/agencies/yjgl/index.html");
    for needle in [
        "<h2 id=\"record-title\">执法公示情况<span class=\"count\">（截至 2025年11月28日）</span></h2>",
        "<a href=\"/record/#record-yjgl\">与其他部门对照查看执法公示情况</a>",
        "<h3 id=\"record-yjgl-warnings\">有效的风险提示<span class=\"count\">（1 篇）</span></h3>",
        "<a href=\"/warnings/2025-catering-gas/\">",
    ] {
        assert!(page.contains(needle), "{needle} in\n{page}");
    }
    // Not another agency's.
    assert!(!page.contains("record-scjg"));
    // A district's page has none.
    site.file_lacks("public/districts/chengdong/index.html", "record-title");
}

#[test]
fn the_record_is_linked_listed_and_catalogued() {
    let site = site();
    site.build();
    site.file_contains(
        "public/sitemap.xml",
        "<loc>https://example.gov.cn/record/</loc>",
    )
    .file_contains("public/index.html", "<a href=\"/record/\">执法公示情况</a>")
    .file_contains(
        "public/agencies/index.html",
        "<a href=\"/record/\">查看各部门执法公示情况</a>",
    )
    .file_contains(
        "public/data/index.html",
        "<h2 id=\"data-record-title\">执法公示情况</h2>",
    )
    .file_contains("public/data/index.html", "<code>stale_lists</code>");
    let catalog: serde_json::Value =
        serde_json::from_str(&site.read("public/data/catalog.json")).unwrap();
    let ds = catalog["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "record")
        .expect("the record in the catalog's datasets");
    assert_eq!(ds["page"], "https://example.gov.cn/record/");
    assert_eq!(ds["json"], "https://example.gov.cn/data/record.json");
    assert_eq!(ds["csv"], "https://example.gov.cn/data/record.csv");
    assert!(ds["fields"].as_array().unwrap().len() >= 10);
}

#[test]
fn content_named_record_clashes_with_the_page() {
    Site::fixture("minimal")
        .file("content/record.md", "+++\ntitle = \"记录\"\n+++\n\n正文\n")
        .run(&["build"])
        .failure()
        .stderr_contains("与系统生成的页面冲突");
}

/// The fixture with the annual reports, and a 提示 notice and an exemplar
/// case of scjg's of 2024 (the year its latest report is on).
fn with_reports() -> Site {
    site()
        .overlay("reports")
        .file(
            "content/guidance/2024-scjg-remind.md",
            "+++\ntitle = \"关于食品经营许可证到期换证的提示\"\ndate = 2024-03-01\nagency = \"scjg\"\nmethod = \"remind\"\naudience = \"全市食品经营者\"\n+++\n\n请及时办理换证。\n",
        )
        .file(
            "content/cases/2024-grocery.md",
            "+++\ntitle = \"某便利店首次销售标签瑕疵食品不予处罚案\"\ndate = 2025-01-15\nagency = \"scjg\"\nyear = 2024\noutcome = \"不予行政处罚\"\n+++\n\n## 案情简介\n\n标签瑕疵，当场改正。\n",
        )
}

#[test]
fn this_years_report_is_on_last_year_and_each_column_says_which() {
    let site = with_reports();
    site.build();
    let record = record(&site);
    assert_eq!(record["report_years"], serde_json::json!([2024, 2023]));
    assert_eq!(
        row(&record, "scjg")["reports"],
        serde_json::json!([
            {"year": 2024, "url": "https://example.gov.cn/reports/scjg/2024/"},
            {"year": 2023, "url": "https://example.gov.cn/reports/scjg/2023/"},
        ])
    );
    assert_eq!(row(&record, "scjg")["reports_published"], 2);
    assert_eq!(
        row(&record, "yjgl")["reports"],
        serde_json::json!([
            {"year": 2024, "url": "https://example.gov.cn/reports/yjgl/2024/"},
            {"year": 2023, "url": null},
        ])
    );
    assert_eq!(row(&record, "yjgl")["reports_published"], 1);

    let csv = site.read("public/data/record.csv");
    let lines: Vec<Vec<&str>> = csv
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .map(|l| l.split(',').collect())
        .collect();
    let col = |name: &str| lines[0].iter().position(|h| *h == name).expect(name);
    let (this, last) = (col("2024年度报告"), col("2023年度报告"));
    assert_eq!(last, this + 1);
    assert_eq!(
        (lines[1][this], lines[1][last]),
        (
            "https://example.gov.cn/reports/scjg/2024/",
            "https://example.gov.cn/reports/scjg/2023/"
        )
    );
    assert_eq!(
        (lines[2][this], lines[2][last]),
        ("https://example.gov.cn/reports/yjgl/2024/", "未发布")
    );

    let page = site.read("public/record/index.html");
    for needle in [
        "某年度的报告在次年年初发布，所以今年应发布的是2024年度报告，去年应发布的是2023年度报告。",
        "<th scope=\"col\" data-sort-type=\"number\">2024年度报告</th>",
        "<th scope=\"col\" data-sort-type=\"number\">2023年度报告</th>",
        "<td data-label=\"2024年度报告\" data-sort=\"1\"><a href=\"/reports/yjgl/2024/\">已发布<span class=\"visually-hidden\">：市应急管理局2024年度报告</span></a></td>",
        // Not published: plain text, no link.
        "<td data-label=\"2023年度报告\" data-sort=\"0\">未发布</td>",
        // How many agencies published each.
        "<td data-label=\"2024年度报告\">2 个部门已发布</td>",
        "<td data-label=\"2023年度报告\">1 个部门已发布</td>",
        // The row's detail lists every report of the agency.
        "<h3 id=\"record-scjg-reports\">年度报告<span class=\"count\">（2 份）</span></h3>",
        "<a href=\"/reports/scjg/2023/\">市市场监督管理局2023年度服务型行政执法工作专项报告</a> <span class=\"record-meta\">2023年度，<time datetime=\"2024-01-26\">2024年1月26日</time>发布</span>",
    ] {
        assert!(page.contains(needle), "{needle} in\n{page}");
    }
    site.file_contains("public/data/index.html", "<code>reports_published</code>");
}

/// The rows of the figures table of agency `key` on `page`: each row's
/// header and its two cells as text (each tag a space, spaces squeezed).
fn compared_rows(page: &str, key: &str) -> Vec<[String; 3]> {
    let start = page
        .find(&format!("aria-describedby=\"record-{key}-compared-note\""))
        .expect("a figures table");
    let table = &page[start..start + page[start..].find("</table>").unwrap()];
    let text = |html: &str| {
        let mut out = String::new();
        let mut tag = false;
        for c in html.chars() {
            match c {
                '<' => tag = true,
                '>' => {
                    tag = false;
                    out.push(' ');
                }
                c if !tag => out.push(c),
                _ => {}
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    table
        .split("<tr>")
        .skip(2)
        .map(|tr| {
            let th = &tr[tr.find("<th").unwrap()..tr.find("</th>").unwrap()];
            let tds: Vec<&str> = tr.split("<td").skip(1).collect();
            [
                text(&format!("{th}>")),
                text(&format!("<td{}", tds[0])),
                text(&format!("<td{}", tds[1])),
            ]
        })
        .collect()
}

#[test]
fn a_reports_figures_stand_beside_the_sites_own_counts_of_its_year() {
    let site = with_reports();
    site.build();
    let page = site.read("public/record/index.html");
    for needle in [
        "<caption>2024年度报告所列数字与本站公示对照</caption>",
        "<th scope=\"col\">报告所列（次、件）</th>",
        "<th scope=\"col\">本站公示（篇）</th>",
        "两者计量不同",
        // The site's count lists what it counts.
        "<summary>行政指导 1 篇</summary><ul><li><a href=\"/guidance/2024-scjg-remind/\">关于食品经营许可证到期换证的提示</a></li></ul>",
        "<summary>典型案例 1 篇</summary><ul><li><a href=\"/cases/2024-grocery/\">",
    ] {
        assert!(page.contains(needle), "{needle} in\n{page}");
    }
    let rows = compared_rows(&page, "scjg");
    let row = |name: &str| {
        rows.iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("{name} in {rows:?}"))
            .clone()
    };
    assert_eq!(
        rows.len(),
        12,
        "cases, three the site cannot see, eight methods"
    );
    assert_eq!(
        row("不予处罚、从轻减轻处罚案件"),
        [
            "不予处罚、从轻减轻处罚案件",
            "不予处罚 126件 从轻、减轻处罚 48件",
            "典型案例 1 篇 某便利店首次销售标签瑕疵食品不予处罚案"
        ]
    );
    assert_eq!(
        row("行政指导：提示")[1..],
        ["1,530次", "行政指导 1 篇 关于食品经营许可证到期换证的提示"]
    );
    assert_eq!(row("行政指导：约谈")[1..], ["12次", "行政指导 0 篇"]);
    // Not in the report: 未列明, never 0.
    assert_eq!(row("行政指导：引导")[1..], ["未列明", "行政指导 0 篇"]);
    // What the site does not publish.
    assert_eq!(row("行政调解")[1..], ["37件", "— 本站不公示此项"]);
    assert_eq!(row("执法回访")[1..], ["210次", "— 本站不公示此项"]);
    assert_eq!(
        row("不予实施行政强制措施案件数")[1..],
        ["5件", "— 本站不公示此项"]
    );
    // The 2025 notice and case are not the report year's.
    assert!(
        !rows
            .iter()
            .any(|r| r[2].contains("亮照经营") || r[2].contains("面包店"))
    );
    // A report without figures has no table; nor do agencies without one.
    assert!(!page.contains("record-yjgl-compared-note"));
    // An agency's page carries its own table.
    site.file_contains(
        "public/agencies/scjg/index.html",
        "<caption>2024年度报告所列数字与本站公示对照</caption>",
    )
    .file_lacks("public/agencies/yjgl/index.html", "compare-table");
}

#[test]
fn without_figures_this_year_the_last_report_that_gives_them_is_used() {
    let site = with_reports().edit(
        "content/reports/scjg/2024.md",
        "[figures]\nexempted = 126\nmitigated = 48\nno_coercion = 5\nmediations = 37\nrevisits = 210\n\n[figures.guidance]\nremind = 1530\ninterview = 12\n",
        "",
    );
    site.build();
    let page = site.read("public/record/index.html");
    assert!(page.contains("<caption>2023年度报告所列数字与本站公示对照</caption>"));
    let rows = compared_rows(&page, "scjg");
    let row = |name: &str| rows.iter().find(|r| r[0] == name).unwrap().clone();
    assert_eq!(
        row("不予处罚、从轻减轻处罚案件")[1],
        "不予处罚 93件 从轻、减轻处罚 未列明"
    );
    assert_eq!(row("执法回访")[1], "118次");
    assert_eq!(row("行政调解")[1], "未列明");
    // Counted in 2023 now: the 2024 notice is not.
    assert_eq!(row("行政指导：提示")[1..], ["未列明", "行政指导 0 篇"]);
}
