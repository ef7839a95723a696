use crate::NewsDate;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The markup a single document's bytes are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    /// An HTML (or XHTML) page.
    Html,
    /// Plain text, as a scraper leaves it.
    Text,
    /// Markdown, possibly with YAML front matter, possibly an event record.
    Markdown,
}

impl BodyFormat {
    /// The lowercase name used in stored records and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Text => "text",
            Self::Markdown => "markdown",
        }
    }
}

/// Metadata that the container of a document told us: a feed item's title and date, a
/// JSON object's fields, a web-archive record's target URL, the `--outlet` option.
/// Cleaning prefers what the document itself says where both are known, except where
/// noted on the field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hints {
    /// The document's own URL (feed item link, WARC target URI, JSON `url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NewsDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<NewsDate>,
    /// The outlet's name. Given with `--outlet`, it wins over what the page says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The container holds only a summary of the document (a feed item without full
    /// content that was not fetched).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub summary_only: bool,
}

/// Bytes of one document as read by `ingest`, before any cleaning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawDocument {
    /// Where the bytes were read: an `http(s)://` or `file://` URL, `stdin:`, or a
    /// container's URL with a fragment naming the item (`file:///x.warc.gz#record-id`).
    pub source: String,
    pub bytes: Vec<u8>,
    /// The markup, when the reader knows it (sniffed or declared by the container).
    pub format: Option<BodyFormat>,
    /// The character encoding declared by the transport (HTTP header, WARC, feed).
    pub charset: Option<String>,
    pub hints: Hints,
    /// When the bytes were fetched from the network or archived, if known.
    pub fetched_at: Option<DateTime<Utc>>,
}

impl RawDocument {
    /// A document with no container metadata.
    pub fn new(source: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self {
            source: source.into(),
            bytes,
            format: None,
            charset: None,
            hints: Hints::default(),
            fetched_at: None,
        }
    }
}
