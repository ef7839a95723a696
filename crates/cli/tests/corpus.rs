//! The bundled sample corpus against its labels: every article found with its
//! metadata, no labelled boilerplate left, every labelled sentence kept, and a second
//! ingest changing nothing.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{chronicle, json, labels, matched, normalise, root, stored_articles};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

#[test]
fn the_sample_corpus_comes_out_as_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = root().join("examples/corpus");
    let summary = json(
        chronicle(&data)
            .args(["ingest", "--format", "json"])
            .arg(&corpus),
    );
    let labels = labels();
    let stored = stored_articles(&data);
    let pairs = matched(&labels, &stored);
    let missing: Vec<&str> = pairs
        .iter()
        .filter(|(_, found)| found.is_none())
        .map(|(label, _)| label["path"].as_str().unwrap_or_default())
        .collect();
    assert!(
        missing.is_empty(),
        "articles not found: {missing:?}\nsummary: {summary}"
    );
    assert!(pairs.len() >= 48, "only {} labelled articles", pairs.len());

    // Metadata, article by article.
    let mut wrong: HashMap<&str, Vec<String>> = HashMap::new();
    for (label, found) in &pairs {
        let article = found.expect("matched above");
        let path = label["path"].as_str().unwrap_or_default();
        if normalise(article["title"].as_str().unwrap_or_default())
            != normalise(label["title"].as_str().unwrap_or_default())
        {
            wrong.entry("title").or_default().push(format!(
                "{path}: {} != {}",
                article["title"], label["title"]
            ));
        }
        if article["outlet"] != label["outlet"] {
            wrong.entry("outlet").or_default().push(format!(
                "{path}: {} != {}",
                article["outlet"], label["outlet"]
            ));
        }
        let day = |v: &Value| v.as_str().map(|s| s.chars().take(10).collect::<String>());
        if day(&article["published"]) != day(&label["published"]) {
            wrong.entry("published").or_default().push(format!(
                "{path}: {} != {}",
                article["published"], label["published"]
            ));
        }
        if article["authors"] != label["authors"] {
            wrong.entry("authors").or_default().push(format!(
                "{path}: {} != {}",
                article["authors"], label["authors"]
            ));
        }
    }
    for (field, allowed) in [
        ("title", 0),
        ("outlet", 2),
        ("published", 2),
        ("authors", 4),
    ] {
        let errors = wrong.get(field).map_or(0, Vec::len);
        assert!(
            errors <= allowed,
            "{errors} wrong {field}s (at most {allowed} allowed): {:#?}",
            wrong.get(field)
        );
    }

    // No labelled boilerplate survives; short strings (a menu word) must not survive as
    // a paragraph of their own, longer ones not anywhere.
    let texts: Vec<String> = stored
        .iter()
        .map(|a| normalise(a["text"].as_str().unwrap_or_default()))
        .collect();
    let paragraphs: HashSet<String> = stored
        .iter()
        .flat_map(|a| {
            a["text"]
                .as_str()
                .unwrap_or_default()
                .split("\n\n")
                .map(normalise)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut survived = Vec::new();
    for boilerplate in labels["boilerplate"].as_array().expect("boilerplate") {
        let boilerplate = normalise(boilerplate.as_str().unwrap_or_default());
        let found = if boilerplate.split(' ').count() >= 4 {
            texts.iter().any(|t| t.contains(&boilerplate))
        } else {
            paragraphs.contains(&boilerplate)
        };
        if found {
            survived.push(boilerplate);
        }
    }
    assert!(
        survived.is_empty(),
        "boilerplate left in article text: {survived:#?}"
    );

    // Every labelled sentence of article text is kept.
    let mut lost = Vec::new();
    for (label, found) in &pairs {
        let text = normalise(found.expect("matched")["text"].as_str().unwrap_or_default());
        for keep in label["keep"].as_array().into_iter().flatten() {
            let keep = normalise(keep.as_str().unwrap_or_default());
            if !text.contains(&keep) {
                lost.push(format!("{}: {keep}", label["path"]));
            }
        }
    }
    assert!(lost.is_empty(), "article text lost: {lost:#?}");

    // The event records are structured.
    let records: Vec<&Value> = stored.iter().filter(|a| a["record"].is_object()).collect();
    assert_eq!(records.len(), 2, "event records");
    for record in records {
        let record = &record["record"];
        assert!(
            record["date"].is_string() && record["story"].is_string(),
            "{record}"
        );
        assert!(
            record["sources"].as_array().is_some_and(|s| s.len() >= 2),
            "{record}"
        );
    }

    // A second ingest of the same inputs changes nothing.
    let again = json(
        chronicle(&data)
            .args(["ingest", "--format", "json"])
            .arg(&corpus),
    );
    assert_eq!(again["cleaned"], 0, "{again}");
    assert_eq!(again["unchanged"], summary["read"], "{again}");
    assert_eq!(stored_articles(&data).len(), stored.len());
    let check = common::run_ok(chronicle(&data).arg("check"));
    assert!(String::from_utf8_lossy(&check.stdout).contains("ok"));
}
