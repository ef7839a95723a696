//! Fetching URLs: bounded redirects followed by hand so that every hop is checked,
//! private addresses refused, robots.txt honoured for pages.

mod address;
mod robots;

use crate::config::{HttpConfig, Validator};
use crate::error::Error;
use chrono::{DateTime, Utc};
use std::io::Read;
use url::Url;

pub(crate) use robots::RobotsCache;

/// A response with a success status, its body not yet read.
pub(crate) struct Fetched {
    /// The URL after redirects.
    pub(crate) url: Url,
    /// The `charset` parameter of the `Content-Type` header.
    pub(crate) charset: Option<String>,
    /// The declared `Content-Length`, checked against the cap before reading.
    pub(crate) length: Option<u64>,
    pub(crate) fetched_at: DateTime<Utc>,
    /// The body, streamed: a large web archive is never held whole.
    pub(crate) body: Box<dyn Read + Send>,
}

impl std::fmt::Debug for Fetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetched")
            .field("url", &self.url.as_str())
            .field("charset", &self.charset)
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

/// An HTTP client with chronicle's rules, and the robots.txt rules of the hosts it met.
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    config: HttpConfig,
    robots: RobotsCache,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    pub(crate) fn new(config: HttpConfig) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            // Redirects are followed in `get`, so that each target's address is checked.
            .max_redirects(0)
            // Statuses are ours to report as skips, not errors to unpack.
            .http_status_as_error(false)
            .user_agent(config.user_agent.as_str())
            .build()
            .into();
        Self {
            agent,
            config,
            robots: RobotsCache::default(),
        }
    }

    /// Fetches `url`, following at most `max_redirects` redirects. A status of 400 or
    /// more (or a redirect without a target) is an [`Error::HttpStatus`].
    pub(crate) fn get(&self, url: &Url) -> Result<Fetched, Error> {
        self.fetch(url, false)
    }

    /// [`Fetcher::get`] that sends back what the URL answered last time (`ETag`,
    /// `Last-Modified`); an unchanged URL is [`Error::NotModified`].
    pub(crate) fn get_conditional(&self, url: &Url) -> Result<Fetched, Error> {
        self.fetch(url, true)
    }

    fn fetch(&self, url: &Url, conditional: bool) -> Result<Fetched, Error> {
        let mut current = url.clone();
        for _ in 0..=self.config.max_redirects {
            if !matches!(current.scheme(), "http" | "https") {
                return Err(Error::Scheme {
                    scheme: current.scheme().to_string(),
                });
            }
            if !self.config.allow_private_addresses {
                address::check_public(&current)?;
            }
            let mut request = self.agent.get(current.as_str());
            let known = conditional
                .then(|| self.config.validators.get(current.as_str()))
                .flatten();
            if let Some(known) = known {
                if let Some(etag) = &known.etag {
                    request = request.header("If-None-Match", etag);
                }
                if let Some(modified) = &known.last_modified {
                    request = request.header("If-Modified-Since", modified);
                }
            }
            let response = request
                .call()
                .map_err(|error| Error::Network(error.to_string()))?;
            let status = response.status().as_u16();
            if status == 304 {
                return Err(Error::NotModified);
            }
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_string)
            };
            if (300..400).contains(&status)
                && let Some(location) = header("location")
            {
                current = current.join(&location).map_err(|error| {
                    Error::Network(format!("bad redirect to {location:?}: {error}"))
                })?;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(Error::HttpStatus {
                    status,
                    url: current.to_string(),
                });
            }
            if conditional {
                self.config.validators.set(
                    current.as_str(),
                    Validator {
                        etag: header("etag"),
                        last_modified: header("last-modified"),
                    },
                );
            }
            let charset = header("content-type").and_then(|value| charset_parameter(&value));
            let length = header("content-length").and_then(|value| value.trim().parse().ok());
            return Ok(Fetched {
                url: current,
                charset,
                length,
                fetched_at: Utc::now(),
                body: Box::new(response.into_body().into_reader()),
            });
        }
        Err(Error::TooManyRedirects(self.config.max_redirects))
    }

    /// Whether robots.txt of the page's host allows fetching it. Always true when
    /// `respect_robots` is off.
    pub(crate) fn allowed(&mut self, page: &Url) -> bool {
        if !self.config.respect_robots {
            return true;
        }
        let mut robots = std::mem::take(&mut self.robots);
        let allowed = robots.allowed(page, &self.config.user_agent, |url| self.get(url));
        self.robots = robots;
        allowed
    }
}

/// The `charset` parameter of a `Content-Type` value, unquoted.
pub(crate) fn charset_parameter(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches(['"', '\'']).trim();
        (name.trim().eq_ignore_ascii_case("charset") && !value.is_empty())
            .then(|| value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_charset_parameter() {
        assert_eq!(
            charset_parameter("text/html; charset=ISO-8859-1").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            charset_parameter("text/html;Charset=\"utf-8\"").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_parameter("text/html"), None);
        assert_eq!(charset_parameter("text/html; charset="), None);
    }
}
