//! `chronicle events` and `chronicle event`.

use crate::entities::resolve_entity;
use crate::output::escape_markdown;
use anyhow::{Context, Result, bail};
use chronicle_publish::{
    EventData, RevisionPage, attribute, revision_markdown, revision_xml, write_events_xml,
    write_json, write_markdown, write_text, write_xml, xml_escape,
};
use chronicle_store::{EventFilter, Store, StoredQuote};
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
    /// Only events on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    until: Option<String>,
    /// Only events with an article from this outlet (its name, case-insensitive).
    #[arg(long)]
    outlet: Option<String>,
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
    /// Skip this many first (with --limit, for pages of results).
    #[arg(long)]
    offset: Option<usize>,
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    format: EventFormat,
}

fn parse_day(text: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| format!("{text:?} is not a day as YYYY-MM-DD"))
}

fn parse_category(text: &str) -> Result<String, String> {
    chronicle_cluster::Category::stored_name(text)
        .map(str::to_string)
        .ok_or_else(|| {
            let names: Vec<&str> = chronicle_cluster::Category::ALL
                .iter()
                .map(|c| c.name())
                .collect();
            format!(
                "unknown category {text:?}: choose one of {}, or {}",
                names.join(", "),
                chronicle_cluster::OTHER
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
        until: args.until.clone(),
        category: args.category.clone(),
        entity,
        story: args.story,
        outlet: args.outlet.clone(),
        limit: args.limit,
        offset: args.offset,
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
        EventFormat::Xml => write_events_xml(&mut out, None, &events)?,
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
    /// Show one past version instead (1 for the first; `--history` numbers them): what
    /// it changed, its headline, date, category and sources then. The event's own id,
    /// merges not followed.
    #[arg(long, value_name = "N", conflicts_with_all = ["why", "history"])]
    revision: Option<usize>,
    #[arg(long, value_enum, default_value_t = EventFormat::Text)]
    format: EventFormat,
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
    if let Some(number) = args.revision {
        let Some(page) = RevisionPage::load(&read, id, number)? else {
            let versions = read.revision_count(id)?;
            bail!(
                "event {id} has no version {number} (it has {versions}) in {}",
                data.display()
            );
        };
        let mut out = std::io::stdout().lock();
        match args.format {
            EventFormat::Json => write_json(&mut out, &page)?,
            // Markdown reads as well in a terminal.
            EventFormat::Text | EventFormat::Md => {
                out.write_all(revision_markdown(&page).as_bytes())?
            }
            EventFormat::Xml => out.write_all(revision_xml(&page).as_bytes())?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(data) = EventData::load(&read, id)? else {
        bail!("no event {id} in {}", data.display());
    };
    let record = data.record(args.why, args.history);
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
