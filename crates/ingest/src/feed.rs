//! RSS 0.9x/1.0/2.0, Atom and JSON Feed, read with feed-rs: one document per item.
//!
//! This module does no IO: an item without full content comes back as a
//! [`FeedEntry::Linked`], and the [`Reader`](crate::Reader) decides whether to fetch it.

use crate::Item;
use chronicle_model::{BodyFormat, Hints, NewsDate, RawDocument, Skip, SkipReason};
use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, Link, Text};
use quick_xml::events::Event;

/// An item's full content counts as the article when its text is at least this long,
/// or longer than the item's summary.
const SUBSTANTIAL_TEXT_CHARS: usize = 400;

/// What one feed item gives.
#[derive(Debug)]
pub(crate) enum FeedEntry {
    /// The item carries the article.
    Full(RawDocument),
    /// The item carries at most a summary. The article is at `link`, to be fetched with
    /// `hints` when the configuration asks for it; otherwise `fallback` stands for it.
    Linked {
        link: Option<String>,
        hints: Hints,
        fallback: Box<Item>,
    },
}

/// The items of a parsed feed, and how many were left out past the cap.
#[derive(Debug)]
pub(crate) struct ParsedFeed {
    pub(crate) entries: Vec<FeedEntry>,
    pub(crate) left_out: usize,
}

/// Parses `bytes` as a feed read from `source`. `base_url` resolves relative links.
pub(crate) fn parse(
    source: &str,
    base_url: Option<&str>,
    bytes: &[u8],
    max_items: usize,
) -> Result<ParsedFeed, Skip> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base_url)
        // feed-rs would invent a random id for an item without one; an empty id lets us
        // name the item by its link or position instead, so re-reading names it the same.
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser.parse(bytes).map_err(|error| {
        Skip::new(
            source,
            SkipReason::Malformed,
            format!("the feed does not parse: {error}"),
        )
    })?;
    let left_out = feed.entries.len().saturating_sub(max_items);
    let mut thumbnails = item_thumbnails(bytes);
    if thumbnails.len() != feed.entries.len() {
        // The items could not be matched one to one; better no image than a wrong one.
        thumbnails.clear();
    }
    let entries = feed
        .entries
        .iter()
        .take(max_items)
        .enumerate()
        .map(|(index, entry)| {
            let thumbnail = thumbnails.get_mut(index).and_then(Option::take);
            read_entry(source, &feed, entry, index, thumbnail)
        })
        .collect();
    Ok(ParsedFeed { entries, left_out })
}

fn read_entry(
    feed_source: &str,
    feed: &Feed,
    entry: &Entry,
    index: usize,
    thumbnail: Option<String>,
) -> FeedEntry {
    let link = entry_link(&entry.links);
    let name = if !entry.id.trim().is_empty() {
        entry.id.trim().to_string()
    } else if let Some(link) = &link {
        link.clone()
    } else {
        (index + 1).to_string()
    };
    let source = format!("{feed_source}#{name}");
    let summary = entry
        .summary
        .as_ref()
        .filter(|s| !s.content.trim().is_empty());
    let hints = Hints {
        url: link.clone(),
        title: entry
            .title
            .as_ref()
            .map(|t| collapse(&t.content))
            .filter(|t| !t.is_empty()),
        authors: entry
            .authors
            .iter()
            .filter_map(|person| person.name.as_deref().map(collapse))
            .filter(|name| !name.is_empty())
            .collect(),
        published: entry.published.map(news_date),
        // feed-rs copies the published date into a missing updated one; an update is
        // only kept when the feed gave a different date.
        updated: entry
            .updated
            .filter(|updated| Some(*updated) != entry.published)
            .map(news_date),
        outlet: feed
            .title
            .as_ref()
            .map(|t| outlet_of_feed_title(&collapse(&t.content)))
            .filter(|t| !t.is_empty()),
        description: summary
            .map(|s| collapse(&strip_tags(&s.content)))
            .filter(|d| !d.is_empty()),
        image: entry_image(entry).or(thumbnail),
        language: entry.language.clone().or_else(|| feed.language.clone()),
        summary_only: false,
    };
    let summary_chars = summary.map_or(0, |s| text_chars(&s.content));
    if let Some(content) = &entry.content
        && let Some(body) = content.body.as_deref().filter(|b| !b.trim().is_empty())
    {
        let chars = text_chars(body);
        if chars >= SUBSTANTIAL_TEXT_CHARS || chars > summary_chars {
            let plain = content.content_type.to_string().starts_with("text/plain");
            return FeedEntry::Full(RawDocument {
                source,
                bytes: body.as_bytes().to_vec(),
                format: Some(if plain {
                    BodyFormat::Text
                } else {
                    BodyFormat::Html
                }),
                // feed-rs hands over text already decoded.
                charset: Some("utf-8".into()),
                hints,
                fetched_at: None,
            });
        }
    }
    let fallback = match summary {
        Some(summary) if !strip_tags(&summary.content).trim().is_empty() => {
            Item::Document(RawDocument {
                source: source.clone(),
                bytes: summary_html(summary).into_bytes(),
                format: Some(BodyFormat::Html),
                charset: Some("utf-8".into()),
                hints: Hints {
                    summary_only: true,
                    ..hints.clone()
                },
                fetched_at: None,
            })
        }
        _ => Item::Skip(Skip::new(
            source,
            SkipReason::SummaryOnly,
            "feed item has no content; use --fetch to fetch its link",
        )),
    };
    FeedEntry::Linked {
        link,
        hints,
        fallback: Box::new(fallback),
    }
}

/// The item's own page: an `alternate` link, else one without a relation, else the
/// first that is not an attachment or the feed itself.
fn entry_link(links: &[Link]) -> Option<String> {
    let rel = |link: &Link| link.rel.as_deref().map(str::to_ascii_lowercase);
    links
        .iter()
        .find(|link| rel(link).as_deref() == Some("alternate"))
        .or_else(|| links.iter().find(|link| link.rel.is_none()))
        .or_else(|| {
            links.iter().find(|link| {
                !matches!(rel(link).as_deref(), Some("enclosure" | "self" | "replies"))
            })
        })
        .map(|link| link.href.trim().to_string())
        .filter(|href| !href.is_empty())
}

/// A media thumbnail, else an image among the media contents (RSS enclosures included).
fn entry_image(entry: &Entry) -> Option<String> {
    let thumbnail = entry
        .media
        .iter()
        .flat_map(|media| &media.thumbnails)
        .map(|thumbnail| thumbnail.image.uri.clone())
        .next();
    thumbnail.or_else(|| {
        entry
            .media
            .iter()
            .flat_map(|media| &media.content)
            .filter(|content| {
                content
                    .content_type
                    .as_ref()
                    .is_some_and(|kind| kind.to_string().starts_with("image/"))
            })
            .find_map(|content| content.url.as_ref().map(|url| url.to_string()))
    })
}

/// The first `media:thumbnail` of each RSS item or Atom entry, in document order.
/// feed-rs keeps a thumbnail only beside a `media:content`, but many news feeds give
/// a thumbnail alone. Empty for JSON or XML that does not parse.
fn item_thumbnails(bytes: &[u8]) -> Vec<Option<String>> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buffer = Vec::new();
    let mut thumbnails = Vec::new();
    let mut depth_in_item: Option<usize> = None;
    let mut depth = 0usize;
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(event) => event,
            Err(_) => return Vec::new(),
        };
        match event {
            Event::Start(ref element) | Event::Empty(ref element) => {
                let is_start = matches!(event, Event::Start(_));
                let name = element.local_name();
                let name = name.as_ref();
                if depth_in_item.is_none() && (name == "item" || name == "entry") {
                    thumbnails.push(None);
                    if is_start {
                        depth_in_item = Some(depth);
                    }
                } else if depth_in_item.is_some()
                    && name == "thumbnail"
                    && let Some(last) = thumbnails.last_mut()
                    && last.is_none()
                {
                    *last = element
                        .try_get_attribute("url")
                        .ok()
                        .flatten()
                        .and_then(|url| {
                            url.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                        })
                        .map(|url| url.trim().to_string())
                        .filter(|url| !url.is_empty());
                }
                if is_start {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth_in_item == Some(depth) {
                    depth_in_item = None;
                }
            }
            Event::Eof => return thumbnails,
            _ => {}
        }
        buffer.clear();
    }
}

fn news_date(date: DateTime<Utc>) -> NewsDate {
    NewsDate::Zoned(date.fixed_offset())
}

/// A summary as HTML: escaped if the feed declared it plain text.
fn summary_html(summary: &Text) -> String {
    if summary.content_type.to_string().starts_with("text/plain") {
        summary
            .content
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        summary.content.clone()
    }
}

/// Characters of text in `html` once tags are removed, for judging substance only.
fn text_chars(html: &str) -> usize {
    strip_tags(html)
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

/// `html` without its tags. Rough on purpose: it only measures and describes; cleaning
/// does the real extraction later.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// `text` with runs of whitespace made single spaces.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The outlet a feed's title names: "Harbor Ledger: World headlines" and "Harbor
/// Ledger - Health" are sections of the Harbor Ledger.
fn outlet_of_feed_title(title: &str) -> String {
    for separator in [": ", " - ", " – ", " — ", " | ", " » "] {
        if let Some((outlet, section)) = title.split_once(separator)
            && !outlet.trim().is_empty()
            && section.split_whitespace().count() <= 4
        {
            return outlet.trim().to_string();
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn feed_titles_name_their_outlet() {
        assert_eq!(
            outlet_of_feed_title("Harbor Ledger: World headlines"),
            "Harbor Ledger"
        );
        assert_eq!(
            outlet_of_feed_title("Island Examiner - Health"),
            "Island Examiner"
        );
        assert_eq!(
            outlet_of_feed_title("The Harbor Ledger"),
            "The Harbor Ledger"
        );
        assert_eq!(
            outlet_of_feed_title("Ledger: all the news about the harbour that fits"),
            "Ledger: all the news about the harbour that fits"
        );
    }

    use super::*;

    const SOURCE: &str = "https://harbor.example/feed.xml";

    fn rss(items: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>The Harbor Ledger</title><link>https://harbor.example/</link>
<language>en</language>{items}</channel></rss>"#
        )
        .into_bytes()
    }

    fn parse_one(bytes: &[u8]) -> FeedEntry {
        let mut parsed = parse(SOURCE, None, bytes, 100).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        parsed.entries.remove(0)
    }

    #[test]
    fn full_content_becomes_the_document() {
        let body =
            "<p>The harbor commission voted on Tuesday to rebuild the north pier.</p>".repeat(8);
        let bytes = rss(&format!(
            r#"<item><title>Pier to be rebuilt</title><link>https://harbor.example/pier</link>
<guid>pier-1</guid><dc:creator>Ada Quill</dc:creator>
<pubDate>Tue, 04 Mar 2025 09:30:00 +0000</pubDate>
<description>The commission votes.</description>
<media:thumbnail url="https://harbor.example/pier.jpg"/>
<content:encoded><![CDATA[{body}]]></content:encoded></item>"#
        ));
        let FeedEntry::Full(document) = parse_one(&bytes) else {
            panic!("expected full content");
        };
        assert_eq!(document.source, format!("{SOURCE}#pier-1"));
        assert_eq!(document.bytes, body.as_bytes());
        assert_eq!(document.format, Some(BodyFormat::Html));
        let hints = &document.hints;
        assert_eq!(hints.url.as_deref(), Some("https://harbor.example/pier"));
        assert_eq!(hints.title.as_deref(), Some("Pier to be rebuilt"));
        assert_eq!(hints.authors, ["Ada Quill"]);
        assert_eq!(hints.published.unwrap().to_string(), "2025-03-04T09:30:00Z");
        assert_eq!(hints.outlet.as_deref(), Some("The Harbor Ledger"));
        assert_eq!(hints.language.as_deref(), Some("en"));
        assert_eq!(hints.description.as_deref(), Some("The commission votes."));
        assert_eq!(
            hints.image.as_deref(),
            Some("https://harbor.example/pier.jpg")
        );
        assert!(!hints.summary_only);
    }

    #[test]
    fn an_image_enclosure_is_the_image() {
        let bytes = rss(
            r#"<item><guid>e</guid><content:encoded>Some text</content:encoded>
<enclosure url="https://harbor.example/e.jpg" type="image/jpeg" length="10"/></item>
<item><guid>f</guid><content:encoded>Other text</content:encoded></item>"#,
        );
        let parsed = parse(SOURCE, None, &bytes, 10).unwrap();
        let images: Vec<Option<String>> = parsed
            .entries
            .iter()
            .map(|entry| match entry {
                FeedEntry::Full(document) => document.hints.image.clone(),
                FeedEntry::Linked { hints, .. } => hints.image.clone(),
            })
            .collect();
        assert_eq!(
            images,
            [Some("https://harbor.example/e.jpg".to_string()), None]
        );
    }

    #[test]
    fn a_summary_alone_is_marked_summary_only() {
        let bytes = rss(
            "<item><title>Short</title><link>https://harbor.example/short</link>\
             <description>&lt;p&gt;Only a teaser.&lt;/p&gt;</description></item>",
        );
        let FeedEntry::Linked { link, fallback, .. } = parse_one(&bytes) else {
            panic!("expected a linked item");
        };
        let Item::Document(document) = *fallback else {
            panic!("expected a summary document");
        };
        assert_eq!(link.as_deref(), Some("https://harbor.example/short"));
        assert_eq!(
            document.source,
            format!("{SOURCE}#https://harbor.example/short")
        );
        assert_eq!(document.bytes, b"<p>Only a teaser.</p>");
        assert!(document.hints.summary_only);
    }

    #[test]
    fn content_no_longer_than_the_summary_is_not_full() {
        let bytes = rss(
            "<item><link>https://harbor.example/a</link><description>Same words here.</description>\
             <content:encoded>Same words here.</content:encoded></item>",
        );
        assert!(matches!(parse_one(&bytes), FeedEntry::Linked { .. }));
    }

    #[test]
    fn an_empty_item_is_a_summary_only_skip() {
        let bytes = rss("<item><title>Nothing</title></item>");
        let FeedEntry::Linked {
            link: None,
            fallback,
            ..
        } = parse_one(&bytes)
        else {
            panic!("expected a linked item without link");
        };
        let Item::Skip(skip) = *fallback else {
            panic!("expected a skip");
        };
        assert_eq!(skip.reason, SkipReason::SummaryOnly);
        assert_eq!(skip.input, format!("{SOURCE}#1"));
    }

    #[test]
    fn atom_and_json_feed() {
        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Times</title><id>urn:x</id>
<entry><id>urn:entry:1</id><title>Flood warning</title>
<link rel="alternate" href="https://valley.example/flood"/><link rel="enclosure" href="https://valley.example/a.mp3"/>
<updated>2025-05-01T10:00:00+02:00</updated><author><name>Bo Reed</name></author>
<content type="html">&lt;p&gt;Rivers rose overnight.&lt;/p&gt;</content></entry></feed>"#;
        let FeedEntry::Full(document) = parse_one(atom) else {
            panic!("atom")
        };
        assert_eq!(
            document.hints.url.as_deref(),
            Some("https://valley.example/flood")
        );
        assert_eq!(
            document.hints.updated.unwrap().to_string(),
            "2025-05-01T08:00:00Z"
        );
        assert_eq!(document.bytes, b"<p>Rivers rose overnight.</p>");

        let json = br#"{"version": "https://jsonfeed.org/version/1.1", "title": "Plain Post",
            "items": [{"id": "7", "url": "https://plain.example/7", "content_text": "A plain text report."}]}"#;
        let FeedEntry::Full(document) = parse_one(json) else {
            panic!("json feed")
        };
        assert_eq!(document.format, Some(BodyFormat::Text));
        assert_eq!(document.source, format!("{SOURCE}#7"));
    }

    #[test]
    fn items_past_the_cap_are_counted() {
        let items: String = (0..5)
            .map(|i| {
                format!("<item><guid>{i}</guid><content:encoded>Text {i}</content:encoded></item>")
            })
            .collect();
        let parsed = parse(SOURCE, None, &rss(&items), 3).unwrap();
        assert_eq!(parsed.entries.len(), 3);
        assert_eq!(parsed.left_out, 2);
    }

    #[test]
    fn a_broken_feed_is_malformed() {
        let skip = parse(SOURCE, None, b"<rss version=\"2.0\"><channel><item>", 10).unwrap_err();
        assert_eq!(skip.reason, SkipReason::Malformed);
        assert_eq!(skip.input, SOURCE);
    }
}
