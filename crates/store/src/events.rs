//! Events, stored: which article joined which event and why, merges (the merged id
//! redirects), each event's date, headline and category, and its change history.

use crate::{Error, Reader, Result, Store, json};
use chronicle_model::ArticleId;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The events merged into one (the ids that redirect to it).
pub(crate) const EVENTS_MERGED_INTO: &str =
    "SELECT id FROM events WHERE merged_into = ?1 ORDER BY id";
/// Points the events merged into `?2` at `?1`, which `?2` has been merged into.
pub(crate) const REPOINT_EVENT_MERGES: &str =
    "UPDATE events SET merged_into = ?1 WHERE merged_into = ?2";
/// The same for stories.
pub(crate) const REPOINT_STORY_MERGES: &str =
    "UPDATE stories SET merged_into = ?1 WHERE merged_into = ?2";
/// The events of an entity's most recent mentions (`?1`), but `?2`, with its mentions in
/// each: an entity of a long-running story is mentioned in tens of thousands of
/// articles, and reading them all made every event page cost more as the store grew
/// (0.1–1.2 s at 500,000 articles).
pub(crate) const RELATED_BY_ENTITY: &str = "SELECT x.event_id, SUM(r.mentions) FROM
     (SELECT article_id, mentions FROM entity_mentions
      WHERE entity_id = ?1 AND mentions > 0 ORDER BY article_id DESC LIMIT 200) r
     JOIN event_articles x ON x.article_id = r.article_id
     WHERE x.event_id != ?2 GROUP BY x.event_id";
/// The roles the entities of an event have in its articles.
pub(crate) const EVENT_ROLES: &str = "SELECT r.entity_id, r.role FROM event_articles x
     JOIN entity_roles r ON r.article_id = x.article_id WHERE x.event_id = ?1";

/// An article's place in an event.
#[derive(Clone, Debug, PartialEq)]
pub struct EventJoin {
    pub article: ArticleId,
    pub event: u64,
    /// Whether the article started the event.
    pub created: bool,
    pub score: f32,
    /// Why it joined (JSON).
    pub why: serde_json::Value,
    /// Its clustering terms (JSON), to restore the clusterer; `None` for copies, which
    /// join their primary's event without being compared.
    pub terms: Option<String>,
    /// The story it joined (stories are clustered like events, over longer spans).
    pub story: Option<u64>,
}

/// Two events found to be one.
#[derive(Clone, Debug, PartialEq)]
pub struct EventMergeWrite {
    pub from: u64,
    pub into: u64,
    pub evidence: serde_json::Value,
}

/// An event found to be two: some of its articles move to a new event.
#[derive(Clone, Debug, PartialEq)]
pub struct EventSplitWrite {
    pub from: u64,
    pub into: u64,
    /// The articles that move (their copies move with them).
    pub articles: Vec<ArticleId>,
    pub evidence: serde_json::Value,
}

/// What an event shows, recomputed from its articles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFields {
    pub id: u64,
    pub date: Option<chrono::NaiveDate>,
    /// Where the date came from ("mentioned in article 3: \"on Tuesday\"", "earliest
    /// publication").
    pub date_source: String,
    pub headline: String,
    pub category: String,
    /// The story most of its articles joined.
    pub story: Option<u64>,
    /// A few sentences, each citing its sources.
    pub summary: Vec<SummarySentence>,
}

/// One sentence of an event summary and the articles that say it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SummarySentence {
    pub text: String,
    pub articles: Vec<u64>,
}

/// What a story shows, recomputed from its events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryFields {
    pub id: u64,
    pub name: String,
}

/// One batch of clustering results.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventsWrite {
    pub joins: Vec<EventJoin>,
    pub merges: Vec<EventMergeWrite>,
    pub splits: Vec<EventSplitWrite>,
    /// Stories found to be one: (from, into).
    pub story_merges: Vec<(u64, u64)>,
    pub fields: Vec<EventFields>,
    pub stories: Vec<StoryFields>,
}

/// A story as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StorySummary {
    pub id: u64,
    pub name: Option<String>,
    pub events: u64,
    /// The first and last event dates.
    pub first: Option<String>,
    pub last: Option<String>,
}

/// A story with its events by date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoryDetail {
    #[serde(flatten)]
    pub summary: StorySummary,
    /// Its events, oldest event date first.
    pub timeline: Vec<EventSummary>,
}

/// An event related to another, with what relates them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RelatedEvent {
    #[serde(flatten)]
    pub event: EventSummary,
    /// Entities both events' articles mention, the most mentioned in both first.
    pub shared: Vec<String>,
    /// Whether both belong to the same story.
    pub same_story: bool,
    pub score: f64,
}

/// An event as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventSummary {
    pub id: u64,
    /// When it happened (YYYY-MM-DD).
    pub date: Option<String>,
    pub headline: Option<String>,
    pub category: Option<String>,
    pub sources: u64,
    pub updated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story_name: Option<String>,
}

/// One article of an event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventSource {
    pub article: u64,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub image: Option<String>,
    pub published: Option<String>,
    /// The score it joined with.
    pub score: f32,
    pub why: serde_json::Value,
    /// The primary of its copy group, when it is a copy of another article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<u64>,
    pub joined: String,
}

/// One change of an event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventChange {
    pub at: String,
    pub kind: String,
    pub detail: serde_json::Value,
}

/// An event as it stood after one batch of changes (the changes written together, at
/// one time), worked out by replaying its history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRevision {
    /// 1 for the first version.
    pub number: usize,
    pub at: String,
    /// What this version changed.
    pub changes: Vec<EventChange>,
    pub date: Option<String>,
    pub headline: Option<String>,
    pub category: Option<String>,
    /// The articles it held, copies included, by id.
    pub articles: Vec<u64>,
}

/// An article as a list names it: outlet, title, where it was found, when published.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleRef {
    pub article: u64,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// The primary of its copy group, when it is a copy of another article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<u64>,
}

/// What replaying an event's history has reached.
#[derive(Clone, Debug, Default)]
struct Replayed {
    date: Option<String>,
    headline: Option<String>,
    category: Option<String>,
    articles: BTreeSet<u64>,
}

/// Merges followed when replaying an event's history (a merged event's articles are
/// worked out from its own history, which may hold merges too).
const REPLAY_DEPTH: usize = 16;

/// An event with its sources and history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub summary: EventSummary,
    pub created: String,
    pub date_source: Option<String>,
    /// The summary's sentences with the articles each cites.
    pub summary_sentences: Vec<SummarySentence>,
    /// Ids merged into this one (they redirect here).
    pub merged: Vec<u64>,
    pub sources: Vec<EventSource>,
    pub history: Vec<EventChange>,
}

/// An entity in an event's articles, with the roles they give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventEntity {
    pub id: u64,
    pub kind: String,
    pub name: String,
    /// Articles of the event that mention it.
    pub articles: u64,
    pub mentions: u64,
    pub roles: Vec<String>,
}

/// What the clusterer needs to resume: each clustered article with its terms.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusteredArticle {
    pub article: ArticleId,
    pub event: u64,
    pub published: Option<i64>,
    pub terms: String,
    pub story: Option<u64>,
}

/// Filters of `chronicle events`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Events of this day (YYYY-MM-DD).
    pub date: Option<String>,
    /// Events on or after this day.
    pub since: Option<String>,
    /// Events on or before this day.
    pub until: Option<String>,
    pub category: Option<String>,
    /// Events with an article mentioning this entity.
    pub entity: Option<u64>,
    pub story: Option<u64>,
    /// Events with an article from this outlet (case-insensitive).
    pub outlet: Option<String>,
    pub limit: Option<usize>,
    /// Events skipped before the first returned (for pages of results).
    pub offset: Option<usize>,
}

/// The event `id` is now, following merges recorded in the transaction so far.
fn merged_now(transaction: &rusqlite::Transaction<'_>, mut id: u64) -> Result<u64> {
    for _ in 0..64 {
        let merged: Option<Option<u64>> = transaction
            .prepare_cached("SELECT merged_into FROM events WHERE id = ?1")?
            .query_row(params![id], |row| row.get(0))
            .optional()?;
        match merged {
            Some(Some(next)) => id = next,
            _ => return Ok(id),
        }
    }
    Err(Error::Corrupt(format!("events {id}: a cycle of merges")))
}

fn history(
    transaction: &rusqlite::Transaction<'_>,
    event: u64,
    now: &str,
    kind: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    transaction
        .prepare_cached(
            "INSERT INTO event_history (event_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![event, now, kind, json(detail)?])?;
    Ok(())
}

impl Store {
    /// Writes a batch of clustering results in one transaction: joins (creating new
    /// events), merges, then the recomputed fields of touched events, each change
    /// recorded in the event's history.
    pub fn write_events(&mut self, write: &EventsWrite, now: &str) -> Result<()> {
        let transaction = self.connection.transaction()?;
        for split in &write.splits {
            transaction
                .prepare_cached(
                    "INSERT OR IGNORE INTO events (id, created, updated) VALUES (?1, ?2, ?2)",
                )?
                .execute(params![split.into, now])?;
        }
        // Every event a join names gets its row first: within one batch an article can
        // end in an event that a later join created (it moved there by a split and a
        // merge after joining), and its history must not wait for that join.
        for join in &write.joins {
            transaction
                .prepare_cached(
                    "INSERT OR IGNORE INTO events (id, created, updated) VALUES (?1, ?2, ?2)",
                )?
                .execute(params![join.event, now])?;
        }
        for join in &write.joins {
            if let Some(story) = join.story {
                transaction
                    .prepare_cached(
                        "INSERT OR IGNORE INTO stories (id, created, updated) VALUES (?1, ?2, ?2)",
                    )?
                    .execute(params![story, now])?;
            }
            if join.created {
                transaction
                    .prepare_cached(
                        "INSERT OR IGNORE INTO events (id, created, updated) VALUES (?1, ?2, ?2)",
                    )?
                    .execute(params![join.event, now])?;
                history(
                    &transaction,
                    join.event,
                    now,
                    "created",
                    &serde_json::json!({"article": join.article.0}),
                )?;
            } else {
                history(
                    &transaction,
                    join.event,
                    now,
                    "source added",
                    &serde_json::json!({"article": join.article.0, "score": join.score}),
                )?;
            }
            transaction
                .prepare_cached(
                    "INSERT OR REPLACE INTO event_articles (article_id, event_id, score, why, terms, joined, story_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    join.article.0,
                    join.event,
                    join.score,
                    json(&join.why)?,
                    join.terms,
                    now,
                    join.story
                ])?;
        }
        for (from, into) in &write.story_merges {
            for id in [from, into] {
                transaction
                    .prepare_cached(
                        "INSERT OR IGNORE INTO stories (id, created, updated) VALUES (?1, ?2, ?2)",
                    )?
                    .execute(params![id, now])?;
            }
            for sql in [
                "UPDATE event_articles SET story_id = ?1 WHERE story_id = ?2",
                "UPDATE events SET story_id = ?1 WHERE story_id = ?2",
                REPOINT_STORY_MERGES,
            ] {
                transaction
                    .prepare_cached(sql)?
                    .execute(params![into, from])?;
            }
            transaction
                .prepare_cached("UPDATE stories SET merged_into = ?1, updated = ?2 WHERE id = ?3")?
                .execute(params![into, now, from])?;
        }
        for merge in &write.merges {
            // An event made and merged away within one batch still gets its row, so its
            // id redirects like any other.
            for id in [merge.from, merge.into] {
                transaction
                    .prepare_cached(
                        "INSERT OR IGNORE INTO events (id, created, updated) VALUES (?1, ?2, ?2)",
                    )?
                    .execute(params![id, now])?;
            }
            transaction
                .prepare_cached("UPDATE event_articles SET event_id = ?1 WHERE event_id = ?2")?
                .execute(params![merge.into, merge.from])?;
            transaction
                .prepare_cached("UPDATE events SET merged_into = ?1, updated = ?2 WHERE id = ?3")?
                .execute(params![merge.into, now, merge.from])?;
            // Events merged earlier into `from` now point at `into` directly.
            transaction
                .prepare_cached(REPOINT_EVENT_MERGES)?
                .execute(params![merge.into, merge.from])?;
            let detail = serde_json::json!({"from": merge.from, "into": merge.into, "evidence": merge.evidence});
            history(&transaction, merge.into, now, "merged", &detail)?;
            history(&transaction, merge.from, now, "merged away", &detail)?;
        }
        for split in &write.splits {
            // Merges are applied first, so both sides of a split are followed to what
            // they are now: a part split off and merged into another event within the
            // same batch moves straight there.
            let (from, into) = (
                merged_now(&transaction, split.from)?,
                merged_now(&transaction, split.into)?,
            );
            for article in &split.articles {
                transaction
                    .prepare_cached(
                        "UPDATE event_articles SET event_id = ?1
                     WHERE event_id = ?2 AND (article_id = ?3
                       OR article_id IN (SELECT article_id FROM copies WHERE copy_of = ?3))",
                    )?
                    .execute(params![into, from, article.0])?;
            }
            let detail = serde_json::json!({
                "from": split.from,
                "into": split.into,
                "articles": split.articles.iter().map(|a| a.0).collect::<Vec<_>>(),
                "evidence": split.evidence,
            });
            history(&transaction, split.from, now, "split", &detail)?;
            history(&transaction, split.into, now, "split off", &detail)?;
        }
        for field in &write.fields {
            let old: Option<(Option<String>, Option<String>, Option<String>)> = transaction
                .prepare_cached("SELECT date, headline, category FROM events WHERE id = ?1")?
                .query_row(params![field.id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })
                .optional()?;
            let Some((old_date, old_headline, old_category)) = old else {
                continue;
            };
            let date = field.date.map(|d| d.to_string());
            let mut changed = false;
            for (kind, before, after) in [
                ("date", &old_date, &date),
                ("headline", &old_headline, &Some(field.headline.clone())),
                ("category", &old_category, &Some(field.category.clone())),
            ] {
                if before != after {
                    changed = true;
                    history(
                        &transaction,
                        field.id,
                        now,
                        kind,
                        &serde_json::json!({"from": before, "to": after}),
                    )?;
                }
            }
            transaction
                .prepare_cached(
                    "UPDATE events SET date = ?1, date_source = ?2, headline = ?3, category = ?4,
                 story_id = ?5, summary = ?6, updated = CASE WHEN ?7 THEN ?8 ELSE updated END
                 WHERE id = ?9",
                )?
                .execute(params![
                    date,
                    field.date_source,
                    field.headline,
                    field.category,
                    field.story,
                    json(&field.summary)?,
                    changed,
                    now,
                    field.id
                ])?;
        }
        for story in &write.stories {
            transaction
                .prepare_cached("UPDATE stories SET name = ?1, updated = ?2 WHERE id = ?3")?
                .execute(params![story.name, now, story.id])?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Removes every event (for `reprocess`, which clusters again from scratch).
    pub fn clear_events(&mut self) -> Result<()> {
        let transaction = self.connection.transaction()?;
        for table in ["event_history", "event_articles", "events", "stories"] {
            transaction
                .prepare_cached(&format!("DELETE FROM {table}"))?
                .execute([])?;
        }
        transaction.commit()?;
        Ok(())
    }
}

/// An [`EventSummary`] from the first eight columns of a row: id, date, headline,
/// category, updated, source count, story id, story name.
fn summary_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<EventSummary> {
    Ok(EventSummary {
        id: row.get(0)?,
        date: row.get(1)?,
        headline: row.get(2)?,
        category: row.get(3)?,
        updated: row.get(4)?,
        sources: row.get(5)?,
        story: row.get(6)?,
        story_name: row.get(7)?,
    })
}

const SUMMARY_COLUMNS: &str = "e.id, e.date, e.headline, e.category, e.updated,
     (SELECT COUNT(*) FROM event_articles x WHERE x.event_id = e.id), e.story_id, s.name";

impl Reader<'_> {
    /// What an event or story id now is, following `merged_into` in `table`.
    fn resolve_merged(&self, table: &str, mut id: u64) -> Result<Option<u64>> {
        let sql = format!("SELECT merged_into FROM {table} WHERE id = ?1");
        for _ in 0..64 {
            let merged: Option<Option<u64>> = self
                .connection
                .prepare_cached(&sql)?
                .query_row(params![id], |row| row.get(0))
                .optional()?;
            match merged {
                None => return Ok(None),
                Some(None) => return Ok(Some(id)),
                Some(Some(next)) => id = next,
            }
        }
        Err(Error::Corrupt(format!("{table} {id}: a cycle of merges")))
    }

    /// Merged stories and the story each now is.
    pub fn story_redirects(&self) -> Result<Vec<(u64, u64)>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The entities of a story's most recent 500 articles, for naming it: those in the
    /// most events first, then the most mentioned. Bounded, so naming a story costs the
    /// same however long it has run.
    pub fn story_entities(&self, story: u64, limit: usize) -> Result<Vec<(String, String, u64)>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT e.name, e.kind, COUNT(DISTINCT x.event_id) FROM
               (SELECT article_id, event_id FROM event_articles WHERE story_id = ?1
                ORDER BY article_id DESC LIMIT 500) x
             JOIN entity_mentions m ON m.article_id = x.article_id
             JOIN entities e ON e.id = m.entity_id
             WHERE m.mentions > 0
             GROUP BY e.id ORDER BY COUNT(DISTINCT x.event_id) DESC, SUM(m.mentions) DESC, e.id
             LIMIT ?2",
        )?;
        let rows = statement.query_map(params![story, limit as i64], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stories an article's event's articles joined, with counts (for an event's
    /// story: the one most of its articles joined).
    pub fn event_story_votes(&self, event: u64) -> Result<Vec<(u64, u64)>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT story_id, COUNT(*) FROM event_articles WHERE event_id = ?1 AND story_id IS NOT NULL
             GROUP BY story_id ORDER BY COUNT(*) DESC, story_id",
        )?;
        let rows = statement.query_map(params![event], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The story an id now is (following merges); `None` when unknown.
    pub fn resolve_story(&self, id: u64) -> Result<Option<u64>> {
        self.resolve_merged("stories", id)
    }

    /// Stories with events, latest first.
    pub fn stories(&self, limit: Option<usize>) -> Result<Vec<StorySummary>> {
        self.stories_from(limit, 0)
    }

    /// Stories, latest first, after skipping `offset` of them.
    pub fn stories_from(&self, limit: Option<usize>, offset: usize) -> Result<Vec<StorySummary>> {
        let mut statement = self.connection.prepare(
            "SELECT s.id, s.name, COUNT(e.id), MIN(e.date), MAX(e.date)
             FROM stories s JOIN events e ON e.story_id = s.id AND e.merged_into IS NULL
             WHERE s.merged_into IS NULL GROUP BY s.id
             ORDER BY MAX(e.date) IS NULL, MAX(e.date) DESC, s.id DESC LIMIT ?1 OFFSET ?2",
        )?;
        let rows = statement.query_map(
            params![limit.map_or(-1, |l| l as i64), offset as i64],
            |row| {
                Ok(StorySummary {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    events: row.get(2)?,
                    first: row.get(3)?,
                    last: row.get(4)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One story (after following merges) with its events by date.
    pub fn story(&self, id: u64) -> Result<Option<StoryDetail>> {
        let Some(id) = self.resolve_story(id)? else {
            return Ok(None);
        };
        let name: Option<String> = self
            .connection
            .prepare_cached("SELECT name FROM stories WHERE id = ?1")?
            .query_row(params![id], |row| row.get(0))?;
        let mut statement = self.connection.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM events e LEFT JOIN stories s ON s.id = e.story_id
             WHERE e.story_id = ?1 AND e.merged_into IS NULL
             ORDER BY e.date IS NULL, e.date, e.id"
        ))?;
        let timeline: Vec<EventSummary> = statement
            .query_map(params![id], summary_row)?
            .collect::<Result<_, _>>()?;
        Ok(Some(StoryDetail {
            summary: StorySummary {
                id,
                name,
                events: timeline.len() as u64,
                first: timeline.iter().filter_map(|e| e.date.clone()).min(),
                last: timeline.iter().filter_map(|e| e.date.clone()).max(),
            },
            timeline,
        }))
    }

    /// Events related to one: those whose articles mention the same entities (weighted
    /// by how few events each entity is in) or that share its story, best first.
    pub fn related_events(&self, event: u64, limit: usize) -> Result<Vec<RelatedEvent>> {
        let story: Option<u64> = self
            .connection
            .prepare_cached("SELECT story_id FROM events WHERE id = ?1")?
            .query_row(params![event], |row| row.get(0))
            .optional()?
            .flatten();
        // The event's entities (people and organisations and places, not its bylines),
        // with their mentions in it.
        // The most mentioned only: each costs a lookup of its recent mentions.
        let mut statement = self.connection.prepare_cached(
            "SELECT m.entity_id, n.name, SUM(m.mentions) FROM event_articles x
             JOIN entity_mentions m ON m.article_id = x.article_id
             JOIN entities n ON n.id = m.entity_id
             WHERE x.event_id = ?1 AND m.mentions > 0 GROUP BY m.entity_id
             ORDER BY SUM(m.mentions) DESC, m.entity_id LIMIT 12",
        )?;
        let entities: Vec<(u64, String, u64)> = statement
            .query_map(params![event], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        // Per related event: its score, and each shared entity with how prominent it is in
        // both (the fewer mentions of the two), to show the most central first.
        type Shared = Vec<(u64, String)>;
        let mut scores: std::collections::HashMap<u64, (f64, Shared)> =
            std::collections::HashMap::new();
        let mut others = self.connection.prepare_cached(RELATED_BY_ENTITY)?;
        for (entity, name, mentions) in &entities {
            let events: Vec<(u64, u64)> = others
                .query_map(params![entity, event], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            // An entity in few events says more than one in every event.
            let weight = 1.0 / (2.0 + events.len() as f64).ln();
            for (other, their_mentions) in events {
                let entry = scores.entry(other).or_default();
                entry.0 += weight;
                entry
                    .1
                    .push(((*mentions).min(their_mentions), name.clone()));
            }
        }
        if let Some(story) = story {
            let mut same = self.connection.prepare_cached(
                "SELECT id FROM events WHERE story_id = ?1 AND id != ?2 AND merged_into IS NULL",
            )?;
            for other in same.query_map(params![story, event], |row| row.get::<_, u64>(0))? {
                scores.entry(other?).or_default().0 += 1.0;
            }
        }
        let mut ranked: Vec<(u64, f64, Shared)> = scores
            .into_iter()
            .map(|(id, (score, shared))| (id, score, shared))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        let mut related = Vec::new();
        let mut head = self.connection.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM events e LEFT JOIN stories s ON s.id = e.story_id
             WHERE e.id = ?1 AND e.merged_into IS NULL"
        ))?;
        for (id, score, mut shared) in ranked {
            if related.len() >= limit {
                break;
            }
            let Some(summary) = head.query_row(params![id], summary_row).optional()? else {
                continue;
            };
            shared.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            related.push(RelatedEvent {
                same_story: story.is_some() && summary.story == story,
                event: summary,
                shared: shared.into_iter().take(6).map(|(_, name)| name).collect(),
                score,
            });
        }
        Ok(related)
    }

    /// Annotated articles not yet in an event, oldest publication first.
    pub fn unclustered(&self, limit: usize) -> Result<Vec<ArticleId>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT a.id FROM articles a JOIN annotations n ON n.article_id = a.id
             WHERE a.id NOT IN (SELECT article_id FROM event_articles)
             ORDER BY a.published_ts IS NULL, a.published_ts, a.id LIMIT ?1",
        )?;
        let rows = statement.query_map(params![limit as i64], |row| row.get::<_, u64>(0))?;
        Ok(rows.map(|r| r.map(ArticleId)).collect::<Result<_, _>>()?)
    }

    /// Every clustered article with its terms, for resuming the clusterer, in the order
    /// they joined, one at a time (a large store does not fit in memory at once).
    pub fn for_each_clustered(
        &self,
        mut visit: impl FnMut(ClusteredArticle) -> Result<()>,
    ) -> Result<()> {
        let mut statement = self.connection.prepare_cached(
            "SELECT e.article_id, e.event_id, a.published_ts, e.terms, e.story_id FROM event_articles e
             JOIN articles a ON a.id = e.article_id WHERE e.terms IS NOT NULL
             ORDER BY e.joined, e.article_id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            visit(ClusteredArticle {
                article: ArticleId(row.get(0)?),
                event: row.get(1)?,
                published: row.get(2)?,
                terms: row.get(3)?,
                story: row.get(4)?,
            })?;
        }
        Ok(())
    }

    /// How many articles an event has.
    pub fn event_size(&self, event: u64) -> Result<usize> {
        Ok(self
            .connection
            .prepare_cached("SELECT COUNT(*) FROM event_articles WHERE event_id = ?1")?
            .query_row(params![event], |row| row.get::<_, i64>(0))? as usize)
    }

    /// Every URL an article was found at, with the article's event and story (for
    /// scoring against labels), one row at a time.
    pub fn for_each_located_event(
        &self,
        mut visit: impl FnMut(&str, ArticleId, Option<u64>, Option<u64>),
    ) -> Result<()> {
        let mut statement = self.connection.prepare_cached(
            "SELECT l.url, l.article_id, e.event_id, e.story_id FROM article_locations l
             LEFT JOIN event_articles e ON e.article_id = l.article_id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let url: String = row.get(0)?;
            visit(&url, ArticleId(row.get(1)?), row.get(2)?, row.get(3)?);
        }
        Ok(())
    }

    /// How many articles were clustered (not counting copies).
    pub fn clustered_count(&self) -> Result<usize> {
        Ok(self
            .connection
            .prepare_cached("SELECT COUNT(*) FROM event_articles WHERE terms IS NOT NULL")?
            .query_row([], |row| row.get::<_, i64>(0))? as usize)
    }

    /// The latest publication time (Unix seconds) among clustered articles.
    pub fn newest_clustered(&self) -> Result<Option<i64>> {
        Ok(self
            .connection
            .prepare_cached(
                "SELECT MAX(a.published_ts) FROM event_articles e JOIN articles a ON a.id = e.article_id",
            )?
            .query_row([], |row| row.get(0))?)
    }

    /// Merged events and the event each now is.
    pub fn event_redirects(&self) -> Result<Vec<(u64, u64)>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT id, merged_into FROM events WHERE merged_into IS NOT NULL")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The event an article is in.
    pub fn event_of(&self, article: ArticleId) -> Result<Option<u64>> {
        Ok(self
            .connection
            .prepare_cached("SELECT event_id FROM event_articles WHERE article_id = ?1")?
            .query_row(params![article.0], |row| row.get(0))
            .optional()?)
    }

    /// The event an id now is (following merges); `None` when unknown.
    pub fn resolve_event(&self, id: u64) -> Result<Option<u64>> {
        self.resolve_merged("events", id)
    }

    /// Live events, newest event date first.
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<EventSummary>> {
        let mut sql = String::from(
            "SELECT e.id, e.date, e.headline, e.category, e.updated,
                    (SELECT COUNT(*) FROM event_articles x WHERE x.event_id = e.id),
                    e.story_id, s.name
             FROM events e LEFT JOIN stories s ON s.id = e.story_id WHERE e.merged_into IS NULL",
        );
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(date) = &filter.date {
            sql.push_str(" AND e.date = ?");
            values.push(date.clone().into());
        }
        if let Some(since) = &filter.since {
            sql.push_str(" AND e.date >= ?");
            values.push(since.clone().into());
        }
        if let Some(until) = &filter.until {
            sql.push_str(" AND e.date <= ?");
            values.push(until.clone().into());
        }
        if let Some(outlet) = &filter.outlet {
            sql.push_str(
                " AND e.id IN (SELECT x.event_id FROM event_articles x
                  JOIN articles a ON a.id = x.article_id WHERE a.outlet = ? COLLATE NOCASE)",
            );
            values.push(outlet.clone().into());
        }
        if let Some(category) = &filter.category {
            sql.push_str(" AND e.category = ? COLLATE NOCASE");
            values.push(category.clone().into());
        }
        if let Some(story) = filter.story {
            sql.push_str(" AND e.story_id = ?");
            values.push((story as i64).into());
        }
        if let Some(entity) = filter.entity {
            sql.push_str(
                " AND e.id IN (SELECT x.event_id FROM event_articles x
                  JOIN entity_mentions m ON m.article_id = x.article_id WHERE m.entity_id = ?)",
            );
            values.push((entity as i64).into());
        }
        sql.push_str(" ORDER BY e.date IS NULL, e.date DESC, e.id DESC");
        let limit = filter.limit.map_or(-1, |l| l as i64);
        sql.push_str(&format!(
            " LIMIT {limit} OFFSET {}",
            filter.offset.unwrap_or(0)
        ));
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), summary_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The entities of an event's articles, most mentioned first.
    pub fn event_entities(&self, event: u64, limit: usize) -> Result<Vec<EventEntity>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT e.id, e.kind, e.name, COUNT(*), SUM(m.mentions)
             FROM event_articles x JOIN entity_mentions m ON m.article_id = x.article_id
             JOIN entities e ON e.id = m.entity_id
             WHERE x.event_id = ?1 GROUP BY e.id
             ORDER BY COUNT(*) DESC, SUM(m.mentions) DESC, e.id LIMIT ?2",
        )?;
        let rows = statement.query_map(params![event, limit as i64], |row| {
            Ok(EventEntity {
                id: row.get(0)?,
                kind: row.get(1)?,
                name: row.get(2)?,
                articles: row.get(3)?,
                mentions: row.get(4)?,
                roles: Vec::new(),
            })
        })?;
        let mut entities: Vec<EventEntity> = rows.collect::<Result<_, _>>()?;
        // The roles of all its entities at once, through the event's articles: one
        // lookup per entity went through all that entity's roles in the store.
        let mut statement = self.connection.prepare_cached(EVENT_ROLES)?;
        let mut roles: HashMap<u64, BTreeSet<String>> = HashMap::new();
        let rows = statement.query_map(params![event], |row| {
            Ok((row.get::<_, u64>(0)?, row.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (entity, role) = row?;
            roles.entry(entity).or_default().insert(role);
        }
        for entity in &mut entities {
            entity.roles = roles
                .remove(&entity.id)
                .unwrap_or_default()
                .into_iter()
                .collect();
        }
        Ok(entities)
    }

    /// The article ids of an event, oldest publication first.
    pub fn event_article_ids(&self, event: u64) -> Result<Vec<ArticleId>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT x.article_id FROM event_articles x JOIN articles a ON a.id = x.article_id
             WHERE x.event_id = ?1 ORDER BY a.published_ts IS NULL, a.published_ts, a.id",
        )?;
        let rows = statement.query_map(params![event], |row| row.get::<_, u64>(0))?;
        Ok(rows.map(|r| r.map(ArticleId)).collect::<Result<_, _>>()?)
    }

    /// Events changed at or after `since` (an RFC 3339 time as `updated` holds; `None`:
    /// all), oldest change first: each id, the event it was merged into (if it was),
    /// and when it last changed.
    pub fn events_changed_since(
        &self,
        since: Option<&str>,
    ) -> Result<Vec<(u64, Option<u64>, String)>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT id, merged_into, updated FROM events WHERE ?1 IS NULL OR updated >= ?1
             ORDER BY updated, id",
        )?;
        let rows = statement.query_map(params![since], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One event (after following merges) with its sources and history.
    pub fn event(&self, id: u64) -> Result<Option<EventDetail>> {
        let Some(id) = self.resolve_event(id)? else {
            return Ok(None);
        };
        let head = self
            .connection
            .prepare_cached(
                "SELECT e.id, e.date, e.headline, e.category, e.updated,
                        (SELECT COUNT(*) FROM event_articles x WHERE x.event_id = e.id),
                        e.story_id, s.name, e.created, e.date_source, e.summary
                 FROM events e LEFT JOIN stories s ON s.id = e.story_id WHERE e.id = ?1",
            )?
            .query_row(params![id], |row| {
                Ok((
                    summary_row(row)?,
                    row.get::<_, String>(8)?,
                    row.get::<_, Option<String>>(9)?,
                    row.get::<_, Option<String>>(10)?,
                ))
            })
            .optional()?;
        let Some((summary, created, date_source, sentences)) = head else {
            return Ok(None);
        };
        let sentences: Vec<SummarySentence> = match sentences {
            Some(text) => serde_json::from_str(&text)
                .map_err(|e| Error::Corrupt(format!("summary of event {id}: {e}")))?,
            None => Vec::new(),
        };
        let mut statement = self.connection.prepare_cached(
            "SELECT x.article_id, a.title, a.outlet, COALESCE(a.url, a.canonical_url), a.image,
                    a.published, x.score, x.why, c.copy_of, x.joined
             FROM event_articles x JOIN articles a ON a.id = x.article_id
             LEFT JOIN copies c ON c.article_id = x.article_id
             WHERE x.event_id = ?1 ORDER BY a.published_ts IS NULL, a.published_ts, a.id",
        )?;
        let sources = statement
            .query_map(params![id], |row| {
                Ok((
                    EventSource {
                        article: row.get(0)?,
                        title: row.get(1)?,
                        outlet: row.get(2)?,
                        url: row.get(3)?,
                        image: row.get(4)?,
                        published: row.get(5)?,
                        score: row.get(6)?,
                        why: serde_json::Value::Null,
                        copy_of: row.get(8)?,
                        joined: row.get(9)?,
                    },
                    row.get::<_, String>(7)?,
                ))
            })?
            .map(|row| {
                let (mut source, why) = row?;
                source.why = serde_json::from_str(&why).map_err(|e| {
                    Error::Corrupt(format!("why of article {}: {e}", source.article))
                })?;
                Ok(source)
            })
            .collect::<Result<Vec<_>>>()?;
        let history = self.history_of(id)?;
        let mut statement = self.connection.prepare_cached(EVENTS_MERGED_INTO)?;
        let merged = statement
            .query_map(params![id], |row| row.get::<_, u64>(0))?
            .collect::<Result<_, _>>()?;
        Ok(Some(EventDetail {
            summary,
            created,
            date_source,
            summary_sentences: sentences,
            merged,
            sources,
            history,
        }))
    }

    /// The changes of one event (not following merges), oldest first.
    fn history_of(&self, id: u64) -> Result<Vec<EventChange>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT at, kind, detail FROM event_history WHERE event_id = ?1 ORDER BY id",
        )?;
        statement
            .query_map(params![id], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })?
            .map(|row| {
                let (at, kind, detail) = row?;
                let detail = serde_json::from_str(&detail)
                    .map_err(|e| Error::Corrupt(format!("history of event {id}: {e}")))?;
                Ok(EventChange { at, kind, detail })
            })
            .collect()
    }

    /// Every version of an event (its own id, merges not followed: a merged event's
    /// versions end with the merge), or `None` when there is no such event.
    pub fn event_revisions(&self, id: u64) -> Result<Option<Vec<EventRevision>>> {
        let exists: Option<u64> = self
            .connection
            .prepare_cached("SELECT id FROM events WHERE id = ?1")?
            .query_row(params![id], |row| row.get(0))
            .optional()?;
        if exists.is_none() {
            return Ok(None);
        }
        let history = self.history_of(id)?;
        let mut state = Replayed::default();
        let mut revisions: Vec<EventRevision> = Vec::new();
        // The changes written at one time make one version: its state is taken once,
        // after the last of them.
        for changes in history.chunk_by(|a, b| a.at == b.at) {
            for change in changes {
                self.replay(&mut state, change, 0)?;
            }
            revisions.push(EventRevision {
                number: revisions.len() + 1,
                at: changes[0].at.clone(),
                changes: changes.to_vec(),
                date: state.date.clone(),
                headline: state.headline.clone(),
                category: state.category.clone(),
                articles: state.articles.iter().copied().collect(),
            });
        }
        Ok(Some(revisions))
    }

    /// How many versions an event has had (see [`Reader::event_revisions`]).
    pub fn revision_count(&self, id: u64) -> Result<usize> {
        Ok(self
            .connection
            .prepare_cached("SELECT COUNT(DISTINCT at) FROM event_history WHERE event_id = ?1")?
            .query_row(params![id], |row| row.get(0))?)
    }

    /// Applies one change of an event's history to what replaying it has reached.
    fn replay(&self, state: &mut Replayed, change: &EventChange, depth: usize) -> Result<()> {
        let detail = &change.detail;
        let number = |key: &str| detail.get(key).and_then(serde_json::Value::as_u64);
        let text = |key: &str| {
            detail
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        let moved = || -> Vec<u64> {
            detail
                .get("articles")
                .and_then(serde_json::Value::as_array)
                .map(|list| list.iter().filter_map(serde_json::Value::as_u64).collect())
                .unwrap_or_default()
        };
        match change.kind.as_str() {
            "created" | "source added" => state.articles.extend(number("article")),
            "merged" => {
                if let Some(from) = number("from").filter(|_| depth < REPLAY_DEPTH) {
                    // The merged event's articles as they were when it merged.
                    let mut gone = Replayed::default();
                    for earlier in self.history_of(from)? {
                        if earlier.at > change.at {
                            break;
                        }
                        if earlier.kind != "merged away" {
                            self.replay(&mut gone, &earlier, depth + 1)?;
                        }
                    }
                    state.articles.extend(gone.articles);
                }
            }
            "merged away" => state.articles.clear(),
            kind @ ("split" | "split off") => {
                // The moved articles took the copies then joined with them.
                let mut articles = moved();
                for article in articles.clone() {
                    articles.extend(self.copies_joined_by(article, &change.at)?);
                }
                if kind == "split" {
                    for article in articles {
                        state.articles.remove(&article);
                    }
                } else {
                    state.articles.extend(articles);
                }
            }
            "date" => state.date = text("to"),
            "headline" => state.headline = text("to"),
            "category" => state.category = text("to"),
            _ => {}
        }
        Ok(())
    }

    /// Copies of an article that had joined an event by `at`.
    fn copies_joined_by(&self, article: u64, at: &str) -> Result<Vec<u64>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT c.article_id FROM copies c JOIN event_articles x ON x.article_id = c.article_id
             WHERE c.copy_of = ?1 AND x.joined <= ?2",
        )?;
        let copies = statement
            .query_map(params![article, at], |row| row.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(copies)
    }

    /// Articles as a list names them, in the order given (unknown ids left out).
    pub fn article_refs(&self, ids: &[u64]) -> Result<Vec<ArticleRef>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT a.id, a.title, a.outlet, COALESCE(a.url, a.canonical_url), a.published,
                    c.copy_of
             FROM articles a LEFT JOIN copies c ON c.article_id = a.id WHERE a.id = ?1",
        )?;
        let mut refs = Vec::with_capacity(ids.len());
        for id in ids {
            let found = statement
                .query_row(params![id], |row| {
                    Ok(ArticleRef {
                        article: row.get(0)?,
                        title: row.get(1)?,
                        outlet: row.get(2)?,
                        url: row.get(3)?,
                        published: row.get(4)?,
                        copy_of: row.get(5)?,
                    })
                })
                .optional()?;
            refs.extend(found);
        }
        Ok(refs)
    }
}
