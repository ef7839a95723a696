//! Direct-quote metrics on PolNeAR-style data (`docs/<name>.txt` and
//! `attributions.jsonl`), as `evaldata/README.md` defines them.
//!
//! Only direct attributions count. A gold quote's span runs from the start of its first
//! content piece to the end of its last. A predicted quote matches a gold one when their
//! spans overlap by at least half of each span's length, one to one. The speaker is
//! right when the predicted speaker shares a token (case-insensitively) with the gold
//! source text; the accuracy is reported over all matched quotes with a gold source,
//! and over those whose gold source names someone (a capitalised word, not a bare
//! pronoun).

use crate::{Error, Result, f1};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// One line of `attributions.jsonl` (the fields this evaluation reads).
#[derive(Clone, Debug, Deserialize)]
pub struct Attribution {
    pub doc: String,
    #[serde(default)]
    pub content: Vec<[usize; 2]>,
    #[serde(default)]
    pub source_text: String,
    #[serde(default)]
    pub direct: bool,
}

/// A gold direct quote: character offsets and the source as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldQuote {
    pub start: usize,
    pub end: usize,
    pub source: String,
}

/// A predicted quote, written by `--predictions` as one JSON line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PredictedQuote {
    pub doc: String,
    /// Character offsets `[start, end)` into the document.
    pub content: [usize; 2],
    pub speaker: Option<String>,
}

/// A PolNeAR-style dataset.
#[derive(Clone, Debug)]
pub struct QuoteDataset {
    pub dir: PathBuf,
    /// Document names, sorted.
    pub docs: Vec<String>,
    /// Gold direct quotes by document.
    pub gold: BTreeMap<String, Vec<GoldQuote>>,
}

impl QuoteDataset {
    /// Reads `DIR/attributions.jsonl` and lists `DIR/docs/*.txt`.
    pub fn open(dir: &Path) -> Result<Self> {
        let path = dir.join("attributions.jsonl");
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut gold: BTreeMap<String, Vec<GoldQuote>> = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let attribution: Attribution =
                serde_json::from_str(line).map_err(|e| Error::Parse {
                    path: path.display().to_string(),
                    line: index + 1,
                    message: e.to_string(),
                })?;
            if !attribution.direct || attribution.content.is_empty() {
                continue;
            }
            let start = attribution.content.iter().map(|c| c[0]).min().unwrap_or(0);
            let end = attribution.content.iter().map(|c| c[1]).max().unwrap_or(0);
            gold.entry(attribution.doc).or_default().push(GoldQuote {
                start,
                end,
                source: attribution.source_text,
            });
        }
        let docs_dir = dir.join("docs");
        let entries = std::fs::read_dir(&docs_dir).map_err(|source| Error::Io {
            path: docs_dir.display().to_string(),
            source,
        })?;
        let mut docs: Vec<String> = entries
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".txt").map(str::to_string)
            })
            .collect();
        docs.sort();
        Ok(Self {
            dir: dir.to_path_buf(),
            docs,
            gold,
        })
    }

    /// The text of a document.
    pub fn text(&self, doc: &str) -> Result<String> {
        let path = self.dir.join("docs").join(format!("{doc}.txt"));
        std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    }
}

/// Quote figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QuoteReport {
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Matched quotes whose gold source is not empty, and how many of those are right.
    pub speaker_total: usize,
    pub speaker_correct: usize,
    /// The same over gold sources that name someone.
    pub named_total: usize,
    pub named_correct: usize,
}

impl QuoteReport {
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speaker_correct, self.speaker_total)
    }
    pub fn named_speaker_accuracy(&self) -> f64 {
        ratio(self.named_correct, self.named_total)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").expect("valid regex"));

fn tokens(text: &str) -> HashSet<String> {
    TOKEN
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .collect()
}

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "their", "its", "me",
    "us",
];

/// Whether a gold source names someone: a capitalised word, not a bare pronoun.
pub fn names_someone(source: &str) -> bool {
    let trimmed = source.trim();
    !PRONOUNS.contains(&trimmed.to_lowercase().as_str())
        && trimmed
            .split_whitespace()
            .any(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    let start = a.0.max(b.0);
    let end = a.1.min(b.1);
    if end <= start {
        return false;
    }
    let shared = end - start;
    shared * 2 >= a.1 - a.0 && shared * 2 >= b.1 - b.0
}

/// Scores predictions against the gold quotes.
pub fn score(
    gold: &BTreeMap<String, Vec<GoldQuote>>,
    predictions: &[PredictedQuote],
) -> QuoteReport {
    let mut report = QuoteReport {
        gold: gold.values().map(Vec::len).sum(),
        predicted: predictions.len(),
        ..QuoteReport::default()
    };
    let mut by_doc: BTreeMap<&str, Vec<&PredictedQuote>> = BTreeMap::new();
    for prediction in predictions {
        by_doc
            .entry(prediction.doc.as_str())
            .or_default()
            .push(prediction);
    }
    for (doc, predicted) in by_doc {
        let Some(gold) = gold.get(doc) else { continue };
        let mut used = vec![false; gold.len()];
        for prediction in predicted {
            let span = (prediction.content[0], prediction.content[1]);
            let Some(hit) =
                (0..gold.len()).find(|&i| !used[i] && overlaps(span, (gold[i].start, gold[i].end)))
            else {
                continue;
            };
            used[hit] = true;
            report.matched += 1;
            let source = &gold[hit].source;
            if source.trim().is_empty() {
                continue;
            }
            let right = prediction
                .speaker
                .as_deref()
                .is_some_and(|speaker| !tokens(speaker).is_disjoint(&tokens(source)));
            report.speaker_total += 1;
            report.speaker_correct += usize::from(right);
            if names_someone(source) {
                report.named_total += 1;
                report.named_correct += usize::from(right);
            }
        }
    }
    report.precision = ratio(report.matched, report.predicted);
    report.recall = ratio(report.matched, report.gold);
    report.f1 = f1(report.precision, report.recall);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_by_hand() {
        let mut gold = BTreeMap::new();
        gold.insert(
            "d".to_string(),
            vec![
                GoldQuote {
                    start: 0,
                    end: 100,
                    source: "Dana Roe".into(),
                },
                GoldQuote {
                    start: 200,
                    end: 240,
                    source: "he".into(),
                },
                GoldQuote {
                    start: 300,
                    end: 320,
                    source: "".into(),
                },
            ],
        );
        let predictions = vec![
            // Overlaps 60 of 100 gold chars, and 60 of its own 70: a match.
            PredictedQuote {
                doc: "d".into(),
                content: [40, 110],
                speaker: Some("Roe".into()),
            },
            // Covers the gold quote but is three times longer: not a match.
            PredictedQuote {
                doc: "d".into(),
                content: [200, 330],
                speaker: Some("Kai".into()),
            },
            PredictedQuote {
                doc: "d".into(),
                content: [300, 318],
                speaker: None,
            },
        ];
        let report = score(&gold, &predictions);
        assert_eq!((report.gold, report.predicted, report.matched), (3, 3, 2));
        assert!((report.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((report.recall - 2.0 / 3.0).abs() < 1e-9);
        // The empty gold source is left out of speaker accuracy.
        assert_eq!((report.speaker_total, report.speaker_correct), (1, 1));
        assert_eq!((report.named_total, report.named_correct), (1, 1));
    }

    #[test]
    fn who_names_someone() {
        assert!(names_someone("Sanders campaign manager Jeff Weaver"));
        assert!(!names_someone("he"));
        assert!(!names_someone("the campaign"));
        assert!(!names_someone("She"));
    }
}
