//! 执法公示情况 (the regulation's Articles 4 and 10): per agency, what the
//! site itself shows on the build day — its current lists by kind and when
//! each was last revised, its active warnings, this year's guidance by
//! method, its exemplar cases, its annual reports and its newest
//! publication. Counts and dates only, each with the documents it counts:
//! no ranking or score.
//!
//! Annual reports go by the year they report on, and a report on year Y
//! is filed early in Y+1: on a build day in year B, this year's report is
//! the one on B−1 and last year's the one on B−2 ([`Record::report_years`]).
//! Where a report gives figures, the row sets them beside what the site
//! itself shows of that year ([`Compared`], the newest such report not
//! after B−1).

use crate::config::{METHODS, RegistryKind};
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
    /// The years of this year's and last year's annual reports: the year
    /// before the build day's and the one before that (B−1, B−2).
    pub report_years: [i64; 2],
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
    /// Its reports on the years of [`Record::report_years`], in that
    /// order (`None`: not published).
    pub recent_reports: [Option<usize>; 2],
    /// All its annual reports, newest year first.
    pub reports: Vec<usize>,
    /// Its newest report with figures (not after B−1) beside the site's
    /// own counts of that year.
    pub compared: Option<Compared>,
}

/// A report's figures beside what the site shows of the same year: the
/// documents the site counts, figures and documents being different
/// measures (a report counts guidance given and cases handled, the site
/// the notices and cases it publishes).
#[derive(Clone, Debug)]
pub struct Compared {
    /// The report.
    pub report: usize,
    /// The year it reports on.
    pub year: i64,
    /// The agency's guidance notices published in `year`, per method in
    /// [`METHODS`] order (every method), newest first.
    pub guidance: Vec<(&'static str, Vec<usize>)>,
    /// Its exemplar cases of `year` (their 年度), newest first.
    pub cases: Vec<usize>,
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

    /// How many of this year's and last year's reports are published.
    pub fn reports_published(&self) -> usize {
        self.recent_reports.iter().flatten().count()
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
        let this_year = i64::from(self.today.year);
        let report_years = [this_year - 1, this_year - 2];
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
                Typed::Report { year, .. } => {
                    row.reports.push(i);
                    if let Some(n) = report_years.iter().position(|y| y == year) {
                        // One per agency and year: a second is an error.
                        row.recent_reports[n].get_or_insert(i);
                    }
                }
                _ => {}
            }
        }
        for row in &mut rows {
            row.reports.sort_by_key(|&i| {
                (
                    std::cmp::Reverse(super::reports::report_year(&self.docs[i])),
                    i,
                )
            });
            row.compared = self.compared(&row.agency, &row.reports, this_year - 1);
        }
        Record {
            as_of: self.today,
            report_years,
            rows,
        }
    }

    /// The newest of `reports` (newest year first) that gives figures and
    /// is not on a year after `last`, beside agency `agency`'s guidance
    /// notices published in its year and its cases of that year.
    fn compared(&self, agency: &str, reports: &[usize], last: i64) -> Option<Compared> {
        let (report, year) = reports.iter().find_map(|&i| match &self.docs[i].typed {
            Typed::Report {
                year,
                figures: Some(_),
            } if *year <= last => Some((i, *year)),
            _ => None,
        })?;
        let mut compared = Compared {
            report,
            year,
            guidance: METHODS.iter().map(|(m, _)| (*m, Vec::new())).collect(),
            cases: Vec::new(),
        };
        // The agency's own documents (its registry members, in reading
        // order), not every document once per agency.
        let members = self
            .registries
            .iter()
            .find(|r| r.kind == RegistryKind::Agencies)
            .and_then(|r| r.members.get(agency))
            .map_or(&[][..], Vec::as_slice);
        for &i in members {
            let d = &self.docs[i];
            match &d.typed {
                Typed::Guidance { method, .. }
                    if d.date
                        .or(self.first_published[i])
                        .is_some_and(|p| i64::from(p.year) == year) =>
                {
                    if let Some(m) = compared.guidance.iter_mut().find(|(k, _)| k == method) {
                        m.1.push(i);
                    }
                }
                Typed::Case { year: y, .. } if d.doc_type == DocType::Cases && *y == year => {
                    compared.cases.push(i)
                }
                _ => {}
            }
        }
        Some(compared)
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
