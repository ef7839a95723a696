//! `chronicle articles` and `chronicle article`.

use crate::output::{Format, article_line, article_markdown, article_text};
use anyhow::{Context, Result};
use chronicle_model::ArticleId;
use chronicle_store::{ArticleFilter, Store};
use clap::Args;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ArticlesArgs {
    /// Only articles of this outlet (name or domain, case-insensitive).
    #[arg(long)]
    outlet: Option<String>,
    /// Only articles published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    since: Option<chrono::NaiveDate>,
    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    until: Option<chrono::NaiveDate>,
    /// At most this many articles.
    #[arg(long)]
    limit: Option<usize>,
    /// Skip this many articles first.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn list(data: &Path, args: ArticlesArgs) -> Result<ExitCode> {
    if let (Some(since), Some(until)) = (args.since, args.until) {
        anyhow::ensure!(since <= until, "--since {since} is after --until {until}");
    }
    let snapshot = Store::open_read_only(data)?;
    let articles = snapshot.read().articles(&ArticleFilter {
        outlet: args.outlet,
        since: args.since,
        until: args.until,
        limit: args.limit,
        offset: args.offset,
    })?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let listed: Vec<serde_json::Value> = articles.iter().map(summary_json).collect();
            serde_json::to_writer_pretty(&mut out, &listed)?;
            writeln!(out)?;
        }
        Format::Text => {
            for article in &articles {
                writeln!(out, "{}", article_line(article))?;
            }
        }
        Format::Md => {
            for stored in &articles {
                let article = &stored.article;
                writeln!(
                    out,
                    "- **{}** {} — {} ({})",
                    stored.id,
                    crate::output::escape_markdown(
                        article.title.as_deref().unwrap_or("(untitled)")
                    ),
                    crate::output::escape_markdown(
                        article
                            .outlet
                            .as_deref()
                            .or(article.domain.as_deref())
                            .unwrap_or("-")
                    ),
                    article
                        .published
                        .map(|d| d.date().to_string())
                        .unwrap_or_else(|| "undated".into())
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The fields of an article worth listing, without its text.
fn summary_json(stored: &chronicle_store::StoredArticle) -> serde_json::Value {
    let article = &stored.article;
    serde_json::json!({
        "id": stored.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "domain": article.domain,
        "published": article.published,
        "updated": article.updated,
        "authors": article.authors,
        "language": article.language,
        "words": article.word_count(),
        "event_record": article.record.is_some(),
        "locations": stored.locations,
    })
}

#[derive(Debug, Args)]
pub struct ArticleArgs {
    /// The article's id, as `chronicle articles` lists it.
    id: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// An article id from the command line.
fn article_id(text: &str) -> Result<ArticleId> {
    text.parse().with_context(|| {
        format!("{text:?} is not an article id (a number, as `chronicle articles` lists)")
    })
}

pub fn show(data: &Path, args: ArticleArgs) -> Result<ExitCode> {
    let id = article_id(&args.id)?;
    let snapshot = Store::open_read_only(data)?;
    let Some(stored) = snapshot.read().article(id)? else {
        anyhow::bail!("no article {id} in {}", data.display());
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &stored)?;
            writeln!(out)?;
        }
        Format::Text => write!(out, "{}", article_text(&stored.article, &stored.locations))?,
        Format::Md => write!(
            out,
            "{}",
            article_markdown(&stored.article, &stored.locations)
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct RevisionsArgs {
    /// The article's id, as `chronicle articles` lists it.
    id: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// One version of an article's text and what changed from the version before it.
#[derive(Debug, serde::Serialize)]
struct Version {
    /// 1 for the first text stored; the current text has the highest number.
    revision: u64,
    stored_at: String,
    title: Option<String>,
    current: bool,
    /// Unified diff of paragraphs from the previous version (empty for the first).
    diff: String,
}

/// A unified diff of two texts, paragraph by paragraph.
fn paragraph_diff(old: &str, new: &str) -> String {
    let lines = |text: &str| -> String {
        text.split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .map(|p| p + "\n")
            .collect()
    };
    let (old, new) = (lines(old), lines(new));
    similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(1)
        .header("before", "after")
        .to_string()
}

/// `chronicle revisions ID`: every text an article's URL has had, with what changed.
pub fn revisions(data: &Path, args: RevisionsArgs) -> Result<ExitCode> {
    let id = article_id(&args.id)?;
    let snapshot = Store::open_read_only(data)?;
    let read = snapshot.read();
    let Some(stored) = read.article(id)? else {
        anyhow::bail!("no article {id} in {}", data.display());
    };
    let earlier = read.revisions(id)?;
    let mut texts: Vec<(u64, String, Option<String>, &str)> = earlier
        .iter()
        .map(|r| {
            (
                r.revision,
                r.stored_at.clone(),
                r.title.clone(),
                r.text.as_str(),
            )
        })
        .collect();
    texts.push((
        earlier.len() as u64 + 1,
        stored.stored_at.clone(),
        stored.article.title.clone(),
        stored.article.text.as_str(),
    ));
    let versions: Vec<Version> = texts
        .iter()
        .enumerate()
        .map(|(index, (revision, stored_at, title, text))| Version {
            revision: *revision,
            stored_at: stored_at.clone(),
            title: title.clone(),
            current: index + 1 == texts.len(),
            diff: index
                .checked_sub(1)
                .map(|previous| paragraph_diff(texts[previous].3, text))
                .unwrap_or_default(),
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &versions)?;
            writeln!(out)?;
        }
        Format::Text | Format::Md => {
            let markdown = matches!(args.format, Format::Md);
            for version in &versions {
                let heading = format!(
                    "Revision {}{} — stored {} — {}",
                    version.revision,
                    if version.current { " (current)" } else { "" },
                    version.stored_at,
                    version.title.as_deref().unwrap_or("(untitled)")
                );
                if markdown {
                    writeln!(out, "## {}\n", crate::output::escape_markdown(&heading))?;
                } else {
                    writeln!(out, "{heading}")?;
                }
                if version.revision == 1 {
                    writeln!(out, "  first text stored\n")?;
                } else if version.diff.is_empty() {
                    writeln!(out, "  same text as the revision before\n")?;
                } else if markdown {
                    writeln!(out, "```diff\n{}```\n", version.diff)?;
                } else {
                    writeln!(out, "{}", version.diff)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
