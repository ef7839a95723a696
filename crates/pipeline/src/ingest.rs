use crate::annotate::{AnnotateStats, Annotator};
use crate::events::{EventIndex, EventStats};
use crate::{Error, Result, now};
use chronicle_clean::template::OutletTemplates;
use chronicle_clean::{CleanConfig, clean};
use chronicle_ingest::{IngestConfig, Item, Reader, Validator};
use chronicle_model::{Article, ArticleId, RawDocument, Skip, SkipReason};
use chronicle_store::{Digest, Known, Reader as StoreReader, Store, Write, Written, raw_digest};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::Instant;

/// Settings of an ingest run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestOptions {
    pub ingest: IngestConfig,
    pub clean: CleanConfig,
    /// Documents per transaction.
    pub batch_size: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            ingest: IngestConfig::default(),
            clean: CleanConfig::default(),
            batch_size: 256,
        }
    }
}

/// Running counts of an ingest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IngestStats {
    /// Documents read (not counting inputs that were skipped whole).
    pub read: u64,
    /// New articles stored.
    pub cleaned: u64,
    /// Documents whose text was already stored (now one more location of it), or whose
    /// bytes were already stored from another source.
    pub duplicates: u64,
    /// Documents already stored from the same source: nothing to do.
    pub unchanged: u64,
    /// Skips by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Paragraphs removed because they belong to an outlet's template.
    pub template_paragraphs: u64,
    /// Stored articles whose URL was fetched again with new text.
    pub revisions: u64,
    /// What annotation found in the new articles.
    pub annotated: AnnotateStats,
    /// What clustering did with them.
    pub events: EventStats,
    /// Time spent in each stage.
    pub stages: StageTimes,
}

/// Microseconds spent in each stage of an ingest (cleaning runs on every core, so its
/// figure is wall-clock time, not CPU time). Digests, lookups and cleaning of a batch
/// run on a thread of their own while the batch before it is stored and annotated, and
/// events on another while the batch after it is, so the stages add up to more than
/// the run's wall-clock time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StageTimes {
    /// Waiting for the next batch: reading files, decompressing, parsing containers,
    /// and whatever of its cleaning did not overlap the batch before it.
    pub read_us: u64,
    /// Digests and lookups of known documents.
    pub lookup_us: u64,
    /// Cleaning pages into articles, and outlet templates.
    pub clean_us: u64,
    /// Writing raw documents and articles.
    pub write_us: u64,
    /// Entities, quotes, dates, near-duplicates, and their writes.
    pub annotate_us: u64,
    /// Events and stories, and their writes.
    pub events_us: u64,
    /// Bringing the search index up to date (once, at the end of a run).
    pub index_us: u64,
}

/// Microseconds since `start`, added to `total`.
fn clock(total: &mut u64, start: Instant) {
    *total += start.elapsed().as_micros() as u64;
}

impl IngestStats {
    /// All skips.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// The result of an ingest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IngestSummary {
    #[serde(flatten)]
    pub stats: IngestStats,
    /// Every skip, with the input named (capped at the first 10 000).
    pub skips: Vec<Skip>,
    /// What the search index took in.
    pub search: chronicle_search::SyncStats,
    pub seconds: f64,
    pub documents_per_second: f64,
}

/// Skips kept for the summary; counts are always complete.
const MAX_REPORTED_SKIPS: usize = 10_000;

/// Reads `inputs` into `store`. `progress` is called after every committed batch.
pub fn ingest(
    store: &mut Store,
    inputs: &[String],
    options: &IngestOptions,
    progress: &mut dyn FnMut(&IngestStats),
) -> Result<IngestSummary> {
    let start = Instant::now();
    let mut events = EventIndex::load(store)?;
    let mut run = Run {
        annotator: Annotator::load(store)?,
        templates: store.read().templates()?,
        touched: BTreeSet::new(),
        stats: IngestStats::default(),
        skips: Vec::new(),
        deferred: Vec::new(),
        search: chronicle_search::SyncStats::default(),
        synced_at: 0,
    };
    let batch_size = options.batch_size.max(1);
    let (sender, receiver) = crossbeam_channel::bounded::<Item>(batch_size * 2);
    let reader_config = options.ingest.clone();
    // What fetched URLs answered in earlier runs: unchanged feeds then cost a 304.
    for (url, etag, last_modified) in store.read().http_validators()? {
        reader_config.http.validators.set(
            &url,
            Validator {
                etag,
                last_modified,
            },
        );
    }
    // Articles a killed run stored without annotations are annotated first.
    loop {
        let pending = store.read().unannotated(batch_size)?;
        if pending.is_empty() {
            break;
        }
        let found = run.annotator.annotate(store, &pending)?;
        run.add_annotated(&found);
    }
    // Then articles annotated but not yet placed in an event.
    loop {
        let pending = store.read().unclustered(batch_size)?;
        if pending.is_empty() {
            break;
        }
        let placed = events.assign(store, &pending)?;
        run.add_events(&placed);
        if placed.articles == 0 {
            break;
        }
    }
    let events_store = store.another_writer()?;
    let outcome = std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            let mut reader = Reader::new(reader_config);
            let cancel = reader.cancel_flag();
            for input in inputs {
                let mut emit = |item: Item| {
                    // The receiver only goes away when the run failed; stop reading then.
                    if sender.send(item).is_err() {
                        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                };
                reader.read(input, &mut emit);
                if reader.cancelled() {
                    break;
                }
            }
        });
        // Batches are digested, looked up and cleaned ahead, on a thread of their own,
        // while the batch before them is stored, annotated and clustered here. That
        // thread owns the reader's receiver and ends when this one returns early (an
        // error drops `prepared`): dropping the receiver then fails the reader's next
        // send, and the reader stops instead of waiting forever on a full channel.
        let (ready, prepared) = crossbeam_channel::bounded::<Result<Prepared>>(1);
        let dir = store.dir().to_path_buf();
        let clean_config = &options.clean;
        scope.spawn(move || {
            let snapshot = match Store::open_read_only(&dir) {
                Ok(snapshot) => snapshot,
                Err(error) => {
                    let _ = ready.send(Err(error.into()));
                    return;
                }
            };
            let mut batch: Vec<Item> = Vec::with_capacity(batch_size);
            let send = |batch: Vec<Item>| {
                let result = prepare(batch, &snapshot.read(), clean_config);
                let failed = result.is_err();
                ready.send(result).is_ok() && !failed
            };
            for item in &receiver {
                batch.push(item);
                if batch.len() >= batch_size && !send(std::mem::take(&mut batch)) {
                    return;
                }
            }
            send(batch);
        });
        // Dropped (ending the events stage) before the scope waits for its threads,
        // also when this returns early with an error.
        let mut placer = Placer::start(scope, events, events_store);
        let mut waiting = Instant::now();
        for next in &prepared {
            let next = next?;
            clock(&mut run.stats.stages.read_us, waiting);
            run.batch(store, next, options, &mut placer)?;
            if run.stats.cleaned >= run.synced_at + SYNC_EVERY {
                run.sync_search(store)?;
            }
            progress(&run.stats);
            waiting = Instant::now();
        }
        clock(&mut run.stats.stages.read_us, waiting);
        // Documents seen twice within one batch are written once the first is stored.
        while !run.deferred.is_empty() {
            let deferred = std::mem::take(&mut run.deferred)
                .into_iter()
                .map(Item::Document)
                .collect();
            let next = prepare(deferred, &store.read(), &options.clean)?;
            run.batch(store, next, options, &mut placer)?;
        }
        run.wait_for_events(&mut placer)?;
        run.refresh_templates(store)?;
        progress(&run.stats);
        Ok(())
    });
    // An error drops the receiver, which ends the reader thread at its next send.
    outcome?;
    // Only now is everything those answers carried committed.
    let validators: Vec<chronicle_store::HttpValidator> = options
        .ingest
        .http
        .validators
        .entries()
        .into_iter()
        .map(|(url, v)| (url, v.etag, v.last_modified))
        .collect();
    store.save_http_validators(&validators)?;
    // The search index follows the store: a failure here loses nothing stored, and the
    // next run (or `chronicle index`) catches up.
    run.sync_search(store)?;
    let seconds = start.elapsed().as_secs_f64();
    let stats = run.stats;
    if stats.read == 0 && stats.skipped_total() > 0 {
        let reasons = run
            .skips
            .iter()
            .take(5)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::NothingRead {
            inputs: inputs.join(", "),
            reasons,
        });
    }
    Ok(IngestSummary {
        documents_per_second: if seconds > 0.0 {
            stats.read as f64 / seconds
        } else {
            0.0
        },
        seconds,
        stats,
        skips: run.skips,
        search: run.search,
    })
}

/// Brings the search index beside the store up to date with it.
pub fn sync_search(store: &Store) -> Result<chronicle_search::SyncStats> {
    let mut index = chronicle_search::SearchIndex::open_or_create(store.dir())?;
    Ok(index.sync(&store.read())?)
}

/// Articles of an outlet looked at again when its template grew during a run: the
/// lines recognised as template only after these were stored.
const TEMPLATE_REFRESH: usize = 200;

/// A batch digested, looked up and cleaned ahead of being stored.
struct Prepared {
    skips: Vec<Skip>,
    documents: Vec<Ready>,
    lookup_us: u64,
    clean_us: u64,
}

/// A document of a prepared batch.
struct Ready {
    document: RawDocument,
    digest: Digest,
    /// Its cleaning, unless it was known to the store when prepared or repeated an
    /// earlier document of its batch.
    cleaned: Option<std::result::Result<Article, Skip>>,
}

/// Digests `items`, looks them up in `store` and cleans those it does not know, on
/// every core.
fn prepare(items: Vec<Item>, store: &StoreReader<'_>, config: &CleanConfig) -> Result<Prepared> {
    let started = Instant::now();
    let mut skips = Vec::new();
    let documents: Vec<RawDocument> = items
        .into_iter()
        .filter_map(|item| match item {
            Item::Document(document) => Some(document),
            Item::Skip(skip) => {
                skips.push(skip);
                None
            }
        })
        .collect();
    let digests: Vec<Digest> = documents.par_iter().map(raw_digest).collect();
    let mut in_batch: HashSet<Digest> = HashSet::new();
    let mut fresh = Vec::with_capacity(documents.len());
    for (document, digest) in documents.iter().zip(&digests) {
        fresh.push(
            in_batch.insert(*digest)
                && matches!(store.known(digest, &document.source)?, Known::New),
        );
    }
    let lookup_us = started.elapsed().as_micros() as u64;
    let started = Instant::now();
    let documents: Vec<Ready> = documents
        .into_par_iter()
        .zip(digests)
        .zip(fresh)
        .map(|((document, digest), fresh)| Ready {
            cleaned: fresh.then(|| clean(&document, config)),
            document,
            digest,
        })
        .collect();
    Ok(Prepared {
        skips,
        documents,
        lookup_us,
        clean_us: started.elapsed().as_micros() as u64,
    })
}

struct Run {
    annotator: Annotator,
    templates: OutletTemplates,
    /// Outlets whose counters changed in this run.
    touched: BTreeSet<String>,
    stats: IngestStats,
    skips: Vec<Skip>,
    /// Documents whose bytes equal an earlier document of the same batch.
    deferred: Vec<RawDocument>,
    /// What the search index took in, and the articles stored at its last sync.
    search: chronicle_search::SyncStats,
    synced_at: u64,
}

/// Articles stored between syncs of the search index during a long run, so that it
/// keeps up (and a killed run leaves it nearly current) instead of catching up at the
/// end all at once.
const SYNC_EVERY: u64 = 20_000;

impl Run {
    fn sync_search(&mut self, store: &Store) -> Result<()> {
        let indexing = Instant::now();
        let found = sync_search(store)?;
        self.search.add(&found);
        self.synced_at = self.stats.cleaned;
        clock(&mut self.stats.stages.index_us, indexing);
        Ok(())
    }

    fn add_annotated(&mut self, found: &AnnotateStats) {
        let total = &mut self.stats.annotated;
        total.articles += found.articles;
        total.new_entities += found.new_entities;
        total.quotes += found.quotes;
        total.copies += found.copies;
    }

    fn add_events(&mut self, placed: &EventStats) {
        let total = &mut self.stats.events;
        total.articles += placed.articles;
        total.new_events += placed.new_events;
        total.updated_events += placed.updated_events;
        total.merges += placed.merges;
        total.splits += placed.splits;
        total.new_stories += placed.new_stories;
    }

    fn skip(&mut self, skip: Skip) {
        *self.stats.skipped.entry(skip.reason).or_default() += 1;
        if self.skips.len() < MAX_REPORTED_SKIPS {
            self.skips.push(skip);
        }
    }

    /// Removes from an outlet's recent articles the template lines recognised after
    /// they were stored.
    fn refresh_templates(&mut self, store: &mut Store) -> Result<()> {
        let stamp = now();
        for key in std::mem::take(&mut self.touched) {
            for stored in store.read().recent_articles_of(&key, TEMPLATE_REFRESH)? {
                let mut article = stored.article;
                let removed = self.templates.apply(&mut article);
                if removed > 0 {
                    self.stats.template_paragraphs += removed as u64;
                    if let Some(id) = store.replace_article(stored.raw, Some(&article), &stamp)? {
                        // Spans into the old text are void: annotate the new one.
                        let found = self.annotator.annotate(store, &[id])?;
                        self.add_annotated(&AnnotateStats {
                            articles: 0,
                            ..found
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn batch(
        &mut self,
        store: &mut Store,
        prepared: Prepared,
        options: &IngestOptions,
        placer: &mut Placer,
    ) -> Result<()> {
        let Prepared {
            skips,
            documents,
            lookup_us,
            clean_us,
        } = prepared;
        for skip in skips {
            self.skip(skip);
        }
        self.stats.stages.lookup_us += lookup_us;
        self.stats.stages.clean_us += clean_us;
        if documents.is_empty() {
            return Ok(());
        }
        // Looked up again: the batches before this one were stored after it was prepared.
        let started = Instant::now();
        let mut writes = Vec::new();
        let mut fresh: Vec<Ready> = Vec::new();
        let mut in_batch: HashSet<Digest> = HashSet::new();
        for ready in documents {
            self.stats.read += 1;
            match store.known(&ready.digest, &ready.document.source)? {
                Known::Unchanged { .. } => self.stats.unchanged += 1,
                Known::OtherSource { raw, article } => {
                    self.stats.duplicates += 1;
                    writes.push(Write::Source {
                        raw,
                        source: ready.document.source.clone(),
                        article,
                        url: ready.document.hints.url.clone(),
                    });
                }
                Known::New if !in_batch.insert(ready.digest) => {
                    // Counted when it is processed again in a later batch.
                    self.stats.read -= 1;
                    self.deferred.push(ready.document);
                }
                Known::New => fresh.push(ready),
            }
        }
        clock(&mut self.stats.stages.lookup_us, started);
        let started = Instant::now();
        // Cleaned ahead unless it looked known then, or repeated an earlier document of
        // its batch.
        let cleaned: Vec<_> = fresh
            .into_par_iter()
            .map(|ready| {
                let result = ready
                    .cleaned
                    .unwrap_or_else(|| clean(&ready.document, &options.clean));
                ((ready.document, ready.digest), result)
            })
            .collect();
        let mut changed_outlets: BTreeSet<String> = BTreeSet::new();
        for ((raw, digest), result) in cleaned {
            match result {
                Ok(mut article) => {
                    if options.clean.layers.template {
                        self.templates.observe(&article);
                        self.stats.template_paragraphs += self.templates.apply(&mut article) as u64;
                        if let Some(key) = OutletTemplates::key(&article) {
                            changed_outlets.insert(key.clone());
                            self.touched.insert(key);
                        }
                    }
                    writes.push(Write::Article {
                        raw,
                        digest,
                        article: Box::new(article),
                    });
                }
                Err(skip) => {
                    // Bytes that a later version might clean are kept for `reprocess`.
                    let keep_bytes = !matches!(
                        skip.reason,
                        SkipReason::Empty | SkipReason::Binary | SkipReason::TooLarge
                    );
                    self.skip(skip.clone());
                    writes.push(Write::Skipped {
                        raw,
                        digest,
                        skip,
                        keep_bytes,
                    });
                }
            }
        }
        let templates: Vec<_> = self
            .templates
            .outlets()
            .filter(|(key, _)| changed_outlets.contains(*key))
            .collect();
        clock(&mut self.stats.stages.clean_us, started);
        let started = Instant::now();
        let mut to_annotate = Vec::new();
        for written in store.write(writes, &templates, &now())? {
            match written {
                Written::New(id) => {
                    self.stats.cleaned += 1;
                    to_annotate.push(id);
                }
                Written::Revision(id) => {
                    self.stats.revisions += 1;
                    to_annotate.push(id);
                }
                Written::Duplicate(_) => self.stats.duplicates += 1,
                Written::Skipped | Written::Source => {}
            }
        }
        clock(&mut self.stats.stages.write_us, started);
        to_annotate.sort_unstable();
        to_annotate.dedup();
        let started = Instant::now();
        let (annotations, found) = self.annotator.annotations(store, &to_annotate)?;
        clock(&mut self.stats.stages.annotate_us, started);
        // The events stage reads copy groups, which these annotations may change: the
        // batch before this one is placed first, as if the stages took turns.
        self.wait_for_events(placer)?;
        let started = Instant::now();
        store.write_annotations(&annotations)?;
        self.add_annotated(&found);
        clock(&mut self.stats.stages.annotate_us, started);
        placer.send(to_annotate)
    }

    /// Waits until the events stage has placed every batch sent to it.
    fn wait_for_events(&mut self, placer: &mut Placer) -> Result<()> {
        for (placed, events_us) in placer.wait()? {
            self.add_events(&placed);
            self.stats.stages.events_us += events_us;
        }
        Ok(())
    }
}

/// The events stage on a thread of its own, with its own connection to the store: it
/// places batch N in events while batch N+1 is stored and annotated.
struct Placer {
    jobs: crossbeam_channel::Sender<Vec<ArticleId>>,
    /// What each batch sent did, and the microseconds it took.
    done: crossbeam_channel::Receiver<Result<(EventStats, u64)>>,
    /// Batches sent and not yet reported.
    outstanding: usize,
}

impl Placer {
    /// Starts the events stage on `scope` with `events` and a store connection of its
    /// own. It ends when the `Placer` is dropped (after the batch in hand) or at its
    /// first error, which it reports.
    fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        mut events: EventIndex,
        mut store: Store,
    ) -> Self {
        let (jobs, job) = crossbeam_channel::bounded::<Vec<ArticleId>>(1);
        let (report, done) = crossbeam_channel::unbounded();
        scope.spawn(move || {
            for ids in job {
                let started = Instant::now();
                let placed = events.assign(&mut store, &ids);
                let failed = placed.is_err();
                let reported = placed.map(|placed| (placed, started.elapsed().as_micros() as u64));
                if report.send(reported).is_err() || failed {
                    return;
                }
            }
        });
        Self {
            jobs,
            done,
            outstanding: 0,
        }
    }

    /// What each batch sent and not yet reported did, once all are placed.
    fn wait(&mut self) -> Result<Vec<(EventStats, u64)>> {
        let mut reports = Vec::with_capacity(self.outstanding);
        while self.outstanding > 0 {
            let report = self
                .done
                .recv()
                .map_err(|_| Error::Stopped { stage: "events" })??;
            self.outstanding -= 1;
            reports.push(report);
        }
        Ok(reports)
    }

    /// Hands a batch of annotated articles to the events stage.
    fn send(&mut self, ids: Vec<ArticleId>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        if self.jobs.send(ids).is_err() {
            // The stage ended at an error it reported: that error, not this one.
            return match self.done.try_iter().find_map(Result::err) {
                Some(error) => Err(error),
                None => Err(Error::Stopped { stage: "events" }),
            };
        }
        self.outstanding += 1;
        Ok(())
    }
}
