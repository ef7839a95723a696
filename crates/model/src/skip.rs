use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an input, or part of one, produced no article. Skips are counted by reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// Zero bytes, or only whitespace.
    Empty,
    /// Bytes that are not text in any encoding (images, executables, junk).
    Binary,
    /// Larger than the configured size cap.
    TooLarge,
    /// The file or stream could not be read (permissions, IO error, not found).
    Unreadable,
    /// A symbolic link that leads back into a folder being read.
    SymlinkLoop,
    /// A gzip stream that ends early or is corrupt.
    Truncated,
    /// A feed, OPML list, web archive, JSON or Markdown record that does not parse.
    Malformed,
    /// A format chronicle does not read (an image in a web archive, a PDF).
    Unsupported,
    /// The document parsed but holds no article text.
    NoText,
    /// A feed item that carries only a summary and was not fetched.
    SummaryOnly,
    /// An HTTP status other than success, or a web-archive record of one.
    HttpStatus,
    /// A network failure: refused, timed out, unresolvable, too many redirects.
    Fetch,
    /// The site's robots.txt disallows the page.
    Robots,
    /// The document took longer to clean than allowed.
    Timeout,
}

impl SkipReason {
    /// The stable kebab-case name used in summaries and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Binary => "binary",
            Self::TooLarge => "too-large",
            Self::Unreadable => "unreadable",
            Self::SymlinkLoop => "symlink-loop",
            Self::Truncated => "truncated",
            Self::Malformed => "malformed",
            Self::Unsupported => "unsupported",
            Self::NoText => "no-text",
            Self::SummaryOnly => "summary-only",
            Self::HttpStatus => "http-status",
            Self::Fetch => "fetch",
            Self::Robots => "robots",
            Self::Timeout => "timeout",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An input that produced no article, with the input named and the reason given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skip {
    /// The file, URL or container item.
    pub input: String,
    pub reason: SkipReason,
    /// A sentence for the user: what was wrong.
    pub message: String,
}

impl Skip {
    pub fn new(input: impl Into<String>, reason: SkipReason, message: impl Into<String>) -> Self {
        Self {
            input: input.into(),
            reason,
            message: message.into(),
        }
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.input, self.message, self.reason)
    }
}

impl std::error::Error for Skip {}
