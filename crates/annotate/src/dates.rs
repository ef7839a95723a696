//! Dates an article mentions, resolved against its publication date.
//!
//! Absolute forms ("December 29", "Nov. 11, 2016", "29 December 2016", "2016-12-29",
//! "January 2017") and relative ones ("on Thursday", "yesterday", "last month", "last
//! April", "two weeks ago", "the next month", "a day earlier") become a [`DateMention`]
//! with the byte span it came from and what it resolves to: a day, or a month when
//! that is all the text says. A month or weekday without a year takes the occurrence
//! nearest before the publication date, as news mostly reports what has happened;
//! "next"/"coming" looks forward. Anaphoric forms ("the next month", "a day earlier")
//! count from the date mentioned just before them.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::LazyLock;

/// How precise a resolved date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Day,
    Month,
    Year,
}

/// A date the text talks about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// Byte range in the article text.
    pub span: Range<usize>,
    pub text: String,
    /// The first day of the period meant.
    pub date: NaiveDate,
    pub granularity: Granularity,
    /// Whether the text gave the date outright (true) or relative to another date.
    pub absolute: bool,
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn month(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

fn weekday(name: &str) -> Option<Weekday> {
    let name = name.to_lowercase();
    WEEKDAYS.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
}

const MONTH_NAME: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)";
const WEEKDAY_NAME: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const NUMBER_WORD: &str =
    r"(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})";

// Word boundaries are ASCII (`(?-u:\b)`): dates are ASCII words and digits, and a
// Unicode boundary makes the regex engine give up its fast automaton on any text with
// a curly quote or a dash, scanning the whole article with the slow one instead.
static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?x)
        (?P<iso>(?-u:\b)(?P<iy>(?:19|20)\d{{2}})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])(?-u:\b))
      | (?P<mdy>(?-u:\b)(?P<m1>{MONTH_NAME})\s+(?P<d1>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(?P<y1>(?:19|20)\d{{2}})(?-u:\b))?)
      | (?P<dmy>(?-u:\b)(?P<d2>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{MONTH_NAME})(?:,?\s+(?P<y2>(?:19|20)\d{{2}})(?-u:\b))?)
      | (?P<rel_month>(?-u:\b)(?P<rm_dir>(?i:last|next|this|the\s+next|the\s+previous|the\s+following|the\s+same))\s+(?P<rm_unit>month|week|year)(?-u:\b))
      | (?P<ago>(?-u:\b)(?P<ago_n>{NUMBER_WORD})\s+(?P<ago_unit>(?i:days?|weeks?|months?|years?))\s+(?P<ago_dir>ago|earlier|later|before|after)(?-u:\b))
      | (?P<dayword>(?-u:\b)(?P<dw>(?i:yesterday|today|tomorrow|tonight))(?-u:\b))
      | (?P<anaday>(?-u:\b)(?i:a|the)\s+(?P<ad_unit>day|week)\s+(?P<ad_dir>earlier|later|before|after)(?-u:\b))
      | (?P<lastmonth>(?-u:\b)(?P<lm_dir>(?i:last|next|this|in|since|until|by|early|late|mid-?|(?:the\s+)?(?:end|start|beginning|middle)\s+of))\s+(?P<lm>January|February|March|April|May|June|July|August|September|October|November|December)(?-u:\b)(?:\s+(?P<lm_y>(?:19|20)\d{{2}})(?-u:\b))?)
      | (?P<eventmonth>(?-u:\b)(?i:a|an|the|his|her|their|its|that)\s+(?P<em>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?i:press\s+conference|news\s+conference|speech|interview|meeting|rally|debate|hearing|statement|summit|visit|call|election|vote|report|briefing|address)(?-u:\b))
      | (?P<monthyear>(?-u:\b)(?P<my_m>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<my_y>(?:19|20)\d{{2}})(?-u:\b))
      | (?P<wd>(?-u:\b)(?:(?P<wd_dir>(?i:last|next|this|on|since|until|by|early|late))\s+)?(?P<wd_name>{WEEKDAY_NAME})(?-u:\b))
      | (?P<year>(?-u:\b)(?:in|since|during|by|until|of)\s+(?P<yr>(?:19|20)\d{{2}})(?-u:\b))
        "
    );
    Regex::new(&pattern).expect("valid regex")
});

/// Finds and resolves the dates a text mentions. Without a publication date only
/// dates that carry their year are resolved.
pub fn mentions(text: &str, published: Option<NaiveDate>) -> Vec<DateMention> {
    let mut found = Vec::new();
    let mut previous: Option<(NaiveDate, Granularity)> = None;
    for captures in PATTERN.captures_iter(text) {
        let Some(whole) = captures.get(0) else {
            continue;
        };
        let resolved = resolve(&captures, published, previous);
        if let Some((date, granularity, absolute)) = resolved {
            previous = Some((date, granularity));
            // The span is the date itself, without a leading preposition.
            let mut span = whole.range();
            let lower = whole.as_str().to_lowercase();
            for preposition in ["in ", "on ", "since ", "until ", "by ", "during ", "of "] {
                if lower.starts_with(preposition) {
                    span.start += preposition.len();
                    break;
                }
            }
            found.push(DateMention {
                text: text[span.clone()].to_string(),
                span,
                date,
                granularity,
                absolute,
            });
        }
    }
    found
}

fn number(word: &str) -> Option<i64> {
    const WORDS: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let word = word.to_lowercase();
    if word == "a" || word == "an" {
        return Some(1);
    }
    WORDS
        .iter()
        .position(|w| *w == word)
        .map(|n| n as i64)
        .or_else(|| word.parse().ok())
}

/// The month and year `months` after (or before) a given month.
fn shift_month(date: NaiveDate, months: i32) -> Option<NaiveDate> {
    let index = date.year() * 12 + date.month0() as i32 + months;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

/// A month without a year: the latest occurrence not after the reference month,
/// unless `forward`, then the next one after it.
fn month_near(month: u32, reference: NaiveDate, forward: bool) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(reference.year(), month, 1)?;
    let reference_month = NaiveDate::from_ymd_opt(reference.year(), reference.month(), 1)?;
    if forward {
        if this_year > reference_month {
            Some(this_year)
        } else {
            NaiveDate::from_ymd_opt(reference.year() + 1, month, 1)
        }
    } else if this_year <= reference_month {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(reference.year() - 1, month, 1)
    }
}

fn resolve(
    c: &regex::Captures<'_>,
    published: Option<NaiveDate>,
    previous: Option<(NaiveDate, Granularity)>,
) -> Option<(NaiveDate, Granularity, bool)> {
    use Granularity::{Day, Month, Year};
    let get = |name: &str| c.name(name).map(|m| m.as_str());
    if c.name("iso").is_some() {
        let date = NaiveDate::from_ymd_opt(
            get("iy")?.parse().ok()?,
            get("im")?.parse().ok()?,
            get("id")?.parse().ok()?,
        )?;
        return Some((date, Day, true));
    }
    for (m, d, y) in [("m1", "d1", "y1"), ("m2", "d2", "y2")] {
        if let (Some(m), Some(d)) = (get(m), get(d)) {
            let month = month(m)?;
            let day: u32 = d.parse().ok()?;
            if let Some(year) = get(y) {
                return Some((
                    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day)?,
                    Day,
                    true,
                ));
            }
            // "May 4" and "March 1": read the month only when the day makes it a date.
            let reference = published?;
            let candidate = NaiveDate::from_ymd_opt(reference.year(), month, day)?;
            let date = if candidate > reference + Duration::days(7) {
                NaiveDate::from_ymd_opt(reference.year() - 1, month, day)?
            } else {
                candidate
            };
            return Some((date, Day, true));
        }
    }
    if c.name("monthyear").is_some() {
        let date = NaiveDate::from_ymd_opt(get("my_y")?.parse().ok()?, month(get("my_m")?)?, 1)?;
        return Some((date, Month, true));
    }
    if c.name("eventmonth").is_some() {
        let month_number = month(get("em")?)?;
        return Some((month_near(month_number, published?, false)?, Month, false));
    }
    if c.name("lastmonth").is_some() {
        let month_number = month(get("lm")?)?;
        if let Some(year) = get("lm_y") {
            return Some((
                NaiveDate::from_ymd_opt(year.parse().ok()?, month_number, 1)?,
                Month,
                true,
            ));
        }
        let reference = published?;
        let direction = get("lm_dir")?.to_lowercase();
        let forward = direction == "next" || direction == "until" || direction == "by";
        return Some((month_near(month_number, reference, forward)?, Month, false));
    }
    if c.name("dayword").is_some() {
        let reference = published?;
        let date = match get("dw")?.to_lowercase().as_str() {
            "yesterday" => reference - Duration::days(1),
            "tomorrow" => reference + Duration::days(1),
            _ => reference,
        };
        return Some((date, Day, false));
    }
    if c.name("rel_month").is_some() {
        let direction = get("rm_dir")?
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let unit = get("rm_unit")?.to_lowercase();
        // "the next month" counts from the date mentioned before; "next month" from now.
        let anaphoric = direction.starts_with("the ");
        let (base, base_granularity) = if anaphoric {
            previous?
        } else {
            (published?, Day)
        };
        let step = match direction.as_str() {
            "last" | "the previous" => -1,
            "next" | "the next" | "the following" => 1,
            _ => 0,
        };
        return match unit.as_str() {
            "month" => Some((shift_month(base, step)?, Month, false)),
            "year" => Some((
                NaiveDate::from_ymd_opt(base.year() + step, 1, 1)?,
                Year,
                false,
            )),
            _ => {
                let _ = base_granularity;
                let start = base - Duration::days(i64::from(base.weekday().num_days_from_monday()));
                Some((start + Duration::weeks(i64::from(step)), Day, false))
            }
        };
    }
    if c.name("ago").is_some() {
        let count = number(get("ago_n")?)?;
        let unit = get("ago_unit")?.trim_end_matches('s').to_lowercase();
        let direction = get("ago_dir")?.to_lowercase();
        let (base, sign) = match direction.as_str() {
            "ago" => (published?, -1),
            "earlier" | "before" => (previous?.0, -1),
            _ => (previous?.0, 1),
        };
        return match unit.as_str() {
            "day" => Some((base + Duration::days(sign * count), Day, false)),
            "week" => Some((base + Duration::weeks(sign * count), Day, false)),
            "month" => Some((shift_month(base, (sign * count) as i32)?, Month, false)),
            _ => Some((
                NaiveDate::from_ymd_opt(base.year() + (sign * count) as i32, 1, 1)?,
                Year,
                false,
            )),
        };
    }
    if c.name("anaday").is_some() {
        let (base, _) = previous?;
        let days = if get("ad_unit")?.eq_ignore_ascii_case("week") {
            7
        } else {
            1
        };
        let sign = if matches!(get("ad_dir")?.to_lowercase().as_str(), "earlier" | "before") {
            -1
        } else {
            1
        };
        return Some((base + Duration::days(sign * days), Day, false));
    }
    if c.name("wd").is_some() {
        let reference = published?;
        let day = weekday(get("wd_name")?)?;
        let direction = get("wd_dir").map(str::to_lowercase).unwrap_or_default();
        let back = (7 + reference.weekday().num_days_from_monday() as i64
            - day.num_days_from_monday() as i64)
            % 7;
        let date = match direction.as_str() {
            "next" => reference + Duration::days(if back == 0 { 7 } else { 7 - back }),
            "last" => reference - Duration::days(if back == 0 { 7 } else { back }),
            // "on Thursday" in a report is the latest Thursday, today included.
            _ => reference - Duration::days(back),
        };
        return Some((date, Day, false));
    }
    if c.name("year").is_some() {
        let date = NaiveDate::from_ymd_opt(get("yr")?.parse().ok()?, 1, 1)?;
        return Some((date, Year, true));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[track_caller]
    fn check(text: &str, published: Option<&str>, expect: &[(&str, &str, Granularity)]) {
        let found = mentions(text, published.map(day));
        let got: Vec<(&str, String, Granularity)> = found
            .iter()
            .map(|m| (&text[m.span.clone()], m.date.to_string(), m.granularity))
            .collect();
        let want: Vec<(&str, String, Granularity)> = expect
            .iter()
            .map(|(t, d, g)| (*t, (*d).to_string(), *g))
            .collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn absolute_dates() {
        use Granularity::*;
        check(
            "It happened on Nov. 11, 2016, and again on 2017-03-02.",
            None,
            &[
                ("Nov. 11, 2016", "2016-11-11", Day),
                ("2017-03-02", "2017-03-02", Day),
            ],
        );
        check(
            "The sanctions were announced on December 29.",
            Some("2017-01-14"),
            &[("December 29", "2016-12-29", Day)],
        );
        check(
            "Talks resume on 3 March.",
            Some("2025-02-27"),
            &[("3 March", "2025-03-03", Day)],
        );
        check(
            "In January 2017 he left.",
            None,
            &[("January 2017", "2017-01-01", Month)],
        );
        check("Without a year, December 29 stays unresolved.", None, &[]);
    }

    #[test]
    fn relative_dates() {
        use Granularity::*;
        // Published on a Saturday.
        check(
            "The ambassador left yesterday.",
            Some("2017-07-22"),
            &[("yesterday", "2017-07-21", Day)],
        );
        check(
            "Sessions spoke on Thursday.",
            Some("2017-03-04"),
            &[("Thursday", "2017-03-02", Day)],
        );
        check(
            "He said so last month.",
            Some("2017-03-04"),
            &[("last month", "2017-02-01", Month)],
        );
        check(
            "They met last April.",
            Some("2017-03-04"),
            &[("last April", "2016-04-01", Month)],
        );
        check(
            "Trump met him in April.",
            Some("2017-03-04"),
            &[("April", "2016-04-01", Month)],
        );
        check(
            "Two weeks ago the strike began.",
            Some("2025-10-28"),
            &[("Two weeks ago", "2025-10-14", Day)],
        );
    }

    #[test]
    fn anaphoric_dates_count_from_the_previous_mention() {
        use Granularity::*;
        check(
            "Back in October 2016 he spoke. The next month he said more.",
            Some("2017-03-04"),
            &[
                ("October 2016", "2016-10-01", Month),
                ("The next month", "2016-11-01", Month),
            ],
        );
        check(
            "The report came on January 13, 2017, a day after the Post's.",
            None,
            &[
                ("January 13, 2017", "2017-01-13", Day),
                ("a day after", "2017-01-14", Day),
            ],
        );
    }
}
