//! The router without a socket: every page in every format, merged ids, errors, the
//! security headers, read-only methods, and article text that tries to run script.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{get, store};
use tower::ServiceExt;

#[tokio::test]
async fn every_page_in_every_format() {
    let dir = store();
    let (status, kind, csp, home) = get(dir.path(), "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"));
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));
    assert!(
        home.contains("<main") && home.contains("The latest events"),
        "{home}"
    );
    // The home page links to events and days; follow the first of each.
    let event_link = home.split("href=\"/events/").nth(1).unwrap();
    let id: u64 = event_link.split('"').next().unwrap().parse().unwrap();
    let day_link = home.split("href=\"/news/").nth(1).unwrap();
    let day = format!("/news/{}", day_link.split('"').next().unwrap());
    let (status, _, _, page) = get(dir.path(), &day, None).await;
    assert_eq!(status, StatusCode::OK, "{day}");
    assert!(page.contains(&format!("/events/{id}")), "{page}");

    let (status, _, _, page) = get(dir.path(), &format!("/events/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>") && page.contains("Sources"), "{page}");
    let (status, kind, _, json) = get(dir.path(), &format!("/events/{id}.json"), None).await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/json")
    );
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["id"], id);
    assert!(record["sources"][0]["url"].is_string(), "{record}");
    // The same by Accept header.
    let (_, kind, _, _) = get(
        dir.path(),
        &format!("/events/{id}"),
        Some("application/json"),
    )
    .await;
    assert_eq!(kind, "application/json");
    let (_, kind, _, md) = get(dir.path(), &format!("/events/{id}.md"), None).await;
    assert!(
        kind.starts_with("text/markdown") && md.starts_with("# "),
        "{md}"
    );
    let (_, kind, _, xml) = get(dir.path(), &format!("/events/{id}.xml"), None).await;
    assert!(
        kind.starts_with("application/xml") && xml.contains("<event id="),
        "{xml}"
    );
    let (_, kind, _, list) = get(dir.path(), "/index.json", None).await;
    assert_eq!(kind, "application/json");
    assert!(
        serde_json::from_str::<serde_json::Value>(&list)
            .unwrap()
            .is_array()
    );

    let (status, _, _, stories) = get(dir.path(), "/stories/", None).await;
    assert_eq!(status, StatusCode::OK);
    // The first story listed (the site's navigation links to the list itself).
    let story = stories
        .split("href=\"/stories/")
        .filter_map(|link| link.split('"').next())
        .find(|id| id.parse::<u64>().is_ok())
        .unwrap();
    let (status, _, _, page) = get(dir.path(), &format!("/stories/{story}"), None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    // Every alternate a list page offers answers.
    for page in [&home, &page] {
        let alternates: Vec<&str> = page
            .split("rel=\"alternate\"")
            .skip(1)
            .filter_map(|rest| rest.split("href=\"").nth(1)?.split('"').next())
            .collect();
        assert_eq!(alternates.len(), 5, "{page}");
        for href in alternates {
            let (status, _, _, _) = get(dir.path(), href, None).await;
            assert_eq!(status, StatusCode::OK, "{href}");
        }
    }
    let (status, kind, _, _) = get(dir.path(), "/static/style.css", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/css"));
}

#[tokio::test]
async fn errors_are_clear_and_in_the_format_asked() {
    let dir = store();
    let (status, kind, _, body) = get(dir.path(), "/events/999999.json", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(kind, "application/json");
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"]["code"], "not_found");
    for uri in [
        "/events/abc",
        "/events/1.exe",
        "/news/2025/13/40/",
        "/nothing/here",
        "/../../etc/passwd",
        "/events/%2e%2e%2fetc",
    ] {
        let (status, _, _, _) = get(dir.path(), uri, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
    let app = chronicle_server::router(dir.path().join("data"));
    let response = app
        .oneshot(
            Request::builder()
                .method("POST")
                .uri("/")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[header::ALLOW], "GET, HEAD");
}

/// The hostile article's payloads, as markup or as links that would run.
const PAYLOADS: &[&str] = &[
    "<script",
    "<iframe",
    "<svg onload",
    "<img src=x",
    "<a href=\"javascript:",
    "href=\"javascript:",
    "src=\"javascript:",
    "](javascript:",
    "](<javascript:",
    "<javascript:",
];

/// Fails when `body` (the answer to `path`, of type `kind`) carries a payload as
/// markup or as a link that runs. In Markdown a bracket escaped with a backslash is
/// text.
fn assert_inert(path: &str, kind: &str, body: &str) {
    // JSON is data, served with `nosniff`: it carries the text as written.
    if kind.contains("json") {
        return;
    }
    let lower = body.to_ascii_lowercase();
    for payload in PAYLOADS {
        for (at, _) in lower.match_indices(payload) {
            let escaped = kind.contains("markdown") && at > 0 && lower.as_bytes()[at - 1] == b'\\';
            let context = &body[at.saturating_sub(60)..(at + 60).min(body.len())];
            assert!(escaped, "{path} ({kind}) carries {payload}: …{context}…");
        }
    }
    if kind.contains("xml") || kind.contains("html") {
        assert!(!body.contains("]]>"), "{path} ({kind}) lets ]]> through");
    }
}

/// Every page reachable from the home page, the feeds and a search, in HTML, Markdown
/// and XML: nothing the hostile article carries reaches any of them as markup.
#[tokio::test]
async fn article_text_never_runs_in_any_page_or_format() {
    let dir = store();
    let mut queue: Vec<String> = ["/", "/feeds/all.rss", "/feeds/all.atom", "/search?q=quay"]
        .into_iter()
        .map(String::from)
        .collect();
    let mut seen = std::collections::HashSet::new();
    let (mut answers, mut hostile) = (0, 0);
    while let Some(path) = queue.pop() {
        if seen.len() >= 800 || !seen.insert(path.clone()) {
            continue;
        }
        for accept in [None, Some("text/markdown"), Some("application/xml")] {
            let (status, kind, _, body) = get(dir.path(), &path, accept).await;
            if status != StatusCode::OK {
                continue;
            }
            answers += 1;
            if body.contains("alert(") {
                hostile += 1;
            }
            assert_inert(&path, &kind, &body);
            if accept.is_none() && kind.starts_with("text/html") {
                for piece in body.split("href=\"").skip(1) {
                    let link = piece.split('"').next().unwrap_or_default();
                    let link = link.replace("&amp;", "&");
                    if link.starts_with('/')
                        && !link.starts_with("/static/")
                        && !seen.contains(&link)
                    {
                        queue.push(link);
                    }
                }
            }
        }
    }
    assert!(answers >= 100, "only {answers} answers checked");
    assert!(
        hostile >= 10,
        "the hostile article reached only {hostile} answers"
    );
}

/// A feed parsed back: its title and its entries' titles and links.
fn parsed(body: &str) -> (String, Vec<(String, String)>) {
    let feed = feed_rs::parser::parse(body.as_bytes()).unwrap();
    let entries = feed
        .entries
        .iter()
        .map(|e| {
            (
                e.title
                    .as_ref()
                    .map(|t| t.content.clone())
                    .unwrap_or_default(),
                e.links.first().map(|l| l.href.clone()).unwrap_or_default(),
            )
        })
        .collect();
    (feed.title.map(|t| t.content).unwrap_or_default(), entries)
}

#[tokio::test]
async fn feeds_parse_back_in_both_formats() {
    let dir = store();
    let (_, _, _, list) = get(dir.path(), "/index.json", None).await;
    let events: serde_json::Value = serde_json::from_str(&list).unwrap();
    let first = &events[0];
    let (id, date) = (
        first["id"].as_u64().unwrap(),
        first["date"].as_str().unwrap(),
    );
    let (_, _, _, stories) = get(dir.path(), "/stories/", Some("application/json")).await;
    let stories: serde_json::Value = serde_json::from_str(&stories).unwrap();
    let story = stories[0]["id"].as_u64().unwrap();
    let (_, _, _, record) = get(dir.path(), &format!("/events/{id}.json"), None).await;
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    let entity = record["entities"][0]["id"].as_u64().unwrap();
    for extension in ["rss", "atom"] {
        let (status, kind, _, body) =
            get(dir.path(), &format!("/feeds/all.{extension}"), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            kind.starts_with(&format!("application/{extension}+xml")),
            "{kind}"
        );
        let (title, entries) = parsed(&body);
        assert_eq!(title, "All events");
        assert_eq!(entries.len(), events.as_array().unwrap().len().min(50));
        assert!(
            entries
                .iter()
                .any(|(_, link)| link == &format!("http://localhost/events/{id}")),
            "{entries:?}"
        );
        assert!(!body.contains("<script"), "{body}");
        for path in [
            format!("/feeds/story/{story}.{extension}"),
            format!("/feeds/entity/{entity}.{extension}"),
            format!("/feeds/day/{date}.{extension}"),
        ] {
            let (status, _, _, body) = get(dir.path(), &path, None).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            let (title, entries) = parsed(&body);
            assert!(!title.is_empty() && !entries.is_empty(), "{path}: {body}");
        }
        let category = first["category"].as_str().unwrap().replace(' ', "-");
        let path = format!("/feeds/category/{category}.{extension}");
        let (status, _, _, body) = get(dir.path(), &path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            parsed(&body)
                .1
                .iter()
                .any(|(_, link)| link.ends_with(&format!("/events/{id}")))
        );
    }
    for path in [
        "/feeds/all.json",
        "/feeds/story/abc.rss",
        "/feeds/story/999999.rss",
        "/feeds/category/gardening.atom",
        "/feeds/day/2025-02-30.rss",
        "/feeds/planet/1.rss",
    ] {
        let (status, _, _, body) = get(dir.path(), path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
}

#[tokio::test]
async fn entity_pages_answer_every_link_to_them() {
    let dir = store();
    let (_, _, _, list) = get(dir.path(), "/index.json", None).await;
    let events: serde_json::Value = serde_json::from_str(&list).unwrap();
    let id = events[0]["id"].as_u64().unwrap();
    let (_, _, _, page) = get(dir.path(), &format!("/events/{id}"), None).await;
    let links: Vec<&str> = page
        .split("href=\"/entities/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| id.parse::<u64>().is_ok())
        .collect();
    assert!(!links.is_empty(), "{page}");
    for link in &links {
        let (status, _, _, entity) = get(dir.path(), &format!("/entities/{link}"), None).await;
        assert_eq!(status, StatusCode::OK, "{link}");
        assert!(
            entity.contains("<h1>") && entity.contains("Events"),
            "{entity}"
        );
        // The entity's page lists the event that linked to it.
        assert!(
            entity.contains(&format!("href=\"/events/{id}\"")),
            "{entity}"
        );
    }
    let first = links[0];
    let (_, kind, _, json) = get(dir.path(), &format!("/entities/{first}.json"), None).await;
    assert_eq!(kind, "application/json");
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["id"].as_u64().unwrap().to_string(), *first);
    assert!(
        record["name"].is_string() && record["events"].is_array(),
        "{record}"
    );
    let (_, kind, _, xml) = get(dir.path(), &format!("/entities/{first}.xml"), None).await;
    assert!(
        kind.starts_with("application/xml") && xml.contains("<entity id="),
        "{xml}"
    );
    let (_, kind, _, md) = get(dir.path(), &format!("/entities/{first}.md"), None).await;
    assert!(
        kind.starts_with("text/markdown") && md.starts_with("# "),
        "{md}"
    );
    let (status, _, _, index) = get(dir.path(), "/entities/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        index.contains(&format!("href=\"/entities/{first}\"")),
        "{index}"
    );
    for uri in ["/entities/abc", "/entities/999999.json", "/entities/1.pdf"] {
        let (status, _, _, body) = get(dir.path(), uri, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
    }
}

#[tokio::test]
async fn cached_answers_follow_every_ingest() {
    use http_body_util::BodyExt;
    let dir = store();
    let app = chronicle_server::router(dir.path().join("data"));
    let fetch = |app: axum::Router, uri: &'static str| async move {
        let response = app
            .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(body.to_vec()).unwrap()
    };
    let first = fetch(app.clone(), "/index.json").await;
    assert_eq!(
        fetch(app.clone(), "/index.json").await,
        first,
        "the same answer twice"
    );
    assert!(!first.contains("Brightwater"));
    let search = fetch(app.clone(), "/api/search?q=Brightwater").await;
    assert!(search.contains("\"total\": 0"), "{search}");
    // Another article, about something new, ingested while the server runs.
    let news = dir.path().join("news.md");
    std::fs::write(
        &news,
        "---\ntitle: \"Velin ferry service suspended after engine fire\"\nurl: \"https://velin-post.example/ferry\"\n\
         published: 2026-12-01\noutlet: \"The Velin Post\"\n---\n\n\
         The ferry between Port Velin and Ostrava Island was suspended on Tuesday after an engine fire \
         broke out during the morning crossing, the operator Brightwater Lines said.\n\n\
         All 212 passengers were brought ashore without injury, harbour master Ilse Brandt said.\n",
    )
    .unwrap();
    let mut store = chronicle_store::Store::open(&dir.path().join("data")).unwrap();
    chronicle_pipeline::ingest(
        &mut store,
        &[news.display().to_string()],
        &chronicle_pipeline::IngestOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    drop(store);
    let after = fetch(app.clone(), "/index.json").await;
    assert!(
        after.contains("Brightwater"),
        "the new event is served: {after}"
    );
    let search = fetch(app.clone(), "/api/search?q=Brightwater").await;
    assert!(!search.contains("\"total\": 0"), "{search}");
}

#[tokio::test]
async fn article_and_quote_pages_in_every_format() {
    let dir = store();
    let (_, _, _, list) = get(dir.path(), "/index.json", None).await;
    let events: serde_json::Value = serde_json::from_str(&list).unwrap();
    let id = events[0]["id"].as_u64().unwrap();
    let (_, _, _, record) = get(dir.path(), &format!("/events/{id}.json"), None).await;
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    let article = record["sources"][0]["article"].as_u64().unwrap();
    let (_, _, _, quotes) = get(dir.path(), "/api/quotes?limit=1", None).await;
    let quotes: serde_json::Value = serde_json::from_str(&quotes).unwrap();
    let quote = quotes["items"][0]["id"].as_u64().unwrap();
    for (stem, root) in [
        (format!("/articles/{article}"), "<article id="),
        (format!("/quotes/{quote}"), "<quote id="),
    ] {
        let (status, kind, _, html) = get(dir.path(), &stem, None).await;
        assert_eq!(status, StatusCode::OK, "{stem}");
        assert!(
            kind.starts_with("text/html") && html.contains("<h1>"),
            "{html}"
        );
        let (_, kind, _, json) = get(dir.path(), &format!("{stem}.json"), None).await;
        assert_eq!(kind, "application/json");
        assert!(serde_json::from_str::<serde_json::Value>(&json).unwrap()["id"].is_u64());
        let (_, _, _, xml) = get(dir.path(), &format!("{stem}.xml"), None).await;
        assert!(xml.contains(root), "{xml}");
        let (status, _, _, _) = get(dir.path(), &format!("{stem}.md"), None).await;
        assert_eq!(status, StatusCode::OK);
    }
    // The event page links to the article as read, the article back to its event.
    let (_, _, _, page) = get(dir.path(), &format!("/events/{id}"), None).await;
    assert!(
        page.contains(&format!("href=\"/articles/{article}\"")),
        "{page}"
    );
    let (_, _, _, page) = get(dir.path(), &format!("/articles/{article}"), None).await;
    assert!(page.contains(&format!("href=\"/events/{id}\"")), "{page}");
    // The hostile article's own page runs nothing.
    let (_, _, _, found) = get(dir.path(), "/api/search?q=quay&kind=article", None).await;
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    let hostile = found["items"][0]["id"].as_u64().unwrap();
    for extension in ["", ".xml", ".md"] {
        let (_, _, _, page) =
            get(dir.path(), &format!("/articles/{hostile}{extension}"), None).await;
        assert!(page.contains("quay"), "{page}");
        // Markdown shows markup as escaped text (`\<script\>`), never as markup.
        let page = page.replace("\\<", "");
        assert!(
            !page.contains("<script") && !page.contains("<img"),
            "{page}"
        );
        assert!(!page.contains("href=\"javascript:"), "{page}");
    }
    for uri in [
        "/articles/999999",
        "/quotes/999999.json",
        "/articles/x",
        "/quotes/1.exe",
    ] {
        let (status, _, _, _) = get(dir.path(), uri, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
}

#[tokio::test]
async fn a_story_of_several_events_has_its_chart() {
    let dir = store();
    let (_, _, _, stories) = get(dir.path(), "/stories/", Some("application/json")).await;
    let stories: serde_json::Value = serde_json::from_str(&stories).unwrap();
    let story = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["events"].as_u64().unwrap() >= 2)
        .unwrap();
    let (_, _, csp, page) = get(dir.path(), &format!("/stories/{}", story["id"]), None).await;
    assert!(page.contains("<figure class=\"chart\"><svg"), "{page}");
    assert!(page.contains("role=\"img\"") && page.contains("<title id=\"chart-title\">"));
    assert!(
        page.matches("<rect class=\"events\"").count() >= 1,
        "{page}"
    );
    // Drawn with attributes and the stylesheet only: nothing the policy would block.
    assert!(
        !page.contains("style=") && !page.contains("<script"),
        "{page}"
    );
    assert!(!csp.contains("unsafe-inline"));
}

#[tokio::test]
async fn outlet_pages_list_what_each_outlet_reported() {
    let dir = store();
    let (status, _, _, index) = get(dir.path(), "/outlets/", None).await;
    assert_eq!(status, StatusCode::OK);
    let slugs: Vec<&str> = index
        .split("href=\"/outlets/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|slug| !slug.is_empty())
        .collect();
    assert!(slugs.len() >= 3, "{index}");
    for slug in &slugs {
        let (status, _, _, page) = get(dir.path(), &format!("/outlets/{slug}"), None).await;
        assert_eq!(status, StatusCode::OK, "{slug}");
        assert!(page.contains("href=\"/articles/"), "{page}");
        assert!(
            !page.contains("<img") && !page.contains("<script"),
            "{page}"
        );
        let (_, kind, _, json) = get(dir.path(), &format!("/outlets/{slug}.json"), None).await;
        assert_eq!(kind, "application/json");
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["slug"], *slug);
        assert!(json["articles"].as_u64().unwrap() >= 1);
    }
    let (status, _, _, _) = get(dir.path(), "/outlets/no-such-outlet", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Whether a body parses as XML to its end.
fn well_formed(xml: &str) -> bool {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

/// An event that gains a source in a later run has two versions, each its own page in
/// every format: the first without the new source, the second with it marked new.
#[tokio::test]
async fn each_version_of_an_event_is_its_own_page() {
    let dir = store();
    let data = dir.path().join("data");
    let events: serde_json::Value =
        serde_json::from_str(&get(dir.path(), "/index.json", None).await.3).unwrap();
    let quay = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["headline"].as_str().unwrap().contains("Ilse Brandt"))
        .unwrap()["id"]
        .as_u64()
        .unwrap();
    // Versions are the changes written at one time: the next run must be a second on.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let follow_up = dir.path().join("follow-up.md");
    std::fs::write(
        &follow_up,
        "---\ntitle: \"North quay of Port Velin shut for repairs\"\nurl: \"https://velin-post.example/quay\"\n\
         published: 2025-11-21\noutlet: \"The Velin Post\"\n---\n\n\
         The north quay of Port Velin closed for repairs on Tuesday after the harbour board voted to shut it, \
         leaving crews without warning, board chair Ilse Brandt said.\n\n\
         Brandt said the north quay of Port Velin would reopen in March once the repairs are done.\n",
    )
    .unwrap();
    let mut store = chronicle_store::Store::open(&data).unwrap();
    chronicle_pipeline::ingest(
        &mut store,
        &[follow_up.display().to_string()],
        &chronicle_pipeline::IngestOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    drop(store);
    let record: serde_json::Value = serde_json::from_str(
        &get(dir.path(), &format!("/events/{quay}.json"), None)
            .await
            .3,
    )
    .unwrap();
    assert_eq!(record["sources"].as_array().unwrap().len(), 2, "{record}");
    let new_article = record["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["outlet"] == "The Velin Post")
        .unwrap()["article"]
        .as_u64()
        .unwrap();

    // The event page links each version.
    let (_, _, _, page) = get(dir.path(), &format!("/events/{quay}"), None).await;
    for version in [1, 2] {
        assert!(
            page.contains(&format!("href=\"/events/{quay}/revisions/{version}\"")),
            "{page}"
        );
    }
    let version = |n: usize, ext: &str| format!("/events/{quay}/revisions/{n}{ext}");
    let (status, kind, _, first) = get(dir.path(), &version(1, ".json"), None).await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "application/json")
    );
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    let (_, _, _, second) = get(dir.path(), &version(2, ".json"), None).await;
    let second: serde_json::Value = serde_json::from_str(&second).unwrap();
    let articles = |v: &serde_json::Value| -> Vec<u64> {
        v["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["article"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(
        (first["revision"].as_u64(), first["revisions"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(articles(&first).len(), 1, "{first}");
    assert!(!articles(&first).contains(&new_article));
    assert!(articles(&second).contains(&new_article), "{second}");
    assert_eq!(
        second["added"],
        serde_json::json!([new_article]),
        "{second}"
    );
    assert_eq!(first["changes"][0]["kind"], "created");
    assert!(
        second["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "source added"),
        "{second}"
    );

    let (status, kind, _, html) = get(dir.path(), &version(2, ""), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"));
    assert!(
        html.contains("version 2 of 2")
            && html.contains("new in this version")
            && html.contains(&format!("href=\"{}\"", version(1, ""))),
        "{html}"
    );
    let (_, _, _, html) = get(dir.path(), &version(1, ""), None).await;
    assert!(html.contains("A past version") && !html.contains("new in this version"));
    let (_, kind, _, md) = get(dir.path(), &version(2, ".md"), None).await;
    assert!(
        kind.starts_with("text/markdown") && md.contains("## Sources in this version"),
        "{md}"
    );
    let (_, kind, _, xml) = get(dir.path(), &version(2, ".xml"), None).await;
    assert!(kind.starts_with("application/xml"), "{kind}");
    assert!(
        well_formed(&xml)
            && xml.contains(&format!("<revision event=\"{quay}\" number=\"2\" of=\"2\"")),
        "{xml}"
    );
    assert!(
        xml.contains(&format!("article=\"{new_article}\"")) && xml.contains("added=\"true\""),
        "{xml}"
    );

    // No third version, no version 0, not a number.
    for (path, code) in [
        (version(3, ""), StatusCode::NOT_FOUND),
        (version(0, ".json"), StatusCode::NOT_FOUND),
        (
            format!("/events/{quay}/revisions/x.json"),
            StatusCode::NOT_FOUND,
        ),
        (
            "/events/999999/revisions/1".to_string(),
            StatusCode::NOT_FOUND,
        ),
        (version(1, ".exe"), StatusCode::NOT_FOUND),
    ] {
        let (status, _, _, body) = get(dir.path(), &path, None).await;
        assert_eq!(status, code, "{path}: {body}");
    }
}
