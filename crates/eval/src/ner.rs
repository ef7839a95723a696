//! Named-entity metrics on CoNLL-style files (`word TAG` per line, a blank line between
//! sentences, IOB2 tags), conlleval style: an entity is a maximal `B-X I-X*` run, and a
//! predicted entity is correct only if its type and both boundaries equal a gold one.

use crate::{Error, Result, f1};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// One sentence: its words and gold tags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// Reads a CoNLL file. `-DOCSTART-` lines are document separators, not words.
pub fn read(path: &Path) -> Result<Vec<Sentence>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut sentences = Vec::new();
    let mut current = Sentence::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            if !current.words.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        let mut columns = line.split_whitespace();
        let (Some(word), Some(tag)) = (columns.next(), columns.last()) else {
            return Err(Error::Parse {
                path: path.display().to_string(),
                line: index + 1,
                message: "expected `word TAG`".into(),
            });
        };
        if word == "-DOCSTART-" {
            continue;
        }
        current.words.push(word.to_string());
        current.tags.push(tag.to_string());
    }
    if !current.words.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

/// Entities of a tag sequence as (type, start, end) word ranges.
pub fn entities(tags: &[String]) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for (index, tag) in tags.iter().enumerate() {
        let (prefix, kind) = tag.split_once('-').unwrap_or((tag.as_str(), ""));
        let continues = prefix == "I" && current.as_ref().is_some_and(|(k, _)| k == kind);
        if !continues {
            if let Some((kind, start)) = current.take() {
                found.push((kind, start, index));
            }
            if prefix == "B" || prefix == "I" {
                current = Some((kind.to_string(), index));
            }
        }
    }
    if let Some((kind, start)) = current {
        found.push((kind, start, tags.len()));
    }
    found
}

/// Precision, recall and F1 of one type, or of all.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TypeScore {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl TypeScore {
    fn finish(&mut self) {
        self.precision = if self.predicted == 0 {
            0.0
        } else {
            self.correct as f64 / self.predicted as f64
        };
        self.recall = if self.gold == 0 {
            0.0
        } else {
            self.correct as f64 / self.gold as f64
        };
        self.f1 = f1(self.precision, self.recall);
    }
}

/// Scores per type and overall (micro-averaged).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NerReport {
    pub overall: TypeScore,
    pub types: BTreeMap<String, TypeScore>,
}

/// Scores predicted tags against gold tags, sentence by sentence.
pub fn score(gold: &[Sentence], predicted: &[Vec<String>]) -> NerReport {
    let mut report = NerReport::default();
    for (sentence, predicted) in gold.iter().zip(predicted) {
        let gold_entities: HashSet<(String, usize, usize)> =
            entities(&sentence.tags).into_iter().collect();
        let predicted_entities: HashSet<(String, usize, usize)> =
            entities(predicted).into_iter().collect();
        for (kind, _, _) in &gold_entities {
            report.types.entry(kind.clone()).or_default().gold += 1;
            report.overall.gold += 1;
        }
        for entity in &predicted_entities {
            let score = report.types.entry(entity.0.clone()).or_default();
            score.predicted += 1;
            report.overall.predicted += 1;
            if gold_entities.contains(entity) {
                score.correct += 1;
                report.overall.correct += 1;
            }
        }
    }
    report.overall.finish();
    for score in report.types.values_mut() {
        score.finish();
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn entities_are_maximal_runs() {
        assert_eq!(
            entities(&tags("B-PER I-PER O B-LOC B-LOC I-ORG O")),
            [
                ("PER".into(), 0, 2),
                ("LOC".into(), 3, 4),
                ("LOC".into(), 4, 5),
                ("ORG".into(), 5, 6)
            ]
        );
    }

    #[test]
    fn scores_by_hand() {
        let gold = vec![Sentence {
            words: tags("Dana Roe visited Halifax Port Authority"),
            tags: tags("B-PER I-PER O B-ORG I-ORG I-ORG"),
        }];
        // Person right; organisation boundary wrong (only "Halifax"), as LOC.
        let predicted = vec![tags("B-PER I-PER O B-LOC O O")];
        let report = score(&gold, &predicted);
        assert_eq!(
            (
                report.overall.gold,
                report.overall.predicted,
                report.overall.correct
            ),
            (2, 2, 1)
        );
        assert!((report.overall.f1 - 0.5).abs() < 1e-9);
        assert_eq!(report.types["PER"].correct, 1);
        assert_eq!(report.types["LOC"].predicted, 1);
        assert_eq!(report.types["ORG"].gold, 1);
    }
}
