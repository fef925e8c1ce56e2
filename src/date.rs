//! Calendar dates as the contract uses them: plain `YYYY-MM-DD` days, shown to
//! readers as `2024年3月1日`.
//!
//! Every date a reader sees is a civil day in China Standard Time, so a tiny
//! civil-date type is all we need; the build date comes from
//! `SOURCE_DATE_EPOCH` when set, which keeps builds reproducible.

use std::fmt;

/// A valid proleptic-Gregorian day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Builds a date, refusing impossible ones such as 2024-02-30.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`),
    /// which is ignored: the contract's dates are days.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let day_part = s.get(..10).unwrap_or(s);
        let rest = s.get(10..).unwrap_or("");
        if !rest.is_empty() && !rest.starts_with(['T', 't', ' ']) {
            return Err(format!("“{s}”不是 YYYY-MM-DD 格式的日期"));
        }
        let b = day_part.as_bytes();
        let ok_shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !ok_shape {
            return Err(format!("“{s}”不是 YYYY-MM-DD 格式的日期"));
        }
        let year: i32 = day_part[..4]
            .parse()
            .map_err(|_| format!("“{s}”年份无效"))?;
        let month: u8 = day_part[5..7]
            .parse()
            .map_err(|_| format!("“{s}”月份无效"))?;
        let day: u8 = day_part[8..10]
            .parse()
            .map_err(|_| format!("“{s}”日期无效"))?;
        Date::new(year, month, day).ok_or_else(|| format!("日期 {day_part} 不存在"))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::to_days`].
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in China Standard Time (UTC+8), or the day of
    /// `SOURCE_DATE_EPOCH` when that variable holds a number of seconds.
    pub fn today() -> Date {
        let secs = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0)
            });
        Date::from_days((secs + 8 * 3600).div_euclid(86_400))
    }

    /// `2024年3月1日`, the way Chinese readers write a date.
    pub fn zh(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// RFC 3339 timestamp at midnight Beijing time, for feeds and sitemaps.
    pub fn rfc3339(self) -> String {
        format!("{self}T00:00:00+08:00")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let cases = [
            ("2024-03-01", Some((2024, 3, 1))),
            ("2024-02-29", Some((2024, 2, 29))),
            ("2023-02-29", None),
            ("2024-02-30", None),
            ("2024-13-01", None),
            ("2024-3-1", None),
            ("2024-03-01T08:00:00+08:00", Some((2024, 3, 1))),
            ("2024-03-01 08:00", Some((2024, 3, 1))),
            ("2024-03-01x", None),
            ("二〇二四年", None),
            ("", None),
        ];
        for (input, want) in cases {
            let got = Date::parse(input).ok().map(|d| (d.year, d.month, d.day));
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn day_numbers_round_trip() {
        for z in [-1000, 0, 1, 19_000, 20_000, 2_932_896] {
            assert_eq!(Date::from_days(z).to_days(), z);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        assert_eq!(Date::from_days(19_783).to_string(), "2024-03-01");
    }

    #[test]
    fn chinese_format() {
        assert_eq!(Date::new(2024, 3, 1).unwrap().zh(), "2024年3月1日");
        assert_eq!(Date::new(2024, 12, 31).unwrap().zh(), "2024年12月31日");
    }
}
