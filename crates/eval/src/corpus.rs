//! The bundled sample corpus against its labels (`examples/corpus-labels.json`): how
//! much labelled boilerplate survives cleaning, how many labelled sentences of article
//! text are lost, and how often title, outlet, date and authors are right.
//!
//! Boilerplate strings of four words or more count as surviving when they occur
//! anywhere in an article's text; shorter ones (a menu word) only when a paragraph is
//! exactly that string. Comparisons collapse whitespace and straighten quotes.

use crate::{Error, Result};
use chronicle_model::Article;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// The parts of the labels file this evaluation reads.
#[derive(Clone, Debug, Deserialize)]
pub struct Labels {
    pub articles: Vec<LabelledArticle>,
    #[serde(default)]
    pub boilerplate: Vec<String>,
}

/// One labelled document.
#[derive(Clone, Debug, Deserialize)]
pub struct LabelledArticle {
    pub path: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub format: String,
    #[serde(default)]
    pub summary_only: bool,
    #[serde(default)]
    pub keep: Vec<String>,
    /// The URL of the article this one is a copy of (syndicated or cross-posted).
    #[serde(default)]
    pub copy_of: Option<String>,
}

impl Labels {
    /// Reads a labels file.
    pub fn open(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| Error::Parse {
            path: path.display().to_string(),
            line: e.line(),
            message: e.to_string(),
        })
    }
}

/// A stored article with everywhere it was found.
#[derive(Clone, Debug)]
pub struct Found<'a> {
    pub article: &'a Article,
    pub locations: &'a [String],
}

/// Figures of a cleaning run on the labelled corpus.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CorpusReport {
    /// Labelled articles (not event records, not summary-only items).
    pub articles: usize,
    /// Labelled articles with no stored article at their location.
    pub missing: Vec<String>,
    pub boilerplate_total: usize,
    pub boilerplate_left: Vec<String>,
    pub keep_total: usize,
    pub keep_lost: Vec<String>,
    pub title_correct: usize,
    pub outlet_correct: usize,
    pub date_correct: usize,
    pub authors_correct: usize,
}

/// Whitespace collapsed, curly quotes straightened.
pub fn normalise(text: &str) -> String {
    text.replace(['“', '”', '„'], "\"")
        .replace(['‘', '’'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scores stored articles against the labels. `file_url` turns a labelled path into
/// the `file://` URL a document without its own URL is located by.
pub fn score(
    labels: &Labels,
    stored: &[Found<'_>],
    file_url: &dyn Fn(&str) -> String,
) -> CorpusReport {
    let mut report = CorpusReport::default();
    let texts: Vec<String> = stored.iter().map(|f| normalise(&f.article.text)).collect();
    let paragraphs: HashSet<String> = stored
        .iter()
        .flat_map(|f| f.article.paragraphs().map(normalise).collect::<Vec<_>>())
        .collect();
    report.boilerplate_total = labels.boilerplate.len();
    for boilerplate in &labels.boilerplate {
        let boilerplate = normalise(boilerplate);
        let left = if boilerplate.split(' ').count() >= 4 {
            texts.iter().any(|t| t.contains(&boilerplate))
        } else {
            paragraphs.contains(&boilerplate)
        };
        if left {
            report.boilerplate_left.push(boilerplate);
        }
    }
    for label in labels
        .articles
        .iter()
        .filter(|a| a.format != "event-record" && !a.summary_only)
    {
        report.articles += 1;
        let location = label.url.clone().unwrap_or_else(|| file_url(&label.path));
        let Some(found) = stored
            .iter()
            .find(|f| f.locations.contains(&location) || f.article.url.as_ref() == Some(&location))
        else {
            report.missing.push(label.path.clone());
            report.keep_total += label.keep.len();
            report.keep_lost.extend(label.keep.iter().cloned());
            continue;
        };
        let article = found.article;
        let text = normalise(&article.text);
        for keep in &label.keep {
            report.keep_total += 1;
            if !text.contains(&normalise(keep)) {
                report.keep_lost.push(format!("{}: {keep}", label.path));
            }
        }
        if article.title.as_deref().map(normalise) == label.title.as_deref().map(normalise) {
            report.title_correct += 1;
        }
        if article.outlet == label.outlet {
            report.outlet_correct += 1;
        }
        let day = article.published.map(|d| d.date().to_string());
        if day.as_deref() == label.published.as_deref().map(|p| &p[..p.len().min(10)]) {
            report.date_correct += 1;
        }
        if article.authors == label.authors {
            report.authors_correct += 1;
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_by_hand() {
        let labels: Labels = serde_json::from_str(
            r#"{"articles": [
                {"path": "a.txt", "url": null, "outlet": "Ledger", "title": "Ferries resume",
                 "published": "2025-05-06T09:00:00+01:00", "authors": ["Kai Roe"], "format": "text",
                 "keep": ["Ferries resumed on Friday.", "A lost sentence."]},
                {"path": "b.html", "url": "https://x.example/b", "outlet": null, "title": null,
                 "published": null, "format": "html"},
                {"path": "c.md", "url": null, "outlet": null, "title": "Record", "published": null,
                 "format": "event-record"}],
              "boilerplate": ["Menu", "Sign up for our newsletter", "Share"]}"#,
        )
        .unwrap();
        let article = Article {
            title: Some("Ferries  resume".into()),
            outlet: Some("Ledger".into()),
            published: chronicle_model::NewsDate::parse("2025-05-06"),
            authors: vec!["Kai Roe".into()],
            text: "Ferries resumed on Friday.\n\nMenu\n\nShare this article with friends now."
                .into(),
            ..Article::default()
        };
        let locations = vec!["file:///corpus/a.txt".to_string()];
        let report = score(
            &labels,
            &[Found {
                article: &article,
                locations: &locations,
            }],
            &|path| format!("file:///corpus/{path}"),
        );
        assert_eq!(report.articles, 2);
        assert_eq!(report.missing, ["b.html"]);
        assert_eq!(report.boilerplate_left, ["Menu"]);
        assert_eq!(report.keep_total, 2);
        assert_eq!(report.keep_lost.len(), 1);
        assert_eq!(
            (
                report.title_correct,
                report.outlet_correct,
                report.date_correct,
                report.authors_correct
            ),
            (1, 1, 1, 1)
        );
    }
}
