//! The status readers see (尚未施行, 现行有效, 已失效) is derived from the
//! document's dates, what supersedes it, and the build date
//! (`SOURCE_DATE_EPOCH`; the harness pins 2025-11-28).

use crate::harness::Site;

/// The status badge of a built page: (key, label).
fn status(site: &Site, page: &str) -> (String, String) {
    let html = site.read(page);
    let rest = html
        .split("class=\"badge status status-")
        .nth(1)
        .unwrap_or_else(|| panic!("{page} has no status badge"));
    let (key, rest) = rest.split_once('"').expect("badge");
    let label = rest
        .split_once('>')
        .expect("badge")
        .1
        .split('<')
        .next()
        .expect("label");
    (key.to_string(), label.to_string())
}

/// The timeline a badge carries for the browser to refresh it.
fn timeline(site: &Site, page: &str) -> String {
    let html = site.read(page);
    let rest = html
        .split("data-status-timeline=\"")
        .nth(1)
        .unwrap_or_else(|| panic!("{page} has no timeline"));
    rest.split('"').next().expect("timeline").to_string()
}

#[test]
fn badges_carry_their_timeline_for_the_browser() {
    let site = Site::fixture("minimal");
    site.build();
    // Superseded by the 2024 list (effective 2024-03-01) and expiring.
    assert_eq!(
        timeline(&site, "public/lists/scjg/2023-exempt/index.html"),
        "pending;2023-04-01 current;2024-03-01 expired"
    );
    assert_eq!(
        timeline(&site, "public/lists/scjg/2026-mitigated/index.html"),
        "pending;2026-01-01 current"
    );
    site.file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "data-status-as-of",
    );
}

fn assert_status(site: &Site, page: &str, key: &str, label: &str) {
    assert_eq!(
        status(site, page),
        (key.to_string(), label.to_string()),
        "status of {page}"
    );
}

#[test]
fn statuses_of_the_minimal_site() {
    let site = Site::fixture("minimal");
    site.build();
    // effective 2024-03-01, nothing ends it
    assert_status(
        &site,
        "public/lists/scjg/2024-exempt/index.html",
        "current",
        "现行有效",
    );
    // effective 2026-01-01
    assert_status(
        &site,
        "public/lists/scjg/2026-mitigated/index.html",
        "pending",
        "尚未施行",
    );
    // superseded by the 2024 list, which is in force
    assert_status(
        &site,
        "public/lists/scjg/2023-exempt/index.html",
        "expired",
        "已失效",
    );
    // valid_until 2025-06-30
    assert_status(
        &site,
        "public/warnings/2025-spring-food/index.html",
        "expired",
        "已失效",
    );
    // valid_until 2026-03-31
    assert_status(
        &site,
        "public/warnings/2025-catering-gas/index.html",
        "current",
        "现行有效",
    );
    // no effective date: in force from publication
    assert_status(
        &site,
        "public/guidance/2025-license-remind/index.html",
        "current",
        "现行有效",
    );
}

#[test]
fn statuses_appear_in_listings_and_feeds() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        "public/lists/index.html",
        "status-pending\" data-status-timeline=\"pending;2026-01-01 current\">尚未施行",
    )
    .file_contains(
        "public/lists/index.html",
        "status-current\" data-status-timeline=",
    )
    .file_contains(
        "public/lists/index.html",
        "current;2024-03-01 expired\">已失效",
    )
    .file_contains(
        "public/lists/atom.xml",
        "<category term=\"status-expired\" label=\"已失效\"/>",
    )
    .file_contains(
        "public/lists/atom.xml",
        "<category term=\"status-pending\" label=\"尚未施行\"/>",
    );
}

#[test]
fn expires_is_the_last_day_in_force() {
    let site = Site::fixture("minimal").edit(
        "content/guidance/2025-license-remind.md",
        "method: remind",
        "method: remind\nexpires: 2025-11-28",
    );
    site.build();
    assert_status(
        &site,
        "public/guidance/2025-license-remind/index.html",
        "current",
        "现行有效",
    );
    let site = site.edit(
        "content/guidance/2025-license-remind.md",
        "expires: 2025-11-28",
        "expires: 2025-11-27",
    );
    site.build();
    assert_status(
        &site,
        "public/guidance/2025-license-remind/index.html",
        "expired",
        "已失效",
    );
}

#[test]
fn superseded_by_a_document_not_yet_in_force_stays_current() {
    // The 2024 list is replaced by one that takes effect on 2026-01-01.
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2024-exempt.md",
        "kind = \"exempt\"",
        "kind = \"exempt\"\nsuperseded_by = \"@/lists/scjg/2026-mitigated.md\"",
    );
    site.build();
    assert_status(
        &site,
        "public/lists/scjg/2024-exempt/index.html",
        "current",
        "现行有效",
    );
    // On 2026-01-01 the replacement is in force and the old list expires.
    let site = site.env("SOURCE_DATE_EPOCH", "1767225600");
    site.build();
    assert_status(
        &site,
        "public/lists/scjg/2024-exempt/index.html",
        "expired",
        "已失效",
    );
    assert_status(
        &site,
        "public/lists/scjg/2026-mitigated/index.html",
        "current",
        "现行有效",
    );
    site.file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "状态截至 <time datetime=\"2026-01-01\">2026年1月1日</time>",
    );
}

#[test]
fn build_date_is_the_day_in_beijing() {
    // 2025-11-27 16:00 UTC is midnight in Beijing (UTC+8).
    let site = Site::fixture("minimal").env("SOURCE_DATE_EPOCH", "1764259200");
    site.build();
    site.file_contains(
        "public/index.html",
        "<time datetime=\"2025-11-28\">2025年11月28日</time>",
    );
    let site = site.env("SOURCE_DATE_EPOCH", "1764259199");
    site.build();
    site.file_contains(
        "public/index.html",
        "<time datetime=\"2025-11-27\">2025年11月27日</time>",
    );
}

#[test]
fn future_documents_wait_for_their_date() {
    let future = "+++\ntitle = \"明年的提示\"\ndate = 2026-01-01\nagency = \"scjg\"\nmethod = \"remind\"\n+++\n\n定于明年发布。\n";
    let link = "+++\ntitle = \"预告\"\n+++\n\n见[明年的提示](@/guidance/2026-next.md)。\n";
    let site = Site::fixture("minimal")
        .file("content/guidance/2026-next.md", future)
        .file("content/about/preview.md", link);
    let run = site.build();
    assert!(
        run.stderr.contains("content/about/preview.md:5:2: 链接: 警告：链接的文档 content/guidance/2026-next.md 定于 2026年1月1日 发布"),
        "{}",
        run.stderr
    );
    site.file_missing("public/guidance/2026-next/index.html");
    site.file_lacks("public/guidance/index.html", "明年的提示");
    // The first build on the day publishes it.
    let site = site.env("SOURCE_DATE_EPOCH", "1767196800");
    site.build();
    site.file_exists("public/guidance/2026-next/index.html");
    // --future previews it any day.
    let site = site.env("SOURCE_DATE_EPOCH", "1764288000");
    site.run(&["build", "--future"]).success();
    site.file_contains("public/guidance/2026-next/index.html", "定于明年发布。");
}
