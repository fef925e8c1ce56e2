//! Hostile and broken input: huge and deeply nested sources build without a
//! panic; symlinks and unsafe slugs are refused with a named file; injected
//! markup never reaches a reader through HTML, feeds, the sitemap or JSON;
//! every failing build leaves `public/` exactly as it was.

use crate::harness::{Run, Site, tree};

mod markup;

/// A build of a broken site: exit 1, and a `public/` made beforehand is
/// left byte for byte as it was, with no staging folder beside it.
trait FailsKeepingPublic {
    fn build_fails_keeping_public(&self) -> Run;
}

impl FailsKeepingPublic for Site {
    #[track_caller]
    fn build_fails_keeping_public(&self) -> Run {
        std::fs::create_dir_all(self.path("public/old")).expect("mkdir public");
        std::fs::write(self.path("public/old/index.html"), "上一次的站点").expect("write");
        // Marked as gongshi's, as a real earlier build's `public/` is.
        std::fs::write(
            self.path(&format!("public/{}", gongshi::output::MARKER)),
            gongshi::output::MARKER_TEXT,
        )
        .expect("write marker");
        let before = tree(&self.path("public"));
        let run = self.run(&["build"]).code(1);
        assert_eq!(
            before,
            tree(&self.path("public")),
            "public/ changed:\n{}",
            run.stderr
        );
        let leftovers: Vec<String> = self
            .root_entries()
            .into_iter()
            .filter(|e| e.starts_with(".public"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        run
    }
}

const LIST_HEAD: &str =
    "+++\ntitle = \"大清单\"\ndate = 2024-01-01\nagency = \"scjg\"\nkind = \"exempt\"\n\n";

fn item(i: usize) -> String {
    format!(
        "[[items]]\nid = \"H-{i}\"\nviolation = \"违法行为{i}\"\nbasis = \"依据\"\nconditions = \"条件\"\nhandling = \"处理\"\n\n"
    )
}

#[test]
fn huge_and_deeply_nested_sources_build() {
    let page = |body: String| format!("+++\ntitle = \"深\"\n+++\n\n{body}\n");
    let big_paragraph = "这是一个很长的段落，用来检查二十兆字节的文档。".repeat(40);
    let mut big = String::new();
    while big.len() < 20 * 1024 * 1024 {
        big.push_str(&big_paragraph);
        big.push_str("\n\n");
    }
    let mut huge_list = String::from(LIST_HEAD);
    for i in 0..50_000 {
        huge_list.push_str(&item(i));
    }
    huge_list.push_str("+++\n");
    let site = Site::fixture("minimal")
        .file("content/deep/quote.md", page(">".repeat(10_000) + " 引用"))
        .file("content/deep/list.md", page("- ".repeat(10_000) + "条目"))
        .file(
            "content/deep/emphasis.md",
            page("*".repeat(10_000) + "x" + &"*".repeat(10_000)),
        )
        .file(
            "content/deep/links.md",
            page("[".repeat(10_000) + "x" + &"]".repeat(10_000)),
        )
        .file(
            "content/deep/html.md",
            page("<div>".repeat(10_000) + "x" + &"</div>".repeat(10_000)),
        )
        .file("content/deep/big.md", page(big))
        .file("content/lists/scjg/huge.md", huge_list);
    site.build();
    site.file_contains("public/lists/scjg/huge/index.html", "id=\"item-H-49999\"")
        .file_contains("public/deep/big/index.html", "二十兆字节")
        .file_contains("public/deep/quote/index.html", "引用")
        .file_contains("public/deep/html/index.html", "x");
}

#[test]
fn deeply_nested_front_matter_is_an_error_not_a_crash() {
    let site = Site::fixture("minimal")
        .file(
            "content/deep/toml.md",
            format!(
                "+++\ntitle = \"t\"\nx = {}{}\n+++\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
        )
        .file(
            "content/deep/yaml.md",
            format!(
                "---\ntitle: t\nx: {}{}\n---\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
        );
    site.build_fails_keeping_public()
        .stderr_contains("content/deep/toml.md:3:")
        .stderr_contains("content/deep/yaml.md:3:");
}

/// "Billion laughs": nine levels of nine aliases, 369 bytes that a YAML
/// loader expanding aliases turns into 9⁹ strings (21 GB, then killed).
fn billion_laughs() -> String {
    let mut yaml = String::from(
        "---\ntitle: 笑\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    yaml.push_str("---\n正文\n");
    yaml
}

#[cfg(unix)]
#[test]
fn yaml_aliases_are_refused_before_they_expand() {
    let laughs = billion_laughs();
    assert!(laughs.len() < 400);
    let site = Site::fixture("minimal").file("content/about/laughs.md", laughs);
    // Under 1 GB of address space: the old loader died here in seconds.
    let ours = |command: &str| {
        let run = site.run_limited(1024, &[command]).failure();
        run.stderr
            .lines()
            .skip_while(|l| !l.starts_with("content/about/laughs.md"))
            .take(2)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let built = ours("build");
    assert_eq!(built, ours("check"));
    insta::assert_snapshot!(built, @r#"
    content/about/laughs.md:4:8: 前置元数据: 不支持 YAML 别名（*名称）和锚点（&名称）
      提示: 请把值直接写出来，不要用 & 定义、用 * 引用；文字本身以 * 开头时请加英文引号，例如 title: "*重要*"
    "#);
    site.file_missing("public");
}

#[cfg(unix)]
#[test]
fn block_nesting_without_end_is_an_error_not_a_stack_overflow() {
    let site = Site::fixture("minimal")
        .file(
            "content/deep/block.md",
            format!("---\ntitle: t\nx:\n  {}1\n---\n", "- ".repeat(100_000)),
        )
        .file(
            "content/deep/maps.md",
            // 2,000 mappings, each indented one space more: 2 MB.
            format!(
                "---\ntitle: t\n{}  1\n---\n",
                (0..2000)
                    .map(|i| format!("{}a:\n", " ".repeat(i)))
                    .collect::<String>()
            ),
        )
        .file(
            "content/deep/inline.md",
            format!(
                "+++\ntitle = \"t\"\nx = {}1{}\n+++\n",
                "{a=".repeat(100_000),
                "}".repeat(100_000)
            ),
        )
        .file(
            "content/deep/dotted.md",
            format!("+++\ntitle = \"t\"\n{}b = 1\n+++\n", "a.".repeat(100_000)),
        );
    let run = site.run_limited(1024, &["build"]).failure();
    let ours: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("content/deep/") || l.starts_with("  提示"))
        .collect();
    insta::assert_snapshot!(ours.join("\n"));
}

#[cfg(unix)]
#[test]
fn deep_site_toml_and_synonyms_are_errors_not_crashes() {
    let deep = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let site = Site::fixture("minimal").file("synonyms.toml", &deep);
    let run = site.run_limited(1024, &["build"]).failure();
    insta::assert_snapshot!("deep_synonyms", run.stderr);
    let site = site.edit("site.toml", "language = ", &format!("{deep}language = "));
    let run = site.run_limited(1024, &["check"]).failure();
    insta::assert_snapshot!("deep_site_toml", run.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_link_outside_the_tree_are_refused() {
    let outside = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(outside.path(), "+++\ntitle = \"外部\"\n+++\n").expect("write");
    let site = Site::fixture("minimal");
    std::fs::create_dir_all(site.path("content/loop")).expect("mkdir");
    std::os::unix::fs::symlink("..", site.path("content/loop/up")).expect("symlink");
    std::os::unix::fs::symlink(outside.path(), site.path("content/outside.md")).expect("symlink");
    std::os::unix::fs::symlink("/etc", site.path("content/etc")).expect("symlink");
    site.build_fails_keeping_public()
        .stderr_contains("content/loop/up:1:1: 文件: 符号链接形成循环")
        .stderr_contains("content/outside.md:1:1: 符号链接: 符号链接指向站点目录之外")
        .stderr_contains("content/etc:1:1: 符号链接: 符号链接指向站点目录之外：/etc");
}

/// A folder outside the site holding a secret, and its path as the tests
/// print it.
#[cfg(unix)]
fn outside_with_secret() -> (tempfile::TempDir, String) {
    let outside = tempfile::Builder::new()
        .prefix("gongshi-outside-")
        .tempdir()
        .expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET-口令").expect("write");
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"TOP-SECRET-口令\"\n+++\n",
    )
    .expect("write");
    std::fs::write(outside.path().join("page.html"), "TOP-SECRET-口令").expect("write");
    std::fs::write(
        outside.path().join("synonyms.toml"),
        "\"TOP-SECRET-口令\" = 1\n",
    )
    .expect("write");
    let path = outside.path().display().to_string();
    (outside, path)
}

/// Replaces the outside folder's path (as given and as resolved) in output.
#[cfg(unix)]
fn hide_outside(text: &str, outside: &std::path::Path) -> String {
    let canonical = outside.canonicalize().expect("canonical");
    text.replace(canonical.to_str().expect("utf-8"), "[OUTSIDE]")
        .replace(outside.to_str().expect("utf-8"), "[OUTSIDE]")
}

#[cfg(unix)]
#[test]
fn static_folder_linked_outside_the_site_is_refused() {
    let (outside, _) = outside_with_secret();
    let site = Site::fixture("minimal");
    std::os::unix::fs::symlink(outside.path(), site.path("static")).expect("symlink");
    let run = site.build_fails_keeping_public();
    insta::assert_snapshot!(hide_outside(&run.stderr, outside.path()));
    for (path, bytes) in site.tree("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("TOP-SECRET"),
            "the secret reached {path}"
        );
    }
    site.file_missing("public/secret.txt");
    assert!(!run.stderr.contains("TOP-SECRET"), "{}", run.stderr);
    let check = site.run(&["check"]).code(1);
    assert!(
        check.stderr.contains("static:1:1: 符号链接"),
        "{}",
        check.stderr
    );
}

/// Every input, every kind of link out of the site: the folder itself, a
/// link inside it, to a file or a folder, a chain, `..`. Each is named
/// once, and nothing behind any of them is read.
#[cfg(unix)]
#[test]
fn every_input_refuses_links_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let (outside, out) = outside_with_secret();
    let site = Site::fixture("minimal")
        .edit("site.toml", "language = ", "theme = \"gov\"\nlanguage = ")
        .file("themes/gov/templates/.keep", "")
        .file("static/site.css", "body {}")
        .file("templates/.keep", "");
    std::fs::create_dir_all(site.path("themes/gov/static")).expect("mkdir");
    // A link inside static/ to a file, and a chain through the site.
    symlink(format!("{out}/secret.txt"), site.path("static/file.txt")).expect("symlink");
    symlink("hop", site.path("static/chain")).expect("symlink");
    symlink(&out, site.path("static/hop")).expect("symlink");
    // `..` from the site root is its parent.
    symlink("..", site.path("static/up")).expect("symlink");
    // A theme's static folder and a template inside templates/.
    std::fs::remove_dir(site.path("themes/gov/static")).expect("rmdir");
    symlink(&out, site.path("themes/gov/static")).expect("symlink");
    symlink(format!("{out}/page.html"), site.path("templates/page.html")).expect("symlink");
    // A content file and synonyms.toml.
    symlink(
        format!("{out}/secret.md"),
        site.path("content/about/secret.md"),
    )
    .expect("symlink");
    symlink(format!("{out}/synonyms.toml"), site.path("synonyms.toml")).expect("symlink");
    // A link into the site's own hidden folder.
    std::fs::create_dir_all(site.path(".git")).expect("mkdir");
    std::fs::write(site.path(".git/config"), "TOP-SECRET-口令").expect("write");
    symlink("../.git/config", site.path("static/config")).expect("symlink");
    let run = site.build_fails_keeping_public();
    let stderr = hide_outside(&run.stderr, outside.path());
    let parent = site
        .root()
        .parent()
        .expect("parent")
        .canonicalize()
        .expect("canonical");
    let stderr = stderr.replace(parent.to_str().expect("utf-8"), "[PARENT]");
    insta::assert_snapshot!(stderr);
    assert!(!stderr.contains("TOP-SECRET"), "{stderr}");
    for (path, bytes) in site.tree("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("TOP-SECRET"),
            "the secret reached {path}"
        );
    }

    // The theme folder itself, templates/, content/ and site.toml as links.
    let site =
        Site::fixture("minimal").edit("site.toml", "language = ", "theme = \"gov\"\nlanguage = ");
    std::fs::create_dir_all(site.path("themes")).expect("mkdir");
    symlink(&out, site.path("themes/gov")).expect("symlink");
    symlink(&out, site.path("templates")).expect("symlink");
    let run = site.build_fails_keeping_public();
    let stderr = hide_outside(&run.stderr, outside.path());
    assert!(
        stderr.contains("themes/gov:1:1: 符号链接: 符号链接指向站点目录之外：[OUTSIDE]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("templates:1:1: 符号链接: 符号链接指向站点目录之外：[OUTSIDE]"),
        "{stderr}"
    );
    let site = Site::fixture("minimal");
    std::fs::rename(site.path("content"), outside.path().join("content")).expect("move");
    symlink(outside.path().join("content"), site.path("content")).expect("symlink");
    let run = site.build_fails_keeping_public();
    let stderr = hide_outside(&run.stderr, outside.path());
    assert!(
        stderr.contains("content:1:1: 符号链接: 符号链接指向站点目录之外：[OUTSIDE]/content"),
        "{stderr}"
    );
    std::fs::rename(site.path("site.toml"), outside.path().join("site.toml")).expect("move");
    symlink(outside.path().join("site.toml"), site.path("site.toml")).expect("symlink");
    let run = site.build_fails_keeping_public();
    let stderr = hide_outside(&run.stderr, outside.path());
    assert!(
        stderr.contains("site.toml:1:1: 符号链接: 符号链接指向站点目录之外：[OUTSIDE]/site.toml"),
        "{stderr}"
    );
}

/// Links that stay inside the site keep working, in every input.
#[cfg(unix)]
#[test]
fn links_inside_the_site_are_followed() {
    use std::os::unix::fs::symlink;
    let site = Site::fixture("minimal")
        .file("shared/css/extra.css", "body { color: red }")
        .file("shared/guide.pdf", "%PDF-1.4 手册");
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    symlink("../shared/css", site.path("static/css")).expect("symlink");
    symlink(
        "../../shared/guide.pdf",
        site.path("content/about/guide.pdf"),
    )
    .expect("symlink");
    site.build();
    site.file_contains("public/css/extra.css", "color: red")
        .file_contains("public/about/guide.pdf", "手册");
}

/// A link into the generated site would copy each build into the next:
/// refused, and the site built before is kept.
#[cfg(unix)]
#[test]
fn a_link_into_the_generated_site_is_refused() {
    use std::os::unix::fs::symlink;
    let site = Site::fixture("minimal");
    site.build();
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    symlink("../public", site.path("static/mirror")).expect("symlink");
    let before = site.tree("public");
    let run = site.run(&["build"]).failure();
    assert!(
        run.stderr
            .contains("static/mirror:1:1: 符号链接: 符号链接指向生成的网站：public"),
        "{}",
        run.stderr
    );
    assert_eq!(site.tree("public"), before);
}

/// A published copy is never readable by more people than its source.
#[cfg(unix)]
#[test]
fn published_copies_keep_a_private_source_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = Site::fixture("minimal")
        .file("static/private.txt", "只给自己看")
        .file("static/open.txt", "公开")
        .file("content/about/private.pdf", "%PDF 私有");
    for f in ["static/private.txt", "content/about/private.pdf"] {
        std::fs::set_permissions(site.path(f), std::fs::Permissions::from_mode(0o600))
            .expect("chmod");
    }
    site.build();
    let mode = |f: &str| {
        std::fs::metadata(site.path(f))
            .expect("published")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("public/private.txt"), 0o600);
    assert_eq!(mode("public/about/private.pdf"), 0o600);
    assert_eq!(mode("public/open.txt") & 0o044, 0o044);
}

#[test]
fn unsafe_slugs_and_file_names_are_refused() {
    let doc = |slug: &str| {
        format!(
            "+++\ntitle = \"t\"\ndate = 2025-01-01\nagency = \"scjg\"\nmethod = \"remind\"\nslug = \"{slug}\"\n+++\n"
        )
    };
    let site = Site::fixture("minimal")
        .file("content/guidance/a.md", doc("../../etc"))
        .file("content/guidance/b.md", doc("a/b"))
        .file("content/guidance/c.md", doc("a b"))
        .file(
            "content/guidance/空 格.md",
            "+++\ntitle = \"t\"\ndate = 2025-01-01\nagency = \"scjg\"\nmethod = \"remind\"\n+++\n",
        )
        .file("content/bad dir/x.md", "+++\ntitle = \"t\"\n+++\n");
    let run = site.build_fails_keeping_public();
    for needle in [
        "content/guidance/a.md:6:1: slug: slug“../../etc”只能使用小写字母、数字和连字符",
        "content/guidance/b.md:6:1: slug: slug“a/b”只能使用小写字母、数字和连字符",
        "content/guidance/c.md:6:1: slug: slug“a b”只能使用小写字母、数字和连字符",
        "content/guidance/空 格.md:1:1: slug: 文件名“空 格”不能用作网址",
        "content/bad dir/x.md:1:1: 路径: 目录名“bad dir”不能用作网址",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in\n{}",
            run.stderr
        );
    }
    assert!(!site.path("etc").exists() && !site.path("public/etc").exists());
}
