//! The live preview's incremental builds: after any sequence of edits, the
//! folder `gongshi serve` serves equals a clean `gongshi build` of the same
//! tree, byte for byte; an edit that breaks the content keeps the last good
//! site; only the pages an edit can change are rendered again.

use std::path::{Path, PathBuf};

use gongshi::date::Date;
use gongshi::live::{Change, Live};
use gongshi::site::BuildOptions;

use crate::harness::{EPOCH, Site, assert_same_tree, tree};

const BASE: &str = "http://127.0.0.1:1/";

/// The demo site of the repository, copied.
fn demo() -> Site {
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

fn live(site: &Site) -> Live {
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
fn assert_equals_clean(site: &Site, live: &Live) {
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

/// A small deterministic random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Source files below `content/` (`lists/a.md`), sorted.
fn sources(site: &Site) -> Vec<String> {
    tree(&site.path("content"))
        .into_keys()
        .filter(|k| k.ends_with(".md"))
        .collect()
}

/// Replaces the value of the first `key` line of the front matter with
/// `f(old value)`.
fn edit_field(text: &str, key: &str, f: impl Fn(&str) -> String) -> Option<String> {
    let mut out = String::new();
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if !done
            && (trimmed.starts_with(&format!("{key} = "))
                || trimmed.starts_with(&format!("{key}: ")))
        {
            let split = trimmed.find([':', '=']).map_or(0, |i| i + 2);
            out.push_str(&trimmed[..split]);
            out.push_str(&f(&trimmed[split..]));
            out.push('\n');
            done = true;
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out)
}

/// Sets front-matter `key` to the string `value`: replaces its line, or
/// adds one after the title in the same syntax.
fn set_field(text: &str, key: &str, value: &str) -> String {
    if let Some(t) = edit_field(text, key, |_| format!("\"{value}\"")) {
        return t;
    }
    edit_field(text, "title", |v| {
        let sep = if text.starts_with("+++") { " = " } else { ": " };
        format!("{v}\n{key}{sep}\"{value}\"")
    })
    .unwrap_or_else(|| text.to_string())
}

/// One random edit: what it did, for the failure message, and what changed.
/// One random edit: what it did, for the failure message, and what changed.
fn random_edit(site: &Site, rng: &mut Rng, n: usize, ops: &[usize]) -> (String, Vec<Change>) {
    let docs: Vec<String> = sources(site)
        .into_iter()
        .filter(|k| !k.ends_with("_index.md"))
        .collect();
    let pick = docs[rng.below(docs.len())].clone();
    let path = format!("content/{pick}");
    let text = site.read(&path);
    let picked = Picked {
        key: pick,
        path,
        text,
    };
    match ops[rng.below(ops.len())] {
        op @ (0..=2 | 9 | 11 | 12) => edit_document(site, rng, n, op, picked),
        op @ (3..=5) => add_or_remove(site, rng, n, op, &docs, picked),
        op @ (6 | 7 | 10 | 13) => edit_other_source(site, rng, n, op, &docs),
        14 => edit_report(site, rng, n, &docs),
        _ => break_document(site, picked),
    }
}

/// The document a random edit picked: its source key, path and text.
struct Picked {
    key: String,
    path: String,
    text: String,
}

/// A change to the content file `p`.
fn content(p: &str) -> Vec<Change> {
    vec![Change::Content(p.to_string())]
}

/// Edits of the picked document's own text and front matter: append,
/// retitle, redate, summary, industries, an item or risk point.
fn edit_document(
    site: &Site,
    rng: &mut Rng,
    n: usize,
    op: usize,
    picked: Picked,
) -> (String, Vec<Change>) {
    let Picked {
        key: pick,
        path,
        text,
    } = picked;
    match op {
        0 => {
            std::fs::write(
                site.path(&path),
                format!("{text}\n第{n}次编辑补充的内容。\n"),
            )
            .expect("write");
            (format!("append to {pick}"), content(&pick))
        }
        1 => {
            let edited = edit_field(&text, "title", |v| {
                let v = v.trim_end_matches('"');
                let quoted = v.starts_with('"');
                format!("{v}（第{n}次修改）{}", if quoted { "\"" } else { "" })
            });
            if let Some(t) = edited {
                std::fs::write(site.path(&path), t).expect("write");
            }
            (format!("retitle {pick}"), content(&pick))
        }
        2 => {
            let day = 1 + rng.below(28);
            let edited = edit_field(&text, "date", |v| {
                let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
                if digits.len() < 8 {
                    return v.to_string();
                }
                v.replacen(
                    &v[v.find(&digits[..4]).unwrap_or(0)..][..10],
                    &format!("{}-{}-{day:02}", &digits[..4], &digits[4..6]),
                    1,
                )
            });
            if let Some(t) = edited {
                std::fs::write(site.path(&path), t).expect("write");
            }
            (format!("redate {pick} to day {day}"), content(&pick))
        }
        9 => {
            // A field only the fixture theme shows in full: `summary`.
            let t = set_field(&text, "summary", &format!("第{n}次修改的摘要"));
            std::fs::write(site.path(&path), t).expect("write");
            (format!("summarize {pick}"), content(&pick))
        }
        11 => {
            // A document moves between industries: it joins or leaves an
            // industry page (一业一页) and its self-check list.
            let keys = ["hazchem", "catering", "hotel"];
            let key = keys[rng.below(keys.len())];
            let edited = edit_field(&text, "industries", |v| {
                if v.contains(key) {
                    v.replace(&format!("\"{key}\", "), "")
                        .replace(&format!(", \"{key}\""), "")
                } else {
                    v.replacen('[', &format!("[\"{key}\", "), 1)
                }
            })
            .unwrap_or_else(|| {
                edit_field(&text, "title", |v| {
                    let sep = if text.starts_with("+++") { " = " } else { ": " };
                    format!("{v}\nindustries{sep}[\"{key}\"]")
                })
                .unwrap_or_else(|| text.clone())
            });
            std::fs::write(site.path(&path), edited).expect("write");
            (format!("toggle industry {key} of {pick}"), content(&pick))
        }
        12 => {
            // A list item's conditions or a risk point's measures: shown on
            // the document and gathered on its industries' pages.
            let edited = ["conditions = \"", "measures = \"", "self_check = [\""]
                .iter()
                .find(|k| text.contains(*k))
                .map(|k| text.replacen(k, &format!("{k}（第{n}次修订）"), 1));
            if let Some(t) = edited {
                std::fs::write(site.path(&path), t).expect("write");
            }
            (
                format!("edit an item or risk point of {pick}"),
                content(&pick),
            )
        }
        _ => unreachable!("op {op} is not an edit of a document"),
    }
}

/// Documents that come and go: a copy of the picked one added, or one
/// that nothing links to deleted or renamed.
fn add_or_remove(
    site: &Site,
    rng: &mut Rng,
    n: usize,
    op: usize,
    docs: &[String],
    picked: Picked,
) -> (String, Vec<Change>) {
    let Picked {
        key: pick,
        path: _,
        text,
    } = picked;
    match op {
        3 => {
            // A new document: a copy without its slug, under a new name.
            let (folder, _) = pick.rsplit_once('/').unwrap_or(("", &pick));
            let name = if folder.is_empty() {
                format!("live-{n}.md")
            } else {
                format!("{folder}/live-{n}.md")
            };
            let copy: String = text
                .lines()
                .filter(|l| !l.starts_with("slug") && !l.starts_with("superseded_by"))
                .map(|l| format!("{l}\n"))
                .collect();
            std::fs::write(site.path(&format!("content/{name}")), copy).expect("write");
            (format!("add {name} (copy of {pick})"), content(&name))
        }
        4 | 5 => {
            // Delete or rename a document nothing links to.
            let all_text: String = sources(site)
                .iter()
                .map(|k| site.read(&format!("content/{k}")))
                .collect();
            let free: Vec<&String> = docs
                .iter()
                .filter(|k| !all_text.contains(k.as_str()) && !k.starts_with("about/"))
                .collect();
            let Some(k) = free.get(rng.below(free.len().max(1))) else {
                return ("nothing to delete".into(), content(&pick));
            };
            let from = format!("content/{k}");
            if rng.below(2) == 0 {
                std::fs::remove_file(site.path(&from)).expect("remove");
                (format!("delete {k}"), content(k))
            } else {
                let to = k.replace(".md", &format!("-r{n}.md"));
                std::fs::rename(site.path(&from), site.path(&format!("content/{to}")))
                    .expect("rename");
                (
                    format!("rename {k} → {to}"),
                    vec![Change::Content((*k).clone()), Change::Content(to)],
                )
            }
        }
        _ => unreachable!("op {op} adds or removes no document"),
    }
}

/// Edits of sources other than the picked document: the pager template,
/// a section's `_index.md`, a plain page's own key, a warning's validity.
fn edit_other_source(
    site: &Site,
    rng: &mut Rng,
    n: usize,
    op: usize,
    docs: &[String],
) -> (String, Vec<Change>) {
    match op {
        6 => {
            // A template edit: the pager partial, overridden by the site.
            let theme = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/templates/partials/pager.html");
            let base = std::fs::read_to_string(theme).expect("read pager");
            let dir = site.path("templates/partials");
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join("pager.html"), format!("{base}<!-- 第{n}次 -->\n"))
                .expect("write");
            (
                "edit templates/partials/pager.html".into(),
                vec![Change::Theme],
            )
        }
        7 => {
            // A section's _index.md: its title shows in breadcrumbs.
            let sections: Vec<String> = sources(site)
                .into_iter()
                .filter(|k| k.ends_with("_index.md") && k.contains('/'))
                .collect();
            let k = &sections[rng.below(sections.len())];
            let p = format!("content/{k}");
            let t = site.read(&p);
            if let Some(t) = edit_field(&t, "title", |v| {
                let v = v.trim_end_matches('"');
                format!("{v}{n}\"")
            }) {
                std::fs::write(site.path(&p), t).expect("write");
            }
            (format!("retitle section {k}"), content(k))
        }
        10 => {
            // A plain page's own front-matter key (`doc.extra`).
            let pages: Vec<&String> = docs.iter().filter(|k| k.starts_with("about/")).collect();
            let k = pages[rng.below(pages.len())];
            let p = format!("content/{k}");
            let t = set_field(&site.read(&p), "office_hours", &format!("工作日 {n} 时"));
            std::fs::write(site.path(&p), t).expect("write");
            (format!("set office_hours of {k}"), content(k))
        }
        13 => {
            // A warning's validity: active risk points come and go.
            let warnings: Vec<&String> =
                docs.iter().filter(|k| k.starts_with("warnings/")).collect();
            let k = warnings[rng.below(warnings.len())];
            let p = format!("content/{k}");
            let year = 2024 + rng.below(4);
            let t = site.read(&p);
            let t = edit_field(&t, "valid_until", |_| format!("{year}-06-30"))
                .unwrap_or_else(|| t.clone());
            std::fs::write(site.path(&p), t).expect("write");
            (format!("valid_until {year}-06-30 for {k}"), content(k))
        }
        _ => unreachable!("op {op} edits the picked document"),
    }
}

/// An annual report's figures or year: a figure changed or added, a
/// guidance method added, or the year moved back one (which may make a
/// second report of the agency for that year, an error for both builds).
fn edit_report(site: &Site, rng: &mut Rng, n: usize, docs: &[String]) -> (String, Vec<Change>) {
    let reports: Vec<&String> = docs.iter().filter(|k| k.starts_with("reports/")).collect();
    let k = reports[rng.below(reports.len())];
    let p = format!("content/{k}");
    let t = site.read(&p);
    // Before the closing `+++`, after any table: a new table of its own.
    let append = |block: &str| t.replacen("\n+++\n", &format!("\n{block}+++\n"), 1);
    let (what, edited) = match rng.below(3) {
        0 => {
            let value = 7 * n + rng.below(100);
            let present = ["exempted", "mitigated", "revisits", "remind", "interview"]
                .into_iter()
                .find(|key| t.contains(&format!("\n{key} = ")));
            let edited = match present {
                Some(key) => edit_field(&t, key, |_| value.to_string()),
                None => None,
            }
            .unwrap_or_else(|| append(&format!("[figures]\nexempted = {value}\n")));
            (format!("figure {present:?} = {value} in {k}"), edited)
        }
        1 => {
            let method = ["guide", "demonstrate", "coach", "advise", "dissuade"]
                .into_iter()
                .find(|m| !t.contains(&format!("\n{m} = ")));
            let edited = match (method, t.contains("[figures.guidance]\n")) {
                (Some(m), true) => t.replacen(
                    "[figures.guidance]\n",
                    &format!("[figures.guidance]\n{m} = {n}\n"),
                    1,
                ),
                (Some(m), false) => append(&format!("[figures.guidance]\n{m} = {n}\n")),
                (None, _) => {
                    edit_field(&t, "guide", |_| n.to_string()).unwrap_or_else(|| t.clone())
                }
            };
            (format!("guidance {method:?} = {n} in {k}"), edited)
        }
        _ => {
            let edited = edit_field(&t, "year", |v| {
                v.trim()
                    .parse::<i64>()
                    .map_or(v.to_string(), |y| (y - 1).to_string())
            })
            .unwrap_or_else(|| t.clone());
            (format!("year back one in {k}"), edited)
        }
    };
    std::fs::write(site.path(&p), edited).expect("write");
    (what, content(k))
}

/// Breaks the picked document's front matter.
fn break_document(site: &Site, picked: Picked) -> (String, Vec<Change>) {
    let Picked {
        key: pick,
        path,
        text,
    } = picked;
    // Break a file; the next edit of it (any kind) may not fix it,
    // so fix it right away in a second build.
    std::fs::write(site.path(&path), text.replacen("+++", "+++\n= =", 1)).expect("write");
    (format!("break {pick}"), content(&pick))
}

fn random_sequence(seed: u64, steps: usize, ops: &[usize]) -> usize {
    random_sequence_on(&demo(), seed, steps, ops)
}

fn random_sequence_on(site: &Site, seed: u64, steps: usize, ops: &[usize]) -> usize {
    let mut live = live(site);
    let first = live.rebuild(&[Change::Content(String::new())]);
    assert!(first.ok, "{:?}", first.diagnostics);
    let mut rng = Rng(seed);
    let mut log = Vec::new();
    let mut effective = 0;
    let mut quick = 0;
    for n in 0..steps {
        let before: Vec<(String, Vec<u8>)> = sources(site)
            .into_iter()
            .map(|k| {
                let b = std::fs::read(site.path(&format!("content/{k}"))).expect("read");
                (k, b)
            })
            .collect();
        let (what, changes) = random_edit(site, &mut rng, n, ops);
        log.push(what.clone());
        let outcome = live.rebuild(&changes);
        log.push(format!(
            "→ ok={} quick={} rendered={} changed={}",
            outcome.ok,
            outcome.quick,
            outcome.rendered,
            outcome.changed.len()
        ));
        if outcome.ok {
            effective += usize::from(!outcome.changed.is_empty());
            quick += usize::from(outcome.quick);
            assert_equals_clean(site, &live);
        } else {
            assert!(
                clean(site).is_none(),
                "live failed but build succeeded after {log:?}"
            );
            // Undo the edit that broke it: the preview recovers.
            for (k, b) in &before {
                std::fs::write(site.path(&format!("content/{k}")), b).expect("restore");
            }
            for k in sources(site) {
                if !before.iter().any(|(b, _)| *b == k) {
                    std::fs::remove_file(site.path(&format!("content/{k}"))).expect("remove");
                }
            }
            let fixed = live.rebuild(&[Change::Content(String::new())]);
            assert!(fixed.ok, "after {log:?}: {:?}", fixed.diagnostics);
            log.push("undo".into());
            assert_equals_clean(site, &live);
        }
    }
    eprintln!("seed {seed}: {log:#?}");
    assert!(
        effective >= steps / 2,
        "too few edits changed the site: {log:?}"
    );
    quick
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
        random_sequence_on(&site, seed, 10, &[0, 1, 2, 9, 14, 14, 14, 14]);
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
