//! Events and stories from the command line: the sample corpus's labelled events and
//! stories recovered (always), the seeds' events (when `../shared/seeds` is present),
//! re-ingesting changes nothing, arrival order changes little, and every format of an
//! event record is well formed.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{article_ids, chronicle, json, labels, root, run_ok, seeds_dir};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Every live event in full, by id.
fn all_events(data: &Path) -> BTreeMap<u64, Value> {
    let list = json(chronicle(data).args(["events", "--format", "json"]));
    list.as_array()
        .unwrap()
        .iter()
        .map(|summary| {
            let id = summary["id"].as_u64().unwrap();
            let detail = json(chronicle(data).args([
                "event",
                &id.to_string(),
                "--format",
                "json",
                "--why",
                "--history",
            ]));
            (id, detail)
        })
        .collect()
}

/// Article id → event id, copies included.
fn article_events(events: &BTreeMap<u64, Value>) -> HashMap<u64, u64> {
    let mut map = HashMap::new();
    for (id, event) in events {
        for source in event["sources"].as_array().unwrap() {
            map.insert(source["article"].as_u64().unwrap(), *id);
            for copy in source["copy_articles"].as_array().into_iter().flatten() {
                map.insert(copy.as_u64().unwrap(), *id);
            }
        }
    }
    map
}

/// BCubed precision, recall and F1 of a predicted clustering against a gold one.
fn bcubed(pairs: &[(String, u64)]) -> (f64, f64, f64) {
    let mut gold: HashMap<&str, f64> = HashMap::new();
    let mut predicted: HashMap<u64, f64> = HashMap::new();
    let mut both: HashMap<(&str, u64), f64> = HashMap::new();
    for (g, p) in pairs {
        *gold.entry(g).or_default() += 1.0;
        *predicted.entry(*p).or_default() += 1.0;
        *both.entry((g, *p)).or_default() += 1.0;
    }
    let n = pairs.len() as f64;
    let precision = pairs
        .iter()
        .map(|(g, p)| both[&(g.as_str(), *p)] / predicted[p])
        .sum::<f64>()
        / n;
    let recall = pairs
        .iter()
        .map(|(g, p)| both[&(g.as_str(), *p)] / gold[g.as_str()])
        .sum::<f64>()
        / n;
    (
        precision,
        recall,
        2.0 * precision * recall / (precision + recall),
    )
}

fn ingest(data: &Path, inputs: &[PathBuf]) -> Value {
    json(
        chronicle(data)
            .args(["ingest", "--format", "json"])
            .args(inputs),
    )
}

/// Gold label and predicted cluster, one pair per labelled article.
type Pairs = Vec<(String, u64)>;

/// (gold event, predicted event) and (gold story, predicted story) for every labelled
/// article that is stored.
fn labelled(data: &Path, events: &BTreeMap<u64, Value>) -> (Pairs, Pairs) {
    let labels = labels();
    let ids = article_ids(data);
    let placed = article_events(events);
    let (mut by_event, mut by_story) = (Vec::new(), Vec::new());
    for article in labels["articles"].as_array().unwrap() {
        let reference = article["url"]
            .as_str()
            .or(article["path"].as_str())
            .unwrap();
        let Some(event) = ids(reference).and_then(|id| placed.get(&id)) else {
            continue;
        };
        by_event.push((article["event"].as_str().unwrap().to_string(), *event));
        let story = events[event]["story"].as_u64().unwrap_or(u64::MAX);
        by_story.push((article["story"].as_str().unwrap().to_string(), story));
    }
    (by_event, by_story)
}

#[test]
fn the_sample_corpus_events_and_stories_are_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let summary = ingest(&data, &[root().join("examples/corpus")]);
    assert!(
        summary["events"]["new_events"].as_u64().unwrap() >= 11,
        "{summary}"
    );
    let events = all_events(&data);
    let (by_event, by_story) = labelled(&data, &events);
    assert!(
        by_event.len() >= 50,
        "only {} labelled articles placed",
        by_event.len()
    );
    let (p, r, f) = bcubed(&by_event);
    let events_f1 = f;
    eprintln!(
        "events: BCubed P {p:.3} R {r:.3} F1 {f:.3} over {} articles",
        by_event.len()
    );
    assert!(p >= 0.9 && f >= 0.8, "events P {p:.3} R {r:.3} F1 {f:.3}");
    let (p, r, f) = bcubed(&by_story);
    eprintln!("stories: BCubed P {p:.3} R {r:.3} F1 {f:.3}");
    assert!(f >= 0.9, "stories P {p:.3} R {r:.3} F1 {f:.3}");

    // Each labelled event's main predicted event has the labelled date and category.
    let labels = labels();
    let (mut dates, mut categories, mut total) = (0, 0, 0);
    for gold in labels["events"].as_array().unwrap() {
        let id = gold["id"].as_str().unwrap();
        let mut counts: HashMap<u64, usize> = HashMap::new();
        for (_, event) in by_event.iter().filter(|(g, _)| g == id) {
            *counts.entry(*event).or_default() += 1;
        }
        let main = counts.into_iter().max_by_key(|(e, n)| (*n, *e)).unwrap().0;
        let event = &events[&main];
        total += 1;
        if event["date"] == gold["date"] {
            dates += 1;
        } else {
            eprintln!("{id}: date {} (labelled {})", event["date"], gold["date"]);
        }
        if event["category"] == gold["category"] {
            categories += 1;
        } else {
            eprintln!(
                "{id}: category {} (labelled {})",
                event["category"], gold["category"]
            );
        }
    }
    assert!(dates >= total - 1, "{dates} of {total} event dates right");
    assert!(
        categories >= total - 4,
        "{categories} of {total} categories right"
    );

    // The record explains itself: every source's join, the history, related events.
    for event in events.values() {
        let date = event["date"].as_str().unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "{date}"
        );
        let headline = event["headline"].as_str().unwrap();
        assert!(
            headline.split_whitespace().count() <= 41,
            "headline too long: {headline}"
        );
        assert_eq!(event["history"][0]["kind"], "created", "{event}");
        let summary = event["summary"].as_array().unwrap();
        assert_eq!(summary[0]["text"], event["headline"], "{event}");
        let sources = event["sources"].as_array().unwrap().len() as u64;
        for sentence in summary {
            for number in sentence["sources"].as_array().unwrap() {
                assert!(
                    (1..=sources).contains(&number.as_u64().unwrap()),
                    "{sentence}"
                );
            }
        }
        for source in event["sources"].as_array().unwrap() {
            assert!(source["url"].is_string(), "{source}");
            assert!(source["why"].is_object(), "{source}");
        }
    }
    let with_related = events
        .values()
        .filter(|e| !e["related"].as_array().unwrap().is_empty())
        .count();
    assert!(with_related * 2 >= events.len(), "few related events");

    // Text, Markdown and XML views, stories and timelines.
    let (id, big) = events
        .iter()
        .max_by_key(|(_, e)| e["sources"].as_array().unwrap().len())
        .unwrap();
    let text = String::from_utf8(
        run_ok(chronicle(&data).args(["event", &id.to_string(), "--why"])).stdout,
    )
    .unwrap();
    assert!(text.contains("why: score"), "{text}");
    assert!(text.contains("Related events:"), "{text}");
    let xml = run_ok(chronicle(&data).args(["event", &id.to_string(), "--format", "xml"])).stdout;
    well_formed(&xml);
    let xml = run_ok(chronicle(&data).args(["events", "--format", "xml"])).stdout;
    well_formed(&xml);
    let md = String::from_utf8(
        run_ok(chronicle(&data).args(["event", &id.to_string(), "--format", "md"])).stdout,
    )
    .unwrap();
    assert!(md.starts_with("# "), "{md}");
    // Its first version, from the history: the first source it had.
    let first = json(chronicle(&data).args([
        "event",
        &id.to_string(),
        "--revision",
        "1",
        "--format",
        "json",
    ]));
    assert_eq!(first["revision"], 1, "{first}");
    assert_eq!(first["changes"][0]["kind"], "created", "{first}");
    assert!(!first["sources"].as_array().unwrap().is_empty(), "{first}");
    let xml = run_ok(chronicle(&data).args([
        "event",
        &id.to_string(),
        "--revision",
        "1",
        "--format",
        "xml",
    ]))
    .stdout;
    well_formed(&xml);
    let missing = chronicle(&data)
        .args(["event", &id.to_string(), "--revision", "999"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("has no version 999"),
        "{missing:?}"
    );
    let story = big["story"].as_u64().unwrap();
    let detail = json(chronicle(&data).args(["story", &story.to_string(), "--format", "json"]));
    let timeline = detail["timeline"].as_array().unwrap();
    assert!(timeline.iter().any(|e| e["id"].as_u64() == Some(*id)));
    let dates: Vec<&str> = timeline.iter().filter_map(|e| e["date"].as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let filtered =
        json(chronicle(&data).args(["events", "--story", &story.to_string(), "--format", "json"]));
    assert_eq!(filtered.as_array().unwrap().len(), timeline.len());
    let entity = json(chronicle(&data).args(["timeline", "Helen Marchetti", "--format", "json"]));
    assert!(entity["events"].as_array().unwrap().len() >= 3, "{entity}");
    let category = json(chronicle(&data).args([
        "events",
        "--category",
        "disasters and accidents",
        "--format",
        "json",
    ]));
    assert!(
        category
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["category"] == "disasters and accidents")
    );
    let failed = chronicle(&data)
        .args(["events", "--category", "gossip"])
        .output()
        .unwrap();
    assert!(!failed.status.success());
    assert!(String::from_utf8_lossy(&failed.stderr).contains("unknown category"));

    // Ingesting again changes nothing.
    let before = json(chronicle(&data).args(["events", "--format", "json"]));
    let again = ingest(&data, &[root().join("examples/corpus")]);
    assert_eq!(again["events"]["articles"], 0, "{again}");
    assert_eq!(
        json(chronicle(&data).args(["events", "--format", "json"])),
        before
    );

    // Reprocessing rebuilds the events from scratch, in publication order over the
    // whole store rather than batch by batch as the files were read: nearly the same
    // grouping (the first articles of a store are weighed while its vocabulary is
    // young, so their order can decide one borderline join).
    run_ok(chronicle(&data).arg("reprocess"));
    let rebuilt = all_events(&data);
    let (again, _) = labelled(&data, &rebuilt);
    let (_, _, f_again) = bcubed(&again);
    eprintln!(
        "after reprocess: {} events (before {}), F1 {f_again:.3} (before {events_f1:.3})",
        rebuilt.len(),
        events.len()
    );
    assert!(
        rebuilt.len().abs_diff(events.len()) <= 1,
        "{} events after reprocess, {} before",
        rebuilt.len(),
        events.len()
    );
    assert!(
        (f_again - events_f1).abs() <= 0.02,
        "F1 {f_again:.3} after reprocess, {events_f1:.3} before"
    );
}

/// XML that a parser reads to the end without error.
fn well_formed(xml: &[u8]) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("bad XML at {}: {e}", reader.buffer_position()),
        }
        buffer.clear();
    }
}

#[test]
fn arrival_order_changes_little() {
    // The corpus's folders one at a time, last first, against the whole corpus at once.
    let corpus = root().join("examples/corpus");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    folders.reverse();
    let dir = tempfile::tempdir().unwrap();
    let (whole, pieces) = (dir.path().join("whole"), dir.path().join("pieces"));
    ingest(&whole, &[corpus]);
    for folder in &folders {
        run_ok(chronicle(&pieces).arg("ingest").arg(folder));
    }
    let (whole_events, _) = labelled(&whole, &all_events(&whole));
    let (piece_events, _) = labelled(&pieces, &all_events(&pieces));
    let (_, _, f_whole) = bcubed(&whole_events);
    let (_, _, f_pieces) = bcubed(&piece_events);
    eprintln!("events F1: all at once {f_whole:.3}, folder by folder in reverse {f_pieces:.3}");
    assert!(
        (f_whole - f_pieces).abs() <= 0.1,
        "all at once {f_whole:.3}, reversed {f_pieces:.3}"
    );
}

#[test]
fn the_seeds_events_are_found() {
    let Some(seeds) = seeds_dir() else {
        eprintln!("../shared/seeds is not here; nothing to check");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The five documents, not the notes about them.
    let inputs: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    let data = dir.path().join("data");
    ingest(&data, &inputs);
    let events = all_events(&data);
    let placed = article_events(&events);
    let listed = json(chronicle(&data).args(["articles", "--format", "json"]));
    let event_of = |prefix: &str| -> u64 {
        let article = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|a| {
                a["locations"][0]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .starts_with(prefix)
            })
            .unwrap_or_else(|| panic!("seed {prefix} not stored"));
        placed[&article["id"].as_u64().unwrap()]
    };
    let (e000, e001, e002, e003, e004) = (
        event_of("000"),
        event_of("001"),
        event_of("002"),
        event_of("003"),
        event_of("004"),
    );
    assert_eq!(e003, e004, "003 and 004 report one meeting");
    let distinct: std::collections::BTreeSet<u64> = [e000, e001, e002, e003].into();
    assert_eq!(distinct.len(), 4, "four events: {events:#?}");
    assert_eq!(events[&e001]["date"], "2017-07-22");
    let stories: std::collections::BTreeSet<String> = distinct
        .iter()
        .map(|e| events[e]["story"].to_string())
        .collect();
    assert_eq!(stories.len(), 1, "one story: {stories:?}");
    // Related through Sergey Kislyak.
    for event in &distinct {
        let related = events[event]["related"].as_array().unwrap();
        for other in distinct.iter().filter(|o| *o != event) {
            let link = related
                .iter()
                .find(|r| r["id"].as_u64() == Some(*other))
                .unwrap_or_else(|| panic!("event {event} is not related to {other}"));
            assert!(
                link["shared"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s == "Sergey Kislyak"),
                "{link}"
            );
        }
    }
}
