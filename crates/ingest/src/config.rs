//! What a [`Reader`](crate::Reader) may read, and how far it may go.

use serde::{Deserialize, Serialize};
use std::time::Duration;

const MIB: u64 = 1024 * 1024;

/// Limits and options of ingestion. Every field has a default, so a configuration file
/// names only what it changes; an unknown field is an error rather than a silent typo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// The largest single document: a file, a page, a feed, one web-archive record, one
    /// JSON line. Anything larger becomes a [`SkipReason::TooLarge`] skip.
    ///
    /// [`SkipReason::TooLarge`]: chronicle_model::SkipReason::TooLarge
    pub max_document_bytes: u64,
    /// The most bytes one gzip member may decompress to. This stops gzip bombs; a
    /// `.warc.gz` has one member per record, so it may be far larger in total.
    pub max_decompressed_bytes: u64,
    /// The most items read from one feed; the rest are counted in one skip.
    pub max_feed_items: usize,
    /// Fetch the linked page of a feed item that carries no full content (`--fetch`).
    pub fetch_linked: bool,
    /// The outlet name put into every document's hints (`--outlet`).
    pub outlet: Option<String>,
    /// How URLs are fetched.
    pub http: HttpConfig,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            max_document_bytes: 32 * MIB,
            max_decompressed_bytes: 1024 * MIB,
            max_feed_items: 10_000,
            fetch_linked: false,
            outlet: None,
            http: HttpConfig::default(),
        }
    }
}

/// How URLs are fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// The most time one request may take, from connecting to the last body byte;
    /// written in seconds in configuration files.
    #[serde(with = "seconds")]
    pub timeout: Duration,
    /// How many redirects one fetch follows before it gives up.
    pub max_redirects: u32,
    /// The `User-Agent` header sent with every request.
    pub user_agent: String,
    /// Honour robots.txt for pages (feeds and OPML lists are not subject to it).
    pub respect_robots: bool,
    /// Allow loopback, private and link-local addresses. Off by default so that a feed
    /// cannot make chronicle probe the network it runs in.
    pub allow_private_addresses: bool,
    /// What each URL answered with last (`ETag`, `Last-Modified`), sent back as
    /// `If-None-Match` and `If-Modified-Since` so that an unchanged feed costs a 304.
    /// Shared by the clones of one configuration, so it lasts as long as the process
    /// that keeps polling (`chronicle serve --watch`).
    #[serde(skip)]
    pub validators: Validators,
}

/// The validators of fetched URLs, shared between readers.
#[derive(Clone, Debug, Default)]
pub struct Validators(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Validator>>>,
);

/// What a server said identifies the version of a URL it sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validator {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// The validator last recorded for `url`.
    pub fn get(&self, url: &str) -> Option<Validator> {
        self.0.lock().ok()?.get(url).cloned()
    }

    /// Every URL with what it last answered with, sorted by URL.
    pub fn entries(&self) -> Vec<(String, Validator)> {
        let mut entries: Vec<(String, Validator)> = self
            .0
            .lock()
            .map(|known| known.iter().map(|(u, v)| (u.clone(), v.clone())).collect())
            .unwrap_or_default();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }

    /// Records what `url` answered with (nothing when it sent neither header).
    pub fn set(&self, url: &str, validator: Validator) {
        if validator == Validator::default() {
            return;
        }
        if let Ok(mut known) = self.0.lock() {
            known.insert(url.to_string(), validator);
        }
    }
}

/// Any two are equal: validators are a cache, not part of what a configuration says.
impl PartialEq for Validators {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Validators {}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            max_redirects: 5,
            user_agent: default_user_agent(),
            respect_robots: true,
            allow_private_addresses: false,
            validators: Validators::default(),
        }
    }
}

/// `chronicle/<version> (+<project URL>)`, so that site owners can tell who is calling.
pub fn default_user_agent() -> String {
    format!(
        "chronicle/{} (+https://example.invalid/chronicle)",
        env!("CARGO_PKG_VERSION")
    )
}

/// A [`Duration`] written as a number of seconds.
mod seconds {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use std::time::Duration;

    pub(super) fn serialize<S: Serializer>(
        value: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(value.as_secs_f64())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        let seconds = f64::deserialize(deserializer)?;
        Duration::try_from_secs_f64(seconds)
            .map_err(|_| D::Error::custom(format!("not a number of seconds: {seconds}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_a_file_leaves_out() {
        let config: IngestConfig =
            serde_json::from_str(r#"{"max_feed_items": 3, "http": {"timeout": 1.5}}"#).unwrap();
        assert_eq!(config.max_feed_items, 3);
        assert_eq!(config.http.timeout, Duration::from_millis(1500));
        assert_eq!(config.http.max_redirects, 5);
        assert_eq!(config.max_document_bytes, 32 * MIB);
        assert!(config.http.user_agent.starts_with("chronicle/"));
    }

    #[test]
    fn unknown_fields_are_errors() {
        assert!(serde_json::from_str::<IngestConfig>(r#"{"max_items": 3}"#).is_err());
        assert!(serde_json::from_str::<IngestConfig>(r#"{"http": {"timeout": -1}}"#).is_err());
    }
}
