//! `chronicle serve` for real: the process listens on loopback, answers over a socket,
//! and refuses a public address unless asked.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{chronicle, root, run_ok, serving_address};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A raw HTTP/1.1 GET; the status line and the body.
fn fetch(addr: &str, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_string();
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}

/// A store in `dir` holding the sample corpus's Markdown documents.
fn markdown_store(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    run_ok(
        chronicle(&data)
            .arg("ingest")
            .arg(root().join("examples/corpus/markdown")),
    );
    data
}

#[test]
fn serves_the_record_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let data = markdown_store(dir.path());
    let mut server = chronicle(&data)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = serving_address(&mut server);
    let (status, home) = fetch(&addr, "/");
    let (json_status, _) = fetch(&addr, "/index.json");
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(status.contains("200"), "{status}");
    assert!(home.contains("The latest events"), "{home}");
    assert!(json_status.contains("200"), "{json_status}");

    let refused = chronicle(&data)
        .args(["serve", "--addr", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--public"));
}

#[test]
fn the_demo_ingests_then_serves_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let mut demo = chronicle(&data)
        .args(["demo", "--addr", "127.0.0.1:0", "--corpus"])
        .arg(root().join("examples/corpus"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = serving_address(&mut demo);
    let (status, home) = fetch(&addr, "/");
    let (feed_status, feed) = fetch(&addr, "/feeds/all.atom");
    let (api_status, api) = fetch(&addr, "/api/events?limit=1");
    demo.kill().unwrap();
    demo.wait().unwrap();
    assert!(
        status.contains("200") && home.contains("href=\"/events/"),
        "{status} {home}"
    );
    assert!(
        feed_status.contains("200") && feed.contains("<entry>"),
        "{feed}"
    );
    assert!(
        api_status.contains("200") && api.contains("\"items\""),
        "{api}"
    );
}

/// The file a site link leads to, as static hosts resolve clean URLs.
fn target(site: &std::path::Path, href: &str) -> std::path::PathBuf {
    let path = href.split('#').next().unwrap().trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        site.join(path).join("index.html")
    } else if path.rsplit('/').next().unwrap().contains('.') {
        site.join(path)
    } else {
        site.join(format!("{path}.html"))
    }
}

#[test]
fn the_static_site_has_every_page_it_links_to() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    run_ok(
        chronicle(&data)
            .arg("ingest")
            .arg(root().join("examples/corpus")),
    );
    let site = dir.path().join("site");
    for _ in 0..2 {
        // The second build replaces the first.
        let output = run_ok(
            chronicle(&data)
                .args(["build", "--base-url", "https://news.example.org", "--out"])
                .arg(&site),
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("files"));
    }
    let mut pages = 0;
    let mut links = 0;
    let mut stack = vec![site.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            pages += 1;
            let html = std::fs::read_to_string(&path).unwrap();
            for href in html.split("href=\"/").skip(1) {
                let href = format!("/{}", href.split('"').next().unwrap());
                links += 1;
                assert!(
                    target(&site, &href).is_file(),
                    "{} links to {href}, which the site lacks",
                    path.display()
                );
            }
        }
    }
    assert!(pages > 20 && links > 200, "{pages} pages, {links} links");
    let feed = std::fs::read_to_string(site.join("feeds/all.atom")).unwrap();
    assert!(feed.contains("https://news.example.org/events/"), "{feed}");
    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let refused = chronicle(&data)
        .args(["build", "--out"])
        .arg(&foreign)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(foreign.join("notes.txt").is_file());
}

#[test]
fn the_load_generator_measures_every_path_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = markdown_store(dir.path());
    let output = run_ok(chronicle(&data).args([
        "bench",
        "load",
        "--connections",
        "4",
        "--seconds",
        "1",
        "--json",
    ]));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{report}");
    let paths = report["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 5, "{report}");
    for path in paths {
        assert!(path["requests"].as_u64().unwrap() > 0, "{path}");
        let (p50, p99) = (
            path["p50_ms"].as_f64().unwrap(),
            path["p99_ms"].as_f64().unwrap(),
        );
        assert!(p50 > 0.0 && p50 <= p99, "{path}");
    }
    // Paced: 4 connections at 200 requests a second in all send about 400 in two
    // seconds, not as many as the machine can answer.
    let output = run_ok(chronicle(&data).args([
        "bench",
        "load",
        "--connections",
        "4",
        "--seconds",
        "2",
        "--rate",
        "200",
        "--json",
    ]));
    let paced: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(paced["errors"], 0, "{paced}");
    assert_eq!(paced["rate"], 200.0, "{paced}");
    let sent = paced["requests"].as_u64().unwrap();
    assert!(
        (360..=404).contains(&sent),
        "{sent} requests paced at 200/s for 2 s"
    );
    // The generator's own lateness is reported apart, and taking it out of a latency
    // never makes it longer.
    let [p50, p99, max] = [0, 1, 2].map(|i| paced["timer_late_ms"][i].as_f64().unwrap());
    assert!(0.0 <= p50 && p50 <= p99 && p99 <= max, "{paced}");
    for path in paced["paths"].as_array().unwrap() {
        let less = path["p99_less_timer_ms"].as_f64().unwrap();
        assert!(less <= path["p99_ms"].as_f64().unwrap(), "{path}");
    }
    assert!(
        report.get("timer_late_ms").is_none(),
        "closed loop: {report}"
    );
    let bad_rate = chronicle(&data)
        .args(["bench", "load", "--seconds", "1", "--rate", "0"])
        .output()
        .unwrap();
    assert!(!bad_rate.status.success());
    assert!(String::from_utf8_lossy(&bad_rate.stderr).contains("--rate"));
    // A path that does not answer 200 is an error, and the run fails.
    let failed = chronicle(&data)
        .args(["bench", "load", "--connections", "1", "--seconds", "1"])
        .args(["--path", "/events/999999"])
        .output()
        .unwrap();
    assert!(!failed.status.success());
}

#[test]
fn the_server_answers_every_request_while_an_ingest_writes() {
    let dir = tempfile::tempdir().unwrap();
    let data = markdown_store(dir.path());
    let before = common::stored_articles(&data).len();
    let output = run_ok(
        chronicle(&data)
            .args(["bench", "load", "--connections", "8", "--seconds", "2"])
            .args(["--json", "--ingest"])
            .arg(root().join("examples/corpus")),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(report["ingest"]["succeeded"], true, "{report}");
    assert!(report["requests"].as_u64().unwrap() > 0, "{report}");
    for figure in ["memory_start_mb", "memory_end_mb", "memory_peak_mb"] {
        assert!(report[figure].as_f64().unwrap() > 0.0, "{figure}: {report}");
    }
    assert!(common::stored_articles(&data).len() > before);
    common::assert_store_checks(&data);
}

#[test]
fn serve_watch_ingests_new_files_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let mut server = chronicle(&data)
        .args(["serve", "--addr", "127.0.0.1:0", "--every", "1s", "--watch"])
        .arg(&inbox)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = serving_address(&mut server);
    let (status, before) = fetch(&addr, "/index.json");
    assert!(status.contains("200"), "{status} {before}");
    std::fs::write(
        inbox.join("tram.md"),
        "---\ntitle: \"Kessel Bay tram line opens after four years of works\"\n\
         url: \"https://kessel-courier.example/tram\"\npublished: 2026-06-02\n\
         outlet: \"The Kessel Courier\"\n---\n\n\
         The first trams ran on the Kessel Bay line on Tuesday, four years after works began, \
         the city transport office said.\n\nMayor Ida Lorentzen rode the first service.\n",
    )
    .unwrap();
    let mut seen = false;
    for _ in 0..60 {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let (_, list) = fetch(&addr, "/index.json");
        if list.contains("Kessel") {
            seen = true;
            break;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(seen, "the new article never appeared");
    assert!(!before.contains("Kessel"));
}
