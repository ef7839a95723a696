//! Quality metrics and dataset loaders behind `chronicle eval`.
//!
//! The metrics follow `evaldata/README.md` of the chronicle workspace:
//!
//! - [`extraction`]: body text as token 4-gram shingle precision, recall and F1
//!   ([`extraction::BodyScore`]), hand-picked snippets that must or must not appear
//!   ([`extraction::SnippetCounts`]), and exact-match metadata.
//! - [`corpus`]: the bundled sample corpus against its labels: boilerplate left,
//!   article sentences lost, metadata right.
//! - [`copies`]: near-duplicate detection, pairwise precision and recall on labelled
//!   copies and deliberate edits of a corpus's articles.
//! - [`quotes`]: direct quotes (span F1 at half overlap) and speaker accuracy.
//! - [`ner`]: named entities, conlleval style, per type and overall.
//! - [`events`]: event clustering, BCubed precision, recall and F1 over documents.
//!
//! Loaders read the datasets' files; the scorers take predictions from any extractor
//! through a closure, so this crate does not depend on chronicle's own cleaning and the
//! same code scores outside extractors too.
//!
//! ```
//! use chronicle_eval::extraction::body_page_score;
//! let page = body_page_score("the cat sat on the mat", "the cat sat on the mat");
//! assert_eq!(page.precision, Some(1.0));
//! ```

pub mod copies;
pub mod corpus;
pub mod events;
pub mod extraction;
pub mod ner;
pub mod quotes;

/// Errors reading a dataset.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Precision, recall and F1 from counts; `None` where undefined.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}
