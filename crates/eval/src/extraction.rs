//! Article-extraction metrics: body shingles, snippets and metadata.
//!
//! Body: both texts are split into tokens (runs of word characters, case kept); every
//! window of four consecutive tokens is a shingle (a shorter text is one shorter
//! shingle). The two multisets are compared per page; precision and recall are averaged
//! over the pages where they are defined, and F1 is the harmonic mean of the averages.
//!
//! Snippets: whitespace-normalised substrings that must (`with`) or must not
//! (`without`) appear in the extraction, counted over all pages.

use crate::{Error, Result, f1};
use rayon::prelude::*;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// One line of a dataset's `truth.jsonl`. `None` means "no gold value".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub with: Option<Vec<String>>,
    #[serde(default)]
    pub without: Option<Vec<String>>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// What an extractor made of one page; written by `--predictions` as one JSON line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prediction {
    pub id: String,
    pub body: Option<String>,
    pub title: Option<String>,
    /// Several authors joined with `"; "`.
    pub author: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// A dataset folder: `truth.jsonl` and `pages/<id>.html`.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub dir: PathBuf,
    pub truth: Vec<Truth>,
}

impl Dataset {
    /// Reads `DIR/truth.jsonl`.
    pub fn open(dir: &Path) -> Result<Self> {
        let path = dir.join("truth.jsonl");
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut truth = Vec::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let record: Truth = serde_json::from_str(line).map_err(|error| Error::Parse {
                path: path.display().to_string(),
                line: index + 1,
                message: error.to_string(),
            })?;
            truth.push(record);
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            truth,
        })
    }

    /// The page file of a record.
    pub fn page_path(&self, id: &str) -> PathBuf {
        self.dir.join("pages").join(format!("{id}.html"))
    }

    /// Runs `extract` on every page in parallel (in dataset order) and returns the
    /// predictions. A page that cannot be read is predicted empty.
    pub fn predict<F>(&self, extract: F) -> Vec<Prediction>
    where
        F: Fn(&Truth, &[u8]) -> Prediction + Sync,
    {
        self.truth
            .par_iter()
            .map(|truth| match std::fs::read(self.page_path(&truth.id)) {
                Ok(bytes) => {
                    let mut prediction = extract(truth, &bytes);
                    prediction.id.clone_from(&truth.id);
                    prediction
                }
                Err(_) => Prediction {
                    id: truth.id.clone(),
                    ..Prediction::default()
                },
            })
            .collect()
    }
}

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").expect("valid regex"));

/// Tokens of a text: runs of word characters, case kept.
pub fn tokens(text: &str) -> Vec<&str> {
    WORD.find_iter(text).map(|m| m.as_str()).collect()
}

fn shingles<'a>(tokens: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    if tokens.len() < 4 {
        *counts.entry(tokens.to_vec()).or_insert(0) += 1;
        return counts;
    }
    for window in tokens.windows(4) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Body scores of one page; `None` where undefined.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageScore {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    /// Whether the token lists are equal.
    pub exact: bool,
}

/// Scores one predicted body against its gold body.
pub fn body_page_score(predicted: &str, gold: &str) -> PageScore {
    let predicted_tokens = tokens(predicted);
    let gold_tokens = tokens(gold);
    let exact = predicted_tokens == gold_tokens;
    let predicted_shingles = shingles(&predicted_tokens);
    let gold_shingles = shingles(&gold_tokens);
    let predicted_total: usize = predicted_shingles.values().sum();
    let gold_total: usize = gold_shingles.values().sum();
    if predicted_total == 0 && gold_total == 0 {
        return PageScore {
            precision: Some(1.0),
            recall: Some(1.0),
            exact,
        };
    }
    let true_positives: usize = predicted_shingles
        .iter()
        .map(|(shingle, count)| (*count).min(gold_shingles.get(shingle).copied().unwrap_or(0)))
        .sum();
    let ratio = |part: usize, whole: usize| (whole > 0).then(|| part as f64 / whole as f64);
    PageScore {
        precision: ratio(true_positives, predicted_total),
        recall: ratio(true_positives, gold_total),
        exact,
    }
}

/// Body scores over a dataset.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BodyScore {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Share of pages whose token lists are exactly equal.
    pub accuracy: f64,
    /// Bootstrap standard deviation of the F1 over pages.
    pub f1_std: f64,
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count == 0 { 0.0 } else { sum / count as f64 }
}

fn aggregate(pages: &[PageScore]) -> (f64, f64, f64) {
    let precision = mean(pages.iter().filter_map(|p| p.precision));
    let recall = mean(pages.iter().filter_map(|p| p.recall));
    (precision, recall, f1(precision, recall))
}

/// Aggregates page scores; the standard deviation comes from 500 bootstrap resamples
/// with a fixed seed, so the figure is reproducible.
pub fn body_score(pages: &[PageScore]) -> BodyScore {
    let (precision, recall, f1_value) = aggregate(pages);
    let accuracy = mean(pages.iter().map(|p| if p.exact { 1.0 } else { 0.0 }));
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut samples = Vec::with_capacity(500);
    if !pages.is_empty() {
        for _ in 0..500 {
            let resample: Vec<PageScore> = (0..pages.len())
                .map(|_| pages[(next() % pages.len() as u64) as usize])
                .collect();
            samples.push(aggregate(&resample).2);
        }
    }
    let sample_mean = mean(samples.iter().copied());
    let variance = mean(samples.iter().map(|s| (s - sample_mean).powi(2)));
    BodyScore {
        pages: pages.len(),
        precision,
        recall,
        f1: f1_value,
        accuracy,
        f1_std: variance.sqrt(),
    }
}

/// Snippet counts summed over pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SnippetCounts {
    pub true_positives: usize,
    pub false_negatives: usize,
    pub false_positives: usize,
    pub true_negatives: usize,
}

impl SnippetCounts {
    pub fn precision(&self) -> f64 {
        let found = self.true_positives + self.false_positives;
        if found == 0 {
            0.0
        } else {
            self.true_positives as f64 / found as f64
        }
    }
    pub fn recall(&self) -> f64 {
        let wanted = self.true_positives + self.false_negatives;
        if wanted == 0 {
            0.0
        } else {
            self.true_positives as f64 / wanted as f64
        }
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    pub fn accuracy(&self) -> f64 {
        let all =
            self.true_positives + self.false_negatives + self.false_positives + self.true_negatives;
        if all == 0 {
            0.0
        } else {
            (self.true_positives + self.true_negatives) as f64 / all as f64
        }
    }
    fn add(&mut self, other: Self) {
        self.true_positives += other.true_positives;
        self.false_negatives += other.false_negatives;
        self.false_positives += other.false_positives;
        self.true_negatives += other.true_negatives;
    }
}

fn normalise_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Counts the snippets of one page in an extraction.
pub fn snippet_counts(extracted: &str, with: &[String], without: &[String]) -> SnippetCounts {
    let extracted = normalise_whitespace(extracted);
    let present = |snippet: &String| extracted.contains(&normalise_whitespace(snippet));
    let mut counts = SnippetCounts::default();
    for snippet in with {
        if present(snippet) {
            counts.true_positives += 1;
        } else {
            counts.false_negatives += 1;
        }
    }
    for snippet in without {
        if present(snippet) {
            counts.false_positives += 1;
        } else {
            counts.true_negatives += 1;
        }
    }
    counts
}

/// Exact-match accuracy of one metadata field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FieldAccuracy {
    pub correct: usize,
    pub total: usize,
}

impl FieldAccuracy {
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
    fn observe(&mut self, gold: Option<&str>, predicted: Option<&str>) {
        let Some(gold) = gold else { return };
        self.total += 1;
        if predicted.is_some_and(|p| p.trim() == gold.trim()) {
            self.correct += 1;
        }
    }
}

/// All extraction figures for one dataset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub pages: usize,
    /// Pages for which the extractor returned no body at all.
    pub empty: usize,
    pub body: Option<BodyScore>,
    pub snippets: Option<SnippetCounts>,
    pub title: FieldAccuracy,
    pub author: FieldAccuracy,
    pub date: FieldAccuracy,
}

/// Scores predictions (matched by id) against the truth.
pub fn score(truth: &[Truth], predictions: &[Prediction]) -> Report {
    let by_id: HashMap<&str, &Prediction> =
        predictions.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut pages = Vec::new();
    let mut snippets: Option<SnippetCounts> = None;
    let mut title = FieldAccuracy::default();
    let mut author = FieldAccuracy::default();
    let mut date = FieldAccuracy::default();
    let mut empty = 0;
    for gold in truth {
        let predicted = by_id.get(gold.id.as_str()).copied();
        let body = predicted.and_then(|p| p.body.as_deref()).unwrap_or("");
        if body.trim().is_empty() {
            empty += 1;
        }
        if let Some(gold_body) = &gold.body {
            pages.push(body_page_score(body, gold_body));
        }
        if gold.with.is_some() || gold.without.is_some() {
            let counts = snippet_counts(
                body,
                gold.with.as_deref().unwrap_or_default(),
                gold.without.as_deref().unwrap_or_default(),
            );
            snippets
                .get_or_insert_with(SnippetCounts::default)
                .add(counts);
        }
        title.observe(
            gold.title.as_deref(),
            predicted.and_then(|p| p.title.as_deref()),
        );
        author.observe(
            gold.author.as_deref(),
            predicted.and_then(|p| p.author.as_deref()),
        );
        date.observe(
            gold.date.as_deref(),
            predicted.and_then(|p| p.date.as_deref()),
        );
    }
    Report {
        pages: truth.len(),
        empty,
        body: (!pages.is_empty()).then(|| body_score(&pages)),
        snippets,
        title,
        author,
        date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn identical_texts_score_one() {
        let page = body_page_score("One two three four five.", "One two three four five");
        assert!(close(page.precision, 1.0) && close(page.recall, 1.0) && page.exact);
    }

    #[test]
    fn shingle_counts_by_hand() {
        // Gold: a b c d e -> shingles abcd, bcde. Predicted: a b c d x -> abcd, bcdx.
        let page = body_page_score("a b c d x", "a b c d e");
        assert!(close(page.precision, 0.5));
        assert!(close(page.recall, 0.5));
        // Predicted has one extra word at the end: abcd bcde cdef; gold abcd bcde.
        let page = body_page_score("a b c d e f", "a b c d e");
        assert!(close(page.precision, 2.0 / 3.0));
        assert!(close(page.recall, 1.0));
        assert!(!page.exact);
    }

    #[test]
    fn repeated_shingles_are_a_multiset() {
        // Predicted repeats the text: 2x abcd, bcda, cdab, dabc; gold only abcd once.
        let page = body_page_score("a b c d a b c d", "a b c d");
        assert!(close(page.precision, 1.0 / 5.0));
        assert!(close(page.recall, 1.0));
    }

    #[test]
    fn short_texts_are_one_shingle_and_case_matters() {
        assert!(close(
            body_page_score("Hello world", "Hello world").precision,
            1.0
        ));
        assert!(close(
            body_page_score("hello world", "Hello world").precision,
            0.0
        ));
    }

    #[test]
    fn empty_cases() {
        let both = body_page_score("", "");
        assert_eq!((both.precision, both.recall), (Some(1.0), Some(1.0)));
        let missing = body_page_score("", "a b c d e");
        assert_eq!(missing.precision, None);
        assert_eq!(missing.recall, Some(0.0));
        let spurious = body_page_score("a b c d e", "");
        assert_eq!(spurious.precision, Some(0.0));
        assert_eq!(spurious.recall, None);
    }

    #[test]
    fn dataset_means_skip_undefined_pages() {
        let pages = [
            body_page_score("a b c d x", "a b c d e"), // p 0.5, r 0.5
            body_page_score("", "a b c d e"),          // p -, r 0
        ];
        let score = body_score(&pages);
        assert!((score.precision - 0.5).abs() < 1e-9);
        assert!((score.recall - 0.25).abs() < 1e-9);
        assert!((score.f1 - 2.0 * 0.5 * 0.25 / 0.75).abs() < 1e-9);
        assert!((score.accuracy - 0.0).abs() < 1e-9);
    }

    #[test]
    fn snippets_by_hand() {
        let with = vec!["quick  brown".to_string(), "lazy cat".to_string()];
        let without = vec!["Subscribe now".to_string(), "Cookie".to_string()];
        let counts = snippet_counts("The quick\nbrown fox. Subscribe now!", &with, &without);
        assert_eq!(
            counts,
            SnippetCounts {
                true_positives: 1,
                false_negatives: 1,
                false_positives: 1,
                true_negatives: 1
            }
        );
        assert!((counts.precision() - 0.5).abs() < 1e-9);
        assert!((counts.recall() - 0.5).abs() < 1e-9);
        assert!((counts.accuracy() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn report_matches_by_id_and_skips_null_fields() {
        let truth = vec![
            Truth {
                id: "a".into(),
                title: Some("Headline".into()),
                date: Some("2020-01-02".into()),
                body: Some("w x y z".into()),
                ..Truth::default()
            },
            Truth {
                id: "b".into(),
                author: Some("Ann Roe; Bo Li".into()),
                with: Some(vec!["kept".into()]),
                ..Truth::default()
            },
        ];
        let predictions = vec![
            Prediction {
                id: "b".into(),
                body: Some("kept text".into()),
                author: Some("Ann Roe; Bo Li".into()),
                ..Prediction::default()
            },
            Prediction {
                id: "a".into(),
                body: Some("w x y z".into()),
                title: Some(" Headline ".into()),
                date: Some("2020-01-03".into()),
                ..Prediction::default()
            },
        ];
        let report = score(&truth, &predictions);
        assert_eq!(
            report.title,
            FieldAccuracy {
                correct: 1,
                total: 1
            }
        );
        assert_eq!(
            report.author,
            FieldAccuracy {
                correct: 1,
                total: 1
            }
        );
        assert_eq!(
            report.date,
            FieldAccuracy {
                correct: 0,
                total: 1
            }
        );
        assert_eq!(report.body.map(|b| b.pages), Some(1));
        assert_eq!(report.snippets.map(|s| s.true_positives), Some(1));
    }
}
