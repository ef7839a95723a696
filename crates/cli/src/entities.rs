//! `chronicle entities`, `entity`, `quotes` and `copies`.

use crate::output::{Format, escape_markdown};
use anyhow::{Context, Result};
use chronicle_annotate::EntityKind;
use chronicle_model::ArticleId;
use chronicle_publish::{EntityPage, entity_markdown, entity_text};
use chronicle_store::{Store, StoredQuote};
use clap::Args;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Only entities of this type: person, organisation, place, other.
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_kind)]
    kind: Option<EntityKind>,
    /// At most this many, most mentioned first.
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn parse_kind(text: &str) -> Result<EntityKind, String> {
    EntityKind::parse(text).ok_or_else(|| {
        format!("unknown type {text:?}: choose person, organisation, place or other")
    })
}

pub fn list(data: &Path, args: EntitiesArgs) -> Result<ExitCode> {
    let snapshot = Store::open_read_only(data)?;
    let entities = snapshot.read().entities(args.kind, args.limit)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &entities)?;
            writeln!(out)?;
        }
        Format::Text => {
            for entity in &entities {
                writeln!(
                    out,
                    "{:>6}  {:<12}  {:>4} articles  {:>5} mentions  {}",
                    entity.id.0,
                    entity.kind.name(),
                    entity.articles,
                    entity.mentions,
                    entity.name
                )?;
            }
        }
        Format::Md => {
            writeln!(
                out,
                "| entity | type | articles | mentions |\n|---|---|---|---|"
            )?;
            for entity in &entities {
                writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    escape_markdown(&entity.name),
                    entity.kind.name(),
                    entity.articles,
                    entity.mentions
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The entity a command-line name or id stands for; an error when none, or when the
/// name is shared by several equally known entities.
pub fn resolve_entity(
    read: &chronicle_store::Reader<'_>,
    name: &str,
    data: &Path,
) -> Result<chronicle_annotate::corpus::EntityId> {
    Ok(match name.trim().parse::<u64>() {
        Ok(id) => chronicle_annotate::corpus::EntityId(id),
        Err(_) => {
            let mut found = read.find_entities(name)?;
            if found.is_empty() {
                // "Dr Helen Costigan" is stored as "Helen Costigan".
                let untitled = chronicle_annotate::lexicon::Lexicon::get().strip_title(name);
                if untitled != name.trim() {
                    found = read.find_entities(untitled)?;
                }
            }
            let Some(first) = found.first() else {
                anyhow::bail!("no entity named {:?} in {}", name, data.display());
            };
            if found.len() > 1 && found[1].articles == first.articles && found[1].name != first.name
            {
                let names: Vec<String> = found
                    .iter()
                    .take(8)
                    .map(|e| format!("{} ({}, id {})", e.name, e.kind.name(), e.id.0))
                    .collect();
                anyhow::bail!(
                    "{:?} names several entities: {}; give an id",
                    name,
                    names.join(", ")
                );
            }
            first.id
        }
    })
}

#[derive(Debug, Args)]
pub struct EntityArgs {
    /// A name or alias (case-insensitive), or an entity id.
    name: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn show(data: &Path, args: EntityArgs) -> Result<ExitCode> {
    let snapshot = Store::open_read_only(data)?;
    let read = snapshot.read();
    let id = resolve_entity(&read, &args.name, data)?;
    let Some(page) = EntityPage::load(&read, id.0)? else {
        anyhow::bail!("no entity {} in {}", id.0, data.display());
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &page)?;
            writeln!(out)?;
        }
        Format::Text => write!(out, "{}", entity_text(&page))?,
        Format::Md => write!(out, "{}", entity_markdown(&page))?,
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct QuotesArgs {
    /// Only quotes of this speaker (a name, alias or entity id).
    #[arg(long)]
    speaker: Option<String>,
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn quotes(data: &Path, args: QuotesArgs) -> Result<ExitCode> {
    let snapshot = Store::open_read_only(data)?;
    let read = snapshot.read();
    let speaker = match &args.speaker {
        None => None,
        Some(name) => match name.trim().parse::<u64>() {
            Ok(id) => Some(chronicle_annotate::corpus::EntityId(id)),
            Err(_) => Some(
                read.find_entities(name)?
                    .into_iter()
                    .find(|e| e.kind == EntityKind::Person)
                    .map(|e| e.id)
                    .with_context(|| format!("no person named {name:?} in {}", data.display()))?,
            ),
        },
    };
    let quotes = read.quotes(speaker, None, args.limit)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &quotes)?;
            writeln!(out)?;
        }
        Format::Text => {
            for quote in &quotes {
                write!(out, "{}", quote_text(quote))?;
            }
        }
        Format::Md => {
            for quote in &quotes {
                writeln!(out, "> {}\n", escape_markdown(&quote.text))?;
                writeln!(
                    out,
                    "— {}\n",
                    escape_markdown(quote.speaker_name.as_deref().unwrap_or("unknown speaker"))
                )?;
                for citation in &quote.citations {
                    writeln!(
                        out,
                        "- article {} ({}) <{}>",
                        citation.article,
                        escape_markdown(citation.outlet.as_deref().unwrap_or("outlet unknown")),
                        citation.url.as_deref().unwrap_or("-")
                    )?;
                }
                writeln!(out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn quote_text(quote: &StoredQuote) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "“{}”", quote.text);
    let said_on = quote.citations.iter().find_map(|c| c.said_on.clone());
    let _ = writeln!(
        out,
        "  — {}{}",
        quote.speaker_name.as_deref().unwrap_or("unknown speaker"),
        said_on.map(|d| format!(", said {d}")).unwrap_or_default()
    );
    for citation in &quote.citations {
        let _ = writeln!(
            out,
            "    article {} · {} · {}",
            citation.article,
            citation.outlet.as_deref().unwrap_or("outlet unknown"),
            citation.url.as_deref().unwrap_or("-")
        );
    }
    out
}

#[derive(Debug, Args)]
pub struct CopiesArgs {
    /// An article id.
    id: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn copies(data: &Path, args: CopiesArgs) -> Result<ExitCode> {
    let id: ArticleId = args
        .id
        .parse()
        .with_context(|| format!("{:?} is not an article id", args.id))?;
    let snapshot = Store::open_read_only(data)?;
    let read = snapshot.read();
    anyhow::ensure!(
        read.article(id)?.is_some(),
        "no article {id} in {}",
        data.display()
    );
    let copies = read.copies(id)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &copies)?;
            writeln!(out)?;
        }
        Format::Text | Format::Md => {
            if copies.len() <= 1 {
                writeln!(out, "Article {id} has no copies.")?;
            }
            for copy in &copies {
                writeln!(
                    out,
                    "{:>6}  {}  {:<24}  {}{}",
                    copy.article.0,
                    copy.published
                        .as_deref()
                        .map(|p| p.chars().take(10).collect::<String>())
                        .unwrap_or_else(|| "----------".into()),
                    copy.outlet.as_deref().unwrap_or("-"),
                    copy.title.as_deref().unwrap_or("(untitled)"),
                    if copy.primary {
                        "  [primary]".to_string()
                    } else {
                        format!(
                            "  [copy: containment {:.2}]",
                            copy.containment.unwrap_or(0.0)
                        )
                    }
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
