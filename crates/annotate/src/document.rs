//! Within one document: which mentions name the same entity ("Kislyak" after "Sergey
//! Kislyak", "the FBI" after "the Federal Bureau of Investigation (FBI)"), and the
//! roles the text gives each person (titles, appositions).

use crate::entities::{EntityKind, Mention};
use crate::lexicon::{Lexicon, key};
use crate::tokens::{Token, tokens_in};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// An entity of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalEntity {
    pub kind: EntityKind,
    /// The fullest name the document uses.
    pub name: String,
    /// Every distinct way the document writes it.
    pub aliases: Vec<String>,
    /// Indices into the document's mentions.
    pub mentions: Vec<usize>,
    pub roles: Vec<Role>,
}

/// A role the text gives an entity, with where it says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub text: String,
    pub span: Range<usize>,
}

/// Honorifics are titles but not roles.
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "messrs", "mme", "m",
];

/// Abbreviated ranks and honorifics that may follow an office in a chain of titles.
const RANKS: &[&str] = &[
    "gen", "sen", "rep", "gov", "dr", "mr", "mrs", "ms", "lt", "col", "maj", "capt", "adm", "sgt",
    "prof", "rev", "hon", "cmdr", "brig", "cpl", "pvt", "insp", "det", "supt",
];

/// Words that do not begin an apposition describing someone.
const APPOSITION_STARTS_NOT: &[&str] = &[
    "and", "or", "but", "who", "which", "that", "said", "says", "for", "where", "when", "as", "in",
    "on", "at", "with", "by", "from", "while", "after", "before", "if", "because",
];

/// Words that make a phrase a clause rather than a description of someone.
const CLAUSE_WORDS: &[&str] = &[
    "said", "says", "told", "came", "went", "was", "is", "are", "were", "has", "have", "had",
    "will", "would", "could", "should", "did", "does", "do", "can", "may", "might", "must",
    "recuse", "resigned", "met", "called", "spoke", "added",
];

/// Words that end a role phrase being read leftwards from a name.
const ROLE_STOPS: &[&str] = &[
    "the", "a", "an", "and", "or", "with", "by", "to", "for", "from", "said", "says", "told",
    "that", "when", "as", "while", "who", "which", "but", "met", "called", "named", "is", "was",
    "were", "are", "be", "been", "has", "had", "have", "on", "in", "at", "after", "before", "of",
    "his", "her", "their", "its", "our", "my", "your",
];

/// Groups mentions into entities and reads their roles.
pub fn entities(text: &str, mentions: &[Mention]) -> Vec<LocalEntity> {
    let lexicon = Lexicon::get();
    let mut entities: Vec<LocalEntity> = Vec::new();
    for (index, mention) in mentions.iter().enumerate() {
        let target = find_entity(&entities, mention);
        match target {
            Some(existing) => {
                let entity = &mut entities[existing];
                entity.mentions.push(index);
                if !entity.aliases.contains(&mention.text) {
                    entity.aliases.push(mention.text.clone());
                }
                // The fullest form becomes the name ("Sergey Ivanovich Kislyak" is
                // fuller than "Kislyak"; a lexicon's canonical form wins over both).
                if mention.canonical.is_none()
                    && word_count(&mention.text) > word_count(&entity.name)
                    && entity.kind == EntityKind::Person
                {
                    entity.name = mention.text.clone();
                }
            }
            None => entities.push(LocalEntity {
                kind: mention.kind,
                name: mention
                    .canonical
                    .clone()
                    .unwrap_or_else(|| mention.text.clone()),
                aliases: vec![mention.text.clone()],
                mentions: vec![index],
                roles: Vec::new(),
            }),
        }
    }
    merge_acronyms(&mut entities);
    // A place named in a dateline's capitals ("NORCIA") and in the text ("Norcia").
    for entity in &mut entities {
        if entity.kind == EntityKind::Place
            && !entity.name.chars().any(char::is_lowercase)
            && let Some(written) = entity
                .aliases
                .iter()
                .find(|a| a.chars().any(char::is_lowercase) && key(a) == key(&entity.name))
        {
            entity.name = written.clone();
        }
    }
    // Among the fullest forms of a person's name, the one the document uses most
    // ("Donald Trump" eleven times over a typo's "Donal Trump" once).
    for entity in &mut entities {
        if entity.kind != EntityKind::Person
            || entity
                .mentions
                .iter()
                .any(|&m| mentions[m].canonical.is_some())
        {
            continue;
        }
        let uses = |alias: &str| {
            entity
                .mentions
                .iter()
                .filter(|&&m| mentions[m].text == alias)
                .count()
        };
        if let Some(best) = entity
            .aliases
            .iter()
            .max_by_key(|a| (word_count(a), uses(a)))
        {
            entity.name = best.clone();
        }
    }
    // A person written in full with a middle name is named by first and last name
    // ("Sergey Ivanovich Kislyak" → "Sergey Kislyak") when the document also uses that.
    for entity in &mut entities {
        if entity.kind == EntityKind::Person {
            let words: Vec<&str> = entity.name.split_whitespace().collect();
            if words.len() >= 3 {
                let short = format!("{} {}", words[0], words[words.len() - 1]);
                if entity.aliases.contains(&short) {
                    entity.name = short;
                }
            }
        }
    }
    for entity in &mut entities {
        if entity.kind != EntityKind::Person {
            continue;
        }
        for &index in &entity.mentions {
            let mention = &mentions[index];
            for role in roles_of(text, mention, lexicon) {
                if !entity
                    .roles
                    .iter()
                    .any(|r| r.text.eq_ignore_ascii_case(&role.text))
                {
                    entity.roles.push(role);
                }
            }
        }
    }
    entities
}

/// The initials of a name, without its small words ("Irish Medicines Safety
/// Authority" → "IMSA"), and with them ("Bank of England" → "BOE").
fn initials(name: &str) -> [String; 2] {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first_letters = |keep_small: bool| {
        words
            .iter()
            .filter(|w| keep_small || w.chars().next().is_some_and(char::is_uppercase))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect::<String>()
    };
    [first_letters(false), first_letters(true)]
}

/// An acronym the document uses for a longer name it also uses ("IMSA" for the "Irish
/// Medicines Safety Authority") is that entity.
fn merge_acronyms(entities: &mut Vec<LocalEntity>) {
    let mut index = 0;
    while index < entities.len() {
        let acronym = &entities[index];
        let letters: String = acronym.name.chars().filter(|c| c.is_alphabetic()).collect();
        let is_acronym = acronym.kind != EntityKind::Person
            && !acronym.name.contains(' ')
            && (2..=8).contains(&letters.chars().count())
            && letters.chars().all(char::is_uppercase);
        let target = is_acronym
            .then(|| {
                entities.iter().position(|e| {
                    e.kind != EntityKind::Person
                        && word_count(&e.name) >= 2
                        && initials(&e.name).contains(&letters)
                })
            })
            .flatten();
        match target {
            Some(target) if target != index => {
                let merged = entities.remove(index);
                let target = if target > index { target - 1 } else { target };
                let entity = &mut entities[target];
                entity.mentions.extend(merged.mentions);
                entity.mentions.sort_unstable();
                for alias in merged.aliases {
                    if !entity.aliases.contains(&alias) {
                        entity.aliases.push(alias);
                    }
                }
            }
            _ => index += 1,
        }
    }
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The entity a mention belongs to, if the document has named it already.
fn find_entity(entities: &[LocalEntity], mention: &Mention) -> Option<usize> {
    let mention_key = mention
        .canonical
        .as_deref()
        .map_or_else(|| key(&mention.text), key);
    let words: Vec<String> = key(&mention.text).split(' ').map(str::to_string).collect();
    // Latest first: an ambiguous surname goes to the person named most recently.
    for (index, entity) in entities.iter().enumerate().rev() {
        let entity_key = key(&entity.name);
        if entity_key == mention_key || entity.aliases.iter().any(|a| key(a) == key(&mention.text))
        {
            if entity.kind == mention.kind
                || mention.kind == EntityKind::Other
                || entity.kind == EntityKind::Other
            {
                return Some(index);
            }
            continue;
        }
        // "Corvane" after "Corvane Therapeutics".
        if matches!(entity.kind, EntityKind::Organisation | EntityKind::Place)
            && words.len() == 1
            && entity.kind == mention.kind
            && entity_key.split(' ').count() >= 2
            && entity_key.split(' ').next() == words.first().map(String::as_str)
        {
            return Some(index);
        }
        if entity.kind != EntityKind::Person
            || !matches!(mention.kind, EntityKind::Person | EntityKind::Other)
        {
            continue;
        }
        let entity_words: Vec<&str> = entity_key.split(' ').collect();
        // "Kislyak" for "Sergey Kislyak".
        if words.len() == 1
            && entity_words.len() >= 2
            && entity_words.last().copied() == words.first().map(String::as_str)
        {
            return Some(index);
        }
        // "Sergey Ivanovich Kislyak" and "Sergey Kislyak": same first and last name.
        if words.len() >= 2
            && entity_words.len() >= 2
            && entity_words.first().copied() == words.first().map(String::as_str)
            && entity_words.last().copied() == words.last().map(String::as_str)
        {
            return Some(index);
        }
    }
    // "Donal Trump" for "Donald Trump", "Sergei Kislyak" for "Sergey Kislyak": a
    // spelling variant or typo of a full name the document used.
    if mention.kind == EntityKind::Person && mention.canonical.is_none() && words.len() >= 2 {
        let close: Vec<usize> = entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntityKind::Person)
            .filter(|(_, e)| {
                e.aliases
                    .iter()
                    .chain(std::iter::once(&e.name))
                    .any(|a| crate::names::same_person(a, &mention.text).is_some())
            })
            .map(|(index, _)| index)
            .collect();
        if let [only] = close[..] {
            return Some(only);
        }
    }
    // "Session" for "Jeff Sessions": a lone surname one letter off the surname of a
    // person the document named in full, when nothing matched exactly.
    if mention.kind == EntityKind::Person && mention.canonical.is_none() && words.len() == 1 {
        let word = &words[0];
        let close: Vec<usize> = entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntityKind::Person)
            .filter(|(_, e)| {
                let entity_key = key(&e.name);
                let entity_words: Vec<&str> = entity_key.split(' ').collect();
                entity_words.len() >= 2
                    && entity_words.last().is_some_and(|last| {
                        last.chars().count() >= 6 && crate::names::edit_distance(last, word) == 1
                    })
            })
            .map(|(index, _)| index)
            .collect();
        if let [only] = close[..] {
            return Some(only);
        }
    }
    None
}

/// Roles written around a person's mention: the title before it, an apposition after
/// it ("X, the union's chief negotiator,"), a role phrase before it ("Russia's
/// ambassador to the U.S., X"; "White House spokesman X").
fn roles_of(text: &str, mention: &Mention, lexicon: &Lexicon) -> Vec<Role> {
    let mut roles = Vec::new();
    if let Some((title, span)) = &mention.title {
        // "National Security Adviser Gen.": the office, without the rank or honorific
        // that follows it.
        let mut words: Vec<&str> = title.split_whitespace().collect();
        while words.len() > 1
            && words
                .last()
                .is_some_and(|w| RANKS.contains(&key(w).as_str()))
        {
            words.pop();
        }
        let office = words.join(" ");
        if !HONORIFICS.contains(&key(&office).as_str()) {
            roles.push(Role {
                text: office,
                span: span.clone(),
            });
        }
    }
    // After: ", the port authority's chief negotiator," up to the next comma or stop.
    let after_start = mention.span.end;
    let mut after_end = text[after_start..]
        .find(['\n'])
        .map_or(text.len(), |i| after_start + i)
        .min(after_start + 200);
    while !text.is_char_boundary(after_end) {
        after_end -= 1;
    }
    let after = &text[after_start..after_end];
    if let Some(rest) = after.strip_prefix(", ") {
        let end = rest
            .find([',', '.', ';', '(', ')', '“', '"', '—'])
            .unwrap_or(rest.len());
        // An apposition is closed by punctuation, not cut off by a quotation.
        let closed = rest[end..].starts_with([',', '.', ';', ')', '(']);
        let phrase = rest[..end].trim();
        let tokens = tokens_in(text, after_start + 2..after_start + 2 + end);
        let first_word = tokens.first().map(Token::lower).unwrap_or_default();
        let clause = tokens
            .iter()
            .any(|t| CLAUSE_WORDS.contains(&t.lower().as_str()))
            || APPOSITION_STARTS_NOT.contains(&first_word.as_str());
        // "…, former adviser Carter Page, …" is the next item of a list of people, and
        // "…, former National Security Adviser Gen." the start of one.
        let words: Vec<&Token<'_>> = tokens.iter().filter(|t| t.is_word()).collect();
        let ends_in_name = words.len() >= 2
            && words[words.len() - 2..].iter().all(|t| t.is_capitalised())
            && lexicon
                .first_names
                .contains(&words[words.len() - 2].lower());
        let ends_in_title = words
            .last()
            .is_some_and(|t| lexicon.titles.contains_key(&t.lower()))
            && !lexicon.job_titles.contains(&words[words.len() - 1].lower());
        let clause = clause || ends_in_name || ends_in_title;
        if closed && !clause && is_role_phrase(&tokens, lexicon) && word_count(phrase) <= 14 {
            let phrase = strip_article(phrase);
            let offset = rest.find(phrase).unwrap_or(0);
            roles.push(Role {
                text: phrase.to_string(),
                span: after_start + 2 + offset..after_start + 2 + offset + phrase.len(),
            });
        }
    }
    // Before: "White House spokesman Sean Spicer" or "Russia's ambassador to the U.S., X".
    let before_start = mention
        .title
        .as_ref()
        .map_or(mention.span.start, |(_, span)| span.start);
    let window_start = text[..before_start]
        .char_indices()
        .rev()
        .take(160)
        .last()
        .map_or(0, |(i, _)| i);
    let tokens = tokens_in(text, window_start..before_start);
    if let Some(role) = role_before(text, &tokens, lexicon) {
        roles.push(role);
    }
    roles
}

fn strip_article(phrase: &str) -> &str {
    for article in ["the ", "a ", "an ", "The ", "A ", "An "] {
        if let Some(rest) = phrase.strip_prefix(article) {
            return rest;
        }
    }
    phrase
}

/// A phrase names a role when it contains a job title, as a word or a two-word phrase.
fn is_role_phrase(tokens: &[Token<'_>], lexicon: &Lexicon) -> bool {
    let words: Vec<String> = tokens
        .iter()
        .filter(|t| t.is_word())
        .map(Token::lower)
        .collect();
    // Professions the list leaves out read by their endings: "pharmacologist",
    // "statistician", "photographer".
    let profession = |w: &String| {
        w.chars().count() >= 7
            && ["ologist", "ist", "ician", "ographer", "ologue"]
                .iter()
                .any(|ending| w.ends_with(ending))
    };
    words
        .iter()
        .any(|w| lexicon.job_titles.contains(w) || profession(w))
        || words
            .windows(2)
            .any(|pair| lexicon.job_titles.contains(&pair.join(" ")))
}

/// The role phrase that ends right before a name: tokens read leftwards from a job
/// title ("spokesman") over modifiers ("White House", "deputy") until a stop word.
fn role_before(text: &str, tokens: &[Token<'_>], lexicon: &Lexicon) -> Option<Role> {
    let mut end = tokens.len();
    // "…ambassador to the U.S., X": skip the comma and read the whole phrase.
    let after_comma = tokens.last().is_some_and(|t| t.text == ",");
    if after_comma {
        end -= 1;
    }
    if end == 0 {
        return None;
    }
    let mut start = end;
    let mut has_title = false;
    while start > 0 {
        let token = &tokens[start - 1];
        let lower = token.lower();
        if token.text == "'s" || token.text == "’s" {
            start -= 1;
            continue;
        }
        if !token.is_word() && token.text != "-" {
            break;
        }
        if lexicon.job_titles.contains(&lower) {
            has_title = true;
        }
        let stop = ROLE_STOPS.contains(&lower.as_str());
        // Inside an apposition before a comma, prepositions belong to the role
        // ("ambassador to the United States").
        if stop
            && !(after_comma
                && matches!(lower.as_str(), "to" | "the" | "of" | "for" | "at" | "in")
                && !has_title)
        {
            break;
        }
        start -= 1;
        if end - start > 10 {
            return None;
        }
    }
    if !has_title || start == end {
        return None;
    }
    // The phrase must end on the role ("White House spokesman X") or, before a comma,
    // on the name of what the role is of ("ambassador to the United States, X").
    let last = &tokens[end - 1];
    let ends_well =
        lexicon.job_titles.contains(&last.lower()) || (after_comma && last.is_capitalised());
    if !ends_well {
        return None;
    }
    // An apposition before a comma must itself end on the title's phrase, not on an
    // unrelated clause ("When the mayor left, Kai Roe…").
    let span = tokens[start].span.start..tokens[end - 1].span.end;
    let phrase = text[span.clone()].trim();
    if phrase.split_whitespace().count() > 10 {
        return None;
    }
    Some(Role {
        text: phrase.to_string(),
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::{Recognizer, RuleRecognizer};
    use crate::sentences::sentences;

    fn document(text: &str) -> Vec<LocalEntity> {
        let mentions = RuleRecognizer.recognize(text, &sentences(text));
        entities(text, &mentions)
    }

    fn person<'a>(entities: &'a [LocalEntity], name: &str) -> &'a LocalEntity {
        entities
            .iter()
            .find(|e| e.name == name && e.kind == EntityKind::Person)
            .unwrap_or_else(|| {
                panic!(
                    "{name} not among {:#?}",
                    entities
                        .iter()
                        .map(|e| (&e.name, e.kind))
                        .collect::<Vec<_>>()
                )
            })
    }

    #[test]
    fn surnames_and_middle_names_join_the_full_name() {
        let text = "Dana Whitlock, the port authority's chief negotiator, met the union. \
                    Whitlock said talks would resume. Dana M. Whitlock has led the talks since May.";
        let found = document(text);
        // The middle initial is dropped from the name when the text also uses the short form.
        let dana = person(&found, "Dana Whitlock");
        assert_eq!(dana.mentions.len(), 3, "{dana:#?}");
        assert!(
            dana.roles
                .iter()
                .any(|r| r.text == "port authority's chief negotiator"),
            "{:?}",
            dana.roles
        );
    }

    #[test]
    fn two_people_with_one_surname_stay_apart() {
        let text = "Martin Keogh, the company's chief executive, apologised. Aoife Keogh, a patient advocate, \
                    was not satisfied. Keogh said patients deserved answers.";
        let found = document(text);
        let martin = person(&found, "Martin Keogh");
        let aoife = person(&found, "Aoife Keogh");
        assert_eq!(martin.mentions.len(), 1);
        // The bare surname goes to the one named most recently.
        assert_eq!(aoife.mentions.len(), 2);
        assert!(
            martin
                .roles
                .iter()
                .any(|r| r.text == "company's chief executive")
        );
        assert!(aoife.roles.iter().any(|r| r.text == "patient advocate"));
    }

    #[test]
    fn roles_before_names() {
        let text = "White House spokesman Kai Berg said so. Norway's ambassador to the United States, Ola Lind, agreed. \
                    Attorney General Dana Roe declined.";
        let found = document(text);
        assert!(
            person(&found, "Kai Berg")
                .roles
                .iter()
                .any(|r| r.text == "White House spokesman"),
            "{:?}",
            person(&found, "Kai Berg").roles
        );
        assert!(
            person(&found, "Ola Lind")
                .roles
                .iter()
                .any(|r| r.text == "Norway's ambassador to the United States"),
            "{:?}",
            person(&found, "Ola Lind").roles
        );
        assert!(
            person(&found, "Dana Roe")
                .roles
                .iter()
                .any(|r| r.text == "Attorney General"),
            "{:?}",
            person(&found, "Dana Roe").roles
        );
    }
}
