//! The only crate that knows the database.
//!
//! A [`Store`] is a data directory holding `chronicle.db` (SQLite in WAL mode, schema
//! migrations from the first version on, see [`schema`]) and a lock file. One process
//! writes at a time: [`Store::open`] takes an exclusive lock and a second writer is
//! refused with a clear error; [`Store::open_read_only`] needs no lock.
//!
//! What is kept:
//! - every raw document once, by a digest of its bytes and container metadata, with its
//!   bytes compressed (zstd) so that `reprocess` needs no network, and every source it
//!   was read from;
//! - every article once, by a digest of its normalised text, with every URL it was found
//!   at (exact duplicates are one article with several locations);
//! - the outlet templates learned so far.
//!
//! All writes of a batch go through [`Store::write`] in one transaction: a process
//! killed mid-ingest leaves every earlier batch and nothing of the interrupted one.
//!
//! ```
//! use chronicle_store::{Store, Write, raw_digest};
//! use chronicle_model::{Article, RawDocument};
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = Store::open(dir.path()).unwrap();
//! let raw = RawDocument::new("file:///a.txt", b"Ferries resumed on Friday.".to_vec());
//! let article = Article { text: "Ferries resumed on Friday.".into(), ..Article::default() };
//! let digest = raw_digest(&raw);
//! let written = store.write(vec![Write::Article { raw, digest, article: Box::new(article) }], &[], "2025-01-01T00:00:00Z").unwrap();
//! assert_eq!(store.read().counts().unwrap().articles, 1);
//! # let _ = written;
//! ```

pub mod annotations;
pub mod events;
pub mod schema;

pub use annotations::{
    AnnotationWrite, Citation, CopyWrite, EntityArticle, EntityDetail, EntityMerge, EntitySummary,
    EntityWrite, QuoteWrite, RelatedEntity, StoredCopy, StoredQuote, StoredRole,
};
pub use chronicle_annotate::corpus::{EntityId, QuoteId};
pub use events::{
    ArticleRef, ClusteredArticle, EventChange, EventDetail, EventEntity, EventFields, EventFilter,
    EventJoin, EventMergeWrite, EventRevision, EventSource, EventSplitWrite, EventSummary,
    EventsWrite, RelatedEvent, StoryDetail, StoryFields, StorySummary, SummarySentence,
};

use chronicle_clean::template::{Outlet, OutletTemplates};
use chronicle_model::{Article, ArticleId, BodyFormat, NewsDate, RawDocument, RawId, Skip};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The ids of an outlet's most recent articles (`?1` the key outlet templates use: the
/// lowercased name, else the domain; at most `?2`), each half from its own index.
const OUTLET_RECENT_IDS: &str = "SELECT id FROM (SELECT id FROM articles
         WHERE lower(trim(outlet)) = ?1 ORDER BY id DESC LIMIT ?2)
     UNION ALL
     SELECT id FROM (SELECT id FROM articles
         WHERE outlet IS NULL AND domain = ?1 ORDER BY id DESC LIMIT ?2)";
/// Forgets where a raw document's article was found.
const DELETE_LOCATIONS_OF_RAW: &str = "DELETE FROM article_locations WHERE raw_id = ?1";

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "chronicle.db";
/// The lock file a writer holds.
pub const LOCK_FILE: &str = "chronicle.lock";

/// Errors of the store. `Locked` and `NotAStore` are the user's to fix; the others are
/// internal or environmental.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "another chronicle process is writing to {dir}; wait for it to finish or use another --data directory"
    )]
    Locked { dir: PathBuf },
    #[error("{dir} holds no chronicle store (no {DATABASE_FILE}); run `chronicle ingest` first")]
    NotAStore { dir: PathBuf },
    #[error(
        "the store in {dir} was written by a newer chronicle (schema {found}, this build knows {known})"
    )]
    NewerSchema {
        dir: PathBuf,
        found: usize,
        known: usize,
    },
    #[error("cannot use data directory {dir}: {source}")]
    Io {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored record is damaged: {0}")]
    Corrupt(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A SHA-256 digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    fn of(parts: &[&[u8]]) -> Self {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        Self(hasher.finalize().into())
    }

    /// Lowercase hexadecimal.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The identity of a raw document: its bytes and what its container said about it.
/// The source it was read from is not part of it, so the same bytes found twice are one
/// document with two sources.
pub fn raw_digest(raw: &RawDocument) -> Digest {
    let hints = serde_json::to_vec(&raw.hints).unwrap_or_default();
    let format = raw.format.map(BodyFormat::name).unwrap_or_default();
    Digest::of(&[
        &raw.bytes,
        format.as_bytes(),
        raw.charset.as_deref().unwrap_or_default().as_bytes(),
        &hints,
    ])
}

/// The identity of an article's text: case and spacing do not make a new article.
pub fn text_digest(text: &str) -> Digest {
    let normalised = text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    Digest::of(&[normalised.as_bytes()])
}

/// What the store already knows of a raw document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// Never seen.
    New,
    /// Seen before, from this source too: re-reading it changes nothing.
    Unchanged { raw: RawId },
    /// Seen before from another source.
    OtherSource {
        raw: RawId,
        article: Option<ArticleId>,
    },
}

/// One change in a batch.
#[derive(Clone, Debug)]
pub enum Write {
    /// A new raw document and the article cleaned from it.
    Article {
        raw: RawDocument,
        digest: Digest,
        article: Box<Article>,
    },
    /// A new raw document that produced no article. Its bytes are kept when they
    /// could be cleaned by a later version (`keep_bytes`).
    Skipped {
        raw: RawDocument,
        digest: Digest,
        skip: Skip,
        keep_bytes: bool,
    },
    /// A known raw document read from a new source.
    Source {
        raw: RawId,
        source: String,
        article: Option<ArticleId>,
        url: Option<String>,
    },
}

/// What a [`Write`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// A new article.
    New(ArticleId),
    /// The text was already stored: the document became another location of it.
    Duplicate(ArticleId),
    /// A skipped document was recorded.
    Skipped,
    /// A new source of a known document was recorded.
    Source,
    /// The document's URL was stored with other text: this is a new revision of that
    /// article, which keeps its id; the earlier text is kept as a revision.
    Revision(ArticleId),
}

/// A stored article with its id and everywhere it was found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredArticle {
    pub id: ArticleId,
    #[serde(flatten)]
    pub article: Article,
    /// Every URL the same text was found at, the article's own first.
    pub locations: Vec<String>,
    pub stored_at: String,
    #[serde(skip)]
    pub raw: RawId,
}

/// An earlier text of an article, kept when its URL was fetched again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub revision: u64,
    pub title: Option<String>,
    pub text: String,
    pub stored_at: String,
}

/// Which articles to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleFilter {
    /// Outlet name or domain, case-insensitive.
    pub outlet: Option<String>,
    /// Published on or after this day.
    pub since: Option<chrono::NaiveDate>,
    /// Published on or before this day.
    pub until: Option<chrono::NaiveDate>,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// How much a store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub raw_documents: u64,
    pub articles: u64,
    pub locations: u64,
    pub sources: u64,
    pub skipped: u64,
}

/// A data directory opened for writing.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
    dir: PathBuf,
    /// Held by every connection [`Store::another_writer`] opened, released with the last.
    lock: Arc<File>,
}

/// A data directory opened for reading; any number may be open while a writer works.
#[derive(Debug)]
pub struct Snapshot {
    connection: Connection,
}

/// A URL with the `ETag` and `Last-Modified` it last answered with.
pub type HttpValidator = (String, Option<String>, Option<String>);

/// A read-only connection to the database at `path` and its schema version; with
/// `immutable`, one that takes no locks and reads no WAL (for read-only media).
fn read_connection(path: &Path, immutable: bool) -> rusqlite::Result<(Connection, usize)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = if immutable {
        let escaped = path
            .to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23");
        Connection::open_with_flags(
            format!("file:{escaped}?immutable=1"),
            flags | OpenFlags::SQLITE_OPEN_URI,
        )?
    } else {
        Connection::open_with_flags(path, flags)?
    };
    connection.busy_timeout(std::time::Duration::from_secs(10))?;
    stable_plans(&connection)?;
    let version = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    Ok((connection, version))
}

/// A connection for writing to the database in `dir` (its schema not yet checked).
fn write_connection(dir: &Path) -> rusqlite::Result<Connection> {
    let mut connection = Connection::open(dir.join(DATABASE_FILE))?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    // A page cache of 64 MiB (the default is 2 MiB): the indexes every article
    // touches (LSH bands, entities, events) stay in memory far longer as the store
    // grows, instead of being read back page by page.
    connection.pragma_update(None, "cache_size", -65536)?;
    connection.busy_timeout(std::time::Duration::from_secs(10))?;
    // A deferred transaction that reads and then writes fails outright when another
    // connection committed in between; an immediate one takes the write lock first.
    connection.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    stable_plans(&connection)?;
    Ok(connection)
}

/// Keeps each cached statement's query plan whatever values are bound to it. Without
/// this SQLite recompiles a statement on every run whose `LIMIT ?` gets a new value —
/// and rusqlite clears the bindings of a cached statement after each use, so every
/// run is a new value: the search index's sync spent a sixth of its time re-parsing
/// the SQL of statements it had prepared once.
fn stable_plans(connection: &Connection) -> rusqlite::Result<()> {
    connection.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Whether the database at `path` has a write-ahead log with anything in it.
fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

impl Store {
    /// Opens (creating if needed) the store in `dir` for writing.
    pub fn open(dir: &Path) -> Result<Self> {
        let io = |source| Error::Io {
            dir: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(io)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    dir: dir.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(error)) => return Err(io(error)),
        }
        let mut connection = write_connection(dir)?;
        migrate(&mut connection, dir)?;
        Ok(Self {
            connection,
            dir: dir.to_path_buf(),
            lock: Arc::new(lock),
        })
    }

    /// A second connection for writing to the same store, for another thread of this
    /// process: it shares this one's lock, and SQLite takes turns between the two
    /// (every write transaction of both begins `IMMEDIATE`, waiting for the other's to
    /// commit instead of failing on a snapshot grown stale).
    pub fn another_writer(&self) -> Result<Self> {
        Ok(Self {
            connection: write_connection(&self.dir)?,
            dir: self.dir.clone(),
            lock: Arc::clone(&self.lock),
        })
    }

    /// Opens the store in `dir` for reading only.
    pub fn open_read_only(dir: &Path) -> Result<Snapshot> {
        let path = dir.join(DATABASE_FILE);
        if !path.is_file() {
            return Err(Error::NotAStore {
                dir: dir.to_path_buf(),
            });
        }
        // On a read-only file system SQLite cannot make the shared-memory file a WAL
        // database needs; a store closed cleanly has no WAL left to read, and is then
        // opened as immutable (no locks, no shared memory): an archived copy on
        // read-only media can still be served.
        let (connection, version) = match read_connection(&path, false) {
            Err(rusqlite::Error::SqliteFailure(failure, _))
                if failure.code == rusqlite::ErrorCode::CannotOpen && !has_wal(&path) =>
            {
                read_connection(&path, true)?
            }
            other => other?,
        };
        if version > schema::MIGRATIONS.len() {
            return Err(Error::NewerSchema {
                dir: dir.to_path_buf(),
                found: version,
                known: schema::MIGRATIONS.len(),
            });
        }
        Ok(Snapshot { connection })
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A read view through the writer's own connection.
    pub fn read(&self) -> Reader<'_> {
        Reader {
            connection: &self.connection,
        }
    }

    /// What the store knows of a raw document read from `source`.
    pub fn known(&self, digest: &Digest, source: &str) -> Result<Known> {
        self.read().known(digest, source)
    }

    /// Applies a batch in one transaction, with the outlet templates that changed.
    /// `now` stamps new records (RFC 3339).
    pub fn write(
        &mut self,
        batch: Vec<Write>,
        templates: &[(&str, &Outlet)],
        now: &str,
    ) -> Result<Vec<Written>> {
        let transaction = self.connection.transaction()?;
        let mut written = Vec::with_capacity(batch.len());
        for write in batch {
            written.push(apply(&transaction, write, now)?);
        }
        for (key, outlet) in templates {
            let state = serde_json::to_string(outlet).map_err(|e| Error::Corrupt(e.to_string()))?;
            transaction
                .prepare_cached(
                    "INSERT INTO outlet_templates (key, state) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET state = excluded.state",
                )?
                .execute(params![key, state])?;
        }
        transaction.commit()?;
        Ok(written)
    }

    /// Replaces the article cleaned from a raw document (after `reprocess`). The article
    /// keeps its id when its text is still its own; when the new text equals another
    /// article's, the document becomes a location of that one. Returns the article id
    /// the raw document now belongs to.
    pub fn replace_article(
        &mut self,
        raw: RawId,
        article: Option<&Article>,
        now: &str,
    ) -> Result<Option<ArticleId>> {
        let transaction = self.connection.transaction()?;
        let result = replace(&transaction, raw, article, now)?;
        transaction.commit()?;
        Ok(result)
    }

    /// Replaces all stored outlet templates.
    pub fn replace_templates(&mut self, templates: &OutletTemplates) -> Result<()> {
        let transaction = self.connection.transaction()?;
        transaction
            .prepare_cached("DELETE FROM outlet_templates")?
            .execute([])?;
        for (key, outlet) in templates.outlets() {
            let state = serde_json::to_string(outlet).map_err(|e| Error::Corrupt(e.to_string()))?;
            transaction
                .prepare_cached("INSERT INTO outlet_templates (key, state) VALUES (?1, ?2)")?
                .execute(params![key, state])?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Records what fetched URLs last answered with: (URL, ETag, Last-Modified). Saved
    /// only after a run has committed what those answers carried, so that a run killed
    /// earlier fetches them whole again.
    pub fn save_http_validators(&mut self, validators: &[HttpValidator]) -> Result<()> {
        let transaction = self.connection.transaction()?;
        for (url, etag, last_modified) in validators {
            transaction
                .prepare_cached(
                    "INSERT INTO http_validators (url, etag, last_modified) VALUES (?1, ?2, ?3)
                     ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3",
                )?
                .execute(params![url, etag, last_modified])?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Removes articles no raw document belongs to any more.
    pub fn remove_orphan_articles(&mut self) -> Result<usize> {
        let transaction = self.connection.transaction()?;
        transaction
            .prepare_cached(
                "DELETE FROM article_locations WHERE article_id NOT IN
               (SELECT article_id FROM raw_documents WHERE article_id IS NOT NULL)",
            )?
            .execute([])?;
        let removed = transaction
            .prepare_cached(
                "DELETE FROM articles WHERE id NOT IN
               (SELECT article_id FROM raw_documents WHERE article_id IS NOT NULL)",
            )?
            .execute([])?;
        transaction.commit()?;
        Ok(removed)
    }
}

impl Snapshot {
    /// A read view.
    pub fn read(&self) -> Reader<'_> {
        Reader {
            connection: &self.connection,
        }
    }
}

fn migrate(connection: &mut Connection, dir: &Path) -> Result<()> {
    let version: usize = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > schema::MIGRATIONS.len() {
        return Err(Error::NewerSchema {
            dir: dir.to_path_buf(),
            found: version,
            known: schema::MIGRATIONS.len(),
        });
    }
    if version == schema::MIGRATIONS.len() {
        return Ok(());
    }
    let transaction = connection.transaction()?;
    for migration in &schema::MIGRATIONS[version..] {
        transaction.execute_batch(migration)?;
    }
    transaction.pragma_update(None, "user_version", schema::MIGRATIONS.len())?;
    transaction.commit()?;
    Ok(())
}

fn compress(bytes: &[u8]) -> Result<Vec<u8>> {
    zstd::encode_all(bytes, 3).map_err(|e| Error::Corrupt(format!("cannot compress: {e}")))
}

fn decompress(bytes: &[u8]) -> Result<Vec<u8>> {
    zstd::decode_all(bytes)
        .map_err(|e| Error::Corrupt(format!("cannot decompress a raw document: {e}")))
}

fn insert_raw(
    transaction: &rusqlite::Transaction<'_>,
    raw: &RawDocument,
    digest: &Digest,
    keep_bytes: bool,
    skip: Option<&Skip>,
    now: &str,
) -> Result<RawId> {
    let body = if keep_bytes {
        Some(compress(&raw.bytes)?)
    } else {
        None
    };
    let hints = serde_json::to_string(&raw.hints).map_err(|e| Error::Corrupt(e.to_string()))?;
    transaction
        .prepare_cached(
            "INSERT INTO raw_documents (digest, source, format, charset, hints, fetched_at, size, body,
                                        first_seen, skip_reason, skip_message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            &digest.0[..],
            raw.source,
            raw.format.map(BodyFormat::name),
            raw.charset,
            hints,
            raw.fetched_at.map(|t| t.to_rfc3339()),
            raw.bytes.len() as i64,
            body,
            now,
            skip.map(|s| s.reason.name()),
            skip.map(|s| s.message.as_str()),
        ])?;
    let raw_id = RawId(transaction.last_insert_rowid() as u64);
    add_source(transaction, raw_id, &raw.source, now)?;
    Ok(raw_id)
}

fn add_source(
    transaction: &rusqlite::Transaction<'_>,
    raw: RawId,
    source: &str,
    now: &str,
) -> Result<()> {
    transaction
        .prepare_cached(
            "INSERT OR IGNORE INTO sources (source, raw_id, first_seen) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![source, raw.0, now])?;
    Ok(())
}

fn add_location(
    transaction: &rusqlite::Transaction<'_>,
    article: ArticleId,
    url: &str,
    raw: RawId,
) -> Result<()> {
    transaction
        .prepare_cached(
            "INSERT OR IGNORE INTO article_locations (article_id, url, raw_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![article.0, url, raw.0])?;
    Ok(())
}

fn article_by_text(
    transaction: &rusqlite::Transaction<'_>,
    digest: &Digest,
) -> Result<Option<ArticleId>> {
    Ok(transaction
        .prepare_cached("SELECT id FROM articles WHERE text_digest = ?1")?
        .query_row(params![&digest.0[..]], |row| row.get::<_, u64>(0))
        .optional()?
        .map(ArticleId))
}

pub(crate) fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(e.to_string()))
}

/// The location an article is known by: its URL, else where it was read.
fn location_of(article: &Article, raw: &RawDocument) -> String {
    article.url.clone().unwrap_or_else(|| raw.source.clone())
}

fn insert_article(
    transaction: &rusqlite::Transaction<'_>,
    article: &Article,
    digest: &Digest,
    raw: RawId,
    now: &str,
) -> Result<ArticleId> {
    transaction
        .prepare_cached(
            "INSERT INTO articles (text_digest, raw_id, url, canonical_url, title, authors, published,
                 published_ts, updated, outlet, domain, language, image, description, text, record,
                 summary_only, removed, words, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        )?
        .execute(params![
            &digest.0[..],
            raw.0,
            article.url,
            article.canonical_url,
            article.title,
            json(&article.authors)?,
            article.published.map(|d| d.to_string()),
            article.published.map(|d| d.timestamp()),
            article.updated.map(|d| d.to_string()),
            article.outlet,
            article.domain,
            article.language,
            article.image,
            article.description,
            article.text,
            article.record.as_ref().map(json).transpose()?,
            article.summary_only,
            json(&article.removed)?,
            article.word_count() as i64,
            now,
        ])?;
    Ok(ArticleId(transaction.last_insert_rowid() as u64))
}

fn apply(transaction: &rusqlite::Transaction<'_>, write: Write, now: &str) -> Result<Written> {
    match write {
        Write::Article {
            raw,
            digest,
            article,
        } => {
            let raw_id = insert_raw(transaction, &raw, &digest, true, None, now)?;
            let text = text_digest(&article.text);
            let location = location_of(&article, &raw);
            let (article_id, written) = match article_by_text(transaction, &text)? {
                Some(existing) => (existing, Written::Duplicate(existing)),
                None => match revised_article(transaction, &article)? {
                    Some(existing) => {
                        revise(transaction, existing, &article, &text, raw_id, now)?;
                        (existing, Written::Revision(existing))
                    }
                    None => {
                        let id = insert_article(transaction, &article, &text, raw_id, now)?;
                        (id, Written::New(id))
                    }
                },
            };
            transaction
                .prepare_cached("UPDATE raw_documents SET article_id = ?1 WHERE id = ?2")?
                .execute(params![article_id.0, raw_id.0])?;
            add_location(transaction, article_id, &location, raw_id)?;
            Ok(written)
        }
        Write::Skipped {
            raw,
            digest,
            skip,
            keep_bytes,
        } => {
            insert_raw(transaction, &raw, &digest, keep_bytes, Some(&skip), now)?;
            Ok(Written::Skipped)
        }
        Write::Source {
            raw,
            source,
            article,
            url,
        } => {
            add_source(transaction, raw, &source, now)?;
            if let Some(article) = article {
                add_location(transaction, article, url.as_deref().unwrap_or(&source), raw)?;
            }
            Ok(Written::Source)
        }
    }
}

/// The stored article a fetched page revises: one stored from the same http(s) URL.
fn revised_article(
    transaction: &rusqlite::Transaction<'_>,
    article: &Article,
) -> Result<Option<ArticleId>> {
    let Some(url) = article
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    else {
        return Ok(None);
    };
    Ok(transaction
        .prepare_cached("SELECT id FROM articles WHERE url = ?1 ORDER BY id LIMIT 1")?
        .query_row(params![url], |row| row.get::<_, u64>(0))
        .optional()?
        .map(ArticleId))
}

/// Keeps the stored text of an article as a revision and stores the new one in its
/// place; the article's annotations are dropped so that they are made again.
fn revise(
    transaction: &rusqlite::Transaction<'_>,
    id: ArticleId,
    article: &Article,
    digest: &Digest,
    raw: RawId,
    now: &str,
) -> Result<()> {
    transaction.prepare_cached("INSERT INTO article_revisions (article_id, revision, raw_id, title, text, stored_at)
         SELECT id, (SELECT COUNT(*) + 1 FROM article_revisions WHERE article_id = ?1), raw_id, title, text, stored_at
         FROM articles WHERE id = ?1")?.execute(params![id.0])?;
    transaction
        .prepare_cached(
            "UPDATE articles SET text_digest = ?1, raw_id = ?2, stored_at = ?3 WHERE id = ?4",
        )?
        .execute(params![&digest.0[..], raw.0, now, id.0])?;
    update_article(transaction, id, article)?;
    transaction
        .prepare_cached("DELETE FROM annotations WHERE article_id = ?1")?
        .execute(params![id.0])?;
    Ok(())
}

fn replace(
    transaction: &rusqlite::Transaction<'_>,
    raw: RawId,
    article: Option<&Article>,
    now: &str,
) -> Result<Option<ArticleId>> {
    let current: Option<u64> = transaction
        .query_row(
            "SELECT article_id FROM raw_documents WHERE id = ?1",
            params![raw.0],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    transaction
        .prepare_cached(DELETE_LOCATIONS_OF_RAW)?
        .execute(params![raw.0])?;
    let Some(article) = article else {
        transaction
            .prepare_cached("UPDATE raw_documents SET article_id = NULL WHERE id = ?1")?
            .execute(params![raw.0])?;
        return Ok(None);
    };
    let digest = text_digest(&article.text);
    let source: String = transaction.query_row(
        "SELECT source FROM raw_documents WHERE id = ?1",
        params![raw.0],
        |row| row.get(0),
    )?;
    let location = article.url.clone().unwrap_or(source);
    let target = match article_by_text(transaction, &digest)? {
        Some(existing) => {
            // The primary raw document of an article rewrites its metadata.
            let owner: u64 = transaction.query_row(
                "SELECT raw_id FROM articles WHERE id = ?1",
                params![existing.0],
                |row| row.get(0),
            )?;
            if owner == raw.0 {
                update_article(transaction, existing, article)?;
            }
            existing
        }
        None => match current {
            Some(current)
                if transaction.query_row(
                    "SELECT raw_id FROM articles WHERE id = ?1",
                    params![current],
                    |row| row.get::<_, u64>(0),
                )? == raw.0 =>
            {
                transaction
                    .prepare_cached("UPDATE articles SET text_digest = ?1 WHERE id = ?2")?
                    .execute(params![&digest.0[..], current])?;
                update_article(transaction, ArticleId(current), article)?;
                ArticleId(current)
            }
            _ => insert_article(transaction, article, &digest, raw, now)?,
        },
    };
    transaction.prepare_cached("UPDATE raw_documents SET article_id = ?1, skip_reason = NULL, skip_message = NULL WHERE id = ?2")?.execute(params![target.0, raw.0])?;
    add_location(transaction, target, &location, raw)?;
    Ok(Some(target))
}

fn update_article(
    transaction: &rusqlite::Transaction<'_>,
    id: ArticleId,
    article: &Article,
) -> Result<()> {
    transaction.prepare_cached("UPDATE articles SET url = ?1, canonical_url = ?2, title = ?3, authors = ?4, published = ?5,
             published_ts = ?6, updated = ?7, outlet = ?8, domain = ?9, language = ?10, image = ?11,
             description = ?12, text = ?13, record = ?14, summary_only = ?15, removed = ?16, words = ?17
         WHERE id = ?18")?.execute(params![
            article.url,
            article.canonical_url,
            article.title,
            json(&article.authors)?,
            article.published.map(|d| d.to_string()),
            article.published.map(|d| d.timestamp()),
            article.updated.map(|d| d.to_string()),
            article.outlet,
            article.domain,
            article.language,
            article.image,
            article.description,
            article.text,
            article.record.as_ref().map(json).transpose()?,
            article.summary_only,
            json(&article.removed)?,
            article.word_count() as i64,
            id.0,
        ])?;
    Ok(())
}

/// Read queries, over a writer's or a snapshot's connection.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    connection: &'a Connection,
}

const ARTICLE_COLUMNS: &str =
    "a.id, a.raw_id, a.url, a.canonical_url, a.title, a.authors, a.published, a.updated,
     a.outlet, a.domain, a.language, a.image, a.description, a.text, a.record, a.summary_only,
     a.removed, a.stored_at";

impl Reader<'_> {
    /// What the store knows of a raw document read from `source`.
    pub fn known(&self, digest: &Digest, source: &str) -> Result<Known> {
        let found: Option<(u64, Option<u64>)> = self
            .connection
            .prepare_cached("SELECT id, article_id FROM raw_documents WHERE digest = ?1")?
            .query_row(params![&digest.0[..]], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let Some((raw, article)) = found else {
            return Ok(Known::New);
        };
        let same_source: bool = self
            .connection
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM sources WHERE source = ?1 AND raw_id = ?2)",
            )?
            .query_row(params![source, raw], |row| row.get(0))?;
        Ok(if same_source {
            Known::Unchanged { raw: RawId(raw) }
        } else {
            Known::OtherSource {
                raw: RawId(raw),
                article: article.map(ArticleId),
            }
        })
    }

    /// How much the store holds.
    pub fn counts(&self) -> Result<Counts> {
        let count = |sql: &str| -> Result<u64> {
            Ok(self.connection.query_row(sql, [], |row| row.get(0))?)
        };
        Ok(Counts {
            raw_documents: count("SELECT COUNT(*) FROM raw_documents")?,
            articles: count("SELECT COUNT(*) FROM articles")?,
            locations: count("SELECT COUNT(*) FROM article_locations")?,
            sources: count("SELECT COUNT(*) FROM sources")?,
            skipped: count("SELECT COUNT(*) FROM raw_documents WHERE article_id IS NULL")?,
        })
    }

    /// One article by id.
    pub fn article(&self, id: ArticleId) -> Result<Option<StoredArticle>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?1");
        let found = self
            .connection
            .query_row(&sql, params![id.0], row_to_article)
            .optional()?;
        found
            .map(|article| self.with_locations(article?))
            .transpose()
    }

    /// Outlets with how many articles each has, the most first (articles without an
    /// outlet name are counted under their domain).
    pub fn outlets(&self, limit: usize) -> Result<Vec<(String, u64)>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT COALESCE(outlet, domain) AS name, COUNT(*) FROM articles
             WHERE name IS NOT NULL GROUP BY name ORDER BY COUNT(*) DESC, name LIMIT ?1",
        )?;
        let rows =
            statement.query_map(params![limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Up to `limit` articles with ids above `after`, by id (for indexes that follow
    /// the store).
    pub fn articles_after(&self, after: u64, limit: usize) -> Result<Vec<StoredArticle>> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id > ?1 ORDER BY a.id LIMIT ?2"
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let rows = statement.query_map(params![after, limit as i64], row_to_article)?;
        let mut articles = Vec::new();
        for row in rows {
            articles.push(row??);
        }
        Ok(articles)
    }

    /// Articles matching a filter, newest first (undated last).
    pub fn articles(&self, filter: &ArticleFilter) -> Result<Vec<StoredArticle>> {
        let mut sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE 1 = 1");
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(outlet) = &filter.outlet {
            sql.push_str(" AND (lower(a.outlet) = lower(?) OR lower(a.domain) = lower(?))");
            values.push(outlet.clone().into());
            values.push(outlet.clone().into());
        }
        if let Some(since) = filter.since {
            sql.push_str(" AND a.published_ts >= ?");
            values.push(
                since
                    .and_hms_opt(0, 0, 0)
                    .map_or(0, |t| t.and_utc().timestamp())
                    .into(),
            );
        }
        if let Some(until) = filter.until {
            sql.push_str(" AND a.published_ts < ?");
            let next = until.succ_opt().unwrap_or(until);
            values.push(
                next.and_hms_opt(0, 0, 0)
                    .map_or(i64::MAX, |t| t.and_utc().timestamp())
                    .into(),
            );
        }
        sql.push_str(
            " ORDER BY a.published_ts IS NULL, a.published_ts DESC, a.id DESC LIMIT ? OFFSET ?",
        );
        values.push((filter.limit.map_or(-1, |l| l as i64)).into());
        values.push((filter.offset as i64).into());
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), row_to_article)?;
        let mut articles = Vec::new();
        for row in rows {
            articles.push(self.with_locations(row??)?);
        }
        Ok(articles)
    }

    /// The most recently stored articles of an outlet, by the key outlet templates use
    /// (the outlet's lowercased name, else the domain).
    pub fn recent_articles_of(&self, key: &str, limit: usize) -> Result<Vec<StoredArticle>> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id IN ({OUTLET_RECENT_IDS})
             ORDER BY a.id DESC LIMIT ?2"
        );
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement.query_map(params![key, limit as i64], row_to_article)?;
        let mut articles = Vec::new();
        for row in rows {
            articles.push(row??);
        }
        Ok(articles)
    }

    fn with_locations(&self, mut article: StoredArticle) -> Result<StoredArticle> {
        let mut statement = self.connection.prepare_cached(
            "SELECT url FROM article_locations WHERE article_id = ?1 ORDER BY raw_id, url",
        )?;
        let urls = statement.query_map(params![article.id.0], |row| row.get::<_, String>(0))?;
        let own = article.article.url.clone();
        let mut locations: Vec<String> = own.iter().cloned().collect();
        for url in urls {
            let url = url?;
            if !locations.contains(&url) {
                locations.push(url);
            }
        }
        article.locations = locations;
        Ok(article)
    }

    /// The earlier texts of an article, oldest first.
    pub fn revisions(&self, article: ArticleId) -> Result<Vec<Revision>> {
        let mut statement = self.connection.prepare(
            "SELECT revision, title, text, stored_at FROM article_revisions WHERE article_id = ?1 ORDER BY revision",
        )?;
        let rows = statement.query_map(params![article.0], |row| {
            Ok(Revision {
                revision: row.get(0)?,
                title: row.get(1)?,
                text: row.get(2)?,
                stored_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ids of every raw document whose bytes are kept, in the order they arrived.
    pub fn raw_ids(&self) -> Result<Vec<RawId>> {
        let mut statement = self
            .connection
            .prepare("SELECT id FROM raw_documents WHERE body IS NOT NULL ORDER BY id")?;
        let ids = statement.query_map([], |row| row.get::<_, u64>(0))?;
        Ok(ids
            .collect::<Result<Vec<u64>, _>>()?
            .into_iter()
            .map(RawId)
            .collect())
    }

    /// A raw document with its bytes, as it was read.
    pub fn raw_document(&self, id: RawId) -> Result<Option<RawDocument>> {
        let row = self
            .connection
            .prepare_cached("SELECT source, format, charset, hints, fetched_at, body FROM raw_documents WHERE id = ?1")?
            .query_row(params![id.0], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, Option<Vec<u8>>>(5)?,
                ))
            })
            .optional()?;
        let Some((source, format, charset, hints, fetched_at, body)) = row else {
            return Ok(None);
        };
        let Some(body) = body else {
            return Ok(None);
        };
        let format = match format.as_deref() {
            Some("html") => Some(BodyFormat::Html),
            Some("text") => Some(BodyFormat::Text),
            Some("markdown") => Some(BodyFormat::Markdown),
            _ => None,
        };
        Ok(Some(RawDocument {
            source,
            bytes: decompress(&body)?,
            format,
            charset,
            hints: serde_json::from_str(&hints)
                .map_err(|e| Error::Corrupt(format!("raw document {id}: {e}")))?,
            fetched_at: fetched_at
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&chrono::Utc)),
        }))
    }

    /// What each fetched URL last answered with (see [`Store::save_http_validators`]).
    pub fn http_validators(&self) -> Result<Vec<HttpValidator>> {
        let mut statement = self
            .connection
            .prepare("SELECT url, etag, last_modified FROM http_validators")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The outlet templates learned so far.
    pub fn templates(&self) -> Result<OutletTemplates> {
        let mut templates = OutletTemplates::default();
        let mut statement = self
            .connection
            .prepare("SELECT key, state FROM outlet_templates")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (key, state) = row?;
            let outlet: Outlet = serde_json::from_str(&state)
                .map_err(|e| Error::Corrupt(format!("template of {key}: {e}")))?;
            templates.insert(key, outlet);
        }
        Ok(templates)
    }

    /// Skips recorded, by reason.
    pub fn skip_counts(&self) -> Result<Vec<(String, u64)>> {
        let mut statement = self.connection.prepare(
            "SELECT skip_reason, COUNT(*) FROM raw_documents WHERE skip_reason IS NOT NULL
             GROUP BY skip_reason ORDER BY skip_reason",
        )?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// SQLite's own integrity check and the store's invariants; an empty list means
    /// the store is sound.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut statement = self.connection.prepare("PRAGMA integrity_check")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        for row in rows {
            let row = row?;
            if row != "ok" {
                problems.push(format!("sqlite: {row}"));
            }
        }
        let mut statement = self.connection.prepare("PRAGMA foreign_key_check")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        for row in rows {
            problems.push(format!("a row of {} points at a missing record", row?));
        }
        let checks: &[(&str, &str)] = &[
            (
                "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM raw_documents r WHERE r.article_id = a.id)",
                "articles that no raw document belongs to",
            ),
            (
                "SELECT COUNT(*) FROM raw_documents WHERE article_id IS NULL AND skip_reason IS NULL",
                "raw documents with neither an article nor a skip reason",
            ),
            (
                "SELECT COUNT(*) FROM raw_documents r WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.raw_id = r.id)",
                "raw documents without a source",
            ),
        ];
        for (sql, what) in checks {
            let count: u64 = self.connection.query_row(sql, [], |row| row.get(0))?;
            if count > 0 {
                problems.push(format!("{count} {what}"));
            }
        }
        let mut statement = self
            .connection
            .prepare("SELECT id, body FROM raw_documents WHERE body IS NOT NULL")?;
        let mut rows = statement.query([])?;
        let mut unreadable = 0;
        while let Some(row) = rows.next()? {
            let body: Vec<u8> = row.get(1)?;
            if decompress(&body).is_err() {
                unreadable += 1;
            }
        }
        if unreadable > 0 {
            problems.push(format!(
                "{unreadable} raw documents whose stored bytes do not decompress"
            ));
        }
        Ok(problems)
    }
}

fn row_to_article(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<StoredArticle>> {
    let parse_json = |index: usize, text: String| -> Result<serde_json::Value> {
        serde_json::from_str(&text).map_err(|e| Error::Corrupt(format!("column {index}: {e}")))
    };
    let id: u64 = row.get(0)?;
    let raw: u64 = row.get(1)?;
    let authors: String = row.get(5)?;
    let published: Option<String> = row.get(6)?;
    let updated: Option<String> = row.get(7)?;
    let record: Option<String> = row.get(14)?;
    let removed: String = row.get(16)?;
    let build = || -> Result<StoredArticle> {
        let article = Article {
            url: row.get(2)?,
            canonical_url: row.get(3)?,
            title: row.get(4)?,
            authors: serde_json::from_value(parse_json(5, authors.clone())?)
                .map_err(|e| Error::Corrupt(e.to_string()))?,
            published: published.as_deref().and_then(NewsDate::parse),
            updated: updated.as_deref().and_then(NewsDate::parse),
            outlet: row.get(8)?,
            domain: row.get(9)?,
            language: row.get(10)?,
            image: row.get(11)?,
            description: row.get(12)?,
            text: row.get(13)?,
            record: record
                .as_ref()
                .map(|r| {
                    serde_json::from_str(r)
                        .map_err(|e| Error::Corrupt(format!("record of article {id}: {e}")))
                })
                .transpose()?,
            summary_only: row.get(15)?,
            removed: serde_json::from_str(&removed)
                .map_err(|e| Error::Corrupt(format!("article {id}: {e}")))?,
        };
        Ok(StoredArticle {
            id: ArticleId(id),
            article,
            locations: Vec::new(),
            stored_at: row.get(17)?,
            raw: RawId(raw),
        })
    };
    Ok(build())
}

#[cfg(test)]
mod tests;
