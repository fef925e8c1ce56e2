//! Random edits for the live preview's tests: a deterministic generator,
//! the edits themselves (front matter, bodies, attachments, reports, a
//! document moved to another year, other sources, broken files) and the sequences that check each step against a
//! clean build.

use std::path::Path;

use gongshi::live::Change;

use super::{Site, assert_equals_clean, clean, demo, live, tree};

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
        14 => edit_attachment(site, rng, n, picked),
        op @ (3..=5) => add_or_remove(site, rng, n, op, &docs, picked),
        op @ (6 | 7 | 10 | 13) => edit_other_source(site, rng, n, op, &docs),
        15 => edit_report(site, rng, n, &docs),
        16 => move_year(site, rng, &docs),
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

/// An edit of the picked document's attachment: the file attached
/// rewritten (new bytes and size), or a new file attached in place of a
/// plain-string one (which becomes a plain content file again), or a first
/// one.
fn edit_attachment(site: &Site, rng: &mut Rng, n: usize, picked: Picked) -> (String, Vec<Change>) {
    let Picked {
        key: pick,
        path,
        text,
    } = picked;
    let folder = pick.rsplit_once('/').map_or("", |(f, _)| f);
    let below = |f: &str| format!("{folder}/{f}").trim_start_matches('/').to_string();
    let attached = text
        .lines()
        .find_map(|l| {
            ["file = \"", "attachments = \"", "attachments: \""]
                .iter()
                .find_map(|k| l.strip_prefix(k))
        })
        .and_then(|r| r.strip_suffix('"'));
    let lines = [format!("第{n}次修改的附件")];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    if let Some(file) = attached
        && (text.contains("[[attachments]]") || rng.below(2) == 0)
    {
        std::fs::write(
            site.path(&format!("content/{}", below(file))),
            crate::pdf::pdf("附件", &lines),
        )
        .expect("write");
        return (
            format!("rewrite {file} attached to {pick}"),
            content(&below(file)),
        );
    }
    let file = format!("live-{n}.pdf");
    std::fs::write(
        site.path(&format!("content/{}", below(&file))),
        crate::pdf::pdf("附件", &lines),
    )
    .expect("write");
    std::fs::write(site.path(&path), set_field(&text, "attachments", &file)).expect("write");
    let mut changes = content(&pick);
    changes.extend(content(&below(&file)));
    (format!("attach {file} to {pick}"), changes)
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

/// A guidance notice or an exemplar case moved to the year before or after
/// (its date, and a case's 年度 with it): it leaves one year's counts of its
/// agency's record — this year's guidance, the figures table beside an
/// annual report — for another year's.
fn move_year(site: &Site, rng: &mut Rng, docs: &[String]) -> (String, Vec<Change>) {
    let movable: Vec<&String> = docs
        .iter()
        .filter(|k| k.starts_with("guidance/") || k.starts_with("cases/"))
        .collect();
    let k = movable[rng.below(movable.len())];
    let p = format!("content/{k}");
    let delta: i64 = if rng.below(2) == 0 { -1 } else { 1 };
    // The first four digits of the value are its year.
    let shift = |v: &str| {
        let Some(at) = v.find(|c: char| c.is_ascii_digit()) else {
            return v.to_string();
        };
        match v.get(at..at + 4).and_then(|y| y.parse::<i64>().ok()) {
            Some(y) => format!("{}{}{}", &v[..at], y + delta, &v[at + 4..]),
            None => v.to_string(),
        }
    };
    let t = site.read(&p);
    let t = edit_field(&t, "date", shift).unwrap_or(t);
    let t = if k.starts_with("cases/") {
        edit_field(&t, "year", shift).unwrap_or(t)
    } else {
        t
    };
    std::fs::write(site.path(&p), t).expect("write");
    (format!("move {k} by {delta} year"), content(k))
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

pub(super) fn random_sequence(seed: u64, steps: usize, ops: &[usize]) -> usize {
    random_sequence_on(&demo(), seed, steps, ops)
}

pub(super) fn random_sequence_on(site: &Site, seed: u64, steps: usize, ops: &[usize]) -> usize {
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
