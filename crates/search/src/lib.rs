//! Full-text search over events, articles and quotes: a tantivy index kept beside the
//! store (`DATA/search/`) and brought up to date from it after every ingest.
//!
//! The index follows the store, never the other way round: [`SearchIndex::sync`] adds
//! articles and quotes with ids above those it has seen and re-indexes events changed
//! since its last sync (removing merged ones); what it has seen is saved in the commit
//! itself, so a killed sync loses nothing and the next one resumes. Queries take
//! tantivy's syntax (words, `"phrases"`, `-excluded`, `title:word`) over titles and
//! text with English stemming, filtered by kind, date range, outlet, category, story
//! and entity; hits come with highlighted snippets.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use chronicle_search::{SearchIndex, SearchQuery};
//! let store = chronicle_store::Store::open_read_only(std::path::Path::new("chronicle-data"))?;
//! let index = SearchIndex::open_or_create(std::path::Path::new("chronicle-data"))?;
//! let found = index.search(&SearchQuery::text("\"harbour board\" quay"))?;
//! for hit in &found.hits {
//!     println!("{} {} {}", hit.kind.name(), hit.id, hit.title);
//! }
//! # drop(store);
//! # Ok(())
//! # }
//! ```

use chronicle_publish::html_escape as escape;
use chronicle_store::Reader;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

/// The folder of the index inside a data directory.
pub const SEARCH_DIR: &str = "search";

/// Documents read from the store per step of a sync.
const SYNC_BATCH: usize = 2_000;
/// Memory the index writer may use before it flushes a segment.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// Characters of text indexed per article (the rest adds little to ranking).
const ARTICLE_CHARS: usize = 20_000;
/// Bumped when the schema or what is indexed changes: an older index is rebuilt.
const VERSION: u32 = 3;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index {dir}: {source}")]
    Index {
        dir: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("search index {dir}: {source}")]
    Io {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] chronicle_store::Error),
    #[error("the query does not parse: {0}")]
    Query(String),
    #[error("no search index in {0}: run `chronicle index` (ingest keeps it up to date)")]
    Missing(PathBuf),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Event,
    Article,
    Quote,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Event, Kind::Article, Kind::Quote];

    fn code(self) -> u64 {
        match self {
            Kind::Event => 0,
            Kind::Article => 1,
            Kind::Quote => 2,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Event => "event",
            Kind::Article => "article",
            Kind::Quote => "quote",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == text.trim().to_ascii_lowercase().trim_end_matches('s'))
    }
}

/// The fields of the index.
#[derive(Clone, Copy, Debug)]
struct Fields {
    /// `event:12`: one document per thing, replaced when it changes.
    key: Field,
    kind: Field,
    /// The kind as a number (its place in [`Kind::ALL`]), read column-wise to count
    /// hits per kind in the same pass.
    kind_code: Field,
    id: Field,
    title: Field,
    body: Field,
    /// Days since 1970-01-01 of when it happened or was published.
    day: Field,
    outlet: Field,
    category: Field,
    story: Field,
    entity: Field,
    /// The event of an article or quote (for links).
    event: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        key: builder.add_text_field("key", STRING),
        kind: builder.add_text_field("kind", STRING | STORED),
        kind_code: builder.add_u64_field("kind_code", FAST),
        id: builder.add_u64_field("id", INDEXED | STORED),
        title: builder.add_text_field("title", text.clone()),
        body: builder.add_text_field("body", text),
        day: builder.add_i64_field("day", INDEXED | STORED | FAST),
        outlet: builder.add_text_field("outlet", STRING | STORED),
        category: builder.add_text_field("category", STRING),
        story: builder.add_u64_field("story", INDEXED),
        entity: builder.add_u64_field("entity", INDEXED),
        event: builder.add_u64_field("event", INDEXED | STORED),
    };
    (builder.build(), fields)
}

/// What a sync has reached, saved with each commit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Watermark {
    version: u32,
    /// Highest article id indexed (articles start at 1), and the next quote id to
    /// index (quotes start at 0).
    article: u64,
    next_quote: u64,
    /// The latest event change indexed (RFC 3339, as the store writes `updated`).
    events: Option<String>,
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncStats {
    pub articles: u64,
    pub events: u64,
    pub quotes: u64,
    /// Events removed because they were merged into others.
    pub removed: u64,
}

impl SyncStats {
    /// Adds what another sync did.
    pub fn add(&mut self, other: &SyncStats) {
        self.articles += other.articles;
        self.events += other.events;
        self.quotes += other.quotes;
        self.removed += other.removed;
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A search: text in tantivy's query syntax (empty: everything) and filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: String,
    /// Only these kinds (empty: all).
    pub kinds: Vec<Kind>,
    /// Happened or published on or after / before these days (YYYY-MM-DD).
    pub since: Option<chrono::NaiveDate>,
    pub until: Option<chrono::NaiveDate>,
    pub outlet: Option<String>,
    pub category: Option<String>,
    pub story: Option<u64>,
    pub entity: Option<u64>,
    pub limit: usize,
    pub offset: usize,
}

impl SearchQuery {
    /// A query for `text` with no filters and the first 20 hits.
    pub fn text(text: &str) -> Self {
        Self {
            text: text.to_string(),
            limit: 20,
            ..Self::default()
        }
    }
}

/// One hit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub id: u64,
    pub title: String,
    /// The best passage, with the matched words between `<mark>` and `</mark>` and
    /// everything else escaped for HTML.
    pub snippet_html: String,
    /// The same passage as plain text.
    pub snippet: String,
    /// When it happened or was published (YYYY-MM-DD).
    pub date: Option<String>,
    pub outlet: Option<String>,
    /// The event of an article or quote.
    pub event: Option<u64>,
    pub score: f32,
}

/// Hits of one page, with how many there are in all and per kind.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Found {
    pub total: u64,
    pub by_kind: Vec<(Kind, u64)>,
    pub hits: Vec<Hit>,
}

/// The index of one data directory.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

fn day_number(date: chrono::NaiveDate) -> i64 {
    date.signed_duration_since(chrono::NaiveDate::default())
        .num_days()
}

fn date_of_day(day: i64) -> Option<String> {
    chrono::NaiveDate::default()
        .checked_add_signed(chrono::TimeDelta::try_days(day)?)
        .map(|d| d.to_string())
}

fn parse_day(text: &str) -> Option<i64> {
    let day = text.get(..10)?;
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .map(day_number)
}

/// Text cut to at most `chars` characters, at a character boundary.
fn cut(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

impl SearchIndex {
    /// The index of the data directory `data`, created empty when there is none (or
    /// rebuilt empty when it was written by an older version).
    pub fn open_or_create(data: &Path) -> Result<Self> {
        let dir = data.join(SEARCH_DIR);
        let io = |source| Error::Io {
            dir: dir.clone(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let (schema, fields) = schema();
        let directory =
            tantivy::directory::MmapDirectory::open(&dir).map_err(|e| Error::Index {
                dir: dir.clone(),
                source: e.into(),
            })?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) if watermark_of(&index).version == VERSION || is_empty(&index) => index,
            // An index of another version or schema: start again.
            _ => {
                std::fs::remove_dir_all(&dir).map_err(io)?;
                std::fs::create_dir_all(&dir).map_err(io)?;
                let directory =
                    tantivy::directory::MmapDirectory::open(&dir).map_err(|e| Error::Index {
                        dir: dir.clone(),
                        source: e.into(),
                    })?;
                Index::open_or_create(directory, schema).map_err(|source| Error::Index {
                    dir: dir.clone(),
                    source,
                })?
            }
        };
        Self::with_index(dir, index, fields)
    }

    /// The index of `data` for searching only; an error names the missing index.
    pub fn open(data: &Path) -> Result<Self> {
        let dir = data.join(SEARCH_DIR);
        if !dir.join("meta.json").is_file() {
            return Err(Error::Missing(data.to_path_buf()));
        }
        let index = Index::open_in_dir(&dir).map_err(|source| Error::Index {
            dir: dir.clone(),
            source,
        })?;
        let (_, fields) = schema();
        match Self::with_index(dir.clone(), index, fields) {
            // Readers take a lock file; on a read-only file system nothing can write the
            // index either, so it is read without one.
            Err(Error::Index {
                source: tantivy::TantivyError::LockFailure(..),
                ..
            }) => {
                let index = MmapDirectory::open(&dir)
                    .map_err(tantivy::TantivyError::from)
                    .and_then(|directory| Index::open(ReadOnlyDirectory(directory)))
                    .map_err(|source| Error::Index {
                        dir: dir.clone(),
                        source,
                    })?;
                Self::with_index(dir, index, fields)
            }
            opened => opened,
        }
    }

    fn with_index(dir: PathBuf, index: Index, fields: Fields) -> Result<Self> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|source| Error::Index {
                dir: dir.clone(),
                source,
            })?;
        Ok(Self {
            dir,
            index,
            reader,
            fields,
        })
    }

    fn error(&self, source: tantivy::TantivyError) -> Error {
        Error::Index {
            dir: self.dir.clone(),
            source,
        }
    }

    /// Removes the index of `data` (after the store was rebuilt, so that the next
    /// sync indexes everything again).
    pub fn remove(data: &Path) -> Result<()> {
        let dir = data.join(SEARCH_DIR);
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(Error::Io { dir, source }),
        }
    }

    /// Sees what the last sync committed (for a long-lived reader such as the server).
    pub fn refresh(&self) -> Result<()> {
        self.reader.reload().map_err(|e| self.error(e))
    }

    /// Number of documents searchable.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Brings the index up to date with the store: new articles and quotes, events
    /// changed since the last sync (merged ones removed). One commit at the end.
    pub fn sync(&mut self, read: &Reader<'_>) -> Result<SyncStats> {
        let mut mark = watermark_of(&self.index);
        mark.version = VERSION;
        let mut stats = SyncStats::default();
        let mut writer: IndexWriter = self
            .index
            .writer(WRITER_MEMORY)
            .map_err(|e| self.error(e))?;
        let f = self.fields;
        loop {
            let articles = read.articles_after(mark.article, SYNC_BATCH)?;
            let Some(last) = articles.last() else {
                break;
            };
            mark.article = last.id.0;
            for stored in &articles {
                let article = &stored.article;
                let key = format!("article:{}", stored.id.0);
                writer.delete_term(Term::from_field_text(f.key, &key));
                let mut document = doc!(
                    f.key => key,
                    f.kind => Kind::Article.name(),
                    f.kind_code => Kind::Article.code(),
                    f.id => stored.id.0,
                    f.title => article.title.clone().unwrap_or_default(),
                    f.body => cut(&article.text, ARTICLE_CHARS),
                );
                if let Some(published) = article.published {
                    document.add_i64(f.day, day_number(published.date()));
                }
                if let Some(outlet) = &article.outlet {
                    document.add_text(f.outlet, outlet);
                }
                for entity in read.article_entity_ids(stored.id)? {
                    document.add_u64(f.entity, entity.0);
                }
                if let Some(event) = read.event_of(stored.id)? {
                    document.add_u64(f.event, event);
                }
                writer.add_document(document).map_err(|e| self.error(e))?;
                stats.articles += 1;
            }
        }
        loop {
            let quotes = read.quotes_from_id(mark.next_quote, SYNC_BATCH)?;
            let Some(last) = quotes.last() else {
                break;
            };
            mark.next_quote = last.id.0 + 1;
            for quote in &quotes {
                let key = format!("quote:{}", quote.id.0);
                writer.delete_term(Term::from_field_text(f.key, &key));
                let mut document = doc!(
                    f.key => key,
                    f.kind => Kind::Quote.name(),
                    f.kind_code => Kind::Quote.code(),
                    f.id => quote.id.0,
                    f.title => quote.speaker_name.clone().unwrap_or_default(),
                    f.body => quote.text.clone(),
                );
                if let Some(speaker) = quote.speaker {
                    document.add_u64(f.entity, speaker.0);
                }
                let first = quote.citations.first();
                if let Some(day) = first.and_then(|c| c.said_on.as_deref()).and_then(parse_day) {
                    document.add_i64(f.day, day);
                }
                for outlet in quote.citations.iter().filter_map(|c| c.outlet.as_deref()) {
                    document.add_text(f.outlet, outlet);
                }
                if let Some(event) = first.map(|c| read.event_of(c.article)).transpose()? {
                    document.add_u64(f.event, event.unwrap_or_default());
                }
                writer.add_document(document).map_err(|e| self.error(e))?;
                stats.quotes += 1;
            }
        }
        let changed = read.events_changed_since(mark.events.as_deref())?;
        for (id, merged_into, updated) in &changed {
            let key = format!("event:{id}");
            writer.delete_term(Term::from_field_text(f.key, &key));
            mark.events = Some(updated.clone());
            if merged_into.is_some() {
                stats.removed += 1;
                continue;
            }
            let Some(detail) = read.event(*id)? else {
                continue;
            };
            let summary = &detail.summary;
            let mut body: Vec<&str> = detail
                .summary_sentences
                .iter()
                .map(|s| s.text.as_str())
                .collect();
            body.extend(detail.sources.iter().filter_map(|s| s.title.as_deref()));
            let mut document = doc!(
                f.key => key,
                f.kind => Kind::Event.name(),
                f.kind_code => Kind::Event.code(),
                f.id => *id,
                f.title => summary.headline.clone().unwrap_or_default(),
                f.body => body.join("\n"),
                f.event => *id,
            );
            if let Some(day) = summary.date.as_deref().and_then(parse_day) {
                document.add_i64(f.day, day);
            }
            if let Some(category) = &summary.category {
                document.add_text(f.category, category);
            }
            if let Some(story) = summary.story {
                document.add_u64(f.story, story);
            }
            let mut outlets: Vec<&str> = detail
                .sources
                .iter()
                .filter_map(|s| s.outlet.as_deref())
                .collect();
            outlets.sort_unstable();
            outlets.dedup();
            for outlet in outlets {
                document.add_text(f.outlet, outlet);
            }
            for entity in read.event_entities(*id, 50)? {
                document.add_u64(f.entity, entity.id);
            }
            writer.add_document(document).map_err(|e| self.error(e))?;
            stats.events += 1;
        }
        // An event whose story was merged away keeps the old story id here until the
        // event next changes.
        let mut commit = writer.prepare_commit().map_err(|e| self.error(e))?;
        commit.set_payload(&serde_json::to_string(&mark).unwrap_or_default());
        commit.commit().map_err(|e| self.error(e))?;
        writer.wait_merging_threads().map_err(|e| self.error(e))?;
        self.reader.reload().map_err(|e| self.error(e))?;
        Ok(stats)
    }

    /// Runs a search.
    pub fn search(&self, query: &SearchQuery) -> Result<Found> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let text: Box<dyn Query> = if query.text.trim().is_empty() {
            Box::new(AllQuery)
        } else {
            let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
            parser.set_field_boost(f.title, 2.0);
            parser.set_conjunction_by_default();
            parser
                .parse_query(query.text.trim())
                .map_err(|e| Error::Query(e.to_string()))?
        };
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let number = |field: Field, value: u64| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_u64(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(outlet) = &query.outlet {
            filters.push((Occur::Must, term(f.outlet, outlet)));
        }
        if let Some(category) = &query.category {
            filters.push((Occur::Must, term(f.category, category)));
        }
        if let Some(story) = query.story {
            filters.push((Occur::Must, number(f.story, story)));
        }
        if let Some(entity) = query.entity {
            filters.push((Occur::Must, number(f.entity, entity)));
        }
        if query.since.is_some() || query.until.is_some() {
            let low = query.since.map_or(i64::MIN, day_number);
            let high = query.until.map_or(i64::MAX, day_number);
            filters.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    std::ops::Bound::Included(Term::from_field_i64(f.day, low)),
                    std::ops::Bound::Included(Term::from_field_i64(f.day, high)),
                )),
            ));
        }
        let filtered = |kinds: &[Kind]| -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text.box_clone())];
            clauses.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
            if !kinds.is_empty() {
                let any: Vec<(Occur, Box<dyn Query>)> = kinds
                    .iter()
                    .map(|k| (Occur::Should, term(f.kind, k.name())))
                    .collect();
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
            Box::new(BooleanQuery::new(clauses))
        };
        // Hits per kind, in one pass over the query without its kind filter.
        let counts = searcher
            .search(&*filtered(&[]), &KindCounts)
            .map_err(|e| self.error(e))?;
        let by_kind: Vec<(Kind, u64)> = Kind::ALL
            .into_iter()
            .map(|kind| (kind, counts[kind.code() as usize]))
            .collect();
        // Events are what the record is for: among equally good matches they come first.
        let full: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, filtered(&query.kinds)),
            (
                Occur::Should,
                Box::new(BoostQuery::new(term(f.kind, Kind::Event.name()), 0.5)),
            ),
        ]));
        let total = by_kind
            .iter()
            .filter(|(kind, _)| query.kinds.is_empty() || query.kinds.contains(kind))
            .map(|(_, count)| count)
            .sum();
        let limit = query.limit.max(1);
        let top = searcher
            .search(
                &*full,
                &TopDocs::with_limit(limit)
                    .and_offset(query.offset)
                    .order_by_score(),
            )
            .map_err(|e| self.error(e))?;
        let mut snippets =
            SnippetGenerator::create(&searcher, &*text, f.body).map_err(|e| self.error(e))?;
        snippets.set_max_num_chars(240);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let document: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
            let text_of = |field: Field| {
                document
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let Some(kind) = text_of(f.kind).as_deref().and_then(Kind::parse) else {
                continue;
            };
            let snippet = snippets.snippet_from_doc(&document);
            let (snippet_html, plain) = if snippet.fragment().is_empty() {
                let body = text_of(f.body).unwrap_or_default();
                let start = cut(&body, 200).to_string();
                (escape(&start), start)
            } else {
                (
                    highlight(snippet.fragment(), snippet.highlighted()),
                    snippet.fragment().to_string(),
                )
            };
            hits.push(Hit {
                kind,
                id: document
                    .get_first(f.id)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
                title: text_of(f.title).unwrap_or_default(),
                snippet_html,
                snippet: plain,
                date: document
                    .get_first(f.day)
                    .and_then(|v| v.as_i64())
                    .and_then(date_of_day),
                outlet: text_of(f.outlet),
                event: document.get_first(f.event).and_then(|v| v.as_u64()),
                score,
            });
        }
        Ok(Found {
            total,
            by_kind,
            hits,
        })
    }
}

/// Counts hits per kind from the `kind_code` column.
struct KindCounts;

struct SegmentKindCounts {
    column: tantivy::columnar::Column<u64>,
    counts: [u64; 3],
}

impl tantivy::collector::Collector for KindCounts {
    type Fruit = [u64; 3];
    type Child = SegmentKindCounts;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentKindCounts> {
        Ok(SegmentKindCounts {
            column: segment.fast_fields().u64("kind_code")?,
            counts: [0; 3],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<[u64; 3]>) -> tantivy::Result<[u64; 3]> {
        let mut total = [0; 3];
        for fruit in fruits {
            for (sum, count) in total.iter_mut().zip(fruit) {
                *sum += count;
            }
        }
        Ok(total)
    }
}

impl tantivy::collector::SegmentCollector for SegmentKindCounts {
    type Fruit = [u64; 3];

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        if let Some(code) = self.column.first(doc)
            && let Some(count) = self.counts.get_mut(code as usize)
        {
            *count += 1;
        }
    }

    fn harvest(self) -> [u64; 3] {
        self.counts
    }
}

fn is_empty(index: &Index) -> bool {
    index
        .searchable_segment_metas()
        .map(|segments| segments.is_empty())
        .unwrap_or(false)
        && index
            .load_metas()
            .map(|m| m.payload.is_none())
            .unwrap_or(false)
}

fn watermark_of(index: &Index) -> Watermark {
    index
        .load_metas()
        .ok()
        .and_then(|metas| metas.payload)
        .and_then(|payload| serde_json::from_str(&payload).ok())
        .unwrap_or_default()
}

/// A fragment with the highlighted ranges in `<mark>`, everything escaped.
fn highlight(fragment: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = 0;
    let mut ranges = ranges.to_vec();
    ranges.sort_by_key(|r| r.start);
    for range in ranges {
        if range.start < at || range.end > fragment.len() {
            continue;
        }
        let (Some(before), Some(marked)) =
            (fragment.get(at..range.start), fragment.get(range.clone()))
        else {
            continue;
        };
        out.push_str(&escape(before));
        out.push_str("<mark>");
        out.push_str(&escape(marked));
        out.push_str("</mark>");
        at = range.end;
    }
    out.push_str(&escape(fragment.get(at..).unwrap_or_default()));
    out
}

/// An index directory on a read-only file system: its files as they are, and locks that
/// lock nothing (tantivy takes them by creating files, which cannot be done there, and
/// nothing can write the index there anyway).
#[derive(Clone, Debug)]
struct ReadOnlyDirectory(MmapDirectory);

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, _: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_escapes_everything_but_the_marks() {
        let fragment = "a <b>bold</b> quay & more";
        let quay = 14..18;
        let html = highlight(fragment, std::slice::from_ref(&quay));
        assert_eq!(
            html,
            "a &lt;b&gt;bold&lt;/b&gt; <mark>quay</mark> &amp; more"
        );
    }

    #[test]
    fn days_round_trip() {
        let day = parse_day("2026-03-04T10:00:00Z").unwrap_or_default();
        assert_eq!(date_of_day(day).as_deref(), Some("2026-03-04"));
    }

    #[test]
    fn kinds_parse_singular_or_plural() {
        assert_eq!(Kind::parse("Events"), Some(Kind::Event));
        assert_eq!(Kind::parse("quote"), Some(Kind::Quote));
        assert_eq!(Kind::parse("people"), None);
    }
}
