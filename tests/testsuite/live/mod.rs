//! The live preview's incremental builds: after any sequence of edits, the
//! folder `gongshi serve` serves equals a clean `gongshi build` of the same
//! tree, byte for byte; an edit that breaks the content keeps the last good
//! site; only the pages an edit can change are rendered again.

use std::path::{Path, PathBuf};

use gongshi::date::Date;
use gongshi::live::{Change, Live};
use gongshi::site::BuildOptions;

use crate::harness::{EPOCH, Site, assert_same_tree, tree};

mod edits;

use edits::{random_sequence, random_sequence_on};

const BASE: &str = "http://127.0.0.1:1/";

/// The demo site of the repository, copied.
pub(crate) fn demo() -> Site {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut site = Site::empty();
    for f in ["site.toml", "synonyms.toml"] {
        site = site.file(f, std::fs::read(repo.join(f)).expect("read demo file"));
    }
    for (rel, bytes) in crate::harness::tree(&repo.join("content")) {
        site = site.file(&format!("content/{rel}"), bytes);
    }
    site
}

pub(crate) fn live(site: &Site) -> Live {
    let today = Date::from_days(EPOCH.parse::<i64>().expect("epoch") / 86_400);
    Live::new(BuildOptions {
        root: site.root().to_path_buf(),
        output: site.path("serve"),
        base_url: Some(BASE.into()),
        drafts: false,
        future: false,
        dry_run: false,
        force: false,
        freshness: false,
        today,
    })
    .expect("start live preview")
}

/// A clean build of the same tree, the way `gongshi build` makes it.
fn clean(site: &Site) -> Option<PathBuf> {
    let out = site.path("clean");
    let run = site.run(&[
        "build",
        "--base-url",
        BASE,
        "--output",
        out.to_str().expect("utf-8 path"),
    ]);
    (run.code == 0).then_some(out)
}

#[track_caller]
pub(crate) fn assert_equals_clean(site: &Site, live: &Live) {
    assert!(live.wait_idle().is_none(), "the search index failed");
    let out = clean(site).expect("the clean build should succeed");
    assert_same_tree(&tree(&live.dir()), &tree(&out));
}

#[test]
fn first_build_equals_a_clean_build() {
    let site = demo();
    let mut live = live(&site);
    let outcome = live.rebuild(&[Change::Content(String::new())]);
    assert!(outcome.ok, "{:?}", outcome.diagnostics);
    assert!(outcome.rendered > 50);
    assert_equals_clean(&site, &live);
    // Nothing changed: nothing rendered but the few site-wide pages.
    let again = live.rebuild(&[Change::Content("guidance".into())]);
    assert!(again.ok);
    assert!(again.changed.is_empty(), "{:?}", again.changed);
    assert!(again.rendered < 25, "{} pages rendered", again.rendered);
}

#[test]
fn a_body_edit_renders_that_page_and_not_the_others() {
    let site = demo();
    let mut live = live(&site);
    assert!(live.rebuild(&[Change::Content(String::new())]).ok);
    let rel = "content/guidance/2025-pharmacy-remind.md";
    let text = site.read(rel) + "\n新增的一段说明文字。\n";
    let site = site.file(rel, text);
    let outcome = live.rebuild(&[Change::Content("guidance/2025-pharmacy-remind.md".into())]);
    assert!(outcome.ok, "{:?}", outcome.diagnostics);
    assert!(outcome.quick, "a body edit takes the quick path");
    assert!(
        outcome
            .changed
            .contains(&"guidance/2025-pharmacy-remind/index.html".to_string()),
        "{:?}",
        outcome.changed
    );
    assert!(outcome.rendered < 25, "{} pages rendered", outcome.rendered);
    assert!(
        !outcome.changed.iter().any(|p| p.starts_with("cases/")),
        "{:?}",
        outcome.changed
    );
    assert_equals_clean(&site, &live);
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_like_the_cli() {
    let site = demo();
    let mut live = live(&site);
    assert!(live.rebuild(&[Change::Content(String::new())]).ok);
    live.wait_idle();
    let before = tree(&live.dir());
    let rel = "content/cases/2024-bakery-first-offence.md";
    let site = site.edit(rel, "+++\ntitle", "+++\ntitle = \ntitle2");
    let outcome = live.rebuild(&[Change::Content("cases/2024-bakery-first-offence.md".into())]);
    assert!(!outcome.ok);
    let cli = site.run(&["check"]).failure();
    for d in &outcome.diagnostics {
        assert!(
            cli.stderr
                .contains(&d.to_string().lines().next().unwrap_or_default().to_string()),
            "{d} missing from:\n{}",
            cli.stderr
        );
    }
    assert!(outcome.diagnostics[0].to_string().contains(rel));
    assert_same_tree(&tree(&live.dir()), &before);
    let site = site.edit(rel, "+++\ntitle = \ntitle2", "+++\ntitle");
    let fixed = live.rebuild(&[Change::Content("cases/2024-bakery-first-offence.md".into())]);
    assert!(fixed.ok, "{:?}", fixed.diagnostics);
    assert_equals_clean(&site, &live);
}

#[test]
fn a_superseded_by_cycle_fails_the_preview_like_the_cli() {
    let site = demo();
    let mut live = live(&site);
    assert!(live.rebuild(&[Change::Content(String::new())]).ok);
    live.wait_idle();
    let before = tree(&live.dir());
    // Two documents that name each other.
    let a = "content/guidance/2025-pharmacy-remind.md";
    let b = "content/cases/2024-bakery-first-offence.md";
    let site = site
        .edit(
            a,
            "+++\ntitle",
            "+++\nsuperseded_by = \"@/cases/2024-bakery-first-offence.md\"\ntitle",
        )
        .edit(
            b,
            "+++\ntitle",
            "+++\nsuperseded_by = \"@/guidance/2025-pharmacy-remind.md\"\ntitle",
        );
    let outcome = live.rebuild(&[
        Change::Content("guidance/2025-pharmacy-remind.md".into()),
        Change::Content("cases/2024-bakery-first-offence.md".into()),
    ]);
    assert!(!outcome.ok);
    let cycles: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("形成循环"))
        .collect();
    assert_eq!(
        cycles
            .iter()
            .map(|d| d.lines().next().unwrap_or_default())
            .collect::<Vec<_>>(),
        [
            "content/cases/2024-bakery-first-offence.md:2:1: superseded_by: superseded_by 形成循环：cases/2024-bakery-first-offence.md → guidance/2025-pharmacy-remind.md → cases/2024-bakery-first-offence.md",
            "content/guidance/2025-pharmacy-remind.md:2:1: superseded_by: superseded_by 形成循环：guidance/2025-pharmacy-remind.md → cases/2024-bakery-first-offence.md → guidance/2025-pharmacy-remind.md",
        ]
    );
    let cli = site.run(&["check"]).failure();
    for d in &cycles {
        assert!(
            cli.stderr.contains(d.as_str()),
            "{d} missing from:\n{}",
            cli.stderr
        );
    }
    assert_same_tree(&tree(&live.dir()), &before);
}

#[test]
fn the_preview_reports_case_collisions_and_skipped_dot_files_like_the_cli() {
    let site = demo();
    let mut live = live(&site);
    assert!(live.rebuild(&[Change::Content(String::new())]).ok);
    let page = "+++\ntitle = \"重复\"\n+++\n";
    let site = site.file("content/about/.draft.md", page);
    let outcome = live.rebuild(&[Change::Content("about/.draft.md".into())]);
    assert!(outcome.ok, "{:?}", outcome.diagnostics);
    let skipped = "content/about/.draft.md:1:1: 文件: 警告：名称以 . 开头的文件不会发布，已跳过";
    assert!(
        outcome
            .diagnostics
            .iter()
            .any(|d| d.to_string().starts_with(skipped)),
        "{:?}",
        outcome.diagnostics
    );
    assert!(site.check().success().stderr.contains(skipped));
    let site = site
        .file("content/about/Dup.md", page)
        .file("content/about/dup.md", page);
    let outcome = live.rebuild(&[
        Change::Content("about/Dup.md".into()),
        Change::Content("about/dup.md".into()),
    ]);
    assert!(!outcome.ok);
    let collision = "content/about/dup.md:1:1: 路径: 生成的 about/dup/index.html 与 content/about/Dup.md 生成的 about/Dup/index.html 只有大小写不同";
    assert!(
        outcome
            .diagnostics
            .iter()
            .any(|d| d.to_string().starts_with(collision)),
        "{:?}",
        outcome.diagnostics
    );
    assert!(site.check().failure().stderr.contains(collision));
}

#[test]
fn random_edit_sequences_equal_clean_builds() {
    let seeds: Vec<u64> = match std::env::var("GONGSHI_LIVE_SEED") {
        Ok(s) => vec![s.parse().expect("GONGSHI_LIVE_SEED is a number")],
        Err(_) => vec![0x9e37_79b9_7f4a_7c15, 42, 20_261_128],
    };
    for seed in seeds {
        random_sequence(seed, 12, &[0, 1, 2, 3, 4, 5, 6, 7, 8]);
    }
}

/// Attachments among documents that come, go and are edited: a file
/// attached, replaced, detached (a plain content file again), attached by a
/// copy of its document or left behind by a deleted one.
#[test]
fn random_edits_of_attachments_equal_clean_builds() {
    let seeds: Vec<u64> = match std::env::var("GONGSHI_LIVE_SEED") {
        Ok(s) => vec![s.parse().expect("GONGSHI_LIVE_SEED is a number")],
        Err(_) => vec![11, 15, 20_251_205],
    };
    for seed in seeds {
        random_sequence(seed, 10, &[0, 3, 4, 5, 14, 14, 14]);
    }
}

/// A site theme whose templates show fields the built-in theme does not
/// (every list member's full summary and status timeline, a plain page's
/// own front-matter keys): a page's fingerprint follows what its kind
/// declares, not what its template happens to show.
#[test]
fn a_theme_showing_more_fields_equals_clean_builds() {
    let site = demo()
        .file(
            "templates/term.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ term.name }}</h1><ul>\
             {% for s in listing.items %}<li>{{ s.title }}|{{ s.summary }}|{{ s.doc_number }}|\
             {% if s.status %}{{ s.status.timeline }}{% endif %}</li>{% endfor %}</ul>\
             {% endblock main %}\n",
        )
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ doc.title }}</h1>\
             <p>{{ doc.summary }}</p><dl>{% if doc.extra %}{% for k, v in doc.extra %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}{% endif %}</dl>\
             {{ doc.content | safe }}{% endblock main %}\n",
        );
    for seed in [3, 1_234_567] {
        random_sequence_on(&site, seed, 10, &[0, 1, 3, 6, 9, 9, 10, 10]);
    }
}

/// The page kind added last (industry and district pages, 一业一页), with
/// a site theme that shows more of what it gathers than the built-in one
/// (each summary's status timeline, every item's handling, every risk
/// point's link): edits to what it gathers — industries, items, risk
/// points, validity — leave the preview equal to a clean build.
#[test]
fn a_new_page_kind_and_a_field_in_a_fixture_theme_equal_clean_builds() {
    let site = demo().file(
        "templates/trade.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ term.name }}</h1>\
         {% for l in trade.lists %}<h2>{{ l.title }}|{{ l.effective.zh | default(value='') }}</h2>\
         {% for it in l.items %}<p>{{ it.id }}|{{ it.violation }}|{{ it.conditions }}|{{ it.handling }}</p>{% endfor %}{% endfor %}\
         {% for r in trade.risks %}<h2>{{ r.title }}|{{ r.level_rank }}</h2>{% for p in r.points %}<p>{{ p.url }}|{{ p.measures }}</p>{% endfor %}{% endfor %}\
         {% for s in trade.guidance %}<p>{{ s.title }}|{% if s.status %}{{ s.status.timeline }}{% endif %}</p>{% endfor %}\
         {% for a in trade.agencies %}<p>{{ a.name }}|{{ a.description }}</p>{% endfor %}\
         {% for g in trade.checklist %}<h3>{{ g.title }}</h3>{% for e in g.entries %}<p>{{ e.key }}|{{ e.text }}</p>{% endfor %}{% endfor %}\
         {% for s in listing.items %}<p>{{ s.title }}|{{ s.summary }}</p>{% endfor %}{% endblock main %}\n",
    );
    for seed in [11, 20_261_204] {
        random_sequence_on(&site, seed, 10, &[1, 2, 3, 9, 11, 11, 12, 12, 13]);
    }
}

/// The annual reports' pages (the index by year, a year's and an agency's
/// figures side by side), with a site theme that shows more of each row
/// than the built-in one (every report's summary, status and every
/// cell): edits of figures, years, titles and dates leave the preview
/// equal to a clean build.
#[test]
fn report_pages_with_a_fixture_theme_equal_clean_builds() {
    let row = "{% for r in reports.reports %}<p>{{ r.year }}|{{ r.agency_name }}|{{ r.doc.title }}|{{ r.doc.summary }}|\
               {% if r.doc.status %}{{ r.doc.status.timeline }}{% endif %}|\
               {% for c in r.cells %}{{ c.text }},{% endfor %}</p>{% endfor %}";
    let site = demo()
        .file(
            "templates/reports_year.html",
            format!(
                "{{% extends \"base.html\" %}}{{% block main %}}<h1>{{{{ reports.title }}}}</h1>{row}\
                 {{% for y in reports.years %}}<a href=\"{{{{ y.url }}}}\">{{{{ y.title }}}}</a>{{% endfor %}}\
                 {{% for a in reports.agencies %}}<p>{{{{ a.name }}}}|{{{{ a.count }}}}</p>{{% endfor %}}{{% endblock main %}}\n"
            ),
        )
        .file(
            "templates/reports_agency.html",
            format!(
                "{{% extends \"base.html\" %}}{{% block main %}}<h1>{{{{ reports.title }}}}</h1>{row}{{% endblock main %}}\n"
            ),
        )
        .file(
            "templates/reports_index.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ reports.title }}</h1>\
             {% for g in reports.years %}<h2>{{ g.year }}</h2>{% for r in g.reports %}<p>{{ r.doc.title }}|{{ r.doc.summary }}|\
             {% for c in r.cells %}{{ c.text }},{% endfor %}</p>{% endfor %}{% endfor %}\
             {% for a in reports.agencies %}<p>{{ a.name }}|{{ a.count }}</p>{% endfor %}{% endblock main %}\n",
        );
    for seed in [15, 20_250_218] {
        random_sequence_on(&site, seed, 10, &[0, 1, 2, 9, 15, 15, 15, 15]);
    }
}

/// 执法公示情况 with a site theme that shows more of each row than the
/// built-in one (every report's date, each counted document's date beside
/// a report's figures): edits of reports' figures and years, and guidance
/// and cases moved between years, leave the record page and the agency
/// pages equal to a clean build.
#[test]
fn the_record_with_reports_and_a_fixture_theme_equals_clean_builds() {
    let site = demo().file(
        "templates/record.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ record.title }}</h1>\
         {% for c in record.report_columns %}<p>{{ c.label }}|{{ record.totals.reports[loop.index0] }}</p>{% endfor %}\
         {% for r in record.rows %}<h2>{{ r.name }}|{{ r.reports_published }}</h2>\
         {% for p in r.recent_reports %}<p>{{ p.label }}|{{ p.url | default(value='') }}</p>{% endfor %}\
         {% for p in r.reports %}<p>{{ p.year }}|{{ p.title }}|{% if p.date %}{{ p.date.iso }}{% endif %}</p>{% endfor %}\
         {% if r.compared %}<h3>{{ r.compared.caption }}|{{ r.compared.report.title }}</h3>\
         {% for row in r.compared.rows %}<p>{{ row.name }}|{% for f in row.reported %}{{ f.text | default(value='未列明') }},{% endfor %}|\
         {% if row.site %}{% for d in row.site.docs %}{{ d.title }}@{% if d.date %}{{ d.date.iso }}{% endif %};{% endfor %}{% endif %}</p>{% endfor %}{% endif %}\
         {% endfor %}{% endblock main %}\n",
    );
    for seed in [5, 20_251_128] {
        random_sequence_on(&site, seed, 10, &[1, 2, 3, 4, 15, 15, 16, 16, 16]);
    }
}

#[test]
fn random_text_edits_take_the_quick_path_and_equal_clean_builds() {
    let quick = random_sequence(7, 14, &[0, 0, 1]);
    assert!(quick >= 10, "only {quick} of 14 edits took the quick path");
}

#[test]
fn with_git_history_versions_and_new_commits_equal_clean_builds() {
    use crate::history::git;
    // First published, a substantive revision, a minor one.
    let site = crate::history::repo();
    let root = site.root().to_path_buf();
    let list = "content/lists/scjg/2024-exempt.md";

    let mut live = live(&site);
    assert!(live.rebuild(&[Change::Content(String::new())]).ok);
    assert_equals_clean(&site, &live);
    assert!(
        site.path("serve/lists/scjg/2024-exempt/versions/index.html")
            .is_file()
    );

    // An uncommitted edit of the list: the quick path, versions unchanged.
    let now = site.read(list);
    let site = site.file(list, format!("{now}\n工作区中的修改。\n"));
    let o = live.rebuild(&[Change::Content("lists/scjg/2024-exempt.md".into())]);
    assert!(o.ok && o.quick, "{o:?}");
    assert_equals_clean(&site, &live);

    // Committed: the history is read again, dates and versions follow.
    git(
        &root,
        &["commit", "-q", "-am", "补充说明"],
        "2024-09-01T10:00:00+08:00",
    );
    let o = live.rebuild(&[Change::History]);
    assert!(o.ok, "{:?}", o.diagnostics);
    assert_equals_clean(&site, &live);
}

#[test]
fn a_site_toml_edit_rebuilds_everything_and_equals_a_clean_build() {
    let site = demo();
    let mut live = live(&site);
    assert!(live.rebuild(&[Change::Content(String::new())]).ok);
    let text = site.read("site.toml");
    let title = text
        .lines()
        .find(|l| l.starts_with("title = "))
        .expect("title line")
        .to_string();
    let site = site.file(
        "site.toml",
        text.replacen(&title, "title = \"示例市执法公示（预览中修改）\"", 1),
    );
    let o = live.rebuild(&[Change::Config]);
    assert!(o.ok && !o.quick, "{:?}", o.diagnostics);
    assert!(o.rendered > 50, "every page shows the site's title");
    assert_equals_clean(&site, &live);
    site.file_contains("serve/index.html", "示例市执法公示（预览中修改）");
}
