//! The terms of an article: lowercased words without stopwords, those of the headline
//! and lead counted twice, and which of them are names or figures (capitalised inside a
//! sentence, or holding a digit), the words most specific to one happening.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Words of the lead (after the title) whose terms count more.
pub const LEAD_WORDS: usize = 60;
/// How much more the title's and the lead's terms count.
pub const LEAD_WEIGHT: f32 = 2.0;
/// Words of the text (after the title) that, with the title, make its head: the names
/// and figures there say whom and what the report is about.
pub const HEAD_WORDS: usize = 30;

/// A document's terms with their (lead-weighted) counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocTerms {
    /// Term and weighted count, sorted by term.
    pub counts: Vec<(String, f32)>,
    /// Whether each term (same order) was seen as a name or a figure.
    pub named: Vec<bool>,
    /// Whether each term (same order) was seen in the head: the title and the first
    /// [`HEAD_WORDS`] words of the text. Empty for terms counted before heads were.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<bool>,
}

impl DocTerms {
    /// The terms of an article: its title (if any) and its text.
    pub fn of(title: Option<&str>, text: &str) -> Self {
        Self::weighted(title, text, LEAD_WORDS, LEAD_WEIGHT)
    }

    /// The terms of an article, the title's and the first `lead_words` words' counted
    /// `lead_weight` times.
    pub fn weighted(title: Option<&str>, text: &str, lead_words: usize, lead_weight: f32) -> Self {
        let mut counts: BTreeMap<String, (f32, bool, bool)> = BTreeMap::new();
        let mut words_seen = 0usize;
        let mut add = |text: &str, lead_only: bool, words_seen: &mut usize| {
            let mut sentence_start = true;
            for token in tokens(text) {
                let word = token.text;
                let weight = if lead_only || *words_seen < lead_words {
                    lead_weight
                } else {
                    1.0
                };
                let in_head = lead_only || *words_seen < HEAD_WORDS;
                *words_seen += usize::from(!lead_only);
                let starts = sentence_start;
                sentence_start = token.ends_sentence;
                let lower = word.to_lowercase();
                if lower.chars().count() < 2 || is_stopword(&lower) {
                    continue;
                }
                let has_digit = word.chars().any(|c| c.is_ascii_digit());
                let capitalised = word.chars().next().is_some_and(char::is_uppercase);
                // Titles capitalise every word: there, only figures count as names.
                let named = has_digit || (capitalised && !starts && !lead_only);
                let entry = counts.entry(lower).or_insert((0.0, false, false));
                entry.0 += weight;
                entry.1 |= named;
                entry.2 |= in_head;
            }
        };
        if let Some(title) = title {
            add(title, true, &mut words_seen);
        }
        add(text, false, &mut words_seen);
        let mut terms = Self::default();
        for (term, (count, named, in_head)) in counts {
            terms.counts.push((term, count));
            terms.named.push(named);
            terms.head.push(in_head);
        }
        terms
    }

    /// Whether the document has any terms at all.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    /// Whether the token is followed by a sentence end (., !, ?, a line break).
    ends_sentence: bool,
}

/// Words of letters and digits, keeping inner hyphens, slashes and apostrophes' stems.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    let mut previous = ' ';
    while let Some((at, c)) = iter.next() {
        let after_digit = previous.is_ascii_digit();
        previous = c;
        // Inner hyphens and slashes join words; points, commas and colons join digits,
        // so that figures stay whole ("5.1", "4,000", "10:47"): a magnitude or a time
        // is among the most specific things a report shares with others of its event.
        let joins = start.is_some()
            && match c {
                '-' | '/' => iter.peek().is_some_and(|(_, n)| n.is_alphanumeric()),
                '.' | ',' | ':' => {
                    after_digit && iter.peek().is_some_and(|(_, n)| n.is_ascii_digit())
                }
                _ => false,
            };
        if c.is_alphanumeric() || joins {
            start.get_or_insert(at);
            continue;
        }
        if let Some(s) = start.take() {
            let ends = matches!(c, '.' | '!' | '?' | '\n') && !is_abbreviation(&text[s..at]);
            out.push(Token {
                text: &text[s..at],
                ends_sentence: ends,
            });
        } else if matches!(c, '.' | '!' | '?' | '\n')
            && let Some(last) = out.last_mut()
        {
            last.ends_sentence = true;
        }
        // An apostrophe ends the word: "Reid's" counts as "Reid".
        if c == '\'' || c == '’' {
            while iter.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
                iter.next();
            }
        }
    }
    if let Some(s) = start {
        out.push(Token {
            text: &text[s..bytes.len()],
            ends_sentence: true,
        });
    }
    out
}

fn is_abbreviation(word: &str) -> bool {
    matches!(
        word,
        "Mr" | "Mrs" | "Ms" | "Dr" | "Gen" | "Sen" | "Rep" | "Gov" | "St" | "Jr" | "Sr" | "U.S"
    ) || (word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
}

/// Common English words that say nothing about which happening a text reports.
fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

const STOPWORDS: &[&str] = &[
    "about",
    "above",
    "according",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "also",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "back",
    "be",
    "became",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "came",
    "can",
    "could",
    "day",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "every",
    "few",
    "first",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "if",
    "in",
    "including",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "later",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "new",
    "next",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "people",
    "said",
    "same",
    "say",
    "says",
    "see",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "take",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "time",
    "to",
    "told",
    "too",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "way",
    "we",
    "week",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "years",
    "yet",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn names_and_figures_are_marked_and_the_lead_counts_double() {
        let terms = DocTerms::of(
            Some("Ferry strike halts Port Velin crossings"),
            "The ferry union walked out on Monday. Talks with Orla Brennock failed after 14 hours.",
        );
        let get = |t: &str| {
            let at = terms.counts.iter().position(|(w, _)| w == t).unwrap();
            (terms.counts[at].1, terms.named[at])
        };
        assert_eq!(get("ferry"), (4.0, false));
        assert_eq!(get("velin"), (2.0, false), "title case is not a name");
        assert_eq!(get("brennock"), (2.0, true));
        assert_eq!(get("14"), (2.0, true));
        // Sentence-initial capitals are not names.
        assert!(!get("talks").1);
        assert!(terms.counts.iter().all(|(w, _)| w != "the"));
    }
}
