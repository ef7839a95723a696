//! HTML pages: metadata from the page, main text from two extractors.
//!
//! The main text comes from `trafilatura` (a port of the Python library of the same
//! name). When it finds little, or far less than `dom_smoothie` (a port of Mozilla's
//! Readability) finds on the same page, Readability's text is used instead: the rule
//! trafilatura itself applies to its fallback, with a faster fallback. The choice was
//! made by measurement on the extraction development sets (docs/quality.md).

pub mod metadata;
pub mod nesting;
pub mod paragraphs;

use chronicle_model::SkipReason;
use dom_query::Document;
pub use metadata::PageMeta;
use std::time::Instant;

/// What an HTML page gives before the shared cleaning layers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlDraft {
    pub meta: PageMeta,
    pub paragraphs: Vec<String>,
    /// Which extractor's text was used.
    pub extractor: &'static str,
}

/// Fewer characters than this from trafilatura and the fallback is considered.
const MIN_EXTRACTED_CHARS: usize = 250;

/// What a page may cost before it is skipped: see [`crate::CleanConfig`].
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_nodes: usize,
    pub max_depth: usize,
    /// Seconds since `started` after which cleaning stops; checked between stages.
    pub max_seconds: u64,
    pub started: Instant,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_nodes: usize::MAX,
            max_depth: usize::MAX,
            max_seconds: u64::MAX,
            started: Instant::now(),
        }
    }
}

impl Limits {
    /// The timeout skip, once cleaning has run past its time.
    pub fn out_of_time(&self) -> Option<(SkipReason, String)> {
        (self.started.elapsed().as_secs_f64() > self.max_seconds as f64).then(|| {
            (
                SkipReason::Timeout,
                format!(
                    "cleaning took longer than the limit of {} seconds",
                    self.max_seconds
                ),
            )
        })
    }
}

/// Extracts metadata and main-text paragraphs from a page within `limits`: a page with
/// too many nodes, nested too deep, or still being extracted at the deadline, gives the
/// reason it is skipped instead.
pub fn extract(
    html: &str,
    page_url: Option<&str>,
    limits: &Limits,
) -> Result<HtmlDraft, (SkipReason, String)> {
    let absolute_url = page_url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let too_deep = || {
        (
            SkipReason::Malformed,
            format!(
                "the page's elements are nested deeper than the limit of {}",
                limits.max_depth
            ),
        )
    };
    // Parsing itself is slow in the square of the depth: look before parsing.
    if nesting::deeper_than(html, limits.max_depth) {
        return Err(too_deep());
    }
    let document = Document::from(html);
    let nodes = document.tree.len();
    if nodes > limits.max_nodes {
        return Err((
            SkipReason::TooLarge,
            format!(
                "the page has {nodes} HTML nodes, more than the limit of {}",
                limits.max_nodes
            ),
        ));
    }
    if deeper_than(&document, limits.max_depth) {
        return Err(too_deep());
    }
    let meta = metadata::read(&document, absolute_url);

    let mut options = trafilatura::Options::default();
    if let Some(url) = absolute_url.and_then(|u| url::Url::parse(u).ok()) {
        options = options.with_url(url);
    }
    let primary = trafilatura::extract(html, &options)
        .map(|result| paragraphs::paragraphs(&result.content_html))
        .unwrap_or_default();
    if let Some(skip) = limits.out_of_time() {
        return Err(skip);
    }
    let fallback = dom_smoothie::Readability::with_document(document, absolute_url, None)
        .ok()
        .and_then(|mut readability| readability.parse().ok())
        .map(|article| paragraphs::paragraphs(&article.content))
        .unwrap_or_default();

    let length =
        |paragraphs: &[String]| paragraphs.iter().map(|p| p.chars().count()).sum::<usize>();
    let (primary_length, fallback_length) = (length(&primary), length(&fallback));
    let use_fallback = (primary_length < MIN_EXTRACTED_CHARS && fallback_length > primary_length)
        || fallback_length > 2 * primary_length;
    let (paragraphs, extractor) = if use_fallback {
        (fallback, "readability")
    } else {
        (primary, "trafilatura")
    };
    Ok(HtmlDraft {
        meta,
        paragraphs,
        extractor,
    })
}

/// Whether any node of `document` lies more than `limit` levels below its root. Walks
/// with a stack of its own: the page's depth must not become the walker's.
fn deeper_than(document: &Document, limit: usize) -> bool {
    let mut stack = vec![(document.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        let mut child = node.first_child();
        while let Some(next) = child {
            child = next.next_sibling();
            stack.push((next, depth + 1));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{Limits, extract};
    use chronicle_model::SkipReason;
    use std::time::{Duration, Instant};

    fn page() -> String {
        let paragraph = "<p>The harbour board met on Monday and agreed to raise tolls.</p>";
        format!(
            "<html><body>{}<article>{}</article></body></html>",
            "<section>".repeat(40),
            paragraph.repeat(50)
        )
    }

    fn reason(limits: Limits) -> Option<SkipReason> {
        extract(&page(), None, &limits)
            .err()
            .map(|(reason, _)| reason)
    }

    #[test]
    fn pages_past_a_limit_are_skipped_with_its_reason() {
        assert_eq!(reason(Limits::default()), None);
        let limits = Limits {
            max_nodes: 100,
            ..Limits::default()
        };
        assert_eq!(reason(limits), Some(SkipReason::TooLarge));
        let limits = Limits {
            max_depth: 30,
            ..Limits::default()
        };
        assert_eq!(reason(limits), Some(SkipReason::Malformed));
        let started = Instant::now()
            .checked_sub(Duration::from_secs(2))
            .expect("a clock two seconds old");
        let limits = Limits {
            max_seconds: 1,
            started,
            ..Limits::default()
        };
        assert_eq!(reason(limits), Some(SkipReason::Timeout));
    }
}
