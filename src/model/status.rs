//! Statuses: where a document stands on a given day, how that changes over
//! time, and what supersedes what (with its cycles reported).

use std::collections::HashMap;

use super::urls::missing_target;
use crate::content::{Document, Typed};
use crate::date::Date;
use crate::diag::Diagnostic;

/// Where a document stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Current,
    Expired,
}

impl Status {
    /// The key templates and data files use.
    pub fn key(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Current => "current",
            Status::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "尚未施行",
            Status::Current => "现行有效",
            Status::Expired => "已失效",
        }
    }
}

/// A status timeline: the status before any date, then `(day, status)`
/// for each change (see [`timeline`]).
pub type Timeline = Vec<(Option<Date>, Status)>;

/// How a document's status changes over time: the status before any date,
/// then each day it changes (pending → current on `effective`, → expired
/// the day after `expires` or `valid_until`, or when the document that
/// supersedes it takes effect). `None` for plain pages.
pub fn timeline(
    d: &Document,
    docs: &[std::sync::Arc<Document>],
    by_key: &HashMap<String, usize>,
) -> Option<Timeline> {
    if !d.doc_type.is_typed() {
        return None;
    }
    let next_day = |x: Date| Date::from_days(x.to_days() + 1);
    let mut ends: Vec<Option<Date>> = Vec::new();
    if let Some(link) = &d.superseded_by
        && let Some(&j) = by_key.get(&link.target)
    {
        // A replacement without dates replaced it from the start.
        ends.push(docs[j].effective.or(docs[j].date));
        if ends[0].is_none() {
            return Some(vec![(None, Status::Expired)]);
        }
    }
    ends.extend(d.expires.map(|x| Some(next_day(x))));
    if let Typed::Warning {
        valid_until: Some(v),
        ..
    } = &d.typed
    {
        ends.push(Some(next_day(*v)));
    }
    let end = ends.into_iter().flatten().min();
    Some(period(d.effective, end))
}

/// Pending before `start`, current from it, expired from `end` (a day
/// not in the period).
fn period(start: Option<Date>, end: Option<Date>) -> Timeline {
    let mut steps = match start {
        Some(e) => vec![(None, Status::Pending), (Some(e), Status::Current)],
        None => vec![(None, Status::Current)],
    };
    if let Some(x) = end {
        steps.retain(|(from, _)| from.is_none_or(|f| f < x));
        steps.push((Some(x), Status::Expired));
    }
    steps
}

/// A list's timeline once its versions are known: in force from its first
/// version's day when that is earlier than `effective`, which names the
/// newest version's day. A revision committed ahead of its date leaves the
/// list in force (by the version before), not pending.
pub(super) fn in_force_since(steps: &Timeline, first: Date) -> Option<Timeline> {
    let start = steps
        .iter()
        .find_map(|(from, s)| (*s == Status::Current).then_some(*from))??;
    if first >= start {
        return None;
    }
    let end = match steps.iter().find(|(_, s)| *s == Status::Expired) {
        Some((Some(end), _)) => Some(*end),
        Some((None, _)) => return None,
        None => None,
    };
    Some(period(Some(first), end))
}

/// A timeline ended on `end` when that is earlier than the end it has: a
/// document superseded by a list that was in force before its newest
/// `effective` (see [`in_force_since`]).
pub(super) fn ended_by(steps: &Timeline, end: Date) -> Option<Timeline> {
    let start = steps
        .iter()
        .find_map(|(from, s)| (*s == Status::Current).then_some(*from));
    let now = steps.iter().find(|(_, s)| *s == Status::Expired);
    match now {
        Some((None, _)) => None,
        Some((Some(e), _)) if *e <= end => None,
        _ => Some(period(start.flatten(), Some(end))),
    }
}

/// The timeline of one version of a list: in force from `effective` until
/// `end`, the day the next version takes effect or the list ends.
pub fn of_period(effective: Date, end: Option<Date>) -> Timeline {
    period(Some(effective), end)
}

/// The status on `today`, from the timeline.
pub fn status_on(steps: &[(Option<Date>, Status)], today: Date) -> Status {
    steps
        .iter()
        .rev()
        .find(|(from, _)| from.is_none_or(|f| f <= today))
        .map_or(Status::Current, |(_, s)| *s)
}

/// Index → indexes of the documents it supersedes, from each document's
/// `superseded_by`; a link to itself or to no published document is
/// reported at its line.
pub(super) fn supersedes(
    documents: &[std::sync::Arc<Document>],
    by_key: &HashMap<String, usize>,
    unpublished: &HashMap<String, crate::content::Unpublished>,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<usize, Vec<usize>> {
    let mut supersedes: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, d) in documents.iter().enumerate() {
        let Some(link) = &d.superseded_by else {
            continue;
        };
        match by_key.get(&link.target) {
            Some(&j) if j == i => diags.push(
                Diagnostic::error(&d.rel, "superseded_by", "文档不能替代自身")
                    .at(link.line, link.col),
            ),
            Some(&j) => supersedes.entry(j).or_default().push(i),
            None => {
                if let Some((severity, message, hint)) =
                    missing_target(&link.target, by_key, unpublished)
                {
                    diags.push(Diagnostic {
                        severity,
                        ..Diagnostic::error(&d.rel, "superseded_by", message)
                            .at(link.line, link.col)
                            .hint(hint)
                    });
                }
            }
        }
    }
    supersedes
}

/// Reports every `superseded_by` cycle (A → B → A, or longer) on each of
/// its members, at its `superseded_by` line, naming the whole cycle from
/// that member. Each document names at most one successor, so following
/// successors once from every document finds all cycles in linear time.
pub(super) fn supersession_cycles(
    docs: &[std::sync::Arc<Document>],
    by_key: &HashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    let next = |i: usize| {
        let j = *by_key.get(&docs[i].superseded_by.as_ref()?.target)?;
        (j != i).then_some(j)
    };
    // 0: not seen; 1: on the path being followed; 2: done.
    let mut state = vec![0u8; docs.len()];
    let mut path = Vec::new();
    for start in 0..docs.len() {
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| state[i] == 0) {
            state[i] = 1;
            path.push(i);
            at = next(i);
        }
        if let Some(i) = at.filter(|&i| state[i] == 1) {
            let from = path.iter().position(|&p| p == i).unwrap_or(0);
            let cycle = &path[from..];
            for (n, &member) in cycle.iter().enumerate() {
                let names: Vec<&str> = cycle[n..]
                    .iter()
                    .chain(&cycle[..=n])
                    .map(|&m| docs[m].key.as_str())
                    .collect();
                let Some(link) = &docs[member].superseded_by else {
                    continue;
                };
                diags.push(
                    Diagnostic::error(
                        &docs[member].rel,
                        "superseded_by",
                        format!("superseded_by 形成循环：{}", names.join(" → ")),
                    )
                    .at(link.line, link.col)
                    .hint("替代关系只能指向更新的文档；请删除循环中较新文档的 superseded_by"),
                );
            }
        }
        for &i in &path {
            state[i] = 2;
        }
        path.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn timelines_give_the_status_of_any_day() {
        let steps = vec![
            (None, Status::Pending),
            (Some(d("2024-03-01")), Status::Current),
            (Some(d("2025-01-01")), Status::Expired),
        ];
        assert_eq!(status_on(&steps, d("2024-02-29")), Status::Pending);
        assert_eq!(status_on(&steps, d("2024-03-01")), Status::Current);
        assert_eq!(status_on(&steps, d("2024-12-31")), Status::Current);
        assert_eq!(status_on(&steps, d("2025-01-01")), Status::Expired);
        assert_eq!(
            status_on(&[(None, Status::Current)], d("1999-01-01")),
            Status::Current
        );
    }

    #[test]
    fn a_list_is_in_force_from_its_first_version() {
        // effective names the newest version (2024-07-01); the first took
        // effect on 2024-03-01.
        let steps = period(Some(d("2024-07-01")), Some(d("2025-07-01")));
        let from_first = in_force_since(&steps, d("2024-03-01")).expect("moved");
        assert_eq!(status_on(&from_first, d("2024-06-25")), Status::Current);
        assert_eq!(status_on(&from_first, d("2024-02-29")), Status::Pending);
        assert_eq!(status_on(&from_first, d("2025-07-01")), Status::Expired);
        // Nothing earlier, no effective date, or replaced from the start:
        // the timeline stays.
        assert_eq!(in_force_since(&steps, d("2024-07-01")), None);
        assert_eq!(in_force_since(&period(None, None), d("2024-03-01")), None);
        assert_eq!(
            in_force_since(&vec![(None, Status::Expired)], d("2024-03-01")),
            None
        );
        // Superseded by such a list: ended by its first version's day, if
        // that comes sooner.
        let old = period(Some(d("2023-04-01")), Some(d("2024-07-01")));
        let ended = ended_by(&old, d("2024-03-01")).expect("sooner");
        assert_eq!(status_on(&ended, d("2024-03-01")), Status::Expired);
        assert_eq!(status_on(&ended, d("2024-02-29")), Status::Current);
        assert_eq!(ended_by(&old, d("2024-08-01")), None);
        // A version superseded the day it took effect never applied.
        let same_day = of_period(d("2024-03-01"), Some(d("2024-03-01")));
        assert_eq!(status_on(&same_day, d("2024-03-01")), Status::Expired);
    }
}
