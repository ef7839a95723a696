//! `chronicle search` and `chronicle index`: ingest keeps the index up to date, a
//! second ingest adds nothing, a rebuild finds the same, and bad input says why.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{chronicle, root, run_ok};
use serde_json::Value;
use std::path::Path;

fn search(data: &Path, args: &[&str]) -> Value {
    let output = run_ok(
        chronicle(data)
            .arg("search")
            .args(args)
            .args(["--format", "json"]),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ids(found: &Value) -> Vec<(String, u64)> {
    found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_string(),
                h["id"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn ingest_keeps_the_index_and_search_finds_events_articles_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = root().join("examples/corpus");
    run_ok(chronicle(&data).arg("ingest").arg(&corpus));
    let everything = search(&data, &["", "--limit", "500"]);
    let by_kind = everything["by_kind"].as_array().unwrap();
    assert!(
        by_kind.iter().all(|pair| pair[1].as_u64().unwrap() > 0),
        "every kind indexed: {by_kind:?}"
    );
    // Every quote is indexed, the first (id 0) too.
    let quotes: Value = serde_json::from_slice(
        &run_ok(chronicle(&data).args(["quotes", "--format", "json"])).stdout,
    )
    .unwrap();
    let indexed = by_kind.iter().find(|pair| pair[0] == "quote").unwrap()[1].clone();
    assert_eq!(indexed, quotes.as_array().unwrap().len(), "{by_kind:?}");
    // An event's headline words find it, first among events.
    let events: Value = serde_json::from_slice(
        &run_ok(chronicle(&data).args(["events", "--limit", "1", "--format", "json"])).stdout,
    )
    .unwrap();
    let (id, headline) = (
        events[0]["id"].as_u64().unwrap(),
        events[0]["headline"].as_str().unwrap().to_string(),
    );
    let words: Vec<&str> = headline
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 5)
        .take(4)
        .collect();
    let found = search(&data, &[&words.join(" "), "--kind", "event"]);
    assert_eq!(
        ids(&found).first(),
        Some(&("event".to_string(), id)),
        "{found}"
    );
    let text = run_ok(chronicle(&data).arg("search").arg(words.join(" ")));
    assert!(String::from_utf8_lossy(&text.stdout).contains("hits"));

    // Ingesting the same again adds nothing; a rebuild finds the same.
    let before = search(&data, &["", "--limit", "500"]);
    let again = run_ok(
        chronicle(&data)
            .arg("ingest")
            .arg(&corpus)
            .args(["--format", "json"]),
    );
    let summary: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(summary["search"]["articles"], 0, "{summary}");
    assert_eq!(
        search(&data, &["", "--limit", "500"])["total"],
        before["total"]
    );
    let rebuilt = run_ok(chronicle(&data).args(["index", "--rebuild"]));
    assert!(String::from_utf8_lossy(&rebuilt.stdout).contains("up to date"));
    let after = search(&data, &[&words.join(" "), "--kind", "event"]);
    assert_eq!(ids(&after), ids(&found));

    let bad = chronicle(&data)
        .args(["search", "x", "--kind", "planet"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("planet"));
    let empty = dir.path().join("empty");
    let missing = chronicle(&empty).args(["search", "x"]).output().unwrap();
    assert!(!missing.status.success());
}
