//! Answering back (Article 20): the feedback block on every document when
//! `[feedback]` names a service, absent otherwise; the national
//! 政府网站找错 entry in the footer when the site has its 网站标识码.

use crate::harness::Site;

const PAGES: [&str; 5] = [
    "public/lists/scjg/2024-exempt/index.html",
    "public/guidance/2025-license-remind/index.html",
    "public/cases/2025-bakery/index.html",
    "public/warnings/2025-catering-gas/index.html",
    "public/about/site-guide/index.html",
];

#[test]
fn every_document_links_its_answers_to_the_configured_service() {
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    let site = site.file(
        "site.toml",
        format!("{toml}\n[feedback]\nurl = \"https://hd.example.gov.cn/f?from=zhifa\"\nname = \"测试市互动平台\"\n"),
    );
    site.build();
    for page in PAGES {
        site.file_contains(page, "<h2 id=\"feedback-title\">意见反馈</h2>")
            .file_contains(page, "点击后打开测试市互动平台");
    }
    site.file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "href=\"https://hd.example.gov.cn/f?from=zhifa&amp;type=correction&amp;page=https%3A%2F%2Fexample.gov.cn%2Flists%2Fscjg%2F2024-exempt%2F&amp;title=",
    )
    // Not on generated pages: they are not anyone's publication.
    .file_lacks("public/index.html", "feedback-title")
    .file_lacks("public/agencies/scjg/index.html", "feedback-title");
}

#[test]
fn a_mail_address_fills_subject_and_body() {
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    let site = site.file(
        "site.toml",
        format!("{toml}\n[feedback]\nurl = \"mailto:zhifa@example.gov.cn\"\n"),
    );
    site.build();
    site.file_contains(
        "public/cases/2025-bakery/index.html",
        "href=\"mailto:zhifa@example.gov.cn?subject=%E3%80%90%E6%88%91%E8%A6%81%E7%BA%A0%E9%94%99%E3%80%91",
    )
    .file_contains("public/cases/2025-bakery/index.html", "用您的邮件程序写信");
}

#[test]
fn nothing_configured_no_block() {
    let site = Site::fixture("minimal");
    site.build();
    for page in PAGES {
        site.file_lacks(page, "feedback");
    }
}

#[test]
fn a_script_address_is_refused_where_it_is_written() {
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    let site = site.file(
        "site.toml",
        format!("{toml}\n[feedback]\nurl = \"javascript:alert(1)\"\n"),
    );
    let run = site.run(&["build"]).code(1);
    assert!(
        run.stderr
            .contains("feedback.url: 反馈地址“javascript:alert(1)”不能用"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_footer_reports_errors_to_the_national_platform_with_the_site_code() {
    let site = Site::fixture("minimal");
    site.build();
    // The fixture's site_code is 1234567890.
    site.file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=1234567890&amp;url=https%3A%2F%2Fexample.gov.cn%2Flists%2Fscjg%2F2024-exempt%2F\">政府网站找错</a>",
    );
    let without = Site::fixture("minimal").edit("site.toml", "site_code = \"1234567890\"\n", "");
    without.build();
    without.file_lacks("public/index.html", "政府网站找错");
}
