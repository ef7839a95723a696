//! A generated corpus on disk, one folder per publication day, with its labels.
//!
//! ```text
//! DIR/manifest.json                 what was generated (configuration and counts)
//! DIR/labels.jsonl                  one line per article: url, event, story, copy_of, ...
//! DIR/corpus/YYYY/MM/DD/pages.warc.gz       web pages (one gzip member per record)
//! DIR/corpus/YYYY/MM/DD/feed-<outlet>.xml   RSS feeds with full text
//! DIR/corpus/YYYY/MM/DD/<outlet>-<n>.md     Markdown files with front matter
//! DIR/corpus/YYYY/MM/DD/wire.jsonl          JSON lines from the wire services
//! ```
//!
//! Reading `DIR/corpus` in path order gives the articles day by day, as a crawl would.

use crate::render;
use crate::world::{Format, World};
use crate::{Config, Generator, Piece};
use chrono::Datelike;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// One article's labels, as written to `labels.jsonl`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub url: String,
    pub outlet: String,
    pub published: String,
    pub format: String,
    /// The event (`e<N>`).
    pub event: String,
    /// The day the event happened (YYYY-MM-DD).
    pub event_date: String,
    pub category: String,
    /// The story (`s<N>`), if the event belongs to one.
    pub story: Option<String>,
    /// The URL of the article this one republishes.
    pub copy_of: Option<String>,
}

impl Label {
    pub fn of(piece: &Piece, world: &World) -> Self {
        let outlet = &world.outlets[piece.outlet];
        Self {
            url: piece.url.clone(),
            outlet: outlet.name.clone(),
            published: piece.published.to_rfc3339(),
            format: format!("{:?}", outlet.format).to_lowercase(),
            event: format!("e{}", piece.event),
            event_date: piece.event_date.to_string(),
            category: piece.category.to_string(),
            story: piece.story.map(|s| format!("s{s}")),
            copy_of: piece.copy_of.clone(),
        }
    }
}

/// What `manifest.json` records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub articles: u64,
    pub seed: u64,
    pub start: String,
    pub per_day: u64,
    pub days: u64,
    pub events: u64,
    pub stories: u64,
    pub copies: u64,
    pub outlets: usize,
    pub bytes: u64,
    /// Articles per format.
    pub formats: BTreeMap<String, u64>,
}

/// Generates a corpus into `dir` (which should be empty) and returns its manifest.
pub fn write(dir: &Path, config: Config) -> io::Result<Manifest> {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus)?;
    let mut labels = BufWriter::new(File::create(dir.join("labels.jsonl"))?);
    let mut generator = Generator::new(config.clone());
    let mut manifest = Manifest {
        articles: 0,
        seed: config.seed,
        start: config.start.to_string(),
        per_day: config.per_day,
        days: 0,
        events: 0,
        stories: 0,
        copies: 0,
        outlets: generator.world().outlets.len(),
        bytes: 0,
        formats: BTreeMap::new(),
    };
    let mut day: Vec<Piece> = Vec::new();
    let mut events = std::collections::HashSet::new();
    let mut stories = std::collections::HashSet::new();
    while let Some(piece) = generator.next_piece() {
        if day
            .first()
            .is_some_and(|first| first.published.date_naive() != piece.published.date_naive())
        {
            manifest.bytes += write_day(&corpus, &day, generator.world())?;
            manifest.days += 1;
            day.clear();
        }
        let label = Label::of(&piece, generator.world());
        serde_json::to_writer(&mut labels, &label)?;
        labels.write_all(b"\n")?;
        manifest.articles += 1;
        manifest.copies += u64::from(piece.copy_of.is_some());
        *manifest.formats.entry(label.format).or_default() += 1;
        events.insert(piece.event);
        if let Some(story) = piece.story {
            stories.insert(story);
        }
        day.push(piece);
    }
    if !day.is_empty() {
        manifest.bytes += write_day(&corpus, &day, generator.world())?;
        manifest.days += 1;
    }
    labels.flush()?;
    manifest.events = events.len() as u64;
    manifest.stories = stories.len() as u64;
    let file = File::create(dir.join("manifest.json"))?;
    serde_json::to_writer_pretty(file, &manifest)?;
    Ok(manifest)
}

/// Reads `labels.jsonl` of a generated corpus.
pub fn read_labels(dir: &Path) -> io::Result<Vec<Label>> {
    let text = std::fs::read_to_string(dir.join("labels.jsonl"))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(io::Error::other))
        .collect()
}

/// Writes one day's pieces; returns the bytes written.
fn write_day(corpus: &Path, pieces: &[Piece], world: &World) -> io::Result<u64> {
    let Some(first) = pieces.first() else {
        return Ok(0);
    };
    let date = first.published.date_naive();
    let folder: PathBuf = corpus
        .join(format!("{:04}", date.year()))
        .join(format!("{:02}", date.month()))
        .join(format!("{:02}", date.day()));
    std::fs::create_dir_all(&folder)?;
    let mut bytes = 0u64;
    let mut warc: Option<BufWriter<File>> = None;
    let mut wire: Option<BufWriter<File>> = None;
    let mut feeds: BTreeMap<usize, Vec<&Piece>> = BTreeMap::new();
    for piece in pieces {
        let outlet = &world.outlets[piece.outlet];
        match outlet.format {
            Format::Html => {
                let writer = match &mut warc {
                    Some(w) => w,
                    None => {
                        warc.insert(BufWriter::new(File::create(folder.join("pages.warc.gz"))?))
                    }
                };
                let record = render::warc_record(piece, &render::html(piece, outlet));
                let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
                gz.write_all(&record)?;
                let compressed = gz.finish()?;
                bytes += compressed.len() as u64;
                writer.write_all(&compressed)?;
            }
            Format::Rss => feeds.entry(piece.outlet).or_default().push(piece),
            Format::Markdown => {
                let text = render::markdown(piece, outlet);
                bytes += text.len() as u64;
                std::fs::write(
                    folder.join(format!("{}-{}.md", outlet.slug(), piece.index)),
                    text,
                )?;
            }
            Format::Json => {
                let writer = match &mut wire {
                    Some(w) => w,
                    None => wire.insert(BufWriter::new(File::create(folder.join("wire.jsonl"))?)),
                };
                let line = render::json_line(piece, outlet);
                bytes += line.len() as u64 + 1;
                writer.write_all(line.as_bytes())?;
                writer.write_all(b"\n")?;
            }
        }
    }
    for (outlet, items) in feeds {
        let outlet = &world.outlets[outlet];
        let feed = render::rss(&items, outlet);
        bytes += feed.len() as u64;
        std::fs::write(folder.join(format!("feed-{}.xml", outlet.slug())), feed)?;
    }
    for writer in [warc, wire].into_iter().flatten() {
        writer
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
    }
    Ok(bytes)
}
