//! `chronicle bench load`: the server under load on loopback. Serves a store in this
//! process and keeps a number of keep-alive connections busy with GET requests for a
//! fixed time, then reports per path the requests, errors, throughput and latency
//! percentiles, and this process's memory. With `--ingest`, a `chronicle ingest` runs
//! into the same store meanwhile, as `serve --watch` would.

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Paths to request, each connection cycling through them [default: an event page,
    /// its JSON, the home page, an API list and a search, taken from the store].
    #[arg(long = "path")]
    paths: Vec<String>,
    /// Connections kept open at once, each sending its next request when the last
    /// answer arrived.
    #[arg(long, default_value_t = 200)]
    connections: usize,
    /// How long to keep the load up.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Requests per second in all, spread evenly over the connections, each request
    /// sent at its scheduled time and timed from it (a late answer delays the next
    /// send, and that wait counts in the latency). Without it, each connection sends
    /// its next request as soon as the last answer arrived, so that latency is the
    /// connections divided by the throughput the machine reaches.
    #[arg(long, value_name = "PER_SECOND")]
    rate: Option<f64>,
    /// Render every answer afresh (no response cache): what a page costs to read and
    /// render.
    #[arg(long)]
    no_cache: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Inputs to ingest into the store while the load runs (a second process, as
    /// `chronicle ingest` would); the load waits for the ingest to finish.
    #[arg(long = "ingest", value_name = "INPUT")]
    ingest: Vec<String>,
}

/// The ingest that ran under the load.
#[derive(Debug, Serialize)]
struct IngestReport {
    seconds: f64,
    succeeded: bool,
}

/// What one path got.
#[derive(Debug, Serialize)]
struct PathReport {
    path: String,
    requests: u64,
    /// Answers other than 200, and failed connections or reads.
    errors: u64,
    per_second: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// Paced: the 99th percentile without the load generator's own lateness (how long
    /// after the moment it could send its timer woke it), which is not the server's.
    #[serde(skip_serializing_if = "Option::is_none")]
    p99_less_timer_ms: Option<f64>,
}

/// One answer (or failure) as a connection saw it.
#[derive(Clone, Copy, Debug)]
struct Sample {
    /// Index of the path requested.
    path: usize,
    /// From the scheduled time (paced) or the send (closed loop) to the whole answer.
    latency: Duration,
    /// Paced: how late the timer woke the connection after the moment it could send
    /// (its scheduled time, or its previous answer when that came later).
    timer: Duration,
    ok: bool,
}

#[derive(Debug, Serialize)]
struct LoadReport {
    connections: usize,
    /// The requests per second asked for (`--rate`), when paced.
    #[serde(skip_serializing_if = "Option::is_none")]
    rate: Option<f64>,
    seconds: f64,
    requests: u64,
    errors: u64,
    per_second: f64,
    paths: Vec<PathReport>,
    /// Paced: percentiles of the timer's lateness (see [`Sample::timer`]), in ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    timer_late_ms: Option<[f64; 3]>,
    /// Resident memory of this process (server and load together) when the load began
    /// and when it ended, and its peak, in MB.
    memory_start_mb: Option<f64>,
    memory_end_mb: Option<f64>,
    memory_peak_mb: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ingest: Option<IngestReport>,
}

/// Paths that exercise the main pages when none are given.
fn default_paths(data: &Path) -> Result<Vec<String>> {
    let snapshot = chronicle_store::Store::open_read_only(data)?;
    let read = snapshot.read();
    let events = read.events(&chronicle_store::EventFilter {
        limit: Some(1),
        ..chronicle_store::EventFilter::default()
    })?;
    let Some(event) = events.first() else {
        bail!("{} holds no events to request", data.display());
    };
    let word = event
        .headline
        .as_deref()
        .unwrap_or_default()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 5)
        .max_by_key(|w| w.len())
        .unwrap_or("the")
        .to_string();
    Ok(vec![
        format!("/events/{}", event.id),
        format!("/events/{}.json", event.id),
        "/".to_string(),
        "/api/events?limit=20".to_string(),
        format!("/api/search?q={word}"),
    ])
}

/// When the load ends, and with `--rate` this connection's first send and the time
/// between its sends.
#[derive(Clone, Copy, Debug)]
struct Plan {
    start: Instant,
    until: Instant,
    /// Time between one connection's sends, when paced.
    every: Option<Duration>,
}

/// One keep-alive connection: opens, waits until every connection is open and the
/// plan is known, then requests in turn until the plan's end; a [`Sample`] for each.
/// Paced, each request waits for its scheduled time and its latency counts from that
/// time.
async fn connection(
    addr: SocketAddr,
    paths: Arc<Vec<String>>,
    first: usize,
    connections: usize,
    ready: Arc<tokio::sync::Barrier>,
    plan: tokio::sync::watch::Receiver<Option<Plan>>,
) -> Vec<Sample> {
    let mut done = Vec::new();
    let mut next = first;
    let mut sent = 0u32;
    // Every connection is open before the clock starts: the load measures answers,
    // not the kernel's backlog of new connections.
    let mut opened = TcpStream::connect(addr).await.ok();
    ready.wait().await;
    let mut plan = plan;
    let Ok(Some(Plan {
        start,
        until,
        every,
    })) = plan.wait_for(Option::is_some).await.map(|p| *p)
    else {
        return done;
    };
    // The connections' first sends spread over one interval.
    let pace = every.map(|every| {
        (
            start + every.mul_f64(first as f64 / connections as f64),
            every,
        )
    });
    'connect: while Instant::now() < until {
        let stream = match opened.take() {
            Some(stream) => stream,
            None => match TcpStream::connect(addr).await {
                Ok(stream) => stream,
                Err(_) => {
                    done.push(Sample {
                        path: next % paths.len(),
                        latency: Duration::ZERO,
                        timer: Duration::ZERO,
                        ok: false,
                    });
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let mut stream = BufReader::new(stream);
        loop {
            let (started, timer) = match pace {
                Some((start, every)) => {
                    let scheduled = start + every * sent;
                    sent += 1;
                    let could = Instant::now().max(scheduled);
                    tokio::time::sleep_until(scheduled.into()).await;
                    (scheduled, could.elapsed())
                }
                None => (Instant::now(), Duration::ZERO),
            };
            if started >= until {
                break 'connect;
            }
            let index = next % paths.len();
            next += 1;
            let request = format!(
                "GET {} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: identity\r\n\r\n",
                paths[index]
            );
            // A redirect is an answer: under ingest an event may merge into another.
            let answer = exchange(&mut stream, request.as_bytes()).await;
            done.push(Sample {
                path: index,
                latency: started.elapsed(),
                timer,
                ok: answer
                    .as_ref()
                    .is_ok_and(|status| (200..400).contains(status)),
            });
            if answer.is_err() {
                continue 'connect;
            }
        }
    }
    done
}

/// Sends one request and reads its whole answer; the status code.
async fn exchange(stream: &mut BufReader<TcpStream>, request: &[u8]) -> std::io::Result<u16> {
    stream.get_mut().write_all(request).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line: {line:?}")))?;
    let mut length = None;
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await?;
    Ok(status)
}

/// The `q`-quantile of sorted latencies, in milliseconds.
fn quantile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at].as_secs_f64() * 1e3
}

pub fn run(data: &Path, args: &LoadArgs) -> Result<ExitCode> {
    anyhow::ensure!(
        (1..=10_000).contains(&args.connections),
        "--connections must be 1 to 10000"
    );
    anyhow::ensure!(
        args.seconds > 0.0 && args.seconds <= 3600.0,
        "--seconds must be more than 0 and at most 3600"
    );
    if let Some(rate) = args.rate {
        anyhow::ensure!(
            rate.is_finite() && rate > 0.0 && rate / args.connections as f64 <= 1_000_000.0,
            "--rate must be a number of requests per second above 0"
        );
    }
    let paths = if args.paths.is_empty() {
        default_paths(data)?
    } else {
        args.paths.clone()
    };
    if let Some(bad) = paths
        .iter()
        .find(|p| !p.starts_with('/') || p.contains(char::is_whitespace))
    {
        bail!("{bad:?} is not a path: give paths like /events/7 or /api/events?limit=5");
    }
    let data: PathBuf = data.to_path_buf();
    let runtime = chronicle_server::runtime()?;
    // The load runs on a runtime of its own, on one thread: its timers then wake when
    // due instead of waiting for the server's tasks to yield a shared worker.
    let load = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("load")
        .enable_all()
        .build()
        .context("starting the load's runtime")?;
    let spawner = load.handle().clone();
    let outcome = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("listening on loopback")?;
        let addr = listener.local_addr()?;
        tokio::spawn(chronicle_server::serve_on(
            listener,
            data.clone(),
            !args.no_cache,
        ));
        let paths = Arc::new(paths.clone());
        // One request per path first: the store's pages and the search index warm up.
        for path in paths.iter() {
            let stream = TcpStream::connect(addr).await?;
            let mut stream = BufReader::new(stream);
            let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
            let status = exchange(&mut stream, request.as_bytes()).await?;
            if status != 200 {
                bail!("{path} answered {status} before the load started");
            }
        }
        let ready = Arc::new(tokio::sync::Barrier::new(args.connections + 1));
        let (plan, plans) = tokio::sync::watch::channel(None::<Plan>);
        let tasks: Vec<_> = (0..args.connections)
            .map(|i| {
                spawner.spawn(connection(
                    addr,
                    Arc::clone(&paths),
                    i,
                    args.connections,
                    Arc::clone(&ready),
                    plans.clone(),
                ))
            })
            .collect();
        ready.wait().await;
        let memory_start = crate::bench_run::resident_memory_mb();
        let started = Instant::now();
        let ingest = if args.ingest.is_empty() {
            None
        } else {
            Some(
                tokio::process::Command::new(std::env::current_exe()?)
                    .arg("--data")
                    .arg(&data)
                    .arg("ingest")
                    .args(&args.ingest)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .context("starting the ingest")?,
            )
        };
        let until = started + Duration::from_secs_f64(args.seconds);
        // Paced: each connection sends every `connections / rate` seconds.
        let every = args
            .rate
            .map(|rate| Duration::from_secs_f64(args.connections as f64 / rate));
        let _ = plan.send(Some(Plan {
            start: started,
            until,
            every,
        }));
        let mut results = Vec::new();
        for task in tasks {
            results.extend(task.await.context("a load connection failed")?);
        }
        let elapsed = started.elapsed().as_secs_f64();
        let ingest = match ingest {
            Some(mut child) => Some(IngestReport {
                succeeded: child.wait().await?.success(),
                seconds: started.elapsed().as_secs_f64(),
            }),
            None => None,
        };
        Ok::<_, anyhow::Error>((results, elapsed, memory_start, ingest))
    })?;
    drop(load);
    let (results, elapsed, memory_start, ingest) = outcome;
    let mut reports = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        let answered = || results.iter().filter(|r| r.path == index && r.ok);
        let mut latencies: Vec<Duration> = answered().map(|r| r.latency).collect();
        latencies.sort_unstable();
        let mut less_timer: Vec<Duration> = answered()
            .map(|r| r.latency.saturating_sub(r.timer))
            .collect();
        less_timer.sort_unstable();
        let errors = results.iter().filter(|r| r.path == index && !r.ok).count() as u64;
        reports.push(PathReport {
            path: path.clone(),
            requests: latencies.len() as u64 + errors,
            errors,
            per_second: latencies.len() as f64 / elapsed,
            p50_ms: quantile(&latencies, 0.50),
            p90_ms: quantile(&latencies, 0.90),
            p99_ms: quantile(&latencies, 0.99),
            max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
            p99_less_timer_ms: args.rate.map(|_| quantile(&less_timer, 0.99)),
        });
    }
    let mut timers: Vec<Duration> = results.iter().map(|r| r.timer).collect();
    timers.sort_unstable();
    let errors = reports.iter().map(|r| r.errors).sum();
    let report = LoadReport {
        connections: args.connections,
        rate: args.rate,
        seconds: elapsed,
        requests: results.len() as u64,
        errors,
        per_second: results.len() as f64 / elapsed,
        paths: reports,
        timer_late_ms: args.rate.map(|_| {
            [
                quantile(&timers, 0.50),
                quantile(&timers, 0.99),
                timers.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
            ]
        }),
        memory_start_mb: memory_start,
        memory_end_mb: crate::bench_run::resident_memory_mb(),
        memory_peak_mb: crate::bench_run::peak_memory_mb(),
        ingest,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let paced = report
            .rate
            .map(|rate| format!(" paced at {rate:.0} requests/s"))
            .unwrap_or_default();
        writeln!(
            out,
            "{} connections{paced} for {:.1} s: {} requests ({:.0}/s), {} errors",
            report.connections, report.seconds, report.requests, report.per_second, report.errors
        )?;
        writeln!(
            out,
            "{:<40} {:>8} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8}",
            "path", "requests", "errors", "per s", "p50 ms", "p90 ms", "p99 ms", "max ms"
        )?;
        for r in &report.paths {
            writeln!(
                out,
                "{:<40} {:>8} {:>7} {:>8.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
                r.path, r.requests, r.errors, r.per_second, r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms
            )?;
        }
        if let Some([p50, p99, max]) = report.timer_late_ms {
            writeln!(
                out,
                "the load generator's timers woke late by {p50:.2} ms (p50), {p99:.2} ms (p99), {max:.2} ms (max); p99 without that lateness:"
            )?;
            for r in &report.paths {
                writeln!(
                    out,
                    "  {:<38} {:>8.2} ms",
                    r.path,
                    r.p99_less_timer_ms.unwrap_or_default()
                )?;
            }
        }
        if let (Some(start), Some(end), Some(peak)) = (
            report.memory_start_mb,
            report.memory_end_mb,
            report.memory_peak_mb,
        ) {
            writeln!(
                out,
                "memory: {start:.0} MB at the start, {end:.0} MB at the end, {peak:.0} MB at the peak"
            )?;
        }
        if let Some(ingest) = &report.ingest {
            writeln!(
                out,
                "ingest alongside: {} after {:.1} s",
                if ingest.succeeded {
                    "finished"
                } else {
                    "FAILED"
                },
                ingest.seconds
            )?;
        }
    }
    let ingest_failed = report.ingest.as_ref().is_some_and(|i| !i.succeeded);
    Ok(if report.errors == 0 && !ingest_failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
