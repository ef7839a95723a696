//! Lists of events as RSS 2.0 and Atom feeds: one item per event, titled by its
//! headline, linking to its page, dated by its last update.

use crate::xml_escape;
use chronicle_store::EventSummary;
use std::io::Write;

/// The two feed formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedFormat {
    Rss,
    Atom,
}

impl FeedFormat {
    /// The format of a file extension (`rss`, `atom`).
    pub fn of_extension(extension: &str) -> Option<Self> {
        match extension {
            "rss" => Some(Self::Rss),
            "atom" => Some(Self::Atom),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Rss => "rss",
            Self::Atom => "atom",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Rss => "application/rss+xml; charset=utf-8",
            Self::Atom => "application/atom+xml; charset=utf-8",
        }
    }
}

/// What a feed is: its title, the page it mirrors and where it lives, both as paths
/// under `base` (an absolute URL without a trailing slash, like `http://127.0.0.1:8080`).
#[derive(Clone, Debug)]
pub struct Feed<'a> {
    pub title: &'a str,
    pub base: &'a str,
    /// The HTML page the feed follows (`/stories/3`).
    pub page: &'a str,
    /// The feed's own path (`/feeds/story/3.atom`).
    pub path: &'a str,
}

/// Writes a feed of `events` (newest first, as listed) in `format`.
pub fn write_feed(
    out: &mut impl Write,
    format: FeedFormat,
    feed: &Feed<'_>,
    events: &[EventSummary],
) -> std::io::Result<()> {
    match format {
        FeedFormat::Rss => write_rss(out, feed, events),
        FeedFormat::Atom => write_atom(out, feed, events),
    }
}

fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// The item text of an event: its date, category, sources and story.
fn describe(event: &EventSummary) -> String {
    let mut parts = Vec::new();
    if let Some(date) = &event.date {
        parts.push(format!("Happened {date}"));
    }
    if let Some(category) = &event.category {
        parts.push(category.clone());
    }
    parts.push(match event.sources {
        1 => "1 source".to_string(),
        n => format!("{n} sources"),
    });
    if let Some(story) = &event.story_name {
        parts.push(format!("story: {story}"));
    }
    format!("{}.", parts.join("; "))
}

fn title_of(event: &EventSummary) -> String {
    event
        .headline
        .clone()
        .unwrap_or_else(|| format!("Event {}", event.id))
}

fn newest(events: &[EventSummary]) -> chrono::DateTime<chrono::Utc> {
    events
        .iter()
        .filter_map(|e| parse_time(&e.updated))
        .max()
        .unwrap_or(chrono::DateTime::UNIX_EPOCH)
}

fn write_rss(
    out: &mut impl Write,
    feed: &Feed<'_>,
    events: &[EventSummary],
) -> std::io::Result<()> {
    let base = feed.base;
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{}</title>\n<link>{}</link>\n\
         <description>{} (chronicle)</description>\n\
         <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n\
         <lastBuildDate>{}</lastBuildDate>\n<generator>chronicle</generator>",
        xml_escape(feed.title),
        xml_escape(&format!("{base}{}", feed.page)),
        xml_escape(feed.title),
        xml_escape(&format!("{base}{}", feed.path)),
        newest(events).to_rfc2822(),
    )?;
    for event in events {
        let link = format!("{base}/events/{}", event.id);
        writeln!(
            out,
            "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"true\">{}</guid>\n\
             <description>{}</description>",
            xml_escape(&title_of(event)),
            xml_escape(&link),
            xml_escape(&link),
            xml_escape(&describe(event)),
        )?;
        if let Some(category) = &event.category {
            writeln!(out, "<category>{}</category>", xml_escape(category))?;
        }
        if let Some(time) = parse_time(&event.updated) {
            writeln!(out, "<pubDate>{}</pubDate>", time.to_rfc2822())?;
        }
        writeln!(out, "</item>")?;
    }
    writeln!(out, "</channel>\n</rss>")
}

fn write_atom(
    out: &mut impl Write,
    feed: &Feed<'_>,
    events: &[EventSummary],
) -> std::io::Result<()> {
    let base = feed.base;
    let rfc3339 =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let self_url = format!("{base}{}", feed.path);
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<id>{}</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
         <updated>{}</updated>\n<author><name>chronicle</name></author>\n\
         <generator>chronicle</generator>",
        xml_escape(feed.title),
        xml_escape(&self_url),
        xml_escape(&self_url),
        xml_escape(&format!("{base}{}", feed.page)),
        rfc3339(newest(events)),
    )?;
    for event in events {
        let link = format!("{base}/events/{}", event.id);
        let updated = parse_time(&event.updated).unwrap_or(chrono::DateTime::UNIX_EPOCH);
        writeln!(
            out,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <updated>{}</updated>\n<summary>{}</summary>",
            xml_escape(&title_of(event)),
            xml_escape(&link),
            xml_escape(&link),
            rfc3339(updated),
            xml_escape(&describe(event)),
        )?;
        if let Some(category) = &event.category {
            writeln!(out, "<category term=\"{}\"/>", xml_escape(category))?;
        }
        writeln!(out, "</entry>")?;
    }
    writeln!(out, "</feed>")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn event(id: u64, headline: &str) -> EventSummary {
        EventSummary {
            id,
            date: Some("2026-03-04".into()),
            headline: Some(headline.into()),
            category: Some("law and crime".into()),
            sources: 2,
            updated: "2026-03-05T10:00:00Z".into(),
            story: None,
            story_name: None,
        }
    }

    fn written(format: FeedFormat, events: &[EventSummary]) -> String {
        let mut out = Vec::new();
        let feed = Feed {
            title: "All events",
            base: "http://127.0.0.1:8080",
            page: "/",
            path: "/feeds/all.rss",
        };
        write_feed(&mut out, format, &feed, events).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn headlines_are_escaped_in_both_formats() {
        let events = [event(
            7,
            "Mayor <script>alert(1)</script> & \"council\" ]]> resign",
        )];
        for format in [FeedFormat::Rss, FeedFormat::Atom] {
            let text = written(format, &events);
            assert!(!text.contains("<script>"), "{text}");
            assert!(text.contains("&lt;script&gt;"), "{text}");
            assert!(text.contains("http://127.0.0.1:8080/events/7"), "{text}");
        }
    }

    #[test]
    fn dates_follow_each_format() {
        let rss = written(FeedFormat::Rss, &[event(1, "A")]);
        assert!(
            rss.contains("<pubDate>Thu, 5 Mar 2026 10:00:00 +0000</pubDate>"),
            "{rss}"
        );
        let atom = written(FeedFormat::Atom, &[event(1, "A")]);
        assert!(
            atom.contains("<updated>2026-03-05T10:00:00Z</updated>"),
            "{atom}"
        );
    }
}
