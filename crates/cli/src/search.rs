//! `chronicle search` and `chronicle index`: full-text search over events, articles
//! and quotes, and the index it reads (kept up to date by every ingest).

use crate::output::{Format, escape_markdown};
use anyhow::{Context, Result};
use chronicle_search::{Kind, SearchIndex, SearchQuery};
use chronicle_store::Store;
use clap::Args;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "exact phrases", -excluded words, title:word; empty with filters only.
    query: String,
    /// Only these kinds: event, article, quote (repeat or separate with commas).
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    kind: Vec<Kind>,
    /// Happened or published on or after this day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<chrono::NaiveDate>,
    /// Happened or published on or before this day (YYYY-MM-DD).
    #[arg(long)]
    until: Option<chrono::NaiveDate>,
    /// Only hits from this outlet (its name as stored).
    #[arg(long)]
    outlet: Option<String>,
    /// Only events of this category.
    #[arg(long, value_parser = parse_category)]
    category: Option<String>,
    /// Only events of this story (its id).
    #[arg(long)]
    story: Option<u64>,
    /// Only hits mentioning this entity (its id, as `chronicle entities` lists).
    #[arg(long)]
    entity: Option<u64>,
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| format!("unknown kind {text:?}: event, article or quote"))
}

fn parse_category(text: &str) -> Result<String, String> {
    chronicle_cluster::Category::stored_name(text)
        .map(str::to_string)
        .ok_or_else(|| format!("unknown category {text:?}"))
}

pub fn search(data: &Path, args: SearchArgs) -> Result<ExitCode> {
    // Reading the store first gives the clear "no store here" error.
    drop(Store::open_read_only(data)?);
    let index = SearchIndex::open(data)?;
    anyhow::ensure!((1..=500).contains(&args.limit), "--limit must be 1 to 500");
    let found = index.search(&SearchQuery {
        text: args.query.clone(),
        kinds: args.kind.clone(),
        since: args.since,
        until: args.until,
        outlet: args.outlet.clone(),
        category: args.category.clone(),
        story: args.story,
        entity: args.entity,
        limit: args.limit,
        offset: args.offset,
    })?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &found)?;
            writeln!(out)?;
        }
        Format::Text => {
            let counts: Vec<String> = found
                .by_kind
                .iter()
                .map(|(kind, n)| format!("{n} {}s", kind.name()))
                .collect();
            writeln!(out, "{} hits ({})", found.total, counts.join(", "))?;
            for hit in &found.hits {
                writeln!(
                    out,
                    "\n{:<7} {:>6}  {}  {}",
                    hit.kind.name(),
                    hit.id,
                    hit.date.as_deref().unwrap_or("----------"),
                    hit.title
                )?;
                writeln!(out, "        {}", hit.snippet.replace('\n', " "))?;
            }
        }
        Format::Md => {
            writeln!(out, "# Search: {}\n", escape_markdown(&args.query))?;
            writeln!(out, "{} hits\n", found.total)?;
            for hit in &found.hits {
                let link = match hit.kind {
                    Kind::Event => format!("/events/{}.md", hit.id),
                    Kind::Article | Kind::Quote => match hit.event {
                        Some(event) => format!("/events/{event}.md"),
                        None => String::new(),
                    },
                };
                writeln!(
                    out,
                    "- **{}** [{}]({link}) ({}): {}",
                    hit.kind.name(),
                    escape_markdown(&hit.title),
                    hit.date.as_deref().unwrap_or("undated"),
                    escape_markdown(&hit.snippet.replace('\n', " "))
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Index everything again from the store instead of catching up.
    #[arg(long)]
    rebuild: bool,
}

pub fn index(data: &Path, args: IndexArgs) -> Result<ExitCode> {
    let store = Store::open(data)?;
    if args.rebuild {
        SearchIndex::remove(data)?;
    }
    let started = std::time::Instant::now();
    let stats = chronicle_pipeline::sync_search(&store)
        .with_context(|| format!("indexing {}", data.display()))?;
    let documents = SearchIndex::open(data)?.documents();
    println!(
        "chronicle: search index of {} up to date in {:.1} s: {} articles, {} events, {} quotes added; {} merged events removed; {documents} documents in all",
        data.display(),
        started.elapsed().as_secs_f64(),
        stats.articles,
        stats.events,
        stats.quotes,
        stats.removed
    );
    Ok(ExitCode::SUCCESS)
}
