//! JSON documents: one object, an array of objects, an object wrapping such an array
//! (`items`, `articles`, `documents`, `data`), or JSON lines.
//!
//! Sources are named `<input>` for a single object, `<input>#item-N` for the N-th
//! object of an array and `<input>#line-N` for line N of JSON lines (both counted from 1).
//!
//! JSON lines are streamed line by line, so an export of any size can be read; the other
//! forms are parsed whole and capped at `max_document_bytes`.

mod fields;

use crate::Item;
use crate::error::Error;
use chronicle_model::{Skip, SkipReason};
use serde_json::{Map, Value};
use std::io::{self, BufRead, Cursor, Read};

/// Reads JSON from `input`, emitting a document or a skip per object.
pub(crate) fn read(
    source: &str,
    mut input: impl BufRead,
    max_document_bytes: u64,
    emit: &mut dyn FnMut(Item),
) {
    // Enough is buffered to parse a whole document; more than that can only be JSON
    // lines, which are then read on from where the buffer ends.
    let mut buffer = Vec::new();
    if let Err(error) = input
        .by_ref()
        .take(max_document_bytes.saturating_add(1))
        .read_to_end(&mut buffer)
    {
        emit(Item::Skip(Error::from_io(error, false).into_skip(source)));
        return;
    }
    let complete = buffer.len() as u64 <= max_document_bytes;
    let whole_error = if complete {
        match serde_json::from_slice::<Value>(&buffer) {
            Ok(value) => return read_value(source, value, emit),
            Err(error) => Some(error),
        }
    } else {
        None
    };
    let any_line_parses = buffer
        .split(|b| *b == b'\n')
        .any(|line| serde_json::from_slice::<Value>(line).is_ok_and(|v| v.is_object()));
    if any_line_parses {
        read_lines(
            source,
            Cursor::new(buffer).chain(input),
            max_document_bytes,
            emit,
        );
    } else if let Some(error) = whole_error {
        emit(Item::Skip(Skip::new(
            source,
            SkipReason::Malformed,
            format!("the JSON does not parse: {error}"),
        )));
    } else {
        emit(Item::Skip(
            Error::TooLarge {
                limit: max_document_bytes,
            }
            .into_skip(source),
        ));
    }
}

fn read_value(source: &str, value: Value, emit: &mut dyn FnMut(Item)) {
    match value {
        Value::Object(object) => match wrapped_list(&object) {
            Some(items) => read_array(source, items, emit),
            None => emit(item(fields::document(source.to_string(), &object))),
        },
        Value::Array(items) => read_array(source, &items, emit),
        _ => emit(Item::Skip(Skip::new(
            source,
            SkipReason::Malformed,
            "the JSON is neither an object nor an array of objects",
        ))),
    }
}

/// The list an object wraps, unless the object is itself a document.
fn wrapped_list(object: &Map<String, Value>) -> Option<&Vec<Value>> {
    let fields = fields::Fields::new(object);
    match fields.get(fields::LIST) {
        Some(Value::Array(items)) => Some(items),
        _ => None,
    }
}

fn read_array(source: &str, items: &[Value], emit: &mut dyn FnMut(Item)) {
    if items.is_empty() {
        emit(Item::Skip(Skip::new(
            source,
            SkipReason::Empty,
            "the JSON array is empty",
        )));
    }
    for (index, value) in items.iter().enumerate() {
        let name = format!("{source}#item-{}", index + 1);
        match value {
            Value::Object(object) => emit(item(fields::document(name, object))),
            _ => emit(Item::Skip(Skip::new(
                name,
                SkipReason::Malformed,
                "the item is not a JSON object",
            ))),
        }
    }
}

fn read_lines(
    source: &str,
    mut input: impl BufRead,
    max_line_bytes: u64,
    emit: &mut dyn FnMut(Item),
) {
    let mut number = 0u64;
    let mut line = Vec::new();
    loop {
        number += 1;
        line.clear();
        let name = format!("{source}#line-{number}");
        match read_line(&mut input, &mut line, max_line_bytes) {
            Ok(Line::End) => return,
            Ok(Line::Complete) => {}
            Ok(Line::TooLong) => {
                emit(Item::Skip(
                    Error::TooLarge {
                        limit: max_line_bytes,
                    }
                    .into_skip(&name),
                ));
                continue;
            }
            Err(error) => {
                emit(Item::Skip(Error::from_io(error, false).into_skip(&name)));
                return;
            }
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Value>(&line) {
            Ok(Value::Object(object)) => emit(item(fields::document(name, &object))),
            Ok(_) => emit(Item::Skip(Skip::new(
                name,
                SkipReason::Malformed,
                format!("line {number} is not a JSON object"),
            ))),
            Err(error) => emit(Item::Skip(Skip::new(
                name,
                SkipReason::Malformed,
                format!("line {number} is not valid JSON: {error}"),
            ))),
        }
    }
}

enum Line {
    Complete,
    TooLong,
    End,
}

/// Reads one line into `line`; a line longer than `max` bytes (not counting its
/// newline) is read past without being kept, and reported.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>, max: u64) -> io::Result<Line> {
    let room_with_newline = usize::try_from(max).unwrap_or(usize::MAX).saturating_add(1);
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(if line.is_empty() {
                Line::End
            } else {
                Line::Complete
            });
        }
        let newline = available.iter().position(|b| *b == b'\n');
        let chunk = newline.map_or(available.len(), |at| at + 1);
        if line.len() + chunk > room_with_newline {
            input.consume(chunk);
            if newline.is_none() {
                skip_past_newline(input)?;
            }
            line.clear();
            return Ok(Line::TooLong);
        }
        line.extend_from_slice(&available[..chunk]);
        input.consume(chunk);
        if newline.is_some() {
            return Ok(Line::Complete);
        }
    }
}

fn skip_past_newline(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        if let Some(at) = available.iter().position(|b| *b == b'\n') {
            input.consume(at + 1);
            return Ok(());
        }
        let length = available.len();
        input.consume(length);
    }
}

fn item(result: Result<chronicle_model::RawDocument, Skip>) -> Item {
    match result {
        Ok(document) => Item::Document(document),
        Err(skip) => Item::Skip(skip),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "file:///data/news.json";

    fn check(input: &str, expect: &[&str]) {
        check_capped(input, 1 << 20, expect);
    }

    /// `expect` lists each item: a document as `source`, a skip as `reason: input`.
    fn check_capped(input: &str, max: u64, expect: &[&str]) {
        let mut got = Vec::new();
        read(SOURCE, input.as_bytes(), max, &mut |item| {
            got.push(match item {
                Item::Document(document) => document.source,
                Item::Skip(skip) => format!("{}: {}", skip.reason, skip.input),
            })
        });
        assert_eq!(got, expect);
    }

    #[test]
    fn shapes_of_json() {
        check(r#"{"text": "One."}"#, &[SOURCE]);
        check("{\n  \"text\": \"One.\"\n}\n", &[SOURCE]);
        check(
            r#"[{"text": "a"}, {"title": "no text"}, 3]"#,
            &[
                "file:///data/news.json#item-1",
                "no-text: file:///data/news.json#item-2",
                "malformed: file:///data/news.json#item-3",
            ],
        );
        check(
            r#"{"status": "ok", "Articles": [{"body": "a"}]}"#,
            &["file:///data/news.json#item-1"],
        );
        check("[]", &["empty: file:///data/news.json"]);
        check("\"just a string\"", &["malformed: file:///data/news.json"]);
        check("{\"text\": ", &["malformed: file:///data/news.json"]);
    }

    #[test]
    fn json_lines_with_a_bad_line() {
        check(
            "{\"text\": \"a\"}\n\n{\"text\": \"b\"\n[1]\n{\"text\": \"c\"}",
            &[
                "file:///data/news.json#line-1",
                "malformed: file:///data/news.json#line-3",
                "malformed: file:///data/news.json#line-4",
                "file:///data/news.json#line-5",
            ],
        );
        // A bad first line does not hide the rest.
        check(
            "not json\n{\"text\": \"b\"}\n",
            &[
                "malformed: file:///data/news.json#line-1",
                "file:///data/news.json#line-2",
            ],
        );
    }

    #[test]
    fn json_lines_larger_than_the_cap_are_streamed() {
        let line = "{\"text\": \"0123456789\"}\n";
        let input = line.repeat(10);
        let expect: Vec<String> = (1..=10).map(|n| format!("{SOURCE}#line-{n}")).collect();
        let expect: Vec<&str> = expect.iter().map(String::as_str).collect();
        check_capped(&input, 60, &expect);

        let long = format!("{line}{{\"text\": \"{}\"}}\n{line}", "x".repeat(100));
        check_capped(
            &long,
            60,
            &[
                "file:///data/news.json#line-1",
                "too-large: file:///data/news.json#line-2",
                "file:///data/news.json#line-3",
            ],
        );
        check_capped(
            &format!("[{}]", "1,".repeat(100)),
            60,
            &["too-large: file:///data/news.json"],
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes: Vec<u8>) {
            read(SOURCE, &bytes[..], 1 << 16, &mut |_| {});
            read(SOURCE, &bytes[..], 16, &mut |_| {});
        }

        #[test]
        fn never_panics_on_json_like_lines(lines in proptest::collection::vec("[{}\\[\\]\":,a-z0-9 ]{0,30}", 0..8)) {
            let input = lines.join("\n");
            read(SOURCE, input.as_bytes(), 1 << 16, &mut |_| {});
        }
    }
}
