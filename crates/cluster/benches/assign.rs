//! Online clustering: 2,000 articles about 200 events, each placed among the events
//! before it. The events found are checked before the run is timed.

#![allow(
    clippy::unwrap_used,
    missing_docs,
    reason = "a benchmark fails loudly on a wrong result"
)]

use chronicle_cluster::{Clusterer, Config, DocTerms};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::collections::HashMap;
use std::hint::black_box;

const EVENTS: u64 = 200;
const PER_EVENT: u64 = 10;
const DAY: i64 = 86_400;

const COMMON: &[&str] = &[
    "the",
    "council",
    "said",
    "on",
    "officials",
    "week",
    "city",
    "report",
    "residents",
    "plan",
    "announced",
    "after",
    "meeting",
    "would",
    "new",
    "local",
    "statement",
];
const KINDS: &[&str] = &[
    "flood", "strike", "fire", "election", "trial", "merger", "storm", "protest",
];

/// A made-up name for the `k`th thing of event `e`: distinct per event.
fn name(e: u64, k: u64) -> String {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ren", "to", "va", "sel", "dor", "bri", "an",
    ];
    let mut n = e * 7 + k;
    let mut word = String::new();
    for _ in 0..3 {
        word.push_str(SYLLABLES[(n % 10) as usize]);
        n /= 10;
    }
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Article `a` about event `e`: its kind, its people and place, common words.
fn article(e: u64, a: u64) -> (String, String) {
    let kind = KINDS[(e % KINDS.len() as u64) as usize];
    let (person, place, group) = (name(e, 1), name(e, 2), name(e, 3));
    let title = format!("{kind} in {place}: {person} speaks");
    let mut text = format!(
        "A {kind} hit {place} on Monday. {person} of the {group} group said the {kind} was \
         the worst in years. "
    );
    for i in 0..30 {
        text.push_str(COMMON[((a * 31 + i * 7) % COMMON.len() as u64) as usize]);
        text.push(' ');
    }
    text.push_str(&format!(
        "{person} and the {group} group met in {place} again."
    ));
    (title, text)
}

/// Streaming, as an ingest runs: each article counted and placed in turn.
fn run(docs: &[(u64, DocTerms, i64)]) -> Clusterer {
    let mut clusterer = Clusterer::new(Config::default());
    for (doc, terms, time) in docs {
        clusterer.add(*doc, terms, Some(*time));
    }
    clusterer
}

fn benches(c: &mut Criterion) {
    // Events a few days apart, their articles interleaved in publication order.
    let mut docs = Vec::new();
    let mut gold = HashMap::new();
    for a in 0..PER_EVENT {
        for e in 0..EVENTS {
            let (title, text) = article(e, a);
            let doc = a * EVENTS + e;
            gold.insert(doc, e);
            docs.push((
                doc,
                DocTerms::of(Some(&title), &text),
                e as i64 * 3 * DAY + a as i64 * 3600,
            ));
        }
    }
    let clusterer = run(&docs);
    // Every article lands with the others of its event, and events stay apart.
    let mut found: HashMap<u64, Vec<u64>> = HashMap::new();
    for (doc, event) in &gold {
        found
            .entry(clusterer.event_of(*doc).unwrap())
            .or_default()
            .push(*event);
    }
    let pure = found
        .values()
        .filter(|members| members.iter().all(|m| *m == members[0]))
        .count();
    assert_eq!(
        pure,
        found.len(),
        "events mixing articles of different events"
    );
    assert!(
        found.len() as u64 <= EVENTS * 11 / 10,
        "{} events for {EVENTS}",
        found.len()
    );

    let mut group = c.benchmark_group("cluster");
    group.sample_size(10);
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("2,000 articles, 200 events", |b| {
        b.iter(|| run(black_box(&docs)))
    });
    group.finish();
}

criterion_group!(cluster_benches, benches);
criterion_main!(cluster_benches);
