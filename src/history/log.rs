//! What the repository says about the site's files ([`History`]), parsed
//! from what `git log` prints: the revisions of each file in `content/`, the
//! public note and minor mark of a commit message, its Beijing day.

use std::collections::HashMap;

use crate::date::Date;

/// One commit that touched a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub commit: String,
    /// The commit date, as a day in Beijing time.
    pub date: Date,
    /// The `修订说明:` trailer, the only part of the message meant for the
    /// public; `None` without one.
    pub note: Option<String>,
    pub minor: bool,
}

/// What the repository says about the site's files.
#[derive(Debug, Default)]
pub struct History {
    /// Site-relative path (`content/lists/a.md`) → revisions, newest first.
    pub files: HashMap<String, Vec<Revision>>,
    /// The clone is shallow: the oldest revision seen may not be the first.
    pub shallow: bool,
    /// The oldest commit in a shallow clone (its files' "first" revision is
    /// only where the history was cut).
    pub boundary: Option<String>,
}

impl History {
    pub fn revisions(&self, rel: &str) -> &[Revision] {
        self.files.get(rel).map_or(&[], Vec::as_slice)
    }

    /// Revisions readers see: substantive ones, newest first, without the
    /// commit where a shallow clone's history was cut (its note describes
    /// some other change).
    pub fn public_revisions(&self, rel: &str) -> Vec<Revision> {
        self.revisions(rel)
            .iter()
            .filter(|r| !r.minor && self.boundary.as_deref() != Some(r.commit.as_str()))
            .cloned()
            .collect()
    }

    /// The day a file was first published, when history shows it.
    pub fn first_published(&self, rel: &str) -> Option<Date> {
        let oldest = self.revisions(rel).last()?;
        (self.boundary.as_deref() != Some(oldest.commit.as_str())).then_some(oldest.date)
    }
}

/// Parses `git log -z --name-only --format=%x1e%H%x1f%cI%x1f%B%x1f`,
/// keeping the files in `content/`.
pub(super) fn parse_log(text: &str) -> History {
    let mut history = History::default();
    for record in text
        .split('\u{1e}')
        .filter(|r| !r.trim_matches(['\0', '\n']).is_empty())
    {
        let mut fields = record.splitn(4, '\u{1f}');
        let (Some(hash), Some(date), Some(body), Some(names)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let mut names = names
            .split('\0')
            .map(|n| n.trim_matches('\n'))
            .filter(|n| n.starts_with("content/"))
            .peekable();
        if names.peek().is_none() {
            continue;
        }
        let Some(date) = beijing_day(date.trim()) else {
            continue;
        };
        let (note, minor) = note_of(body);
        let rev = Revision {
            commit: hash.trim().to_string(),
            date,
            note,
            minor,
        };
        for name in names {
            history
                .files
                .entry(name.to_string())
                .or_default()
                .push(rev.clone());
        }
    }
    history
}

/// The public note of a commit message (its `修订说明:` trailer, if any)
/// and whether it is minor. The subject is read only for the minor mark.
fn note_of(message: &str) -> (Option<String>, bool) {
    let mut lines = message.lines();
    let subject = lines.next().unwrap_or("").trim();
    let mut minor = ["[minor]", "[小改]", "小改：", "小改:"]
        .iter()
        .any(|prefix| subject.starts_with(prefix));
    let mut note = None;
    for line in lines {
        let Some((key, value)) = line.split_once(':').or_else(|| line.split_once('：')) else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key.to_ascii_lowercase().as_str() {
            "change-type" | "修订类型"
                if matches!(value.to_ascii_lowercase().as_str(), "minor" | "小改") =>
            {
                minor = true
            }
            "change-note" | "修订说明" if !value.is_empty() => note = Some(value.to_string()),
            _ => {}
        }
    }
    (note, minor)
}

/// The Beijing day of an ISO 8601 / RFC 3339 timestamp (`2024-03-01T09:00:00+08:00`).
pub fn beijing_day(ts: &str) -> Option<Date> {
    let date = Date::parse(ts.get(..10)?).ok()?;
    let time = ts.get(11..19)?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let zone = ts.get(19..).unwrap_or("Z");
    let zone = zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = if zone.is_empty() || zone.eq_ignore_ascii_case("z") {
        0
    } else {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        let oh: i64 = digits.get(..2)?.parse().ok()?;
        let om: i64 = digits.get(2..4).unwrap_or("00").parse().ok()?;
        sign * (oh * 3600 + om * 60)
    };
    let utc = date.to_days() * 86_400 + h * 3600 + m * 60 + s - offset;
    Some(Date::from_days((utc + 8 * 3600).div_euclid(86_400)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_beijing_days() {
        let d = |s| beijing_day(s).map(|d| d.to_string());
        assert_eq!(
            d("2024-03-01T09:00:00+08:00").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(d("2024-02-29T16:30:00Z").as_deref(), Some("2024-03-01"));
        assert_eq!(
            d("2024-03-01T01:00:00-05:00").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(
            d("2024-03-01T00:30:00+09:00").as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(d("nonsense"), None);
    }

    #[test]
    fn only_trailers_are_public_notes() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(note_of("调整第5项适用条件\n\n详细说明"), (None, false));
        assert_eq!(note_of("content: cases — fix typo"), (None, false));
        assert_eq!(note_of("[minor] 修正错别字"), (None, true));
        assert_eq!(note_of("小改：格式"), (None, true));
        assert_eq!(note_of("更新\n\nChange-Type: minor"), (None, true));
        assert_eq!(
            note_of("更新 lists/a.md\n\n修订说明: 新增第13项\n修订类型: 重要"),
            (some("新增第13项"), false)
        );
        assert_eq!(
            note_of("lists: item 13\n\nChange-Note: 新增第13项"),
            (some("新增第13项"), false)
        );
    }

    #[test]
    fn keeps_only_content_files() {
        let log = "\u{1e}abc\u{1f}2024-03-01T09:00:00+08:00\u{1f}改配置\n\u{1f}\0\nsite.toml\0contentious.md\0\u{1e}def\u{1f}2024-01-01T09:00:00+08:00\u{1f}首次发布\n\u{1f}\0\ncontent/a.md\0site.toml\0";
        let h = parse_log(log);
        assert_eq!(h.files.keys().collect::<Vec<_>>(), ["content/a.md"]);
        assert_eq!(h.revisions("content/a.md")[0].commit, "def");
    }
}
