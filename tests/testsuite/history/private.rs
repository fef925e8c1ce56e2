//! What history never publishes (commit subjects, author names), front
//! matter revisions, and history turned off.

use super::*;

/// Every text in `site`'s `public/` (search `.gz` files and the sheets of
/// `.xlsx` workbooks unpacked), by path.
fn published_texts(dir: &Path) -> Vec<(String, String)> {
    use std::io::Read;
    let mut out = Vec::new();
    for (rel, bytes) in crate::harness::tree(dir) {
        if rel.ends_with(".gz") {
            let mut text = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut text)
                .unwrap_or_else(|e| panic!("{rel}: {e}"));
            out.push((rel, String::from_utf8_lossy(&text).into_owned()));
        } else if rel.ends_with(".xlsx") {
            for (name, part) in zip_parts(&bytes) {
                out.push((
                    format!("{rel}/{name}"),
                    String::from_utf8_lossy(&part).into_owned(),
                ));
            }
        } else {
            out.push((rel, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

/// The files of a zip archive (stored or deflated, sizes in the local
/// headers, as the workbooks gongshi writes).
fn zip_parts(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([zip[i], zip[i + 1]]));
    let u32_at =
        |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    let mut parts = Vec::new();
    let mut at = 0;
    while zip.get(at..at + 4) == Some(b"PK\x03\x04") {
        let (method, size) = (u16_at(at + 8), u32_at(at + 18));
        let (name_len, extra_len) = (u16_at(at + 26), u16_at(at + 28));
        let name = String::from_utf8_lossy(&zip[at + 30..at + 30 + name_len]).into_owned();
        let start = at + 30 + name_len + extra_len;
        let data = &zip[start..start + size];
        let mut text = Vec::new();
        match method {
            0 => text.extend_from_slice(data),
            8 => {
                flate2::read::DeflateDecoder::new(data)
                    .read_to_end(&mut text)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            m => panic!("{name}: compression method {m}"),
        }
        parts.push((name, text));
        at = start + size;
    }
    assert!(!parts.is_empty(), "not a zip archive");
    parts
}

/// Asserts that no published file contains any of `secrets`.
#[track_caller]
fn publishes_none_of(dir: &Path, secrets: &[&str]) {
    let texts = published_texts(dir);
    assert!(texts.len() > 20, "{} files", texts.len());
    for (rel, text) in &texts {
        for s in secrets {
            assert!(!text.contains(s), "{rel} publishes {s:?}");
        }
    }
}

/// Commit subjects are written for colleagues: only a `修订说明:` trailer
/// reaches readers, and a revision without one is 内容修订.
#[test]
fn commit_subjects_never_reach_the_output() {
    let site = repo();
    let root = site.root().to_path_buf();
    let site = site.edit(
        LIST,
        "id = \"SJ-MF-002\"",
        "id = \"SJ-MF-002\"\nnote = \"新增备注\"",
    );
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "WIP fix per Zhang's review (see lists/a.md)",
        ],
        "2024-09-01T10:00:00+08:00",
    );
    let bakery = "content/cases/2025-bakery.md";
    let text = site.read(bakery) + "\n补充回访情况。\n";
    let site = site.file(bakery, text);
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "cases: bakery follow-up (internal ticket 7)",
            "-m",
            "修订说明: 补充回访情况",
        ],
        "2025-04-01T10:00:00+08:00",
    );
    site.build();
    let page = "public/lists/scjg/2024-exempt/index.html";
    site.file_contains(
        page,
        "<time datetime=\"2024-09-01\">2024年9月1日</time><span class=\"history-note\">内容修订</span>",
    )
    .file_contains(page, "调整第1项处理方式");
    site.file_contains("public/cases/2025-bakery/index.html", "补充回访情况");
    site.file_contains("public/changes/index.html", "内容修订")
        .file_contains("public/changes/atom.xml", "内容修订（修改 1 项）");
    site.file_contains(
        "public/lists/scjg/2024-exempt/versions/index.html",
        "<td data-label=\"修订说明\">内容修订</td>",
    );
    publishes_none_of(
        &site.path("public"),
        &[
            "WIP fix",
            "Zhang",
            "internal ticket",
            "bakery follow-up",
            "legal review",
            "ticket #42",
            "删除多余空格",
            "clerk@example.gov.cn",
        ],
    );
}

/// 首次发布 is the front matter's `date` when git saw the file earlier
/// (drafting, or a site that went online later); commits before it are
/// neither revisions nor update dates.
#[test]
fn first_publication_is_never_before_the_front_matter_date() {
    let site = repo();
    let root = site.root().to_path_buf();
    let bakery = "content/cases/2025-bakery.md";
    let text = site.read(bakery) + "\n草稿补充。\n";
    let site = site.file(bakery, text);
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "draft",
            "-m",
            "修订说明: 发布前的修改",
        ],
        "2024-10-01T10:00:00+08:00",
    );
    site.build();
    let page = "public/cases/2025-bakery/index.html";
    site.file_contains(
        page,
        "首次发布于 <time datetime=\"2025-03-05\">2025年3月5日</time>",
    )
    .file_contains(
        page,
        "<time datetime=\"2025-03-05\">2025年3月5日</time><span class=\"history-note\">首次发布</span>",
    )
    .file_lacks(page, "2024年2月20日")
    .file_lacks(page, "2024年10月1日")
    .file_lacks(page, "发布前的修改")
    .file_lacks(page, "更新日期");
    site.file_lacks("public/changes/index.html", "发布前的修改")
        .file_lacks("public/changes/index.html", "2024-10-01")
        .file_lacks("public/sitemap.xml", "2025-bakery/</loc><lastmod>2024");
}

/// Revisions written in the front matter for the public, with or without
/// git history.
#[test]
fn front_matter_revisions_are_shown() {
    let site = Site::fixture("minimal").edit(
        LIST,
        "effective = 2024-03-01",
        "effective = 2024-03-01\nrevisions = [\n  { date = 2024-06-01, note = \"根据新修订的条例调整第1项处理方式\" },\n  { date = 2025-01-10, note = \"第2项增加备注\" },\n]",
    )
    .edit(
        "content/guidance/2025-license-remind.md",
        "tags: [亮照经营]\n",
        "tags: [亮照经营]\nrevisions:\n  - date: 2025-03-01\n    note: 补充电子亮照的要求\n",
    );
    site.build();
    site.file_contains(
        "public/guidance/2025-license-remind/index.html",
        "<time datetime=\"2025-03-01\">2025年3月1日</time><span class=\"history-note\">补充电子亮照的要求</span>",
    );
    let page = "public/lists/scjg/2024-exempt/index.html";
    site.file_contains(page, "修订记录")
        .file_contains(
            page,
            "<time datetime=\"2025-01-10\">2025年1月10日</time><span class=\"history-note\">第2项增加备注</span>",
        )
        .file_contains(page, "根据新修订的条例调整第1项处理方式")
        .file_contains(
            page,
            "首次发布于 <time datetime=\"2024-02-20\">2024年2月20日</time>",
        )
        .file_contains(page, "更新日期");
    site.file_contains("public/changes/index.html", "第2项增加备注")
        .file_contains("public/changes/atom.xml", "第2项增加备注")
        .file_contains(
            "public/sitemap.xml",
            "2024-exempt/</loc><lastmod>2025-01-10</lastmod>",
        );
}

#[test]
fn front_matter_revisions_are_validated() {
    let site = Site::fixture("minimal").edit(
        LIST,
        "effective = 2024-03-01",
        "effective = 2024-03-01\nrevisions = [\n  { date = \"2024-13-01\", note = \"月份不对\" },\n  { date = 2024-06-01, note = \"  \" },\n  { date = 2024-06-02 },\n  { date = 2024-01-01, note = \"早于发布日期\" },\n  { date = 2099-01-01, note = \"晚于生成日期\" },\n  { date = 2024-07-01, note = \"多一个键\", by = \"张三\" },\n  \"2024-08-01 只写了文字\",\n]",
    );
    let run = site.run(&["check"]).failure();
    insta::assert_snapshot!(run.stderr);
}

/// `[history] git = false`: dates and notes come from the front matter
/// only; list versions are still the committed texts, with no commit day
/// or note.
#[test]
fn git_history_can_be_turned_off() {
    let site = repo_with_versions();
    let config = site.read("site.toml") + "\n[history]\ngit = false\n";
    let site = site.file("site.toml", config);
    let run = site.build();
    assert!(!run.stderr.contains("说明："), "{}", run.stderr);
    let page = "public/lists/scjg/2024-exempt/index.html";
    site.file_contains(
        page,
        "首次发布于 <time datetime=\"2024-02-20\">2024年2月20日</time>",
    )
    .file_contains(page, "<span class=\"history-note\">首次发布</span>")
    .file_lacks(page, "调整第1项处理方式")
    .file_lacks(page, "更新日期")
    .file_contains(page, "历次版本");
    site.file_contains(
        "public/lists/scjg/2024-exempt/versions/2024-07-01/index.html",
        "新增事项",
    );
    for rel in ["public/changes/index.html", "public/changes/atom.xml"] {
        site.file_lacks(rel, "删除第2项，新增第3项")
            .file_lacks(rel, "2024-06-20")
            .file_lacks(rel, "2024-06-03");
    }
    publishes_none_of(
        &site.path("public"),
        &[
            "调整第1项处理方式",
            "删除第2项，新增第3项",
            "2024年6月3日",
            "2024年6月20日",
        ],
    );
}

#[test]
fn the_history_setting_is_validated() {
    let site = Site::fixture("minimal");
    let config = site.read("site.toml") + "\n[history]\ngit = \"no\"\ngti = true\n";
    let site = site.file("site.toml", config);
    let run = site.run(&["check"]).failure();
    insta::assert_snapshot!(run.stderr);
}

/// The demo site in this repository has the tool's development history as
/// its git history: none of its commit subjects or authors are published.
#[test]
fn the_demo_site_publishes_none_of_this_repositorys_commit_subjects() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let log = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(args)
            .output()
            .expect("git log");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let subjects = log(&[
        "log",
        "--format=%s",
        "-n",
        "20",
        "--",
        "content",
        "site.toml",
    ]) + &log(&["log", "--format=%s", "-n", "5"]);
    let authors = log(&["log", "--format=%an%n%ae", "-n", "5", "--", "content"]);
    let secrets: Vec<&str> = subjects
        .lines()
        .chain(authors.lines())
        .map(str::trim)
        .filter(|s| s.chars().count() >= 8)
        .collect();
    if secrets.is_empty() {
        // Not a git checkout (a source tarball): nothing to leak.
        return;
    }
    let out = Site::empty();
    let dir = out.path("demo");
    out.run(&[
        "build",
        "--root",
        repo.to_str().expect("utf-8 path"),
        "--output",
        dir.to_str().expect("utf-8 path"),
    ])
    .success();
    publishes_none_of(&dir, &secrets);
    // What a newcomer sees: the revision the city wrote, on its own day.
    let page =
        std::fs::read_to_string(dir.join("lists/scjg/2024-exempt/index.html")).expect("page");
    assert!(page.contains("<time datetime=\"2024-12-16\">2024年12月16日</time><span class=\"history-note\">根据2024年版清单施行情况评估"), "{page}");
}
