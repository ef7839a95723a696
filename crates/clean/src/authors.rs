//! Author names as a clean list: bylines split into people, with prefixes ("By",
//! "Autor:"), roles ("Staff Writer"), link text ("Email the author"), comment-form
//! labels, dates and handles taken out, and the outlet's own name kept only when no
//! one else is named. Names keep the case they are written in, and a one-word user
//! name ("delta201") counts as a name.

use crate::dates::date_span;
use regex::Regex;
use std::sync::LazyLock;

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:(?:written|posted|reported|reporting|text|story|words|photos?|interview|analysis|published|post author|erstellt|veröffentlicht|geschrieben|verfasst|gespeichert|artikel|beitrag|ein beitrag)\s+)?(?:by|von|par|por|di|door|de|texte|text)\s*[:\-–]?\s+|(?:author|autor|autorin|auteur|autore|autores|redakteur|redakteurin|verfasser|verfasserin)\s*[:\-–]?\s+|(?:text|interview|fotos?|photos?|bilder?|words|reporting)\s*[:\-–]\s*)")
        .expect("valid regex")
});
static SEPARATORS: LazyLock<Regex> = LazyLock::new(|| {
    // Conjunctions separate names only between spaces: "e.V." is not "e".
    Regex::new(r"(?i)\s*(?:,|;|\||&|\n|·|•|/)\s*|\s+(?:and|und|et|y|e|en|with|mit|-|–|—)\s+")
        .expect("valid regex")
});
static NOT_A_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\b)(?:e-?mail|contact|follow|twitter|facebook|instagram|linkedin|view (?:all|more)|more (?:from|by|stories|articles)|all (?:posts|articles|stories)|posts? by|profile|author page|subscribe|updated|published|comments?|read more|min(?:ute)? read|share|print|staff|editors?|editorial|desk|newsroom|associated press|says|sagt|schreibt|writes|name\s*\*|erforderlich|required|alle (?:beiträge|artikel)|gesponserte?|sponsored|anzeige|theme|wordpress|powered|datum|veröffentlicht|publiziert|^über|^about|agencies|agency|wire|news service|correspondent|reporter|writer|contributor|columnist|photographer|senior|chief|bureau|http|www\.|\.com|@)(?:\b|$)|\.(?:com|net|org|info|io|co|tv|eu|de|at|ch|it|fr|es|nl|be|uk|ru|pl)$")
        .expect("valid regex")
});
static ROLE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),?\s+(?:is\s+(?:a|an|the)\s+.*|(?:senior|chief|staff|political|foreign|special|contributing|managing|deputy|associate|national|investigative|health|science|business|sports|white house|washington|europe|asia)?\s*(?:staff\s+)?(?:writer|reporter|correspondent|editor|columnist|contributor|photographer|journalist|producer|analyst|bureau chief)s?(?:\s+(?:at|for|in)\s+.*)?)$")
        .expect("valid regex")
});
static AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:AP|AFP|Reuters|dpa|DPA|EFE|ANSA|UPI|PA|PA Media|Bloomberg|KNA|APA|SDA|Keystone|Xinhua|TASS|Interfax|Kyodo|Yonhap|CNN|BBC|NPR|IANS|PTI|ANI)$")
        .expect("valid regex")
});
static DIGITS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d").expect("valid regex"));

/// Splits and cleans author strings. `outlet` names the publisher, whose name is an
/// author only when no one else is named (a byline that credits the outlet itself).
/// Order is kept; duplicates (case-insensitive) are dropped.
pub fn clean_authors<'a>(
    raw: impl IntoIterator<Item = &'a str>,
    outlet: Option<&str>,
) -> Vec<String> {
    let outlet = outlet.map(|o| o.trim().to_lowercase());
    let is_outlet = |name: &str| {
        let name = name.to_lowercase();
        outlet.as_deref().is_some_and(|o| {
            o == name || o.trim_start_matches("the ") == name.trim_start_matches("the ")
        })
    };
    let mut authors: Vec<String> = Vec::new();
    // A link is never a byline, and its parts are no names.
    for text in raw.into_iter().filter(|text| !text.contains("://")) {
        let text = text.replace(['\u{a0}', '\t'], " ");
        let text = PREFIX.replace(without_dateline(text.trim()), "");
        for piece in SEPARATORS.split(&text) {
            let Some(name) = clean_name(piece) else {
                continue;
            };
            if !authors.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
                authors.push(name);
            }
        }
    }
    if authors.iter().any(|name| !is_outlet(name)) {
        authors.retain(|name| !is_outlet(name));
    }
    authors
}

fn clean_name(piece: &str) -> Option<String> {
    let piece = PREFIX.replace(piece.trim(), "");
    let piece = ROLE_SUFFIX.replace(&piece, "");
    // A handle next to the name ("Ana Ruiz @anaruiz") is a link, not part of it.
    let piece: String = match piece
        .split_whitespace()
        .filter(|w| !w.starts_with('@'))
        .collect::<Vec<_>>()
    {
        words if words.is_empty() => piece.to_string(),
        words => words.join(" "),
    };
    let mut name = piece
        .trim_matches(|c: char| c.is_whitespace() || NAME_EDGES.contains(&c))
        .to_string();
    // "Tom Vance Jr." and "Freunde des Hafens e.V." keep the period of their
    // abbreviation.
    let last_word = name.rsplit(' ').next().unwrap_or_default();
    if piece.trim_end().ends_with('.')
        && name.contains(' ')
        && (last_word.chars().count() <= 2 || last_word.contains('.'))
    {
        name.push('.');
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || name.chars().count() > 60 {
        return None;
    }
    if NOT_A_NAME.is_match(&name) || AGENCY.is_match(&name) {
        return None;
    }
    // Digits belong to dates and counts, except in a one-word user name ("delta201").
    let handle = words.len() == 1 && name.chars().next().is_some_and(char::is_alphabetic);
    if DIGITS.is_match(&name) && !handle {
        return None;
    }
    let lower = name.to_lowercase();
    // A name has a capitalised word; lowercase text is link text, unless it is one word
    // that reads as a user name.
    let capitalised = words
        .iter()
        .any(|w| w.chars().next().is_some_and(char::is_uppercase));
    let user_name = handle && name.chars().count() >= 3;
    if LINK_WORDS.contains(&lower.as_str()) || !(capitalised || user_name) {
        return None;
    }
    Some(words.join(" "))
}

/// Punctuation around a name that is not part of it.
const NAME_EDGES: &[char] = &[
    '.', ',', ':', '-', '–', '—', '(', ')', '"', '“', '”', '\'', '‘', '’', '«', '»', '„', '*', '|',
];

/// A byline without the date or time that follows the name: "Kai Roe am 21. April
/// 2020", "Posted by Kai Roe at 18:52" and "Kai Roe 18.10.2019 16:06" lose everything
/// from the date on.
fn without_dateline(text: &str) -> &str {
    let date = date_span(text).map(|span| span.start);
    let clock = CLOCK.find(text).map(|m| m.start());
    let Some(cut) = date.into_iter().chain(clock).min().filter(|&cut| cut > 0) else {
        return text;
    };
    let mut name = text[..cut].trim_end();
    // Then the words that led to the date ("am", "on", "|").
    while let Some((before, last)) = name.rsplit_once(char::is_whitespace) {
        let last = last.trim_end_matches([',', ':']).to_lowercase();
        if !(last.is_empty() || DATELINE_WORDS.contains(&last.as_str())) {
            break;
        }
        name = before.trim_end();
    }
    name.trim_end_matches(|c: char| c.is_whitespace() || NAME_EDGES.contains(&c))
}

static CLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{1,2}:\d{2}\b").expect("valid regex"));

/// Words that lead from a name to its date.
const DATELINE_WORDS: &[&str] = &[
    "am",
    "on",
    "le",
    "el",
    "il",
    "den",
    "vom",
    "at",
    "um",
    "updated",
    "published",
    "posted",
    "aktualisiert",
    "veröffentlicht",
    "publié",
    "mis",
    "à",
    "jour",
    "last",
    "zuletzt",
    "|",
    "-",
    "–",
    "·",
    "•",
];

/// Words that bylines and comment forms show beside a name, never names themselves.
const LINK_WORDS: &[&str] = &[
    "by",
    "von",
    "par",
    "por",
    "door",
    "admin",
    "administrator",
    "guest",
    "gast",
    "anonymous",
    "anonym",
    "autor",
    "author",
    "auteur",
    "more",
    "mehr",
    "plus",
    "home",
    "menu",
    "menü",
    "facebook",
    "twitter",
    "instagram",
    "xing",
    "linkedin",
    "whatsapp",
    "pinterest",
    "name",
    "quelle",
    "source",
    "fuente",
    "foto",
    "photo",
    "bild",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(raw: &[&str], outlet: Option<&str>, expect: &[&str]) {
        assert_eq!(clean_authors(raw.iter().copied(), outlet), expect);
    }

    #[test]
    fn splits_bylines() {
        check(
            &["By Anna Lind and Tomas Berg"],
            None,
            &["Anna Lind", "Tomas Berg"],
        );
        check(
            &["Anna Lind, Tomas Berg & Kai Roe"],
            None,
            &["Anna Lind", "Tomas Berg", "Kai Roe"],
        );
        check(
            &["Von Petra Schulz und Jan Berger"],
            None,
            &["Petra Schulz", "Jan Berger"],
        );
        check(&["BY MARIA OKAFOR"], None, &["MARIA OKAFOR"]);
    }

    #[test]
    fn drops_what_is_not_a_name() {
        check(
            &["Anna Lind", "Email the author", "Follow @annalind"],
            None,
            &["Anna Lind"],
        );
        check(&["Tomas Berg, Staff Writer"], None, &["Tomas Berg"]);
        check(
            &["Kai Roe is a senior reporter at the Ledger"],
            None,
            &["Kai Roe"],
        );
        check(&["July 22, 2017"], None, &[]);
        check(
            &["The Harbor Ledger", "Anna Lind"],
            Some("The Harbor Ledger"),
            &["Anna Lind"],
        );
        check(&["Associated Press"], None, &[]);
        check(&["Jane Doe/AP"], None, &["Jane Doe"]);
        check(&["https://example.invalid/authors/anna"], None, &[]);
        check(&["Anna Lind", "anna lind"], None, &["Anna Lind"]);
        check(&["By"], None, &[]);
        check(&["Name *", "Email *"], None, &[]);
        check(&["admin"], None, &[]);
        check(&["harborledger.example.de"], None, &[]);
        check(&["Kersti Vale says", "Kai Roe sagt"], None, &[]);
    }

    #[test]
    fn takes_the_date_off_a_byline() {
        check(&["Von Lena Marx am 3. Mai 2021"], None, &["Lena Marx"]);
        check(&["Posted by Kai Roe at 18:52"], None, &["Kai Roe"]);
        check(&["By Anna Lind March 25, 2015"], None, &["Anna Lind"]);
        check(
            &["von tidewatcher am 26/10/13, 03:48 pm"],
            None,
            &["tidewatcher"],
        );
        // A month with a day is not a name either.
        check(&["July 22, 2017"], None, &[]);
    }

    #[test]
    fn keeps_names_as_written() {
        check(
            &["tidewatcher", "delta201"],
            None,
            &["tidewatcher", "delta201"],
        );
        check(&["Tom Vance Jr."], None, &["Tom Vance Jr."]);
        check(
            &["Freunde des Hafens e.V."],
            None,
            &["Freunde des Hafens e.V."],
        );
        check(&["Autor: Lena Marx"], None, &["Lena Marx"]);
        check(&["Ana Ruiz @anaruiz"], None, &["Ana Ruiz"]);
    }

    #[test]
    fn credits_the_outlet_only_when_no_one_else_is_named() {
        check(
            &["The Harbor Ledger"],
            Some("The Harbor Ledger"),
            &["The Harbor Ledger"],
        );
        check(&["Redaktion"], None, &["Redaktion"]);
    }
}
