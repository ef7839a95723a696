//! What a feed's server answered is kept in the store, so that a later run — a new
//! process, as from cron — asks with `If-None-Match` and an unchanged feed costs a 304.
//! A run that fails keeps nothing new: its next run fetches everything again.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

#[path = "../../ingest/tests/common/mod.rs"]
mod common;

use chronicle_pipeline::{IngestOptions, IngestSummary, ingest};
use chronicle_store::Store;
use common::{Server, http_response};
use std::path::Path;

const RSS: &str = "<rss version=\"2.0\"><channel><title>Kessmere ferry notices</title><item>\
    <title>Winter timetable starts on Monday</title><link>https://ferries.example/winter</link>\
    <description>The Kessmere ferry runs every ninety minutes from Monday, the operator said, \
    after the council cut its subsidy for the winter months.</description></item>\
    </channel></rss>";

/// One run as a new process makes it: the store opened afresh, a fresh configuration.
fn run(data: &Path, url: &str) -> IngestSummary {
    let mut options = IngestOptions::default();
    options.ingest.http.allow_private_addresses = true;
    let mut store = Store::open(data).unwrap();
    ingest(&mut store, &[url.to_string()], &options, &mut |_| {}).unwrap()
}

#[test]
fn a_later_run_asks_only_for_what_changed() {
    let server = Server::start(vec![(
        "/notices.xml",
        http_response(
            200,
            &[("Content-Type", "application/rss+xml"), ("ETag", "\"w1\"")],
            RSS.as_bytes(),
        ),
    )]);
    let url = server.url("/notices.xml");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let first = run(&data, &url);
    assert_eq!(first.stats.cleaned, 1, "{:?}", first.stats);

    // The store is closed and opened again: nothing of the first run is in memory.
    let second = run(&data, &url);
    assert_eq!(
        second.stats.read, 0,
        "a 304 reads nothing: {:?}",
        second.stats
    );
    assert_eq!(second.stats.unchanged, 0, "{:?}", second.stats);
    assert!(
        second.skips.is_empty(),
        "a 304 is not a skip: {:?}",
        second.skips
    );
    assert_eq!(server.requests().len(), 2);

    // A new version of the feed (another ETag) is read again.
    server.add(
        "/notices.xml",
        http_response(
            200,
            &[("Content-Type", "application/rss+xml"), ("ETag", "\"w2\"")],
            RSS.replace("ninety", "eighty").as_bytes(),
        ),
    );
    let third = run(&data, &url);
    assert_eq!(third.stats.read, 1, "{:?}", third.stats);
}
