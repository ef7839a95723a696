//! robots.txt, fetched once per host and kept for the run.

use super::Fetched;
use crate::error::Error;
use crate::limit::read_capped;
use std::collections::HashMap;
use texting_robots::Robot;
use url::Url;

/// robots.txt files larger than this are cut off by sites' own servers in practice;
/// Google reads 500 KiB.
const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

/// The parsed robots.txt of each origin met so far; `None` where there was none to obey
/// (missing, unreachable, unparsable), which allows everything.
#[derive(Default)]
pub(crate) struct RobotsCache {
    by_origin: HashMap<String, Option<Robot>>,
}

impl std::fmt::Debug for RobotsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RobotsCache")
            .field("origins", &self.by_origin.len())
            .finish()
    }
}

impl RobotsCache {
    /// Whether `page` may be fetched by `user_agent` (its product token is matched
    /// against the `User-agent` lines). `fetch` gets robots.txt on first sight of a host.
    pub(crate) fn allowed(
        &mut self,
        page: &Url,
        user_agent: &str,
        fetch: impl FnOnce(&Url) -> Result<Fetched, Error>,
    ) -> bool {
        let origin = page.origin().ascii_serialization();
        let robot = self.by_origin.entry(origin).or_insert_with(|| {
            let robots_url = page.join("/robots.txt").ok()?;
            let fetched = fetch(&robots_url).ok()?;
            let bytes = read_capped(fetched.body, MAX_ROBOTS_BYTES).ok()?;
            Robot::new(product_token(user_agent), &bytes).ok()
        });
        robot
            .as_ref()
            .is_none_or(|robot| robot.allowed(page.as_str()))
    }
}

/// `chronicle` of `chronicle/0.1.0 (+https://…)`.
fn product_token(user_agent: &str) -> &str {
    user_agent.split(['/', ' ']).next().unwrap_or(user_agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_token_is_the_name_before_the_version() {
        assert_eq!(
            product_token("chronicle/0.1.0 (+https://example.invalid)"),
            "chronicle"
        );
        assert_eq!(product_token("plain"), "plain");
    }

    #[test]
    fn a_missing_robots_txt_allows_everything() {
        let mut cache = RobotsCache::default();
        let page = Url::parse("https://news.example/story").unwrap();
        let unreachable = |_: &Url| Err(Error::Network("refused".into()));
        assert!(cache.allowed(&page, "chronicle/1", unreachable));
        // The answer is cached: the second call does not fetch.
        assert!(
            cache.allowed(&page, "chronicle/1", |_: &Url| -> Result<Fetched, Error> {
                panic!("fetched twice")
            })
        );
    }
}
