//! `chronicle ingest`, `extract`, `reprocess` and `check`.

use crate::output::{Format, article_markdown, article_text};
use anyhow::{Context, Result};
use chronicle_clean::CleanConfig;
use chronicle_ingest::IngestConfig;
use chronicle_pipeline::{Extracted, IngestOptions, IngestStats, IngestSummary};
use chronicle_store::Store;
use clap::Args;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// Options shared by the commands that read inputs.
#[derive(Debug, Args)]
pub struct ReadOptions {
    /// The outlet's name, for inputs that do not say it (plain text).
    #[arg(long)]
    outlet: Option<String>,
    /// Fetch the linked page of feed items that carry only a summary.
    #[arg(long)]
    fetch: bool,
    /// Allow URLs on private, loopback and link-local addresses.
    #[arg(long)]
    allow_private: bool,
    /// Do not consult robots.txt before fetching pages.
    #[arg(long)]
    ignore_robots: bool,
    /// Seconds allowed for each HTTP request.
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS")]
    timeout: f64,
    /// Largest document accepted, in megabytes.
    #[arg(long, default_value_t = 32, value_name = "MB")]
    max_size: u64,
    /// Turn off one of chronicle's cleaning layers (repeatable): boilerplate, repeats,
    /// title, template.
    #[arg(long, value_name = "LAYER")]
    without: Vec<String>,
}

impl ReadOptions {
    fn ingest_config(&self) -> Result<IngestConfig> {
        anyhow::ensure!(
            self.timeout > 0.0 && self.timeout.is_finite(),
            "--timeout must be a positive number of seconds"
        );
        let mut config = IngestConfig {
            outlet: self.outlet.clone(),
            fetch_linked: self.fetch,
            max_document_bytes: self.max_size.saturating_mul(1024 * 1024),
            ..IngestConfig::default()
        };
        config.http.allow_private_addresses = self.allow_private;
        config.http.respect_robots = !self.ignore_robots;
        config.http.timeout = Duration::from_secs_f64(self.timeout);
        Ok(config)
    }

    fn clean_config(&self) -> Result<CleanConfig> {
        let mut config = CleanConfig::default();
        for layer in &self.without {
            config.layers.disable(layer).map_err(anyhow::Error::msg)?;
        }
        Ok(config)
    }
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files, folders, `-` (standard input) or http(s) URLs.
    #[arg(required = true, value_name = "PATH|URL")]
    inputs: Vec<String>,
    #[command(flatten)]
    read: ReadOptions,
    /// How to print the summary.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    format: SummaryFormat,
    /// Documents written per transaction.
    #[arg(long, default_value_t = 256, hide = true)]
    batch_size: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

pub fn run(data: &Path, args: IngestArgs) -> Result<ExitCode> {
    let options = IngestOptions {
        ingest: args.read.ingest_config()?,
        clean: args.read.clean_config()?,
        batch_size: args.batch_size,
    };
    let mut store = Store::open(data)?;
    let summary = ingest_with_progress(&mut store, &args.inputs, &options)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        SummaryFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        }
        SummaryFormat::Text => print_summary(&mut out, &summary, data)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs an ingest with a progress line on a terminal.
pub fn ingest_with_progress(
    store: &mut Store,
    inputs: &[String],
    options: &IngestOptions,
) -> Result<IngestSummary> {
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let start = std::time::Instant::now();
    let mut progress = |stats: &IngestStats| {
        let rate = stats.read as f64 / start.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!(
            "read {} · new {} · duplicates {} · unchanged {} · skipped {} · {rate:.0} documents/s",
            stats.read,
            stats.cleaned,
            stats.duplicates,
            stats.unchanged,
            stats.skipped_total()
        ));
    };
    let result = chronicle_pipeline::ingest(store, inputs, options, &mut progress);
    bar.finish_and_clear();
    Ok(result?)
}

pub fn print_summary(out: &mut impl Write, summary: &IngestSummary, data: &Path) -> Result<()> {
    let stats = &summary.stats;
    writeln!(out, "Ingested into {}", data.display())?;
    writeln!(out, "  read         {:>8}", stats.read)?;
    writeln!(out, "  cleaned      {:>8}  new articles", stats.cleaned)?;
    writeln!(
        out,
        "  duplicates   {:>8}  exact copies stored once, with their locations",
        stats.duplicates
    )?;
    writeln!(
        out,
        "  unchanged    {:>8}  already stored from the same source",
        stats.unchanged
    )?;
    if stats.annotated.copies > 0 {
        writeln!(
            out,
            "  near copies  {:>8}  syndicated or cross-posted, grouped with their original",
            stats.annotated.copies
        )?;
    }
    if stats.events.articles > 0 {
        writeln!(
            out,
            "  new events   {:>8}  ({} stories started)",
            stats.events.new_events, stats.events.new_stories
        )?;
        writeln!(
            out,
            "  updated      {:>8}  events with new sources{}{}",
            stats.events.updated_events,
            match stats.events.merges {
                0 => String::new(),
                1 => ", 1 merge of two events".to_string(),
                n => format!(", {n} merges of events"),
            },
            match stats.events.splits {
                0 => String::new(),
                1 => ", 1 event split in two".to_string(),
                n => format!(", {n} events split in two"),
            }
        )?;
    }
    writeln!(out, "  skipped      {:>8}", stats.skipped_total())?;
    for (reason, count) in &stats.skipped {
        writeln!(out, "    {:<12}{count:>7}", reason.name())?;
    }
    if stats.template_paragraphs > 0 {
        writeln!(
            out,
            "  template lines removed {}",
            stats.template_paragraphs
        )?;
    }
    writeln!(
        out,
        "  time         {:>8.2} s  ({:.1} documents/s)",
        summary.seconds, summary.documents_per_second
    )?;
    if !summary.skips.is_empty() {
        writeln!(out, "Skipped:")?;
        for skip in summary.skips.iter().take(50) {
            writeln!(out, "  {skip}")?;
        }
        if summary.skips.len() > 50 {
            writeln!(
                out,
                "  … and {} more (--format json lists them all)",
                summary.skips.len() - 50
            )?;
        }
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files, `-` (standard input) or http(s) URLs.
    #[arg(required = true, value_name = "FILE|URL")]
    inputs: Vec<String>,
    #[command(flatten)]
    read: ReadOptions,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also list what chronicle's own cleaning layers removed, with the reason.
    #[arg(long)]
    explain: bool,
    /// Also show what the article says: entities with roles, quotes with speakers,
    /// dates mentioned.
    #[arg(long)]
    annotate: bool,
}

pub fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let ingest = args.read.ingest_config()?;
    let clean = args.read.clean_config()?;
    let results = chronicle_pipeline::extract(&args.inputs, &ingest, &clean);
    let mut out = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let mut articles = 0;
    let mut json = Vec::new();
    for (index, result) in results.into_iter().enumerate() {
        match result {
            Extracted::Skip(skip) => {
                writeln!(stderr, "skipped {skip}")?;
            }
            Extracted::Article(mut article) => {
                articles += 1;
                if !args.explain && args.format != Format::Json {
                    article.removed.clear();
                }
                match args.format {
                    Format::Json => {
                        json.push(*article);
                        continue;
                    }
                    Format::Text => {
                        if index > 0 {
                            writeln!(out, "\n{}\n", "-".repeat(72))?;
                        }
                        write!(out, "{}", article_text(&article, &[]))?;
                    }
                    Format::Md => {
                        if index > 0 {
                            writeln!(out, "\n---\n")?;
                        }
                        write!(out, "{}", article_markdown(&article, &[]))?;
                    }
                }
                if args.annotate {
                    let annotated =
                        chronicle_annotate::annotate(&article, &chronicle_annotate::RuleRecognizer);
                    write!(
                        out,
                        "{}",
                        crate::output::annotations_text(&article, &annotated)
                    )?;
                }
                if args.explain && args.format != Format::Json && !article.removed.is_empty() {
                    writeln!(out, "\nRemoved:")?;
                    for removal in &article.removed {
                        writeln!(out, "  [{}] {}", removal.reason.name(), removal.text)?;
                    }
                }
            }
        }
    }
    if args.format == Format::Json {
        if !args.explain {
            for article in &mut json {
                article.removed.clear();
            }
        }
        let values: Vec<serde_json::Value> = json
            .iter()
            .map(|article| {
                let mut value = serde_json::to_value(article)?;
                if args.annotate
                    && let Some(object) = value.as_object_mut()
                {
                    let annotated =
                        chronicle_annotate::annotate(article, &chronicle_annotate::RuleRecognizer);
                    object.insert("annotations".into(), serde_json::to_value(&annotated)?);
                }
                Ok(value)
            })
            .collect::<Result<_, serde_json::Error>>()?;
        // One document prints as an object, several as an array.
        if values.len() == 1 {
            serde_json::to_writer_pretty(&mut out, &values[0])?;
        } else {
            serde_json::to_writer_pretty(&mut out, &values)?;
        }
        writeln!(out)?;
    }
    if articles == 0 {
        anyhow::bail!(
            "no article could be extracted from {}",
            args.inputs.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reprocess(data: &Path) -> Result<ExitCode> {
    let mut store = Store::open(data)?;
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let stats = chronicle_pipeline::reprocess(&mut store, &CleanConfig::default(), &mut progress)
        .context("reprocessing failed")?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Reprocessed {} raw documents in {}",
        stats.documents,
        data.display()
    )?;
    writeln!(out, "  articles        {:>8}", stats.articles)?;
    writeln!(out, "  skipped         {:>8}", stats.skipped)?;
    writeln!(
        out,
        "  merged          {:>8}  articles whose text now equals another's",
        stats.merged
    )?;
    writeln!(out, "  template lines  {:>8}", stats.template_paragraphs)?;
    Ok(ExitCode::SUCCESS)
}

pub fn check(data: &Path) -> Result<ExitCode> {
    let snapshot = Store::open_read_only(data)?;
    let read = snapshot.read();
    let problems = read.check()?;
    let counts = read.counts()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: {} articles, {} raw documents ({} skipped), {} locations",
        data.display(),
        counts.articles,
        counts.raw_documents,
        counts.skipped,
        counts.locations
    )?;
    if problems.is_empty() {
        writeln!(out, "ok")?;
        Ok(ExitCode::SUCCESS)
    } else {
        for problem in &problems {
            writeln!(out, "problem: {problem}")?;
        }
        Ok(ExitCode::FAILURE)
    }
}
