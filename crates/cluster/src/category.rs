//! The fixed taxonomy of event categories (after the sections of Wikipedia's
//! current-events portal), and a keyword classifier over an event's headlines and leads.

use serde::{Deserialize, Serialize};

/// The category stored for an event that fits none of the ten.
pub const OTHER: &str = "other";

/// What kind of happening an event is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    ArmedConflictsAndAttacks,
    ArtsAndCulture,
    BusinessAndEconomy,
    DisastersAndAccidents,
    HealthAndEnvironment,
    InternationalRelations,
    LawAndCrime,
    PoliticsAndElections,
    ScienceAndTechnology,
    Sports,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::ArmedConflictsAndAttacks,
        Category::ArtsAndCulture,
        Category::BusinessAndEconomy,
        Category::DisastersAndAccidents,
        Category::HealthAndEnvironment,
        Category::InternationalRelations,
        Category::LawAndCrime,
        Category::PoliticsAndElections,
        Category::ScienceAndTechnology,
        Category::Sports,
    ];

    /// The name shown to readers ("law and crime").
    pub fn name(self) -> &'static str {
        match self {
            Category::ArmedConflictsAndAttacks => "armed conflicts and attacks",
            Category::ArtsAndCulture => "arts and culture",
            Category::BusinessAndEconomy => "business and economy",
            Category::DisastersAndAccidents => "disasters and accidents",
            Category::HealthAndEnvironment => "health and environment",
            Category::InternationalRelations => "international relations",
            Category::LawAndCrime => "law and crime",
            Category::PoliticsAndElections => "politics and elections",
            Category::ScienceAndTechnology => "science and technology",
            Category::Sports => "sports",
        }
    }

    /// The category a name (or its snake_case key) stands for.
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = text.trim().to_lowercase().replace(['_', '-'], " ");
        Self::ALL.into_iter().find(|c| c.name() == wanted)
    }

    /// The name stored for a category given by name, hyphenated or snake_case, or
    /// [`OTHER`] for events that fit none.
    pub fn stored_name(text: &str) -> Option<&'static str> {
        match Self::parse(text) {
            Some(category) => Some(category.name()),
            None => (text.trim().eq_ignore_ascii_case(OTHER)).then_some(OTHER),
        }
    }

    /// Word stems that speak for this category (matched at the start of a word).
    fn stems(self) -> &'static [&'static str] {
        match self {
            Category::ArmedConflictsAndAttacks => &[
                "airstrike",
                "armed",
                "army",
                "attack",
                "battle",
                "bomb",
                "ceasefire",
                "combat",
                "insurg",
                "militan",
                "militar",
                "missile",
                "rebel",
                "shelling",
                "soldier",
                "terror",
                "troops",
                "war",
            ],
            Category::ArtsAndCulture => &[
                "actor",
                "actress",
                "album",
                "artist",
                "award",
                "band",
                "celebrit",
                "concert",
                "festival",
                "film",
                "hollywood",
                "movie",
                "museum",
                "music",
                "novel",
                "oscar",
                "rehab",
                "singer",
                "theatre",
                "theater",
                "television",
            ],
            Category::BusinessAndEconomy => &[
                "bank",
                "business",
                "compan",
                "economy",
                "economic",
                "employ",
                "industr",
                "inflation",
                "invest",
                "market",
                "merger",
                "price",
                "profit",
                "revenue",
                "shareholder",
                "stock",
                "tariff",
                "trade",
                "wage",
            ],
            Category::DisastersAndAccidents => &[
                "accident",
                "avalanche",
                "blaze",
                "collaps",
                "crash",
                "derail",
                "disaster",
                "drown",
                "earthquake",
                "evacuat",
                "fire",
                "flood",
                "hurricane",
                "landslide",
                "quake",
                "rescue",
                "storm",
                "tornado",
                "tsunami",
                "wildfire",
            ],
            Category::HealthAndEnvironment => &[
                "climate",
                "disease",
                "doctor",
                "emission",
                "endangered",
                "environment",
                "epidemic",
                "health",
                "hospital",
                "infect",
                "outbreak",
                "pollut",
                "species",
                "surgeon",
                "vaccin",
                "virus",
                "wildlife",
            ],
            Category::InternationalRelations => &[
                "ambassador",
                "bilateral",
                "diplomat",
                "embassy",
                "envoy",
                "foreign",
                "kremlin",
                "nato",
                "sanction",
                "summit",
                "treaty",
                "united nations",
            ],
            Category::LawAndCrime => &[
                "arrest",
                "charged",
                "convict",
                "court",
                "crime",
                "criminal",
                "detective",
                "fbi",
                "fraud",
                "guilty",
                "heist",
                "investigat",
                "judge",
                "jury",
                "lawsuit",
                "murder",
                "police",
                "prison",
                "prosecut",
                "recus",
                "robber",
                "sentenc",
                "shooting",
                "stab",
                "suspect",
                "trial",
            ],
            Category::PoliticsAndElections => &[
                "ballot",
                "campaign",
                "candidate",
                "congress",
                "election",
                "governor",
                "lawmaker",
                "legislat",
                "minister",
                "parliament",
                "party",
                "polling",
                "polls",
                "president",
                "senat",
                "vote",
                "voter",
                "white house",
            ],
            Category::ScienceAndTechnology => &[
                "astronom",
                "browser",
                "comput",
                "cyber",
                "internet",
                "launch",
                "microsoft",
                "nasa",
                "research",
                "satellite",
                "scien",
                "software",
                "space",
                "technolog",
            ],
            Category::Sports => &[
                "athlete",
                "baseball",
                "basketball",
                "champion",
                "coach",
                "cricket",
                "cup",
                "football",
                "game",
                "goal",
                "league",
                "match",
                "nba",
                "nfl",
                "olympic",
                "player",
                "playoff",
                "season",
                "soccer",
                "sport",
                "team",
                "tennis",
                "tournament",
            ],
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The category whose stems the text uses most (ties go to the first in [`Category::ALL`]
/// order); `None` when no stem matches.
pub fn classify(text: &str) -> Option<Category> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != ' ')
        .flat_map(|part| part.split(' '))
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<(usize, Category)> = None;
    for category in Category::ALL {
        let mut hits = 0;
        for stem in category.stems() {
            if stem.contains(' ') {
                hits += lower.matches(stem).count();
            } else {
                hits += words.iter().filter(|w| w.starts_with(stem)).count();
            }
        }
        if hits > 0 && best.is_none_or(|(b, _)| hits > b) {
            best = Some((hits, category));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_choose_the_category() {
        assert_eq!(
            classify("Police arrest a suspect after the jewellery heist; he is charged in court."),
            Some(Category::LawAndCrime)
        );
        assert_eq!(
            classify(
                "The ambassador met the foreign minister before sanctions were announced by the embassy."
            ),
            Some(Category::InternationalRelations)
        );
        assert_eq!(
            classify("A magnitude 6 earthquake struck; rescue teams searched collapsed homes."),
            Some(Category::DisastersAndAccidents)
        );
        assert_eq!(classify("Nothing to see."), None);
    }

    #[test]
    fn names_round_trip() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.name()), Some(category));
        }
        assert_eq!(
            Category::parse("law_and_crime"),
            Some(Category::LawAndCrime)
        );
    }
}
