//! What articles say, stored: entities with aliases, mentions, roles and merge evidence;
//! quotes with their citations; dates mentioned; near-duplicate signatures and copies;
//! and reads for the command line.

use crate::{Error, Reader, Result, Store, json};
use chronicle_annotate::corpus::{EntityId, IndexedEntity, IndexedQuote, QuoteId};
use chronicle_annotate::{Annotated, EntityKind, Granularity, Role};
use chronicle_dedupe::Signature;
use chronicle_model::ArticleId;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::BTreeSet;
use std::ops::Range;

/// An article's copy group (`?1` its primary): the primary first, then by publication.
pub(crate) const COPY_GROUP: &str =
    "SELECT a.id, a.title, a.outlet, a.url, a.published, c.jaccard, c.containment
     FROM articles a LEFT JOIN copies c ON c.article_id = a.id
     WHERE a.id IN (SELECT ?1 UNION SELECT article_id FROM copies WHERE copy_of = ?1)
     ORDER BY a.id = ?1 DESC, a.published_ts, a.id";
/// Quotes with their speaker's name and how many citations they have; the filter and
/// [`QUOTES_ORDER`] follow.
const QUOTES_LISTED: &str = "SELECT q.id, q.text, q.speaker_id, e.name, COUNT(c.article_id)
     FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_id
     LEFT JOIN quote_citations c ON c.quote_id = q.id";
/// The quotes reported in event `?3` (of speaker `?1` when given).
pub(crate) const QUOTES_OF_EVENT: &str = "q.id IN (SELECT c2.quote_id FROM quote_citations c2
     JOIN event_articles x ON x.article_id = c2.article_id WHERE x.event_id = ?3)
     AND (?1 IS NULL OR q.speaker_id = ?1)";
/// Most cited first; at most `?2` (-1: all) after skipping `?4`.
const QUOTES_ORDER: &str =
    "GROUP BY q.id ORDER BY COUNT(c.article_id) DESC, q.id LIMIT ?2 OFFSET ?4";
/// Entities whose name or an alias is `?1`, case-insensitively.
pub(crate) const ENTITIES_NAMED: &str = "SELECT id FROM entities WHERE name = ?1 COLLATE NOCASE
     UNION SELECT entity_id FROM entity_aliases WHERE alias = ?1 COLLATE NOCASE";

/// One document entity, resolved to its corpus entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityWrite {
    pub id: EntityId,
    pub kind: EntityKind,
    /// The corpus entity's name (may have become fuller with this document).
    pub name: String,
    /// The ways this document writes it.
    pub aliases: Vec<String>,
    pub mentions: usize,
    pub first: Range<usize>,
    pub roles: Vec<Role>,
    /// Why this document's entity joined an existing one.
    pub evidence: Option<String>,
    /// The document's own name for it.
    pub local_name: String,
}

/// One quote of a document, resolved to its corpus quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteWrite {
    pub id: QuoteId,
    /// The corpus quote's wording (the longest reported so far).
    pub text: String,
    pub speaker: Option<EntityId>,
    /// This citation's wording and place.
    pub citation: String,
    pub span: Range<usize>,
    pub speaker_text: Option<String>,
    pub said_on: Option<(chrono::NaiveDate, Granularity)>,
}

/// A near-duplicate relation found for a document.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CopyWrite {
    /// The primary of the copy group after this document joined it.
    pub primary: ArticleId,
    /// The group's previous primary, when this document took its place.
    pub replaces: Option<ArticleId>,
    pub jaccard: f64,
    pub containment: f64,
}

/// Everything annotated for one article.
#[derive(Clone, Debug)]
pub struct AnnotationWrite {
    pub article: ArticleId,
    pub annotated: Annotated,
    /// The article's publication day, which dates its roles.
    pub published: Option<chrono::NaiveDate>,
    pub entities: Vec<EntityWrite>,
    pub quotes: Vec<QuoteWrite>,
    pub signature: Option<Signature>,
    pub copy: Option<CopyWrite>,
}

fn granularity_name(granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Day => "day",
        Granularity::Month => "month",
        Granularity::Year => "year",
    }
}

fn kind_of(name: &str) -> EntityKind {
    EntityKind::parse(name).unwrap_or(EntityKind::Other)
}

impl Store {
    /// Stores the annotations of a batch of articles in one transaction, replacing what
    /// was stored for them before.
    pub fn write_annotations(&mut self, batch: &[AnnotationWrite]) -> Result<()> {
        let transaction = self.connection.transaction()?;
        for write in batch {
            let article = write.article.0;
            for table in [
                "entity_mentions",
                "entity_roles",
                "entity_merges",
                "quote_citations",
                "date_mentions",
            ] {
                transaction
                    .prepare_cached(&format!("DELETE FROM {table} WHERE article_id = ?1"))?
                    .execute(params![article])?;
            }
            transaction
                .prepare_cached(
                    "INSERT INTO annotations (article_id, data) VALUES (?1, ?2)
                 ON CONFLICT(article_id) DO UPDATE SET data = excluded.data",
                )?
                .execute(params![article, json(&write.annotated)?])?;
            for entity in &write.entities {
                transaction
                    .prepare_cached(
                        "INSERT INTO entities (id, kind, name) VALUES (?1, ?2, ?3)
                     ON CONFLICT(id) DO UPDATE SET name = excluded.name",
                    )?
                    .execute(params![entity.id.0, entity.kind.name(), entity.name])?;
                for alias in &entity.aliases {
                    transaction
                        .prepare_cached("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?1, ?2)")?
                        .execute(params![entity.id.0, alias])?;
                }
                transaction
                    .prepare_cached(
                        "INSERT INTO entity_mentions (article_id, entity_id, mentions, first_start, first_end)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT(article_id, entity_id) DO UPDATE SET mentions = mentions + excluded.mentions",
                    )?
                    .execute(params![article, entity.id.0, entity.mentions as i64, entity.first.start as i64, entity.first.end as i64])?;
                for role in &entity.roles {
                    transaction
                        .prepare_cached(
                            "INSERT INTO entity_roles (entity_id, article_id, role, date, span_start, span_end)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        )?
                        .execute(params![
                            entity.id.0,
                            article,
                            role.text,
                            write.published.map(|d| d.to_string()),
                            role.span.start as i64,
                            role.span.end as i64
                        ])?;
                }
                if let Some(evidence) = &entity.evidence {
                    transaction
                        .prepare_cached("INSERT INTO entity_merges (entity_id, article_id, name, evidence) VALUES (?1, ?2, ?3, ?4)")?
                        .execute(params![entity.id.0, article, entity.local_name, evidence])?;
                }
            }
            for quote in &write.quotes {
                transaction
                    .prepare_cached(
                        "INSERT INTO quotes (id, text, speaker_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT(id) DO UPDATE SET text = excluded.text,
                         speaker_id = COALESCE(quotes.speaker_id, excluded.speaker_id)",
                    )?
                    .execute(params![quote.id.0, quote.text, quote.speaker.map(|s| s.0)])?;
                transaction
                    .prepare_cached(
                        "INSERT OR REPLACE INTO quote_citations (quote_id, article_id, span_start, span_end, text,
                             speaker_text, said_on, said_granularity)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )?
                    .execute(params![
                        quote.id.0,
                        article,
                        quote.span.start as i64,
                        quote.span.end as i64,
                        quote.citation,
                        quote.speaker_text,
                        quote.said_on.map(|(d, _)| d.to_string()),
                        quote.said_on.map(|(_, g)| granularity_name(g)),
                    ])?;
            }
            for date in &write.annotated.dates {
                transaction
                    .prepare_cached(
                        "INSERT INTO date_mentions (article_id, span_start, span_end, date, granularity, absolute)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![
                        article,
                        date.span.start as i64,
                        date.span.end as i64,
                        date.date.to_string(),
                        granularity_name(date.granularity),
                        date.absolute
                    ])?;
            }
            match &write.signature {
                Some(signature) => {
                    transaction.prepare_cached("INSERT OR REPLACE INTO signatures (article_id, signature) VALUES (?1, ?2)")?.execute(params![article, signature.to_bytes()])?;
                }
                None => {
                    transaction
                        .prepare_cached("DELETE FROM signatures WHERE article_id = ?1")?
                        .execute(params![article])?;
                }
            }
            transaction
                .prepare_cached("DELETE FROM copies WHERE article_id = ?1")?
                .execute(params![article])?;
            if let Some(copy) = write.copy {
                if let Some(previous) = copy.replaces {
                    // The group's members now point at the new primary, the old primary too.
                    transaction
                        .prepare_cached("UPDATE copies SET copy_of = ?1 WHERE copy_of = ?2")?
                        .execute(params![article, previous.0])?;
                    transaction.prepare_cached("INSERT OR REPLACE INTO copies (article_id, copy_of, jaccard, containment) VALUES (?1, ?2, ?3, ?4)")?.execute(params![previous.0, article, copy.jaccard, copy.containment])?;
                } else if copy.primary.0 != article {
                    transaction.prepare_cached("INSERT OR REPLACE INTO copies (article_id, copy_of, jaccard, containment) VALUES (?1, ?2, ?3, ?4)")?.execute(params![article, copy.primary.0, copy.jaccard, copy.containment])?;
                }
            }
        }
        transaction.commit()?;
        Ok(())
    }

    /// Removes every annotation (for `reprocess`, which annotates again from scratch).
    pub fn clear_annotations(&mut self) -> Result<()> {
        let transaction = self.connection.transaction()?;
        for table in [
            "copies",
            "signatures",
            "date_mentions",
            "quote_citations",
            "quotes",
            "entity_merges",
            "entity_roles",
            "entity_mentions",
            "entity_aliases",
            "entities",
            "annotations",
        ] {
            transaction
                .prepare_cached(&format!("DELETE FROM {table}"))?
                .execute([])?;
        }
        transaction.commit()?;
        Ok(())
    }
}

/// An entity as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntitySummary {
    pub id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    pub articles: u64,
    pub mentions: u64,
}

/// An entity seen with another, and in how many articles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelatedEntity {
    pub id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    /// Articles mentioning both.
    pub shared: u64,
}

/// A role of an entity, with the article and date it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredRole {
    pub role: String,
    pub article: ArticleId,
    pub date: Option<String>,
}

/// An entity with everything stored about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityDetail {
    #[serde(flatten)]
    pub summary: EntitySummary,
    pub aliases: Vec<String>,
    pub roles: Vec<StoredRole>,
    /// Articles that mention it, newest first.
    pub article_list: Vec<EntityArticle>,
    pub quotes: Vec<StoredQuote>,
    /// Why documents' entities joined this one.
    pub merges: Vec<EntityMerge>,
}

/// An article that mentions an entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityArticle {
    pub id: ArticleId,
    pub title: Option<String>,
    pub published: Option<String>,
}

/// Why a document's entity was taken to be this one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityMerge {
    pub article: ArticleId,
    /// The name the document used.
    pub name: String,
    pub evidence: String,
}

/// A quote with its citations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredQuote {
    pub id: QuoteId,
    pub text: String,
    pub speaker: Option<EntityId>,
    pub speaker_name: Option<String>,
    pub citations: Vec<Citation>,
}

/// Where a quote was reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub article: ArticleId,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub span: [u64; 2],
    pub text: String,
    pub speaker_text: Option<String>,
    pub said_on: Option<String>,
}

/// A copy of an article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredCopy {
    pub article: ArticleId,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub primary: bool,
    pub jaccard: Option<f64>,
    pub containment: Option<f64>,
}

impl Reader<'_> {
    /// Ids of articles that have no annotations yet, oldest first.
    pub fn unannotated(&self, limit: usize) -> Result<Vec<ArticleId>> {
        let mut statement = self.connection.prepare(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM annotations) ORDER BY id LIMIT ?1",
        )?;
        let rows = statement.query_map(params![limit as i64], |row| row.get::<_, u64>(0))?;
        Ok(rows
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(ArticleId)
            .collect())
    }

    /// Every entity with its aliases, for the resolver.
    pub fn indexed_entities(&self) -> Result<Vec<IndexedEntity>> {
        let mut statement = self
            .connection
            .prepare("SELECT id, kind, name FROM entities ORDER BY id")?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, u64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut entities = Vec::new();
        let mut aliases = self
            .connection
            .prepare("SELECT alias FROM entity_aliases WHERE entity_id = ?1")?;
        for row in rows {
            let (id, kind, name) = row?;
            let names: BTreeSet<String> = aliases
                .query_map(params![id], |row| row.get::<_, String>(0))?
                .collect::<Result<_, _>>()?;
            entities.push(IndexedEntity {
                id: EntityId(id),
                kind: kind_of(&kind),
                name,
                aliases: names,
            });
        }
        Ok(entities)
    }

    /// Every quote, for the resolver.
    pub fn indexed_quotes(&self) -> Result<Vec<IndexedQuote>> {
        let mut statement = self
            .connection
            .prepare("SELECT id, text, speaker_id FROM quotes ORDER BY id")?;
        let rows = statement.query_map([], |row| {
            Ok(IndexedQuote {
                id: QuoteId(row.get(0)?),
                text: row.get(1)?,
                speaker: row.get::<_, Option<u64>>(2)?.map(EntityId),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// An article's near-duplicate signature.
    pub fn signature(&self, article: ArticleId) -> Result<Option<Signature>> {
        let bytes: Option<Vec<u8>> = self
            .connection
            .prepare_cached("SELECT signature FROM signatures WHERE article_id = ?1")?
            .query_row(params![article.0], |row| row.get(0))
            .optional()?;
        Ok(bytes.as_deref().and_then(Signature::from_bytes))
    }

    /// The signatures of the most recent articles (by id), oldest first, for rebuilding
    /// the in-memory LSH index.
    pub fn recent_signatures(&self, limit: usize) -> Result<Vec<(ArticleId, Signature)>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT article_id, signature FROM signatures ORDER BY article_id DESC LIMIT ?1",
        )?;
        let mut found: Vec<(ArticleId, Signature)> = statement
            .query_map(params![limit as i64], |row| {
                Ok((ArticleId(row.get(0)?), row.get::<_, Vec<u8>>(1)?))
            })?
            .filter_map(|row| match row {
                Ok((id, bytes)) => Signature::from_bytes(&bytes).map(|s| Ok((id, s))),
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?;
        found.reverse();
        Ok(found)
    }

    /// The primary of an article's copy group (itself when it is the primary or alone).
    pub fn copy_primary(&self, article: ArticleId) -> Result<ArticleId> {
        Ok(self
            .connection
            .prepare_cached("SELECT copy_of FROM copies WHERE article_id = ?1")?
            .query_row(params![article.0], |row| row.get::<_, u64>(0))
            .optional()?
            .map_or(article, ArticleId))
    }

    /// An article's publication timestamp and word count (for choosing a primary).
    pub fn article_order(&self, article: ArticleId) -> Result<(Option<i64>, u64)> {
        Ok(self
            .connection
            .prepare_cached("SELECT published_ts, words FROM articles WHERE id = ?1")?
            .query_row(params![article.0], |row| Ok((row.get(0)?, row.get(1)?)))?)
    }

    /// Entities, most mentioned first.
    pub fn entities(
        &self,
        kind: Option<EntityKind>,
        limit: Option<usize>,
    ) -> Result<Vec<EntitySummary>> {
        self.entities_from(kind, limit, 0)
    }

    /// Entities, most mentioned first, after skipping `offset` of them.
    pub fn entities_from(
        &self,
        kind: Option<EntityKind>,
        limit: Option<usize>,
        offset: usize,
    ) -> Result<Vec<EntitySummary>> {
        let mut statement = self.connection.prepare(
            "SELECT e.id, e.kind, e.name, COUNT(m.article_id), COALESCE(SUM(m.mentions), 0)
             FROM entities e LEFT JOIN entity_mentions m ON m.entity_id = e.id
             WHERE (?1 IS NULL OR e.kind = ?1)
             GROUP BY e.id ORDER BY COUNT(m.article_id) DESC, SUM(m.mentions) DESC, e.name, e.id
             LIMIT ?2 OFFSET ?3",
        )?;
        let rows = statement.query_map(
            params![
                kind.map(EntityKind::name),
                limit.map_or(-1, |l| l as i64),
                offset as i64
            ],
            |row| {
                Ok(EntitySummary {
                    id: EntityId(row.get(0)?),
                    kind: kind_of(&row.get::<_, String>(1)?),
                    name: row.get(2)?,
                    articles: row.get(3)?,
                    mentions: row.get(4)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Entities whose name or an alias equals `name` (case-insensitive), most
    /// mentioned first; when none does, those whose name contains it.
    pub fn find_entities(&self, name: &str) -> Result<Vec<EntitySummary>> {
        let exact: Vec<u64> = self
            .connection
            .prepare_cached(ENTITIES_NAMED)?
            .query_map(params![name], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let ids = if exact.is_empty() {
            self.connection
                .prepare(
                    "SELECT id FROM entities WHERE name LIKE '%' || ?1 || '%' ESCAPE '\\' LIMIT 50",
                )?
                .query_map(
                    params![name.replace('%', "\\%").replace('_', "\\_")],
                    |row| row.get(0),
                )?
                .collect::<Result<Vec<u64>, _>>()?
        } else {
            exact
        };
        let mut found = Vec::new();
        for id in ids {
            if let Some(entity) = self.entity_summary(EntityId(id))? {
                found.push(entity);
            }
        }
        found.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then(b.mentions.cmp(&a.mentions))
        });
        Ok(found)
    }

    /// An entity's name, kind and counts (without its roles, articles and quotes).
    pub fn entity_summary(&self, id: EntityId) -> Result<Option<EntitySummary>> {
        Ok(self
            .connection
            .prepare_cached(
                "SELECT e.kind, e.name, COUNT(m.article_id), COALESCE(SUM(m.mentions), 0)
                 FROM entities e LEFT JOIN entity_mentions m ON m.entity_id = e.id WHERE e.id = ?1 GROUP BY e.id",
            )?
            .query_row(params![id.0], |row| {
                Ok(EntitySummary {
                    id,
                    kind: kind_of(&row.get::<_, String>(0)?),
                    name: row.get(1)?,
                    articles: row.get(2)?,
                    mentions: row.get(3)?,
                })
            })
            .optional()?)
    }

    /// Everything about one entity.
    pub fn entity(&self, id: EntityId) -> Result<Option<EntityDetail>> {
        self.entity_within(id, None)
    }

    /// One entity with at most `limit` of its roles (the latest), articles (the newest)
    /// and quotes (the most cited): what a page shows of an entity met thousands of times.
    pub fn entity_within(
        &self,
        id: EntityId,
        limit: Option<usize>,
    ) -> Result<Option<EntityDetail>> {
        let most = limit.map_or(-1, |l| l as i64);
        let Some(summary) = self.entity_summary(id)? else {
            return Ok(None);
        };
        let aliases: Vec<String> = self
            .connection
            .prepare("SELECT alias FROM entity_aliases WHERE entity_id = ?1 ORDER BY alias")?
            .query_map(params![id.0], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let roles: Vec<StoredRole> = self
            .connection
            .prepare(
                "SELECT role, article_id, date FROM (SELECT role, article_id, date FROM entity_roles
                 WHERE entity_id = ?1 ORDER BY date DESC, article_id DESC LIMIT ?2)
                 ORDER BY date, article_id",
            )?
            .query_map(params![id.0, most], |row| {
                Ok(StoredRole {
                    role: row.get(0)?,
                    article: ArticleId(row.get(1)?),
                    date: row.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let article_list = self
            .connection
            .prepare(
                "SELECT a.id, a.title, a.published FROM entity_mentions m JOIN articles a ON a.id = m.article_id
                 WHERE m.entity_id = ?1 ORDER BY a.published_ts DESC, a.id DESC LIMIT ?2",
            )?
            .query_map(params![id.0, most], |row| {
                Ok(EntityArticle {
                    id: ArticleId(row.get(0)?),
                    title: row.get(1)?,
                    published: row.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let merges = self
            .connection
            .prepare("SELECT article_id, name, evidence FROM entity_merges WHERE entity_id = ?1 ORDER BY article_id LIMIT ?2")?
            .query_map(params![id.0, most], |row| {
                Ok(EntityMerge {
                    article: ArticleId(row.get(0)?),
                    name: row.get(1)?,
                    evidence: row.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let quotes = self.quotes(Some(id), None, limit)?;
        Ok(Some(EntityDetail {
            summary,
            aliases,
            roles,
            article_list,
            quotes,
            merges,
        }))
    }

    /// The entities an article mentions.
    pub fn article_entity_ids(&self, article: ArticleId) -> Result<Vec<EntityId>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT entity_id FROM entity_mentions WHERE article_id = ?1")?;
        let rows = statement.query_map(params![article.0], |row| Ok(EntityId(row.get(0)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Up to `limit` quotes with ids from `first` on, by id, with their citations (ids
    /// start at 0).
    pub fn quotes_from_id(&self, first: u64, limit: usize) -> Result<Vec<StoredQuote>> {
        let ids: Vec<u64> = self
            .connection
            .prepare_cached("SELECT id FROM quotes WHERE id >= ?1 ORDER BY id LIMIT ?2")?
            .query_map(params![first, limit as i64], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut quotes = Vec::with_capacity(ids.len());
        for id in ids {
            quotes.extend(self.quote(QuoteId(id))?);
        }
        Ok(quotes)
    }

    /// The quotes an article reports, in the order it reports them.
    pub fn article_quotes(&self, article: ArticleId) -> Result<Vec<StoredQuote>> {
        let ids: Vec<u64> = self
            .connection
            .prepare_cached(
                "SELECT quote_id FROM quote_citations WHERE article_id = ?1
                 GROUP BY quote_id ORDER BY MIN(span_start)",
            )?
            .query_map(params![article.0], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut quotes = Vec::with_capacity(ids.len());
        for id in ids {
            quotes.extend(self.quote(QuoteId(id))?);
        }
        Ok(quotes)
    }

    /// One quote with its citations.
    pub fn quote(&self, id: QuoteId) -> Result<Option<StoredQuote>> {
        let head = self
            .connection
            .prepare_cached(
                "SELECT q.text, q.speaker_id, e.name FROM quotes q
                 LEFT JOIN entities e ON e.id = q.speaker_id WHERE q.id = ?1",
            )?
            .query_row(params![id.0], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<u64>>(1)?.map(EntityId),
                    row.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()?;
        let Some((text, speaker, speaker_name)) = head else {
            return Ok(None);
        };
        Ok(Some(StoredQuote {
            id,
            text,
            speaker,
            speaker_name,
            citations: self.citations(id)?,
        }))
    }

    fn citations(&self, quote: QuoteId) -> Result<Vec<Citation>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT c.article_id, a.outlet, a.url, c.span_start, c.span_end, c.text, c.speaker_text, c.said_on
             FROM quote_citations c JOIN articles a ON a.id = c.article_id
             WHERE c.quote_id = ?1 ORDER BY a.published_ts, c.article_id",
        )?;
        let rows = statement.query_map(params![quote.0], |row| {
            Ok(Citation {
                article: ArticleId(row.get(0)?),
                outlet: row.get(1)?,
                url: row.get(2)?,
                span: [row.get(3)?, row.get(4)?],
                text: row.get(5)?,
                speaker_text: row.get(6)?,
                said_on: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Entities that appear in the same articles as this one (among its `within` newest
    /// articles), with the number of articles shared; most shared first.
    pub fn related_entities(
        &self,
        id: EntityId,
        within: usize,
        limit: usize,
    ) -> Result<Vec<RelatedEntity>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT e.id, e.kind, e.name, COUNT(*) AS shared
             FROM (SELECT article_id FROM entity_mentions WHERE entity_id = ?1
                   ORDER BY article_id DESC LIMIT ?2) mine
             JOIN entity_mentions other ON other.article_id = mine.article_id
             JOIN entities e ON e.id = other.entity_id
             WHERE other.entity_id != ?1
             GROUP BY e.id ORDER BY shared DESC, e.name LIMIT ?3",
        )?;
        let rows = statement.query_map(params![id.0, within as i64, limit as i64], |row| {
            Ok(RelatedEntity {
                id: EntityId(row.get(0)?),
                kind: kind_of(&row.get::<_, String>(1)?),
                name: row.get(2)?,
                shared: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Quotes, optionally of one speaker, with their citations; most cited first.
    pub fn quotes(
        &self,
        speaker: Option<EntityId>,
        event: Option<u64>,
        limit: Option<usize>,
    ) -> Result<Vec<StoredQuote>> {
        self.quotes_from(speaker, event, limit, 0)
    }

    /// Quotes as [`Reader::quotes`] lists them, after skipping `offset` of them.
    pub fn quotes_from(
        &self,
        speaker: Option<EntityId>,
        event: Option<u64>,
        limit: Option<usize>,
        offset: usize,
    ) -> Result<Vec<StoredQuote>> {
        // Each filter as a term SQLite can start from: written as "?3 IS NULL OR …" the
        // event's quotes were found by walking every quote in the store.
        let filter = match (speaker, event) {
            (_, Some(_)) => QUOTES_OF_EVENT,
            (Some(_), None) => "q.speaker_id = ?1",
            // Always true; it names ?1 and ?3 so that every statement takes the same
            // four parameters.
            (None, None) => "?1 IS NULL AND ?3 IS NULL",
        };
        let mut statement = self
            .connection
            .prepare_cached(&format!("{QUOTES_LISTED} WHERE {filter} {QUOTES_ORDER}"))?;
        let rows = statement.query_map(
            params![
                speaker.map(|s| s.0),
                limit.map_or(-1, |l| l as i64),
                event,
                offset as i64
            ],
            |row| {
                Ok((
                    QuoteId(row.get(0)?),
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<u64>>(2)?.map(EntityId),
                    row.get::<_, Option<String>>(3)?,
                ))
            },
        )?;
        let mut quotes = Vec::new();
        for row in rows {
            let (id, text, speaker, speaker_name) = row?;
            quotes.push(StoredQuote {
                id,
                text,
                speaker,
                speaker_name,
                citations: self.citations(id)?,
            });
        }
        Ok(quotes)
    }

    /// The copy group of an article: every member, the primary first.
    pub fn copies(&self, article: ArticleId) -> Result<Vec<StoredCopy>> {
        let primary = self.copy_primary(article)?;
        let mut statement = self.connection.prepare_cached(COPY_GROUP)?;
        let rows = statement.query_map(params![primary.0], |row| {
            let id = ArticleId(row.get(0)?);
            Ok(StoredCopy {
                article: id,
                title: row.get(1)?,
                outlet: row.get(2)?,
                url: row.get(3)?,
                published: row.get(4)?,
                primary: id == primary,
                jaccard: row.get(5)?,
                containment: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stored annotations of an article.
    pub fn annotations(&self, article: ArticleId) -> Result<Option<Annotated>> {
        let data: Option<String> = self
            .connection
            .prepare_cached("SELECT data FROM annotations WHERE article_id = ?1")?
            .query_row(params![article.0], |row| row.get(0))
            .optional()?;
        data.map(|d| {
            serde_json::from_str(&d)
                .map_err(|e| Error::Corrupt(format!("annotations of article {article}: {e}")))
        })
        .transpose()
    }
}
