//! The annotation stage: each stored article annotated (in parallel), then its
//! entities and quotes resolved against the corpus and its copies found (in order),
//! then everything written in one transaction.

use crate::Result;
use chronicle_annotate::corpus::{EntityIndex, QuoteIndex};
use chronicle_annotate::lexicon::{Lexicon, key};
use chronicle_annotate::{Annotated, EntityKind, Role, RuleRecognizer, annotate};
use chronicle_dedupe::{LshIndex, Signature, similarity};
use chronicle_model::{Article, ArticleId};
use chronicle_store::{AnnotationWrite, CopyWrite, EntityWrite, QuoteWrite, Store};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// What an annotation run found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AnnotateStats {
    pub articles: u64,
    pub new_entities: u64,
    pub quotes: u64,
    /// Articles found to be near-copies of another.
    pub copies: u64,
}

/// The corpus-wide state of annotation: every entity and quote known so far.
#[derive(Debug)]
pub struct Annotator {
    entities: EntityIndex,
    quotes: QuoteIndex,
    recognizer: RuleRecognizer,
    copies: LshIndex,
}

/// Articles (the most recent) whose signatures the near-duplicate index holds:
/// syndicated and cross-posted copies appear within days of each other, and a bounded
/// index keeps the cost per article flat as the store grows. Exact copies are found at
/// any age by their digest.
pub const COPY_WINDOW: usize = 100_000;

impl Annotator {
    /// The annotator for a store, with the entities and quotes it holds.
    pub fn load(store: &Store) -> Result<Self> {
        let read = store.read();
        let mut copies = LshIndex::new(COPY_WINDOW);
        for (id, signature) in read.recent_signatures(COPY_WINDOW)? {
            copies.insert(id.0, &signature);
        }
        Ok(Self {
            entities: EntityIndex::from_entities(read.indexed_entities()?),
            quotes: QuoteIndex::from_quotes(read.indexed_quotes()?),
            recognizer: RuleRecognizer,
            copies,
        })
    }

    /// An annotator that knows nothing yet (for `reprocess`, after clearing).
    pub fn empty() -> Self {
        Self {
            entities: EntityIndex::default(),
            quotes: QuoteIndex::default(),
            recognizer: RuleRecognizer,
            copies: LshIndex::new(COPY_WINDOW),
        }
    }

    /// Annotates stored articles and writes their annotations.
    pub fn annotate(&mut self, store: &mut Store, ids: &[ArticleId]) -> Result<AnnotateStats> {
        let (writes, stats) = self.annotations(store, ids)?;
        store.write_annotations(&writes)?;
        Ok(stats)
    }

    /// Annotates stored articles, the annotations not yet written: this index counts
    /// them as written, so write them (with [`Store::write_annotations`]) before
    /// annotating more.
    pub fn annotations(
        &mut self,
        store: &Store,
        ids: &[ArticleId],
    ) -> Result<(Vec<AnnotationWrite>, AnnotateStats)> {
        let mut stats = AnnotateStats::default();
        if ids.is_empty() {
            return Ok((Vec::new(), stats));
        }
        let mut articles: Vec<(ArticleId, Article)> = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(stored) = store.read().article(*id)? {
                articles.push((*id, stored.article));
            }
        }
        let recognizer = self.recognizer;
        let annotated: Vec<(Annotated, Signature)> = articles
            .par_iter()
            .map(|(_, article)| (annotate(article, &recognizer), Signature::of(&article.text)))
            .collect();
        let mut writes = Vec::with_capacity(articles.len());
        // Signatures and copy groups of this batch, not yet in the store.
        let mut batch_signatures: HashMap<ArticleId, Signature> = HashMap::new();
        let mut batch_primaries: HashMap<ArticleId, ArticleId> = HashMap::new();
        for ((id, article), (annotated, signature)) in articles.iter().zip(annotated) {
            stats.articles += 1;
            let (mut entities, local_ids) = self.resolve_entities(&annotated, &mut stats);
            self.add_byline(article, &mut entities, &mut stats);
            let quotes = self.resolve_quotes(&annotated, &local_ids);
            stats.quotes += quotes.len() as u64;
            let copy = if signature.is_usable() {
                let copy = find_copy(
                    store,
                    *id,
                    article,
                    &signature,
                    &self.copies,
                    &batch_signatures,
                    &batch_primaries,
                )?;
                if let Some(copy) = copy {
                    stats.copies += 1;
                    batch_primaries.insert(*id, copy.primary);
                    if let Some(previous) = copy.replaces {
                        batch_primaries.insert(previous, *id);
                        for primary in batch_primaries.values_mut() {
                            if *primary == previous {
                                *primary = *id;
                            }
                        }
                    }
                }
                self.copies.insert(id.0, &signature);
                batch_signatures.insert(*id, signature.clone());
                copy
            } else {
                None
            };
            writes.push(AnnotationWrite {
                article: *id,
                published: article.published.map(|d| d.date()),
                entities,
                quotes,
                signature: signature.is_usable().then_some(signature),
                copy,
                annotated,
            });
        }
        Ok((writes, stats))
    }

    /// The document's entities resolved, and the corpus id of each document entity
    /// (indexed like [`Annotated::entities`]; `None` for those not kept).
    fn resolve_entities(
        &mut self,
        annotated: &Annotated,
        stats: &mut AnnotateStats,
    ) -> (
        Vec<EntityWrite>,
        Vec<Option<chronicle_annotate::corpus::EntityId>>,
    ) {
        // Nationality adjectives and unknown single words are not entities of the record;
        // names the lexicons know as events or works are.
        let kept: Vec<usize> = (0..annotated.entities.len())
            .filter(|&i| {
                let entity = &annotated.entities[i];
                // A name whose kind was only ever guessed ("Lortensin" as a person) is
                // not an entity of the record; a name a lexicon knows as an event is.
                let sure = entity
                    .mentions
                    .iter()
                    .any(|&m| !annotated.mentions[m].guessed);
                sure && (entity.kind != EntityKind::Other
                    || entity
                        .mentions
                        .iter()
                        .any(|&m| annotated.mentions[m].canonical.is_some()))
            })
            .collect();
        let names: Vec<String> = kept
            .iter()
            .map(|&i| annotated.entities[i].name.clone())
            .collect();
        let mut writes = Vec::with_capacity(annotated.entities.len());
        for (position, &index) in kept.iter().enumerate() {
            let entity = &annotated.entities[index];
            let context: Vec<String> = names
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != position)
                .map(|(_, name)| name.clone())
                .collect();
            // A place or organisation only guessed from its context ("a message from
            // Bea Lowell") that the corpus knows as a person's full name is that person.
            let kind = if matches!(entity.kind, EntityKind::Place | EntityKind::Organisation)
                && entity
                    .mentions
                    .iter()
                    .all(|&m| annotated.mentions[m].canonical.is_none())
                && !self.entities.knows(entity.kind, &entity.name)
                && entity.name.split_whitespace().count() >= 2
                && self.entities.knows(EntityKind::Person, &entity.name)
            {
                EntityKind::Person
            } else {
                entity.kind
            };
            let resolution = self
                .entities
                .resolve(kind, &entity.name, &entity.aliases, &context);
            if resolution.new {
                stats.new_entities += 1;
            }
            let first = entity
                .mentions
                .first()
                .map(|&m| annotated.mentions[m].span.clone())
                .unwrap_or(0..0);
            writes.push(EntityWrite {
                id: resolution.id,
                kind,
                name: self
                    .entities
                    .get(resolution.id)
                    .map_or_else(|| entity.name.clone(), |e| e.name.clone()),
                aliases: entity.aliases.clone(),
                mentions: entity.mentions.len(),
                first,
                roles: entity.roles.clone(),
                evidence: resolution.evidence,
                local_name: entity.name.clone(),
            });
        }
        let mut local_ids = vec![None; annotated.entities.len()];
        for (write, &index) in writes.iter().zip(&kept) {
            local_ids[index] = Some(write.id);
        }
        (writes, local_ids)
    }

    /// The article's authors (people with the role "author, <outlet>") and its outlet
    /// (an organisation), as entities of the article even where its text does not
    /// name them.
    fn add_byline(
        &mut self,
        article: &Article,
        writes: &mut Vec<EntityWrite>,
        stats: &mut AnnotateStats,
    ) {
        let lexicon = Lexicon::get();
        let outlet = article
            .outlet
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty());
        let mut add = |index: &mut EntityIndex,
                       kind: EntityKind,
                       name: &str,
                       role: Option<String>,
                       writes: &mut Vec<EntityWrite>| {
            let context: Vec<String> = writes.iter().map(|w| w.name.clone()).collect();
            let resolution = index.resolve(kind, name, &[name.to_string()], &context);
            if resolution.new {
                stats.new_entities += 1;
            }
            let role = role.map(|text| Role { text, span: 0..0 });
            if let Some(existing) = writes.iter_mut().find(|w| w.id == resolution.id) {
                if let Some(role) = role
                    && !existing.roles.contains(&role)
                {
                    existing.roles.push(role);
                }
                return;
            }
            writes.push(EntityWrite {
                id: resolution.id,
                kind,
                name: index
                    .get(resolution.id)
                    .map_or_else(|| name.to_string(), |e| e.name.clone()),
                aliases: vec![name.to_string()],
                mentions: 0,
                first: 0..0,
                roles: role.into_iter().collect(),
                evidence: resolution.evidence,
                local_name: name.to_string(),
            });
        };
        for author in &article.authors {
            let author = author.trim();
            let words: Vec<&str> = author.split_whitespace().collect();
            // A person's name: two to four capitalised words that no lexicon knows as
            // an organisation ("Reuters Staff" or an agency is not a person).
            let personal = (2..=4).contains(&words.len())
                && words
                    .iter()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                && !lexicon.names.contains_key(&key(author))
                && outlet.is_none_or(|o| key(o) != key(author));
            if personal {
                let role = outlet.map_or_else(|| "author".to_string(), |o| format!("author, {o}"));
                add(
                    &mut self.entities,
                    EntityKind::Person,
                    author,
                    Some(role),
                    writes,
                );
            }
        }
        if let Some(outlet) = outlet {
            let kind = lexicon
                .names
                .get(&key(outlet))
                .map_or(EntityKind::Organisation, |known| known.kind);
            add(&mut self.entities, kind, outlet, None, writes);
        }
    }

    fn resolve_quotes(
        &mut self,
        annotated: &Annotated,
        local_ids: &[Option<chronicle_annotate::corpus::EntityId>],
    ) -> Vec<QuoteWrite> {
        let mut writes = Vec::with_capacity(annotated.quotes.len());
        for quote in &annotated.quotes {
            let speaker = quote
                .speaker
                .and_then(|local| local_ids.get(local).copied().flatten());
            let (id, _) = self.quotes.resolve(&quote.text, speaker);
            let known = self.quotes.get(id);
            writes.push(QuoteWrite {
                id,
                text: known.map_or_else(|| quote.text.clone(), |q| q.text.clone()),
                speaker: known.and_then(|q| q.speaker).or(speaker),
                citation: quote.text.clone(),
                span: quote.span.clone(),
                speaker_text: quote.speaker_text.clone(),
                said_on: quote.said_on,
            });
        }
        writes
    }
}

/// The copy group a new article joins, if any: the most contained candidate sharing an
/// LSH band, and whether the new article becomes the group's primary (the earliest
/// published, then the longest).
fn find_copy(
    store: &Store,
    id: ArticleId,
    article: &Article,
    signature: &Signature,
    index: &LshIndex,
    batch: &HashMap<ArticleId, Signature>,
    batch_primaries: &HashMap<ArticleId, ArticleId>,
) -> Result<Option<CopyWrite>> {
    let mut candidates: Vec<(ArticleId, Signature)> = Vec::new();
    for other in index.candidates(signature).into_iter().map(ArticleId) {
        let found = match batch.get(&other) {
            Some(signature) => Some(signature.clone()),
            None => store.read().signature(other)?,
        };
        candidates.extend(found.map(|s| (other, s)));
    }
    let best = candidates
        .iter()
        .filter(|(other, _)| *other != id)
        .map(|(other, candidate)| (*other, similarity(signature, candidate)))
        .filter(|(_, s)| s.is_copy())
        .max_by(|a, b| {
            a.1.containment
                .total_cmp(&b.1.containment)
                .then(a.1.jaccard.total_cmp(&b.1.jaccard))
        });
    let Some((other, found)) = best else {
        return Ok(None);
    };
    let primary = match batch_primaries.get(&other) {
        Some(primary) => *primary,
        None => store.read().copy_primary(other)?,
    };
    // A primary an article of this batch replaced: the store learns of it only when the
    // batch is written, so its group's new primary is taken from the batch.
    let primary = batch_primaries.get(&primary).copied().unwrap_or(primary);
    let (primary_published, primary_words) =
        store.read().article_order(primary).unwrap_or_default();
    let own_published = article.published.map(|d| d.timestamp());
    let own_words = article.word_count() as u64;
    let earlier = match (own_published, primary_published) {
        (Some(own), Some(theirs)) => own < theirs || own == theirs && own_words > primary_words,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => own_words > primary_words,
    };
    Ok(Some(if earlier {
        CopyWrite {
            primary: id,
            replaces: Some(primary),
            jaccard: found.jaccard,
            containment: found.containment,
        }
    } else {
        CopyWrite {
            primary,
            replaces: None,
            jaccard: found.jaccard,
            containment: found.containment,
        }
    }))
}
