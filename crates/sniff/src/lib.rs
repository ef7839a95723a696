//! What is this blob? Content sniffing and character-encoding detection.
//!
//! - [`sniff`] looks at the first bytes of an input and names its [`Kind`]: an HTML
//!   page, plain text, Markdown, a feed, an OPML list, JSON, a web archive, a gzip
//!   stream, or binary junk. File names are only a hint; content decides.
//! - [`decode`] turns bytes into text, choosing the encoding from a byte-order mark,
//!   the charset the transport declared, the document's own declaration (`<meta
//!   charset>`, the XML declaration), valid UTF-8, and finally statistical detection.
//!
//! ```
//! use chronicle_sniff::{decode, sniff, Kind};
//! assert_eq!(sniff(b"<!DOCTYPE html><html><p>Hi</p>", None), Kind::Html);
//! let page = b"<meta charset=\"windows-1252\"><p>caf\xe9 \x93quoted\x94</p>";
//! assert_eq!(decode(page, None).text, "<meta charset=\"windows-1252\"><p>caf\u{e9} \u{201c}quoted\u{201d}</p>");
//! ```

mod charset;
mod kind;

pub use charset::{Decoded, EncodingSource, declared_charset, decode};
pub use kind::{Kind, sniff};
