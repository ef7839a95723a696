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

pub fn show(data: &Path, args: ArticleArgs) -> Result<ExitCode> {
    let id: ArticleId = args.id.parse().with_context(|| {
        format!(
            "{:?} is not an article id (a number, as `chronicle articles` lists)",
            args.id
        )
    })?;
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
