//! One JSON object as a document: which fields mean what.
//!
//! Exports from scrapers, news APIs and datasets name the same things differently; the
//! lists below are tried in order, case-insensitively, and the first field with a
//! usable value wins.

use chronicle_model::{BodyFormat, Hints, NewsDate, RawDocument, Skip, SkipReason};
use chronicle_sniff::{Kind, sniff};
use serde_json::{Map, Value};

const URL: &[&str] = &["url", "link", "href", "canonical_url"];
const TITLE: &[&str] = &["title", "headline"];
const PUBLISHED: &[&str] = &[
    "date",
    "published",
    "published_at",
    "publishedat",
    "datepublished",
    "pubdate",
    "created_at",
];
const UPDATED: &[&str] = &["updated", "modified", "datemodified", "updated_at"];
const AUTHORS: &[&str] = &["author", "authors", "byline"];
const OUTLET: &[&str] = &["outlet", "source", "site", "site_name", "publisher"];
const TEXT: &[&str] = &["text", "content", "body", "article", "maintext"];
const HTML: &[&str] = &["html", "content_html", "raw_html"];
const DESCRIPTION: &[&str] = &["description", "summary"];
const IMAGE: &[&str] = &["image", "image_url", "top_image"];
const LANGUAGE: &[&str] = &["language", "lang"];

/// The names under which an object wraps a list of documents.
pub(crate) const LIST: &[&str] = &["items", "articles", "documents", "data"];

/// An object's fields under lowercase names, first spelling first.
pub(crate) struct Fields<'a> {
    fields: Vec<(String, &'a Value)>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(object: &'a Map<String, Value>) -> Self {
        Self {
            fields: object
                .iter()
                .map(|(name, value)| (name.to_lowercase(), value))
                .collect(),
        }
    }

    /// The value of the first of `names` present and not null, empty or blank.
    pub(crate) fn get(&self, names: &[&str]) -> Option<&'a Value> {
        names.iter().find_map(|name| {
            self.fields
                .iter()
                .filter(|(field, _)| field == name)
                .map(|(_, value)| *value)
                .find(|value| !is_blank(value))
        })
    }

    fn string(&self, names: &[&str]) -> Option<String> {
        names
            .iter()
            .find_map(|name| self.get(std::slice::from_ref(name)).and_then(string_of))
    }

    fn date(&self, names: &[&str]) -> Option<NewsDate> {
        names
            .iter()
            .find_map(|name| self.get(std::slice::from_ref(name)).and_then(date_of))
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Text from a string, a number, the first usable item of an array, or an object that
/// wraps one (`{"rendered": …}` as WordPress writes, `{"name": …}` for people and
/// publishers).
fn string_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_string()).filter(|t| !t.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(items) => items.iter().find_map(string_of),
        Value::Object(object) => ["rendered", "name", "text", "value", "url", "href", "@id"]
            .iter()
            .find_map(|key| {
                object
                    .get(*key)
                    .filter(|v| !v.is_object())
                    .and_then(string_of)
            }),
        Value::Null | Value::Bool(_) => None,
    }
}

fn date_of(value: &Value) -> Option<NewsDate> {
    match value {
        Value::Number(number) => number
            .as_i64()
            // Fractional seconds are dropped: f64 to i64 by truncation is intended here.
            .or_else(|| number.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            .and_then(NewsDate::from_unix_seconds_or_millis),
        _ => string_of(value).and_then(|text| NewsDate::parse_loose(&text)),
    }
}

fn authors_of(value: &Value) -> Vec<String> {
    let names: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(string_of).collect(),
        other => string_of(other).into_iter().collect(),
    };
    let mut unique: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    unique
}

/// The document an object describes, named `source`. HTML is preferred to text when an
/// object has both: text is somebody else's extraction, which cleaning should redo.
pub(crate) fn document(source: String, object: &Map<String, Value>) -> Result<RawDocument, Skip> {
    let fields = Fields::new(object);
    let (body, format) = if let Some(html) = fields.string(HTML) {
        (html, BodyFormat::Html)
    } else if let Some(text) = fields.string(TEXT) {
        let format = if sniff(text.as_bytes(), None) == Kind::Html {
            BodyFormat::Html
        } else {
            BodyFormat::Text
        };
        (text, format)
    } else {
        return Err(Skip::new(
            source,
            SkipReason::NoText,
            "the JSON object has no text or html field",
        ));
    };
    let hints = Hints {
        url: fields.string(URL),
        title: fields.string(TITLE),
        authors: fields.get(AUTHORS).map(authors_of).unwrap_or_default(),
        published: fields.date(PUBLISHED),
        updated: fields.date(UPDATED),
        outlet: fields.string(OUTLET),
        description: fields.string(DESCRIPTION),
        image: fields.string(IMAGE),
        language: fields.string(LANGUAGE),
        summary_only: false,
    };
    Ok(RawDocument {
        source,
        bytes: body.into_bytes(),
        format: Some(format),
        // The text was decoded by the JSON parser; its bytes are UTF-8 whatever an
        // embedded page declares.
        charset: Some("utf-8".into()),
        hints,
        fetched_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(value: Value) -> RawDocument {
        let Value::Object(object) = value else {
            panic!("not an object")
        };
        document("file:///x.json".into(), &object).unwrap()
    }

    #[test]
    fn reads_common_field_names() {
        let document = check(json!({
            "Headline": "Bridge opens",
            "link": "https://city.example/bridge",
            "publishedAt": "2024-06-01T08:00:00Z",
            "dateModified": 1717236000,
            "byline": [{"name": "Ada Quill"}, "Bo Reed", "Ada Quill"],
            "publisher": {"name": "City Wire", "url": "https://city.example"},
            "maintext": "The bridge opened to traffic on Saturday.",
            "summary": "It opened.",
            "top_image": "https://city.example/b.jpg",
            "lang": "en"
        }));
        assert_eq!(document.format, Some(BodyFormat::Text));
        assert_eq!(document.bytes, b"The bridge opened to traffic on Saturday.");
        let hints = document.hints;
        assert_eq!(hints.title.as_deref(), Some("Bridge opens"));
        assert_eq!(hints.url.as_deref(), Some("https://city.example/bridge"));
        assert_eq!(hints.published.unwrap().to_string(), "2024-06-01T08:00:00Z");
        assert_eq!(hints.updated.unwrap().to_string(), "2024-06-01T10:00:00Z");
        assert_eq!(hints.authors, ["Ada Quill", "Bo Reed"]);
        assert_eq!(hints.outlet.as_deref(), Some("City Wire"));
        assert_eq!(hints.description.as_deref(), Some("It opened."));
        assert_eq!(hints.image.as_deref(), Some("https://city.example/b.jpg"));
        assert_eq!(hints.language.as_deref(), Some("en"));
    }

    #[test]
    fn html_wins_and_html_in_text_is_sniffed() {
        let both = check(json!({"text": "plain", "html": "<p>marked</p>"}));
        assert_eq!(
            (both.bytes.as_slice(), both.format),
            (&b"<p>marked</p>"[..], Some(BodyFormat::Html))
        );
        let sniffed =
            check(json!({"content": {"rendered": "<html><body><p>Hi</p></body></html>"}}));
        assert_eq!(sniffed.format, Some(BodyFormat::Html));
    }

    #[test]
    fn the_first_usable_name_wins() {
        let document = check(
            json!({"url": "", "link": "https://a.example/", "text": "t", "date": "not a date", "pubDate": "Tue, 04 Mar 2025 09:30:00 +0100"}),
        );
        assert_eq!(document.hints.url.as_deref(), Some("https://a.example/"));
        assert_eq!(
            document.hints.published.unwrap().to_string(),
            "2025-03-04T09:30:00+01:00"
        );
    }

    #[test]
    fn no_text_is_a_skip() {
        let Value::Object(object) = json!({"title": "Only a title"}) else {
            unreachable!()
        };
        let skip = document("file:///x.json#item-1".into(), &object).unwrap_err();
        assert_eq!(skip.reason, SkipReason::NoText);
        assert_eq!(skip.input, "file:///x.json#item-1");
    }
}
