//! Markdown documents: YAML-style front matter, body paragraphs, and event records
//! (a current-events portal entry: date, story, summary, numbered sources, changes,
//! related events), which become structured [`EventRecord`]s rather than prose.

use crate::dates::parse_date;
use chronicle_model::{EventRecord, NewsDate, RecordChange, RecordLink, RecordSource};
use chrono::{NaiveDate, NaiveDateTime};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

/// A Markdown document, before the shared cleaning layers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MarkdownDraft {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<NewsDate>,
    pub updated: Option<NewsDate>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
    pub paragraphs: Vec<String>,
    pub record: Option<EventRecord>,
}

/// Reads a Markdown document.
pub fn read(text: &str) -> MarkdownDraft {
    let (front, body) = split_front_matter(text);
    if let Some(record) = event_record(body) {
        let mut paragraphs = vec![record.summary.clone()];
        paragraphs.extend(record.lead.clone());
        return MarkdownDraft {
            title: Some(record.summary.clone()),
            published: record
                .changes
                .iter()
                .filter_map(|c| c.at)
                .min()
                .map(NewsDate::Local),
            image: record.image.clone(),
            paragraphs,
            record: Some(record),
            ..MarkdownDraft::default()
        };
    }
    let mut draft = MarkdownDraft::default();
    for (key, value) in front {
        let values = list_values(&value);
        let first = values.first().cloned();
        match key.as_str() {
            "title" | "headline" => draft.title = first,
            "subtitle" | "dek" | "subheading" => draft.subtitle = first,
            "date" | "published" | "published_at" | "pubdate" | "datepublished" => {
                draft.published = first.as_deref().and_then(parse_date);
            }
            "updated" | "modified" | "lastmod" | "updated_at" | "datemodified" => {
                draft.updated = first.as_deref().and_then(parse_date);
            }
            "author" | "authors" | "byline" => draft.authors = values,
            "url" | "link" | "canonical" | "canonical_url" | "permalink" => draft.url = first,
            "outlet" | "site" | "site_name" | "publisher" | "source" | "publication" => {
                draft.outlet = first
            }
            "description" | "summary" | "excerpt" => draft.description = first,
            "image" | "cover" | "cover_image" | "thumbnail" => draft.image = first,
            "lang" | "language" => draft.language = first,
            _ => {}
        }
    }
    let (heading, paragraphs) = body_paragraphs(body);
    if draft.title.is_none() {
        draft.title = heading.clone();
    }
    // The first heading repeats the title; it is not body text.
    let mut paragraphs = paragraphs;
    if let (Some(heading), Some(first)) = (&heading, paragraphs.first())
        && first == heading
    {
        paragraphs.remove(0);
    }
    draft.paragraphs = paragraphs;
    draft
}

/// Splits `---` front matter from the body; returns its `key: value` pairs (keys
/// lowercased; `- item` lines under a key become a `[a, b]` list).
fn split_front_matter(text: &str) -> (Vec<(String, String)>, &str) {
    let text = text.trim_start_matches('\u{feff}');
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (Vec::new(), text);
    };
    let Some(end) = rest.find("\n---") else {
        return (Vec::new(), text);
    };
    let block = &rest[..end];
    let body = rest[end + 4..].trim_start_matches(['-', '\r', '\n']);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        if let Some(item) = line.trim_start().strip_prefix("- ")
            && line.starts_with(char::is_whitespace)
            && let Some((_, value)) = pairs.last_mut()
        {
            let item = unquote(item.trim());
            *value = if value.is_empty() {
                format!("[{item}]")
            } else {
                format!("{}, {item}]", value.trim_end_matches(']'))
            };
            continue;
        }
        if let Some((key, value)) = line.split_once(':')
            && !key.trim().is_empty()
            && !key.contains(' ')
        {
            pairs.push((key.trim().to_lowercase(), value.trim().to_string()));
        }
    }
    (pairs, body)
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return value[1..value.len() - 1].replace("\\\"", "\"");
        }
    }
    value.to_string()
}

/// `[a, "b"]` or `a` as a list of strings.
fn list_values(value: &str) -> Vec<String> {
    let value = value.trim();
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        return inner
            .split(',')
            .map(unquote)
            .filter(|v| !v.is_empty())
            .collect();
    }
    let value = unquote(value);
    if value.is_empty() {
        Vec::new()
    } else {
        vec![value]
    }
}

/// The first level-one heading, and the text blocks of the body as paragraphs.
fn body_paragraphs(body: &str) -> (Option<String>, Vec<String>) {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut heading = None;
    let mut in_h1 = false;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &mut paragraphs);
                in_h1 = level == HeadingLevel::H1;
            }
            Event::End(TagEnd::Heading(_)) => {
                if in_h1 && heading.is_none() {
                    heading = Some(current.split_whitespace().collect::<Vec<_>>().join(" "));
                }
                in_h1 = false;
                flush(&mut current, &mut paragraphs);
            }
            Event::Start(
                Tag::Paragraph | Tag::Item | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::TableRow,
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow,
            )
            | Event::Rule => flush(&mut current, &mut paragraphs),
            Event::Text(text) | Event::Code(text) => current.push_str(&text),
            Event::SoftBreak => current.push(' '),
            Event::HardBreak => flush(&mut current, &mut paragraphs),
            Event::End(TagEnd::TableCell) => current.push(' '),
            Event::Html(html) | Event::InlineHtml(html) => {
                // Inline markup keeps its text; tags are dropped.
                let text = crate::html::paragraphs::paragraphs(&html).join(" ");
                current.push_str(&text);
            }
            _ => {}
        }
    }
    flush(&mut current, &mut paragraphs);
    (heading, paragraphs)
}

fn flush(current: &mut String, paragraphs: &mut Vec<String>) {
    let paragraph = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !paragraph.is_empty() {
        paragraphs.push(paragraph);
    }
    current.clear();
}

static DATE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^#{2,4}\s+\[?(\d{4}-\d{2}-\d{2})\]?(?:\(([^)]*)\))?\s*$").expect("valid regex")
});
static LIST_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+\.\s+\[(.*)\]\(([^)\s]*)\)\s*(.*)$").expect("valid regex"));
static CHANGE_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^_?\s*(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)?\s*\(([^)]*)\)\s*_?$")
        .expect("valid regex")
});
static LINK_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/(\d{4})/(\d{1,2})/(\d{1,2})/").expect("valid regex"));

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Top,
    Sources,
    Changes,
    Related,
    Other,
}

/// Reads an event record, if the document is one: a date heading, a level-one
/// summary heading and a "Sources" section.
fn event_record(body: &str) -> Option<EventRecord> {
    let lines: Vec<&str> = body.lines().map(str::trim).collect();
    let has_date = lines.iter().any(|l| DATE_HEADING.is_match(l));
    let has_summary = lines.iter().any(|l| l.starts_with("# "));
    let has_sources = lines.iter().any(|l| {
        l.trim_start_matches('#')
            .trim()
            .trim_end_matches(':')
            .eq_ignore_ascii_case("sources")
    });
    if !(has_date && has_summary && has_sources) {
        return None;
    }
    let mut record = EventRecord::default();
    let mut section = Section::Top;
    let mut lead: Vec<&str> = Vec::new();
    let mut summary_seen = false;
    for line in &lines {
        if let Some(rest) = line.strip_prefix("Formats:") {
            record.formats = markdown_links(rest);
            continue;
        }
        if let Some(captures) = DATE_HEADING.captures(line) {
            record.date = NaiveDate::parse_from_str(&captures[1], "%Y-%m-%d").ok();
            continue;
        }
        if line.starts_with("#") {
            let hashes = line.bytes().take_while(|b| *b == b'#').count();
            let heading = line[hashes..].trim();
            match (
                hashes,
                heading.trim_end_matches(':').to_ascii_lowercase().as_str(),
            ) {
                (1, _) if !summary_seen => {
                    record.summary = heading.to_string();
                    summary_seen = true;
                }
                (_, "sources") => section = Section::Sources,
                (_, "changes") | (_, "history") => section = Section::Changes,
                (_, "related") => section = Section::Related,
                (5 | 4, _) if !summary_seen => record.story = Some(heading.to_string()),
                _ => section = Section::Other,
            }
            continue;
        }
        match section {
            Section::Top if summary_seen && !line.is_empty() => lead.push(line),
            Section::Sources => {
                if let Some(captures) = LIST_LINK.captures(line) {
                    let name = captures[1].trim().to_string();
                    let url = captures[2].to_string();
                    if name.eq_ignore_ascii_case("cover image")
                        || name.eq_ignore_ascii_case("image")
                    {
                        record.image = Some(url);
                    } else {
                        record.sources.push(RecordSource {
                            number: record.sources.len() as u32 + 1,
                            outlet: name,
                            url,
                        });
                    }
                }
            }
            Section::Changes => {
                if let Some(captures) = LIST_LINK.captures(line) {
                    let note = captures[3].trim();
                    let (at, kind) = match CHANGE_NOTE.captures(note) {
                        Some(c) => (
                            c.get(1).and_then(|m| {
                                NaiveDateTime::parse_from_str(
                                    &m.as_str().replace('T', " "),
                                    "%Y-%m-%d %H:%M:%S",
                                )
                                .ok()
                            }),
                            c[2].trim().to_string(),
                        ),
                        None => (None, note.trim_matches('_').trim().to_string()),
                    };
                    record.changes.push(RecordChange {
                        text: captures[1].trim().replace("''", "\""),
                        link: Some(captures[2].to_string()).filter(|l| !l.is_empty()),
                        at,
                        kind,
                    });
                }
            }
            Section::Related => {
                if let Some(captures) = LIST_LINK.captures(line) {
                    let note = captures[3].trim().trim_matches('_').trim();
                    let context = note
                        .strip_prefix("Context:")
                        .map(|c| {
                            c.split(',')
                                .map(|p| p.trim().to_string())
                                .filter(|p| !p.is_empty())
                                .collect()
                        })
                        .unwrap_or_default();
                    let link = captures[2].to_string();
                    let date = LINK_DATE.captures(&link).and_then(|d| {
                        NaiveDate::from_ymd_opt(
                            d[1].parse().ok()?,
                            d[2].parse().ok()?,
                            d[3].parse().ok()?,
                        )
                    });
                    record.related.push(RecordLink {
                        text: captures[1].trim().to_string(),
                        link: Some(link).filter(|l| !l.is_empty()),
                        date,
                        context,
                    });
                }
            }
            _ => {}
        }
    }
    if record.summary.is_empty() {
        return None;
    }
    let lead = lead.join(" ");
    record.lead = (!lead.trim().is_empty()).then(|| lead.trim().to_string());
    Some(record)
}

/// `[HTML](a)  [JSON](b)` as (name, link) pairs.
fn markdown_links(text: &str) -> Vec<(String, String)> {
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\(([^)\s]*)\)").expect("valid regex"));
    LINK.captures_iter(text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "Formats: [HTML](/news/2025/05/06/ferry.html)  [JSON](/news/2025/05/06/ferry.json)\n\n\
        ### [2025-05-06](/news/2025/05/06/index.md)\n\n\
        ##### Island ferry dispute\n\
        # The Northern Isles ferry operator suspends crossings after crews walk out over rosters.\n\n\
        The dispute began in March.\n\n\n\
        ### Sources:\n\n\
        1. [The Harbor Ledger](https://harborledger.example/2025/05/06/ferry)\n\
        2. [Island Examiner](https://islandexaminer.example/ferry-walkout)\n\
        3. [Cover Image](https://cdn.harborledger.example/ferry.jpg)\n\n\
        ### Changes:\n\n\
        1. [Ferry crossings suspended.](/news/2025/05/06/a.md) _2025-05-06 10:12:40 (First version)_\n\
        2. [The operator suspends crossings.](/news/2025/05/06/b.md) _(Current version)_\n\n\
        ### Related:\n\n\
        1. [Crews vote to strike.](/news/2025/04/2/crews-vote.md) _Context: Island ferry dispute, Kai Roe_\n";

    #[test]
    fn reads_an_event_record() {
        let draft = read(RECORD);
        let record = draft.record.expect("an event record");
        assert_eq!(
            record.date.map(|d| d.to_string()).as_deref(),
            Some("2025-05-06")
        );
        assert_eq!(record.story.as_deref(), Some("Island ferry dispute"));
        assert!(
            record
                .summary
                .starts_with("The Northern Isles ferry operator suspends")
        );
        assert_eq!(record.lead.as_deref(), Some("The dispute began in March."));
        assert_eq!(record.sources.len(), 2);
        assert_eq!(record.sources[1].outlet, "Island Examiner");
        assert_eq!(
            record.image.as_deref(),
            Some("https://cdn.harborledger.example/ferry.jpg")
        );
        assert_eq!(record.changes.len(), 2);
        assert_eq!(record.changes[0].kind, "First version");
        assert_eq!(
            record.changes[0].at.map(|t| t.to_string()).as_deref(),
            Some("2025-05-06 10:12:40")
        );
        assert_eq!(record.changes[1].at, None);
        assert_eq!(
            record.related[0].context,
            ["Island ferry dispute", "Kai Roe"]
        );
        assert_eq!(
            record.related[0].date.map(|d| d.to_string()).as_deref(),
            Some("2025-04-02")
        );
        assert_eq!(record.formats.len(), 2);
        assert_eq!(
            draft.published.map(|d| d.to_string()).as_deref(),
            Some("2025-05-06T10:12:40")
        );
    }

    #[test]
    fn front_matter_and_body() {
        let draft = read(
            "---\ntitle: \"Ferry talks resume\"\ndate: 2025-05-09T08:00:00+01:00\nauthors:\n  - Kai Roe\n  - Ana Lind\noutlet: The Harbor Ledger\n---\n\n\
             # Ferry talks resume\n\n*Both sides return to the table*\n\nTalks resumed on **Friday** with a [mediator](https://x.example).\n\n\
             ## What next\n\n- A vote\n- A deal\n",
        );
        assert_eq!(draft.title.as_deref(), Some("Ferry talks resume"));
        assert_eq!(draft.authors, ["Kai Roe", "Ana Lind"]);
        assert_eq!(draft.outlet.as_deref(), Some("The Harbor Ledger"));
        assert_eq!(
            draft.published.map(|d| d.to_string()).as_deref(),
            Some("2025-05-09T08:00:00+01:00")
        );
        assert_eq!(
            draft.paragraphs,
            [
                "Both sides return to the table",
                "Talks resumed on Friday with a mediator.",
                "What next",
                "A vote",
                "A deal"
            ]
        );
        assert!(draft.record.is_none());
    }
}
