//! The lexicons the rule-based recogniser reads, written for chronicle and compiled
//! into the binary (`lexicons/*.txt`, `*.tsv`): countries with their variants and
//! demonyms, regions, cities, organisations, government bodies, news outlets, titles,
//! job titles, given names, common words, name suffixes.

use crate::entities::EntityKind;
use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

/// A known name: its kind and the canonical form it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub kind: EntityKind,
    pub canonical: String,
}

/// Every lexicon, indexed for lookup.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Names by their lowercased tokens joined with one space.
    pub names: HashMap<String, Known>,
    /// The longest name, in tokens.
    pub longest_name: usize,
    /// Demonyms and other adjectives of nationality, religion and the like, lowercased,
    /// with the country they belong to when there is one.
    pub demonyms: HashMap<String, Option<String>>,
    pub first_names: HashSet<String>,
    pub common_words: HashSet<String>,
    /// Titles before names, lowercased, with the office they name.
    pub titles: HashMap<String, String>,
    /// The longest title, in tokens.
    pub longest_title: usize,
    pub job_titles: HashSet<String>,
    pub org_suffixes: HashSet<String>,
    pub place_suffixes: HashSet<String>,
    /// News outlets by domain.
    pub outlet_domains: HashMap<String, String>,
}

/// Lines of a lexicon file without comments and blanks.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

/// A name's lookup key: its lowercased words separated by single spaces, without
/// punctuation tokens ("Sen." and "Sen" have the same key).
pub fn key(name: &str) -> String {
    crate::tokens::tokens(name)
        .iter()
        .filter(|t| t.text.chars().any(char::is_alphanumeric) && !t.text.starts_with(['\'', '’']))
        .map(|t| t.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Lexicon {
    fn add_name(&mut self, name: &str, kind: EntityKind, canonical: &str) {
        let key = key(name);
        let key = key.strip_prefix("the ").map(str::to_string).unwrap_or(key);
        if key.is_empty() {
            return;
        }
        self.longest_name = self.longest_name.max(key.split(' ').count());
        // The first kind given to a name wins: files are read most specific first.
        self.names.entry(key).or_insert_with(|| Known {
            kind,
            canonical: canonical.to_string(),
        });
    }

    /// Adds `name<TAB>variant|variant…` lines.
    fn add_names(&mut self, text: &str, kind: EntityKind) {
        for line in lines(text) {
            let mut columns = line.split('\t');
            let Some(name) = columns.next().map(str::trim).filter(|n| !n.is_empty()) else {
                continue;
            };
            self.add_name(name, kind, name);
            if let Some(variants) = columns.next() {
                for variant in variants.split('|').map(str::trim).filter(|v| !v.is_empty()) {
                    self.add_name(variant.trim_start_matches("the "), kind, name);
                }
            }
        }
    }

    fn build() -> Self {
        let mut lexicon = Self::default();
        // Countries: name, variants, demonyms.
        for line in lines(include_str!("../lexicons/countries.tsv")) {
            let mut columns = line.split('\t');
            let Some(name) = columns.next().map(str::trim).filter(|n| !n.is_empty()) else {
                continue;
            };
            lexicon.add_name(name, EntityKind::Place, name);
            if let Some(variants) = columns.next() {
                for variant in variants.split('|').map(str::trim).filter(|v| !v.is_empty()) {
                    lexicon.add_name(variant.trim_start_matches("the "), EntityKind::Place, name);
                }
            }
            if let Some(demonyms) = columns.next() {
                for demonym in demonyms.split('|').map(str::trim).filter(|d| !d.is_empty()) {
                    lexicon
                        .demonyms
                        .insert(demonym.to_lowercase(), Some(name.to_string()));
                }
            }
        }
        lexicon.add_names(
            include_str!("../lexicons/government.txt"),
            EntityKind::Organisation,
        );
        lexicon.add_names(
            include_str!("../lexicons/organizations.txt"),
            EntityKind::Organisation,
        );
        for line in lines(include_str!("../lexicons/outlets.txt")) {
            let mut columns = line.split('\t');
            let Some(name) = columns.next().map(str::trim).filter(|n| !n.is_empty()) else {
                continue;
            };
            lexicon.add_name(name, EntityKind::Organisation, name);
            if let Some(variants) = columns.next() {
                for variant in variants
                    .split('|')
                    .map(str::trim)
                    .filter(|v| !v.is_empty() && *v != "the Post")
                {
                    lexicon.add_name(
                        variant.trim_start_matches("the "),
                        EntityKind::Organisation,
                        name,
                    );
                }
            }
            if let Some(domain) = columns.next().map(str::trim).filter(|d| !d.is_empty()) {
                lexicon
                    .outlet_domains
                    .insert(domain.to_lowercase(), name.to_string());
            }
        }
        lexicon.add_names(include_str!("../lexicons/regions.txt"), EntityKind::Place);
        lexicon.add_names(include_str!("../lexicons/cities.txt"), EntityKind::Place);
        for line in lines(include_str!("../lexicons/demonyms_other.txt")) {
            let mut columns = line.split('\t');
            let Some(name) = columns.next().map(str::trim) else {
                continue;
            };
            match columns.next().map(str::trim) {
                Some("event" | "other") => lexicon.add_name(name, EntityKind::Other, name),
                _ => {
                    lexicon.demonyms.insert(name.to_lowercase(), None);
                }
            }
        }
        for line in lines(include_str!("../lexicons/titles.txt")) {
            let mut columns = line.split('\t');
            let Some(title) = columns.next().map(str::trim).filter(|t| !t.is_empty()) else {
                continue;
            };
            let role = columns
                .next()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .unwrap_or(title);
            let key = key(title);
            lexicon.longest_title = lexicon.longest_title.max(key.split(' ').count());
            lexicon.titles.insert(key, role.to_string());
        }
        let set = |text: &str| -> HashSet<String> {
            lines(text).map(|l| l.trim().to_lowercase()).collect()
        };
        lexicon.job_titles = set(include_str!("../lexicons/job_titles.txt"));
        lexicon.first_names = set(include_str!("../lexicons/first_names.txt"));
        lexicon.common_words = set(include_str!("../lexicons/common_words.txt"));
        lexicon.org_suffixes = set(include_str!("../lexicons/org_suffixes.txt"))
            .into_iter()
            .map(|s| s.trim_end_matches('.').to_string())
            .collect();
        lexicon.place_suffixes = set(include_str!("../lexicons/place_suffixes.txt"));
        lexicon
    }

    /// A name without the titles before it ("Health Minister Ciarán Mulvey" →
    /// "Ciarán Mulvey"); the name itself when it starts with none.
    pub fn strip_title<'a>(&self, name: &'a str) -> &'a str {
        let mut rest = name.trim();
        loop {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let found = (1..words.len().min(self.longest_title + 1))
                .rev()
                .find(|&count| self.titles.contains_key(&key(&words[..count].join(" "))));
            let Some(count) = found else { return rest };
            let skip = words[..count].join(" ").len();
            match rest.get(skip..) {
                Some(remaining) if !remaining.trim().is_empty() => rest = remaining.trim_start(),
                _ => return rest,
            }
        }
    }

    /// The lexicon compiled into this build.
    pub fn get() -> &'static Lexicon {
        static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::build);
        &LEXICON
    }
}
