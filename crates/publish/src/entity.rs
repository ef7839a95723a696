//! An entity's page in every format: its name, type, aliases, roles over time, its
//! events, its quotes, the entities seen with it, and the articles that mention it.

use crate::{attribute, escape_markdown, html_escape, xml_escape};
use chronicle_store::{EntityDetail, EntityId, EventFilter, EventSummary, Reader, RelatedEntity};
use serde::Serialize;
use std::fmt::Write as _;

/// Items per section of an entity page (roles, articles, quotes, events, related).
pub const ENTITY_ITEMS: usize = 50;

/// Articles of the entity read to find who appears with it.
const RELATED_WITHIN: usize = 500;

/// Everything an entity page shows, read from the store.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityPage {
    #[serde(flatten)]
    pub detail: EntityDetail,
    /// Its latest events (those with an article mentioning it).
    pub events: Vec<EventSummary>,
    /// Entities seen in the same articles.
    pub related: Vec<RelatedEntity>,
}

impl EntityPage {
    /// The page of entity `id`, or `None` when there is none.
    pub fn load(read: &Reader<'_>, id: u64) -> chronicle_store::Result<Option<Self>> {
        let id = EntityId(id);
        let Some(detail) = read.entity_within(id, Some(ENTITY_ITEMS))? else {
            return Ok(None);
        };
        let events = read.events(&EventFilter {
            entity: Some(id.0),
            limit: Some(ENTITY_ITEMS),
            ..EventFilter::default()
        })?;
        let related = read.related_entities(id, RELATED_WITHIN, 20)?;
        Ok(Some(Self {
            detail,
            events,
            related,
        }))
    }
}

/// Plain text, for the terminal.
pub fn entity_text(page: &EntityPage) -> String {
    let entity = &page.detail;
    let mut out = String::new();
    let summary = &entity.summary;
    let _ = writeln!(
        out,
        "{} ({}, id {})",
        summary.name,
        summary.kind.name(),
        summary.id.0
    );
    let _ = writeln!(
        out,
        "{} articles, {} mentions",
        summary.articles, summary.mentions
    );
    if !entity.aliases.is_empty() {
        let _ = writeln!(out, "\nAlso written as: {}", entity.aliases.join("; "));
    }
    if !entity.roles.is_empty() {
        let _ = writeln!(out, "\nRoles:");
        for role in &entity.roles {
            let _ = writeln!(
                out,
                "  {}  {} (article {})",
                role.date.as_deref().unwrap_or("----------"),
                role.role,
                role.article
            );
        }
    }
    if !page.events.is_empty() {
        let _ = writeln!(out, "\nEvents:");
        for event in &page.events {
            let _ = writeln!(
                out,
                "  {:>6}  {}  {}",
                event.id,
                event.date.as_deref().unwrap_or("----------"),
                event.headline.as_deref().unwrap_or("(no headline yet)")
            );
        }
    }
    if !entity.quotes.is_empty() {
        let _ = writeln!(out, "\nQuotes:");
        for quote in &entity.quotes {
            let _ = writeln!(
                out,
                "  “{}” ({} citation{})",
                quote.text,
                quote.citations.len(),
                if quote.citations.len() == 1 { "" } else { "s" }
            );
        }
    }
    if !page.related.is_empty() {
        let _ = writeln!(out, "\nSeen with:");
        for other in &page.related {
            let _ = writeln!(
                out,
                "  {} ({}, {} shared article{})",
                other.name,
                other.kind.name(),
                other.shared,
                if other.shared == 1 { "" } else { "s" }
            );
        }
    }
    let _ = writeln!(out, "\nArticles:");
    for article in &entity.article_list {
        let day = article
            .published
            .as_deref()
            .map(|p| p.chars().take(10).collect::<String>())
            .unwrap_or_else(|| "----------".into());
        let _ = writeln!(
            out,
            "  {:>6}  {day}  {}",
            article.id.0,
            article.title.as_deref().unwrap_or("(untitled)")
        );
    }
    if !entity.merges.is_empty() {
        let _ = writeln!(out, "\nWhy these are one entity:");
        for merge in &entity.merges {
            let _ = writeln!(
                out,
                "  article {}: {} — {}",
                merge.article, merge.name, merge.evidence
            );
        }
    }
    out
}

/// Markdown, with links to the site's pages.
pub fn entity_markdown(page: &EntityPage) -> String {
    let entity = &page.detail;
    let mut out = String::new();
    let summary = &entity.summary;
    let _ = writeln!(
        out,
        "# {}\n\n_{}, {} articles, {} mentions_\n",
        escape_markdown(&summary.name),
        summary.kind.name(),
        summary.articles,
        summary.mentions
    );
    if !entity.aliases.is_empty() {
        let aliases: Vec<String> = entity.aliases.iter().map(|a| escape_markdown(a)).collect();
        let _ = writeln!(out, "**Also written as:** {}\n", aliases.join(", "));
    }
    if !entity.roles.is_empty() {
        let _ = writeln!(out, "## Roles\n");
        for role in &entity.roles {
            let _ = writeln!(
                out,
                "- {} ({})",
                escape_markdown(&role.role),
                role.date.as_deref().unwrap_or("undated")
            );
        }
        out.push('\n');
    }
    if !page.events.is_empty() {
        let _ = writeln!(out, "## Events\n");
        for event in &page.events {
            let _ = writeln!(
                out,
                "- {} [{}](/events/{}.md)",
                event.date.as_deref().unwrap_or("undated"),
                escape_markdown(event.headline.as_deref().unwrap_or("(no headline yet)")),
                event.id
            );
        }
        out.push('\n');
    }
    if !entity.quotes.is_empty() {
        let _ = writeln!(out, "## Quotes\n");
        for quote in &entity.quotes {
            let _ = writeln!(out, "> {}\n", escape_markdown(&quote.text));
        }
    }
    if !page.related.is_empty() {
        let _ = writeln!(out, "## Seen with\n");
        for other in &page.related {
            let _ = writeln!(
                out,
                "- [{}](/entities/{}.md) ({} shared)",
                escape_markdown(&other.name),
                other.id.0,
                other.shared
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Articles\n");
    for article in &entity.article_list {
        let _ = writeln!(
            out,
            "- {} {} (article {})",
            article.published.as_deref().unwrap_or("undated"),
            escape_markdown(article.title.as_deref().unwrap_or("(untitled)")),
            article.id
        );
    }
    out
}

/// XML: `<entity id kind name articles mentions>` holding `<aliases>`, `<roles>`,
/// `<events>`, `<quotes>`, `<related>` and `<articles>`.
pub fn entity_xml(page: &EntityPage) -> String {
    let entity = &page.detail;
    let summary = &entity.summary;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<entity id=\"{}\" kind=\"{}\"{} articles=\"{}\" mentions=\"{}\">\n",
        summary.id.0,
        summary.kind.name(),
        attribute("name", Some(&summary.name)),
        summary.articles,
        summary.mentions
    );
    out.push_str("  <aliases>\n");
    for alias in &entity.aliases {
        let _ = writeln!(out, "    <alias>{}</alias>", xml_escape(alias));
    }
    out.push_str("  </aliases>\n  <roles>\n");
    for role in &entity.roles {
        let _ = writeln!(
            out,
            "    <role article=\"{}\"{}>{}</role>",
            role.article,
            attribute("date", role.date.as_deref()),
            xml_escape(&role.role)
        );
    }
    out.push_str("  </roles>\n  <events>\n");
    for event in &page.events {
        let _ = writeln!(
            out,
            "    <event id=\"{}\"{}{}>{}</event>",
            event.id,
            attribute("date", event.date.as_deref()),
            attribute("category", event.category.as_deref()),
            xml_escape(event.headline.as_deref().unwrap_or(""))
        );
    }
    out.push_str("  </events>\n  <quotes>\n");
    for quote in &entity.quotes {
        let _ = writeln!(
            out,
            "    <quote id=\"{}\" citations=\"{}\">{}</quote>",
            quote.id.0,
            quote.citations.len(),
            xml_escape(&quote.text)
        );
    }
    out.push_str("  </quotes>\n  <related>\n");
    for other in &page.related {
        let _ = writeln!(
            out,
            "    <entity id=\"{}\" kind=\"{}\" shared=\"{}\">{}</entity>",
            other.id.0,
            other.kind.name(),
            other.shared,
            xml_escape(&other.name)
        );
    }
    out.push_str("  </related>\n  <articles>\n");
    for article in &entity.article_list {
        let _ = writeln!(
            out,
            "    <article id=\"{}\"{}>{}</article>",
            article.id,
            attribute("published", article.published.as_deref()),
            xml_escape(article.title.as_deref().unwrap_or(""))
        );
    }
    out.push_str("  </articles>\n</entity>\n");
    out
}

/// The body of the entity's HTML page.
pub fn entity_html(page: &EntityPage) -> String {
    let entity = &page.detail;
    let summary = &entity.summary;
    let mut out = format!(
        "<article class=\"entity\">\n<p class=\"meta\">{} · {} articles · {} mentions</p>\n<h1>{}</h1>\n",
        html_escape(summary.kind.name()),
        summary.articles,
        summary.mentions,
        html_escape(&summary.name)
    );
    if !entity.aliases.is_empty() {
        let aliases: Vec<String> = entity.aliases.iter().map(|a| html_escape(a)).collect();
        let _ = writeln!(out, "<p>Also written as: {}</p>", aliases.join(", "));
    }
    if !page.events.is_empty() {
        out.push_str("<section aria-labelledby=\"events\"><h2 id=\"events\">Events</h2>\n<ul>\n");
        for event in &page.events {
            let _ = writeln!(
                out,
                "<li><time>{}</time> <a href=\"/events/{}\">{}</a></li>",
                html_escape(event.date.as_deref().unwrap_or("undated")),
                event.id,
                html_escape(event.headline.as_deref().unwrap_or("(no headline yet)"))
            );
        }
        out.push_str("</ul></section>\n");
    }
    if !entity.roles.is_empty() {
        out.push_str("<section aria-labelledby=\"roles\"><h2 id=\"roles\">Roles</h2>\n<ul>\n");
        for role in &entity.roles {
            let _ = writeln!(
                out,
                "<li><time>{}</time> {}</li>",
                html_escape(role.date.as_deref().unwrap_or("undated")),
                html_escape(&role.role)
            );
        }
        out.push_str("</ul></section>\n");
    }
    if !entity.quotes.is_empty() {
        out.push_str("<section aria-labelledby=\"quotes\"><h2 id=\"quotes\">Quotes</h2>\n");
        for quote in &entity.quotes {
            let _ = writeln!(
                out,
                "<blockquote><p><a href=\"/quotes/{}\">{}</a></p><footer>{} citation{}</footer></blockquote>",
                quote.id.0,
                html_escape(&quote.text),
                quote.citations.len(),
                if quote.citations.len() == 1 { "" } else { "s" }
            );
        }
        out.push_str("</section>\n");
    }
    if !page.related.is_empty() {
        out.push_str("<section aria-labelledby=\"with\"><h2 id=\"with\">Seen with</h2>\n<ul>\n");
        for other in &page.related {
            let _ = writeln!(
                out,
                "<li><a href=\"/entities/{}\">{}</a> <span class=\"kind\">{}</span> · {} shared article{}</li>",
                other.id.0,
                html_escape(&other.name),
                html_escape(other.kind.name()),
                other.shared,
                if other.shared == 1 { "" } else { "s" }
            );
        }
        out.push_str("</ul></section>\n");
    }
    if !entity.article_list.is_empty() {
        out.push_str(
            "<section aria-labelledby=\"articles\"><h2 id=\"articles\">Articles</h2>\n<ul>\n",
        );
        for article in &entity.article_list {
            let _ = writeln!(
                out,
                "<li><time>{}</time> <a href=\"/articles/{}\">{}</a></li>",
                html_escape(
                    &article
                        .published
                        .as_deref()
                        .unwrap_or("undated")
                        .chars()
                        .take(10)
                        .collect::<String>()
                ),
                article.id,
                html_escape(article.title.as_deref().unwrap_or("(untitled)"))
            );
        }
        out.push_str("</ul></section>\n");
    }
    out.push_str("</article>\n");
    out
}
