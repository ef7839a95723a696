//! `/search` (HTML, or JSON by `.json` or `Accept`) and `/api/search`: full-text search
//! over events, articles and quotes with filters, counts per kind and pages.

use crate::api::encode;
use crate::{AppState, Format, error, json_response, respond};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chronicle_publish::{html_escape, html_page};
use chronicle_search::{Found, Kind, SearchIndex, SearchQuery};
use serde::Serialize;
use std::sync::{Arc, RwLock};

/// Hits per page.
const PAGE: usize = 20;
/// The furthest page start served.
const MAX_OFFSET: usize = 10_000;
/// The longest query string answered.
const MAX_QUERY: usize = 2048;

/// The index, opened on first use and shared by every request after.
#[derive(Clone, Debug, Default)]
pub(crate) struct SharedIndex(Arc<RwLock<Option<Arc<SearchIndex>>>>);

impl SharedIndex {
    fn get(&self, data: &std::path::Path) -> chronicle_search::Result<Arc<SearchIndex>> {
        if let Some(index) = self.0.read().ok().and_then(|open| open.clone()) {
            index.refresh()?;
            return Ok(index);
        }
        let index = Arc::new(SearchIndex::open(data)?);
        if let Ok(mut slot) = self.0.write() {
            *slot = Some(Arc::clone(&index));
        }
        Ok(index)
    }
}

type Params = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// A search request's parameters, checked.
fn parse(params: Params) -> Result<(SearchQuery, Vec<(String, String)>), String> {
    let Query(pairs) = params.map_err(|e| format!("the query does not parse: {e}"))?;
    let length: usize = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    if length > MAX_QUERY {
        return Err(format!("the query is longer than {MAX_QUERY} characters"));
    }
    let mut query = SearchQuery {
        limit: PAGE,
        ..SearchQuery::default()
    };
    let day = |key: &str, value: &str| {
        chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
            .map_err(|_| format!("{key} must be a day as YYYY-MM-DD, not {value:?}"))
    };
    let number = |key: &str, value: &str| {
        value
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("{key} must be a whole number, not {value:?}"))
    };
    for (key, value) in &pairs {
        if value.trim().is_empty() && key != "q" {
            continue;
        }
        match key.as_str() {
            "q" => query.text = value.clone(),
            "kind" => query
                .kinds
                .push(Kind::parse(value).ok_or_else(|| format!("unknown kind {value:?}"))?),
            "since" => query.since = Some(day(key, value)?),
            "until" => query.until = Some(day(key, value)?),
            "outlet" => query.outlet = Some(value.trim().to_string()),
            "category" => {
                query.category = Some(
                    chronicle_cluster::Category::stored_name(value)
                        .ok_or_else(|| format!("unknown category {value:?}"))?
                        .to_string(),
                );
            }
            "story" => query.story = Some(number(key, value)?),
            "entity" => query.entity = Some(number(key, value)?),
            "limit" => {
                query.limit = number(key, value)? as usize;
                if !(1..=100).contains(&query.limit) {
                    return Err("limit must be 1 to 100".into());
                }
            }
            "offset" => {
                query.offset = number(key, value)? as usize;
                if query.offset > MAX_OFFSET {
                    return Err(format!("offset must be at most {MAX_OFFSET}"));
                }
            }
            other => return Err(format!("unknown parameter {other:?}")),
        }
    }
    Ok((query, pairs))
}

async fn run(state: &AppState, query: SearchQuery) -> Result<Found, chronicle_search::Error> {
    let data = Arc::clone(&state.data);
    let shared = state.search.clone();
    tokio::task::spawn_blocking(move || shared.get(&data)?.search(&query))
        .await
        .unwrap_or_else(|_| Err(chronicle_search::Error::Query("the search failed".into())))
}

fn failed(format: Format, e: &chronicle_search::Error) -> Response {
    match e {
        chronicle_search::Error::Query(message) => {
            error(StatusCode::BAD_REQUEST, format, "bad_query", message)
        }
        chronicle_search::Error::Missing(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            format,
            "search_unavailable",
            "there is no search index yet: run `chronicle index`",
        ),
        other => error(
            StatusCode::SERVICE_UNAVAILABLE,
            format,
            "search_unavailable",
            &other.to_string(),
        ),
    }
}

/// The query string for another page or facet: the same parameters with some changed.
fn link(pairs: &[(String, String)], changes: &[(&str, Option<String>)]) -> String {
    let mut kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .cloned()
        .collect();
    for (key, value) in changes {
        if let Some(value) = value {
            kept.push(((*key).to_string(), value.clone()));
        }
    }
    let encoded: Vec<String> = kept
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("/search?{}", encoded.join("&"))
}

/// Where a hit links: its own page.
fn href(hit: &chronicle_search::Hit) -> Option<String> {
    match hit.kind {
        Kind::Event => Some(format!("/events/{}", hit.id)),
        Kind::Article => Some(format!("/articles/{}", hit.id)),
        Kind::Quote => Some(format!("/quotes/{}", hit.id)),
    }
}

fn page_html(query: &SearchQuery, pairs: &[(String, String)], found: Option<&Found>) -> String {
    let mut out = String::from("<h1>Search</h1>\n");
    let kind = query.kinds.first().map(|k| k.name()).unwrap_or_default();
    let option = |value: &str, label: &str| {
        format!(
            "<option value=\"{value}\"{}>{label}</option>",
            if value == kind { " selected" } else { "" }
        )
    };
    out.push_str(&format!(
        "<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\n\
         <label for=\"q\">Words or \"a phrase\"</label> <input id=\"q\" name=\"q\" type=\"search\" value=\"{}\">\n\
         <label for=\"kind\">In</label> <select id=\"kind\" name=\"kind\">{}{}{}{}</select>\n\
         <label for=\"since\">From</label> <input id=\"since\" name=\"since\" type=\"date\" value=\"{}\">\n\
         <label for=\"until\">to</label> <input id=\"until\" name=\"until\" type=\"date\" value=\"{}\">\n\
         <button type=\"submit\">Search</button>\n</form>\n",
        html_escape(&query.text),
        option("", "everything"),
        option("event", "events"),
        option("article", "articles"),
        option("quote", "quotes"),
        query.since.map(|d| d.to_string()).unwrap_or_default(),
        query.until.map(|d| d.to_string()).unwrap_or_default(),
    ));
    let Some(found) = found else {
        return out;
    };
    let facets: Vec<String> = found
        .by_kind
        .iter()
        .map(|(kind, count)| {
            format!(
                "<a href=\"{}\">{count} {}s</a>",
                html_escape(&link(
                    pairs,
                    &[("kind", Some(kind.name().into())), ("offset", None)]
                )),
                kind.name()
            )
        })
        .collect();
    out.push_str(&format!(
        "<p class=\"meta\">{} results: {}</p>\n<ol class=\"results\" start=\"{}\">\n",
        found.total,
        facets.join(" · "),
        query.offset + 1
    ));
    for hit in &found.hits {
        let title = html_escape(if hit.title.is_empty() {
            "(untitled)"
        } else {
            &hit.title
        });
        let title = match href(hit) {
            Some(href) => format!("<a href=\"{href}\">{title}</a>"),
            None => title,
        };
        out.push_str(&format!(
            "<li><span class=\"kind\">{}</span> {title} <span class=\"meta\">{}{}</span><p>{}</p></li>\n",
            hit.kind.name(),
            html_escape(hit.date.as_deref().unwrap_or("undated")),
            hit.outlet
                .as_deref()
                .map(|o| format!(" · {}", html_escape(o)))
                .unwrap_or_default(),
            hit.snippet_html
        ));
    }
    out.push_str("</ol>\n");
    let mut pages = Vec::new();
    if query.offset > 0 {
        let previous = query.offset.saturating_sub(query.limit);
        pages.push(format!(
            "<a rel=\"prev\" href=\"{}\">Previous</a>",
            html_escape(&link(pairs, &[("offset", Some(previous.to_string()))]))
        ));
    }
    if (query.offset + found.hits.len()) < found.total as usize {
        pages.push(format!(
            "<a rel=\"next\" href=\"{}\">Next</a>",
            html_escape(&link(
                pairs,
                &[("offset", Some((query.offset + query.limit).to_string()))]
            ))
        ));
    }
    if !pages.is_empty() {
        out.push_str(&format!(
            "<nav aria-label=\"Pages\">{}</nav>\n",
            pages.join(" ")
        ));
    }
    out
}

/// The JSON of a search: the page of hits with totals, as the API lists are shaped.
#[derive(Debug, Serialize)]
struct Results<'a> {
    total: u64,
    by_kind: std::collections::BTreeMap<&'static str, u64>,
    items: &'a [chronicle_search::Hit],
    limit: usize,
    offset: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

fn results_json(
    query: &SearchQuery,
    pairs: &[(String, String)],
    found: &Found,
    base: &str,
) -> Response {
    let more = query.offset + found.hits.len() < found.total as usize;
    json_response(&Results {
        total: found.total,
        by_kind: found.by_kind.iter().map(|(k, n)| (k.name(), *n)).collect(),
        items: &found.hits,
        limit: query.limit,
        offset: query.offset,
        next: more.then(|| {
            link(
                pairs,
                &[("offset", Some((query.offset + query.limit).to_string()))],
            )
            .replacen("/search", base, 1)
        }),
    })
}

/// `/search`: the page (or its JSON by `Accept`).
pub(crate) async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Params,
) -> Response {
    answer(state, Format::from_accept(&headers), params, "/search").await
}

/// `/search.json`.
pub(crate) async fn page_json(State(state): State<AppState>, params: Params) -> Response {
    answer(state, Format::Json, params, "/search.json").await
}

/// `/api/search`.
pub(crate) async fn api(State(state): State<AppState>, params: Params) -> Response {
    answer(state, Format::Json, params, "/api/search").await
}

async fn answer(state: AppState, format: Format, params: Params, base: &str) -> Response {
    let (query, pairs) = match parse(params) {
        Ok(parsed) => parsed,
        Err(message) => return error(StatusCode::BAD_REQUEST, format, "bad_query", &message),
    };
    let blank = query.text.trim().is_empty()
        && query.kinds.is_empty()
        && query.since.is_none()
        && query.until.is_none()
        && query.outlet.is_none()
        && query.category.is_none()
        && query.story.is_none()
        && query.entity.is_none();
    if format == Format::Html && blank {
        return respond(
            Format::Html,
            html_page("Search", &page_html(&query, &pairs, None), &[]).into_bytes(),
        );
    }
    let found = match run(&state, query.clone()).await {
        Ok(found) => found,
        Err(e) => return failed(format, &e),
    };
    match format {
        Format::Html => {
            let title = if query.text.trim().is_empty() {
                "Search".to_string()
            } else {
                format!("Search: {}", query.text.trim())
            };
            respond(
                Format::Html,
                html_page(&title, &page_html(&query, &pairs, Some(&found)), &[]).into_bytes(),
            )
        }
        _ => results_json(&query, &pairs, &found, base),
    }
}
