//! Cleaning one page of the sample corpus, and one scraped text, end to end (decoding,
//! extraction, metadata, the cleaning layers). Each input's result is checked before it
//! is timed.

#![allow(
    clippy::unwrap_used,
    missing_docs,
    reason = "a benchmark fails loudly on a wrong result"
)]

use chronicle_clean::{CleanConfig, clean};
use chronicle_model::RawDocument;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn document(path: &str, url: &str) -> RawDocument {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/corpus")
        .join(path);
    RawDocument::new(url, std::fs::read(file).unwrap())
}

fn benches(c: &mut Criterion) {
    let config = CleanConfig::default();
    let mut group = c.benchmark_group("clean");
    for (name, path, url, title, sentence) in [
        (
            "html page",
            "html/meridian-camerino-earthquake.html",
            "https://meridian.example/world/camerino-earthquake",
            "Magnitude 5.1 quake jolts central Italy",
            "Camerino",
        ),
        (
            "scraped text",
            "text/harbour-ledger-truckers-squeeze.txt",
            "file:///harbour-ledger-truckers-squeeze.txt",
            "Truckers and fishers feel the squeeze",
            "running trucks out of the Port of Halifax",
        ),
    ] {
        let raw = document(path, url);
        let article = clean(&raw, &config).unwrap();
        assert!(
            article
                .title
                .as_deref()
                .unwrap_or_default()
                .starts_with(title),
            "{:?}",
            article.title
        );
        assert!(article.text.contains(sentence));
        assert!(!article.text.contains("Skip to content"));
        group.throughput(Throughput::Bytes(raw.bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| clean(black_box(&raw), &config).unwrap())
        });
    }
    group.finish();
}

criterion_group!(clean_benches, benches);
criterion_main!(clean_benches);
