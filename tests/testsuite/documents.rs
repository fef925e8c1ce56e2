//! What a built document page shows: the official-document header, list
//! items with stable anchors, risk points with a printable checklist, the
//! metadata tags Chinese government sites carry, and sources written as YAML
//! or with a BOM and CRLF line ends.

use crate::harness::Site;

const LIST: &str = "public/lists/scjg/2024-exempt/index.html";
const WARNING: &str = "public/warnings/2025-catering-gas/index.html";

#[test]
fn list_items_have_stable_anchors() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(LIST, "<tr id=\"item-SJ-MF-001\">")
        .file_contains(LIST, "<tr id=\"item-SJ-MF-002\">")
        .file_contains(LIST, "href=\"#item-SJ-MF-001\"")
        .file_contains(LIST, "未将营业执照置于住所或者主要经营场所的醒目位置")
        .file_contains(LIST, "《市场主体登记管理条例》第四十八条")
        .file_contains(LIST, "个体工商户适用本项。")
        .file_contains(LIST, "（共 2 项）");
}

#[test]
fn internal_link_with_item_anchor_resolves() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        "public/guidance/2025-license-remind/index.html",
        "<a href=\"/lists/scjg/2024-exempt/#item-SJ-MF-001\">免罚清单第1项</a>",
    );
}

#[test]
fn warning_shows_risks_and_printable_checklist() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(WARNING, "id=\"risk-1\"")
        .file_contains(WARNING, "id=\"risk-2\"")
        .file_contains(WARNING, "燃气软管老化、超期使用")
        .file_contains(WARNING, "使用金属波纹管，安装燃气泄漏报警装置")
        .file_contains(WARNING, "id=\"self-check\"")
        .file_contains(
            WARNING,
            "<li><span class=\"box\" aria-hidden=\"true\">☐</span> <span class=\"text\">燃气软管是否在使用期限内？</span></li>",
        )
        .file_contains(WARNING, "是否安装燃气泄漏报警装置？")
        .file_contains(WARNING, "href=\"/risk-levels/high/\">高风险</a>")
        .file_contains(WARNING, "至 <time datetime=\"2026-03-31\">2026年3月31日</time>");
}

#[test]
fn official_header_has_index_number_doc_number_and_chinese_dates() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(LIST, "<td>SCJG/2024-00012</td>")
        .file_contains(LIST, "<td>测市监〔2024〕12号</td>")
        .file_contains(LIST, "<a href=\"/agencies/scjg/\">市市场监督管理局</a>")
        .file_contains(LIST, "<time datetime=\"2024-02-20\">2024年2月20日</time>")
        .file_contains(LIST, "<time datetime=\"2024-03-01\">2024年3月1日</time>")
        // the status is dated with the build date
        .file_contains(
            LIST,
            "状态截至 <time datetime=\"2025-11-28\">2025年11月28日</time>",
        );
    // Without an index_number, one is derived: agency, year and a hash.
    let warning = site.read(WARNING);
    let derived = warning
        .split("<th scope=\"row\">索引号</th>")
        .nth(1)
        .and_then(|s| s.split("</td>").next())
        .expect("索引号 cell");
    assert!(derived.contains("YJGL/2025-"), "{derived}");
}

#[test]
fn derived_index_number_does_not_change_when_documents_are_added() {
    let site = Site::fixture("minimal");
    site.build();
    let before = site.read(WARNING);
    let site = site.file(
        "content/warnings/2025-another.md",
        "+++\ntitle = \"另一则提示\"\ndate = 2025-05-01\nagency = \"yjgl\"\nlevel = \"low\"\nindustries = [\"hazchem\"]\n\n[[risks]]\npoint = \"p\"\nmeasures = \"m\"\n+++\n",
    );
    site.build();
    let after = site.read(WARNING);
    let cell = |html: &str| {
        html.split("<th scope=\"row\">索引号</th>")
            .nth(1)
            .and_then(|s| s.split("</td>").next())
            .map(str::to_string)
    };
    assert_eq!(cell(&before), cell(&after));
}

#[test]
fn government_meta_tags() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        LIST,
        "<meta name=\"ArticleTitle\" content=\"市场监管领域轻微违法行为免罚清单（2024年版）\">",
    )
    .file_contains(LIST, "<meta name=\"PubDate\" content=\"2024-02-20\">")
    .file_contains(
        LIST,
        "<meta name=\"ContentSource\" content=\"市市场监督管理局\">",
    )
    .file_contains(LIST, "<meta name=\"ColumnName\" content=\"公示清单\">")
    .file_contains(
        LIST,
        "<meta name=\"SiteName\" content=\"测试市行政执法公示\">",
    )
    .file_contains(LIST, "<meta name=\"SiteIDCode\" content=\"1234567890\">")
    .file_contains(
        LIST,
        "<meta name=\"Url\" content=\"https://example.gov.cn/lists/scjg/2024-exempt/\">",
    )
    .file_contains(LIST, "<meta name=\"Keywords\" content=\"首违不罚\">")
    .file_contains(
        LIST,
        "<link rel=\"canonical\" href=\"https://example.gov.cn/lists/scjg/2024-exempt/\">",
    );
    // Pages other than documents: no ArticleTitle, the site as source.
    site.file_contains(
        "public/index.html",
        "<meta name=\"ColumnName\" content=\"首页\">",
    )
    .file_contains(
        "public/index.html",
        "<meta name=\"ContentSource\" content=\"测试市行政执法公示\">",
    )
    .file_lacks("public/index.html", "ArticleTitle")
    .file_contains(
        "public/warnings/index.html",
        "<meta name=\"ColumnName\" content=\"风险提示\">",
    )
    .file_contains(
        WARNING,
        "<meta name=\"ContentSource\" content=\"市应急管理局\">",
    );
}

#[test]
fn yaml_front_matter_is_read_like_toml() {
    let site = Site::fixture("minimal");
    site.build();
    let page = "public/guidance/2025-license-remind/index.html";
    site.file_contains(page, "<h1>关于餐饮经营者亮照经营的提示</h1>")
        .file_contains(page, "<time datetime=\"2025-02-10\">2025年2月10日</time>")
        .file_contains(page, "<a href=\"/methods/remind/\">提示</a>")
        .file_contains(page, "全市餐饮服务经营者")
        .file_contains(page, "<a href=\"/industries/catering/\">餐饮服务</a>")
        .file_contains(page, "<meta name=\"Keywords\" content=\"亮照经营\">");
}

#[test]
fn bom_and_crlf_source_builds_cleanly() {
    let site = Site::fixture("minimal");
    let raw = std::fs::read(site.path("content/cases/2025-bakery.md")).unwrap();
    assert!(
        raw.starts_with(b"\xef\xbb\xbf+++\r\n"),
        "fixture lost its BOM/CRLF"
    );
    site.build();
    let page = "public/cases/2025-bakery/index.html";
    site.file_contains(page, "<h1>城东区某面包店未亮照经营案</h1>")
        .file_contains(page, "<h2 id=\"案情简介\">案情简介</h2>")
        .file_contains(page, "<a href=\"/methods/revisit/\">回访</a>")
        .file_contains(page, "当场整改，未予处罚")
        .file_lacks(page, "\r")
        .file_lacks(page, "\u{feff}");
}

#[test]
fn superseded_and_superseding_documents_point_at_each_other() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        "public/lists/scjg/2023-exempt/index.html",
        "本文件已被<a href=\"/lists/scjg/2024-exempt/\">《市场监管领域轻微违法行为免罚清单（2024年版）》</a>替代",
    )
    .file_contains(
        LIST,
        "<a href=\"/lists/scjg/2023-exempt/\">《市场监管领域轻微违法行为免罚清单（2023年版）》</a>",
    );
}

#[test]
fn plain_page_has_no_status_and_keeps_extra_keys() {
    // `menu_icon` is unknown: allowed in a plain page (it would be an error
    // in a typed folder, see errors::unknown_key_in_typed_folder).
    let site = Site::fixture("minimal");
    site.build().stderr_lacks("menu_icon");
    site.file_contains(
        "public/about/site-guide/index.html",
        "<h1>网站使用说明</h1>",
    )
    .file_lacks("public/about/site-guide/index.html", "有效性")
    .file_lacks("public/about/site-guide/index.html", "status-");
}

#[test]
fn html_in_front_matter_is_escaped() {
    let site = Site::fixture("minimal").edit(
        "content/warnings/2025-spring-food.md",
        "title = \"春季餐饮食品安全风险提示\"",
        "title = \"春季<script>alert(1)</script>提示 & {{ site.title }}\"",
    );
    site.build();
    let page = "public/warnings/2025-spring-food/index.html";
    site.file_contains(
        page,
        "春季&lt;script&gt;alert(1)&lt;/script&gt;提示 &amp; {{ site.title }}",
    )
    .file_lacks(page, "<script>alert(1)")
    .file_lacks("public/warnings/atom.xml", "<script>")
    .file_contains("public/warnings/atom.xml", "春季&lt;script&gt;");
}
