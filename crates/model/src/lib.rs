//! Shared types of the chronicle pipeline.
//!
//! Each pipeline stage has its own input and output type so that the compiler keeps the
//! order of the stages:
//!
//! - [`RawDocument`]: bytes as read by `ingest` from a file, feed item, web-archive record
//!   or URL, with whatever metadata the container carried ([`Hints`]).
//! - [`Article`]: what `clean` makes of a raw document: main text split into paragraphs
//!   and metadata, with a record of what our own cleaning layers removed and why.
//! - [`EventRecord`]: a structured event page (date, story, summary, numbered sources,
//!   changes, related events), read from Markdown pages shaped like a current-events
//!   portal entry.
//! - [`Skip`]: why an input produced no document; counted, never fatal.
//!
//! Dates in news are partial: a day, a local time, or an instant with its offset.
//! [`NewsDate`] keeps exactly what was known.
//!
//! This crate knows nothing of HTML, SQL or HTTP and does no IO.
//!
//! ```
//! use chronicle_model::NewsDate;
//! let d = NewsDate::parse("2017-07-22T13:49:30+02:00").unwrap();
//! assert_eq!(d.to_string(), "2017-07-22T13:49:30+02:00");
//! assert_eq!(d.date().to_string(), "2017-07-22");
//! ```

mod article;
mod date;
mod document;
mod id;
mod skip;

pub use article::{
    Article, EventRecord, RecordChange, RecordLink, RecordSource, Removal, RemovalReason,
};
pub use date::NewsDate;
pub use document::{BodyFormat, Hints, RawDocument};
pub use id::{ArticleId, RawId};
pub use skip::{Skip, SkipReason};
