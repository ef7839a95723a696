//! Runs each candidate extractor, single-threaded, over the extraction development sets
//! and prints body F1, snippet F1, metadata accuracy and pages per second.

use chronicle_eval::extraction::{Dataset, Prediction, Truth, score};
use std::path::PathBuf;
use std::time::Instant;

fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode(bytes).0.into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    if let Some(at) = head.find("charset=") {
        let rest = head[at + 8..].trim_start_matches(['"', '\'']);
        let label: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if let Some(encoding) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return encoding.decode(bytes).0.into_owned();
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow).decode(bytes).0.into_owned()
}

fn date_part(text: &str) -> Option<String> {
    let text = text.trim();
    (text.len() >= 10 && text.as_bytes()[4] == b'-').then(|| text[..10].to_string())
}

fn non_empty(text: String) -> Option<String> {
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

type Extractor = fn(&Truth, &str) -> Prediction;

fn trafilatura_default(truth: &Truth, html: &str) -> Prediction {
    run_trafilatura(truth, html, trafilatura::Options::default())
}

fn trafilatura_fallback(truth: &Truth, html: &str) -> Prediction {
    run_trafilatura(truth, html, trafilatura::Options::default().with_fallback(true))
}

fn run_trafilatura(truth: &Truth, html: &str, mut options: trafilatura::Options) -> Prediction {
    if let Some(url) = truth.url.as_deref().and_then(|u| url::Url::parse(u).ok()) {
        options = options.with_url(url);
    }
    match trafilatura::extract(html, &options) {
        Ok(result) => Prediction {
            id: truth.id.clone(),
            body: non_empty(result.content_text),
            title: non_empty(result.metadata.title),
            author: non_empty(result.metadata.author),
            date: result.metadata.date.map(|d| d.format("%Y-%m-%d").to_string()),
        },
        Err(_) => Prediction::default(),
    }
}

/// trafilatura with its fallback comparison, fed dom_smoothie's output as the
/// user-provided Readability candidate (so the slower built-in one rarely runs).
fn trafilatura_smoothie(truth: &Truth, html: &str) -> Prediction {
    let mut options = trafilatura::Options::default().with_fallback(true);
    let config = dom_smoothie::Config::default();
    if let Ok(mut readability) = dom_smoothie::Readability::new(html, truth.url.as_deref(), Some(config)) {
        if let Ok(article) = readability.parse() {
            let mut candidates = trafilatura::FallbackCandidates::default();
            candidates.readability_html = Some(format!("<html><body>{}</body></html>", article.content));
            options.fallback_candidates = Some(candidates);
        }
    }
    run_trafilatura(truth, html, options)
}

/// trafilatura without its built-in fallback; dom_smoothie's text replaces it when
/// trafilatura finds little or dom_smoothie finds much more (trafilatura's own rule).
fn trafilatura_or_smoothie(truth: &Truth, html: &str) -> Prediction {
    let t = trafilatura_default(truth, html);
    let d = dom_smoothie(truth, html);
    let lt = t.body.as_deref().map_or(0, |b| b.chars().count());
    let ld = d.body.as_deref().map_or(0, |b| b.chars().count());
    if (lt < 250 && ld > lt) || ld > 2 * lt {
        Prediction { body: d.body, ..t }
    } else {
        t
    }
}

fn rs_trafilatura(truth: &Truth, html: &str) -> Prediction {
    let options = rs_trafilatura::Options {
        url: truth.url.clone(),
        ..rs_trafilatura::Options::default()
    };
    match rs_trafilatura::extract_with_options(html, &options) {
        Ok(result) => Prediction {
            id: truth.id.clone(),
            body: non_empty(result.content_text),
            title: result.metadata.title,
            author: result.metadata.author,
            date: result.metadata.date.map(|d| d.format("%Y-%m-%d").to_string()),
        },
        Err(_) => Prediction::default(),
    }
}

fn dom_smoothie(truth: &Truth, html: &str) -> Prediction {
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..dom_smoothie::Config::default()
    };
    let Ok(mut readability) = dom_smoothie::Readability::new(html, truth.url.as_deref(), Some(config))
    else {
        return Prediction::default();
    };
    match readability.parse() {
        Ok(article) => Prediction {
            id: truth.id.clone(),
            body: non_empty(article.text_content.to_string()),
            title: non_empty(article.title),
            author: article.byline,
            date: article.published_time.as_deref().and_then(date_part),
        },
        Err(_) => Prediction::default(),
    }
}

fn dump(root: &std::path::Path) {
    for set in ["readability", "trafilatura"] {
        let dataset = Dataset::open(&root.join(set)).expect("dataset");
        for truth in &dataset.truth {
            let html = decode(&std::fs::read(dataset.page_path(&truth.id)).unwrap_or_default());
            let t = trafilatura_fallback(truth, &html);
            let d = dom_smoothie(truth, &html);
            let line = format!(
                "{{\"set\":{:?},\"id\":{:?},\"t\":{:?},\"d\":{:?}}}",
                set,
                truth.id,
                t.body.unwrap_or_default(),
                d.body.unwrap_or_default()
            );
            println!("{line}");
        }
    }
}

fn main() {
    if std::env::args().nth(2).as_deref() == Some("--dump") {
        dump(std::path::Path::new(&std::env::args().nth(1).unwrap_or_default()));
        return;
    }
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "../shared/evaldata/extraction".into()));
    let extractors: [(&str, Extractor); 6] = [
        ("trafilatura 0.6, else dom_smoothie", trafilatura_or_smoothie),
        ("trafilatura 0.6 +dom_smoothie fallback", trafilatura_smoothie),
        ("trafilatura 0.6", trafilatura_default),
        ("trafilatura 0.6 +fallback", trafilatura_fallback),
        ("rs-trafilatura 0.2.2", rs_trafilatura),
        ("dom_smoothie 0.19", dom_smoothie),
    ];
    println!("| set | extractor | pages/s (1 thread) | body P | body R | body F1 | snippet P | snippet R | snippet F1 | title | author | date |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for set in ["readability", "trafilatura"] {
        let dataset = Dataset::open(&root.join(set)).expect("dataset");
        let pages: Vec<(Truth, String)> = dataset
            .truth
            .iter()
            .map(|t| (t.clone(), decode(&std::fs::read(dataset.page_path(&t.id)).unwrap_or_default())))
            .collect();
        for (name, extract) in extractors {
            let start = Instant::now();
            let predictions: Vec<Prediction> = pages
                .iter()
                .map(|(truth, html)| {
                    let mut p = extract(truth, html);
                    p.id.clone_from(&truth.id);
                    p
                })
                .collect();
            let seconds = start.elapsed().as_secs_f64();
            let report = score(&dataset.truth, &predictions);
            let body = report.body.map(|b| format!("{:.3} | {:.3} | {:.3}", b.precision, b.recall, b.f1)).unwrap_or_else(|| "- | - | -".into());
            let snippets = report.snippets.map(|s| format!("{:.3} | {:.3} | {:.3}", s.precision(), s.recall(), s.f1())).unwrap_or_else(|| "- | - | -".into());
            println!(
                "| {set} | {name} | {:.1} | {body} | {snippets} | {:.3} | {:.3} | {:.3} |",
                pages.len() as f64 / seconds,
                report.title.accuracy(),
                report.author.accuracy(),
                report.date.accuracy()
            );
        }
    }
}
