//! The JSON API under `/api/`: lists with filters and pages, one item by id, and the
//! OpenAPI document that describes them (`/api/openapi.json`).
//!
//! Lists answer `{"items": […], "limit", "offset", "next"}`, where `next` is the path of
//! the following page (absent on the last). Errors answer
//! `{"error": {"code", "message"}}` with a stable code: `bad_query` (an unknown
//! parameter or a value that does not parse), `not_found`, `bad_id`,
//! `store_unavailable`, `internal`.

use crate::{AppState, Format, error, json_response, with_store};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chronicle_publish::{EntityPage, EventData};
use chronicle_store::{ArticleFilter, EntityId, EventFilter};
use serde::Serialize;

/// Items in a page unless `limit` says otherwise, and the most a page holds.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;
/// The furthest a page may start (deeper pages cost the store more than they are worth).
const MAX_OFFSET: usize = 100_000;
/// The longest query string answered.
const MAX_QUERY: usize = 2048;

/// The OpenAPI document, kept beside the code it describes.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The JSON Schema of every page's JSON twin (served at `/schemas/pages.json`).
pub const PAGES_SCHEMA: &str = include_str!("pages.schema.json");

/// One page of a list.
#[derive(Debug, Serialize)]
struct Page<T> {
    items: Vec<T>,
    limit: usize,
    offset: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

type Params = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// A parameter that is unknown or does not parse: a 400 with the code `bad_query`.
#[derive(Debug)]
struct BadQuery(String);

impl IntoResponse for BadQuery {
    fn into_response(self) -> Response {
        error(StatusCode::BAD_REQUEST, Format::Json, "bad_query", &self.0)
    }
}

fn bad_query(message: &str) -> BadQuery {
    BadQuery(message.to_string())
}

/// A request's parameters, checked against those the endpoint takes.
struct Checked {
    pairs: Vec<(String, String)>,
}

impl Checked {
    fn parse(params: Params, allowed: &[&str]) -> Result<Self, BadQuery> {
        let Query(pairs) =
            params.map_err(|e| bad_query(&format!("the query does not parse: {e}")))?;
        let length: usize = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        if length > MAX_QUERY {
            return Err(bad_query(&format!(
                "the query is longer than {MAX_QUERY} characters"
            )));
        }
        for (key, _) in &pairs {
            if key != "limit" && key != "offset" && !allowed.contains(&key.as_str()) {
                let mut takes: Vec<&str> = allowed.to_vec();
                takes.extend(["limit", "offset"]);
                return Err(bad_query(&format!(
                    "unknown parameter {key:?}: this list takes {}",
                    takes.join(", ")
                )));
            }
        }
        let mut seen: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        seen.sort_unstable();
        if let Some(pair) = seen.windows(2).find(|w| w[0] == w[1]) {
            return Err(bad_query(&format!("parameter {:?} given twice", pair[0])));
        }
        Ok(Self { pairs })
    }

    fn text(&self, key: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
    }

    fn number(&self, key: &str) -> Result<Option<u64>, BadQuery> {
        self.text(key)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| bad_query(&format!("{key} must be a whole number, not {v:?}")))
            })
            .transpose()
    }

    fn day(&self, key: &str) -> Result<Option<String>, BadQuery> {
        self.text(key)
            .map(|v| {
                chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map(|d| d.to_string())
                    .map_err(|_| {
                        bad_query(&format!("{key} must be a day as YYYY-MM-DD, not {v:?}"))
                    })
            })
            .transpose()
    }

    /// `limit` (1 to 500, 50 when absent) and `offset` (0 to 100,000).
    fn window(&self) -> Result<(usize, usize), BadQuery> {
        let limit = self.number("limit")?.map_or(DEFAULT_LIMIT, |l| l as usize);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(bad_query(&format!("limit must be 1 to {MAX_LIMIT}")));
        }
        let offset = self.number("offset")?.unwrap_or(0) as usize;
        if offset > MAX_OFFSET {
            return Err(bad_query(&format!("offset must be at most {MAX_OFFSET}")));
        }
        Ok((limit, offset))
    }

    /// The path of the page after this one.
    fn next(&self, path: &str, limit: usize, offset: usize) -> String {
        let mut parts: Vec<String> = self
            .pairs
            .iter()
            .filter(|(k, _)| k != "offset" && k != "limit")
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        parts.push(format!("limit={limit}"));
        parts.push(format!("offset={}", offset + limit));
        format!("{path}?{}", parts.join("&"))
    }
}

/// Percent-encodes a query component.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A page of `items`, fetched with one more than the limit to know if another follows.
fn page<T: Serialize>(
    query: &Checked,
    path: &str,
    mut items: Vec<T>,
    limit: usize,
    offset: usize,
) -> Response {
    let more = items.len() > limit;
    items.truncate(limit);
    json_response(&Page {
        items,
        limit,
        offset,
        next: more.then(|| query.next(path, limit, offset)),
    })
}

fn not_found(what: &str, id: u64) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Format::Json,
        "not_found",
        &format!("no {what} {id}"),
    )
}

fn bad_id(what: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Format::Json,
        "bad_id",
        &format!("{what} ids are numbers"),
    )
}

/// `/api/`: what there is.
pub(crate) async fn index() -> Response {
    json_response(&serde_json::json!({
        "openapi": "/api/openapi.json",
        "page_schemas": "/schemas/pages.json",
        "events": "/api/events",
        "stories": "/api/stories",
        "entities": "/api/entities",
        "quotes": "/api/quotes",
        "articles": "/api/articles",
        "search": "/api/search?q=",
    }))
}

pub(crate) async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}

pub(crate) async fn pages_schema() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        PAGES_SCHEMA,
    )
        .into_response()
}

pub(crate) async fn events(State(state): State<AppState>, params: Params) -> Response {
    let query = match Checked::parse(
        params,
        &[
            "date", "since", "until", "story", "entity", "category", "outlet",
        ],
    ) {
        Ok(query) => query,
        Err(bad) => return bad.into_response(),
    };
    let filter = (|| {
        let (limit, offset) = query.window()?;
        let category = match query.text("category") {
            Some(text) => Some(
                chronicle_cluster::Category::stored_name(&text)
                    .ok_or_else(|| bad_query(&format!("unknown category {text:?}")))?
                    .to_string(),
            ),
            None => None,
        };
        Ok::<_, BadQuery>(EventFilter {
            date: query.day("date")?,
            since: query.day("since")?,
            until: query.day("until")?,
            category,
            entity: query.number("entity")?,
            story: query.number("story")?,
            outlet: query.text("outlet"),
            limit: Some(limit + 1),
            offset: Some(offset),
        })
    })();
    let filter = match filter {
        Ok(filter) => filter,
        Err(bad) => return bad.into_response(),
    };
    let (limit, offset) = (filter.limit.unwrap_or(1) - 1, filter.offset.unwrap_or(0));
    match with_store(&state, Format::Json, move |read| read.events(&filter)).await {
        Ok(items) => page(&query, "/api/events", items, limit, offset),
        Err(response) => response,
    }
}

pub(crate) async fn event(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return bad_id("event");
    };
    match with_store(&state, Format::Json, move |read| EventData::load(read, id)).await {
        Ok(Some(data)) if data.detail.summary.id != id => {
            Redirect::permanent(&format!("/api/events/{}", data.detail.summary.id)).into_response()
        }
        Ok(Some(data)) => json_response(&data.record(false, true)),
        Ok(None) => not_found("event", id),
        Err(response) => response,
    }
}

pub(crate) async fn stories(State(state): State<AppState>, params: Params) -> Response {
    let query = match Checked::parse(params, &[]) {
        Ok(query) => query,
        Err(bad) => return bad.into_response(),
    };
    let (limit, offset) = match query.window() {
        Ok(window) => window,
        Err(bad) => return bad.into_response(),
    };
    match with_store(&state, Format::Json, move |read| {
        read.stories_from(Some(limit + 1), offset)
    })
    .await
    {
        Ok(items) => page(&query, "/api/stories", items, limit, offset),
        Err(response) => response,
    }
}

pub(crate) async fn story(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return bad_id("story");
    };
    match with_store(&state, Format::Json, move |read| read.story(id)).await {
        Ok(Some(story)) => json_response(&story),
        Ok(None) => not_found("story", id),
        Err(response) => response,
    }
}

pub(crate) async fn entities(State(state): State<AppState>, params: Params) -> Response {
    let query = match Checked::parse(params, &["type"]) {
        Ok(query) => query,
        Err(bad) => return bad.into_response(),
    };
    let (limit, offset) = match query.window() {
        Ok(window) => window,
        Err(bad) => return bad.into_response(),
    };
    let kind = match query.text("type") {
        Some(text) => match chronicle_annotate::EntityKind::parse(&text) {
            Some(kind) => Some(kind),
            None => {
                return bad_query(&format!(
                    "unknown type {text:?}: person, organisation, place or other"
                ))
                .into_response();
            }
        },
        None => None,
    };
    match with_store(&state, Format::Json, move |read| {
        read.entities_from(kind, Some(limit + 1), offset)
    })
    .await
    {
        Ok(items) => page(&query, "/api/entities", items, limit, offset),
        Err(response) => response,
    }
}

pub(crate) async fn entity(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return bad_id("entity");
    };
    match with_store(&state, Format::Json, move |read| EntityPage::load(read, id)).await {
        Ok(Some(page)) => json_response(&page),
        Ok(None) => not_found("entity", id),
        Err(response) => response,
    }
}

pub(crate) async fn quotes(State(state): State<AppState>, params: Params) -> Response {
    let query = match Checked::parse(params, &["speaker", "event"]) {
        Ok(query) => query,
        Err(bad) => return bad.into_response(),
    };
    let found = (|| {
        let (limit, offset) = query.window()?;
        Ok::<_, BadQuery>((
            limit,
            offset,
            query.number("speaker")?.map(EntityId),
            query.number("event")?,
        ))
    })();
    let (limit, offset, speaker, event) = match found {
        Ok(found) => found,
        Err(bad) => return bad.into_response(),
    };
    match with_store(&state, Format::Json, move |read| {
        read.quotes_from(speaker, event, Some(limit + 1), offset)
    })
    .await
    {
        Ok(items) => page(&query, "/api/quotes", items, limit, offset),
        Err(response) => response,
    }
}

pub(crate) async fn articles(State(state): State<AppState>, params: Params) -> Response {
    let query = match Checked::parse(params, &["outlet", "since", "until"]) {
        Ok(query) => query,
        Err(bad) => return bad.into_response(),
    };
    let filter = (|| {
        let (limit, offset) = query.window()?;
        let day = |key: &str| {
            query
                .day(key)
                .map(|d| d.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
        };
        Ok::<_, BadQuery>(ArticleFilter {
            outlet: query.text("outlet"),
            since: day("since")?,
            until: day("until")?,
            limit: Some(limit + 1),
            offset,
        })
    })();
    let filter = match filter {
        Ok(filter) => filter,
        Err(bad) => return bad.into_response(),
    };
    let (limit, offset) = (filter.limit.unwrap_or(1) - 1, filter.offset);
    match with_store(&state, Format::Json, move |read| read.articles(&filter)).await {
        Ok(items) => page(&query, "/api/articles", items, limit, offset),
        Err(response) => response,
    }
}

pub(crate) async fn article(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return bad_id("article");
    };
    match with_store(&state, Format::Json, move |read| {
        read.article(chronicle_model::ArticleId(id))
    })
    .await
    {
        Ok(Some(article)) => json_response(&article),
        Ok(None) => not_found("article", id),
        Err(response) => response,
    }
}

/// Anything else under `/api/`.
pub(crate) async fn unknown() -> Response {
    error(
        StatusCode::NOT_FOUND,
        Format::Json,
        "not_found",
        "no such endpoint: see /api/openapi.json",
    )
}
