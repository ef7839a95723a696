//! Pieces as outlets publish them: web pages with their outlet's furniture (navigation,
//! cookie notices, "most read" boxes, newsletter prompts, footers), feed items,
//! Markdown files and JSON lines, and WARC records around the pages.

use crate::Piece;
use crate::world::Outlet;
use chronicle_publish::html_escape as escape;
use std::fmt::Write as _;

/// The article's web page, in its outlet's layout.
pub fn html(piece: &Piece, outlet: &Outlet) -> String {
    let title = escape(&piece.title);
    let published = piece.published.to_rfc3339();
    let mut page =
        String::with_capacity(4096 + piece.paragraphs.iter().map(String::len).sum::<usize>());
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} | {outlet_name}</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta property=\"og:title\" content=\"{title}\">\n\
         <meta property=\"og:site_name\" content=\"{outlet_name}\">\n\
         <meta property=\"og:type\" content=\"article\">\n\
         <meta property=\"article:published_time\" content=\"{published}\">\n\
         <link rel=\"canonical\" href=\"{url}\">\n",
        outlet_name = escape(&outlet.name),
        url = escape(&piece.url),
    );
    if let Some(author) = &piece.author {
        let _ = writeln!(
            page,
            "<meta name=\"author\" content=\"{}\">",
            escape(author)
        );
    }
    page.push_str("<link rel=\"stylesheet\" href=\"/assets/site.css\">\n</head>\n<body>\n");
    let nav: String = outlet
        .sections
        .iter()
        .map(|s| format!("<li><a href=\"/{}/\">{s}</a></li>", s.to_lowercase()))
        .collect();
    let most_read: String = outlet
        .evergreen
        .iter()
        .enumerate()
        .map(|(i, s)| format!("<li><a href=\"/features/{i}\">{}</a></li>", escape(s)))
        .collect();
    let byline = piece.author.as_ref().map_or(String::new(), |a| {
        format!("<span class=\"byline\">By {}</span> ", escape(a))
    });
    let date_shown = piece.published.format("%-d %B %Y, %H:%M");
    let body: String = piece
        .paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect();
    let name = escape(&outlet.name);
    match outlet.style {
        0 => {
            let _ = write!(
                page,
                "<div id=\"cookie-banner\"><p>We use cookies to improve your experience. \
                 <a href=\"/privacy\">Learn more</a></p><button>Accept</button></div>\n\
                 <header class=\"masthead\"><a class=\"logo\" href=\"/\">{name}</a>\
                 <nav><ul>{nav}</ul></nav></header>\n\
                 <main>\n<article>\n<h1>{title}</h1>\n\
                 <div class=\"meta\">{byline}<time datetime=\"{published}\">{date_shown}</time></div>\n\
                 <div class=\"article-body\">\n{body}</div>\n\
                 <div class=\"share\">Share this article: <a href=\"#\">Email</a> <a href=\"#\">Print</a></div>\n\
                 </article>\n\
                 <aside class=\"most-read\"><h2>Most read</h2><ol>{most_read}</ol></aside>\n</main>\n\
                 <footer><p>&copy; {year} {name}. All rights reserved.</p>\
                 <ul><li><a href=\"/about\">About us</a></li><li><a href=\"/contact\">Contact</a></li>\
                 <li><a href=\"/privacy\">Privacy</a></li></ul></footer>\n",
                year = piece.published.format("%Y"),
            );
        }
        1 => {
            let _ = write!(
                page,
                "<div class=\"top-bar\"><a href=\"/subscribe\">Subscribe</a> | <a href=\"/login\">Sign in</a></div>\n\
                 <header><div class=\"brand\">{name}</div><nav class=\"sections\">{nav_links}</nav></header>\n\
                 <div class=\"layout\">\n<div class=\"story\">\n\
                 <p class=\"breadcrumb\"><a href=\"/\">Home</a> &rsaquo; <a href=\"/news/\">{section}</a></p>\n\
                 <h1 class=\"headline\">{title}</h1>\n\
                 <p class=\"dateline\">{byline}Published {date_shown}</p>\n\
                 {body}\
                 <div class=\"newsletter\"><h3>Get the morning briefing</h3>\
                 <p>The day's main stories in your inbox before breakfast.</p>\
                 <form><input type=\"email\" placeholder=\"Your email\"><button>Sign up</button></form></div>\n\
                 </div>\n<div class=\"sidebar\"><h3>Popular now</h3><ul>{most_read}</ul></div>\n</div>\n\
                 <div class=\"site-footer\">{name} &middot; Registered in {section} &middot; \
                 <a href=\"/terms\">Terms</a> &middot; <a href=\"/cookies\">Cookies</a></div>\n",
                nav_links = outlet
                    .sections
                    .iter()
                    .map(|s| format!("<a href=\"/{}/\">{s}</a>", s.to_lowercase()))
                    .collect::<String>(),
                section = outlet.sections[0],
            );
        }
        _ => {
            // Paragraphs split by "Read more" links and an advertisement slot.
            let mut body = String::new();
            for (i, p) in piece.paragraphs.iter().enumerate() {
                let _ = writeln!(body, "<p>{}</p>", escape(p));
                if i == 2 {
                    let _ = writeln!(
                        body,
                        "<div class=\"ad-slot\">Advertisement</div>\n<p class=\"related\"><strong>Read more:</strong> \
                         <a href=\"/features/1\">{}</a></p>",
                        escape(&outlet.evergreen[1])
                    );
                }
            }
            let _ = write!(
                page,
                "<header class=\"site\"><h2 class=\"site-title\"><a href=\"/\">{name}</a></h2>\
                 <ul class=\"menu\">{nav}</ul></header>\n\
                 <div class=\"content\">\n<h1 class=\"entry-title\">{title}</h1>\n\
                 <div class=\"entry-meta\">{byline}<span class=\"posted\">{date_shown}</span></div>\n\
                 <div class=\"entry-content\">\n{body}</div>\n\
                 <div class=\"tags\">Tags: <a href=\"/tag/news\">news</a>, <a href=\"/tag/region\">region</a></div>\n\
                 <section class=\"comments\"><h3>Comments</h3><p>Comments are closed for this article.</p></section>\n\
                 </div>\n<footer class=\"site-footer\"><p>{name} &mdash; independent local news since 1952.</p></footer>\n"
            );
        }
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// An RSS 2.0 feed of `pieces` from one outlet, each item with its full text.
pub fn rss(pieces: &[&Piece], outlet: &Outlet) -> String {
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n\
         <title>{name}</title>\n<link>https://{domain}/</link>\n\
         <description>Latest news from {name}</description>\n",
        name = escape(&outlet.name),
        domain = outlet.domain,
    );
    for piece in pieces {
        let body: String = piece
            .paragraphs
            .iter()
            .map(|p| format!("<p>{}</p>", escape(p)))
            .collect();
        let summary = piece.paragraphs.first().map_or("", String::as_str);
        let _ = write!(
            feed,
            "<item>\n<title>{}</title>\n<link>{}</link>\n<guid>{}</guid>\n<pubDate>{}</pubDate>\n",
            escape(&piece.title),
            escape(&piece.url),
            escape(&piece.url),
            piece.published.to_rfc2822(),
        );
        if let Some(author) = &piece.author {
            let _ = writeln!(feed, "<dc:creator>{}</dc:creator>", escape(author));
        }
        let _ = write!(
            feed,
            "<description>{}</description>\n<content:encoded>{}</content:encoded>\n</item>\n",
            escape(summary),
            escape(&body),
        );
    }
    feed.push_str("</channel>\n</rss>\n");
    feed
}

/// The article as a Markdown file with front matter.
pub fn markdown(piece: &Piece, outlet: &Outlet) -> String {
    let mut text = format!(
        "---\ntitle: \"{}\"\nurl: {}\npublished: {}\noutlet: {}\n",
        piece.title.replace('"', "'"),
        piece.url,
        piece.published.to_rfc3339(),
        outlet.name,
    );
    if let Some(author) = &piece.author {
        let _ = writeln!(text, "author: {author}");
    }
    let _ = write!(text, "---\n\n# {}\n\n", piece.title);
    for paragraph in &piece.paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    text
}

/// The article as one line of JSON, as a wire service exports it.
pub fn json_line(piece: &Piece, outlet: &Outlet) -> String {
    serde_json::json!({
        "url": piece.url,
        "title": piece.title,
        "published": piece.published.to_rfc3339(),
        "author": piece.author,
        "outlet": outlet.name,
        "text": piece.paragraphs.join("\n\n"),
    })
    .to_string()
}

/// A WARC/1.1 `response` record holding `page` as fetched from the piece's URL.
pub fn warc_record(piece: &Piece, page: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        page.len()
    );
    let length = http.len() + page.len();
    let fetched = piece.published + chrono::Duration::minutes(30);
    let mut record = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:synth:{}>\r\n\
         WARC-Date: {}\r\nWARC-Target-URI: {}\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {length}\r\n\r\n",
        piece.index,
        fetched.format("%Y-%m-%dT%H:%M:%SZ"),
        piece.url,
    )
    .into_bytes();
    record.extend_from_slice(http.as_bytes());
    record.extend_from_slice(page.as_bytes());
    record.extend_from_slice(b"\r\n\r\n");
    record
}
