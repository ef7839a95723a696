//! Helpers shared by the command-line tests.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// A `chronicle` command with its data directory set.
pub fn chronicle(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    command.arg("--data").arg(data).env_remove("CHRONICLE_DATA");
    command
}

/// Runs a command and returns its output, failing with stderr when it fails.
#[track_caller]
pub fn run_ok(command: &mut Command) -> Output {
    let output = command.output().expect("chronicle runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    output
}

/// Runs a command expecting JSON on standard output.
#[track_caller]
pub fn json(command: &mut Command) -> serde_json::Value {
    let output = run_ok(command);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Whitespace collapsed, typographic quotes and dashes made plain.
pub fn normalise(text: &str) -> String {
    text.replace(['“', '”', '„'], "\"")
        .replace(['‘', '’'], "'")
        .replace(['\u{a0}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// All stored articles with their full records.
pub fn stored_articles(data: &Path) -> Vec<serde_json::Value> {
    let listed = json(chronicle(data).args(["articles", "--format", "json"]));
    listed
        .as_array()
        .expect("an array")
        .iter()
        .map(|summary| {
            let id = summary["id"].to_string();
            json(chronicle(data).args(["article", &id, "--format", "json"]))
        })
        .collect()
}
