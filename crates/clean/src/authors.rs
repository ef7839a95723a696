//! Author names as a clean list: bylines split into people, with prefixes ("By"),
//! roles ("Staff Writer"), link text ("Email the author"), dates, handles and the
//! outlet's own name taken out.

use regex::Regex;
use std::sync::LazyLock;

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:written|posted|reported|reporting|text|story|words|photos?|interview|analysis)\s+)?(?:by|von|par|por|di|door|de|texte|text)\s*[:\-–]?\s+")
        .expect("valid regex")
});
static SEPARATORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bwith\b|\bmit\b|\n|·|•|/)\s*")
        .expect("valid regex")
});
static NOT_A_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\b)(?:e-?mail|contact|follow|twitter|facebook|instagram|linkedin|view (?:all|more)|more (?:from|by|stories|articles)|all (?:posts|articles|stories)|posts? by|profile|author page|subscribe|updated|published|comments?|read more|min(?:ute)? read|share|print|staff|editors?|editorial|desk|team|newsroom|redaktion|rédaction|associated press|agencies|agency|wire|news service|correspondent|reporter|writer|contributor|columnist|photographer|senior|chief|bureau|updated|http|www\.|\.com|@)(?:\b|$)")
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

/// Splits and cleans author strings. `outlet` names the publisher, whose name is never
/// an author. Order is kept; duplicates (case-insensitive) are dropped.
pub fn clean_authors<'a>(
    raw: impl IntoIterator<Item = &'a str>,
    outlet: Option<&str>,
) -> Vec<String> {
    let outlet = outlet.map(|o| o.trim().to_lowercase());
    let mut authors: Vec<String> = Vec::new();
    for text in raw {
        let text = text.replace(['\u{a0}', '\t'], " ");
        let text = PREFIX.replace(text.trim(), "");
        for piece in SEPARATORS.split(&text) {
            let Some(name) = clean_name(piece, outlet.as_deref()) else {
                continue;
            };
            if !authors.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
                authors.push(name);
            }
        }
    }
    authors
}

fn clean_name(piece: &str, outlet: Option<&str>) -> Option<String> {
    let piece = PREFIX.replace(piece.trim(), "");
    let piece = ROLE_SUFFIX.replace(&piece, "");
    let piece = piece
        .trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ',' | ':' | '-' | '–' | '—' | '(' | ')' | '"' | '“' | '”'
                )
        })
        .to_string();
    let words: Vec<&str> = piece.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || piece.chars().count() > 60 {
        return None;
    }
    if DIGITS.is_match(&piece) || NOT_A_NAME.is_match(&piece) || AGENCY.is_match(&piece) {
        return None;
    }
    let lower = piece.to_lowercase();
    if outlet.is_some_and(|o| {
        o == lower || o.trim_start_matches("the ") == lower.trim_start_matches("the ")
    }) {
        return None;
    }
    // A name has at least one capitalised word; a lone lowercase word is link text.
    if !words
        .iter()
        .any(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return None;
    }
    Some(fix_case(&words))
}

/// "JANE DOE" becomes "Jane Doe"; mixed case ("Jane McDoe") is kept as written.
fn fix_case(words: &[&str]) -> String {
    let all_caps = words.iter().all(|w| {
        !w.chars().any(char::is_lowercase) && w.chars().filter(|c| c.is_alphabetic()).count() > 1
    });
    if !all_caps {
        return words.join(" ");
    }
    words
        .iter()
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().collect::<String>() + &chars.as_str().to_lowercase()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

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
        check(&["BY MARIA OKAFOR"], None, &["Maria Okafor"]);
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
    }
}
