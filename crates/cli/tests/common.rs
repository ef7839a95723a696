//! Helpers shared by the command-line tests.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::collections::HashMap;
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

/// The sample corpus's labels.
pub fn labels() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("examples/corpus-labels.json")).expect("labels");
    serde_json::from_str(&text).expect("labels parse")
}

/// Each labelled article (not event records, not summary-only items) matched to its
/// stored article by URL, or by file path for files without a URL.
pub fn matched<'a>(
    labels: &'a serde_json::Value,
    stored: &'a [serde_json::Value],
) -> Vec<(&'a serde_json::Value, Option<&'a serde_json::Value>)> {
    let corpus = root().join("examples/corpus");
    labels["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter(|a| a["format"] != "event-record" && a["summary_only"] != true)
        .map(|label| {
            let found = stored.iter().find(|article| {
                let locations: Vec<&str> = article["locations"]
                    .as_array()
                    .map(|l| l.iter().filter_map(serde_json::Value::as_str).collect())
                    .unwrap_or_default();
                match label["url"].as_str() {
                    Some(url) => locations.contains(&url) || article["url"] == url,
                    None => {
                        let path = corpus.join(label["path"].as_str().unwrap_or_default());
                        let file_url =
                            format!("file://{}", path.canonicalize().unwrap_or(path).display());
                        locations.contains(&file_url.as_str())
                    }
                }
            });
            (label, found)
        })
        .collect()
}

/// The stored article id for a labelled reference: a URL, or a path in the corpus.
pub fn article_ids(data: &Path) -> impl Fn(&str) -> Option<u64> {
    let listed = json(chronicle(data).args(["articles", "--format", "json"]));
    let mut by_location: HashMap<String, u64> = HashMap::new();
    for article in listed.as_array().expect("an array") {
        for location in article["locations"].as_array().expect("locations") {
            by_location.insert(
                location.as_str().expect("a string").to_string(),
                article["id"].as_u64().expect("an id"),
            );
        }
    }
    let corpus = root().join("examples/corpus");
    move |reference: &str| {
        if reference.starts_with("http") {
            return by_location.get(reference).copied();
        }
        let path = corpus.join(reference);
        let url = format!("file://{}", path.canonicalize().unwrap_or(path).display());
        by_location.get(&url).copied()
    }
}

/// The seeds folder and its `EXPECTED.md`, when present (a note on standard error
/// when not, so that the test passes without checking anything).
pub fn seeds_expected() -> Option<(PathBuf, String)> {
    let Some(dir) = seeds_dir() else {
        eprintln!("../shared/seeds is not here; nothing to check");
        return None;
    };
    let expected = std::fs::read_to_string(dir.join("EXPECTED.md")).expect("EXPECTED.md");
    Some((dir, expected))
}

/// The seeds folder, when it is present.
pub fn seeds_dir() -> Option<PathBuf> {
    let dir = root().join("../shared/seeds");
    dir.join("EXPECTED.md").is_file().then_some(dir)
}

/// The lines of a `## Heading` section.
pub fn section<'a>(expected: &'a str, heading: &str) -> Vec<&'a str> {
    expected
        .lines()
        .skip_while(|line| !line.starts_with(&format!("## {heading}")))
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .collect()
}

/// Bullet items ("- text" with indented continuation lines), joined.
pub fn bullets(lines: &[&str]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for line in lines {
        if let Some(item) = line.strip_prefix("- ").or_else(|| {
            line.split_once(". ")
                .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
                .map(|(_, rest)| rest)
        }) {
            items.push(item.to_string());
        } else if line.starts_with("  ")
            && let Some(last) = items.last_mut()
        {
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    items
}

/// Strings in double quotes (straight or curly).
pub fn quoted(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['"', '“']) {
        let after = &rest[start + rest[start..].chars().next().map_or(1, char::len_utf8)..];
        let Some(end) = after.find(['"', '”']) else {
            break;
        };
        found.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    found
}

/// The `host:port` a spawned `chronicle serve` or `chronicle demo` says it listens on
/// (its stdout must be piped): the line "chronicle: serving … at http://ADDR/".
pub fn serving_address(child: &mut std::process::Child) -> String {
    use std::io::BufRead as _;
    let stdout = child.stdout.take().unwrap();
    let line = std::io::BufReader::new(stdout)
        .lines()
        .map(Result::unwrap)
        .find(|line| line.starts_with("chronicle: serving"))
        .unwrap_or_else(|| panic!("the process never said where it serves"));
    line.split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string()
}

/// Asserts that `chronicle check` passes on the store in `data`.
pub fn assert_store_checks(data: &Path) {
    let output = run_ok(chronicle(data).arg("check"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.trim_end().ends_with("ok"), "{stdout}");
}
