//! The HTTP response inside a WARC `response` record: status, headers, and the body
//! with transfer and content encodings undone.

use crate::limit::{capped_gunzip, read_capped};
use flate2::read::{DeflateDecoder, ZlibDecoder};

/// An archived HTTP response.
#[derive(Debug)]
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of a header, by case-insensitive name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Splits an HTTP response into status, headers and body. Err names what is wrong.
pub(crate) fn parse_response(bytes: &[u8]) -> Result<HttpResponse, String> {
    let (head, body) =
        split_head(bytes).ok_or("the archived HTTP response has no end of headers")?;
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    let status = match (parts.next(), parts.next()) {
        (Some(version), Some(code)) if version.starts_with("HTTP/") => code.parse::<u16>().ok(),
        _ => None,
    }
    .ok_or_else(|| format!("not an HTTP status line: {:?}", truncate(status_line, 80)))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body: body.to_vec(),
    })
}

/// Head and body, split at the first blank line (CRLF or bare LF).
fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut at = 0;
    while at < bytes.len() {
        let end = bytes[at..].iter().position(|b| *b == b'\n')? + at;
        let line = &bytes[at..end];
        if line.is_empty() || line == b"\r" {
            return Some((&bytes[..at], &bytes[end + 1..]));
        }
        at = end + 1;
    }
    None
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// The body of a chunked transfer, or None if it is not well formed. Archives often
/// store the body already de-chunked while keeping the header, so the caller falls back
/// to the bytes as stored.
pub(crate) fn dechunk(mut bytes: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::with_capacity(bytes.len());
    loop {
        let end = bytes.iter().position(|b| *b == b'\n')?;
        let size_text = std::str::from_utf8(&bytes[..end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        bytes = &bytes[end + 1..];
        if size == 0 {
            return Some(body);
        }
        let chunk = bytes.get(..size)?;
        body.extend_from_slice(chunk);
        bytes = &bytes[size..];
        bytes = bytes
            .strip_prefix(b"\r\n")
            .or_else(|| bytes.strip_prefix(b"\n"))
            .unwrap_or(bytes);
    }
}

/// Undoes a `Content-Encoding`, capped at `limit` decoded bytes. Ok(None) for an
/// encoding we do not read. A body that does not decode as declared is returned as
/// stored, since archives often store the decoded body with the original header.
pub(crate) fn decode_content(
    body: Vec<u8>,
    encoding: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, std::io::Error> {
    match encoding.trim().to_ascii_lowercase().as_str() {
        "" | "identity" | "none" => Ok(Some(body)),
        "gzip" | "x-gzip" => {
            if !body.starts_with(&[0x1F, 0x8B]) {
                return Ok(Some(body));
            }
            read_capped(capped_gunzip(&body[..], limit), limit).map(Some)
        }
        "deflate" => {
            // "deflate" is meant to be zlib-wrapped, but some servers send it raw.
            match read_capped(ZlibDecoder::new(&body[..]), limit) {
                Ok(decoded) => Ok(Some(decoded)),
                Err(error) if crate::limit::exceeded_limit(&error).is_some() => Err(error),
                Err(_) => match read_capped(DeflateDecoder::new(&body[..]), limit) {
                    Ok(decoded) => Ok(Some(decoded)),
                    Err(error) if crate::limit::exceeded_limit(&error).is_some() => Err(error),
                    Err(_) => Ok(Some(body)),
                },
            }
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder, write::ZlibEncoder};
    use std::io::Write;

    #[test]
    fn parses_status_headers_and_body() {
        let response = parse_response(
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nX-A: b:c\r\n\r\n<p>gone</p>",
        )
        .unwrap();
        assert_eq!(response.status, 404);
        assert_eq!(response.header("content-type"), Some("text/html"));
        assert_eq!(response.header("X-a"), Some("b:c"));
        assert_eq!(response.body, b"<p>gone</p>");
        let bare = parse_response(b"HTTP/1.0 200 OK\nA: 1\n\nbody").unwrap();
        assert_eq!(bare.body, b"body");
        assert!(parse_response(b"GET / HTTP/1.1\r\n\r\n").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nA: 1").is_err());
    }

    #[test]
    fn dechunks() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n").unwrap(),
            b"hello, world"
        );
        assert_eq!(dechunk(b"<html>not chunked</html>"), None);
        assert_eq!(dechunk(b"ff\r\nshort"), None);
        assert_eq!(dechunk(b"ffffffffffffffffffffff\r\n"), None);
    }

    #[test]
    fn decodes_content_encodings() {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::fast());
        gzip.write_all(b"<p>zipped</p>").unwrap();
        let gzip = gzip.finish().unwrap();
        assert_eq!(
            decode_content(gzip.clone(), "gzip", 100).unwrap().unwrap(),
            b"<p>zipped</p>"
        );
        assert!(decode_content(gzip, "gzip", 5).is_err());
        let mut zlib = ZlibEncoder::new(Vec::new(), Compression::fast());
        zlib.write_all(b"<p>deflated</p>").unwrap();
        assert_eq!(
            decode_content(zlib.finish().unwrap(), "deflate", 100)
                .unwrap()
                .unwrap(),
            b"<p>deflated</p>"
        );
        assert_eq!(
            decode_content(b"<p>plain</p>".to_vec(), "gzip", 100)
                .unwrap()
                .unwrap(),
            b"<p>plain</p>"
        );
        assert_eq!(decode_content(b"x".to_vec(), "br", 100).unwrap(), None);
    }
}
