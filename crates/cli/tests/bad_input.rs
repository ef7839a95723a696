//! Bad input is data: each kind becomes a skip that names the input and gives a
//! reason, the run goes on, and it exits 0 unless nothing at all could be read.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{chronicle, json};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

const STORY: &str = "Harbour tolls rise for the first time in a decade\n\n\
    The harbour commission voted on Tuesday to raise tolls on container ships by four per \
    cent, the first increase in ten years, citing the cost of dredging the main channel.\n\n\
    Shipping lines said the increase would be passed on to importers.\n";

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn warc_record(uri: &str, html: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2025-05-06T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    record.extend(http.as_bytes());
    record.extend(b"\r\n\r\n");
    record
}

fn skips_named(summary: &Value, reason: &str) -> Vec<String> {
    summary["skips"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"] == reason)
        .map(|s| s["input"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_kind_of_bad_input_is_a_counted_skip() {
    let temp = tempfile::tempdir().unwrap();
    let inputs = temp.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    write(&inputs.join("good.txt"), STORY.as_bytes());
    // Invalid UTF-8 is text in another encoding, not junk: it is decoded and kept.
    let mut latin = STORY
        .replace("harbour commission", "commission du port à Montréal")
        .into_bytes();
    latin.extend(b"\nCaf\xe9 owners said the r\xe9gion would suffer.\n");
    write(&inputs.join("latin1.txt"), &latin);
    write(
        &inputs.join("junk.bin"),
        &[0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0, 7, 8].repeat(40),
    );
    write(&inputs.join("empty.txt"), b"");
    let compressed = gzip(STORY.as_bytes());
    write(
        &inputs.join("truncated.txt.gz"),
        &compressed[..compressed.len() / 2],
    );
    let mut warc = gzip(&warc_record(
        "https://ledger.example/a",
        &format!(
            "<html><body><article><p>{}</p></article></body></html>",
            STORY.replace('\n', " ")
        ),
    ));
    let second = gzip(&warc_record(
        "https://ledger.example/b",
        "<html><body><p>Second story.</p></body></html>",
    ));
    warc.extend(&second[..second.len() / 2]);
    write(&inputs.join("cut.warc.gz"), &warc);
    write(
        &inputs.join("broken.rss"),
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>Unclosed",
    );
    write(&inputs.join("huge.txt"), &STORY.repeat(20_000).into_bytes());
    // Nesting the HTML parser would take minutes over (its work grows with the square
    // of the depth), and one line printed thousands of times (the repeat search's work
    // grew with the cube of the count).
    write(&inputs.join("deep.html"), "<div>".repeat(50_000).as_bytes());
    let echo = format!(
        "<html><body><article><p>{}</p>{}</article></body></html>",
        STORY
            .replace('\n', " ")
            .replace("container ships", "cruise liners"),
        "<p>Sign up to the Ledger newsletter for the harbour news that matters.</p>".repeat(3000)
    );
    write(&inputs.join("echo.html"), echo.as_bytes());
    #[cfg(unix)]
    std::os::unix::fs::symlink(&inputs, inputs.join("loop")).unwrap();

    let data = temp.path().join("data");
    let summary = json(
        chronicle(&data)
            .args([
                "ingest",
                "--format",
                "json",
                "--max-size",
                "1",
                "--allow-private",
            ])
            .arg(&inputs)
            .arg("http://127.0.0.1:9/unreachable"),
    );
    // good.txt, latin1.txt, echo.html and the first WARC record.
    let locations: Vec<String> = common::stored_articles(&data)
        .iter()
        .map(|a| a["locations"][0].to_string())
        .collect();
    assert_eq!(summary["cleaned"], 4, "{locations:?} {summary:#}");
    let skipped = &summary["skipped"];
    for (reason, count) in [
        ("binary", 1),
        ("empty", 1),
        ("too-large", 1),
        ("symlink-loop", 1),
        ("fetch", 1),
    ] {
        assert_eq!(skipped[reason], count, "{reason}: {summary:#}");
    }
    assert!(
        skipped["truncated"].as_u64().unwrap_or(0) >= 2,
        "truncated gzip and WARC: {summary:#}"
    );
    assert_eq!(skipped["malformed"], 2, "{summary:#}");
    for (reason, name) in [
        ("binary", "junk.bin"),
        ("empty", "empty.txt"),
        ("too-large", "huge.txt"),
        ("malformed", "broken.rss"),
        ("malformed", "deep.html"),
        ("symlink-loop", "loop"),
        ("fetch", "127.0.0.1:9"),
    ] {
        let inputs = skips_named(&summary, reason);
        assert!(
            inputs.iter().any(|i| i.contains(name)),
            "{reason} should name {name}: {inputs:?}"
        );
    }
    let truncated = skips_named(&summary, "truncated");
    assert!(
        truncated.iter().any(|i| i.contains("truncated.txt.gz")),
        "{truncated:?}"
    );
    assert!(
        truncated.iter().any(|i| i.contains("cut.warc.gz")),
        "{truncated:?}"
    );

    let stored = common::stored_articles(&data);
    let latin = stored
        .iter()
        .find(|a| {
            a["locations"][0]
                .as_str()
                .is_some_and(|l| l.ends_with("latin1.txt"))
        })
        .expect("the latin-1 text is stored");
    assert!(
        latin["text"]
            .as_str()
            .unwrap()
            .contains("Café owners said the région would suffer."),
        "{latin}"
    );
}

#[test]
fn nothing_readable_is_an_error() {
    let temp = tempfile::tempdir().unwrap();
    let empty = temp.path().join("empty.txt");
    write(&empty, b"");
    let output = chronicle(&temp.path().join("data"))
        .arg("ingest")
        .arg(&empty)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nothing could be read") && stderr.contains("empty.txt"),
        "{stderr}"
    );

    let missing = temp.path().join("no-such-file.html");
    let output = chronicle(&temp.path().join("data"))
        .arg("ingest")
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-file.html"));
}
