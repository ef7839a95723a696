//! Annotating one article: sentences, names, entities and roles, quotes with their
//! speakers, dates. The result is checked before it is timed.

#![allow(
    clippy::unwrap_used,
    missing_docs,
    reason = "a benchmark fails loudly on a wrong result"
)]

use chronicle_annotate::{RuleRecognizer, annotate};
use chronicle_model::Article;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const TEXT: &str = "PORT VELIN — The harbour board of Port Velin voted on Tuesday to close \
the north quay for four months of repairs, a decision ferry crews said came without warning.\n\n\
Board chair Ilse Brandt said the quay would reopen in March. “We had no choice once the \
engineers saw the piles,” Brandt told reporters after the vote. “Every week we waited \
made the bill bigger.”\n\n\
The Velin Ferry Workers' Union said its members learned of the closure from a notice on \
the gate. Union secretary Tomas Ekdahl called the decision “a slap in the face” and said \
the union would ask the city council to review it on Thursday.\n\n\
Mayor Rhoda Quist, who sits on the board, said yesterday that crews would be moved to the \
south quay and that no jobs were at risk. The council meets again on 14 December 2025.\n";

fn benches(c: &mut Criterion) {
    let article = Article {
        title: Some("Port Velin closes north quay for repairs".into()),
        text: TEXT.into(),
        ..Article::default()
    };
    let annotated = annotate(&article, &RuleRecognizer);
    let names: Vec<&str> = annotated.entities.iter().map(|e| e.name.as_str()).collect();
    for name in ["Ilse Brandt", "Tomas Ekdahl", "Rhoda Quist"] {
        assert!(names.contains(&name), "{name} not among {names:?}");
    }
    assert!(
        annotated
            .quotes
            .iter()
            .any(|q| q.text.contains("engineers") && q.speaker_text.as_deref() == Some("Brandt")),
        "{:?}",
        annotated.quotes
    );
    assert!(!annotated.dates.is_empty());
    let mut group = c.benchmark_group("annotate");
    group.throughput(Throughput::Bytes(TEXT.len() as u64));
    group.bench_function("article", |b| {
        b.iter(|| annotate(black_box(&article), &RuleRecognizer))
    });
    group.finish();
}

criterion_group!(annotate_benches, benches);
criterion_main!(annotate_benches);
