use chronicle_model::BodyFormat;

/// What an input is, judged from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Nothing but whitespace.
    Empty,
    /// A gzip stream (a `.warc.gz`, a compressed feed or page).
    Gzip,
    /// A WARC web archive.
    Warc,
    /// RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom.
    Feed,
    /// A JSON Feed.
    JsonFeed,
    /// An OPML list of feeds.
    Opml,
    /// A JSON value or JSON lines.
    Json,
    /// An HTML or XHTML page.
    Html,
    /// Markdown, possibly with front matter.
    Markdown,
    /// Plain text.
    Text,
    /// XML that is none of the above.
    OtherXml,
    /// Not text: an image, an archive, an executable, junk. Names the format if known.
    Binary(&'static str),
}

impl Kind {
    /// The body format of a single document of this kind, if it is one.
    pub fn body_format(self) -> Option<BodyFormat> {
        match self {
            Self::Html => Some(BodyFormat::Html),
            Self::Markdown => Some(BodyFormat::Markdown),
            Self::Text => Some(BodyFormat::Text),
            _ => None,
        }
    }
}

/// How many leading bytes sniffing looks at.
const WINDOW: usize = 8192;

const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x7FELF", "executable"),
    (b"BZh", "bzip2 stream"),
    (b"\xFD7zXZ\0", "xz stream"),
    (b"\x28\xB5\x2F\xFD", "zstd stream"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"\0\0\0", "binary data"),
    (b"SQLite format 3\0", "SQLite database"),
];

/// Names the kind of an input from its first bytes. `name` (a file name or URL path) is
/// consulted only to tell Markdown from plain text when the content is ambiguous.
pub fn sniff(bytes: &[u8], name: Option<&str>) -> Kind {
    if bytes.starts_with(b"\x1F\x8B") {
        return Kind::Gzip;
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Kind::Binary("WebP image");
    }
    for (magic, name) in MAGIC {
        if bytes.starts_with(magic) {
            return Kind::Binary(name);
        }
    }
    let window = &bytes[..bytes.len().min(WINDOW)];
    // Text in UTF-16 is sniffed after transcoding its head.
    let decoded;
    let window: &[u8] = if window.starts_with(b"\xFF\xFE") || window.starts_with(b"\xFE\xFF") {
        decoded = crate::decode(window, None).text.into_bytes();
        &decoded
    } else {
        window.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(window)
    };
    if looks_binary(window) {
        return Kind::Binary("binary data");
    }
    let trimmed = trim_start(window);
    if trimmed.is_empty() {
        return Kind::Empty;
    }
    if trimmed.starts_with(b"WARC/") {
        return Kind::Warc;
    }
    if trimmed[0] == b'{' || trimmed[0] == b'[' {
        let lower = lowercase(&trimmed[..trimmed.len().min(2048)]);
        if memchr::memmem::find(&lower, b"jsonfeed.org/version").is_some() {
            return Kind::JsonFeed;
        }
        return Kind::Json;
    }
    if trimmed[0] == b'<' {
        return sniff_markup(trimmed);
    }
    if is_markdown(window, name) {
        return Kind::Markdown;
    }
    // Scraped text sometimes keeps a stray tag; a page starts with markup, but some
    // begin with text before the first tag.
    let lower = lowercase(window);
    if ["<html", "<body", "<!doctype html"]
        .iter()
        .any(|tag| memchr::memmem::find(&lower, tag.as_bytes()).is_some())
    {
        return Kind::Html;
    }
    Kind::Text
}

fn sniff_markup(trimmed: &[u8]) -> Kind {
    let lower = lowercase(trimmed);
    let Some(element) = first_element(&lower) else {
        return Kind::Html;
    };
    match element.as_slice() {
        b"rss" | b"feed" | b"rdf:rdf" | b"channel" => Kind::Feed,
        b"opml" => Kind::Opml,
        b"html" | b"head" | b"body" => Kind::Html,
        _ if lower.starts_with(b"<?xml") => {
            // Some XML prologs are followed by an XHTML page or a namespaced root.
            if memchr::memmem::find(&lower, b"<html").is_some() {
                Kind::Html
            } else if element.ends_with(b":rdf") {
                Kind::Feed
            } else {
                Kind::OtherXml
            }
        }
        _ => Kind::Html,
    }
}

/// The name of the first element, skipping the XML declaration, processing
/// instructions, comments and the doctype.
fn first_element(lower: &[u8]) -> Option<Vec<u8>> {
    let mut rest = lower;
    loop {
        rest = trim_start(rest);
        if rest.starts_with(b"<!--") {
            let end = memchr::memmem::find(rest, b"-->")?;
            rest = &rest[end + 3..];
        } else if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
            let end = memchr::memchr(b'>', rest)?;
            if rest.starts_with(b"<!doctype html") {
                return Some(b"html".to_vec());
            }
            rest = &rest[end + 1..];
        } else if rest.starts_with(b"<") {
            let name: Vec<u8> = rest[1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'))
                .copied()
                .collect();
            return (!name.is_empty()).then_some(name);
        } else {
            return None;
        }
    }
}

fn looks_binary(window: &[u8]) -> bool {
    if window.is_empty() {
        return false;
    }
    let controls = window
        .iter()
        .filter(|b| matches!(b, 0..=8 | 14..=26 | 28..=31 | 127))
        .count();
    window.contains(&0) || controls * 20 > window.len()
}

/// Markdown signals: front matter, ATX headings, links, fenced code, emphasis.
fn is_markdown(window: &[u8], name: Option<&str>) -> bool {
    let by_name = name.is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        let path = n.split(['?', '#']).next().unwrap_or(&n);
        [".md", ".markdown", ".mdown", ".mkd"]
            .iter()
            .any(|ext| path.ends_with(ext))
    });
    if by_name {
        return true;
    }
    let text = String::from_utf8_lossy(window);
    let mut score = 0;
    if text.starts_with("---\n") || text.starts_with("---\r\n") {
        score += 2;
    }
    let mut headings = 0;
    let mut links = 0;
    for line in text.lines() {
        let line = line.trim_end();
        let hashes = line.bytes().take_while(|b| *b == b'#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            headings += 1;
        }
        if line.starts_with("```") {
            score += 1;
        }
        links += line.matches("](").count();
    }
    score += headings.min(3) + links.min(3);
    score >= 3
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[skip..]
}

fn lowercase(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().map(u8::to_ascii_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"", None), Kind::Empty);
        assert_eq!(sniff(b"  \n\t ", None), Kind::Empty);
        assert_eq!(sniff(b"\x1F\x8B\x08\0", Some("x.warc.gz")), Kind::Gzip);
        assert_eq!(
            sniff(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", None),
            Kind::Warc
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">", None),
            Kind::Feed
        );
        assert_eq!(
            sniff(
                b"<?xml version=\"1.0\"?><!-- c --><feed xmlns=\"http://www.w3.org/2005/Atom\">",
                None
            ),
            Kind::Feed
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"x\">", None),
            Kind::Feed
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><opml version=\"2.0\">", None),
            Kind::Opml
        );
        assert_eq!(
            sniff(b"<!DOCTYPE html>\n<html lang=en>", Some("page.txt")),
            Kind::Html
        );
        assert_eq!(
            sniff(b"<div class=story><p>Text</p></div>", None),
            Kind::Html
        );
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0\"><html xmlns=\"x\">", None), Kind::Html);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><catalog/>", None),
            Kind::OtherXml
        );
        assert_eq!(
            sniff(b"{\"version\": \"https://jsonfeed.org/version/1.1\"}", None),
            Kind::JsonFeed
        );
        assert_eq!(
            sniff(b"{\"url\": \"x\"}\n{\"url\": \"y\"}\n", None),
            Kind::Json
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1A\n", Some("a.html")),
            Kind::Binary("PNG image")
        );
        assert_eq!(
            sniff(b"abc\0\x01\x02\x03def", None),
            Kind::Binary("binary data")
        );
    }

    #[test]
    fn tells_markdown_from_text() {
        let text = b"Mayor opens new bridge\n\nThe mayor opened the bridge on Tuesday.\n";
        assert_eq!(sniff(text, None), Kind::Text);
        assert_eq!(sniff(text, Some("notes.md")), Kind::Markdown);
        let markdown =
            b"# Heading\n\nSee [the report](https://x.example/r) and [more](/m).\n\n## Next\n";
        assert_eq!(sniff(markdown, None), Kind::Markdown);
        let front = b"---\ntitle: A\n---\n\n# A\n\nBody.\n";
        assert_eq!(sniff(front, None), Kind::Markdown);
    }

    #[test]
    fn utf16_pages_are_sniffed_after_transcoding() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(
            "<html><body>Hi</body></html>"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(sniff(&bytes, None), Kind::Html);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes: Vec<u8>, name in proptest::option::of(".{0,20}")) {
            let _ = sniff(&bytes, name.as_deref());
        }
    }
}
