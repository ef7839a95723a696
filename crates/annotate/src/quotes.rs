//! Direct quotes and who said them.
//!
//! Quoted text is found between straight, curly, doubled-apostrophe, single-curly or
//! guillemet marks; a quotation that runs over several paragraphs reopens its mark at
//! each one. A quotation interrupted by its attribution ("“…,” she said. “…”") is one
//! quote, and so is a quotation continued in the next paragraph without an attribution
//! of its own. Only quotes that stand as speech count: the quoted words begin a
//! sentence or follow a speech verb ("said, “…”"); a phrase quoted in the middle of a
//! sentence ("called it “absurd”") is reported speech or a scare quote, not a direct
//! quote. The speaker is the name, pronoun or description next to a speech verb (or
//! "according to") before or after the quotation.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::LazyLock;

/// A direct quote found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundQuote {
    /// From the start of the first quoted piece to the end of the last (byte range,
    /// inside the quotation marks).
    pub span: Range<usize>,
    /// The quoted pieces, without the attribution between them.
    pub pieces: Vec<Range<usize>>,
    /// The speaker as written ("Trump", "he", "a White House official"), with its span.
    pub speaker: Option<(String, Range<usize>)>,
    /// Words quoted inside a sentence of reported speech ("said the talks were “too
    /// far apart”"), rather than a quotation standing as speech of its own.
    pub partial: bool,
}

impl FoundQuote {
    /// The quoted words, pieces joined with a space.
    pub fn text(&self, text: &str) -> String {
        self.pieces
            .iter()
            .map(|piece| text[piece.clone()].trim())
            .collect::<Vec<_>>()
            .join(" ")
            // A comma that hands over to the attribution is not part of what was said.
            .trim_end_matches([',', ' '])
            .to_string()
    }
}

/// Verbs of saying, in every form news uses ("said", "says", "saying", "told"): the
/// irregular forms listed, the regular ones generated from their base.
static VERBS_PATTERN: LazyLock<String> = LazyLock::new(|| verbs_pattern(false));
/// The same without the forms that are also nouns, for deciding from the words just
/// before a quotation that it is speech.
static VERBS_STRICT: LazyLock<String> = LazyLock::new(|| verbs_pattern(true));

fn verbs_pattern(strict: bool) -> String {
    const IRREGULAR: &[&str] = &[
        "said",
        "says",
        "say",
        "saying",
        "told",
        "tells",
        "tell",
        "telling",
        "wrote",
        "writes",
        "write",
        "writing",
        "read",
        "reads",
        "sang",
        "sings",
        "sing",
        "singing",
        "spoke",
        "speaks",
        "speaking",
        "thought",
        "thinks",
        "thinking",
        "went on",
        "goes on",
        "going on",
        "cried",
        "cries",
        "crying",
        "replied",
        "replies",
        "replying",
        "testified",
        "testifies",
        "denied",
        "denies",
        "according to",
        "pointed out",
        "points out",
        "pointing out",
        "is quoted as saying",
        "was quoted as saying",
        "quoted as saying",
        "put it",
        "puts it",
    ];
    const REGULAR: &[&str] = &[
        "add",
        "ask",
        "explain",
        "tweet",
        "state",
        "note",
        "declare",
        "insist",
        "argue",
        "warn",
        "recall",
        "continue",
        "acknowledge",
        "admit",
        "announce",
        "claim",
        "suggest",
        "respond",
        "remark",
        "exclaim",
        "conclude",
        "joke",
        "shout",
        "yell",
        "post",
        "quip",
        "predict",
        "concede",
        "counter",
        "agree",
        "caution",
        "observe",
        "urge",
        "promise",
        "pledge",
        "vow",
        "boast",
        "complain",
        "lament",
        "repeat",
        "reiterate",
        "stress",
        "emphasize",
        "emphasise",
        "muse",
        "whisper",
        "describe",
        "text",
        "email",
        "confirm",
        "recount",
        "reflect",
        "wonder",
        "question",
        "demand",
        "report",
        "mock",
        "retaliate",
        "crack",
        "interject",
        "chant",
        "thunder",
        "fume",
        "snap",
        "scoff",
        "snipe",
        "marvel",
        "gripe",
        "grumble",
        "advise",
        "assert",
        "contend",
        "maintain",
        "charge",
        "allege",
        "opine",
        "offer",
        "retort",
        "scream",
        "holler",
        "plead",
        "beg",
        "brag",
        "crow",
        "proclaim",
        "remember",
        "reminisce",
        "speculate",
        "surmise",
        "theorize",
        "inquire",
        "query",
        "challenge",
        "answer",
        "concur",
        "disagree",
        "object",
        "protest",
        "mourn",
        "sigh",
        "groan",
        "laugh",
        "tease",
        "condemn",
        "blast",
        "fire back",
        "shoot back",
        "write back",
        "sum up",
        "summarize",
        "summarise",
        "chime in",
        "quote",
        "cite",
        "caution",
        "recommend",
        "acknowledge",
        "explain",
        "elaborate",
    ];
    let mut forms: Vec<String> = IRREGULAR.iter().map(|w| (*w).to_string()).collect();
    for base in REGULAR {
        let (verb, particle) = base.split_once(' ').map_or((*base, ""), |(v, p)| (v, p));
        let stem = verb.trim_end_matches('e');
        let double = ["snap", "beg", "brag", "chat", "quip", "shoot"].contains(&verb);
        let last = verb.chars().last().unwrap_or('x');
        let past = if verb.ends_with('e') {
            format!("{verb}d")
        } else if verb.ends_with('y')
            && !matches!(verb.chars().rev().nth(1), Some('a' | 'e' | 'o' | 'u'))
        {
            format!("{}ied", &verb[..verb.len() - 1])
        } else if double {
            format!("{verb}{last}ed")
        } else {
            format!("{verb}ed")
        };
        let third = if verb.ends_with('y')
            && !matches!(verb.chars().rev().nth(1), Some('a' | 'e' | 'o' | 'u'))
        {
            format!("{}ies", &verb[..verb.len() - 1])
        } else if verb.ends_with('s')
            || verb.ends_with("sh")
            || verb.ends_with("ch")
            || verb.ends_with('x')
        {
            format!("{verb}es")
        } else {
            format!("{verb}s")
        };
        let gerund = if double {
            format!("{verb}{last}ing")
        } else if verb.ends_with('e') && !verb.ends_with("ee") {
            format!("{stem}ing")
        } else {
            format!("{verb}ing")
        };
        // Bases that are also common nouns ("the challenges “…”") count only in their
        // unmistakably verbal forms.
        const NOUN_TOO: &[&str] = &[
            "challenge",
            "text",
            "post",
            "report",
            "answer",
            "offer",
            "object",
            "protest",
            "question",
            "counter",
            "state",
            "note",
            "quote",
            "cite",
            "charge",
            "demand",
            "crack",
            "snap",
            "blast",
            "email",
            "tease",
            "laugh",
            "sigh",
            "groan",
            "mourn",
            "chant",
            "thunder",
            "promise",
            "pledge",
            "vow",
            "boast",
            "remark",
            "claim",
            "tweet",
            "joke",
            "shout",
            "yell",
            "whisper",
            "comment",
            "plead",
            "reply",
            "query",
            "advise",
        ];
        let forms_of: Vec<String> = if strict && NOUN_TOO.contains(&verb) {
            vec![past, gerund]
        } else {
            vec![verb.to_string(), past, third, gerund]
        };
        for form in forms_of {
            forms.push(if particle.is_empty() {
                form
            } else {
                format!("{form} {particle}")
            });
        }
    }
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    format!(
        "(?:{})",
        forms
            .iter()
            .map(|f| f.replace(' ', r"\s+"))
            .collect::<Vec<_>>()
            .join("|")
    )
}

/// A speaker: a pronoun, a capitalised name (with titles and particles), or a short
/// description ("a White House official", "the union's president").
const NAME: &str = r"(?:(?:he|she|they|I|we|you|He|She|They|We)\b|(?:(?:the|a|an|The|A|An)\s+)?(?:[\p{Lu}][\p{L}'’.\-]*|of|the|and|de|van|von|al|bin)(?:\s+(?:[\p{Lu}][\p{L}'’.\-]*|of|the|and|de|van|von|al|bin|for)){0,6}|(?:the|a|an|one|another|The|A|An|One|Another)\s+(?:[\p{L}'’\-]+\s+){0,4}[\p{L}'’\-]+)";

static AFTER_NAME_VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*VERBS_PATTERN;
    Regex::new(&format!(
        r"^\s*[,.!?—–-]*\s*(?P<n>{NAME}|(?:[\p{{L}}'’\-]+\s+){{1,5}}\p{{Lu}}[\p{{L}}'’.\-]*(?:\s+\p{{Lu}}[\p{{L}}'’.\-]*){{0,3}})\s*(?:,[^,“”\x22]{{0,80}},\s*)?\s*{verbs}\b"
    ))
    .expect("valid regex")
});
static AFTER_VERB_NAME: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*VERBS_PATTERN;
    Regex::new(&format!(r"^\s*[,.!?—–-]*\s*{verbs}\s+(?P<n>{NAME})")).expect("valid regex")
});
static AFTER_ACCORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^\s*[,.]?\s*according to (?P<n>{NAME})")).expect("valid regex")
});
static AFTER_DASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*[―—–-]\s*(?P<n>{NAME})")).expect("valid regex"));
static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*VERBS_PATTERN;
    Regex::new(&format!(
        r"(?P<n>{NAME})\s*(?:,[^,“”\x22]{{0,80}},\s*)?,?\s+{verbs}\b[^.“”\x22]{{0,100}}?[,:]?\s*$"
    ))
    .expect("valid regex")
});
static BEFORE_ACCORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i:according to)\s+(?P<n>{NAME})\s*,?\s*$")).expect("valid regex")
});
static CUE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = &*VERBS_STRICT;
    Regex::new(&format!(
        r"(?:{verbs}|according to \S+(?: \S+)?)\s*[,:]?\s*$"
    ))
    .expect("valid regex")
});

/// Opening marks and the mark that closes each.
fn closing_mark(text: &str, at: usize) -> Option<(&'static str, usize)> {
    let rest = &text[at..];
    let before = text[..at].chars().next_back();
    let after_char = |length: usize| rest[length..].chars().next();
    if rest.starts_with("''") || rest.starts_with("``") {
        return Some(("''", 2));
    }
    if rest.starts_with('“') {
        return Some(("”", '“'.len_utf8()));
    }
    if rest.starts_with('«') {
        return Some(("»", '«'.len_utf8()));
    }
    if rest.starts_with('"') {
        // A straight quote opens only at the start of a word.
        let opens = before.is_none_or(|c| !c.is_alphanumeric())
            && after_char(1).is_some_and(|c| !c.is_whitespace());
        return opens.then_some(("\"", 1));
    }
    if rest.starts_with('‘') {
        let opens = before.is_none_or(|c| !c.is_alphanumeric())
            && after_char('‘'.len_utf8()).is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        return opens.then_some(("’", '‘'.len_utf8()));
    }
    None
}

/// The quoted pieces of a text (inside the marks), in order.
pub fn pieces(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut index = 0;
    while index < text.len() {
        if !text.is_char_boundary(index) {
            index += 1;
            continue;
        }
        let Some((close, open_length)) = closing_mark(text, index) else {
            index += text[index..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let start = index + open_length;
        let mut cursor = start;
        let mut found = None;
        while cursor < text.len() {
            let rest = &text[cursor..];
            if let Some(after) = rest.strip_prefix(close) {
                // A single curly quote closes only where an apostrophe could not be.
                let next = after.chars().next();
                if close != "’" || next.is_none_or(|c| !c.is_alphabetic()) {
                    found = Some(cursor);
                    break;
                }
            }
            if rest.starts_with("\n\n") {
                // A quotation continues when the next paragraph reopens its mark.
                let after = rest.trim_start_matches('\n');
                let skipped = rest.len() - after.len();
                let reopens = match close {
                    "”" => after.starts_with('“'),
                    "\"" => after.starts_with('"'),
                    "''" => after.starts_with("''"),
                    _ => false,
                };
                if reopens {
                    let mark_length = after.chars().next().map_or(1, char::len_utf8)
                        * if close == "''" { 2 } else { 1 };
                    cursor += skipped + mark_length;
                    continue;
                }
                break;
            }
            cursor += rest.chars().next().map_or(1, char::len_utf8);
        }
        match found {
            Some(end) if end > start => {
                out.push(start..end);
                index = end + close.len();
            }
            _ => index = start,
        }
    }
    out
}

/// The speaker of the quoted piece `range`, from the text after it, else before it.
fn speaker(text: &str, range: &Range<usize>) -> Option<(String, Range<usize>)> {
    speaker_after(text, range).or_else(|| speaker_before(text, range))
}

fn speaker_after(text: &str, range: &Range<usize>) -> Option<(String, Range<usize>)> {
    let after_start = range.end;
    let mut after_end = (after_start + 160).min(text.len());
    while !text.is_char_boundary(after_end) {
        after_end -= 1;
    }
    let after = &text[after_start..after_end];
    let after = after.split("\n\n").next().unwrap_or("");
    let skip = after.len() - after.trim_start_matches(['”', '"', '’', '\'', '»']).len();
    let after_text = &after[skip..];
    // A quotation that ends its sentence with a period is followed by a new sentence,
    // whose speaker is someone else's unless it continues in lowercase ("… he said").
    let closed = text[range.clone()].trim_end().ends_with('.');
    let continues_lowercase = after_text
        .trim_start_matches([',', ' '])
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    let patterns: &[&Regex] = if closed && !continues_lowercase {
        &[&AFTER_DASH]
    } else {
        &[
            &AFTER_NAME_VERB,
            &AFTER_VERB_NAME,
            &AFTER_ACCORDING,
            &AFTER_DASH,
        ]
    };
    for pattern in patterns {
        if let Some(name) = pattern.captures(after_text).and_then(|c| c.name("n")) {
            let start = after_start + skip + name.start();
            return Some((
                name.as_str().trim().to_string(),
                start..start + name.as_str().trim_end().len(),
            ));
        }
    }
    None
}

/// The speaker named before a quoted piece, in its paragraph.
fn speaker_before(text: &str, range: &Range<usize>) -> Option<(String, Range<usize>)> {
    let paragraph_start = text[..range.start].rfind("\n\n").map_or(0, |i| i + 2);
    let mut window_start = range.start.saturating_sub(240).max(paragraph_start);
    while !text.is_char_boundary(window_start) {
        window_start += 1;
    }
    let before =
        text[window_start..range.start].trim_end_matches(['“', '"', '‘', '\'', '«', '`', ' ']);
    // "… according to Newsmax. “…”": that attribution ends the sentence before.
    if !before.trim_end().ends_with('.')
        && let Some(name) = BEFORE_ACCORDING.captures(before).and_then(|c| c.name("n"))
    {
        let start = window_start + name.start();
        return Some((
            name.as_str().trim().to_string(),
            start..start + name.as_str().trim_end().len(),
        ));
    }
    // The leftmost match may start on a word that begins the sentence but names no one
    // ("Its leader, Beatrice Lowell, said …"): then look again after it.
    let lexicon = crate::lexicon::Lexicon::get();
    let mut offset = 0;
    for _ in 0..4 {
        let name = BEFORE
            .captures(&before[offset..])
            .and_then(|c| c.name("n"))?;
        let word = name
            .as_str()
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let single = name.as_str().split_whitespace().count() == 1;
        if single
            && lexicon.common_words.contains(&word)
            && !PRONOUN_SPEAKERS.contains(&word.as_str())
        {
            offset += name.end();
            continue;
        }
        let start = window_start + offset + name.start();
        return Some((
            name.as_str().trim().to_string(),
            start..start + name.as_str().trim_end().len(),
        ));
    }
    None
}

/// Pronouns that name a speaker.
const PRONOUN_SPEAKERS: &[&str] = &["he", "she", "they", "i", "we", "you"];

/// Whether the quotation at `start` stands as speech: it begins a sentence, or follows
/// a speech verb or a colon.
fn stands_as_speech(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(['“', '"', '‘', '\'', '«', '`']);
    let trimmed = before.trim_end_matches([' ', '\t']);
    let Some(last) = trimmed.chars().next_back() else {
        return true;
    };
    if last == '\n' || matches!(last, '.' | ':' | '?' | '!' | '—' | '–' | ';') {
        return true;
    }
    let mut window_start = trimmed.len().saturating_sub(60);
    while !trimmed.is_char_boundary(window_start) {
        window_start += 1;
    }
    if CUE_BEFORE.is_match(&trimmed[window_start..]) {
        return true;
    }
    // "As one employee told the Weekly, “…”": a clause of saying that ends in a comma.
    if last == ',' {
        static VERB: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(r"\b{}\b", &*VERBS_PATTERN)).expect("valid regex")
        });
        let sentence_start = trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, '.' | '!' | '?' | '\n' | '“' | '”' | '"'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let clause = &trimmed[sentence_start..];
        return clause.split_whitespace().count() <= 14 && VERB.is_match(clause);
    }
    false
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Whether text between two quoted pieces is only their attribution: one clause with a
/// verb of saying ("she said", "Kai Roe, the union's president, told reporters on
/// Monday").
fn is_attribution(gap: &str) -> bool {
    static VERB: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"\b{}\b", &*VERBS_PATTERN)).expect("valid regex"));
    !gap.is_empty()
        && gap.split_whitespace().count() <= 25
        && VERB.is_match(gap)
        && crate::sentences::sentences(gap.trim_end_matches(['.', ',', ':', ' '])).len() <= 1
}

/// The direct quotes of a text.
pub fn quotes(text: &str) -> Vec<FoundQuote> {
    let mut found: Vec<FoundQuote> = Vec::new();
    for piece in pieces(text) {
        let own_speaker = speaker(text, &piece);
        if let Some(previous) = found.last_mut().filter(|q| !q.partial) {
            let gap = &text[previous.span.end..piece.start];
            let gap_core = gap.trim_matches(|c: char| {
                matches!(c, '”' | '"' | '’' | '\'' | '“' | '‘' | '»' | ' ' | '\n')
            });
            let interrupted = gap.len() < 200
                && !gap.contains("\n\n")
                && is_attribution(gap_core)
                && stands_as_speech(text, piece.start)
                && own_speaker.as_ref().is_none_or(|(name, _)| {
                    previous.speaker.as_ref().is_some_and(|(p, _)| p == name)
                });
            let continued = gap.len() < 200
                && gap.matches("\n\n").count() <= 1
                && own_speaker.is_none()
                && previous.speaker.is_some()
                && stands_as_speech(text, piece.start);
            if interrupted || continued {
                previous.span.end = piece.end;
                previous.pieces.push(piece);
                continue;
            }
        }
        if !stands_as_speech(text, piece.start) {
            // A partial quote: a few quoted words inside a sentence whose speaker and
            // verb of saying come before them. Two words or fewer are a scare quote or
            // a title, not a quotation.
            let quoted = &text[piece.clone()];
            // A title of a work capitalises every word; reported speech does not.
            let title_case = quoted.split_whitespace().all(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
            });
            if word_count(quoted) >= 3
                && !title_case
                && let Some(speaker) = speaker_before(text, &piece)
            {
                found.push(FoundQuote {
                    span: piece.clone(),
                    pieces: vec![piece],
                    speaker: Some(speaker),
                    partial: true,
                });
            }
            continue;
        }
        let words = word_count(&text[piece.clone()]);
        let content = text[piece.clone()].trim();
        let after_colon = text[..piece.start]
            .trim_end_matches(['“', '"', '‘', '\'', ' '])
            .ends_with(':');
        let sentence_like = (words >= 8 || after_colon && words >= 4)
            && content
                .trim_start_matches('[')
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase())
            && content.ends_with(['.', '!', '?', ',', '…']);
        if own_speaker.is_none() && !sentence_like {
            continue;
        }
        found.push(FoundQuote {
            span: piece.clone(),
            pieces: vec![piece],
            speaker: own_speaker,
            partial: false,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Vec<(String, Option<String>)> {
        quotes(text)
            .into_iter()
            .map(|q| (q.text(text), q.speaker.map(|(s, _)| s)))
            .collect()
    }

    #[test]
    fn quotes_with_speakers_before_and_after() {
        let found = check(
            "“We did not choose this fight,” said Dana Roe, the union's president. \
             The mayor told reporters: \"The port will reopen on Monday.\" \
             Kai Berg, a shipping analyst, said the delay was \"costly\" for everyone.",
        );
        assert_eq!(
            found,
            [
                (
                    "We did not choose this fight".to_string(),
                    Some("Dana Roe".to_string())
                ),
                (
                    "The port will reopen on Monday.".to_string(),
                    Some("The mayor".to_string())
                ),
            ]
        );
    }

    #[test]
    fn an_interrupted_quote_is_one_quote() {
        let text = "“It was a long night,” she said. “But we have a deal.”";
        let found = quotes(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pieces.len(), 2);
        assert_eq!(
            found[0].text(text),
            "It was a long night, But we have a deal."
        );
        assert_eq!(found[0].speaker.as_ref().map(|s| s.0.as_str()), Some("she"));
    }

    #[test]
    fn a_quote_over_two_paragraphs_is_one_quote() {
        let text = "Roe spoke at the rally.\n\n“We will stay out as long as it takes. Every member agreed.\n\n\
                    “Nobody wanted this strike,” Roe said.";
        let found = quotes(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].text(text).starts_with("We will stay out"));
        assert!(found[0].text(text).ends_with("Nobody wanted this strike"));
        assert_eq!(found[0].speaker.as_ref().map(|s| s.0.as_str()), Some("Roe"));
    }

    #[test]
    fn partial_quotes_keep_their_speaker() {
        let text = "The mediator said the parties were “too far apart to agree” on Monday.";
        let found = quotes(text);
        assert_eq!(found.len(), 1);
        assert!(found[0].partial);
        assert_eq!(found[0].text(text), "too far apart to agree");
        assert_eq!(
            found[0].speaker.as_ref().map(|s| s.0.as_str()),
            Some("The mediator")
        );
    }

    #[test]
    fn scare_quotes_and_titles_are_not_quotes() {
        assert!(
            check("The agency was declared an “undesirable organization” last year.").is_empty()
        );
        assert!(check("In “News Never Pays,” the editor explains the finances.").is_empty());
        assert!(check("It's the company’s ‘best year’, and O’Brien's too.").is_empty());
    }

    #[test]
    fn according_to_and_dash_attributions() {
        let found = check(
            "\"There was no meeting with any foreign official,\" according to Hope Ray, a spokeswoman.",
        );
        assert_eq!(found[0].1.as_deref(), Some("Hope Ray"));
    }
}
