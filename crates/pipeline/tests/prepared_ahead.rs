//! Batches are looked up and cleaned ahead, while the batch before them is stored: the
//! same bytes in two neighbouring batches, or twice in one, are still stored once,
//! whatever the batch size, and a second run changes nothing.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use chronicle_pipeline::IngestStats;
use chronicle_store::Counts;
use std::path::Path;

/// Twelve reports, each also saved under a second name that sorts right after it, and
/// every third one a third time further on.
fn write_inputs(dir: &Path) {
    for i in 0..12 {
        let text = format!(
            "Tidewater Gazette\n\nLock gates {i} reopened at Marrowby\n\nEngineers reopened \
             lock gate number {i} on the Marrowby canal on Tuesday after a week of repairs, \
             the waterways board said. Barges queued from the early morning.\n"
        );
        std::fs::write(dir.join(format!("{i:02}-a.txt")), &text).unwrap();
        std::fs::write(dir.join(format!("{i:02}-b.txt")), &text).unwrap();
        if i % 3 == 0 {
            std::fs::write(dir.join(format!("{:02}-c.txt", (i + 5) % 12)), &text).unwrap();
        }
    }
}

fn run(data: &Path, inputs: &Path, batch_size: usize) -> (IngestStats, Counts) {
    let (store, stats) = common::ingest_at(data, inputs, batch_size);
    let counts = store.read().counts().unwrap();
    (stats, counts)
}

#[test]
fn copies_across_batches_are_stored_once_at_any_batch_size() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    write_inputs(&inputs);
    let mut seen = None;
    for batch_size in [1, 2, 3, 5, 256] {
        let data = dir.path().join(format!("data-{batch_size}"));
        let (first, counts) = run(&data, &inputs, batch_size);
        assert_eq!(first.read, 28, "batch size {batch_size}");
        assert_eq!(first.cleaned, 12, "batch size {batch_size}");
        assert_eq!(first.duplicates, 16, "batch size {batch_size}");
        assert_eq!(counts.articles, 12, "batch size {batch_size}");
        assert_eq!(counts.sources, 28, "batch size {batch_size}");
        assert_eq!(first.annotated.articles, 12, "batch size {batch_size}");
        assert_eq!(first.events.articles, 12, "batch size {batch_size}");
        if let Some(earlier) = &seen {
            assert_eq!(&counts, earlier, "batch size {batch_size}");
        }
        seen = Some(counts);
        let (again, counts_again) = run(&data, &inputs, batch_size);
        assert_eq!(again.unchanged, 28, "batch size {batch_size}");
        assert_eq!(
            again.cleaned + again.duplicates,
            0,
            "batch size {batch_size}"
        );
        assert_eq!(counts_again, counts, "batch size {batch_size}");
    }
}
