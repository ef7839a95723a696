//! `chronicle eval`: the quality metrics of the evaluation datasets.

use anyhow::{Context, Result};
use chronicle_clean::template::OutletTemplates;
use chronicle_clean::{CleanConfig, clean};
use chronicle_eval::extraction::{Dataset, Prediction, Report, score};
use chronicle_model::{BodyFormat, RawDocument};
use clap::{Args, Subcommand};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Article extraction: body and snippet precision/recall/F1, title/author/date
    /// accuracy, on a folder with `truth.jsonl` and `pages/` (or a folder of such folders).
    Extract(ExtractArgs),
    /// Cleaning on a labelled corpus (such as examples/corpus with
    /// examples/corpus-labels.json): labelled boilerplate left, labelled article
    /// sentences lost, title/outlet/date/author accuracy.
    Corpus(CorpusArgs),
    /// Direct quotes and their speakers on a folder with `attributions.jsonl` and
    /// `docs/` (PolNeAR layout).
    Quotes(QuotesArgs),
    /// Named entities on a CoNLL file (`word TAG` lines, IOB2).
    Ner(NerArgs),
    /// Near-duplicate detection on a labelled corpus: its labelled copies plus
    /// deliberate edits of every article, pairwise precision and recall.
    Copies(CopiesArgs),
    /// Event clustering on a labelled JSON-lines file: BCubed precision, recall and
    /// F1, documents fed one at a time (streaming) or all known at once (`--batch`).
    Events(EventsArgs),
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// The labelled file (`{"id", "event", "text", ...}` per line).
    file: PathBuf,
    /// Every document's terms counted before the first is assigned (all at once),
    /// instead of one document at a time.
    #[arg(long)]
    batch: bool,
    /// The order documents arrive in.
    #[arg(long, value_enum, default_value_t = Order::File)]
    order: Order,
    /// Only documents whose topic is at most this (the development split of a file
    /// that holds more).
    #[arg(long)]
    max_topic: Option<u64>,
    /// Override the joining threshold (for tuning).
    #[arg(long)]
    threshold: Option<f32>,
    /// Override the share of the score from names and figures (for tuning).
    #[arg(long)]
    named_weight: Option<f32>,
    /// Override the power of inverse document frequency (for tuning).
    #[arg(long)]
    idf_power: Option<f32>,
    /// Override the adaptive IDF range (for tuning).
    #[arg(long)]
    idf_range: Option<f32>,
    /// Override the days apart without discount (for tuning).
    #[arg(long)]
    grace_days: Option<f32>,
    /// Override how steeply the score falls with days apart (for tuning).
    #[arg(long)]
    time_power: Option<f32>,
    /// Override the window beyond which events are not candidates (days, for tuning).
    #[arg(long)]
    window_days: Option<f32>,
    /// Override the distinct terms below which a document is scored by its best match
    /// in an event (for tuning; 0 turns it off).
    #[arg(long)]
    short_terms: Option<usize>,
    /// Override how much naming different things costs (for tuning; 0 turns it off).
    #[arg(long)]
    conflict: Option<f32>,
    /// Override the share of an event's members whose heads must name a term for it
    /// to be core (for tuning).
    #[arg(long)]
    core_share: Option<f32>,
    /// Override how far apart two groups' cores must be to split an event by names
    /// (for tuning; 0 turns it off).
    #[arg(long)]
    core_split: Option<f32>,
    /// Override how many documents the vocabulary may hold for the first documents to
    /// be weighed again as it doubles (for tuning; 0 turns it off).
    #[arg(long)]
    warm_up: Option<usize>,
    /// Override how many words of the lead count more (for tuning).
    #[arg(long, default_value_t = chronicle_cluster::LEAD_WORDS)]
    lead_words: usize,
    /// Override how much more the lead counts (for tuning).
    #[arg(long, default_value_t = chronicle_cluster::LEAD_WEIGHT)]
    lead_weight: f32,
    /// Where a document's time comes from.
    #[arg(long, value_enum, default_value_t = Dates::None)]
    dates: Dates,
    /// Also write `{"id", "cluster"}` lines.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// The time a document is clustered at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dates {
    /// No time: text alone.
    None,
    /// The publication date in the URL's path, as ingest reads it.
    Url,
    /// The first date with its year that the text mentions.
    Text,
    /// The URL's date, else the text's.
    UrlText,
    /// The text's date, else the URL's.
    TextUrl,
    /// The latest year the text mentions.
    Year,
}

/// A document's time under `dates`, as seconds since the epoch (noon of the day).
fn eval_time(doc: &chronicle_eval::events::EventDoc, dates: Dates) -> Option<i64> {
    let url = || {
        doc.url
            .as_deref()
            .and_then(chronicle_clean::dates::date_from_url)
            .map(|d| d.date())
    };
    let text = || {
        chronicle_annotate::dates::mentions(&doc.text, None)
            .into_iter()
            .find(|m| m.absolute)
            .map(|m| m.date)
    };
    let day = match dates {
        Dates::None => None,
        Dates::Url => url(),
        Dates::Text => text(),
        Dates::UrlText => url().or_else(text),
        Dates::TextUrl => text().or_else(url),
        Dates::Year => chronicle_annotate::dates::mentions(&doc.text, None)
            .into_iter()
            .filter(|m| m.absolute)
            .map(|m| chrono::Datelike::year(&m.date))
            .max()
            .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 7, 1)),
    };
    day.and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|t| t.and_utc().timestamp())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Order {
    /// As in the file.
    File,
    /// Last line first.
    Reverse,
    /// A fixed pseudo-random shuffle.
    Shuffle,
}

#[derive(Debug, Args)]
pub struct CopiesArgs {
    /// The corpus folder.
    corpus: PathBuf,
    /// The labels file (articles with `copy_of`).
    labels: PathBuf,
    /// Print the report as JSON, with every wrong and missed pair.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct QuotesArgs {
    /// The dataset folder.
    dir: PathBuf,
    /// Also write one JSON line per predicted quote: {"doc", "content": [start, end], "speaker"}
    /// with character offsets.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct NerArgs {
    /// The CoNLL file.
    file: PathBuf,
    /// Also write the predicted tags as CoNLL lines `word predicted-tag`, aligned with the input.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Sentences read together as one document (names found in full in one sentence
    /// help recognise their short forms in the next).
    #[arg(long, default_value_t = 20)]
    window: usize,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// The corpus folder.
    corpus: PathBuf,
    /// The labels file.
    labels: PathBuf,
    /// Turn off one of chronicle's cleaning layers (repeatable).
    #[arg(long, value_name = "LAYER")]
    without: Vec<String>,
    /// Print the report as JSON, with every surviving string and lost sentence.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A dataset folder, or a folder holding several.
    dir: PathBuf,
    /// Also write one JSON line per page: {"id", "body", "title", "author", "date"}.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Turn off one of chronicle's cleaning layers (repeatable): boilerplate, repeats,
    /// title, template.
    #[arg(long, value_name = "LAYER")]
    without: Vec<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Run on one thread (for timing).
    #[arg(long)]
    single_thread: bool,
}

pub fn run(command: EvalCommand) -> Result<ExitCode> {
    match command {
        EvalCommand::Extract(args) => extract(args),
        EvalCommand::Corpus(args) => corpus(args),
        EvalCommand::Quotes(args) => quotes(args),
        EvalCommand::Ner(args) => ner(args),
        EvalCommand::Copies(args) => copies(args),
        EvalCommand::Events(args) => events(&args),
    }
}

/// The labelled corpus ingested into a temporary store: the store (to keep alive) and
/// its articles, with a function from a labelled path to its `file://` URL.
fn ingest_corpus(
    corpus: &Path,
    options: &chronicle_pipeline::IngestOptions,
) -> Result<(
    tempfile::TempDir,
    Vec<chronicle_store::StoredArticle>,
    impl Fn(&str) -> String + use<>,
)> {
    let temp = tempfile::tempdir()?;
    let mut store = chronicle_store::Store::open(temp.path())?;
    let inputs = vec![corpus.display().to_string()];
    chronicle_pipeline::ingest(&mut store, &inputs, options, &mut |_| {})?;
    let stored = store
        .read()
        .articles(&chronicle_store::ArticleFilter::default())?;
    let corpus_dir = corpus.canonicalize()?;
    let file_url = move |path: &str| {
        let full = corpus_dir.join(path);
        format!("file://{}", full.canonicalize().unwrap_or(full).display())
    };
    Ok((temp, stored, file_url))
}

fn copies(args: CopiesArgs) -> Result<ExitCode> {
    use chronicle_dedupe::{Signature, similarity};
    use chronicle_eval::copies::{Original, build, score};
    use std::collections::HashMap;
    let labels = chronicle_eval::corpus::Labels::open(&args.labels)?;
    let (_temp, stored, file_url) =
        ingest_corpus(&args.corpus, &chronicle_pipeline::IngestOptions::default())?;
    // Labelled articles with their stored text, grouped by the article they copy.
    let mut groups: HashMap<String, usize> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut originals = Vec::new();
    for label in &labels.articles {
        let location = label.url.clone().unwrap_or_else(|| file_url(&label.path));
        let Some(found) = stored
            .iter()
            .find(|s| s.locations.contains(&location) || s.article.url.as_ref() == Some(&location))
        else {
            continue;
        };
        // Exact duplicates are stored once.
        if !seen.insert(found.id) {
            continue;
        }
        let key = label.copy_of.clone().unwrap_or(location);
        let next = groups.len();
        let group = *groups.entry(key).or_insert(next);
        originals.push(Original {
            name: label.url.clone().unwrap_or_else(|| label.path.clone()),
            text: found.article.text.clone(),
            group,
        });
    }
    let items = build(&originals);
    // Grouping as ingest does it: candidates from shared LSH bands, joined when their
    // estimated similarity makes them copies.
    let signatures: Vec<Signature> = items.iter().map(|i| Signature::of(&i.text)).collect();
    let mut by_band: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (index, signature) in signatures.iter().enumerate() {
        let mut candidates: Vec<usize> = Vec::new();
        for band in signature.bands() {
            let list = by_band.entry(band).or_default();
            candidates.extend(list.iter().copied());
            list.push(index);
        }
        candidates.sort_unstable();
        candidates.dedup();
        for other in candidates {
            if signature.is_usable()
                && signatures[other].is_usable()
                && similarity(signature, &signatures[other]).is_copy()
            {
                let (a, b) = (root(&mut parent, index), root(&mut parent, other));
                parent[a] = b;
            }
        }
    }
    let predicted: Vec<usize> = (0..items.len()).map(|i| root(&mut parent, i)).collect();
    let report = score(&items, &predicted);
    let mut out = std::io::stdout().lock();
    if args.json {
        return print_json(&mut out, &report);
    }
    writeln!(
        out,
        "{}: {} texts ({} labelled articles and their edits), {} true pairs",
        args.corpus.display(),
        report.items,
        originals.len(),
        report.true_pairs
    )?;
    writeln!(
        out,
        "  pairs     P {:.3}  R {:.3}  F1 {:.3}  ({} predicted, {} correct)",
        report.precision, report.recall, report.f1, report.predicted_pairs, report.correct_pairs
    )?;
    for (edit, (found, total)) in &report.by_edit {
        writeln!(
            out,
            "  {edit:<12} {found} of {total} grouped with their original"
        )?;
    }
    let (apart, total) = report.shared_opening_apart;
    writeln!(
        out,
        "  shared opening: {apart} of {total} kept apart from the article whose opening they share"
    )?;
    for (a, b) in report.wrong.iter().take(10) {
        writeln!(out, "  wrong: {a} + {b}")?;
    }
    for (a, b) in report.missed_labelled.iter().take(10) {
        writeln!(out, "  missed labelled copy: {a} + {b}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Byte offset to character offset, for a sorted walk over one text.
fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

fn quotes(args: QuotesArgs) -> Result<ExitCode> {
    use chronicle_eval::quotes::{PredictedQuote, QuoteDataset, score};
    let dataset = QuoteDataset::open(&args.dir)?;
    let start = Instant::now();
    let predictions: Vec<PredictedQuote> = dataset
        .docs
        .par_iter()
        .map(|doc| -> Result<Vec<PredictedQuote>> {
            let text = dataset.text(doc)?;
            let article = chronicle_model::Article {
                text: text.clone(),
                ..chronicle_model::Article::default()
            };
            let annotated =
                chronicle_annotate::annotate(&article, &chronicle_annotate::RuleRecognizer);
            // The dataset's direct quotes are whole quotations; partial quotes inside
            // reported speech are indirect attributions there.
            Ok(annotated
                .quotes
                .iter()
                .filter(|quote| !quote.partial)
                .map(|quote| PredictedQuote {
                    doc: doc.clone(),
                    content: [
                        char_offset(&text, quote.span.start),
                        char_offset(&text, quote.span.end),
                    ],
                    speaker: quote
                        .speaker
                        .map(|index| annotated.entities[index].name.clone())
                        .or_else(|| quote.speaker_text.clone()),
                })
                .collect())
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    if let Some(path) = &args.predictions {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        );
        for prediction in &predictions {
            serde_json::to_writer(&mut file, prediction)?;
            file.write_all(b"\n")?;
        }
        file.flush()?;
    }
    let report = score(&dataset.gold, &predictions);
    let mut out = std::io::stdout().lock();
    if args.json {
        return print_json(&mut out, &report);
    }
    writeln!(
        out,
        "{}: {} documents, {} gold direct quotes, {} predicted, {:.0} documents/s",
        args.dir.display(),
        dataset.docs.len(),
        report.gold,
        report.predicted,
        dataset.docs.len() as f64 / seconds.max(1e-9)
    )?;
    writeln!(
        out,
        "  quotes    P {:.3}  R {:.3}  F1 {:.3}",
        report.precision, report.recall, report.f1
    )?;
    writeln!(
        out,
        "  speaker   {:.3} over all matched quotes ({} of {}), {:.3} where the gold source names someone ({} of {})",
        report.speaker_accuracy(),
        report.speaker_correct,
        report.speaker_total,
        report.named_speaker_accuracy(),
        report.named_correct,
        report.named_total
    )?;
    Ok(ExitCode::SUCCESS)
}

fn ner(args: NerArgs) -> Result<ExitCode> {
    use chronicle_annotate::{EntityKind, Recognizer, RuleRecognizer};
    let sentences = chronicle_eval::ner::read(&args.file)?;
    let window = args.window.max(1);
    let start = Instant::now();
    let predicted: Vec<Vec<String>> = sentences
        .par_chunks(window)
        .flat_map_iter(|chunk| {
            // The words of each sentence joined with spaces, one sentence per paragraph.
            let mut text = String::new();
            let mut spans: Vec<Vec<std::ops::Range<usize>>> = Vec::new();
            let mut ranges = Vec::new();
            for sentence in chunk {
                let sentence_start = text.len();
                let mut word_spans = Vec::new();
                for (index, word) in sentence.words.iter().enumerate() {
                    if index > 0 {
                        text.push(' ');
                    }
                    word_spans.push(text.len()..text.len() + word.len());
                    text.push_str(word);
                }
                ranges.push(sentence_start..text.len());
                spans.push(word_spans);
                text.push_str("\n\n");
            }
            let mentions = RuleRecognizer.recognize(&text, &ranges);
            spans
                .into_iter()
                .map(|word_spans| {
                    let mut tags = vec!["O".to_string(); word_spans.len()];
                    for mention in &mentions {
                        let kind = match mention.kind {
                            EntityKind::Person => "PER",
                            EntityKind::Organisation => "ORG",
                            EntityKind::Place => "LOC",
                            EntityKind::Other => "MISC",
                        };
                        let inside: Vec<usize> = word_spans
                            .iter()
                            .enumerate()
                            .filter(|(_, w)| {
                                w.start < mention.span.end && mention.span.start < w.end
                            })
                            .map(|(i, _)| i)
                            .collect();
                        for (position, &word) in inside.iter().enumerate() {
                            tags[word] =
                                format!("{}-{kind}", if position == 0 { "B" } else { "I" });
                        }
                    }
                    tags
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    if let Some(path) = &args.predictions {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        );
        for (sentence, tags) in sentences.iter().zip(&predicted) {
            for (word, tag) in sentence.words.iter().zip(tags) {
                writeln!(file, "{word} {tag}")?;
            }
            writeln!(file)?;
        }
        file.flush()?;
    }
    let report = chronicle_eval::ner::score(&sentences, &predicted);
    let mut out = std::io::stdout().lock();
    if args.json {
        return print_json(&mut out, &report);
    }
    writeln!(
        out,
        "{}: {} sentences, {} gold entities, {:.0} sentences/s",
        args.file.display(),
        sentences.len(),
        report.overall.gold,
        sentences.len() as f64 / seconds.max(1e-9)
    )?;
    let line = |name: &str, s: &chronicle_eval::ner::TypeScore| {
        format!(
            "  {name:<8} P {:.3}  R {:.3}  F1 {:.3}  ({} gold, {} predicted, {} correct)",
            s.precision, s.recall, s.f1, s.gold, s.predicted, s.correct
        )
    };
    writeln!(out, "{}", line("overall", &report.overall))?;
    for (kind, score) in &report.types {
        writeln!(out, "{}", line(kind, score))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn corpus(args: CorpusArgs) -> Result<ExitCode> {
    let labels = chronicle_eval::corpus::Labels::open(&args.labels)?;
    let mut options = chronicle_pipeline::IngestOptions::default();
    for layer in &args.without {
        options
            .clean
            .layers
            .disable(layer)
            .map_err(anyhow::Error::msg)?;
    }
    let (_temp, stored, file_url) = ingest_corpus(&args.corpus, &options)?;
    let found: Vec<chronicle_eval::corpus::Found<'_>> = stored
        .iter()
        .map(|s| chronicle_eval::corpus::Found {
            article: &s.article,
            locations: &s.locations,
        })
        .collect();
    let report = chronicle_eval::corpus::score(&labels, &found, &file_url);
    let mut out = std::io::stdout().lock();
    if args.json {
        return print_json(&mut out, &report);
    }
    let n = report.articles;
    writeln!(
        out,
        "{}: {n} labelled articles ({} not found)",
        args.corpus.display(),
        report.missing.len()
    )?;
    writeln!(
        out,
        "  boilerplate left   {:>4} of {}",
        report.boilerplate_left.len(),
        report.boilerplate_total
    )?;
    writeln!(
        out,
        "  sentences lost     {:>4} of {}",
        report.keep_lost.len(),
        report.keep_total
    )?;
    for (field, correct) in [
        ("title", report.title_correct),
        ("outlet", report.outlet_correct),
        ("date", report.date_correct),
        ("authors", report.authors_correct),
    ] {
        writeln!(
            out,
            "  {field:<18} {:.3}  ({correct} of {n})",
            correct as f64 / n.max(1) as f64
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn dataset_dirs(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.join("truth.jsonl").is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("truth.jsonl").is_file() && path.join("pages").is_dir())
        .collect();
    dirs.sort();
    anyhow::ensure!(
        !dirs.is_empty(),
        "{} holds no dataset (a truth.jsonl beside a pages/ folder)",
        dir.display()
    );
    Ok(dirs)
}

fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let mut config = CleanConfig::default();
    for layer in &args.without {
        config.layers.disable(layer).map_err(anyhow::Error::msg)?;
    }
    let mut predictions_file = match &args.predictions {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => None,
    };
    let mut reports = Vec::new();
    for dir in dataset_dirs(&args.dir)? {
        let dataset = Dataset::open(&dir)?;
        let start = Instant::now();
        let predictions = if args.single_thread {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
            pool.install(|| predict(&dataset, &config))
        } else {
            predict(&dataset, &config)
        };
        let seconds = start.elapsed().as_secs_f64();
        if let Some(file) = predictions_file.as_mut() {
            for prediction in &predictions {
                serde_json::to_writer(&mut *file, prediction)?;
                file.write_all(b"\n")?;
            }
        }
        let report = score(&dataset.truth, &predictions);
        let name = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        reports.push((name, report, dataset.truth.len() as f64 / seconds));
    }
    if let Some(file) = predictions_file.as_mut() {
        file.flush()?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let json: Vec<serde_json::Value> = reports
            .iter()
            .map(|(name, report, rate)| serde_json::json!({"dataset": name, "pages_per_second": rate, "report": report}))
            .collect();
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        for (name, report, rate) in &reports {
            print_report(&mut out, name, report, *rate)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Cleans every page (in parallel), then lets the outlet-template layer see them in
/// dataset order, as an ingest would.
fn predict(dataset: &Dataset, config: &CleanConfig) -> Vec<Prediction> {
    let articles: Vec<Option<chronicle_model::Article>> = dataset
        .truth
        .par_iter()
        .map(|truth| {
            let bytes = std::fs::read(dataset.page_path(&truth.id)).ok()?;
            let mut raw = RawDocument::new(
                truth
                    .url
                    .clone()
                    .unwrap_or_else(|| format!("file:///{}.html", truth.id)),
                bytes,
            );
            raw.format = Some(BodyFormat::Html);
            raw.hints.url = truth.url.clone();
            clean(&raw, config).ok()
        })
        .collect();
    let mut templates = OutletTemplates::default();
    dataset
        .truth
        .iter()
        .zip(articles)
        .map(|(truth, article)| {
            let Some(mut article) = article else {
                return Prediction {
                    id: truth.id.clone(),
                    ..Prediction::default()
                };
            };
            if config.layers.template {
                templates.observe(&article);
                templates.apply(&mut article);
            }
            Prediction {
                id: truth.id.clone(),
                body: Some(article.text),
                title: article.title,
                author: (!article.authors.is_empty()).then(|| article.authors.join("; ")),
                date: article.published.map(|d| d.date().to_string()),
            }
        })
        .collect()
}

fn print_report(out: &mut impl Write, name: &str, report: &Report, rate: f64) -> Result<()> {
    writeln!(
        out,
        "{name}: {} pages ({} with no text), {rate:.1} pages/s",
        report.pages, report.empty
    )?;
    if let Some(body) = &report.body {
        writeln!(
            out,
            "  body      P {:.3}  R {:.3}  F1 {:.3} (±{:.3})  exact {:.3}  ({} pages)",
            body.precision, body.recall, body.f1, body.f1_std, body.accuracy, body.pages
        )?;
    }
    if let Some(snippets) = &report.snippets {
        writeln!(
            out,
            "  snippets  P {:.3}  R {:.3}  F1 {:.3}  accuracy {:.3}  (TP {} FN {} FP {} TN {})",
            snippets.precision(),
            snippets.recall(),
            snippets.f1(),
            snippets.accuracy(),
            snippets.true_positives,
            snippets.false_negatives,
            snippets.false_positives,
            snippets.true_negatives
        )?;
    }
    for (field, accuracy) in [
        ("title", report.title),
        ("author", report.author),
        ("date", report.date),
    ] {
        if accuracy.total > 0 {
            writeln!(
                out,
                "  {field:<9} {:.3}  ({} of {})",
                accuracy.accuracy(),
                accuracy.correct,
                accuracy.total
            )?;
        }
    }
    Ok(())
}

/// A report as pretty JSON, for `--json`.
fn print_json(out: &mut impl Write, report: &impl serde::Serialize) -> Result<ExitCode> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// `chronicle eval events FILE`.
fn events(args: &EventsArgs) -> Result<ExitCode> {
    use chronicle_cluster::{Clusterer, Config, DocTerms};
    let mut docs = chronicle_eval::events::read(&args.file)?;
    if let Some(max) = args.max_topic {
        docs.retain(|d| d.topic.is_none_or(|t| t <= max));
    }
    let mut order: Vec<usize> = (0..docs.len()).collect();
    match args.order {
        Order::File => {}
        Order::Reverse => order.reverse(),
        Order::Shuffle => {
            // A fixed Fisher-Yates shuffle (SplitMix64), the same on every run.
            let mut state = 0x5eed_u64;
            for i in (1..order.len()).rev() {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut x = state;
                x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                order.swap(i, ((x ^ (x >> 31)) % (i as u64 + 1)) as usize);
            }
        }
    }
    let mut config = Config::default();
    if let Some(threshold) = args.threshold {
        config.threshold = threshold;
    }
    if let Some(weight) = args.named_weight {
        config.named_weight = weight;
    }
    if args.idf_power.is_some() {
        config.idf_power = args.idf_power;
    }
    if let Some(range) = args.idf_range {
        config.idf_range = range;
    }
    if let Some(days) = args.grace_days {
        config.grace_days = days;
    }
    if let Some(power) = args.time_power {
        config.time_power = power;
    }
    if let Some(days) = args.window_days {
        config.window_days = days;
    }
    if let Some(terms) = args.short_terms {
        config.short_terms = terms;
    }
    if let Some(conflict) = args.conflict {
        config.conflict = conflict;
    }
    if let Some(share) = args.core_share {
        config.core_share = share;
    }
    if let Some(split) = args.core_split {
        config.core_split = split;
    }
    if let Some(warm_up) = args.warm_up {
        config.warm_up = warm_up;
    }
    let started = Instant::now();
    let terms: Vec<DocTerms> = docs
        .par_iter()
        .map(|d| DocTerms::weighted(None, &d.text, args.lead_words, args.lead_weight))
        .collect();
    let times: Vec<Option<i64>> = docs.iter().map(|d| eval_time(d, args.dates)).collect();
    let mut clusterer = Clusterer::new(config);
    if args.batch {
        for t in &terms {
            clusterer.observe(t);
        }
    }
    let (mut merges, mut splits) = (0usize, 0usize);
    for &i in &order {
        let assignment = if args.batch {
            clusterer.assign(i as u64, &terms[i], times[i])
        } else {
            clusterer.add(i as u64, &terms[i], times[i])
        };
        merges += assignment.merges.len();
        splits += usize::from(assignment.split.is_some());
    }
    merges += clusterer.repair().len();
    let predicted: Vec<u64> = (0..docs.len())
        .map(|i| clusterer.event_of(i as u64).unwrap_or(u64::MAX))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(path) = &args.predictions {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        for (doc, cluster) in docs.iter().zip(&predicted) {
            serde_json::to_writer(
                &mut file,
                &serde_json::json!({"id": doc.id, "cluster": cluster}),
            )?;
            file.write_all(b"\n")?;
        }
        file.flush()?;
    }
    let gold: Vec<&str> = docs.iter().map(|d| d.event.as_str()).collect();
    let report = chronicle_eval::events::bcubed(&gold, &predicted);
    let mut out = std::io::stdout().lock();
    if args.json {
        return print_json(&mut out, &report);
    }
    writeln!(
        out,
        "{}: {} documents, {} gold events; {} ({:?} order), {:.0} documents/s",
        args.file.display(),
        report.documents,
        report.gold_clusters,
        if args.batch { "batch" } else { "streaming" },
        args.order,
        report.documents as f64 / elapsed.max(1e-9)
    )?;
    writeln!(
        out,
        "BCubed precision {:.3}  recall {:.3}  F1 {:.3}  ({} predicted events, {} merges, {} splits)",
        report.precision, report.recall, report.f1, report.predicted_clusters, merges, splits
    )?;
    Ok(ExitCode::SUCCESS)
}
