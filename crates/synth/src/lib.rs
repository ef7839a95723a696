//! A synthetic news world for benchmarks and tests at scale.
//!
//! [`Generator`] writes, in publication order, articles from many outlets about many
//! events: a long-tailed number of articles per event spread over a few days, stories
//! that return to the same people and places over months, people named in full and
//! then by surname, quotes with their speakers, dates relative to publication
//! ("yesterday", "on Tuesday"), wire copies republished by other outlets, and filler of
//! long-tailed length. Every article comes with its labels (event, story, copy), so
//! quality can be measured at any size. [`corpus::write`] renders a corpus to disk as
//! web pages in WARC archives, RSS feeds, Markdown files and JSON lines.
//!
//! A seed makes everything reproducible: the same configuration gives the same bytes.

pub mod corpus;
pub mod kinds;
pub mod render;
pub mod world;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use kinds::{KINDS, Kind};
use std::collections::{BTreeMap, HashMap, VecDeque};
use world::World;

/// A small, fast, reproducible random number generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items`.
    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub articles: u64,
    pub seed: u64,
    /// The first publication day.
    pub start: NaiveDate,
    /// Articles published per day on average.
    pub per_day: u64,
    /// Share of articles that republish a wire service's article.
    pub copy_share: f64,
    /// Share of events that belong to a story.
    pub story_share: f64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            articles: 10_000,
            seed: 1,
            start: NaiveDate::from_ymd_opt(2025, 1, 6).unwrap_or_default(),
            per_day: 1500,
            copy_share: 0.06,
            story_share: 0.5,
        }
    }
}

/// One generated article with its labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    /// Its position in publication order, from 0.
    pub index: u64,
    pub url: String,
    pub outlet: usize,
    pub title: String,
    pub author: Option<String>,
    pub published: DateTime<Utc>,
    pub paragraphs: Vec<String>,
    /// The event it reports (labels: `e<N>`).
    pub event: u64,
    /// The day the event happened.
    pub event_date: NaiveDate,
    pub category: &'static str,
    /// The story the event belongs to (labels: `s<N>`).
    pub story: Option<u64>,
    /// The URL of the wire article this one republishes.
    pub copy_of: Option<String>,
}

/// Who and what an event is about.
#[derive(Clone, Debug)]
struct Cast {
    people: [usize; 2],
    orgs: [String; 2],
    place: usize,
    country: usize,
    other_country: usize,
    thing: String,
}

#[derive(Debug)]
struct Story {
    kind: usize,
    cast: Cast,
    /// Last day it may have events.
    until: u32,
    /// Days of its events so far.
    days: Vec<u32>,
}

/// What other outlets republish of a wire article.
#[derive(Clone, Debug)]
struct WirePiece {
    /// The wire service that wrote it.
    outlet: usize,
    url: String,
    title: String,
    paragraphs: Vec<String>,
    published: DateTime<Utc>,
}

#[derive(Debug)]
struct Event {
    kind: usize,
    story: Option<u64>,
    cast: Cast,
    day: u32,
    figures: [u32; 3],
    /// Articles still to be written.
    remaining: u32,
    /// A wire service writes its first article.
    on_wire: bool,
    /// The event's wire article, once written.
    wire: Option<WirePiece>,
    /// Days of earlier events of its story.
    earlier: Vec<u32>,
}

/// Share of events a wire service covers first.
const WIRE_SHARE: f64 = 0.25;

/// Share of articles, about 0.19, that report an event a wire service already covered:
/// the pool copies come from.
const WIRE_FOLLOWED: f64 = 0.19;

/// Generates articles in publication order; see the crate documentation.
#[derive(Debug)]
pub struct Generator {
    config: Config,
    rng: Rng,
    world: World,
    stories: Vec<Story>,
    /// Stories still open, by id.
    open_stories: Vec<u64>,
    events: HashMap<u64, Event>,
    next_event: u64,
    /// Event ids with an article due on each day.
    schedule: BTreeMap<u32, Vec<u64>>,
    day: u32,
    today: VecDeque<Piece>,
    produced: u64,
}

impl Generator {
    pub fn new(config: Config) -> Self {
        let mut rng = Rng::new(config.seed);
        let world = World::new(&mut rng, config.articles);
        Self {
            config,
            rng,
            world,
            stories: Vec::new(),
            open_stories: Vec::new(),
            events: HashMap::new(),
            next_event: 0,
            schedule: BTreeMap::new(),
            day: 0,
            today: VecDeque::new(),
            produced: 0,
        }
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    fn date(&self, day: u32) -> NaiveDate {
        self.config.start + Duration::days(i64::from(day))
    }

    /// A cast for a new event or story of `kind`.
    fn cast(&mut self, kind: &Kind) -> Cast {
        let rng = &mut self.rng;
        let world = &self.world;
        let place = rng.below(world.places.len() as u64) as usize;
        let country = world.places[place].1;
        let mut other_country = rng.below(world.countries.len() as u64) as usize;
        if other_country == country {
            other_country = (other_country + 1) % world.countries.len();
        }
        let a = rng.below(world.people.len() as u64) as usize;
        let mut b = rng.below(world.people.len() as u64) as usize;
        if b == a {
            b = (b + 1) % world.people.len();
        }
        let x = world.org_name(rng, kind.orgs[0], place, country);
        let mut y = world.org_name(rng, kind.orgs[1], place, country);
        for _ in 0..4 {
            if y != x {
                break;
            }
            let other = rng.below(world.places.len() as u64) as usize;
            y = world.org_name(rng, kind.orgs[1], other, country);
        }
        let thing = world.thing(rng, kind.category);
        Cast {
            people: [a, b],
            orgs: [x, y],
            place,
            country,
            other_country,
            thing,
        }
    }

    /// Starts an event on `day` and schedules its articles.
    fn new_event(&mut self, day: u32) -> u32 {
        self.open_stories
            .retain(|&s| self.stories[s as usize].until >= day);
        let (kind, story, cast, earlier) = if self.rng.chance(self.config.story_share) {
            let join = !self.open_stories.is_empty() && self.rng.chance(0.8);
            let id = if join {
                self.rng.pick(&self.open_stories)
            } else {
                let kind = self.rng.below(KINDS.len() as u64) as usize;
                let cast = self.cast(&KINDS[kind]);
                let until = day + 30 + self.rng.below(240) as u32;
                self.stories.push(Story {
                    kind,
                    cast,
                    until,
                    days: Vec::new(),
                });
                let id = self.stories.len() as u64 - 1;
                self.open_stories.push(id);
                id
            };
            let story = &mut self.stories[id as usize];
            // Events of a story are days apart at least: one happening at a time.
            if story.days.last().is_some_and(|&last| day < last + 5) {
                let kind = self.rng.below(KINDS.len() as u64) as usize;
                let cast = self.cast(&KINDS[kind]);
                (kind, None, cast, Vec::new())
            } else {
                let earlier = story.days.clone();
                story.days.push(day);
                let mut cast = story.cast.clone();
                // The same protagonist; the other side may change.
                if self.rng.chance(0.3) {
                    cast.people[1] = self.rng.below(self.world.people.len() as u64) as usize;
                }
                (story.kind, Some(id), cast, earlier)
            }
        } else {
            let kind = self.rng.below(KINDS.len() as u64) as usize;
            let cast = self.cast(&KINDS[kind]);
            (kind, None, cast, Vec::new())
        };
        let figures = KINDS[kind]
            .figures
            .map(|(low, high)| low + self.rng.below(u64::from(high - low) + 1) as u32);
        // Articles per event: a long tail (Pareto, shape 1.2), most events have a few.
        let size = (1.0 / (1.0 - self.rng.unit()).powf(1.0 / 1.2)).min(400.0) as u32;
        let spread = (size / 6).min(4);
        let id = self.next_event;
        self.next_event += 1;
        for _ in 0..size {
            let offset = (self.rng.unit().powi(2) * f64::from(spread + 1)) as u32;
            self.schedule.entry(day + offset).or_default().push(id);
        }
        self.events.insert(
            id,
            Event {
                kind,
                story,
                cast,
                day,
                figures,
                remaining: size,
                on_wire: self.rng.chance(WIRE_SHARE),
                wire: None,
                earlier,
            },
        );
        size
    }

    /// Writes the articles of the next day into `today`.
    fn next_day(&mut self) {
        let day = self.day;
        self.day += 1;
        // Weekends are quieter.
        let weekday = self.date(day).weekday().num_days_from_monday();
        let quota = if weekday >= 5 {
            self.config.per_day * 6 / 10
        } else {
            self.config.per_day
        };
        let mut due = self.schedule.remove(&day).unwrap_or_default();
        while (due.len() as u64) < quota {
            let before = self.next_event;
            self.new_event(day);
            if let Some(ids) = self.schedule.remove(&day) {
                due.extend(ids);
            }
            debug_assert!(self.next_event > before);
        }
        // Shuffled, so that events interleave through the day.
        let mut due: Vec<u64> = shuffled(&mut self.rng, due.len())
            .into_iter()
            .map(|i| due[i])
            .collect();
        // The corpus ends after exactly `articles` pieces.
        due.truncate(self.config.articles.saturating_sub(self.produced) as usize);
        let mut pieces: Vec<Piece> = due.into_iter().map(|id| self.article(id, day)).collect();
        pieces.sort_by_key(|p| p.published);
        self.today.extend(pieces);
    }

    /// One article about event `id`, published on `day`.
    fn article(&mut self, id: u64, day: u32) -> Piece {
        let date = self.date(day);
        let seconds = 6 * 3600 + self.rng.below(16 * 3600) as i64;
        let published =
            date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::seconds(seconds);
        let mut outlet = self.world.pick_outlet(&mut self.rng);
        let Some(event) = self.events.get(&id) else {
            unreachable!("a scheduled event exists until its last article");
        };
        let kind = &KINDS[event.kind];
        let first_wire = event.on_wire && event.wire.is_none();
        if first_wire {
            outlet = self.rng.below(self.world.wires() as u64) as usize;
        }
        let copy = !self.world.outlets[outlet].wire
            && event.wire.is_some()
            && self
                .rng
                .chance((self.config.copy_share / WIRE_FOLLOWED).min(0.9));
        let slots = Slots::new(&self.world, event, kind);
        let outlet_data = &self.world.outlets[outlet];
        let (title, paragraphs, copy_of) = if copy {
            let Some(WirePiece {
                outlet: wire,
                url,
                title,
                mut paragraphs,
                ..
            }) = event.wire.clone()
            else {
                unreachable!("checked above");
            };
            if paragraphs.len() > 4 && self.rng.chance(0.5) {
                paragraphs.truncate(paragraphs.len() - 1 - self.rng.below(2) as usize);
            }
            if let Some(lead) = paragraphs.first_mut()
                && let Some((_, rest)) = lead.split_once(" \u{2014} ")
            {
                *lead = rest.to_string();
            }
            let wire = self.world.outlets[wire].name.clone();
            if self.rng.chance(0.5) {
                paragraphs.push(format!("Distributed by {wire}."));
            }
            (title, paragraphs, Some(url))
        } else {
            let dates = Dates {
                happened: self.date(event.day),
                published: date,
                previous: event.earlier.last().map(|&d| self.date(d)),
            };
            let (title, mut paragraphs) =
                write(&mut self.rng, &slots, kind, &dates, outlet_data.dateline);
            for paragraph in &mut paragraphs {
                *paragraph = in_house_words(paragraph, outlet);
            }
            (title, paragraphs, None)
        };
        let slug: String = title
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(8)
            .collect::<Vec<_>>()
            .join("-");
        let index = self.produced;
        self.produced += 1;
        let url = format!(
            "https://{}/{}/{:02}/{:02}/{slug}-{index}",
            outlet_data.domain,
            date.year(),
            date.month(),
            date.day()
        );
        let author = (!outlet_data.authors.is_empty() && self.rng.chance(0.85))
            .then(|| self.rng.pick(&outlet_data.authors));
        // A copy appears after its original, the same day.
        let published = match (&event.wire, copy_of.is_some()) {
            (Some(wire), true) => {
                let end = date.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc();
                published
                    .max(wire.published + Duration::minutes(10))
                    .min(end)
            }
            _ => published,
        };
        let piece = Piece {
            index,
            url: url.clone(),
            outlet,
            title: title.clone(),
            author,
            published,
            paragraphs: paragraphs.clone(),
            event: id,
            event_date: self.date(event.day),
            category: kind.category,
            story: event.story,
            copy_of,
        };
        let Some(event) = self.events.get_mut(&id) else {
            unreachable!("looked up above");
        };
        if first_wire {
            event.wire = Some(WirePiece {
                outlet,
                url,
                title,
                paragraphs,
                published,
            });
        }
        event.remaining -= 1;
        if event.remaining == 0 {
            self.events.remove(&id);
        }
        piece
    }
}

impl Iterator for Generator {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        self.next_piece()
    }
}

impl Generator {
    /// The next article in publication order, until the configured count.
    pub fn next_piece(&mut self) -> Option<Piece> {
        if self.produced >= self.config.articles && self.today.is_empty() {
            return None;
        }
        while self.today.is_empty() {
            self.next_day();
        }
        self.today.pop_front()
    }
}

/// The values of an event's template slots.
struct Slots {
    values: Vec<(&'static str, String)>,
}

impl Slots {
    fn new(world: &World, event: &Event, kind: &Kind) -> Self {
        let cast = &event.cast;
        let [a, b] = cast.people.map(|p| &world.people[p]);
        let place = world.places[cast.place].0.clone();
        let mut values = vec![
            ("{As}", a.last.clone()),
            ("{Bs}", b.last.clone()),
            ("{A}", a.full()),
            ("{B}", b.full()),
            ("{X}", cast.orgs[0].clone()),
            ("{Y}", cast.orgs[1].clone()),
            ("{P}", place),
            ("{C}", world.countries[cast.country].to_string()),
            ("{D}", world.countries[cast.other_country].to_string()),
            ("{T}", cast.thing.clone()),
            ("{N1}", event.figures[0].to_string()),
            ("{N2}", event.figures[1].to_string()),
            ("{N3}", event.figures[2].to_string()),
        ];
        let roles = kind.roles.map(|r| fill_with(r, &values));
        values.push(("{Ar}", roles[0].clone()));
        values.push(("{Br}", roles[1].clone()));
        Self { values }
    }

    /// A sentence: the template filled, its first letter a capital.
    fn fill(&self, template: &str) -> String {
        let out = fill_with(template, &self.values);
        let mut chars = out.chars();
        match chars.next() {
            Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
            _ => out,
        }
    }

    fn get(&self, key: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn fill_with(template: &str, values: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        if out.contains(key) {
            out = out.replace(key, value);
        }
    }
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// When something on `happened` was, said on `published`.
fn when(rng: &mut Rng, happened: NaiveDate, published: NaiveDate) -> String {
    let weekday = |d: NaiveDate| {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][d.weekday().num_days_from_monday() as usize]
    };
    let month_day = |d: NaiveDate| format!("on {} {}", MONTHS[d.month0() as usize], d.day());
    match (published - happened).num_days() {
        0 if rng.chance(0.5) => "today".to_string(),
        0 => format!("on {}", weekday(happened)),
        1 if rng.chance(0.6) => "yesterday".to_string(),
        1..=5 if rng.chance(0.7) => format!("on {}", weekday(happened)),
        _ => month_day(happened),
    }
}

/// A text in an outlet's own words: each group of [`kinds::VARIANTS`] replaced by the
/// outlet's choice (whole words only).
fn in_house_words(text: &str, outlet: usize) -> String {
    let mut out = text.to_string();
    for (g, group) in kinds::VARIANTS.iter().enumerate() {
        let choice = group[(outlet * 7 + g * 3) % group.len()];
        for word in group.iter().filter(|w| **w != choice) {
            out = replace_words(&out, word, choice);
        }
    }
    out
}

/// `text` with every whole-word `from` replaced by `to`.
fn replace_words(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = &rest[at + from.len()..];
        let after_ok = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if before_ok && after_ok { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `0..n` in a random order (Fisher-Yates).
fn shuffled(rng: &mut Rng, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// When an article is written, against what it reports.
struct Dates {
    happened: NaiveDate,
    published: NaiveDate,
    /// The day of the story's previous event.
    previous: Option<NaiveDate>,
}

/// Title and paragraphs of a new article about an event of `kind`.
fn write(
    rng: &mut Rng,
    slots: &Slots,
    kind: &Kind,
    dates: &Dates,
    dateline: bool,
) -> (String, Vec<String>) {
    let title = slots.fill(rng.pick(kind.titles));
    let mut paragraphs = Vec::new();
    let later = dates.published > dates.happened;
    let mut lead = slots
        .fill(rng.pick(kind.leads))
        .replace("{W}", &when(rng, dates.happened, dates.published));
    if dateline {
        lead = format!("{} \u{2014} {lead}", slots.get("{P}").to_uppercase());
    }
    paragraphs.push(lead);
    let order = shuffled(rng, kind.facts.len());
    let facts = 2 + rng.below(kind.facts.len() as u64 - 1) as usize;
    let mut quoted = [false, false];
    let mut quotes = shuffled(rng, kind.quotes.len());
    for (n, &i) in order.iter().take(facts).enumerate() {
        paragraphs.push(slots.fill(kind.facts[i]));
        if n % 2 == 1 || rng.chance(0.3) {
            let Some(q) = quotes.pop() else {
                continue;
            };
            let speaker = usize::from(rng.chance(0.4));
            let quote = kind.quotes[q];
            let (full, surname, role) = if speaker == 0 {
                (slots.get("{A}"), slots.get("{As}"), slots.get("{Ar}"))
            } else {
                (slots.get("{B}"), slots.get("{Bs}"), slots.get("{Br}"))
            };
            let attribution = if quoted[speaker] {
                format!("\u{201c}{quote},\u{201d} {surname} said.")
            } else if rng.chance(0.5) {
                format!("\u{201c}{quote},\u{201d} said {full}, {role}.")
            } else {
                format!("{full}, {role}, said: \u{201c}{quote}.\u{201d}")
            };
            quoted[speaker] = true;
            paragraphs.push(attribution);
        }
    }
    if later || rng.chance(0.2) {
        paragraphs.push(slots.fill(rng.pick(kind.follow_ups)));
    }
    if let Some(previous) = dates.previous {
        let month = format!("{} {}", MONTHS[previous.month0() as usize], previous.year());
        paragraphs.push(slots.fill(&rng.pick(kind.background).replace("{W}", &month)));
    }
    // Filler of long-tailed length: most articles short, a few very long.
    let filler = (rng.unit().powi(3) * 40.0) as usize;
    let sentences: Vec<String> = shuffled(rng, kinds::FILLER.len())
        .into_iter()
        .cycle()
        .take(filler)
        .map(|i| slots.fill(kinds::FILLER[i]))
        .collect();
    for chunk in sentences.chunks(2) {
        let at = 2 + rng.below(paragraphs.len() as u64 - 1) as usize;
        paragraphs.insert(at.min(paragraphs.len()), chunk.join(" "));
    }
    (title, paragraphs)
}
