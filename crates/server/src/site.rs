//! The static site: every page the server answers, written to files under the same
//! URLs, by asking the router itself for each one (so the two cannot drift apart).
//!
//! A path ending in `/` is written as its `index.html`; a path without an extension
//! (`/events/7`) as `events/7.html`, which static hosts serve at `/events/7` ("clean
//! URLs"); the rest as they are (`/events/7.json`, `/feeds/all.rss`).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chronicle_store::{EventFilter, Store};
use http_body_util::BodyExt;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// What a build wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuiltSite {
    pub files: u64,
    pub bytes: u64,
    pub events: u64,
    pub stories: u64,
    pub entities: u64,
    pub days: u64,
}

/// The formats every page comes in, by extension.
const FORMATS: [&str; 3] = ["json", "md", "xml"];

/// Every path of the site for the store in `data`, with what it holds.
fn paths(data: &Path) -> std::io::Result<(Vec<String>, BuiltSite)> {
    let store = Store::open_read_only(data).map_err(std::io::Error::other)?;
    let read = store.read();
    let events = read
        .events(&EventFilter::default())
        .map_err(std::io::Error::other)?;
    let stories = read.stories(None).map_err(std::io::Error::other)?;
    let entities = read.entities(None, None).map_err(std::io::Error::other)?;
    let days: BTreeSet<&str> = events.iter().filter_map(|e| e.date.as_deref()).collect();
    let mut paths = vec![
        "/".to_string(),
        "/stories/".to_string(),
        "/entities/".to_string(),
        "/static/style.css".to_string(),
        "/api/openapi.json".to_string(),
        "/schemas/pages.json".to_string(),
    ];
    let with_formats = |paths: &mut Vec<String>, stem: String| {
        for format in FORMATS {
            paths.push(format!("{stem}.{format}"));
        }
        paths.push(stem);
    };
    let feeds = |paths: &mut Vec<String>, stem: String| {
        paths.push(format!("{stem}.rss"));
        paths.push(format!("{stem}.atom"));
    };
    with_formats(&mut paths, "/index".to_string());
    feeds(&mut paths, "/feeds/all".to_string());
    for event in &events {
        with_formats(&mut paths, format!("/events/{}", event.id));
        let versions = read
            .revision_count(event.id)
            .map_err(std::io::Error::other)?;
        for version in 1..=versions {
            with_formats(
                &mut paths,
                format!("/events/{}/revisions/{version}", event.id),
            );
        }
    }
    for story in &stories {
        with_formats(&mut paths, format!("/stories/{}", story.id));
        feeds(&mut paths, format!("/feeds/story/{}", story.id));
    }
    for entity in &entities {
        with_formats(&mut paths, format!("/entities/{}", entity.id.0));
        feeds(&mut paths, format!("/feeds/entity/{}", entity.id.0));
    }
    for day in &days {
        let Some(dir) = chronicle_publish::day_path(day) else {
            continue;
        };
        paths.push(dir.clone());
        for format in FORMATS {
            paths.push(format!("{dir}index.{format}"));
        }
        feeds(&mut paths, format!("/feeds/day/{day}"));
    }
    paths.push("/outlets/".to_string());
    for (name, _) in read.outlets(10_000).map_err(std::io::Error::other)? {
        let slug = chronicle_publish::outlet_slug(&name);
        if !slug.is_empty() {
            with_formats(&mut paths, format!("/outlets/{slug}"));
        }
    }
    let mut after = 0;
    loop {
        let articles = read
            .articles_after(after, 10_000)
            .map_err(std::io::Error::other)?;
        let Some(last) = articles.last() else {
            break;
        };
        after = last.id.0;
        for article in &articles {
            with_formats(&mut paths, format!("/articles/{}", article.id.0));
        }
    }
    let mut first = 0;
    loop {
        let quotes = read
            .quotes_from_id(first, 10_000)
            .map_err(std::io::Error::other)?;
        let Some(last) = quotes.last() else {
            break;
        };
        first = last.id.0 + 1;
        for quote in &quotes {
            with_formats(&mut paths, format!("/quotes/{}", quote.id.0));
        }
    }
    let categories: BTreeSet<&str> = events
        .iter()
        .filter_map(|e| e.category.as_deref())
        .collect();
    for category in categories {
        feeds(
            &mut paths,
            format!("/feeds/category/{}", category.replace(' ', "-")),
        );
    }
    let built = BuiltSite {
        events: events.len() as u64,
        stories: stories.len() as u64,
        entities: entities.len() as u64,
        days: days.len() as u64,
        ..BuiltSite::default()
    };
    Ok((paths, built))
}

/// Each merged event id with the live event it became.
fn merged(data: &Path) -> std::io::Result<Vec<(u64, u64)>> {
    let store = Store::open_read_only(data).map_err(std::io::Error::other)?;
    let redirects: std::collections::HashMap<u64, u64> = store
        .read()
        .event_redirects()
        .map_err(std::io::Error::other)?
        .into_iter()
        .collect();
    Ok(redirects
        .keys()
        .map(|&from| {
            let mut into = from;
            for _ in 0..64 {
                match redirects.get(&into) {
                    Some(&next) => into = next,
                    None => break,
                }
            }
            (from, into)
        })
        .collect())
}

/// A page that sends the browser to `target` (no script: a meta refresh and a link).
fn redirect_page(target: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n\
         <link rel=\"canonical\" href=\"{target}\">\n<title>Moved</title>\n</head>\n\
         <body><p>This event was merged into <a href=\"{target}\">another</a>.</p></body>\n</html>\n"
    )
}

/// The file a URL path is written to under `out`.
fn file_of(out: &Path, path: &str) -> PathBuf {
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        return out.join(relative).join("index.html");
    }
    let last = relative.rsplit('/').next().unwrap_or(relative);
    if last.contains('.') {
        out.join(relative)
    } else {
        out.join(format!("{relative}.html"))
    }
}

/// Writes the whole site for the store in `data` under `out`; feeds link to `base`
/// (an absolute URL) or, when `None`, to `http://localhost`.
pub fn build_site(data: &Path, out: &Path, base: Option<&str>) -> std::io::Result<BuiltSite> {
    let (paths, mut built) = paths(data)?;
    let app = crate::router_at(data.to_path_buf(), Some(base.unwrap_or("http://localhost")));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        for path in &paths {
            let request = Request::builder()
                .uri(path.as_str())
                .body(Body::empty())
                .map_err(std::io::Error::other)?;
            let response = app
                .clone()
                .oneshot(request)
                .await
                .map_err(std::io::Error::other)?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(std::io::Error::other)?
                .to_bytes();
            if status != StatusCode::OK {
                return Err(std::io::Error::other(format!(
                    "{path} answered {status}: {}",
                    String::from_utf8_lossy(&body)
                )));
            }
            let file = file_of(out, path);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&file, &body)?;
            built.files += 1;
            built.bytes += body.len() as u64;
        }
        // A merged event's old id leads to the event it became, as the server's 301
        // does: a page that sends the browser on.
        for (from, into) in merged(data)? {
            let page = redirect_page(&format!("/events/{into}"));
            let file = file_of(out, &format!("/events/{from}"));
            std::fs::write(&file, &page)?;
            built.files += 1;
            built.bytes += page.len() as u64;
        }
        Ok(built)
    })
}

#[cfg(test)]
mod tests {
    use super::file_of;
    use std::path::Path;

    #[test]
    fn paths_become_files_static_hosts_serve_at_the_same_urls() {
        let out = Path::new("/site");
        for (path, file) in [
            ("/", "/site/index.html"),
            ("/news/2026/03/04/", "/site/news/2026/03/04/index.html"),
            (
                "/news/2026/03/04/index.json",
                "/site/news/2026/03/04/index.json",
            ),
            ("/events/7", "/site/events/7.html"),
            ("/events/7.json", "/site/events/7.json"),
            ("/feeds/all.atom", "/site/feeds/all.atom"),
        ] {
            assert_eq!(file_of(out, path), Path::new(file), "{path}");
        }
    }
}
