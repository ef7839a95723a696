//! The synthetic world: fictional countries, places, people, organisations and
//! outlets, all built from made-up name parts so that no real person or outlet appears.

use crate::Rng;
use crate::kinds::OrgKind;

const FIRST_NAMES: &[&str] = &[
    "Ada", "Alma", "Anselm", "Benedikt", "Bryn", "Cato", "Celia", "Dario", "Delphine", "Edda",
    "Elias", "Esme", "Falk", "Fenna", "Gideon", "Greta", "Hakon", "Hedda", "Ilse", "Ivo", "Jonas",
    "Juno", "Kasimir", "Keira", "Leander", "Liv", "Magnus", "Marit", "Nadia", "Nils", "Odile",
    "Oskar", "Petra", "Quentin", "Rhea", "Rune", "Sabine", "Silas", "Tamsin", "Teodor", "Ulla",
    "Vera", "Viggo", "Wanda", "Xenia", "Yara", "Yusuf", "Zora", "Amara", "Bastian", "Carys",
    "Darian", "Elin", "Florin", "Gwen", "Hugo", "Ines", "Jasper", "Kaja", "Lorcan", "Mira", "Noor",
    "Orla", "Pavel", "Rosa", "Soren", "Thea", "Ursel", "Valentin", "Wren",
];

const SURNAME_STARTS: &[&str] = &[
    "Ald", "Bram", "Carr", "Dun", "Eld", "Fen", "Gar", "Hollo", "Isk", "Jarl", "Kess", "Lan",
    "Mor", "Norr", "Ost", "Pell", "Quill", "Rav", "Sel", "Tam", "Ulv", "Vard", "Wyn", "Yor",
    "Brack", "Corm", "Dray", "Fross", "Grel", "Harn",
];

const SURNAME_ENDS: &[&str] = &[
    "wick", "ford", "ton", "mere", "by", "holt", "ridge", "ley", "stone", "dale", "hurst", "worth",
    "combe", "well", "ham", "gard", "sen", "vik", "lund", "strand",
];

const PLACE_STARTS: &[&str] = &[
    "Kess", "Varn", "Hollin", "Brae", "Tull", "Mar", "Ash", "Cald", "Elm", "Fenn", "Grim", "Harl",
    "Ives", "Lod", "Marl", "Nor", "Ost", "Pen", "Rand", "Sorr", "Tarn", "Wex", "Bel", "Cor", "Dun",
    "Gal",
];

const PLACE_ENDS: &[&str] = &[
    "mere", "holt", "bridge", "haven", "wick", "ford", "stead", "port", "field", "moor", "cliff",
    "ton", "dale", "brook",
];

const COUNTRIES: &[&str] = &[
    "Varessa",
    "Lunmark",
    "Caldoria",
    "Teveria",
    "Ostrelia",
    "Pellandia",
    "Norvane",
    "Sarrath",
    "Quellan",
    "Brevonia",
    "Aldmark",
    "Ilvania",
    "Montaro",
    "Dravenia",
    "Kestania",
    "Ruvenia",
    "Solvane",
    "Vellmoor",
    "Zarvia",
    "Esteland",
    "Halvoria",
    "Orlesk",
    "Tamberlay",
    "Wessoria",
];

const PAPERS: &[&str] = &[
    "Courier",
    "Herald",
    "Ledger",
    "Gazette",
    "Post",
    "Examiner",
    "Observer",
    "Record",
    "Sentinel",
    "Dispatch",
    "Tribune",
    "Signal",
    "Mercury",
    "Daily",
    "Evening News",
    "Star",
];

const WIRES: &[&str] = &[
    "Lanternwire",
    "Eastgate Press Agency",
    "Coastline News Service",
];

const PRODUCTS: &[&str] = &[
    "baby formula",
    "frozen spinach",
    "cough syrup",
    "peanut butter",
    "ready meals",
    "bottled water",
    "infant cereal",
    "soft cheese",
    "smoked salmon",
    "salad leaves",
];

const MISSIONS: &[&str] = &[
    "Halcyon", "Petrel", "Kestrel", "Lumen", "Tessera", "Aurora", "Marlin", "Corvid", "Sable",
    "Vesper", "Tern", "Plover",
];

const FILM_WORDS: &[(&str, &str)] = &[
    ("Salt", "Years"),
    ("Quiet", "Harbour"),
    ("Last", "Orchard"),
    ("Winter", "Nets"),
    ("Long", "Shore"),
    ("Paper", "Boats"),
    ("Empty", "Pier"),
    ("Silver", "Tide"),
    ("Low", "Fields"),
    ("Borrowed", "Light"),
];

/// How an outlet delivers its articles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Web pages, archived in WARC files.
    Html,
    /// An RSS feed whose items carry the full text.
    Rss,
    /// Markdown files with front matter.
    Markdown,
    /// JSON lines (a wire service's export).
    Json,
}

/// A person in the news.
#[derive(Clone, Debug)]
pub struct Person {
    pub first: &'static str,
    pub last: String,
}

impl Person {
    pub fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// A news outlet.
#[derive(Clone, Debug)]
pub struct Outlet {
    pub name: String,
    pub domain: String,
    pub format: Format,
    /// Which page layout it uses (0, 1 or 2).
    pub style: usize,
    /// A wire service, whose articles others republish.
    pub wire: bool,
    /// Opens its leads with a dateline in capitals.
    pub dateline: bool,
    pub authors: Vec<String>,
    /// Its section names, for navigation.
    pub sections: [&'static str; 4],
    /// Headlines of its evergreen pieces, for "most read" boxes.
    pub evergreen: Vec<String>,
}

impl Outlet {
    /// A short name for file names.
    pub fn slug(&self) -> String {
        self.name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect()
    }
}

/// Everything events are made of.
#[derive(Debug)]
pub struct World {
    pub countries: Vec<&'static str>,
    /// Places and the country each is in.
    pub places: Vec<(String, usize)>,
    pub people: Vec<Person>,
    pub outlets: Vec<Outlet>,
    /// Cumulative weights of outlets (a few publish much more than most).
    outlet_weights: Vec<f64>,
}

const SECTIONS: &[[&str; 4]] = &[
    ["News", "Business", "Sport", "Culture"],
    ["Home", "World", "Money", "Opinion"],
    ["Latest", "Region", "Economy", "Life"],
];

impl World {
    /// A world sized for a corpus of `articles`.
    pub fn new(rng: &mut Rng, articles: u64) -> Self {
        let countries = COUNTRIES.to_vec();
        let mut places = Vec::new();
        for (i, start) in PLACE_STARTS.iter().enumerate() {
            for (j, end) in PLACE_ENDS.iter().enumerate() {
                let name = format!("{start}{end}");
                places.push((name, (i * 7 + j * 3) % countries.len()));
            }
        }
        let mut surnames = Vec::new();
        for start in SURNAME_STARTS {
            for end in SURNAME_ENDS {
                surnames.push(format!("{start}{end}"));
            }
        }
        // About one person for every twenty articles, within bounds.
        let people_count = (articles / 20).clamp(400, 40_000) as usize;
        let mut seen = std::collections::HashSet::new();
        let mut people = Vec::with_capacity(people_count);
        while people.len() < people_count.min(FIRST_NAMES.len() * surnames.len()) {
            let first = FIRST_NAMES[rng.below(FIRST_NAMES.len() as u64) as usize];
            let last = surnames[rng.below(surnames.len() as u64) as usize].clone();
            if seen.insert((first, last.clone())) {
                people.push(Person { first, last });
            }
        }
        let outlet_count = (articles / 4000).clamp(12, 240) as usize;
        let mut outlets = Vec::new();
        for (i, wire) in WIRES.iter().enumerate() {
            outlets.push(outlet(rng, wire, i, Format::Json, true, &surnames));
        }
        let mut names = std::collections::HashSet::new();
        while outlets.len() < outlet_count + WIRES.len() {
            let (place, _) = &places[rng.below(places.len() as u64) as usize];
            let paper = PAPERS[rng.below(PAPERS.len() as u64) as usize];
            let name = format!("{place} {paper}");
            if !names.insert(name.clone()) {
                continue;
            }
            let format = match outlets.len() % 10 {
                0..=5 => Format::Html,
                6 | 7 => Format::Rss,
                8 => Format::Markdown,
                _ => Format::Json,
            };
            let index = outlets.len();
            outlets.push(outlet(rng, &name, index, format, false, &surnames));
        }
        let mut total = 0.0;
        let outlet_weights = (0..outlets.len() - WIRES.len())
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(0.8);
                total
            })
            .collect();
        Self {
            countries,
            places,
            people,
            outlets,
            outlet_weights,
        }
    }

    /// An outlet other than a wire service, the big ones more often.
    pub fn pick_outlet(&self, rng: &mut Rng) -> usize {
        let total = self.outlet_weights.last().copied().unwrap_or(1.0);
        let target = rng.unit() * total;
        let index = self
            .outlet_weights
            .partition_point(|w| *w < target)
            .min(self.outlet_weights.len() - 1);
        WIRES.len() + index
    }

    /// How many wire services there are (the first outlets).
    pub fn wires(&self) -> usize {
        WIRES.len()
    }

    /// A name for an organisation of `kind` based in place `place`.
    pub fn org_name(&self, rng: &mut Rng, kind: OrgKind, place: usize, country: usize) -> String {
        let town = &self.places[place].0;
        let nation = self.countries[country];
        let surname = &self.people[rng.below(self.people.len() as u64) as usize].last;
        let pick = |rng: &mut Rng, options: &[&str]| {
            options[rng.below(options.len() as u64) as usize].to_string()
        };
        match kind {
            OrgKind::Company => {
                let suffix = pick(
                    rng,
                    &[
                        "Holdings",
                        "Foods",
                        "Motors",
                        "Logistics",
                        "Shipping",
                        "Pharma",
                        "Energy",
                        "Textiles",
                    ],
                );
                if rng.below(2) == 0 {
                    format!("{surname} {suffix}")
                } else {
                    format!("{town} {suffix}")
                }
            }
            OrgKind::Union => format!(
                "{} Workers' Union",
                pick(
                    rng,
                    &[
                        "Dock",
                        "Transport",
                        "Steel",
                        "Food",
                        "Textile",
                        "Port",
                        "Rail"
                    ]
                )
            ),
            OrgKind::Council => format!("{town} City Council"),
            OrgKind::Ministry => format!(
                "{nation} Ministry of {}",
                pick(
                    rng,
                    &[
                        "Health",
                        "Foreign Affairs",
                        "Defence",
                        "Trade",
                        "the Interior"
                    ]
                )
            ),
            OrgKind::Party => format!(
                "the {} Party",
                pick(
                    rng,
                    &[
                        "Civic", "Green", "Labour", "Liberal", "Farmers'", "Progress", "National",
                        "Coastal"
                    ]
                )
            ),
            OrgKind::Club => format!(
                "{town} {}",
                pick(
                    rng,
                    &[
                        "United",
                        "Athletic",
                        "Rovers",
                        "Wanderers",
                        "City",
                        "Albion"
                    ]
                )
            ),
            OrgKind::Court => format!("the {town} District Court"),
            OrgKind::University => format!("the University of {town}"),
            OrgKind::Emergency => format!(
                "the {nation} {}",
                pick(
                    rng,
                    &[
                        "Civil Protection Agency",
                        "Emergency Service",
                        "Red Crescent Society"
                    ]
                )
            ),
            OrgKind::Space => format!("the {nation} Space Agency"),
            OrgKind::Film => format!("the {nation} Film Institute"),
            OrgKind::Military => format!(
                "the {nation} {}",
                pick(rng, &["Defence Staff", "Army Command", "Interior Ministry"])
            ),
            OrgKind::Studio => {
                format!("{surname} {}", pick(rng, &["Films", "Pictures", "Studios"]))
            }
        }
    }

    /// The thing at stake in an event of `category`: a product, a satellite, a film.
    pub fn thing(&self, rng: &mut Rng, category: &str) -> String {
        match category {
            "health_and_environment" => {
                let brand = &self.people[rng.below(self.people.len() as u64) as usize].last;
                format!(
                    "{brand} {}",
                    PRODUCTS[rng.below(PRODUCTS.len() as u64) as usize]
                )
            }
            "science_and_technology" => format!(
                "{}-{}",
                MISSIONS[rng.below(MISSIONS.len() as u64) as usize],
                1 + rng.below(9)
            ),
            "arts_and_culture" => {
                let (a, b) = FILM_WORDS[rng.below(FILM_WORDS.len() as u64) as usize];
                let (_, c) = FILM_WORDS[rng.below(FILM_WORDS.len() as u64) as usize];
                if rng.below(2) == 0 {
                    format!("The {a} {b}")
                } else {
                    format!("{a} {c}")
                }
            }
            _ => String::new(),
        }
    }
}

fn outlet(
    rng: &mut Rng,
    name: &str,
    index: usize,
    format: Format,
    wire: bool,
    surnames: &[String],
) -> Outlet {
    let authors = (0..3 + rng.below(8))
        .map(|_| {
            format!(
                "{} {}",
                FIRST_NAMES[rng.below(FIRST_NAMES.len() as u64) as usize],
                surnames[rng.below(surnames.len() as u64) as usize]
            )
        })
        .collect();
    let slug: String = name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let evergreen = [
        "What the new bus timetable means for you",
        "Ten walks along the coast this season",
        "Letters: readers on the harbour plan",
        "How to read your energy bill",
        "Where to eat this weekend",
        "The week in pictures",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    Outlet {
        name: name.to_string(),
        domain: format!("{slug}.example"),
        format,
        style: index % 3,
        wire,
        dateline: wire || index % 4 == 1,
        authors,
        sections: SECTIONS[index % SECTIONS.len()],
        evergreen,
    }
}
