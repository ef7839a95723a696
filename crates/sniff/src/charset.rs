use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Text decoded from bytes, with the encoding used and why it was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding ("UTF-8", "windows-1252").
    pub encoding: &'static str,
    pub source: EncodingSource,
    /// How many byte sequences could not be decoded and became U+FFFD.
    pub replacements: usize,
}

/// Where the choice of encoding came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodingSource {
    /// A byte-order mark at the start of the bytes.
    ByteOrderMark,
    /// The charset declared by the transport (HTTP header, web archive, feed).
    Transport,
    /// The document's own declaration (`<meta charset>`, XML declaration).
    Document,
    /// The bytes are valid UTF-8 (and no declaration contradicted it credibly).
    Utf8,
    /// Statistical detection over the bytes.
    Detected,
}

/// How far into a document its own charset declaration is looked for.
const DECLARATION_WINDOW: usize = 4096;

/// Decodes bytes to text. `transport` is the charset declared outside the document.
///
/// The order follows what browsers do, with one correction for the web as crawled:
/// a document declared in a legacy single-byte encoding whose bytes are valid UTF-8
/// with non-ASCII characters is read as UTF-8, since that declaration is a common
/// publishing mistake and the other reading would turn every accent into mojibake.
pub fn decode(bytes: &[u8], transport: Option<&str>) -> Decoded {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        return finish(
            encoding,
            &bytes[bom_length..],
            EncodingSource::ByteOrderMark,
        );
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return finish(encoding, bytes, EncodingSource::Detected);
    }
    let declared = transport
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .map(|e| (e, EncodingSource::Transport))
        .or_else(|| declared_charset(bytes).map(|e| (e, EncodingSource::Document)));
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    match declared {
        Some((encoding, source)) => {
            let encoding = encoding.output_encoding();
            if encoding == UTF_8 {
                if valid_utf8 {
                    finish(UTF_8, bytes, source)
                } else {
                    finish(detect(bytes), bytes, EncodingSource::Detected)
                }
            } else if valid_utf8 && !bytes.is_ascii() {
                finish(UTF_8, bytes, EncodingSource::Utf8)
            } else {
                finish(encoding, bytes, source)
            }
        }
        None if valid_utf8 => finish(UTF_8, bytes, EncodingSource::Utf8),
        None => finish(detect(bytes), bytes, EncodingSource::Detected),
    }
}

fn finish(encoding: &'static Encoding, bytes: &[u8], source: EncodingSource) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let replacements = text.matches('\u{FFFD}').count()
        - if encoding == UTF_8 {
            // Replacement characters that were in the UTF-8 input are not errors.
            count_literal_replacements(bytes)
        } else {
            0
        };
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        source,
        replacements,
    }
}

fn count_literal_replacements(bytes: &[u8]) -> usize {
    memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count()
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // chardetng answers windows-1252 for ASCII with stray bytes; that is also the
    // best default for Western news.
    if guess == UTF_8 && std::str::from_utf8(bytes).is_err() {
        WINDOWS_1252
    } else {
        guess
    }
}

/// UTF-16 text without a byte-order mark shows as every other byte being zero.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_zero = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_zero = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if odd_zero * 10 >= pairs * 9 && even_zero * 10 < pairs {
        Some(UTF_16LE)
    } else if even_zero * 10 >= pairs * 9 && odd_zero * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding a document declares for itself near its start: `<meta charset=…>`,
/// `<meta http-equiv content="…; charset=…">` or `<?xml … encoding="…"?>`. A declared
/// UTF-16 is read as UTF-8, as browsers do: bytes that could carry an ASCII
/// declaration are not UTF-16.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<?xml")
        && let Some(end) = memchr::memmem::find(&lower, b"?>")
        && let Some(label) = value_after(&lower[..end], b"encoding")
    {
        return Encoding::for_label(label).map(|e| {
            if e == UTF_16LE || e == UTF_16BE {
                UTF_8
            } else {
                e
            }
        });
    }
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"charset") {
        let start = from + at;
        from = start + 7;
        // Only inside a tag: the last '<' before must be nearer than the last '>'.
        let before = &lower[..start];
        let in_tag = match (memchr::memrchr(b'<', before), memchr::memrchr(b'>', before)) {
            (Some(open), Some(close)) => open > close,
            (Some(_), None) => true,
            _ => false,
        };
        if !in_tag {
            continue;
        }
        if let Some(label) = value_after(&lower[start..], b"charset")
            && let Some(encoding) = Encoding::for_label(label)
        {
            return Some(if encoding == UTF_16LE || encoding == UTF_16BE {
                UTF_8
            } else {
                encoding
            });
        }
    }
    None
}

/// The value after `name`, optional spaces, `=`, optional quote: `charset="utf-8"`.
fn value_after<'a>(text: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let at = memchr::memmem::find(text, name)?;
    let rest = &text[at + name.len()..];
    let rest = trim_start(rest);
    let rest = rest.strip_prefix(b"=")?;
    let rest = trim_start(rest);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[skip..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(
        bytes: &[u8],
        transport: Option<&str>,
        text: &str,
        encoding: &str,
        source: EncodingSource,
    ) {
        let decoded = decode(bytes, transport);
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, encoding);
        assert_eq!(decoded.source, source);
    }

    #[test]
    fn byte_order_marks_win() {
        check(
            b"\xEF\xBB\xBFcaf\xC3\xA9",
            Some("windows-1252"),
            "caf\u{e9}",
            "UTF-8",
            EncodingSource::ByteOrderMark,
        );
        check(
            b"\xFF\xFEh\0i\0",
            None,
            "hi",
            "UTF-16LE",
            EncodingSource::ByteOrderMark,
        );
    }

    #[test]
    fn transport_then_document_declarations() {
        check(
            b"caf\xE9",
            Some("ISO-8859-1"),
            "caf\u{e9}",
            "windows-1252",
            EncodingSource::Transport,
        );
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\"></head>\xB1";
        let decoded = decode(page, None);
        assert_eq!(decoded.encoding, "ISO-8859-2");
        assert_eq!(decoded.source, EncodingSource::Document);
        assert!(decoded.text.ends_with('\u{105}'));
        let feed =
            b"<?xml version='1.0' encoding='windows-1251'?><rss>\xCF\xF0\xE8\xE2\xE5\xF2</rss>";
        assert!(
            decode(feed, None)
                .text
                .contains("\u{41f}\u{440}\u{438}\u{432}\u{435}\u{442}")
        );
    }

    #[test]
    fn a_charset_in_text_is_not_a_declaration() {
        assert_eq!(
            declared_charset(b"<p>Set charset=koi8-r in your editor</p>"),
            None
        );
        assert_eq!(
            declared_charset(b"<meta charset = 'KOI8-R'>"),
            Some(encoding_rs::KOI8_R)
        );
    }

    #[test]
    fn valid_utf8_beats_a_wrong_legacy_declaration() {
        check(
            "<meta charset=\"iso-8859-1\"><p>caf\u{e9}</p>".as_bytes(),
            None,
            "<meta charset=\"iso-8859-1\"><p>caf\u{e9}</p>",
            "UTF-8",
            EncodingSource::Utf8,
        );
    }

    #[test]
    fn undeclared_legacy_bytes_are_detected() {
        let text = "Le pr\u{e9}sident a d\u{e9}clar\u{e9} que la r\u{e9}forme \u{e9}tait n\u{e9}cessaire \u{e0} l'\u{e9}conomie fran\u{e7}aise.";
        let (bytes, _, _) = WINDOWS_1252.encode(text);
        let decoded = decode(&bytes, None);
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.source, EncodingSource::Detected);
        assert_eq!(decoded.replacements, 0);
    }

    #[test]
    fn utf8_declared_but_not_utf8_is_detected() {
        let decoded = decode(
            b"<meta charset=utf-8><p>na\xEFve caf\xE9 r\xE9sum\xE9</p>",
            None,
        );
        assert_eq!(decoded.source, EncodingSource::Detected);
        assert!(decoded.text.contains("na\u{ef}ve caf\u{e9}"));
    }

    #[test]
    fn decodes_utf16_without_bom() {
        let bytes: Vec<u8> = "Hello, world of news"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&bytes, None).text, "Hello, world of news");
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_without_panic(bytes: Vec<u8>, label in proptest::option::of("[a-z0-9-]{0,12}")) {
            let decoded = decode(&bytes, label.as_deref());
            proptest::prop_assert!(!decoded.encoding.is_empty());
        }

        #[test]
        fn utf8_text_round_trips(text: String) {
            let decoded = decode(text.as_bytes(), None);
            // A string that happens to look like UTF-16 without BOM is not UTF-8 here.
            if utf16_without_bom(text.as_bytes()).is_none() && !text.as_bytes().starts_with(b"\xEF\xBB\xBF") {
                proptest::prop_assert_eq!(decoded.text, text);
            }
        }
    }
}
