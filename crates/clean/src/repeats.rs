//! Text printed more than once in the same document.
//!
//! A block of two or more paragraphs that appears twice and speaks as the site does (a
//! fundraising appeal, a newsletter box rendered in two places) is site furniture:
//! every copy goes. Any other repeated text keeps its first copy: a caption under each
//! copy of a photo, a story printed twice by a responsive layout.

use crate::Body;
use crate::boilerplate::{classify_strong, normalise};
use chronicle_model::RemovalReason;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Paragraphs compared for repeats are capped so that a pathological document cannot
/// make the quadratic block search expensive.
const MAX_PARAGRAPHS: usize = 2000;

/// Later copies of one paragraph compared with it as the start of a repeated block, and
/// the longest block followed: a page printing one line thousands of times would
/// otherwise cost the cube of its length.
const MAX_COPIES: usize = 32;
const MAX_BLOCK: usize = 64;

/// Removes repeats. Scraped text loses every later copy of a repeated paragraph; the
/// output of an HTML extractor only an immediately repeated one (a caption printed
/// twice), because structured pages repeat short items legitimately (table cells,
/// code, refrains) and the extractor has already dropped repeated page furniture.
pub fn remove(body: &mut Body, adjacent_only: bool) {
    let keys: Vec<String> = body.paragraphs.iter().map(|p| normalise(p)).collect();
    let count = keys.len().min(MAX_PARAGRAPHS);
    let mut positions: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, key) in keys.iter().take(count).enumerate() {
        if !key.is_empty() {
            positions.entry(key.as_str()).or_default().push(index);
        }
    }
    let mut reasons: Vec<Option<RemovalReason>> = vec![None; keys.len()];
    // Whether each paragraph speaks as the site does, worked out when first needed.
    let mut voices: Vec<Option<bool>> = vec![None; count];
    let mut site_voice = |index: usize| {
        *voices[index].get_or_insert_with(|| {
            let paragraph = &body.paragraphs[index];
            classify_strong(paragraph).is_some() || SITE_VOICE.is_match(paragraph)
        })
    };
    for index in 0..count {
        if reasons[index].is_some() || keys[index].is_empty() {
            continue;
        }
        let Some(later) = positions.get(keys[index].as_str()) else {
            continue;
        };
        for &other in later
            .iter()
            .filter(|&&other| other > index)
            .take(MAX_COPIES)
        {
            let mut length = 0;
            while other + length < count
                && index + length < other
                && length < MAX_BLOCK
                && keys[index + length] == keys[other + length]
                && !keys[index + length].is_empty()
            {
                length += 1;
            }
            let words: usize = (0..length)
                .map(|offset| keys[index + offset].split(' ').count())
                .sum();
            let block = length >= 2 && words >= 15;
            if block && (0..length).any(|offset| site_voice(index + offset)) {
                for offset in 0..length {
                    reasons[index + offset] = Some(RemovalReason::RepeatedBlock);
                    reasons[other + offset] = Some(RemovalReason::RepeatedBlock);
                }
            } else if block && !adjacent_only {
                for offset in 0..length {
                    reasons[other + offset].get_or_insert(RemovalReason::RepeatedBlock);
                }
            } else if length == 1
                && reasons[other].is_none()
                && is_substantial(&keys[other])
                && (!adjacent_only || other == index + 1 && keys[other].split(' ').count() <= 40)
            {
                reasons[other] = Some(RemovalReason::RepeatedParagraph);
            }
        }
    }
    body.remove_where(|index, _| reasons[index]);
}

/// Words of a site asking for money or attention.
static SITE_VOICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(donat\w*|fundrais\w*|subscri\w*|newsletters?|support (us|our)|membership|paywall|pitch in|chip in|contribut\w+|advertis\w*|cookies?)\b")
        .expect("valid regex")
});

/// Short repeated lines (a closing brace in code, "N/A" in a table) are content, not
/// duplication.
fn is_substantial(key: &str) -> bool {
    key.split(' ').count() >= 4 && key.chars().count() >= 20
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str]) -> (Vec<String>, Vec<RemovalReason>) {
        let mut body = Body {
            paragraphs: lines.iter().map(|l| (*l).to_string()).collect(),
            removed: Vec::new(),
        };
        remove(&mut body, false);
        (
            body.paragraphs,
            body.removed.iter().map(|r| r.reason).collect(),
        )
    }

    #[test]
    fn a_repeated_block_goes_entirely() {
        let (kept, removed) = run(&[
            "Story one.",
            "WE NEED YOU.",
            "Please donate what you can this month.",
            "Thanks to every reader who already has.",
            "Story two.",
            "WE NEED YOU.",
            "Please donate what you can this month.",
            "Thanks to every reader who already has.",
            "Story three.",
        ]);
        assert_eq!(kept, ["Story one.", "Story two.", "Story three."]);
        assert_eq!(removed.len(), 6);
        assert!(removed.iter().all(|r| *r == RemovalReason::RepeatedBlock));
    }

    #[test]
    fn a_repeated_block_of_story_text_keeps_its_first_copy() {
        let block = [
            "The ferry left at noon with forty passengers aboard.",
            "It returned two hours later after the engine failed.",
        ];
        let (kept, _) = run(&[block[0], block[1], "Between.", block[0], block[1]]);
        assert_eq!(kept, [block[0], block[1], "Between."]);
    }

    #[test]
    fn a_repeated_paragraph_keeps_its_first_copy() {
        let (kept, removed) = run(&[
            "Mayor Kai Roe (file photo)",
            "Mayor Kai Roe (file photo)",
            "The mayor spoke.",
            "Other.",
        ]);
        assert_eq!(
            kept,
            ["Mayor Kai Roe (file photo)", "The mayor spoke.", "Other."]
        );
        assert_eq!(removed, [RemovalReason::RepeatedParagraph]);
    }

    #[test]
    fn three_copies() {
        let line = "The same line three times over.";
        let (kept, _) = run(&[line, "x", line, "y", line]);
        assert_eq!(kept, [line, "x", "y"]);
        let (kept, _) = run(&["}", "{", "}", "{"]);
        assert_eq!(kept.len(), 4);
    }
}
