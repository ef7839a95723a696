//! Helpers shared by the integration tests: reading into a list, a summary of items
//! to compare against, builders of gzip and WARC data, and a tiny HTTP server on
//! 127.0.0.1.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

use chronicle_ingest::{IngestConfig, Item, Reader};
use flate2::{Compression, write::GzEncoder};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Everything `input` gives.
pub fn read_all(reader: &mut Reader, input: &str) -> Vec<Item> {
    let mut items = Vec::new();
    reader.read(input, &mut |item| items.push(item));
    items
}

/// A reader for tests: local addresses allowed, short timeout.
pub fn test_reader(change: impl FnOnce(&mut IngestConfig)) -> Reader {
    let mut config = IngestConfig::default();
    config.http.allow_private_addresses = true;
    config.http.timeout = Duration::from_secs(5);
    change(&mut config);
    Reader::new(config)
}

/// One line per item: `doc <source>` or `<reason> <input>`, with `prefix` cut from
/// sources so that expectations do not name temporary folders.
pub fn summary(items: &[Item], prefix: &str) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Item::Document(document) => format!("doc {}", document.source.replace(prefix, "")),
            Item::Skip(skip) => format!("{} {}", skip.reason, skip.input.replace(prefix, "")),
        })
        .collect()
}

/// The documents among `items`.
pub fn documents(items: &[Item]) -> Vec<&chronicle_model::RawDocument> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Document(document) => Some(document),
            Item::Skip(_) => None,
        })
        .collect()
}

/// The skips among `items`.
pub fn skips(items: &[Item]) -> Vec<&chronicle_model::Skip> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Skip(skip) => Some(skip),
            Item::Document(_) => None,
        })
        .collect()
}

/// `bytes` as one gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// One WARC/1.1 record.
pub fn warc_record(
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

/// A WARC `response` record of an HTML page with status 200.
pub fn warc_page(id: &str, target: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    warc_record(
        "response",
        id,
        target,
        "application/http; msgtype=response",
        http.as_bytes(),
    )
}

/// A raw HTTP response.
pub fn http_response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} Status\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-length"))
    {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut response = head.into_bytes();
    response.extend_from_slice(body);
    response
}

/// A 200 response with a content type.
pub fn ok(content_type: &str, body: &str) -> Vec<u8> {
    http_response(200, &[("Content-Type", content_type)], body.as_bytes())
}

/// A redirect to `location`.
pub fn redirect(location: &str) -> Vec<u8> {
    http_response(302, &[("Location", location)], b"")
}

/// A response that ends without Content-Length, its end marked by closing.
pub fn unsized_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut response =
        format!("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: {content_type}\r\n\r\n")
            .into_bytes();
    response.extend_from_slice(body);
    response
}

/// An HTTP server on 127.0.0.1 that answers each path with a fixed raw response (404
/// for others) and records the paths asked for. It stops by itself after a minute.
/// Raw responses by request path.
type Routes = Mutex<Vec<(String, Vec<u8>)>>;

pub struct Server {
    pub base: String,
    routes: Arc<Routes>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(routes: Vec<(&str, Vec<u8>)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding a local port");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let routes: Vec<(String, Vec<u8>)> = routes
            .into_iter()
            .map(|(path, response)| (path.to_string(), response))
            .collect();
        let routes = Arc::new(Mutex::new(routes));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (served_routes, recorded) = (Arc::clone(&routes), Arc::clone(&requests));
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => serve(stream, &served_routes, &recorded),
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Server {
            base,
            routes,
            requests,
        }
    }

    /// Adds a route, for responses that name the server's own address; a route added
    /// for a path already served replaces it.
    pub fn add(&self, path: &str, response: Vec<u8>) {
        self.routes
            .lock()
            .expect("routes")
            .push((path.to_string(), response));
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The paths requested so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("request log").clone()
    }
}

fn serve(mut stream: TcpStream, routes: &Routes, requests: &Mutex<Vec<String>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(count) => request.extend_from_slice(&buffer[..count]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    requests.lock().expect("request log").push(path.clone());
    let response = routes
        .lock()
        .expect("routes")
        .iter()
        .rev()
        .find(|(route, _)| *route == path)
        .map(|(_, response)| response.clone())
        .unwrap_or_else(|| http_response(404, &[("Content-Type", "text/plain")], b"not found"));
    // A route whose response carries an ETag answers 304 to a request sending it back.
    let header_of = |text: &str, name: &str| {
        text.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    };
    let head = String::from_utf8_lossy(&response).into_owned();
    let head = head.split("\r\n\r\n").next().unwrap_or_default();
    let response = match (header_of(head, "etag"), header_of(&text, "if-none-match")) {
        (Some(etag), Some(sent)) if etag == sent => {
            http_response(304, &[("ETag", etag.as_str())], b"")
        }
        _ => response,
    };
    let _ = stream.write_all(&response);
    let _ = stream.flush();
}

/// A port on 127.0.0.1 with nothing listening.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a local port");
    listener.local_addr().expect("local address").port()
}
