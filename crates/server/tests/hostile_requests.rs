//! Requests nobody should send: paths and query strings stitched at random from the
//! server's own words and from junk (traversal, encoded NULs, invalid UTF-8, numbers
//! past every type, unterminated search syntax, kilobytes of one letter). Every answer
//! must be a page or a clear client error — never a server error, never without the
//! security headers.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// xorshift64: the same requests on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next() % words.len() as u64) as usize]
    }
}

const SEGMENTS: &[&str] = &[
    "",
    "events",
    "news",
    "2025",
    "11",
    "18",
    "00",
    "stories",
    "entities",
    "articles",
    "quotes",
    "outlets",
    "feeds",
    "api",
    "search",
    "search.json",
    "index.json",
    "static",
    "style.css",
    "1",
    "0",
    "-1",
    "99999999999999999999999",
    "1.json",
    "1.md",
    "1.xml",
    "1.exe",
    "1.",
    ".json",
    "..",
    "%2e%2e",
    "%2F",
    "%00",
    "%ff%fe",
    "%E2%80%94",
    "category",
    "story",
    "entity",
    "day",
    "all.rss",
    "all.atom",
    "1.rss",
    "openapi.json",
    "~",
    "*",
];

const KEYS: &[&str] = &[
    "q", "limit", "offset", "since", "until", "story", "entity", "category", "outlet", "kind",
    "type", "speaker", "date", "format", "", "q[]",
];

const VALUES: &[&str] = &[
    "",
    "-1",
    "0",
    "1",
    "500",
    "501",
    "1e9",
    "99999999999999999999999",
    "2025-13-40",
    "2025-11-18",
    "2025-02-30",
    "%22",
    "%00",
    "%ff",
    "%E2%80%9Cquoted%E2%80%9D",
    "NOT",
    "%22unterminated",
    "*",
    "(((",
    "title:x",
    "-",
    "AND+OR",
    "%2B%2B%2B",
    "earthquake",
    "harbour+-vote",
    "politics-and-elections",
    "other",
    "event",
    "quote",
];

/// Real pages, so that half the queries reach the code that reads them.
const PAGES: &[&str] = &[
    "/",
    "/events/1",
    "/events/1.json",
    "/news/2025/11/18/",
    "/stories/",
    "/entities/",
    "/outlets/",
    "/index.json",
    "/api/events",
    "/api/stories",
    "/api/entities",
    "/api/quotes",
    "/api/articles",
    "/api/search",
    "/search",
    "/search.json",
    "/feeds/all.rss",
];

fn random_uri(rng: &mut Rng) -> String {
    let long = "a".repeat(3000);
    let mut uri = String::new();
    if rng.one_in(2) {
        uri.push_str(rng.pick(PAGES));
    }
    let segments = match (uri.is_empty(), rng.next() % 4) {
        (true, n) => 1 + n,
        (false, 0) => 1,
        (false, _) => 0,
    };
    for _ in 0..segments {
        uri.push('/');
        uri.push_str(if rng.one_in(40) {
            &long
        } else {
            rng.pick(SEGMENTS)
        });
    }
    if rng.one_in(4) {
        uri.push('/');
    }
    if uri.is_empty() {
        uri.push('/');
    }
    if !rng.one_in(3) {
        uri.push('?');
        for i in 0..=rng.next() % 4 {
            if i > 0 {
                uri.push_str(rng.pick(&["&", "&&", ";"]));
            }
            uri.push_str(rng.pick(KEYS));
            uri.push('=');
            uri.push_str(if rng.one_in(40) {
                &long
            } else {
                rng.pick(VALUES)
            });
        }
    }
    uri
}

#[tokio::test]
async fn no_request_gets_a_server_error() {
    let dir = common::store();
    let app = chronicle_server::router(dir.path().join("data"));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..1000 {
        let uri = random_uri(&mut rng);
        let method = if rng.one_in(5) {
            Method::HEAD
        } else {
            Method::GET
        };
        let accept = rng.pick(&[
            "",
            "application/json",
            "text/markdown",
            "application/xml",
            "*/*",
        ]);
        let mut request = Request::builder().method(method.clone()).uri(&uri);
        if !accept.is_empty() {
            request = request.header(header::ACCEPT, accept);
        }
        let response = app
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        *statuses.entry(status.as_u16()).or_insert(0) += 1;
        assert!(
            !status.is_server_error(),
            "{method} {uri} (Accept: {accept}) answered {status}"
        );
        let headers = response.headers();
        assert!(
            headers.contains_key("content-security-policy"),
            "{method} {uri}: no CSP"
        );
        assert!(headers.contains_key(header::CONTENT_TYPE), "{method} {uri}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        if status.is_client_error() && method == Method::GET {
            assert!(!body.is_empty(), "{uri}: an error without a message");
        }
    }
    eprintln!("answers by status: {statuses:?}");
    // The mix reached real pages as well as errors.
    assert!(
        statuses.get(&200).copied().unwrap_or(0) >= 100,
        "{statuses:?}"
    );
    assert!(
        statuses.get(&400).copied().unwrap_or(0) >= 30,
        "{statuses:?}"
    );
}
