//! Named entities: people, organisations, places and other names.
//!
//! [`Recognizer`] is the seam where a learned model can be added; [`RuleRecognizer`]
//! is the default and needs no download: it reads capitalisation, the lexicons of
//! [`crate::lexicon`], titles and honorifics ("Gen.", "Attorney General"), name
//! suffixes ("… Institute", "… Hotel"), given names, and context ("in X", "X-based",
//! "X said").

use crate::lexicon::{Lexicon, key};
use crate::tokens::{Token, tokens_in};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// What kind of thing a name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organisation,
    Place,
    /// Nationalities, events, works and other names.
    Other,
}

impl EntityKind {
    /// The lowercase name used in output and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
            Self::Place => "place",
            Self::Other => "other",
        }
    }

    /// Parses the names used on the command line (and common synonyms).
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_lowercase().as_str() {
            "person" | "people" | "per" => Some(Self::Person),
            "organisation" | "organization" | "org" | "orgs" | "organisations"
            | "organizations" => Some(Self::Organisation),
            "place" | "places" | "location" | "loc" => Some(Self::Place),
            "other" | "misc" => Some(Self::Other),
            _ => None,
        }
    }
}

/// One name in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Byte range of the name in the article text (titles not included).
    pub span: Range<usize>,
    pub text: String,
    pub kind: EntityKind,
    /// A title written before the name ("Attorney General", "Gen."), with its span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<(String, Range<usize>)>,
    /// The canonical form when the name is in a lexicon ("U.S." → "United States").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// The kind was guessed for want of any sign (a capitalised word nothing else
    /// explains); a surer reading of the same name elsewhere in the document wins.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guessed: bool,
}

/// Finds names in text. Implementations must be usable from several threads.
pub trait Recognizer: Send + Sync + std::fmt::Debug {
    /// The names in `text`, given its sentences (byte ranges), in text order.
    fn recognize(&self, text: &str, sentences: &[Range<usize>]) -> Vec<Mention>;
}

/// The default recogniser: rules and lexicons, nothing to download.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleRecognizer;

/// Words that may join the capitalised words of one name ("Bank of England").
const CONNECTORS: &[&str] = &[
    "of", "for", "de", "la", "del", "der", "den", "van", "von", "bin", "ibn", "al", "da", "di",
    "du", "le", "des", "y", "dos", "das",
];

/// Last words of names of laws, agreements, prizes and events.
const OTHER_SUFFIXES: &[&str] = &[
    "act",
    "bill",
    "treaty",
    "accord",
    "accords",
    "agreement",
    "convention",
    "protocol",
    "doctrine",
    "award",
    "awards",
    "prize",
    "cup",
    "games",
    "olympics",
    "war",
    "championship",
    "championships",
    "open",
    "summit",
    "festival",
    "plan",
    "amendment",
    "declaration",
];

/// Words around a team's name in sports results.
const TEAM_CONTEXT: &[&str] = &[
    "beat", "beats", "v", "vs", "drew", "edged", "thrashed", "routed", "defeated", "trounced",
];

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "asked",
    "wrote",
    "tweeted",
    "stated",
    "noted",
    "explained",
    "argued",
    "warned",
    "insisted",
    "declared",
    "announced",
    "claimed",
    "replied",
];

const PLACE_PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "from",
    "outside",
    "across",
    "to",
    "into",
    "around",
    "through",
    "throughout",
    "towards",
    "toward",
    "via",
];

impl Recognizer for RuleRecognizer {
    fn recognize(&self, text: &str, sentences: &[Range<usize>]) -> Vec<Mention> {
        let lexicon = Lexicon::get();
        let mut mentions = Vec::new();
        for sentence in sentences {
            let tokens = tokens_in(text, sentence.clone());
            let words = tokens.iter().filter(|t| t.is_word()).count();
            let shouting = words >= 3
                && tokens
                    .iter()
                    .filter(|t| t.is_word() && t.is_all_caps())
                    .count()
                    * 5
                    >= words * 4;
            recognize_sentence(text, &tokens, shouting, lexicon, &mut mentions);
        }
        refine_in_document(&mut mentions, lexicon);
        mentions
    }
}

fn is_name_word(token: &Token<'_>) -> bool {
    token.is_word() && (token.is_capitalised() || token.is_all_caps())
}

/// The longest lexicon name starting at `start`, as (end, known).
fn lexicon_match<'l>(
    tokens: &[Token<'_>],
    start: usize,
    lexicon: &'l Lexicon,
    any_case: bool,
) -> Option<(usize, &'l crate::lexicon::Known)> {
    // Lexicon keys leave out a leading "the" ("The Hague" is "hague").
    if tokens.get(start).is_some_and(|t| t.lower() == "the") {
        return None;
    }
    let mut best = None;
    let mut words: Vec<String> = Vec::new();
    let mut index = start;
    while index < tokens.len() && words.len() < lexicon.longest_name {
        let token = &tokens[index];
        if token.text == "." || token.text == "&" {
            index += 1;
            continue;
        }
        if !token.text.chars().any(char::is_alphanumeric) {
            break;
        }
        // Every word of a name is capitalised, but connectors ("Bank of England").
        let lower = token.lower();
        let allowed = any_case
            || is_name_word(token)
            || (!words.is_empty()
                && (CONNECTORS.contains(&lower.as_str()) || lower == "the" || lower == "and"));
        if !allowed {
            break;
        }
        words.push(lower);
        index += 1;
        if let Some(known) = lexicon.names.get(&words.join(" "))
            && is_name_word(&tokens[index - 1])
        {
            best = Some((index, known));
        }
    }
    best
}

/// The title at `start`, as (end, title text).
fn title_at(tokens: &[Token<'_>], start: usize, lexicon: &Lexicon) -> Option<usize> {
    let mut best = None;
    let mut words: Vec<String> = Vec::new();
    let mut index = start;
    while index < tokens.len() && words.len() < lexicon.longest_title {
        let token = &tokens[index];
        if token.text == "." {
            index += 1;
            if best == Some(index - 1) {
                best = Some(index);
            }
            continue;
        }
        if !token.is_word() {
            break;
        }
        words.push(token.lower());
        index += 1;
        if lexicon.titles.contains_key(&words.join(" ")) {
            best = Some(index);
        }
    }
    best
}

fn recognize_sentence(
    text: &str,
    tokens: &[Token<'_>],
    shouting: bool,
    lexicon: &Lexicon,
    out: &mut Vec<Mention>,
) {
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index];
        // "Moscow-based": the part before the hyphen is a place.
        if let Some(prefix) = token
            .text
            .strip_suffix("-based")
            .or_else(|| token.text.strip_suffix("-born"))
            && prefix.chars().next().is_some_and(char::is_uppercase)
        {
            out.push(Mention {
                span: token.span.start..token.span.start + prefix.len(),
                text: prefix.to_string(),
                kind: EntityKind::Place,
                title: None,
                canonical: lexicon
                    .names
                    .get(&prefix.to_lowercase())
                    .map(|k| k.canonical.clone()),
                guessed: false,
            });
            index += 1;
            continue;
        }
        if shouting {
            // Headlines in capitals: only names the lexicons know.
            let first_name_here = lexicon.first_names.contains(&token.lower())
                && tokens
                    .get(index + 1)
                    .is_some_and(|t| t.is_word() && t.is_all_caps());
            if first_name_here && lexicon_match(tokens, index, lexicon, true).is_none() {
                out.push(mention(
                    text,
                    tokens,
                    index,
                    index + 2,
                    EntityKind::Person,
                    None,
                    None,
                ));
                index += 2;
                continue;
            }
            if let Some((end, known)) = lexicon_match(tokens, index, lexicon, true) {
                out.push(mention(
                    text,
                    tokens,
                    index,
                    end,
                    known.kind,
                    None,
                    Some(known.canonical.clone()),
                ));
                index = end;
            } else {
                index += 1;
            }
            continue;
        }
        if !is_name_word(token) {
            index += 1;
            continue;
        }
        let (name_start, end, kind, title, canonical) = match read_name(tokens, index, lexicon) {
            Some(found) => found,
            None => {
                index += 1;
                continue;
            }
        };
        let single_word = end == name_start + 1;
        let single_calendar_word =
            single_word && CALENDAR.contains(&tokens[name_start].lower().as_str());
        // "the Governor", "the Minister": a title alone names no one in particular.
        let lone_title = single_word && canonical.is_none() && {
            let word = tokens[name_start].lower();
            lexicon.titles.contains_key(&word) || lexicon.job_titles.contains(&word)
        };
        if name_start < end && !single_calendar_word && !lone_title {
            let guessed = canonical.is_none()
                && title.is_none()
                && ((single_word && kind == EntityKind::Person)
                    || (!single_word && kind == EntityKind::Organisation));
            let mut found = mention(
                text,
                tokens,
                name_start,
                end,
                kind,
                title.map(|(t, r)| (t, token_span(tokens, &r))),
                canonical,
            );
            found.guessed = guessed && !sure_reading(tokens, name_start, end, kind, lexicon);
            out.push(found);
        }
        index = end.max(index + 1);
    }
}

/// Whether a default kind was in fact read from a sign: a speech verb after a person's
/// name, an initial, a given name, a suffix.
fn sure_reading(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    kind: EntityKind,
    lexicon: &Lexicon,
) -> bool {
    let next = tokens.get(end).map(Token::lower).unwrap_or_default();
    let first = tokens[start].lower();
    let last = tokens[end - 1].lower();
    match kind {
        EntityKind::Person => {
            SPEECH_VERBS.contains(&next.as_str()) || lexicon.first_names.contains(&first)
        }
        EntityKind::Organisation => lexicon.org_suffixes.contains(last.trim_end_matches('.')),
        _ => true,
    }
}

fn token_span(tokens: &[Token<'_>], range: &Range<usize>) -> Range<usize> {
    tokens[range.start].span.start..tokens[range.end - 1].span.end
}

fn mention(
    text: &str,
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    kind: EntityKind,
    title: Option<(String, Range<usize>)>,
    canonical: Option<String>,
) -> Mention {
    let span = tokens[start].span.start..tokens[end - 1].span.end;
    Mention {
        text: text[span.clone()].to_string(),
        span,
        kind,
        title,
        canonical,
        guessed: false,
    }
}

/// (name start, name end, kind, title, canonical), in tokens.
type Found = (
    usize,
    usize,
    EntityKind,
    Option<(String, Range<usize>)>,
    Option<String>,
);

const CALENDAR: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads the name starting at a capitalised token: (end, kind, title, canonical).
fn read_name(tokens: &[Token<'_>], start: usize, lexicon: &Lexicon) -> Option<Found> {
    let sentence_initial = start == 0 || tokens[..start].iter().all(|t| !t.is_word());
    let mut begin = start;
    // Leading words that only start the sentence ("The", "Despite") are not names,
    // unless a lexicon name starts with them ("The Hague").
    while begin < tokens.len()
        && sentence_initial
        && lexicon.common_words.contains(&tokens[begin].lower())
        && lexicon_match(tokens, begin, lexicon, false).is_none()
        && begin == start
    {
        begin += 1;
    }
    if begin >= tokens.len() || !is_name_word(&tokens[begin]) {
        return None;
    }
    if lexicon.common_words.contains(&tokens[begin].lower()) && tokens[begin].lower() == "the" {
        begin += 1;
        if begin >= tokens.len() || !is_name_word(&tokens[begin]) {
            return None;
        }
    }
    // A title: "Attorney General Jeff Sessions", "Gen. Michael Flynn", "Russian
    // President Vladimir Putin".
    let mut title_start = begin;
    let mut cursor = begin;
    if lexicon.demonyms.contains_key(&tokens[cursor].lower())
        && title_at(tokens, cursor + 1, lexicon).is_some()
    {
        cursor += 1;
    }
    let mut title = None;
    // A lexicon name that starts here and is longer than any title wins over the
    // title ("Prince Edward Island" is a place, not Prince Edward).
    let lexicon_end = lexicon_match(tokens, cursor, lexicon, false).map(|(end, _)| end);
    let mut title_end =
        title_at(tokens, cursor, lexicon).filter(|end| lexicon_end.is_none_or(|l| l <= *end));
    // Titles in a row: "National Security Adviser Gen. Michael Flynn".
    while let Some(end) = title_end
        && let Some(next) = title_at(tokens, end, lexicon)
    {
        title_end = Some(next);
    }
    if let Some(title_end) = title_end
        && title_end < tokens.len()
        && is_name_word(&tokens[title_end])
        && !lexicon.common_words.contains(&tokens[title_end].lower())
    {
        let words: Vec<&str> = tokens[title_start..title_end]
            .iter()
            .filter(|t| t.is_word())
            .map(|t| t.text)
            .collect();
        title = Some((words.join(" "), title_start..title_end));
        cursor = title_end;
    } else {
        title_start = begin;
        cursor = title_start;
    }
    // A known name.
    let next_after = |end: usize| tokens.get(end).map(Token::lower).unwrap_or_default();
    let previous_word = cursor
        .checked_sub(1)
        .and_then(|i| tokens.get(i))
        .map(Token::lower)
        .unwrap_or_default();
    if let Some((end, known)) = lexicon_match(tokens, cursor, lexicon, false)
        && known.kind == EntityKind::Place
        && title.is_none()
        && (TEAM_CONTEXT.contains(&next_after(end).as_str())
            || TEAM_CONTEXT.contains(&previous_word.as_str()))
    {
        return Some((cursor, end, EntityKind::Organisation, None, None));
    }
    if let Some((end, known)) = lexicon_match(tokens, cursor, lexicon, false) {
        let end = extend_name(tokens, end);
        if end == lexicon_match(tokens, cursor, lexicon, false).map_or(end, |(e, _)| e) {
            return Some((
                cursor,
                end,
                if title.is_some() {
                    EntityKind::Person
                } else {
                    known.kind
                },
                title,
                Some(known.canonical.clone()),
            ));
        }
    }
    if lexicon.demonyms.contains_key(&tokens[cursor].lower()) && title.is_none() {
        // "Irish Medicines Safety Authority" is an organisation's name; otherwise, before
        // a lowercase noun or a name ("Australian Tom Moody"), the word is an adjective of
        // nationality and the name reads on by itself.
        let end = extend_name(tokens, cursor + 1);
        let last = tokens[end - 1].lower();
        if end > cursor + 1 && lexicon.org_suffixes.contains(last.trim_end_matches('.')) {
            return Some((cursor, end, EntityKind::Organisation, None, None));
        }
        return Some((cursor, cursor + 1, EntityKind::Other, None, None));
    }
    let end = extend_name(tokens, cursor + 1);
    let words: Vec<&Token<'_>> = tokens[cursor..end].iter().filter(|t| t.is_word()).collect();
    let last = words.last().map(|t| t.lower()).unwrap_or_default();
    let first = words.first().map(|t| t.lower()).unwrap_or_default();
    let next = tokens.get(end).map(Token::lower).unwrap_or_default();
    let previous = cursor
        .checked_sub(1)
        .and_then(|i| tokens.get(i))
        .map(Token::lower)
        .unwrap_or_default();
    let kind = if title.is_some() {
        EntityKind::Person
    } else if OTHER_SUFFIXES.contains(&last.as_str()) && words.len() >= 2 {
        EntityKind::Other
    } else if lexicon.org_suffixes.contains(last.trim_end_matches('.')) && words.len() >= 2 {
        EntityKind::Organisation
    } else if lexicon.place_suffixes.contains(&last) && words.len() >= 2 {
        EntityKind::Place
    } else if lexicon.first_names.contains(&first) && (2..=4).contains(&words.len()) {
        EntityKind::Person
    } else if words.len() >= 2
        && words[0].text.chars().count() == 1
        && tokens.get(cursor + 1).is_some_and(|t| t.text == ".")
    {
        // An initial and a surname: "P. Simmons".
        EntityKind::Person
    } else if TEAM_CONTEXT.contains(&next.as_str()) || TEAM_CONTEXT.contains(&previous.as_str()) {
        // "Leicestershire beat Somerset": a team, whatever the place it is named after.
        EntityKind::Organisation
    } else if words.len() == 1
        && words[0].is_all_caps()
        && words[0].text.chars().filter(|c| c.is_alphabetic()).count() <= 6
    {
        EntityKind::Organisation
    } else if SPEECH_VERBS.contains(&next.as_str()) && (2..=3).contains(&words.len()) {
        EntityKind::Person
    } else if PLACE_PREPOSITIONS.contains(&previous.as_str()) && words.len() <= 2 {
        EntityKind::Place
    } else if words.len() >= 2 {
        EntityKind::Organisation
    } else {
        EntityKind::Person
    };
    Some((cursor, end, kind, title, None))
}

/// Extends a name over further capitalised words, initials ("M."), and connectors
/// followed by capitalised words.
fn extend_name(tokens: &[Token<'_>], mut end: usize) -> usize {
    while let Some(token) = tokens.get(end) {
        if is_name_word(token) {
            end += 1;
        } else if token.text == "."
            && end >= 1
            && tokens[end - 1].text.chars().count() == 1
            && tokens.get(end + 1).is_some_and(is_name_word)
        {
            // An initial: "Helen M. Marchetti".
            end += 1;
        } else if CONNECTORS.contains(&token.lower().as_str())
            && tokens.get(end + 1).is_some_and(is_name_word)
        {
            end += 2;
        } else if token.lower() == "of"
            && tokens.get(end + 1).is_some_and(|t| t.lower() == "the")
            && tokens.get(end + 2).is_some_and(is_name_word)
        {
            end += 3;
        } else {
            break;
        }
    }
    end
}

/// Within a document: a single word that is the surname of a person named in full
/// elsewhere is that person; a name the document also uses with a title is a person.
fn refine_in_document(mentions: &mut [Mention], lexicon: &Lexicon) {
    let surnames: std::collections::HashSet<String> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Person && m.text.split_whitespace().count() >= 2)
        .filter_map(|m| m.text.split_whitespace().last().map(key))
        .collect();
    let titled: std::collections::HashSet<String> = mentions
        .iter()
        .filter(|m| m.title.is_some())
        .map(|m| key(&m.text))
        .collect();
    // The first word of a longer organisation or place name stands for it ("Corvane"
    // for "Corvane Therapeutics"), unless it is a person's surname too.
    let mut short_forms: std::collections::HashMap<String, EntityKind> =
        std::collections::HashMap::new();
    for mention in mentions.iter() {
        if matches!(mention.kind, EntityKind::Organisation | EntityKind::Place)
            && mention.text.split_whitespace().count() >= 2
            && let Some(first) = mention.text.split_whitespace().next()
            && first.chars().next().is_some_and(char::is_uppercase)
            && !lexicon.common_words.contains(&first.to_lowercase())
        {
            short_forms.entry(key(first)).or_insert(mention.kind);
        }
    }
    // A name read with certainty somewhere in the document ("in Norcia") settles the
    // guesses made elsewhere ("around Norcia").
    let mut sure: std::collections::HashMap<String, EntityKind> = std::collections::HashMap::new();
    for mention in mentions.iter() {
        if !mention.guessed {
            sure.entry(key(&mention.text)).or_insert(mention.kind);
        }
    }
    for mention in mentions.iter_mut() {
        if mention.guessed
            && let Some(kind) = sure.get(&key(&mention.text))
        {
            mention.kind = *kind;
            mention.guessed = false;
        }
    }
    for mention in mentions.iter_mut() {
        let name = key(&mention.text);
        if mention.canonical.is_some() && mention.kind != EntityKind::Other {
            continue;
        }
        if mention.text.split_whitespace().count() != 1 {
            continue;
        }
        if surnames.contains(&name) || titled.contains(&name) {
            mention.kind = EntityKind::Person;
        } else if let Some(kind) = short_forms.get(&name) {
            mention.kind = *kind;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences::sentences;

    fn found(text: &str) -> Vec<(String, EntityKind)> {
        RuleRecognizer
            .recognize(text, &sentences(text))
            .into_iter()
            .map(|m| (m.text, m.kind))
            .collect()
    }

    #[track_caller]
    fn has(text: &str, name: &str, kind: EntityKind) {
        let all = found(text);
        assert!(
            all.iter().any(|(n, k)| n == name && *k == kind),
            "{name} as {kind:?} not in {all:?}"
        );
    }

    #[test]
    fn people_organisations_places() {
        use EntityKind::*;
        let text = "Attorney General Dana Whitlock met Gen. Kai Roe at the Harbourview Hotel in Halifax on Monday. \
                    Whitlock later told the Halifax Port Authority that the Moscow-based firm had left. \
                    The United Nations and NATO were not consulted, a Canadian official said.";
        has(text, "Dana Whitlock", Person);
        has(text, "Kai Roe", Person);
        has(text, "Harbourview Hotel", Place);
        has(text, "Halifax", Place);
        has(text, "Whitlock", Person);
        has(text, "Halifax Port Authority", Organisation);
        has(text, "Moscow", Place);
        has(text, "United Nations", Organisation);
        has(text, "NATO", Organisation);
        has(text, "Canadian", Other);
        assert!(!found(text).iter().any(|(n, _)| n == "The" || n == "Monday"));
    }

    #[test]
    fn titles_are_kept_apart_from_names() {
        let text = "Russian President Vladimir Putin spoke.";
        let mentions = RuleRecognizer.recognize(text, &sentences(text));
        let putin = mentions
            .iter()
            .find(|m| m.text == "Vladimir Putin")
            .expect("Putin found");
        assert_eq!(putin.kind, EntityKind::Person);
        assert_eq!(
            putin.title.as_ref().map(|(t, _)| t.as_str()),
            Some("Russian President")
        );
    }
}
