//! The JSON API: every path of the OpenAPI document answers with what it describes,
//! pages follow one another, filters filter, and bad requests get a 4xx with a code.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use axum::http::StatusCode;
use common::{get, store};
use serde_json::Value;
use std::path::Path;

async fn json(dir: &Path, uri: &str) -> (StatusCode, Value) {
    let (status, kind, _, body) = get(dir, uri, None).await;
    assert_eq!(kind, "application/json", "{uri}: {body}");
    (status, serde_json::from_str(&body).unwrap())
}

/// The fields a schema of the document requires.
fn required<'a>(document: &'a Value, schema: &str) -> Vec<&'a str> {
    document["components"]["schemas"][schema]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn every_documented_path_answers_as_documented() {
    let dir = store();
    let (status, document) = json(dir.path(), "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let paths = document["paths"].as_object().unwrap();
    let lists = [
        ("/api/events", "EventSummary"),
        ("/api/stories", "StorySummary"),
        ("/api/entities", "EntitySummary"),
        ("/api/quotes", "Quote"),
        ("/api/articles", "Article"),
    ];
    // Five lists, one item by id of each but quotes, and search.
    assert_eq!(paths.len(), 10, "{:?}", paths.keys().collect::<Vec<_>>());
    for (path, schema) in lists {
        assert!(paths.contains_key(path), "{path} undocumented");
        let (status, page) = json(dir.path(), path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{path}: {page}");
        for item in items {
            for field in required(&document, schema) {
                assert!(item.get(field).is_some(), "{path}: no {field} in {item}");
            }
        }
        // One item by its id, where the document has that path.
        let one = format!("{path}/{{id}}");
        if paths.contains_key(&one) {
            let id = items[0]["id"].as_u64().unwrap();
            let (status, item) = json(dir.path(), &format!("{path}/{id}")).await;
            assert_eq!(status, StatusCode::OK, "{path}/{id}: {item}");
            assert_eq!(item["id"], id, "{item}");
        }
    }
    let (_, event) = json(dir.path(), "/api/events").await;
    let id = event["items"][0]["id"].as_u64().unwrap();
    let (_, event) = json(dir.path(), &format!("/api/events/{id}")).await;
    for field in required(&document, "Event") {
        assert!(event.get(field).is_some(), "no {field} in {event}");
    }
    let (status, index) = json(dir.path(), "/api/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(index["openapi"], "/api/openapi.json");
}

#[tokio::test]
async fn pages_follow_one_another_and_filters_filter() {
    let dir = store();
    let (_, all) = json(dir.path(), "/api/events?limit=500").await;
    let all = all["items"].as_array().unwrap().clone();
    assert!(all.len() >= 3, "{all:?}");
    assert!(
        json(dir.path(), "/api/events?limit=500")
            .await
            .1
            .get("next")
            .is_none()
    );
    // Walking pages of two gives every event once, in the same order.
    let mut walked = Vec::new();
    let mut next = Some("/api/events?limit=2".to_string());
    while let Some(uri) = next {
        let (status, page) = json(dir.path(), &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        walked.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].clone()),
        );
        next = page["next"].as_str().map(str::to_string);
    }
    let ids: Vec<Value> = all.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(walked, ids);

    let first = &all[0];
    let date = first["date"].as_str().unwrap();
    let (_, same_day) = json(dir.path(), &format!("/api/events?date={date}")).await;
    let same_day = same_day["items"].as_array().unwrap();
    assert!(same_day.iter().all(|e| e["date"] == date) && !same_day.is_empty());
    let (_, until) = json(dir.path(), &format!("/api/events?until={date}&limit=500")).await;
    assert!(
        until["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["date"].as_str() <= Some(date))
    );
    let category = first["category"].as_str().unwrap().replace(' ', "-");
    let (_, of_category) = json(dir.path(), &format!("/api/events?category={category}")).await;
    assert!(
        of_category["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["category"] == first["category"])
    );
    // An outlet of the first event's sources finds it.
    let (_, detail) = json(dir.path(), &format!("/api/events/{}", first["id"])).await;
    let outlet = detail["sources"][0]["outlet"].as_str().unwrap();
    let encoded = outlet.replace(' ', "%20");
    let (status, by_outlet) = json(dir.path(), &format!("/api/events?outlet={encoded}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        by_outlet["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == first["id"])
    );
    let (_, none) = json(dir.path(), "/api/events?outlet=No%20Such%20Outlet").await;
    assert!(none["items"].as_array().unwrap().is_empty());
    let (_, people) = json(dir.path(), "/api/entities?type=person&limit=500").await;
    assert!(
        people["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] == "person")
    );
    let (_, beyond) = json(dir.path(), "/api/events?offset=100000").await;
    assert!(beyond["items"].as_array().unwrap().is_empty() && beyond.get("next").is_none());
}

#[tokio::test]
async fn bad_requests_get_a_clear_4xx() {
    let dir = store();
    let long = format!("/api/events?outlet={}", "x".repeat(5000));
    for (uri, status, code) in [
        ("/api/events?limit=0", StatusCode::BAD_REQUEST, "bad_query"),
        (
            "/api/events?limit=501",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/events?limit=ten",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/events?offset=-1",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/events?offset=100001",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/events?date=2025-13-01",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/events?category=gardening",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/events?colour=red",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/events?limit=1&limit=2",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (
            "/api/entities?type=planet",
            StatusCode::BAD_REQUEST,
            "bad_query",
        ),
        (long.as_str(), StatusCode::BAD_REQUEST, "bad_query"),
        ("/api/events/abc", StatusCode::NOT_FOUND, "bad_id"),
        ("/api/events/999999", StatusCode::NOT_FOUND, "not_found"),
        ("/api/articles/999999", StatusCode::NOT_FOUND, "not_found"),
        ("/api/nothing/here", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let (got, error) = json(dir.path(), uri).await;
        assert_eq!(got, status, "{uri}: {error}");
        assert_eq!(error["error"]["code"], code, "{uri}: {error}");
        assert!(error["error"]["message"].as_str().unwrap().len() > 5);
    }
}

#[tokio::test]
async fn search_finds_ranks_filters_and_escapes() {
    let dir = store();
    let (_, events) = json(dir.path(), "/api/events?limit=500").await;
    let first = &events["items"][0];
    let id = first["id"].as_u64().unwrap();
    // A distinctive word of the first event's headline finds it.
    let headline = first["headline"].as_str().unwrap();
    let word = headline
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 7)
        .max_by_key(|w| w.len())
        .unwrap();
    let (status, found) = json(dir.path(), &format!("/api/search?q={word}")).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let items = found["items"].as_array().unwrap();
    assert!(
        items.iter().any(|h| h["kind"] == "event" && h["id"] == id),
        "{word}: {found}"
    );
    assert!(found["total"].as_u64().unwrap() >= items.len() as u64);
    assert!(items.iter().all(|h| h["snippet_html"].is_string()));
    // Only events, and only the day it happened.
    let date = first["date"].as_str().unwrap();
    let (_, events_only) = json(
        dir.path(),
        &format!("/api/search?q={word}&kind=event&since={date}&until={date}"),
    )
    .await;
    let hits = events_only["items"].as_array().unwrap();
    assert!(
        !hits.is_empty()
            && hits
                .iter()
                .all(|h| h["kind"] == "event" && h["date"] == date)
    );
    // A phrase matches only in order.
    let phrase: Vec<&str> = headline.split_whitespace().take(3).collect();
    let (_, in_order) = json(
        dir.path(),
        &format!("/api/search?q=%22{}%22", phrase.join("%20")),
    )
    .await;
    assert!(in_order["total"].as_u64().unwrap() >= 1, "{in_order}");
    let reversed: Vec<&str> = phrase.iter().rev().copied().collect();
    let (_, out_of_order) = json(
        dir.path(),
        &format!("/api/search?q=%22{}%22&kind=event", reversed.join("%20")),
    )
    .await;
    assert!(
        !out_of_order["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == id),
        "{out_of_order}"
    );
    // The hostile article is found, its markup escaped, the match marked.
    let (_, _, _, page) = get(dir.path(), "/search?q=quay", None).await;
    assert!(page.contains("<mark>"), "{page}");
    assert!(
        !page.contains("<script") && !page.contains("<img"),
        "{page}"
    );
    for (uri, status) in [
        ("/api/search?kind=planet", StatusCode::BAD_REQUEST),
        ("/api/search?since=yesterday", StatusCode::BAD_REQUEST),
        ("/api/search?limit=1000", StatusCode::BAD_REQUEST),
        ("/api/search?colour=red", StatusCode::BAD_REQUEST),
    ] {
        let (got, body) = json(dir.path(), uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        assert_eq!(body["error"]["code"], "bad_query");
    }
    // The empty search page is a form.
    let (status, _, _, form) = get(dir.path(), "/search", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("role=\"search\"") && form.contains("name=\"q\""),
        "{form}"
    );
}
