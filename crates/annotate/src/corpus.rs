//! Across documents: one entity per real-world entity, and one quote per thing said.
//!
//! [`EntityIndex`] gives every document entity a corpus-wide [`EntityId`]. People merge
//! when their first and last names match, allowing spelling and transliteration
//! variants, middle names and titles, and a single typo in one of the two words (see
//! [`crate::names::same_person`]); sharing only a first or only a last name never
//! merges two people. A person a document names only by surname joins the one known
//! person with that surname, or, when several are known, the one the document also
//! shares other entities with. Organisations and places merge by their canonical name.
//! Every merge keeps its evidence.
//!
//! [`QuoteIndex`] gives every quote a corpus-wide [`QuoteId`]: the same words reported
//! by several outlets (in full or in part, with the same or an unknown speaker) are one
//! quote with several citations. Candidates are found through shared word shingles, so
//! the cost per quote does not grow with the corpus.

use crate::entities::EntityKind;
use crate::lexicon::key;
use crate::names::same_person;
use foldhash::{HashMap, HashMapExt};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A corpus-wide entity id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub u64);

/// A corpus-wide quote id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuoteId(pub u64);

/// What the index knows of an entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedEntity {
    pub id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    /// Names (without titles) this entity has been written as.
    pub aliases: BTreeSet<String>,
}

/// The result of resolving one document entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub id: EntityId,
    /// Whether the entity is new to the corpus.
    pub new: bool,
    /// Why it joined an existing entity, when it did.
    pub evidence: Option<String>,
}

/// The corpus's entities, for resolving each new document's entities.
#[derive(Clone, Debug, Default)]
pub struct EntityIndex {
    entities: Vec<IndexedEntity>,
    by_id: HashMap<EntityId, usize>,
    /// Exact keys (kind, normalised name or alias).
    by_key: HashMap<(EntityKind, String), EntityId>,
    /// People by the folded form of their last name.
    by_surname: HashMap<String, Vec<EntityId>>,
    /// Organisations and places by the leading words of their names ("clear water" for
    /// "Clear Water Alliance"), for short forms used alone.
    by_prefix: HashMap<(EntityKind, String), Vec<EntityId>>,
    next: u64,
}

fn surname_key(name: &str) -> Option<String> {
    name.split_whitespace().last().map(crate::names::fold)
}

impl EntityIndex {
    /// An index holding entities read back from storage.
    pub fn from_entities(entities: impl IntoIterator<Item = IndexedEntity>) -> Self {
        let mut index = Self::default();
        for entity in entities {
            index.next = index.next.max(entity.id.0 + 1);
            index.insert(entity);
        }
        index
    }

    fn insert(&mut self, entity: IndexedEntity) {
        let id = entity.id;
        for alias in entity.aliases.iter().chain(std::iter::once(&entity.name)) {
            self.by_key.entry((entity.kind, key(alias))).or_insert(id);
            self.add_prefixes(entity.kind, alias, id);
            if entity.kind == EntityKind::Person
                && alias.split_whitespace().count() >= 2
                && let Some(surname) = surname_key(alias)
            {
                let list = self.by_surname.entry(surname).or_default();
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        self.by_id.insert(id, self.entities.len());
        self.entities.push(entity);
    }

    /// Whether an entity of this kind has this name or alias.
    pub fn knows(&self, kind: EntityKind, name: &str) -> bool {
        self.by_key.contains_key(&(kind, key(name)))
    }

    /// An entity by id.
    pub fn get(&self, id: EntityId) -> Option<&IndexedEntity> {
        self.by_id.get(&id).map(|&i| &self.entities[i])
    }

    /// All entities.
    pub fn entities(&self) -> &[IndexedEntity] {
        &self.entities
    }

    fn add_prefixes(&mut self, kind: EntityKind, alias: &str, id: EntityId) {
        if !matches!(kind, EntityKind::Organisation | EntityKind::Place) {
            return;
        }
        let words: Vec<String> = key(alias).split(' ').map(str::to_string).collect();
        for length in 2..words.len() {
            let list = self
                .by_prefix
                .entry((kind, words[..length].join(" ")))
                .or_default();
            if !list.contains(&id) {
                list.push(id);
            }
        }
    }

    fn add_alias(&mut self, id: EntityId, alias: &str) {
        let Some(&position) = self.by_id.get(&id) else {
            return;
        };
        let kind = self.entities[position].kind;
        if self.entities[position].aliases.insert(alias.to_string()) {
            self.by_key.entry((kind, key(alias))).or_insert(id);
            self.add_prefixes(kind, alias, id);
            if kind == EntityKind::Person
                && alias.split_whitespace().count() >= 2
                && let Some(surname) = surname_key(alias)
            {
                let list = self.by_surname.entry(surname).or_default();
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
    }

    /// Resolves a document entity: `aliases` are the ways the document writes it,
    /// `context` the names of the document's other entities (used to choose between
    /// people who share a surname).
    pub fn resolve(
        &mut self,
        kind: EntityKind,
        name: &str,
        aliases: &[String],
        context: &[String],
    ) -> Resolution {
        let found = self.find(kind, name, aliases, context);
        match found {
            Some((id, evidence)) => {
                for alias in aliases.iter().chain(std::iter::once(&name.to_string())) {
                    self.add_alias(id, alias);
                }
                // A fuller name replaces a surname-only one.
                if let Some(&position) = self.by_id.get(&id) {
                    let entity = &mut self.entities[position];
                    let shouted = |n: &str| !n.chars().any(char::is_lowercase);
                    let fuller = kind == EntityKind::Person
                        && entity.name.split_whitespace().count() < 2
                        && name.split_whitespace().count() >= 2;
                    // "Norcia" is a better name than a dateline's "NORCIA".
                    let quieter = kind == EntityKind::Place
                        && shouted(&entity.name)
                        && !shouted(name)
                        && key(&entity.name) == key(name);
                    if fuller || quieter {
                        entity.name = name.to_string();
                    }
                }
                Resolution {
                    id,
                    new: false,
                    evidence: Some(evidence),
                }
            }
            None => {
                let id = EntityId(self.next);
                self.next += 1;
                self.insert(IndexedEntity {
                    id,
                    kind,
                    name: name.to_string(),
                    aliases: aliases
                        .iter()
                        .cloned()
                        .chain(std::iter::once(name.to_string()))
                        .collect(),
                });
                Resolution {
                    id,
                    new: true,
                    evidence: None,
                }
            }
        }
    }

    fn find(
        &self,
        kind: EntityKind,
        name: &str,
        aliases: &[String],
        context: &[String],
    ) -> Option<(EntityId, String)> {
        let name_key = key(name);
        let surname_only = kind == EntityKind::Person
            && aliases
                .iter()
                .chain(std::iter::once(&name.to_string()))
                .all(|a| a.split_whitespace().count() < 2);
        if !surname_only && let Some(&id) = self.by_key.get(&(kind, name_key.clone())) {
            return Some((id, format!("same name: {name}")));
        }
        if kind != EntityKind::Person {
            for alias in aliases {
                if let Some(&id) = self.by_key.get(&(kind, key(alias))) {
                    return Some((id, format!("same name: {alias}")));
                }
            }
            // "Clear Water" for "Clear Water Alliance": the leading words of one known
            // name, and of no other.
            if let Some([id]) = self.by_prefix.get(&(kind, name_key)).map(Vec::as_slice) {
                let full = self.get(*id).map_or_else(String::new, |e| e.name.clone());
                return Some((*id, format!("short form of {full}: {name}")));
            }
            return None;
        }
        let full: Vec<String> = std::iter::once(name.to_string())
            .chain(aliases.iter().cloned())
            .filter(|a| a.split_whitespace().count() >= 2)
            .collect();
        if full.is_empty() {
            // Only a surname: the one known person with it, or the one sharing context,
            // else a person known by that surname alone.
            let by_surname_alone = || {
                self.by_key
                    .get(&(kind, name_key.clone()))
                    .map(|&id| (id, format!("same name: {name}")))
            };
            let surname = surname_key(name)?;
            let Some(candidates) = self.by_surname.get(&surname) else {
                return by_surname_alone();
            };
            if candidates.len() == 1 {
                return Some((
                    candidates[0],
                    format!("the only person known by the surname {name}"),
                ));
            }
            let context: BTreeSet<String> = context.iter().map(|c| key(c)).collect();
            let scored: Vec<(usize, EntityId)> = candidates
                .iter()
                .map(|id| {
                    let shared = self.get(*id).map_or(0, |e| {
                        e.aliases
                            .iter()
                            .filter(|a| context.contains(&key(a)))
                            .count()
                    });
                    (shared, *id)
                })
                .collect();
            let best = scored.iter().map(|(s, _)| *s).max()?;
            let winners: Vec<&(usize, EntityId)> =
                scored.iter().filter(|(s, _)| *s == best).collect();
            return (best > 0 && winners.len() == 1)
                .then(|| {
                    (
                        winners[0].1,
                        format!("surname {name} in a document naming the same people"),
                    )
                })
                .or_else(by_surname_alone);
        }
        // A person first known by surname alone ("Putin") gets the full name when it
        // comes ("Vladimir Putin"), if no one else with that surname is known.
        if let Some(surname) = full.first().and_then(|f| f.split_whitespace().last())
            && !self.by_surname.contains_key(&crate::names::fold(surname))
            && let Some(&id) = self.by_key.get(&(kind, key(surname)))
            && self.get(id).is_some_and(|e| {
                e.aliases
                    .iter()
                    .chain(std::iter::once(&e.name))
                    .all(|a| a.split_whitespace().count() < 2)
            })
        {
            return Some((id, format!("the only person known as {surname}")));
        }
        for candidate_name in &full {
            let surname = surname_key(candidate_name)?;
            let mut candidates: Vec<EntityId> =
                self.by_surname.get(&surname).cloned().unwrap_or_default();
            // Typos in the surname: look at surnames one edit away too.
            if candidates.is_empty() {
                for (other, ids) in &self.by_surname {
                    if other.chars().count() >= 5
                        && crate::names::edit_distance(other, &surname) == 1
                    {
                        candidates.extend(ids);
                    }
                }
            }
            for id in candidates {
                let Some(entity) = self.get(id) else { continue };
                for known in entity.aliases.iter().chain(std::iter::once(&entity.name)) {
                    if let Some(reason) = same_person(candidate_name, known) {
                        return Some((id, reason));
                    }
                }
            }
        }
        None
    }
}

/// A quote as the index remembers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedQuote {
    pub id: QuoteId,
    pub text: String,
    pub speaker: Option<EntityId>,
}

/// The corpus's quotes.
#[derive(Clone, Debug, Default)]
pub struct QuoteIndex {
    quotes: Vec<IndexedQuote>,
    by_id: HashMap<QuoteId, usize>,
    /// Quotes by the hashes of their word shingles.
    by_shingle: HashMap<u64, Vec<QuoteId>>,
    /// How many shingles each quote's wording has.
    shingle_counts: HashMap<QuoteId, usize>,
    next: u64,
}

/// Quotes looked at per shingle, the most recent first: a shingle that thousands of
/// different quotes share is a stock phrase, not evidence, and looking through all of
/// them would make every quote cost more as the corpus grows.
const SHINGLE_POSTINGS: usize = 256;

/// Drops the oldest postings of a shingle once the list holds twice what a lookup
/// reads, so that a stock phrase's list stays short instead of growing with the corpus.
fn forget_unread(list: &mut Vec<QuoteId>) {
    if list.len() >= 2 * SHINGLE_POSTINGS {
        list.drain(..list.len() - SHINGLE_POSTINGS);
    }
}

/// Shingle size for matching quotes.
const SHINGLE: usize = 4;

fn quote_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

fn shingles(words: &[String]) -> BTreeSet<u64> {
    use std::hash::{Hash, Hasher};
    let hash = |window: &[String]| {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        window.hash(&mut hasher);
        hasher.finish()
    };
    if words.len() < SHINGLE {
        return std::iter::once(hash(words)).collect();
    }
    words.windows(SHINGLE).map(hash).collect()
}

impl QuoteIndex {
    /// An index holding quotes read back from storage.
    pub fn from_quotes(quotes: impl IntoIterator<Item = IndexedQuote>) -> Self {
        let mut index = Self::default();
        for quote in quotes {
            index.next = index.next.max(quote.id.0 + 1);
            index.insert(quote);
        }
        index
    }

    fn insert(&mut self, quote: IndexedQuote) {
        let own = shingles(&quote_words(&quote.text));
        self.shingle_counts.insert(quote.id, own.len());
        for shingle in own {
            let list = self.by_shingle.entry(shingle).or_default();
            list.push(quote.id);
            forget_unread(list);
        }
        self.by_id.insert(quote.id, self.quotes.len());
        self.quotes.push(quote);
    }

    /// A quote by id.
    pub fn get(&self, id: QuoteId) -> Option<&IndexedQuote> {
        self.by_id.get(&id).map(|&i| &self.quotes[i])
    }

    /// The quote these words belong to: an existing one when most of the shorter of the
    /// two texts' shingles are shared and the speakers agree (or one is unknown), else a
    /// new one. Returns the id and whether it is new.
    pub fn resolve(&mut self, text: &str, speaker: Option<EntityId>) -> (QuoteId, bool) {
        let words = quote_words(text);
        let own = shingles(&words);
        let mut shared: HashMap<QuoteId, usize> = HashMap::new();
        for shingle in &own {
            for id in self
                .by_shingle
                .get(shingle)
                .into_iter()
                .flat_map(|ids| ids.iter().rev().take(SHINGLE_POSTINGS))
            {
                *shared.entry(*id).or_default() += 1;
            }
        }
        let mut best: Option<(f64, QuoteId)> = None;
        for (id, count) in shared {
            let Some(known) = self.get(id) else { continue };
            if let (Some(a), Some(b)) = (speaker, known.speaker)
                && a != b
            {
                continue;
            }
            let known_count = self.shingle_counts.get(&id).copied().unwrap_or(count);
            let overlap = count as f64 / own.len().min(known_count).max(1) as f64;
            // Half of the shorter wording, and at least a clause (seven words in a row):
            // outlets quote different stretches of the same remarks.
            if overlap >= 0.5
                && (count >= 4 || overlap >= 0.99)
                && best.is_none_or(|(score, _)| overlap > score)
            {
                best = Some((overlap, id));
            }
        }
        if let Some((_, id)) = best {
            // The longer wording and a known speaker are kept.
            if let Some(&position) = self.by_id.get(&id) {
                let longer = words.len() > quote_words(&self.quotes[position].text).len();
                if self.quotes[position].speaker.is_none() {
                    self.quotes[position].speaker = speaker;
                }
                if longer {
                    self.quotes[position].text = text.to_string();
                    self.shingle_counts.insert(id, own.len());
                    for shingle in own {
                        let list = self.by_shingle.entry(shingle).or_default();
                        // Once among the postings a lookup reads: a stock phrase's list
                        // is long, and a scan of all of it grew with the corpus.
                        if !list.iter().rev().take(SHINGLE_POSTINGS).any(|q| *q == id) {
                            list.push(id);
                            forget_unread(list);
                        }
                    }
                }
            }
            return (id, false);
        }
        let id = QuoteId(self.next);
        self.next += 1;
        self.insert(IndexedQuote {
            id,
            text: text.to_string(),
            speaker,
        });
        (id, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(index: &mut EntityIndex, name: &str, aliases: &[&str]) -> Resolution {
        let aliases: Vec<String> = aliases.iter().map(|a| (*a).to_string()).collect();
        index.resolve(EntityKind::Person, name, &aliases, &[])
    }

    #[test]
    fn people_merge_by_variant_and_stay_apart_by_name() {
        let mut index = EntityIndex::default();
        let kislyak = resolve(&mut index, "Sergey Kislyak", &["Sergey Kislyak", "Kislyak"]);
        assert!(kislyak.new);
        assert_eq!(
            resolve(&mut index, "Sergei Kislyak", &["Sergei Kislyak"]).id,
            kislyak.id
        );
        assert_eq!(
            resolve(
                &mut index,
                "Sergey Ivanovich Kislyak",
                &["Sergey Ivanovich Kislyak", "Mr. Kislyak"]
            )
            .id,
            kislyak.id
        );
        let lavrov = resolve(&mut index, "Sergey Lavrov", &["Sergey Lavrov"]);
        assert!(lavrov.new);
        let ryabkov = resolve(&mut index, "Sergei Ryabkov", &["Sergei Ryabkov"]);
        assert!(ryabkov.new);
        assert_eq!(resolve(&mut index, "Kislyak", &["Kislyak"]).id, kislyak.id);
        let trump = resolve(&mut index, "Donald Trump", &["Donald Trump"]);
        let typo = resolve(&mut index, "Donal Trump", &["Donal Trump"]);
        assert_eq!(typo.id, trump.id);
        assert!(typo.evidence.unwrap().contains("single letter"));
    }

    #[test]
    fn a_surname_known_alone_takes_the_full_name_later() {
        let mut index = EntityIndex::default();
        let alone = resolve(&mut index, "Halloran", &["Halloran"]);
        let full = resolve(
            &mut index,
            "Brigid Halloran",
            &["Brigid Halloran", "Halloran"],
        );
        assert_eq!(alone.id, full.id);
        assert_eq!(
            index.get(full.id).map(|e| e.name.as_str()),
            Some("Brigid Halloran")
        );
        // A second person with that surname is someone else.
        let other = resolve(&mut index, "Cathal Halloran", &["Cathal Halloran"]);
        assert_ne!(other.id, full.id);
    }

    #[test]
    fn a_shared_surname_needs_context() {
        let mut index = EntityIndex::default();
        let martin = index.resolve(
            EntityKind::Person,
            "Martin Keogh",
            &["Martin Keogh".into()],
            &[],
        );
        let aoife = index.resolve(
            EntityKind::Person,
            "Aoife Keogh",
            &["Aoife Keogh".into()],
            &[],
        );
        assert_ne!(martin.id, aoife.id);
        let corvane = index.resolve(
            EntityKind::Organisation,
            "Corvane",
            &["Corvane".into()],
            &["Martin Keogh".into()],
        );
        let _ = corvane;
        // Unknown context: no merge at all.
        assert!(
            index
                .resolve(EntityKind::Person, "Keogh", &["Keogh".into()], &[])
                .new
        );
        // A document naming "Martin Keogh"'s alias as context picks him.
        let resolved = index.resolve(
            EntityKind::Person,
            "Keogh",
            &["Keogh".into()],
            &["Martin Keogh".into()],
        );
        assert_eq!(resolved.id, martin.id);
    }

    #[test]
    fn one_quote_many_citations() {
        let mut index = QuoteIndex::default();
        let speaker = Some(EntityId(7));
        let (first, new) = index.resolve("The toll plan is a bluff. I have never backed it. Haven't signed a single page of it in months.", speaker);
        assert!(new);
        let (second, new) = index.resolve("The toll plan is a bluff. I have never backed it. Haven't signed a single page of it in months. I met the board twice.", None);
        assert!(!new);
        assert_eq!(first, second);
        let (other, new) = index.resolve("The port will reopen on Monday morning.", speaker);
        assert!(new);
        assert_ne!(other, first);
        // The same words from someone else are another quote.
        let (someone_else, new) = index.resolve(
            "The toll plan is a bluff. I have never backed it.",
            Some(EntityId(8)),
        );
        assert!(new, "{someone_else:?}");
    }

    #[test]
    fn a_stock_phrase_keeps_its_postings_bounded() {
        let mut index = QuoteIndex::default();
        let mut last = None;
        for i in 0..3000 {
            let text = format!(
                "We will look at this again next week, clerk number {i} told the council of ward {}.",
                i * 7
            );
            let (id, new) = index.resolve(&text, Some(EntityId(i)));
            assert!(new, "{i}");
            last = Some((id, text));
        }
        let longest = index.by_shingle.values().map(Vec::len).max().unwrap_or(0);
        assert!(longest < 2 * SHINGLE_POSTINGS, "{longest}");
        // The recent quotes are still found by their wording.
        let (id, text) = last.expect("quotes were added");
        assert_eq!(index.resolve(&text, None), (id, false));
    }
}
