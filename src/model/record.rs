//! 执法公示情况 (the regulation's Articles 4 and 10): per agency, what the
//! site itself shows on the build day — its current lists by kind and when
//! each was last revised, its active warnings, this year's guidance by
//! method, its exemplar cases, its annual reports and its newest
//! publication. Counts and dates only, each with the documents it counts:
//! no ranking or score.

use crate::config::METHODS;
use crate::content::{DocType, Typed};
use crate::date::Date;
use crate::model::{Model, Status};

/// A list not revised for longer than this many months is marked.
pub const STALE_MONTHS: u32 = 12;

/// The record of every agency in `site.toml`, in registry order.
#[derive(Clone, Debug)]
pub struct Record {
    /// The build day the record is computed on.
    pub as_of: Date,
    pub rows: Vec<AgencyRow>,
}

/// One agency's row.
#[derive(Clone, Debug, Default)]
pub struct AgencyRow {
    /// The agency's key in `site.toml`.
    pub agency: String,
    /// Its current lists (现行有效), newest first.
    pub lists: Vec<ListEntry>,
    /// Its warnings in force on the build day.
    pub warnings: Vec<usize>,
    /// Its guidance notices published this year, newest first.
    pub guidance: Vec<usize>,
    /// This year's guidance notices per method, in [`METHODS`] order
    /// (every method, with 0 for those not used).
    pub methods: Vec<(&'static str, usize)>,
    /// Its exemplar cases, newest first.
    pub cases: Vec<usize>,
    /// Its published document with the newest publication date.
    pub newest: Option<usize>,
}

/// A current list and when it was last revised.
#[derive(Clone, Debug)]
pub struct ListEntry {
    pub doc: usize,
    /// Its `kind` key.
    pub kind: String,
    /// Its last revision: the newest of its publication date and its
    /// update (front matter `updated`, noted revisions or git).
    pub revised: Option<Date>,
    /// Not revised in over [`STALE_MONTHS`] months on the build day.
    pub stale: bool,
}

impl AgencyRow {
    /// How many of the eight guidance methods were used this year.
    pub fn methods_used(&self) -> usize {
        self.methods.iter().filter(|(_, n)| *n > 0).count()
    }

    /// How many current lists of kind `kind`.
    pub fn lists_of(&self, kind: &str) -> usize {
        self.lists.iter().filter(|l| l.kind == kind).count()
    }

    /// How many of its current lists are marked as not revised for over a
    /// year.
    pub fn stale_lists(&self) -> usize {
        self.lists.iter().filter(|l| l.stale).count()
    }
}

/// The day `months` months before `day` (the last day of the month when
/// that month is shorter: a year before 2024-02-29 is 2023-02-28).
pub fn months_before(day: Date, months: u32) -> Date {
    let total = day.year * 12 + i32::from(day.month) - 1 - months as i32;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    (1..=day.day)
        .rev()
        .find_map(|d| Date::new(year, month, d))
        .unwrap_or(day)
}

impl Model {
    /// The record of every agency on the build day.
    pub fn record(&self) -> Record {
        let keys: Vec<&str> = self.config.agencies.keys().collect();
        let mut rows: Vec<AgencyRow> = keys
            .iter()
            .map(|k| AgencyRow {
                agency: (*k).to_string(),
                methods: METHODS.iter().map(|(m, _)| (*m, 0)).collect(),
                ..AgencyRow::default()
            })
            .collect();
        let stale_before = months_before(self.today, STALE_MONTHS);
        let mut newest: Vec<Option<Date>> = vec![None; rows.len()];
        // `docs` is newest first, so every list below stays newest first.
        for (i, d) in self.docs.iter().enumerate() {
            let Some(a) = d
                .agency
                .as_deref()
                .and_then(|a| keys.iter().position(|k| *k == a))
            else {
                continue;
            };
            let row = &mut rows[a];
            let published = d.date.or(self.first_published[i]);
            if published.is_some() && published > newest[a] {
                newest[a] = published;
                row.newest = Some(i);
            }
            let current = self.statuses[i] == Some(Status::Current);
            match &d.typed {
                Typed::List { kind, .. } if current => {
                    let revised = published.max(self.updated[i]);
                    row.lists.push(ListEntry {
                        doc: i,
                        kind: kind.clone(),
                        revised,
                        stale: revised.is_some_and(|r| r < stale_before),
                    });
                }
                Typed::Warning { .. } if current => row.warnings.push(i),
                Typed::Guidance { method, .. }
                    if published.is_some_and(|p| p.year == self.today.year) =>
                {
                    row.guidance.push(i);
                    if let Some(m) = row.methods.iter_mut().find(|(k, _)| k == method) {
                        m.1 += 1;
                    }
                }
                Typed::Case { .. } if d.doc_type == DocType::Cases => row.cases.push(i),
                _ => {}
            }
        }
        Record {
            as_of: self.today,
            rows,
        }
    }

    /// The record row of agency `key`, if it is registered.
    pub fn record_row(&self, key: &str) -> Option<AgencyRow> {
        self.record().rows.into_iter().find(|r| r.agency == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_year_before_is_the_same_day_or_the_months_last() {
        assert_eq!(months_before(day("2026-12-05"), 12), day("2025-12-05"));
        assert_eq!(months_before(day("2024-02-29"), 12), day("2023-02-28"));
        assert_eq!(months_before(day("2026-03-31"), 1), day("2026-02-28"));
        assert_eq!(months_before(day("2026-01-15"), 1), day("2025-12-15"));
        assert_eq!(months_before(day("2026-01-15"), 25), day("2023-12-15"));
    }
}
