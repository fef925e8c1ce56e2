//! What changed inside one field of a list item, for the version pages: the
//! two texts cut into runs that both share and runs that only one has, so
//! a reader sees 〔不超过七日〕 inserted instead of comparing two long
//! sentences. Chinese is compared character by character; a run of ASCII
//! letters and digits (a number, an article number like 36, a word) is one
//! unit, so 2024 → 2025 is one change, not a changed digit.

use serde::Serialize;

/// A run of one side's text: `changed` when the other side lacks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    pub changed: bool,
}

/// The two sides as runs. Texts too long to compare (over a few thousand
/// units each), or so rewritten that little is shared, are one changed run
/// each, as before.
pub(super) fn runs(before: &str, after: &str) -> (Vec<Run>, Vec<Run>) {
    let whole = || (whole(before), whole(after));
    let a = units(before);
    let b = units(after);
    if a.is_empty() || b.is_empty() || a.len().saturating_mul(b.len()) > MAX_CELLS {
        return whole();
    }
    let (mut keep_a, mut keep_b) = common(&a, &b);
    // Shared runs of one or two units between changes (的, 或者) make a
    // confetti of marks: they count as changed.
    absorb_islands(&mut keep_a);
    absorb_islands(&mut keep_b);
    let shared: usize = a
        .iter()
        .zip(&keep_a)
        .filter(|(_, k)| **k)
        .map(|(u, _)| u.chars().count())
        .sum();
    let longer = before.chars().count().max(after.chars().count());
    if shared * 10 < longer * 3 {
        return whole();
    }
    (join(&a, &keep_a), join(&b, &keep_b))
}

/// At most this many cells in the comparison table (a 2,000-unit field
/// against another).
const MAX_CELLS: usize = 4_000_000;

fn whole(s: &str) -> Vec<Run> {
    if s.is_empty() {
        return Vec::new();
    }
    vec![Run {
        text: s.to_string(),
        changed: true,
    }]
}

/// A run of ASCII letters and digits, or one other character.
fn units(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_ascii_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(st) = start.take() {
            out.push(&s[st..i]);
        }
        out.push(&s[i..i + c.len_utf8()]);
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// Which units of each side belong to a longest common subsequence.
fn common(a: &[&str], b: &[&str]) -> (Vec<bool>, Vec<bool>) {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut keep_a, mut keep_b) = (vec![false; n], vec![false; m]);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            keep_a[i] = true;
            keep_b[j] = true;
            i += 1;
            j += 1;
        } else if lcs[at(i + 1, j)] >= lcs[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    (keep_a, keep_b)
}

/// Shared runs shorter than three units with a change on both sides become
/// changed.
fn absorb_islands(keep: &mut [bool]) {
    let mut i = 0;
    while i < keep.len() {
        if !keep[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < keep.len() && keep[i] {
            i += 1;
        }
        if start > 0 && i < keep.len() && i - start < 3 {
            keep[start..i].iter_mut().for_each(|k| *k = false);
        }
    }
}

fn join(units: &[&str], keep: &[bool]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (u, k) in units.iter().zip(keep) {
        match out.last_mut() {
            Some(r) if r.changed != *k => r.text.push_str(u),
            _ => out.push(Run {
                text: (*u).to_string(),
                changed: !*k,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(runs: &[Run], mark: &str) -> String {
        runs.iter()
            .map(|r| {
                if r.changed {
                    format!("{mark}{}{mark}", r.text)
                } else {
                    r.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn an_insertion_is_marked_alone() {
        let (a, b) = runs(
            "在自有经营场所发布广告，持续时间短，且及时改正的",
            "在自有经营场所发布广告，持续时间短（不超过七日），且及时改正的",
        );
        assert_eq!(
            marked(&a, "~"),
            "在自有经营场所发布广告，持续时间短，且及时改正的"
        );
        assert_eq!(
            marked(&b, "+"),
            "在自有经营场所发布广告，持续时间短+（不超过七日）+，且及时改正的"
        );
    }

    #[test]
    fn a_replacement_marks_both_sides_and_numbers_are_whole() {
        let (a, b) = runs("处3万元以下的罚款，第36条", "处5万元以下的罚款，第136条");
        assert_eq!(marked(&a, "~"), "处~3~万元以下的罚款，第~36~条");
        assert_eq!(marked(&b, "+"), "处+5+万元以下的罚款，第+136+条");
    }

    #[test]
    fn a_rewrite_is_one_change_not_confetti() {
        let (a, b) = runs(
            "责令改正，并给予警告或者通报批评",
            "不予行政处罚，对当事人进行教育",
        );
        assert_eq!(a, whole("责令改正，并给予警告或者通报批评"));
        assert_eq!(b, whole("不予行政处罚，对当事人进行教育"));
        // Emptied or filled in: one run.
        assert_eq!(runs("", "新备注"), (Vec::new(), whole("新备注")));
    }

    #[test]
    fn short_shared_islands_between_changes_are_absorbed() {
        let (a, _) = runs("甲乙的丙丁戊己庚辛壬癸", "子丑的寅卯戊己庚辛壬癸");
        assert_eq!(marked(&a, "~"), "~甲乙的丙丁~戊己庚辛壬癸");
    }
}
