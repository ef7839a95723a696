//! HTML to paragraphs: block elements end a paragraph, inline text is joined with
//! single spaces, table rows become one line each.

use dom_query::{Document, NodeRef};

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "caption",
    "head",
    "title",
    "br",
];

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "select", "option", "button", "input", "textarea", "canvas", "audio", "video", "map", "head",
];

/// Paragraphs of an HTML fragment or page, whitespace-normalised, empty ones dropped.
pub fn paragraphs(html: &str) -> Vec<String> {
    let document = Document::fragment(html);
    paragraphs_of(&document.root())
}

/// Paragraphs under a node.
pub fn paragraphs_of(node: &NodeRef<'_>) -> Vec<String> {
    let mut collector = Collector::default();
    collector.walk(node, 0);
    collector.flush();
    collector.paragraphs
}

#[derive(Default)]
struct Collector {
    paragraphs: Vec<String>,
    current: String,
}

/// Deeper nesting than this is not real content; it is skipped, not recursed into.
const MAX_DEPTH: usize = 256;

impl Collector {
    fn walk(&mut self, node: &NodeRef<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in node.children_it(false) {
            if child.is_text() {
                self.push_text(&child.text());
            } else if child.is_element() {
                let name = child.node_name().unwrap_or_default().to_ascii_lowercase();
                if SKIPPED.contains(&name.as_str()) {
                    continue;
                }
                if name == "br" || name == "hr" {
                    self.flush();
                    continue;
                }
                let block = BLOCKS.contains(&name.as_str());
                if block {
                    self.flush();
                }
                if name == "td" || name == "th" {
                    self.push_text(" ");
                }
                if name == "pre" {
                    for line in child.text().lines() {
                        self.push_text(line);
                        self.flush();
                    }
                } else {
                    self.walk(&child, depth + 1);
                }
                if block {
                    self.flush();
                } else if name == "td" || name == "th" {
                    self.push_text(" ");
                }
            }
        }
    }

    fn push_text(&mut self, text: &str) {
        for (index, piece) in text.split(char::is_whitespace).enumerate() {
            if index > 0 && !self.current.ends_with(' ') && !self.current.is_empty() {
                self.current.push(' ');
            }
            self.current.push_str(piece);
        }
    }

    fn flush(&mut self) {
        let paragraph = normalise_space(&self.current);
        if !paragraph.is_empty() {
            self.paragraphs.push(paragraph);
        }
        self.current.clear();
    }
}

/// Collapses runs of whitespace (including no-break spaces) to one space and trims.
pub fn normalise_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{200b}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_paragraphs_and_inline_text_joins() {
        let html = "<p>One <b>bold</b>\n  word.</p><p>Two<br>lines</p><ul><li>A</li><li>B <i>c</i></li></ul>\
                    <script>var x = 1;</script><table><tr><td>x</td><td>y</td></tr></table>";
        assert_eq!(
            paragraphs(html),
            ["One bold word.", "Two", "lines", "A", "B c", "x y"]
        );
    }

    #[test]
    fn text_outside_blocks_is_kept() {
        assert_eq!(
            paragraphs("Loose text <div>in a div</div> tail"),
            ["Loose text", "in a div", "tail"]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(5000) + "deep" + &"</div>".repeat(5000);
        let _ = paragraphs(&html);
    }
}
