//! What the pipeline's integration tests share.

use chronicle_pipeline::{IngestOptions, IngestStats, ingest};
use chronicle_store::Store;
use std::path::Path;

/// Ingests the folder `inputs` into the store in `data` in batches of `batch_size`.
pub fn ingest_at(data: &Path, inputs: &Path, batch_size: usize) -> (Store, IngestStats) {
    let mut store = Store::open(data).unwrap();
    let options = IngestOptions {
        batch_size,
        ..IngestOptions::default()
    };
    let input = inputs.to_string_lossy().into_owned();
    let summary = ingest(&mut store, &[input], &options, &mut |_| {}).unwrap();
    (store, summary.stats)
}
