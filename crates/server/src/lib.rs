//! The record over HTTP, read-only: the latest events by day, a page per day, per
//! event and per story, each as HTML, JSON, Markdown and XML (by extension, or by the
//! `Accept` header).
//!
//! | path | page |
//! |---|---|
//! | `/` (`/index.json`, …) | the latest events grouped by day |
//! | `/news/YYYY/MM/DD/` (`…/index.json`, …) | the events of one day |
//! | `/events/ID` (`ID.json`, `ID.md`, `ID.xml`) | one event; a merged id redirects |
//! | `/events/ID/revisions/N` (`N.json`, `N.md`, `N.xml`) | one version of an event |
//! | `/stories/`, `/stories/ID` | stories, and one story's events by date |
//! | `/entities/`, `/entities/ID` | entities, and one entity's events, roles and quotes |
//! | `/articles/ID`, `/quotes/ID` | an article as read; a quote with its citations |
//! | `/outlets/`, `/outlets/SLUG` | outlets, and one outlet's events and articles |
//! | `/api/…` | the JSON API, described at `/api/openapi.json` |
//! | `/feeds/all.rss`, `/feeds/{story,entity,category,day}/NAME.atom`, … | RSS 2.0 and Atom |
//! | `/static/style.css` | the stylesheet |
//!
//! Every response carries a strict Content-Security-Policy (no scripts at all) and the
//! usual hardening headers; only GET and HEAD are served; all article-derived text is
//! escaped. The store is opened read-only for each request on a blocking thread.

mod api;
mod cache;
mod search;
mod site;

pub use site::{BuiltSite, build_site};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chronicle_publish::{
    ArticlePage, EntityPage, EventData, Feed, FeedFormat, RevisionPage, article_html,
    article_markdown, article_xml, day_path, entity_html, entity_markdown, entity_xml, event_html,
    events_html_with, html_escape, html_page, outlet_slug, quote_html, quote_markdown, quote_xml,
    revision_html, revision_markdown, revision_xml, write_feed, write_json, write_markdown,
    write_xml,
};
use chronicle_store::{EventFilter, Store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Events on the home page.
const HOME_EVENTS: usize = 60;

/// The policy every response carries: nothing runs, styles and images come from here
/// (images of sources may come from anywhere over https).
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' https:; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[derive(Clone, Debug)]
struct AppState {
    data: Arc<PathBuf>,
    /// The site's absolute URL for feeds (no trailing slash); `None`: from `Host`.
    base: Option<Arc<str>>,
    search: search::SharedIndex,
    cache: cache::ResponseCache,
}

/// The application: every route, with the security headers. Feeds link to the host
/// each request names.
pub fn router(data: PathBuf) -> Router {
    router_at(data, None)
}

/// The application with feeds linking to `base` (an absolute URL such as
/// `https://news.example.org`) whatever the request's host.
pub fn router_at(data: PathBuf, base: Option<&str>) -> Router {
    build(data, base, true)
}

/// The application without its response cache: every request reads the store (to
/// measure what a page costs).
pub fn router_uncached(data: PathBuf) -> Router {
    build(data, None, false)
}

fn build(data: PathBuf, base: Option<&str>, cache: bool) -> Router {
    let state = AppState {
        data: Arc::new(data),
        base: base.map(|b| Arc::from(b.trim_end_matches('/'))),
        search: search::SharedIndex::default(),
        cache: cache::ResponseCache::default(),
    };
    let router = Router::new()
        .route("/", get(home))
        .route("/{file}", get(home_as))
        .route("/news/{year}/{month}/{day}/", get(day))
        .route("/news/{year}/{month}/{day}/{file}", get(day_as))
        .route("/events/{file}", get(event))
        .route("/events/{id}/revisions/{file}", get(revision))
        .route("/stories/", get(stories))
        .route("/stories/{file}", get(story))
        .route("/api", get(api::index))
        .route("/api/", get(api::index))
        .route("/api/openapi.json", get(api::openapi))
        .route("/schemas/pages.json", get(api::pages_schema))
        .route("/api/events", get(api::events))
        .route("/api/events/{id}", get(api::event))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/entities", get(api::entities))
        .route("/api/entities/{id}", get(api::entity))
        .route("/api/quotes", get(api::quotes))
        .route("/api/articles", get(api::articles))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/search", get(search::api))
        .route("/api/{*rest}", get(api::unknown))
        .route("/search", get(search::page))
        .route("/search.json", get(search::page_json))
        .route("/articles/{file}", get(article))
        .route("/quotes/{file}", get(quote))
        .route("/outlets/", get(outlets))
        .route("/outlets/{file}", get(outlet))
        .route("/entities/", get(entities))
        .route("/entities/{file}", get(entity))
        .route("/feeds/{file}", get(feed_all))
        .route("/feeds/{kind}/{file}", get(feed))
        .route("/static/style.css", get(style))
        .fallback(not_found);
    let router = if cache {
        router.layer(middleware::from_fn_with_state(state.clone(), cache::cached))
    } else {
        router
    };
    router.layer(middleware::from_fn(harden)).with_state(state)
}

/// Threads that read the store and the search index at once. Each keeps a connection
/// with its own page cache, so this bounds the server's memory; on a couple of cores
/// more would only queue inside SQLite instead of in the runtime.
pub const READ_THREADS: usize = 32;

/// The runtime the server runs on: I/O on every core, store reads on at most
/// [`READ_THREADS`] threads.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(READ_THREADS)
        .enable_all()
        .build()
}

/// Serves the record on `addr` until interrupted, on a runtime of its own (for callers
/// that are not async). `ready` is called with the bound address once it listens.
pub fn run(data: PathBuf, addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(data))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}

/// Serves the record on a listener already bound (so the caller knows its address),
/// until the task is dropped; `cache: false` renders every answer afresh.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    data: PathBuf,
    cache: bool,
) -> std::io::Result<()> {
    let app = if cache {
        router(data)
    } else {
        router_uncached(data)
    };
    axum::serve(listener, app).await
}

/// Serves the record on `addr` until interrupted.
pub async fn serve(data: PathBuf, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(data))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// Security headers on every response; anything but GET and HEAD is refused.
async fn harden(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let mut response = if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        next.run(request).await
    } else {
        let mut refused = error(
            StatusCode::METHOD_NOT_ALLOWED,
            Format::Html,
            "method_not_allowed",
            "this server is read-only: only GET and HEAD",
        );
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        refused
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The formats of every page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Html,
    Json,
    Markdown,
    Xml,
}

impl Format {
    fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "html" => Some(Self::Html),
            "json" => Some(Self::Json),
            "md" => Some(Self::Markdown),
            "xml" => Some(Self::Xml),
            _ => None,
        }
    }

    /// The format an `Accept` header asks for first among ours (HTML when none).
    fn from_accept(headers: &HeaderMap) -> Self {
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        for part in accept.split(',') {
            match part.split(';').next().unwrap_or_default().trim() {
                "text/html" => return Self::Html,
                "application/json" => return Self::Json,
                "text/markdown" => return Self::Markdown,
                "application/xml" | "text/xml" => return Self::Xml,
                _ => {}
            }
        }
        Self::Html
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Html => "text/html; charset=utf-8",
            Self::Json => "application/json",
            Self::Markdown => "text/markdown; charset=utf-8",
            Self::Xml => "application/xml; charset=utf-8",
        }
    }
}

/// "7" or "7.json": the name and the format it asks for (`None` when the extension is
/// not one of ours).
fn split_file(file: &str, headers: &HeaderMap) -> Option<(String, Format)> {
    match file.rsplit_once('.') {
        Some((name, extension)) => Some((name.to_string(), Format::from_extension(extension)?)),
        None => Some((file.to_string(), Format::from_accept(headers))),
    }
}

fn respond(format: Format, body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, format.content_type())], body).into_response()
}

/// The rendered body, or a 500 when rendering failed.
fn finish(format: Format, written: std::io::Result<()>, body: Vec<u8>) -> Response {
    match written {
        Ok(()) => respond(format, body),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format,
            "internal",
            &e.to_string(),
        ),
    }
}

/// A value as a JSON response.
fn json_response(value: &impl serde::Serialize) -> Response {
    let mut body = Vec::new();
    let written = write_json(&mut body, value);
    finish(Format::Json, written, body)
}

/// An error in the format asked for, with a stable code.
fn error(status: StatusCode, format: Format, code: &str, message: &str) -> Response {
    let body = match format {
        Format::Json => serde_json::json!({"error": {"code": code, "message": message}})
            .to_string()
            .into_bytes(),
        Format::Markdown => format!("# {status}\n\n{message}\n").into_bytes(),
        Format::Xml => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error code=\"{code}\">{}</error>\n",
            chronicle_publish::xml_escape(message)
        )
        .into_bytes(),
        Format::Html => html_page(
            &status.to_string(),
            &format!(
                "<h1>{}</h1>\n<p>{}</p>\n<p><a href=\"/\">The latest events</a></p>\n",
                html_escape(&status.to_string()),
                html_escape(message)
            ),
            &[],
        )
        .into_bytes(),
    };
    (
        status,
        [(header::CONTENT_TYPE, format.content_type())],
        body,
    )
        .into_response()
}

thread_local! {
    /// Each blocking thread's read-only connection, kept between requests: its page
    /// cache and prepared statements stay warm. SQLite starts a fresh read snapshot for
    /// every statement outside a transaction, so what an ingest commits is seen at once.
    static SNAPSHOT: std::cell::RefCell<Option<(PathBuf, chronicle_store::Snapshot)>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `read` on this thread's connection to the store in `data` (opened on first use,
/// and opened again after a failed read, in case the store was replaced).
fn read_cached<T>(
    data: &std::path::Path,
    read: impl FnOnce(&chronicle_store::Reader<'_>) -> chronicle_store::Result<T>,
) -> chronicle_store::Result<T> {
    SNAPSHOT.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(dir, _)| dir != data) {
            *slot = Some((data.to_path_buf(), Store::open_read_only(data)?));
        }
        let Some((_, snapshot)) = slot.as_ref() else {
            return Err(chronicle_store::Error::NotAStore {
                dir: data.to_path_buf(),
            });
        };
        let outcome = read(&snapshot.read());
        if outcome.is_err() {
            *slot = None;
        }
        outcome
    })
}

/// Runs a store read on a blocking thread; a store that cannot be read is a 503.
async fn with_store<T: Send + 'static>(
    state: &AppState,
    format: Format,
    read: impl FnOnce(&chronicle_store::Reader<'_>) -> chronicle_store::Result<T> + Send + 'static,
) -> Result<T, Response> {
    let data = Arc::clone(&state.data);
    let outcome = tokio::task::spawn_blocking(move || read_cached(&data, read)).await;
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(error(
            StatusCode::SERVICE_UNAVAILABLE,
            format,
            "store_unavailable",
            &format!("the store cannot be read: {e}"),
        )),
        Err(_) => Err(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format,
            "internal",
            "the request failed",
        )),
    }
}

/// The same page in the other formats (`stem` is its path before the extension), and
/// its feed (`feed`, before `.rss` / `.atom`), for the page's alternate links.
fn alternates(stem: &str, feed: Option<&str>) -> Vec<(&'static str, String)> {
    let mut links = vec![
        ("JSON", format!("{stem}.json")),
        ("Markdown", format!("{stem}.md")),
        ("XML", format!("{stem}.xml")),
    ];
    if let Some(feed) = feed {
        links.push(("RSS", format!("{feed}.rss")));
        links.push(("Atom", format!("{feed}.atom")));
    }
    links
}

/// A list of events in one of the formats; `stem` is the page's path before its extension
/// (`/stories/3`) and `feed` its feed's (`/feeds/story/3`).
fn event_list(
    format: Format,
    title: &str,
    intro: &str,
    events: &[chronicle_store::EventSummary],
    stem: &str,
    feed: &str,
) -> Response {
    let mut body = Vec::new();
    let written = match format {
        Format::Html => {
            let alternates = alternates(stem, Some(feed));
            body =
                html_page(title, &events_html_with(title, intro, events), &alternates).into_bytes();
            Ok(())
        }
        Format::Json => write_json(&mut body, &events),
        Format::Markdown => {
            let mut text = format!("# {}\n", chronicle_publish::escape_markdown(title));
            let mut day: Option<&str> = None;
            for event in events {
                let date = event.date.as_deref().unwrap_or("undated");
                if day != Some(date) {
                    text.push_str(&format!("\n## {date}\n\n"));
                    day = Some(date);
                }
                text.push_str(&format!(
                    "- [{}](/events/{}.md) ({})\n",
                    chronicle_publish::escape_markdown(event.headline.as_deref().unwrap_or("")),
                    event.id,
                    event.category.as_deref().unwrap_or("uncategorised")
                ));
            }
            body = text.into_bytes();
            Ok(())
        }
        Format::Xml => chronicle_publish::write_events_xml(&mut body, Some(title), events),
    };
    finish(format, written, body)
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    home_in(state, Format::from_accept(&headers)).await
}

async fn home_as(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    match split_file(&file, &headers) {
        Some((name, format)) if name == "index" => home_in(state, format).await,
        _ => not_found(headers).await,
    }
}

async fn home_in(state: AppState, format: Format) -> Response {
    let events = with_store(&state, format, |read| {
        read.events(&EventFilter {
            limit: Some(HOME_EVENTS),
            ..EventFilter::default()
        })
    })
    .await;
    match events {
        Ok(events) => event_list(
            format,
            "The latest events",
            "",
            &events,
            "/index",
            "/feeds/all",
        ),
        Err(response) => response,
    }
}

/// A day from path parts, checked.
fn parse_day(year: &str, month: &str, day: &str) -> Option<String> {
    let date = format!("{year}-{month}-{day}");
    (day_path(&date).is_some() && chrono_like_valid(&date)).then_some(date)
}

/// Whether a YYYY-MM-DD string names a real day (month 1–12, day within the month).
fn chrono_like_valid(date: &str) -> bool {
    let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    let [year, month, day] = parts[..] else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

async fn day(
    State(state): State<AppState>,
    Path((year, month, day)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    day_in(state, &year, &month, &day, Format::from_accept(&headers)).await
}

async fn day_as(
    State(state): State<AppState>,
    Path((year, month, day, file)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Response {
    match split_file(&file, &headers) {
        Some((name, format)) if name == "index" => day_in(state, &year, &month, &day, format).await,
        _ => not_found(headers).await,
    }
}

async fn day_in(state: AppState, year: &str, month: &str, day: &str, format: Format) -> Response {
    let Some(date) = parse_day(year, month, day) else {
        return error(
            StatusCode::NOT_FOUND,
            format,
            "bad_date",
            "not a day: the path is /news/YYYY/MM/DD/",
        );
    };
    let wanted = date.clone();
    let events = with_store(&state, format, move |read| {
        read.events(&EventFilter {
            date: Some(wanted),
            ..EventFilter::default()
        })
    })
    .await;
    match events {
        Ok(events) => event_list(
            format,
            &format!("Events of {date}"),
            "",
            &events,
            &format!("/news/{year}/{month}/{day}/index"),
            &format!("/feeds/day/{date}"),
        ),
        Err(response) => response,
    }
}

async fn event(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (id, format, data) = match by_id(&state, &file, &headers, "event", EventData::load).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let current = data.detail.summary.id;
    if current != id {
        // A merged event's id leads to the event it became.
        let extension = file.rsplit_once('.').map(|(_, e)| format!(".{e}"));
        return Redirect::permanent(&format!(
            "/events/{current}{}",
            extension.unwrap_or_default()
        ))
        .into_response();
    }
    let record = data.record(false, true);
    let mut body = Vec::new();
    let written = match format {
        Format::Html => {
            let alternates = alternates(&format!("/events/{id}"), None);
            body = html_page(
                record.headline.unwrap_or("Event"),
                &event_html(&record),
                &alternates,
            )
            .into_bytes();
            Ok(())
        }
        Format::Json => write_json(&mut body, &record),
        Format::Markdown => write_markdown(&mut body, &record),
        Format::Xml => write_xml(&mut body, &record),
    };
    finish(format, written, body)
}

/// One past version of an event (`/events/ID/revisions/N`): its own history, so a
/// merged event's versions stay where they were.
async fn revision(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some((name, format)) = split_file(&file, &headers) else {
        return error(
            StatusCode::NOT_FOUND,
            Format::Html,
            "unknown_format",
            "unknown format: use .html, .json, .md or .xml",
        );
    };
    let (Ok(event), Ok(number)) = (id.parse::<u64>(), name.parse::<usize>()) else {
        return error(
            StatusCode::NOT_FOUND,
            format,
            "bad_id",
            "event ids and version numbers are numbers",
        );
    };
    let page = with_store(&state, format, move |read| {
        RevisionPage::load(read, event, number)
    })
    .await;
    let page = match found(page, format, || {
        format!("no version {number} of event {event}")
    }) {
        Ok(page) => page,
        Err(response) => return *response,
    };
    let mut body = Vec::new();
    let written = match format {
        Format::Html => {
            let stem = format!("/events/{event}/revisions/{number}");
            body = html_page(
                &page.title(),
                &revision_html(&page),
                &alternates(&stem, None),
            )
            .into_bytes();
            Ok(())
        }
        Format::Json => write_json(&mut body, &page),
        Format::Markdown => {
            body = revision_markdown(&page).into_bytes();
            Ok(())
        }
        Format::Xml => {
            body = revision_xml(&page).into_bytes();
            Ok(())
        }
    };
    finish(format, written, body)
}

async fn stories(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let format = Format::from_accept(&headers);
    let stories = match with_store(&state, format, |read| read.stories(Some(200))).await {
        Ok(stories) => stories,
        Err(response) => return response,
    };
    if format == Format::Json {
        return json_response(&stories);
    }
    let mut html = String::from("<h1>Stories</h1>\n<ul>\n");
    for story in &stories {
        html.push_str(&format!(
            "<li><a href=\"/stories/{}\">{}</a> <span class=\"meta\">{} events, {} to {}</span></li>\n",
            story.id,
            html_escape(story.name.as_deref().unwrap_or("Unnamed story")),
            story.events,
            html_escape(story.first.as_deref().unwrap_or("?")),
            html_escape(story.last.as_deref().unwrap_or("?"))
        ));
    }
    html.push_str("</ul>\n");
    respond(Format::Html, html_page("Stories", &html, &[]).into_bytes())
}

/// A value read from the store, or the 404 (`not_found`, with `missing`'s message) to
/// answer when there is none.
fn found<T>(
    read: Result<Option<T>, Response>,
    format: Format,
    missing: impl FnOnce() -> String,
) -> Result<T, Box<Response>> {
    match read.map_err(Box::new)? {
        Some(value) => Ok(value),
        None => Err(Box::new(error(
            StatusCode::NOT_FOUND,
            format,
            "not_found",
            &missing(),
        ))),
    }
}

/// What a page named `ID` or `ID.ext` shows, read by `read`: its id, the format asked
/// for and the value, or the error to answer (unknown format, not a number, no such
/// `what`).
async fn by_id<T: Send + 'static>(
    state: &AppState,
    file: &str,
    headers: &HeaderMap,
    what: &'static str,
    read: fn(&chronicle_store::Reader<'_>, u64) -> chronicle_store::Result<Option<T>>,
) -> Result<(u64, Format, T), Response> {
    let Some((name, format)) = split_file(file, headers) else {
        return Err(error(
            StatusCode::NOT_FOUND,
            Format::Html,
            "unknown_format",
            "unknown format: use .html, .json, .md or .xml",
        ));
    };
    let Ok(id) = name.parse::<u64>() else {
        return Err(error(
            StatusCode::NOT_FOUND,
            format,
            "bad_id",
            &format!("{what} ids are numbers"),
        ));
    };
    match with_store(state, format, move |reader| read(reader, id)).await? {
        Some(value) => Ok((id, format, value)),
        None => Err(error(
            StatusCode::NOT_FOUND,
            format,
            "not_found",
            &format!("no {what} {id}"),
        )),
    }
}

async fn story(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (id, format, story) =
        match by_id(&state, &file, &headers, "story", |read, id| read.story(id)).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    if format == Format::Json {
        return json_response(&story);
    }
    let title = story
        .summary
        .name
        .clone()
        .unwrap_or_else(|| format!("Story {id}"));
    let chart = chronicle_publish::story_chart(&story.timeline);
    let mut timeline = story.timeline.clone();
    timeline.reverse();
    event_list(
        format,
        &title,
        &chart,
        &timeline,
        &format!("/stories/{id}"),
        &format!("/feeds/story/{id}"),
    )
}

async fn article(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (id, format, page) =
        match by_id(&state, &file, &headers, "article", ArticlePage::load).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    match format {
        Format::Json => json_response(&page),
        Format::Markdown => respond(format, article_markdown(&page).into_bytes()),
        Format::Xml => respond(format, article_xml(&page).into_bytes()),
        Format::Html => {
            let alternates = alternates(&format!("/articles/{id}"), None);
            let title = page.article.article.title.as_deref().unwrap_or("Article");
            respond(
                format,
                html_page(title, &article_html(&page), &alternates).into_bytes(),
            )
        }
    }
}

async fn quote(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (id, format, quote) = match by_id(&state, &file, &headers, "quote", |read, id| {
        read.quote(chronicle_store::QuoteId(id))
    })
    .await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    match format {
        Format::Json => json_response(&quote),
        Format::Markdown => respond(format, quote_markdown(&quote).into_bytes()),
        Format::Xml => respond(format, quote_xml(&quote).into_bytes()),
        Format::Html => {
            let alternates = alternates(&format!("/quotes/{id}"), None);
            respond(
                format,
                html_page("Quote", &quote_html(&quote), &alternates).into_bytes(),
            )
        }
    }
}

/// An outlet's page: its latest events and articles.
#[derive(Debug, serde::Serialize)]
struct OutletPage {
    name: String,
    slug: String,
    articles: u64,
    events: Vec<chronicle_store::EventSummary>,
    recent_articles: Vec<OutletArticle>,
}

#[derive(Debug, serde::Serialize)]
struct OutletArticle {
    id: u64,
    title: Option<String>,
    published: Option<String>,
    url: Option<String>,
}

/// Outlets listed and looked up by slug.
const OUTLETS: usize = 10_000;

async fn outlets(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let format = Format::from_accept(&headers);
    let outlets = match with_store(&state, format, |read| read.outlets(OUTLETS)).await {
        Ok(outlets) => outlets,
        Err(response) => return response,
    };
    if format == Format::Json {
        let listed: Vec<serde_json::Value> = outlets
            .iter()
            .map(|(name, articles)| {
                serde_json::json!({"name": name, "slug": outlet_slug(name), "articles": articles})
            })
            .collect();
        return json_response(&listed);
    }
    let mut html = String::from("<h1>Outlets</h1>\n<ul>\n");
    for (name, articles) in outlets
        .iter()
        .filter(|(name, _)| !outlet_slug(name).is_empty())
    {
        html.push_str(&format!(
            "<li><a href=\"/outlets/{}\">{}</a> <span class=\"meta\">{articles} articles</span></li>\n",
            outlet_slug(name),
            html_escape(name)
        ));
    }
    html.push_str("</ul>\n");
    respond(Format::Html, html_page("Outlets", &html, &[]).into_bytes())
}

async fn outlet(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((slug, format)) = split_file(&file, &headers) else {
        return not_found(headers).await;
    };
    let wanted = slug.clone();
    let page = with_store(&state, format, move |read| {
        let Some((name, articles)) = read
            .outlets(OUTLETS)?
            .into_iter()
            .find(|(name, _)| outlet_slug(name) == wanted)
        else {
            return Ok(None);
        };
        let events = read.events(&EventFilter {
            outlet: Some(name.clone()),
            limit: Some(50),
            ..EventFilter::default()
        })?;
        let recent_articles = read
            .articles(&chronicle_store::ArticleFilter {
                outlet: Some(name.clone()),
                limit: Some(50),
                ..chronicle_store::ArticleFilter::default()
            })?
            .into_iter()
            .map(|a| OutletArticle {
                id: a.id.0,
                title: a.article.title,
                published: a.article.published.map(|p| p.to_string()),
                url: a.article.url,
            })
            .collect();
        Ok(Some(OutletPage {
            slug: outlet_slug(&name),
            name,
            articles,
            events,
            recent_articles,
        }))
    })
    .await;
    let page = match found(page, format, || format!("no outlet {slug}")) {
        Ok(page) => page,
        Err(response) => return *response,
    };
    match format {
        Format::Json => json_response(&page),
        Format::Markdown => {
            let mut text = format!(
                "# {}\n\n_{} articles_\n\n## Events\n\n",
                chronicle_publish::escape_markdown(&page.name),
                page.articles
            );
            for event in &page.events {
                text.push_str(&format!(
                    "- {} [{}](/events/{}.md)\n",
                    event.date.as_deref().unwrap_or("undated"),
                    chronicle_publish::escape_markdown(event.headline.as_deref().unwrap_or("")),
                    event.id
                ));
            }
            text.push_str("\n## Articles\n\n");
            for article in &page.recent_articles {
                text.push_str(&format!(
                    "- [{}](/articles/{}.md)\n",
                    chronicle_publish::escape_markdown(
                        article.title.as_deref().unwrap_or("(untitled)")
                    ),
                    article.id
                ));
            }
            respond(format, text.into_bytes())
        }
        Format::Xml => {
            let mut body = Vec::new();
            let written =
                chronicle_publish::write_events_xml(&mut body, Some(&page.name), &page.events);
            finish(format, written, body)
        }
        Format::Html => {
            let mut html = format!(
                "<h1>{}</h1>\n<p class=\"meta\">{} articles</p>\n<section aria-labelledby=\"events\"><h2 id=\"events\">Events it reported</h2>\n<ul>\n",
                html_escape(&page.name),
                page.articles
            );
            for event in &page.events {
                html.push_str(&format!(
                    "<li><time>{}</time> <a href=\"/events/{}\">{}</a></li>\n",
                    html_escape(event.date.as_deref().unwrap_or("undated")),
                    event.id,
                    html_escape(event.headline.as_deref().unwrap_or("Untitled event"))
                ));
            }
            html.push_str("</ul></section>\n<section aria-labelledby=\"articles\"><h2 id=\"articles\">Latest articles</h2>\n<ul>\n");
            for article in &page.recent_articles {
                html.push_str(&format!(
                    "<li><time>{}</time> <a href=\"/articles/{}\">{}</a></li>\n",
                    html_escape(article.published.as_deref().unwrap_or("undated")),
                    article.id,
                    html_escape(article.title.as_deref().unwrap_or("(untitled)"))
                ));
            }
            html.push_str("</ul></section>\n");
            let alternates = alternates(&format!("/outlets/{}", page.slug), None);
            respond(
                format,
                html_page(&page.name, &html, &alternates).into_bytes(),
            )
        }
    }
}

/// Entities on the entity index.
const ENTITY_INDEX: usize = 200;

async fn entities(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let format = Format::from_accept(&headers);
    let entities = match with_store(&state, format, |read| {
        read.entities(None, Some(ENTITY_INDEX))
    })
    .await
    {
        Ok(entities) => entities,
        Err(response) => return response,
    };
    if format == Format::Json {
        return json_response(&entities);
    }
    let mut html =
        String::from("<h1>People, organisations and places</h1>\n<ul class=\"entities\">\n");
    for entity in &entities {
        html.push_str(&format!(
            "<li><a href=\"/entities/{}\">{}</a> <span class=\"kind\">{}</span> <span class=\"meta\">{} articles</span></li>\n",
            entity.id.0,
            html_escape(&entity.name),
            html_escape(entity.kind.name()),
            entity.articles
        ));
    }
    html.push_str("</ul>\n");
    respond(Format::Html, html_page("Entities", &html, &[]).into_bytes())
}

async fn entity(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (id, format, page) = match by_id(&state, &file, &headers, "entity", EntityPage::load).await
    {
        Ok(found) => found,
        Err(response) => return response,
    };
    match format {
        Format::Json => json_response(&page),
        Format::Markdown => respond(format, entity_markdown(&page).into_bytes()),
        Format::Xml => respond(format, entity_xml(&page).into_bytes()),
        Format::Html => {
            let alternates = alternates(
                &format!("/entities/{id}"),
                Some(&format!("/feeds/entity/{id}")),
            );
            let html = html_page(&page.detail.summary.name, &entity_html(&page), &alternates);
            respond(format, html.into_bytes())
        }
    }
}

/// Events in a feed.
const FEED_EVENTS: usize = 50;

/// `/feeds/all.rss`, `/feeds/all.atom`: every event.
async fn feed_all(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    feed_in(state, "all", &file, &headers).await
}

/// `/feeds/KIND/NAME.rss` (or `.atom`): the events of a story, entity, category or day.
async fn feed(
    State(state): State<AppState>,
    Path((kind, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    feed_in(state, &kind, &file, &headers).await
}

async fn feed_in(state: AppState, kind: &str, file: &str, headers: &HeaderMap) -> Response {
    let bad = |code: &str, message: &str| error(StatusCode::NOT_FOUND, Format::Xml, code, message);
    let Some((name, format)) = file
        .rsplit_once('.')
        .and_then(|(name, extension)| Some((name, FeedFormat::of_extension(extension)?)))
    else {
        return bad("unknown_format", "a feed ends in .rss or .atom");
    };
    let mut filter = EventFilter {
        limit: Some(FEED_EVENTS),
        ..EventFilter::default()
    };
    // The title and the HTML page each feed follows.
    let (title, page) = match (kind, name) {
        ("all", "all") => ("All events".to_string(), "/".to_string()),
        ("story", id) => match id.parse::<u64>() {
            Ok(id) => {
                filter.story = Some(id);
                (format!("Story {id}"), format!("/stories/{id}"))
            }
            Err(_) => return bad("bad_id", "a story id is a number"),
        },
        ("entity", id) => match id.parse::<u64>() {
            Ok(id) => {
                filter.entity = Some(id);
                (format!("Entity {id}"), "/".to_string())
            }
            Err(_) => return bad("bad_id", "an entity id is a number"),
        },
        ("category", slug) => match chronicle_cluster::Category::stored_name(slug) {
            Some(category) => {
                filter.category = Some(category.to_string());
                (format!("Events in {category}"), "/".to_string())
            }
            None => return bad("not_found", "no such category"),
        },
        ("day", date) => match date.split('-').collect::<Vec<_>>()[..] {
            [year, month, day] if parse_day(year, month, day).is_some() => {
                filter.date = Some(date.to_string());
                (
                    format!("Events of {date}"),
                    format!("/news/{year}/{month}/{day}/"),
                )
            }
            _ => return bad("bad_date", "a day feed is named YYYY-MM-DD"),
        },
        _ => return bad("not_found", "there is no feed here"),
    };
    // Names of stories and entities, when they exist.
    let (story, entity) = (filter.story, filter.entity);
    let found = with_store(&state, Format::Xml, move |read| {
        let name = match (story, entity) {
            (Some(id), _) => read.story(id)?.map(|s| s.summary.name.unwrap_or_default()),
            (_, Some(id)) => read
                .entity_summary(chronicle_store::EntityId(id))?
                .map(|e| e.name),
            _ => Some(String::new()),
        };
        Ok((name, read.events(&filter)?))
    })
    .await;
    let (name, events) = match found {
        Ok((Some(name), events)) => (name, events),
        Ok((None, _)) => return bad("not_found", &format!("no {kind} {name}")),
        Err(response) => return response,
    };
    let title = if name.is_empty() { title } else { name };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let base = match (&state.base, host) {
        (Some(base), _) => base.to_string(),
        (None, Some(host))
            if host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)) =>
        {
            format!("http://{host}")
        }
        _ => "http://localhost".to_string(),
    };
    let path = if kind == "all" {
        format!("/feeds/{file}")
    } else {
        format!("/feeds/{kind}/{file}")
    };
    let mut body = Vec::new();
    let feed = Feed {
        title: &title,
        base: &base,
        page: &page,
        path: &path,
    };
    match write_feed(&mut body, format, &feed, &events) {
        Ok(()) => ([(header::CONTENT_TYPE, format.content_type())], body).into_response(),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            Format::Xml,
            "internal",
            &e.to_string(),
        ),
    }
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        chronicle_publish::STYLE,
    )
        .into_response()
}

async fn not_found(headers: HeaderMap) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Format::from_accept(&headers),
        "not_found",
        "there is no page here",
    )
}
