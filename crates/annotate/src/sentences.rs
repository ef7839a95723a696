//! Sentences of news prose, as byte ranges into the article text.
//!
//! A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets after it)
//! followed by space and something that can start a sentence — except after titles
//! ("Gen.", "Sen."), month abbreviations ("Jan. 20"), initials ("Helen M. Marchetti"),
//! dotted acronyms ("U.S."), and other abbreviations, unless what follows is a word that
//! usually starts a sentence ("... in the U.S. He said"). Paragraph breaks always end a
//! sentence.

use std::ops::Range;

/// Words that are abbreviations when followed by a period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "gen", "sen", "sens", "rep", "reps", "gov", "govs", "lt", "col",
    "maj", "capt", "cpt", "sgt", "adm", "prof", "rev", "st", "ste", "jr", "sr", "hon", "pres",
    "supt", "det", "insp", "cmdr", "brig", "gens", "cpl", "pvt", "amb", "atty", "mt", "ft", "fr",
    "msgr", "sec", "secy", "treas", "rt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
    "sun", "no", "nos", "vs", "v", "inc", "ltd", "co", "corp", "bros", "dept", "est", "approx",
    "fig", "vol", "ch", "pp", "ave", "blvd", "rd", "hwy", "ariz", "calif", "colo", "conn", "fla",
    "ga", "ill", "ind", "kan", "ky", "la", "mass", "md", "mich", "minn", "miss", "mo", "mont",
    "neb", "nev", "okla", "ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "e.g",
    "i.e", "cf", "al", "op", "ed", "ph.d", "u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m", "n.y",
    "l.a", "st",
];

/// Words that, capitalised after an abbreviation or acronym, show that a new sentence
/// has begun after all.
const SENTENCE_STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "but",
    "and",
    "in",
    "on",
    "at",
    "for",
    "as",
    "after",
    "before",
    "when",
    "while",
    "if",
    "there",
    "some",
    "many",
    "most",
    "no",
    "one",
    "two",
    "three",
    "officials",
    "police",
    "asked",
    "however",
    "meanwhile",
    "still",
    "yet",
    "so",
    "also",
    "then",
    "now",
    "last",
    "earlier",
    "later",
];

/// The sentences of a text as byte ranges, trimmed of surrounding whitespace.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut result = Vec::new();
    let mut offset = 0;
    for paragraph in text.split("\n\n") {
        split_paragraph(paragraph, offset, &mut result);
        offset += paragraph.len() + 2;
    }
    result
}

fn split_paragraph(paragraph: &str, base: usize, out: &mut Vec<Range<usize>>) {
    let bytes = paragraph.as_bytes();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if matches!(byte, b'.' | b'!' | b'?') {
            // Extend over repeated marks and closing quotes or brackets.
            let mut end = index + 1;
            while end < bytes.len() {
                let rest = &paragraph[end..];
                let next = rest.chars().next().unwrap_or(' ');
                if matches!(
                    next,
                    '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')' | ']' | '»'
                ) {
                    end += next.len_utf8();
                } else {
                    break;
                }
            }
            let after = &paragraph[end..];
            let followed_by_space = after.starts_with(char::is_whitespace);
            if followed_by_space && is_boundary(paragraph, index, byte, after.trim_start()) {
                push(paragraph, base, start, end, out);
                start = end;
            }
            index = end;
        } else {
            index += 1;
        }
    }
    push(paragraph, base, start, paragraph.len(), out);
}

fn push(paragraph: &str, base: usize, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let piece = &paragraph[start..end];
    let leading = piece.len() - piece.trim_start().len();
    let trailing = piece.len() - piece.trim_end().len();
    if piece.trim().is_empty() {
        return;
    }
    out.push(base + start + leading..base + end - trailing);
}

/// Whether the mark at `mark` (a byte offset into `paragraph`) ends a sentence, given
/// the text that follows it.
fn is_boundary(paragraph: &str, mark: usize, byte: u8, next: &str) -> bool {
    let Some(first) = next.chars().next() else {
        return false;
    };
    let starts_sentence = first.is_uppercase()
        || first.is_ascii_digit()
        || matches!(
            first,
            '"' | '“' | '‘' | '\'' | '(' | '[' | '—' | '–' | '-' | '¿' | '¡'
        );
    if !starts_sentence {
        return false;
    }
    if byte != b'.' {
        return true;
    }
    let word = word_before(paragraph, mark);
    let lower = word.to_lowercase();
    let next_word: String = next
        .trim_start_matches(['"', '“', '‘', '\'', '('])
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let starter_follows = SENTENCE_STARTERS.contains(&next_word.as_str());
    // An initial: one capital letter ("Helen M. Marchetti", "J. R. Smith").
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return starter_follows && next_word != "a";
    }
    // A dotted acronym ("U.S.", "D.C.") or a listed abbreviation.
    let dotted = lower.contains('.') && lower.chars().filter(|c| c.is_alphabetic()).count() <= 4;
    if dotted || ABBREVIATIONS.contains(&lower.as_str()) {
        return starter_follows && !is_title(&lower);
    }
    true
}

/// Titles always precede a name, never end a sentence.
fn is_title(word: &str) -> bool {
    matches!(
        word,
        "mr" | "mrs"
            | "ms"
            | "mx"
            | "dr"
            | "gen"
            | "sen"
            | "rep"
            | "gov"
            | "lt"
            | "col"
            | "maj"
            | "capt"
            | "sgt"
            | "adm"
            | "prof"
            | "rev"
            | "hon"
            | "pres"
            | "supt"
            | "det"
            | "insp"
            | "cmdr"
            | "brig"
            | "amb"
            | "atty"
            | "msgr"
            | "fr"
    )
}

/// The word (letters, digits and inner periods) that ends at byte `mark`.
fn word_before(paragraph: &str, mark: usize) -> &str {
    let before = &paragraph[..mark];
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &before[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expect: &[&str]) {
        let found: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, expect);
    }

    #[test]
    fn splits_ordinary_prose() {
        check(
            "The ferry left. It came back! Why? Nobody knows.",
            &["The ferry left.", "It came back!", "Why?", "Nobody knows."],
        );
    }

    #[test]
    fn keeps_titles_initials_months_and_acronyms() {
        check(
            "Gen. Dana Roe met Sen. Kai Berg on Jan. 20 in Washington, D.C., and Helen M. Marchetti joined them. The U.S. ambassador was there.",
            &[
                "Gen. Dana Roe met Sen. Kai Berg on Jan. 20 in Washington, D.C., and Helen M. Marchetti joined them.",
                "The U.S. ambassador was there.",
            ],
        );
        check(
            "It moved to the U.S. He followed in 2019.",
            &["It moved to the U.S.", "He followed in 2019."],
        );
        check(
            "Shares of Harbour Co. The firm said no.",
            &["Shares of Harbour Co.", "The firm said no."],
        );
        check(
            "The talks ended at 3 a.m. The union said.",
            &["The talks ended at 3 a.m.", "The union said."],
        );
    }

    #[test]
    fn quotes_close_sentences() {
        check(
            "“We will not back down.” The union's president said so. He added: “Never.”",
            &[
                "“We will not back down.”",
                "The union's president said so.",
                "He added: “Never.”",
            ],
        );
        check("“Is it over?” she asked.", &["“Is it over?” she asked."]);
    }

    #[test]
    fn paragraphs_end_sentences_and_offsets_are_exact() {
        let text = "First paragraph without a stop\n\nSecond one. Third one.";
        let ranges = sentences(text);
        assert_eq!(ranges.len(), 3);
        assert_eq!(&text[ranges[1].clone()], "Second one.");
        assert_eq!(ranges[2].start, text.find("Third").unwrap());
    }

    #[test]
    fn numbers_are_not_ends() {
        check(
            "Tolls rose 3.5 per cent. Ships paid $1.2 million.",
            &["Tolls rose 3.5 per cent.", "Ships paid $1.2 million."],
        );
    }
}
