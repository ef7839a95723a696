//! Why reading an input failed, before it becomes a [`Skip`] for the user.

use crate::limit::{exceeded_limit, is_gzip_error};
use chronicle_model::{Skip, SkipReason};
use std::io;
use std::net::IpAddr;

/// A failure to read or fetch an input. Never shown as an error: each becomes a [`Skip`]
/// through [`Error::into_skip`], because bad input is data.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("larger than the cap of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("{size} bytes, larger than the cap of {limit} bytes")]
    TooLargeBySize { size: u64, limit: u64 },
    #[error("corrupt or truncated: {0}")]
    Truncated(io::Error),
    #[error("cannot read: {0}")]
    Unreadable(io::Error),
    #[error("cannot fetch: {0}")]
    Network(String),
    #[error("HTTP status {status} from {url}")]
    HttpStatus { status: u16, url: String },
    #[error("only http and https URLs are fetched, not {scheme}:")]
    Scheme { scheme: String },
    #[error(
        "{host} is the private, loopback or link-local address {address}; \
         set allow_private_addresses to fetch it"
    )]
    PrivateAddress { host: String, address: IpAddr },
    #[error("more than {0} redirects")]
    TooManyRedirects(u32),
    #[error("robots.txt of {0} disallows this page")]
    Robots(String),
    /// The server said the URL has not changed since the version last read (304).
    #[error("not modified since it was last read")]
    NotModified,
}

impl Error {
    /// Sorts an IO error from reading an input. `network` tells whether the bytes came
    /// over HTTP, where a broken read is a fetch failure rather than an unreadable file.
    pub(crate) fn from_io(error: io::Error, network: bool) -> Self {
        if let Some(limit) = exceeded_limit(&error) {
            Self::TooLarge { limit }
        } else if is_gzip_error(&error) {
            Self::Truncated(error)
        } else if network {
            Self::Network(error.to_string())
        } else {
            Self::Unreadable(error)
        }
    }

    fn reason(&self) -> SkipReason {
        match self {
            Self::TooLarge { .. } | Self::TooLargeBySize { .. } => SkipReason::TooLarge,
            Self::Truncated(_) => SkipReason::Truncated,
            Self::Unreadable(_) => SkipReason::Unreadable,
            Self::Network(_) | Self::PrivateAddress { .. } | Self::TooManyRedirects(_) => {
                SkipReason::Fetch
            }
            Self::HttpStatus { .. } => SkipReason::HttpStatus,
            Self::Scheme { .. } => SkipReason::Unsupported,
            Self::Robots(_) => SkipReason::Robots,
            Self::NotModified => SkipReason::Fetch,
        }
    }

    /// The skip of `input` that this failure amounts to. The message does not repeat
    /// the input: [`Skip`]'s display puts the two together.
    pub(crate) fn into_skip(self, input: &str) -> Skip {
        Skip::new(input, self.reason(), self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limit::LimitExceeded;

    #[test]
    fn io_errors_are_sorted_by_cause() {
        let capped = io::Error::other(LimitExceeded { limit: 7 });
        let skip = Error::from_io(capped, false).into_skip("file:///big.html");
        assert_eq!(skip.reason, SkipReason::TooLarge);
        assert_eq!(skip.input, "file:///big.html");
        assert_eq!(skip.message, "larger than the cap of 7 bytes");
        let reset = io::Error::new(io::ErrorKind::ConnectionReset, "reset");
        assert_eq!(
            Error::from_io(reset, true).into_skip("x").reason,
            SkipReason::Fetch
        );
        let denied = io::Error::new(io::ErrorKind::PermissionDenied, "denied");
        assert_eq!(
            Error::from_io(denied, false).into_skip("x").reason,
            SkipReason::Unreadable
        );
    }
}
