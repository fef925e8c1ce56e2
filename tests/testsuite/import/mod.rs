//! `gongshi import`: spreadsheets, CSV files and Word tables shaped like
//! the ones agencies draft — title rows, merged header cells, section rows,
//! multi-line cells, footnotes — made here by the tests themselves (an
//! XLSX or DOCX is a zip of a few XML parts), imported into a fixture site,
//! then checked with `gongshi check`. Revisions keep ids; every malformed
//! input gets a located Chinese error and writes nothing.

use std::io::Write;

use crate::harness::Site;

mod revisions;

/// A zip of `parts` (name, text).
pub(crate) fn zip_of(parts: &[(&str, String)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        w.write_all(text.as_bytes()).expect("zip write");
    }
    w.finish().expect("zip").into_inner()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn col(i: usize) -> char {
    (b'A' + i as u8) as char
}

/// A worksheet: its name, its rows, its merged ranges.
type Sheet<'a> = (&'a str, &'a [&'a [&'a str]], &'a [&'a str]);

/// An Excel workbook as Excel writes one: text in the shared-strings part,
/// whole numbers as numbers, merged ranges (`"A1:G1"`) listed per sheet.
fn xlsx(sheets: &[Sheet<'_>]) -> Vec<u8> {
    let mut strings: Vec<String> = Vec::new();
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut book = String::new();
    let mut rels = String::new();
    let mut types = String::new();
    for (n, (name, rows, merges)) in sheets.iter().enumerate() {
        let mut data = String::new();
        for (r, row) in rows.iter().enumerate() {
            data.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, text) in row.iter().enumerate() {
                if text.is_empty() {
                    continue;
                }
                let at = format!("{}{}", col(c), r + 1);
                if text.parse::<u32>().is_ok() {
                    data.push_str(&format!("<c r=\"{at}\"><v>{text}</v></c>"));
                } else {
                    let i = strings.iter().position(|s| s == text).unwrap_or_else(|| {
                        strings.push((*text).to_string());
                        strings.len() - 1
                    });
                    data.push_str(&format!("<c r=\"{at}\" t=\"s\"><v>{i}</v></c>"));
                }
            }
            data.push_str("</row>");
        }
        let merged = if merges.is_empty() {
            String::new()
        } else {
            let cells: String = merges
                .iter()
                .map(|m| format!("<mergeCell ref=\"{m}\"/>"))
                .collect();
            format!(
                "<mergeCells count=\"{}\">{cells}</mergeCells>",
                merges.len()
            )
        };
        parts.push((
            format!("xl/worksheets/sheet{}.xml", n + 1),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData>{merged}</worksheet>"#
            ),
        ));
        book.push_str(&format!(
            r#"<sheet name="{}" sheetId="{id}" r:id="rId{id}"/>"#,
            xml_escape(name),
            id = n + 1
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{id}.xml"/>"#,
            id = n + 1
        ));
        types.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
            n + 1
        ));
    }
    let sst: String = strings
        .iter()
        .map(|s| format!("<si><t xml:space=\"preserve\">{}</t></si>", xml_escape(s)))
        .collect();
    let mut all: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>{types}</Types>"#
            ),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{book}</sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">{sst}</sst>"#,
                n = strings.len()
            ),
        ),
    ];
    for (name, text) in &parts {
        all.push((name.as_str(), text.clone()));
    }
    zip_of(&all)
}

/// A Word table cell: its text (lines as paragraphs), `span` grid
/// columns, and `merge` = Some("restart") / Some("") for a vertical merge.
struct Tc<'a> {
    text: &'a str,
    span: usize,
    merge: Option<&'a str>,
}

fn tc(text: &str) -> Tc<'_> {
    Tc {
        text,
        span: 1,
        merge: None,
    }
}

/// A Word document: a paragraph, then each table with a paragraph between.
fn docx(tables: &[Vec<Vec<Tc<'_>>>]) -> Vec<u8> {
    let mut body =
        String::from("<w:p><w:r><w:t>示例市市场监管领域轻微违法行为免罚清单</w:t></w:r></w:p>");
    for t in tables {
        body.push_str("<w:tbl>");
        for row in t {
            body.push_str("<w:tr>");
            for c in row {
                body.push_str("<w:tc><w:tcPr>");
                if c.span > 1 {
                    body.push_str(&format!("<w:gridSpan w:val=\"{}\"/>", c.span));
                }
                match c.merge {
                    Some("") => body.push_str("<w:vMerge/>"),
                    Some(v) => body.push_str(&format!("<w:vMerge w:val=\"{v}\"/>")),
                    None => {}
                }
                body.push_str("</w:tcPr>");
                for line in c.text.split('\n') {
                    body.push_str(&format!(
                        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                        xml_escape(line)
                    ));
                }
                body.push_str("</w:tc>");
            }
            body.push_str("</w:tr>");
        }
        body.push_str("</w:tbl><w:p/>");
    }
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            ),
        ),
    ])
}

const NEW: &str = "content/lists/scjg/2025-imported.md";

/// The import's front matter flags for a new list.
const FLAGS: [&str; 6] = [
    "--agency",
    "scjg",
    "--kind",
    "exempt",
    "--date",
    "2025-01-02",
];

fn import(site: &Site, source: &str, target: &str, extra: &[&str]) -> crate::harness::Run {
    let mut args = vec!["import", source, target];
    args.extend_from_slice(extra);
    site.run(&args)
}

/// The items of a written list, as (id, field → value) tables.
fn items(site: &Site, rel: &str) -> Vec<toml::Table> {
    let text = site.read(rel);
    let front = text
        .strip_prefix("+++\n")
        .and_then(|t| t.split("\n+++\n").next())
        .expect("front matter");
    let table: toml::Table = toml::from_str(front).expect("valid TOML");
    table["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| v.as_table().expect("item").clone())
        .collect()
}

fn field<'a>(item: &'a toml::Table, key: &str) -> &'a str {
    item.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

#[test]
fn xlsx_with_title_merged_header_sections_multiline_cells_and_footnote() {
    let rows: &[&[&str]] = &[
        &[
            "示例市市场监管领域轻微违法行为免罚清单",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "序号",
            "违法行为名称",
            "法律依据",
            "",
            "适用条件",
            "处理方式",
            "备注",
        ],
        &["", "", "违反的法律规定", "处罚依据", "", "", ""],
        &["一、登记注册类", "", "", "", "", "", ""],
        &[
            "1",
            "未按规定公示\n营业执照的",
            "《市场主体登记管理条例》第三十六条",
            "《市场主体登记管理条例》第四十八条",
            "首次被发现，且及时改正的",
            "不予行政处罚",
            "",
        ],
        &[
            "2",
            "未办理备案的",
            "",
            "《条例》第四十九条",
            "30日内补办的",
            "不予行政处罚",
            "个体工商户适用",
        ],
        &["二、广告类", "", "", "", "", "", ""],
        &[
            "3",
            "=发布违法广告的",
            "《广告法》第九条",
            "",
            "首次且影响小的",
            "责令改正",
            "",
        ],
        &["注：本清单自2025年1月1日起施行。", "", "", "", "", "", ""],
    ];
    let merges: &[&str] = &[
        "A1:G1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3", "G2:G3", "A4:G4", "C5:C6", "A7:G7",
        "A9:G9",
    ];
    let site = Site::fixture("minimal").file("清单.xlsx", xlsx(&[("免罚清单", rows, merges)]));
    let run = import(&site, "清单.xlsx", "scjg/2025-imported", &FLAGS).success();
    insta::assert_snapshot!(format!("{}\n---\n{}", run.stdout, run.stderr));
    let written = site.read(NEW);
    assert!(
        written.contains("title = \"示例市市场监管领域轻微违法行为免罚清单\""),
        "{written}"
    );
    assert!(
        written.contains("categories = [\"一、登记注册类\", \"二、广告类\"]"),
        "{written}"
    );
    let got = items(&site, NEW);
    assert_eq!(got.len(), 3);
    assert_eq!(field(&got[0], "id"), "SCJG-001");
    assert_eq!(field(&got[0], "no"), "1");
    assert_eq!(field(&got[0], "violation"), "未按规定公示\n营业执照的");
    assert_eq!(field(&got[0], "category"), "一、登记注册类");
    // The basis merged over two rows applies to both.
    assert_eq!(
        field(&got[1], "basis"),
        "《市场主体登记管理条例》第三十六条"
    );
    assert_eq!(field(&got[1], "penalty_basis"), "《条例》第四十九条");
    assert_eq!(field(&got[1], "note"), "个体工商户适用");
    assert_eq!(field(&got[2], "category"), "二、广告类");
    assert_eq!(field(&got[2], "violation"), "=发布违法广告的");
    site.check().success();

    // The list page groups by category; the data files carry 分类 and 序号.
    site.build();
    let page = site.read("public/lists/scjg/2025-imported/index.html");
    assert_eq!(page.matches(r#"scope="rowgroup""#).count(), 2, "{page}");
    assert!(
        page.contains(r#"<th scope="rowgroup" colspan="7">二、广告类</th>"#),
        "{page}"
    );
    let csv = site.read("public/lists/scjg/2025-imported/2025-imported.csv");
    assert!(
        csv.contains("\r\n3,二、广告类,SCJG-003,'=发布违法广告的,"),
        "{csv}"
    );
}

#[test]
fn gb18030_csv_is_read() {
    let text = "序号,违法行为,法律依据,处罚依据,免罚条件,处理措施,备注\r\n\
                1,未按规定悬挂营业执照的,《条例》第三十六条,《条例》第四十八条,首次且改正的,不予处罚,\r\n\
                2,\"包装标识不规范，\r\n但不影响安全的\",《食品安全法》第六十七条,,首次的,\"不予处罚，\"\"责令改正\"\"\",\r\n";
    let (bytes, _, bad) = encoding_rs::GB18030.encode(text);
    assert!(!bad);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file must not be UTF-8"
    );
    let site = Site::fixture("minimal").file("清单.csv", bytes.as_ref());
    import(
        &site,
        "清单.csv",
        "scjg/2025-imported",
        &[&FLAGS[..], &["--title", "测试清单", "--id-prefix", "CSV-"]].concat(),
    )
    .success();
    let got = items(&site, NEW);
    assert_eq!(got.len(), 2);
    assert_eq!(field(&got[0], "id"), "CSV-001");
    assert_eq!(
        field(&got[1], "violation"),
        "包装标识不规范，\n但不影响安全的"
    );
    assert_eq!(field(&got[1], "handling"), "不予处罚，\"责令改正\"");
    assert_eq!(field(&got[1], "penalty_basis"), "");
    site.check().success();
}

#[test]
fn docx_with_two_tables() {
    let span = |text| Tc {
        text,
        span: 6,
        merge: None,
    };
    let restart = |text| Tc {
        text,
        span: 1,
        merge: Some("restart"),
    };
    let cont = Tc {
        text: "",
        span: 1,
        merge: Some(""),
    };
    let first = vec![
        vec![
            tc("序号"),
            tc("违法行为"),
            tc("设定依据"),
            tc("处罚依据"),
            tc("从轻减轻情形"),
            tc("处理方式"),
        ],
        vec![span("一、食品经营类")],
        vec![
            tc("1"),
            tc("未公示健康证明的"),
            restart("《食品安全法》第四十五条"),
            tc("第一百二十六条"),
            tc("首次的"),
            tc("不予处罚"),
        ],
        vec![
            tc("2"),
            tc("未保持\n经营场所清洁的"),
            cont,
            tc("第一百二十六条"),
            tc("及时改正的"),
            tc("不予处罚"),
        ],
    ];
    // The table goes on after a page break, without repeating its header.
    let second = vec![
        vec![span("二、计量类")],
        vec![
            tc("3"),
            tc("未按规定检定计量器具的"),
            tc("《计量法》第九条"),
            tc(""),
            tc("首次的"),
            tc("责令改正"),
        ],
    ];
    let site = Site::fixture("minimal").file("清单.docx", docx(&[first, second]));
    let run = import(&site, "清单.docx", "scjg/2025-imported", &FLAGS).success();
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
    let got = items(&site, NEW);
    assert_eq!(got.len(), 3);
    assert_eq!(field(&got[1], "basis"), "《食品安全法》第四十五条");
    assert_eq!(field(&got[1], "violation"), "未保持\n经营场所清洁的");
    assert_eq!(field(&got[2], "category"), "二、计量类");
    assert_eq!(field(&got[2], "no"), "3");
    // The paragraph above the first table is the title.
    assert!(
        site.read(NEW)
            .contains("title = \"示例市市场监管领域轻微违法行为免罚清单\"")
    );
    site.check().success();
}
