//! A run that fails part-way returns its error: the reader thread stops instead of
//! waiting forever to hand over the next document.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

use chronicle_pipeline::{IngestOptions, ingest};
use chronicle_store::Store;
use std::time::Duration;

#[test]
fn a_store_error_mid_run_is_returned_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    // Far more documents than the channel between reader and writer holds.
    for i in 0..200 {
        std::fs::write(
            inputs.join(format!("note-{i:03}.txt")),
            format!("Harbour note number {i}. The ferry to Kessmere left on time today.\n"),
        )
        .unwrap();
    }
    let data = dir.path().join("data");
    let mut store = Store::open(&data).unwrap();
    // Another connection holds the write lock: the first batch's write fails (after the
    // store's busy timeout).
    let blocker = rusqlite::Connection::open(data.join("chronicle.db")).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (done, result) = std::sync::mpsc::channel();
    let input = inputs.to_string_lossy().into_owned();
    std::thread::spawn(move || {
        let options = IngestOptions {
            batch_size: 2,
            ..IngestOptions::default()
        };
        let outcome = ingest(&mut store, &[input], &options, &mut |_| {});
        let _ = done.send(outcome.map(|s| s.stats.cleaned).map_err(|e| e.to_string()));
    });
    let outcome = result
        .recv_timeout(Duration::from_secs(120))
        .expect("ingest returns instead of hanging");
    let error = outcome.expect_err("the locked store fails the run");
    assert!(
        error.contains("locked") || error.contains("busy"),
        "{error}"
    );
    drop(blocker);
}
