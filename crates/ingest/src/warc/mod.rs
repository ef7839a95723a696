//! WARC web archives (1.0 and 1.1), read record by record from a stream: a 5 GB
//! archive is never held in memory, only one record at a time, and only one that passes
//! the size cap.
//!
//! HTML pages become documents named `<archive>#<WARC-Record-ID>`: `response` records
//! holding an HTTP response, and `resource` records of an HTML type. Other responses are
//! skips (one per record); `warcinfo`, `request`, `metadata` and `revisit` records are
//! passed over silently, since they never hold a page.

mod payload;

use crate::Item;
use crate::error::Error;
use crate::http::charset_parameter;
use crate::limit::CountingReader;
use chronicle_model::{BodyFormat, Hints, RawDocument, Skip, SkipReason};
use chronicle_sniff::{Kind, sniff};
use chrono::{DateTime, Utc};
use std::io::{self, BufRead, Read};

/// A record header larger than this is not a WARC header.
const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// Reads the records of the archive `source` from `input`, emitting a document or skip
/// for each page-like record. Reading stops at the first broken record, after a skip
/// that names the archive and the record's byte offset (in the uncompressed stream);
/// every record before it has been emitted.
pub(crate) fn read(
    source: &str,
    input: impl BufRead,
    max_record_bytes: u64,
    emit: &mut dyn FnMut(Item),
) {
    let mut input = CountingReader::new(input);
    loop {
        let offset = input.position();
        match skip_blank_lines(&mut input) {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => return emit(broken(source, offset, error)),
        }
        let offset = input.position();
        let header = match read_header(&mut input) {
            Ok(header) => header,
            Err(HeaderError::Io(error)) => return emit(broken(source, offset, error)),
            Err(HeaderError::Truncated) => {
                return emit(Item::Skip(Skip::new(
                    source,
                    SkipReason::Truncated,
                    format!(
                        "the web archive ends inside the header of the record at byte {offset}"
                    ),
                )));
            }
            Err(HeaderError::Malformed(problem)) => {
                return emit(Item::Skip(Skip::new(
                    source,
                    SkipReason::Malformed,
                    format!("the record at byte {offset} is not a WARC record: {problem}"),
                )));
            }
        };
        let record_type = header
            .get("warc-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let holds_page = matches!(record_type.as_str(), "response" | "resource");
        let name = format!("{source}#{}", header.record_id(offset));
        let length = header.content_length;
        let body = if holds_page && length <= max_record_bytes {
            // The length was checked against the cap above; a lying header cannot make
            // us allocate more than that.
            let mut body = Vec::with_capacity(usize::try_from(length.min(1 << 20)).unwrap_or(0));
            (&mut input)
                .take(length)
                .read_to_end(&mut body)
                .map(|read| (read as u64, Some(body)))
        } else {
            if holds_page {
                emit(Item::Skip(Skip::new(
                    &name,
                    SkipReason::TooLarge,
                    format!(
                        "the archived record of {length} bytes is larger than the cap of {max_record_bytes} bytes"
                    ),
                )));
            }
            io::copy(&mut (&mut input).take(length), &mut io::sink()).map(|read| (read, None))
        };
        match body {
            Err(error) => return emit(broken(source, offset, error)),
            Ok((read, _)) if read < length => {
                return emit(Item::Skip(Skip::new(
                    source,
                    SkipReason::Truncated,
                    format!("the record at byte {offset} ends after {read} of its {length} bytes"),
                )));
            }
            Ok((_, Some(body))) => {
                if let Some(item) = record_item(&record_type, &header, name, body, max_record_bytes)
                {
                    emit(item);
                }
            }
            Ok((_, None)) => {}
        }
    }
}

fn broken(source: &str, offset: u64, error: io::Error) -> Item {
    let skip = Error::from_io(error, false).into_skip(source);
    Item::Skip(Skip {
        message: format!("at the record at byte {offset}: {}", skip.message),
        ..skip
    })
}

/// Consumes the blank lines between records. False at the end of the input.
fn skip_blank_lines(input: &mut impl BufRead) -> io::Result<bool> {
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(false);
        }
        let blank = available
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if blank == 0 {
            return Ok(true);
        }
        input.consume(blank);
    }
}

/// A record's named fields and its block length.
#[derive(Debug)]
struct Header {
    fields: Vec<(String, String)>,
    content_length: u64,
}

impl Header {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// A URI header without the angle brackets that WARC 1.0 put around some of them.
    fn uri(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(|value| {
                value
                    .trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
            .filter(|value| !value.is_empty())
    }

    fn record_id(&self, offset: u64) -> String {
        self.uri("warc-record-id")
            .unwrap_or_else(|| format!("record-at-byte-{offset}"))
    }
}

#[derive(Debug)]
enum HeaderError {
    Io(io::Error),
    Truncated,
    Malformed(String),
}

fn read_header(input: &mut impl BufRead) -> Result<Header, HeaderError> {
    let mut budget = MAX_HEADER_BYTES;
    let version = read_header_line(input, &mut budget)?.ok_or(HeaderError::Truncated)?;
    if !version.starts_with("WARC/") {
        let shown: String = version.chars().take(40).collect();
        return Err(HeaderError::Malformed(format!(
            "it starts with {shown:?}, not a WARC version"
        )));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    loop {
        let line = read_header_line(input, &mut budget)?.ok_or(HeaderError::Truncated)?;
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            // A folded line continues the previous field.
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeaderError::Malformed(format!(
                "the header line {line:?} has no colon"
            )));
        };
        fields.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut header = Header {
        fields,
        content_length: 0,
    };
    let length = header
        .get("content-length")
        .ok_or_else(|| HeaderError::Malformed("it has no Content-Length".into()))?;
    header.content_length = length.trim().parse().map_err(|_| {
        HeaderError::Malformed(format!("Content-Length {length:?} is not a number"))
    })?;
    Ok(header)
}

/// One header line without its line end; None at the end of the input. Lines share a
/// budget so that a header without end cannot grow without bound.
fn read_header_line(
    input: &mut impl BufRead,
    budget: &mut usize,
) -> Result<Option<String>, HeaderError> {
    let mut line = Vec::new();
    loop {
        let available = input.fill_buf().map_err(HeaderError::Io)?;
        if available.is_empty() {
            return Ok(None);
        }
        let newline = available.iter().position(|b| *b == b'\n');
        let take = newline.map_or(available.len(), |at| at + 1);
        if take > *budget {
            return Err(HeaderError::Malformed(format!(
                "its header is longer than {MAX_HEADER_BYTES} bytes"
            )));
        }
        *budget -= take;
        line.extend_from_slice(&available[..take]);
        input.consume(take);
        if newline.is_some() {
            let text = String::from_utf8_lossy(&line);
            return Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()));
        }
    }
}

/// The document or skip that a `response` or `resource` record gives, if any.
fn record_item(
    record_type: &str,
    header: &Header,
    name: String,
    block: Vec<u8>,
    max_bytes: u64,
) -> Option<Item> {
    let target = header.uri("warc-target-uri");
    let about = target.as_deref().unwrap_or("no target URI").to_string();
    let content_type = header
        .get("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let skip = |reason, message: String| Some(Item::Skip(Skip::new(&name, reason, message)));
    let (body, charset) = match record_type {
        "response" => {
            if !content_type.starts_with("application/http") {
                return skip(
                    SkipReason::Unsupported,
                    format!("a response record of type {content_type:?}, not HTTP ({about})"),
                );
            }
            let response = match payload::parse_response(&block) {
                Ok(response) => response,
                Err(problem) => return skip(SkipReason::Malformed, format!("{problem} ({about})")),
            };
            if !(200..300).contains(&response.status) {
                return skip(
                    SkipReason::HttpStatus,
                    format!(
                        "the archived response has HTTP status {} ({about})",
                        response.status
                    ),
                );
            }
            let http_type = response
                .header("content-type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            let chunked = response
                .header("transfer-encoding")
                .is_some_and(|value| value.to_ascii_lowercase().contains("chunked"));
            let encoding = response
                .header("content-encoding")
                .unwrap_or_default()
                .to_string();
            let charset = charset_parameter(&http_type);
            let mut body = response.body;
            if chunked && let Some(dechunked) = payload::dechunk(&body) {
                body = dechunked;
            }
            let body = match payload::decode_content(body, &encoding, max_bytes) {
                Ok(Some(body)) => body,
                Ok(None) => {
                    return skip(
                        SkipReason::Unsupported,
                        format!(
                            "the archived response has content encoding {encoding:?} ({about})"
                        ),
                    );
                }
                Err(error) => {
                    return Some(Item::Skip(Error::from_io(error, false).into_skip(&name)));
                }
            };
            if !is_html(&http_type, &body) {
                return skip(
                    SkipReason::Unsupported,
                    format!(
                        "an archived {} response, not an HTML page ({about})",
                        type_name(&http_type)
                    ),
                );
            }
            (body, charset)
        }
        "resource" => {
            if !is_html(&content_type, &block) {
                return skip(
                    SkipReason::Unsupported,
                    format!(
                        "an archived {} resource, not an HTML page ({about})",
                        type_name(&content_type)
                    ),
                );
            }
            (block, charset_parameter(&content_type))
        }
        _ => return None,
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return skip(
            SkipReason::Empty,
            format!("the archived page is empty ({about})"),
        );
    }
    Some(Item::Document(RawDocument {
        source: name,
        bytes: body,
        format: Some(BodyFormat::Html),
        charset,
        hints: Hints {
            url: target,
            ..Hints::default()
        },
        fetched_at: header.get("warc-date").and_then(parse_warc_date),
    }))
}

/// Whether a declared type names an HTML page; with no type declared, the bytes decide.
fn is_html(content_type: &str, body: &[u8]) -> bool {
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    match mime {
        "text/html" | "application/xhtml+xml" => true,
        "" => sniff(body, None) == Kind::Html,
        _ => false,
    }
}

fn type_name(content_type: &str) -> &str {
    match content_type.split(';').next().unwrap_or_default().trim() {
        "" => "untyped",
        mime => mime,
    }
}

fn parse_warc_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|date| date.with_timezone(&Utc))
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builders of WARC records for tests.

    /// One WARC/1.1 record with the given type, target and block.
    pub(crate) fn record(
        record_type: &str,
        id: &str,
        target: &str,
        content_type: &str,
        block: &[u8],
    ) -> Vec<u8> {
        let mut record = format!(
            "WARC/1.1\r\nWARC-Type: {record_type}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
             WARC-Date: 2025-03-04T09:30:00Z\r\nWARC-Target-URI: {target}\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        record.extend_from_slice(block);
        record.extend_from_slice(b"\r\n\r\n");
        record
    }

    /// A `response` record holding an HTTP response.
    pub(crate) fn response(
        id: &str,
        target: &str,
        status: u16,
        headers: &str,
        body: &[u8],
    ) -> Vec<u8> {
        let mut http = format!("HTTP/1.1 {status} X\r\n{headers}\r\n").into_bytes();
        http.extend_from_slice(body);
        record(
            "response",
            id,
            target,
            "application/http; msgtype=response",
            &http,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{record, response};
    use super::*;

    const SOURCE: &str = "file:///crawl/a.warc";

    fn read_all(bytes: &[u8], max: u64) -> Vec<Item> {
        let mut items = Vec::new();
        read(SOURCE, bytes, max, &mut |item| items.push(item));
        items
    }

    fn summary(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|item| match item {
                Item::Document(document) => format!("doc {}", document.source),
                Item::Skip(skip) => format!("{} {}", skip.reason, skip.input),
            })
            .collect()
    }

    #[test]
    fn reads_pages_and_passes_over_the_rest() {
        let mut archive = record(
            "warcinfo",
            "0",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        );
        archive.extend(record(
            "request",
            "1",
            "https://a.example/",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        archive.extend(response(
            "2",
            "https://a.example/",
            200,
            "Content-Type: text/html; charset=ISO-8859-1\r\n",
            b"<html><p>caf\xe9</p></html>",
        ));
        archive.extend(response(
            "3",
            "https://a.example/logo.png",
            200,
            "Content-Type: image/png\r\n",
            b"\x89PNG",
        ));
        archive.extend(response(
            "4",
            "https://a.example/old",
            301,
            "Location: /\r\n",
            b"",
        ));
        archive.extend(response(
            "5",
            "https://a.example/chunked",
            200,
            "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
            b"4\r\n<p>a\r\n5\r\nb</p>\r\n0\r\n\r\n",
        ));
        archive.extend(record(
            "resource",
            "6",
            "https://a.example/r",
            "text/html",
            b"<p>resource</p>",
        ));
        archive.extend(record(
            "metadata",
            "7",
            "https://a.example/",
            "application/warc-fields",
            b"via: x\r\n",
        ));
        let items = read_all(&archive, 1 << 20);
        assert_eq!(
            summary(&items),
            [
                "doc file:///crawl/a.warc#urn:uuid:2",
                "unsupported file:///crawl/a.warc#urn:uuid:3",
                "http-status file:///crawl/a.warc#urn:uuid:4",
                "doc file:///crawl/a.warc#urn:uuid:5",
                "doc file:///crawl/a.warc#urn:uuid:6",
            ]
        );
        let Item::Document(page) = &items[0] else {
            unreachable!()
        };
        assert_eq!(page.bytes, b"<html><p>caf\xe9</p></html>");
        assert_eq!(page.charset.as_deref(), Some("iso-8859-1"));
        assert_eq!(page.hints.url.as_deref(), Some("https://a.example/"));
        assert_eq!(
            page.fetched_at.unwrap().to_rfc3339(),
            "2025-03-04T09:30:00+00:00"
        );
        let Item::Skip(image) = &items[1] else {
            unreachable!()
        };
        assert!(image.message.contains("image/png"), "{}", image.message);
        let Item::Document(chunked) = &items[3] else {
            unreachable!()
        };
        assert_eq!(chunked.bytes, b"<p>ab</p>");
    }

    #[test]
    fn a_truncated_record_keeps_those_before_it() {
        let mut archive = response(
            "1",
            "https://a.example/1",
            200,
            "Content-Type: text/html\r\n",
            b"<p>one</p>",
        );
        archive.extend(response(
            "2",
            "https://a.example/2",
            200,
            "Content-Type: text/html\r\n",
            b"<p>two</p>",
        ));
        let third_at = archive.len();
        let third = response(
            "3",
            "https://a.example/3",
            200,
            "Content-Type: text/html\r\n",
            b"<p>three, cut short</p>",
        );
        archive.extend(&third[..third.len() - 12]);
        let items = read_all(&archive, 1 << 20);
        assert_eq!(
            summary(&items)[..2],
            [
                "doc file:///crawl/a.warc#urn:uuid:1",
                "doc file:///crawl/a.warc#urn:uuid:2"
            ]
        );
        let Item::Skip(skip) = &items[2] else {
            panic!("expected a skip")
        };
        assert_eq!(
            (skip.reason, skip.input.as_str()),
            (SkipReason::Truncated, SOURCE)
        );
        assert!(
            skip.message.contains(&format!("byte {third_at}")),
            "{}",
            skip.message
        );
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn oversized_records_are_skipped_without_reading_them_into_memory() {
        let mut archive = response(
            "1",
            "https://a.example/big",
            200,
            "Content-Type: text/html\r\n",
            &[b'x'; 500],
        );
        archive.extend(response(
            "2",
            "https://a.example/small",
            200,
            "Content-Type: text/html\r\n",
            b"<p>ok</p>",
        ));
        assert_eq!(
            summary(&read_all(&archive, 200)),
            [
                "too-large file:///crawl/a.warc#urn:uuid:1",
                "doc file:///crawl/a.warc#urn:uuid:2"
            ]
        );
        // A Content-Length far beyond the data is never allocated.
        let lying = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999999999\r\n\r\nshort";
        assert_eq!(
            summary(&read_all(lying, 1 << 20)),
            [
                "too-large file:///crawl/a.warc#record-at-byte-0",
                "truncated file:///crawl/a.warc"
            ]
        );
    }

    #[test]
    fn garbage_is_malformed() {
        let items = read_all(b"WARC/1.0\r\nno colon here\r\n\r\n", 100);
        assert_eq!(summary(&items), ["malformed file:///crawl/a.warc"]);
        let items = read_all(b"WARC/1.0\r\nContent-Length: x\r\n\r\n", 100);
        assert_eq!(summary(&items), ["malformed file:///crawl/a.warc"]);
        let items = read_all(b"WARC/1.0\r\nWARC-Type: response\r\n", 100);
        assert_eq!(summary(&items), ["truncated file:///crawl/a.warc"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes: Vec<u8>) {
            read(SOURCE, &bytes[..], 1 << 16, &mut |_| {});
        }

        #[test]
        fn never_panics_on_warc_like_input(tail: Vec<u8>, length in 0u64..64, kind in "(response|resource|warcinfo)") {
            let mut bytes = format!("WARC/1.1\r\nWARC-Type: {kind}\r\nContent-Type: application/http\r\nContent-Length: {length}\r\n\r\nHTTP/1.1 200 OK\r\n").into_bytes();
            bytes.extend(tail);
            read(SOURCE, &bytes[..], 1 << 16, &mut |_| {});
        }
    }
}
