//! ingest: where do documents come from?
//!
//! A [`Reader`] turns inputs — file and folder paths, `-` for standard input, `file://`
//! and `http(s)://` URLs — into a stream of [`Item`]s: a [`RawDocument`] for each
//! article-like document found, and a [`Skip`] for each input, or part of one, that
//! yields nothing, with a reason and a message. It does IO but no cleaning: it never
//! extracts main text. Bad input is data: nothing here panics or aborts a run.
//!
//! What an input holds is judged from its content with [`chronicle_sniff::sniff`], not
//! its name:
//!
//! - HTML, plain text and Markdown: one document each, its `format` set.
//! - gzip: decompressed through one size-capped decoder, member after member, and
//!   sniffed again (`page.html.gz`, `feed.xml.gz`, `crawl.warc.gz`).
//! - RSS, Atom and JSON Feed: one document per item (full content, the fetched linked
//!   page with `fetch_linked`, or the summary marked `summary_only`).
//! - OPML: every listed feed is read as an input of its own.
//! - JSON: an object, an array, a wrapped array, or JSON lines; one document per object.
//! - WARC: one document per archived HTML page, streamed record by record.
//!
//! # Naming
//!
//! [`RawDocument::source`] is the file's canonical `file://` URL, the final URL after
//! redirects, or `stdin:`; an item of a container adds a fragment: `#<WARC-Record-ID>`,
//! `#<feed item id, link or position>`, `#line-N` (JSON lines) or `#item-N` (JSON
//! arrays), both counted from 1. A page fetched for a feed item is named by its own URL.
//! [`Skip::input`] names the input or item that was skipped in the same way.
//!
//! ```
//! use chronicle_ingest::{IngestConfig, Item, Reader};
//! use chronicle_model::{BodyFormat, SkipReason};
//!
//! let mut reader = Reader::new(IngestConfig::default());
//! let mut items = Vec::new();
//! let lines = b"{\"title\": \"Pier reopens\", \"text\": \"The pier reopened.\"}\nnot json\n";
//! reader.read_bytes("file:///exports/news.jsonl", lines.to_vec(), None, &mut |item| items.push(item));
//!
//! let Item::Document(document) = &items[0] else { panic!("expected a document") };
//! assert_eq!(document.source, "file:///exports/news.jsonl#line-1");
//! assert_eq!(document.format, Some(BodyFormat::Text));
//! assert_eq!(document.hints.title.as_deref(), Some("Pier reopens"));
//!
//! let Item::Skip(skip) = &items[1] else { panic!("expected a skip") };
//! assert_eq!(skip.reason, SkipReason::Malformed);
//! assert_eq!(skip.input, "file:///exports/news.jsonl#line-2");
//! ```

mod config;
mod error;
mod feed;
mod files;
mod http;
mod json;
mod limit;
mod opml;
mod reader;
mod warc;

pub use config::{HttpConfig, IngestConfig, Validator, Validators, default_user_agent};
pub use reader::Reader;

/// Parsers for the fuzz targets (`crates/fuzzing`) that a [`Reader`] reaches only on
/// its way to fetching or reading what they name. Not part of the stable interface.
#[doc(hidden)]
pub mod fuzzing {
    /// The feed references of an OPML list, as written.
    pub fn opml_feed_urls(bytes: &[u8]) -> Result<Vec<String>, String> {
        crate::opml::feed_urls(bytes)
    }
}

use chronicle_model::{RawDocument, Skip};

/// One thing read from an input: a document, or the reason part of an input gave none.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "documents are the common case; boxing them would add an allocation to each for the rare skip's sake"
)]
pub enum Item {
    /// An article-like document, not yet cleaned.
    Document(RawDocument),
    /// An input, or part of one, that gave no document.
    Skip(Skip),
}
