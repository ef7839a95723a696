use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// A date as news gives it: a calendar day, a local time without a zone, or an instant
/// with its UTC offset. Nothing is invented: a page that says only "July 22, 2017" gives
/// a [`NewsDate::Day`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NewsDate {
    /// A calendar day.
    Day(NaiveDate),
    /// A time of day whose zone is unknown.
    Local(NaiveDateTime),
    /// An instant with the offset it was written in.
    Zoned(DateTime<FixedOffset>),
}

impl NewsDate {
    /// Parses the ISO 8601 forms this crate writes: `YYYY-MM-DD`,
    /// `YYYY-MM-DDTHH:MM[:SS[.fff]]`, optionally followed by `Z` or `±HH:MM`.
    /// A space may stand for the `T`.
    /// Fractions of a second are dropped: news never needs them, and dropping them keeps
    /// parsing and display exact inverses.
    pub fn parse(text: &str) -> Option<Self> {
        Self::parse_exact(text).map(Self::without_fraction)
    }

    /// Parses the date forms that containers (JSON exports, feeds, archives) use: the
    /// ISO 8601 forms of [`NewsDate::parse`], RFC 2822 (`Sat, 22 Jul 2017 13:49:30 +0200`),
    /// `YYYY/MM/DD`, and a Unix timestamp in seconds (or milliseconds, when it has 13
    /// digits). Unlike [`NewsDate::parse`] it is meant for outside input, so it is lenient
    /// about surrounding space and a trailing `UTC`/`GMT`.
    pub fn parse_loose(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(date) = Self::parse(text) {
            return Some(date);
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse()
                .ok()
                .and_then(Self::from_unix_seconds_or_millis);
        }
        if let Ok(zoned) = DateTime::parse_from_rfc2822(text) {
            return Some(Self::Zoned(zoned).without_fraction());
        }
        for suffix in [" UTC", " GMT", "UTC", "GMT"] {
            if let Some(stripped) = text.strip_suffix(suffix)
                && let Some(date) = Self::parse(&format!("{}Z", stripped.trim_end()))
            {
                return Some(date);
            }
        }
        NaiveDate::parse_from_str(text, "%Y/%m/%d")
            .ok()
            .map(Self::Day)
    }

    /// The instant `seconds` after the Unix epoch, in UTC.
    pub fn from_unix_seconds(seconds: i64) -> Option<Self> {
        DateTime::from_timestamp(seconds, 0).map(|utc| Self::Zoned(utc.fixed_offset()))
    }

    /// Reads a Unix timestamp as seconds, or as milliseconds when it is too large to be
    /// seconds of a plausible news date (JavaScript exports write milliseconds).
    pub fn from_unix_seconds_or_millis(value: i64) -> Option<Self> {
        // 10^11 seconds is the year 5138; any larger number is milliseconds.
        const MILLISECONDS_FROM: i64 = 100_000_000_000;
        if value.abs() >= MILLISECONDS_FROM {
            Self::from_unix_seconds(value / 1000)
        } else {
            Self::from_unix_seconds(value)
        }
    }

    fn without_fraction(self) -> Self {
        match self {
            Self::Day(day) => Self::Day(day),
            Self::Local(local) => Self::Local(local.with_nanosecond(0).unwrap_or(local)),
            Self::Zoned(zoned) => Self::Zoned(zoned.with_nanosecond(0).unwrap_or(zoned)),
        }
    }

    fn parse_exact(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() == 10 {
            return NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(Self::Day);
        }
        if let Ok(zoned) = DateTime::parse_from_rfc3339(text) {
            return Some(Self::Zoned(zoned));
        }
        let normalised = text.replacen(' ', "T", 1);
        if let Ok(zoned) = DateTime::parse_from_rfc3339(&normalised) {
            return Some(Self::Zoned(zoned));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f%:z",
            "%Y-%m-%dT%H:%M%:z",
            "%Y-%m-%dT%H:%M:%S%z",
        ] {
            if let Ok(zoned) = DateTime::parse_from_str(&normalised, format) {
                return Some(Self::Zoned(zoned));
            }
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(local) = NaiveDateTime::parse_from_str(&normalised, format) {
                return Some(Self::Local(local));
            }
        }
        None
    }

    /// The calendar day as written (in the offset the date was given in).
    pub fn date(&self) -> NaiveDate {
        match self {
            Self::Day(day) => *day,
            Self::Local(local) => local.date(),
            Self::Zoned(zoned) => zoned.date_naive(),
        }
    }

    /// Seconds since the Unix epoch, reading a local time as UTC and a day as its
    /// midnight. Used for ordering only.
    pub fn timestamp(&self) -> i64 {
        match self {
            Self::Day(day) => day.and_time(NaiveTime::MIN).and_utc().timestamp(),
            Self::Local(local) => local.and_utc().timestamp(),
            Self::Zoned(zoned) => zoned.timestamp(),
        }
    }

    /// Whether a time of day is known.
    pub fn has_time(&self) -> bool {
        !matches!(self, Self::Day(_))
    }
}

impl fmt::Display for NewsDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Day(day) => write!(f, "{}", day.format("%Y-%m-%d")),
            Self::Local(local) => write!(f, "{}", local.format("%Y-%m-%dT%H:%M:%S")),
            Self::Zoned(zoned) => {
                if zoned.offset().local_minus_utc() == 0 {
                    write!(f, "{}", zoned.format("%Y-%m-%dT%H:%M:%SZ"))
                } else {
                    write!(f, "{}", zoned.format("%Y-%m-%dT%H:%M:%S%:z"))
                }
            }
        }
    }
}

impl PartialOrd for NewsDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NewsDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp()
            .cmp(&other.timestamp())
            .then_with(|| self.to_string().cmp(&other.to_string()))
    }
}

impl Serialize for NewsDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for NewsDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an ISO 8601 date: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expect: &str) {
        let parsed = NewsDate::parse(input).unwrap_or_else(|| panic!("{input} did not parse"));
        assert_eq!(parsed.to_string(), expect);
        assert_eq!(NewsDate::parse(&parsed.to_string()), Some(parsed));
    }

    #[test]
    fn parses_the_iso_forms() {
        check("2017-07-22", "2017-07-22");
        check("2017-07-22T13:49:30", "2017-07-22T13:49:30");
        check("2017-07-22 13:49:30", "2017-07-22T13:49:30");
        check("2017-07-22T13:49", "2017-07-22T13:49:00");
        check("2017-07-22T13:49:30Z", "2017-07-22T13:49:30Z");
        check("2017-07-22T13:49:30.250+02:00", "2017-07-22T13:49:30+02:00");
        check("2017-07-22T13:49:30-0500", "2017-07-22T13:49:30-05:00");
        assert_eq!(NewsDate::parse("22 July 2017"), None);
        assert_eq!(NewsDate::parse("2017-02-30"), None);
    }

    #[test]
    fn parses_loose_container_dates() {
        let loose = |text: &str| NewsDate::parse_loose(text).map(|d| d.to_string());
        assert_eq!(loose(" 2017-07-22 "), Some("2017-07-22".into()));
        assert_eq!(
            loose("2017-07-22T13:49:30+02:00"),
            Some("2017-07-22T13:49:30+02:00".into())
        );
        assert_eq!(
            loose("Sat, 22 Jul 2017 13:49:30 +0200"),
            Some("2017-07-22T13:49:30+02:00".into())
        );
        assert_eq!(
            loose("Sat, 22 Jul 2017 13:49:30 GMT"),
            Some("2017-07-22T13:49:30Z".into())
        );
        assert_eq!(
            loose("2017-07-22 13:49:30 UTC"),
            Some("2017-07-22T13:49:30Z".into())
        );
        assert_eq!(loose("2017/07/22"), Some("2017-07-22".into()));
        assert_eq!(loose("1500731370"), Some("2017-07-22T13:49:30Z".into()));
        assert_eq!(loose("1500731370000"), Some("2017-07-22T13:49:30Z".into()));
        assert_eq!(loose("yesterday"), None);
        assert_eq!(loose(""), None);
        assert_eq!(loose("99999999999999999999999"), None);
    }

    #[test]
    fn orders_by_instant() {
        let early = NewsDate::parse("2017-07-22T10:00:00+02:00").unwrap();
        let late = NewsDate::parse("2017-07-22T09:00:00Z").unwrap();
        assert!(early < late);
        assert_eq!(early.date(), late.date());
    }

    #[test]
    fn round_trips_through_json() {
        let date = NewsDate::parse("2017-07-22T13:49:30+02:00").unwrap();
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(json, "\"2017-07-22T13:49:30+02:00\"");
        assert_eq!(serde_json::from_str::<NewsDate>(&json).unwrap(), date);
    }
}
