//! Git as a data source: revision history, first-published and last-updated
//! dates, minor revisions hidden, shallow clones and trees without git.

use std::path::Path;
use std::process::Command;

use crate::harness::Site;

mod private;

pub(crate) fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "clerk")
        .env("GIT_AUTHOR_EMAIL", "clerk@example.gov.cn")
        .env("GIT_COMMITTER_NAME", "clerk")
        .env("GIT_COMMITTER_EMAIL", "clerk@example.gov.cn")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const LIST: &str = "content/lists/scjg/2024-exempt.md";

/// A new repository in `dir` with everything in it as the first
/// publication (2024-02-20).
fn first_commit(dir: &Path) {
    let date = "2024-02-20T09:00:00+08:00";
    git(dir, &["init", "-q", "-b", "main"], date);
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "-m", "首次发布"], date);
}

/// The minimal site as a repository: first published, a substantive
/// revision, a minor one.
pub(crate) fn repo() -> Site {
    let site = Site::fixture("minimal");
    let root = site.root().to_path_buf();
    first_commit(&root);
    let site = site.edit(
        LIST,
        "handling = \"不予行政处罚，责令改正\"\nnote",
        "handling = \"不予行政处罚，责令限期改正\"\nnote",
    );
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "lists: item 1 handling per legal review (ticket #42)",
            "-m",
            "修订说明: 调整第1项处理方式",
        ],
        "2024-06-03T10:00:00+08:00",
    );
    let site = site.edit(LIST, "督促改正。", "督促改正。 ");
    git(
        &root,
        &["commit", "-q", "-am", "[minor] 删除多余空格"],
        "2024-07-01T10:00:00+08:00",
    );
    site
}

#[test]
fn pages_show_revisions_and_dates_from_git() {
    let site = repo();
    let run = site.build();
    assert!(!run.stderr.contains("说明："), "{}", run.stderr);
    let page = "public/lists/scjg/2024-exempt/index.html";
    site.file_contains(page, "修订记录")
        .file_contains(page, "调整第1项处理方式")
        .file_contains(page, "<time datetime=\"2024-06-03\">2024年6月3日</time>")
        .file_contains(
            page,
            "首次发布于 <time datetime=\"2024-02-20\">2024年2月20日</time>",
        )
        .file_lacks(page, "删除多余空格")
        .file_lacks(page, "2024年7月1日");
    // A document never revised lists only its publication, with no update date.
    site.file_contains("public/cases/2025-bakery/index.html", "首次发布</span>")
        .file_lacks("public/cases/2025-bakery/index.html", "更新日期");
    // Feeds and the sitemap carry the last substantive update.
    site.file_contains(
        "public/lists/atom.xml",
        "<updated>2024-06-03T00:00:00+08:00</updated>",
    );
    site.file_contains(
        "public/sitemap.xml",
        "2024-exempt/</loc><lastmod>2024-06-03</lastmod>",
    );
}

#[test]
fn front_matter_updated_wins_over_git() {
    let site = repo();
    let root = site.root().to_path_buf();
    let site = site.edit(
        LIST,
        "effective = 2024-03-01",
        "effective = 2024-03-01\nupdated = 2024-05-01",
    );
    git(
        &root,
        &["commit", "-q", "-am", "[小改] 注明更新日期"],
        "2024-08-01T10:00:00+08:00",
    );
    site.build();
    site.file_contains(
        "public/lists/scjg/2024-exempt/index.html",
        "<time datetime=\"2024-05-01\">2024年5月1日</time>",
    );
}

#[test]
fn trailers_mark_minor_revisions_and_give_notes() {
    let site = repo();
    let root = site.root().to_path_buf();
    let site = site.edit(LIST, "督促改正。 ", "督促改正。");
    git(
        &root,
        &["commit", "-q", "-am", "更新", "-m", "Change-Type: minor"],
        "2024-08-01T10:00:00+08:00",
    );
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
            "更新清单",
            "-m",
            "修订说明: 第2项增加备注",
        ],
        "2024-09-01T10:00:00+08:00",
    );
    site.build();
    let page = "public/lists/scjg/2024-exempt/index.html";
    site.file_contains(page, "第2项增加备注")
        .file_lacks(page, "2024年8月1日");
}

#[test]
fn shallow_clone_builds_with_a_notice() {
    let origin = repo();
    let clone = Site::empty();
    let target = clone.root().join("site");
    let url = format!("file://{}", origin.root().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&target)
        .output()
        .expect("git clone");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = clone.run(&["build", "--root", "site"]).success();
    assert!(run.stderr.contains("说明：这是浅克隆"), "{}", run.stderr);
    // The one visible commit is where history was cut, not a publication.
    let page = std::fs::read_to_string(target.join("public/lists/scjg/2024-exempt/index.html"))
        .expect("page");
    assert!(!page.contains("首次发布于"), "{page}");
}

#[test]
fn a_tree_outside_git_builds_with_a_notice() {
    let site = Site::fixture("minimal");
    let run = site.build();
    assert!(
        run.stderr.contains("说明：站点目录不在 git 仓库中"),
        "{}",
        run.stderr
    );
    site.file_lacks("public/lists/scjg/2024-exempt/index.html", "修订记录");
}

/// `repo()` plus a second version of the list: item 1's handling changed,
/// item 3 added, item 2 removed, effective from 2024-07-01.
fn repo_with_versions() -> Site {
    let site = repo();
    let root = site.root().to_path_buf();
    let text = site.read(LIST);
    let start = text.find("[[items]]\nid = \"SJ-MF-002\"").expect("item 2");
    let end = text[start..]
        .find("+++")
        .map(|i| start + i)
        .expect("end of front matter");
    let new = format!(
        "{}[[items]]\nid = \"SJ-MF-003\"\nviolation = \"新增的违法行为\"\nbasis = \"依据\"\nconditions = \"条件\"\nhandling = \"处理\"\n{}",
        &text[..start],
        &text[end..]
    )
    .replace("effective = 2024-03-01", "effective = 2024-07-01");
    let site = site.file(LIST, new);
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "lists: drop item 2, add item 3",
            "-m",
            "修订说明: 删除第2项，新增第3项",
        ],
        "2024-06-20T10:00:00+08:00",
    );
    site
}

#[test]
fn list_versions_have_pages_diffs_and_a_point_in_time_index() {
    // Versions: the first text (2024-03-01), its revision with item 1's
    // handling changed (same effective day: 2024-03-01-2), and the text
    // effective 2024-07-01 without item 2 and with item 3. The minor
    // whitespace commit is no version.
    let site = repo_with_versions();
    site.build();
    let base = "public/lists/scjg/2024-exempt/";
    site.file_contains(&format!("{base}index.html"), "历次版本")
        .file_contains(&format!("{base}index.html"), "新增 1 项，删除 1 项")
        .file_contains(&format!("{base}index.html"), "修改 1 项");
    // The first version as it was, marked as past, linking to the current one.
    let old = format!("{base}versions/2024-03-01/index.html");
    site.file_contains(&old, "已失效</span>")
        .file_contains(&old, "当日即被替代")
        .file_contains(&old, "现行规定以")
        .file_contains(&old, "id=\"item-SJ-MF-002\"")
        .file_contains(&old, "不予行政处罚，责令改正")
        .file_lacks(&old, "SJ-MF-003")
        .file_contains(&old, "href=\"/lists/scjg/2024-exempt/\"");
    // A revision shows its changes field by field.
    let revised = format!("{base}versions/2024-03-01-2/index.html");
    // Only what changed is marked: 限期 was inserted, nothing removed.
    site.file_contains(
        &revised,
        "<td data-label=\"修改前\">不予行政处罚，责令改正</td>",
    )
    .file_contains(
        &revised,
        "<td data-label=\"修改后\">不予行政处罚，责令<ins>限期</ins>改正</td>",
    );
    let new = format!("{base}versions/2024-07-01/index.html");
    site.file_contains(&new, "现行有效</span>")
        .file_contains(&new, "新增事项")
        .file_contains(&new, "删除事项");
    site.file_missing(&format!("{base}versions/2024-07-01-2/index.html"));
    // Point in time: which version applied when.
    site.file_contains(
        &format!("{base}versions/index.html"),
        "<time datetime=\"2024-06-30\">2024年6月30日</time>",
    );
    // Site-wide change log and feeds, per agency and industry too.
    site.file_contains("public/changes/index.html", "删除第2项，新增第3项");
    for feed in [
        "public/changes/atom.xml",
        "public/agencies/scjg/changes.xml",
        "public/industries/catering/changes.xml",
    ] {
        let text = site.read(feed);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        assert!(
            text.contains("删除第2项，新增第3项（新增 1 项，删除 1 项）"),
            "{feed}: {text}"
        );
    }
}

#[test]
fn an_expired_list_has_no_current_version() {
    // The list ends on 2025-06-30; the build day is 2025-11-28.
    let site = repo_with_versions().edit(
        LIST,
        "effective = 2024-07-01",
        "effective = 2024-07-01\nexpires = 2025-06-30",
    );
    git(
        site.root(),
        &["commit", "-q", "-am", "lists: expires"],
        "2024-06-21T10:00:00+08:00",
    );
    site.build();
    let base = "public/lists/scjg/2024-exempt/";
    let index = format!("{base}versions/index.html");
    site.file_lacks(&index, "现行有效")
        .file_lacks(&index, "至今")
        .file_contains(&index, "<time datetime=\"2025-06-30\">2025年6月30日</time>")
        .file_contains(&index, "本清单已失效");
    // Every version is 已失效, and the reader's browser keeps it so.
    let last = format!("{base}versions/2024-07-01/index.html");
    site.file_lacks(&last, "现行有效")
        .file_lacks(&last, "现行版本")
        .file_contains(
            &last,
            "data-status-timeline=\"pending;2024-07-01 current;2025-07-01 expired\">已失效",
        )
        .file_contains(
            &last,
            "至 <time datetime=\"2025-06-30\">2025年6月30日</time> 止",
        )
        .file_contains(&last, "本清单已失效");
    site.file_contains(
        &format!("{base}index.html"),
        "status-expired\" data-status-timeline=\"pending;2024-03-01 current;2025-07-01 expired\">已失效",
    )
    // Its items still decide violations of its time, and the page says so.
    .file_contains(
        &format!("{base}index.html"),
        "本清单已失效。违法行为发生在本清单施行期间（2024年3月1日起至2025年6月30日）的，仍按本清单对照",
    );
}

#[test]
fn a_revision_published_ahead_of_its_date_leaves_the_list_in_force() {
    // Built on 2024-06-25: the revision committed on 2024-06-20 takes
    // effect on 2024-07-01, so the version of 2024-03-01 still applies.
    let site = repo_with_versions().env("SOURCE_DATE_EPOCH", "1719288000");
    site.build();
    let base = "public/lists/scjg/2024-exempt/";
    let page = format!("{base}index.html");
    site.file_exists(&page)
        .file_contains(
            &page,
            "status-current\" data-status-timeline=\"pending;2024-03-01 current\">现行有效",
        )
        .file_contains(
            &page,
            "<time datetime=\"2024-03-01\">2024年3月1日</time>（最新修订自 <time datetime=\"2024-07-01\">2024年7月1日</time> 起施行）",
        );
    let pending = format!("{base}versions/2024-07-01/index.html");
    site.file_contains(&pending, "尚未施行")
        .file_contains(&pending, "本版施行之前，适用<a href=");
    let current = format!("{base}versions/2024-03-01-2/index.html");
    site.file_contains(&current, "现行有效")
        .file_contains(&current, "至 <time datetime=\"2024-06-30\">");
    // The 2023 list it superseded ended when its first version took effect
    // (2024-03-01), not on its newest effective date; the old list's page
    // gives the period its items decide.
    let old = "public/lists/scjg/2023-exempt/index.html";
    site.file_contains(
        old,
        "status-expired\" data-status-timeline=\"pending;2023-04-01 current;2024-03-01 expired\">已失效",
    )
    .file_contains(old, "施行期间（2023年4月1日起至2024年2月29日）的，仍按本清单对照");
}

#[test]
fn check_warns_about_reused_and_renumbered_ids() {
    let site = repo();
    let root = site.root().to_path_buf();
    let site = site
        .edit(
            LIST,
            "violation = \"未将营业执照置于住所或者主要经营场所的醒目位置\"",
            "violation = \"完全不同的违法行为\"",
        )
        .edit(LIST, "id = \"SJ-MF-002\"", "id = \"SJ-MF-102\"");
    git(
        &root,
        &["commit", "-q", "-am", "重新编号"],
        "2024-08-01T10:00:00+08:00",
    );
    let run = site.run(&["check"]).success();
    assert!(run.stderr.contains("警告：编号 SJ-MF-001 在 2024-03-01 版中是“未将营业执照置于住所或者主要经营场所的醒目位置”"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("删除了 SJ-MF-002，又以新编号 SJ-MF-102 加入了内容完全相同的一项"),
        "{}",
        run.stderr
    );
}

/// Merges: a side branch's revision counts when the merge kept it, and not
/// when the merge threw it away (`git merge -s ours`), as `git log --
/// content` shows them.
#[test]
fn merged_branches_count_as_git_log_shows_them() {
    let site = repo();
    let root = site.root().to_path_buf();
    let at = |day: &str| format!("2024-08-{day}T10:00:00+08:00");
    git(&root, &["checkout", "-q", "-b", "side"], &at("01"));
    let site = site.edit(
        LIST,
        "id = \"SJ-MF-002\"",
        "id = \"SJ-MF-002\"\nnote = \"侧枝备注\"",
    );
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "side",
            "-m",
            "修订说明: 侧枝增加第2项备注",
        ],
        &at("02"),
    );
    git(&root, &["checkout", "-q", "main"], &at("03"));
    let bakery = "content/cases/2025-bakery.md";
    // Dated before the branch, so that the revision is after publication.
    let text = site
        .read(bakery)
        .replace("date = 2025-03-05", "date = 2024-02-20")
        + "\n主干补充。\n";
    let site = site.file(bakery, text);
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "main",
            "-m",
            "修订说明: 主干补充案例",
        ],
        &at("03"),
    );
    git(
        &root,
        &["merge", "-q", "--no-ff", "side", "-m", "合并侧枝"],
        &at("04"),
    );
    git(&root, &["checkout", "-q", "-b", "dropped"], &at("05"));
    let site = site.edit(LIST, "侧枝备注", "被放弃的备注");
    git(
        &root,
        &[
            "commit",
            "-q",
            "-am",
            "dropped",
            "-m",
            "修订说明: 被放弃的修改",
        ],
        &at("05"),
    );
    git(&root, &["checkout", "-q", "main"], &at("06"));
    git(
        &root,
        &["merge", "-q", "-s", "ours", "dropped", "-m", "合并但不采用"],
        &at("06"),
    );
    let run = site.build();
    assert!(!run.stderr.contains("说明："), "{}", run.stderr);
    let page = "public/lists/scjg/2024-exempt/index.html";
    site.file_contains(page, "侧枝增加第2项备注")
        .file_contains(page, "<time datetime=\"2024-08-02\">2024年8月2日</time>")
        .file_lacks(page, "被放弃的修改")
        .file_lacks(page, "合并");
    site.file_contains("public/cases/2025-bakery/index.html", "主干补充案例");
}

/// A site in a folder of a larger repository: paths are the site's own,
/// and files outside it (another `content/` too) do not count.
#[test]
fn a_site_below_the_top_of_its_repository_reads_its_history() {
    let mut repo = Site::empty();
    for (rel, bytes) in crate::harness::tree(&crate::harness::fixtures().join("minimal")) {
        repo = repo.file(&format!("site/{rel}"), bytes);
    }
    let repo = repo.file("other/content/lists/scjg/2024-exempt.md", "别的站点\n");
    let top = repo.root().to_path_buf();
    first_commit(&top);
    let repo = repo
        .edit(
            &format!("site/{LIST}"),
            "handling = \"不予行政处罚，责令改正\"\nnote",
            "handling = \"不予行政处罚，责令限期改正\"\nnote",
        )
        .file(
            "other/content/lists/scjg/2024-exempt.md",
            "别的站点的修改\n",
        );
    git(
        &top,
        &[
            "commit",
            "-q",
            "-am",
            "tweak item 1",
            "-m",
            "修订说明: 调整第1项处理方式",
        ],
        "2024-06-03T10:00:00+08:00",
    );
    let repo = repo.file("other/content/lists/scjg/2024-exempt.md", "又一次修改\n");
    git(
        &top,
        &[
            "commit",
            "-q",
            "-am",
            "other site",
            "-m",
            "修订说明: 只改了别的站点",
        ],
        "2024-07-01T10:00:00+08:00",
    );
    let run = repo.run(&["build", "--root", "site"]).success();
    assert!(!run.stderr.contains("说明："), "{}", run.stderr);
    let page = std::fs::read_to_string(top.join("site/public/lists/scjg/2024-exempt/index.html"))
        .expect("page");
    assert!(page.contains("调整第1项处理方式"), "{page}");
    assert!(
        page.contains("首次发布于 <time datetime=\"2024-02-20\">2024年2月20日</time>"),
        "{page}"
    );
    assert!(!page.contains("只改了别的站点"), "{page}");
    assert!(!page.contains("2024年7月1日"), "{page}");
}

/// Revisions that bring back earlier texts byte for byte (the same blobs,
/// parsed once; the last is the file as it stands): the one that changes
/// items is a version again.
#[test]
fn a_text_brought_back_is_a_new_version() {
    let site = repo();
    let root = site.root().to_path_buf();
    git(
        &root,
        &["revert", "--no-edit", "HEAD", "HEAD~1"],
        "2024-08-01T10:00:00+08:00",
    );
    site.build();
    let base = "public/lists/scjg/2024-exempt/versions/";
    site.file_contains(
        &format!("{base}2024-03-01-3/index.html"),
        "<td data-label=\"修改后\">不予行政处罚，责令改正</td>",
    )
    .file_contains(
        &format!("{base}2024-03-01-3/index.html"),
        "<td data-label=\"修改前\">不予行政处罚，责令<del>限期</del>改正</td>",
    )
    .file_contains(
        &format!("{base}2024-03-01/index.html"),
        "不予行政处罚，责令改正",
    )
    .file_lacks(&format!("{base}2024-03-01/index.html"), "限期");
}

/// Versions are what was committed: an edit not yet committed shows on
/// the list's page but is no version.
#[test]
fn uncommitted_edits_are_no_version() {
    let site = repo().edit(
        LIST,
        "handling = \"不予行政处罚，责令限期改正\"\nnote",
        "handling = \"尚未提交的处理方式\"\nnote",
    );
    site.build();
    let base = "public/lists/scjg/2024-exempt/";
    site.file_contains(&format!("{base}index.html"), "尚未提交的处理方式");
    site.file_contains(
        &format!("{base}versions/2024-03-01-2/index.html"),
        "不予行政处罚，责令<ins>限期</ins>改正",
    )
    .file_lacks(
        &format!("{base}versions/2024-03-01-2/index.html"),
        "尚未提交",
    );
}
