//! The cluster and summarize stages: annotated articles join events (copies join their
//! primary's), and each touched event's date, headline and category are recomputed.

use crate::{Result, now};
use chronicle_annotate::{Annotated, Granularity};
use chronicle_cluster::{Clusterer, Config, DocTerms, OTHER, classify};
use chronicle_model::{Article, ArticleId};
use chronicle_store::{
    EventFields, EventJoin, EventMergeWrite, EventSplitWrite, EventsWrite, Store, StoryFields,
    SummarySentence,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Words at most in an event headline.
const HEADLINE_WORDS: usize = 40;

/// What clustering did to a batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EventStats {
    /// Articles placed in an event.
    pub articles: u64,
    pub new_events: u64,
    /// Existing events that gained an article.
    pub updated_events: u64,
    pub merges: u64,
    /// Events found to be two.
    pub splits: u64,
    pub new_stories: u64,
}

/// Settings of story clustering: the same scoring over longer spans and with a lower
/// bar, so that the events of one long-running thread share a story.
fn story_config() -> Config {
    Config {
        threshold: 0.06,
        crowd: 2.5,
        crowd_free: 4,
        grace_days: 90.0,
        window_days: 365.0,
        conflict: 0.0,
        core_split: 0.0,
        // Weighing a story's first events again and repairing with its low bar
        // chains unrelated stories together (generated corpus stories F1 0.965 → 0.681).
        warm_up: 0,
        ..Config::default()
    }
}

/// The corpus-wide state of clustering.
#[derive(Debug)]
pub struct EventIndex {
    clusterer: Clusterer,
    stories: Clusterer,
    /// Articles each event had when its date, headline and summary were last worked
    /// out (since this index was loaded).
    fields_at: HashMap<u64, usize>,
    /// Articles each story gained since this index was loaded, and that count when the
    /// story was last named (naming reads the story's recent articles' entities).
    story_joins: HashMap<u64, (usize, Option<usize>)>,
}

/// Whether an event of `size` articles needs its fields worked out again: always while
/// small, then each time it has grown by a quarter, so that a large event costs a
/// bounded number of recomputations however many articles join it.
fn fields_due(last: Option<usize>, size: usize) -> bool {
    match last {
        None => true,
        Some(_) if size <= 16 => true,
        Some(last) => size >= last + (last / 4).max(1) || size < last,
    }
}

impl EventIndex {
    /// The clusterer resumed from a store's events.
    pub fn load(store: &Store) -> Result<Self> {
        let read = store.read();
        let mut clusterer = Clusterer::new(Config::default());
        let mut stories = Clusterer::new(story_config());
        for (from, into) in read.event_redirects()? {
            clusterer.restore_redirect(from, into);
        }
        for (from, into) in read.story_redirects()? {
            stories.restore_redirect(from, into);
        }
        // Articles too old to be joined again count in the term frequencies only, so
        // that memory holds the recent window, not the whole store.
        let (newest, count) = (read.newest_clustered()?, read.clustered_count()?);
        read.for_each_clustered(|clustered| {
            let terms: DocTerms = serde_json::from_str(&clustered.terms).map_err(|e| {
                chronicle_store::Error::Corrupt(format!(
                    "terms of article {}: {e}",
                    clustered.article
                ))
            })?;
            let (doc, time) = (clustered.article.0, clustered.published);
            if clusterer.is_retired(time, newest, count) {
                clusterer.restore_retired(doc, &terms, clustered.event);
            } else {
                clusterer.restore(doc, &terms, time, clustered.event, true);
            }
            if let Some(story) = clustered.story {
                if stories.is_retired(time, newest, count) {
                    stories.restore_retired(doc, &terms, story);
                } else {
                    stories.restore(doc, &terms, time, story, true);
                }
            }
            Ok(())
        })?;
        clusterer.restored();
        stories.restored();
        Ok(Self {
            clusterer,
            stories,
            fields_at: HashMap::new(),
            story_joins: HashMap::new(),
        })
    }

    /// A clusterer that knows nothing yet (for `reprocess`, after clearing).
    pub fn empty() -> Self {
        Self {
            clusterer: Clusterer::new(Config::default()),
            stories: Clusterer::new(story_config()),
            fields_at: HashMap::new(),
            story_joins: HashMap::new(),
        }
    }

    /// Places articles in events, oldest publication first, and writes the results.
    pub fn assign(&mut self, store: &mut Store, ids: &[ArticleId]) -> Result<EventStats> {
        let mut stats = EventStats::default();
        let mut articles: Vec<(ArticleId, Article)> = Vec::with_capacity(ids.len());
        for id in ids {
            if store.read().event_of(*id)?.is_some() {
                continue;
            }
            if let Some(stored) = store.read().article(*id)? {
                articles.push((*id, stored.article));
            }
        }
        articles.sort_by_key(|(id, a)| (a.published.map(|p| p.timestamp()), *id));
        let mut write = EventsWrite::default();
        let mut batch_events: HashMap<ArticleId, (u64, Option<u64>)> = HashMap::new();
        let mut touched: BTreeSet<u64> = BTreeSet::new();
        let mut touched_stories: BTreeSet<u64> = BTreeSet::new();
        for (id, article) in &articles {
            let primary = store.read().copy_primary(*id)?;
            let primary_event = if primary == *id {
                None
            } else {
                match batch_events.get(&primary) {
                    Some(found) => Some(*found),
                    None => store
                        .read()
                        .event_of(primary)?
                        .map(|e| (e, self.stories.event_of(primary.0))),
                }
            };
            if let Some((event, story)) = primary_event {
                // Copies count once: they join their primary's event uncompared.
                let event = self.clusterer.resolve(event);
                let story = story.map(|s| self.stories.resolve(s));
                write.joins.push(EventJoin {
                    article: *id,
                    event,
                    created: false,
                    score: 1.0,
                    why: serde_json::json!({"copy_of": primary.0}),
                    terms: None,
                    story,
                });
                batch_events.insert(*id, (event, story));
                touched.insert(event);
                touched_stories.extend(story);
                stats.articles += 1;
                continue;
            }
            let terms = DocTerms::of(article.title.as_deref(), &article.text);
            let published = article.published.map(|p| p.timestamp());
            let story = self.stories.add(id.0, &terms, published);
            stats.new_stories += u64::from(story.created);
            write
                .story_merges
                .extend(story.merges.iter().map(|m| (m.from, m.into)));
            touched_stories.insert(story.event);
            self.story_joins.entry(story.event).or_default().0 += 1;
            let assignment = match article.record.as_ref() {
                // An event record defines its own event, dated by the record.
                Some(record) => {
                    let time = record
                        .date
                        .and_then(|d| d.and_hms_opt(12, 0, 0))
                        .map(|t| t.and_utc().timestamp())
                        .or_else(|| article.published.map(|p| p.timestamp()));
                    self.clusterer.start(id.0, &terms, time)
                }
                None => self
                    .clusterer
                    .add(id.0, &terms, article.published.map(|p| p.timestamp())),
            };
            stats.articles += 1;
            if assignment.created {
                stats.new_events += 1;
            } else if !touched.contains(&assignment.event) {
                stats.updated_events += 1;
            }
            for merge in &assignment.merges {
                stats.merges += 1;
                write.merges.push(EventMergeWrite {
                    from: merge.from,
                    into: merge.into,
                    evidence: serde_json::to_value(merge).unwrap_or_default(),
                });
                touched.remove(&merge.from);
            }
            if let Some(split) = &assignment.split {
                stats.splits += 1;
                write.splits.push(EventSplitWrite {
                    from: split.from,
                    into: split.into,
                    articles: split.moved.iter().copied().map(ArticleId).collect(),
                    evidence: serde_json::to_value(split).unwrap_or_default(),
                });
                touched.insert(split.from);
                touched.insert(split.into);
            }
            touched.insert(assignment.event);
            batch_events.insert(*id, (assignment.event, Some(story.event)));
            write.joins.push(EventJoin {
                article: *id,
                event: assignment.event,
                created: assignment.created,
                score: assignment.why.score,
                why: serde_json::to_value(&assignment.why).unwrap_or_default(),
                terms: Some(serde_json::to_string(&terms).unwrap_or_default()),
                story: Some(story.event),
            });
        }
        if write.joins.is_empty() {
            return Ok(stats);
        }
        let now = now();
        // Joins made before a merge or a split in this batch point at where their
        // article was then: place each where it is now (a copy where its primary is).
        for join in &mut write.joins {
            let placed = match join.why.get("copy_of").and_then(serde_json::Value::as_u64) {
                Some(primary) => self.clusterer.event_of(primary),
                None => self.clusterer.event_of(join.article.0),
            };
            join.event = placed.unwrap_or_else(|| self.clusterer.resolve(join.event));
            join.story = join.story.map(|s| self.stories.resolve(s));
        }
        store.write_events(&write, &now)?;
        let mut fields = EventsWrite::default();
        // Events changed by a merge or a split are worked out again whatever their size.
        let reshaped: BTreeSet<u64> = write
            .merges
            .iter()
            .map(|m| m.into)
            .chain(write.splits.iter().flat_map(|s| [s.from, s.into]))
            .map(|e| self.clusterer.resolve(e))
            .collect();
        let touched: BTreeSet<u64> = touched
            .into_iter()
            .map(|e| self.clusterer.resolve(e))
            .collect();
        for event in touched {
            let size = store.read().event_size(event)?;
            if !reshaped.contains(&event) && !fields_due(self.fields_at.get(&event).copied(), size)
            {
                continue;
            }
            self.fields_at.insert(event, size);
            if let Some(field) = event_fields(store, event)? {
                fields.fields.push(field);
            }
        }
        let merged_stories: BTreeSet<u64> = write
            .story_merges
            .iter()
            .map(|(_, into)| self.stories.resolve(*into))
            .collect();
        let stories: BTreeSet<u64> = touched_stories
            .into_iter()
            .map(|s| self.stories.resolve(s))
            .collect();
        for story in stories {
            // Named again while small, after a merge, or when it has grown by a quarter.
            let (joins, named_at) = self.story_joins.get(&story).copied().unwrap_or_default();
            if !merged_stories.contains(&story) && !fields_due(named_at, joins) {
                continue;
            }
            self.story_joins.insert(story, (joins, Some(joins)));
            fields.stories.push(StoryFields {
                id: story,
                name: story_name(store, story)?,
            });
        }
        store.write_events(&fields, &now)?;
        Ok(stats)
    }
}

/// An event's date, headline and category, from its articles.
fn event_fields(store: &Store, event: u64) -> Result<Option<EventFields>> {
    let read = store.read();
    let ids = read.event_article_ids(event)?;
    let mut sources: Vec<(ArticleId, Article, Option<Annotated>, bool)> = Vec::new();
    for id in ids.iter().take(24) {
        if let Some(stored) = read.article(*id)? {
            let is_copy = read.copy_primary(*id)? != *id;
            sources.push((*id, stored.article, read.annotations(*id)?, is_copy));
        }
    }
    let Some((first_id, first, first_annotated, _)) = sources
        .iter()
        .find(|s| !s.3)
        .or_else(|| sources.first())
        .cloned()
    else {
        return Ok(None);
    };
    // The date: the day its articles' leads say it happened, by vote; else the earliest
    // publication.
    let mut votes: BTreeMap<chrono::NaiveDate, (usize, String)> = BTreeMap::new();
    for (id, article, annotated, is_copy) in &sources {
        if *is_copy {
            continue;
        }
        if let Some((date, text)) = annotated.as_ref().and_then(|a| lead_date(article, a)) {
            let entry = votes.entry(date).or_insert_with(|| {
                (
                    0,
                    format!("mentioned in article {id}: \u{201c}{text}\u{201d}"),
                )
            });
            entry.0 += 1;
        }
    }
    // An event record among the sources says outright when it happened.
    if let Some((id, date)) = sources
        .iter()
        .find_map(|s| s.1.record.as_ref().and_then(|r| r.date).map(|d| (s.0, d)))
    {
        votes.clear();
        votes.insert(
            date,
            (usize::MAX, format!("the event record, article {id}")),
        );
    }
    let voted = votes
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(&a.0)));
    let (date, date_source) = match voted {
        Some((date, (_, source))) => (Some(date), source),
        None => match sources
            .iter()
            .filter_map(|s| s.1.published.map(|p| p.date()))
            .min()
        {
            Some(date) => (Some(date), "earliest publication".to_string()),
            None => (None, "unknown".to_string()),
        },
    };
    let headline = first_annotated
        .as_ref()
        .and_then(|a| headline(&first, a))
        .or_else(|| first.title.clone())
        .unwrap_or_else(|| format!("Event of article {first_id}"));
    let mut text = String::new();
    for (_, article, annotated, _) in &sources {
        if let Some(title) = &article.title {
            text.push_str(title);
            text.push('\n');
        }
        if let Some(annotated) = annotated {
            for sentence in annotated.sentences.iter().take(3) {
                text.push_str(article.text.get(sentence.clone()).unwrap_or_default());
                text.push('\n');
            }
        }
    }
    let category = classify(&text).map_or_else(|| OTHER.to_string(), |c| c.name().to_string());
    let story = read
        .event_story_votes(event)?
        .first()
        .map(|(story, _)| *story);
    let summary = summarise(&headline, &sources);
    Ok(Some(EventFields {
        id: event,
        date,
        date_source,
        headline,
        category,
        story,
        summary,
    }))
}

/// Sentences in an event summary at most.
const SUMMARY_SENTENCES: usize = 4;

/// Words of a sentence worth comparing (longer than two letters, lowercased), as a
/// sorted set of 64-bit hashes: summaries compare every pair of candidate sentences, so
/// the comparison has to be cheap.
fn content_words(text: &str) -> Vec<u64> {
    let mut words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(|w| {
            // FNV-1a over the lowercased word.
            w.chars()
                .flat_map(char::to_lowercase)
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, c| {
                    (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3)
                })
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Shared words over the smaller set's size.
fn overlap(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f64 / a.len().min(b.len()).max(1) as f64
}

/// A short extractive summary: the headline's sentence, then the lead sentences of the
/// sources that are most central (shared in words with the other sources) and add most
/// (least overlap with what is already said), each citing every source that says much
/// the same.
fn summarise(
    headline: &str,
    sources: &[(ArticleId, Article, Option<Annotated>, bool)],
) -> Vec<SummarySentence> {
    // Candidates: the statements among each original source's first six sentences.
    let mut candidates: Vec<(ArticleId, usize, String, Vec<u64>)> = Vec::new();
    for (id, article, annotated, is_copy) in sources {
        let (false, Some(annotated)) = (is_copy, annotated) else {
            continue;
        };
        let statements = annotated
            .sentences
            .iter()
            .take(6)
            .filter_map(|s| article.text.get(s.clone()))
            .map(str::trim)
            .filter(|s| is_statement(s));
        for (rank, sentence) in statements.enumerate() {
            let text = strip_dateline(sentence).to_string();
            let words = content_words(&text);
            candidates.push((*id, rank, text, words));
        }
    }
    let cite = |words: &[u64]| -> Vec<u64> {
        let mut cited: Vec<u64> = candidates
            .iter()
            .filter(|c| overlap(words, &c.3) >= 0.6)
            .map(|c| c.0.0)
            .collect();
        cited.sort_unstable();
        cited.dedup();
        cited
    };
    let first = content_words(headline);
    let mut chosen = vec![SummarySentence {
        text: headline.to_string(),
        articles: cite(&first),
    }];
    let mut said = vec![first];
    // How central each candidate is: its mean overlap with the other sources' sentences.
    let centrality: Vec<f64> = candidates
        .iter()
        .map(|c| {
            let others: Vec<f64> = candidates
                .iter()
                .filter(|o| o.0 != c.0)
                .map(|o| overlap(&c.3, &o.3))
                .collect();
            others.iter().sum::<f64>() / others.len().max(1) as f64
        })
        .collect();
    while chosen.len() < SUMMARY_SENTENCES {
        // Central, new and early; quotations and very long sentences are not summaries.
        let best = candidates
            .iter()
            .zip(&centrality)
            .filter(|(c, _)| {
                let count = c.2.split_whitespace().count();
                (10..=60).contains(&count) && !c.2.contains(['"', '\u{201c}', '\u{201d}'])
            })
            .filter_map(|(c, central)| {
                let redundancy = said.iter().map(|s| overlap(&c.3, s)).fold(0.0, f64::max);
                (redundancy < 0.5).then(|| (central - redundancy - 0.03 * c.1 as f64, c))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.0.cmp(&a.1.0)));
        let Some((_, (_, _, text, words))) = best else {
            break;
        };
        chosen.push(SummarySentence {
            text: text.clone(),
            articles: cite(words),
        });
        said.push(words.clone());
    }
    chosen
}

/// A story's name: the entities most of its events mention ("Corvane Therapeutics and
/// Lortensin"), places last.
fn story_name(store: &Store, story: u64) -> Result<String> {
    let entities = store.read().story_entities(story, 8)?;
    let mut names: Vec<&(String, String, u64)> = entities
        .iter()
        .filter(|(_, kind, _)| kind != "place")
        .take(2)
        .collect();
    if names.is_empty() {
        names = entities.iter().take(2).collect();
    }
    Ok(match names.as_slice() {
        [] => format!("Story {story}"),
        [one] => one.0.clone(),
        [one, two, ..] => format!("{} and {}", one.0, two.0),
    })
}

/// Days before publication a lead's date may be and still be the news (older dates in a
/// lead are background: "a year after the March 2 vote").
const NEWS_DAYS: i64 = 31;

/// The first day-exact date mentioned in an article's first three sentences that falls
/// in the month before its publication (any, when the publication date is unknown), with
/// the words that said it.
fn lead_date(article: &Article, annotated: &Annotated) -> Option<(chrono::NaiveDate, String)> {
    let lead_end = annotated
        .sentences
        .get(2)
        .or(annotated.sentences.last())
        .map_or(0, |s| s.end);
    let published = article.published.map(|p| p.date());
    annotated
        .dates
        .iter()
        .filter(|d| d.granularity == Granularity::Day && d.span.start < lead_end)
        .filter(|d| published.is_none_or(|p| d.date <= p && (p - d.date).num_days() <= NEWS_DAYS))
        .min_by_key(|d| d.span.start)
        .map(|d| (d.date, d.text.clone()))
}

/// One sentence from the lead, at most [`HEADLINE_WORDS`] words: the first statement
/// (ending in a full stop or exclamation mark, not a question or a caption) of at least
/// eight words among the first six sentences, cut at its last clause break before the
/// limit when longer.
fn headline(article: &Article, annotated: &Annotated) -> Option<String> {
    let sentence = annotated
        .sentences
        .iter()
        .take(6)
        .filter_map(|s| article.text.get(s.clone()))
        .map(str::trim)
        .find(|s| is_statement(s))?;
    Some(trim_sentence(strip_dateline(sentence), HEADLINE_WORDS))
}

/// A sentence without a leading dateline ("HALIFAX, Nova Scotia, Nov 3 (MPA) - ",
/// "CAMERINO — "): a dash within the first 80 bytes after a first word in capitals.
fn strip_dateline(sentence: &str) -> &str {
    let first = sentence.split_whitespace().next().unwrap_or_default();
    let letters: Vec<char> = first.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || letters.iter().any(|c| c.is_lowercase()) {
        return sentence;
    }
    [" — ", " – ", " - ", " -- "]
        .iter()
        .filter_map(|dash| sentence.find(dash).map(|at| (at, dash.len())))
        .filter(|(at, _)| *at <= 80)
        .min()
        .map_or(sentence, |(at, len)| sentence[at + len..].trim_start())
}

/// Whether a sentence reads as a statement of news: long enough, ending like a
/// statement, not a photo caption or credit.
fn is_statement(sentence: &str) -> bool {
    let end = sentence.trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')']);
    let lower = sentence.to_lowercase();
    sentence.split_whitespace().count() >= 8
        && (end.ends_with('.') || end.ends_with('!'))
        && !lower.contains("photo")
        && !lower.starts_with("image")
}

/// A sentence cut to at most `limit` words at a clause break (comma, semicolon, dash),
/// ending with a full stop.
fn trim_sentence(sentence: &str, limit: usize) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= limit {
        return words.join(" ");
    }
    let head = &words[..limit];
    let cut = head
        .iter()
        .rposition(|w| w.ends_with(',') || w.ends_with(';') || *w == "—" || *w == "–")
        .filter(|at| *at >= 8)
        .map_or(limit, |at| at + 1);
    let mut out = head[..cut].join(" ");
    while out.ends_with([',', ';', '—', '–', ' ']) {
        out.pop();
    }
    if cut < limit && (head[cut - 1] == "—" || head[cut - 1] == "–") {
        out = out.trim_end_matches(['—', '–', ' ']).to_string();
    }
    out.push('.');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_are_not_part_of_a_headline() {
        assert_eq!(
            strip_dateline("PORT VELIN, Estmark, May 4 (NWA) - Ferry crews walked out on Monday."),
            "Ferry crews walked out on Monday."
        );
        assert_eq!(
            strip_dateline("OSKERBY — The river rose four metres."),
            "The river rose four metres."
        );
        let plain = "A dash - in the middle of a normal sentence stays.";
        assert_eq!(strip_dateline(plain), plain);
    }

    #[test]
    fn long_sentences_are_cut_at_a_clause_break() {
        let long = "The harbour board of Port Velin voted on Tuesday to close the north quay for repairs, \
                    a decision that shipping lines, fishing crews and the ferry operator all said they \
                    had not been consulted on before the vote was taken by the board members in private.";
        let cut = trim_sentence(long, 20);
        assert_eq!(
            cut,
            "The harbour board of Port Velin voted on Tuesday to close the north quay for repairs."
        );
        assert_eq!(trim_sentence("Short and sweet.", 20), "Short and sweet.");
    }
}
