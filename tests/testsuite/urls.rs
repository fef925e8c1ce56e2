//! The URL table of the content model: citizens bookmark these and other
//! government sites link to them, so a change here is a broken promise.

use crate::harness::Site;

/// Every page the contract's URL table promises, for the `minimal` fixture.
#[test]
fn contract_urls_exist() {
    let site = Site::fixture("minimal");
    site.build();
    for url in [
        // home, documents of each type, a plain page
        "",
        "lists/scjg/2023-exempt/",
        "lists/scjg/2024-exempt/",
        "lists/scjg/2026-mitigated/",
        "guidance/2025-license-remind/",
        "cases/2025-bakery/",
        "warnings/2025-catering-gas/",
        "warnings/2025-spring-food/",
        "about/site-guide/",
        // sections: the type indexes, a sub-folder, a plain folder
        "lists/",
        "lists/scjg/",
        "guidance/",
        "cases/",
        "warnings/",
        "about/",
        // registries and their terms
        "agencies/",
        "agencies/scjg/",
        "agencies/yjgl/",
        "districts/",
        "districts/chengdong/",
        "industries/",
        "industries/catering/",
        "industries/hazchem/",
        "list-kinds/",
        "list-kinds/exempt/",
        "list-kinds/mitigated/",
        "risk-levels/",
        "risk-levels/high/",
        "risk-levels/medium/",
        "risk-levels/low/",
        "methods/",
        "methods/remind/",
        "methods/revisit/",
        "methods/interview/",
        "years/",
        "years/2023/",
        "years/2024/",
        "years/2025/",
        "search/",
    ] {
        site.file_exists(&format!("public/{url}index.html"));
    }
    for file in [
        "atom.xml",
        "lists/atom.xml",
        "guidance/atom.xml",
        "cases/atom.xml",
        "warnings/atom.xml",
        "agencies/scjg/atom.xml",
        "agencies/yjgl/atom.xml",
        "industries/catering/atom.xml",
        "industries/hazchem/atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
    ] {
        site.file_exists(&format!("public/{file}"));
    }
}

#[test]
fn pages_are_index_files_in_folders() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_missing("public/lists/scjg/2024-exempt.html")
        .file_missing("public/lists/scjg/2024-exempt/index.htm");
    // Feeds exist only where the contract lists them.
    site.file_missing("public/districts/chengdong/atom.xml")
        .file_missing("public/list-kinds/exempt/atom.xml")
        .file_missing("public/lists/scjg/atom.xml");
}

#[test]
fn slug_replaces_the_file_name_in_the_url() {
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2026-mitigated.md",
        "kind = \"mitigated\"",
        "kind = \"mitigated\"\nslug = \"cq-2026\"",
    );
    site.build();
    site.file_exists("public/lists/scjg/cq-2026/index.html")
        .file_missing("public/lists/scjg/2026-mitigated/index.html");
}

#[test]
fn registry_terms_list_their_documents() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        "public/agencies/scjg/index.html",
        "href=\"/lists/scjg/2024-exempt/\"",
    )
    .file_lacks(
        "public/agencies/scjg/index.html",
        "href=\"/warnings/2025-catering-gas/\"",
    )
    .file_contains(
        "public/agencies/yjgl/index.html",
        "href=\"/warnings/2025-catering-gas/\"",
    )
    .file_contains(
        "public/industries/catering/index.html",
        "href=\"/guidance/2025-license-remind/\"",
    )
    .file_contains(
        "public/districts/chengdong/index.html",
        "href=\"/cases/2025-bakery/\"",
    )
    .file_contains(
        "public/list-kinds/mitigated/index.html",
        "href=\"/lists/scjg/2026-mitigated/\"",
    )
    .file_contains(
        "public/risk-levels/high/index.html",
        "href=\"/warnings/2025-catering-gas/\"",
    )
    // a case is filed under its methods and its own `year`
    .file_contains(
        "public/methods/revisit/index.html",
        "href=\"/cases/2025-bakery/\"",
    )
    .file_contains(
        "public/years/2025/index.html",
        "href=\"/cases/2025-bakery/\"",
    )
    // registry indexes link every term
    .file_contains("public/agencies/index.html", "href=\"/agencies/yjgl/\"")
    .file_contains("public/years/index.html", "href=\"/years/2023/\"");
}

#[test]
fn feeds_carry_their_documents() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains("public/atom.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\"")
        .file_contains(
            "public/atom.xml",
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.gov.cn/atom.xml\"/>",
        )
        .file_contains(
            "public/atom.xml",
            "<id>https://example.gov.cn/cases/2025-bakery/</id>",
        )
        .file_lacks("public/atom.xml", "about/site-guide")
        .file_contains("public/lists/atom.xml", "2024-exempt")
        .file_lacks("public/lists/atom.xml", "2025-bakery")
        .file_contains("public/agencies/yjgl/atom.xml", "2025-catering-gas")
        .file_lacks("public/agencies/yjgl/atom.xml", "2024-exempt")
        .file_contains("public/industries/catering/atom.xml", "2025-license-remind")
        .file_lacks("public/industries/hazchem/atom.xml", "<entry>")
        .file_contains(
            "public/lists/atom.xml",
            "<published>2024-02-20T00:00:00+08:00</published>",
        );
    // An industry's warnings alone, for a business to subscribe to; its
    // page links the feed.
    let warnings = site.read("public/industries/catering/warnings.xml");
    roxmltree::Document::parse(&warnings).expect("well-formed Atom");
    assert!(
        warnings.contains("<title>餐饮服务风险提示 - "),
        "{warnings}"
    );
    assert!(
        warnings.contains("/warnings/2025-catering-gas/</id>"),
        "{warnings}"
    );
    assert!(
        warnings.contains("/warnings/2025-spring-food/</id>"),
        "{warnings}"
    );
    assert_eq!(warnings.matches("<entry>").count(), 2, "{warnings}");
    site.file_contains(
        "public/industries/catering/index.html",
        "href=\"/industries/catering/warnings.xml\"",
    )
    .file_contains(
        "public/industries/catering/index.html",
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"餐饮服务的风险提示（订阅）\" href=\"/industries/catering/warnings.xml\">",
    );
    // A feed with no entries is as new as the site, not from 1970.
    let updated = |feed: &str| {
        let text = site.read(feed);
        let start = text.find("<updated>").expect("updated") + "<updated>".len();
        text[start..start + 25].to_string()
    };
    assert_eq!(
        updated("public/industries/hazchem/atom.xml"),
        updated("public/atom.xml")
    );
    assert!(!updated("public/atom.xml").starts_with("1970"));
}

#[test]
fn sitemap_and_robots_use_absolute_urls() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        "public/sitemap.xml",
        "<url><loc>https://example.gov.cn/lists/scjg/2024-exempt/</loc><lastmod>2024-02-20</lastmod></url>",
    )
    .file_contains(
        "public/sitemap.xml",
        "<loc>https://example.gov.cn/agencies/scjg/</loc>",
    )
    .file_contains("public/sitemap.xml", "<loc>https://example.gov.cn/lists/scjg/</loc>")
    .file_contains(
        "public/robots.txt",
        "Sitemap: https://example.gov.cn/sitemap.xml",
    );
}

#[test]
fn not_found_and_search_are_not_indexed() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        "public/404.html",
        "<meta name=\"robots\" content=\"noindex\">",
    )
    .file_contains(
        "public/search/index.html",
        "<meta name=\"robots\" content=\"noindex\">",
    )
    // the search page works without JavaScript: it links every registry term
    .file_contains("public/search/index.html", "href=\"/industries/catering/\"")
    .file_lacks("public/lists/index.html", "noindex");
}

#[test]
fn listings_paginate_under_page_n() {
    let site =
        Site::fixture("minimal").edit("site.toml", "language = ", "paginate_by = 2\nlanguage = ");
    site.build();
    // lists/ holds three lists: two per page.
    site.file_exists("public/lists/index.html")
        .file_exists("public/lists/page/2/index.html")
        .file_missing("public/lists/page/1/index.html")
        .file_missing("public/lists/page/3/index.html")
        .file_contains(
            "public/lists/index.html",
            "href=\"/lists/page/2/\" rel=\"next\"",
        )
        .file_contains(
            "public/lists/page/2/index.html",
            "href=\"/lists/\" rel=\"prev\"",
        )
        // newest first: the 2023 list is on the second page
        .file_contains(
            "public/lists/page/2/index.html",
            "href=\"/lists/scjg/2023-exempt/\"",
        )
        .file_lacks(
            "public/lists/index.html",
            "href=\"/lists/scjg/2023-exempt/\"",
        )
        // registry terms paginate the same way
        .file_exists("public/agencies/scjg/page/2/index.html")
        .file_exists("public/years/2025/page/2/index.html");
}

#[test]
fn drafts_are_built_only_with_drafts_flag() {
    let site = Site::fixture("minimal").file(
        "content/guidance/2025-draft.md",
        "+++\ntitle = \"草稿\"\ndate = 2025-05-01\nagency = \"scjg\"\nmethod = \"advise\"\ndraft = true\n+++\n\n草稿正文。\n",
    );
    site.build();
    site.file_missing("public/guidance/2025-draft/index.html")
        .file_lacks("public/guidance/index.html", "2025-draft")
        .file_lacks("public/sitemap.xml", "2025-draft");
    site.run(&["build", "--drafts"]).success();
    site.file_exists("public/guidance/2025-draft/index.html");
}

#[test]
fn content_assets_are_published_at_their_path() {
    let site =
        Site::fixture("minimal").file("content/lists/scjg/附件.pdf", b"%PDF-1.4 test".as_slice());
    site.build();
    assert_eq!(
        std::fs::read(site.path("public/lists/scjg/附件.pdf")).unwrap(),
        b"%PDF-1.4 test"
    );
}

/// The 404 page is served at any missing address: its breadcrumb 首页 leads
/// home, and only the page itself is the current step.
#[test]
fn not_found_page_breadcrumbs_lead_home() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        "public/404.html",
        "<li><a href=\"/\">首页</a></li>\n    <li><a href=\"/404.html\" aria-current=\"page\">页面未找到</a></li>",
    );
}
