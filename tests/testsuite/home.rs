//! The home page's ways in (按行业, 按区域, 按部门, 行政指导方式) and its
//! 更新动态 block; the 更新动态 page linked from every page's footer and
//! listed in the sitemap.

use crate::harness::Site;

const HOME: &str = "public/index.html";

/// Where `needle` first occurs in `page`, failing the test when it does not.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("the home page lacks {needle:?}"))
}

/// The ways in come right after the intro, before the search box, each a
/// labelled navigation block with every term of its registry in
/// `site.toml` order; a term without documents is listed, marked 暂无, and
/// not linked.
#[test]
fn home_leads_with_every_way_in() {
    let site = Site::fixture("minimal");
    site.build();
    let home = site.read(HOME);
    let intro = at(&home, "<section class=\"home-intro\"");
    let blocks: Vec<usize> = [
        ("industries", "按行业"),
        ("districts", "按区域"),
        ("agencies", "按部门"),
        ("methods", "行政指导方式"),
    ]
    .iter()
    .map(|(key, title)| {
        let nav = at(
            &home,
            &format!("<nav class=\"way way-{key}\" aria-labelledby=\"way-{key}-title\">"),
        );
        let heading = at(&home, &format!("<h2 id=\"way-{key}-title\">{title}</h2>"));
        assert!(heading > nav, "{key}: the heading is inside its block");
        nav
    })
    .collect();
    assert!(intro < blocks[0], "the intro comes first");
    assert!(
        blocks.windows(2).all(|w| w[0] < w[1]),
        "industries, districts, agencies, then methods: {blocks:?}"
    );
    assert!(
        blocks[3] < at(&home, "<section class=\"home-search\""),
        "the ways in lead the page, before the search box"
    );

    // Industries in site.toml order with their counts; hazchem has no
    // document in this fixture.
    let catering = at(
        &home,
        "<li><a href=\"/industries/catering/\"><span class=\"way-name\">餐饮服务</span> <span class=\"way-count\">4 件</span></a></li>",
    );
    let hazchem = at(
        &home,
        "<li><span class=\"way-empty\"><span class=\"way-name\">危险化学品</span> <span class=\"way-count\">暂无</span></span></li>",
    );
    assert!(catering < hazchem);
    assert!(!home.contains("href=\"/industries/hazchem/\""));
    at(
        &home,
        "<a href=\"/districts/chengdong/\"><span class=\"way-name\">城东区</span> <span class=\"way-count\">2 件</span></a>",
    );
    let scjg = at(
        &home,
        "<a href=\"/agencies/scjg/\"><span class=\"way-name\">市市场监督管理局</span> <span class=\"way-count\">6 件</span></a>",
    );
    let yjgl = at(
        &home,
        "<a href=\"/agencies/yjgl/\"><span class=\"way-name\">市应急管理局</span> <span class=\"way-count\">1 件</span></a>",
    );
    assert!(scjg < yjgl);

    // All eight methods, in the regulation's order; the fixture's guidance
    // and case use 提示 (twice) and 回访.
    let methods = &home[blocks[3]..at(&home, "<section class=\"home-search\"")];
    let names: Vec<&str> = methods
        .split("<span class=\"way-name\">")
        .skip(1)
        .map(|s| &s[..s.find('<').unwrap_or(0)])
        .collect();
    assert_eq!(
        names,
        [
            "引导", "示范", "提示", "辅导", "建议", "规劝", "约谈", "回访"
        ]
    );
    assert_eq!(methods.matches("暂无").count(), 6, "{methods}");
    assert!(methods.contains(
        "<a href=\"/methods/remind/\"><span class=\"way-name\">提示</span> <span class=\"way-count\">2 件</span></a>"
    ));
    assert!(methods.contains(
        "<a href=\"/methods/revisit/\"><span class=\"way-name\">回访</span> <span class=\"way-count\">1 件</span></a>"
    ));
    // Every term linked from the home page has its page.
    for link in crate::harness::links(&home) {
        for segment in ["industries/", "districts/", "agencies/", "methods/"] {
            if let Some(rest) = link.strip_prefix(&format!("/{segment}")) {
                site.file_exists(&format!("public/{segment}{rest}index.html"));
            }
        }
    }
}

/// A registry without terms (no districts) has no block at all.
#[test]
fn a_registry_without_terms_has_no_block() {
    let site = Site::fixture("minimal")
        .edit(
            "site.toml",
            "[districts.chengdong]\nname = \"城东区\"\n",
            "",
        )
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "districts = [\"chengdong\"]\n",
            "",
        )
        .edit(
            "content/cases/2025-bakery.md",
            "districts = [\"chengdong\"]\r\n",
            "",
        );
    site.build();
    site.file_lacks(HOME, "way-districts")
        .file_lacks(HOME, "按区域")
        .file_contains(HOME, "way-industries")
        .file_contains(HOME, "way-methods");
}

/// The home page shows the five newest public revisions, newest first, and
/// links the 更新动态 page; the page is in the sitemap, dated by the newest
/// revision, and every page's footer links it.
#[test]
fn newest_changes_on_home_footer_and_sitemap() {
    let site = Site::fixture("minimal")
        .edit(
            "content/lists/scjg/2024-exempt.md",
            "effective = 2024-03-01",
            "effective = 2024-03-01\nrevisions = [\n  { date = 2024-06-01, note = \"调整第1项处理方式\" },\n  { date = 2025-01-10, note = \"第2项增加备注\" },\n]",
        )
        .edit(
            "content/guidance/2025-license-remind.md",
            "tags: [亮照经营]\n",
            "tags: [亮照经营]\nrevisions:\n  - date: 2025-03-01\n    note: 补充电子亮照的要求\n",
        )
        .edit(
            "content/warnings/2025-catering-gas.md",
            "valid_until = 2026-03-31",
            "valid_until = 2026-03-31\nrevisions = [{ date = 2025-05-01, note = \"增加燃气报警装置的要求\" }]",
        );
    site.build();
    let home = site.read(HOME);
    let block = &home
        [at(&home, "<section class=\"home-changes\"")..at(&home, "<div class=\"home-columns\">")];
    let dates: Vec<&str> = block
        .split("<time datetime=\"")
        .skip(1)
        .map(|s| &s[..10])
        .collect();
    assert_eq!(
        dates,
        [
            "2025-05-01",
            "2025-04-01",
            "2025-03-01",
            "2025-02-10",
            "2025-01-10"
        ],
        "{block}"
    );
    for note in [
        "增加燃气报警装置的要求",
        "补充电子亮照的要求",
        "第2项增加备注",
        "首次发布",
    ] {
        assert!(block.contains(note), "{note}: {block}");
    }
    assert!(!block.contains("调整第1项处理方式"), "only the five newest");
    assert!(block.contains("<a href=\"/changes/\">查看全部更新动态</a>"));
    site.file_contains("public/changes/index.html", "调整第1项处理方式")
        .file_contains(
            "public/sitemap.xml",
            "<url><loc>https://example.gov.cn/changes/</loc><lastmod>2025-05-01</lastmod></url>",
        );
    for page in [
        HOME,
        "public/lists/scjg/2024-exempt/index.html",
        "public/industries/catering/index.html",
        "public/changes/index.html",
        "public/search/index.html",
        "public/404.html",
    ] {
        site.file_contains(page, "<li><a href=\"/changes/\">更新动态</a></li>");
    }
}

/// Without any record (no git, no front-matter revisions) the block says so
/// and still links the page, which the sitemap lists without a date.
#[test]
fn no_changes_yet() {
    let site = Site::fixture("minimal");
    site.build();
    let home = site.read(HOME);
    let block = &home
        [at(&home, "<section class=\"home-changes\"")..at(&home, "<div class=\"home-columns\">")];
    assert!(block.contains("<p>暂无修订记录。</p>"), "{block}");
    assert!(block.contains("<a href=\"/changes/\">查看全部更新动态</a>"));
    site.file_exists("public/changes/index.html").file_contains(
        "public/sitemap.xml",
        "<url><loc>https://example.gov.cn/changes/</loc></url>",
    );
}
