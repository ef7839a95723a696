//! One past version of an event as its own page: the headline, date, category and
//! sources it had after one batch of changes, what that batch changed, and a diff
//! against the version before (headline wording, sources added and removed).

use crate::{
    attribute, change_html, escape_markdown, html_escape, markdown_url, safe_href, xml_escape,
};
use chronicle_store::{ArticleRef, EventChange, EventRevision, Reader};
use serde::Serialize;
use std::fmt::Write as _;

/// Everything a revision page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RevisionPage {
    /// The event whose version this is.
    pub event: u64,
    /// The event it is now, when it was merged into another since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<u64>,
    /// This version's number (1 for the first).
    pub revision: usize,
    /// How many versions the event has had.
    pub revisions: usize,
    /// When this version was written.
    pub at: String,
    pub date: Option<String>,
    pub headline: Option<String>,
    pub category: Option<String>,
    /// The headline of the version before, when it differed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_headline: Option<String>,
    /// What this version changed.
    pub changes: Vec<EventChange>,
    /// The articles it held, copies included.
    pub sources: Vec<ArticleRef>,
    /// Articles it held that the version before did not.
    pub added: Vec<u64>,
    /// Articles the version before held that it did not.
    pub removed: Vec<ArticleRef>,
}

impl RevisionPage {
    /// Version `number` of event `event` (its own history: merges not followed), or
    /// `None` when there is no such event or version.
    pub fn load(
        read: &Reader<'_>,
        event: u64,
        number: usize,
    ) -> chronicle_store::Result<Option<Self>> {
        let Some(revisions) = read.event_revisions(event)? else {
            return Ok(None);
        };
        let Some(revision) = number.checked_sub(1).and_then(|i| revisions.get(i)) else {
            return Ok(None);
        };
        let previous: Option<&EventRevision> = number.checked_sub(2).map(|i| &revisions[i]);
        let before: &[u64] = previous.map_or(&[], |p| p.articles.as_slice());
        let added = revision
            .articles
            .iter()
            .filter(|a| before.binary_search(a).is_err())
            .copied()
            .collect();
        let removed: Vec<u64> = before
            .iter()
            .filter(|a| revision.articles.binary_search(a).is_err())
            .copied()
            .collect();
        let merged_into = read.resolve_event(event)?.filter(|now| *now != event);
        Ok(Some(Self {
            event,
            merged_into,
            revision: revision.number,
            revisions: revisions.len(),
            at: revision.at.clone(),
            date: revision.date.clone(),
            headline: revision.headline.clone(),
            category: revision.category.clone(),
            previous_headline: previous
                .and_then(|p| p.headline.clone())
                .filter(|h| Some(h) != revision.headline.as_ref()),
            changes: revision.changes.clone(),
            sources: read.article_refs(&revision.articles)?,
            added,
            removed: read.article_refs(&removed)?,
        }))
    }

    /// The page's title.
    pub fn title(&self) -> String {
        format!(
            "Event {}, version {} of {}",
            self.event, self.revision, self.revisions
        )
    }

    fn link(&self, number: usize, extension: &str) -> String {
        format!("/events/{}/revisions/{number}{extension}", self.event)
    }

    /// The versions before and after this one, when there are.
    fn neighbours(&self) -> (Option<usize>, Option<usize>) {
        (
            (self.revision > 1).then(|| self.revision - 1),
            (self.revision < self.revisions).then(|| self.revision + 1),
        )
    }
}

/// A source as a line: outlet, title (linked to the article as read), publication.
fn source_html(source: &ArticleRef) -> String {
    let mut out = format!(
        "<a href=\"/articles/{}\">{}</a>",
        source.article,
        html_escape(source.title.as_deref().unwrap_or("Untitled article"))
    );
    if let Some(outlet) = &source.outlet {
        let _ = write!(out, " — {}", html_escape(outlet));
    }
    if let Some(published) = &source.published {
        let _ = write!(out, " · <time>{}</time>", html_escape(published));
    }
    if let Some(url) = source.url.as_deref().and_then(safe_href) {
        let _ = write!(
            out,
            " · <a href=\"{}\" rel=\"nofollow noopener\">original</a>",
            html_escape(&url)
        );
    }
    if let Some(primary) = source.copy_of {
        let _ = write!(
            out,
            " <span class=\"meta\">(copy of article {primary})</span>"
        );
    }
    out
}

/// The body of a revision's HTML page.
pub fn revision_html(page: &RevisionPage) -> String {
    let mut out = String::from("<article class=\"event revision\">\n");
    let _ = writeln!(
        out,
        "<p class=\"meta\"><a href=\"/events/{0}\">Event {0}</a> · version {1} of {2} · <time>{3}</time></p>",
        page.event,
        page.revision,
        page.revisions,
        html_escape(&page.at)
    );
    let _ = writeln!(
        out,
        "<h1>{}</h1>",
        html_escape(page.headline.as_deref().unwrap_or("No headline yet"))
    );
    match page.merged_into {
        Some(now) => {
            let _ = writeln!(
                out,
                "<p class=\"context\">A past version. This event has since been merged into <a href=\"/events/{now}\">event {now}</a>.</p>"
            );
        }
        None if page.revision < page.revisions => {
            let _ = writeln!(
                out,
                "<p class=\"context\">A past version. <a href=\"/events/{}\">See the event as it is now</a>.</p>",
                page.event
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<p class=\"context\">The current version of <a href=\"/events/{0}\">event {0}</a>.</p>",
                page.event
            );
        }
    }
    let _ = writeln!(
        out,
        "<dl class=\"facts\"><dt>Date</dt><dd>{}</dd><dt>Category</dt><dd>{}</dd><dt>Sources</dt><dd>{}</dd></dl>",
        html_escape(page.date.as_deref().unwrap_or("unknown")),
        html_escape(page.category.as_deref().unwrap_or("uncategorised")),
        page.sources.len()
    );
    out.push_str(
        "<section aria-labelledby=\"changed\"><h2 id=\"changed\">What this version changed</h2>\n<ul>\n",
    );
    for change in &page.changes {
        let _ = writeln!(out, "<li>{}</li>", change_html(change));
    }
    out.push_str("</ul></section>\n");
    out.push_str(
        "<section aria-labelledby=\"sources\"><h2 id=\"sources\">Sources in this version</h2>\n<ol>\n",
    );
    for source in &page.sources {
        let new = if page.added.contains(&source.article) && page.revision > 1 {
            " <ins>new in this version</ins>"
        } else {
            ""
        };
        let _ = writeln!(out, "<li>{}{new}</li>", source_html(source));
    }
    out.push_str("</ol></section>\n");
    if !page.removed.is_empty() {
        out.push_str(
            "<section aria-labelledby=\"removed\"><h2 id=\"removed\">Sources that left in this version</h2>\n<ul>\n",
        );
        for source in &page.removed {
            let _ = writeln!(out, "<li><del>{}</del></li>", source_html(source));
        }
        out.push_str("</ul></section>\n");
    }
    out.push_str("<nav class=\"pages\" aria-label=\"Versions\">");
    let (previous, next) = page.neighbours();
    if let Some(previous) = previous {
        let _ = write!(
            out,
            "<a rel=\"prev\" href=\"{}\">← version {previous}</a> ",
            page.link(previous, "")
        );
    }
    if let Some(next) = next {
        let _ = write!(
            out,
            "<a rel=\"next\" href=\"{}\">version {next} →</a>",
            page.link(next, "")
        );
    }
    out.push_str("</nav>\n</article>\n");
    out
}

/// A source as a Markdown list item's text.
fn source_markdown(source: &ArticleRef) -> String {
    let title = escape_markdown(source.title.as_deref().unwrap_or("Untitled article"));
    let mut out = match source.url.as_deref().and_then(markdown_url) {
        Some(url) => format!("[{title}]({url})"),
        None => title,
    };
    if let Some(outlet) = &source.outlet {
        let _ = write!(out, " — {}", escape_markdown(outlet));
    }
    if let Some(published) = &source.published {
        let _ = write!(out, " ({})", escape_markdown(published));
    }
    let _ = write!(out, " (article {})", source.article);
    out
}

/// A revision as Markdown.
pub fn revision_markdown(page: &RevisionPage) -> String {
    let mut out = format!(
        "# {}\n\n- **Event:** {} (version {} of {}, written {})\n- **Date:** {}\n- **Category:** {}\n",
        escape_markdown(page.headline.as_deref().unwrap_or("No headline yet")),
        page.event,
        page.revision,
        page.revisions,
        escape_markdown(&page.at),
        page.date.as_deref().unwrap_or("unknown"),
        page.category.as_deref().unwrap_or("uncategorised")
    );
    if let Some(now) = page.merged_into {
        let _ = writeln!(out, "- **Merged since into:** event {now}");
    }
    if let Some(before) = &page.previous_headline {
        let _ = writeln!(out, "- **Headline before:** {}", escape_markdown(before));
    }
    out.push_str("\n## What this version changed\n\n");
    for change in &page.changes {
        let _ = writeln!(out, "- {}", escape_markdown(&change_text(change)));
    }
    out.push_str("\n## Sources in this version\n\n");
    for (number, source) in page.sources.iter().enumerate() {
        let new = if page.added.contains(&source.article) && page.revision > 1 {
            " — new"
        } else {
            ""
        };
        let _ = writeln!(out, "{}. {}{new}", number + 1, source_markdown(source));
    }
    if !page.removed.is_empty() {
        out.push_str("\n## Sources that left in this version\n\n");
        for source in &page.removed {
            let _ = writeln!(out, "- {}", source_markdown(source));
        }
    }
    let (previous, next) = page.neighbours();
    if previous.is_some() || next.is_some() {
        out.push('\n');
        if let Some(previous) = previous {
            let _ = writeln!(
                out,
                "Previous: [version {previous}]({})",
                page.link(previous, ".md")
            );
        }
        if let Some(next) = next {
            let _ = writeln!(out, "Next: [version {next}]({})", page.link(next, ".md"));
        }
    }
    out
}

/// One change as plain words (the Markdown and text views).
pub fn change_text(change: &EventChange) -> String {
    let detail = &change.detail;
    let number = |key: &str| detail.get(key).and_then(serde_json::Value::as_u64);
    let text = |key: &str| detail.get(key).and_then(serde_json::Value::as_str);
    match change.kind.as_str() {
        "created" => format!(
            "first version, from article {}",
            number("article").map_or_else(|| "?".into(), |a| a.to_string())
        ),
        "source added" => format!(
            "source added: article {}",
            number("article").map_or_else(|| "?".into(), |a| a.to_string())
        ),
        "merged" => format!(
            "merged: event {} turned out to be this event",
            number("from").map_or_else(|| "?".into(), |a| a.to_string())
        ),
        "merged away" => format!(
            "merged into event {}",
            number("into").map_or_else(|| "?".into(), |a| a.to_string())
        ),
        "split" | "split off" => {
            let moved = detail
                .get("articles")
                .and_then(serde_json::Value::as_array)
                .map_or(0, Vec::len);
            if change.kind == "split" {
                format!(
                    "split: {moved} articles moved to event {}",
                    number("into").map_or_else(|| "?".into(), |a| a.to_string())
                )
            } else {
                format!(
                    "split off from event {} with {moved} articles",
                    number("from").map_or_else(|| "?".into(), |a| a.to_string())
                )
            }
        }
        kind @ ("date" | "headline" | "category") => format!(
            "{kind}: {} → {}",
            text("from").unwrap_or("none"),
            text("to").unwrap_or("none")
        ),
        other => format!("{other}: {detail}"),
    }
}

/// A revision as XML: `<revision event number of at date category>` with
/// `<headline>`, `<changes>`, `<sources>` (each `<source article outlet url
/// published added>` holding its title) and `<removed>`.
pub fn revision_xml(page: &RevisionPage) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<revision event=\"{}\" number=\"{}\" of=\"{}\" at=\"{}\"{}{}{}>",
        page.event,
        page.revision,
        page.revisions,
        xml_escape(&page.at),
        attribute("date", page.date.as_deref()),
        attribute("category", page.category.as_deref()),
        page.merged_into
            .map(|now| format!(" merged_into=\"{now}\""))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "  <headline>{}</headline>",
        xml_escape(page.headline.as_deref().unwrap_or(""))
    );
    if let Some(before) = &page.previous_headline {
        let _ = writeln!(
            out,
            "  <previous_headline>{}</previous_headline>",
            xml_escape(before)
        );
    }
    out.push_str("  <changes>\n");
    for change in &page.changes {
        let _ = writeln!(
            out,
            "    <change kind=\"{}\">{}</change>",
            xml_escape(&change.kind),
            xml_escape(&change_text(change))
        );
    }
    out.push_str("  </changes>\n  <sources>\n");
    let source = |out: &mut String, source: &ArticleRef, added: bool| {
        let _ = writeln!(
            out,
            "    <source article=\"{}\"{}{}{}{}>{}</source>",
            source.article,
            attribute("outlet", source.outlet.as_deref()),
            attribute("url", source.url.as_deref()),
            attribute("published", source.published.as_deref()),
            if added { " added=\"true\"" } else { "" },
            xml_escape(source.title.as_deref().unwrap_or(""))
        );
    };
    for item in &page.sources {
        source(
            &mut out,
            item,
            page.revision > 1 && page.added.contains(&item.article),
        );
    }
    out.push_str("  </sources>\n  <removed>\n");
    for item in &page.removed {
        source(&mut out, item, false);
    }
    out.push_str("  </removed>\n</revision>\n");
    out
}
