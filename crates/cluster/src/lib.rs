//! Which event is this article about? Online event clustering, one article at a time.
//!
//! Each article becomes two TF-IDF vectors over its [`DocTerms`]: one of all its terms
//! and one of its names and figures (the words most specific to one happening: the
//! people, places and numbers). A new article is compared only with *candidate* events,
//! those sharing one of its most specific terms (an inverted index from term to event)
//! and close enough in time; against each candidate it scores the average similarity to
//! the event's most recent members (average linkage; a short document its best match
//! among them, when higher), discounted by the days between them, and cut when the two
//! name different things: when the names and figures the event's reports lead with
//! (its *core*) are missing from the article and the article's own lead names are
//! missing from the event (see [`Config::conflict`]). It joins the best event scoring
//! at least [`Config::threshold`], or starts a new one. When a join makes two events
//! as similar as a join would need, they merge: the older id survives and the other
//! redirects to it. An event splits when its members fall into two groups far apart by
//! text, or into two groups whose cores each go unmentioned by the other.
//!
//! Every decision carries its [`Why`]: the score, the shared terms and names, the days
//! apart, how many events and members were compared.
//!
//! ```
//! use chronicle_cluster::{Clusterer, Config, DocTerms};
//! let mut events = Clusterer::new(Config::default());
//! let day = 86_400;
//! let a = events.add(1, &DocTerms::of(None, "Flooding closed the Varn bridge in Oskerby on Monday after the river Varn rose four metres."), Some(0));
//! let b = events.add(2, &DocTerms::of(None, "The Varn bridge in Oskerby stayed closed on Tuesday as the river Varn fell back from four metres of flooding."), Some(day));
//! let c = events.add(3, &DocTerms::of(None, "Voters in Lindqvist re-elected mayor Tove Aaland with 61 per cent, the count showed."), Some(day));
//! assert!(a.created && !b.created && c.created);
//! assert_eq!(a.event, b.event);
//! assert_ne!(a.event, c.event);
//! ```

mod category;
mod terms;

pub use category::{Category, OTHER, classify};
pub use terms::{DocTerms, HEAD_WORDS, LEAD_WEIGHT, LEAD_WORDS};

use foldhash::{HashMap, HashMapExt};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Seconds in a day.
const DAY: f32 = 86_400.0;

/// Settings of the clusterer (the defaults are tuned on the development sets; see
/// docs/quality.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Least score for an article to join an event (and for two events to merge).
    pub threshold: f32,
    /// Share of the score that comes from names and figures (the rest from all terms).
    pub named_weight: f32,
    /// Days apart without discount; beyond, the score falls as
    /// `(grace / days) ^ time_power`.
    pub grace_days: f32,
    /// How steeply the score falls with days apart beyond the grace.
    pub time_power: f32,
    /// Events whose articles are all further apart than this (days) are not candidates.
    pub window_days: f32,
    /// Members of an event an article is compared with (the most recent).
    pub max_members: usize,
    /// Most specific terms of an article used to find candidate events.
    pub retrieval_terms: usize,
    /// Most candidate events an article is compared with (those sharing the most of its
    /// specific terms).
    pub max_candidates: usize,
    /// Terms kept per article vector.
    pub max_terms: usize,
    /// Documents kept in memory before events far behind the newest are retired (see
    /// [`Clusterer::retire_old`]); below it nothing is retired, so that articles
    /// arriving out of order (a backfill) still find their events.
    pub max_docs: usize,
    /// Power of the inverse document frequency in term weights (higher favours rare
    /// terms more); `None` adapts it to the number of documents seen (see
    /// [`Config::idf_range`]).
    pub idf_power: Option<f32>,
    /// With an adaptive power: the ratio wanted between the weights of the rarest and
    /// the commonest term. A small corpus has a narrow IDF range (every term is in a
    /// good share of the documents), which the power widens; from a few thousand
    /// documents on, the power is 1.
    pub idf_range: f32,
    /// How the bar rises with the number of candidates an article is scored against:
    /// the threshold is multiplied by `1 + crowd × ln(candidates / crowd_free)` when
    /// there are more than [`Config::crowd_free`]. The best of many unrelated
    /// candidates scores higher than the best of a few, so a bar low enough for a
    /// handful of candidates lets everything chain in a crowd. 0 keeps one bar.
    pub crowd: f32,
    /// Candidates that do not raise the bar.
    pub crowd_free: usize,
    /// Documents with fewer distinct terms than this (a feed item of a headline and a
    /// line) are scored by their best match among an event's recent members when that
    /// beats the average: a two-line item shares a few words with each report of its
    /// event, and averaged over many reports they vanish. 0 turns it off.
    pub short_terms: usize,
    /// How much a conflict costs: the score is multiplied by `1 - conflict × missing`.
    /// An event's *core* is the names and figures in the heads (title and first
    /// [`HEAD_WORDS`] words) of at least [`Config::core_share`] of its members: whom and
    /// what its reports lead with. `missing` is the smaller of two shares, each weighted
    /// by specificity: of the event's core that the article never mentions, and of the
    /// article's own head names (those seen elsewhere too) that the event never
    /// mentions. Two happenings of one kind (two players put on injured reserve, two
    /// pirate attacks in one gulf) share most of their words; whom and what their reports
    /// lead with differ, both ways. Between two events (a merge), `missing` is the
    /// smaller share of each one's core absent from the other. 0 turns it off.
    pub conflict: f32,
    /// Share of an event's members whose heads must name a term for it to be core.
    pub core_share: f32,
    /// An event also splits when its members fall into two groups by their names alone,
    /// each group's core at least this much (by specificity) absent from the other
    /// group's articles. 0 turns it off.
    pub core_split: f32,
    /// While the vocabulary has at most this many documents, each document's terms are
    /// kept, and each time the count doubles the kept documents are weighed again with
    /// the grown vocabulary and their events repaired (merged where now as close as a
    /// join needs): the first articles of a new store were weighed by a vocabulary of a
    /// few dozen documents, which cannot yet tell a name from a common word. 0 turns it
    /// off.
    pub warm_up: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            threshold: 0.25,
            named_weight: 0.7,
            grace_days: 3.0,
            time_power: 1.0,
            window_days: 60.0,
            max_members: 32,
            retrieval_terms: 24,
            max_candidates: 64,
            max_terms: 120,
            max_docs: 200_000,
            idf_power: None,
            idf_range: 5.0,
            crowd: 0.0,
            crowd_free: 1,
            short_terms: 40,
            conflict: 0.5,
            core_share: 0.5,
            core_split: 0.3,
            warm_up: 256,
        }
    }
}

type TermId = u32;

/// A sparse vector with unit length, sorted by term.
#[derive(Clone, Debug, Default, PartialEq)]
struct Vector(Vec<(TermId, f32)>);

impl Vector {
    fn normalised(mut entries: Vec<(TermId, f32)>) -> Self {
        let norm = entries.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for entry in &mut entries {
                entry.1 /= norm;
            }
        }
        entries.sort_unstable_by_key(|e| e.0);
        Self(entries)
    }

    fn dot(&self, other: &Self) -> f32 {
        // A document against an event's centroid: the centroid holds many more terms,
        // so look each of the document's terms up in it instead of walking both.
        let (small, large) = if self.0.len() <= other.0.len() {
            (self, other)
        } else {
            (other, self)
        };
        if small.0.len() * 8 < large.0.len() {
            return small
                .0
                .iter()
                .filter_map(|(id, w)| {
                    large
                        .0
                        .binary_search_by_key(id, |e| e.0)
                        .ok()
                        .map(|at| w * large.0[at].1)
                })
                .sum();
        }
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].0.cmp(&other.0[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.0[i].1 * other.0[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// Document frequencies of every term seen.
#[derive(Clone, Debug, Default)]
struct Vocabulary {
    ids: HashMap<String, TermId>,
    terms: Vec<String>,
    df: Vec<u32>,
    docs: u32,
}

impl Vocabulary {
    fn id(&mut self, term: &str) -> TermId {
        if let Some(id) = self.ids.get(term) {
            return *id;
        }
        let id = self.terms.len() as TermId;
        self.ids.insert(term.to_string(), id);
        self.terms.push(term.to_string());
        self.df.push(0);
        id
    }

    fn observe(&mut self, terms: &DocTerms) {
        self.docs += 1;
        for (term, _) in &terms.counts {
            let id = self.id(term);
            self.df[id as usize] += 1;
        }
    }

    fn idf(&self, id: TermId) -> f32 {
        let df = self.df.get(id as usize).copied().unwrap_or(0);
        ((self.docs as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
    }
}

#[derive(Clone, Debug)]
struct Doc {
    all: Vector,
    named: Vector,
    /// The most specific terms, for candidate retrieval.
    keys: Vec<TermId>,
    time: Option<i64>,
    /// Fewer distinct terms than [`Config::short_terms`].
    short: bool,
    /// The terms kept in `all` and every name and figure, sorted: what it mentions,
    /// for telling whether it names an event's core.
    mentions: Vec<TermId>,
    /// The names and figures of its head, sorted.
    head: Vec<TermId>,
}

#[derive(Clone, Debug, Default)]
struct Event {
    /// Member documents, oldest first.
    members: Vec<u64>,
    first: Option<i64>,
    last: Option<i64>,
    /// The mean of the recent members' vectors, computed when first needed after the
    /// members last changed (reset with [`Event::changed`]).
    centroid: std::cell::OnceCell<Centroid>,
}

/// The mean vectors of an event's recent members: average linkage with them is one dot
/// product with these (the mean of dot products is the dot product with the mean).
#[derive(Clone, Debug, Default)]
struct Centroid {
    all: Vector,
    named: Vector,
    /// Members averaged.
    count: usize,
    /// Names and figures in the heads of most members, sorted (empty when conflicts
    /// are off).
    core: Vec<TermId>,
    /// Everything the members mention, sorted (empty when conflicts are off).
    mentions: Vec<TermId>,
}

impl Centroid {
    /// The centroid of some members, with their core when `core_share` is given.
    fn of<'a>(members: impl Iterator<Item = &'a Doc>, core_share: Option<f32>) -> Self {
        let mut all: HashMap<TermId, f32> = HashMap::new();
        let mut named: HashMap<TermId, f32> = HashMap::new();
        let mut heads: HashMap<TermId, usize> = HashMap::new();
        let mut mentions: Vec<TermId> = Vec::new();
        let mut count = 0usize;
        for doc in members {
            count += 1;
            if core_share.is_some() {
                for id in &doc.head {
                    *heads.entry(*id).or_default() += 1;
                }
                mentions.extend_from_slice(&doc.mentions);
            }
            for (id, w) in &doc.all.0 {
                *all.entry(*id).or_default() += w;
            }
            for (id, w) in &doc.named.0 {
                *named.entry(*id).or_default() += w;
            }
        }
        let mean = |map: HashMap<TermId, f32>| {
            let mut entries: Vec<(TermId, f32)> = map
                .into_iter()
                .map(|(id, w)| (id, w / count.max(1) as f32))
                .collect();
            entries.sort_unstable_by_key(|e| e.0);
            Vector(entries)
        };
        let need = (count as f32 * core_share.unwrap_or(1.0)).ceil().max(1.0) as usize;
        let mut core: Vec<TermId> = heads
            .into_iter()
            .filter(|(_, n)| *n >= need)
            .map(|(id, _)| id)
            .collect();
        core.sort_unstable();
        mentions.sort_unstable();
        mentions.dedup();
        Self {
            all: mean(all),
            named: mean(named),
            count,
            core,
            mentions,
        }
    }
}

impl Event {
    /// Forgets the centroid after the members changed.
    fn changed(&mut self) {
        self.centroid = std::cell::OnceCell::new();
    }

    fn add_time(&mut self, time: Option<i64>) {
        if let Some(t) = time {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
    }

    /// Days between a time and the event's span (0 inside it; `None` when unknown).
    fn days_from(&self, time: Option<i64>) -> Option<f32> {
        let (t, first, last) = (time?, self.first?, self.last?);
        let gap = if t < first {
            first - t
        } else if t > last {
            t - last
        } else {
            0
        };
        Some(gap as f32 / DAY)
    }
}

/// Why an article joined its event (or started one).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Why {
    /// The score it joined with (for a new event: the best score it did not reach).
    pub score: f32,
    /// Average similarity of all terms with the members compared.
    pub text_similarity: f32,
    /// Average similarity of names and figures.
    pub name_similarity: f32,
    /// The discount for time apart (1 when close or unknown).
    pub time_factor: f32,
    /// Days between the article and the event's articles, when both are dated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_apart: Option<f32>,
    /// Terms it shares with the event, most telling first.
    pub shared_terms: Vec<String>,
    /// Names and figures it shares with the event, most telling first.
    pub shared_names: Vec<String>,
    /// Members it was compared with.
    pub compared: usize,
    /// Candidate events it was scored against.
    pub candidates: usize,
    /// The least score a join needed (the threshold, raised among many candidates).
    #[serde(default)]
    pub bar: f32,
    /// How far the article and the event name different things (0 to 1; see
    /// [`Config::conflict`]); the score was cut by `conflict` times this.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub missing: f32,
    /// Names and figures the event's reports lead with that the article never
    /// mentions, most specific first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_names: Vec<String>,
}

fn is_zero(value: &f32) -> bool {
    *value == 0.0
}

/// Two events found to be one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    /// The event that no longer exists (it redirects to `into`).
    pub from: u64,
    pub into: u64,
    /// Average similarity of their members.
    pub score: f32,
    pub shared_names: Vec<String>,
}

/// Where an article went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub doc: u64,
    pub event: u64,
    /// Whether the article started the event.
    pub created: bool,
    pub why: Why,
    /// Events merged as a result.
    pub merges: Vec<Merge>,
    /// An event split as a result (the one the article joined, found to be two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
}

/// An event found to be two: some of its members move to a new event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// The event that keeps its id and its oldest member.
    pub from: u64,
    /// The new event.
    pub into: u64,
    /// The documents that moved.
    pub moved: Vec<u64>,
    /// Average similarity across the two parts, and within each.
    pub across: f32,
    pub within: [f32; 2],
}

/// The state of online clustering: every event's members and an index to find
/// candidates.
#[derive(Debug)]
pub struct Clusterer {
    config: Config,
    vocabulary: Vocabulary,
    docs: HashMap<u64, Doc>,
    doc_event: HashMap<u64, u64>,
    events: BTreeMap<u64, Event>,
    /// Term → events with a member having that term among its keys (may hold merged
    /// ids, resolved through `redirects`).
    postings: HashMap<TermId, Vec<u64>>,
    redirects: HashMap<u64, u64>,
    next_event: u64,
    /// The latest time seen, and inserts since events were last retired.
    newest: Option<i64>,
    since_retire: usize,
    /// The terms of the documents seen while the vocabulary was young (see
    /// [`Config::warm_up`]), and the vocabulary's size when they were last weighed.
    early: Vec<(u64, DocTerms)>,
    weighed_at: u32,
}

impl Clusterer {
    pub fn new(config: Config) -> Self {
        Self {
            config,
            vocabulary: Vocabulary::default(),
            docs: HashMap::new(),
            doc_event: HashMap::new(),
            events: BTreeMap::new(),
            postings: HashMap::new(),
            redirects: HashMap::new(),
            next_event: 1,
            newest: None,
            since_retire: 0,
            early: Vec::new(),
            weighed_at: 0,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Counts a document's terms in the document frequencies without assigning it (for
    /// batch runs, where every document is known before the first is assigned).
    pub fn observe(&mut self, terms: &DocTerms) {
        self.vocabulary.observe(terms);
    }

    /// The event a document belongs to.
    pub fn event_of(&self, doc: u64) -> Option<u64> {
        self.doc_event.get(&doc).map(|e| self.resolve(*e))
    }

    /// The event an id now is (following merges).
    pub fn resolve(&self, mut event: u64) -> u64 {
        while let Some(next) = self.redirects.get(&event) {
            event = *next;
        }
        event
    }

    /// Number of live events.
    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// Restores a document already assigned (when loading a store): no decision is made.
    /// `observe` counts its terms in the document frequencies.
    pub fn restore(
        &mut self,
        doc: u64,
        terms: &DocTerms,
        time: Option<i64>,
        event: u64,
        observe: bool,
    ) {
        if observe {
            self.vocabulary.observe(terms);
        }
        let vectorised = self.vectorise(terms, time);
        self.next_event = self.next_event.max(event + 1);
        self.insert(doc, vectorised, event);
        self.keep_early(doc, terms);
    }

    /// Restores a document too old to be compared again (when loading a store): its
    /// terms count in the document frequencies and it answers
    /// [`Clusterer::event_of`], but no vector is kept.
    pub fn restore_retired(&mut self, doc: u64, terms: &DocTerms, event: u64) {
        self.vocabulary.observe(terms);
        self.next_event = self.next_event.max(event + 1);
        self.doc_event.insert(doc, self.resolve(event));
    }

    /// Whether a document of this time would be retired, given the newest time seen and
    /// how many documents there are in all (see [`Clusterer::retire_old`]).
    pub fn is_retired(&self, time: Option<i64>, newest: Option<i64>, documents: usize) -> bool {
        if documents <= self.config.max_docs {
            return false;
        }
        match (time, newest) {
            (Some(time), Some(newest)) => {
                time < newest - (self.config.window_days * 1.5 * DAY) as i64
            }
            _ => false,
        }
    }

    /// Records that an event was merged into another (when loading a store).
    pub fn restore_redirect(&mut self, from: u64, into: u64) {
        self.redirects.insert(from, into);
        self.next_event = self.next_event.max(from + 1).max(into + 1);
    }

    /// Assigns a new document (terms counted first, so its own terms have a frequency).
    pub fn add(&mut self, doc: u64, terms: &DocTerms, time: Option<i64>) -> Assignment {
        self.vocabulary.observe(terms);
        self.assign(doc, terms, time)
    }

    /// Starts a new event with a document, without comparing it (an event record, which
    /// defines its own event); later documents may join it.
    pub fn start(&mut self, doc: u64, terms: &DocTerms, time: Option<i64>) -> Assignment {
        self.vocabulary.observe(terms);
        let vectorised = self.vectorise(terms, time);
        let event = self.next_event;
        self.next_event += 1;
        self.insert(doc, vectorised, event);
        Assignment {
            doc,
            event,
            created: true,
            why: Why::default(),
            merges: Vec::new(),
            split: None,
        }
    }

    /// Assigns a document whose terms were already counted with [`Clusterer::observe`].
    pub fn assign(&mut self, doc: u64, terms: &DocTerms, time: Option<i64>) -> Assignment {
        let vectorised = self.vectorise(terms, time);
        let candidates = self.candidates(&vectorised);
        let mut scored: Vec<(u64, Why)> = candidates
            .iter()
            .map(|event| (*event, self.score(&vectorised, *event)))
            .collect();
        scored.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        let candidate_count = scored.len();
        let crowd = self.crowd_factor(candidate_count);
        let best = scored.first().cloned();
        let (event, created, mut why) = match best {
            Some((event, mut why)) if why.score >= self.threshold() * crowd => {
                // Only the chosen event's shared terms are worth the cost of naming.
                (why.shared_terms, why.shared_names) = self.shared(&vectorised, event);
                if why.missing > 0.0 {
                    why.missing_names = self.missing_names(&vectorised, event);
                }
                (event, false, why)
            }
            other => {
                let missing_names = match &other {
                    Some((best, why)) if why.missing > 0.0 => {
                        self.missing_names(&vectorised, *best)
                    }
                    _ => Vec::new(),
                };
                let event = self.next_event;
                self.next_event += 1;
                let mut why = other.map(|(_, w)| w).unwrap_or_default();
                why.shared_terms.clear();
                why.shared_names.clear();
                why.missing_names = missing_names;
                (event, true, why)
            }
        };
        why.candidates = candidate_count;
        why.bar = self.threshold() * crowd;
        self.insert(doc, vectorised, event);
        self.keep_early(doc, terms);
        let mut merges = if created {
            Vec::new()
        } else {
            self.merge_around(event, &scored, crowd)
        };
        merges.extend(self.warm_up());
        let event = self.resolve(event);
        let split = self.split_check(event);
        Assignment {
            doc,
            event: self.event_of(doc).unwrap_or(event),
            created,
            why,
            merges,
            split,
        }
    }

    /// Splits an event whose members fall into two groups that are each as close as a
    /// join needs but far apart from each other (checked as an event grows, every
    /// fourth member, over its most recent members).
    fn split_check(&mut self, event: u64) -> Option<Split> {
        let members: Vec<u64> = {
            let all = &self.events.get(&event)?.members;
            if all.len() < 4 || all.len() % 4 != 0 {
                return None;
            }
            all.iter()
                .rev()
                .take(self.config.max_members)
                .copied()
                .collect()
        };
        let w = self.config.named_weight;
        let docs: Vec<&Doc> = members.iter().filter_map(|m| self.docs.get(m)).collect();
        if docs.len() != members.len() {
            return None;
        }
        let n = docs.len();
        let mut sim = vec![vec![0.0f32; n]; n];
        // The names-only similarity is only read by the split by names.
        let by_names = self.config.core_split > 0.0;
        let size = if by_names { n } else { 0 };
        let mut name_sim = vec![vec![0.0f32; size]; size];
        for i in 0..n {
            for j in i + 1..n {
                let (t, names) = self.similarity(docs[i], docs[j]);
                sim[i][j] = (1.0 - w) * t + w * names;
                sim[j][i] = sim[i][j];
                if by_names {
                    name_sim[i][j] = names;
                    name_sim[j][i] = names;
                }
            }
        }
        let link = |sim: &[Vec<f32>], a: &[usize], b: &[usize]| -> f32 {
            let total: f32 = a
                .iter()
                .flat_map(|&i| b.iter().map(move |&j| (i, j)))
                .map(|(i, j)| sim[i][j])
                .sum();
            total / (a.len() * b.len()) as f32
        };
        // Average-linkage agglomeration down to two groups.
        let agglomerate = |sim: &[Vec<f32>]| -> Vec<Vec<usize>> {
            let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
            while groups.len() > 2 {
                let mut best = (f32::MIN, 0, 1);
                for x in 0..groups.len() {
                    for y in x + 1..groups.len() {
                        let s = link(sim, &groups[x], &groups[y]);
                        if s > best.0 {
                            best = (s, x, y);
                        }
                    }
                }
                let merged = groups.remove(best.2);
                groups[best.1].extend(merged);
            }
            groups
        };
        let within = |g: &[usize]| -> f32 {
            if g.len() < 2 {
                return 0.0;
            }
            let mut total = 0.0;
            for (k, &i) in g.iter().enumerate() {
                for &j in &g[k + 1..] {
                    total += sim[i][j];
                }
            }
            total / (g.len() * (g.len() - 1) / 2) as f32
        };
        let mut groups = agglomerate(&sim);
        let (mut across, mut inside) = {
            let (a, b) = (&groups[0], &groups[1]);
            (link(&sim, a, b), [within(a), within(b)])
        };
        let threshold = self.threshold();
        let by_text = groups[0].len() >= 2
            && groups[1].len() >= 2
            && across < threshold * 0.75
            && inside.iter().all(|w| *w >= threshold.max(2.5 * across));
        if !by_text {
            if !by_names {
                return None;
            }
            groups = agglomerate(&name_sim);
            let (a, b) = (&groups[0], &groups[1]);
            if a.len() < 2 || b.len() < 2 {
                return None;
            }
            let part = |g: &[usize]| {
                Centroid::of(g.iter().map(|&i| docs[i]), Some(self.config.core_share))
            };
            let (x, y) = (part(a), part(b));
            if self.cores_apart(&x, &y) < self.config.core_split {
                return None;
            }
            across = link(&sim, a, b);
            inside = [within(a), within(b)];
        }
        let (a, b) = (&groups[0], &groups[1]);
        // The group with the oldest member keeps the id.
        let oldest = self.events.get(&event)?.members.first().copied()?;
        let keeps_a = a.iter().any(|&i| members[i] == oldest);
        let moving = if keeps_a { b } else { a };
        let moved: Vec<u64> = moving.iter().map(|&i| members[i]).collect();
        let into = self.next_event;
        self.next_event += 1;
        let mut source = self.events.remove(&event)?;
        source.members.retain(|m| !moved.contains(m));
        let mut target = Event::default();
        for doc in &moved {
            target.members.push(*doc);
            self.doc_event.insert(*doc, into);
            if let Some(d) = self.docs.get(doc) {
                target.add_time(d.time);
                for key in &d.keys {
                    self.postings.entry(*key).or_default().push(into);
                }
            }
        }
        target
            .members
            .sort_by_key(|m| self.docs.get(m).and_then(|d| d.time).unwrap_or(i64::MIN));
        let mut kept = Event::default();
        for doc in &source.members {
            kept.add_time(self.docs.get(doc).and_then(|d| d.time));
        }
        kept.members = source.members;
        self.events.insert(event, kept);
        self.events.insert(into, target);
        Some(Split {
            from: event,
            into,
            moved,
            across,
            within: if keeps_a {
                inside
            } else {
                [inside[1], inside[0]]
            },
        })
    }

    /// When more than [`Config::max_docs`] documents are in memory, drops the events
    /// whose articles are all older than one and a half windows before the newest
    /// article: only an article that old could still join them, so their vectors and
    /// index entries would cost memory for a backfill that a bounded memory cannot
    /// serve. Their documents still answer [`Clusterer::event_of`]. Called as documents
    /// arrive, every 1024 inserts.
    pub fn retire_old(&mut self) -> usize {
        let Some(newest) = self.newest else {
            return 0;
        };
        if self.docs.len() <= self.config.max_docs {
            return 0;
        }
        let cutoff = newest - (self.config.window_days * 1.5 * DAY) as i64;
        let old: Vec<u64> = self
            .events
            .iter()
            .filter(|(_, e)| e.last.is_some_and(|last| last < cutoff))
            .map(|(id, _)| *id)
            .collect();
        for id in &old {
            let Some(event) = self.events.remove(id) else {
                continue;
            };
            for member in event.members {
                if let Some(doc) = self.docs.remove(&member) {
                    for key in doc.keys {
                        if let Some(list) = self.postings.get_mut(&key) {
                            list.retain(|e| e != id);
                            if list.is_empty() {
                                self.postings.remove(&key);
                            }
                        }
                    }
                }
            }
        }
        old.len()
    }

    /// Keeps a document's terms while the vocabulary is young.
    fn keep_early(&mut self, doc: u64, terms: &DocTerms) {
        if (self.vocabulary.docs as usize) <= self.config.warm_up {
            self.early.push((doc, terms.clone()));
        }
    }

    /// Each time the young vocabulary has doubled, weighs the documents seen so far
    /// again and repairs their events; once it is grown, forgets their terms.
    fn warm_up(&mut self) -> Vec<Merge> {
        let docs = self.vocabulary.docs;
        if self.early.is_empty() || docs < self.weighed_at.max(8) * 2 {
            return Vec::new();
        }
        let events = self.reweigh_early();
        self.repair_events(events)
    }

    /// After a store's documents were restored (each weighed by the vocabulary as it
    /// stood when it was read back): weighs the young vocabulary's documents again by
    /// the whole one. Their events are as stored; nothing is repaired.
    pub fn restored(&mut self) {
        self.reweigh_early();
    }

    /// Weighs the kept documents again by the vocabulary as it is now, and returns
    /// their events; forgets them once the vocabulary is grown.
    fn reweigh_early(&mut self) -> Vec<u64> {
        let docs = self.vocabulary.docs;
        self.weighed_at = docs;
        let early = std::mem::take(&mut self.early);
        let mut events = Vec::new();
        for (doc, terms) in &early {
            let Some(time) = self.docs.get(doc).map(|d| d.time) else {
                continue;
            };
            let vectorised = self.vectorise(terms, time);
            let Some(event) = self.event_of(*doc) else {
                continue;
            };
            for key in &vectorised.keys {
                let list = self.postings.entry(*key).or_default();
                if !list.contains(&event) {
                    list.push(event);
                }
            }
            if let Some(e) = self.events.get_mut(&event) {
                e.changed();
            }
            self.docs.insert(*doc, vectorised);
            events.push(event);
        }
        if (docs as usize) <= self.config.warm_up {
            self.early = early;
        }
        events.sort_unstable();
        events.dedup();
        events
    }

    fn insert(&mut self, doc: u64, vectorised: Doc, event: u64) {
        if let Some(time) = vectorised.time {
            self.newest = Some(self.newest.map_or(time, |n| n.max(time)));
        }
        self.since_retire += 1;
        if self.since_retire >= 1024 {
            self.since_retire = 0;
            self.retire_old();
        }
        let event = self.resolve(event);
        for key in &vectorised.keys {
            let list = self.postings.entry(*key).or_default();
            if list.last() != Some(&event) {
                list.push(event);
            }
        }
        let entry = self.events.entry(event).or_default();
        entry.members.push(doc);
        entry.changed();
        entry.add_time(vectorised.time);
        self.docs.insert(doc, vectorised);
        self.doc_event.insert(doc, event);
    }

    /// The joining threshold now: weights sharpened by a higher IDF power make related
    /// articles less similar by cosine, so the threshold falls with the power.
    fn threshold(&self) -> f32 {
        self.config.threshold * self.idf_power().powf(-0.6)
    }

    /// How much higher the bar is among `candidates` candidates (see [`Config::crowd`]).
    fn crowd_factor(&self, candidates: usize) -> f32 {
        let over = candidates as f32 / self.config.crowd_free.max(1) as f32;
        1.0 + self.config.crowd * over.max(1.0).ln()
    }

    /// The power of IDF in term weights now.
    fn idf_power(&self) -> f32 {
        if let Some(power) = self.config.idf_power {
            return power;
        }
        let widest = ((self.vocabulary.docs as f32 + 1.0) / 2.0).ln() + 1.0;
        if widest <= 1.0 {
            return 3.0;
        }
        (self.config.idf_range.ln() / widest.ln()).clamp(1.0, 3.0)
    }

    fn vectorise(&mut self, terms: &DocTerms, time: Option<i64>) -> Doc {
        let power = self.idf_power();
        let mut all: Vec<(TermId, f32, bool)> = terms
            .counts
            .iter()
            .zip(&terms.named)
            .map(|((term, count), named)| {
                let id = self.vocabulary.id(term);
                let weight = (1.0 + count.max(1.0).ln()) * self.vocabulary.idf(id).powf(power);
                (id, weight, *named)
            })
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(self.config.max_terms);
        // Keys: the most specific terms, and the most specific names and figures (a
        // text with many words of its own would otherwise have only those as keys, and
        // they find nothing).
        let mut keys: Vec<TermId> = all
            .iter()
            .take(self.config.retrieval_terms)
            .map(|e| e.0)
            .chain(
                all.iter()
                    .filter(|e| e.2)
                    .take(self.config.retrieval_terms)
                    .map(|e| e.0),
            )
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let named = all
            .iter()
            .filter(|e| e.2)
            .map(|e| (e.0, e.1))
            .collect::<Vec<_>>();
        let (mut mentions, mut head) = (Vec::new(), Vec::new());
        if self.conflicts_on() {
            mentions = all.iter().map(|e| e.0).collect();
            for (((term, _), named), in_head) in terms
                .counts
                .iter()
                .zip(&terms.named)
                .zip(terms.head.iter().chain(std::iter::repeat(&false)))
            {
                if *named {
                    let id = self.vocabulary.id(term);
                    mentions.push(id);
                    if *in_head {
                        head.push(id);
                    }
                }
            }
            mentions.sort_unstable();
            mentions.dedup();
            head.sort_unstable();
        }
        Doc {
            all: Vector::normalised(all.iter().map(|e| (e.0, e.1)).collect()),
            named: Vector::normalised(named),
            keys,
            time,
            short: terms.counts.len() < self.config.short_terms,
            mentions,
            head,
        }
    }

    /// Live events sharing a key term with the document, within the time window.
    fn candidates(&self, doc: &Doc) -> Vec<u64> {
        let posted: Vec<u64> = doc
            .keys
            .iter()
            .filter_map(|key| self.postings.get(key))
            .flat_map(|events| events.iter().rev().take(256).copied())
            .collect();
        // Events sharing the most key terms first, then the newest: the comparisons an
        // article costs stay bounded however common its terms are.
        let mut counted = self.resolved_counts(posted);
        // Only the best are looked up for the time window: in a large store an article's
        // keys reach thousands of events, and looking each one up cost more than all
        // the scoring (a profile at 100,000 articles).
        counted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        let mut chosen: Vec<u64> = counted
            .into_iter()
            .map(|(event, _)| event)
            .filter(|event| {
                self.events.get(event).is_some_and(|e| {
                    e.days_from(doc.time)
                        .is_none_or(|days| days <= self.config.window_days)
                })
            })
            .take(self.config.max_candidates)
            .collect();
        chosen.sort_unstable();
        chosen
    }

    /// How often each event occurs among `posted`, posted ids resolved through merges
    /// and sorted by event. Raw ids are counted first, so a merged id is followed once
    /// however many postings name it (up to 24 keys × 256 postings an article).
    fn resolved_counts(&self, mut posted: Vec<u64>) -> Vec<(u64, usize)> {
        posted.sort_unstable();
        let mut counted: Vec<(u64, usize)> = Vec::with_capacity(posted.len());
        for id in posted {
            match counted.last_mut() {
                Some((last, hits)) if *last == id => *hits += 1,
                _ => counted.push((id, 1)),
            }
        }
        for (id, _) in &mut counted {
            *id = self.resolve(*id);
        }
        // Merged ids now share their event: add their counts together.
        counted.sort_unstable_by_key(|(event, _)| *event);
        counted.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 += next.1;
            }
            same
        });
        counted
    }

    fn similarity(&self, a: &Doc, b: &Doc) -> (f32, f32) {
        (a.all.dot(&b.all), a.named.dot(&b.named))
    }

    fn time_factor(&self, days: Option<f32>) -> f32 {
        match days {
            Some(days) if days > self.config.grace_days => {
                (self.config.grace_days / days).powf(self.config.time_power)
            }
            _ => 1.0,
        }
    }

    fn recent_members(&self, event: u64) -> impl Iterator<Item = &Doc> {
        self.events
            .get(&event)
            .map(|e| e.members.as_slice())
            .unwrap_or_default()
            .iter()
            .rev()
            .take(self.config.max_members)
            .filter_map(|m| self.docs.get(m))
    }

    /// The event's centroid over its recent members.
    fn centroid(&self, event: u64) -> Option<&Centroid> {
        let e = self.events.get(&event)?;
        Some(
            e.centroid
                .get_or_init(|| Centroid::of(self.recent_members(event), self.core_share())),
        )
    }

    fn score(&self, doc: &Doc, event: u64) -> Why {
        let Some(centroid) = self.centroid(event).filter(|c| c.count > 0) else {
            return Why::default();
        };
        let compared = centroid.count;
        let w = self.config.named_weight;
        let (mut text, mut names) = (doc.all.dot(&centroid.all), doc.named.dot(&centroid.named));
        if doc.short && compared > 1 {
            // A short document's best match among the members, when it beats the average.
            for member in self.recent_members(event) {
                let (t, n) = self.similarity(doc, member);
                if (1.0 - w) * t + w * n > (1.0 - w) * text + w * names {
                    (text, names) = (t, n);
                }
            }
        }
        let days = self.events.get(&event).and_then(|e| e.days_from(doc.time));
        let time_factor = self.time_factor(days);
        let missing = self.missing(doc, centroid);
        let score = ((1.0 - w) * text + w * names)
            * time_factor
            * (1.0 - self.config.conflict * missing).max(0.0);
        Why {
            score,
            text_similarity: text,
            name_similarity: names,
            time_factor,
            days_apart: days,
            shared_terms: Vec::new(),
            shared_names: Vec::new(),
            compared,
            candidates: 0,
            bar: 0.0,
            missing,
            missing_names: Vec::new(),
        }
    }

    /// Whether conflicts between cores count (see [`Config::conflict`]).
    fn conflicts_on(&self) -> bool {
        self.config.conflict > 0.0 || self.config.core_split > 0.0
    }

    /// The core share centroids are built with, when conflicts count.
    fn core_share(&self) -> Option<f32> {
        self.conflicts_on().then_some(self.config.core_share)
    }

    /// The share of `terms` (by specificity) absent from the sorted `within`.
    fn absent_share(&self, terms: impl Iterator<Item = TermId>, within: &[TermId]) -> f32 {
        let power = self.idf_power();
        let (mut lacking, mut total) = (0.0f32, 0.0f32);
        for id in terms {
            let w = self.vocabulary.idf(id).powf(power);
            total += w;
            if within.binary_search(&id).is_err() {
                lacking += w;
            }
        }
        if total > 0.0 { lacking / total } else { 0.0 }
    }

    /// How far a document and an event name different things (see
    /// [`Config::conflict`]): the smaller of the share of the event's core the document
    /// never mentions and the share of the document's head names, seen in other
    /// documents too, that the event never mentions.
    fn missing(&self, doc: &Doc, centroid: &Centroid) -> f32 {
        if self.config.conflict <= 0.0 || centroid.core.is_empty() {
            return 0.0;
        }
        let core = self.absent_share(centroid.core.iter().copied(), &doc.mentions);
        let seen_elsewhere = |id: &TermId| {
            self.vocabulary
                .df
                .get(*id as usize)
                .is_some_and(|df| *df >= 2)
        };
        let own = self.absent_share(
            doc.head.iter().copied().filter(seen_elsewhere),
            &centroid.mentions,
        );
        core.min(own)
    }

    /// How far apart two groups' cores are: the smaller of the share of `a`'s core that
    /// `b`'s members never mention and the share of `b`'s that `a`'s never mention.
    fn cores_apart(&self, a: &Centroid, b: &Centroid) -> f32 {
        let missing =
            |a: &Centroid, b: &Centroid| self.absent_share(a.core.iter().copied(), &b.mentions);
        missing(a, b).min(missing(b, a))
    }

    /// The names of an event's core that a document never mentions, most specific first.
    fn missing_names(&self, doc: &Doc, event: u64) -> Vec<String> {
        let Some(centroid) = self.centroid(event) else {
            return Vec::new();
        };
        let mut absent: Vec<(TermId, f32)> = centroid
            .core
            .iter()
            .filter(|id| doc.mentions.binary_search(id).is_err())
            .map(|id| (*id, self.vocabulary.idf(*id)))
            .collect();
        absent.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        absent
            .into_iter()
            .take(8)
            .map(|(id, _)| self.vocabulary.terms[id as usize].clone())
            .collect()
    }

    /// The terms and names a document shares with an event, by their contribution to
    /// the similarity.
    fn shared(&self, doc: &Doc, event: u64) -> (Vec<String>, Vec<String>) {
        let Some(centroid) = self.centroid(event) else {
            return (Vec::new(), Vec::new());
        };
        // Summed over the members, a term's contribution is its weight times the
        // members' mean weight: one lookup in the centroid instead of one per member.
        let top = |vector: &Vector, mean: &Vector| -> Vec<String> {
            let mut list: Vec<(TermId, f32)> = vector
                .0
                .iter()
                .filter_map(|(id, w)| {
                    mean.0
                        .binary_search_by_key(id, |e| e.0)
                        .ok()
                        .map(|at| (*id, w * mean.0[at].1))
                })
                .collect();
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.into_iter()
                .take(8)
                .map(|(id, _)| self.vocabulary.terms[id as usize].clone())
                .collect()
        };
        (
            top(&doc.all, &centroid.all),
            top(&doc.named, &centroid.named),
        )
    }

    /// Average linkage between two events' recent members.
    fn event_similarity(&self, a: u64, b: u64) -> (f32, Vec<String>) {
        let w = self.config.named_weight;
        let (Some(x), Some(y)) = (self.centroid(a), self.centroid(b)) else {
            return (0.0, Vec::new());
        };
        if x.count == 0 || y.count == 0 {
            return (0.0, Vec::new());
        }
        let days = match (self.events.get(&a), self.events.get(&b)) {
            (Some(ea), Some(eb)) => ea
                .days_from(eb.first)
                .zip(ea.days_from(eb.last))
                .map(|(p, q)| p.min(q)),
            _ => None,
        };
        let sum = (1.0 - w) * x.all.dot(&y.all) + w * x.named.dot(&y.named);
        let missing = if self.conflicts_on() {
            self.cores_apart(x, y)
        } else {
            0.0
        };
        // Two events the split by names would take apart again are not merged.
        if self.config.core_split > 0.0
            && x.count >= 2
            && y.count >= 2
            && missing >= self.config.core_split
        {
            return (0.0, Vec::new());
        }
        let score = sum * self.time_factor(days) * (1.0 - self.config.conflict * missing).max(0.0);
        // The shared names explain a merge; only worth their cost when there is one.
        let names = if score >= self.threshold() {
            self.recent_members(b)
                .next()
                .map(|doc| self.shared(doc, a).1)
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        (score, names)
    }

    /// After a join, merges the other candidates that are now as close to the event as
    /// a join would need.
    fn merge_around(&mut self, event: u64, scored: &[(u64, Why)], crowd: f32) -> Vec<Merge> {
        let mut merges = Vec::new();
        let mut event = self.resolve(event);
        for (other, why) in scored.iter().skip(1) {
            if why.score < self.threshold() * crowd * 0.5 {
                break;
            }
            let other = self.resolve(*other);
            if other == event {
                continue;
            }
            let (score, shared_names) = self.event_similarity(event, other);
            if score >= self.threshold() * crowd {
                event = self.merge_recorded(event, other, score, shared_names, &mut merges);
            }
        }
        merges
    }

    /// Merges two events into the older id, records the merge, and returns that id.
    fn merge_recorded(
        &mut self,
        a: u64,
        b: u64,
        score: f32,
        shared_names: Vec<String>,
        merges: &mut Vec<Merge>,
    ) -> u64 {
        let (into, from) = (a.min(b), a.max(b));
        self.merge(from, into);
        merges.push(Merge {
            from,
            into,
            score,
            shared_names,
        });
        into
    }

    /// Repairs events as evidence has grown: each event is compared with the events
    /// sharing its members' key terms, and merged with those now as close as a join
    /// would need. Returns the merges, in the order made.
    pub fn repair(&mut self) -> Vec<Merge> {
        let ids: Vec<u64> = self.events.keys().copied().collect();
        self.repair_events(ids)
    }

    /// [`Clusterer::repair`] starting from some events only.
    fn repair_events(&mut self, ids: Vec<u64>) -> Vec<Merge> {
        let mut merges = Vec::new();
        for id in ids {
            let mut event = self.resolve(id);
            if !self.events.contains_key(&event) {
                continue;
            }
            let posted: Vec<u64> = self
                .recent_members(event)
                .flat_map(|doc| doc.keys.iter())
                .filter_map(|key| self.postings.get(key))
                .flat_map(|events| events.iter().rev().take(256).copied())
                .collect();
            let mut scored: Vec<(u64, f32, Vec<String>)> = self
                .resolved_counts(posted)
                .into_iter()
                .map(|(other, _)| other)
                .filter(|other| *other != event)
                .map(|other| {
                    let (score, names) = self.event_similarity(event, other);
                    (other, score, names)
                })
                .filter(|(_, score, _)| *score >= self.threshold())
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for (other, score, shared_names) in scored {
                let other = self.resolve(other);
                if other == event || self.event_similarity(event, other).0 < self.threshold() {
                    continue;
                }
                event = self.merge_recorded(event, other, score, shared_names, &mut merges);
            }
        }
        merges
    }

    fn merge(&mut self, from: u64, into: u64) {
        let Some(gone) = self.events.remove(&from) else {
            return;
        };
        self.redirects.insert(from, into);
        let target = self.events.entry(into).or_default();
        target.first = match (target.first, gone.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        target.last = match (target.last, gone.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for doc in &gone.members {
            self.doc_event.insert(*doc, into);
        }
        target.members.extend(gone.members);
        target.changed();
        // Keep members in arrival order by time where known, so "recent" means recent.
        let docs = &self.docs;
        target
            .members
            .sort_by_key(|m| docs.get(m).and_then(|d| d.time).unwrap_or(i64::MIN));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> DocTerms {
        DocTerms::of(None, text)
    }

    /// The first reports a new store sees are weighed by a vocabulary of a few
    /// documents, in which the words they share look common; once the vocabulary has
    /// grown they are weighed again and their events repaired.
    #[test]
    fn a_young_vocabulary_is_weighed_again_as_it_grows() {
        let reports = [
            "Floodwater from the Vellmar swept through Brannock on Monday, forcing 400 residents from their homes.",
            "Hundreds in Brannock were evacuated overnight as the Vellmar burst its banks, officials said.",
            "The Vellmar flood damaged the old mill bridge in Brannock; a shelter opened at the school.",
            "Mayor Ilse Varga said Brannock would need weeks to recover from the Vellmar flooding.",
            "Army engineers arrived in Brannock on Tuesday to shore up levees as the Vellmar receded.",
            "Insurers began assessing flood damage after the Vellmar reached the Brannock town square.",
        ];
        let places = [
            "Corrick", "Tamsel", "Ondara", "Pellan", "Ruswick", "Halden", "Merrow", "Quenby",
            "Saltreth", "Dunvale", "Ashgrove", "Bellmoor", "Crandle", "Eskwith", "Fennick",
            "Glaston", "Harrowby", "Islip", "Jorvale", "Kestin", "Lanford", "Marwick", "Norwood",
            "Oakhurst", "Prenton", "Ryeford", "Stowe", "Thirsk", "Upton", "Welby",
        ];
        let topics = [
            "council approved a budget for new parks and libraries",
            "football club signed a young striker from the league below",
            "museum opened an exhibition of medieval coins and maps",
            "hospital hired forty nurses to shorten waiting times",
            "bakery chain announced plans to open ten shops next year",
            "orchestra named a new conductor for the autumn season",
        ];
        let run = |config: Config| {
            let mut events = Clusterer::new(config);
            let mut merges = 0;
            for (i, text) in reports.iter().enumerate() {
                let found = events.add(i as u64, &terms(text), Some(i as i64 * 3_600));
                merges += found.merges.len();
            }
            for (i, place) in places.iter().enumerate() {
                let text = format!("The {place} {} on Wednesday.", topics[i % topics.len()]);
                let found = events.add(100 + i as u64, &terms(&text), Some(86_400));
                merges += found.merges.len();
            }
            let mut flood: Vec<u64> = (0..reports.len() as u64)
                .filter_map(|doc| events.event_of(doc))
                .collect();
            flood.sort_unstable();
            flood.dedup();
            (flood.len(), merges)
        };
        let (cold, _) = run(Config {
            warm_up: 0,
            ..Config::default()
        });
        let (warm, merges) = run(Config::default());
        assert!(cold > 1, "the first reports alone split: {cold}");
        assert_eq!(warm, 1, "weighed again, the flood is one event");
        assert!(merges > 0);

        // A store read back is weighed once by its whole vocabulary, not repaired
        // again by the next article.
        let mut restored = Clusterer::new(Config::default());
        for (i, text) in reports.iter().enumerate() {
            restored.restore(i as u64, &terms(text), Some(i as i64 * 3_600), 1, true);
        }
        restored.restored();
        assert_eq!(restored.weighed_at, reports.len() as u32);
        let text = "The Corrick museum opened an exhibition of coins.";
        let next = restored.add(99, &terms(text), Some(86_400));
        assert!(next.merges.is_empty());
    }

    #[test]
    fn the_same_kind_of_happening_far_apart_in_time_is_two_events() {
        let mut events = Clusterer::new(Config::default());
        let text = "An earthquake of magnitude 5.8 struck near Darvel on Sunday, damaging homes in Darvel and Kessin.";
        let a = events.add(1, &terms(text), Some(0));
        let b = events.add(2, &terms(text), Some(400 * 86_400));
        assert_ne!(a.event, b.event, "a year apart is another quake");
        let c = events.add(3, &terms(text), Some(86_400));
        assert_eq!(c.event, a.event);
        assert!(c.why.score > 0.9);
        assert!(c.why.shared_names.contains(&"darvel".to_string()));
        assert_eq!(c.why.days_apart, Some(1.0));
    }

    /// Reports of one team putting a player on the injured list: the same words every
    /// time, told apart by whom they lead with.
    fn injured(player: &str, position: &str, injury: &str, variant: usize) -> DocTerms {
        let lead = match variant % 4 {
            0 => format!(
                "The Harbour Lions placed {position} {player} on the injured list on Wednesday with a {injury}."
            ),
            1 => format!(
                "Harbour Lions {position} {player} will miss the rest of the season after the club put him on the injured list with a {injury}."
            ),
            2 => format!(
                "Coach Marta Ellery said the Harbour Lions moved {player} to the injured list, ending the {position}'s season with a {injury}."
            ),
            _ => format!(
                "A {injury} has ended the season of {position} {player}, whom the Harbour Lions placed on the injured list."
            ),
        };
        terms(&format!(
            "{lead} Coach Marta Ellery told reporters at Quayside Park that the Harbour Lions would miss {player} in the playoffs. \
             The Harbour Lions are 9-7 and one game out of a playoff place in the Northern League. \
             {player} was hurt in the 24-21 loss to the Port Ravens on Sunday, and scans confirmed the {injury} on Tuesday."
        ))
    }

    #[test]
    fn one_kind_of_happening_led_by_different_names_is_two_events() {
        let vell = |i| injured("Tomas Vell", "winger", "torn hamstring", i);
        let okafor = |i| injured("Ruben Okafor", "goalkeeper", "broken wrist", i);
        let run = |config: Config| {
            let mut events = Clusterer::new(config);
            for i in 0..4 {
                events.add(i, &vell(i as usize), None);
            }
            let mut last = None;
            for i in 4..8 {
                last = Some(events.add(i, &okafor(i as usize), None));
            }
            let found: Vec<u64> = (0..8).map(|i| events.event_of(i).unwrap()).collect();
            (events, found, last.unwrap())
        };
        // Without conflicts, the second player's reports join the first one's event.
        let (_, found, _) = run(Config {
            conflict: 0.0,
            core_split: 0.0,
            ..Config::default()
        });
        assert!(found.iter().all(|e| *e == found[0]), "{found:?}");
        // With them, each player's reports are one event.
        let (mut events, found, _) = run(Config::default());
        assert!(found[..4].iter().all(|e| *e == found[0]), "{found:?}");
        assert!(found[4..].iter().all(|e| *e == found[4]), "{found:?}");
        assert_ne!(found[0], found[4]);
        // The first player's next report joins the first event, and says what it
        // lacks of the second.
        let next = events.add(8, &vell(1), None);
        assert_eq!(next.event, found[0], "{:?}", next.why);
        assert_eq!(events.event_of(4), Some(found[4]), "{:?}", next.merges);
        let against_second = events.score(&events.docs[&8].clone(), found[4]);
        assert!(against_second.missing > 0.3, "{against_second:?}");
        let lacks = events.missing_names(&events.docs[&8].clone(), found[4]);
        assert!(lacks.contains(&"okafor".to_string()), "{lacks:?}");
    }

    #[test]
    fn an_event_whose_members_lead_with_two_sets_of_names_splits() {
        // Conflicts off at joins: both players' reports pile into one event, and the
        // split by names takes them apart.
        let mut events = Clusterer::new(Config {
            conflict: 0.0,
            ..Config::default()
        });
        let mut split = None;
        for i in 0..4 {
            events.add(
                i,
                &injured("Tomas Vell", "winger", "torn hamstring", i as usize),
                None,
            );
        }
        for i in 4..8 {
            let a = events.add(
                i,
                &injured("Ruben Okafor", "goalkeeper", "broken wrist", i as usize),
                None,
            );
            split = split.or(a.split);
        }
        let split = split.expect("the event splits by names");
        let mut moved = split.moved.clone();
        moved.sort_unstable();
        assert_eq!(moved, vec![4, 5, 6, 7]);
        assert_eq!(events.event_of(0), Some(split.from));
        assert_eq!(events.event_of(7), Some(split.into));
    }

    #[test]
    fn among_many_candidates_a_join_needs_a_higher_score() {
        let config = Config {
            threshold: 0.06,
            crowd: 2.5,
            crowd_free: 4,
            ..Config::default()
        };
        let first =
            "Mayor Tove Aaland of Lindqvist opened the new harbour ferry terminal on Monday.";
        let later =
            "Ferry crews in Lindqvist walked out over pay, a month after the terminal opened.";
        let others = [
            "Ferry fares in Brenna rose again",
            "A ferry ran aground near Halden",
            "Ferry crews in Ostby voted on pay",
            "The Skarv ferry was retired",
            "Ferry timetables in Vellum changed",
            "A new ferry was named in Torsby",
            "Ferry crews in Molde won a pay rise",
            "Ferry services to Utvik were cut",
            "The Kessin ferry broke down",
            "Ferry crews in Arendal rejected an offer",
        ];
        let day = 86_400;
        // Alone, the later article clears the bar and joins the first.
        let mut few = Clusterer::new(config.clone());
        let a = few.add(1, &terms(first), Some(0));
        let b = few.add(2, &terms(later), Some(30 * day));
        assert_eq!(a.event, b.event, "{:?}", b.why);
        assert!((b.why.bar - few.threshold()).abs() < 1e-6);
        // With ten more events sharing its words, the bar rises and it stands alone.
        let mut many = Clusterer::new(config);
        let a = many.add(1, &terms(first), Some(0));
        for (i, text) in others.iter().enumerate() {
            many.add(10 + i as u64, &terms(text), Some(day));
        }
        let b = many.add(2, &terms(later), Some(30 * day));
        assert!(b.why.candidates > 4, "{:?}", b.why);
        assert!(b.why.bar > many.threshold(), "{:?}", b.why);
        assert_ne!(a.event, b.event, "{:?}", b.why);
    }

    #[test]
    fn a_two_line_item_joins_the_report_it_matches_best() {
        let reports = [
            "A landslide buried the road into Brenvik on Monday after two days of rain, \
             cutting off the harbour village; the county engineer said the slope had moved \
             before and that repairs would take weeks.",
            "Schools in Brenvik stayed shut as the county sent a ferry to carry children \
             and supplies around the blocked road, and the mayor asked for patience while \
             geologists surveyed the hillside above the harbour.",
            "Insurers said claims from the Brenvik slide would be modest, since no homes \
             were damaged, but the fishing cooperative warned that a month without the \
             road would cost its members most of the autumn season.",
            "The county engineer of Vestmark told the council that the Brenvik slope had \
             moved in 2019 and 2021, and asked for money to anchor the hillside with steel \
             nets before the winter storms arrive.",
        ];
        let item =
            "Children of Brenvik went to school by ferry around the blocked road, the mayor said.";
        let day = 86_400;
        for (short_terms, joins) in [(40, true), (0, false)] {
            // Words alone: the item's one name is in every report.
            let mut events = Clusterer::new(Config {
                short_terms,
                named_weight: 0.0,
                ..Config::default()
            });
            // The four reports are one event (placed as a store would restore them).
            for (i, report) in reports.iter().enumerate() {
                events.restore(1 + i as u64, &terms(report), Some(day), 1, true);
            }
            let ferry = 1;
            let short = events.add(10, &terms(item), Some(day));
            assert_eq!(
                short.event == ferry,
                joins,
                "{short_terms}: {:?}",
                short.why
            );
        }
    }

    /// Postings naming events since merged count for the event they became, each
    /// posting once, however the merges chain.
    #[test]
    fn candidate_counts_follow_merges() {
        let mut clusterer = Clusterer::new(Config::default());
        clusterer.redirects.extend([(1, 3), (2, 3), (3, 7), (4, 5)]);
        let counted = clusterer.resolved_counts(vec![1, 2, 1, 7, 4, 6, 2, 5]);
        assert_eq!(counted, vec![(5, 2), (6, 1), (7, 5)]);
        assert_eq!(clusterer.resolved_counts(Vec::new()), Vec::new());
    }

    #[test]
    fn events_that_turn_out_to_be_one_merge_into_the_older() {
        let mut events = Clusterer::new(Config {
            threshold: 0.3,
            ..Config::default()
        });
        let a = events.add(
            1,
            &terms("Fire crews from Hallam fought a blaze at the Brisk mill on Dock Road."),
            Some(0),
        );
        let b = events.add(
            2,
            &terms("Residents of Ostby were evacuated as smoke drifted from Hallam."),
            Some(0),
        );
        assert_ne!(a.event, b.event);
        // An article covering both sides brings them together.
        let c = events.add(
            3,
            &terms("Fire crews from Hallam fought a blaze at the Brisk mill on Dock Road as residents of Ostby were evacuated from the smoke drifting from Hallam."),
            Some(0),
        );
        assert_eq!(events.event_of(1), events.event_of(2));
        assert_eq!(events.event_of(3), Some(a.event));
        assert!(
            c.merges
                .iter()
                .any(|m| m.from == b.event && m.into == a.event)
        );
        assert_eq!(events.resolve(b.event), a.event);
        assert_eq!(events.event_count(), 1);
    }

    #[test]
    fn an_event_that_turns_out_to_be_two_splits() {
        let mut events = Clusterer::new(Config {
            threshold: 0.2,
            idf_power: Some(1.0),
            ..Config::default()
        });
        let flood = "Flood waters of the river Varn closed the Oskerby bridge and the Oskerby ferry, said Varn warden Ilse Brandt.";
        let mayor = "Mayor Tove Aaland of Lindqvist won re-election with 61 per cent as Lindqvist counted votes, said Aaland.";
        // A round-up covering both brings them into one event at first.
        let both = format!("{flood} {mayor}");
        let first = events.add(1, &terms(&both), Some(0));
        let mut last = None;
        for (doc, text) in [
            (2, flood),
            (3, mayor),
            (4, flood),
            (5, mayor),
            (6, flood),
            (7, mayor),
            (8, flood),
        ] {
            last = Some(events.add(doc, &terms(text), Some(0)));
            if last.as_ref().is_some_and(|a| a.split.is_some()) {
                break;
            }
        }
        let split = last.and_then(|a| a.split).expect("a split");
        assert_eq!(split.from, first.event);
        assert!(split.across < split.within[0] && split.across < split.within[1]);
        let flood_event = events.event_of(2).unwrap();
        let mayor_event = events.event_of(3).unwrap();
        assert_ne!(flood_event, mayor_event);
        assert!(
            split
                .moved
                .iter()
                .all(|d| events.event_of(*d) == Some(split.into))
        );
    }

    #[test]
    fn events_far_behind_the_newest_article_leave_memory() {
        let mut events = Clusterer::new(Config {
            max_docs: 1,
            ..Config::default()
        });
        let text = "Fire crews from Hallam fought a blaze at the Brisk mill on Dock Road.";
        let old = events.add(1, &terms(text), Some(0));
        events.add(
            2,
            &terms("Voters in Lindqvist re-elected mayor Tove Aaland."),
            Some(365 * 86_400),
        );
        assert_eq!(events.retire_old(), 1);
        assert_eq!(
            events.event_of(1),
            Some(old.event),
            "still answers where it went"
        );
        // The same words a year on start a new event: the old one is no candidate.
        let again = events.add(3, &terms(text), Some(365 * 86_400));
        assert!(again.created);
    }

    #[test]
    fn an_empty_document_starts_its_own_event() {
        let mut events = Clusterer::new(Config::default());
        let a = events.add(1, &DocTerms::default(), None);
        let b = events.add(2, &DocTerms::default(), None);
        assert!(a.created && b.created);
        assert_ne!(a.event, b.event);
    }
}
