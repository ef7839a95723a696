//! The seed documents of the project, when `../shared/seeds` is present: what
//! `EXPECTED.md` there lists as boilerplate is gone, the story text stays, the quotes it
//! lists survive, and the event record is read as one.
//!
//! The seeds are evaluation material and their text must not be copied into the
//! project, so this test reads every expectation from `EXPECTED.md` at run time.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{
    bullets, chronicle, json, normalise, quoted, section, seeds_expected, stored_articles,
};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

/// Pieces of an elided quotation ("a … b") worth looking for.
fn fragments(text: &str) -> Vec<String> {
    text.split('…')
        .map(|f| normalise(f.trim().trim_end_matches('.')))
        .filter(|f| f.split(' ').count() >= 2)
        .collect()
}

#[test]
fn the_seeds_come_out_clean() {
    let Some((dir, expected)) = seeds_expected() else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut ingest = chronicle(&data);
    ingest.args(["ingest", "--format", "json"]).args(&files);
    let summary = json(&mut ingest);
    assert_eq!(summary["cleaned"], files.len(), "{summary}");

    let stored = stored_articles(&data);
    // Seed number ("000") to its stored article.
    let mut by_seed: HashMap<String, &Value> = HashMap::new();
    for article in &stored {
        let location = article["locations"][0].as_str().unwrap_or_default();
        let name = location.rsplit('/').next().unwrap_or_default();
        by_seed.insert(name.chars().take(3).collect(), article);
    }
    let output = |seed: &str| -> (String, Vec<String>) {
        let article = by_seed
            .get(seed)
            .unwrap_or_else(|| panic!("seed {seed} not stored"));
        let text = article["text"].as_str().unwrap_or_default();
        let paragraphs = text.split("\n\n").map(normalise).collect();
        (normalise(text), paragraphs)
    };
    let raw = |seed: &str| -> String {
        let path = files
            .iter()
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(seed))
            })
            .unwrap_or_else(|| panic!("seed file {seed}"));
        std::fs::read_to_string(path).unwrap()
    };

    // Boilerplate listed under "Cleaning" is gone.
    let mut problems = Vec::new();
    let mut checked = 0;
    for item in bullets(&section(&expected, "Cleaning")) {
        let Some((seed, what)) = item.split_once(':') else {
            continue;
        };
        let seed = seed.trim();
        if seed.len() != 3 || !by_seed.contains_key(seed) {
            continue;
        }
        let (text, paragraphs) = output(seed);
        // A range "from X to Y": every line of the raw document from X to Y goes.
        if let Some(at) = what.find("from ") {
            let range = quoted(&what[at..]);
            if range.len() >= 2 {
                let raw_text = raw(seed);
                let lines: Vec<String> = raw_text.lines().map(normalise).collect();
                let start = lines.iter().position(|l| *l == normalise(&range[0]));
                let end = lines.iter().position(|l| *l == normalise(&range[1]));
                if let (Some(start), Some(end)) = (start, end) {
                    for line in &lines[start..=end] {
                        if line.split(' ').count() >= 4 && text.contains(line.as_str()) {
                            problems
                                .push(format!("{seed}: kept a line of the removed block: {line}"));
                        }
                    }
                }
            }
        }
        for string in quoted(what) {
            for fragment in fragments(&string).into_iter().chain(
                // Short strings ("Latest") must not be a paragraph of their own.
                Some(normalise(&string)).filter(|s| s.split(' ').count() < 2 && !s.contains('…')),
            ) {
                checked += 1;
                let left = if fragment.split(' ').count() <= 3 {
                    paragraphs.contains(&fragment)
                } else {
                    text.contains(&fragment)
                };
                if left {
                    problems.push(format!("{seed}: boilerplate left: {fragment}"));
                }
            }
        }
        // No paragraph printed twice (captions, appeals).
        let mut seen = std::collections::HashSet::new();
        for paragraph in &paragraphs {
            if !seen.insert(paragraph) {
                problems.push(format!("{seed}: printed twice: {paragraph}"));
            }
        }
    }

    // The story text stays: every long line of a seed that names one of the people the
    // expectations list is in the output.
    let people: Vec<String> = section(&expected, "Entities")
        .iter()
        .flat_map(|line| {
            line.trim_start_matches("- ")
                .split([',', ';', '(', ')', '—', ':'])
        })
        .map(str::trim)
        .map(|name| name.trim_start_matches("Also").trim().to_string())
        .filter(|name| {
            let words: Vec<&str> = name.split(' ').collect();
            words.len() == 2
                && words
                    .iter()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        })
        .filter_map(|name| name.split(' ').nth(1).map(str::to_string))
        .filter(|surname| surname.len() > 4)
        .collect();
    assert!(
        people.len() >= 10,
        "found too few people in EXPECTED.md: {people:?}"
    );
    for seed in ["000", "002", "003", "004"] {
        let (text, _) = output(seed);
        let title = normalise(by_seed[seed]["title"].as_str().unwrap_or_default());
        let text = format!("{title} {text}");
        for line in raw(seed).lines() {
            let line = normalise(line.trim_start_matches(['•', ' ']));
            let names_someone = people
                .iter()
                .any(|p| line.split(|c: char| !c.is_alphanumeric()).any(|w| w == p));
            if line.split(' ').count() >= 12 && names_someone && !text.contains(&line) {
                problems.push(format!("{seed}: story text lost: {line}"));
            }
        }
    }

    // The quotes the expectations list survive.
    let all_text: String = ["000", "002", "003", "004"]
        .iter()
        .map(|s| output(s).0)
        .collect::<Vec<_>>()
        .join(" ");
    for item in bullets(&section(&expected, "Quotes")) {
        for quote in quoted(&item) {
            for fragment in fragments(&quote)
                .into_iter()
                .filter(|f| f.split(' ').count() >= 4)
            {
                if !all_text.contains(&fragment) {
                    problems.push(format!("quote lost: {fragment}"));
                }
            }
        }
    }
    assert!(
        checked >= 15,
        "only {checked} boilerplate strings found in EXPECTED.md"
    );
    assert!(problems.is_empty(), "{problems:#?}");

    // Seed 001 is an event record, not prose.
    let record = &by_seed.get("001").expect("seed 001")["record"];
    assert!(
        record["date"].as_str().is_some_and(|d| d.len() == 10),
        "{record}"
    );
    assert!(record["story"].is_string(), "{record}");
    assert!(
        record["summary"]
            .as_str()
            .is_some_and(|s| s.split(' ').count() > 10),
        "{record}"
    );
    let sources = record["sources"].as_array().expect("sources");
    assert!(
        sources.len() >= 3
            && sources
                .iter()
                .all(|s| s["url"].as_str().is_some_and(|u| u.starts_with("http")))
    );
    assert!(record["image"].is_string(), "{record}");
    assert!(
        record["changes"].as_array().is_some_and(|c| c.len() >= 2),
        "{record}"
    );
    assert!(
        record["related"].as_array().is_some_and(|r| !r.is_empty()),
        "{record}"
    );
}
