//! OPML feed lists: the `xmlUrl` of every `<outline>`, however deeply nested.

use quick_xml::events::Event;

/// The feed references of an OPML document, in document order, as written (absolute
/// URLs or paths relative to the list). Err carries the parser's message.
pub(crate) fn feed_urls(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut urls = Vec::new();
    let mut buffer = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| format!("{error} at byte {}", reader.error_position()))?;
        match event {
            Event::Start(element) | Event::Empty(element) => {
                let name = element.local_name();
                if name.as_ref().eq_ignore_ascii_case("opml") {
                    saw_opml = true;
                } else if name.as_ref().eq_ignore_ascii_case("outline") {
                    for attribute in element.attributes() {
                        let attribute = attribute.map_err(|error| error.to_string())?;
                        if attribute
                            .key
                            .local_name()
                            .as_ref()
                            .eq_ignore_ascii_case("xmlurl")
                        {
                            let value = attribute
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_err(|error| error.to_string())?;
                            let value = value.trim();
                            if !value.is_empty() {
                                urls.push(value.to_string());
                            }
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if saw_opml {
        Ok(urls)
    } else {
        Err("no <opml> element".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_nested_outlines() {
        let opml = br#"<?xml version="1.0"?>
<opml version="2.0"><head><title>Local news</title></head><body>
  <outline text="City"><outline text="Ledger" type="rss" xmlUrl="https://harbor.example/feed.xml"/>
    <outline text="Times" xmlUrl="feeds/times.xml?a=1&amp;b=2"></outline></outline>
  <outline text="No feed"/>
  <outline text="Odd case" xmlurl="file:///srv/feeds/odd.xml"/>
</body></opml>"#;
        assert_eq!(
            feed_urls(opml).unwrap(),
            [
                "https://harbor.example/feed.xml",
                "feeds/times.xml?a=1&b=2",
                "file:///srv/feeds/odd.xml"
            ]
        );
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(feed_urls(b"<opml><body><outline xmlUrl=\"a\"></body></opml>").is_err());
        assert!(feed_urls(b"<catalog/>").is_err());
        assert!(feed_urls(b"<opml><body><outline xmlUrl='a").is_err());
    }
}
