//! The [`Reader`]: one entry point for every kind of input, and the dispatch from
//! sniffed content to the reader of each format.

use crate::config::IngestConfig;
use crate::error::Error;
use crate::feed::{self, FeedEntry};
use crate::http::Fetcher;
use crate::limit::{capped_gunzip, read_capped};
use crate::{Item, json, opml, warc};
use chronicle_model::{BodyFormat, Hints, RawDocument, Skip, SkipReason};
use chronicle_sniff::{Kind, sniff};
use chrono::{DateTime, Utc};
use std::io::{self, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use url::Url;

/// How many leading bytes are read to sniff an input's kind.
const SNIFF_BYTES: u64 = 8192;

/// The read buffer of streamed containers: large enough that a multi-gigabyte archive
/// is not read in a million small system calls.
const STREAM_BUFFER_BYTES: usize = 64 * 1024;

/// How deeply containers may nest: gzip in gzip, an OPML list naming another. Deeper
/// nesting is a loop or an attack, never news.
const MAX_NESTING: u32 = 4;

/// Reads inputs into [`Item`]s. Holds the configuration, the HTTP client and the
/// robots.txt rules of the hosts met so far, so one `Reader` should serve a whole run.
#[derive(Debug)]
pub struct Reader {
    config: IngestConfig,
    fetcher: Fetcher,
    /// Set when whoever receives the items has gone away: folders stop being walked.
    cancel: Arc<AtomicBool>,
    /// URLs answered "not modified" while reading the current input.
    not_modified: usize,
}

/// Where the bytes being read came from, and what is known about them already.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    /// The name given to documents and skips read from these bytes.
    pub(crate) source: String,
    /// A file name or URL path: a hint for telling Markdown from text.
    pub(crate) name_hint: Option<String>,
    /// What relative references inside the bytes (OPML entries) are resolved against.
    pub(crate) base: Base,
    pub(crate) charset: Option<String>,
    pub(crate) fetched_at: Option<DateTime<Utc>>,
    pub(crate) hints: Hints,
    /// When set, a page read from these bytes must be allowed by this URL's robots.txt.
    pub(crate) robots: Option<Url>,
    /// The size, when known before reading (file size, Content-Length).
    pub(crate) length: Option<u64>,
    /// The bytes come over the network: they may not lead to local files.
    pub(crate) network: bool,
    pub(crate) nesting: u32,
    /// Only a single page is expected (a feed item's link): no containers.
    pub(crate) pages_only: bool,
}

/// What relative references are resolved against.
#[derive(Clone, Debug)]
pub(crate) enum Base {
    Folder(PathBuf),
    Url(Url),
}

impl Origin {
    pub(crate) fn new(source: impl Into<String>, base: Base) -> Self {
        Self {
            source: source.into(),
            name_hint: None,
            base,
            charset: None,
            fetched_at: None,
            hints: Hints::default(),
            robots: None,
            length: None,
            network: false,
            nesting: 0,
            pages_only: false,
        }
    }
}

/// Why a URL is fetched, which decides the robots.txt rules and what it may hold.
#[derive(Debug)]
enum Fetch {
    /// An input the user named: anything. A page is checked against robots.txt.
    Input,
    /// A feed named by an OPML list: meant for machines, so robots.txt does not apply
    /// (unless it turns out to be a page).
    Feed,
    /// The page of a feed item, with the item's hints; robots.txt is asked first.
    Linked(Box<Hints>),
}

impl Reader {
    /// A reader with the given configuration.
    pub fn new(config: IngestConfig) -> Self {
        let fetcher = Fetcher::new(config.http.clone());
        Self {
            config,
            fetcher,
            cancel: Arc::new(AtomicBool::new(false)),
            not_modified: 0,
        }
    }

    /// A flag that, once set (from any thread), stops this reader at the next file: for
    /// a consumer that failed and wants no more items.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    /// Whether reading was cancelled.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The configuration this reader was made with.
    pub fn config(&self) -> &IngestConfig {
        &self.config
    }

    /// Reads one input — a file or folder path, a `file://` URL, `-` for standard input,
    /// or an `http(s)://` URL — and calls `emit` for each item as it is read. Nothing is
    /// held longer than needed: a web archive of any size streams through.
    ///
    /// Every input gives at least one item: an input that yields no document gives a
    /// [`Skip`] naming it.
    pub fn read(&mut self, input: &str, emit: &mut dyn FnMut(Item)) {
        self.counted(input, emit, |reader, emit| {
            reader.read_input(input, 0, emit)
        });
    }

    /// Reads `bytes` as if they were a file named `source`; `name_hint` (a file name)
    /// only helps tell Markdown from plain text. Used for standard input and in tests.
    pub fn read_bytes(
        &mut self,
        source: &str,
        bytes: Vec<u8>,
        name_hint: Option<&str>,
        emit: &mut dyn FnMut(Item),
    ) {
        let base = match Url::parse(source) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Base::Url(url),
            _ => Base::Folder(current_folder()),
        };
        let mut origin = Origin::new(source, base);
        origin.name_hint = name_hint.map(str::to_string);
        origin.length = Some(bytes.len() as u64);
        self.counted(source, emit, |reader, emit| {
            reader.read_stream(origin, Box::new(Cursor::new(bytes)), emit);
        });
    }

    /// Runs `read` with the `--outlet` override applied to every document, and a skip
    /// for `input` if nothing at all came of it.
    fn counted(
        &mut self,
        input: &str,
        emit: &mut dyn FnMut(Item),
        read: impl FnOnce(&mut Self, &mut dyn FnMut(Item)),
    ) {
        let outlet = self.config.outlet.clone();
        let mut count = 0usize;
        self.not_modified = 0;
        read(self, &mut |mut item| {
            count += 1;
            if let (Some(outlet), Item::Document(document)) = (&outlet, &mut item) {
                document.hints.outlet = Some(outlet.clone());
            }
            emit(item);
        });
        // An input unchanged since it was last read is not empty: it has nothing new.
        if count == 0 && self.not_modified == 0 {
            emit(Item::Skip(Skip::new(
                input,
                SkipReason::Empty,
                "there was nothing to read",
            )));
        }
    }

    pub(crate) fn read_input(&mut self, input: &str, nesting: u32, emit: &mut dyn FnMut(Item)) {
        if input == "-" {
            let mut origin = Origin::new("stdin:", Base::Folder(current_folder()));
            origin.nesting = nesting;
            return self.read_stream(origin, Box::new(io::stdin().lock()), emit);
        }
        match url_scheme(input).as_deref() {
            Some("http" | "https") => self.read_url(input, Fetch::Input, nesting, emit),
            Some("file") => match Url::parse(input)
                .ok()
                .and_then(|url| url.to_file_path().ok())
            {
                Some(path) => self.read_path(&path, nesting, emit),
                None => emit(Item::Skip(Skip::new(
                    input,
                    SkipReason::Malformed,
                    "not a valid file URL",
                ))),
            },
            Some(scheme) => emit(Item::Skip(
                Error::Scheme {
                    scheme: scheme.to_string(),
                }
                .into_skip(input),
            )),
            None => self.read_path(Path::new(input), nesting, emit),
        }
    }

    fn read_url(&mut self, input: &str, why: Fetch, nesting: u32, emit: &mut dyn FnMut(Item)) {
        let url = match Url::parse(input) {
            Ok(url) => url,
            Err(error) => {
                return emit(Item::Skip(Skip::new(
                    input,
                    SkipReason::Malformed,
                    format!("not a valid URL: {error}"),
                )));
            }
        };
        if let Fetch::Linked(_) = why
            && !self.fetcher.allowed(&url)
        {
            return emit(Item::Skip(Error::Robots(host_of(&url)).into_skip(input)));
        }
        // An input (a feed, a list, a page named by the user) is asked for only if it
        // changed since this process last read it; a feed item's page is fetched once.
        let fetched = match why {
            Fetch::Linked(_) => self.fetcher.get(&url),
            _ => self.fetcher.get_conditional(&url),
        };
        let fetched = match fetched {
            Ok(fetched) => fetched,
            // Unchanged since it was last read: nothing new to emit.
            Err(Error::NotModified) => {
                self.not_modified += 1;
                return;
            }
            Err(error) => return emit(Item::Skip(error.into_skip(input))),
        };
        let mut origin = Origin::new(fetched.url.as_str(), Base::Url(fetched.url.clone()));
        origin.name_hint = Some(fetched.url.path().to_string());
        origin.charset = fetched.charset;
        origin.fetched_at = Some(fetched.fetched_at);
        origin.length = fetched.length;
        origin.network = true;
        origin.nesting = nesting;
        // Robots.txt is asked about pages only, and about the final URL after redirects.
        origin.robots = Some(fetched.url.clone());
        origin.hints.url = Some(fetched.url.to_string());
        if let Fetch::Linked(hints) = why {
            origin.hints = *hints;
            origin.pages_only = true;
        }
        self.read_stream(origin, fetched.body, emit);
    }

    /// Sniffs what `input` holds and hands it to the reader of that kind.
    pub(crate) fn read_stream(
        &mut self,
        mut origin: Origin,
        mut input: Box<dyn Read + '_>,
        emit: &mut dyn FnMut(Item),
    ) {
        let mut head = Vec::new();
        let input: Box<dyn Read + '_> =
            match input.by_ref().take(SNIFF_BYTES).read_to_end(&mut head) {
                Ok(_) => input,
                Err(error) if head.is_empty() => {
                    return emit(Item::Skip(
                        Error::from_io(error, origin.network).into_skip(&origin.source),
                    ));
                }
                // What was read before a break is still worth reading (the whole records
                // of a small truncated archive); the error comes after it.
                Err(error) => Box::new(FailingReader(Some(error))),
            };
        let kind = sniff(&head, origin.name_hint.as_deref());
        let stream = Cursor::new(head).chain(input);
        let skip = |reason, message: String| Item::Skip(Skip::new(&origin.source, reason, message));
        let is_container = matches!(
            kind,
            Kind::Warc | Kind::Json | Kind::Feed | Kind::JsonFeed | Kind::Opml
        );
        if origin.pages_only && is_container {
            return emit(skip(
                SkipReason::Unsupported,
                format!("expected a page, found {}", kind_name(kind)),
            ));
        }
        let max_bytes = self.config.max_document_bytes;
        match kind {
            Kind::Empty => emit(skip(SkipReason::Empty, "the input is empty".into())),
            Kind::Binary(format) => emit(skip(
                SkipReason::Binary,
                format!("{format}, not a document"),
            )),
            Kind::OtherXml => emit(skip(
                SkipReason::Unsupported,
                "XML that is neither a feed, an OPML list nor an XHTML page".into(),
            )),
            Kind::Gzip => {
                if origin.nesting >= MAX_NESTING {
                    return emit(skip(
                        SkipReason::Unsupported,
                        "gzip nested too deeply".into(),
                    ));
                }
                origin.nesting += 1;
                origin.length = None;
                origin.name_hint = origin
                    .name_hint
                    .map(|name| name.trim_end_matches(".gz").to_string());
                let decompressed = capped_gunzip(
                    BufReader::with_capacity(STREAM_BUFFER_BYTES, stream),
                    self.config.max_decompressed_bytes,
                );
                self.read_stream(origin, Box::new(decompressed), emit);
            }
            Kind::Warc => warc::read(
                &origin.source,
                BufReader::with_capacity(STREAM_BUFFER_BYTES, stream),
                max_bytes,
                emit,
            ),
            Kind::Json => json::read(
                &origin.source,
                BufReader::with_capacity(STREAM_BUFFER_BYTES, stream),
                max_bytes,
                emit,
            ),
            Kind::Html | Kind::Text | Kind::Markdown | Kind::Feed | Kind::JsonFeed | Kind::Opml => {
                if let Some(size) = origin.length.filter(|size| *size > max_bytes) {
                    let error = Error::TooLargeBySize {
                        size,
                        limit: max_bytes,
                    };
                    return emit(Item::Skip(error.into_skip(&origin.source)));
                }
                let bytes = match read_capped(stream, max_bytes) {
                    Ok(bytes) => bytes,
                    Err(error) => {
                        return emit(Item::Skip(
                            Error::from_io(error, origin.network).into_skip(&origin.source),
                        ));
                    }
                };
                match kind.body_format() {
                    Some(format) => self.emit_page(origin, bytes, format, emit),
                    None if kind == Kind::Opml => self.read_opml(&origin, &bytes, emit),
                    None => self.read_feed(&origin, &bytes, emit),
                }
            }
        }
    }

    fn emit_page(
        &mut self,
        origin: Origin,
        bytes: Vec<u8>,
        format: BodyFormat,
        emit: &mut dyn FnMut(Item),
    ) {
        if let Some(url) = &origin.robots
            && !self.fetcher.allowed(url)
        {
            return emit(Item::Skip(
                Error::Robots(host_of(url)).into_skip(&origin.source),
            ));
        }
        emit(Item::Document(RawDocument {
            source: origin.source,
            bytes,
            format: Some(format),
            charset: origin.charset,
            hints: origin.hints,
            fetched_at: origin.fetched_at,
        }));
    }

    fn read_feed(&mut self, origin: &Origin, bytes: &[u8], emit: &mut dyn FnMut(Item)) {
        let base_url = match &origin.base {
            Base::Url(url) => Some(url.as_str()),
            Base::Folder(_) => None,
        };
        let parsed = match feed::parse(&origin.source, base_url, bytes, self.config.max_feed_items)
        {
            Ok(parsed) => parsed,
            Err(skip) => return emit(Item::Skip(skip)),
        };
        if parsed.entries.is_empty() && parsed.left_out == 0 {
            emit(Item::Skip(Skip::new(
                &origin.source,
                SkipReason::Empty,
                "the feed has no items",
            )));
        }
        for entry in parsed.entries {
            match entry {
                FeedEntry::Full(mut document) => {
                    document.fetched_at = origin.fetched_at;
                    emit(Item::Document(document));
                }
                FeedEntry::Linked {
                    link: Some(link),
                    hints,
                    ..
                } if self.config.fetch_linked => {
                    self.read_url(
                        &link,
                        Fetch::Linked(Box::new(hints)),
                        origin.nesting + 1,
                        emit,
                    );
                }
                FeedEntry::Linked { fallback, .. } => emit(*fallback),
            }
        }
        if parsed.left_out > 0 {
            emit(Item::Skip(Skip::new(
                &origin.source,
                SkipReason::TooLarge,
                format!(
                    "the feed has {} more items than max_feed_items ({}); they were not read",
                    parsed.left_out, self.config.max_feed_items
                ),
            )));
        }
    }

    fn read_opml(&mut self, origin: &Origin, bytes: &[u8], emit: &mut dyn FnMut(Item)) {
        let skip = |reason, message: String| Item::Skip(Skip::new(&origin.source, reason, message));
        let references = match opml::feed_urls(bytes) {
            Ok(references) => references,
            Err(problem) => {
                return emit(skip(
                    SkipReason::Malformed,
                    format!("the OPML list does not parse: {problem}"),
                ));
            }
        };
        if references.is_empty() {
            return emit(skip(
                SkipReason::Empty,
                "the OPML list names no feeds".into(),
            ));
        }
        if origin.nesting >= MAX_NESTING {
            return emit(skip(
                SkipReason::Unsupported,
                "OPML lists nested too deeply".into(),
            ));
        }
        let nesting = origin.nesting + 1;
        for reference in references {
            let resolved = match (Url::parse(&reference), &origin.base) {
                (Ok(url), _) => Reference::Url(url),
                (Err(_), Base::Url(base)) => match base.join(&reference) {
                    Ok(url) => Reference::Url(url),
                    Err(error) => {
                        emit(Item::Skip(Skip::new(
                            &reference,
                            SkipReason::Malformed,
                            format!("not a valid URL: {error}"),
                        )));
                        continue;
                    }
                },
                (Err(_), Base::Folder(folder)) => Reference::Path(folder.join(&reference)),
            };
            match resolved {
                Reference::Url(url) if matches!(url.scheme(), "http" | "https") => {
                    self.read_url(url.as_str(), Fetch::Feed, nesting, emit);
                }
                // A list from the network must not make us read local files.
                Reference::Url(url) if url.scheme() == "file" && !origin.network => {
                    match url.to_file_path() {
                        Ok(path) => self.read_path(&path, nesting, emit),
                        Err(()) => emit(Item::Skip(Skip::new(
                            &reference,
                            SkipReason::Malformed,
                            "not a valid file URL",
                        ))),
                    }
                }
                Reference::Url(url) => emit(Item::Skip(
                    Error::Scheme {
                        scheme: url.scheme().to_string(),
                    }
                    .into_skip(&reference),
                )),
                Reference::Path(path) => self.read_path(&path, nesting, emit),
            }
        }
    }
}

/// A reader that fails with a stored error once, then ends.
struct FailingReader(Option<io::Error>);

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        self.0.take().map_or(Ok(0), Err)
    }
}

enum Reference {
    Url(Url),
    Path(PathBuf),
}

/// The scheme of an input written as a URL (`https://…`, `file:///…`); None for paths.
fn url_scheme(input: &str) -> Option<String> {
    let (scheme, _) = input.split_once("://")?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

fn host_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn current_folder() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Warc => "a web archive",
        Kind::Json => "JSON",
        Kind::Feed | Kind::JsonFeed => "a feed",
        Kind::Opml => "an OPML list",
        _ => "something else",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_urls_from_paths() {
        assert_eq!(url_scheme("https://a.example/x").as_deref(), Some("https"));
        assert_eq!(url_scheme("HTTP://a.example/").as_deref(), Some("http"));
        assert_eq!(url_scheme("file:///tmp/x").as_deref(), Some("file"));
        assert_eq!(url_scheme("ftp://a.example/").as_deref(), Some("ftp"));
        assert_eq!(url_scheme("notes/a://b.txt"), None);
        assert_eq!(url_scheme("/tmp/page.html"), None);
    }
}
