//! Rendering of articles for the terminal: plain text, JSON and Markdown.

use chronicle_model::{Article, EventRecord};
use chronicle_store::StoredArticle;
use std::fmt::Write as _;

/// An output format chosen with `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Md,
}

fn metadata_line(article: &Article) -> String {
    let mut parts = Vec::new();
    if let Some(outlet) = &article.outlet {
        parts.push(outlet.clone());
    } else if let Some(domain) = &article.domain {
        parts.push(domain.clone());
    }
    if let Some(published) = article.published {
        parts.push(format!("published {published}"));
    }
    if let Some(updated) = article.updated {
        parts.push(format!("updated {updated}"));
    }
    if !article.authors.is_empty() {
        parts.push(format!("by {}", article.authors.join(", ")));
    }
    if let Some(language) = &article.language {
        parts.push(format!("language {language}"));
    }
    parts.join(" · ")
}

/// One article as readable text: title, metadata, then the paragraphs.
pub fn article_text(article: &Article, locations: &[String]) -> String {
    let mut out = String::new();
    if let Some(title) = &article.title {
        let _ = writeln!(out, "{title}");
        let _ = writeln!(out, "{}", "=".repeat(title.chars().count().min(80)));
    }
    let metadata = metadata_line(article);
    if !metadata.is_empty() {
        let _ = writeln!(out, "{metadata}");
    }
    for location in locations {
        let _ = writeln!(out, "{location}");
    }
    if let Some(record) = &article.record {
        out.push('\n');
        out.push_str(&record_text(record));
    }
    out.push('\n');
    out.push_str(&article.text);
    out.push('\n');
    out
}

fn record_text(record: &EventRecord) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Event record: {}{}",
        record
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".into()),
        record
            .story
            .as_ref()
            .map(|s| format!(" · {s}"))
            .unwrap_or_default()
    );
    for source in &record.sources {
        let _ = writeln!(
            out,
            "  {}. {} <{}>",
            source.number, source.outlet, source.url
        );
    }
    if !record.changes.is_empty() {
        let _ = writeln!(
            out,
            "  {} changes, {} related events",
            record.changes.len(),
            record.related.len()
        );
    }
    out
}

/// One article as Markdown.
pub fn article_markdown(article: &Article, locations: &[String]) -> String {
    let mut out = String::new();
    if let Some(title) = &article.title {
        let _ = writeln!(out, "# {}\n", escape_markdown(title));
    }
    let metadata = metadata_line(article);
    if !metadata.is_empty() {
        let _ = writeln!(out, "_{}_\n", escape_markdown(&metadata));
    }
    if let Some(record) = &article.record {
        if let Some(date) = record.date {
            let _ = writeln!(out, "**Date:** {date}  ");
        }
        if let Some(story) = &record.story {
            let _ = writeln!(out, "**Story:** {}  ", escape_markdown(story));
        }
        out.push('\n');
        if !record.sources.is_empty() {
            out.push_str("## Sources\n\n");
            for source in &record.sources {
                let _ = writeln!(
                    out,
                    "{}. [{}]({})",
                    source.number,
                    escape_markdown(&source.outlet),
                    source.url
                );
            }
            out.push('\n');
        }
    }
    for paragraph in article.paragraphs() {
        let _ = writeln!(out, "{}\n", escape_markdown(paragraph));
    }
    if !locations.is_empty() {
        out.push_str("## Found at\n\n");
        for location in locations {
            let _ = writeln!(out, "- <{location}>");
        }
    }
    out
}

/// What an article says, for the terminal: entities with their roles and aliases,
/// quotes with speakers, dates mentioned.
pub fn annotations_text(article: &Article, annotated: &chronicle_annotate::Annotated) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nEntities:");
    for entity in &annotated.entities {
        let _ = write!(out, "  {:<12} {}", entity.kind.name(), entity.name);
        let others: Vec<&String> = entity
            .aliases
            .iter()
            .filter(|a| **a != entity.name)
            .collect();
        if !others.is_empty() {
            let _ = write!(
                out,
                "  (also {})",
                others
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(out, "  ×{}", entity.mentions.len());
        for role in &entity.roles {
            let _ = writeln!(out, "               role: {}", role.text);
        }
    }
    if !annotated.quotes.is_empty() {
        let _ = writeln!(out, "\nQuotes:");
        for quote in &annotated.quotes {
            let speaker = quote
                .speaker
                .map(|i| annotated.entities[i].name.clone())
                .or_else(|| quote.speaker_text.clone())
                .unwrap_or_else(|| "unknown".into());
            let said = quote
                .said_on
                .map(|(d, _)| format!(", said {d}"))
                .unwrap_or_default();
            let partial = if quote.partial { " (partial)" } else { "" };
            let _ = writeln!(out, "  “{}” — {speaker}{said}{partial}", quote.text);
        }
    }
    if !annotated.dates.is_empty() {
        let _ = writeln!(out, "\nDates mentioned:");
        for date in &annotated.dates {
            let _ = writeln!(
                out,
                "  {:<24} {} ({:?})",
                date.text, date.date, date.granularity
            );
        }
    }
    let _ = article;
    out
}

pub use chronicle_publish::escape_markdown;

/// A one-line summary of a stored article for lists.
pub fn article_line(stored: &StoredArticle) -> String {
    let article = &stored.article;
    let date = article
        .published
        .map(|d| d.date().to_string())
        .unwrap_or_else(|| "----------".into());
    let outlet = article
        .outlet
        .as_deref()
        .or(article.domain.as_deref())
        .unwrap_or("-");
    let title = article.title.as_deref().unwrap_or("(untitled)");
    let kind = if article.record.is_some() {
        " [event record]"
    } else {
        ""
    };
    format!(
        "{:>6}  {date}  {:<24}  {title}{kind}",
        stored.id.0,
        truncate(outlet, 24)
    )
}

/// Text cut to at most `width` characters, an ellipsis marking the cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_article_text() {
        assert_eq!(
            escape_markdown("# not a heading [x](y) *z*"),
            "\\# not a heading \\[x\\](y) \\*z\\*"
        );
    }

    #[test]
    fn text_rendering_has_title_metadata_and_body() {
        let article = Article {
            title: Some("Ferries resume".into()),
            outlet: Some("The Harbor Ledger".into()),
            authors: vec!["Kai Roe".into()],
            text: "One.\n\nTwo.".into(),
            ..Article::default()
        };
        let text = article_text(&article, &["https://x.example/a".into()]);
        assert!(text.starts_with(
            "Ferries resume\n==============\nThe Harbor Ledger · by Kai Roe\nhttps://x.example/a\n"
        ));
        assert!(text.ends_with("One.\n\nTwo.\n"));
        let markdown = article_markdown(&article, &[]);
        assert!(
            markdown.starts_with(
                "# Ferries resume\n\n_The Harbor Ledger · by Kai Roe_\n\nOne.\n\nTwo.\n"
            )
        );
    }
}
