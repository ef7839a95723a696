//! `chronicle serve`: the record over HTTP, read-only; `chronicle build`: the same
//! record as a static site.

use anyhow::{Context, Result, bail};
use clap::Args;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. Anything but a loopback address needs --public.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Allow listening on a non-loopback address (the record becomes reachable from
    /// other machines).
    #[arg(long)]
    public: bool,
    /// Keep ingesting this input while serving (a folder, file, feed URL or feed list;
    /// repeatable): new documents appear without a restart, known ones are skipped.
    #[arg(long, value_name = "PATH|URL")]
    watch: Vec<String>,
    /// A feed list (OPML, or one URL a line) to poll while serving, like --watch.
    #[arg(long, value_name = "FILE")]
    feeds: Vec<String>,
    /// How often to look at --watch and --feeds again: seconds, or with a unit
    /// (`90s`, `15m`, `1h`).
    #[arg(long, default_value = "60s", value_parser = parse_every)]
    every: std::time::Duration,
}

fn parse_every(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => {
            return Err(format!(
                "{text:?}: give seconds, or a number with s, m or h"
            ));
        }
    };
    let seconds = number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n > 0.0)
        .ok_or_else(|| format!("{text:?} is not a positive duration"))?
        * scale;
    if seconds < 1.0 {
        return Err("--every must be at least one second".into());
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

pub fn run(data: &Path, args: ServeArgs) -> Result<ExitCode> {
    if !args.addr.ip().is_loopback() && !args.public {
        bail!(
            "{} is not a loopback address: add --public to serve the record to other machines",
            args.addr
        );
    }
    let inputs: Vec<String> = args.watch.iter().chain(&args.feeds).cloned().collect();
    if !inputs.is_empty() {
        // The store exists before the first page is asked for.
        drop(chronicle_store::Store::open(data)?);
        let data = data.to_path_buf();
        std::thread::spawn(move || watch(&data, &inputs, args.every));
    }
    serve(data, args.addr)
}

/// Ingests `inputs` into the store again and again, `every` apart, reporting on
/// standard error what each round added. A round that fails (the store busy with
/// another writer, a feed down) is reported and tried again next time.
fn watch(data: &Path, inputs: &[String], every: std::time::Duration) {
    // One configuration for every round: feeds are asked with what they answered last
    // (ETag, Last-Modified), so an unchanged feed costs a 304.
    let options = chronicle_pipeline::IngestOptions::default();
    loop {
        let round = chronicle_store::Store::open(data)
            .map_err(anyhow::Error::from)
            .and_then(|mut store| {
                Ok(chronicle_pipeline::ingest(
                    &mut store,
                    inputs,
                    &options,
                    &mut |_| {},
                )?)
            });
        match round {
            Ok(summary) if summary.stats.cleaned > 0 => eprintln!(
                "chronicle: watch: {} new articles, {} events updated",
                summary.stats.cleaned,
                summary.stats.events.new_events + summary.stats.events.updated_events
            ),
            Ok(_) => {}
            Err(e) => eprintln!("chronicle: watch: {e:#}"),
        }
        std::thread::sleep(every);
    }
}

/// Serves the store in `data` on `addr` until interrupted, printing the URL once
/// listening.
pub fn serve(data: &Path, addr: SocketAddr) -> Result<ExitCode> {
    // Fail early and clearly when there is no store to serve.
    chronicle_store::Store::open_read_only(data)?;
    chronicle_server::run(data.to_path_buf(), addr, |bound| {
        println!(
            "chronicle: serving {} at http://{bound}/ (Ctrl-C to stop)",
            data.display()
        );
        let _ = std::io::Write::flush(&mut std::io::stdout());
    })
    .with_context(|| format!("serving on {addr}"))?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The folder to write the site in: new, empty, or a site built before (replaced).
    #[arg(long)]
    out: PathBuf,
    /// Where the site will be published (for the absolute links feeds need), such as
    /// `https://news.example.org` [default: `http://localhost`].
    #[arg(long)]
    base_url: Option<String>,
}

/// Marks a folder as a built site, so that the next build may replace it.
const SITE_MARKER: &str = ".chronicle-site";

pub fn build(data: &Path, args: BuildArgs) -> Result<ExitCode> {
    if let Some(base) = &args.base_url {
        let lower = base.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://"))
            || base.contains(['"', '<', '>', ' '])
        {
            bail!("--base-url {base:?} is not an http(s) URL");
        }
    }
    chronicle_store::Store::open_read_only(data)?;
    let out = &args.out;
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_none();
        if !empty {
            if !out.join(SITE_MARKER).is_file() {
                bail!(
                    "{} already holds files that chronicle did not write; choose another --out folder",
                    out.display()
                );
            }
            std::fs::remove_dir_all(out)
                .with_context(|| format!("cannot remove the previous site {}", out.display()))?;
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    std::fs::write(
        out.join(SITE_MARKER),
        "written by `chronicle build`; the next build replaces this folder\n",
    )
    .with_context(|| format!("cannot write in {}", out.display()))?;
    let started = std::time::Instant::now();
    let built = chronicle_server::build_site(data, out, args.base_url.as_deref())
        .with_context(|| format!("building the site in {}", out.display()))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "chronicle: wrote {} files ({:.1} MB) in {:.1} s to {}: {} events, {} stories, {} entities, {} days",
        built.files,
        built.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        out.display(),
        built.events,
        built.stories,
        built.entities,
        built.days
    )?;
    if args.base_url.is_none() {
        writeln!(
            stdout,
            "feeds link to http://localhost: pass --base-url with the address the site will have"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
