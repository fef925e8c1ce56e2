//! The command line: wrong usage exits with 2 and says so in Chinese, help
//! is Chinese, `init` writes a site that builds, `new` writes a document
//! whose placeholders `check` rejects until they are replaced.

use crate::harness::Site;

#[test]
fn help_is_chinese() {
    let run = Site::empty().run(&["--help"]).success();
    assert!(run.stdout.contains("用法"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("退出码：0 成功，1 内容有错误，2 命令用法错误。")
    );
    for cmd in ["build", "check", "serve", "init", "new"] {
        assert!(
            run.stdout.contains(&format!("  {cmd} ")),
            "{cmd} missing:\n{}",
            run.stdout
        );
    }
    let run = Site::empty().run(&["build", "--help"]).success();
    assert!(run.stdout.contains("用法: gongshi build"), "{}", run.stdout);
    assert!(run.stdout.contains("--base-url <网址>"), "{}", run.stdout);
}

/// `gongshi help <命令>` is that command's help, as with git or cargo, and
/// `gongshi help` the overview; check's options say what check does.
#[test]
fn help_command_gives_a_command_s_help() {
    for cmd in ["build", "check", "serve", "init", "new", "import"] {
        let via_help = Site::empty().run(&["help", cmd]).success();
        let via_flag = Site::empty().run(&[cmd, "--help"]).success();
        assert_eq!(via_help.stdout, via_flag.stdout, "{cmd}");
        assert!(
            via_help.stdout.contains(&format!("用法: gongshi {cmd}")),
            "{}",
            via_help.stdout
        );
    }
    let overview = Site::empty().run(&["help"]).success();
    assert_eq!(
        overview.stdout,
        Site::empty().run(&["--help"]).success().stdout
    );
    let check = Site::empty().run(&["check", "--help"]).success();
    assert!(!check.stdout.contains("同时生成草稿"), "{}", check.stdout);
    assert!(check.stdout.contains("check 检查它们"), "{}", check.stdout);
    // An unknown command after help is still a usage error.
    Site::empty().run(&["help", "publish"]).code(2);
}

#[test]
fn no_arguments_prints_help_and_exits_2() {
    let run = Site::empty().run(&[]).code(2);
    assert!(format!("{}{}", run.stdout, run.stderr).contains("用法"));
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::fixture("minimal");
    for (args, what) in [
        (&["frobnicate"][..], "用法错误：没有这个命令"),
        (&["build", "--bogus"][..], "用法错误：不认识的参数"),
        (&["check", "--format", "xml"][..], "用法错误：参数值无效"),
        (&["new", "memo", "x"][..], "用法错误：参数值无效"),
        (&["new", "lists"][..], "用法错误：缺少必需的参数"),
        (&["serve", "--port", "http"][..], "用法错误：参数值无效"),
    ] {
        let run = site.run(args).code(2);
        assert!(run.stderr.contains(what), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("运行 gongshi --help 查看用法。"),
            "{args:?}: {}",
            run.stderr
        );
    }
    site.file_missing("public");
    insta::assert_snapshot!(site.run(&["build", "--bogus"]).stderr, @r"
    用法错误：不认识的参数（--bogus）
    运行 gongshi --help 查看用法。
    ");
}

#[test]
fn missing_argument_is_named() {
    let run = Site::fixture("minimal").run(&["new", "lists"]).code(2);
    assert!(run.stderr.contains("路径"), "{}", run.stderr);
}

#[test]
fn init_writes_a_site_that_checks_and_builds() {
    let site = Site::empty();
    site.run(&["init", "newsite"])
        .success()
        .stderr_contains("已在 newsite 创建示例站点。");
    site.run(&["check", "--root", "newsite"]).success();
    site.run(&["build", "--root", "newsite"]).success();
    // A real site reads its git history, and says what becomes public.
    site.file_contains("newsite/site.toml", "[history]\ngit = true\n")
        .file_contains("newsite/site.toml", "修订说明");
    for url in [
        "lists/scjg/2025-exempt/",
        "guidance/2025-license-reminder/",
        "cases/2025-bakery/",
        "warnings/2025-catering-gas/",
        // 年度报告: the report, its year and its agency
        "reports/scjg/2024/",
        "reports/",
        "reports/years/2024/",
        "reports/agencies/scjg/",
        "about/",
        // 行政调解: the eight kinds of Article 13
        "mediation/",
        "mediation/student-injury/",
        "mediation/public-security/",
        "mediation/traffic-accident/",
        "mediation/land-ownership/",
        "mediation/forest-land/",
        "mediation/labor/",
        "mediation/consumer/",
        "mediation/other/",
    ] {
        site.file_exists(&format!("newsite/public/{url}index.html"));
    }
    // It shows the contract's features: an item anchor and a resolved link to it.
    site.file_contains(
        "newsite/public/lists/scjg/2025-exempt/index.html",
        "id=\"item-SJ-MF-001\"",
    )
    .file_contains(
        "newsite/public/guidance/2025-license-reminder/index.html",
        "href=\"/zhifa/lists/scjg/2025-exempt/#item-SJ-MF-001\"",
    )
    // and a report's figures, with the sum of its guidance.
    .file_contains(
        "newsite/public/reports/scjg/2024/index.html",
        "<data value=\"290\">290次</data>",
    );
    // Its commented attachment, switched on with the file beside the list.
    let list = "newsite/content/lists/scjg/2025-exempt.md";
    let text = site
        .read(list)
        .replace("# [[attachments]]\n# file = ", "[[attachments]]\nfile = ")
        .replace("# title = \"免罚清单", "title = \"免罚清单");
    let site = site.file(list, text).file(
        "newsite/content/lists/scjg/某市监〔2025〕1号.pdf",
        crate::pdf::pdf(
            "免罚清单（盖章件）",
            &["某市市场监督管理局", "某市监〔2025〕1号"],
        ),
    );
    site.run(&["build", "--root", "newsite"]).success();
    site.file_exists("newsite/public/lists/scjg/2025-exempt/某市监〔2025〕1号.pdf")
        .file_contains(
            "newsite/public/lists/scjg/2025-exempt/index.html",
            ">免罚清单（盖章件）</span>",
        );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = Site::fixture("minimal");
    let before = crate::harness::tree(site.root());
    let run = site.run(&["init", "."]).failure();
    insta::assert_snapshot!(run.stderr, @"错误：目录 . 已存在且不为空；为避免覆盖，请指定一个新目录");
    assert_eq!(crate::harness::tree(site.root()), before);
    // An empty folder is fine.
    let empty = Site::empty();
    empty.run(&["init", "."]).success();
    empty.file_exists("site.toml");
}

#[test]
fn new_writes_placeholders_that_check_rejects() {
    let site = Site::fixture("minimal");
    site.run(&["new", "lists", "scjg/x"])
        .success()
        .stderr_contains("已创建 ./content/lists/scjg/x.md。");
    site.file_contains("content/lists/scjg/x.md", "title = \"【请填写标题】\"")
        // the date is today's (the pinned build date)
        .file_contains("content/lists/scjg/x.md", "date = 2025-11-28");
    let run = site.check().failure();
    insta::assert_snapshot!(run.stderr);
    site.run(&["build"]).failure();
    site.file_missing("public");
}

#[test]
fn new_document_of_each_type_is_rejected_until_filled() {
    let site = Site::fixture("minimal");
    for (kind, path, file) in [
        ("guidance", "2025-new", "content/guidance/2025-new.md"),
        ("cases", "2025-new", "content/cases/2025-new.md"),
        ("warnings", "2025-new", "content/warnings/2025-new.md"),
        ("reports", "scjg/2024", "content/reports/scjg/2024.md"),
        ("page", "about/new-page", "content/about/new-page.md"),
    ] {
        site.run(&["new", kind, path]).success();
        site.file_exists(file);
        let run = site.check().failure();
        assert!(
            run.stderr
                .contains(&format!("{file}:2:1: title: 尚未填写：【请填写标题】")),
            "{kind}: {}",
            run.stderr
        );
        std::fs::remove_file(site.path(file)).unwrap();
    }
    site.check().success();
}

#[test]
fn filling_in_a_new_document_makes_it_build() {
    let site = Site::fixture("minimal");
    site.run(&["new", "page", "about/contact"]).success();
    let site = site
        .edit("content/about/contact.md", "【请填写标题】", "联系我们")
        .edit(
            "content/about/contact.md",
            "【请填写正文】",
            "电话：0000-1234567",
        );
    site.build();
    site.file_contains("public/about/contact/index.html", "电话：0000-1234567");
}

#[test]
fn new_refuses_to_overwrite() {
    let site = Site::fixture("minimal");
    let before = site.read("content/lists/scjg/2024-exempt.md");
    let run = site.run(&["new", "lists", "scjg/2024-exempt"]).failure();
    insta::assert_snapshot!(run.stderr, @"错误：./content/lists/scjg/2024-exempt.md 已存在，未做任何修改");
    assert_eq!(site.read("content/lists/scjg/2024-exempt.md"), before);
}

#[test]
fn new_rejects_paths_outside_content_and_bad_names() {
    let site = Site::fixture("minimal");
    site.run(&["new", "cases", "../escape"])
        .code(2)
        .stderr_contains("不能含 .. 或以 / 开头");
    site.file_missing("content/escape.md")
        .file_missing("escape.md");
    site.run(&["new", "lists", "scjg/Bad Name"])
        .code(2)
        .stderr_contains("文件名“Bad Name”须由小写字母、数字和连字符组成");
}

#[test]
fn new_refuses_a_page_beside_a_folder_of_the_same_name() {
    // about.md and about/ both want the URL about/.
    let site = Site::fixture("minimal");
    site.run(&["new", "page", "about"])
        .code(2)
        .stderr_contains("是一个栏目目录")
        .stderr_contains("gongshi new page about/new-page");
    site.file_missing("content/about.md");
}

#[test]
fn a_root_that_does_not_exist_is_a_usage_error() {
    let site = Site::empty();
    for cmd in ["build", "check", "serve"] {
        site.run(&[cmd, "--root", "no/such/site"])
            .code(2)
            .stderr_contains("站点目录 no/such/site 不存在（或不是目录）");
    }
    site.file_missing("no");
}

#[test]
fn new_and_import_refuse_a_folder_that_is_no_site() {
    // Run in the wrong folder, or with a mistyped --root: nothing is made.
    let site = Site::empty();
    site.run(&["new", "guidance", "x"])
        .code(2)
        .stderr_contains("不是站点目录（找不到 site.toml），没有写入任何文件");
    site.run(&["new", "lists", "scjg/x", "--root", "mistyped"])
        .code(2)
        .stderr_contains("mistyped 不是站点目录");
    site.file_missing("content").file_missing("mistyped");
    let site = site.file("list.csv", "编号,违法行为\n1,甲\n");
    site.run(&["import", "list.csv", "scjg/x"])
        .code(2)
        .stderr_contains("不是站点目录");
    site.file_missing("content");
}

#[test]
fn version() {
    let run = Site::empty().run(&["--version"]).success();
    assert!(run.stdout.starts_with("gongshi "), "{}", run.stdout);
}
