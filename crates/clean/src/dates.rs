//! Dates as pages write them: ISO 8601 and RFC 2822 (through
//! [`NewsDate::parse_loose`]), and the textual forms of bylines and datelines in the
//! languages news is most often crawled in ("July 22, 2017 1:49 PM ET", "22. Juli
//! 2017", "22/07/2017"), plus dates in URL paths.

use chronicle_model::NewsDate;
use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};
use regex::Regex;
use std::sync::LazyLock;

/// Months by name in English, German, French, Spanish, Italian, Dutch and Portuguese,
/// with common abbreviations.
fn month_number(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.').to_lowercase();
    let name = name.as_str();
    let months: [&[&str]; 12] = [
        &[
            "january", "jan", "januar", "janvier", "enero", "gennaio", "januari", "janeiro",
            "jänner", "janv", "ene", "gen",
        ],
        &[
            "february",
            "feb",
            "februar",
            "février",
            "fevrier",
            "febrero",
            "febbraio",
            "februari",
            "fevereiro",
            "févr",
            "fev",
            "fév",
        ],
        &[
            "march", "mar", "märz", "maerz", "mars", "marzo", "maart", "março", "marco", "mär",
            "mrt",
        ],
        &["april", "apr", "avril", "abril", "aprile", "avr", "abr"],
        &["may", "mai", "mayo", "maggio", "mei", "maio", "mag"],
        &[
            "june", "jun", "juni", "juin", "junio", "giugno", "junho", "giu",
        ],
        &[
            "july", "jul", "juli", "juillet", "julio", "luglio", "julho", "juil", "lug",
        ],
        &["august", "aug", "août", "aout", "agosto", "augustus", "ago"],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "settembre",
            "setembro",
            "set",
        ],
        &[
            "october", "oct", "oktober", "octobre", "octubre", "ottobre", "outubro", "okt", "ott",
            "out",
        ],
        &["november", "nov", "novembre", "noviembre", "novembro"],
        &[
            "december",
            "dec",
            "dezember",
            "décembre",
            "decembre",
            "diciembre",
            "dicembre",
            "dezembro",
            "dez",
            "déc",
            "dic",
        ],
    ];
    months
        .iter()
        .position(|names| names.contains(&name))
        .map(|index| index as u32 + 1)
}

const MONTH: &str = r"([A-Za-zÀ-ÿ]{3,10}\.?)";

static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?{MONTH},?\s+(?:de\s+)?(\d{{4}})\b"
    ))
    .expect("valid regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
    ))
    .expect("valid regex")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,4})([./-])(\d{1,2})([./-])(\d{2,4})\b").expect("valid regex")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?\s*(?:\(?\b(UTC|GMT|Z|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|BST|CET|CEST|IST|AEST|AEDT)\b\)?|([+-]\d{2}:?\d{2}))?")
        .expect("valid regex")
});
/// An ISO 8601 day at the start of a value whose remainder is malformed
/// (`2022-01-10T22:06:08:684Z`).
static ISO_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
        .expect("valid regex")
});
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)|/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
        .expect("valid regex")
});

/// Parses a date as it appears in metadata or visible page text. Returns the first
/// date found; a time of day found after it is attached, with its zone when named.
pub fn parse_date(text: &str) -> Option<NewsDate> {
    let text = text.trim();
    if text.is_empty() || text.len() > 200 {
        return None;
    }
    if let Some(date) = NewsDate::parse_loose(text) {
        return plausible(date);
    }
    if let Some(date) = iso_prefix(text) {
        return plausible(date);
    }
    let (day, end) = textual_day(text)?;
    let rest = &text[end..];
    let date = match TIME.captures(rest) {
        Some(time) if time.get(0).is_some_and(|m| m.start() < 12) => with_time(day, &time),
        _ => NewsDate::Day(day),
    };
    plausible(date)
}

/// The day, and the time when given, at the start of an ISO 8601 value that
/// [`NewsDate::parse_loose`] rejects for what follows them.
fn iso_prefix(text: &str) -> Option<NewsDate> {
    let captures = ISO_PREFIX.captures(text)?;
    let number = |index: usize| -> Option<u32> { captures.get(index)?.as_str().parse().ok() };
    let day = NaiveDate::from_ymd_opt(captures[1].parse().ok()?, number(2)?, number(3)?)?;
    let clock = number(4)
        .zip(number(5))
        .and_then(|(hour, minute)| NaiveTime::from_hms_opt(hour, minute, number(6).unwrap_or(0)));
    Some(match clock {
        Some(clock) => NewsDate::Local(day.and_time(clock)),
        None => NewsDate::Day(day),
    })
}

/// Where the first date written in `text` ("21. April 2020", "26/10/13") stands, as a
/// byte range.
pub fn date_span(text: &str) -> Option<std::ops::Range<usize>> {
    first_textual_day(text).map(|(start, _, end)| start..end)
}

/// The first day written in text, and the byte offset where it ends.
fn textual_day(text: &str) -> Option<(NaiveDate, usize)> {
    first_textual_day(text).map(|(_, date, end)| (date, end))
}

/// The first day written in text, with the byte offsets where it starts and ends.
fn first_textual_day(text: &str) -> Option<(usize, NaiveDate, usize)> {
    let mut found: Vec<(usize, NaiveDate, usize)> = Vec::new();
    if let Some(c) = DAY_MONTH_YEAR.captures(text)
        && let (Some(day), Some(month), Some(year)) =
            (c[1].parse().ok(), month_number(&c[2]), c[3].parse().ok())
        && let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
        && let Some(whole) = c.get(0)
    {
        found.push((whole.start(), date, whole.end()));
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(text)
        && let (Some(month), Some(day), Some(year)) =
            (month_number(&c[1]), c[2].parse().ok(), c[3].parse().ok())
        && let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
        && let Some(whole) = c.get(0)
    {
        found.push((whole.start(), date, whole.end()));
    }
    if let Some(c) = NUMERIC.captures(text)
        && let Some(whole) = c.get(0)
        && let Some(date) = numeric_date(&c[1], &c[2], &c[3], &c[5])
    {
        found.push((whole.start(), date, whole.end()));
    }
    found.sort_by_key(|(start, _, _)| *start);
    found.first().copied()
}

/// `2017-07-22`, `2017/07/22`, `22.07.2017` (day first), `07/22/2017` (month first
/// unless the first number cannot be a month).
fn numeric_date(first: &str, separator: &str, second: &str, third: &str) -> Option<NaiveDate> {
    let a: u32 = first.parse().ok()?;
    let b: u32 = second.parse().ok()?;
    let c: i32 = third.parse().ok()?;
    if first.len() == 4 {
        return NaiveDate::from_ymd_opt(a as i32, b, c.try_into().ok()?);
    }
    let year = match third.len() {
        4 => c,
        2 => 2000 + c,
        _ => return None,
    };
    if separator == "." || a > 12 {
        NaiveDate::from_ymd_opt(year, b, a)
    } else {
        NaiveDate::from_ymd_opt(year, a, b)
    }
}

fn with_time(day: NaiveDate, time: &regex::Captures<'_>) -> NewsDate {
    let Some(mut hour) = time.get(1).and_then(|m| m.as_str().parse::<u32>().ok()) else {
        return NewsDate::Day(day);
    };
    let minute = time
        .get(2)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(0);
    let second = time
        .get(3)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(0);
    if let Some(meridiem) = time.get(4) {
        let pm = meridiem.as_str().to_ascii_lowercase().starts_with('p');
        if hour == 12 {
            hour = 0;
        }
        if pm {
            hour += 12;
        }
    }
    let Some(clock) = NaiveTime::from_hms_opt(hour, minute, second) else {
        return NewsDate::Day(day);
    };
    let local = day.and_time(clock);
    let offset = time
        .get(5)
        .and_then(|zone| zone_offset(zone.as_str()))
        .or_else(|| time.get(6).and_then(|m| numeric_offset(m.as_str())));
    match offset.and_then(|offset| offset.from_local_datetime(&local).single()) {
        Some(zoned) => NewsDate::Zoned(zoned),
        None => NewsDate::Local(local),
    }
}

fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let hours = match zone.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" => 0,
        // "ET", "CT", … without daylight saving named: read as standard time.
        "EST" | "ET" => -5,
        "EDT" => -4,
        "CST" | "CT" => -6,
        "CDT" => -5,
        "MST" | "MT" => -7,
        "MDT" => -6,
        "PST" | "PT" => -8,
        "PDT" => -7,
        "BST" => 1,
        "CET" => 1,
        "CEST" => 2,
        "IST" => return FixedOffset::east_opt(5 * 3600 + 1800),
        "AEST" => 10,
        "AEDT" => 11,
        _ => return None,
    };
    FixedOffset::east_opt(hours * 3600)
}

fn numeric_offset(text: &str) -> Option<FixedOffset> {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4)?.parse().ok()?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// A date in a URL path: `/2017/07/22/`, `/2017-07-22-`, `/20170722/`.
pub fn date_from_url(url: &str) -> Option<NewsDate> {
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let path = &url[path_start..];
    let captures = URL_DATE.captures(path)?;
    let (year, month, day) = if captures.get(1).is_some() {
        (captures.get(1)?, captures.get(2)?, captures.get(3)?)
    } else {
        (captures.get(4)?, captures.get(5)?, captures.get(6)?)
    };
    let date = NaiveDate::from_ymd_opt(
        year.as_str().parse().ok()?,
        month.as_str().parse().ok()?,
        day.as_str().parse().ok()?,
    )?;
    plausible(NewsDate::Day(date))
}

/// News dates between 1990 and 2100; anything else is a parsing accident (a product
/// number, a copyright year range, a placeholder).
fn plausible(date: NewsDate) -> Option<NewsDate> {
    let year = chrono::Datelike::year(&date.date());
    (1990..=2100).contains(&year).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expect: Option<&str>) {
        assert_eq!(
            parse_date(text).map(|d| d.to_string()).as_deref(),
            expect,
            "{text}"
        );
    }

    #[test]
    fn textual_dates() {
        check("July 22, 2017", Some("2017-07-22"));
        check(
            "Published: Jul. 22, 2017 1:49 PM ET",
            Some("2017-07-22T13:49:00-05:00"),
        );
        check("22 July 2017, 09:05", Some("2017-07-22T09:05:00"));
        check(
            "Saturday 22 July 2017 14.30 BST",
            Some("2017-07-22T14:30:00+01:00"),
        );
        check("22. Juli 2017", Some("2017-07-22"));
        check("le 3 mars 2018", Some("2018-03-03"));
        check("22.07.2017 um 10:15 Uhr", Some("2017-07-22T10:15:00"));
        check("07/22/2017", Some("2017-07-22"));
        check("22/07/2017", Some("2017-07-22"));
        check(
            "2017-07-22T13:49:30+02:00",
            Some("2017-07-22T13:49:30+02:00"),
        );
        check("Updated 12:30 a.m. Jan 3, 2020", Some("2020-01-03"));
        check("March 4th, 2019 at 12:15 am", Some("2019-03-04T00:15:00"));
        check("no date here", None);
        check("© 1870-2017", None);
        check("31 February 2017", None);
        check("Dienstag, 2. November 2021", Some("2021-11-02"));
        check("31.10.23", Some("2023-10-31"));
    }

    #[test]
    fn malformed_iso_dates() {
        // Milliseconds after a colon: the day and time before them still count.
        check("2022-01-10T22:06:08:684Z", Some("2022-01-10T22:06:08"));
        check("2018-04-05T06:00 ", Some("2018-04-05T06:00:00"));
    }

    #[test]
    fn finds_where_a_date_stands() {
        let text = "Lena Marx am 3. Mai 2021, 10:15";
        let span = date_span(text).map(|span| &text[span]);
        assert_eq!(span, Some("3. Mai 2021"));
        assert_eq!(date_span("Lena Marx"), None);
    }

    #[test]
    fn url_dates() {
        let url = |u: &str| date_from_url(u).map(|d| d.to_string());
        assert_eq!(
            url("https://x.example/2017/07/22/story.html"),
            Some("2017-07-22".into())
        );
        assert_eq!(
            url("https://x.example/news/2017-7-2-story"),
            Some("2017-07-02".into())
        );
        assert_eq!(
            url("https://x.example/a/20170722/story"),
            Some("2017-07-22".into())
        );
        assert_eq!(url("https://x.example/2017/story"), None);
        assert_eq!(url("https://x.example/product/2017123456"), None);
    }
}
