//! Main text and metadata of news documents, with boilerplate removed.
//!
//! [`clean`] turns a [`RawDocument`] into an [`Article`]: it decodes the bytes, reads
//! the document by its format ([`html`], [`text`], [`markdown`], which also reads event
//! records), then applies chronicle's own layers, each of which records what it removed
//! and why ([`Removal`]):
//!
//! 1. [`repeats`]: blocks printed twice go entirely, repeated paragraphs keep one copy;
//! 2. [`boilerplate`]: navigation, calls to action, credits, notices, bylines, swept in
//!    from the head and the tail of the document;
//! 3. the headline repeated as the first paragraph.
//!
//! A fourth layer needs more than one document: [`template::OutletTemplates`] learns
//! the lines each outlet prints around every article and removes them.
//!
//! `clean` is a pure function: no IO, no clock.
//!
//! ```
//! use chronicle_clean::{clean, CleanConfig};
//! use chronicle_model::RawDocument;
//! let raw = RawDocument::new(
//!     "file:///news/ferry.txt",
//!     b"Skip to main content\n\nFerry crossings resume after storm\n\nBy Kai Roe\n\n\
//!       Ferries between the islands ran again on Friday.\n\nSign up for our free newsletter\n".to_vec(),
//! );
//! let article = clean(&raw, &CleanConfig::default()).unwrap();
//! assert_eq!(article.title.as_deref(), Some("Ferry crossings resume after storm"));
//! assert_eq!(article.authors, ["Kai Roe"]);
//! assert_eq!(article.text, "Ferries between the islands ran again on Friday.");
//! ```

pub mod authors;
pub mod boilerplate;
pub mod dates;
pub mod html;
pub mod markdown;
pub mod repeats;
pub mod template;
pub mod text;

use boilerplate::Origin;
use chronicle_model::{Article, BodyFormat, RawDocument, Removal, RemovalReason, Skip, SkipReason};
use chronicle_sniff::{Kind, sniff};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Which of chronicle's own cleaning layers run. All do by default; turning one off
/// measures what it contributes (`chronicle eval extract --without LAYER`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Layers {
    pub boilerplate: bool,
    pub repeats: bool,
    pub title: bool,
    pub template: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Self {
            boilerplate: true,
            repeats: true,
            title: true,
            template: true,
        }
    }
}

impl Layers {
    /// Turns off the layer named `name`; an unknown name is an error naming the choices.
    pub fn disable(&mut self, name: &str) -> Result<(), String> {
        match name {
            "boilerplate" => self.boilerplate = false,
            "repeats" => self.repeats = false,
            "title" => self.title = false,
            "template" => self.template = false,
            other => {
                return Err(format!(
                    "unknown cleaning layer {other:?}: choose boilerplate, repeats, title or template"
                ));
            }
        }
        Ok(())
    }
}

/// Settings of [`clean`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanConfig {
    pub layers: Layers,
    /// Documents with more decoded text than this are skipped as too large.
    pub max_text_bytes: usize,
    /// Pages parsed into more nodes (elements, text, comments) than this are skipped as
    /// too large: the extractors' work grows faster than the page.
    pub max_html_nodes: usize,
    /// Pages nested deeper than this are skipped as malformed. 512 is the depth past
    /// which Chromium's parser stops nesting; the extractors' work grows with the
    /// square of the depth, and a page of nothing but 100,000 nested `<div>`s would
    /// otherwise hold a worker for hours.
    pub max_html_depth: usize,
    /// A document still being cleaned after this many seconds is skipped (`timeout`).
    /// Checked between the stages of cleaning, each of which the limits above bound.
    pub max_seconds: u64,
}

impl Default for CleanConfig {
    fn default() -> Self {
        Self {
            layers: Layers::default(),
            max_text_bytes: 16 * 1024 * 1024,
            max_html_nodes: 500_000,
            max_html_depth: 512,
            max_seconds: 20,
        }
    }
}

impl CleanConfig {
    /// The limits of a document whose cleaning began at `started`.
    fn limits(&self, started: Instant) -> html::Limits {
        html::Limits {
            max_nodes: self.max_html_nodes,
            max_depth: self.max_html_depth,
            max_seconds: self.max_seconds,
            started,
        }
    }
}

/// Paragraphs being cleaned, with what was removed so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    pub paragraphs: Vec<String>,
    pub removed: Vec<Removal>,
}

impl Body {
    fn new(paragraphs: Vec<String>) -> Self {
        Self {
            paragraphs,
            removed: Vec::new(),
        }
    }

    /// Removes every paragraph for which `reason` gives one.
    pub fn remove_where(&mut self, mut reason: impl FnMut(usize, &str) -> Option<RemovalReason>) {
        let mut kept = Vec::with_capacity(self.paragraphs.len());
        for (index, paragraph) in std::mem::take(&mut self.paragraphs).into_iter().enumerate() {
            match reason(index, &paragraph) {
                Some(reason) => self.removed.push(Removal {
                    reason,
                    text: paragraph,
                }),
                None => kept.push(paragraph),
            }
        }
        self.paragraphs = kept;
    }

    /// Removes the paragraph at `index`.
    pub fn remove_at(&mut self, index: usize, reason: RemovalReason) {
        let text = self.paragraphs.remove(index);
        self.removed.push(Removal { reason, text });
    }
}

/// Cleans one document.
pub fn clean(raw: &RawDocument, config: &CleanConfig) -> Result<Article, Skip> {
    let limits = config.limits(Instant::now());
    let skip = |reason, message: String| Skip::new(raw.source.clone(), reason, message);
    let kind = match raw.format {
        Some(format) => match format {
            BodyFormat::Html => Kind::Html,
            BodyFormat::Text => Kind::Text,
            BodyFormat::Markdown => Kind::Markdown,
        },
        None => sniff(&raw.bytes, Some(&raw.source)),
    };
    let format = match kind {
        Kind::Empty => return Err(skip(SkipReason::Empty, "the document is empty".into())),
        Kind::Binary(what) => return Err(skip(SkipReason::Binary, format!("not text: {what}"))),
        Kind::Html | Kind::OtherXml => BodyFormat::Html,
        Kind::Markdown => BodyFormat::Markdown,
        Kind::Text => BodyFormat::Text,
        other => {
            return Err(skip(
                SkipReason::Unsupported,
                format!("a {other:?} is a container, not a single document"),
            ));
        }
    };
    let decoded = chronicle_sniff::decode(&raw.bytes, raw.charset.as_deref());
    if decoded.text.len() > config.max_text_bytes {
        return Err(skip(
            SkipReason::TooLarge,
            format!(
                "{} bytes of text exceed the limit of {}",
                decoded.text.len(),
                config.max_text_bytes
            ),
        ));
    }
    let draft = match format {
        BodyFormat::Html => from_html(&decoded.text, raw, &limits)
            .map_err(|(reason, message)| skip(reason, message))?,
        BodyFormat::Text => from_text(&decoded.text, raw),
        BodyFormat::Markdown => from_markdown(&decoded.text, raw),
    };
    if let Some((reason, message)) = limits.out_of_time() {
        return Err(skip(reason, message));
    }
    let article = finish(draft, raw, config);
    if let Some((reason, message)) = limits.out_of_time() {
        return Err(skip(reason, message));
    }
    if article.text.trim().is_empty() && article.record.is_none() {
        return Err(skip(SkipReason::NoText, "no article text was found".into()));
    }
    Ok(article)
}

/// A document read by its format, before the shared layers and metadata rules.
struct Draft {
    origin: Origin,
    paragraphs: Vec<String>,
    title: Option<String>,
    authors: Vec<String>,
    published: Option<chronicle_model::NewsDate>,
    updated: Option<chronicle_model::NewsDate>,
    outlet: Option<String>,
    url: Option<String>,
    canonical: Option<String>,
    language: Option<String>,
    image: Option<String>,
    description: Option<String>,
    record: Option<chronicle_model::EventRecord>,
}

fn from_html(
    text: &str,
    raw: &RawDocument,
    limits: &html::Limits,
) -> Result<Draft, (SkipReason, String)> {
    let page_url = raw.hints.url.as_deref().or(Some(raw.source.as_str()));
    let extracted = html::extract(text, page_url, limits)?;
    let meta = extracted.meta;
    Ok(Draft {
        origin: Origin::Extracted,
        paragraphs: extracted.paragraphs,
        title: meta.title,
        authors: meta.authors,
        published: meta.published,
        updated: meta.updated,
        outlet: meta.site_name,
        url: None,
        canonical: meta.canonical,
        language: meta.language,
        image: meta.image,
        description: meta.description,
        record: None,
    })
}

fn from_text(text: &str, _raw: &RawDocument) -> Draft {
    Draft {
        origin: Origin::ScrapedText,
        paragraphs: text::paragraphs(text),
        title: None,
        authors: Vec::new(),
        published: None,
        updated: None,
        outlet: None,
        url: None,
        canonical: None,
        language: None,
        image: None,
        description: None,
        record: None,
    }
}

fn from_markdown(text: &str, _raw: &RawDocument) -> Draft {
    let markdown = markdown::read(text);
    let mut paragraphs = markdown.paragraphs;
    if let Some(subtitle) = markdown.subtitle {
        // The dek is part of the story as readers see it; a repeated one is removed later.
        paragraphs.insert(0, subtitle);
    }
    Draft {
        origin: Origin::Extracted,
        paragraphs,
        title: markdown.title,
        authors: markdown.authors,
        published: markdown.published,
        updated: markdown.updated,
        outlet: markdown.outlet,
        url: markdown.url,
        canonical: None,
        language: markdown.language,
        image: markdown.image,
        description: markdown.description,
        record: markdown.record,
    }
}

/// The shared layers and the metadata rules: what the container said fills gaps,
/// `--outlet` wins, and the document's own URL beats the place it was read from.
fn finish(draft: Draft, raw: &RawDocument, config: &CleanConfig) -> Article {
    let hints = &raw.hints;
    let layers = config.layers;
    let outlet = hints.outlet.clone().or(draft.outlet);
    let mut body = Body::new(draft.paragraphs);
    let record = draft.record;
    let findings = if record.is_some() {
        boilerplate::HeadFindings::default()
    } else {
        // Repeats first: a repeated block is recognised only while all of it is there.
        if layers.repeats {
            repeats::remove(&mut body, draft.origin == Origin::Extracted);
        }
        let known_title = draft.title.as_deref().or(hints.title.as_deref());
        boilerplate::remove(
            &mut body,
            draft.origin,
            outlet.as_deref(),
            known_title,
            layers,
        )
    };
    let outlet = outlet.or_else(|| {
        (draft.origin == Origin::ScrapedText)
            .then(|| boilerplate::outlet_from_notices(&body.removed))
            .flatten()
    });
    if layers.boilerplate
        && let Some(outlet) = &outlet
    {
        // The outlet's name on a line of its own is the masthead.
        let name = boilerplate::normalise(outlet);
        body.remove_where(|_, p| {
            (boilerplate::normalise(p) == name).then_some(RemovalReason::Navigation)
        });
    }
    let title = draft
        .title
        .or_else(|| hints.title.clone())
        .or(findings.title)
        .map(|t| html::paragraphs::normalise_space(&t))
        .filter(|t| !t.is_empty());
    // An event record's summary is its text, not a repeated headline.
    if layers.title
        && record.is_none()
        && let Some(title) = &title
    {
        let title_key = boilerplate::normalise(title);
        let position = body
            .paragraphs
            .iter()
            .take(3)
            .position(|p| boilerplate::normalise(p) == title_key);
        if let Some(position) = position {
            body.remove_at(position, RemovalReason::Title);
        }
    }
    let url = hints
        .url
        .clone()
        .or(draft.url)
        .or_else(|| draft.canonical.clone())
        .or_else(|| Some(raw.source.clone()).filter(|s| s.contains("://")));
    let canonical = draft.canonical.filter(|c| Some(c) != url.as_ref());
    let domain = url.as_deref().or(canonical.as_deref()).and_then(domain_of);
    let mut raw_authors: Vec<&str> = draft.authors.iter().map(String::as_str).collect();
    if raw_authors.is_empty() {
        raw_authors = hints.authors.iter().map(String::as_str).collect();
    }
    if raw_authors.is_empty() {
        raw_authors = findings.bylines.iter().map(String::as_str).collect();
    }
    let authors = authors::clean_authors(raw_authors, outlet.as_deref());
    let published = draft
        .published
        .or(hints.published)
        .or(findings.published)
        .or_else(|| url.as_deref().and_then(dates::date_from_url));
    let updated = draft
        .updated
        .or(hints.updated)
        .or(findings.updated)
        .filter(|updated| published.is_none_or(|published| *updated > published));
    let text = body.paragraphs.join("\n\n");
    let language = draft
        .language
        .or_else(|| hints.language.clone())
        .or_else(|| detect_language(&text));
    Article {
        url,
        canonical_url: canonical,
        title,
        authors,
        published,
        updated,
        outlet,
        domain,
        language,
        image: draft.image.or_else(|| hints.image.clone()),
        description: draft.description.or_else(|| hints.description.clone()),
        text,
        record,
        summary_only: hints.summary_only,
        removed: body.removed,
    }
}

/// The host of an http(s) URL without `www.`.
pub fn domain_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

fn detect_language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(2000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    iso_639_1(info.lang()).map(str::to_string)
}

fn iso_639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Hin => "hi",
        Ben => "bn",
        Urd => "ur",
        Jpn => "ja",
        Kor => "ko",
        Cmn => "zh",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Cat => "ca",
        Epo => "eo",
        Afr => "af",
        _ => return None,
    })
}
