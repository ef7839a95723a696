//! The commands a user types: extract, ingest from standard input, articles and
//! article in every format, reprocess, check and demo.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{chronicle, json, root, run_ok};
use std::io::Write;
use std::process::Stdio;

const PAGE: &str = r#"<!doctype html><html lang="en"><head>
<title>Ferry crossings resume after storm | The Harbor Ledger</title>
<meta property="og:site_name" content="The Harbor Ledger">
<meta property="article:published_time" content="2025-05-06T09:30:00+01:00">
<meta name="author" content="Kai Roe">
<link rel="canonical" href="https://harborledger.example/2025/05/06/ferries">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry crossings resume after storm</h1>
<p>Ferries between the northern islands ran again on Friday after three days of gales kept
the fleet in harbour, the operator said.</p>
<p>About 1,200 passengers had been stranded on the islands since Tuesday, when the first
crossings were cancelled as winds gusted above 90 kilometres an hour.</p>
<p>"We are running extra sailings all weekend," said Marta Lind, the operator's head of
operations. "Everyone who was stranded will be home by Sunday."</p>
<p>Sign up for our free newsletter</p>
</article><footer>© 2025 The Harbor Ledger. All rights reserved.</footer></body></html>"#;

#[test]
fn extract_prints_text_json_and_markdown() {
    let temp = tempfile::tempdir().unwrap();
    let page = temp.path().join("ferries.html");
    std::fs::write(&page, PAGE).unwrap();
    let data = temp.path().join("unused");
    let article = json(
        chronicle(&data)
            .args(["extract", "--format", "json"])
            .arg(&page),
    );
    assert_eq!(article["title"], "Ferry crossings resume after storm");
    assert_eq!(article["outlet"], "The Harbor Ledger");
    assert_eq!(article["authors"], serde_json::json!(["Kai Roe"]));
    assert_eq!(article["published"], "2025-05-06T09:30:00+01:00");
    assert_eq!(
        article["url"],
        "https://harborledger.example/2025/05/06/ferries"
    );
    let text = article["text"].as_str().unwrap();
    assert!(
        text.starts_with("Ferries between the northern islands"),
        "{text}"
    );
    assert!(text.contains("home by Sunday"), "{text}");
    assert!(!text.contains("newsletter"), "{text}");
    assert!(
        article.get("removed").is_none(),
        "removed only with --explain"
    );

    let markdown = run_ok(
        chronicle(&data)
            .args(["extract", "--format", "md"])
            .arg(&page),
    );
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        markdown.starts_with("# Ferry crossings resume after storm\n"),
        "{markdown}"
    );

    let explained = run_ok(chronicle(&data).args(["extract", "--explain"]).arg(&page));
    let explained = String::from_utf8(explained.stdout).unwrap();
    assert!(
        explained.contains("[call-to-action] Sign up for our free newsletter"),
        "{explained}"
    );
    assert!(!data.exists(), "extract needs no store");
}

#[test]
fn ingest_standard_input_then_read_it_back() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let mut child = chronicle(&data)
        .args([
            "ingest",
            "-",
            "--outlet",
            "Island Examiner",
            "--format",
            "json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Skip to main content\n\nCouncil approves new ferry terminal\n\nBy Ana Berg\n\nMarch 4, 2025\n\nThe island council voted seven to two on Tuesday to build a new ferry terminal at the north pier.\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["cleaned"], 1, "{summary}");

    let listed = json(chronicle(&data).args([
        "articles",
        "--format",
        "json",
        "--outlet",
        "island examiner",
    ]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let id = listed[0]["id"].to_string();
    assert_eq!(listed[0]["title"], "Council approves new ferry terminal");
    assert_eq!(listed[0]["published"], "2025-03-04");
    assert_eq!(listed[0]["authors"], serde_json::json!(["Ana Berg"]));
    assert_eq!(listed[0]["locations"], serde_json::json!(["stdin:"]));
    for (since, until, expect) in [
        ("2025-03-04", "2025-03-04", 1),
        ("2025-03-05", "2025-12-31", 0),
    ] {
        let found = json(chronicle(&data).args([
            "articles", "--format", "json", "--since", since, "--until", until,
        ]));
        assert_eq!(found.as_array().unwrap().len(), expect, "{since}..{until}");
    }
    let bad = chronicle(&data)
        .args(["articles", "--since", "2025-05-01", "--until", "2025-01-01"])
        .output()
        .unwrap();
    assert!(!bad.status.success());

    let text = String::from_utf8(run_ok(chronicle(&data).args(["article", &id])).stdout).unwrap();
    assert!(
        text.starts_with("Council approves new ferry terminal\n"),
        "{text}"
    );
    assert!(
        text.contains("Island Examiner · published 2025-03-04 · by Ana Berg"),
        "{text}"
    );
    let markdown =
        String::from_utf8(run_ok(chronicle(&data).args(["article", &id, "--format", "md"])).stdout)
            .unwrap();
    assert!(
        markdown.starts_with("# Council approves new ferry terminal"),
        "{markdown}"
    );
    let full = json(chronicle(&data).args(["article", &id, "--format", "json"]));
    assert!(
        full["removed"].as_array().is_some_and(|r| !r.is_empty()),
        "the record keeps what was removed: {full}"
    );

    let missing = chronicle(&data).args(["article", "999"]).output().unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no article 999"));
    let not_a_number = chronicle(&data).args(["article", "abc"]).output().unwrap();
    assert!(String::from_utf8_lossy(&not_a_number.stderr).contains("is not an article id"));
}

#[test]
fn reprocess_keeps_the_record_sound() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let corpus = root().join("examples/corpus/text");
    run_ok(chronicle(&data).arg("ingest").arg(&corpus));
    let before = json(chronicle(&data).args(["articles", "--format", "json"]));
    let output = String::from_utf8(run_ok(chronicle(&data).arg("reprocess")).stdout).unwrap();
    assert!(output.contains("Reprocessed"), "{output}");
    let after = json(chronicle(&data).args(["articles", "--format", "json"]));
    let ids = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&before),
        ids(&after),
        "article ids are stable across reprocess"
    );
    run_ok(chronicle(&data).arg("check"));
}

#[test]
fn reading_a_missing_store_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let output = chronicle(&temp.path().join("nothing"))
        .arg("articles")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("holds no chronicle store"));
}

#[test]
fn demo_ingests_the_corpus_into_a_fresh_store() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("demo");
    let corpus = root().join("examples/corpus");
    for _ in 0..2 {
        // The second run replaces the first demo's store.
        let output = run_ok(
            chronicle(&data)
                .args(["demo", "--no-serve", "--corpus"])
                .arg(&corpus),
        );
        let output = String::from_utf8(output.stdout).unwrap();
        assert!(
            output.contains("Articles by outlet:") && output.contains("Event records:"),
            "{output}"
        );
        assert!(output.contains("The Harbour Ledger"), "{output}");
    }
    let foreign = temp.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let refused = chronicle(&foreign)
        .args(["demo", "--no-serve", "--corpus"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "the demo never overwrites data it did not write"
    );
    assert!(foreign.join("notes.txt").exists());
}
