//! Fetching URLs from a local test server: pages, redirects, robots.txt, feeds with
//! linked pages, OPML lists, failures. Nothing here leaves 127.0.0.1.

mod common;

use chronicle_model::BodyFormat;
use common::{
    Server, closed_port, documents, gzip, http_response, ok, read_all, redirect, skips, summary,
    test_reader, unsized_response, warc_page,
};

const PAGE: &str = "<html><head><title>Ferry schedule changes</title></head>\
    <body><p>The winter ferry schedule starts on Sunday.</p></body></html>";

#[test]
fn a_page_is_fetched_with_its_transport_metadata() {
    let server = Server::start(vec![("/story", ok("text/html; charset=ISO-8859-1", PAGE))]);
    let mut reader = test_reader(|_| {});
    let items = read_all(&mut reader, &server.url("/story"));
    let [chronicle_ingest::Item::Document(document)] = items.as_slice() else {
        panic!("expected one document, got {items:?}");
    };
    assert_eq!(document.source, server.url("/story"));
    assert_eq!(
        document.hints.url.as_deref(),
        Some(server.url("/story").as_str())
    );
    assert_eq!(document.charset.as_deref(), Some("ISO-8859-1"));
    assert_eq!(document.format, Some(BodyFormat::Html));
    assert_eq!(document.bytes, PAGE.as_bytes());
    assert!(document.fetched_at.is_some());
    // robots.txt was asked first (and, missing, allows everything).
    assert_eq!(server.requests(), ["/story", "/robots.txt"]);
}

#[test]
fn redirects_are_followed_and_capped() {
    let server = Server::start(vec![
        ("/old", redirect("/middle")),
        ("/middle", redirect("/story")),
        ("/story", ok("text/html", PAGE)),
        ("/loop", redirect("/loop")),
    ]);
    let mut reader = test_reader(|_| {});
    let items = read_all(&mut reader, &server.url("/old"));
    assert_eq!(summary(&items, &server.base), ["doc /story"]);
    assert_eq!(
        documents(&items)[0].hints.url.as_deref(),
        Some(server.url("/story").as_str())
    );

    let items = read_all(&mut reader, &server.url("/loop"));
    assert_eq!(summary(&items, &server.base), ["fetch /loop"]);
    assert!(
        skips(&items)[0].message.contains("more than 5 redirects"),
        "{:?}",
        skips(&items)
    );

    let mut strict = test_reader(|config| config.http.max_redirects = 1);
    let items = read_all(&mut strict, &server.url("/old"));
    assert_eq!(summary(&items, &server.base), ["fetch /old"]);
}

#[test]
fn http_failures_are_skips() {
    let server = Server::start(vec![
        ("/big", ok("text/html", &"<p>long</p>".repeat(100))),
        (
            "/big-unsized",
            unsized_response("text/html", "<p>long</p>".repeat(100).as_bytes()),
        ),
        (
            "/gone",
            http_response(410, &[("Content-Type", "text/html")], b"<p>gone</p>"),
        ),
        (
            "/page.html.gz",
            http_response(
                200,
                &[("Content-Type", "application/gzip")],
                &gzip(PAGE.as_bytes()),
            ),
        ),
    ]);
    let mut reader = test_reader(|config| config.max_document_bytes = 500);
    let unreachable = format!("http://127.0.0.1:{}/story", closed_port());
    let mut items = Vec::new();
    for input in [
        server.url("/big"),
        server.url("/big-unsized"),
        server.url("/gone"),
        server.url("/missing"),
        server.url("/page.html.gz"),
        unreachable.clone(),
    ] {
        items.extend(read_all(&mut reader, &input));
    }
    assert_eq!(
        summary(&items, &server.base),
        [
            "too-large /big",
            "too-large /big-unsized",
            "http-status /gone",
            "http-status /missing",
            "doc /page.html.gz",
            format!("fetch {unreachable}").as_str(),
        ]
    );
    let skips = skips(&items);
    assert!(skips[2].message.contains("410"), "{}", skips[2].message);
    assert_eq!(documents(&items)[0].bytes, PAGE.as_bytes());
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    let server = Server::start(vec![("/story", ok("text/html", PAGE))]);
    let mut reader = test_reader(|config| config.http.allow_private_addresses = false);
    let items = read_all(&mut reader, &server.url("/story"));
    assert_eq!(summary(&items, &server.base), ["fetch /story"]);
    assert!(
        skips(&items)[0].message.contains("127.0.0.1"),
        "{:?}",
        skips(&items)
    );
    assert!(server.requests().is_empty());
}

const ROBOTS: &str = "User-agent: *\nDisallow: /private/\n\nUser-agent: chronicle\nDisallow: /private/\nDisallow: /members/\n";

fn feed(server: &Server) -> String {
    format!(
        r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Valley Times</title><language>en</language>
<item><guid>full</guid><link>{base}/open/full</link><title>Full item</title>
<content:encoded><![CDATA[<p>The valley bridge reopened after repairs lasting a year.</p>]]></content:encoded></item>
<item><guid>linked</guid><link>{base}/open/linked</link><title>Linked item</title>
<pubDate>Tue, 04 Mar 2025 09:30:00 +0000</pubDate><description>A teaser.</description></item>
<item><guid>members</guid><link>{base}/members/story</link><title>Members only</title><description>Teaser.</description></item>
<item><guid>bare</guid><title>No link</title></item>
</channel></rss>"#,
        base = server.base
    )
}

#[test]
fn feed_items_with_and_without_content_and_fetch_linked() {
    let server = Server::start(vec![
        ("/robots.txt", ok("text/plain", ROBOTS)),
        ("/open/linked", ok("text/html", PAGE)),
        ("/private/page", ok("text/html", PAGE)),
    ]);
    // The feed names the server's own address, known once it runs.
    server.add(
        "/private/feed.xml",
        ok("application/rss+xml", &feed(&server)),
    );

    // Without --fetch: the summary stands in, marked summary-only.
    let mut reader = test_reader(|_| {});
    let items = read_all(&mut reader, &server.url("/private/feed.xml"));
    let feed_url = server.url("/private/feed.xml");
    assert_eq!(
        summary(&items, &feed_url),
        [
            "doc #full",
            "doc #linked",
            "doc #members",
            "summary-only #bare"
        ]
    );
    let documents_read = documents(&items);
    assert!(!documents_read[0].hints.summary_only);
    assert!(documents_read[1].hints.summary_only);
    assert_eq!(
        documents_read[0].hints.outlet.as_deref(),
        Some("Valley Times")
    );
    assert!(skips(&items)[0].message.contains("--fetch"));

    // With --fetch: linked pages are fetched unless robots.txt forbids them. The feed
    // itself sits under a disallowed path: feeds are for machines.
    let mut reader = test_reader(|config| config.fetch_linked = true);
    let items = read_all(&mut reader, &feed_url);
    assert_eq!(
        summary(&items, &server.base),
        [
            "doc /private/feed.xml#full",
            "doc /open/linked",
            "robots /members/story",
            "summary-only /private/feed.xml#bare",
        ]
    );
    let linked = documents(&items)[1];
    assert_eq!(linked.bytes, PAGE.as_bytes());
    assert_eq!(linked.hints.title.as_deref(), Some("Linked item"));
    assert_eq!(
        linked.hints.url.as_deref(),
        Some(server.url("/open/linked").as_str())
    );
    assert_eq!(
        linked.hints.published.unwrap().to_string(),
        "2025-03-04T09:30:00Z"
    );
    assert!(!linked.hints.summary_only);
    assert!(linked.fetched_at.is_some());
    // The disallowed page was never requested.
    assert!(!server.requests().contains(&"/members/story".to_string()));

    // A page the user names directly is not read where robots.txt disallows it.
    let items = read_all(&mut reader, &server.url("/private/page"));
    assert_eq!(summary(&items, &server.base), ["robots /private/page"]);
    // robots.txt was fetched once, however many pages were asked about, and not at all
    // by the first reader, which read only a feed.
    let robots_fetches = server
        .requests()
        .iter()
        .filter(|path| *path == "/robots.txt")
        .count();
    assert_eq!(robots_fetches, 1, "{:?}", server.requests());
}

#[test]
fn an_opml_list_by_url() {
    let server = Server::start(vec![
        (
            "/lists/news.opml",
            ok(
                "text/x-opml",
                r#"<?xml version="1.0"?><opml version="2.0"><body>
<outline text="Valley" xmlUrl="../feeds/valley.xml"/>
<outline text="Broken" xmlUrl="/feeds/broken.xml"/>
<outline text="Local" xmlUrl="file:///etc/hostname"/>
</body></opml>"#,
            ),
        ),
        (
            "/feeds/broken.xml",
            ok(
                "application/rss+xml",
                "<rss version=\"2.0\"><channel><item>",
            ),
        ),
    ]);
    server.add(
        "/feeds/valley.xml",
        ok("application/rss+xml", &feed(&server)),
    );
    let mut reader = test_reader(|_| {});
    let items = read_all(&mut reader, &server.url("/lists/news.opml"));
    assert_eq!(
        summary(&items, &server.base),
        [
            "doc /feeds/valley.xml#full",
            "doc /feeds/valley.xml#linked",
            "doc /feeds/valley.xml#members",
            "summary-only /feeds/valley.xml#bare",
            "malformed /feeds/broken.xml",
            "unsupported file:///etc/hostname",
        ]
    );
}

#[test]
fn a_web_archive_by_url_streams() {
    let mut archive = gzip(&warc_page("1", "https://valley.example/1", "<p>one</p>"));
    archive.extend(gzip(&warc_page(
        "2",
        "https://valley.example/2",
        "<p>two</p>",
    )));
    let server = Server::start(vec![(
        "/crawl.warc.gz",
        http_response(200, &[("Content-Type", "application/warc")], &archive),
    )]);
    let mut reader = test_reader(|config| config.max_document_bytes = 300);
    let items = read_all(&mut reader, &server.url("/crawl.warc.gz"));
    assert_eq!(
        summary(&items, &server.base),
        [
            "doc /crawl.warc.gz#urn:uuid:1",
            "doc /crawl.warc.gz#urn:uuid:2"
        ]
    );
}

#[test]
fn an_unchanged_feed_costs_a_304_and_yields_nothing_new() {
    let rss = "<rss version=\"2.0\"><channel><title>Harbour notices</title><item>\
               <title>North quay closed for repairs</title><link>https://harbour.example/quay</link>\
               <description>The north quay closes on Monday for three weeks of repairs to its \
               piles, the harbour office said.</description></item></channel></rss>";
    let server = Server::start(vec![(
        "/notices.xml",
        http_response(
            200,
            &[("Content-Type", "application/rss+xml"), ("ETag", "\"v1\"")],
            rss.as_bytes(),
        ),
    )]);
    // One configuration kept across rounds, as `serve --watch` keeps it.
    let mut config = chronicle_ingest::IngestConfig::default();
    config.http.allow_private_addresses = true;
    let mut first = chronicle_ingest::Reader::new(config.clone());
    let items = read_all(&mut first, &server.url("/notices.xml"));
    assert_eq!(documents(&items).len(), 1, "{items:?}");
    let mut second = chronicle_ingest::Reader::new(config.clone());
    let items = read_all(&mut second, &server.url("/notices.xml"));
    assert!(
        items.is_empty(),
        "a 304 yields nothing, not a skip: {items:?}"
    );
    // A fresh configuration knows nothing: the whole feed again.
    let mut fresh = test_reader(|_| {});
    assert_eq!(
        documents(&read_all(&mut fresh, &server.url("/notices.xml"))).len(),
        1
    );
    assert_eq!(server.requests().len(), 3);
}
