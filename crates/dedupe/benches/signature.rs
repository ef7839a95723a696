//! Near-duplicate detection: an article's MinHash signature, a comparison, and a lookup
//! among 10,000 stored signatures. Results are checked before they are timed.

#![allow(
    clippy::unwrap_used,
    missing_docs,
    reason = "a benchmark fails loudly on a wrong result"
)]

use chronicle_dedupe::{LshIndex, Signature, similarity};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const WORDS: &[&str] = &[
    "harbour", "council", "ferry", "budget", "union", "mayor", "bridge", "storm", "tolls",
    "school", "hospital", "election", "river", "market", "court", "station", "festival", "library",
    "museum", "stadium", "quay", "crews", "repairs", "vote", "week", "notice",
];

/// A text of `words` words, different for each `seed`.
fn text(seed: u64, words: usize) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..words)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            WORDS[(state % WORDS.len() as u64) as usize]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn benches(c: &mut Criterion) {
    let original = text(1, 600);
    // The same story with its last sentence cut and a line added: a wire copy.
    let copy = format!(
        "{} Reporting by the Velin desk.",
        &original[..original.len() - 40]
    );
    let (a, b) = (Signature::of(&original), Signature::of(&copy));
    assert!(similarity(&a, &b).is_copy(), "{:?}", similarity(&a, &b));
    assert!(!similarity(&a, &Signature::of(&text(2, 600))).is_copy());

    let mut index = LshIndex::new(10_000);
    for doc in 0..10_000 {
        index.insert(doc, &Signature::of(&text(doc + 10, 300)));
    }
    index.insert(99_999, &a);
    assert!(index.candidates(&b).contains(&99_999));

    let mut group = c.benchmark_group("dedupe");
    group.bench_function("signature of 600 words", |bench| {
        bench.iter(|| Signature::of(black_box(&original)))
    });
    group.bench_function("compare two", |bench| {
        bench.iter(|| similarity(black_box(&a), &b))
    });
    group.bench_function("candidates among 10,000", |bench| {
        bench.iter(|| index.candidates(black_box(&b)))
    });
    group.finish();
}

criterion_group!(dedupe_benches, benches);
criterion_main!(dedupe_benches);
