//! Each outlet's template, learned across its documents: paragraphs that recur in many
//! articles of the same site are site furniture, not news.
//!
//! Counting every paragraph of every article would grow without bound, so each outlet
//! keeps a fixed number of counters (the Space-Saving heavy-hitters algorithm): a
//! paragraph printed in a large share of the outlet's articles always keeps a counter,
//! and each counter carries the most it may have over-counted, so decisions use a
//! guaranteed lower bound. Thresholds are deliberately safe: a paragraph must be seen
//! in at least three articles and in a large share of the outlet's articles, and a
//! paragraph that reports speech needs far more before it counts as template, so a
//! quote that several follow-up stories repeat stays.

use crate::boilerplate::normalise;
use chronicle_model::{Article, Removal, RemovalReason};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Counters per outlet.
const CAPACITY: usize = 512;
/// Fewest articles a template paragraph must appear in.
const MIN_ARTICLES: u32 = 3;
/// Share of an outlet's articles a template paragraph must appear in, in percent.
const MIN_SHARE_PERCENT: u32 = 40;
/// The same for a paragraph that reports speech.
const MIN_QUOTE_ARTICLES: u32 = 6;
const MIN_QUOTE_SHARE_PERCENT: u32 = 80;

/// The learned templates of every outlet seen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutletTemplates {
    outlets: BTreeMap<String, Outlet>,
}

/// Counters of one outlet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outlet {
    /// Articles observed.
    pub articles: u32,
    counters: Vec<Counter>,
    #[serde(skip)]
    index: HashMap<u64, usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Counter {
    hash: u64,
    count: u32,
    /// How much `count` may exceed the true count.
    error: u32,
}

impl Outlet {
    fn rebuild_index(&mut self) {
        self.index = self
            .counters
            .iter()
            .enumerate()
            .map(|(i, c)| (c.hash, i))
            .collect();
    }

    fn observe(&mut self, hash: u64) {
        if self.index.len() != self.counters.len() {
            self.rebuild_index();
        }
        if let Some(&slot) = self.index.get(&hash) {
            self.counters[slot].count += 1;
            return;
        }
        if self.counters.len() < CAPACITY {
            self.index.insert(hash, self.counters.len());
            self.counters.push(Counter {
                hash,
                count: 1,
                error: 0,
            });
            return;
        }
        // Replace the smallest counter; the newcomer inherits its count as possible error.
        let (slot, smallest) = self
            .counters
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| c.count)
            .map(|(i, c)| (i, *c))
            .unwrap_or((
                0,
                Counter {
                    hash,
                    count: 0,
                    error: 0,
                },
            ));
        self.index.remove(&smallest.hash);
        self.index.insert(hash, slot);
        self.counters[slot] = Counter {
            hash,
            count: smallest.count + 1,
            error: smallest.count,
        };
    }

    /// The fewest articles the paragraph is certainly in.
    fn guaranteed(&self, hash: u64) -> u32 {
        if self.index.len() == self.counters.len() {
            return self.index.get(&hash).map_or(0, |&slot| {
                let counter = self.counters[slot];
                counter.count - counter.error
            });
        }
        self.counters
            .iter()
            .find(|c| c.hash == hash)
            .map_or(0, |c| c.count - c.error)
    }
}

impl OutletTemplates {
    /// The key an article's outlet is known by: its outlet's name, which is the same
    /// whether the article came as a page, a feed item or scraped text, else its domain.
    pub fn key(article: &Article) -> Option<String> {
        article
            .outlet
            .as_ref()
            .map(|o| o.trim().to_lowercase())
            .filter(|k| !k.is_empty())
            .or_else(|| article.domain.clone())
            .filter(|k| !k.is_empty())
    }

    /// Counts the article's distinct paragraphs for its outlet.
    pub fn observe(&mut self, article: &Article) {
        let Some(key) = Self::key(article) else {
            return;
        };
        let outlet = self.outlets.entry(key).or_default();
        outlet.articles += 1;
        let mut seen = HashSet::new();
        for paragraph in article.paragraphs() {
            let hash = paragraph_hash(paragraph);
            if seen.insert(hash) {
                outlet.observe(hash);
            }
        }
    }

    /// Whether a paragraph is part of the outlet's template.
    pub fn is_template(&self, key: &str, paragraph: &str) -> bool {
        let Some(outlet) = self.outlets.get(key) else {
            return false;
        };
        let seen_in = outlet.guaranteed(paragraph_hash(paragraph));
        let (min_articles, min_share) = if reports_speech(paragraph) {
            (MIN_QUOTE_ARTICLES, MIN_QUOTE_SHARE_PERCENT)
        } else {
            (MIN_ARTICLES, MIN_SHARE_PERCENT)
        };
        seen_in >= min_articles && seen_in * 100 >= min_share * outlet.articles
    }

    /// Removes the template paragraphs from an article; returns how many went.
    pub fn apply(&self, article: &mut Article) -> usize {
        let Some(key) = Self::key(article) else {
            return 0;
        };
        let mut removed = Vec::new();
        let kept: Vec<&str> = article
            .paragraphs()
            .filter(|paragraph| {
                let template = self.is_template(&key, paragraph);
                if template {
                    removed.push(Removal {
                        reason: RemovalReason::OutletTemplate,
                        text: (*paragraph).to_string(),
                    });
                }
                !template
            })
            .collect();
        if removed.is_empty() {
            return 0;
        }
        article.text = kept.join("\n\n");
        let count = removed.len();
        article.removed.extend(removed);
        count
    }

    /// Number of articles observed for an outlet.
    pub fn articles(&self, key: &str) -> u32 {
        self.outlets.get(key).map_or(0, |o| o.articles)
    }

    /// The outlets known, by key.
    pub fn outlets(&self) -> impl Iterator<Item = (&str, &Outlet)> {
        self.outlets.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Adds an outlet's counters read back from storage.
    pub fn insert(&mut self, key: String, mut outlet: Outlet) {
        outlet.rebuild_index();
        self.outlets.insert(key, outlet);
    }
}

/// A stable 64-bit hash of a paragraph's normalised text (FNV-1a, so that stored
/// counters stay valid across builds and platforms).
pub fn paragraph_hash(paragraph: &str) -> u64 {
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for byte in bytes {
                self.0 ^= u64::from(*byte);
                self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    normalise(paragraph).as_bytes().hash(&mut hasher);
    hasher.finish()
}

fn reports_speech(paragraph: &str) -> bool {
    let quoted =
        paragraph.contains(['“', '”', '«', '»', '„']) || paragraph.matches('"').count() >= 2;
    let lower = paragraph.to_lowercase();
    quoted
        || [
            " said",
            " says",
            " told",
            "according to",
            " added",
            " stated",
        ]
        .iter()
        .any(|verb| lower.contains(verb))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(domain: &str, paragraphs: &[&str]) -> Article {
        Article {
            domain: Some(domain.into()),
            text: paragraphs.join("\n\n"),
            ..Article::default()
        }
    }

    #[test]
    fn learns_recurring_paragraphs_per_outlet() {
        let mut templates = OutletTemplates::default();
        for i in 0..5 {
            let story = format!("Story number {i} happened today.");
            templates.observe(&article("ledger.example", &["For members only", &story]));
        }
        templates.observe(&article("other.example", &["For members only"]));
        let mut fresh = article("ledger.example", &["For members only", "A new story."]);
        assert_eq!(templates.apply(&mut fresh), 1);
        assert_eq!(fresh.text, "A new story.");
        let mut elsewhere = article("other.example", &["For members only", "Text."]);
        assert_eq!(templates.apply(&mut elsewhere), 0);
    }

    #[test]
    fn a_quote_repeated_in_a_few_follow_ups_stays() {
        let mut templates = OutletTemplates::default();
        let quote = "“We did not choose this fight,” the union president said.";
        for i in 0..4 {
            let story = format!("Update {i}.");
            templates.observe(&article("ledger.example", &[quote, &story]));
        }
        assert!(!templates.is_template("ledger.example", quote));
        assert!(!templates.is_template("ledger.example", "Update 0."));
    }

    #[test]
    fn counters_stay_bounded_and_keep_heavy_hitters() {
        let mut templates = OutletTemplates::default();
        for i in 0..2000 {
            let unique = format!("Unique paragraph {i}.");
            templates.observe(&article("big.example", &["Menu line here", &unique]));
        }
        let (_, outlet) = templates.outlets().next().unwrap();
        assert!(outlet.counters.len() <= CAPACITY);
        assert!(templates.is_template("big.example", "Menu line here"));
        assert!(!templates.is_template("big.example", "Unique paragraph 1999."));
    }
}
