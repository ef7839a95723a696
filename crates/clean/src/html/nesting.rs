//! A cheap look at how deeply a page nests, before it is parsed.
//!
//! The HTML tree builder checks the stack of open elements at many start tags, so a
//! page of nothing but nested `<div>`s costs it time in the square of its depth: a
//! megabyte of them holds a worker for over a minute, sixteen for hours. This scan
//! follows the tags the way the tree builder nests them, closely enough to bound the
//! depth, in time linear in the page and never deeper than the limit it checks.

use memchr::memchr;

/// Elements that never have children.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements another of their kind (or their parent's end) closes without an end tag;
/// a chain of them alone cannot nest.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dd", "dt", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rp", "rtc", "colgroup", "caption", "head", "body", "html",
];

/// Elements whose content is text up to their end tag, whatever `<` it holds.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

fn is_one_of(name: &[u8], list: &[&str]) -> bool {
    list.iter()
        .any(|entry| name.eq_ignore_ascii_case(entry.as_bytes()))
}

/// Whether the elements of `html` would nest more than `limit` deep. May count a little
/// deeper than a browser would (an element left open that a browser closes for being
/// misplaced), never much shallower.
pub fn deeper_than(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    // Where the outermost open `<svg>` or `<math>` is: inside it, `/>` closes.
    let mut foreign_from: Option<usize> = None;
    let mut at = 0;
    while let Some(found) = memchr(b'<', &bytes[at..]) {
        at += found + 1;
        let rest = &bytes[at..];
        if rest.starts_with(b"!--") {
            at += find(&rest[3..], b"-->").map_or(rest.len(), |end| 3 + end + 3);
            continue;
        }
        if rest.starts_with(b"!") || rest.starts_with(b"?") {
            at += memchr(b'>', rest).map_or(rest.len(), |end| end + 1);
            continue;
        }
        let closing = rest.starts_with(b"/");
        let start = usize::from(closing);
        let name_length = rest[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
            .count();
        if name_length == 0 || !rest[start].is_ascii_alphabetic() {
            continue;
        }
        let name = &rest[start..start + name_length];
        let (length, self_closing) = tag_end(&rest[start + name_length..]);
        at += start + name_length + length;
        if closing {
            if let Some(index) = open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                open.truncate(index);
                if foreign_from.is_some_and(|from| from >= index) {
                    foreign_from = None;
                }
            }
            continue;
        }
        if is_one_of(name, RAW_TEXT) {
            at += raw_text_end(&bytes[at..], name);
            continue;
        }
        let foreign = foreign_from.is_some();
        if is_one_of(name, VOID) || is_one_of(name, IMPLIED_END) || (self_closing && foreign) {
            continue;
        }
        if !foreign && (name.eq_ignore_ascii_case(b"svg") || name.eq_ignore_ascii_case(b"math")) {
            foreign_from = Some(open.len());
        }
        open.push(name);
        if open.len() > limit {
            return true;
        }
    }
    false
}

/// The length of the rest of a tag after its name, up to and including its `>`, and
/// whether it ends in `/>`. A quote opens a value only right after `=`, as in the
/// tokenizer, so that a stray quote cannot hide the tags after it.
fn tag_end(bytes: &[u8]) -> (usize, bool) {
    let mut i = 0;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return (i + 1, i > 0 && bytes[i - 1] == b'/'),
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => {
                i += memchr(quote, &bytes[i + 1..]).map_or(bytes.len() - i, |end| end + 1);
                after_equals = false;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    (bytes.len(), false)
}

/// Where the raw text of the element `name` ends: just past its end tag, or the end.
fn raw_text_end(bytes: &[u8], name: &[u8]) -> usize {
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"</") {
        at += found + 2;
        let candidate = &bytes[at..];
        if candidate.len() >= name.len() && candidate[..name.len()].eq_ignore_ascii_case(name) {
            return at + name.len();
        }
    }
    bytes.len()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::deeper_than;

    #[test]
    fn nested_containers_count_and_closed_ones_do_not() {
        let deep = "<div>".repeat(600);
        assert!(deeper_than(&deep, 512));
        assert!(!deeper_than(&"<div>x</div>".repeat(10_000), 512));
        assert!(!deeper_than(&"<div><span>a</div>".repeat(10_000), 512));
        // Self-closing syntax does not close an HTML element…
        assert!(deeper_than(&"<div/>".repeat(600), 512));
        // …but does in SVG.
        let svg = format!("<svg>{}</svg>", "<path d='M0 0'/>".repeat(2000));
        assert!(!deeper_than(&svg, 512));
    }

    #[test]
    fn elements_closed_by_their_siblings_do_not_nest() {
        let list = format!("<ul>{}</ul>", "<li>item".repeat(5000));
        assert!(!deeper_than(&list, 512));
        assert!(!deeper_than(&"<p>para<br><img src=x>".repeat(5000), 512));
    }

    #[test]
    fn script_comments_and_attributes_hide_no_tags_and_add_none() {
        let script = format!("<script>var t = '{}';</script><p>x", "<div>".repeat(1000));
        assert!(!deeper_than(&script, 512));
        let comment = format!("<!-- {} --><p>x", "<div>".repeat(1000));
        assert!(!deeper_than(&comment, 512));
        let attribute = format!("<a title=\"{}\">x</a>", "<div>".repeat(1000));
        assert!(!deeper_than(&attribute, 512));
        // A stray quote outside a value opens nothing.
        assert!(deeper_than(&"<div x=a\"b>".repeat(600), 512));
    }
}
