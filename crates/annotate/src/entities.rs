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

/// Nouns that make the name after "of" a place: "the town of Camerino".
const PLACE_NOUNS: &[&str] = &[
    "town",
    "city",
    "village",
    "hamlet",
    "region",
    "province",
    "county",
    "district",
    "suburb",
    "municipality",
    "island",
    "islands",
    "port",
    "capital",
    "commune",
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
        refine_in_document(text, &mut mentions, lexicon);
        mentions
    }
}

fn is_name_word(token: &Token<'_>) -> bool {
    token.is_word() && (token.is_capitalised() || token.is_all_caps()) && !is_contraction(token)
}

/// "Don't", "I'll", "We're": a capitalised word that is a contraction, not a name.
fn is_contraction(token: &Token<'_>) -> bool {
    let lower = token.lower().replace('’', "'");
    ["n't", "'ll", "'re", "'ve", "'m", "'d"]
        .iter()
        .any(|ending| lower.ends_with(ending))
}

/// "AmericaBlog", "WikiLeaks", "YouTube": an uppercase letter inside a word, past a
/// surname prefix ("McDonald", "DeSantis", "MacArthur" are names of people).
fn is_camel_case(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let inner = chars
        .iter()
        .enumerate()
        .skip(1)
        .find(|(i, c)| c.is_uppercase() && chars[i - 1].is_lowercase())
        .map(|(i, _)| i);
    let Some(at) = inner else {
        return false;
    };
    let prefix: String = chars[..at].iter().collect::<String>().to_lowercase();
    at >= 3 && !matches!(prefix.as_str(), "mac" | "van" | "von" | "della" | "fitz")
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
        // "Russian-backed", "Kremlin-linked": an adjective, not a name. A known place
        // or organisation before the hyphen is still mentioned ("Kremlin").
        if let Some((prefix, suffix)) = token.text.split_once('-')
            && prefix.chars().next().is_some_and(char::is_uppercase)
            && suffix.chars().next().is_some_and(char::is_lowercase)
        {
            if let Some(known) = lexicon.names.get(&prefix.to_lowercase()) {
                out.push(Mention {
                    span: token.span.start..token.span.start + prefix.len(),
                    text: prefix.to_string(),
                    kind: known.kind,
                    title: None,
                    canonical: Some(known.canonical.clone()),
                    guessed: false,
                });
            }
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
        // "I" and other lone letters are not names.
        let lone_letter =
            single_word && canonical.is_none() && tokens[name_start].text.chars().count() == 1;
        if name_start < end && !single_calendar_word && !lone_title && !lone_letter {
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
        // A given name alone ("Clark", "Jordan") may be a surname or a place.
        EntityKind::Person => {
            SPEECH_VERBS.contains(&next.as_str())
                || (lexicon.first_names.contains(&first) && end - start >= 2)
        }
        // "Derwent Institute of Public Policy": a word of organisations anywhere.
        EntityKind::Organisation => {
            lexicon.org_suffixes.contains(last.trim_end_matches('.'))
                || tokens[start..end]
                    .iter()
                    .skip(1)
                    .any(|t| lexicon.org_suffixes.contains(&t.lower()))
        }
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

/// Abbreviations written in capitals that name no one: "TV", "VIP", "CEO".
const COMMON_ACRONYMS: &[&str] = &[
    "tv", "vip", "vips", "ceo", "cfo", "coo", "cto", "ok", "am", "pm", "gmt", "utc", "dna", "id",
    "pdf", "faq", "html", "url", "gdp", "phd", "mba", "diy", "asap", "rsvp", "fyi", "ai", "it",
    "hr", "pr", "qr", "sms", "gps", "usb", "ufo", "lol", "aka", "etc", "vs", "bc", "ad", "ce",
    "bce", "tbd", "n/a", "covid", "hiv", "aids", "icu", "er",
];

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
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
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
    } else if let Some((end, known)) = lexicon_match(tokens, cursor, lexicon, false)
        && known.kind == EntityKind::Place
        && title_at(tokens, end, lexicon).is_some()
    {
        // "U.S. President Donald Trump": the place qualifies the title.
        cursor = end;
    }
    let mut title = None;
    // A lexicon name that starts here and is longer than any title wins over the
    // title ("Prince Edward Island" is a place, not Prince Edward).
    let lexicon_end = lexicon_match(tokens, cursor, lexicon, false).map(|(end, _)| end);
    let mut title_end =
        title_at(tokens, cursor, lexicon).filter(|end| lexicon_end.is_none_or(|l| l <= *end));
    // Titles in a row: "National Security Adviser Gen. Michael Flynn"; a title of a
    // place or body: "Ambassador to the United States Sergey Kislyak".
    loop {
        if let Some(end) = title_end
            && let Some(next) = title_at(tokens, end, lexicon)
        {
            title_end = Some(next);
        } else if let Some(end) = title_end
            && let Some(next) = title_complement(tokens, end, lexicon)
        {
            title_end = Some(next);
        } else {
            break;
        }
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
        let known_end = end;
        let end = extend_name(tokens, end);
        // "the United States Sergey Kislyak": a person's name right after a known name.
        let person_follows = end > known_end
            && tokens
                .get(known_end)
                .is_some_and(|t| lexicon.first_names.contains(&t.lower()));
        if end == known_end || person_follows {
            let end = known_end;
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
    let mut end = extend_name(tokens, cursor + 1);
    // "Longshore and Harbour Workers Union": "and" inside an organisation's name.
    if tokens.get(end).is_some_and(|t| t.lower() == "and")
        && tokens.get(end + 1).is_some_and(is_name_word)
    {
        let after = extend_name(tokens, end + 2);
        let last = tokens[after - 1].lower();
        if after - end >= 3 && lexicon.org_suffixes.contains(last.trim_end_matches('.')) {
            end = after;
        }
    }
    if title.is_none()
        && let Some(found) = titled_name_inside(tokens, cursor, end, lexicon)
    {
        return Some(found);
    }
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
    } else if words.len() == 1 && COMMON_ACRONYMS.contains(&first.as_str()) {
        return None;
    } else if words.iter().all(|w| w.is_all_caps())
        && tokens[..cursor].iter().all(|t| !t.is_word())
        && (matches!(next.as_str(), "—" | "–" | "(")
            || (next == ","
                && tokens
                    .iter()
                    .skip(end)
                    .take(10)
                    .any(|t| matches!(t.text, "—" | "–" | "-"))))
    {
        // A dateline: "NORCIA, Italy —", "SAINT JOHN, N.B. —".
        EntityKind::Place
    } else if words.len() == 1
        && words[0].is_all_caps()
        && words[0].text.chars().filter(|c| c.is_alphabetic()).count() <= 6
    {
        EntityKind::Organisation
    } else if previous == "of"
        && words.len() <= 3
        && cursor
            .checked_sub(2)
            .and_then(|i| tokens.get(i))
            .is_some_and(|t| PLACE_NOUNS.contains(&t.lower().as_str()))
    {
        EntityKind::Place
    } else if SPEECH_VERBS.contains(&next.as_str()) && (2..=3).contains(&words.len()) {
        EntityKind::Person
    } else if words.len() == 1 && is_camel_case(words[0].text) {
        EntityKind::Organisation
    } else if PLACE_PREPOSITIONS.contains(&previous.as_str())
        && words.len() <= 2
        && !(previous == "to"
            && cursor
                .checked_sub(2)
                .and_then(|i| tokens.get(i))
                .is_some_and(|t| t.lower() == "according"))
    {
        EntityKind::Place
    } else if words.len() >= 2 {
        EntityKind::Organisation
    } else {
        EntityKind::Person
    };
    Some((cursor, end, kind, title, None))
}

/// "to the United States", "of Defence": the place or body a title is of, when a name
/// follows it. Returns where the complement ends.
fn title_complement(tokens: &[Token<'_>], start: usize, lexicon: &Lexicon) -> Option<usize> {
    let preposition = tokens.get(start)?.lower();
    if !matches!(preposition.as_str(), "to" | "of" | "for" | "at") {
        return None;
    }
    let mut at = start + 1;
    if tokens.get(at).is_some_and(|t| t.lower() == "the") {
        at += 1;
    }
    let (end, _) = lexicon_match(tokens, at, lexicon, false)?;
    let next = tokens.get(end)?;
    (is_name_word(next) && lexicon.first_names.contains(&next.lower())).then_some(end)
}

/// "Director of National Security JD Gordon": a capitalised title phrase the title
/// lexicon does not know whole, ending in a person's name. The name starts at a given
/// name or at initials ("JD") and is the last two or three words.
fn titled_name_inside(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    lexicon: &Lexicon,
) -> Option<Found> {
    let is_title_word = |i: usize| {
        let word = tokens[i].lower();
        lexicon.titles.contains_key(&word) || lexicon.job_titles.contains(&word)
    };
    // The phrase starts with a title word ("Director of ..."), or one stands right
    // before the name ("Electoral Commissioner Margaret Quayle").
    let name_start = (start + 1..end).find(|&i| {
        let word = &tokens[i];
        let given = lexicon.first_names.contains(&word.lower())
            || (word.is_all_caps() && word.text.chars().count() == 2);
        given
            && (2..=3).contains(&(end - i))
            && tokens[i..end].iter().all(is_name_word)
            && (is_title_word(start) || is_title_word(i - 1))
    })?;
    let words: Vec<&str> = tokens[start..name_start]
        .iter()
        .filter(|t| t.is_word())
        .map(|t| t.text)
        .collect();
    Some((
        name_start,
        end,
        EntityKind::Person,
        Some((words.join(" "), start..name_start)),
        None,
    ))
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
        } else if matches!(token.text, "'" | "’")
            && end >= 1
            && tokens[end - 1].span.end == token.span.start
            && tokens[end - 1].text.ends_with('s')
            && tokens.get(end + 1).is_some_and(is_name_word)
        {
            // A plural possessive inside a name: "Atlantic Shippers' Council".
            end += 2;
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
fn refine_in_document(text: &str, mentions: &mut [Mention], lexicon: &Lexicon) {
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
    // "between Trump and Putin": a lone unknown word joined by "and" to a person (one
    // read with certainty, or a surname of someone named in full) is a person too.
    for index in 0..mentions.len() {
        let mention = &mentions[index];
        if mention.canonical.is_some()
            || (mention.kind == EntityKind::Person && !mention.guessed)
            || mention.text.split_whitespace().count() != 1
        {
            continue;
        }
        let joined_to_person = |other: &Mention, between: std::ops::Range<usize>| {
            other.kind == EntityKind::Person
                && (!other.guessed
                    || surnames.contains(&key(&other.text))
                    || titled.contains(&key(&other.text)))
                && text
                    .get(between)
                    .is_some_and(|b| matches!(b.trim(), "and" | "or" | "&"))
        };
        let before = index
            .checked_sub(1)
            .map(|i| &mentions[i])
            .is_some_and(|other| {
                other.span.end <= mention.span.start
                    && joined_to_person(other, other.span.end..mention.span.start)
            });
        let after = mentions.get(index + 1).is_some_and(|other| {
            mention.span.end <= other.span.start
                && joined_to_person(other, mention.span.end..other.span.start)
        });
        if before || after {
            mentions[index].kind = EntityKind::Person;
            mentions[index].guessed = false;
        }
    }
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
    // A sign of a person (a verb of saying, "and" with a person) outweighs a
    // preposition's hint of a place ("next to Putin").
    let people: std::collections::HashSet<String> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Person && !m.guessed)
        .map(|m| key(&m.text))
        .collect();
    for mention in mentions.iter_mut() {
        if mention.kind == EntityKind::Place
            && mention.canonical.is_none()
            && people.contains(&key(&mention.text))
        {
            mention.kind = EntityKind::Person;
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

    fn title_of(text: &str, name: &str) -> Option<String> {
        RuleRecognizer
            .recognize(text, &sentences(text))
            .into_iter()
            .find(|m| m.text == name && m.kind == EntityKind::Person)
            .unwrap_or_else(|| panic!("{name} not found as a person in {text:?}"))
            .title
            .map(|(t, _)| t)
    }

    #[test]
    fn titles_with_places_and_unknown_titles() {
        assert_eq!(
            title_of("U.S. President Marta Kells arrived.", "Marta Kells").as_deref(),
            Some("U.S. President")
        );
        assert_eq!(
            title_of(
                "The Ambassador to the United States Piotr Lasko left.",
                "Piotr Lasko"
            )
            .as_deref(),
            Some("Ambassador to the United States")
        );
        assert_eq!(
            title_of(
                "It hired Director of Field Safety JR Collum last year.",
                "JR Collum"
            )
            .as_deref(),
            Some("Director of Field Safety")
        );
    }

    #[test]
    fn words_that_are_not_names() {
        let all = found(
            "I think so. Don't worry. Dhaka-backed groups watched TV on Nov. 3. \
             She spoke to VIP guests.",
        );
        for word in ["I", "Don't", "Dhaka-backed", "TV", "Nov", "VIP"] {
            assert!(!all.iter().any(|(n, _)| n == word), "{word} in {all:?}");
        }
        has("Dhaka-backed groups marched.", "Dhaka", EntityKind::Place);
    }

    #[test]
    fn a_name_after_town_of_is_a_place() {
        has(
            "Students in the hill town of Velmaro have described the moment it struck.",
            "Velmaro",
            EntityKind::Place,
        );
        has(
            "It came weeks after a quake near the village of Ostrava Nuova, to the south.",
            "Ostrava Nuova",
            EntityKind::Place,
        );
    }

    #[test]
    fn signs_of_a_person_outweigh_a_preposition() {
        let text = "Talks between Chancellor Varga and Oduya failed. Aides sat next to Oduya.";
        let all = found(text);
        assert!(
            all.iter()
                .filter(|(n, _)| n == "Oduya")
                .all(|(_, k)| *k == EntityKind::Person),
            "{all:?}"
        );
        has(
            "The figures came from MarketPulse, according to GreyLedger.",
            "GreyLedger",
            EntityKind::Organisation,
        );
    }
}
