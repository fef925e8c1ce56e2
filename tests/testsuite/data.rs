//! Open data: each list as JSON, CSV (UTF-8 with BOM, CRLF) and XLSX, the
//! site-wide catalog, the JSON Schema, and the data page linking them.

use crate::harness::Site;

const BASE: &str = "public/lists/scjg/2024-exempt/2024-exempt";

#[test]
fn lists_are_published_as_json_csv_and_xlsx() {
    let site = Site::fixture("minimal");
    site.build();
    let json: serde_json::Value =
        serde_json::from_str(&site.read(&format!("{BASE}.json"))).expect("list JSON");
    assert_eq!(
        json["title"],
        "市场监管领域轻微违法行为免罚清单（2024年版）"
    );
    assert_eq!(json["kind"]["key"], "exempt");
    assert_eq!(json["status"], "current");
    assert_eq!(json["items"][0]["id"], "SJ-MF-001");
    assert_eq!(
        json["items"][0]["url"],
        "https://example.gov.cn/lists/scjg/2024-exempt/#item-SJ-MF-001"
    );
    assert_eq!(
        json["$schema"],
        "https://example.gov.cn/data/list.schema.json"
    );

    let csv = std::fs::read(site.path(&format!("{BASE}.csv"))).expect("csv");
    assert!(
        csv.starts_with(
            "\u{feff}序号,分类,编号,违法行为,违反的法律依据,处罚依据,适用条件,处理方式,备注\r\n"
                .as_bytes()
        )
    );
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(
        csv.contains("\r\n1,,SJ-MF-001,未将营业执照置于住所或者主要经营场所的醒目位置,"),
        "{csv}"
    );
    assert_eq!(
        csv.matches("\r\n").count(),
        1 + json["items"].as_array().expect("items").len()
    );

    let xlsx = std::fs::read(site.path(&format!("{BASE}.xlsx"))).expect("xlsx");
    assert_eq!(&xlsx[..4], b"PK\x03\x04");
    for part in [
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/styles.xml",
    ] {
        assert!(
            xlsx.windows(part.len()).any(|w| w == part.as_bytes()),
            "{part} missing"
        );
    }
    // It opens: read back with calamine, the metadata first, then the
    // items, with no `'` shown in any cell.
    {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> =
            calamine::open_workbook(site.path(&format!("{BASE}.xlsx"))).expect("xlsx opens");
        assert_eq!(book.sheet_names(), vec!["清单信息", "清单事项"]);
        let info = book.worksheet_range("清单信息").expect("info sheet");
        let about: Vec<(String, String)> = info
            .rows()
            .map(|r| (r[0].to_string(), r[1].to_string()))
            .collect();
        let value = |k: &str| {
            about
                .iter()
                .find(|(a, _)| a == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no {k} in {about:?}"))
        };
        assert_eq!(value("标题"), json["title"].as_str().expect("title"));
        assert!(value("有效性").starts_with("现行有效（截至 "), "{about:?}");
        assert_eq!(
            value("发布机构"),
            json["agency"]["name"].as_str().expect("agency")
        );
        assert_eq!(
            value("网页地址"),
            "https://example.gov.cn/lists/scjg/2024-exempt/"
        );
        for k in ["文号", "索引号", "清单类别", "施行日期", "失效日期", "版本"] {
            value(k);
        }
        let items = book.worksheet_range("清单事项").expect("items sheet");
        let rows: Vec<Vec<String>> = items
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(rows[0][..3], ["序号", "分类", "编号"]);
        assert_eq!(rows[1][..3], ["1", "", "SJ-MF-001"]);
        assert_eq!(
            rows.len(),
            1 + json["items"].as_array().expect("items").len()
        );
        assert!(rows.iter().flatten().all(|c| !c.starts_with('\'')));
    }
    // Linked from the list page and the data page.
    site.file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "2024-exempt.xlsx",
    )
    .file_contains(
        "public/data/index.html",
        "/lists/scjg/2024-exempt/2024-exempt.csv",
    )
    .file_contains("public/data/index.html", "/data/catalog.json");
}

#[test]
fn catalog_lists_every_typed_document_and_schema_covers_list_fields() {
    let site = Site::fixture("minimal");
    site.build();
    let catalog: serde_json::Value =
        serde_json::from_str(&site.read("public/data/catalog.json")).expect("catalog");
    let docs = catalog["documents"].as_array().expect("documents");
    assert_eq!(catalog["count"], docs.len());
    assert!(docs.iter().all(|d| d["type"] != "page"));
    assert!(
        docs.iter()
            .any(|d| d["url"] == "https://example.gov.cn/warnings/2025-catering-gas/")
    );
    let list = docs
        .iter()
        .find(|d| d["url"] == "https://example.gov.cn/lists/scjg/2024-exempt/")
        .expect("list");
    assert_eq!(
        list["data"]["csv"],
        "https://example.gov.cn/lists/scjg/2024-exempt/2024-exempt.csv"
    );

    let schema: serde_json::Value =
        serde_json::from_str(&site.read("public/data/list.schema.json")).expect("schema");
    let json: serde_json::Value =
        serde_json::from_str(&site.read(&format!("{BASE}.json"))).expect("list JSON");
    let props = schema["properties"].as_object().expect("properties");
    for key in json.as_object().expect("object").keys() {
        assert!(props.contains_key(key), "schema lacks {key}");
    }
    let item_props = schema["properties"]["items"]["items"]["properties"]
        .as_object()
        .expect("item properties");
    for key in json["items"][0].as_object().expect("item").keys() {
        assert!(item_props.contains_key(key), "schema lacks items[].{key}");
    }
}

#[test]
fn spreadsheet_formulas_in_content_stay_text() {
    let site = Site::fixture("minimal").edit(
        "content/lists/scjg/2024-exempt.md",
        "note = \"个体工商户适用本项。\"",
        "note = \"=HYPERLINK(\\\"http://evil.example\\\",\\\"点我\\\")\"",
    );
    site.build();
    let csv = site.read(&format!("{BASE}.csv"));
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\"\r\n"),
        "{csv}"
    );
}
