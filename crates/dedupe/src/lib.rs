//! Have I seen this story before? Near-duplicate detection for syndicated and
//! cross-posted articles.
//!
//! An article's text becomes a set of word 5-gram shingles; a [`Signature`] of 128
//! MinHash values estimates the Jaccard similarity of two such sets; locality-sensitive
//! hashing splits the signature into 32 bands of 4 values, so that two texts sharing a
//! band are candidates and each new article is compared only with its candidates, never
//! with the whole corpus. Candidates are confirmed on the estimated containment of the
//! shorter text in the longer (a copy that drops its last paragraph and adds its own
//! site furniture is still a copy) together with a floor on Jaccard similarity.
//!
//! The title takes no part: a shared headline alone is not a copy.
//!
//! ```
//! use chronicle_dedupe::{Signature, similarity};
//! let wire = "The harbour commission voted on Tuesday to raise tolls by four per cent, the \
//!             first increase in a decade, citing the cost of dredging the main channel. \
//!             Shipping lines said the increase would be passed on to importers.";
//! let copy = format!("{wire} Subscribe to our newsletter.");
//! let a = Signature::of(wire);
//! let b = Signature::of(&copy);
//! assert!(similarity(&a, &b).is_copy());
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// MinHash values per signature.
pub const HASHES: usize = 128;
/// Bands of the LSH index.
pub const BANDS: usize = 32;
/// Values per band.
pub const ROWS: usize = HASHES / BANDS;
/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;

/// Thresholds of [`Similarity::is_copy`], chosen on the labelled copies of the sample
/// corpus and their edited variants (docs/quality.md).
pub const MIN_CONTAINMENT: f64 = 0.7;
pub const MIN_JACCARD: f64 = 0.35;

/// Fewest shingles a text needs before near-duplicate detection means anything.
pub const MIN_SHINGLES: usize = 8;

/// A MinHash signature and the size of the shingle set it summarises.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub values: Vec<u64>,
    pub shingles: u32,
}

fn mix(mut x: u64) -> u64 {
    // SplitMix64 finaliser: a fast, well-distributed 64-bit mixing function.
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn word_hash(word: &str) -> u64 {
    // FNV-1a: stable across builds, so stored signatures stay comparable.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in word.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The shingle hashes of a text: lowercased words of letters and digits, five at a time.
pub fn shingles(text: &str) -> BTreeSet<u64> {
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| word_hash(&w.to_lowercase()))
        .collect();
    if words.len() < SHINGLE_WORDS {
        return words
            .iter()
            .copied()
            .reduce(|a, b| mix(a ^ b.rotate_left(17)))
            .into_iter()
            .collect();
    }
    words
        .windows(SHINGLE_WORDS)
        .map(|window| {
            window
                .iter()
                .fold(0u64, |hash, word| mix(hash.rotate_left(21) ^ word))
        })
        .collect()
}

impl Signature {
    /// The signature of a text.
    pub fn of(text: &str) -> Self {
        Self::of_shingles(&shingles(text))
    }

    /// The signature of a shingle set.
    pub fn of_shingles(shingles: &BTreeSet<u64>) -> Self {
        let mut values = vec![u64::MAX; HASHES];
        for &shingle in shingles {
            for (index, value) in values.iter_mut().enumerate() {
                let hashed = mix(shingle ^ mix(index as u64 + 1));
                if hashed < *value {
                    *value = hashed;
                }
            }
        }
        Self {
            values,
            shingles: shingles.len() as u32,
        }
    }

    /// The LSH band keys of this signature, one per band (the band number is mixed in,
    /// so keys of different bands never collide by construction).
    pub fn bands(&self) -> Vec<u64> {
        self.values
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                rows.iter()
                    .fold(mix(band as u64 + 0x5eed), |hash, value| mix(hash ^ value))
            })
            .collect()
    }

    /// Whether the text is long enough for near-duplicate detection.
    pub fn is_usable(&self) -> bool {
        self.shingles as usize >= MIN_SHINGLES
    }

    /// The signature as bytes, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(4 + self.values.len() * 8);
        bytes.extend(self.shingles.to_le_bytes());
        for value in &self.values {
            bytes.extend(value.to_le_bytes());
        }
        bytes
    }

    /// A signature read back from [`Signature::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 4 + HASHES * 8 {
            return None;
        }
        let shingles = u32::from_le_bytes(bytes[..4].try_into().ok()?);
        let values = bytes[4..]
            .chunks_exact(8)
            .map(|chunk| chunk.try_into().map(u64::from_le_bytes))
            .collect::<Result<Vec<u64>, _>>()
            .ok()?;
        Some(Self { values, shingles })
    }
}

/// How similar two texts are, as estimated from their signatures.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Similarity {
    /// Estimated Jaccard similarity of the shingle sets.
    pub jaccard: f64,
    /// Estimated share of the smaller set found in the larger.
    pub containment: f64,
}

impl Similarity {
    /// Whether the two texts are copies of one another.
    pub fn is_copy(&self) -> bool {
        self.containment >= MIN_CONTAINMENT && self.jaccard >= MIN_JACCARD
    }
}

/// Estimates the similarity of two texts from their signatures.
pub fn similarity(a: &Signature, b: &Signature) -> Similarity {
    let equal = a
        .values
        .iter()
        .zip(&b.values)
        .filter(|(x, y)| x == y)
        .count();
    let jaccard = equal as f64 / HASHES as f64;
    // |A ∩ B| = J (|A| + |B|) / (1 + J)
    let (size_a, size_b) = (f64::from(a.shingles), f64::from(b.shingles));
    let intersection = jaccard * (size_a + size_b) / (1.0 + jaccard);
    let smaller = size_a.min(size_b).max(1.0);
    Similarity {
        jaccard,
        containment: (intersection / smaller).min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Mediated talks to end a three-week strike at the Port of Halifax collapsed on Monday, \
        and the labour minister said the government was prepared to consider legislation to force \
        dockworkers back to work. The breakdown came after 19 hours of negotiations at a downtown \
        hotel between the union and the terminal employers. The mediator said the parties were too \
        far apart for mediation to be productive at this time. Union leaders accused the employers \
        of walking away from a compromise on automation that had been within reach.";

    #[test]
    fn copies_with_edits_are_copies() {
        let original = Signature::of(STORY);
        // Re-wrapped, trimmed of its last sentence, with site furniture added.
        let trimmed = STORY
            .rsplit_once(". Union")
            .map(|(a, _)| a)
            .unwrap_or(STORY)
            .replace(", and", ",\nand");
        let copy = format!(
            "Skip to main content. {trimmed}. Sign up for our newsletter. Share this story."
        );
        let similarity = similarity(&original, &Signature::of(&copy));
        assert!(similarity.is_copy(), "{similarity:?}");
    }

    #[test]
    fn a_story_on_the_same_subject_is_not_a_copy() {
        let other = "The strike at the Port of Halifax entered its fourth week on Monday as truckers, \
            warehouse workers and fishers said they were losing money. The labour minister met \
            cabinet colleagues to discuss legislation, and shipping lines diverted more vessels to \
            Saint John and Montreal. Union leaders said members remained solid.";
        let similarity = similarity(&Signature::of(STORY), &Signature::of(other));
        assert!(!similarity.is_copy(), "{similarity:?}");
        assert!(similarity.jaccard < 0.1);
    }

    #[test]
    fn identical_texts_share_every_band_and_round_trip() {
        let a = Signature::of(STORY);
        let b = Signature::of(STORY);
        assert_eq!(a.bands(), b.bands());
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a.clone()));
        assert!(a.is_usable());
        assert!(!Signature::of("Too short to say.").is_usable());
    }
}

/// An LSH index over the signatures of the most recent documents, in memory.
///
/// Two documents sharing a band are candidates. The index holds at most `capacity`
/// documents and forgets the oldest first, so its size, and the cost of each insert
/// and lookup, stay flat however large the corpus grows: syndicated and cross-posted
/// copies appear close together in time, and exact copies are found by digest anyway.
#[derive(Clone, Debug, Default)]
pub struct LshIndex {
    capacity: usize,
    /// Documents in arrival order with their band keys.
    order: std::collections::VecDeque<(u64, Vec<u64>)>,
    /// Band key → one document with it (nearly every band is unique to one document).
    first: foldhash::HashMap<u64, u64>,
    /// Band key → further documents with it.
    more: foldhash::HashMap<u64, Vec<u64>>,
}

impl LshIndex {
    /// An empty index remembering at most `capacity` documents.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            ..Self::default()
        }
    }

    /// Documents held.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no document is held.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Adds a document, forgetting the oldest when full.
    pub fn insert(&mut self, doc: u64, signature: &Signature) {
        let bands = signature.bands();
        for band in &bands {
            match self.first.entry(*band) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(doc);
                }
                std::collections::hash_map::Entry::Occupied(_) => {
                    self.more.entry(*band).or_default().push(doc);
                }
            }
        }
        self.order.push_back((doc, bands));
        while self.order.len() > self.capacity {
            if let Some((old, bands)) = self.order.pop_front() {
                self.forget(old, &bands);
            }
        }
    }

    fn forget(&mut self, doc: u64, bands: &[u64]) {
        for band in bands {
            if self.first.get(band) == Some(&doc) {
                match self.more.get_mut(band) {
                    Some(others) if !others.is_empty() => {
                        let next = others.remove(0);
                        if others.is_empty() {
                            self.more.remove(band);
                        }
                        self.first.insert(*band, next);
                    }
                    _ => {
                        self.first.remove(band);
                    }
                }
            } else if let Some(others) = self.more.get_mut(band) {
                others.retain(|d| *d != doc);
                if others.is_empty() {
                    self.more.remove(band);
                }
            }
        }
    }

    /// The documents sharing at least one band with a signature, ascending; when more
    /// than [`MAX_CANDIDATES`] do, those sharing the most bands (then the newest). A copy
    /// shares most of its bands, so the cap keeps every real copy while bounding the
    /// checks an article costs when many documents share a stock passage.
    pub fn candidates(&self, signature: &Signature) -> Vec<u64> {
        let mut found: Vec<u64> = Vec::new();
        for band in signature.bands() {
            if let Some(doc) = self.first.get(&band) {
                found.push(*doc);
                if let Some(others) = self.more.get(&band) {
                    found.extend(others);
                }
            }
        }
        found.sort_unstable();
        let mut counted: Vec<(u64, usize)> = Vec::with_capacity(found.len());
        for doc in found {
            match counted.last_mut() {
                Some((last, hits)) if *last == doc => *hits += 1,
                _ => counted.push((doc, 1)),
            }
        }
        if counted.len() > MAX_CANDIDATES {
            counted.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
            counted.truncate(MAX_CANDIDATES);
            counted.sort_unstable();
        }
        counted.into_iter().map(|(doc, _)| doc).collect()
    }
}

/// Most candidates [`LshIndex::candidates`] returns.
pub const MAX_CANDIDATES: usize = 32;

#[cfg(test)]
mod index_tests {
    use super::*;

    const WIRE: &str = "The harbour commission voted on Tuesday to raise tolls by four per cent, \
        the first increase in a decade, citing the cost of dredging the main channel. Shipping \
        lines said the increase would be passed on to importers within the month.";

    #[test]
    fn copies_are_candidates_and_the_oldest_are_forgotten() {
        let mut index = LshIndex::new(2);
        let original = Signature::of(WIRE);
        index.insert(1, &original);
        let other = Signature::of(
            "Voters in Lindqvist re-elected mayor Tove Aaland with sixty-one per cent of the \
             vote on Sunday, the electoral office said after a count that ran past midnight.",
        );
        index.insert(2, &other);
        let copy = Signature::of(&format!("{WIRE} Subscribe to our newsletter."));
        assert_eq!(index.candidates(&copy), vec![1]);
        // A third document pushes the first out.
        index.insert(3, &copy);
        assert_eq!(index.len(), 2);
        assert_eq!(index.candidates(&original), vec![3]);
        assert!(index.candidates(&other).contains(&2));
    }

    #[test]
    fn forgetting_keeps_the_other_holders_of_a_band() {
        let mut index = LshIndex::new(2);
        let signature = Signature::of(WIRE);
        index.insert(1, &signature);
        index.insert(2, &signature);
        index.insert(3, &signature);
        assert_eq!(index.candidates(&signature), vec![2, 3]);
    }
}
