//! The record in every format: one event as text, JSON, Markdown and XML (HTML comes
//! with the server), built from the store's reads. The command line and the server
//! render through here, so every front end shows the same record.

mod article;
mod entity;
mod feed;
mod revision;

pub use article::{
    ArticlePage, article_html, article_markdown, article_xml, quote_html, quote_markdown, quote_xml,
};
pub use entity::{ENTITY_ITEMS, EntityPage, entity_html, entity_markdown, entity_text, entity_xml};
pub use feed::{Feed, FeedFormat, write_feed};
pub use revision::{RevisionPage, change_text, revision_html, revision_markdown, revision_xml};

use chronicle_store::{EventChange, EventDetail, EventEntity, RelatedEvent, StoredQuote};
use serde::Serialize;
use std::io::Write;

/// Everything an event page shows, read from the store.
#[derive(Clone, Debug, PartialEq)]
pub struct EventData {
    pub detail: EventDetail,
    pub entities: Vec<EventEntity>,
    pub quotes: Vec<StoredQuote>,
    pub related: Vec<RelatedEvent>,
}

impl EventData {
    /// An event (after following merges) with its entities, quotes and related events.
    pub fn load(
        read: &chronicle_store::Reader<'_>,
        id: u64,
    ) -> chronicle_store::Result<Option<Self>> {
        let Some(detail) = read.event(id)? else {
            return Ok(None);
        };
        let event = detail.summary.id;
        Ok(Some(Self {
            entities: read.event_entities(event, 30)?,
            quotes: read.quotes(None, Some(event), Some(20))?,
            related: read.related_events(event, 8)?,
            detail,
        }))
    }

    /// The record to render: with each source's explanation when `why`, with the
    /// change history when `history`.
    pub fn record(&self, why: bool, history: bool) -> Record<'_> {
        let detail = &self.detail;
        let sources = numbered(detail, why);
        Record {
            id: detail.summary.id,
            date: detail.summary.date.as_deref(),
            date_source: detail.date_source.as_deref(),
            headline: detail.summary.headline.as_deref(),
            category: detail.summary.category.as_deref(),
            summary: detail
                .summary_sentences
                .iter()
                .map(|sentence| Cited {
                    text: &sentence.text,
                    sources: sources
                        .iter()
                        .filter(|s| {
                            sentence.articles.contains(&s.article)
                                || s.copy_articles
                                    .iter()
                                    .any(|c| sentence.articles.contains(c))
                        })
                        .map(|s| s.number)
                        .collect(),
                })
                .collect(),
            story: detail.summary.story,
            story_name: detail.summary.story_name.as_deref(),
            created: &detail.created,
            updated: &detail.summary.updated,
            sources,
            entities: &self.entities,
            quotes: &self.quotes,
            merged: &detail.merged,
            related: &self.related,
            history: history.then_some(detail.history.as_slice()),
        }
    }
}

/// Escapes characters that would start Markdown syntax in article text.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, c) in text.chars().enumerate() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|')
            || (index == 0 && matches!(c, '#' | '-' | '+' | '='))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One numbered source, copies collapsed into their primary.
#[derive(Debug, Serialize)]
pub struct Source<'a> {
    pub number: usize,
    pub article: u64,
    pub outlet: Option<&'a str>,
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub image: Option<&'a str>,
    pub published: Option<&'a str>,
    /// Copies of this article (syndicated or cross-posted) in the event.
    pub copies: usize,
    /// The article ids of those copies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copy_articles: Vec<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<&'a serde_json::Value>,
}

/// A summary sentence with the numbers of the sources that say it.
#[derive(Debug, Serialize)]
pub struct Cited<'a> {
    pub text: &'a str,
    pub sources: Vec<usize>,
}

/// The event record as the JSON format shows it.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub id: u64,
    /// When it happened (YYYY-MM-DD).
    pub date: Option<&'a str>,
    pub date_source: Option<&'a str>,
    pub headline: Option<&'a str>,
    pub category: Option<&'a str>,
    /// A few sentences, each citing the numbered sources that say it.
    pub summary: Vec<Cited<'a>>,
    pub story: Option<u64>,
    pub story_name: Option<&'a str>,
    pub created: &'a str,
    pub updated: &'a str,
    pub sources: Vec<Source<'a>>,
    pub entities: &'a [EventEntity],
    pub quotes: &'a [StoredQuote],
    /// Ids merged into this event.
    pub merged: &'a [u64],
    /// Related events with what relates them.
    pub related: &'a [RelatedEvent],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<&'a [EventChange]>,
}

pub fn numbered<'a>(detail: &'a EventDetail, why: bool) -> Vec<Source<'a>> {
    let mut sources: Vec<Source<'a>> = Vec::new();
    for source in detail.sources.iter().filter(|s| s.copy_of.is_none()) {
        sources.push(Source {
            number: sources.len() + 1,
            article: source.article,
            outlet: source.outlet.as_deref(),
            title: source.title.as_deref(),
            url: source.url.as_deref(),
            image: source.image.as_deref(),
            published: source.published.as_deref(),
            copies: detail
                .sources
                .iter()
                .filter(|s| s.copy_of == Some(source.article))
                .count(),
            copy_articles: detail
                .sources
                .iter()
                .filter(|s| s.copy_of == Some(source.article))
                .map(|s| s.article)
                .collect(),
            why: why.then_some(&source.why),
        });
    }
    // Copies whose primary is in another event are sources in their own right.
    for source in detail.sources.iter().filter(|s| {
        s.copy_of
            .is_some_and(|p| !detail.sources.iter().any(|o| o.article == p))
    }) {
        sources.push(Source {
            number: sources.len() + 1,
            article: source.article,
            outlet: source.outlet.as_deref(),
            title: source.title.as_deref(),
            url: source.url.as_deref(),
            image: source.image.as_deref(),
            published: source.published.as_deref(),
            copies: 0,
            copy_articles: Vec::new(),
            why: why.then_some(&source.why),
        });
    }
    sources
}

pub fn write_text(out: &mut impl Write, record: &Record<'_>) -> std::io::Result<()> {
    writeln!(
        out,
        "Event {}  {}  {}",
        record.id,
        record.date.unwrap_or("undated"),
        record.category.unwrap_or("uncategorised")
    )?;
    writeln!(out, "{}", record.headline.unwrap_or(""))?;
    if let Some(source) = record.date_source {
        writeln!(out, "date: {source}")?;
    }
    if let Some(story) = record.story {
        writeln!(
            out,
            "story {story}: {}",
            record.story_name.unwrap_or("unnamed")
        )?;
    }
    if record.summary.len() > 1 {
        writeln!(out, "\nSummary:")?;
        for sentence in &record.summary {
            writeln!(out, "  {}{}", sentence.text, citations(&sentence.sources))?;
        }
    }
    writeln!(out, "\nSources:")?;
    for source in &record.sources {
        let copies = match source.copies {
            0 => String::new(),
            1 => " (+1 copy)".to_string(),
            n => format!(" (+{n} copies)"),
        };
        writeln!(
            out,
            "  {}. {} — {}{}\n     {}{}",
            source.number,
            source.outlet.unwrap_or("unknown outlet"),
            source.title.unwrap_or("untitled"),
            copies,
            source.url.unwrap_or(""),
            source
                .published
                .map(|p| format!("  ({p})"))
                .unwrap_or_default()
        )?;
        if let Some(why) = source.why {
            writeln!(out, "     why: {}", explain(why))?;
        }
    }
    if !record.entities.is_empty() {
        writeln!(out, "\nEntities:")?;
        for entity in record.entities.iter().take(15) {
            let roles = if entity.roles.is_empty() {
                String::new()
            } else {
                format!(" — {}", entity.roles.join("; "))
            };
            writeln!(
                out,
                "  {} ({}, {} articles){}",
                entity.name, entity.kind, entity.articles, roles
            )?;
        }
    }
    if !record.quotes.is_empty() {
        writeln!(out, "\nQuotes:")?;
        for quote in record.quotes {
            writeln!(
                out,
                "  \u{201c}{}\u{201d} — {}",
                quote.text,
                quote.speaker_name.as_deref().unwrap_or("unknown speaker")
            )?;
        }
    }
    if !record.related.is_empty() {
        writeln!(out, "\nRelated events:")?;
        for related in record.related {
            writeln!(
                out,
                "  {:>6}  {}  {}\n          Context: {}",
                related.event.id,
                related.event.date.as_deref().unwrap_or("undated"),
                related.event.headline.as_deref().unwrap_or(""),
                context(related)
            )?;
        }
    }
    if !record.merged.is_empty() {
        let ids: Vec<String> = record.merged.iter().map(u64::to_string).collect();
        writeln!(out, "\nMerged from events: {}", ids.join(", "))?;
    }
    if let Some(history) = record.history {
        writeln!(out, "\nHistory (`--revision N` shows version N):")?;
        for (revision, change) in revision_numbers(history) {
            let version = revision.map(|n| format!("v{n}")).unwrap_or_default();
            writeln!(out, "  {version:<4} {}  {}", change.at, change_text(change))?;
        }
    }
    Ok(())
}

/// Source numbers as citation marks (` [1][3]`).
pub fn citations(numbers: &[usize]) -> String {
    if numbers.is_empty() {
        return String::new();
    }
    let marks: String = numbers.iter().map(|n| format!("[{n}]")).collect();
    format!(" {marks}")
}

/// A value as pretty JSON and a newline.
pub fn write_json(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)?;
    Ok(())
}

/// What relates two events, in words ("Sergey Kislyak, Donald Trump; same story").
pub fn context(related: &RelatedEvent) -> String {
    let mut parts = Vec::new();
    if !related.shared.is_empty() {
        parts.push(related.shared.join(", "));
    }
    if related.same_story {
        parts.push(format!(
            "same story{}",
            related
                .event
                .story_name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ));
    }
    parts.join("; ")
}

/// A one-line reading of a join's explanation.
pub fn explain(why: &serde_json::Value) -> String {
    if let Some(primary) = why.get("copy_of") {
        return format!("a copy of article {primary}");
    }
    let number = |key: &str| why.get(key).and_then(serde_json::Value::as_f64);
    let list = |key: &str| {
        why.get(key)
            .and_then(serde_json::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let score = number("score").unwrap_or(0.0);
    let mut parts = vec![match number("bar").filter(|bar| *bar > 0.0) {
        Some(bar) => format!("score {score:.2} (needed {bar:.2})"),
        None => format!("score {score:.2}"),
    }];
    if let (Some(text), Some(names)) = (number("text_similarity"), number("name_similarity")) {
        parts.push(format!("text {text:.2}, names {names:.2}"));
    }
    let names = list("shared_names");
    if !names.is_empty() {
        parts.push(format!("shared names: {names}"));
    }
    let terms = list("shared_terms");
    if !terms.is_empty() {
        parts.push(format!("shared terms: {terms}"));
    }
    let missing = list("missing_names");
    if !missing.is_empty() {
        let share = number("missing").unwrap_or(0.0);
        parts.push(format!(
            "event's lead names it lacks: {missing} ({share:.2})"
        ));
    }
    if let Some(days) = number("days_apart") {
        parts.push(format!("{days:.1} days apart"));
    }
    if let Some(candidates) = why.get("candidates").and_then(serde_json::Value::as_u64) {
        parts.push(format!("{candidates} candidate events"));
    }
    parts.join("; ")
}

pub fn write_markdown(out: &mut impl Write, record: &Record<'_>) -> std::io::Result<()> {
    writeln!(
        out,
        "# {}\n",
        escape_markdown(record.headline.unwrap_or("Untitled event"))
    )?;
    writeln!(out, "- **Date:** {}", record.date.unwrap_or("unknown"))?;
    writeln!(
        out,
        "- **Category:** {}",
        record.category.unwrap_or("uncategorised")
    )?;
    if let Some(story) = record.story_name {
        writeln!(out, "- **Story:** {}", escape_markdown(story))?;
    }
    writeln!(out, "- **Event:** {}\n", record.id)?;
    if record.summary.len() > 1 {
        let text: Vec<String> = record
            .summary
            .iter()
            .map(|s| format!("{}{}", escape_markdown(s.text), citations(&s.sources)))
            .collect();
        writeln!(out, "{}\n", text.join(" "))?;
    }
    writeln!(out, "## Sources\n")?;
    for source in &record.sources {
        let title = escape_markdown(source.title.unwrap_or("untitled"));
        let linked = match source.url.and_then(markdown_url) {
            Some(url) => format!("[{title}](<{url}>)"),
            None => title,
        };
        writeln!(
            out,
            "{}. {} — {}{}",
            source.number,
            escape_markdown(source.outlet.unwrap_or("unknown outlet")),
            linked,
            if source.copies > 0 {
                format!(" (+{} copies)", source.copies)
            } else {
                String::new()
            }
        )?;
    }
    if !record.entities.is_empty() {
        writeln!(out, "\n## Entities\n")?;
        for entity in record.entities.iter().take(15) {
            writeln!(
                out,
                "- {} ({}){}",
                escape_markdown(&entity.name),
                entity.kind,
                if entity.roles.is_empty() {
                    String::new()
                } else {
                    format!(": {}", escape_markdown(&entity.roles.join("; ")))
                }
            )?;
        }
    }
    if !record.quotes.is_empty() {
        writeln!(out, "\n## Quotes\n")?;
        for quote in record.quotes {
            writeln!(
                out,
                "> {}\n>\n> — {}\n",
                escape_markdown(&quote.text),
                escape_markdown(quote.speaker_name.as_deref().unwrap_or("unknown speaker"))
            )?;
        }
    }
    if !record.related.is_empty() {
        writeln!(out, "\n## Related events\n")?;
        for related in record.related {
            writeln!(
                out,
                "- {} — {} (event {})\n  Context: {}",
                related.event.date.as_deref().unwrap_or("undated"),
                escape_markdown(related.event.headline.as_deref().unwrap_or("")),
                related.event.id,
                escape_markdown(&context(related))
            )?;
        }
    }
    if let Some(history) = record.history {
        writeln!(out, "\n## Changes\n")?;
        for (revision, change) in revision_numbers(history) {
            let version = revision
                .map(|n| format!(" [version {n}](/events/{}/revisions/{n}.md):", record.id))
                .unwrap_or_default();
            writeln!(
                out,
                "- {} —{version} {}",
                change.at,
                escape_markdown(&change_text(change))
            )?;
        }
    }
    Ok(())
}

pub fn write_xml(out: &mut impl Write, record: &Record<'_>) -> std::io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<event id=\"{}\"{}{}{}>",
        record.id,
        attribute("date", record.date),
        attribute("category", record.category),
        attribute("story", record.story_name)
    )?;
    writeln!(
        out,
        "  <headline>{}</headline>",
        xml_escape(record.headline.unwrap_or(""))
    )?;
    writeln!(out, "  <summary>")?;
    for sentence in &record.summary {
        let cited: Vec<String> = sentence.sources.iter().map(usize::to_string).collect();
        writeln!(
            out,
            "    <sentence sources=\"{}\">{}</sentence>",
            cited.join(" "),
            xml_escape(sentence.text)
        )?;
    }
    writeln!(out, "  </summary>\n  <sources>")?;
    for source in &record.sources {
        writeln!(
            out,
            "    <source number=\"{}\" article=\"{}\"{}{}{} copies=\"{}\">{}</source>",
            source.number,
            source.article,
            attribute("outlet", source.outlet),
            attribute("url", source.url),
            attribute("published", source.published),
            source.copies,
            xml_escape(source.title.unwrap_or(""))
        )?;
    }
    writeln!(out, "  </sources>\n  <entities>")?;
    for entity in record.entities {
        writeln!(
            out,
            "    <entity id=\"{}\" type=\"{}\" articles=\"{}\">{}</entity>",
            entity.id,
            xml_escape(&entity.kind),
            entity.articles,
            xml_escape(&entity.name)
        )?;
    }
    writeln!(out, "  </entities>\n  <quotes>")?;
    for quote in record.quotes {
        writeln!(
            out,
            "    <quote{}>{}</quote>",
            attribute("speaker", quote.speaker_name.as_deref()),
            xml_escape(&quote.text)
        )?;
    }
    writeln!(out, "  </quotes>\n  <related>")?;
    for related in record.related {
        writeln!(
            out,
            "    <event id=\"{}\"{} same-story=\"{}\"><headline>{}</headline><context>{}</context></event>",
            related.event.id,
            attribute("date", related.event.date.as_deref()),
            related.same_story,
            xml_escape(related.event.headline.as_deref().unwrap_or("")),
            xml_escape(&context(related))
        )?;
    }
    writeln!(out, "  </related>")?;
    if let Some(history) = record.history {
        writeln!(out, "  <history>")?;
        for change in history {
            writeln!(
                out,
                "    <change at=\"{}\" kind=\"{}\">{}</change>",
                xml_escape(&change.at),
                xml_escape(&change.kind),
                xml_escape(&change.detail.to_string())
            )?;
        }
        writeln!(out, "  </history>")?;
    }
    writeln!(out, "</event>")?;
    Ok(())
}

/// ` name="value"` escaped, or nothing.
pub fn attribute(name: &str, value: Option<&str>) -> String {
    value.map_or_else(String::new, |v| format!(" {name}=\"{}\"", xml_escape(v)))
}

/// Text escaped for XML content and attributes; characters XML 1.0 forbids are dropped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A list of events as XML: `<events>` (with a `title` attribute when given) holding
/// one `<event id date category sources>` per event.
pub fn write_events_xml(
    out: &mut impl Write,
    title: Option<&str>,
    events: &[chronicle_store::EventSummary],
) -> std::io::Result<()> {
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<events{}>",
        attribute("title", title)
    )?;
    for event in events {
        writeln!(
            out,
            "  <event id=\"{}\"{}{} sources=\"{}\"><headline>{}</headline></event>",
            event.id,
            attribute("date", event.date.as_deref()),
            attribute("category", event.category.as_deref()),
            event.sources,
            xml_escape(event.headline.as_deref().unwrap_or(""))
        )?;
    }
    writeln!(out, "</events>")
}

/// Text escaped for HTML content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A link target that is safe to put in `href`: only http(s) and site-relative URLs;
/// anything else (`javascript:`, `data:`) becomes `None`.
pub fn safe_href(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || trimmed.starts_with('/'))
        .then(|| html_escape(trimmed))
}

/// A link target that is safe in Markdown (`[text](<url>)`, `<url>`): only http(s) and
/// site-relative URLs, with the characters that would end the link escaped; anything
/// else (`javascript:`, `data:`) becomes `None` and is written as text.
pub fn markdown_url(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || trimmed.starts_with('/'))
        .then(|| {
            trimmed
                .replace('<', "%3C")
                .replace('>', "%3E")
                .replace(char::is_whitespace, "%20")
        })
}

/// A whole HTML page: header with the site name, a main landmark holding `body`, a
/// footer. `alternates` are the same page in other formats (".json", ".md", ".xml").
pub fn html_page(title: &str, body: &str, alternates: &[(&str, String)]) -> String {
    let mut links = String::new();
    let mut formats = String::new();
    for (kind, href) in alternates {
        let media = match *kind {
            "JSON" => "application/json",
            "Markdown" => "text/markdown",
            "RSS" => "application/rss+xml",
            "Atom" => "application/atom+xml",
            _ => "application/xml",
        };
        links.push_str(&format!(
            "<link rel=\"alternate\" type=\"{media}\" href=\"{}\">\n",
            html_escape(href)
        ));
        formats.push_str(&format!(
            " <a href=\"{}\">{}</a>",
            html_escape(href),
            html_escape(kind)
        ));
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · chronicle</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n{links}\
         </head>\n<body>\n<header><nav aria-label=\"Site\"><a class=\"site\" href=\"/\">chronicle</a> \
         <a href=\"/stories/\">Stories</a> <a href=\"/entities/\">Entities</a> <a href=\"/outlets/\">Outlets</a> \
         <form class=\"find\" action=\"/search\" method=\"get\" role=\"search\">\
         <input name=\"q\" type=\"search\" aria-label=\"Search the record\" placeholder=\"Search\">\
         </form></nav></header>\n<main id=\"main\">\n{body}</main>\n\
         <footer><p>Formats:{formats}</p></footer>\n</body>\n</html>\n",
        title = html_escape(title),
    )
}

/// An event as the body of an HTML page.
pub fn event_html(record: &Record<'_>) -> String {
    let mut out = String::new();
    out.push_str("<article class=\"event\">\n");
    out.push_str(&format!(
        "<p class=\"meta\"><time datetime=\"{date}\">{date}</time> · {}{}</p>\n",
        html_escape(record.category.unwrap_or("uncategorised")),
        match (record.story, record.story_name) {
            (Some(id), Some(name)) =>
                format!(" · <a href=\"/stories/{id}\">{}</a>", html_escape(name)),
            _ => String::new(),
        },
        date = html_escape(record.date.unwrap_or("undated")),
    ));
    out.push_str(&format!(
        "<h1>{}</h1>\n",
        html_escape(record.headline.unwrap_or("Untitled event"))
    ));
    if record.summary.len() > 1 {
        out.push_str("<section aria-labelledby=\"summary\"><h2 id=\"summary\">Summary</h2>\n<p>");
        for sentence in &record.summary {
            out.push_str(&html_escape(sentence.text));
            for number in &sentence.sources {
                out.push_str(&format!(
                    "<sup><a href=\"#source-{number}\">[{number}]</a></sup>"
                ));
            }
            out.push(' ');
        }
        out.push_str("</p></section>\n");
    }
    out.push_str("<section aria-labelledby=\"sources\"><h2 id=\"sources\">Sources</h2>\n<ol>\n");
    for source in &record.sources {
        let title = html_escape(source.title.unwrap_or("untitled"));
        let linked = match source.url.and_then(safe_href) {
            Some(href) => format!("<a href=\"{href}\" rel=\"nofollow noopener\">{title}</a>"),
            None => title,
        };
        out.push_str(&format!(
            "<li id=\"source-{}\">{} — {} (<a href=\"/articles/{}\">as read</a>){}{}</li>\n",
            source.number,
            html_escape(source.outlet.unwrap_or("unknown outlet")),
            linked,
            source.article,
            source
                .published
                .map(|p| format!(" <time datetime=\"{0}\">{0}</time>", html_escape(p)))
                .unwrap_or_default(),
            match source.copies {
                0 => String::new(),
                1 => " (+1 copy)".to_string(),
                n => format!(" (+{n} copies)"),
            }
        ));
    }
    out.push_str("</ol></section>\n");
    if !record.entities.is_empty() {
        out.push_str("<section aria-labelledby=\"who\"><h2 id=\"who\">Who and what</h2>\n<ul>\n");
        for entity in record.entities.iter().take(15) {
            out.push_str(&format!(
                "<li><a href=\"/entities/{}\">{}</a> <span class=\"kind\">{}</span>{}</li>\n",
                entity.id,
                html_escape(&entity.name),
                html_escape(&entity.kind),
                if entity.roles.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", html_escape(&entity.roles.join("; ")))
                }
            ));
        }
        out.push_str("</ul></section>\n");
    }
    if !record.quotes.is_empty() {
        out.push_str("<section aria-labelledby=\"quotes\"><h2 id=\"quotes\">Quotes</h2>\n");
        for quote in record.quotes {
            out.push_str(&format!(
                "<blockquote><p><a href=\"/quotes/{}\">{}</a></p><footer>— {}</footer></blockquote>\n",
                quote.id.0,
                html_escape(&quote.text),
                html_escape(quote.speaker_name.as_deref().unwrap_or("unknown speaker"))
            ));
        }
        out.push_str("</section>\n");
    }
    if !record.related.is_empty() {
        out.push_str(
            "<section aria-labelledby=\"related\"><h2 id=\"related\">Related events</h2>\n<ul>\n",
        );
        for related in record.related {
            out.push_str(&format!(
                "<li><time>{}</time> <a href=\"/events/{}\">{}</a><br><span class=\"context\">Context: {}</span></li>\n",
                html_escape(related.event.date.as_deref().unwrap_or("undated")),
                related.event.id,
                html_escape(related.event.headline.as_deref().unwrap_or("")),
                html_escape(&context(related))
            ));
        }
        out.push_str("</ul></section>\n");
    }
    if let Some(history) = record.history {
        out.push_str(
            "<section aria-labelledby=\"changes\"><h2 id=\"changes\">Changes</h2>\n<ol>\n",
        );
        for (revision, change) in revision_numbers(history) {
            let version = revision
                .map(|n| {
                    format!(
                        " <a class=\"version\" href=\"/events/{}/revisions/{n}\">version {n}</a>:",
                        record.id
                    )
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "<li><time>{}</time>{version} {}</li>\n",
                html_escape(&change.at),
                change_html(change)
            ));
        }
        out.push_str("</ol></section>\n");
    }
    out.push_str("</article>\n");
    out
}

/// An event's changes, each with the number of the version it starts (the changes
/// written at one time make one version), `None` for the others of that version.
pub fn revision_numbers(
    history: &[EventChange],
) -> impl Iterator<Item = (Option<usize>, &EventChange)> {
    let mut number = 0;
    history.iter().enumerate().map(move |(i, change)| {
        let starts = i == 0 || history[i - 1].at != change.at;
        number += usize::from(starts);
        (starts.then_some(number), change)
    })
}

/// One change of an event, readable: what was added or became what, with a headline's
/// new wording shown as a word diff (`<del>` and `<ins>`).
pub fn change_html(change: &EventChange) -> String {
    let detail = &change.detail;
    let text = |key: &str| detail.get(key).and_then(serde_json::Value::as_str);
    let article = |key: &str| {
        detail
            .get(key)
            .and_then(serde_json::Value::as_u64)
            .map(|id| format!("<a href=\"/articles/{id}\">article {id}</a>"))
    };
    match change.kind.as_str() {
        "created" => format!(
            "First version, from {}",
            article("article").unwrap_or_else(|| "its first article".into())
        ),
        "source added" => format!(
            "Source added: {}{}",
            article("article").unwrap_or_else(|| "an article".into()),
            detail
                .get("score")
                .and_then(serde_json::Value::as_f64)
                .map(|s| format!(" (joined with score {s:.2})"))
                .unwrap_or_default()
        ),
        "headline" => {
            let to = text("to").unwrap_or_default();
            match text("from") {
                None => format!("Headline: <ins>{}</ins>", html_escape(to)),
                Some(from) => {
                    let mut out = String::from("Headline: ");
                    let diff = similar::TextDiff::from_words(from, to);
                    for change in diff.iter_all_changes() {
                        let words = html_escape(change.value());
                        match change.tag() {
                            similar::ChangeTag::Equal => out.push_str(&words),
                            similar::ChangeTag::Delete => {
                                out.push_str(&format!("<del>{words}</del>"));
                            }
                            similar::ChangeTag::Insert => {
                                out.push_str(&format!("<ins>{words}</ins>"));
                            }
                        }
                    }
                    out
                }
            }
        }
        "merged" | "merged away" | "split" | "split off" => {
            let event = |key: &str| {
                detail
                    .get(key)
                    .and_then(serde_json::Value::as_u64)
                    .map_or_else(
                        || "another event".to_string(),
                        |id| format!("<a href=\"/events/{id}\">event {id}</a>"),
                    )
            };
            let moved = detail
                .get("articles")
                .and_then(serde_json::Value::as_array)
                .map_or(0, Vec::len);
            match change.kind.as_str() {
                "merged" => format!("Merged: {} turned out to be this event", event("from")),
                "merged away" => format!("Merged into {}", event("into")),
                "split" => format!("Split: {moved} articles moved to {}", event("into")),
                _ => format!("Split off from {} with {moved} articles", event("from")),
            }
        }
        kind @ ("date" | "category") => format!(
            "{}: {} → {}",
            if kind == "date" { "Date" } else { "Category" },
            html_escape(text("from").unwrap_or("none")),
            html_escape(text("to").unwrap_or("none"))
        ),
        other => format!(
            "{}: <code>{}</code>",
            html_escape(other),
            html_escape(&detail.to_string())
        ),
    }
}

/// A list of events grouped by day, as the body of an HTML page.
pub fn events_html(heading: &str, events: &[chronicle_store::EventSummary]) -> String {
    events_html_with(heading, "", events)
}

/// [`events_html`] with `intro` (HTML) between the heading and the list.
pub fn events_html_with(
    heading: &str,
    intro: &str,
    events: &[chronicle_store::EventSummary],
) -> String {
    let mut out = format!("<h1>{}</h1>\n{intro}", html_escape(heading));
    if events.is_empty() {
        out.push_str("<p>No events yet.</p>\n");
        return out;
    }
    let mut day: Option<&str> = None;
    for event in events {
        let date = event.date.as_deref().unwrap_or("undated");
        if day != Some(date) {
            if day.is_some() {
                out.push_str("</ul></section>\n");
            }
            let link = day_path(date).map_or_else(
                || html_escape(date),
                |path| format!("<a href=\"{path}\">{}</a>", html_escape(date)),
            );
            out.push_str(&format!("<section><h2>{link}</h2>\n<ul>\n"));
            day = Some(date);
        }
        out.push_str(&format!(
            "<li><a href=\"/events/{}\">{}</a> <span class=\"meta\">{} · {} source{}</span></li>\n",
            event.id,
            html_escape(event.headline.as_deref().unwrap_or("Untitled event")),
            html_escape(event.category.as_deref().unwrap_or("uncategorised")),
            event.sources,
            if event.sources == 1 { "" } else { "s" }
        ));
    }
    out.push_str("</ul></section>\n");
    out
}

/// A small bar chart (inline SVG, no script) of a story's events and their sources
/// over time: one bar pair per week, or per day when the story spans under a month.
/// Empty when fewer than two events are dated.
pub fn story_chart(events: &[chronicle_store::EventSummary]) -> String {
    let dated: Vec<(chrono::NaiveDate, u64)> = events
        .iter()
        .filter_map(|e| {
            let day = chrono::NaiveDate::parse_from_str(e.date.as_deref()?, "%Y-%m-%d").ok()?;
            Some((day, e.sources))
        })
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|d| d.0).min(),
        dated.iter().map(|d| d.0).max(),
    ) else {
        return String::new();
    };
    if dated.len() < 2 {
        return String::new();
    }
    let span = (last - first).num_days();
    let width_days = if span < 31 { 1 } else { 7 };
    let buckets = (span / width_days + 1).min(120) as usize;
    let mut counts = vec![(0u64, 0u64); buckets];
    for (day, sources) in &dated {
        let at = (((*day - first).num_days() / width_days) as usize).min(buckets - 1);
        counts[at].0 += 1;
        counts[at].1 += sources;
    }
    let most = counts
        .iter()
        .map(|c| c.1.max(c.0))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (bar, gap, height) = (8.0, 4.0, 80.0);
    let width = buckets as f64 * (2.0 * bar + gap);
    let mut svg = format!(
        "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {}\" \
         width=\"100%\" height=\"100\" role=\"img\" aria-labelledby=\"chart-title\">\
         <title id=\"chart-title\">Events and sources per {} from {first} to {last}</title>\n",
        height + 2.0,
        if width_days == 1 { "day" } else { "week" },
    );
    for (i, (events, sources)) in counts.iter().enumerate() {
        let x = i as f64 * (2.0 * bar + gap);
        for (offset, value, class) in [(0.0, *events, "events"), (bar, *sources, "sources")] {
            if value == 0 {
                continue;
            }
            let h = (value as f64 / most * height).max(1.0);
            svg.push_str(&format!(
                "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar}\" height=\"{h:.1}\"><title>{value} {class}</title></rect>\n",
                x + offset,
                height - h
            ));
        }
    }
    svg.push_str(&format!(
        "</svg><figcaption>{} events and {} sources, {first} to {last} \
         (<span class=\"key-events\">events</span>, <span class=\"key-sources\">sources</span> per {})</figcaption></figure>\n",
        dated.len(),
        dated.iter().map(|d| d.1).sum::<u64>(),
        if width_days == 1 { "day" } else { "week" },
    ));
    svg
}

/// The path segment of an outlet: its name lowercased, every run of other characters
/// than letters and digits a hyphen ("The Harbour Ledger" → `the-harbour-ledger`).
pub fn outlet_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The day index path of a YYYY-MM-DD date ("/news/2017/07/22/").
pub fn day_path(date: &str) -> Option<String> {
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    (digits(y, 4) && digits(m, 2) && digits(d, 2)).then(|| format!("/news/{y}/{m}/{d}/"))
}

/// The stylesheet of the HTML pages.
pub const STYLE: &str = "\
:root{color-scheme:light dark;--ink:#1b1b1b;--muted:#5a5a5a;--rule:#d8d8d8;--link:#0b57d0;--paper:#fff}\
@media (prefers-color-scheme:dark){:root{--ink:#e8e8e8;--muted:#b0b0b0;--rule:#444;--link:#8ab4f8;--paper:#161616}}\
body{margin:0;background:var(--paper);color:var(--ink);font:17px/1.55 Georgia,'Times New Roman',serif}\
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}\
header{border-bottom:1px solid var(--rule);padding-top:.8rem;padding-bottom:.6rem;font-family:system-ui,sans-serif}\
header a{margin-right:1rem;color:var(--ink);text-decoration:none}.site{font-weight:700;font-size:1.2rem}\
a{color:var(--link)}h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.15rem;font-family:system-ui,sans-serif;border-bottom:1px solid var(--rule)}\
.meta,.kind,.context,footer{color:var(--muted);font-family:system-ui,sans-serif;font-size:.9rem}\
blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--rule)}\
li{margin:.35rem 0}sup a{text-decoration:none}footer{border-top:1px solid var(--rule);margin-top:2rem;padding-bottom:2rem}\
header nav{display:flex;flex-wrap:wrap;align-items:center;gap:.2rem}.find{margin-left:auto}\
input,select,button{font:inherit;font-size:.95rem;padding:.25rem .4rem;border:1px solid var(--rule);border-radius:4px;background:var(--paper);color:var(--ink)}\
form.search{display:flex;flex-wrap:wrap;gap:.4rem .6rem;align-items:center;font-family:system-ui,sans-serif}\
form.search input[type=search]{flex:1 1 14rem}mark{background:#ffe58a;color:#1b1b1b}\
.results li{margin:1rem 0}.results p{margin:.2rem 0}\
ins{background:#d7f5dd;color:#12361a;text-decoration:none}del{background:#fbe0e0;color:#4a1212}\
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;font-family:system-ui,sans-serif}dl.facts dd{margin:0}\
code{font-size:.8rem;word-break:break-all}.chart{margin:1rem 0}.chart svg{max-width:100%}.chart .events,.key-events{fill:var(--link);color:var(--link)}\
.chart .sources,.key-sources{fill:var(--muted);color:var(--muted)}.chart figcaption{color:var(--muted);font:.85rem system-ui,sans-serif}\
@media (max-width:30rem){body{font-size:16px}h1{font-size:1.35rem}.find{margin-left:0;width:100%}.find input{width:100%}}\
";

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: &str, detail: serde_json::Value) -> EventChange {
        EventChange {
            at: "2026-03-05T10:00:00Z".into(),
            kind: kind.into(),
            detail,
        }
    }

    #[test]
    fn a_join_reads_as_one_line_with_what_it_lacks() {
        let line = explain(&serde_json::json!({
            "score": 0.19, "bar": 0.23, "text_similarity": 0.22, "name_similarity": 0.26,
            "shared_names": ["camerino", "5.1"], "shared_terms": [], "days_apart": 0.5,
            "candidates": 4, "compared": 3, "time_factor": 1.0,
            "missing": 0.46, "missing_names": ["marche", "12"],
        }));
        assert_eq!(
            line,
            "score 0.19 (needed 0.23); text 0.22, names 0.26; shared names: camerino, 5.1; \
             event's lead names it lacks: marche, 12 (0.46); 0.5 days apart; 4 candidate events"
        );
        // A join without a conflict says nothing of it.
        let line = explain(&serde_json::json!({"score": 0.5, "shared_names": ["varn"]}));
        assert_eq!(line, "score 0.50; shared names: varn");
    }

    #[test]
    fn a_new_headline_shows_as_a_word_diff_and_stays_escaped() {
        let html = change_html(&change(
            "headline",
            serde_json::json!({
                "from": "Harbour board votes to close north quay",
                "to": "Harbour board votes to close <b>south</b> quay",
            }),
        ));
        assert!(html.contains("<del>north</del>"), "{html}");
        assert!(
            html.contains("<ins>&lt;b&gt;south&lt;/b&gt;</ins>"),
            "{html}"
        );
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn changes_read_as_sentences_with_links() {
        let added = change_html(&change(
            "source added",
            serde_json::json!({"article": 8, "score": 0.25}),
        ));
        assert_eq!(
            added,
            "Source added: <a href=\"/articles/8\">article 8</a> (joined with score 0.25)"
        );
        let merged = change_html(&change(
            "merged",
            serde_json::json!({"from": 4, "into": 9, "evidence": {}}),
        ));
        assert!(
            merged.contains("<a href=\"/events/4\">event 4</a>"),
            "{merged}"
        );
        let date = change_html(&change(
            "date",
            serde_json::json!({"from": null, "to": "2026-03-14"}),
        ));
        assert_eq!(date, "Date: none → 2026-03-14");
    }
}
