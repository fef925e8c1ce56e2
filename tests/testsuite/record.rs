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
        "部门键,部门,部门网页,现行清单数,轻微违法行为免罚清单,一般违法行为从轻减轻处罚清单,超过12个月未修订的清单数,有效风险提示数,本年度行政指导数,行政指导：引导,行政指导：示范,行政指导：提示,行政指导：辅导,行政指导：建议,行政指导：规劝,行政指导：约谈,行政指导：回访,使用的指导方式数,典型案例数,最新发布日期,最新发布文件"
    );
    assert_eq!(
        lines[1],
        "scjg,市市场监督管理局,https://example.gov.cn/agencies/scjg/,1,1,0,1,0,1,0,0,1,0,0,0,0,0,1,1,2025-11-01,https://example.gov.cn/lists/scjg/2026-mitigated/"
    );
    assert_eq!(
        lines[2],
        "yjgl,市应急管理局,https://example.gov.cn/agencies/yjgl/,3,2,1,1,1,2,0,0,0,0,0,0,2,0,1,0,2025-10-20,https://example.gov.cn/guidance/2025-hazchem-interview-2/"
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
