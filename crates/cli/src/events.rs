//! `chronicle events` and `chronicle event`.

use crate::entities::resolve_entity;
use crate::output::escape_markdown;
use anyhow::{Context, Result, bail};
use chronicle_store::{EventDetail, EventEntity, EventFilter, RelatedEvent, Store, StoredQuote};
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Output formats of event commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EventFormat {
    Text,
    Json,
    Md,
    Xml,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only events of this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    date: Option<String>,
    /// Only events on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    since: Option<String>,
    /// Only events whose articles mention this entity (a name, alias or id).
    #[arg(long)]
    entity: Option<String>,
    /// Only events of this story (its id, as `chronicle stories` lists).
    #[arg(long)]
    story: Option<u64>,
    /// Only events of this category (for example "law and crime").
    #[arg(long, value_parser = parse_category)]
    category: Option<String>,
    /// At most this many, latest event date first.
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    format: EventFormat,
}

fn parse_day(text: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| format!("{text:?} is not a day as YYYY-MM-DD"))
}

fn parse_category(text: &str) -> Result<String, String> {
    chronicle_cluster::Category::parse(text)
        .map(|c| c.name().to_string())
        .ok_or_else(|| {
            let names: Vec<&str> = chronicle_cluster::Category::ALL
                .iter()
                .map(|c| c.name())
                .collect();
            format!(
                "unknown category {text:?}: choose one of {}",
                names.join(", ")
            )
        })
}

pub fn list(data: &Path, args: EventsArgs) -> Result<ExitCode> {
    let snapshot = Store::open_read_only(data)?;
    let read = snapshot.read();
    let entity = match &args.entity {
        Some(name) => Some(resolve_entity(&read, name, data)?.0),
        None => None,
    };
    let events = read.events(&EventFilter {
        date: args.date.clone(),
        since: args.since.clone(),
        category: args.category.clone(),
        entity,
        story: args.story,
        limit: args.limit,
    })?;
    let mut out = std::io::stdout().lock();
    match args.format {
        EventFormat::Json => write_json(&mut out, &events)?,
        EventFormat::Text => {
            for event in &events {
                writeln!(
                    out,
                    "{:>6}  {}  {:>3} sources  {:<26}  {}",
                    event.id,
                    event.date.as_deref().unwrap_or("????-??-??"),
                    event.sources,
                    event.category.as_deref().unwrap_or("-"),
                    event.headline.as_deref().unwrap_or("")
                )?;
            }
        }
        EventFormat::Md => {
            let mut day: Option<&str> = None;
            for event in &events {
                let date = event.date.as_deref().unwrap_or("undated");
                if day != Some(date) {
                    writeln!(out, "\n## {date}\n")?;
                    day = Some(date);
                }
                writeln!(
                    out,
                    "- {} ({}; {} sources; event {})",
                    escape_markdown(event.headline.as_deref().unwrap_or("")),
                    event.category.as_deref().unwrap_or("uncategorised"),
                    event.sources,
                    event.id
                )?;
            }
        }
        EventFormat::Xml => {
            writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<events>")?;
            for event in &events {
                writeln!(
                    out,
                    "  <event id=\"{}\"{}{} sources=\"{}\"><headline>{}</headline></event>",
                    event.id,
                    attribute("date", event.date.as_deref()),
                    attribute("category", event.category.as_deref()),
                    event.sources,
                    xml_escape(event.headline.as_deref().unwrap_or(""))
                )?;
            }
            writeln!(out, "</events>")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct EventArgs {
    /// The event id (a merged event's id leads to the event it became).
    id: String,
    /// Show why each article joined: its score, shared terms and names, days apart.
    #[arg(long)]
    why: bool,
    /// Show every change: creation, new sources, merges, date and headline changes.
    #[arg(long)]
    history: bool,
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    format: EventFormat,
}

/// One numbered source, copies collapsed into their primary.
#[derive(Debug, Serialize)]
struct Source<'a> {
    number: usize,
    article: u64,
    outlet: Option<&'a str>,
    title: Option<&'a str>,
    url: Option<&'a str>,
    image: Option<&'a str>,
    published: Option<&'a str>,
    /// Copies of this article (syndicated or cross-posted) in the event.
    copies: usize,
    /// The article ids of those copies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    copy_articles: Vec<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<&'a serde_json::Value>,
}

/// A summary sentence with the numbers of the sources that say it.
#[derive(Debug, Serialize)]
struct Cited<'a> {
    text: &'a str,
    sources: Vec<usize>,
}

/// The event record as the JSON format shows it.
#[derive(Debug, Serialize)]
struct Record<'a> {
    id: u64,
    /// When it happened (YYYY-MM-DD).
    date: Option<&'a str>,
    date_source: Option<&'a str>,
    headline: Option<&'a str>,
    category: Option<&'a str>,
    /// A few sentences, each citing the numbered sources that say it.
    summary: Vec<Cited<'a>>,
    story: Option<u64>,
    story_name: Option<&'a str>,
    created: &'a str,
    updated: &'a str,
    sources: Vec<Source<'a>>,
    entities: &'a [EventEntity],
    quotes: &'a [StoredQuote],
    /// Ids merged into this event.
    merged: &'a [u64],
    /// Related events with what relates them.
    related: &'a [RelatedEvent],
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<&'a [chronicle_store::EventChange]>,
}

fn numbered<'a>(detail: &'a EventDetail, why: bool) -> Vec<Source<'a>> {
    let mut sources: Vec<Source<'a>> = Vec::new();
    for source in detail.sources.iter().filter(|s| s.copy_of.is_none()) {
        sources.push(Source {
            number: sources.len() + 1,
            article: source.article,
            outlet: source.outlet.as_deref(),
            title: source.title.as_deref(),
            url: source.url.as_deref(),
            image: source.image.as_deref(),
            published: source.published.as_deref(),
            copies: detail
                .sources
                .iter()
                .filter(|s| s.copy_of == Some(source.article))
                .count(),
            copy_articles: detail
                .sources
                .iter()
                .filter(|s| s.copy_of == Some(source.article))
                .map(|s| s.article)
                .collect(),
            why: why.then_some(&source.why),
        });
    }
    // Copies whose primary is in another event are sources in their own right.
    for source in detail.sources.iter().filter(|s| {
        s.copy_of
            .is_some_and(|p| !detail.sources.iter().any(|o| o.article == p))
    }) {
        sources.push(Source {
            number: sources.len() + 1,
            article: source.article,
            outlet: source.outlet.as_deref(),
            title: source.title.as_deref(),
            url: source.url.as_deref(),
            image: source.image.as_deref(),
            published: source.published.as_deref(),
            copies: 0,
            copy_articles: Vec::new(),
            why: why.then_some(&source.why),
        });
    }
    sources
}

pub fn show(data: &Path, args: EventArgs) -> Result<ExitCode> {
    let id: u64 = args.id.trim().parse().with_context(|| {
        format!(
            "{:?} is not an event id (a number, as `chronicle events` lists)",
            args.id
        )
    })?;
    let snapshot = Store::open_read_only(data)?;
    let read = snapshot.read();
    let Some(detail) = read.event(id)? else {
        bail!("no event {id} in {}", data.display());
    };
    let entities = read.event_entities(detail.summary.id, 30)?;
    let quotes = read.quotes(None, Some(detail.summary.id), Some(20))?;
    let related = read.related_events(detail.summary.id, 8)?;
    let sources = numbered(&detail, args.why);
    let record = Record {
        id: detail.summary.id,
        date: detail.summary.date.as_deref(),
        date_source: detail.date_source.as_deref(),
        headline: detail.summary.headline.as_deref(),
        category: detail.summary.category.as_deref(),
        summary: detail
            .summary_sentences
            .iter()
            .map(|sentence| Cited {
                text: &sentence.text,
                sources: sources
                    .iter()
                    .filter(|s| {
                        sentence.articles.contains(&s.article)
                            || s.copy_articles
                                .iter()
                                .any(|c| sentence.articles.contains(c))
                    })
                    .map(|s| s.number)
                    .collect(),
            })
            .collect(),
        story: detail.summary.story,
        story_name: detail.summary.story_name.as_deref(),
        created: &detail.created,
        updated: &detail.summary.updated,
        sources,
        entities: &entities,
        quotes: &quotes,
        merged: &detail.merged,
        related: &related,
        history: args.history.then_some(detail.history.as_slice()),
    };
    let mut out = std::io::stdout().lock();
    if id != record.id {
        eprintln!("event {id} was merged into event {}", record.id);
    }
    match args.format {
        EventFormat::Json => write_json(&mut out, &record)?,
        EventFormat::Text => write_text(&mut out, &record)?,
        EventFormat::Md => write_markdown(&mut out, &record)?,
        EventFormat::Xml => write_xml(&mut out, &record)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn write_text(out: &mut impl Write, record: &Record<'_>) -> Result<()> {
    writeln!(
        out,
        "Event {}  {}  {}",
        record.id,
        record.date.unwrap_or("undated"),
        record.category.unwrap_or("uncategorised")
    )?;
    writeln!(out, "{}", record.headline.unwrap_or(""))?;
    if let Some(source) = record.date_source {
        writeln!(out, "date: {source}")?;
    }
    if let Some(story) = record.story {
        writeln!(
            out,
            "story {story}: {}",
            record.story_name.unwrap_or("unnamed")
        )?;
    }
    if record.summary.len() > 1 {
        writeln!(out, "\nSummary:")?;
        for sentence in &record.summary {
            writeln!(out, "  {}{}", sentence.text, citations(&sentence.sources))?;
        }
    }
    writeln!(out, "\nSources:")?;
    for source in &record.sources {
        let copies = match source.copies {
            0 => String::new(),
            1 => " (+1 copy)".to_string(),
            n => format!(" (+{n} copies)"),
        };
        writeln!(
            out,
            "  {}. {} — {}{}\n     {}{}",
            source.number,
            source.outlet.unwrap_or("unknown outlet"),
            source.title.unwrap_or("untitled"),
            copies,
            source.url.unwrap_or(""),
            source
                .published
                .map(|p| format!("  ({p})"))
                .unwrap_or_default()
        )?;
        if let Some(why) = source.why {
            writeln!(out, "     why: {}", explain(why))?;
        }
    }
    if !record.entities.is_empty() {
        writeln!(out, "\nEntities:")?;
        for entity in record.entities.iter().take(15) {
            let roles = if entity.roles.is_empty() {
                String::new()
            } else {
                format!(" — {}", entity.roles.join("; "))
            };
            writeln!(
                out,
                "  {} ({}, {} articles){}",
                entity.name, entity.kind, entity.articles, roles
            )?;
        }
    }
    if !record.quotes.is_empty() {
        writeln!(out, "\nQuotes:")?;
        for quote in record.quotes {
            writeln!(
                out,
                "  \u{201c}{}\u{201d} — {}",
                quote.text,
                quote.speaker_name.as_deref().unwrap_or("unknown speaker")
            )?;
        }
    }
    if !record.related.is_empty() {
        writeln!(out, "\nRelated events:")?;
        for related in record.related {
            writeln!(
                out,
                "  {:>6}  {}  {}\n          Context: {}",
                related.event.id,
                related.event.date.as_deref().unwrap_or("undated"),
                related.event.headline.as_deref().unwrap_or(""),
                context(related)
            )?;
        }
    }
    if !record.merged.is_empty() {
        let ids: Vec<String> = record.merged.iter().map(u64::to_string).collect();
        writeln!(out, "\nMerged from events: {}", ids.join(", "))?;
    }
    if let Some(history) = record.history {
        writeln!(out, "\nHistory:")?;
        for change in history {
            writeln!(
                out,
                "  {}  {:<12}  {}",
                change.at, change.kind, change.detail
            )?;
        }
    }
    Ok(())
}

/// Source numbers as citation marks (" [1][3]").
fn citations(numbers: &[usize]) -> String {
    if numbers.is_empty() {
        return String::new();
    }
    let marks: String = numbers.iter().map(|n| format!("[{n}]")).collect();
    format!(" {marks}")
}

/// A value as pretty JSON and a newline.
fn write_json(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// What relates two events, in words ("Sergey Kislyak, Donald Trump; same story").
fn context(related: &RelatedEvent) -> String {
    let mut parts = Vec::new();
    if !related.shared.is_empty() {
        parts.push(related.shared.join(", "));
    }
    if related.same_story {
        parts.push(format!(
            "same story{}",
            related
                .event
                .story_name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ));
    }
    parts.join("; ")
}

/// A one-line reading of a join's explanation.
fn explain(why: &serde_json::Value) -> String {
    if let Some(primary) = why.get("copy_of") {
        return format!("a copy of article {primary}");
    }
    let number = |key: &str| why.get(key).and_then(serde_json::Value::as_f64);
    let list = |key: &str| {
        why.get(key)
            .and_then(serde_json::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let mut parts = vec![format!("score {:.2}", number("score").unwrap_or(0.0))];
    if let (Some(text), Some(names)) = (number("text_similarity"), number("name_similarity")) {
        parts.push(format!("text {text:.2}, names {names:.2}"));
    }
    let names = list("shared_names");
    if !names.is_empty() {
        parts.push(format!("shared names: {names}"));
    }
    let terms = list("shared_terms");
    if !terms.is_empty() {
        parts.push(format!("shared terms: {terms}"));
    }
    if let Some(days) = number("days_apart") {
        parts.push(format!("{days:.1} days apart"));
    }
    if let Some(candidates) = why.get("candidates").and_then(serde_json::Value::as_u64) {
        parts.push(format!("{candidates} candidate events"));
    }
    parts.join("; ")
}

fn write_markdown(out: &mut impl Write, record: &Record<'_>) -> Result<()> {
    writeln!(
        out,
        "# {}\n",
        escape_markdown(record.headline.unwrap_or("Untitled event"))
    )?;
    writeln!(out, "- **Date:** {}", record.date.unwrap_or("unknown"))?;
    writeln!(
        out,
        "- **Category:** {}",
        record.category.unwrap_or("uncategorised")
    )?;
    if let Some(story) = record.story_name {
        writeln!(out, "- **Story:** {}", escape_markdown(story))?;
    }
    writeln!(out, "- **Event:** {}\n", record.id)?;
    if record.summary.len() > 1 {
        let text: Vec<String> = record
            .summary
            .iter()
            .map(|s| format!("{}{}", escape_markdown(s.text), citations(&s.sources)))
            .collect();
        writeln!(out, "{}\n", text.join(" "))?;
    }
    writeln!(out, "## Sources\n")?;
    for source in &record.sources {
        let title = escape_markdown(source.title.unwrap_or("untitled"));
        let linked = match source.url {
            Some(url) => format!("[{title}](<{url}>)"),
            None => title,
        };
        writeln!(
            out,
            "{}. {} — {}{}",
            source.number,
            escape_markdown(source.outlet.unwrap_or("unknown outlet")),
            linked,
            if source.copies > 0 {
                format!(" (+{} copies)", source.copies)
            } else {
                String::new()
            }
        )?;
    }
    if !record.entities.is_empty() {
        writeln!(out, "\n## Entities\n")?;
        for entity in record.entities.iter().take(15) {
            writeln!(
                out,
                "- {} ({}){}",
                escape_markdown(&entity.name),
                entity.kind,
                if entity.roles.is_empty() {
                    String::new()
                } else {
                    format!(": {}", escape_markdown(&entity.roles.join("; ")))
                }
            )?;
        }
    }
    if !record.quotes.is_empty() {
        writeln!(out, "\n## Quotes\n")?;
        for quote in record.quotes {
            writeln!(
                out,
                "> {}\n>\n> — {}\n",
                escape_markdown(&quote.text),
                escape_markdown(quote.speaker_name.as_deref().unwrap_or("unknown speaker"))
            )?;
        }
    }
    if !record.related.is_empty() {
        writeln!(out, "\n## Related events\n")?;
        for related in record.related {
            writeln!(
                out,
                "- {} — {} (event {})\n  Context: {}",
                related.event.date.as_deref().unwrap_or("undated"),
                escape_markdown(related.event.headline.as_deref().unwrap_or("")),
                related.event.id,
                escape_markdown(&context(related))
            )?;
        }
    }
    if let Some(history) = record.history {
        writeln!(out, "\n## Changes\n")?;
        for change in history {
            writeln!(out, "- {} — {}", change.at, escape_markdown(&change.kind))?;
        }
    }
    Ok(())
}

fn write_xml(out: &mut impl Write, record: &Record<'_>) -> Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<event id=\"{}\"{}{}{}>",
        record.id,
        attribute("date", record.date),
        attribute("category", record.category),
        attribute("story", record.story_name)
    )?;
    writeln!(
        out,
        "  <headline>{}</headline>",
        xml_escape(record.headline.unwrap_or(""))
    )?;
    writeln!(out, "  <summary>")?;
    for sentence in &record.summary {
        let cited: Vec<String> = sentence.sources.iter().map(usize::to_string).collect();
        writeln!(
            out,
            "    <sentence sources=\"{}\">{}</sentence>",
            cited.join(" "),
            xml_escape(sentence.text)
        )?;
    }
    writeln!(out, "  </summary>\n  <sources>")?;
    for source in &record.sources {
        writeln!(
            out,
            "    <source number=\"{}\" article=\"{}\"{}{}{} copies=\"{}\">{}</source>",
            source.number,
            source.article,
            attribute("outlet", source.outlet),
            attribute("url", source.url),
            attribute("published", source.published),
            source.copies,
            xml_escape(source.title.unwrap_or(""))
        )?;
    }
    writeln!(out, "  </sources>\n  <entities>")?;
    for entity in record.entities {
        writeln!(
            out,
            "    <entity id=\"{}\" type=\"{}\" articles=\"{}\">{}</entity>",
            entity.id,
            xml_escape(&entity.kind),
            entity.articles,
            xml_escape(&entity.name)
        )?;
    }
    writeln!(out, "  </entities>\n  <quotes>")?;
    for quote in record.quotes {
        writeln!(
            out,
            "    <quote{}>{}</quote>",
            attribute("speaker", quote.speaker_name.as_deref()),
            xml_escape(&quote.text)
        )?;
    }
    writeln!(out, "  </quotes>\n  <related>")?;
    for related in record.related {
        writeln!(
            out,
            "    <event id=\"{}\"{} same-story=\"{}\"><headline>{}</headline><context>{}</context></event>",
            related.event.id,
            attribute("date", related.event.date.as_deref()),
            related.same_story,
            xml_escape(related.event.headline.as_deref().unwrap_or("")),
            xml_escape(&context(related))
        )?;
    }
    writeln!(out, "  </related>")?;
    if let Some(history) = record.history {
        writeln!(out, "  <history>")?;
        for change in history {
            writeln!(
                out,
                "    <change at=\"{}\" kind=\"{}\">{}</change>",
                xml_escape(&change.at),
                xml_escape(&change.kind),
                xml_escape(&change.detail.to_string())
            )?;
        }
        writeln!(out, "  </history>")?;
    }
    writeln!(out, "</event>")?;
    Ok(())
}

/// ` name="value"` escaped, or nothing.
fn attribute(name: &str, value: Option<&str>) -> String {
    value.map_or_else(String::new, |v| format!(" {name}=\"{}\"", xml_escape(v)))
}

/// Text escaped for XML content and attributes; characters XML 1.0 forbids are dropped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// At most this many, latest first.
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    format: EventFormat,
}

pub fn stories(data: &Path, args: StoriesArgs) -> Result<ExitCode> {
    let snapshot = Store::open_read_only(data)?;
    let stories = snapshot.read().stories(args.limit)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        EventFormat::Json => write_json(&mut out, &stories)?,
        EventFormat::Text => {
            for story in &stories {
                writeln!(
                    out,
                    "{:>6}  {} – {}  {:>3} events  {}",
                    story.id,
                    story.first.as_deref().unwrap_or("????-??-??"),
                    story.last.as_deref().unwrap_or("????-??-??"),
                    story.events,
                    story.name.as_deref().unwrap_or("")
                )?;
            }
        }
        EventFormat::Md => {
            for story in &stories {
                writeln!(
                    out,
                    "- {} ({} events, {} to {}; story {})",
                    escape_markdown(story.name.as_deref().unwrap_or("Unnamed story")),
                    story.events,
                    story.first.as_deref().unwrap_or("?"),
                    story.last.as_deref().unwrap_or("?"),
                    story.id
                )?;
            }
        }
        EventFormat::Xml => {
            writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<stories>")?;
            for story in &stories {
                writeln!(
                    out,
                    "  <story id=\"{}\" events=\"{}\"{}{}>{}</story>",
                    story.id,
                    story.events,
                    attribute("first", story.first.as_deref()),
                    attribute("last", story.last.as_deref()),
                    xml_escape(story.name.as_deref().unwrap_or(""))
                )?;
            }
            writeln!(out, "</stories>")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct StoryArgs {
    /// The story id (as `chronicle stories` lists).
    id: u64,
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    format: EventFormat,
}

pub fn story(data: &Path, args: StoryArgs) -> Result<ExitCode> {
    let snapshot = Store::open_read_only(data)?;
    let Some(story) = snapshot.read().story(args.id)? else {
        bail!("no story {} in {}", args.id, data.display());
    };
    let title = story
        .summary
        .name
        .clone()
        .unwrap_or_else(|| format!("Story {}", story.summary.id));
    write_timeline(&title, &story, &story.timeline, &[], args.format)
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// An entity (name, alias or id), or a story as `story:ID`.
    target: String,
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    format: EventFormat,
}

/// An entity's timeline: its events, roles and quotes by date.
#[derive(Debug, Serialize)]
struct EntityTimeline<'a> {
    entity: &'a str,
    kind: &'a str,
    events: &'a [chronicle_store::EventSummary],
    roles: &'a [chronicle_store::StoredRole],
    quotes: &'a [StoredQuote],
}

pub fn timeline(data: &Path, args: TimelineArgs) -> Result<ExitCode> {
    let snapshot = Store::open_read_only(data)?;
    let read = snapshot.read();
    if let Some(id) = args.target.trim().strip_prefix("story:") {
        let id: u64 = id
            .trim()
            .parse()
            .with_context(|| format!("{:?} is not a story id", args.target))?;
        return story(
            data,
            StoryArgs {
                id,
                format: args.format,
            },
        );
    }
    let id = resolve_entity(&read, &args.target, data)?;
    let Some(entity) = read.entity(id)? else {
        bail!("no entity {} in {}", id.0, data.display());
    };
    let mut events = read.events(&EventFilter {
        entity: Some(id.0),
        ..EventFilter::default()
    })?;
    events.reverse();
    let mut roles = entity.roles.clone();
    roles.sort_by(|a, b| a.date.cmp(&b.date));
    let timeline = EntityTimeline {
        entity: &entity.summary.name,
        kind: entity.summary.kind.name(),
        events: &events,
        roles: &roles,
        quotes: &entity.quotes,
    };
    write_timeline(
        &entity.summary.name,
        &timeline,
        &events,
        &roles,
        args.format,
    )
}

/// A titled list of events by date (with an entity's dated roles interleaved).
fn write_timeline(
    title: &str,
    whole: &impl Serialize,
    events: &[chronicle_store::EventSummary],
    roles: &[chronicle_store::StoredRole],
    format: EventFormat,
) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match format {
        EventFormat::Json => write_json(&mut out, whole)?,
        EventFormat::Text => {
            writeln!(out, "{title}")?;
            for event in events {
                writeln!(
                    out,
                    "  {}  {}  (event {}, {} sources)",
                    event.date.as_deref().unwrap_or("undated   "),
                    event.headline.as_deref().unwrap_or(""),
                    event.id,
                    event.sources
                )?;
            }
            if !roles.is_empty() {
                writeln!(out, "Roles:")?;
                for role in roles {
                    writeln!(
                        out,
                        "  {}  {} (article {})",
                        role.date.as_deref().unwrap_or("undated   "),
                        role.role,
                        role.article
                    )?;
                }
            }
        }
        EventFormat::Md => {
            writeln!(out, "# {}\n", escape_markdown(title))?;
            for event in events {
                writeln!(
                    out,
                    "- **{}** — {} (event {})",
                    event.date.as_deref().unwrap_or("undated"),
                    escape_markdown(event.headline.as_deref().unwrap_or("")),
                    event.id
                )?;
            }
            if !roles.is_empty() {
                writeln!(out, "\n## Roles\n")?;
                for role in roles {
                    writeln!(
                        out,
                        "- {} — {}",
                        role.date.as_deref().unwrap_or("undated"),
                        escape_markdown(&role.role)
                    )?;
                }
            }
        }
        EventFormat::Xml => {
            writeln!(
                out,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<timeline{}>",
                attribute("title", Some(title))
            )?;
            for event in events {
                writeln!(
                    out,
                    "  <event id=\"{}\"{}>{}</event>",
                    event.id,
                    attribute("date", event.date.as_deref()),
                    xml_escape(event.headline.as_deref().unwrap_or(""))
                )?;
            }
            for role in roles {
                writeln!(
                    out,
                    "  <role{} article=\"{}\">{}</role>",
                    attribute("date", role.date.as_deref()),
                    role.article,
                    xml_escape(&role.role)
                )?;
            }
            writeln!(out, "</timeline>")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
