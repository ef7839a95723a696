//! Every page's JSON twin against the schema the server publishes at
//! `/schemas/pages.json`: a crawl from the home page validates each page it reaches.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use axum::http::StatusCode;
use common::{get, store};
use std::collections::{BTreeMap, HashSet};

/// The schema definition a page's path calls for, and the path of its JSON twin.
fn kind_of(path: &str) -> Option<(&'static str, String)> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [""] => Some(("eventList", "/index.json".into())),
        ["news", _, _, _] => Some(("eventList", format!("{path}index.json"))),
        ["events", id] if number(id) => Some(("event", format!("{path}.json"))),
        ["events", id, "revisions", n] if number(id) && number(n) => {
            Some(("revision", format!("{path}.json")))
        }
        ["stories", id] if number(id) => Some(("story", format!("{path}.json"))),
        ["entities", id] if number(id) => Some(("entity", format!("{path}.json"))),
        ["articles", id] if number(id) => Some(("article", format!("{path}.json"))),
        ["quotes", id] if number(id) => Some(("quote", format!("{path}.json"))),
        ["outlets", slug] if !slug.is_empty() => Some(("outlet", format!("{path}.json"))),
        _ => None,
    }
}

#[tokio::test]
async fn every_page_as_json_matches_the_published_schema() {
    let dir = store();
    let (status, kind, _, schema) = get(dir.path(), "/schemas/pages.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/json");
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    jsonschema::meta::validate(&schema).unwrap();
    let mut validators = BTreeMap::new();
    for name in schema["$defs"].as_object().unwrap().keys() {
        let mut root = schema.clone();
        root["$ref"] = serde_json::Value::String(format!("#/$defs/{name}"));
        validators.insert(name.clone(), jsonschema::validator_for(&root).unwrap());
    }

    let mut queue = vec!["/".to_string()];
    let mut seen = HashSet::new();
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    while let Some(path) = queue.pop() {
        if seen.len() >= 600 || !seen.insert(path.clone()) {
            continue;
        }
        let (status, _, _, html) = get(dir.path(), &path, None).await;
        if status != StatusCode::OK {
            continue;
        }
        for piece in html.split("href=\"").skip(1) {
            let link = piece.split('"').next().unwrap_or_default();
            if link.starts_with('/') && !link.contains('.') && !link.contains('?') {
                queue.push(link.to_string());
            }
        }
        let Some((name, json_path)) = kind_of(&path) else {
            continue;
        };
        let (status, kind, _, body) = get(dir.path(), &json_path, None).await;
        assert_eq!(status, StatusCode::OK, "{json_path}");
        assert_eq!(kind, "application/json", "{json_path}");
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        let errors: Vec<String> = validators[name]
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{json_path} against {name}: {errors:#?}");
        *checked.entry(name).or_default() += 1;
    }
    eprintln!("validated: {checked:?}");
    for name in [
        "eventList",
        "event",
        "revision",
        "story",
        "entity",
        "article",
        "quote",
        "outlet",
    ] {
        assert!(
            checked.get(name).is_some_and(|n| *n > 0),
            "no {name} page reached: {checked:?}"
        );
    }
}
