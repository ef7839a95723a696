//! Event clustering: documents labelled with their gold event, scored with BCubed
//! precision, recall and F1 over documents.

use crate::{Error, Result, f1};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// One labelled document (`events/*.jsonl` layout).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDoc {
    pub id: String,
    #[serde(default)]
    pub topic: Option<u64>,
    pub event: String,
    #[serde(default)]
    pub url: Option<String>,
    pub text: String,
}

/// Reads a JSON-lines file of labelled documents.
pub fn read(path: &Path) -> Result<Vec<EventDoc>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut docs = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let doc: EventDoc = serde_json::from_str(line).map_err(|e| Error::Parse {
            path: path.display().to_string(),
            line: index + 1,
            message: e.to_string(),
        })?;
        docs.push(doc);
    }
    Ok(docs)
}

/// BCubed scores and cluster counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    pub documents: usize,
    pub gold_clusters: usize,
    pub predicted_clusters: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// BCubed over documents: `gold[i]` and `predicted[i]` are document i's clusters.
pub fn bcubed<G: Eq + std::hash::Hash, P: Eq + std::hash::Hash>(
    gold: &[G],
    predicted: &[P],
) -> Report {
    assert_eq!(gold.len(), predicted.len(), "one prediction per document");
    let n = gold.len();
    let mut gold_size: HashMap<&G, usize> = HashMap::new();
    let mut predicted_size: HashMap<&P, usize> = HashMap::new();
    let mut both: HashMap<(&G, &P), usize> = HashMap::new();
    for (g, p) in gold.iter().zip(predicted) {
        *gold_size.entry(g).or_default() += 1;
        *predicted_size.entry(p).or_default() += 1;
        *both.entry((g, p)).or_default() += 1;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for (g, p) in gold.iter().zip(predicted) {
        let shared = both[&(g, p)] as f64;
        precision += shared / predicted_size[p] as f64;
        recall += shared / gold_size[g] as f64;
    }
    let (precision, recall) = if n == 0 {
        (0.0, 0.0)
    } else {
        (precision / n as f64, recall / n as f64)
    };
    Report {
        documents: n,
        gold_clusters: gold_size.len(),
        predicted_clusters: predicted_size.len(),
        precision,
        recall,
        f1: f1(precision, recall),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcubed_matches_hand_computed_values() {
        // Gold {a,b,c} {d}; predicted {a,b} {c,d}.
        let gold = ["x", "x", "x", "y"];
        let predicted = [1, 1, 2, 2];
        let report = bcubed(&gold, &predicted);
        // Precision: a 1, b 1, c 1/2, d 1/2 → 0.75. Recall: a 2/3, b 2/3, c 1/3, d 1 → 2/3.
        assert!((report.precision - 0.75).abs() < 1e-9);
        assert!((report.recall - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!((report.gold_clusters, report.predicted_clusters), (2, 2));
        let perfect = bcubed(&gold, &["p", "p", "p", "q"]);
        assert!((perfect.f1 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_bad_line_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"event\":\"e\",\"text\":\"t\"}\nnot json\n",
        )
        .unwrap();
        let error = read(&path).unwrap_err().to_string();
        assert!(error.contains("events.jsonl:2"), "{error}");
    }
}
