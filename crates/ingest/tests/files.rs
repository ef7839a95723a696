//! Reading files and folders: formats sniffed from content, bad inputs as skips, and
//! everything else still read.

mod common;

use chronicle_model::BodyFormat;
use common::{documents, gzip, read_all, skips, summary, test_reader, warc_page, warc_record};
use std::fs;
use std::path::Path;
use url::Url;

fn prefix(folder: &Path) -> String {
    let canonical = fs::canonicalize(folder).expect("temporary folder");
    format!(
        "{}/",
        Url::from_file_path(canonical).expect("absolute path")
    )
}

const PAGE: &str = "<!DOCTYPE html><html><head><title>Dock strike ends</title></head>\
    <body><p>Dock workers returned on Monday after a two-week strike.</p></body></html>";

const FEED: &str = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>The Harbor Ledger</title><language>en</language>
<item><guid>pier</guid><link>https://harbor.example/pier</link><title>Pier rebuilt</title>
<content:encoded><![CDATA[<p>The north pier will be rebuilt by spring.</p>]]></content:encoded></item>
<item><guid>teaser</guid><link>https://harbor.example/teaser</link><title>Teaser</title>
<description>Ferry fares rise.</description></item>
</channel></rss>"#;

#[test]
fn a_mixed_tree_is_sniffed_by_content_in_name_order() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    fs::create_dir_all(root.join("b-nested/deeper")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    // Misleading names: content decides.
    fs::write(root.join("a-page.txt"), PAGE).unwrap();
    fs::write(root.join("b-nested/feed.html"), FEED).unwrap();
    fs::write(
        root.join("b-nested/deeper/notes.md"),
        "# Council notes\n\nThe council met.\n",
    )
    .unwrap();
    fs::write(
        root.join("c-plain.html"),
        "Tide tables were printed wrong this week.\n",
    )
    .unwrap();
    fs::write(
        root.join("d-export.json"),
        "{\"text\": \"a\"}\n{\"text\": \"b\"}\n",
    )
    .unwrap();
    fs::write(root.join("e-page.bin"), gzip(PAGE.as_bytes())).unwrap();
    fs::write(root.join(".hidden.html"), PAGE).unwrap();
    fs::write(root.join(".git/config"), "[core]").unwrap();

    let mut reader = test_reader(|_| {});
    let items = read_all(&mut reader, root.to_str().unwrap());
    assert_eq!(
        summary(&items, &prefix(root)),
        [
            "doc a-page.txt",
            "doc b-nested/deeper/notes.md",
            "doc b-nested/feed.html#pier",
            "doc b-nested/feed.html#teaser",
            "doc c-plain.html",
            "doc d-export.json#line-1",
            "doc d-export.json#line-2",
            "doc e-page.bin",
        ]
    );
    let documents = documents(&items);
    let formats: Vec<_> = documents.iter().map(|d| d.format).collect();
    use BodyFormat::{Html, Markdown, Text};
    assert_eq!(
        formats,
        [
            Some(Html),
            Some(Markdown),
            Some(Html),
            Some(Html),
            Some(Text),
            Some(Text),
            Some(Text),
            Some(Html)
        ]
    );
    assert_eq!(
        documents[2].hints.outlet.as_deref(),
        Some("The Harbor Ledger")
    );
    assert!(!documents[2].hints.summary_only);
    assert!(documents[3].hints.summary_only);
    assert!(documents[0].source.starts_with("file:///"));
    assert_eq!(documents[7].bytes, PAGE.as_bytes());

    // Reading again gives the same items in the same order.
    assert_eq!(read_all(&mut reader, root.to_str().unwrap()), items);
}

#[test]
fn bad_inputs_are_skips_and_the_rest_is_read() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    let write = |name: &str, bytes: &[u8]| fs::write(root.join(name), bytes).unwrap();
    write("01-junk.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write("02-empty.txt", b"");
    write(
        "03-latin1.txt",
        b"Le caf\xe9 du port a rouvert ses portes mardi.\n",
    );
    let mut cut = gzip(PAGE.repeat(20).as_bytes());
    cut.truncate(cut.len() / 2);
    write("04-cut.html.gz", &cut);
    let mut archive = warc_page("1", "https://harbor.example/1", "<p>one</p>");
    archive.extend(warc_page("2", "https://harbor.example/2", "<p>two</p>"));
    let third_at = archive.len();
    let third = warc_page(
        "3",
        "https://harbor.example/3",
        "<p>three, cut off in the middle</p>",
    );
    archive.extend(&third[..third.len() - 20]);
    write("05-cut.warc", &archive);
    write(
        "06-broken-feed.xml",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>x</titl",
    );
    write(
        "07-big.html",
        format!("<html><body>{}</body></html>", "<p>word</p>".repeat(200)).as_bytes(),
    );
    write("08-fine.html", PAGE.as_bytes());

    let mut reader = test_reader(|config| config.max_document_bytes = 1000);
    let items = read_all(&mut reader, root.to_str().unwrap());
    let prefix = prefix(root);
    assert_eq!(
        summary(&items, &prefix),
        [
            "binary 01-junk.html",
            "empty 02-empty.txt",
            "doc 03-latin1.txt",
            "truncated 04-cut.html.gz",
            "doc 05-cut.warc#urn:uuid:1",
            "doc 05-cut.warc#urn:uuid:2",
            "truncated 05-cut.warc",
            "malformed 06-broken-feed.xml",
            "too-large 07-big.html",
            "doc 08-fine.html",
        ]
    );
    let skips = skips(&items);
    assert!(
        skips[0].message.contains("PNG image"),
        "{}",
        skips[0].message
    );
    assert!(
        skips[3].message.contains(&format!("byte {third_at}")),
        "{}",
        skips[3].message
    );
    assert!(
        skips[4].message.contains("does not parse"),
        "{}",
        skips[4].message
    );
    assert!(
        skips[5]
            .message
            .contains("larger than the cap of 1000 bytes"),
        "{}",
        skips[5].message
    );
    // Invalid UTF-8 is not a skip: decoding is a later stage's business.
    assert_eq!(
        documents(&items)[0].bytes,
        b"Le caf\xe9 du port a rouvert ses portes mardi.\n"
    );
}

#[test]
fn a_gzipped_warc_with_a_member_per_record() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("crawl.warc.gz");
    let mut archive = gzip(&warc_record(
        "warcinfo",
        "0",
        "",
        "application/warc-fields",
        b"software: test\r\n",
    ));
    archive.extend(gzip(&warc_page(
        "1",
        "https://harbor.example/1",
        "<p>one</p>",
    )));
    let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff";
    archive.extend(gzip(&warc_record(
        "response",
        "2",
        "https://harbor.example/a.jpg",
        "application/http; msgtype=response",
        image,
    )));
    archive.extend(gzip(&warc_page(
        "3",
        "https://harbor.example/3",
        "<p>three</p>",
    )));
    let fourth = gzip(&warc_page(
        "4",
        "https://harbor.example/4",
        &"<p>four</p>".repeat(50),
    ));
    archive.extend(&fourth[..fourth.len() / 2]);
    fs::write(&path, &archive).unwrap();

    let mut reader = test_reader(|_| {});
    let items = read_all(&mut reader, path.to_str().unwrap());
    let prefix = prefix(folder.path());
    assert_eq!(
        summary(&items, &prefix),
        [
            "doc crawl.warc.gz#urn:uuid:1",
            "unsupported crawl.warc.gz#urn:uuid:2",
            "doc crawl.warc.gz#urn:uuid:3",
            "truncated crawl.warc.gz",
        ]
    );
    let documents = documents(&items);
    assert_eq!(documents[1].bytes, b"<p>three</p>");
    assert_eq!(
        documents[1].hints.url.as_deref(),
        Some("https://harbor.example/3")
    );
    assert_eq!(documents[1].charset.as_deref(), Some("utf-8"));
    assert!(documents[1].fetched_at.is_some());
}

#[test]
fn json_lines_with_one_bad_line() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("export.jsonl");
    let lines = [
        r#"{"url": "https://harbor.example/1", "title": "One", "published_at": "2025-03-04", "text": "First story."}"#,
        r#"{"url": "https://harbor.example/2", "title": "Two", "text": "Second"#,
        r#"{"url": "https://harbor.example/3", "title": "Three", "html": "<p>Third story.</p>", "authors": [{"name": "Ada Quill"}]}"#,
    ];
    fs::write(&path, lines.join("\n")).unwrap();
    let mut reader = test_reader(|config| config.outlet = Some("Harbor Ledger".into()));
    let items = read_all(&mut reader, path.to_str().unwrap());
    assert_eq!(
        summary(&items, &prefix(folder.path())),
        [
            "doc export.jsonl#line-1",
            "malformed export.jsonl#line-2",
            "doc export.jsonl#line-3"
        ]
    );
    let skip = skips(&items)[0];
    assert!(skip.message.contains("line 2"), "{}", skip.message);
    let documents = documents(&items);
    assert_eq!(
        documents[0].hints.published.unwrap().to_string(),
        "2025-03-04"
    );
    assert_eq!(documents[1].format, Some(BodyFormat::Html));
    assert_eq!(documents[1].hints.authors, ["Ada Quill"]);
    // --outlet wins over whatever the input says.
    assert!(
        documents
            .iter()
            .all(|d| d.hints.outlet.as_deref() == Some("Harbor Ledger"))
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_named_and_the_rest_is_read() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    fs::create_dir_all(root.join("a/b")).unwrap();
    fs::write(root.join("a/b/page.html"), PAGE).unwrap();
    std::os::unix::fs::symlink(root.join("a"), root.join("a/b/up")).unwrap();
    std::os::unix::fs::symlink(root.join("missing"), root.join("a/broken")).unwrap();
    let mut reader = test_reader(|_| {});
    let items = read_all(&mut reader, root.to_str().unwrap());
    let prefix = prefix(root);
    assert_eq!(
        summary(&items, &prefix),
        [
            "doc a/b/page.html",
            "symlink-loop a/b/up",
            "unreadable a/broken"
        ]
    );
    let loop_skip = skips(&items)[0];
    assert!(
        loop_skip.message.contains("leads back to"),
        "{}",
        loop_skip.message
    );
}

#[test]
fn an_opml_list_of_files_and_a_gzipped_feed() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    fs::create_dir_all(root.join("feeds")).unwrap();
    fs::write(root.join("feeds/harbor.xml.gz"), gzip(FEED.as_bytes())).unwrap();
    let opml = r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="Harbor" xmlUrl="feeds/harbor.xml.gz"/>
<outline text="Gone" xmlUrl="feeds/missing.xml"/>
<outline text="Odd" xmlUrl="gopher://old.example/feed"/>
</body></opml>"#;
    fs::write(root.join("list.opml"), opml).unwrap();
    let mut reader = test_reader(|_| {});
    let items = read_all(&mut reader, root.join("list.opml").to_str().unwrap());
    let prefix = prefix(root);
    assert_eq!(
        summary(&items, &prefix),
        [
            "doc feeds/harbor.xml.gz#pier",
            "doc feeds/harbor.xml.gz#teaser",
            "unreadable feeds/missing.xml",
            "unsupported gopher://old.example/feed",
        ]
    );
}

#[test]
fn standard_input_style_bytes_and_oddities() {
    let mut reader = test_reader(|_| {});
    let mut items = Vec::new();
    reader.read_bytes("stdin:", PAGE.as_bytes().to_vec(), None, &mut |item| {
        items.push(item)
    });
    reader.read_bytes("stdin:", b"   \n".to_vec(), None, &mut |item| {
        items.push(item)
    });
    reader.read_bytes(
        "stdin:",
        b"<?xml version=\"1.0\"?><catalog/>".to_vec(),
        None,
        &mut |item| items.push(item),
    );
    reader.read_bytes(
        "stdin:",
        b"<opml version=\"2.0\"><body></body></opml>".to_vec(),
        None,
        &mut |item| items.push(item),
    );
    assert_eq!(
        summary(&items, ""),
        [
            "doc stdin:",
            "empty stdin:",
            "unsupported stdin:",
            "empty stdin:"
        ]
    );
    assert_eq!(documents(&items)[0].format, Some(BodyFormat::Html));

    let items = read_all(&mut reader, "/nonexistent/chronicle/input.html");
    assert_eq!(
        summary(&items, ""),
        ["unreadable file:///nonexistent/chronicle/input.html"]
    );
    let items = read_all(&mut reader, "ftp://files.example/news.html");
    assert_eq!(
        summary(&items, ""),
        ["unsupported ftp://files.example/news.html"]
    );
}
