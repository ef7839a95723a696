//! The `chronicle` command-line tool: arguments are parsed once into typed commands
//! here, and each command lives in its own module.

mod articles;
mod bench;
mod bench_load;
mod bench_run;
mod demo;
mod entities;
mod eval;
mod events;
mod ingest;
mod output;
mod search;
mod serve;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// chronicle: a living, cited record of what happened, built from raw news.
#[derive(Debug, Parser)]
#[command(name = "chronicle", version, about, propagate_version = true)]
struct Cli {
    /// The data directory (database, raw documents) [default: ./chronicle-data].
    #[arg(long, global = true, env = "CHRONICLE_DATA")]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read news into the store: files, folders, `-` for standard input, feeds, OPML
    /// lists, web archives (.warc, .warc.gz), JSON (lines), http(s) URLs.
    Ingest(ingest::IngestArgs),
    /// Clean documents and print them, without a store.
    Extract(ingest::ExtractArgs),
    /// List stored articles.
    Articles(articles::ArticlesArgs),
    /// Show one stored article.
    Article(articles::ArticleArgs),
    /// Show every text an article has had (its URL fetched again with changes), with
    /// what changed between them.
    Revisions(articles::RevisionsArgs),
    /// List the people, organisations, places and other entities in the store.
    Entities(entities::EntitiesArgs),
    /// Show one entity: aliases, roles, articles, quotes.
    Entity(entities::EntityArgs),
    /// List quotes with their speakers and citations.
    Quotes(entities::QuotesArgs),
    /// List events: what happened, latest first.
    Events(events::EventsArgs),
    /// Show one event: date, headline, category, numbered sources, entities, quotes,
    /// and with `--why` and `--history` how it was formed.
    Event(events::EventArgs),
    /// List stories: long-running threads of events.
    Stories(events::StoriesArgs),
    /// Show one story: its events by date.
    Story(events::StoryArgs),
    /// An entity's events, roles and quotes by date, or a story's events (`story:ID`).
    Timeline(events::TimelineArgs),
    /// Show an article's copy group (syndicated and cross-posted copies).
    Copies(entities::CopiesArgs),
    /// Serve the record over HTTP (read-only; loopback unless --public): the latest
    /// events by day, day pages, events, stories and entities, each as HTML, JSON,
    /// Markdown and XML; RSS and Atom feeds; a JSON API under /api/.
    Serve(serve::ServeArgs),
    /// Search events, articles and quotes (words, "phrases", -excluded, filters).
    Search(search::SearchArgs),
    /// Bring the search index up to date with the store (ingest does this itself).
    Index(search::IndexArgs),
    /// Write the record as a static site: the server's pages and feeds as files under
    /// the same URLs.
    Build(serve::BuildArgs),
    /// Clean and annotate every stored raw document again with this version's code.
    Reprocess,
    /// Check the store's integrity; exits non-zero when a problem is found.
    Check,
    /// Ingest the bundled sample corpus into a fresh store and show what was found.
    Demo(demo::DemoArgs),
    /// Measure quality on an evaluation dataset.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Measure speed as the store grows, on generated articles.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// mimalloc instead of the system allocator: ingest allocates and frees many small
/// vectors and maps per article on several threads (docs/benchmarks.md, "What grows
/// past 200,000 articles").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The default data directory.
const DEFAULT_DATA: &str = "chronicle-data";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data = cli
        .data
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA));
    let result = match cli.command {
        Command::Ingest(args) => ingest::run(&data, args),
        Command::Extract(args) => ingest::extract(args),
        Command::Articles(args) => articles::list(&data, args),
        Command::Article(args) => articles::show(&data, args),
        Command::Revisions(args) => articles::revisions(&data, args),
        Command::Entities(args) => entities::list(&data, args),
        Command::Entity(args) => entities::show(&data, args),
        Command::Quotes(args) => entities::quotes(&data, args),
        Command::Copies(args) => entities::copies(&data, args),
        Command::Events(args) => events::list(&data, args),
        Command::Serve(args) => serve::run(&data, args),
        Command::Build(args) => serve::build(&data, args),
        Command::Search(args) => search::search(&data, args),
        Command::Index(args) => search::index(&data, args),
        Command::Event(args) => events::show(&data, args),
        Command::Stories(args) => events::stories(&data, args),
        Command::Story(args) => events::story(&data, args),
        Command::Timeline(args) => events::timeline(&data, args),
        Command::Reprocess => ingest::reprocess(&data),
        Command::Check => ingest::check(&data),
        Command::Demo(args) => demo::run(cli.data.as_deref(), args),
        Command::Eval(command) => eval::run(command),
        Command::Bench(command) => bench::run(&data, command),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {error}");
            for cause in error.chain().skip(1) {
                let _ = writeln!(stderr, "  caused by: {cause}");
            }
            if let Some(hint) = hint(&error, &data) {
                let _ = writeln!(stderr, "{hint}");
            }
            ExitCode::FAILURE
        }
    }
}

/// A closed pipe (`chronicle … | head`) is a normal way for output to end.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// What to do about an error the machine rather than chronicle caused: a full disk or a
/// read-only data directory. Either stops a run between transactions, so nothing
/// committed is lost and nothing half-written is kept.
fn hint(error: &anyhow::Error, data: &std::path::Path) -> Option<String> {
    use std::io::ErrorKind;
    let found = |kinds: &[ErrorKind], codes: &[rusqlite::ErrorCode], words: &[&str]| {
        error.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| kinds.contains(&e.kind()))
                || cause
                    .downcast_ref::<rusqlite::Error>()
                    .and_then(rusqlite::Error::sqlite_error_code)
                    .is_some_and(|code| codes.contains(&code))
                || words.iter().any(|w| cause.to_string().contains(w))
        })
    };
    let dir = data.display();
    if found(
        &[ErrorKind::StorageFull, ErrorKind::QuotaExceeded],
        &[rusqlite::ErrorCode::DiskFull],
        &["No space left on device"],
    ) {
        return Some(format!(
            "hint: the disk holding {dir} is full. Everything committed before it filled is \
             kept (`chronicle --data {dir} check` verifies the store); free some space and run \
             the same command again to finish."
        ));
    }
    if found(
        &[ErrorKind::ReadOnlyFilesystem, ErrorKind::PermissionDenied],
        &[rusqlite::ErrorCode::ReadOnly],
        &["Read-only file system"],
    ) {
        return Some(format!(
            "hint: {dir} cannot be written. A store on read-only media can still be read \
             (`events`, `serve`, `check`); to add to it, copy it somewhere writable and use \
             --data there."
        ));
    }
    None
}
