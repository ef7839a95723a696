//! Near-duplicate detection on a labelled set built from a corpus: every article, the
//! copies its labels name, and deliberate edits of each article (re-wrapped,
//! re-headlined, trimmed, boilerplate added, copy-edited), plus a hard negative (another
//! article under the same opening sentence). Scored over all pairs: two items belong
//! together when they come from the same article or labelled copy group.
//!
//! The grouping under test is any function from texts to group numbers, so other
//! near-duplicate detectors can be scored the same way.

use serde::Serialize;
use std::collections::BTreeMap;

/// An article of the labelled corpus.
#[derive(Clone, Debug)]
pub struct Original {
    /// How reports name it (a path or URL).
    pub name: String,
    pub text: String,
    /// Articles with the same group are labelled copies of one another.
    pub group: usize,
}

/// One text of the set.
#[derive(Clone, Debug)]
pub struct Item {
    pub name: String,
    /// "original" or the edit that made it.
    pub edit: &'static str,
    pub text: String,
    /// The true group.
    pub group: usize,
    /// The original it was made from (its own index for originals).
    pub source: usize,
}

/// The edits applied to every article.
pub const EDITS: &[&str] = &[
    "rewrapped",
    "reheadlined",
    "trimmed",
    "shortened",
    "boilerplate",
    "copyedited",
];

/// Fewest words an article needs to take part (shorter ones are briefs).
pub const MIN_WORDS: usize = 80;

const BOILERPLATE: &[&str] = &[
    "Advertisement",
    "Sign up for our morning briefing: the day's top stories in your inbox before 7am. \
     You can unsubscribe at any time.",
    "© 2026 The Example Gazette Ltd. All rights reserved. This material may not be \
     published, broadcast, rewritten or redistributed.",
    "Related coverage: More from our correspondents | Most read this week | Share this \
     article on social media",
];

fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// The text with one edit applied.
pub fn edit(text: &str, edit: &str) -> String {
    match edit {
        // Hard line breaks every nine words, paragraph breaks gone.
        "rewrapped" => words(text)
            .chunks(9)
            .map(|line| line.join(" "))
            .collect::<Vec<_>>()
            .join("\n"),
        // A different headline line on top.
        "reheadlined" => {
            let all = words(text);
            let tail: Vec<&str> = all.iter().rev().take(7).rev().copied().collect();
            format!("Update: {}\n\n{text}", tail.join(" "))
        }
        // The last two fifths cut, as wire copy is trimmed to fit.
        "trimmed" => {
            let parts = paragraphs(text);
            if parts.len() >= 3 {
                let keep = (parts.len() * 3).div_ceil(5);
                parts[..keep].join("\n\n")
            } else {
                let all = words(text);
                all[..(all.len() * 3).div_ceil(5)].join(" ")
            }
        }
        // Only the first third kept: a brief made from the story.
        "shortened" => {
            let all = words(text);
            all[..all.len().div_ceil(3)].join(" ")
        }
        "boilerplate" => format!(
            "{}\n\n{text}\n\n{}",
            BOILERPLATE[0],
            BOILERPLATE[1..].join("\n\n")
        ),
        // A copy desk's touch: one word in sixty dropped, one in forty changed.
        "copyedited" => words(text)
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 60 != 59)
            .map(|(i, w)| if i % 40 == 39 { "also" } else { w })
            .collect::<Vec<_>>()
            .join(" "),
        _ => text.to_string(),
    }
}

/// The labelled set: each original, its edits, and a hard negative per original (its
/// opening sentence on top of the next original's text, which is a copy of that next
/// original, not of this one).
pub fn build(originals: &[Original]) -> Vec<Item> {
    let usable: Vec<&Original> = originals
        .iter()
        .filter(|o| words(&o.text).len() >= MIN_WORDS)
        .collect();
    let mut items = Vec::new();
    for (index, original) in usable.iter().enumerate() {
        let source = items.len();
        items.push(Item {
            name: original.name.clone(),
            edit: "original",
            text: original.text.clone(),
            group: original.group,
            source,
        });
        for &name in EDITS {
            items.push(Item {
                name: format!("{} ({name})", original.name),
                edit: name,
                text: edit(&original.text, name),
                group: original.group,
                source,
            });
        }
        let next = usable[(index + 1) % usable.len()];
        if next.group != original.group {
            let opening: Vec<&str> = words(&original.text).into_iter().take(25).collect();
            items.push(Item {
                name: format!("{} (opening of {})", next.name, original.name),
                edit: "shared opening",
                text: format!("{}\n\n{}", opening.join(" "), next.text),
                group: next.group,
                source,
            });
        }
    }
    items
}

/// Pair figures of a grouping.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    pub items: usize,
    pub true_pairs: usize,
    pub predicted_pairs: usize,
    pub correct_pairs: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Per edit: (found together with their original, total).
    pub by_edit: BTreeMap<String, (usize, usize)>,
    /// Hard negatives kept apart from the article whose opening they share.
    pub shared_opening_apart: (usize, usize),
    /// Pairs grouped that should not be.
    pub wrong: Vec<(String, String)>,
    /// Pairs of a labelled copy group kept apart.
    pub missed_labelled: Vec<(String, String)>,
}

/// Scores predicted groups (one per item) against the set.
pub fn score(items: &[Item], predicted: &[usize]) -> Report {
    let mut report = Report {
        items: items.len(),
        ..Report::default()
    };
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            let truth = items[i].group == items[j].group;
            let guess = predicted[i] == predicted[j];
            report.true_pairs += usize::from(truth);
            report.predicted_pairs += usize::from(guess);
            report.correct_pairs += usize::from(truth && guess);
            if guess && !truth {
                report
                    .wrong
                    .push((items[i].name.clone(), items[j].name.clone()));
            }
            if truth && !guess && items[i].edit == "original" && items[j].edit == "original" {
                report
                    .missed_labelled
                    .push((items[i].name.clone(), items[j].name.clone()));
            }
        }
    }
    for (index, item) in items.iter().enumerate() {
        let together = predicted[index] == predicted[item.source];
        if item.edit == "shared opening" {
            report.shared_opening_apart.1 += 1;
            report.shared_opening_apart.0 += usize::from(!together);
        } else if item.edit != "original" {
            let entry = report.by_edit.entry(item.edit.to_string()).or_default();
            entry.1 += 1;
            entry.0 += usize::from(together);
        }
    }
    report.precision = report.correct_pairs as f64 / report.predicted_pairs.max(1) as f64;
    report.recall = report.correct_pairs as f64 / report.true_pairs.max(1) as f64;
    report.f1 = if report.precision + report.recall > 0.0 {
        2.0 * report.precision * report.recall / (report.precision + report.recall)
    } else {
        0.0
    };
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(seed: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{seed}{i}"))
            .collect::<Vec<_>>()
            .chunks(30)
            .map(|p| p.join(" "))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn perfect_and_lumped_groupings() {
        let originals = vec![
            Original {
                name: "a".into(),
                text: article("alpha", 120),
                group: 0,
            },
            Original {
                name: "b".into(),
                text: article("beta", 120),
                group: 1,
            },
            Original {
                name: "short".into(),
                text: "too short".into(),
                group: 2,
            },
        ];
        let items = build(&originals);
        // Two originals, six edits each, one hard negative each.
        assert_eq!(items.len(), 16);
        let truth: Vec<usize> = items.iter().map(|i| i.group).collect();
        let perfect = score(&items, &truth);
        assert!((perfect.precision - 1.0).abs() < 1e-9);
        assert!((perfect.recall - 1.0).abs() < 1e-9);
        assert_eq!(perfect.shared_opening_apart, (2, 2));
        let lumped = score(&items, &vec![0; items.len()]);
        assert!(lumped.precision < 0.6);
        assert!((lumped.recall - 1.0).abs() < 1e-9);
        assert_eq!(lumped.shared_opening_apart, (0, 2));
    }

    #[test]
    fn edits_change_the_text() {
        let text = article("w", 100);
        for &name in EDITS {
            assert_ne!(edit(&text, name), text, "{name}");
        }
        assert!(edit(&text, "trimmed").len() < text.len());
    }
}
