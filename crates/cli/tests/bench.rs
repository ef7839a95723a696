//! `chronicle bench gen` and `bench run` on a small generated corpus.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{chronicle, run_ok};

#[test]
fn a_generated_corpus_ingests_whole_and_is_scored_against_its_labels() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("bench");
    let run = |extra: &[&str]| {
        let output = run_ok(
            chronicle(&dir.path().join("unused"))
                .args([
                    "bench",
                    "run",
                    "--articles",
                    "600",
                    "--per-day",
                    "150",
                    "--json",
                ])
                .arg("--out")
                .arg(&work)
                .args(extra),
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let report = run(&[]);
    assert_eq!(report["manifest"]["articles"], 600);
    assert!(
        report["generate_seconds"].is_number(),
        "generated on the first run"
    );
    // Every labelled article is stored and found again by its URL; exact copies share
    // one stored article, so fewer are stored than generated.
    assert_eq!(report["quality"]["matched"], 600);
    assert_eq!(report["skipped"], 0);
    let stored = report["stored"].as_u64().unwrap();
    assert!((500..=600).contains(&stored), "{stored} stored");
    let copies = &report["quality"];
    let planted = copies["copies_planted"].as_u64().unwrap();
    assert!(planted > 10);
    assert!(copies["copies_found"].as_u64().unwrap() * 10 >= planted * 8);
    let events = &report["quality"]["events"];
    assert!(events["recall"].as_f64().unwrap() > 0.8, "{events}");
    assert!(events["precision"].as_f64().unwrap() > 0.3, "{events}");
    for stage in ["read", "clean", "write", "annotate", "events"] {
        assert!(report["overall"][stage].as_f64().unwrap() >= 0.0);
    }
    assert!(report["overall"]["total"].as_f64().unwrap() > 0.0);

    // A second run reuses the corpus and rebuilds the store from nothing.
    let again = run(&[]);
    assert!(again["generate_seconds"].is_null());
    assert_eq!(again["stored"], report["stored"]);
    assert_eq!(again["quality"]["events"], report["quality"]["events"]);

    // Another seed in the same folder is refused, naming the folder.
    let output = chronicle(&dir.path().join("unused"))
        .args(["bench", "run", "--articles", "600", "--seed", "9", "--out"])
        .arg(&work)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("other settings"), "{stderr}");
}

#[test]
fn gen_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let output = chronicle(&dir.path().join("unused"))
        .args(["bench", "gen", "--articles", "50", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "mine"
    );
}
