//! A list item in plain words: its 一句话说明, its conditions as boxes to
//! tick under a lead worded from the list kind, and the industries it
//! applies to (its own, else its list's) on the industry pages.

use crate::harness::Site;

const LIST: &str = "content/lists/scjg/2024-exempt.md";

fn site() -> Site {
    Site::fixture("minimal")
        .edit(
            LIST,
            "note = \"个体工商户适用本项。\"\n",
            "note = \"个体工商户适用本项。\"\nsummary = \"营业执照没挂出来，限期挂好的不罚款。\"\n",
        )
        .edit(
            LIST,
            "conditions = \"首次被发现，立即停止该人员上岗的\"\n",
            "conditions = \"首次被发现，立即停止该人员上岗的\"\nindustries = [\"hazchem\"]\n",
        )
}

#[test]
fn an_item_leads_with_its_summary_and_conditions_to_tick() {
    let site = site();
    site.build();
    let page = site.read("public/lists/scjg/2024-exempt/index.html");
    for needle in [
        "<span class=\"meta-key\">一句话说明：</span><span class=\"text\">营业执照没挂出来，限期挂好的不罚款。</span>",
        "<legend>以下条件全部符合的，可以不予行政处罚：</legend>",
        "<input type=\"checkbox\" id=\"item-SJ-MF-001-c1\"><label for=\"item-SJ-MF-001-c1\">首次被发现</label>",
        "<label for=\"item-SJ-MF-001-c2\">在责令改正期限内改正</label>",
    ] {
        assert!(page.contains(needle), "{needle} in\n{page}");
    }
    // The plain columns come before the legal ones.
    let order: Vec<usize> = [
        "<th scope=\"col\">违法行为</th>",
        "<th scope=\"col\">适用条件</th>",
        "<th scope=\"col\">处理方式</th>",
        "<th scope=\"col\">违反的法律依据</th>",
        "<th scope=\"col\">处罚依据</th>",
    ]
    .iter()
    .map(|h| page.find(h).unwrap_or_else(|| panic!("{h}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn the_lead_follows_the_list_kind() {
    let site = Site::fixture("minimal");
    site.build();
    site.file_contains(
        "public/lists/scjg/2026-mitigated/index.html",
        "可以依法从轻或者减轻处罚",
    );
}

#[test]
fn an_item_applies_to_its_own_industries_else_its_list_s() {
    let site = site();
    site.build();
    let catering = site.read("public/industries/catering/index.html");
    let hazchem = site.read("public/industries/hazchem/index.html");
    assert!(catering.contains("#item-SJ-MF-001"), "{catering}");
    assert!(
        !catering.contains("#item-SJ-MF-002"),
        "SJ-MF-002 names hazchem only"
    );
    assert!(hazchem.contains("#item-SJ-MF-002"), "{hazchem}");
    assert!(
        !hazchem.contains("#item-SJ-MF-001"),
        "SJ-MF-001 follows its list: catering"
    );
    // The list is filed under the industry its item names.
    site.file_contains(
        "public/industries/hazchem/index.html",
        "市场监管领域轻微违法行为免罚清单（2024年版）",
    );
}

#[test]
fn an_unregistered_item_industry_is_located() {
    let site = site().edit(
        LIST,
        "industries = [\"hazchem\"]",
        "industries = [\"hazchen\"]",
    );
    let run = site.run(&["build"]).code(1);
    assert!(
        run.stderr
            .contains("items[2].industries[1]: 未登记的行业“hazchen”")
            && run.stderr.contains("hazchem"),
        "{}",
        run.stderr
    );
}
