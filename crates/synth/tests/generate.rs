#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use chronicle_synth::corpus::{read_labels, write};
use chronicle_synth::{Config, Generator};
use std::collections::{HashMap, HashSet};

fn config(articles: u64) -> Config {
    Config {
        articles,
        per_day: 200,
        ..Config::default()
    }
}

#[test]
fn exactly_the_articles_asked_for_in_publication_order() {
    let pieces: Vec<_> = Generator::new(config(1234)).collect();
    assert_eq!(pieces.len(), 1234);
    assert!(pieces.windows(2).all(|w| w[0].published <= w[1].published));
    let urls: HashSet<&str> = pieces.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(urls.len(), pieces.len(), "every URL is unique");
}

#[test]
fn the_same_seed_gives_the_same_corpus_and_another_seed_another() {
    let a: Vec<_> = Generator::new(config(300)).collect();
    let b: Vec<_> = Generator::new(config(300)).collect();
    assert_eq!(a, b);
    let c: Vec<_> = Generator::new(Config {
        seed: 2,
        ..config(300)
    })
    .collect();
    assert_ne!(a, c);
}

#[test]
fn copies_follow_their_original_and_events_have_long_tails() {
    let pieces: Vec<_> = Generator::new(config(5000)).collect();
    let position: HashMap<&str, usize> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.as_str(), i))
        .collect();
    let copies: Vec<_> = pieces.iter().filter(|p| p.copy_of.is_some()).collect();
    assert!(copies.len() > 100, "{} copies", copies.len());
    for (i, piece) in pieces.iter().enumerate() {
        if let Some(original) = &piece.copy_of {
            let at = position[original.as_str()];
            assert!(at < i, "a copy comes after its original");
            assert_eq!(pieces[at].event, piece.event);
        }
    }
    let mut sizes: HashMap<u64, usize> = HashMap::new();
    for piece in &pieces {
        *sizes.entry(piece.event).or_default() += 1;
    }
    let singles = sizes.values().filter(|&&n| n == 1).count();
    let largest = sizes.values().copied().max().unwrap();
    assert!(singles * 3 > sizes.len(), "most events are small");
    assert!(largest >= 30, "a few events are large: {largest}");
    let stories: HashSet<u64> = pieces.iter().filter_map(|p| p.story).collect();
    assert!(stories.len() > 10);
}

#[test]
fn a_written_corpus_holds_every_format_and_its_labels() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write(dir.path(), config(800)).unwrap();
    assert_eq!(manifest.articles, 800);
    for format in ["html", "rss", "markdown", "json"] {
        assert!(
            manifest.formats.get(format).copied().unwrap_or(0) > 0,
            "{format}"
        );
    }
    let labels = read_labels(dir.path()).unwrap();
    assert_eq!(labels.len(), 800);
    let mut files = 0;
    for entry in walk(&dir.path().join("corpus")) {
        files += 1;
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name == "pages.warc.gz"
                || name == "wire.jsonl"
                || name.ends_with(".md")
                || (name.starts_with("feed-") && name.ends_with(".xml")),
            "{name}"
        );
    }
    assert!(files > 4);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}
