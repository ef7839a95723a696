use crate::NewsDate;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A cleaned document: main text and metadata.
///
/// `text` holds the paragraphs of the main text separated by one blank line (`"\n\n"`);
/// the title is not repeated in it. Byte spans that later stages take into `text` stay
/// valid for as long as the article is not re-cleaned.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The document's own URL, or the `file://` URL it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The URL the publisher declares canonical, when it differs from `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// When the article was first published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NewsDate>,
    /// When it was last updated, kept apart from `published`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<NewsDate>,
    /// The outlet's name ("The Harbor Ledger").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The outlet's domain, without `www.` ("harborledger.example").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// ISO 639-1 code of the text's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The lead image's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub text: String,
    /// Present when the document is an event record rather than article prose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<EventRecord>,
    /// The document holds only a summary (a feed item that was not fetched).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub summary_only: bool,
    /// What chronicle's own cleaning layers removed, with the reason for each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removal>,
}

impl Article {
    /// The paragraphs of the main text.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.split("\n\n").filter(|p| !p.trim().is_empty())
    }

    /// Number of words in the main text.
    pub fn word_count(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// Why one of our cleaning layers removed a piece of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemovalReason {
    /// Site navigation: "Skip to main content", section menus, "Latest".
    Navigation,
    /// Calls to subscribe, donate, sign up, follow or share.
    CallToAction,
    /// Photo and image credits ("Jane Roe/AP", "Photo credit: …").
    Credit,
    /// An image caption or placeholder ("16x9 Image", a caption printed twice).
    Caption,
    /// "This story is over 5 years old" and similar notices.
    AgeNotice,
    /// The publisher describing itself, legal and copyright notices.
    PublisherNotice,
    /// "Advertisement", "Sponsored".
    Advertisement,
    /// A block of several paragraphs printed more than once in the same document.
    RepeatedBlock,
    /// A paragraph printed again later in the same document.
    RepeatedParagraph,
    /// Text that recurs across many articles of the same outlet.
    OutletTemplate,
    /// The headline repeated at the top of the body.
    Title,
    /// Byline and date lines at the top of the body (their content goes to metadata).
    Byline,
}

impl RemovalReason {
    /// The stable kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Navigation => "navigation",
            Self::CallToAction => "call-to-action",
            Self::Credit => "credit",
            Self::Caption => "caption",
            Self::AgeNotice => "age-notice",
            Self::PublisherNotice => "publisher-notice",
            Self::Advertisement => "advertisement",
            Self::RepeatedBlock => "repeated-block",
            Self::RepeatedParagraph => "repeated-paragraph",
            Self::OutletTemplate => "outlet-template",
            Self::Title => "title",
            Self::Byline => "byline",
        }
    }
}

/// One piece of text removed from a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    pub reason: RemovalReason,
    pub text: String,
}

/// A structured event page: what happened on which day, in which story, with numbered
/// sources, a change history and related events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    /// The day the event happened.
    pub date: Option<NaiveDate>,
    /// The story the event belongs to ("Russia-United States relations").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// One-sentence summary of the event.
    pub summary: String,
    /// Further context under the summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Numbered sources, in the record's order.
    #[serde(default)]
    pub sources: Vec<RecordSource>,
    /// The cover image, listed among the sources on the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default)]
    pub changes: Vec<RecordChange>,
    #[serde(default)]
    pub related: Vec<RecordLink>,
    /// Links to the same record in other formats, by format name.
    #[serde(default)]
    pub formats: Vec<(String, String)>,
}

/// A numbered source of an event record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSource {
    pub number: u32,
    pub outlet: String,
    pub url: String,
}

/// One entry of an event record's change history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChange {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<NaiveDateTime>,
    /// "First version", "Update", "Current version".
    pub kind: String,
}

/// A related event named by an event record, with the context that relates them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLink {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub context: Vec<String>,
}
