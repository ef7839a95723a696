//! Page metadata from HTML: JSON-LD, meta tags, links, `<time>` elements, bylines and
//! the URL, each field from the most specific source that has it.

use crate::dates::{date_from_url, parse_date};
use crate::html::paragraphs::normalise_space;
use chronicle_model::NewsDate;
use dom_query::Document;
use serde_json::Value;
use std::collections::HashMap;

/// Metadata read from a page, before cleaning (authors are raw strings here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<NewsDate>,
    pub updated: Option<NewsDate>,
    pub site_name: Option<String>,
    pub canonical: Option<String>,
    pub language: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "posting",
    "webpage",
    "videoobject",
];

/// Reads the metadata of a parsed page. `page_url` resolves relative links.
pub fn read(document: &Document, page_url: Option<&str>) -> PageMeta {
    let metas = meta_tags(document);
    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter()
            .flat_map(|key| metas.get(*key).into_iter().flatten())
            .map(|value| normalise_space(value))
            .find(|value| !value.is_empty())
    };
    let article = json_ld_article(document);
    let ld = |key: &str| article.as_ref().and_then(|a| a.get(key));
    let ld_text = |key: &str| ld(key).and_then(text_of).filter(|t| !t.is_empty());

    let site_name = meta(&[
        "og:site_name",
        "application-name",
        "publisher",
        "dc.publisher",
    ])
    .or_else(|| ld("publisher").and_then(name_of));
    let title = choose_title(
        document,
        &metas,
        ld_text("headline").or_else(|| ld_text("name")),
        site_name.as_deref(),
    );

    let mut authors: Vec<String> = ld("author").map(names_of).unwrap_or_default();
    if authors.is_empty() {
        authors = [
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
            "byl",
            "citation_author",
            "dcterms.creator",
            "og:article:author",
        ]
        .iter()
        .flat_map(|key| metas.get(*key).into_iter().flatten())
        .filter(|value| !value.contains("://") && !value.starts_with("www."))
        .map(|value| normalise_space(value))
        .collect();
    }
    if authors.is_empty() {
        authors = visible_bylines(document);
    }

    let published = ld_text("datePublished")
        .or_else(|| ld_text("dateCreated"))
        .and_then(|d| parse_date(&d))
        .or_else(|| {
            meta(&[
                "article:published_time",
                "og:published_time",
                "og:article:published_time",
                "datepublished",
                "publishdate",
                "publish-date",
                "pubdate",
                "publication_date",
                "date",
                "dc.date",
                "dc.date.issued",
                "dcterms.created",
                "dcterms.date",
                "sailthru.date",
                "parsely-pub-date",
                "article.published",
                "published_time",
                "citation_publication_date",
                "cxenseparse:recs:publishtime",
                "dc.date.created",
            ])
            .and_then(|d| parse_date(&d))
        })
        .or_else(|| time_element(document))
        .or_else(|| page_url.and_then(date_from_url));
    let updated = ld_text("dateModified")
        .and_then(|d| parse_date(&d))
        .or_else(|| {
            meta(&[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "last-modified",
                "dc.date.modified",
                "dcterms.modified",
                "article.updated",
                "modified_time",
            ])
            .and_then(|d| parse_date(&d))
        })
        .filter(|updated| published.is_none_or(|published| *updated > published));

    let canonical = document
        .select("link[rel~=canonical]")
        .attr("href")
        .map(|href| href.to_string())
        .or_else(|| meta(&["og:url", "twitter:url"]))
        .or_else(|| ld_text("url"))
        .and_then(|href| absolute(&href, page_url));
    let language = document
        .select("html")
        .attr("lang")
        .map(|l| l.to_string())
        .or_else(|| {
            document
                .select("html")
                .attr("xml:lang")
                .map(|l| l.to_string())
        })
        .or_else(|| meta(&["content-language", "dc.language", "language", "og:locale"]))
        .or_else(|| ld_text("inLanguage"))
        .and_then(|lang| primary_language(&lang));
    let image = meta(&[
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "twitter:image",
        "twitter:image:src",
    ])
    .or_else(|| ld("image").and_then(image_of))
    .or_else(|| {
        document
            .select("link[rel=image_src]")
            .attr("href")
            .map(|h| h.to_string())
    })
    .and_then(|href| absolute(&href, page_url));
    let description = meta(&[
        "og:description",
        "description",
        "twitter:description",
        "dc.description",
    ])
    .or_else(|| ld_text("description"));

    PageMeta {
        title,
        authors,
        published,
        updated,
        site_name,
        canonical,
        language,
        image,
        description,
    }
}

/// Meta tags by lowercased name, property, itemprop or http-equiv.
fn meta_tags(document: &Document) -> HashMap<String, Vec<String>> {
    let mut metas: HashMap<String, Vec<String>> = HashMap::new();
    for node in document.select("meta").nodes() {
        let Some(content) = node.attr("content") else {
            continue;
        };
        for attribute in ["name", "property", "itemprop", "http-equiv"] {
            if let Some(key) = node.attr(attribute) {
                for key in key.split_whitespace() {
                    metas
                        .entry(key.to_ascii_lowercase())
                        .or_default()
                        .push(content.to_string());
                }
            }
        }
    }
    for node in document
        .select("[itemprop=datePublished][datetime], [itemprop=dateModified][datetime]")
        .nodes()
    {
        if let (Some(key), Some(value)) = (node.attr("itemprop"), node.attr("datetime")) {
            metas
                .entry(key.to_ascii_lowercase())
                .or_default()
                .push(value.to_string());
        }
    }
    metas
}

/// The first JSON-LD object of an article type, searching arrays and `@graph`.
fn json_ld_article(document: &Document) -> Option<Value> {
    let mut best: Option<(usize, Value)> = None;
    for script in document
        .select("script[type='application/ld+json']")
        .nodes()
    {
        let text = script.text();
        let text = text
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->");
        let text = text
            .trim()
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("//]]>");
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![value];
        let mut visited = 0;
        while let Some(value) = stack.pop() {
            visited += 1;
            if visited > 1000 {
                break;
            }
            match value {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut object) => {
                    if let Some(graph) = object.remove("@graph") {
                        stack.push(graph);
                    }
                    let rank = type_rank(object.get("@type"));
                    if let Some(rank) = rank
                        && best.as_ref().is_none_or(|(best_rank, _)| rank < *best_rank)
                    {
                        best = Some((rank, Value::Object(object)));
                    }
                }
                _ => {}
            }
        }
    }
    best.map(|(_, value)| value)
}

/// Lower is better: news articles before generic web pages.
fn type_rank(value: Option<&Value>) -> Option<usize> {
    let types: Vec<String> = match value? {
        Value::String(t) => vec![t.to_ascii_lowercase()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect(),
        _ => return None,
    };
    types
        .iter()
        .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
        .min()
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(normalise_space(&decode_entities(text))),
        Value::Array(items) => items.iter().find_map(text_of),
        Value::Object(object) => object.get("@value").and_then(text_of),
        _ => None,
    }
}

fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(normalise_space(text)),
        Value::Object(object) => object.get("name").and_then(text_of),
        Value::Array(items) => items.iter().find_map(name_of),
        _ => None,
    }
}

fn names_of(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().flat_map(names_of).collect(),
        other => name_of(other)
            .into_iter()
            .filter(|n| !n.contains("://"))
            .collect(),
    }
}

fn image_of(value: &Value) -> Option<String> {
    match value {
        Value::String(url) => Some(url.clone()),
        Value::Object(object) => object
            .get("url")
            .or_else(|| object.get("contentUrl"))
            .and_then(image_of),
        Value::Array(items) => items.iter().find_map(image_of),
        _ => None,
    }
}

/// JSON-LD text sometimes carries HTML entities; the common ones are decoded.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
}

/// The headline: an `<h1>` that the metadata confirms, else the declared title, else
/// the `<title>` without the site's name, else the only `<h1>`.
fn choose_title(
    document: &Document,
    metas: &HashMap<String, Vec<String>>,
    headline: Option<String>,
    site_name: Option<&str>,
) -> Option<String> {
    let declared: Vec<String> = [
        "og:title",
        "twitter:title",
        "dc.title",
        "title",
        "sailthru.title",
        "parsely-title",
    ]
    .iter()
    .flat_map(|key| metas.get(*key).into_iter().flatten())
    .map(|t| normalise_space(t))
    .chain(headline)
    .filter(|t| !t.is_empty())
    .collect();
    let title_tag = normalise_space(&document.select("head title").text());
    let title_tag = (!title_tag.is_empty()).then_some(title_tag);
    let headings: Vec<String> = document
        .select("h1")
        .nodes()
        .iter()
        .map(|h| normalise_space(&h.text()))
        .filter(|t| !t.is_empty() && t.chars().count() < 300)
        .collect();
    let confirmed = |text: &str| {
        let text = text.to_lowercase();
        declared.iter().any(|d| {
            let d = d.to_lowercase();
            d == text || d.contains(&text) && text.chars().count() * 2 > d.chars().count()
        }) || title_tag.as_ref().is_some_and(|t| {
            t.to_lowercase().contains(&text) && text.chars().count() * 3 > t.chars().count()
        })
    };
    if let Some(heading) = headings.iter().find(|h| confirmed(h)) {
        return Some(heading.clone());
    }
    if let Some(declared) = declared.first() {
        return Some(strip_site(declared, site_name));
    }
    if let Some(title) = title_tag {
        return Some(strip_site(&title, site_name));
    }
    (headings.len() == 1).then(|| headings[0].clone())
}

/// Removes the site's name from a title: "Mayor resigns | The Harbor Ledger".
pub fn strip_site(title: &str, site_name: Option<&str>) -> String {
    const SEPARATORS: &[&str] = &[
        " | ", " - ", " – ", " — ", " :: ", " » ", " · ", " // ", " • ",
    ];
    for separator in SEPARATORS {
        if !title.contains(separator) {
            continue;
        }
        let parts: Vec<&str> = title.split(separator).map(str::trim).collect();
        if let Some(site) = site_name {
            let site = site.to_lowercase();
            let kept: Vec<&str> = parts
                .iter()
                .copied()
                .filter(|p| {
                    let p = p.to_lowercase();
                    !(p == site
                        || site.contains(&p)
                        || p.contains(&site) && p.len() < site.len() + 12)
                })
                .collect();
            if !kept.is_empty() && kept.len() < parts.len() {
                return kept.join(separator);
            }
        }
        // No site name to match: drop a short last (or first) part that looks like a
        // brand, keeping the longest part when the title has several.
        let longest = parts
            .iter()
            .copied()
            .max_by_key(|p| p.chars().count())
            .unwrap_or(title);
        let words = |p: &str| p.split_whitespace().count();
        if parts.len() >= 2 && words(longest) >= 3 {
            let last = parts[parts.len() - 1];
            let first = parts[0];
            if words(last) <= 4 && last != longest {
                return parts[..parts.len() - 1].join(separator);
            }
            if words(first) <= 3 && first != longest {
                return parts[1..].join(separator);
            }
        }
    }
    title.to_string()
}

/// A `<time>` in the article's header or byline area, else the first one with a
/// machine-readable `datetime`.
fn time_element(document: &Document) -> Option<NewsDate> {
    for selector in [
        "article header time[datetime]",
        "time[pubdate][datetime]",
        "[class*=byline] time[datetime], [class*=date] time[datetime], [class*=meta] time[datetime]",
        "article time[datetime]",
        "time[datetime]",
    ] {
        for node in document.select(selector).nodes() {
            if let Some(date) = node.attr("datetime").and_then(|d| parse_date(&d)) {
                return Some(date);
            }
        }
    }
    None
}

/// Bylines in the page body: microdata, `rel=author`, byline and author classes.
fn visible_bylines(document: &Document) -> Vec<String> {
    for selector in [
        "[itemprop=author] [itemprop=name]",
        "[itemprop=author]",
        "a[rel=author]",
        ".byline__name, .byline-name, .author-name, .authorName, .author__name",
        ".byline, [class*=byline]",
        ".author, [class*=author]",
    ] {
        let found: Vec<String> = document
            .select(selector)
            .nodes()
            .iter()
            .map(|node| normalise_space(&node.text()))
            .filter(|text| !text.is_empty() && text.chars().count() < 120)
            .take(5)
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

fn absolute(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with("data:") || href.starts_with("javascript:") {
        return None;
    }
    if let Ok(url) = url::Url::parse(href) {
        return matches!(url.scheme(), "http" | "https").then(|| url.to_string());
    }
    let base = url::Url::parse(base?).ok()?;
    base.join(href).ok().map(|u| u.to_string())
}

/// "en-US" becomes "en"; values that are not language tags give nothing.
fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 || primary.len() == 3)
        .then_some(primary)
        .filter(|p| p.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en-GB"><head>
        <title>Council approves harbour budget | The Harbor Ledger</title>
        <meta property="og:site_name" content="The Harbor Ledger">
        <meta property="og:title" content="Council approves harbour budget">
        <meta property="og:image" content="/img/council.jpg">
        <meta name="description" content="The vote was 7 to 2.">
        <meta property="article:published_time" content="2025-03-04T09:30:00+01:00">
        <meta property="article:modified_time" content="2025-03-04T12:00:00+01:00">
        <meta name="author" content="Anna Lind">
        <link rel="canonical" href="https://harborledger.example/2025/03/04/budget">
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","name":"The Harbor Ledger"},
          {"@type":"NewsArticle","headline":"Council approves harbour budget",
           "author":[{"@type":"Person","name":"Anna Lind"},{"@type":"Person","name":"Tomas Berg"}],
           "datePublished":"2025-03-04T09:30:00+01:00"}]}</script>
        </head><body><header><nav>Home</nav></header>
        <article><h1>Council approves harbour budget</h1><p class="byline">By Anna Lind</p>
        <p>The council voted on Tuesday.</p></article></body></html>"#;

    #[test]
    fn reads_the_usual_sources() {
        let document = Document::from(PAGE);
        let meta = read(&document, Some("https://harborledger.example/x"));
        assert_eq!(
            meta.title.as_deref(),
            Some("Council approves harbour budget")
        );
        assert_eq!(meta.authors, ["Anna Lind", "Tomas Berg"]);
        assert_eq!(
            meta.published.map(|d| d.to_string()).as_deref(),
            Some("2025-03-04T09:30:00+01:00")
        );
        assert_eq!(
            meta.updated.map(|d| d.to_string()).as_deref(),
            Some("2025-03-04T12:00:00+01:00")
        );
        assert_eq!(meta.site_name.as_deref(), Some("The Harbor Ledger"));
        assert_eq!(
            meta.canonical.as_deref(),
            Some("https://harborledger.example/2025/03/04/budget")
        );
        assert_eq!(meta.language.as_deref(), Some("en"));
        assert_eq!(
            meta.image.as_deref(),
            Some("https://harborledger.example/img/council.jpg")
        );
        assert_eq!(meta.description.as_deref(), Some("The vote was 7 to 2."));
    }

    #[test]
    fn falls_back_to_title_tag_bylines_and_url() {
        let page = r#"<html><head><title>Storm closes ferry route - Island Examiner</title></head>
            <body><div class="story-byline">By Kai Roe</div><p>Text</p></body></html>"#;
        let meta = read(
            &Document::from(page),
            Some("https://islandexaminer.example/2025/11/02/storm"),
        );
        assert_eq!(meta.title.as_deref(), Some("Storm closes ferry route"));
        assert_eq!(meta.authors, ["By Kai Roe"]);
        assert_eq!(
            meta.published.map(|d| d.to_string()).as_deref(),
            Some("2025-11-02")
        );
    }

    #[test]
    fn strips_site_names() {
        assert_eq!(
            strip_site("A long headline here | Ledger", Some("The Ledger")),
            "A long headline here"
        );
        assert_eq!(
            strip_site("Ledger — A long headline here", None),
            "A long headline here"
        );
        assert_eq!(strip_site("Left - right", None), "Left - right");
    }
}
