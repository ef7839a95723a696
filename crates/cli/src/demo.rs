//! `chronicle demo`: the bundled sample corpus ingested into a fresh store.

use crate::ingest::{ingest_with_progress, print_summary};
use anyhow::{Context, Result};
use chronicle_pipeline::IngestOptions;
use chronicle_store::{ArticleFilter, Store};
use clap::Args;
use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The corpus to ingest [default: the bundled examples/corpus].
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Where to serve the record once ingested (a loopback address; when the port is
    /// taken, any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Ingest and print what was found, then exit instead of serving.
    #[arg(long)]
    no_serve: bool,
}

/// The store the demo writes when no `--data` is given.
const DEMO_DATA: &str = "chronicle-demo";
/// Marks a data directory as the demo's own, so that a later demo may replace it.
const MARKER: &str = "chronicle-demo.marker";

fn corpus_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = given {
        anyhow::ensure!(
            dir.is_dir(),
            "the corpus folder {} does not exist",
            dir.display()
        );
        return Ok(dir);
    }
    let candidates = [
        PathBuf::from("examples/corpus"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus"),
    ];
    candidates
        .into_iter()
        .find(|dir| dir.is_dir())
        .context("the bundled corpus (examples/corpus) was not found; pass --corpus DIR")
}

/// A fresh data directory: the given one if it is new or empty, or a previous demo's.
fn fresh_data_dir(data: Option<&Path>) -> Result<PathBuf> {
    let dir = data.map_or_else(|| PathBuf::from(DEMO_DATA), Path::to_path_buf);
    if dir.exists() {
        let empty = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            anyhow::ensure!(
                dir.join(MARKER).is_file(),
                "{} already holds data that the demo did not write; choose another --data directory",
                dir.display()
            );
            std::fs::remove_dir_all(&dir).with_context(|| {
                format!("cannot remove the previous demo store {}", dir.display())
            })?;
        }
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(
        dir.join(MARKER),
        "written by `chronicle demo`; the next demo replaces this directory\n",
    )
    .with_context(|| format!("cannot write in {}", dir.display()))?;
    Ok(dir)
}

pub fn run(data: Option<&Path>, args: DemoArgs) -> Result<ExitCode> {
    anyhow::ensure!(
        args.addr.ip().is_loopback(),
        "{} is not a loopback address: the demo serves this machine only (see chronicle serve --public)",
        args.addr
    );
    let corpus = corpus_dir(args.corpus)?;
    let dir = fresh_data_dir(data)?;
    let mut store = Store::open(&dir)?;
    let inputs = vec![corpus.display().to_string()];
    let summary = ingest_with_progress(&mut store, &inputs, &IngestOptions::default())?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "chronicle demo: the sample corpus in {}",
        corpus.display()
    )?;
    print_summary(&mut out, &summary, &dir)?;

    let articles = store.read().articles(&ArticleFilter::default())?;
    let mut by_outlet: BTreeMap<String, Vec<&chronicle_store::StoredArticle>> = BTreeMap::new();
    let mut records = Vec::new();
    for stored in &articles {
        if stored.article.record.is_some() {
            records.push(stored);
            continue;
        }
        let outlet = stored
            .article
            .outlet
            .clone()
            .or_else(|| stored.article.domain.clone())
            .unwrap_or_else(|| "(outlet unknown)".into());
        by_outlet.entry(outlet).or_default().push(stored);
    }
    writeln!(out, "\nArticles by outlet:")?;
    for (outlet, list) in &by_outlet {
        writeln!(out, "  {outlet} ({})", list.len())?;
        for stored in list.iter().take(3) {
            writeln!(out, "  {}", crate::output::article_line(stored))?;
        }
        if list.len() > 3 {
            writeln!(out, "          … {} more", list.len() - 3)?;
        }
    }
    if !records.is_empty() {
        writeln!(out, "\nEvent records:")?;
        for stored in &records {
            if let Some(record) = &stored.article.record {
                writeln!(
                    out,
                    "  {}  {}  {} ({} sources)",
                    record
                        .date
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "undated".into()),
                    record.story.as_deref().unwrap_or("-"),
                    record.summary,
                    record.sources.len()
                )?;
            }
        }
    }
    let stories = store.read().stories(None)?;
    writeln!(out, "\nStories and their events:")?;
    for story in &stories {
        writeln!(
            out,
            "  {} ({} events, story {})",
            story.name.as_deref().unwrap_or("Unnamed story"),
            story.events,
            story.id
        )?;
        if let Some(detail) = store.read().story(story.id)? {
            for event in &detail.timeline {
                writeln!(
                    out,
                    "    {}  {}  [event {}, {} sources]",
                    event.date.as_deref().unwrap_or("undated   "),
                    crate::output::truncate(event.headline.as_deref().unwrap_or(""), 90),
                    event.id,
                    event.sources
                )?;
            }
        }
    }
    let data_flag = dir.display();
    writeln!(out, "\nExplore it:")?;
    writeln!(
        out,
        "  chronicle --data {data_flag} serve      # the site, the feeds and /api/"
    )?;
    writeln!(out, "  chronicle --data {data_flag} events")?;
    writeln!(
        out,
        "  chronicle --data {data_flag} event ID --why --history"
    )?;
    writeln!(
        out,
        "  chronicle --data {data_flag} timeline \"Helen Marchetti\""
    )?;
    writeln!(out, "  chronicle --data {data_flag} entities --type person")?;
    writeln!(out, "  chronicle --data {data_flag} quotes")?;
    writeln!(out, "  chronicle --data {data_flag} articles")?;
    writeln!(out, "  chronicle --data {data_flag} article ID --format md")?;
    writeln!(
        out,
        "  chronicle --data {data_flag} articles --outlet \"The Harbour Ledger\" --format json"
    )?;
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    drop(store);
    writeln!(out)?;
    out.flush()?;
    drop(out);
    // The usual port when it is free, else any free one.
    let addr = match std::net::TcpListener::bind(args.addr) {
        Ok(_) => args.addr,
        Err(_) => SocketAddr::new(args.addr.ip(), 0),
    };
    crate::serve::serve(&dir, addr)
}
