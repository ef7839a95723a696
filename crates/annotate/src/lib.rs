//! Who and what is in an article: sentences, entities with their aliases and roles,
//! quotes with their speakers, and the dates the text mentions.
//!
//! [`annotate`] is a pure function of an [`Article`] (and a [`Recognizer`]):
//!
//! - [`sentences`]: sentence boundaries that survive "Gen.", "U.S.", "Jan. 20" and
//!   initials;
//! - [`entities`]: names and their kinds, through the [`Recognizer`] trait (the default
//!   [`RuleRecognizer`] reads capitalisation, context and our own [`lexicon`]s);
//! - [`document`]: mentions grouped into the document's entities ("Kislyak" after
//!   "Sergey Kislyak"), with roles from titles and appositions;
//! - [`quotes`]: direct quotes, their pieces and speakers, resolved to entities
//!   (pronouns to the person last named, descriptions to a person with that role);
//! - [`dates`]: dates mentioned, resolved against the publication date.
//!
//! All spans are byte ranges into [`Article::text`].
//!
//! ```
//! use chronicle_annotate::{annotate, RuleRecognizer};
//! use chronicle_model::{Article, NewsDate};
//! let article = Article {
//!     text: "Dana Roe, the union's president, spoke on Tuesday. \"We will not back down,\" Roe said.".into(),
//!     published: NewsDate::parse("2025-10-16"),
//!     ..Article::default()
//! };
//! let annotated = annotate(&article, &RuleRecognizer);
//! let quote = &annotated.quotes[0];
//! let speaker = &annotated.entities[quote.speaker.unwrap()];
//! assert_eq!(speaker.name, "Dana Roe");
//! assert_eq!(speaker.roles[0].text, "union's president");
//! assert_eq!(annotated.dates[0].date.to_string(), "2025-10-14");
//! ```

pub mod corpus;
pub mod dates;
pub mod document;
pub mod entities;
pub mod lexicon;
pub mod names;
pub mod quotes;
pub mod sentences;
pub mod tokens;

pub use dates::{DateMention, Granularity};
pub use document::{LocalEntity, Role};
pub use entities::{EntityKind, Mention, Recognizer, RuleRecognizer};

use chronicle_model::Article;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A quote of one article, with its speaker resolved to one of the article's entities
/// where possible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// From the first quoted piece to the last (byte range, inside the marks).
    pub span: Range<usize>,
    pub pieces: Vec<Range<usize>>,
    /// The quoted words, pieces joined with a space.
    pub text: String,
    /// Index of the speaking entity in [`Annotated::entities`].
    pub speaker: Option<usize>,
    /// The speaker as the text writes it ("he", "a White House official").
    pub speaker_text: Option<String>,
    pub speaker_span: Option<Range<usize>>,
    /// When the words were said, if the attribution says ("at a February press
    /// conference").
    pub said_on: Option<(NaiveDate, Granularity)>,
    /// Quoted words inside a sentence of reported speech.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// Everything annotated in one article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotated {
    pub sentences: Vec<Range<usize>>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<LocalEntity>,
    pub quotes: Vec<Quote>,
    pub dates: Vec<DateMention>,
}

const PRONOUNS: &[&str] = &["he", "she", "they", "i", "we", "him", "her", "them"];

/// Annotates an article.
pub fn annotate(article: &Article, recognizer: &dyn Recognizer) -> Annotated {
    let text = article.text.as_str();
    let sentences = sentences::sentences(text);
    let mentions = recognizer.recognize(text, &sentences);
    let entities = document::entities(text, &mentions);
    let published = article.published.map(|d| d.date());
    let dates = dates::mentions(text, published);
    let quotes = quotes::quotes(text)
        .into_iter()
        .map(|found| {
            let quote_text = found.text(text);
            let (speaker_text, speaker_span) = match found.speaker {
                Some((text, span)) => (Some(text), Some(span)),
                None => (None, None),
            };
            let speaker = speaker_span.as_ref().and_then(|span| {
                resolve_speaker(
                    text,
                    span,
                    speaker_text.as_deref(),
                    found.span.start,
                    &mentions,
                    &entities,
                )
            });
            let said_on = said_on(text, &found.span, speaker_span.as_ref(), &sentences, &dates);
            Quote {
                partial: found.partial,
                span: found.span,
                pieces: found.pieces,
                text: quote_text,
                speaker,
                speaker_text,
                speaker_span,
                said_on,
            }
        })
        .collect();
    Annotated {
        sentences,
        mentions,
        entities,
        quotes,
        dates,
    }
}

/// The entity a speaker refers to: the entity of a mention the speaker overlaps; for a
/// pronoun, the person named last before the quote; for a description, a person the
/// document gave that role.
fn resolve_speaker(
    text: &str,
    span: &Range<usize>,
    speaker: Option<&str>,
    quote_start: usize,
    mentions: &[Mention],
    entities: &[LocalEntity],
) -> Option<usize> {
    let entity_of = |mention: usize| entities.iter().position(|e| e.mentions.contains(&mention));
    // A person named in the speaker's phrase ("IMSA's Helen Costigan") before an
    // organisation named there.
    // The head of the phrase is the last name in it that does not only modify what
    // follows: not "Trump" in "Trump's lawyer" or "Trump spokesperson Hope Hicks".
    let modifies = |m: &Mention| {
        let after = text.get(m.span.end..span.end).unwrap_or_default();
        let (possessive, rest) = match after
            .strip_prefix("'s")
            .or_else(|| after.strip_prefix("’s"))
        {
            Some(rest) => (true, rest),
            None => (false, after),
        };
        let next_word = rest.split_whitespace().next().unwrap_or_default();
        (possessive && !next_word.is_empty())
            || next_word.chars().next().is_some_and(char::is_lowercase)
    };
    let overlapping = |kind: EntityKind| {
        mentions.iter().rposition(|m| {
            m.span.start < span.end && span.start < m.span.end && m.kind == kind && !modifies(m)
        })
    };
    if let Some(index) =
        overlapping(EntityKind::Person).or_else(|| overlapping(EntityKind::Organisation))
    {
        return entity_of(index);
    }
    let speaker = speaker?.to_lowercase();
    let before = span.start.min(quote_start);
    // "The next month he": a subject phrase ending in a pronoun.
    let last_word = speaker.split_whitespace().last().unwrap_or_default();
    if PRONOUNS.contains(&speaker.as_str()) || PRONOUNS.contains(&last_word) {
        // The person named last before the speaker (within the preceding paragraphs).
        let horizon = before.saturating_sub(1500);
        return mentions
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, m)| m.span.end <= before && m.span.start >= horizon)
            .find(|(_, m)| m.kind == EntityKind::Person)
            .and_then(|(index, _)| entity_of(index));
    }
    // "the ambassador", "a company spokeswoman": a person whose role shares its noun.
    let noun = speaker.split_whitespace().last()?.to_string();
    let lexicon = lexicon::Lexicon::get();
    if !lexicon.job_titles.contains(&noun) {
        return None;
    }
    let _ = text;
    entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Person)
        .filter(|(_, e)| {
            e.roles
                .iter()
                .any(|r| r.text.to_lowercase().split_whitespace().any(|w| w == noun))
        })
        .rfind(|(_, e)| e.mentions.iter().any(|&m| mentions[m].span.start < before))
        .map(|(index, _)| index)
}

/// A date mentioned in the attribution of a quote: in the sentence of its speaker, or
/// in the rest of the sentence the quote ends in.
fn said_on(
    text: &str,
    quote: &Range<usize>,
    speaker: Option<&Range<usize>>,
    sentences: &[Range<usize>],
    dates: &[DateMention],
) -> Option<(NaiveDate, Granularity)> {
    let _ = text;
    let sentence_of = |offset: usize| {
        sentences
            .iter()
            .find(|s| s.start <= offset && offset <= s.end)
            .cloned()
    };
    let region = speaker
        .and_then(|s| sentence_of(s.start))
        .or_else(|| sentence_of(quote.end))?;
    dates
        .iter()
        .find(|d| {
            d.span.start >= region.start
                && d.span.end <= region.end
                && !(d.span.start >= quote.start && d.span.end <= quote.end)
        })
        .map(|d| (d.date, d.granularity))
}
