//! 行政调解 (Articles 11–13) and agencies' contact details: the
//! `[disputes]` registry's pages, who mediates, how to apply, and the
//! contact block on every document of an agency.

use crate::harness::Site;

const DISPUTES: &str = r#"
[disputes.labor]
name = "劳动争议"
description = "拖欠工资、不签劳动合同、辞退不给补偿。"
agencies = ["yjgl", "scjg"]
apply = "书面或者口头申请。\n自收到申请之日起 15 日内未达成协议的，可以申请仲裁。"
contact = "咨询热线 0000-12333"
basis = "《中华人民共和国劳动争议调解仲裁法》"

[disputes.other]
name = "其他民事纠纷"
"#;

fn site() -> Site {
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    site.file("site.toml", format!("{toml}{DISPUTES}")).edit(
        "site.toml",
        "description = \"市场监管领域的行政执法。\"\n",
        "description = \"市场监管领域的行政执法。\"\nphone = \"0000-12315、0000-8800 1234转6\"\naddress = \"测试市人民路 88 号\"\nhours = \"工作日 9:00—17:00\"\n",
    )
}

#[test]
fn every_kind_has_a_page_with_who_mediates_and_how_to_apply() {
    let site = site();
    site.build();
    site.file_contains("public/mediation/index.html", "<h1>行政调解</h1>")
        .file_contains(
            "public/mediation/index.html",
            "<a href=\"/mediation/labor/\">劳动争议</a>",
        )
        // A kind without agencies says who mediates in general terms.
        .file_contains("public/mediation/index.html", "依法负有相应职责的行政机关");
    let labor = site.read("public/mediation/labor/index.html");
    // Agencies in the order given, each with its page; the one with
    // contact details shows them.
    let (yjgl, scjg) = (
        labor.find("/agencies/yjgl/").expect("yjgl"),
        labor.find("/agencies/scjg/").expect("scjg"),
    );
    assert!(yjgl < scjg, "order kept");
    for needle in [
        "<a href=\"tel:000012315\">0000-12315</a>",
        "<a href=\"tel:000088001234,6\">0000-8800 1234转6</a>",
        "测试市人民路 88 号",
        "<h2 id=\"apply-title\">如何申请</h2>",
        "<p class=\"pre-line\">书面或者口头申请。\n自收到申请之日起",
        "咨询热线 0000-12333",
        "《中华人民共和国劳动争议调解仲裁法》",
        "<li><a href=\"/mediation/\">行政调解</a></li>",
    ] {
        assert!(labor.contains(needle), "{needle} in\n{labor}");
    }
    // In the menu of every page, and in the sitemap.
    site.file_contains("public/index.html", "href=\"/mediation/\"")
        .file_contains(
            "public/sitemap.xml",
            "<loc>https://example.gov.cn/mediation/labor/</loc>",
        );
}

#[test]
fn no_disputes_no_mediation_pages() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_missing("public/mediation/index.html")
        .file_lacks("public/index.html", "/mediation/")
        .file_lacks("public/sitemap.xml", "/mediation/");
}

#[test]
fn an_agency_s_contact_is_on_its_documents_and_its_page() {
    let site = site();
    site.build();
    for page in [
        "public/lists/scjg/2024-exempt/index.html",
        "public/guidance/2025-license-remind/index.html",
    ] {
        site.file_contains(
            page,
            "咨询与联系：<a href=\"/agencies/scjg/\">市市场监督管理局</a>",
        )
        .file_contains(page, "<dt>办公时间</dt>\n    <dd>工作日 9:00—17:00</dd>");
    }
    site.file_contains(
        "public/agencies/scjg/index.html",
        "<h2 id=\"contact-title\">联系方式</h2>",
    )
    // An agency without contact details shows no empty block.
    .file_lacks("public/agencies/yjgl/index.html", "agency-contact")
    .file_lacks(
        "public/warnings/2025-catering-gas/index.html",
        "agency-contact",
    );
}

#[test]
fn a_mediating_agency_must_be_registered_by_key() {
    let site = site().edit(
        "site.toml",
        "agencies = [\"yjgl\", \"scjg\"]",
        "agencies = [\"yjgl\", \"市市场监督管理局\"]",
    );
    let run = site.run(&["build"]).code(1);
    assert!(
        run.stderr
            .contains("disputes.labor.agencies[2]: 未登记的发布机构“市市场监督管理局”")
            && run.stderr.contains("写的是名称，请改为键 scjg"),
        "{}",
        run.stderr
    );
    site.file_missing("public/index.html");
}

#[test]
fn a_phone_number_nobody_can_dial_is_located() {
    let site = site().edit("site.toml", "0000-12315、", "电话0000-12315、");
    let run = site.check().code(1);
    assert!(
        run.stderr.contains("agencies.scjg.phone: 电话“电话0000-12315、0000-8800 1234转6”含有号码中不该出现的字符“电”"),
        "{}",
        run.stderr
    );
}

/// Search finds each kind of dispute and 行政调解 itself: a record of type
/// 行政调解 with the page's URL, its first agency and who mediates first in
/// its excerpt.
#[test]
fn search_finds_each_kind_of_dispute() {
    use crate::search::{display, meta, postings, type_keys};
    let site = site();
    site.build();
    let m = meta(&site);
    let types = type_keys(&m);
    let mediation = types.iter().position(|t| *t == "mediation").unwrap() as u64;
    assert_eq!(m["types"][mediation as usize]["name"], "行政调解");
    // The labor page's words: its name, description, how to apply, basis.
    for token in ["争议", "工资", "仲裁", "调解"] {
        let (ids, _) = postings(&site, token).unwrap_or_else(|| panic!("{token}"));
        let found: Vec<String> = ids
            .iter()
            .map(|&id| display(&site, id))
            .filter(|(r, _)| r[1] == mediation)
            .map(|(_, d)| d[1].as_str().unwrap().to_string())
            .collect();
        assert!(
            found.contains(&"mediation/labor/".to_string()),
            "{token}: {found:?}"
        );
    }
    let (ids, _) = postings(&site, "纠纷").expect("纠纷");
    let pages: Vec<(serde_json::Value, serde_json::Value)> =
        ids.iter().map(|&id| display(&site, id)).collect();
    // 其他民事纠纷 by its name, 行政调解 by the names it lists.
    let urls: Vec<&str> = pages.iter().map(|(_, d)| d[1].as_str().unwrap()).collect();
    assert!(urls.contains(&"mediation/other/"), "{urls:?}");
    assert!(urls.contains(&"mediation/"), "{urls:?}");
    let (ids, _) = postings(&site, "劳动").expect("劳动");
    let (r, d) = ids
        .iter()
        .map(|&id| display(&site, id))
        .find(|(_, d)| d[1] == "mediation/labor/")
        .unwrap();
    assert_eq!(d[0], "劳动争议");
    assert_eq!(d[2], mediation, "the page's type");
    let agencies: Vec<&str> = m["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        agencies[d[3].as_u64().unwrap() as usize],
        "yjgl",
        "its first agency"
    );
    assert_eq!(d[4], -1, "no status");
    assert_eq!(r[2], "", "a page, not a part");
    let excerpt = r[4].as_str().unwrap();
    assert!(excerpt.starts_with("调解机关："), "{excerpt}");
    assert!(excerpt.contains("拖欠工资"), "{excerpt}");
    // They count as documents: the fixture's 8, 行政调解 and two kinds.
    assert_eq!(m["docs"], 8 + 3);
}
