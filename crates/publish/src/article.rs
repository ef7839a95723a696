//! An article's page and a quote's page: the clean text with where it was found, who
//! is in it, what is quoted in it and the event it reports; a quote with its speaker
//! and every article that reported it.

use crate::{attribute, escape_markdown, html_escape, markdown_url, safe_href, xml_escape};
use chronicle_store::{EntitySummary, EventSummary, Reader, StoredArticle, StoredQuote};
use serde::Serialize;
use std::fmt::Write as _;

/// Everything an article page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticlePage {
    #[serde(flatten)]
    pub article: StoredArticle,
    /// The event it was placed in.
    pub event: Option<EventSummary>,
    /// The entities it mentions.
    pub entities: Vec<EntitySummary>,
    /// Quotes it reports.
    pub quotes: Vec<StoredQuote>,
}

impl ArticlePage {
    pub fn load(read: &Reader<'_>, id: u64) -> chronicle_store::Result<Option<Self>> {
        let id = chronicle_model::ArticleId(id);
        let Some(article) = read.article(id)? else {
            return Ok(None);
        };
        let event = match read.event_of(id)? {
            Some(event) => read.event(event)?.map(|detail| detail.summary),
            None => None,
        };
        let mut entities = Vec::new();
        for entity in read.article_entity_ids(id)? {
            entities.extend(read.entity_summary(entity)?);
        }
        entities.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.name.cmp(&b.name)));
        let quotes = read.article_quotes(id)?;
        Ok(Some(Self {
            article,
            event,
            entities,
            quotes,
        }))
    }

    fn title(&self) -> &str {
        self.article
            .article
            .title
            .as_deref()
            .unwrap_or("Untitled article")
    }
}

/// The body of an article's HTML page.
pub fn article_html(page: &ArticlePage) -> String {
    let article = &page.article.article;
    let mut out = String::from("<article class=\"article\">\n<p class=\"meta\">");
    match article.outlet.as_deref().or(article.domain.as_deref()) {
        Some(outlet) if !crate::outlet_slug(outlet).is_empty() => {
            let _ = write!(
                out,
                "<a href=\"/outlets/{}\">{}</a>",
                crate::outlet_slug(outlet),
                html_escape(outlet)
            );
        }
        _ => out.push_str("unknown outlet"),
    }
    if let Some(published) = &article.published {
        let _ = write!(
            out,
            " · <time datetime=\"{0}\">{0}</time>",
            html_escape(&published.to_string())
        );
    }
    if !article.authors.is_empty() {
        let _ = write!(out, " · by {}", html_escape(&article.authors.join(", ")));
    }
    let _ = writeln!(out, "</p>\n<h1>{}</h1>", html_escape(page.title()));
    if let Some(event) = &page.event {
        let _ = writeln!(
            out,
            "<p class=\"context\">Reports <a href=\"/events/{}\">{}</a></p>",
            event.id,
            html_escape(event.headline.as_deref().unwrap_or("an event"))
        );
    }
    for paragraph in article.paragraphs() {
        let _ = writeln!(out, "<p>{}</p>", html_escape(paragraph));
    }
    if !page.entities.is_empty() {
        out.push_str("<section aria-labelledby=\"who\"><h2 id=\"who\">Who and what</h2>\n<ul>\n");
        for entity in &page.entities {
            let _ = writeln!(
                out,
                "<li><a href=\"/entities/{}\">{}</a> <span class=\"kind\">{}</span></li>",
                entity.id.0,
                html_escape(&entity.name),
                entity.kind.name()
            );
        }
        out.push_str("</ul></section>\n");
    }
    if !page.quotes.is_empty() {
        out.push_str("<section aria-labelledby=\"quotes\"><h2 id=\"quotes\">Quotes</h2>\n");
        for quote in &page.quotes {
            let _ = writeln!(
                out,
                "<blockquote><p><a href=\"/quotes/{}\">{}</a></p><footer>— {}</footer></blockquote>",
                quote.id.0,
                html_escape(&quote.text),
                html_escape(quote.speaker_name.as_deref().unwrap_or("unknown speaker"))
            );
        }
        out.push_str("</section>\n");
    }
    out.push_str("<section aria-labelledby=\"found\"><h2 id=\"found\">Found at</h2>\n<ul>\n");
    for location in &page.article.locations {
        let text = html_escape(location);
        match safe_href(location) {
            Some(href) if location.starts_with("http") => {
                let _ = writeln!(
                    out,
                    "<li><a href=\"{href}\" rel=\"nofollow noopener\">{text}</a></li>"
                );
            }
            _ => {
                let _ = writeln!(out, "<li>{text}</li>");
            }
        }
    }
    out.push_str("</ul></section>\n</article>\n");
    out
}

/// An article as Markdown.
pub fn article_markdown(page: &ArticlePage) -> String {
    let article = &page.article.article;
    let mut out = format!("# {}\n\n", escape_markdown(page.title()));
    let _ = writeln!(
        out,
        "_{}{}_\n",
        escape_markdown(article.outlet.as_deref().unwrap_or("unknown outlet")),
        article
            .published
            .as_ref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default()
    );
    if let Some(event) = &page.event {
        let _ = writeln!(
            out,
            "Reports [{}](/events/{}.md)\n",
            escape_markdown(event.headline.as_deref().unwrap_or("an event")),
            event.id
        );
    }
    for paragraph in article.paragraphs() {
        let _ = writeln!(out, "{}\n", escape_markdown(paragraph));
    }
    if !page.quotes.is_empty() {
        out.push_str("## Quotes\n\n");
        for quote in &page.quotes {
            let _ = writeln!(
                out,
                "> {}\n\n— {}\n",
                escape_markdown(&quote.text),
                escape_markdown(quote.speaker_name.as_deref().unwrap_or("unknown speaker"))
            );
        }
    }
    out.push_str("## Found at\n\n");
    for location in &page.article.locations {
        let _ = match markdown_url(location) {
            Some(url) => writeln!(out, "- <{url}>"),
            None => writeln!(out, "- {}", escape_markdown(location)),
        };
    }
    out
}

/// An article as XML: `<article id outlet published event>` with `<title>`, `<text>`
/// of `<p>`, `<entities>`, `<quotes>` and `<locations>`.
pub fn article_xml(page: &ArticlePage) -> String {
    let article = &page.article.article;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<article id=\"{}\"{}{}{}>\n  <title>{}</title>\n  <text>\n",
        page.article.id,
        attribute("outlet", article.outlet.as_deref()),
        attribute(
            "published",
            article
                .published
                .as_ref()
                .map(ToString::to_string)
                .as_deref()
        ),
        attribute(
            "event",
            page.event.as_ref().map(|e| e.id.to_string()).as_deref()
        ),
        xml_escape(page.title())
    );
    for paragraph in article.paragraphs() {
        let _ = writeln!(out, "    <p>{}</p>", xml_escape(paragraph));
    }
    out.push_str("  </text>\n  <entities>\n");
    for entity in &page.entities {
        let _ = writeln!(
            out,
            "    <entity id=\"{}\" kind=\"{}\">{}</entity>",
            entity.id.0,
            entity.kind.name(),
            xml_escape(&entity.name)
        );
    }
    out.push_str("  </entities>\n  <quotes>\n");
    for quote in &page.quotes {
        let _ = writeln!(
            out,
            "    <quote id=\"{}\"{}>{}</quote>",
            quote.id.0,
            attribute("speaker", quote.speaker_name.as_deref()),
            xml_escape(&quote.text)
        );
    }
    out.push_str("  </quotes>\n  <locations>\n");
    for location in &page.article.locations {
        let _ = writeln!(out, "    <location>{}</location>", xml_escape(location));
    }
    out.push_str("  </locations>\n</article>\n");
    out
}

/// The body of a quote's HTML page.
pub fn quote_html(quote: &StoredQuote) -> String {
    let mut out = format!(
        "<article class=\"quote\">\n<h1>Quote</h1>\n<blockquote><p>{}</p><footer>— {}</footer></blockquote>\n",
        html_escape(&quote.text),
        match (quote.speaker, &quote.speaker_name) {
            (Some(id), Some(name)) =>
                format!("<a href=\"/entities/{}\">{}</a>", id.0, html_escape(name)),
            _ => "unknown speaker".to_string(),
        }
    );
    out.push_str(
        "<section aria-labelledby=\"reported\"><h2 id=\"reported\">Reported by</h2>\n<ol>\n",
    );
    for citation in &quote.citations {
        let _ = writeln!(
            out,
            "<li><a href=\"/articles/{}\">{}</a>{}: “{}”</li>",
            citation.article,
            html_escape(citation.outlet.as_deref().unwrap_or("unknown outlet")),
            citation
                .said_on
                .as_deref()
                .map(|d| format!(" (said {})", html_escape(d)))
                .unwrap_or_default(),
            html_escape(&citation.text)
        );
    }
    out.push_str("</ol></section>\n</article>\n");
    out
}

/// A quote as Markdown.
pub fn quote_markdown(quote: &StoredQuote) -> String {
    let mut out = format!(
        "> {}\n\n— {}\n\n## Reported by\n\n",
        escape_markdown(&quote.text),
        escape_markdown(quote.speaker_name.as_deref().unwrap_or("unknown speaker"))
    );
    for citation in &quote.citations {
        let _ = writeln!(
            out,
            "1. [{}](/articles/{}.md)",
            escape_markdown(citation.outlet.as_deref().unwrap_or("unknown outlet")),
            citation.article
        );
    }
    out
}

/// A quote as XML: `<quote id speaker>` with `<text>` and `<citation article outlet>`s.
pub fn quote_xml(quote: &StoredQuote) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quote id=\"{}\"{}>\n  <text>{}</text>\n",
        quote.id.0,
        attribute("speaker", quote.speaker_name.as_deref()),
        xml_escape(&quote.text)
    );
    for citation in &quote.citations {
        let _ = writeln!(
            out,
            "  <citation article=\"{}\"{}{}>{}</citation>",
            citation.article,
            attribute("outlet", citation.outlet.as_deref()),
            attribute("said_on", citation.said_on.as_deref()),
            xml_escape(&citation.text)
        );
    }
    out.push_str("</quote>\n");
    out
}
