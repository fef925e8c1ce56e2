//! Attachments (附件): the originals a document publishes beside its page.
//! Present ones are copied byte for byte into the document's folder under a
//! readable name, shown in a 附件 block with their type and size, and
//! listed in the open data; every refused one — missing, a folder, out of
//! `content/` (`../`, absolute, a link), the wrong bytes for its extension,
//! an unsupported type, the same file twice — is an error naming the file,
//! the line and the field, and a failed build leaves `public/` as it was.

use crate::harness::{Site, tree};
use crate::pdf::pdf;

const GUIDANCE: &str = "content/guidance/2025-license-remind.md";
const LIST: &str = "content/lists/scjg/2024-exempt.md";

/// The stamped original of the fixture's guidance notice.
fn notice_pdf() -> Vec<u8> {
    pdf(
        "关于餐饮经营者亮照经营的提示",
        &[
            "测试市市场监督管理局",
            "关于餐饮经营者亮照经营的提示",
            "请各餐饮服务经营者将营业执照悬挂在醒目位置。",
        ],
    )
}

/// A Word document holding one paragraph, as Word saves it (a zip).
fn docx(text: &str) -> Vec<u8> {
    crate::import::zip_of(&[
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
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
            ),
        ),
    ])
}

/// The fixture with the guidance notice (YAML) attaching its PDF and a
/// table in a sub-folder, and the 2024 list (TOML) attaching its Word text.
fn attached() -> Site {
    Site::fixture("minimal")
        .file("content/guidance/2025-license-remind.pdf", notice_pdf())
        .file(
            "content/guidance/附件/亮照 检查表.xlsx",
            crate::import::zip_of(&[("xl/workbook.xml", "<workbook/>".to_string())]),
        )
        .edit(
            GUIDANCE,
            "tags: [亮照经营]\n",
            "tags: [亮照经营]\nattachments:\n  - file: 2025-license-remind.pdf\n    title: 提示原文（盖章版）\n  - 附件/亮照 检查表.xlsx\n",
        )
        .file(
            "content/lists/scjg/测市监〔2024〕12号.docx",
            docx("市场监管领域轻微违法行为免罚清单（2024年版）"),
        )
        .edit(
            LIST,
            "tags = [\"首违不罚\"]\n",
            "tags = [\"首违不罚\"]\n\n[[attachments]]\nfile = \"测市监〔2024〕12号.docx\"\n",
        )
}

#[test]
fn attached_files_are_copied_byte_for_byte_beside_the_page_and_listed() {
    let site = attached();
    site.build().success();
    let out = tree(&site.path("public"));
    let src = tree(&site.path("content"));
    for (from, to) in [
        (
            "guidance/2025-license-remind.pdf",
            "guidance/2025-license-remind/2025-license-remind.pdf",
        ),
        (
            "guidance/附件/亮照 检查表.xlsx",
            "guidance/2025-license-remind/亮照_检查表.xlsx",
        ),
        (
            "lists/scjg/测市监〔2024〕12号.docx",
            "lists/scjg/2024-exempt/测市监〔2024〕12号.docx",
        ),
    ] {
        assert_eq!(out.get(to), src.get(from), "{to} is not a copy of {from}");
        // Published beside the page only, not also at its own path.
        assert!(!out.contains_key(from), "{from} published twice");
    }

    let page = site.read("public/guidance/2025-license-remind/index.html");
    let block = &page[page
        .find("<section class=\"attachments\"")
        .expect("附件 block")..];
    let block = &block[..block.find("</section>").expect("end of the block")];
    insta::assert_snapshot!(block);
    let size = notice_pdf().len();

    let list = site.read("public/lists/scjg/2024-exempt/index.html");
    assert!(
        list.contains("href=\"/lists/scjg/2024-exempt/%E6%B5%8B%E5%B8%82%E7%9B%91%E3%80%942024%E3%80%9512%E5%8F%B7.docx\" download type=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document\"><span class=\"attachment-title\">测市监〔2024〕12号</span>"),
        "{list}"
    );
    // A document without attachments has no block.
    site.file_lacks("public/cases/2025-bakery/index.html", "attachments-title");

    let catalog: serde_json::Value =
        serde_json::from_str(&site.read("public/data/catalog.json")).expect("catalog");
    let guidance = catalog["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["url"] == "https://example.gov.cn/guidance/2025-license-remind/")
        .expect("the notice in the catalog");
    assert_eq!(
        guidance["attachments"][0],
        serde_json::json!({
            "title": "提示原文（盖章版）",
            "url": "https://example.gov.cn/guidance/2025-license-remind/2025-license-remind.pdf",
            "type": "pdf",
            "media_type": "application/pdf",
            "size": size,
        })
    );
    assert_eq!(guidance["attachments"][1]["title"], "亮照 检查表");
    assert_eq!(
        guidance["attachments"][1]["url"],
        "https://example.gov.cn/guidance/2025-license-remind/%E4%BA%AE%E7%85%A7_%E6%A3%80%E6%9F%A5%E8%A1%A8.xlsx"
    );
    let list_json: serde_json::Value =
        serde_json::from_str(&site.read("public/lists/scjg/2024-exempt/2024-exempt.json"))
            .expect("list JSON");
    assert_eq!(list_json["attachments"][0]["type"], "docx");
    assert_eq!(
        list_json["attachments"][0]["size"],
        src["lists/scjg/测市监〔2024〕12号.docx"].len()
    );
    let schema = site.read("public/data/list.schema.json");
    assert!(schema.contains("\"attachments\""), "{schema}");
}

/// Runs a build that must fail and returns its stderr.
#[track_caller]
fn fails(site: &Site) -> String {
    let run = site.run(&["build"]).failure();
    site.file_missing("public");
    run.stderr
}

#[test]
fn a_missing_file_or_a_folder_is_named_with_its_line_and_field() {
    let site = Site::fixture("minimal")
        .file("content/guidance/2025-license-remind.pdf", notice_pdf())
        .file("content/guidance/原件/说明.txt", "文件夹中的文件")
        .edit(
            GUIDANCE,
            "tags: [亮照经营]\n",
            "tags: [亮照经营]\nattachments:\n  - 2025-license-remind.pfd.pdf\n  - file: 原件\n    title: 原件\n  - file: 缺少的文件夹/a.pdf\n",
        );
    std::fs::create_dir_all(site.path("content/guidance/目录.pdf")).expect("mkdir");
    let site = site.edit(GUIDANCE, "  - file: 原件\n", "  - file: 目录.pdf\n");
    insta::assert_snapshot!(fails(&site));
}

#[test]
fn attachments_may_not_leave_content() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.pdf"), notice_pdf()).expect("write");
    let site = Site::fixture("minimal")
        .file("notes/内部.pdf", notice_pdf())
        .edit(
            LIST,
            "tags = [\"首违不罚\"]\n",
            "tags = [\"首违不罚\"]\nattachments = [\n  \"../../../notes/内部.pdf\",\n  \"/etc/hosts.pdf\",\n  \"C:\\\\公文\\\\原件.pdf\",\n  \"https://example.gov.cn/a.pdf\",\n  \"../../.git/原件.pdf\",\n  \"外部.pdf\",\n  \"外部目录/secret.pdf\",\n]\n",
        );
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(
            outside.path().join("secret.pdf"),
            site.path("content/lists/scjg/外部.pdf"),
        )
        .expect("symlink");
        symlink(outside.path(), site.path("content/lists/scjg/外部目录")).expect("symlink");
    }
    let stderr = fails(&site);
    // The walk refuses the links as inputs too; the attachments name them.
    insta::assert_snapshot!(stderr.replace(outside.path().to_str().expect("utf-8"), "[OUTSIDE]"));
}

#[test]
fn wrong_bytes_and_unsupported_types_are_refused_with_what_the_file_is() {
    let site = Site::fixture("minimal")
        .file(
            "content/guidance/下载的原件.pdf",
            "<!DOCTYPE html><html><head><title>404</title></head></html>",
        )
        .file("content/guidance/伪装.docx", notice_pdf())
        .file("content/guidance/旧版.doc", docx("不是旧版 Word"))
        .file("content/guidance/空白.ofd", "")
        .file("content/guidance/报告.wps", "WPS")
        .file("content/guidance/材料.zip", "PK")
        .file("content/guidance/说明.txt", "说明")
        .file("content/guidance/原件.pdf", notice_pdf())
        .edit(
            GUIDANCE,
            "tags: [亮照经营]\n",
            "tags: [亮照经营]\nattachments:\n  - 下载的原件.pdf\n  - 伪装.docx\n  - 旧版.doc\n  - 空白.ofd\n  - 报告.wps\n  - 材料.zip\n  - 说明.txt\n  - 原件.pdf\n  - ./原件.pdf\n  - file: 原件.PDF\n    title: \"\"\n    page: 3\n",
        );
    insta::assert_snapshot!(fails(&site));
}

/// Two files at one output path: an attachment named like its list's own
/// data files, or like a content file already in the document's folder.
#[test]
fn attachments_that_would_overwrite_another_file_are_refused() {
    let site = Site::fixture("minimal")
        .file(
            "content/lists/scjg/2024-exempt.xlsx",
            crate::import::zip_of(&[("xl/workbook.xml", "<workbook/>".to_string())]),
        )
        .file("content/lists/scjg/原件/2024-exempt.pdf", notice_pdf())
        .file("content/lists/scjg/2024-exempt/2024-exempt.pdf", notice_pdf())
        .edit(
            LIST,
            "tags = [\"首违不罚\"]\n",
            "tags = [\"首违不罚\"]\n\n[[attachments]]\nfile = \"2024-exempt.xlsx\"\n\n[[attachments]]\nfile = \"原件/2024-exempt.pdf\"\n",
        );
    insta::assert_snapshot!(fails(&site));
}

#[test]
fn a_failed_build_leaves_the_previous_public_untouched() {
    let site = attached();
    site.build().success();
    let before = tree(&site.path("public"));
    // The original is deleted: the page that attaches it cannot be built.
    let site = site.remove("content/guidance/2025-license-remind.pdf");
    site.run(&["build"])
        .failure()
        .stderr_contains("找不到附件文件 content/guidance/2025-license-remind.pdf")
        .stderr_contains("生成失败，./public 保持原样。");
    assert!(before == tree(&site.path("public")), "public/ changed");
}

/// The demo site's PDF is the generator's output, so it can be made again
/// (`GONGSHI_WRITE_DEMO_PDF=1 cargo test --test testsuite demo_attachment`).
#[test]
fn demo_attachment_is_made_by_the_generator() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content/lists/scjg/示市监规〔2024〕3号.pdf");
    let made = crate::pdf::demo();
    if std::env::var_os("GONGSHI_WRITE_DEMO_PDF").is_some() {
        std::fs::write(&path, &made).expect("write the demo PDF");
    }
    let committed = std::fs::read(&path).expect("the demo's attachment");
    assert!(
        committed == made,
        "{} is not the generator's output",
        path.display()
    );
    assert!(made.len() < 20 * 1024, "{} bytes", made.len());
}

/// `gongshi serve`: an attachment replaced is copied again and its new
/// size shown; one deleted fails the preview as it fails the build; one
/// attached or detached by an edit of the document comes and goes. After
/// each, the folder served equals a clean build.
#[test]
fn the_live_preview_follows_edits_of_attachments() {
    use crate::live::{assert_equals_clean, demo, live};
    use gongshi::live::Change;
    let site = demo();
    let mut live = live(&site);
    assert!(live.rebuild(&[Change::Content(String::new())]).ok);
    assert_equals_clean(&site, &live);
    let file = "lists/scjg/示市监规〔2024〕3号.pdf";
    let served = "serve/lists/scjg/2024-exempt/示市监规〔2024〕3号.pdf";

    // Replaced by a longer original.
    let lines: Vec<String> = (1..=60).map(|i| format!("第{i}项 说明文字")).collect();
    let longer = pdf(
        "免罚清单盖章件",
        &lines.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let site = site.file(&format!("content/{file}"), &longer);
    let o = live.rebuild(&[Change::Content(file.into())]);
    assert!(o.ok, "{:?}", o.diagnostics);
    let page = "lists/scjg/2024-exempt/index.html".to_string();
    assert!(o.changed.contains(&page), "{:?}", o.changed);
    assert_equals_clean(&site, &live);
    assert!(std::fs::read(site.path(served)).expect("served") == longer);

    // Deleted: reported like the CLI, the last good site kept.
    let site = site.remove(&format!("content/{file}"));
    let o = live.rebuild(&[Change::Content(file.into())]);
    assert!(!o.ok);
    assert!(
        o.diagnostics
            .iter()
            .any(|d| d.field == "attachments[1].file" && d.message.contains("找不到附件文件")),
        "{:?}",
        o.diagnostics
    );
    assert!(site.path(served).is_file());

    // Back, with a second file attached by an edit of the list.
    let list = "content/lists/scjg/2024-exempt.md";
    let site = site
        .file(&format!("content/{file}"), &longer)
        .file(
            "content/lists/scjg/统计表.xlsx",
            crate::import::zip_of(&[("xl/workbook.xml", "<workbook/>".into())]),
        )
        .edit(
            list,
            "盖章件\"\n",
            "盖章件\"\n\n[[attachments]]\nfile = \"统计表.xlsx\"\n",
        );
    let o = live.rebuild(&[
        Change::Content(file.into()),
        Change::Content("lists/scjg/2024-exempt.md".into()),
        Change::Content("lists/scjg/统计表.xlsx".into()),
    ]);
    assert!(o.ok && !o.quick, "{:?}", o.diagnostics);
    assert_equals_clean(&site, &live);
    site.file_exists("serve/lists/scjg/2024-exempt/统计表.xlsx")
        .file_missing("serve/lists/scjg/统计表.xlsx");

    // Detached: published at its own path again, the copy gone.
    let site = site.edit(list, "\n[[attachments]]\nfile = \"统计表.xlsx\"\n", "");
    let o = live.rebuild(&[Change::Content("lists/scjg/2024-exempt.md".into())]);
    assert!(o.ok, "{:?}", o.diagnostics);
    assert_equals_clean(&site, &live);
    site.file_missing("serve/lists/scjg/2024-exempt/统计表.xlsx")
        .file_exists("serve/lists/scjg/统计表.xlsx");
}

/// Every document type shows its 附件, an annual report too: the report
/// the agency filed, attached as its stamped PDF.
#[test]
fn a_report_shows_its_attached_original() {
    let site = Site::fixture("minimal")
        .overlay("reports")
        .file(
            "content/reports/scjg/2024年度报告（盖章）.pdf",
            notice_pdf(),
        )
        .edit(
            "content/reports/scjg/2024.md",
            "year = 2024\n",
            "year = 2024\nattachments = [\"2024年度报告（盖章）.pdf\"]\n",
        );
    site.build().success();
    let page = site.read("public/reports/scjg/2024/index.html");
    assert!(page.contains("attachments-title"), "{page}");
    assert!(
        page.contains("<span class=\"attachment-title\">2024年度报告（盖章）</span>"),
        "{page}"
    );
    assert_eq!(
        std::fs::read(site.path("public/reports/scjg/2024/2024年度报告（盖章）.pdf"))
            .expect("copied"),
        notice_pdf()
    );
}

/// Search finds a document by its attachments' titles (提示原文（盖章版）),
/// and a document without attachments does not get their words.
#[test]
fn search_finds_a_document_by_its_attachment_titles() {
    let plain = Site::fixture("minimal");
    plain.build().success();
    assert!(crate::search::postings(&plain, "盖章").is_none());
    let site = attached();
    site.build().success();
    let (ids, _) =
        crate::search::postings(&site, "盖章").expect("the attachment's title is indexed");
    let urls: Vec<String> = ids
        .iter()
        .map(|&id| crate::search::display(&site, id).1.to_string())
        .collect();
    assert!(
        urls.iter().any(|r| r.contains("2025-license-remind")),
        "{urls:?}"
    );
}
