//! Wires the stages together: the one API the command line and the server use.
//!
//! - [`ingest`]: inputs → `chronicle-ingest` (a reader thread) → `chronicle-clean` (in
//!   parallel, a batch at a time) → outlet templates (in order) → `chronicle-store` (one
//!   transaction per batch) → [`Annotator`]: `chronicle-annotate` (in parallel), entities
//!   and quotes resolved across the corpus and copies found with `chronicle-dedupe` (in
//!   order), written in a second transaction. A document already stored from the same
//!   source is not cleaned again, so re-running an ingest is a no-op; a killed run
//!   resumes where its last committed batch ended, and articles stored without their
//!   annotations are annotated at the start of the next run.
//! - [`reprocess`]: every stored raw document cleaned again, after an upgrade.
//! - [`extract`]: clean inputs without a store.

mod annotate;
mod events;
mod extract;
mod ingest;
mod reprocess;

pub use annotate::{AnnotateStats, Annotator};
pub use events::{EventIndex, EventStats};
pub use extract::{Extracted, extract};
pub use ingest::{IngestOptions, IngestStats, IngestSummary, StageTimes, ingest, sync_search};
pub use reprocess::{ReprocessStats, reprocess};

/// Errors that stop a run (bad inputs never do: they are skips).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] chronicle_store::Error),
    #[error(transparent)]
    Search(#[from] chronicle_search::Error),
    #[error("nothing could be read from {inputs}: {reasons}")]
    NothingRead { inputs: String, reasons: String },
    /// A stage's thread ended without reporting its work: a bug, not bad input.
    #[error("the {stage} stage stopped without finishing its work")]
    Stopped { stage: &'static str },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The current time as stored (RFC 3339, seconds, UTC). The pipeline stamps records;
/// stages never read the clock.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
