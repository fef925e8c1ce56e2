//! A site served under a sub-path (`https://example.gov.cn/zhifa/`), as
//! many government portals host their columns: every link of every page
//! must stay below `/zhifa/`.

use crate::harness::{Site, links};

const SUB_PATH: &str = "base_url = \"https://example.gov.cn/zhifa/\"";

fn sub_path_site() -> Site {
    Site::fixture("minimal").edit(
        "site.toml",
        "base_url = \"https://example.gov.cn/\"",
        SUB_PATH,
    )
}

/// Every `href`, `src` and `action` of every HTML file under `public/`
/// starts with `prefix`, `#` or `https://`.
#[track_caller]
fn assert_links_below(site: &Site, prefix: &str) -> usize {
    let mut checked = 0;
    let mut bad = Vec::new();
    for (path, bytes) in site.tree("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8 html");
        for link in links(&html) {
            checked += 1;
            if !(link.starts_with(prefix) || link.starts_with('#') || link.starts_with("https://"))
            {
                bad.push(format!("{path}: {link}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "links outside {prefix}:\n{}",
        bad.join("\n")
    );
    checked
}

#[test]
fn every_link_stays_below_the_sub_path() {
    // Include Markdown links of every kind, and a paginated listing.
    let site = sub_path_site()
        .edit("site.toml", "language = ", "paginate_by = 2\nlanguage = ")
        .file(
            "content/about/links.md",
            "+++\ntitle = \"链接\"\n+++\n\n[清单](@/lists/scjg/2024-exempt.md#item-SJ-MF-002) [本页](#top) [外部](https://www.gov.cn/)\n",
        );
    site.build();
    let checked = assert_links_below(&site, "/zhifa/");
    assert!(checked > 500, "only {checked} links checked");
    site.file_exists("public/lists/page/2/index.html")
        .file_contains(
            "public/lists/page/2/index.html",
            "href=\"/zhifa/lists/\" rel=\"prev\"",
        )
        .file_contains(
            "public/about/links/index.html",
            "href=\"/zhifa/lists/scjg/2024-exempt/#item-SJ-MF-002\"",
        )
        .file_contains(
            "public/guidance/2025-license-remind/index.html",
            "href=\"/zhifa/lists/scjg/2024-exempt/#item-SJ-MF-001\"",
        );
}

#[test]
fn feeds_sitemap_and_robots_use_the_sub_path() {
    let site = sub_path_site();
    site.build();
    site.file_contains(
        "public/robots.txt",
        "Sitemap: https://example.gov.cn/zhifa/sitemap.xml",
    )
    .file_contains(
        "public/sitemap.xml",
        "<loc>https://example.gov.cn/zhifa/lists/scjg/2024-exempt/</loc>",
    )
    .file_lacks("public/sitemap.xml", "<loc>https://example.gov.cn/lists/")
    .file_contains(
        "public/lists/atom.xml",
        "href=\"https://example.gov.cn/zhifa/lists/atom.xml\"",
    )
    .file_contains(
        "public/lists/atom.xml",
        "<id>https://example.gov.cn/zhifa/lists/scjg/2024-exempt/</id>",
    )
    .file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "<link rel=\"canonical\" href=\"https://example.gov.cn/zhifa/lists/scjg/2024-exempt/\">",
    );
    // The output tree itself has no `zhifa/` level: the server maps it.
    site.file_exists("public/lists/index.html")
        .file_missing("public/zhifa");
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let site = Site::fixture("minimal");
    site.run(&["build", "--base-url", "https://other.gov.cn/a/b"])
        .success();
    assert_links_below(&site, "/a/b/");
    site.file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "<link rel=\"canonical\" href=\"https://other.gov.cn/a/b/lists/scjg/2024-exempt/\">",
    )
    .file_contains(
        "public/robots.txt",
        "Sitemap: https://other.gov.cn/a/b/sitemap.xml",
    );
    // …for that build only.
    site.build();
    assert_links_below(&site, "/");
    site.file_lacks("public/index.html", "/a/b/");
}

#[test]
fn root_site_links_are_root_relative() {
    let site = Site::fixture("minimal");
    site.build();
    assert_links_below(&site, "/");
    site.file_contains("public/index.html", "href=\"/lists/\"");
}

/// Values that would send every page's script, styles and links elsewhere
/// (another host, `javascript:`, a backslash browsers read as `/`).
const HOSTILE_BASE_URLS: [&str; 5] = [
    "//evil.example/",
    "javascript:alert(1)//",
    "http:///x",
    "https://a b/",
    "/\\evil",
];

#[test]
fn hostile_base_url_in_site_toml_is_refused_at_its_line() {
    let mut out = String::new();
    for url in HOSTILE_BASE_URLS {
        let toml = format!("base_url = \"{}\"", url.replace('\\', "\\\\"));
        let site = Site::fixture("minimal").edit(
            "site.toml",
            "base_url = \"https://example.gov.cn/\"",
            &toml,
        );
        let run = site.run(&["build"]).failure();
        site.file_missing("public");
        out.push_str(&run.stderr);
    }
    insta::assert_snapshot!(out);
}

#[test]
fn hostile_base_url_flag_is_a_usage_error() {
    let site = Site::fixture("minimal");
    let mut out = String::new();
    for url in HOSTILE_BASE_URLS {
        let run = site.run(&["build", "--base-url", url]).code(2);
        out.push_str(&run.stderr);
    }
    site.file_missing("public");
    insta::assert_snapshot!(out);
    // Both shapes that pass: a full URL and a path.
    site.run(&["build", "--base-url", "/zhifa"]).success();
    assert_links_below(&site, "/zhifa/");
    site.run(&["build", "--base-url", "http://127.0.0.1:8080/"])
        .success();
    site.file_contains(
        "public/robots.txt",
        "Sitemap: http://127.0.0.1:8080/sitemap.xml",
    );
}
