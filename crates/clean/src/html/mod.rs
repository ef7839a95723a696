//! HTML pages: metadata from the page, main text from two extractors.
//!
//! The main text comes from `trafilatura` (a port of the Python library of the same
//! name). When it finds little, or far less than `dom_smoothie` (a port of Mozilla's
//! Readability) finds on the same page, Readability's text is used instead: the rule
//! trafilatura itself applies to its fallback, with a faster fallback. The choice was
//! made by measurement on the extraction development sets (docs/quality.md).

pub mod metadata;
pub mod paragraphs;

use dom_query::Document;
pub use metadata::PageMeta;

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

/// Extracts metadata and main-text paragraphs from a page.
pub fn extract(html: &str, page_url: Option<&str>) -> HtmlDraft {
    let absolute_url = page_url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let document = Document::from(html);
    let meta = metadata::read(&document, absolute_url);

    let mut options = trafilatura::Options::default();
    if let Some(url) = absolute_url.and_then(|u| url::Url::parse(u).ok()) {
        options = options.with_url(url);
    }
    let primary = trafilatura::extract(html, &options)
        .map(|result| paragraphs::paragraphs(&result.content_html))
        .unwrap_or_default();
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
    HtmlDraft {
        meta,
        paragraphs,
        extractor,
    }
}
