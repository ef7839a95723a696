//! What chronicle understands of articles, checked against the sample corpus's labels
//! (always) and the seeds' `EXPECTED.md` (when `../shared/seeds` is present): entities
//! with their variants merged and no two people merged, roles, bylines, quotes with
//! their speakers and citations, copy groups, and revisions of a re-fetched URL.
//!
//! The seeds are evaluation material and their text must not be copied into the
//! project, so the seed test reads every expectation from `EXPECTED.md` at run time.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{
    article_ids, bullets, chronicle, json, labels, normalise, quoted, root, section, seeds_expected,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Every stored entity in full, and every alias (lowercased) to the ids that have it.
fn entities(data: &Path) -> (BTreeMap<u64, Value>, HashMap<String, BTreeSet<u64>>) {
    let list = json(chronicle(data).args(["entities", "--format", "json"]));
    let mut details = BTreeMap::new();
    let mut by_alias: HashMap<String, BTreeSet<u64>> = HashMap::new();
    for summary in list.as_array().unwrap() {
        let id = summary["id"].as_u64().unwrap();
        let detail = json(chronicle(data).args(["entity", &id.to_string(), "--format", "json"]));
        for alias in detail["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .chain(std::iter::once(&detail["name"]))
        {
            by_alias
                .entry(alias.as_str().unwrap().to_lowercase())
                .or_default()
                .insert(id);
        }
        details.insert(id, detail);
    }
    (details, by_alias)
}

fn ingest(data: &Path, inputs: &[PathBuf]) {
    let summary = json(
        chronicle(data)
            .args(["ingest", "--format", "json"])
            .args(inputs),
    );
    let stored = summary["cleaned"].as_u64().unwrap() + summary["revisions"].as_u64().unwrap();
    assert!(stored > 0, "{summary}");
}

/// Letters and digits of a text, lowercased, words single-spaced: quotes compared
/// whatever their punctuation.
fn plain(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_sample_corpus_is_understood_as_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest(&data, &[root().join("examples/corpus")]);
    let labels = labels();
    let (details, by_alias) = entities(&data);
    let ids_of = |form: &str| {
        by_alias
            .get(&form.to_lowercase())
            .cloned()
            .unwrap_or_default()
    };

    // Entities: each labelled entity's forms lead to one entity, and no entity holds two
    // labelled people.
    let labelled = labels["entities"].as_array().unwrap();
    let mut found = 0;
    let mut split = Vec::new();
    let mut holder: HashMap<u64, Vec<&str>> = HashMap::new();
    for entity in labelled {
        let name = entity["name"].as_str().unwrap();
        let forms: Vec<&str> = std::iter::once(name)
            .chain(
                entity["variants"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            )
            .collect();
        let ids: BTreeSet<u64> = forms.iter().flat_map(|f| ids_of(f)).collect();
        if ids.is_empty() {
            continue;
        }
        found += 1;
        if ids.len() > 1 {
            split.push(format!("{name}: {ids:?}"));
        }
        if entity["type"] == "person" {
            for id in ids {
                holder.entry(id).or_default().push(name);
            }
        }
    }
    let merged: Vec<String> = holder
        .values()
        .filter(|people| people.len() > 1)
        .map(|people| people.join(" + "))
        .collect();
    assert!(merged.is_empty(), "people merged: {merged:?}");
    assert!(
        found * 100 >= labelled.len() * 85,
        "only {found} of {} labelled entities found",
        labelled.len()
    );
    assert!(
        split.len() <= 2,
        "entities split over several ids: {split:?}"
    );

    // The deliberate typo in one article joins the person it misspells.
    let furlong = ids_of("Declan R. Furlong")
        .into_iter()
        .chain(ids_of("Declan Furlong"))
        .collect::<BTreeSet<_>>();
    assert_eq!(furlong.len(), 1, "{furlong:?}");
    let furlong = &details[furlong.iter().next().unwrap()];
    let aliases: Vec<&str> = furlong["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        aliases.iter().any(|a| a.contains("Fulrong")),
        "the typo is not an alias: {aliases:?}"
    );
    // Every merge keeps its evidence.
    for detail in details.values() {
        for merge in detail["merges"].as_array().unwrap() {
            assert!(!merge["evidence"].as_str().unwrap().is_empty(), "{merge}");
        }
    }

    // Roles: most labelled people's roles are found in some wording.
    let mut with_role = 0;
    let mut people_with_roles = 0;
    for entity in labelled.iter().filter(|e| e["type"] == "person") {
        let name = entity["name"].as_str().unwrap();
        let expected: Vec<String> = entity["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_lowercase)
            .collect();
        let Some(id) = ids_of(name).into_iter().next() else {
            continue;
        };
        if expected.is_empty() {
            continue;
        }
        people_with_roles += 1;
        let roles: Vec<String> = details[&id]["roles"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["role"].as_str())
            .map(str::to_lowercase)
            .collect();
        // A role matches when it shares its head noun or an outlet with a labelled role.
        let shares = |role: &String| {
            expected.iter().any(|e| {
                let words: BTreeSet<&str> = e
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() > 3)
                    .collect();
                role.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() > 3)
                    .any(|w| words.contains(w))
            })
        };
        if roles.iter().any(shares) {
            with_role += 1;
        }
    }
    assert!(
        with_role * 100 >= people_with_roles * 60,
        "roles found for {with_role} of {people_with_roles} people"
    );

    // Quotes: the speaker and every citation of most labelled quotes.
    let article_id = article_ids(&data);
    let quotes = json(chronicle(&data).args(["quotes", "--format", "json"]));
    let quotes = quotes.as_array().unwrap();
    let labelled_quotes = labels["quotes"].as_array().unwrap();
    let mut right = 0;
    let mut wrong = Vec::new();
    for label in labelled_quotes {
        let text = normalise(label["text"].as_str().unwrap()).to_lowercase();
        let head: String = text.chars().take(40).collect();
        let Some(found) = quotes
            .iter()
            .filter(|q| {
                let q = normalise(q["text"].as_str().unwrap()).to_lowercase();
                q.contains(&head) || text.contains(&q.chars().take(40).collect::<String>())
            })
            .max_by_key(|q| q["citations"].as_array().unwrap().len())
        else {
            wrong.push(format!("missing: {text}"));
            continue;
        };
        let surname = label["speaker"]
            .as_str()
            .unwrap()
            .split(' ')
            .next_back()
            .unwrap();
        let speaker_right = found["speaker_name"]
            .as_str()
            .is_some_and(|s| s.ends_with(surname));
        let cited: BTreeSet<u64> = found["citations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["article"].as_u64().unwrap())
            .collect();
        let expected: BTreeSet<u64> = label["articles"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| article_id(a.as_str().unwrap()))
            .collect();
        if speaker_right && expected.is_subset(&cited) {
            right += 1;
        } else {
            wrong.push(format!(
                "{text}: speaker {} cited in {cited:?}, expected {surname} in {expected:?}",
                found["speaker_name"]
            ));
        }
    }
    assert!(
        right * 100 >= labelled_quotes.len() * 75,
        "{right} of {} quotes right: {wrong:#?}",
        labelled_quotes.len()
    );

    // Copies: each labelled copy is in its original's copy group, and no group holds
    // articles the labels do not call copies.
    let mut groups: HashMap<u64, BTreeSet<u64>> = HashMap::new();
    let listed = json(chronicle(&data).args(["articles", "--format", "json"]));
    for article in listed.as_array().unwrap() {
        let id = article["id"].as_u64().unwrap();
        let copies = json(chronicle(&data).args(["copies", &id.to_string(), "--format", "json"]));
        let members: BTreeSet<u64> = copies
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["article"].as_u64().unwrap())
            .collect();
        groups.insert(id, members);
    }
    let mut copy_of: HashMap<u64, u64> = HashMap::new();
    for article in labels["articles"].as_array().unwrap() {
        if let Some(original) = article["copy_of"].as_str() {
            let reference = article["url"]
                .as_str()
                .or(article["path"].as_str())
                .unwrap();
            let copy = article_id(reference).unwrap_or_else(|| panic!("{reference} stored"));
            let original = article_id(original).unwrap_or_else(|| panic!("{original} stored"));
            if copy != original {
                copy_of.insert(copy, original);
            }
        }
    }
    assert!(!copy_of.is_empty());
    for (copy, original) in &copy_of {
        assert!(
            groups[copy].contains(original),
            "article {copy} is labelled a copy of {original} but its group is {:?}",
            groups[copy]
        );
    }
    let family = |id: u64| copy_of.get(&id).copied().unwrap_or(id);
    for (id, members) in &groups {
        for member in members {
            assert_eq!(
                family(*id),
                family(*member),
                "articles {id} and {member} grouped as copies"
            );
        }
    }
}

#[test]
fn bylines_and_outlets_are_entities() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest(&data, &[root().join("examples/corpus")]);
    let labels = labels();
    let (details, by_alias) = entities(&data);
    let mut authors: BTreeMap<String, String> = BTreeMap::new();
    for article in labels["articles"].as_array().unwrap() {
        if let Some(outlet) = article["outlet"].as_str() {
            for author in article["authors"].as_array().into_iter().flatten() {
                authors.insert(author.as_str().unwrap().to_string(), outlet.to_string());
            }
        }
    }
    assert!(authors.len() >= 10);
    for (author, outlet) in &authors {
        let ids = by_alias
            .get(&author.to_lowercase())
            .cloned()
            .unwrap_or_default();
        assert_eq!(ids.len(), 1, "{author}: {ids:?}");
        let detail = &details[ids.iter().next().unwrap()];
        assert_eq!(detail["kind"], "person", "{author}");
        let roles: Vec<&str> = detail["roles"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["role"].as_str())
            .collect();
        assert!(
            roles.iter().any(|r| r.contains(outlet.as_str())),
            "{author}: {roles:?} names no {outlet}"
        );
    }
    for outlet in labels["outlets"].as_array().unwrap() {
        let name = outlet["name"].as_str().unwrap();
        assert!(
            by_alias.contains_key(&name.to_lowercase()),
            "outlet {name} is not an entity"
        );
    }
}

/// Capitalised names in a comma-separated list ("Vladimir Putin, Sean Spicer, ...").
fn names(list: &str) -> Vec<String> {
    list.split([',', ';'])
        .map(|n| {
            n.trim()
                .trim_end_matches('.')
                .trim_start_matches("and ")
                .trim()
        })
        .map(|n| n.strip_prefix("the ").unwrap_or(n).to_string())
        .filter(|n| n.chars().next().is_some_and(char::is_uppercase))
        .collect()
}

#[test]
fn the_seeds_entities_and_quotes_are_found() {
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
    ingest(&data, &files);
    let lookup = |name: &str| -> Option<Value> {
        let output = chronicle(&data)
            .args(["entity", name, "--format", "json"])
            .output()
            .unwrap();
        output
            .status
            .success()
            .then(|| serde_json::from_slice(&output.stdout).unwrap())
    };
    let mut problems = Vec::new();
    let mut people: Vec<(String, u64)> = Vec::new();
    for item in bullets(&section(&expected, "Entities")) {
        if let Some(also) = item.strip_prefix("Also:") {
            // "Also: people...; organisations such as ...; places such as ..."
            let mut parts = also.split(';');
            for name in names(parts.next().unwrap_or_default()) {
                match lookup(&name) {
                    Some(entity) if entity["kind"] == "person" => {
                        people.push((name, entity["id"].as_u64().unwrap()));
                    }
                    Some(entity) => problems.push(format!("{name} is a {}", entity["kind"])),
                    None => problems.push(format!("{name} not found")),
                }
            }
            for part in parts {
                let list = part
                    .split_once(" such as ")
                    .map_or(part, |(_, list)| list)
                    .replace(" and ", ", ");
                for name in names(&list) {
                    if lookup(&name).is_none() {
                        problems.push(format!("{name} not found"));
                    }
                }
            }
            continue;
        }
        // "Name — variants — role." or "Name (variants) — role."
        let (name, rest) = match (item.find(" — "), item.find(" (")) {
            (Some(dash), Some(paren)) if paren < dash => item.split_at(paren),
            (Some(dash), _) => item.split_at(dash),
            (None, Some(paren)) => item.split_at(paren),
            (None, None) => continue,
        };
        let name = name.trim();
        let (variants, role) = if let Some(inside) = rest.trim().strip_prefix('(') {
            let (inside, after) = inside.split_once(')').unwrap_or((inside, ""));
            (
                inside.to_string(),
                after.trim_start_matches([' ', '—', '.']).to_string(),
            )
        } else {
            let mut parts = rest.trim_start_matches(" — ").splitn(2, " — ");
            (
                parts.next().unwrap_or_default().to_string(),
                parts.next().unwrap_or_default().to_string(),
            )
        };
        let mut forms: Vec<String> = names(&variants)
            .into_iter()
            .filter(|v| !v.contains('"'))
            .collect();
        forms.extend(quoted(&variants));
        let Some(entity) = lookup(name) else {
            problems.push(format!("{name} not found"));
            continue;
        };
        let id = entity["id"].as_u64().unwrap();
        people.push((name.to_string(), id));
        for form in forms {
            match lookup(&form) {
                Some(other) if other["id"].as_u64() == Some(id) => {}
                Some(other) => problems.push(format!(
                    "{form} is {} (id {}), not {name} (id {id})",
                    other["name"], other["id"]
                )),
                None => problems.push(format!("{form} not found (a variant of {name})")),
            }
        }
        // The role, in some wording ("U.S." for "the United States").
        let role = role.trim().trim_end_matches('.').to_lowercase();
        if !role.is_empty() {
            let roles: Vec<String> = entity["roles"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|r| r["role"].as_str())
                .map(|r| {
                    r.to_lowercase()
                        .replace("u.s.", "united states")
                        .replace('’', "'")
                })
                .collect();
            let role = role.replace('’', "'");
            let wanted: Vec<&str> = role.split(' ').filter(|w| w.len() > 3).collect();
            if !roles.iter().any(|r| wanted.iter().all(|w| r.contains(w))) {
                problems.push(format!("{name}: role {role:?} not in {roles:?}"));
            }
        }
    }
    // No two of the people are one entity.
    let mut by_id: HashMap<u64, Vec<&str>> = HashMap::new();
    for (name, id) in &people {
        by_id.entry(*id).or_default().push(name);
    }
    for names in by_id.values().filter(|n| n.len() > 1) {
        problems.push(format!("merged: {names:?}"));
    }
    assert!(people.len() >= 15, "{people:?}");

    // Quotes: each listed quote with its speaker; the first with two citations.
    let quotes = json(chronicle(&data).args(["quotes", "--format", "json"]));
    let quotes = quotes.as_array().unwrap();
    let quote_items = bullets(&section(&expected, "Quotes"));
    let mut pairs: Vec<(String, String)> = Vec::new();
    for item in &quote_items {
        if let Some(others) = item.strip_prefix("Others with their speakers:") {
            // "Speaker ("quote…"; "quote…"), Speaker ("quote…"), ..."
            for chunk in others.split("), ") {
                let Some((speaker, inside)) = chunk.split_once(" (") else {
                    continue;
                };
                let speaker = speaker.trim().split('\'').next().unwrap().to_string();
                for quote in quoted(inside) {
                    pairs.push((speaker.clone(), quote));
                }
            }
        } else if let Some(quote) = quoted(item).first() {
            let speaker = item
                .split(" — ")
                .nth(1)
                .and_then(|s| s.split(',').next())
                .unwrap_or_default()
                .to_string();
            pairs.push((speaker, quote.clone()));
        }
    }
    assert!(pairs.len() >= 5, "{pairs:?}");
    for (index, (speaker, quote)) in pairs.iter().enumerate() {
        let head = plain(quote.split('…').next().unwrap());
        let found = quotes
            .iter()
            .find(|q| plain(q["text"].as_str().unwrap()).contains(&head));
        let Some(found) = found else {
            problems.push(format!("quote not found: {head}"));
            continue;
        };
        let surname = speaker.split(' ').next_back().unwrap_or_default();
        if !found["speaker_name"]
            .as_str()
            .is_some_and(|s| s.contains(surname))
        {
            problems.push(format!(
                "{head}: speaker {} instead of {speaker}",
                found["speaker_name"]
            ));
        }
        if index == 0 && found["citations"].as_array().unwrap().len() < 2 {
            problems.push(format!("{head}: fewer than two citations"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_refetched_url_keeps_its_revisions_with_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let paragraph = |n: usize| {
        format!(
            "Paragraph {n} of the Wexcombe council report: the harbour committee met on \
             Tuesday and heard evidence from the ferry operators about winter sailings."
        )
    };
    let first: Vec<String> = (1..=4).map(paragraph).collect();
    let mut second = first.clone();
    second[2] = "The council later corrected the figures: 41 sailings were cancelled, \
                 not 14 as first reported."
        .to_string();
    for (name, text) in [
        ("v1.json", first.join("\n\n")),
        ("v2.json", second.join("\n\n")),
    ] {
        let path = dir.path().join(name);
        let document = serde_json::json!({
            "url": "https://wexcombe-gazette.example/news/harbour-report",
            "title": "Harbour committee hears ferry evidence",
            "outlet": "Wexcombe Gazette",
            "text": text,
        });
        std::fs::write(&path, document.to_string()).unwrap();
        ingest(&data, &[path]);
    }
    let listed = json(chronicle(&data).args(["articles", "--format", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    let id = listed[0]["id"].to_string();
    let versions = json(chronicle(&data).args(["revisions", &id, "--format", "json"]));
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(versions[1]["current"], true);
    let diff = versions[1]["diff"].as_str().unwrap();
    assert!(diff.contains("-Paragraph 3 of the Wexcombe"), "{diff}");
    assert!(diff.contains("+The council later corrected"), "{diff}");
    assert!(!diff.contains("-Paragraph 1 "), "{diff}");
    // The text view says the same.
    let text = common::run_ok(chronicle(&data).args(["revisions", &id]));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Revision 2 (current)"), "{text}");
    assert!(text.contains("+The council later corrected"), "{text}");
}
