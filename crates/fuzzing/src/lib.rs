//! The fuzz targets' bodies: each function takes any bytes, runs one parser of outside
//! input on them, and panics only when the parser breaks a promise (a panic of its own,
//! a span outside the text, a skip that does not name its input).
//!
//! The `fuzz/` folder wraps each function in a libFuzzer target for `cargo fuzz`
//! (nightly); `tests/replay.rs` runs the saved corpora and every past crash through the
//! same functions on stable, so CI keeps them fixed.

use chronicle_annotate::RuleRecognizer;
use chronicle_clean::CleanConfig;
use chronicle_ingest::{IngestConfig, Item, Reader};
use chronicle_model::{BodyFormat, RawDocument};

/// A fuzz target: a name (the folder of its corpus) and what it runs.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by name.
pub const TARGETS: &[Target] = &[
    ("clean_html", clean_html),
    ("clean_text", clean_text),
    ("markdown", markdown),
    ("feed", feed),
    ("warc", warc),
    ("json", json),
    ("opml", opml),
    ("charset", charset),
    ("dates", dates),
    ("quotes", quotes),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<fn(&[u8])> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// Limits small enough that a fuzzer explores structure rather than size.
fn config() -> IngestConfig {
    IngestConfig {
        max_document_bytes: 1 << 20,
        max_decompressed_bytes: 1 << 20,
        max_feed_items: 64,
        ..IngestConfig::default()
    }
}

/// Cleans and annotates a document, checking what comes out.
fn clean_and_annotate(document: &RawDocument) {
    let config = CleanConfig::default();
    match chronicle_clean::clean(document, &config) {
        Ok(article) => {
            assert!(article.text.len() <= config.max_text_bytes);
            let annotated = chronicle_annotate::annotate(&article, &RuleRecognizer);
            for mention in &annotated.dates {
                assert!(article.text.get(mention.span.clone()).is_some());
            }
        }
        Err(skip) => assert_eq!(skip.input, document.source, "a skip names its input"),
    }
}

fn document(bytes: &[u8], format: BodyFormat) -> RawDocument {
    let mut document = RawDocument::new("https://fuzz.example/page", bytes.to_vec());
    document.format = Some(format);
    document
}

/// An HTML page through cleaning and annotation.
pub fn clean_html(data: &[u8]) {
    clean_and_annotate(&document(data, BodyFormat::Html));
}

/// Scraped plain text through cleaning and annotation.
pub fn clean_text(data: &[u8]) {
    clean_and_annotate(&document(data, BodyFormat::Text));
}

/// A Markdown document (front matter, event records) through the Markdown reader,
/// cleaning and annotation.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = chronicle_clean::markdown::read(&text);
    clean_and_annotate(&document(data, BodyFormat::Markdown));
}

/// Reads `bytes` as the file `name`, cleans every document read, and checks that each
/// item names where it came from.
fn read(name: &str, bytes: Vec<u8>) {
    let mut reader = Reader::new(config());
    let mut items = 0usize;
    reader.read_bytes(name, bytes, Some(name), &mut |item| {
        items += 1;
        match item {
            Item::Document(document) => {
                assert!(
                    document.source.starts_with(name),
                    "{} is not from {name}",
                    document.source
                );
                clean_and_annotate(&document);
            }
            Item::Skip(skip) => {
                assert!(
                    skip.input.starts_with(name),
                    "the skip names {}, not {name}",
                    skip.input
                );
                assert!(!skip.message.is_empty());
            }
        }
    });
    assert!(items > 0, "an input gives at least one item");
}

/// The first byte picks the kind of feed, the rest is its body: RSS 2.0, RSS 1.0 (RDF),
/// Atom or JSON Feed, each read as a feed whatever follows the opening.
pub fn feed(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let opening: &[u8] = match kind % 4 {
        0 => b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>",
        1 => b"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">",
        2 => b"<feed xmlns=\"http://www.w3.org/2005/Atom\">",
        _ => b"{\"version\": \"https://jsonfeed.org/version/1.1\", ",
    };
    read("feed.xml", [opening, rest].concat());
}

/// A web archive: the input follows a WARC version line, plain or, when the first
/// byte is odd, gzip-compressed (one member, as a `.warc.gz` record is).
pub fn warc(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = [b"WARC/1.0\r\n".as_slice(), rest].concat();
    if mode % 2 == 1 {
        read("crawl.warc.gz", gzip(&bytes));
    } else {
        read("crawl.warc", bytes);
    }
}

/// Gzip without compression: the fuzzer's bytes stay visible in the stream.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .expect("writing to memory")
}

/// JSON lines, a JSON array or one JSON object of articles.
pub fn json(data: &[u8]) {
    read("articles.jsonl", [b"{".as_slice(), data].concat());
}

/// An OPML list. Only its parser: a reader would go on to fetch the feeds it names.
pub fn opml(data: &[u8]) {
    if let Ok(urls) = chronicle_ingest::fuzzing::opml_feed_urls(data) {
        assert!(urls.iter().all(|url| !url.is_empty()));
    }
}

/// Kind sniffing and charset detection: the first byte picks a declared charset.
pub fn charset(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let declared = match pick % 5 {
        0 => None,
        1 => Some("utf-8"),
        2 => Some("windows-1252"),
        3 => Some("shift_jis"),
        _ => Some("utf-16le"),
    };
    let _ = chronicle_sniff::sniff(rest, Some("page.html"));
    let _ = chronicle_sniff::declared_charset(rest);
    let decoded = chronicle_sniff::decode(rest, declared);
    assert!(decoded.replacements <= rest.len());
}

/// Dates in metadata, URLs and article text.
pub fn dates(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = chronicle_clean::dates::parse_date(&text);
    if let Some(span) = chronicle_clean::dates::date_span(&text) {
        assert!(text.get(span).is_some(), "a date span inside the text");
    }
    let _ = chronicle_clean::dates::date_from_url(&text);
    let published = chrono::NaiveDate::from_ymd_opt(2026, 3, 14);
    for mention in chronicle_annotate::dates::mentions(&text, published) {
        assert_eq!(text.get(mention.span.clone()), Some(mention.text.as_str()));
    }
}

/// Quotations and their speakers in article text.
pub fn quotes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for piece in chronicle_annotate::quotes::pieces(&text) {
        assert!(text.get(piece).is_some(), "a quoted piece inside the text");
    }
    for quote in chronicle_annotate::quotes::quotes(&text) {
        assert!(text.get(quote.span.clone()).is_some());
        for piece in &quote.pieces {
            assert!(text.get(piece.clone()).is_some());
        }
        if let Some((_, span)) = &quote.speaker {
            assert!(text.get(span.clone()).is_some());
        }
        let _ = quote.text(&text);
    }
}
