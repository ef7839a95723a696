//! `chronicle bench run`: the whole pipeline on a generated corpus, measured.

use crate::bench::RunArgs;
use anyhow::{Context, Result, bail};
use chronicle_model::ArticleId;
use chronicle_pipeline::{IngestOptions, StageTimes, ingest};
use chronicle_store::Store;
use chronicle_synth::corpus::{Label, Manifest, read_labels};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Articles averaged over for each row of the scaling curve.
const WINDOW: u64 = 10_000;

/// One row of the scaling curve: milliseconds per article in each stage, over the
/// last [`WINDOW`] articles stored before `articles`.
#[derive(Clone, Debug, Serialize)]
struct Row {
    articles: u64,
    read: f64,
    lookup: f64,
    clean: f64,
    write: f64,
    annotate: f64,
    events: f64,
    /// The search index, synced every 20,000 articles and at the end.
    index: f64,
    /// Wall-clock time per article over the window.
    total: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    manifest: Manifest,
    generate_seconds: Option<f64>,
    /// Of `ingest_seconds`, the search index brought up to date at the end.
    index_seconds: f64,
    /// Documents the search index took in.
    indexed: u64,
    ingest_seconds: f64,
    articles_per_second: f64,
    stored: u64,
    skipped: u64,
    rows: Vec<Row>,
    /// Whole-run milliseconds per article in each stage.
    overall: Row,
    peak_memory_mb: Option<f64>,
    store_mb: f64,
    quality: Quality,
}

#[derive(Debug, Default, Serialize)]
struct Quality {
    /// Labelled articles found in the store.
    matched: u64,
    events: chronicle_eval::events::Report,
    stories: chronicle_eval::events::Report,
    copies_planted: u64,
    copies_found: u64,
    /// Articles grouped as copies that were not planted as such.
    copies_wrong: u64,
}

pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let config = chronicle_synth::Config {
        articles: args.articles,
        seed: args.seed,
        per_day: args.per_day.max(1),
        ..chronicle_synth::Config::default()
    };
    let (manifest, generate_seconds) = corpus(&args.out, config)?;
    let store_dir = args.out.join("store");
    if store_dir.exists() {
        std::fs::remove_dir_all(&store_dir)
            .with_context(|| format!("removing the previous store {}", store_dir.display()))?;
    }
    let mut store = Store::open(&store_dir)?;
    let inputs = vec![args.out.join("corpus").to_string_lossy().into_owned()];
    let checkpoints: Vec<u64> = (4..10)
        .flat_map(|e| [1, 2, 5].map(|m| m * 10u64.pow(e)))
        .filter(|&c| c < args.articles)
        .collect();
    let mut snapshots: Vec<(u64, StageTimes, Instant)> =
        vec![(0, StageTimes::default(), Instant::now())];
    let mut rows: Vec<Row> = Vec::new();
    let mut next_checkpoint = 0;
    let mut err = std::io::stderr();
    let started = Instant::now();
    let summary = ingest(
        &mut store,
        &inputs,
        &IngestOptions::default(),
        &mut |stats| {
            let now = Instant::now();
            let stored = stats.cleaned;
            snapshots.push((stored, stats.stages.clone(), now));
            if let Some(&checkpoint) = checkpoints.get(next_checkpoint)
                && stored >= checkpoint
            {
                next_checkpoint += 1;
                if let Some(row) = window_row(&snapshots, stored) {
                    let _ = writeln!(err, "{stored} articles: {:.3} ms per article", row.total);
                    rows.push(row);
                }
            }
        },
    )?;
    let ingest_seconds = started.elapsed().as_secs_f64();
    let stats = &summary.stats;
    if let Some(row) = window_row(&snapshots, stats.cleaned) {
        rows.push(row);
    }
    let overall = row_between(
        (0, &StageTimes::default(), started),
        (stats.cleaned, &stats.stages, Instant::now()),
    );
    let quality = score(&store, &read_labels(&args.out)?)?;
    drop(store);
    let report = Report {
        manifest,
        generate_seconds,
        index_seconds: stats.stages.index_us as f64 / 1e6,
        indexed: summary.search.articles + summary.search.events + summary.search.quotes,
        ingest_seconds,
        articles_per_second: stats.cleaned as f64 / ingest_seconds.max(1e-9),
        stored: stats.cleaned,
        skipped: stats.skipped_total(),
        rows,
        overall,
        peak_memory_mb: peak_memory_mb(),
        store_mb: folder_bytes(&store_dir) as f64 / 1e6,
        quality,
    };
    print(&report, args.json)
}

/// The corpus in `dir`: reused when generated with the same settings, else generated.
fn corpus(dir: &Path, config: chronicle_synth::Config) -> Result<(Manifest, Option<f64>)> {
    let manifest_path = dir.join("manifest.json");
    if manifest_path.exists() {
        let manifest: Manifest = serde_json::from_slice(
            &std::fs::read(&manifest_path)
                .with_context(|| format!("reading {}", manifest_path.display()))?,
        )
        .with_context(|| format!("parsing {}", manifest_path.display()))?;
        if manifest.articles == config.articles
            && manifest.seed == config.seed
            && manifest.per_day == config.per_day
        {
            return Ok((manifest, None));
        }
        bail!(
            "{} holds a corpus generated with other settings ({} articles, seed {}); choose another --out",
            dir.display(),
            manifest.articles,
            manifest.seed
        );
    }
    crate::bench::ensure_empty(
        dir,
        "the benchmark generates its corpus into an empty folder",
    )?;
    let started = Instant::now();
    let manifest = chronicle_synth::corpus::write(dir, config)
        .with_context(|| format!("writing the corpus into {}", dir.display()))?;
    Ok((manifest, Some(started.elapsed().as_secs_f64())))
}

/// The row for the last [`WINDOW`] articles before `stored`.
fn window_row(snapshots: &[(u64, StageTimes, Instant)], stored: u64) -> Option<Row> {
    let last = snapshots.last()?;
    let from = snapshots
        .iter()
        .rev()
        .find(|s| s.0 + WINDOW <= stored)
        .or_else(|| snapshots.first())?;
    (last.0 > from.0).then(|| row_between((from.0, &from.1, from.2), (last.0, &last.1, last.2)))
}

fn row_between(from: (u64, &StageTimes, Instant), to: (u64, &StageTimes, Instant)) -> Row {
    let count = (to.0 - from.0).max(1) as f64;
    let ms = |a: u64, b: u64| b.saturating_sub(a) as f64 / 1000.0 / count;
    Row {
        articles: to.0,
        read: ms(from.1.read_us, to.1.read_us),
        lookup: ms(from.1.lookup_us, to.1.lookup_us),
        clean: ms(from.1.clean_us, to.1.clean_us),
        write: ms(from.1.write_us, to.1.write_us),
        annotate: ms(from.1.annotate_us, to.1.annotate_us),
        events: ms(from.1.events_us, to.1.events_us),
        index: ms(from.1.index_us, to.1.index_us),
        total: to.2.duration_since(from.2).as_secs_f64() * 1000.0 / count,
    }
}

/// Events, stories and copies found, against the labels.
fn score(store: &Store, labels: &[Label]) -> Result<Quality> {
    let read = store.read();
    let redirects: HashMap<u64, u64> = read.event_redirects()?.into_iter().collect();
    let story_redirects: HashMap<u64, u64> = read.story_redirects()?.into_iter().collect();
    let follow = |map: &HashMap<u64, u64>, mut id: u64| {
        for _ in 0..64 {
            match map.get(&id) {
                Some(&next) if next != id => id = next,
                _ => break,
            }
        }
        id
    };
    let mut found: HashMap<String, (ArticleId, Option<u64>, Option<u64>)> = HashMap::new();
    read.for_each_located_event(|url, article, event, story| {
        found.insert(url.to_string(), (article, event, story));
    })?;
    let mut quality = Quality::default();
    let (mut gold_events, mut gold_stories) = (Vec::new(), Vec::new());
    let (mut events, mut stories) = (Vec::new(), Vec::new());
    let mut primary_of_url: HashMap<&str, ArticleId> = HashMap::new();
    for (i, label) in labels.iter().enumerate() {
        let Some(&(article, event, story)) = found.get(&label.url) else {
            continue;
        };
        quality.matched += 1;
        // Unplaced articles count as events of their own.
        let unique = u64::MAX - i as u64;
        gold_events.push(label.event.as_str());
        events.push(event.map_or(unique, |e| follow(&redirects, e)));
        // An event outside every story is a story of its own.
        gold_stories.push(label.story.as_deref().unwrap_or(label.event.as_str()));
        stories.push(story.map_or(unique, |s| follow(&story_redirects, s)));
        let primary = read.copy_primary(article)?;
        primary_of_url.insert(label.url.as_str(), primary);
        if label.copy_of.is_none() && primary != article {
            quality.copies_wrong += 1;
        }
    }
    for label in labels {
        if let Some(original) = &label.copy_of {
            quality.copies_planted += 1;
            if let (Some(a), Some(b)) = (
                primary_of_url.get(label.url.as_str()),
                primary_of_url.get(original.as_str()),
            ) && a == b
            {
                quality.copies_found += 1;
            }
        }
    }
    quality.events = chronicle_eval::events::bcubed(&gold_events, &events);
    quality.stories = chronicle_eval::events::bcubed(&gold_stories, &stories);
    Ok(quality)
}

/// Peak resident memory of this process (Linux), in MB.
pub(crate) fn peak_memory_mb() -> Option<f64> {
    memory_mb("VmHWM:")
}

/// Resident memory of this process now (Linux), in MB.
pub(crate) fn resident_memory_mb() -> Option<f64> {
    memory_mb("VmRSS:")
}

/// A memory figure of `/proc/self/status`, in MB.
fn memory_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn folder_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => folder_bytes(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

fn print(report: &Report, json: bool) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, report)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let m = &report.manifest;
    writeln!(
        out,
        "corpus: {} articles over {} days from {} outlets ({} events, {} stories, {} copies, {:.0} MB){}",
        m.articles,
        m.days,
        m.outlets,
        m.events,
        m.stories,
        m.copies,
        m.bytes as f64 / 1e6,
        report
            .generate_seconds
            .map_or(String::new(), |s| format!(", generated in {s:.1} s"))
    )?;
    writeln!(
        out,
        "ingest: {} articles stored, {} skipped in {:.1} s: {:.0} articles/s; peak memory {}; store {:.0} MB",
        report.stored,
        report.skipped,
        report.ingest_seconds,
        report.articles_per_second,
        report
            .peak_memory_mb
            .map_or("unknown".to_string(), |mb| format!("{mb:.0} MB")),
        report.store_mb
    )?;
    writeln!(
        out,
        "search index: {} documents in {:.1} s, synced every 20,000 articles and at the end ({:.3} ms per article)",
        report.indexed,
        report.index_seconds,
        report.index_seconds * 1e3 / report.stored.max(1) as f64
    )?;
    writeln!(
        out,
        "\nms per article over the last {WINDOW} stored (all stages wall-clock; cleaning uses every core):"
    )?;
    writeln!(
        out,
        "{:>10} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7} {:>7} {:>7}",
        "articles", "read", "lookup", "clean", "write", "annotate", "events", "index", "total"
    )?;
    for row in report.rows.iter().chain([&report.overall]) {
        let label = if std::ptr::eq(row, &report.overall) {
            "overall".to_string()
        } else {
            row.articles.to_string()
        };
        writeln!(
            out,
            "{label:>10} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>9.3} {:>7.3} {:>7.3} {:>7.3}",
            row.read,
            row.lookup,
            row.clean,
            row.write,
            row.annotate,
            row.events,
            row.index,
            row.total
        )?;
    }
    let q = &report.quality;
    writeln!(
        out,
        "\nagainst the labels ({} of {} articles matched by URL):",
        q.matched, m.articles
    )?;
    writeln!(
        out,
        "  events   BCubed P {:.3} R {:.3} F1 {:.3} ({} predicted, {} labelled)",
        q.events.precision,
        q.events.recall,
        q.events.f1,
        q.events.predicted_clusters,
        q.events.gold_clusters
    )?;
    writeln!(
        out,
        "  stories  BCubed P {:.3} R {:.3} F1 {:.3} (an event outside every story is a story of its own)",
        q.stories.precision, q.stories.recall, q.stories.f1
    )?;
    writeln!(
        out,
        "  copies   {} of {} planted found; {} articles wrongly grouped as copies",
        q.copies_found, q.copies_planted, q.copies_wrong
    )?;
    Ok(ExitCode::SUCCESS)
}
