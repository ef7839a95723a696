//! Page metadata from HTML: JSON-LD, meta tags, links, `<time>` elements, bylines,
//! datelines and the URL, each field from the most specific source that has it.
//!
//! The rules follow those of trafilatura and its htmldate module, measured on the
//! extraction development sets: a visible `<h1>` that agrees with the declared title is
//! the headline as readers see it; authors come from JSON-LD (references resolved),
//! meta tags, then the first byline outside comments; the publication date comes from
//! the URL, JSON-LD, meta tags and markup before the dates printed on the page.

use crate::authors::clean_authors;
use crate::dates::{date_from_url, parse_date};
use crate::html::paragraphs::normalise_space;
use chronicle_model::NewsDate;
use dom_query::{Document, NodeRef};
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

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
    let metas = MetaTags::read(document);
    let meta = |keys: &[&str]| metas.get(keys);
    let json_ld = JsonLd::read(document);
    let ld = |key: &str| json_ld.article(key);
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

    let authors = read_authors(document, &metas, &json_ld, site_name.as_deref());

    let published = read_published(document, &metas, &json_ld, page_url);
    let updated = json_ld
        .article("dateModified")
        .and_then(text_of)
        .and_then(|d| parse_date(&d))
        .or_else(|| meta(MODIFIED_META).and_then(|d| parse_date(&d)))
        .or_else(|| itemprop_date(document, "dateModified"))
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

/// Meta tags that name the author.
const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
    "citation_author",
    "dcterms.creator",
    "og:article:author",
];

/// The article's authors as the page writes them: the people of its JSON-LD, else its
/// meta tags, else the byline on the page, else an organisation its JSON-LD names as
/// author. A source counts only when a name in it survives cleaning (a meta tag that
/// holds the site's domain does not).
fn read_authors(
    document: &Document,
    metas: &MetaTags,
    json_ld: &JsonLd,
    site_name: Option<&str>,
) -> Vec<String> {
    let usable = |names: Vec<String>| {
        let cleaned = clean_authors(names.iter().map(String::as_str), site_name);
        (!cleaned.is_empty()).then_some(names)
    };
    let ld_authors = json_ld.authors();
    let ld_names = |organisations: bool| -> Vec<String> {
        ld_authors
            .iter()
            .filter(|(_, organisation)| *organisation == organisations)
            .map(|(name, _)| name.clone())
            .collect()
    };
    let meta_names = AUTHOR_META
        .iter()
        .flat_map(|key| metas.values(key))
        .filter(|value| !value.contains("://") && !value.starts_with("www."))
        .map(normalise_space)
        .collect();
    usable(ld_names(false))
        .or_else(|| usable(meta_names))
        .or_else(|| usable(first_byline(document, site_name)))
        .or_else(|| usable(ld_names(true)))
        .unwrap_or_default()
}

/// The publication date, from the most reliable source that gives one: a full date in
/// the URL (the local day of publication, where metadata often gives a UTC time that
/// falls on the next day), the JSON-LD, meta tags,
/// microdata, `<time>` and `<abbr>` elements, then dates written where pages print
/// their datelines: elements marked as dates, bylines or meta lines, the headline, and
/// finally short pieces of visible text.
fn read_published(
    document: &Document,
    metas: &MetaTags,
    json_ld: &JsonLd,
    page_url: Option<&str>,
) -> Option<NewsDate> {
    page_url
        .and_then(date_from_url)
        .or_else(|| metas.get(&["og:url"]).and_then(|url| date_from_url(&url)))
        .or_else(|| {
            json_ld
                .any("datePublished")
                .or_else(|| json_ld.any("dateCreated"))
                .and_then(text_of)
                .and_then(|date| parse_date(&date))
        })
        .or_else(|| json_ld.raw_date("datePublished"))
        .or_else(|| metas.get(PUBLISHED_META).and_then(|date| parse_date(&date)))
        .or_else(|| itemprop_date(document, "datePublished"))
        .or_else(|| itemprop_date(document, "dateCreated"))
        .or_else(|| abbr_date(document))
        .or_else(|| time_element(document))
        .or_else(|| date_element(document))
        .or_else(|| heading_date(document))
        .or_else(|| text_date(document))
}

/// Meta tags that carry the publication date, most specific first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "og:article:published",
    "article:published_date",
    "article:publicationdate",
    "article:post_date",
    "datepublished",
    "datecreated",
    "date_published",
    "date_created",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published_date",
    "publisheddate",
    "pubdate",
    "publication_date",
    "originalpublicationdate",
    "article_date_original",
    "article.published",
    "article.created",
    "published_time",
    "publish_time",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dc.date.created",
    "dc.date.publication",
    "dc.date",
    "dc.created",
    "dcterms.issued",
    "dcterms.created",
    "dcterms.date",
    "dc:created",
    "dc:date",
    "displaydate",
    "date",
];

/// Meta tags that carry the date of the last change.
const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "og:modified_time",
    "article:modified",
    "datemodified",
    "last-modified",
    "lastmodified",
    "dc.date.modified",
    "dc.modified",
    "dcterms.modified",
    "article.updated",
    "modified_time",
    "updated_time",
];

/// The page's meta tags, keyed by lowercased name, property, itemprop or http-equiv.
struct MetaTags {
    /// `(key, content)` in page order.
    tags: Vec<(String, String)>,
}

impl MetaTags {
    fn read(document: &Document) -> Self {
        let mut tags = Vec::new();
        for node in document.select("meta[content]").nodes() {
            let Some(content) = node.attr("content") else {
                continue;
            };
            for attribute in ["name", "property", "itemprop", "http-equiv"] {
                if let Some(key) = node.attr(attribute) {
                    for key in key.split_whitespace() {
                        tags.push((key.to_ascii_lowercase(), content.to_string()));
                    }
                }
            }
        }
        Self { tags }
    }

    /// All values under `key`, in page order.
    fn values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.tags
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, value)| value.as_str())
    }

    /// The first non-empty value under the first of `keys` that has one.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .flat_map(|key| self.values(key))
            .map(normalise_space)
            .find(|value| !value.is_empty())
    }
}

/// The JSON-LD objects of a page: those of an article type, best type first (page order
/// among equals), then all the others in page order.
struct JsonLd {
    articles: Vec<Map<String, Value>>,
    others: Vec<Map<String, Value>>,
    /// Script texts that are not valid JSON, searched for dates as plain text.
    broken: Vec<String>,
}

/// Objects visited per page at most: a guard against huge embedded data.
const MAX_JSON_LD_OBJECTS: usize = 1000;

impl JsonLd {
    fn read(document: &Document) -> Self {
        let mut ranked: Vec<(usize, Map<String, Value>)> = Vec::new();
        let mut others = Vec::new();
        let mut broken = Vec::new();
        let mut visited = 0;
        for script in document
            .select("script[type='application/ld+json']")
            .nodes()
        {
            let text = script.text();
            let Ok(value) = serde_json::from_str::<Value>(json_body(&text)) else {
                broken.push(text.to_string());
                continue;
            };
            let mut stack = vec![value];
            while let Some(value) = stack.pop() {
                visited += 1;
                if visited > MAX_JSON_LD_OBJECTS {
                    break;
                }
                match value {
                    Value::Array(items) => stack.extend(items.into_iter().rev()),
                    Value::Object(mut object) => {
                        if let Some(graph) = object.remove("@graph") {
                            stack.push(graph);
                        }
                        // A page's article is often the main entity of its WebPage.
                        if let Some(entity) = object.get("mainEntity").filter(|e| e.is_object()) {
                            stack.push(entity.clone());
                        }
                        match type_rank(object.get("@type")) {
                            Some(rank) => ranked.push((rank, object)),
                            None => others.push(object),
                        }
                    }
                    _ => {}
                }
            }
        }
        ranked.sort_by_key(|(rank, _)| *rank);
        Self {
            articles: ranked.into_iter().map(|(_, object)| object).collect(),
            others,
            broken,
        }
    }

    /// `key` of the best article object that has it.
    fn article(&self, key: &str) -> Option<&Value> {
        self.articles
            .iter()
            .find_map(|object| object.get(key).filter(|v| !is_blank(v)))
    }

    /// `key` of an article object, else of any object: recipes, videos and products
    /// carry their publication dates too.
    fn any(&self, key: &str) -> Option<&Value> {
        self.article(key).or_else(|| {
            self.others
                .iter()
                .find_map(|object| object.get(key).filter(|v| !is_blank(v)))
        })
    }

    /// The article's authors, each with whether it is an organisation rather than a
    /// person. References (`{"@id": …}`) are resolved to the objects they name.
    fn authors(&self) -> Vec<(String, bool)> {
        let Some(value) = self.article("author") else {
            return Vec::new();
        };
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        let mut authors = Vec::new();
        for item in items {
            match item {
                Value::String(name) => {
                    authors.push((normalise_space(&decode_entities(name)), false))
                }
                Value::Object(object) => {
                    let object = self.resolve(object);
                    if let Some(name) = object.get("name").and_then(text_of) {
                        authors.push((name, is_organisation(object.get("@type"))));
                    }
                }
                _ => {}
            }
        }
        authors.retain(|(name, _)| !name.is_empty() && !name.contains("://"));
        authors
    }

    /// The object that a reference without a name points to, else the object itself.
    fn resolve<'a>(&'a self, object: &'a Map<String, Value>) -> &'a Map<String, Value> {
        if object.contains_key("name") {
            return object;
        }
        let Some(id) = object.get("@id").and_then(Value::as_str) else {
            return object;
        };
        self.articles
            .iter()
            .chain(&self.others)
            .find(|other| {
                other.contains_key("name") && other.get("@id").and_then(Value::as_str) == Some(id)
            })
            .unwrap_or(object)
    }

    /// A date under `key` in a script that is not valid JSON (stray line breaks and
    /// trailing commas are common in hand-written JSON-LD).
    fn raw_date(&self, key: &str) -> Option<NewsDate> {
        let needle = format!("\"{key}\"");
        self.broken.iter().find_map(|text| {
            let after = &text[text.find(&needle)? + needle.len()..];
            let value = after.trim_start().strip_prefix(':')?.trim_start();
            let value = value.strip_prefix('"')?;
            parse_date(&value[..value.find('"')?])
        })
    }
}

/// Whether a JSON-LD `@type` names an organisation (`NewsMediaOrganization`, …).
fn is_organisation(value: Option<&Value>) -> bool {
    let is = |t: &str| t.ends_with("Organization") || t == "Corporation";
    match value {
        Some(Value::String(t)) => is(t),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// The JSON inside a script, without the comment or CDATA wrappers some pages add
/// (`<!--`, `<![CDATA[`, `//<![CDATA[`, `/*<![CDATA[*/` and their ends).
fn json_body(text: &str) -> &str {
    const OPENERS: &[&str] = &["<!--", "<![CDATA[", "//", "/*", "*/"];
    const CLOSERS: &[&str] = &["-->", "]]>", "//", "/*", "*/"];
    let mut text = text.trim();
    while let Some(rest) = OPENERS.iter().find_map(|o| text.strip_prefix(o)) {
        text = rest.trim_start();
    }
    while let Some(rest) = CLOSERS.iter().find_map(|c| text.strip_suffix(c)) {
        text = rest.trim_end();
    }
    text
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

/// JSON-LD text sometimes carries HTML entities ("Redacci&oacute;n"), which the HTML
/// parser decodes.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    Document::fragment(text).root().text().to_string()
}

/// The headline: an `<h1>` that the metadata confirms; else an `<h1>` that says what
/// the declared titles say in the page's own words (its quotes, its dashes, a word the
/// metadata left out); else the declared title, else the `<title>` without the site's
/// name, else the only `<h1>`.
fn choose_title(
    document: &Document,
    metas: &MetaTags,
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
    .flat_map(|key| metas.values(key))
    .map(normalise_space)
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
    let references: Vec<&str> = declared
        .iter()
        .chain(&title_tag)
        .map(String::as_str)
        .collect();
    if let Some(heading) = headings
        .iter()
        .find(|h| confirmed(h) && !is_site_heading(h, &references, site_name))
    {
        return Some(heading.clone());
    }
    let fallback = declared
        .first()
        .map(|declared| strip_site(declared, site_name))
        .or_else(|| title_tag.as_ref().map(|title| strip_site(title, site_name)))
        .or_else(|| (headings.len() == 1).then(|| headings[0].clone()));
    let echo = headings
        .iter()
        .find(|heading| echoes(heading, &references, site_name));
    match (echo, fallback) {
        // A heading that holds the whole declared title and more carries a kicker
        // ("Politics | …"), which the declared title leaves out.
        (Some(heading), Some(fallback)) if contains_words(&words(heading), &words(&fallback)) => {
            Some(fallback)
        }
        (Some(heading), _) => Some(heading.clone()),
        (None, fallback) => fallback,
    }
}

/// Share of a heading's words that a declared title must contain for the heading to
/// count as the same headline.
const ECHO_SHARE: f64 = 0.8;

/// Whether `heading` is the headline that `references` (declared titles, the
/// `<title>`) state: most of its words are in one of them, it has more than one word,
/// and it is not the site's name standing at one end of a title.
fn echoes(heading: &str, references: &[&str], site_name: Option<&str>) -> bool {
    let heading_words = words(heading);
    if heading_words.len() < 2 || is_site_heading(heading, references, site_name) {
        return false;
    }
    // The name of a blog or section before a colon ("Silicon Exposed: Open Verilog
    // flow …") is not the headline.
    if references.iter().any(|reference| {
        reference.split_once(": ").is_some_and(|(before, after)| {
            words(before) == heading_words && words(after).len() > heading_words.len()
        })
    }) {
        return false;
    }
    references.iter().any(|reference| {
        let reference_words = words(reference);
        let shared = heading_words
            .iter()
            .filter(|word| reference_words.contains(word))
            .count();
        shared as f64 >= ECHO_SHARE * heading_words.len() as f64
    })
}

/// Whether a heading is the site's name (a logo set as `<h1>`): the site name itself,
/// or the end of a title.
fn is_site_heading(heading: &str, references: &[&str], site_name: Option<&str>) -> bool {
    let heading_words = words(heading);
    site_name.is_some_and(|site| words(site) == heading_words)
        || references
            .iter()
            .any(|reference| is_title_end(&heading_words, reference))
}

/// Whether `heading_words` are the last part of a title split at its separators, and
/// less than half of it: the site's name ("Mayor resigns | The Harbor Ledger"). A colon
/// does not count: what follows it is the headline after its kicker.
fn is_title_end(heading_words: &[String], title: &str) -> bool {
    if heading_words.len() * 2 >= words(title).len() {
        return false;
    }
    let parts: Vec<&str> = SITE_SEPARATOR.split(title).collect();
    parts.len() >= 2
        && parts
            .last()
            .is_some_and(|last| words(last) == heading_words)
}

static SITE_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+[|\-–—»«·•/]+\s+").expect("valid regex"));

/// Lowercased words (runs of letters and digits).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `outer` holds all of `inner`, in order and together, and more.
fn contains_words(outer: &[String], inner: &[String]) -> bool {
    !inner.is_empty()
        && outer.len() > inner.len()
        && outer.windows(inner.len()).any(|window| window == inner)
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

/// A date marked up with `itemprop` (microdata) on an element of the page: its
/// `datetime` or `content` attribute, else its text.
fn itemprop_date(document: &Document, property: &str) -> Option<NewsDate> {
    document
        .select(&format!("[itemprop={property}]"))
        .nodes()
        .iter()
        .find_map(|node| {
            node.attr("datetime")
                .or_else(|| node.attr("content"))
                .and_then(|d| parse_date(&d))
                .or_else(|| parse_date(&leading_text(node, DATE_TEXT_CHARS)))
        })
}

/// `<abbr class="published" title="…">`, the hAtom microformat of older blogs.
fn abbr_date(document: &Document) -> Option<NewsDate> {
    document
        .select("abbr.published[title], abbr.dtstart[title]")
        .nodes()
        .iter()
        .find_map(|node| node.attr("title").and_then(|d| parse_date(&d)))
}

/// How much of an element's text is read for a date: a dateline starts with it, a
/// container that merely mentions a date further on is not a dateline.
const DATE_TEXT_CHARS: usize = 80;

/// Elements whose class or id says they hold a date, a byline or the article's meta
/// line, in page order (the cues trafilatura's htmldate looks for).
const DATE_ELEMENTS: &str = "[class*=date i], [id*=date i], [class*=datum i], [id*=datum i], \
    [class*=time], [id*=time], [class*=meta i], [id*=meta i], [class*=publish i], \
    [id*=publish i], [class*=byline i], [class*=posted], [class*=submitted], \
    [class*=info], [class*=author], [class*=autor], [class*=fecha], [class*=parution], \
    [class*=subline], [class*=field-content], [class*=created], [data-testid*=date i], \
    [class*=fa-calendar], [class*=fa-clock], footer, small";

/// The first date written at the start of an element that is marked as a date, byline
/// or meta line, outside comment sections.
fn date_element(document: &Document) -> Option<NewsDate> {
    document
        .select(DATE_ELEMENTS)
        .nodes()
        .iter()
        .filter(|node| !in_comments(node))
        .find_map(|node| parse_date(&leading_text(node, DATE_TEXT_CHARS)))
}

/// A date in the page's `<title>` or headline ("Report of 22.04.2020").
fn heading_date(document: &Document) -> Option<NewsDate> {
    document
        .select("head title, h1")
        .nodes()
        .iter()
        .find_map(|node| parse_date(&leading_text(node, 200)))
}

/// Elements whose own text lines are read in the free-text search for a date.
const TEXT_ELEMENTS: &[&str] = &[
    "div", "p", "span", "li", "ul", "time", "h2", "h3", "h4", "td", "small", "em", "strong", "b",
    "i", "font", "a",
];

/// Text pieces longer than this are prose, not datelines (the limit htmldate uses).
const MAX_DATELINE_CHARS: usize = 52;

/// Shorter pieces cannot hold a whole date.
const MIN_DATELINE_CHARS: usize = 6;

/// The first date written as a short piece of visible text outside comments: a
/// dateline that no markup announces ("Handball Schweiz • 02.02.2022").
fn text_date(document: &Document) -> Option<NewsDate> {
    let body = *document.select("body").nodes().first()?;
    body.descendants_it().find_map(|node| {
        if !node.is_text() {
            return None;
        }
        let text = node.text();
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        let parent = node.parent()?;
        if !parent
            .node_name()
            .is_some_and(|name| TEXT_ELEMENTS.contains(&&*name))
        {
            return None;
        }
        let text = normalise_space(&text);
        if !(MIN_DATELINE_CHARS..=MAX_DATELINE_CHARS).contains(&text.chars().count()) {
            return None;
        }
        parse_date(&text).filter(|_| !in_comments(&parent))
    })
}

/// Whether a node sits in a comment thread, whose dates and names are the readers'.
fn in_comments(node: &NodeRef<'_>) -> bool {
    node.ancestors_it(Some(12)).any(|ancestor| {
        ["class", "id"].iter().any(|attribute| {
            ancestor
                .attr(attribute)
                .is_some_and(|value| value.to_ascii_lowercase().contains("comment"))
        })
    })
}

/// The first `limit` characters of a node's text, whitespace normalised, without
/// reading the rest of a large element. The texts of child elements are kept apart by
/// a space, as pages often set them apart by style alone ("By<a>Anna Lind</a>").
fn leading_text(node: &NodeRef<'_>, limit: usize) -> String {
    let mut text = String::new();
    let mut read = 0;
    for descendant in node.descendants_it() {
        if !descendant.is_text() {
            continue;
        }
        if descendant
            .parent()
            .and_then(|p| p.node_name())
            .is_some_and(|name| matches!(&*name, "script" | "style" | "noscript"))
        {
            continue;
        }
        let piece = descendant.text();
        text.push(' ');
        text.push_str(&piece);
        // Counted before spaces are collapsed, so twice the limit is read at most.
        read += piece.chars().count();
        if read > limit * 2 {
            break;
        }
    }
    let text = normalise_space(&text);
    match text.char_indices().nth(limit) {
        Some((end, _)) => text[..end].to_string(),
        None => text,
    }
}

/// Where bylines are looked for, most specific first.
const BYLINE_SELECTORS: &[&str] = &[
    "[itemprop=author] [itemprop=name]",
    "[itemprop~=author], a[rel~=author], [rel~=author], [class*=author-name i], \
     [class*=authorname i], [class*=author__name i], [class*=byline__name i], \
     [class*=byline-name i], .author, #author",
    ".byline, .username, .byl, [class*=byline i], [id*=author i], [class*=author i], \
     [class*=submitted-by], [class*=posted-by], [class*=journalist], [class*=writer], \
     [data-component*=byline i]",
];

/// Areas whose names are not the article's author: comments, lists of related stories,
/// image credits.
fn outside_byline_area(node: &NodeRef<'_>) -> bool {
    node.ancestors_it(Some(16))
        .chain(std::iter::once(*node))
        .any(|ancestor| {
            if ancestor
                .node_name()
                .is_some_and(|name| matches!(&*name, "figure" | "figcaption"))
            {
                return true;
            }
            ["class", "id"].iter().any(|attribute| {
                ancestor.attr(attribute).is_some_and(|value| {
                    let value = value.to_ascii_lowercase();
                    ["comment", "related"]
                        .iter()
                        .any(|word| value.contains(word))
                })
            })
        })
}

/// The first byline of the page that names someone, with the bylines beside it (one
/// per author).
fn first_byline(document: &Document, site_name: Option<&str>) -> Vec<String> {
    // The element holding a byline and its neighbours; the page body holds everything.
    let grandparent = |node: &NodeRef<'_>| {
        node.parent()
            .and_then(|p| p.parent())
            .filter(|g| {
                !g.node_name()
                    .is_some_and(|name| matches!(&*name, "body" | "html"))
            })
            .map(|g| g.id)
    };
    for selector in BYLINE_SELECTORS {
        let mut first: Option<NodeRef<'_>> = None;
        let mut bylines = Vec::new();
        for node in document.select(selector).nodes() {
            if let Some(first) = &first {
                // Further authors have bylines of their own beside the first one.
                if grandparent(first).is_none()
                    || grandparent(first) != grandparent(node)
                    || node.ancestors_it(None).any(|a| a.id == first.id)
                {
                    continue;
                }
            }
            let text = leading_text(node, MAX_BYLINE_CHARS + 1);
            if !(2..=MAX_BYLINE_CHARS).contains(&text.chars().count())
                || outside_byline_area(node)
                || clean_authors([text.as_str()], site_name).is_empty()
            {
                continue;
            }
            first.get_or_insert(*node);
            bylines.push(text);
        }
        if !bylines.is_empty() {
            return bylines;
        }
    }
    Vec::new()
}

/// A longer text in a byline element is a whole author box or article, not a byline.
const MAX_BYLINE_CHARS: usize = 120;

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

    /// The metadata of a page made of `head` and `body`, read at `url`.
    fn meta_of(head: &str, body: &str, url: Option<&str>) -> PageMeta {
        let page = format!("<html><head>{head}</head><body>{body}</body></html>");
        read(&Document::from(page.as_str()), url)
    }

    fn day(meta: &PageMeta) -> Option<String> {
        meta.published.map(|d| d.date().to_string())
    }

    #[test]
    fn resolves_json_ld_author_references() {
        let head = r#"<script type="application/ld+json"><![CDATA[
            {"@context":"https://schema.org","@graph":[
              {"@type":"NewsArticle","headline":"Dock strike ends",
               "author":{"@id":"https://harbor.example/#/person/7"},
               "datePublished":"2024-06-02T08:00:00+02:00"},
              {"@type":"Person","@id":"https://harbor.example/#/person/7","name":"Mara Quist"}]}
            ]]></script>"#;
        let meta = meta_of(head, "<p>Text</p>", None);
        assert_eq!(meta.authors, ["Mara Quist"]);
        assert_eq!(day(&meta).as_deref(), Some("2024-06-02"));
    }

    #[test]
    fn prefers_a_person_in_the_byline_to_an_organisation() {
        let head = r#"<script type="application/ld+json">{"@type":"NewsArticle",
            "author":{"@type":"Organization","name":"Harbor Ledger Newsdesk"}}</script>"#;
        let body = r#"<article><p class="byline">By Kai Roe</p><p>Text</p></article>"#;
        assert_eq!(meta_of(head, body, None).authors, ["By Kai Roe"]);
        let alone = meta_of(head, "<p>Text</p>", None);
        assert_eq!(alone.authors, ["Harbor Ledger Newsdesk"]);
    }

    #[test]
    fn takes_the_first_byline_outside_comments_and_related_stories() {
        let body = r#"<div class="comments"><span class="author">Reader One</span></div>
            <article><div class="author-name">Lena Marx</div><p>Text</p></article>
            <ul class="related"><li><span class="author">Tom Vance</span></li></ul>
            <aside><span class="author">Kai Roe</span></aside>"#;
        assert_eq!(meta_of("", body, None).authors, ["Lena Marx"]);
        // One byline per author, side by side.
        let body = r#"<p class="byline"><span><a rel="author">Lena Marx</a></span>
            and <span><a rel="author">Tom Vance</a></span></p>"#;
        assert_eq!(meta_of("", body, None).authors, ["Lena Marx", "Tom Vance"]);
    }

    #[test]
    fn reads_datelines_when_the_metadata_has_no_date() {
        let body = r#"<h1>Hafenfest verschoben</h1>
            <div class="news-meta"><span class="news-date">Freitag, 12. März 2021</span></div>"#;
        assert_eq!(day(&meta_of("", body, None)).as_deref(), Some("2021-03-12"));
        let body = r#"<h1>Fährbetrieb</h1><p class="subtitle">Inselbote • 03.02.2022</p>
            <p>Der Fährbetrieb läuft wieder.</p>"#;
        assert_eq!(day(&meta_of("", body, None)).as_deref(), Some("2022-02-03"));
        // Readers' comments are not the article's date.
        let body = r#"<p>Text</p><div id="comments"><span class="date">4. Mai 2021</span></div>"#;
        assert_eq!(day(&meta_of("", body, None)), None);
    }

    #[test]
    fn prefers_the_day_in_the_url_to_a_utc_timestamp() {
        let head = r#"<meta property="article:published_time" content="2023-11-09T05:30:00Z">"#;
        let url = "https://harbor.example/2023/11/08/council-vote/";
        let meta = meta_of(head, "<p>Text</p>", Some(url));
        assert_eq!(day(&meta).as_deref(), Some("2023-11-08"));
    }

    #[test]
    fn the_headline_as_the_page_shows_it() {
        // Same headline, the page's own quotes.
        let head = r#"<meta property="og:title" content="Ferry 'back' on the water">"#;
        let body = "<h1>Ferry ‘back’ on the water</h1>";
        assert_eq!(
            meta_of(head, body, None).title.as_deref(),
            Some("Ferry ‘back’ on the water")
        );
        // A logo in an <h1> is not the headline.
        let head = r#"<title>Council approves budget | Harbor Ledger</title>"#;
        let body = "<h1>Harbor Ledger</h1><h1>Council approves budget</h1>";
        assert_eq!(
            meta_of(head, body, None).title.as_deref(),
            Some("Council approves budget")
        );
        // A kicker before the headline is left out.
        let head = r#"<meta property="og:title" content="Council approves budget">"#;
        let body = "<h1>Politics | Council approves budget</h1>";
        assert_eq!(
            meta_of(head, body, None).title.as_deref(),
            Some("Council approves budget")
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
