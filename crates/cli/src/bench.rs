//! `chronicle bench`: re-runnable measurements of how the pipeline's costs grow with
//! the store.

use anyhow::{Context, Result, bail};
use chronicle_model::{Article, ArticleId, RawDocument};
use chronicle_pipeline::Annotator;
use chronicle_store::{Store, Write, Written, raw_digest};
use chronicle_synth::Rng;
use clap::{Args, Subcommand};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Near-duplicate detection as the store grows: fills a fresh store with generated
    /// articles (some of them edited copies of earlier ones) through the real store
    /// writes and annotation stage, and reports the time per article at each tenfold
    /// size.
    Copies(CopiesArgs),
    /// Writes a synthetic, labelled news corpus: articles from many outlets about many
    /// events and stories, as web pages in WARC files, RSS feeds, Markdown and JSON
    /// lines, one folder per day, with `labels.jsonl` beside it.
    Gen(GenArgs),
    /// End-to-end ingest of a generated corpus into a fresh store: articles per second
    /// overall and per stage, the time per article as the store grows, peak memory,
    /// store size, and the events, stories and copies found against the labels.
    Run(RunArgs),
    /// The server under load on loopback: serves the store (--data) in this process,
    /// keeps many keep-alive connections requesting pages for a while, and reports
    /// throughput and latency percentiles per path.
    Load(crate::bench_load::LoadArgs),
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// How many articles to generate.
    #[arg(long, default_value_t = 10_000)]
    articles: u64,
    /// The folder to write (must not exist or be empty).
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Articles published per day on average.
    #[arg(long, default_value_t = 1500)]
    per_day: u64,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// How many articles to generate and ingest.
    #[arg(long, default_value_t = 10_000)]
    pub(crate) articles: u64,
    /// Working folder: the corpus is generated into it (or reused when it was generated
    /// with the same settings), and the store is made fresh in `<out>/store`.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Articles published per day on average.
    #[arg(long, default_value_t = 1500)]
    pub(crate) per_day: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub struct CopiesArgs {
    /// How many articles to generate.
    #[arg(long, default_value_t = 100_000)]
    articles: u64,
    /// A fresh data directory for the generated store (must not exist or be empty).
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// One article in this many is an edited copy of an earlier one.
    #[arg(long, default_value_t = 20)]
    copy_every: u64,
}

pub fn run(data: &std::path::Path, command: BenchCommand) -> Result<ExitCode> {
    match command {
        BenchCommand::Load(args) => crate::bench_load::run(data, &args),
        BenchCommand::Copies(args) => copies(&args),
        BenchCommand::Gen(args) => generate(&args),
        BenchCommand::Run(args) => crate::bench_run::run(&args),
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tas", "vo", "bri", "den", "sul", "ar", "el", "pon", "ti", "gra",
    "mor", "ne", "qui", "sa", "tor", "ul", "ves", "zan", "ho", "lin", "dru", "fe", "cal", "om",
];

/// A vocabulary of made-up words, most frequent first.
fn vocabulary(rng: &mut Rng, size: usize) -> Vec<String> {
    let mut words = std::collections::BTreeSet::new();
    let mut ordered = Vec::with_capacity(size);
    while ordered.len() < size {
        let syllables = 1 + rng.below(3) as usize + usize::from(ordered.len() > 200);
        let word: String = (0..syllables)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize])
            .collect();
        if words.insert(word.clone()) {
            ordered.push(word);
        }
    }
    ordered
}

/// A text of made-up sentences whose word frequencies fall off like a language's
/// (log-uniform ranks, close to Zipf), 120 to 600 words long.
fn text(rng: &mut Rng, words: &[String]) -> String {
    let length = 120 + (rng.unit().powi(2) * 480.0) as usize;
    let mut out = String::with_capacity(length * 7);
    let mut in_sentence = 0;
    for _ in 0..length {
        let rank = ((words.len() as f64).powf(rng.unit()) as usize).saturating_sub(1);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&words[rank.min(words.len() - 1)]);
        in_sentence += 1;
        if in_sentence >= 8 && rng.below(10) < 2 {
            out.push('.');
            in_sentence = 0;
        }
    }
    out.push('.');
    out
}

/// An edited copy: the first sentence dropped or a line added, a few words changed.
fn edited(rng: &mut Rng, original: &str, words: &[String]) -> String {
    let mut sentences: Vec<&str> = original.split_inclusive(". ").collect();
    if sentences.len() > 3 && rng.below(2) == 0 {
        sentences.remove(0);
    }
    let mut tokens: Vec<String> = sentences.concat().split(' ').map(str::to_string).collect();
    for _ in 0..3 {
        let at = rng.below(tokens.len() as u64) as usize;
        tokens[at] = words[rng.below(words.len() as u64) as usize].clone();
    }
    let mut copy = tokens.join(" ");
    if rng.below(2) == 0 {
        copy.push_str(" distributed by the wire.");
    }
    copy
}

/// Fails unless `dir` is missing or empty.
pub(crate) fn ensure_empty(dir: &std::path::Path, what: &str) -> Result<()> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .next()
            .is_some()
    {
        bail!("{} is not empty: {what}", dir.display());
    }
    Ok(())
}

fn generate(args: &GenArgs) -> Result<ExitCode> {
    ensure_empty(&args.out, "the generator writes into an empty folder")?;
    let config = chronicle_synth::Config {
        articles: args.articles,
        seed: args.seed,
        per_day: args.per_day.max(1),
        ..chronicle_synth::Config::default()
    };
    let started = Instant::now();
    let manifest = chronicle_synth::corpus::write(&args.out, config)
        .with_context(|| format!("writing the corpus into {}", args.out.display()))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} articles over {} days from {} outlets: {} events, {} stories, {} copies; {:.1} MB in {:.1} s",
        manifest.articles,
        manifest.days,
        manifest.outlets,
        manifest.events,
        manifest.stories,
        manifest.copies,
        manifest.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    )?;
    let formats: Vec<String> = manifest
        .formats
        .iter()
        .map(|(format, n)| format!("{format} {n}"))
        .collect();
    writeln!(out, "formats: {}", formats.join(", "))?;
    writeln!(
        out,
        "ingest with: chronicle ingest {}",
        args.out.join("corpus").display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn copies(args: &CopiesArgs) -> Result<ExitCode> {
    ensure_empty(&args.out, "the benchmark needs a fresh data directory")?;
    let mut store = Store::open(&args.out)?;
    let mut annotator = Annotator::load(&store)?;
    let mut rng = Rng::new(args.seed);
    let words = vocabulary(&mut rng, 30_000);
    let mut texts: Vec<String> = Vec::new();
    let mut planted: u64 = 0;
    let mut found: u64 = 0;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let batch_size: u64 = 1000;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:>10}  {:>14}  {:>16}  {:>8}  {:>8}",
        "articles", "write ms/art", "annotate ms/art", "planted", "found"
    )?;
    // Rows at 10k, 20k, 50k, 100k, ...: each the mean over the last ten batches.
    let checkpoints: Vec<u64> = (4..10)
        .flat_map(|e| [1, 2, 5].map(|m| m * 10u64.pow(e)))
        .filter(|&c| c < args.articles)
        .chain([args.articles])
        .collect();
    let mut recent: std::collections::VecDeque<(Duration, Duration, u64)> =
        std::collections::VecDeque::new();
    let mut done = 0u64;
    while done < args.articles {
        let n = batch_size.min(args.articles - done);
        let mut writes = Vec::with_capacity(n as usize);
        for i in done..done + n {
            let body = if i >= 100 && args.copy_every > 0 && i % args.copy_every == 0 {
                planted += 1;
                // Syndication is recent: copy one of the last ten thousand articles.
                let back = 1 + rng.below(texts.len().min(10_000) as u64) as usize;
                let original = texts[texts.len() - back].clone();
                edited(&mut rng, &original, &words)
            } else {
                text(&mut rng, &words)
            };
            let raw = RawDocument::new(format!("bench://copies/{i}"), body.clone().into_bytes());
            let article = Article {
                url: Some(format!("https://bench.example/{i}")),
                title: Some(format!("Article {i}")),
                text: body.clone(),
                ..Article::default()
            };
            writes.push(Write::Article {
                digest: raw_digest(&raw),
                raw,
                article: Box::new(article),
            });
            texts.push(body);
            if texts.len() > 20_000 {
                texts.drain(..10_000);
            }
        }
        let started = Instant::now();
        let written = store.write(writes, &[], &now)?;
        let write_time = started.elapsed();
        let ids: Vec<ArticleId> = written
            .iter()
            .filter_map(|w| match w {
                Written::New(id) => Some(*id),
                _ => None,
            })
            .collect();
        let started = Instant::now();
        let stats = annotator.annotate(&mut store, &ids)?;
        recent.push_back((write_time, started.elapsed(), n));
        if recent.len() > 10 {
            recent.pop_front();
        }
        found += stats.copies;
        done += n;
        if checkpoints.contains(&done) {
            let count: u64 = recent.iter().map(|r| r.2).sum();
            let per = |d: Duration| d.as_secs_f64() * 1000.0 / count as f64;
            let (write, annotate) = recent
                .iter()
                .fold((Duration::ZERO, Duration::ZERO), |(w, a), r| {
                    (w + r.0, a + r.1)
                });
            writeln!(
                out,
                "{done:>10}  {:>14.3}  {:>16.3}  {planted:>8}  {found:>8}",
                per(write),
                per(annotate)
            )?;
            out.flush()?;
        }
    }
    writeln!(
        out,
        "each row: the mean over the last {} articles written; {planted} copies planted, {found} articles found to be copies",
        10 * batch_size
    )?;
    Ok(ExitCode::SUCCESS)
}
